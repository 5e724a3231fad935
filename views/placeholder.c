/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/placeholder.c: tabs whose panes come with their own issues. They
 * hold their place in the tab row and say so in one line. */
#include "views/view.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* No tab is a placeholder at the moment; the helpers stay for the next. */
#pragma GCC diagnostic ignored "-Wunused-function"

static const bar_hint ph_hints[] = {
	{ ACT_COMMAND, N_("command") }, { ACT_HELP, N_("help") }, { ACT_QUIT, N_("quit") },
};

typedef struct {
	const char *text;
	widget_rect rect;
	bool dirty;
} ph_view;

static void *ph_new(const char *text)
{
	ph_view *v = calloc(1, sizeof *v);
	if (v) {
		v->text = text;
		v->dirty = true;
	}
	return v;
}

static void ph_destroy(void *p) { free(p); }

static void ph_set_rect(void *p, widget_rect r)
{
	ph_view *v = p;
	v->rect = r;
	v->dirty = true;
}

static bool ph_recalc(void *p, time_t now, bool force)
{
	(void)now;
	if (force)
		((ph_view *)p)->dirty = true;
	return force;
}

static bool ph_draw(void *p, WINDOW *win, bool full)
{
	ph_view *v = p;
	if (!full && !v->dirty)
		return false;
	widget_clear(win, v->rect, ROLE_NORMAL);
	if (v->rect.h > 1)
		widget_put(win, v->rect.y + 1, v->rect.x + 2, v->rect.w - 2,
			   v->text, 0, ROLE_DIM);
	v->dirty = false;
	return true;
}

static int ph_action(void *p, keymap_action a) { (void)p; (void)a; return VIEW_IGNORED; }
static bool ph_cursor(const void *p, int *y, int *x)
{
	const ph_view *v = p;
	*y = v->rect.y + 1;
	*x = v->rect.x + 2;
	return v->rect.h > 1;
}
static long ph_due(const void *p, time_t now) { (void)p; (void)now; return -1; }
static size_t ph_hints_get(const void *p, const bar_hint **out)
{
	(void)p;
	*out = ph_hints;
	return sizeof ph_hints / sizeof ph_hints[0];
}
static const char *ph_note(const void *p) { (void)p; return NULL; }

#define PLACEHOLDER(var, nm, ttl, txt)                                        \
	static void *var##_create(const view_env *env)                         \
	{                                                                      \
		(void)env;                                                     \
		return ph_new(txt);                                            \
	}                                                                      \
	const view_class var = {                                               \
		.name = nm, .title = ttl, .create = var##_create,              \
		.destroy = ph_destroy, .set_rect = ph_set_rect,                \
		.recalc = ph_recalc, .draw = ph_draw, .action = ph_action,     \
		.cursor = ph_cursor, .due_in_ms = ph_due,                      \
		.hints = ph_hints_get, .note = ph_note,                        \
	}

