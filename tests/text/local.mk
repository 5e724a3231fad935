# SPDX-License-Identifier: ISC (see COPYING)
# tests/text: the sanitiser, cell fitting, money and time formatting
text_tests = tests/text/sanitize_test tests/text/fit_test \
	tests/text/money_test tests/text/time_test
check_PROGRAMS += $(text_tests)
TESTS += $(text_tests)
EXTRA_DIST += tests/text/utf8_setup.h
