# SPDX-License-Identifier: ISC (see COPYING)
# tests/widgets: widgets drawn headless (curses on /dev/null, read back from
# the windows), the key table, terminal roles
widgets_tests = tests/widgets/keymap_test tests/widgets/term_test \
	tests/widgets/table_test tests/widgets/spark_bar_test \
	tests/widgets/cmdline_test tests/widgets/dialog_test \
	tests/widgets/help_test tests/widgets/commands_test \
	tests/widgets/columns_test
check_PROGRAMS += $(widgets_tests)
TESTS += $(widgets_tests)
EXTRA_DIST += tests/widgets/headless.h
