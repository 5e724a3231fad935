/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/am_int.h: the Alertmanager client's pieces, shared between its
 * files and its unit tests. Not part of the API. */
#ifndef PAYOPS_ALERTS_AM_INT_H
#define PAYOPS_ALERTS_AM_INT_H

#include <jansson.h>
#include "alerts/am.h"
#include "audit/writer.h"
#include "base/backoff.h"

#define AM_MAX_DURATION_S (366 * 86400)
#define AM_MAX_REASON 500
/* an intent waits this long for the audit log (another process holding its
 * write lock) before the action is given up, not sent */
#define AM_AUDIT_WAIT_MS 30000
#define AM_AUDIT_BUSY_CODE "audit_log_busy"
#define AM_QUIT_FLUSH_MS 2000

/* ---- build.c: request bodies ---- */
/* [{"name","value","isRegex":false,"isEqual":true}, ...] from the alert's
 * labels (all, or those named in keys); NULL with a reason in why when a
 * key is not a label of the alert, no label is left, or out of memory. */
json_t *am_matchers_json(const api_alert *a, const char *const *keys,
			 size_t n_keys, char *why, size_t whysz);
/* The PostableSilence as compact JSON text (malloc'd), or NULL with why. */
char *am_silence_body(const api_alert *a, const char *const *keys,
		      size_t n_keys, time_t now, int64_t duration_s,
		      const char *created_by, const char *comment, char *why,
		      size_t whysz);
/* Matchers as text for the audit log and messages: {a="x", b="y \"q\""}
 * (quotes, backslashes and line ends escaped as Prometheus writes them). */
int am_matchers_text(const json_t *matchers, char *out, size_t outsz);
/* A silence's reason: 1 to AM_MAX_REASON characters of valid UTF-8
 * (utf8_count_chars, as an action's reason is checked). */
bool am_reason_ok(const char *reason);
/* A silence id safe to put in a path (letters, digits, '-', 1..63). */
bool am_silence_id_ok(const char *id);

/* ---- decode.c: answers ---- */
/* GET /api/v2/silences. Items that fail validation are skipped and counted
 * (*rejected), the first such error kept in err; an answer that is not a
 * JSON array is an error (-1, nothing allocated). */
int am_decode_silences(const char *body, size_t len, am_silence **out,
		       size_t *n, size_t *rejected, char *err, size_t errsz);
void am_silence_free(am_silence *s);
void am_silences_free(am_silence *v, size_t n);

typedef struct {
	char version[64];
	char cluster_status[32];
	size_t peers;
	time_t up_since;
} am_status_info;
int am_decode_status(const char *body, size_t len, am_status_info *out,
		     char *err, size_t errsz);
/* POST /api/v2/silences answer {"silenceID": "..."}. */
int am_decode_silence_id(const char *body, size_t len, char *id, size_t idsz,
			 char *err, size_t errsz);

/* GET /api/v2/alerts: every GettableAlert decoded (api_decode_am_alert),
 * tagged with source, and the ids silencing each (status.silencedBy). */
typedef struct {
	api_alert *items; size_t n;
	char ***silenced_by;   /* per item: NULL-terminated id list, or NULL */
	size_t rejected;
	char reject_msg[256];
} am_alert_list;
int am_decode_alerts(const char *body, size_t len, const char *source,
		     am_alert_list *out, char *err, size_t errsz);
void am_alert_list_free(am_alert_list *l);

/* ---- words.c: errors in words ---- */
/* The message an Alertmanager put in an error body: {"message": ...}, a
 * JSON string, or the first line of plain text; one line, cut to fit. */
void am_body_message(const char *body, size_t len, char *out, size_t outsz);
/* What went wrong with a response, without context: "connection refused",
 * "HTTP 500: no space left on device". "" when r is a 2xx. */
void am_response_words(const http_response *r, char *out, size_t outsz);
/* "alertmanager NAME: METHOD PATH: WHAT". */
void am_error_words(const char *name, const char *method, const char *path,
		    const char *what, char *out, size_t outsz);

/* ---- poll.c / silence.c: the hub ---- */
typedef struct {
	char *fp, *state_raw;
	char **silenced_by; /* NULL-terminated, or NULL */
	size_t n_silenced_by;
} am_seen;

struct am_op;

struct am_server {
	am_hub *hub;
	char *name, *url;
	am_state st;
	backoff bo;
	ev_timer_id poll_timer, status_timer;
	uint64_t req_alerts, req_silences, req_status;
	char *etag_alerts, *etag_silences;
	uint64_t digest_alerts, digest_silences; /* last bodies; 0: none */
	am_silence *sil; size_t n_sil;
	am_seen *seen; size_t n_seen;            /* sorted by fp */
	bool started;
	bool again;   /* poll once more as soon as this poll ends */
	bool resolved; /* interrupted intents looked at (resolve.c) */
};

struct am_hub {
	ev_loop *ev;
	http_client *http;
	store *st;
	struct audit_log *log;
	audit_writer *w;   /* every row goes through it: never blocks the loop */
	am_options o;
	am_server **srv; size_t n_srv;
	bool started;
	struct am_op *ops;
	uint64_t next_op;
	am_resolved_fn on_resolved;
	void *resolved_ctx;
};

void am_server_bump(am_server *s);
void am_ops_free(am_hub *h);   /* silence.c: cancel and free every op */
/* silence.c: is intent `seq` an operation of this hub still running? */
bool am_op_pending_intent(const am_hub *h, int64_t seq);
/* resolve.c: settle this server's interrupted intents (once). */
void am_resolve_server(am_server *s);
#define AM_RESOLVE_GIVE_UP_S 600
#define AM_RESOLVE_START_SLACK_S 300

#endif
