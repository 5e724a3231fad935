/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/world_ops.c - every change to the world: version bumps, events, and the
 * operator actions with the state machines behind them */
#include "sim/world.h"
#include "sim/util.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void emit(struct sim_world *w, int type, json_t *obj)
{
	if (!obj)
		return;
	if (w->emit_events) {
		char *s = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(10));
		if (s && sim_events_push(&w->ev, type, s, strlen(s)))
			pthread_cond_broadcast(&w->cond);
		else
			free(s);
	}
	json_decref(obj);
}

void sim_touch_channel(struct sim_world *w, size_t i)
{
	w->ch[i].version++;
	w->ch[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_CHANNEL, sim_channel_json(w, i));
}
void sim_touch_route(struct sim_world *w, size_t i)
{
	w->rt[i].version++;
	w->rt[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_ROUTE, sim_route_json(w, i));
}
void sim_touch_case(struct sim_world *w, size_t i)
{
	w->cs[i].version++;
	w->cs[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_CASE, sim_case_json(w, i));
}
void sim_touch_break(struct sim_world *w, size_t i)
{
	w->br[i].version++;
	w->br[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_BREAK, sim_break_json(w, i));
}
void sim_touch_limit(struct sim_world *w, size_t i)
{
	w->lm[i].version++;
	w->lm[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_LIMIT, sim_limit_json(w, i));
}
void sim_touch_alert(struct sim_world *w, size_t i)
{
	w->al[i].version++;
	w->al[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_ALERT, sim_alert_json(w, i));
}

void sim_touch_approval(struct sim_world *w, size_t i)
{
	w->ap[i].version++;
	w->ap[i].updated_at = w->now;
	if (w->emit_events)
		emit(w, SIM_EV_APPROVAL, sim_approval_json(w, i));
}

void sim_err_set(struct sim_err *e, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	e->status = status;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof e->detail, fmt, ap);
	va_end(ap);
}

/* ---- channels and routes ---- */

int sim_channel_eligible(const struct sim_channel *c)
{
	return c->admin == SIM_ADM_ENABLED && c->health != SIM_H_DOWN && c->breaker != SIM_BR_OPEN &&
	       c->breaker != SIM_BR_FORCED_OPEN;
}

/* Effective weights: the configured (base) weights, with every ineligible
 * member's share moved to the eligible ones in proportion to their base
 * weights (largest remainder, so the sum stays exactly 100). With no eligible
 * member left the base weights stand: there is nowhere to move traffic. */
int sim_route_redistribute(struct sim_world *w, size_t ri)
{
	struct sim_route *r = &w->rt[ri];
	int neweight[SIM_MAX_MEMBERS], el[SIM_MAX_MEMBERS], ne = 0, se = 0, changed = 0;
	double rem[SIM_MAX_MEMBERS];
	for (int k = 0; k < r->nm; k++) {
		el[k] = sim_channel_eligible(&w->ch[r->m[k].ch]);
		if (el[k]) {
			ne++;
			se += r->m[k].base;
		}
	}
	int got = 0;
	for (int k = 0; k < r->nm; k++) {
		rem[k] = -1;
		if (ne == 0) {
			neweight[k] = r->m[k].base;
			continue;
		}
		if (!el[k]) {
			neweight[k] = 0;
			continue;
		}
		double exact = se > 0 ? 100.0 * r->m[k].base / se : 100.0 / ne;
		neweight[k] = (int)floor(exact + 1e-9);
		rem[k] = exact - neweight[k];
		got += neweight[k];
	}
	if (ne > 0)
		while (got < 100) {
			int best = -1;
			for (int k = 0; k < r->nm; k++)
				if (el[k] && (best < 0 || rem[k] > rem[best]))
					best = k;
			neweight[best]++;
			rem[best] = -2;
			got++;
		}
	for (int k = 0; k < r->nm; k++) {
		if (r->m[k].weight != neweight[k] || r->m[k].eligible != el[k])
			changed = 1;
		r->m[k].weight = neweight[k];
		r->m[k].eligible = el[k];
	}
	return changed;
}

void sim_channel_refresh_routes(struct sim_world *w, size_t ci)
{
	for (size_t ri = 0; ri < w->nrt; ri++)
		for (int k = 0; k < w->rt[ri].nm; k++)
			if (w->rt[ri].m[k].ch == (int)ci) {
				if (sim_route_redistribute(w, ri))
					sim_touch_route(w, ri);
				break;
			}
}

