/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/table_test.c: alignment with CJK names, truncation,
 * selection/scroll clamping, redraw flags, cost of 100,000 rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/table.h"
#include "tests/lib/unit.h"

struct data {
	const char *const *names;
	size_t n;
	unsigned long calls;
	size_t marked, changed; /* row marked / changed (SIZE_MAX: none) */
};

static int cell(void *ctx, size_t row, int col, char *buf, size_t bufsz,
		int *role)
{
	struct data *d = ctx;
	d->calls++;
	if (col == 0)
		snprintf(buf, bufsz, "%s", d->names ? d->names[row % d->n] : "x");
	else if (col == 1)
		snprintf(buf, bufsz, "%zu", row);
	else
		snprintf(buf, bufsz, "%s", row % 2 ? "down" : "ok");
	if (col == 2)
		*role = row % 2 ? ROLE_CRIT : ROLE_OK;
	return 0;
}

static bool is_marked(void *ctx, size_t row)
{
	return row == ((struct data *)ctx)->marked;
}

static bool is_changed(void *ctx, size_t row)
{
	return row == ((struct data *)ctx)->changed;
}

/* Row keys for test_row_keys: keys[row], and the cell text follows it. */
static uint64_t keys[100];

static uint64_t row_key(void *ctx, size_t row)
{
	(void)ctx;
	return row < 100 ? keys[row] : 0;
}

static int keyed_cell(void *ctx, size_t row, int col, char *buf, size_t bufsz,
		      int *role)
{
	struct data *d = ctx;
	d->calls++;
	(void)role;
	snprintf(buf, bufsz, "r%zu k%llu c%d", row,
		 (unsigned long long)(row < 100 ? keys[row] : 0), col);
	return 0;
}

static const table_column cols3[] = {
	{ "Name", 6, 0, 1, TABLE_LEFT },
	{ "TPS", 6, 8, 0, TABLE_RIGHT },
	{ "Health", 6, 0, 0, TABLE_LEFT },
};

static const char *const cjk[] = {
	"工商银行 快捷支付",
	"icbc.direct",
	"成都市锦江区老妈火锅店成都市锦江区老妈火锅店",
	"中国银联\x1b[2J二维码",
	"a\xcc\x81 mixed 宽",
};

static void test_cjk_alignment(void **state)
{
	(void)state;
	for (int W = 30; W <= 37; W++) {
		WINDOW *win = newwin(8, W, 0, 0);
		assert_non_null(win);
		struct data d = { cjk, 5, 0, SIZE_MAX, SIZE_MAX };
		table *t = table_new(cols3, 3, cell, &d);
		assert_non_null(t);
		table_set_rect(t, (widget_rect){ 0, 0, 7, W });
		table_set_rows(t, 5);
		assert_int_equal(table_draw(t, win), 7);
		int name_w = table_col_width(t, 0);
		assert_int_equal(name_w + 1 + 6 + 1 + 6, W);
		for (int y = 0; y <= 5; y++) {
			char line[512];
			/* every line is exactly the table's width */
			assert_int_equal(headless_line(win, y, 0, W, line,
						       sizeof line), W);
			/* TPS right-aligned, ending one column before Health */
			if (y > 0) {
				char tps[32];
				headless_line(win, y, name_w + 1, 6, tps,
					      sizeof tps);
				char want[32];
				snprintf(want, sizeof want, "%6d", y - 1);
				assert_string_equal(tps, want);
			}
		}
		/* the escape sequence never reached a cell */
		for (int y = 1; y <= 5; y++)
			for (int x = 0; x < W; x++) {
				cchar_t cc;
				wchar_t wc[CCHARW_MAX + 1];
				attr_t a;
				short p;
				mvwin_wch(win, y, x, &cc);
				getcchar(&cc, wc, &a, &p, NULL);
				assert_true(wc[0] == 0 || wc[0] >= 0x20);
			}
		table_free(t);
		delwin(win);
	}
}

