/* views/alerts.c: the Alerts pane. The platform's alerts and every
 * configured Alertmanager's, merged by fingerprint in the store; grouped by
 * a label, filtered, sorted; a detail pane; and the operator's actions on
 * them, each handed to the operation runner (ops/ops.h):
 *
 *   a  acknowledge a platform alert        -> the action client (alert ack)
 *   z  silence an Alertmanager alert       -> am_silence_create
 *   Z  the silences list; x expires one    -> am_silence_expire
 *   b  group by none / channel_id / severity / alertname / source
 *   Enter on an alert with a channel_id: jump to that channel.
 *
 * Rows are built here rather than through tview, because group headers
 * are rows of their own that neither the filter nor the sort may move.
 * A row refers to its alert by fingerprint; an action looks the alert up
 * again when it runs, so a poll that reordered the store between the key
 * and the confirmation cannot make it act on another alert.
 */
#include "views/view.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "alerts/am.h"
#include "ops/ops.h"
#include "text/text.h"
#include "views/actflow.h"
#include "widgets/fmt.h"
#include "widgets/table.h"

#define ROW_KEY_MAX 192
#define CELL_MAX 512

/* ---- columns ---- */

enum { A_SEV, A_STATE, A_TITLE, A_SOURCE, A_AGE, A_ACKED, A_LABELS, A__N };

static const table_column alert_cols[A__N] = {
	[A_SEV] = { "Severity", 11, 11, 0, TABLE_LEFT },
	[A_STATE] = { "State", 8, 19, 0, TABLE_LEFT },
	[A_TITLE] = { "Title", 16, 44, 3, TABLE_LEFT },
	[A_SOURCE] = { "Source", 8, 24, 1, TABLE_LEFT },
	[A_AGE] = { "Age", 5, 7, 0, TABLE_RIGHT },
	[A_ACKED] = { "Acked by", 8, 14, 0, TABLE_LEFT },
	[A_LABELS] = { "Labels", 10, 0, 3, TABLE_LEFT },
};

enum { S_SERVER, S_ID, S_STATE, S_MATCHERS, S_BY, S_COMMENT, S_ENDS, S__N };

static const table_column sil_cols[S__N] = {
	[S_SERVER] = { "Alertmanager", 12, 16, 0, TABLE_LEFT },
	[S_ID] = { "Silence", 13, 36, 1, TABLE_LEFT },
	[S_STATE] = { "State", 7, 12, 0, TABLE_LEFT },
	[S_MATCHERS] = { "Matchers", 12, 0, 3, TABLE_LEFT },
	[S_BY] = { "Created by", 10, 16, 0, TABLE_LEFT },
	[S_COMMENT] = { "Comment", 10, 0, 2, TABLE_LEFT },
	[S_ENDS] = { "Ends", 6, 12, 0, TABLE_LEFT },
};

static const bar_hint alert_hints[] = {
	{ ACT_DETAIL, "jump/detail" }, { ACT_ACK, "ack" },
	{ ACT_SILENCE, "silence" }, { ACT_SILENCES, "silences" },
	{ ACT_GROUP, "group" }, { ACT_INFO, "info" }, { ACT_FILTER, "filter" },
	{ ACT_SORT, "sort" }, { ACT_HELP, "help" }, { ACT_QUIT, "quit" },
};
static const bar_hint sil_hints[] = {
	{ ACT_EXPIRE_SILENCE, "expire" }, { ACT_SILENCES, "alerts" },
	{ ACT_INFO, "info" }, { ACT_FILTER, "filter" }, { ACT_BACK, "back" },
	{ ACT_HELP, "help" }, { ACT_QUIT, "quit" },
};

/* ---- grouping ---- */

typedef enum { G_NONE, G_CHANNEL, G_SEVERITY, G_ALERTNAME, G_SOURCE,
	       G__N } group_by;
static const char *const group_names[G__N] = {
	"none", "channel_id", "severity", "alertname", "source",
};

/* ---- rows ---- */

typedef struct {
	bool group;
	size_t src;              /* alert: store index at the last rebuild */
	char key[ROW_KEY_MAX];       /* alert: fingerprint; group: the value */
	size_t n, firing;        /* group: members shown, of which firing */
} arow;

typedef struct {
	size_t server, idx;      /* am_hub_at(server), am_silence_at(idx) */
	char id[64];
	char srv[64];
} srow;

typedef struct alert_view {
	view_env env;
	table *at, *st;          /* alerts, silences */
	widget_rect rect, trect, detail;
	bool detail_open, detail_dirty, clear_all;
	bool show_silences;
	group_by group;
	char filter[256];
	int sort_col;            /* -1: the store's order (firing, severity, newest) */
	bool sort_desc;
	arow *rows; size_t n_rows, cap_rows;
	srow *srows; size_t n_srows, cap_srows;
	char sel_id[ROW_KEY_MAX + 4];  /* "a:<fp>" / "g:<value>" */
	char ssel_id[140];         /* "<server>/<silence id>" */
	char detail_id[ROW_KEY_MAX + 4];
	size_t shown_alerts;
	/* collapsed groups (by value), for the current grouping */
	char **collapsed; size_t n_collapsed;
	uint64_t seen_alerts, seen_am, seen_ops;
	time_t now;
	time_t built_min;        /* the minute ages were last computed for */
	char note[400];
} alert_view;

