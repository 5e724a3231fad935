/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/query_test.c: the big panes' queries against brute force:
 * pages by offset and keyset, filters, counts and sums (from the summary
 * table and from the rows), cases and limits and the counts of their
 * panes, the recon summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

static void test_recon_summary(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	fixture_break bs[4];
	for (int i = 0; i < 4; i++) {
		bs[i] = fixture_mk_break(i * 2); /* even: date 2026-11-20 */
		snprintf(bs[i].channel, sizeof bs[i].channel, "%s", i < 3 ? "unionpay.qr" : "nucc.qr");
		bs[i].status = i == 1 ? 3 /* resolved */ : 0;
		bs[i].diff = 100 * (i + 1);
	}
	assert_int_equal(fixture_save_breaks(c, bs, 4), 0);
	static const char sum[] =
		"{\"date\": \"2026-11-20\", \"channels\": [{\"channel_id\": \"zz.last\","
		" \"file_status\": \"missing\", \"matched_count\": 0, \"break_count\": 0,"
		" \"open_count\": 0, \"net_difference_minor\": 0, \"currency\": \"HKD\"},"
		" {\"channel_id\": \"unionpay.qr\","
		" \"file_status\": \"parsed\", \"matched_count\": 120345, \"break_count\": 3,"
		" \"open_count\": 2, \"net_difference_minor\": 600, \"currency\": \"CNY\"},"
		" {\"channel_id\": \"aa.first\","
		" \"file_status\": \"late\", \"matched_count\": 5, \"break_count\": 0,"
		" \"open_count\": 0, \"net_difference_minor\": 0, \"currency\": \"USD\"}]}";
	assert_int_equal(cache_save_summary_json(c, sum, strlen(sum), 5), 0);
	api_recon_summary s = {0};
	assert_int_equal(cache_recon_summary(c, NULL, &s), 0);
	assert_string_equal(s.date, "2026-11-20");
	assert_int_equal(s.n_channels, 2);
	assert_string_equal(s.channels[0].channel_id, "nucc.qr");
	assert_int_equal(s.channels[0].break_count, 1);
	assert_int_equal(s.channels[0].net_difference_minor, 400);
	assert_int_equal(s.channels[0].file_status, FILE_UNKNOWN);
	assert_int_equal(s.channels[0].matched_count, -1);
	/* not in the platform's summary: the currency of one of its breaks */
	assert_string_equal(s.channels[0].currency, "CNY");
	assert_string_equal(s.channels[1].channel_id, "unionpay.qr");
	assert_int_equal(s.channels[1].break_count, 3);
	assert_int_equal(s.channels[1].open_count, 2);
	assert_int_equal(s.channels[1].net_difference_minor, 600);
	assert_int_equal(s.channels[1].file_status, FILE_PARSED);
	assert_int_equal(s.channels[1].matched_count, 120345);
	assert_string_equal(s.channels[1].currency, "CNY");
	api_recon_summary_free(&s);
	assert_int_equal(cache_recon_summary(c, "2030-01-01", &s), 0);
	assert_int_equal(s.n_channels, 0);
	api_recon_summary_free(&s);
	cache_close(c);
}

/* ---- paged queries ---- */

#define NB 1000
static fixture_break many[NB];

typedef struct {
	char ids[NB][32];
	int64_t abs[NB];
	size_t n;
} collected;

static int collect(void *ctx, api_break *b)
{
	collected *c = ctx;
	if (c->n < NB) {
		snprintf(c->ids[c->n], sizeof c->ids[0], "%s", b->id);
		c->abs[c->n] = b->difference_minor < 0 ? -b->difference_minor : b->difference_minor;
		c->n++;
	}
	return 0;
}

static bool brute_match(const fixture_break *b, const cache_break_filter *f)
{
	if (f->recon_date && strcmp(f->recon_date, b->date))
		return false;
	if (f->channel_id && strcmp(f->channel_id, b->channel))
		return false;
	if (f->types && !(f->types & (1u << b->type)))
		return false;
	if (f->statuses && !(f->statuses & (1u << b->status)))
		return false;
	if (f->severities && !(f->severities & (1u << b->sev)))
		return false;
	int64_t a = b->diff < 0 ? -b->diff : b->diff;
	if (f->min_abs_difference && a < f->min_abs_difference)
		return false;
	if (f->text && !strstr(b->id, f->text) && !strstr(b->merchant, f->text))
		return false;
	return true;
}

