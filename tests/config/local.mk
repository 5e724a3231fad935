# SPDX-License-Identifier: ISC (see COPYING)
# tests/config: payops.yaml loading and errors; token, XDG and file paths
config_tests = tests/config/load_test tests/config/files_test \
	tests/config/check_test
check_PROGRAMS += $(config_tests)
TESTS += $(config_tests)
tests_config_load_test_SOURCES = tests/config/load_test.c
tests_config_load_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_config_load_test_LDADD = $(TESTS_LINK_LIBS)
tests_config_files_test_SOURCES = tests/config/files_test.c
tests_config_files_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_config_files_test_LDADD = $(TESTS_LINK_LIBS)
tests_config_check_test_SOURCES = tests/config/check_test.c
tests_config_check_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_config_check_test_LDADD = $(TESTS_LINK_LIBS)
