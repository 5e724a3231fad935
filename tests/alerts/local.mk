# SPDX-License-Identifier: ISC (see COPYING)
# tests/alerts: the Alertmanager client. Unit tests of its pure parts, and
# an integration test against a real Prometheus Alertmanager driven through
# tests/alerts/am-driver (the real loop, store, HTTP client and audit log).
check_PROGRAMS += tests/alerts/am_test tests/alerts/am-driver
TESTS += tests/alerts/am_test tests/alerts/alertmanager.sh
EXTRA_DIST += tests/alerts/alertmanager.sh
tests_alerts_am_driver_SOURCES = tests/alerts/am_driver.c
