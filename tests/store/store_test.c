/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/store/store_test.c: the in-memory model: merge, generations,
 * rejected items kept, trends, alert deduplication. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/lib/unit.h"

static api_channel mk_chan(const char *id, int64_t version, api_health h, double tps)
{
	api_channel c;
	memset(&c, 0, sizeof c);
	c.id = strdup(id);
	c.name = strdup(id);
	c.network = NET_BANK_DIRECT;
	c.network_raw = strdup("bank_direct");
	c.admin_state = ADM_ENABLED;
	c.admin_state_raw = strdup("enabled");
	c.health = h;
	c.health_raw = strdup(api_health_str(h));
	c.breaker = BRK_CLOSED;
	c.breaker_raw = strdup("closed");
	c.tps = tps;
	c.system_success_rate = 0.999;
	c.business_success_rate = 0.95;
	c.latency_p50_ms = c.latency_p95_ms = c.latency_p99_ms = 100;
	c.version = version;
	return c;
}

static void replace3(store *s, const char *a, const char *b, const char *c, time_t now)
{
	api_channel *items = calloc(3, sizeof *items);
	assert_non_null(items);
	items[0] = mk_chan(c, 1, HEALTH_HEALTHY, 10);
	items[1] = mk_chan(a, 1, HEALTH_HEALTHY, 10);
	items[2] = mk_chan(b, 1, HEALTH_HEALTHY, 10);
	store_channels_replace(s, items, 3, NULL, 0, now);
}

static void test_replace_sorts_and_counts_generations(void **state)
{
	(void)state;
	store *s = store_new();
	assert_non_null(s);
	uint64_t g0 = store_meta_get(s, STORE_CHANNELS)->gen;
	replace3(s, "a.x", "b.x", "c.x", 100);
	assert_int_equal(store_channel_count(s), 3);
	assert_string_equal(store_channel_at(s, 0)->id, "a.x");
	assert_string_equal(store_channel_at(s, 2)->id, "c.x");
	uint64_t g1 = store_meta_get(s, STORE_CHANNELS)->gen;
	assert_true(g1 > g0);
	/* the same content again: no change, no generation bump */
	replace3(s, "a.x", "b.x", "c.x", 101);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->gen, g1);
	assert_non_null(store_channel_find(s, "b.x"));
	assert_null(store_channel_find(s, "zzz"));
	store_free(s);
}

static void test_missing_item_dropped_unless_kept(void **state)
{
	(void)state;
	store *s = store_new();
	replace3(s, "a.x", "b.x", "c.x", 100);
	/* b.x was refused by the decoder: it keeps its last good copy */
	api_channel *items = calloc(2, sizeof *items);
	items[0] = mk_chan("a.x", 1, HEALTH_HEALTHY, 10);
	items[1] = mk_chan("c.x", 1, HEALTH_HEALTHY, 10);
	char *keep[] = { "b.x" };
	store_channels_replace(s, items, 2, keep, 1, 101);
	assert_int_equal(store_channel_count(s), 3);
	assert_string_equal(store_channel_at(s, 1)->id, "b.x");
	/* without the keep list it goes */
	items = calloc(2, sizeof *items);
	items[0] = mk_chan("a.x", 1, HEALTH_HEALTHY, 10);
	items[1] = mk_chan("c.x", 1, HEALTH_HEALTHY, 10);
	store_channels_replace(s, items, 2, NULL, 0, 102);
	assert_int_equal(store_channel_count(s), 2);
	assert_null(store_channel_find(s, "b.x"));
	store_free(s);
}

static void test_duplicate_ids_keep_highest_version(void **state)
{
	(void)state;
	store *s = store_new();
	api_channel *items = calloc(3, sizeof *items);
	items[0] = mk_chan("dup", 3, HEALTH_HEALTHY, 1);
	items[1] = mk_chan("dup", 9, HEALTH_DOWN, 2);
	items[2] = mk_chan("one", 1, HEALTH_HEALTHY, 1);
	store_channels_replace(s, items, 3, NULL, 0, 100);
	assert_int_equal(store_channel_count(s), 2);
	assert_int_equal(store_channel_find(s, "dup")->version, 9);
	assert_int_equal(store_channel_find(s, "dup")->health, HEALTH_DOWN);
	store_free(s);
}

