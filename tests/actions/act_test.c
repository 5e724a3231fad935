/* SPDX-License-Identifier: ISC (see COPYING) */
/* Unit tests of the action client: bodies, validation (refusals write no
 * audit row), scopes, 412 classification, effect description, keys. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "actions/act_int.h"
#include "api/decode.h"
#include "tests/audit/fixture.h"
#include "tests/lib/unit.h"

/* ---- fixtures ---- */

static json_t *channel_json(const char *id, const char *admin, double share, double tps, int64_t version)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:f,s:f,s:f,s:{s:i,s:i,s:i},s:f,s:[],"
			 "s:[{s:s,s:s},{s:s,s:s}],s:n,s:I,s:s,s:s}",
			 "id", id, "name", "n", "network", "bank_direct", "link_id", "l", "admin_state", admin,
			 "health", "healthy", "breaker", "closed", "window_s", 60, "tps", tps,
			 "system_success_rate", 0.999, "business_success_rate", 0.95, "latency_ms", "p50", 80,
			 "p95", 200, "p99", 400, "traffic_share", share, "top_errors", "interfaces", "name", "pay",
			 "admin_state", "enabled", "name", "refund", "admin_state", "enabled", "maintenance",
			 "version", (json_int_t)version, "updated_at", "2026-11-21T08:15:00Z", "updated_by",
			 "op.li");
}

static void add_channel(api_channel *arr, size_t i, const char *id, const char *admin, double share,
			double tps)
{
	json_t *j = channel_json(id, admin, share, tps, 17);
	api_err err;
	assert_non_null(j);
	assert_int_equal(api_decode_channel(j, &arr[i], &err), 0);
	json_decref(j);
}

/* members: "id=weight[!]" (! = not eligible) */
static void make_route(api_route *out, const char *id, const char *const *members, size_t n)
{
	json_t *ms = json_array();
	for (size_t i = 0; i < n; i++) {
		char cid[64];
		int w = 0;
		const char *eq = strchr(members[i], '=');
		snprintf(cid, sizeof cid, "%.*s", (int)(eq - members[i]), members[i]);
		w = atoi(eq + 1);
		json_array_append_new(ms, json_pack("{s:s,s:i,s:b}", "channel_id", cid, "weight_pct", w,
						    "eligible", strchr(members[i], '!') == NULL));
	}
	json_t *j = json_pack("{s:s,s:s,s:s,s:o,s:n,s:i}", "id", id, "name", "r", "strategy", "weighted",
			      "members", ms, "override", "version", 4);
	api_err err;
	assert_int_equal(api_decode_route(j, out, &err), 0);
	json_decref(j);
}

/* A store holding a.bank (18%, 123.4 TPS), b.wallet, c.qr, d.down and two routes. */
static store *demo_store(void)
{
	store *st = store_new();
	assert_non_null(st);
	api_channel *ch = calloc(4, sizeof *ch);
	add_channel(ch, 0, "a.bank", "enabled", 0.18, 123.4);
	add_channel(ch, 1, "b.wallet", "enabled", 0.12, 80);
	add_channel(ch, 2, "c.qr", "enabled", 0.03, 10);
	add_channel(ch, 3, "d.down", "disabled", 0.0, 0);
	store_channels_replace(st, ch, 4, NULL, 0, 1);
	api_route *rt = calloc(2, sizeof *rt);
	static const char *const r1[] = {"a.bank=40", "b.wallet=60"};
	static const char *const r2[] = {"a.bank=50", "b.wallet=25", "c.qr=25", "d.down=0!"};
	make_route(&rt[0], "qr.cny.domestic", r1, 2);
	make_route(&rt[1], "card.cny", r2, 4);
	store_routes_replace(st, rt, 2, NULL, 0, 1);
	api_me me = {.operator_id = strdup("op.test"), .display_name = strdup("Test"),
		     .scopes = SCOPE_BIT_READ | SCOPE_BIT_CHANNELS_WRITE | SCOPE_BIT_ROUTING_WRITE};
	store_set_me(st, &me); /* takes the members */
	return st;
}

