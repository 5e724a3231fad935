/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/approval.c: four eyes. Approve or reject a change another operator
 * asked for: the dialog restates the effect from the current state and
 * says when the target moved since the maker saw it, asks for a reason,
 * and the target's id typed out where the maker had to. The maker's side:
 * a channel's pending mark becomes the approval's outcome. */
#include "ops/op.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "widgets/bar.h"

typedef struct {
	int decision;         /* act_approval_decision */
	api_approval a;       /* what the dialog showed */
	char title[96];
} apr_op;

static void data_free(ops_op *o)
{
	apr_op *d = o->data;
	if (!d)
		return;
	api_approval_free(&d->a);
	free(d);
}

static int verb_of(const char *action)
{
	static const char *const v[] = {"enable", "disable", "drain", "quarantine", "release"};
	for (int i = 0; action && i < (int)(sizeof v / sizeof v[0]); i++)
		if (strcmp(action, v[i]) == 0)
			return i;
	return -1;
}

const char *ops_approval_why_not(ops *r, const api_approval *a, char *buf, size_t bufsz)
{
	const ops_env *env = ops_env_of(r);
	const api_me *me = store_me(env->st);
	if (a->state != APR_PENDING) {
		/* TRANSLATORS: approval id, its state */
		snprintf(buf, bufsz, _("%s is %s: only a pending approval can be decided"), a->id,
			 a->state_raw);
		return buf;
	}
	if (me && me->operator_id && strcmp(me->operator_id, a->requested_by) == 0) {
		snprintf(buf, bufsz, "%s", _("you asked for it: a second operator must decide"));
		return buf;
	}
	act_request q = { .kind = ACT_APPROVAL_DECISION, .target = a->id, .version = a->version,
			  .reason = "-", .held_kind = a->kind };
	char code[64];
	if (act_check(env->act, &q, buf, bufsz, code) == 0)
		return NULL;
	return buf;
}

static int dialog(ops_op *o, ops_body *ls, ops_confirm *c)
{
	apr_op *d = o->data;
	const ops_env *env = ops_op_env(o);
	const api_approval *a = store_approval_find(env->st, o->t[0].id);
	if (!a)
		return -1;
	api_approval_free(&d->a);
	if (api_approval_copy(&d->a, a) != 0)
		return -1;
	bool approve = d->decision == ACT_APR_APPROVE;
	char age[32];
	time_format_age((int64_t)(time(NULL) - a->requested_at), age, sizeof age);
	/* TRANSLATORS: Approve/Reject, approval id, kind, target */
	ops_body_add(ls, ROLE_TITLE, _("%s %s: %s %s"), approve ? _("Approve") : _("Reject"),
		     a->id, a->kind, a->target_id);
	/* TRANSLATORS: operator, age ("3m05s"), reason, ticket */
	ops_body_add(ls, ROLE_NORMAL, _("asked by %s %s ago: %s%s%s"), a->requested_by, age,
		     a->req_reason, *a->req_ticket ? "  " : "", a->req_ticket);
	ops_body_add(ls, ROLE_DIM, _("the platform states: %s"), a->effect);
	bool type_id = false;
	int verb = verb_of(a->req_action);
	if (strcmp(a->target_type, "channel") == 0 && verb >= 0) {
		char eff[2048];
		if (act_describe_channel_effect(env->st, a->target_id, (act_channel_verb)verb,
						a->req_interface, env->cfg->confirm_share, eff,
						sizeof eff, &type_id) >= 0) {
			ops_body_add(ls, ROLE_NORMAL, "%s", _("from the current state:"));
			ops_body_block(ls, ROLE_NORMAL, eff);
			/* the platform's words start with the same "id: from -> to" */
			size_t n = strcspn(eff, "\n");
			if (strncmp(a->effect, eff, n) != 0 || (a->effect[n] && a->effect[n] != ';'))
				ops_body_add(ls, ROLE_WARN, _("it moved since %s saw it: approving "
					"applies to the target as it is now, or fails"), a->requested_by);
		} else {
			ops_body_add(ls, ROLE_WARN, _("%s is not known here: the effect cannot "
				"be checked against its current state"), a->target_id);
		}
		if (verb != ACT_CH_DISABLE && verb != ACT_CH_QUARANTINE && verb != ACT_CH_DRAIN)
			type_id = false;
	} else if (strcmp(a->target_type, "route") == 0) {
		const api_route *rt = store_route_find(env->st, a->target_id);
		if (rt && a->target_version >= 0 && rt->version != a->target_version)
			ops_body_add(ls, ROLE_WARN, _("%s moved since %s saw it (version %lld -> "
				"%lld): approving fails if its weights changed"), a->target_id,
				a->requested_by, (long long)a->target_version, (long long)rt->version);
	}
	ops_body_add(ls, ROLE_DIM, _("approval version %lld; sent with If-Match and a new "
		"idempotency key"), (long long)a->version);
	type_id = type_id && approve;
	if (type_id)
		ops_body_add(ls, ROLE_CRIT, "%s", _("It carries a large share of traffic: type "
			"its id to confirm."));
	snprintf(d->title, sizeof d->title, "%s", approve ? _("Approve change") : _("Reject change"));
	c->title = d->title;
	c->confirm_label = approve ? _("Approve") : _("Reject");
	c->ticket = OPS_TICKET_NONE;
	c->type_id = type_id ? a->target_id : NULL;
	return 0;
}

