/* SPDX-License-Identifier: ISC (see COPYING) */
/* metrics/decode.c: Prometheus HTTP API answers (/api/v1/query and
 * /api/v1/query_range) to C: "status", "errorType", "error", and the
 * result as a vector or a matrix keyed by the channel label. Sample values
 * are strings ("0.97", "NaN", "+Inf"); timestamps are numbers. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/prom.h"

#define MAX_RESULTS 200000
#define MAX_POINTS 100000

static void copy(char *dst, size_t dsz, const char *src)
{
	snprintf(dst, dsz, "%s", src ? src : "");
}

bool pm_parse_value(const char *s, double *out)
{
	if (!s || !*s)
		return false;
	if (!strcmp(s, "NaN")) {
		*out = NAN;
		return true;
	}
	if (!strcmp(s, "+Inf") || !strcmp(s, "Inf")) {
		*out = INFINITY;
		return true;
	}
	if (!strcmp(s, "-Inf")) {
		*out = -INFINITY;
		return true;
	}
	/* [-+]digits[.digits][e[-+]digits], without the locale's help */
	const char *p = s;
	double sign = 1;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	double v = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		double f = 0.1;
		while (*p >= '0' && *p <= '9') {
			v += (*p++ - '0') * f;
			f /= 10;
			digits++;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		int es = 1, e = 0, ed = 0;
		if (*p == '-' || *p == '+')
			es = *p++ == '-' ? -1 : 1;
		while (*p >= '0' && *p <= '9') {
			if (e < 10000)
				e = e * 10 + (*p - '0');
			p++;
			ed++;
		}
		if (!ed)
			return false;
		v *= pow(10, es * e);
	}
	if (*p)
		return false;
	*out = sign * v;
	return true;
}

/* [t, "v"] */
static bool point(const json_t *pt, double *t, double *v)
{
	if (!json_is_array(pt) || json_array_size(pt) != 2)
		return false;
	const json_t *jt = json_array_get(pt, 0), *jv = json_array_get(pt, 1);
	if (!json_is_number(jt) || !json_is_string(jv))
		return false;
	*t = json_number_value(jt);
	return pm_parse_value(json_string_value(jv), v);
}

static const char *channel_of(const json_t *r, const char *label)
{
	const json_t *m = json_object_get(r, "metric");
	const json_t *c = json_is_object(m) ? json_object_get(m, label) : NULL;
	const char *s = json_is_string(c) ? json_string_value(c) : NULL;
	return s && *s ? s : NULL;
}

static int by_channel(const void *a, const void *b)
{
	return strcmp(((const pm_sample *)a)->channel,
		      ((const pm_sample *)b)->channel);
}

static int ser_by_channel(const void *a, const void *b)
{
	return strcmp(((const pm_series *)a)->channel,
		      ((const pm_series *)b)->channel);
}

static int vector(const json_t *res, const char *label, pm_answer *out)
{
	size_t n = json_array_size(res), i;
	out->s = calloc(n ? n : 1, sizeof *out->s);
	if (!out->s)
		return -1;
	json_t *r;
	json_array_foreach(res, i, r) {
		const char *ch = channel_of(r, label);
		pm_sample smp;
		if (!ch || !point(json_object_get(r, "value"), &smp.t,
				  &smp.value)) {
			out->skipped++;
			continue;
		}
		smp.channel = strdup(ch);
		if (!smp.channel)
			return -1;
		out->s[out->n++] = smp;
	}
	qsort(out->s, out->n, sizeof *out->s, by_channel);
	/* a label seen twice (a query that did not aggregate by it): the
	 * channel has no single number, so it has none */
	size_t w = 0;
	for (size_t k = 0; k < out->n;) {
		size_t e = k + 1;
		while (e < out->n && !strcmp(out->s[e].channel, out->s[k].channel))
			e++;
		if (e - k == 1) {
			out->s[w++] = out->s[k];
		} else {
			for (size_t j = k; j < e; j++)
				free(out->s[j].channel);
			out->skipped += e - k;
		}
		k = e;
	}
	out->n = w;
	return 0;
}

