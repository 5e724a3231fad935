/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/alerts_rows.c: the Alerts pane's rows. Built here rather than
 * through tview, because group headers are rows of their own that neither
 * the filter nor the sort may move. */
#include "views/alerts.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/text.h"

const char *const alerts_group_names[G__N] = {
	"none", "channel_id", "severity", "alertname", "source",
};

/* ---- filter ---- */

static bool filter_match(const alert_view *v, int ncols,
			 int (*text)(const alert_view *, const void *, int,
				     char *, size_t, int *),
			 const void *obj)
{
	const char *f = v->filter;
	bool invert = *f == '!';
	if (invert)
		f++;
	if (!*f)
		return true;
	bool hit = false;
	char buf[CELL_MAX];
	for (int c = 0; c < ncols && !hit; c++) {
		int role = 0;
		buf[0] = '\0';
		if (text(v, obj, c, buf, sizeof buf, &role) == 0)
			hit = text_contains(buf, f);
	}
	return hit != invert;
}

static int alert_text_any(const alert_view *v, const void *obj, int col,
			  char *buf, size_t sz, int *role)
{
	return alerts_alert_text(v, obj, col, buf, sz, role);
}

/* "firing", "resolved" or "silenced": what `state:WORD` matches. */
static const char *state_word(const alert_view *v, const api_alert *a)
{
	if (a->state == AST_RESOLVED)
		return "resolved";
	if (alerts_silenced(v, a))
		return "silenced";
	return a->state == AST_FIRING ? "firing" : "";
}

/* The filter on an alert: `state:firing`, `state:resolved` or
 * `state:silenced` (each may be inverted with !) picks by state, any other
 * text is looked for in every column. */
static bool alert_match(const alert_view *v, const api_alert *a)
{
	const char *f = v->filter;
	bool invert = *f == '!';
	if (invert)
		f++;
	if (strncasecmp(f, "state:", 6) == 0)
		return (strcasecmp(f + 6, state_word(v, a)) == 0) != invert;
	return filter_match(v, A__N, alert_text_any, a);
}

/* A resolved alert stays listed for resolved_alerts (payops.yaml) after
 * it ended; one without an end is kept. */
static bool alert_listed(const alert_view *v, const api_alert *a)
{
	if (a->state != AST_RESOLVED || !a->ends_at)
		return true;
	long keep = v->env.cfg ? v->env.cfg->resolved_alerts_ms / 1000 : 3600;
	return (long)(v->now - a->ends_at) <= keep;
}

static int sil_text_any(const alert_view *v, const void *obj, int col,
			char *buf, size_t sz, int *role)
{
	return alerts_silence_text(v, obj, col, buf, sz, role);
}

/* ---- building the rows ---- */

typedef struct {
	size_t src;
	char group[ROW_KEY_MAX];
	int gorder;              /* severity groups in severity order */
} sort_item;

static bool num_key(const alert_view *v, const api_alert *a, int col,
		    double *out)
{
	switch (col) {
	case A_SEV: *out = a->severity; return true;
	case A_STATE:
		*out = a->state == AST_RESOLVED ? 2 : alerts_silenced(v, a) ? 1 : 0;
		return true;
	case A_AGE: *out = a->starts_at ? (double)(v->now - a->starts_at) : 1e18;
		return true;
	default: return false;
	}
}

static int item_cmp(const void *pa, const void *pb, void *ctx)
{
	const alert_view *v = ctx;
	const sort_item *x = pa, *y = pb;
	int r = 0;
	/* the firing ones first, the resolved ones below them */
	const api_alert *xa = store_alert_at(v->env.st, x->src);
	const api_alert *ya = store_alert_at(v->env.st, y->src);
	int xr = xa && xa->state == AST_RESOLVED, yr = ya && ya->state == AST_RESOLVED;
	if (xr != yr)
		return xr - yr;
	if (v->group != G_NONE) {
		bool nx = strcmp(x->group, "(none)") == 0;
		bool ny = strcmp(y->group, "(none)") == 0;
		if (x->gorder != y->gorder)
			return x->gorder < y->gorder ? -1 : 1;
		if (nx != ny)
			return nx ? 1 : -1;
		r = strcoll(x->group, y->group);
		if (r)
			return r;
	}
	if (v->sort_col >= 0) {
		const api_alert *a = store_alert_at(v->env.st, x->src);
		const api_alert *b = store_alert_at(v->env.st, y->src);
		double na, nb;
		if (num_key(v, a, v->sort_col, &na) && num_key(v, b, v->sort_col, &nb)) {
			r = na < nb ? -1 : na > nb;
		} else {
			char ba[CELL_MAX], bb[CELL_MAX];
			int role = 0;
			ba[0] = bb[0] = '\0';
			alerts_alert_text(v, a, v->sort_col, ba, sizeof ba, &role);
			alerts_alert_text(v, b, v->sort_col, bb, sizeof bb, &role);
			r = strcoll(ba, bb);
		}
		if (v->sort_desc)
			r = -r;
	}
	if (r == 0)
		r = x->src < y->src ? -1 : x->src > y->src;
	return r;
}

