/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/alerts.c: the Alerts pane. The platform's alerts and every
 * configured Alertmanager's, merged by fingerprint in the store; grouped by
 * a label, filtered, sorted; a detail pane; and the operator's actions on
 * them, each handed to the operation runner (ops/ops.h):
 *
 *   a  acknowledge a platform alert        -> the action client (alert ack)
 *   z  silence an Alertmanager alert       -> am_silence_create
 *   Z  the silences list; x expires one    -> am_silence_expire
 *   b  group by none / channel_id / severity / alertname / source
 *   Enter on an alert with a channel_id: jump to that channel.
 *
 * Its parts are named in views/alerts.h. A row refers to its alert by
 * fingerprint; an action looks the alert up again when it runs, so a poll
 * that reordered the store between the key and the confirmation cannot
 * make it act on another alert.
 */
#include "views/alerts.h"
#include "base/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ops/ops.h"
#include "views/actflow.h"
#include "widgets/fmt.h"

/* ---- columns ---- */

static const table_column alert_cols[A__N] = {
	[A_SEV] = { N_("Severity"), 11, 11, 0, TABLE_LEFT },
	[A_STATE] = { N_("State"), 14, 19, 0, TABLE_LEFT }, /* "resolved 3h05m" */
	[A_TITLE] = { N_("Title"), 16, 44, 3, TABLE_LEFT },
	[A_SOURCE] = { N_("Source"), 8, 24, 1, TABLE_LEFT },
	[A_AGE] = { N_("Age"), 5, 7, 0, TABLE_RIGHT },
	[A_ACKED] = { N_("Acked by"), 8, 14, 0, TABLE_LEFT },
	[A_LABELS] = { N_("Labels"), 10, 0, 3, TABLE_LEFT },
};

static const table_column sil_cols[S__N] = {
	[S_SERVER] = { N_("Alertmanager"), 12, 16, 0, TABLE_LEFT },
	[S_ID] = { N_("Silence"), 13, 36, 1, TABLE_LEFT },
	[S_STATE] = { N_("State"), 7, 12, 0, TABLE_LEFT },
	[S_MATCHERS] = { N_("Matchers"), 12, 0, 3, TABLE_LEFT },
	[S_BY] = { N_("Created by"), 10, 16, 0, TABLE_LEFT },
	[S_COMMENT] = { N_("Comment"), 10, 0, 2, TABLE_LEFT },
	[S_ENDS] = { N_("Ends"), 6, 12, 0, TABLE_LEFT },
};

