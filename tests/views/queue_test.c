/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/views/queue_test.c: what the work-queue panes compute: money as
 * they print and read it, the filter language, SLA boundaries, recon
 * totals, limits arithmetic, changed markers and marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text/text.h"
#include "views/queue.h"
#include "widgets/fmt.h"
#include "tests/lib/unit.h"

/* ---- money as the panes print and read it ---- */

static void test_money_format(void **state)
{
	(void)state;
	char b[64];
	text_set_ascii(false);
	money_format(123456789, "CNY", b, sizeof b);
	assert_string_equal(b, "¥1,234,567.89");
	money_format(-123456789, "CNY", b, sizeof b);
	assert_string_equal(b, "-¥1,234,567.89");
	money_format(-200, "CNY", b, sizeof b);
	assert_string_equal(b, "-¥2.00");
	money_format(0, "CNY", b, sizeof b);
	assert_string_equal(b, "¥0.00");
	money_format(INT64_MAX, "CNY", b, sizeof b);
	assert_string_equal(b, "¥92,233,720,368,547,758.07");
}

static void test_money_parse_limit(void **state)
{
	(void)state;
	/* text, the current limit (for +, - and %), the new limit or -1 if refused */
	static const struct {
		const char *text;
		int64_t current, want;
	} cases[] = {
		{ "60,000,000", 1, 6000000000LL },
		{ "¥1,234,567.89", 1, 123456789 },
		{ " 0.01 ", 1, 1 },
		{ "+5,000", 100000, 600000 },
		{ "-500.50", 100000, 49950 },
		{ "+10%", 50000000, 55000000 },
		{ "-12.5%", 1000, 875 },
		{ "+0.01%", 5, 5 }, /* rounds */
		/* refused: not positive, too many decimals, junk, a bare percent */
		{ "0", 1, -1 },
		{ "-1,000", 100000, -1 },
		{ "1.234", 1, -1 },
		{ "12abc", 1, -1 },
		{ "10%", 1, -1 },
		{ "", 1, -1 },
		{ "+99999999999999999999", 1, -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t v = -1;
		int rc = queue_parse_limit(cases[i].text, cases[i].current, "CNY", &v);
		if (cases[i].want < 0) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(v, cases[i].want);
		}
	}
}

/* ---- the filter language ---- */

static void test_filter_breaks(void **state)
{
	(void)state;
	queue_filter f;
	char err[200];
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS,
		"ch:unionpay.qr type:long,amt st:active sev:hi min:1,000.50 "
		"date:2026-11-21 P2026 foo", &f, err, sizeof err), 0);
	assert_string_equal(f.channel, "unionpay.qr");
	assert_int_equal(f.types, 1u << BT_LONG | 1u << BT_AMOUNT_MISMATCH);
	assert_int_equal(f.statuses, 1u << BS_OPEN | 1u << BS_INVESTIGATING |
			 1u << BS_ESCALATED);
	assert_int_equal(f.severities, 1u << SEV_HIGH);
	assert_int_equal(f.min_abs_difference, 100050);
	assert_string_equal(f.recon_date, "2026-11-21");
	assert_string_equal(f.text, "P2026 foo");
	cache_break_filter cf;
	queue_filter_breaks(&f, &cf);
	assert_string_equal(cf.channel_id, "unionpay.qr");
	assert_string_equal(cf.recon_date, "2026-11-21");
	assert_string_equal(cf.text, "P2026 foo");
	assert_int_equal(cf.min_abs_difference, 100050);

	/* prefixes, aliases, long keys, '=' */
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "status=esc,wo type:mp "
		"severity:med", &f, err, sizeof err), 0);
	assert_int_equal(f.statuses, 1u << BS_ESCALATED | 1u << BS_WRITTEN_OFF);
	assert_int_equal(f.types, 1u << BT_MISSING_PLATFORM);
	assert_int_equal(f.severities, 1u << SEV_MEDIUM);
	/* half-typed: an empty value is no filter, never an error */
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "ch: type:", &f, err,
					    sizeof err), 0);
	assert_string_equal(f.channel, "");
	assert_int_equal(f.types, 0);
	/* latest: no date goes to the cache (the pane uses the newest) */
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "date:latest", &f, err,
					    sizeof err), 0);
	queue_filter_breaks(&f, &cf);
	assert_null(cf.recon_date);
	assert_null(cf.text);

	/* errors say why */
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "type:bogus", &f, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "unknown"));
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "type:m", &f, err,
					    sizeof err), -1); /* missing_* */
	assert_non_null(strstr(err, "ambiguous"));
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "date:2026-13-01", &f, err,
					    sizeof err), -1);
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "min:abc", &f, err,
					    sizeof err), -1);
	assert_int_equal(queue_filter_parse(QUEUE_BREAKS, "stage:approved", &f, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "unknown filter key"));
}

