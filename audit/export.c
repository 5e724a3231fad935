/* export.c - the log as JSON Lines or CSV (RFC 4180) for compliance. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"
#include "text/text.h"

struct field {
	const char *name;
	const char *text; /* NULL: integer */
	int64_t num;
};

static size_t row_fields(const struct audit_row *r, struct field f[22])
{
	size_t n = 0;
#define T(nm, v) f[n].name = nm, f[n].text = v, f[n].num = 0, n++
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

static int json_string(FILE *out, const char *s)
{
	char *c = text_utf8_scrub(s ? s : "", s ? strlen(s) : 0, NULL);
	if (!c)
		return -1;
	int ok = fputc('"', out) != EOF;
	for (const unsigned char *p = (const unsigned char *)c; ok && *p; p++) {
		switch (*p) {
		case '"': ok = fputs("\\\"", out) >= 0; break;
		case '\\': ok = fputs("\\\\", out) >= 0; break;
		case '\n': ok = fputs("\\n", out) >= 0; break;
		case '\r': ok = fputs("\\r", out) >= 0; break;
		case '\t': ok = fputs("\\t", out) >= 0; break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				ok = fprintf(out, "\\u%04x", *p) > 0;
			else
				ok = fputc(*p, out) != EOF;
		}
	}
	if (ok)
		ok = fputc('"', out) != EOF;
	free(c);
	return ok ? 0 : -1;
}

int audit_row_write_json(FILE *out, const struct audit_row *r)
{
	struct field f[22];
	size_t n = row_fields(r, f);
	if (fputc('{', out) == EOF)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (fprintf(out, "%s\"%s\":", i ? "," : "", f[i].name) < 0)
			return -1;
		if (f[i].text) {
			if (json_string(out, f[i].text))
				return -1;
		} else if (fprintf(out, "%" PRId64, f[i].num) < 0) {
			return -1;
		}
	}
	return fputs("}\n", out) >= 0 ? 0 : -1;
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
