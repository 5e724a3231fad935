/* cache/query.c: the big panes' paged, indexed queries, counts and sums
 * in SQL integers, and the recon summary read from the cache.
 *
 * Each query is built from fixed fragments with '?' placeholders; every
 * value is bound, never spliced into the text. */
#include "cache/cache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BINDS 48

typedef struct {
	char sql[2048];
	size_t len;
	bool where;
	bool overflow;
	struct { int is_text; int64_t i; double r; const char *s; } b[MAX_BINDS]; /* is_text: 0 int, 1 text, 2 real */
	int nb;
	char like[256]; /* the text filter as a LIKE pattern */
} qb;

static void qb_add(qb *q, const char *s)
{
	size_t n = strlen(s);
	if (q->len + n + 1 > sizeof q->sql) {
		q->overflow = true;
		return;
	}
	memcpy(q->sql + q->len, s, n + 1);
	q->len += n;
}

static void qb_int(qb *q, int64_t v)
{
	if (q->nb == MAX_BINDS) {
		q->overflow = true;
		return;
	}
	q->b[q->nb].is_text = 0;
	q->b[q->nb++].i = v;
}

static void qb_text(qb *q, const char *s)
{
	if (q->nb == MAX_BINDS) {
		q->overflow = true;
		return;
	}
	q->b[q->nb].is_text = 1;
	q->b[q->nb++].s = s;
}

static void qb_real(qb *q, double v)
{
	if (q->nb == MAX_BINDS) {
		q->overflow = true;
		return;
	}
	q->b[q->nb].is_text = 2;
	q->b[q->nb++].r = v;
}

static void qb_cond(qb *q, const char *cond)
{
	qb_add(q, q->where ? " AND " : " WHERE ");
	q->where = true;
	qb_add(q, cond);
}

/* "col IN (?, ?, ...)" for the bits set in mask (0: no condition). */
static void qb_mask(qb *q, const char *col, unsigned mask)
{
	if (!mask)
		return;
	qb_add(q, q->where ? " AND " : " WHERE ");
	q->where = true;
	qb_add(q, col);
	qb_add(q, " IN (");
	bool first = true;
	for (int v = 0; v < 32; v++) {
		if (!(mask & (1u << v)))
			continue;
		qb_add(q, first ? "?" : ", ?");
		qb_int(q, v);
		first = false;
	}
	qb_add(q, ")");
}

/* The text filter: "%text%" with LIKE's wildcards escaped. */
static const char *qb_like(qb *q, const char *text)
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

static sqlite3_stmt *qb_prepare(cache *c, qb *q)
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

