# SPDX-License-Identifier: ISC (see COPYING)
# tests/audit: unit tests (cmocka) and shell tests driving the CLI through
# audit-tool, with audit-collector standing in for a syslog collector.
check_PROGRAMS += tests/audit/audit_log_test tests/audit/audit_format_test \
	tests/audit/audit_fwd_test tests/audit/rfc5424_test \
	tests/audit/audit-tool tests/audit/audit-collector
TESTS += tests/audit/audit_log_test tests/audit/audit_format_test \
	tests/audit/audit_fwd_test tests/audit/rfc5424_test \
	tests/audit/concurrent.sh tests/audit/tamper.sh tests/audit/forward.sh \
	tests/audit/sanitize.sh tests/audit/relp.sh tests/audit/tls.sh \
	tests/audit/against.sh tests/audit/shared.sh
EXTRA_DIST += tests/audit/concurrent.sh tests/audit/tamper.sh \
	tests/audit/forward.sh tests/audit/lib.sh tests/audit/sanitize.sh \
	tests/audit/rsyslog.sh tests/audit/relp.sh tests/audit/tls.sh \
	tests/audit/against.sh tests/audit/shared.sh
tests_audit_audit_log_test_SOURCES = tests/audit/audit_log_test.c
tests_audit_audit_log_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_audit_audit_log_test_LDADD = $(TESTS_LINK_LIBS)
tests_audit_audit_format_test_SOURCES = tests/audit/audit_format_test.c
tests_audit_audit_format_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_audit_audit_format_test_LDADD = $(TESTS_LINK_LIBS)
tests_audit_audit_tool_SOURCES = tests/audit/audit_tool.c
tests_audit_audit_tool_CFLAGS = $(AM_CFLAGS) $(CONSOLE_CFLAGS)
tests_audit_audit_tool_LDADD = libpayops.a $(CONSOLE_LIBS)
tests_audit_audit_collector_SOURCES = tests/audit/audit_collector.c
tests_audit_audit_fwd_test_SOURCES = tests/audit/audit_fwd_test.c
tests_audit_audit_fwd_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_audit_audit_fwd_test_LDADD = $(TESTS_LINK_LIBS)
tests_audit_rfc5424_test_SOURCES = tests/audit/rfc5424_test.c
tests_audit_rfc5424_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_audit_rfc5424_test_LDADD = $(TESTS_LINK_LIBS)
# the writer that keeps the loop from waiting on another process's lock
check_PROGRAMS += tests/audit/audit_writer_test
TESTS += tests/audit/audit_writer_test
tests_audit_audit_writer_test_SOURCES = tests/audit/audit_writer_test.c
tests_audit_audit_writer_test_CFLAGS = $(TESTS_CC_FLAGS)
tests_audit_audit_writer_test_LDADD = $(TESTS_LINK_LIBS)
