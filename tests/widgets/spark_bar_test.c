/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/spark_bar_test.c: sparkline levels, gaps and the ASCII
 * fallback; status, tab and hint bars; the message line's expiry. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/bar.h"
#include "widgets/spark.h"
#include "tests/lib/unit.h"

static void test_spark_levels(void **state)
{
	(void)state;
	text_set_ascii(false);
	assert_int_equal(spark_level(0, 0, 7), 0);
	assert_int_equal(spark_level(7, 0, 7), 7);
	assert_int_equal(spark_level(-5, 0, 7), 0);
	assert_int_equal(spark_level(50, 0, 7), 7);
	assert_int_equal(spark_level(NAN, 0, 7), -1);
	assert_int_equal(spark_level(3, 3, 3), 0);
	double v[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	char out[64];
	assert_int_equal(spark_render(v, 8, 8, NAN, NAN, out, sizeof out), 8);
	assert_string_equal(out, "▁▂▃▄▅▆▇█");
	/* fixed scale: everything at the bottom half */
	assert_int_equal(spark_render(v, 8, 8, 0, 14, out, sizeof out), 8);
	assert_string_equal(out, "▁▁▂▂▃▃▄▅"); /* 7 of 14 is level 4 of 0..7 */
	/* NAN gaps and a short series right-aligned */
	double g[3] = { 0, NAN, 7 };
	spark_render(g, 3, 5, NAN, NAN, out, sizeof out);
	assert_string_equal(out, "  ▁ █");
	/* a long series is averaged into buckets */
	double l[16];
	for (int i = 0; i < 16; i++)
		l[i] = i < 8 ? 0 : 10;
	spark_render(l, 16, 2, NAN, NAN, out, sizeof out);
	assert_string_equal(out, "▁█");
	/* all NAN: blank */
	double nn[2] = { NAN, NAN };
	spark_render(nn, 2, 3, NAN, NAN, out, sizeof out);
	assert_string_equal(out, "   ");
	/* too small a buffer is refused, not overrun */
	assert_int_equal(spark_render(v, 8, 8, NAN, NAN, out, 10), -1);
}

static void test_spark_ascii(void **state)
{
	(void)state;
	text_set_ascii(true);
	double v[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	char out[16];
	assert_int_equal(spark_render(v, 8, 8, NAN, NAN, out, 9), 8);
	assert_string_equal(out, "__..-==^");
	double g[2] = { NAN, 1 };
	spark_render(g, 2, 3, 0, 1, out, sizeof out);
	assert_string_equal(out, "  ^");
	text_set_ascii(false);
}

static void test_spark_draw(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	WINDOW *win = newwin(2, 20, 0, 0);
	double v[4] = { 1, 2, 3, 4 };
	spark_draw(win, 0, 2, 6, v, 4, 0, 4, ROLE_NORMAL);
	char line[64];
	assert_int_equal(headless_line(win, 0, 0, 20, line, sizeof line), 20);
	assert_string_equal(line, "    ▃▅▇█            ");
	delwin(win);
	headless_stop();
}

static bool avail(void *ctx, keymap_action a)
{
	(void)ctx;
	return !(cmd_flags(a) & CMD_WRITE);
}

static void test_bars(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	keymap_reset();
	WINDOW *win = newwin(4, 40, 0, 0);
	char line[256];
	bar_status(win, 0, 0, 40, "sh-a 渠道\x07", "12:00:01", ROLE_STATUS);
	assert_int_equal(headless_line(win, 0, 0, 40, line, sizeof line), 40);
	assert_int_equal(strncmp(line, "sh-a 渠道", strlen("sh-a 渠道")), 0);
	assert_non_null(strstr(line, "12:00:01"));
	assert_int_equal(strlen(strstr(line, "12:00:01")), 8); /* flush right */
	assert_null(strchr(line, '\a'));
	assert_true(headless_attr(win, 0, 0) & A_REVERSE);

	const char *const tabs[] = { "Channels", "Routes", "Alerts" };
	bar_tabs(win, 1, 0, 40, tabs, 3, 1);
	headless_line(win, 1, 0, 40, line, sizeof line);
	assert_non_null(strstr(line, "[2 Routes]"));
	assert_non_null(strstr(line, " 1 Channels "));

	bar_hint h[] = { { ACT_DISABLE, NULL }, { ACT_HELP, NULL },
			 { ACT_QUIT, "quit" } };
	bar_hints(win, 2, 0, 40, KEYMAP_NORMAL, h, 3, avail, NULL);
	headless_line(win, 2, 0, 40, line, sizeof line);
	assert_int_equal(strncmp(line, "-d disable  ? help  q quit",
				 strlen("-d disable  ? help  q quit")), 0);
	assert_true(headless_attr(win, 2, 0) & A_DIM);
	/* narrow: hints that do not fit are left out whole */
	bar_hints(win, 3, 0, 12, KEYMAP_NORMAL, h, 3, NULL, NULL);
	headless_line(win, 3, 0, 12, line, sizeof line);
	assert_string_equal(line, "d disable   ");
	/* a mode's hints name the keys of its table: j moves the member in
	 * the reroute editor; a command it does not bind keeps its own key */
	bar_hint e[] = { { ACT_MEMBER_NEXT, "member" }, { ACT_CANCEL, "cancel" },
			 { ACT_HELP, "help" } };
	cfg_keybind kb = { .key = "n", .action = "member_next", .mode = "reroute",
			   .line = 1, .col = 1 };
	assert_int_equal(keymap_apply(&kb, 1, NULL, NULL), 0);
	keymap_bind_in(KEYMAP_REROUTE, 'j', false, ACT_NONE);
	keymap_bind_in(KEYMAP_REROUTE, '?', false, ACT_NONE);
	bar_hints(win, 3, 0, 40, KEYMAP_REROUTE, e, 3, NULL, NULL);
	headless_line(win, 3, 0, 40, line, sizeof line);
	assert_int_equal(strncmp(line, "n member  Esc cancel  F1 help",
				 strlen("n member  Esc cancel  F1 help")), 0);
	keymap_reset();
	delwin(win);
	headless_stop();
}

static void test_msgline(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	WINDOW *win = newwin(1, 30, 0, 0);
	msgline m;
	msgline_init(&m);
	assert_true(msgline_dirty(&m));
	msgline_draw(&m, win, 0, 0, 30);
	assert_false(msgline_tick(&m, 1000));
	assert_int_equal(msgline_due_in(&m, 1000), -1);
	msgline_set(&m, MSG_ERROR, "disable failed\x1b[31m: 409", 1000, 3000);
	assert_true(msgline_dirty(&m));
	assert_int_equal(msgline_due_in(&m, 2000), 2000);
	msgline_draw(&m, win, 0, 0, 30);
	char line[128];
	headless_line(win, 0, 0, 30, line, sizeof line);
	assert_int_equal(strncmp(line, "error: disable failed", 21), 0);
	assert_null(strchr(line, 0x1b));
	assert_false(msgline_tick(&m, 3999));
	assert_true(msgline_tick(&m, 4000));
	msgline_draw(&m, win, 0, 0, 30);
	headless_line(win, 0, 0, 30, line, sizeof line);
	assert_string_equal(line, "                              ");
	assert_false(msgline_tick(&m, 5000));
	delwin(win);
	headless_stop();
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_spark_levels),
	cmocka_unit_test(test_spark_ascii),
	cmocka_unit_test(test_spark_draw),
	cmocka_unit_test(test_bars),
	cmocka_unit_test(test_msgline))