bool alerts_collapsed(const alert_view *v, const char *g)
{
	for (size_t i = 0; i < v->n_collapsed; i++)
		if (strcmp(v->collapsed[i], g) == 0)
			return true;
	return false;
}

void alerts_collapsed_clear(alert_view *v)
{
	for (size_t i = 0; i < v->n_collapsed; i++)
		free(v->collapsed[i]);
	free(v->collapsed);
	v->collapsed = NULL;
	v->n_collapsed = 0;
}

void alerts_collapsed_toggle(alert_view *v, const char *g)
{
	for (size_t i = 0; i < v->n_collapsed; i++) {
		if (strcmp(v->collapsed[i], g) == 0) {
			free(v->collapsed[i]);
			v->collapsed[i] = v->collapsed[--v->n_collapsed];
			return;
		}
	}
	char **p = realloc(v->collapsed, (v->n_collapsed + 1) * sizeof *p);
	if (!p)
		return;
	v->collapsed = p;
	if ((p[v->n_collapsed] = strdup(g)) != NULL)
		v->n_collapsed++;
}

static bool rows_reserve(alert_view *v, size_t n)
{
	if (n <= v->cap_rows)
		return true;
	arow *p = realloc(v->rows, n * sizeof *p);
	if (!p)
		return false;
	v->rows = p;
	v->cap_rows = n;
	return true;
}

void alerts_row_id(const alert_view *v, size_t row, char *out, size_t sz)
{
	if (row >= v->n_rows) {
		out[0] = '\0';
		return;
	}
	snprintf(out, sz, "%s:%s", v->rows[row].group ? "g" : "a",
		 v->rows[row].key);
}

void alerts_remember_sel(alert_view *v)
{
	alerts_row_id(v, table_selected(v->at), v->sel_id, sizeof v->sel_id);
	size_t s = table_selected(v->st);
	if (s < v->n_srows)
		snprintf(v->ssel_id, sizeof v->ssel_id, "%s/%s",
			 v->srows[s].srv, v->srows[s].id);
	else
		v->ssel_id[0] = '\0';
}

static void empty_text(alert_view *v, table *t, const char *noun)
{
	char e[400];
	if (v->filter[0])
		/* TRANSLATORS: a plural noun (channels, alerts...), the filter */
		snprintf(e, sizeof e, _("no %s match '%s'"), _(noun), v->filter);
	else if (t == v->st && !v->env.am)
		snprintf(e, sizeof e, "%s", _("no Alertmanager configured "
			 "(alertmanagers: in the configuration)"));
	else
		/* TRANSLATORS: a plural noun (channels, alerts...) */
		snprintf(e, sizeof e, _("no %s yet"), _(noun));
	table_set_empty_text(t, e);
}