static void check_filter(cache *c, const cache_break_filter *f)
{
	int64_t want_n = 0, want_sum = 0;
	for (int i = 0; i < NB; i++) {
		if (brute_match(&many[i], f)) {
			want_n++;
			want_sum += many[i].diff;
		}
	}
	int64_t n = -1, sum = -1;
	if (cache_count_breaks(c, f, &n, &sum) != 0)
		fail_msg("count: %s", cache_error(c));
	assert_int_equal(n, want_n);
	assert_int_equal(sum, want_sum);
	/* paging through it gives each match exactly once, in order */
	static collected got;
	memset(&got, 0, sizeof got);
	for (size_t off = 0;; off += 37) {
		size_t before = got.n;
		long r = cache_query_breaks(c, f, CACHE_BREAK_SORT_DIFFERENCE, off, 37, collect, &got);
		assert_true(r >= 0);
		assert_int_equal((size_t)r, got.n - before);
		if (r < 37)
			break;
	}
	assert_int_equal(got.n, (size_t)want_n);
	for (size_t i = 1; i < got.n; i++)
		assert_true(got.abs[i - 1] >= got.abs[i]);
	for (size_t i = 0; i < got.n; i++)
		for (size_t k = i + 1; k < got.n; k++)
			if (strcmp(got.ids[i], got.ids[k]) == 0)
				fail_msg("%s twice", got.ids[i]);
	for (size_t i = 0; i < got.n; i++) {
		bool in = false;
		for (int k = 0; k < NB && !in; k++)
			in = strcmp(many[k].id, got.ids[i]) == 0 && brute_match(&many[k], f);
		assert_true(in);
	}
}

static void test_paging_and_filters(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	for (int i = 0; i < NB; i++)
		many[i] = fixture_mk_break(i);
	/* two pages, each its own transaction */
	assert_int_equal(fixture_save_breaks(c, many, NB / 2), 0);
	assert_int_equal(fixture_save_breaks(c, many + NB / 2, NB / 2), 0);

	cache_break_filter none = {0};
	check_filter(c, &none);
	cache_break_filter f1 = { .statuses = 1u << BS_OPEN | 1u << BS_ESCALATED };
	check_filter(c, &f1);
	cache_break_filter f2 = { .channel_id = "ch.3", .recon_date = "2026-11-21" };
	check_filter(c, &f2);
	cache_break_filter f3 = { .types = 1u << BT_AMOUNT_MISMATCH, .severities = 1u << SEV_HIGH,
				  .min_abs_difference = 20000 };
	check_filter(c, &f3);
	cache_break_filter f4 = { .text = "mer_00012" };
	check_filter(c, &f4);
	cache_break_filter f5 = { .text = "%_" }; /* wildcards are literal */
	int64_t n;
	assert_int_equal(cache_count_breaks(c, &f5, &n, NULL), 0);
	assert_int_equal(n, 0);
	cache_break_filter f6 = { .channel_id = "no-such" };
	check_filter(c, &f6);

	/* other sorts are stable too: pages of the default sort never overlap */
	static collected a;
	memset(&a, 0, sizeof a);
	for (size_t off = 0; off < NB; off += 100)
		cache_query_breaks(c, NULL, CACHE_BREAK_SORT_DETECTED, off, 100, collect, &a);
	assert_int_equal(a.n, NB);
	for (size_t i = 0; i < a.n; i++)
		for (size_t k = i + 1; k < a.n; k++)
			if (strcmp(a.ids[i], a.ids[k]) == 0)
				fail_msg("%s twice", a.ids[i]);
	for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
		memset(&a, 0, sizeof a);
		assert_int_equal(cache_query_breaks(c, &f1, s, 5, 10, collect, &a), 10);
	}
	cache_close(c);
}

/* ---- keyset paging ---- */

