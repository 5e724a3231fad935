/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/decode/objects_test.c: every decoder on the contract's examples,
 * unknown fields and enum values, nullable members, copies. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/decode.h"
#include "tests/decode/fixture.h"
#include "tests/decode/samples.h"
#include "text/text.h"
#include "tests/lib/unit.h"

static void test_status(void **state)
{
	json_t *j = J(SAMPLE_STATUS);
	api_status o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_status(j, &o, &e), 0);
	assert_string_equal(o.site, "bj");
	assert_string_equal(o.platform_version, "3.2.1");
	assert_true(o.server_time == T("2026-11-21T08:15:00Z"));
	assert_int_equal(o.stream_seq, 10452);
	api_status_free(&o);
	api_status_free(&o); /* idempotent */
	assert_null(o.site);
	json_decref(j);
}

static void test_me(void **state)
{
	json_t *j = J(SAMPLE_ME);
	api_me o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_me(j, &o, &e), 0);
	assert_string_equal(o.operator_id, "op.zhang");
	assert_string_equal(o.display_name, "张伟");
	assert_int_equal(o.scopes, SCOPE_BIT_READ | SCOPE_BIT_CHANNELS_WRITE |
					   SCOPE_BIT_RECON_WRITE);
	api_me_free(&o);
	json_decref(j);
}

static void test_channel(void **state)
{
	json_t *j = J(SAMPLE_CHANNEL);
	api_channel o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_string_equal(o.id, "icbc.direct.quickpay");
	assert_string_equal(o.name, "工商银行 快捷支付");
	assert_int_equal(o.network, NET_BANK_DIRECT);
	assert_string_equal(o.network_raw, "bank_direct");
	assert_string_equal(o.link_id, "icbc-bj-01");
	assert_int_equal(o.admin_state, ADM_ENABLED);
	assert_int_equal(o.health, HEALTH_HEALTHY);
	assert_int_equal(o.breaker, BRK_CLOSED);
	assert_int_equal(o.window_s, 60);
	assert_true(o.tps == 123.4);
	assert_true(o.system_success_rate == 0.9992);
	assert_true(o.business_success_rate == 0.941);
	assert_true(o.latency_p50_ms == 85 && o.latency_p95_ms == 210 &&
		    o.latency_p99_ms == 480);
	assert_true(o.traffic_share == 0.18);
	assert_int_equal(o.n_top_errors, 1);
	assert_string_equal(o.top_errors[0].code, "96");
	assert_string_equal(o.top_errors[0].message, "系统故障");
	assert_int_equal(o.top_errors[0].count, 12);
	assert_int_equal(o.n_interfaces, 2);
	assert_string_equal(o.interfaces[1].name, "refund");
	assert_int_equal(o.interfaces[1].admin_state, ADM_DISABLED);
	assert_false(o.maintenance.present);
	assert_int_equal(o.version, 17);
	assert_true(o.updated_at == T("2026-11-21T08:15:00Z"));
	assert_string_equal(o.updated_by, "op.zhang");
	api_channel_free(&o);
	json_decref(j);
}

static void test_channel_nullables(void **state)
{
	json_t *j = J(SAMPLE_CHANNEL);
	api_channel o;
	api_err e;

	(void)state;
	json_object_set_new(j, "link_id", json_null());
	json_object_set_new(j, "updated_by", json_null());
	json_object_set_new(j, "system_success_rate", json_null());
	json_object_set_new(j, "latency_ms", json_null());
	json_object_set_new(j, "maintenance",
			    json_pack("{s:s, s:n, s:s}", "starts_at",
				      "2026-11-22T00:00:00Z", "ends_at", "note",
				      "季度升级"));
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_null(o.link_id);
	assert_null(o.updated_by);
	assert_true(isnan(o.system_success_rate));
	assert_true(isnan(o.latency_p95_ms));
	assert_true(o.maintenance.present);
	assert_true(o.maintenance.starts_at == T("2026-11-22T00:00:00Z"));
	assert_true(o.maintenance.ends_at == 0);
	assert_string_equal(o.maintenance.note, "季度升级");
	api_channel_free(&o);
	json_decref(j);
}

