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
	char ftsmatch[256]; /* the trigram index's query for it (text_plan) */
	const char *fts;   /* the trigram index that serves the text filter, or NULL */
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

/* The text filter: the column `search` holds the fields joined by U+001F.
 * Where the trigram index serves it (text_plan), the index names the
 * candidates (rows with a few of the text's trigrams) and the LIKE keeps
 * exactly the matches. */
static void qb_search(qb *q, const char *text)
{
	const char *pat = qb_like(q, text);
	if (q->fts) {
		char cond[96];
		snprintf(cond, sizeof cond, "rowid IN (SELECT rowid FROM %s WHERE %s MATCH ?)",
			 q->fts, q->fts);
		qb_cond(q, cond);
		qb_text(q, q->ftsmatch);
	}
	qb_cond(q, "search LIKE ? ESCAPE '\\'");
	qb_text(q, pat);
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
	api_kind kind;
	const char *fts;    /* its trigram index over `search` */
	decode_fn dec;
	row_fn row;
	void (*where)(qb *q, const void *filter);
	const char *(*text)(const void *filter); /* the text filter, or NULL */
	/* " INDEXED BY x" for a page under sort, or NULL: the planner's */
	const char *(*index)(cache *c, const void *filter, int sort, int text);
} kind_desc;

/* How a text filter is answered. The trigram index finds a rare string
 * (an order number, a merchant id) among a million rows in milliseconds;
 * a common one ("op.", the start of every assignee) names hundreds of
 * thousands of candidates, each to be read and checked, and reading the
 * sort's own index row by row finds a page of those sooner.
 *
 * Asking the index for LIKE '%x%' itself reads the whole list of every
 * trigram in x, and in an order number most are in every row ("P20",
 * "202", "026"): 80 ms at a million for one row found. So each trigram's
 * list is counted up to TEXT_COMMON_MIN entries (a bounded read), and the
 * index is asked only for the rarest few, ANDed: their lists are short,
 * the candidates fewer than the rarest's count, and the LIKE that follows
 * keeps exactly the matches. When even the rarest trigram is common, so
 * is the text. The index is not used while a bulk load has it out of step
 * (cache/bulk.c), nor for a text shorter than three characters.
 * Returns TEXT_RARE with q->fts and q->ftsmatch set, or TEXT_NONE or
 * TEXT_COMMON. */
enum { TEXT_NONE, TEXT_RARE, TEXT_COMMON };
#define TEXT_COMMON_MIN 20000
#define TEXT_PROBES 24  /* trigrams counted at most, spread over the text */
#define TEXT_ANDED 3    /* the rarest, asked of the index together */

/* The byte length of the UTF-8 character at p (1 for a stray byte). */
static size_t u8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* How many rows hold trigram t (len bytes), counted up to the cap. */
static int64_t trigram_rows(sqlite3_stmt *st, const char *t, size_t len)
{
	char term[32];
	size_t o = 0;
	term[o++] = '"';
	for (size_t i = 0; i < len && o + 3 < sizeof term; i++) {
		if (t[i] == '"')
			term[o++] = '"'; /* a quote inside a string is doubled */
		term[o++] = t[i];
	}
	term[o++] = '"';
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, term, (int)o, SQLITE_TRANSIENT);
	return sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : TEXT_COMMON_MIN;
}

