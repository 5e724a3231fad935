/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/client.c: one confirmed action from intent row to outcome row.
 *
 * Each action is an `op` driven by callbacks from the loop: http done ->
 * map the answer -> maybe a timer for a retry -> ... -> finish(), which
 * writes the outcome row and calls done exactly once. The body and the
 * Idempotency-Key never change between tries, so the platform applies the
 * action at most once however many times it is sent; only If-Match moves
 * (when a 412 showed that nothing the operator decided on changed). */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions/act_int.h"
#include "base/i18n.h"
#include "api/decode.h"
#include "audit/writer.h"
#include "base/backoff.h"
#include "text/text.h"

#define AUDIT_BUSY_CODE "audit_log_busy"
#define WAIT_SAY_MS 5000 /* "writing the audit log..." again, with the time */

typedef struct op op;

struct act_client {
	ev_loop *ev;
	http_client *http;
	struct audit_log *log;
	audit_writer *w;         /* every row goes through it: never blocks */
	store *st;
	char *operator_id, *local_user, *host, *site, *token;
	act_site_fn base_url, site_name;
	void *site_ctx;
	act_options o;
	char *read_only;
	op *ops;
	uint64_t next_id;
	act_hook_fn hook;
	void *hook_ctx;
	void *resolver;
	void (*resolver_free)(void *);
	char url_buf[512];
	char via[4];             /* "" the console, "cli" */
};

struct op {
	op *next;
	act_client *c;
	uint64_t id;
	act_kind kind;
	char *target, *interface, *path, *body, *seen_fields;
	char action[64];
	int64_t version;
	bool has_seen;
	char key[ACT_KEY_LEN + 1];
	char rid[40];
	int64_t intent_seq;
	uint64_t wid;            /* the intent row waiting in the writer, or 0 */
	int64_t wait_since;      /* ev_now_ms() when it began to wait */
	int transport_tries, overload_waits, rebases;
	char resent_after[96];   /* "; resent_after: version 17 -> 19 (metrics only)" */
	bool maybe_applied;
	uint64_t http_h;
	ev_timer_id timer;
	backoff bo;
	act_done_fn done;
	act_progress_fn progress;
	void *ctx;
	act_result res;
	char *object_json;
	char intended[256];
};

