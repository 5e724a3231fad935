/* SPDX-License-Identifier: ISC (see COPYING) */
/* term/term.h: the terminal: locale, curses setup, colour roles, size, flush.
 *
 * term_open() sets the locale from the environment, switches text/ to ASCII
 * when the codeset is not UTF-8, and starts curses on the controlling tty:
 * cbreak, noecho, nonl, keypad, non-blocking input (the event loop watches
 * term_fd()), ESCDELAY 25 ms, a visible cursor parked on the selected row.
 *
 * Colour: none when NO_COLOR is set (non-empty) or the terminal has none,
 * 8 colours on xterm-like terminals, 256 when COLORS >= 256. Every role maps
 * to attributes that differ WITHOUT colour too (bold, reverse, underline,
 * dim), and the views add words or symbols: colour never carries meaning
 * alone.
 *
 * One frame: widgets draw into windows and call wnoutrefresh(); the app
 * then calls term_place_cursor() and term_flush() (one doupdate per frame).
 */
#ifndef PAYOPS_TERM_TERM_H
#define PAYOPS_TERM_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

/* Colour roles. Append new roles before ROLE_COUNT; never reorder. */
typedef enum {
	ROLE_NORMAL = 0,
	ROLE_HEADER,        /* table header row:            bold / underline */
	ROLE_SELECTED,      /* selected row:                reverse          */
	ROLE_OK,            /* healthy, applied:            plain (green)    */
	ROLE_WARN,          /* degraded, warning:           bold (yellow)    */
	ROLE_CRIT,          /* down, critical, breached:    bold+underline (red) */
	ROLE_DIM,           /* secondary text, disabled:    dim              */
	ROLE_STALE,         /* data older than stale_after: dim+underline    */
	ROLE_BANNER_DANGER, /* read-write / prod banner:    reverse+bold (red bg) */
	ROLE_MARK,          /* multi-select mark column:    bold             */
	ROLE_TAB_ACTIVE,    /* active tab:                  reverse+bold     */
	ROLE_TAB,           /* inactive tab:                plain            */
	ROLE_STATUS,        /* status bar:                  reverse          */
	ROLE_KEY,           /* key name in hints/help:      bold             */
	ROLE_INFO,          /* informational message:       plain (cyan)     */
	ROLE_TITLE,         /* dialog/pane title:           bold             */
	ROLE_BORDER,        /* dialog border:               plain            */
	ROLE_INPUT,         /* text entry field:            underline        */
	ROLE_FOCUS,         /* focused button/field:        reverse+bold     */
	ROLE_COUNT
} term_role;

typedef enum {
	TERM_COLOR_NONE = 0,
	TERM_COLOR_8 = 8,
	TERM_COLOR_256 = 256
} term_color_mode;

#define TERM_MIN_COLS 80
#define TERM_MIN_LINES 24

typedef struct {
	const char *term_type; /* NULL: $TERM */
	FILE *out;             /* NULL: /dev/tty (stdout when that fails) */
	FILE *in;              /* NULL: /dev/tty (stdin when that fails) */
	const char *locale;    /* NULL: "" (from the environment) */
	int color;             /* -1: detect; else a term_color_mode */
	int ascii;             /* -1: detect from the codeset; 0 UTF-8; 1 ASCII */
	bool mouse;            /* report clicks and the wheel (KEY_MOUSE) */
} term_opts;

/* Fill o with the defaults (everything detected). */
void term_opts_default(term_opts *o);

/* Start curses. Returns 0, or -1 with a message in err. */
int term_open(const term_opts *o, char *err, size_t errsz);
/* Leave curses, restore the terminal, free the screen. Safe to call twice. */
void term_close(void);
bool term_is_open(void);

/* The input descriptor to watch for readability. */
int term_fd(void);
/* Read one key without blocking: returns OK (a character in *ch),
 * KEY_CODE_YES (a curses key code in *ch) or ERR (nothing pending). */
int term_read_key(wint_t *ch);

term_color_mode term_colors(void);

/* Choose the colour mode and rebuild the role table (term_open does this;
 * tests call it to check the no-colour attributes). Without curses running,
 * only TERM_COLOR_NONE takes effect. */
void term_set_color_mode(term_color_mode m);

/* Attributes for a role, colour pair included: usable before term_open()
 * (then the no-colour attributes). */
attr_t term_role_attr(term_role r);
short term_role_pair(term_role r);
/* wattr_set() the role on win. */
void term_role_on(WINDOW *win, term_role r);

/* Current size and whether it is at least TERM_MIN_COLS x TERM_MIN_LINES. */
void term_size(int *lines, int *cols);
bool term_size_ok(void);
/* Clear the screen and say "terminal too small: need 80x24, have WxH". */
void term_draw_too_small(void);

/* After SIGWINCH: read the new size from the tty and resize curses.
 * Returns true when the size changed (the app then re-lays out and
 * redraws everything). */
bool term_resize(void);

/* Ctrl-L: the next term_flush() repaints the whole screen. */
void term_repaint_all(void);

/* Where the hardware cursor goes after this frame (the selected row, so
 * screen readers follow it); y < 0 hides it. */
void term_place_cursor(int y, int x);
/* doupdate(): send the frame. Nothing is written when nothing changed. */
void term_flush(void);
/* Ring the bell (critical alert), unless disabled by the caller. */
void term_bell(void);

#endif
