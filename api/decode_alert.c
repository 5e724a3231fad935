/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_alert.c: platform alerts and Prometheus Alertmanager (API v2
 * GettableAlert) alerts, both to api_alert so they merge by fingerprint. */
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"

/* An object of string values ({"channel_id": "..."}). */
static int dec_labels(dec *d, const json_t *j, const char *key, int flags,
		      api_label **out, size_t *n)
{
	const json_t *obj, *v;
	const char *k;
	size_t m;
	int rc;

	obj = dec_object(d, j, key, flags, &rc);
	if (rc || !obj)
		return rc;
	*out = dec_calloc(d, json_object_size(obj), sizeof **out);
	if (!*out)
		return -1;
	m = dec_key(d, key);
	json_object_foreach((json_t *)obj, k, v) {
		api_label *l = &(*out)[*n];
		size_t mk = dec_key(d, k);
		if (!json_is_string(v) || json_string_length(v) > DEC_MAX_STRING) {
			/* kept: this label is recorded and left out */
			if (dec_bad(d, json_is_string(v) ? "string too long"
							 : "expected a string"))
				return -1;
			dec_pop(d, mk);
			continue;
		}
		(*n)++;
		l->key = strdup(k);
		l->value = dec_strdup_json(v);
		if (!l->key || !l->value) {
			dec_fail(d, "out of memory");
			return -1;
		}
		dec_pop(d, mk);
	}
	dec_pop(d, m);
	return 0;
}

int dec_alert(dec *d, const json_t *j, api_alert *o)
{
	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	TRY(dec_str(d, j, "fingerprint", D_REQ, &o->fingerprint));
	DEC_ENUM(d, j, o, severity, api_alert_severity_names, AS_UNKNOWN);
	DEC_ENUM(d, j, o, state, api_alert_state_names, AST_UNKNOWN);
	TRY(dec_str(d, j, "title", D_REQ, &o->title));
	TRY(dec_str(d, j, "summary", D_NULLSTR, &o->summary));
	TRY(dec_labels(d, j, "labels", D_NULL, &o->labels, &o->n_labels));
	TRY(dec_time(d, j, "starts_at", D_REQ, &o->starts_at));
	TRY(dec_time(d, j, "ends_at", D_NULL, &o->ends_at));
	TRY(dec_str(d, j, "acked_by", D_NULL, &o->acked_by));
	TRY(dec_str(d, j, "source", D_NULLSTR, &o->source));
	if (!*o->source) {
		free(o->source);
		o->source = strdup("platform");
		if (!o->source) {
			dec_fail(d, "out of memory");
			goto fail;
		}
	}
	return 0;
fail:
	api_alert_free(o);
	return -1;
}

static const char *label(const api_alert *o, const char *key)
{
	size_t i;

	for (i = 0; i < o->n_labels; i++)
		if (strcmp(o->labels[i].key, key) == 0)
			return o->labels[i].value;
	return NULL;
}

/* annotations[key] when it is a string (checked already). */
static const char *annotation(const json_t *ann, const char *key)
{
	return json_string_value(json_object_get(ann, key));
}

static char *dup_or_empty(const char *a, const char *b)
{
	return strdup(a && *a ? a : b && *b ? b : "");
}

int dec_am_alert(dec *d, const json_t *j, const char *source, api_alert *o)
{
	const json_t *ann, *st;
	api_label *anns = NULL;
	size_t n_anns = 0, i, m;
	const char *sev, *state;
	int rc;

	memset(o, 0, sizeof *o);
	TRY(dec_obj(d, j));
	dec_begin(d, &o->bad);
	TRY(dec_labels(d, j, "labels", D_REQ, &o->labels, &o->n_labels));
	/* annotations: decoded only to validate them (strings) */
	TRY(dec_labels(d, j, "annotations", D_NULL, &anns, &n_anns));
	ann = json_object_get(j, "annotations");
	TRY(dec_key_id(d, j, "fingerprint", &o->fingerprint));
	TRY(dec_time(d, j, "startsAt", D_REQ, &o->starts_at));
	TRY(dec_time(d, j, "endsAt", D_NULL, &o->ends_at));
	st = dec_object(d, j, "status", D_REQ, &rc);
	TRY(rc);
	m = dec_key(d, "status");
	TRY(dec_str(d, st, "state", D_REQ, &o->state_raw));
	dec_pop(d, m);
	state = o->state_raw;
	if (strcmp(state, "active") == 0 || strcmp(state, "suppressed") == 0 ||
	    strcmp(state, "unprocessed") == 0) {
		o->state = AST_FIRING;
		o->ends_at = 0; /* Alertmanager's endsAt of a firing alert is a
				   guess (resolve_timeout), not an end */
	} else {
		o->state = AST_UNKNOWN;
	}
	sev = label(o, "severity");
	o->severity = AS_UNKNOWN;
	for (i = 0; sev && i < AS_UNKNOWN; i++)
		if (strcmp(sev, api_alert_severity_names[i]) == 0)
			o->severity = (api_alert_severity)i;
	o->severity_raw = strdup(sev ? sev : "");
	o->id = strdup(o->fingerprint);
	o->title = dup_or_empty(annotation(ann, "title"), label(o, "alertname"));
	o->summary = dup_or_empty(annotation(ann, "summary"),
				  annotation(ann, "description"));
	o->source = strdup(source && *source ? source : "alertmanager");
	if (!o->severity_raw || !o->id || !o->title || !o->summary ||
	    !o->source) {
		dec_fail(d, "out of memory");
		goto fail;
	}
	for (i = 0; i < n_anns; i++) {
		free(anns[i].key);
		free(anns[i].value);
	}
	free(anns);
	return 0;
fail:
	for (i = 0; i < n_anns; i++) {
		free(anns[i].key);
		free(anns[i].value);
	}
	free(anns);
	api_alert_free(o);
	return -1;
}

int api_decode_am_alert(const json_t *j, const char *source, api_alert *out,
			api_err *err)
{
	dec d;

	dec_init(&d, err);
	return dec_am_alert(&d, j, source, out);
}
