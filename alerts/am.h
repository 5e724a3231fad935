/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/am.h: Prometheus Alertmanager (API v2) as an alert source beside
 * the platform, with silences.
 *
 * One am_hub holds every configured Alertmanager (an am_server each). All
 * I/O runs on the event loop through net/http.h; nothing blocks and nothing
 * else needs to be watched: the hub only adds timers to the loop and
 * requests to the HTTP client.
 *
 * Polling, per Alertmanager:
 *   GET /api/v2/alerts (active, silenced, inhibited and unprocessed alike:
 *       a silenced alert is shown as such, state_raw "suppressed") then
 *   GET /api/v2/silences, every poll_ms; GET /api/v2/status every
 *   status_ms. If-None-Match is sent when the server gave an ETag, and a
 *   body identical to the last one is not decoded again. Alerts go into the
 *   store with store_alerts_replace_source(st, NAME, ...) so they merge with
 *   the platform's by fingerprint and carry the Alertmanager's name as
 *   source. A failure keeps the last good data, marks the server failing
 *   with the error in words ("alertmanager am-sh: GET /api/v2/alerts:
 *   connection refused") and retries with jittered exponential backoff.
 *
 * Silences made or expired from the console write an audit INTENT row
 * before the request and an OUTCOME row after it (actions "alert.silence"
 * and "alert.unsilence", site = the Alertmanager's name), as the action
 * client does for the platform's mutations.
 *
 * Every string that came from an Alertmanager is kept as it was sent
 * (valid UTF-8, NOT sanitised): it reaches the terminal through text/text.h.
 */
#ifndef PAYOPS_ALERTS_AM_H
#define PAYOPS_ALERTS_AM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "api/model.h"
#include "audit/audit.h"
#include "config/config.h"
#include "net/http.h"
#include "store/store.h"
#include "base/ev.h"

typedef struct am_hub am_hub;
typedef struct am_server am_server;

typedef struct {
	int64_t poll_ms;       /* alerts + silences; default 5000 */
	int64_t status_ms;     /* status; default 60000 */
	long timeout_ms;       /* per request; default 10000 */
	int64_t backoff_base_ms; /* first retry ceiling; default 1000 */
	int64_t backoff_cap_ms;  /* default 60000 */
	const char *local_user;  /* audit rows; NULL: the login name */
	const char *host;        /* audit rows; NULL: the host name */
} am_options;

/* ev, http, st and log are borrowed and must outlive the hub; log may be
 * NULL (then every silence request is refused: nothing is sent without its
 * intent on record). o may be NULL (defaults). */
am_hub *am_hub_new(ev_loop *ev, http_client *http, store *st,
		   struct audit_log *log, const am_options *o);
/* Cancels everything in flight, without callbacks (an intent already
 * written stays without outcome), and frees every silence and state. */
void am_hub_free(am_hub *h);

/* Add one Alertmanager: name (the alerts' source) and base URL (without
 * "/api/v2"; a trailing slash is dropped). Returns it, or NULL (duplicate
 * or empty name, empty URL, out of memory). */
am_server *am_hub_add(am_hub *h, const char *name, const char *url);
/* Every cfg->alertmanagers[] entry; 0, or -1 when one could not be added. */
int am_hub_add_config(am_hub *h, const cfg_config *cfg);
/* Start polling every server (the first polls go out on the next loop
 * iteration). Servers added later start at once. */
void am_hub_start(am_hub *h);
/* Poll every server now (the operator pressed refresh), backoff or not. */
void am_hub_refresh(am_hub *h);

size_t am_hub_count(const am_hub *h);
am_server *am_hub_at(const am_hub *h, size_t i);
am_server *am_hub_find(const am_hub *h, const char *name);
/* Sum of every server's generation: changes whenever any state, silence
 * list or status changes (views watch it like store_gen_total). */
uint64_t am_hub_gen(const am_hub *h);

/* ---- per-Alertmanager state ---- */
typedef enum {
	AM_PENDING,  /* not answered yet */
	AM_UP,       /* the last poll worked */
	AM_FAILING,  /* the last poll failed; data is the last good one */
} am_health;

typedef struct {
	const char *name, *url;
	am_health health;
	char error[320];     /* the last failure in words, "" when fine */
	time_t error_at;
	time_t last_ok;      /* wall clock of the last good poll; 0: never */
	unsigned failures;   /* consecutive failed polls */
	char note[256];      /* alerts the decoder rejected, if any, else "" */
	size_t n_alerts;     /* alerts in the last good answer */
	/* GET /api/v2/status (empty until known) */
	char version[64];    /* versionInfo.version: "0.25.0" */
	char cluster_status[32]; /* cluster.status: "ready", "settling", "disabled" */
	size_t cluster_peers;
	time_t up_since;     /* uptime (when it started); 0: unknown */
	uint64_t gen;        /* bumps on every change of the above or silences */
} am_state;

const am_state *am_server_state(const am_server *s);
const char *am_server_name(const am_server *s);
/* Poll this one now. */
void am_server_refresh(am_server *s);

/* ---- silences (as GET /api/v2/silences last returned them; active
 * first, then pending, then expired; newest first within each) ---- */
typedef struct {
	char *name, *value;
	bool is_regex, is_equal;
} am_matcher;

typedef enum { AM_SIL_ACTIVE, AM_SIL_PENDING, AM_SIL_EXPIRED,
	       AM_SIL_UNKNOWN } am_silence_state;

typedef struct {
	char *id;
	am_matcher *matchers; size_t n_matchers;
	char *created_by, *comment;
	time_t starts_at, ends_at, updated_at; /* updated_at 0 when absent */
	am_silence_state state; char *state_raw;
} am_silence;

size_t am_silence_count(const am_server *s);
const am_silence *am_silence_at(const am_server *s, size_t i);
const am_silence *am_silence_find(const am_server *s, const char *id);
const char *am_silence_state_str(am_silence_state st); /* "active", ... "?" */
/* The silence ids muting an alert (status.silencedBy in the last poll);
 * 0 when none or unknown. ids[] are valid until the next poll. */
/* Whether this Alertmanager reported the alert in its last good poll, and
 * its raw state there ("active", "suppressed", "unprocessed"; may be NULL). */
bool am_alert_seen(const am_server *s, const char *fingerprint,
		   const char **state_raw);
size_t am_alert_silenced_by(const am_server *s, const char *fingerprint,
			    const char *const **ids);

/* ---- silence and unsilence ---- */
typedef enum {
	AM_OP_APPLIED,  /* the Alertmanager did it */
	AM_OP_REJECTED, /* it refused (4xx); message says why */
	AM_OP_UNKNOWN,  /* no usable answer (transport, timeout, 5xx): it may
			 * or may not have happened; the next poll shows */
	AM_OP_REFUSED,  /* refused here, nothing sent (invalid request, audit
			 * log not writable) */
} am_op_status;

typedef struct {
	am_op_status status;
	int http_status;        /* 0: none */
	char silence_id[64];    /* the new silence (create) or the one expired */
	char code[32];          /* "200", "422", "invalid_request",
				 * "audit_write_failed", "transport" */
	char message[512];      /* one line for the message bar */
	int64_t intent_seq;     /* audit rows; 0 when not written */
	int64_t outcome_seq;
} am_result;

typedef void (*am_done_fn)(void *ctx, const am_result *r);

/* Silence `alert` on server s for duration_s seconds (1 .. 366 days):
 * POST /api/v2/silences with one equal, non-regex matcher per label (all
 * of the alert's labels, or only those named in keys[0..n_keys), which must
 * all be labels of the alert), startsAt now, endsAt now + duration,
 * createdBy operator_id, comment reason (1..500 characters). done runs
 * exactly once from the loop (a refusal too, on the next iteration) with
 * the new silence's id. Returns an id > 0, or 0 when out of memory (no
 * callback then). */
uint64_t am_silence_create(am_server *s, const api_alert *alert,
			   const char *const *keys, size_t n_keys,
			   int64_t duration_s, const char *operator_id,
			   const char *reason, am_done_fn done, void *ctx);
/* Expire a silence: DELETE /api/v2/silence/{id}. Same rules. */
uint64_t am_silence_expire(am_server *s, const char *silence_id,
			   const char *operator_id, const char *reason,
			   am_done_fn done, void *ctx);
size_t am_in_flight(const am_hub *h); /* silence operations running */

const char *am_op_status_name(am_op_status st); /* "applied", ... */

/* ---- after a crash ----
 * An alert.silence / alert.unsilence intent of this console left without a
 * final outcome (the console died, or the answer never came) is settled
 * once per Alertmanager, after its first good poll of silences, from what
 * that Alertmanager shows (the intent's site names it):
 *   alert.unsilence  the silence is expired: applied; still active and the
 *                    intent older than 10 minutes: failed;
 *   alert.silence    a silence with the intent's createdBy, comment and
 *                    matchers, starting within 5 minutes of the intent:
 *                    applied (its id in state_after); none and the intent
 *                    older than 10 minutes: failed;
 *   otherwise nothing is written and the next start looks again.
 * fn (may be NULL) hears one line per outcome written ("alert.silence
 * bec27b284e4dbe23 on am-sh (interrupted): applied, silence 325f..."). The
 * action client leaves these intents alone. */
typedef void (*am_resolved_fn)(void *ctx, const char *message);
void am_hub_on_resolved(am_hub *h, am_resolved_fn fn, void *ctx);

#endif