static void test_history(void **state)
{
	json_t *j = J(SAMPLE_HISTORY);
	api_history o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_history(j, &o, &e), 0);
	assert_string_equal(o.channel_id, "icbc.direct.quickpay");
	assert_int_equal(o.step_s, 60);
	assert_int_equal(o.n_points, 2);
	assert_true(o.points[0].t < o.points[1].t);
	assert_true(o.points[1].latency_p95_ms == 210);
	api_history_free(&o);

	/* out of order on the wire: still oldest first; a gap is NAN */
	json_array_append_new(json_object_get(j, "points"),
			  json_pack("{s:s, s:n, s:n, s:n, s:n}", "t",
				    "2026-11-21T08:00:00Z", "tps",
				    "system_success_rate",
				    "business_success_rate", "latency_p95_ms"));
	assert_int_equal(api_decode_history(j, &o, &e), 0);
	assert_int_equal(o.n_points, 3);
	assert_true(o.points[0].t == T("2026-11-21T08:00:00Z"));
	assert_true(isnan(o.points[0].tps));
	api_history_free(&o);
	json_decref(j);
}

static void test_route(void **state)
{
	json_t *j = J(SAMPLE_ROUTE);
	api_route o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_route(j, &o, &e), 0);
	assert_string_equal(o.id, "qr.cny.domestic");
	assert_string_equal(o.name, "二维码收单 境内");
	assert_int_equal(o.strategy, STRAT_WEIGHTED);
	assert_int_equal(o.n_members, 2);
	assert_string_equal(o.members[0].channel_id, "unionpay.qr");
	assert_int_equal(o.members[0].weight_pct, 60);
	assert_true(o.members[1].eligible);
	assert_false(o.override.present);
	assert_int_equal(o.version, 4);
	api_route_free(&o);

	json_object_set_new(j, "override",
			    json_pack("{s:s, s:s, s:n, s:s}", "set_by", "op.li",
				      "reason", "nucc 故障", "ticket",
				      "expires_at", "2026-11-21T10:00:00Z"));
	assert_int_equal(api_decode_route(j, &o, &e), 0);
	assert_true(o.override.present);
	assert_string_equal(o.override.set_by, "op.li");
	assert_string_equal(o.override.ticket, "");
	assert_true(o.override.expires_at == T("2026-11-21T10:00:00Z"));
	api_route_free(&o);
	json_decref(j);
}

static void test_case(void **state)
{
	json_t *j = J(SAMPLE_CASE);
	api_case o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_case(j, &o, &e), 0);
	assert_string_equal(o.id, "case_000123");
	assert_string_equal(o.merchant_name, "成都市锦江区老妈火锅店");
	assert_string_equal(o.mcc, "5812");
	assert_int_equal(o.source, SRC_AGENT_APP);
	assert_int_equal(o.stage, STAGE_MANUAL_REVIEW);
	assert_int_equal(o.risk_level, RISK_MEDIUM);
	assert_int_equal(o.risk_score, 57);
	assert_int_equal(o.n_checks, 3);
	assert_int_equal(o.checks[2].result, CHECK_PENDING);
	assert_string_equal(o.checks[2].name, "account_micro_deposit");
	assert_true(o.sla_due_at == T("2026-11-22T02:00:00Z"));
	assert_null(o.assignee);
	assert_int_equal(o.version, 3);
	assert_true(o.updated_at == 0);
	api_case_free(&o);

	json_object_del(j, "risk_score");
	json_object_set_new(j, "assignee", json_string("op.wang"));
	assert_int_equal(api_decode_case(j, &o, &e), 0);
	assert_int_equal(o.risk_score, -1);
	assert_string_equal(o.assignee, "op.wang");
	api_case_free(&o);
	json_decref(j);
}

