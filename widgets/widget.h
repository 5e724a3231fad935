/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/widget.h: what every widget shares: its rectangle, redraw flags,
 * and the one way a widget puts text on the screen.
 *
 * Widgets never draw outside their rectangle, never write a string that did
 * not pass through text_fit()/text_sanitize(), draw nothing when nothing
 * changed (see the redraw flags), and work in ASCII mode and without colour.
 * They draw into a WINDOW and leave wnoutrefresh()/term_flush() to the app.
 */
#ifndef PAYOPS_WIDGETS_WIDGET_H
#define PAYOPS_WIDGETS_WIDGET_H

#include <stdbool.h>
#include <stddef.h>

#include "text/text.h" /* TEXT_RIGHT and friends for widget_put() */
#include "term/term.h"

typedef struct {
	int y, x; /* top-left, in window coordinates */
	int h, w; /* lines, columns */
} widget_rect;

/* Redraw flags, combined with |: what the next draw must repaint. */
enum {
	WIDGET_CLEAN = 0,
	WIDGET_REDRAW_SEL = 1u << 0,  /* only the old and new selected lines */
	WIDGET_REDRAW_FULL = 1u << 1, /* everything */
	WIDGET_REDRAW_ROWS = 1u << 2  /* the lines whose content moved */
};

/* Put s (raw, any bytes: sanitised here) at (y, x) in exactly w columns
 * (padded; cut with an ellipsis when too wide), with role's attributes.
 * flags: TEXT_RIGHT to right-align. Returns the columns written. */
int widget_put(WINDOW *win, int y, int x, int w, const char *s,
	       int flags, term_role role);
/* Same, with explicit attributes (role attributes or'ed with extras). */
int widget_put_attr(WINDOW *win, int y, int x, int w, const char *s,
		    int flags, attr_t attr, short pair);
/* Make column x of row y the first column of a cell, before a box is drawn
 * from (or up to) there: a double-width character of what lies underneath
 * that would straddle x is blanked, so the box's edge never lands on half
 * of it (curses would keep the character and push the edge aside). */
void widget_unsplit(WINDOW *win, int y, int x);
/* Blank the rectangle with role's attributes. */
void widget_clear(WINDOW *win, widget_rect r, term_role role);

#endif
