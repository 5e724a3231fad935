/* SPDX-License-Identifier: ISC (see COPYING) */
/* rfc5424.c - parsing RFC 5424 lines as a collector writes them, and the
 * payops audit row inside one.  See rfc5424.h.
 *
 *   SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
 *   HEADER     = "<" PRIVAL ">" VERSION SP TIMESTAMP SP HOSTNAME
 *                SP APP-NAME SP PROCID SP MSGID
 *   SD-ELEMENT = "[" SD-ID *(SP PARAM-NAME "=" %d34 PARAM-VALUE %d34) "]"
 *
 * Every read is bounded by the given length; a NUL byte is an ordinary
 * (invalid) character, never an end. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/rfc5424.h"
#include "text/text.h"

#define TIMESTAMP_MAX 64

struct cur {
	const char *s;
	size_t len, pos;
	char *why;
	size_t whysz;
};

static int fail(struct cur *c, const char *what)
{
	if (c->why && c->whysz)
		snprintf(c->why, c->whysz, "column %zu: %s", c->pos + 1, what);
	return -1;
}

static int at_end(const struct cur *c)
{
	return c->pos >= c->len;
}

static int peek(const struct cur *c)
{
	return at_end(c) ? -1 : (unsigned char)c->s[c->pos];
}

static int printusascii(int ch)
{
	return ch >= 33 && ch <= 126;
}

static int digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* 1..max PRINTUSASCII characters, then SP. */
static int token(struct cur *c, struct audit_span *out, size_t max, const char *what)
{
	size_t start = c->pos;
	char msg[80];
	while (printusascii(peek(c)))
		c->pos++;
	if (c->pos == start) {
		snprintf(msg, sizeof msg, "no %s", what);
		return fail(c, msg);
	}
	if (c->pos - start > max) {
		c->pos = start;
		snprintf(msg, sizeof msg, "%s longer than %zu characters", what, max);
		return fail(c, msg);
	}
	out->p = c->s + start;
	out->n = c->pos - start;
	if (peek(c) != ' ') {
		snprintf(msg, sizeof msg, "a space must follow the %s", what);
		return fail(c, msg);
	}
	c->pos++;
	return 0;
}

static int header(struct cur *c, struct audit_syslog_msg *m)
{
	int n = 0, v = 0;

	if (peek(c) != '<')
		return fail(c, "no <PRI> at the start");
	c->pos++;
	while (digit(peek(c)) && n < 3) {
		v = v * 10 + (peek(c) - '0');
		c->pos++;
		n++;
	}
	if (n == 0 || peek(c) != '>' || v > 191 || (n > 1 && c->s[c->pos - n] == '0'))
		return fail(c, "PRI must be 0..191 in angle brackets");
	m->pri = v;
	c->pos++;
	v = n = 0;
	if (!digit(peek(c)) || peek(c) == '0')
		return fail(c, "no VERSION");
	while (digit(peek(c)) && n < 3) {
		v = v * 10 + (peek(c) - '0');
		c->pos++;
		n++;
	}
	m->version = v;
	if (peek(c) != ' ')
		return fail(c, "a space must follow the VERSION");
	c->pos++;
	if (token(c, &m->timestamp, TIMESTAMP_MAX, "TIMESTAMP"))
		return -1;
	if (!(m->timestamp.n == 1 && m->timestamp.p[0] == '-')) {
		char ts[TIMESTAMP_MAX + 1];
		time_t t;
		memcpy(ts, m->timestamp.p, m->timestamp.n);
		ts[m->timestamp.n] = '\0';
		if (time_parse_rfc3339(ts, &t) != 0) {
			c->pos -= m->timestamp.n + 1;
			return fail(c, "TIMESTAMP is not RFC 3339");
		}
	}
	if (token(c, &m->hostname, 255, "HOSTNAME") ||
	    token(c, &m->app_name, 48, "APP-NAME") ||
	    token(c, &m->procid, 128, "PROCID") ||
	    token(c, &m->msgid, 32, "MSGID"))
		return -1;
	return 0;
}

