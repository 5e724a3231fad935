/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/alert.c: the operator's actions on alerts: acknowledge a platform
 * alert (the action client), silence an Alertmanager alert and expire a
 * silence (the Alertmanager client). Each marks its alert or silence
 * while in flight. */
#include "ops/op.h"
#include "base/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "widgets/bar.h"

#define SILENCE_MAX_S (366LL * 86400)

typedef struct {
	char key[192];           /* fingerprint (ack, silence) or silence id */
	char server[64];         /* Alertmanager name (silence, expire) */
	char title[128];
	/* silence: the labels as the dialog showed them (the alert may be
	 * gone from the store by the time the operator confirms) */
	api_label *labels;
	size_t n_labels;
	bool expire;             /* expire a silence (else create one) */
	/* ack: the alert as found at confirm */
	char alert_id[192];
	char before[200];
	/* silence, expire: as found at confirm */
	am_server *srv;
	const char *me;
	int64_t duration_s;
	/* the dialog's lines as the starter wrote them */
	char line[4][1280];
	term_role role[4];
	size_t n_lines;
	ops_confirm fields;      /* the title, labels and fields it asks */
} alert_op;

static void data_free(ops_op *o)
{
	alert_op *d = o->data;
	if (!d)
		return;
	for (size_t i = 0; i < d->n_labels; i++) {
		free(d->labels[i].key);
		free(d->labels[i].value);
	}
	free(d->labels);
	free(d);
}

static const char *alert_key(const api_alert *a)
{
	return a->fingerprint && *a->fingerprint ? a->fingerprint :
	       a->id ? a->id : "";
}

static const api_alert *find_alert(const store *st, const char *key)
{
	size_t n = store_alert_count(st);
	for (size_t i = 0; i < n; i++) {
		const api_alert *a = store_alert_at(st, i);
		if (a && strcmp(alert_key(a), key) == 0)
			return a;
	}
	return NULL;
}

static const char *operator_id(const ops *r)
{
	const api_me *me = store_me(ops_env_of(r)->st);
	return me && me->operator_id && *me->operator_id ? me->operator_id : NULL;
}

static bool writable(ops *r)
{
	const ops_env *env = ops_env_of(r);
	if (env->cfg && env->cfg->read_only) {
		ops_say(r, MSG_WARN, "%s", _("read-only mode: alerts cannot be acknowledged "
			"or silenced"));
		return false;
	}
	if (!env->confirm) {
		ops_say(r, MSG_WARN, "%s", _("no confirmation dialog in this build: not "
			"available"));
		return false;
	}
	return true;
}

static bool in_flight(const ops *r, const char *key)
{
	const ops_mark *m = ops_mark_of(r, key);
	return m && m->phase == OPS_IN_FLIGHT;
}

static alert_op *data_new(ops *r, const char *key, const char *server,
			  const char *title)
{
	alert_op *d = calloc(1, sizeof *d);
	if (!d) {
		ops_say(r, MSG_ERROR, "%s", _("out of memory"));
		return NULL;
	}
	snprintf(d->key, sizeof d->key, "%s", key ? key : "");
	snprintf(d->server, sizeof d->server, "%s", server ? server : "");
	snprintf(d->title, sizeof d->title, "%s", title ? title : "");
	return d;
}

/* The next line of the dialog, written now from what is on screen. */
static char *line_of(alert_op *d, term_role role)
{
	d->role[d->n_lines] = role;
	return d->line[d->n_lines++];
}

/* Every action's dialog: the lines and fields its starter set. */
static int dialog(ops_op *o, ops_body *ls, ops_confirm *c)
{
	const alert_op *d = o->data;
	for (size_t i = 0; i < d->n_lines; i++)
		ops_body_add(ls, d->role[i], "%s", d->line[i]);
	*c = d->fields;
	return 0;
}

/* Put the operation up: its target is d->key. */
static int start(ops *r, const ops_class *cls, alert_op *d, wint_t opened_by)
{
	char *ids[1] = { d->key };
	ops_op *o = ops_op_new(r, cls, d, ids, 1, opened_by);
	return o ? ops_op_start(o) : -1;
}

static void open_failed(ops_op *o)
{
	ops_say(o->r, MSG_ERROR, "%s", _("the dialog could not open"));
}

static void cancelled(ops_op *o)
{
	ops_say(o->r, MSG_INFO, "%s", _("cancelled: nothing was sent"));
}

/* ---- acknowledge (platform) ---- */

