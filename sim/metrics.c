/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/metrics.c - GET /metrics: the channels' live metrics in the Prometheus
 * text exposition format 0.0.4, as a platform that publishes them would.
 *
 * Each tick adds one simulated second of every channel's traffic to its
 * counters: tps requests, split by the channel's system and business success
 * rates into success, business_decline, system_error and timeout, and their
 * latencies into a histogram drawn from a log-normal distribution with the
 * channel's p50 and p95. Counts are expected values carried to the next tick
 * as fractions, not random draws, so the counters agree with the channel
 * objects to the rounding and the dynamics' random sequence is untouched
 * (the same seed is the same world). */
#include "sim/http.h"
#include "sim/hostile.h"
#include "sim/util.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const double sim_lat_bounds[SIM_LAT_BUCKETS] = {0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2.5, 5, 10};
static const char *const lat_le[SIM_LAT_BUCKETS] = {"0.025", "0.05", "0.1", "0.2", "0.3", "0.5",
						    "0.75", "1", "1.5", "2.5", "5", "10"};
static const char *const outcome_names[SIM_OUT_COUNT] = {"success", "business_decline", "system_error", "timeout"};

/* The share of technical failures that are timeouts: more when the channel is
 * in an incident (slow links time out). */
#define TIMEOUT_SHARE 0.3
#define TIMEOUT_SHARE_INCIDENT 0.6

/* The log-normal latency distribution with the channel's p50 and p95, at the
 * bucket bounds; computed again only when those move. */
static void latency_cdf(struct sim_chmet *m, int p50_ms, int p95_ms)
{
	if (m->cdf_p50 == p50_ms && m->cdf_p95 == p95_ms && m->mean_s > 0)
		return;
	double p50 = (p50_ms > 0 ? p50_ms : 1) / 1000.0, p95 = p95_ms / 1000.0;
	double sigma = p95 > p50 ? log(p95 / p50) / 1.6448536269514722 : 0.05;
	double mu = log(p50);
	for (int b = 0; b < SIM_LAT_BUCKETS; b++)
		m->cdf[b] = (float)(0.5 * erfc(-(log(sim_lat_bounds[b]) - mu) / (sigma * 1.4142135623730951)));
	m->mean_s = (float)exp(mu + sigma * sigma / 2);
	m->cdf_p50 = p50_ms;
	m->cdf_p95 = p95_ms;
}

void sim_metrics_tick(struct sim_world *w)
{
	for (size_t i = 0; i < w->nch; i++) {
		const struct sim_channel *c = &w->ch[i];
		struct sim_chmet *m = &w->ch[i].met;
		if (!(c->tps > 0))
			continue;
		double n = c->tps; /* one simulated second */
		double tech = 1 - c->sys, tshare = c->incident_until ? TIMEOUT_SHARE_INCIDENT : TIMEOUT_SHARE;
		double p[SIM_OUT_COUNT] = {c->bus, c->sys - c->bus, tech * (1 - tshare), tech * tshare};
		uint64_t k = 0;
		for (int o = 0; o < SIM_OUT_COUNT; o++) {
			m->carry[o] += n * (p[o] > 0 ? p[o] : 0);
			double whole = floor(m->carry[o]);
			m->req[o] += (uint64_t)whole;
			m->carry[o] -= whole;
			k += (uint64_t)whole;
		}
		if (!k)
			continue;
		latency_cdf(m, c->p50, c->p95);
		/* k * cdf rises with the bound and rounding keeps that order, so the
		 * sums stay cumulative; the exposition clamps them to the count */
		for (int b = 0; b < SIM_LAT_BUCKETS; b++)
			m->le[b] += (double)k * m->cdf[b];
		m->lat_sum += (double)k * m->mean_s;
	}
}

/* ---- the exposition ---- */

struct snap {
	uint64_t req[SIM_OUT_COUNT], le[SIM_LAT_BUCKETS], count;
	double lat_sum;
	uint8_t admin, breaker;
	char *label; /* the channel label's value, escaped */
};

static void puts_(struct sim_buf *b, const char *s)
{
	sim_buf_put(b, s, strlen(s));
}

static void putf(struct sim_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct sim_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->bad = 1;
	else
		sim_buf_put(b, tmp, (size_t)n);
}

/* A label value as the format wants it: backslash, double quote and line
 * feed escaped; every other byte (the text is UTF-8) as it is. */
