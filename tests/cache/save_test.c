/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/save_test.c: what the cache keeps: pages saved and loaded
 * back into the store, newer versions kept over older, objects the walk
 * did not see swept, the sync state, events applied through incr, the
 * stream's batch and the refetch that believes an older version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ev.h"
#include "cache/cache.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/incr.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

/* ---- round trips ---- */

static char *page_json(const char *items_json, const char *next)
{
	size_t n = strlen(items_json) + 128;
	char *s = malloc(n);
	assert_non_null(s);
	if (next)
		snprintf(s, n, "{\"data\": [%s], \"next_cursor\": \"%s\"}", items_json, next);
	else
		snprintf(s, n, "{\"data\": [%s], \"next_cursor\": null}", items_json);
	return s;
}

static void test_small_round_trip(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	static const char ch[] =
		"{\"id\":\"icbc.direct.quickpay\",\"name\":\"工商银行 快捷支付\",\"network\":\"bank_direct\","
		"\"link_id\":\"icbc-bj-01\",\"admin_state\":\"enabled\",\"health\":\"healthy\","
		"\"breaker\":\"closed\",\"window_s\":60,\"tps\":123.4,\"system_success_rate\":0.9992,"
		"\"business_success_rate\":0.941,\"latency_ms\":{\"p50\":85,\"p95\":210,\"p99\":480},"
		"\"traffic_share\":0.18,\"top_errors\":[],\"interfaces\":[],\"maintenance\":null,"
		"\"version\":17,\"updated_at\":\"2026-11-21T08:15:00Z\",\"updated_by\":\"op.zhang\"}";
	char *two = malloc(sizeof ch * 2 + 8);
	snprintf(two, sizeof ch * 2 + 8, "%s,%s", ch, ch);
	/* the second copy gets another id */
	char *second = strstr(two + 1, "icbc.direct.quickpay");
	second = strstr(second + 1, "icbc.direct.quickpay");
	memcpy(second, "abcd", 4);
	char *p1 = page_json(two, "c2");
	char *p2 = page_json("{\"id\":\"qr.cny\",\"name\":\"二维码\",\"strategy\":\"weighted\","
			     "\"members\":[{\"channel_id\":\"unionpay.qr\",\"weight_pct\":100,\"eligible\":true}],"
			     "\"override\":null,\"version\":4}", NULL);
	char *p3 = page_json("{\"id\":\"alr_1\",\"fingerprint\":\"9f3c2a\",\"severity\":\"critical\","
			     "\"state\":\"firing\",\"title\":\"t\",\"summary\":\"s\",\"labels\":{},"
			     "\"starts_at\":\"2026-11-21T08:10:00Z\",\"ends_at\":null,\"acked_by\":null,"
			     "\"source\":\"platform\"}", NULL);
	const char *b1[] = { p1 };
	size_t l1[] = { strlen(p1) };
	assert_int_equal(cache_save_pages(c, API_KIND_CHANNEL, b1, l1, 1, 1000), 0);
	const char *b2[] = { p2 };
	size_t l2[] = { strlen(p2) };
	assert_int_equal(cache_save_pages(c, API_KIND_ROUTE, b2, l2, 1, 1001), 0);
	const char *b3[] = { p3 };
	size_t l3[] = { strlen(p3) };
	assert_int_equal(cache_save_pages(c, API_KIND_ALERT, b3, l3, 1, 1002), 0);

	store *s = store_new();
	assert_int_equal(cache_load_small(c, s), 3);
	assert_int_equal(store_channel_count(s), 2);
	const api_channel *got = store_channel_find(s, "icbc.direct.quickpay");
	assert_non_null(got);
	assert_string_equal(got->name, "工商银行 快捷支付");
	assert_int_equal(got->version, 17);
	assert_true(got->tps > 123.3 && got->tps < 123.5);
	assert_non_null(store_channel_find(s, "abcd.direct.quickpay"));
	assert_int_equal(store_route_count(s), 1);
	assert_int_equal(store_route_at(s, 0)->members[0].weight_pct, 100);
	assert_int_equal(store_alert_count(s), 1);
	const store_meta *m = store_meta_get(s, STORE_CHANNELS);
	assert_true(m->from_cache);
	assert_int_equal(m->fetched_at, 1000);
	assert_int_equal(store_meta_get(s, STORE_ROUTES)->fetched_at, 1001);
	assert_true(store_meta_get(s, STORE_ALERTS)->from_cache);
	store_free(s);

	/* a complete list without one of them: it is gone */
	const char *b4[] = { "{\"data\": 5}" };
	size_t l4[] = { strlen(b4[0]) };
	assert_int_equal(cache_save_pages(c, API_KIND_CHANNEL, b4, l4, 1, 1003), -1); /* not a list: refused, nothing lost */
	s = store_new();
	assert_int_equal(cache_load_small(c, s), 3);
	assert_int_equal(store_channel_count(s), 2);
	store_free(s);
	char *p5 = page_json(ch, NULL);
	const char *b5[] = { p5 };
	size_t l5[] = { strlen(p5) };
	assert_int_equal(cache_save_pages(c, API_KIND_CHANNEL, b5, l5, 1, 1004), 0);
	s = store_new();
	assert_int_equal(cache_load_small(c, s), 3);
	assert_int_equal(store_channel_count(s), 1);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->fetched_at, 1004);
	store_free(s);
	free(p1);
	free(p2);
	free(p3);
	free(p5);
	free(two);
	cache_close(c);
}

