/* SPDX-License-Identifier: ISC (see COPYING) */
/* metrics/prom.h: channel health from a Prometheus HTTP API (Prometheus,
 * Thanos, Mimir, VictoriaMetrics): the answer decoder and the source.
 *
 * The source sends, every poll interval, one instant query
 * (GET /api/v1/query) per measure for all channels (tps, system and
 * business success rate, p95), on its own libcurl multi client driven by
 * the event loop: nothing blocks. A measure whose request fails (transport,
 * timeout, HTTP error, "status":"error") is not known for any channel until
 * it works again; a channel with no sample (or NaN) in an answer is not
 * known for that measure. Callers then show the platform's number, marked.
 *
 * Every string from Prometheus (label values, error text) is kept as sent
 * and reaches the terminal through text/text.h. */
#ifndef PAYOPS_METRICS_PROM_H
#define PAYOPS_METRICS_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/ev.h"
#include "config/config.h"

/* ---- the decoder ---- */
typedef struct {
	char *channel;   /* the channel label's value */
	double value;    /* NaN, +Inf and -Inf as Prometheus writes them */
	double t;        /* sample time, Unix seconds */
} pm_sample;

typedef struct {
	char *channel;
	double *t, *v;   /* n points, oldest first */
	size_t n;
} pm_series;

typedef struct {
	bool ok;               /* "status": "success" */
	char error_type[32];   /* "bad_data", "timeout", ... when !ok */
	char error[256];       /* Prometheus's message, or what was wrong */
	bool matrix;           /* resultType "matrix" (else "vector") */
	pm_sample *s; size_t n;       /* vector, sorted by channel */
	pm_series *ser; size_t n_ser; /* matrix, sorted by channel */
	size_t skipped;        /* results without the label or malformed */
} pm_answer;

/* Decode an answer of /api/v1/query or /api/v1/query_range; label names
 * the channel. Returns 0 (out->ok tells success from a Prometheus error)
 * or -1 when the body is not a Prometheus answer (out->error says why).
 * Free with pm_answer_free whatever the result. */
int pm_decode(const char *body, size_t len, const char *label,
	      pm_answer *out);
void pm_answer_free(pm_answer *a);
/* The sample for channel, or NULL. */
const pm_sample *pm_answer_find(const pm_answer *a, const char *channel);
/* A sample value "1.5", "NaN", "+Inf", "-Inf", "1e-3" (C locale); false
 * when malformed. */
bool pm_parse_value(const char *s, double *out);

/* The default PromQL of a measure (CFG_MQ_*) with label as the channel
 * label, in buf; returns buf. */
const char *pm_default_query(int measure, const char *label, char *buf,
			     size_t bufsz);

/* ---- the source ---- */
typedef struct pm_source pm_source;

typedef enum { PM_PENDING, PM_UP, PM_FAILING } pm_health;

/* c->metrics.prometheus must be set; token may be NULL (none sent). ev is
 * borrowed. NULL when out of memory or the client cannot be made. */
pm_source *pm_new(ev_loop *ev, const cfg_config *c, const char *token);
void pm_free(pm_source *p);
void pm_start(pm_source *p);    /* the first queries go out at once */
void pm_refresh(pm_source *p);  /* query now */

/* The measure's value for the channel from the last good answer, when
 * Prometheus is up for it and has a number for that channel. */
bool pm_value(const pm_source *p, const char *channel, int measure,
	      double *out);
pm_health pm_measure_health(const pm_source *p, int measure);
/* Why the measure is not from Prometheus now ("" when it is): "GET
 * /api/v1/query: connection refused", "bad_data: parse error ..." */
const char *pm_measure_error(const pm_source *p, int measure);
const char *pm_query(const pm_source *p, int measure);
const char *pm_url(const pm_source *p);
time_t pm_last_ok(const pm_source *p); /* wall clock of the last full round */
/* Changes whenever any value or health changes. */
uint64_t pm_gen(const pm_source *p);
/* The channels in the measure's last good answer. */
size_t pm_sample_count(const pm_source *p, int measure);
/* Requests and answer bytes so far (bench). */
void pm_counts(const pm_source *p, uint64_t *requests, uint64_t *bytes);
/* One line when the source falls back or comes back (health changes),
 * NULL until then: for the message line; reading it clears it. *back is
 * true when it says Prometheus answers again. */
const char *pm_take_news(pm_source *p, bool *back);

/* Trends: /api/v1/query_range of the system success rate and p95 over the
 * last `minutes` at `step_s`, for every channel; done runs from the loop.
 * The series are valid until the next call or pm_free. */
typedef void (*pm_range_fn)(void *ctx, const pm_source *p, bool ok);
void pm_fetch_trends(pm_source *p, int minutes, int step_s, pm_range_fn fn,
		     void *ctx);
/* The last trend fetched for a channel: measure CFG_MQ_SYSTEM_SR or
 * CFG_MQ_P95 (ms); NULL when none. */
const pm_series *pm_trend(const pm_source *p, const char *channel,
			  int measure);

#endif
