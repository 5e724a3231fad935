/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/actions.h: the action client. Everything between "the operator
 * confirmed" and "the outcome is in the store and in the audit log", without
 * any drawing.
 *
 * One act_submit() does, on the event loop and never blocking:
 *   1. refuse before writing anything when the console is read-only, the
 *      token lacks the scope, or the request is invalid (act_check());
 *   2. make a fresh Idempotency-Key ("po-" + 32 hex digits, 128 bits from
 *      getrandom) and an X-Request-Id;
 *   3. write the audit INTENT row; if that fails nothing is sent. The row
 *      is written through an audit_writer (audit/writer.h), so another
 *      process holding the log's write lock never stalls the loop: the
 *      action then waits, progress says "writing the audit log...", and it
 *      is sent once the row is written, or not at all after audit_wait_ms
 *      (refused with code "audit_log_busy"; the log records it as not sent
 *      once it is free);
 *   4. POST the mutation (Authorization, If-Match "\"<version>\"",
 *      Idempotency-Key, X-Request-Id, JSON body) to the site base_url() names
 *      at that moment;
 *   5. map the answer:
 *        200 applied (channel/route objects are upserted into the store);
 *        202 pending_approval;
 *        400/403/404/409/422 rejected with the problem code (403 names the
 *            missing scope);
 *        412 the object moved: when only live fields moved (metrics, usage)
 *            and nothing the operator decided on, re-send at the new version
 *            with the SAME key (said through progress); otherwise a conflict
 *            listing what changed, so the UI can ask again;
 *        429/503 wait Retry-After (with jitter), re-send with the same key;
 *        timeout, transport error, other 5xx: re-send with the same key up
 *            to max_tries; after the last failed try the outcome is UNKNOWN
 *            (it may have been applied), never failed;
 *        Idempotent-Replayed: true is reported as replayed;
 *   6. write the audit OUTCOME row (queued while the log is locked, written
 *      once it is free, never dropped); call done exactly once.
 *
 * The audit intent row's state_before holds the operator's "state before"
 * followed by " | intended: " and the intended state in a canonical form
 * ("admin_state=quarantined", "interface refund=disabled",
 * "weights a=0,b=100", "stage=approved", "status=resolved",
 * "assignee=op.li", "limit_minor=60000000 warn_at=0.9", "acked_by=op.x").
 * Outcome rows carry the observed state in the same canonical form; this is
 * what act_resolve_unresolved() compares after a crash.
 */
#ifndef PAYOPS_ACTIONS_H
#define PAYOPS_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "audit/audit.h"
#include "net/http.h"
#include "store/store.h"
#include "base/ev.h"

typedef struct act_client act_client;

/* Who acts, and where. Strings are copied by act_new(). */
typedef const char *(*act_site_fn)(void *ctx);
typedef struct {
	const char *operator_id; /* NULL: store_me()'s operator_id at submit time */
	const char *local_user;  /* NULL: getpwuid(geteuid()) */
	const char *host;        /* NULL: gethostname() */
	const char *site;        /* site name for the audit rows */
	/* Base URL of the site actions go to NOW, without "/v1"
	 * ("http://127.0.0.1:8780"); called at every try, so a failover
	 * between tries sends the retry (same key) to the new site. */
	act_site_fn base_url;
	/* Optional: the current site's name (NULL: `site` above). */
	act_site_fn site_name;
	void *site_ctx;
	/* Bearer token: sent, registered with audit_set_secret() so it never
	 * enters the log; never shown. */
	const char *token;
	/* How the operator acts: NULL/"" the console; "cli" a command of
	 * payops from a script. Recorded in the audit rows: the request id
	 * (also sent as X-Request-Id) begins "po-cli-" instead of "po-r-", and
	 * the outcome's detail begins "via cli: ". */
	const char *via;
} act_identity;

