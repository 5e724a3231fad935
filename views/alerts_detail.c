/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/alerts_detail.c: the Alerts pane's detail strip (an alert's every
 * field and what silences it, a silence's, a group's counts) and the group
 * header lines. */
#include "views/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "widgets/fmt.h"

static int dline(WINDOW *win, const widget_rect *r, int *y, const char *s,
		 term_role role)
{
	if (*y >= r->y + r->h)
		return -1;
	widget_put(win, *y, r->x, r->w, s, 0, role);
	(*y)++;
	return 0;
}

static void detail_alert(alert_view *v, WINDOW *win, widget_rect r, int *y,
			 const api_alert *a)
{
	char line[1024], b1[64], b2[64], src[256];
	term_role sr = alerts_severity(b1, sizeof b1, a);
	alerts_state(v, a, b2, sizeof b2);
	snprintf(line, sizeof line, "%s  [%s]  %s", a->title ? a->title : "",
		 b1, b2);
	dline(win, &r, y, line, sr == ROLE_CRIT ? ROLE_CRIT : ROLE_TITLE);
	snprintf(line, sizeof line, _("summary: %s"),
		 a->summary && *a->summary ? a->summary : "-");
	dline(win, &r, y, line, ROLE_NORMAL);
	alerts_sources(v, a, src, sizeof src);
	snprintf(line, sizeof line, _("id: %s   fingerprint: %s   source: %s"),
		 a->id ? a->id : "-", a->fingerprint ? a->fingerprint : "-", src);
	dline(win, &r, y, line, ROLE_NORMAL);
	char st[64] = "-", en[64] = "-";
	if (a->starts_at)
		time_format_rfc3339(a->starts_at, st, sizeof st);
	if (a->ends_at)
		time_format_rfc3339(a->ends_at, en, sizeof en);
	snprintf(line, sizeof line, _("starts: %s   ends: %s   acked by: %s"), st,
		 en, a->acked_by ? a->acked_by : "-");
	dline(win, &r, y, line, ROLE_NORMAL);
	dline(win, &r, y, a->n_labels ? _("labels:") : _("labels: none"), ROLE_NORMAL);
	for (size_t i = 0; i < a->n_labels; i++) {
		snprintf(line, sizeof line, "  %s = %s",
			 a->labels[i].key ? a->labels[i].key : "",
			 a->labels[i].value ? a->labels[i].value : "");
		if (dline(win, &r, y, line, ROLE_NORMAL) < 0)
			return;
	}
	bool any = false;
	size_t ns = v->env.am ? am_hub_count(v->env.am) : 0;
	for (size_t s = 0; s < ns; s++) {
		am_server *srv = am_hub_at(v->env.am, s);
		const char *const *ids = NULL;
		size_t k = am_alert_silenced_by(srv, a->fingerprint, &ids);
		for (size_t i = 0; i < k; i++) {
			const am_silence *x = am_silence_find(srv, ids[i]);
			char ends[64] = "?";
			if (x)
				fmt_time(ends, sizeof ends, x->ends_at, v->now);
			if (!any)
				dline(win, &r, y, _("silenced by:"), ROLE_NORMAL);
			any = true;
			/* TRANSLATORS: silence id, Alertmanager name, creator, end, comment */
			snprintf(line, sizeof line, _("  %s on %s, by %s, until %s: %s"),
				 ids[i], am_server_name(srv),
				 x && x->created_by ? x->created_by : "?", ends,
				 x && x->comment ? x->comment : "");
			if (dline(win, &r, y, line, ROLE_DIM) < 0)
				return;
		}
	}
	if (!any && alerts_am(v, a))
		dline(win, &r, y, _("silenced by: none"), ROLE_NORMAL);
}

