/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/rowset.c: the Breaks pane's slow queries answered as rowids (the
 * reader thread of cache/reader.c runs them), and the rows of a page read
 * back by rowid. */
#include "cache/query_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	cache_qb q = {0};
	/* the largest rowid: one step down the table's b-tree */
	cache_qb_add(&q, "SELECT coalesce(max(rowid), 0), 0 FROM breaks");
	int64_t rows = 0;
	if (cache_count_sum(c, &q, &rows, NULL, "size breaks") != 0 || rows < min)
		return false;
	cache_qb t = {0};
	return bulk || cache_text_plan(c, &cache_desc_breaks, f, &t) == CACHE_TEXT_COMMON;
}

void cache_breaks_plan_text(cache *c, const cache_break_filter *f)
{
	cache_qb q = {0};
	cache_text_plan(c, &cache_desc_breaks, f, &q);
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
static void qb_order_sorted(cache_qb *q, const char *order)
{
	const char *kw = " ORDER BY ";
	size_t kl = strlen(kw);
	if (strncmp(order, kw, kl) != 0) {
		cache_qb_add(q, order);
		return;
	}
	cache_qb_add(q, kw);
	char term[64];
	for (const char *p = order + kl; *p;) {
		size_t n = strcspn(p, ",");
		while (*p == ' ') {
			p++;
			n--;
		}
		snprintf(term, sizeof term, "+%.*s%s", (int)n, p, p[n] ? ", " : "");
		cache_qb_add(q, term);
		p += n + (p[n] ? 1 : 0);
	}
}

/* Run q ("SELECT rowid, difference_minor ...") into rs: every row, or
 * with want > 0 the first want and whether there are more (q asks for
 * want + 1). 0, or -1 with rs->err. */
static int rowset_run(cache *c, cache_qb *q, size_t want, cache_rowset *rs)
{
	rs->rc = 0;
	rs->ids = NULL;
	rs->n = 0;
	rs->sum = 0;
	rs->err[0] = '\0';
	rs->partial = false;
	sqlite3_stmt *st = cache_qb_prepare(c, q);
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
	cache_qb q = {0};
	int text = cache_text_plan(c, &cache_desc_breaks, f, &q);
	cache_qb_add(&q, "SELECT rowid, difference_minor FROM breaks");
	if (text == CACHE_TEXT_COMMON && !c->bulk[API_KIND_BREAK] && g.text && *g.text) {
		/* the matches from the narrow search index (130 ms for a
		 * million), then only they are read */
		g.text = NULL;
		cache_qb_cond(&q, "rowid IN (SELECT rowid FROM breaks INDEXED BY breaks_search"
			    " WHERE search LIKE ? ESCAPE '\\')");
		cache_qb_text(&q, cache_qb_like(&q, f->text));
	}
	cache_break_where(&q, &g);
	qb_order_sorted(&q, cache_break_order(j->sort));
	return rowset_run(c, &q, 0, rs);
}

int cache_rowset_breaks_first(cache *c, const cache_break_job *j, cache_rowset *rs)
{
	const cache_break_filter *f = &j->f;
	size_t want = j->first ? j->first : 1;
	cache_qb q = {0};
	int text = cache_text_plan(c, &cache_desc_breaks, f, &q);
	const char *index = cache_break_index(c, f, (int)j->sort, text);
	cache_qb_add(&q, "SELECT rowid, difference_minor FROM breaks");
	if (index)
		cache_qb_add(&q, index);
	cache_break_where(&q, f);
	cache_qb_add(&q, cache_break_order(j->sort));
	cache_qb_page(&q, 0, want + 1); /* one more: are there more than these? */
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
		int r = cache_desc_breaks.row(c, st, (void *)fn, ctx);
		if (r < 0)
			continue;
		got++;
		if (r > 0)
			break;
	}
	sqlite3_finalize(st);
	return got;
}
