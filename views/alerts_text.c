/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/alerts_text.c: how the Alerts pane reads an alert and a silence,
 * cell by cell, and what it looks up to say so (the store, the
 * Alertmanagers, the runner's marks). */
#include "views/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/actflow.h"
#include "base/i18n.h"
#include "widgets/fmt.h"

const char *alerts_label(const api_alert *a, const char *key)
{
	for (size_t i = 0; i < a->n_labels; i++)
		if (a->labels[i].key && strcmp(a->labels[i].key, key) == 0)
			return a->labels[i].value;
	return NULL;
}

const char *alerts_key(const api_alert *a)
{
	return a->fingerprint && *a->fingerprint ? a->fingerprint :
	       a->id ? a->id : "";
}

const api_alert *alerts_find(const alert_view *v, const char *key, size_t hint)
{
	const api_alert *a = store_alert_at(v->env.st, hint);
	if (a && strcmp(alerts_key(a), key) == 0)
		return a;
	size_t n = store_alert_count(v->env.st);
	for (size_t i = 0; i < n; i++) {
		a = store_alert_at(v->env.st, i);
		if (a && strcmp(alerts_key(a), key) == 0)
			return a;
	}
	return NULL;
}

/* Does Alertmanager s report this fingerprint in its last poll? Its raw
 * state ("active", "suppressed") in *state when it does. */
/* The first Alertmanager reporting the alert (NULL: none). */
am_server *alerts_am(const alert_view *v, const api_alert *a)
{
	if (!v->env.am)
		return NULL;
	size_t n = am_hub_count(v->env.am);
	for (size_t i = 0; i < n; i++) {
		am_server *s = am_hub_at(v->env.am, i);
		if (am_alert_seen(s, a->fingerprint, NULL))
			return s;
	}
	if (a->source && strcmp(a->source, "platform") != 0)
		return am_hub_find(v->env.am, a->source);
	return NULL;
}

static bool alert_from_platform(const alert_view *v, const api_alert *a)
{
	if (!a->source || strcmp(a->source, "platform") == 0)
		return true;
	(void)v;
	return false;
}

/* Silenced: an Alertmanager says "suppressed" or names silences. */
bool alerts_silenced(const alert_view *v, const api_alert *a)
{
	if (a->state_raw && strcmp(a->state_raw, "suppressed") == 0)
		return true;
	if (!v->env.am)
		return false;
	size_t n = am_hub_count(v->env.am);
	for (size_t i = 0; i < n; i++) {
		const char *st = NULL;
		am_server *s = am_hub_at(v->env.am, i);
		if (am_alert_seen(s, a->fingerprint, &st) && st &&
		    strcmp(st, "suppressed") == 0)
			return true;
		if (am_alert_silenced_by(s, a->fingerprint, NULL) > 0)
			return true;
	}
	return false;
}

/* "platform", "am-test", "platform+am-test". */
void alerts_sources(const alert_view *v, const api_alert *a, char *out,
		    size_t sz)
{
	size_t len = 0;
	out[0] = '\0';
	bool platform = alert_from_platform(v, a);
	if (platform)
		len = (size_t)snprintf(out, sz, "platform");
	bool any_am = false;
	if (v->env.am) {
		size_t n = am_hub_count(v->env.am);
		for (size_t i = 0; i < n && len < sz; i++) {
			am_server *s = am_hub_at(v->env.am, i);
			if (!am_alert_seen(s, a->fingerprint, NULL))
				continue;
			any_am = true;
			len += (size_t)snprintf(out + len, sz - len, "%s%s",
						len ? "+" : "", am_server_name(s));
		}
	}
	if (!platform && !any_am)
		snprintf(out, sz, "%s", a->source ? a->source : "-");
}

/* The runner's word for an action in flight on key ("ack", "silence",
 * "expire"), or NULL. */
static const char *in_flight(const alert_view *v, const char *key)
{
	const ops_mark *m = ops_mark_of(flow_ops(v->env.flow), key);
	return m && m->phase == OPS_IN_FLIGHT ? m->what : NULL;
}

/* "<1m", "12m", "3h05m", "2d4h". */
static void fmt_age(char *out, size_t sz, time_t starts, time_t now)
{
	if (!starts) {
		snprintf(out, sz, "-");
		return;
	}
	long long s = (long long)(now - starts);
	if (s < 60)
		snprintf(out, sz, "<1m");
	else if (s < 3600)
		snprintf(out, sz, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(out, sz, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(out, sz, "%lldd%lldh", s / 86400, s % 86400 / 3600);
}

term_role alerts_severity(char *out, size_t sz, const api_alert *a)
{
	switch (a->severity) {
	case AS_CRITICAL: snprintf(out, sz, "!! critical"); return ROLE_CRIT;
	case AS_WARNING: snprintf(out, sz, "! warning"); return ROLE_WARN;
	case AS_INFO: snprintf(out, sz, "i info"); return ROLE_NORMAL;
	default: {
		char e[64];
		fmt_enum(e, sizeof e, NULL, a->severity_raw && *a->severity_raw ?
			 a->severity_raw : "none");
		snprintf(out, sz, "? %s", e);
		return ROLE_NORMAL;
	}
	}
}

/* "firing", "resolved", "silenced"; plus the action in flight. */
term_role alerts_state(const alert_view *v, const api_alert *a, char *out,
		       size_t sz)
{
	term_role role = ROLE_NORMAL;
	char base[64];
	if (a->state == AST_RESOLVED) {
		/* with how long it fired */
		char d[32] = "";
		if (a->starts_at && a->ends_at >= a->starts_at)
			fmt_age(d, sizeof d, a->starts_at, a->ends_at);
		if (d[0])
			/* TRANSLATORS: %s is how long the alert fired, "3h05m" */
			snprintf(base, sizeof base, _("resolved %s"), d);
		else
			snprintf(base, sizeof base, "%s", _("resolved"));
		role = ROLE_DIM;
	} else if (alerts_silenced(v, a)) {
		snprintf(base, sizeof base, "%s", _("silenced"));
		role = ROLE_DIM;
	} else if (a->state == AST_FIRING) {
		snprintf(base, sizeof base, "%s", _("firing"));
	} else {
		fmt_enum(base, sizeof base, NULL, a->state_raw);
	}
	const char *w = in_flight(v, alerts_key(a));
	if (w && strcmp(w, "expire") != 0) {
		snprintf(out, sz, "%s ~%s...", base, w);
		return ROLE_INFO;
	}
	snprintf(out, sz, "%s", base);
	return role;
}

static void fmt_labels(const api_alert *a, char *out, size_t sz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < a->n_labels && len < sz; i++)
		len += (size_t)snprintf(out + len, sz - len, "%s%s=%s",
					i ? " " : "",
					a->labels[i].key ? a->labels[i].key : "",
					a->labels[i].value ? a->labels[i].value : "");
}

void alerts_matchers(const am_silence *s, char *out, size_t sz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < s->n_matchers && len < sz; i++) {
		const am_matcher *m = &s->matchers[i];
		const char *rel = m->is_regex ? (m->is_equal ? "=~" : "!~") :
				  (m->is_equal ? "=" : "!=");
		len += (size_t)snprintf(out + len, sz - len, "%s%s%s\"%s\"",
					i ? " " : "", m->name ? m->name : "", rel,
					m->value ? m->value : "");
	}
}

void alerts_group_value(const alert_view *v, const api_alert *a, char *out,
			size_t sz)
{
	const char *s = NULL;
	switch (v->group) {
	case G_CHANNEL: s = alerts_label(a, "channel_id"); break;
	case G_ALERTNAME: s = alerts_label(a, "alertname"); break;
	case G_SEVERITY:
		s = a->severity < AS_UNKNOWN ? api_alert_severity_str(a->severity) :
		    a->severity_raw;
		break;
	case G_SOURCE: alerts_sources(v, a, out, sz); return;
	default: break;
	}
	snprintf(out, sz, "%s", s && *s ? s : _("(none)"));
}

/* ---- the alert cells ---- */

int alerts_alert_text(const alert_view *v, const api_alert *a, int col,
		      char *buf, size_t sz, int *role)
{
	switch (col) {
	case A_SEV: *role = alerts_severity(buf, sz, a); break;
	case A_STATE: *role = alerts_state(v, a, buf, sz); break;
	case A_TITLE: snprintf(buf, sz, "%s", a->title ? a->title : ""); break;
	case A_SOURCE: alerts_sources(v, a, buf, sz); break;
	case A_AGE: fmt_age(buf, sz, a->starts_at, v->now); break;
	case A_ACKED: snprintf(buf, sz, "%s", a->acked_by ? a->acked_by : "-"); break;
	case A_LABELS: fmt_labels(a, buf, sz); break;
	default: return -1;
	}
	return 0;
}

int alerts_alert_cell(void *ctx, size_t row, int col, char *buf, size_t sz,
		      int *role)
{
	alert_view *v = ctx;
	if (row >= v->n_rows)
		return -1;
	const arow *r = &v->rows[row];
	if (r->group) {
		/* the whole line is painted over in draw(); this is what
		 * shows should that not happen */
		if (col == A_SEV)
			snprintf(buf, sz, "-- %s", r->key);
		return 0;
	}
	const api_alert *a = alerts_find(v, r->key, r->src);
	if (!a)
		return -1;
	return alerts_alert_text(v, a, col, buf, sz, role);
}

const am_silence *alerts_silence_of(const alert_view *v, const srow *r,
				    am_server **srv)
{
	am_server *s = v->env.am ? am_hub_find(v->env.am, r->srv) : NULL;
	if (srv)
		*srv = s;
	if (!s)
		return NULL;
	const am_silence *x = am_silence_at(s, r->idx);
	if (x && x->id && strcmp(x->id, r->id) == 0)
		return x;
	return am_silence_find(s, r->id);
}

int alerts_silence_text(const alert_view *v, const srow *r, int col,
			char *buf, size_t sz, int *role)
{
	const am_silence *x = alerts_silence_of(v, r, NULL);
	if (!x)
		return -1;
	switch (col) {
	case S_SERVER: snprintf(buf, sz, "%s", r->srv); break;
	case S_ID: snprintf(buf, sz, "%s", x->id); break;
	case S_STATE: {
		const char *w = in_flight(v, x->id);
		if (w && strcmp(w, "expire") == 0) {
			snprintf(buf, sz, "%s", _("~expiring..."));
			*role = ROLE_INFO;
			break;
		}
		fmt_enum(buf, sz, x->state == AM_SIL_UNKNOWN ? NULL :
			 am_silence_state_str(x->state), x->state_raw);
		if (x->state == AM_SIL_EXPIRED)
			*role = ROLE_DIM;
		break;
	}
	case S_MATCHERS: alerts_matchers(x, buf, sz); break;
	case S_BY: snprintf(buf, sz, "%s", x->created_by ? x->created_by : ""); break;
	case S_COMMENT: snprintf(buf, sz, "%s", x->comment ? x->comment : ""); break;
	case S_ENDS: fmt_time(buf, sz, x->ends_at, v->now); break;
	default: return -1;
	}
	return 0;
}

int alerts_silence_cell(void *ctx, size_t row, int col, char *buf, size_t sz,
			int *role)
{
	alert_view *v = ctx;
	if (row >= v->n_srows)
		return -1;
	return alerts_silence_text(v, &v->srows[row], col, buf, sz, role);
}
