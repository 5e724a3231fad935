/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/query_cases.c: the Onboarding pane's queries: the cases' filter,
 * sorts and indexes, pages, counts, one case by id. */
#include "cache/query_int.h"

#define K(c, t, d) { c, t, d }
typedef cache_sort_spec spec;

CACHE_ROW_FNS(case, api_case, api_decode_case, api_case_free, cache_case_fn)

static void case_where(cache_qb *q, const void *filter)
{
	const cache_case_filter *f = filter;
	if (!f)
		return;
	cache_qb_mask(q, "stage", f->stages);
	cache_qb_mask(q, "risk_level", f->risks);
	if (f->assignee && !*f->assignee) {
		cache_qb_cond(q, "assignee IS NULL");
	} else if (f->assignee) {
		cache_qb_cond(q, "assignee = ?");
		cache_qb_text(q, f->assignee);
	}
	/* id, merchant id and merchant name */
	if (f->text && *f->text)
		cache_qb_search(q, f->text);
}

static const char *case_text(const void *f)
{
	return ((const cache_case_filter *)f)->text;
}

static const char *case_index(cache *c, const void *filter, int sort, int text);

const cache_kind_desc cache_desc_cases = {
	"cases", "case", API_KIND_CASE, "cases_fts", dec_case, row_case,
	case_where, case_text, case_index,
};

static const char *case_index(cache *c, const void *f, int sort, int text)
{
	if (!cache_filter_dense(c, &cache_desc_cases, f, text))
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

/* The order above as keys, for keyset pages: the two must agree. */
static cache_sort_spec case_spec(cache_case_sort s)
{
	switch (s) {
	case CACHE_CASE_SORT_SLA: return (spec){ { K("sla_due_at", 'i', false) }, 1, false };
	case CACHE_CASE_SORT_RISK:
		return (spec){ { K("risk_level", 'i', true), K("sla_due_at", 'i', false) }, 2, false };
	case CACHE_CASE_SORT_SUBMITTED: return (spec){ { K("submitted_at", 'i', true) }, 1, true };
	case CACHE_CASE_SORT_STAGE:
		return (spec){ { K("stage", 'i', false), K("sla_due_at", 'i', false) }, 2, false };
	case CACHE_CASE_SORT_ID: break;
	}
	return (spec){ { K("id", 't', false) }, 1, false };
}

long cache_query_cases(cache *c, const cache_case_filter *f, cache_case_sort sort,
		       size_t offset, size_t limit, cache_case_fn fn, void *ctx)
{
	return cache_offset_query(c, &cache_desc_cases, (int)sort, f, case_order(sort),
				  offset, limit, (void *)fn, ctx);
}

int cache_count_cases(cache *c, const cache_case_filter *f, time_t now,
		      int64_t *count, int64_t *breached)
{
	cache_qb q = {0};
	cache_text_plan(c, &cache_desc_cases, f, &q);
	cache_qb_add(&q, "SELECT count(*), coalesce(sum(sla_due_at < ? AND stage NOT IN (?, ?)), 0)"
		     " FROM cases");
	cache_qb_int(&q, now);
	cache_qb_int(&q, STAGE_APPROVED);
	cache_qb_int(&q, STAGE_REJECTED);
	case_where(&q, f);
	return cache_count_sum(c, &q, count, breached, "count cases");
}

int cache_count_cases_by_stage(cache *c, const cache_case_filter *f, time_t now,
			       cache_case_counts *out)
{
	cache_case_filter all = {0};
	if (!f)
		f = &all;
	cache_case_counts n = {0};
	if (cache_count_cases(c, f, now, &n.count, &n.sla_breached) != 0)
		return -1;
	for (int s = 0; s < STAGE_UNKNOWN; s++) {
		if (f->stages && !(f->stages & (1u << s)))
			continue;
		cache_case_filter fs = *f;
		fs.stages = 1u << s;
		if (cache_count_cases(c, &fs, now, &n.by_stage[s], NULL) != 0)
			return -1;
	}
	*out = n;
	return 0;
}

int cache_get_case(cache *c, const char *id, api_case *out)
{
	return cache_get_one(c, &cache_desc_cases, id, out);
}

long cache_query_cases_after(cache *c, const cache_case_filter *f, cache_case_sort sort,
			     cache_pos *pos, size_t limit, cache_case_fn fn, void *ctx)
{
	cache_sort_spec sp = case_spec(sort);
	return cache_keyset_query(c, &cache_desc_cases, (int)sort, &sp, f, pos, limit,
				  (void *)fn, ctx);
}
