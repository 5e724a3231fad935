/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_approval.c: an approval (four eyes, contract v1.1). The held
 * request and the result are kept whole as compact JSON (the detail view
 * shows every field); the pieces the pane and the dialogs read are taken
 * out of them. */
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"

/* obj[key] (absent or null allowed) as compact JSON in *out; NULL when
 * absent or null. */
static int dec_json_text(dec *d, const json_t *obj, const char *key, char **out)
{
	int rc;
	const json_t *v = dec_object(d, obj, key, D_NULL, &rc);
	if (rc || !v)
		return rc;
	if (!(*out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS)))
		return dec_fail(d, "out of memory");
	return 0;
}

static int dec_request(dec *d, const json_t *j, api_approval *o)
{
	int rc;
	const json_t *r = dec_object(d, j, "request", D_REQ, &rc);
	if (rc)
		return rc;
	if (!r) { /* refused and kept: an empty request */
		char **s[] = { &o->request_json, &o->req_action, &o->req_interface,
			       &o->req_reason, &o->req_ticket };
		for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
			if (!(*s[i] = strdup(i == 0 ? "{}" : "")))
				return dec_fail(d, "out of memory");
		return 0;
	}
	TRY(dec_json_text(d, j, "request", &o->request_json));
	size_t m = dec_key(d, "request");
	TRY(dec_str(d, r, "action", D_NULLSTR, &o->req_action));
	TRY(dec_str(d, r, "interface", D_NULLSTR, &o->req_interface));
	TRY(dec_str(d, r, "reason", D_NULLSTR, &o->req_reason));
	TRY(dec_str(d, r, "ticket", D_NULLSTR, &o->req_ticket));
	dec_pop(d, m);
	return 0;
fail:
	return -1;
}

/* A failed approval's result is a problem object: its code and detail. */
static int dec_result(dec *d, const json_t *j, api_approval *o)
{
	TRY(dec_json_text(d, j, "result", &o->result_json));
	const json_t *r = json_object_get(j, "result");
	if (o->state != APR_FAILED || !json_is_object(r))
		return 0;
	size_t m = dec_key(d, "result");
	TRY(dec_str(d, r, "code", D_NULL, &o->result_code));
	TRY(dec_str(d, r, "detail", D_NULL, &o->result_detail));
	dec_pop(d, m);
	return 0;
fail:
	return -1;
}

int dec_approval(dec *d, const json_t *j, api_approval *o)
{
	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	o->target_version = -1;
	o->version = -1;
	DEC_ENUM(d, j, o, state, api_approval_state_names, APR_UNKNOWN);
	TRY(dec_str(d, j, "kind", D_REQ, &o->kind));
	TRY(dec_str(d, j, "target_type", D_REQ, &o->target_type));
	TRY(dec_str(d, j, "target_id", D_REQ, &o->target_id));
	TRY(dec_request(d, j, o));
	TRY(dec_str(d, j, "effect", D_REQ, &o->effect));
	TRY(dec_i64(d, j, "target_version", D_REQ, 0, INT64_MAX, &o->target_version));
	TRY(dec_str(d, j, "requested_by", D_REQ, &o->requested_by));
	TRY(dec_time(d, j, "requested_at", D_REQ, &o->requested_at));
	TRY(dec_time(d, j, "expires_at", D_REQ, &o->expires_at));
	TRY(dec_str(d, j, "decided_by", D_NULL, &o->decided_by));
	TRY(dec_time(d, j, "decided_at", D_NULL, &o->decided_at));
	TRY(dec_str(d, j, "decision_reason", D_NULL, &o->decision_reason));
	TRY(dec_result(d, j, o));
	TRY(dec_i64(d, j, "version", D_REQ, 0, INT64_MAX, &o->version));
	return 0;
fail:
	api_approval_free(o);
	return -1;
}