static char *escape_label(const char *s)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p == '\\' || *p == '"' || *p == '\n' ? 2 : 1;
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = s; *p; p++) {
		if (*p == '\\' || *p == '"' || *p == '\n') {
			*o++ = '\\';
			*o++ = *p == '\n' ? 'n' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static void family(struct sim_buf *b, const char *name, const char *type, const char *help)
{
	putf(b, "# HELP %s ", name);
	puts_(b, help);
	putf(b, "\n# TYPE %s %s\n", name, type);
}

/* name{channel="...",KEY="VALUE"} */
static void series(struct sim_buf *b, const char *name, const struct snap *s, const char *key, const char *value)
{
	puts_(b, name);
	puts_(b, "{channel=\"");
	puts_(b, s->label);
	if (key) {
		putf(b, "\",%s=\"", key);
		puts_(b, value);
	}
	puts_(b, "\"} ");
}

static void format(struct sim_buf *b, const struct snap *sn, size_t n, int64_t now)
{
	family(b, "payops_channel_requests_total", "counter",
	       "Payment requests a channel handled, by outcome (success, business_decline, system_error, timeout).");
	for (size_t i = 0; i < n; i++)
		for (int o = 0; o < SIM_OUT_COUNT; o++) {
			series(b, "payops_channel_requests_total", &sn[i], "outcome", outcome_names[o]);
			putf(b, "%llu\n", (unsigned long long)sn[i].req[o]);
		}
	family(b, "payops_channel_latency_seconds", "histogram", "Latency of a channel's payment requests, in seconds.");
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < SIM_LAT_BUCKETS; k++) {
			series(b, "payops_channel_latency_seconds_bucket", &sn[i], "le", lat_le[k]);
			putf(b, "%llu\n", (unsigned long long)sn[i].le[k]);
		}
		series(b, "payops_channel_latency_seconds_bucket", &sn[i], "le", "+Inf");
		putf(b, "%llu\n", (unsigned long long)sn[i].count);
		series(b, "payops_channel_latency_seconds_sum", &sn[i], NULL, NULL);
		putf(b, "%.6f\n", sn[i].lat_sum);
		series(b, "payops_channel_latency_seconds_count", &sn[i], NULL, NULL);
		putf(b, "%llu\n", (unsigned long long)sn[i].count);
	}
	family(b, "payops_channel_admin_state", "gauge",
	       "A channel's admin state as operators set it: 1 for the current state, 0 for the others.");
	for (size_t i = 0; i < n; i++)
		for (int st = 0; st < SIM_ADM_COUNT; st++) {
			series(b, "payops_channel_admin_state", &sn[i], "state", sim_admin_names[st]);
			puts_(b, st == sn[i].admin ? "1\n" : "0\n");
		}
	family(b, "payops_channel_breaker_state", "gauge",
	       "A channel's circuit breaker: 1 for the current state, 0 for the others.");
	for (size_t i = 0; i < n; i++)
		for (int st = 0; st < SIM_BR_COUNT; st++) {
			series(b, "payops_channel_breaker_state", &sn[i], "state", sim_breaker_names[st]);
			puts_(b, st == sn[i].breaker ? "1\n" : "0\n");
		}
	family(b, "payops_sim_time_seconds", "gauge",
	       "The simulated world's clock (Unix seconds): the counters count its seconds, one per tick.");
	putf(b, "payops_sim_time_seconds %lld\n", (long long)now);
}

char *sim_metrics_text(struct sim_world *w, int hostile, size_t *len)
{
	pthread_mutex_lock(&w->lock);
	size_t n = w->nch;
	int64_t now = w->now;
	struct snap *sn = calloc(n ? n : 1, sizeof *sn);
	char (*ids)[64] = malloc((n ? n : 1) * sizeof *ids);
	if (sn && ids)
		for (size_t i = 0; i < n; i++) {
			const struct sim_channel *c = &w->ch[i];
			const struct sim_chmet *m = &c->met;
			uint64_t count = 0;
			for (int o = 0; o < SIM_OUT_COUNT; o++)
				count += sn[i].req[o] = m->req[o];
			for (int k = 0; k < SIM_LAT_BUCKETS; k++) {
				double v = floor(m->le[k]);
				sn[i].le[k] = v >= (double)count ? count : (uint64_t)v;
			}
			sn[i].count = count;
			sn[i].lat_sum = m->lat_sum;
			sn[i].admin = c->admin;
			sn[i].breaker = c->breaker;
			memcpy(ids[i], c->id, sizeof ids[i]);
		}
	pthread_mutex_unlock(&w->lock);
	struct sim_buf b = {0};
	if (!sn || !ids)
		b.bad = 1;
	for (size_t i = 0; !b.bad && i < n; i++) {
		/* --adversarial: most channels' labels turn hostile, one variant each */
		size_t v = i % (sim_hostile_variants() + 1);
		char *raw = hostile && v < sim_hostile_variants() ? sim_hostile_string(v, ids[i]) : NULL;
		sn[i].label = escape_label(raw ? raw : ids[i]);
		free(raw);
		if (!sn[i].label)
			b.bad = 1;
	}
	if (!b.bad)
		format(&b, sn, n, now);
	for (size_t i = 0; sn && i < n; i++)
		free(sn[i].label);
	free(sn);
	free(ids);
	if (b.bad) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

void sim_metrics_handle(struct sim_req *rq, struct sim_resp *rs)
{
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		rs->allow = "GET, HEAD";
		sim_resp_problem(rs, rq, 405, "method_not_allowed", "/metrics answers GET and HEAD", NULL);
		return;
	}
	size_t len;
	char *text = sim_metrics_text(rq->w, rq->site->srv->adversarial, &len);
	if (!text) {
		sim_resp_problem(rs, rq, 500, "internal_error", "out of memory", NULL);
		return;
	}
	free(rs->body);
	rs->status = 200;
	rs->body = text;
	rs->ctype = "text/plain; version=0.0.4; charset=utf-8";
}
