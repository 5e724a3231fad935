/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/sim/test_sim.c - unit tests of the simulator's world, state machines,
 * idempotency store, event ring, cursors and paging */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "sim/world.h"
#include "sim/page.h"
#include "sim/util.h"
#include "tests/lib/unit.h"

#define T0 1795312800 /* 2026-11-22T02:00:00Z, 10:00 in Beijing */

static struct sim_world *mkworld(uint64_t seed)
{
	struct sim_world_opts o = {.seed = seed, .now = T0, .channels = 44, .cases = 300, .breaks = 2000,
				   .limits = 400, .event_buffer = 100000, .approval_share = -1};
	struct sim_world *w = sim_world_new(&o);
	assert_non_null(w);
	return w;
}

static char *dump(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	assert_non_null(s);
	return s;
}

static void assert_same_json(json_t *a, json_t *b)
{
	char *x = dump(a), *y = dump(b);
	assert_string_equal(x, y);
	free(x);
	free(y);
}

static size_t ch(struct sim_world *w, const char *id)
{
	long i = sim_find_channel(w, id);
	assert_true(i >= 0);
	return (size_t)i;
}

static size_t rt(struct sim_world *w, const char *id)
{
	long i = sim_find_route(w, id);
	assert_true(i >= 0);
	return (size_t)i;
}

static int member_weight(struct sim_world *w, size_t r, const char *cid, int *eligible)
{
	for (int k = 0; k < w->rt[r].nm; k++)
		if (strcmp(w->ch[w->rt[r].m[k].ch].id, cid) == 0) {
			if (eligible)
				*eligible = w->rt[r].m[k].eligible;
			return w->rt[r].m[k].weight;
		}
	fail_msg("%s is not a member", cid);
	return -1;
}

static int weight_sum(struct sim_world *w, size_t r)
{
	int s = 0;
	for (int k = 0; k < w->rt[r].nm; k++)
		s += w->rt[r].m[k].weight;
	return s;
}

/* ---- PRNG and determinism ---- */

static void prng_same_seed_same_sequence(void **state)
{
	(void)state;
	sim_rng a, b, c;
	sim_rng_seed(&a, 7);
	sim_rng_seed(&b, 7);
	sim_rng_seed(&c, 8);
	int differs = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = sim_rng_next(&a), y = sim_rng_next(&b), z = sim_rng_next(&c);
		assert_true(x == y);
		differs |= x != z;
	}
	assert_true(differs);
	for (int i = 0; i < 1000; i++) {
		double u = sim_rng_unit(&a);
		assert_true(u >= 0 && u < 1);
		assert_true(sim_rng_below(&a, 10) < 10);
	}
}

static void world_same_seed_same_world(void **state)
{
	(void)state;
	struct sim_world *a = mkworld(42), *b = mkworld(42), *c = mkworld(43);
	assert_int_equal(a->nch, b->nch);
	assert_int_equal(a->nbr, b->nbr);
	assert_int_equal(a->nlm, b->nlm);
	assert_same_json(sim_channel_json(a, 3), sim_channel_json(b, 3));
	assert_same_json(sim_case_json(a, 123), sim_case_json(b, 123));
	assert_same_json(sim_break_json(a, 1500), sim_break_json(b, 1500));
	assert_same_json(sim_limit_json(a, 77), sim_limit_json(b, 77));
	/* the dynamics are deterministic too */
	for (int i = 0; i < 300; i++) {
		sim_tick(a);
		sim_tick(b);
	}
	assert_true(a->ev.seq == b->ev.seq);
	assert_same_json(sim_channel_json(a, 5), sim_channel_json(b, 5));
	char *x = dump(sim_break_json(a, 1500)), *y = dump(sim_break_json(c, 1500));
	assert_string_not_equal(x, y);
	free(x);
	free(y);
	sim_world_free(a);
	sim_world_free(b);
	sim_world_free(c);
}

