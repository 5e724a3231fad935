# SPDX-License-Identifier: ISC (see COPYING)
# tests/store: the in-memory model
check_PROGRAMS += tests/store/store_test
TESTS += tests/store/store_test
tests_store_store_test_SOURCES = tests/store/store_test.c
tests_store_store_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_store_store_test_LDADD = $(TESTS_LINK_LIBS)
