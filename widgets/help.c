/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/help.c: the `?` screen, generated from the command registry and
 * the key tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "text/text.h"
#include "widgets/help.h"

struct hline {
	bool intro;     /* the line that says how commands are reached */
	bool heading;   /* a group or mode title */
	bool blank;
	size_t row;     /* keymap help row */
};

#define INTRO N_("Every command also runs from : by its name (Tab completes). " \
	"Remap keys per mode in payops.yaml (keys:).")

struct help {
	struct hline *lines;
	size_t n;
	help_why_fn why;
	void *why_ctx;
	widget_rect r;
	size_t scroll;
	int keyw, namew;  /* the columns: the widest keys and name, + 2 */
	bool dirty;
};

static void rebuild(help *h)
{
	size_t rows = keymap_help_count();
	struct hline *l = calloc(rows * 3 + 2, sizeof *l);
	if (!l)
		return;
	size_t n = 0;
	int keyw = 0, namew = 0;
	l[n++] = (struct hline){ .intro = true };
	keymap_help_row hr;
	for (size_t i = 0; keymap_help_row_get(i, &hr); i++) {
		if (hr.heading_start) {
			l[n++] = (struct hline){ .blank = true };
			l[n++] = (struct hline){ .heading = true, .row = i };
		}
		l[n++] = (struct hline){ .row = i };
		int kw = text_width(hr.keys), nw = text_width(hr.name);
		if (kw > keyw)
			keyw = kw;
		if (nw > namew)
			namew = nw;
	}
	free(h->lines);
	h->lines = l;
	h->n = n;
	h->keyw = keyw + 2;
	h->namew = namew + 2;
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
	for (int i = 0; i < h->r.h; i++) {
		size_t li = h->scroll + (size_t)i;
		int y = h->r.y + i, x = h->r.x, w = h->r.w;
		keymap_help_row hr;
		if (li < h->n && h->lines[li].intro) {
			widget_put(win, y, x, w, _(INTRO), 0, ROLE_DIM);
			continue;
		}
		if (li >= h->n || h->lines[li].blank ||
		    !keymap_help_row_get(h->lines[li].row, &hr)) {
			widget_put(win, y, x, w, "", 0, ROLE_NORMAL);
			continue;
		}
		if (h->lines[li].heading) {
			widget_put(win, y, x, w, hr.heading && hr.heading[0] ?
				   _(hr.heading) : "", 0, ROLE_HEADER);
			continue;
		}
		const char *why = h->why ? h->why(h->why_ctx, hr.action) : NULL;
		char text[512];
		int len = snprintf(text, sizeof text, "%s",
				   hr.help && hr.help[0] ? _(hr.help) : "");
		if (why && len > 0 && (size_t)len < sizeof text)
			len += snprintf(text + len, sizeof text - (size_t)len,
					/* TRANSLATORS: after a command's help: why it cannot run now */
					_(" (unavailable: %s)"), why);
		if (hr.args && len > 0 && (size_t)len < sizeof text)
			snprintf(text + len, sizeof text - (size_t)len,
				 "  (:%s %s)", hr.name, hr.args);
		/* the columns never run into each other: a narrow screen cuts
		 * the keys and the name, each one column short of the next */
		int kw = h->keyw < w / 3 ? h->keyw : w / 3;
		int nw = h->namew < w / 3 ? h->namew : w / 3;
		if (kw < 2 || nw < 2)
			continue; /* too narrow for anything readable */
		widget_put(win, y, x, kw - 1, hr.keys, 0,
			   why ? ROLE_DIM : ROLE_KEY);
		widget_put(win, y, x + kw - 1, 1, "", 0, ROLE_NORMAL);
		widget_put(win, y, x + kw, nw - 1, hr.name, 0,
			   why ? ROLE_DIM : ROLE_NORMAL);
		widget_put(win, y, x + kw + nw - 1, 1, "", 0, ROLE_NORMAL);
		if (w - kw - nw > 0)
			widget_put(win, y, x + kw + nw, w - kw - nw, text, 0,
				   why ? ROLE_DIM : ROLE_NORMAL);
	}
}