/* ---- small helpers ---- */

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static void say(op *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(op *o, const char *fmt, ...)
{
	if (!o->progress)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	act_oneline(msg);
	o->progress(o->ctx, msg);
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static const char *site_name(act_client *c)
{
	const char *s = c->site_name ? c->site_name(c->site_ctx) : NULL;
	return s && *s ? s : c->site;
}

const char *act_base_url(act_client *c)
{
	const char *u = c->base_url ? c->base_url(c->site_ctx) : NULL;
	copy_str(c->url_buf, sizeof c->url_buf, u);
	size_t n = strlen(c->url_buf);
	while (n > 0 && c->url_buf[n - 1] == '/')
		c->url_buf[--n] = '\0';
	return c->url_buf;
}

const char *act_operator(const act_client *c)
{
	if (c->operator_id && *c->operator_id)
		return c->operator_id;
	const api_me *me = c->st ? store_me(c->st) : NULL;
	return me && me->operator_id ? me->operator_id : "";
}

ev_loop *act_loop(act_client *c) { return c->ev; }
http_client *act_http(act_client *c) { return c->http; }
struct audit_log *act_log(act_client *c) { return c->log; }
audit_writer *act_writer(act_client *c) { return c->w; }
store *act_store(act_client *c) { return c->st; }
const char *act_token(const act_client *c) { return c->token; }
const act_options *act_opts(const act_client *c) { return &c->o; }

void act_set_resolver(act_client *c, void *state, void (*free_fn)(void *))
{
	if (c->resolver && c->resolver_free)
		c->resolver_free(c->resolver);
	c->resolver = state;
	c->resolver_free = free_fn;
}

/* ---- lifetime ---- */

static void defaults(act_options *o)
{
	if (o->timeout_ms <= 0) o->timeout_ms = 10000;
	if (o->max_tries <= 0) o->max_tries = 3;
	if (o->backoff_base_ms <= 0) o->backoff_base_ms = 500;
	if (o->max_overload_waits <= 0) o->max_overload_waits = 5;
	if (o->max_rebases <= 0) o->max_rebases = 3;
	if (o->confirm_share <= 0) o->confirm_share = 0.05;
	if (o->audit_wait_ms <= 0) o->audit_wait_ms = ACT_AUDIT_WAIT_MS;
}

act_client *act_new(ev_loop *ev, http_client *http, struct audit_log *log, store *st,
		    const act_identity *who)
{
	act_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->ev = ev;
	c->http = http;
	c->log = log;
	c->st = st;
	char host[256] = "", user[128] = "";
	if (!who->host || !*who->host) {
		if (gethostname(host, sizeof host - 1) != 0)
			snprintf(host, sizeof host, "unknown");
	}
	if (!who->local_user || !*who->local_user) {
		struct passwd pw, *res = NULL;
		char buf[4096];
		if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) == 0 && res)
			snprintf(user, sizeof user, "%s", pw.pw_name);
		else
			snprintf(user, sizeof user, "uid %ld", (long)geteuid());
	}
	c->operator_id = who->operator_id ? strdup(who->operator_id) : NULL;
	c->local_user = dup_or_empty(who->local_user && *who->local_user ? who->local_user : user);
	c->host = dup_or_empty(who->host && *who->host ? who->host : host);
	c->site = dup_or_empty(who->site);
	copy_str(c->via, sizeof c->via, who->via ? who->via : "");
	c->token = dup_or_empty(who->token);
	c->base_url = who->base_url;
	c->site_name = who->site_name;
	c->site_ctx = who->site_ctx;
	defaults(&c->o);
	if ((who->operator_id && !c->operator_id) || !c->local_user || !c->host || !c->site || !c->token) {
		act_free(c);
		return NULL;
	}
	if (log && *c->token && audit_add_secret(log, c->token) != AUDIT_OK) {
		act_free(c);
		return NULL;
	}
	if (log && !(c->w = audit_writer_new(log, ev))) {
		act_free(c);
		return NULL;
	}
	return c;
}

static void op_free(op *o)
{
	if (!o)
		return;
	free(o->target);
	free(o->interface);
	free(o->path);
	free(o->body);
	free(o->seen_fields);
	free(o->object_json);
	free(o);
}

static void op_cancel(op *o)
{
	if (o->http_h)
		http_cancel(o->c->http, o->http_h);
	if (o->timer)
		ev_timer_cancel(o->c->ev, o->timer);
	o->http_h = 0;
	o->timer = 0;
}

/* At quit: what the audit log still owes is written first (bounded), and
 * said on standard error, the terminal being closed by then. */
static void flush_audit(act_client *c)
{
	size_t n = audit_writer_pending(c->w);
	if (n == 0)
		return;
	fprintf(stderr, "payops: writing %zu audit row%s (the audit log is locked by "
		"another process; waiting up to %d s)...\n", n, n == 1 ? "" : "s",
		ACT_QUIT_FLUSH_MS / 1000);
	size_t left = audit_writer_flush(c->w, ACT_QUIT_FLUSH_MS);
	if (left == 0)
		fprintf(stderr, "payops: the audit log is written\n");
	else
		fprintf(stderr, "payops: %zu audit row%s not written (%s); an action that "
			"was sent is resolved from the platform at the next start\n",
			left, left == 1 ? "" : "s", audit_writer_error(c->w));
}

void act_free(act_client *c)
{
	if (!c)
		return;
	while (c->ops) {
		op *o = c->ops;
		c->ops = o->next;
		if (o->wid) {
			/* never sent: the log records that, once it can */
			audit_writer_abandon(c->w, o->wid, AUDIT_BUSY_CODE,
					     "not sent: the console quit while the audit "
					     "log was locked by another process");
			fprintf(stderr, "payops: %s %s was not sent: the console quit "
				"while the audit log was locked by another process\n",
				o->action, o->target);
		}
		op_cancel(o);
		op_free(o);
	}
	act_set_resolver(c, NULL, NULL);
	if (c->w) {
		flush_audit(c);
		audit_writer_free(c->w);
	}
	if (c->token) {
		/* do not leave the token lying in freed memory */
		memset(c->token, 0, strlen(c->token));
		free(c->token);
	}
	free(c->operator_id);
	free(c->local_user);
	free(c->host);
	free(c->site);
	free(c->read_only);
	free(c);
}

