/* views/qlist.c: a table over a paged cache query. */
#include "views/qlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	char *one[1];
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
	if (q->spec.fetch(q->ctx, off, 3 * page, &q->win) < 0)
		q->win.n = q->win.n; /* what arrived stays; the rest draws blank */
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
	table_set_empty_text(q->t, spec->empty ? spec->empty : "nothing matches");
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
	free(q);
}

void qlist_set_rect(qlist *q, widget_rect r) { table_set_rect(q->t, r); }
void qlist_set_empty(qlist *q, const char *text) { table_set_empty_text(q->t, text); }
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

void qlist_reload(qlist *q, time_t now)
{
	q->now = now;
	remember_sel(q);
	int64_t n = q->spec.count(q->ctx);
	q->total = n < 0 ? 0 : n;
	size_t sel = table_selected(q->t);
	table_set_rows(q->t, (size_t)q->total);
	fetch_around(q, sel == SIZE_MAX ? 0 : sel);
	/* the row may have moved (its sort key changed): near, it is in the
	 * window; otherwise the selection stays at its index */
	if (q->sel_id[0])
		find_in_window(q, q->sel_id);
	table_invalidate(q->t);
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