static void test_empty_cache_loads_nothing(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	store *s = store_new();
	assert_int_equal(cache_load_small(c, s), 0);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->fetched_at, 0);
	store_free(s);
	cache_close(c);
}

static void test_big_round_trip(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	fixture_break b = fixture_mk_break(42);
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_string_equal(got.id, b.id);
	assert_string_equal(got.recon_date, b.date);
	assert_int_equal(got.difference_minor, b.diff);
	assert_int_equal(got.type, b.type);
	assert_int_equal(got.status, b.status);
	assert_int_equal(got.detected_at, b.detected);
	api_break_free(&got);
	assert_int_equal(cache_get_break(c, "brk_nope", &got), 1);

	static const char cs[] =
		"{\"id\":\"case_000123\",\"merchant_id\":\"mer_510104000123\","
		"\"merchant_name\":\"成都市锦江区老妈火锅店\",\"mcc\":\"5812\",\"category\":\"restaurant\","
		"\"channel_requested\":\"unionpay.qr\",\"source\":\"agent_app\",\"stage\":\"manual_review\","
		"\"risk_level\":\"medium\",\"risk_score\":57,\"checks\":[{\"name\":\"blacklist\","
		"\"result\":\"pass\",\"detail\":\"\"}],\"submitted_at\":\"2026-11-21T02:00:00Z\","
		"\"sla_due_at\":\"2026-11-22T02:00:00Z\",\"assignee\":null,\"version\":3}";
	char msg[256];
	assert_int_equal(cache_upsert_json(c, API_KIND_CASE, cs, strlen(cs), msg, sizeof msg), 0);
	api_case gc = {0};
	assert_int_equal(cache_get_case(c, "case_000123", &gc), 0);
	assert_string_equal(gc.merchant_name, "成都市锦江区老妈火锅店");
	assert_int_equal(gc.stage, STAGE_MANUAL_REVIEW);
	assert_int_equal(gc.n_checks, 1);
	api_case_free(&gc);

	static const char lm[] =
		"{\"id\":\"lim_1\",\"scope\":\"reserve\",\"scope_id\":\"unionpay\",\"name\":\"备付金额度\","
		"\"period\":\"day\",\"limit_minor\":50000000,\"used_minor\":41230000,\"currency\":\"CNY\","
		"\"warn_at\":0.8,\"state\":\"warning\",\"resets_at\":\"2026-11-21T16:00:00Z\",\"version\":9,"
		"\"updated_at\":\"2026-11-21T08:00:00Z\"}";
	char *pl = page_json(lm, "next-one");
	cache_page_result r;
	assert_int_equal(cache_save_page(c, API_KIND_LIMIT, pl, strlen(pl), &r), 0);
	assert_int_equal(r.n_saved, 1);
	assert_string_equal(r.next_cursor, "next-one");
	assert_int_equal(r.max_updated_at, 1795248000);
	cache_page_result_free(&r);
	free(pl);
	api_limit gl = {0};
	assert_int_equal(cache_get_limit(c, "lim_1", &gl), 0);
	assert_int_equal(gl.used_minor, 41230000);
	assert_int_equal(gl.scope, SCOPE_RESERVE);
	api_limit_free(&gl);
	int64_t n, head;
	cache_limit_filter lf = { .scopes = 1u << SCOPE_RESERVE };
	assert_int_equal(cache_count_limits(c, &lf, &n, &head), 0);
	assert_int_equal(n, 1);
	assert_int_equal(head, 50000000 - 41230000);

	/* an item with a bad field is saved as it came (the decoder marks
	 * the field when it is read back); one without an id is refused and
	 * counted */
	char *bad = page_json("{\"id\":\"brk_bad\",\"recon_date\":5}", NULL);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, bad, strlen(bad), &r), 0);
	assert_int_equal(r.n_saved, 1);
	assert_int_equal(r.n_rejected, 0);
	cache_page_result_free(&r);
	free(bad);
	api_break gb = {0};
	assert_int_equal(cache_get_break(c, "brk_bad", &gb), 0);
	assert_string_equal(api_bad_why(&gb.bad, "recon_date"), "expected a string");
	api_break_free(&gb);
	bad = page_json("{\"recon_date\":5}", NULL);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, bad, strlen(bad), &r), 0);
	assert_int_equal(r.n_saved, 0);
	assert_int_equal(r.n_rejected, 1);
	assert_non_null(strstr(r.reject_msg, "id: missing"));
	cache_page_result_free(&r);
	free(bad);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, "{\"nope\":1}", 10, &r), -1);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, "not json", 8, &r), -1);
	cache_close(c);
}

