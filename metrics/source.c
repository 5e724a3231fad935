/* SPDX-License-Identifier: ISC (see COPYING) */
/* metrics/source.c: the Prometheus source: one instant query per measure
 * every poll interval on its own libcurl multi client (its TLS options and
 * token are not the platform's), the last good answer of each kept until
 * the next one or a failure, and the trends from /api/v1/query_range. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "metrics/prom.h"
#include "net/http.h"
#include "net/url.h"

#define N_TREND 2 /* system success rate, p95 */

typedef struct {
	pm_source *p;
	int which;
	char *query;
	uint64_t req;        /* in flight, 0 when none */
	int64_t ok_at;       /* ev_now_ms() of the last good answer */
	pm_answer ans;       /* the last good answer */
	pm_health health;
	char error[320];
} measure;

struct pm_source {
	ev_loop *ev;
	http_client *http;
	char *url, *label, *token;
	int64_t poll_ms;
	int64_t stale_ms;    /* a last good answer older than this is not shown */
	long timeout_ms;
	measure m[CFG_MQ_COUNT];
	ev_timer_id timer;
	uint64_t gen, requests, bytes;
	time_t last_ok;
	bool failing;        /* what the last news said */
	char news[512];
	bool news_set;
	/* trends */
	uint64_t range_req[N_TREND];
	pm_answer trend[N_TREND];
	int range_left;
	bool range_ok;
	pm_range_fn range_fn;
	void *range_ctx;
	struct pm_trend_slot { pm_source *p; int i; } slot[N_TREND];
};

static void tick(void *ctx);

pm_source *pm_new(ev_loop *ev, const cfg_config *c, const char *token)
{
	if (!c || !c->metrics.prometheus)
		return NULL;
	const cfg_metrics *mc = &c->metrics;
	pm_source *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	http_opts o = {
		.ca_file = mc->ca_file ? mc->ca_file : c->ca_file,
		.client_cert = mc->client_cert ? mc->client_cert : c->client_cert,
		.client_key = mc->client_key ? mc->client_key : c->client_key,
	};
	p->ev = ev;
	p->http = http_new(ev, &o);
	p->url = strdup(mc->prometheus);
	p->label = strdup(mc->channel_label ? mc->channel_label : "channel");
	p->token = token ? strdup(token) : NULL;
	p->poll_ms = c->poll_interval_ms > 0 ? c->poll_interval_ms : 2000;
	/* a Prometheus slower than stale_after is a slow one: the platform's
	 * numbers are shown until it answers; the request itself may take up
	 * to request_timeout (a big query may take seconds) */
	p->stale_ms = c->stale_after_ms > 0 ? c->stale_after_ms : 3 * p->poll_ms;
	p->timeout_ms = c->request_timeout_ms > 0 ? c->request_timeout_ms : 10000;
	bool bad = !p->http || !p->url || !p->label || (token && !p->token);
	for (int i = 0; i < CFG_MQ_COUNT; i++) {
		char q[1024];
		measure *m = &p->m[i];
		m->p = p;
		m->which = i;
		m->query = strdup(mc->query[i] ? mc->query[i]
				  : pm_default_query(i, p->label, q, sizeof q));
		bad = bad || !m->query;
	}
	if (bad) {
		pm_free(p);
		return NULL;
	}
	return p;
}

void pm_free(pm_source *p)
{
	if (!p)
		return;
	if (p->timer)
		ev_timer_cancel(p->ev, p->timer);
	http_free(p->http); /* cancels in flight, no callbacks */
	for (int i = 0; i < CFG_MQ_COUNT; i++) {
		free(p->m[i].query);
		pm_answer_free(&p->m[i].ans);
	}
	for (int i = 0; i < N_TREND; i++)
		pm_answer_free(&p->trend[i]);
	free(p->url);
	free(p->label);
	http_secret_free(p->token);
	free(p);
}

/* Say on the message line, once, when the source falls back or returns. */
static void update_news(pm_source *p)
{
	const measure *bad = NULL;
	bool all_up = true;
	for (int i = 0; i < CFG_MQ_COUNT; i++) {
		if (p->m[i].health == PM_FAILING && !bad)
			bad = &p->m[i];
		all_up = all_up && p->m[i].health == PM_UP;
	}
	if (bad && !p->failing) {
		p->failing = true;
		/* TRANSLATORS: the URL, the measure, the error */
		snprintf(p->news, sizeof p->news,
			 _("Prometheus %s: %s: %s: showing the platform's "
			   "numbers (marked *)"),
			 p->url, cfg_metrics_query_name(bad->which),
			 bad->error);
		p->news_set = true;
	} else if (!bad && all_up && p->failing) {
		p->failing = false;
		snprintf(p->news, sizeof p->news,
			 _("Prometheus %s answers again: channel numbers from "
			   "Prometheus"),
			 p->url);
		p->news_set = true;
	}
}