static void keyset_equals_offset(cache *c, const cache_break_filter *f, cache_break_sort s)
{
	static collected ref, got;
	memset(&ref, 0, sizeof ref);
	memset(&got, 0, sizeof got);
	assert_true(cache_query_breaks(c, f, s, 0, NB, collect, &ref) >= 0);
	cache_pos pos = {0};
	for (int guard = 0; guard < NB; guard++) {
		long r = cache_query_breaks_after(c, f, s, &pos, 37, collect, &got);
		if (r < 0)
			fail_msg("keyset sort %d: %s", (int)s, cache_error(c));
		if (r < 37)
			break;
	}
	assert_int_equal(got.n, ref.n);
	for (size_t i = 0; i < ref.n; i++)
		if (strcmp(ref.ids[i], got.ids[i]) != 0)
			fail_msg("sort %d row %zu: keyset %s, offset %s", (int)s, i, got.ids[i], ref.ids[i]);
}

static void test_keyset_paging(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	for (int i = 0; i < NB; i++)
		many[i] = fixture_mk_break(i);
	assert_int_equal(fixture_save_breaks(c, many, NB), 0);
	cache_break_filter f1 = { .statuses = 1u << BS_OPEN | 1u << BS_ESCALATED };
	cache_break_filter f2 = { .recon_date = "2026-11-20", .min_abs_difference = 30000 };
	for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
		keyset_equals_offset(c, NULL, (cache_break_sort)s);
		keyset_equals_offset(c, &f1, (cache_break_sort)s);
		keyset_equals_offset(c, &f2, (cache_break_sort)s);
	}
	/* a position belongs to its sort */
	static collected got;
	memset(&got, 0, sizeof got);
	cache_pos pos = {0};
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &pos, 5, collect, &got), 5);
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_SEVERITY, &pos, 5, collect, &got), -1);

	/* rows arriving and leaving mid-walk: the rows after the position
	 * come exactly once, none is skipped */
	memset(&got, 0, sizeof got);
	memset(&pos, 0, sizeof pos);
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &pos, 300, collect, &got), 300);
	fixture_break fresh = fixture_mk_break(NB + 5); /* newest of all: before the position */
	fresh.detected = 1795000000 + 6000;
	assert_int_equal(fixture_save_breaks(c, &fresh, 1), 0);
	/* one not yet seen goes away */
	static collected rest;
	memset(&rest, 0, sizeof rest);
	cache_pos peek = pos;
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &peek, 1, collect, &rest), 1);
	assert_int_equal(cache_delete(c, API_KIND_BREAK, rest.ids[0]), 0);
	while (cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &pos, 64, collect, &got) == 64)
		;
	assert_int_equal(got.n, NB - 1);
	for (size_t i = 0; i < got.n; i++) {
		assert_string_not_equal(got.ids[i], rest.ids[0]);
		assert_string_not_equal(got.ids[i], fresh.id);
		for (size_t k = i + 1; k < got.n; k++)
			if (strcmp(got.ids[i], got.ids[k]) == 0)
				fail_msg("%s twice", got.ids[i]);
	}
	cache_close(c);
}

/* ---- the summary table against brute force ---- */

/* The same filter counted from the rows: a text filter every id matches
 * keeps the count off the summary. */
static void summary_equals_rows(cache *c, const cache_break_filter *f)
{
	cache_break_filter g = *f;
	g.text = "brk_";
	int64_t n1 = -1, s1 = -1, n2 = -2, s2 = -2;
	if (cache_count_breaks(c, f, &n1, &s1) != 0 || cache_count_breaks(c, &g, &n2, &s2) != 0)
		fail_msg("count: %s", cache_error(c));
	if (n1 != n2 || s1 != s2)
		fail_msg("summary %lld/%lld, rows %lld/%lld (min %lld)", (long long)n1, (long long)s1,
			 (long long)n2, (long long)s2, (long long)f->min_abs_difference);
}