static void detail_silence(alert_view *v, WINDOW *win, widget_rect r, int *y,
			   const srow *sr)
{
	am_server *srv = NULL;
	const am_silence *x = alerts_silence_of(v, sr, &srv);
	char line[1024], st[64] = "-", en[64] = "-", up[64] = "-";
	if (!x) {
		dline(win, &r, y, _("the silence is gone"), ROLE_DIM);
		return;
	}
	/* TRANSLATORS: silence id, Alertmanager name, state (an enum value) */
	snprintf(line, sizeof line, _("silence %s on %s: %s"), x->id, sr->srv,
		 x->state_raw ? x->state_raw : am_silence_state_str(x->state));
	dline(win, &r, y, line, ROLE_TITLE);
	if (x->starts_at)
		time_format_rfc3339(x->starts_at, st, sizeof st);
	if (x->ends_at)
		time_format_rfc3339(x->ends_at, en, sizeof en);
	if (x->updated_at)
		time_format_rfc3339(x->updated_at, up, sizeof up);
	snprintf(line, sizeof line, _("starts: %s   ends: %s   updated: %s"), st, en, up);
	dline(win, &r, y, line, ROLE_NORMAL);
	snprintf(line, sizeof line, _("created by: %s"), x->created_by ? x->created_by : "");
	dline(win, &r, y, line, ROLE_NORMAL);
	snprintf(line, sizeof line, _("comment: %s"), x->comment ? x->comment : "");
	dline(win, &r, y, line, ROLE_NORMAL);
	dline(win, &r, y, _("matchers:"), ROLE_NORMAL);
	for (size_t i = 0; i < x->n_matchers; i++) {
		const am_matcher *m = &x->matchers[i];
		snprintf(line, sizeof line, "  %s %s \"%s\"", m->name ? m->name : "",
			 m->is_regex ? (m->is_equal ? "=~" : "!~") :
			 (m->is_equal ? "=" : "!="), m->value ? m->value : "");
		if (dline(win, &r, y, line, ROLE_NORMAL) < 0)
			return;
	}
}

void alerts_detail_draw(alert_view *v, WINDOW *win)
{
	widget_rect r = v->detail;
	int y = r.y;
	widget_clear(win, r, ROLE_NORMAL);
	widget_put(win, y++, r.x, r.w, "", 0, ROLE_BORDER);
	if (v->show_silences) {
		size_t s = table_selected(v->st);
		if (s >= v->n_srows) {
			dline(win, &r, &y, _("no silence selected"), ROLE_DIM);
			v->detail_id[0] = '\0';
			return;
		}
		snprintf(v->detail_id, sizeof v->detail_id, "s:%s", v->srows[s].id);
		detail_silence(v, win, r, &y, &v->srows[s]);
		return;
	}
	size_t s = table_selected(v->at);
	alerts_row_id(v, s, v->detail_id, sizeof v->detail_id);
	if (s >= v->n_rows) {
		dline(win, &r, &y, _("no alert selected"), ROLE_DIM);
		return;
	}
	const arow *row = &v->rows[s];
	if (row->group) {
		char line[400];
		/* TRANSLATORS: the group's label name, its value, counts, a hint */
		snprintf(line, sizeof line, _("%s = %s: %zu alerts, %zu firing%s"),
			 alerts_group_names[v->group], row->key, row->n, row->firing,
			 alerts_collapsed(v, row->key) ? _(" (folded: Enter unfolds)") :
			 _(" (Enter folds)"));
		dline(win, &r, &y, line, ROLE_TITLE);
		return;
	}
	const api_alert *a = alerts_find(v, row->key, row->src);
	if (!a) {
		dline(win, &r, &y, _("the alert is gone"), ROLE_DIM);
		return;
	}
	detail_alert(v, win, r, &y, a);
}

/* Group headers span the whole line: paint them over the table's cells. */
void alerts_draw_groups(alert_view *v, WINDOW *win)
{
	size_t first = table_scroll(v->at), sel = table_selected(v->at);
	int page = table_page_rows(v->at);
	for (int i = 0; i < page; i++) {
		size_t row = first + (size_t)i;
		if (row >= v->n_rows)
			break;
		const arow *g = &v->rows[row];
		if (!g->group)
			continue;
		char line[512];
		snprintf(line, sizeof line, ngettext("%s %s=%s  (%zu alert, %zu firing)",
						     "%s %s=%s  (%zu alerts, %zu firing)", g->n),
			 alerts_collapsed(v, g->key) ? "+" : "-",
			 alerts_group_names[v->group], g->key, g->n, g->firing);
		widget_put(win, v->trect.y + 1 + i, v->trect.x, v->trect.w, line, 0,
			   row == sel ? ROLE_SELECTED : ROLE_TITLE);
	}
}
