/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/table.h: a scrolling, selectable table over rows it does not own.
 *
 * The caller describes columns and supplies a cell callback, so a table can
 * show an array or a paged SQLite view without copying; drawing asks only
 * for the visible rows (100,000 rows cost what 20 do). The table keeps
 * selection and scroll consistent across row-count changes and resizes.
 *
 * Layout of a line (width exactly r.w):
 *   [mark column "+" or " ", when marks are on]
 *   [changed column "*" or " ", when changed markers are on]
 *   (one space after the marker columns)
 *   col0 ' ' col1 ' ' ... in priority order (table_column.prio). Each
 *   column is as wide as its widest visible cell (display width), within
 *   min_w..max_w, and grows past max_w when there is room left, so a word
 *   is cut only when the terminal is too narrow; a `whole` column (money,
 *   an id) is as wide as its widest cell or not shown. The first column in
 *   priority order always shows (the row's key); the others start at the
 *   horizontal offset (table_hscroll) and go on while they fit. When any
 *   column is hidden the header's last two cells show "<" (hidden on the
 *   left) and ">" (hidden on the right).
 * Line 0 of the rectangle is the header (titles; the sort column ends in
 * "^" ascending or "v" descending: ASCII on purpose, the Unicode triangles
 * are ambiguous-width and go double-wide on CJK terminals); rows follow. Empty table: the empty text on line 1.
 *
 * Redraw: table_draw() repaints according to table_needs(): everything
 * after data/layout changes (table_invalidate(), table_set_rows(),
 * table_set_rect(), table_set_sort()), only the previous and new selected
 * lines when just the selection moved within the page, nothing otherwise.
 * With a row key (table_set_row_key()) new data asks for the lines whose
 * key, selection, mark or changed marker differs from what was drawn
 * there: a tick that moves three rows repaints three lines, and formats
 * nothing else.
 */
#ifndef PAYOPS_WIDGETS_TABLE_H
#define PAYOPS_WIDGETS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "term/keymap.h"
#include "widgets/widget.h"

typedef enum { TABLE_LEFT = 0, TABLE_RIGHT, TABLE_CENTER } table_align;

typedef struct {
	const char *title;  /* header text (sanitised like any cell) */
	int min_w;          /* at least this wide (0: the title's width) */
	int max_w;          /* at most (0: unbounded) */
	int flex;           /* weight for sharing spare width (0: none) */
	table_align align;
	int prio;           /* 1 shows first; 0: after the ranked ones, in
			     * declared order (display order is this order) */
	bool whole;         /* money, ids: shown whole or not at all */
} table_column;

/* Fill buf (NUL-terminated raw text; the table sanitises and fits it) for
 * (row, col); *role is preset to ROLE_NORMAL and may be changed. Return 0,
 * or -1 when the row no longer exists (drawn blank). */
typedef int (*table_cell_fn)(void *ctx, size_t row, int col,
			     char *buf, size_t bufsz, int *role);
/* Per-row yes/no, asked for visible rows only: is it marked (multi-select),
 * did it change recently. */
typedef bool (*table_row_fn)(void *ctx, size_t row);
/* A key of everything the row's cells show (text and roles): it must
 * differ whenever the cells would be drawn differently, including when
 * another item comes to that row. */
typedef uint64_t (*table_key_fn)(void *ctx, size_t row);

typedef struct table table;

/* cols is copied (titles are not: keep them alive). NULL on ENOMEM or bad
 * arguments. */
table *table_new(const table_column *cols, int ncols,
		 table_cell_fn cell, void *ctx);
void table_free(table *t);

/* Optional columns: a mark column (shown "+" when marked(row) says so) and
 * a changed-recently column (shown "*"), NULL to turn off. Same ctx. */
void table_set_marks(table *t, table_row_fn marked);
void table_set_changed(table *t, table_row_fn changed);
/* Shown when there are no rows ("no channels match 'icbc'"). Copied. */
void table_set_empty_text(table *t, const char *text);
/* Row keys (NULL: off): then new data (table_set_rows(),
 * table_refresh()) repaints only the lines that changed. */
void table_set_row_key(table *t, table_key_fn key);

/* Where to draw; resizing keeps the selection and clamps the scroll so the
 * selected row stays visible. */
void table_set_rect(table *t, widget_rect r);
widget_rect table_rect(const table *t);

/* New row count (data changed): the selection is clamped to the last row,
 * scroll clamped; full redraw (with row keys: the lines that changed, or
 * everything when the scroll moved). */
void table_set_rows(table *t, size_t n);
size_t table_rows(const table *t);

/* Sort indicator on column col (-1: none). Full redraw. */
void table_set_sort(table *t, int col, bool descending);
int table_sort_col(const table *t);
bool table_sort_desc(const table *t);

/* Selection. table_selected() is SIZE_MAX when the table is empty. */
size_t table_selected(const table *t);
void table_select(table *t, size_t row);   /* clamped */
void table_move(table *t, long delta);     /* clamped, no wrap */
size_t table_scroll(const table *t);       /* first visible row */
int table_page_rows(const table *t);       /* data lines in the rectangle */

/* Navigation actions: ACT_UP/DOWN/PAGE_UP/PAGE_DOWN/TOP/BOTTOM. Returns
 * true when the action was a navigation action (handled). */
bool table_handle(table *t, keymap_action a);

/* Data changed in place (same rows): repaint everything next draw. */
void table_invalidate(table *t);
/* Data changed in place: with row keys, repaint the lines whose key
 * moved; without, everything. */
void table_refresh(table *t);
unsigned table_needs(const table *t);      /* WIDGET_* flags */

/* Draw what the flags ask for into win; clears the flags. Returns the
 * number of lines painted (0 when nothing changed). */
int table_draw(table *t, WINDOW *win);

/* Where the hardware cursor belongs: the selected line's first column
 * (window coordinates); false when there is no selection. */
bool table_cursor(const table *t, int *y, int *x);

/* Horizontal scroll over the columns after the first: delta columns
 * right (>0) or left (<0). Returns true when the offset moved. ACT_LEFT
 * and ACT_RIGHT in table_handle() do the same. */
bool table_hscroll(table *t, int delta);
int table_hoff(const table *t);
/* Columns hidden left and right of what is shown (last layout). */
int table_hidden_left(const table *t);
int table_hidden_right(const table *t);
/* The offset that brings column col on screen (then shown); false when
 * no offset shows it at this width. */
bool table_show_col(table *t, int col);
/* The column under window column x (header or row), -1 when none; and
 * the data row under window line y (SIZE_MAX: the header or past the
 * rows). For mouse clicks. */
int table_col_at(const table *t, int x);
size_t table_row_at(const table *t, int y);
/* A column's name for commands: its untranslated title in lower case,
 * runs of other characters as one "_" ("Sys SR" -> "sys_sr"). Returns
 * the column, -1 when no column has that name. */
int table_col_by_name(const table *t, const char *name);
void table_col_name(const table *t, int col, char *buf, size_t bufsz);
int table_ncols(const table *t);
/* The column dir (-1 left, +1 right) of col in display order, wrapping;
 * from -1 (no sort column) the first or the last. */
int table_col_step(const table *t, int col, int dir);

/* Column widths of the last layout (-1 for dropped columns); for tests and
 * views that draw aligned footers. */
int table_col_width(const table *t, int col);

#endif