static void test_upsert_ignores_older_and_marks_state_changes(void **state)
{
	(void)state;
	store *s = store_new();
	replace3(s, "a.x", "b.x", "c.x", 100);
	assert_int_equal(store_channel_changed_at(s, "b.x"), 0);

	api_channel newer = mk_chan("b.x", 5, HEALTH_DOWN, 0);
	store_channel_upsert(s, &newer, 200);
	assert_null(newer.id); /* ownership taken */
	assert_int_equal(store_channel_find(s, "b.x")->health, HEALTH_DOWN);
	assert_int_equal(store_channel_changed_at(s, "b.x"), 200);

	uint64_t g = store_meta_get(s, STORE_CHANNELS)->gen;
	api_channel older = mk_chan("b.x", 4, HEALTH_HEALTHY, 9);
	store_channel_upsert(s, &older, 201);
	assert_int_equal(store_channel_find(s, "b.x")->health, HEALTH_DOWN);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->gen, g);

	/* metrics only: updated, but no "just changed" marker */
	api_channel metrics = mk_chan("b.x", 6, HEALTH_DOWN, 42);
	store_channel_upsert(s, &metrics, 300);
	assert_true(store_channel_find(s, "b.x")->tps == 42);
	assert_int_equal(store_channel_changed_at(s, "b.x"), 200);

	/* a new id lands in order */
	api_channel fresh = mk_chan("aa.new", 1, HEALTH_HEALTHY, 1);
	store_channel_upsert(s, &fresh, 301);
	assert_int_equal(store_channel_count(s), 4);
	assert_string_equal(store_channel_at(s, 1)->id, "aa.new");
	store_free(s);
}

static void test_trend_seed_then_live(void **state)
{
	(void)state;
	store *s = store_new();
	replace3(s, "a.x", "b.x", "c.x", 1000);
	api_history h;
	memset(&h, 0, sizeof h);
	h.channel_id = strdup("a.x");
	h.step_s = 60;
	h.n_points = 3;
	h.points = calloc(3, sizeof *h.points);
	for (int i = 0; i < 3; i++) {
		h.points[i].t = 800 + i * 60;
		h.points[i].system_success_rate = 0.9 + i * 0.01;
		h.points[i].latency_p95_ms = 100 + i;
	}
	assert_false(store_trend_seeded(s, "a.x"));
	store_trend_seed(s, &h);
	api_history_free(&h);
	assert_true(store_trend_seeded(s, "a.x"));
	double ssr[10], p95[10];
	size_t n = store_trend(s, "a.x", ssr, p95, NULL, 10);
	/* three history points, then the live one from t=1000 (newer) */
	assert_int_equal(n, 4);
	assert_true(fabs(ssr[0] - 0.90) < 1e-9);
	assert_true(fabs(ssr[2] - 0.92) < 1e-9);
	assert_true(p95[1] == 101);
	/* asking for fewer gives the newest */
	n = store_trend(s, "a.x", ssr, p95, NULL, 2);
	assert_int_equal(n, 2);
	assert_true(fabs(ssr[0] - 0.92) < 1e-9);
	assert_int_equal(store_trend(s, "nope", ssr, p95, NULL, 10), 0);
	store_free(s);
}

/* A live trend grows with its points (a start gives each channel one)
 * and keeps the newest STORE_TREND_POINTS, oldest first, in order across
 * every growth and wrap. */
