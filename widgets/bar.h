/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/bar.h: the one-line bars: status bar, tab row, key hints, and
 * the message line.
 *
 * Bars are drawn on request (the app redraws them with its frame; curses
 * sends nothing for cells that did not change). The message line keeps
 * state: a message with a severity and an expiry time given by the caller;
 * msgline_tick() says when it expired so the app repaints once.
 */
#ifndef PAYOPS_WIDGETS_BAR_H
#define PAYOPS_WIDGETS_BAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "term/keymap.h"
#include "widgets/widget.h"

/* Status bar: left text, right text right-aligned; the left side is cut
 * first when both do not fit. Whole line in role (ROLE_STATUS usually). */
void bar_status(WINDOW *win, int y, int x, int w, const char *left,
		const char *right, term_role role);

/* Tab row: "1 Channels  2 Routes  ..." (numbers from 1). The active tab is
 * shown "[1 Channels]" in ROLE_TAB_ACTIVE, so it stands out without colour.
 * Tabs that do not fit are cut. */
/* The tab bar_tabs() drew at column x (from its start), -1 when none. */
int bar_tab_at(int x, const char *const *names, int n, int active);
void bar_tabs(WINDOW *win, int y, int x, int w, const char *const *names,
	      int n, int active);

/* Key hints: "e enable  d disable  ? help" built from the current
 * bindings of the key table of mode (a command not bound there: its key
 * in the first table that binds it). Hints whose command is unavailable
 * (available() returns false; NULL: all available) are dimmed and
 * prefixed with "-" ("-e enable"). label NULL: the command's name. */
typedef struct {
	keymap_action action;
	const char *label;
} bar_hint;
void bar_hints(WINDOW *win, int y, int x, int w, keymap_mode mode,
	       const bar_hint *hints, size_t n,
	       bool (*available)(void *ctx, keymap_action a), void *ctx);

/* The message line. */
typedef enum {
	MSG_INFO = 0,  /* plain */
	MSG_OK,        /* "ok: ..." */
	MSG_WARN,      /* "warning: ..." */
	MSG_ERROR,     /* "error: ..." */
	MSG_ALERT      /* an alert's own words (no prefix), as critical */
} msgline_severity;

typedef struct {
	char text[512];
	msgline_severity sev;
	int64_t expires_ms;   /* 0: never */
	bool shown;           /* a message is showing */
	bool dirty;           /* needs repaint */
} msgline;

void msgline_init(msgline *m);
/* Show text (raw; sanitised on draw) until now_ms + ttl_ms (ttl_ms <= 0:
 * until replaced or cleared). */
void msgline_set(msgline *m, msgline_severity sev, const char *text,
		 int64_t now_ms, int64_t ttl_ms);
void msgline_clear(msgline *m);
/* Expire the message when due. Returns true when the line must repaint
 * (the app then calls msgline_draw). */
bool msgline_tick(msgline *m, int64_t now_ms);
/* Milliseconds until the message expires (-1: no expiry pending): the app
 * arms a timer for it instead of polling. */
int64_t msgline_due_in(const msgline *m, int64_t now_ms);
bool msgline_dirty(const msgline *m);
/* Draw (severity word + text, in a role matching the severity); clears
 * the dirty flag. */
void msgline_draw(msgline *m, WINDOW *win, int y, int x, int w);

#endif
