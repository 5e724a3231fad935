/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/routes.c: route groups and their members, one row per member, so
 * filtering by a channel shows every group it is in; and the reroute
 * editor (w): move share between a group's members, validated as it is
 * typed, then the confirmation dialog. */
#include "views/view.h"
#include "base/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/actflow.h"
#include "text/text.h"
#include "widgets/fmt.h"
#include "views/tview.h"

enum { R_ROUTE, R_NAME, R_STRATEGY, R_CHANNEL, R_HEALTH, R_WEIGHT,
       R_ELIGIBLE, R_OVERRIDE, R__N };

static const table_column route_cols[R__N] = {
	[R_ROUTE] = { N_("Route"), 12, 24, 2, TABLE_LEFT },
	[R_NAME] = { N_("Name"), 10, 20, 2, TABLE_LEFT },
	[R_STRATEGY] = { N_("Strategy"), 8, 12, 0, TABLE_LEFT },
	[R_CHANNEL] = { N_("Member channel"), 14, 26, 2, TABLE_LEFT },
	[R_HEALTH] = { N_("Health"), 9, 10, 0, TABLE_LEFT },
	[R_WEIGHT] = { N_("Weight"), 6, 6, 0, TABLE_RIGHT },
	[R_ELIGIBLE] = { N_("Eligible"), 12, 12, 0, TABLE_LEFT },
	[R_OVERRIDE] = { N_("Override"), 8, 40, 1, TABLE_LEFT },
};