void act_set_options(act_client *c, const act_options *o)
{
	c->o = *o;
	defaults(&c->o);
}

void act_set_read_only(act_client *c, const char *why)
{
	free(c->read_only);
	c->read_only = why ? strdup(*why ? why : "read-only") : NULL;
}

size_t act_in_flight(const act_client *c)
{
	size_t n = 0;
	for (const op *o = c->ops; o; o = o->next)
		n++;
	return n;
}

void act_set_hook(act_client *c, act_hook_fn fn, void *ctx)
{
	c->hook = fn;
	c->hook_ctx = ctx;
}

/* ---- checks ---- */

int act_check(const act_client *c, const act_request *r, char *why, size_t whysz, char *code)
{
	char dummy[64]; /* code buffers are 64 bytes (actions.h) */
	if (!code)
		code = dummy;
	if (c->read_only) {
		/* the prefix is the same message ops/ strips (ops/channel.c) */
		snprintf(why, whysz, "%s%s", _("read-only: "), c->read_only);
		snprintf(code, 64, "read_only");
		return -1;
	}
	const api_me *me = c->st ? store_me(c->st) : NULL;
	/* Scopes unknown (no /v1/me yet): let the platform decide. */
	if (me && !(me->scopes & act_request_scope_bit(c->st, r))) {
		snprintf(why, whysz, _("needs scope %s (the token of %s does not have it)"), act_request_scope_name(c->st, r),
			 me->operator_id ? me->operator_id : _("this operator"));
		snprintf(code, 64, "insufficient_scope");
		return -1;
	}
	if (act_validate(c->st, r, why, whysz)) {
		snprintf(code, 64, "invalid_request");
		return -1;
	}
	return 0;
}

/* ---- finishing ---- */

static void unlink_op(op *o)
{
	for (op **pp = &o->c->ops; *pp; pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			return;
		}
}

static enum audit_outcome audit_of(act_status s)
{
	switch (s) {
	case ACT_APPLIED: return AUDIT_APPLIED;
	case ACT_PENDING_APPROVAL: return AUDIT_PENDING_APPROVAL;
	case ACT_REJECTED:
	case ACT_CONFLICT: return AUDIT_REJECTED;
	case ACT_FAILED: return AUDIT_FAILED;
	default: return AUDIT_UNKNOWN;
	}
}

static void finish(op *o)
{
	act_client *c = o->c;
	act_result *r = &o->res;
	op_cancel(o);
	unlink_op(o);
	if (o->intent_seq > 0) {
		char code[64];
		if (r->code[0])
			copy_str(code, sizeof code, r->code);
		else if (r->http_status)
			snprintf(code, sizeof code, "%d", r->http_status);
		else
			snprintf(code, sizeof code, "no_answer");
		char detail[1600];
		snprintf(detail, sizeof detail, "%s%s%s%s%s%s%s", c->via[0] ? "via " : "", c->via,
			 c->via[0] ? ": " : "", r->message, r->changes[0] ? " [" : "",
			 r->changes, r->changes[0] ? "]" : "");
		for (char *p = detail; *p; p++)
			if (*p == '\n')
				*p = ';';
		int64_t seq = 0;
		int arc = audit_writer_outcome(c->w, o->intent_seq, audit_of(r->status), code,
					       detail, r->state_after, r->request_id, &seq);
		size_t n = strlen(r->message);
		if (arc == AUDIT_OK)
			r->outcome_seq = seq;
		else if (arc == AUDIT_EBUSY)
			snprintf(r->message + n, sizeof r->message - n,
				 " (the audit log is locked by another process: its outcome row "
				 "is written once it is free)");
		else
			snprintf(r->message + n, sizeof r->message - n,
				 " (the audit outcome was not written: %s; it is resolved at the next start)",
				 audit_errmsg(c->log));
	}
	r->object_json = o->object_json;
	act_oneline(r->message);
	if (o->done)
		o->done(o->ctx, r);
	op_free(o);
}

