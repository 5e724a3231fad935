/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/rows.c: one action on one or several rows of a work queue: case
 * decisions, break resolutions (bulk included) and a limit's adjustment.
 * One request and one audit pair per row; the rows' new objects go into
 * the cache as they come; several rows end with one summary. */
#include "ops/op.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "text/text.h"
#include "widgets/bar.h"
#include "widgets/fmt.h"

#define SHOW 8         /* rows listed in the dialog */

typedef union {
	api_case c;
	api_break b;
	api_limit l;
} row_obj;

typedef struct {
	ops_rows_spec spec;      /* its strings point at the copies below */
	char title[96], label[48], extra_label[64];
	row_obj *obj;            /* as the pane showed each target */
	size_t n_obj;
	int64_t adjustment;      /* break adjust, parsed from extra */
} rows_op;

static void data_free(ops_op *o)
{
	rows_op *d = o->data;
	if (!d)
		return;
	for (size_t i = 0; i < d->n_obj; i++) {
		if (d->spec.kind == ACT_CASE_DECISION)
			api_case_free(&d->obj[i].c);
		else if (d->spec.kind == ACT_BREAK_RESOLVE)
			api_break_free(&d->obj[i].b);
		else
			api_limit_free(&d->obj[i].l);
	}
	free(d->obj);
	free(d);
}

static const char *verb_name(const ops_rows_spec *s)
{
	switch (s->kind) {
	case ACT_CASE_DECISION: return act_case_decision_name(s->verb);
	case ACT_BREAK_RESOLVE: return act_break_action_name(s->verb);
	default: return "adjust";
	}
}

static size_t index_of(const ops_op *o, const ops_target *t)
{
	return (size_t)(t - o->t);
}

/* The request for row i with the operator's fields (extra as typed). */
static void fill(const ops_op *o, size_t i, const char *extra, act_request *q)
{
	const rows_op *d = o->data;
	const row_obj *b = &d->obj[i];
	memset(q, 0, sizeof *q);
	q->kind = d->spec.kind;
	q->target = o->t[i].id;
	q->reason = o->reason ? o->reason : "-";
	q->ticket = o->ticket;
	q->verb = d->spec.verb;
	q->warn_at = -1;
	const char *x = extra ? extra : "";
	switch (d->spec.kind) {
	case ACT_CASE_DECISION:
		q->version = b->c.version;
		q->seen_case = &b->c;
		if (d->spec.verb == ACT_CASE_ASSIGN)
			q->assignee = x;
		break;
	case ACT_BREAK_RESOLVE:
		q->version = b->b.version;
		q->seen_break = &b->b;
		if (d->spec.verb == ACT_BRK_ASSIGN)
			q->assignee = x;
		else if (d->spec.verb == ACT_BRK_MATCH)
			q->counterpart_ref = x;
		else if (d->spec.verb == ACT_BRK_ADJUST)
			q->adjustment_minor = d->adjustment;
		break;
	default:
		q->version = b->l.version;
		q->seen_limit = &b->l;
		q->limit_minor = d->spec.limit_minor;
		break;
	}
}

/* ---- the dialog ---- */

