/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/net/http_test.c: the HTTP client and the SSE stream client against
 * tests/net/httpd on 127.0.0.1. Run by tests/net/http.sh, which starts the
 * server and passes its base URL as the only argument. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/http.h"
#include "net/stream.h"
#include "base/ev.h"

static const char *base;
static const char *tls_base, *tls_ca;  /* NULL: no HTTPS server */

static void url(char *buf, size_t n, const char *path)
{
	int k = snprintf(buf, n, "%s%s", base, path);

	assert_true(k > 0 && (size_t)k < n);
}

/* ---- fixtures: one loop and one client per test ---- */

typedef struct {
	ev_loop *ev;
	http_client *http;
	ev_timer_id guard;
	int timed_out;
} fx;

static void guard_fired(void *ctx)
{
	fx *f = ctx;

	f->guard = 0;
	f->timed_out = 1;
	ev_stop(f->ev);
}

static void fx_init(fx *f)
{
	memset(f, 0, sizeof(*f));
	f->ev = ev_new();
	assert_non_null(f->ev);
	f->http = http_new(f->ev, NULL);
	assert_non_null(f->http);
}

/* Run the loop until something calls ev_stop, at most ms. */
static void fx_run(fx *f, int64_t ms)
{
	f->timed_out = 0;
	f->guard = ev_timer_add(f->ev, ms, guard_fired, f);
	assert_int_equal(ev_run(f->ev), 0);
	if (f->guard)
		ev_timer_cancel(f->ev, f->guard);
	f->guard = 0;
}

static void fx_free(fx *f)
{
	http_free(f->http);
	ev_free(f->ev);
}

/* A copy of a response that outlives the callback. */
typedef struct {
	fx *f;
	int calls;
	int status, curl_code, retry_after;
	char error[256], body[4096], etag[64], request_id[64], ctype[64];
	size_t body_len;
	double total_ms;
	int64_t at;
	int stop_when_done;
	int in_send;  /* set around http_send: done must never see it */
} result;

static void copy_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void on_done(void *ctx, const http_response *r)
{
	result *res = ctx;

	assert_false(res->in_send);
	res->calls++;
	res->status = r->status;
	res->curl_code = r->curl_code;
	res->retry_after = r->retry_after_s;
	res->body_len = r->body_len;
	res->total_ms = r->total_ms;
	res->at = ev_now_ms();
	copy_str(res->error, sizeof(res->error), r->error);
	copy_str(res->body, sizeof(res->body), r->body);
	copy_str(res->etag, sizeof(res->etag), r->etag);
	copy_str(res->request_id, sizeof(res->request_id), r->request_id);
	copy_str(res->ctype, sizeof(res->ctype), r->content_type);
	if (res->stop_when_done)
		ev_stop(res->f->ev);
}

static uint64_t send_get(fx *f, result *res, const char *path,
			 const http_request *extra)
{
	char u[512];
	http_request req = extra ? *extra : (http_request){0};
	uint64_t h;

	url(u, sizeof(u), path);
	if (!req.method)
		req.method = "GET";
	req.url = u;
	res->f = f;
	res->in_send = 1;
	h = http_send(f->http, &req, on_done, res);
	res->in_send = 0;
	return h;
}

static void get_json_and_304(void **state)
{
	fx f;
	result a = {.stop_when_done = 1}, b = {.stop_when_done = 1};
	http_request rq = {.request_id = "req-42"};

	(void)state;
	fx_init(&f);
	assert_true(send_get(&f, &a, "/json", &rq) > 0);
	assert_int_equal(http_in_flight(f.http), 1);
	assert_int_equal(a.calls, 0);  /* never from inside http_send */
	fx_run(&f, 5000);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.status, 200);
	assert_string_equal(a.body, "{\"ok\":true}");
	assert_string_equal(a.etag, "\"v1\"");
	assert_string_equal(a.ctype, "application/json");
	assert_string_equal(a.error, "");
	assert_int_equal(a.retry_after, -1);
	assert_int_equal(http_in_flight(f.http), 0);

	rq.if_none_match = a.etag;
	assert_true(send_get(&f, &b, "/json", &rq) > 0);
	fx_run(&f, 5000);
	assert_int_equal(b.calls, 1);
	assert_int_equal(b.status, 304);
	assert_int_equal(b.body_len, 0);
	assert_string_equal(b.etag, "\"v1\"");
	fx_free(&f);
}

