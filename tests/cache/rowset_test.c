/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/rowset_test.c: the breaks pane's slow queries answered as
 * rowids, on cache files.
 *
 * A rowset (cache_rowset_breaks) holds exactly the rows, in exactly the
 * order, that the paged query delivers, with the count and sum of
 * cache_count_breaks, for every sort of a set of filters, with the
 * indexes in place and during a bulk load; its first rows are the first
 * page's; cache_breaks_slow says which filters go to the reader thread;
 * rows read back by rowid skip the ones deleted since; a job is the same
 * as another by its filter and sort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cache/cache.h"
#include "cache/cache_int.h"
#include "tests/cache/breakset.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

/* ---- rows as the numbers in their ids ---- */

typedef struct {
	int *v;
	size_t n, cap;
} ilist;

static int collect(void *ctx, api_break *b)
{
	ilist *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		int *v = realloc(l->v, cap * sizeof *v);
		assert_non_null(v);
		l->v = v;
		l->cap = cap;
	}
	const char *u = strrchr(b->id, '_');
	assert_non_null(u);
	l->v[l->n++] = atoi(u + 1);
	return 0;
}

static void ilist_free(ilist *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Which break each rowid holds (-1: none), read straight from the table:
 * the whole order of a rowset is checked without decoding its rows. */
typedef struct {
	int *num;
	size_t n;
} rowmap;

static void rowmap_read(cache *c, rowmap *m)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT max(rowid) FROM breaks", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	m->n = (size_t)sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	m->num = malloc(m->n * sizeof *m->num);
	assert_non_null(m->num);
	for (size_t i = 0; i < m->n; i++)
		m->num[i] = -1;
	assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT rowid, id FROM breaks", -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t r = sqlite3_column_int64(st, 0);
		const char *u = strrchr((const char *)sqlite3_column_text(st, 1), '_');
		assert_true(r > 0 && (size_t)r < m->n && u);
		m->num[r] = atoi(u + 1);
	}
	sqlite3_finalize(st);
}

/* Break i's sort keys, as breakset_json makes them. */
static int key_det(int i) { return (i * 37) % 4000; }
static int key_abs(int i) { return (i * 7919) % 3000; }

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

/* <0 when the row (a, rowid ra) comes before (b, rb) under sort s, as
 * cache.h documents the sorts: key columns, ties by rowid in the
 * direction of the last key. */
static int sort_cmp(int s, int a, int64_t ra, int b, int64_t rb)
{
	int c = 0, tie = rb < ra ? -1 : 1; /* rowid descending */
	switch (s) {
	case CACHE_BREAK_SORT_DETECTED:
		c = -cmp_int(key_det(a), key_det(b));
		break;
	case CACHE_BREAK_SORT_DIFFERENCE:
		c = -cmp_int(key_abs(a), key_abs(b));
		break;
	case CACHE_BREAK_SORT_SEVERITY:
		c = -cmp_int(a % 3, b % 3);
		if (!c)
			c = -cmp_int(key_det(a), key_det(b));
		break;
	case CACHE_BREAK_SORT_RECON_DATE:
		c = -cmp_int(a % 3, b % 3);
		if (!c)
			c = -cmp_int(key_det(a), key_det(b));
		break;
	case CACHE_BREAK_SORT_CHANNEL:
	case CACHE_BREAK_SORT_STATUS:
		c = s == CACHE_BREAK_SORT_CHANNEL ? cmp_int(a % 7, b % 7) : cmp_int(a % 5, b % 5);
		if (!c)
			c = -cmp_int(key_det(a), key_det(b));
		tie = -tie;
		break;
	default: {
		char ia[40], ib[40];
		snprintf(ia, sizeof ia, "brk_202611%02d_%06d", 20 + a % 3, a);
		snprintf(ib, sizeof ib, "brk_202611%02d_%06d", 20 + b % 3, b);
		c = strcmp(ia, ib);
		break;
	}
	}
	return c ? c : tie;
}

