/* views/onboarding.c: the merchant onboarding queue, paged from the cache,
 * soonest SLA first, with counts per stage and the SLA countdown marked at
 * risk and breached in words; approve, reject, return, assign through the
 * confirmation dialog. */
#include "views/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "views/qlist.h"
#include "views/queue.h"

enum { O_ID, O_MERCHANT, O_CATEGORY, O_STAGE, O_RISK, O_CHECKS, O_AGE, O_SLA,
       O_ASSIGNEE, O__N };

static const table_column ob_cols[O__N] = {
	[O_ID] = { "ID", 11, 13, 0, TABLE_LEFT },
	[O_MERCHANT] = { "Merchant", 16, 30, 3, TABLE_LEFT },
	[O_CATEGORY] = { "Category", 10, 14, 0, TABLE_LEFT },
	[O_STAGE] = { "Stage", 13, 14, 0, TABLE_LEFT },
	[O_RISK] = { "Risk", 12, 12, 0, TABLE_LEFT },
	[O_CHECKS] = { "Checks", 11, 16, 0, TABLE_LEFT },
	[O_AGE] = { "Age", 6, 7, 0, TABLE_RIGHT },
	[O_SLA] = { "SLA", 22, 24, 0, TABLE_LEFT },
	[O_ASSIGNEE] = { "Assignee", 8, 12, 0, TABLE_LEFT },
};

static const bar_hint ob_hints[] = {
	{ ACT_DETAIL, "checks" }, { ACT_FILTER, "filter" }, { ACT_SORT, "sort" },
	{ ACT_MARK, "mark" }, { ACT_APPROVE, "approve" }, { ACT_REJECT, "reject" },
	{ ACT_RETURN, "return" }, { ACT_ASSIGN, "assign" }, { ACT_HELP, "help" },
};

static const struct { cache_case_sort s; int col; bool desc; const char *word; } sorts[] = {
	{ CACHE_CASE_SORT_SLA, O_SLA, false, "SLA due" },
	{ CACHE_CASE_SORT_RISK, O_RISK, true, "risk, SLA" },
	{ CACHE_CASE_SORT_SUBMITTED, O_AGE, false, "newest" },
	{ CACHE_CASE_SORT_STAGE, O_STAGE, false, "stage, SLA" },
	{ CACHE_CASE_SORT_ID, O_ID, false, "id" },
};
#define N_SORTS (sizeof sorts / sizeof sorts[0])

typedef struct {
	view_env env;
	qlist *q;
	widget_rect rect, list_rect, det_rect;
	bool dirty, clear_all, detail_open;
	char filter[256];
	queue_filter qf;
	char ferr[200];
	size_t sort;
	uint64_t seen_gen, seen_cache, seen_ops;
	time_t now;
	int64_t count, breached, by_stage[STAGE_UNKNOWN + 1];
	char note[400];
} ob_view;

static const char *case_id(const void *r) { return ((const api_case *)r)->id; }
static int64_t case_ver(const void *r) { return ((const api_case *)r)->version; }
static void case_free(void *r) { api_case_free(r); }

static int64_t ob_count(void *ctx)
{
	ob_view *v = ctx;
	if (!v->env.cache)
		return 0;
	cache_case_filter f;
	queue_filter_cases(&v->qf, &f);
	int64_t n = 0, b = 0;
	if (cache_count_cases(v->env.cache, &f, v->now, &n, &b) != 0)
		return -1;
	v->count = n;
	v->breached = b;
	/* per stage, under the other filters */
	for (int s = 0; s < STAGE_UNKNOWN; s++) {
		cache_case_filter fs = f;
		fs.stages = 1u << s;
		int64_t c = 0, x = 0;
		v->by_stage[s] = (!f.stages || (f.stages & (1u << s))) &&
			cache_count_cases(v->env.cache, &fs, v->now, &c, &x) == 0 ? c : 0;
	}
	return n;
}

typedef struct { queue_win *w; } push_ctx;
static int push_case(void *ctx, api_case *c)
{
	push_ctx *p = ctx;
	return queue_win_push(p->w, c) == 0 ? 0 : 1;
}

static long ob_fetch(void *ctx, size_t off, size_t limit, queue_win *w)
{
	ob_view *v = ctx;
	if (!v->env.cache)
		return 0;
	cache_case_filter f;
	queue_filter_cases(&v->qf, &f);
	push_ctx p = { w };
	return cache_query_cases(v->env.cache, &f, sorts[v->sort].s, off, limit,
				 push_case, &p);
}