static void headers_sent(void **state)
{
	fx f;
	result a = {.stop_when_done = 1};
	static const char body[] = "{\"reason\":\"test\"}";
	http_request rq = {
		.method = "POST", .bearer = "tok-secret", .if_match = "\"17\"",
		.idempotency_key = "idem-1", .request_id = "rid-7",
		.body = body, .body_len = sizeof(body) - 1,
	};
	result bad = {0};
	http_request evil = {.bearer = "tok\r\nX-Evil: 1"};

	(void)state;
	fx_init(&f);
	assert_true(send_get(&f, &a, "/echo", &rq) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "Authorization: Bearer tok-secret\n"));
	assert_non_null(strstr(a.body, "Accept: application/json\n"));
	assert_non_null(strstr(a.body, "If-Match: \"17\"\n"));
	assert_non_null(strstr(a.body, "Idempotency-Key: idem-1\n"));
	assert_non_null(strstr(a.body, "X-Request-Id: rid-7\n"));
	assert_non_null(strstr(a.body, "Content-Type: application/json\n"));
	assert_non_null(strstr(a.body, "body: {\"reason\":\"test\"}\n"));
	assert_string_equal(a.request_id, "rid-7");
	/* header injection is refused up front */
	assert_int_equal(send_get(&f, &bad, "/echo", &evil), 0);
	assert_int_equal(http_in_flight(f.http), 0);
	fx_free(&f);
}

static void gzip_body(void **state)
{
	fx f;
	result a = {.stop_when_done = 1};

	(void)state;
	fx_init(&f);
	assert_true(send_get(&f, &a, "/gzip", NULL) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.body_len, 1429);
	assert_memory_equal(a.body, "{\"compressed\":true", 18);
	fx_free(&f);
}

static void too_many_requests(void **state)
{
	fx f;
	result a = {.stop_when_done = 1};

	(void)state;
	fx_init(&f);
	assert_true(send_get(&f, &a, "/429", NULL) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.status, 429);
	assert_int_equal(a.retry_after, 2);
	assert_string_equal(a.ctype, "application/problem+json");
	assert_non_null(strstr(a.body, "rate_limited"));
	/* Retry-After as an HTTP date: seconds from now */
	memset(&a, 0, sizeof(a));
	a.stop_when_done = 1;
	assert_true(send_get(&f, &a, "/429?date=1", NULL) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.status, 429);
	assert_in_range(a.retry_after, 1, 4);
	fx_free(&f);
}

static void body_cap(void **state)
{
	fx f;
	result a = {.stop_when_done = 1};

	(void)state;
	fx_init(&f);
	http_set_max_body(f.http, 1000);
	assert_true(send_get(&f, &a, "/big?n=5000", NULL) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.error, "response body larger than 1000 bytes");
	fx_free(&f);
}

/* ---- nothing blocks: a 10 ms ticker keeps its pace during a slow request */

typedef struct {
	fx *f;
	int64_t last, max_gap;
	int ticks;
	int running;
} ticker;

static void tick(void *ctx)
{
	ticker *t = ctx;
	int64_t now = ev_now_ms();

	if (t->last && now - t->last > t->max_gap)
		t->max_gap = now - t->last;
	t->last = now;
	t->ticks++;
	if (t->running)
		ev_timer_add(t->f->ev, 10, tick, t);
}

typedef struct {
	fx *f;
	result r[5];
	int next;
} chain;

static void chain_next(void *ctx, const http_response *resp);

static void chain_send(chain *c)
{
	char u[512];
	http_request req = {.method = "GET"};

	url(u, sizeof(u), "/json");
	req.url = u;
	c->r[c->next].f = c->f;
	assert_true(http_send(c->f->http, &req, chain_next, c) > 0);
}

static void chain_next(void *ctx, const http_response *resp)
{
	chain *c = ctx;

	c->r[c->next].status = resp->status;
	c->r[c->next].at = ev_now_ms();
	c->r[c->next].calls++;
	if (++c->next < 5)
		chain_send(c);   /* from inside done_fn: allowed */
}