static int ack_confirmed(ops_op *o)
{
	alert_op *d = o->data;
	const ops_env *env = ops_op_env(o);
	const api_alert *a = find_alert(env->st, d->key);
	if (!a || !env->act) {
		ops_say(o->r, MSG_ERROR, "%s", a ? _("no action client: nothing was "
			"sent") : _("the alert is gone: nothing was sent"));
		return -1;
	}
	snprintf(d->alert_id, sizeof d->alert_id, "%s", a->id ? a->id : "");
	snprintf(d->before, sizeof d->before, "state=%s acked_by=%s",
		 a->state_raw ? a->state_raw : "?", a->acked_by ? a->acked_by : "-");
	return 0;
}

static uint64_t ack_submit(ops_op *o, ops_target *t)
{
	alert_op *d = o->data;
	act_request q = {
		.kind = ACT_ALERT_ACK, .target = d->alert_id, .reason = o->reason,
		.ticket = o->ticket, .state_before = d->before,
	};
	return act_submit(ops_op_env(o)->act, &q, ops_act_done, ops_act_progress, t);
}

static void ack_progress(ops_op *o, ops_target *t, const char *msg)
{
	const alert_op *d = o->data;
	(void)t;
	ops_say(o->r, MSG_INFO, _("ack %s: %s"), d->title, msg);
}

static void ack_answered(ops_op *o, ops_target *t, const ops_answer *a)
{
	const alert_op *d = o->data;
	const act_result *r = a->act;
	(void)t;
	int sev = r->status == ACT_APPLIED ? MSG_OK :
		  r->status == ACT_UNKNOWN || r->status == ACT_PENDING_APPROVAL ?
		  MSG_WARN : MSG_ERROR;
	ops_say(o->r, sev, _("ack %s: %s%s%s"), d->title, act_status_name(r->status),
		r->message[0] ? ": " : "", r->message);
}

static void ack_what(const ops_op *o, const ops_target *t, char *buf, size_t sz)
{
	(void)o;
	(void)t;
	snprintf(buf, sz, "ack");
}

static const ops_class ack_class = {
	.marking = OPS_MARK_IN_FLIGHT,
	.dialog = dialog, .confirmed = ack_confirmed, .submit = ack_submit,
	.progress = ack_progress, .answered = ack_answered,
	.cancelled = cancelled, .open_failed = open_failed, .what = ack_what,
	.free_data = data_free,
};

int ops_ack(ops *r, const api_alert *a, const char *severity,
	    const char *state, wint_t opened_by)
{
	if (!r || !writable(r))
		return -1;
	const ops_env *env = ops_env_of(r);
	if (a->source && strcmp(a->source, "platform") != 0) {
		ops_say(r, MSG_WARN, _("%s comes from Alertmanager %s, which has no "
			"acknowledgement: z silences it"), a->title ? a->title : "",
			a->source);
		return -1;
	}
	if (in_flight(r, alert_key(a))) {
		ops_say(r, MSG_WARN, "%s", _("an action on this alert is still in flight"));
		return -1;
	}
	if (a->acked_by && *a->acked_by) {
		ops_say(r, MSG_INFO, _("already acknowledged by %s"), a->acked_by);
		return -1;
	}
	if (env->act) {
		act_request q = { .kind = ACT_ALERT_ACK, .target = a->id,
				  .reason = "-" };
		char why[256];
		if (act_check(env->act, &q, why, sizeof why, NULL) != 0) {
			ops_say(r, MSG_WARN, "%s", why);
			return -1;
		}
	}
	const char *me = operator_id(r);
	alert_op *d = data_new(r, alert_key(a), NULL, a->title);
	if (!d)
		return -1;
	const size_t L = sizeof d->line[0];
	snprintf(line_of(d, ROLE_NORMAL), L, _("alert %s: %s"), a->id ? a->id : "?",
		 a->title ? a->title : "");
	snprintf(line_of(d, a->severity == AS_CRITICAL ? ROLE_CRIT : ROLE_NORMAL),
		 L, "%s, %s", severity, state);
	/* TRANSLATORS: acked_by is the platform's field name: keep it */
	snprintf(line_of(d, ROLE_NORMAL), L, _("effect: acked_by -> %s on the "
		 "platform; it keeps firing until its cause clears"),
		 me ? me : _("you"));
	d->fields = (ops_confirm){ .title = _("Acknowledge alert"),
				   .confirm_label = _("Acknowledge"),
				   .ticket = OPS_TICKET_CONFIG };
	return start(r, &ack_class, d, opened_by);
}

/* ---- silence and expire (Alertmanager) ---- */

