/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/e2e/views_test.c: the layer just below the end-to-end tests: the
 * views over a store filled by hand, without a terminal (recalc, filter,
 * notes), and how values are spelt (words and marks, unknown enums). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "store/store.h"
#include "widgets/fmt.h"
#include "views/view.h"
#include "tests/lib/unit.h"

static void put_channel(api_channel *c, const char *id, const char *name,
			const char *link, double ssr)
{
	memset(c, 0, sizeof *c);
	c->id = strdup(id);
	c->name = strdup(name);
	c->link_id = strdup(link);
	c->network = NET_BANK_DIRECT;
	c->network_raw = strdup("bank_direct");
	c->admin_state_raw = strdup("enabled");
	c->health = HEALTH_HEALTHY;
	c->health_raw = strdup("healthy");
	c->breaker_raw = strdup("closed");
	c->window_s = 60;
	c->tps = 10;
	c->system_success_rate = ssr;
	c->business_success_rate = ssr - 0.05;
	c->latency_p50_ms = 50;
	c->latency_p95_ms = 200;
	c->latency_p99_ms = 400;
	c->traffic_share = 0.1;
	c->version = 1;
}

static store *three_channels(void)
{
	store *st = store_new();
	assert_non_null(st);
	api_channel *items = calloc(3, sizeof *items);
	assert_non_null(items);
	put_channel(&items[0], "icbc.direct.quickpay", "工商银行 快捷支付", "icbc-bj-01", 0.999);
	put_channel(&items[1], "icbc.direct.payout", "工商银行 代付", "icbc-bj-01", 0.97);
	put_channel(&items[2], "nucc.quickpay", "网联 快捷支付", "nucc-01", 0.9995);
	store_channels_replace(st, items, 3, NULL, 0, 1000);
	return st;
}

static void test_unknown_enum_marked(void **state)
{
	(void)state;
	char buf[64];
	fmt_health(buf, sizeof buf, HEALTH_INVALID, "weird");
	assert_string_equal(buf, "weird?");
	fmt_network(buf, sizeof buf, NET_UNKNOWN, "satellite");
	assert_string_equal(buf, "satellite?");
	assert_int_equal(fmt_health(buf, sizeof buf, HEALTH_DOWN, "down"), ROLE_CRIT);
	assert_string_equal(buf, "x DOWN");
}

static void test_thresholds_have_words(void **state)
{
	(void)state;
	cfg_config cfg;
	cfg_defaults(&cfg);
	char buf[64];
	assert_int_equal(fmt_ssr(buf, sizeof buf, 0.97, &cfg), ROLE_CRIT);
	assert_string_equal(buf, "97.00% !!");
	assert_int_equal(fmt_ssr(buf, sizeof buf, 0.99, &cfg), ROLE_WARN);
	assert_string_equal(buf, "99.00% !");
	assert_int_equal(fmt_ssr(buf, sizeof buf, 0.999, &cfg), ROLE_NORMAL);
	assert_string_equal(buf, "99.90%");
	fmt_ssr(buf, sizeof buf, NAN, &cfg);
	assert_string_equal(buf, "-");
	assert_int_equal(fmt_p95(buf, sizeof buf, 2000, &cfg), ROLE_CRIT);
	assert_string_equal(buf, "2000ms !!");
}

/* The channels view over three channels, laid out 30 x 140. */
struct chan_fx {
	cfg_config cfg;
	store *st;
	view_env env;
	void *v;
};

static void chan_open(struct chan_fx *f)
{
	cfg_defaults(&f->cfg);
	f->st = three_channels();
	f->env = (view_env){ .st = f->st, .cfg = &f->cfg };
	f->v = view_channels.create(&f->env);
	assert_non_null(f->v);
	view_channels.set_rect(f->v, (widget_rect){ 2, 0, 30, 140 });
}

static void chan_close(struct chan_fx *f)
{
	view_channels.destroy(f->v);
	store_free(f->st);
}

static void test_channels_recalc_only_when_changed(void **state)
{
	(void)state;
	struct chan_fx f;
	chan_open(&f);
	void *v = f.v;
	assert_true(view_channels.recalc(v, 1000, false));
	assert_false(view_channels.recalc(v, 1000, false));
	api_channel up;
	put_channel(&up, "nucc.quickpay", "网联 快捷支付", "nucc-01", 0.5);
	up.version = 2;
	store_channel_upsert(f.st, &up, 1001);
	assert_true(view_channels.recalc(v, 1001, false));
	chan_close(&f);
}

static void test_channels_filter(void **state)
{
	(void)state;
	struct chan_fx f;
	chan_open(&f);
	void *v = f.v;
	view_channels.recalc(v, 1000, true);
	assert_null(view_channels.note(v));
	view_channels.set_filter(v, "ICBC");
	assert_string_equal(view_channels.note(v), "filter 'ICBC': 2 of 3 channels");
	view_channels.set_filter(v, "!icbc");
	assert_string_equal(view_channels.note(v), "filter '!icbc': 1 of 3 channels");
	view_channels.set_filter(v, "快捷");
	assert_string_equal(view_channels.note(v), "filter '快捷': 2 of 3 channels");
	view_channels.set_filter(v, "!!");
	assert_string_equal(view_channels.filter(v), "!!");
	view_channels.set_filter(v, "");
	assert_null(view_channels.note(v));
	chan_close(&f);
}

static void test_view_names(void **state)
{
	(void)state;
	assert_int_equal(view_find("channels"), 1);
	assert_int_equal(view_find("CHAN"), 1);
	assert_int_equal(view_find("rou"), 2);
	assert_int_equal(view_find("o"), -1); /* overview or onboarding */
	assert_int_equal(view_find("nothing"), -1);
	for (int i = 0; i < VIEW_COUNT; i++)
		assert_int_equal(view_find(view_classes[i]->name), i);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_unknown_enum_marked),
	cmocka_unit_test(test_thresholds_have_words),
	cmocka_unit_test(test_channels_recalc_only_when_changed),
	cmocka_unit_test(test_channels_filter),
	cmocka_unit_test(test_view_names))
