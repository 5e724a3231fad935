# SPDX-License-Identifier: ISC (see COPYING)
# tests/views: what the work-queue panes compute (filters, SLA, totals,
# limits arithmetic, money as they print and read it)
check_PROGRAMS += tests/views/queue_test
TESTS += tests/views/queue_test

# the breaks pane with a slow query: answered on the cache's reader thread
check_PROGRAMS += tests/views/slow_test
TESTS += tests/views/slow_test
tests_views_slow_test_SOURCES = tests/views/slow_test.c $(cache_fixture)