static int text_probe(cache *c, const kind_desc *k, const char *text, qb *q)
{
	/* the text as the LIKE sees it: no control characters */
	char clean[256];
	size_t cl = 0, starts[256], nch = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && cl + 4 < sizeof clean;) {
		size_t n = u8_len(p);
		if (*p >= 0x20) {
			starts[nch++] = cl;
			memcpy(clean + cl, p, n);
			cl += n;
		}
		p += n;
	}
	clean[cl] = '\0';
	if (nch < 3)
		return TEXT_COMMON;
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s MATCH ?1 LIMIT %d)",
		 k->fts, k->fts, TEXT_COMMON_MIN);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return TEXT_COMMON;
	size_t ntri = nch - 2, step = ntri > TEXT_PROBES ? (ntri + TEXT_PROBES - 1) / TEXT_PROBES : 1;
	struct { size_t at, len; int64_t rows; } best[TEXT_ANDED];
	int nb = 0;
	for (size_t i = 0; i < ntri; i += step) {
		size_t at = starts[i], len = (i + 3 < nch ? starts[i + 3] : cl) - at;
		bool seen = false;
		for (int b = 0; b < nb; b++)
			seen |= best[b].len == len && memcmp(clean + best[b].at, clean + at, len) == 0;
		if (seen)
			continue;
		int64_t rows = trigram_rows(st, clean + at, len);
		/* keep the TEXT_ANDED rarest, rarest first */
		int pos = nb;
		while (pos > 0 && best[pos - 1].rows > rows)
			pos--;
		if (pos >= TEXT_ANDED)
			continue;
		if (nb < TEXT_ANDED)
			nb++;
		memmove(&best[pos + 1], &best[pos], (size_t)(nb - 1 - pos) * sizeof best[0]);
		best[pos].at = at;
		best[pos].len = len;
		best[pos].rows = rows;
	}
	sqlite3_finalize(st);
	if (nb == 0 || best[0].rows >= TEXT_COMMON_MIN)
		return TEXT_COMMON;
	size_t o = 0;
	for (int b = 0; b < nb && best[b].rows < TEXT_COMMON_MIN; b++) {
		if (b > 0 && o + 5 < sizeof q->ftsmatch) {
			memcpy(q->ftsmatch + o, " AND ", 5);
			o += 5;
		}
		if (o + 2 * best[b].len + 3 >= sizeof q->ftsmatch)
			break;
		q->ftsmatch[o++] = '"';
		for (size_t i = 0; i < best[b].len; i++) {
			if (clean[best[b].at + i] == '"')
				q->ftsmatch[o++] = '"';
			q->ftsmatch[o++] = clean[best[b].at + i];
		}
		q->ftsmatch[o++] = '"';
	}
	q->ftsmatch[o] = '\0';
	q->fts = k->fts;
	return TEXT_RARE;
}

/* text_probe, remembered for the last text asked: a pane's reload asks
 * for the count and then a page of the same filter, and the probes (one
 * index read per trigram) are the same both times. Which way a text is
 * answered only decides speed, never the rows, so the answer may be kept
 * while the data moves on. */
