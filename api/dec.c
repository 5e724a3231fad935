/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/dec.c: validating field readers with JSON paths in their errors.
 *
 * Errors read "data[3].latency_ms.p95: expected a number": the path is
 * built as the decoders descend (dec_key/dec_index) and unwound with
 * dec_pop, so a message always names the field that failed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dec.h"
#include "text/text.h"

void dec_init(dec *d, api_err *err)
{
	d->path[0] = '\0';
	d->len = 0;
	d->err = err;
	d->bad = NULL;
	d->base = 0;
	if (err)
		err->msg[0] = '\0';
}

static size_t push(dec *d, const char *fmt_dot, const char *key, size_t i,
		   bool is_index)
{
	size_t mark = d->len;
	int n;

	if (is_index)
		n = snprintf(d->path + d->len, sizeof d->path - d->len, "[%zu]", i);
	else
		n = snprintf(d->path + d->len, sizeof d->path - d->len, "%s%s",
			     fmt_dot, key);
	if (n > 0) {
		d->len += (size_t)n;
		if (d->len >= sizeof d->path) {
			/* a long key was cut: never in the middle of a
			 * UTF-8 character */
			d->len = sizeof d->path - 1;
			while (d->len > mark &&
			       !text_utf8_valid(d->path, d->len))
				d->len--;
			d->path[d->len] = '\0';
		}
	}
	return mark;
}

size_t dec_key(dec *d, const char *key)
{
	return push(d, d->len ? "." : "", key, 0, false);
}

size_t dec_index(dec *d, size_t i)
{
	return push(d, "", NULL, i, true);
}

void dec_pop(dec *d, size_t mark)
{
	if (mark < sizeof d->path) {
		d->len = mark;
		d->path[mark] = '\0';
	}
}

/* "prefix: what", cut to fit (never in the middle of a UTF-8 character). */
void api_err_set(api_err *err, const char *prefix, const char *what)
{
	size_t cap = sizeof err->msg - 1, o = 0, n;

	if (prefix && *prefix) {
		n = strlen(prefix);
		n = n < cap ? n : cap;
		memcpy(err->msg, prefix, n);
		o = n;
		n = cap - o < 2 ? cap - o : 2;
		memcpy(err->msg + o, ": ", n);
		o += n;
	}
	n = strlen(what);
	n = n < cap - o ? n : cap - o;
	memcpy(err->msg + o, what, n);
	o += n;
	/* back off a cut multi-byte character (at most 3 bytes) */
	while (o > 0 && !text_utf8_valid(err->msg, o))
		o--;
	err->msg[o] = '\0';
}

int dec_fail(dec *d, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (!d->err || d->err->msg[0])
		return -1; /* keep the first error */
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	api_err_set(d->err, d->len ? d->path : NULL, what);
	return -1;
}

void dec_begin(dec *d, api_bad *bad)
{
	d->bad = bad;
	d->base = d->len;
}

int dec_bad(dec *d, const char *fmt, ...)
{
	char what[160];
	const char *field;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (!d->bad)
		return dec_fail(d, "%s", what);
	field = d->path + (d->base < d->len ? d->base : d->len);
	if (*field == '.')
		field++;
	if (api_bad_add(d->bad, *field ? field : "?", what) != 0)
		return dec_fail(d, "out of memory");
	return 0;
}

int dec_elem(dec *d, const json_t *v)
{
	if (json_is_object(v))
		return 1;
	return dec_bad(d, "expected an object") == 0 ? 0 : -1;
}

int dec_obj(dec *d, const json_t *v)
{
	if (!json_is_object(v))
		return dec_fail(d, "expected an object");
	return 0;
}

/* obj[key], with the path pushed on success (caller pops); *rc = -1 on
 * error. Returns NULL (rc 0) when absent or null and allowed. */
