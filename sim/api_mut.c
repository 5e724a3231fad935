/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api_mut.c - what every /v1 mutation shares: the scope, the
 * Idempotency-Key and its replay, the body and its reason, If-Match, and the
 * checks of single fields */
#include "sim/api.h"
#include "sim/util.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_api_mut_free(struct sim_api_mut *m)
{
	json_decref(m->body);
	free(m->fingerprint);
}

/* Validation shared by every mutation; returns 0 to go on, -1 when rs holds the answer.
 * On 0 the world is LOCKED (the caller unlocks), so the idempotency check and the
 * change happen atomically. */
int sim_api_mut_begin(struct sim_req *rq, struct sim_resp *rs, unsigned scope, struct sim_api_mut *m)
{
	memset(m, 0, sizeof *m);
	if (!(rq->tok->scopes & scope)) {
		sim_api_problem(rs, rq, 403, "insufficient_scope", "this action requires the scope %s", sim_scope_name(scope));
		return -1;
	}
	const char *key = sim_req_header(rq, "Idempotency-Key");
	if (!key || !*key) {
		sim_api_problem(rs, rq, 400, "idempotency_key_missing", "mutations require an Idempotency-Key header");
		return -1;
	}
	size_t kl = strlen(key);
	int ok = kl <= 255;
	for (size_t i = 0; ok && i < kl; i++)
		ok = key[i] > 0x20 && key[i] < 0x7f;
	if (!ok) {
		sim_api_problem(rs, rq, 400, "idempotency_key_invalid", "Idempotency-Key must be 1..255 visible ASCII characters");
		return -1;
	}
	json_error_t err;
	m->body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!m->body) {
		sim_api_problem(rs, rq, 400, "malformed_json", "request body is not valid JSON: %.200s (line %d, column %d)",
			err.text, err.line, err.column);
		return -1;
	}
	if (!json_is_object(m->body)) {
		sim_api_problem(rs, rq, 400, "malformed_json", "request body must be a JSON object");
		sim_api_mut_free(m);
		return -1;
	}
	json_t *r = json_object_get(m->body, "reason");
	size_t rl = json_is_string(r) ? sim_utf8_chars(json_string_value(r)) : 0;
	int blank = 1;
	if (json_is_string(r))
		for (const char *p = json_string_value(r); *p && blank; p++)
			blank = isspace((unsigned char)*p);
	if (!json_is_string(r) || rl == 0 || rl > 500 || blank) {
		sim_api_problem(rs, rq, 400, "reason_required", "reason is required: a string of 1..500 characters");
		sim_api_mut_free(m);
		return -1;
	}
	m->reason = json_string_value(r);
	json_t *t = json_object_get(m->body, "ticket");
	if (t && !json_is_null(t)) {
		if (!json_is_string(t) || sim_utf8_chars(json_string_value(t)) > 64) {
			sim_api_problem(rs, rq, 400, "invalid_field", "ticket must be a string of at most 64 characters");
			sim_api_mut_free(m);
			return -1;
		}
		m->ticket = json_string_value(t);
	}
	char *canon = json_dumps(m->body, JSON_COMPACT | JSON_SORT_KEYS);
	size_t fl = (canon ? strlen(canon) : 0) + strlen(rq->url) + 16;
	m->fingerprint = malloc(fl);
	if (!canon || !m->fingerprint) {
		free(canon);
		sim_api_problem(rs, rq, 500, "internal_error", "out of memory");
		sim_api_mut_free(m);
		return -1;
	}
	snprintf(m->fingerprint, fl, "POST %s\n%s", rq->url, canon);
	free(canon);
	snprintf(m->key, sizeof m->key, "%s\n%s", rq->tok->operator_id, key);

	pthread_mutex_lock(&rq->w->lock);
	const struct sim_idem_entry *e;
	int hit = sim_idem_lookup(&rq->w->idem, m->key, m->fingerprint, rq->w->now, &e);
	if (hit == SIM_IDEM_REPLAY) {
		rs->status = e->status;
		rs->body = strdup(e->body);
		rs->ctype = e->status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
		snprintf(rs->etag, sizeof rs->etag, "%s", e->etag);
		rs->replayed = 1;
		pthread_mutex_unlock(&rq->w->lock);
		sim_api_mut_free(m);
		return -1;
	}
	if (hit == SIM_IDEM_REUSED) {
		pthread_mutex_unlock(&rq->w->lock);
		sim_api_problem(rs, rq, 422, "idempotency_key_reused",
			"this Idempotency-Key was used for a different request in the last 24 h");
		sim_api_mut_free(m);
		return -1;
	}
	return 0;
}

