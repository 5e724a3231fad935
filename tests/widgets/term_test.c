/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/term_test.c: colour roles stay distinguishable without
 * colour; colour modes; the too-small message; cursor placement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"

/* The roles that carry meaning must all look different with colour off. */
static const term_role meaning[] = {
	ROLE_NORMAL, ROLE_HEADER, ROLE_SELECTED, ROLE_OK, ROLE_WARN, ROLE_CRIT,
	ROLE_DIM, ROLE_STALE, ROLE_BANNER_DANGER, ROLE_MARK, ROLE_TAB_ACTIVE,
	ROLE_STATUS, ROLE_FOCUS,
};
#define NMEAN (sizeof meaning / sizeof meaning[0])

static void test_roles_differ_without_colour(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	assert_int_equal(term_colors(), TERM_COLOR_NONE);
	for (size_t i = 0; i < NMEAN; i++) {
		assert_int_equal(term_role_pair(meaning[i]), 0);
		for (size_t j = i + 1; j < NMEAN; j++)
			if (term_role_attr(meaning[i]) ==
			    term_role_attr(meaning[j]))
				fail_msg("roles %d and %d look the same",
					 (int)meaning[i], (int)meaning[j]);
	}
	headless_stop();
}

static void test_roles_before_open(void **state)
{
	(void)state;
	/* usable before curses starts: the no-colour attributes */
	assert_int_equal(term_role_attr(ROLE_SELECTED) & A_REVERSE, A_REVERSE);
	assert_int_equal(term_role_pair(ROLE_CRIT), 0);
}

static void test_colour_modes(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, -1), 0);
	/* xterm-256color, NO_COLOR unset: 256 colours */
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		assert_int_equal(term_colors(), TERM_COLOR_NONE);
	else
		assert_int_equal(term_colors(), TERM_COLOR_256);
	term_set_color_mode(TERM_COLOR_8);
	assert_int_equal(term_colors(), TERM_COLOR_8);
	assert_int_not_equal(term_role_pair(ROLE_CRIT), 0);
	/* with colour, meaning still has an attribute besides the hue */
	assert_int_not_equal(term_role_attr(ROLE_CRIT) & A_BOLD, 0);
	headless_stop();

	setenv("NO_COLOR", "1", 1);
	assert_int_equal(headless_start(false, -1), 0);
	assert_int_equal(term_colors(), TERM_COLOR_NONE);
	headless_stop();
	unsetenv("NO_COLOR");
}

/* vt100 has no colour: roles fall back to attributes alone. */
static void test_vt100_no_colour(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	FILE *in = fdopen(fds[0], "r"), *out = fopen("/dev/null", "w");
	assert_non_null(in);
	assert_non_null(out);
	term_opts o;
	term_opts_default(&o);
	o.term_type = "vt100";
	o.in = in;
	o.out = out;
	o.locale = "C";
	char err[128];
	assert_int_equal(term_open(&o, err, sizeof err), 0);
	assert_int_equal(term_colors(), TERM_COLOR_NONE);
	assert_true(text_ascii()); /* the C locale is not UTF-8 */
	assert_int_equal(term_role_pair(ROLE_WARN), 0);
	assert_int_not_equal(term_role_attr(ROLE_WARN), term_role_attr(ROLE_NORMAL));
	term_close();
	text_set_ascii(false);
	fclose(in);
	fclose(out);
	close(fds[1]);
}

static void test_size_and_too_small(void **state)
{
	(void)state;
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	resize_term(20, 60);
	int l, c;
	term_size(&l, &c);
	assert_int_equal(l, 20);
	assert_int_equal(c, 60);
	assert_false(term_size_ok());
	term_draw_too_small();
	char line[256];
	headless_line(stdscr, 10, 0, 60, line, sizeof line);
	assert_non_null(strstr(line, "terminal too small: need 80x24, have 60x20"));
	resize_term(24, 80);
	assert_true(term_size_ok());
	term_place_cursor(5, 3);
	term_flush();
	int y, x;
	getsyx(y, x);
	assert_int_equal(y, 5);
	assert_int_equal(x, 3);
	headless_stop();
}

static void test_ascii_mode(void **state)
{
	(void)state;
	assert_int_equal(headless_start(true, TERM_COLOR_NONE), 0);
	assert_true(text_ascii());
	headless_stop();
	assert_int_equal(headless_start(false, TERM_COLOR_NONE), 0);
	assert_false(text_ascii());
	headless_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_differ_without_colour),
		cmocka_unit_test(test_roles_before_open),
		cmocka_unit_test(test_colour_modes),
		cmocka_unit_test(test_vt100_no_colour),
		cmocka_unit_test(test_size_and_too_small),
		cmocka_unit_test(test_ascii_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
