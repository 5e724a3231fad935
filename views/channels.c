/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/channels.c: every channel in one table, with a detail pane. */
#include "views/view.h"
#include "base/i18n.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "views/actflow.h"
#include "views/chmetrics.h"
#include "widgets/fmt.h"
#include "views/tview.h"
#include "widgets/spark.h"

#define CHANGED_MARK_S 5     /* "*" beside a channel that just changed */
#define OUTCOME_MARK_S 60    /* an action's outcome stays beside the state */
#define SSR_MIN_SPAN 0.005   /* the SR trend spans at least 0.5 points */

enum { C_ID, C_NAME, C_NET, C_ADMIN, C_HEALTH, C_BREAKER, C_TPS, C_SSR,
       C_BSR, C_P95, C_SHARE, C_SSR_TREND, C_P95_TREND, C__N };

static const table_column chan_cols[C__N] = {
	[C_ID] = { "ID", 20, 26, 3, TABLE_LEFT, 1, true },
	[C_NAME] = { N_("Name"), 12, 24, 3, TABLE_LEFT, 9, false },
	[C_NET] = { N_("Network"), 11, 12, 0, TABLE_LEFT, 10, false },
	[C_ADMIN] = { N_("Admin"), 8, 12, 0, TABLE_LEFT, 7, false },
	[C_HEALTH] = { N_("Health"), 9, 10, 0, TABLE_LEFT, 2, false },
	[C_BREAKER] = { N_("Breaker"), 7, 11, 0, TABLE_LEFT, 6, false },
	[C_TPS] = { N_("TPS"), 6, 8, 0, TABLE_RIGHT, 5, false },
	[C_SSR] = { N_("Sys SR"), 9, 9, 0, TABLE_RIGHT, 3, false },
	[C_BSR] = { N_("Biz SR"), 7, 7, 0, TABLE_RIGHT, 8, false },
	[C_P95] = { N_("p95"), 9, 9, 0, TABLE_RIGHT, 4, false },
	[C_SHARE] = { N_("Share"), 6, 6, 0, TABLE_RIGHT, 11, false },
	[C_SSR_TREND] = { N_("SR trend"), 8, 24, 1, TABLE_LEFT, 12, false },
	[C_P95_TREND] = { N_("p95 trend"), 9, 24, 1, TABLE_LEFT, 13, false },
};

/* The field of the platform's object each column shows (NULL: none of
 * its own), so a refused one shows as "?" (widgets/fmt.h). */
static const char *const chan_fields[C__N] = {
	[C_NAME] = "name", [C_NET] = "network", [C_ADMIN] = "admin_state",
	[C_HEALTH] = "health", [C_BREAKER] = "breaker", [C_TPS] = "tps",
	[C_SSR] = "system_success_rate", [C_BSR] = "business_success_rate",
	[C_P95] = "latency_ms.p95", [C_SHARE] = "traffic_share",
};

