/* tui/app.c: the console's event loop, screen layout and key dispatch.
 *
 * Redraw model: keys, timers and the sync listener only set dirty flags;
 * the loop's before-wait hook draws once per iteration (coalesced) through
 * wnoutrefresh and one doupdate. A view recalculates only when the store
 * generations it reads moved. While updates are paused nothing is drawn
 * except in answer to a key, and the age timer is not armed.
 */
#include "tui/app.h"

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "actions/actions.h"
#include "audit/audit.h"
#include "cache/cache.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/sync.h"
#include "text/text.h"
#include "tui/confirm.h"
#include "tui/ev.h"
#include "tui/keymap.h"
#include "tui/signals.h"
#include "tui/sources.h"
#include "tui/term.h"
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

static const char *const tab_titles[VIEW_COUNT] = {
	"Overview", "Channels", "Routes", "Onboarding", "Recon", "Limits",
	"Alerts", "Audit",
};

/* ---- messages ---- */

static void app_message(app *a, msgline_severity sev, const char *text)
{
	msgline_set(&a->msg, sev, text, ev_now_ms(),
		    sev == MSG_ERROR ? 0 : MSG_TTL_MS);
	a->dirty |= DIRTY_MSG;
}

static void env_message(void *ctx, int sev, const char *text)
{
	app_message(ctx, (msgline_severity)sev, text);
}

static void env_want_history(void *ctx, const char *id)
{
	app *a = ctx;
	if (a->sy)
		sync_want_history(a->sy, id);
}

static int env_confirm(void *ctx, const view_confirm *spec)
{
	app *a = ctx;
	if (confirm_open(a->box, spec) != 0)
		return -1;
	a->dirty = DIRTY_ALL;
	a->full = true;
	return 0;
}

static void switch_view(app *a, int i);
static void filter_apply(app *a);
static void note_follow(app *a);

