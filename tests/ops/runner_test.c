/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/ops/runner_test.c: the operation runner end to end, short of the
 * network: the dialog it asks for, the refusals before it, cancel, the
 * confirm that submits (refused by the real clients on the next turn of
 * the real event loop: read-only, or an Alertmanager without an audit
 * log), the marks meanwhile, the outcome and the summary of several rows,
 * the one duration grammar in the dialogs, and two runners that share
 * nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "api/decode.h"
#include "audit/audit.h"
#include "base/ev.h"
#include "cache/cache.h"
#include "net/http.h"
#include "ops/ops.h"
#include "tests/cache/fixture.h"
#include "widgets/bar.h"
#include "tests/lib/unit.h"

/* ---- an app around the runner ---- */

typedef struct {
	ev_loop *ev;
	http_client *http;
	struct audit_log *log;
	char log_path[300];
	store *st;
	act_client *act;
	am_hub *am;
	am_server *am_test;
	cache *cache;
	cfg_config cfg;
	ops *r;
	/* what the runner did to the app */
	char said[16][1024];
	int sev[16];
	size_t n_said;
	int changed;
	bool refuse_dialog;
	int dialogs;
	ops_confirm spec;        /* the last dialog (its lines copied below) */
	char lines[24][1280];
	char type_id[64];
} app;

static void on_message(void *ctx, int sev, const char *text)
{
	app *a = ctx;
	size_t i = a->n_said < 16 ? a->n_said++ : 15;
	snprintf(a->said[i], sizeof a->said[i], "%s", text);
	a->sev[i] = sev;
}

static int on_confirm(void *ctx, const ops_confirm *spec)
{
	app *a = ctx;
	if (a->refuse_dialog)
		return -1;
	a->dialogs++;
	a->spec = *spec;
	for (size_t i = 0; i < spec->n_lines && i < 24; i++)
		snprintf(a->lines[i], sizeof a->lines[i], "%s", spec->lines[i].text);
	snprintf(a->type_id, sizeof a->type_id, "%s",
		 spec->type_id ? spec->type_id : "");
	a->spec.lines = NULL; /* the runner's, gone after the call */
	a->spec.type_id = NULL;
	return 0;
}

static void on_changed(void *ctx)
{
	((app *)ctx)->changed++;
}

static const char *said_last(const app *a)
{
	return a->n_said ? a->said[a->n_said - 1] : "";
}

static bool has_line(const app *a, const char *want)
{
	for (size_t i = 0; i < a->spec.n_lines && i < 24; i++)
		if (strstr(a->lines[i], want))
			return true;
	return false;
}

static const char *no_url(void *ctx)
{
	(void)ctx;
	return "http://127.0.0.1:9"; /* never reached: every request is refused */
}

static void add_channel(store *st, const char *id, double share)
{
	json_t *j = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:f,s:f,s:f,s:{s:i,s:i,s:i},s:f,"
		"s:[],s:[{s:s,s:s}],s:n,s:I,s:s,s:s}",
		"id", id, "name", "n", "network", "bank_direct", "link_id", "l",
		"admin_state", "enabled", "health", "healthy", "breaker", "closed",
		"window_s", 60, "tps", 123.4, "system_success_rate", 0.999,
		"business_success_rate", 0.95, "latency_ms", "p50", 80, "p95", 200,
		"p99", 400, "traffic_share", share, "top_errors", "interfaces",
		"name", "pay", "admin_state", "enabled", "maintenance", "version",
		(json_int_t)17, "updated_at", "2026-11-21T08:15:00Z", "updated_by",
		"op.li");
	api_channel ch;
	api_err err;
	assert_non_null(j);
	assert_int_equal(api_decode_channel(j, &ch, &err), 0);
	json_decref(j);
	store_channel_upsert(st, &ch, 1);
	api_channel_free(&ch);
}

