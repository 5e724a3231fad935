/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/limits.c: settlement and exposure limits, least headroom first,
 * with a utilisation bar (used / limit and percent), state and time to
 * reset; the reserve-fund quotas of every clearing network together on
 * top. c asks for the new limit on the pane's own line, showing old -> new
 * and the state it would give while it is typed; Enter opens the dialog. */
#include "views/view.h"
#include "base/i18n.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "widgets/fmt.h"
#include "views/qlist.h"
#include "views/queue.h"
#include "widgets/fmt.h"

#define RESERVE_MAX 16   /* quotas shown on top */
#define BAR_CELLS 10

enum { L_ID, L_STATE, L_BAR, L_USED, L_LIMIT, L_HEADROOM, L_RESET, L_PERIOD,
       L_SCOPE, L_SCOPE_ID, L_NAME, L__N };

static const table_column lim_cols[L__N] = {
	[L_ID] = { N_("ID"), 24, 34, 1, TABLE_LEFT, 1, true },
	[L_STATE] = { N_("State"), 10, 10, 0, TABLE_LEFT, 2, false },
	[L_BAR] = { N_("Used / limit"), 20, 20, 0, TABLE_LEFT, 6, false },
	[L_USED] = { N_("Used"), 17, 20, 0, TABLE_RIGHT, 3, true },
	[L_LIMIT] = { N_("Limit"), 17, 20, 0, TABLE_RIGHT, 4, true },
	[L_HEADROOM] = { N_("Headroom"), 17, 20, 0, TABLE_RIGHT, 5, true },
	[L_RESET] = { N_("Resets in"), 9, 9, 0, TABLE_RIGHT, 7, false },
	[L_PERIOD] = { N_("Per"), 5, 6, 0, TABLE_LEFT, 8, false },
	[L_SCOPE] = { N_("Scope"), 8, 8, 0, TABLE_LEFT },
	[L_SCOPE_ID] = { N_("Of"), 12, 22, 1, TABLE_LEFT },
	[L_NAME] = { N_("Name"), 10, 16, 1, TABLE_LEFT },
};