/* Every row of the rowset is a row, once, in the sort's order. */
static void expect_order(const rowmap *m, const cache_rowset *rs, const char *what, int s)
{
	for (size_t k = 0; k < rs->n; k++) {
		int64_t r = rs->ids[k];
		if (r <= 0 || (size_t)r >= m->n || m->num[r] < 0)
			fail_msg("%s by %s: rowid %lld is no row", what, breakset_sort_names[s], (long long)r);
		if (k > 0 && sort_cmp(s, m->num[rs->ids[k - 1]], rs->ids[k - 1], m->num[r], r) >= 0)
			fail_msg("%s by %s: break %d (rowid %lld) before break %d (rowid %lld)",
				 what, breakset_sort_names[s], m->num[rs->ids[k - 1]],
				 (long long)rs->ids[k - 1], m->num[r], (long long)r);
	}
}

/* The rows of rs->ids[from, from + n), read back by rowid, against the
 * page the paged query delivers at that offset. */
static void expect_page(cache *c, const cache_break_filter *f, const cache_rowset *rs,
			size_t from, size_t n, const char *what, int s)
{
	ilist want = { 0 }, got = { 0 };
	long w = cache_query_breaks(c, f, (cache_break_sort)s, from, n, collect, &want);
	if (w < 0)
		fail_msg("%s by %s: query: %s", what, breakset_sort_names[s], cache_error(c));
	long m = cache_rows_breaks(c, rs->ids + from, n, collect, &got);
	if (m < 0)
		fail_msg("%s by %s: rows: %s", what, breakset_sort_names[s], cache_error(c));
	if ((size_t)w != n || (size_t)m != n)
		fail_msg("%s by %s at %zu: %ld rows by rowid, the query has %ld of %zu", what,
			 breakset_sort_names[s], from, m, w, n);
	for (size_t i = 0; i < n; i++)
		if (got.v[i] != want.v[i])
			fail_msg("%s by %s: row %zu is break %d, the query has %d", what,
				 breakset_sort_names[s], from + i, got.v[i], want.v[i]);
	ilist_free(&want);
	ilist_free(&got);
}

/* Up to this many rows the whole answer is compared with the query's;
 * above, its first, middle and last pages (what a pane reads), and the
 * order of all of it with the rows' keys. */
#define WHOLE_MAX 1600
#define PAGE 120

/* For every sort: the rowset is the query's answer, its count and sum
 * the count's. Returns how many rows the filter matches. */
static int64_t check_sorts(cache *c, const cache_break_filter *f, const char *what,
			   int first, int last)
{
	int64_t count = -1, sum = 0;
	if (cache_count_breaks(c, f, &count, &sum) != 0)
		fail_msg("%s: count: %s", what, cache_error(c));
	rowmap m;
	rowmap_read(c, &m);
	for (int s = first; s <= last; s++) {
		cache_break_job j;
		cache_break_job_set(&j, f, (cache_break_sort)s);
		cache_rowset rs;
		memset(&rs, 0x5a, sizeof rs);
		if (cache_rowset_breaks(c, &j, &rs) != 0)
			fail_msg("%s by %s: rowset: %s", what, breakset_sort_names[s], rs.err);
		assert_int_equal(rs.rc, 0);
		if ((int64_t)rs.n != count || rs.sum != sum)
			fail_msg("%s by %s: rowset %zu rows sum %lld, count %lld sum %lld", what,
				 breakset_sort_names[s], rs.n, (long long)rs.sum, (long long)count,
				 (long long)sum);
		expect_order(&m, &rs, what, s);
		if (rs.n <= WHOLE_MAX) {
			expect_page(c, f, &rs, 0, rs.n, what, s);
			/* and nothing after the last */
			ilist more = { 0 };
			assert_int_equal(cache_query_breaks(c, f, (cache_break_sort)s, rs.n, 10,
							    collect, &more), 0);
		} else {
			expect_page(c, f, &rs, 0, PAGE, what, s);
			expect_page(c, f, &rs, rs.n / 2 - PAGE / 2, PAGE, what, s);
			expect_page(c, f, &rs, rs.n - PAGE, PAGE, what, s);
		}
		cache_rowset_free(&rs);
		assert_null(rs.ids);
	}
	free(m.num);
	return count;
}

