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
} qlist_spec;

typedef struct qlist qlist;

qlist *qlist_new(const qlist_spec *spec, void *ctx);
void qlist_free(qlist *q);
void qlist_set_rect(qlist *q, widget_rect r);
void qlist_set_empty(qlist *q, const char *text);
/* Count and fetch again (the data, the filter or the sort changed);
 * keeps the selection on its id. */
void qlist_reload(qlist *q, time_t now);
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

#endif