static const bar_hint chan_hints[] = {
	{ ACT_DETAIL, N_("detail") }, { ACT_FILTER, N_("filter") },
	{ ACT_SORT, N_("sort") }, { ACT_DISABLE, N_("disable") },
	{ ACT_ENABLE, N_("enable") }, { ACT_DRAIN, N_("drain") },
	{ ACT_QUARANTINE, N_("quarantine") }, { ACT_RELEASE, N_("release") },
	{ ACT_COMMAND, N_("command") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};
static const bar_hint detail_hints[] = {
	{ ACT_BACK, N_("close detail") }, { ACT_RIGHT, N_("interface") },
	{ ACT_DISABLE, N_("disable") }, { ACT_ENABLE, N_("enable") },
	{ ACT_DRAIN, N_("drain") }, { ACT_QUARANTINE, N_("quarantine") },
	{ ACT_COMMAND, N_("command") }, { ACT_HELP, N_("help") },
};

typedef struct {
	tview *tv;             /* first: the tview_pane_* callbacks take it */
	view_env env;
	widget_rect rect;       /* the whole body */
	widget_rect detail;     /* the detail pane when open */
	bool detail_open;
	bool detail_dirty;
	bool clear_all;
	uint64_t seen_gen;      /* channels generation last rebuilt from */
	time_t now;
	char note[128];
	char detail_id[256];    /* channel the pane showed last */
	int iface_sel;          /* detail: -1 the channel, else an interface */
	uint64_t seen_flow;     /* action marks generation */
	unsigned long long seen_pm; /* Prometheus numbers generation */
} chan_view;

static const api_channel *chan_at(chan_view *v, size_t src)
{
	return store_channel_at(v->env.st, src);
}

/* The channel on the selected row, NULL when none. */
static const api_channel *chan_selected(chan_view *v)
{
	size_t src = tview_selected(v->tv);
	return src == SIZE_MAX ? NULL : chan_at(v, src);
}

static size_t chan_count(void *ctx)
{
	chan_view *v = ctx;
	return store_channel_count(v->env.st);
}

static void chan_trend_text(chan_view *v, const api_channel *c, int col,
			    char *buf, size_t bufsz)
{
	double ssr[STORE_TREND_POINTS], p95[STORE_TREND_POINTS];
	size_t n = chm_trend(v->env.pm, c->id, ssr, p95, STORE_TREND_POINTS);
	if (!n)
		n = store_trend(v->env.st, c->id, ssr, p95, NULL,
				STORE_TREND_POINTS);
	int w = table_col_width(tview_table(v->tv), col);
	if (w <= 0)
		w = chan_cols[col].min_w;
	size_t from = n > (size_t)w ? n - (size_t)w : 0; /* newest values */
	if (n == 0) {
		snprintf(buf, bufsz, "-");
		return;
	}
	/* success rate on a fixed scale whose middle is the critical
	 * threshold (98%: 96%..100%), so a full bar means "fine" on every
	 * channel; p95 scaled to the channel's own range */
	if (col == C_SSR_TREND) {
		/* scaled to the data's own range, at least SSR_MIN_SPAN, so
		 * 99.5..100% is a shape and not a flat full bar */
		double lo = NAN, hi = NAN;
		for (size_t i = from; i < n; i++) {
			if (isnan(ssr[i]))
				continue;
			if (isnan(lo) || ssr[i] < lo)
				lo = ssr[i];
			if (isnan(hi) || ssr[i] > hi)
				hi = ssr[i];
		}
		if (!isnan(lo) && hi - lo < SSR_MIN_SPAN) {
			double mid = (hi + lo) / 2;
			hi = mid + SSR_MIN_SPAN / 2;
			if (hi > 1.0)
				hi = 1.0;
			lo = hi - SSR_MIN_SPAN;
		}
		spark_render(ssr + from, n - from, w, lo, hi, buf, bufsz);
	}
	else
		spark_render(p95 + from, n - from, w, NAN, NAN, buf, bufsz);
}

static int chan_cell(void *ctx, size_t src, int col, char *buf, size_t bufsz,
		     int *role)
{
	chan_view *v = ctx;
	api_channel shown;
	unsigned fb = 0;
	const api_channel *c = chm_shown(v->env.pm, chan_at(v, src), &shown, &fb);
	const cfg_config *cfg = v->env.cfg;
	if (!c)
		return -1;
	int measure = col >= 0 && col < C__N ? chm_measure_of_field(chan_fields[col]) : -1;
	/* a number Prometheus gave is good whatever the platform's was */
	bool from_prom = v->env.pm && measure >= 0 && !(fb & (1u << measure));
	if (col >= 0 && col < C__N && col != C_ADMIN && chan_fields[col] &&
	    !from_prom &&
	    fmt_bad(buf, bufsz, &c->bad, chan_fields[col], role))
		return 0;
	switch (col) {
	case C_ID: snprintf(buf, bufsz, "%s", c->id); break;
	case C_NAME: snprintf(buf, bufsz, "%s", c->name ? c->name : ""); break;
	case C_NET: fmt_network(buf, bufsz, c->network, c->network_raw); break;
	case C_ADMIN: {
		/* refused or not, the action mark goes beside it */
		if (!fmt_bad(buf, bufsz, &c->bad, "admin_state", role))
			*role = fmt_admin(buf, bufsz, c->admin_state,
					  c->admin_state_raw);
		/* an action on it: a symbol, never colour alone */
		const flow_mark *m = v->env.flow ? flow_mark_of(v->env.flow, c->id) : NULL;
		if (m && (m->phase == FLOW_IN_FLIGHT ||
			  (m->phase == FLOW_DONE && m->status != ACT_APPLIED &&
			   v->now - m->at < OUTCOME_MARK_S))) {
			/* the symbol first, so a narrow column still shows it:
			 * ~ sending, ? pending approval, ! not applied (the
			 * detail pane and the message line say which action) */
			char state[64];
			snprintf(state, sizeof state, "%s", buf);
			const char *sym = m->phase == FLOW_IN_FLIGHT ? "~" :
				m->status == ACT_PENDING_APPROVAL ? "?" : "!";
			snprintf(buf, bufsz, "%s%s", sym, state);
			if (m->phase == FLOW_DONE && m->status != ACT_PENDING_APPROVAL)
				*role = ROLE_WARN;
		}
		break;
	}
	case C_HEALTH: *role = fmt_health(buf, bufsz, c->health, c->health_raw); break;
	case C_BREAKER: *role = fmt_breaker(buf, bufsz, c->breaker, c->breaker_raw); break;
	case C_TPS: fmt_tps(buf, bufsz, c->tps); break;
	case C_SSR: *role = fmt_ssr(buf, bufsz, c->system_success_rate, cfg); break;
	case C_BSR: fmt_rate(buf, bufsz, c->business_success_rate); break;
	case C_P95: *role = fmt_p95(buf, bufsz, c->latency_p95_ms, cfg); break;
	case C_SHARE: fmt_share(buf, bufsz, c->traffic_share); break;
	case C_SSR_TREND:
	case C_P95_TREND: chan_trend_text(v, c, col, buf, bufsz); break;
	default: return -1;
	}
	chm_mark(buf, bufsz, fb, measure);
	return 0;
}

static bool chan_numkey(void *ctx, size_t src, int col, double *num)
{
	chan_view *v = ctx;
	api_channel shown;
	const api_channel *c = chm_shown(v->env.pm, chan_at(v, src), &shown, NULL);
	if (!c)
		return false;
	switch (col) {
	case C_ADMIN: *num = c->admin_state; return true;
	case C_HEALTH: *num = c->health; return true;
	case C_BREAKER: *num = c->breaker; return true;
	case C_TPS: *num = c->tps; return true;
	case C_SSR: case C_SSR_TREND: *num = c->system_success_rate; return true;
	case C_BSR: *num = c->business_success_rate; return true;
	case C_P95: case C_P95_TREND: *num = c->latency_p95_ms; return true;
	case C_SHARE: *num = c->traffic_share; return true;
	default: return false;
	}
}

static void chan_row_id(void *ctx, size_t src, char *buf, size_t bufsz)
{
	chan_view *v = ctx;
	const api_channel *c = chan_at(v, src);
	snprintf(buf, bufsz, "%s", c ? c->id : "");
}

static bool chan_changed(void *ctx, size_t src)
{
	chan_view *v = ctx;
	time_t t = store_channel_changed_at_index(v->env.st, src);
	return t != 0 && v->now - t < CHANGED_MARK_S;
}

/* What the Admin cell adds to the channel's own fields: an action's mark
 * (0 none, 1 sending, 2 pending approval, 3 not applied), as chan_cell
 * draws it at v->now. */
static unsigned chan_mark_code(chan_view *v, const api_channel *c)
{
	const flow_mark *m = v->env.flow ? flow_mark_of(v->env.flow, c->id) : NULL;
	if (!m)
		return 0;
	if (m->phase == FLOW_IN_FLIGHT)
		return 1;
	if (m->phase == FLOW_DONE && m->status != ACT_APPLIED &&
	    v->now - m->at < OUTCOME_MARK_S)
		return m->status == ACT_PENDING_APPROVAL ? 2 : 3;
	return 0;
}

/* The row's key: the store's stamp (unique per channel and change, trend
 * included) and the action mark beside the state. */
static uint64_t chan_row_key(void *ctx, size_t src)
{
	chan_view *v = ctx;
	const api_channel *c = chan_at(v, src);
	if (!c)
		return 0;
	/* Prometheus's numbers move without the store: its generation too */
	return (store_channel_stamp_at(v->env.st, src) << 2 | chan_mark_code(v, c)) ^
	       (chm_gen(v->env.pm) * 0x9E3779B97F4A7C15ull);
}

static void *chan_create(const view_env *env)
{
	tview_spec spec = {
		.cols = chan_cols, .ncols = C__N, .count = chan_count,
		.cell = chan_cell, .numkey = chan_numkey, .row_id = chan_row_id,
		.changed = chan_changed, .row_key = chan_row_key,
		.noun = N_("channels"),
		.default_sort = C_SSR, /* worst system success rate first */
	};
	chan_view *v = TVIEW_PANE_NEW(chan_view, env, &spec);
	if (!v)
		return NULL;
	v->now = time(NULL);
	v->iface_sel = -1;
	return v;
}

static void chan_destroy(void *p)
{
	chan_view *v = p;
	if (!v)
		return;
	tview_free(v->tv);
	free(v);
}

static void chan_layout(chan_view *v)
{
	widget_rect t = v->rect;
	if (v->detail_open && v->rect.h >= 16) {
		/* table on top (at least 6 lines), detail below */
		int dh = v->rect.h / 2;
		if (dh > 14)
			dh = 14;
		t.h = v->rect.h - dh;
		v->detail = (widget_rect){ t.y + t.h, v->rect.x, dh, v->rect.w };
	} else if (v->detail_open) {
		/* too short to split: the detail takes the body */
		v->detail = v->rect;
		t.h = 2; /* header + the selected row */
		v->detail.y += 2;
		v->detail.h -= 2;
	}
	tview_set_rect(v->tv, t);
	v->clear_all = true;
	v->detail_dirty = true;
}

static void chan_set_rect(void *p, widget_rect r)
{
	chan_view *v = p;
	v->rect = r;
	chan_layout(v);
}

static bool chan_recalc(void *p, time_t now, bool force)
{
	chan_view *v = p;
	const store_meta *m = store_meta_get(v->env.st, STORE_CHANNELS);
	bool marks = false;
	/* a "just changed" marker or an action's outcome expiring is a change
	 * of what is shown (the row keys and flags find the lines) */
	if (now != v->now) {
		size_t n = store_channel_count(v->env.st);
		for (size_t i = 0; i < n && !marks; i++) {
			time_t t = store_channel_changed_at_index(v->env.st, i);
			if (t && ((v->now - t < CHANGED_MARK_S) != (now - t < CHANGED_MARK_S)))
				marks = true;
		}
		if (v->env.flow && flow_gen(v->env.flow))
			marks = true; /* an outcome mark may have run out */
	}
	v->now = now;
	/* trends and history move the channels' generation too: nothing else
	 * in the store changes this pane */
	uint64_t fg = v->env.flow ? flow_gen(v->env.flow) : 0;
	if (v->seen_pm != chm_gen(v->env.pm))
		marks = true;
	v->seen_pm = chm_gen(v->env.pm);
	if (!force && m->gen == v->seen_gen && !marks && fg == v->seen_flow)
		return false;
	v->seen_flow = fg;
	v->seen_gen = m->gen;
	tview_rebuild(v->tv);
	v->detail_dirty = true;
	return true;
}

/* ---- the detail pane ---- */

static int detail_line(WINDOW *win, const widget_rect *r, int *y,
		       const char *s, term_role role)
{
	if (*y >= r->y + r->h)
		return -1;
	widget_put(win, *y, r->x, r->w, s, 0, role);
	(*y)++;
	return 0;
}

static void detail_draw(chan_view *v, WINDOW *win)
{
	widget_rect r = v->detail;
	widget_clear(win, r, ROLE_NORMAL);
	api_channel shown;
	const api_channel *c = chm_shown(v->env.pm, chan_selected(v), &shown, NULL);
	int y = r.y;
	char line[1024], a[64], b[64], h[64], t[64];
	/* the channel shown last, filtered away (a quarantine the filter
	 * no longer matches): still shown, and said so */
	bool hidden = false;
	if (!c && v->detail_id[0]) {
		c = store_channel_find(v->env.st, v->detail_id);
		hidden = c != NULL;
	}
	if (!c) {
		detail_line(win, &r, &y, _("no channel selected"), ROLE_DIM);
		return;
	}
	snprintf(v->detail_id, sizeof v->detail_id, "%s", c->id);
	snprintf(line, sizeof line, "%s  %s", c->id,
		 api_bad_has(&c->bad, "name") ? FMT_BAD : c->name ? c->name : "");
	detail_line(win, &r, &y, line, ROLE_TITLE);
	if (hidden)
		detail_line(win, &r, &y, _("(no longer matches the filter; the "
			    "last channel shown)"), ROLE_DIM);
	/* what the platform sent out of the contract, and why it is "?" */
	if (fmt_bad_line(line, sizeof line, &c->bad))
		detail_line(win, &r, &y, line, ROLE_WARN);

	const api_bad *bad = &c->bad;
	if (!fmt_bad(a, sizeof a, bad, "network", NULL))
		fmt_network(a, sizeof a, c->network, c->network_raw);
	if (!fmt_bad(b, sizeof b, bad, "admin_state", NULL))
		fmt_admin(b, sizeof b, c->admin_state, c->admin_state_raw);
	term_role hr = ROLE_WARN;
	if (!fmt_bad(h, sizeof h, bad, "health", NULL))
		hr = fmt_health(h, sizeof h, c->health, c->health_raw);
	if (!fmt_bad(t, sizeof t, bad, "breaker", NULL))
		fmt_breaker(t, sizeof t, c->breaker, c->breaker_raw);
	/* TRANSLATORS: channel detail; the values are as the platform sends them */
	snprintf(line, sizeof line, _("network %s  link %s  admin %s  health %s  "
		 "breaker %s"), a, c->link_id ? c->link_id : "-", b, h, t);
	detail_line(win, &r, &y, line, hr == ROLE_OK ? ROLE_NORMAL : hr);

	char p50[32], p95[32], p99[32], upd[64], win_s[32], ver[32];
	if (!fmt_bad(p50, sizeof p50, bad, "latency_ms.p50", NULL))
		fmt_p95(p50, sizeof p50, c->latency_p50_ms, v->env.cfg);
	if (!fmt_bad(p95, sizeof p95, bad, "latency_ms.p95", NULL))
		fmt_p95(p95, sizeof p95, c->latency_p95_ms, v->env.cfg);
	if (!fmt_bad(p99, sizeof p99, bad, "latency_ms.p99", NULL))
		fmt_p95(p99, sizeof p99, c->latency_p99_ms, v->env.cfg);
	if (!fmt_bad(a, sizeof a, bad, "system_success_rate", NULL))
		fmt_ssr(a, sizeof a, c->system_success_rate, v->env.cfg);
	if (!fmt_bad(b, sizeof b, bad, "business_success_rate", NULL))
		fmt_rate(b, sizeof b, c->business_success_rate);
	if (!fmt_bad(upd, sizeof upd, bad, "updated_at", NULL))
		fmt_time(upd, sizeof upd, c->updated_at, v->now);
	if (!fmt_bad(win_s, sizeof win_s, bad, "window_s", NULL))
		snprintf(win_s, sizeof win_s, "%ds", c->window_s);
	if (!fmt_bad(ver, sizeof ver, bad, "version", NULL))
		snprintf(ver, sizeof ver, "%lld", (long long)c->version);
	/* TRANSLATORS: channel detail: system and business success rates over
	 * a window, latencies, the object's version, when and by whom updated */
	snprintf(line, sizeof line, _("system %s  business %s  over %s  "
		 "latency p50 %s p95 %s p99 %s  version %s, updated %s by %s"),
		 a, b, win_s, p50, p95, p99, ver, upd,
		 api_bad_has(bad, "updated_by") ? FMT_BAD :
		 c->updated_by ? c->updated_by : "-");
	detail_line(win, &r, &y, line, ROLE_NORMAL);
	if (v->env.pm) {
		chm_sources_line(v->env.pm, c, line, sizeof line);
		detail_line(win, &r, &y, line, ROLE_DIM);
	}

	/* the target of the action keys: the channel, or one interface
	 * (h/l move between them); the selected one is in brackets */
	if (v->iface_sel >= (int)c->n_interfaces)
		v->iface_sel = -1;
	int n = snprintf(line, sizeof line, _("interfaces: %s"), v->iface_sel < 0 ?
			 _("[>whole channel<]") : _(" whole channel "));
	if (c->n_interfaces == 0)
		n += snprintf(line + n, sizeof line - (size_t)n, "%s", _("  (none)"));
	for (size_t i = 0; i < c->n_interfaces && n < (int)sizeof line; i++) {
		const api_interface *it = &c->interfaces[i];
		bool sel = (int)i == v->iface_sel;
		fmt_admin(a, sizeof a, it->admin_state, it->admin_state_raw);
		n += snprintf(line + n, sizeof line - (size_t)n, "  %s%s %s%s",
			      sel ? "[>" : " ", it->name ? it->name : "?", a,
			      sel ? "<]" : " ");
	}
	if (c->n_interfaces && n < (int)sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, "%s", _("   (h/l: what the action "
			 "keys act on)"));
	detail_line(win, &r, &y, line, ROLE_NORMAL);
	const flow_mark *fm = v->env.flow ? flow_mark_of(v->env.flow, c->id) : NULL;
	if (fm) {
		char word[200], when[64];
		flow_mark_word(fm, word, sizeof word);
		fmt_time(when, sizeof when, fm->at, v->now);
		snprintf(line, sizeof line, _("last action here: %s (%s)"), word, when);
		detail_line(win, &r, &y, line, fm->phase == FLOW_DONE &&
			    fm->status == ACT_APPLIED ? ROLE_NORMAL : ROLE_WARN);
	}

	if (c->maintenance.present) {
		char s1[64], s2[64];
		time_format_rfc3339(c->maintenance.starts_at, s1, sizeof s1);
		time_format_rfc3339(c->maintenance.ends_at, s2, sizeof s2);
		snprintf(line, sizeof line, _("maintenance: %s to %s  %s"), s1, s2,
			 c->maintenance.note ? c->maintenance.note : "");
		detail_line(win, &r, &y, line, ROLE_WARN);
	} else {
		detail_line(win, &r, &y, _("maintenance: none"), ROLE_NORMAL);
	}

	if (c->n_top_errors == 0)
		detail_line(win, &r, &y, _("top errors: none"), ROLE_NORMAL);
	else
		detail_line(win, &r, &y, _("top errors:"), ROLE_NORMAL);
	for (size_t i = 0; i < c->n_top_errors && i < 3; i++) {
		const api_error_count *e = &c->top_errors[i];
		snprintf(line, sizeof line, "  %-4s %s  x%lld", e->code ? e->code : "",
			 e->message ? e->message : "", (long long)e->count);
		detail_line(win, &r, &y, line, ROLE_NORMAL);
	}

	/* the other logical channels on the same physical link */
	size_t total = store_channel_count(v->env.st), sib = 0;
	for (size_t i = 0; i < total; i++) {
		const api_channel *o = store_channel_at(v->env.st, i);
		if (o && c->link_id && o->link_id && o != c &&
		    strcmp(o->link_id, c->link_id) == 0)
			sib++;
	}
	snprintf(line, sizeof line, _("same link %s: %s"), c->link_id ? c->link_id : "-",
		 sib ? "" : _("no other channels"));
	detail_line(win, &r, &y, line, ROLE_NORMAL);
	for (size_t i = 0; i < total && sib; i++) {
		const api_channel *o = store_channel_at(v->env.st, i);
		if (!o || o == c || !c->link_id || !o->link_id ||
		    strcmp(o->link_id, c->link_id) != 0)
			continue;
		fmt_admin(a, sizeof a, o->admin_state, o->admin_state_raw);
		term_role orole = fmt_health(h, sizeof h, o->health, o->health_raw);
		fmt_ssr(b, sizeof b, o->system_success_rate, v->env.cfg);
		snprintf(line, sizeof line, "  %-26s %-16s %-10s %-9s %s", o->id,
			 o->name ? o->name : "", h, a, b);
		if (detail_line(win, &r, &y, line,
				orole == ROLE_OK ? ROLE_NORMAL : orole) < 0)
			break;
	}
}

static bool chan_draw(void *p, WINDOW *win, bool full)
{
	chan_view *v = p;
	bool painted = false;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		tview_invalidate(v->tv);
		v->detail_dirty = true;
		v->clear_all = false;
		painted = true;
	}
	if (tview_needs(v->tv)) {
		/* a moved selection changes the detail pane too */
		if (v->detail_open) {
			const api_channel *c = chan_selected(v);
			if (!c || strcmp(c->id, v->detail_id) != 0)
				v->detail_dirty = true;
		}
		if (tview_draw(v->tv, win) > 0)
			painted = true;
	}
	if (v->detail_open && v->detail_dirty) {
		detail_draw(v, win);
		painted = true;
	}
	v->detail_dirty = false;
	return painted;
}