/* The state an action would move the channel (or one interface) to; -1 with
 * *e set when the state machine forbids it. Changes nothing. */
int sim_channel_plan(const struct sim_world *w, size_t ci, int action, int iface, struct sim_err *e)
{
	const struct sim_channel *c = &w->ch[ci];
	if (iface >= 0) {
		if (!c->if_has[iface]) {
			sim_err_set(e, 422, "unknown_interface", "channel has no interface %s", sim_iface_names[iface]);
			return -1;
		}
		if (c->admin == SIM_ADM_QUARANTINED) {
			sim_err_set(e, 409, "invalid_transition", "channel is quarantined: release it before acting on %s",
				sim_iface_names[iface]);
			return -1;
		}
		int cur = c->if_state[iface], to;
		switch (action) {
		case SIM_ACT_ENABLE: to = SIM_ADM_ENABLED; break;
		case SIM_ACT_DISABLE: to = SIM_ADM_DISABLED; break;
		case SIM_ACT_DRAIN: to = SIM_ADM_DRAINING; break;
		default:
			sim_err_set(e, 409, "invalid_transition", "%s applies to a whole channel, not to one interface",
				sim_action_names[action]);
			return -1;
		}
		if (cur == to || (to == SIM_ADM_DRAINING && cur != SIM_ADM_ENABLED)) {
			char d[128];
			snprintf(d, sizeof d, "interface %s is %s", sim_iface_names[iface], sim_admin_names[cur]);
			sim_err_set(e, 409, "invalid_transition", "%s", d);
			return -1;
		}
		return to;
	}
	int cur = c->admin, to = -1;
	switch (action) {
	case SIM_ACT_ENABLE:
		if (cur == SIM_ADM_DISABLED || cur == SIM_ADM_DRAINING)
			to = SIM_ADM_ENABLED;
		break;
	case SIM_ACT_DISABLE:
		if (cur == SIM_ADM_ENABLED || cur == SIM_ADM_DRAINING)
			to = SIM_ADM_DISABLED;
		break;
	case SIM_ACT_DRAIN:
		if (cur == SIM_ADM_ENABLED)
			to = SIM_ADM_DRAINING;
		break;
	case SIM_ACT_QUARANTINE:
		if (cur != SIM_ADM_QUARANTINED)
			to = SIM_ADM_QUARANTINED;
		break;
	case SIM_ACT_RELEASE:
		if (cur == SIM_ADM_QUARANTINED)
			to = SIM_ADM_DISABLED;
		break;
	}
	if (to < 0) {
		char d[160];
		snprintf(d, sizeof d, "cannot %s a channel that is %s%s", sim_action_names[action], sim_admin_names[cur],
			 cur == SIM_ADM_QUARANTINED && action != SIM_ACT_RELEASE ? " (release it first)" : "");
		sim_err_set(e, 409, "invalid_transition", "%s", d);
		return -1;
	}
	return to;
}

/* --approval-share: taking a busy channel out of traffic waits for a second operator */
int sim_channel_needs_approval(const struct sim_world *w, size_t ci, int action, int iface)
{
	return iface < 0 && w->approval_share >= 0 && w->ch[ci].share > w->approval_share &&
	       (action == SIM_ACT_DISABLE || action == SIM_ACT_DRAIN || action == SIM_ACT_QUARANTINE);
}

int sim_channel_apply(struct sim_world *w, size_t ci, int action, int iface, const char *by, struct sim_err *e)
{
	struct sim_channel *c = &w->ch[ci];
	int to = sim_channel_plan(w, ci, action, iface, e);
	if (to < 0)
		return -1;
	c->ctl++;
	if (iface >= 0) {
		c->if_state[iface] = (uint8_t)to;
	} else {
		c->admin = (uint8_t)to;
		if (to == SIM_ADM_QUARANTINED)
			c->breaker = SIM_BR_FORCED_OPEN;
		else if (c->breaker == SIM_BR_FORCED_OPEN)
			c->breaker = SIM_BR_CLOSED;
		c->breaker_changed = w->now;
		if (to == SIM_ADM_DISABLED || to == SIM_ADM_QUARANTINED) {
			/* no traffic, nothing for the window to judge */
			c->tps = 0;
			c->share = 0;
			c->health = SIM_H_UNKNOWN;
		} else if (to == SIM_ADM_ENABLED && c->health == SIM_H_UNKNOWN) {
			c->health = c->incident_until ? SIM_H_DOWN : SIM_H_HEALTHY;
		}
	}
	snprintf(c->updated_by, sizeof c->updated_by, "%s", by);
	sim_touch_channel(w, ci);
	sim_channel_refresh_routes(w, ci);
	return 0;
}