const json_t *dec_get(dec *d, const json_t *obj, const char *key, int flags,
		      int *rc)
{
	const json_t *v = json_object_get(obj, key);

	if (flags & D_NULLSTR)
		flags |= D_NULL;
	*rc = 0;
	if (!v) {
		if (flags & D_REQ) {
			size_t m = dec_key(d, key);
			*rc = dec_bad(d, "missing");
			dec_pop(d, m);
		}
		return NULL;
	}
	if (json_is_null(v)) {
		if (!(flags & D_NULL)) {
			size_t m = dec_key(d, key);
			*rc = dec_bad(d, "must not be null");
			dec_pop(d, m);
		}
		return NULL;
	}
	return v;
}

char *dec_strdup_json(const json_t *s)
{
	const char *v = json_string_value(s);
	size_t n = json_string_length(s), i, extra = 0, o = 0;
	char *out;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		if (v[i] == '\0')
			extra += 2;
	out = malloc(n + extra + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (v[i] == '\0') {
			memcpy(out + o, "\xEF\xBF\xBD", 3); /* \u0000 */
			o += 3;
		} else {
			out[o++] = v[i];
		}
	}
	out[o] = '\0';
	return out;
}

bool dec_usable_id(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) && json_string_length(v) > 0 &&
	       json_string_length(v) <= DEC_MAX_STRING;
}

/* A string value; path already pushed. */
static int str_value(dec *d, const json_t *v, char **out)
{
	if (!json_is_string(v))
		return dec_bad(d, "expected a string");
	if (json_string_length(v) > DEC_MAX_STRING)
		return dec_bad(d, "string longer than %u bytes", DEC_MAX_STRING);
	*out = dec_strdup_json(v);
	if (!*out)
		return dec_fail(d, "out of memory");
	return 0;
}

int dec_str(dec *d, const json_t *obj, const char *key, int flags, char **out)
{
	int rc;
	const json_t *v = dec_get(d, obj, key, flags, &rc);
	size_t m;

	*out = NULL;
	if (rc)
		return rc;
	if (!v) {
		if (flags & D_NULL)
			return 0; /* absent or null: stays NULL */
		*out = strdup(""); /* absent optional */
		return *out ? 0 : dec_fail(d, "out of memory");
	}
	m = dec_key(d, key);
	rc = str_value(d, v, out);
	dec_pop(d, m);
	if (rc == 0 && !*out && !(flags & D_NULL) &&
	    !(*out = strdup(""))) /* refused and kept: "" */
		return dec_fail(d, "out of memory");
	return rc;
}

