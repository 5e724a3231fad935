/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/app_int.h: the console's state, shared by the files of the app:
 * app.c (life cycle, wiring, signals), keys.c (keys through the key
 * tables to commands), command.c (the `:` line), panes.c (pane switching
 * and the filter), frame.c (drawing), status.c (the status bar and the
 * clock), watch.c (what the frame notices) and forward.c (audit
 * forwarding). Nothing outside tui/ includes it.
 */
#ifndef PAYOPS_TUI_APP_INT_H
#define PAYOPS_TUI_APP_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "actions/actions.h"
#include "base/ev.h"
#include "base/i18n.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/sync.h"
#include "term/keymap.h"
#include "tui/app.h"
#include "tui/confirm.h"
#include "tui/sources.h"
#include "views/actflow.h"
#include "views/view.h"
#include "widgets/bar.h"
#include "widgets/cmdline.h"
#include "widgets/help.h"

enum {
	DIRTY_STATUS = 1u << 0,
	DIRTY_TABS = 1u << 1,
	DIRTY_BODY = 1u << 2,
	DIRTY_HINTS = 1u << 3,
	DIRTY_MSG = 1u << 4,
	DIRTY_ALL = 0x1f,
};

#define MSG_TTL_MS 8000
/* errors and new critical alerts stay longer, but not for ever */
#define MSG_LONG_TTL_MS 60000
#define CMD_HISTORY 100

typedef struct app {
	ev_loop *ev;
	http_client *http;
	store *st;
	syncer *sy;
	app_sources *src;           /* Alertmanagers, incremental sync */
	struct audit_log *audit;    /* the operator's audit log, NULL if it could not open */
	act_client *act;            /* operator actions */
	struct audit_fwd *fwd;      /* forwarding of the audit rows, or NULL */
	int fwd_fd;                 /* the descriptor watched for it, -1 none */
	short fwd_events;
	ev_timer_id fwd_timer;
	char fwd_err[256];          /* last forwarding error said */
	bool me_seen;               /* /v1/me answered: scopes, resolve done */
	char ro_why[200];           /* why the console is read-only, "" if not */
	unsigned crit_gen;          /* bell: alerts generation looked at */
	bool crit_baseline;         /* the first alert list is not "new" */
	char **crit_fps;            /* fingerprints of critical alerts seen firing */
	size_t n_crit, cap_crit;
	uint64_t apr_gen;           /* approvals generation looked at */
	bool apr_baseline;          /* the first approval list is not "new" */
	char **apr_seen;            /* ids of pending approvals already named */
	size_t n_apr_seen, cap_apr_seen;
	size_t apr_waiting;         /* pending, asked by someone else */
	time_t notice_at;           /* sync failover notice said */
	size_t res_applied, res_failed, res_unknown, res_unasked;
	char res_last[512];         /* the last interrupted action resolved */
	flow *flow;                 /* ... from a key to their outcome */
	confirm_box *box;           /* the confirmation dialog, when open */
	char audit_err[256];
	const cfg_config *cfg;
	demo_sim *demo;
	view_env env;
	void *views[VIEW_COUNT];
	int cur;
	help *help;
	bool help_open;
	cmdline *cmd;               /* ':' */
	cmdline *flt;               /* '/' */
	char flt_saved[256];        /* filter before '/' (Esc restores it) */
	/* the filter as typed, applied once per loop iteration: keys that
	 * arrive together (a paste, a fast typist over SSH) query once */
	char flt_typed[256];
	char note_last[512];        /* the filter note on the message line */
	int note_view;              /* and the pane it came from */
	bool flt_pending;
	msgline msg;
	unsigned dirty;
	bool full;                  /* body: repaint everything */
	bool paused;
	bool key_seen;              /* a key since the last frame */
	bool too_small;
	int lines, cols;
	ev_timer_id tick;           /* age / marker timer */
	int64_t tick_due;           /* monotonic ms, 0 when not armed */
	ev_timer_id msg_timer;
	int64_t msg_due;
	char status_left[512], status_right[256];
	bool insecure;              /* TLS not verified: the status bar says so, in red */
	char site_err[256];         /* last sync error shown */
	bool announced;             /* said "connected" once */
	time_t coll_err_at[STORE__N];
	int cur_y, cur_x;           /* hardware cursor of the last frame */
	int exit_code;
} app;

static inline const view_class *app_cur_class(const app *a)
{
	return view_classes[a->cur];
}

/* The key table in force: the pane's mode, the normal one under `?`. */
keymap_mode app_mode(const app *a);

/* watch.c: the message line, and what the frame notices. */
void app_message(app *a, msgline_severity sev, const char *text);
void app_collect_errors(app *a);
void app_me_seen(app *a);
void app_watch_alerts(app *a);
/* The approvals moved: count those waiting for someone other than this
 * operator (the status bar), name a new one once on the message line, and
 * let the runner follow the decided ones (marks, the maker's audit rows). */
void app_watch_approvals(app *a);
void app_watch_notice(app *a);

/* status.c: the status bar text and the timers of what the clock moves. */
void app_status_text(app *a, time_t now);
void app_arm_timers(app *a, time_t now);

/* forward.c: audit forwarding, never blocking. */
void app_fwd_open(app *a);
void app_fwd_pump(app *a, short revents);

/* panes.c: switching panes, the filter and its note. */
void app_switch_view(app *a, int i);
/* view_env.jump: to the pane named, and the row of object_id there. */
void app_jump(void *ctx, const char *view_name, const char *object_id);
void app_filter_changed(void *ctx, const char *text);
void app_filter_apply(app *a);
void app_show_note(app *a);
void app_note_follow(app *a);

/* keys.c: keys through the key tables to commands. */
void app_key(app *a, wint_t ch, bool is_key_code);
/* Run a command (a key's, or `:`'s without arguments). from_line: say
 * why when nothing took it. */
void app_dispatch(app *a, keymap_action act, bool from_line);
/* NULL when the command is available, else why not (read-only, scope). */
const char *app_why_not(void *ctx, keymap_action act);
/* True (and the reason said) when a write command cannot run now. */
bool app_refuse(app *a, keymap_action act);
void app_set_paused(app *a, bool p);
void app_open_help(app *a);
void app_refresh(app *a);

/* command.c: the `:` line. */
void app_run_command(app *a, const char *line);
/* :sites: each site's state, error and data age, on the message line. */
void app_sites(app *a);
/* Each pane's sort from the file beside the cache, and back to it
 * (tui/sortstate.c). */
void app_sort_load(app *a);
/* A mouse event waiting (KEY_MOUSE): tui/mouse.c. */
void app_mouse(app *a);
void app_sort_save(app *a);
void app_complete(void *ctx, const char *line, size_t word_start,
		  cmdline_cands *out);

/* frame.c: one frame, drawn before the loop waits. */
void app_frame(void *ctx);

#endif
