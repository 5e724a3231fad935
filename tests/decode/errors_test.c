/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/decode/errors_test.c: what the decoders refuse, and how they say
 * it. An object without a usable id is refused (the error names the field,
 * nothing is left half-filled); an object with a bad field is kept, the
 * field holding its "nothing" value and listed with the reason. */
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
#include "tests/decode/fixture.h"
#include "tests/decode/samples.h"
#include "text/text.h"
#include "tests/lib/unit.h"

static bool is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Decode a channel; expect failure with exactly `msg`, output zeroed. */
static void channel_fails(json_t *j, const char *msg)
{
	api_channel o;
	api_err e;

	memset(&o, 0xAB, sizeof o);
	assert_int_equal(api_decode_channel(j, &o, &e), -1);
	assert_string_equal(e.msg, msg);
	assert_true(is_zero(&o, sizeof o));
	json_decref(j);
}

/* Decode a channel; expect it kept, with `field` refused for `why` and
 * nothing else refused. The decoded channel is handed back to check values. */
static void channel_keeps_o(json_t *j, const char *field, const char *why,
			    api_channel *o)
{
	api_err e;

	memset(o, 0xAB, sizeof *o);
	assert_int_equal(api_decode_channel(j, o, &e), 0);
	assert_string_equal(o->id, "icbc.direct.quickpay");
	assert_int_equal(api_bad_count(&o->bad), 1);
	assert_string_equal(o->bad.v[0].field, field);
	assert_string_equal(o->bad.v[0].why, why);
	assert_string_equal(api_bad_why(&o->bad, field), why);
	json_decref(j);
}

static void channel_keeps(json_t *j, const char *field, const char *why)
{
	api_channel o;

	channel_keeps_o(j, field, why, &o);
	api_channel_free(&o);
}

static json_t *channel_with(const char *key, json_t *v)
{
	json_t *j = J(SAMPLE_CHANNEL);

	if (v)
		json_object_set_new(j, key, v);
	else
		json_object_del(j, key);
	return j;
}

static void test_missing_required(void **state)
{
	static const char *const keys[] = {
		"name", "network", "admin_state", "health", "breaker",
		"window_s", "tps", "system_success_rate", "latency_ms",
		"version", "updated_at",
	};
	api_channel o;
	size_t i;

	(void)state;
	/* without its id a channel cannot be acted on, nor told apart */
	channel_fails(channel_with("id", NULL), "id: missing");
	/* without anything else it is kept, the field marked */
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		channel_keeps(channel_with(keys[i], NULL), keys[i], "missing");
	/* what a missing field leaves: nothing, never a made-up value */
	channel_keeps_o(channel_with("name", NULL), "name", "missing", &o);
	assert_string_equal(o.name, "");
	api_channel_free(&o);
	channel_keeps_o(channel_with("network", NULL), "network", "missing", &o);
	assert_int_equal(o.network, NET_UNKNOWN);
	assert_non_null(o.network_raw);
	api_channel_free(&o);
	channel_keeps_o(channel_with("tps", NULL), "tps", "missing", &o);
	assert_true(isnan(o.tps));
	api_channel_free(&o);
	channel_keeps_o(channel_with("version", NULL), "version", "missing", &o);
	assert_int_equal(o.version, -1); /* no If-Match can be made of it */
	api_channel_free(&o);
	channel_keeps_o(channel_with("updated_at", NULL), "updated_at",
			"missing", &o);
	assert_int_equal(o.updated_at, 0);
	api_channel_free(&o);
	/* optional members may be absent */
	{
		json_t *j = J(SAMPLE_CHANNEL);
		api_err e;
		json_object_del(j, "link_id");
		json_object_del(j, "maintenance");
		json_object_del(j, "top_errors");
		json_object_del(j, "updated_by");
		assert_int_equal(api_decode_channel(j, &o, &e), 0);
		assert_null(o.link_id);
		assert_int_equal(o.n_top_errors, 0);
		api_channel_free(&o);
		json_decref(j);
	}
}

