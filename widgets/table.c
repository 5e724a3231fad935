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
	int *order; /* columns in priority (display) order */
	int *cw;    /* widest cell seen per column (display width) */
	bool *measured; /* cw taken afresh in this full repaint */
	const char **name; /* untranslated titles */
	int hoff;   /* columns after the first skipped (horizontal scroll) */
	int hid_l, hid_r;
	bool measuring; /* in a full repaint: cw taken afresh */
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

static int col_min(const table *t, int i)
{
	int mn = t->cols[i].min_w;
	int tw = text_width(t->cols[i].title ? t->cols[i].title : "") +
		 (i == t->sort_col ? 1 : 0);
	if (mn < tw)
		mn = tw;
	if (mn <= 0)
		mn = 1;
	if (t->cols[i].max_w > 0 && mn > t->cols[i].max_w)
		mn = t->cols[i].max_w;
	return mn;
}

/* The width a column is placed at: its minimum; a whole column's
 * widest cell when wider (the rest grow into the spare width later). */
static int col_want(const table *t, int i)
{
	int w = col_min(t, i), c = t->cw[i];
	return t->cols[i].whole && c > w ? c : w;
}

/* Columns in priority order: ranked ones (prio > 0) by rank, then the
 * others as declared. */
static void order_cols(table *t)
{
	int n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < t->ncols; i++)
			if ((t->cols[i].prio > 0) == (pass == 0))
				t->order[n++] = i;
	for (int a = 1; a < n; a++) { /* insertion sort: stable, few */
		int c = t->order[a], b = a;
		while (b > 0 && t->cols[t->order[b - 1]].prio > 0 &&
		       t->cols[c].prio > 0 &&
		       t->cols[t->order[b - 1]].prio > t->cols[c].prio) {
			t->order[b] = t->order[b - 1];
			b--;
		}
		t->order[b] = c;
	}
}

/* Place the columns from the offset on in avail cells; returns the
 * cells used. */
static int place(table *t, int avail)
{
	int used = 0, nvis = 0;
	t->hid_l = t->hid_r = 0;
	for (int k = 0; k < t->ncols; k++)
		t->width[k] = -1;
	for (int k = 0; k < t->ncols; k++) {
		int i = t->order[k];
		if (k > 0 && k <= t->hoff) {
			t->hid_l++;
			continue;
		}
		if (t->hid_r) {
			t->hid_r++;
			continue;
		}
		int mn = col_want(t, i);
		int need = mn + (nvis ? 1 : 0);
		if (used + need > avail) {
			if (nvis == 0 && avail > 0) {
				/* the first column always shows, cut */
				t->width[i] = avail;
				used = avail;
				nvis = 1;
				continue;
			}
			t->hid_r++;
			continue;
		}
		t->width[i] = mn;
		used += need;
		nvis++;
	}
	return used;
}

static void layout(table *t)
{
	int W = t->r.w;
	t->prefix = (t->marked ? 1 : 0) + (t->changed ? 1 : 0);
	if (t->prefix)
		t->prefix++; /* separator */
	int avail = W - t->prefix;
	int used = place(t, avail);
	if ((t->hid_l || t->hid_r) && avail > 3) {
		/* room for the "<" ">" markers at the header's end, one
		 * blank cell from the last title */
		avail -= 3;
		used = place(t, avail);
	}
	int spare = avail - used;
	/* first the cells cut at their maximum, up to their content */
	for (int k = 0; k < t->ncols && spare > 0; k++) {
		int i = t->order[k];
		if (t->width[i] > 0 && t->cw[i] > t->width[i]) {
			int add = t->cw[i] - t->width[i];
			if (add > spare)
				add = spare;
			t->width[i] += add;
			spare -= add;
		}
	}
	/* then share the spare width among flexible columns, by weight, up
	 * to their maximum */
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
		for (int k = 0; k < t->ncols && spare - given > 0; k++) {
			int i = t->order[k];
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
	for (int i = 0; i < t->ncols; i++)
		t->xoff[i] = -1;
	for (int k = 0; k < t->ncols; k++) {
		int i = t->order[k];
		if (t->width[i] < 0)
			continue;
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
	t->order = calloc((size_t)ncols, sizeof *t->order);
	t->cw = calloc((size_t)ncols, sizeof *t->cw);
	t->measured = calloc((size_t)ncols, sizeof *t->measured);
	t->name = calloc((size_t)ncols, sizeof *t->name);
	if (!t->cols || !t->width || !t->xoff || !t->order || !t->cw ||
	    !t->measured || !t->name) {
		table_free(t);
		return NULL;
	}
	memcpy(t->cols, cols, (size_t)ncols * sizeof *cols);
	/* headers are marked N_() in the views' tables; the catalogue's
	 * strings live as long as the process */
	for (int i = 0; i < ncols; i++) {
		t->name[i] = t->cols[i].title ? t->cols[i].title : "";
		if (t->cols[i].title && t->cols[i].title[0])
			t->cols[i].title = _(t->cols[i].title);
	}
	t->ncols = ncols;
	order_cols(t);
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
	free(t->order);
	free(t->cw);
	free(t->measured);
	free(t->name);
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
	layout(t); /* the sort mark widens its column's minimum */
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
	case ACT_LEFT: table_hscroll(t, -1); return true;
	case ACT_RIGHT: table_hscroll(t, 1); return true;
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
	if ((t->hid_l || t->hid_r) && t->r.w > 2) {
		widget_put_attr(win, y, x0 + t->r.w - 2, 1, t->hid_l ? "<" : " ",
				0, a, p);
		widget_put_attr(win, y, x0 + t->r.w - 1, 1, t->hid_r ? ">" : " ",
				0, a, p);
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
		int tw = text_width(buf);
		if (t->measuring && !t->measured[i]) {
			t->cw[i] = 0;
			t->measured[i] = true;
		}
		if (tw > t->cw[i])
			t->cw[i] = tw;
		if (t->cols[i].whole && tw > t->width[i]) {
			/* never a cut amount or id: the next layout makes
			 * room or drops the column; until then "#" */
			size_t n = (size_t)t->width[i] < sizeof buf - 1 ?
				   (size_t)t->width[i] : sizeof buf - 1;
			memset(buf, '#', n);
			buf[n] = '\0';
		}
		attr_t a = term_role_attr((term_role)role) | base;
		short p = term_role_pair((term_role)role);
		if (!p)
			p = basep;
		put_cell(win, y, x0 + t->xoff[i], t->width[i], buf,
			 t->cols[i].align, a, p);
	}
}

/* Everything: the header and every data line. */
static int full_pass(table *t, WINDOW *win)
{
	int painted = 0, page = page_of(t);
	for (int i = 0; i < t->n_lines; i++)
		t->lines[i].flags = 0;
	for (int i = 0; i < t->ncols; i++)
		t->measured[i] = false;
	t->measuring = true;
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
	t->measuring = false;
	draw_header(t, win);
	return painted + 1;
}

/* A fingerprint of the layout, to see whether the cells drawn moved it. */
static uint64_t layout_key(const table *t)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < t->ncols; i++) {
		h = (h ^ (uint64_t)(unsigned)t->width[i]) * 1099511628211ull;
		h = (h ^ (uint64_t)(unsigned)t->xoff[i]) * 1099511628211ull;
	}
	return h ^ (uint64_t)(t->hid_l * 31 + t->hid_r);
}

