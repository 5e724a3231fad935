/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api_queues.c - the /v1 mutations of the work queues: onboarding
 * decisions, break resolutions, limit adjustments, alert acks */
#include "sim/api.h"
#include "sim/util.h"
#include <stdio.h>
#include <string.h>

void sim_api_post_case_decision(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct sim_api_mut m;
	int dec;
	const char *assignee;
	if (sim_api_mut_begin(rq, rs, SIM_SC_ONBOARDING, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_case(w, id);
	if (sim_api_mut_target(rq, rs, "case", id, i, i < 0 ? 0 : w->cs[i].version, sim_case_json, 1))
		goto out;
	if (sim_api_enum_field(rq, rs, m.body, "decision", sim_decision_names, 1, &dec) ||
	    sim_api_short_string(rq, rs, m.body, "assignee", &assignee))
		goto out;
	if (dec == SIM_DEC_ASSIGN && !assignee) {
		sim_api_problem(rs, rq, 400, "invalid_field", "assign needs an assignee");
		goto out;
	}
	struct sim_err e;
	if (sim_case_decide(w, (size_t)i, dec, assignee, &e))
		sim_api_err_reply(rq, rs, &e);
	else
		sim_api_reply(rs, 200, sim_case_json(w, (size_t)i), w->cs[i].version);
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}

void sim_api_post_break_resolve(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct sim_api_mut m;
	int act;
	const char *assignee, *ref = NULL;
	if (sim_api_mut_begin(rq, rs, SIM_SC_RECON, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_break(w, id);
	if (sim_api_mut_target(rq, rs, "break", id, i, i < 0 ? 0 : w->br[i].version, sim_break_json, 1))
		goto out;
	if (sim_api_enum_field(rq, rs, m.body, "action", sim_resolve_names, 1, &act) ||
	    sim_api_short_string(rq, rs, m.body, "assignee", &assignee))
		goto out;
	json_t *cr = json_object_get(m.body, "counterpart_ref"), *adj = json_object_get(m.body, "adjustment_minor");
	if (act == SIM_RES_MATCH) {
		if (!json_is_string(cr) || !*json_string_value(cr) || sim_utf8_chars(json_string_value(cr)) > 128) {
			sim_api_problem(rs, rq, 400, "invalid_field", "match needs counterpart_ref (1..128 characters)");
			goto out;
		}
		ref = json_string_value(cr);
	}
	if (act == SIM_RES_ADJUST && !json_is_integer(adj)) {
		sim_api_problem(rs, rq, 400, "invalid_field", "adjust needs an integer adjustment_minor");
		goto out;
	}
	if (act == SIM_RES_ASSIGN && !assignee) {
		sim_api_problem(rs, rq, 400, "invalid_field", "assign needs an assignee");
		goto out;
	}
	struct sim_err e;
	if (sim_break_resolve(w, (size_t)i, act, rq->tok->operator_id, m.reason, ref, act == SIM_RES_ADJUST,
			      act == SIM_RES_ADJUST ? (int64_t)json_integer_value(adj) : 0, assignee, &e))
		sim_api_err_reply(rq, rs, &e);
	else
		sim_api_reply(rs, 200, sim_break_json(w, (size_t)i), w->br[i].version);
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}

void sim_api_post_limit_adjust(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct sim_api_mut m;
	if (sim_api_mut_begin(rq, rs, SIM_SC_LIMITS, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_limit(w, id);
	if (sim_api_mut_target(rq, rs, "limit", id, i, i < 0 ? 0 : w->lm[i].version, sim_limit_json, 1))
		goto out;
	json_t *lv = json_object_get(m.body, "limit_minor"), *wa = json_object_get(m.body, "warn_at");
	if (!json_is_integer(lv) || json_integer_value(lv) <= 0) {
		sim_api_problem(rs, rq, 400, "invalid_field", "limit_minor must be a positive integer (minor units)");
		goto out;
	}
	if (wa && !json_is_null(wa) && (!json_is_number(wa) || !(json_number_value(wa) > 0 && json_number_value(wa) <= 1))) {
		sim_api_problem(rs, rq, 400, "invalid_field", "warn_at must be a number in (0, 1]");
		goto out;
	}
	struct sim_err e;
	int has_warn = wa && !json_is_null(wa);
	if (sim_limit_adjust(w, (size_t)i, (int64_t)json_integer_value(lv), has_warn, has_warn ? json_number_value(wa) : 0, &e))
		sim_api_err_reply(rq, rs, &e);
	else
		sim_api_reply(rs, 200, sim_limit_json(w, (size_t)i), w->lm[i].version);
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}

void sim_api_post_alert_ack(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct sim_api_mut m;
	if (sim_api_mut_begin(rq, rs, SIM_SC_ALERTS, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_alert(w, id);
	if (sim_api_mut_target(rq, rs, "alert", id, i, i < 0 ? 0 : w->al[i].version, sim_alert_json, 0))
		goto out;
	if (sim_alert_ack(w, (size_t)i, rq->tok->operator_id)) {
		sim_api_problem(rs, rq, 500, "internal_error", "out of memory");
		goto out;
	}
	sim_api_reply(rs, 200, sim_alert_json(w, (size_t)i), w->al[i].version);
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}
