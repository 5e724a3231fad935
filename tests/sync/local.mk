# SPDX-License-Identifier: ISC (see COPYING)
# tests/sync: the pollers and stream against a real payops-sim
check_PROGRAMS += tests/sync/sync-driver
tests_sync_sync_driver_SOURCES = tests/sync/sync_driver.c
tests_sync_sync_driver_CFLAGS = $(AM_CFLAGS) $(CONSOLE_CFLAGS)
tests_sync_sync_driver_LDADD = libpayops.a $(CONSOLE_LIBS)
TESTS += tests/sync/sync.sh
EXTRA_DIST += tests/sync/sync.sh
