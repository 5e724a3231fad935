/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/approval.c: four eyes (contract v1.1). The held mutation's 202
 * answer, the scope a decision needs (the one the held request needed),
 * the audit words of a decision, and the maker's side: the intent that
 * was held gets its final outcome once the approval is decided. */
#include "actions/act_int.h"

#include <stdio.h>
#include "api/decode.h"
#include <string.h>

json_t *act_held_unwrap(json_t *j, bool *pending, char *approval_id, size_t idsz)
{
	json_t *act = json_object_get(j, "action"), *v;
	const char *k;
	if (idsz)
		approval_id[0] = '\0';
	if (!json_is_object(act))
		return j;
	const char *st = json_string_value(json_object_get(act, "status"));
	const char *id = json_string_value(json_object_get(act, "approval_id"));
	if (st && strcmp(st, "pending_approval") == 0)
		*pending = true;
	if (id && idsz)
		snprintf(approval_id, idsz, "%s", id);
	json_object_foreach(j, k, v)
		if (strcmp(k, "action") != 0 && json_is_object(v))
			return v;
	return j;
}

/* The write scope of an action named "channel.quarantine", "route.weights". */
static const struct {
	const char *prefix;
	act_kind kind;
} held_kinds[] = {
	{"channel.", ACT_CHANNEL}, {"route.", ACT_ROUTE_WEIGHTS}, {"case.", ACT_CASE_DECISION},
	{"break.", ACT_BREAK_RESOLVE}, {"limit.", ACT_LIMIT_ADJUST}, {"alert.", ACT_ALERT_ACK},
};

static act_kind request_kind(const store *st, const act_request *r)
{
	if (r->kind != ACT_APPROVAL_DECISION)
		return r->kind;
	const char *held = r->held_kind;
	if (!held) {
		const api_approval *a = st ? store_approval_find(st, r->target) : NULL;
		held = a ? a->kind : NULL;
	}
	for (size_t i = 0; held && i < sizeof held_kinds / sizeof held_kinds[0]; i++)
		if (strncmp(held, held_kinds[i].prefix, strlen(held_kinds[i].prefix)) == 0)
			return held_kinds[i].kind;
	return ACT_CHANNEL; /* not known yet: the platform decides */
}

const char *act_request_scope_name(const store *st, const act_request *r)
{
	return act_scope_name(request_kind(st, r));
}

unsigned act_request_scope_bit(const store *st, const act_request *r)
{
	return act_scope_bit(request_kind(st, r));
}

void act_approval_before(const store *st, const char *approval_id, char *out, size_t outsz)
{
	const api_approval *a = store_approval_find(st, approval_id);
	if (!a) {
		*out = '\0';
		return;
	}
	snprintf(out, outsz, "%s %s requested by %s (version %lld): %s", a->kind, a->target_id,
		 a->requested_by, (long long)a->target_version, a->effect);
}

void act_approval_upsert(store *st, const json_t *obj)
{
	api_approval a = {0};
	api_err err;
	if (api_decode_approval(obj, &a, &err) == 0)
		store_approval_upsert(st, &a, time(NULL));
	api_approval_free(&a);
}

/* ---- the maker's side ---- */

typedef struct {
	const char *approval_id;
	int64_t intent_seq;     /* the held intent (its pending outcome names the approval) */
	int64_t finals[16];     /* intents of other outcome rows naming the approval */
	size_t n_finals;
	char action[64];
	char intended[256];
	char interface[64];
} held_search;

static int on_row(const struct audit_row *row, void *ctx)
{
	held_search *h = ctx;
	if (strcmp(row->kind, "outcome") != 0)
		return 0;
	if (strcmp(row->outcome, "pending_approval") == 0 && strcmp(row->code, h->approval_id) == 0)
		h->intent_seq = row->intent_seq;
	else if (h->n_finals < sizeof h->finals / sizeof h->finals[0])
		h->finals[h->n_finals++] = row->intent_seq;
	return 0;
}

static int on_intent(const struct audit_row *row, void *ctx)
{
	held_search *h = ctx;
	snprintf(h->action, sizeof h->action, "%s", row->action);
	snprintf(h->interface, sizeof h->interface, "%s", row->interface);
	const char *p = strstr(row->state_before, ACT_INTENDED_SEP);
	snprintf(h->intended, sizeof h->intended, "%s", p ? p + strlen(ACT_INTENDED_SEP) : "");
	return 0;
}

/* The final outcome row of one decided approval's held intent. */
static int follow_one(act_client *c, const api_approval *a)
{
	struct audit_log *log = act_log(c);
	held_search h = { .approval_id = a->id };
	struct audit_filter f = { .text = a->id, .kind = "outcome", .limit = 50 };
	if (audit_query(log, &f, on_row, &h) != AUDIT_OK || h.intent_seq <= 0)
		return 0;
	for (size_t i = 0; i < h.n_finals; i++)
		if (h.finals[i] == h.intent_seq)
			return 0; /* followed already */
	audit_get(log, h.intent_seq, on_intent, &h);
	enum audit_outcome out;
	const char *code;
	char detail[1024], after[256] = "";
	switch (a->state) {
	case APR_APPROVED: {
		out = AUDIT_APPLIED;
		code = "approved";
		snprintf(detail, sizeof detail, "approval %s: applied by %s: %s", a->id, a->decided_by ? a->decided_by : "?",
			 a->decision_reason ? a->decision_reason : "");
		act_kind k;
		char path[512];
		json_t *obj = NULL;
		api_err err;
		if (a->result_json && act_object_path(h.action, a->target_id, path, sizeof path, &k) == 0 &&
		    api_parse(a->result_json, strlen(a->result_json), &obj, &err) == 0)
			act_observed(k, h.intended, h.interface, obj, after, sizeof after);
		json_decref(obj);
		break;
	}
	case APR_REJECTED:
		out = AUDIT_REJECTED;
		code = "approval_rejected";
		snprintf(detail, sizeof detail, "approval %s: rejected by %s: %s", a->id, a->decided_by ? a->decided_by : "?",
			 a->decision_reason ? a->decision_reason : "");
		break;
	case APR_EXPIRED:
		out = AUDIT_FAILED;
		code = "approval_expired";
		snprintf(detail, sizeof detail, "approval %s: expired undecided", a->id);
		break;
	case APR_FAILED:
		out = AUDIT_FAILED;
		code = a->result_code ? a->result_code : "approval_failed";
		snprintf(detail, sizeof detail, "approval %s: approved by %s but not applied: %s", a->id,
			 a->decided_by ? a->decided_by : "?", a->result_detail ? a->result_detail : "");
		break;
	default:
		return 0;
	}
	act_oneline(detail);
	return audit_writer_outcome(act_writer(c), h.intent_seq, out, code, detail, after, "", NULL) == AUDIT_OK;
}

size_t act_follow_approvals(act_client *c)
{
	store *st = act_store(c);
	const char *me = act_operator(c);
	if (!st || !act_writer(c) || !act_log(c) || !me || !*me)
		return 0;
	/* a row still queued for a held log is not in the log yet: wait for it
	 * rather than write it twice */
	if (audit_writer_pending(act_writer(c)))
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < store_approval_count(st); i++) {
		const api_approval *a = store_approval_at(st, i);
		if (a->state != APR_PENDING && a->state != APR_UNKNOWN && strcmp(a->requested_by, me) == 0)
			n += (size_t)follow_one(c, a);
	}
	return n;
}
