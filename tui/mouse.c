/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/mouse.c: the mouse as htop takes it: a click on a tab switches to
 * that pane, on a column's header sorts by it (again: the other way), on
 * a row selects it; the wheel scrolls. Only in the normal mode, with no
 * dialog, prompt or help open; everything stays on the keys. */
#include "tui/app_int.h"
#include "base/i18n.h"
#include "widgets/bar.h"

#define WHEEL_ROWS 3

static void step(app *a, keymap_action act, long n)
{
	for (long i = 0; i < n; i++)
		app_dispatch(a, act, false);
}

/* The click at (y, x) on the pane's table t. */
static void click_table(app *a, table *t, int y, int x)
{
	const view_class *vc = app_cur_class(a);
	void *v = a->views[a->cur];
	widget_rect r = table_rect(t);
	if (y == r.y) {
		int col = table_col_at(t, x);
		if (col >= 0 && vc->sort_by) {
			bool desc = col == table_sort_col(t) && !table_sort_desc(t);
			vc->sort_by(v, col, desc);
			a->dirty |= DIRTY_BODY;
		}
		return;
	}
	size_t row = table_row_at(t, y), sel = table_selected(t);
	if (row == SIZE_MAX || sel == SIZE_MAX)
		return;
	if (row > sel)
		step(a, ACT_DOWN, (long)(row - sel));
	else
		step(a, ACT_UP, (long)(sel - row));
}

void app_mouse(app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (confirm_active(a->box) || cmdline_active(a->cmd) ||
	    cmdline_active(a->flt) || a->help_open || app_mode(a) != KEYMAP_NORMAL)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		step(a, ACT_UP, WHEEL_ROWS);
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		step(a, ACT_DOWN, WHEEL_ROWS);
		return;
	}
	if (!(ev.bstate & BUTTON1_PRESSED))
		return;
	if (ev.y == 1) { /* the tab row */
		const char *titles[VIEW_COUNT];
		for (int i = 0; i < VIEW_COUNT; i++)
			titles[i] = _(view_classes[i]->title);
		int v = bar_tab_at(ev.x, titles, VIEW_COUNT, a->cur);
		if (v >= 0)
			app_switch_view(a, v);
		return;
	}
	const view_class *vc = app_cur_class(a);
	table *t = vc->table ? vc->table(a->views[a->cur]) : NULL;
	if (t)
		click_table(a, t, ev.y, ev.x);
}