static void row_line(const rows_op *d, const row_obj *b, ops_body *ls)
{
	char a[64], w[48];
	switch (d->spec.kind) {
	case ACT_CASE_DECISION: {
		const api_case *c = &b->c;
		fmt_enum(w, sizeof w, api_stage_str(c->stage)[0] != '?' ?
			 api_stage_str(c->stage) : NULL, c->stage_raw);
		/* TRANSLATORS: a case: id, merchant, stage and risk level as sent,
		 * risk score, version */
		ops_body_add(ls, ROLE_NORMAL, _("  %s  %s  stage %s, risk %s %d, v%lld"),
			c->id, c->merchant_name, w, c->risk_level_raw,
			c->risk_score, (long long)c->version);
		/* approving before a check has answered: said, per check */
		for (size_t i = 0; d->spec.verb == ACT_CASE_APPROVE &&
				   i < c->n_checks; i++)
			if (c->checks[i].result == CHECK_PENDING)
				/* TRANSLATORS: the name of a check (kyc, sanctions...) */
				ops_body_add(ls, ROLE_WARN, _("    check %s is still pending: "
					"approved before its result"),
					c->checks[i].name ? c->checks[i].name : "?");
		break;
	}
	case ACT_BREAK_RESOLVE: {
		const api_break *k = &b->b;
		money_format(k->difference_minor, k->currency, a, sizeof a);
		fmt_enum(w, sizeof w, k->status < BS_UNKNOWN ?
			 api_break_status_str(k->status) : NULL, k->status_raw);
		/* TRANSLATORS: a break: id, channel, type as sent, difference,
		 * status as sent, version */
		ops_body_add(ls, ROLE_NORMAL, _("  %s  %s  %s  diff %s  %s, v%lld"), k->id,
			k->channel_id, k->type_raw, a, w, (long long)k->version);
		break;
	}
	default: {
		const api_limit *l = &b->l;
		int64_t nl = d->spec.limit_minor;
		char n[64], ua[64], bar0[96], bar1[96], w0[32];
		money_format(l->limit_minor, l->currency, a, sizeof a);
		money_format(nl, l->currency, n, sizeof n);
		ops_body_add(ls, ROLE_TITLE, "  %s  %s %s", l->id, l->scope_id, l->name);
		ops_body_add(ls, ROLE_NORMAL, _("  limit: %s -> %s"), a, n);
		money_format(l->used_minor, l->currency, ua, sizeof ua);
		fmt_usage(bar0, sizeof bar0, l->used_minor, l->limit_minor, 20);
		fmt_usage(bar1, sizeof bar1, l->used_minor, nl, 20);
		/* TRANSLATORS: the next three labels line up: keep their widths equal */
		ops_body_add(ls, ROLE_NORMAL, _("  used:  %s"), ua);
		ops_body_add(ls, ROLE_NORMAL, _("  now   %s"), bar0);
		ops_body_add(ls, ROLE_NORMAL, _("  after %s"), bar1);
		api_limit_state s1 = api_limit_state_for(l->used_minor, nl, l->warn_at);
		fmt_enum(w0, sizeof w0, l->state < LS_UNKNOWN ?
			 api_limit_state_str(l->state) : NULL, l->state_raw);
		ops_body_add(ls, s1 == LS_BREACHED ? ROLE_CRIT : s1 == LS_WARNING ?
			ROLE_WARN : ROLE_OK, _("  state: %s -> %s (warns at %.0f%% of "
			"the limit)"), w0, api_limit_state_str(s1), l->warn_at * 100);
		break;
	}
	}
}

static int dialog(ops_op *o, ops_body *ls, ops_confirm *c)
{
	const rows_op *d = o->data;
	size_t n = o->n;
	if (d->spec.kind == ACT_BREAK_RESOLVE) {
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += d->obj[i].b.difference_minor;
		char s[64];
		money_format(sum, d->obj[0].b.currency, s, sizeof s);
		/* TRANSLATORS: dialog line: the verb (Match, Write off...), how many
		 * breaks, "break" or "breaks", their total difference */
		ops_body_add(ls, ROLE_TITLE, _("%s %zu %s, total difference %s"), d->label,
			n, n == 1 ? _("break") : _("breaks"), s);
	} else if (d->spec.kind == ACT_CASE_DECISION) {
		/* TRANSLATORS: dialog line: the verb (Approve...), how many cases,
		 * "case" or "cases" */
		ops_body_add(ls, ROLE_TITLE, _("%s %zu onboarding %s"), d->label, n,
			n == 1 ? _("case") : _("cases"));
	} else {
		ops_body_add(ls, ROLE_TITLE, "%s", _("Adjust limit"));
	}
	for (size_t i = 0; i < n && i < SHOW; i++)
		row_line(d, &d->obj[i], ls);
	if (n > SHOW)
		ops_body_add(ls, ROLE_DIM, _("  ... and %zu more"), n - SHOW);
	ops_body_add(ls, ROLE_DIM, "%s", _("one request and one audit pair per row, each with "
		"If-Match of the version shown"));
	c->title = d->title;
	c->confirm_label = d->label;
	c->extra_label = d->spec.extra_label;
	c->extra_required = d->spec.extra_required;
	c->extra_max = 128;
	return 0;
}