static int matrix(const json_t *res, const char *label, pm_answer *out)
{
	size_t n = json_array_size(res), i;
	out->ser = calloc(n ? n : 1, sizeof *out->ser);
	if (!out->ser)
		return -1;
	json_t *r;
	json_array_foreach(res, i, r) {
		const char *ch = channel_of(r, label);
		const json_t *vals = json_object_get(r, "values");
		size_t np = json_array_size(vals);
		if (!ch || !json_is_array(vals) || np > MAX_POINTS) {
			out->skipped++;
			continue;
		}
		pm_series *s = &out->ser[out->n_ser];
		s->channel = strdup(ch);
		s->t = malloc((np ? np : 1) * sizeof *s->t);
		s->v = malloc((np ? np : 1) * sizeof *s->v);
		out->n_ser++;
		if (!s->channel || !s->t || !s->v)
			return -1;
		size_t j;
		json_t *pt;
		json_array_foreach(vals, j, pt) {
			if (point(pt, &s->t[s->n], &s->v[s->n]))
				s->n++;
		}
	}
	qsort(out->ser, out->n_ser, sizeof *out->ser, ser_by_channel);
	return 0;
}

int pm_decode(const char *body, size_t len, const char *label,
	      pm_answer *out)
{
	memset(out, 0, sizeof *out);
	json_error_t je;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(out->error, sizeof out->error,
			 "not JSON (line %d: %s)", je.line, je.text);
		return -1;
	}
	int rc = -1;
	const json_t *st = json_object_get(root, "status");
	const char *status = json_is_string(st) ? json_string_value(st) : NULL;
	if (!status) {
		copy(out->error, sizeof out->error, "no \"status\" in the answer");
		goto out;
	}
	if (strcmp(status, "success")) {
		const json_t *et = json_object_get(root, "errorType");
		const json_t *e = json_object_get(root, "error");
		copy(out->error_type, sizeof out->error_type,
		     json_is_string(et) ? json_string_value(et) : status);
		copy(out->error, sizeof out->error,
		     json_is_string(e) ? json_string_value(e) : "no message");
		rc = 0;
		goto out;
	}
	const json_t *data = json_object_get(root, "data");
	const json_t *rt = json_object_get(data, "resultType");
	const json_t *res = json_object_get(data, "result");
	const char *type = json_is_string(rt) ? json_string_value(rt) : "";
	if (!json_is_array(res) || json_array_size(res) > MAX_RESULTS) {
		copy(out->error, sizeof out->error,
		     "no data.result list in the answer");
		goto out;
	}
	if (!strcmp(type, "vector")) {
		rc = vector(res, label, out);
	} else if (!strcmp(type, "matrix")) {
		out->matrix = true;
		rc = matrix(res, label, out);
	} else {
		snprintf(out->error, sizeof out->error,
			 "resultType \"%.32s\": a vector or a matrix was "
			 "expected (the query must keep the channel label)",
			 type);
		goto out;
	}
	if (rc)
		copy(out->error, sizeof out->error, "out of memory");
	else
		out->ok = true;
out:
	json_decref(root);
	return rc;
}

void pm_answer_free(pm_answer *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->s[i].channel);
	free(a->s);
	for (size_t i = 0; i < a->n_ser; i++) {
		free(a->ser[i].channel);
		free(a->ser[i].t);
		free(a->ser[i].v);
	}
	free(a->ser);
	memset(a, 0, sizeof *a);
}

const pm_sample *pm_answer_find(const pm_answer *a, const char *channel)
{
	if (!a || !a->n || !channel)
		return NULL;
	pm_sample key = { .channel = (char *)channel };
	return bsearch(&key, a->s, a->n, sizeof *a->s, by_channel);
}

const char *pm_default_query(int measure, const char *label, char *buf,
			     size_t bufsz)
{
	const char *L = label && *label ? label : "channel";
	const char *tot = "rate(payops_channel_requests_total[1m])";
	switch (measure) {
	case CFG_MQ_TPS:
		snprintf(buf, bufsz, "sum by (%s) (%s)", L, tot);
		break;
	case CFG_MQ_SYSTEM_SR:
		snprintf(buf, bufsz,
			 "sum by (%s) (rate(payops_channel_requests_total"
			 "{outcome!~\"system_error|timeout\"}[1m])) / "
			 "sum by (%s) (%s)", L, L, tot);
		break;
	case CFG_MQ_BUSINESS_SR:
		snprintf(buf, bufsz,
			 "sum by (%s) (rate(payops_channel_requests_total"
			 "{outcome=\"success\"}[1m])) / sum by (%s) (%s)",
			 L, L, tot);
		break;
	case CFG_MQ_P95:
		snprintf(buf, bufsz,
			 "histogram_quantile(0.95, sum by (%s, le) "
			 "(rate(payops_channel_latency_seconds_bucket[1m])))",
			 L);
		break;
	default:
		snprintf(buf, bufsz, "%s", "");
	}
	return buf;
}
