# SPDX-License-Identifier: ISC (see COPYING)
# audit: the tamper-evident audit log (SQLite, SHA-256 chain, forwarding to syslog receivers)
libpayops_a_SOURCES += audit/audit.h audit/audit_int.h \
	audit/store.c audit/canon.c audit/append.c audit/query.c audit/rows.c \
	audit/verify.c audit/export.c audit/syslog.c \
	audit/fwd.c audit/fwd_int.h audit/fwd_dest.c audit/fwd_cursor.c \
	audit/fwd_link.c audit/fwd_tls.c audit/fwd_relp.c \
	audit/rfc5424.h audit/rfc5424.c audit/against.c audit/cli.c
# the queue that keeps the event loop from waiting on the log's write lock
libpayops_a_SOURCES += audit/writer.h audit/writer.c
