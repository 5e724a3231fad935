/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/silence.c: silence an alert and expire a silence, with the audit
 * discipline of every operator action: the INTENT row is written before
 * the request leaves (no row, no request), the OUTCOME row when the answer
 * is in, and the caller hears exactly once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am_int.h"
#include "base/i18n.h"
#include "text/text.h"

#define ACTION_SILENCE "alert.silence"
#define ACTION_UNSILENCE "alert.unsilence"
#define INTENDED_SEP " | intended: "
#define AM_WAIT_SAY_MS 5000 /* the waiting notice again, with the time */

struct am_op {
	am_hub *h;
	am_server *s;
	uint64_t id;
	bool create;
	uint64_t req;          /* HTTP handle in flight, 0 when none */
	ev_timer_id timer;     /* a refusal's deferred callback, or the
				* "writing the audit log" notice */
	uint64_t wid;          /* intent queued in the writer, 0 when none */
	int64_t wait_since;    /* ms, when the intent began to wait */
	char *url, *body;      /* the request, kept while the intent waits */
	char until[32];        /* create: endsAt */
	am_result res;
	am_done_fn done;
	void *ctx;
	struct am_op *next;
};

const char *am_op_status_name(am_op_status st)
{
	switch (st) {
	case AM_OP_APPLIED: return "applied";
	case AM_OP_REJECTED: return "rejected";
	case AM_OP_UNKNOWN: return "unknown";
	case AM_OP_REFUSED: return "refused";
	}
	return "?";
}

size_t am_in_flight(const am_hub *h)
{
	size_t n = 0;

	for (const struct am_op *o = h->ops; o; o = o->next)
		n++;
	return n;
}

bool am_op_pending_intent(const am_hub *h, int64_t seq)
{
	for (const struct am_op *o = h->ops; o; o = o->next)
		if (o->res.intent_seq == seq)
			return true;
	return false;
}

static struct am_op *op_new(am_server *s, bool create, am_done_fn done,
			    void *ctx)
{
	struct am_op *o = calloc(1, sizeof *o);

	if (!o)
		return NULL;
	o->h = s->hub;
	o->s = s;
	o->id = ++s->hub->next_op;
	o->create = create;
	o->done = done;
	o->ctx = ctx;
	o->next = s->hub->ops;
	s->hub->ops = o;
	return o;
}

static void op_free(struct am_op *o)
{
	free(o->url);
	free(o->body);
	free(o);
}

static void op_unlink(struct am_op *o)
{
	for (struct am_op **p = &o->h->ops; *p; p = &(*p)->next)
		if (*p == o) {
			*p = o->next;
			return;
		}
}

void am_ops_free(am_hub *h)
{
	while (h->ops) {
		struct am_op *o = h->ops;
		h->ops = o->next;
		if (o->req)
			http_cancel(h->http, o->req);
		if (o->timer)
			ev_timer_cancel(h->ev, o->timer);
		if (o->wid && h->w)
			audit_writer_abandon(h->w, o->wid, AM_AUDIT_BUSY_CODE,
					     "the console quit while the audit "
					     "log was locked");
		op_free(o);
	}
}

static void finish(struct am_op *o)
{
	am_done_fn done = o->done;
	void *ctx = o->ctx;
	am_result res = o->res;
	am_server *s = o->s;
	bool sent = o->res.intent_seq != 0;

	op_unlink(o);
	op_free(o);
	if (sent)
		am_server_refresh(s); /* show the new state soon */
	if (done)
		done(ctx, &res);
}

static void refused_later(void *ctx)
{
	struct am_op *o = ctx;

	o->timer = 0;
	finish(o);
}

/* Refuse on the next loop iteration, nothing sent. */
static uint64_t refuse(struct am_op *o, const char *code, const char *msg)
{
	uint64_t id = o->id;

	o->res.status = AM_OP_REFUSED;
	snprintf(o->res.code, sizeof o->res.code, "%s", code);
	snprintf(o->res.message, sizeof o->res.message, "%s", msg);
	o->timer = ev_timer_add(o->h->ev, 0, refused_later, o);
	if (!o->timer) {
		op_unlink(o);
		op_free(o);
		return 0;
	}
	return id;
}

