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

/* ---- key sequences the terminfo entry does not list ----
 *
 * A terminal multiplexer or an SSH client often sends a key as another
 * terminal would: under tmux with TERM=xterm-256color, Home arrives as
 * ESC [1~ while xterm's entry lists ESC OH. Unknown, the sequence would be
 * read as Esc, '[', '1': a pane switch. Every sequence xterm, tmux,
 * screen, rxvt and the linux console send for these keys, with or without
 * a modifier, is taken as the one key it names (a modifier is dropped:
 * Ctrl-Home is Home). A sequence the entry already binds is left as it
 * is. */

/* CSI n ~ (vt220 style) */
static const struct { int n, key; } vt_keys[] = {
	{ 1, KEY_HOME }, { 2, KEY_IC }, { 3, KEY_DC }, { 4, KEY_END },
	{ 5, KEY_PPAGE }, { 6, KEY_NPAGE }, { 7, KEY_HOME }, { 8, KEY_END },
	{ 11, KEY_F(1) }, { 12, KEY_F(2) }, { 13, KEY_F(3) }, { 14, KEY_F(4) },
	{ 15, KEY_F(5) }, { 17, KEY_F(6) }, { 18, KEY_F(7) }, { 19, KEY_F(8) },
	{ 20, KEY_F(9) }, { 21, KEY_F(10) }, { 23, KEY_F(11) },
	{ 24, KEY_F(12) },
};

/* CSI X, CSI 1;m X, SS3 X and SS3 m X (xterm style) */
static const struct { char c; int key; } xt_keys[] = {
	{ 'A', KEY_UP }, { 'B', KEY_DOWN }, { 'C', KEY_RIGHT },
	{ 'D', KEY_LEFT }, { 'H', KEY_HOME }, { 'F', KEY_END },
	{ 'P', KEY_F(1) }, { 'Q', KEY_F(2) }, { 'R', KEY_F(3) },
	{ 'S', KEY_F(4) },
};

static void key_seq(const char *seq, int code)
{
	int have = key_defined(seq);
	if (have == code || have < 0)
		return; /* bound already, or a prefix of another binding */
	define_key(seq, code);
}

static void define_keys(void)
{
	char s[16];
	for (size_t i = 0; i < sizeof vt_keys / sizeof vt_keys[0]; i++) {
		int n = vt_keys[i].n, k = vt_keys[i].key;
		snprintf(s, sizeof s, "\033[%d~", n);
		key_seq(s, k);
		for (int m = 2; m <= 8; m++) {
			snprintf(s, sizeof s, "\033[%d;%d~", n, m);
			key_seq(s, k);
		}
		/* rxvt: shift, control, control-shift */
		static const char rx[] = "$^@";
		for (int j = 0; rx[j]; j++) {
			snprintf(s, sizeof s, "\033[%d%c", n, rx[j]);
			key_seq(s, k);
		}
	}
	for (size_t i = 0; i < sizeof xt_keys / sizeof xt_keys[0]; i++) {
		char c = xt_keys[i].c;
		int k = xt_keys[i].key;
		if (c != 'P' && c != 'Q' && c != 'R' && c != 'S') {
			snprintf(s, sizeof s, "\033[%c", c);
			key_seq(s, k);
		}
		snprintf(s, sizeof s, "\033O%c", c);
		key_seq(s, k);
		for (int m = 2; m <= 8; m++) {
			snprintf(s, sizeof s, "\033[1;%d%c", m, c);
			key_seq(s, k);
			snprintf(s, sizeof s, "\033O%d%c", m, c);
			key_seq(s, k);
		}
	}
	/* the linux console's F1-F5 */
	for (int f = 0; f < 5; f++) {
		snprintf(s, sizeof s, "\033[[%c", 'A' + f);
		key_seq(s, KEY_F(f + 1));
	}
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
	define_keys();
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