static void test_break(void **state)
{
	json_t *j = J(SAMPLE_BREAK);
	api_break o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_break(j, &o, &e), 0);
	assert_string_equal(o.id, "brk_20261121_000451");
	assert_string_equal(o.recon_date, "2026-11-21");
	assert_int_equal(o.type, BT_AMOUNT_MISMATCH);
	assert_int_equal(o.platform_amount_minor, 12800);
	assert_int_equal(o.channel_amount_minor, 12600);
	assert_int_equal(o.difference_minor, -200);
	assert_string_equal(o.currency, "CNY");
	assert_int_equal(o.severity, SEV_MEDIUM);
	assert_int_equal(o.status, BS_OPEN);
	assert_false(o.resolution.present);
	assert_true(o.updated_at == T("2026-11-21T03:10:00Z"));
	api_break_free(&o);

	json_object_set_new(j, "resolution",
			    json_pack("{s:s, s:s, s:s, s:s}", "action",
				      "write_off", "note", "差额核销", "by",
				      "op.zhao", "at", "2026-11-21T09:00:00Z"));
	json_object_set_new(j, "platform_amount_minor", json_null());
	json_object_set_new(j, "merchant_id", json_null());
	assert_int_equal(api_decode_break(j, &o, &e), 0);
	assert_true(o.resolution.present);
	assert_string_equal(o.resolution.action, "write_off");
	assert_string_equal(o.resolution.by, "op.zhao");
	assert_int_equal(o.platform_amount_minor, 0);
	assert_string_equal(o.merchant_id, "");
	api_break_free(&o);
	json_decref(j);
}

static void test_recon_summary(void **state)
{
	json_t *j = J(SAMPLE_SUMMARY);
	api_recon_summary o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_recon_summary(j, &o, &e), 0);
	assert_string_equal(o.date, "2026-11-21");
	assert_int_equal(o.n_channels, 2);
	assert_int_equal(o.channels[0].file_status, FILE_PARSED);
	assert_int_equal(o.channels[0].matched_count, 120345);
	assert_int_equal(o.channels[0].net_difference_minor, -200);
	assert_int_equal(o.channels[1].file_status, FILE_LATE);
	assert_string_equal(o.channels[1].currency, "CNY");
	api_recon_summary_free(&o);
	json_decref(j);
}

static void test_limit(void **state)
{
	json_t *j = J(SAMPLE_LIMIT);
	api_limit o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_limit(j, &o, &e), 0);
	assert_string_equal(o.id, "lim_mer_510104000123_day");
	assert_int_equal(o.scope, SCOPE_MERCHANT);
	assert_string_equal(o.name, "单日结算限额");
	assert_int_equal(o.period, PERIOD_DAY);
	assert_int_equal(o.limit_minor, 50000000);
	assert_int_equal(o.used_minor, 41230000);
	assert_true(o.warn_at == 0.8);
	assert_int_equal(o.state, LS_WARNING);
	assert_true(o.resets_at == T("2026-11-21T16:00:00Z"));
	assert_int_equal(o.version, 9);
	api_limit_free(&o);
	json_decref(j);
}

static void test_alert(void **state)
{
	json_t *j = J(SAMPLE_ALERT);
	api_alert o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_alert(j, &o, &e), 0);
	assert_string_equal(o.id, "alr_1");
	assert_string_equal(o.fingerprint, "9f3c2a");
	assert_int_equal(o.severity, AS_CRITICAL);
	assert_int_equal(o.state, AST_FIRING);
	assert_string_equal(o.title, "通道成功率下降");
	assert_int_equal(o.n_labels, 1);
	assert_string_equal(o.labels[0].key, "channel_id");
	assert_string_equal(o.labels[0].value, "icbc.direct.quickpay");
	assert_true(o.ends_at == 0);
	assert_null(o.acked_by);
	assert_string_equal(o.source, "platform");
	api_alert_free(&o);

	json_object_del(j, "source");
	json_object_set_new(j, "acked_by", json_string("op.zhang"));
	json_object_set_new(j, "state", json_string("resolved"));
	json_object_set_new(j, "ends_at", json_string("2026-11-21T08:30:00Z"));
	assert_int_equal(api_decode_alert(j, &o, &e), 0);
	assert_string_equal(o.source, "platform");
	assert_string_equal(o.acked_by, "op.zhang");
	assert_int_equal(o.state, AST_RESOLVED);
	assert_true(o.ends_at == T("2026-11-21T08:30:00Z"));
	api_alert_free(&o);
	json_decref(j);
}

