/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/approvals.c - four eyes (contract v1.1): a mutation the platform holds
 * for a second operator becomes an approval; approving re-validates it
 * against the target as it is then and applies it, unless what operators set
 * on the target moved; rejecting closes it; an undecided one expires. World
 * locked throughout. */
#include "sim/world.h"
#include "sim/auth.h"
#include "sim/http.h" /* sim_status_title, for a failed approval's problem */
#include "sim/util.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_APPROVALS 999999 /* six digits keep the ids in list order */

const char *const sim_approval_state_names[] = {"pending", "approved", "rejected", "expired", "failed", NULL};

void sim_approval_id(const struct sim_approval *a, char *out, size_t cap)
{
	snprintf(out, cap, "apr_%06u", a->seq);
}

long sim_find_approval(const struct sim_world *w, const char *id)
{
	if (strncmp(id, "apr_", 4) != 0 || !isdigit((unsigned char)id[4]))
		return -1;
	char *end;
	errno = 0;
	unsigned long seq = strtoul(id + 4, &end, 10);
	if (errno || *end || seq < 1 || seq > w->nap)
		return -1;
	char canon[32];
	sim_approval_id(&w->ap[seq - 1], canon, sizeof canon);
	return strcmp(canon, id) == 0 ? (long)(seq - 1) : -1;
}

static const char *target_id(const struct sim_world *w, const struct sim_approval *a)
{
	return a->target_type == SIM_APR_CHANNEL ? w->ch[a->target].id : w->rt[a->target].id;
}

static uint32_t target_version(const struct sim_world *w, const struct sim_approval *a)
{
	return a->target_type == SIM_APR_CHANNEL ? w->ch[a->target].version : w->rt[a->target].version;
}

/* What operators set on the target (sim/world.h: ctl): a channel's admin and
 * interface states, a route's configured weights and override. Live metrics
 * move the target's version every tick, never this. */
static uint32_t target_ctl(const struct sim_world *w, const struct sim_approval *a)
{
	return a->target_type == SIM_APR_CHANNEL ? w->ch[a->target].ctl : w->rt[a->target].ctl;
}

static json_t *target_json(const struct sim_world *w, const struct sim_approval *a)
{
	return a->target_type == SIM_APR_CHANNEL ? sim_channel_json(w, a->target) : sim_route_json(w, a->target);
}

json_t *sim_approval_json(const struct sim_world *w, size_t i)
{
	const struct sim_approval *a = &w->ap[i];
	char id[32], kind[48];
	sim_approval_id(a, id, sizeof id);
	if (a->target_type == SIM_APR_CHANNEL)
		snprintf(kind, sizeof kind, "channel.%s", sim_action_names[a->action]);
	else
		snprintf(kind, sizeof kind, "route.weights");
	int decided = a->decided_by[0] != '\0';
	/* copies: the answer is encoded after the world is unlocked */
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I}",
			 "id", id, "state", sim_approval_state_names[a->state], "kind", kind,
			 "target_type", a->target_type == SIM_APR_CHANNEL ? "channel" : "route",
			 "target_id", target_id(w, a), "request", json_deep_copy(a->request),
			 "effect", a->effect, "target_version", (json_int_t)a->target_version,
			 "requested_by", a->requested_by, "requested_at", sim_json_time(a->requested_at),
			 "expires_at", sim_json_time(a->expires_at),
			 "decided_by", decided ? json_string(a->decided_by) : json_null(),
			 "decided_at", decided ? sim_json_time(a->decided_at) : json_null(),
			 "decision_reason", a->decision_reason ? json_string(a->decision_reason) : json_null(),
			 "result", a->result ? json_deep_copy(a->result) : json_null(),
			 "version", (json_int_t)a->version);
}

