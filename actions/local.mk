# SPDX-License-Identifier: ISC (see COPYING)
# actions: the action client (confirmed operator action -> HTTP with
# idempotency key and If-Match -> audit log -> store).
libpayops_a_SOURCES += actions/actions.h actions/act_int.h \
	actions/request.c actions/effect.c actions/client.c actions/resolve.c actions/approval.c \
	actions/before.c
