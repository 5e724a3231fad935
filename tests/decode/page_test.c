/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/decode/page_test.c: list pages keep every item with a usable id
 * (bad fields marked), drop and count the others; problem+json is read
 * tolerantly. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/decode.h"
#include "tests/decode/samples.h"
#include "tests/lib/unit.h"

/* {"data": [items], "next_cursor": cursor} as a malloc()ed string. */
static char *page_of(const char *const *items, size_t n, const char *cursor)
{
	json_t *p = json_object(), *a = json_array();
	char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		json_error_t je;
		json_t *it = json_loads(items[i], JSON_DECODE_ANY, &je);
		assert_non_null(it);
		json_array_append_new(a, it);
	}
	json_object_set_new(p, "data", a);
	json_object_set_new(p, "next_cursor",
			    cursor ? json_string(cursor) : json_null());
	s = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	assert_non_null(s);
	return s;
}

/* An item with a bad field is an item: kept, in its place, the field
 * marked. */
static void test_one_bad_among_good(void **state)
{
	const char *bad =
		"{\"id\": \"nucc.qr\", \"name\": \"网联 扫码\", \"network\": \"nucc\","
		" \"admin_state\": \"enabled\", \"health\": \"healthy\","
		" \"breaker\": \"closed\", \"window_s\": 60, \"tps\": 1,"
		" \"system_success_rate\": 1, \"business_success_rate\": 1,"
		" \"latency_ms\": {\"p50\": 1, \"p95\": \"fast\", \"p99\": 3},"
		" \"traffic_share\": 0, \"version\": 1,"
		" \"updated_at\": \"2026-11-21T08:15:00Z\"}";
	const char *items[] = { SAMPLE_CHANNEL, bad, SAMPLE_CHANNEL };
	char *body = page_of(items, 3, "c2");
	const api_channel *ch;
	api_page p;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_page(body, strlen(body), API_KIND_CHANNEL, &p,
					 &e), 0);
	assert_int_equal(p.kind, API_KIND_CHANNEL);
	assert_int_equal(p.n, 3);
	ch = p.items;
	assert_string_equal(ch[0].id, "icbc.direct.quickpay");
	assert_string_equal(ch[1].id, "nucc.qr");
	assert_string_equal(ch[2].id, "icbc.direct.quickpay");
	assert_int_equal(api_bad_count(&ch[0].bad), 0);
	assert_int_equal(api_bad_count(&ch[1].bad), 1);
	/* the field's path is the object's own, not the page's */
	assert_string_equal(ch[1].bad.v[0].field, "latency_ms.p95");
	assert_string_equal(ch[1].bad.v[0].why, "expected a number");
	assert_true(isnan(ch[1].latency_p95_ms));
	assert_true(ch[1].latency_p99_ms == 3);
	assert_int_equal(p.n_rejected, 0);
	assert_int_equal(p.n_rejected_ids, 0);
	assert_string_equal(p.reject_msg, "");
	assert_string_equal(p.next_cursor, "c2");
	api_page_free(&p);
	assert_null(p.items);
	free(body);
}

static void test_bad_items_without_id(void **state)
{
	const char *items[] = { "{\"name\": \"no id\"}", "42", SAMPLE_ROUTE,
				"{\"id\": \"\", \"strategy\": \"x\"}" };
	char *body = page_of(items, 4, NULL);
	api_page p;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_page(body, strlen(body), API_KIND_ROUTE, &p,
					 &e), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.n_rejected, 3);
	assert_int_equal(p.n_rejected_ids, 0);
	/* named by what it calls itself, since it has no id */
	assert_string_equal(p.reject_msg, "\"no id\": data[0].id: missing");
	assert_null(p.next_cursor);
	api_page_free(&p);
	free(body);
}

static void test_many_rejected(void **state)
{
	json_t *p = json_object(), *a = json_array();
	char id[32], *body;
	api_page pg;
	api_err e;
	size_t i;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "ch%zu", i);
		json_array_append_new(a, json_pack("{s:s}", "id", id));
	}
	json_object_set_new(p, "data", a);
	body = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	assert_int_equal(api_decode_page(body, strlen(body), API_KIND_LIMIT, &pg,
					 &e), 0);
	/* nothing but an id: every one kept, every field marked */
	assert_int_equal(pg.n, 300);
	assert_int_equal(pg.n_rejected, 0);
	{
		const api_limit *l = pg.items;
		assert_string_equal(l[299].id, "ch299");
		assert_string_equal(api_bad_why(&l[299].bad, "scope"), "missing");
		assert_string_equal(api_bad_why(&l[299].bad, "limit_minor"),
				    "missing");
		assert_true(l[299].limit_minor == 0);
		assert_int_equal(l[299].version, -1);
	}
	api_page_free(&pg);
	free(body);
}

