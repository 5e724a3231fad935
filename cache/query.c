/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/query.c: how the big panes' queries are built and run: the
 * builder (fixed fragments, every value bound), rows decoded and handed
 * over, pages by offset and by keyset, one-row counts and sums, one object
 * by id. What is asked of each collection is in its own file
 * (cache/query_breaks.c, query_cases.c, query_limits.c). */
#include "cache/query_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the builder ---- */

void cache_qb_add(cache_qb *q, const char *s)
{
	size_t n = strlen(s);
	if (q->len + n + 1 > sizeof q->sql) {
		q->overflow = true;
		return;
	}
	memcpy(q->sql + q->len, s, n + 1);
	q->len += n;
}

void cache_qb_int(cache_qb *q, int64_t v)
{
	if (q->nb == CACHE_QB_BINDS) {
		q->overflow = true;
		return;
	}
	q->b[q->nb].is_text = 0;
	q->b[q->nb++].i = v;
}

void cache_qb_text(cache_qb *q, const char *s)
{
	if (q->nb == CACHE_QB_BINDS) {
		q->overflow = true;
		return;
	}
	q->b[q->nb].is_text = 1;
	q->b[q->nb++].s = s;
}

void cache_qb_real(cache_qb *q, double v)
{
	if (q->nb == CACHE_QB_BINDS) {
		q->overflow = true;
		return;
	}
	q->b[q->nb].is_text = 2;
	q->b[q->nb++].r = v;
}

void cache_qb_cond(cache_qb *q, const char *cond)
{
	cache_qb_add(q, q->where ? " AND " : " WHERE ");
	q->where = true;
	cache_qb_add(q, cond);
}

void cache_qb_mask(cache_qb *q, const char *col, unsigned mask)
{
	if (!mask)
		return;
	cache_qb_add(q, q->where ? " AND " : " WHERE ");
	q->where = true;
	cache_qb_add(q, col);
	cache_qb_add(q, " IN (");
	bool first = true;
	for (int v = 0; v < 32; v++) {
		if (!(mask & (1u << v)))
			continue;
		cache_qb_add(q, first ? "?" : ", ?");
		cache_qb_int(q, v);
		first = false;
	}
	cache_qb_add(q, ")");
}

/* The text filter: "%text%" with LIKE's wildcards escaped. */
const char *cache_qb_like(cache_qb *q, const char *text)
{
	size_t o = 0;
	q->like[o++] = '%';
	for (const char *p = text; *p && o + 3 < sizeof q->like; p++) {
		if ((unsigned char)*p < 0x20)
			continue; /* no field separator: a match stays in one field */
		if (*p == '%' || *p == '_' || *p == '\\')
			q->like[o++] = '\\';
		q->like[o++] = *p;
	}
	q->like[o++] = '%';
	q->like[o] = '\0';
	return q->like;
}

/* The text filter: the column `search` holds the fields joined by U+001F.
 * Where the trigram index serves it (cache_text_plan), the index names the
 * candidates (rows with a few of the text's trigrams) and the LIKE keeps
 * exactly the matches. */
void cache_qb_search(cache_qb *q, const char *text)
{
	const char *pat = cache_qb_like(q, text);
	if (q->fts) {
		char cond[96];
		snprintf(cond, sizeof cond, "rowid IN (SELECT rowid FROM %s WHERE %s MATCH ?)",
			 q->fts, q->fts);
		cache_qb_cond(q, cond);
		cache_qb_text(q, q->ftsmatch);
	}
	cache_qb_cond(q, "search LIKE ? ESCAPE '\\'");
	cache_qb_text(q, pat);
}

sqlite3_stmt *cache_qb_prepare(cache *c, cache_qb *q)
{
	if (q->overflow) {
		snprintf(c->err, sizeof c->err, "query too long");
		return NULL;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, q->sql, (int)q->len, &st, NULL) != SQLITE_OK) {
		cache_fail(c, "query");
		return NULL;
	}
	for (int i = 0; i < q->nb; i++) {
		if (q->b[i].is_text == 2)
			sqlite3_bind_double(st, i + 1, q->b[i].r);
		else if (q->b[i].is_text)
			sqlite3_bind_text(st, i + 1, q->b[i].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, i + 1, q->b[i].i);
	}
	return st;
}