/* SD-NAME: 1..32 PRINTUSASCII except '=', SP, ']' and '"'. */
static int sd_name(struct cur *c, struct audit_span *out, const char *what)
{
	size_t start = c->pos;
	int ch;
	char msg[64];
	while ((ch = peek(c)) >= 0 && printusascii(ch) && ch != '=' && ch != ']' && ch != '"')
		c->pos++;
	if (c->pos == start || c->pos - start > 32) {
		c->pos = start;
		snprintf(msg, sizeof msg, "bad %s", what);
		return fail(c, msg);
	}
	out->p = c->s + start;
	out->n = c->pos - start;
	return 0;
}

/* One PARAM-VALUE after its opening quote, up to and past the closing one;
 * *raw is the escaped text between the quotes. */
static int param_value(struct cur *c, struct audit_span *raw)
{
	size_t start = c->pos;
	for (;;) {
		int ch = peek(c);
		if (ch < 0)
			return fail(c, "PARAM-VALUE has no closing quote");
		if (ch == '\\' && c->pos + 1 < c->len) {
			c->pos += 2;
			continue;
		}
		if (ch == '"')
			break;
		if (ch == ']')
			return fail(c, "unescaped ']' in a PARAM-VALUE");
		c->pos++;
	}
	raw->p = c->s + start;
	raw->n = c->pos - start;
	c->pos++; /* the closing quote */
	return 0;
}

/* Callback per SD-PARAM: return non-zero to stop. */
typedef int (*param_fn)(const struct audit_span *id, const struct audit_span *name,
                        const struct audit_span *raw, void *ctx);

/* Walk the SD-ELEMENTs from c->pos; c->pos ends after the last ']'. */
static int sd_walk(struct cur *c, param_fn fn, void *ctx)
{
	if (peek(c) != '[')
		return fail(c, "STRUCTURED-DATA must be '-' or start with '['");
	while (peek(c) == '[') {
		struct audit_span id, name, raw;
		c->pos++;
		if (sd_name(c, &id, "SD-ID"))
			return -1;
		while (peek(c) == ' ') {
			c->pos++;
			if (sd_name(c, &name, "PARAM-NAME"))
				return -1;
			if (peek(c) != '=')
				return fail(c, "'=' must follow a PARAM-NAME");
			c->pos++;
			if (peek(c) != '"')
				return fail(c, "a PARAM-VALUE must be quoted");
			c->pos++;
			if (param_value(c, &raw))
				return -1;
			if (fn && fn(&id, &name, &raw, ctx))
				return 1;
		}
		if (peek(c) != ']')
			return fail(c, "an SD-ELEMENT must end with ']'");
		c->pos++;
	}
	return 0;
}

int audit_rfc5424_parse(const char *line, size_t len, struct audit_syslog_msg *m,
                        char *why, size_t whysz)
{
	struct cur c = { line, len, 0, why, whysz };

	memset(m, 0, sizeof *m);
	if (why && whysz)
		why[0] = '\0';
	if (!line)
		return fail(&c, "no line");
	if (c.len > 0 && line[c.len - 1] == '\n')
		c.len--;
	if (c.len > 0 && line[c.len - 1] == '\r')
		c.len--;
	if (header(&c, m))
		return -1;
	size_t sd_start = c.pos;
	if (peek(&c) == '-') {
		c.pos++;
	} else if (sd_walk(&c, NULL, NULL) != 0) {
		return -1;
	}
	m->sd.p = line + sd_start;
	m->sd.n = c.pos - sd_start;
	if (at_end(&c)) {
		m->msg.p = line + c.pos;
		m->msg.n = 0;
		return 0;
	}
	if (peek(&c) != ' ')
		return fail(&c, "a space must follow the STRUCTURED-DATA");
	c.pos++;
	m->msg.p = line + c.pos;
	m->msg.n = c.len - c.pos;
	return 0;
}

struct param_find {
	const char *id, *name;
	struct audit_span raw;
	int found;
};

static int span_is(const struct audit_span *s, const char *z)
{
	size_t n = strlen(z);
	return s->n == n && memcmp(s->p, z, n) == 0;
}

static int find_cb(const struct audit_span *id, const struct audit_span *name,
                   const struct audit_span *raw, void *ctx)
{
	struct param_find *f = ctx;
	if (!span_is(id, f->id) || !span_is(name, f->name))
		return 0;
	f->raw = *raw;
	f->found = 1;
	return 1;
}

