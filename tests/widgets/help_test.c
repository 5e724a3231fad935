/* tests/widgets/help_test.c: the help screen shows the key table as bound,
 * greys write actions with the reason, scrolls within bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "widgets/help.h"

static const char *read_only(void *ctx, keymap_action a)
{
	(void)ctx;
	return keymap_action_flags(a) & KEYMAP_WRITE ? "read-only mode" : NULL;
}

/* Find the screen line mentioning needle; -1 if none. */
static int find(WINDOW *win, int h, const char *needle, char *line, size_t sz)
{
	for (int y = 0; y < h; y++) {
		headless_line(win, y, 0, 100, line, sz);
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
	WINDOW *win = newwin(H, 100, 0, 0);
	help *h = help_new();
	assert_non_null(h);
	help_set_why(h, read_only, NULL);
	help_set_rect(h, (widget_rect){ 0, 0, H, 100 });
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
	/* rebinding shows up after a refresh */
	cfg_keybind kb = { .key = "F9", .action = "disable", .line = 1, .col = 1 };
	keymap_apply(&kb, 1, NULL, NULL);
	help_refresh(h);
	help_draw(h, win);
	find(win, H, "disable the channel", line, sizeof line);
	assert_int_equal(strncmp(line, "d, F9", 5), 0);
	keymap_reset();

	/* scrolling in a small rectangle, clamped */
	help_set_rect(h, (widget_rect){ 0, 0, 10, 100 });
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_screen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
