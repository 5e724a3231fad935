/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/runner.c: the states every operation goes through (ops/op.h), its
 * marks and the message line. */
#include "ops/op.h"
#include "base/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/bar.h"

struct ops {
	ops_env env;
	ops_op *ops;           /* every operation, from its dialog to its outcome */
	ops_marks marks;
	uint64_t gen;
};

ops *ops_new(const ops_env *env)
{
	ops *r = calloc(1, sizeof *r);
	if (r)
		r->env = *env;
	return r;
}

static void op_free(ops_op *o)
{
	if (o->cls->free_data)
		o->cls->free_data(o);
	else
		free(o->data);
	for (size_t i = 0; i < o->n; i++)
		free(o->t[i].id);
	free(o->t);
	free(o->reason);
	free(o->ticket);
	free(o->extra);
	free(o->conflict);
	free(o);
}

void ops_free(ops *r)
{
	if (!r)
		return;
	while (r->ops) {
		ops_op *o = r->ops;
		r->ops = o->next;
		op_free(o);
	}
	free(r);
}

uint64_t ops_gen(const ops *r)
{
	return r ? r->gen : 0;
}

const ops_mark *ops_mark_of(const ops *r, const char *target)
{
	return r && target ? ops_marks_find(&r->marks, target) : NULL;
}

const ops_env *ops_op_env(const ops_op *o)
{
	return &o->r->env;
}

const ops_env *ops_env_of(const ops *r)
{
	return &r->env;
}

void ops_say(const ops *r, int sev, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (r->env.message)
		r->env.message(r->env.ctx, sev, buf);
}

static void tell_app(ops *r)
{
	r->gen++;
	if (r->env.changed)
		r->env.changed(r->env.ctx);
}

ops_marks *ops_marks_all(ops *r)
{
	return &r->marks;
}

void ops_marks_changed(ops *r)
{
	tell_app(r);
}

const char *ops_why_not(ops *r, act_kind k, char *buf, size_t bufsz)
{
	act_request q = { .kind = k, .target = "x", .version = 0,
			  .reason = "-", .verb = 0 };
	if (k == ACT_ROUTE_WEIGHTS)
		return NULL; /* the weights are checked by the editor */
	char code[64];
	if (act_check(r->env.act, &q, buf, bufsz, code) == 0)
		return NULL;
	if (strcmp(code, "read_only") && strcmp(code, "insufficient_scope"))
		return NULL;
	return buf;
}

/* ---- life ---- */

ops_op *ops_op_new(ops *r, const ops_class *cls, void *data,
		   char *const *ids, size_t n, wint_t opened_by)
{
	ops_op *o = calloc(1, sizeof *o);
	ops_target *t = calloc(n ? n : 1, sizeof *t);
	if (!o || !t) {
		free(o);
		free(t);
		if (cls->free_data) {
			ops_op tmp = { .data = data };
			cls->free_data(&tmp);
		} else {
			free(data);
		}
		ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
		return NULL;
	}
	o->r = r;
	o->cls = cls;
	o->data = data;
	o->opened_by = opened_by;
	o->t = t;
	for (size_t i = 0; i < n; i++) {
		t[i].o = o;
		t[i].id = strdup(ids[i]);
		o->n = i + 1;
		if (!t[i].id) {
			op_free(o);
			ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
			return NULL;
		}
	}
	o->next = r->ops;
	r->ops = o;
	return o;
}

void ops_op_drop(ops_op *o)
{
	for (ops_op **pp = &o->r->ops; *pp; pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			break;
		}
	op_free(o);
}

/* ---- marks ---- */

static void mark(ops_op *o, ops_target *t, ops_phase ph, const ops_answer *a)
{
	ops_marks *m = &o->r->marks;
	if (o->cls->marking == OPS_MARK_NONE)
		return;
	if (ph == OPS_NONE ||
	    (ph == OPS_DONE && o->cls->marking == OPS_MARK_IN_FLIGHT)) {
		ops_marks_drop(m, t->id);
	} else {
		ops_mark *k = ops_marks_get(m, t->id);
		k->phase = ph;
		k->at = time(NULL);
		o->cls->what(o, t, k->what, sizeof k->what);
		if (a) {
			k->status = a->status;
			snprintf(k->code, sizeof k->code, "%s",
				 a->act ? a->act->code : a->am ? a->am->code : "");
		}
	}
	o->r->gen++;
}

/* ---- the dialog ---- */

static void on_confirm(void *ctx, const char *reason, const char *ticket,
		       const char *extra);
static void on_cancel(void *ctx);

static const char *on_validate(void *ctx, const char *reason,
			       const char *ticket, const char *extra)
{
	ops_op *o = ctx;
	return o->cls->validate(o, reason, ticket, extra);
}

/* After a conflict: what changed, above the new state. */
static void conflict_lines(const ops_op *o, ops_body *ls)
{
	if (!o->conflict)
		return;
	ops_body_add(ls, ROLE_WARN, "%s", _("CHANGED since you looked (nothing was done):"));
	const char *p = o->conflict;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		ops_body_add(ls, ROLE_WARN, "  %.*s", len, p);
		p = nl ? nl + 1 : NULL;
	}
	ops_body_add(ls, ROLE_WARN, "%s", _("Review the new state below and confirm again."));
}