static void world_has_the_demo_shape(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	int nets[SIM_NET_COUNT] = {0}, shared = 0;
	for (size_t i = 0; i < w->nch; i++) {
		nets[w->ch[i].network]++;
		for (size_t j = 0; j < w->nch; j++)
			if (i != j && strcmp(w->ch[i].link_id, w->ch[j].link_id) == 0)
				shared = 1;
		if (i)
			assert_true(strcmp(w->ch[i - 1].id, w->ch[i].id) < 0);
	}
	for (int n = 0; n < SIM_NET_COUNT; n++)
		assert_true(nets[n] > 0);
	assert_true(shared);
	for (size_t r = 0; r < w->nrt; r++)
		assert_int_equal(weight_sum(w, r), 100);
	char a[48], b[48];
	for (size_t i = 1; i < w->nbr; i++) {
		sim_break_id(&w->br[i - 1], a, sizeof a);
		sim_break_id(&w->br[i], b, sizeof b);
		assert_true(strcmp(a, b) < 0);
	}
	json_t *bj = sim_break_json(w, 10);
	assert_int_equal(json_integer_value(json_object_get(bj, "difference_minor")),
			 json_integer_value(json_object_get(bj, "channel_amount_minor")) -
				 json_integer_value(json_object_get(bj, "platform_amount_minor")));
	json_decref(bj);
	int reserve = 0;
	for (size_t i = 0; i < w->nlm; i++)
		reserve += w->lm[i].scope == SIM_SCOPE_RESERVE;
	assert_true(reserve >= 2);
	sim_world_free(w);
}

/* ---- channel state machine ---- */

static int act(struct sim_world *w, size_t c, int action, int iface, int *status)
{
	struct sim_err e = {0};
	int pending;
	int rc = sim_channel_act(w, c, action, iface, "op.test", &pending, &e);
	*status = rc ? e.status : pending ? 202 : 200;
	return rc;
}

static void channel_transitions(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	size_t c = ch(w, "icbc.direct.quickpay");
	int st;
	uint32_t v = w->ch[c].version;
	assert_int_equal(act(w, c, SIM_ACT_ENABLE, -1, &st), -1); /* already enabled */
	assert_int_equal(st, 409);
	assert_int_equal(act(w, c, SIM_ACT_RELEASE, -1, &st), -1); /* not quarantined */
	assert_int_equal(act(w, c, SIM_ACT_DRAIN, -1, &st), 0);
	assert_int_equal(w->ch[c].admin, SIM_ADM_DRAINING);
	assert_true(w->ch[c].version > v);
	assert_string_equal(w->ch[c].updated_by, "op.test");
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, -1, &st), 0);
	assert_int_equal(act(w, c, SIM_ACT_DRAIN, -1, &st), -1); /* drain needs enabled */
	assert_int_equal(act(w, c, SIM_ACT_QUARANTINE, -1, &st), 0);
	assert_int_equal(w->ch[c].admin, SIM_ADM_QUARANTINED);
	assert_int_equal(act(w, c, SIM_ACT_ENABLE, -1, &st), -1); /* release first */
	assert_int_equal(st, 409);
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, -1, &st), -1);
	assert_int_equal(act(w, c, SIM_ACT_ENABLE, SIM_IF_REFUND, &st), -1); /* pinned */
	assert_int_equal(act(w, c, SIM_ACT_RELEASE, -1, &st), 0);
	assert_int_equal(w->ch[c].admin, SIM_ADM_DISABLED); /* release comes back disabled */
	assert_int_equal(act(w, c, SIM_ACT_ENABLE, -1, &st), 0);
	assert_int_equal(w->ch[c].admin, SIM_ADM_ENABLED);
	/* one interface on its own */
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, SIM_IF_REFUND, &st), 0);
	assert_int_equal(w->ch[c].if_state[SIM_IF_REFUND], SIM_ADM_DISABLED);
	assert_int_equal(w->ch[c].admin, SIM_ADM_ENABLED);
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, SIM_IF_REFUND, &st), -1);
	assert_int_equal(act(w, c, SIM_ACT_QUARANTINE, SIM_IF_REFUND, &st), -1);
	assert_int_equal(st, 409);
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, SIM_IF_PAYOUT, &st), -1); /* quick pay has no payout */
	assert_int_equal(st, 422);
	sim_world_free(w);
}

static void approval_share_gives_pending(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	w->approval_share = 0.0;
	size_t c = ch(w, "nucc.quickpay");
	int st;
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, -1, &st), 0);
	assert_int_equal(st, 202);
	assert_int_equal(w->ch[c].admin, SIM_ADM_ENABLED);
	sim_world_free(w);
}

/* ---- routes ---- */