/* ---- a break stored once (schema 8) ---- */

/* A break as a platform sends it: compact, in the contract's order. */
static void contract_break(char *out, size_t outsz, const char *id, const char *type,
		       const char *severity, const char *status, const char *resolution)
{
	snprintf(out, outsz,
		 "{\"id\":\"%s\",\"recon_date\":\"2026-11-21\",\"channel_id\":\"unionpay.qr\","
		 "\"merchant_id\":\"mer_510104000123\",\"order_no\":\"P2026112100004512\","
		 "\"channel_serial\":null,\"type\":\"%s\",\"platform_amount_minor\":12800,"
		 "\"channel_amount_minor\":12600,\"difference_minor\":-200,\"currency\":\"CNY\","
		 "\"detected_at\":\"2026-11-21T03:10:00Z\",\"severity\":\"%s\",\"status\":\"%s\","
		 "\"assignee\":\"op.chen\",\"resolution\":%s,\"version\":2,"
		 "\"updated_at\":\"2026-11-21T03:14:38Z\"}",
		 id, type, severity, status, resolution);
}

/* Whether the cache file holds break id as columns alone, and the text
 * it reads back for it equals want. */
static void assert_stored(const char *path, const char *id, bool columns_alone, const char *want)
{
	char sql[4096];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM breaks WHERE id = '%s' AND raw IS %s"
		 " AND json = '%s'", id, columns_alone ? "NULL" : "NOT NULL", want);
	if (fixture_sql_int(path, sql) != 1)
		fail_msg("%s: not stored %s as %s", id, columns_alone ? "as columns" : "with its text", want);
}

