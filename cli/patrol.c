/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/patrol.c: `payops patrol [-o text|json]`: one pass of checks against
 * the thresholds of payops.yaml, one line per problem, and the Nagios
 * plugin's exit status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/i18n.h"
#include "cli/cli_int.h"
#include "text/text.h"

/* TRANSLATORS: keep command and option names as they are. */
static const char patrol_usage[] = N_(
"Usage: payops patrol [-o text|json] [--allow CHECK=N]... [-c FILE]\n"
"\n"
"One pass of checks against the thresholds of payops.yaml: every enabled\n"
"channel's system success rate (warn_success_rate, crit_success_rate) and\n"
"p95 latency (warn_p95_ms, crit_p95_ms), channels down or with an open\n"
"breaker, limits in warning or breached, onboarding cases past their SLA,\n"
"open high-severity breaks, sites failing, channels disabled or quarantined\n"
"for disabled_for or longer, audit forwarding more than audit_forward_rows\n"
"rows or audit_forward_age behind. One line per problem.\n"
"  --allow CHECK=N  a queue check is a problem only above N (default: the\n"
"                   key of that name under thresholds:, else 0):\n"
"                   limits_breached, limits_warning, cases_late, breaks_high\n"
"Exit: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the Nagios plugin\n"
"convention).\n");

enum { P_OK, P_WARN, P_CRIT, P_UNKNOWN };
static const char *const level_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

enum { A_BREACHED, A_WARNING, A_LATE, A_HIGH, A_N };
static const char *const allow_names[] = { "limits_breached", "limits_warning",
	"cases_late", "breaks_high", NULL };

typedef struct {
	json_t *problems;
	int worst;
	long long allow[A_N];
} patrol;

static void problem(patrol *p, int level, const char *check, const char *target,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (level > p->worst)
		p->worst = level;
	json_array_append_new(p->problems, json_pack("{s:s, s:s, s:s, s:s}",
		"level", level_names[level], "check", check,
		"target", target ? target : "", "message", msg));
}

static void check_channels(patrol *p, const cli_session *s)
{
	const cfg_config *c = &s->cfg;
	for (size_t i = 0; i < store_channel_count(s->st); i++) {
		const api_channel *ch = store_channel_at(s->st, i);
		if (ch->admin_state != ADM_ENABLED)
			continue;
		double ssr = ch->system_success_rate, p95 = ch->latency_p95_ms;
		if (ch->health == HEALTH_DOWN)
			problem(p, P_CRIT, "health", ch->id, _("%s is down"), ch->id);
		if (ch->breaker == BRK_OPEN || ch->breaker == BRK_FORCED_OPEN)
			problem(p, P_CRIT, "breaker", ch->id, _("%s: breaker %s"), ch->id,
				ch->breaker_raw);
		else if (ch->breaker == BRK_HALF_OPEN)
			problem(p, P_WARN, "breaker", ch->id, _("%s: breaker half_open"), ch->id);
		if (!isnan(ssr) && ssr < c->warn_success_rate)
			problem(p, ssr < c->crit_success_rate ? P_CRIT : P_WARN, "success_rate",
				ch->id, _("%s: system success rate %.2f%% (below %.2f%%)"), ch->id,
				ssr * 100, (ssr < c->crit_success_rate ? c->crit_success_rate :
					    c->warn_success_rate) * 100);
		if (!isnan(p95) && p95 > c->warn_p95_ms)
			problem(p, p95 > c->crit_p95_ms ? P_CRIT : P_WARN, "p95", ch->id,
				_("%s: p95 %.0f ms (above %d ms)"), ch->id, p95,
				p95 > c->crit_p95_ms ? c->crit_p95_ms : c->warn_p95_ms);
	}
}

/* Disabled or quarantined for disabled_for or longer: the platform gives no
 * time of the admin state's change, so the channel's updated_at (its last
 * change by an operator) stands for it. */