/* ---- small helpers ---- */

static const char *label_of(const api_alert *a, const char *key)
{
	for (size_t i = 0; i < a->n_labels; i++)
		if (a->labels[i].key && strcmp(a->labels[i].key, key) == 0)
			return a->labels[i].value;
	return NULL;
}

static const char *alert_key(const api_alert *a)
{
	return a->fingerprint && *a->fingerprint ? a->fingerprint :
	       a->id ? a->id : "";
}

static const api_alert *alert_by_key(const alert_view *v, const char *key,
				     size_t hint)
{
	const api_alert *a = store_alert_at(v->env.st, hint);
	if (a && strcmp(alert_key(a), key) == 0)
		return a;
	size_t n = store_alert_count(v->env.st);
	for (size_t i = 0; i < n; i++) {
		a = store_alert_at(v->env.st, i);
		if (a && strcmp(alert_key(a), key) == 0)
			return a;
	}
	return NULL;
}

/* Does Alertmanager s report this fingerprint in its last poll? Its raw
 * state ("active", "suppressed") in *state when it does. */
/* The first Alertmanager reporting the alert (NULL: none). */
static am_server *alert_am(const alert_view *v, const api_alert *a)
{
	if (!v->env.am)
		return NULL;
	size_t n = am_hub_count(v->env.am);
	for (size_t i = 0; i < n; i++) {
		am_server *s = am_hub_at(v->env.am, i);
		if (am_alert_seen(s, a->fingerprint, NULL))
			return s;
	}
	if (a->source && strcmp(a->source, "platform") != 0)
		return am_hub_find(v->env.am, a->source);
	return NULL;
}

static bool alert_from_platform(const alert_view *v, const api_alert *a)
{
	if (!a->source || strcmp(a->source, "platform") == 0)
		return true;
	(void)v;
	return false;
}

/* Silenced: an Alertmanager says "suppressed" or names silences. */
static bool alert_silenced(const alert_view *v, const api_alert *a)
{
	if (a->state_raw && strcmp(a->state_raw, "suppressed") == 0)
		return true;
	if (!v->env.am)
		return false;
	size_t n = am_hub_count(v->env.am);
	for (size_t i = 0; i < n; i++) {
		const char *st = NULL;
		am_server *s = am_hub_at(v->env.am, i);
		if (am_alert_seen(s, a->fingerprint, &st) && st &&
		    strcmp(st, "suppressed") == 0)
			return true;
		if (am_alert_silenced_by(s, a->fingerprint, NULL) > 0)
			return true;
	}
	return false;
}

/* "platform", "am-test", "platform+am-test". */
static void alert_sources(const alert_view *v, const api_alert *a,
			  char *out, size_t sz)
{
	size_t len = 0;
	out[0] = '\0';
	bool platform = alert_from_platform(v, a);
	if (platform)
		len = (size_t)snprintf(out, sz, "platform");
	bool any_am = false;
	if (v->env.am) {
		size_t n = am_hub_count(v->env.am);
		for (size_t i = 0; i < n && len < sz; i++) {
			am_server *s = am_hub_at(v->env.am, i);
			if (!am_alert_seen(s, a->fingerprint, NULL))
				continue;
			any_am = true;
			len += (size_t)snprintf(out + len, sz - len, "%s%s",
						len ? "+" : "", am_server_name(s));
		}
	}
	if (!platform && !any_am)
		snprintf(out, sz, "%s", a->source ? a->source : "-");
}

/* The runner's word for an action in flight on key ("ack", "silence",
 * "expire"), or NULL. */
static const char *in_flight(const alert_view *v, const char *key)
{
	const ops_mark *m = ops_mark_of(flow_ops(v->env.flow), key);
	return m && m->phase == OPS_IN_FLIGHT ? m->what : NULL;
}