static void stage_text(char *buf, size_t sz, const api_case *c)
{
	const char *w = api_stage_str(c->stage);
	queue_word(buf, sz, w && strcmp(w, "?") ? w : NULL, c->stage_raw);
}

static term_role risk_text(char *buf, size_t sz, const api_case *c)
{
	char w[32];
	queue_word(w, sizeof w, queue_risk_word(c->risk_level), c->risk_level_raw);
	const char *mark = c->risk_level == RISK_HIGH ? "!! " :
			   c->risk_level == RISK_MEDIUM ? "! " : "";
	if (c->risk_score >= 0)
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

static int ob_cell(void *ctx, const void *row, int col, char *buf, size_t sz,
		   int *role)
{
	ob_view *v = ctx;
	const api_case *c = row;
	switch (col) {
	case O_ID: snprintf(buf, sz, "%s", c->id); break;
	case O_MERCHANT: snprintf(buf, sz, "%s", c->merchant_name); break;
	case O_CATEGORY: snprintf(buf, sz, "%s", c->category); break;
	case O_STAGE: stage_text(buf, sz, c); break;
	case O_RISK: *role = risk_text(buf, sz, c); break;
	case O_CHECKS: *role = checks_text(buf, sz, c); break;
	case O_AGE: time_format_age(v->now - c->submitted_at, buf, sz); break;
	case O_SLA: {
		queue_sla s = queue_sla_state(c->submitted_at, c->sla_due_at, v->now,
					      queue_case_final(c->stage));
		*role = queue_sla_text(buf, sz, s, c->sla_due_at, v->now);
		break;
	}
	case O_ASSIGNEE: snprintf(buf, sz, "%s", c->assignee ? c->assignee : "-"); break;
	default: return -1;
	}
	return 0;
}

static void *ob_create(const view_env *env)
{
	ob_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->env = *env;
	v->now = time(NULL);
	qlist_spec spec = {
		.cols = ob_cols, .ncols = O__N, .elem = sizeof(api_case),
		.free_elem = case_free, .count = ob_count, .fetch = ob_fetch,
		.cell = ob_cell, .row_id = case_id, .row_version = case_ver,
		.marks = true, .empty = env->cache ? "no onboarding cases match" :
			"no cache: cases need the cache (see the start-up message)",
	};
	v->q = qlist_new(&spec, v);
	if (!v->q) {
		free(v);
		return NULL;
	}
	table_set_sort(qlist_table(v->q), sorts[0].col, sorts[0].desc);
	v->dirty = true;
	return v;
}

static void ob_destroy(void *p)
{
	ob_view *v = p;
	if (!v)
		return;
	queue_op_cleanup();
	qlist_free(v->q);
	free(v);
}

static void ob_layout(ob_view *v)
{
	widget_rect r = v->rect;
	int det_h = 0;
	if (v->detail_open)
		det_h = r.h >= 24 ? 10 : r.h / 2;
	int list_h = r.h - 2 - det_h; /* two lines of counts */
	if (list_h < 2)
		list_h = 2;
	v->list_rect = (widget_rect){ r.y + 2, r.x, list_h, r.w };
	v->det_rect = (widget_rect){ r.y + 2 + list_h, r.x, det_h, r.w };
	qlist_set_rect(v->q, v->list_rect);
	v->clear_all = true;
}

static void ob_set_rect(void *p, widget_rect r)
{
	ob_view *v = p;
	v->rect = r;
	ob_layout(v);
}

static bool ob_recalc(void *p, time_t now, bool force)
{
	ob_view *v = p;
	uint64_t g = store_meta_get(v->env.st, STORE_CASES)->gen;
	uint64_t c = v->env.cache ? cache_data_version(v->env.cache) : 0;
	uint64_t o = queue_op_gen();
	bool minute = now / 60 != v->now / 60;
	bool marks = now != v->now && qlist_due_ms(v->q, v->now) >= 0;
	v->now = now;
	qlist_tick(v->q, now);
	/* a new minute moves every countdown and may breach an SLA: count again */
	if (!force && !minute && g == v->seen_gen && c == v->seen_cache &&
	    o == v->seen_ops) {
		if (marks)
			v->dirty = true;
		return marks;
	}
	v->seen_gen = g;
	v->seen_cache = c;
	v->seen_ops = o;
	qlist_reload(v->q, now);
	v->dirty = true;
	return true;
}

static void put(WINDOW *win, const widget_rect *r, int *y, const char *s,
		term_role role)
{
	if (*y >= r->y + r->h)
		return;
	widget_put(win, *y, r->x, r->w, s, 0, role);
	(*y)++;
}

static void draw_head(ob_view *v, WINDOW *win)
{
	char line[600];
	int n = snprintf(line, sizeof line, "%lld cases, %lld past SLA   sort: %s",
			 (long long)v->count, (long long)v->breached, sorts[v->sort].word);
	if (qlist_n_marked(v->q) && n < (int)sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, "   marked: %zu",
			      qlist_n_marked(v->q));
	if (v->filter[0] && n < (int)sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, "   filter: %s", v->filter);
	if (v->ferr[0] && n < (int)sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, "   ! %s", v->ferr);
	widget_put(win, v->rect.y, v->rect.x, v->rect.w, line, 0,
		   v->breached || v->ferr[0] ? ROLE_WARN : ROLE_TITLE);
	n = 0;
	line[0] = '\0';
	for (int s = 0; s < STAGE_UNKNOWN && n < (int)sizeof line; s++)
		n += snprintf(line + n, sizeof line - (size_t)n, "%s%s %lld",
			      s ? "  " : "", api_stage_str((api_stage)s),
			      (long long)v->by_stage[s]);
	widget_put(win, v->rect.y + 1, v->rect.x, v->rect.w, line, 0, ROLE_NORMAL);
}

static void draw_detail(ob_view *v, WINDOW *win)
{
	widget_rect r = v->det_rect;
	if (r.h <= 0)
		return;
	widget_clear(win, r, ROLE_NORMAL);
	const api_case *c = qlist_selected(v->q);
	int y = r.y;
	char line[800], st[40], rk[40], sla[64], t1[40], t2[40];
	if (!c) {
		put(win, &r, &y, "no case selected", ROLE_DIM);
		return;
	}
	stage_text(st, sizeof st, c);
	risk_text(rk, sizeof rk, c);
	queue_sla s = queue_sla_state(c->submitted_at, c->sla_due_at, v->now,
				      queue_case_final(c->stage));
	term_role sr = queue_sla_text(sla, sizeof sla, s, c->sla_due_at, v->now);
	snprintf(line, sizeof line, "%s  %s (%s)  mcc %s %s  stage %s  risk %s", c->id,
		 c->merchant_name, c->merchant_id, c->mcc, c->category, st, rk);
	put(win, &r, &y, line, ROLE_TITLE);
	time_format_rfc3339(c->submitted_at, t1, sizeof t1);
	time_format_rfc3339(c->sla_due_at, t2, sizeof t2);
	snprintf(line, sizeof line, "submitted %s via %s for %s   SLA due %s: %s   "
		 "assignee %s   version %lld", t1, c->source_raw, c->channel_requested,
		 t2, sla, c->assignee ? c->assignee : "-", (long long)c->version);
	put(win, &r, &y, line, sr == ROLE_NORMAL ? ROLE_NORMAL : (term_role)sr);
	if (c->n_checks == 0)
		put(win, &r, &y, "checks: none", ROLE_DIM);
	for (size_t i = 0; i < c->n_checks; i++) {
		const api_check *k = &c->checks[i];
		const char *w = k->result == CHECK_PASS ? "+ pass" :
				k->result == CHECK_WARN ? "! warn" :
				k->result == CHECK_FAIL ? "x FAIL" :
				k->result == CHECK_PENDING ? "? pending" : NULL;
		char rw[40];
		queue_word(rw, sizeof rw, w, k->result_raw);
		snprintf(line, sizeof line, "  %-24s %-10s %s", k->name, rw, k->detail);
		put(win, &r, &y, line, k->result == CHECK_FAIL ? ROLE_CRIT :
		    k->result == CHECK_WARN ? ROLE_WARN : ROLE_NORMAL);
	}
}

static bool ob_draw(void *p, WINDOW *win, bool full)
{
	ob_view *v = p;
	bool painted = false;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		qlist_invalidate(v->q);
		v->clear_all = false;
		v->dirty = true;
	}
	if (v->dirty) {
		draw_head(v, win);
		qlist_invalidate(v->q);
		painted = true;
	}
	if (qlist_needs(v->q)) {
		if (qlist_draw(v->q, win) > 0)
			painted = true;
		if (v->detail_open)
			draw_detail(v, win);
	}
	v->dirty = false;
	return painted;
}

