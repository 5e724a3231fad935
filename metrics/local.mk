# SPDX-License-Identifier: ISC (see COPYING)
# metrics: channel health from a Prometheus HTTP API beside the platform:
# the answer decoder and the polling source.
libpayops_a_SOURCES += metrics/prom.h metrics/decode.c metrics/source.c