static void summary_all_filters(cache *c)
{
	static const int64_t mins[] = { 0, 1, 9, 10, 20000, 23456, 99999, 100000 };
	for (size_t m = 0; m < sizeof mins / sizeof mins[0]; m++) {
		cache_break_filter f[] = {
			{ .min_abs_difference = mins[m] },
			{ .statuses = 1u << BS_OPEN | 1u << BS_RESOLVED, .min_abs_difference = mins[m] },
			{ .recon_date = "2026-11-21", .min_abs_difference = mins[m] },
			{ .types = 1u << BT_LONG | 1u << BT_AMOUNT_MISMATCH, .severities = 1u << SEV_HIGH,
			  .min_abs_difference = mins[m] },
		};
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
			summary_equals_rows(c, &f[i]);
	}
}

static void test_summary_matches_rows(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	for (int i = 0; i < NB; i++)
		many[i] = fixture_mk_break(i);
	/* a first load the bulk way: no triggers, the summary built at the end */
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 0);
	assert_true(cache_bulk_active(c, API_KIND_BREAK));
	assert_int_equal(fixture_save_breaks(c, many, NB / 2), 0);
	summary_all_filters(c); /* during the load: counted from the rows */
	assert_int_equal(cache_bulk_end(c, API_KIND_BREAK), 0);
	assert_false(cache_bulk_active(c, API_KIND_BREAK));
	summary_all_filters(c);
	/* a table with rows does not start another */
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 1);
	/* inserts through the triggers */
	assert_int_equal(fixture_save_breaks(c, many + NB / 2, NB / 2), 0);
	summary_all_filters(c);
	/* updates: status, difference (across buckets and sign), date */
	static fixture_break upd[200];
	for (int i = 0; i < 200; i++) {
		upd[i] = many[i * 5];
		upd[i].version = 2;
		upd[i].status = (upd[i].status + 1) % 5;
		upd[i].diff = i % 3 ? -upd[i].diff * 10 - 7 : upd[i].diff / 100;
		if (i % 4 == 0)
			snprintf(upd[i].date, sizeof upd[i].date, "2026-11-22");
	}
	assert_int_equal(fixture_save_breaks(c, upd, 200), 0);
	summary_all_filters(c);
	/* an older copy changes nothing */
	upd[0].version = 1;
	upd[0].status = BS_WRITTEN_OFF;
	assert_int_equal(fixture_save_breaks(c, upd, 1), 0);
	summary_all_filters(c);
	/* deletions, one by one and by the sweep of a walk that saw a third */
	for (int i = 1; i < 50; i++)
		assert_int_equal(cache_delete(c, API_KIND_BREAK, many[i * 7].id), 0);
	summary_all_filters(c);
	assert_int_equal(cache_walk_begin(c, API_KIND_BREAK), 0);
	assert_int_equal(fixture_save_breaks(c, many, NB / 3), 0);
	assert_true(cache_walk_end(c, API_KIND_BREAK) > 0);
	summary_all_filters(c);
	int64_t n = -1;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_true(n > 0 && n <= NB / 3);
	cache_close(c);
}

typedef struct { int n; time_t last_sla; bool ordered; } case_walk;

static int case_cb(void *ctx, api_case *cs)
{
	case_walk *w = ctx;
	if (w->n && cs->sla_due_at < w->last_sla)
		w->ordered = false;
	w->last_sla = cs->sla_due_at;
	w->n++;
	return 0;
}

typedef struct { int n; int64_t last; bool ordered; } limit_walk;

static int limit_cb(void *ctx, api_limit *l)
{
	limit_walk *w = ctx;
	int64_t h = l->limit_minor - l->used_minor;
	if (w->n && h < w->last)
		w->ordered = false;
	w->last = h;
	w->n++;
	return w->n >= 5; /* the callback can stop early */
}

