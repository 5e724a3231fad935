# SPDX-License-Identifier: ISC (see COPYING)
# tests/base: the floor's small utilities: the growable array and string,
# UTF-8, durations. The array and string tests wrap realloc to make it fail.
base_tests = tests/base/vec_test tests/base/strbuf_test tests/base/utf8_test \
	tests/base/duration_test
check_PROGRAMS += $(base_tests)
TESTS += $(base_tests)
tests_base_vec_test_SOURCES = tests/base/vec_test.c
tests_base_vec_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_base_vec_test_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=realloc
tests_base_vec_test_LDADD = $(TESTS_LINK_LIBS)
tests_base_strbuf_test_SOURCES = tests/base/strbuf_test.c
tests_base_strbuf_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_base_strbuf_test_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=realloc
tests_base_strbuf_test_LDADD = $(TESTS_LINK_LIBS)
tests_base_utf8_test_SOURCES = tests/base/utf8_test.c
tests_base_utf8_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_base_utf8_test_LDADD = $(TESTS_LINK_LIBS)
tests_base_duration_test_SOURCES = tests/base/duration_test.c
tests_base_duration_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_base_duration_test_LDADD = $(TESTS_LINK_LIBS)
