# SPDX-License-Identifier: ISC (see COPYING)
# tests/config: payops.yaml loading and errors; token, XDG and file paths
config_tests = tests/config/load_test tests/config/files_test \
	tests/config/check_test tests/config/metrics_test
check_PROGRAMS += $(config_tests)
TESTS += $(config_tests)
EXTRA_DIST += tests/config/capture.h