static void test_wrong_types(void **state)
{
	json_t *j;

	api_channel o;

	(void)state;
	channel_fails(channel_with("id", json_integer(5)),
		      "id: expected a string");
	channel_fails(channel_with("id", json_string("")),
		      "id: must not be empty");
	channel_fails(channel_with("id", json_null()), "id: must not be null");
	channel_fails(J("[1, 2]"), "expected an object");

	channel_keeps_o(channel_with("window_s", json_string("60")), "window_s",
			"expected an integer", &o);
	assert_int_equal(o.window_s, 0);
	api_channel_free(&o);
	channel_keeps(channel_with("window_s", json_real(60.5)), "window_s",
		      "expected an integer");
	channel_keeps_o(channel_with("tps", json_true()), "tps",
			"expected a number", &o);
	assert_true(isnan(o.tps));
	assert_true(o.system_success_rate == 0.9992); /* the rest is intact */
	api_channel_free(&o);
	/* NaN has no JSON form: a platform may send it as a string */
	channel_keeps(channel_with("tps", json_string("NaN")), "tps",
		      "expected a number");
	channel_keeps_o(channel_with("latency_ms", json_array()), "latency_ms",
			"expected an object", &o);
	assert_true(isnan(o.latency_p95_ms));
	assert_true(api_bad_has(&o.bad, "latency_ms.p95")); /* held by it */
	api_channel_free(&o);
	channel_keeps_o(channel_with("top_errors", json_object()), "top_errors",
			"expected an array", &o);
	assert_int_equal(o.n_top_errors, 0);
	api_channel_free(&o);
	channel_keeps(channel_with("updated_at", json_string("yesterday")),
		      "updated_at", "not an RFC 3339 time");
	channel_keeps(channel_with("updated_at", json_integer(1795248900)),
		      "updated_at", "expected an RFC 3339 time string");
	channel_keeps_o(channel_with("admin_state", json_integer(1)),
			"admin_state", "expected a string", &o);
	assert_int_equal(o.admin_state, ADM_UNKNOWN);
	assert_string_equal(o.admin_state_raw, "");
	api_channel_free(&o);
	j = J(SAMPLE_CHANNEL);
	json_object_set_new(json_object_get(j, "latency_ms"), "p95",
			    json_string("210"));
	channel_keeps_o(j, "latency_ms.p95", "expected a number", &o);
	assert_true(isnan(o.latency_p95_ms));
	assert_true(o.latency_p99_ms == 480);
	assert_true(api_bad_has(&o.bad, "latency_ms")); /* something inside */
	assert_false(api_bad_has(&o.bad, "latency"));   /* not a prefix word */
	api_channel_free(&o);
	j = J(SAMPLE_CHANNEL);
	json_object_set_new(json_array_get(json_object_get(j, "top_errors"), 0),
			    "count", json_integer(-1));
	channel_keeps_o(j, "top_errors[0].count", "must not be negative", &o);
	assert_int_equal(o.n_top_errors, 1);
	assert_int_equal(o.top_errors[0].count, 0);
	api_channel_free(&o);
	j = J(SAMPLE_CHANNEL);
	json_object_del(json_array_get(json_object_get(j, "interfaces"), 1),
			"admin_state");
	channel_keeps_o(j, "interfaces[1].admin_state", "missing", &o);
	assert_int_equal(o.n_interfaces, 2);
	assert_int_equal(o.interfaces[1].admin_state, ADM_UNKNOWN);
	api_channel_free(&o);
	/* an element that is not an object is left out */
	j = J(SAMPLE_CHANNEL);
	json_array_append_new(json_object_get(j, "interfaces"), json_string("x"));
	channel_keeps_o(j, "interfaces[2]", "expected an object", &o);
	assert_int_equal(o.n_interfaces, 2);
	api_channel_free(&o);
	/* so is an interface without a name: actions name the interface,
	 * and "" would mean the whole channel */
	j = J(SAMPLE_CHANNEL);
	json_object_set_new(json_array_get(json_object_get(j, "interfaces"), 0),
			    "name", json_string(""));
	channel_keeps_o(j, "interfaces[0].name", "expected a non-empty string",
			&o);
	assert_int_equal(o.n_interfaces, 1);
	assert_string_equal(o.interfaces[0].name, "refund");
	api_channel_free(&o);
	/* 17.0 is an integer; so is version 0 */
	{
		api_err e;
		j = channel_with("version", json_real(17.0));
		assert_int_equal(api_decode_channel(j, &o, &e), 0);
		assert_int_equal(o.version, 17);
		api_channel_free(&o);
		json_decref(j);
	}
}

