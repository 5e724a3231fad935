/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/table.c: a table over rows it does not own; drawing cost is the
 * visible rows only. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "text/text.h"
#include "widgets/table.h"

#define CELL_MAX 1024

/* What a data line was last drawn with: its row's key and flags. */
typedef struct {
	uint64_t key;
	unsigned flags; /* LINE_* */
} line_state;

enum {
	LINE_VALID = 1u << 0,   /* known; else repaint */
	LINE_ROW = 1u << 1,     /* a row (else blank) */
	LINE_SEL = 1u << 2,
	LINE_MARKED = 1u << 3,
	LINE_CHANGED = 1u << 4,
};

struct table {
	table_column *cols;
	int ncols;
	int *width; /* -1: dropped */
	int *xoff;  /* from r.x */
	int prefix; /* marker columns + their separator */
	table_cell_fn cell;
	void *ctx;
	table_row_fn marked, changed;
	char *empty;
	widget_rect r;
	size_t nrows, sel, scroll;
	size_t drawn_sel;  /* selection as last painted */
	bool drawn_valid;
	int sort_col;
	bool sort_desc;
	unsigned needs;
	table_key_fn row_key;
	line_state *lines; /* what each data line shows (with row keys) */
	int n_lines;
};

static int page_of(const table *t)
{
	return t->r.h > 1 ? t->r.h - 1 : 0;
}

static void layout(table *t)
{
	int W = t->r.w;
	t->prefix = (t->marked ? 1 : 0) + (t->changed ? 1 : 0);
	if (t->prefix)
		t->prefix++; /* separator */
	int avail = W - t->prefix;
	int used = 0, nvis = 0;
	for (int i = 0; i < t->ncols; i++) {
		int mn = t->cols[i].min_w;
		if (mn <= 0)
			mn = text_width(t->cols[i].title ? t->cols[i].title : "");
		if (mn <= 0)
			mn = 1;
		if (t->cols[i].max_w > 0 && mn > t->cols[i].max_w)
			mn = t->cols[i].max_w;
		int need = mn + (nvis ? 1 : 0);
		if (used + need > avail) {
			if (nvis == 0 && avail > 0) {
				/* the first column always shows, cut */
				t->width[i] = avail;
				used = avail;
				nvis = 1;
				continue;
			}
			t->width[i] = -1;
			for (int j = i + 1; j < t->ncols; j++)
				t->width[j] = -1;
			break;
		}
		t->width[i] = mn;
		used += need;
		nvis++;
	}
	/* share the spare width among flexible columns, by weight, up to
	 * their maximum */
	int spare = avail - used;
	while (spare > 0) {
		int wsum = 0;
		for (int i = 0; i < t->ncols; i++)
			if (t->width[i] > 0 && t->cols[i].flex > 0 &&
			    (t->cols[i].max_w <= 0 ||
			     t->width[i] < t->cols[i].max_w))
				wsum += t->cols[i].flex;
		if (wsum == 0)
			break;
		int given = 0;
		for (int i = 0; i < t->ncols && spare - given > 0; i++) {
			if (t->width[i] <= 0 || t->cols[i].flex <= 0 ||
			    (t->cols[i].max_w > 0 &&
			     t->width[i] >= t->cols[i].max_w))
				continue;
			int add = (int)((long)spare * t->cols[i].flex / wsum);
			if (add < 1)
				add = 1;
			if (add > spare - given)
				add = spare - given;
			if (t->cols[i].max_w > 0 &&
			    t->width[i] + add > t->cols[i].max_w)
				add = t->cols[i].max_w - t->width[i];
			t->width[i] += add;
			given += add;
		}
		if (given == 0)
			break;
		spare -= given;
	}
	int x = t->prefix;
	bool first = true;
	for (int i = 0; i < t->ncols; i++) {
		if (t->width[i] < 0) {
			t->xoff[i] = -1;
			continue;
		}
		if (!first)
			x++;
		first = false;
		t->xoff[i] = x;
		x += t->width[i];
	}
}

static void clamp(table *t)
{
	if (t->nrows == 0) {
		t->sel = t->scroll = 0;
		return;
	}
	if (t->sel >= t->nrows)
		t->sel = t->nrows - 1;
	size_t page = (size_t)(page_of(t) > 0 ? page_of(t) : 1);
	if (t->sel < t->scroll)
		t->scroll = t->sel;
	if (t->sel >= t->scroll + page)
		t->scroll = t->sel - page + 1;
	/* no blank space under the last row while rows are above the top */
	if (t->scroll + page > t->nrows)
		t->scroll = t->nrows > page ? t->nrows - page : 0;
}