static void add_route(store *st)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:[{s:s,s:i,s:b},{s:s,s:i,s:b}],s:n,s:i}",
			      "id", "qr.cny", "name", "r", "strategy", "weighted",
			      "members", "channel_id", "a.bank", "weight_pct", 40,
			      "eligible", 1, "channel_id", "b.wallet", "weight_pct", 60,
			      "eligible", 1, "override", "version", 4);
	api_route rt;
	api_err err;
	assert_non_null(j);
	assert_int_equal(api_decode_route(j, &rt, &err), 0);
	json_decref(j);
	store_route_upsert(st, &rt, 1);
	api_route_free(&rt);
}

static void add_alert(store *st, const char *fp, const char *source,
		      const char *acked_by)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s,s:s?,s:s}",
			      "id", fp, "fingerprint", fp, "severity", "critical",
			      "state", "firing", "title", "bank down", "labels",
			      "alertname", "BankDown", "channel_id", "a.bank",
			      "starts_at", "2026-11-21T08:15:00Z", "acked_by", acked_by,
			      "source", source);
	api_alert al;
	api_err err;
	assert_non_null(j);
	assert_int_equal(api_decode_alert(j, &al, &err), 0);
	json_decref(j);
	store_alert_upsert(st, &al, 1);
	api_alert_free(&al);
}

static void add_break(cache *c, int i)
{
	char *s = NULL;
	assert_true(asprintf(&s,
		"{\"id\":\"brk_%d\",\"recon_date\":\"2026-11-21\",\"channel_id\":"
		"\"a.bank\",\"merchant_id\":\"mer_1\",\"order_no\":\"P1\","
		"\"channel_serial\":\"UP1\",\"type\":\"long\","
		"\"platform_amount_minor\":10000,\"channel_amount_minor\":%d,"
		"\"difference_minor\":%d,\"currency\":\"CNY\",\"detected_at\":"
		"\"2026-11-21T08:15:00Z\",\"severity\":\"high\",\"status\":\"open\","
		"\"assignee\":null,\"resolution\":null,\"version\":3,\"updated_at\":"
		"\"2026-11-21T08:15:00Z\"}", i, 10000 + 100 * i, 100 * i) > 0);
	char m[128];
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, s, strlen(s), m,
					   sizeof m), 0);
	free(s);
}

static ops *runner_of(app *a)
{
	ops_env env = { .st = a->st, .cfg = &a->cfg, .message = on_message,
			.confirm = on_confirm, .changed = on_changed,
			.act = a->act, .am = a->am, .cache = a->cache, .ctx = a };
	return ops_new(&env);
}

static int setup(void **state)
{
	app *a = calloc(1, sizeof *a);
	assert_non_null(a);
	snprintf(a->log_path, sizeof a->log_path, "%s/audit.db", fixture_dir);
	char err[256];
	assert_int_equal(audit_open(a->log_path, &a->log, err, sizeof err),
			 AUDIT_OK);
	a->ev = ev_new();
	http_opts ho = {0};
	a->http = http_new(a->ev, &ho);
	a->st = store_new();
	assert_true(a->ev && a->http && a->st);
	add_channel(a->st, "a.bank", 0.18);
	add_channel(a->st, "b.wallet", 0.02);
	add_route(a->st);
	add_alert(a->st, "fp-platform", "platform", NULL);
	add_alert(a->st, "fp-acked", "platform", "op.x");
	add_alert(a->st, "fp-am", "am-test", NULL);
	api_me me = { .operator_id = strdup("op.test"),
		      .display_name = strdup("Test"),
		      .scopes = SCOPE_BIT_READ | SCOPE_BIT_CHANNELS_WRITE |
				SCOPE_BIT_ROUTING_WRITE | SCOPE_BIT_RECON_WRITE |
				SCOPE_BIT_ALERTS_WRITE };
	store_set_me(a->st, &me);
	act_identity who = { .site = "sh-a", .base_url = no_url, .token = "t" };
	a->act = act_new(a->ev, a->http, a->log, a->st, &who);
	/* no audit log: the Alertmanager client refuses every request */
	a->am = am_hub_new(a->ev, a->http, a->st, NULL, NULL);
	a->am_test = a->am ? am_hub_add(a->am, "am-test", "http://127.0.0.1:9") : NULL;
	a->cache = fixture_mem_cache();
	for (int i = 1; i <= 6; i++)
		add_break(a->cache, i);
	cfg_defaults(&a->cfg);
	assert_true(a->act && a->am && a->am_test);
	a->r = runner_of(a);
	assert_non_null(a->r);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	app *a = *state;
	/* the app's order: the clients first (they call nothing back once
	 * freed), then the runner */
	act_free(a->act);
	am_hub_free(a->am);
	ops_free(a->r);
	cache_close(a->cache);
	store_free(a->st);
	http_free(a->http);
	ev_free(a->ev);
	audit_close(a->log);
	cfg_free(&a->cfg);
	unlink(a->log_path);
	free(a);
	return 0;
}

