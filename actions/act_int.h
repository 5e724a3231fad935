/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/act_int.h: the action client's pieces, shared between its files
 * and its unit tests. Not part of the API. */
#ifndef PAYOPS_ACTIONS_ACT_INT_H
#define PAYOPS_ACTIONS_ACT_INT_H

#include <jansson.h>
#include "actions/actions.h"
#include "audit/writer.h"

#define ACT_KEY_LEN 35   /* "po-" + 32 hex digits */
#define ACT_INTENDED_SEP " | intended: "
/* json_dumps flags of a request body: stable, and 0.9 stays "0.9" */
#define ACT_BODY_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12))

/* request.c: validation, scope, names, bodies, canonical states */
int act_validate(const store *st, const act_request *r, char *why, size_t whysz);
/* The path under the base URL ("/v1/channels/ID/actions"), id escaped. */
int act_path(const act_request *r, char *out, size_t outsz);
/* GET path of an object of the kind the action name belongs to; -1 for
 * an action this client does not know. kind_out may be NULL. */
int act_object_path(const char *action, const char *target, char *out,
		    size_t outsz, act_kind *kind_out);
/* The JSON body (caller json_decref()s), or NULL when out of memory. */
json_t *act_body(const act_request *r);
/* The intended state in canonical form (see actions.h). */
int act_intended(const act_request *r, const char *operator_id, char *out,
		 size_t outsz);
/* The observed state of obj (the object JSON of `kind`) in the same shape
 * as `intended` (interface, assignee, warn_at follow it). */
int act_observed(act_kind kind, const char *intended, const char *interface,
		 const json_t *obj, char *out, size_t outsz);
/* The fields an operator decides on, "key\tvalue\n" lines, from a decoded
 * object (or from JSON of `kind` with act_fields_json). -1 on a bad object. */
int act_fields_channel(const api_channel *c, char *out, size_t outsz);
int act_fields_route(const api_route *r, char *out, size_t outsz);
int act_fields_case(const api_case *c, char *out, size_t outsz);
int act_fields_break(const api_break *b, char *out, size_t outsz);
int act_fields_limit(const api_limit *l, char *out, size_t outsz);
int act_fields_json(act_kind kind, const json_t *obj, char *out, size_t outsz,
		    int64_t *version, char *by, size_t bysz);
/* "key: old -> new" lines for every field that differs (by: appended as
 * " by WHO" when not empty); returns how many differ. */
int act_fields_diff(const char *seen, const char *current, const char *by,
		    char *out, size_t outsz);
/* "po-" + 32 lowercase hex digits from getrandom(); 0 or -1. */
int act_new_key(char out[ACT_KEY_LEN + 1]);
/* The scope a 403 problem's detail names, else the kind's own. */
const char *act_scope_from_detail(act_kind k, const char *detail);
/* Count of UTF-8 code points (invalid bytes count one each). */

/* approval.c: four eyes */
/* A 202 body {"action": {"status": "pending_approval", "approval_id"},
 * "<target type>": {...}} (any target: channel, route, limit...): the
 * target object, *pending set and the approval id copied; any other body
 * is the object itself. */
json_t *act_held_unwrap(json_t *j, bool *pending, char *approval_id, size_t idsz);
/* "channel.quarantine unionpay.qr requested by op.zhang: <effect>" for an
 * approval in the store, else "". */
void act_approval_before(const store *st, const char *approval_id, char *out, size_t outsz);
/* before.c: the state before r, as the intent row records it ("" when the
 * store does not have the target). */
void act_state_before(const store *st, const act_request *r, char *out, size_t outsz);
/* A decision's answer (the approval) into the store. */
void act_approval_upsert(store *st, const json_t *obj);

/* client.c: test hooks (driver flags). */
typedef enum { ACT_HOOK_AFTER_INTENT, ACT_HOOK_AFTER_RESPONSE } act_hook_point;
typedef void (*act_hook_fn)(void *ctx, act_hook_point p);
void act_set_hook(act_client *c, act_hook_fn fn, void *ctx);

/* client.c, shared with resolve.c */
ev_loop *act_loop(act_client *c);
http_client *act_http(act_client *c);
struct audit_log *act_log(act_client *c);
audit_writer *act_writer(act_client *c); /* NULL without an audit log */
store *act_store(act_client *c);
const char *act_token(const act_client *c);
const char *act_base_url(act_client *c);
const char *act_operator(const act_client *c);
const act_options *act_opts(const act_client *c);
/* resolve.c's state, freed with the client (or replaced). */
void act_set_resolver(act_client *c, void *state, void (*free_fn)(void *));
/* Replace control characters by '?' and cut at the size (for one-line
 * messages built from server text). */
void act_oneline(char *s);

#endif