static char *body_of(const act_request *r)
{
	json_t *b = act_body(r);
	assert_non_null(b);
	char *s = json_dumps(b, ACT_BODY_FLAGS);
	json_decref(b);
	return s;
}

static void assert_body(const act_request *r, const char *want)
{
	char *s = body_of(r);
	if (strcmp(s, want) != 0)
		fail_msg("body\n  got  %s\n  want %s", s, want);
	free(s);
}

/* ---- bodies ---- */

static void test_bodies(void **state)
{
	(void)state;
	act_request r = {.kind = ACT_CHANNEL, .target = "a.bank", .verb = ACT_CH_QUARANTINE, .reason = "bank down",
			 .ticket = "INC-1"};
	assert_body(&r, "{\"action\":\"quarantine\",\"reason\":\"bank down\",\"ticket\":\"INC-1\"}");
	r.verb = ACT_CH_DISABLE;
	r.interface = "refund";
	r.ticket = NULL;
	assert_body(&r, "{\"action\":\"disable\",\"interface\":\"refund\",\"reason\":\"bank down\"}");

	act_weight w[] = {{"a.bank", 0}, {"b.wallet", 100}};
	act_request rw = {.kind = ACT_ROUTE_WEIGHTS, .target = "qr", .weights = w, .n_weights = 2,
			  .expires_at = 1795248000, .reason = "r"};
	assert_body(&rw, "{\"expires_at\":\"2026-11-21T08:00:00Z\",\"reason\":\"r\",\"weights\":"
		    "[{\"channel_id\":\"a.bank\",\"weight_pct\":0},{\"channel_id\":\"b.wallet\",\"weight_pct\":100}]}");
	rw.expires_at = 0;
	assert_body(&rw, "{\"reason\":\"r\",\"weights\":[{\"channel_id\":\"a.bank\",\"weight_pct\":0},"
		    "{\"channel_id\":\"b.wallet\",\"weight_pct\":100}]}");

	act_request rc = {.kind = ACT_CASE_DECISION, .target = "case_1", .verb = ACT_CASE_APPROVE, .reason = "ok",
			  .assignee = "ignored"};
	assert_body(&rc, "{\"decision\":\"approve\",\"reason\":\"ok\"}");
	rc.verb = ACT_CASE_ASSIGN;
	rc.assignee = "op.wang";
	assert_body(&rc, "{\"assignee\":\"op.wang\",\"decision\":\"assign\",\"reason\":\"ok\"}");
	rc.verb = ACT_CASE_RETURN;
	assert_body(&rc, "{\"decision\":\"return\",\"reason\":\"ok\"}");

	act_request rb = {.kind = ACT_BREAK_RESOLVE, .target = "brk_1", .verb = ACT_BRK_MATCH,
			  .counterpart_ref = "UP123", .reason = "found"};
	assert_body(&rb, "{\"action\":\"match\",\"counterpart_ref\":\"UP123\",\"reason\":\"found\"}");
	rb.verb = ACT_BRK_ADJUST;
	rb.adjustment_minor = -200;
	assert_body(&rb, "{\"action\":\"adjust\",\"adjustment_minor\":-200,\"reason\":\"found\"}");
	rb.verb = ACT_BRK_WRITE_OFF;
	assert_body(&rb, "{\"action\":\"write_off\",\"reason\":\"found\"}");
	rb.verb = ACT_BRK_ASSIGN;
	rb.assignee = "op.li";
	assert_body(&rb, "{\"action\":\"assign\",\"assignee\":\"op.li\",\"reason\":\"found\"}");
	rb.verb = ACT_BRK_INVESTIGATE;
	assert_body(&rb, "{\"action\":\"investigate\",\"reason\":\"found\"}");

	act_request rl = {.kind = ACT_LIMIT_ADJUST, .target = "lim_1", .limit_minor = 60000000, .warn_at = 0.9,
			  .reason = "peak", .ticket = "CHG-7"};
	assert_body(&rl, "{\"limit_minor\":60000000,\"reason\":\"peak\",\"ticket\":\"CHG-7\",\"warn_at\":0.9}");
	rl.warn_at = NAN;
	assert_body(&rl, "{\"limit_minor\":60000000,\"reason\":\"peak\",\"ticket\":\"CHG-7\"}");

	act_request ra = {.kind = ACT_ALERT_ACK, .target = "al_1", .reason = "looking"};
	assert_body(&ra, "{\"reason\":\"looking\"}");

	char p[256];
	assert_int_equal(act_path(&r, p, sizeof p), 0);
	assert_string_equal(p, "/v1/channels/a.bank/actions");
	assert_int_equal(act_path(&rw, p, sizeof p), 0);
	assert_string_equal(p, "/v1/routes/qr/weights");
	assert_int_equal(act_path(&rc, p, sizeof p), 0);
	assert_string_equal(p, "/v1/onboarding/cases/case_1/decision");
	assert_int_equal(act_path(&rb, p, sizeof p), 0);
	assert_string_equal(p, "/v1/recon/breaks/brk_1/resolve");
	assert_int_equal(act_path(&rl, p, sizeof p), 0);
	assert_string_equal(p, "/v1/limits/lim_1/adjust");
	act_request odd = {.kind = ACT_ALERT_ACK, .target = "a/b c"};
	assert_int_equal(act_path(&odd, p, sizeof p), 0);
	assert_string_equal(p, "/v1/alerts/a%2Fb%20c/ack");
	act_kind k;
	assert_int_equal(act_object_path("break.resolve.match", "brk_1", p, sizeof p, &k), 0);
	assert_string_equal(p, "/v1/recon/breaks/brk_1");
	assert_int_equal(k, ACT_BREAK_RESOLVE);
	assert_int_equal(act_object_path("alert.silence", "x", p, sizeof p, &k), -1);
}

