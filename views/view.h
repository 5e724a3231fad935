/* views/view.h: a pane of the console (Overview, Channels, Routes, ...).
 *
 * A view reads the store and draws into a rectangle of the screen through
 * the widgets. It separates recalc (rebuild its rows when the store
 * generations it depends on moved) from draw (paint what changed), so a
 * poll that brought nothing new costs nothing, and a key that only moves
 * the selection repaints two lines.
 *
 * Views do no I/O: the app hands them an environment with the store, the
 * configuration and two callbacks (ask for a channel's history, say
 * something on the message line).
 */
#ifndef PAYOPS_VIEWS_VIEW_H
#define PAYOPS_VIEWS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "store/store.h"
#include "tui/keymap.h"
#include "widgets/bar.h"
#include "widgets/widget.h"

typedef struct {
	store *st;
	const cfg_config *cfg;
	/* Make sure the channel's /history is (being) fetched; may be NULL. */
	void (*want_history)(void *ctx, const char *channel_id);
	/* Say something on the message line (sev: msgline_severity). */
	void (*message)(void *ctx, int sev, const char *text);
	void *ctx;
} view_env;

/* What view action() did. */
enum {
	VIEW_IGNORED = 0,   /* not this view's action: the app may act */
	VIEW_HANDLED = 1,   /* used it (a redraw follows if the view needs it) */
};

typedef struct {
	const char *name;   /* "channels": the tab, and the `:` command */
	const char *title;  /* "Channels" */
	void *(*create)(const view_env *env);
	void (*destroy)(void *v);
	/* Where to draw; the next draw repaints everything. */
	void (*set_rect)(void *v, widget_rect r);
	/* Rebuild from the store when its generations moved (or force).
	 * Returns true when what the view shows changed. */
	bool (*recalc)(void *v, time_t now, bool force);
	/* Paint what needs painting; full: everything (after a view switch,
	 * a resize or Ctrl-L). Returns true when anything was painted. */
	bool (*draw)(void *v, WINDOW *win, bool full);
	/* Navigation, detail, back, sort...: VIEW_HANDLED or VIEW_IGNORED. */
	int (*action)(void *v, keymap_action a);
	/* The filter ("" none, "!x" inverted); NULL when the view has none. */
	void (*set_filter)(void *v, const char *f);
	const char *(*filter)(const void *v);
	/* Where the hardware cursor goes (window coordinates). */
	bool (*cursor)(const void *v, int *y, int *x);
	/* Milliseconds until what it shows changes by itself (a "changed"
	 * marker that expires), -1 when never: the app arms a timer. */
	long (*due_in_ms)(const void *v, time_t now);
	/* Key hints for this view. */
	size_t (*hints)(const void *v, const bar_hint **out);
	/* A one-line note to show on the message line (e.g. the filter's
	 * match count); NULL when none. */
	const char *(*note)(const void *v);
} view_class;

/* The eight tabs, in key order 1..8. */
#define VIEW_COUNT 8
extern const view_class *const view_classes[VIEW_COUNT];

extern const view_class view_overview;
extern const view_class view_channels;
extern const view_class view_routes;
extern const view_class view_onboarding;
extern const view_class view_recon;
extern const view_class view_limits;
extern const view_class view_alerts;
extern const view_class view_audit;

/* The tab for a name or unique prefix ("chan"), -1 when none. */
int view_find(const char *name);

#endif