static void finish_timer(void *ctx)
{
	op *o = ctx;
	o->timer = 0;
	finish(o);
}

/* ---- sending ---- */

static void on_http(void *ctx, const http_response *resp);

static void send_try(op *o)
{
	act_client *c = o->c;
	char url[1024], ifm[40];
	snprintf(url, sizeof url, "%s%s", act_base_url(c), o->path);
	snprintf(ifm, sizeof ifm, "\"%" PRId64 "\"", o->version);
	o->res.tries++;
	snprintf(o->res.request_id, sizeof o->res.request_id, "%s.%d", o->rid, o->res.tries);
	http_request q = {
		.method = "POST", .url = url, .bearer = c->token,
		.if_match = o->kind == ACT_ALERT_ACK ? NULL : ifm,
		.idempotency_key = o->key, .request_id = o->res.request_id,
		.body = o->body, .body_len = strlen(o->body), .timeout_ms = c->o.timeout_ms,
	};
	o->http_h = http_send(c->http, &q, on_http, o);
	if (!o->http_h) {
		/* could not even start (out of memory): this try went nowhere */
		o->res.status = o->maybe_applied ? ACT_UNKNOWN : ACT_FAILED;
		snprintf(o->res.message, sizeof o->res.message, "%s %s: could not start the request",
			 o->action, o->target);
		o->timer = ev_timer_add(c->ev, 0, finish_timer, o);
		if (!o->timer)
			finish(o);
	}
}

static void retry_due(void *ctx)
{
	op *o = ctx;
	o->timer = 0;
	send_try(o);
}

static void retry_after(op *o, int64_t ms)
{
	o->timer = ev_timer_add(o->c->ev, ms, retry_due, o);
	if (!o->timer) {
		o->res.status = o->maybe_applied ? ACT_UNKNOWN : ACT_FAILED;
		snprintf(o->res.message, sizeof o->res.message, "%s %s: could not schedule a retry",
			 o->action, o->target);
		finish(o);
	}
}

/* Timeout, transport error or 5xx: the request may have been applied. */
static void transport_failed(op *o, const http_response *resp, const char *what)
{
	o->maybe_applied = true;
	o->transport_tries++;
	if (o->transport_tries < o->c->o.max_tries) {
		say(o, "%s; retrying with the same idempotency key (%d/%d)", what, o->transport_tries + 1,
		    o->c->o.max_tries);
		retry_after(o, backoff_next(&o->bo, resp->retry_after_s));
		return;
	}
	o->res.status = ACT_UNKNOWN;
	snprintf(o->res.message, sizeof o->res.message,
		 "%s %s: outcome unknown after %d tries (%s); it may have been applied, check the channel",
		 o->action, o->target, o->res.tries, what);
	finish(o);
}

static void keep_object(op *o, const json_t *obj)
{
	free(o->object_json);
	o->object_json = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
}

/* 200/202: the returned object; channel and route objects go to the store. */
/* What the target is now, for the message: the canonical state, but a
 * limit as money ("limit ¥5,000,000.00"), never raw minor units. The
 * audit log keeps the canonical state. */
static const char *now_text(const op *o, json_t *obj, char *buf, size_t sz)
{
	if (o->kind != ACT_LIMIT_ADJUST)
		return o->res.state_after;
	json_t *lm = json_object_get(obj, "limit_minor");
	const char *cur = json_string_value(json_object_get(obj, "currency"));
	char m[96];
	if (!json_is_integer(lm) ||
	    money_format((int64_t)json_integer_value(lm), cur, m, sizeof m) < 0)
		return o->res.state_after;
	snprintf(buf, sz, "limit %s", m);
	return buf;
}

