/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/qlist.c: a table over a paged cache query. */
#include "views/qlist.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/ev.h"
#include "base/i18n.h"

#define MIN_PAGE 32
#define FIND_WALK 2000   /* rows walked to find a selected id that moved */

struct qlist {
	qlist_spec spec;
	void *ctx;
	table *t;
	queue_win win;
	queue_seen seen;
	queue_marks marks;
	int64_t total;
	time_t now;
	char sel_id[128];
	bool to_top;      /* the next reload starts at the first row */
	char *one[1];
	char empty[200];  /* the pane's text for an empty list */
	/* slow queries (spec.slow) on the reader thread */
	cache_reader *rd;
	bool bg;          /* rows come from rs, the answer to `shown` */
	cache_rowset rs;
	cache_break_job shown;
	bool waiting;     /* a post is out: post_id, for `posted` */
	uint64_t post_id;
	cache_break_job posted;
	bool again;       /* the data moved while it ran: ask again */
	bool searching;   /* nothing of the current query to show yet */
	bool uncounted;   /* the count of what is shown is not known yet */
	bool rd_off;      /* the reader failed: queries run here */
};

static size_t page_of(const qlist *q)
{
	int p = table_page_rows(q->t);
	return p < MIN_PAGE ? MIN_PAGE : (size_t)p;
}

static void fetch_around(qlist *q, size_t row)
{
	size_t page = page_of(q);
	queue_win_clear(&q->win);
	size_t off = row > page ? row - page : 0;
	q->win.off = off;
	q->win.valid = true;
	/* what arrived stays; the rest draws blank */
	if (q->bg) {
		size_t n = off < q->rs.n ? q->rs.n - off : 0;
		if (n > 3 * page)
			n = 3 * page;
		if (n)
			q->spec.fetch_ids(q->ctx, q->rs.ids + off, n, &q->win);
	} else {
		q->spec.fetch(q->ctx, off, 3 * page, &q->win);
	}
	for (size_t i = 0; i < q->win.n; i++) {
		const void *r = q->win.rows + i * q->win.elem;
		queue_seen_note(&q->seen, q->spec.row_id(r), q->spec.row_version(r),
				q->now);
	}
}

static const void *row_at(qlist *q, size_t row)
{
	if ((int64_t)row >= q->total)
		return NULL;
	const void *r = queue_win_at(&q->win, row);
	if (!r) {
		fetch_around(q, row);
		r = queue_win_at(&q->win, row);
	}
	return r;
}

static int cell_cb(void *ctx, size_t row, int col, char *buf, size_t bufsz,
		   int *role)
{
	qlist *q = ctx;
	const void *r = row_at(q, row);
	if (!r)
		return -1;
	return q->spec.cell(q->ctx, r, col, buf, bufsz, role);
}

static bool marked_cb(void *ctx, size_t row)
{
	qlist *q = ctx;
	const void *r = row_at(q, row);
	return r && queue_marks_has(&q->marks, q->spec.row_id(r));
}

static bool changed_cb(void *ctx, size_t row)
{
	qlist *q = ctx;
	const void *r = row_at(q, row);
	return r && queue_seen_changed(&q->seen, q->spec.row_id(r), q->now);
}

qlist *qlist_new(const qlist_spec *spec, void *ctx)
{
	qlist *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->spec = *spec;
	q->ctx = ctx;
	q->t = table_new(spec->cols, spec->ncols, cell_cb, q);
	if (!q->t) {
		free(q);
		return NULL;
	}
	if (spec->marks)
		table_set_marks(q->t, marked_cb);
	table_set_changed(q->t, changed_cb);
	snprintf(q->empty, sizeof q->empty, "%s", spec->empty ? spec->empty : _("nothing matches"));
	table_set_empty_text(q->t, q->empty);
	queue_win_init(&q->win, spec->elem, spec->free_elem);
	q->now = time(NULL);
	return q;
}

void qlist_free(qlist *q)
{
	if (!q)
		return;
	table_free(q->t);
	queue_win_free(&q->win);
	queue_marks_clear(&q->marks);
	cache_rowset_free(&q->rs);
	free(q);
}