int dec_id(dec *d, const json_t *obj, const char *key, char **out)
{
	int rc = dec_str(d, obj, key, D_REQ, out);
	const json_t *v = json_object_get(obj, key);
	size_t m;

	if (rc || **out)
		return rc;
	if (d->bad && !json_is_string(v))
		return 0; /* missing or not a string: recorded already */
	m = dec_key(d, key);
	rc = dec_bad(d, "must not be empty");
	dec_pop(d, m);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int dec_key_id(dec *d, const json_t *obj, const char *key, char **out)
{
	api_bad *bad = d->bad;
	int rc;

	d->bad = NULL;
	rc = dec_id(d, obj, key, out);
	d->bad = bad;
	return rc;
}

/* *wrote: whether *out was set (a refused value leaves it alone). */
static int i64_read(dec *d, const json_t *obj, const char *key, int flags,
		    int64_t lo, int64_t hi, int64_t *out, bool *wrote)
{
	int rc;
	const json_t *v = dec_get(d, obj, key, flags, &rc);
	size_t m;
	int64_t x;

	*wrote = false;
	if (rc || !v)
		return rc;
	m = dec_key(d, key);
	if (json_is_integer(v)) {
		x = (int64_t)json_integer_value(v);
	} else if (json_is_real(v)) {
		/* 17.0 is tolerated; 17.5 and anything past 2^53 are not */
		double r = json_real_value(v);
		if (!isfinite(r) || r != floor(r) || fabs(r) > 9007199254740992.0) {
			rc = dec_bad(d, "expected an integer");
			goto out;
		}
		x = (int64_t)r;
	} else {
		rc = dec_bad(d, "expected an integer");
		goto out;
	}
	if (x < lo || x > hi) {
		if (lo == 0 && x < 0)
			rc = dec_bad(d, "must not be negative");
		else
			rc = dec_bad(d, "out of range %lld..%lld", (long long)lo,
				     (long long)hi);
		goto out;
	}
	*out = x;
	*wrote = true;
out:
	dec_pop(d, m);
	return rc;
}

int dec_i64(dec *d, const json_t *obj, const char *key, int flags,
	    int64_t lo, int64_t hi, int64_t *out)
{
	bool wrote;

	return i64_read(d, obj, key, flags, lo, hi, out, &wrote);
}

int dec_int(dec *d, const json_t *obj, const char *key, int flags,
	    int lo, int hi, int *out)
{
	int64_t x = 0;
	bool wrote;
	int rc = i64_read(d, obj, key, flags, lo, hi, &x, &wrote);

	if (rc == 0 && wrote)
		*out = (int)x;
	return rc;
}

int dec_num(dec *d, const json_t *obj, const char *key, int flags,
	    double lo, double hi, double *out)
{
	int rc;
	const json_t *v = dec_get(d, obj, key, flags, &rc);
	size_t m;
	double x;

	if (rc)
		return rc;
	if (!v) {
		*out = NAN;
		return 0;
	}
	m = dec_key(d, key);
	*out = NAN; /* what a refused value leaves */
	if (!json_is_number(v)) {
		rc = dec_bad(d, "expected a number");
	} else {
		x = json_number_value(v);
		if (!isfinite(x))
			rc = dec_bad(d, "not a finite number");
		else if (x < lo || x > hi)
			rc = dec_bad(d, "out of range %g..%g", lo, hi);
		else
			*out = x;
	}
	dec_pop(d, m);
	return rc;
}

int dec_bool(dec *d, const json_t *obj, const char *key, int flags, bool *out)
{
	int rc;
	const json_t *v = dec_get(d, obj, key, flags, &rc);
	size_t m;

	if (rc || !v)
		return rc;
	m = dec_key(d, key);
	if (!json_is_boolean(v))
		rc = dec_bad(d, "expected true or false");
	else
		*out = json_is_true(v);
	dec_pop(d, m);
	return rc;
}

int dec_time(dec *d, const json_t *obj, const char *key, int flags,
	     time_t *out)
{
	int rc;
	const json_t *v = dec_get(d, obj, key, flags, &rc);
	size_t m;

	if (rc)
		return rc;
	if (!v) {
		*out = 0;
		return 0;
	}
	m = dec_key(d, key);
	if (!json_is_string(v)) {
		*out = 0;
		rc = dec_bad(d, "expected an RFC 3339 time string");
	} else if (json_string_length(v) > 64 ||
		   time_parse_rfc3339(json_string_value(v), out) != 0) {
		*out = 0;
		rc = dec_bad(d, "not an RFC 3339 time");
	}
	dec_pop(d, m);
	return rc;
}

int dec_date(dec *d, const json_t *obj, const char *key, int flags,
	     char **out)
{
	char buf[32];
	time_t t;
	int rc = dec_str(d, obj, key, flags, out);

	if (rc || !*out || (!**out && !(flags & D_REQ)))
		return rc;
	/* YYYY-MM-DD, checked as a real date */
	if (strlen(*out) == 10 &&
	    snprintf(buf, sizeof buf, "%sT00:00:00Z", *out) > 0 &&
	    time_parse_rfc3339(buf, &t) == 0)
		return 0;
	free(*out);
	*out = NULL;
	{
		size_t m = dec_key(d, key);
		rc = dec_bad(d, "expected a date YYYY-MM-DD");
		dec_pop(d, m);
	}
	if (rc == 0 && !(*out = strdup(""))) /* refused and kept */
		return dec_fail(d, "out of memory");
	return rc;
}

int dec_currency(dec *d, const json_t *obj, const char *key, char out[4])
{
	int rc;
	const json_t *v = dec_get(d, obj, key, D_REQ, &rc);
	const char *s;
	size_t m;

	if (rc || !v)
		return rc;
	m = dec_key(d, key);
	s = json_string_value(v);
	if (!s || json_string_length(v) != 3 || s[0] < 'A' || s[0] > 'Z' ||
	    s[1] < 'A' || s[1] > 'Z' || s[2] < 'A' || s[2] > 'Z') {
		out[0] = '\0';
		rc = dec_bad(d, "expected an ISO 4217 currency code");
	} else {
		memcpy(out, s, 3);
		out[3] = '\0';
	}
	dec_pop(d, m);
	return rc;
}

int dec_enum(dec *d, const json_t *obj, const char *key, int flags,
	     const char *const *names, int n, int unknown, int *val,
	     char **raw)
{
	int rc = dec_str(d, obj, key, flags, raw), i;

	*val = unknown;
	if (rc || !*raw)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(*raw, names[i]) == 0) {
			*val = i;
			break;
		}
	return 0;
}