table *table_new(const table_column *cols, int ncols, table_cell_fn cell,
		 void *ctx)
{
	if (!cols || ncols <= 0 || !cell) {
		errno = EINVAL;
		return NULL;
	}
	table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cols = calloc((size_t)ncols, sizeof *t->cols);
	t->width = calloc((size_t)ncols, sizeof *t->width);
	t->xoff = calloc((size_t)ncols, sizeof *t->xoff);
	if (!t->cols || !t->width || !t->xoff) {
		table_free(t);
		return NULL;
	}
	memcpy(t->cols, cols, (size_t)ncols * sizeof *cols);
	/* headers are marked N_() in the views' tables; the catalogue's
	 * strings live as long as the process */
	for (int i = 0; i < ncols; i++)
		if (t->cols[i].title && t->cols[i].title[0])
			t->cols[i].title = _(t->cols[i].title);
	t->ncols = ncols;
	t->cell = cell;
	t->ctx = ctx;
	t->sort_col = -1;
	t->needs = WIDGET_REDRAW_FULL;
	layout(t);
	return t;
}

void table_free(table *t)
{
	if (!t)
		return;
	free(t->cols);
	free(t->width);
	free(t->xoff);
	free(t->empty);
	free(t->lines);
	free(t);
}

void table_set_row_key(table *t, table_key_fn key)
{
	t->row_key = key;
	t->needs |= WIDGET_REDRAW_FULL;
}

/* The line state array follows the page height; all lines unknown. */
static void lines_reset(table *t)
{
	int page = page_of(t);
	if (page != t->n_lines) {
		line_state *l = page > 0 ? realloc(t->lines, (size_t)page * sizeof *l) : NULL;
		if (page > 0 && !l) {
			free(t->lines);
			t->lines = NULL;
			t->n_lines = 0;
			return; /* no memory: full redraws only */
		}
		if (page <= 0)
			free(t->lines);
		t->lines = l;
		t->n_lines = page > 0 ? page : 0;
	}
	for (int i = 0; i < t->n_lines; i++)
		t->lines[i].flags = 0;
}

void table_set_marks(table *t, table_row_fn marked)
{
	t->marked = marked;
	layout(t);
	t->needs |= WIDGET_REDRAW_FULL;
}

void table_set_changed(table *t, table_row_fn changed)
{
	t->changed = changed;
	layout(t);
	t->needs |= WIDGET_REDRAW_FULL;
}

void table_set_empty_text(table *t, const char *text)
{
	if (text && t->empty && strcmp(text, t->empty) == 0)
		return; /* the same words: nothing to copy or repaint */
	char *c = text ? strdup(text) : NULL;
	if (text && !c)
		return;
	free(t->empty);
	t->empty = c;
	if (t->nrows == 0)
		t->needs |= WIDGET_REDRAW_FULL;
}

void table_set_rect(table *t, widget_rect r)
{
	if (r.h < 0)
		r.h = 0;
	if (r.w < 0)
		r.w = 0;
	if (memcmp(&r, &t->r, sizeof r) == 0)
		return;
	t->r = r;
	layout(t);
	clamp(t);
	t->needs |= WIDGET_REDRAW_FULL;
}

widget_rect table_rect(const table *t)
{
	return t->r;
}

void table_set_rows(table *t, size_t n)
{
	size_t old_scroll = t->scroll;
	bool was_empty = t->nrows == 0;
	t->nrows = n;
	clamp(t);
	if (t->row_key && t->scroll == old_scroll && !was_empty && n > 0)
		t->needs |= WIDGET_REDRAW_ROWS;
	else
		t->needs |= WIDGET_REDRAW_FULL;
}

size_t table_rows(const table *t)
{
	return t->nrows;
}

void table_set_sort(table *t, int col, bool descending)
{
	if (col < -1 || col >= t->ncols)
		col = -1;
	if (col == t->sort_col && descending == t->sort_desc)
		return;
	t->sort_col = col;
	t->sort_desc = descending;
	t->needs |= WIDGET_REDRAW_FULL;
}

int table_sort_col(const table *t)
{
	return t->sort_col;
}

bool table_sort_desc(const table *t)
{
	return t->sort_desc;
}

size_t table_selected(const table *t)
{
	return t->nrows ? t->sel : SIZE_MAX;
}

void table_select(table *t, size_t row)
{
	if (t->nrows == 0)
		return;
	size_t old_scroll = t->scroll, old_sel = t->sel;
	t->sel = row;
	clamp(t);
	if (t->scroll != old_scroll)
		t->needs |= WIDGET_REDRAW_FULL;
	else if (t->sel != old_sel)
		t->needs |= WIDGET_REDRAW_SEL;
}

