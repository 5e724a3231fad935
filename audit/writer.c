/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit/writer.c - the queue of rows waiting for the log's write lock (see
 * writer.h). Every attempt waits at most AUDIT_WRITER_TRY_MS; the queue is
 * retried from a timer of the loop, oldest row first. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/writer.h"

enum { F_OPERATOR, F_USER, F_HOST, F_SITE, F_ACTION, F_TARGET, F_IFACE,
       F_BEFORE, F_REASON, F_TICKET, F_KEY, F_RID, F__N };

typedef enum { W_INTENT, W_NOT_SENT, W_OUTCOME } wkind;

typedef struct wentry {
	struct wentry *next;
	wkind kind;
	uint64_t id;
	char *f[F__N];           /* the intent (NULL kept as NULL) */
	int64_t since_ms, deadline_ms;
	audit_intent_fn fn;
	void *ctx;
	char *code, *detail, *state_after, *request_id;
	int64_t intent_seq;      /* W_OUTCOME */
	enum audit_outcome outcome;
} wentry;

struct audit_writer {
	struct audit_log *log;
	ev_loop *ev;
	wentry *head, **tail;
	size_t n;
	uint64_t next_id;
	ev_timer_id timer;
	char err[512];
};

static void pump(audit_writer *w);

static void on_timer(void *ctx)
{
	pump(ctx);
}

static int nomem(audit_writer *w)
{
	snprintf(w->err, sizeof w->err, "out of memory");
	return AUDIT_ERR;
}

audit_writer *audit_writer_new(struct audit_log *log, ev_loop *ev)
{
	audit_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->log = log;
	w->ev = ev;
	w->tail = &w->head;
	return w;
}

static void entry_free(wentry *e)
{
	if (!e)
		return;
	for (int i = 0; i < F__N; i++)
		free(e->f[i]);
	free(e->code);
	free(e->detail);
	free(e->state_after);
	free(e->request_id);
	free(e);
}

void audit_writer_free(audit_writer *w)
{
	if (!w)
		return;
	if (w->timer)
		ev_timer_cancel(w->ev, w->timer);
	while (w->head) {
		wentry *e = w->head;
		w->head = e->next;
		entry_free(e);
	}
	free(w);
}

const char *audit_writer_error(const audit_writer *w)
{
	return w ? w->err : "no audit log";
}

size_t audit_writer_pending(const audit_writer *w)
{
	return w ? w->n : 0;
}

/* strdup keeping NULL; *ok cleared when out of memory */
static char *dup(const char *s, bool *ok)
{
	char *d;
	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*ok = false;
	return d;
}

static void as_intent(const wentry *e, struct audit_intent *in)
{
	*in = (struct audit_intent){
		.operator_id = e->f[F_OPERATOR], .local_user = e->f[F_USER],
		.host = e->f[F_HOST], .site = e->f[F_SITE], .action = e->f[F_ACTION],
		.target = e->f[F_TARGET], .interface = e->f[F_IFACE],
		.state_before = e->f[F_BEFORE], .reason = e->f[F_REASON],
		.ticket = e->f[F_TICKET], .idempotency_key = e->f[F_KEY],
		.request_id = e->f[F_RID],
	};
}

static void enqueue(audit_writer *w, wentry *e)
{
	e->next = NULL;
	*w->tail = e;
	w->tail = &e->next;
	w->n++;
	if (!w->timer)
		w->timer = ev_timer_add(w->ev, AUDIT_WRITER_RETRY_MS, on_timer, w);
}

static wentry *pop(audit_writer *w)
{
	wentry *e = w->head;
	if (e) {
		w->head = e->next;
		if (!w->head)
			w->tail = &w->head;
		w->n--;
	}
	return e;
}

static void note(audit_writer *w, const char *what, const wentry *e)
{
	snprintf(w->err, sizeof w->err, "%s %s %s: %s", what,
		 e->f[F_ACTION] ? e->f[F_ACTION] : "outcome of intent",
		 e->f[F_TARGET] ? e->f[F_TARGET] : "", audit_errmsg(w->log));
}

/* An intent given up on: from now on the record of an action not sent. */
static int make_not_sent(wentry *e, const char *code, const char *detail)
{
	char *c = strdup(code && *code ? code : "not_sent");
	char *d = strdup(detail && *detail ? detail : "not sent");
	e->kind = W_NOT_SENT;
	e->fn = NULL;
	if (!c || !d) { /* what it had stays */
		free(c);
		free(d);
		return -1;
	}
	free(e->code);
	free(e->detail);
	e->code = c;
	e->detail = d;
	return 0;
}

/* Intents waiting past their deadline: given up, their callers told (after
 * the walk, so a caller may queue rows meanwhile). */
static void expire(audit_writer *w, int64_t now, bool all)
{
	struct { audit_intent_fn fn; void *ctx; } told[32];
	size_t n = 0;
	bool again;
	do {
		again = false;
		for (wentry *e = w->head; e; e = e->next) {
			if (e->kind != W_INTENT || (!all && now < e->deadline_ms))
				continue;
			char detail[200];
			snprintf(detail, sizeof detail, "not sent: the audit log was "
				 "locked by another process for %lld s",
				 (long long)((now - e->since_ms + 500) / 1000));
			audit_intent_fn fn = e->fn;
			void *ctx = e->ctx;
			if (make_not_sent(e, e->code, detail) != 0)
				snprintf(w->err, sizeof w->err, "out of memory");
			if (fn) {
				told[n].fn = fn;
				told[n].ctx = ctx;
				if (++n == sizeof told / sizeof told[0]) {
					again = true;
					break;
				}
			}
		}
		for (size_t i = 0; i < n; i++)
			told[i].fn(told[i].ctx, AUDIT_EBUSY, 0);
		n = 0;
	} while (again);
}