/* Keep the answer of a request that executed (2xx, or a 409/422 from the
 * domain) so a retry replays it. World locked. */
void sim_api_mut_store(struct sim_req *rq, struct sim_resp *rs, struct sim_api_mut *m)
{
	int s = rs->status;
	if ((s >= 200 && s < 300) || s == 409 || s == 422)
		sim_idem_put(&rq->w->idem, m->key, m->fingerprint, s, rs->body, rs->etag, rq->w->now);
}

/* If-Match against the current version. World locked. 0 ok. */
int sim_api_if_match(struct sim_req *rq, struct sim_resp *rs, uint32_t version,
		     json_t *(*cur)(const struct sim_world *, size_t), size_t idx, int required)
{
	const char *im = sim_req_header(rq, "If-Match");
	if (!im) {
		if (!required)
			return 0;
		sim_api_problem(rs, rq, 428, "precondition_required", "If-Match with the object's version is required");
		return -1;
	}
	char want[32];
	snprintf(want, sizeof want, "\"%u\"", version);
	const char *p = im;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return 0;
		const char *q = p;
		while (*q && *q != ',')
			q++;
		const char *e = q;
		while (e > p && e[-1] == ' ')
			e--;
		if ((size_t)(e - p) == strlen(want) && memcmp(p, want, (size_t)(e - p)) == 0)
			return 0;
		p = q;
	}
	char d[160];
	snprintf(d, sizeof d, "the object changed: current version is %u", version);
	sim_resp_problem(rs, rq, 412, "version_conflict", d, json_pack("{s:o}", "current", cur(rq->w, idx)));
	return -1;
}

const char *sim_api_jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int sim_api_enum_field(struct sim_req *rq, struct sim_resp *rs, json_t *body, const char *field,
			  const char *const *names, int required, int *out)
{
	json_t *v = json_object_get(body, field);
	*out = -1;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		sim_api_problem(rs, rq, 400, "invalid_field", "%s is required", field);
		return -1;
	}
	if (!json_is_string(v) || (*out = sim_enum_parse(names, json_string_value(v))) < 0) {
		char allowed[256] = "";
		size_t o = 0;
		for (int i = 0; names[i] && o < sizeof allowed; i++)
			o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s%s", i ? ", " : "", names[i]);
		sim_api_problem(rs, rq, 400, "invalid_field", "%s must be one of: %s", field, allowed);
		return -1;
	}
	return 0;
}

int sim_api_short_string(struct sim_req *rq, struct sim_resp *rs, json_t *body, const char *field,
			      const char **out)
{
	json_t *v = json_object_get(body, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	size_t n = json_is_string(v) ? sim_utf8_chars(json_string_value(v)) : 0;
	if (!json_is_string(v) || n == 0 || n > 64) {
		sim_api_problem(rs, rq, 400, "invalid_field", "%s must be a string of 1..64 characters", field);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

void sim_api_err_reply(struct sim_req *rq, struct sim_resp *rs, const struct sim_err *e)
{
	sim_resp_problem(rs, rq, e->status, e->code, e->detail, NULL);
}

int sim_api_mut_target(struct sim_req *rq, struct sim_resp *rs, const char *kind, const char *id, long i,
		       uint32_t version, json_t *(*cur)(const struct sim_world *, size_t), int required)
{
	if (i < 0) {
		sim_api_problem(rs, rq, 404, "not_found", "no %s %.200s", kind, id);
		return -1;
	}
	return sim_api_if_match(rq, rs, version, cur, (size_t)i, required);
}