static void test_cases_and_limits_queries(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	static const char *const stages[] = { "submitted", "doc_check", "manual_review", "approved" };
	static const char *const risks[] = { "low", "medium", "high" };
	json_t *items[60];
	int want_stage2_high = 0, want_unassigned = 0, want_breached = 0;
	for (int i = 0; i < 60; i++) {
		char id[32], sub[32], sla[32];
		snprintf(id, sizeof id, "case_%06d", i);
		snprintf(sub, sizeof sub, "2026-11-21T0%d:00:00Z", i % 10);
		snprintf(sla, sizeof sla, "2026-11-2%dT%02d:00:00Z", 1 + i % 3, i % 24);
		const char *assignee = i % 4 == 0 ? NULL : "op.li";
		items[i] = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:[],s:s,s:s,s:o,s:i}",
				     "id", id, "merchant_id", "mer_1", "merchant_name", i == 7 ? "火锅店" : "面馆",
				     "mcc", "5812", "category", "restaurant", "channel_requested", "unionpay.qr",
				     "source", "api", "stage", stages[i % 4], "risk_level", risks[i % 3],
				     "risk_score", i, "checks", "submitted_at", sub, "sla_due_at", sla,
				     "assignee", assignee ? json_string(assignee) : json_null(), "version", 1);
		assert_non_null(items[i]);
		if (i % 4 == 2 && i % 3 == 2)
			want_stage2_high++;
		if (i % 4 == 0)
			want_unassigned++;
		time_t t;
		struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 21 + i % 3, .tm_hour = i % 24 };
		t = timegm(&tm);
		if (t < 1795305600 /* 2026-11-22T00:00:00Z */ && i % 4 != 3)
			want_breached++;
	}
	char *body = fixture_page_of(items, 60, NULL);
	cache_page_result r;
	assert_int_equal(cache_save_page(c, API_KIND_CASE, body, strlen(body), &r), 0);
	assert_int_equal(r.n_saved, 60);
	cache_page_result_free(&r);
	free(body);
	cache_case_filter f = { .stages = 1u << STAGE_MANUAL_REVIEW, .risks = 1u << RISK_HIGH };
	int64_t n, br;
	assert_int_equal(cache_count_cases(c, &f, 0, &n, NULL), 0);
	assert_int_equal(n, want_stage2_high);
	cache_case_filter un = { .assignee = "" };
	assert_int_equal(cache_count_cases(c, &un, 0, &n, NULL), 0);
	assert_int_equal(n, want_unassigned);
	cache_case_filter li = { .assignee = "op.li" };
	assert_int_equal(cache_count_cases(c, &li, 0, &n, NULL), 0);
	assert_int_equal(n, 60 - want_unassigned);
	cache_case_filter tx = { .text = "火锅" };
	assert_int_equal(cache_count_cases(c, &tx, 0, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cache_count_cases(c, NULL, 1795305600, &n, &br), 0);
	assert_int_equal(n, 60);
	assert_int_equal(br, want_breached);
	case_walk w = { .ordered = true };
	assert_int_equal(cache_query_cases(c, NULL, CACHE_CASE_SORT_SLA, 0, 100, case_cb, &w), 60);
	assert_true(w.ordered);

	json_t *lims[20];
	static const char *const scopes[] = { "merchant", "channel", "reserve" };
	static const char *const lstates[] = { "ok", "warning", "breached" };
	int64_t want_head = 0;
	int want_res = 0;
	for (int i = 0; i < 20; i++) {
		char id[32];
		snprintf(id, sizeof id, "lim_%03d", i);
		lims[i] = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:f,s:s,s:s,s:i}",
				    "id", id, "scope", scopes[i % 3], "scope_id", "x", "name", "n",
				    "period", "day", "limit_minor", (json_int_t)1000000,
				    "used_minor", (json_int_t)(i * 50000), "currency", "CNY",
				    "warn_at", 0.8, "state", lstates[i % 3],
				    "resets_at", "2026-11-21T16:00:00Z", "version", 1);
		if (i % 3 == 2) {
			want_res++;
			want_head += 1000000 - i * 50000;
		}
	}
	body = fixture_page_of(lims, 20, NULL);
	assert_int_equal(cache_save_page(c, API_KIND_LIMIT, body, strlen(body), &r), 0);
	cache_page_result_free(&r);
	free(body);
	cache_limit_filter lf = { .scopes = 1u << SCOPE_RESERVE };
	int64_t head;
	assert_int_equal(cache_count_limits(c, &lf, &n, &head), 0);
	assert_int_equal(n, want_res);
	assert_int_equal(head, want_head);
	limit_walk lw = { .ordered = true };
	assert_int_equal(cache_query_limits(c, NULL, CACHE_LIMIT_SORT_HEADROOM, 0, 100, limit_cb, &lw), 5);
	assert_true(lw.ordered);
	assert_int_equal(lw.last, 1000000 - 15 * 50000);
	cache_close(c);
}