static void test_rates_and_ranges(void **state)
{
	api_route r;
	api_limit l;
	api_err e;
	json_t *j;

	api_channel o;

	(void)state;
	channel_keeps_o(channel_with("system_success_rate", json_real(1.0001)),
			"system_success_rate", "out of range 0..1", &o);
	assert_true(isnan(o.system_success_rate));
	api_channel_free(&o);
	channel_keeps(channel_with("business_success_rate", json_real(-0.1)),
		      "business_success_rate", "out of range 0..1");
	channel_keeps(channel_with("traffic_share", json_integer(2)),
		      "traffic_share", "out of range 0..1");
	channel_keeps(channel_with("tps", json_real(-3)), "tps",
		      "out of range 0..1e+15");
	channel_keeps_o(channel_with("version", json_integer(-1)), "version",
			"must not be negative", &o);
	assert_int_equal(o.version, -1);
	api_channel_free(&o);
	channel_keeps(channel_with("window_s", json_integer(0)), "window_s",
		      "out of range 1..604800");

	j = J(SAMPLE_ROUTE);
	json_object_set_new(json_array_get(json_object_get(j, "members"), 1),
			    "weight_pct", json_integer(101));
	assert_int_equal(api_decode_route(j, &r, &e), 0);
	assert_string_equal(r.id, "qr.cny.domestic");
	assert_int_equal(r.n_members, 2);
	assert_int_equal(r.members[1].weight_pct, 0);
	assert_string_equal(api_bad_why(&r.bad, "members[1].weight_pct"),
			    "out of range 0..100");
	assert_true(api_bad_has(&r.bad, "members"));
	assert_false(api_bad_has(&r.bad, "members[0].weight_pct"));
	assert_int_equal(r.version, 4);
	api_route_free(&r);
	/* members keep their places, even one without a channel id or
	 * one that is not an object (the editor refuses such a group) */
	json_object_set_new(json_array_get(json_object_get(j, "members"), 1),
			    "weight_pct", json_integer(40));
	json_object_del(json_array_get(json_object_get(j, "members"), 0),
			"channel_id");
	json_array_append_new(json_object_get(j, "members"), json_integer(3));
	assert_int_equal(api_decode_route(j, &r, &e), 0);
	assert_int_equal(r.n_members, 3);
	assert_string_equal(r.members[0].channel_id, "");
	assert_string_equal(api_bad_why(&r.bad, "members[0].channel_id"),
			    "missing");
	assert_string_equal(r.members[1].channel_id, "nucc.qr");
	assert_false(api_bad_has(&r.bad, "members[1]"));
	assert_string_equal(r.members[2].channel_id, "");
	assert_string_equal(api_bad_why(&r.bad, "members[2]"),
			    "expected an object");
	api_route_free(&r);
	json_decref(j);

	/* money refused stays exact: 0 and marked, never a rounded double */
	j = J(SAMPLE_LIMIT);
	json_object_set_new(j, "warn_at", json_real(1.5));
	json_object_set_new(j, "currency", json_string("cny"));
	json_object_set_new(j, "limit_minor", json_real(1e308));
	json_object_set_new(j, "used_minor", json_string("41230000"));
	assert_int_equal(api_decode_limit(j, &l, &e), 0);
	assert_string_equal(l.id, "lim_mer_510104000123_day");
	assert_int_equal(api_bad_count(&l.bad), 4);
	assert_string_equal(api_bad_why(&l.bad, "warn_at"), "out of range 0..1");
	assert_true(isnan(l.warn_at));
	assert_string_equal(api_bad_why(&l.bad, "currency"),
			    "expected an ISO 4217 currency code");
	assert_string_equal(l.currency, "");
	assert_string_equal(api_bad_why(&l.bad, "limit_minor"),
			    "expected an integer");
	assert_true(l.limit_minor == 0);
	assert_string_equal(api_bad_why(&l.bad, "used_minor"),
			    "expected an integer");
	assert_true(l.used_minor == 0);
	assert_int_equal(l.version, 9);
	assert_int_equal(l.state, LS_WARNING);
	api_limit_free(&l);
	json_object_set_new(j, "limit_minor", json_integer(-5));
	assert_int_equal(api_decode_limit(j, &l, &e), 0);
	assert_string_equal(api_bad_why(&l.bad, "limit_minor"),
			    "must not be negative");
	api_limit_free(&l);
	json_decref(j);
}

