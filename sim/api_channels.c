/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api_channels.c - the /v1 mutations of channels and routes: channel
 * actions and route weights, applied at once or held for approval */
#include "sim/api.h"
#include "sim/util.h"
#include <stdio.h>
#include <string.h>

/* 202: the change waits for a second operator as approval ai (or, ai < 0, *e
 * says why it could not be held). what/target: the target as it stands. */
static void reply_held(struct sim_req *rq, struct sim_resp *rs, long ai, const struct sim_err *e, const char *what,
		       json_t *target, uint32_t version)
{
	struct sim_world *w = rq->w;
	char aid[32], apid[32];
	if (ai < 0) {
		json_decref(target);
		sim_api_err_reply(rq, rs, e);
		return;
	}
	snprintf(aid, sizeof aid, "act_%06llu", (unsigned long long)++w->action_seq);
	sim_approval_id(&w->ap[ai], apid, sizeof apid);
	json_t *o = json_pack("{s:{s:s,s:s,s:s},s:o}", "action", "id", aid, "status", "pending_approval",
			      "approval_id", apid, what, target);
	sim_api_reply(rs, 202, o, version);
}

void sim_api_post_channel_action(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct sim_api_mut m;
	int action, iface;
	if (sim_api_mut_begin(rq, rs, SIM_SC_CHANNELS, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_channel(w, id);
	if (sim_api_mut_target(rq, rs, "channel", id, i, i < 0 ? 0 : w->ch[i].version, sim_channel_json, 1))
		goto out;
	if (sim_api_enum_field(rq, rs, m.body, "action", sim_action_names, 1, &action) ||
	    sim_api_enum_field(rq, rs, m.body, "interface", sim_iface_names, 0, &iface))
		goto out;
	struct sim_err e;
	int pending;
	if (sim_channel_act(w, (size_t)i, action, iface, rq->tok->operator_id, &pending, &e)) {
		sim_api_err_reply(rq, rs, &e);
	} else if (pending) {
		long ai = sim_approval_hold_channel(w, (size_t)i, action, iface, rq->tok->operator_id, m.reason,
						    m.ticket, &e);
		reply_held(rq, rs, ai, &e, "channel", sim_channel_json(w, (size_t)i), w->ch[i].version);
	} else {
		char aid[32];
		snprintf(aid, sizeof aid, "act_%06llu", (unsigned long long)++w->action_seq);
		json_t *o = json_pack("{s:{s:s,s:s},s:o}", "action", "id", aid, "status", "applied", "channel",
				      sim_channel_json(w, (size_t)i));
		sim_api_reply(rs, 200, o, w->ch[i].version);
	}
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}

void sim_api_post_route_weights(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct sim_api_mut m;
	if (sim_api_mut_begin(rq, rs, SIM_SC_ROUTING, &m))
		return;
	struct sim_world *w = rq->w;
	struct sim_weight_req req[SIM_MAX_MEMBERS * 2];
	size_t n = 0;
	int64_t expires = 0;
	long i = sim_find_route(w, id);
	if (sim_api_mut_target(rq, rs, "route", id, i, i < 0 ? 0 : w->rt[i].version, sim_route_json, 1))
		goto out;
	json_t *ws = json_object_get(m.body, "weights"), *it;
	size_t k;
	if (!json_is_array(ws)) {
		sim_api_problem(rs, rq, 400, "invalid_field", "weights must be an array of {channel_id, weight_pct}");
		goto out;
	}
	const char *ex = sim_api_jstr(m.body, "expires_at");
	json_t *exv = json_object_get(m.body, "expires_at");
	if (exv && !json_is_null(exv)) {
		if (!ex || sim_parse_time(ex, &expires)) {
			sim_api_problem(rs, rq, 400, "invalid_field", "expires_at must be an RFC 3339 time");
			goto out;
		}
		if (expires <= w->now) {
			sim_api_problem(rs, rq, 400, "invalid_field", "expires_at must be in the future");
			goto out;
		}
	}
	if (json_array_size(ws) > SIM_MAX_MEMBERS * 2) {
		sim_resp_problem(rs, rq, 422, "invalid_weights", "more weights than the route has members", NULL);
		sim_api_mut_store(rq, rs, &m);
		goto out;
	}
	json_array_foreach(ws, k, it) {
		const char *cid = sim_api_jstr(it, "channel_id");
		json_t *wp = json_object_get(it, "weight_pct");
		if (!json_is_object(it) || !cid || !json_is_integer(wp) || strlen(cid) >= sizeof req[0].channel_id) {
			sim_resp_problem(rs, rq, 422, "invalid_weights",
					 "each weight needs a channel_id and an integer weight_pct", NULL);
			sim_api_mut_store(rq, rs, &m);
			goto out;
		}
		snprintf(req[n].channel_id, sizeof req[n].channel_id, "%s", cid);
		req[n].weight = (long long)json_integer_value(wp);
		n++;
	}
	struct sim_err e;
	int nw[SIM_MAX_MEMBERS];
	if (sim_route_check_weights(w, (size_t)i, req, n, nw, &e)) {
		sim_api_err_reply(rq, rs, &e);
	} else if (w->approval_weight_pct >= 0 && sim_route_moved_points(w, (size_t)i, nw) > w->approval_weight_pct) {
		long ai = sim_approval_hold_weights(w, (size_t)i, req, n, expires, rq->tok->operator_id, m.reason,
						    m.ticket, &e);
		reply_held(rq, rs, ai, &e, "route", sim_route_json(w, (size_t)i), w->rt[i].version);
	} else if (sim_route_set_weights(w, (size_t)i, req, n, expires, rq->tok->operator_id, m.reason, m.ticket,
					 &e)) {
		sim_api_err_reply(rq, rs, &e);
	} else {
		sim_api_reply(rs, 200, sim_route_json(w, (size_t)i), w->rt[i].version);
	}
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}
