/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/build.c: the bodies sent to an Alertmanager, and the text the
 * audit log keeps of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am_int.h"
#include "base/utf8.h"
#include "text/text.h"

static void set_why(char *why, size_t whysz, const char *msg, const char *arg)
{
	if (why && whysz)
		snprintf(why, whysz, "%s%s%s%s", msg, arg ? " '" : "",
			 arg ? arg : "", arg ? "'" : "");
}

static const char *label_value(const api_alert *a, const char *key)
{
	for (size_t i = 0; i < a->n_labels; i++)
		if (a->labels[i].key && strcmp(a->labels[i].key, key) == 0)
			return a->labels[i].value ? a->labels[i].value : "";
	return NULL;
}

static int add_matcher(json_t *arr, const char *name, const char *value)
{
	json_t *m = json_pack("{s:s, s:s, s:b, s:b}", "name", name,
			      "value", value, "isRegex", 0, "isEqual", 1);
	return m ? json_array_append_new(arr, m) : -1;
}

json_t *am_matchers_json(const api_alert *a, const char *const *keys,
			 size_t n_keys, char *why, size_t whysz)
{
	json_t *arr;

	if (!a || a->n_labels == 0) {
		set_why(why, whysz, "the alert has no labels to match", NULL);
		return NULL;
	}
	for (size_t k = 0; k < n_keys; k++) {
		if (!keys[k] || !label_value(a, keys[k])) {
			set_why(why, whysz, "not a label of the alert:",
				keys[k] ? keys[k] : "(null)");
			return NULL;
		}
		for (size_t j = 0; j < k; j++)
			if (strcmp(keys[j], keys[k]) == 0) {
				set_why(why, whysz, "label named twice:", keys[k]);
				return NULL;
			}
	}
	if (!(arr = json_array()))
		goto oom;
	if (n_keys == 0) {
		for (size_t i = 0; i < a->n_labels; i++)
			if (!a->labels[i].key || !a->labels[i].value ||
			    add_matcher(arr, a->labels[i].key, a->labels[i].value) != 0)
				goto oom;
	} else {
		for (size_t k = 0; k < n_keys; k++)
			if (add_matcher(arr, keys[k], label_value(a, keys[k])) != 0)
				goto oom;
	}
	return arr;
oom:
	json_decref(arr);
	set_why(why, whysz, "out of memory", NULL);
	return NULL;
}

bool am_reason_ok(const char *reason)
{
	ptrdiff_t n = utf8_count_chars(reason);
	return reason && n >= 1 && n <= AM_MAX_REASON;
}

char *am_silence_body(const api_alert *a, const char *const *keys,
		      size_t n_keys, time_t now, int64_t duration_s,
		      const char *created_by, const char *comment, char *why,
		      size_t whysz)
{
	char starts[32], ends[32];
	json_t *m, *body;
	char *text;

	if (duration_s < 1 || duration_s > AM_MAX_DURATION_S) {
		set_why(why, whysz, "a silence lasts from 1 second to 366 days", NULL);
		return NULL;
	}
	if (!created_by || !*created_by) {
		set_why(why, whysz, "no operator id for createdBy", NULL);
		return NULL;
	}
	if (!am_reason_ok(comment)) {
		set_why(why, whysz, utf8_count_chars(comment) < 0
			? "the reason is not valid UTF-8"
			: "the reason must be 1 to 500 characters", NULL);
		return NULL;
	}
	if (!(m = am_matchers_json(a, keys, n_keys, why, whysz)))
		return NULL;
	time_format_rfc3339(now, starts, sizeof starts);
	time_format_rfc3339(now + (time_t)duration_s, ends, sizeof ends);
	body = json_pack("{s:o, s:s, s:s, s:s, s:s}", "matchers", m,
			 "startsAt", starts, "endsAt", ends,
			 "createdBy", created_by, "comment", comment);
	if (!body) {
		set_why(why, whysz, "out of memory", NULL);
		return NULL;
	}
	text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(body);
	if (!text)
		set_why(why, whysz, "out of memory", NULL);
	return text;
}

/* Append s to out[*at..] with Prometheus' escaping; false when full. */
static bool put_escaped(char *out, size_t outsz, size_t *at, const char *s)
{
	for (; *s; s++) {
		char esc[3] = { 0 };
		const char *p = esc;
		switch (*s) {
		case '"': esc[0] = '\\'; esc[1] = '"'; break;
		case '\\': esc[0] = '\\'; esc[1] = '\\'; break;
		case '\n': esc[0] = '\\'; esc[1] = 'n'; break;
		case '\r': esc[0] = '\\'; esc[1] = 'r'; break;
		default: esc[0] = *s; break;
		}
		for (; *p; p++) {
			if (*at + 1 >= outsz)
				return false;
			out[(*at)++] = *p;
		}
	}
	out[*at] = '\0';
	return true;
}

static int matcher_cmp(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	const char *xn = json_string_value(json_object_get(x, "name"));
	const char *yn = json_string_value(json_object_get(y, "name"));
	const char *xv = json_string_value(json_object_get(x, "value"));
	const char *yv = json_string_value(json_object_get(y, "value"));
	int c = strcmp(xn ? xn : "", yn ? yn : "");

	return c ? c : strcmp(xv ? xv : "", yv ? yv : "");
}

int am_matchers_text(const json_t *matchers, char *out, size_t outsz)
{
	size_t at = 0, i, n = json_array_size(matchers);
	const json_t **v;
	int rc = -1;

	if (!out || outsz < 3)
		return -1;
	out[0] = '\0';
	/* sorted by name: one set of matchers, one text, whatever the order
	 * the server lists them in */
	if (!(v = calloc(n ? n : 1, sizeof *v)))
		return -1;
	for (i = 0; i < n; i++)
		v[i] = json_array_get(matchers, i);
	qsort(v, n, sizeof *v, matcher_cmp);
	if (!put_escaped(out, outsz, &at, "{"))
		goto done;
	for (i = 0; i < n; i++) {
		const json_t *m = v[i];
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *value = json_string_value(json_object_get(m, "value"));
		bool re = json_is_true(json_object_get(m, "isRegex"));
		bool eq = !json_is_false(json_object_get(m, "isEqual"));
		const char *op = re ? (eq ? "=~" : "!~") : (eq ? "=" : "!=");
		if ((i > 0 && !put_escaped(out, outsz, &at, ", ")) ||
		    !put_escaped(out, outsz, &at, name ? name : "") ||
		    !put_escaped(out, outsz, &at, op) ||
		    at + 1 >= outsz)
			goto done;
		out[at++] = '"';
		if (!put_escaped(out, outsz, &at, value ? value : "") ||
		    at + 1 >= outsz)
			goto done;
		out[at++] = '"';
		out[at] = '\0';
	}
	if (at + 2 > outsz)
		goto done;
	out[at++] = '}';
	out[at] = '\0';
	rc = (int)at;
done:
	free(v);
	if (rc < 0)
		out[0] = '\0';
	return rc;
}

bool am_silence_id_ok(const char *id)
{
	size_t n = 0;

	if (!id)
		return false;
	for (; id[n]; n++) {
		char c = id[n];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '-'))
			return false;
	}
	return n >= 1 && n <= 63;
}
