/* SPDX-License-Identifier: ISC (see COPYING) */
/* term/term.c: curses setup, colour roles, size, and the once-per-frame
 * flush. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "text/text.h"
#include "term/term.h"

struct role_def {
	attr_t mono;  /* attributes without colour: must differ per meaning */
	attr_t color; /* attributes used with colour */
	short fg, bg; /* colour pair (-1: terminal default) */
	short fg256, bg256;
};

/* Without colour each role that carries meaning has its own attribute
 * combination; with colour the pair adds the hue. ROLE_NORMAL uses no pair;
 * the pair of role r is r. */
static const struct role_def role_defs[ROLE_COUNT] = {
	/*                      mono                     colour                   8-colour fg/bg         256 fg/bg */
	[ROLE_NORMAL]        = { A_NORMAL,               A_NORMAL,                -1, -1,                -1, -1 },
	[ROLE_HEADER]        = { A_UNDERLINE,            A_BOLD,                  COLOR_CYAN, -1,        75, -1 },
	[ROLE_SELECTED]      = { A_REVERSE,              A_REVERSE,               -1, -1,                -1, -1 },
	[ROLE_OK]            = { A_ITALIC,               A_NORMAL,                COLOR_GREEN, -1,       114, -1 },
	[ROLE_WARN]          = { A_BOLD,                 A_BOLD,                  COLOR_YELLOW, -1,      220, -1 },
	[ROLE_CRIT]          = { A_BOLD | A_UNDERLINE,   A_BOLD,                  COLOR_RED, -1,         196, -1 },
	[ROLE_DIM]           = { A_DIM,                  A_DIM,                   -1, -1,                244, -1 },
	[ROLE_STALE]         = { A_DIM | A_UNDERLINE,    A_DIM,                   COLOR_MAGENTA, -1,     139, -1 },
	[ROLE_BANNER_DANGER] = { A_REVERSE | A_BOLD,     A_BOLD,                  COLOR_WHITE, COLOR_RED, 231, 124 },
	[ROLE_MARK]          = { A_BOLD | A_ITALIC,      A_BOLD,                  COLOR_MAGENTA, -1,     170, -1 },
	[ROLE_TAB_ACTIVE]    = { A_REVERSE | A_BOLD | A_UNDERLINE, A_REVERSE | A_BOLD, -1, -1,        -1, -1 },
	[ROLE_TAB]           = { A_NORMAL,               A_NORMAL,                -1, -1,                250, -1 },
	[ROLE_STATUS]        = { A_REVERSE | A_DIM,      A_NORMAL,                COLOR_BLACK, COLOR_CYAN, 16, 110 },
	[ROLE_KEY]           = { A_BOLD,                 A_BOLD,                  COLOR_CYAN, -1,        81, -1 },
	[ROLE_INFO]          = { A_ITALIC,               A_NORMAL,                COLOR_CYAN, -1,        117, -1 },
	[ROLE_TITLE]         = { A_BOLD,                 A_BOLD,                  -1, -1,                -1, -1 },
	[ROLE_BORDER]        = { A_NORMAL,               A_NORMAL,                COLOR_BLUE, -1,        67, -1 },
	[ROLE_INPUT]         = { A_UNDERLINE,            A_UNDERLINE,             -1, -1,                -1, -1 },
	[ROLE_FOCUS]         = { A_REVERSE | A_UNDERLINE, A_REVERSE | A_BOLD,     -1, -1,                -1, -1 },
};

static struct {
	SCREEN *scr;
	FILE *own_in, *own_out; /* opened here, closed here */
	FILE *in, *out;
	term_color_mode mode;
	attr_t attr[ROLE_COUNT];
	short pair[ROLE_COUNT];
	bool attrs_ready;
	int cur_y, cur_x;
	bool cursor_visible;
} T;

static void build_roles(void)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (T.mode == TERM_COLOR_NONE || r == ROLE_NORMAL ||
		    (role_defs[r].fg < 0 && role_defs[r].bg < 0 &&
		     role_defs[r].fg256 < 0)) {
			T.attr[r] = T.mode == TERM_COLOR_NONE ? role_defs[r].mono
							      : role_defs[r].color;
			T.pair[r] = 0;
			continue;
		}
		T.attr[r] = role_defs[r].color;
		T.pair[r] = (short)r;
	}
	T.attrs_ready = true;
}

void term_set_color_mode(term_color_mode m)
{
	if (!T.scr || !has_colors())
		m = TERM_COLOR_NONE;
	T.mode = m;
	if (m != TERM_COLOR_NONE) {
		start_color();
		use_default_colors();
		for (int r = 1; r < ROLE_COUNT; r++) {
			short fg = role_defs[r].fg, bg = role_defs[r].bg;
			if (m == TERM_COLOR_256) {
				fg = role_defs[r].fg256;
				bg = role_defs[r].bg256;
			}
			if (r < COLOR_PAIRS)
				init_pair((short)r, fg, bg);
		}
	}
	build_roles();
}

term_color_mode term_colors(void)
{
	return T.mode;
}

attr_t term_role_attr(term_role r)
{
	if (!T.attrs_ready)
		build_roles();
	if ((int)r < 0 || r >= ROLE_COUNT)
		r = ROLE_NORMAL;
	return T.attr[r] | (T.pair[r] ? COLOR_PAIR(T.pair[r]) : 0);
}

short term_role_pair(term_role r)
{
	if (!T.attrs_ready)
		build_roles();
	if ((int)r < 0 || r >= ROLE_COUNT)
		return 0;
	return T.pair[r];
}

