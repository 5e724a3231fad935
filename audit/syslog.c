/* SPDX-License-Identifier: ISC (see COPYING) */
/* syslog.c - an audit row as an RFC 5424 message with structured data.
 *
 *   <PRI>1 TIMESTAMP HOST payops - MSGID [payops@32473 seq="7" ...] BOM summary
 *
 * PARAM-VALUEs are UTF-8 with '"', '\' and ']' escaped by a backslash
 * (RFC 5424 section 6.3.3); each is capped at SD_VALUE_MAX bytes so a
 * datagram stays deliverable (the log keeps the whole row, and the row's
 * hash travels with it). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"
#include "text/text.h"

#define FACILITY_AUTHPRIV 10
#define SEV_WARNING 4
#define SEV_NOTICE 5
#define SD_VALUE_MAX 2048

struct sbuf {
	char *buf;
	size_t cap, len;
	int overflow;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->overflow || n >= b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->overflow = 1;
	else
		sb_putn(b, tmp, (size_t)n);
}

/* Header fields are PRINTUSASCII (33..126), at most max chars, "-" if empty. */
static void sb_header_token(struct sbuf *b, const char *s, size_t max)
{
	size_t n = 0;
	for (; s && *s && n < max; s++, n++) {
		unsigned char c = (unsigned char)*s;
		char ch = (c >= 33 && c <= 126) ? (char)c : '_';
		sb_putn(b, &ch, 1);
	}
	if (n == 0)
		sb_putn(b, "-", 1);
}

static void sb_param(struct sbuf *b, const char *name, const char *value)
{
	char *v = text_utf8_scrub(value ? value : "", value ? strlen(value) : 0, NULL);
	if (!v) {
		b->overflow = 1;
		return;
	}
	size_t len = strlen(v);
	if (len > SD_VALUE_MAX) {
		len = SD_VALUE_MAX;
		while (len > 0 && ((unsigned char)v[len] & 0xc0) == 0x80)
			len--; /* do not split a UTF-8 sequence */
	}
	sb_putn(b, " ", 1);
	sb_puts(b, name);
	sb_putn(b, "=\"", 2);
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '"' || v[i] == '\\' || v[i] == ']')
			sb_putn(b, "\\", 1);
		sb_putn(b, &v[i], 1);
	}
	sb_putn(b, "\"", 1);
	free(v);
}

static void sb_opt_param(struct sbuf *b, const char *name, const char *value)
{
	if (value && *value)
		sb_param(b, name, value);
}

/* The free-text MSG: one line, no control characters. */
static void sb_msg_text(struct sbuf *b, const char *s)
{
	char *v = text_utf8_scrub(s ? s : "", s ? strlen(s) : 0, NULL);
	if (!v) {
		b->overflow = 1;
		return;
	}
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		char ch = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
		sb_putn(b, &ch, 1);
	}
	free(v);
}

int audit_syslog_format(const struct audit_row *r, char *buf, size_t bufsz)
{
	struct sbuf b = { buf, bufsz, 0, 0 };
	char num[32];
	int outcome = strcmp(r->kind, "outcome") == 0;
	int sev = SEV_NOTICE;

	if (bufsz == 0)
		return -1;
	buf[0] = '\0';
	if (outcome && strcmp(r->outcome, "applied") != 0 &&
	    strcmp(r->outcome, "pending_approval") != 0)
		sev = SEV_WARNING;
	sb_printf(&b, "<%d>1 ", FACILITY_AUTHPRIV * 8 + sev);
	sb_header_token(&b, r->time, 32);
	sb_putn(&b, " ", 1);
	sb_header_token(&b, r->host, 255);
	sb_puts(&b, " payops - ");
	sb_header_token(&b, r->kind, 32);
	sb_puts(&b, " [" AUDIT_SD_ID);
	snprintf(num, sizeof num, "%" PRId64, r->seq);
	sb_param(&b, "seq", num);
	sb_param(&b, "kind", r->kind);
	if (outcome) {
		snprintf(num, sizeof num, "%" PRId64, r->intent_seq);
		sb_param(&b, "intent_seq", num);
	}
	sb_param(&b, "time", r->time);
	sb_opt_param(&b, "operator", r->operator_id);
	sb_opt_param(&b, "local_user", r->local_user);
	sb_opt_param(&b, "host", r->host);
	sb_opt_param(&b, "site", r->site);
	sb_param(&b, "action", r->action);
	sb_param(&b, "target", r->target);
	sb_opt_param(&b, "interface", r->interface);
	sb_opt_param(&b, "state_before", r->state_before);
	sb_opt_param(&b, "state_after", r->state_after);
	sb_opt_param(&b, "reason", r->reason);
	sb_opt_param(&b, "ticket", r->ticket);
	sb_opt_param(&b, "idempotency_key", r->idempotency_key);
	sb_opt_param(&b, "request_id", r->request_id);
	sb_opt_param(&b, "outcome", r->outcome);
	sb_opt_param(&b, "code", r->code);
	sb_opt_param(&b, "detail", r->detail);
	sb_param(&b, "prev_hash", r->prev_hash);
	sb_param(&b, "hash", r->hash);
	sb_puts(&b, "] \xef\xbb\xbf");
	sb_msg_text(&b, r->operator_id);
	sb_putn(&b, " ", 1);
	sb_msg_text(&b, r->kind);
	sb_putn(&b, " ", 1);
	sb_msg_text(&b, r->action);
	sb_putn(&b, " ", 1);
	sb_msg_text(&b, r->target);
	if (*r->interface) {
		sb_putn(&b, "/", 1);
		sb_msg_text(&b, r->interface);
	}
	if (outcome) {
		sb_puts(&b, ": ");
		sb_msg_text(&b, r->outcome);
		if (*r->code) {
			sb_putn(&b, " ", 1);
			sb_msg_text(&b, r->code);
		}
	}
	if (b.overflow) {
		buf[0] = '\0';
		return -1;
	}
	return (int)b.len;
}