/* "<1m", "12m", "3h05m", "2d4h". */
static void fmt_age(char *out, size_t sz, time_t starts, time_t now)
{
	if (!starts) {
		snprintf(out, sz, "-");
		return;
	}
	long long s = (long long)(now - starts);
	if (s < 60)
		snprintf(out, sz, "<1m");
	else if (s < 3600)
		snprintf(out, sz, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(out, sz, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(out, sz, "%lldd%lldh", s / 86400, s % 86400 / 3600);
}

static term_role fmt_severity(char *out, size_t sz, const api_alert *a)
{
	switch (a->severity) {
	case AS_CRITICAL: snprintf(out, sz, "!! critical"); return ROLE_CRIT;
	case AS_WARNING: snprintf(out, sz, "! warning"); return ROLE_WARN;
	case AS_INFO: snprintf(out, sz, "i info"); return ROLE_NORMAL;
	default: {
		char e[64];
		fmt_enum(e, sizeof e, NULL, a->severity_raw && *a->severity_raw ?
			 a->severity_raw : "none");
		snprintf(out, sz, "? %s", e);
		return ROLE_NORMAL;
	}
	}
}

/* "firing", "resolved", "silenced"; plus the action in flight. */
static term_role fmt_state(const alert_view *v, const api_alert *a,
			   char *out, size_t sz)
{
	term_role role = ROLE_NORMAL;
	char base[64];
	if (a->state == AST_RESOLVED) {
		snprintf(base, sizeof base, "resolved");
		role = ROLE_DIM;
	} else if (alert_silenced(v, a)) {
		snprintf(base, sizeof base, "silenced");
		role = ROLE_DIM;
	} else if (a->state == AST_FIRING) {
		snprintf(base, sizeof base, "firing");
	} else {
		fmt_enum(base, sizeof base, NULL, a->state_raw);
	}
	const char *w = in_flight(v, alert_key(a));
	if (w && strcmp(w, "expire") != 0) {
		snprintf(out, sz, "%s ~%s...", base, w);
		return ROLE_INFO;
	}
	snprintf(out, sz, "%s", base);
	return role;
}

static void fmt_labels(const api_alert *a, char *out, size_t sz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < a->n_labels && len < sz; i++)
		len += (size_t)snprintf(out + len, sz - len, "%s%s=%s",
					i ? " " : "",
					a->labels[i].key ? a->labels[i].key : "",
					a->labels[i].value ? a->labels[i].value : "");
}

static void fmt_matchers(const am_silence *s, char *out, size_t sz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < s->n_matchers && len < sz; i++) {
		const am_matcher *m = &s->matchers[i];
		const char *rel = m->is_regex ? (m->is_equal ? "=~" : "!~") :
				  (m->is_equal ? "=" : "!=");
		len += (size_t)snprintf(out + len, sz - len, "%s%s%s\"%s\"",
					i ? " " : "", m->name ? m->name : "", rel,
					m->value ? m->value : "");
	}
}

static void group_value(const alert_view *v, const api_alert *a, char *out,
			size_t sz)
{
	const char *s = NULL;
	switch (v->group) {
	case G_CHANNEL: s = label_of(a, "channel_id"); break;
	case G_ALERTNAME: s = label_of(a, "alertname"); break;
	case G_SEVERITY:
		s = a->severity < AS_UNKNOWN ? api_alert_severity_str(a->severity) :
		    a->severity_raw;
		break;
	case G_SOURCE: alert_sources(v, a, out, sz); return;
	default: break;
	}
	snprintf(out, sz, "%s", s && *s ? s : "(none)");
}

/* ---- the alert cells ---- */

static int alert_text(const alert_view *v, const api_alert *a, int col,
		      char *buf, size_t sz, int *role)
{
	switch (col) {
	case A_SEV: *role = fmt_severity(buf, sz, a); break;
	case A_STATE: *role = fmt_state(v, a, buf, sz); break;
	case A_TITLE: snprintf(buf, sz, "%s", a->title ? a->title : ""); break;
	case A_SOURCE: alert_sources(v, a, buf, sz); break;
	case A_AGE: fmt_age(buf, sz, a->starts_at, v->now); break;
	case A_ACKED: snprintf(buf, sz, "%s", a->acked_by ? a->acked_by : "-"); break;
	case A_LABELS: fmt_labels(a, buf, sz); break;
	default: return -1;
	}
	return 0;
}

static int alert_cell(void *ctx, size_t row, int col, char *buf, size_t sz,
		      int *role)
{
	alert_view *v = ctx;
	if (row >= v->n_rows)
		return -1;
	const arow *r = &v->rows[row];
	if (r->group) {
		/* the whole line is painted over in draw(); this is what
		 * shows should that not happen */
		if (col == A_SEV)
			snprintf(buf, sz, "-- %s", r->key);
		return 0;
	}
	const api_alert *a = alert_by_key(v, r->key, r->src);
	if (!a)
		return -1;
	return alert_text(v, a, col, buf, sz, role);
}

static const am_silence *srow_silence(const alert_view *v, const srow *r,
				      am_server **srv)
{
	am_server *s = v->env.am ? am_hub_find(v->env.am, r->srv) : NULL;
	if (srv)
		*srv = s;
	if (!s)
		return NULL;
	const am_silence *x = am_silence_at(s, r->idx);
	if (x && x->id && strcmp(x->id, r->id) == 0)
		return x;
	return am_silence_find(s, r->id);
}