static void weights_move_on_disable(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	size_t r = rt(w, "quickpay.cny"), c = ch(w, "icbc.direct.quickpay");
	int el, st;
	int nucc = member_weight(w, r, "nucc.quickpay", NULL), cmb = member_weight(w, r, "cmb.direct.quickpay", NULL);
	assert_int_equal(member_weight(w, r, "icbc.direct.quickpay", &el), 15);
	assert_true(el);
	uint32_t v = w->rt[r].version;
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, -1, &st), 0);
	assert_int_equal(member_weight(w, r, "icbc.direct.quickpay", &el), 0);
	assert_false(el);
	assert_int_equal(weight_sum(w, r), 100);
	assert_true(w->rt[r].version > v);
	/* proportional: 40 of the remaining 85 gets 47 */
	assert_int_equal(member_weight(w, r, "nucc.quickpay", NULL), 47);
	assert_true(member_weight(w, r, "cmb.direct.quickpay", NULL) > cmb);
	/* two down, still 100 */
	assert_int_equal(act(w, ch(w, "nucc.quickpay"), SIM_ACT_QUARANTINE, -1, &st), 0);
	assert_int_equal(weight_sum(w, r), 100);
	assert_int_equal(member_weight(w, r, "nucc.quickpay", NULL), 0);
	/* back: the configured weights return */
	assert_int_equal(act(w, ch(w, "nucc.quickpay"), SIM_ACT_RELEASE, -1, &st), 0);
	assert_int_equal(act(w, ch(w, "nucc.quickpay"), SIM_ACT_ENABLE, -1, &st), 0);
	assert_int_equal(act(w, c, SIM_ACT_ENABLE, -1, &st), 0);
	assert_int_equal(member_weight(w, r, "nucc.quickpay", NULL), nucc);
	assert_int_equal(member_weight(w, r, "icbc.direct.quickpay", NULL), 15);
	sim_world_free(w);
}

static int set_weights(struct sim_world *w, size_t r, const char *a, long long wa, const char *b, long long wb,
		       int64_t expires)
{
	struct sim_weight_req req[2];
	size_t n = 0;
	snprintf(req[n].channel_id, sizeof req[n].channel_id, "%s", a);
	req[n++].weight = wa;
	if (b) {
		snprintf(req[n].channel_id, sizeof req[n].channel_id, "%s", b);
		req[n++].weight = wb;
	}
	struct sim_err e = {0};
	if (sim_route_set_weights(w, r, req, n, expires, "op.test", "切量", "CHG-1", &e))
		return e.status;
	return 200;
}

static void weights_validation(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	size_t r = rt(w, "crossborder.rmb");
	assert_int_equal(set_weights(w, r, "cips.rmb", 60, "crossborder.remit", 30, 0), 422);
	assert_int_equal(set_weights(w, r, "cips.rmb", 60, "unionpay.qr", 40, 0), 422);
	assert_int_equal(set_weights(w, r, "cips.rmb", 50, "cips.rmb", 50, 0), 422);
	assert_int_equal(set_weights(w, r, "cips.rmb", 120, "crossborder.remit", -20, 0), 422);
	int st;
	assert_int_equal(act(w, ch(w, "crossborder.remit"), SIM_ACT_DISABLE, -1, &st), 0);
	assert_int_equal(set_weights(w, r, "cips.rmb", 60, "crossborder.remit", 40, 0), 409);
	assert_int_equal(set_weights(w, r, "cips.rmb", 100, "crossborder.remit", 0, 0), 200);
	assert_int_equal(act(w, ch(w, "crossborder.remit"), SIM_ACT_ENABLE, -1, &st), 0);
	assert_int_equal(member_weight(w, r, "crossborder.remit", NULL), 0);
	/* an override with an expiry reverts by itself */
	assert_int_equal(set_weights(w, r, "cips.rmb", 30, "crossborder.remit", 70, w->now + 5), 200);
	assert_true(w->rt[r].has_override);
	assert_int_equal(member_weight(w, r, "crossborder.remit", NULL), 70);
	for (int i = 0; i < 6; i++)
		sim_tick(w);
	assert_false(w->rt[r].has_override);
	assert_int_equal(member_weight(w, r, "cips.rmb", NULL), 100);
	sim_world_free(w);
}

/* ---- approvals: what operators set decides a conflict, not live metrics ---- */

