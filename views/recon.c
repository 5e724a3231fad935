/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/recon.c: reconciliation: the summary per channel for a recon date
 * (the latest by default) with totals, and the breaks, paged from the
 * cache, filtered, with their count and summed difference; resolve one
 * or many (Space marks) through the confirmation dialog. */
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

enum { B_ID, B_TYPE, B_CHANNEL, B_DIFF, B_SEV, B_STATUS, B_AGE, B_PLAT,
       B_CHAMT, B_MERCHANT, B_ORDER, B_SERIAL, B_ASSIGNEE, B__N };

static const table_column brk_cols[B__N] = {
	[B_ID] = { N_("ID"), 19, 22, 0, TABLE_LEFT, 1, true },
	[B_TYPE] = { N_("Type"), 16, 16, 0, TABLE_LEFT, 9, false },
	[B_CHANNEL] = { N_("Channel"), 20, 24, 1, TABLE_LEFT, 7, false },
	[B_DIFF] = { N_("Difference"), 14, 18, 0, TABLE_RIGHT, 2, true },
	[B_SEV] = { N_("Sev"), 7, 7, 0, TABLE_LEFT, 8, false },
	[B_STATUS] = { N_("Status"), 15, 15, 0, TABLE_LEFT, 3, false },
	[B_AGE] = { N_("Age"), 6, 7, 0, TABLE_RIGHT, 4, false },
	[B_PLAT] = { N_("Platform"), 15, 18, 0, TABLE_RIGHT, 5, true },
	[B_CHAMT] = { N_("Channel amt"), 15, 18, 0, TABLE_RIGHT, 6, true },
	[B_MERCHANT] = { N_("Merchant"), 16, 18, 1, TABLE_LEFT },
	[B_ORDER] = { N_("Order no"), 17, 18, 1, TABLE_LEFT },
	[B_SERIAL] = { N_("Channel serial"), 14, 16, 1, TABLE_LEFT },
	[B_ASSIGNEE] = { N_("Assignee"), 8, 12, 0, TABLE_LEFT },
};