static int sil_text(const alert_view *v, const srow *r, int col, char *buf,
		    size_t sz, int *role)
{
	const am_silence *x = srow_silence(v, r, NULL);
	if (!x)
		return -1;
	switch (col) {
	case S_SERVER: snprintf(buf, sz, "%s", r->srv); break;
	case S_ID: snprintf(buf, sz, "%s", x->id); break;
	case S_STATE: {
		const char *w = in_flight(v, x->id);
		if (w && strcmp(w, "expire") == 0) {
			snprintf(buf, sz, "~expiring...");
			*role = ROLE_INFO;
			break;
		}
		fmt_enum(buf, sz, x->state == AM_SIL_UNKNOWN ? NULL :
			 am_silence_state_str(x->state), x->state_raw);
		if (x->state == AM_SIL_EXPIRED)
			*role = ROLE_DIM;
		break;
	}
	case S_MATCHERS: fmt_matchers(x, buf, sz); break;
	case S_BY: snprintf(buf, sz, "%s", x->created_by ? x->created_by : ""); break;
	case S_COMMENT: snprintf(buf, sz, "%s", x->comment ? x->comment : ""); break;
	case S_ENDS: fmt_time(buf, sz, x->ends_at, v->now); break;
	default: return -1;
	}
	return 0;
}

static int sil_cell(void *ctx, size_t row, int col, char *buf, size_t sz,
		    int *role)
{
	alert_view *v = ctx;
	if (row >= v->n_srows)
		return -1;
	return sil_text(v, &v->srows[row], col, buf, sz, role);
}

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
	return alert_text(v, obj, col, buf, sz, role);
}

static int sil_text_any(const alert_view *v, const void *obj, int col,
			char *buf, size_t sz, int *role)
{
	return sil_text(v, obj, col, buf, sz, role);
}

/* ---- building the rows ---- */

typedef struct {
	size_t src;
	char group[ROW_KEY_MAX];
	int gorder;              /* severity groups in severity order */
} sort_item;

static alert_view *sort_v; /* qsort has no context argument */

static bool num_key(const alert_view *v, const api_alert *a, int col,
		    double *out)
{
	switch (col) {
	case A_SEV: *out = a->severity; return true;
	case A_STATE:
		*out = a->state == AST_RESOLVED ? 2 : alert_silenced(v, a) ? 1 : 0;
		return true;
	case A_AGE: *out = a->starts_at ? (double)(v->now - a->starts_at) : 1e18;
		return true;
	default: return false;
	}
}

static int item_cmp(const void *pa, const void *pb)
{
	const alert_view *v = sort_v;
	const sort_item *x = pa, *y = pb;
	int r = 0;
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
			alert_text(v, a, v->sort_col, ba, sizeof ba, &role);
			alert_text(v, b, v->sort_col, bb, sizeof bb, &role);
			r = strcoll(ba, bb);
		}
		if (v->sort_desc)
			r = -r;
	}
	if (r == 0)
		r = x->src < y->src ? -1 : x->src > y->src;
	return r;
}

static bool is_collapsed(const alert_view *v, const char *g)
{
	for (size_t i = 0; i < v->n_collapsed; i++)
		if (strcmp(v->collapsed[i], g) == 0)
			return true;
	return false;
}

static void collapsed_clear(alert_view *v)
{
	for (size_t i = 0; i < v->n_collapsed; i++)
		free(v->collapsed[i]);
	free(v->collapsed);
	v->collapsed = NULL;
	v->n_collapsed = 0;
}

static void collapsed_toggle(alert_view *v, const char *g)
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

static void row_id(const alert_view *v, size_t row, char *out, size_t sz)
{
	if (row >= v->n_rows) {
		out[0] = '\0';
		return;
	}
	snprintf(out, sz, "%s:%s", v->rows[row].group ? "g" : "a",
		 v->rows[row].key);
}

static void remember_sel(alert_view *v)
{
	row_id(v, table_selected(v->at), v->sel_id, sizeof v->sel_id);
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
		snprintf(e, sizeof e, "no %s match '%s'", noun, v->filter);
	else if (t == v->st && !v->env.am)
		snprintf(e, sizeof e, "no Alertmanager configured "
			 "(alertmanagers: in the configuration)");
	else
		snprintf(e, sizeof e, "no %s yet", noun);
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
		if (!a || !filter_match(v, A__N, alert_text_any, a))
			continue;
		items[m].src = i;
		items[m].group[0] = '\0';
		items[m].gorder = 0;
		if (v->group != G_NONE)
			group_value(v, a, items[m].group, sizeof items[m].group);
		if (v->group == G_SEVERITY)
			items[m].gorder = (int)a->severity;
		m++;
	}
	sort_v = v;
	if (m > 1)
		qsort(items, m, sizeof *items, item_cmp);
	sort_v = NULL;
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
			if (is_collapsed(v, g->key)) {
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
			snprintf(r->key, sizeof r->key, "%s", a ? alert_key(a) : "");
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
			row_id(v, i, id, sizeof id);
			if (strcmp(id, v->sel_id) == 0) {
				table_select(v->at, i);
				found = true;
			}
		}
	}
	if (!found && old_sel != SIZE_MAX)
		table_select(v->at, old_sel);
	empty_text(v, v->at, "alerts");
	table_invalidate(v->at);
	row_id(v, table_selected(v->at), v->sel_id, sizeof v->sel_id);
}

