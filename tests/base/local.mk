# SPDX-License-Identifier: ISC (see COPYING)
# tests/base: the floor's small utilities: the growable array and string,
# UTF-8, durations. The array and string tests wrap realloc to make it fail.
base_tests = tests/base/vec_test tests/base/strbuf_test tests/base/utf8_test \
	tests/base/duration_test
check_PROGRAMS += $(base_tests)
TESTS += $(base_tests)
tests_base_vec_test_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=realloc
tests_base_strbuf_test_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=realloc