static void slow_request_does_not_block(void **state)
{
	fx f;
	ticker t = {.running = 1};
	result slow = {.stop_when_done = 1};
	chain c = {0};
	int64_t t0;

	(void)state;
	fx_init(&f);
	t.f = &f;
	c.f = &f;
	ev_timer_add(f.ev, 10, tick, &t);
	t0 = ev_now_ms();
	assert_true(send_get(&f, &slow, "/slow?ms=2000", NULL) > 0);
	chain_send(&c);
	fx_run(&f, 10000);
	t.running = 0;
	assert_int_equal(slow.calls, 1);
	assert_int_equal(slow.status, 200);
	assert_true(slow.at - t0 >= 1900);
	/* the quick ones finished while the slow one was still out */
	assert_int_equal(c.next, 5);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(c.r[i].status, 200);
		assert_true(c.r[i].at < slow.at);
	}
	/* the ticker never stalled */
	print_message("# ticks %d, longest gap %lld ms\n", t.ticks, (long long)t.max_gap);
	assert_true(t.ticks >= 100);
	assert_true(t.max_gap < 100);
	fx_free(&f);
}

static void timeout_in_words(void **state)
{
	fx f;
	result a = {.stop_when_done = 1};
	http_request rq = {.timeout_ms = 300};
	int64_t t0;

	(void)state;
	fx_init(&f);
	t0 = ev_now_ms();
	assert_true(send_get(&f, &a, "/slow?ms=3000", &rq) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.status, 0);
	assert_int_equal(a.curl_code, 28);
	assert_string_equal(a.error, "timed out after 300 ms");
	assert_true(ev_now_ms() - t0 < 2000);
	fx_free(&f);
}

static int closed_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port;

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);  /* bound, never listened: nothing accepts there */
	return port;
}

static void connection_refused(void **state)
{
	fx f;
	result a = {.stop_when_done = 1};
	char u[64];
	http_request rq = {.method = "GET"};

	(void)state;
	fx_init(&f);
	snprintf(u, sizeof(u), "http://127.0.0.1:%d/v1/status", closed_port());
	rq.url = u;
	a.f = &f;
	assert_true(http_send(f.http, &rq, on_done, &a) > 0);
	fx_run(&f, 5000);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.error, "connection refused");
	fx_free(&f);
}

static void stop_cb(void *ctx)
{
	ev_stop(ctx);
}

typedef struct {
	fx *f;
	uint64_t h;
	int chunks;
} cancel_ctx;

static void cancel_now(void *ctx)
{
	cancel_ctx *c = ctx;

	http_cancel(c->f->http, c->h);
	http_cancel(c->f->http, c->h);  /* twice: harmless */
}

static void chunk_then_cancel_self(void *ctx, const char *data, size_t len)
{
	cancel_ctx *c = ctx;

	(void)data;
	(void)len;
	c->chunks++;
	http_cancel(c->f->http, c->h);  /* from inside a libcurl callback */
}

static void must_not_finish(void *ctx, const http_response *r)
{
	(void)ctx;
	fail_msg("done_fn ran for a cancelled request (status %d)", r->status);
}

static void cancellation(void **state)
{
	fx f;
	cancel_ctx a = {0}, b = {0};
	char u1[512], u2[512];
	http_request r1 = {.method = "GET"}, r2 = {.method = "GET"};

	(void)state;
	fx_init(&f);
	a.f = b.f = &f;
	url(u1, sizeof(u1), "/slow?ms=800");
	url(u2, sizeof(u2), "/sse?total=1000");
	r1.url = u1;
	r2.url = u2;
	a.h = http_send(f.http, &r1, must_not_finish, &a);
	b.h = http_stream(f.http, &r2, chunk_then_cancel_self, must_not_finish, &b);
	assert_true(a.h > 0 && b.h > 0);
	ev_timer_add(f.ev, 50, cancel_now, &a);
	ev_timer_add(f.ev, 1200, stop_cb, f.ev);
	fx_run(&f, 5000);
	assert_int_equal(b.chunks, 1);   /* nothing after the cancel */
	assert_int_equal(http_in_flight(f.http), 0);
	fx_free(&f);
}

/* ---- keep-alive: N sequential requests ride one connection ---- */

static long stat_field(const char *body, const char *name)
{
	const char *p = strstr(body, name);

	assert_non_null(p);
	return strtol(p + strlen(name) + 1, NULL, 10);
}

