/* views/alerts.c: firing and resolved alerts from the store (read-only;
 * acknowledging and silencing come with the alerts work). */
#include "views/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/fmt.h"
#include "views/tview.h"

enum { A_SEV, A_STATE, A_TITLE, A_CHANNEL, A_STARTS, A_ACKED, A_SOURCE,
       A_SUMMARY, A__N };

static const table_column alert_cols[A__N] = {
	[A_SEV] = { "Severity", 8, 10, 0, TABLE_LEFT },
	[A_STATE] = { "State", 8, 9, 0, TABLE_LEFT },
	[A_TITLE] = { "Title", 16, 40, 3, TABLE_LEFT },
	[A_CHANNEL] = { "Channel", 12, 26, 1, TABLE_LEFT },
	[A_STARTS] = { "Started", 7, 12, 0, TABLE_LEFT },
	[A_ACKED] = { "Acked by", 8, 14, 0, TABLE_LEFT },
	[A_SOURCE] = { "Source", 8, 14, 0, TABLE_LEFT },
	[A_SUMMARY] = { "Summary", 10, 0, 2, TABLE_LEFT },
};

static const bar_hint alert_hints[] = {
	{ ACT_FILTER, "filter" }, { ACT_SORT, "sort" },
	{ ACT_COMMAND, "command" }, { ACT_PAUSE, "pause" },
	{ ACT_HELP, "help" }, { ACT_QUIT, "quit" },
};

typedef struct {
	view_env env;
	tview *tv;
	widget_rect rect;
	uint64_t seen;
	bool clear_all;
	time_t now;
} alert_view;

static size_t alert_count(void *ctx)
{
	alert_view *v = ctx;
	return store_alert_count(v->env.st);
}

static const char *alert_label(const api_alert *a, const char *key)
{
	for (size_t i = 0; i < a->n_labels; i++)
		if (a->labels[i].key && strcmp(a->labels[i].key, key) == 0)
			return a->labels[i].value;
	return NULL;
}

static int alert_cell(void *ctx, size_t src, int col, char *buf, size_t bufsz,
		      int *role)
{
	alert_view *v = ctx;
	const api_alert *a = store_alert_at(v->env.st, src);
	if (!a)
		return -1;
	switch (col) {
	case A_SEV:
		switch (a->severity) {
		case AS_CRITICAL: snprintf(buf, bufsz, "CRITICAL"); *role = ROLE_CRIT; break;
		case AS_WARNING: snprintf(buf, bufsz, "warning"); *role = ROLE_WARN; break;
		case AS_INFO: snprintf(buf, bufsz, "info"); break;
		default: fmt_enum(buf, bufsz, NULL, a->severity_raw); break;
		}
		break;
	case A_STATE:
		fmt_enum(buf, bufsz, a->state == AST_UNKNOWN ? NULL :
			 api_alert_state_str(a->state), a->state_raw);
		if (a->state == AST_RESOLVED)
			*role = ROLE_DIM;
		break;
	case A_TITLE: snprintf(buf, bufsz, "%s", a->title ? a->title : ""); break;
	case A_CHANNEL: {
		const char *c = alert_label(a, "channel_id");
		snprintf(buf, bufsz, "%s", c ? c : "-");
		break;
	}
	case A_STARTS: fmt_time(buf, bufsz, a->starts_at, v->now); break;
	case A_ACKED: snprintf(buf, bufsz, "%s", a->acked_by ? a->acked_by : "-"); break;
	case A_SOURCE: snprintf(buf, bufsz, "%s", a->source ? a->source : "-"); break;
	case A_SUMMARY: snprintf(buf, bufsz, "%s", a->summary ? a->summary : ""); break;
	default: return -1;
	}
	return 0;
}

static bool alert_numkey(void *ctx, size_t src, int col, double *num)
{
	alert_view *v = ctx;
	const api_alert *a = store_alert_at(v->env.st, src);
	if (!a)
		return false;
	switch (col) {
	case A_SEV: *num = a->severity; return true;
	case A_STATE: *num = a->state; return true;
	case A_STARTS: *num = (double)a->starts_at; return true;
	default: return false;
	}
}

static void alert_row_id(void *ctx, size_t src, char *buf, size_t bufsz)
{
	alert_view *v = ctx;
	const api_alert *a = store_alert_at(v->env.st, src);
	snprintf(buf, bufsz, "%s", a && a->fingerprint ? a->fingerprint :
		 a && a->id ? a->id : "");
}

static void *alert_create(const view_env *env)
{
	alert_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->env = *env;
	tview_spec spec = {
		.cols = alert_cols, .ncols = A__N, .count = alert_count,
		.cell = alert_cell, .numkey = alert_numkey,
		.row_id = alert_row_id, .noun = "alerts", .default_sort = -1,
	};
	v->tv = tview_new(&spec, v);
	if (!v->tv) {
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
	tview_free(v->tv);
	free(v);
}

static void alert_set_rect(void *p, widget_rect r)
{
	alert_view *v = p;
	v->rect = r;
	tview_set_rect(v->tv, r);
	v->clear_all = true;
}

static bool alert_recalc(void *p, time_t now, bool force)
{
	alert_view *v = p;
	uint64_t g = store_meta_get(v->env.st, STORE_ALERTS)->gen;
	v->now = now;
	if (!force && g == v->seen)
		return false;
	v->seen = g;
	tview_rebuild(v->tv);
	return true;
}

static bool alert_draw(void *p, WINDOW *win, bool full)
{
	alert_view *v = p;
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

static int alert_action(void *p, keymap_action a)
{
	alert_view *v = p;
	if (tview_handle(v->tv, a))
		return VIEW_HANDLED;
	switch (a) {
	case ACT_SORT: tview_sort_next(v->tv); return VIEW_HANDLED;
	case ACT_SORT_REVERSE: tview_sort_reverse(v->tv); return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
}

static void alert_set_filter(void *p, const char *f)
{
	tview_set_filter(((alert_view *)p)->tv, f);
}

static const char *alert_filter(const void *p)
{
	return tview_filter(((const alert_view *)p)->tv);
}

static bool alert_cursor(const void *p, int *y, int *x)
{
	return tview_cursor(((const alert_view *)p)->tv, y, x);
}

static long alert_due_in_ms(const void *p, time_t now)
{
	(void)p;
	(void)now;
	return -1;
}

static size_t alert_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = alert_hints;
	return sizeof alert_hints / sizeof alert_hints[0];
}

static const char *alert_note(const void *p)
{
	(void)p;
	return NULL;
}

const view_class view_alerts = {
	.name = "alerts", .title = "Alerts",
	.create = alert_create, .destroy = alert_destroy,
	.set_rect = alert_set_rect, .recalc = alert_recalc, .draw = alert_draw,
	.action = alert_action, .set_filter = alert_set_filter,
	.filter = alert_filter, .cursor = alert_cursor,
	.due_in_ms = alert_due_in_ms, .hints = alert_hints_get,
	.note = alert_note,
};