static void test_names_and_canonical(void **state)
{
	(void)state;
	char s[256];
	act_request r = {.kind = ACT_BREAK_RESOLVE, .verb = ACT_BRK_WRITE_OFF};
	assert_int_equal(act_action_name(&r, s, sizeof s), 0);
	assert_string_equal(s, "break.resolve.write_off");
	assert_int_equal(act_intended(&r, "op", s, sizeof s), 0);
	assert_string_equal(s, "status=written_off");
	act_request c = {.kind = ACT_CHANNEL, .verb = ACT_CH_RELEASE};
	assert_int_equal(act_intended(&c, "op", s, sizeof s), 0);
	assert_string_equal(s, "admin_state=disabled");
	c.verb = ACT_CH_DISABLE;
	c.interface = "refund";
	assert_int_equal(act_intended(&c, "op", s, sizeof s), 0);
	assert_string_equal(s, "interface refund=disabled");
	act_weight w[] = {{"z.ch", 70}, {"a.ch", 30}};
	act_request rw = {.kind = ACT_ROUTE_WEIGHTS, .weights = w, .n_weights = 2};
	assert_int_equal(act_intended(&rw, "op", s, sizeof s), 0);
	assert_string_equal(s, "weights a.ch=30,z.ch=70");
	assert_string_equal(w[0].channel_id, "z.ch"); /* the caller's array is not reordered */
	act_request ra = {.kind = ACT_ALERT_ACK};
	assert_int_equal(act_intended(&ra, "op.x", s, sizeof s), 0);
	assert_string_equal(s, "acked_by=op.x");

	/* observed, same shape */
	json_t *ch = channel_json("a.bank", "quarantined", 0, 0, 18);
	assert_int_equal(act_observed(ACT_CHANNEL, "admin_state=quarantined", "", ch, s, sizeof s), 0);
	assert_string_equal(s, "admin_state=quarantined");
	assert_int_equal(act_observed(ACT_CHANNEL, "interface refund=disabled", "refund", ch, s, sizeof s), 0);
	assert_string_equal(s, "interface refund=enabled");
	json_decref(ch);
	json_t *rt = json_pack("{s:[{s:s,s:i},{s:s,s:i}]}", "members", "channel_id", "z.ch", "weight_pct", 70,
			       "channel_id", "a.ch", "weight_pct", 30);
	assert_int_equal(act_observed(ACT_ROUTE_WEIGHTS, "", "", rt, s, sizeof s), 0);
	assert_string_equal(s, "weights a.ch=30,z.ch=70");
	json_decref(rt);
}