/* Run the loop until what the test waits for, or fail after 5 s. */
typedef struct {
	app *a;
	bool (*cond)(const app *a);
} waiter;

static void check_cond(void *ctx)
{
	waiter *w = ctx;
	if (w->cond(w->a))
		ev_stop(w->a->ev);
}

static void too_long(void *ctx)
{
	(void)ctx;
	fail_msg("the runner did not answer within 5 s");
}

static void run_until(app *a, bool (*cond)(const app *a))
{
	waiter w = { a, cond };
	ev_set_before_wait(a->ev, check_cond, &w);
	ev_timer_id t = ev_timer_add(a->ev, 5000, too_long, NULL);
	ev_run(a->ev);
	ev_timer_cancel(a->ev, t);
	ev_set_before_wait(a->ev, NULL, NULL);
}

static bool nothing_in_flight(const app *a)
{
	return act_in_flight(a->act) == 0 && am_in_flight(a->am) == 0 &&
	       a->changed >= 2;
}

/* ---- channels ---- */

static void test_channel_dialog_and_cancel(void **state)
{
	app *a = *state;
	assert_int_equal(ops_channel(a->r, "a.bank", NULL, ACT_CH_QUARANTINE, 'q'), 0);
	assert_int_equal(a->dialogs, 1);
	assert_string_equal(a->spec.title, "Quarantine channel");
	assert_string_equal(a->spec.confirm_label, "Quarantine");
	assert_true(a->spec.opened_by == 'q');
	assert_string_equal(a->lines[0], "Quarantine a.bank (n)");
	assert_true(has_line(a, "a.bank: enabled -> quarantined"));
	assert_true(has_line(a, "as seen at version 17; sent with If-Match"));
	/* 18% of traffic, above confirm_share: the id is typed */
	assert_true(has_line(a, "It carries more than 5% of traffic: type its id"));
	assert_string_equal(a->type_id, "a.bank");
	a->spec.on_cancel(a->spec.cb_ctx);
	assert_string_equal(said_last(a), "cancelled: nothing was sent for a.bank");
	assert_null(ops_mark_of(a->r, "a.bank"));

	/* a small channel: no typed id; an interface: its own title */
	assert_int_equal(ops_channel(a->r, "b.wallet", "pay", ACT_CH_DISABLE, 0), 0);
	assert_string_equal(a->spec.title, "Disable interface");
	assert_string_equal(a->lines[0], "Disable b.wallet, interface pay (n)");
	assert_string_equal(a->type_id, "");
	a->spec.on_cancel(a->spec.cb_ctx);
}