void cache_qb_page(cache_qb *q, size_t offset, size_t limit)
{
	cache_qb_add(q, " LIMIT ? OFFSET ?");
	cache_qb_int(q, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
	cache_qb_int(q, offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset);
}

/* ---- rows: decode, deliver, step ---- */

int cache_decode_row(cache *c, sqlite3_stmt *st, int col, cache_decode_fn dec, void *out)
{
	const char *txt = (const char *)sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);
	json_t *root = NULL;
	api_err err = {{0}};
	if (!txt || api_parse(txt, (size_t)n, &root, &err) != 0 || dec(root, out, &err) != 0) {
		json_decref(root);
		snprintf(c->err, sizeof c->err, "cached row: %s", err.msg);
		return -1;
	}
	json_decref(root);
	return 0;
}

/* ---- pages, counts, one object ---- */

/* A keyset page being read: the sort and the position it moves. */
typedef struct {
	const cache_sort_spec *sp;
	int sort;
	cache_pos *pos;
} keyset;

/* Remember the row's sort key (columns 1..n, then the rowid) in pos. */
static void keyset_remember(sqlite3_stmt *st, const keyset *ks)
{
	const cache_sort_spec *sp = ks->sp;
	cache_pos *pos = ks->pos;
	pos->set = true;
	pos->sort = ks->sort;
	for (int i = 0; i < sp->n; i++) {
		if (sp->k[i].type == 'i') {
			pos->k[i].i = sqlite3_column_int64(st, 1 + i);
		} else if (sp->k[i].type == 'r') {
			pos->k[i].r = sqlite3_column_double(st, 1 + i);
		} else {
			const unsigned char *t = sqlite3_column_text(st, 1 + i);
			snprintf(pos->k[i].t, sizeof pos->k[i].t, "%s", t ? (const char *)t : "");
		}
	}
	pos->rowid = sqlite3_column_int64(st, 1 + sp->n);
}

/* Prepare q and deliver its rows (json in column 0) through row; a row we
 * cannot read is skipped, not fatal. With a keyset, the position moves past
 * every row read, even one that no longer decodes, so a bad row cannot
 * stall the pager. Returns the number of rows delivered, or -1. */
static long run_rows(cache *c, cache_qb *q, cache_row_fn row, void *fn, void *ctx,
		     const char *what, const keyset *ks)
{
	sqlite3_stmt *st = cache_qb_prepare(c, q);
	if (!st)
		return -1;
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ks)
			keyset_remember(st, ks);
		int r = row(c, st, fn, ctx);
		if (r < 0)
			continue;
		n++;
		if (r > 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		n = cache_fail(c, what);
	sqlite3_finalize(st);
	return n;
}

/* SELECT json FROM table [index] [filter] order LIMIT ? OFFSET ? */
long cache_offset_query(cache *c, const cache_kind_desc *k, int sort, const void *f,
			const char *order, size_t offset, size_t limit, void *fn, void *ctx)
{
	cache_qb q = {0};
	int text = cache_text_plan(c, k, f, &q);
	const char *index = k->index ? k->index(c, f, sort, text) : NULL;
	cache_qb_add(&q, "SELECT json FROM ");
	cache_qb_add(&q, k->table);
	if (index)
		cache_qb_add(&q, index);
	k->where(&q, f);
	cache_qb_add(&q, order);
	cache_qb_page(&q, offset, limit);
	char what[32];
	snprintf(what, sizeof what, "query %s", k->table);
	return run_rows(c, &q, k->row, fn, ctx, what, NULL);
}

/* Run a one-row "count, sum" query (NULL: that one is not wanted). */
int cache_count_sum(cache *c, cache_qb *q, int64_t *n, int64_t *sum, const char *what)
{
	sqlite3_stmt *st = cache_qb_prepare(c, q);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (n)
			*n = sqlite3_column_int64(st, 0);
		if (sum)
			*sum = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cache_fail(c, what);
}

/* One object by id: 0 found, 1 not cached, -1 error. */
int cache_get_one(cache *c, const cache_kind_desc *k, const char *id, void *out)
{
	char sql[64], what[32];
	snprintf(sql, sizeof sql, "SELECT json FROM %s WHERE id = ?1", k->table);
	snprintf(what, sizeof what, "get %s", k->one);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, what);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? cache_decode_row(c, st, 0, k->dec, out) : rc == SQLITE_DONE ? 1 : -1;
	sqlite3_finalize(st);
	return r;
}

