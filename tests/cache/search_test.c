/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/search_test.c: the text filter through the trigram indexes
 * and the plans the panes' pages get, on :memory: caches.
 *
 * Every text query is checked against a brute-force search of the rows
 * (LIKE semantics: a substring of one field, ASCII case folded), whether
 * the index served it (a rare text) or the rows were read (a common one,
 * or one the index cannot narrow); the index follows updates and
 * deletions; and at a few thousand rows every sort of a filter that
 * matches many rows reads its index in order instead of sorting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "cache/cache_int.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

/* ---- rows ---- */

#define NR 24000 /* above the count at which a trigram is common (20,000) */

typedef struct {
	char id[32], merchant[32], order[32], serial[32], assignee[16];
	int status;
} row;

static row rows[NR];

static const char *const statuses[] = { "open", "investigating", "escalated", "resolved", "written_off" };
static const char *const people[] = { "op.wang", "op.li", "op.zhang", "OP.Chen_x", "op.\"q\"", "运营.刘" };

static void mk_row(row *r, int i)
{
	snprintf(r->id, sizeof r->id, "brk_20261121_%06d", i);
	snprintf(r->merchant, sizeof r->merchant, "mer_%06lld", (long long)i * 7919 % 1000003);
	snprintf(r->order, sizeof r->order, "P%09d", i * 31 + 7);
	snprintf(r->serial, sizeof r->serial, "UP%07lldX", (long long)i * 104729 % 9999991);
	snprintf(r->assignee, sizeof r->assignee, "%s", i % 3 ? people[i % 6] : "");
	r->status = i % 5;
}

static json_t *row_json(const row *r, int version)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:i,s:s}",
			      "id", r->id, "recon_date", "2026-11-21", "channel_id", "ch.1",
			      "merchant_id", r->merchant, "order_no", r->order,
			      "channel_serial", r->serial, "type", "amount_mismatch",
			      "platform_amount_minor", (json_int_t)10000,
			      "channel_amount_minor", (json_int_t)10100,
			      "difference_minor", (json_int_t)100, "currency", "CNY",
			      "detected_at", "2026-11-21T08:00:00Z", "severity", "low",
			      "status", statuses[r->status], "version", version,
			      "updated_at", "2026-11-21T09:00:00Z");
	assert_non_null(j);
	if (r->assignee[0])
		json_object_set_new(j, "assignee", json_string(r->assignee));
	else
		json_object_set_new(j, "assignee", json_null());
	return j;
}

static void save_rows(cache *c, const row *r, size_t n, int version)
{
	for (size_t at = 0; at < n; at += 500) {
		size_t k = n - at < 500 ? n - at : 500;
		json_t *arr = json_array();
		for (size_t i = 0; i < k; i++)
			json_array_append_new(arr, row_json(&r[at + i], version));
		fixture_save_items(c, API_KIND_BREAK, arr);
	}
}


/* LIKE '%t%' on one field: a substring, ASCII letters in either case. */
static bool field_has(const char *field, const char *t)
{
	size_t n = strlen(t), m = strlen(field);
	for (size_t i = 0; i + n <= m; i++) {
		size_t k = 0;
		while (k < n && tolower((unsigned char)field[i + k]) == tolower((unsigned char)t[k]))
			k++;
		if (k == n)
			return true;
	}
	return false;
}

static bool row_has(const row *r, const char *t)
{
	return field_has(r->id, t) || field_has(r->merchant, t) || field_has(r->order, t) ||
	       field_has(r->serial, t) || field_has(r->assignee, t);
}

/* ---- the statements the cache runs ---- */

static char last_sql[4096];

static int trace(unsigned type, void *ctx, void *p, void *x)
{
	(void)type, (void)ctx, (void)x;
	char *sql = sqlite3_expanded_sql(p);
	if (sql && strncmp(sql, "SELECT json", 11) == 0)
		snprintf(last_sql, sizeof last_sql, "%s", sql);
	sqlite3_free(sql);
	return 0;
}

/* The query plan of the last page query, one line per step. */
static void last_plan(cache *c, char *out, size_t outsz)
{
	char q[4200];
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", last_sql);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(c->db, q, -1, &st, NULL), SQLITE_OK);
	size_t o = 0;
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW && o < outsz)
		o += (size_t)snprintf(out + o, outsz - o, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
}

typedef struct {
	size_t n;
	char ids[64][32];
} got_t;

static int collect(void *ctx, api_break *b)
{
	got_t *g = ctx;
	if (g->n < 64)
		snprintf(g->ids[g->n], sizeof g->ids[0], "%s", b->id);
	g->n++;
	return 0;
}

/* The count and the first page of text t equal the brute force's. */
static void check_text(cache *c, const char *t)
{
	int64_t want = 0;
	const row *first = NULL;
	for (int i = 0; i < NR; i++)
		if (row_has(&rows[i], t)) {
			want++;
			if (!first)
				first = &rows[i];
		}
	cache_break_filter f = { .text = t };
	int64_t n = -1;
	if (cache_count_breaks(c, &f, &n, NULL) != 0)
		fail_msg("count %s: %s", t, cache_error(c));
	if (n != want)
		fail_msg("text \"%s\": %lld rows, want %lld", t, (long long)n, (long long)want);
	got_t g = { 0 };
	assert_true(cache_query_breaks(c, &f, CACHE_BREAK_SORT_ID, 0, 50, collect, &g) >= 0);
	assert_int_equal(g.n, want < 50 ? want : 50);
	if (first)
		assert_string_equal(g.ids[0], first->id); /* ids ascend with i */
	for (size_t i = 0; i < g.n && i < 64; i++) {
		int k = atoi(g.ids[i] + 13);
		assert_true(k >= 0 && k < NR);
		if (!row_has(&rows[k], t))
			fail_msg("text \"%s\": %s does not match", t, g.ids[i]);
	}
}