/* ---- validation ---- */

static void test_validation(void **state)
{
	(void)state;
	store *st = demo_store();
	char why[512];
	act_request r = {.kind = ACT_CHANNEL, .target = "a.bank", .verb = ACT_CH_DISABLE, .reason = "x",
			 .version = 17};
	assert_int_equal(act_validate(st, &r, why, sizeof why), 0);
	r.reason = "";
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_string_equal(why, "a reason is required");
	r.reason = " \t ";
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	char big[1600];
	for (int i = 0; i < 501; i++)
		memcpy(big + 3 * i, "\xe5\x8e\x9f", 3); /* 501 CJK characters */
	big[1503] = '\0';
	r.reason = big;
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "501 characters"));
	big[1500] = '\0'; /* 500 characters, 1500 bytes: fine */
	assert_int_equal(act_validate(st, &r, why, sizeof why), 0);
	big[1499] = '\0'; /* 499 and a cut one: not UTF-8, whatever its length */
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_string_equal(why, "reason: not valid UTF-8");
	r.reason = "\xc0\xaf overlong";
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_string_equal(why, "reason: not valid UTF-8");
	r.reason = "x";
	r.ticket = "INC-\xff";
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_string_equal(why, "ticket: not valid UTF-8");
	r.ticket = "变更-64";
	assert_int_equal(act_validate(st, &r, why, sizeof why), 0);
	r.ticket = NULL;
	r.reason = "x";
	r.ticket = "12345678901234567890123456789012345678901234567890123456789012345"; /* 65 */
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "ticket"));
	r.ticket = NULL;
	r.interface = "settle";
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);
	assert_non_null(strstr(why, "no interface settle"));
	r.interface = "refund";
	assert_int_equal(act_validate(st, &r, why, sizeof why), 0);
	r.verb = ACT_CH_QUARANTINE;
	assert_int_equal(act_validate(st, &r, why, sizeof why), -1);

	act_weight ok[] = {{"a.bank", 20}, {"b.wallet", 30}, {"c.qr", 50}, {"d.down", 0}};
	act_request rw = {.kind = ACT_ROUTE_WEIGHTS, .target = "card.cny", .weights = ok, .n_weights = 4,
			  .reason = "x", .version = 4};
	assert_int_equal(act_validate(st, &rw, why, sizeof why), 0);
	act_weight sum90[] = {{"a.bank", 20}, {"b.wallet", 30}, {"c.qr", 40}, {"d.down", 0}};
	rw.weights = sum90;
	assert_int_equal(act_validate(st, &rw, why, sizeof why), -1);
	assert_non_null(strstr(why, "sum to 90%"));
	act_weight inel[] = {{"a.bank", 20}, {"b.wallet", 30}, {"c.qr", 40}, {"d.down", 10}};
	rw.weights = inel;
	assert_int_equal(act_validate(st, &rw, why, sizeof why), -1);
	assert_non_null(strstr(why, "d.down is not eligible"));
	act_weight stranger[] = {{"a.bank", 50}, {"b.wallet", 30}, {"c.qr", 10}, {"x.y", 10}};
	rw.weights = stranger;
	assert_int_equal(act_validate(st, &rw, why, sizeof why), -1);
	assert_non_null(strstr(why, "x.y is not a member"));
	act_weight missing[] = {{"a.bank", 50}, {"b.wallet", 50}, {"c.qr", 0}};
	rw.weights = missing;
	rw.n_weights = 3;
	assert_int_equal(act_validate(st, &rw, why, sizeof why), -1);
	assert_non_null(strstr(why, "d.down is missing"));

	act_request rb = {.kind = ACT_BREAK_RESOLVE, .target = "b", .verb = ACT_BRK_MATCH, .reason = "x",
			  .version = 1};
	assert_int_equal(act_validate(st, &rb, why, sizeof why), -1);
	rb.verb = ACT_BRK_ASSIGN;
	assert_int_equal(act_validate(st, &rb, why, sizeof why), -1);
	act_request rl = {.kind = ACT_LIMIT_ADJUST, .target = "l", .reason = "x", .version = 1, .limit_minor = 0,
			  .warn_at = NAN};
	assert_int_equal(act_validate(st, &rl, why, sizeof why), -1);
	rl.limit_minor = 5;
	rl.warn_at = 1.5;
	assert_int_equal(act_validate(st, &rl, why, sizeof why), -1);
	act_request ra = {.kind = ACT_ALERT_ACK, .target = "al", .reason = "x", .version = -1};
	assert_int_equal(act_validate(st, &ra, why, sizeof why), 0);
	store_free(st);
}

