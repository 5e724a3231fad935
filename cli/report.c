/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/report.c: `payops report shift [--since 8h | --from T --to T]
 * [-o markdown|json]`: the shift handover, from the audit log (actions and
 * their outcomes), the platform's alerts and the queues now. The report is
 * built once as JSON; markdown is drawn from it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/duration.h"
#include "base/i18n.h"
#include "cli/cli_int.h"
#include "text/text.h"
#include "widgets/spark.h"

/* TRANSLATORS: keep command and option names as they are. */
static const char report_usage[] = N_(
"Usage: payops report shift [--since DURATION | --from TIME [--to TIME]]\n"
"                           [-o markdown|json] [-c FILE]\n"
"\n"
"The shift handover: the actions of the window from the audit log (who,\n"
"what, reason, ticket, outcome), the channels whose admin state an applied\n"
"action changed, the channels whose success rate fell below\n"
"warn_success_rate in the window (its last 120 minutes at most: a sparkline of it),\n"
"the platform's alerts that fired or resolved in the window\n"
"with their durations, the approvals asked for or decided in the window,\n"
"and the queues now against the window's start (cases open and past SLA, open\n"
"breaks by severity with their net difference, limits breached and in\n"
"warning), the start from the newest sample the console (every 5 minutes) or\n"
"payops patrol (each run) kept in the cache at or before it.\n"
"  --since DURATION  the window ends now (default 8h)\n"
"  --from TIME [--to TIME]  RFC 3339 (2026-12-04T00:00:00Z); --to defaults to now\n"
"Exit: 0 written, 1 the platform did not answer, 2 usage, 3 configuration.\n");

typedef struct {
	time_t from, to;
	json_t *actions;     /* intents of the window, outcomes attached */
	json_t *outcomes;    /* intent seq (text) -> its latest outcome row */
} audit_pass;

static int row_time(const struct audit_row *r, time_t *t)
{
	return time_parse_rfc3339(r->time, t);
}

static int on_row(const struct audit_row *r, void *ctx)
{
	audit_pass *p = ctx;
	time_t t;
	if (row_time(r, &t) != 0)
		return 0;
	if (t < p->from)
		return 1; /* newest first: the rest is older */
	if (t > p->to)
		return 0;
	if (strcmp(r->kind, "outcome") == 0) {
		char k[32];
		snprintf(k, sizeof k, "%lld", (long long)r->intent_seq);
		if (!json_object_get(p->outcomes, k)) /* newest first: the latest */
			json_object_set_new(p->outcomes, k, json_pack("{s:s, s:s, s:s, s:s}",
				"time", r->time, "outcome", r->outcome, "code", r->code,
				"state_after", r->state_after));
		return 0;
	}
	json_array_append_new(p->actions, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"seq", (json_int_t)r->seq, "time", r->time, "operator", r->operator_id,
		"action", r->action, "target", r->target, "reason", r->reason,
		"ticket", r->ticket, "request_id", r->request_id));
	return 0;
}

static const char *js(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static int read_audit(cli_session *s, audit_pass *p, char *err, size_t errsz)
{
	struct audit_log *log = NULL;
	char *path = cfg_audit_path(&s->cfg);
	int rc = audit_open(path, &log, err, errsz);
	free(path);
	if (rc != 0)
		return -1;
	struct audit_filter f = { 0 };
	rc = audit_query(log, &f, on_row, p);
	audit_close(log);
	/* each intent gets its outcome; oldest first for reading */
	size_t i;
	json_t *a;
	json_array_foreach(p->actions, i, a) {
		char k[32];
		snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(a, "seq")));
		json_t *o = json_object_get(p->outcomes, k);
		json_object_set_new(a, "outcome", json_string(o ? js(o, "outcome") : "none"));
		json_object_set_new(a, "state_after", json_string(o ? js(o, "state_after") : ""));
		json_object_set_new(a, "code", json_string(o ? js(o, "code") : ""));
	}
	json_t *rev = json_array();
	for (i = json_array_size(p->actions); i-- > 0;)
		json_array_append(rev, json_array_get(p->actions, i));
	json_decref(p->actions);
	p->actions = rev;
	return rc == 0 ? 0 : -1;
}