static void qb_page(qb *q, size_t offset, size_t limit)
{
	qb_add(q, " LIMIT ? OFFSET ?");
	qb_int(q, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
	qb_int(q, offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset);
}

/* ---- rows: decode, deliver, step ---- */

/* Decode the JSON column of a row into out. */
typedef int (*decode_fn)(const json_t *, void *, api_err *);

static int decode_row(cache *c, sqlite3_stmt *st, int col, decode_fn dec, void *out)
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

/* Decode and deliver one row: -1 undecodable (skipped), 1 stop, 0 go on. */
typedef int (*row_fn)(cache *c, sqlite3_stmt *st, void *fn, void *ctx);

#define ROW_FNS(name, type, decode, free_fn, cb_type)                          \
	static int dec_##name(const json_t *j, void *o, api_err *e)             \
	{                                                                       \
		return decode(j, o, e);                                         \
	}                                                                       \
	static int row_##name(cache *c, sqlite3_stmt *st, void *fn, void *ctx)  \
	{                                                                       \
		type o = {0};                                                   \
		if (decode_row(c, st, 0, dec_##name, &o) != 0)                  \
			return -1;                                              \
		int stop = ((cb_type)fn)(ctx, &o);                              \
		free_fn(&o);                                                    \
		return stop ? 1 : 0;                                            \
	}

ROW_FNS(break, api_break, api_decode_break, api_break_free, cache_break_fn)
ROW_FNS(case, api_case, api_decode_case, api_case_free, cache_case_fn)
ROW_FNS(limit, api_limit, api_decode_limit, api_limit_free, cache_limit_fn)

/* What the queries of one collection need to know about it. */
typedef struct {
	const char *table;  /* "breaks" */
	const char *one;    /* "break", for messages */
	decode_fn dec;
	row_fn row;
	void (*where)(qb *q, const void *filter);
} kind_desc;

/* A sort as key columns then the rowid (keyset paging). */
typedef struct {
	const char *col;  /* column or expression */
	char type;        /* 'i' integer, 'r' real, 't' text */
	bool desc;
} key_col;

typedef struct {
	key_col k[3];
	int n;
	bool tie_desc;    /* rowid, the tie-breaker, descending */
} sort_spec;

/* A keyset page being read: the sort and the position it moves. */
typedef struct {
	const sort_spec *sp;
	int sort;
	cache_pos *pos;
} keyset;

/* Remember the row's sort key (columns 1..n, then the rowid) in pos. */
static void keyset_remember(sqlite3_stmt *st, const keyset *ks)
{
	const sort_spec *sp = ks->sp;
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
static long run_rows(cache *c, qb *q, row_fn row, void *fn, void *ctx,
		     const char *what, const keyset *ks)
{
	sqlite3_stmt *st = qb_prepare(c, q);
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
static long offset_query(cache *c, const kind_desc *k, const char *index, const void *f,
			 const char *order, size_t offset, size_t limit, void *fn, void *ctx)
{
	qb q = {0};
	qb_add(&q, "SELECT json FROM ");
	qb_add(&q, k->table);
	if (index)
		qb_add(&q, index);
	k->where(&q, f);
	qb_add(&q, order);
	qb_page(&q, offset, limit);
	char what[32];
	snprintf(what, sizeof what, "query %s", k->table);
	return run_rows(c, &q, k->row, fn, ctx, what, NULL);
}

/* Run a one-row "count, sum" query (NULL: that one is not wanted). */
static int count_sum(cache *c, qb *q, int64_t *n, int64_t *sum, const char *what)
{
	sqlite3_stmt *st = qb_prepare(c, q);
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
static int get_one(cache *c, const kind_desc *k, const char *id, void *out)
{
	char sql[64], what[32];
	snprintf(sql, sizeof sql, "SELECT json FROM %s WHERE id = ?1", k->table);
	snprintf(what, sizeof what, "get %s", k->one);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, what);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? decode_row(c, st, 0, k->dec, out) : rc == SQLITE_DONE ? 1 : -1;
	sqlite3_finalize(st);
	return r;
}

/* ---- breaks ---- */

static void break_where(qb *q, const void *filter)
{
	const cache_break_filter *f = filter;
	if (!f)
		return;
	if (f->recon_date && *f->recon_date) {
		qb_cond(q, "recon_date = ?");
		qb_text(q, f->recon_date);
	}
	if (f->channel_id && *f->channel_id) {
		qb_cond(q, "channel_id = ?");
		qb_text(q, f->channel_id);
	}
	qb_mask(q, "type", f->types);
	qb_mask(q, "status", f->statuses);
	qb_mask(q, "severity", f->severities);
	if (f->min_abs_difference > 0) {
		qb_cond(q, "abs_difference >= ?");
		qb_int(q, f->min_abs_difference);
	}
	if (f->text && *f->text) {
		const char *pat = qb_like(q, f->text);
		/* one column holds id, merchant, order no, channel serial and
		 * assignee, U+001F between them (a pattern has none) */
		qb_cond(q, "search LIKE ? ESCAPE '\\'");
		qb_text(q, pat);
	}
}

static const kind_desc BREAKS = { "breaks", "break", dec_break, row_break, break_where };

static const char *break_order(cache_break_sort s)
{
	switch (s) {
	case CACHE_BREAK_SORT_DETECTED: return " ORDER BY detected_at DESC, rowid DESC";
	case CACHE_BREAK_SORT_DIFFERENCE: return " ORDER BY abs_difference DESC, rowid DESC";
	case CACHE_BREAK_SORT_SEVERITY: return " ORDER BY severity DESC, detected_at DESC, rowid DESC";
	case CACHE_BREAK_SORT_RECON_DATE: return " ORDER BY recon_date DESC, detected_at DESC, rowid DESC";
	case CACHE_BREAK_SORT_CHANNEL: return " ORDER BY channel_id, detected_at DESC, rowid";
	case CACHE_BREAK_SORT_STATUS: return " ORDER BY status, detected_at DESC, rowid";
	case CACHE_BREAK_SORT_ID: break;
	}
	return " ORDER BY id";
}

static int64_t agg_estimate(cache *c, const cache_break_filter *f);

/* Which index a page of breaks reads. SQLite's planner picks the index of
 * the filter and sorts everything it matches, even when that is 400,000
 * rows for a page of 50 (measured: 0.5 to 2 s). When the summary says the
 * filter matches many rows, the sort's own index is read in order and the
 * filter checked row by row: 50 matches come within a few thousand. A
 * channel or text filter, or a rare match, is left to the planner. */
static const char *break_index(cache *c, const cache_break_filter *f, cache_break_sort sort)
{
	if (c->bulk[API_KIND_BREAK] ||
	    (f && ((f->channel_id && *f->channel_id) || (f->text && *f->text))))
		return NULL;
	bool filtered = f && ((f->recon_date && *f->recon_date) || f->types || f->statuses ||
			      f->severities || f->min_abs_difference > 0);
	if (!filtered || agg_estimate(c, f) < 2000)
		return NULL;
	bool by_date = f->recon_date && *f->recon_date;
	switch (sort) {
	case CACHE_BREAK_SORT_DETECTED:
		return by_date ? " INDEXED BY breaks_date_detected" : " INDEXED BY breaks_detected";
	case CACHE_BREAK_SORT_DIFFERENCE: return " INDEXED BY breaks_abs_difference";
	case CACHE_BREAK_SORT_SEVERITY: return " INDEXED BY breaks_severity";
	case CACHE_BREAK_SORT_RECON_DATE: return " INDEXED BY breaks_date_detected";
	case CACHE_BREAK_SORT_CHANNEL: return " INDEXED BY breaks_channel";
	case CACHE_BREAK_SORT_STATUS: return " INDEXED BY breaks_status";
	case CACHE_BREAK_SORT_ID: return " INDEXED BY sqlite_autoindex_breaks_1";
	}
	return NULL;
}

long cache_query_breaks(cache *c, const cache_break_filter *f, cache_break_sort sort,
			size_t offset, size_t limit, cache_break_fn fn, void *ctx)
{
	return offset_query(c, &BREAKS, break_index(c, f, sort), f, break_order(sort),
			    offset, limit, (void *)fn, ctx);
}

/* The summary bucket of |difference| v (see schema v4), with the bucket's
 * lower bound and the next bucket's. */
static int diff_bucket(int64_t v, int64_t *lo, int64_t *hi)
{
	int digits = 1;
	int64_t p = 1; /* 10^(digits-1) */
	while (v / p >= 10) {
		p *= 10;
		digits++;
	}
	int64_t lead = v / p;
	*lo = lead * p;
	*hi = lead == 9 && p > INT64_MAX / 10 ? INT64_MAX : (lead + 1) * p;
	return digits * 10 + (int)lead;
}

/* From the summary alone, X's whole bucket counted: at least the count. */
static int64_t agg_estimate(cache *c, const cache_break_filter *f)
{
	cache_break_filter g = *f;
	int64_t min = g.min_abs_difference, lo, hi, n = 0, s = 0;
	g.min_abs_difference = 0;
	g.channel_id = g.text = NULL;
	qb q = {0};
	qb_add(&q, "SELECT coalesce(sum(n), 0), 0 FROM breaks_agg");
	break_where(&q, &g);
	if (min > 0) {
		qb_cond(&q, "bucket >= ?");
		qb_int(&q, diff_bucket(min, &lo, &hi));
	}
	return count_sum(c, &q, &n, &s, "estimate") == 0 ? n : 0;
}

int cache_count_breaks(cache *c, const cache_break_filter *f, int64_t *count,
		       int64_t *sum)
{
	int64_t n = 0, s = 0;
	bool summary = !c->bulk[API_KIND_BREAK] &&
		       !(f && ((f->channel_id && *f->channel_id) || (f->text && *f->text)));
	if (!summary) {
		qb q = {0};
		/* total() would be a double: sum() of integers stays an integer,
		 * and SQLite reports an overflow instead of rounding */
		qb_add(&q, "SELECT count(*), coalesce(sum(difference_minor), 0) FROM breaks");
		break_where(&q, f);
		if (count_sum(c, &q, &n, &s, "count breaks") != 0)
			return -1;
	} else {
		cache_break_filter g = f ? *f : (cache_break_filter){0};
		int64_t min = g.min_abs_difference, lo = 0, hi = 0;
		g.min_abs_difference = 0;
		int bucket = min > 0 ? diff_bucket(min, &lo, &hi) : 0;
		qb q = {0};
		qb_add(&q, "SELECT coalesce(sum(n), 0), coalesce(sum(sum_difference), 0) FROM breaks_agg");
		break_where(&q, &g);
		if (min > 0) {
			/* whole buckets: X's own too when X is its lower bound */
			qb_cond(&q, min == lo ? "bucket >= ?" : "bucket > ?");
			qb_int(&q, bucket);
		}
		if (count_sum(c, &q, &n, &s, "count breaks") != 0)
			return -1;
		if (min > 0 && min != lo) {
			/* the rest of X's bucket, from the rows: an index range of
			 * one leading digit of one order of magnitude */
			qb r = {0};
			int64_t n2 = 0, s2 = 0;
			qb_add(&r, "SELECT count(*), coalesce(sum(difference_minor), 0)"
			       " FROM breaks INDEXED BY breaks_abs_difference");
			break_where(&r, &g);
			qb_cond(&r, "abs_difference >= ? AND abs_difference < ?");
			qb_int(&r, min);
			qb_int(&r, hi);
			if (count_sum(c, &r, &n2, &s2, "count breaks") != 0)
				return -1;
			n += n2;
			if (__builtin_add_overflow(s, s2, &s)) {
				snprintf(c->err, sizeof c->err, "count breaks: integer overflow");
				return -1;
			}
		}
	}
	if (count)
		*count = n;
	if (sum)
		*sum = s;
	return 0;
}

int cache_get_break(cache *c, const char *id, api_break *out)
{
	return get_one(c, &BREAKS, id, out);
}

/* ---- cases ---- */

static void case_where(qb *q, const void *filter)
{
	const cache_case_filter *f = filter;
	if (!f)
		return;
	qb_mask(q, "stage", f->stages);
	qb_mask(q, "risk_level", f->risks);
	if (f->assignee && !*f->assignee) {
		qb_cond(q, "assignee IS NULL");
	} else if (f->assignee) {
		qb_cond(q, "assignee = ?");
		qb_text(q, f->assignee);
	}
	if (f->text && *f->text) {
		const char *pat = qb_like(q, f->text);
		qb_cond(q, "(id LIKE ? ESCAPE '\\' OR merchant_id LIKE ? ESCAPE '\\'"
			" OR merchant_name LIKE ? ESCAPE '\\')");
		qb_text(q, pat);
		qb_text(q, pat);
		qb_text(q, pat);
	}
}


static const kind_desc CASES = { "cases", "case", dec_case, row_case, case_where };

static const char *case_order(cache_case_sort s)
{
	switch (s) {
	case CACHE_CASE_SORT_SLA: return " ORDER BY sla_due_at, rowid";
	case CACHE_CASE_SORT_RISK: return " ORDER BY risk_level DESC, sla_due_at, rowid";
	case CACHE_CASE_SORT_SUBMITTED: return " ORDER BY submitted_at DESC, rowid DESC";
	case CACHE_CASE_SORT_STAGE: return " ORDER BY stage, sla_due_at, rowid";
	case CACHE_CASE_SORT_ID: break;
	}
	return " ORDER BY id";
}

long cache_query_cases(cache *c, const cache_case_filter *f, cache_case_sort sort,
		       size_t offset, size_t limit, cache_case_fn fn, void *ctx)
{
	return offset_query(c, &CASES, NULL, f, case_order(sort), offset, limit, (void *)fn, ctx);
}

int cache_count_cases(cache *c, const cache_case_filter *f, time_t now,
		      int64_t *count, int64_t *breached)
{
	qb q = {0};
	qb_add(&q, "SELECT count(*), coalesce(sum(sla_due_at < ? AND stage NOT IN (?, ?)), 0) FROM cases");
	qb_int(&q, now);
	qb_int(&q, STAGE_APPROVED);
	qb_int(&q, STAGE_REJECTED);
	case_where(&q, f);
	return count_sum(c, &q, count, breached, "count cases");
}

int cache_get_case(cache *c, const char *id, api_case *out)
{
	return get_one(c, &CASES, id, out);
}

/* ---- limits ---- */

static void limit_where(qb *q, const void *filter)
{
	const cache_limit_filter *f = filter;
	if (!f)
		return;
	qb_mask(q, "scope", f->scopes);
	qb_mask(q, "state", f->states);
	if (f->text && *f->text) {
		const char *pat = qb_like(q, f->text);
		qb_cond(q, "(id LIKE ? ESCAPE '\\' OR scope_id LIKE ? ESCAPE '\\'"
			" OR name LIKE ? ESCAPE '\\')");
		qb_text(q, pat);
		qb_text(q, pat);
		qb_text(q, pat);
	}
}


static const kind_desc LIMITS = { "limits", "limit", dec_limit, row_limit, limit_where };

static const char *limit_order(cache_limit_sort s)
{
	switch (s) {
	case CACHE_LIMIT_SORT_HEADROOM: return " ORDER BY headroom, rowid";
	case CACHE_LIMIT_SORT_UTILISATION:
		return " ORDER BY CASE WHEN limit_minor > 0 THEN used_minor * 1.0 / limit_minor"
		       " ELSE 0 END DESC, rowid DESC";
	case CACHE_LIMIT_SORT_STATE: return " ORDER BY state DESC, headroom, rowid";
	case CACHE_LIMIT_SORT_ID: break;
	}
	return " ORDER BY id";
}

long cache_query_limits(cache *c, const cache_limit_filter *f, cache_limit_sort sort,
			size_t offset, size_t limit, cache_limit_fn fn, void *ctx)
{
	return offset_query(c, &LIMITS, NULL, f, limit_order(sort), offset, limit, (void *)fn, ctx);
}

int cache_count_limits(cache *c, const cache_limit_filter *f, int64_t *count,
		       int64_t *sum_headroom)
{
	qb q = {0};
	qb_add(&q, "SELECT count(*), coalesce(sum(headroom), 0) FROM limits");
	limit_where(&q, f);
	return count_sum(c, &q, count, sum_headroom, "count limits");
}

int cache_get_limit(cache *c, const char *id, api_limit *out)
{
	return get_one(c, &LIMITS, id, out);
}

/* ---- recon summary ---- */

/* The cached /recon/summary of a date, decoded, or a zeroed one. */
static void stored_summary(cache *c, const char *date, api_recon_summary *out)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT json FROM summaries WHERE date = ?1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *txt = (const char *)sqlite3_column_text(st, 0);
		json_t *root = NULL;
		api_err err = {{0}};
		if (txt && api_parse(txt, (size_t)sqlite3_column_bytes(st, 0), &root, &err) == 0)
			api_decode_recon_summary(root, out, &err);
		json_decref(root);
	}
	sqlite3_finalize(st);
}

static int latest_date(cache *c, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(c->db, "SELECT max(recon_date) FROM breaks", -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "latest recon date");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

int cache_recon_summary(cache *c, const char *date, api_recon_summary *out)
{
	memset(out, 0, sizeof *out);
	char day[32];
	if (date)
		snprintf(day, sizeof day, "%s", date);
	else if (latest_date(c, day, sizeof day) != 0)
		return -1;
	if (!(out->date = strdup(day)))
		return -1;
	api_recon_summary stored = {0};
	stored_summary(c, day, &stored);

	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT channel_id, count(*), coalesce(sum(status IN (?2, ?3, ?4)), 0),"
			       " coalesce(sum(difference_minor), 0), min(json_extract(json, '$.currency'))"
			       " FROM breaks WHERE recon_date = ?1 GROUP BY channel_id ORDER BY channel_id",
			       -1, &st, NULL) != SQLITE_OK) {
		api_recon_summary_free(&stored);
		api_recon_summary_free(out);
		return cache_fail(c, "recon summary");
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, BS_OPEN);
	sqlite3_bind_int(st, 3, BS_INVESTIGATING);
	sqlite3_bind_int(st, 4, BS_ESCALATED);
	int rc;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->n_channels == cap) {
			size_t nc = cap ? cap * 2 : 16;
			api_recon_channel *g = realloc(out->channels, nc * sizeof *g);
			if (!g) {
				rc = SQLITE_NOMEM;
				break;
			}
			out->channels = g;
			cap = nc;
		}
		api_recon_channel *rc_ch = &out->channels[out->n_channels];
		memset(rc_ch, 0, sizeof *rc_ch);
		const char *ch = (const char *)sqlite3_column_text(st, 0);
		const char *cur = (const char *)sqlite3_column_text(st, 4);
		rc_ch->channel_id = strdup(ch ? ch : "");
		rc_ch->break_count = sqlite3_column_int64(st, 1);
		rc_ch->open_count = sqlite3_column_int64(st, 2);
		rc_ch->net_difference_minor = sqlite3_column_int64(st, 3);
		snprintf(rc_ch->currency, sizeof rc_ch->currency, "%s", cur ? cur : "");
		rc_ch->file_status = FILE_UNKNOWN;
		rc_ch->matched_count = -1;
		const char *raw = "uncached";
		for (size_t i = 0; i < stored.n_channels; i++) {
			if (stored.channels[i].channel_id && ch &&
			    strcmp(stored.channels[i].channel_id, ch) == 0) {
				rc_ch->file_status = stored.channels[i].file_status;
				rc_ch->matched_count = stored.channels[i].matched_count;
				raw = stored.channels[i].file_status_raw ?
				      stored.channels[i].file_status_raw : raw;
				break;
			}
		}
		rc_ch->file_status_raw = strdup(raw);
		out->n_channels++;
		if (!rc_ch->channel_id || !rc_ch->file_status_raw) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	api_recon_summary_free(&stored);
	if (rc != SQLITE_DONE) {
		api_recon_summary_free(out);
		snprintf(c->err, sizeof c->err, "recon summary: %s",
			 rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

/* ---- keyset paging ---- */

#define K(c, t, d) { c, t, d }
#define UTIL "(CASE WHEN limit_minor > 0 THEN used_minor * 1.0 / limit_minor ELSE 0 END)"

/* Each must order exactly as the OFFSET queries' ORDER BY. */
static sort_spec break_spec(cache_break_sort s)
{
	switch (s) {
	case CACHE_BREAK_SORT_DETECTED: return (sort_spec){ { K("detected_at", 'i', true) }, 1, true };
	case CACHE_BREAK_SORT_DIFFERENCE: return (sort_spec){ { K("abs_difference", 'i', true) }, 1, true };
	case CACHE_BREAK_SORT_SEVERITY:
		return (sort_spec){ { K("severity", 'i', true), K("detected_at", 'i', true) }, 2, true };
	case CACHE_BREAK_SORT_RECON_DATE:
		return (sort_spec){ { K("recon_date", 't', true), K("detected_at", 'i', true) }, 2, true };
	case CACHE_BREAK_SORT_CHANNEL:
		return (sort_spec){ { K("channel_id", 't', false), K("detected_at", 'i', true) }, 2, false };
	case CACHE_BREAK_SORT_STATUS:
		return (sort_spec){ { K("status", 'i', false), K("detected_at", 'i', true) }, 2, false };
	case CACHE_BREAK_SORT_ID: break;
	}
	return (sort_spec){ { K("id", 't', false) }, 1, false };
}

static sort_spec case_spec(cache_case_sort s)
{
	switch (s) {
	case CACHE_CASE_SORT_SLA: return (sort_spec){ { K("sla_due_at", 'i', false) }, 1, false };
	case CACHE_CASE_SORT_RISK:
		return (sort_spec){ { K("risk_level", 'i', true), K("sla_due_at", 'i', false) }, 2, false };
	case CACHE_CASE_SORT_SUBMITTED: return (sort_spec){ { K("submitted_at", 'i', true) }, 1, true };
	case CACHE_CASE_SORT_STAGE:
		return (sort_spec){ { K("stage", 'i', false), K("sla_due_at", 'i', false) }, 2, false };
	case CACHE_CASE_SORT_ID: break;
	}
	return (sort_spec){ { K("id", 't', false) }, 1, false };
}

static sort_spec limit_spec(cache_limit_sort s)
{
	switch (s) {
	case CACHE_LIMIT_SORT_HEADROOM: return (sort_spec){ { K("headroom", 'i', false) }, 1, false };
	case CACHE_LIMIT_SORT_UTILISATION: return (sort_spec){ { K(UTIL, 'r', true) }, 1, true };
	case CACHE_LIMIT_SORT_STATE:
		return (sort_spec){ { K("state", 'i', true), K("headroom", 'i', false) }, 2, false };
	case CACHE_LIMIT_SORT_ID: break;
	}
	return (sort_spec){ { K("id", 't', false) }, 1, false };
}

static void qb_key(qb *q, const sort_spec *sp, int i, const cache_pos *pos)
{
	switch (sp->k[i].type) {
	case 'i': qb_int(q, pos->k[i].i); break;
	case 't': qb_text(q, pos->k[i].t); break;
	default: qb_real(q, pos->k[i].r); break;
	}
}


/* "after pos" for keys i..n then the rowid: k_i <=/>= ? AND (k_i </> ? OR (...)).
 * The outer non-strict bound lets the index range-scan from the position. */
static void keyset_cond(qb *q, const sort_spec *sp, int i, const cache_pos *pos)
{
	if (i == sp->n) {
		qb_add(q, sp->tie_desc ? "rowid < ?" : "rowid > ?");
		qb_int(q, pos->rowid);
		return;
	}
	const char *col = sp->k[i].col;
	qb_add(q, col);
	qb_add(q, sp->k[i].desc ? " <= ? AND (" : " >= ? AND (");
	qb_key(q, sp, i, pos);
	qb_add(q, col);
	qb_add(q, sp->k[i].desc ? " < ? OR (" : " > ? OR (");
	qb_key(q, sp, i, pos);
	keyset_cond(q, sp, i + 1, pos);
	qb_add(q, "))");
}

static void spec_order(qb *q, const sort_spec *sp)
{
	qb_add(q, " ORDER BY ");
	for (int i = 0; i < sp->n; i++) {
		qb_add(q, sp->k[i].col);
		qb_add(q, sp->k[i].desc ? " DESC, " : ", ");
	}
	qb_add(q, sp->tie_desc ? "rowid DESC" : "rowid");
}

/* SELECT json, keys..., rowid FROM table [filter] [after pos] ORDER BY keys, rowid
 * LIMIT n; remembers the last delivered row's key in pos. */
static long keyset_query(cache *c, const kind_desc *k, const char *index, int sort,
			 const sort_spec *sp, const void *f,
			 cache_pos *pos, size_t limit, void *fn, void *ctx)
{
	if (pos->set && pos->sort != sort) {
		snprintf(c->err, sizeof c->err, "keyset position of another sort");
		return -1;
	}
	/* the binds point into this copy: pos itself moves as rows come */
	cache_pos from = *pos;
	qb q = {0};
	qb_add(&q, "SELECT json");
	for (int i = 0; i < sp->n; i++) {
		qb_add(&q, ", ");
		qb_add(&q, sp->k[i].col);
	}
	qb_add(&q, ", rowid FROM ");
	qb_add(&q, k->table);
	if (index)
		qb_add(&q, index);
	k->where(&q, f);
	if (pos->set) {
		qb_add(&q, q.where ? " AND (" : " WHERE (");
		q.where = true;
		keyset_cond(&q, sp, 0, &from);
		qb_add(&q, ")");
	}
	spec_order(&q, sp);
	qb_add(&q, " LIMIT ?");
	qb_int(&q, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
	keyset ks = { sp, sort, pos };
	return run_rows(c, &q, k->row, fn, ctx, "keyset query", &ks);
}

long cache_query_breaks_after(cache *c, const cache_break_filter *f, cache_break_sort sort,
			      cache_pos *pos, size_t limit, cache_break_fn fn, void *ctx)
{
	sort_spec sp = break_spec(sort);
	return keyset_query(c, &BREAKS, break_index(c, f, sort), (int)sort, &sp, f, pos, limit,
			    (void *)fn, ctx);
}

long cache_query_cases_after(cache *c, const cache_case_filter *f, cache_case_sort sort,
			     cache_pos *pos, size_t limit, cache_case_fn fn, void *ctx)
{
	sort_spec sp = case_spec(sort);
	return keyset_query(c, &CASES, NULL, (int)sort, &sp, f, pos, limit, (void *)fn, ctx);
}

long cache_query_limits_after(cache *c, const cache_limit_filter *f, cache_limit_sort sort,
			      cache_pos *pos, size_t limit, cache_limit_fn fn, void *ctx)
{
	sort_spec sp = limit_spec(sort);
	return keyset_query(c, &LIMITS, NULL, (int)sort, &sp, f, pos, limit, (void *)fn, ctx);
}