static const bar_hint rc_hints[] = {
	{ ACT_DETAIL, N_("detail") }, { ACT_FILTER, N_("filter") }, { ACT_SORT, N_("sort") },
	{ ACT_MARK, N_("mark") }, { ACT_RESOLVE, N_("resolve...") }, { ACT_ASSIGN, N_("assign") },
	{ ACT_LEFT, N_("summary") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};
static const bar_hint mark_hints[] = {
	{ ACT_RESOLVE_MATCH, N_("match") }, { ACT_RESOLVE_ADJUST, N_("adjust") },
	{ ACT_RESOLVE_WRITE_OFF, N_("write off") }, { ACT_RESOLVE_ESCALATE, N_("escalate") },
	{ ACT_RESOLVE_INVESTIGATE, N_("investigate") }, { ACT_RESOLVE_REOPEN, N_("reopen") },
	{ ACT_RESOLVE_ASSIGN, N_("assign") },
};
static const bar_hint sum_hints[] = {
	{ ACT_DETAIL, N_("breaks of channel") }, { ACT_RIGHT, N_("breaks") },
	{ ACT_FILTER, N_("filter") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

static const struct { cache_break_sort s; int col; const char *word; } sorts[] = {
	{ CACHE_BREAK_SORT_SEVERITY, B_SEV, N_("severity, newest") },
	{ CACHE_BREAK_SORT_DETECTED, B_AGE, N_("newest") },
	{ CACHE_BREAK_SORT_DIFFERENCE, B_DIFF, N_("largest |difference|") },
	{ CACHE_BREAK_SORT_CHANNEL, B_CHANNEL, N_("channel") },
	{ CACHE_BREAK_SORT_STATUS, B_STATUS, N_("status") },
	{ CACHE_BREAK_SORT_RECON_DATE, -1, N_("recon date") },
	{ CACHE_BREAK_SORT_ID, B_ID, N_("id") },
};
#define N_SORTS (sizeof sorts / sizeof sorts[0])

/* The pane sorts in the query: by the columns its sort orders name; the
 * text columns up, the others down. */
static int rc_order(size_t i, bool *desc)
{
	*desc = sorts[i].s != CACHE_BREAK_SORT_CHANNEL && sorts[i].s != CACHE_BREAK_SORT_ID &&
		sorts[i].s != CACHE_BREAK_SORT_STATUS;
	return sorts[i].col;
}

typedef struct {
	qpane b;                     /* first: the shared pane callbacks take it */
	widget_rect sum_rect;
	char channel[128];           /* the channel filter, completed */
	int64_t count, sum;
	char cur[4];
	api_recon_summary sum_data;
	queue_recon_totals tot;
	bool have_sum;
	size_t sum_sel, sum_top;
	bool focus_sum;
	bool chooser;
} rc_view;

static const char *brk_id(const void *r) { return ((const api_break *)r)->id; }
static int64_t brk_ver(const void *r) { return ((const api_break *)r)->version; }
static void brk_free(void *r) { api_break_free(r); }

static void rc_cache_filter(rc_view *v, cache_break_filter *f)
{
	queue_filter_breaks(&v->b.qf, f);
	f->channel_id = v->channel[0] ? v->channel : NULL;
	if (!f->recon_date && v->b.qf.recon_date[0] && v->have_sum)
		f->recon_date = v->sum_data.date; /* "latest" */
}

static int64_t rc_count(void *ctx)
{
	rc_view *v = ctx;
	if (!v->b.env.cache)
		return 0;
	cache_break_filter f;
	rc_cache_filter(v, &f);
	int64_t n = 0, s = 0;
	if (cache_count_breaks(v->b.env.cache, &f, &n, &s) != 0)
		return -1;
	v->count = n;
	v->sum = s;
	return n;
}

static int push_break(void *w, api_break *b) { return qpane_push(w, b); }

static long rc_fetch(void *ctx, size_t off, size_t limit, queue_win *w)
{
	rc_view *v = ctx;
	if (!v->b.env.cache)
		return 0;
	cache_break_filter f;
	rc_cache_filter(v, &f);
	return cache_query_breaks(v->b.env.cache, &f, sorts[v->b.sort].s, off, limit,
				  push_break, w);
}

/* A common text at a million breaks: the reader thread answers it. */
static bool rc_slow(void *ctx, cache_break_job *job)
{
	rc_view *v = ctx;
	if (!v->b.env.cache)
		return false;
	cache_break_filter f;
	rc_cache_filter(v, &f);
	if (!cache_breaks_slow(v->b.env.cache, &f))
		return false;
	cache_break_job_set(job, &f, sorts[v->b.sort].s);
	return true;
}

static long rc_fetch_ids(void *ctx, const int64_t *ids, size_t n, queue_win *w)
{
	rc_view *v = ctx;
	return cache_rows_breaks(v->b.env.cache, ids, n, push_break, w);
}

static void rc_counted(void *ctx, int64_t n, int64_t sum)
{
	rc_view *v = ctx;
	v->count = n;
	v->sum = sum;
	v->b.dirty = true;
}

static term_role sev_text(char *buf, size_t sz, const api_break *b)
{
	switch (b->severity) {
	case SEV_HIGH: snprintf(buf, sz, "!! high"); return ROLE_CRIT;
	case SEV_MEDIUM: snprintf(buf, sz, "! med"); return ROLE_WARN;
	case SEV_LOW: snprintf(buf, sz, "low"); return ROLE_NORMAL;
	default: fmt_enum(buf, sz, NULL, b->severity_raw); return ROLE_WARN;
	}
}

static term_role status_text(char *buf, size_t sz, const api_break *b)
{
	switch (b->status) {
	case BS_OPEN: snprintf(buf, sz, "open"); return ROLE_NORMAL;
	case BS_INVESTIGATING: snprintf(buf, sz, "~ investigating"); return ROLE_NORMAL;
	case BS_ESCALATED: snprintf(buf, sz, "^ escalated"); return ROLE_WARN;
	case BS_RESOLVED: snprintf(buf, sz, "= resolved"); return ROLE_DIM;
	case BS_WRITTEN_OFF: snprintf(buf, sz, "= written_off"); return ROLE_DIM;
	default: fmt_enum(buf, sz, NULL, b->status_raw); return ROLE_WARN;
	}
}

/* The field of the break each column shows, so a refused one is "?". */
static const char *const rc_fields[B__N] = {
	[B_TYPE] = "type", [B_CHANNEL] = "channel_id", [B_SEV] = "severity",
	[B_STATUS] = "status", [B_AGE] = "detected_at",
	[B_MERCHANT] = "merchant_id", [B_ORDER] = "order_no",
	[B_SERIAL] = "channel_serial", [B_ASSIGNEE] = "assignee",
};

static int rc_cell(void *ctx, const void *row, int col, char *buf, size_t sz,
		   int *role)
{
	rc_view *v = ctx;
	const api_break *b = row;
	if (col >= 0 && col < B__N && rc_fields[col] &&
	    fmt_bad(buf, sz, &b->bad, rc_fields[col], role))
		return 0;
	switch (col) {
	case B_ID: snprintf(buf, sz, "%s", b->id); break;
	case B_TYPE: fmt_enum(buf, sz, queue_break_type_word(b->type), b->type_raw); break;
	case B_CHANNEL: snprintf(buf, sz, "%s", b->channel_id); break;
	case B_DIFF:
		fmt_money(buf, sz, b->difference_minor, b->currency, &b->bad,
			  "difference_minor", false, role);
		break;
	case B_SEV: *role = sev_text(buf, sz, b); break;
	case B_STATUS: *role = status_text(buf, sz, b); break;
	case B_AGE: time_format_age(v->b.now - b->detected_at, buf, sz); break;
	case B_PLAT:
		fmt_money(buf, sz, b->platform_amount_minor, b->currency, &b->bad,
			  "platform_amount_minor", false, role);
		break;
	case B_CHAMT:
		fmt_money(buf, sz, b->channel_amount_minor, b->currency, &b->bad,
			  "channel_amount_minor", false, role);
		break;
	case B_MERCHANT: snprintf(buf, sz, "%s", b->merchant_id); break;
	case B_ORDER: snprintf(buf, sz, "%s", b->order_no); break;
	case B_SERIAL: snprintf(buf, sz, "%s", b->channel_serial); break;
	case B_ASSIGNEE: snprintf(buf, sz, "%s", b->assignee ? b->assignee : "-"); break;
	default: return -1;
	}
	return 0;
}

static void rc_layout(void *p)
{
	rc_view *v = p;
	widget_rect r = v->b.rect;
	int sum_h = 0;
	if (r.h >= 14) {
		int n = v->have_sum ? (int)v->sum_data.n_channels : 0;
		sum_h = n + 2; /* title + header + rows */
		if (sum_h > r.h / 3)
			sum_h = r.h / 3;
		if (sum_h < 3)
			sum_h = 3;
	}
	v->sum_rect = (widget_rect){ r.y, r.x, sum_h, r.w };
	int det_h = 0;
	if (v->b.detail_open)
		det_h = r.h - sum_h >= 20 ? 9 : (r.h - sum_h) / 2;
	int list_y = r.y + sum_h + 1; /* one line for the count */
	int list_h = r.h - sum_h - 1 - det_h - (v->chooser ? 1 : 0);
	if (list_h < 2)
		list_h = 2;
	v->b.list_rect = (widget_rect){ list_y, r.x, list_h, r.w };
	v->b.det_rect = (widget_rect){ list_y + list_h, r.x, det_h, r.w };
	qlist_set_rect(v->b.q, v->b.list_rect);
	v->b.clear_all = true;
}

static void *rc_create(const view_env *env)
{
	qlist_spec spec = {
		.cols = brk_cols, .ncols = B__N, .elem = sizeof(api_break),
		.free_elem = brk_free, .count = rc_count, .fetch = rc_fetch,
		.slow = rc_slow, .fetch_ids = rc_fetch_ids, .counted = rc_counted,
		.cell = rc_cell, .row_id = brk_id, .row_version = brk_ver,
		.marks = true, .empty = env->cache ? _("no breaks match") :
			_("no cache: breaks need the cache (see the start-up message)"),
	};
	return qpane_new(sizeof(rc_view), env, &spec, rc_layout, sorts[0].col, true);
}

static void rc_destroy(void *p)
{
	rc_view *v = p;
	if (!v)
		return;
	qpane_destroy(&v->b);
	api_recon_summary_free(&v->sum_data);
	free(v);
}

/* A unique prefix of a known channel id completes to it. */
static void complete_channel(rc_view *v)
{
	const char *c = v->b.qf.channel;
	snprintf(v->channel, sizeof v->channel, "%s", c);
	if (!*c || store_channel_find(v->b.env.st, c))
		return;
	const char *hit = NULL;
	size_t n = store_channel_count(v->b.env.st), len = strlen(c);
	for (size_t i = 0; i < n; i++) {
		const api_channel *ch = store_channel_at(v->b.env.st, i);
		if (ch && strncmp(ch->id, c, len) == 0) {
			if (hit)
				return; /* ambiguous: as typed (matches nothing) */
			hit = ch->id;
		}
	}
	if (hit)
		snprintf(v->channel, sizeof v->channel, "%s", hit);
}

static void rc_reload(void *p, time_t now)
{
	rc_view *v = p;
	api_recon_summary_free(&v->sum_data);
	v->have_sum = false;
	size_t old_n = 0;
	if (v->b.env.cache) {
		const char *d = v->b.qf.recon_date[0] && strcmp(v->b.qf.recon_date, "latest") ?
			v->b.qf.recon_date : NULL;
		if (cache_recon_summary(v->b.env.cache, d, &v->sum_data) == 0 &&
		    v->sum_data.date)
			v->have_sum = true;
	}
	queue_recon_total(v->have_sum ? &v->sum_data : NULL, &v->tot);
	old_n = v->sum_rect.h;
	complete_channel(v);
	qlist_reload(v->b.q, now);
	if (v->sum_sel >= v->sum_data.n_channels)
		v->sum_sel = v->sum_data.n_channels ? v->sum_data.n_channels - 1 : 0;
	rc_layout(v);
	if ((size_t)v->sum_rect.h != old_n)
		qlist_reload(v->b.q, now);
	v->b.dirty = true;
}

static bool rc_recalc(void *p, time_t now, bool force)
{
	rc_view *v = p;
	bool ret;
	if (qpane_changed(&v->b, STORE_BREAKS, now, force, false, &ret))
		rc_reload(v, now);
	return ret;
}

/* ---- drawing ---- */

static const char *file_word(const api_recon_channel *c, char *buf, size_t sz)
{
	switch (c->file_status) {
	case FILE_RECEIVED: return "received";
	case FILE_PARSED: return "parsed";
	case FILE_LATE: return "! late";
	case FILE_MISSING: return "x MISSING";
	default:
		if (c->file_status_raw && strcmp(c->file_status_raw, "uncached") == 0)
			return "-";
		fmt_enum(buf, sz, NULL, c->file_status_raw);
		return buf;
	}
}

static void draw_summary(rc_view *v, WINDOW *win)
{
	widget_rect r = v->sum_rect;
	if (r.h <= 0)
		return;
	widget_clear(win, r, ROLE_NORMAL);
	int y = r.y;
	char line[512], net[64];
	if (!v->have_sum) {
		qpane_put(win, &r, &y, 0, v->b.env.cache ? _("Recon summary: no breaks cached yet") :
		    _("Recon summary: no cache"), ROLE_DIM);
		return;
	}
	const queue_recon_totals *t = &v->tot;
	money_format(t->net_minor, t->mixed_currency ? "" : t->currency, net, sizeof net);
	/* TRANSLATORS: recon date, " (latest)", counts, the net difference,
	 * " (mixed currencies)", the key hint */
	snprintf(line, sizeof line, _("Recon %s%s: %lld channels  breaks %lld  open %lld  "
		 "net difference %s%s%s"), v->sum_data.date,
		 v->b.qf.recon_date[0] && strcmp(v->b.qf.recon_date, "latest") ? "" : _(" (latest)"),
		 (long long)t->channels, (long long)t->breaks, (long long)t->open, net,
		 t->mixed_currency ? _(" (mixed currencies)") : "",
		 v->focus_sum ? _("   [Enter: its breaks, l: back]") : "");
	qpane_put(win, &r, &y, 0, line, ROLE_TITLE);
	if (y >= r.y + r.h)
		return;
	/* padded by display width: the header words may be Chinese; at 80
	 * columns Matched goes, never the net difference's digits */
	bool narrow = r.w < 86;
	char h1[96], h2[48], h3[48], h4[48], h5[48], h6[72];
	text_fit(_("Channel"), 26, TEXT_PAD, h1, sizeof h1);
	text_fit(_("File"), 10, TEXT_PAD, h2, sizeof h2);
	text_fit(_("Matched"), 12, TEXT_PAD | TEXT_RIGHT, h3, sizeof h3);
	text_fit(_("Breaks"), 7, TEXT_PAD | TEXT_RIGHT, h4, sizeof h4);
	text_fit(_("Open"), 6, TEXT_PAD | TEXT_RIGHT, h5, sizeof h5);
	text_fit(_("Net difference"), 18, TEXT_PAD | TEXT_RIGHT, h6, sizeof h6);
	if (narrow)
		snprintf(line, sizeof line, "  %s %s %s %s %s", h1, h2, h4, h5, h6);
	else
		snprintf(line, sizeof line, "  %s %s %s %s %s %s", h1, h2, h3, h4, h5, h6);
	qpane_put(win, &r, &y, 0, line, ROLE_HEADER);
	int rows = r.y + r.h - y;
	if (rows <= 0)
		return;
	if (v->sum_sel < v->sum_top)
		v->sum_top = v->sum_sel;
	if (v->sum_sel >= v->sum_top + (size_t)rows)
		v->sum_top = v->sum_sel - (size_t)rows + 1;
	for (size_t i = v->sum_top; i < v->sum_data.n_channels && y < r.y + r.h; i++) {
		const api_recon_channel *c = &v->sum_data.channels[i];
		char fb[32], m[32];
		money_format(c->net_difference_minor, c->currency, net, sizeof net);
		if (c->matched_count >= 0)
			snprintf(m, sizeof m, "%lld", (long long)c->matched_count);
		else
			snprintf(m, sizeof m, "-");
		const char *fw = file_word(c, fb, sizeof fb);
		bool sel = v->focus_sum && i == v->sum_sel;
		if (narrow)
			snprintf(line, sizeof line, "%s %-26s %-10s %7lld %6lld %18s",
				 sel ? ">" : " ", c->channel_id, fw,
				 (long long)c->break_count, (long long)c->open_count, net);
		else
			snprintf(line, sizeof line, "%s %-26s %-10s %12s %7lld %6lld %18s",
				 sel ? ">" : " ", c->channel_id, fw, m,
				 (long long)c->break_count, (long long)c->open_count, net);
		if (text_width(line) > r.w) /* a long id: the amount stays whole */
			snprintf(line, sizeof line, "%s %s %s", sel ? ">" : " ",
				 c->channel_id, net);
		qpane_put(win, &r, &y, 0, line, sel ? ROLE_SELECTED :
		    c->file_status == FILE_MISSING ? ROLE_CRIT :
		    c->file_status == FILE_LATE ? ROLE_WARN : ROLE_NORMAL);
	}
}

static void draw_count(rc_view *v, WINDOW *win)
{
	char line[600], sum[64];
	money_format(v->sum, v->cur[0] ? v->cur : "CNY", sum, sizeof sum);
	int n = qlist_counting(v->b.q) ?
		snprintf(line, sizeof line, _("counting breaks...   sort: %s"),
			 _(sorts[v->b.sort].word)) :
		snprintf(line, sizeof line,
			 /* TRANSLATORS: a count of breaks, an amount, a sort */
			 ngettext("%lld break, net difference %s   sort: %s",
				  "%lld breaks, net difference %s   sort: %s",
				  (unsigned long)v->count),
			 (long long)v->count, sum, _(sorts[v->b.sort].word));
	char done[160] = ""; /* the channel as completed */
	if (v->channel[0] && strcmp(v->channel, v->b.qf.channel))
		snprintf(done, sizeof done, " -> ch:%s", v->channel);
	qpane_head_tail(&v->b, line, sizeof line, n, done);
	widget_put(win, v->b.list_rect.y - 1, v->b.rect.x, v->b.rect.w, line, 0,
		   v->b.ferr[0] ? ROLE_WARN : ROLE_TITLE);
}

static void draw_head(void *p, WINDOW *win)
{
	draw_summary(p, win);
	draw_count(p, win);
}

static void draw_detail(void *p, WINDOW *win)
{
	rc_view *v = p;
	widget_rect r = v->b.det_rect;
	if (r.h <= 0)
		return;
	widget_clear(win, r, ROLE_NORMAL);
	const api_break *b = qlist_selected(v->b.q);
	int y = r.y;
	char line[800], a[64], c[64], d[64], t1[40], t2[40];
	if (!b) {
		qpane_put(win, &r, &y, 0, _("no break selected"), ROLE_DIM);
		return;
	}
	char tw[40], sw[40], vw[40];
	fmt_enum(tw, sizeof tw, queue_break_type_word(b->type), b->type_raw);
	status_text(sw, sizeof sw, b);
	sev_text(vw, sizeof vw, b);
	/* TRANSLATORS: break id, type, recon date, channel id, severity, status */
	snprintf(line, sizeof line, _("%s  %s  recon date %s  channel %s  %s  %s"),
		 b->id, tw, b->recon_date, b->channel_id, vw, sw);
	qpane_put(win, &r, &y, 0, line, ROLE_TITLE);
	/* what the platform sent out of the contract, and why it is "?" */
	if (fmt_bad_line(line, sizeof line, &b->bad))
		qpane_put(win, &r, &y, 0, line, ROLE_WARN);
	fmt_money(a, sizeof a, b->platform_amount_minor, b->currency, &b->bad,
		  "platform_amount_minor", true, NULL);
	fmt_money(c, sizeof c, b->channel_amount_minor, b->currency, &b->bad,
		  "channel_amount_minor", true, NULL);
	fmt_money(d, sizeof d, b->difference_minor, b->currency, &b->bad,
		  "difference_minor", true, NULL);
	snprintf(line, sizeof line, _("platform %s   channel %s   difference (channel - "
		 "platform) %s"), a, c, d);
	qpane_put(win, &r, &y, 0, line, ROLE_NORMAL);
	snprintf(line, sizeof line, _("merchant %s   order %s   channel serial %s"),
		 b->merchant_id, b->order_no, b->channel_serial);
	qpane_put(win, &r, &y, 0, line, ROLE_NORMAL);
	time_format_rfc3339(b->detected_at, t1, sizeof t1);
	time_format_rfc3339(b->updated_at, t2, sizeof t2);
	snprintf(line, sizeof line, _("detected %s   updated %s   assignee %s   "
		 "version %lld"), t1, t2, b->assignee ? b->assignee : "-",
		 (long long)b->version);
	qpane_put(win, &r, &y, 0, line, ROLE_NORMAL);
	if (b->resolution.present) {
		time_format_rfc3339(b->resolution.at, t1, sizeof t1);
		/* TRANSLATORS: the resolution action (an enum value), operator,
		 * time, note */
		snprintf(line, sizeof line, _("resolution: %s by %s at %s: %s"),
			 b->resolution.action, b->resolution.by, t1, b->resolution.note);
		qpane_put(win, &r, &y, 0, line, ROLE_NORMAL);
	} else {
		qpane_put(win, &r, &y, 0, _("resolution: none"), ROLE_DIM);
	}
}

/* The resolve marks and what each does, as their key table binds them. */
static const struct {
	keymap_action cmd;
	act_break_action verb;
	const char *word;
} marks[] = {
	{ ACT_RESOLVE_MATCH, ACT_BRK_MATCH, N_("match") },
	{ ACT_RESOLVE_ADJUST, ACT_BRK_ADJUST, N_("adjust") },
	{ ACT_RESOLVE_WRITE_OFF, ACT_BRK_WRITE_OFF, N_("write off") },
	{ ACT_RESOLVE_ESCALATE, ACT_BRK_ESCALATE, N_("escalate") },
	{ ACT_RESOLVE_INVESTIGATE, ACT_BRK_INVESTIGATE, N_("investigate") },
	{ ACT_RESOLVE_REOPEN, ACT_BRK_REOPEN, N_("reopen") },
	{ ACT_RESOLVE_ASSIGN, ACT_BRK_ASSIGN, N_("assign") },
};
#define N_MARKS (sizeof marks / sizeof marks[0])

/* "resolve: m match  a adjust ...   (any other key: cancel)" */
static void chooser_line(char *out, size_t outsz)
{
	int len = snprintf(out, outsz, "%s", _("resolve:"));
	for (size_t i = 0; i < N_MARKS && len > 0 && (size_t)len < outsz; i++) {
		wint_t ch;
		bool kc;
		char k[32];
		if (!keymap_first_key_in(KEYMAP_RESOLVE, marks[i].cmd, &ch, &kc) ||
		    keymap_key_format(ch, kc, k, sizeof k) != 0)
			continue;
		len += snprintf(out + len, outsz - (size_t)len, " %s %s ", k,
				_(marks[i].word));
	}
	if (len > 0 && (size_t)len < outsz)
		snprintf(out + len, outsz - (size_t)len, "%s", _("  (any other key: cancel)"));
}

static bool rc_draw(void *p, WINDOW *win, bool full)
{
	rc_view *v = p;
	bool painted = qpane_draw(&v->b, win, full, draw_head, draw_detail, true);
	if (v->chooser) {
		char line[400];
		chooser_line(line, sizeof line);
		widget_put(win, v->b.rect.y + v->b.rect.h - 1, v->b.rect.x, v->b.rect.w,
			   line, 0, ROLE_FOCUS);
		painted = true;
	}
	return painted;
}

/* ---- actions ---- */

static void rc_act(rc_view *v, act_break_action verb)
{
	static const struct { act_break_action a; const char *title, *label, *extra; }
	words[] = {
		{ ACT_BRK_MATCH, N_("Match breaks"), N_("Match"), N_("Counterpart reference") },
		{ ACT_BRK_WRITE_OFF, N_("Write off breaks"), N_("Write off"), NULL },
		{ ACT_BRK_ADJUST, N_("Adjust breaks"), N_("Adjust"), N_("Adjustment (e.g. -2.00)") },
		{ ACT_BRK_ESCALATE, N_("Escalate breaks"), N_("Escalate"), NULL },
		{ ACT_BRK_INVESTIGATE, N_("Investigate breaks"), N_("Investigate"), NULL },
		{ ACT_BRK_REOPEN, N_("Reopen breaks"), N_("Reopen"), NULL },
		{ ACT_BRK_ASSIGN, N_("Assign breaks"), N_("Assign"), N_("Assignee (operator id)") },
	};
	size_t k = 0;
	while (k + 1 < sizeof words / sizeof words[0] && words[k].a != verb)
		k++;
	/* an adjustment is typed in the break's currency: without one the
	 * platform sent in the contract it cannot be read */
	const api_break *sel = qlist_selected(v->b.q);
	if (verb == ACT_BRK_ADJUST && sel && api_bad_has(&sel->bad, "currency")) {
		char msg[400];
		snprintf(msg, sizeof msg, _("adjust refused, nothing sent: the platform "
			 "sent %s's currency out of the contract (%s)"), sel->id,
			 api_bad_why(&sel->bad, "currency"));
		v->b.env.message(v->b.env.ctx, MSG_ERROR, msg);
		return;
	}
	ops_rows_spec spec = {
		.kind = ACT_BREAK_RESOLVE, .verb = (int)verb, .title = _(words[k].title),
		.label = _(words[k].label), .extra_label = words[k].extra ? _(words[k].extra) : NULL,
		.extra_required = words[k].extra != NULL,
		.opened_by = verb == ACT_BRK_ASSIGN ? qpane_key(ACT_ASSIGN) : 0,
	};
	qpane_submit(&v->b, &spec);
}

static void chooser_close(rc_view *v)
{
	v->chooser = false;
	rc_layout(v);
	v->b.dirty = true;
}

/* A key the resolve marks' table does not bind: cancel them. */
static int rc_key(void *p, wint_t ch, bool is_key_code)
{
	rc_view *v = p;
	(void)ch;
	(void)is_key_code;
	if (!v->chooser)
		return VIEW_IGNORED;
	chooser_close(v);
	if (v->b.env.message)
		v->b.env.message(v->b.env.ctx, MSG_INFO, _("resolve: cancelled"));
	return VIEW_HANDLED;
}

static keymap_mode rc_mode(const void *p)
{
	const rc_view *v = p;
	return v->chooser ? KEYMAP_RESOLVE : KEYMAP_NORMAL;
}

/* A resolve mark's command, after r or on its own (`:resolve_match`). */
static bool rc_mark(rc_view *v, keymap_action a)
{
	for (size_t i = 0; i < N_MARKS; i++) {
		if (marks[i].cmd != a)
			continue;
		if (v->chooser)
			chooser_close(v);
		rc_act(v, marks[i].verb);
		return true;
	}
	return false;
}

static void set_filter_text(rc_view *v, const char *f)
{
	qpane_parse_filter(&v->b, QUEUE_BREAKS, f);
	rc_reload(v, v->b.now);
}

static int rc_action(void *p, keymap_action a)
{
	rc_view *v = p;
	if (rc_mark(v, a))
		return VIEW_HANDLED;
	if (v->focus_sum) {
		size_t n = v->sum_data.n_channels;
		switch (a) {
		case ACT_UP: if (v->sum_sel) v->sum_sel--; v->b.dirty = true; return VIEW_HANDLED;
		case ACT_DOWN: if (v->sum_sel + 1 < n) v->sum_sel++; v->b.dirty = true; return VIEW_HANDLED;
		case ACT_TOP: v->sum_sel = 0; v->b.dirty = true; return VIEW_HANDLED;
		case ACT_BOTTOM: v->sum_sel = n ? n - 1 : 0; v->b.dirty = true; return VIEW_HANDLED;
		case ACT_RIGHT: case ACT_BACK:
			v->focus_sum = false;
			v->b.dirty = true;
			return VIEW_HANDLED;
		case ACT_DETAIL:
			if (v->sum_sel < n) {
				char f[300];
				snprintf(f, sizeof f, "date:%s ch:%s", v->sum_data.date,
					 v->sum_data.channels[v->sum_sel].channel_id);
				v->focus_sum = false;
				set_filter_text(v, f);
			}
			return VIEW_HANDLED;
		default:
			break;
		}
	}
	switch (a) {
	case ACT_LEFT:
		/* h scrolls the columns back first, then goes to the summary */
		if (table_hscroll(qlist_table(v->b.q), -1))
			return VIEW_HANDLED;
		v->focus_sum = true;
		v->b.dirty = true;
		return VIEW_HANDLED;
	case ACT_RESOLVE:
		if (!qlist_selected(v->b.q) && !qlist_n_marked(v->b.q))
			return VIEW_HANDLED;
		v->chooser = true;
		rc_layout(v);
		v->b.dirty = true;
		return VIEW_HANDLED;
	case ACT_ASSIGN:
		rc_act(v, ACT_BRK_ASSIGN);
		return VIEW_HANDLED;
	case ACT_SORT: case ACT_SORT_REVERSE:
	case ACT_SORT_PREV_COL: case ACT_SORT_NEXT_COL: {
		/* the sortable columns are the sort orders: < > step them */
		qpane_sort_step(&v->b, a == ACT_SORT_NEXT_COL ? ACT_SORT :
				a == ACT_SORT_PREV_COL ? ACT_SORT_REVERSE : a, N_SORTS);
		bool desc;
		int col = rc_order(v->b.sort, &desc);
		table_set_sort(qlist_table(v->b.q), col, desc);
		rc_reload(v, v->b.now);
		return VIEW_HANDLED;
	}
	default:
		return qpane_action(&v->b, a);
	}
}

static void rc_set_filter(void *p, const char *f) { set_filter_text(p, f); }

static bool rc_cursor(const void *p, int *y, int *x)
{
	const rc_view *v = p;
	if (v->focus_sum) {
		*y = v->sum_rect.y + 2 + (int)(v->sum_sel - v->sum_top);
		*x = v->sum_rect.x;
		return true;
	}
	return qpane_cursor(v, y, x);
}

static size_t rc_hints_get(const void *p, const bar_hint **out)
{
	const rc_view *v = p;
	if (v->chooser) {
		*out = mark_hints;
		return sizeof mark_hints / sizeof mark_hints[0];
	}
	if (v->focus_sum) {
		*out = sum_hints;
		return sizeof sum_hints / sizeof sum_hints[0];
	}
	*out = rc_hints;
	return sizeof rc_hints / sizeof rc_hints[0];
}

static const char *rc_note(const void *p)
{
	rc_view *v = (rc_view *)p;
	char sum[64];
	char what[120];
	money_format(v->sum, "CNY", sum, sizeof sum);
	if (qlist_counting(v->b.q))
		snprintf(what, sizeof what, "%s", _("searching..."));
	else
		snprintf(what, sizeof what, _("%lld breaks, net difference %s"),
			 (long long)v->count, sum);
	return qpane_note_for(&v->b, what);
}

static bool rc_select(void *p, const char *id)
{
	rc_view *v = p;
	v->focus_sum = false;
	return qpane_select(v, id);
}

static bool rcx_sort_by(void *p, int col, bool desc)
{
	(void)desc;
	return qpane_sort_col(p, col, N_SORTS, rc_order);
}

const view_class view_recon = {
	.name = "recon", .title = N_("Recon"),
	.create = rc_create, .destroy = rc_destroy, .set_rect = qpane_set_rect,
	.recalc = rc_recalc, .draw = rc_draw, .action = rc_action,
	.set_filter = rc_set_filter, .filter = qpane_filter, .cursor = rc_cursor,
	.due_in_ms = qpane_due, .hints = rc_hints_get, .note = rc_note,
	.select = rc_select, .key = rc_key, .mode = rc_mode,
	.table = qpane_table, .sort_by = rcx_sort_by,
};