static void test_truncation_ellipsis(void **state)
{
	(void)state;
	WINDOW *win = newwin(4, 30, 0, 0);
	struct data d = { cjk + 2, 1, 0, SIZE_MAX, SIZE_MAX };
	table_column c[] = { { "Merchant", 9, 9, 0, TABLE_LEFT } };
	table *t = table_new(c, 1, cell, &d);
	/* 9 wide: a column grows past its maximum into spare width, so the
	 * cut is where the table ends */
	table_set_rect(t, (widget_rect){ 0, 0, 3, 9 });
	table_set_rows(t, 1);
	table_draw(t, win);
	char line[128];
	headless_line(win, 1, 0, 9, line, sizeof line);
	/* 9 columns: four wide glyphs (8) then the ellipsis (1) */
	assert_string_equal(line, "成都市锦\u2026");
	/* the rest of the line is blank, still inside the rect */
	headless_line(win, 1, 9, 21, line, sizeof line);
	assert_string_equal(line, "                     ");
	/* an odd width: the wide glyph at the edge becomes a space */
	table_column c2[] = { { "M", 8, 8, 0, TABLE_LEFT } };
	table *t2 = table_new(c2, 1, cell, &d);
	table_set_rect(t2, (widget_rect){ 0, 0, 3, 8 });
	table_set_rows(t2, 1);
	table_draw(t2, win);
	headless_line(win, 1, 0, 8, line, sizeof line);
	assert_int_equal(text_width(line), 8);
	assert_non_null(strstr(line, "\u2026"));
	table_free(t2);
	table_free(t);
	delwin(win);
}

static void test_selection_clamping(void **state)
{
	(void)state;
	struct data d = { NULL, 1, 0, SIZE_MAX, SIZE_MAX };
	table *t = table_new(cols3, 3, cell, &d);
	table_set_rect(t, (widget_rect){ 0, 0, 11, 40 }); /* 10 data lines */
	assert_int_equal(table_selected(t), SIZE_MAX);
	table_set_rows(t, 100);
	assert_int_equal(table_selected(t), 0);
	table_select(t, 95);
	assert_int_equal(table_selected(t), 95);
	assert_int_equal(table_scroll(t), 86);
	/* rows shrink under the selection */
	table_set_rows(t, 50);
	assert_int_equal(table_selected(t), 49);
	assert_int_equal(table_scroll(t), 40);
	/* rows shrink to fewer than a page: no blank space above */
	table_set_rows(t, 5);
	assert_int_equal(table_selected(t), 4);
	assert_int_equal(table_scroll(t), 0);
	table_set_rows(t, 0);
	assert_int_equal(table_selected(t), SIZE_MAX);
	int y, x;
	assert_false(table_cursor(t, &y, &x));
	table_set_rows(t, 100);
	table_select(t, 30);
	assert_int_equal(table_scroll(t), 21);
	/* resize smaller: the selection stays, visible */
	table_set_rect(t, (widget_rect){ 2, 1, 4, 40 }); /* 3 data lines */
	assert_int_equal(table_selected(t), 30);
	assert_true(table_scroll(t) <= 30 && 30 < table_scroll(t) + 3);
	assert_true(table_cursor(t, &y, &x));
	assert_int_equal(y, 2 + 1 + (int)(30 - table_scroll(t)));
	assert_int_equal(x, 1);
	/* navigation actions, clamped */
	assert_true(table_handle(t, ACT_BOTTOM));
	assert_int_equal(table_selected(t), 99);
	assert_true(table_handle(t, ACT_DOWN));
	assert_int_equal(table_selected(t), 99);
	assert_true(table_handle(t, ACT_PAGE_UP));
	assert_int_equal(table_selected(t), 96);
	assert_true(table_handle(t, ACT_TOP));
	assert_int_equal(table_selected(t), 0);
	assert_true(table_handle(t, ACT_UP));
	assert_int_equal(table_selected(t), 0);
	table_move(t, -1000000);
	assert_int_equal(table_selected(t), 0);
	table_move(t, 1000000);
	assert_int_equal(table_selected(t), 99);
	assert_false(table_handle(t, ACT_FILTER));
	table_free(t);
}

