/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/approvals.c: four eyes. The changes held for a second operator:
 * pending first (oldest first) with the time left before they expire,
 * decided below (newest first). Enter shows every field; A approves and X
 * rejects through the operation runner. The operator's own requests show
 * greyed and cannot be decided, and neither can anything in read-only
 * mode or without the held request's scope: the note says why. */
#include "views/view.h"
#include "base/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/actflow.h"
#include "views/tview.h"
#include "widgets/fmt.h"

#define EXPIRY_WARN_S 120 /* the countdown is marked under two minutes */

enum { P_STATE, P_KIND, P_TARGET, P_EFFECT, P_BY, P_REASON, P_TICKET, P_AGE,
       P_LEFT, P__N };

static const table_column apr_cols[P__N] = {
	[P_STATE] = { N_("State"), 8, 10, 0, TABLE_LEFT, 1, false },
	[P_KIND] = { N_("Kind"), 18, 20, 0, TABLE_LEFT, 2, false },
	[P_TARGET] = { N_("Target"), 14, 24, 1, TABLE_LEFT, 3, true },
	[P_EFFECT] = { N_("Effect"), 16, 70, 4, TABLE_LEFT, 8, false },
	[P_BY] = { N_("Asked by"), 16, 26, 0, TABLE_LEFT, 5, false },
	[P_REASON] = { N_("Reason"), 8, 30, 2, TABLE_LEFT, 4, false },
	[P_TICKET] = { N_("Ticket"), 6, 12, 0, TABLE_LEFT, 9, false },
	[P_AGE] = { N_("Age"), 5, 7, 0, TABLE_RIGHT, 7, false },
	[P_LEFT] = { N_("Left"), 6, 8, 0, TABLE_RIGHT, 6, false },
};