void qlist_set_rect(qlist *q, widget_rect r) { table_set_rect(q->t, r); }
void qlist_set_empty(qlist *q, const char *text)
{
	snprintf(q->empty, sizeof q->empty, "%s", text ? text : "");
	if (!q->searching)
		table_set_empty_text(q->t, q->empty);
}
table *qlist_table(qlist *q) { return q->t; }
int64_t qlist_count(const qlist *q) { return q->total; }
size_t qlist_n_marked(const qlist *q) { return q->marks.n; }
void qlist_invalidate(qlist *q) { table_invalidate(q->t); }
unsigned qlist_needs(const qlist *q) { return table_needs(q->t); }
int qlist_draw(qlist *q, WINDOW *win) { return table_draw(q->t, win); }
bool qlist_cursor(const qlist *q, int *y, int *x) { return table_cursor(q->t, y, x); }

void qlist_clear_marks(qlist *q)
{
	queue_marks_clear(&q->marks);
	table_invalidate(q->t);
}

static void remember_sel(qlist *q)
{
	size_t s = table_selected(q->t);
	const void *r = s == SIZE_MAX ? NULL : queue_win_at(&q->win, s);
	if (r)
		snprintf(q->sel_id, sizeof q->sel_id, "%s", q->spec.row_id(r));
}

static bool find_in_window(qlist *q, const char *id)
{
	for (size_t i = 0; i < q->win.n; i++)
		if (strcmp(q->spec.row_id(q->win.rows + i * q->win.elem), id) == 0) {
			table_select(q->t, q->win.off + i);
			return true;
		}
	return false;
}

void qlist_top(qlist *q)
{
	q->to_top = true;
}

/* The count and the window around the selection, from the rows. */
static void settle(qlist *q)
{
	size_t sel = table_selected(q->t);
	table_set_rows(q->t, (size_t)q->total);
	fetch_around(q, sel == SIZE_MAX ? 0 : sel);
	/* the row may have moved (its sort key changed): near, it is in the
	 * window; otherwise the selection stays at its index */
	if (q->sel_id[0])
		find_in_window(q, q->sel_id);
	table_invalidate(q->t);
}

static void set_searching(qlist *q, bool on)
{
	q->searching = on;
	table_set_empty_text(q->t, on ? _("searching...") : q->empty);
}

/* Post the pane's slow query: true when the reader has it. */
static bool post_slow(qlist *q, const cache_break_job *job)
{
	if (q->waiting && cache_break_job_same(job, &q->posted)) {
		q->again = true; /* the data moved while it runs */
		return true;
	}
	uint64_t id = cache_reader_post(q->rd, job);
	if (!id)
		return false;
	q->post_id = id;
	cache_break_job_copy(&q->posted, job);
	q->waiting = true;
	q->again = false;
	return true;
}

/* Back to queries on the loop: forget the reader's list. */
static void drop_bg(qlist *q)
{
	if (q->waiting)
		cache_reader_cancel(q->rd);
	q->waiting = q->again = q->bg = false;
	cache_rowset_free(&q->rs);
	if (q->searching)
		set_searching(q, false);
}

static void reload_here(qlist *q)
{
	int64_t n = q->spec.count(q->ctx);
	q->total = n < 0 ? 0 : n;
	settle(q);
}

void qlist_reload(qlist *q, time_t now)
{
	q->now = now;
	if (q->to_top) {
		q->to_top = false;
		q->sel_id[0] = '\0';
		table_select(q->t, 0);
	} else {
		remember_sel(q);
	}
	cache_break_job job;
	bool slow = q->rd && !q->rd_off && q->spec.slow && q->spec.slow(q->ctx, &job);
	bool shown = slow && q->bg && !q->searching && cache_break_job_same(&job, &q->shown);
	/* a list not shown yet: its first rows first, when they come soon */
	if (slow && !shown)
		job.first = 3 * page_of(q);
	if (slow && post_slow(q, &job)) {
		if (q->searching && cache_break_job_same(&job, &q->posted))
			return; /* still the list being searched for */
		if (shown) {
			/* the same list, its data moved: the rows shown are read
			 * again now, which rows belong follows with the answer */
			settle(q);
			return;
		}
		/* another list: nothing of it to show until it answers; another
		 * sort of the same filter keeps its count */
		cache_break_job other = q->shown;
		other.sort = job.sort;
		q->uncounted = !(q->bg && !q->searching && !q->uncounted &&
				 cache_break_job_same(&job, &other));
		q->bg = true;
		cache_rowset_free(&q->rs);
		q->total = 0;
		set_searching(q, true);
		settle(q);
		return;
	}
	drop_bg(q);
	reload_here(q);
}