static void build_silences(alert_view *v)
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
	empty_text(v, v->st, "silences");
	table_invalidate(v->st);
	remember_sel(v);
}

static void rebuild(alert_view *v)
{
	build_alerts(v);
	build_silences(v);
	v->detail_dirty = true;
}

/* ---- layout ---- */

static void layout(alert_view *v)
{
	widget_rect t = v->rect;
	if (v->detail_open && v->rect.h >= 16) {
		int dh = v->rect.h / 2;
		if (dh > 16)
			dh = 16;
		t.h = v->rect.h - dh;
		v->detail = (widget_rect){ t.y + t.h, v->rect.x, dh, v->rect.w };
	} else if (v->detail_open) {
		v->detail = v->rect;
		t.h = 2;
		v->detail.y += 2;
		v->detail.h -= 2;
	}
	v->trect = t;
	table_set_rect(v->at, t);
	table_set_rect(v->st, t);
	v->clear_all = true;
	v->detail_dirty = true;
}

/* ---- life cycle ---- */

static void *alert_create(const view_env *env)
{
	alert_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->env = *env;
	v->sort_col = -1;
	v->at = table_new(alert_cols, A__N, alert_cell, v);
	v->st = table_new(sil_cols, S__N, sil_cell, v);
	if (!v->at || !v->st) {
		table_free(v->at);
		table_free(v->st);
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
	collapsed_clear(v);
	table_free(v->at);
	table_free(v->st);
	free(v->rows);
	free(v->srows);
	free(v);
}

static void alert_set_rect(void *p, widget_rect r)
{
	alert_view *v = p;
	v->rect = r;
	layout(v);
}

static uint64_t am_gen(const alert_view *v)
{
	return v->env.am ? am_hub_gen(v->env.am) : 0;
}

static bool alert_recalc(void *p, time_t now, bool force)
{
	alert_view *v = p;
	uint64_t g = store_meta_get(v->env.st, STORE_ALERTS)->gen;
	uint64_t ag = am_gen(v);
	bool minute = now / 60 != v->built_min; /* ages move by the minute */
	v->now = now;
	uint64_t og = flow_gen(v->env.flow);
	if (!force && g == v->seen_alerts && ag == v->seen_am &&
	    og == v->seen_ops && !minute)
		return false;
	v->seen_alerts = g;
	v->seen_am = ag;
	v->seen_ops = og;
	v->built_min = now / 60;
	rebuild(v);
	return true;
}

/* ---- drawing ---- */

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
	term_role sr = fmt_severity(b1, sizeof b1, a);
	fmt_state(v, a, b2, sizeof b2);
	snprintf(line, sizeof line, "%s  [%s]  %s", a->title ? a->title : "",
		 b1, b2);
	dline(win, &r, y, line, sr == ROLE_CRIT ? ROLE_CRIT : ROLE_TITLE);
	snprintf(line, sizeof line, "summary: %s",
		 a->summary && *a->summary ? a->summary : "-");
	dline(win, &r, y, line, ROLE_NORMAL);
	alert_sources(v, a, src, sizeof src);
	snprintf(line, sizeof line, "id: %s   fingerprint: %s   source: %s",
		 a->id ? a->id : "-", a->fingerprint ? a->fingerprint : "-", src);
	dline(win, &r, y, line, ROLE_NORMAL);
	char st[64] = "-", en[64] = "-";
	if (a->starts_at)
		time_format_rfc3339(a->starts_at, st, sizeof st);
	if (a->ends_at)
		time_format_rfc3339(a->ends_at, en, sizeof en);
	snprintf(line, sizeof line, "starts: %s   ends: %s   acked by: %s", st,
		 en, a->acked_by ? a->acked_by : "-");
	dline(win, &r, y, line, ROLE_NORMAL);
	dline(win, &r, y, a->n_labels ? "labels:" : "labels: none", ROLE_NORMAL);
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
				dline(win, &r, y, "silenced by:", ROLE_NORMAL);
			any = true;
			snprintf(line, sizeof line, "  %s on %s, by %s, until %s: %s",
				 ids[i], am_server_name(srv),
				 x && x->created_by ? x->created_by : "?", ends,
				 x && x->comment ? x->comment : "");
			if (dline(win, &r, y, line, ROLE_DIM) < 0)
				return;
		}
	}
	if (!any && alert_am(v, a))
		dline(win, &r, y, "silenced by: none", ROLE_NORMAL);
}

