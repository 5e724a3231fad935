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
EXTRA_DIST += tests/audit/fixture.h tests/audit/concurrent.sh tests/audit/tamper.sh \
	tests/audit/forward.sh tests/audit/lib.sh tests/audit/sanitize.sh \
	tests/audit/rsyslog.sh tests/audit/relp.sh tests/audit/tls.sh \
	tests/audit/against.sh tests/audit/shared.sh
# the writer that keeps the loop from waiting on another process's lock
check_PROGRAMS += tests/audit/audit_writer_test
TESTS += tests/audit/audit_writer_test
tests_audit_audit_collector_SOURCES = tests/audit/audit_collector.c
tests_audit_audit_tool_SOURCES = tests/audit/audit_tool.c