/* Tuning; zero fields take the defaults. */
typedef struct {
	long timeout_ms;         /* per try; default 10000 */
	int max_tries;           /* transport/5xx tries; default 3 */
	int64_t backoff_base_ms; /* first retry ceiling; default 500 (jittered) */
	int max_overload_waits;  /* 429/503 waits; default 5 */
	int max_rebases;         /* metrics-only 412 re-sends; default 3 */
	double confirm_share;    /* typing the id needed above; default 0.05 */
	int64_t audit_wait_ms;   /* an intent waits this long for the audit log's
				  * write lock before the action is given up;
				  * default ACT_AUDIT_WAIT_MS */
} act_options;

#define ACT_AUDIT_WAIT_MS 30000  /* see audit_wait_ms */
#define ACT_QUIT_FLUSH_MS 10000  /* act_free: the longest wait for queued rows */

typedef enum {
	ACT_CHANNEL,       /* POST /v1/channels/{id}/actions        channels:write */
	ACT_ROUTE_WEIGHTS, /* POST /v1/routes/{id}/weights          routing:write */
	ACT_CASE_DECISION, /* POST /v1/onboarding/cases/{id}/decision onboarding:write */
	ACT_BREAK_RESOLVE, /* POST /v1/recon/breaks/{id}/resolve    recon:write */
	ACT_LIMIT_ADJUST,  /* POST /v1/limits/{id}/adjust           limits:write */
	ACT_ALERT_ACK,     /* POST /v1/alerts/{id}/ack (no If-Match) alerts:write */
	ACT_APPROVAL_DECISION, /* POST /v1/approvals/{id}/decision: the scope
				* the held request needed (held_kind) */
} act_kind;

typedef enum { ACT_CH_ENABLE, ACT_CH_DISABLE, ACT_CH_DRAIN, ACT_CH_QUARANTINE,
	       ACT_CH_RELEASE } act_channel_verb;
typedef enum { ACT_CASE_APPROVE, ACT_CASE_REJECT, ACT_CASE_RETURN,
	       ACT_CASE_ASSIGN } act_case_decision;
typedef enum { ACT_APR_APPROVE, ACT_APR_REJECT } act_approval_decision;
typedef enum { ACT_BRK_MATCH, ACT_BRK_WRITE_OFF, ACT_BRK_ADJUST,
	       ACT_BRK_ESCALATE, ACT_BRK_INVESTIGATE, ACT_BRK_REOPEN,
	       ACT_BRK_ASSIGN } act_break_action;

typedef struct {
	const char *channel_id;
	int weight_pct;
} act_weight;

/* One mutation. Only the fields of its kind are read; act_submit() copies
 * everything it needs, so the request may live on the caller's stack. */
typedef struct {
	act_kind kind;
	const char *target;       /* object id */
	int64_t version;          /* the version the operator saw (If-Match);
				   * ignored for ACT_ALERT_ACK */
	const char *reason;       /* required, 1..500 characters */
	const char *ticket;       /* NULL/"" or up to 64 characters */
	const char *state_before; /* human text for the audit row; NULL: derived
				   * from the store (channels, routes) or "" */
	const char *state_after;  /* human intended state; NULL: the canonical form */
	int verb;                 /* act_channel_verb / act_case_decision /
				   * act_break_action, by kind */
	/* ACT_CHANNEL */
	const char *interface;    /* NULL/"": the whole channel */
	/* ACT_ROUTE_WEIGHTS: every member listed, integers summing to 100 */
	const act_weight *weights;
	size_t n_weights;
	time_t expires_at;        /* 0: no expiry */
	/* ACT_CASE_DECISION / ACT_BREAK_RESOLVE assign */
	const char *assignee;
	/* ACT_BREAK_RESOLVE */
	const char *counterpart_ref;  /* match */
	int64_t adjustment_minor;     /* adjust */
	/* ACT_APPROVAL_DECISION: target is the approval id, version the
	 * approval's; held_kind the held request's kind ("channel.quarantine",
	 * for the scope; NULL: from the store's copy of the approval) */
	const char *held_kind;
	/* ACT_LIMIT_ADJUST */
	int64_t limit_minor;          /* > 0 */
	double warn_at;               /* (0, 1], or NAN / <= 0: not sent */
	/* What the operator decided on (the object the dialog showed), for
	 * telling a 412 that only moved live fields from a real conflict and
	 * for listing what changed. When NULL, channels and routes are taken
	 * from the store if it still holds `version`; without a snapshot any
	 * 412 is a conflict ("version: 17 -> 19"). Copied at submit. */
	const api_channel *seen_channel;
	const api_route *seen_route;
	const api_case *seen_case;
	const api_break *seen_break;
	const api_limit *seen_limit;
} act_request;