static void test_trend_grows_and_wraps(void **state)
{
	(void)state;
	store *s = store_new();
	replace3(s, "a.x", "b.x", "c.x", 1000);
	static double tps[STORE_TREND_POINTS];
	assert_int_equal(store_trend(s, "a.x", NULL, NULL, tps, STORE_TREND_POINTS), 1);
	size_t total = STORE_TREND_POINTS + 37;
	for (size_t i = 1; i < total; i++) {
		api_channel c = mk_chan("a.x", (int64_t)(10 + i), HEALTH_HEALTHY, (double)i);
		store_channel_upsert(s, &c, 1000 + (time_t)i * 5);
		size_t want = i + 1 < STORE_TREND_POINTS ? i + 1 : STORE_TREND_POINTS;
		size_t n = store_trend(s, "a.x", NULL, NULL, tps, STORE_TREND_POINTS);
		assert_int_equal(n, want);
		/* the newest last, and every point one more than the one before */
		assert_true(tps[n - 1] == (double)i);
		for (size_t k = 1; k < n; k++)
			assert_true(tps[k] == tps[k - 1] + 1 || (tps[k - 1] == 10 && tps[k] == 1));
	}
	/* a point sooner than the step is not added */
	api_channel c = mk_chan("a.x", 999, HEALTH_HEALTHY, 12345);
	store_channel_upsert(s, &c, 1000 + (time_t)total * 5 - 6);
	assert_int_equal(store_trend(s, "a.x", NULL, NULL, tps, STORE_TREND_POINTS),
			 STORE_TREND_POINTS);
	assert_true(tps[STORE_TREND_POINTS - 1] == (double)(total - 1));
	store_free(s);
}

/* A channel's stamp moves with what is shown of it (its fields, its
 * trend), stays put otherwise, and differs between channels; the changed
 * time reads the same by index as by id. */
static void test_channel_stamps(void **state)
{
	(void)state;
	store *s = store_new();
	replace3(s, "a.x", "b.x", "c.x", 100);
	uint64_t a = store_channel_stamp_at(s, 0), b = store_channel_stamp_at(s, 1),
		 c = store_channel_stamp_at(s, 2);
	assert_true(a && b && c && a != b && b != c && a != c);
	assert_int_equal(store_channel_stamp_at(s, 3), 0);
	/* the same content: no stamp moves */
	replace3(s, "a.x", "b.x", "c.x", 101);
	assert_int_equal(store_channel_stamp_at(s, 0), a);
	assert_int_equal(store_channel_stamp_at(s, 2), c);
	/* one value of b moves: only b's stamp */
	api_channel ch = mk_chan("b.x", 1, HEALTH_HEALTHY, 10);
	ch.latency_p95_ms = 120;
	store_channel_upsert(s, &ch, 102);
	assert_int_equal(store_channel_stamp_at(s, 0), a);
	assert_true(store_channel_stamp_at(s, 1) > c);
	assert_int_equal(store_channel_stamp_at(s, 2), c);
	/* a state change: the changed time, by index and by id */
	ch = mk_chan("c.x", 2, HEALTH_DOWN, 10);
	store_channel_upsert(s, &ch, 103);
	assert_int_equal(store_channel_changed_at_index(s, 2), 103);
	assert_int_equal(store_channel_changed_at(s, "c.x"), 103);
	assert_int_equal(store_channel_changed_at_index(s, 9), 0);
	/* history seeding the trend moves the stamp (the sparkline changes) */
	uint64_t a1 = store_channel_stamp_at(s, 0);
	api_history h;
	memset(&h, 0, sizeof h);
	h.channel_id = strdup("a.x");
	h.n_points = 1;
	h.points = calloc(1, sizeof *h.points);
	assert_non_null(h.points);
	h.points[0].t = 40;
	store_trend_seed(s, &h);
	api_history_free(&h);
	assert_true(store_channel_stamp_at(s, 0) > a1);
	store_free(s);
}