void qlist_set_reader(qlist *q, cache_reader *rd)
{
	q->rd = rd;
}

bool qlist_searching(const qlist *q)
{
	return q->searching;
}

bool qlist_counting(const qlist *q)
{
	return q->bg && q->uncounted;
}

bool qlist_poll(qlist *q)
{
	if (!q->waiting)
		return false;
	cache_rowset rs;
	if (!cache_reader_take(q->rd, &rs))
		return false;
	if (rs.job != q->post_id) {
		cache_rowset_free(&rs);
		return false;
	}
	if (rs.partial) {
		/* the first rows of a list still searched for: shown while
		 * the whole answer (the count, the rest) comes */
		if (!q->searching || rs.rc != 0) {
			cache_rowset_free(&rs);
			return false;
		}
		cache_rowset_free(&q->rs);
		q->rs = rs;
		cache_break_job_copy(&q->shown, &q->posted);
		q->total = (int64_t)rs.n;
		set_searching(q, false);
		settle(q);
		return true;
	}
	q->waiting = false;
	if (rs.rc != 0) {
		/* the loop answers from here on, slower but right; the
		 * reader is not asked again */
		cache_rowset_free(&rs);
		q->rd_off = true;
		drop_bg(q);
		reload_here(q);
		return true;
	}
	if (!q->searching)
		remember_sel(q);
	cache_rowset_free(&q->rs);
	q->rs = rs;
	cache_break_job_copy(&q->shown, &q->posted);
	q->total = (int64_t)rs.n;
	q->uncounted = false;
	if (q->spec.counted)
		q->spec.counted(q->ctx, q->total, rs.sum);
	set_searching(q, false);
	settle(q);
	if (q->again) {
		cache_break_job job;
		cache_break_job_copy(&job, &q->shown);
		job.first = 0; /* its rows are shown: only the whole answer */
		q->again = false;
		if (!post_slow(q, &job))
			q->rd_off = true; /* keeps this answer; the next reload runs here */
	}
	return true;
}

void qlist_tick(qlist *q, time_t now)
{
	if (now != q->now) {
		q->now = now;
		table_invalidate(q->t);
	}
}

bool qlist_select_id(qlist *q, const char *id)
{
	if (find_in_window(q, id))
		goto found;
	for (size_t off = 0; (int64_t)off < q->total && off < FIND_WALK;
	     off += 3 * page_of(q)) {
		fetch_around(q, off + page_of(q));
		if (find_in_window(q, id))
			goto found;
	}
	return false;
found:
	snprintf(q->sel_id, sizeof q->sel_id, "%s", id);
	return true;
}

const void *qlist_selected(qlist *q)
{
	size_t s = table_selected(q->t);
	return s == SIZE_MAX ? NULL : row_at(q, s);
}

bool qlist_handle(qlist *q, keymap_action a)
{
	if (a == ACT_MARK && q->spec.marks) {
		const void *r = qlist_selected(q);
		if (r) {
			queue_marks_toggle(&q->marks, q->spec.row_id(r));
			table_invalidate(q->t);
			table_move(q->t, 1);
		}
		remember_sel(q);
		return true;
	}
	if (!table_handle(q->t, a))
		return false;
	const void *r = qlist_selected(q);
	if (r)
		snprintf(q->sel_id, sizeof q->sel_id, "%s", q->spec.row_id(r));
	return true;
}

char *const *qlist_targets(qlist *q, size_t *n)
{
	if (q->marks.n) {
		*n = q->marks.n;
		return q->marks.ids;
	}
	const void *r = qlist_selected(q);
	if (!r) {
		*n = 0;
		return NULL;
	}
	q->one[0] = (char *)q->spec.row_id(r);
	*n = 1;
	return q->one;
}

long qlist_due_ms(const qlist *q, time_t now)
{
	return queue_seen_due_ms(&q->seen, now);
}

/* ---- the pane around the list ---- */

/* The reader has an answer: the byte only wakes the loop (the frame that
 * follows takes the answer when the pane is shown, or later). */