/* NaN and infinities cannot come from JSON text (jansson refuses them), but
 * a tree built in code can hold the extremes: they are refused too. */
static void test_nan_and_huge(void **state)
{
	json_t *j = NULL;
	api_err e;
	api_break b;
	const char *huge_real = "{\"tps\": 1e400}";
	const char *huge_int = "{\"version\": 1180591620717411303424}";
	const char *nan_lit = "{\"tps\": NaN}";

	(void)state;
	assert_int_equal(api_parse(huge_real, strlen(huge_real), &j, &e), -1);
	assert_null(j);
	assert_non_null(strstr(e.msg, "line 1 column"));
	assert_int_equal(api_parse(huge_int, strlen(huge_int), &j, &e), -1);
	assert_non_null(strstr(e.msg, "too big"));
	assert_int_equal(api_parse(nan_lit, strlen(nan_lit), &j, &e), -1);

	channel_keeps(channel_with("tps", json_real(1e308)), "tps",
		      "out of range 0..1e+15");
	/* int64 extremes are exact */
	j = J(SAMPLE_BREAK);
	json_object_set_new(j, "difference_minor", json_integer(INT64_MIN));
	json_object_set_new(j, "channel_amount_minor", json_integer(INT64_MAX));
	assert_int_equal(api_decode_break(j, &b, &e), 0);
	assert_true(b.difference_minor == INT64_MIN);
	assert_true(b.channel_amount_minor == INT64_MAX);
	api_break_free(&b);
	/* money as a float is refused, and the break kept */
	json_object_set_new(j, "difference_minor", json_real(-2.5));
	assert_int_equal(api_decode_break(j, &b, &e), 0);
	assert_string_equal(api_bad_why(&b.bad, "difference_minor"),
			    "expected an integer");
	assert_true(b.difference_minor == 0);
	assert_true(b.channel_amount_minor == INT64_MAX);
	api_break_free(&b);
	json_object_set_new(j, "difference_minor", json_real(1e17));
	assert_int_equal(api_decode_break(j, &b, &e), 0);
	assert_true(api_bad_has(&b.bad, "difference_minor"));
	api_break_free(&b);
	json_decref(j);
}