static void test_every_kind(void **state)
{
	static const struct {
		api_kind kind;
		const char *item;
	} k[] = {
		{ API_KIND_CHANNEL, SAMPLE_CHANNEL }, { API_KIND_ROUTE, SAMPLE_ROUTE },
		{ API_KIND_CASE, SAMPLE_CASE },       { API_KIND_BREAK, SAMPLE_BREAK },
		{ API_KIND_LIMIT, SAMPLE_LIMIT },     { API_KIND_ALERT, SAMPLE_ALERT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof k / sizeof k[0]; i++) {
		const char *items[] = { k[i].item, k[i].item };
		char *body = page_of(items, 2, NULL);
		api_page p;
		api_err e;
		assert_int_equal(api_decode_page(body, strlen(body), k[i].kind,
						 &p, &e), 0);
		assert_int_equal(p.n, 2);
		assert_int_equal(p.n_rejected, 0);
		assert_string_equal(p.reject_msg, "");
		api_page_free(&p);
		free(body);
		/* the wrong kind: items with an id are kept with their
		 * fields marked, never a crash */
		body = page_of(items, 2, NULL);
		assert_int_equal(api_decode_page(body, strlen(body),
						 (api_kind)((k[i].kind + 1) % 6),
						 &p, &e), 0);
		assert_int_equal(p.n, 2);
		assert_int_equal(p.n_rejected, 0);
		api_page_free(&p);
		free(body);
	}
}

static void page_fails(const char *body, const char *msg)
{
	api_page p;
	api_err e;

	assert_int_equal(api_decode_page(body, strlen(body), API_KIND_CHANNEL, &p,
					 &e), -1);
	assert_null(p.items);
	assert_int_equal(p.n, 0);
	if (msg)
		assert_string_equal(e.msg, msg);
}

static void test_bad_envelopes(void **state)
{
	api_page p;
	api_err e;

	(void)state;
	page_fails("[]", "expected an object {\"data\": [...]}");
	page_fails("{}", "data: missing");
	page_fails("{\"data\": {}}", "data: expected an array");
	page_fails("{\"data\": [], \"next_cursor\": 5}",
		   "next_cursor: expected a non-empty string or null");
	page_fails("{\"data\": [], \"data\": []}", NULL);
	page_fails("not json", NULL);
	assert_int_equal(api_decode_page("", 0, API_KIND_CHANNEL, &p, &e), -1);
	assert_string_equal(e.msg, "empty body");
	/* an empty last page */
	assert_int_equal(api_decode_page("{\"data\": []}", 12, API_KIND_LIMIT, &p,
					 &e), 0);
	assert_int_equal(p.n, 0);
	assert_null(p.next_cursor);
	api_page_free(&p);
}

static void test_am_alerts(void **state)
{
	const char body[] = "[" SAMPLE_AM_ALERT ", {\"fingerprint\": \"dead\"}, 7]";
	const api_alert *a;
	api_page p;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_am_alerts(body, sizeof body - 1, "am-sh", &p,
					      &e), 0);
	assert_int_equal(p.kind, API_KIND_ALERT);
	assert_int_equal(p.n, 2);
	a = p.items;
	assert_string_equal(a[0].source, "am-sh");
	assert_string_equal(a[0].title, "ChannelDown");
	assert_int_equal(api_bad_count(&a[0].bad), 0);
	/* a fingerprint is enough to be shown, the rest marked */
	assert_string_equal(a[1].id, "dead");
	assert_string_equal(api_bad_why(&a[1].bad, "labels"), "missing");
	assert_string_equal(api_bad_why(&a[1].bad, "status"), "missing");
	assert_int_equal(a[1].state, AST_UNKNOWN);
	assert_int_equal(p.n_rejected, 1);
	assert_int_equal(p.n_rejected_ids, 0);
	assert_string_equal(p.reject_msg, "[2]: expected an object");
	api_page_free(&p);
	assert_int_equal(api_decode_am_alerts("{}", 2, NULL, &p, &e), -1);
	assert_string_equal(e.msg, "expected an array of alerts");
}

static void test_problem_412(void **state)
{
	const char body[] =
		"{\"type\": \"https://payops.example/problems/version_conflict\","
		" \"title\": \"Version conflict\", \"status\": 412,"
		" \"detail\": \"channel changed since version 16\","
		" \"code\": \"version_conflict\", \"request_id\": \"req-42\","
		" \"current\": " SAMPLE_ROUTE "}";
	api_problem p;
	json_t *j = NULL;
	api_route r;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_problem(body, sizeof body - 1, &p), 0);
	assert_int_equal(p.status, 412);
	assert_string_equal(p.code, "version_conflict");
	assert_string_equal(p.title, "Version conflict");
	assert_string_equal(p.request_id, "req-42");
	assert_non_null(p.current_json);
	/* the current object decodes as what it is */
	assert_int_equal(api_parse(p.current_json, strlen(p.current_json), &j,
				   &e), 0);
	assert_int_equal(api_decode_route(j, &r, &e), 0);
	assert_int_equal(r.version, 4);
	api_route_free(&r);
	json_decref(j);
	api_problem_free(&p);
	api_problem_free(&p);
	assert_null(p.code);
}

static void test_problem_tolerant(void **state)
{
	const char odd[] = "{\"title\": 5, \"status\": \"429\", \"code\": \"rate_limited\","
			   " \"detail\": \"slow \\u001b[2J down\", \"extra\": [1]}";
	api_problem p;

	(void)state;
	assert_int_equal(api_decode_problem(odd, sizeof odd - 1, &p), 0);
	assert_null(p.title);
	assert_int_equal(p.status, 0);
	assert_string_equal(p.code, "rate_limited");
	assert_string_equal(p.detail, "slow \x1b[2J down"); /* raw: widgets sanitise */
	assert_null(p.current_json);
	api_problem_free(&p);

	assert_int_equal(api_decode_problem("<html>502</html>", 16, &p), -1);
	assert_null(p.title);
	assert_int_equal(api_decode_problem("", 0, &p), -1);
	assert_int_equal(api_decode_problem("[1]", 3, &p), -1);
	assert_int_equal(api_decode_problem("{}", 2, &p), 0);
	assert_null(p.code);
	api_problem_free(&p);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_one_bad_among_good),
	cmocka_unit_test(test_bad_items_without_id),
	cmocka_unit_test(test_many_rejected),
	cmocka_unit_test(test_every_kind),
	cmocka_unit_test(test_bad_envelopes),
	cmocka_unit_test(test_am_alerts),
	cmocka_unit_test(test_problem_412),
	cmocka_unit_test(test_problem_tolerant))