/* A new pending approval; takes request. Its index, or -1 with *e set. */
static long add(struct sim_world *w, int type, size_t target, unsigned scope, int action, int iface,
		json_t *request, const char *effect, const char *by, struct sim_err *e)
{
	if (!request) {
		sim_err_set(e, 500, "internal_error", "out of memory%s", "");
		return -1;
	}
	if (w->nap >= MAX_APPROVALS) {
		json_decref(request);
		sim_err_set(e, 503, "approvals_exhausted", "this simulator holds at most %d approvals", MAX_APPROVALS);
		return -1;
	}
	if (w->nap == w->cap_ap) {
		size_t cap = w->cap_ap ? w->cap_ap * 2 : 64;
		struct sim_approval *n = realloc(w->ap, cap * sizeof *n);
		if (!n) {
			json_decref(request);
			sim_err_set(e, 500, "internal_error", "out of memory%s", "");
			return -1;
		}
		w->ap = n;
		w->cap_ap = cap;
	}
	char *eff = strdup(effect);
	if (!eff) {
		json_decref(request);
		sim_err_set(e, 500, "internal_error", "out of memory%s", "");
		return -1;
	}
	struct sim_approval *a = &w->ap[w->nap];
	memset(a, 0, sizeof *a);
	a->seq = (uint32_t)w->nap + 1;
	a->state = SIM_APR_PENDING;
	a->target_type = (uint8_t)type;
	a->target = target;
	a->scope = scope;
	a->action = action;
	a->iface = iface;
	a->request = request;
	a->effect = eff;
	a->target_version = target_version(w, a);
	a->target_ctl = target_ctl(w, a);
	snprintf(a->requested_by, sizeof a->requested_by, "%s", by);
	a->requested_at = w->now;
	a->expires_at = w->now + w->approval_ttl_s;
	size_t i = w->nap++;
	sim_touch_approval(w, i); /* version 1, and the "created" event */
	return (long)i;
}

static json_t *opt_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

long sim_approval_hold_channel(struct sim_world *w, size_t ci, int action, int iface, const char *by,
			       const char *reason, const char *ticket, struct sim_err *e)
{
	const struct sim_channel *c = &w->ch[ci];
	int to = sim_channel_plan(w, ci, action, iface, e);
	if (to < 0)
		return -1;
	char effect[320];
	if (iface >= 0)
		snprintf(effect, sizeof effect, "%s interface %s: %s -> %s; the channel carries %.1f%% of traffic", c->id,
			 sim_iface_names[iface], sim_admin_names[c->if_state[iface]], sim_admin_names[to], c->share * 100);
	else
		snprintf(effect, sizeof effect, "%s: %s -> %s; carries %.1f%% of traffic", c->id,
			 sim_admin_names[c->admin], sim_admin_names[to], c->share * 100);
	json_t *req = json_pack("{s:s,s:o,s:s,s:o}", "action", sim_action_names[action], "interface",
				iface >= 0 ? json_string(sim_iface_names[iface]) : json_null(), "reason", reason,
				"ticket", opt_string(ticket));
	return add(w, SIM_APR_CHANNEL, ci, SIM_SC_CHANNELS, action, iface, req, effect, by, e);
}