void table_move(table *t, long delta)
{
	if (t->nrows == 0)
		return;
	size_t row;
	if (delta < 0) {
		size_t d = (size_t)(-(delta + 1)) + 1;
		row = d > t->sel ? 0 : t->sel - d;
	} else {
		size_t d = (size_t)delta;
		row = d > SIZE_MAX - t->sel ? SIZE_MAX : t->sel + d;
	}
	table_select(t, row);
}

size_t table_scroll(const table *t)
{
	return t->scroll;
}

int table_page_rows(const table *t)
{
	return page_of(t);
}

bool table_handle(table *t, keymap_action a)
{
	long page = page_of(t) > 1 ? page_of(t) : 1;
	switch (a) {
	case ACT_UP: table_move(t, -1); return true;
	case ACT_DOWN: table_move(t, 1); return true;
	case ACT_PAGE_UP: table_move(t, -page); return true;
	case ACT_PAGE_DOWN: table_move(t, page); return true;
	case ACT_TOP: table_select(t, 0); return true;
	case ACT_BOTTOM:
		if (t->nrows)
			table_select(t, t->nrows - 1);
		return true;
	default: return false;
	}
}

void table_invalidate(table *t)
{
	t->needs |= WIDGET_REDRAW_FULL;
}

void table_refresh(table *t)
{
	t->needs |= t->row_key ? WIDGET_REDRAW_ROWS : WIDGET_REDRAW_FULL;
}

unsigned table_needs(const table *t)
{
	return t->needs;
}

static void put_cell(WINDOW *win, int y, int x, int w, const char *s,
		     table_align al, attr_t attr, short pair)
{
	if (al == TABLE_CENTER) {
		char tmp[CELL_MAX * 2];
		int tw = text_fit(s, w, 0, tmp, sizeof tmp);
		int left = (w - tw) / 2;
		if (left > 0)
			widget_put_attr(win, y, x, left, "", 0, attr, pair);
		widget_put_attr(win, y, x + left, w - left, tmp, 0, attr, pair);
		return;
	}
	widget_put_attr(win, y, x, w, s, al == TABLE_RIGHT ? TEXT_RIGHT : 0,
			attr, pair);
}

static void draw_header(table *t, WINDOW *win)
{
	int y = t->r.y, x0 = t->r.x;
	attr_t a = term_role_attr(ROLE_HEADER);
	short p = term_role_pair(ROLE_HEADER);
	widget_put_attr(win, y, x0, t->r.w, "", 0, a, p);
	if (t->prefix)
		widget_put_attr(win, y, x0, t->prefix, "", 0, a, p);
	for (int i = 0; i < t->ncols; i++) {
		if (t->width[i] < 0)
			continue;
		int w = t->width[i];
		const char *title = t->cols[i].title ? t->cols[i].title : "";
		if (i == t->sort_col && w >= 2) {
			/* ASCII arrows: the Unicode triangles are ambiguous
			 * width and go double-wide on CJK terminals */
			put_cell(win, y, x0 + t->xoff[i], w - 1, title,
				 t->cols[i].align, a, p);
			widget_put_attr(win, y, x0 + t->xoff[i] + w - 1, 1,
					t->sort_desc ? "v" : "^", 0, a, p);
		} else {
			put_cell(win, y, x0 + t->xoff[i], w, title,
				 t->cols[i].align, a, p);
		}
	}
}

/* The flags a row would be drawn with now (marks asked once). */
static unsigned row_flags(table *t, size_t row)
{
	unsigned f = LINE_VALID | LINE_ROW;
	if (row == t->sel)
		f |= LINE_SEL;
	if (t->marked && t->marked(t->ctx, row))
		f |= LINE_MARKED;
	if (t->changed && t->changed(t->ctx, row))
		f |= LINE_CHANGED;
	return f;
}

static void draw_row_with(table *t, WINDOW *win, size_t row, unsigned flags);

static void draw_row(table *t, WINDOW *win, size_t row)
{
	draw_row_with(t, win, row, row_flags(t, row));
}

