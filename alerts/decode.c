/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/decode.c: Alertmanager API v2 answers to structs. Strings are kept
 * as sent (invalid UTF-8 and NUL become U+FFFD), never sanitised here. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am_int.h"
#include "api/decode.h"
#include "text/text.h"

/* snprintf that never leaves half a UTF-8 character at a cut end (the
 * pieces are valid UTF-8; a byte count can split one). */
static void fmt_cut(char *out, size_t outsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fmt_cut(char *out, size_t outsz, const char *fmt, ...)
{
	va_list ap;

	if (!out || !outsz)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n < outsz)
		return;
	size_t k = strlen(out), j = k;
	while (j > 0 && k - j < 4 && ((unsigned char)out[j - 1] & 0xC0) == 0x80)
		j--;
	if (j == 0)
		return;
	unsigned char lead = (unsigned char)out[j - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (j - 1 + need > k)
		out[j - 1] = '\0';
}

/* A copy of a JSON string, NUL bytes replaced by U+FFFD; NULL when j is
 * not a string or out of memory. */
static char *str_dup(const json_t *j)
{
	const char *s = json_string_value(j);
	size_t len, nul = 0, k = 0;
	char *out;

	if (!s)
		return NULL;
	len = json_string_length(j);
	for (size_t i = 0; i < len; i++)
		nul += s[i] == '\0';
	if (!(out = malloc(len + nul * 2 + 1)))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			memcpy(out + k, "\xef\xbf\xbd", 3);
			k += 3;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	return out;
}

static json_t *parse(const char *body, size_t len, char *err, size_t errsz)
{
	json_t *j;
	api_err e;

	if (api_parse(body, len, &j, &e) != 0) {
		fmt_cut(err, errsz, "not JSON: %s", e.msg);
		return NULL;
	}
	return j;
}

void am_silence_free(am_silence *s)
{
	if (!s)
		return;
	free(s->id);
	for (size_t i = 0; i < s->n_matchers; i++) {
		free(s->matchers[i].name);
		free(s->matchers[i].value);
	}
	free(s->matchers);
	free(s->created_by);
	free(s->comment);
	free(s->state_raw);
	memset(s, 0, sizeof *s);
}

void am_silences_free(am_silence *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		am_silence_free(&v[i]);
	free(v);
}

static int req_str(const json_t *o, const char *key, char **out, char *err,
		   size_t errsz)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v)) {
		fmt_cut(err, errsz, "%s: expected a string", key);
		return -1;
	}
	if (!(*out = str_dup(v))) {
		fmt_cut(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

static int req_time(const json_t *o, const char *key, bool required,
		    time_t *out, char *err, size_t errsz)
{
	const json_t *v = json_object_get(o, key);

	*out = 0;
	if (!v && !required)
		return 0;
	if (!json_is_string(v) ||
	    time_parse_rfc3339(json_string_value(v), out) != 0) {
		fmt_cut(err, errsz, "%s: expected an RFC 3339 time", key);
		return -1;
	}
	return 0;
}

static am_silence_state state_from(const char *s)
{
	if (strcmp(s, "active") == 0)
		return AM_SIL_ACTIVE;
	if (strcmp(s, "pending") == 0)
		return AM_SIL_PENDING;
	if (strcmp(s, "expired") == 0)
		return AM_SIL_EXPIRED;
	return AM_SIL_UNKNOWN;
}

const char *am_silence_state_str(am_silence_state st)
{
	switch (st) {
	case AM_SIL_ACTIVE: return "active";
	case AM_SIL_PENDING: return "pending";
	case AM_SIL_EXPIRED: return "expired";
	default: return "?";
	}
}

static int decode_matcher(const json_t *j, am_matcher *m, char *err,
			  size_t errsz)
{
	const json_t *re = json_object_get(j, "isRegex");
	const json_t *eq = json_object_get(j, "isEqual");

	memset(m, 0, sizeof *m);
	if (!json_is_object(j)) {
		fmt_cut(err, errsz, "expected an object");
		return -1;
	}
	if (req_str(j, "name", &m->name, err, errsz) != 0 ||
	    req_str(j, "value", &m->value, err, errsz) != 0)
		goto fail;
	if (!json_is_boolean(re)) {
		fmt_cut(err, errsz, "isRegex: expected true or false");
		goto fail;
	}
	/* isEqual came with 0.22; older servers only have equal matchers */
	if (eq && !json_is_boolean(eq)) {
		fmt_cut(err, errsz, "isEqual: expected true or false");
		goto fail;
	}
	m->is_regex = json_is_true(re);
	m->is_equal = eq ? json_is_true(eq) : true;
	return 0;
fail:
	free(m->name);
	free(m->value);
	memset(m, 0, sizeof *m);
	return -1;
}

static int decode_silence(const json_t *j, am_silence *s, char *err,
			  size_t errsz)
{
	const json_t *ms, *st, *m;
	size_t i;
	char sub[200];

	memset(s, 0, sizeof *s);
	if (!json_is_object(j)) {
		fmt_cut(err, errsz, "expected an object");
		return -1;
	}
	if (req_str(j, "id", &s->id, err, errsz) != 0 ||
	    req_str(j, "createdBy", &s->created_by, err, errsz) != 0 ||
	    req_str(j, "comment", &s->comment, err, errsz) != 0 ||
	    req_time(j, "startsAt", true, &s->starts_at, err, errsz) != 0 ||
	    req_time(j, "endsAt", true, &s->ends_at, err, errsz) != 0 ||
	    req_time(j, "updatedAt", false, &s->updated_at, err, errsz) != 0)
		goto fail;
	st = json_object_get(j, "status");
	if (!json_is_object(st) ||
	    req_str(st, "state", &s->state_raw, sub, sizeof sub) != 0) {
		fmt_cut(err, errsz, "status.state: expected a string");
		goto fail;
	}
	s->state = state_from(s->state_raw);
	ms = json_object_get(j, "matchers");
	if (!json_is_array(ms)) {
		fmt_cut(err, errsz, "matchers: expected an array");
		goto fail;
	}
	if (json_array_size(ms) > 0 &&
	    !(s->matchers = calloc(json_array_size(ms), sizeof *s->matchers))) {
		fmt_cut(err, errsz, "out of memory");
		goto fail;
	}
	json_array_foreach(ms, i, m) {
		if (decode_matcher(m, &s->matchers[i], sub, sizeof sub) != 0) {
			if (err && errsz)
				fmt_cut(err, errsz, "matchers[%zu]: %s", i, sub);
			goto fail;
		}
		s->n_matchers++;
	}
	return 0;
fail:
	am_silence_free(s);
	return -1;
}

/* active first, then pending, then expired; newest first within each */
static int silence_cmp(const void *a, const void *b)
{
	const am_silence *x = a, *y = b;

	if (x->state != y->state)
		return (int)x->state - (int)y->state;
	if (x->starts_at != y->starts_at)
		return x->starts_at < y->starts_at ? 1 : -1;
	return strcmp(x->id, y->id);
}

int am_decode_silences(const char *body, size_t len, am_silence **out,
		       size_t *n, size_t *rejected, char *err, size_t errsz)
{
	json_t *j, *it;
	size_t i;
	am_silence *v = NULL;
	char sub[200];

	*out = NULL;
	*n = 0;
	*rejected = 0;
	if (err && errsz)
		err[0] = '\0';
	if (!(j = parse(body, len, err, errsz)))
		return -1;
	if (!json_is_array(j)) {
		fmt_cut(err, errsz, "expected an array of silences");
		json_decref(j);
		return -1;
	}
	if (json_array_size(j) > 0 &&
	    !(v = calloc(json_array_size(j), sizeof *v))) {
		fmt_cut(err, errsz, "out of memory");
		json_decref(j);
		return -1;
	}
	json_array_foreach(j, i, it) {
		if (decode_silence(it, &v[*n], sub, sizeof sub) == 0) {
			(*n)++;
			continue;
		}
		if (++*rejected == 1 && err && errsz)
			fmt_cut(err, errsz, "[%zu]: %s", i, sub);
	}
	json_decref(j);
	if (*n > 1)
		qsort(v, *n, sizeof *v, silence_cmp);
	*out = v;
	return 0;
}

int am_decode_status(const char *body, size_t len, am_status_info *out,
		     char *err, size_t errsz)
{
	json_t *j;
	const json_t *vi, *cl, *v;
	const char *s;

	memset(out, 0, sizeof *out);
	if (!(j = parse(body, len, err, errsz)))
		return -1;
	if (!json_is_object(j)) {
		fmt_cut(err, errsz, "expected an object");
		goto fail;
	}
	vi = json_object_get(j, "versionInfo");
	cl = json_object_get(j, "cluster");
	if (!json_is_object(vi) ||
	    !(s = json_string_value(json_object_get(vi, "version")))) {
		fmt_cut(err, errsz, "versionInfo.version: expected a string");
		goto fail;
	}
	fmt_cut(out->version, sizeof out->version, "%s", s);
	if (!json_is_object(cl) ||
	    !(s = json_string_value(json_object_get(cl, "status")))) {
		fmt_cut(err, errsz, "cluster.status: expected a string");
		goto fail;
	}
	fmt_cut(out->cluster_status, sizeof out->cluster_status, "%s", s);
	v = json_object_get(cl, "peers");
	out->peers = json_is_array(v) ? json_array_size(v) : 0;
	v = json_object_get(j, "uptime");
	if (json_is_string(v) &&
	    time_parse_rfc3339(json_string_value(v), &out->up_since) != 0)
		out->up_since = 0;
	json_decref(j);
	return 0;
fail:
	json_decref(j);
	memset(out, 0, sizeof *out);
	return -1;
}

int am_decode_silence_id(const char *body, size_t len, char *id, size_t idsz,
			 char *err, size_t errsz)
{
	json_t *j;
	const char *s;

	if (idsz)
		id[0] = '\0';
	if (!(j = parse(body, len, err, errsz)))
		return -1;
	s = json_string_value(json_object_get(j, "silenceID"));
	if (!s || !*s || strlen(s) >= idsz) {
		fmt_cut(err, errsz, "silenceID: expected a string");
		json_decref(j);
		return -1;
	}
	snprintf(id, idsz, "%s", s);
	json_decref(j);
	return 0;
}

void am_alert_list_free(am_alert_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		api_alert_free(&l->items[i]);
		for (size_t k = 0; l->silenced_by && l->silenced_by[i] &&
				   l->silenced_by[i][k]; k++)
			free(l->silenced_by[i][k]);
		if (l->silenced_by)
			free(l->silenced_by[i]);
	}
	free(l->items);
	free(l->silenced_by);
	memset(l, 0, sizeof *l);
}

static char **silenced_by(const json_t *alert)
{
	const json_t *sb = json_object_get(json_object_get(alert, "status"),
					   "silencedBy");
	const json_t *v;
	char **ids;
	size_t i, k = 0;

	if (!json_is_array(sb) || json_array_size(sb) == 0)
		return NULL;
	if (!(ids = calloc(json_array_size(sb) + 1, sizeof *ids)))
		return NULL;
	json_array_foreach(sb, i, v) {
		if (json_is_string(v) && (ids[k] = str_dup(v)))
			k++;
	}
	return ids;
}

int am_decode_alerts(const char *body, size_t len, const char *source,
		     am_alert_list *out, char *err, size_t errsz)
{
	json_t *j, *it;
	size_t i, cap;
	api_err e;

	memset(out, 0, sizeof *out);
	if (err && errsz)
		err[0] = '\0';
	if (!(j = parse(body, len, err, errsz)))
		return -1;
	if (!json_is_array(j)) {
		fmt_cut(err, errsz, "expected an array of alerts");
		json_decref(j);
		return -1;
	}
	cap = json_array_size(j);
	if (cap > 0 && (!(out->items = calloc(cap, sizeof *out->items)) ||
			!(out->silenced_by = calloc(cap, sizeof *out->silenced_by)))) {
		free(out->items);
		out->items = NULL;
		fmt_cut(err, errsz, "out of memory");
		json_decref(j);
		return -1;
	}
	json_array_foreach(j, i, it) {
		if (api_decode_am_alert(it, source, &out->items[out->n], &e) != 0) {
			const char *fp = json_string_value(
				json_object_get(it, "fingerprint"));
			if (++out->rejected == 1) {
				/* cut by characters, not bytes: "%.64s" could
				 * split one and leave invalid UTF-8 */
				char fpc[200], msgc[500];
				text_fit(fp ? fp : "", 64, 0, fpc, sizeof fpc);
				text_fit(e.msg, 160, 0, msgc, sizeof msgc);
				fmt_cut(out->reject_msg, sizeof out->reject_msg,
					"[%zu]%s%s: %s", i, fp ? " " : "", fpc, msgc);
			}
			continue;
		}
		out->silenced_by[out->n] = silenced_by(it);
		out->n++;
	}
	json_decref(j);
	return 0;
}