static int text_plan(cache *c, const kind_desc *k, const void *f, qb *q)
{
	const char *text = f && k->text ? k->text(f) : NULL;
	if (!text || !*text)
		return TEXT_NONE;
	if (c->bulk[k->kind])
		return TEXT_COMMON;
	cache_text_memo *m = &c->text_memo;
	size_t len = strlen(text);
	if (m->kind == (int)k->kind && len < sizeof m->text && strcmp(m->text, text) == 0) {
		if (m->plan == TEXT_RARE) {
			snprintf(q->ftsmatch, sizeof q->ftsmatch, "%s", m->match);
			q->fts = k->fts;
		}
		return m->plan;
	}
	int plan = text_probe(c, k, text, q);
	if (len < sizeof m->text) {
		m->kind = (int)k->kind;
		memcpy(m->text, text, len + 1);
		m->plan = plan;
		snprintf(m->match, sizeof m->match, "%s", plan == TEXT_RARE ? q->ftsmatch : "");
	}
	return plan;
}

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
static long offset_query(cache *c, const kind_desc *k, int sort, const void *f,
			 const char *order, size_t offset, size_t limit, void *fn, void *ctx)
{
	qb q = {0};
	int text = text_plan(c, k, f, &q);
	const char *index = k->index ? k->index(c, f, sort, text) : NULL;
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

/* Whether a filter matches many rows: its matches counted up to
 * WALK_MIN. SQLite's planner reads the filter's index and sorts all it
 * matches, even 90,000 rows for a page of 50 (measured: 270 ms for the
 * unassigned cases by submission); when there are many, the sort's own
 * index read in order meets 50 of them within a few hundred rows. Each
 * row so read is a lookup, so the walk pays only from about 10,000
 * matches (measured at 100,000 cases: 2,300 matches sorted took 20 ms,
 * walked 80). */
#define DENSE_MIN 2000   /* breaks: the summary's estimate */
#define WALK_MIN 10000

static bool filter_dense(cache *c, const kind_desc *k, const void *f, int text)
{
	if (!f || text == TEXT_RARE || c->bulk[k->kind])
		return false;
	qb q = {0};
	qb_add(&q, "SELECT count(*), 0 FROM (SELECT 1 FROM ");
	qb_add(&q, k->table);
	k->where(&q, f);
	if (!q.where)
		return false; /* no filter: the planner reads the sort's index */
	qb_add(&q, " LIMIT ?)");
	qb_int(&q, WALK_MIN);
	int64_t n = 0;
	return count_sum(c, &q, &n, NULL, "estimate") == 0 && n >= WALK_MIN;
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
	/* id, merchant, order no, channel serial and assignee */
	if (f->text && *f->text)
		qb_search(q, f->text);
}

static const char *break_text(const void *f)
{
	return ((const cache_break_filter *)f)->text;
}

static const char *break_index(cache *c, const void *filter, int sort, int text);

static const kind_desc BREAKS = { "breaks", "break", API_KIND_BREAK, "breaks_fts",
				  dec_break, row_break, break_where, break_text, break_index };

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
#define DIFF_WALK_MAX 20000

/* Which index a page of breaks reads. SQLite's planner picks the index of
 * the filter and sorts everything it matches, even when that is 400,000
 * rows for a page of 50 (measured: 0.5 to 2 s). When the summary says the
 * filter matches many rows, the sort's own index is read in order and the
 * filter checked row by row: 50 matches come within a few thousand. A
 * common text counts as such a filter. A channel, a rare text (read from
 * the trigram index) or a rare match is left to the planner. */
static const char *break_index(cache *c, const void *filter, int sort_, int text)
{
	const cache_break_filter *f = filter;
	cache_break_sort sort = (cache_break_sort)sort_;
	if (c->bulk[API_KIND_BREAK] || text == TEXT_RARE || (f && f->channel_id && *f->channel_id))
		return NULL;
	bool filtered = f && ((f->recon_date && *f->recon_date) || f->types || f->statuses ||
			      f->severities || f->min_abs_difference > 0);
	int64_t est = filtered ? agg_estimate(c, f) : 0;
	/* "at least X" and a few thousand matches: the |difference| index
	 * carries every filter column, so its range is checked without
	 * reading a row and the few matches are then sorted (measured: 60 ms
	 * where walking the sort's index took 280) */
	if (filtered && f->min_abs_difference > 0 && est < DIFF_WALK_MAX)
		return " INDEXED BY breaks_abs_difference";
	/* no filter, a common text alone, or many matches: the sort's index */
	if (filtered && est < DENSE_MIN)
		return NULL;
	bool by_date = f && f->recon_date && *f->recon_date;
	switch (sort) {
	case CACHE_BREAK_SORT_DETECTED:
		return by_date ? " INDEXED BY breaks_date_detected" : " INDEXED BY breaks_detected";
	case CACHE_BREAK_SORT_DIFFERENCE:
		/* a filter is checked inside breaks_abs_difference, without
		 * reading rows (small amount mismatches walked by the narrow
		 * one: 1.3 s); equal differences are then sorted by rowid, a
		 * small sort unless there are very many ties */
		return filtered ? " INDEXED BY breaks_abs_difference" : " INDEXED BY breaks_abs_sort";
	case CACHE_BREAK_SORT_SEVERITY:
		/* one type: its own range, already in order */
		return f && f->types && !(f->types & (f->types - 1)) ?
		       " INDEXED BY breaks_type_severity" : " INDEXED BY breaks_severity";
	case CACHE_BREAK_SORT_RECON_DATE: return " INDEXED BY breaks_date_detected";
	case CACHE_BREAK_SORT_CHANNEL: return " INDEXED BY breaks_channel";
	case CACHE_BREAK_SORT_STATUS: return " INDEXED BY breaks_status";
	case CACHE_BREAK_SORT_ID:
		/* ids begin with their date: a date's ids are one range */
		return by_date ? " INDEXED BY breaks_date_id" : " INDEXED BY sqlite_autoindex_breaks_1";
	}
	return NULL;
}

long cache_query_breaks(cache *c, const cache_break_filter *f, cache_break_sort sort,
			size_t offset, size_t limit, cache_break_fn fn, void *ctx)
{
	return offset_query(c, &BREAKS, (int)sort, f, break_order(sort), offset, limit,
			    (void *)fn, ctx);
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
		text_plan(c, &BREAKS, f, &q);
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

/* ---- breaks: a slow query's answer as rowids (cache/reader.c runs it) ---- */

/* Below this many rows a common text costs the loop less than 100 ms
 * (130 to 300 ms at a million, LIKE over every row's search text). */
#define BACKGROUND_ROWS 200000

void cache_set_background_rows(cache *c, int64_t rows)
{
	c->background_rows = rows;
}

bool cache_breaks_slow(cache *c, const cache_break_filter *f)
{
	if (!c || strcmp(c->path, ":memory:") == 0)
		return false;
	bool bulk = c->bulk[API_KIND_BREAK];
	bool text = f && f->text && *f->text;
	/* a channel is a range of its own index: a few hundred rows */
	if (!bulk && (!text || (f->channel_id && *f->channel_id)))
		return false;
	int64_t min = c->background_rows > 0 ? c->background_rows : BACKGROUND_ROWS;
	qb q = {0};
	/* the largest rowid: one step down the table's b-tree */
	qb_add(&q, "SELECT coalesce(max(rowid), 0), 0 FROM breaks");
	int64_t rows = 0;
	if (count_sum(c, &q, &rows, NULL, "size breaks") != 0 || rows < min)
		return false;
	qb t = {0};
	return bulk || text_plan(c, &BREAKS, f, &t) == TEXT_COMMON;
}

void cache_breaks_plan_text(cache *c, const cache_break_filter *f)
{
	qb q = {0};
	text_plan(c, &BREAKS, f, &q);
}

void cache_break_job_set(cache_break_job *j, const cache_break_filter *f,
			 cache_break_sort sort)
{
	memset(j, 0, sizeof *j);
	j->sort = sort;
	if (!f)
		return;
	j->f = *f;
	j->f.recon_date = j->f.channel_id = j->f.text = NULL;
	if (f->recon_date) {
		snprintf(j->date, sizeof j->date, "%s", f->recon_date);
		j->f.recon_date = j->date;
	}
	if (f->channel_id) {
		snprintf(j->channel, sizeof j->channel, "%s", f->channel_id);
		j->f.channel_id = j->channel;
	}
	if (f->text) {
		snprintf(j->text, sizeof j->text, "%s", f->text);
		j->f.text = j->text;
	}
}

void cache_break_job_copy(cache_break_job *dst, const cache_break_job *src)
{
	cache_break_job_set(dst, &src->f, src->sort);
	dst->first = src->first;
	dst->bulk = src->bulk;
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool cache_break_job_same(const cache_break_job *a, const cache_break_job *b)
{
	return a->sort == b->sort && a->f.types == b->f.types &&
	       a->f.statuses == b->f.statuses && a->f.severities == b->f.severities &&
	       a->f.min_abs_difference == b->f.min_abs_difference &&
	       same_text(a->f.recon_date, b->f.recon_date) &&
	       same_text(a->f.channel_id, b->f.channel_id) &&
	       same_text(a->f.text, b->f.text);
}

void cache_rowset_free(cache_rowset *rs)
{
	if (!rs)
		return;
	free(rs->ids);
	rs->ids = NULL;
	rs->n = 0;
}

/* " ORDER BY a DESC, b" as " ORDER BY +a DESC, +b": the order is then a
 * sort of the matches, never a walk of the sort's index checking every
 * row against the filter (which is what makes these queries slow). */
static void qb_order_sorted(qb *q, const char *order)
{
	const char *kw = " ORDER BY ";
	size_t kl = strlen(kw);
	if (strncmp(order, kw, kl) != 0) {
		qb_add(q, order);
		return;
	}
	qb_add(q, kw);
	char term[64];
	for (const char *p = order + kl; *p;) {
		size_t n = strcspn(p, ",");
		while (*p == ' ') {
			p++;
			n--;
		}
		snprintf(term, sizeof term, "+%.*s%s", (int)n, p, p[n] ? ", " : "");
		qb_add(q, term);
		p += n + (p[n] ? 1 : 0);
	}
}

/* Run q ("SELECT rowid, difference_minor ...") into rs: every row, or
 * with want > 0 the first want and whether there are more (q asks for
 * want + 1). 0, or -1 with rs->err. */
static int rowset_run(cache *c, qb *q, size_t want, cache_rowset *rs)
{
	rs->rc = 0;
	rs->ids = NULL;
	rs->n = 0;
	rs->sum = 0;
	rs->err[0] = '\0';
	rs->partial = false;
	sqlite3_stmt *st = qb_prepare(c, q);
	if (!st)
		goto fail;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (want && rs->n == want) {
			rs->partial = true; /* one more than wanted: there are more */
			continue;
		}
		if (rs->n == cap) {
			size_t ncap = want ? want : cap ? cap * 2 : 4096;
			int64_t *n = realloc(rs->ids, ncap * sizeof *n);
			if (!n) {
				snprintf(c->err, sizeof c->err, "query breaks: out of memory");
				break;
			}
			rs->ids = n;
			cap = ncap;
		}
		rs->ids[rs->n++] = sqlite3_column_int64(st, 0);
		if (__builtin_add_overflow(rs->sum, sqlite3_column_int64(st, 1), &rs->sum)) {
			snprintf(c->err, sizeof c->err, "count breaks: integer overflow");
			break;
		}
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		cache_fail(c, "query breaks");
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
fail:
	cache_rowset_free(rs);
	rs->sum = 0;
	rs->rc = -1;
	rs->partial = false;
	snprintf(rs->err, sizeof rs->err, "%s", c->err);
	return -1;
}

int cache_rowset_breaks(cache *c, const cache_break_job *j, cache_rowset *rs)
{
	const cache_break_filter *f = &j->f;
	cache_break_filter g = *f;
	qb q = {0};
	int text = text_plan(c, &BREAKS, f, &q);
	qb_add(&q, "SELECT rowid, difference_minor FROM breaks");
	if (text == TEXT_COMMON && !c->bulk[API_KIND_BREAK] && g.text && *g.text) {
		/* the matches from the narrow search index (130 ms for a
		 * million), then only they are read */
		g.text = NULL;
		qb_cond(&q, "rowid IN (SELECT rowid FROM breaks INDEXED BY breaks_search"
			    " WHERE search LIKE ? ESCAPE '\\')");
		qb_text(&q, qb_like(&q, f->text));
	}
	break_where(&q, &g);
	qb_order_sorted(&q, break_order(j->sort));
	return rowset_run(c, &q, 0, rs);
}

int cache_rowset_breaks_first(cache *c, const cache_break_job *j, cache_rowset *rs)
{
	const cache_break_filter *f = &j->f;
	size_t want = j->first ? j->first : 1;
	qb q = {0};
	int text = text_plan(c, &BREAKS, f, &q);
	const char *index = break_index(c, f, (int)j->sort, text);
	qb_add(&q, "SELECT rowid, difference_minor FROM breaks");
	if (index)
		qb_add(&q, index);
	break_where(&q, f);
	qb_add(&q, break_order(j->sort));
	qb_page(&q, 0, want + 1); /* one more: are there more than these? */
	/* partial unless every match is here: then it is the whole answer */
	return rowset_run(c, &q, want, rs);
}

long cache_rows_breaks(cache *c, const int64_t *ids, size_t n,
		       cache_break_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "SELECT json FROM breaks WHERE rowid = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return cache_fail(c, "query breaks");
	long got = 0;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			continue; /* deleted since the ids were read */
		if (rc != SQLITE_ROW) {
			got = cache_fail(c, "query breaks");
			break;
		}
		int r = row_break(c, st, (void *)fn, ctx);
		if (r < 0)
			continue;
		got++;
		if (r > 0)
			break;
	}
	sqlite3_finalize(st);
	return got;
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
	/* id, merchant id and merchant name */
	if (f->text && *f->text)
		qb_search(q, f->text);
}


static const char *case_text(const void *f)
{
	return ((const cache_case_filter *)f)->text;
}

static const char *case_index(cache *c, const void *filter, int sort, int text);

static const kind_desc CASES = { "cases", "case", API_KIND_CASE, "cases_fts",
				 dec_case, row_case, case_where, case_text, case_index };

static const char *case_index(cache *c, const void *f, int sort, int text)
{
	if (!filter_dense(c, &CASES, f, text))
		return NULL;
	switch ((cache_case_sort)sort) {
	case CACHE_CASE_SORT_SLA: return " INDEXED BY cases_sla";
	case CACHE_CASE_SORT_RISK: return " INDEXED BY cases_risk";
	case CACHE_CASE_SORT_SUBMITTED: return " INDEXED BY cases_submitted";
	case CACHE_CASE_SORT_STAGE: return " INDEXED BY cases_stage";
	case CACHE_CASE_SORT_ID: return " INDEXED BY sqlite_autoindex_cases_1";
	}
	return NULL;
}

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
	return offset_query(c, &CASES, (int)sort, f, case_order(sort), offset, limit, (void *)fn, ctx);
}

int cache_count_cases(cache *c, const cache_case_filter *f, time_t now,
		      int64_t *count, int64_t *breached)
{
	qb q = {0};
	text_plan(c, &CASES, f, &q);
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
	/* id, scope id and name */
	if (f->text && *f->text)
		qb_search(q, f->text);
}


static const char *limit_text(const void *f)
{
	return ((const cache_limit_filter *)f)->text;
}

static const char *limit_index(cache *c, const void *filter, int sort, int text);

static const kind_desc LIMITS = { "limits", "limit", API_KIND_LIMIT, "limits_fts",
				  dec_limit, row_limit, limit_where, limit_text, limit_index };

static const char *limit_index(cache *c, const void *f, int sort, int text)
{
	if (!filter_dense(c, &LIMITS, f, text))
		return NULL;
	switch ((cache_limit_sort)sort) {
	case CACHE_LIMIT_SORT_HEADROOM: return " INDEXED BY limits_headroom";
	case CACHE_LIMIT_SORT_UTILISATION: return " INDEXED BY limits_utilisation";
	case CACHE_LIMIT_SORT_STATE: return " INDEXED BY limits_state";
	case CACHE_LIMIT_SORT_ID: return " INDEXED BY sqlite_autoindex_limits_1";
	}
	return NULL;
}

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
	return offset_query(c, &LIMITS, (int)sort, f, limit_order(sort), offset, limit, (void *)fn, ctx);
}

