# SPDX-License-Identifier: ISC (see COPYING)
# tests/e2e: the real binaries in a real terminal (tmux) against payops-sim
TESTS += tests/e2e/cli.sh tests/e2e/screen.sh tests/e2e/live.sh \
	tests/e2e/demo.sh tests/e2e/actions.sh tests/e2e/notices.sh
EXTRA_DIST += tests/e2e/cli.sh tests/e2e/screen.sh tests/e2e/live.sh \
	tests/e2e/demo.sh tests/e2e/actions.sh tests/e2e/notices.sh tests/e2e/common.sh tests/lib/tmux.sh
# the views without a terminal, over a store filled by hand
check_PROGRAMS += tests/e2e/views_test
TESTS += tests/e2e/views_test
TESTS += tests/e2e/alerts.sh tests/e2e/columns.sh
EXTRA_DIST += tests/e2e/alerts.sh tests/e2e/columns.sh
TESTS += tests/e2e/hostile.sh
EXTRA_DIST += tests/e2e/hostile.sh
TESTS += tests/e2e/valgrind.sh
EXTRA_DIST += tests/e2e/valgrind.sh
TESTS += tests/e2e/queues.sh
EXTRA_DIST += tests/e2e/queues.sh
TESTS += tests/e2e/cache.sh tests/e2e/streamcache.sh
EXTRA_DIST += tests/e2e/cache.sh tests/e2e/streamcache.sh
TESTS += tests/e2e/failover.sh
EXTRA_DIST += tests/e2e/failover.sh
TESTS += tests/e2e/frugal.sh
EXTRA_DIST += tests/e2e/frugal.sh
TESTS += tests/e2e/commands.sh
EXTRA_DIST += tests/e2e/commands.sh
TESTS += tests/e2e/badfields.sh
EXTRA_DIST += tests/e2e/badfields.sh
TESTS += tests/e2e/auditlock.sh tests/e2e/auditlock_silence.sh
EXTRA_DIST += tests/e2e/auditlock.sh tests/e2e/auditlock_silence.sh tests/lib/dblock.sh tests/lib/keyprobe.sh
TESTS += tests/e2e/zh.sh
EXTRA_DIST += tests/e2e/zh.sh
TESTS += tests/e2e/prometheus.sh
EXTRA_DIST += tests/e2e/prometheus.sh
TESTS += tests/e2e/approvals.sh
EXTRA_DIST += tests/e2e/approvals.sh
TESTS += tests/e2e/keys.sh
EXTRA_DIST += tests/e2e/keys.sh
TESTS += tests/e2e/overlap.sh
EXTRA_DIST += tests/e2e/overlap.sh
TESTS += tests/e2e/readonly.sh
EXTRA_DIST += tests/e2e/readonly.sh
TESTS += tests/e2e/resolved.sh
EXTRA_DIST += tests/e2e/resolved.sh
TESTS += tests/e2e/detailkeep.sh
EXTRA_DIST += tests/e2e/detailkeep.sh