static json_t *alerts_of(const store *st, time_t from, time_t to)
{
	json_t *out = json_array();
	for (size_t i = 0; i < store_alert_count(st); i++) {
		const api_alert *a = store_alert_at(st, i);
		bool fired = a->starts_at >= from && a->starts_at <= to;
		bool ended = a->ends_at && a->ends_at >= from && a->ends_at <= to;
		if (!fired && !ended)
			continue;
		char s[32] = "", e[32] = "";
		time_format_rfc3339(a->starts_at, s, sizeof s);
		if (a->ends_at)
			time_format_rfc3339(a->ends_at, e, sizeof e);
		time_t end = a->ends_at ? a->ends_at : to;
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}",
			"id", a->id ? a->id : "", "severity", a->severity_raw ? a->severity_raw : "",
			"state", a->state_raw ? a->state_raw : "", "title", a->title ? a->title : "",
			"starts_at", s, "ends_at", e, "duration_s", (json_int_t)(end - a->starts_at)));
	}
	return out;
}

/* The approvals asked for or decided in the window (the store's copy: the
 * platform keeps the decided ones). */
static json_t *approvals_of(const store *st, time_t from, time_t to)
{
	json_t *out = json_array();
	for (size_t i = 0; i < store_approval_count(st); i++) {
		const api_approval *a = store_approval_at(st, i);
		bool asked = a->requested_at >= from && a->requested_at <= to;
		bool decided = a->decided_at && a->decided_at >= from && a->decided_at <= to;
		if (!asked && !decided)
			continue;
		char r[32] = "", d[32] = "";
		time_format_rfc3339(a->requested_at, r, sizeof r);
		if (a->decided_at)
			time_format_rfc3339(a->decided_at, d, sizeof d);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			"id", a->id ? a->id : "", "kind", a->kind ? a->kind : "",
			"target", a->target_id ? a->target_id : "",
			"state", a->state_raw ? a->state_raw : "",
			"requested_by", a->requested_by ? a->requested_by : "", "requested_at", r,
			"decided_by", a->decided_by ? a->decided_by : "", "decided_at", d));
	}
	return out;
}

static json_t *headline_json(const cache_headline *h)
{
	json_t *brk = json_object();
	for (int i = SEV_LOW; i <= SEV_HIGH; i++)
		json_object_set_new(brk, api_severity_names[i], json_pack("{s:I, s:I}", "open", (json_int_t)h->breaks[i],
			"net_difference_minor", (json_int_t)h->breaks_net_minor[i]));
	char at[32];
	time_format_rfc3339(h->at, at, sizeof at);
	return json_pack("{s:s, s:{s:I, s:I}, s:o, s:{s:I, s:I}}", "at", at,
			 "cases", "open", (json_int_t)h->cases_open, "past_sla", (json_int_t)h->cases_past_sla,
			 "breaks", brk, "limits", "breached", (json_int_t)h->limits_breached,
			 "warning", (json_int_t)h->limits_warning);
}

/* The queues now (kept as a sample too), and at the window's start: the
 * newest sample the console or `payops patrol` recorded at or before it,
 * or null when there is none (never a guess). */
static json_t *queues_of(cache *c, time_t from, json_t **start)
{
	cache_headline now, then;
	*start = json_null();
	if (cache_headline_now(c, time(NULL), &now) != 0) {
		fprintf(stderr, _("payops report: the queues could not be counted: %s\n"), cache_error(c));
		return json_null();
	}
	if (cache_headline_at(c, from, &then) == 1) { /* before now is kept */
		json_decref(*start);
		*start = headline_json(&then);
	}
	if (cache_headline_record(c, &now) < 0)
		fprintf(stderr, _("payops report: the queues' headlines were not kept: %s\n"),
			cache_error(c));
	return headline_json(&now);
}

/* Channels whose system success rate fell below warn_success_rate in
 * their trend (the last minutes of the window /history was asked for: the
 * whole window up to STORE_TREND_POINTS minutes), drawn as a sparkline on
 * the 0..1 scale. */
