/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/query_breaks.c: the Breaks pane's queries: its filter, sorts and
 * the index a page reads, pages, the count and summed difference, one
 * break by id. */
#include "cache/query_int.h"

#include <stdio.h>
#include <string.h>

#define K(c, t, d) { c, t, d }
typedef cache_sort_spec spec;

CACHE_ROW_FNS(break, api_break, api_decode_break, api_break_free, cache_break_fn)

void cache_break_where(cache_qb *q, const void *filter)
{
	const cache_break_filter *f = filter;
	if (!f)
		return;
	if (f->recon_date && *f->recon_date) {
		cache_qb_cond(q, "recon_date = ?");
		cache_qb_text(q, f->recon_date);
	}
	if (f->channel_id && *f->channel_id) {
		cache_qb_cond(q, "channel_id = ?");
		cache_qb_text(q, f->channel_id);
	}
	cache_qb_mask(q, "type", f->types);
	cache_qb_mask(q, "status", f->statuses);
	cache_qb_mask(q, "severity", f->severities);
	if (f->min_abs_difference > 0) {
		cache_qb_cond(q, "abs_difference >= ?");
		cache_qb_int(q, f->min_abs_difference);
	}
	/* id, merchant, order no, channel serial and assignee */
	if (f->text && *f->text)
		cache_qb_search(q, f->text);
}

static const char *break_text(const void *f)
{
	return ((const cache_break_filter *)f)->text;
}

const cache_kind_desc cache_desc_breaks = {
	"breaks", "break", API_KIND_BREAK, "breaks_fts", dec_break, row_break,
	cache_break_where, break_text, cache_break_index,
};

const char *cache_break_order(cache_break_sort s)
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

/* The order above as keys, for keyset pages: the two must agree. */
static cache_sort_spec break_spec(cache_break_sort s)
{
	switch (s) {
	case CACHE_BREAK_SORT_DETECTED: return (spec){ { K("detected_at", 'i', true) }, 1, true };
	case CACHE_BREAK_SORT_DIFFERENCE: return (spec){ { K("abs_difference", 'i', true) }, 1, true };
	case CACHE_BREAK_SORT_SEVERITY:
		return (spec){ { K("severity", 'i', true), K("detected_at", 'i', true) }, 2, true };
	case CACHE_BREAK_SORT_RECON_DATE:
		return (spec){ { K("recon_date", 't', true), K("detected_at", 'i', true) }, 2, true };
	case CACHE_BREAK_SORT_CHANNEL:
		return (spec){ { K("channel_id", 't', false), K("detected_at", 'i', true) }, 2, false };
	case CACHE_BREAK_SORT_STATUS:
		return (spec){ { K("status", 'i', false), K("detected_at", 'i', true) }, 2, false };
	case CACHE_BREAK_SORT_ID: break;
	}
	return (spec){ { K("id", 't', false) }, 1, false };
}

static int64_t agg_estimate(cache *c, const cache_break_filter *f);
#define DENSE_MIN 2000       /* the summary's estimate: many matches */
#define DIFF_WALK_MAX 20000

/* Which index a page of breaks reads. SQLite's planner picks the index of
 * the filter and sorts everything it matches, even when that is 400,000
 * rows for a page of 50 (measured: 0.5 to 2 s). When the summary says the
 * filter matches many rows, the sort's own index is read in order and the
 * filter checked row by row: 50 matches come within a few thousand. A
 * common text counts as such a filter. A channel, a rare text (read from
 * the trigram index) or a rare match is left to the planner. */
const char *cache_break_index(cache *c, const void *filter, int sort_, int text)
{
	const cache_break_filter *f = filter;
	cache_break_sort sort = (cache_break_sort)sort_;
	if (c->bulk[API_KIND_BREAK] || text == CACHE_TEXT_RARE || (f && f->channel_id && *f->channel_id))
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
	return cache_offset_query(c, &cache_desc_breaks, (int)sort, f, cache_break_order(sort),
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
	cache_qb q = {0};
	cache_qb_add(&q, "SELECT coalesce(sum(n), 0), 0 FROM breaks_agg");
	cache_break_where(&q, &g);
	if (min > 0) {
		cache_qb_cond(&q, "bucket >= ?");
		cache_qb_int(&q, diff_bucket(min, &lo, &hi));
	}
	return cache_count_sum(c, &q, &n, &s, "estimate") == 0 ? n : 0;
}

int cache_count_breaks(cache *c, const cache_break_filter *f, int64_t *count,
		       int64_t *sum)
{
	int64_t n = 0, s = 0;
	bool summary = !c->bulk[API_KIND_BREAK] &&
		       !(f && ((f->channel_id && *f->channel_id) || (f->text && *f->text)));
	if (!summary) {
		cache_qb q = {0};
		cache_text_plan(c, &cache_desc_breaks, f, &q);
		/* total() would be a double: sum() of integers stays an integer,
		 * and SQLite reports an overflow instead of rounding */
		cache_qb_add(&q, "SELECT count(*), coalesce(sum(difference_minor), 0) FROM breaks");
		cache_break_where(&q, f);
		if (cache_count_sum(c, &q, &n, &s, "count breaks") != 0)
			return -1;
	} else {
		cache_break_filter g = f ? *f : (cache_break_filter){0};
		int64_t min = g.min_abs_difference, lo = 0, hi = 0;
		g.min_abs_difference = 0;
		int bucket = min > 0 ? diff_bucket(min, &lo, &hi) : 0;
		cache_qb q = {0};
		cache_qb_add(&q, "SELECT coalesce(sum(n), 0), coalesce(sum(sum_difference), 0) FROM breaks_agg");
		cache_break_where(&q, &g);
		if (min > 0) {
			/* whole buckets: X's own too when X is its lower bound */
			cache_qb_cond(&q, min == lo ? "bucket >= ?" : "bucket > ?");
			cache_qb_int(&q, bucket);
		}
		if (cache_count_sum(c, &q, &n, &s, "count breaks") != 0)
			return -1;
		if (min > 0 && min != lo) {
			/* the rest of X's bucket, from the rows: an index range of
			 * one leading digit of one order of magnitude */
			cache_qb r = {0};
			int64_t n2 = 0, s2 = 0;
			cache_qb_add(&r, "SELECT count(*), coalesce(sum(difference_minor), 0)"
			       " FROM breaks INDEXED BY breaks_abs_difference");
			cache_break_where(&r, &g);
			cache_qb_cond(&r, "abs_difference >= ? AND abs_difference < ?");
			cache_qb_int(&r, min);
			cache_qb_int(&r, hi);
			if (cache_count_sum(c, &r, &n2, &s2, "count breaks") != 0)
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
	return cache_get_one(c, &cache_desc_breaks, id, out);
}

long cache_query_breaks_after(cache *c, const cache_break_filter *f, cache_break_sort sort,
			      cache_pos *pos, size_t limit, cache_break_fn fn, void *ctx)
{
	cache_sort_spec sp = break_spec(sort);
	return cache_keyset_query(c, &cache_desc_breaks, (int)sort, &sp, f, pos, limit,
				  (void *)fn, ctx);
}