void term_role_on(WINDOW *win, term_role r)
{
	if (!T.attrs_ready)
		build_roles();
	if ((int)r < 0 || r >= ROLE_COUNT)
		r = ROLE_NORMAL;
	wattr_set(win, T.attr[r], T.pair[r], NULL);
}

void term_opts_default(term_opts *o)
{
	memset(o, 0, sizeof *o);
	o->color = -1;
	o->ascii = -1;
}

/* The terminal's colour count: COLORS is only set once start_color() ran,
 * and that should not run at all under NO_COLOR. */
static int ncolors(void)
{
	int n = tigetnum("colors");
	return n > 0 ? n : 0;
}

static bool codeset_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

int term_open(const term_opts *o, char *err, size_t errsz)
{
	term_opts d;
	if (!o) {
		term_opts_default(&d);
		o = &d;
	}
	if (T.scr) {
		snprintf(err, errsz, "terminal already open");
		return -1;
	}
	if (!setlocale(LC_ALL, o->locale ? o->locale : ""))
		setlocale(LC_ALL, "C");
	bool ascii = o->ascii >= 0 ? o->ascii != 0 : !codeset_utf8();
	text_set_ascii(ascii);

	T.in = o->in;
	T.out = o->out;
	if (!T.in || !T.out) {
		FILE *tty = fopen("/dev/tty", "r+");
		if (tty) {
			if (!T.in && !T.out) {
				T.own_in = tty;
				T.in = T.out = tty;
			} else if (!T.in) {
				T.own_in = tty;
				T.in = tty;
			} else {
				T.own_out = tty;
				T.out = tty;
			}
		} else {
			if (!T.in)
				T.in = stdin;
			if (!T.out)
				T.out = stdout;
		}
	}
	const char *type = o->term_type ? o->term_type : getenv("TERM");
	if (!type || !*type)
		type = "vt100";
	T.scr = newterm(type, T.out, T.in);
	if (!T.scr) {
		snprintf(err, errsz, "cannot start the terminal (TERM=%s)",
			 type);
		term_close();
		return -1;
	}
	set_term(T.scr);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	if (o->mouse) {
		/* clicks and the wheel as htop takes them; never required */
		mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}
	T.cursor_visible = curs_set(1) != ERR;
	T.cur_y = T.cur_x = -1;

	term_color_mode m;
	if (o->color >= 0) {
		m = (term_color_mode)o->color;
	} else {
		const char *nc = getenv("NO_COLOR");
		if ((nc && *nc) || !has_colors())
			m = TERM_COLOR_NONE;
		else if (ncolors() >= 256)
			m = TERM_COLOR_256;
		else
			m = TERM_COLOR_8;
	}
	if (m == TERM_COLOR_256 && ncolors() < 256)
		m = TERM_COLOR_8;
	term_set_color_mode(m);
	return 0;
}

void term_close(void)
{
	if (T.scr) {
		endwin();
		delscreen(T.scr);
		T.scr = NULL;
	}
	if (T.own_in)
		fclose(T.own_in);
	if (T.own_out && T.own_out != T.own_in)
		fclose(T.own_out);
	T.own_in = T.own_out = NULL;
	T.in = T.out = NULL;
	T.mode = TERM_COLOR_NONE;
	build_roles();
}

bool term_is_open(void)
{
	return T.scr != NULL;
}

int term_fd(void)
{
	return T.in ? fileno(T.in) : -1;
}

int term_read_key(wint_t *ch)
{
	if (!T.scr)
		return ERR;
	return wget_wch(stdscr, ch);
}

void term_size(int *lines, int *cols)
{
	int l = 0, c = 0;
	if (T.scr)
		getmaxyx(stdscr, l, c);
	if (lines)
		*lines = l;
	if (cols)
		*cols = c;
}

bool term_size_ok(void)
{
	int l, c;
	term_size(&l, &c);
	return l >= TERM_MIN_LINES && c >= TERM_MIN_COLS;
}

void term_draw_too_small(void)
{
	if (!T.scr)
		return;
	int l, c;
	term_size(&l, &c);
	char msg[96], fit[256];
	snprintf(msg, sizeof msg, "terminal too small: need %dx%d, have %dx%d",
		 TERM_MIN_COLS, TERM_MIN_LINES, c, l);
	werase(stdscr);
	if (c > 0 && l > 0) {
		text_fit(msg, c, 0, fit, sizeof fit);
		mvwaddstr(stdscr, l / 2, 0, fit);
	}
	wnoutrefresh(stdscr);
	T.cur_y = -1;
}

bool term_resize(void)
{
	if (!T.scr)
		return false;
	int ol, oc;
	term_size(&ol, &oc);
	struct winsize ws;
	if (T.out && ioctl(fileno(T.out), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	int nl, nc;
	term_size(&nl, &nc);
	if (nl != ol || nc != oc) {
		clearok(curscr, TRUE);
		return true;
	}
	return false;
}

void term_repaint_all(void)
{
	if (T.scr)
		clearok(curscr, TRUE);
}

void term_place_cursor(int y, int x)
{
	T.cur_y = y;
	T.cur_x = x;
}

void term_flush(void)
{
	if (!T.scr)
		return;
	if (T.cur_y >= 0 && T.cur_x >= 0) {
		if (!T.cursor_visible)
			T.cursor_visible = curs_set(1) != ERR;
		setsyx(T.cur_y, T.cur_x);
	} else if (T.cursor_visible) {
		curs_set(0);
		T.cursor_visible = false;
	}
	doupdate();
}

void term_bell(void)
{
	if (T.scr)
		beep();
}