/* ---- the panes' counts: per stage, per state ---- */

/* A cache file of its own in the test directory. */
static cache *file_cache(const char *name, char *path, size_t pathsz)
{
	char msg[512];
	snprintf(path, pathsz, "%s/%s", fixture_dir, name);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_string_equal(msg, "");
	return c;
}

#define NCASES 96
#define SLA_NOW 1795305600 /* 2026-11-22T00:00:00Z */

/* Case i: every stage, risk by i % 3, unassigned when i % 5 == 0, SLA
 * due from a day before SLA_NOW to a day after. */
static json_t *count_case(int i, time_t *sla)
{
	char id[32], sub[32], due[32];
	*sla = SLA_NOW - 86400 + (time_t)i * 1800;
	fixture_time(*sla, due);
	snprintf(id, sizeof id, "case_%06d", i);
	snprintf(sub, sizeof sub, "2026-11-20T%02d:00:00Z", i % 24);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:[],s:s,s:s,s:o,s:i}",
			      "id", id, "merchant_id", "mer_1", "merchant_name", i % 7 ? "面馆" : "火锅店",
			      "mcc", "5812", "category", "restaurant", "channel_requested", "unionpay.qr",
			      "source", "api", "stage", api_stage_str((api_stage)(i % STAGE_UNKNOWN)),
			      "risk_level", api_risk_str((api_risk)(i % 3)), "risk_score", i, "checks",
			      "submitted_at", sub, "sla_due_at", due,
			      "assignee", i % 5 ? json_string("op.li") : json_null(), "version", 1);
	assert_non_null(j);
	return j;
}

/* What cache_count_cases_by_stage must say, counted here. */
static void cases_brute(const cache_case_filter *f, const time_t *sla, cache_case_counts *want)
{
	memset(want, 0, sizeof *want);
	for (int i = 0; i < NCASES; i++) {
		int stage = i % STAGE_UNKNOWN;
		bool text = !f->text || i % 7 == 0; /* the only text asked: 火锅 */
		bool other = (!f->risks || (f->risks & (1u << (i % 3)))) &&
			     (!f->assignee || (*f->assignee ? i % 5 != 0 : i % 5 == 0)) && text;
		if (!other)
			continue;
		if (!f->stages || (f->stages & (1u << stage)))
			want->by_stage[stage]++;
		if (f->stages && !(f->stages & (1u << stage)))
			continue;
		want->count++;
		if (sla[i] < SLA_NOW && stage != STAGE_APPROVED && stage != STAGE_REJECTED)
			want->sla_breached++;
	}
}

static void expect_case_counts(cache *c, const cache_case_filter *f, const time_t *sla)
{
	cache_case_counts want, got;
	cases_brute(f, sla, &want);
	memset(&got, 0xff, sizeof got);
	if (cache_count_cases_by_stage(c, f, SLA_NOW, &got) != 0)
		fail_msg("count cases: %s", cache_error(c));
	assert_int_equal(got.count, want.count);
	assert_int_equal(got.sla_breached, want.sla_breached);
	for (int s = 0; s < STAGE_UNKNOWN; s++)
		if (got.by_stage[s] != want.by_stage[s])
			fail_msg("stage %s: %lld, want %lld", api_stage_str((api_stage)s),
				 (long long)got.by_stage[s], (long long)want.by_stage[s]);
	/* the same as asking cache_count_cases itself */
	int64_t n = -1, br = -1;
	assert_int_equal(cache_count_cases(c, f, SLA_NOW, &n, &br), 0);
	assert_int_equal(n, got.count);
	assert_int_equal(br, got.sla_breached);
}

