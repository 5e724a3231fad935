# SPDX-License-Identifier: ISC (see COPYING)
# tests/text: the sanitiser, cell fitting, money and time formatting
text_tests = tests/text/sanitize_test tests/text/fit_test \
	tests/text/money_test tests/text/time_test
check_PROGRAMS += $(text_tests)
TESTS += $(text_tests)
tests_text_sanitize_test_SOURCES = tests/text/sanitize_test.c
tests_text_sanitize_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_text_sanitize_test_LDADD = $(TESTS_LINK_LIBS)
tests_text_fit_test_SOURCES = tests/text/fit_test.c
tests_text_fit_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_text_fit_test_LDADD = $(TESTS_LINK_LIBS)
tests_text_money_test_SOURCES = tests/text/money_test.c
tests_text_money_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_text_money_test_LDADD = $(TESTS_LINK_LIBS)
tests_text_time_test_SOURCES = tests/text/time_test.c
tests_text_time_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_text_time_test_LDADD = $(TESTS_LINK_LIBS)