long sim_approval_hold_weights(struct sim_world *w, size_t ri, const struct sim_weight_req *req, size_t n,
			       int64_t expires_at, const char *by, const char *reason, const char *ticket,
			       struct sim_err *e)
{
	const struct sim_route *r = &w->rt[ri];
	int nw[SIM_MAX_MEMBERS];
	if (sim_route_check_weights(w, ri, req, n, nw, e))
		return -1;
	char effect[1024], t[32];
	size_t o = (size_t)snprintf(effect, sizeof effect, "%s:", r->id);
	int listed = 0;
	for (int k = 0; k < r->nm && o < sizeof effect; k++)
		if (nw[k] != r->m[k].weight)
			o += (size_t)snprintf(effect + o, sizeof effect - o, "%s %s %d -> %d", listed++ ? "," : "",
					      w->ch[r->m[k].ch].id, r->m[k].weight, nw[k]);
	if (o < sizeof effect)
		o += (size_t)snprintf(effect + o, sizeof effect - o, "%s moves %d points of traffic",
				      listed ? ";" : " no change;", sim_route_moved_points(w, ri, nw));
	if (expires_at && o < sizeof effect) {
		sim_fmt_time(expires_at, t, sizeof t);
		snprintf(effect + o, sizeof effect - o, "; override until %s", t);
	}
	json_t *ws = json_array();
	for (size_t j = 0; ws && j < n; j++)
		if (json_array_append_new(ws, json_pack("{s:s,s:I}", "channel_id", req[j].channel_id, "weight_pct",
							(json_int_t)req[j].weight))) {
			json_decref(ws);
			ws = NULL;
		}
	json_t *body = ws ? json_pack("{s:o,s:o,s:s,s:o}", "weights", ws, "expires_at",
				      expires_at ? sim_json_time(expires_at) : json_null(), "reason", reason, "ticket",
				      opt_string(ticket))
			  : NULL;
	return add(w, SIM_APR_ROUTE, ri, SIM_SC_ROUTING, -1, -1, body, effect, by, e);
}

/* a problem object, as a direct request would have been answered */
static json_t *problem(int status, const char *code, const char *detail, const char *request_id)
{
	char type[128];
	snprintf(type, sizeof type, "urn:payops:problem:%s", code);
	return json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}", "type", type, "title", sim_status_title(status), "status", status,
			 "detail", detail, "code", code, "request_id", request_id);
}

/* The weights of a held route request, back as the world takes them. */
static size_t held_weights(const struct sim_approval *a, struct sim_weight_req *req)
{
	size_t n = 0, k;
	json_t *it;
	json_array_foreach(json_object_get(a->request, "weights"), k, it) {
		if (n == SIM_MAX_MEMBERS * 2)
			break;
		const char *id = json_string_value(json_object_get(it, "channel_id"));
		snprintf(req[n].channel_id, sizeof req[n].channel_id, "%s", id ? id : "");
		req[n++].weight = (long long)json_integer_value(json_object_get(it, "weight_pct"));
	}
	return n;
}

/* The request cannot be applied to the target as it is now: what operators
 * set on it moved (why NULL), or re-validating the request against it found
 * why. Say what it is now, and refuse. */
static json_t *moved_problem(const struct sim_world *w, const struct sim_approval *a, const char *why,
			     const char *request_id)
{
	char now[400], d[768];
	struct sim_err e;
	if (a->target_type == SIM_APR_CHANNEL) {
		const struct sim_channel *c = &w->ch[a->target];
		int to = sim_channel_plan(w, a->target, a->action, a->iface, &e);
		if (to < 0)
			snprintf(now, sizeof now, "it is now %s and the request no longer applies (%s)",
				 sim_admin_names[c->admin], e.detail);
		else
			snprintf(now, sizeof now, "it is now %s, carrying %.1f%% of traffic", sim_admin_names[c->admin],
				 c->share * 100);
	} else {
		struct sim_weight_req req[SIM_MAX_MEMBERS * 2];
		int nw[SIM_MAX_MEMBERS];
		size_t n = held_weights(a, req);
		if (sim_route_check_weights(w, a->target, req, n, nw, &e))
			snprintf(now, sizeof now, "the weights no longer apply (%s)", e.detail);
		else
			snprintf(now, sizeof now, "they would now move %d points of traffic",
				 sim_route_moved_points(w, a->target, nw));
	}
	if (why)
		snprintf(d, sizeof d, "%s changed since the request (version %u, now %u) and the request no longer "
			 "applies: %s; nothing was applied, request it again if it is still wanted",
			 target_id(w, a), a->target_version, target_version(w, a), why);
	else
		snprintf(d, sizeof d, "%s was changed by an operator since the request (version %u, now %u): %s; "
			 "nothing was applied, request it again if it is still wanted",
			 target_id(w, a), a->target_version, target_version(w, a), now);
	json_t *p = problem(412, "version_conflict", d, request_id);
	if (p)
		json_object_set_new(p, "current", target_json(w, a));
	return p;
}