static void test_am_alert(void **state)
{
	json_t *j = J(SAMPLE_AM_ALERT);
	api_alert o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_am_alert(j, "am-bj", &o, &e), 0);
	assert_string_equal(o.id, "4f1e0c2b9a7d3e21");
	assert_string_equal(o.fingerprint, "4f1e0c2b9a7d3e21");
	assert_int_equal(o.severity, AS_CRITICAL);
	assert_int_equal(o.state, AST_FIRING);
	assert_string_equal(o.state_raw, "active");
	assert_string_equal(o.title, "ChannelDown");
	assert_string_equal(o.summary, "nucc.qr is down");
	assert_string_equal(o.source, "am-bj");
	assert_true(o.starts_at == T("2026-11-21T08:00:00Z"));
	assert_true(o.ends_at == 0);
	assert_int_equal(o.n_labels, 3);
	api_alert_free(&o);

	/* suppressed is still firing; title and summary fallbacks;
	 * severity outside the three is unknown, kept raw */
	json_object_set_new(json_object_get(j, "status"), "state",
			    json_string("suppressed"));
	json_object_set_new(json_object_get(j, "annotations"), "title",
			    json_string("支付通道中断"));
	json_object_del(json_object_get(j, "annotations"), "summary");
	json_object_set_new(json_object_get(j, "labels"), "severity",
			    json_string("page"));
	assert_int_equal(api_decode_am_alert(j, NULL, &o, &e), 0);
	assert_int_equal(o.state, AST_FIRING);
	assert_string_equal(o.state_raw, "suppressed");
	assert_string_equal(o.title, "支付通道中断");
	assert_string_equal(o.summary, "no successful payment for 5m");
	assert_int_equal(o.severity, AS_UNKNOWN);
	assert_string_equal(o.severity_raw, "page");
	assert_string_equal(o.source, "alertmanager");
	api_alert_free(&o);

	json_object_del(json_object_get(j, "labels"), "severity");
	json_object_set_new(json_object_get(j, "status"), "state",
			    json_string("expired"));
	assert_int_equal(api_decode_am_alert(j, NULL, &o, &e), 0);
	assert_int_equal(o.severity, AS_UNKNOWN);
	assert_string_equal(o.severity_raw, "");
	assert_int_equal(o.state, AST_UNKNOWN);
	assert_string_equal(o.state_raw, "expired");
	api_alert_free(&o);
	json_decref(j);
}

/* Unknown fields anywhere are ignored. */
static void test_unknown_fields(void **state)
{
	json_t *j = J(SAMPLE_CHANNEL);
	api_channel o;
	api_route r;
	api_err e;

	(void)state;
	json_object_set_new(j, "future_field", json_pack("{s:[i,i]}", "x", 1, 2));
	json_object_set_new(json_object_get(j, "latency_ms"), "p999",
			    json_integer(900));
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_int_equal(o.version, 17);
	api_channel_free(&o);
	json_decref(j);

	j = J(SAMPLE_ROUTE);
	json_object_set_new(json_array_get(json_object_get(j, "members"), 0),
			    "note", json_string("x"));
	assert_int_equal(api_decode_route(j, &r, &e), 0);
	api_route_free(&r);
	json_decref(j);
}

