/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/overview.c: what an operator needs at a glance: channels by health,
 * the five worst by system success rate, firing alerts, and room for the
 * queue summaries the later panes fill in. */
#include "views/view.h"
#include "base/i18n.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "text/text.h"
#include "widgets/fmt.h"
#include "views/chmetrics.h"
#include "views/queue.h"

#define WORST_N 5

static const bar_hint ov_hints[] = {
	{ ACT_VIEW_2, N_("channels") }, { ACT_VIEW_3, N_("routes") },
	{ ACT_VIEW_7, N_("alerts") }, { ACT_COMMAND, N_("command") },
	{ ACT_REFRESH, N_("refresh") }, { ACT_PAUSE, N_("pause") },
	{ ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

typedef struct {
	view_env env;
	widget_rect rect;
	uint64_t seen_ch, seen_al;
	bool dirty;
	time_t now;
	size_t worst[WORST_N];
	size_t n_worst;
	size_t by_health[HEALTH_INVALID + 1];
	size_t n_disabled, n_quarantined, n_draining, n_open;
	/* the work queues' headlines, from the cache */
	uint64_t seen_q, seen_cache;
	time_t q_minute;
	bool have_q;
	int64_t cases_open, sla_breached, sla_at_risk;
	int64_t brk_n[SEV_UNKNOWN], brk_sum[SEV_UNKNOWN];
	int64_t lim_warn, lim_breach;
} ov_view;

static void *ov_create(const view_env *env)
{
	ov_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->env = *env;
	v->dirty = true;
	return v;
}

static void ov_destroy(void *p) { free(p); }

static void ov_set_rect(void *p, widget_rect r)
{
	ov_view *v = p;
	v->rect = r;
	v->dirty = true;
}

/* as shown: Prometheus's when it has one (views/chmetrics.h) */
static double ov_ssr(const ov_view *v, const api_channel *c)
{
	api_channel shown;
	c = chm_shown(v->env.pm, c, &shown, NULL);
	return c && !isnan(c->system_success_rate) ? c->system_success_rate : 2.0;
}

/* SLA breaches, open breaks by severity with their net difference,
 * limits in warning and breached: counted in SQL, never by loading rows. */
static bool ov_queues(ov_view *v, time_t now, bool force)
{
	cache *c = v->env.cache;
	uint64_t g = store_meta_get(v->env.st, STORE_CASES)->gen +
		     store_meta_get(v->env.st, STORE_BREAKS)->gen +
		     store_meta_get(v->env.st, STORE_LIMITS)->gen;
	/* these generations move with every write sync makes for them; the
	 * cache's own version moves with every channel poll too */
	uint64_t cv = c ? 1 : 0;
	if (!force && g == v->seen_q && cv == v->seen_cache && now / 60 == v->q_minute)
		return false;
	v->seen_q = g;
	v->seen_cache = cv;
	v->q_minute = now / 60;
	v->have_q = c != NULL;
	if (!c)
		return true;
	/* the headlines the shift report keeps (cache/headline.c); a count
	 * that cannot be read shows 0, as before */
	cache_headline h;
	if (cache_headline_now(c, now, &h) != 0)
		memset(&h, 0, sizeof h);
	v->cases_open = h.cases_open;
	v->sla_breached = h.cases_past_sla;
	for (int sev = 0; sev < SEV_UNKNOWN; sev++) {
		v->brk_n[sev] = h.breaks[sev];
		v->brk_sum[sev] = h.breaks_net_minor[sev];
	}
	v->lim_warn = h.limits_warning;
	v->lim_breach = h.limits_breached;
	/* at risk: due within the hour (a lower bound; the pane's own rule also
	 * counts a quarter of each case's span) */
	int64_t n, x;
	cache_case_filter cf = { .stages = API_STAGES_OPEN };
	v->sla_at_risk = 0;
	if (cache_count_cases(c, &cf, now + 3600, &n, &x) == 0)
		v->sla_at_risk = x - v->sla_breached;
	return true;
}

static bool ov_recalc(void *p, time_t now, bool force)
{
	ov_view *v = p;
	bool queues = ov_queues(v, now, force);
	uint64_t gc = store_meta_get(v->env.st, STORE_CHANNELS)->gen +
		      chm_gen(v->env.pm);
	uint64_t ga = store_meta_get(v->env.st, STORE_ALERTS)->gen;
	v->now = now;
	if (!force && gc == v->seen_ch && ga == v->seen_al) {
		if (queues)
			v->dirty = true;
		return queues;
	}
	v->seen_ch = gc;
	v->seen_al = ga;
	memset(v->by_health, 0, sizeof v->by_health);
	v->n_disabled = v->n_quarantined = v->n_draining = v->n_open = 0;
	v->n_worst = 0;
	size_t n = store_channel_count(v->env.st);
	for (size_t i = 0; i < n; i++) {
		const api_channel *c = store_channel_at(v->env.st, i);
		if (!c)
			continue;
		v->by_health[c->health <= HEALTH_INVALID ? c->health : HEALTH_INVALID]++;
		v->n_disabled += c->admin_state == ADM_DISABLED;
		v->n_quarantined += c->admin_state == ADM_QUARANTINED;
		v->n_draining += c->admin_state == ADM_DRAINING;
		v->n_open += c->breaker == BRK_OPEN || c->breaker == BRK_FORCED_OPEN;
		/* insertion into the five lowest system success rates */
		double r = ov_ssr(v, c);
		if (r > 1.0)
			continue;
		size_t pos = v->n_worst;
		while (pos > 0 && ov_ssr(v, store_channel_at(v->env.st, v->worst[pos - 1])) > r)
			pos--;
		if (pos >= WORST_N)
			continue;
		size_t end = v->n_worst < WORST_N ? v->n_worst : WORST_N - 1;
		memmove(&v->worst[pos + 1], &v->worst[pos], (end - pos) * sizeof v->worst[0]);
		v->worst[pos] = i;
		if (v->n_worst < WORST_N)
			v->n_worst++;
	}
	v->dirty = true;
	return true;
}

static bool ov_line(ov_view *v, WINDOW *win, int *y, int x, const char *s,
		    term_role role)
{
	if (*y >= v->rect.y + v->rect.h)
		return false;
	widget_put(win, *y, v->rect.x + x, v->rect.w - x, s, 0, role);
	(*y)++;
	return true;
}

static bool ov_draw(void *p, WINDOW *win, bool full)
{
	ov_view *v = p;
	if (!full && !v->dirty)
		return false;
	v->dirty = false;
	widget_clear(win, v->rect, ROLE_NORMAL);
	int y = v->rect.y;
	char line[1024];
	size_t total = store_channel_count(v->env.st);
	const store_meta *cm = store_meta_get(v->env.st, STORE_CHANNELS);

	ov_line(v, win, &y, 1, _("Channels by health"), ROLE_TITLE);
	if (total == 0 && cm->fetched_at == 0) {
		ov_line(v, win, &y, 3, _("no channel data yet (connecting)"), ROLE_DIM);
	} else {
		snprintf(line, sizeof line,
			 /* TRANSLATORS: channel counts by health; %s is
			  * "   + other values" or nothing */
			 _("%zu healthy   %zu degraded   %zu down   %zu unknown%s   "
			 "(%zu channels)"),
			 v->by_health[HEALTH_HEALTHY], v->by_health[HEALTH_DEGRADED],
			 v->by_health[HEALTH_DOWN], v->by_health[HEALTH_UNKNOWN],
			 v->by_health[HEALTH_INVALID] ? _("   + other values") : "", total);
		ov_line(v, win, &y, 3, line,
			v->by_health[HEALTH_DOWN] ? ROLE_CRIT :
			v->by_health[HEALTH_DEGRADED] ? ROLE_WARN : ROLE_NORMAL);
		snprintf(line, sizeof line,
			 _("%zu disabled   %zu draining   %zu quarantined   "
			 "%zu breakers open"), v->n_disabled, v->n_draining,
			 v->n_quarantined, v->n_open);
		ov_line(v, win, &y, 3, line, ROLE_NORMAL);
	}
	y++;

	ov_line(v, win, &y, 1, _("Worst five by system success rate"), ROLE_TITLE);
	if (v->n_worst == 0)
		ov_line(v, win, &y, 3, _("none"), ROLE_DIM);
	int iw = v->rect.w >= 120 ? 28 : 22, nw = v->rect.w >= 120 ? 24 : 16;
	for (size_t i = 0; i < v->n_worst && y < v->rect.y + v->rect.h; i++) {
		api_channel shown;
		unsigned fb = 0;
		const api_channel *c = chm_shown(v->env.pm, store_channel_at(
			v->env.st, v->worst[i]), &shown, &fb);
		if (!c)
			continue;
		char ssr[32], p95[32], h[64];
		int rs = ROLE_NORMAL, rp = ROLE_NORMAL, rh = ROLE_NORMAL;
		if (!fmt_bad(ssr, sizeof ssr, &c->bad, "system_success_rate", &rs))
			rs = fmt_ssr(ssr, sizeof ssr, c->system_success_rate, v->env.cfg);
		if (!fmt_bad(p95, sizeof p95, &c->bad, "latency_ms.p95", &rp))
			rp = fmt_p95(p95, sizeof p95, c->latency_p95_ms, v->env.cfg);
		chm_mark(ssr, sizeof ssr, fb, CFG_MQ_SYSTEM_SR);
		chm_mark(p95, sizeof p95, fb, CFG_MQ_P95);
		if (!fmt_bad(h, sizeof h, &c->bad, "health", &rh))
			rh = fmt_health(h, sizeof h, c->health, c->health_raw);
		int x = v->rect.x + 3;
		int right = v->rect.x + v->rect.w;
		if (x + iw < right)
			widget_put(win, y, x, iw, c->id, 0, ROLE_NORMAL);
		x += iw + 1;
		if (x + nw < right)
			widget_put(win, y, x, nw, c->name ? c->name : "", 0, ROLE_NORMAL);
		x += nw + 1;
		if (x + 10 < right)
			widget_put(win, y, x, 10, ssr, TEXT_RIGHT, rs);
		x += 11;
		if (x + 10 < right)
			widget_put(win, y, x, 10, p95, TEXT_RIGHT, rp);
		x += 12;
		if (x < right)
			widget_put(win, y, x, right - x, h, 0, rh);
		y++;
	}
	y++;

	size_t counts[AS_UNKNOWN + 1];
	store_alert_counts(v->env.st, counts);
	snprintf(line, sizeof line, _("Firing alerts: %zu critical, %zu warning, "
		 "%zu info"), counts[AS_CRITICAL], counts[AS_WARNING], counts[AS_INFO]);
	ov_line(v, win, &y, 1, line, ROLE_TITLE);
	size_t na = store_alert_count(v->env.st), shown = 0;
	int room = v->rect.y + v->rect.h - y - 6; /* keep the queues visible */
	for (size_t i = 0; i < na; i++) {
		const api_alert *a = store_alert_at(v->env.st, i);
		if (!a || a->state != AST_FIRING)
			continue;
		if ((int)shown >= room && room >= 0) {
			ov_line(v, win, &y, 3, _("... more on the Alerts tab (7)"), ROLE_DIM);
			break;
		}
		const char *sev = a->severity == AS_CRITICAL ? "CRITICAL" :
				  a->severity == AS_WARNING ? "warning" :
				  a->severity == AS_INFO ? "info" : a->severity_raw;
		char when[32];
		fmt_time(when, sizeof when, a->starts_at, v->now);
		const char *ch = "";
		for (size_t k = 0; k < a->n_labels; k++)
			if (a->labels[k].key && strcmp(a->labels[k].key, "channel_id") == 0)
				ch = a->labels[k].value ? a->labels[k].value : "";
		/* padded by display width: severity_raw and the age may be wide */
		char sevp[64], whenp[64];
		int ws = text_width(sev ? sev : "?"), ww = text_width(when);
		text_fit(sev ? sev : "?", ws > 8 ? ws : 8, TEXT_PAD, sevp, sizeof sevp);
		text_fit(when, ww > 6 ? ww : 6, TEXT_PAD, whenp, sizeof whenp);
		snprintf(line, sizeof line, "%s  %s  %s  %s", sevp, whenp,
			 a->title ? a->title : "", ch);
		if (!ov_line(v, win, &y, 3, line,
			     a->severity == AS_CRITICAL ? ROLE_CRIT :
			     a->severity == AS_WARNING ? ROLE_WARN : ROLE_NORMAL))
			break;
		shown++;
	}
	if (shown == 0)
		ov_line(v, win, &y, 3, _("none firing"), ROLE_DIM);
	y++;

	ov_line(v, win, &y, 1, _("Queues"), ROLE_TITLE);
	if (!v->have_q) {
		ov_line(v, win, &y, 3, _("no cache: the queues need it"), ROLE_DIM);
		return true;
	}
	/* TRANSLATORS: (4) is the pane's key; %s is a marker ("x ") or nothing */
	snprintf(line, sizeof line, _("Onboarding (4): %lld open cases, %s%lld past SLA, "
		 "%lld due within the hour"), (long long)v->cases_open,
		 v->sla_breached ? "x " : "", (long long)v->sla_breached,
		 (long long)v->sla_at_risk);
	ov_line(v, win, &y, 3, line, v->sla_breached ? ROLE_CRIT :
		v->sla_at_risk ? ROLE_WARN : ROLE_NORMAL);
	char hs[64], ms[64], ls[64], tot[64];
	money_format(v->brk_sum[SEV_HIGH], "CNY", hs, sizeof hs);
	money_format(v->brk_sum[SEV_MEDIUM], "CNY", ms, sizeof ms);
	money_format(v->brk_sum[SEV_LOW], "CNY", ls, sizeof ls);
	money_format(v->brk_sum[SEV_HIGH] + v->brk_sum[SEV_MEDIUM] + v->brk_sum[SEV_LOW],
		     "CNY", tot, sizeof tot);
	/* TRANSLATORS: (5) is the pane's key; counts by severity with their
	 * net amounts, then the net of all */
	snprintf(line, sizeof line, _("Recon (5): open breaks %lld high (net %s), "
		 "%lld medium (net %s), %lld low (net %s); net %s"),
		 (long long)v->brk_n[SEV_HIGH], hs, (long long)v->brk_n[SEV_MEDIUM], ms,
		 (long long)v->brk_n[SEV_LOW], ls, tot);
	term_role rrole = v->brk_n[SEV_HIGH] ? ROLE_WARN : ROLE_NORMAL;
	if (text_width(line) <= v->rect.w - 3) {
		ov_line(v, win, &y, 3, line, rrole);
	} else {
		/* never an amount cut: narrower, one severity a line */
		/* TRANSLATORS: (5) is the pane's key; the net of all breaks */
		snprintf(line, sizeof line, _("Recon (5): open breaks, net %s"), tot);
		ov_line(v, win, &y, 3, line, rrole);
		const char *sw[] = { N_("high"), N_("medium"), N_("low") };
		const char *sv[] = { hs, ms, ls };
		const int sev[] = { SEV_HIGH, SEV_MEDIUM, SEV_LOW };
		for (int i = 0; i < 3; i++) {
			/* TRANSLATORS: a count of breaks, their severity and
			 * their net difference */
			snprintf(line, sizeof line, _("%lld %s (net %s)"),
				 (long long)v->brk_n[sev[i]], _(sw[i]), sv[i]);
			ov_line(v, win, &y, 5, line, rrole);
		}
	}
	/* TRANSLATORS: (6) is the pane's key; each %s is a marker or nothing */
	snprintf(line, sizeof line, _("Limits (6): %s%lld breached, %s%lld in warning"),
		 v->lim_breach ? "x " : "", (long long)v->lim_breach,
		 v->lim_warn ? "! " : "", (long long)v->lim_warn);
	ov_line(v, win, &y, 3, line, v->lim_breach ? ROLE_CRIT :
		v->lim_warn ? ROLE_WARN : ROLE_NORMAL);
	return true;
}

static int ov_action(void *p, keymap_action a) { (void)p; (void)a; return VIEW_IGNORED; }
static bool ov_cursor(const void *p, int *y, int *x)
{
	const ov_view *v = p;
	*y = v->rect.y;
	*x = v->rect.x + 1;
	return true;
}
static long ov_due(const void *p, time_t now)
{
	const ov_view *v = p;
	return v->have_q ? (long)(60 - now % 60) * 1000 : -1; /* SLA counts move */
}
static size_t ov_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = ov_hints;
	return sizeof ov_hints / sizeof ov_hints[0];
}
static const char *ov_note(const void *p) { (void)p; return NULL; }

const view_class view_overview = {
	.name = "overview", .title = N_("Overview"),
	.create = ov_create, .destroy = ov_destroy, .set_rect = ov_set_rect,
	.recalc = ov_recalc, .draw = ov_draw, .action = ov_action,
	.cursor = ov_cursor, .due_in_ms = ov_due, .hints = ov_hints_get,
	.note = ov_note,
};
