/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/audit.c: the Audit pane: the operator action log, newest first,
 * read back from the SQLite log the actions write (other consoles on the
 * same host share it, so it is re-read every few seconds while shown and
 * after each action). `/` filters; Enter shows a row's every field. */
#include "views/view.h"
#include "base/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "text/text.h"
#include "views/actflow.h"
#include "views/tview.h"

#define AUDIT_ROWS_MAX 2000  /* newest rows held; `payops audit` has all */
#define AUDIT_REFRESH_MS 3000

enum { A_TIME, A_OPER, A_ACTION, A_TARGET, A_OUTCOME, A_REASON, A_REQ, A__N };

static const table_column audit_cols[A__N] = {
	[A_TIME] = { N_("Time (UTC)"), 19, 19, 0, TABLE_LEFT },
	[A_OPER] = { N_("Operator"), 8, 20, 1, TABLE_LEFT },
	[A_ACTION] = { N_("Action"), 12, 22, 1, TABLE_LEFT },
	[A_TARGET] = { N_("Target"), 12, 28, 2, TABLE_LEFT },
	[A_OUTCOME] = { N_("Outcome"), 8, 28, 1, TABLE_LEFT },
	[A_REASON] = { N_("Reason"), 10, 60, 3, TABLE_LEFT },
	[A_REQ] = { N_("Request id"), 10, 36, 1, TABLE_LEFT },
};

