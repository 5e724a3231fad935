/* views/routes.c: route groups and their members, read-only. One row per
 * member, so filtering by a channel shows every group it is in. */
#include "views/view.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/fmt.h"
#include "views/tview.h"

enum { R_ROUTE, R_NAME, R_STRATEGY, R_CHANNEL, R_HEALTH, R_WEIGHT,
       R_ELIGIBLE, R_OVERRIDE, R__N };

static const table_column route_cols[R__N] = {
	[R_ROUTE] = { "Route", 12, 24, 2, TABLE_LEFT },
	[R_NAME] = { "Name", 10, 20, 2, TABLE_LEFT },
	[R_STRATEGY] = { "Strategy", 8, 12, 0, TABLE_LEFT },
	[R_CHANNEL] = { "Member channel", 14, 26, 2, TABLE_LEFT },
	[R_HEALTH] = { "Health", 9, 10, 0, TABLE_LEFT },
	[R_WEIGHT] = { "Weight", 6, 6, 0, TABLE_RIGHT },
	[R_ELIGIBLE] = { "Eligible", 12, 12, 0, TABLE_LEFT },
	[R_OVERRIDE] = { "Override", 8, 40, 1, TABLE_LEFT },
};

static const bar_hint route_hints[] = {
	{ ACT_FILTER, "filter" }, { ACT_SORT, "sort" },
	{ ACT_SORT_REVERSE, "reverse" }, { ACT_COMMAND, "command" },
	{ ACT_PAUSE, "pause" }, { ACT_HELP, "help" }, { ACT_QUIT, "quit" },
};

typedef struct {
	size_t route, member;
} route_row;

typedef struct {
	view_env env;
	tview *tv;
	widget_rect rect;
	route_row *rows;
	size_t n, cap;
	uint64_t seen_routes, seen_channels;
	bool clear_all;
	time_t now;
	char note[128];
} route_view;

static size_t route_count(void *ctx)
{
	route_view *v = ctx;
	return v->n;
}

static const api_route *route_of(route_view *v, size_t src,
				 const api_route_member **m)
{
	if (src >= v->n)
		return NULL;
	const api_route *r = store_route_at(v->env.st, v->rows[src].route);
	if (!r || v->rows[src].member >= r->n_members)
		return NULL;
	*m = &r->members[v->rows[src].member];
	return r;
}

static int route_cell(void *ctx, size_t src, int col, char *buf, size_t bufsz,
		      int *role)
{
	route_view *v = ctx;
	const api_route_member *m;
	const api_route *r = route_of(v, src, &m);
	if (!r)
		return -1;
	switch (col) {
	case R_ROUTE: snprintf(buf, bufsz, "%s", r->id); break;
	case R_NAME: snprintf(buf, bufsz, "%s", r->name ? r->name : ""); break;
	case R_STRATEGY:
		fmt_enum(buf, bufsz, r->strategy == STRAT_UNKNOWN ? NULL :
			 api_strategy_str(r->strategy), r->strategy_raw);
		break;
	case R_CHANNEL: snprintf(buf, bufsz, "%s", m->channel_id); break;
	case R_HEALTH: {
		const api_channel *c = store_channel_find(v->env.st, m->channel_id);
		if (c)
			*role = fmt_health(buf, bufsz, c->health, c->health_raw);
		else
			snprintf(buf, bufsz, "-");
		break;
	}
	case R_WEIGHT: snprintf(buf, bufsz, "%d%%", m->weight_pct); break;
	case R_ELIGIBLE:
		snprintf(buf, bufsz, "%s", m->eligible ? "eligible" : "NOT eligible");
		*role = m->eligible ? ROLE_NORMAL : ROLE_CRIT;
		break;
	case R_OVERRIDE:
		if (!r->override.present) {
			snprintf(buf, bufsz, "none");
		} else {
			char until[64] = "no expiry";
			if (r->override.expires_at)
				fmt_time(until, sizeof until, r->override.expires_at, v->now);
			snprintf(buf, bufsz, "by %s until %s: %s",
				 r->override.set_by ? r->override.set_by : "?", until,
				 r->override.reason ? r->override.reason : "");
			*role = ROLE_WARN;
		}
		break;
	default: return -1;
	}
	return 0;
}

static bool route_numkey(void *ctx, size_t src, int col, double *num)
{
	route_view *v = ctx;
	const api_route_member *m;
	if (col != R_WEIGHT || !route_of(v, src, &m))
		return false;
	*num = m->weight_pct;
	return true;
}