/* Refusals are reported through done, from the loop, and write nothing. */
typedef struct {
	ev_loop *ev;
	int calls;
	act_result r;
} catch_t;

static void catch_done(void *ctx, const act_result *r)
{
	catch_t *c = ctx;
	c->calls++;
	c->r = *r;
	ev_stop(c->ev);
}

static const char *no_url(void *ctx)
{
	(void)ctx;
	return "http://127.0.0.1:9"; /* never reached: every request here is refused */
}

static void run_refused(act_client *ac, ev_loop *ev, const act_request *r, act_result *out)
{
	catch_t c = {.ev = ev};
	assert_true(act_submit(ac, r, catch_done, NULL, &c) > 0);
	assert_int_equal(c.calls, 0); /* never from inside act_submit */
	ev_run(ev);
	assert_int_equal(c.calls, 1);
	*out = c.r;
}

static void test_refusals_write_nothing(void **state)
{
	(void)state;
	char path[] = "/tmp/act_test_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct audit_log *log;
	char err[256];
	assert_int_equal(audit_open(path, &log, err, sizeof err), AUDIT_OK);
	ev_loop *ev = ev_new();
	http_opts ho = {0};
	http_client *http = http_new(ev, &ho);
	store *st = demo_store();
	act_identity who = {.site = "sh-a", .base_url = no_url, .token = "secret-token-123"};
	act_client *ac = act_new(ev, http, log, st, &who);
	assert_non_null(ac);
	act_result res;

	act_request r = {.kind = ACT_CHANNEL, .target = "a.bank", .verb = ACT_CH_DISABLE, .reason = "",
			 .version = 17};
	run_refused(ac, ev, &r, &res);
	assert_int_equal(res.status, ACT_REFUSED);
	assert_string_equal(res.code, "invalid_request");

	r.reason = "fine";
	act_request rl = {.kind = ACT_LIMIT_ADJUST, .target = "lim", .reason = "x", .version = 1,
			  .limit_minor = 10, .warn_at = NAN};
	run_refused(ac, ev, &rl, &res);
	assert_string_equal(res.code, "insufficient_scope");
	assert_string_equal(res.missing_scope, "limits:write");
	assert_non_null(strstr(res.message, "needs scope limits:write"));
	char why[256], code[64];
	assert_int_equal(act_check(ac, &rl, why, sizeof why, code), -1);
	assert_string_equal(code, "insufficient_scope");

	/* the token in a field: the audit log refuses the intent, nothing is sent */
	act_request rt = r;
	rt.reason = "paste secret-token-123 by mistake";
	run_refused(ac, ev, &rt, &res);
	assert_string_equal(res.code, "audit_write_failed");

	act_set_read_only(ac, "--read-only");
	run_refused(ac, ev, &r, &res);
	assert_string_equal(res.code, "read_only");
	assert_non_null(strstr(res.message, "--read-only"));
	assert_int_equal(act_check(ac, &r, why, sizeof why, NULL), -1);
	act_set_read_only(ac, NULL);
	assert_int_equal(act_check(ac, &r, why, sizeof why, NULL), 0);

	int64_t count = -1, last;
	char hash[65];
	assert_int_equal(audit_head(log, &count, &last, hash), AUDIT_OK);
	assert_int_equal(count, 0);
	assert_int_equal(act_in_flight(ac), 0);

	act_free(ac);
	store_free(st);
	http_free(http);
	ev_free(ev);
	audit_close(log);
	audit_fx_rm_db(path);
}