static void fail(measure *m, const char *a, const char *b)
{
	char e[sizeof m->error];
	snprintf(e, sizeof e, "%s%s", a, b);
	if (m->health != PM_FAILING || strcmp(e, m->error))
		m->p->gen++;
	memcpy(m->error, e, sizeof e);
	m->health = PM_FAILING;
	pm_answer_free(&m->ans);
}

/* The reason a request failed, from its response, in err; false when it
 * did not fail. */
static bool failed(const http_response *r, char *err, size_t errsz)
{
	if (r->status == 0) {
		snprintf(err, errsz, "%s", r->error && *r->error ? r->error
					   : "no answer");
		return true;
	}
	if (r->status >= 200 && r->status < 300)
		return false;
	/* 400 and 422 carry a Prometheus error document: the caller decodes
	 * it; anything else is said by its status */
	if (r->status == 400 || r->status == 422 || r->status == 503)
		return false;
	snprintf(err, errsz, "HTTP %d", r->status);
	return true;
}

static void query_done(void *ctx, const http_response *r)
{
	measure *m = ctx;
	pm_source *p = m->p;
	m->req = 0;
	p->bytes += r->body_len;
	char err[256];
	if (failed(r, err, sizeof err)) {
		fail(m, "GET /api/v1/query: ", err);
	} else {
		pm_answer a;
		int rc = pm_decode(r->body, r->body_len, p->label, &a);
		if (rc || !a.ok) {
			char t[sizeof a.error_type + 2];
			snprintf(t, sizeof t, "%s%s", a.error_type,
				 a.error_type[0] ? ": " : "");
			fail(m, t, a.error);
		} else if (a.matrix) {
			fail(m, "the query answers a range vector, an "
			     "instant vector was expected", "");
		} else {
			pm_answer_free(&m->ans);
			m->ans = a;
			memset(&a, 0, sizeof a);
			m->health = PM_UP;
			m->error[0] = '\0';
			m->ok_at = ev_now_ms();
			p->gen++;
		}
		pm_answer_free(&a);
	}
	bool all = true;
	for (int i = 0; i < CFG_MQ_COUNT; i++)
		all = all && p->m[i].health == PM_UP;
	if (all)
		p->last_ok = time(NULL);
	update_news(p);
}

static void send_query(measure *m)
{
	pm_source *p = m->p;
	char url[8192];
	url_param params[] = { { "query", m->query }, { NULL, NULL } };
	if (url_build(url, sizeof url, p->url, "/api/v1/query", NULL,
		      params) != URL_OK) {
		fail(m, "the query does not fit in a URL", "");
		update_news(p);
		return;
	}
	http_request q = { .method = "GET", .url = url, .bearer = p->token,
			   .timeout_ms = p->timeout_ms };
	m->req = http_send(p->http, &q, query_done, m);
	if (m->req)
		p->requests++;
}

static void tick(void *ctx)
{
	pm_source *p = ctx;
	p->timer = ev_timer_add(p->ev, p->poll_ms, tick, p);
	int64_t now = ev_now_ms();
	for (int i = 0; i < CFG_MQ_COUNT; i++) {
		measure *m = &p->m[i];
		if (!m->req) { /* never two at once for one measure */
			send_query(m);
			continue;
		}
		if (m->health == PM_UP && now - m->ok_at > p->stale_ms) {
			char why[96];
			snprintf(why, sizeof why, "no answer within %lld ms",
				 (long long)p->stale_ms);
			fail(m, "GET /api/v1/query: ", why);
		}
	}
	update_news(p);
}

void pm_start(pm_source *p)
{
	if (p && !p->timer)
		p->timer = ev_timer_add(p->ev, 0, tick, p);
}

void pm_refresh(pm_source *p)
{
	if (!p)
		return;
	if (p->timer)
		ev_timer_cancel(p->ev, p->timer);
	p->timer = ev_timer_add(p->ev, 0, tick, p);
}

bool pm_value(const pm_source *p, const char *channel, int measure_,
	      double *out)
{
	if (!p || measure_ < 0 || measure_ >= CFG_MQ_COUNT)
		return false;
	const measure *m = &p->m[measure_];
	if (m->health != PM_UP)
		return false;
	const pm_sample *s = pm_answer_find(&m->ans, channel);
	if (!s || isnan(s->value))
		return false;
	*out = measure_ == CFG_MQ_P95 ? s->value * 1000.0 : s->value;
	return true;
}

