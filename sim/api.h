/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api.h - what the /v1 handler files share: problem answers, versioned
 * object replies, the mutation plumbing (api_mut.c), and the handlers the
 * router in api.c dispatches to */
#ifndef SIM_API_H
#define SIM_API_H
#include "sim/http.h"

/* ---- answers (api.c) ---- */
void sim_api_problem(struct sim_resp *rs, const struct sim_req *rq, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* 200/202 with a versioned object: the ETag is the quoted version. Steals o. */
void sim_api_reply(struct sim_resp *rs, int status, json_t *o, uint32_t version);

/* ---- mutations (api_mut.c) ---- */
struct sim_api_mut {
	json_t *body;
	char *fingerprint;
	char key[600];
	const char *reason, *ticket;
};
/* Scope, Idempotency-Key (a replay answers here), JSON body, reason, ticket.
 * 0 to go on with the world LOCKED (the caller unlocks); -1 when rs holds the answer. */
int sim_api_mut_begin(struct sim_req *rq, struct sim_resp *rs, unsigned scope, struct sim_api_mut *m);
/* Keep an executed answer (2xx, 409, 422) for replay. World locked. */
void sim_api_mut_store(struct sim_req *rq, struct sim_resp *rs, struct sim_api_mut *m);
void sim_api_mut_free(struct sim_api_mut *m);
/* If-Match against version; a stale one is 412 with cur(w, idx) as "current". 0 ok. */
int sim_api_if_match(struct sim_req *rq, struct sim_resp *rs, uint32_t version,
		     json_t *(*cur)(const struct sim_world *, size_t), size_t idx, int required);
/* The object a mutation names, index i of its kind (-1: there is none):
 * 404 when there is none, else If-Match against its version (as above).
 * 0 when the mutation may go on; otherwise the problem is answered. */
int sim_api_mut_target(struct sim_req *rq, struct sim_resp *rs, const char *kind, const char *id, long i,
		       uint32_t version, json_t *(*cur)(const struct sim_world *, size_t), int required);
const char *sim_api_jstr(json_t *o, const char *k);
int sim_api_enum_field(struct sim_req *rq, struct sim_resp *rs, json_t *body, const char *field,
		       const char *const *names, int required, int *out);
int sim_api_short_string(struct sim_req *rq, struct sim_resp *rs, json_t *body, const char *field,
			 const char **out);
void sim_api_err_reply(struct sim_req *rq, struct sim_resp *rs, const struct sim_err *e);

/* ---- handlers ---- */
typedef long (*sim_api_finder)(const struct sim_world *, const char *);
typedef json_t *(*sim_api_jsoner)(const struct sim_world *, size_t);

/* api_lists.c */
void sim_api_list_channels(struct sim_req *rq, struct sim_resp *rs);
void sim_api_list_routes(struct sim_req *rq, struct sim_resp *rs);
void sim_api_list_cases(struct sim_req *rq, struct sim_resp *rs);
void sim_api_list_breaks(struct sim_req *rq, struct sim_resp *rs);
void sim_api_list_limits(struct sim_req *rq, struct sim_resp *rs);
void sim_api_list_alerts(struct sim_req *rq, struct sim_resp *rs);
void sim_api_list_approvals(struct sim_req *rq, struct sim_resp *rs);
void sim_api_get_one(struct sim_req *rq, struct sim_resp *rs, sim_api_finder find, sim_api_jsoner j,
		     const char *what, const char *id);
void sim_api_get_history(struct sim_req *rq, struct sim_resp *rs, const char *id);
void sim_api_get_summary(struct sim_req *rq, struct sim_resp *rs);

/* api_channels.c */
void sim_api_post_channel_action(struct sim_req *rq, struct sim_resp *rs, const char *id);
void sim_api_post_route_weights(struct sim_req *rq, struct sim_resp *rs, const char *id);

/* api_queues.c */
void sim_api_post_case_decision(struct sim_req *rq, struct sim_resp *rs, const char *id);
void sim_api_post_break_resolve(struct sim_req *rq, struct sim_resp *rs, const char *id);
void sim_api_post_limit_adjust(struct sim_req *rq, struct sim_resp *rs, const char *id);
void sim_api_post_alert_ack(struct sim_req *rq, struct sim_resp *rs, const char *id);

/* api_approvals.c */
void sim_api_post_approval_decision(struct sim_req *rq, struct sim_resp *rs, const char *id);

#endif