static void test_channel_outcome_and_mark(void **state)
{
	app *a = *state;
	char w[160];
	assert_int_equal(ops_channel(a->r, "a.bank", NULL, ACT_CH_DRAIN, 'd'), 0);
	uint64_t g = ops_gen(a->r);
	/* the console turns read-only while the dialog is open: the client
	 * refuses at submit, on the next turn of the loop */
	act_set_read_only(a->act, "--read-only");
	a->spec.on_confirm(a->spec.cb_ctx, "bank maintenance", "", "");
	assert_string_equal(said_last(a), "channel.drain a.bank: sending...");
	const ops_mark *m = ops_mark_of(a->r, "a.bank");
	assert_non_null(m);
	assert_string_equal(ops_mark_word(m, w, sizeof w), "~ drain: sending");
	assert_true(ops_gen(a->r) > g);
	assert_int_equal(a->changed, 1);
	run_until(a, nothing_in_flight);
	m = ops_mark_of(a->r, "a.bank");
	assert_non_null(m);
	assert_int_equal(m->phase, OPS_DONE);
	assert_string_equal(ops_mark_word(m, w, sizeof w),
			    "! drain: rejected: read_only");
	assert_int_equal(a->sev[a->n_said - 1], MSG_ERROR);
	assert_non_null(strstr(said_last(a), "--read-only"));
	act_set_read_only(a->act, NULL);
}

static void test_refusals_before_the_dialog(void **state)
{
	app *a = *state;
	act_set_read_only(a->act, "--read-only");
	assert_int_equal(ops_channel(a->r, "a.bank", NULL, ACT_CH_QUARANTINE, 0), -1);
	assert_string_equal(said_last(a), "quarantine: unavailable in --read-only "
			    "(a.bank not sent)");
	char why[256];
	assert_non_null(ops_why_not(a->r, ACT_CHANNEL, why, sizeof why));
	act_set_read_only(a->act, NULL);
	assert_null(ops_why_not(a->r, ACT_CHANNEL, why, sizeof why));
	assert_int_equal(ops_channel(a->r, "nope", NULL, ACT_CH_ENABLE, 0), -1);
	assert_string_equal(said_last(a), "no channel nope");
	/* another dialog is open: said, nothing left behind */
	a->refuse_dialog = true;
	assert_int_equal(ops_channel(a->r, "a.bank", NULL, ACT_CH_ENABLE, 0), -1);
	assert_string_equal(said_last(a), "could not open the confirmation for "
			    "a.bank (unknown, or another dialog is open)");
	a->refuse_dialog = false;
	assert_int_equal(a->dialogs, 0);
	assert_null(ops_mark_of(a->r, "a.bank"));
}

static void test_reroute_expiry(void **state)
{
	app *a = *state;
	act_weight w[] = { { "a.bank", 0 }, { "b.wallet", 100 } };
	assert_int_equal(ops_reroute(a->r, "qr.cny", w, 2, 0), 0);
	assert_string_equal(a->spec.title, "Reroute");
	assert_string_equal(a->lines[0], "Reroute qr.cny (r)");
	assert_true(has_line(a, "a.bank                      40% ->   0% -"));
	/* the group carries 246.8 TPS now (123.4 + 123.4): each member's
	 * share of it after the change */
	assert_true(has_line(a, "(now 18.0% of traffic, 123.4 TPS; after 0.0 TPS)"));
	assert_true(has_line(a, "b.wallet                    60% -> 100% +"));
	assert_true(has_line(a, "123.4 TPS; after 246.8 TPS)"));
	void *c = a->spec.cb_ctx;
	assert_string_equal(a->spec.validate(c, "r", "", "30"),
			    "expiry 30: give a unit, e.g. 30m");
	assert_string_equal(a->spec.validate(c, "r", "", "8d"),
			    "expiry '8d' is not a duration like 30m or 2h");
	assert_string_equal(a->spec.validate(c, "r", "", "1h 30m"),
			    "expiry '1h 30m' is not a duration like 30m or 2h");
	assert_null(a->spec.validate(c, "r", "", "1h30m"));
	assert_null(a->spec.validate(c, "r", "", "1w"));
	assert_null(a->spec.validate(c, "r", "", ""));
	a->spec.on_cancel(c);
	assert_string_equal(said_last(a), "cancelled: nothing was sent for qr.cny");
}

/* ---- rows of a queue ---- */