static void intent_written(void *ctx, int rc, int64_t seq);

static int write_intent(struct am_op *o, const char *action,
			const char *target, const char *operator_id,
			const char *state_before, const char *reason)
{
	struct audit_intent in = { 0 };
	int rc;

	if (!o->h->log || !o->h->w)
		return AUDIT_ERR;
	in.operator_id = operator_id;
	in.local_user = o->h->o.local_user;
	in.host = o->h->o.host;
	in.site = o->s->name;
	in.action = action;
	in.target = target;
	in.state_before = state_before;
	in.reason = reason;
	/* never waits on another process's lock: AUDIT_EBUSY queues it and
	 * intent_written() sends (or gives up) once the writer knows */
	rc = audit_writer_intent(o->h->w, &in, AM_AUDIT_WAIT_MS,
				 AM_AUDIT_BUSY_CODE, intent_written, o,
				 &o->res.intent_seq, &o->wid);
	if (rc != AUDIT_OK)
		o->res.intent_seq = 0;
	if (rc == AUDIT_EBUSY)
		o->wait_since = ev_now_ms();
	return rc;
}

static void write_outcome(struct am_op *o, const char *state_after)
{
	enum audit_outcome out;
	size_t len;

	switch (o->res.status) {
	case AM_OP_APPLIED: out = AUDIT_APPLIED; break;
	case AM_OP_REJECTED: out = AUDIT_REJECTED; break;
	default: out = AUDIT_UNKNOWN; break;
	}
	/* written now, or queued until the log is free (never dropped) */
	int rc = audit_writer_outcome(o->h->w, o->res.intent_seq, out,
				      o->res.code,
				      o->res.status == AM_OP_APPLIED ? ""
				      : o->res.message, state_after, NULL,
				      &o->res.outcome_seq);
	if (rc == AUDIT_OK)
		return;
	o->res.outcome_seq = 0;
	if (rc == AUDIT_EBUSY)
		return;
	len = strlen(o->res.message);
	snprintf(o->res.message + len, sizeof o->res.message - len,
		 " (audit outcome not written: %s)", audit_writer_error(o->h->w));
}

/* Map an answer common to both operations; true when it was a 2xx. */
static bool classify(struct am_op *o, const http_response *r, const char *verb)
{
	char what[320];

	o->res.http_status = r->status;
	if (r->status >= 200 && r->status < 300) {
		o->res.status = AM_OP_APPLIED;
		snprintf(o->res.code, sizeof o->res.code, "%d", r->status);
		return true;
	}
	am_response_words(r, what, sizeof what);
	/* Alertmanager up to 0.25 answers an unknown silence id with a 500
	 * "silence not found": a definite no, not a maybe */
	if (r->status == 500 && strstr(what, "silence not found")) {
		o->res.status = AM_OP_REJECTED;
		snprintf(o->res.code, sizeof o->res.code, "not_found");
		snprintf(o->res.message, sizeof o->res.message,
			 "alertmanager %s refused to %s: %s", o->s->name, verb, what);
		return false;
	}
	if (r->status >= 400 && r->status < 500) {
		o->res.status = AM_OP_REJECTED;
		snprintf(o->res.code, sizeof o->res.code, "%d", r->status);
		snprintf(o->res.message, sizeof o->res.message,
			 "alertmanager %s refused to %s: %s", o->s->name, verb, what);
	} else {
		/* no answer, a 5xx, a 3xx: it may or may not have happened */
		o->res.status = AM_OP_UNKNOWN;
		snprintf(o->res.code, sizeof o->res.code, "%s",
			 r->status ? "" : "transport");
		if (r->status)
			snprintf(o->res.code, sizeof o->res.code, "%d", r->status);
		snprintf(o->res.message, sizeof o->res.message,
			 "alertmanager %s: %s: %s; outcome unknown (the next poll "
			 "shows it)", o->s->name, verb, what);
	}
	return false;
}

static void create_done(void *ctx, const http_response *r);
static void expire_done(void *ctx, const http_response *r);

