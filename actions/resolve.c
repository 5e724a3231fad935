/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/resolve.c: intents the last session left without an outcome (the
 * console was killed between the intent row and the answer). For each one we
 * ask the platform about the target and record what it shows, comparing with
 * the intended state the intent row carries (" | intended: ..."). One GET at
 * a time, on the loop. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions/act_int.h"
#include "api/decode.h"
#include "base/vec.h"
#include "net/url.h"
#include "text/text.h"

#define IDEMPOTENCY_WINDOW_S (24 * 3600)

typedef struct {
	int64_t seq;
	time_t at;
	char *action, *target, *interface, *intended;
} item;

typedef struct {
	act_client *c;
	VEC(item) items;
	size_t i, resolved;
	act_resolved_fn each;
	act_resolve_done_fn done;
	void *ctx;
	uint64_t http_h;
	ev_timer_id timer;
	char rid[64];
} resolver;

static void item_free(item *it)
{
	free(it->action);
	free(it->target);
	free(it->interface);
	free(it->intended);
}

static void resolver_free(void *p)
{
	resolver *r = p;
	if (!r)
		return;
	if (r->http_h)
		http_cancel(act_http(r->c), r->http_h);
	if (r->timer)
		ev_timer_cancel(act_loop(r->c), r->timer);
	for (size_t i = 0; i < r->items.n; i++)
		item_free(&r->items.at[i]);
	vec_free(&r->items);
	free(r);
}

/* When the intent was written: the audit log writes UTC ("...Z"), but a
 * log imported or written by another tool may carry an offset, which
 * counts (16:00+08:00 is 08:00Z). 0 when unreadable: never "too old". */
static time_t parse_time(const char *s)
{
	time_t t;
	return time_parse_rfc3339(s, &t) == 0 ? t : 0;
}