static void env_jump(void *ctx, const char *view_name, const char *object_id)
{
	app *a = ctx;
	int i = view_find(view_name);
	if (i < 0)
		return;
	switch_view(a, i);
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

static void fwd_pump(app *a, short revents);

static void env_changed(void *ctx)
{
	app *a = ctx;
	a->dirty |= DIRTY_BODY | DIRTY_STATUS;
	fwd_pump(a, 0); /* a row was probably appended */
}

/* ---- audit forwarding: never blocks, its failures are said ---- */

static void on_fwd_io(void *ctx, int fd, short revents)
{
	(void)fd;
	fwd_pump(ctx, revents);
}

static void on_fwd_timer(void *ctx)
{
	app *a = ctx;
	a->fwd_timer = 0;
	fwd_pump(a, 0);
}

#define FWD_IDLE_MS 5000 /* rows other writers (Alerts) appended */

static void fwd_pump(app *a, short revents)
{
	if (!a->fwd)
		return;
	audit_fwd_pump(a->fwd, revents);
	a->dirty |= DIRTY_STATUS; /* the forwarding lag may have changed */
	const char *e = audit_fwd_error(a->fwd);
	if (e && *e && strcmp(e, a->fwd_err) != 0) {
		char t[400];
		snprintf(a->fwd_err, sizeof a->fwd_err, "%s", e);
		snprintf(t, sizeof t, "audit forwarding to %s: %s (rows are kept and "
			 "sent later)", a->cfg->audit_forward, e);
		app_message(a, MSG_WARN, t);
	} else if ((!e || !*e) && a->fwd_err[0] && audit_fwd_pending(a->fwd) == 0) {
		a->fwd_err[0] = '\0';
		app_message(a, MSG_OK, "audit forwarding works again");
	}
	short ev = 0;
	int fd = audit_fwd_pollfd(a->fwd, &ev);
	if (fd != a->fwd_fd || ev != a->fwd_events) {
		if (a->fwd_fd >= 0)
			ev_io_del(a->ev, a->fwd_fd);
		a->fwd_fd = -1;
		if (fd >= 0 && ev_io_set(a->ev, fd, ev, on_fwd_io, a) == 0)
			a->fwd_fd = fd;
		a->fwd_events = ev;
	}
	int ms = audit_fwd_timeout_ms(a->fwd);
	if (ms < 0 || ms > FWD_IDLE_MS)
		ms = FWD_IDLE_MS;
	if (a->fwd_timer)
		ev_timer_cancel(a->ev, a->fwd_timer);
	a->fwd_timer = ev_timer_add(a->ev, ms, on_fwd_timer, a);
}

static void fwd_open(app *a)
{
	const char *dest = a->cfg->audit_forward;
	if (!dest || !*dest || !a->audit)
		return;
	if (strcmp(dest, "syslog") == 0)
		dest = "unix:///dev/log";
	struct audit_fwd_tls tls = { a->cfg->ca_file, a->cfg->client_cert, a->cfg->client_key };
	if (audit_fwd_open_tls(a->audit, dest, &tls, &a->fwd) != 0) {
		char t[300];
		a->fwd = NULL;
		snprintf(t, sizeof t, "audit forwarding to %s could not start; the "
			 "local log still records everything", dest);
		app_message(a, MSG_WARN, t);
		return;
	}
	fwd_pump(a, 0);
}

static const char *site_url(void *ctx)
{
	app *a = ctx;
	return sync_active_url(a->sy);
}

static const char *site_name(void *ctx)
{
	app *a = ctx;
	if (sync_site_count(a->sy) == 0)
		return "";
	return sync_site(a->sy, sync_active_site(a->sy))->name;
}

/* ---- layout ---- */

static const view_class *cur_class(const app *a)
{
	return view_classes[a->cur];
}

static void app_layout(app *a)
{
	term_size(&a->lines, &a->cols);
	a->too_small = !term_size_ok();
	widget_rect body = { 2, 0, a->lines - 4, a->cols };
	if (body.h < 1)
		body.h = 1;
	for (int i = 0; i < VIEW_COUNT; i++)
		if (a->views[i])
			view_classes[i]->set_rect(a->views[i], body);
	help_set_rect(a->help, body);
	a->dirty = DIRTY_ALL;
	a->full = true;
}

/* ---- the status bar ---- */

/* While the event stream is open on the site we read from, every change
 * arrives as it happens (and a silent stream is taken for dead within
 * 45 s): the data is live however long ago the last resync poll was. */
static bool app_streaming(const app *a)
{
	if (!a->sy || sync_site_count(a->sy) == 0)
		return false;
	const sync_site_info *si = sync_site(a->sy, sync_active_site(a->sy));
	return si && si->state == SITE_UP && si->stream_open;
}

static void app_status_text(app *a, time_t now)
{
	char site[160] = "no site", data[64], who[160] = "", flags[64] = "";
	if (a->sy && sync_site_count(a->sy) > 0) {
		const sync_site_info *si = sync_site(a->sy, sync_active_site(a->sy));
		const char *st = si->state == SITE_UP ? "up" :
				 si->state == SITE_CONNECTING ? "connecting" :
				 "FAILING";
		int len = snprintf(site, sizeof site, "%s: %s%s", si->name, st,
				   si->state == SITE_UP && !si->stream_open ? " (polling)" : "");
		/* the other sites of the platform, each with its state: "+sh-b up",
		 * "+bj-a FAILING 42s" (since its last good answer) */
		for (size_t i = 0; i < sync_site_count(a->sy) && len > 0 &&
				   (size_t)len < sizeof site; i++) {
			if (i == sync_active_site(a->sy))
				continue;
			const sync_site_info *o = sync_site(a->sy, i);
			char age[32] = "";
			if (o->state == SITE_FAILING && o->last_ok)
				time_format_age(now - o->last_ok, age, sizeof age);
			len += snprintf(site + len, sizeof site - (size_t)len, " +%s %s%s%s",
					o->name, o->state == SITE_UP ? "up" :
					o->state == SITE_CONNECTING ? "connecting" : "FAILING",
					age[0] ? " " : "", age);
		}
	}
	const store_meta *m = store_meta_get(a->st, STORE_CHANNELS);
	long stale_s = a->cfg->stale_after_ms / 1000;
	if (stale_s < 1)
		stale_s = 1;
	if (m->fetched_at == 0) {
		snprintf(data, sizeof data, "no data yet");
	} else if (m->from_cache) {
		/* the last known picture from the cache: say so, with its age */
		char age[32];
		time_format_age(now - m->fetched_at, age, sizeof age);
		snprintf(data, sizeof data, "CACHED %s old", age);
	} else if (now - m->fetched_at > stale_s && !app_streaming(a)) {
		char age[32];
		time_format_age(now - m->fetched_at, age, sizeof age);
		snprintf(data, sizeof data, "STALE %s%s", age,
			 m->from_cache ? " (cached)" : "");
	} else {
		snprintf(data, sizeof data, "data live");
	}
	const api_me *me = store_me(a->st);
	if (me && me->operator_id)
		snprintf(who, sizeof who, "  %s%s%s%s", me->operator_id,
			 me->display_name ? " (" : "",
			 me->display_name ? me->display_name : "",
			 me->display_name ? ")" : "");
	if (a->ro_why[0])
		snprintf(flags, sizeof flags, "  READ-ONLY");
	if (a->paused) {
		size_t l = strlen(flags);
		snprintf(flags + l, sizeof flags - l, "  PAUSED");
	}
	/* a first load's indexes are being built (seconds at a million
	 * rows): the big panes read rows meanwhile, and are slower */
	char build[96] = "";
	cache_build_info bi;
	cache *ca = a->sy ? sync_cache(a->sy) : NULL;
	if (ca && cache_build_status(ca, &bi)) {
		static const char *const names[] = { [API_KIND_CASE] = "cases",
			[API_KIND_BREAK] = "breaks", [API_KIND_LIMIT] = "limits" };
		const char *what = bi.kind >= 0 && (size_t)bi.kind < sizeof names / sizeof names[0] &&
				   names[bi.kind] ? names[bi.kind] : "cache";
		char age[32];
		time_format_age((ev_now_ms() - bi.started_ms) / 1000, age, sizeof age);
		snprintf(build, sizeof build, "  indexing %s: %s %s", what,
			 bi.step ? bi.step : "", age);
	}
	char fwd[64] = "";
	struct audit_fwd_lag lag;
	if (a->fwd && audit_fwd_lag(a->fwd, &lag) == 0 && lag.behind > 0 && lag.since > 0) {
		char age[32];
		time_format_age((int64_t)now - lag.since, age, sizeof age);
		snprintf(fwd, sizeof fwd, "  audit fwd: %lld behind %s", (long long)lag.behind, age);
	}
	snprintf(a->status_left, sizeof a->status_left, "%s payops  %s  %s%s%s%s%s",
		 a->insecure ? " INSECURE: TLS NOT VERIFIED " : "", site, data,
		 build, fwd, who, flags);

	size_t c[AS_UNKNOWN + 1];
	store_alert_counts(a->st, c);
	if (c[AS_CRITICAL] + c[AS_WARNING] + c[AS_INFO] == 0)
		snprintf(a->status_right, sizeof a->status_right, "alerts: none firing ");
	else
		snprintf(a->status_right, sizeof a->status_right,
			 "alerts: %zu critical %zu warning %zu info ",
			 c[AS_CRITICAL], c[AS_WARNING], c[AS_INFO]);
}

/* When the status bar or a marker next changes by the clock alone
 * (monotonic ms), 0 when nothing shown depends on the clock. */
static int64_t app_next_tick(app *a, time_t now)
{
	if (a->paused || a->too_small)
		return 0;
	int64_t nowms = ev_now_ms(), best = 0;
	const store_meta *m = store_meta_get(a->st, STORE_CHANNELS);
	long stale_s = a->cfg->stale_after_ms / 1000;
	if (stale_s < 1)
		stale_s = 1;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t to_next_second = 1000 - ts.tv_nsec / 1000000;
	if (m->fetched_at != 0 && (m->from_cache || !app_streaming(a))) {
		long age = (long)(now - m->fetched_at);
		if (age > stale_s) /* "STALE 12s" ticks every second */
			best = nowms + to_next_second;
		else /* it turns stale then */
			best = nowms + (int64_t)(stale_s - age) * 1000 + to_next_second;
	}
	cache_build_info bi;
	cache *ca = a->sy ? sync_cache(a->sy) : NULL;
	if (ca && cache_build_status(ca, &bi) && (best == 0 || nowms + to_next_second < best))
		best = nowms + to_next_second; /* "indexing breaks ... 12s" ticks too */
	void *v = a->views[a->cur];
	long due = v && !a->help_open ? cur_class(a)->due_in_ms(v, now) : -1;
	if (due >= 0 && (best == 0 || nowms + due < best))
		best = nowms + due + 10;
	return best;
}

static void on_tick(void *ctx)
{
	app *a = ctx;
	a->tick = 0;
	a->tick_due = 0;
	/* the frame (run right after) recomputes the status text and the
	 * view's markers and repaints only what changed */
}

static void on_msg_timer(void *ctx)
{
	app *a = ctx;
	a->msg_timer = 0;
	a->msg_due = 0;
	if (msgline_tick(&a->msg, ev_now_ms()))
		a->dirty |= DIRTY_MSG;
}

static void app_arm_timers(app *a, time_t now)
{
	int64_t due = app_next_tick(a, now);
	if (due != a->tick_due) {
		if (a->tick)
			ev_timer_cancel(a->ev, a->tick);
		a->tick = 0;
		a->tick_due = 0;
		if (due) {
			int64_t ms = due - ev_now_ms();
			a->tick = ev_timer_add(a->ev, ms > 0 ? ms : 0, on_tick, a);
			a->tick_due = a->tick ? due : 0;
		}
	}
	int64_t in = a->paused ? -1 : msgline_due_in(&a->msg, ev_now_ms());
	int64_t mdue = in >= 0 ? ev_now_ms() + in : 0;
	if (!mdue != !a->msg_due || (mdue && llabs(mdue - a->msg_due) > 50)) {
		if (a->msg_timer)
			ev_timer_cancel(a->ev, a->msg_timer);
		a->msg_timer = 0;
		a->msg_due = 0;
		if (mdue) {
			a->msg_timer = ev_timer_add(a->ev, in, on_msg_timer, a);
			a->msg_due = a->msg_timer ? mdue : 0;
		}
	}
}

/* Good news the console tells by itself ("connected") must not wipe a
 * warning or error the operator has not had time to read. */
static void app_message_quiet(app *a, msgline_severity sev, const char *text)
{
	if (a->msg.shown && (a->msg.sev == MSG_WARN || a->msg.sev == MSG_ERROR) &&
	    (a->msg.expires_ms == 0 || a->msg.expires_ms > ev_now_ms()))
		return;
	app_message(a, sev, text);
}

/* Sync errors and decode errors go to the message line, once each. */
static void app_collect_errors(app *a)
{
	if (a->sy && sync_site_count(a->sy) > 0) {
		const sync_site_info *si = sync_site(a->sy, sync_active_site(a->sy));
		if (si->state == SITE_FAILING && si->error[0] &&
		    strcmp(si->error, a->site_err) != 0) {
			snprintf(a->site_err, sizeof a->site_err, "%s", si->error);
			app_message(a, MSG_ERROR, si->error);
		} else if (si->state == SITE_UP && !a->announced && !a->site_err[0]) {
			char t[200];
			const api_status *st = store_status(a->st);
			a->announced = true;
			snprintf(t, sizeof t, "connected to %s%s%s", si->name,
				 st && st->platform_version ? ", platform " : "",
				 st && st->platform_version ? st->platform_version : "");
			app_message_quiet(a, MSG_OK, t);
		} else if (si->state == SITE_UP && a->site_err[0]) {
			char t[200];
			a->site_err[0] = '\0';
			snprintf(t, sizeof t, "%s answers again", si->name);
			app_message(a, MSG_OK, t);
		}
	}
	for (int c = 0; c < STORE__N; c++) {
		const store_meta *m = store_meta_get(a->st, (store_coll)c);
		if (m->error[0] && m->error_at != a->coll_err_at[c]) {
			a->coll_err_at[c] = m->error_at;
			if (!a->site_err[0] || !strstr(a->site_err, m->error))
				app_message(a, MSG_ERROR, m->error);
		}
	}
}

/* ---- things the frame notices: who we are, new critical alerts ---- */

static void on_resolved(void *ctx, const act_resolution *r)
{
	app *a = ctx;
	switch (r->status) {
	case ACT_APPLIED: a->res_applied++; break;
	case ACT_FAILED: a->res_failed++; break;
	case ACT_UNKNOWN: a->res_unknown++; break;
	default: a->res_unasked++; break;
	}
	snprintf(a->res_last, sizeof a->res_last, "%s", r->message);
}

/* "resolved N interrupted action(s) from the last session" and what became
 * of each: the one, or the counts (payops audit list has every row). */
static void on_resolve_done(void *ctx, size_t n, size_t resolved)
{
	app *a = ctx;
	(void)resolved;
	if (n == 0)
		return;
	char t[700];
	if (n == 1)
		snprintf(t, sizeof t, "resolved 1 interrupted action from the last "
			 "session: %s", a->res_last);
	else
		snprintf(t, sizeof t, "resolved %zu interrupted actions from the last "
			 "session: %zu applied, %zu failed, %zu still unknown%s "
			 "(payops audit list)", n, a->res_applied, a->res_failed,
			 a->res_unknown, a->res_unasked ? ", some not asked yet" : "");
	app_message(a, a->res_unknown || a->res_failed || a->res_unasked ?
		    MSG_WARN : MSG_OK, t);
	env_changed(a);
}

/* /v1/me answered: the operator for the Alertmanagers, read-only when the
 * token has no write scope at all, and the intents a killed console left. */
static void app_me_seen(app *a)
{
	const api_me *me = store_me(a->st);
	if (a->me_seen || !me)
		return;
	a->me_seen = true;
	if (me->operator_id)
		sources_set_operator(a->src, me->operator_id);
	unsigned w = SCOPE_BIT_CHANNELS_WRITE | SCOPE_BIT_ROUTING_WRITE |
		     SCOPE_BIT_ONBOARDING_WRITE | SCOPE_BIT_RECON_WRITE |
		     SCOPE_BIT_LIMITS_WRITE | SCOPE_BIT_ALERTS_WRITE;
	if (!a->ro_why[0] && !(me->scopes & w)) {
		snprintf(a->ro_why, sizeof a->ro_why, "read-only mode: the token of "
			 "%s has no write scope", me->operator_id ? me->operator_id : "?");
		act_set_read_only(a->act, a->ro_why);
		help_refresh(a->help);
		app_message(a, MSG_WARN, a->ro_why);
	}
	if (a->audit && !a->ro_why[0])
		act_resolve_unresolved(a->act, on_resolved, on_resolve_done, a);
	a->dirty |= DIRTY_HINTS | DIRTY_STATUS;
}

static bool crit_known(app *a, const char *fp)
{
	for (size_t i = 0; i < a->n_crit; i++)
		if (strcmp(a->crit_fps[i], fp) == 0)
			return true;
	return false;
}

/* A critical alert whose fingerprint was not firing before: one bell and
 * one notice per alert, however often the lists are fetched. */
static void app_watch_alerts(app *a)
{
	const store_meta *m = store_meta_get(a->st, STORE_ALERTS);
	if ((unsigned)m->gen == a->crit_gen)
		return;
	a->crit_gen = (unsigned)m->gen;
	size_t n = store_alert_count(a->st), fresh = 0;
	const api_alert *first = NULL;
	for (size_t i = 0; i < n; i++) {
		const api_alert *al = store_alert_at(a->st, i);
		if (!al || al->severity != AS_CRITICAL || al->state != AST_FIRING)
			continue;
		const char *fp = al->fingerprint && *al->fingerprint ?
				 al->fingerprint : al->id;
		if (!fp || crit_known(a, fp))
			continue;
		if (a->n_crit == a->cap_crit) {
			size_t cap = a->cap_crit ? a->cap_crit * 2 : 16;
			char **p = realloc(a->crit_fps, cap * sizeof *p);
			if (!p)
				return;
			a->crit_fps = p;
			a->cap_crit = cap;
		}
		char *d = strdup(fp);
		if (!d)
			return;
		a->crit_fps[a->n_crit++] = d;
		if (!first)
			first = al;
		fresh++;
	}
	if (!a->crit_baseline) {
		a->crit_baseline = true; /* firing before we looked: not new */
		return;
	}
	if (!fresh)
		return;
	if (a->cfg->bell)
		beep();
	char t[400];
	snprintf(t, sizeof t, "NEW CRITICAL alert%s: %s%s", fresh > 1 ? "s" : "",
		 first->title ? first->title : first->id,
		 fresh > 1 ? " (and more: 7 lists them)" : " (7 lists alerts)");
	app_message(a, MSG_ERROR, t);
}

static void app_watch_notice(app *a)
{
	time_t at = 0;
	const char *n = a->sy ? sync_notice(a->sy, &at) : NULL;
	if (n && *n && at != a->notice_at) {
		a->notice_at = at;
		app_message(a, MSG_WARN, n);
	}
}

/* ---- drawing (once per loop iteration) ---- */

static const char *help_why(void *ctx, keymap_action act);

static bool hint_available(void *ctx, keymap_action act)
{
	return help_why(ctx, act) == NULL;
}

static void draw_hints(app *a)
{
	int y = a->lines - 2;
	if (cmdline_active(a->cmd) && cmdline_ncandidates(a->cmd) > 1) {
		char t[512];
		int n = snprintf(t, sizeof t, "matches:");
		for (size_t i = 0; i < cmdline_ncandidates(a->cmd) &&
				   n > 0 && (size_t)n < sizeof t; i++)
			n += snprintf(t + n, sizeof t - (size_t)n, " %s",
				      cmdline_candidate(a->cmd, i));
		widget_put(stdscr, y, 0, a->cols, t, 0, ROLE_INFO);
		return;
	}
	if (cmdline_active(a->cmd) || cmdline_active(a->flt)) {
		const char *t = cmdline_active(a->cmd) ?
			"Enter run   Esc cancel   Tab complete   Up/Down history" :
			"type to filter (! inverts)   Enter keep   Esc cancel";
		widget_put(stdscr, y, 0, a->cols, t, 0, ROLE_DIM);
		return;
	}
	if (a->help_open) {
		static const bar_hint h[] = {
			{ ACT_DOWN, "scroll" }, { ACT_PAGE_DOWN, "page" },
			{ ACT_BACK, "close help" },
		};
		bar_hints(stdscr, y, 0, a->cols, h, 3, hint_available, a);
		return;
	}
	const bar_hint *h = NULL;
	size_t n = cur_class(a)->hints(a->views[a->cur], &h);
	bar_hints(stdscr, y, 0, a->cols, h, n, hint_available, a);
}

static void app_frame(void *ctx)
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
	app_watch_notice(a);
	filter_apply(a);
	void *v = a->views[a->cur];
	if (cur_class(a)->recalc(v, now, a->full))
		a->dirty |= DIRTY_BODY;
	note_follow(a);
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
		bar_tabs(stdscr, 1, 0, a->cols, tab_titles, VIEW_COUNT, a->cur);
		out = true;
	}
	if (a->help_open) {
		if (a->full || help_dirty(a->help)) {
			help_draw(a->help, stdscr);
			out = true;
		}
	} else {
		bool full = a->full;
		if (cur_class(a)->draw(v, stdscr, full))
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
	else if (!a->help_open && !cur_class(a)->cursor(v, &cy, &cx))
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

/* ---- commands (the ':' line) ---- */

typedef struct {
	const char *name;
	const char *alias;
	const char *usage;
	void (*run)(app *a, const char *arg);
} app_command;

static void cmd_quit(app *a, const char *arg) { (void)arg; ev_stop(a->ev); }
static void cmd_help(app *a, const char *arg)
{
	(void)arg;
	a->help_open = true;
	help_refresh(a->help);
	a->dirty = DIRTY_ALL;
	a->full = true;
}
static void cmd_refresh(app *a, const char *arg)
{
	(void)arg;
	if (a->sy)
		sync_refresh_now(a->sy);
	app_message(a, MSG_INFO, "refreshing everything now");
}
static void set_paused(app *a, bool p)
{
	a->paused = p;
	app_message(a, MSG_INFO, p ? "updates paused: the screen stands still "
		    "(p resumes)" : "updates resumed");
	a->dirty |= DIRTY_STATUS | DIRTY_BODY;
}
static void cmd_pause(app *a, const char *arg) { (void)arg; set_paused(a, !a->paused); }
static void cmd_filter(app *a, const char *arg)
{
	const view_class *vc = cur_class(a);
	if (!vc->set_filter) {
		app_message(a, MSG_WARN, "this pane has no filter");
		return;
	}
	vc->set_filter(a->views[a->cur], arg ? arg : "");
	a->dirty |= DIRTY_BODY;
}

/* :enable ID [IFACE] and friends: the same dialog as the keys. */
static void cmd_channel_verb(app *a, const char *arg, act_channel_verb verb)
{
	char id[256] = "", iface[128] = "", extra[8] = "";
	int n = arg ? sscanf(arg, "%255s %127s %7s", id, iface, extra) : 0;
	if (n < 1 || n > 2) {
		char t[200];
		snprintf(t, sizeof t, "usage: :%s CHANNEL_ID%s",
			 act_channel_verb_name(verb),
			 verb == ACT_CH_QUARANTINE || verb == ACT_CH_RELEASE ? "" :
			 " [INTERFACE]");
		app_message(a, MSG_ERROR, t);
		return;
	}
	flow_channel(a->flow, id, n == 2 ? iface : NULL, verb, 0);
}
static void cmd_enable(app *a, const char *arg) { cmd_channel_verb(a, arg, ACT_CH_ENABLE); }
static void cmd_disable(app *a, const char *arg) { cmd_channel_verb(a, arg, ACT_CH_DISABLE); }
static void cmd_drain(app *a, const char *arg) { cmd_channel_verb(a, arg, ACT_CH_DRAIN); }
static void cmd_quarantine(app *a, const char *arg) { cmd_channel_verb(a, arg, ACT_CH_QUARANTINE); }
static void cmd_release(app *a, const char *arg) { cmd_channel_verb(a, arg, ACT_CH_RELEASE); }

/* :reroute GROUP CHANNEL=PCT ...: members not named keep their weight;
 * the dialog shows the result, act_check() the mistakes. */
static void cmd_reroute(app *a, const char *arg)
{
	char buf[CMDLINE_MAX], *save = NULL;
	snprintf(buf, sizeof buf, "%s", arg ? arg : "");
	char *gid = strtok_r(buf, " ", &save);
	const api_route *rt = gid ? store_route_find(a->st, gid) : NULL;
	if (!gid) {
		app_message(a, MSG_ERROR, "usage: :reroute GROUP CHANNEL=PCT ...");
		return;
	}
	if (!rt) {
		char t[300];
		snprintf(t, sizeof t, "no route group %s (Tab lists them)", gid);
		app_message(a, MSG_ERROR, t);
		return;
	}
	size_t n = rt->n_members;
	act_weight *w = calloc(n ? n : 1, sizeof *w);
	if (!w)
		return;
	for (size_t i = 0; i < n; i++) {
		w[i].channel_id = rt->members[i].channel_id;
		w[i].weight_pct = rt->members[i].weight_pct;
	}
	bool any = false;
	for (char *tok; (tok = strtok_r(NULL, " ", &save));) {
		char *eq = strchr(tok, '=');
		char *end = NULL;
		long pct = eq ? strtol(eq + 1, &end, 10) : -1;
		if (!eq || end == eq + 1 || *end || pct < 0 || pct > 100) {
			char t[300];
			snprintf(t, sizeof t, "'%s': write CHANNEL=PCT with a whole "
				 "percentage 0..100", tok);
			app_message(a, MSG_ERROR, t);
			free(w);
			return;
		}
		*eq = '\0';
		size_t k = 0;
		while (k < n && strcmp(w[k].channel_id, tok) != 0)
			k++;
		if (k == n) {
			char t[300];
			snprintf(t, sizeof t, "%s is not a member of %s", tok, rt->id);
			app_message(a, MSG_ERROR, t);
			free(w);
			return;
		}
		w[k].weight_pct = (int)pct;
		any = true;
	}
	if (!any) {
		app_message(a, MSG_ERROR, "usage: :reroute GROUP CHANNEL=PCT ... "
			    "(or w in the Routes pane)");
		free(w);
		return;
	}
	flow_reroute(a->flow, rt->id, w, n, 0);
	free(w);
}

/* :sites: each site's state, error and data age. */
static void cmd_sites(app *a, const char *arg)
{
	(void)arg;
	char t[512];
	int len = 0;
	time_t now = time(NULL);
	size_t n = sync_site_count(a->sy);
	for (size_t i = 0; i < n && len < (int)sizeof t; i++) {
		const sync_site_info *si = sync_site(a->sy, i);
		char age[32] = "never";
		if (si->last_ok)
			time_format_age(now - si->last_ok, age, sizeof age);
		len += snprintf(t + len, sizeof t - (size_t)len, "%s%s%s %s, data %s%s%s%s",
				i ? "; " : "", i == sync_active_site(a->sy) ? "*" : "",
				si->name,
				si->state == SITE_UP ? "up" : si->state == SITE_CONNECTING ?
				"connecting" : "FAILING",
				si->last_ok ? age : "never", si->last_ok ? " old" : "",
				si->error[0] && si->state != SITE_UP ? ": " : "",
				si->error[0] && si->state != SITE_UP ? si->error : "");
	}
	if (n == 0)
		snprintf(t, sizeof t, "no sites configured");
	time_t at = 0;
	const char *no = sync_notice(a->sy, &at);
	if (no && *no && len < (int)sizeof t)
		snprintf(t + len, sizeof t - (size_t)len, "  | last failover: %s", no);
	app_message(a, MSG_INFO, t);
}

static const app_command commands[] = {
	{ "quit", "q", ":quit  leave payops", cmd_quit },
	{ "enable", NULL, ":enable ID [IFACE]  enable a channel or one interface", cmd_enable },
	{ "disable", NULL, ":disable ID [IFACE]  disable a channel or one interface", cmd_disable },
	{ "drain", NULL, ":drain ID [IFACE]  drain a channel", cmd_drain },
	{ "quarantine", NULL, ":quarantine ID  quarantine a channel", cmd_quarantine },
	{ "release", NULL, ":release ID  release a channel from quarantine", cmd_release },
	{ "reroute", NULL, ":reroute GROUP CHANNEL=PCT ...  new route weights", cmd_reroute },
	{ "sites", NULL, ":sites  each site's state, error and data age", cmd_sites },
	{ "help", NULL, ":help  the keys", cmd_help },
	{ "refresh", NULL, ":refresh  poll everything now", cmd_refresh },
	{ "pause", NULL, ":pause  pause or resume updates", cmd_pause },
	{ "filter", NULL, ":filter TEXT  filter this pane (! inverts)", cmd_filter },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void run_command(app *a, const char *line)
{
	char buf[CMDLINE_MAX];
	snprintf(buf, sizeof buf, "%s", line);
	char *s = buf;
	while (*s == ' ')
		s++;
	char *arg = strchr(s, ' ');
	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	}
	if (!*s)
		return;
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcasecmp(s, commands[i].name) == 0 ||
		    (commands[i].alias && strcasecmp(s, commands[i].alias) == 0)) {
			commands[i].run(a, arg);
			return;
		}
	}
	int v = view_find(s);
	if (v >= 0) {
		switch_view(a, v);
		return;
	}
	char msg[CMDLINE_MAX + 64];
	snprintf(msg, sizeof msg, "unknown command '%s' (Tab lists them; ? for keys)", s);
	app_message(a, MSG_ERROR, msg);
}