static void success(op *o, const http_response *resp, json_t *j)
{
	char now[160];
	act_client *c = o->c;
	bool pending = resp->status == 202;
	/* a held mutation: {"action": {..., "approval_id"}, "<target type>": {...}} */
	json_t *obj = act_held_unwrap(j, &pending, o->res.approval_id, sizeof o->res.approval_id);
	if (o->res.approval_id[0])
		copy_str(o->res.code, sizeof o->res.code, o->res.approval_id);
	keep_object(o, obj);
	o->res.status = pending ? ACT_PENDING_APPROVAL : ACT_APPLIED;
	o->res.version = json_integer_value(json_object_get(obj, "version"));
	if (!pending)
		act_observed(o->kind, o->intended, o->interface, obj, o->res.state_after,
			     sizeof o->res.state_after);
	api_err err;
	if (!pending && o->kind == ACT_CHANNEL) {
		api_channel ch = {0};
		if (api_decode_channel(obj, &ch, &err) == 0)
			store_channel_upsert(c->st, &ch, time(NULL));
		api_channel_free(&ch);
	} else if (!pending && o->kind == ACT_ROUTE_WEIGHTS) {
		api_route rt = {0};
		if (api_decode_route(obj, &rt, &err) == 0)
			store_route_upsert(c->st, &rt, time(NULL));
		api_route_free(&rt);
	} else if (o->kind == ACT_APPROVAL_DECISION) {
		act_approval_upsert(c->st, obj);
	}
	if (pending)
		snprintf(o->res.message, sizeof o->res.message,
			 "%s %s: pending approval by a second operator (%s)%s", o->action, o->target,
			 o->res.approval_id, resp->replayed ? " (replayed)" : "");
	else
		snprintf(o->res.message, sizeof o->res.message, "%s %s: applied, now %s (version %" PRId64 ")%s%s",
			 o->action, o->target, now_text(o, obj, now, sizeof now), o->res.version,
			 resp->replayed ? " (replayed: the platform had already applied it)" : "",
			 o->resent_after);
	finish(o);
}

/* 412: rebase when only live fields moved, else a conflict to show. */
static void conflict(op *o, const api_problem *p)
{
	json_t *cur = NULL;
	api_err err;
	char fields[4096] = "", by[128] = "";
	int64_t newv = -1;
	o->res.status = ACT_CONFLICT;
	snprintf(o->res.code, sizeof o->res.code, "version_conflict");
	if (p->current_json && api_parse(p->current_json, strlen(p->current_json), &cur, &err) == 0 &&
	    act_fields_json(o->kind, cur, fields, sizeof fields, &newv, by, sizeof by) == 0) {
		keep_object(o, cur);
		o->res.version = newv;
		int n = o->has_seen ? act_fields_diff(o->seen_fields, fields, by, o->res.changes,
						      sizeof o->res.changes) : -1;
		if (n == 0 && o->rebases < o->c->o.max_rebases && newv != o->version) {
			say(o, "version moved %" PRId64 " -> %" PRId64 " (metrics only); re-sent", o->version, newv);
			/* not a conflict: the re-sent request is recorded by
			 * its own outcome, with a note of why it was re-sent */
			if (!o->resent_after[0])
				snprintf(o->resent_after, sizeof o->resent_after,
					 "; resent_after: version %" PRId64 " -> %" PRId64
					 " (metrics only)", o->version, newv);
			o->res.code[0] = '\0';
			o->version = newv;
			o->rebases++;
			o->res.changes[0] = '\0';
			json_decref(cur);
			send_try(o);
			return;
		}
		if (n <= 0)
			snprintf(o->res.changes, sizeof o->res.changes, "version: %" PRId64 " -> %" PRId64 "%s%s",
				 o->version, newv, by[0] ? " by " : "", by);
		act_observed(o->kind, o->intended, o->interface, cur, o->res.state_after,
			     sizeof o->res.state_after);
	} else {
		snprintf(o->res.changes, sizeof o->res.changes, "version: %" PRId64 " -> (the platform sent no "
			 "readable current object)", o->version);
	}
	json_decref(cur);
	snprintf(o->res.message, sizeof o->res.message, "%s %s: changed since you looked (%.300s); review and confirm again",
		 o->action, o->target, o->res.changes);
	char *nl = strchr(o->res.message, '\n');
	if (nl)
		snprintf(nl, sizeof o->res.message - (size_t)(nl - o->res.message), "; ...); review and confirm again");
	finish(o);
}