/* Send the request kept in o (its intent is written). */
static void send_now(struct am_op *o)
{
	http_request q = { 0 };

	q.method = o->create ? "POST" : "DELETE";
	q.url = o->url;
	q.body = o->body;
	q.body_len = o->body ? strlen(o->body) : 0;
	q.timeout_ms = o->h->o.timeout_ms;
	o->req = http_send(o->h->http, &q, o->create ? create_done : expire_done,
			   o);
	if (o->req)
		return;
	o->res.status = AM_OP_UNKNOWN;
	snprintf(o->res.code, sizeof o->res.code, "transport");
	snprintf(o->res.message, sizeof o->res.message,
		 "alertmanager %s: %s: could not start the request", o->s->name,
		 o->create ? "silence" : "expire");
	write_outcome(o, "");
	/* the intent is on record; tell the caller from the loop */
	o->timer = ev_timer_add(o->h->ev, 0, refused_later, o);
	if (!o->timer)
		finish(o);
}

static void say(const am_hub *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const am_hub *h, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!h->on_resolved)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	h->on_resolved(h->resolved_ctx, msg);
}

/* While the intent waits for the log: say so, now and every few seconds. */
static void say_waiting(void *ctx)
{
	struct am_op *o = ctx;
	int64_t waited = ev_now_ms() - o->wait_since;

	o->timer = 0;
	say(o->h, _("writing the audit log\u2026 %lld s (another process holds "
		    "it; the %s on %s is sent once its intent is written, or "
		    "not at all after %d s)"), (long long)(waited / 1000),
	    o->create ? _("silence") : _("expiry"), o->s->name,
	    AM_AUDIT_WAIT_MS / 1000);
	o->timer = ev_timer_add(o->h->ev, AM_WAIT_SAY_MS, say_waiting, o);
}

/* The writer's answer for an intent that had to wait. */
static void intent_written(void *ctx, int rc, int64_t seq)
{
	struct am_op *o = ctx;
	int64_t waited = ev_now_ms() - o->wait_since;
	char msg[320];

	o->wid = 0;
	if (o->timer)
		ev_timer_cancel(o->h->ev, o->timer);
	o->timer = 0;
	if (rc == AUDIT_OK) {
		o->res.intent_seq = seq;
		send_now(o);
		return;
	}
	if (rc == AUDIT_EBUSY) {
		snprintf(msg, sizeof msg, _("not sent: the audit log stayed locked "
			 "by another process for %lld s (the log records this "
			 "once it is free)"), (long long)((waited + 500) / 1000));
		refuse(o, AM_AUDIT_BUSY_CODE, msg);
		return;
	}
	snprintf(msg, sizeof msg, "not sent: the audit log refused the intent "
		 "(%s)", audit_writer_error(o->h->w));
	refuse(o, "audit_write_failed", msg);
}

/* Write the intent, then send: now when the log is free; when it is held
 * by another process, later from intent_written(), the loop never waiting. */
static uint64_t intent_then_send(struct am_op *o, const char *action,
				 const char *target, const char *operator_id,
				 const char *before, const char *reason)
{
	char msg[320];
	int rc = write_intent(o, action, target, operator_id, before, reason);

	if (rc == AUDIT_OK) {
		uint64_t id = o->id;
		send_now(o);
		return id;
	}
	if (rc == AUDIT_EBUSY) {
		o->timer = ev_timer_add(o->h->ev, 0, say_waiting, o);
		return o->id;
	}
	snprintf(msg, sizeof msg, "not sent: the audit log refused the intent "
		 "(%s)", !o->h->log ? "no audit log" : o->h->w
		 ? audit_writer_error(o->h->w) : "no writer");
	return refuse(o, "audit_write_failed", msg);
}

/* ---- create ---- */
static void create_done(void *ctx, const http_response *r)
{
	struct am_op *o = ctx;
	char state_after[128] = "", err[200];

	o->req = 0;
	if (classify(o, r, "silence")) {
		if (am_decode_silence_id(r->body, r->body_len, o->res.silence_id,
					 sizeof o->res.silence_id, err,
					 sizeof err) != 0) {
			/* created, probably, but we cannot tell which */
			o->res.status = AM_OP_UNKNOWN;
			snprintf(o->res.message, sizeof o->res.message,
				 "alertmanager %s: silence: unreadable answer: %s",
				 o->s->name, err);
		} else {
			snprintf(state_after, sizeof state_after,
				 "silenced by %s until %s", o->res.silence_id,
				 o->until);
			snprintf(o->res.message, sizeof o->res.message,
				 "silenced on %s until %s (silence %s)",
				 o->s->name, o->until, o->res.silence_id);
		}
	}
	write_outcome(o, state_after);
	finish(o);
}