static void test_non_utf8(void **state)
{
	/* a merchant name with a stray Latin-1 byte and an overlong slash */
	const char body[] = "{\"site\": \"bj\xe9\xc0\xaf\", \"platform_version\": \"1\","
			    " \"server_time\": \"2026-11-21T08:15:00Z\", \"stream_seq\": 1}";
	const char nul[] = "{\"site\": \"a\\u0000b\", \"platform_version\": \"1\","
			   " \"server_time\": \"2026-11-21T08:15:00Z\", \"stream_seq\": 1}";
	const char surrogate[] = "{\"site\": \"\\ud800\"}";
	json_t *j = NULL;
	api_status s;
	api_err e;

	(void)state;
	assert_int_equal(api_parse(body, sizeof body - 1, &j, &e), 0);
	assert_int_equal(api_decode_status(j, &s, &e), 0);
	assert_string_equal(s.site, "bj\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	api_status_free(&s);
	json_decref(j);

	assert_int_equal(api_parse(nul, sizeof nul - 1, &j, &e), 0);
	assert_int_equal(api_decode_status(j, &s, &e), 0);
	assert_string_equal(s.site, "a\xEF\xBF\xBD" "b");
	api_status_free(&s);
	json_decref(j);

	/* a lone surrogate escape is not Unicode: refused by the parser */
	assert_int_equal(api_parse(surrogate, sizeof surrogate - 1, &j, &e), -1);
}

static void test_bad_bodies(void **state)
{
	json_t *j = NULL;
	api_err e;
	char *deep;
	size_t i, n = 100000;

	(void)state;
	assert_int_equal(api_parse("", 0, &j, &e), -1);
	assert_string_equal(e.msg, "empty body");
	assert_int_equal(api_parse(NULL, 0, &j, &e), -1);
	assert_int_equal(api_parse("{\"a\":", 5, &j, &e), -1);
	assert_non_null(strstr(e.msg, "line 1"));
	assert_int_equal(api_parse("{} x", 4, &j, &e), -1);
	/* duplicate keys: which one would win is not defined; refuse */
	assert_int_equal(api_parse("{\"id\":\"a\",\"id\":\"b\"}", 19, &j, &e), -1);
	assert_non_null(strstr(e.msg, "duplicate"));
	/* the size cap is checked before anything is read */
	assert_int_equal(api_parse("{}", (size_t)API_MAX_BODY + 1, &j, &e), -1);
	assert_string_equal(e.msg, "body larger than 64 MiB");

	/* deeply nested garbage: refused by the parser, no stack blow-up */
	deep = malloc(2 * n + 1);
	assert_non_null(deep);
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[n + i] = ']';
	}
	deep[2 * n] = '\0';
	assert_int_equal(api_parse(deep, 2 * n, &j, &e), -1);
	assert_null(j);
	free(deep);

	/* nested but parseable: a wrong type, named */
	j = J(SAMPLE_CHANNEL);
	json_object_set_new(j, "latency_ms",
			    json_pack("{s:{s:{s:[[[]]]}}}", "p50", "a", "b"));
	{
		api_channel o;
		assert_int_equal(api_decode_channel(j, &o, &e), 0);
		assert_string_equal(api_bad_why(&o.bad, "latency_ms.p50"),
				    "expected a number");
		assert_string_equal(api_bad_why(&o.bad, "latency_ms.p99"),
				    "missing");
		api_channel_free(&o);
		json_decref(j);
	}
}

static void test_string_lengths(void **state)
{
	size_t n = 10000, big = 64 * 1024 + 1;
	char *s = malloc(big + 1);
	api_channel o;
	api_err e;
	json_t *j;

	(void)state;
	assert_non_null(s);
	memset(s, 'x', big);
	s[n] = '\0';
	/* a 10,000-character name is fine: widgets cut it */
	j = channel_with("name", json_string(s));
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_int_equal(strlen(o.name), n);
	api_channel_free(&o);
	json_decref(j);
	/* over 64 KiB is not a name */
	s[n] = 'x';
	s[big] = '\0';
	channel_keeps(channel_with("name", json_string(s)), "name",
		      "string longer than 65536 bytes");
	free(s);
}

