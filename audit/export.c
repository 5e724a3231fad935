/* SPDX-License-Identifier: ISC (see COPYING) */
/* export.c - the log as JSON Lines or CSV (RFC 4180) for compliance. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit_int.h"
#include "text/text.h"

struct field {
	const char *name;
	const char *text; /* NULL: integer (a NULL string is "") */
	int64_t num;
};

static size_t row_fields(const struct audit_row *r, struct field f[22])
{
	size_t n = 0;
#define T(nm, v) f[n].name = nm, f[n].text = (v) ? (v) : "", f[n].num = 0, n++
#define I(nm, v) f[n].name = nm, f[n].text = NULL, f[n].num = v, n++
	I("seq", r->seq);
	T("time", r->time);
	T("kind", r->kind);
	I("intent_seq", r->intent_seq);
	T("operator", r->operator_id);
	T("local_user", r->local_user);
	T("host", r->host);
	T("site", r->site);
	T("action", r->action);
	T("target", r->target);
	T("interface", r->interface);
	T("state_before", r->state_before);
	T("state_after", r->state_after);
	T("reason", r->reason);
	T("ticket", r->ticket);
	T("idempotency_key", r->idempotency_key);
	T("request_id", r->request_id);
	T("outcome", r->outcome);
	T("code", r->code);
	T("detail", r->detail);
	T("prev_hash", r->prev_hash);
	T("hash", r->hash);
#undef T
#undef I
	return n;
}

/* One row as one line of JSON, by jansson: keys in the order of the CSV
 * header, integers bare, strings escaped by the encoder (quotes,
 * backslashes and control characters; UTF-8 as it is). Text that is not
 * valid UTF-8 is repaired first by text_utf8_scrub (U+FFFD per maximal bad
 * subpart, as everywhere in payops): jansson refuses it,
 * and an export must hold every row. */
int audit_row_write_json(FILE *out, const struct audit_row *r)
{
	struct field f[22];
	size_t n = row_fields(r, f);
	json_t *o = json_object();
	int rc = o ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *v;
		if (f[i].text) {
			char *c = text_utf8_scrub(f[i].text, strlen(f[i].text), NULL);
			v = c ? json_string(c) : NULL;
			free(c);
		} else {
			v = json_integer((json_int_t)f[i].num);
		}
		rc = json_object_set_new(o, f[i].name, v);
	}
	if (rc == 0)
		rc = json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (rc != 0)
		return -1;
	return fputc('\n', out) != EOF ? 0 : -1;
}

/* RFC 4180: quote when the field holds a comma, quote, CR or LF; double the
 * quotes.  Text is written as stored (evidence is not rewritten). */
static int csv_field(FILE *out, const char *s)
{
	char *c = text_utf8_scrub(s ? s : "", s ? strlen(s) : 0, NULL);
	int ok = 1;
	if (!c)
		return -1;
	if (strpbrk(c, ",\"\r\n")) {
		ok = fputc('"', out) != EOF;
		for (const char *p = c; ok && *p; p++) {
			if (*p == '"')
				ok = fputc('"', out) != EOF;
			if (ok)
				ok = fputc(*p, out) != EOF;
		}
		if (ok)
			ok = fputc('"', out) != EOF;
	} else {
		ok = fputs(c, out) >= 0;
	}
	free(c);
	return ok ? 0 : -1;
}

int audit_csv_header(FILE *out)
{
	struct audit_row r;
	struct field f[22];
	memset(&r, 0, sizeof r);
	size_t n = row_fields(&r, f);
	for (size_t i = 0; i < n; i++)
		if (fprintf(out, "%s%s", i ? "," : "", f[i].name) < 0)
			return -1;
	return fputs("\r\n", out) >= 0 ? 0 : -1;
}

int audit_row_write_csv(FILE *out, const struct audit_row *r)
{
	struct field f[22];
	size_t n = row_fields(r, f);
	for (size_t i = 0; i < n; i++) {
		if (i && fputc(',', out) == EOF)
			return -1;
		if (f[i].text) {
			if (csv_field(out, f[i].text))
				return -1;
		} else if (fprintf(out, "%" PRId64, f[i].num) < 0) {
			return -1;
		}
	}
	return fputs("\r\n", out) >= 0 ? 0 : -1;
}

struct export_ctx {
	FILE *out;
	enum audit_format fmt;
	int failed;
};

static int export_cb(const struct audit_row *r, void *p)
{
	struct export_ctx *x = p;
	int rc = x->fmt == AUDIT_CSV ? audit_row_write_csv(x->out, r)
	                             : audit_row_write_json(x->out, r);
	if (rc)
		x->failed = 1;
	return rc;
}

int audit_export(struct audit_log *log, FILE *out, enum audit_format fmt)
{
	struct export_ctx x = { out, fmt, 0 };
	sqlite3_stmt *st;
	struct audit_row r;
	int rc;

	if (fmt == AUDIT_CSV && audit_csv_header(out))
		return audit_seterr(log, AUDIT_ERR, "write failed");
	if (sqlite3_exec(log->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "begin");
	if (sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = audit_sqlerr(log, "prepare export");
		audit_rollback(log);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		audit_row_from_stmt(st, 0, &r);
		if (export_cb(&r, &x))
			break;
	}
	if (x.failed)
		rc = audit_seterr(log, AUDIT_ERR, "write failed");
	else if (rc != SQLITE_DONE)
		rc = audit_sqlerr(log, "read rows");
	else
		rc = 0;
	sqlite3_finalize(st);
	audit_rollback(log);
	if (rc == 0 && fflush(out) != 0)
		rc = audit_seterr(log, AUDIT_ERR, "write failed");
	return rc;
}