static int64_t check_filter(cache *c, const cache_break_filter *f, const char *what)
{
	return check_sorts(c, f, what, CACHE_BREAK_SORT_DETECTED, CACHE_BREAK_SORT_ID);
}

/* ---- 1: the rowset is the query's answer ---- */

static void test_rowset_equals_query(void **state)
{
	(void)state;
	cache_set_background_rows(breakset_big, 1);
	cache_break_filter none = { 0 };
	assert_int_equal(check_filter(breakset_big, &none, "no filter"), BREAKSET_NBIG);
	assert_int_equal(check_sorts(breakset_big, NULL, "NULL filter", CACHE_BREAK_SORT_SEVERITY,
				     CACHE_BREAK_SORT_SEVERITY), BREAKSET_NBIG);

	/* a common text: the rowset takes its matches from breaks_search */
	cache_break_filter op = { .text = "op." };
	assert_true(cache_breaks_slow(breakset_big, &op));
	assert_int_equal(check_filter(breakset_big, &op, "\"op.\""), BREAKSET_NBIG - (BREAKSET_NBIG + 15) / 16);
	cache_break_filter OP = { .text = "OP." }; /* ASCII case folded */
	assert_int_equal(check_sorts(breakset_big, &OP, "\"OP.\"", CACHE_BREAK_SORT_STATUS,
				     CACHE_BREAK_SORT_STATUS), BREAKSET_NBIG - (BREAKSET_NBIG + 15) / 16);
	cache_break_filter day = { .text = "brk_2026" };
	assert_true(cache_breaks_slow(breakset_big, &day));
	/* (every sort of a common text is checked with "op." above) */
	assert_int_equal(check_sorts(breakset_big, &day, "\"brk_2026\"", CACHE_BREAK_SORT_RECON_DATE,
				     CACHE_BREAK_SORT_ID), BREAKSET_NBIG);
	/* '_' is a literal in the text, not LIKE's any character */
	cache_break_filter us = { .text = "1121_00001" };
	assert_int_equal(check_filter(breakset_big, &us, "\"1121_00001\""), 4);

	/* a rare text: one order number, from the trigram index */
	char ord[16];
	snprintf(ord, sizeof ord, "P%09d", 12345 * 31 + 7);
	cache_break_filter rare = { .text = ord };
	assert_false(cache_breaks_slow(breakset_big, &rare));
	assert_int_equal(check_filter(breakset_big, &rare, "an order number"), 1);
	cache_break_filter nothing = { .text = "zzz_nowhere" };
	assert_int_equal(check_filter(breakset_big, &nothing, "no match"), 0);

	cache_break_filter date = { .text = "op.", .recon_date = "2026-11-21" };
	assert_true(check_filter(breakset_big, &date, "\"op.\" and a date") > 1000);
	cache_break_filter st = { .text = "op.", .statuses = 1u << BS_OPEN | 1u << BS_ESCALATED };
	assert_true(check_filter(breakset_big, &st, "\"op.\" and two statuses") > 1000);
	cache_break_filter diff = { .text = "op.", .min_abs_difference = 2500 };
	assert_true(check_filter(breakset_big, &diff, "\"op.\" and |difference| >= 2500") > 1000);
	cache_break_filter diff_p = { .text = "op.wang", .min_abs_difference = 1000,
				      .severities = 1u << SEV_HIGH };
	assert_true(check_filter(breakset_big, &diff_p, "\"op.wang\", high, >= 1000") > 100);
	/* no text: the count adds up the summary, the rowset reads rows */
	cache_break_filter only = { .statuses = 1u << BS_RESOLVED, .min_abs_difference = 2500 };
	assert_true(check_filter(breakset_big, &only, "resolved, >= 2500") > 100);
	cache_set_background_rows(breakset_big, 0);
}