static cache *big;

static int setup_big(void **state)
{
	(void)state;
	for (int i = 0; i < NR; i++)
		mk_row(&rows[i], i);
	big = fixture_mem_cache();
	save_rows(big, rows, NR, 1);
	sqlite3_trace_v2(big->db, SQLITE_TRACE_STMT, trace, NULL);
	return 0;
}

static int teardown_big(void **state)
{
	(void)state;
	cache_close(big);
	return 0;
}

/* ---- tests ---- */

static void test_text_matches_brute_force(void **state)
{
	(void)state;
	const char *texts[] = {
		"P000012345",        /* an order number: one row, from the index */
		"mer_0791",          /* '_' is a literal, not LIKE's any-character */
		"MER_07919",         /* ASCII case folded, like LIKE */
		"up0001",            /* a channel serial, lower case */
		"brk_20261121_0000", /* common prefix, then rare */
		"op.",               /* in two thirds of the rows */
		"brk_2026",          /* in every row: read, not indexed */
		"op.wang",           /* common */
		"OP.Chen_",          /* a rarer assignee, mixed case */
		"op.\"q",            /* a double quote inside the text */
		"运营.刘",           /* UTF-8: trigrams of characters, not bytes */
		"%",                 /* a literal percent: nothing has one */
		"_2",                /* two characters: too short for trigrams */
		"X",                 /* one */
		"zzz",               /* a trigram no row has */
		"21_0123",           /* spans the date and the serial of an id */
		"wang\x1f" "mer",    /* a control character is dropped, and a
				      * match never spans two fields */
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		check_text(big, texts[i]);
}

static void test_rare_text_reads_the_index(void **state)
{
	(void)state;
	char plan[2048];
	cache_break_filter f = { .text = "P000012345" };
	got_t g = { 0 };
	assert_true(cache_query_breaks(big, &f, CACHE_BREAK_SORT_DETECTED, 0, 50, collect, &g) >= 0);
	last_plan(big, plan, sizeof plan);
	if (!strstr(plan, "breaks_fts"))
		fail_msg("a rare text did not use the trigram index:\n%s", plan);
	/* a common one walks the sort's index instead of sorting */
	cache_break_filter common = { .text = "brk_2026" };
	for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
		memset(&g, 0, sizeof g);
		assert_true(cache_query_breaks(big, &common, (cache_break_sort)s, 0, 50, collect, &g) >= 0);
		assert_int_equal(g.n, 50);
		last_plan(big, plan, sizeof plan);
		if (strstr(plan, "TEMP B-TREE") || strstr(plan, "breaks_fts"))
			fail_msg("sort %d of a common text:\n%s\n%s", s, last_sql, plan);
	}
}

static void test_pages_read_the_sort_index(void **state)
{
	(void)state;
	char plan[2048];
	/* each filter matches thousands of rows: 50 of them come from reading
	 * the sort's index in order; sorting them all is what must not happen */
	cache_break_filter filters[] = {
		{ .statuses = 1u << BS_OPEN },
		{ .statuses = 1u << BS_OPEN | 1u << BS_ESCALATED },
		{ .types = 1u << BT_AMOUNT_MISMATCH },
		{ .recon_date = "2026-11-21" },
		{ .severities = 1u << SEV_LOW, .statuses = 1u << BS_RESOLVED },
	};
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
			got_t g = { 0 };
			last_sql[0] = '\0';
			assert_true(cache_query_breaks(big, &filters[i], (cache_break_sort)s, 0, 50,
						       collect, &g) >= 0);
			assert_int_equal(g.n, 50);
			last_plan(big, plan, sizeof plan);
			if (strstr(plan, "USE TEMP B-TREE FOR ORDER BY"))
				fail_msg("filter %zu, sort %d sorts every match:\n%s\n%s", i, s, last_sql, plan);
		}
	}
}

static void test_index_follows_changes(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	row r[3];
	for (int i = 0; i < 3; i++)
		mk_row(&r[i], i);
	save_rows(c, r, 3, 1);
	char old[32];
	snprintf(old, sizeof old, "%s", r[1].order);
	cache_break_filter f = { .text = old };
	int64_t n = -1;
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	assert_int_equal(n, 1);
	/* a new version with another order number: the old one is gone from
	 * the index, the new one is in it */
	snprintf(r[1].order, sizeof r[1].order, "Q777888999");
	save_rows(c, &r[1], 1, 2);
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	assert_int_equal(n, 0);
	cache_break_filter f2 = { .text = "Q777888999" };
	assert_int_equal(cache_count_breaks(c, &f2, &n, NULL), 0);
	assert_int_equal(n, 1);
	/* deleted: not found */
	assert_int_equal(cache_delete(c, API_KIND_BREAK, r[1].id), 0);
	assert_int_equal(cache_count_breaks(c, &f2, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* the index agrees with its table */
	assert_int_equal(sqlite3_exec(c->db, "INSERT INTO breaks_fts (breaks_fts, rank)"
				      " VALUES ('integrity-check', 1)", NULL, NULL, NULL), SQLITE_OK);
	cache_close(c);
}

UNIT_MAIN(setup_big, teardown_big,
	cmocka_unit_test(test_text_matches_brute_force),
	cmocka_unit_test(test_rare_text_reads_the_index),
	cmocka_unit_test(test_pages_read_the_sort_index),
	cmocka_unit_test(test_index_follows_changes))