static void detail_silence(alert_view *v, WINDOW *win, widget_rect r, int *y,
			   const srow *sr)
{
	am_server *srv = NULL;
	const am_silence *x = srow_silence(v, sr, &srv);
	char line[1024], st[64] = "-", en[64] = "-", up[64] = "-";
	if (!x) {
		dline(win, &r, y, "the silence is gone", ROLE_DIM);
		return;
	}
	snprintf(line, sizeof line, "silence %s on %s: %s", x->id, sr->srv,
		 x->state_raw ? x->state_raw : am_silence_state_str(x->state));
	dline(win, &r, y, line, ROLE_TITLE);
	if (x->starts_at)
		time_format_rfc3339(x->starts_at, st, sizeof st);
	if (x->ends_at)
		time_format_rfc3339(x->ends_at, en, sizeof en);
	if (x->updated_at)
		time_format_rfc3339(x->updated_at, up, sizeof up);
	snprintf(line, sizeof line, "starts: %s   ends: %s   updated: %s", st, en, up);
	dline(win, &r, y, line, ROLE_NORMAL);
	snprintf(line, sizeof line, "created by: %s", x->created_by ? x->created_by : "");
	dline(win, &r, y, line, ROLE_NORMAL);
	snprintf(line, sizeof line, "comment: %s", x->comment ? x->comment : "");
	dline(win, &r, y, line, ROLE_NORMAL);
	dline(win, &r, y, "matchers:", ROLE_NORMAL);
	for (size_t i = 0; i < x->n_matchers; i++) {
		const am_matcher *m = &x->matchers[i];
		snprintf(line, sizeof line, "  %s %s \"%s\"", m->name ? m->name : "",
			 m->is_regex ? (m->is_equal ? "=~" : "!~") :
			 (m->is_equal ? "=" : "!="), m->value ? m->value : "");
		if (dline(win, &r, y, line, ROLE_NORMAL) < 0)
			return;
	}
}

static void detail_draw(alert_view *v, WINDOW *win)
{
	widget_rect r = v->detail;
	int y = r.y;
	widget_clear(win, r, ROLE_NORMAL);
	widget_put(win, y++, r.x, r.w, "", 0, ROLE_BORDER);
	if (v->show_silences) {
		size_t s = table_selected(v->st);
		if (s >= v->n_srows) {
			dline(win, &r, &y, "no silence selected", ROLE_DIM);
			v->detail_id[0] = '\0';
			return;
		}
		snprintf(v->detail_id, sizeof v->detail_id, "s:%s", v->srows[s].id);
		detail_silence(v, win, r, &y, &v->srows[s]);
		return;
	}
	size_t s = table_selected(v->at);
	row_id(v, s, v->detail_id, sizeof v->detail_id);
	if (s >= v->n_rows) {
		dline(win, &r, &y, "no alert selected", ROLE_DIM);
		return;
	}
	const arow *row = &v->rows[s];
	if (row->group) {
		char line[400];
		snprintf(line, sizeof line, "%s = %s: %zu alerts, %zu firing%s",
			 group_names[v->group], row->key, row->n, row->firing,
			 is_collapsed(v, row->key) ? " (folded: Enter unfolds)" :
			 " (Enter folds)");
		dline(win, &r, &y, line, ROLE_TITLE);
		return;
	}
	const api_alert *a = alert_by_key(v, row->key, row->src);
	if (!a) {
		dline(win, &r, &y, "the alert is gone", ROLE_DIM);
		return;
	}
	detail_alert(v, win, r, &y, a);
}

/* Group headers span the whole line: paint them over the table's cells. */
static void draw_groups(alert_view *v, WINDOW *win)
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
		snprintf(line, sizeof line, "%s %s=%s  (%zu alert%s, %zu firing)",
			 is_collapsed(v, g->key) ? "+" : "-", group_names[v->group],
			 g->key, g->n, g->n == 1 ? "" : "s", g->firing);
		widget_put(win, v->trect.y + 1 + i, v->trect.x, v->trect.w, line, 0,
			   row == sel ? ROLE_SELECTED : ROLE_TITLE);
	}
}

static bool alert_draw(void *p, WINDOW *win, bool full)
{
	alert_view *v = p;
	bool painted = false;
	table *t = v->show_silences ? v->st : v->at;
	if (full || v->clear_all) {
		widget_clear(win, v->rect, ROLE_NORMAL);
		table_invalidate(t);
		v->detail_dirty = true;
		v->clear_all = false;
		painted = true;
	}
	if (table_needs(t)) {
		if (table_draw(t, win) > 0) {
			painted = true;
			if (t == v->at && v->group != G_NONE)
				draw_groups(v, win);
		}
		if (v->detail_open) {
			char id[sizeof v->detail_id];
			if (v->show_silences) {
				size_t s = table_selected(v->st);
				snprintf(id, sizeof id, "s:%s",
					 s < v->n_srows ? v->srows[s].id : "");
			} else {
				row_id(v, table_selected(v->at), id, sizeof id);
			}
			if (strcmp(id, v->detail_id) != 0)
				v->detail_dirty = true;
		}
	}
	if (v->detail_open && v->detail_dirty) {
		detail_draw(v, win);
		painted = true;
	}
	v->detail_dirty = false;
	return painted;
}

