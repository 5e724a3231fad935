/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode.h: JSON (as the platform sends it) to api/model.h structs.
 *
 * Every decoder validates: a missing required field, a wrong type, a number
 * out of range (rates outside 0..1, negative counts, integers beyond int64,
 * NaN) is found and named by its field ("data[3].health: expected a
 * string"); an unknown enum value is NOT an error (it becomes *_UNKNOWN
 * with the raw string kept); unknown fields are ignored.
 *
 * The objects (channel, route, case, break, limit, alert) are kept with
 * such a field refused: it holds its "nothing" value and is listed in the
 * object's `bad` with the reason (api/model.h), and the decoder returns 0.
 * Only an object that is not a JSON object or has no usable id (a
 * non-empty string) is an error. status, me, history and the recon summary
 * stay strict: any bad field is an error. On error the output is left
 * zeroed and nothing leaks. Bodies larger than API_MAX_BODY are refused.
 *
 * Details: invalid UTF-8 in a body becomes U+FFFD (api_parse repairs it
 * before parsing) and "\u0000" in a string becomes U+FFFD; a string longer
 * than 64 KiB is an error; duplicate keys are an error (JSON_REJECT_
 * DUPLICATES); numbers jansson cannot hold (1e400, integers beyond int64)
 * make api_parse fail. Integers written as 17.0 are accepted. Measured
 * values (tps, rates, latencies, traffic_share) may be null (NAN: nothing
 * measured in the window) but not absent. Nullable objects (maintenance,
 * override, resolution) may be absent or null. `out` is overwritten, not
 * freed: free a previous value first.
 */
#ifndef PAYOPS_API_DECODE_H
#define PAYOPS_API_DECODE_H

#include <jansson.h>
#include "api/model.h"

#define API_MAX_BODY (64u * 1024u * 1024u)

typedef struct {
	char msg[256];
} api_err;

/* Parse a body into a JSON tree (caller json_decref()s); -1 with a message
 * ("line 1 column 7: unexpected token") when it is not JSON. */
int api_parse(const char *body, size_t len, json_t **out, api_err *err);

int api_decode_status(const json_t *j, api_status *out, api_err *err);
int api_decode_me(const json_t *j, api_me *out, api_err *err);
int api_decode_channel(const json_t *j, api_channel *out, api_err *err);
int api_decode_history(const json_t *j, api_history *out, api_err *err);
int api_decode_route(const json_t *j, api_route *out, api_err *err);
int api_decode_case(const json_t *j, api_case *out, api_err *err);
int api_decode_break(const json_t *j, api_break *out, api_err *err);
int api_decode_recon_summary(const json_t *j, api_recon_summary *out, api_err *err);
int api_decode_limit(const json_t *j, api_limit *out, api_err *err);
int api_decode_alert(const json_t *j, api_alert *out, api_err *err);
/* An approval (contract v1.1). request and result are kept as compact JSON;
 * the request's action/interface/reason/ticket and a failed result's
 * problem code and detail are read out for the views. */
int api_decode_approval(const json_t *j, api_approval *out, api_err *err);
/* Prometheus Alertmanager API v2 alert object (GettableAlert), tagged with
 * `source` ("alertmanager" when NULL). id = fingerprint; status.state
 * active, suppressed or unprocessed -> AST_FIRING (state_raw keeps which);
 * severity from labels.severity; title from annotations.title, else
 * labels.alertname; summary from annotations.summary, else .description;
 * ends_at 0 while firing (Alertmanager's endsAt is then only a guess). */
int api_decode_am_alert(const json_t *j, const char *source, api_alert *out,
			api_err *err);
/* problem+json; tolerant: fills what it can (members that are missing or
 * of the wrong type stay NULL / 0), never fails on a JSON object body; -1
 * (out zeroed) when the body is not a JSON object. */
int api_decode_problem(const char *body, size_t len, api_problem *out);

/* A list page {"data": [...], "next_cursor": "..."|null}. Items kept with
 * bad fields are items like the others. Items that cannot be kept (no
 * usable id, or out of memory) are skipped and counted; the first such error
 * is kept, prefixed with the item's id when it has one, else with its name
 * ("\"UnionPay QR\": data[3].id: missing"). A page whose envelope is wrong
 * (not an object, no data array) is an error. */
typedef enum { API_KIND_CHANNEL, API_KIND_ROUTE, API_KIND_CASE, API_KIND_BREAK,
	       API_KIND_LIMIT, API_KIND_ALERT, API_KIND_APPROVAL } api_kind;
typedef struct {
	api_kind kind;
	void *items;      /* api_channel[] / api_route[] / ... by kind */
	size_t n;
	char *next_cursor; /* NULL at the end */
	size_t n_rejected;
	char **rejected_ids; /* ids of rejected items, where they had one */
	size_t n_rejected_ids;
	char reject_msg[256];
} api_page;
int api_decode_page(const char *body, size_t len, api_kind kind,
		    api_page *out, api_err *err);
/* Alertmanager's GET /api/v2/alerts: a bare JSON array of GettableAlert,
 * decoded into a page of API_KIND_ALERT (next_cursor NULL), with the same
 * rejected-item accounting (ids are fingerprints). */
int api_decode_am_alerts(const char *body, size_t len, const char *source,
			 api_page *out, api_err *err);
void api_page_free(api_page *p);

#endif