static void fill(const ops_op *o, act_request *q)
{
	const apr_op *d = o->data;
	*q = (act_request){
		.kind = ACT_APPROVAL_DECISION, .target = o->t[0].id, .reason = o->reason,
		.verb = d->decision, .version = d->a.version, .held_kind = d->a.kind,
	};
}

static int confirmed(ops_op *o)
{
	act_request q;
	char name[64] = "";
	fill(o, &q);
	act_action_name(&q, name, sizeof name);
	ops_say(o->r, MSG_INFO, _("%s %s: sending..."), name, o->t[0].id);
	return 0;
}

static uint64_t submit(ops_op *o, ops_target *t)
{
	act_request q;
	fill(o, &q);
	return act_submit(ops_op_env(o)->act, &q, ops_act_done, ops_act_progress, t);
}

static void answered(ops_op *o, ops_target *t, const ops_answer *a)
{
	const act_result *r = a->act;
	(void)t;
	int sev = r->status == ACT_APPLIED ? MSG_OK :
		  r->status == ACT_CONFLICT || r->status == ACT_UNKNOWN ? MSG_WARN : MSG_ERROR;
	char extra[160] = "";
	const api_approval *ap = store_approval_find(ops_op_env(o)->st, o->t[0].id);
	if (r->status == ACT_APPLIED && ap && ap->state == APR_FAILED) {
		/* approved, but the platform could not apply it */
		sev = MSG_WARN;
		snprintf(extra, sizeof extra, _(" (not applied: %s)"),
			 ap->result_detail ? ap->result_detail : ap->result_code ? ap->result_code : "?");
	}
	ops_say(o->r, sev, "%s%s", r->message, extra);
}

static void cancelled(ops_op *o)
{
	ops_say(o->r, MSG_INFO, _("cancelled: nothing was sent for %s"), o->t[0].id);
}

static void open_failed(ops_op *o)
{
	ops_say(o->r, MSG_ERROR, _("could not open the confirmation for %s "
		"(unknown, or another dialog is open)"), o->t[0].id);
}

static void what(const ops_op *o, const ops_target *t, char *buf, size_t sz)
{
	const apr_op *d = o->data;
	(void)t;
	snprintf(buf, sz, "%s", act_approval_decision_name(d->decision));
}

static const ops_class approval_class = {
	.marking = OPS_MARK_IN_FLIGHT, .ask_again = false,
	.dialog = dialog, .confirmed = confirmed, .submit = submit,
	.answered = answered, .cancelled = cancelled, .open_failed = open_failed,
	.what = what, .free_data = data_free,
};

int ops_approval(ops *r, const char *approval_id, act_approval_decision decision,
		 wint_t opened_by)
{
	if (!r)
		return -1;
	const api_approval *a = store_approval_find(ops_env_of(r)->st, approval_id);
	if (!a) {
		ops_say(r, MSG_ERROR, _("no approval %s"), approval_id);
		return -1;
	}
	char why[300];
	if (ops_approval_why_not(r, a, why, sizeof why)) {
		/* TRANSLATORS: approve/reject, approval id, why */
		ops_say(r, MSG_ERROR, _("%s %s refused, nothing sent: %s"),
			act_approval_decision_name(decision), a->id, why);
		return -1;
	}
	apr_op *d = calloc(1, sizeof *d);
	if (!d) {
		ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
		return -1;
	}
	d->decision = (int)decision;
	char *ids[1] = { a->id };
	ops_op *o = ops_op_new(r, &approval_class, d, ids, 1, opened_by);
	return o ? ops_op_start(o) : -1;
}

/* ---- the maker's side ---- */

size_t ops_follow_approvals(ops *r)
{
	if (!r)
		return 0;
	const ops_env *env = ops_env_of(r);
	ops_marks *m = ops_marks_all(r);
	size_t moved = 0;
	for (size_t i = 0; i < m->n; i++) {
		ops_mark *k = &m->e[i].m;
		if (k->phase != OPS_DONE || k->status != ACT_PENDING_APPROVAL)
			continue;
		const api_approval *a = store_approval_find(env->st, k->code);
		if (!a || a->state == APR_PENDING || a->state == APR_UNKNOWN)
			continue;
		switch (a->state) {
		case APR_APPROVED:
			k->status = ACT_APPLIED;
			snprintf(k->code, sizeof k->code, "%s", "");
			break;
		case APR_REJECTED:
			k->status = ACT_REJECTED;
			snprintf(k->code, sizeof k->code, "rejected by %s", a->decided_by ? a->decided_by : "?");
			break;
		case APR_EXPIRED:
			k->status = ACT_REJECTED;
			snprintf(k->code, sizeof k->code, "%s", "approval expired");
			break;
		default:
			k->status = ACT_FAILED;
			snprintf(k->code, sizeof k->code, "%s", a->result_code ? a->result_code : "");
			break;
		}
		k->at = time(NULL);
		moved++;
	}
	if (env->act)
		act_follow_approvals(env->act);
	if (moved)
		ops_marks_changed(r);
	return moved;
}