static void test_filter_cases_limits(void **state)
{
	(void)state;
	queue_filter f;
	char err[200];
	assert_int_equal(queue_filter_parse(QUEUE_CASES, "stage:mr,ic risk:high,med "
		"as:op.li 火锅", &f, err, sizeof err), 0);
	assert_int_equal(f.stages, 1u << STAGE_MANUAL_REVIEW | 1u << STAGE_INTENT_CONFIRM);
	assert_int_equal(f.risks, 1u << RISK_HIGH | 1u << RISK_MEDIUM);
	assert_true(f.has_assignee);
	assert_string_equal(f.assignee, "op.li");
	assert_string_equal(f.text, "火锅");
	cache_case_filter cf;
	queue_filter_cases(&f, &cf);
	assert_string_equal(cf.assignee, "op.li");
	assert_int_equal(queue_filter_parse(QUEUE_CASES, "as:-", &f, err, sizeof err), 0);
	queue_filter_cases(&f, &cf);
	assert_non_null(cf.assignee);
	assert_string_equal(cf.assignee, ""); /* unassigned */
	assert_int_equal(queue_filter_parse(QUEUE_CASES, "stage:open", &f, err, sizeof err), 0);
	assert_int_equal(f.stages & (1u << STAGE_APPROVED | 1u << STAGE_REJECTED), 0);
	assert_true(f.stages & (1u << STAGE_SUBMITTED));

	assert_int_equal(queue_filter_parse(QUEUE_LIMITS, "scope:reserve state:warn,b",
					    &f, err, sizeof err), 0);
	assert_int_equal(f.scopes, 1u << SCOPE_RESERVE);
	assert_int_equal(f.states, 1u << LS_WARNING | 1u << LS_BREACHED);
	assert_int_equal(queue_filter_parse(QUEUE_LIMITS, "state:ko", &f, err, sizeof err), -1);
	assert_int_equal(queue_filter_parse(QUEUE_LIMITS, "ch:x", &f, err, sizeof err), -1);
}

/* ---- SLA ---- */

static void test_sla_boundaries(void **state)
{
	(void)state;
	const time_t sub = 1000000, due = sub + 24 * 3600; /* span 24h: risk 6h */
	assert_int_equal(queue_sla_state(sub, due, due - 6 * 3600 - 1, false), QUEUE_SLA_OK);
	assert_int_equal(queue_sla_state(sub, due, due - 6 * 3600, false), QUEUE_SLA_AT_RISK);
	assert_int_equal(queue_sla_state(sub, due, due - 1, false), QUEUE_SLA_AT_RISK);
	assert_int_equal(queue_sla_state(sub, due, due, false), QUEUE_SLA_BREACHED);
	assert_int_equal(queue_sla_state(sub, due, due + 1, false), QUEUE_SLA_BREACHED);
	assert_int_equal(queue_sla_state(sub, due, due + 1, true), QUEUE_SLA_NONE);
	/* short span: at least an hour */
	const time_t d2 = sub + 2 * 3600;
	assert_int_equal(queue_sla_state(sub, d2, d2 - 3601, false), QUEUE_SLA_OK);
	assert_int_equal(queue_sla_state(sub, d2, d2 - 3600, false), QUEUE_SLA_AT_RISK);
	/* unknown submission time */
	assert_int_equal(queue_sla_state(0, d2, d2 - 3600, false), QUEUE_SLA_AT_RISK);
	assert_true(queue_case_final(STAGE_APPROVED));
	assert_true(queue_case_final(STAGE_REJECTED));
	assert_false(queue_case_final(STAGE_RETURNED));

	char b[64];
	assert_int_equal(queue_sla_text(b, sizeof b, QUEUE_SLA_BREACHED, due, due + 3 * 3600 + 300),
			 ROLE_CRIT);
	assert_string_equal(b, "x BREACHED 3h05m ago");
	assert_int_equal(queue_sla_text(b, sizeof b, QUEUE_SLA_AT_RISK, due, due - 4800), ROLE_WARN);
	assert_string_equal(b, "! at risk 1h20m left");
	queue_sla_text(b, sizeof b, QUEUE_SLA_OK, due, due - 18 * 3600 - 300);
	assert_string_equal(b, "18h05m left");
	queue_sla_text(b, sizeof b, QUEUE_SLA_NONE, due, due);
	assert_string_equal(b, "- done");
}

/* ---- recon totals ---- */