/* Arguments: channel ids, then a channel's interfaces; route groups, then
 * "CHANNEL=" of their members. */
static void complete_args(app *a, const char *line, size_t word_start,
			  cmdline_cands *out)
{
	char cmd[32] = "", first[256] = "";
	int words = 0;
	const char *p = line;
	while (p < line + word_start) {
		while (p < line + word_start && *p == ' ')
			p++;
		if (p >= line + word_start)
			break;
		const char *e = p;
		while (e < line + word_start && *e != ' ')
			e++;
		if (words == 0)
			snprintf(cmd, sizeof cmd, "%.*s", (int)(e - p), p);
		else if (words == 1)
			snprintf(first, sizeof first, "%.*s", (int)(e - p), p);
		words++;
		p = e;
	}
	bool chan = strcmp(cmd, "enable") == 0 || strcmp(cmd, "disable") == 0 ||
		    strcmp(cmd, "drain") == 0 || strcmp(cmd, "quarantine") == 0 ||
		    strcmp(cmd, "release") == 0;
	if (chan && words == 1) {
		for (size_t i = 0; i < store_channel_count(a->st); i++)
			cmdline_add_candidate(out, store_channel_at(a->st, i)->id);
	} else if (chan && words == 2) {
		const api_channel *c = store_channel_find(a->st, first);
		for (size_t i = 0; c && i < c->n_interfaces; i++)
			cmdline_add_candidate(out, c->interfaces[i].name);
	} else if (strcmp(cmd, "reroute") == 0 && words == 1) {
		for (size_t i = 0; i < store_route_count(a->st); i++)
			cmdline_add_candidate(out, store_route_at(a->st, i)->id);
	} else if (strcmp(cmd, "reroute") == 0 && words >= 2) {
		const api_route *r = store_route_find(a->st, first);
		for (size_t i = 0; r && i < r->n_members; i++) {
			char t[300];
			snprintf(t, sizeof t, "%s=", r->members[i].channel_id);
			cmdline_add_candidate(out, t);
		}
	}
}

