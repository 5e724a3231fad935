/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/help_test.c: the help screen shows the key tables as
 * bound, mode by mode, with the commands that have no key; the columns
 * never run into each other; write commands greyed with the reason;
 * scrolls within bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/help.h"
#include "tests/lib/unit.h"

static const char *read_only(void *ctx, keymap_action a)
{
	(void)ctx;
	return cmd_flags(a) & CMD_WRITE ? "read-only mode" : NULL;
}

/* Find the screen line mentioning needle; -1 if none. */
static int find(WINDOW *win, int h, const char *needle, char *line, size_t sz)
{
	for (int y = 0; y < h; y++) {
		headless_line(win, y, 0, 140, line, sz);
		if (strstr(line, needle))
			return y;
	}
	return -1;
}

static void test_help_screen(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	keymap_reset();
	int H = 200;
	WINDOW *win = newwin(H, 140, 0, 0);
	help *h = help_new();
	assert_non_null(h);
	help_set_why(h, read_only, NULL);
	help_set_rect(h, (widget_rect){ 0, 0, H, 140 });
	assert_true(help_lines(h) > keymap_help_count());
	help_draw(h, win);
	assert_false(help_dirty(h));
	char line[512];
	int y = find(win, H, "move down one row", line, sizeof line);
	assert_true(y >= 0);
	assert_int_equal(strncmp(line, "j, Down", 7), 0);
	assert_true(find(win, H, "Navigation", line, sizeof line) >= 0);
	y = find(win, H, "disable the channel", line, sizeof line);
	assert_true(y >= 0);
	assert_non_null(strstr(line, "(unavailable: read-only mode)"));
	assert_true(headless_attr(win, y, 0) & A_DIM);
	/* the name column is as wide as the longest name: a long one is
	 * followed by a space, not by its help text */
	y = find(win, H, "expire the selected silence", line, sizeof line);
	assert_true(y >= 0);
	assert_non_null(strstr(line, "expire_silence  "));
	assert_null(strstr(line, "expire_silenceexpire"));
	/* the modal keys, under their mode's title, after the normal keys */
	int normal = find(win, H, "move down one row", line, sizeof line);
	int ed = find(win, H, "Reroute editor", line, sizeof line);
	assert_true(ed > normal);
	y = find(win, H, "the member's weight up by 1", line, sizeof line);
	assert_true(y > ed);
	assert_int_equal(strncmp(line, "+, l, Right", 11), 0);
	assert_non_null(strstr(line, "weight_up"));
	int marks = find(win, H, "Resolve marks", line, sizeof line);
	assert_true(marks > ed);
	y = find(win, H, "write the breaks off", line, sizeof line);
	assert_true(y > marks);
	assert_int_equal(strncmp(line, "w ", 2), 0);
	assert_true(find(win, H, "Dialogs", line, sizeof line) > marks);
	/* the `:` commands: the usage of their arguments, and the one with
	 * no key at all, last */
	y = find(win, H, "quarantine the channel", line, sizeof line);
	assert_non_null(strstr(line, "(:quarantine [ID])"));
	int cmds = find(win, H, "Commands (type : and the name)", line, sizeof line);
	assert_true(cmds > marks);
	y = find(win, H, "each site's state", line, sizeof line);
	assert_true(y > cmds);
	assert_non_null(strstr(line, "sites"));
	assert_true(find(win, H, "also runs from :", line, sizeof line) == 0);
	/* rebinding shows up after a refresh */
	cfg_keybind kb = { .key = "F9", .action = "disable", .line = 1, .col = 1 };
	keymap_apply(&kb, 1, NULL, NULL);
	help_refresh(h);
	help_draw(h, win);
	find(win, H, "disable the channel", line, sizeof line);
	assert_int_equal(strncmp(line, "d, F9", 5), 0);
	/* and in a mode's table */
	cfg_keybind up = { .key = "u", .action = "weight_up", .mode = "reroute",
			   .line = 2, .col = 3 };
	assert_int_equal(keymap_apply(&up, 1, NULL, NULL), 0);
	help_refresh(h);
	help_draw(h, win);
	find(win, H, "the member's weight up by 1", line, sizeof line);
	assert_int_equal(strncmp(line, "+, l, Right, u", 14), 0);
	keymap_reset();

	/* scrolling in a small rectangle, clamped */
	help_set_rect(h, (widget_rect){ 0, 0, 10, 140 });
	assert_true(help_handle(h, ACT_BOTTOM));
	assert_int_equal(help_scroll(h), help_lines(h) - 10);
	assert_true(help_handle(h, ACT_DOWN));
	assert_int_equal(help_scroll(h), help_lines(h) - 10);
	help_handle(h, ACT_TOP);
	assert_int_equal(help_scroll(h), 0);
	help_handle(h, ACT_PAGE_DOWN);
	assert_int_equal(help_scroll(h), 9);
	assert_false(help_handle(h, ACT_QUIT));
	/* drawing stays in the rectangle */
	werase(win);
	help_set_rect(h, (widget_rect){ 2, 3, 5, 40 });
	help_draw(h, win);
	headless_line(win, 7, 0, 100, line, sizeof line);
	assert_int_equal((int)strspn(line, " "), 100);
	headless_line(win, 3, 0, 3, line, sizeof line);
	assert_string_equal(line, "   ");
	headless_line(win, 3, 43, 57, line, sizeof line);
	assert_int_equal((int)strspn(line, " "), 57);
	/* nothing changed: nothing drawn */
	assert_false(help_dirty(h));
	help_free(h);
	delwin(win);
	headless_stop();
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_help_screen))