static void draw_row_with(table *t, WINDOW *win, size_t row, unsigned flags)
{
	int line = (int)(row - t->scroll);
	int y = t->r.y + 1 + line, x0 = t->r.x;
	bool sel = flags & LINE_SEL;
	if (line >= 0 && line < t->n_lines) {
		t->lines[line].flags = flags;
		t->lines[line].key = t->row_key ? t->row_key(t->ctx, row) : 0;
	}
	attr_t base = sel ? term_role_attr(ROLE_SELECTED) : 0;
	short basep = sel ? term_role_pair(ROLE_SELECTED) : 0;
	widget_put_attr(win, y, x0, t->r.w, "", 0, base, basep);
	int x = x0;
	if (t->marked) {
		bool m = flags & LINE_MARKED;
		widget_put_attr(win, y, x, 1, m ? "+" : " ", 0,
				base | (m ? term_role_attr(ROLE_MARK) : 0),
				m ? term_role_pair(ROLE_MARK) : basep);
		x++;
	}
	if (t->changed) {
		bool c = flags & LINE_CHANGED;
		widget_put_attr(win, y, x, 1, c ? "*" : " ", 0, base, basep);
		x++;
	}
	char buf[CELL_MAX];
	for (int i = 0; i < t->ncols; i++) {
		if (t->width[i] < 0)
			continue;
		int role = ROLE_NORMAL;
		buf[0] = '\0';
		if (t->cell(t->ctx, row, i, buf, sizeof buf, &role) != 0)
			buf[0] = '\0';
		buf[sizeof buf - 1] = '\0';
		if (role < 0 || role >= ROLE_COUNT)
			role = ROLE_NORMAL;
		attr_t a = term_role_attr((term_role)role) | base;
		short p = term_role_pair((term_role)role);
		if (!p)
			p = basep;
		put_cell(win, y, x0 + t->xoff[i], t->width[i], buf,
			 t->cols[i].align, a, p);
	}
}

int table_draw(table *t, WINDOW *win)
{
	if (!t->needs || !win || t->r.w <= 0 || t->r.h <= 0) {
		t->needs = WIDGET_CLEAN;
		return 0;
	}
	int painted = 0;
	int page = page_of(t);
	if (page != t->n_lines)
		lines_reset(t);
	bool keyed = t->row_key && t->n_lines == page && t->nrows > 0;
	if ((t->needs & WIDGET_REDRAW_FULL) || !t->drawn_valid ||
	    ((t->needs & WIDGET_REDRAW_ROWS) && !keyed)) {
		for (int i = 0; i < t->n_lines; i++)
			t->lines[i].flags = 0;
		draw_header(t, win);
		painted++;
		for (int i = 0; i < page; i++) {
			size_t row = t->scroll + (size_t)i;
			if (row < t->nrows) {
				draw_row(t, win, row);
			} else {
				const char *s = "";
				if (t->nrows == 0 && i == 0 && t->empty)
					s = t->empty;
				widget_put(win, t->r.y + 1 + i, t->r.x, t->r.w,
					   s, 0, ROLE_DIM);
				if (i < t->n_lines)
					t->lines[i].flags = LINE_VALID;
			}
			painted++;
		}
	} else if (t->needs & WIDGET_REDRAW_ROWS) {
		/* new data: only the lines whose row, key or flags moved */
		for (int i = 0; i < page; i++) {
			size_t row = t->scroll + (size_t)i;
			line_state *l = &t->lines[i];
			if (row >= t->nrows) {
				if (l->flags != LINE_VALID) {
					widget_put(win, t->r.y + 1 + i, t->r.x, t->r.w,
						   "", 0, ROLE_DIM);
					l->flags = LINE_VALID;
					painted++;
				}
				continue;
			}
			unsigned f = row_flags(t, row);
			if (l->flags == f && l->key == t->row_key(t->ctx, row))
				continue;
			draw_row_with(t, win, row, f);
			painted++;
		}
	} else {
		/* selection moved within the page: the old and the new line */
		if (t->drawn_sel != t->sel && t->drawn_sel >= t->scroll &&
		    t->drawn_sel < t->scroll + (size_t)page &&
		    t->drawn_sel < t->nrows) {
			draw_row(t, win, t->drawn_sel);
			painted++;
		}
		if (t->nrows) {
			draw_row(t, win, t->sel);
			painted++;
		}
	}
	t->drawn_sel = t->sel;
	t->drawn_valid = true;
	t->needs = WIDGET_CLEAN;
	return painted;
}

bool table_cursor(const table *t, int *y, int *x)
{
	if (t->nrows == 0 || page_of(t) == 0)
		return false;
	if (y)
		*y = t->r.y + 1 + (int)(t->sel - t->scroll);
	if (x)
		*x = t->r.x;
	return true;
}

int table_col_width(const table *t, int col)
{
	if (col < 0 || col >= t->ncols)
		return -1;
	return t->width[col];
}