static const char *validate(ops_op *o, const char *reason, const char *ticket,
			    const char *extra)
{
	rows_op *d = o->data;
	(void)ticket;
	if (d->spec.kind == ACT_BREAK_RESOLVE && d->spec.verb == ACT_BRK_ADJUST) {
		if (money_parse(extra, d->obj[0].b.currency, &d->adjustment) != 0 ||
		    d->adjustment == 0) {
			snprintf(o->why, sizeof o->why, _("adjustment '%.40s' is not a "
				 "non-zero amount like -2.00 or 1,200.50"), extra);
			return o->why;
		}
	}
	if (d->spec.extra_label && d->spec.extra_required && (!extra || !*extra)) {
		snprintf(o->why, sizeof o->why, _("%s is required"), d->spec.extra_label);
		return o->why;
	}
	/* the one check the action client makes too, asked before anything
	 * is written: the first row with the operator's fields */
	act_request q;
	fill(o, 0, extra, &q);
	q.reason = reason && *reason ? reason : "-";
	char code[64];
	int rc = act_check(ops_op_env(o)->act, &q, o->why, sizeof o->why, code);
	if (rc != 0 && strcmp(code, "invalid_request") == 0)
		return o->why;
	return NULL;
}

static void open_failed(ops_op *o)
{
	ops_say(o->r, MSG_ERROR, "%s", _("could not open the confirmation (another "
		"dialog is open)"));
}

static void cancelled(ops_op *o)
{
	ops_say(o->r, MSG_INFO, o->n == 1 ? _("cancelled: nothing was sent for %zu row") :
		_("cancelled: nothing was sent for %zu rows"), o->n);
}

/* ---- submit and answers ---- */

static int confirmed(ops_op *o)
{
	rows_op *d = o->data;
	if (d->spec.kind == ACT_BREAK_RESOLVE && d->spec.verb == ACT_BRK_ADJUST)
		money_parse(o->extra, d->obj[0].b.currency, &d->adjustment);
	/* TRANSLATORS: the command name, how many requests */
	ops_say(o->r, MSG_INFO, o->n == 1 ? _("%s: sending %zu request...") :
		_("%s: sending %zu requests..."), verb_name(&d->spec), o->n);
	return 0;
}

static uint64_t submit(ops_op *o, ops_target *t)
{
	act_request q;
	fill(o, index_of(o, t), o->extra, &q);
	return act_submit(ops_op_env(o)->act, &q, ops_act_done, ops_act_progress, t);
}

static void progress(ops_op *o, ops_target *t, const char *msg)
{
	ops_say(o->r, MSG_INFO, "%s: %s", t->id, msg);
}

static void answered(ops_op *o, ops_target *t, const ops_answer *a)
{
	const rows_op *d = o->data;
	const act_result *r = a->act;
	const ops_env *env = ops_op_env(o);
	(void)t;
	/* the platform's answer is the newest copy: show it now rather than
	 * at the next poll or event (not while the cache builds indexes: it
	 * takes no writes then, and the poll after the build brings it) */
	if (r->object_json && env->cache && !cache_building(env->cache) &&
	    (r->status == ACT_APPLIED || r->status == ACT_PENDING_APPROVAL ||
	     r->status == ACT_CONFLICT)) {
		api_kind k = d->spec.kind == ACT_CASE_DECISION ? API_KIND_CASE :
			     d->spec.kind == ACT_BREAK_RESOLVE ? API_KIND_BREAK :
			     API_KIND_LIMIT;
		char m[128];
		cache_upsert_json(env->cache, k, r->object_json,
				  strlen(r->object_json), m, sizeof m);
	}
	if (o->n == 1)
		ops_say(o->r, r->status == ACT_APPLIED ? MSG_OK :
			r->status == ACT_PENDING_APPROVAL ? MSG_INFO : MSG_WARN,
			"%s", r->message);
}

/* "escalate: 3 applied, 1 rejected (first: brk_... rejected:
 * invalid_transition)" */