static void test_break_stored_once(void **state)
{
	(void)state;
	char path[512], msg[256], text[2048], id[32];
	snprintf(path, sizeof path, "%s/once.db", fixture_dir);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	/* every name of every enum comes back from its number */
	int n = 0;
	for (int t = 0; t < BT_UNKNOWN; t++)
		for (int v = 0; v < BS_UNKNOWN; v++) {
			snprintf(id, sizeof id, "brk_enum_%d_%d", t, v);
			contract_break(text, sizeof text, id, api_break_type_names[t],
				   api_severity_names[(t + v) % SEV_UNKNOWN],
				   api_break_status_names[v], "null");
			assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, text, strlen(text),
							   msg, sizeof msg), 0);
			assert_stored(path, id, true, text);
			n++;
		}
	assert_int_equal(n, BT_UNKNOWN * BS_UNKNOWN);
	/* a resolution with Chinese and a quote in its note */
	contract_break(text, sizeof text, "brk_res", "long", "high", "resolved",
		   "{\"action\":\"adjust\",\"note\":\"手工调账，已复核 \\\"ok\\\"\",\"by\":\"op.chen\","
		   "\"at\":\"2026-11-21T03:14:38Z\"}");
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, text, strlen(text), msg, sizeof msg), 0);
	char esc[4096];
	size_t o = 0;
	for (const char *p = text; *p && o + 2 < sizeof esc; p++) /* SQL's quote doubled */
		if ((esc[o++] = *p) == '\'')
			esc[o++] = '\'';
	esc[o] = '\0';
	assert_stored(path, "brk_res", true, esc);
	api_break b = {0};
	assert_int_equal(cache_get_break(c, "brk_res", &b), 0);
	assert_true(b.resolution.present);
	assert_string_equal(b.resolution.note, "手工调账，已复核 \"ok\"");
	assert_string_equal(b.assignee, "op.chen");
	assert_string_equal(b.channel_serial, ""); /* a null serial reads as "" */
	assert_int_equal(b.platform_amount_minor, 12800);
	assert_int_equal(b.updated_at, 1795230878);
	api_break_free(&b);
	/* a type the contract does not know: its text is kept, and shown */
	contract_break(text, sizeof text, "brk_new_type", "chargeback", "low", "open", "null");
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, text, strlen(text), msg, sizeof msg), 0);
	assert_stored(path, "brk_new_type", false, text);
	assert_int_equal(cache_get_break(c, "brk_new_type", &b), 0);
	assert_int_equal(b.type, BT_UNKNOWN);
	assert_string_equal(b.type_raw, "chargeback");
	api_break_free(&b);
	/* another layout: the same object with spaces is stored as columns
	 * and reads back compact; another key order keeps its text */
	contract_break(text, sizeof text, "brk_spaced", "short", "low", "open", "null");
	char spaced[2048];
	o = 0;
	for (const char *p = text; *p && o + 2 < sizeof spaced; p++) {
		spaced[o++] = *p;
		if (*p == ',')
			spaced[o++] = ' ';
	}
	spaced[o] = '\0';
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, spaced, strlen(spaced), msg, sizeof msg), 0);
	assert_stored(path, "brk_spaced", true, text);
	static const char reordered[] =
		"{\"recon_date\":\"2026-11-21\",\"id\":\"brk_order\",\"channel_id\":\"unionpay.qr\","
		"\"merchant_id\":\"m\",\"order_no\":\"o\",\"channel_serial\":\"s\",\"type\":\"long\","
		"\"platform_amount_minor\":1,\"channel_amount_minor\":2,\"difference_minor\":1,"
		"\"currency\":\"CNY\",\"detected_at\":\"2026-11-21T03:10:00Z\",\"severity\":\"low\","
		"\"status\":\"open\",\"assignee\":null,\"resolution\":null,\"version\":1,"
		"\"updated_at\":\"2026-11-21T03:10:00Z\"}";
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, reordered, strlen(reordered),
					   msg, sizeof msg), 0);
	assert_stored(path, "brk_order", false, reordered);
	/* a new version of a kept text that is now plain: its text goes */
	contract_break(text, sizeof text, "brk_new_type", "long", "low", "open", "null");
	char *v3 = strstr(text, "\"version\":2");
	assert_non_null(v3);
	v3[10] = '3';
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, text, strlen(text), msg, sizeof msg), 0);
	assert_stored(path, "brk_new_type", true, text);
	/* the text filter reads the columns: merchant, order, assignee */
	cache_break_filter f = { .text = "op.chen" };
	int64_t cnt = -1;
	assert_int_equal(cache_count_breaks(c, &f, &cnt, NULL), 0);
	assert_int_equal(cnt, n + 3);
	f.text = "P2026112100004512";
	assert_int_equal(cache_count_breaks(c, &f, &cnt, NULL), 0);
	assert_int_equal(cnt, n + 3);
	cache_close(c);
}