static void test_rowset_during_bulk_load(void **state)
{
	(void)state;
	assert_true(cache_bulk_active(breakset_bulk, API_KIND_BREAK));
	cache_break_filter ty = { .types = 1u << BT_SHORT | 1u << BT_RETURNED };
	assert_int_equal(check_filter(breakset_bulk, &ty, "two types, bulk"), BREAKSET_NBULK / 4);
	cache_break_filter none = { 0 };
	assert_int_equal(check_filter(breakset_bulk, &none, "no filter, bulk"), BREAKSET_NBULK);
	cache_break_filter tx = { .types = 1u << BT_SHORT, .text = "op.li" };
	assert_true(check_filter(breakset_bulk, &tx, "a type and a text, bulk") > 100);
	cache_break_filter ch = { .channel_id = "ch.3", .statuses = 1u << BS_OPEN };
	assert_true(check_filter(breakset_bulk, &ch, "a channel and a status, bulk") > 100);
}

/* The first rows early: a prefix of the whole answer, marked partial
 * unless every match is there. */
static void test_rowset_first_rows(void **state)
{
	(void)state;
	cache_break_filter op = { .text = "op." }, date = { .text = "op.", .recon_date = "2026-11-20" };
	cache_break_filter few = { .text = "1121_00001" };
	const cache_break_filter *fs[] = { &op, &date, &few, NULL };
	for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++)
		for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
			cache_break_job j;
			cache_break_job_set(&j, fs[k], (cache_break_sort)s);
			cache_rowset whole, first;
			assert_int_equal(cache_rowset_breaks(breakset_big, &j, &whole), 0);
			j.first = 50;
			if (cache_rowset_breaks_first(breakset_big, &j, &first) != 0)
				fail_msg("filter %zu by %s: first: %s", k, breakset_sort_names[s], first.err);
			assert_int_equal(first.rc, 0);
			if (whole.n > 50) {
				assert_true(first.partial);
				assert_int_equal(first.n, 50);
			} else {
				assert_false(first.partial);
				assert_int_equal(first.n, whole.n);
				assert_int_equal(first.sum, whole.sum);
			}
			for (size_t i = 0; i < first.n; i++)
				if (first.ids[i] != whole.ids[i])
					fail_msg("filter %zu by %s: first row %zu is rowid %lld, want %lld",
						 k, breakset_sort_names[s], i, (long long)first.ids[i],
						 (long long)whole.ids[i]);
			cache_rowset_free(&first);
			cache_rowset_free(&whole);
		}
}

/* ---- 2: which queries are slow ---- */