typedef enum {
	ACT_APPLIED,          /* the platform applied it */
	ACT_PENDING_APPROVAL, /* 202: a second operator must approve */
	ACT_REJECTED,         /* the platform refused (code says why) */
	ACT_CONFLICT,         /* 412 with relevant changes: ask the operator again */
	ACT_FAILED,           /* the platform said it failed (never a guess) */
	ACT_UNKNOWN,          /* no answer after every try: it may have been applied */
	ACT_REFUSED,          /* refused here, nothing sent (read-only, scope,
			       * validation, audit log not writable) */
} act_status;

typedef struct {
	act_status status;
	bool replayed;            /* the answer was an idempotent replay */
	int http_status;          /* last HTTP status; 0: none */
	int tries;                /* requests sent */
	char code[64];            /* problem code ("invalid_transition"), or for
				   * refusals: "read_only", "insufficient_scope",
				   * "invalid_request", "audit_write_failed",
				   * "audit_log_busy" */
	char message[512];        /* one line for the message bar */
	char changes[1024];       /* ACT_CONFLICT: one change per line
				   * ("admin_state: enabled -> disabled by op.li") */
	char missing_scope[32];   /* 403 / scope refusals: "channels:write" */
	int64_t version;          /* resulting version (applied), current (conflict), or -1 */
	char idempotency_key[40];
	char request_id[64];
	int64_t intent_seq;       /* audit rows; 0 when not written */
	int64_t outcome_seq;
	char state_after[256];    /* canonical observed state, or "" */
	char approval_id[32];     /* ACT_PENDING_APPROVAL: the approval the
				   * platform made (also the code of the
				   * audit outcome row), else "" */
	const char *object_json;  /* returned object (applied/pending) or the
				   * 412 `current`; valid during the callback only */
} act_result;

typedef void (*act_done_fn)(void *ctx, const act_result *r);
/* A line worth showing while the action runs ("timed out; retrying with the
 * same idempotency key (2/3)", "version moved 17 -> 19 (metrics only);
 * re-sent"). */
typedef void (*act_progress_fn)(void *ctx, const char *msg);

/* log and st are borrowed and must outlive the client; so do ev and http. */
act_client *act_new(ev_loop *ev, http_client *http, struct audit_log *log,
		    store *st, const act_identity *who);
/* Cancels whatever is in flight without callbacks: an intent already written
 * stays without outcome and is resolved at the next start; an action still
 * waiting for its intent row is never sent (recorded as not sent). Audit rows
 * still queued because another process holds the log are written first,
 * waiting up to ACT_QUIT_FLUSH_MS; when there are any, act_free says so on
 * standard error (the terminal is closed by then), and names what was left
 * unwritten. */
void act_free(act_client *c);
void act_set_options(act_client *c, const act_options *o);
/* why non-NULL: read-only (act_submit refuses with it); NULL: writable. */
void act_set_read_only(act_client *c, const char *why);
size_t act_in_flight(const act_client *c);

/* The scope a kind needs ("channels:write") and its SCOPE_BIT_*. For
 * ACT_APPROVAL_DECISION, which needs the scope of the request it decides,
 * ask act_request_scope_name/_bit. */
const char *act_scope_name(act_kind k);
unsigned act_scope_bit(act_kind k);
const char *act_request_scope_name(const store *st, const act_request *r);
unsigned act_request_scope_bit(const store *st, const act_request *r);
/* "channel.quarantine", "route.reweight", "case.approve",
 * "break.resolve.match", "limit.adjust", "alert.ack". */