static void on_http(void *ctx, const http_response *resp)
{
	op *o = ctx;
	o->http_h = 0;
	if (o->c->hook)
		o->c->hook(o->c->hook_ctx, ACT_HOOK_AFTER_RESPONSE);
	act_result *r = &o->res;
	r->http_status = resp->status;
	r->replayed = r->replayed || resp->replayed;
	if (resp->request_id && *resp->request_id)
		copy_str(r->request_id, sizeof r->request_id, resp->request_id);
	if (resp->status == 0) {
		char what[300];
		if (resp->curl_code == 28)
			snprintf(what, sizeof what, "timed out");
		else
			snprintf(what, sizeof what, "%s", resp->error && *resp->error ? resp->error : "no answer");
		transport_failed(o, resp, what);
		return;
	}
	if (resp->status == 200 || resp->status == 201 || resp->status == 202) {
		json_t *j = NULL;
		api_err err;
		if (api_parse(resp->body, resp->body_len, &j, &err) != 0 || !json_is_object(j)) {
			/* applied (2xx) but unreadable: the store waits for the next poll */
			json_decref(j);
			r->status = resp->status == 202 ? ACT_PENDING_APPROVAL : ACT_APPLIED;
			snprintf(r->message, sizeof r->message, "%s %s: %s, but the answer was unreadable (%s)",
				 o->action, o->target, act_status_name(r->status), err.msg);
			finish(o);
			return;
		}
		success(o, resp, j);
		json_decref(j);
		return;
	}
	api_problem p = {0};
	api_decode_problem(resp->body, resp->body_len, &p);
	if (p.code)
		copy_str(r->code, sizeof r->code, p.code);
	if (resp->status == 412) {
		conflict(o, &p);
		api_problem_free(&p);
		return;
	}
	if (resp->status == 429 || resp->status == 503) {
		if (o->overload_waits < o->c->o.max_overload_waits) {
			o->overload_waits++;
			int64_t ms = resp->retry_after_s >= 0 ? (int64_t)resp->retry_after_s * 1000 : 1000;
			/* jitter: up to a quarter more, so consoles do not come back together */
			uint32_t rnd = 0;
			char k[ACT_KEY_LEN + 1];
			if (act_new_key(k) == 0)
				rnd = (uint32_t)strtoul(k + 3 + 24, NULL, 16);
			ms += (int64_t)(rnd % (uint32_t)(ms / 4 + 1));
			say(o, "platform busy (%d); retrying in %.1f s with the same idempotency key",
			    resp->status, (double)ms / 1000.0);
			r->code[0] = '\0';
			api_problem_free(&p);
			retry_after(o, ms);
			return;
		}
		r->status = o->maybe_applied ? ACT_UNKNOWN : ACT_FAILED;
		snprintf(r->message, sizeof r->message, "%s %s: the platform stayed busy (%d) after %d tries%s",
			 o->action, o->target, resp->status, r->tries,
			 o->maybe_applied ? "; an earlier try may have been applied" : "");
		api_problem_free(&p);
		finish(o);
		return;
	}
	if (resp->status >= 500) {
		char what[128];
		snprintf(what, sizeof what, "server error %d%s%s", resp->status, p.code ? " " : "",
			 p.code ? p.code : "");
		api_problem_free(&p);
		r->code[0] = '\0';
		transport_failed(o, resp, what);
		return;
	}
	/* 4xx: the platform refused it. */
	r->status = ACT_REJECTED;
	if (!r->code[0])
		snprintf(r->code, sizeof r->code, "%d", resp->status);
	if (resp->status == 403) {
		copy_str(r->missing_scope, sizeof r->missing_scope, act_scope_from_detail(o->kind, p.detail));
		snprintf(r->message, sizeof r->message, "%s %s: rejected: needs scope %s", o->action, o->target,
			 r->missing_scope);
	} else {
		snprintf(r->message, sizeof r->message, "%s %s: rejected (%s): %.300s%s", o->action, o->target,
			 r->code, p.detail ? p.detail : (p.title ? p.title : ""),
			 resp->replayed ? " (replayed)" : "");
	}
	api_problem_free(&p);
	finish(o);
}

/* ---- submit ---- */