/* ---- actions: what to act on, for the runner ---- */

static void say(alert_view *v, int sev, const char *text)
{
	if (v->env.message)
		v->env.message(v->env.ctx, sev, text);
}

/* The operator's alert if one is selected (NULL and says why if not). */
static const api_alert *selected_alert(alert_view *v)
{
	if (v->show_silences) {
		say(v, MSG_WARN, "this is the silences list: Z goes back to the alerts");
		return NULL;
	}
	size_t s = table_selected(v->at);
	if (s >= v->n_rows) {
		say(v, MSG_WARN, "no alert selected");
		return NULL;
	}
	if (v->rows[s].group) {
		say(v, MSG_WARN, "a group header is selected: choose an alert");
		return NULL;
	}
	const api_alert *a = alert_by_key(v, v->rows[s].key, v->rows[s].src);
	if (!a)
		say(v, MSG_WARN, "the alert is gone");
	return a;
}

/* The first key bound to a, else dflt: the key that opens the dialog. */
static wint_t key_of(keymap_action a, wint_t dflt)
{
	wint_t k = dflt;
	keymap_first_key(a, &k, &(bool){ false });
	return k;
}

static void do_ack(alert_view *v)
{
	const api_alert *a = selected_alert(v);
	if (!a)
		return;
	char sev[32], st[32];
	fmt_severity(sev, sizeof sev, a);
	fmt_state(v, a, st, sizeof st);
	ops_ack(flow_ops(v->env.flow), a, sev, st, key_of(ACT_ACK, 'a'));
}

static void do_silence(alert_view *v)
{
	const api_alert *a = selected_alert(v);
	if (!a)
		return;
	ops_silence(flow_ops(v->env.flow), a, alert_am(v, a),
		    key_of(ACT_SILENCE, 'z'));
}

static void expire_silence(alert_view *v, am_server *s, const am_silence *x)
{
	char m[1100], ends[64];
	fmt_matchers(x, m, sizeof m);
	fmt_time(ends, sizeof ends, x->ends_at, v->now);
	ops_expire(flow_ops(v->env.flow), s, x, m, ends,
		   key_of(ACT_EXPIRE_SILENCE, 'x'));
}

static void do_expire(alert_view *v)
{
	if (v->show_silences) {
		size_t s = table_selected(v->st);
		am_server *srv = NULL;
		const am_silence *x = s < v->n_srows ?
				      srow_silence(v, &v->srows[s], &srv) : NULL;
		if (!x) {
			say(v, MSG_WARN, "no silence selected");
			return;
		}
		expire_silence(v, srv, x);
		return;
	}
	/* on an alert: the one silence muting it */
	const api_alert *a = selected_alert(v);
	if (!a)
		return;
	size_t ns = v->env.am ? am_hub_count(v->env.am) : 0, found = 0;
	am_server *fs = NULL;
	const am_silence *fx = NULL;
	for (size_t i = 0; i < ns; i++) {
		am_server *srv = am_hub_at(v->env.am, i);
		const char *const *ids = NULL;
		size_t k = am_alert_silenced_by(srv, a->fingerprint, &ids);
		for (size_t j = 0; j < k; j++) {
			const am_silence *x = am_silence_find(srv, ids[j]);
			if (x) {
				found++;
				fs = srv;
				fx = x;
			}
		}
	}
	if (found == 1) {
		expire_silence(v, fs, fx);
		return;
	}
	say(v, MSG_WARN, found ? "several silences mute this alert: Z lists them, "
	    "x there expires one" : "no silence mutes this alert (Z lists the silences)");
}

/* -- navigation -- */

static void toggle_detail(alert_view *v)
{
	v->detail_open = !v->detail_open;
	layout(v);
}

static void do_enter(alert_view *v)
{
	if (v->show_silences) {
		if (!v->detail_open)
			toggle_detail(v);
		return;
	}
	size_t s = table_selected(v->at);
	if (s >= v->n_rows)
		return;
	if (v->rows[s].group) {
		collapsed_toggle(v, v->rows[s].key);
		rebuild(v);
		return;
	}
	const api_alert *a = alert_by_key(v, v->rows[s].key, v->rows[s].src);
	const char *ch = a ? label_of(a, "channel_id") : NULL;
	if (ch && *ch && v->env.jump) {
		v->env.jump(v->env.ctx, "channels", ch);
		return;
	}
	if (!v->detail_open)
		toggle_detail(v);
}