/* ---- merges and deletions ---- */

static void test_merge_updates(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	fixture_break b = fixture_mk_break(7);
	b.status = 0;
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	/* a newer version from a poll replaces it */
	b.version = 3;
	b.status = 3;
	b.diff = -77;
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_int_equal(got.status, BS_RESOLVED);
	assert_int_equal(got.version, 3);
	api_break_free(&got);
	cache_break_filter f = { .statuses = 1u << BS_OPEN };
	int64_t n, sum;
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* an older copy (a page fetched before an event) does not win */
	b.version = 2;
	b.status = 1;
	json_t *j = fixture_break_json(&b);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char msg[256];
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), 1);
	free(txt);
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_int_equal(got.status, BS_RESOLVED);
	api_break_free(&got);
	cache_break_filter all = {0};
	assert_int_equal(cache_count_breaks(c, &all, &n, &sum), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sum, -77);
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, "{}", 2, msg, sizeof msg), -1);
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, "{", 1, msg, sizeof msg), -1);
	cache_close(c);
}

static void test_deletions_swept(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	fixture_break bs[5];
	for (int i = 0; i < 5; i++)
		bs[i] = fixture_mk_break(i);
	assert_int_equal(fixture_save_breaks(c, bs, 5), 0);
	/* a full walk sees 0, 1, 3 (2 and 4 were deleted on the platform) */
	assert_int_equal(cache_walk_begin(c, API_KIND_BREAK), 0);
	fixture_break seen[2] = { bs[0], bs[1] };
	assert_int_equal(fixture_save_breaks(c, seen, 2), 0);
	/* an event during the walk counts as seen */
	bs[3].version = 5;
	json_t *j = fixture_break_json(&bs[3]);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char msg[256];
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), 0);
	free(txt);
	uint64_t dv = cache_data_version(c);
	assert_int_equal(cache_walk_end(c, API_KIND_BREAK), 2);
	assert_true(cache_data_version(c) > dv);
	int64_t n;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 3);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, bs[2].id, &got), 1);
	assert_int_equal(cache_get_break(c, bs[4].id, &got), 1);
	assert_int_equal(cache_get_break(c, bs[3].id, &got), 0);
	api_break_free(&got);
	/* a walk that saw everything deletes nothing */
	assert_int_equal(cache_walk_begin(c, API_KIND_BREAK), 0);
	fixture_break again[3] = { bs[0], bs[1], bs[3] };
	assert_int_equal(fixture_save_breaks(c, again, 3), 0);
	assert_int_equal(cache_walk_end(c, API_KIND_BREAK), 0);
	/* other collections are untouched by a breaks walk */
	cache_sync_state s;
	assert_int_equal(cache_get_state(c, API_KIND_CASE, &s), 0);
	assert_int_equal(s.walk, 0);
	assert_int_equal(cache_get_state(c, API_KIND_BREAK, &s), 0);
	assert_int_equal(s.walk, 2);
	cache_close(c);
}

static void test_state_round_trip(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	cache_sync_state s = { .fetched_at = 10, .high_water = 20, .full_at = 30,
			       .walk = 4, .walk_start = 50 };
	snprintf(s.cursor, sizeof s.cursor, "opaque/+cursor");
	assert_int_equal(cache_set_state(c, API_KIND_LIMIT, &s), 0);
	cache_sync_state g;
	assert_int_equal(cache_get_state(c, API_KIND_LIMIT, &g), 0);
	assert_int_equal(g.fetched_at, 10);
	assert_int_equal(g.high_water, 20);
	assert_int_equal(g.full_at, 30);
	assert_int_equal(g.walk, 4);
	assert_int_equal(g.walk_start, 50);
	assert_string_equal(g.cursor, "opaque/+cursor");
	/* fetched_at is rate limited: within a minute it is not rewritten */
	assert_int_equal(cache_mark_fetched(c, API_KIND_LIMIT, 40), 0);
	assert_int_equal(cache_get_state(c, API_KIND_LIMIT, &g), 0);
	assert_int_equal(g.fetched_at, 10);
	assert_int_equal(cache_mark_fetched(c, API_KIND_LIMIT, 100), 0);
	assert_int_equal(cache_get_state(c, API_KIND_LIMIT, &g), 0);
	assert_int_equal(g.fetched_at, 100);
	assert_int_equal(g.high_water, 20);
	cache_close(c);
}

