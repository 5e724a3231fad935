/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/frame.c: one frame, drawn once per loop iteration from the dirty
 * flags: status bar, tabs, the pane (or `?`) and the dialog over it, the
 * key hints of the mode in force, the message or command line, and the
 * hardware cursor; one doupdate. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/app_int.h"

static bool hint_available(void *ctx, keymap_action act)
{
	return app_why_not(ctx, act) == NULL;
}

static void draw_hints(app *a)
{
	int y = a->lines - 2;
	if (cmdline_active(a->cmd) && cmdline_ncandidates(a->cmd) > 1) {
		char t[512];
		/* TRANSLATORS: before the commands that complete what is typed */
		int n = snprintf(t, sizeof t, "%s", _("matches:"));
		for (size_t i = 0; i < cmdline_ncandidates(a->cmd) &&
				   n > 0 && (size_t)n < sizeof t; i++)
			n += snprintf(t + n, sizeof t - (size_t)n, " %s",
				      cmdline_candidate(a->cmd, i));
		widget_put(stdscr, y, 0, a->cols, t, 0, ROLE_INFO);
		return;
	}
	if (cmdline_active(a->cmd) || cmdline_active(a->flt)) {
		const char *t = cmdline_active(a->cmd) ?
			/* TRANSLATORS: key names (Enter, Esc, Tab, Up/Down) stay as on the keyboard */
			_("Enter run   Esc cancel   Tab complete   Up/Down history") :
			_("type to filter (! inverts)   Enter keep   Esc cancel");
		widget_put(stdscr, y, 0, a->cols, t, 0, ROLE_DIM);
		return;
	}
	if (a->help_open) {
		static const bar_hint h[] = {
			{ ACT_DOWN, N_("scroll") }, { ACT_PAGE_DOWN, N_("page") },
			{ ACT_BACK, N_("close help") },
		};
		bar_hints(stdscr, y, 0, a->cols, KEYMAP_NORMAL, h, 3, hint_available, a);
		return;
	}
	const bar_hint *h = NULL;
	size_t n = app_cur_class(a)->hints(a->views[a->cur], &h);
	bar_hints(stdscr, y, 0, a->cols, app_mode(a), h, n, hint_available, a);
}

void app_frame(void *ctx)
{
	app *a = ctx;
	time_t now = time(NULL);
	bool live = !a->paused || a->key_seen;
	a->key_seen = false;
	if (!live)
		return; /* paused: nothing reaches the terminal */

	app_collect_errors(a);
	app_me_seen(a);
	app_watch_alerts(a);
	app_watch_approvals(a);
	app_watch_notice(a);
	app_filter_apply(a);
	void *v = a->views[a->cur];
	if (app_cur_class(a)->recalc(v, now, a->full))
		a->dirty |= DIRTY_BODY;
	app_note_follow(a);
	char oldl[sizeof a->status_left], oldr[sizeof a->status_right];
	memcpy(oldl, a->status_left, sizeof oldl);
	memcpy(oldr, a->status_right, sizeof oldr);
	app_status_text(a, now);
	if (strcmp(oldl, a->status_left) != 0 || strcmp(oldr, a->status_right) != 0)
		a->dirty |= DIRTY_STATUS;
	app_arm_timers(a, now);

	if (a->too_small) {
		if (a->dirty) {
			term_draw_too_small();
			term_place_cursor(-1, -1);
			term_flush();
			a->cur_y = a->cur_x = -2;
		}
		a->dirty = 0;
		return;
	}

	bool out = false;
	if (a->dirty & DIRTY_STATUS) {
		bar_status(stdscr, 0, 0, a->cols, a->status_left, a->status_right,
			   a->paused || a->insecure ? ROLE_BANNER_DANGER : ROLE_STATUS);
		out = true;
	}
	if (a->dirty & DIRTY_TABS) {
		const char *titles[VIEW_COUNT];
		for (int i = 0; i < VIEW_COUNT; i++)
			titles[i] = _(view_classes[i]->title);
		bar_tabs(stdscr, 1, 0, a->cols, titles, VIEW_COUNT, a->cur);
		out = true;
	}
	if (a->help_open) {
		if (a->full || help_dirty(a->help)) {
			help_draw(a->help, stdscr);
			out = true;
		}
	} else {
		bool full = a->full;
		if (app_cur_class(a)->draw(v, stdscr, full))
			out = true;
		if (confirm_active(a->box) &&
		    (out || full || confirm_dirty(a->box))) {
			widget_rect body = { 2, 0, a->lines - 4, a->cols };
			confirm_draw(a->box, stdscr, body);
			out = true;
		}
	}
	a->full = false;
	if (a->dirty & DIRTY_HINTS) {
		draw_hints(a);
		out = true;
	}
	cmdline *line = cmdline_active(a->cmd) ? a->cmd :
			cmdline_active(a->flt) ? a->flt : NULL;
	if (line) {
		if ((a->dirty & DIRTY_MSG) || cmdline_dirty(line)) {
			cmdline_draw(line, stdscr, a->lines - 1, 0, a->cols);
			out = true;
		}
	} else if ((a->dirty & DIRTY_MSG) || msgline_dirty(&a->msg)) {
		msgline_draw(&a->msg, stdscr, a->lines - 1, 0, a->cols);
		out = true;
	}
	a->dirty = 0;

	int cy = -1, cx = -1;
	if (line)
		cmdline_cursor(line, &cy, &cx);
	else if (confirm_active(a->box))
		confirm_cursor(a->box, &cy, &cx);
	else if (!a->help_open && !app_cur_class(a)->cursor(v, &cy, &cx))
		cy = cx = -1;
	if (cy != a->cur_y || cx != a->cur_x)
		out = true;
	if (out) {
		wnoutrefresh(stdscr);
		term_place_cursor(cy, cx);
		term_flush();
		a->cur_y = cy;
		a->cur_x = cx;
	}
}