int cache_count_limits(cache *c, const cache_limit_filter *f, int64_t *count,
		       int64_t *sum_headroom)
{
	qb q = {0};
	text_plan(c, &LIMITS, f, &q);
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

static int by_channel_id(const void *a, const void *b)
{
	const api_recon_channel *x = *(const api_recon_channel *const *)a;
	const api_recon_channel *y = *(const api_recon_channel *const *)b;
	return strcmp(x->channel_id ? x->channel_id : "", y->channel_id ? y->channel_id : "");
}

/* The summary of a date from the cached breaks: counts and sums grouped
 * by channel from the index breaks_recon_date alone (300,000 breaks a
 * date: the rows' JSON is never read), the platform's own summary for what
 * only it knows (file status, matched count), and a channel's currency
 * from that summary, or else from one of its breaks. */
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
	const api_recon_channel **known = NULL;
	if (stored.n_channels && (known = malloc(stored.n_channels * sizeof *known))) {
		for (size_t i = 0; i < stored.n_channels; i++)
			known[i] = &stored.channels[i];
		qsort(known, stored.n_channels, sizeof *known, by_channel_id);
	}

	sqlite3_stmt *st = NULL, *cur_st = NULL;
	if (sqlite3_prepare_v2(c->db,
			       "SELECT channel_id, count(*), coalesce(sum(status IN (?2, ?3, ?4)), 0),"
			       " coalesce(sum(difference_minor), 0)"
			       " FROM breaks WHERE recon_date = ?1 GROUP BY channel_id ORDER BY channel_id",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "SELECT currency FROM breaks"
			       " WHERE recon_date = ?1 AND channel_id = ?2 LIMIT 1",
			       -1, &cur_st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		free(known);
		api_recon_summary_free(&stored);
		api_recon_summary_free(out);
		return cache_fail(c, "recon summary");
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, BS_OPEN);
	sqlite3_bind_int(st, 3, BS_INVESTIGATING);
	sqlite3_bind_int(st, 4, BS_ESCALATED);
	sqlite3_bind_text(cur_st, 1, day, -1, SQLITE_TRANSIENT);
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
		rc_ch->channel_id = strdup(ch ? ch : "");
		rc_ch->break_count = sqlite3_column_int64(st, 1);
		rc_ch->open_count = sqlite3_column_int64(st, 2);
		rc_ch->net_difference_minor = sqlite3_column_int64(st, 3);
		rc_ch->file_status = FILE_UNKNOWN;
		rc_ch->matched_count = -1;
		const char *raw = "uncached";
		const api_recon_channel *const *hit = NULL;
		if (known && rc_ch->channel_id) {
			const api_recon_channel *key = rc_ch;
			hit = bsearch(&key, known, stored.n_channels, sizeof *known, by_channel_id);
		}
		if (hit) {
			rc_ch->file_status = (*hit)->file_status;
			rc_ch->matched_count = (*hit)->matched_count;
			raw = (*hit)->file_status_raw ? (*hit)->file_status_raw : raw;
			snprintf(rc_ch->currency, sizeof rc_ch->currency, "%s", (*hit)->currency);
		}
		if (!rc_ch->currency[0] && ch) {
			sqlite3_reset(cur_st);
			sqlite3_bind_text(cur_st, 2, ch, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(cur_st) == SQLITE_ROW && sqlite3_column_text(cur_st, 0))
				snprintf(rc_ch->currency, sizeof rc_ch->currency, "%s",
					 (const char *)sqlite3_column_text(cur_st, 0));
		}
		rc_ch->file_status_raw = strdup(raw);
		out->n_channels++;
		if (!rc_ch->channel_id || !rc_ch->file_status_raw) {
			rc = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(cur_st);
	free(known);
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
static long keyset_query(cache *c, const kind_desc *k, int sort,
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
	int text = text_plan(c, k, f, &q);
	const char *index = k->index ? k->index(c, f, sort, text) : NULL;
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
	return keyset_query(c, &BREAKS, (int)sort, &sp, f, pos, limit, (void *)fn, ctx);
}

long cache_query_cases_after(cache *c, const cache_case_filter *f, cache_case_sort sort,
			     cache_pos *pos, size_t limit, cache_case_fn fn, void *ctx)
{
	sort_spec sp = case_spec(sort);
	return keyset_query(c, &CASES, (int)sort, &sp, f, pos, limit, (void *)fn, ctx);
}

long cache_query_limits_after(cache *c, const cache_limit_filter *f, cache_limit_sort sort,
			      cache_pos *pos, size_t limit, cache_limit_fn fn, void *ctx)
{
	sort_spec sp = limit_spec(sort);
	return keyset_query(c, &LIMITS, (int)sort, &sp, f, pos, limit, (void *)fn, ctx);
}