static json_t *trends_of(const cli_session *s)
{
	json_t *out = json_array();
	double ssr[STORE_TREND_POINTS], p95[STORE_TREND_POINTS], tps[STORE_TREND_POINTS];
	for (size_t i = 0; i < store_channel_count(s->st); i++) {
		const api_channel *ch = store_channel_at(s->st, i);
		size_t n = store_trend(s->st, ch->id, ssr, p95, tps, STORE_TREND_POINTS);
		double lo = NAN;
		for (size_t k = 0; k < n; k++)
			if (!isnan(ssr[k]) && (isnan(lo) || ssr[k] < lo))
				lo = ssr[k];
		if (isnan(lo) || lo >= s->cfg.warn_success_rate)
			continue;
		char line[3 * 40 + 1];
		if (spark_render(ssr, n, 40, 0, 1, line, sizeof line) < 0)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:f, s:s}", "channel", ch->id,
						     "lowest_success_rate", lo, "spark", line));
	}
	return out;
}

/* One markdown cell: sanitised, '|' escaped. */
static void md(const char *s)
{
	char b[512];
	text_sanitize(s, (size_t)-1, b, sizeof b);
	for (const char *p = b; *p; p++) {
		if (*p == '|')
			putchar('\\');
		putchar(*p);
	}
}

static long long qv(const json_t *q, const char *a, const char *b, const char *c)
{
	const json_t *v = json_object_get(json_object_get(q, a), b);
	return (long long)json_integer_value(c ? json_object_get(v, c) : v);
}

/* One row of the queues: its value at the start (when there is a sample),
 * now, and the change; money when net. */
static void queue_row(const json_t *now, const json_t *start, const char *label,
		      const char *a, const char *b, const char *c, bool money)
{
	long long n = qv(now, a, b, c), s0 = start ? qv(start, a, b, c) : 0;
	char vn[64], vs[64], vd[64];
	if (money) {
		money_format(n, "CNY", vn, sizeof vn);
		money_format(s0, "CNY", vs, sizeof vs);
		money_format(n - s0, "CNY", vd + 1, sizeof vd - 1);
		vd[0] = n - s0 > 0 ? '+' : ' ';
	} else {
		snprintf(vn, sizeof vn, "%lld", n);
		snprintf(vs, sizeof vs, "%lld", s0);
		snprintf(vd + 1, sizeof vd - 1, "%+lld", n - s0);
		vd[0] = ' ';
	}
	if (start)
		printf("| %s | %s | %s | %s |\n", label, vs, vn, vd + (vd[0] == ' '));
	else
		printf("| %s | %s |\n", label, vn);
}

static void queues_md(const json_t *now, const json_t *start, const char *from)
{
	if (!json_is_object(now)) {
		puts(_("\n## Queues now\n\nThe cache could not count them (see stderr)."));
		return;
	}
	if (!json_is_object(start)) {
		start = NULL;
		/* TRANSLATORS: %s is the window's start, an RFC 3339 time */
		printf(_("\n## Queues now\n\nNo sample of the queues was recorded at or before %s "
			 "(the console records one every 5 minutes, `payops patrol` one each run): "
			 "only now is shown.\n\n"), from);
		printf("| %s | %s |\n|---|---:|\n", _("queue"), _("now"));
	} else {
		const char *at = json_string_value(json_object_get(start, "at"));
		/* TRANSLATORS: %s is the time of the sample that stands for the window's start */
		printf(_("\n## Queues now against the window's start (the sample of %s)\n\n"),
		       at ? at : "?");
		printf("| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", _("queue"), _("start"),
		       _("now"), _("change"));
	}
	queue_row(now, start, _("onboarding cases open"), "cases", "open", NULL, false);
	queue_row(now, start, _("onboarding cases past SLA"), "cases", "past_sla", NULL, false);
	/* high first, as the Overview heads them */
	static const char *const open_l[] = { N_("breaks open, low"), N_("breaks open, medium"),
					       N_("breaks open, high") };
	static const char *const net_l[] = { N_("net difference, low"), N_("net difference, medium"),
					      N_("net difference, high") };
	for (int i = SEV_HIGH; i >= SEV_LOW; i--) {
		queue_row(now, start, _(open_l[i]), "breaks", api_severity_names[i], "open", false);
		queue_row(now, start, _(net_l[i]), "breaks", api_severity_names[i],
			  "net_difference_minor", true);
	}
	queue_row(now, start, _("limits breached"), "limits", "breached", NULL, false);
	queue_row(now, start, _("limits in warning"), "limits", "warning", NULL, false);
}

