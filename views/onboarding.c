/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/onboarding.c: the merchant onboarding queue, paged from the cache,
 * soonest SLA first, with counts per stage and the SLA countdown marked at
 * risk and breached in words; approve, reject, return, assign through the
 * confirmation dialog. */
#include "views/view.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "widgets/fmt.h"
#include "views/qlist.h"
#include "views/queue.h"
#include "widgets/fmt.h"

enum { O_ID, O_MERCHANT, O_CATEGORY, O_STAGE, O_RISK, O_CHECKS, O_AGE, O_SLA,
       O_ASSIGNEE, O__N };

static const table_column ob_cols[O__N] = {
	[O_ID] = { N_("ID"), 11, 13, 0, TABLE_LEFT, 1, true },
	[O_MERCHANT] = { N_("Merchant"), 16, 30, 3, TABLE_LEFT },
	[O_CATEGORY] = { N_("Category"), 10, 14, 0, TABLE_LEFT },
	[O_STAGE] = { N_("Stage"), 13, 14, 0, TABLE_LEFT },
	[O_RISK] = { N_("Risk"), 12, 12, 0, TABLE_LEFT },
	[O_CHECKS] = { N_("Checks"), 11, 16, 0, TABLE_LEFT },
	[O_AGE] = { N_("Age"), 6, 7, 0, TABLE_RIGHT },
	[O_SLA] = { N_("SLA"), 22, 24, 0, TABLE_LEFT },
	[O_ASSIGNEE] = { N_("Assignee"), 8, 12, 0, TABLE_LEFT },
};

static const bar_hint ob_hints[] = {
	{ ACT_DETAIL, N_("checks") }, { ACT_FILTER, N_("filter") }, { ACT_SORT, N_("sort") },
	{ ACT_MARK, N_("mark") }, { ACT_APPROVE, N_("approve") }, { ACT_REJECT, N_("reject") },
	{ ACT_RETURN, N_("return") }, { ACT_ASSIGN, N_("assign") }, { ACT_HELP, N_("help") },
};

static const struct { cache_case_sort s; int col; bool desc; const char *word; } sorts[] = {
	{ CACHE_CASE_SORT_SLA, O_SLA, false, N_("SLA due") },
	{ CACHE_CASE_SORT_RISK, O_RISK, true, N_("risk, SLA") },
	{ CACHE_CASE_SORT_SUBMITTED, O_AGE, false, N_("newest") },
	{ CACHE_CASE_SORT_STAGE, O_STAGE, false, N_("stage, SLA") },
	{ CACHE_CASE_SORT_ID, O_ID, false, N_("id") },
};
#define N_SORTS (sizeof sorts / sizeof sorts[0])

typedef struct {
	qpane b;                     /* first: the shared pane callbacks take it */
	cache_case_counts n;         /* of the filter, and per stage */
} ob_view;

static const char *case_id(const void *r) { return ((const api_case *)r)->id; }
static int64_t case_ver(const void *r) { return ((const api_case *)r)->version; }
static void case_free(void *r) { api_case_free(r); }

static int64_t ob_count(void *ctx)
{
	ob_view *v = ctx;
	if (!v->b.env.cache)
		return 0;
	cache_case_filter f;
	queue_filter_cases(&v->b.qf, &f);
	if (cache_count_cases_by_stage(v->b.env.cache, &f, v->b.now, &v->n) != 0)
		return -1;
	return v->n.count;
}

static int push_case(void *w, api_case *c) { return qpane_push(w, c); }

static long ob_fetch(void *ctx, size_t off, size_t limit, queue_win *w)
{
	ob_view *v = ctx;
	if (!v->b.env.cache)
		return 0;
	cache_case_filter f;
	queue_filter_cases(&v->b.qf, &f);
	return cache_query_cases(v->b.env.cache, &f, sorts[v->b.sort].s, off, limit,
				 push_case, w);
}

static void stage_text(char *buf, size_t sz, const api_case *c)
{
	const char *w = api_stage_str(c->stage);
	fmt_enum(buf, sz, w && strcmp(w, "?") ? w : NULL, c->stage_raw);
}

