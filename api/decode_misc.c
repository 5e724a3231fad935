/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_misc.c: bodies to JSON trees, and the small objects (status,
 * me, problem+json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"
#include "base/utf8.h"
#include "text/text.h"

int api_parse(const char *body, size_t len, json_t **out, api_err *err)
{
	json_error_t je;
	char *clean;
	size_t n;
	char what[200];

	*out = NULL;
	if (err)
		err->msg[0] = '\0';
	if (!body || len == 0) {
		if (err)
			api_err_set(err, NULL, "empty body");
		return -1;
	}
	if (len > API_MAX_BODY) {
		if (err)
			api_err_set(err, NULL, "body larger than 64 MiB");
		return -1;
	}
	/* One bad byte in a merchant's name must not cost the whole page:
	 * invalid UTF-8 becomes U+FFFD before the JSON parser sees it. Valid
	 * text (nearly every body) is parsed where it is. */
	if (utf8_valid(body, len)) {
		*out = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	} else {
		clean = text_utf8_scrub(body, len, &n);
		if (!clean) {
			if (err)
				api_err_set(err, NULL, "out of memory");
			return -1;
		}
		*out = json_loadb(clean, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
		free(clean);
	}
	if (!*out) {
		if (err) {
			snprintf(what, sizeof what, "line %d column %d: %.150s",
				 je.line, je.column, je.text);
			api_err_set(err, NULL, what);
		}
		return -1;
	}
	return 0;
}

int api_decode_status(const json_t *j, api_status *out, api_err *err)
{
	dec d;

	dec_init(&d, err);
	memset(out, 0, sizeof *out);
	TRY(dec_obj(&d, j));
	TRY(dec_str(&d, j, "site", D_REQ, &out->site));
	TRY(dec_str(&d, j, "platform_version", D_REQ, &out->platform_version));
	TRY(dec_time(&d, j, "server_time", D_REQ, &out->server_time));
	TRY(dec_i64(&d, j, "stream_seq", D_REQ, 0, INT64_MAX, &out->stream_seq));
	return 0;
fail:
	api_status_free(out);
	return -1;
}

static const struct {
	const char *name;
	unsigned bit;
} scope_bits[] = {
	{ "read", SCOPE_BIT_READ },
	{ "channels:write", SCOPE_BIT_CHANNELS_WRITE },
	{ "routing:write", SCOPE_BIT_ROUTING_WRITE },
	{ "onboarding:write", SCOPE_BIT_ONBOARDING_WRITE },
	{ "recon:write", SCOPE_BIT_RECON_WRITE },
	{ "limits:write", SCOPE_BIT_LIMITS_WRITE },
	{ "alerts:write", SCOPE_BIT_ALERTS_WRITE },
};

const char *api_scope_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof scope_bits / sizeof scope_bits[0]; i++)
		if (scope_bits[i].bit == bit)
			return scope_bits[i].name;
	return NULL;
}

int api_decode_me(const json_t *j, api_me *out, api_err *err)
{
	const json_t *a, *v;
	size_t i, k, m;
	int rc;
	dec d;

	dec_init(&d, err);
	memset(out, 0, sizeof *out);
	TRY(dec_obj(&d, j));
	TRY(dec_id(&d, j, "operator_id", &out->operator_id));
	TRY(dec_str(&d, j, "display_name", D_NULLSTR, &out->display_name));
	a = dec_array(&d, j, "scopes", D_REQ, &rc);
	TRY(rc);
	m = dec_key(&d, "scopes");
	json_array_foreach(a, i, v) {
		size_t mi = dec_index(&d, i);
		if (!json_is_string(v)) {
			dec_fail(&d, "expected a string");
			goto fail;
		}
		for (k = 0; k < sizeof scope_bits / sizeof scope_bits[0]; k++)
			if (strcmp(json_string_value(v), scope_bits[k].name) == 0)
				out->scopes |= scope_bits[k].bit;
		dec_pop(&d, mi);
	}
	dec_pop(&d, m);
	return 0;
fail:
	api_me_free(out);
	return -1;
}

/* A problem member as a string when it is one; anything else is ignored. */
static char *opt_string(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);

	if (!json_is_string(v) || json_string_length(v) > DEC_MAX_STRING)
		return NULL;
	return dec_strdup_json(v);
}

int api_decode_problem(const char *body, size_t len, api_problem *out)
{
	json_t *j = NULL, *v;
	api_err e;

	memset(out, 0, sizeof *out);
	if (api_parse(body, len, &j, &e) != 0)
		return -1;
	if (!json_is_object(j)) {
		json_decref(j);
		return -1;
	}
	out->type = opt_string(j, "type");
	out->title = opt_string(j, "title");
	out->detail = opt_string(j, "detail");
	out->code = opt_string(j, "code");
	out->request_id = opt_string(j, "request_id");
	v = json_object_get(j, "status");
	if (json_is_integer(v) && json_integer_value(v) >= 100 &&
	    json_integer_value(v) <= 599)
		out->status = (int)json_integer_value(v);
	v = json_object_get(j, "current");
	if (v && !json_is_null(v))
		out->current_json = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	return 0;
}