static void keep_alive(void **state)
{
	fx f;
	result first = {.stop_when_done = 1}, last = {.stop_when_done = 1};
	chain c = {0};
	long before, after;

	(void)state;
	fx_init(&f);
	c.f = &f;
	assert_true(send_get(&f, &first, "/stats", NULL) > 0);
	fx_run(&f, 5000);
	before = stat_field(first.body, "\"connections\"");
	chain_send(&c);
	while (c.next < 5) {
		ev_timer_add(f.ev, 20, stop_cb, f.ev);
		fx_run(&f, 5000);
	}
	assert_true(send_get(&f, &last, "/stats", NULL) > 0);
	fx_run(&f, 5000);
	after = stat_field(last.body, "\"connections\"");
	print_message("# connections before %ld after %ld\n", before, after);
	assert_int_equal(after, before);  /* 6 more requests, no new accept */
	fx_free(&f);
}

/* ---- the SSE client ---- */

typedef struct {
	fx *f;
	long ids[64];
	int n_ids;
	int retrying, opened;
	char reasons[512];
	int64_t last_retry_in;
	long stop_at_id;
	int stop_after_opens;
} sse_rec;

static void rec_state(void *ctx, stream_state st, const char *reason,
		      int64_t retry_in_ms)
{
	sse_rec *r = ctx;

	if (st == STREAM_RETRYING) {
		size_t l = strlen(r->reasons);

		r->retrying++;
		r->last_retry_in = retry_in_ms;
		snprintf(r->reasons + l, sizeof(r->reasons) - l, "%s;", reason);
	}
	if (st == STREAM_OPEN && ++r->opened == r->stop_after_opens)
		ev_stop(r->f->ev);
}

static void rec_event(void *ctx, const sse_event *ev)
{
	sse_rec *r = ctx;
	long id = strtol(ev->id, NULL, 10);
	char want[64];

	assert_string_equal(ev->event, "tick");
	snprintf(want, sizeof(want), "{\"n\":%ld}", id);
	assert_string_equal(ev->data, want);
	if (r->n_ids < 64)
		r->ids[r->n_ids++] = id;
	if (id == r->stop_at_id)
		ev_stop(r->f->ev);
}

static void stats(fx *f, result *res)
{
	memset(res, 0, sizeof(*res));
	res->stop_when_done = 1;
	assert_true(send_get(f, res, "/stats", NULL) > 0);
	fx_run(f, 5000);
	assert_int_equal(res->status, 200);
}