/* 0 when the dialog is open; else the class has said why. */
static int open_dialog(ops_op *o)
{
	const ops_env *env = &o->r->env;
	ops_body ls = { .n = 0 };
	ops_confirm c = { .title = NULL };
	conflict_lines(o, &ls);
	int rc = o->cls->dialog(o, &ls, &c);
	if (rc == 0 && ls.oom)
		rc = -1;
	if (rc == 0) {
		c.lines = ls.l;
		c.n_lines = ls.n;
		c.opened_by = o->opened_by;
		c.validate = o->cls->validate ? on_validate : NULL;
		c.on_confirm = on_confirm;
		c.on_cancel = on_cancel;
		c.cb_ctx = o;
		c.reason_prefill = o->reason;
		c.ticket_prefill = o->ticket;
		c.extra_prefill = o->extra;
		rc = env->confirm ? env->confirm(env->ctx, &c) : -1;
	}
	ops_body_free(&ls);
	if (rc != 0)
		o->cls->open_failed(o);
	return rc;
}

int ops_op_start(ops_op *o)
{
	if (open_dialog(o) != 0) {
		ops_op_drop(o);
		return -1;
	}
	return 0;
}

static void on_cancel(void *ctx)
{
	ops_op *o = ctx;
	o->cls->cancelled(o);
	ops_op_drop(o);
}

/* ---- submit, answers, the end ---- */

/* Every target answered: the summary, the app told, the operation gone. */
static void finish(ops_op *o)
{
	ops *r = o->r;
	if (o->n > 1 && o->cls->summary)
		o->cls->summary(o);
	tell_app(r);
	ops_op_drop(o);
}

/* Send what the window allows; false when the operation ended here
 * (every target refused before anything went out). */
static bool pump(ops_op *o)
{
	while (o->in_flight < OPS_WINDOW && o->next_t < o->n) {
		ops_target *t = &o->t[o->next_t++];
		o->in_flight++;
		mark(o, t, OPS_IN_FLIGHT, NULL);
		if (o->cls->submit(o, t) == 0) {
			o->in_flight--;
			t->status = ACT_REFUSED;
			snprintf(t->code, sizeof t->code, "out_of_memory");
			t->done = true;
			o->finished++;
			mark(o, t, OPS_NONE, NULL);
		}
	}
	if (o->finished < o->n || o->in_flight > 0)
		return true;
	if (o->n == 1)
		ops_say(o->r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
	finish(o);
	return false;
}

static char *dup_field(const char *s, bool *bad)
{
	char *d = strdup(s ? s : "");
	if (!d)
		*bad = true;
	return d;
}

static void on_confirm(void *ctx, const char *reason, const char *ticket,
		       const char *extra)
{
	ops_op *o = ctx;
	ops *r = o->r;
	bool bad = false;
	free(o->reason);
	free(o->ticket);
	free(o->extra);
	o->reason = dup_field(reason, &bad);
	o->ticket = dup_field(ticket, &bad);
	o->extra = dup_field(extra, &bad);
	if (bad) {
		ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
		ops_op_drop(o);
		return;
	}
	if (o->cls->confirmed && o->cls->confirmed(o) != 0) {
		ops_op_drop(o);
		return;
	}
	if (pump(o))
		tell_app(r);
}

static void answered(ops_target *t, const ops_answer *a)
{
	ops_op *o = t->o;
	t->status = a->status;
	t->done = true;
	snprintf(t->code, sizeof t->code, "%s",
		 a->act ? a->act->code : a->am ? a->am->code : "");
	o->in_flight--;
	o->finished++;
	mark(o, t, OPS_DONE, a);
	o->r->gen++;
	o->cls->answered(o, t, a);
	if (a->status == ACT_CONFLICT && o->cls->ask_again && o->n == 1) {
		/* ask again with the new state and what changed */
		tell_app(o->r);
		free(o->conflict);
		o->conflict = strdup(a->act && a->act->changes[0] ?
				     a->act->changes : "version moved");
		if (!o->conflict) { /* nothing was applied: say so, ask nothing */
			ops_say(o->r, MSG_ERROR, "%s", _("out of memory: the conflict is not "
				"asked again (nothing was applied)"));
			ops_op_drop(o);
			return;
		}
		t->done = false;
		o->next_t = o->finished = 0;
		o->opened_by = 0;
		ops_op_start(o);
		return;
	}
	if (o->finished < o->n) {
		pump(o);
		return;
	}
	finish(o);
}

void ops_act_done(void *ctx, const act_result *r)
{
	ops_answer a = { .status = r->status, .act = r };
	answered(ctx, &a);
}

void ops_am_done(void *ctx, const am_result *r)
{
	ops_answer a = { .am = r };
	switch (r->status) {
	case AM_OP_APPLIED: a.status = ACT_APPLIED; break;
	case AM_OP_REJECTED: a.status = ACT_REJECTED; break;
	case AM_OP_UNKNOWN: a.status = ACT_UNKNOWN; break;
	default: a.status = ACT_REFUSED; break;
	}
	answered(ctx, &a);
}

void ops_act_progress(void *ctx, const char *msg)
{
	ops_target *t = ctx;
	if (t->o->cls->progress)
		t->o->cls->progress(t->o, t, msg);
	else
		ops_say(t->o->r, MSG_INFO, "%s", msg);
}
