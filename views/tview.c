/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/tview.c: filtered, sorted, selection-keeping table over a source. */
#include "views/tview.h"
#include "base/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TVIEW_ID_MAX 256
#define TVIEW_CELL_MAX 512

struct tview {
	tview_spec spec;
	void *ctx;
	table *t;
	size_t *idx;            /* shown row -> source row */
	size_t n, cap;
	double *key;            /* source row -> its numeric sort key */
	unsigned char *has_key; /* ... when it has one (else its cell) */
	char filter[256];
	int sort_col;           /* -1: source order */
	bool sort_desc;
	char sel_id[TVIEW_ID_MAX];
};

static int tview_cell(void *ctx, size_t row, int col, char *buf, size_t bufsz,
		      int *role)
{
	tview *tv = ctx;
	if (row >= tv->n || tv->idx[row] >= tv->spec.count(tv->ctx))
		return -1;
	return tv->spec.cell(tv->ctx, tv->idx[row], col, buf, bufsz, role);
}

static bool tview_changed(void *ctx, size_t row)
{
	tview *tv = ctx;
	if (row >= tv->n || tv->idx[row] >= tv->spec.count(tv->ctx))
		return false;
	return tv->spec.changed(tv->ctx, tv->idx[row]);
}

static uint64_t tview_key(void *ctx, size_t row)
{
	tview *tv = ctx;
	if (row >= tv->n || tv->idx[row] >= tv->spec.count(tv->ctx))
		return 0;
	return tv->spec.row_key(tv->ctx, tv->idx[row]);
}

tview *tview_new(const tview_spec *spec, void *ctx)
{
	tview *tv = calloc(1, sizeof *tv);
	if (!tv)
		return NULL;
	tv->spec = *spec;
	tv->ctx = ctx;
	tv->sort_col = spec->default_sort;
	tv->sort_desc = spec->default_desc;
	tv->t = table_new(spec->cols, spec->ncols, tview_cell, tv);
	if (!tv->t) {
		free(tv);
		return NULL;
	}
	if (spec->changed)
		table_set_changed(tv->t, tview_changed);
	if (spec->row_key)
		table_set_row_key(tv->t, tview_key);
	table_set_sort(tv->t, tv->sort_col, tv->sort_desc);
	return tv;
}

void *tview_pane_new(size_t size, size_t env_at, const view_env *env,
		     size_t tv_at, const tview_spec *spec)
{
	char *v = calloc(1, size);
	if (!v)
		return NULL;
	memcpy(v + env_at, env, sizeof *env);
	tview *tv = tview_new(spec, v);
	if (!tv) {
		free(v);
		return NULL;
	}
	memcpy(v + tv_at, &tv, sizeof tv);
	return v;
}

void tview_free(tview *tv)
{
	if (!tv)
		return;
	table_free(tv->t);
	free(tv->idx);
	free(tv->key);
	free(tv->has_key);
	free(tv);
}

static bool tview_match(tview *tv, size_t src)
{
	const char *f = tv->filter;
	bool invert = false;
	if (*f == '!') {
		invert = true;
		f++;
	}
	if (!*f)
		return true;
	bool hit = false;
	char buf[TVIEW_CELL_MAX];
	for (int c = 0; c < tv->spec.ncols && !hit; c++) {
		int role = 0;
		buf[0] = '\0';
		if (tv->spec.cell(tv->ctx, src, c, buf, sizeof buf, &role) == 0)
			hit = text_contains(buf, f);
	}
	return hit != invert;
}

/* qsort has no context argument: the comparison reads these. */
static tview *sort_tv;

static int tview_cmp(const void *a, const void *b)
{
	tview *tv = sort_tv;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = tv->sort_col, r = 0;
	if (tv->has_key[x] && tv->has_key[y]) {
		double nx = tv->key[x], ny = tv->key[y];
		bool ax = nx != nx, ay = ny != ny; /* NAN last */
		r = ax || ay ? (ax - ay) : (nx < ny ? -1 : nx > ny);
	} else {
		char bx[TVIEW_CELL_MAX], by[TVIEW_CELL_MAX];
		int role = 0;
		bx[0] = by[0] = '\0';
		tv->spec.cell(tv->ctx, x, c, bx, sizeof bx, &role);
		tv->spec.cell(tv->ctx, y, c, by, sizeof by, &role);
		r = strcoll(bx, by);
	}
	if (tv->sort_desc)
		r = -r;
	if (r == 0) /* stable: source order breaks ties */
		r = x < y ? -1 : x > y;
	return r;
}

static void tview_remember(tview *tv)
{
	size_t sel = table_selected(tv->t);
	if (sel == SIZE_MAX || sel >= tv->n) {
		tv->sel_id[0] = '\0';
		return;
	}
	tv->spec.row_id(tv->ctx, tv->idx[sel], tv->sel_id, sizeof tv->sel_id);
}