static void test_case_counts_by_stage(void **state)
{
	(void)state;
	char path[512];
	cache *c = file_cache("case-counts.db", path, sizeof path);
	time_t sla[NCASES];
	json_t *arr = json_array();
	for (int i = 0; i < NCASES; i++)
		json_array_append_new(arr, count_case(i, &sla[i]));
	assert_int_equal(fixture_save_items(c, API_KIND_CASE, arr), 0);

	cache_case_filter none = {0};
	expect_case_counts(c, &none, sla);
	cache_case_filter two = { .stages = 1u << STAGE_MANUAL_REVIEW | 1u << STAGE_APPROVED };
	expect_case_counts(c, &two, sla);
	cache_case_filter high = { .risks = 1u << RISK_HIGH, .assignee = "" };
	expect_case_counts(c, &high, sla);
	cache_case_filter text = { .text = "火锅", .stages = 1u << STAGE_SUBMITTED | 1u << STAGE_RETURNED };
	expect_case_counts(c, &text, sla);
	/* no filter at all is no filter */
	cache_case_counts all, nul;
	assert_int_equal(cache_count_cases_by_stage(c, &none, SLA_NOW, &all), 0);
	assert_int_equal(cache_count_cases_by_stage(c, NULL, SLA_NOW, &nul), 0);
	assert_memory_equal(&all, &nul, sizeof all);
	assert_int_equal(all.count, NCASES);
	assert_int_equal(all.by_stage[STAGE_SUBMITTED], NCASES / STAGE_UNKNOWN);

	/* a count that fails leaves out as it was */
	fixture_sql_exec(path, "ALTER TABLE cases RENAME TO cases_gone");
	cache_case_counts keep;
	memset(&keep, 0x5a, sizeof keep);
	cache_case_counts before = keep;
	assert_int_equal(cache_count_cases_by_stage(c, &none, SLA_NOW, &keep), -1);
	assert_memory_equal(&keep, &before, sizeof keep);
	assert_string_not_equal(cache_error(c), "");
	cache_close(c);
}

#define NLIMITS 45

/* Limit i: scope by i % 3, state by i % 4 (ok twice as often), used
 * i * 20,000 of 1,000,000. */
static json_t *count_limit(int i)
{
	static const char *const st[] = { "ok", "warning", "breached", "ok" };
	char id[32], name[32];
	snprintf(id, sizeof id, "lim_%03d", i);
	snprintf(name, sizeof name, i % 9 ? "daily cap" : "夜间 cap");
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:f,s:s,s:s,s:i}",
			      "id", id, "scope", api_limit_scope_str((api_limit_scope)(i % 3)), "scope_id", "x",
			      "name", name, "period", "day", "limit_minor", (json_int_t)1000000,
			      "used_minor", (json_int_t)i * 20000, "currency", "CNY",
			      "warn_at", 0.8, "state", st[i % 4],
			      "resets_at", "2026-11-21T16:00:00Z", "version", 1);
	assert_non_null(j);
	return j;
}

static void expect_limit_counts(cache *c, const cache_limit_filter *f)
{
	cache_limit_counts want = {0}, got;
	static const int state_of[] = { LS_OK, LS_WARNING, LS_BREACHED, LS_OK };
	for (int i = 0; i < NLIMITS; i++) {
		int st = state_of[i % 4];
		if ((f->scopes && !(f->scopes & (1u << (i % 3)))) ||
		    (f->states && !(f->states & (1u << st))) || (f->text && i % 9))
			continue;
		want.count++;
		want.sum_headroom_minor += 1000000 - (int64_t)i * 20000;
		want.warning += st == LS_WARNING;
		want.breached += st == LS_BREACHED;
	}
	memset(&got, 0xff, sizeof got);
	if (cache_count_limits_by_state(c, f, &got) != 0)
		fail_msg("count limits: %s", cache_error(c));
	assert_int_equal(got.count, want.count);
	assert_int_equal(got.sum_headroom_minor, want.sum_headroom_minor);
	assert_int_equal(got.warning, want.warning);
	assert_int_equal(got.breached, want.breached);
}