/* What the operator decided on, for telling a real 412 from a moved metric. */
static void snapshot(act_client *c, const act_request *r, op *o)
{
	char f[4096];
	int rc = -1;
	switch (r->kind) {
	case ACT_CHANNEL: {
		const api_channel *ch = r->seen_channel ? r->seen_channel : store_channel_find(c->st, r->target);
		if (ch && (r->seen_channel || ch->version == r->version))
			rc = act_fields_channel(ch, f, sizeof f);
		break;
	}
	case ACT_ROUTE_WEIGHTS: {
		const api_route *rt = r->seen_route ? r->seen_route : store_route_find(c->st, r->target);
		if (rt && (r->seen_route || rt->version == r->version))
			rc = act_fields_route(rt, f, sizeof f);
		break;
	}
	case ACT_CASE_DECISION:
		if (r->seen_case)
			rc = act_fields_case(r->seen_case, f, sizeof f);
		break;
	case ACT_BREAK_RESOLVE:
		if (r->seen_break)
			rc = act_fields_break(r->seen_break, f, sizeof f);
		break;
	case ACT_LIMIT_ADJUST:
		if (r->seen_limit)
			rc = act_fields_limit(r->seen_limit, f, sizeof f);
		break;
	case ACT_ALERT_ACK:
	case ACT_APPROVAL_DECISION:
		break;
	}
	if (rc == 0 && (o->seen_fields = strdup(f)) != NULL)
		o->has_seen = true;
}

static void refuse_later(op *o, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse_later(op *o, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->res.message, sizeof o->res.message, fmt, ap);
	va_end(ap);
	o->res.status = ACT_REFUSED;
	copy_str(o->res.code, sizeof o->res.code, code);
	o->timer = ev_timer_add(o->c->ev, 0, finish_timer, o);
	if (!o->timer)
		finish(o); /* last resort: still exactly once */
}

/* The intent row is written: the action may go. */
static void intent_ok(op *o, int64_t seq)
{
	act_client *c = o->c;
	o->intent_seq = o->res.intent_seq = seq;
	if (c->hook)
		c->hook(c->hook_ctx, ACT_HOOK_AFTER_INTENT);
	send_try(o);
}

/* While the intent waits for the log: say so, now and every WAIT_SAY_MS (a
 * timer, so the first word comes after whatever the caller says on
 * submitting). */
static void say_waiting(void *ctx)
{
	op *o = ctx;
	int64_t waited = ev_now_ms() - o->wait_since;
	o->timer = 0;
	if (waited < 1000)
		say(o, "writing the audit log\u2026 (another process holds it; %s %s is "
		    "sent once its intent is written, or not at all after %lld s)",
		    o->action, o->target, (long long)(o->c->o.audit_wait_ms / 1000));
	else
		say(o, "writing the audit log\u2026 %lld s (another process holds it; "
		    "not sent until written, given up at %lld s)",
		    (long long)(waited / 1000), (long long)(o->c->o.audit_wait_ms / 1000));
	o->timer = ev_timer_add(o->c->ev, WAIT_SAY_MS, say_waiting, o);
}

/* The writer's answer for an intent that had to wait. */
static void intent_written(void *ctx, int rc, int64_t seq)
{
	op *o = ctx;
	o->wid = 0;
	if (o->timer)
		ev_timer_cancel(o->c->ev, o->timer);
	o->timer = 0;
	int64_t waited = ev_now_ms() - o->wait_since;
	if (rc == AUDIT_OK) {
		say(o, "audit log written after %.1f s; sending", (double)waited / 1000.0);
		intent_ok(o, seq);
		return;
	}
	o->res.status = ACT_REFUSED;
	if (rc == AUDIT_EBUSY) {
		copy_str(o->res.code, sizeof o->res.code, AUDIT_BUSY_CODE);
		snprintf(o->res.message, sizeof o->res.message,
			 "%s %s not sent: the audit log stayed locked by another process for "
			 "%lld s (the log records this once it is free)", o->action, o->target,
			 (long long)((waited + 500) / 1000));
	} else {
		copy_str(o->res.code, sizeof o->res.code, "audit_write_failed");
		snprintf(o->res.message, sizeof o->res.message,
			 "%s %s not sent: the audit log could not be written (%s)", o->action,
			 o->target, audit_writer_error(o->c->w));
	}
	finish(o);
}