static void test_breaks_slow(void **state)
{
	(void)state;
	cache_break_filter op = { .text = "op." };
	/* the default threshold (200,000) is far above this table */
	assert_false(cache_breaks_slow(breakset_big, &op));
	cache_set_background_rows(breakset_big, BREAKSET_NBIG + 1000);
	assert_false(cache_breaks_slow(breakset_big, &op));
	cache_set_background_rows(breakset_big, BREAKSET_NBIG - 1000);
	assert_true(cache_breaks_slow(breakset_big, &op));
	cache_set_background_rows(breakset_big, 1);
	assert_true(cache_breaks_slow(breakset_big, &op));
	cache_break_filter opd = { .text = "op.", .recon_date = "2026-11-20",
				   .statuses = 1u << BS_OPEN };
	assert_true(cache_breaks_slow(breakset_big, &opd));
	/* one order number: the trigram index finds it */
	cache_break_filter rare = { .text = "P000382702" };
	assert_false(cache_breaks_slow(breakset_big, &rare));
	/* a channel: a range of its own index */
	cache_break_filter ch = { .text = "op.", .channel_id = "ch.2" };
	assert_false(cache_breaks_slow(breakset_big, &ch));
	/* no text, or an empty one: the indexes answer */
	cache_break_filter none = { 0 };
	assert_false(cache_breaks_slow(breakset_big, &none));
	assert_false(cache_breaks_slow(breakset_big, NULL));
	cache_break_filter empty = { .text = "", .statuses = 1u << BS_OPEN };
	assert_false(cache_breaks_slow(breakset_big, &empty));
	cache_set_background_rows(breakset_big, 0);

	/* a bulk load: every filter scans, once the table is big enough */
	cache_set_background_rows(breakset_bulk, BREAKSET_NBULK + 1000);
	assert_false(cache_breaks_slow(breakset_bulk, &none));
	assert_false(cache_breaks_slow(breakset_bulk, &op));
	cache_set_background_rows(breakset_bulk, 1);
	assert_true(cache_breaks_slow(breakset_bulk, &none));
	assert_true(cache_breaks_slow(breakset_bulk, NULL));
	assert_true(cache_breaks_slow(breakset_bulk, &op));
	assert_true(cache_breaks_slow(breakset_bulk, &rare));
	assert_true(cache_breaks_slow(breakset_bulk, &ch));
	cache_break_filter ty = { .types = 1u << BT_LONG };
	assert_true(cache_breaks_slow(breakset_bulk, &ty));
	cache_set_background_rows(breakset_bulk, 0);

	/* in memory: no second connection, never */
	cache *m = fixture_mem_cache();
	cache_set_background_rows(m, 1);
	breakset_save(m, 0, 200);
	cache_break_filter all = { .text = "brk_" };
	assert_false(cache_breaks_slow(m, &all));
	cache_close(m);
	m = fixture_mem_cache();
	cache_set_background_rows(m, 1);
	assert_int_equal(cache_bulk_begin(m, API_KIND_BREAK), 0);
	breakset_save(m, 0, 200);
	if (cache_bulk_active(m, API_KIND_BREAK))
		assert_false(cache_breaks_slow(m, &none));
	assert_false(cache_breaks_slow(m, &all));
	assert_null(cache_reader_new(m));
	cache_close(m);
}

/* ---- 3: rows by rowid skip the deleted ---- */

static void test_rows_skip_deleted(void **state)
{
	(void)state;
	cache *c = breakset_open();
	breakset_save(c, 0, BREAKSET_NSMALL);
	cache_break_filter f = { .text = "op." };
	cache_break_job j;
	cache_break_job_set(&j, &f, CACHE_BREAK_SORT_DIFFERENCE);
	cache_rowset rs;
	assert_int_equal(cache_rowset_breaks(c, &j, &rs), 0);
	assert_true(rs.n > 100);
	ilist before = { 0 };
	assert_int_equal(cache_rows_breaks(c, rs.ids, rs.n, collect, &before), (long)rs.n);
	/* the first, one in the middle and the last go */
	size_t gone[3] = { 0, rs.n / 2, rs.n - 1 };
	for (int k = 0; k < 3; k++) {
		char id[40];
		int i = before.v[gone[k]];
		snprintf(id, sizeof id, "brk_202611%02d_%06d", 20 + i % 3, i);
		assert_int_equal(cache_delete(c, API_KIND_BREAK, id), 0);
	}
	ilist after = { 0 };
	assert_int_equal(cache_rows_breaks(c, rs.ids, rs.n, collect, &after), (long)rs.n - 3);
	size_t o = 0;
	for (size_t i = 0; i < before.n; i++) {
		if (i == gone[0] || i == gone[1] || i == gone[2])
			continue;
		assert_true(o < after.n);
		assert_int_equal(after.v[o], before.v[i]);
		o++;
	}
	assert_int_equal(o, after.n);
	/* a rowid that never was, and none at all */
	int64_t odd[3] = { rs.ids[1], INT64_MAX, rs.ids[2] };
	ilist two = { 0 };
	assert_int_equal(cache_rows_breaks(c, odd, 3, collect, &two), 2);
	assert_int_equal(two.v[0], before.v[1]);
	assert_int_equal(two.v[1], before.v[2]);
	assert_int_equal(cache_rows_breaks(c, rs.ids, 0, collect, &two), 0);
	ilist_free(&two);
	ilist_free(&before);
	ilist_free(&after);
	cache_rowset_free(&rs);
	cache_rowset_free(&rs); /* twice is harmless */
	cache_close(c);
}

