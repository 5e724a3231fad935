/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/term_test.c: colour roles stay distinguishable without
 * colour; colour modes; the too-small message; cursor placement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/widgets/headless.h"
#include "tests/lib/unit.h"

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

/* A terminal reading keys from a pipe (written at fds[1]) and drawing to
 * /dev/null. */
typedef struct {
	int fds[2];
	FILE *in, *out;
} pipe_term;

/* term_open()'s result for TERM=type in locale over a new pipe_term. */
static int pipe_open(pipe_term *p, const char *type, const char *locale)
{
	assert_int_equal(pipe(p->fds), 0);
	p->in = fdopen(p->fds[0], "r");
	p->out = fopen("/dev/null", "w");
	assert_non_null(p->in);
	assert_non_null(p->out);
	term_opts o;
	term_opts_default(&o);
	o.term_type = type;
	o.in = p->in;
	o.out = p->out;
	o.locale = locale;
	char err[128];
	return term_open(&o, err, sizeof err);
}

/* Its files (the terminal is closed already, or never opened). */
static void pipe_close(pipe_term *p)
{
	fclose(p->in);
	fclose(p->out);
	close(p->fds[1]);
}

/* vt100 has no colour: roles fall back to attributes alone. */
static void test_vt100_no_colour(void **state)
{
	(void)state;
	pipe_term p;
	assert_int_equal(pipe_open(&p, "vt100", "C"), 0);
	assert_int_equal(term_colors(), TERM_COLOR_NONE);
	assert_true(text_ascii()); /* the C locale is not UTF-8 */
	assert_int_equal(term_role_pair(ROLE_WARN), 0);
	assert_int_not_equal(term_role_attr(ROLE_WARN), term_role_attr(ROLE_NORMAL));
	term_close();
	text_set_ascii(false);
	pipe_close(&p);
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

/* Each sequence the usual terminals send for a key reads as that one key
 * under each usual TERM, whatever its terminfo entry lists; a lone Esc
 * stays Esc. */
static const struct {
	const char *seq;
	int key;
} seqs[] = {
	{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
	{ "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
	{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
	{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
	{ "\033[1;5H", KEY_HOME }, { "\033[1;2F", KEY_END },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	{ "\033[5;5~", KEY_PPAGE }, { "\033[6;2~", KEY_NPAGE },
	{ "\033[2~", KEY_IC }, { "\033[3~", KEY_DC }, { "\033[3;5~", KEY_DC },
	{ "\033OP", KEY_F(1) }, { "\033[11~", KEY_F(1) }, { "\033[[A", KEY_F(1) },
	{ "\033OS", KEY_F(4) }, { "\033[1;2S", KEY_F(4) },
	{ "\033[15~", KEY_F(5) }, { "\033[15;5~", KEY_F(5) },
	{ "\033[24~", KEY_F(12) }, { "\033[24;2~", KEY_F(12) },
	{ "\033[A", KEY_UP }, { "\033OB", KEY_DOWN }, { "\033[1;5C", KEY_RIGHT },
	{ "\033[7^", KEY_HOME }, { "\033[8$", KEY_END },
};

static void test_key_sequences(void **state)
{
	(void)state;
	static const char *terms[] = {
		"xterm-256color", "screen-256color", "tmux-256color", "linux",
		"rxvt-unicode-256color", "vt100",
	};
	for (size_t t = 0; t < sizeof terms / sizeof terms[0]; t++) {
		pipe_term p;
		if (pipe_open(&p, terms[t], "C.UTF-8") != 0) {
			pipe_close(&p);
			continue; /* no such terminfo entry here */
		}
		for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
			/* the sequence, then a letter: exactly one key before it */
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%sx", seqs[i].seq);
			assert_int_equal(write(p.fds[1], buf, (size_t)n), n);
			wint_t ch = 0;
			int r = term_read_key(&ch);
			if (r != KEY_CODE_YES || (int)ch != seqs[i].key)
				fail_msg("TERM=%s: \\e%s read as %d/%d, not key %d",
					 terms[t], seqs[i].seq + 1, r, (int)ch,
					 seqs[i].key);
			r = term_read_key(&ch);
			assert_int_equal(r, OK);
			assert_int_equal(ch, 'x');
		}
		/* a lone Esc, after the short delay, is Esc */
		assert_int_equal(write(p.fds[1], "\033", 1), 1);
		wint_t ch = 0;
		int r = ERR;
		for (int tries = 0; tries < 100 && r == ERR; tries++) {
			r = term_read_key(&ch);
			if (r == ERR)
				usleep(10000);
		}
		assert_int_equal(r, OK);
		assert_int_equal(ch, 27);
		term_close();
		text_set_ascii(false);
		pipe_close(&p);
	}
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_roles_differ_without_colour),
	cmocka_unit_test(test_roles_before_open),
	cmocka_unit_test(test_colour_modes),
	cmocka_unit_test(test_vt100_no_colour),
	cmocka_unit_test(test_size_and_too_small),
	cmocka_unit_test(test_ascii_mode),
	cmocka_unit_test(test_key_sequences))