static void test_recon_totals(void **state)
{
	(void)state;
	api_recon_channel ch[4] = {
		{ .matched_count = 1730875, .break_count = 38, .open_count = 37,
		  .net_difference_minor = -5662114, .currency = "CNY" },
		{ .matched_count = -1, .break_count = 2, .open_count = 1,
		  .net_difference_minor = 9007199254740993LL, .currency = "CNY" },
		{ .matched_count = 10, .break_count = 0, .open_count = 0,
		  .net_difference_minor = 1, .currency = "CNY" },
		{ .matched_count = 5, .break_count = 1, .open_count = 1,
		  .net_difference_minor = -3, .currency = "CNY" },
	};
	api_recon_summary s = { .date = "2026-11-21", .channels = ch, .n_channels = 4 };
	queue_recon_totals t;
	queue_recon_total(&s, &t);
	assert_int_equal(t.channels, 4);
	assert_int_equal(t.matched, 1730890);
	assert_int_equal(t.matched_unknown, 1);
	assert_int_equal(t.breaks, 41);
	assert_int_equal(t.open, 39);
	/* 2^53 + 1 survives: an integer sum, never a double */
	assert_true(t.net_minor == 9007199254740993LL - 5662114 + 1 - 3);
	assert_string_equal(t.currency, "CNY");
	assert_false(t.mixed_currency);
	memcpy(ch[2].currency, "USD", 4);
	queue_recon_total(&s, &t);
	assert_true(t.mixed_currency);
	assert_string_equal(t.currency, "");
	queue_recon_total(NULL, &t);
	assert_int_equal(t.channels, 0);
}

/* ---- limits ---- */

static void test_limits(void **state)
{
	(void)state;
	assert_int_equal(api_limit_state_for(79, 100, 0.8), LS_OK);
	assert_int_equal(api_limit_state_for(80, 100, 0.8), LS_WARNING);
	assert_int_equal(api_limit_state_for(99, 100, 0.8), LS_WARNING);
	assert_int_equal(api_limit_state_for(100, 100, 0.8), LS_BREACHED);
	assert_int_equal(api_limit_state_for(41230000, 50000000, 0.8), LS_WARNING);
	assert_int_equal(api_limit_state_for(41230000, 60000000, 0.8), LS_OK);
	assert_int_equal(fmt_permille(41230000, 50000000), 825); /* 82.46% */
	assert_int_equal(fmt_permille(9756, 10000), 976);         /* 97.56%: rounded */
	assert_int_equal(fmt_permille(9754, 10000), 975);
	assert_int_equal(fmt_permille(99996, 100000), 999);       /* not reached */
	assert_int_equal(fmt_permille(5318911631300LL, 5000000000000LL), 1064);
	assert_int_equal(fmt_permille(INT64_MAX, INT64_MAX), 1000); /* no overflow */
	assert_int_equal(fmt_permille(1, 0), 0);
	char b[64];
	fmt_usage(b, sizeof b, 41230000, 50000000, 10);
	assert_string_equal(b, "[########..]  82.5%");
	fmt_usage(b, sizeof b, 106, 100, 10);
	assert_string_equal(b, "[#########!] 106.0%");
	fmt_usage(b, sizeof b, 0, 100, 4);
	assert_string_equal(b, "[....]   0.0%");
}

/* ---- markers and marks ---- */

static void test_seen_and_marks(void **state)
{
	(void)state;
	static queue_seen s;
	memset(&s, 0, sizeof s);
	queue_seen_note(&s, "brk_1", 1, 100);
	assert_false(queue_seen_changed(&s, "brk_1", 100)); /* first sight */
	queue_seen_note(&s, "brk_1", 1, 101);
	assert_false(queue_seen_changed(&s, "brk_1", 101)); /* same version */
	assert_int_equal(queue_seen_due_ms(&s, 101), -1);
	queue_seen_note(&s, "brk_1", 2, 102);
	assert_true(queue_seen_changed(&s, "brk_1", 102));
	assert_int_equal(queue_seen_due_ms(&s, 103), (QUEUE_CHANGED_S - 1) * 1000);
	assert_true(queue_seen_changed(&s, "brk_1", 102 + QUEUE_CHANGED_S - 1));
	assert_false(queue_seen_changed(&s, "brk_1", 102 + QUEUE_CHANGED_S));
	assert_false(queue_seen_changed(&s, "other", 102));

	queue_marks m = {0};
	assert_true(queue_marks_toggle(&m, "a"));
	assert_true(queue_marks_toggle(&m, "b"));
	assert_true(queue_marks_toggle(&m, "c"));
	assert_true(queue_marks_has(&m, "b"));
	assert_false(queue_marks_toggle(&m, "b"));
	assert_false(queue_marks_has(&m, "b"));
	assert_int_equal(m.n, 2);
	queue_marks_clear(&m);
	assert_int_equal(m.n, 0);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_money_format),
	cmocka_unit_test(test_money_parse_limit),
	cmocka_unit_test(test_filter_breaks),
	cmocka_unit_test(test_filter_cases_limits),
	cmocka_unit_test(test_sla_boundaries),
	cmocka_unit_test(test_recon_totals),
	cmocka_unit_test(test_limits),
	cmocka_unit_test(test_seen_and_marks))
