/* widgets/help.c: the `?` screen, generated from the key table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "widgets/help.h"

struct hline {
	bool heading;   /* a group title */
	bool blank;
	size_t row;     /* keymap help row */
};

struct help {
	struct hline *lines;
	size_t n;
	help_why_fn why;
	void *why_ctx;
	widget_rect r;
	size_t scroll;
	bool dirty;
};

static void rebuild(help *h)
{
	size_t rows = keymap_help_count();
	struct hline *l = calloc(rows * 3 + 1, sizeof *l);
	if (!l)
		return;
	size_t n = 0;
	keymap_help_row hr;
	for (size_t i = 0; keymap_help_row_get(i, &hr); i++) {
		if (hr.group_start) {
			if (n)
				l[n++] = (struct hline){ .blank = true };
			l[n++] = (struct hline){ .heading = true, .row = i };
		}
		l[n++] = (struct hline){ .row = i };
	}
	free(h->lines);
	h->lines = l;
	h->n = n;
	h->dirty = true;
}

static void clamp(help *h)
{
	size_t page = h->r.h > 0 ? (size_t)h->r.h : 1;
	size_t max = h->n > page ? h->n - page : 0;
	if (h->scroll > max)
		h->scroll = max;
}

help *help_new(void)
{
	help *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	rebuild(h);
	if (!h->lines) {
		free(h);
		return NULL;
	}
	return h;
}

void help_free(help *h)
{
	if (!h)
		return;
	free(h->lines);
	free(h);
}

void help_set_why(help *h, help_why_fn fn, void *ctx)
{
	h->why = fn;
	h->why_ctx = ctx;
	h->dirty = true;
}

void help_refresh(help *h)
{
	rebuild(h);
	clamp(h);
	h->dirty = true;
}

void help_set_rect(help *h, widget_rect r)
{
	if (memcmp(&r, &h->r, sizeof r) == 0)
		return;
	h->r = r;
	clamp(h);
	h->dirty = true;
}

bool help_handle(help *h, keymap_action a)
{
	size_t old = h->scroll;
	size_t page = h->r.h > 1 ? (size_t)h->r.h - 1 : 1;
	switch (a) {
	case ACT_UP: if (h->scroll) h->scroll--; break;
	case ACT_DOWN: h->scroll++; break;
	case ACT_PAGE_UP: h->scroll = h->scroll > page ? h->scroll - page : 0; break;
	case ACT_PAGE_DOWN: h->scroll += page; break;
	case ACT_TOP: h->scroll = 0; break;
	case ACT_BOTTOM: h->scroll = h->n; break;
	default: return false;
	}
	clamp(h);
	if (h->scroll != old)
		h->dirty = true;
	return true;
}

size_t help_lines(const help *h)
{
	return h->n;
}

size_t help_scroll(const help *h)
{
	return h->scroll;
}

bool help_dirty(const help *h)
{
	return h->dirty;
}

void help_draw(help *h, WINDOW *win)
{
	h->dirty = false;
	const int keyw = 18, namew = 14;
	for (int i = 0; i < h->r.h; i++) {
		size_t li = h->scroll + (size_t)i;
		int y = h->r.y + i, x = h->r.x, w = h->r.w;
		if (li >= h->n || h->lines[li].blank) {
			widget_put(win, y, x, w, "", 0, ROLE_NORMAL);
			continue;
		}
		keymap_help_row hr;
		if (!keymap_help_row_get(h->lines[li].row, &hr)) {
			widget_put(win, y, x, w, "", 0, ROLE_NORMAL);
			continue;
		}
		if (h->lines[li].heading) {
			widget_put(win, y, x, w, hr.group, 0, ROLE_HEADER);
			continue;
		}
		const char *why = h->why ? h->why(h->why_ctx, hr.action) : NULL;
		char text[512];
		if (why)
			snprintf(text, sizeof text, "%s (unavailable: %s)",
				 hr.help, why);
		else
			snprintf(text, sizeof text, "%s", hr.help);
		int kw = keyw < w ? keyw : w;
		widget_put(win, y, x, kw, hr.keys[0] ? hr.keys : "(unbound)", 0,
			   why ? ROLE_DIM : ROLE_KEY);
		int nw = namew < w - kw ? namew : w - kw;
		widget_put(win, y, x + kw, nw, hr.name, 0,
			   why ? ROLE_DIM : ROLE_NORMAL);
		if (w - kw - nw > 0)
			widget_put(win, y, x + kw + nw, w - kw - nw, text, 0,
				   why ? ROLE_DIM : ROLE_NORMAL);
	}
}