int audit_rfc5424_param(const struct audit_syslog_msg *m, const char *sd_id,
                        const char *name, char *out, size_t outsz)
{
	struct param_find f = { sd_id, name, { NULL, 0 }, 0 };
	struct cur c = { m->sd.p, m->sd.n, 0, NULL, 0 };
	size_t o = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (!m->sd.p || m->sd.n == 0 || m->sd.p[0] != '[')
		return 0;
	sd_walk(&c, find_cb, &f);
	if (!f.found)
		return 0;
	for (size_t i = 0; i < f.raw.n; i++) {
		char ch = f.raw.p[i];
		/* only '"', '\' and ']' are escaped; any other backslash stays */
		if (ch == '\\' && i + 1 < f.raw.n &&
		    (f.raw.p[i + 1] == '"' || f.raw.p[i + 1] == '\\' || f.raw.p[i + 1] == ']'))
			ch = f.raw.p[++i];
		if (o + 1 >= outsz) {
			out[0] = '\0';
			return -1;
		}
		out[o++] = ch;
	}
	out[o] = '\0';
	return 1;
}

/* Does a line that did not parse still claim to be payops's? */
static int claims_payops(const char *line, size_t len)
{
	static const char id[] = "[" AUDIT_SD_ID;
	size_t il = sizeof id - 1;
	int field = 0;
	for (size_t i = 0; i + il <= len; i++)
		if (memcmp(line + i, id, il) == 0)
			return 1;
	/* the fourth header field (APP-NAME) */
	for (size_t i = 0; i < len; i++) {
		if (line[i] != ' ')
			continue;
		if (++field == 3)
			return len - i - 1 >= 7 && memcmp(line + i + 1, "payops ", 7) == 0;
	}
	return 0;
}

static int bad(char *why, size_t whysz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;
	if (why && whysz) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
	return AUDIT_LINE_BAD;
}

static int hex64(const char *s)
{
	size_t i;
	for (i = 0; s[i]; i++)
		if (!digit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return i == 64;
}

int audit_collected_parse(const char *line, size_t len, struct audit_collected *row,
                          char *why, size_t whysz)
{
	struct audit_syslog_msg m;
	char seq[24];
	static const struct { const char *name; size_t off, size; } text[] = {
		{ "kind", offsetof(struct audit_collected, kind), sizeof row->kind },
		{ "time", offsetof(struct audit_collected, time), sizeof row->time },
		{ "hash", offsetof(struct audit_collected, hash), sizeof row->hash },
		{ "prev_hash", offsetof(struct audit_collected, prev_hash), sizeof row->prev_hash },
	};

	memset(row, 0, sizeof *row);
	if (why && whysz)
		why[0] = '\0';
	if (!line)
		return AUDIT_LINE_OTHER;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 0)
		return AUDIT_LINE_OTHER;
	if (audit_rfc5424_parse(line, len, &m, why, whysz) != 0)
		return claims_payops(line, len) ? AUDIT_LINE_BAD : AUDIT_LINE_OTHER;
	if (!span_is(&m.app_name, "payops"))
		return AUDIT_LINE_OTHER;
	int r = audit_rfc5424_param(&m, AUDIT_SD_ID, "seq", seq, sizeof seq);
	if (r == 0)
		return bad(why, whysz, "no [%s] element with a seq", AUDIT_SD_ID);
	char *end = seq;
	int64_t v = 0;
	for (; *end && digit((unsigned char)*end) && v <= (INT64_MAX - 9) / 10; end++)
		v = v * 10 + (*end - '0');
	if (r < 0 || *end || end == seq || seq[0] == '0')
		return bad(why, whysz, "seq is not a positive number");
	row->seq = v;
	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
		char *dst = (char *)row + text[i].off;
		r = audit_rfc5424_param(&m, AUDIT_SD_ID, text[i].name, dst, text[i].size);
		if (r == 0)
			return bad(why, whysz, "no %s", text[i].name);
		if (r < 0)
			return bad(why, whysz, "%s too long", text[i].name);
	}
	if (strcmp(row->kind, "intent") != 0 && strcmp(row->kind, "outcome") != 0)
		return bad(why, whysz, "kind is neither intent nor outcome");
	if (!span_is(&m.msgid, row->kind))
		return bad(why, whysz, "MSGID differs from kind \"%s\"", row->kind);
	if (!hex64(row->hash))
		return bad(why, whysz, "hash is not 64 lowercase hex digits");
	if (!hex64(row->prev_hash))
		return bad(why, whysz, "prev_hash is not 64 lowercase hex digits");
	return AUDIT_LINE_ROW;
}