/* ---- scopes ---- */

static void test_scopes(void **state)
{
	(void)state;
	static const struct { act_kind k; const char *name; unsigned bit; } want[] = {
		{ACT_CHANNEL, "channels:write", SCOPE_BIT_CHANNELS_WRITE},
		{ACT_ROUTE_WEIGHTS, "routing:write", SCOPE_BIT_ROUTING_WRITE},
		{ACT_CASE_DECISION, "onboarding:write", SCOPE_BIT_ONBOARDING_WRITE},
		{ACT_BREAK_RESOLVE, "recon:write", SCOPE_BIT_RECON_WRITE},
		{ACT_LIMIT_ADJUST, "limits:write", SCOPE_BIT_LIMITS_WRITE},
		{ACT_ALERT_ACK, "alerts:write", SCOPE_BIT_ALERTS_WRITE},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(act_scope_name(want[i].k), want[i].name);
		assert_int_equal(act_scope_bit(want[i].k), want[i].bit);
	}
	assert_string_equal(act_scope_from_detail(ACT_CHANNEL, "this action requires the scope recon:write"),
			    "recon:write");
	assert_string_equal(act_scope_from_detail(ACT_LIMIT_ADJUST, "forbidden"), "limits:write");
	assert_string_equal(act_scope_from_detail(ACT_ALERT_ACK, NULL), "alerts:write");
}

/* ---- 412: what moved ---- */

static void fields_of(act_kind k, json_t *j, char *out, size_t n, int64_t *v, char *by)
{
	assert_int_equal(act_fields_json(k, j, out, n, v, by, 64), 0);
	json_decref(j);
}

static void test_conflict_classification(void **state)
{
	(void)state;
	char seen[2048], cur[2048], diff[1024], by[64];
	int64_t v;
	/* channel: tps, share, rates, version moved -> nothing relevant */
	fields_of(ACT_CHANNEL, channel_json("a.bank", "enabled", 0.18, 123.4, 17), seen, sizeof seen, &v, by);
	json_t *j = channel_json("a.bank", "enabled", 0.21, 150.0, 19);
	json_object_set_new(j, "system_success_rate", json_real(0.5));
	json_object_set_new(j, "updated_at", json_string("2026-11-21T09:00:00Z"));
	json_object_set_new(j, "top_errors", json_pack("[{s:s,s:s,s:i}]", "code", "96", "message", "x", "count", 3));
	fields_of(ACT_CHANNEL, j, cur, sizeof cur, &v, by);
	assert_int_equal(v, 19);
	assert_int_equal(act_fields_diff(seen, cur, by, diff, sizeof diff), 0);
	assert_string_equal(diff, "");
	/* admin state moved -> relevant, named with who */
	fields_of(ACT_CHANNEL, channel_json("a.bank", "disabled", 0.0, 0, 19), cur, sizeof cur, &v, by);
	assert_int_equal(act_fields_diff(seen, cur, by, diff, sizeof diff), 1);
	assert_string_equal(diff, "admin_state: enabled -> disabled by op.li");
	/* an interface and the breaker */
	j = channel_json("a.bank", "enabled", 0.18, 123.4, 19);
	json_object_set_new(j, "breaker", json_string("open"));
	json_object_set_new(j, "interfaces", json_pack("[{s:s,s:s}]", "name", "pay", "admin_state", "enabled"));
	fields_of(ACT_CHANNEL, j, cur, sizeof cur, &v, by);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 2);
	assert_non_null(strstr(diff, "breaker: closed -> open"));
	assert_non_null(strstr(diff, "interface refund: enabled -> (none)"));
	/* maintenance scheduled */
	j = channel_json("a.bank", "enabled", 0.18, 123.4, 19);
	json_object_set_new(j, "maintenance", json_pack("{s:s,s:s,s:s}", "starts_at", "2026-11-22T00:00:00Z",
							"ends_at", "2026-11-22T02:00:00Z", "note", "upgrade"));
	fields_of(ACT_CHANNEL, j, cur, sizeof cur, &v, by);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 1);

	/* route: eligibility or weight -> relevant */
	api_route a = {0}, b = {0};
	static const char *const m1[] = {"x=60", "y=40"};
	static const char *const m2[] = {"x=100", "y=0!"};
	make_route(&a, "r", m1, 2);
	make_route(&b, "r", m2, 2);
	assert_int_equal(act_fields_route(&a, seen, sizeof seen), 0);
	assert_int_equal(act_fields_route(&b, cur, sizeof cur), 0);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 3);
	assert_non_null(strstr(diff, "weight y: 40% -> 0%"));
	assert_non_null(strstr(diff, "eligible y: yes -> no"));
	assert_int_equal(act_fields_route(&a, cur, sizeof cur), 0);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 0);
	api_route_free(&a);
	api_route_free(&b);

	/* limit: used_minor/state move -> not relevant; limit_minor -> relevant */