static void test_other_decoders_errors(void **state)
{
	api_status st;
	api_me me;
	api_history h;
	api_case c;
	api_break b;
	api_recon_summary rs;
	api_alert a;
	api_err e;
	json_t *j;

	(void)state;
	j = J(SAMPLE_STATUS);
	json_object_set_new(j, "stream_seq", json_integer(-4));
	assert_int_equal(api_decode_status(j, &st, &e), -1);
	assert_string_equal(e.msg, "stream_seq: must not be negative");
	assert_null(st.site);
	json_decref(j);

	j = J(SAMPLE_ME);
	json_array_append_new(json_object_get(j, "scopes"), json_integer(1));
	assert_int_equal(api_decode_me(j, &me, &e), -1);
	assert_string_equal(e.msg, "scopes[4]: expected a string");
	json_decref(j);

	j = J(SAMPLE_HISTORY);
	json_object_set_new(json_array_get(json_object_get(j, "points"), 1),
			    "system_success_rate", json_real(7));
	assert_int_equal(api_decode_history(j, &h, &e), -1);
	assert_string_equal(e.msg, "points[1].system_success_rate: out of range 0..1");
	json_decref(j);

	j = J(SAMPLE_CASE);
	json_object_del(json_array_get(json_object_get(j, "checks"), 0), "result");
	json_object_set_new(j, "risk_score", json_string("NaN"));
	json_object_set_new(j, "stage", json_integer(4));
	assert_int_equal(api_decode_case(j, &c, &e), 0);
	assert_string_equal(c.id, "case_000123");
	assert_string_equal(api_bad_why(&c.bad, "checks[0].result"), "missing");
	assert_int_equal(c.checks[0].result, CHECK_UNKNOWN);
	assert_string_equal(api_bad_why(&c.bad, "risk_score"),
			    "expected an integer");
	assert_int_equal(c.risk_score, -1);
	assert_string_equal(api_bad_why(&c.bad, "stage"), "expected a string");
	assert_int_equal(c.stage, STAGE_UNKNOWN);
	assert_int_equal(c.version, 3);
	api_case_free(&c);
	json_object_del(j, "id");
	assert_int_equal(api_decode_case(j, &c, &e), -1);
	assert_string_equal(e.msg, "id: missing");
	json_decref(j);

	j = J(SAMPLE_BREAK);
	json_object_set_new(j, "recon_date", json_string("2026-02-30"));
	assert_int_equal(api_decode_break(j, &b, &e), 0);
	assert_string_equal(api_bad_why(&b.bad, "recon_date"),
			    "expected a date YYYY-MM-DD");
	assert_string_equal(b.recon_date, "");
	api_break_free(&b);
	json_object_set_new(j, "recon_date", json_string("2026-11-21"));
	json_object_set_new(j, "resolution", json_pack("{s:s}", "note", "x"));
	json_object_set_new(j, "severity", json_real(2.0));
	assert_int_equal(api_decode_break(j, &b, &e), 0);
	assert_string_equal(api_bad_why(&b.bad, "resolution.action"), "missing");
	assert_true(b.resolution.present);
	assert_string_equal(b.resolution.action, "");
	assert_string_equal(api_bad_why(&b.bad, "severity"), "expected a string");
	assert_int_equal(b.severity, SEV_UNKNOWN);
	assert_true(b.difference_minor == -200);
	api_break_free(&b);
	json_decref(j);

	j = J(SAMPLE_SUMMARY);
	json_object_set_new(json_array_get(json_object_get(j, "channels"), 1),
			    "open_count", json_integer(-1));
	assert_int_equal(api_decode_recon_summary(j, &rs, &e), -1);
	assert_string_equal(e.msg, "channels[1].open_count: must not be negative");
	json_decref(j);

	j = J(SAMPLE_ALERT);
	json_object_set_new(json_object_get(j, "labels"), "channel_id",
			    json_integer(3));
	json_object_set_new(j, "starts_at", json_string("soon"));
	assert_int_equal(api_decode_alert(j, &a, &e), 0);
	assert_string_equal(a.id, "alr_1");
	assert_string_equal(api_bad_why(&a.bad, "labels.channel_id"),
			    "expected a string");
	assert_int_equal(a.n_labels, 0); /* the label is left out */
	assert_string_equal(api_bad_why(&a.bad, "starts_at"),
			    "not an RFC 3339 time");
	assert_int_equal(a.starts_at, 0);
	assert_int_equal(a.severity, AS_CRITICAL);
	api_alert_free(&a);
	json_decref(j);

	/* a long non-ASCII label name: the message is cut, still UTF-8 */
	{
		char key[400];
		size_t i;
		for (i = 0; i < 120; i++)
			memcpy(key + 3 * i, "键", 3);
		key[360] = '\0';
		j = J(SAMPLE_ALERT);
		json_object_set_new(json_object_get(j, "labels"), key,
				    json_array());
		assert_int_equal(api_decode_alert(j, &a, &e), 0);
		assert_int_equal(a.bad.n, 1);
		assert_true(text_utf8_valid(a.bad.v[0].field,
					    strlen(a.bad.v[0].field)));
		assert_true(strncmp(a.bad.v[0].field, "labels.键键", 12) == 0);
		api_alert_free(&a);
		json_decref(j);
	}

	j = J(SAMPLE_AM_ALERT);
	json_object_del(json_object_get(j, "status"), "state");
	assert_int_equal(api_decode_am_alert(j, "am", &a, &e), 0);
	assert_string_equal(a.id, "4f1e0c2b9a7d3e21");
	assert_string_equal(api_bad_why(&a.bad, "status.state"), "missing");
	assert_int_equal(a.state, AST_UNKNOWN);
	api_alert_free(&a);
	json_object_del(j, "fingerprint");
	assert_int_equal(api_decode_am_alert(j, "am", &a, &e), -1);
	assert_string_equal(e.msg, "fingerprint: missing");
	json_decref(j);
}

