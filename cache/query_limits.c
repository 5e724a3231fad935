/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/query_limits.c: the Limits pane's queries: the limits' filter,
 * sorts and indexes, pages, the count and summed headroom, one limit by
 * id. */
#include "cache/query_int.h"

#define K(c, t, d) { c, t, d }
typedef cache_sort_spec spec;
#define UTIL "(CASE WHEN limit_minor > 0 THEN used_minor * 1.0 / limit_minor ELSE 0 END)"

CACHE_ROW_FNS(limit, api_limit, api_decode_limit, api_limit_free, cache_limit_fn)

static void limit_where(cache_qb *q, const void *filter)
{
	const cache_limit_filter *f = filter;
	if (!f)
		return;
	cache_qb_mask(q, "scope", f->scopes);
	cache_qb_mask(q, "state", f->states);
	/* id, scope id and name */
	if (f->text && *f->text)
		cache_qb_search(q, f->text);
}

static const char *limit_text(const void *f)
{
	return ((const cache_limit_filter *)f)->text;
}

static const char *limit_index(cache *c, const void *filter, int sort, int text);

const cache_kind_desc cache_desc_limits = {
	"limits", "limit", API_KIND_LIMIT, "limits_fts", dec_limit, row_limit,
	limit_where, limit_text, limit_index,
};

static const char *limit_index(cache *c, const void *f, int sort, int text)
{
	if (!cache_filter_dense(c, &cache_desc_limits, f, text))
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

/* The order above as keys, for keyset pages: the two must agree. */
static cache_sort_spec limit_spec(cache_limit_sort s)
{
	switch (s) {
	case CACHE_LIMIT_SORT_HEADROOM: return (spec){ { K("headroom", 'i', false) }, 1, false };
	case CACHE_LIMIT_SORT_UTILISATION: return (spec){ { K(UTIL, 'r', true) }, 1, true };
	case CACHE_LIMIT_SORT_STATE:
		return (spec){ { K("state", 'i', true), K("headroom", 'i', false) }, 2, false };
	case CACHE_LIMIT_SORT_ID: break;
	}
	return (spec){ { K("id", 't', false) }, 1, false };
}

long cache_query_limits(cache *c, const cache_limit_filter *f, cache_limit_sort sort,
			size_t offset, size_t limit, cache_limit_fn fn, void *ctx)
{
	return cache_offset_query(c, &cache_desc_limits, (int)sort, f, limit_order(sort),
				  offset, limit, (void *)fn, ctx);
}

int cache_count_limits(cache *c, const cache_limit_filter *f, int64_t *count,
		       int64_t *sum_headroom)
{
	cache_qb q = {0};
	cache_text_plan(c, &cache_desc_limits, f, &q);
	cache_qb_add(&q, "SELECT count(*), coalesce(sum(headroom), 0) FROM limits");
	limit_where(&q, f);
	return cache_count_sum(c, &q, count, sum_headroom, "count limits");
}

int cache_count_limits_by_state(cache *c, const cache_limit_filter *f,
				cache_limit_counts *out)
{
	cache_limit_filter all = {0};
	if (!f)
		f = &all;
	cache_limit_counts n = {0};
	if (cache_count_limits(c, f, &n.count, &n.sum_headroom_minor) != 0)
		return -1;
	/* each state under the filter's own states */
	unsigned states = f->states ? f->states : ~0u;
	cache_limit_filter fs = *f;
	if ((fs.states = states & (1u << LS_WARNING)) &&
	    cache_count_limits(c, &fs, &n.warning, NULL) != 0)
		return -1;
	if ((fs.states = states & (1u << LS_BREACHED)) &&
	    cache_count_limits(c, &fs, &n.breached, NULL) != 0)
		return -1;
	*out = n;
	return 0;
}

int cache_get_limit(cache *c, const char *id, api_limit *out)
{
	return cache_get_one(c, &cache_desc_limits, id, out);
}

long cache_query_limits_after(cache *c, const cache_limit_filter *f, cache_limit_sort sort,
			      cache_pos *pos, size_t limit, cache_limit_fn fn, void *ctx)
{
	cache_sort_spec sp = limit_spec(sort);
	return cache_keyset_query(c, &cache_desc_limits, (int)sort, &sp, f, pos, limit,
				  (void *)fn, ctx);
}