pm_health pm_measure_health(const pm_source *p, int which)
{
	return p && which >= 0 && which < CFG_MQ_COUNT ? p->m[which].health
						       : PM_PENDING;
}

const char *pm_measure_error(const pm_source *p, int which)
{
	return p && which >= 0 && which < CFG_MQ_COUNT ? p->m[which].error : "";
}

const char *pm_query(const pm_source *p, int which)
{
	return p && which >= 0 && which < CFG_MQ_COUNT ? p->m[which].query : "";
}

const char *pm_url(const pm_source *p)
{
	return p ? p->url : "";
}

time_t pm_last_ok(const pm_source *p)
{
	return p ? p->last_ok : 0;
}

uint64_t pm_gen(const pm_source *p)
{
	return p ? p->gen : 0;
}

size_t pm_sample_count(const pm_source *p, int which)
{
	return p && which >= 0 && which < CFG_MQ_COUNT ? p->m[which].ans.n : 0;
}

void pm_counts(const pm_source *p, uint64_t *requests, uint64_t *bytes)
{
	if (requests)
		*requests = p ? p->requests : 0;
	if (bytes)
		*bytes = p ? p->bytes : 0;
}

const char *pm_take_news(pm_source *p, bool *back)
{
	if (!p || !p->news_set)
		return NULL;
	if (back)
		*back = !p->failing;
	p->news_set = false;
	return p->news;
}

/* ---- trends ---- */

static void range_done(void *ctx, const http_response *r);

static int trend_index(int measure_)
{
	return measure_ == CFG_MQ_SYSTEM_SR ? 0 : measure_ == CFG_MQ_P95 ? 1 : -1;
}

void pm_fetch_trends(pm_source *p, int minutes, int step_s, pm_range_fn fn,
		     void *ctx)
{
	if (!p)
		return;
	for (int i = 0; i < N_TREND; i++)
		if (p->range_req[i]) {
			http_cancel(p->http, p->range_req[i]);
			p->range_req[i] = 0;
		}
	p->range_fn = fn;
	p->range_ctx = ctx;
	p->range_left = 0;
	p->range_ok = true;
	time_t now = time(NULL);
	char start[32], end[32], step[32];
	snprintf(start, sizeof start, "%lld",
		 (long long)now - (long long)minutes * 60);
	snprintf(end, sizeof end, "%lld", (long long)now);
	snprintf(step, sizeof step, "%d", step_s > 0 ? step_s : 15);
	const int which[N_TREND] = { CFG_MQ_SYSTEM_SR, CFG_MQ_P95 };
	for (int i = 0; i < N_TREND; i++) {
		char url[8192];
		url_param params[] = { { "query", p->m[which[i]].query },
				       { "start", start }, { "end", end },
				       { "step", step }, { NULL, NULL } };
		if (url_build(url, sizeof url, p->url, "/api/v1/query_range",
			      NULL, params) != URL_OK)
			continue;
		http_request q = { .method = "GET", .url = url,
				   .bearer = p->token,
				   .timeout_ms = p->timeout_ms * 5 };
		p->slot[i] = (struct pm_trend_slot){ p, i };
		p->range_req[i] = http_send(p->http, &q, range_done,
					     &p->slot[i]);
		if (p->range_req[i]) {
			p->requests++;
			p->range_left++;
		}
	}
}

static void range_done(void *ctx, const http_response *r)
{
	struct pm_trend_slot *slot = ctx;
	pm_source *p = slot->p;
	int i = slot->i;
	p->range_req[i] = 0;
	p->bytes += r->body_len;
	char err[256];
	pm_answer a;
	memset(&a, 0, sizeof a);
	if (failed(r, err, sizeof err) ||
	    pm_decode(r->body, r->body_len, p->label, &a) || !a.ok ||
	    !a.matrix) {
		p->range_ok = false;
	} else {
		if (i == 1) /* p95: seconds to ms */
			for (size_t k = 0; k < a.n_ser; k++)
				for (size_t j = 0; j < a.ser[k].n; j++)
					a.ser[k].v[j] *= 1000.0;
		pm_answer_free(&p->trend[i]);
		p->trend[i] = a;
		memset(&a, 0, sizeof a);
		p->gen++;
	}
	pm_answer_free(&a);
	if (--p->range_left == 0 && p->range_fn)
		p->range_fn(p->range_ctx, p, p->range_ok);
}

const pm_series *pm_trend(const pm_source *p, const char *channel,
			  int measure_)
{
	int i = trend_index(measure_);
	if (!p || i < 0 || !channel || !p->trend[i].n_ser)
		return NULL;
	size_t lo = 0, hi = p->trend[i].n_ser;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(p->trend[i].ser[mid].channel, channel);
		if (!c)
			return &p->trend[i].ser[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
