/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/bar.c: status bar, tab row, key hints, message line. */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "text/text.h"
#include "widgets/bar.h"

void bar_status(WINDOW *win, int y, int x, int w, const char *left,
		const char *right, term_role role)
{
	if (w <= 0)
		return;
	int rw = right ? text_width(right) : 0;
	if (rw >= w) {
		widget_put(win, y, x, w, right, TEXT_RIGHT, role);
		return;
	}
	int lw = w - rw;
	widget_put(win, y, x, lw, left ? left : "", 0, role);
	if (rw > 0)
		widget_put(win, y, x + lw, rw, right, 0, role);
}

int bar_tab_at(int x, const char *const *names, int n, int active)
{
	int col = 0;
	char seg[256];
	for (int i = 0; i < n; i++) {
		snprintf(seg, sizeof seg, i == active ? "[%d %s]" : " %d %s ", i + 1,
			 names[i] ? names[i] : "");
		int sw = text_width(seg);
		if (x >= col && x < col + sw)
			return i;
		col += sw + 1;
	}
	return -1;
}

void bar_tabs(WINDOW *win, int y, int x, int w, const char *const *names,
	      int n, int active)
{
	if (w <= 0)
		return;
	int col = 0;
	char seg[256];
	for (int i = 0; i < n && col < w; i++) {
		bool on = i == active;
		snprintf(seg, sizeof seg, on ? "[%d %s]" : " %d %s ", i + 1,
			 names[i] ? names[i] : "");
		int sw = text_width(seg);
		if (sw > w - col)
			sw = w - col;
		widget_put(win, y, x + col, sw, seg, 0,
			   on ? ROLE_TAB_ACTIVE : ROLE_TAB);
		col += sw;
		if (col < w) {
			widget_put(win, y, x + col, 1, "", 0, ROLE_TAB);
			col++;
		}
	}
	if (col < w)
		widget_put(win, y, x + col, w - col, "", 0, ROLE_TAB);
}

void bar_hints(WINDOW *win, int y, int x, int w, keymap_mode mode,
	       const bar_hint *hints, size_t n,
	       bool (*available)(void *ctx, keymap_action a), void *ctx)
{
	if (w <= 0)
		return;
	int col = 0;
	for (size_t i = 0; i < n; i++) {
		wint_t ch;
		bool isk;
		char kname[32];
		if ((!keymap_first_key_in(mode, hints[i].action, &ch, &isk) &&
		     !keymap_first_key(hints[i].action, &ch, &isk)) ||
		    keymap_key_format(ch, isk, kname, sizeof kname) != 0)
			continue;
		const char *label = !hints[i].label ? cmd_name(hints[i].action)
				    : hints[i].label[0] ? _(hints[i].label) : "";
		bool ok = !available || available(ctx, hints[i].action);
		char kseg[40];
		snprintf(kseg, sizeof kseg, "%s%s", ok ? "" : "-", kname);
		int kw = text_width(kseg), lw = text_width(label ? label : "");
		int need = (col ? 2 : 0) + kw + 1 + lw;
		if (col + need > w)
			break;
		if (col) {
			widget_put(win, y, x + col, 2, "", 0, ROLE_NORMAL);
			col += 2;
		}
		widget_put(win, y, x + col, kw, kseg, 0,
			   ok ? ROLE_KEY : ROLE_DIM);
		col += kw;
		widget_put(win, y, x + col, 1 + lw, "", 0, ROLE_NORMAL);
		widget_put(win, y, x + col + 1, lw, label, 0,
			   ok ? ROLE_NORMAL : ROLE_DIM);
		col += 1 + lw;
	}
	if (col < w)
		widget_put(win, y, x + col, w - col, "", 0, ROLE_NORMAL);
}

void msgline_init(msgline *m)
{
	memset(m, 0, sizeof *m);
	m->dirty = true;
}

void msgline_set(msgline *m, msgline_severity sev, const char *text,
		 int64_t now_ms, int64_t ttl_ms)
{
	snprintf(m->text, sizeof m->text, "%s", text ? text : "");
	m->sev = sev;
	m->expires_ms = ttl_ms > 0 ? now_ms + ttl_ms : 0;
	m->shown = true;
	m->dirty = true;
}

void msgline_clear(msgline *m)
{
	if (m->shown)
		m->dirty = true;
	m->shown = false;
	m->text[0] = '\0';
	m->expires_ms = 0;
}

bool msgline_tick(msgline *m, int64_t now_ms)
{
	if (m->shown && m->expires_ms > 0 && now_ms >= m->expires_ms)
		msgline_clear(m);
	return m->dirty;
}

int64_t msgline_due_in(const msgline *m, int64_t now_ms)
{
	if (!m->shown || m->expires_ms <= 0)
		return -1;
	return m->expires_ms > now_ms ? m->expires_ms - now_ms : 0;
}

bool msgline_dirty(const msgline *m)
{
	return m->dirty;
}

void msgline_draw(msgline *m, WINDOW *win, int y, int x, int w)
{
	m->dirty = false;
	if (w <= 0)
		return;
	if (!m->shown) {
		widget_put(win, y, x, w, "", 0, ROLE_NORMAL);
		return;
	}
	/* TRANSLATORS: the message line's severity prefixes */
	static const char *const word[] = { "", N_("ok: "), N_("warning: "),
					    N_("error: "), "" };
	static const term_role role[] = { ROLE_INFO, ROLE_OK, ROLE_WARN,
					  ROLE_CRIT, ROLE_CRIT };
	int s = (int)m->sev;
	if (s < 0 || s > MSG_ALERT)
		s = MSG_INFO;
	char line[sizeof m->text + 16];
	snprintf(line, sizeof line, "%s%s", word[s][0] ? _(word[s]) : "", m->text);
	widget_put(win, y, x, w, line, 0, role[s]);
}
