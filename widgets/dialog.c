/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/dialog.c: modal confirmation with validated input fields. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "text/text.h"
#include "term/keymap.h"
#include "widgets/dialog.h"

#define MAX_FIELDS 8

struct line {
	char *text;
	term_role role;
};

struct field {
	char *label;
	dialog_field_kind kind;
	char *expect;
	size_t max_chars;
	char *buf;    /* max_chars * 4 + 1 bytes */
	size_t len, cur, nchars;
};

struct dialog {
	char *title, *confirm_label;
	wint_t confirm_key, opened_by;
	struct line *lines;
	size_t nlines;
	struct field fields[MAX_FIELDS];
	int nfields;
	int focus;
	dialog_result res;
	char err[160];
	bool dirty;
	int cur_y, cur_x;
};

dialog *dialog_new(const char *title, const char *confirm_label,
		   wint_t confirm_key, wint_t opened_by)
{
	if (confirm_key == opened_by) {
		errno = EINVAL;
		return NULL;
	}
	dialog *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->title = strdup(title ? title : "");
	d->confirm_label = strdup(confirm_label ? confirm_label : _("Confirm"));
	if (!d->title || !d->confirm_label) {
		dialog_free(d);
		return NULL;
	}
	d->confirm_key = confirm_key;
	d->opened_by = opened_by;
	d->focus = 0; /* Cancel while there are no fields */
	d->res = DIALOG_PENDING;
	d->dirty = true;
	return d;
}

void dialog_free(dialog *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i].text);
	free(d->lines);
	for (int i = 0; i < d->nfields; i++) {
		free(d->fields[i].label);
		free(d->fields[i].expect);
		free(d->fields[i].buf);
	}
	free(d->title);
	free(d->confirm_label);
	free(d);
}

int dialog_add_line(dialog *d, const char *text, term_role role)
{
	struct line *l = realloc(d->lines, (d->nlines + 1) * sizeof *l);
	if (!l)
		return -1;
	d->lines = l;
	char *t = strdup(text ? text : "");
	if (!t)
		return -1;
	d->lines[d->nlines].text = t;
	d->lines[d->nlines].role = role;
	d->nlines++;
	d->dirty = true;
	return 0;
}

int dialog_add_field(dialog *d, const char *label, dialog_field_kind kind,
		     const char *expect, size_t max_chars)
{
	if (d->nfields >= MAX_FIELDS || (kind == DIALOG_MATCH && !expect))
		return -1;
	if (max_chars == 0)
		max_chars = 500;
	struct field *f = &d->fields[d->nfields];
	memset(f, 0, sizeof *f);
	f->label = strdup(label ? label : "");
	f->expect = expect ? strdup(expect) : NULL;
	f->buf = calloc(max_chars * 4 + 1, 1);
	if (!f->label || (expect && !f->expect) || !f->buf) {
		free(f->label);
		free(f->expect);
		free(f->buf);
		memset(f, 0, sizeof *f);
		return -1;
	}
	f->kind = kind;
	f->max_chars = max_chars;
	/* the first field takes the focus from Cancel; buttons shift */
	if (d->nfields == 0)
		d->focus = 0;
	else if (d->focus >= d->nfields)
		d->focus++;
	d->dirty = true;
	return d->nfields++;
}

dialog_result dialog_result_get(const dialog *d)
{
	return d->res;
}

const char *dialog_field_value(const dialog *d, int idx)
{
	if (idx < 0 || idx >= d->nfields)
		return NULL;
	return d->fields[idx].buf;
}

const char *dialog_error(const dialog *d)
{
	return d->err[0] ? d->err : NULL;
}

int dialog_focus(const dialog *d)
{
	return d->focus;
}

bool dialog_dirty(const dialog *d)
{
	return d->dirty;
}

/* ---- input ---- */

static bool blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

