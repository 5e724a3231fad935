/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/panes.c: switching panes (by key, by `:` name, by a jump from
 * another pane to one of its rows), and the `/` filter: applied once per
 * loop iteration, its note kept in step with its count. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tui/app_int.h"

void app_switch_view(app *a, int i)
{
	if (i < 0 || i >= VIEW_COUNT)
		return;
	a->cur = i;
	a->help_open = false;
	/* the Alerts pane shows what the new-alert message announced */
	if (a->msg.shown && a->msg.sev == MSG_ALERT &&
	    strcmp(view_classes[i]->name, "alerts") == 0)
		msgline_clear(&a->msg);
	a->dirty = DIRTY_ALL;
	a->full = true;
}

void app_jump(void *ctx, const char *view_name, const char *object_id)
{
	app *a = ctx;
	int i = view_find(view_name);
	if (i < 0)
		return;
	app_switch_view(a, i);
	const view_class *vc = view_classes[i];
	if (object_id && vc->select) {
		/* the row may be hidden by a filter: drop it, then look */
		if (!vc->select(a->views[i], object_id) && vc->filter &&
		    vc->filter(a->views[i])[0]) {
			vc->set_filter(a->views[i], "");
			vc->recalc(a->views[i], time(NULL), true);
			vc->select(a->views[i], object_id);
		}
	}
}

void app_filter_changed(void *ctx, const char *text)
{
	app *a = ctx;
	snprintf(a->flt_typed, sizeof a->flt_typed, "%s", text);
	a->flt_pending = true;
	a->dirty |= DIRTY_BODY;
}

/* Give the view the filter typed so far (a query over the cache in the big
 * panes: at a million breaks, one per key of a pasted order number made
 * the screen trail the keys by seconds). */
void app_filter_apply(app *a)
{
	if (!a->flt_pending)
		return;
	a->flt_pending = false;
	app_cur_class(a)->set_filter(a->views[a->cur], a->flt_typed);
}

void app_show_note(app *a)
{
	const char *note = app_cur_class(a)->note(a->views[a->cur]);
	if (note)
		app_message(a, MSG_INFO, note);
	snprintf(a->note_last, sizeof a->note_last, "%s", note ? note : "");
	a->note_view = a->cur;
}

/* The note of a filter follows its count while it is on the message line:
 * a count that comes later (a search on the cache's reader thread says
 * "searching..." first) or moves with the data is not left stale. */
void app_note_follow(app *a)
{
	if (!a->note_last[0])
		return;
	if (!a->msg.shown || a->cur != a->note_view ||
	    strcmp(a->msg.text, a->note_last) != 0) {
		a->note_last[0] = '\0'; /* replaced or gone */
		return;
	}
	const char *note = app_cur_class(a)->note(a->views[a->cur]);
	if (note && strcmp(note, a->note_last) != 0) {
		app_message(a, MSG_INFO, note);
		snprintf(a->note_last, sizeof a->note_last, "%s", note);
	}
}
