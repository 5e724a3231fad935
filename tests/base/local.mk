# tests/base: the floor's small utilities
base_tests = tests/base/duration_test
check_PROGRAMS += $(base_tests)
TESTS += $(base_tests)
tests_base_duration_test_SOURCES = tests/base/duration_test.c
tests_base_duration_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_base_duration_test_LDADD = $(TESTS_LINK_LIBS)
