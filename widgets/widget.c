/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/widget.c: the one place widgets turn a string into cells. */
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "widgets/widget.h"

int widget_put_attr(WINDOW *win, int y, int x, int w, const char *s,
		    int flags, attr_t attr, short pair)
{
	if (!win || w <= 0 || y < 0 || x < 0)
		return 0;
	int maxy, maxx;
	getmaxyx(win, maxy, maxx);
	if (y >= maxy || x >= maxx)
		return 0;
	if (x + w > maxx)
		w = maxx - x;
	/* up to 4 bytes per column plus the placeholders' worst case */
	char stackbuf[2048];
	size_t need = (size_t)w * 8 + 16;
	char *buf = need <= sizeof stackbuf ? stackbuf : malloc(need);
	if (!buf)
		return 0;
	size_t bufsz = need <= sizeof stackbuf ? sizeof stackbuf : need;
	int n = text_fit(s ? s : "", w, TEXT_PAD | (flags & TEXT_RIGHT), buf,
			 bufsz);
	wattr_set(win, attr & ~A_COLOR, pair, NULL);
	mvwaddstr(win, y, x, buf);
	/* text_fit pads to w; should it come up short, blank the rest so the
	 * line never keeps stale cells */
	for (int i = n; i < w; i++)
		mvwaddch(win, y, x + i, ' ');
	wattr_set(win, A_NORMAL, 0, NULL);
	if (buf != stackbuf)
		free(buf);
	return w;
}

int widget_put(WINDOW *win, int y, int x, int w, const char *s, int flags,
	       term_role role)
{
	return widget_put_attr(win, y, x, w, s, flags, term_role_attr(role),
			       term_role_pair(role));
}

void widget_unsplit(WINDOW *win, int y, int x)
{
	if (!win || x <= 0 || y < 0 || y >= getmaxy(win) || x >= getmaxx(win))
		return;
	cchar_t cc;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t a;
	short pair;
	if (mvwin_wch(win, y, x - 1, &cc) == ERR ||
	    getcchar(&cc, wc, &a, &pair, NULL) == ERR)
		return;
	if (wcwidth(wc[0]) == 2) {
		/* the lead cell of a character covering x-1 and x */
		wattr_set(win, A_NORMAL, 0, NULL);
		mvwaddstr(win, y, x - 1, "  ");
	}
}

void widget_clear(WINDOW *win, widget_rect r, term_role role)
{
	for (int i = 0; i < r.h; i++)
		widget_put(win, r.y + i, r.x, r.w, "", 0, role);
}
