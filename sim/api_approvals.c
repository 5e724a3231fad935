/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api_approvals.c - POST /v1/approvals/{id}/decision: a second operator
 * approves or rejects a held mutation (four eyes, contract v1.1). Reading
 * approvals goes through api_lists.c like every other object. */
#include "sim/api.h"
#include "sim/util.h"
#include <stdio.h>
#include <string.h>

void sim_api_post_approval_decision(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	static const char *const decisions[] = {"approve", "reject", NULL};
	struct sim_world *w = rq->w;
	/* the decider needs the write scope the request needed: known from the approval */
	pthread_mutex_lock(&w->lock);
	long i = sim_find_approval(w, id);
	unsigned scope = i >= 0 ? w->ap[i].scope : 0;
	pthread_mutex_unlock(&w->lock);
	if (i < 0) {
		sim_api_problem(rs, rq, 404, "not_found", "no approval %.200s", id);
		return;
	}
	struct sim_api_mut m;
	int dec;
	if (sim_api_mut_begin(rq, rs, scope, &m))
		return;
	sim_approvals_expire(w); /* one that is due is no longer pending */
	struct sim_approval *a = &w->ap[i];
	if (sim_api_if_match(rq, rs, a->version, sim_approval_json, (size_t)i, 1) ||
	    sim_api_enum_field(rq, rs, m.body, "decision", decisions, 1, &dec))
		goto out;
	if (strcmp(a->requested_by, rq->tok->operator_id) == 0) {
		sim_api_problem(rs, rq, 403, "self_approval_forbidden",
				"%s requested this change; a different operator must decide it", a->requested_by);
		goto out;
	}
	if (a->state != SIM_APR_PENDING) {
		sim_api_problem(rs, rq, 409, "approval_not_pending", "approval %.40s is %s, no longer pending", id,
				sim_approval_state_names[a->state]);
		sim_api_mut_store(rq, rs, &m);
		goto out;
	}
	struct sim_err e;
	if (sim_approval_decide(w, (size_t)i, dec == 0, rq->tok->operator_id, m.reason, rq->request_id, &e))
		sim_api_err_reply(rq, rs, &e);
	else
		sim_api_reply(rs, 200, sim_approval_json(w, (size_t)i), a->version);
	sim_api_mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	sim_api_mut_free(&m);
}