static const bar_hint audit_hints[] = {
	{ ACT_DETAIL, N_("whole row") }, { ACT_FILTER, N_("filter") },
	{ ACT_SORT, N_("sort") }, { ACT_REFRESH, N_("refresh") },
	{ ACT_COMMAND, N_("command") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};
static const bar_hint detail_hints[] = {
	{ ACT_BACK, N_("close") }, { ACT_UP, N_("previous") }, { ACT_DOWN, N_("next") },
	{ ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

enum { F_TIME, F_KIND, F_OPER, F_USER, F_HOST, F_SITE, F_ACTION, F_TARGET,
       F_IFACE, F_BEFORE, F_AFTER, F_REASON, F_TICKET, F_KEY, F_REQ,
       F_OUTCOME, F_CODE, F_DETAIL, F_PREV, F_HASH, F__N };

static const char *const field_names[F__N] = {
	N_("time"), N_("kind"), N_("operator"), N_("local user"), N_("host"), N_("site"),
	N_("action"), N_("target"), N_("interface"), N_("state before"), N_("state after"),
	N_("reason"), N_("ticket"), N_("idempotency key"), N_("request id"), N_("outcome"),
	N_("code"), N_("detail"), N_("prev hash"), N_("hash"),
};

typedef struct {
	tview *tv;             /* first: the tview_pane_* callbacks take it */
	view_env env;
	widget_rect rect, detail;
	struct audit_rows rows;     /* the newest, newest first */
	int64_t head_count, head_seq;
	int64_t checked_ms;     /* when the head was last looked at */
	uint64_t seen_flow;
	bool detail_open, detail_dirty, clear_all, loaded;
	char note[160];
	char err[200];
} audit_view;

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Re-read when the log's head moved (or force). True when rows changed. */
static bool reload(audit_view *v, bool force)
{
	struct audit_log *log = v->env.audit;
	if (!log)
		return false;
	int64_t count = 0, last = 0;
	char hash[65];
	v->checked_ms = mono_ms();
	if (audit_head(log, &count, &last, hash) != AUDIT_OK) {
		snprintf(v->err, sizeof v->err, _("audit log: %s"), audit_errmsg(log));
		return false;
	}
	if (!force && v->loaded && count == v->head_count && last == v->head_seq)
		return false;
	struct audit_filter f = { .limit = AUDIT_ROWS_MAX };
	struct audit_rows rows;
	if (audit_rows_read(log, &f, &rows) != AUDIT_OK) {
		snprintf(v->err, sizeof v->err, _("audit log: %s"), audit_errmsg(log));
		return false;
	}
	audit_rows_free(&v->rows);
	v->rows = rows;
	v->head_count = count;
	v->head_seq = last;
	v->loaded = true;
	v->err[0] = '\0';
	return true;
}

static size_t audit_count(void *ctx)
{
	audit_view *v = ctx;
	return v->rows.n;
}

static int audit_cell(void *ctx, size_t src, int col, char *buf, size_t bufsz,
		      int *role)
{
	audit_view *v = ctx;
	if (src >= v->rows.n)
		return -1;
	const struct audit_row *a = v->rows.row[src];
	switch (col) {
	case A_TIME:
		/* 2026-11-21T08:15:00.123Z -> 2026-11-21 08:15:00 */
		snprintf(buf, bufsz, "%.10s %.8s", a->time,
			 strlen(a->time) > 11 ? a->time + 11 : "");
		break;
	case A_OPER:
		snprintf(buf, bufsz, "%s", *a->operator_id ? a->operator_id : a->local_user);
		break;
	case A_ACTION: snprintf(buf, bufsz, "%s", a->action); break;
	case A_TARGET:
		snprintf(buf, bufsz, "%s%s%s", a->target,
			 *a->interface ? " " : "", a->interface);
		break;
	case A_OUTCOME:
		if (strcmp(a->kind, "intent") == 0) {
			snprintf(buf, bufsz, _("intent #%lld"), (long long)a->seq);
			*role = ROLE_DIM;
		} else {
			/* the code when it says more than "it worked" */
			bool code = *a->code && strcmp(a->code, "200") != 0;
			snprintf(buf, bufsz, "%s%s%s (#%lld)", a->outcome,
				 code ? " " : "", code ? a->code : "",
				 (long long)a->intent_seq);
			*role = strcmp(a->outcome, "applied") == 0 ? ROLE_OK :
				strcmp(a->outcome, "pending_approval") == 0 ?
				ROLE_NORMAL : ROLE_WARN;
		}
		break;
	case A_REASON:
		snprintf(buf, bufsz, "%s%s%s", a->reason,
			 *a->ticket ? " [" : "", *a->ticket ? a->ticket : "");
		if (*a->ticket) {
			size_t l = strlen(buf);
			snprintf(buf + l, bufsz - l, "]");
		}
		break;
	case A_REQ: snprintf(buf, bufsz, "%s", a->request_id); break;
	default: return -1;
	}
	return 0;
}

static bool audit_numkey(void *ctx, size_t src, int col, double *num)
{
	audit_view *v = ctx;
	if (col != A_TIME || src >= v->rows.n)
		return false;
	*num = (double)v->rows.row[src]->seq;
	return true;
}

static void audit_row_id(void *ctx, size_t src, char *buf, size_t bufsz)
{
	audit_view *v = ctx;
	snprintf(buf, bufsz, "%lld", src < v->rows.n ? (long long)v->rows.row[src]->seq : 0LL);
}

static void *audit_create(const view_env *env)
{
	tview_spec spec = {
		.cols = audit_cols, .ncols = A__N, .count = audit_count,
		.cell = audit_cell, .numkey = audit_numkey,
		.row_id = audit_row_id, .noun = N_("audit rows"), .default_sort = -1,
	};
	return TVIEW_PANE_NEW(audit_view, env, &spec);
}

static void audit_destroy(void *p)
{
	audit_view *v = p;
	if (!v)
		return;
	tview_free(v->tv);
	audit_rows_free(&v->rows);
	free(v);
}

static void audit_layout(audit_view *v)
{
	widget_rect t = v->rect;
	if (v->detail_open) {
		int dh = v->rect.h - 6;
		if (dh > F__N + 2)
			dh = F__N + 2;
		if (dh < 3)
			dh = v->rect.h - 2;
		t.h = v->rect.h - dh;
		v->detail = (widget_rect){ t.y + t.h, v->rect.x, dh, v->rect.w };
	}
	tview_set_rect(v->tv, t);
	v->clear_all = true;
	v->detail_dirty = true;
}

static void audit_set_rect(void *p, widget_rect r)
{
	audit_view *v = p;
	v->rect = r;
	audit_layout(v);
}

static bool audit_recalc(void *p, time_t now, bool force)
{
	audit_view *v = p;
	(void)now;
	uint64_t fg = v->env.flow ? flow_gen(v->env.flow) : 0;
	bool due = mono_ms() - v->checked_ms >= AUDIT_REFRESH_MS;
	if (!force && !due && fg == v->seen_flow && v->loaded)
		return false;
	v->seen_flow = fg;
	if (!reload(v, false) && !force)
		return false;
	tview_rebuild(v->tv);
	v->detail_dirty = true;
	return true;
}

static void audit_detail_draw(audit_view *v, WINDOW *win)
{
	widget_rect r = v->detail;
	widget_clear(win, r, ROLE_NORMAL);
	size_t src = tview_selected(v->tv);
	int y = r.y;
	if (src == SIZE_MAX || src >= v->rows.n) {
		widget_put(win, y, r.x, r.w, _("no row selected"), 0, ROLE_DIM);
		return;
	}
	const struct audit_row *a = v->rows.row[src];
	const char *const val[F__N] = {
		a->time, a->kind, a->operator_id, a->local_user, a->host, a->site,
		a->action, a->target, a->interface, a->state_before,
		a->state_after, a->reason, a->ticket, a->idempotency_key,
		a->request_id, a->outcome, a->code, a->detail, a->prev_hash,
		a->hash,
	};
	char line[1024];
	snprintf(line, sizeof line, _("row #%lld"), (long long)a->seq);
	if (a->intent_seq) {
		size_t l = strlen(line);
		snprintf(line + l, sizeof line - l, _(", outcome of intent #%lld"),
			 (long long)a->intent_seq);
	}
	widget_put(win, y++, r.x, r.w, line, 0, ROLE_TITLE);
	for (int i = 0; i < F__N && y < r.y + r.h; i++) {
		/* the label padded by display width: Chinese labels stay aligned */
		char lab[64];
		text_fit(_(field_names[i]), 16, TEXT_PAD, lab, sizeof lab);
		snprintf(line, sizeof line, "%s %s", lab, val[i]);
		widget_put(win, y++, r.x, r.w, line, 0, ROLE_NORMAL);
	}
}

static bool audit_draw(void *p, WINDOW *win, bool full)
{
	audit_view *v = p;
	bool painted = false;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		tview_invalidate(v->tv);
		v->clear_all = false;
		v->detail_dirty = true;
		painted = true;
	}
	if (!v->env.audit) {
		widget_put(win, v->rect.y + 1, v->rect.x + 2, v->rect.w - 2,
			   _("the audit log could not be opened: actions are disabled "
			   "(payops --paths shows where it lives)"), 0, ROLE_CRIT);
		return painted;
	}
	if (tview_needs(v->tv)) {
		if (v->detail_open)
			v->detail_dirty = true;
		if (tview_draw(v->tv, win) > 0)
			painted = true;
	}
	if (v->detail_open && v->detail_dirty) {
		audit_detail_draw(v, win);
		painted = true;
	}
	v->detail_dirty = false;
	return painted;
}

static int audit_action(void *p, keymap_action a)
{
	audit_view *v = p;
	if (tview_handle(v->tv, a)) {
		v->detail_dirty = true;
		return VIEW_HANDLED;
	}
	switch (a) {
	case ACT_DETAIL:
		v->detail_open = true;
		audit_layout(v);
		return VIEW_HANDLED;
	case ACT_BACK:
		if (!v->detail_open)
			return VIEW_IGNORED;
		v->detail_open = false;
		audit_layout(v);
		return VIEW_HANDLED;
	case ACT_SORT: tview_sort_next(v->tv); return VIEW_HANDLED;
	case ACT_SORT_REVERSE: tview_sort_reverse(v->tv); return VIEW_HANDLED;
	case ACT_REFRESH:
		if (reload(v, true))
			tview_rebuild(v->tv);
		return VIEW_IGNORED; /* the app refreshes the platform too */
	default: return VIEW_IGNORED;
	}
}

static void audit_set_filter(void *p, const char *f)
{
	audit_view *v = p;
	tview_set_filter(v->tv, f);
	v->detail_dirty = true;
}

static long audit_due_in_ms(const void *p, time_t now)
{
	const audit_view *v = p;
	(void)now;
	if (!v->env.audit)
		return -1;
	int64_t left = AUDIT_REFRESH_MS - (mono_ms() - v->checked_ms);
	return left > 0 ? (long)left : 0;
}

static size_t audit_hints_get(const void *p, const bar_hint **out)
{
	const audit_view *v = p;
	if (v->detail_open) {
		*out = detail_hints;
		return sizeof detail_hints / sizeof detail_hints[0];
	}
	*out = audit_hints;
	return sizeof audit_hints / sizeof audit_hints[0];
}

static const char *audit_note(const void *p)
{
	audit_view *v = (audit_view *)p;
	if (v->err[0])
		return v->err;
	const char *f = tview_filter(v->tv);
	if (!*f)
		return NULL;
	snprintf(v->note, sizeof v->note, _("filter '%s': %zu of %zu rows"), f,
		 tview_shown(v->tv), v->rows.n);
	return v->note;
}

static bool audit_select(void *p, const char *id)
{
	audit_view *v = p;
	tview_rebuild(v->tv);
	return tview_select_id(v->tv, id);
}

const view_class view_audit = {
	.name = "audit", .title = N_("Audit"),
	.create = audit_create, .destroy = audit_destroy,
	.set_rect = audit_set_rect, .recalc = audit_recalc, .draw = audit_draw,
	.action = audit_action, .set_filter = audit_set_filter,
	.filter = tview_pane_filter, .cursor = tview_pane_cursor,
	.due_in_ms = audit_due_in_ms, .hints = audit_hints_get,
	.note = audit_note, .select = audit_select,
	.table = tview_pane_table, .sort_by = tview_pane_sort_by,
};