/* ---- events through incr ---- */

/* break i's text as the stream would send it */
static char *break_text(int i)
{
	fixture_break b = fixture_mk_break(i);
	json_t *j = fixture_break_json(&b);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return txt;
}

/* apply an event as the stream gives it: parsed, with its text */
static int apply(incr *in, const char *type, const char *txt)
{
	json_t *o = json_loads(txt, JSON_DECODE_ANY, NULL);
	int rc = incr_apply_event(in, type, o, txt, strlen(txt));
	json_decref(o);
	return rc;
}

static void test_incr_apply_event(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	fixture_incr f;
	fixture_incr_open(&f, c);
	incr *in = f.in;
	store *s = f.s;
	char *txt = break_text(9);
	uint64_t gen = store_meta_get(s, STORE_BREAKS)->gen;
	int64_t n;
	assert_int_equal(apply(in, "break", txt), 0);
	/* taken, written with its burst: not yet */
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_true(store_meta_get(s, STORE_BREAKS)->gen == gen);
	incr_flush_events(in);
	assert_true(store_meta_get(s, STORE_BREAKS)->gen > gen);
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 1);
	free(txt);
	assert_int_equal(apply(in, "channel", "{}"), 1);
	assert_int_equal(apply(in, "limit", "{\"id\": 3}"), -1);
	assert_true(store_meta_get(s, STORE_LIMITS)->error[0] != '\0');
	incr_stats st;
	incr_get_stats(in, &st);
	assert_int_equal(st.events, 1);
	fixture_incr_close(&f);
}

/* A burst of events is one transaction: a hundred breaks and one the
 * decoder refuses, all written by one flush; the refusal is said on its
 * collection, the rest are in the cache, their text as it came. */
static void test_incr_event_burst(void **state)
{
	(void)state;
	fixture_incr f;
	fixture_incr_open(&f, fixture_mem_cache());
	cache *c = f.c;
	incr *in = f.in;
	store *s = f.s;
	char *keep = NULL;
	for (int i = 0; i < 100; i++) {
		char *txt = break_text(100 + i);
		assert_int_equal(apply(in, "break", txt), 0);
		if (i == 42)
			keep = txt;
		else
			free(txt);
	}
	/* an empty id: the decoder refuses it when it is written */
	fixture_break b = fixture_mk_break(999);
	json_t *j = fixture_break_json(&b);
	json_object_set_new(j, "id", json_string(""));
	char *bad = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_int_equal(apply(in, "break", bad), 0);
	free(bad);
	uint64_t gen = store_meta_get(s, STORE_BREAKS)->gen;
	int64_t n;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 0);
	incr_flush_events(in);
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 100);
	assert_true(store_meta_get(s, STORE_BREAKS)->gen > gen);
	assert_non_null(strstr(store_meta_get(s, STORE_BREAKS)->error, "event break"));
	fixture_break k = fixture_mk_break(142);
	char *got = NULL;
	assert_int_equal(cache_get_json(c, API_KIND_BREAK, k.id, &got), 0);
	assert_string_equal(got, keep);
	free(got);
	free(keep);
	incr_stats st;
	incr_get_stats(in, &st);
	assert_int_equal(st.events, 101);
	assert_int_equal(st.errors, 1);
	/* nothing waits: a second flush writes nothing */
	gen = store_meta_get(s, STORE_BREAKS)->gen;
	incr_flush_events(in);
	assert_true(store_meta_get(s, STORE_BREAKS)->gen == gen);
	fixture_incr_close(&f);
}

/* ---- the stream's batch and the authoritative refetch ---- */

