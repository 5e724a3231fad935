/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/metrics/source_test.c: the Prometheus source against a small
 * server on 127.0.0.1 (a thread here): one query per measure, the bearer
 * token sent, the numbers per channel, a channel without a sample, an
 * error answer and a dead server falling back (said once), the return (said
 * once), and what the panes show over the platform's channel. */
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics/prom.h"
#include "views/chmetrics.h"
#include "tests/lib/unit.h"

static int lfd;
static volatile int mode;          /* 0 answers, 1 bad_data, 2 HTTP 502 */
static volatile int n_requests;
static char last_auth[256];

static const char *answer(const char *req, int *status)
{
	*status = 200;
	if (mode == 1) {
		*status = 400;
		return "{\"status\":\"error\",\"errorType\":\"bad_data\","
		       "\"error\":\"parse error\"}";
	}
	if (mode == 2) {
		*status = 502;
		return "bad gateway";
	}
	if (strstr(req, "GET /api/v1/query_range?")) {
		if (!strstr(req, "step=60") || !strstr(req, "start="))
			return "{\"status\":\"error\",\"errorType\":\"bad_data\","
			       "\"error\":\"no step\"}";
		if (strstr(req, "histogram_quantile"))
			return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
			       "\"result\":[{\"metric\":{\"channel\":\"a\"},"
			       "\"values\":[[60,\"0.1\"],[120,\"0.2\"],[180,\"0.3\"]]}]}}";
		return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		       "\"result\":[{\"metric\":{\"channel\":\"a\"},"
		       "\"values\":[[120,\"0.99\"],[180,\"0.5\"]]}]}}";
	}
	if (strstr(req, "histogram_quantile"))
		return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		       "\"result\":[{\"metric\":{\"channel\":\"a\"},\"value\":[1,\"0.25\"]}]}}";
	return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
	       "\"result\":[{\"metric\":{\"channel\":\"a\"},\"value\":[1,\"0.5\"]},"
	       "{\"metric\":{\"channel\":\"b\"},\"value\":[1,\"NaN\"]}]}}";
}

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			return NULL;
		char req[8192];
		size_t n = 0;
		ssize_t k;
		while (n < sizeof req - 1 &&
		       (k = read(c, req + n, sizeof req - 1 - n)) > 0) {
			n += (size_t)k;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[n] = '\0';
		const char *a = strstr(req, "Authorization: ");
		if (a)
			snprintf(last_auth, sizeof last_auth, "%.*s",
				 (int)strcspn(a, "\r\n"), a);
		n_requests++;
		int status;
		const char *body = answer(req, &status);
		char head[256];
		int hl = snprintf(head, sizeof head,
				  "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
				  "Content-Length: %zu\r\nConnection: close\r\n\r\n",
				  status, strlen(body));
		if (write(c, head, (size_t)hl) == hl)
			n = (size_t)write(c, body, strlen(body));
		close(c);
	}
}

static ev_loop *ev;

static void stop(void *ctx)
{
	(void)ctx;
	ev_stop(ev);
}

static void run_ms(int ms)
{
	ev_timer_add(ev, ms, stop, NULL);
	ev_run(ev);
}

/* Run the loop until cond holds (checked every 20 ms), at most 10 s: a
 * loaded machine may be slow, never wrong. */
static bool run_until(bool (*cond)(pm_source *), pm_source *p)
{
	for (int i = 0; i < 500; i++) {
		if (cond(p))
			return true;
		run_ms(20);
	}
	return cond(p);
}

static bool have_a(pm_source *p)
{
	double v;
	return pm_value(p, "a", CFG_MQ_TPS, &v) &&
	       pm_value(p, "a", CFG_MQ_P95, &v);
}
static bool lost_a(pm_source *p)
{
	double v;
	return !pm_value(p, "a", CFG_MQ_TPS, &v);
}
static bool tps_502(pm_source *p)
{
	return strstr(pm_measure_error(p, CFG_MQ_TPS), "HTTP 502") != NULL;
}
static int trends_done;
static bool trends_ok;
static void on_trends(void *ctx, const pm_source *p, bool ok)
{
	(void)ctx;
	(void)p;
	trends_done++;
	trends_ok = ok;
}
static bool trends_in(pm_source *p)
{
	(void)p;
	return trends_done > 0;
}
static bool all_up(pm_source *p)
{
	for (int i = 0; i < CFG_MQ_COUNT; i++)
		if (pm_measure_health(p, i) != PM_UP)
			return false;
	return true;
}