static term_role risk_text(char *buf, size_t sz, const api_case *c)
{
	char w[32];
	fmt_enum(w, sizeof w, queue_risk_word(c->risk_level), c->risk_level_raw);
	const char *mark = c->risk_level == RISK_HIGH ? "!! " :
			   c->risk_level == RISK_MEDIUM ? "! " : "";
	if (api_bad_has(&c->bad, "risk_score"))
		snprintf(buf, sz, "%s%s %s", mark, w, FMT_BAD);
	else if (c->risk_score >= 0)
		snprintf(buf, sz, "%s%s %d", mark, w, c->risk_score);
	else
		snprintf(buf, sz, "%s%s", mark, w);
	return c->risk_level == RISK_HIGH ? ROLE_CRIT : c->risk_level == RISK_MEDIUM ?
		ROLE_WARN : ROLE_NORMAL;
}

/* "3ok 1warn 1FAIL 1?" in as few columns as it takes */
static term_role checks_text(char *buf, size_t sz, const api_case *c)
{
	int n[CHECK_UNKNOWN + 1] = {0};
	for (size_t i = 0; i < c->n_checks; i++)
		n[c->checks[i].result <= CHECK_UNKNOWN ? c->checks[i].result : CHECK_UNKNOWN]++;
	int len = snprintf(buf, sz, "%dok", n[CHECK_PASS]);
	if (n[CHECK_WARN] && len < (int)sz)
		len += snprintf(buf + len, sz - (size_t)len, " %dwarn", n[CHECK_WARN]);
	if (n[CHECK_FAIL] && len < (int)sz)
		len += snprintf(buf + len, sz - (size_t)len, " %dFAIL", n[CHECK_FAIL]);
	if ((n[CHECK_PENDING] || n[CHECK_UNKNOWN]) && len < (int)sz)
		snprintf(buf + len, sz - (size_t)len, " %d?", n[CHECK_PENDING] + n[CHECK_UNKNOWN]);
	return n[CHECK_FAIL] ? ROLE_CRIT : n[CHECK_WARN] ? ROLE_WARN : ROLE_NORMAL;
}

/* The field of the case each column shows, so a refused one is "?". */
static const char *const ob_fields[O__N] = {
	[O_MERCHANT] = "merchant_name", [O_CATEGORY] = "category",
	[O_STAGE] = "stage", [O_RISK] = "risk_level", [O_CHECKS] = "checks",
	[O_AGE] = "submitted_at", [O_SLA] = "sla_due_at",
	[O_ASSIGNEE] = "assignee",
};

static int ob_cell(void *ctx, const void *row, int col, char *buf, size_t sz,
		   int *role)
{
	ob_view *v = ctx;
	const api_case *c = row;
	if (col >= 0 && col < O__N && ob_fields[col] &&
	    fmt_bad(buf, sz, &c->bad, ob_fields[col], role))
		return 0;
	/* the SLA counts from submission too */
	if (col == O_SLA && fmt_bad(buf, sz, &c->bad, "submitted_at", role))
		return 0;
	switch (col) {
	case O_ID: snprintf(buf, sz, "%s", c->id); break;
	case O_MERCHANT: snprintf(buf, sz, "%s", c->merchant_name); break;
	case O_CATEGORY: snprintf(buf, sz, "%s", c->category); break;
	case O_STAGE: stage_text(buf, sz, c); break;
	case O_RISK: *role = risk_text(buf, sz, c); break;
	case O_CHECKS: *role = checks_text(buf, sz, c); break;
	case O_AGE: time_format_age(v->b.now - c->submitted_at, buf, sz); break;
	case O_SLA: {
		queue_sla s = queue_sla_state(c->submitted_at, c->sla_due_at, v->b.now,
					      queue_case_final(c->stage));
		*role = queue_sla_text(buf, sz, s, c->sla_due_at, v->b.now);
		break;
	}
	case O_ASSIGNEE: snprintf(buf, sz, "%s", c->assignee ? c->assignee : "-"); break;
	default: return -1;
	}
	return 0;
}

static void ob_layout(void *p)
{
	ob_view *v = p;
	widget_rect r = v->b.rect;
	int det_h = 0;
	if (v->b.detail_open)
		det_h = r.h >= 24 ? 10 : r.h / 2;
	int list_h = r.h - 2 - det_h; /* two lines of counts */
	if (list_h < 2)
		list_h = 2;
	v->b.list_rect = (widget_rect){ r.y + 2, r.x, list_h, r.w };
	v->b.det_rect = (widget_rect){ r.y + 2 + list_h, r.x, det_h, r.w };
	qlist_set_rect(v->b.q, v->b.list_rect);
	v->b.clear_all = true;
}