static long hold_weights(struct sim_world *w, size_t r, const char *a, long long wa, const char *b, long long wb)
{
	struct sim_weight_req req[2];
	snprintf(req[0].channel_id, sizeof req[0].channel_id, "%s", a);
	req[0].weight = wa;
	snprintf(req[1].channel_id, sizeof req[1].channel_id, "%s", b);
	req[1].weight = wb;
	struct sim_err e = {0};
	long i = sim_approval_hold_weights(w, r, req, 2, 0, "op.test", "切量", NULL, &e);
	assert_true(i >= 0);
	return i;
}

static long hold_action(struct sim_world *w, size_t c, int action)
{
	struct sim_err e = {0};
	long i = sim_approval_hold_channel(w, c, action, -1, "op.test", "reason", NULL, &e);
	assert_true(i >= 0);
	return i;
}

/* approve as a second operator; the approval's state, *code the failure's */
static int approve(struct sim_world *w, long i, const char **code)
{
	struct sim_err e = {0};
	assert_int_equal(sim_approval_decide(w, (size_t)i, 1, "op.second", "ok", "req_test", &e), 0);
	*code = json_string_value(json_object_get(w->ap[i].result, "code"));
	return w->ap[i].state;
}

static void approval_conflicts_on_what_operators_set(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	const char *code;
	int st;
	/* ticks move the channel's version: re-validated and applied */
	size_t a = ch(w, "nucc.quickpay");
	long i = hold_action(w, a, SIM_ACT_DRAIN);
	uint32_t v = w->ch[a].version;
	for (int k = 0; k < 5; k++)
		sim_tick(w);
	assert_true(w->ch[a].version > v);
	assert_int_equal(approve(w, i, &code), SIM_APR_APPROVED);
	assert_int_equal(w->ch[a].admin, SIM_ADM_DRAINING);
	/* another operator disabled it meanwhile: failed, nothing applied, even
	 * though quarantine would still be a valid move from disabled */
	size_t b = ch(w, "icbc.direct.quickpay");
	i = hold_action(w, b, SIM_ACT_QUARANTINE);
	sim_tick(w);
	assert_int_equal(act(w, b, SIM_ACT_DISABLE, -1, &st), 0);
	sim_tick(w);
	assert_int_equal(approve(w, i, &code), SIM_APR_FAILED);
	assert_string_equal(code, "version_conflict");
	assert_int_equal(w->ch[b].admin, SIM_ADM_DISABLED);
	/* an interface counts as what operators set */
	size_t c = ch(w, "cmb.direct.quickpay");
	i = hold_action(w, c, SIM_ACT_DRAIN);
	assert_int_equal(act(w, c, SIM_ACT_DISABLE, SIM_IF_REFUND, &st), 0);
	assert_int_equal(approve(w, i, &code), SIM_APR_FAILED);
	assert_string_equal(code, "version_conflict");
	assert_int_equal(w->ch[c].admin, SIM_ADM_ENABLED);

	/* a route whose served weights the dynamics moved (a member's breaker
	 * opened): the request, which gives that member nothing, still applies */
	size_t r = rt(w, "crossborder.rmb");
	struct sim_err e = {0};
	char tgt[64], det[256];
	i = hold_weights(w, r, "cips.rmb", 100, "crossborder.remit", 0);
	v = w->rt[r].version;
	assert_int_equal(sim_scenario(w, "bank_outage", "crossborder.remit", tgt, sizeof tgt, det, sizeof det, &e), 0);
	sim_tick(w);
	assert_true(w->rt[r].version > v);
	assert_int_equal(approve(w, i, &code), SIM_APR_APPROVED);
	assert_int_equal(member_weight(w, r, "cips.rmb", NULL), 100);
	/* one that gives the ineligible member weight no longer applies */
	i = hold_weights(w, r, "cips.rmb", 100, "crossborder.remit", 0);
	long j = sim_approval_hold_weights(w, r,
		(struct sim_weight_req[]){{"cips.rmb", 50}, {"crossborder.remit", 50}}, 2, 0, "op.test", "x", NULL, &e);
	assert_int_equal(j, -1); /* refused at once while remit is down */
	assert_int_equal(sim_scenario(w, "recover", NULL, tgt, sizeof tgt, det, sizeof det, &e), 0);
	j = hold_weights(w, r, "cips.rmb", 50, "crossborder.remit", 50);
	assert_int_equal(sim_scenario(w, "bank_outage", "crossborder.remit", tgt, sizeof tgt, det, sizeof det, &e), 0);
	assert_int_equal(approve(w, j, &code), SIM_APR_FAILED);
	assert_string_equal(code, "version_conflict");
	assert_int_equal(member_weight(w, r, "cips.rmb", NULL), 100);
	/* the held 100/0 is what the route has: applies (no change) */
	assert_int_equal(approve(w, i, &code), SIM_APR_APPROVED);
	/* an operator's override running out moves what operators set */
	assert_int_equal(sim_scenario(w, "recover", NULL, tgt, sizeof tgt, det, sizeof det, &e), 0);
	assert_int_equal(set_weights(w, r, "cips.rmb", 30, "crossborder.remit", 70, w->now + 3), 200);
	i = hold_weights(w, r, "cips.rmb", 40, "crossborder.remit", 60);
	for (int k = 0; k < 4; k++)
		sim_tick(w);
	assert_false(w->rt[r].has_override);
	assert_int_equal(approve(w, i, &code), SIM_APR_FAILED);
	assert_string_equal(code, "version_conflict");
	sim_world_free(w);
}

