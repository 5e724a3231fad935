# SPDX-License-Identifier: ISC (see COPYING)
# tests/decode: every decoder on the contract's examples and on bad input
decode_tests = tests/decode/objects_test tests/decode/errors_test \
	tests/decode/page_test
check_PROGRAMS += $(decode_tests)
TESTS += $(decode_tests)
EXTRA_DIST += tests/decode/samples.h
tests_decode_objects_test_SOURCES = tests/decode/objects_test.c tests/decode/samples.h
tests_decode_objects_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_decode_objects_test_LDADD = $(TESTS_LINK_LIBS)
tests_decode_errors_test_SOURCES = tests/decode/errors_test.c tests/decode/samples.h
tests_decode_errors_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_decode_errors_test_LDADD = $(TESTS_LINK_LIBS)
tests_decode_page_test_SOURCES = tests/decode/page_test.c tests/decode/samples.h
tests_decode_page_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_decode_page_test_LDADD = $(TESTS_LINK_LIBS)