/* A silence lasts 1s to 366d, in base/duration.h's grammar. */
static int silence_secs(const char *s, int64_t *secs, char *why, size_t whysz)
{
	int64_t ms = 0;
	duration_status st = duration_parse(s, &ms);
	if (st == DURATION_BARE) {
		char e[128];
		duration_error(st, s, e, sizeof e);
		snprintf(why, whysz, _("Duration: %s"), e);
		return -1;
	}
	if (st != DURATION_OK || ms < 1000 || ms / 1000 > SILENCE_MAX_S) {
		snprintf(why, whysz, "%s", _("Duration: a number and a unit, e.g. 30m, 2h, "
			 "1d, 1h30m (at most 366d)"));
		return -1;
	}
	*secs = ms / 1000;
	return 0;
}

static const char *silence_validate(ops_op *o, const char *reason,
				    const char *ticket, const char *extra)
{
	int64_t secs;
	(void)reason;
	(void)ticket;
	if (silence_secs(extra, &secs, o->why, sizeof o->why) != 0)
		return o->why;
	return NULL;
}

/* The Alertmanager and the operator, still there at confirm (kept for
 * the submit that follows in the same turn of the loop). */
static int am_now(ops_op *o)
{
	alert_op *d = o->data;
	const ops_env *env = ops_op_env(o);
	d->srv = env->am ? am_hub_find(env->am, d->server) : NULL;
	d->me = operator_id(o->r);
	if (!d->srv || !d->me) {
		ops_say(o->r, MSG_ERROR, "%s", !d->srv ? _("the Alertmanager is gone: "
			"nothing was sent") : _("the operator is not known yet: nothing "
			"was sent"));
		return -1;
	}
	return 0;
}

static int silence_confirmed(ops_op *o)
{
	alert_op *d = o->data;
	if (am_now(o) != 0)
		return -1;
	if (silence_secs(o->extra, &d->duration_s, o->why, sizeof o->why) != 0) {
		ops_say(o->r, MSG_ERROR, "%s", _("the duration does not parse: nothing was "
			"sent"));
		return -1;
	}
	return 0;
}

static uint64_t silence_submit(ops_op *o, ops_target *t)
{
	alert_op *d = o->data;
	api_alert a = { .fingerprint = d->key, .id = d->key, .title = d->title,
			.labels = d->labels, .n_labels = d->n_labels };
	return am_silence_create(d->srv, &a, NULL, 0, d->duration_s, d->me,
				 o->reason, ops_am_done, t);
}

static void am_answered(ops_op *o, ops_target *t, const ops_answer *a)
{
	const alert_op *d = o->data;
	const am_result *r = a->am;
	(void)t;
	int sev = r->status == AM_OP_APPLIED ? MSG_OK :
		  r->status == AM_OP_UNKNOWN ? MSG_WARN : MSG_ERROR;
	if (!d->expire)
		/* TRANSLATORS: alert title, Alertmanager, status (an enum
		 * value), ", silence ", the silence id, ": ", its message */
		ops_say(o->r, sev, _("silence %s on %s: %s%s%s%s%s"), d->title,
			d->server, am_op_status_name(r->status),
			r->silence_id[0] ? _(", silence ") : "", r->silence_id,
			r->message[0] ? ": " : "", r->message);
	else
		ops_say(o->r, sev, _("expire silence %s on %s: %s%s%s"), d->key,
			d->server, am_op_status_name(r->status),
			r->message[0] ? ": " : "", r->message);
}

static void silence_what(const ops_op *o, const ops_target *t, char *buf, size_t sz)
{
	const alert_op *d = o->data;
	(void)t;
	snprintf(buf, sz, "%s", d->expire ? "expire" : "silence");
}

static const ops_class silence_class = {
	.marking = OPS_MARK_IN_FLIGHT,
	.dialog = dialog, .validate = silence_validate,
	.confirmed = silence_confirmed, .submit = silence_submit,
	.answered = am_answered, .cancelled = cancelled,
	.open_failed = open_failed, .what = silence_what,
	.free_data = data_free,
};

