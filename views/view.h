/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/view.h: a pane of the console (Overview, Channels, Routes, ...).
 *
 * A view reads the store and draws into a rectangle of the screen through
 * the widgets. It separates recalc (rebuild its rows when the store
 * generations it depends on moved) from draw (paint what changed), so a
 * poll that brought nothing new costs nothing, and a key that only moves
 * the selection repaints two lines.
 *
 * Views do no I/O of their own and no SQL: the app hands them an
 * environment with the store, the configuration, callbacks (ask for a
 * channel's history, say something on the message line, confirm, jump to
 * another pane) and the clients that act (the action client, the
 * Alertmanagers). The big panes read the cache and the Audit pane the
 * audit log through those modules' query functions (pages, counts and
 * sums, rows kept: cache/cache.h, audit/audit.h), which own every
 * statement.
 */
#ifndef PAYOPS_VIEWS_VIEW_H
#define PAYOPS_VIEWS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <wchar.h>

#include "config/config.h"
#include "ops/confirm.h"
#include "store/store.h"
#include "term/keymap.h"
#include "widgets/bar.h"
#include "widgets/table.h"
#include "widgets/widget.h"

struct act_client;
struct am_hub;
struct pm_source;

/* The confirmation dialog is the operation runner's (ops/confirm.h); the
 * app runs it for the panes and knows it by these names. */
typedef ops_line view_line;
typedef ops_ticket view_ticket;
typedef ops_confirm view_confirm;
#define VIEW_TICKET_CONFIG OPS_TICKET_CONFIG
#define VIEW_TICKET_OPTIONAL OPS_TICKET_OPTIONAL
#define VIEW_TICKET_REQUIRED OPS_TICKET_REQUIRED
#define VIEW_TICKET_NONE OPS_TICKET_NONE

typedef struct {
	store *st;
	const cfg_config *cfg;
	/* Make sure the channel's /history is (being) fetched; may be NULL. */
	void (*want_history)(void *ctx, const char *channel_id);
	/* Say something on the message line (sev: msgline_severity). */
	void (*message)(void *ctx, int sev, const char *text);
	/* Open the confirmation dialog (see view_confirm). 0, or -1 when it
	 * could not be opened (out of memory; nothing will be called back). */
	int (*confirm)(void *ctx, const view_confirm *spec);
	/* Switch to the pane named view_name ("channels") and select the row
	 * of object_id there (NULL: keep the selection). */
	void (*jump)(void *ctx, const char *view_name, const char *object_id);
	/* Something changed that other panes show (an action's outcome, an
	 * audit row written): the app refreshes and repaints. May be NULL. */
	void (*changed)(void *ctx);
	/* The action client (identity, idempotency, If-Match, audit rows):
	 * act_check() to grey out, act_submit() to act. Never NULL once the
	 * views are created. */
	struct act_client *act;
	/* The app's operation runner (views/actflow.h, ops/ops.h): every
	 * operator action from its dialog to its outcome and the marks the
	 * panes show meanwhile. NULL in tests that act on nothing. */
	struct flow *flow;
	/* The Alertmanagers, NULL when none is configured. */
	struct am_hub *am;
	/* The Prometheus channel numbers (views/chmetrics.h), NULL when none
	 * is configured. */
	struct pm_source *pm;
	/* The operator's audit log, NULL when it could not be opened. */
	struct audit_log *audit;
	/* The SQLite cache the big panes (cases, breaks, limits) page through
	 * (cache/cache.h), NULL when none could be opened. */
	struct cache *cache;
	/* The event loop, for a pane that waits on a descriptor of its own
	 * (the cache's reader thread); NULL without one (tests). */
	struct ev_loop *ev;
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
	/* A command (term/commands.h) of any mode: navigation, detail, back,
	 * sort, the reroute editor's...: VIEW_HANDLED or VIEW_IGNORED. */
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
	/* Optional: select the row of this object id (after env->jump);
	 * true when found. */
	bool (*select)(void *v, const char *object_id);
	/* Optional: the pane's table (:sort's column names, mouse clicks),
	 * and sorting by one of its columns (false: the pane cannot sort
	 * by that one; desc is a wish the pane may not follow). */
	table *(*table)(void *v);
	bool (*sort_by)(void *v, int col, bool desc);
	/* Optional: the keys a pane takes as text, VIEW_HANDLED or
	 * VIEW_IGNORED. In the normal mode they come first, before the key
	 * table (a limit being typed); in another mode (see mode()) only the
	 * keys its table does not bind come here (the digits of a weight,
	 * any key that cancels the resolve marks), and no further. */
	int (*key)(void *v, wint_t ch, bool is_key_code);
	/* Optional: the key table in force (term/keymap.h): KEYMAP_REROUTE
	 * while the reroute editor is open, KEYMAP_RESOLVE while the resolve
	 * marks wait for their key; NULL: always KEYMAP_NORMAL. The app looks
	 * keys up in that table and hands the commands to action(). */
	keymap_mode (*mode)(const void *v);
} view_class;

/* The nine tabs, in key order 1..9. */
#define VIEW_COUNT 9
extern const view_class *const view_classes[VIEW_COUNT];

extern const view_class view_overview;
extern const view_class view_channels;
extern const view_class view_routes;
extern const view_class view_onboarding;
extern const view_class view_recon;
extern const view_class view_limits;
extern const view_class view_alerts;
extern const view_class view_audit;
extern const view_class view_approvals;

/* The tab for a name or unique prefix ("chan"), -1 when none. */
int view_find(const char *name);

#endif