static void complete_command(void *ctx, const char *line, size_t word_start,
			     cmdline_cands *out)
{
	if (word_start != 0) {
		complete_args(ctx, line, word_start, out);
		return;
	}
	for (size_t i = 0; i < N_COMMANDS; i++)
		cmdline_add_candidate(out, commands[i].name);
	for (int i = 0; i < VIEW_COUNT; i++)
		cmdline_add_candidate(out, view_classes[i]->name);
}

static void filter_changed(void *ctx, const char *text)
{
	app *a = ctx;
	snprintf(a->flt_typed, sizeof a->flt_typed, "%s", text);
	a->flt_pending = true;
	a->dirty |= DIRTY_BODY;
}

/* Give the view the filter typed so far (a query over the cache in the big
 * panes: at a million breaks, one per key of a pasted order number made
 * the screen trail the keys by seconds). */
static void filter_apply(app *a)
{
	if (!a->flt_pending)
		return;
	a->flt_pending = false;
	cur_class(a)->set_filter(a->views[a->cur], a->flt_typed);
}

/* ---- keys ---- */

static void switch_view(app *a, int i)
{
	if (i < 0 || i >= VIEW_COUNT)
		return;
	a->cur = i;
	a->help_open = false;
	a->dirty = DIRTY_ALL;
	a->full = true;
}