/* ---- cases, breaks, limits ---- */

static void case_and_break_and_limit_rules(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	struct sim_err e;
	size_t i;
	for (i = 0; i < w->ncs && w->cs[i].stage != SIM_STAGE_SUBMITTED; i++)
		;
	assert_true(i < w->ncs);
	assert_int_equal(sim_case_decide(w, i, SIM_DEC_APPROVE, NULL, &e), -1);
	assert_int_equal(e.status, 409);
	assert_int_equal(sim_case_decide(w, i, SIM_DEC_ASSIGN, "op.li", &e), 0);
	assert_string_equal(w->cs[i].assignee, "op.li");
	assert_int_equal(sim_case_decide(w, i, SIM_DEC_REJECT, NULL, &e), 0);
	assert_int_equal(sim_case_decide(w, i, SIM_DEC_RETURN, NULL, &e), -1);

	for (i = 0; i < w->nbr && w->br[i].status != SIM_BS_OPEN; i++)
		;
	assert_true(i < w->nbr);
	assert_int_equal(sim_break_resolve(w, i, SIM_RES_REOPEN, "op.li", "x", NULL, 0, 0, NULL, &e), -1);
	assert_int_equal(sim_break_resolve(w, i, SIM_RES_INVESTIGATE, "op.li", "x", NULL, 0, 0, NULL, &e), 0);
	assert_int_equal(w->br[i].status, SIM_BS_INVESTIGATING);
	assert_int_equal(sim_break_resolve(w, i, SIM_RES_MATCH, "op.li", "补单", "UP123", 0, 0, NULL, &e), 0);
	assert_int_equal(w->br[i].status, SIM_BS_RESOLVED);
	assert_non_null(w->br[i].res);
	assert_string_equal(w->br[i].res->by, "op.li");
	assert_int_equal(sim_break_resolve(w, i, SIM_RES_WRITE_OFF, "op.li", "x", NULL, 0, 0, NULL, &e), -1);
	assert_int_equal(sim_break_resolve(w, i, SIM_RES_REOPEN, "op.li", "x", NULL, 0, 0, NULL, &e), 0);
	assert_null(w->br[i].res);
	assert_int_equal(sim_break_resolve(w, i, SIM_RES_ADJUST, "op.li", "x", NULL, 1, -200, NULL, &e), 0);
	assert_true(w->br[i].res->has_adjustment);

	struct sim_limit *l = &w->lm[0];
	l->used_minor = 850;
	assert_int_equal(sim_limit_adjust(w, 0, 1000, 1, 0.8, &e), 0);
	assert_int_equal(l->state, SIM_LS_WARNING);
	assert_int_equal(sim_limit_adjust(w, 0, 800, 0, 0, &e), 0);
	assert_int_equal(l->state, SIM_LS_BREACHED);
	assert_int_equal(sim_limit_adjust(w, 0, 10000, 0, 0, &e), 0);
	assert_int_equal(l->state, SIM_LS_OK);
	assert_int_equal(sim_limit_adjust(w, 0, 0, 0, 0, &e), -1);
	sim_world_free(w);
}

/* ---- idempotency store ---- */

