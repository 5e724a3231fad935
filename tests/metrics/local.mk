# SPDX-License-Identifier: ISC (see COPYING)
# tests/metrics: the Prometheus HTTP API answer decoder; the source against
# a small server of its own on 127.0.0.1
metrics_tests = tests/metrics/decode_test tests/metrics/source_test
check_PROGRAMS += $(metrics_tests)
TESTS += $(metrics_tests)
tests_metrics_source_test_LDADD = $(LDADD) -lpthread
