# SPDX-License-Identifier: ISC (see COPYING)
# api: JSON (as the platform and Alertmanager send it) to api/model.h
libpayops_a_SOURCES += api/dec.h api/dec.c api/enums.c api/free.c api/rules.c api/bad.c \
	api/decode_misc.c api/decode_channel.c api/decode_route.c \
	api/decode_case.c api/decode_recon.c api/decode_limit.c \
	api/decode_alert.c api/decode_approval.c api/decode_page.c
