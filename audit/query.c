/* SPDX-License-Identifier: ISC (see COPYING) */
/* query.c - reading the log: the Audit pane's filtered pages, single rows,
 * unresolved intents and the chain head. */
#include <stdlib.h>
#include <string.h>

#include "audit/audit_int.h"

static int run_rows(struct audit_log *log, sqlite3_stmt *st, audit_row_cb cb, void *ctx)
{
	struct audit_row r;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		audit_row_from_stmt(st, 0, &r);
		if (cb(&r, ctx))
			return 0;
	}
	if (rc != SQLITE_DONE)
		return audit_sqlerr(log, "read rows");
	return 0;
}

/* '%' + s with LIKE metacharacters escaped by '\' + '%'; caller frees. */
static char *like_pattern(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(2 * n + 3), *o = p;
	if (!p)
		return NULL;
	*o++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

int audit_query(struct audit_log *log, const struct audit_filter *f,
                audit_row_cb cb, void *ctx)
{
	static const struct audit_filter none;
	char sql[2048];
	size_t len = 0;
	char *pat = NULL;
	sqlite3_stmt *st;
	int rc, i = 1;

	if (!f)
		f = &none;
#define ADD(s) do { int n_ = snprintf(sql + len, sizeof sql - len, "%s", s); \
	if (n_ < 0 || (size_t)n_ >= sizeof sql - len) return audit_seterr(log, AUDIT_ERR, "query too long"); \
	len += (size_t)n_; } while (0)
	ADD("SELECT " AUDIT_COLUMNS " FROM audit_log WHERE 1");
	if (f->text && *f->text)
		ADD(" AND (operator||char(31)||local_user||char(31)||host||char(31)||site"
		    "||char(31)||action||char(31)||target||char(31)||interface"
		    "||char(31)||state_before||char(31)||state_after||char(31)||reason"
		    "||char(31)||ticket||char(31)||idempotency_key||char(31)||request_id"
		    "||char(31)||outcome||char(31)||code||char(31)||detail) LIKE ? ESCAPE '\\'");
	if (f->action && *f->action)
		ADD(" AND (action = ? OR substr(action, 1, length(?) + 1) = ? || '.')");
	if (f->target && *f->target)
		ADD(" AND target = ?");
	if (f->operator_id && *f->operator_id)
		ADD(" AND operator = ?");
	if (f->outcome && *f->outcome)
		ADD(" AND outcome = ?");
	if (f->kind && *f->kind)
		ADD(" AND kind = ?");
	ADD(" ORDER BY seq DESC LIMIT ? OFFSET ?");
#undef ADD
	if (sqlite3_prepare_v2(log->db, sql, -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "prepare query");
	if (f->text && *f->text) {
		pat = like_pattern(f->text);
		if (!pat) {
			sqlite3_finalize(st);
			return audit_seterr(log, AUDIT_ERR, "out of memory");
		}
		sqlite3_bind_text(st, i++, pat, -1, SQLITE_TRANSIENT);
	}
	if (f->action && *f->action) {
		sqlite3_bind_text(st, i++, f->action, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, i++, f->action, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, i++, f->action, -1, SQLITE_TRANSIENT);
	}
	if (f->target && *f->target)
		sqlite3_bind_text(st, i++, f->target, -1, SQLITE_TRANSIENT);
	if (f->operator_id && *f->operator_id)
		sqlite3_bind_text(st, i++, f->operator_id, -1, SQLITE_TRANSIENT);
	if (f->outcome && *f->outcome)
		sqlite3_bind_text(st, i++, f->outcome, -1, SQLITE_TRANSIENT);
	if (f->kind && *f->kind)
		sqlite3_bind_text(st, i++, f->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, i++, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(st, i++, f->offset > 0 ? f->offset : 0);
	free(pat);
	rc = run_rows(log, st, cb, ctx);
	sqlite3_finalize(st);
	return rc;
}

struct found {
	audit_row_cb cb;
	void *ctx;
	int n;
};

static int found_cb(const struct audit_row *r, void *ctx)
{
	struct found *f = ctx;
	f->n++;
	return f->cb(r, f->ctx);
}

int audit_get(struct audit_log *log, int64_t seq, audit_row_cb cb, void *ctx)
{
	sqlite3_stmt *st;
	struct found f = { cb, ctx, 0 };
	if (sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE seq = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "prepare get");
	sqlite3_bind_int64(st, 1, seq);
	int rc = run_rows(log, st, found_cb, &f);
	sqlite3_finalize(st);
	if (rc == 0 && f.n == 0)
		return audit_seterr(log, AUDIT_ENOTFOUND, "no row with seq %lld", (long long)seq);
	return rc;
}

int audit_unresolved(struct audit_log *log, audit_row_cb cb, void *ctx)
{
	sqlite3_stmt *st;
	/* The latest outcome of each intent decides: none, or "unknown". */
	static const char sql[] =
		"SELECT " AUDIT_COLUMNS " FROM audit_log i WHERE i.kind = 'intent' AND"
		" coalesce((SELECT o.outcome FROM audit_log o WHERE o.kind = 'outcome'"
		"  AND o.intent_seq = i.seq ORDER BY o.seq DESC LIMIT 1), 'unknown') = 'unknown'"
		" ORDER BY i.seq";
	if (sqlite3_prepare_v2(log->db, sql, -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "prepare unresolved");
	int rc = run_rows(log, st, cb, ctx);
	sqlite3_finalize(st);
	return rc;
}

int audit_head(struct audit_log *log, int64_t *count, int64_t *last_seq, char hash_out[65])
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(log->db,
	                       "SELECT (SELECT count(*) FROM audit_log), seq, hash"
	                       " FROM (SELECT 1) LEFT JOIN"
	                       " (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1)",
	                       -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "prepare head");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 2);
		if (count)
			*count = sqlite3_column_int64(st, 0);
		if (last_seq)
			*last_seq = sqlite3_column_int64(st, 1);
		if (hash_out)
			snprintf(hash_out, 65, "%s", h ? (const char *)h : "");
		rc = 0;
	} else {
		rc = audit_sqlerr(log, "read head");
	}
	sqlite3_finalize(st);
	return rc;
}