static void idempotency_store(void **state)
{
	(void)state;
	struct sim_idem s;
	const struct sim_idem_entry *e;
	assert_int_equal(sim_idem_init(&s, 86400, 3), 0);
	assert_int_equal(sim_idem_lookup(&s, "op\nk1", "POST /a\n{}", 100, &e), SIM_IDEM_MISS);
	assert_int_equal(sim_idem_put(&s, "op\nk1", "POST /a\n{}", 200, "{\"ok\":1}", "\"3\"", 100), 0);
	assert_int_equal(sim_idem_lookup(&s, "op\nk1", "POST /a\n{}", 200, &e), SIM_IDEM_REPLAY);
	assert_int_equal(e->status, 200);
	assert_string_equal(e->body, "{\"ok\":1}");
	assert_string_equal(e->etag, "\"3\"");
	assert_int_equal(sim_idem_lookup(&s, "op\nk1", "POST /a\n{\"x\":1}", 200, &e), SIM_IDEM_REUSED);
	/* keys are per operator */
	assert_int_equal(sim_idem_lookup(&s, "op2\nk1", "POST /a\n{}", 200, &e), SIM_IDEM_MISS);
	/* expiry after 24 h */
	assert_int_equal(sim_idem_lookup(&s, "op\nk1", "POST /a\n{}", 100 + 86399, &e), SIM_IDEM_REPLAY);
	assert_int_equal(sim_idem_lookup(&s, "op\nk1", "POST /a\n{}", 100 + 86400, &e), SIM_IDEM_MISS);
	/* bounded: the oldest goes first */
	for (int i = 0; i < 5; i++) {
		char k[16];
		snprintf(k, sizeof k, "op\nk%d", i + 10);
		assert_int_equal(sim_idem_put(&s, k, "f", 409, "{}", "", 100000 + i), 0);
	}
	assert_int_equal(s.count, 3);
	assert_int_equal(sim_idem_lookup(&s, "op\nk10", "f", 100010, &e), SIM_IDEM_MISS);
	assert_int_equal(sim_idem_lookup(&s, "op\nk14", "f", 100010, &e), SIM_IDEM_REPLAY);
	sim_idem_free(&s);
}

/* ---- event ring ---- */

static void event_ring_replay_and_reset(void **state)
{
	(void)state;
	struct sim_events ev;
	assert_int_equal(sim_events_init(&ev, 3), 0);
	assert_true(sim_events_can_resume(&ev, 0));
	assert_false(sim_events_can_resume(&ev, 1)); /* from the future */
	for (int i = 1; i <= 5; i++) {
		char *d = strdup("{}");
		assert_non_null(d);
		assert_true(sim_events_push(&ev, SIM_EV_CHANNEL, d, 2) == (uint64_t)i);
	}
	/* buffered: 3, 4, 5 */
	assert_null(sim_events_get(&ev, 2));
	assert_non_null(sim_events_get(&ev, 3));
	assert_true(sim_events_get(&ev, 5)->id == 5);
	assert_null(sim_events_get(&ev, 6));
	assert_true(sim_events_can_resume(&ev, 2)); /* 3.. still here */
	assert_true(sim_events_can_resume(&ev, 5));
	assert_false(sim_events_can_resume(&ev, 1)); /* 2 aged out: reset */
	assert_false(sim_events_can_resume(&ev, 6));
	assert_string_equal(sim_event_type_name(SIM_EV_BREAK), "break");
	sim_events_free(&ev);
}

static void every_change_is_one_event(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(1);
	uint64_t seq = w->ev.seq;
	struct sim_err e;
	assert_int_equal(sim_limit_adjust(w, 3, 123456, 0, 0, &e), 0);
	assert_true(w->ev.seq == seq + 1);
	const struct sim_event *ev = sim_events_get(&w->ev, w->ev.seq);
	assert_int_equal(ev->type, SIM_EV_LIMIT);
	assert_non_null(strstr(ev->data, w->lm[3].id));
	assert_null(strchr(ev->data, '\n'));
	sim_world_free(w);
}

/* ---- cursors and paging ---- */