static int chan_act(chan_view *v, keymap_action a)
{
	const api_channel *c = chan_selected(v);
	if (!c) {
		v->env.message(v->env.ctx, MSG_WARN, _("no channel selected"));
		return VIEW_HANDLED;
	}
	act_channel_verb verb = a == ACT_ENABLE ? ACT_CH_ENABLE :
		a == ACT_DISABLE ? ACT_CH_DISABLE : a == ACT_DRAIN ? ACT_CH_DRAIN :
		a == ACT_QUARANTINE ? ACT_CH_QUARANTINE : ACT_CH_RELEASE;
	const char *iface = NULL;
	if (v->detail_open && v->iface_sel >= 0 &&
	    (size_t)v->iface_sel < c->n_interfaces)
		iface = c->interfaces[v->iface_sel].name;
	wint_t key = 0;
	bool kc = false;
	if (!keymap_first_key(a, &key, &kc) || kc)
		key = 0;
	flow_channel(v->env.flow, c->id, iface, verb, key);
	return VIEW_HANDLED;
}

static int chan_action(void *p, keymap_action a)
{
	chan_view *v = p;
	if (v->detail_open && (a == ACT_LEFT || a == ACT_RIGHT)) {
		const api_channel *c = chan_selected(v);
		int n = c ? (int)c->n_interfaces : 0;
		v->iface_sel += a == ACT_RIGHT ? 1 : -1;
		if (v->iface_sel >= n)
			v->iface_sel = -1;
		if (v->iface_sel < -1)
			v->iface_sel = n - 1;
		v->detail_dirty = true;
		return VIEW_HANDLED;
	}
	if (a == ACT_ENABLE || a == ACT_DISABLE || a == ACT_DRAIN ||
	    a == ACT_QUARANTINE || a == ACT_RELEASE)
		return chan_act(v, a);
	if (tview_handle(v->tv, a)) {
		v->iface_sel = -1;
		if (v->detail_open) {
			const api_channel *c = chan_selected(v);
			if (c && v->env.want_history)
				v->env.want_history(v->env.ctx, c->id);
		}
		return VIEW_HANDLED;
	}
	switch (a) {
	case ACT_DETAIL: {
		size_t src = tview_selected(v->tv);
		if (src == SIZE_MAX)
			return VIEW_HANDLED;
		const api_channel *c = chan_at(v, src);
		if (c && v->env.want_history)
			v->env.want_history(v->env.ctx, c->id);
		if (c)
			snprintf(v->detail_id, sizeof v->detail_id, "%s", c->id);
		v->detail_open = true;
		chan_layout(v);
		return VIEW_HANDLED;
	}
	case ACT_BACK:
		if (!v->detail_open)
			return VIEW_IGNORED;
		v->detail_open = false;
		chan_layout(v);
		return VIEW_HANDLED;
	case ACT_SORT:
		tview_sort_next(v->tv);
		return VIEW_HANDLED;
	case ACT_SORT_REVERSE:
		tview_sort_reverse(v->tv);
		return VIEW_HANDLED;
	default:
		return VIEW_IGNORED;
	}
}