static void markdown(json_t *r)
{
	printf(_("# Shift report %s to %s\n\n"), js(r, "from"), js(r, "to"));
	json_t *acts = json_object_get(r, "actions"), *a;
	size_t i;
	printf(_("## Actions (%zu)\n\n"), json_array_size(acts));
	if (json_array_size(acts)) {
		puts(_("| time | operator | action | target | outcome | reason | ticket |"));
		puts("|---|---|---|---|---|---|---|");
	}
	json_array_foreach(acts, i, a) {
		const char *cols[] = { "time", "operator", "action", "target", "outcome",
				       "reason", "ticket" };
		for (int c = 0; c < 7; c++) {
			fputs("| ", stdout);
			md(js(a, cols[c]));
			putchar(' ');
		}
		puts("|");
	}
	puts(_("\n## Channels whose admin state changed\n"));
	size_t n = 0;
	json_array_foreach(acts, i, a) {
		if (strncmp(js(a, "action"), "channel.", 8) != 0 ||
		    strcmp(js(a, "outcome"), "applied") != 0)
			continue;
		fputs("- ", stdout);
		md(js(a, "target"));
		fputs(": ", stdout);
		md(js(a, "state_after"));
		fputs(_(" at "), stdout);
		md(js(a, "time"));
		putchar('\n');
		n++;
	}
	if (!n)
		puts(_("- none"));
	json_t *tr = json_object_get(r, "trends");
	/* TRANSLATORS: report section: channels whose success rate fell, drawn */
	/* TRANSLATORS: minutes of history the trends cover, then how many channels */
	printf(_("\n## Channels unhealthy in the last %d minutes (%zu)\n\n"),
	       (int)json_integer_value(json_object_get(r, "trend_minutes")), json_array_size(tr));
	json_array_foreach(tr, i, a) {
		fputs("- ", stdout);
		md(js(a, "channel"));
		/* TRANSLATORS: a sparkline, then the lowest system success rate */
		printf(_(" `%s` system success rate down to %.2f%%\n"), js(a, "spark"),
		       json_real_value(json_object_get(a, "lowest_success_rate")) * 100);
	}
	if (!json_array_size(tr))
		puts(_("- none"));
	json_t *al = json_object_get(r, "alerts");
	printf(_("\n## Alerts (%zu)\n\n"), json_array_size(al));
	json_array_foreach(al, i, a) {
		char d[32];
		time_format_age(json_integer_value(json_object_get(a, "duration_s")), d, sizeof d);
		fputs("- ", stdout);
		md(js(a, "severity"));
		fputs(" ", stdout);
		md(js(a, "title"));
		printf(_(": fired %s, %s%s (%s)\n"), js(a, "starts_at"),
		       *js(a, "ends_at") ? _("resolved ") : _("still firing"), js(a, "ends_at"), d);
	}
	json_t *ap = json_object_get(r, "approvals");
	printf(_("\n## Approvals asked or decided (%zu)\n\n"), json_array_size(ap));
	json_array_foreach(ap, i, a) {
		fputs("- ", stdout);
		md(js(a, "id"));
		fputs(" ", stdout);
		md(js(a, "kind"));
		fputs(" ", stdout);
		md(js(a, "target"));
		fputs(": ", stdout);
		md(js(a, "state"));
		fputs(_(", asked by "), stdout);
		md(js(a, "requested_by"));
		if (*js(a, "decided_by")) {
			fputs(_(", decided by "), stdout);
			md(js(a, "decided_by"));
		}
		putchar('\n');
	}
	queues_md(json_object_get(r, "queues"), json_object_get(r, "queues_start"),
		  js(r, "from"));
}