/* An object that is all wrong but its id: kept, every field listed up to
 * API_BAD_MAX and the rest counted; copies carry the list. */
static void test_only_an_id(void **state)
{
	json_t *j = J("{\"id\": \"ch1\", \"name\": 1, \"network\": 2,"
		      " \"admin_state\": 3, \"health\": 4, \"breaker\": 5,"
		      " \"window_s\": \"a\", \"tps\": \"b\","
		      " \"system_success_rate\": 9, \"business_success_rate\": 9,"
		      " \"latency_ms\": {\"p50\": -1, \"p95\": -1, \"p99\": -1},"
		      " \"traffic_share\": 9, \"top_errors\": 7,"
		      " \"interfaces\": [1, 2, 3], \"maintenance\": 8,"
		      " \"version\": \"v\", \"updated_at\": 0, \"updated_by\": 1}");
	api_channel o, c;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_string_equal(o.id, "ch1");
	assert_int_equal(o.bad.n, API_BAD_MAX);
	assert_int_equal(api_bad_count(&o.bad), 21);
	assert_int_equal(o.version, -1);
	assert_int_equal(api_channel_copy(&c, &o), 0);
	assert_true(api_bad_equal(&c.bad, &o.bad));
	assert_true(c.bad.v != o.bad.v);
	api_channel_free(&c);
	api_channel_free(&o);
	assert_null(o.bad.v);
	json_decref(j);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_missing_required),
	cmocka_unit_test(test_wrong_types),
	cmocka_unit_test(test_rates_and_ranges),
	cmocka_unit_test(test_nan_and_huge),
	cmocka_unit_test(test_non_utf8),
	cmocka_unit_test(test_bad_bodies),
	cmocka_unit_test(test_string_lengths),
	cmocka_unit_test(test_other_decoders_errors),
	cmocka_unit_test(test_only_an_id))