static void chan_set_filter(void *p, const char *f)
{
	chan_view *v = p;
	/* the pane keeps the channel it shows now, even when the filter
	 * comes in the same batch of keys as the Enter that opened it, before
	 * any draw */
	if (v->detail_open) {
		const api_channel *c = chan_selected(v);
		if (c)
			snprintf(v->detail_id, sizeof v->detail_id, "%s", c->id);
	}
	tview_set_filter(v->tv, f);
	v->detail_dirty = true;
}

static long chan_due_in_ms(const void *p, time_t now)
{
	const chan_view *v = p;
	long best = -1;
	size_t n = store_channel_count(v->env.st);
	for (size_t i = 0; i < n; i++) {
		time_t t = store_channel_changed_at_index(v->env.st, i);
		if (t && now - t < CHANGED_MARK_S) {
			long ms = (long)(t + CHANGED_MARK_S - now) * 1000;
			if (best < 0 || ms < best)
				best = ms;
		}
	}
	return best;
}

static size_t chan_hints_get(const void *p, const bar_hint **out)
{
	const chan_view *v = p;
	if (v->detail_open) {
		*out = detail_hints;
		return sizeof detail_hints / sizeof detail_hints[0];
	}
	*out = chan_hints;
	return sizeof chan_hints / sizeof chan_hints[0];
}

static const char *chan_note(const void *p)
{
	chan_view *v = (chan_view *)p;
	const char *f = tview_filter(v->tv);
	if (!*f)
		return NULL;
	snprintf(v->note, sizeof v->note, _("filter '%s': %zu of %zu channels"), f,
		 tview_shown(v->tv), store_channel_count(v->env.st));
	return v->note;
}

static bool chan_select(void *p, const char *id)
{
	chan_view *v = p;
	tview_rebuild(v->tv);
	bool ok = tview_select_id(v->tv, id);
	if (ok) {
		v->iface_sel = -1;
		v->detail_dirty = true;
	}
	return ok;
}

const view_class view_channels = {
	.name = "channels", .title = N_("Channels"),
	.create = chan_create, .destroy = chan_destroy,
	.set_rect = chan_set_rect, .recalc = chan_recalc, .draw = chan_draw,
	.action = chan_action, .set_filter = chan_set_filter,
	.filter = tview_pane_filter, .cursor = tview_pane_cursor,
	.due_in_ms = chan_due_in_ms, .hints = chan_hints_get, .note = chan_note,
	.select = chan_select,
	.table = tview_pane_table, .sort_by = tview_pane_sort_by,
};