static char *chan(const char *id, int version, const char *admin)
{
	char *s = malloc(1024);
	assert_non_null(s);
	snprintf(s, 1024,
		 "{\"id\":\"%s\",\"name\":\"n\",\"network\":\"bank_direct\",\"link_id\":\"l\","
		 "\"admin_state\":\"%s\",\"health\":\"healthy\",\"breaker\":\"closed\","
		 "\"window_s\":60,\"tps\":1.5,\"system_success_rate\":0.99,"
		 "\"business_success_rate\":0.9,\"latency_ms\":{\"p50\":1,\"p95\":2,\"p99\":3},"
		 "\"traffic_share\":0.1,\"top_errors\":[],\"interfaces\":[],\"maintenance\":null,"
		 "\"version\":%d,\"updated_at\":\"2026-11-21T08:15:00Z\",\"updated_by\":\"op\"}",
		 id, admin, version);
	return s;
}

static void queue(cache *c, const char *id, int version, const char *admin)
{
	char *j = chan(id, version, admin);
	assert_int_equal(cache_queue_json(c, API_KIND_CHANNEL, j, strlen(j)), 0);
	free(j);
}

/* The cached channel's version and admin state ("" when not cached). */
static int64_t cached(cache *c, const char *id, char *admin, size_t adminsz)
{
	store *st = store_new();
	assert_true(cache_load_small(c, st) >= 0);
	const api_channel *ch = store_channel_find(st, id);
	int64_t v = ch ? ch->version : -1;
	snprintf(admin, adminsz, "%s", ch && ch->admin_state_raw ? ch->admin_state_raw : "");
	store_free(st);
	return v;
}

static int save_list(cache *c, const char *id, int version, const char *admin,
		     cache_backwards *back)
{
	char *j = chan(id, version, admin);
	char *p = page_json(j, NULL);
	const char *bodies[] = { p };
	size_t lens[] = { strlen(p) };
	int rc = cache_save_pages_full(c, API_KIND_CHANNEL, bodies, lens, 1, 1000, back);
	free(p);
	free(j);
	return rc;
}

static void test_stream_batch(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	char admin[32];
	assert_int_equal(save_list(c, "a", 5, "enabled", NULL), 0);
	/* repeated changes to one object wait as one, the newest version */
	queue(c, "a", 6, "draining");
	queue(c, "a", 8, "disabled");
	queue(c, "a", 7, "draining");   /* older than the one waiting */
	queue(c, "b", 1, "enabled");    /* a new object */
	assert_int_equal(cache_queue_pending(c), 2);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 5); /* not before the flush */
	uint64_t dv = cache_data_version(c);
	assert_int_equal(cache_queue_flush(c), 2);
	assert_true(cache_data_version(c) > dv);
	assert_int_equal(cache_queue_pending(c), 0);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 8);
	assert_string_equal(admin, "disabled");
	assert_int_equal(cached(c, "b", admin, sizeof admin), 1);
	/* an unchanged or older version is not rewritten */
	dv = cache_data_version(c);
	queue(c, "a", 8, "enabled");
	queue(c, "b", 0, "disabled");
	assert_int_equal(cache_queue_flush(c), 0);
	assert_int_equal(cache_data_version(c), dv);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 8);
	assert_string_equal(admin, "disabled");
	/* nothing without an id or a version waits */
	assert_int_equal(cache_queue_json(c, API_KIND_CHANNEL, "{\"id\":\"x\"}", 10), -1);
	assert_int_equal(cache_queue_json(c, API_KIND_CHANNEL, "{", 1), -1);
	assert_int_equal(cache_queue_pending(c), 0);
	/* a walk's list (a page fetched before the event) keeps the newer copy */
	assert_int_equal(save_list(c, "a", 6, "draining", NULL), 0);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 8);
	/* so do the changes between full mirrors, which write only newer ones */
	char *j = chan("a", 4, "enabled");
	char *p = page_json(j, NULL);
	const char *bodies[] = { p };
	size_t lens[] = { strlen(p) };
	assert_int_equal(cache_save_changes(c, API_KIND_CHANNEL, bodies, lens, 1), 0);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 8);
	free(p);
	free(j);
	j = chan("a", 9, "enabled");
	p = page_json(j, NULL);
	bodies[0] = p;
	lens[0] = strlen(p);
	assert_int_equal(cache_save_changes(c, API_KIND_CHANNEL, bodies, lens, 1), 0);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 9);
	free(p);
	free(j);
	/* a queue left at close is freed (valgrind / ASan see it) */
	queue(c, "a", 10, "disabled");
	cache_close(c);
}

