/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/watch.c: the message line and what the frame notices by itself:
 * sync and decode errors, who the operator is (read-only when the token
 * writes nothing; the actions a killed console left), new critical
 * alerts, failover notices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "tui/app_int.h"

void app_message(app *a, msgline_severity sev, const char *text)
{
	msgline_set(&a->msg, sev, text, ev_now_ms(),
		    sev >= MSG_ERROR ? MSG_LONG_TTL_MS : MSG_TTL_MS);
	a->dirty |= DIRTY_MSG;
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
void app_collect_errors(app *a)
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
			/* TRANSLATORS: site name, then ", platform VERSION" or nothing */
			snprintf(t, sizeof t, _("connected to %s%s%s"), si->name,
				 st && st->platform_version ? _(", platform ") : "",
				 st && st->platform_version ? st->platform_version : "");
			app_message_quiet(a, MSG_OK, t);
		} else if (si->state == SITE_UP && a->site_err[0]) {
			char t[200];
			a->site_err[0] = '\0';
			snprintf(t, sizeof t, _("%s answers again"), si->name);
			app_message(a, MSG_OK, t);
			/* what failed while it did not answer is over: a poll's
			 * error from the outage, not yet shown, must not take
			 * the message line from the news that it is back */
			for (int c = 0; c < STORE__N; c++)
				a->coll_err_at[c] = store_meta_get(a->st, (store_coll)c)->error_at;
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
		snprintf(t, sizeof t, _("resolved 1 interrupted action from the last "
			 "session: %s"), a->res_last);
	else
		snprintf(t, sizeof t, _("resolved %zu interrupted actions from the last "
			 "session: %zu applied, %zu failed, %zu still unknown%s "
			 "(payops audit list)"), n, a->res_applied, a->res_failed,
			 a->res_unknown, a->res_unasked ? _(", some not asked yet") : "");
	app_message(a, a->res_unknown || a->res_failed || a->res_unasked ?
		    MSG_WARN : MSG_OK, t);
	a->dirty |= DIRTY_BODY | DIRTY_STATUS;
	app_fwd_pump(a, 0); /* rows were appended */
}

/* /v1/me answered: the operator for the Alertmanagers, read-only when the
 * token has no write scope at all, and the intents a killed console left. */
void app_me_seen(app *a)
{
	const api_me *me = store_me(a->st);
	if (a->me_seen || !me)
		return;
	a->me_seen = true;
	if (me->operator_id)
		sources_set_operator(a->src, me->operator_id);
	unsigned w = 0; /* every scope a command writes with */
	for (size_t i = 0; i < cmd_count(); i++)
		w |= cmd_at(i)->scopes;
	if (!a->ro_why[0] && !(me->scopes & w)) {
		snprintf(a->ro_why, sizeof a->ro_why, _("read-only mode: the token of "
			 "%s has no write scope"), me->operator_id ? me->operator_id : "?");
		act_set_read_only(a->act, a->ro_why);
		help_refresh(a->help);
		app_message(a, MSG_WARN, a->ro_why);
	}
	if (a->audit && !a->ro_why[0])
		act_resolve_unresolved(a->act, on_resolved, on_resolve_done, a);
	a->dirty |= DIRTY_HINTS | DIRTY_STATUS;
}

/* The ids the watches have told of: whether id is among the n of v, and
 * keeping a copy of it (false when out of memory). */
static bool seen_has(char *const *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], id) == 0)
			return true;
	return false;
}

static bool seen_add(char ***v, size_t *n, size_t *cap, const char *id)
{
	if (vec_grow(v, cap, *n, 1, sizeof **v) != 0)
		return false;
	char *d = strdup(id);
	if (!d)
		return false;
	(*v)[(*n)++] = d;
	return true;
}

/* A critical alert whose fingerprint was not firing before: one bell and
 * one notice per alert, however often the lists are fetched. */
void app_watch_alerts(app *a)
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
		if (!fp || seen_has(a->crit_fps, a->n_crit, fp))
			continue;
		if (!seen_add(&a->crit_fps, &a->n_crit, &a->cap_crit, fp))
			return;
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
	snprintf(t, sizeof t, fresh > 1 ?
		 /* TRANSLATORS: the alert's title; 7 is the key of the Alerts pane */
		 _("NEW CRITICAL alerts: %s (and more: 7 lists them)") :
		 _("NEW CRITICAL alert: %s (7 lists alerts)"),
		 first->title ? first->title : first->id);
	app_message(a, MSG_ALERT, t);
}

void app_watch_approvals(app *a)
{
	uint64_t g = store_meta_get(a->st, STORE_APPROVALS)->gen + store_meta_get(a->st, STORE_ME)->gen;
	if (g == a->apr_gen)
		return;
	a->apr_gen = g;
	const api_me *me = store_me(a->st);
	const char *op = me && me->operator_id ? me->operator_id : "";
	size_t n = store_approval_count(a->st), fresh = 0;
	const api_approval *first = NULL;
	a->apr_waiting = 0;
	for (size_t i = 0; i < n; i++) {
		const api_approval *ap = store_approval_at(a->st, i);
		if (ap->state != APR_PENDING || strcmp(ap->requested_by, op) == 0)
			continue;
		a->apr_waiting++;
		if (seen_has(a->apr_seen, a->n_apr_seen, ap->id))
			continue;
		if (!seen_add(&a->apr_seen, &a->n_apr_seen, &a->cap_apr_seen, ap->id))
			break;
		if (!first)
			first = ap;
		fresh++;
	}
	if (a->flow)
		ops_follow_approvals(flow_ops(a->flow));
	if (!a->apr_baseline) {
		a->apr_baseline = store_meta_get(a->st, STORE_APPROVALS)->fetched_at != 0 || n > 0;
		if (a->apr_baseline)
			return; /* waiting before we looked: not new */
	}
	if (!fresh)
		return;
	char t[600];
	snprintf(t, sizeof t, fresh > 1 ?
		 /* TRANSLATORS: operator, kind, target, effect; 9 is the key of the Approvals pane */
		 _("awaiting your approval: %s asks %s %s: %s (and more: 9 lists them)") :
		 _("awaiting your approval: %s asks %s %s: %s (9 lists approvals)"),
		 first->requested_by, first->kind, first->target_id, first->effect);
	app_message(a, MSG_WARN, t);
}

void app_watch_notice(app *a)
{
	time_t at = 0;
	const char *n = a->sy ? sync_notice(a->sy, &at) : NULL;
	if (n && *n && at != a->notice_at) {
		a->notice_at = at;
		app_message(a, MSG_WARN, n);
	}
}