static void test_selection_only_redraw(void **state)
{
	(void)state;
	WINDOW *win = newwin(12, 40, 0, 0);
	struct data d = { cjk, 5, 0, SIZE_MAX, SIZE_MAX };
	table *t = table_new(cols3, 3, cell, &d);
	table_set_rect(t, (widget_rect){ 0, 0, 11, 40 });
	table_set_rows(t, 100);
	assert_true(table_needs(t) & WIDGET_REDRAW_FULL);
	assert_int_equal(table_draw(t, win), 11);
	/* nothing changed: nothing drawn, no cell asked for */
	d.calls = 0;
	assert_int_equal(table_needs(t), WIDGET_CLEAN);
	assert_int_equal(table_draw(t, win), 0);
	assert_int_equal(d.calls, 0);
	/* selection moves within the page: two lines */
	table_move(t, 1);
	assert_int_equal(table_needs(t), WIDGET_REDRAW_SEL);
	assert_int_equal(table_draw(t, win), 2);
	assert_int_equal(d.calls, 2 * 3);
	/* the new selected line is reversed, the old one not */
	assert_true(headless_attr(win, 2, 0) & A_REVERSE);
	assert_false(headless_attr(win, 1, 0) & A_REVERSE);
	int y;
	assert_true(table_cursor(t, &y, NULL));
	assert_int_equal(y, 2);
	/* several moves between draws: still the first and last lines */
	table_move(t, 1);
	table_move(t, 1);
	assert_int_equal(table_draw(t, win), 2);
	assert_false(headless_attr(win, 2, 0) & A_REVERSE);
	assert_true(headless_attr(win, 4, 0) & A_REVERSE);
	/* leaving the page scrolls: full redraw */
	table_select(t, 50);
	assert_true(table_needs(t) & WIDGET_REDRAW_FULL);
	assert_int_equal(table_draw(t, win), 11);
	/* invalidate after a data change */
	table_invalidate(t);
	assert_true(table_needs(t) & WIDGET_REDRAW_FULL);
	table_free(t);
	delwin(win);
}

/* With row keys, new data repaints only the lines whose key or flags
 * moved, and each changed value reaches the window in that one draw. */
static void test_row_keys(void **state)
{
	(void)state;
	WINDOW *win = newwin(12, 60, 0, 0);
	struct data d = { NULL, 1, 0, SIZE_MAX, SIZE_MAX };
	/* four digits throughout: the cells keep their width, so the
	 * columns (which follow the widest cell) do not move */
	for (size_t i = 0; i < 100; i++)
		keys[i] = i + 5000;
	table *t = table_new(cols3, 3, keyed_cell, &d);
	table_set_changed(t, is_changed);
	table_set_row_key(t, row_key);
	table_set_rect(t, (widget_rect){ 0, 0, 11, 60 }); /* 10 data lines */
	table_set_rows(t, 100);
	assert_int_equal(table_draw(t, win), 11);
	/* the same data again: no line, no cell */
	d.calls = 0;
	table_set_rows(t, 100);
	assert_int_equal(table_needs(t), WIDGET_REDRAW_ROWS);
	assert_int_equal(table_draw(t, win), 0);
	assert_int_equal(d.calls, 0);
	/* two visible rows and one below the page change: two lines */
	keys[3] = 1000;
	keys[7] = 1001;
	keys[50] = 1002;
	table_refresh(t);
	assert_int_equal(table_draw(t, win), 2);
	assert_int_equal(d.calls, 2 * 3);
	char line[128];
	headless_line(win, 4, 0, 60, line, sizeof line);
	assert_non_null(strstr(line, "k1000"));
	headless_line(win, 8, 0, 60, line, sizeof line);
	assert_non_null(strstr(line, "k1001"));
	/* the changed marker alone is a change of the line */
	d.changed = 5;
	table_refresh(t);
	assert_int_equal(table_draw(t, win), 1);
	headless_line(win, 6, 0, 60, line, sizeof line);
	assert_int_equal(line[0], '*');
	d.changed = SIZE_MAX;
	table_refresh(t);
	assert_int_equal(table_draw(t, win), 1);
	/* fewer rows: the lines past the end are blanked once */
	table_select(t, 0);
	table_draw(t, win);
	table_set_rows(t, 8);
	assert_int_equal(table_draw(t, win), 2);
	headless_line(win, 9, 0, 60, line, sizeof line);
	assert_null(strstr(line, "r8"));
	assert_int_equal(table_draw(t, win), 0);
	/* a selection move still paints the two lines */
	table_move(t, 1);
	assert_int_equal(table_draw(t, win), 2);
	table_set_rows(t, 8);
	assert_int_equal(table_draw(t, win), 0);
	/* a full invalidation repaints everything whatever the keys */
	table_invalidate(t);
	assert_int_equal(table_draw(t, win), 11);
	table_free(t);
	delwin(win);
}