/* ---- 5: the same job ---- */

static void test_job_same(void **state)
{
	(void)state;
	char d1[16] = "2026-11-21", c1[16] = "ch.3", t1[16] = "op.wang";
	char *d2 = strdup(d1), *c2 = strdup(c1), *t2 = strdup(t1);
	assert_non_null(d2);
	assert_non_null(c2);
	assert_non_null(t2);
	cache_break_filter fa = { .recon_date = d1, .channel_id = c1, .text = t1,
				  .types = 1u << BT_LONG, .statuses = 1u << BS_OPEN,
				  .severities = 1u << SEV_HIGH, .min_abs_difference = 500 };
	cache_break_filter fb = fa;
	fb.recon_date = d2;
	fb.channel_id = c2;
	fb.text = t2;
	cache_break_job a, b;
	cache_break_job_set(&a, &fa, CACHE_BREAK_SORT_SEVERITY);
	cache_break_job_set(&b, &fb, CACHE_BREAK_SORT_SEVERITY);
	assert_true(cache_break_job_same(&a, &b));
	assert_true(cache_break_job_same(&b, &a));
	assert_true(cache_break_job_same(&a, &a));
	/* the job owns copies: the caller's strings may change */
	t1[0] = 'X';
	d1[0] = '1';
	c1[0] = 'x';
	assert_true(cache_break_job_same(&a, &b));
	assert_string_equal(a.f.text, "op.wang");
	assert_string_equal(a.f.recon_date, "2026-11-21");
	assert_string_equal(a.f.channel_id, "ch.3");
	/* a copied job is the same job */
	cache_break_job copy = a;
	assert_true(cache_break_job_same(&copy, &b));

	/* any one field differs: another job */
	for (int k = 0; k < 9; k++) {
		cache_break_filter g = fb;
		cache_break_sort s = CACHE_BREAK_SORT_SEVERITY;
		switch (k) {
		case 0: g.recon_date = "2026-11-22"; break;
		case 1: g.channel_id = "ch.4"; break;
		case 2: g.text = "op.li"; break;
		case 3: g.types |= 1u << BT_SHORT; break;
		case 4: g.statuses = 1u << BS_RESOLVED; break;
		case 5: g.severities = 0; break;
		case 6: g.min_abs_difference = 501; break;
		case 7: s = CACHE_BREAK_SORT_SEVERITY + 1; break;
		case 8: g.text = NULL; break;
		}
		cache_break_job c;
		cache_break_job_set(&c, &g, s);
		if (cache_break_job_same(&c, &b) || cache_break_job_same(&b, &c))
			fail_msg("field %d differs, yet the same job", k);
	}
	/* case matters to the job (the query folds ASCII case, but the
	 * job is compared as asked) */
	cache_break_filter up = fb;
	up.text = "OP.WANG";
	cache_break_job u;
	cache_break_job_set(&u, &up, CACHE_BREAK_SORT_SEVERITY);
	assert_false(cache_break_job_same(&u, &b));
	/* no filter at all and an empty one are the same job */
	cache_break_job n1, n2;
	cache_break_filter zero = { 0 };
	cache_break_job_set(&n1, NULL, CACHE_BREAK_SORT_ID);
	cache_break_job_set(&n2, &zero, CACHE_BREAK_SORT_ID);
	assert_true(cache_break_job_same(&n1, &n2));
	cache_break_job_set(&n2, &zero, CACHE_BREAK_SORT_DETECTED);
	assert_false(cache_break_job_same(&n1, &n2));
	free(d2);
	free(c2);
	free(t2);
}

UNIT_MAIN(breakset_setup, breakset_teardown,
	cmocka_unit_test(test_rowset_equals_query),
	cmocka_unit_test(test_rowset_during_bulk_load),
	cmocka_unit_test(test_rowset_first_rows),
	cmocka_unit_test(test_breaks_slow),
	cmocka_unit_test(test_rows_skip_deleted),
	cmocka_unit_test(test_job_same))