static void check_disabled(patrol *p, const cli_session *s, time_t now)
{
	for (size_t i = 0; i < store_channel_count(s->st); i++) {
		const api_channel *ch = store_channel_at(s->st, i);
		if ((ch->admin_state != ADM_DISABLED && ch->admin_state != ADM_QUARANTINED) ||
		    ch->updated_at <= 0)
			continue;
		int64_t age = now > ch->updated_at ? (int64_t)(now - ch->updated_at) : 0;
		if (age * 1000 < s->cfg.disabled_for_ms)
			continue;
		char a[32];
		time_format_age(age, a, sizeof a);
		/* TRANSLATORS: a channel's id, its admin state (disabled or
		 * quarantined, as the platform names it), for how long */
		problem(p, P_WARN, "disabled", ch->id, _("%s: %s for %s"), ch->id,
			api_admin_state_str(ch->admin_state), a);
	}
}

/* Rows of the audit log not yet forwarded to audit.forward, read from the
 * log's stored cursor (patrol itself forwards nothing). */
static void check_forwarding(patrol *p, const cli_session *s, time_t now)
{
	const char *dest = s->cfg.audit_forward;
	if (!dest || !*dest)
		return;
	if (strcmp(dest, "syslog") == 0)
		dest = "unix:///dev/log";
	char *path = cfg_audit_path(&s->cfg), err[256];
	struct audit_log *log = NULL;
	struct audit_fwd_lag lag;
	if (!path || audit_open(path, &log, err, sizeof err) != AUDIT_OK) {
		problem(p, P_UNKNOWN, "audit_forward", dest, _("the audit log: %s"),
			path ? err : strerror(ENOMEM));
		free(path);
		return;
	}
	free(path);
	if (audit_fwd_stored_lag(log, dest, &lag) != AUDIT_OK) {
		problem(p, P_UNKNOWN, "audit_forward", dest, _("the audit log: %s"),
			audit_errmsg(log));
	} else if (lag.behind > 0) {
		int64_t age = lag.since > 0 && now > lag.since ? (int64_t)(now - lag.since) : 0;
		if (lag.behind > s->cfg.fwd_behind_rows || age * 1000 >= s->cfg.fwd_behind_ms) {
			char a[32];
			time_format_age(age, a, sizeof a);
			/* TRANSLATORS: audit rows not yet forwarded, the
			 * destination, the age of the oldest of them */
			problem(p, P_WARN, "audit_forward", dest,
				_("audit forwarding to %s: %lld rows behind, the oldest %s old"),
				dest, (long long)lag.behind, a);
		}
	}
	audit_close(log);
}

/* The queues' headlines, checked, and kept in the cache as a sample for
 * `payops report shift` (the queues at its window's start). */
static void check_queues(patrol *p, cache *c)
{
	cache_headline h;
	if (cache_headline_now(c, time(NULL), &h) != 0) {
		problem(p, P_UNKNOWN, "queues", "", "%s", cache_error(c));
		return;
	}
	if (cache_headline_record(c, &h) < 0)
		fprintf(stderr, _("payops patrol: the queues' headlines were not kept: %s\n"),
			cache_error(c));
	if (h.limits_breached > p->allow[A_BREACHED])
		problem(p, P_CRIT, "limits", "", _("%lld limits breached"),
			(long long)h.limits_breached);
	if (h.limits_warning > p->allow[A_WARNING])
		problem(p, P_WARN, "limits", "", _("%lld limits in warning"),
			(long long)h.limits_warning);
	if (h.cases_past_sla > p->allow[A_LATE])
		problem(p, P_WARN, "cases_sla", "", _("%lld onboarding cases past their SLA"),
			(long long)h.cases_past_sla);
	if (h.breaks[SEV_HIGH] > p->allow[A_HIGH])
		problem(p, P_WARN, "breaks", "", _("%lld open high-severity breaks"),
			(long long)h.breaks[SEV_HIGH]);
}

static void check_sites(patrol *p, const cli_session *s)
{
	size_t n = sync_site_count(s->sy), failing = 0;
	for (size_t i = 0; i < n; i++) {
		const sync_site_info *si = sync_site(s->sy, i);
		if (si->state == SITE_FAILING) {
			char e[256];
			text_sanitize(si->error, (size_t)-1, e, sizeof e);
			problem(p, P_WARN, "site", si->name, _("site %s failing: %s"), si->name, e);
			failing++;
		}
	}
	if (n && failing == n)
		p->worst = P_CRIT > p->worst ? P_CRIT : p->worst;
}

