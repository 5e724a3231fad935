/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/qlist.h: a table over a paged cache query, for the work-queue panes.
 *
 * The table asks for the visible rows only; qlist keeps a window of a few
 * pages of decoded rows around the selection and asks the pane to fetch
 * another window when a row outside it is drawn. After the data changed
 * (qlist_reload) it counts again, fetches the window around the selection
 * and puts the selection back on the same id when it is still near; rows
 * whose version moved get the "*" marker for a few seconds. Space marks
 * rows by id (the marks survive reloads and scrolling).
 */
#ifndef PAYOPS_VIEWS_QLIST_H
#define PAYOPS_VIEWS_QLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cache/cache.h"
#include "views/actflow.h"
#include "views/queue.h"
#include "widgets/table.h"

typedef struct {
	const table_column *cols;
	int ncols;
	size_t elem;                  /* sizeof a row (api_break, ...) */
	void (*free_elem)(void *);
	/* Total rows of the pane's current query (-1 on error). */
	int64_t (*count)(void *ctx);
	/* Push rows [off, off + limit) of the query into w (queue_win_push). */
	long (*fetch)(void *ctx, size_t off, size_t limit, queue_win *w);
	int (*cell)(void *ctx, const void *row, int col, char *buf, size_t bufsz,
		    int *role);
	const char *(*row_id)(const void *row);
	int64_t (*row_version)(const void *row);
	bool marks;                   /* multi-select with Space */
	const char *empty;            /* "no breaks match" */
	/* Optional: true when the current query is slow (cache_breaks_slow),
	 * with job filled; the rows are then read by id. counted gives the
	 * answer's count and sum to the pane. */
	bool (*slow)(void *ctx, cache_break_job *job);
	long (*fetch_ids)(void *ctx, const int64_t *ids, size_t n, queue_win *w);
	void (*counted)(void *ctx, int64_t n, int64_t sum);
} qlist_spec;

typedef struct qlist qlist;

qlist *qlist_new(const qlist_spec *spec, void *ctx);
void qlist_free(qlist *q);
void qlist_set_rect(qlist *q, widget_rect r);
void qlist_set_empty(qlist *q, const char *text);
/* Count and fetch again (the data, the filter or the sort changed);
 * keeps the selection on its id. */
void qlist_reload(qlist *q, time_t now);
/* The next reload selects the first row (a new filter: a new list). */
void qlist_top(qlist *q);
/* Where slow queries go (NULL: none, they run here). */
void qlist_set_reader(qlist *q, cache_reader *rd);
/* Take the reader's answer when one has come: true when the list changed. */
bool qlist_poll(qlist *q);
/* The list shown is not yet the current query's (its answer is coming). */
bool qlist_searching(const qlist *q);
/* ... and its count is not known either (the filter changed, not only
 * the sort). */
bool qlist_counting(const qlist *q);
/* The clock moved: markers may expire, countdowns move (repaint). */
void qlist_tick(qlist *q, time_t now);
/* Navigation and Space; true when handled. */
bool qlist_handle(qlist *q, keymap_action a);
int64_t qlist_count(const qlist *q);
/* The selected row (NULL when none); valid until the next call here. */
const void *qlist_selected(qlist *q);
/* Select the row with this id when it is within the fetched window (or
 * when found by a walk over the first rows); true when found. */
bool qlist_select_id(qlist *q, const char *id);
/* Ids of the marked rows, or of the selected one when none is marked:
 * an array of n borrowed strings, valid until the next call here. */
char *const *qlist_targets(qlist *q, size_t *n);
size_t qlist_n_marked(const qlist *q);
void qlist_clear_marks(qlist *q);
void qlist_invalidate(qlist *q);
unsigned qlist_needs(const qlist *q);
int qlist_draw(qlist *q, WINDOW *win);
bool qlist_cursor(const qlist *q, int *y, int *x);
long qlist_due_ms(const qlist *q, time_t now);
table *qlist_table(qlist *q);

