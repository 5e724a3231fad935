# SPDX-License-Identifier: ISC (see COPYING)
# sync: pollers and the event stream that keep the store in step
libpayops_a_SOURCES += sync/sync.h sync/sync_int.h sync/sync.c sync/sites.c \
	sync/events.c sync/mirror.c sync/history.c sync/incr_int.h sync/incr_build.c