static const char *help_why(void *ctx, keymap_action act)
{
	app *a = ctx;
	static char why[200];
	if (!(keymap_action_flags(act) & KEYMAP_WRITE))
		return NULL;
	if (a->ro_why[0])
		return a->ro_why;
	const api_me *me = store_me(a->st);
	const char *scope = keymap_action_scope(act);
	if (me && scope) {
		static const struct { const char *name; unsigned bit; } sc[] = {
			{ "channels:write", SCOPE_BIT_CHANNELS_WRITE },
			{ "routing:write", SCOPE_BIT_ROUTING_WRITE },
			{ "onboarding:write", SCOPE_BIT_ONBOARDING_WRITE },
			{ "recon:write", SCOPE_BIT_RECON_WRITE },
			{ "limits:write", SCOPE_BIT_LIMITS_WRITE },
			{ "alerts:write", SCOPE_BIT_ALERTS_WRITE },
		};
		for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
			if (strcmp(sc[i].name, scope) == 0 && !(me->scopes & sc[i].bit)) {
				snprintf(why, sizeof why, "token lacks %s", scope);
				return why;
			}
	}
	switch (act) {
	case ACT_ENABLE: case ACT_DISABLE: case ACT_DRAIN: case ACT_QUARANTINE:
	case ACT_RELEASE: case ACT_REROUTE: case ACT_ACK: case ACT_SILENCE:
	case ACT_EXPIRE_SILENCE: case ACT_APPROVE: case ACT_REJECT:
	case ACT_RETURN: case ACT_ASSIGN: case ACT_RESOLVE: case ACT_ADJUST:
		return NULL;
	default:
		return "not in this version";
	}
}

