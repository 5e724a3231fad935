/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/widgets/headless.h: curses without a terminal, for widget tests.
 * Output goes to /dev/null, input is an empty pipe; what was drawn is read
 * back from the windows. */
#ifndef PAYOPS_TESTS_WIDGETS_HEADLESS_H
#define PAYOPS_TESTS_WIDGETS_HEADLESS_H

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "text/text.h"
#include "term/term.h"

static int hl_pipe[2] = { -1, -1 };
static FILE *hl_in, *hl_out;

/* Start curses headless (UTF-8 unless ascii). Returns 0 on success. */
static inline void headless_stop(void);

static inline int headless_start(bool ascii, int color)
{
	if (term_is_open()) /* a failed test left it open */
		headless_stop();
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "C.utf8");
	if (pipe(hl_pipe) != 0)
		return -1;
	hl_in = fdopen(hl_pipe[0], "r");
	hl_out = fopen("/dev/null", "w");
	if (!hl_in || !hl_out)
		return -1;
	term_opts o;
	term_opts_default(&o);
	o.term_type = "xterm-256color";
	o.in = hl_in;
	o.out = hl_out;
	o.locale = setlocale(LC_ALL, NULL);
	o.ascii = ascii ? 1 : 0;
	o.color = color;
	char err[128];
	if (term_open(&o, err, sizeof err) != 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	return 0;
}

static inline void headless_stop(void)
{
	term_close();
	if (hl_in)
		fclose(hl_in);
	if (hl_out)
		fclose(hl_out);
	if (hl_pipe[1] >= 0)
		close(hl_pipe[1]);
	hl_in = hl_out = NULL;
	hl_pipe[0] = hl_pipe[1] = -1;
	text_set_ascii(false);
}

/* Each character of UTF-8 s (the tests run in C.UTF-8) fed to
 * FEED(obj, wc, false), which must answer WANT every time (cmocka). */
#define HEADLESS_TYPE(feed, obj, s, want)                                   \
	do {                                                                \
		const char *hl_s = (s);                                     \
		size_t hl_n = strlen(hl_s), hl_k;                           \
		mbstate_t hl_st;                                            \
		wchar_t hl_wc;                                              \
		memset(&hl_st, 0, sizeof hl_st);                            \
		for (; hl_n; hl_s += hl_k, hl_n -= hl_k) {                  \
			hl_k = mbrtowc(&hl_wc, hl_s, hl_n, &hl_st);         \
			assert_true(hl_k != (size_t)-1 && hl_k != (size_t)-2 && hl_k != 0); \
			assert_int_equal(feed(obj, (wint_t)hl_wc, false), want); \
		}                                                           \
	} while (0)

/* Group fixtures for cmocka: a UTF-8 screen without colour. */
static inline int headless_setup(void **state)
{
	(void)state;
	return headless_start(false, TERM_COLOR_NONE);
}

static inline int headless_teardown(void **state)
{
	(void)state;
	headless_stop();
	return 0;
}

/* The text of w columns of line y from x, as UTF-8 (continuation cells of
 * wide characters contribute nothing); returns the display width read. */
static inline int headless_line(WINDOW *win, int y, int x, int w, char *out,
			 size_t outsz)
{
	wchar_t wbuf[1024];
	int maxy, maxx;
	getmaxyx(win, maxy, maxx);
	(void)maxy;
	if (x + w > maxx)
		w = maxx - x;
	int n = mvwinnwstr(win, y, x, wbuf, w < 1023 ? w : 1023);
	if (n == ERR)
		n = 0;
	wbuf[n] = 0;
	/* mvwinnwstr counts characters; keep only w columns */
	int width = 0, keep = 0;
	for (int i = 0; i < n; i++) {
		int cw = wcwidth(wbuf[i]);
		if (cw < 0)
			cw = 1;
		if (width + cw > w)
			break;
		width += cw;
		keep = i + 1;
	}
	wbuf[keep] = 0;
	size_t m = wcstombs(out, wbuf, outsz);
	if (m == (size_t)-1)
		out[0] = '\0';
	else if (m >= outsz)
		out[outsz - 1] = '\0';
	return width;
}

/* Attributes of the cell at (y, x). */
static inline attr_t headless_attr(WINDOW *win, int y, int x)
{
	cchar_t cc;
	if (mvwin_wch(win, y, x, &cc) == ERR)
		return 0;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a;
	short pair;
	getcchar(&cc, wch, &a, &pair, NULL);
	return a;
}

#endif