static int alert_action(void *p, keymap_action a)
{
	alert_view *v = p;
	table *t = v->show_silences ? v->st : v->at;
	if (table_handle(t, a)) {
		remember_sel(v); /* draw_groups() repaints header lines */
		return VIEW_HANDLED;
	}
	switch (a) {
	case ACT_DETAIL: do_enter(v); return VIEW_HANDLED;
	case ACT_INFO: toggle_detail(v); return VIEW_HANDLED;
	case ACT_BACK:
		if (v->detail_open) {
			toggle_detail(v);
			return VIEW_HANDLED;
		}
		if (v->show_silences) {
			v->show_silences = false;
			v->clear_all = true;
			return VIEW_HANDLED;
		}
		return VIEW_IGNORED;
	case ACT_SILENCES:
		v->show_silences = !v->show_silences;
		if (v->show_silences && !v->env.am)
			say(v, MSG_INFO, "no Alertmanager configured: no silences");
		build_silences(v);
		layout(v);
		return VIEW_HANDLED;
	case ACT_GROUP: {
		v->group = (group_by)((v->group + 1) % G__N);
		collapsed_clear(v);
		rebuild(v);
		v->clear_all = true;
		char msg[128];
		snprintf(msg, sizeof msg, "alerts grouped by %s",
			 group_names[v->group]);
		say(v, MSG_INFO, v->group == G_NONE ? "alerts not grouped" : msg);
		return VIEW_HANDLED;
	}
	case ACT_SORT:
		if (v->show_silences)
			return VIEW_HANDLED;
		v->sort_col++;
		if (v->sort_col >= A__N)
			v->sort_col = -1;
		v->sort_desc = false;
		table_set_sort(v->at, v->sort_col, v->sort_desc);
		rebuild(v);
		return VIEW_HANDLED;
	case ACT_SORT_REVERSE:
		if (v->show_silences)
			return VIEW_HANDLED;
		if (v->sort_col < 0)
			v->sort_col = 0;
		v->sort_desc = !v->sort_desc;
		table_set_sort(v->at, v->sort_col, v->sort_desc);
		rebuild(v);
		return VIEW_HANDLED;
	case ACT_ACK: do_ack(v); return VIEW_HANDLED;
	case ACT_SILENCE: do_silence(v); return VIEW_HANDLED;
	case ACT_EXPIRE_SILENCE: do_expire(v); return VIEW_HANDLED;
	default: return VIEW_IGNORED;
	}
}

static void alert_set_filter(void *p, const char *f)
{
	alert_view *v = p;
	snprintf(v->filter, sizeof v->filter, "%s", f ? f : "");
	rebuild(v);
}

static const char *alert_filter(const void *p)
{
	return ((const alert_view *)p)->filter;
}

static bool alert_cursor(const void *p, int *y, int *x)
{
	const alert_view *v = p;
	return table_cursor(v->show_silences ? v->st : v->at, y, x);
}

/* Ages move by the minute: the next minute boundary while any alert is
 * shown. */
static long alert_due_in_ms(const void *p, time_t now)
{
	const alert_view *v = p;
	if (v->show_silences || store_alert_count(v->env.st) == 0)
		return -1;
	return (long)(60 - now % 60) * 1000;
}

static size_t alert_hints_get(const void *p, const bar_hint **out)
{
	const alert_view *v = p;
	if (v->show_silences) {
		*out = sil_hints;
		return sizeof sil_hints / sizeof sil_hints[0];
	}
	*out = alert_hints;
	return sizeof alert_hints / sizeof alert_hints[0];
}

static const char *alert_note(const void *p)
{
	alert_view *v = (alert_view *)p;
	if (!v->filter[0])
		return NULL;
	if (v->show_silences)
		snprintf(v->note, sizeof v->note, "filter '%s': %zu silences",
			 v->filter, v->n_srows);
	else
		snprintf(v->note, sizeof v->note, "filter '%s': %zu of %zu alerts",
			 v->filter, v->shown_alerts, store_alert_count(v->env.st));
	return v->note;
}

/* Select an alert by fingerprint or id (a jump from another pane). */
static bool alert_select(void *p, const char *id)
{
	alert_view *v = p;
	if (!id)
		return false;
	if (v->show_silences) {
		v->show_silences = false;
		v->clear_all = true;
	}
	rebuild(v);
	for (size_t i = 0; i < v->n_rows; i++) {
		if (v->rows[i].group)
			continue;
		const api_alert *a = alert_by_key(v, v->rows[i].key, v->rows[i].src);
		if (a && (strcmp(alert_key(a), id) == 0 ||
			  (a->id && strcmp(a->id, id) == 0))) {
			table_select(v->at, i);
			remember_sel(v);
			return true;
		}
	}
	return false;
}

const view_class view_alerts = {
	.name = "alerts", .title = "Alerts",
	.create = alert_create, .destroy = alert_destroy,
	.set_rect = alert_set_rect, .recalc = alert_recalc, .draw = alert_draw,
	.action = alert_action, .set_filter = alert_set_filter,
	.filter = alert_filter, .cursor = alert_cursor,
	.due_in_ms = alert_due_in_ms, .hints = alert_hints_get,
	.note = alert_note, .select = alert_select,
};