static void sse_resume_after_drop(void **state)
{
	fx f;
	sse_rec r = {.stop_at_id = 10};
	stream_callbacks cb = {rec_state, rec_event, &r};
	char u[512];
	stream_opts o = {.bearer = "tok", .silence_ms = 5000, .base_ms = 50};
	stream *s;
	result st0, st1;

	(void)state;
	fx_init(&f);
	r.f = &f;
	stats(&f, &st0);
	url(u, sizeof(u), "/sse?total=10&drop=4");
	o.url = u;
	s = stream_new(f.ev, f.http, &o, &cb);
	assert_non_null(s);
	assert_int_equal(stream_start(s), 0);
	fx_run(&f, 8000);
	assert_false(f.timed_out);
	/* every id once, in order, despite the drop in the middle of 4 */
	assert_int_equal(r.n_ids, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(r.ids[i], i + 1);
	assert_true(r.retrying >= 1);
	assert_int_equal(r.opened, 2);
	assert_string_equal(stream_last_id(s), "10");
	stream_free(s);
	stats(&f, &st1);
	assert_int_equal(stat_field(st1.body, "\"sse_connections\"") -
			 stat_field(st0.body, "\"sse_connections\""), 2);
	/* the second connection asked to resume after 3 */
	assert_non_null(strstr(st1.body, ",3\""));
	fx_free(&f);
}

static void sse_silence_reconnects(void **state)
{
	fx f;
	sse_rec r = {.stop_after_opens = 2};
	stream_callbacks cb = {rec_state, rec_event, &r};
	char u[512];
	stream_opts o = {.silence_ms = 300, .base_ms = 50};
	stream *s;
	int64_t t0;
	result st;

	(void)state;
	fx_init(&f);
	r.f = &f;
	url(u, sizeof(u), "/sse?total=2&silent=1");
	o.url = u;
	s = stream_new(f.ev, f.http, &o, &cb);
	assert_non_null(s);
	t0 = ev_now_ms();
	assert_int_equal(stream_start(s), 0);
	fx_run(&f, 5000);
	assert_false(f.timed_out);
	assert_int_equal(r.opened, 2);
	assert_true(ev_now_ms() - t0 >= 300);
	assert_non_null(strstr(r.reasons, "no data for 300 ms"));
	assert_int_equal(r.n_ids, 2);
	assert_int_equal(r.ids[0], 1);
	assert_int_equal(r.ids[1], 2);
	assert_int_equal(stream_get_state(s), STREAM_OPEN);
	stream_stop(s);
	assert_int_equal(stream_get_state(s), STREAM_IDLE);
	stream_free(s);
	stats(&f, &st);
	assert_non_null(strstr(st.body, ",2\""));  /* resumed after 2 */
	fx_free(&f);
}

static void sse_retry_after_floor(void **state)
{
	fx f;
	sse_rec r = {0};
	stream_callbacks cb = {rec_state, rec_event, &r};
	char u[512];
	stream_opts o = {.silence_ms = 5000, .base_ms = 10};
	stream *s;

	(void)state;
	fx_init(&f);
	r.f = &f;
	url(u, sizeof(u), "/429");
	o.url = u;
	s = stream_new(f.ev, f.http, &o, &cb);
	assert_non_null(s);
	assert_int_equal(stream_start(s), 0);
	while (r.retrying == 0 && !f.timed_out) {
		ev_timer_add(f.ev, 20, stop_cb, f.ev);
		fx_run(&f, 3000);
	}
	assert_int_equal(r.retrying, 1);
	assert_string_equal(r.reasons, "HTTP 429;");
	assert_true(r.last_retry_in >= 2000);
	assert_int_equal(stream_get_state(s), STREAM_RETRYING);
	stream_free(s);
	fx_free(&f);
}

static void tls_case(const char *site, const char *ca, bool insecure,
		     result *res)
{
	fx f;
	http_opts o = {.ca_file = ca, .insecure = insecure};
	char u[512];
	http_request rq = {.method = "GET"};

	memset(&f, 0, sizeof(f));
	f.ev = ev_new();
	assert_non_null(f.ev);
	f.http = http_new(f.ev, &o);
	assert_non_null(f.http);
	snprintf(u, sizeof(u), "%s/json", site);
	rq.url = u;
	memset(res, 0, sizeof(*res));
	res->f = &f;
	res->stop_when_done = 1;
	assert_true(http_send(f.http, &rq, on_done, res) > 0);
	fx_run(&f, 5000);
	assert_int_equal(res->calls, 1);
	fx_free(&f);
}

static void tls_verification(void **state)
{
	result r;

	(void)state;
	if (!tls_base) {
		skip();
		return;
	}
	/* a self-signed server is refused by default, in words */
	tls_case(tls_base, NULL, false, &r);
	assert_int_equal(r.status, 0);
	print_message("# %s\n", r.error);
	assert_memory_equal(r.error, "TLS: ", 5);
	assert_non_null(strstr(r.error, "not signed by a trusted CA"));
	/* trusted through ca_file */
	tls_case(tls_base, tls_ca, false, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"ok\":true}");
	/* or accepted only when explicitly insecure */
	tls_case(tls_base, NULL, true, &r);
	assert_int_equal(r.status, 200);
	/* plain HTTP spoken to a TLS client: a TLS error, not a hang */
	{
		char plain[512];

		snprintf(plain, sizeof(plain), "https%s", base + strlen("http"));
		tls_case(plain, NULL, false, &r);
	}
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.error, "TLS: ", 5);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(get_json_and_304),
		cmocka_unit_test(headers_sent),
		cmocka_unit_test(gzip_body),
		cmocka_unit_test(too_many_requests),
		cmocka_unit_test(body_cap),
		cmocka_unit_test(slow_request_does_not_block),
		cmocka_unit_test(timeout_in_words),
		cmocka_unit_test(connection_refused),
		cmocka_unit_test(cancellation),
		cmocka_unit_test(keep_alive),
		cmocka_unit_test(sse_resume_after_drop),
		cmocka_unit_test(sse_silence_reconnects),
		cmocka_unit_test(sse_retry_after_floor),
		cmocka_unit_test(tls_verification),
	};

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: %s http://127.0.0.1:PORT [https://127.0.0.1:PORT CA.pem]\n",
			argv[0]);
		return 2;
	}
	base = argv[1];
	if (argc == 4) {
		tls_base = argv[2];
		tls_ca = argv[3];
	}
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