#define LIM "{\"id\":\"l\",\"scope\":\"merchant\",\"scope_id\":\"m\",\"name\":\"n\",\"period\":\"day\"," \
	"\"limit_minor\":%lld,\"used_minor\":%lld,\"currency\":\"CNY\",\"warn_at\":0.8," \
	"\"state\":\"%s\",\"resets_at\":\"2026-11-21T16:00:00Z\",\"version\":%d}"
	char buf[512];
	api_err err;
	json_t *lj;
	snprintf(buf, sizeof buf, LIM, 50000000LL, 41230000LL, "warning", 9);
	assert_int_equal(api_parse(buf, strlen(buf), &lj, &err), 0);
	fields_of(ACT_LIMIT_ADJUST, lj, seen, sizeof seen, &v, by);
	snprintf(buf, sizeof buf, LIM, 50000000LL, 50100000LL, "breached", 11);
	assert_int_equal(api_parse(buf, strlen(buf), &lj, &err), 0);
	fields_of(ACT_LIMIT_ADJUST, lj, cur, sizeof cur, &v, by);
	assert_int_equal(v, 11);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 0);
	snprintf(buf, sizeof buf, LIM, 70000000LL, 50100000LL, "ok", 12);
	assert_int_equal(api_parse(buf, strlen(buf), &lj, &err), 0);
	fields_of(ACT_LIMIT_ADJUST, lj, cur, sizeof cur, &v, by);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 1);
	assert_string_equal(diff, "limit_minor: 50000000 -> 70000000");

	/* break and case: status/stage and assignee */
	api_break b1 = {.status = BS_OPEN, .status_raw = "open", .assignee = NULL};
	api_break b2 = {.status = BS_OPEN, .status_raw = "open", .assignee = "op.wu"};
	assert_int_equal(act_fields_break(&b1, seen, sizeof seen), 0);
	assert_int_equal(act_fields_break(&b2, cur, sizeof cur), 0);
	assert_int_equal(act_fields_diff(seen, cur, "", diff, sizeof diff), 1);
	assert_string_equal(diff, "assignee: (none) -> op.wu");
	api_case c1 = {.stage = STAGE_MANUAL_REVIEW, .stage_raw = "manual_review"};
	api_case c2 = {.stage = STAGE_REJECTED, .stage_raw = "rejected"};
	assert_int_equal(act_fields_case(&c1, seen, sizeof seen), 0);
	assert_int_equal(act_fields_case(&c2, cur, sizeof cur), 0);
	assert_int_equal(act_fields_diff(seen, cur, "op.li", diff, sizeof diff), 1);
	assert_string_equal(diff, "stage: manual_review -> rejected by op.li");
}

