# SPDX-License-Identifier: ISC (see COPYING)
# tests/net: the event loop, the SSE parser, backoff, and the HTTP and SSE
# clients against a real server on 127.0.0.1 (tests/net/httpd).
check_PROGRAMS += tests/net/ev_test tests/net/sse_test tests/net/backoff_test
TESTS += tests/net/ev_test tests/net/sse_test tests/net/backoff_test
check_PROGRAMS += tests/net/url_test
TESTS += tests/net/url_test

# the integration test: a libmicrohttpd server and a client test binary,
# started together by the shell test
check_PROGRAMS += tests/net/httpd tests/net/http_test
tests_net_httpd_CFLAGS = $(COMMON_CFLAGS) $(MHD_CFLAGS) -pthread
tests_net_httpd_LDADD = $(MHD_LIBS) -lpthread
TESTS += tests/net/http.sh
EXTRA_DIST += tests/net/http.sh