static void test_errors_keep_data(void **state)
{
	(void)state;
	store *s = store_new();
	replace3(s, "a.x", "b.x", "c.x", 100);
	store_mark_fetched(s, STORE_CHANNELS, 100, false);
	store_mark_error(s, STORE_CHANNELS, 105, "channels: data[1].health: expected a string");
	assert_int_equal(store_channel_count(s), 3);
	assert_string_equal(store_meta_get(s, STORE_CHANNELS)->error,
			    "channels: data[1].health: expected a string");
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->fetched_at, 100);
	store_mark_fetched(s, STORE_CHANNELS, 110, false);
	assert_string_equal(store_meta_get(s, STORE_CHANNELS)->error, "");
	/* a later poll that brought nothing new refreshes the age only: no
	 * view has to recalculate for it */
	uint64_t g = store_meta_get(s, STORE_CHANNELS)->gen;
	store_mark_fetched(s, STORE_CHANNELS, 120, false);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->fetched_at, 120);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->gen, g);
	/* data that changed outside the store says so */
	store_touch(s, STORE_BREAKS);
	assert_true(store_meta_get(s, STORE_BREAKS)->gen > 0);
	store_free(s);
}

static api_alert mk_alert(const char *fp, api_alert_severity sev, api_alert_state st,
			  const char *source, time_t starts)
{
	api_alert a;
	memset(&a, 0, sizeof a);
	a.id = strdup(fp);
	a.fingerprint = strdup(fp);
	a.severity = sev;
	a.severity_raw = strdup(api_alert_severity_str(sev));
	a.state = st;
	a.state_raw = strdup(api_alert_state_str(st));
	a.title = strdup(fp);
	a.source = strdup(source);
	a.starts_at = starts;
	return a;
}

static void test_alerts_dedupe_by_fingerprint_and_rank(void **state)
{
	(void)state;
	store *s = store_new();
	api_alert *p = calloc(2, sizeof *p);
	p[0] = mk_alert("fp-warn", AS_WARNING, AST_FIRING, "platform", 10);
	p[1] = mk_alert("fp-crit", AS_CRITICAL, AST_FIRING, "platform", 5);
	store_alerts_replace_source(s, "platform", p, 2, 100);
	api_alert *am = calloc(2, sizeof *am);
	am[0] = mk_alert("fp-crit", AS_CRITICAL, AST_FIRING, "am-sh", 5);
	am[1] = mk_alert("fp-info", AS_INFO, AST_FIRING, "am-sh", 20);
	store_alerts_replace_source(s, "am-sh", am, 2, 100);
	assert_int_equal(store_alert_count(s), 3);
	/* critical first */
	assert_string_equal(store_alert_at(s, 0)->fingerprint, "fp-crit");
	assert_string_equal(store_alert_at(s, 0)->source, "platform");
	size_t counts[AS_UNKNOWN + 1];
	store_alert_counts(s, counts);
	assert_int_equal(counts[AS_CRITICAL], 1);
	assert_int_equal(counts[AS_WARNING], 1);
	assert_int_equal(counts[AS_INFO], 1);
	/* the Alertmanager stops reporting: its only-own alert goes, the shared stays */
	store_alerts_replace_source(s, "am-sh", NULL, 0, 101);
	assert_int_equal(store_alert_count(s), 2);
	store_alert_counts(s, counts);
	assert_int_equal(counts[AS_INFO], 0);
	assert_int_equal(counts[AS_CRITICAL], 1);
	/* a change only in the raw state (Alertmanager: active -> suppressed)
	 * is a change */
	api_alert sup = mk_alert("fp-warn", AS_WARNING, AST_FIRING, "platform", 10);
	free(sup.state_raw);
	sup.state_raw = strdup("suppressed");
	uint64_t ga = store_meta_get(s, STORE_ALERTS)->gen;
	store_alert_upsert(s, &sup, 101);
	assert_true(store_meta_get(s, STORE_ALERTS)->gen > ga);
	/* an upsert resolving one moves it after the firing ones */
	api_alert res = mk_alert("fp-crit", AS_CRITICAL, AST_RESOLVED, "platform", 5);
	store_alert_upsert(s, &res, 102);
	assert_string_equal(store_alert_at(s, 0)->fingerprint, "fp-warn");
	store_alert_counts(s, counts);
	assert_int_equal(counts[AS_CRITICAL], 0);
	store_free(s);
}