int cli_report(int argc, char **argv)
{
	const char *config = NULL, *fmt = "markdown", *since = NULL, *from = NULL, *to = NULL;
	static const char *const formats[] = { "markdown", "json", NULL };
	static const char *const kinds[] = { "shift", NULL };
	const char *kind = NULL;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **dst = strcmp(o, "-o") == 0 ? &fmt : strcmp(o, "--since") == 0 ? &since :
			strcmp(o, "--from") == 0 ? &from : strcmp(o, "--to") == 0 ? &to :
			(strcmp(o, "-c") == 0 || strcmp(o, "--config") == 0) ? &config : NULL;
		if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			fputs(_(report_usage), stdout);
			return 0;
		}
		if (dst && v) {
			*dst = v;
			i++;
		} else if (dst || o[0] == '-') {
			static const char *const opts[] = { "--since", "--from", "--to", "-o",
				"--config", "--help", NULL };
			return cli_unknown("report", _("option"), o, opts);
		} else if (!kind) {
			kind = o;
		} else {
			fprintf(stderr, _("payops report: unexpected argument '%s'\n"), o);
			return CLI_EXIT_USAGE;
		}
	}
	if (!kind) {
		fputs(_(report_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(kind, "shift") != 0)
		return cli_unknown("report", _("report"), kind, kinds);
	if (strcmp(fmt, "markdown") && strcmp(fmt, "json"))
		return cli_unknown("report", _("format"), fmt, formats);
	audit_pass p = { .to = time(NULL) };
	if (from || to) {
		if (!from || since || time_parse_rfc3339(from, &p.from) != 0 ||
		    (to && time_parse_rfc3339(to, &p.to) != 0) || p.to < p.from) {
			fputs(_("payops report: --from (and --to, default now) take RFC 3339 times, "
				"the first one earlier, without --since\n"), stderr);
			return CLI_EXIT_USAGE;
		}
	} else {
		int64_t ms = 8 * 3600 * 1000LL;
		if (since && (duration_parse(since, &ms) != DURATION_OK || ms <= 0)) {
			fprintf(stderr, _("payops report: --since '%s' is not a duration (8h, 30m)\n"),
				since);
			return CLI_EXIT_USAGE;
		}
		p.from = p.to - (time_t)(ms / 1000);
	}
	cli_session s;
	static const store_coll want[] = { STORE_ALERTS, STORE_CASES, STORE_BREAKS, STORE_LIMITS,
					   STORE_APPROVALS, STORE_CHANNELS };
	int rc = cli_connect_read(&s, config, "report", want, 6);
	if (rc != 0) {
		cli_session_free(&s);
		return rc == CLI_EXIT_UNKNOWN ? CLI_EXIT_DOWN : rc;
	}
	char err[512];
	p.actions = json_array();
	p.outcomes = json_object();
	if (read_audit(&s, &p, err, sizeof err) != 0) {
		fprintf(stderr, _("payops report: the audit log: %s\n"), err);
		rc = CLI_EXIT_CONFIG;
	}
	if (rc == 0) {
		char f[32], t[32];
		time_format_rfc3339(p.from, f, sizeof f);
		time_format_rfc3339(p.to, t, sizeof t);
		/* the trends cover the window, as far as a trend holds */
		int64_t wmin = ((int64_t)p.to - p.from + 59) / 60;
		int trend_min = wmin > STORE_TREND_POINTS ? STORE_TREND_POINTS : wmin < 1 ? 1 : (int)wmin;
		sync_history_minutes(s.sy, trend_min);
		if (cli_fetch_history(&s, s.cfg.request_timeout_ms > 0 ?
				      s.cfg.request_timeout_ms : 10000) != 0)
			fputs(_("payops report: some channels' history did not come; their "
				"trends are left out\n"), stderr);
		json_t *start;
		json_t *queues = queues_of(sync_cache(s.sy), p.from, &start);
		json_t *r = json_pack("{s:s, s:s, s:O, s:o, s:o, s:o, s:o, s:o, s:i}", "from", f, "to", t,
				      "actions", p.actions, "alerts", alerts_of(s.st, p.from, p.to),
				      "approvals", approvals_of(s.st, p.from, p.to),
				      "queues", queues, "queues_start", start, "trends", trends_of(&s),
				      "trend_minutes", trend_min);
		if (strcmp(fmt, "json") == 0) {
			char *txt = json_dumps(r, JSON_INDENT(2));
			if (txt)
				puts(txt);
			free(txt);
		} else {
			markdown(r);
		}
		json_decref(r);
	}
	json_decref(p.actions);
	json_decref(p.outcomes);
	cli_session_free(&s);
	return rc;
}