static void show_note(app *a)
{
	const char *note = cur_class(a)->note(a->views[a->cur]);
	if (note)
		app_message(a, MSG_INFO, note);
	snprintf(a->note_last, sizeof a->note_last, "%s", note ? note : "");
	a->note_view = a->cur;
}

/* The note of a filter follows its count while it is on the message line:
 * a count that comes later (a search on the cache's reader thread says
 * "searching..." first) or moves with the data is not left stale. */
static void note_follow(app *a)
{
	if (!a->note_last[0])
		return;
	if (!a->msg.shown || a->cur != a->note_view ||
	    strcmp(a->msg.text, a->note_last) != 0) {
		a->note_last[0] = '\0'; /* replaced or gone */
		return;
	}
	const char *note = cur_class(a)->note(a->views[a->cur]);
	if (note && strcmp(note, a->note_last) != 0) {
		app_message(a, MSG_INFO, note);
		snprintf(a->note_last, sizeof a->note_last, "%s", note);
	}
}

static void app_action(app *a, keymap_action act)
{
	const view_class *vc = cur_class(a);
	void *v = a->views[a->cur];
	switch (act) {
	case ACT_NONE:
		return;
	case ACT_VIEW_1: case ACT_VIEW_2: case ACT_VIEW_3: case ACT_VIEW_4:
	case ACT_VIEW_5: case ACT_VIEW_6: case ACT_VIEW_7: case ACT_VIEW_8:
		switch_view(a, (int)(act - ACT_VIEW_1));
		return;
	case ACT_NEXT_VIEW:
		switch_view(a, (a->cur + 1) % VIEW_COUNT);
		return;
	case ACT_PREV_VIEW:
		switch_view(a, (a->cur + VIEW_COUNT - 1) % VIEW_COUNT);
		return;
	case ACT_FILTER:
		if (!vc->set_filter) {
			app_message(a, MSG_WARN, "this pane has no filter");
			return;
		}
		snprintf(a->flt_saved, sizeof a->flt_saved, "%s", vc->filter(v));
		cmdline_open(a->flt, a->flt_saved);
		a->dirty |= DIRTY_MSG | DIRTY_HINTS;
		return;
	case ACT_COMMAND:
		cmdline_open(a->cmd, NULL);
		a->dirty |= DIRTY_MSG | DIRTY_HINTS;
		return;
	case ACT_HELP:
		cmd_help(a, NULL);
		return;
	case ACT_REDRAW:
		term_repaint_all();
		a->dirty = DIRTY_ALL;
		a->full = true;
		return;
	case ACT_REFRESH:
		cmd_refresh(a, NULL);
		return;
	case ACT_PAUSE:
		set_paused(a, !a->paused);
		return;
	case ACT_QUIT:
		ev_stop(a->ev);
		return;
	default:
		break;
	}
	if (vc->action(v, act) == VIEW_HANDLED) {
		a->dirty |= DIRTY_HINTS;
		return;
	}
	if (act == ACT_BACK && vc->filter && vc->filter(v)[0]) {
		vc->set_filter(v, ""); /* Esc with nothing to close: drop the filter */
		app_message(a, MSG_INFO, "filter cleared");
		return;
	}
	if (keymap_action_flags(act) & KEYMAP_WRITE) {
		char msg[300];
		const char *why = help_why(a, act);
		snprintf(msg, sizeof msg, "%s: %s", keymap_action_name(act),
			 why ? why : "not available in this pane");
		app_message(a, MSG_WARN, msg);
	}
}