int sim_channel_act(struct sim_world *w, size_t ci, int action, int iface, const char *by, int *pending,
		    struct sim_err *e)
{
	*pending = 0;
	if (sim_channel_plan(w, ci, action, iface, e) < 0)
		return -1;
	if (sim_channel_needs_approval(w, ci, action, iface)) {
		*pending = 1;
		return 0;
	}
	return sim_channel_apply(w, ci, action, iface, by, e);
}

/* The configured weights a request asks for, member by member, into nw[];
 * -1 with *e set when the request breaks a rule. Changes nothing. */
int sim_route_check_weights(const struct sim_world *w, size_t ri, const struct sim_weight_req *req, size_t n,
			    int *nw, struct sim_err *e)
{
	const struct sim_route *r = &w->rt[ri];
	int seen[SIM_MAX_MEMBERS] = {0};
	long long sum = 0;
	for (int k = 0; k < r->nm; k++)
		nw[k] = 0;
	if (n == 0) {
		sim_err_set(e, 422, "invalid_weights", "weights must list the members%s", "");
		return -1;
	}
	for (size_t j = 0; j < n; j++) {
		int k;
		for (k = 0; k < r->nm; k++)
			if (strcmp(w->ch[r->m[k].ch].id, req[j].channel_id) == 0)
				break;
		if (k == r->nm) {
			sim_err_set(e, 422, "invalid_weights", "%s is not a member of this route", req[j].channel_id);
			return -1;
		}
		if (seen[k]) {
			sim_err_set(e, 422, "invalid_weights", "%s is listed twice", req[j].channel_id);
			return -1;
		}
		if (req[j].weight < 0 || req[j].weight > 100) {
			sim_err_set(e, 422, "invalid_weights", "weight of %s must be 0..100", req[j].channel_id);
			return -1;
		}
		seen[k] = 1;
		nw[k] = (int)req[j].weight;
		sum += req[j].weight;
	}
	if (sum != 100) {
		char d[64];
		snprintf(d, sizeof d, "%lld", sum);
		sim_err_set(e, 422, "invalid_weights", "weights must sum to 100, not %s", d);
		return -1;
	}
	for (int k = 0; k < r->nm; k++)
		if (nw[k] > 0 && !sim_channel_eligible(&w->ch[r->m[k].ch])) {
			sim_err_set(e, 409, "channel_not_routable", "%s is not eligible and cannot take weight",
				w->ch[r->m[k].ch].id);
			return -1;
		}
	return 0;
}

/* Points of traffic that new weights nw[] move: what the members gain over the
 * weights served now (equal to what the others lose, both sums being 100). */
int sim_route_moved_points(const struct sim_world *w, size_t ri, const int *nw)
{
	const struct sim_route *r = &w->rt[ri];
	int moved = 0;
	for (int k = 0; k < r->nm; k++)
		if (nw[k] > r->m[k].weight)
			moved += nw[k] - r->m[k].weight;
	return moved;
}

int sim_route_set_weights(struct sim_world *w, size_t ri, const struct sim_weight_req *req, size_t n,
			  int64_t expires_at, const char *by, const char *reason, const char *ticket,
			  struct sim_err *e)
{
	struct sim_route *r = &w->rt[ri];
	int nw[SIM_MAX_MEMBERS];
	if (sim_route_check_weights(w, ri, req, n, nw, e))
		return -1;
	if (expires_at) {
		char *why = strdup(reason ? reason : "");
		if (!why) {
			sim_err_set(e, 500, "internal_error", "out of memory%s", "");
			return -1;
		}
		if (!r->has_override)
			for (int k = 0; k < r->nm; k++)
				r->saved_base[k] = r->m[k].base;
		r->has_override = 1;
		snprintf(r->ov_by, sizeof r->ov_by, "%s", by);
		snprintf(r->ov_ticket, sizeof r->ov_ticket, "%s", ticket ? ticket : "");
		free(r->ov_reason);
		r->ov_reason = why;
		r->ov_expires = expires_at;
	} else {
		r->has_override = 0;
		free(r->ov_reason);
		r->ov_reason = NULL;
	}
	for (int k = 0; k < r->nm; k++)
		r->m[k].base = nw[k];
	r->ctl++;
	sim_route_redistribute(w, ri);
	sim_touch_route(w, ri);
	return 0;
}