static void build_alerts(alert_view *v)
{
	size_t n = store_alert_count(v->env.st);
	size_t old_sel = table_selected(v->at);
	sort_item *items = n ? malloc(n * sizeof *items) : NULL;
	size_t m = 0;
	if (n && !items)
		return; /* keep the old rows */
	for (size_t i = 0; i < n; i++) {
		const api_alert *a = store_alert_at(v->env.st, i);
		if (!a || !alert_listed(v, a) || !alert_match(v, a))
			continue;
		items[m].src = i;
		items[m].group[0] = '\0';
		items[m].gorder = 0;
		if (v->group != G_NONE)
			alerts_group_value(v, a, items[m].group, sizeof items[m].group);
		if (v->group == G_SEVERITY)
			items[m].gorder = (int)a->severity;
		m++;
	}
	if (m > 1)
		qsort_r(items, m, sizeof *items, item_cmp, v);
	v->shown_alerts = m;
	if (!rows_reserve(v, 2 * m + 1)) {
		free(items);
		return;
	}
	v->n_rows = 0;
	for (size_t i = 0; i < m;) {
		size_t j = i;
		if (v->group != G_NONE) {
			arow *g = &v->rows[v->n_rows++];
			memset(g, 0, sizeof *g);
			g->group = true;
			snprintf(g->key, sizeof g->key, "%s", items[i].group);
			while (j < m && strcmp(items[j].group, items[i].group) == 0) {
				const api_alert *a = store_alert_at(v->env.st, items[j].src);
				g->n++;
				if (a && a->state == AST_FIRING)
					g->firing++;
				j++;
			}
			if (alerts_collapsed(v, g->key)) {
				i = j;
				continue;
			}
			j = i;
		}
		do {
			const api_alert *a = store_alert_at(v->env.st, items[j].src);
			arow *r = &v->rows[v->n_rows++];
			memset(r, 0, sizeof *r);
			r->src = items[j].src;
			snprintf(r->key, sizeof r->key, "%s", a ? alerts_key(a) : "");
			j++;
		} while (j < m && (v->group == G_NONE ||
				   strcmp(items[j].group, items[i].group) == 0));
		i = j;
	}
	free(items);
	table_set_rows(v->at, v->n_rows);
	bool found = false;
	if (v->sel_id[0]) {
		char id[sizeof v->sel_id];
		for (size_t i = 0; i < v->n_rows && !found; i++) {
			alerts_row_id(v, i, id, sizeof id);
			if (strcmp(id, v->sel_id) == 0) {
				table_select(v->at, i);
				found = true;
			}
		}
	}
	if (!found && old_sel != SIZE_MAX)
		table_select(v->at, old_sel);
	empty_text(v, v->at, N_("alerts"));
	table_invalidate(v->at);
	alerts_row_id(v, table_selected(v->at), v->sel_id, sizeof v->sel_id);
}

void alerts_build_silences(alert_view *v)
{
	size_t old_sel = table_selected(v->st);
	size_t total = 0, ns = v->env.am ? am_hub_count(v->env.am) : 0;
	for (size_t s = 0; s < ns; s++)
		total += am_silence_count(am_hub_at(v->env.am, s));
	if (total > v->cap_srows) {
		srow *p = realloc(v->srows, total * sizeof *p);
		if (!p)
			return;
		v->srows = p;
		v->cap_srows = total;
	}
	v->n_srows = 0;
	for (size_t s = 0; s < ns; s++) {
		am_server *srv = am_hub_at(v->env.am, s);
		size_t k = am_silence_count(srv);
		for (size_t i = 0; i < k; i++) {
			const am_silence *x = am_silence_at(srv, i);
			if (!x || !x->id)
				continue;
			srow *r = &v->srows[v->n_srows];
			r->server = s;
			r->idx = i;
			snprintf(r->id, sizeof r->id, "%s", x->id);
			snprintf(r->srv, sizeof r->srv, "%s", am_server_name(srv));
			if (filter_match(v, S__N, sil_text_any, r))
				v->n_srows++;
		}
	}
	table_set_rows(v->st, v->n_srows);
	bool found = false;
	for (size_t i = 0; i < v->n_srows && v->ssel_id[0] && !found; i++) {
		char id[sizeof v->ssel_id];
		snprintf(id, sizeof id, "%s/%s", v->srows[i].srv, v->srows[i].id);
		if (strcmp(id, v->ssel_id) == 0) {
			table_select(v->st, i);
			found = true;
		}
	}
	if (!found && old_sel != SIZE_MAX)
		table_select(v->st, old_sel);
	empty_text(v, v->st, N_("silences"));
	table_invalidate(v->st);
	alerts_remember_sel(v);
}

void alerts_rebuild(alert_view *v)
{
	build_alerts(v);
	alerts_build_silences(v);
	v->detail_dirty = true;
}