static void route_row_id(void *ctx, size_t src, char *buf, size_t bufsz)
{
	route_view *v = ctx;
	const api_route_member *m;
	const api_route *r = route_of(v, src, &m);
	if (r)
		snprintf(buf, bufsz, "%s\t%s", r->id, m->channel_id);
	else
		snprintf(buf, bufsz, "%s", "");
}

static void *route_create(const view_env *env)
{
	route_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->env = *env;
	tview_spec spec = {
		.cols = route_cols, .ncols = R__N, .count = route_count,
		.cell = route_cell, .numkey = route_numkey,
		.row_id = route_row_id, .noun = "routes", .default_sort = -1,
	};
	v->tv = tview_new(&spec, v);
	if (!v->tv) {
		free(v);
		return NULL;
	}
	return v;
}

static void route_destroy(void *p)
{
	route_view *v = p;
	if (!v)
		return;
	tview_free(v->tv);
	free(v->rows);
	free(v);
}

static void route_set_rect(void *p, widget_rect r)
{
	route_view *v = p;
	v->rect = r;
	tview_set_rect(v->tv, r);
	v->clear_all = true;
}

static bool route_recalc(void *p, time_t now, bool force)
{
	route_view *v = p;
	uint64_t gr = store_meta_get(v->env.st, STORE_ROUTES)->gen;
	uint64_t gc = store_meta_get(v->env.st, STORE_CHANNELS)->gen;
	v->now = now;
	if (!force && gr == v->seen_routes && gc == v->seen_channels)
		return false;
	v->seen_routes = gr;
	v->seen_channels = gc;
	size_t nr = store_route_count(v->env.st), total = 0;
	for (size_t i = 0; i < nr; i++) {
		const api_route *r = store_route_at(v->env.st, i);
		total += r ? r->n_members : 0;
	}
	if (total > v->cap) {
		route_row *rows = realloc(v->rows, total * sizeof *rows);
		if (!rows)
			return false;
		v->rows = rows;
		v->cap = total;
	}
	v->n = 0;
	for (size_t i = 0; i < nr; i++) {
		const api_route *r = store_route_at(v->env.st, i);
		for (size_t j = 0; r && j < r->n_members; j++)
			v->rows[v->n++] = (route_row){ i, j };
	}
	tview_rebuild(v->tv);
	return true;
}

static bool route_draw(void *p, WINDOW *win, bool full)
{
	route_view *v = p;
	bool painted = false;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		tview_invalidate(v->tv);
		v->clear_all = false;
		painted = true;
	}
	if (tview_needs(v->tv) && tview_draw(v->tv, win) > 0)
		painted = true;
	return painted;
}

static int route_action(void *p, keymap_action a)
{
	route_view *v = p;
	if (tview_handle(v->tv, a))
		return VIEW_HANDLED;
	switch (a) {
	case ACT_SORT: tview_sort_next(v->tv); return VIEW_HANDLED;
	case ACT_SORT_REVERSE: tview_sort_reverse(v->tv); return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
}

static void route_set_filter(void *p, const char *f)
{
	route_view *v = p;
	tview_set_filter(v->tv, f);
}

static const char *route_filter(const void *p)
{
	const route_view *v = p;
	return tview_filter(v->tv);
}

static bool route_cursor(const void *p, int *y, int *x)
{
	const route_view *v = p;
	return tview_cursor(v->tv, y, x);
}

static long route_due_in_ms(const void *p, time_t now)
{
	(void)p;
	(void)now;
	return -1;
}

static size_t route_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = route_hints;
	return sizeof route_hints / sizeof route_hints[0];
}

static const char *route_note(const void *p)
{
	route_view *v = (route_view *)p;
	const char *f = tview_filter(v->tv);
	if (!*f)
		return NULL;
	snprintf(v->note, sizeof v->note, "filter '%s': %zu of %zu members", f,
		 tview_shown(v->tv), v->n);
	return v->note;
}

const view_class view_routes = {
	.name = "routes", .title = "Routes",
	.create = route_create, .destroy = route_destroy,
	.set_rect = route_set_rect, .recalc = route_recalc, .draw = route_draw,
	.action = route_action, .set_filter = route_set_filter,
	.filter = route_filter, .cursor = route_cursor,
	.due_in_ms = route_due_in_ms, .hints = route_hints_get,
	.note = route_note,
};