/* An event's object, parsed once by the stream: the queue keys it from the
 * parse and keeps the text as it came; bad UTF-8 is kept as parsed. */
static void test_stream_object(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	char admin[32], *out = NULL;
	assert_int_equal(save_list(c, "a", 2, "enabled", NULL), 0);
	char *j = chan("a", 3, "enabled");
	json_error_t je;
	json_t *obj = json_loads(j, 0, &je);
	assert_non_null(obj);
	assert_int_equal(cache_queue_object(c, API_KIND_CHANNEL, obj, j, strlen(j)), 0);
	assert_int_equal(cache_queue_flush(c), 1);
	assert_int_equal(cache_get_json(c, API_KIND_CHANNEL, "a", &out), 0);
	assert_string_equal(out, j); /* byte for byte, not re-encoded */
	free(out);
	json_decref(obj);
	free(j);

	/* the same version again: not rewritten */
	j = chan("a", 3, "disabled");
	obj = json_loads(j, 0, &je);
	assert_int_equal(cache_queue_object(c, API_KIND_CHANNEL, obj, j, strlen(j)), 0);
	assert_int_equal(cache_queue_flush(c), 0);
	assert_int_equal(cached(c, "a", admin, sizeof admin), 3);
	assert_string_equal(admin, "enabled");
	json_decref(obj);
	free(j);

	/* text that is not UTF-8 (a stray byte in the name): the parsed
	 * object is kept, as the stream's parser scrubbed it */
	j = chan("b", 1, "enabled");
	char *bad = strdup(j);
	char *n = strstr(bad, "\"name\":\"n\"");
	assert_non_null(n);
	n[9] = (char)0xff;
	obj = json_loads(j, 0, &je);
	json_object_set_new(obj, "name", json_string("\xef\xbf\xbd"));
	assert_int_equal(cache_queue_object(c, API_KIND_CHANNEL, obj, bad, strlen(bad)), 0);
	assert_int_equal(cache_queue_flush(c), 1);
	assert_int_equal(cache_get_json(c, API_KIND_CHANNEL, "b", &out), 0);
	json_t *back = json_loads(out, 0, &je);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "name")), "\xef\xbf\xbd");
	json_decref(back);
	free(out);
	json_decref(obj);
	free(bad);
	free(j);

	/* an object without a version is refused, whatever its text */
	obj = json_pack("{s:s}", "id", "x");
	assert_int_equal(cache_queue_object(c, API_KIND_CHANNEL, obj, "{}", 2), -1);
	json_decref(obj);
	assert_int_equal(cache_queue_pending(c), 0);
	cache_close(c);
}

static void test_history_went_back(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	char admin[32];
	queue(c, "a", 12, "disabled");
	assert_int_equal(cache_queue_flush(c), 1);
	/* the authoritative refetch takes the platform's older copy, says so */
	cache_backwards back;
	assert_int_equal(save_list(c, "a", 10, "enabled", &back), 0);
	assert_int_equal(back.n, 1);
	assert_string_equal(back.ids, "a");
	assert_int_equal(cached(c, "a", admin, sizeof admin), 10);
	assert_string_equal(admin, "enabled");
	/* the same list again: nothing went back */
	assert_int_equal(save_list(c, "a", 10, "enabled", &back), 0);
	assert_int_equal(back.n, 0);
	assert_string_equal(back.ids, "");
	cache_close(c);
}

UNIT_MAIN(fixture_setup_dir, fixture_teardown_dir,
	cmocka_unit_test(test_small_round_trip),
	cmocka_unit_test(test_empty_cache_loads_nothing),
	cmocka_unit_test(test_big_round_trip),
	cmocka_unit_test(test_break_stored_once),
	cmocka_unit_test(test_merge_updates),
	cmocka_unit_test(test_deletions_swept),
	cmocka_unit_test(test_state_round_trip),
	cmocka_unit_test(test_incr_apply_event),
	cmocka_unit_test(test_incr_event_burst),
	cmocka_unit_test(test_stream_batch),
	cmocka_unit_test(test_stream_object),
	cmocka_unit_test(test_history_went_back))