int act_action_name(const act_request *r, char *out, size_t outsz);

/* What act_submit() would refuse with, without doing anything: 0 when the
 * request may go, else -1 with a one-line reason in why (and the code, e.g.
 * "insufficient_scope", in code when non-NULL, 64 bytes). */
int act_check(const act_client *c, const act_request *r, char *why,
	      size_t whysz, char *code);

/* Start one action. done runs exactly once, from the loop (a refusal too, on
 * the next iteration); progress (may be NULL) any number of times before.
 * Returns an id > 0, or 0 when out of memory (no callback then). */
uint64_t act_submit(act_client *c, const act_request *r, act_done_fn done,
		    act_progress_fn progress, void *ctx);

/* ---- after a crash ---- */
typedef struct {
	int64_t intent_seq;
	const char *action;       /* "channel.quarantine" */
	const char *target;
	act_status status;        /* ACT_APPLIED, ACT_FAILED or ACT_UNKNOWN;
				   * ACT_REFUSED: could not ask the platform
				   * (nothing written, tried again next start) */
	const char *observed;     /* canonical state seen now, or "" */
	const char *message;      /* "channel.quarantine icbc.direct.quickpay
				   * (interrupted): applied" */
} act_resolution;
typedef void (*act_resolved_fn)(void *ctx, const act_resolution *r);
/* n: intents looked at; resolved: outcomes written as applied/failed. */
typedef void (*act_resolve_done_fn)(void *ctx, size_t n, size_t resolved);

/* For every intent without a final outcome (audit_unresolved()), GET the
 * target and record what became of it:
 *   applied  the object shows the intended state;
 *   failed   it does not, and the intent is older than the 24 h idempotency
 *            window (nothing can apply it any more);
 *   unknown  it does not yet (within 24 h a retry with the key could still
 *            land; the observed state is recorded, once per observed state);
 *   404      the target is gone: failed.
 * A GET that gets no answer writes nothing (next start tries again). each
 * runs per intent, done once at the end. Returns 0 if started. */
int act_resolve_unresolved(act_client *c, act_resolved_fn each,
			   act_resolve_done_fn done, void *ctx);

/* ---- for the confirmation dialog ---- */
/* The exact effect of a channel verb, from the store's current data, as
 * lines separated by '\n':
 *   "icbc.direct.quickpay: enabled -> quarantined"
 *   "carries 18.0% of traffic, 123.4 TPS"
 *   "route qr.cny.domestic loses 40% -> unionpay.qr 60%->100%"
 * Weights are redistributed proportionally over the remaining eligible
 * members with weight (equally when none has any), largest remainder, as
 * the platform does. *type_id (may be NULL) is set when the verb takes
 * traffic away (disable, drain, quarantine) from a channel carrying more
 * than confirm_share (<= 0: 0.05) of traffic. Returns the length written,
 * or -1 when the channel is unknown. */
int act_describe_channel_effect(const store *st, const char *channel_id,
				act_channel_verb verb, const char *interface,
				double confirm_share, char *out, size_t outsz,
				bool *type_id);

const char *act_status_name(act_status s);   /* "applied", "conflict", ... */
const char *act_channel_verb_name(int v);    /* "quarantine" */
const char *act_case_decision_name(int v);   /* "approve" */
const char *act_break_action_name(int v);    /* "write_off" */
const char *act_approval_decision_name(int v); /* "approve" */

/* ---- four eyes: the maker's side ----
 * For every decided approval in the store that this operator requested,
 * the intent whose pending_approval outcome names it (the outcome row's
 * code is the approval id) gets its final outcome row, once: applied (by
 * the approver, with the reason), rejected, expired, or failed (with the
 * platform's problem). Call it when the store's approvals changed; cheap
 * when nothing new was decided. Returns how many rows it wrote. */
size_t act_follow_approvals(act_client *c);

#endif