uint64_t am_silence_create(am_server *s, const api_alert *alert,
			   const char *const *keys, size_t n_keys,
			   int64_t duration_s, const char *operator_id,
			   const char *reason, am_done_fn done, void *ctx)
{
	struct am_op *o = op_new(s, true, done, ctx);
	char why[256], url[2048], before[1024], mtext[768];
	json_t *m, *parsed;
	char *body;
	time_t now = time(NULL);
	int n;

	if (!o)
		return 0;
	if (!alert || !alert->fingerprint || !*alert->fingerprint)
		return refuse(o, "invalid_request", "no alert to silence");
	body = am_silence_body(alert, keys, n_keys, now, duration_s, operator_id,
			       reason, why, sizeof why);
	if (!body)
		return refuse(o, "invalid_request", why);
	time_format_rfc3339(now + (time_t)duration_s, o->until, sizeof o->until);
	/* the matchers as the audit row shows them */
	parsed = json_loads(body, 0, NULL);
	m = parsed ? json_object_get(parsed, "matchers") : NULL;
	if (!m || am_matchers_text(m, mtext, sizeof mtext) < 0)
		snprintf(mtext, sizeof mtext, "(%zu labels)",
			 n_keys ? n_keys : alert->n_labels);
	json_decref(parsed);
	snprintf(before, sizeof before, "state=%s" INTENDED_SEP
		 "silenced %s until %s",
		 alert->state_raw && *alert->state_raw ? alert->state_raw : "?",
		 mtext, o->until);
	n = snprintf(url, sizeof url, "%s/api/v2/silences", s->url);
	if (n < 0 || (size_t)n >= sizeof url) {
		free(body);
		return refuse(o, "invalid_request", "the Alertmanager URL is too long");
	}
	o->body = body;
	if (!(o->url = strdup(url)))
		return refuse(o, "invalid_request", "out of memory");
	return intent_then_send(o, ACTION_SILENCE, alert->fingerprint,
				operator_id, before, reason);
}

/* ---- expire ---- */
static void expire_done(void *ctx, const http_response *r)
{
	struct am_op *o = ctx;

	o->req = 0;
	if (classify(o, r, "expire the silence"))
		snprintf(o->res.message, sizeof o->res.message,
			 "silence %s expired on %s", o->res.silence_id,
			 o->s->name);
	write_outcome(o, o->res.status == AM_OP_APPLIED ? "state=expired" : "");
	finish(o);
}

uint64_t am_silence_expire(am_server *s, const char *silence_id,
			   const char *operator_id, const char *reason,
			   am_done_fn done, void *ctx)
{
	struct am_op *o = op_new(s, false, done, ctx);
	const am_silence *known;
	char url[2048], before[256];
	int n;

	if (!o)
		return 0;
	if (!am_silence_id_ok(silence_id))
		return refuse(o, "invalid_request", "not a silence id");
	snprintf(o->res.silence_id, sizeof o->res.silence_id, "%s", silence_id);
	if (!operator_id || !*operator_id)
		return refuse(o, "invalid_request", "no operator id");
	if (!am_reason_ok(reason))
		return refuse(o, "invalid_request",
			      "the reason must be 1 to 500 characters");
	n = snprintf(url, sizeof url, "%s/api/v2/silence/%s", s->url, silence_id);
	if (n < 0 || (size_t)n >= sizeof url)
		return refuse(o, "invalid_request", "the Alertmanager URL is too long");
	known = am_silence_find(s, silence_id);
	snprintf(before, sizeof before, "state=%s" INTENDED_SEP "state=expired",
		 known ? known->state_raw : "?");
	if (!(o->url = strdup(url)))
		return refuse(o, "invalid_request", "out of memory");
	return intent_then_send(o, ACTION_UNSILENCE, silence_id, operator_id,
				before, reason);
}