static void on_answer(void *ctx, int fd, short revents)
{
	(void)ctx;
	(void)revents;
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

static int qpane_init(qpane *p, const view_env *env, const qlist_spec *spec,
		      void *ctx, void (*layout)(void *), int col, bool desc)
{
	p->env = *env;
	p->now = time(NULL);
	p->layout = layout;
	p->q = qlist_new(spec, ctx);
	if (!p->q)
		return -1;
	table_set_sort(qlist_table(p->q), col, desc);
	p->dirty = true;
	/* slow queries go to a thread of the pane's own; its answers wake the
	 * loop (the frame then takes them in qpane_changed) */
	if (spec->slow && env->cache && env->ev) {
		p->rd = cache_reader_new(env->cache);
		if (p->rd && ev_io_set(env->ev, cache_reader_fd(p->rd), POLLIN,
				       on_answer, p) != 0) {
			cache_reader_free(p->rd);
			p->rd = NULL;
		}
		qlist_set_reader(p->q, p->rd);
	}
	return 0;
}

void *qpane_new(size_t size, const view_env *env, const qlist_spec *spec,
		void (*layout)(void *), int col, bool desc)
{
	qpane *p = calloc(1, size);
	if (!p)
		return NULL;
	if (qpane_init(p, env, spec, p, layout, col, desc) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void qpane_destroy(qpane *p)
{
	if (p->rd) {
		ev_io_del(p->env.ev, cache_reader_fd(p->rd));
		qlist_set_reader(p->q, NULL);
		cache_reader_free(p->rd);
		p->rd = NULL;
	}
	qlist_free(p->q);
}

bool qpane_changed(qpane *p, int which, time_t now, bool force,
		   bool minute_reloads, bool *ret)
{
	/* The pane's own collection (and, for breaks, the recon summary)
	 * moves with every change sync or an operation writes into the cache
	 * for it; the cache's version moves with every write of anything
	 * (each channel poll), and a reload (a summary over every break of a
	 * date) is not cheap. Opening the cache at all is seen once. */
	uint64_t g = store_meta_get(p->env.st, which)->gen;
	if (which == STORE_BREAKS)
		g += store_meta_get(p->env.st, STORE_RECON_SUMMARY)->gen;
	uint64_t c = p->env.cache ? 1 : 0;
	uint64_t o = flow_gen(p->env.flow);
	bool minute = now / 60 != p->now / 60;
	bool marks = now != p->now && qlist_due_ms(p->q, p->now) >= 0;
	bool answered = qlist_poll(p->q);
	p->now = now;
	qlist_tick(p->q, now);
	/* a new minute moves every countdown and age */
	if (!force && !(minute_reloads && minute) && g == p->seen_gen &&
	    c == p->seen_cache && o == p->seen_ops) {
		bool moved = marks || answered || (!minute_reloads && minute);
		if (moved)
			p->dirty = true;
		*ret = moved;
		return false;
	}
	p->seen_gen = g;
	p->seen_cache = c;
	p->seen_ops = o;
	*ret = true;
	return true;
}

bool qpane_draw(qpane *p, WINDOW *win, bool full,
		void (*head)(void *pane, WINDOW *win),
		void (*detail)(void *pane, WINDOW *win), bool detail_when_dirty)
{
	bool painted = false;
	if (full || p->clear_all) {
		widget_clear(win, p->rect, ROLE_NORMAL);
		qlist_invalidate(p->q);
		p->clear_all = false;
		p->dirty = true;
	}
	if (p->dirty) {
		head(p, win);
		qlist_invalidate(p->q);
		painted = true;
	}
	if (qlist_needs(p->q)) {
		if (qlist_draw(p->q, win) > 0)
			painted = true;
		if (p->detail_open)
			detail(p, win);
	} else if (detail_when_dirty && p->dirty && p->detail_open) {
		detail(p, win);
	}
	p->dirty = false;
	return painted;
}

void qpane_parse_filter(qpane *p, queue_kind k, const char *f)
{
	/* another filter is another list: it starts at its first row */
	if (strcmp(p->filter, f ? f : "") != 0)
		qlist_top(p->q);
	snprintf(p->filter, sizeof p->filter, "%s", f ? f : "");
	queue_filter nf;
	if (queue_filter_parse(k, p->filter, &nf, p->ferr, sizeof p->ferr) == 0)
		p->qf = nf;
}

void qpane_sort_step(qpane *p, keymap_action a, size_t n)
{
	p->sort = a == ACT_SORT ? (p->sort + 1) % n : (p->sort + n - 1) % n;
}

bool qpane_sort_col(qpane *p, int col, size_t n, int (*order)(size_t i, bool *desc))
{
	for (size_t i = 0; i < n; i++) {
		bool desc;
		if (order(i, &desc) != col)
			continue;
		p->sort = i;
		table_set_sort(qlist_table(p->q), col, desc);
		table_show_col(qlist_table(p->q), col);
		/* reloaded by the pane's next recalc: at once for the pane on
		 * screen, when it is next shown for the others (a start that
		 * restores every pane's sort read a recon summary over the
		 * whole cache for a pane nobody looked at: 40% of a warm start
		 * at a million breaks) */
		p->seen_gen = UINT64_MAX;
		p->dirty = true;
		return true;
	}
	return false;
}

int qpane_action(qpane *p, keymap_action a)
{
	switch (a) {
	case ACT_DETAIL:
		p->detail_open = !p->detail_open;
		p->layout(p);
		return VIEW_HANDLED;
	case ACT_BACK:
		if (qlist_n_marked(p->q)) {
			qlist_clear_marks(p->q);
			p->dirty = true;
			return VIEW_HANDLED;
		}
		if (!p->detail_open)
			return VIEW_IGNORED;
		p->detail_open = false;
		p->layout(p);
		return VIEW_HANDLED;
	default:
		break;
	}
	if (qlist_handle(p->q, a)) {
		if (a == ACT_MARK)
			p->dirty = true;
		return VIEW_HANDLED;
	}
	return VIEW_IGNORED;
}

void qpane_submit(qpane *p, const ops_rows_spec *spec)
{
	size_t n = 0;
	char *const *ids = qlist_targets(p->q, &n);
	if (ops_rows(flow_ops(p->env.flow), spec, ids, n) == 0 &&
	    qlist_n_marked(p->q))
		qlist_clear_marks(p->q); /* the dialog holds them now */
}

wint_t qpane_key(keymap_action a)
{
	wint_t key = 0;
	bool kc = false;
	if (!keymap_first_key(a, &key, &kc) || kc)
		key = 0;
	return key;
}

void qpane_head_tail(const qpane *p, char *line, size_t sz, int n,
		     const char *filter_extra)
{
	if (qlist_n_marked(p->q) && n >= 0 && n < (int)sz)
		n += snprintf(line + n, sz - (size_t)n, _("   marked: %zu"),
			      qlist_n_marked(p->q));
	if (p->filter[0] && n >= 0 && n < (int)sz)
		n += snprintf(line + n, sz - (size_t)n, _("   filter: %s%s"), p->filter,
			      filter_extra ? filter_extra : "");
	if (p->ferr[0] && n >= 0 && n < (int)sz)
		snprintf(line + n, sz - (size_t)n, "   ! %s", p->ferr);
}

const char *qpane_note_for(qpane *p, const char *summary)
{
	if (p->ferr[0])
		snprintf(p->note, sizeof p->note, _("filter: %s"), p->ferr);
	else if (p->filter[0])
		/* TRANSLATORS: the filter, then what it matched */
		snprintf(p->note, sizeof p->note, _("filter '%s': %s"), p->filter, summary);
	else
		return NULL;
	return p->note;
}

void qpane_put(WINDOW *win, const widget_rect *r, int *y, int x, const char *s,
	       term_role role)
{
	if (*y >= r->y + r->h)
		return;
	widget_put(win, *y, r->x + x, r->w - x, s, 0, role);
	(*y)++;
}

int qpane_push(void *win, void *obj)
{
	return queue_win_push(win, obj) == 0 ? 0 : 1;
}

const char *qpane_filter(const void *pane)
{
	return ((const qpane *)pane)->filter;
}

table *qpane_table(void *pane)
{
	return qlist_table(((qpane *)pane)->q);
}

bool qpane_cursor(const void *pane, int *y, int *x)
{
	return qlist_cursor(((const qpane *)pane)->q, y, x);
}

long qpane_due(const void *pane, time_t now)
{
	const qpane *p = pane;
	long m = qlist_due_ms(p->q, now);
	long minute = (long)(60 - now % 60) * 1000; /* countdowns and ages move */
	return m >= 0 && m < minute ? m : minute;
}

bool qpane_select(void *pane, const char *id)
{
	return qlist_select_id(((qpane *)pane)->q, id);
}

void qpane_set_rect(void *pane, widget_rect r)
{
	qpane *p = pane;
	p->rect = r;
	p->layout(p);
}