/* The canonical intended state out of an intent row's state_before. */
static char *intended_of(const char *state_before)
{
	const char *p = NULL, *q = state_before;
	while (q && (q = strstr(q, ACT_INTENDED_SEP)) != NULL)
		p = q, q += strlen(ACT_INTENDED_SEP);
	if (!p)
		return strdup("");
	p += strlen(ACT_INTENDED_SEP);
	const char *e = strstr(p, " (");
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static int collect(const struct audit_row *row, void *ctx)
{
	resolver *r = ctx;
	item it = {
		.seq = row->seq,
		.at = parse_time(row->time),
		.action = strdup(row->action),
		.target = strdup(row->target),
		.interface = strdup(row->interface),
		.intended = intended_of(row->state_before),
	};
	if (!it.action || !it.target || !it.interface || !it.intended ||
	    vec_push(&r->items, it) != 0) {
		item_free(&it);
		return 1;
	}
	return 0;
}

typedef struct {
	int64_t seq;
	bool found;
	char outcome[32];
	char state_after[256];
} last_outcome;

static int find_last(const struct audit_row *row, void *ctx)
{
	last_outcome *l = ctx;
	if (row->intent_seq != l->seq)
		return 0;
	l->found = true;
	snprintf(l->outcome, sizeof l->outcome, "%s", row->outcome);
	snprintf(l->state_after, sizeof l->state_after, "%s", row->state_after);
	return 1; /* newest first: the first one is the latest */
}

static void next_item(resolver *r);

static void report(resolver *r, const item *it, act_status st, const char *observed, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void report(resolver *r, const item *it, act_status st, const char *observed, const char *fmt, ...)
{
	char msg[600], tail[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tail, sizeof tail, fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof msg, "%s %s (interrupted, audit #%" PRId64 "): %s", it->action, it->target,
		 it->seq, tail);
	act_oneline(msg);
	act_resolution res = {
		.intent_seq = it->seq, .action = it->action, .target = it->target, .status = st,
		.observed = observed ? observed : "", .message = msg,
	};
	if (r->each)
		r->each(r->ctx, &res);
}

static void record(resolver *r, const item *it, enum audit_outcome oc, act_status st, const char *code,
		   const char *observed, const char *detail, const char *request_id)
{
	struct audit_log *log = act_log(r->c);
	if (oc == AUDIT_UNKNOWN) {
		/* Once per observed state: a console restarted ten times does not
		 * write ten identical rows. */
		last_outcome l = {.seq = it->seq};
		struct audit_filter f = {.target = it->target, .kind = "outcome", .limit = 200};
		audit_query(log, &f, find_last, &l);
		if (l.found && strcmp(l.outcome, "unknown") == 0 && strcmp(l.state_after, observed) == 0) {
			report(r, it, st, observed, "still unknown: the platform shows %s, not %s", observed,
			       it->intended);
			return;
		}
	}
	/* through the writer: a log locked by another process queues the row
	 * instead of stalling the loop */
	int arc = audit_writer_outcome(act_writer(r->c), it->seq, oc, code, detail, observed,
				       request_id, NULL);
	if (arc != AUDIT_OK && arc != AUDIT_EBUSY) {
		report(r, it, ACT_REFUSED, observed, "could not write the outcome: %s", audit_errmsg(log));
		return;
	}
	if (oc != AUDIT_UNKNOWN)
		r->resolved++;
	report(r, it, st, observed, "%s", detail);
}

static void on_get(void *ctx, const http_response *resp)
{
	resolver *r = ctx;
	r->http_h = 0;
	item *it = &r->items.at[r->i];
	act_kind kind = ACT_CHANNEL;
	char path[1024];
	act_object_path(it->action, it->target, path, sizeof path, &kind);
	const char *rid = resp->request_id && *resp->request_id ? resp->request_id : r->rid;
	bool old = it->at > 0 && time(NULL) - it->at > IDEMPOTENCY_WINDOW_S;
	char detail[700];
	if (resp->status == 200) {
		json_t *j = NULL;
		api_err err;
		char observed[256] = "";
		if (api_parse(resp->body, resp->body_len, &j, &err) != 0 ||
		    act_observed(kind, it->intended, it->interface, j, observed, sizeof observed) != 0) {
			json_decref(j);
			report(r, it, ACT_REFUSED, "", "the platform's answer was unreadable; asked again next start");
		} else if (it->intended[0] && strcmp(observed, it->intended) == 0) {
			json_decref(j);
			snprintf(detail, sizeof detail, "resolved at start-up: the platform shows %s", observed);
			record(r, it, AUDIT_APPLIED, ACT_APPLIED, "resolved", observed, detail, rid);
		} else if (old) {
			json_decref(j);
			snprintf(detail, sizeof detail, "resolved at start-up: the platform shows %s, not %s, and "
				 "the 24 h idempotency window has passed", observed, it->intended);
			record(r, it, AUDIT_FAILED, ACT_FAILED, "not_applied", observed, detail, rid);
		} else {
			json_decref(j);
			snprintf(detail, sizeof detail, "unknown at start-up: the platform shows %s, not %s "
				 "(the request may not have been sent)", observed, it->intended);
			record(r, it, AUDIT_UNKNOWN, ACT_UNKNOWN, "unresolved", observed, detail, rid);
		}
	} else if (resp->status == 404) {
		snprintf(detail, sizeof detail, "resolved at start-up: %s no longer exists", it->target);
		record(r, it, AUDIT_FAILED, ACT_FAILED, "not_found", "", detail, rid);
	} else {
		report(r, it, ACT_REFUSED, "", "could not ask the platform (%s); asked again next start",
		       resp->status ? "an error status" : (resp->error && *resp->error ? resp->error : "no answer"));
	}
	r->i++;
	next_item(r);
}

static void all_done(void *ctx)
{
	resolver *r = ctx;
	r->timer = 0;
	act_client *c = r->c;
	act_resolve_done_fn done = r->done;
	void *dctx = r->ctx;
	size_t n = r->items.n, resolved = r->resolved;
	act_set_resolver(c, NULL, NULL); /* frees r */
	if (done)
		done(dctx, n, resolved);
}

static void next_item(resolver *r)
{
	act_client *c = r->c;
	while (r->i < r->items.n) {
		item *it = &r->items.at[r->i];
		char path[1024], url[2048];
		if (act_object_path(it->action, it->target, path, sizeof path, NULL) != 0) {
			report(r, it, ACT_REFUSED, "", "an action this console does not know; left as it is");
			r->i++;
			continue;
		}
		if (url_build(url, sizeof url, act_base_url(c), path, NULL, NULL) != URL_OK) {
			report(r, it, ACT_REFUSED, "", "no URL for %s on this site; asked again next start",
			       it->target);
			r->i++;
			continue;
		}
		char k[ACT_KEY_LEN + 1];
		if (act_new_key(k) == 0)
			snprintf(r->rid, sizeof r->rid, "po-resolve-%.24s", k + 3);
		http_request q = {
			.method = "GET", .url = url, .bearer = act_token(c), .request_id = r->rid,
			.timeout_ms = act_opts(c)->timeout_ms,
		};
		r->http_h = http_send(act_http(c), &q, on_get, r);
		if (r->http_h)
			return;
		report(r, it, ACT_REFUSED, "", "could not start the request");
		r->i++;
	}
	r->timer = ev_timer_add(act_loop(c), 0, all_done, r);
	if (!r->timer)
		all_done(r);
}

int act_resolve_unresolved(act_client *c, act_resolved_fn each, act_resolve_done_fn done, void *ctx)
{
	resolver *r = calloc(1, sizeof *r);
	if (!r)
		return -1;
	r->c = c;
	r->each = each;
	r->done = done;
	r->ctx = ctx;
	if (!act_log(c) || audit_unresolved(act_log(c), collect, r) != AUDIT_OK) {
		resolver_free(r);
		return -1;
	}
	act_set_resolver(c, r, resolver_free);
	next_item(r);
	return 0;
}