static void cursor_roundtrip(void **state)
{
	(void)state;
	char enc[128], dec[64];
	const char *ids[] = {"brk_20261121_000451", "a", "ab", "abc", "icbc.direct.quickpay"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		assert_int_equal(sim_cursor_encode(ids[i], enc, sizeof enc), 0);
		assert_null(strpbrk(enc, "+/="));
		assert_int_equal(sim_cursor_decode(enc, dec, sizeof dec), 0);
		assert_string_equal(dec, ids[i]);
	}
	assert_int_equal(sim_cursor_decode("", dec, sizeof dec), -1);
	assert_int_equal(sim_cursor_decode("a", dec, sizeof dec), -1);
	assert_int_equal(sim_cursor_decode("!!!!", dec, sizeof dec), -1);
	assert_int_equal(sim_cursor_decode("AAAA", dec, sizeof dec), -1); /* decodes to NULs */
}

static const char *brk_id(const struct sim_world *w, size_t i, char *b, size_t c)
{
	sim_break_id(&w->br[i], b, c);
	return b;
}
static int64_t brk_upd(const struct sim_world *w, size_t i)
{
	return w->br[i].updated_at;
}
static int brk_open(const struct sim_world *w, size_t i, const void *ctx)
{
	(void)ctx;
	return w->br[i].status == SIM_BS_OPEN;
}

static void paging_has_no_gap_or_dup(void **state)
{
	(void)state;
	struct sim_world *w = mkworld(3);
	for (int filtered = 0; filtered < 2; filtered++) {
		struct sim_coll c = {w->nbr, brk_id, brk_upd, filtered ? brk_open : NULL, NULL};
		char *seen = calloc(w->nbr + 1000, 1);
		assert_non_null(seen);
		char after[64] = "", buf[64];
		size_t idx[77], total = 0, pages = 0;
		int more;
		do {
			size_t n = sim_page(w, &c, after, 77, SIM_NO_SINCE, idx, &more);
			for (size_t k = 0; k < n; k++) {
				assert_false(seen[idx[k]]);
				seen[idx[k]] = 1;
			}
			total += n;
			pages++;
			if (n)
				snprintf(after, sizeof after, "%s", brk_id(w, idx[n - 1], buf, sizeof buf));
			/* a new break arriving mid-way lands at the end: still no gap */
			if (pages == 3)
				sim_tick(w);
		} while (more);
		size_t expect = 0;
		for (size_t i = 0; i < w->nbr; i++)
			expect += !filtered || w->br[i].status == SIM_BS_OPEN;
		/* seen may be shorter than a grown nbr; count against the final world */
		assert_int_equal(total, expect);
		free(seen);
	}
	/* updated_since narrows */
	struct sim_coll c = {w->nbr, brk_id, brk_upd, NULL, NULL};
	size_t idx[500];
	int more;
	size_t n = sim_page(w, &c, "", 500, w->now + 1000, idx, &more);
	assert_int_equal(n, 0);
	assert_false(more);
	sim_world_free(w);
}

static void time_format_and_parse(void **state)
{
	(void)state;
	char buf[32];
	int64_t t;
	sim_fmt_time(T0, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-22T02:00:00Z");
	assert_int_equal(sim_parse_time(buf, &t), 0);
	assert_true(t == T0);
	assert_int_equal(sim_parse_time("2026-11-22T10:00:00+08:00", &t), 0);
	assert_true(t == T0);
	assert_int_equal(sim_parse_time("2026-11-22T10:00:00.123 08:00", &t), 0);
	assert_true(t == T0);
	assert_int_equal(sim_parse_time("2026-02-30T00:00:00Z", &t), -1);
	assert_int_equal(sim_parse_time("yesterday", &t), -1);
	assert_true(sim_cst_day(T0) == sim_days_from_civil(2026, 11, 22));
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(prng_same_seed_same_sequence),
	cmocka_unit_test(world_same_seed_same_world),
	cmocka_unit_test(world_has_the_demo_shape),
	cmocka_unit_test(channel_transitions),
	cmocka_unit_test(approval_share_gives_pending),
	cmocka_unit_test(weights_move_on_disable),
	cmocka_unit_test(weights_validation),
	cmocka_unit_test(approval_conflicts_on_what_operators_set),
	cmocka_unit_test(case_and_break_and_limit_rules),
	cmocka_unit_test(idempotency_store),
	cmocka_unit_test(event_ring_replay_and_reset),
	cmocka_unit_test(every_change_is_one_event),
	cmocka_unit_test(cursor_roundtrip),
	cmocka_unit_test(paging_has_no_gap_or_dup),
	cmocka_unit_test(time_format_and_parse))