/* ---- what every work-queue pane holds around its qlist ----
 *
 * A pane's struct starts with a qpane (so the view_class callbacks below
 * can take the pane itself); the pane keeps only its own columns, counts,
 * extra areas and keys. */
typedef struct {
	view_env env;
	qlist *q;
	void (*layout)(void *pane);   /* recompute the rects (sets clear_all) */
	widget_rect rect, list_rect, det_rect;
	bool dirty, clear_all, detail_open;
	char filter[256];
	queue_filter qf;
	char ferr[200];
	size_t sort;
	uint64_t seen_gen, seen_cache, seen_ops;
	time_t now;
	char note[400];
	cache_reader *rd;             /* slow queries' thread (NULL: none) */
} qpane;

/* A zeroed pane of size bytes (its struct starts with the qpane) with its
 * list over spec (ctx: the pane), sorted on column col; NULL on ENOMEM. */
void *qpane_new(size_t size, const view_env *env, const qlist_spec *spec,
		void (*layout)(void *), int col, bool desc);
/* Frees the list (not p); its operations are the runner's. */
void qpane_destroy(qpane *p);
/* The clock moved to now: true when the data (store entry `which`, the
 * cache, an operation) changed, or force, or a new minute when
 * minute_reloads: then the pane must reload. Else *ret is what recalc
 * returns (a marker expired, or a new minute). */
bool qpane_changed(qpane *p, int which, time_t now, bool force,
		   bool minute_reloads, bool *ret);
/* Clear what needs it, draw the head (when dirty), the list and the
 * detail strip when open; true when something was painted. */
bool qpane_draw(qpane *p, WINDOW *win, bool full,
		void (*head)(void *pane, WINDOW *win),
		void (*detail)(void *pane, WINDOW *win), bool detail_when_dirty);
/* The filter as typed, parsed; the pane reloads after. */
void qpane_parse_filter(qpane *p, queue_kind k, const char *f);
/* s / S: the next or previous of n sort orders. */
void qpane_sort_step(qpane *p, keymap_action a, size_t n);
/* sort_by for a pane whose sort orders are its sortable columns: the
 * order of n on column col (order(i, &desc) gives order i's column and
 * direction) becomes the sort, the table shows it, and the pane's next
 * recalc reloads it (not this call: a start restores every pane's sort);
 * false when no order sorts on col. */
bool qpane_sort_col(qpane *p, int col, size_t n, int (*order)(size_t i, bool *desc));
/* d, Esc (marks first, then the detail strip), navigation and Space;
 * VIEW_HANDLED, or VIEW_IGNORED for the pane to try. */
int qpane_action(qpane *p, keymap_action a);
/* Open the runner's dialog for spec over the marked rows or the selected
 * one; the marks go with the dialog. */
void qpane_submit(qpane *p, const ops_rows_spec *spec);
/* The first key bound to a, 0 when none or a key code. */
wint_t qpane_key(keymap_action a);
/* "   marked: N   filter: ...   ! error" after n chars of line;
 * filter_extra follows the filter text. */
void qpane_head_tail(const qpane *p, char *line, size_t sz, int n,
		     const char *filter_extra);
/* The message-line note: "filter: <error>", "filter '<f>': <summary>",
 * or NULL without a filter. */
const char *qpane_note_for(qpane *p, const char *summary);
/* One line of a strip at *y (x columns in) while inside r. */
void qpane_put(WINDOW *win, const widget_rect *r, int *y, int x, const char *s,
	       term_role role);
/* queue_win_push() for a cache query's callback (ctx: the window). */
int qpane_push(void *win, void *obj);

/* view_class callbacks for a pane starting with a qpane */
const char *qpane_filter(const void *pane);
table *qpane_table(void *pane);
bool qpane_cursor(const void *pane, int *y, int *x);
void qpane_set_rect(void *pane, widget_rect r);  /* then its layout */
long qpane_due(const void *pane, time_t now);  /* markers, or the minute */
bool qpane_select(void *pane, const char *id);

#endif