static void ob_act(ob_view *v, keymap_action a)
{
	act_case_decision d = a == ACT_APPROVE ? ACT_CASE_APPROVE :
		a == ACT_REJECT ? ACT_CASE_REJECT : a == ACT_RETURN ?
		ACT_CASE_RETURN : ACT_CASE_ASSIGN;
	static const char *const titles[] = { "Approve cases", "Reject cases",
		"Return cases for information", "Assign cases" };
	static const char *const labels[] = { "Approve", "Reject", "Return", "Assign" };
	size_t n = 0;
	char *const *ids = qlist_targets(v->q, &n);
	wint_t key = 0;
	bool kc = false;
	if (!keymap_first_key(a, &key, &kc) || kc)
		key = 0;
	queue_op_spec spec = {
		.kind = ACT_CASE_DECISION, .verb = (int)d, .title = titles[d],
		.label = labels[d], .opened_by = key,
		.extra_label = d == ACT_CASE_ASSIGN ? "Assignee (operator id)" : NULL,
		.extra_required = d == ACT_CASE_ASSIGN,
	};
	if (queue_op_start(&v->env, &spec, ids, n) == 0 && qlist_n_marked(v->q))
		qlist_clear_marks(v->q);
}

static int ob_action(void *p, keymap_action a)
{
	ob_view *v = p;
	switch (a) {
	case ACT_APPROVE: case ACT_REJECT: case ACT_RETURN: case ACT_ASSIGN:
		ob_act(v, a);
		return VIEW_HANDLED;
	case ACT_SORT: case ACT_SORT_REVERSE:
		v->sort = a == ACT_SORT ? (v->sort + 1) % N_SORTS :
			  (v->sort + N_SORTS - 1) % N_SORTS;
		table_set_sort(qlist_table(v->q), sorts[v->sort].col, sorts[v->sort].desc);
		qlist_reload(v->q, v->now);
		v->dirty = true;
		return VIEW_HANDLED;
	case ACT_DETAIL:
		v->detail_open = !v->detail_open;
		ob_layout(v);
		return VIEW_HANDLED;
	case ACT_BACK:
		if (qlist_n_marked(v->q)) {
			qlist_clear_marks(v->q);
			v->dirty = true;
			return VIEW_HANDLED;
		}
		if (!v->detail_open)
			return VIEW_IGNORED;
		v->detail_open = false;
		ob_layout(v);
		return VIEW_HANDLED;
	default:
		break;
	}
	if (qlist_handle(v->q, a)) {
		if (a == ACT_MARK)
			v->dirty = true;
		return VIEW_HANDLED;
	}
	return VIEW_IGNORED;
}

