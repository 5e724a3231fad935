# SPDX-License-Identifier: ISC (see COPYING)
# tests/widgets: widgets drawn headless (curses on /dev/null, read back from
# the windows), the key table, terminal roles
widgets_tests = tests/widgets/keymap_test tests/widgets/term_test \
	tests/widgets/table_test tests/widgets/spark_bar_test \
	tests/widgets/cmdline_test tests/widgets/dialog_test \
	tests/widgets/help_test tests/widgets/commands_test
check_PROGRAMS += $(widgets_tests)
TESTS += $(widgets_tests)
EXTRA_DIST += tests/widgets/headless.h
tests_widgets_keymap_test_SOURCES = tests/widgets/keymap_test.c
tests_widgets_keymap_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_keymap_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_term_test_SOURCES = tests/widgets/term_test.c tests/widgets/headless.h
tests_widgets_term_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_term_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_table_test_SOURCES = tests/widgets/table_test.c tests/widgets/headless.h
tests_widgets_table_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_table_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_spark_bar_test_SOURCES = tests/widgets/spark_bar_test.c tests/widgets/headless.h
tests_widgets_spark_bar_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_spark_bar_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_cmdline_test_SOURCES = tests/widgets/cmdline_test.c tests/widgets/headless.h
tests_widgets_cmdline_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_cmdline_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_dialog_test_SOURCES = tests/widgets/dialog_test.c tests/widgets/headless.h
tests_widgets_dialog_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_dialog_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_help_test_SOURCES = tests/widgets/help_test.c tests/widgets/headless.h
tests_widgets_help_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_help_test_LDADD = $(TESTS_LINK_LIBS)
tests_widgets_commands_test_SOURCES = tests/widgets/commands_test.c
tests_widgets_commands_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_widgets_commands_test_LDADD = $(TESTS_LINK_LIBS)
