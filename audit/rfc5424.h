/* SPDX-License-Identifier: ISC (see COPYING) */
/* rfc5424.h - reading syslog lines back: an RFC 5424 message as a
 * collector wrote it to a file (rsyslog's RSYSLOG_SyslogProtocol23Format:
 * "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG"), and the audit
 * row a payops message carries.
 *
 * Pure functions over a buffer: no allocation, no global state, any input
 * (the entry points of fuzz/fuzz_rfc5424). */
#ifndef PAYOPS_AUDIT_RFC5424_H
#define PAYOPS_AUDIT_RFC5424_H

#include <stddef.h>
#include <stdint.h>

/* A part of the line (not NUL-terminated). */
struct audit_span {
	const char *p;
	size_t n;
};

struct audit_syslog_msg {
	int pri;                    /* 0..191 */
	int version;                /* 1..999 */
	struct audit_span timestamp, hostname, app_name, procid, msgid;
	struct audit_span sd;       /* the whole STRUCTURED-DATA, or "-" */
	struct audit_span msg;      /* may be empty */
};

/* Parse one line (len bytes; a trailing LF or CR LF is ignored).  Returns 0
 * with *m filled, or -1 with the reason in why ("column 12: ..."). */
int audit_rfc5424_parse(const char *line, size_t len, struct audit_syslog_msg *m,
                        char *why, size_t whysz);

/* The value of PARAM-NAME name in the SD-ELEMENT sd_id of m, unescaped
 * (RFC 5424 section 6.3.3), NUL-terminated into out.  Returns 1 when found,
 * 0 when absent, -1 when it does not fit in outsz. */
int audit_rfc5424_param(const struct audit_syslog_msg *m, const char *sd_id,
                        const char *name, char *out, size_t outsz);

/* The audit row a collected line carries: what verify --against compares. */
struct audit_collected {
	int64_t seq;
	char kind[16];
	char time[40];
	char hash[65];
	char prev_hash[65];
};

enum {
	AUDIT_LINE_OTHER = 0,    /* another program's line (or a blank one) */
	AUDIT_LINE_ROW = 1,      /* a payops audit row: *row filled */
	AUDIT_LINE_BAD = -1,     /* claims to be payops's but does not parse */
};

/* Classify one line of a collected file. */
int audit_collected_parse(const char *line, size_t len, struct audit_collected *row,
                          char *why, size_t whysz);

#endif