int ops_silence(ops *r, const api_alert *a, am_server *s, wint_t opened_by)
{
	if (!r || !writable(r))
		return -1;
	const ops_env *env = ops_env_of(r);
	if (!s) {
		ops_say(r, MSG_WARN, "%s", env->am ? _("not an Alertmanager alert: a "
			"acknowledges a platform alert") : _("no Alertmanager "
			"configured: a acknowledges a platform alert"));
		return -1;
	}
	if (!a->n_labels) {
		ops_say(r, MSG_WARN, "%s", _("the alert has no labels to match"));
		return -1;
	}
	const char *me = operator_id(r);
	if (!me) {
		ops_say(r, MSG_WARN, "%s", _("the operator is not known yet (waiting for "
			"/v1/me)"));
		return -1;
	}
	if (in_flight(r, alert_key(a))) {
		ops_say(r, MSG_WARN, "%s", _("an action on this alert is still in flight"));
		return -1;
	}
	alert_op *d = data_new(r, alert_key(a), am_server_name(s), a->title);
	if (!d)
		return -1;
	d->labels = calloc(a->n_labels, sizeof *d->labels);
	bool bad = !d->labels;
	for (size_t i = 0; !bad && i < a->n_labels; i++) {
		d->labels[i].key = strdup(a->labels[i].key ? a->labels[i].key : "");
		d->labels[i].value = strdup(a->labels[i].value ?
					    a->labels[i].value : "");
		d->n_labels++;
		bad = !d->labels[i].key || !d->labels[i].value;
	}
	if (bad) {
		ops_say(r, MSG_ERROR, "%s", _("out of memory"));
		ops_op tmp = { .data = d };
		data_free(&tmp);
		return -1;
	}
	const size_t L = sizeof d->line[0];
	snprintf(line_of(d, ROLE_NORMAL), L, _("alert: %s (%s)"),
		 a->title ? a->title : "", alert_key(a));
	char *m = line_of(d, ROLE_NORMAL);
	size_t len = (size_t)snprintf(m, L, "%s", _("matchers:"));
	for (size_t i = 0; i < d->n_labels && len < L; i++)
		len += (size_t)snprintf(m + len, L - len, " %s=\"%s\"",
					d->labels[i].key, d->labels[i].value);
	snprintf(line_of(d, ROLE_WARN), L, _("effect: Alertmanager %s mutes every "
		 "alert with exactly these labels for the duration"),
		 am_server_name(s));
	/* TRANSLATORS: createdBy and comment are Alertmanager's field names */
	snprintf(line_of(d, ROLE_DIM), L, _("createdBy: %s; comment: your reason"),
		 me);
	d->fields = (ops_confirm){ .title = _("Silence alert"),
				   .confirm_label = _("Silence"),
				   .ticket = OPS_TICKET_NONE,
				   .extra_label = _("Duration (e.g. 2h)"),
				   .extra_required = true, .extra_max = 16 };
	return start(r, &silence_class, d, opened_by);
}

static uint64_t expire_submit(ops_op *o, ops_target *t)
{
	const alert_op *d = o->data;
	return am_silence_expire(d->srv, d->key, d->me, o->reason, ops_am_done, t);
}

static const ops_class expire_class = {
	.marking = OPS_MARK_IN_FLIGHT,
	.dialog = dialog, .confirmed = am_now,
	.submit = expire_submit, .answered = am_answered,
	.cancelled = cancelled, .open_failed = open_failed,
	.what = silence_what, .free_data = data_free,
};

int ops_expire(ops *r, am_server *s, const am_silence *x,
	       const char *matchers, const char *ends, wint_t opened_by)
{
	if (!r || !writable(r))
		return -1;
	const char *me = operator_id(r);
	if (!me) {
		ops_say(r, MSG_WARN, "%s", _("the operator is not known yet (waiting for "
			"/v1/me)"));
		return -1;
	}
	if (x->state == AM_SIL_EXPIRED) {
		ops_say(r, MSG_INFO, "%s", _("that silence has expired already"));
		return -1;
	}
	if (in_flight(r, x->id)) {
		ops_say(r, MSG_WARN, "%s", _("that silence is being expired already"));
		return -1;
	}
	alert_op *d = data_new(r, x->id, am_server_name(s), x->comment);
	if (!d)
		return -1;
	d->expire = true;
	const size_t L = sizeof d->line[0];
	/* TRANSLATORS: silence id, Alertmanager, its state (as sent), its end */
	snprintf(line_of(d, ROLE_NORMAL), L, _("silence %s on %s (%s, until %s)"),
		 x->id, am_server_name(s), am_silence_state_str(x->state), ends);
	snprintf(line_of(d, ROLE_NORMAL), L, _("matchers: %s"), matchers);
	snprintf(line_of(d, ROLE_DIM), L, _("created by %s: %s"),
		 x->created_by ? x->created_by : "?", x->comment ? x->comment : "");
	snprintf(line_of(d, ROLE_WARN), L, "%s", _("effect: the alerts it mutes notify "
		 "again now"));
	d->fields = (ops_confirm){ .title = _("Expire silence"),
				   .confirm_label = _("Expire"),
				   .ticket = OPS_TICKET_NONE };
	return start(r, &expire_class, d, opened_by);
}
