# SPDX-License-Identifier: ISC (see COPYING)
# alerts: Prometheus Alertmanager (API v2) as an alert source beside the
# platform: pollers feeding the store, silences, and their audit rows.
libpayops_a_SOURCES += alerts/am.h alerts/am_int.h alerts/build.c \
	alerts/decode.c alerts/words.c alerts/poll.c alerts/silence.c \
	alerts/resolve.c