static void *ob_create(const view_env *env)
{
	qlist_spec spec = {
		.cols = ob_cols, .ncols = O__N, .elem = sizeof(api_case),
		.free_elem = case_free, .count = ob_count, .fetch = ob_fetch,
		.cell = ob_cell, .row_id = case_id, .row_version = case_ver,
		.marks = true, .empty = env->cache ? _("no onboarding cases match") :
			_("no cache: cases need the cache (see the start-up message)"),
	};
	return qpane_new(sizeof(ob_view), env, &spec, ob_layout, sorts[0].col,
			 sorts[0].desc);
}

static void ob_destroy(void *p)
{
	ob_view *v = p;
	if (!v)
		return;
	qpane_destroy(&v->b);
	free(v);
}

static bool ob_recalc(void *p, time_t now, bool force)
{
	ob_view *v = p;
	bool ret;
	/* a new minute moves every countdown and may breach an SLA: count again */
	if (qpane_changed(&v->b, STORE_CASES, now, force, true, &ret)) {
		qlist_reload(v->b.q, now);
		v->b.dirty = true;
	}
	return ret;
}

static void draw_head(void *p, WINDOW *win)
{
	ob_view *v = p;
	char line[600];
	int n = snprintf(line, sizeof line, _("%lld cases, %lld past SLA   sort: %s"),
			 (long long)v->n.count, (long long)v->n.sla_breached,
			 _(sorts[v->b.sort].word));
	qpane_head_tail(&v->b, line, sizeof line, n, NULL);
	widget_put(win, v->b.rect.y, v->b.rect.x, v->b.rect.w, line, 0,
		   v->n.sla_breached || v->b.ferr[0] ? ROLE_WARN : ROLE_TITLE);
	n = 0;
	line[0] = '\0';
	for (int s = 0; s < STAGE_UNKNOWN && n < (int)sizeof line; s++)
		n += snprintf(line + n, sizeof line - (size_t)n, "%s%s %lld",
			      s ? "  " : "", api_stage_str((api_stage)s),
			      (long long)v->n.by_stage[s]);
	widget_put(win, v->b.rect.y + 1, v->b.rect.x, v->b.rect.w, line, 0, ROLE_NORMAL);
}

static void draw_detail(void *p, WINDOW *win)
{
	ob_view *v = p;
	widget_rect r = v->b.det_rect;
	if (r.h <= 0)
		return;
	widget_clear(win, r, ROLE_NORMAL);
	const api_case *c = qlist_selected(v->b.q);
	int y = r.y;
	char line[800], st[40], rk[40], sla[64], t1[40], t2[40];
	if (!c) {
		qpane_put(win, &r, &y, 0, _("no case selected"), ROLE_DIM);
		return;
	}
	stage_text(st, sizeof st, c);
	risk_text(rk, sizeof rk, c);
	queue_sla s = queue_sla_state(c->submitted_at, c->sla_due_at, v->b.now,
				      queue_case_final(c->stage));
	term_role sr = queue_sla_text(sla, sizeof sla, s, c->sla_due_at, v->b.now);
	/* TRANSLATORS: case id, merchant name (merchant id), MCC, category,
	 * stage and risk (enum values) */
	snprintf(line, sizeof line, _("%s  %s (%s)  mcc %s %s  stage %s  risk %s"), c->id,
		 c->merchant_name, c->merchant_id, c->mcc, c->category, st, rk);
	qpane_put(win, &r, &y, 0, line, ROLE_TITLE);
	/* what the platform sent out of the contract, and why it is "?" */
	if (fmt_bad_line(line, sizeof line, &c->bad))
		qpane_put(win, &r, &y, 0, line, ROLE_WARN);
	time_format_rfc3339(c->submitted_at, t1, sizeof t1);
	time_format_rfc3339(c->sla_due_at, t2, sizeof t2);
	/* TRANSLATORS: time, source (an enum value), channel requested, SLA
	 * due time and state, assignee, version */
	snprintf(line, sizeof line, _("submitted %s via %s for %s   SLA due %s: %s   "
		 "assignee %s   version %lld"), t1, c->source_raw, c->channel_requested,
		 t2, sla, c->assignee ? c->assignee : "-", (long long)c->version);
	qpane_put(win, &r, &y, 0, line, sr == ROLE_NORMAL ? ROLE_NORMAL : (term_role)sr);
	if (c->n_checks == 0)
		qpane_put(win, &r, &y, 0, _("checks: none"), ROLE_DIM);
	for (size_t i = 0; i < c->n_checks; i++) {
		const api_check *k = &c->checks[i];
		const char *w = k->result == CHECK_PASS ? "+ pass" :
				k->result == CHECK_WARN ? "! warn" :
				k->result == CHECK_FAIL ? "x FAIL" :
				k->result == CHECK_PENDING ? "? pending" : NULL;
		char rw[40];
		fmt_enum(rw, sizeof rw, w, k->result_raw);
		char kn[128], kr[64]; /* padded by display width */
		int wn = text_width(k->name), wr = text_width(rw);
		text_fit(k->name, wn > 24 ? wn : 24, TEXT_PAD, kn, sizeof kn);
		text_fit(rw, wr > 10 ? wr : 10, TEXT_PAD, kr, sizeof kr);
		snprintf(line, sizeof line, "  %s %s %s", kn, kr, k->detail);
		qpane_put(win, &r, &y, 0, line, k->result == CHECK_FAIL ? ROLE_CRIT :
		    k->result == CHECK_WARN ? ROLE_WARN : ROLE_NORMAL);
	}
}