static void summary(ops_op *o)
{
	const rows_op *d = o->data;
	size_t counts[ACT_REFUSED + 1] = {0};
	const ops_target *first_bad = NULL;
	for (size_t i = 0; i < o->n; i++) {
		counts[o->t[i].status]++;
		if (o->t[i].status != ACT_APPLIED && !first_bad)
			first_bad = &o->t[i];
	}
	char msg[600];
	int len = snprintf(msg, sizeof msg, "%s: ", verb_name(&d->spec));
	bool any = false;
	for (int s = ACT_APPLIED; s <= ACT_REFUSED && len < (int)sizeof msg; s++) {
		if (!counts[s])
			continue;
		len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%zu %s",
				any ? ", " : "", counts[s],
				act_status_name((act_status)s));
		any = true;
	}
	if (first_bad && len < (int)sizeof msg)
		snprintf(msg + len, sizeof msg - (size_t)len, " (first: %s %s%s%s)",
			 first_bad->id, act_status_name(first_bad->status),
			 first_bad->code[0] ? ": " : "", first_bad->code);
	int sev = first_bad ? (counts[ACT_APPLIED] ? MSG_WARN : MSG_ERROR) : MSG_OK;
	ops_say(o->r, sev, "%s", msg);
}

static const ops_class rows_class = {
	.marking = OPS_MARK_NONE, .ask_again = false,
	.dialog = dialog, .validate = validate, .confirmed = confirmed,
	.submit = submit, .progress = progress, .answered = answered,
	.summary = summary, .cancelled = cancelled, .open_failed = open_failed,
	.free_data = data_free,
};

/* ---- the starter ---- */

static int read_row(const ops_env *env, act_kind k, const char *id, row_obj *b)
{
	if (k == ACT_CASE_DECISION)
		return cache_get_case(env->cache, id, &b->c);
	if (k == ACT_BREAK_RESOLVE)
		return cache_get_break(env->cache, id, &b->b);
	return cache_get_limit(env->cache, id, &b->l);
}

int ops_rows(ops *r, const ops_rows_spec *spec, char *const *ids, size_t n)
{
	if (!r)
		return -1;
	const ops_env *env = ops_env_of(r);
	if (!env->cache || n == 0) {
		ops_say(r, MSG_WARN, "%s", _("nothing selected"));
		return -1;
	}
	rows_op *d = calloc(1, sizeof *d);
	if (d) {
		d->spec = *spec;
		snprintf(d->title, sizeof d->title, "%s", spec->title ? spec->title : "");
		snprintf(d->label, sizeof d->label, "%s", spec->label ? spec->label : "");
		snprintf(d->extra_label, sizeof d->extra_label, "%s",
			 spec->extra_label ? spec->extra_label : "");
		d->spec.title = d->title;
		d->spec.label = d->label;
		d->spec.extra_label = spec->extra_label ? d->extra_label : NULL;
		d->obj = calloc(n, sizeof *d->obj);
	}
	if (!d || !d->obj) {
		free(d);
		ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
		return -1;
	}
	ops_op *o = ops_op_new(r, &rows_class, d, ids, n, spec->opened_by);
	if (!o)
		return -1;
	for (size_t i = 0; i < n; i++) {
		d->n_obj = i + 1;
		if (read_row(env, spec->kind, ids[i], &d->obj[i]) != 0) {
			ops_say(r, MSG_ERROR, _("%s is no longer in the cache: nothing "
				"sent"), ids[i]);
			ops_op_drop(o);
			return -1;
		}
	}
	/* refuse before the dialog: read-only, scope */
	act_request q;
	fill(o, 0, NULL, &q);
	q.reason = "-";
	if (spec->kind == ACT_BREAK_RESOLVE && spec->verb == ACT_BRK_MATCH)
		q.counterpart_ref = "-";
	if (spec->kind == ACT_BREAK_RESOLVE && spec->verb == ACT_BRK_ADJUST)
		q.adjustment_minor = 1;
	if (spec->verb == ACT_CASE_ASSIGN || spec->verb == ACT_BRK_ASSIGN)
		q.assignee = "-";
	char why[300], code[64];
	if (act_check(env->act, &q, why, sizeof why, code) != 0) {
		/* TRANSLATORS: the command name, why */
		ops_say(r, MSG_ERROR, _("%s refused, nothing sent: %s"),
			verb_name(&d->spec), why);
		ops_op_drop(o);
		return -1;
	}
	return ops_op_start(o);
}