/* Lay out again after measuring: true when it moved. */
static bool relayout(table *t)
{
	uint64_t before = layout_key(t);
	layout(t);
	return layout_key(t) != before;
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
	bool full = (t->needs & WIDGET_REDRAW_FULL) || !t->drawn_valid ||
		    ((t->needs & WIDGET_REDRAW_ROWS) && !keyed);
	if (!full && (t->needs & WIDGET_REDRAW_ROWS)) {
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
		full = relayout(t);
	} else if (!full) {
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
		full = relayout(t);
	}
	/* the widths follow what the cells hold: a pass that moved them is
	 * painted again (twice more at most: it converges, widths only grow
	 * within a call) */
	for (int pass = 0; full && pass < 3; pass++) {
		painted = full_pass(t, win);
		full = relayout(t);
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

bool table_hscroll(table *t, int delta)
{
	if ((delta > 0 && !t->hid_r) || (delta < 0 && t->hoff == 0) ||
	    delta == 0)
		return false;
	long h = (long)t->hoff + delta;
	if (h < 0)
		h = 0;
	if (h > t->ncols - 1)
		h = t->ncols - 1;
	t->hoff = (int)h;
	layout(t);
	t->needs |= WIDGET_REDRAW_FULL;
	return true;
}

int table_hoff(const table *t)
{
	return t->hoff;
}

int table_hidden_left(const table *t)
{
	return t->hid_l;
}

int table_hidden_right(const table *t)
{
	return t->hid_r;
}

bool table_show_col(table *t, int col)
{
	if (col < 0 || col >= t->ncols)
		return false;
	if (t->width[col] >= 0)
		return true;
	int k = 0;
	while (k < t->ncols && t->order[k] != col)
		k++;
	int old = t->hoff;
	if (k <= t->hoff) {
		t->hoff = k - 1;
		layout(t);
	}
	while (t->width[col] < 0 && t->hoff < k) {
		t->hoff++;
		layout(t);
	}
	if (t->width[col] < 0) {
		t->hoff = old;
		layout(t);
		return false;
	}
	t->needs |= WIDGET_REDRAW_FULL;
	return true;
}

int table_col_at(const table *t, int x)
{
	for (int i = 0; i < t->ncols; i++)
		if (t->width[i] > 0 && x >= t->r.x + t->xoff[i] &&
		    x < t->r.x + t->xoff[i] + t->width[i])
			return i;
	return -1;
}

size_t table_row_at(const table *t, int y)
{
	int line = y - t->r.y - 1;
	if (line < 0 || line >= page_of(t))
		return SIZE_MAX;
	size_t row = t->scroll + (size_t)line;
	return row < t->nrows ? row : SIZE_MAX;
}

void table_col_name(const table *t, int col, char *buf, size_t bufsz)
{
	if (!bufsz)
		return;
	buf[0] = '\0';
	if (col < 0 || col >= t->ncols)
		return;
	size_t n = 0;
	bool gap = false;
	for (const char *p = t->name[col]; *p && n + 2 < bufsz; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z')) {
			if (gap && n)
				buf[n++] = '_';
			gap = false;
			buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		} else {
			gap = true;
		}
	}
	buf[n] = '\0';
}

int table_col_by_name(const table *t, const char *name)
{
	char buf[64];
	for (int i = 0; i < t->ncols; i++) {
		table_col_name(t, i, buf, sizeof buf);
		if (buf[0] && strcmp(buf, name) == 0)
			return i;
	}
	return -1;
}

int table_ncols(const table *t)
{
	return t->ncols;
}

int table_col_step(const table *t, int col, int dir)
{
	int k = -1;
	for (int i = 0; i < t->ncols; i++)
		if (t->order[i] == col)
			k = i;
	if (k < 0)
		return t->order[dir < 0 ? t->ncols - 1 : 0];
	k = (k + (dir < 0 ? t->ncols - 1 : 1)) % t->ncols;
	return t->order[k];
}
