# audit: the tamper-evident audit log (SQLite, SHA-256 chain, syslog forwarding)
libpayops_a_SOURCES += audit/audit.h audit/audit_int.h \
	audit/store.c audit/canon.c audit/append.c audit/query.c \
	audit/verify.c audit/text.c audit/export.c audit/syslog.c \
	audit/fwd.c audit/cli.c
dist_man_MANS += man/payops-audit.1
# the queue that keeps the event loop from waiting on the log's write lock
libpayops_a_SOURCES += audit/writer.h audit/writer.c