/* Apply a held request to the target as it is now, re-validated on the way
 * (the state machine, the route's rules). 0 ok; -1 with *e. */
static int apply(struct sim_world *w, const struct sim_approval *a, struct sim_err *e)
{
	if (a->target_type == SIM_APR_CHANNEL)
		return sim_channel_apply(w, a->target, a->action, a->iface, a->requested_by, e);
	struct sim_weight_req req[SIM_MAX_MEMBERS * 2];
	size_t n = held_weights(a, req);
	int64_t expires = 0;
	json_t *ex = json_object_get(a->request, "expires_at");
	if (json_is_string(ex)) {
		if (sim_parse_time(json_string_value(ex), &expires) || expires <= w->now) {
			sim_err_set(e, 400, "invalid_field", "expires_at %s has passed", json_string_value(ex));
			return -1;
		}
	}
	json_t *t = json_object_get(a->request, "ticket");
	return sim_route_set_weights(w, a->target, req, n, expires, a->requested_by,
				     json_string_value(json_object_get(a->request, "reason")),
				     json_is_string(t) ? json_string_value(t) : NULL, e);
}

int sim_approval_decide(struct sim_world *w, size_t i, int approve, const char *by, const char *reason,
			const char *request_id, struct sim_err *e)
{
	struct sim_approval *a = &w->ap[i];
	char *why = strdup(reason);
	if (!why) {
		sim_err_set(e, 500, "internal_error", "out of memory%s", "");
		return -1;
	}
	json_t *result = NULL;
	int state = SIM_APR_REJECTED;
	if (approve && target_ctl(w, a) != a->target_ctl) {
		/* another operator acted on it meanwhile: this decision was made on a picture that is gone */
		result = moved_problem(w, a, NULL, request_id);
		state = SIM_APR_FAILED;
	} else if (approve) {
		/* only live metrics moved it, if anything: re-validate and apply */
		struct sim_err ae;
		if (apply(w, a, &ae) == 0) {
			result = target_json(w, a); /* the target's own events went out as it changed */
			state = SIM_APR_APPROVED;
		} else if (ae.status == 500) {
			free(why);
			*e = ae;
			return -1;
		} else {
			result = target_version(w, a) != a->target_version
					 ? moved_problem(w, a, ae.detail, request_id)
					 : problem(ae.status, ae.code, ae.detail, request_id);
			state = SIM_APR_FAILED;
		}
	}
	a->state = (uint8_t)state;
	a->result = result;
	snprintf(a->decided_by, sizeof a->decided_by, "%s", by);
	a->decided_at = w->now;
	a->decision_reason = why;
	sim_touch_approval(w, i);
	return 0;
}

void sim_approvals_expire(struct sim_world *w)
{
	while (w->ap_oldest_pending < w->nap && w->ap[w->ap_oldest_pending].state != SIM_APR_PENDING)
		w->ap_oldest_pending++;
	/* one TTL for every approval, so expiries come in creation order */
	for (size_t i = w->ap_oldest_pending; i < w->nap; i++) {
		struct sim_approval *a = &w->ap[i];
		if (a->state != SIM_APR_PENDING)
			continue;
		if (a->expires_at > w->now)
			break;
		a->state = SIM_APR_EXPIRED;
		sim_touch_approval(w, i);
	}
}

void sim_approvals_free(struct sim_world *w)
{
	for (size_t i = 0; i < w->nap; i++) {
		json_decref(w->ap[i].request);
		json_decref(w->ap[i].result);
		free(w->ap[i].effect);
		free(w->ap[i].decision_reason);
	}
	free(w->ap);
	w->ap = NULL;
	w->nap = w->cap_ap = 0;
}