static void app_key(app *a, wint_t ch, bool is_key_code)
{
	a->key_seen = true;
	if (is_key_code && ch == KEY_RESIZE)
		return; /* SIGWINCH does the work */
	if (confirm_active(a->box)) {
		if (confirm_feed(a->box, ch, is_key_code) || !confirm_active(a->box)) {
			a->dirty = DIRTY_ALL;
			a->full = true;
		}
		return;
	}
	if (cmdline_active(a->cmd)) {
		cmdline_result r = cmdline_feed(a->cmd, ch, is_key_code);
		a->dirty |= DIRTY_MSG | DIRTY_HINTS; /* the hints show Tab's matches */
		if (r == CMDLINE_ACCEPTED || r == CMDLINE_CANCELLED) {
			a->dirty |= DIRTY_HINTS;
			msgline_clear(&a->msg);
			if (r == CMDLINE_ACCEPTED) {
				char line[CMDLINE_MAX];
				snprintf(line, sizeof line, "%s", cmdline_text(a->cmd));
				run_command(a, line);
			}
		}
		return;
	}
	if (cmdline_active(a->flt)) {
		cmdline_result r = cmdline_feed(a->flt, ch, is_key_code);
		a->dirty |= DIRTY_MSG;
		if (r == CMDLINE_CANCELLED) {
			a->flt_pending = false;
			cur_class(a)->set_filter(a->views[a->cur], a->flt_saved);
			a->dirty |= DIRTY_BODY | DIRTY_HINTS;
			msgline_clear(&a->msg);
		} else if (r == CMDLINE_ACCEPTED) {
			filter_apply(a); /* the note below tells its count */
			a->dirty |= DIRTY_HINTS;
			msgline_clear(&a->msg);
			show_note(a);
		}
		return;
	}
	if (!a->help_open && cur_class(a)->key &&
	    cur_class(a)->key(a->views[a->cur], ch, is_key_code) == VIEW_HANDLED) {
		a->dirty |= DIRTY_HINTS;
		return;
	}
	keymap_action act = keymap_lookup(ch, is_key_code);
	if (a->help_open) {
		if (act == ACT_BACK || act == ACT_HELP || act == ACT_QUIT) {
			a->help_open = false;
			a->dirty = DIRTY_ALL;
			a->full = true;
			return;
		}
		if (help_handle(a->help, act))
			return;
		if (act == ACT_REDRAW || act == ACT_PAUSE || act == ACT_COMMAND ||
		    (act >= ACT_VIEW_1 && act <= ACT_PREV_VIEW))
			app_action(a, act);
		return;
	}
	app_action(a, act);
}

static void on_input(void *ctx, int fd, short revents)
{
	app *a = ctx;
	(void)fd;
	(void)revents;
	wint_t ch;
	int r;
	while ((r = term_read_key(&ch)) != ERR)
		app_key(a, ch, r == KEY_CODE_YES);
}

/* ---- signals ---- */