static const bar_hint lim_hints[] = {
	{ ACT_DETAIL, N_("detail") }, { ACT_FILTER, N_("filter") }, { ACT_SORT, N_("sort") },
	{ ACT_ADJUST, N_("adjust limit") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

static const struct { cache_limit_sort s; int col; bool desc; const char *word; } sorts[] = {
	{ CACHE_LIMIT_SORT_HEADROOM, L_HEADROOM, false, N_("least headroom") },
	{ CACHE_LIMIT_SORT_UTILISATION, L_BAR, true, N_("most used") },
	{ CACHE_LIMIT_SORT_STATE, L_STATE, true, N_("state") },
	{ CACHE_LIMIT_SORT_ID, L_ID, false, N_("id") },
};
#define N_SORTS (sizeof sorts / sizeof sorts[0])

typedef struct {
	qpane b;                     /* first: the shared pane callbacks take it */
	widget_rect rsv_rect;
	cache_limit_counts n;        /* of the filter, and per state */
	api_limit rsv[RESERVE_MAX];
	size_t n_rsv;
	/* the new-limit prompt */
	bool editing;
	char edit[64];
	api_limit target;
} lim_view;

static const char *lim_id(const void *r) { return ((const api_limit *)r)->id; }
static int64_t lim_ver(const void *r) { return ((const api_limit *)r)->version; }
static void lim_free(void *r) { api_limit_free(r); }

static int64_t lim_count(void *ctx)
{
	lim_view *v = ctx;
	if (!v->b.env.cache)
		return 0;
	cache_limit_filter f;
	queue_filter_limits(&v->b.qf, &f);
	if (cache_count_limits_by_state(v->b.env.cache, &f, &v->n) != 0)
		return -1;
	return v->n.count;
}

static int push_limit(void *w, api_limit *l) { return qpane_push(w, l); }

static long lim_fetch(void *ctx, size_t off, size_t limit, queue_win *w)
{
	lim_view *v = ctx;
	if (!v->b.env.cache)
		return 0;
	cache_limit_filter f;
	queue_filter_limits(&v->b.qf, &f);
	return cache_query_limits(v->b.env.cache, &f, sorts[v->b.sort].s, off, limit,
				  push_limit, w);
}

static term_role state_text(char *buf, size_t sz, api_limit_state s, const char *raw)
{
	switch (s) {
	case LS_OK: snprintf(buf, sz, "ok"); return ROLE_OK;
	case LS_WARNING: snprintf(buf, sz, "! warning"); return ROLE_WARN;
	case LS_BREACHED: snprintf(buf, sz, "x BREACHED"); return ROLE_CRIT;
	default: fmt_enum(buf, sz, NULL, raw); return ROLE_WARN;
	}
}

static void reset_text(char *buf, size_t sz, time_t at, time_t now)
{
	if (!at)
		snprintf(buf, sz, "-");
	else if (at <= now)
		snprintf(buf, sz, "due");
	else
		time_format_age(at - now, buf, sz);
}

/* The field of the limit each column shows, so a refused one is "?"
 * (amounts: fmt_money, which also minds the currency). */
static const char *const lim_fields[L__N] = {
	[L_STATE] = "state", [L_RESET] = "resets_at", [L_PERIOD] = "period",
	[L_SCOPE] = "scope", [L_SCOPE_ID] = "scope_id", [L_NAME] = "name",
};

/* Used and limit both readable (the bar and the headroom need both). */
static bool lim_amounts_ok(const api_limit *l)
{
	return !api_bad_has(&l->bad, "used_minor") &&
	       !api_bad_has(&l->bad, "limit_minor") &&
	       !api_bad_has(&l->bad, "currency");
}

/* limit - used, or false when it does not fit in int64 */
static bool lim_headroom(const api_limit *l, int64_t *h)
{
	return !__builtin_sub_overflow(l->limit_minor, l->used_minor, h);
}

static int lim_cell(void *ctx, const void *row, int col, char *buf, size_t sz,
		    int *role)
{
	lim_view *v = ctx;
	const api_limit *l = row;
	char w[32];
	int64_t h;
	if (col >= 0 && col < L__N && lim_fields[col] &&
	    fmt_bad(buf, sz, &l->bad, lim_fields[col], role))
		return 0;
	if ((col == L_BAR || col == L_HEADROOM) && !lim_amounts_ok(l)) {
		snprintf(buf, sz, "%s", FMT_BAD);
		*role = ROLE_WARN;
		return 0;
	}
	switch (col) {
	case L_ID: snprintf(buf, sz, "%s", l->id); break;
	case L_SCOPE:
		fmt_enum(w, sizeof w, queue_scope_word(l->scope), l->scope_raw);
		snprintf(buf, sz, "%s", w);
		break;
	case L_SCOPE_ID: snprintf(buf, sz, "%s", l->scope_id); break;
	case L_NAME: snprintf(buf, sz, "%s", l->name); break;
	case L_PERIOD: fmt_enum(buf, sz, queue_period_word(l->period), l->period_raw); break;
	case L_BAR:
		fmt_usage(buf, sz, l->used_minor, l->limit_minor, BAR_CELLS - 2);
		*role = l->state == LS_BREACHED ? ROLE_CRIT : l->state == LS_WARNING ?
			ROLE_WARN : ROLE_NORMAL;
		break;
	case L_USED:
		fmt_money(buf, sz, l->used_minor, l->currency, &l->bad, "used_minor",
			  false, role);
		break;
	case L_LIMIT:
		fmt_money(buf, sz, l->limit_minor, l->currency, &l->bad, "limit_minor",
			  false, role);
		break;
	case L_HEADROOM:
		if (lim_headroom(l, &h))
			money_format(h, l->currency, buf, sz);
		else
			snprintf(buf, sz, "%s", FMT_BAD);
		break;
	case L_STATE: *role = state_text(buf, sz, l->state, l->state_raw); break;
	case L_RESET: reset_text(buf, sz, l->resets_at, v->b.now); break;
	default: return -1;
	}
	return 0;
}

static void lim_layout(void *p)
{
	lim_view *v = p;
	widget_rect r = v->b.rect;
	int rsv_h = 0;
	if (r.h >= 16) {
		rsv_h = (int)v->n_rsv + 2; /* title + quotas + a blank line */
		if (rsv_h > r.h / 3)
			rsv_h = r.h / 3;
	}
	v->rsv_rect = (widget_rect){ r.y + 1, r.x, rsv_h, r.w };
	int det_h = v->b.detail_open ? (r.h >= 24 ? 6 : r.h / 3) : 0;
	int list_y = r.y + 1 + rsv_h;
	int list_h = r.h - 1 - rsv_h - det_h - (v->editing ? 1 : 0);
	if (list_h < 2)
		list_h = 2;
	v->b.list_rect = (widget_rect){ list_y, r.x, list_h, r.w };
	v->b.det_rect = (widget_rect){ list_y + list_h, r.x, det_h, r.w };
	qlist_set_rect(v->b.q, v->b.list_rect);
	v->b.clear_all = true;
}

static void *lim_create(const view_env *env)
{
	qlist_spec spec = {
		.cols = lim_cols, .ncols = L__N, .elem = sizeof(api_limit),
		.free_elem = lim_free, .count = lim_count, .fetch = lim_fetch,
		.cell = lim_cell, .row_id = lim_id, .row_version = lim_ver,
		.marks = false, .empty = env->cache ? _("no limits match") :
			_("no cache: limits need the cache (see the start-up message)"),
	};
	return qpane_new(sizeof(lim_view), env, &spec, lim_layout, sorts[0].col,
			 sorts[0].desc);
}

static void rsv_clear(lim_view *v)
{
	for (size_t i = 0; i < v->n_rsv; i++)
		api_limit_free(&v->rsv[i]);
	v->n_rsv = 0;
}

static void lim_destroy(void *p)
{
	lim_view *v = p;
	if (!v)
		return;
	qpane_destroy(&v->b);
	rsv_clear(v);
	api_limit_free(&v->target);
	free(v);
}

static int push_rsv(void *ctx, api_limit *l)
{
	lim_view *v = ctx;
	if (v->n_rsv >= RESERVE_MAX)
		return 1;
	v->rsv[v->n_rsv++] = *l;
	memset(l, 0, sizeof *l);
	return 0;
}

static void lim_reload(void *p, time_t now)
{
	lim_view *v = p;
	size_t old = v->n_rsv;
	rsv_clear(v);
	if (v->b.env.cache) {
		cache_limit_filter f = { .scopes = 1u << SCOPE_RESERVE };
		cache_query_limits(v->b.env.cache, &f, CACHE_LIMIT_SORT_ID, 0, RESERVE_MAX,
				   push_rsv, v);
	}
	if (old != v->n_rsv)
		lim_layout(v);
	qlist_reload(v->b.q, now);
	v->b.dirty = true;
}

static bool lim_recalc(void *p, time_t now, bool force)
{
	lim_view *v = p;
	bool ret;
	if (qpane_changed(&v->b, STORE_LIMITS, now, force, false, &ret))
		lim_reload(v, now);
	return ret;
}

/* ---- drawing ---- */

static void draw_reserve(lim_view *v, WINDOW *win)
{
	widget_rect r = v->rsv_rect;
	if (r.h <= 0)
		return;
	widget_clear(win, r, ROLE_NORMAL);
	int y = r.y;
	widget_put(win, y++, r.x, r.w, _("Reserve-fund quotas (备付金额度) by clearing network"),
		   0, ROLE_TITLE);
	if (v->n_rsv == 0 && y < r.y + r.h)
		widget_put(win, y++, r.x + 2, r.w - 2, _("none cached"), 0, ROLE_DIM);
	for (size_t i = 0; i < v->n_rsv && y < r.y + r.h; i++) {
		const api_limit *l = &v->rsv[i];
		char bar[64], used[64], lim[64], st[32], rs[32], per[16], line[400];
		int bad_role = ROLE_NORMAL;
		if (lim_amounts_ok(l))
			fmt_usage(bar, sizeof bar, l->used_minor, l->limit_minor, 16);
		else
			snprintf(bar, sizeof bar, "[%-16s]      %s", "", FMT_BAD);
		fmt_money(used, sizeof used, l->used_minor, l->currency, &l->bad,
			  "used_minor", false, &bad_role);
		fmt_money(lim, sizeof lim, l->limit_minor, l->currency, &l->bad,
			  "limit_minor", false, &bad_role);
		term_role role = ROLE_WARN;
		if (!fmt_bad(st, sizeof st, &l->bad, "state", NULL))
			role = state_text(st, sizeof st, l->state, l->state_raw);
		if (bad_role != ROLE_NORMAL)
			role = ROLE_WARN;
		if (!fmt_bad(rs, sizeof rs, &l->bad, "resets_at", NULL))
			reset_text(rs, sizeof rs, l->resets_at, v->b.now);
		if (!fmt_bad(per, sizeof per, &l->bad, "period", NULL))
			fmt_enum(per, sizeof per, queue_period_word(l->period),
				   l->period_raw);
		bool same = i > 0 && strcmp(v->rsv[i - 1].scope_id, l->scope_id) == 0;
		term_role lr = role == ROLE_OK ? ROLE_NORMAL : role;
		/* TRANSLATORS: network, period, usage bar, used / limit, state,
		 * time to the reset */
		snprintf(line, sizeof line, _("  %-13s %-6s %s %22s / %-22s %-10s resets in %s"),
			 same ? "" : l->scope_id, per, bar, used, lim, st, rs);
		if (text_width(line) > r.w) /* never an amount cut: the bar goes */
			snprintf(line, sizeof line, "  %-13s %-6s %s / %s %s, resets in %s",
				 same ? "" : l->scope_id, per, used, lim, st, rs);
		if (text_width(line) > r.w && y + 1 < r.y + r.h) {
			/* then the limit to a line of its own */
			snprintf(line, sizeof line, "  %-13s %-6s %s", same ? "" : l->scope_id,
				 per, used);
			widget_put(win, y++, r.x, r.w, line, 0, lr);
			snprintf(line, sizeof line, "  %-13s %-6s / %s %s, resets in %s", "",
				 "", lim, st, rs);
		}
		widget_put(win, y++, r.x, r.w, line, 0, lr);
	}
}

static void draw_head(void *p, WINDOW *win)
{
	lim_view *v = p;
	char line[600], h[64];
	money_format(v->n.sum_headroom_minor, "CNY", h, sizeof h);
	int n = snprintf(line, sizeof line, _("%lld limits: %lld warning, %lld breached,"
			 " headroom %s   sort: %s"), (long long)v->n.count,
			 (long long)v->n.warning, (long long)v->n.breached, h,
			 _(sorts[v->b.sort].word));
	qpane_head_tail(&v->b, line, sizeof line, n, NULL);
	widget_put(win, v->b.rect.y, v->b.rect.x, v->b.rect.w, line, 0,
		   v->n.breached ? ROLE_CRIT : v->n.warning || v->b.ferr[0] ? ROLE_WARN :
		   ROLE_TITLE);
	draw_reserve(v, win);
}

static void draw_detail(void *p, WINDOW *win)
{
	lim_view *v = p;
	widget_rect r = v->b.det_rect;
	if (r.h <= 0)
		return;
	widget_clear(win, r, ROLE_NORMAL);
	const api_limit *l = qlist_selected(v->b.q);
	char line[600], a[64], b[64], c[64], st[32], t[40], sc[32], per[16];
	int y = r.y;
	if (!l) {
		widget_put(win, y, r.x, r.w, _("no limit selected"), 0, ROLE_DIM);
		return;
	}
	fmt_enum(sc, sizeof sc, queue_scope_word(l->scope), l->scope_raw);
	fmt_enum(per, sizeof per, queue_period_word(l->period), l->period_raw);
	/* TRANSLATORS: limit id, scope (an enum value), scope id, name,
	 * period (an enum value), version */
	snprintf(line, sizeof line, _("%s  %s %s  %s  period %s  version %lld"), l->id, sc,
		 l->scope_id, l->name, per, (long long)l->version);
	widget_put(win, y++, r.x, r.w, line, 0, ROLE_TITLE);
	/* what the platform sent out of the contract, and why it is "?" */
	if (y < r.y + r.h && fmt_bad_line(line, sizeof line, &l->bad))
		widget_put(win, y++, r.x, r.w, line, 0, ROLE_WARN);
	fmt_money(a, sizeof a, l->used_minor, l->currency, &l->bad, "used_minor",
		  true, NULL);
	fmt_money(b, sizeof b, l->limit_minor, l->currency, &l->bad, "limit_minor",
		  true, NULL);
	int64_t h;
	if (lim_amounts_ok(l) && lim_headroom(l, &h))
		money_format(h, l->currency, c, sizeof c);
	else
		snprintf(c, sizeof c, "%s", FMT_BAD);
	char pm[32], wa[32];
	if (lim_amounts_ok(l))
		snprintf(pm, sizeof pm, "%lld.%lld%%",
			 (long long)(fmt_permille(l->used_minor, l->limit_minor) / 10),
			 (long long)(fmt_permille(l->used_minor, l->limit_minor) % 10));
	else
		snprintf(pm, sizeof pm, "%s", FMT_BAD);
	if (!fmt_bad(wa, sizeof wa, &l->bad, "warn_at", NULL))
		snprintf(wa, sizeof wa, "%.0f%%", l->warn_at * 100);
	term_role role = ROLE_WARN;
	if (!fmt_bad(st, sizeof st, &l->bad, "state", NULL))
		role = state_text(st, sizeof st, l->state, l->state_raw);
	if (y < r.y + r.h) {
		snprintf(line, sizeof line, _("used %s of %s (%s), headroom %s, "
			 "state %s, warns at %s"), a, b, pm, c, st, wa);
		widget_put(win, y++, r.x, r.w, line, 0, role == ROLE_OK ? ROLE_NORMAL : role);
	}
	if (y < r.y + r.h) {
		time_format_rfc3339(l->resets_at, t, sizeof t);
		reset_text(a, sizeof a, l->resets_at, v->b.now);
		snprintf(line, sizeof line, _("resets at %s (in %s)"), t, a);
		widget_put(win, y++, r.x, r.w, line, 0, ROLE_NORMAL);
	}
}

static void edit_preview(lim_view *v, char *line, size_t sz, term_role *role)
{
	const api_limit *l = &v->target;
	char o[64], n[64];
	money_format(l->limit_minor, l->currency, o, sizeof o);
	int64_t nv;
	*role = ROLE_FOCUS;
	if (queue_parse_limit(v->edit, l->limit_minor, l->currency, &nv) != 0) {
		snprintf(line, sz, _("new limit for %s: %s_   (now %s; "
			 "an amount, +/-amount or +/-N%%; Enter: confirm, Esc: cancel)"),
			 l->id, v->edit, o);
		return;
	}
	money_format(nv, l->currency, n, sizeof n);
	api_limit_state s = api_limit_state_for(l->used_minor, nv, l->warn_at);
	int64_t pm = fmt_permille(l->used_minor, nv);
	char st0[32];
	fmt_enum(st0, sizeof st0, queue_limit_state_word(l->state), l->state_raw);
	snprintf(line, sz, _("new limit for %s: %s_   %s -> %s  state %s -> %s (%lld.%lld%% "
		 "used)   Enter: confirm, Esc: cancel"), l->id, v->edit, o, n, st0,
		 queue_limit_state_word(s), (long long)(pm / 10), (long long)(pm % 10));
}

static bool lim_draw(void *p, WINDOW *win, bool full)
{
	lim_view *v = p;
	bool painted = qpane_draw(&v->b, win, full, draw_head, draw_detail, false);
	if (v->editing) {
		char line[600];
		term_role role;
		edit_preview(v, line, sizeof line, &role);
		widget_put(win, v->b.rect.y + v->b.rect.h - 1, v->b.rect.x, v->b.rect.w, line, 0, role);
		painted = true;
	}
	return painted;
}

/* ---- the new-limit prompt ---- */

static void edit_stop(lim_view *v)
{
	v->editing = false;
	lim_layout(v);
	v->b.dirty = true;
}

static int lim_key(void *p, wint_t ch, bool is_key_code)
{
	lim_view *v = p;
	if (!v->editing)
		return VIEW_IGNORED;
	size_t len = strlen(v->edit);
	if (ch == 27 && !is_key_code) {
		edit_stop(v);
		v->b.env.message(v->b.env.ctx, MSG_INFO, _("adjust: cancelled, nothing sent"));
	} else if ((!is_key_code && (ch == 127 || ch == 8)) ||
		   (is_key_code && ch == KEY_BACKSPACE)) {
		while (len && ((unsigned char)v->edit[len - 1] & 0xC0) == 0x80)
			len--; /* a whole UTF-8 character */
		if (len)
			v->edit[len - 1] = '\0';
	} else if ((!is_key_code && (ch == '\r' || ch == '\n')) ||
		   (is_key_code && ch == KEY_ENTER)) {
		int64_t nv;
		if (queue_parse_limit(v->edit, v->target.limit_minor, v->target.currency,
				      &nv) != 0) {
			v->b.env.message(v->b.env.ctx, MSG_WARN, _("adjust: type a positive amount,"
				       " +/-amount or +/-N%"));
			return VIEW_HANDLED;
		}
		edit_stop(v);
		char *ids[1] = { v->target.id };
		ops_rows_spec spec = { .kind = ACT_LIMIT_ADJUST, .title = _("Adjust limit"),
				       .label = _("Adjust"), .limit_minor = nv,
				       .opened_by = qpane_key(ACT_ADJUST) };
		ops_rows(flow_ops(v->b.env.flow), &spec, ids, 1);
	} else if (!is_key_code && ch >= 32 && len + 4 < sizeof v->edit) {
		char u[4];
		int n = text_utf8_encode((uint32_t)ch, u);
		memcpy(v->edit + len, u, (size_t)n);
		v->edit[len + (size_t)n] = '\0';
	}
	v->b.dirty = true;
	return VIEW_HANDLED;
}

static void edit_start(lim_view *v)
{
	const api_limit *l = qlist_selected(v->b.q);
	if (!l)
		return;
	char why[300], msg[400];
	/* the typed amount is read in the limit's currency: without one the
	 * platform sent in the contract, nothing typed can be read */
	if (api_bad_has(&l->bad, "currency")) {
		snprintf(msg, sizeof msg, _("adjust refused, nothing sent: the platform "
			 "sent %s's currency out of the contract (%s)"),
			 l->id, api_bad_why(&l->bad, "currency"));
		v->b.env.message(v->b.env.ctx, MSG_ERROR, msg);
		return;
	}
	/* refuse before asking anything (read-only, scope) */
	act_request r = { .kind = ACT_LIMIT_ADJUST, .target = l->id,
			  .version = l->version, .reason = "-", .limit_minor = 1,
			  .warn_at = -1 };
	if (act_check(v->b.env.act, &r, why, sizeof why, NULL) != 0) {
		snprintf(msg, sizeof msg, _("adjust refused, nothing sent: %s"), why);
		v->b.env.message(v->b.env.ctx, MSG_ERROR, msg);
		return;
	}
	api_limit_free(&v->target);
	memset(&v->target, 0, sizeof v->target);
	if (!v->b.env.cache || cache_get_limit(v->b.env.cache, l->id, &v->target) != 0)
		return;
	v->edit[0] = '\0';
	v->editing = true;
	lim_layout(v);
	v->b.dirty = true;
}

static int lim_action(void *p, keymap_action a)
{
	lim_view *v = p;
	switch (a) {
	case ACT_ADJUST:
		edit_start(v);
		return VIEW_HANDLED;
	case ACT_SORT: case ACT_SORT_REVERSE:
	case ACT_SORT_PREV_COL: case ACT_SORT_NEXT_COL:
		/* the sortable columns are the sort orders: < > step them */
		qpane_sort_step(&v->b, a == ACT_SORT_NEXT_COL ? ACT_SORT :
				a == ACT_SORT_PREV_COL ? ACT_SORT_REVERSE : a, N_SORTS);
		table_set_sort(qlist_table(v->b.q), sorts[v->b.sort].col, sorts[v->b.sort].desc);
		lim_reload(v, v->b.now);
		return VIEW_HANDLED;
	default:
		return qpane_action(&v->b, a); /* no marks here */
	}
}

static void lim_set_filter(void *p, const char *f)
{
	lim_view *v = p;
	qpane_parse_filter(&v->b, QUEUE_LIMITS, f);
	lim_reload(v, v->b.now);
}

static bool lim_cursor(const void *p, int *y, int *x)
{
	const lim_view *v = p;
	if (v->editing) {
		*y = v->b.rect.y + v->b.rect.h - 1;
		*x = v->b.rect.x;
		return true;
	}
	return qpane_cursor(v, y, x);
}

static size_t lim_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = lim_hints;
	return sizeof lim_hints / sizeof lim_hints[0];
}

static const char *lim_note(const void *p)
{
	lim_view *v = (lim_view *)p;
	char sum[120];
	snprintf(sum, sizeof sum, _("%lld limits, %lld warning, %lld breached"),
		 (long long)v->n.count, (long long)v->n.warning, (long long)v->n.breached);
	return qpane_note_for(&v->b, sum);
}

/* The pane sorts in the query: by the columns its sort orders name, in
 * their direction. */
static int lim_order(size_t i, bool *desc)
{
	*desc = sorts[i].desc;
	return sorts[i].col;
}

static bool limx_sort_by(void *p, int col, bool desc)
{
	(void)desc;
	return qpane_sort_col(p, col, N_SORTS, lim_order);
}

const view_class view_limits = {
	.name = "limits", .title = N_("Limits"),
	.create = lim_create, .destroy = lim_destroy, .set_rect = qpane_set_rect,
	.recalc = lim_recalc, .draw = lim_draw, .action = lim_action,
	.set_filter = lim_set_filter, .filter = qpane_filter, .cursor = lim_cursor,
	.due_in_ms = qpane_due, .hints = lim_hints_get, .note = lim_note,
	.select = qpane_select, .key = lim_key,
	.table = qpane_table, .sort_by = limx_sort_by,
};