static int write_one(audit_writer *w, wentry *e, int wait_ms, int64_t *seq)
{
	struct audit_intent in;
	*seq = 0;
	switch (e->kind) {
	case W_INTENT:
		as_intent(e, &in);
		return audit_append_intent_wait(w->log, &in, wait_ms, seq);
	case W_NOT_SENT:
		as_intent(e, &in);
		return audit_append_not_sent_wait(w->log, &in, e->code, e->detail,
						  wait_ms, seq);
	case W_OUTCOME:
		return audit_append_outcome_wait(w->log, e->intent_seq, e->outcome,
						 e->code, e->detail, e->state_after,
						 e->request_id, wait_ms, seq);
	}
	return AUDIT_EINVAL;
}

/* Write from the head while the lock can be had; AUDIT_EBUSY when it is
 * still held (the rest waits). */
static int drain(audit_writer *w, int wait_ms)
{
	while (w->head) {
		int64_t seq;
		int rc = write_one(w, w->head, wait_ms, &seq);
		if (rc == AUDIT_EBUSY)
			return rc;
		wentry *e = pop(w);
		if (rc != AUDIT_OK)
			note(w, "not written:", e);
		if (e->kind == W_INTENT && e->fn)
			e->fn(e->ctx, rc, seq);
		entry_free(e);
	}
	return AUDIT_OK;
}

static void pump(audit_writer *w)
{
	w->timer = 0;
	expire(w, ev_now_ms(), false);
	drain(w, AUDIT_WRITER_TRY_MS);
	if (w->head && !w->timer)
		w->timer = ev_timer_add(w->ev, AUDIT_WRITER_RETRY_MS, on_timer, w);
}

int audit_writer_intent(audit_writer *w, const struct audit_intent *in,
                        int64_t give_up_ms, const char *give_up_code,
                        audit_intent_fn fn, void *ctx, int64_t *seq_out,
                        uint64_t *id_out)
{
	if (!w || !w->log)
		return AUDIT_EINVAL;
	/* rows keep their order: while some wait, this one waits behind */
	if (!w->head) {
		int rc = audit_append_intent_wait(w->log, in, AUDIT_WRITER_TRY_MS,
						  seq_out);
		if (rc != AUDIT_EBUSY)
			return rc;
	}
	wentry *e = calloc(1, sizeof *e);
	bool ok = e != NULL;
	if (ok) {
		const char *f[F__N] = {
			in->operator_id, in->local_user, in->host, in->site,
			in->action, in->target, in->interface, in->state_before,
			in->reason, in->ticket, in->idempotency_key, in->request_id,
		};
		for (int i = 0; i < F__N; i++)
			e->f[i] = dup(f[i], &ok);
		e->code = dup(give_up_code, &ok);
	}
	if (!ok) {
		entry_free(e);
		return nomem(w);
	}
	e->kind = W_INTENT;
	e->id = ++w->next_id;
	e->since_ms = ev_now_ms();
	e->deadline_ms = e->since_ms + (give_up_ms > 0 ? give_up_ms : 0);
	e->fn = fn;
	e->ctx = ctx;
	if (id_out)
		*id_out = e->id;
	enqueue(w, e);
	return AUDIT_EBUSY;
}

void audit_writer_abandon(audit_writer *w, uint64_t id, const char *code,
                          const char *detail)
{
	for (wentry *e = w ? w->head : NULL; e; e = e->next)
		if (e->id == id && e->kind == W_INTENT) {
			if (make_not_sent(e, code, detail) != 0)
				snprintf(w->err, sizeof w->err, "out of memory");
			return;
		}
}

int audit_writer_outcome(audit_writer *w, int64_t intent_seq,
                         enum audit_outcome outcome, const char *code,
                         const char *detail, const char *state_after,
                         const char *request_id, int64_t *seq_out)
{
	if (!w || !w->log)
		return AUDIT_EINVAL;
	if (!w->head) {
		int rc = audit_append_outcome_wait(w->log, intent_seq, outcome, code,
						   detail, state_after, request_id,
						   AUDIT_WRITER_TRY_MS, seq_out);
		if (rc != AUDIT_EBUSY)
			return rc;
	}
	wentry *e = calloc(1, sizeof *e);
	bool ok = e != NULL;
	if (ok) {
		e->code = dup(code ? code : "", &ok);
		e->detail = dup(detail ? detail : "", &ok);
		e->state_after = dup(state_after ? state_after : "", &ok);
		e->request_id = dup(request_id ? request_id : "", &ok);
	}
	if (!ok) {
		entry_free(e);
		return nomem(w);
	}
	e->kind = W_OUTCOME;
	e->id = ++w->next_id;
	e->intent_seq = intent_seq;
	e->outcome = outcome;
	e->since_ms = ev_now_ms();
	enqueue(w, e);
	return AUDIT_EBUSY;
}

size_t audit_writer_flush(audit_writer *w, int64_t max_ms)
{
	if (!w)
		return 0;
	int64_t end = ev_now_ms() + (max_ms > 0 ? max_ms : 0);
	expire(w, ev_now_ms(), true);
	for (;;) {
		int64_t left = end - ev_now_ms();
		if (drain(w, (int)(left > 0 ? (left < 60000 ? left : 60000) : 0)) !=
		    AUDIT_EBUSY || left <= 0)
			break;
	}
	if (w->head)
		snprintf(w->err, sizeof w->err, "%s", audit_errmsg(w->log));
	return w->n;
}