const json_t *dec_array(dec *d, const json_t *obj, const char *key, int flags,
			int *rc)
{
	const json_t *v = dec_get(d, obj, key, flags, rc);

	if (*rc || !v)
		return NULL;
	if (!json_is_array(v)) {
		size_t m = dec_key(d, key);
		*rc = dec_bad(d, "expected an array");
		dec_pop(d, m);
		return NULL;
	}
	return v;
}

const json_t *dec_object(dec *d, const json_t *obj, const char *key,
			 int flags, int *rc)
{
	const json_t *v = dec_get(d, obj, key, flags, rc);

	if (*rc || !v)
		return NULL;
	if (!json_is_object(v)) {
		size_t m = dec_key(d, key);
		*rc = dec_bad(d, "expected an object");
		dec_pop(d, m);
		return NULL;
	}
	return v;
}

int dec_optional(dec *d, const json_t *obj, const char *key, bool *present,
		 dec_item_fn fn, void *o)
{
	int rc;
	const json_t *v = dec_object(d, obj, key, D_NULL, &rc);

	if (rc || !v)
		return rc;
	size_t m = dec_key(d, key);
	*present = true;
	rc = fn(d, v, o);
	dec_pop(d, m);
	return rc;
}

void *dec_calloc(dec *d, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		dec_fail(d, "out of memory");
	return p;
}

/* An element of a dec_list: 1 keep it, 0 recorded and left out, -1 failed. */
static int list_elem(dec *d, const json_t *v, const char *need_id)
{
	int r = dec_elem(d, v);
	/* a thing acted on by name: one without a usable name is recorded and
	 * left out, never kept as "" (which would mean its whole owner) */
	if (r == 1 && need_id && !dec_usable_id(v, need_id)) {
		size_t mk = dec_key(d, need_id);
		r = dec_bad(d, "expected a non-empty string");
		dec_pop(d, mk);
		if (r < 0)
			return -1;
		r = 0;
	}
	return r;
}

int dec_list(dec *d, const json_t *obj, const char *key, size_t elem,
	     void *items, size_t *n, const char *need_id, dec_item_fn fn)
{
	const json_t *a, *v;
	size_t i, m;
	int rc;

	a = dec_array(d, obj, key, D_NULL, &rc);
	if (rc || !a)
		return rc;
	char *base = dec_calloc(d, json_array_size(a), elem);
	if (!base)
		return -1;
	memcpy(items, &base, sizeof base);
	m = dec_key(d, key);
	json_array_foreach(a, i, v) {
		size_t mi = dec_index(d, i);
		int r = list_elem(d, v, need_id);
		if (r < 0)
			return -1;
		if (r == 1) {
			void *item = base + *n * elem;
			(*n)++;
			if (fn(d, v, item) != 0)
				return -1;
		}
		dec_pop(d, mi);
	}
	dec_pop(d, m);
	return 0;
}

int dec_open(dec *d, const json_t *j, void *o, size_t size, api_bad *bad, char **id)
{
	memset(o, 0, size);
	if (dec_obj(d, j) != 0)
		return -1;
	dec_begin(d, bad);
	return dec_key_id(d, j, "id", id);
}