static const bar_hint apr_hints[] = {
	{ ACT_DETAIL, N_("every field") }, { ACT_APPROVE, N_("approve") },
	{ ACT_REJECT, N_("reject") }, { ACT_FILTER, N_("filter") },
	{ ACT_COMMAND, N_("command") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

typedef struct {
	tview *tv;             /* first: the tview_pane_* callbacks take it */
	view_env env;
	widget_rect rect;
	size_t *rows;          /* store indexes, in display order */
	size_t n;
	uint64_t seen_apr, seen_flow;
	time_t now;
	bool clear_all, detail;
	char detail_id[64];
	char note[512];
	char why_line[512];     /* painted on the pane's last line */
} apr_view;

static const api_approval *apr_of(const apr_view *v, size_t src)
{
	return src < v->n ? store_approval_at(v->env.st, v->rows[src]) : NULL;
}

static bool mine(const apr_view *v, const api_approval *a)
{
	const api_me *me = store_me(v->env.st);
	return me && me->operator_id && strcmp(me->operator_id, a->requested_by) == 0;
}

static size_t apr_count(void *ctx)
{
	return ((apr_view *)ctx)->n;
}

static int apr_cell(void *ctx, size_t src, int col, char *buf, size_t bufsz, int *role)
{
	apr_view *v = ctx;
	const api_approval *a = apr_of(v, src);
	if (!a)
		return -1;
	bool pending = a->state == APR_PENDING;
	if (!pending)
		*role = ROLE_DIM;
	else if (mine(v, a))
		*role = ROLE_DIM; /* the operator's own: shown, not theirs to decide */
	switch (col) {
	case P_STATE:
		fmt_enum(buf, bufsz, a->state == APR_UNKNOWN ? NULL : api_approval_state_str(a->state),
			 a->state_raw);
		if (a->state == APR_FAILED || a->state == APR_REJECTED || a->state == APR_EXPIRED)
			*role = ROLE_WARN;
		else if (a->state == APR_APPROVED)
			*role = ROLE_OK;
		break;
	case P_KIND: snprintf(buf, bufsz, "%s", a->kind); break;
	case P_TARGET: snprintf(buf, bufsz, "%s", a->target_id); break;
	case P_EFFECT:
		if (a->state == APR_FAILED)
			snprintf(buf, bufsz, "%s: %s", a->result_code ? a->result_code : "failed",
				 a->result_detail ? a->result_detail : a->effect);
		else
			snprintf(buf, bufsz, "%s", a->effect);
		break;
	case P_BY:
		if (pending)
			snprintf(buf, bufsz, "%s%s", a->requested_by, mine(v, a) ? _(" (you)") : "");
		else
			snprintf(buf, bufsz, "%s -> %s", a->requested_by, a->decided_by ? a->decided_by : "-");
		break;
	case P_REASON:
		snprintf(buf, bufsz, "%s", pending || !a->decision_reason ? a->req_reason : a->decision_reason);
		break;
	case P_TICKET: snprintf(buf, bufsz, "%s", a->req_ticket); break;
	case P_AGE:
		time_format_age((int64_t)(v->now - a->requested_at), buf, bufsz);
		break;
	case P_LEFT: {
		if (!pending) {
			snprintf(buf, bufsz, "-");
			break;
		}
		int64_t left = (int64_t)(a->expires_at - v->now);
		if (left < 0)
			left = 0;
		char t[24];
		time_format_age(left, t, sizeof t);
		snprintf(buf, bufsz, "%s%s", left < EXPIRY_WARN_S ? "!" : "", t);
		if (left < EXPIRY_WARN_S)
			*role = ROLE_CRIT;
		break;
	}
	default: return -1;
	}
	return 0;
}

static void apr_row_id(void *ctx, size_t src, char *buf, size_t bufsz)
{
	const api_approval *a = apr_of(ctx, src);
	snprintf(buf, bufsz, "%s", a ? a->id : "");
}

static const apr_view *sort_v; /* qsort has no context; one pane at a time */

/* Pending first, oldest first; then decided, newest decision first. */
static int row_cmp(const void *x, const void *y)
{
	const api_approval *a = store_approval_at(sort_v->env.st, *(const size_t *)x);
	const api_approval *b = store_approval_at(sort_v->env.st, *(const size_t *)y);
	bool pa = a->state == APR_PENDING, pb = b->state == APR_PENDING;
	if (pa != pb)
		return pa ? -1 : 1;
	if (pa)
		return a->requested_at < b->requested_at ? -1 : a->requested_at > b->requested_at;
	time_t da = a->decided_at ? a->decided_at : a->expires_at;
	time_t db = b->decided_at ? b->decided_at : b->expires_at;
	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(b->id, a->id);
}

static void *apr_create(const view_env *env)
{
	tview_spec spec = {
		.cols = apr_cols, .ncols = P__N, .count = apr_count, .cell = apr_cell,
		.row_id = apr_row_id, .noun = N_("approvals"), .default_sort = -1,
	};
	return TVIEW_PANE_NEW(apr_view, env, &spec);
}

static void apr_destroy(void *p)
{
	apr_view *v = p;
	if (!v)
		return;
	tview_free(v->tv);
	free(v->rows);
	free(v);
}

static void apr_set_rect(void *p, widget_rect r)
{
	apr_view *v = p;
	v->rect = r;
	widget_rect t = r;
	if (t.h > 2)
		t.h--; /* the last line says why the decision keys are unavailable */
	tview_set_rect(v->tv, t);
	v->clear_all = true;
}

static bool apr_recalc(void *p, time_t now, bool force)
{
	apr_view *v = p;
	uint64_t ga = store_meta_get(v->env.st, STORE_APPROVALS)->gen + store_meta_get(v->env.st, STORE_ME)->gen;
	uint64_t gf = v->env.flow ? flow_gen(v->env.flow) : 0;
	bool tick = now != v->now; /* the countdowns */
	v->now = now;
	if (!force && !tick && ga == v->seen_apr && gf == v->seen_flow)
		return false;
	v->seen_apr = ga;
	v->seen_flow = gf;
	size_t n = store_approval_count(v->env.st);
	size_t *rows = realloc(v->rows, (n ? n : 1) * sizeof *rows);
	if (!rows)
		return false;
	v->rows = rows;
	for (size_t i = 0; i < n; i++)
		rows[i] = i;
	sort_v = v;
	qsort(rows, n, sizeof *rows, row_cmp);
	v->n = n;
	tview_rebuild(v->tv);
	tview_invalidate(v->tv);
	v->clear_all = v->clear_all || v->detail;
	return true;
}

static bool why_draw(apr_view *v, WINDOW *win, bool full);

static void detail_draw(apr_view *v, WINDOW *win)
{
	widget_rect r = v->rect;
	const api_approval *a = store_approval_find(v->env.st, v->detail_id);
	widget_clear(win, r, ROLE_NORMAL);
	if (!a) {
		widget_put(win, r.y, r.x, r.w, _("this approval is no longer listed"), 0, ROLE_WARN);
		return;
	}
	char left[24], line[1200];
	time_format_age((int64_t)(a->expires_at - v->now) > 0 ? (int64_t)(a->expires_at - v->now) : 0,
			left, sizeof left);
	char req[32], exp[32], dec[32];
	fmt_time(req, sizeof req, a->requested_at, v->now);
	fmt_time(exp, sizeof exp, a->expires_at, v->now);
	fmt_time(dec, sizeof dec, a->decided_at, v->now);
	const struct { const char *k, *val; } f[] = {
		{ "id", a->id }, { "state", a->state_raw }, { "kind", a->kind },
		{ "target_type", a->target_type }, { "target_id", a->target_id },
		{ "effect", a->effect }, { "request", a->request_json },
		{ "requested_by", a->requested_by }, { "requested_at", req },
		{ "expires_at", exp }, { "time left", a->state == APR_PENDING ? left : "-" },
		{ "decided_by", a->decided_by ? a->decided_by : "-" }, { "decided_at", dec },
		{ "decision_reason", a->decision_reason ? a->decision_reason : "-" },
		{ "result", a->result_json ? a->result_json : "-" },
	};
	int y = r.y;
	snprintf(line, sizeof line, _("Approval %s (version %lld, target version %lld)"), a->id,
		 (long long)a->version, (long long)a->target_version);
	widget_put(win, y++, r.x, r.w, line, 0, ROLE_TITLE);
	for (size_t i = 0; i < sizeof f / sizeof f[0] && y < r.y + r.h; i++) {
		snprintf(line, sizeof line, "%-16s %s", f[i].k, f[i].val ? f[i].val : "");
		widget_put(win, y++, r.x, r.w, line, 0, api_bad_has(&a->bad, f[i].k) ? ROLE_WARN : ROLE_NORMAL);
	}
}

static bool apr_draw(void *p, WINDOW *win, bool full)
{
	apr_view *v = p;
	if (v->detail) {
		if (full || v->clear_all) {
			detail_draw(v, win);
			why_draw(v, win, true);
			v->clear_all = false;
			return true;
		}
		return false;
	}
	bool painted = false;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		tview_invalidate(v->tv);
		v->clear_all = false;
		painted = true;
	}
	if (tview_needs(v->tv) && tview_draw(v->tv, win) > 0)
		painted = true;
	if (why_draw(v, win, painted))
		painted = true;
	return painted;
}

/* Why the selected approval cannot be decided here ("" when it can). */
static const char *why_not_line(apr_view *v, char *buf, size_t bufsz)
{
	const api_approval *a = v->detail ? store_approval_find(v->env.st, v->detail_id) :
				apr_of(v, tview_selected(v->tv));
	ops *r = v->env.flow ? flow_ops(v->env.flow) : NULL;
	char why[300];
	buf[0] = '\0';
	if (a && r && a->state == APR_PENDING && ops_approval_why_not(r, a, why, sizeof why))
		/* TRANSLATORS: approval id, why approve/reject are unavailable */
		snprintf(buf, bufsz, _("%s: approve/reject unavailable: %s"), a->id, why);
	return buf;
}

static bool why_draw(apr_view *v, WINDOW *win, bool full)
{
	char line[512];
	why_not_line(v, line, sizeof line);
	if (!full && strcmp(line, v->why_line) == 0)
		return false;
	snprintf(v->why_line, sizeof v->why_line, "%s", line);
	widget_rect r = v->rect;
	if (r.h > 2)
		widget_put(win, r.y + r.h - 1, r.x, r.w, line, 0, ROLE_DIM);
	return true;
}

static void say(apr_view *v, int sev, const char *text)
{
	if (v->env.message)
		v->env.message(v->env.ctx, sev, text);
}

static int decide(apr_view *v, act_approval_decision d, wint_t key)
{
	const api_approval *a = v->detail ? store_approval_find(v->env.st, v->detail_id) :
				apr_of(v, tview_selected(v->tv));
	if (!a) {
		say(v, MSG_ERROR, _("no approval selected"));
		return VIEW_HANDLED;
	}
	ops *r = v->env.flow ? flow_ops(v->env.flow) : NULL;
	if (!r) {
		say(v, MSG_ERROR, _("no operation runner: nothing can be decided here"));
		return VIEW_HANDLED;
	}
	ops_approval(r, a->id, d, key);
	return VIEW_HANDLED;
}

static int apr_action(void *p, keymap_action a)
{
	apr_view *v = p;
	if (a == ACT_APPROVE || a == ACT_REJECT)
		return decide(v, a == ACT_APPROVE ? ACT_APR_APPROVE : ACT_APR_REJECT, 0);
	if (v->detail) {
		if (a == ACT_BACK || a == ACT_DETAIL) {
			v->detail = false;
			v->clear_all = true;
			return VIEW_HANDLED;
		}
		return VIEW_IGNORED;
	}
	if (a == ACT_DETAIL) {
		const api_approval *x = apr_of(v, tview_selected(v->tv));
		if (!x)
			return VIEW_HANDLED;
		snprintf(v->detail_id, sizeof v->detail_id, "%s", x->id);
		v->detail = true;
		v->clear_all = true;
		return VIEW_HANDLED;
	}
	if (tview_handle(v->tv, a))
		return VIEW_HANDLED;
	switch (a) {
	case ACT_SORT: tview_sort_next(v->tv); return VIEW_HANDLED;
	case ACT_SORT_REVERSE: tview_sort_reverse(v->tv); return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
}

static void apr_set_filter(void *p, const char *f)
{
	tview_set_filter(((apr_view *)p)->tv, f);
}

static bool apr_cursor(const void *p, int *y, int *x)
{
	const apr_view *v = p;
	return v->detail ? false : tview_cursor(v->tv, y, x);
}

static long apr_due_in_ms(const void *p, time_t now)
{
	const apr_view *v = p;
	(void)now;
	for (size_t i = 0; i < v->n; i++) {
		const api_approval *a = apr_of(v, i);
		if (a && a->state == APR_PENDING)
			return 1000; /* the countdown */
	}
	return -1;
}

static size_t apr_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = apr_hints;
	return sizeof apr_hints / sizeof apr_hints[0];
}

/* Why the selected approval cannot be decided here, said under the table
 * (the decision keys are greyed for the same reason). */
static const char *apr_note(const void *p)
{
	apr_view *v = (apr_view *)p;
	if (*why_not_line(v, v->note, sizeof v->note))
		return v->note;
	const char *f = tview_filter(v->tv);
	if (!*f)
		return NULL;
	snprintf(v->note, sizeof v->note, _("filter '%s': %zu of %zu approvals"), f,
		 tview_shown(v->tv), v->n);
	return v->note;
}

static bool apr_select(void *p, const char *id)
{
	return tview_select_id(((apr_view *)p)->tv, id);
}

const view_class view_approvals = {
	.name = "approvals", .title = N_("Approvals"),
	.create = apr_create, .destroy = apr_destroy,
	.set_rect = apr_set_rect, .recalc = apr_recalc, .draw = apr_draw,
	.action = apr_action, .set_filter = apr_set_filter,
	.filter = tview_pane_filter, .cursor = apr_cursor,
	.due_in_ms = apr_due_in_ms, .hints = apr_hints_get,
	.note = apr_note, .select = apr_select,
};