static void on_signal(void *ctx, app_sig s)
{
	app *a = ctx;
	switch (s) {
	case APP_SIG_RESIZE:
		if (term_resize()) {
			app_layout(a);
			a->key_seen = true; /* a resize is drawn even when paused */
		}
		break;
	case APP_SIG_CHILD:
		if (a->demo) {
			char msg[200];
			if (demo_reap(a->demo, msg, sizeof msg))
				app_message(a, MSG_ERROR, msg);
		}
		break;
	case APP_SIG_QUIT:
		ev_stop(a->ev);
		break;
	}
}

static void on_sync_changed(void *ctx)
{
	(void)ctx; /* the frame compares generations; nothing to do here */
}

/* ---- life cycle ---- */

static void app_free(app *a)
{
	for (int i = 0; i < VIEW_COUNT; i++)
		if (a->views[i])
			view_classes[i]->destroy(a->views[i]);
	confirm_free(a->box);
	act_free(a->act);
	flow_free(a->flow);
	if (a->fwd) {
		audit_fwd_pump(a->fwd, 0); /* last chance, never blocking */
		audit_fwd_close(a->fwd);
	}
	for (size_t i = 0; i < a->n_crit; i++)
		free(a->crit_fps[i]);
	free(a->crit_fps);
	help_free(a->help);
	cmdline_free(a->cmd);
	cmdline_free(a->flt);
	sources_free(a->src);
	sync_free(a->sy);
	audit_close(a->audit);
	http_free(a->http);
	store_free(a->st);
	if (a->ev)
		ev_free(a->ev);
}

int app_run(const app_opts *o)
{
	app A, *a = &A;
	memset(a, 0, sizeof *a);
	a->cfg = o->cfg;
	a->demo = o->demo;
	a->cur = 1; /* Channels */
	a->cur_y = a->cur_x = -2;
	msgline_init(&a->msg);

	char err[256];
	a->ev = ev_new();
	a->st = store_new();
	a->help = help_new();
	a->cmd = cmdline_new(":", CMD_HISTORY);
	a->flt = cmdline_new("/", CMD_HISTORY);
	http_opts ho = {
		.ca_file = o->cfg->ca_file, .client_cert = o->cfg->client_cert,
		.client_key = o->cfg->client_key, .insecure = o->insecure,
	};
	a->insecure = o->insecure;
	if (a->ev)
		a->http = http_new(a->ev, &ho);
	if (a->http && a->st)
		a->sy = sync_new(a->ev, a->http, a->st, o->cfg, o->token);
	/* The audit log: every action writes to it before it is sent. One that
	 * cannot be opened leaves the console readable but unable to act. */
	char *audit_path = cfg_audit_path(o->cfg);
	if (audit_open(audit_path, &a->audit, a->audit_err, sizeof a->audit_err) != 0)
		a->audit = NULL;
	else if (o->token)
		audit_set_secret(a->audit, o->token);
	free(audit_path);
	if (a->sy) {
		sources_env se = { .ev = a->ev, .http = a->http, .st = a->st,
				   .cfg = o->cfg, .token = o->token,
				   .audit = a->audit, .message = env_message,
				   .ctx = a };
		a->src = sources_new(&se);
	}
	a->box = confirm_new(o->cfg);
	if (a->sy) {
		const char *sname = o->cfg->n_sites ? o->cfg->sites[0].name : "";
		act_identity who = { .site = sname, .base_url = site_url,
				     .site_name = site_name, .site_ctx = a,
				     .token = o->token ? o->token : "" };
		a->act = act_new(a->ev, a->http, a->audit, a->st, &who);
		if (a->act) {
			act_options ao = { .timeout_ms = o->cfg->request_timeout_ms,
					   .confirm_share = o->cfg->confirm_share };
			act_set_options(a->act, &ao);
			if (o->cfg->read_only) {
				snprintf(a->ro_why, sizeof a->ro_why, "read-only mode");
				act_set_read_only(a->act, a->ro_why);
			}
		}
	}
	a->fwd_fd = -1;
	if (!a->ev || !a->st || !a->help || !a->cmd || !a->flt || !a->http ||
	    !a->sy || !a->src || !a->box || !a->act) {
		fprintf(stderr, "payops: out of memory setting up\n");
		app_free(a);
		return 1;
	}
	a->env = (view_env){ .st = a->st, .cfg = o->cfg,
			     .want_history = env_want_history,
			     .message = env_message, .confirm = env_confirm,
			     .jump = env_jump, .changed = env_changed,
			     .act = a->act, .am = sources_am(a->src),
			     .audit = a->audit, .cache = sync_cache(a->sy),
			     .ev = a->ev, .ctx = a };
	a->flow = flow_new(&a->env);
	a->env.flow = a->flow;
	if (!a->flow) {
		fprintf(stderr, "payops: out of memory setting up\n");
		app_free(a);
		return 1;
	}
	for (int i = 0; a->flow && i < VIEW_COUNT; i++) {
		a->views[i] = view_classes[i]->create(&a->env);
		if (!a->views[i]) {
			fprintf(stderr, "payops: out of memory setting up\n");
			app_free(a);
			return 1;
		}
	}
	help_set_why(a->help, help_why, a);
	cmdline_set_complete(a->cmd, complete_command, a);
	cmdline_set_on_change(a->flt, filter_changed, a);

	term_opts to;
	term_opts_default(&to);
	if (term_open(&to, err, sizeof err) != 0) {
		fprintf(stderr, "payops: %s\n", err);
		app_free(a);
		return 1;
	}
	ev_io_set(a->ev, term_fd(), POLLIN, on_input, a);
	if (app_signals_add(a->ev, a->demo != NULL, on_signal, a) != 0)
		app_message(a, MSG_WARN, "some signals could not be watched");
	ev_set_before_wait(a->ev, app_frame, a);
	sync_set_listener(a->sy, on_sync_changed, a);

	app_layout(a);
	app_message(a, MSG_INFO, "connecting...   ? shows the keys, q quits");
	if (!a->audit)
		app_message(a, MSG_ERROR, a->audit_err);
	fwd_open(a);
	sync_start(a->sy);
	sources_start(a->src);
	int rc = ev_run(a->ev);

	term_close();
	app_free(a);
	return rc == 0 ? 0 : 1;
}
