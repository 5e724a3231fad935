# net: the event loop and the transport every source rides on: HTTP over
# libcurl's multi interface, the SSE parser and client, retry backoff.
libpayops_a_SOURCES += tui/ev.c \
	net/http.c \
	net/sse.c \
	net/backoff.c net/backoff.h \
	net/stream.c net/stream.h