static void test_source(void **state)
{
	(void)state;
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof sa;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &sl), 0);
	pthread_t th;
	pthread_create(&th, NULL, serve, NULL);

	cfg_config c;
	cfg_defaults(&c);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
	c.metrics.prometheus = strdup(url);
	c.poll_interval_ms = 100;
	c.stale_after_ms = 300;
	ev = ev_new();
	pm_source *p = pm_new(ev, &c, "s3cret");
	assert_non_null(p);
	pm_start(p);
	assert_true(run_until(have_a, p));

	/* one request per measure per poll, with the token */
	uint64_t req;
	pm_counts(p, &req, NULL);
	assert_true(req >= CFG_MQ_COUNT && req <= 3 * CFG_MQ_COUNT);
	assert_string_equal(last_auth, "Authorization: Bearer s3cret");
	double v;
	assert_true(pm_value(p, "a", CFG_MQ_TPS, &v) && v == 0.5);
	assert_true(pm_value(p, "a", CFG_MQ_P95, &v) && v == 250); /* ms */
	assert_false(pm_value(p, "b", CFG_MQ_TPS, &v)); /* NaN: none */
	assert_false(pm_value(p, "zz", CFG_MQ_TPS, &v)); /* no sample */
	assert_null(pm_take_news(p, NULL));

	/* what the panes show: Prometheus's numbers, the platform's marked */
	api_channel ch = { .id = "b", .tps = 7, .system_success_rate = 0.9,
			   .business_success_rate = 0.8, .latency_p95_ms = 100 };
	api_channel shown;
	unsigned fb = 0;
	const api_channel *s = chm_shown(p, &ch, &shown, &fb);
	assert_true(s->tps == 7);
	assert_true(fb & (1u << CFG_MQ_TPS));
	ch.id = "a";
	s = chm_shown(p, &ch, &shown, &fb);
	assert_true(s->tps == 0.5 && s->latency_p95_ms == 250);
	assert_int_equal(fb, 0);
	char cell[32] = "7.0";
	chm_mark(cell, sizeof cell, 1u << CFG_MQ_TPS, CFG_MQ_TPS);
	assert_string_equal(cell, "*7.0");
	assert_ptr_equal(chm_shown(NULL, &ch, &shown, &fb), &ch);

	/* an error answer: every measure falls back, said once */
	mode = 1;
	assert_true(run_until(lost_a, p));
	bool back = true;
	const char *news = pm_take_news(p, &back);
	assert_non_null(news);
	assert_false(back);
	assert_non_null(strstr(news, "bad_data: parse error"));
	run_ms(150);
	assert_null(pm_take_news(p, NULL)); /* not again */
	char line[1024];
	chm_sources_line(p, &ch, line, sizeof line);
	assert_non_null(strstr(line, "tps *platform (bad_data: parse error)"));

	/* an HTTP error says its status */
	mode = 2;
	assert_true(run_until(tps_502, p));

	/* back */
	mode = 0;
	assert_true(run_until(all_up, p));
	assert_true(pm_value(p, "a", CFG_MQ_TPS, &v));
	news = pm_take_news(p, &back);
	assert_non_null(news);
	assert_true(back);
	chm_sources_line(p, &ch, line, sizeof line);
	assert_non_null(strstr(line, "tps Prometheus"));

	/* the trends from query_range, aligned on the newest point */
	trends_done = 0;
	pm_fetch_trends(p, 30, 60, on_trends, NULL);
	assert_true(run_until(trends_in, p));
	assert_int_equal(trends_done, 1);
	assert_true(trends_ok);
	const pm_series *t = pm_trend(p, "a", CFG_MQ_P95);
	assert_non_null(t);
	assert_int_equal(t->n, 3);
	assert_true(fabs(t->v[2] - 300) < 1e-9); /* ms */
	assert_null(pm_trend(p, "b", CFG_MQ_P95));
	double ssr[8], p95[8];
	assert_int_equal(chm_trend(p, "a", ssr, p95, 8), 3);
	assert_true(isnan(ssr[0]) && ssr[1] == 0.99 && ssr[2] == 0.5);
	assert_true(fabs(p95[0] - 100) < 1e-9);

	/* a dead server: the numbers go once stale_after has passed */
	shutdown(lfd, SHUT_RDWR); /* wakes the accept */
	close(lfd);
	pthread_join(th, NULL);
	assert_true(run_until(lost_a, p));
	assert_non_null(pm_take_news(p, &back));
	assert_false(back);

	pm_free(p);
	ev_free(ev);
	cfg_free(&c);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_source))
