# SPDX-License-Identifier: ISC (see COPYING)
# tests/metrics: the Prometheus HTTP API answer decoder
metrics_tests = tests/metrics/decode_test
check_PROGRAMS += $(metrics_tests)
TESTS += $(metrics_tests)