uint64_t act_submit(act_client *c, const act_request *r, act_done_fn done, act_progress_fn progress,
		    void *ctx)
{
	op *o = calloc(1, sizeof *o);
	if (!o)
		return 0;
	o->c = c;
	o->id = ++c->next_id;
	o->kind = r->kind;
	o->version = r->version;
	o->done = done;
	o->progress = progress;
	o->ctx = ctx;
	o->res.version = -1;
	o->target = dup_or_empty(r->target);
	o->interface = dup_or_empty(r->interface);
	o->next = c->ops;
	c->ops = o;
	backoff_init(&o->bo, c->o.backoff_base_ms, 10000, NULL, NULL);
	if (!o->target || !o->interface) {
		unlink_op(o);
		op_free(o);
		return 0;
	}
	if (act_action_name(r, o->action, sizeof o->action))
		snprintf(o->action, sizeof o->action, "action");

	char why[512], code[64];
	if (act_check(c, r, why, sizeof why, code)) {
		if (strcmp(code, "insufficient_scope") == 0)
			copy_str(o->res.missing_scope, sizeof o->res.missing_scope, act_request_scope_name(c->st, r));
		refuse_later(o, code, "%s %s refused: %s", o->action, o->target, why);
		return o->id;
	}
	char path[1024];
	json_t *body = act_body(r);
	if (!body || act_path(r, path, sizeof path) ||
	    !(o->body = json_dumps(body, ACT_BODY_FLAGS)) || !(o->path = strdup(path)) ||
	    act_intended(r, act_operator(c), o->intended, sizeof o->intended) || act_new_key(o->key)) {
		json_decref(body);
		refuse_later(o, "internal_error", "%s %s refused: out of memory or no randomness", o->action,
			     o->target);
		return o->id;
	}
	json_decref(body);
	char rk[ACT_KEY_LEN + 1];
	if (act_new_key(rk) == 0)
		snprintf(o->rid, sizeof o->rid, "po-%.3s-%.24s", c->via[0] ? c->via : "r", rk + 3);
	copy_str(o->res.idempotency_key, sizeof o->res.idempotency_key, o->key);
	snapshot(c, r, o);

	/* The intent row, before anything is sent. */
	char before[512], state[1024];
	act_state_before(c->st, r, before, sizeof before);
	if (r->state_after && *r->state_after)
		snprintf(state, sizeof state, "%s%s%s (%s)", before, ACT_INTENDED_SEP, o->intended, r->state_after);
	else
		snprintf(state, sizeof state, "%s%s%s", before, ACT_INTENDED_SEP, o->intended);
	char rid1[80];
	snprintf(rid1, sizeof rid1, "%s.1", o->rid);
	struct audit_intent in = {
		.operator_id = act_operator(c), .local_user = c->local_user, .host = c->host,
		.site = site_name(c), .action = o->action, .target = o->target,
		.interface = o->interface, .state_before = state, .reason = r->reason,
		.ticket = r->ticket, .idempotency_key = o->key, .request_id = rid1,
	};
	int64_t seq = 0;
	int arc = c->w ? audit_writer_intent(c->w, &in, c->o.audit_wait_ms, AUDIT_BUSY_CODE,
					     intent_written, o, &seq, &o->wid) : AUDIT_ERR;
	if (arc == AUDIT_EBUSY) {
		/* another process holds the log: the action waits, the loop not */
		o->wait_since = ev_now_ms();
		o->timer = ev_timer_add(c->ev, 0, say_waiting, o);
		return o->id;
	}
	if (arc != AUDIT_OK) {
		refuse_later(o, "audit_write_failed", "%s %s not sent: the audit log could not be written (%s)",
			     o->action, o->target,
			     arc == AUDIT_ESECRET ? "a field holds the token" :
			     c->log ? audit_errmsg(c->log) : "no audit log");
		return o->id;
	}
	uint64_t id = o->id;
	intent_ok(o, seq);
	return id;
}
