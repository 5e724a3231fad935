/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/status.c: the status bar (site and its peers, the age of the data,
 * the indexes being built, the operator, READ-ONLY, PAUSED, the alert
 * counts) and the timers that repaint what the clock alone changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "text/text.h"
#include "tui/app_int.h"

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

static const char *site_state(sync_site_state s)
{
	return s == SITE_UP ? _("up") :
	       s == SITE_CONNECTING ? _("connecting") : _("FAILING");
}

void app_status_text(app *a, time_t now)
{
	char site[160], data[64], who[160] = "", flags[64] = "";
	snprintf(site, sizeof site, "%s", _("no site"));
	if (a->sy && sync_site_count(a->sy) > 0) {
		const sync_site_info *si = sync_site(a->sy, sync_active_site(a->sy));
		int len = snprintf(site, sizeof site, "%s: %s%s", si->name,
				   site_state(si->state),
				   si->state == SITE_UP && !si->stream_open ?
				   /* TRANSLATORS: after "up": no event stream, the site is polled */
				   _(" (polling)") : "");
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
					o->name, site_state(o->state),
					age[0] ? " " : "", age);
		}
	}
	const store_meta *m = store_meta_get(a->st, STORE_CHANNELS);
	long stale_s = a->cfg->stale_after_ms / 1000;
	if (stale_s < 1)
		stale_s = 1;
	if (m->fetched_at == 0) {
		snprintf(data, sizeof data, "%s", _("no data yet"));
	} else if (m->from_cache) {
		/* the last known picture from the cache: say so, with its age */
		char age[32];
		time_format_age(now - m->fetched_at, age, sizeof age);
		/* TRANSLATORS: status bar; %s is an age such as "3m" */
		snprintf(data, sizeof data, _("CACHED %s old"), age);
	} else if (now - m->fetched_at > stale_s && !app_streaming(a)) {
		char age[32];
		time_format_age(now - m->fetched_at, age, sizeof age);
		/* TRANSLATORS: status bar; %s is an age such as "12s" */
		snprintf(data, sizeof data, _("STALE %s"), age);
	} else if (a->paused) {
		/* paused, the screen holds still: its data is not live */
		snprintf(data, sizeof data, "%s", _("data held"));
	} else {
		snprintf(data, sizeof data, "%s", _("data live"));
	}
	const api_me *me = store_me(a->st);
	if (me && me->operator_id)
		snprintf(who, sizeof who, "  %s%s%s%s", me->operator_id,
			 me->display_name ? " (" : "",
			 me->display_name ? me->display_name : "",
			 me->display_name ? ")" : "");
	if (a->ro_why[0])
		snprintf(flags, sizeof flags, "  %s", _("READ-ONLY"));
	if (a->paused) {
		size_t l = strlen(flags);
		snprintf(flags + l, sizeof flags - l, "  %s", _("PAUSED"));
	}
	/* a first load's indexes are being built (seconds at a million
	 * rows): the big panes read rows meanwhile, and are slower */
	char build[96] = "";
	cache_build_info bi;
	cache *ca = a->sy ? sync_cache(a->sy) : NULL;
	if (ca && cache_build_status(ca, &bi)) {
		static const char *const names[] = { [API_KIND_CASE] = N_("cases"),
			[API_KIND_BREAK] = N_("breaks"), [API_KIND_LIMIT] = N_("limits") };
		const char *what = bi.kind >= 0 && (size_t)bi.kind < sizeof names / sizeof names[0] &&
				   names[bi.kind] ? _(names[bi.kind]) : _("cache");
		char age[32];
		time_format_age((ev_now_ms() - bi.started_ms) / 1000, age, sizeof age);
		/* TRANSLATORS: status bar: what is indexed (cases, breaks...),
		 * the step of the build, its age */
		snprintf(build, sizeof build, _("  indexing %s: %s %s"), what,
			 bi.step ? bi.step : "", age);
	}
	char fwd[64] = "";
	struct audit_fwd_lag lag;
	if (a->fwd && audit_fwd_lag(a->fwd, &lag) == 0 && lag.behind > 0 && lag.since > 0) {
		char lag_age[32];
		time_format_age((int64_t)now - lag.since, lag_age, sizeof lag_age);
		/* TRANSLATORS: status bar: audit records not yet forwarded, since when */
		snprintf(fwd, sizeof fwd, _("  audit fwd: %lld behind %s"), (long long)lag.behind, lag_age);
	}
	snprintf(a->status_left, sizeof a->status_left, "%s payops  %s  %s%s%s%s%s",
		 a->insecure ? _(" INSECURE: TLS NOT VERIFIED ") : "", site, data,
		 build, fwd, who, flags);

	size_t c[AS_UNKNOWN + 1];
	store_alert_counts(a->st, c);
	char apr[64] = "";
	if (a->apr_waiting)
		/* TRANSLATORS: status bar, right: approvals waiting for someone
		 * other than this operator */
		snprintf(apr, sizeof apr, _("%zu awaiting approval  "), a->apr_waiting);
	char al[sizeof a->status_right];
	if (c[AS_CRITICAL] + c[AS_WARNING] + c[AS_INFO] == 0)
		snprintf(al, sizeof al, "%s", _("alerts: none firing "));
	else
		snprintf(al, sizeof al,
			 /* TRANSLATORS: status bar, right: firing alerts by severity */
			 _("alerts: %zu critical %zu warning %zu info "),
			 c[AS_CRITICAL], c[AS_WARNING], c[AS_INFO]);
	snprintf(a->status_right, sizeof a->status_right, "%s%.*s", apr,
		 (int)(sizeof a->status_right - strlen(apr) - 1), al);
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
	long due = v && !a->help_open ? app_cur_class(a)->due_in_ms(v, now) : -1;
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

void app_arm_timers(app *a, time_t now)
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