/* An unknown enum value is kept raw, marked unknown; never an error. */
static void test_unknown_enums(void **state)
{
	json_t *j = J(SAMPLE_CHANNEL);
	api_channel o;
	api_case c;
	api_break b;
	api_limit l;
	api_err e;

	(void)state;
	json_object_set_new(j, "network", json_string("quantum_rail"));
	json_object_set_new(j, "health", json_string("on_fire"));
	json_object_set_new(j, "breaker", json_string("tripped"));
	json_object_set_new(j, "admin_state", json_string("frozen"));
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_int_equal(o.network, NET_UNKNOWN);
	assert_string_equal(o.network_raw, "quantum_rail");
	assert_int_equal(o.health, HEALTH_INVALID);
	assert_string_equal(o.health_raw, "on_fire");
	assert_int_equal(o.breaker, BRK_UNKNOWN);
	assert_int_equal(o.admin_state, ADM_UNKNOWN);
	assert_string_equal(o.admin_state_raw, "frozen");
	api_channel_free(&o);
	/* "unknown" is a contract value of health */
	json_object_set_new(j, "health", json_string("unknown"));
	assert_int_equal(api_decode_channel(j, &o, &e), 0);
	assert_int_equal(o.health, HEALTH_UNKNOWN);
	api_channel_free(&o);
	json_decref(j);

	j = J(SAMPLE_CASE);
	json_object_set_new(j, "stage", json_string("legal_review"));
	json_object_set_new(json_array_get(json_object_get(j, "checks"), 0),
			    "result", json_string("skipped"));
	assert_int_equal(api_decode_case(j, &c, &e), 0);
	assert_int_equal(c.stage, STAGE_UNKNOWN);
	assert_string_equal(c.stage_raw, "legal_review");
	assert_int_equal(c.checks[0].result, CHECK_UNKNOWN);
	assert_string_equal(c.checks[0].result_raw, "skipped");
	api_case_free(&c);
	json_decref(j);

	j = J(SAMPLE_BREAK);
	json_object_set_new(j, "type", json_string("fx_mismatch"));
	json_object_set_new(j, "status", json_string("disputed"));
	assert_int_equal(api_decode_break(j, &b, &e), 0);
	assert_int_equal(b.type, BT_UNKNOWN);
	assert_int_equal(b.status, BS_UNKNOWN);
	assert_string_equal(b.status_raw, "disputed");
	api_break_free(&b);
	json_decref(j);

	j = J(SAMPLE_LIMIT);
	json_object_set_new(j, "period", json_string("week"));
	assert_int_equal(api_decode_limit(j, &l, &e), 0);
	assert_int_equal(l.period, PERIOD_UNKNOWN);
	assert_string_equal(l.period_raw, "week");
	api_limit_free(&l);
	json_decref(j);
}

static void test_enum_spellings(void **state)
{
	(void)state;
	assert_string_equal(api_network_str(NET_CROSS_BORDER), "cross_border");
	assert_string_equal(api_network_str(NET_SHCLEARING), "shclearing");
	assert_string_equal(api_network_str(NET_UNKNOWN), "?");
	assert_string_equal(api_admin_state_str(ADM_QUARANTINED), "quarantined");
	assert_string_equal(api_health_str(HEALTH_UNKNOWN), "unknown");
	assert_string_equal(api_health_str(HEALTH_INVALID), "?");
	assert_string_equal(api_breaker_str(BRK_FORCED_OPEN), "forced_open");
	assert_string_equal(api_strategy_str(STRAT_SUCCESS_RATE), "success_rate");
	assert_string_equal(api_stage_str(STAGE_INTENT_CONFIRM), "intent_confirm");
	assert_string_equal(api_source_str(SRC_AGENT_APP), "agent_app");
	assert_string_equal(api_risk_str(RISK_HIGH), "high");
	assert_string_equal(api_check_result_str(CHECK_WARN), "warn");
	assert_string_equal(api_break_type_str(BT_REFUND_NO_FINAL),
			    "refund_no_final");
	assert_string_equal(api_break_type_str(BT_MISSING_PLATFORM),
			    "missing_platform");
	assert_string_equal(api_severity_str(SEV_LOW), "low");
	assert_string_equal(api_break_status_str(BS_WRITTEN_OFF), "written_off");
	assert_string_equal(api_file_status_str(FILE_MISSING), "missing");
	assert_string_equal(api_limit_scope_str(SCOPE_RESERVE), "reserve");
	assert_string_equal(api_period_str(PERIOD_SINGLE), "single");
	assert_string_equal(api_limit_state_str(LS_BREACHED), "breached");
	assert_string_equal(api_alert_severity_str(AS_INFO), "info");
	assert_string_equal(api_alert_state_str(AST_RESOLVED), "resolved");
	assert_string_equal(api_alert_state_str((api_alert_state)99), "?");
	/* the reverse */
	assert_int_equal(api_network_from_str("nucc"), NET_NUCC);
	assert_int_equal(api_network_from_str("NUCC"), NET_UNKNOWN);
	assert_int_equal(api_network_from_str(NULL), NET_UNKNOWN);
	assert_int_equal(api_health_from_str("bad"), HEALTH_INVALID);
	assert_int_equal(api_break_status_from_str("escalated"), BS_ESCALATED);
	for (int v = 0; v < STAGE_UNKNOWN; v++)
		assert_int_equal(api_stage_from_str(api_stage_str((api_stage)v)), v);
}