/* ---- onboarding ---- */

static int case_final(int stage)
{
	return stage == SIM_STAGE_APPROVED || stage == SIM_STAGE_REJECTED;
}

int sim_case_decide(struct sim_world *w, size_t i, int decision, const char *assignee, struct sim_err *e)
{
	struct sim_case *c = &w->cs[i];
	int to = -1;
	switch (decision) {
	case SIM_DEC_APPROVE:
		if (c->stage == SIM_STAGE_MANUAL_REVIEW || c->stage == SIM_STAGE_INTENT_CONFIRM)
			to = SIM_STAGE_APPROVED;
		break;
	case SIM_DEC_REJECT:
		if (!case_final(c->stage))
			to = SIM_STAGE_REJECTED;
		break;
	case SIM_DEC_RETURN:
		if (!case_final(c->stage) && c->stage != SIM_STAGE_RETURNED)
			to = SIM_STAGE_RETURNED;
		break;
	case SIM_DEC_ASSIGN:
		if (!case_final(c->stage)) {
			char *a = strdup(assignee);
			if (!a) {
				sim_err_set(e, 500, "internal_error", "out of memory%s", "");
				return -1;
			}
			free(c->assignee);
			c->assignee = a;
			sim_touch_case(w, i);
			return 0;
		}
		break;
	}
	if (to < 0) {
		char d[96];
		snprintf(d, sizeof d, "cannot %s a case in stage %s", sim_decision_names[decision], sim_stage_names[c->stage]);
		sim_err_set(e, 409, "invalid_transition", "%s", d);
		return -1;
	}
	c->stage = (uint8_t)to;
	sim_touch_case(w, i);
	return 0;
}

/* ---- reconciliation ---- */

int sim_break_resolve(struct sim_world *w, size_t i, int action, const char *by, const char *note,
		      const char *ref, int has_adj, int64_t adj, const char *assignee, struct sim_err *e)
{
	struct sim_break *b = &w->br[i];
	int st = b->status, to = -1;
	int active = st == SIM_BS_OPEN || st == SIM_BS_INVESTIGATING || st == SIM_BS_ESCALATED;
	switch (action) {
	case SIM_RES_MATCH:
	case SIM_RES_ADJUST:
		if (active)
			to = SIM_BS_RESOLVED;
		break;
	case SIM_RES_WRITE_OFF:
		if (active)
			to = SIM_BS_WRITTEN_OFF;
		break;
	case SIM_RES_ESCALATE:
		if (st == SIM_BS_OPEN || st == SIM_BS_INVESTIGATING)
			to = SIM_BS_ESCALATED;
		break;
	case SIM_RES_INVESTIGATE:
		if (st == SIM_BS_OPEN || st == SIM_BS_ESCALATED)
			to = SIM_BS_INVESTIGATING;
		break;
	case SIM_RES_REOPEN:
		if (!active)
			to = SIM_BS_OPEN;
		break;
	case SIM_RES_ASSIGN:
		if (active)
			to = st;
		break;
	}
	if (to < 0) {
		char d[96];
		snprintf(d, sizeof d, "cannot %s a break that is %s", sim_resolve_names[action], sim_break_status_names[st]);
		sim_err_set(e, 409, "invalid_transition", "%s", d);
		return -1;
	}
	if (action == SIM_RES_ASSIGN) {
		char *a = strdup(assignee);
		if (!a) {
			sim_err_set(e, 500, "internal_error", "out of memory%s", "");
			return -1;
		}
		free(b->assignee);
		b->assignee = a;
	} else if (action == SIM_RES_REOPEN) {
		if (b->res) {
			free(b->res->note);
			free(b->res->by);
			free(b->res->ref);
			free(b->res);
			b->res = NULL;
		}
	} else if (to == SIM_BS_RESOLVED || to == SIM_BS_WRITTEN_OFF) {
		struct sim_resolution *r = calloc(1, sizeof *r);
		if (!r || !(r->note = strdup(note ? note : "")) || !(r->by = strdup(by)) ||
		    (ref && !(r->ref = strdup(ref)))) {
			if (r) {
				free(r->note);
				free(r->by);
				free(r);
			}
			sim_err_set(e, 500, "internal_error", "out of memory%s", "");
			return -1;
		}
		r->action = (uint8_t)action;
		r->at = w->now;
		r->has_adjustment = has_adj;
		r->adjustment = adj;
		if (b->res) {
			free(b->res->note);
			free(b->res->by);
			free(b->res->ref);
			free(b->res);
		}
		b->res = r;
	}
	b->status = (uint8_t)to;
	sim_touch_break(w, i);
	return 0;
}