/* Whether a filter matches many rows: its matches counted up to
 * WALK_MIN. SQLite's planner reads the filter's index and sorts all it
 * matches, even 90,000 rows for a page of 50 (measured: 270 ms for the
 * unassigned cases by submission); when there are many, the sort's own
 * index read in order meets 50 of them within a few hundred rows. Each
 * row so read is a lookup, so the walk pays only from about 10,000
 * matches (measured at 100,000 cases: 2,300 matches sorted took 20 ms,
 * walked 80). */
#define WALK_MIN 10000

bool cache_filter_dense(cache *c, const cache_kind_desc *k, const void *f, int text)
{
	if (!f || text == CACHE_TEXT_RARE || c->bulk[k->kind])
		return false;
	cache_qb q = {0};
	cache_qb_add(&q, "SELECT count(*), 0 FROM (SELECT 1 FROM ");
	cache_qb_add(&q, k->table);
	k->where(&q, f);
	if (!q.where)
		return false; /* no filter: the planner reads the sort's index */
	cache_qb_add(&q, " LIMIT ?)");
	cache_qb_int(&q, WALK_MIN);
	int64_t n = 0;
	return cache_count_sum(c, &q, &n, NULL, "estimate") == 0 && n >= WALK_MIN;
}

/* ---- keyset paging ---- */

static void qb_key(cache_qb *q, const cache_sort_spec *sp, int i, const cache_pos *pos)
{
	switch (sp->k[i].type) {
	case 'i': cache_qb_int(q, pos->k[i].i); break;
	case 't': cache_qb_text(q, pos->k[i].t); break;
	default: cache_qb_real(q, pos->k[i].r); break;
	}
}

/* "after pos" for keys i..n then the rowid: k_i <=/>= ? AND (k_i </> ? OR (...)).
 * The outer non-strict bound lets the index range-scan from the position. */
static void keyset_cond(cache_qb *q, const cache_sort_spec *sp, int i, const cache_pos *pos)
{
	if (i == sp->n) {
		cache_qb_add(q, sp->tie_desc ? "rowid < ?" : "rowid > ?");
		cache_qb_int(q, pos->rowid);
		return;
	}
	const char *col = sp->k[i].col;
	cache_qb_add(q, col);
	cache_qb_add(q, sp->k[i].desc ? " <= ? AND (" : " >= ? AND (");
	qb_key(q, sp, i, pos);
	cache_qb_add(q, col);
	cache_qb_add(q, sp->k[i].desc ? " < ? OR (" : " > ? OR (");
	qb_key(q, sp, i, pos);
	keyset_cond(q, sp, i + 1, pos);
	cache_qb_add(q, "))");
}

static void spec_order(cache_qb *q, const cache_sort_spec *sp)
{
	cache_qb_add(q, " ORDER BY ");
	for (int i = 0; i < sp->n; i++) {
		cache_qb_add(q, sp->k[i].col);
		cache_qb_add(q, sp->k[i].desc ? " DESC, " : ", ");
	}
	cache_qb_add(q, sp->tie_desc ? "rowid DESC" : "rowid");
}

/* SELECT json, keys..., rowid FROM table [filter] [after pos] ORDER BY keys, rowid
 * LIMIT n; remembers the last delivered row's key in pos. */
long cache_keyset_query(cache *c, const cache_kind_desc *k, int sort,
			const cache_sort_spec *sp, const void *f,
			cache_pos *pos, size_t limit, void *fn, void *ctx)
{
	if (pos->set && pos->sort != sort) {
		snprintf(c->err, sizeof c->err, "keyset position of another sort");
		return -1;
	}
	/* the binds point into this copy: pos itself moves as rows come */
	cache_pos from = *pos;
	cache_qb q = {0};
	int text = cache_text_plan(c, k, f, &q);
	const char *index = k->index ? k->index(c, f, sort, text) : NULL;
	cache_qb_add(&q, "SELECT json");
	for (int i = 0; i < sp->n; i++) {
		cache_qb_add(&q, ", ");
		cache_qb_add(&q, sp->k[i].col);
	}
	cache_qb_add(&q, ", rowid FROM ");
	cache_qb_add(&q, k->table);
	if (index)
		cache_qb_add(&q, index);
	k->where(&q, f);
	if (pos->set) {
		cache_qb_add(&q, q.where ? " AND (" : " WHERE (");
		q.where = true;
		keyset_cond(&q, sp, 0, &from);
		cache_qb_add(&q, ")");
	}
	spec_order(&q, sp);
	cache_qb_add(&q, " LIMIT ?");
	cache_qb_int(&q, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
	keyset ks = { sp, sort, pos };
	return run_rows(c, &q, k->row, fn, ctx, "keyset query", &ks);
}