/* ---- effect ---- */

static void test_effect(void **state)
{
	(void)state;
	store *st = demo_store();
	char out[2048];
	bool type_id = false;
	int n = act_describe_channel_effect(st, "a.bank", ACT_CH_QUARANTINE, NULL, 0, out, sizeof out, &type_id);
	assert_true(n > 0);
	assert_true(type_id); /* 18% > 5% */
	/* routes are sorted by id: card.cny first */
	assert_string_equal(out, "a.bank: enabled -> quarantined\n"
				 "carries 18.0% of traffic, 123.4 TPS\n"
				 "route card.cny loses 50% -> b.wallet 25%->50%, c.qr 25%->50%\n"
				 "route qr.cny.domestic loses 40% -> b.wallet 60%->100%");
	/* a higher threshold: no typing */
	act_describe_channel_effect(st, "a.bank", ACT_CH_DISABLE, NULL, 0.2, out, sizeof out, &type_id);
	assert_false(type_id);
	/* c.qr carries 3%: below the default threshold; largest remainder rounding */
	act_describe_channel_effect(st, "c.qr", ACT_CH_DRAIN, NULL, 0, out, sizeof out, &type_id);
	assert_false(type_id);
	assert_non_null(strstr(out, "route card.cny loses 25% -> a.bank 50%->67%, b.wallet 25%->33%"));
	/* one interface: routes unchanged, no typing */
	act_describe_channel_effect(st, "a.bank", ACT_CH_DISABLE, "refund", 0, out, sizeof out, &type_id);
	assert_false(type_id);
	assert_non_null(strstr(out, "a.bank interface refund: enabled -> disabled"));
	assert_non_null(strstr(out, "routes unchanged"));
	/* enabling: not a loss */
	act_describe_channel_effect(st, "d.down", ACT_CH_ENABLE, NULL, 0, out, sizeof out, &type_id);
	assert_false(type_id);
	assert_non_null(strstr(out, "d.down: disabled -> enabled"));
	assert_non_null(strstr(out, "becomes eligible again"));
	assert_int_equal(act_describe_channel_effect(st, "nope", ACT_CH_DISABLE, NULL, 0, out, sizeof out, NULL), -1);
	/* equal split when the remaining eligible members carry nothing */
	api_route *rt = calloc(1, sizeof *rt);
	static const char *const m[] = {"a.bank=100", "b.wallet=0", "c.qr=0", "d.down=0!"};
	make_route(rt, "solo", m, 4);
	store_route_upsert(st, rt, 2);
	free(rt);
	act_describe_channel_effect(st, "a.bank", ACT_CH_DISABLE, NULL, 0, out, sizeof out, NULL);
	assert_non_null(strstr(out, "route solo loses 100% -> b.wallet 0%->50%, c.qr 0%->50%"));
	store_free(st);
}

/* ---- keys ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void test_keys(void **state)
{
	(void)state;
	enum { N = 2000 };
	char (*keys)[ACT_KEY_LEN + 1] = calloc(N, sizeof *keys);
	assert_non_null(keys);
	for (int i = 0; i < N; i++) {
		assert_int_equal(act_new_key(keys[i]), 0);
		assert_int_equal(strlen(keys[i]), 35);
		assert_memory_equal(keys[i], "po-", 3);
		for (int k = 3; k < 35; k++)
			assert_non_null(strchr("0123456789abcdef", keys[i][k]));
	}
	qsort(keys, N, sizeof *keys, cmp_str);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(keys[i - 1], keys[i]);
	free(keys);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_bodies),
	cmocka_unit_test(test_names_and_canonical),
	cmocka_unit_test(test_validation),
	cmocka_unit_test(test_refusals_write_nothing),
	cmocka_unit_test(test_scopes),
	cmocka_unit_test(test_conflict_classification),
	cmocka_unit_test(test_effect),
	cmocka_unit_test(test_keys))
