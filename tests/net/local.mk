# tests/net: the event loop, the SSE parser, backoff, and HTTP/SSE clients
# against a real local server.
check_PROGRAMS += tests/net/ev_test
TESTS += tests/net/ev_test
tests_net_ev_test_SOURCES = tests/net/ev_test.c
tests_net_ev_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_net_ev_test_LDADD = $(TESTS_LINK_LIBS)