static void test_copies(void **state)
{
	json_t *j = J(SAMPLE_CHANNEL);
	api_channel a, b;
	api_route r, s;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_channel(j, &a, &e), 0);
	assert_int_equal(api_channel_copy(&b, &a), 0);
	api_channel_free(&a); /* the copy must not share anything */
	assert_string_equal(b.id, "icbc.direct.quickpay");
	assert_string_equal(b.top_errors[0].message, "系统故障");
	assert_string_equal(b.interfaces[1].admin_state_raw, "disabled");
	assert_string_equal(b.link_id, "icbc-bj-01");
	api_channel_free(&b);
	json_decref(j);

	j = J(SAMPLE_ROUTE);
	assert_int_equal(api_decode_route(j, &r, &e), 0);
	assert_int_equal(api_route_copy(&s, &r), 0);
	api_route_free(&r);
	assert_string_equal(s.members[1].channel_id, "nucc.qr");
	assert_null(s.override.set_by);
	api_route_free(&s);
	json_decref(j);
}

static void test_free_zeroed(void **state)
{
	api_status st = { 0 };
	api_me me = { 0 };
	api_channel ch = { 0 };
	api_history h = { 0 };
	api_route r = { 0 };
	api_case c = { 0 };
	api_break b = { 0 };
	api_recon_summary s = { 0 };
	api_limit l = { 0 };
	api_alert a = { 0 };
	api_problem p = { 0 };
	api_page pg = { 0 };

	(void)state;
	api_status_free(&st);
	api_me_free(&me);
	api_channel_free(&ch);
	api_history_free(&h);
	api_route_free(&r);
	api_case_free(&c);
	api_break_free(&b);
	api_recon_summary_free(&s);
	api_limit_free(&l);
	api_alert_free(&a);
	api_problem_free(&p);
	api_page_free(&pg);
	api_page_free(NULL);
	assert_null(ch.id);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_status),
	cmocka_unit_test(test_me),
	cmocka_unit_test(test_channel),
	cmocka_unit_test(test_channel_nullables),
	cmocka_unit_test(test_history),
	cmocka_unit_test(test_route),
	cmocka_unit_test(test_case),
	cmocka_unit_test(test_break),
	cmocka_unit_test(test_recon_summary),
	cmocka_unit_test(test_limit),
	cmocka_unit_test(test_alert),
	cmocka_unit_test(test_am_alert),
	cmocka_unit_test(test_unknown_fields),
	cmocka_unit_test(test_unknown_enums),
	cmocka_unit_test(test_enum_spellings),
	cmocka_unit_test(test_copies),
	cmocka_unit_test(test_free_zeroed))
