/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/query_int.h: what the big panes' query files share (not the API).
 *
 * cache/query.c builds and runs the queries (the builder, the rows, the
 * offset and keyset pages, counts); cache/query_text.c decides how a text
 * filter is answered; each collection's file (query_breaks.c,
 * query_cases.c, query_limits.c) describes its filter, sorts and indexes;
 * cache/rowset.c answers the breaks pane's slow queries as rowids and
 * cache/recon_summary.c adds up a recon date.
 *
 * Each query is built from fixed fragments with '?' placeholders; every
 * value is bound, never spliced into the text. */
#ifndef PAYOPS_CACHE_QUERY_INT_H
#define PAYOPS_CACHE_QUERY_INT_H

#include "cache/cache_int.h"

#define CACHE_QB_BINDS 48

/* A query being built: its text and the values bound to its '?'s. */
typedef struct {
	char sql[2048];
	size_t len;
	bool where;
	bool overflow;
	struct {
		int is_text;      /* 0 int, 1 text, 2 real */
		int64_t i;
		double r;
		const char *s;
	} b[CACHE_QB_BINDS];
	int nb;
	char like[256]; /* the text filter as a LIKE pattern */
	char ftsmatch[256]; /* the trigram index's query for it (cache_text_plan) */
	const char *fts;   /* the trigram index that serves the text filter, or NULL */
} cache_qb;

void cache_qb_add(cache_qb *q, const char *s);
void cache_qb_int(cache_qb *q, int64_t v);
void cache_qb_text(cache_qb *q, const char *s);
void cache_qb_real(cache_qb *q, double v);
/* " WHERE cond" or " AND cond". */
void cache_qb_cond(cache_qb *q, const char *cond);
/* "col IN (?, ?, ...)" for the bits set in mask (0: no condition). */
void cache_qb_mask(cache_qb *q, const char *col, unsigned mask);
/* The text filter: "%text%" with LIKE's wildcards escaped (in q->like). */
const char *cache_qb_like(cache_qb *q, const char *text);
/* The text filter over the column `search` (see cache/query.c). */
void cache_qb_search(cache_qb *q, const char *text);
/* " LIMIT ? OFFSET ?" */
void cache_qb_page(cache_qb *q, size_t offset, size_t limit);
/* The statement with its values bound, or NULL (c->err says why). */
sqlite3_stmt *cache_qb_prepare(cache *c, cache_qb *q);

/* Decode the JSON column of a row into out. */
typedef int (*cache_decode_fn)(const json_t *, void *, api_err *);
int cache_decode_row(cache *c, sqlite3_stmt *st, int col, cache_decode_fn dec, void *out);

/* Decode and deliver one row: -1 undecodable (skipped), 1 stop, 0 go on. */
typedef int (*cache_row_fn)(cache *c, sqlite3_stmt *st, void *fn, void *ctx);

/* dec_<name> and row_<name> for a collection's row type. */
#define CACHE_ROW_FNS(name, type, decode, free_fn, cb_type)                     \
	static int dec_##name(const json_t *j, void *o, api_err *e)             \
	{                                                                       \
		return decode(j, o, e);                                         \
	}                                                                       \
	static int row_##name(cache *c, sqlite3_stmt *st, void *fn, void *ctx)  \
	{                                                                       \
		type o = {0};                                                   \
		if (cache_decode_row(c, st, 0, dec_##name, &o) != 0)            \
			return -1;                                              \
		int stop = ((cb_type)fn)(ctx, &o);                              \
		free_fn(&o);                                                    \
		return stop ? 1 : 0;                                            \
	}

/* What the queries of one collection need to know about it. */
typedef struct {
	const char *table;  /* "breaks" */
	const char *one;    /* "break", for messages */
	api_kind kind;
	const char *fts;    /* its trigram index over `search` */
	cache_decode_fn dec;
	cache_row_fn row;
	void (*where)(cache_qb *q, const void *filter);
	const char *(*text)(const void *filter); /* the text filter, or NULL */
	/* " INDEXED BY x" for a page under sort, or NULL: the planner's */
	const char *(*index)(cache *c, const void *filter, int sort, int text);
} cache_kind_desc;

extern const cache_kind_desc cache_desc_breaks;  /* cache/query_breaks.c */
extern const cache_kind_desc cache_desc_cases;   /* cache/query_cases.c */
extern const cache_kind_desc cache_desc_limits;  /* cache/query_limits.c */

/* How a text filter is answered (cache/query_text.c): no text, from the
 * trigram index (q->fts and q->ftsmatch set), or row by row. */
enum { CACHE_TEXT_NONE, CACHE_TEXT_RARE, CACHE_TEXT_COMMON };
int cache_text_plan(cache *c, const cache_kind_desc *k, const void *f, cache_qb *q);

/* A sort as key columns then the rowid (keyset paging). */
typedef struct {
	const char *col;  /* column or expression */
	char type;        /* 'i' integer, 'r' real, 't' text */
	bool desc;
} cache_key_col;

typedef struct {
	cache_key_col k[3];
	int n;
	bool tie_desc;    /* rowid, the tie-breaker, descending */
} cache_sort_spec;

/* SELECT json FROM table [index] [filter] order LIMIT ? OFFSET ?, each row
 * through fn. Returns the number delivered, or -1. */
long cache_offset_query(cache *c, const cache_kind_desc *k, int sort, const void *f,
			const char *order, size_t offset, size_t limit, void *fn, void *ctx);
/* The same page by keyset after *pos (see cache_pos in cache/cache.h). */
long cache_keyset_query(cache *c, const cache_kind_desc *k, int sort,
			const cache_sort_spec *sp, const void *f,
			cache_pos *pos, size_t limit, void *fn, void *ctx);
/* Run a one-row "count, sum" query (NULL: that one is not wanted). */
int cache_count_sum(cache *c, cache_qb *q, int64_t *n, int64_t *sum, const char *what);
/* One object by id: 0 found, 1 not cached, -1 error. */
int cache_get_one(cache *c, const cache_kind_desc *k, const char *id, void *out);
/* Whether a filter matches so many rows that the sort's own index, read
 * in order, finds a page sooner than the planner's choice. */
bool cache_filter_dense(cache *c, const cache_kind_desc *k, const void *f, int text);

/* The breaks' filter, order and index choice (cache/query_breaks.c), for
 * the rowsets of cache/rowset.c. */
void cache_break_where(cache_qb *q, const void *filter);
const char *cache_break_order(cache_break_sort s);
const char *cache_break_index(cache *c, const void *filter, int sort, int text);

#endif