static const bar_hint alert_hints[] = {
	{ ACT_DETAIL, N_("jump/detail") }, { ACT_ACK, N_("ack") },
	{ ACT_SILENCE, N_("silence") }, { ACT_SILENCES, N_("silences") },
	{ ACT_GROUP, N_("group") }, { ACT_INFO, N_("info") }, { ACT_FILTER, N_("filter") },
	{ ACT_SORT, N_("sort") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};
static const bar_hint sil_hints[] = {
	{ ACT_EXPIRE_SILENCE, N_("expire") }, { ACT_SILENCES, N_("alerts") },
	{ ACT_INFO, N_("info") }, { ACT_FILTER, N_("filter") }, { ACT_BACK, N_("back") },
	{ ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

/* ---- layout ---- */

static void layout(alert_view *v)
{
	widget_rect t = v->rect;
	if (v->detail_open && v->rect.h >= 16) {
		int dh = v->rect.h / 2;
		if (dh > 16)
			dh = 16;
		t.h = v->rect.h - dh;
		v->detail = (widget_rect){ t.y + t.h, v->rect.x, dh, v->rect.w };
	} else if (v->detail_open) {
		v->detail = v->rect;
		t.h = 2;
		v->detail.y += 2;
		v->detail.h -= 2;
	}
	v->trect = t;
	table_set_rect(v->at, t);
	table_set_rect(v->st, t);
	v->clear_all = true;
	v->detail_dirty = true;
}

/* ---- life cycle ---- */

static void *alert_create(const view_env *env)
{
	alert_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->env = *env;
	v->sort_col = -1;
	v->at = table_new(alert_cols, A__N, alerts_alert_cell, v);
	v->st = table_new(sil_cols, S__N, alerts_silence_cell, v);
	if (!v->at || !v->st) {
		table_free(v->at);
		table_free(v->st);
		free(v);
		return NULL;
	}
	return v;
}

static void alert_destroy(void *p)
{
	alert_view *v = p;
	if (!v)
		return;
	alerts_collapsed_clear(v);
	table_free(v->at);
	table_free(v->st);
	free(v->rows);
	free(v->srows);
	free(v);
}

static void alert_set_rect(void *p, widget_rect r)
{
	alert_view *v = p;
	v->rect = r;
	layout(v);
}

static uint64_t am_gen(const alert_view *v)
{
	return v->env.am ? am_hub_gen(v->env.am) : 0;
}

static bool alert_recalc(void *p, time_t now, bool force)
{
	alert_view *v = p;
	uint64_t g = store_meta_get(v->env.st, STORE_ALERTS)->gen;
	uint64_t ag = am_gen(v);
	bool minute = now / 60 != v->built_min; /* ages move by the minute */
	v->now = now;
	uint64_t og = flow_gen(v->env.flow);
	if (!force && g == v->seen_alerts && ag == v->seen_am &&
	    og == v->seen_ops && !minute)
		return false;
	v->seen_alerts = g;
	v->seen_am = ag;
	v->seen_ops = og;
	v->built_min = now / 60;
	alerts_rebuild(v);
	return true;
}

/* ---- drawing ---- */

static bool alert_draw(void *p, WINDOW *win, bool full)
{
	alert_view *v = p;
	bool painted = false;
	table *t = v->show_silences ? v->st : v->at;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		table_invalidate(t);
		v->detail_dirty = true;
		v->clear_all = false;
		painted = true;
	}
	if (table_needs(t)) {
		if (table_draw(t, win) > 0) {
			painted = true;
			if (t == v->at && v->group != G_NONE)
				alerts_draw_groups(v, win);
		}
		if (v->detail_open) {
			char id[sizeof v->detail_id];
			if (v->show_silences) {
				size_t s = table_selected(v->st);
				snprintf(id, sizeof id, "s:%s",
					 s < v->n_srows ? v->srows[s].id : "");
			} else {
				alerts_row_id(v, table_selected(v->at), id, sizeof id);
			}
			if (strcmp(id, v->detail_id) != 0)
				v->detail_dirty = true;
		}
	}
	if (v->detail_open && v->detail_dirty) {
		alerts_detail_draw(v, win);
		painted = true;
	}
	v->detail_dirty = false;
	return painted;
}

/* ---- actions: what to act on, for the runner ---- */

static void say(alert_view *v, int sev, const char *text)
{
	if (v->env.message)
		v->env.message(v->env.ctx, sev, text);
}

/* The operator's alert if one is selected (NULL and says why if not). */
static const api_alert *selected_alert(alert_view *v)
{
	if (v->show_silences) {
		say(v, MSG_WARN, _("this is the silences list: Z goes back to the alerts"));
		return NULL;
	}
	size_t s = table_selected(v->at);
	if (s >= v->n_rows) {
		say(v, MSG_WARN, _("no alert selected"));
		return NULL;
	}
	if (v->rows[s].group) {
		say(v, MSG_WARN, _("a group header is selected: choose an alert"));
		return NULL;
	}
	const api_alert *a = alerts_find(v, v->rows[s].key, v->rows[s].src);
	if (!a)
		say(v, MSG_WARN, _("the alert is gone"));
	return a;
}

/* The first key bound to a, else dflt: the key that opens the dialog. */
static wint_t key_of(keymap_action a, wint_t dflt)
{
	wint_t k = dflt;
	keymap_first_key(a, &k, &(bool){ false });
	return k;
}

static void do_ack(alert_view *v)
{
	const api_alert *a = selected_alert(v);
	if (!a)
		return;
	char sev[32], st[32];
	alerts_severity(sev, sizeof sev, a);
	alerts_state(v, a, st, sizeof st);
	ops_ack(flow_ops(v->env.flow), a, sev, st, key_of(ACT_ACK, 'a'));
}

static void do_silence(alert_view *v)
{
	const api_alert *a = selected_alert(v);
	if (!a)
		return;
	ops_silence(flow_ops(v->env.flow), a, alerts_am(v, a),
		    key_of(ACT_SILENCE, 'z'));
}

static void expire_silence(alert_view *v, am_server *s, const am_silence *x)
{
	char m[1100], ends[64];
	alerts_matchers(x, m, sizeof m);
	fmt_time(ends, sizeof ends, x->ends_at, v->now);
	ops_expire(flow_ops(v->env.flow), s, x, m, ends,
		   key_of(ACT_EXPIRE_SILENCE, 'x'));
}

static void do_expire(alert_view *v)
{
	if (v->show_silences) {
		size_t s = table_selected(v->st);
		am_server *srv = NULL;
		const am_silence *x = s < v->n_srows ?
				      alerts_silence_of(v, &v->srows[s], &srv) : NULL;
		if (!x) {
			say(v, MSG_WARN, _("no silence selected"));
			return;
		}
		expire_silence(v, srv, x);
		return;
	}
	/* on an alert: the one silence muting it */
	const api_alert *a = selected_alert(v);
	if (!a)
		return;
	size_t ns = v->env.am ? am_hub_count(v->env.am) : 0, found = 0;
	am_server *fs = NULL;
	const am_silence *fx = NULL;
	for (size_t i = 0; i < ns; i++) {
		am_server *srv = am_hub_at(v->env.am, i);
		const char *const *ids = NULL;
		size_t k = am_alert_silenced_by(srv, a->fingerprint, &ids);
		for (size_t j = 0; j < k; j++) {
			const am_silence *x = am_silence_find(srv, ids[j]);
			if (x) {
				found++;
				fs = srv;
				fx = x;
			}
		}
	}
	if (found == 1) {
		expire_silence(v, fs, fx);
		return;
	}
	say(v, MSG_WARN, found ? _("several silences mute this alert: Z lists them, "
	    "x there expires one") : _("no silence mutes this alert (Z lists the silences)"));
}

/* -- navigation -- */

static void toggle_detail(alert_view *v)
{
	v->detail_open = !v->detail_open;
	layout(v);
}

static void do_enter(alert_view *v)
{
	if (v->show_silences) {
		if (!v->detail_open)
			toggle_detail(v);
		return;
	}
	size_t s = table_selected(v->at);
	if (s >= v->n_rows)
		return;
	if (v->rows[s].group) {
		alerts_collapsed_toggle(v, v->rows[s].key);
		alerts_rebuild(v);
		return;
	}
	const api_alert *a = alerts_find(v, v->rows[s].key, v->rows[s].src);
	const char *ch = a ? alerts_label(a, "channel_id") : NULL;
	if (ch && *ch && v->env.jump) {
		v->env.jump(v->env.ctx, "channels", ch);
		return;
	}
	if (!v->detail_open)
		toggle_detail(v);
}

static void alerts_sort_set(alert_view *v, int col, bool desc)
{
	v->sort_col = col;
	v->sort_desc = desc;
	table_set_sort(v->at, col, desc);
	table_show_col(v->at, col);
	alerts_rebuild(v);
}

static int alert_action(void *p, keymap_action a)
{
	alert_view *v = p;
	table *t = v->show_silences ? v->st : v->at;
	if (table_handle(t, a)) {
		alerts_remember_sel(v); /* alerts_draw_groups() repaints header lines */
		return VIEW_HANDLED;
	}
	switch (a) {
	case ACT_DETAIL: do_enter(v); return VIEW_HANDLED;
	case ACT_INFO: toggle_detail(v); return VIEW_HANDLED;
	case ACT_BACK:
		if (v->detail_open) {
			toggle_detail(v);
			return VIEW_HANDLED;
		}
		if (v->show_silences) {
			v->show_silences = false;
			v->clear_all = true;
			return VIEW_HANDLED;
		}
		return VIEW_IGNORED;
	case ACT_SILENCES:
		v->show_silences = !v->show_silences;
		if (v->show_silences && !v->env.am)
			say(v, MSG_INFO, _("no Alertmanager configured: no silences"));
		alerts_build_silences(v);
		layout(v);
		return VIEW_HANDLED;
	case ACT_GROUP: {
		v->group = (group_by)((v->group + 1) % G__N);
		alerts_collapsed_clear(v);
		alerts_rebuild(v);
		v->clear_all = true;
		char msg[128];
		snprintf(msg, sizeof msg, _("alerts grouped by %s"),
			 alerts_group_names[v->group]);
		say(v, MSG_INFO, v->group == G_NONE ? _("alerts not grouped") : msg);
		return VIEW_HANDLED;
	}
	case ACT_SORT:
		if (v->show_silences)
			return VIEW_HANDLED;
		v->sort_col++;
		if (v->sort_col >= A__N)
			v->sort_col = -1;
		v->sort_desc = false;
		table_set_sort(v->at, v->sort_col, v->sort_desc);
		alerts_rebuild(v);
		return VIEW_HANDLED;
	case ACT_SORT_PREV_COL: case ACT_SORT_NEXT_COL:
		if (v->show_silences)
			return VIEW_HANDLED;
		alerts_sort_set(v, table_col_step(v->at, v->sort_col,
						  a == ACT_SORT_PREV_COL ? -1 : 1),
				v->sort_desc);
		return VIEW_HANDLED;
	case ACT_SORT_REVERSE:
		if (v->show_silences)
			return VIEW_HANDLED;
		if (v->sort_col < 0)
			v->sort_col = 0;
		v->sort_desc = !v->sort_desc;
		table_set_sort(v->at, v->sort_col, v->sort_desc);
		alerts_rebuild(v);
		return VIEW_HANDLED;
	case ACT_ACK: do_ack(v); return VIEW_HANDLED;
	case ACT_SILENCE: do_silence(v); return VIEW_HANDLED;
	case ACT_EXPIRE_SILENCE: do_expire(v); return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
}

static void alert_set_filter(void *p, const char *f)
{
	alert_view *v = p;
	snprintf(v->filter, sizeof v->filter, "%s", f ? f : "");
	alerts_rebuild(v);
}

static const char *alert_filter(const void *p)
{
	return ((const alert_view *)p)->filter;
}

static bool alert_cursor(const void *p, int *y, int *x)
{
	const alert_view *v = p;
	return table_cursor(v->show_silences ? v->st : v->at, y, x);
}

/* Ages move by the minute: the next minute boundary while any alert is
 * shown. */
static long alert_due_in_ms(const void *p, time_t now)
{
	const alert_view *v = p;
	if (v->show_silences || store_alert_count(v->env.st) == 0)
		return -1;
	return (long)(60 - now % 60) * 1000;
}

static size_t alert_hints_get(const void *p, const bar_hint **out)
{
	const alert_view *v = p;
	if (v->show_silences) {
		*out = sil_hints;
		return sizeof sil_hints / sizeof sil_hints[0];
	}
	*out = alert_hints;
	return sizeof alert_hints / sizeof alert_hints[0];
}

static const char *alert_note(const void *p)
{
	alert_view *v = (alert_view *)p;
	if (!v->filter[0])
		return NULL;
	if (v->show_silences)
		snprintf(v->note, sizeof v->note, _("filter '%s': %zu silences"),
			 v->filter, v->n_srows);
	else
		snprintf(v->note, sizeof v->note, _("filter '%s': %zu of %zu alerts"),
			 v->filter, v->shown_alerts, store_alert_count(v->env.st));
	return v->note;
}

/* Select an alert by fingerprint or id (a jump from another pane). */
static bool alert_select(void *p, const char *id)
{
	alert_view *v = p;
	if (!id)
		return false;
	if (v->show_silences) {
		v->show_silences = false;
		v->clear_all = true;
	}
	alerts_rebuild(v);
	for (size_t i = 0; i < v->n_rows; i++) {
		if (v->rows[i].group)
			continue;
		const api_alert *a = alerts_find(v, v->rows[i].key, v->rows[i].src);
		if (a && (strcmp(alerts_key(a), id) == 0 ||
			  (a->id && strcmp(a->id, id) == 0))) {
			table_select(v->at, i);
			alerts_remember_sel(v);
			return true;
		}
	}
	return false;
}

static table *alert_table(void *p)
{
	alert_view *v = p;
	return v->show_silences ? v->st : v->at;
}

static bool alert_sort_by(void *p, int col, bool desc)
{
	alert_view *v = p;
	if (v->show_silences)
		return false;
	alerts_sort_set(v, col, desc);
	return true;
}

const view_class view_alerts = {
	.name = "alerts", .title = N_("Alerts"),
	.create = alert_create, .destroy = alert_destroy,
	.set_rect = alert_set_rect, .recalc = alert_recalc, .draw = alert_draw,
	.action = alert_action, .set_filter = alert_set_filter,
	.filter = alert_filter, .cursor = alert_cursor,
	.due_in_ms = alert_due_in_ms, .hints = alert_hints_get,
	.note = alert_note, .select = alert_select,
	.table = alert_table, .sort_by = alert_sort_by,
};
