# SPDX-License-Identifier: ISC (see COPYING)
# tests/net: the event loop, the SSE parser, backoff, and the HTTP and SSE
# clients against a real server on 127.0.0.1 (tests/net/httpd).
check_PROGRAMS += tests/net/ev_test tests/net/sse_test tests/net/backoff_test
TESTS += tests/net/ev_test tests/net/sse_test tests/net/backoff_test
tests_net_ev_test_SOURCES = tests/net/ev_test.c
tests_net_ev_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_net_ev_test_LDADD = $(TESTS_LINK_LIBS)
tests_net_sse_test_SOURCES = tests/net/sse_test.c
tests_net_sse_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_net_sse_test_LDADD = $(TESTS_LINK_LIBS)
tests_net_backoff_test_SOURCES = tests/net/backoff_test.c
tests_net_backoff_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_net_backoff_test_LDADD = $(TESTS_LINK_LIBS)
check_PROGRAMS += tests/net/url_test
TESTS += tests/net/url_test
tests_net_url_test_SOURCES = tests/net/url_test.c
tests_net_url_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_net_url_test_LDADD = $(TESTS_LINK_LIBS)

# the integration test: a libmicrohttpd server and a client test binary,
# started together by the shell test
check_PROGRAMS += tests/net/httpd tests/net/http_test
tests_net_httpd_SOURCES = tests/net/httpd.c
tests_net_httpd_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) -pthread
tests_net_httpd_LDADD = $(MHD_LIBS) -lpthread
tests_net_http_test_SOURCES = tests/net/http_test.c
tests_net_http_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_net_http_test_LDADD = $(TESTS_LINK_LIBS)
TESTS += tests/net/http.sh
EXTRA_DIST += tests/net/http.sh
