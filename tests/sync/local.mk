# SPDX-License-Identifier: ISC (see COPYING)
# tests/sync: the pollers and stream against a real payops-sim
check_PROGRAMS += tests/sync/sync-driver
TESTS += tests/sync/sync.sh
EXTRA_DIST += tests/sync/sync.sh
tests_sync_sync_driver_SOURCES = tests/sync/sync_driver.c