static void test_limit_counts_by_state(void **state)
{
	(void)state;
	char path[512];
	cache *c = file_cache("limit-counts.db", path, sizeof path);
	json_t *arr = json_array();
	for (int i = 0; i < NLIMITS; i++)
		json_array_append_new(arr, count_limit(i));
	assert_int_equal(fixture_save_items(c, API_KIND_LIMIT, arr), 0);

	cache_limit_filter none = {0};
	expect_limit_counts(c, &none);
	cache_limit_filter warn = { .states = 1u << LS_WARNING };
	expect_limit_counts(c, &warn);
	cache_limit_filter ok = { .states = 1u << LS_OK, .scopes = 1u << SCOPE_RESERVE };
	expect_limit_counts(c, &ok);
	cache_limit_filter text = { .text = "夜间" };
	expect_limit_counts(c, &text);
	cache_limit_counts all;
	assert_int_equal(cache_count_limits_by_state(c, NULL, &all), 0);
	assert_int_equal(all.count, NLIMITS);
	assert_true(all.warning > 0 && all.breached > 0);

	fixture_sql_exec(path, "ALTER TABLE limits RENAME TO limits_gone");
	cache_limit_counts keep;
	memset(&keep, 0x5a, sizeof keep);
	cache_limit_counts before = keep;
	assert_int_equal(cache_count_limits_by_state(c, &none, &keep), -1);
	assert_memory_equal(&keep, &before, sizeof keep);
	cache_close(c);
}

/* The queues' headlines: active breaks by severity and their net against
 * the rows; samples kept, found at or before a time, pruned after a week. */
static void test_headlines(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	enum { N = 60 };
	fixture_break bs[N];
	int64_t want_n[3] = { 0 }, want_net[3] = { 0 };
	for (int i = 0; i < N; i++) {
		bs[i] = fixture_mk_break(i);
		if ((API_BREAKS_ACTIVE >> bs[i].status) & 1) {
			want_n[bs[i].sev]++;
			want_net[bs[i].sev] += bs[i].diff;
		}
	}
	assert_int_equal(fixture_save_breaks(c, bs, N), 0);
	cache_headline h;
	assert_int_equal(cache_headline_now(c, 1000, &h), 0);
	assert_int_equal(h.at, 1000);
	int64_t active = 0;
	for (int s = SEV_LOW; s <= SEV_HIGH; s++) {
		assert_int_equal(h.breaks[s], want_n[s]);
		assert_int_equal(h.breaks_net_minor[s], want_net[s]);
		active += h.breaks[s];
	}
	assert_true(active > 0 && active < N); /* the spread has both kinds */
	assert_int_equal(h.cases_open, 0);
	assert_int_equal(h.limits_breached, 0);

	cache_headline got;
	assert_int_equal(cache_headline_at(c, 5000, &got), 0); /* none yet */
	assert_int_equal(cache_headline_record(c, &h), 0);
	cache_headline later = h;
	later.at = 2000;
	later.cases_open = 7;
	later.breaks_net_minor[SEV_HIGH] = -123456789012;
	assert_int_equal(cache_headline_record(c, &later), 0);
	assert_int_equal(cache_headline_at(c, 999, &got), 0);
	assert_int_equal(cache_headline_at(c, 1500, &got), 1);
	assert_int_equal(got.at, 1000);
	assert_memory_equal(&got, &h, sizeof got);
	assert_int_equal(cache_headline_at(c, 2000, &got), 1);
	assert_int_equal(got.cases_open, 7);
	assert_int_equal(got.breaks_net_minor[SEV_HIGH], -123456789012);
	/* a week after the last, the older ones are gone */
	cache_headline week = h;
	week.at = 1000 + 7 * 24 * 3600 + 1;
	assert_int_equal(cache_headline_record(c, &week), 0);
	assert_int_equal(cache_headline_at(c, 1500, &got), 0);
	assert_int_equal(cache_headline_at(c, 2000, &got), 1);
	cache_close(c);
}

UNIT_MAIN(fixture_setup_dir, fixture_teardown_dir,
	cmocka_unit_test(test_headlines),
	cmocka_unit_test(test_recon_summary),
	cmocka_unit_test(test_paging_and_filters),
	cmocka_unit_test(test_cases_and_limits_queries),
	cmocka_unit_test(test_keyset_paging),
	cmocka_unit_test(test_summary_matches_rows),
	cmocka_unit_test(test_case_counts_by_stage),
	cmocka_unit_test(test_limit_counts_by_state))
