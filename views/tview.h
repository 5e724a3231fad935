/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/tview.h: a table view over a source the view owns: filters (case-
 * insensitive substring over the visible columns, "!" inverts), sorts by a
 * column (numbers as numbers), and keeps the selection on the same row id
 * across data changes, resizes and re-sorts. The rows themselves stay in
 * the source (the store): the table asks for the visible cells only. */
#ifndef PAYOPS_VIEWS_TVIEW_H
#define PAYOPS_VIEWS_TVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "views/view.h"
#include "widgets/table.h"

typedef struct {
	const table_column *cols;
	int ncols;
	size_t (*count)(void *ctx);
	/* Cell text and role for a source row (same contract as table_cell_fn). */
	int (*cell)(void *ctx, size_t src, int col, char *buf, size_t bufsz,
		    int *role);
	/* Sort key: return true and set *num to sort numerically; false to
	 * sort by the cell text. NULL: always text. */
	bool (*numkey)(void *ctx, size_t src, int col, double *num);
	/* Stable identity of a source row (the selection follows it). */
	void (*row_id)(void *ctx, size_t src, char *buf, size_t bufsz);
	/* Changed recently (the "*" column); NULL: no such column. */
	bool (*changed)(void *ctx, size_t src);
	/* A key of the row's cells (table_key_fn's contract) for a source
	 * row; NULL: every rebuild repaints every visible line. */
	uint64_t (*row_key)(void *ctx, size_t src);
	const char *noun;        /* "channels": "no channels match 'x'" */
	int default_sort;        /* column, -1: source order */
	bool default_desc;
} tview_spec;

typedef struct tview tview;

tview *tview_new(const tview_spec *spec, void *ctx);
/* A zeroed pane of size bytes holding a copy of env at offset env_at and
 * a tview over spec (ctx: the pane) at offset tv_at; NULL on ENOMEM. */
void *tview_pane_new(size_t size, size_t env_at, const view_env *env,
		     size_t tv_at, const tview_spec *spec);
/* The same for a pane struct type T with members env and tv. */
#define TVIEW_PANE_NEW(T, e, spec) \
	((T *)tview_pane_new(sizeof(T), offsetof(T, env), (e), offsetof(T, tv), (spec)))
void tview_free(tview *tv);

/* Re-read the source: filter, sort, keep the selection by id. With
 * row_key, only the lines that changed are repainted. */
void tview_rebuild(tview *tv);
void tview_set_rect(tview *tv, widget_rect r);
void tview_set_filter(tview *tv, const char *f);
const char *tview_filter(const tview *tv);
/* s: next sort column (wrapping, back to source order); S: reverse. */
void tview_sort_next(tview *tv);
void tview_sort_reverse(tview *tv);
/* Sort by col (-1: source order), descending or not; the column is
 * brought on screen. ACT_SORT_PREV_COL / ACT_SORT_NEXT_COL in
 * tview_handle() move it to the neighbouring column. */
void tview_sort_set(tview *tv, int col, bool desc);
/* Navigation actions; true when handled. */
bool tview_handle(tview *tv, keymap_action a);

/* The selected source row, SIZE_MAX when none. */
size_t tview_selected(const tview *tv);
size_t tview_shown(const tview *tv);   /* rows after the filter */
/* Select the shown row with this id; false when it is not shown. */
bool tview_select_id(tview *tv, const char *id);
void tview_invalidate(tview *tv);
unsigned tview_needs(const tview *tv);
int tview_draw(tview *tv, WINDOW *win);
bool tview_cursor(const tview *tv, int *y, int *x);
table *tview_table(tview *tv);

/* view_class callbacks (table, sort_by, filter, cursor) for a pane whose struct starts
 * with its tview pointer. */
table *tview_pane_table(void *pane);
bool tview_pane_sort_by(void *pane, int col, bool desc);
const char *tview_pane_filter(const void *pane);
bool tview_pane_cursor(const void *pane, int *y, int *x);

#endif
