/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/columns_test.c: columns in priority order, horizontal
 * scroll to every column with the hidden-side markers, money never cut,
 * words grown to their width where there is room, names for :sort, the
 * cells under a mouse click. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/table.h"
#include "tests/lib/unit.h"

enum { K_ID, K_NAME, K_NET, K_HEALTH, K_SR, K_AMT, K_P95, K__N };

static const table_column kcols[K__N] = {
	[K_ID] = { "ID", 8, 10, 0, TABLE_LEFT, 1, true },
	[K_NAME] = { "Name", 12, 20, 1, TABLE_LEFT, 0, false },
	[K_NET] = { "Network", 10, 10, 0, TABLE_LEFT, 0, false },
	[K_HEALTH] = { "Health", 6, 7, 0, TABLE_LEFT, 2, false },
	[K_SR] = { "Sys SR", 7, 7, 0, TABLE_RIGHT, 3, false },
	[K_AMT] = { "Amount", 6, 8, 0, TABLE_RIGHT, 4, true },
	[K_P95] = { "p95", 6, 6, 0, TABLE_RIGHT, 5, false },
};

static const char *amount = "¥56,197,225,985.10";

static int kcell(void *ctx, size_t row, int col, char *buf, size_t bufsz,
		 int *role)
{
	(void)ctx;
	(void)role;
	switch (col) {
	case K_ID: snprintf(buf, bufsz, "ch_%02zu", row); break;
	case K_NAME: snprintf(buf, bufsz, "channel name %zu", row); break;
	case K_NET: snprintf(buf, bufsz, "unionpay"); break;
	case K_HEALTH: snprintf(buf, bufsz, "%s", row ? "ok" : "QUARANTINED"); break;
	case K_SR: snprintf(buf, bufsz, "99.1%%"); break;
	case K_AMT: snprintf(buf, bufsz, "%s", amount); break;
	default: snprintf(buf, bufsz, "120 ms"); break;
	}
	return 0;
}

static void header(WINDOW *win, int w, char *line, size_t sz)
{
	headless_line(win, 0, 0, w, line, sz);
}

/* The table over kcols with three rows, drawn in a new window w columns
 * wide (*win); kfree() frees both. */
static table *knew(WINDOW **win, int w)
{
	*win = newwin(6, w, 0, 0);
	table *t = table_new(kcols, K__N, kcell, NULL);
	table_set_rect(t, (widget_rect){ 0, 0, 5, w });
	table_set_rows(t, 3);
	table_draw(t, *win);
	return t;
}

static void kfree(table *t, WINDOW *win)
{
	table_free(t);
	delwin(win);
}

/* Ranked columns come first, on screen in rank order. */
static void test_priority_order(void **state)
{
	(void)state;
	WINDOW *win;
	table *t = knew(&win, 200);
	char line[1024];
	header(win, 200, line, sizeof line);
	const char *id = strstr(line, "ID"), *h = strstr(line, "Health"),
		   *sr = strstr(line, "Sys SR"), *a = strstr(line, "Amount"),
		   *p = strstr(line, "p95"), *n = strstr(line, "Name"),
		   *net = strstr(line, "Network");
	assert_true(id && h && sr && a && p && n && net);
	assert_true(id < h && h < sr && sr < a && a < p && p < n && n < net);
	/* everything shows: no markers */
	assert_int_equal(table_hidden_left(t) + table_hidden_right(t), 0);
	assert_null(strchr(line, '>'));
	kfree(t, win);
}

/* At 30 columns not all fit: ">" says more on the right; "l" (ACT_RIGHT)
 * brings each column in turn, "<" says some are hidden on the left, and
 * the first column stays. */