static void test_rows_summary(void **state)
{
	app *a = *state;
	char *ids[] = { "brk_1", "brk_2", "brk_3", "brk_4", "brk_5", "brk_6" };
	ops_rows_spec spec = { .kind = ACT_BREAK_RESOLVE, .verb = ACT_BRK_ESCALATE,
			       .title = "Escalate breaks", .label = "Escalate",
			       .opened_by = 'e' };
	assert_int_equal(ops_rows(a->r, &spec, ids, 6), 0);
	assert_string_equal(a->spec.title, "Escalate breaks");
	/* 1.00 + 2.00 + ... + 6.00 */
	assert_non_null(strstr(a->lines[0], "Escalate 6 breaks, total difference"));
	assert_non_null(strstr(a->lines[0], "21.00"));
	assert_true(has_line(a, "brk_1  a.bank  long  diff"));
	assert_true(has_line(a, "one request and one audit pair per row"));
	act_set_read_only(a->act, "--read-only");
	a->spec.on_confirm(a->spec.cb_ctx, "bulk escalation", "", "");
	assert_string_equal(said_last(a), "escalate: sending 6 requests...");
	/* a window of four at a time */
	assert_int_equal(act_in_flight(a->act), 4);
	run_until(a, nothing_in_flight);
	assert_string_equal(said_last(a), "escalate: 6 refused (first: brk_1 "
			    "refused: read_only)");
	assert_int_equal(a->sev[a->n_said - 1], MSG_ERROR);
	act_set_read_only(a->act, NULL);
	/* a row the cache does not have: nothing opens */
	char *gone[] = { "brk_1", "brk_nope" };
	a->dialogs = 0;
	assert_int_equal(ops_rows(a->r, &spec, gone, 2), -1);
	assert_string_equal(said_last(a), "brk_nope is no longer in the cache: "
			    "nothing sent");
	assert_int_equal(a->dialogs, 0);
}

/* ---- alerts ---- */

static void test_ack(void **state)
{
	app *a = *state;
	const api_alert *acked = NULL, *am = NULL, *pl = NULL;
	for (size_t i = 0; i < store_alert_count(a->st); i++) {
		const api_alert *x = store_alert_at(a->st, i);
		if (strcmp(x->fingerprint, "fp-acked") == 0)
			acked = x;
		else if (strcmp(x->fingerprint, "fp-am") == 0)
			am = x;
		else
			pl = x;
	}
	assert_int_equal(ops_ack(a->r, acked, "!! critical", "firing", 'a'), -1);
	assert_string_equal(said_last(a), "already acknowledged by op.x");
	assert_int_equal(ops_ack(a->r, am, "!! critical", "firing", 'a'), -1);
	assert_string_equal(said_last(a), "bank down comes from Alertmanager "
			    "am-test, which has no acknowledgement: z silences it");
	assert_int_equal(ops_ack(a->r, pl, "!! critical", "firing", 'a'), 0);
	assert_string_equal(a->spec.title, "Acknowledge alert");
	assert_string_equal(a->lines[0], "alert fp-platform: bank down");
	assert_string_equal(a->lines[1], "!! critical, firing");
	assert_string_equal(a->lines[2], "effect: acked_by -> op.test on the "
			    "platform; it keeps firing until its cause clears");
	act_set_read_only(a->act, "--read-only");
	a->spec.on_confirm(a->spec.cb_ctx, "seen", "", "");
	const ops_mark *m = ops_mark_of(a->r, "fp-platform");
	assert_non_null(m);
	assert_string_equal(m->what, "ack");
	/* in flight: a second ack is refused */
	assert_int_equal(ops_ack(a->r, pl, "!! critical", "firing", 'a'), -1);
	assert_string_equal(said_last(a), "an action on this alert is still in flight");
	run_until(a, nothing_in_flight);
	assert_non_null(strstr(said_last(a), "ack bank down: refused: "));
	/* the alert's mark lasts while in flight only */
	assert_null(ops_mark_of(a->r, "fp-platform"));
	act_set_read_only(a->act, NULL);
}