static void test_hundred_thousand_rows(void **state)
{
	(void)state;
	WINDOW *win = newwin(30, 80, 0, 0);
	struct data d = { cjk, 5, 0, SIZE_MAX, SIZE_MAX };
	table *t = table_new(cols3, 3, cell, &d);
	table_set_rect(t, (widget_rect){ 0, 0, 25, 80 }); /* 24 data lines */
	table_set_rows(t, 100000);
	table_draw(t, win);
	assert_int_equal(d.calls, 24 * 3);
	d.calls = 0;
	table_handle(t, ACT_BOTTOM);
	assert_int_equal(table_scroll(t), 100000 - 24);
	table_draw(t, win);
	assert_int_equal(d.calls, 24 * 3);
	char line[128];
	headless_line(win, 24, 0, 80, line, sizeof line);
	assert_non_null(strstr(line, "99999"));
	table_free(t);
	delwin(win);
}

static void test_marks_changed_sort_header(void **state)
{
	(void)state;
	WINDOW *win = newwin(6, 40, 0, 0);
	struct data d = { cjk, 5, 0, 1, 2 };
	table *t = table_new(cols3, 3, cell, &d);
	table_set_marks(t, is_marked);
	table_set_changed(t, is_changed);
	table_set_rect(t, (widget_rect){ 0, 0, 5, 40 });
	table_set_rows(t, 4);
	table_set_sort(t, 1, true);
	table_draw(t, win);
	char line[128];
	headless_line(win, 2, 0, 3, line, sizeof line); /* row 1: marked */
	assert_string_equal(line, "+  ");
	headless_line(win, 3, 0, 3, line, sizeof line); /* row 2: changed */
	assert_string_equal(line, " * ");
	headless_line(win, 1, 0, 3, line, sizeof line);
	assert_string_equal(line, "   ");
	/* header: titles, the sort column ends in v (descending) */
	int x1 = 3 + table_col_width(t, 0) + 1;
	headless_line(win, 0, x1, 6, line, sizeof line);
	assert_string_equal(line, "  TPSv");
	assert_true(headless_attr(win, 0, 3) & A_UNDERLINE);
	/* every line is still exactly 40 columns */
	for (int y = 0; y < 5; y++)
		assert_int_equal(headless_line(win, y, 0, 40, line,
					       sizeof line), 40);
	table_free(t);
	delwin(win);
}

static void test_empty_and_ascii(void **state)
{
	(void)state;
	WINDOW *win = newwin(6, 30, 0, 0);
	struct data d = { cjk, 5, 0, SIZE_MAX, SIZE_MAX };
	table *t = table_new(cols3, 3, cell, &d);
	table_set_rect(t, (widget_rect){ 0, 0, 5, 30 });
	table_set_empty_text(t, "no channels match 'x'");
	table_set_rows(t, 0);
	table_draw(t, win);
	char line[128];
	headless_line(win, 1, 0, 30, line, sizeof line);
	assert_non_null(strstr(line, "no channels match 'x'"));
	assert_int_equal(d.calls, 0);
	/* ASCII mode: no byte above 0x7f reaches the window */
	text_set_ascii(true);
	table_set_rows(t, 5);
	table_draw(t, win);
	for (int y = 0; y < 5; y++) {
		assert_int_equal(headless_line(win, y, 0, 30, line,
					       sizeof line), 30);
		for (char *p = line; *p; p++)
			assert_true((unsigned char)*p < 0x80);
	}
	text_set_ascii(false);
	/* never outside the rectangle: a 10x3 table at (2, 5) */
	werase(win);
	table_set_rect(t, (widget_rect){ 2, 5, 3, 10 });
	table_draw(t, win);
	for (int y = 0; y < 6; y++)
		for (int x = 0; x < 30; x++) {
			bool inside = y >= 2 && y < 5 && x >= 5 && x < 15;
			if (inside)
				continue;
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1];
			attr_t a;
			short p;
			mvwin_wch(win, y, x, &cc);
			getcchar(&cc, wc, &a, &p, NULL);
			assert_true(wc[0] == L' ' && a == 0);
		}
	table_free(t);
	delwin(win);
}

UNIT_MAIN(headless_setup, headless_teardown,
	cmocka_unit_test(test_cjk_alignment),
	cmocka_unit_test(test_truncation_ellipsis),
	cmocka_unit_test(test_selection_clamping),
	cmocka_unit_test(test_selection_only_redraw),
	cmocka_unit_test(test_row_keys),
	cmocka_unit_test(test_hundred_thousand_rows),
	cmocka_unit_test(test_marks_changed_sort_header),
	cmocka_unit_test(test_empty_and_ascii))