static void ob_set_filter(void *p, const char *f)
{
	ob_view *v = p;
	snprintf(v->filter, sizeof v->filter, "%s", f ? f : "");
	queue_filter nf;
	if (queue_filter_parse(QUEUE_CASES, v->filter, &nf, v->ferr, sizeof v->ferr) == 0)
		v->qf = nf;
	qlist_reload(v->q, v->now);
	v->dirty = true;
}

static const char *ob_filter(const void *p) { return ((const ob_view *)p)->filter; }
static bool ob_cursor(const void *p, int *y, int *x) { return qlist_cursor(((const ob_view *)p)->q, y, x); }

static long ob_due(const void *p, time_t now)
{
	const ob_view *v = p;
	long m = qlist_due_ms(v->q, now);
	long minute = (long)(60 - now % 60) * 1000; /* countdowns move */
	return m >= 0 && m < minute ? m : minute;
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
	if (v->ferr[0])
		snprintf(v->note, sizeof v->note, "filter: %s", v->ferr);
	else if (v->filter[0])
		snprintf(v->note, sizeof v->note, "filter '%s': %lld cases, %lld past SLA",
			 v->filter, (long long)v->count, (long long)v->breached);
	else
		return NULL;
	return v->note;
}

static bool ob_select(void *p, const char *id)
{
	return qlist_select_id(((ob_view *)p)->q, id);
}

const view_class view_onboarding = {
	.name = "onboarding", .title = "Onboarding",
	.create = ob_create, .destroy = ob_destroy, .set_rect = ob_set_rect,
	.recalc = ob_recalc, .draw = ob_draw, .action = ob_action,
	.set_filter = ob_set_filter, .filter = ob_filter, .cursor = ob_cursor,
	.due_in_ms = ob_due, .hints = ob_hints_get, .note = ob_note,
	.select = ob_select,
};