/* ---- limits ---- */

void sim_limit_recompute(struct sim_limit *l)
{
	if (l->used_minor >= l->limit_minor)
		l->state = SIM_LS_BREACHED;
	else if ((double)l->used_minor >= l->warn_at * (double)l->limit_minor)
		l->state = SIM_LS_WARNING;
	else
		l->state = SIM_LS_OK;
}

int sim_limit_adjust(struct sim_world *w, size_t i, int64_t limit_minor, int has_warn, double warn_at,
		     struct sim_err *e)
{
	struct sim_limit *l = &w->lm[i];
	if (limit_minor <= 0) {
		sim_err_set(e, 400, "invalid_field", "limit_minor must be a positive integer%s", "");
		return -1;
	}
	if (has_warn && !(warn_at > 0 && warn_at <= 1)) {
		sim_err_set(e, 400, "invalid_field", "warn_at must be in (0, 1]%s", "");
		return -1;
	}
	l->limit_minor = limit_minor;
	if (has_warn)
		l->warn_at = warn_at;
	sim_limit_recompute(l);
	sim_touch_limit(w, i);
	return 0;
}

/* ---- alerts ---- */

size_t sim_alert_fire(struct sim_world *w, int severity, const char *title, const char *summary,
		      const char *label_key, const char *label_value)
{
	/* one firing alert per fingerprint: a repeat refreshes the existing one */
	char fp[17];
	char basis[512];
	snprintf(basis, sizeof basis, "%s=%s|%s", label_key ? label_key : "", label_value ? label_value : "", title);
	snprintf(fp, sizeof fp, "%016llx", (unsigned long long)sim_fnv1a(basis, strlen(basis), SIM_FNV_INIT));
	for (size_t i = 0; i < w->nal; i++)
		if (w->al[i].state == SIM_AL_FIRING && strcmp(w->al[i].fingerprint, fp) == 0)
			return i;
	if (w->nal == w->cap_al) {
		size_t cap = w->cap_al ? w->cap_al * 2 : 64;
		struct sim_alert *n = realloc(w->al, cap * sizeof *n);
		if (!n)
			return w->nal ? w->nal - 1 : 0;
		w->al = n;
		w->cap_al = cap;
	}
	struct sim_alert *a = &w->al[w->nal];
	memset(a, 0, sizeof *a);
	a->seq = w->nal ? w->al[w->nal - 1].seq + 1 : 1;
	memcpy(a->fingerprint, fp, sizeof fp);
	a->severity = (uint8_t)severity;
	a->state = SIM_AL_FIRING;
	a->title = strdup(title);
	a->summary = strdup(summary ? summary : "");
	if (label_key) {
		a->label_key = strdup(label_key);
		a->label_value = strdup(label_value ? label_value : "");
	}
	a->starts_at = w->now;
	a->version = 0;
	size_t i = w->nal++;
	sim_touch_alert(w, i);
	return i;
}

void sim_alert_resolve(struct sim_world *w, size_t i)
{
	if (i >= w->nal || w->al[i].state == SIM_AL_RESOLVED)
		return;
	w->al[i].state = SIM_AL_RESOLVED;
	w->al[i].ends_at = w->now;
	sim_touch_alert(w, i);
}

int sim_alert_ack(struct sim_world *w, size_t i, const char *by)
{
	char *a = strdup(by);
	if (!a)
		return -1;
	free(w->al[i].acked_by);
	w->al[i].acked_by = a;
	sim_touch_alert(w, i);
	return 0;
}