static bool ob_draw(void *p, WINDOW *win, bool full)
{
	return qpane_draw(p, win, full, draw_head, draw_detail, false);
}

static void ob_act(ob_view *v, keymap_action a)
{
	act_case_decision d = a == ACT_APPROVE ? ACT_CASE_APPROVE :
		a == ACT_REJECT ? ACT_CASE_REJECT : a == ACT_RETURN ?
		ACT_CASE_RETURN : ACT_CASE_ASSIGN;
	static const char *const titles[] = { N_("Approve cases"), N_("Reject cases"),
		N_("Return cases for information"), N_("Assign cases") };
	static const char *const labels[] = { N_("Approve"), N_("Reject"), N_("Return"),
		N_("Assign") };
	ops_rows_spec spec = {
		.kind = ACT_CASE_DECISION, .verb = (int)d, .title = _(titles[d]),
		.label = _(labels[d]), .opened_by = qpane_key(a),
		.extra_label = d == ACT_CASE_ASSIGN ? _("Assignee (operator id)") : NULL,
		.extra_required = d == ACT_CASE_ASSIGN,
	};
	qpane_submit(&v->b, &spec);
}

static int ob_action(void *p, keymap_action a)
{
	ob_view *v = p;
	switch (a) {
	case ACT_APPROVE: case ACT_REJECT: case ACT_RETURN: case ACT_ASSIGN:
		ob_act(v, a);
		return VIEW_HANDLED;
	case ACT_SORT: case ACT_SORT_REVERSE:
	case ACT_SORT_PREV_COL: case ACT_SORT_NEXT_COL:
		/* the sortable columns are the sort orders: < > step them */
		qpane_sort_step(&v->b, a == ACT_SORT_NEXT_COL ? ACT_SORT :
				a == ACT_SORT_PREV_COL ? ACT_SORT_REVERSE : a, N_SORTS);
		table_set_sort(qlist_table(v->b.q), sorts[v->b.sort].col, sorts[v->b.sort].desc);
		qlist_reload(v->b.q, v->b.now);
		v->b.dirty = true;
		return VIEW_HANDLED;
	default:
		return qpane_action(&v->b, a);
	}
}

static void ob_set_filter(void *p, const char *f)
{
	ob_view *v = p;
	qpane_parse_filter(&v->b, QUEUE_CASES, f);
	qlist_reload(v->b.q, v->b.now);
	v->b.dirty = true;
}

static size_t ob_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = ob_hints;
	return sizeof ob_hints / sizeof ob_hints[0];
}

static const char *ob_note(const void *p)
{
	ob_view *v = (ob_view *)p;
	char sum[100];
	snprintf(sum, sizeof sum, _("%lld cases, %lld past SLA"), (long long)v->n.count,
		 (long long)v->n.sla_breached);
	return qpane_note_for(&v->b, sum);
}

/* The pane sorts in the query: by the columns its sort orders name, in
 * their direction. */
static int ob_order(size_t i, bool *desc)
{
	*desc = sorts[i].desc;
	return sorts[i].col;
}

static bool obx_sort_by(void *p, int col, bool desc)
{
	(void)desc;
	return qpane_sort_col(p, col, N_SORTS, ob_order);
}

const view_class view_onboarding = {
	.name = "onboarding", .title = N_("Onboarding"),
	.create = ob_create, .destroy = ob_destroy, .set_rect = qpane_set_rect,
	.recalc = ob_recalc, .draw = ob_draw, .action = ob_action,
	.set_filter = ob_set_filter, .filter = qpane_filter, .cursor = qpane_cursor,
	.due_in_ms = qpane_due, .hints = ob_hints_get, .note = ob_note,
	.select = qpane_select,
	.table = qpane_table, .sort_by = obx_sort_by,
};