static void test_hscroll_reaches_every_column(void **state)
{
	(void)state;
	WINDOW *win;
	table *t = knew(&win, 30);
	char line[512];
	header(win, 30, line, sizeof line);
	assert_true(table_hidden_right(t) > 0);
	assert_int_equal(line[strlen(line) - 1], '>');
	bool seen[K__N] = { false };
	for (int step = 0; step < 2 * K__N; step++) {
		for (int c = 0; c < K__N; c++)
			if (strstr(line, kcols[c].title) &&
			    table_col_width(t, c) > 0)
				seen[c] = true;
		assert_true(strncmp(line, "ID", 2) == 0); /* the key stays */
		if (!table_handle(t, ACT_RIGHT) || !table_hidden_right(t)) {
			table_draw(t, win);
			header(win, 30, line, sizeof line);
			for (int c = 0; c < K__N; c++)
				if (strstr(line, kcols[c].title))
					seen[c] = true;
			break;
		}
		table_draw(t, win);
		header(win, 30, line, sizeof line);
		assert_true(table_hidden_left(t) > 0);
		assert_non_null(strchr(line, '<'));
	}
	for (int c = 0; c < K__N; c++)
		assert_true(seen[c]);
	/* and back: h to the start, no "<" */
	while (table_hoff(t) > 0)
		table_handle(t, ACT_LEFT);
	table_draw(t, win);
	header(win, 30, line, sizeof line);
	assert_null(strchr(line, '<'));
	/* table_show_col brings a hidden column on screen */
	assert_true(table_col_width(t, K_NET) < 0);
	assert_true(table_show_col(t, K_NET));
	assert_true(table_col_width(t, K_NET) > 0);
	kfree(t, win);
}

/* No amount ends in an ellipsis at any width: whole or not shown. */
static void test_money_never_cut(void **state)
{
	(void)state;
	int aw = (int)strlen("56,197,225,985.10") + 1; /* ¥ is one column */
	for (int W = 20; W <= 80; W++) {
		WINDOW *win;
		table *t = knew(&win, W);
		for (int step = 0; step < K__N; step++) {
			table_draw(t, win);
			int w = table_col_width(t, K_AMT);
			assert_true(w < 0 || w >= aw);
			for (int y = 1; y <= 3; y++) {
				char line[512];
				headless_line(win, y, 0, W, line, sizeof line);
				/* any part of the amount is all of it */
				if (strstr(line, "¥") || strstr(line, "985"))
					assert_non_null(strstr(line, amount));
				if (w > 0)
					assert_non_null(strstr(line, amount));
			}
			table_handle(t, ACT_RIGHT);
		}
		kfree(t, win);
	}
}

/* A state word wider than its column's maximum is whole when there is
 * room, and cut (with the ellipsis) only when there is not. */
static void test_words_grow_where_room(void **state)
{
	(void)state;
	WINDOW *win;
	table *t = knew(&win, 200);
	assert_int_equal(table_col_width(t, K_HEALTH), 11);
	char line[512];
	headless_line(win, 1, 0, 200, line, sizeof line);
	assert_non_null(strstr(line, "QUARANTINED"));
	kfree(t, win);
}

static void test_names_and_clicks(void **state)
{
	(void)state;
	WINDOW *win;
	table *t = knew(&win, 200);
	char buf[32];
	table_col_name(t, K_SR, buf, sizeof buf);
	assert_string_equal(buf, "sys_sr");
	assert_int_equal(table_col_by_name(t, "sys_sr"), K_SR);
	assert_int_equal(table_col_by_name(t, "p95"), K_P95);
	assert_int_equal(table_col_by_name(t, "nope"), -1);
	char line[512];
	header(win, 200, line, sizeof line);
	int x = (int)(strstr(line, "Network") - line);
	assert_int_equal(table_col_at(t, x), K_NET);
	assert_int_equal(table_row_at(t, 0), SIZE_MAX);
	assert_int_equal(table_row_at(t, 2), 1);
	assert_int_equal(table_row_at(t, 4), SIZE_MAX); /* past the rows */
	kfree(t, win);
}

UNIT_MAIN(headless_setup, headless_teardown,
	cmocka_unit_test(test_priority_order),
	cmocka_unit_test(test_hscroll_reaches_every_column),
	cmocka_unit_test(test_money_never_cut),
	cmocka_unit_test(test_words_grow_where_room),
	cmocka_unit_test(test_names_and_clicks))
