# net: the event loop and the transport every source rides on: HTTP over
# libcurl's multi interface, the SSE parser and client, retry backoff.
libpayops_a_SOURCES += tui/ev.c