int cli_patrol(int argc, char **argv)
{
	const char *config = NULL, *fmt = "text";
	static const char *const formats[] = { "text", "json", NULL };
	patrol p = { .worst = P_OK, .allow = { -1, -1, -1, -1 } };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--allow") == 0 && i + 1 < argc) {
			const char *v = argv[++i], *eq = strchr(v, '=');
			char name[32], *end;
			snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - v) : (int)strlen(v), v);
			int k;
			for (k = 0; allow_names[k] && strcmp(allow_names[k], name) != 0; k++)
				;
			if (!allow_names[k]) {
				cli_unknown("patrol", _("check"), name, allow_names);
				return P_UNKNOWN;
			}
			long long n = eq ? strtoll(eq + 1, &end, 10) : -1;
			if (!eq || !eq[1] || *end || n < 0) {
				fprintf(stderr, _("payops patrol: --allow %s: not CHECK=N\n"), v);
				return P_UNKNOWN;
			}
			p.allow[k] = n;
			continue;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(_(patrol_usage), stdout);
			return 0;
		}
		if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "-c") == 0 ||
		     strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
			if (argv[i][1] == 'o')
				fmt = argv[++i];
			else
				config = argv[++i];
			continue;
		}
		static const char *const opts[] = { "-o", "--allow", "--config", "--help", NULL };
		cli_unknown("patrol", _("option"), argv[i], opts);
		return P_UNKNOWN;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json")) {
		cli_unknown("patrol", _("format"), fmt, formats);
		return P_UNKNOWN;
	}
	p.problems = json_array();
	cli_session s;
	int rc = cli_session_load(&s, config, "patrol");
	if (rc == 0) {
		const long long from_cfg[A_N] = { s.cfg.allow_limits_breached,
			s.cfg.allow_limits_warning, s.cfg.allow_cases_late, s.cfg.allow_breaks_high };
		for (int k = 0; k < A_N; k++)
			if (p.allow[k] < 0)
				p.allow[k] = from_cfg[k];
		rc = cli_session_connect(&s);
	}
	if (rc == 0) {
		static const store_coll want[] = { STORE_CHANNELS, STORE_CASES, STORE_BREAKS,
						   STORE_LIMITS };
		char err[1024];
		long t = s.cfg.request_timeout_ms > 0 ? 3L * s.cfg.request_timeout_ms : 30000;
		if (cli_fetch(&s, want, 4, t, err, sizeof err) != 0) {
			char clean[1024];
			text_sanitize(err, (size_t)-1, clean, sizeof clean);
			problem(&p, P_UNKNOWN, "platform", "", _("the platform did not answer: %s"),
				clean);
		} else {
			check_channels(&p, &s);
			check_queues(&p, sync_cache(s.sy));
			check_sites(&p, &s);
			check_disabled(&p, &s, time(NULL));
		}
		check_forwarding(&p, &s, time(NULL));
	} else {
		problem(&p, P_UNKNOWN, "config", "", _("configuration error (see above)"));
	}
	size_t n = json_array_size(p.problems);
	if (strcmp(fmt, "json") == 0) {
		json_t *o = json_pack("{s:s, s:i, s:O}", "status", level_names[p.worst],
				      "exit", p.worst, "problems", p.problems);
		char *t = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
		if (t)
			puts(t);
		free(t);
		json_decref(o);
	} else {
		printf(ngettext("PAYOPS %s - %zu problem\n", "PAYOPS %s - %zu problems\n", n),
		       level_names[p.worst], n);
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_array_get(p.problems, i);
			printf("%s %s\n", json_string_value(json_object_get(e, "level")),
			       json_string_value(json_object_get(e, "message")));
		}
	}
	json_decref(p.problems);
	cli_session_free(&s);
	return p.worst;
}