static const bar_hint route_hints[] = {
	{ ACT_FILTER, N_("filter") }, { ACT_SORT, N_("sort") },
	{ ACT_REROUTE, N_("reroute") }, { ACT_COMMAND, N_("command") },
	{ ACT_PAUSE, N_("pause") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};
static const bar_hint edit_hints[] = {
	{ ACT_MEMBER_NEXT, N_("member") }, { ACT_WEIGHT_UP, N_("weight") },
	{ ACT_REVIEW, N_("review") }, { ACT_CANCEL, N_("cancel") }, { ACT_HELP, N_("help") },
};

#define EDIT_MAX 32  /* members of one group the editor takes */

/* The reroute editor: a copy of one group's weights being changed. */
typedef struct {
	bool open;
	char route[256];
	int64_t version;
	size_t n;
	char *ids[EDIT_MAX];
	int before[EDIT_MAX], w[EDIT_MAX];
	bool eligible[EDIT_MAX];
	size_t sel;
	char typed[4];          /* digits being typed for the selected member */
	int cur_y, cur_x;
	bool dirty;
} route_edit;

typedef struct {
	size_t route, member; /* member NO_MEMBER: a group without members */
} route_row;
#define NO_MEMBER SIZE_MAX

typedef struct {
	tview *tv;             /* first: the tview_pane_* callbacks take it */
	view_env env;
	widget_rect rect;
	route_row *rows;
	size_t n, cap;
	uint64_t seen_routes, seen_channels, seen_flow;
	bool clear_all;
	time_t now;
	char note[128];
	route_edit ed;
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
	*m = NULL;
	if (!r || (v->rows[src].member != NO_MEMBER &&
		   v->rows[src].member >= r->n_members))
		return NULL;
	if (v->rows[src].member != NO_MEMBER)
		*m = &r->members[v->rows[src].member];
	return r;
}

/* Whether the platform's field `what` of the row's member was refused
 * ("?"; widgets/fmt.h). */
static bool member_bad(const route_view *v, size_t src, const api_route *r,
		       const char *what, char *buf, size_t bufsz, int *role)
{
	char path[64];
	snprintf(path, sizeof path, "members[%zu].%s", v->rows[src].member, what);
	return fmt_bad(buf, bufsz, &r->bad, path, role);
}

static int route_cell(void *ctx, size_t src, int col, char *buf, size_t bufsz,
		      int *role)
{
	route_view *v = ctx;
	const api_route_member *m;
	const api_route *r = route_of(v, src, &m);
	if (!r)
		return -1;
	if (!m && col >= R_CHANNEL && col <= R_ELIGIBLE) {
		/* a group without members (or whose list was refused) */
		if (col != R_CHANNEL ||
		    !fmt_bad(buf, bufsz, &r->bad, "members", role))
			snprintf(buf, bufsz, "%s", col == R_CHANNEL ? _("(no members)") : "-");
		return 0;
	}
	switch (col) {
	case R_ROUTE: snprintf(buf, bufsz, "%s", r->id); break;
	case R_NAME:
		if (!fmt_bad(buf, bufsz, &r->bad, "name", role))
			snprintf(buf, bufsz, "%s", r->name ? r->name : "");
		break;
	case R_STRATEGY:
		if (!fmt_bad(buf, bufsz, &r->bad, "strategy", role))
			fmt_enum(buf, bufsz, r->strategy == STRAT_UNKNOWN ? NULL :
				 api_strategy_str(r->strategy), r->strategy_raw);
		break;
	case R_CHANNEL:
		/* "members[2]" refused whole covers its channel_id too */
		if (!member_bad(v, src, r, "channel_id", buf, bufsz, role))
			snprintf(buf, bufsz, "%s", m->channel_id);
		break;
	case R_HEALTH: {
		const api_channel *c = store_channel_find(v->env.st, m->channel_id);
		if (c)
			*role = fmt_health(buf, bufsz, c->health, c->health_raw);
		else
			snprintf(buf, bufsz, "-");
		break;
	}
	case R_WEIGHT:
		if (!member_bad(v, src, r, "weight_pct", buf, bufsz, role))
			snprintf(buf, bufsz, "%d%%", m->weight_pct);
		break;
	case R_ELIGIBLE:
		if (member_bad(v, src, r, "eligible", buf, bufsz, role))
			break;
		snprintf(buf, bufsz, "%s", m->eligible ? _("eligible") : _("NOT eligible"));
		*role = m->eligible ? ROLE_NORMAL : ROLE_CRIT;
		break;
	case R_OVERRIDE: {
		/* a reweight being sent, or one that did not apply: a symbol
		 * and the word, before the override itself */
		const flow_mark *fm = v->env.flow ? flow_mark_of(v->env.flow, r->id) : NULL;
		if (fm && (fm->phase == FLOW_IN_FLIGHT ||
			   (fm->status != ACT_APPLIED && v->now - fm->at < 60))) {
			flow_mark_word(fm, buf, bufsz);
			*role = ROLE_WARN;
			break;
		}
		/* no detail pane here: the row says what was refused */
		if (fmt_bad_line(buf, bufsz, &r->bad)) {
			*role = ROLE_WARN;
		} else if (!r->override.present) {
			snprintf(buf, bufsz, "%s", _("none"));
		} else {
			char until[64];
			snprintf(until, sizeof until, "%s", _("no expiry"));
			if (r->override.expires_at)
				fmt_time(until, sizeof until, r->override.expires_at, v->now);
			/* TRANSLATORS: an override: operator, expiry time, reason */
			snprintf(buf, bufsz, _("by %s until %s: %s"),
				 r->override.set_by ? r->override.set_by : "?", until,
				 r->override.reason ? r->override.reason : "");
			*role = ROLE_WARN;
		}
		break;
	}
	default: return -1;
	}
	return 0;
}

static bool route_numkey(void *ctx, size_t src, int col, double *num)
{
	route_view *v = ctx;
	const api_route_member *m;
	if (col != R_WEIGHT || !route_of(v, src, &m) || !m)
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
		snprintf(buf, bufsz, "%s\t%s", r->id, m ? m->channel_id : "");
	else
		snprintf(buf, bufsz, "%s", "");
}

static void *route_create(const view_env *env)
{
	tview_spec spec = {
		.cols = route_cols, .ncols = R__N, .count = route_count,
		.cell = route_cell, .numkey = route_numkey,
		.row_id = route_row_id, .noun = N_("routes"), .default_sort = -1,
	};
	return TVIEW_PANE_NEW(route_view, env, &spec);
}

static void edit_close(route_view *v)
{
	for (size_t i = 0; i < v->ed.n; i++)
		free(v->ed.ids[i]);
	memset(&v->ed, 0, sizeof v->ed);
	v->clear_all = true;
}

static void route_destroy(void *p)
{
	route_view *v = p;
	if (!v)
		return;
	edit_close(v);
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
	uint64_t gf = v->env.flow ? flow_gen(v->env.flow) : 0;
	v->now = now;
	if (!force && gr == v->seen_routes && gc == v->seen_channels &&
	    gf == v->seen_flow)
		return false;
	v->seen_flow = gf;
	v->seen_routes = gr;
	v->seen_channels = gc;
	size_t nr = store_route_count(v->env.st), total = 0;
	for (size_t i = 0; i < nr; i++) {
		const api_route *r = store_route_at(v->env.st, i);
		total += r && r->n_members ? r->n_members : 1;
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
		if (r && r->n_members == 0) /* shown all the same */
			v->rows[v->n++] = (route_row){ i, NO_MEMBER };
	}
	tview_rebuild(v->tv);
	if (v->ed.open)
		v->ed.dirty = true;
	return true;
}

/* ---- the reroute editor ---- */

/* Why the weights cannot be sent, or NULL when they can. */
static const char *edit_problem(const route_view *v, char *buf, size_t bufsz)
{
	int sum = 0;
	bool moved = false;
	for (size_t i = 0; i < v->ed.n; i++) {
		sum += v->ed.w[i];
		moved = moved || v->ed.w[i] != v->ed.before[i];
		if (v->ed.w[i] > 0 && !v->ed.eligible[i]) {
			snprintf(buf, bufsz, _("%s is not eligible: its weight must be 0"),
				 v->ed.ids[i]);
			return buf;
		}
	}
	if (sum != 100) {
		snprintf(buf, bufsz, sum > 100 ?
			 /* TRANSLATORS: the reroute editor: the sum, what to change */
			 _("weights sum to %d%%: take %d to reach 100") :
			 _("weights sum to %d%%: add %d to reach 100"), sum,
			 sum > 100 ? sum - 100 : 100 - sum);
		return buf;
	}
	if (!moved) {
		snprintf(buf, bufsz, "%s", _("nothing changed yet"));
		return buf;
	}
	return NULL;
}

static int edit_open(route_view *v)
{
	size_t src = tview_selected(v->tv);
	const api_route_member *m;
	const api_route *r = src == SIZE_MAX ? NULL : route_of(v, src, &m);
	if (!r) {
		v->env.message(v->env.ctx, MSG_WARN, _("no route group selected"));
		return VIEW_HANDLED;
	}
	char why[300];
	if (v->env.flow && flow_why_not(v->env.flow, ACT_ROUTE_WEIGHTS, why, sizeof why)) {
		char t[400];
		snprintf(t, sizeof t, _("reroute: unavailable: %s"), why);
		v->env.message(v->env.ctx, MSG_ERROR, t);
		return VIEW_HANDLED;
	}
	/* weights go by channel id and If-Match by version: a group whose
	 * members or version the platform sent out of the contract cannot
	 * be reweighted from here */
	const char *what = api_bad_has(&r->bad, "members") ? "members" :
			   api_bad_has(&r->bad, "version") ? "version" : NULL;
	if (what || r->n_members == 0) {
		char t[400];
		if (what)
			/* TRANSLATORS: group id, a field name (members, version), why */
			snprintf(t, sizeof t, _("reroute %s: unavailable: the platform "
				 "sent its %s out of the contract (%s)"), r->id,
				 what, api_bad_why(&r->bad, what));
		else
			snprintf(t, sizeof t, _("reroute %s: unavailable: the group "
				 "has no members"), r->id);
		v->env.message(v->env.ctx, MSG_ERROR, t);
		return VIEW_HANDLED;
	}
	edit_close(v);
	snprintf(v->ed.route, sizeof v->ed.route, "%s", r->id);
	v->ed.version = r->version;
	for (size_t i = 0; i < r->n_members && i < EDIT_MAX; i++) {
		v->ed.ids[i] = strdup(r->members[i].channel_id);
		if (!v->ed.ids[i]) {
			edit_close(v);
			return VIEW_HANDLED;
		}
		v->ed.w[i] = v->ed.before[i] = r->members[i].weight_pct;
		v->ed.eligible[i] = r->members[i].eligible;
		if (&r->members[i] == m)
			v->ed.sel = i;
		v->ed.n = i + 1;
	}
	v->ed.open = true;
	v->ed.dirty = true;
	v->clear_all = true;
	return VIEW_HANDLED;
}

static void edit_set(route_view *v, int w)
{
	if (w < 0)
		w = 0;
	if (w > 100)
		w = 100;
	v->ed.w[v->ed.sel] = w;
	v->ed.dirty = true;
}

static void edit_apply_typed(route_view *v)
{
	if (v->ed.typed[0])
		edit_set(v, atoi(v->ed.typed));
	v->ed.typed[0] = '\0';
}

static void edit_submit(route_view *v)
{
	edit_apply_typed(v);
	char why[300];
	if (edit_problem(v, why, sizeof why)) {
		char t[400];
		snprintf(t, sizeof t, _("not sent: %s"), why);
		v->env.message(v->env.ctx, MSG_ERROR, t);
		return;
	}
	act_weight w[EDIT_MAX];
	for (size_t i = 0; i < v->ed.n; i++)
		w[i] = (act_weight){ v->ed.ids[i], v->ed.w[i] };
	wint_t key = 0;
	bool kc = false;
	if (!keymap_first_key_in(KEYMAP_REROUTE, ACT_REVIEW, &key, &kc) || kc)
		key = '\r';
	if (flow_reroute(v->env.flow, v->ed.route, w, v->ed.n, key) == 0)
		edit_close(v); /* the dialog has it from here */
}

/* The editor's own keys: the digits of a weight and Backspace. Its
 * commands come from its key table (route_edit_cmd); nothing else acts
 * while it is open. */
static int route_key(void *p, wint_t ch, bool kc)
{
	route_view *v = p;
	if (!v->ed.open)
		return VIEW_IGNORED;
	if (!kc && ch >= '0' && ch <= '9') {
		size_t l = strlen(v->ed.typed);
		if (l < 3) {
			v->ed.typed[l] = (char)ch;
			v->ed.typed[l + 1] = '\0';
		}
		v->ed.dirty = true;
	} else if ((!kc && (ch == 127 || ch == 8)) || (kc && ch == KEY_BACKSPACE)) {
		size_t l = strlen(v->ed.typed);
		if (l)
			v->ed.typed[l - 1] = '\0';
		v->ed.dirty = true;
	}
	return VIEW_HANDLED;
}

static void edit_move(route_view *v, int step)
{
	size_t n = v->ed.n;
	edit_apply_typed(v);
	v->ed.sel = step < 0 ? (v->ed.sel + n - 1) % n : (v->ed.sel + 1) % n;
	v->ed.dirty = true;
}

static void edit_add(route_view *v, int delta)
{
	edit_apply_typed(v);
	edit_set(v, v->ed.w[v->ed.sel] + delta);
}

/* The reroute editor's commands (its key table, or `:`). */
static int route_edit_cmd(route_view *v, keymap_action a)
{
	switch (a) {
	case ACT_MEMBER_PREV: edit_move(v, -1); break;
	case ACT_MEMBER_NEXT: edit_move(v, 1); break;
	case ACT_WEIGHT_UP: edit_add(v, 1); break;
	case ACT_WEIGHT_DOWN: edit_add(v, -1); break;
	case ACT_WEIGHT_UP_5: edit_add(v, 5); break;
	case ACT_WEIGHT_DOWN_5: edit_add(v, -5); break;
	case ACT_REVIEW:
		if (v->ed.typed[0])
			edit_apply_typed(v);
		else
			edit_submit(v);
		break;
	case ACT_CANCEL:
		edit_close(v);
		v->env.message(v->env.ctx, MSG_INFO, _("reroute cancelled: nothing was sent"));
		break;
	default:
		return VIEW_IGNORED;
	}
	return VIEW_HANDLED;
}

static keymap_mode route_mode(const void *p)
{
	const route_view *v = p;
	return v->ed.open ? KEYMAP_REROUTE : KEYMAP_NORMAL;
}

/* The first key of a command in a table ("Esc"), or ":name" when it has
 * none there. */
static void first_key_name(keymap_mode m, keymap_action a, char *out, size_t outsz)
{
	wint_t ch;
	bool kc;
	if (!keymap_first_key_in(m, a, &ch, &kc) ||
	    keymap_key_format(ch, kc, out, outsz) != 0)
		snprintf(out, outsz, ":%s", cmd_name(a));
}

/* "j/k member   +/- by 1 ..." from the editor's key table. */
static void edit_keys_line(char *out, size_t outsz)
{
	static const keymap_action cmds[] = {
		ACT_MEMBER_NEXT, ACT_MEMBER_PREV, ACT_WEIGHT_UP, ACT_WEIGHT_DOWN,
		ACT_WEIGHT_UP_5, ACT_WEIGHT_DOWN_5, ACT_REVIEW, ACT_CANCEL,
	};
	char k[8][32];
	for (size_t i = 0; i < 8; i++)
		first_key_name(KEYMAP_REROUTE, cmds[i], k[i], sizeof k[i]);
	/* TRANSLATORS: the reroute editor's key hints; each %s is a key */
	snprintf(out, outsz, _("%s/%s member   %s/%s by 1   %s/%s by 5   digits "
		 "then %s: set   %s: review   %s: cancel"), k[0], k[1], k[2], k[3],
		 k[4], k[5], k[6], k[6], k[7]);
}

static void edit_draw(route_view *v, WINDOW *win)
{
	widget_rect r = v->rect;
	widget_clear(win, r, ROLE_NORMAL);
	const api_route *rt = store_route_find(v->env.st, v->ed.route);
	char line[512];
	int y = r.y;
	snprintf(line, sizeof line, _("Reroute %s  %s  (version %lld)"), v->ed.route,
		 rt && rt->name ? rt->name : "", (long long)v->ed.version);
	widget_put(win, y++, r.x, r.w, line, 0, ROLE_TITLE);
	if (rt && rt->version != v->ed.version) {
		char esc[32], w[32];
		first_key_name(KEYMAP_REROUTE, ACT_CANCEL, esc, sizeof esc);
		first_key_name(KEYMAP_NORMAL, ACT_REROUTE, w, sizeof w);
		/* TRANSLATORS: the new version, the key that cancels, the key that
		 * opens the editor */
		snprintf(line, sizeof line, _("the group changed meanwhile (version %lld): "
			 "%s and %s again to start from it"), (long long)rt->version,
			 esc, w);
		widget_put(win, y++, r.x, r.w, line, 0, ROLE_WARN);
	}
	y++;
	/* padded by display width: the words may be Chinese */
	char hm[128], hn[32], hw[32], he[64], hh[64], ht[32];
	text_fit(_("member"), 28, TEXT_PAD, hm, sizeof hm);
	text_fit(_("now"), 5, TEXT_PAD | TEXT_RIGHT, hn, sizeof hn);
	text_fit(_("new"), 5, TEXT_PAD | TEXT_RIGHT, hw, sizeof hw);
	text_fit(_("eligible"), 12, TEXT_PAD, he, sizeof he);
	text_fit(_("health"), 9, TEXT_PAD, hh, sizeof hh);
	text_fit(_("TPS"), 8, TEXT_PAD | TEXT_RIGHT, ht, sizeof ht);
	snprintf(line, sizeof line, "  %s %s %s  %s %s %s", hm, hn, hw, he, hh, ht);
	widget_put(win, y++, r.x, r.w, line, 0, ROLE_HEADER);
	for (size_t i = 0; i < v->ed.n && y < r.y + r.h - 3; i++) {
		const api_channel *c = store_channel_find(v->env.st, v->ed.ids[i]);
		char h[32] = "-", tps[32] = "-", neww[16];
		if (c) {
			fmt_health(h, sizeof h, c->health, c->health_raw);
			fmt_tps(tps, sizeof tps, c->tps);
		}
		bool sel = i == v->ed.sel;
		if (sel && v->ed.typed[0])
			snprintf(neww, sizeof neww, "%s_", v->ed.typed);
		else
			snprintf(neww, sizeof neww, "%d%%", v->ed.w[i]);
		char cid[128], cel[64], chl[64], ctp[32];
		text_fit(v->ed.ids[i], 28, TEXT_PAD, cid, sizeof cid);
		text_fit(v->ed.eligible[i] ? _("eligible") : _("NOT eligible"), 12, TEXT_PAD,
			 cel, sizeof cel);
		text_fit(h, 9, TEXT_PAD, chl, sizeof chl);
		text_fit(tps, 8, TEXT_PAD | TEXT_RIGHT, ctp, sizeof ctp);
		snprintf(line, sizeof line, "%s %s %4d%% %5s  %s %s %s%s",
			 sel ? ">" : " ", cid, v->ed.before[i], neww, cel, chl, ctp,
			 v->ed.w[i] != v->ed.before[i] ? _("  changed") : "");
		widget_put(win, y, r.x, r.w, line, 0, sel ? ROLE_SELECTED :
			   !v->ed.eligible[i] ? ROLE_CRIT : ROLE_NORMAL);
		if (sel) {
			v->ed.cur_y = y;
			v->ed.cur_x = r.x;
		}
		y++;
	}
	y++;
	char why[300];
	const char *p = edit_problem(v, why, sizeof why);
	if (p)
		snprintf(line, sizeof line, _("cannot send yet: %s"), p);
	else
		snprintf(line, sizeof line, "%s", _("ok: the weights sum to 100%; Enter "
			 "reviews the effect and asks to confirm"));
	if (y < r.y + r.h)
		widget_put(win, y++, r.x, r.w, line, 0, p ? ROLE_WARN : ROLE_OK);
	if (y < r.y + r.h) {
		edit_keys_line(line, sizeof line);
		widget_put(win, y, r.x, r.w, line, 0, ROLE_DIM);
	}
	v->ed.dirty = false;
}

static bool route_draw(void *p, WINDOW *win, bool full)
{
	route_view *v = p;
	bool painted = false;
	if (v->ed.open) {
		if (full || v->clear_all || v->ed.dirty) {
			edit_draw(v, win);
			v->clear_all = false;
			return true;
		}
		return false;
	}
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
	if (v->ed.open)
		return route_edit_cmd(v, a);
	if (a == ACT_REROUTE)
		return edit_open(v);
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

static bool route_cursor(const void *p, int *y, int *x)
{
	const route_view *v = p;
	if (v->ed.open) {
		*y = v->ed.cur_y;
		*x = v->ed.cur_x;
		return true;
	}
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
	const route_view *v = p;
	if (v->ed.open) {
		*out = edit_hints;
		return sizeof edit_hints / sizeof edit_hints[0];
	}
	*out = route_hints;
	return sizeof route_hints / sizeof route_hints[0];
}

static const char *route_note(const void *p)
{
	route_view *v = (route_view *)p;
	const char *f = tview_filter(v->tv);
	if (!*f)
		return NULL;
	snprintf(v->note, sizeof v->note, _("filter '%s': %zu of %zu members"), f,
		 tview_shown(v->tv), v->n);
	return v->note;
}

const view_class view_routes = {
	.name = "routes", .title = N_("Routes"),
	.create = route_create, .destroy = route_destroy,
	.set_rect = route_set_rect, .recalc = route_recalc, .draw = route_draw,
	.action = route_action, .set_filter = route_set_filter,
	.filter = tview_pane_filter, .cursor = route_cursor,
	.due_in_ms = route_due_in_ms, .hints = route_hints_get,
	.note = route_note, .key = route_key, .mode = route_mode,
	.table = tview_pane_table, .sort_by = tview_pane_sort_by,
};