static api_route mk_route(const char *id, int64_t version, int w1)
{
	api_route r;
	memset(&r, 0, sizeof r);
	r.id = strdup(id);
	r.name = strdup(id);
	r.strategy_raw = strdup("weighted");
	r.n_members = 2;
	r.members = calloc(2, sizeof *r.members);
	r.members[0].channel_id = strdup("m1");
	r.members[0].weight_pct = w1;
	r.members[0].eligible = true;
	r.members[1].channel_id = strdup("m2");
	r.members[1].weight_pct = 100 - w1;
	r.members[1].eligible = true;
	r.version = version;
	return r;
}

static void test_routes_replace_and_upsert(void **state)
{
	(void)state;
	store *s = store_new();
	api_route *items = calloc(2, sizeof *items);
	items[0] = mk_route("r.b", 1, 50);
	items[1] = mk_route("r.a", 1, 60);
	store_routes_replace(s, items, 2, NULL, 0, 100);
	assert_int_equal(store_route_count(s), 2);
	assert_string_equal(store_route_at(s, 0)->id, "r.a");
	uint64_t g = store_meta_get(s, STORE_ROUTES)->gen;
	items = calloc(2, sizeof *items);
	items[0] = mk_route("r.a", 1, 60);
	items[1] = mk_route("r.b", 1, 50);
	store_routes_replace(s, items, 2, NULL, 0, 101);
	assert_int_equal(store_meta_get(s, STORE_ROUTES)->gen, g);
	api_route up = mk_route("r.a", 2, 0);
	store_route_upsert(s, &up, 102);
	assert_int_equal(store_route_find(s, "r.a")->members[0].weight_pct, 0);
	assert_true(store_meta_get(s, STORE_ROUTES)->gen > g);
	/* many unchanged routes: the merge must not trip over entries it
	 * already moved (binary search over the old array) */
	items = calloc(5, sizeof *items);
	const char *ids[] = { "r.e", "r.c", "r.a", "r.d", "r.b" };
	for (int i = 0; i < 5; i++)
		items[i] = mk_route(ids[i], i == 2 ? 2 : 1, i == 2 ? 0 : 50);
	store_routes_replace(s, items, 5, NULL, 0, 102);
	items = calloc(5, sizeof *items);
	for (int i = 0; i < 5; i++)
		items[i] = mk_route(ids[i], i == 2 ? 2 : 1, i == 2 ? 0 : 50);
	g = store_meta_get(s, STORE_ROUTES)->gen;
	store_routes_replace(s, items, 5, NULL, 0, 103);
	assert_int_equal(store_route_count(s), 5);
	assert_int_equal(store_meta_get(s, STORE_ROUTES)->gen, g);
	for (size_t i = 0; i < 5; i++)
		assert_non_null(store_route_at(s, i)->id);
	assert_string_equal(store_route_at(s, 4)->id, "r.e");
	/* one refused, kept */
	items = calloc(1, sizeof *items);
	items[0] = mk_route("r.a", 2, 0);
	char *keep[] = { "r.b" };
	store_routes_replace(s, items, 1, keep, 1, 104);
	assert_int_equal(store_route_count(s), 2);
	assert_non_null(store_route_find(s, "r.b"));
	store_free(s);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_replace_sorts_and_counts_generations),
	cmocka_unit_test(test_missing_item_dropped_unless_kept),
	cmocka_unit_test(test_duplicate_ids_keep_highest_version),
	cmocka_unit_test(test_upsert_ignores_older_and_marks_state_changes),
	cmocka_unit_test(test_trend_seed_then_live),
	cmocka_unit_test(test_trend_grows_and_wraps),
	cmocka_unit_test(test_channel_stamps),
	cmocka_unit_test(test_errors_keep_data),
	cmocka_unit_test(test_alerts_dedupe_by_fingerprint_and_rank),
	cmocka_unit_test(test_routes_replace_and_upsert))
