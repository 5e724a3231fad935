# SPDX-License-Identifier: ISC (see COPYING)
# tests/ops: the operation runner on the real clients and event loop, short
# of the network (every request is refused by the client itself)
check_PROGRAMS += tests/ops/runner_test
TESTS += tests/ops/runner_test
tests_ops_runner_test_SOURCES = tests/ops/runner_test.c $(cache_fixture)
