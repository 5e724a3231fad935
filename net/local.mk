# SPDX-License-Identifier: ISC (see COPYING)
# net: the transport every source rides on: HTTP over
# libcurl's multi interface, the SSE parser and client, and URL building.
libpayops_a_SOURCES += \
	net/http.c \
	net/sse.c \
	net/stream.c net/stream.h \
	net/url.c net/url.h