void tview_rebuild(tview *tv)
{
	size_t total = tv->spec.count(tv->ctx);
	if (total > tv->cap) {
		size_t *p = realloc(tv->idx, total * sizeof *p);
		if (!p)
			return; /* keep the old rows */
		tv->idx = p;
		double *k = realloc(tv->key, total * sizeof *k);
		if (!k)
			return;
		tv->key = k;
		unsigned char *h = realloc(tv->has_key, total);
		if (!h)
			return;
		tv->has_key = h;
		tv->cap = total;
	}
	size_t old_sel = table_selected(tv->t);
	tv->n = 0;
	for (size_t i = 0; i < total; i++)
		if (tview_match(tv, i))
			tv->idx[tv->n++] = i;
	if (tv->sort_col >= 0 && tv->n > 1) {
		/* each row's key once, not twice per comparison (a live
		 * second at 2,000 channels re-sorts them several times) */
		for (size_t i = 0; i < tv->n; i++) {
			size_t src = tv->idx[i];
			tv->has_key[src] = tv->spec.numkey &&
				tv->spec.numkey(tv->ctx, src, tv->sort_col, &tv->key[src]);
		}
		sort_tv = tv;
		qsort(tv->idx, tv->n, sizeof *tv->idx, tview_cmp);
		sort_tv = NULL;
	}
	table_set_rows(tv->t, tv->n);
	char id[TVIEW_ID_MAX];
	if (tv->sel_id[0] && old_sel != SIZE_MAX && old_sel < tv->n &&
	    (tv->spec.row_id(tv->ctx, tv->idx[old_sel], id, sizeof id),
	     strcmp(id, tv->sel_id) == 0)) {
		table_select(tv->t, old_sel); /* still there: no search */
	} else if (tv->sel_id[0]) {
		for (size_t i = 0; i < tv->n; i++) {
			tv->spec.row_id(tv->ctx, tv->idx[i], id, sizeof id);
			if (strcmp(id, tv->sel_id) == 0) {
				table_select(tv->t, i);
				break;
			}
		}
	} else if (old_sel != SIZE_MAX) {
		table_select(tv->t, old_sel);
	}
	tview_remember(tv);
	const char *f = tv->filter[0] == '!' ? tv->filter + 1 : tv->filter;
	if (*f) {
		char empty[300];
		snprintf(empty, sizeof empty, _("no %s match '%s'"),
			 _(tv->spec.noun), tv->filter);
		table_set_empty_text(tv->t, empty);
	} else {
		char empty[300];
		snprintf(empty, sizeof empty, _("no %s yet"), _(tv->spec.noun));
		table_set_empty_text(tv->t, empty);
	}
	table_refresh(tv->t);
}

void tview_set_rect(tview *tv, widget_rect r)
{
	table_set_rect(tv->t, r);
}

void tview_set_filter(tview *tv, const char *f)
{
	snprintf(tv->filter, sizeof tv->filter, "%s", f ? f : "");
	tview_rebuild(tv);
}

const char *tview_filter(const tview *tv)
{
	return tv->filter;
}

void tview_sort_next(tview *tv)
{
	tv->sort_col++;
	if (tv->sort_col >= tv->spec.ncols)
		tv->sort_col = -1;
	tv->sort_desc = false;
	table_set_sort(tv->t, tv->sort_col, tv->sort_desc);
	tview_rebuild(tv);
}

void tview_sort_reverse(tview *tv)
{
	if (tv->sort_col < 0)
		tv->sort_col = 0;
	tv->sort_desc = !tv->sort_desc;
	table_set_sort(tv->t, tv->sort_col, tv->sort_desc);
	tview_rebuild(tv);
}

void tview_sort_set(tview *tv, int col, bool desc)
{
	if (col < -1 || col >= tv->spec.ncols)
		return;
	tv->sort_col = col;
	tv->sort_desc = desc;
	table_set_sort(tv->t, col, desc);
	if (col >= 0)
		table_show_col(tv->t, col);
	tview_rebuild(tv);
}

bool tview_handle(tview *tv, keymap_action a)
{
	if (a == ACT_SORT_PREV_COL || a == ACT_SORT_NEXT_COL) {
		tview_sort_set(tv, table_col_step(tv->t, tv->sort_col,
						  a == ACT_SORT_PREV_COL ? -1 : 1),
			       tv->sort_desc);
		return true;
	}
	if (!table_handle(tv->t, a))
		return false;
	tview_remember(tv);
	return true;
}

size_t tview_selected(const tview *tv)
{
	size_t sel = table_selected(tv->t);
	if (sel == SIZE_MAX || sel >= tv->n)
		return SIZE_MAX;
	return tv->idx[sel];
}

size_t tview_shown(const tview *tv)
{
	return tv->n;
}

void tview_invalidate(tview *tv)
{
	table_invalidate(tv->t);
}

unsigned tview_needs(const tview *tv)
{
	return table_needs(tv->t);
}

int tview_draw(tview *tv, WINDOW *win)
{
	return table_draw(tv->t, win);
}

bool tview_cursor(const tview *tv, int *y, int *x)
{
	return table_cursor(tv->t, y, x);
}

table *tview_table(tview *tv)
{
	return tv->t;
}

/* The pane's struct starts with its tview pointer: a pointer to the
 * struct, converted, points to that member. */
table *tview_pane_table(void *pane)
{
	return tview_table(*(tview **)pane);
}

bool tview_pane_sort_by(void *pane, int col, bool desc)
{
	tview_sort_set(*(tview **)pane, col, desc);
	return true;
}

const char *tview_pane_filter(const void *pane)
{
	return tview_filter(*(tview *const *)pane);
}

bool tview_pane_cursor(const void *pane, int *y, int *x)
{
	return tview_cursor(*(tview *const *)pane, y, x);
}

bool tview_select_id(tview *tv, const char *id)
{
	char cur[TVIEW_ID_MAX];
	for (size_t i = 0; i < tv->n; i++) {
		tv->spec.row_id(tv->ctx, tv->idx[i], cur, sizeof cur);
		if (strcmp(cur, id) == 0) {
			table_select(tv->t, i);
			tview_remember(tv);
			return true;
		}
	}
	return false;
}