static void test_silence(void **state)
{
	app *a = *state;
	const api_alert *am = NULL;
	for (size_t i = 0; i < store_alert_count(a->st); i++)
		if (strcmp(store_alert_at(a->st, i)->fingerprint, "fp-am") == 0)
			am = store_alert_at(a->st, i);
	assert_int_equal(ops_silence(a->r, am, NULL, 'z'), -1);
	assert_string_equal(said_last(a), "not an Alertmanager alert: a "
			    "acknowledges a platform alert");
	assert_int_equal(ops_silence(a->r, am, a->am_test, 'z'), 0);
	assert_string_equal(a->spec.title, "Silence alert");
	assert_int_equal(a->spec.ticket, OPS_TICKET_NONE);
	assert_string_equal(a->lines[1], "matchers: alertname=\"BankDown\" "
			    "channel_id=\"a.bank\"");
	void *c = a->spec.cb_ctx;
	assert_string_equal(a->spec.validate(c, "r", "", "30"),
			    "Duration: 30: give a unit, e.g. 30m");
	const char *range = "Duration: a number and a unit, e.g. 30m, 2h, 1d, "
			    "1h30m (at most 366d)";
	assert_string_equal(a->spec.validate(c, "r", "", "367d"), range);
	assert_string_equal(a->spec.validate(c, "r", "", "500ms"), range);
	assert_string_equal(a->spec.validate(c, "r", "", "soon"), range);
	assert_null(a->spec.validate(c, "r", "", "1h30m"));
	assert_null(a->spec.validate(c, "r", "", "2d"));
	assert_null(a->spec.validate(c, "r", "", "1w"));
	/* confirmed: the Alertmanager client (no audit log) refuses it */
	a->spec.on_confirm(c, "maintenance", "", "2h");
	const ops_mark *m = ops_mark_of(a->r, "fp-am");
	assert_non_null(m);
	assert_string_equal(m->what, "silence");
	run_until(a, nothing_in_flight);
	assert_non_null(strstr(said_last(a), "silence bank down on am-test: refused"));
	assert_int_equal(a->sev[a->n_said - 1], MSG_ERROR);
	assert_null(ops_mark_of(a->r, "fp-am"));
}

/* ---- no state outside a runner ---- */

static void test_runners_share_nothing(void **state)
{
	app *a = *state;
	ops *other = runner_of(a);
	assert_non_null(other);
	uint64_t g = ops_gen(other);
	assert_int_equal(ops_channel(a->r, "a.bank", NULL, ACT_CH_DRAIN, 0), 0);
	act_set_read_only(a->act, "--read-only");
	a->spec.on_confirm(a->spec.cb_ctx, "r", "", "");
	assert_non_null(ops_mark_of(a->r, "a.bank"));
	assert_null(ops_mark_of(other, "a.bank"));
	assert_true(ops_gen(other) == g);
	run_until(a, nothing_in_flight);
	assert_true(ops_gen(other) == g);
	/* a runner freed with a dialog open frees its operation */
	act_set_read_only(a->act, NULL);
	assert_int_equal(ops_channel(other, "b.wallet", NULL, ACT_CH_DRAIN, 0), 0);
	ops_free(other);
	assert_int_equal(ops_gen(NULL), 0);
	assert_int_equal(ops_channel(NULL, "a.bank", NULL, ACT_CH_DRAIN, 0), -1);
}

UNIT_MAIN(fixture_setup_dir, fixture_teardown_dir,
	UNIT_TEST(test_channel_dialog_and_cancel),
	UNIT_TEST(test_channel_outcome_and_mark),
	UNIT_TEST(test_refusals_before_the_dialog),
	UNIT_TEST(test_reroute_expiry),
	UNIT_TEST(test_rows_summary),
	UNIT_TEST(test_ack),
	UNIT_TEST(test_silence),
	UNIT_TEST(test_runners_share_nothing))