static void try_confirm(dialog *d)
{
	char label[64];
	for (int i = 0; i < d->nfields; i++) {
		struct field *f = &d->fields[i];
		text_sanitize(f->label, (size_t)-1, label, sizeof label);
		if (f->kind == DIALOG_REQUIRED && blank(f->buf)) {
			/* TRANSLATORS: %s is a field label (Reason, Ticket...) */
			snprintf(d->err, sizeof d->err, _("%s is required"), label);
			d->focus = i;
			return;
		}
		if (f->kind == DIALOG_MATCH && strcmp(f->buf, f->expect) != 0) {
			snprintf(d->err, sizeof d->err,
				 _("%s does not match: nothing was done"), label);
			d->focus = i;
			return;
		}
	}
	d->err[0] = '\0';
	d->res = DIALOG_CONFIRMED;
}

static size_t prev_char(const struct field *f, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)f->buf[i] & 0xc0) == 0x80)
		i--;
	return i;
}

static size_t next_char(const struct field *f, size_t i)
{
	if (i >= f->len)
		return f->len;
	i++;
	while (i < f->len && ((unsigned char)f->buf[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void field_delete(struct field *f, size_t from, size_t to)
{
	if (to <= from)
		return;
	f->nchars -= count_chars(f->buf + from, to - from);
	memmove(f->buf + from, f->buf + to, f->len - to + 1);
	f->len -= to - from;
	if (f->cur > to)
		f->cur -= to - from;
	else if (f->cur > from)
		f->cur = from;
}

static void field_insert(struct field *f, wint_t ch)
{
	if (f->nchars >= f->max_chars)
		return;
	char b[4];
	size_t n;
	unsigned v = (unsigned)ch;
	if (v < 0x80) {
		b[0] = (char)v;
		n = 1;
	} else if (v < 0x800) {
		b[0] = (char)(0xc0 | (v >> 6));
		b[1] = (char)(0x80 | (v & 0x3f));
		n = 2;
	} else if (v < 0x10000) {
		b[0] = (char)(0xe0 | (v >> 12));
		b[1] = (char)(0x80 | ((v >> 6) & 0x3f));
		b[2] = (char)(0x80 | (v & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (v >> 18));
		b[1] = (char)(0x80 | ((v >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((v >> 6) & 0x3f));
		b[3] = (char)(0x80 | (v & 0x3f));
		n = 4;
	}
	memmove(f->buf + f->cur + n, f->buf + f->cur, f->len - f->cur + 1);
	memcpy(f->buf + f->cur, b, n);
	f->len += n;
	f->cur += n;
	f->nchars++;
}

static bool printable(wint_t ch)
{
	return ch >= 0x20 && ch != 0x7f && !(ch >= 0x80 && ch < 0xa0) &&
	       ch <= 0x10ffff && !(ch >= 0xd800 && ch <= 0xdfff);
}

dialog_result dialog_feed(dialog *d, wint_t ch, bool is_key_code)
{
	if (d->res != DIALOG_PENDING)
		return d->res;
	int nfocus = d->nfields + 2;
	int cancel = d->nfields, confirm = d->nfields + 1;
	bool in_field = d->focus < d->nfields;
	bool enter = (!is_key_code && (ch == '\r' || ch == '\n')) ||
		     (is_key_code && ch == KEY_ENTER);
	d->dirty = true;

	/* the dialog's key table; in a field, what can be typed is typed */
	keymap_action a = keymap_lookup_in(KEYMAP_DIALOG, ch, is_key_code);
	if (in_field && !is_key_code && printable(ch))
		a = ACT_NONE;
	switch (a) {
	case ACT_CANCEL:
		d->res = DIALOG_CANCELLED;
		return d->res;
	case ACT_NEXT_FIELD:
		d->focus = (d->focus + 1) % nfocus;
		return d->res;
	case ACT_PREV_FIELD:
		d->focus = (d->focus + nfocus - 1) % nfocus;
		return d->res;
	default:
		break; /* confirm: the dialog's own key, below */
	}
	/* the confirming key: on a button, or anywhere if it cannot be typed */
	if (!is_key_code && ch == d->confirm_key &&
	    (!in_field || !printable(ch))) {
		try_confirm(d);
		return d->res;
	}
	if (enter) {
		if (in_field)
			d->focus++;
		else if (d->focus == cancel)
			d->res = DIALOG_CANCELLED;
		else
			try_confirm(d);
		return d->res;
	}
	if (!in_field) {
		if (is_key_code && (ch == KEY_LEFT || ch == KEY_RIGHT))
			d->focus = d->focus == cancel ? confirm : cancel;
		else
			d->dirty = false; /* nothing else does anything here */
		return d->res;
	}
	struct field *f = &d->fields[d->focus];
	if (is_key_code) {
		switch (ch) {
		case KEY_LEFT: f->cur = prev_char(f, f->cur); break;
		case KEY_RIGHT: f->cur = next_char(f, f->cur); break;
		case KEY_HOME: f->cur = 0; break;
		case KEY_END: f->cur = f->len; break;
		case KEY_BACKSPACE: field_delete(f, prev_char(f, f->cur), f->cur); break;
		case KEY_DC: field_delete(f, f->cur, next_char(f, f->cur)); break;
		default: d->dirty = false; break;
		}
		return d->res;
	}
	switch (ch) {
	case 1: f->cur = 0; break;
	case 5: f->cur = f->len; break;
	case 8: case 127: field_delete(f, prev_char(f, f->cur), f->cur); break;
	case 21: field_delete(f, 0, f->cur); break;
	default:
		if (printable(ch))
			field_insert(f, ch);
		else
			d->dirty = false;
		break;
	}
	return d->res;
}

/* ---- drawing ---- */

static int width_n(const char *s, size_t n)
{
	char tmp[4096];
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return text_width(tmp);
}

void dialog_draw(dialog *d, WINDOW *win, widget_rect area)
{
	d->dirty = false;
	if (area.w < 12 || area.h < 5)
		return;
	char keyname[32] = "";
	keymap_key_format(d->confirm_key, false, keyname, sizeof keyname);
	char cancel_b[32], confirm_b[200];
	bool fc = d->focus == d->nfields, fk = d->focus == d->nfields + 1;
	/* TRANSLATORS: the dialog's buttons; keep the brackets */
	snprintf(cancel_b, sizeof cancel_b, "%s", fc ? _("[>Cancel<]") : _("[ Cancel ]"));
	snprintf(confirm_b, sizeof confirm_b, fk ? "[>%s (%s)<]" : "[ %s (%s) ]",
		 d->confirm_label, keyname);
	int cbw = text_width(cancel_b), kbw = text_width(confirm_b);

	/* size to content, cut to the area */
	int inner = text_width(d->title) + 4;
	for (size_t i = 0; i < d->nlines; i++) {
		int w = text_width(d->lines[i].text);
		if (w > inner)
			inner = w;
	}
	int labelw = 0;
	for (int i = 0; i < d->nfields; i++) {
		int w = text_width(d->fields[i].label);
		if (w > labelw)
			labelw = w;
	}
	if (d->nfields && labelw + 2 + 30 > inner)
		inner = labelw + 2 + 30;
	if (cbw + 2 + kbw > inner)
		inner = cbw + 2 + kbw;
	if (inner < 40)
		inner = 40;
	int bw = inner + 4;
	if (bw > area.w)
		bw = area.w;
	inner = bw - 4;
	/* border, body, blank, fields, error line, buttons, border */
	int want_h = 2 + (int)d->nlines + 1 + d->nfields + 1 + 1;
	int bh = want_h < area.h ? want_h : area.h;
	int by = area.y + (area.h - bh) / 2, bx = area.x + (area.w - bw) / 2;

	/* no double-width character of the rows underneath straddles an
	 * edge: it would push the border aside */
	for (int y = by; y < by + bh; y++) {
		widget_unsplit(win, y, bx);
		widget_unsplit(win, y, bx + bw);
	}
	/* frame (ASCII: box-drawing characters are ambiguous-width) */
	char edge[1024];
	int ew = bw - 2 < (int)sizeof edge - 1 ? bw - 2 : (int)sizeof edge - 1;
	memset(edge, '-', (size_t)ew);
	edge[ew] = '\0';
	widget_put(win, by, bx, 1, "+", 0, ROLE_BORDER);
	widget_put(win, by, bx + 1, bw - 2, edge, 0, ROLE_BORDER);
	widget_put(win, by, bx + bw - 1, 1, "+", 0, ROLE_BORDER);
	char title[512];
	snprintf(title, sizeof title, " %s ", d->title);
	int tw = text_width(title);
	if (tw > bw - 4)
		tw = bw - 4;
	widget_put(win, by, bx + 2, tw, title, 0, ROLE_TITLE);
	for (int y = by + 1; y < by + bh - 1; y++) {
		widget_put(win, y, bx, 1, "|", 0, ROLE_BORDER);
		widget_put(win, y, bx + 1, bw - 2, "", 0, ROLE_NORMAL);
		widget_put(win, y, bx + bw - 1, 1, "|", 0, ROLE_BORDER);
	}
	widget_put(win, by + bh - 1, bx, 1, "+", 0, ROLE_BORDER);
	widget_put(win, by + bh - 1, bx + 1, bw - 2, edge, 0, ROLE_BORDER);
	widget_put(win, by + bh - 1, bx + bw - 1, 1, "+", 0, ROLE_BORDER);

	/* rows from the bottom up keep the buttons and fields visible */
	int ix = bx + 2;
	int last = by + bh - 2;            /* buttons */
	int erry = last - 1;               /* blank or error line */
	int fy0 = erry - 1 - d->nfields + 1; /* first field */
	int body_rows = fy0 - 1 - (by + 1); /* body, then a blank line */
	int bxs = ix + inner - (cbw + 2 + kbw);
	if (bxs < ix)
		bxs = ix;
	widget_put(win, last, bxs, cbw, cancel_b, 0,
		   fc ? ROLE_FOCUS : ROLE_NORMAL);
	widget_put(win, last, bxs + cbw + 2, kbw, confirm_b, 0,
		   fk ? ROLE_FOCUS : ROLE_NORMAL);
	if (fc || fk) {
		d->cur_y = last;
		d->cur_x = fc ? bxs + 1 : bxs + cbw + 3;
	}
	if (d->err[0] && erry > by)
		widget_put(win, erry, ix, inner, d->err, 0, ROLE_CRIT);
	for (int i = 0; i < d->nfields; i++) {
		int y = fy0 + i;
		if (y <= by)
			continue;
		struct field *f = &d->fields[i];
		bool focus = d->focus == i;
		char lab[256];
		snprintf(lab, sizeof lab, "%s:", f->label);
		widget_put(win, y, ix, labelw + 1, lab, 0,
			   focus ? ROLE_FOCUS : ROLE_NORMAL);
		int fx = ix + labelw + 2, fw = inner - labelw - 2;
		if (fw < 1)
			continue;
		size_t start = 0;
		while (start < f->cur &&
		       width_n(f->buf + start, f->cur - start) > fw - 1)
			start = next_char(f, start);
		widget_put(win, y, fx, fw, f->buf + start, 0, ROLE_INPUT);
		if (focus) {
			int cw = width_n(f->buf + start, f->cur - start);
			d->cur_y = y;
			d->cur_x = fx + (cw < fw ? cw : fw - 1);
		}
	}
	for (int i = 0; i < body_rows && i < (int)d->nlines; i++)
		widget_put(win, by + 1 + i, ix, inner, d->lines[i].text, 0,
			   d->lines[i].role);
}

void dialog_cursor(const dialog *d, int *y, int *x)
{
	if (y)
		*y = d->cur_y;
	if (x)
		*x = d->cur_x;
}
