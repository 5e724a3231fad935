/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/stream.c: an SSE client that stays connected. One http_stream at a
 * time; the parser survives reconnects so the last id is the resume point;
 * a timer watches for silence. */
#include "net/stream.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct stream {
	ev_loop *ev;
	http_client *http;
	stream_callbacks cb;
	char *url, *bearer;
	int64_t silence_ms;
	backoff bo;
	sse_parser *sse;
	stream_state state;
	uint64_t handle;
	ev_timer_id silence_timer, retry_timer;
	int64_t last_rx;
	unsigned connects;
	bool stopping;
};

static void connect_now(stream *s);

const char *stream_state_name(stream_state st)
{
	switch (st) {
	case STREAM_IDLE: return "idle";
	case STREAM_CONNECTING: return "connecting";
	case STREAM_OPEN: return "open";
	case STREAM_RETRYING: return "retrying";
	}
	return "unknown";
}

static void set_state(stream *s, stream_state st, const char *reason,
		      int64_t retry_in_ms)
{
	s->state = st;
	if (s->cb.on_state)
		s->cb.on_state(s->cb.ctx, st, reason ? reason : "", retry_in_ms);
}

static void on_retry_due(void *ctx)
{
	stream *s = ctx;

	s->retry_timer = 0;
	connect_now(s);
}

static void disarm(stream *s)
{
	if (s->silence_timer) {
		ev_timer_cancel(s->ev, s->silence_timer);
		s->silence_timer = 0;
	}
	if (s->retry_timer) {
		ev_timer_cancel(s->ev, s->retry_timer);
		s->retry_timer = 0;
	}
	if (s->handle) {
		uint64_t h = s->handle;

		s->handle = 0;
		http_cancel(s->http, h);
	}
}

/* The connection is gone or given up: wait, then connect again. */
static void retry_later(stream *s, const char *reason, int retry_after_s)
{
	int64_t delay;

	disarm(s);
	delay = backoff_next(&s->bo, retry_after_s);
	s->retry_timer = ev_timer_add(s->ev, delay, on_retry_due, s);
	set_state(s, STREAM_RETRYING, reason, delay);
}

static void on_silence(void *ctx)
{
	stream *s = ctx;
	int64_t quiet = ev_now_ms() - s->last_rx;
	char reason[64];

	s->silence_timer = 0;
	if (quiet < s->silence_ms) {
		s->silence_timer = ev_timer_add(s->ev, s->silence_ms - quiet,
						on_silence, s);
		return;
	}
	if (s->silence_ms % 1000 == 0)
		snprintf(reason, sizeof(reason), "no data for %lld s",
			 (long long)(s->silence_ms / 1000));
	else
		snprintf(reason, sizeof(reason), "no data for %lld ms",
			 (long long)s->silence_ms);
	retry_later(s, reason, -1);
}

static void on_open(void *ctx, const http_response *r)
{
	stream *s = ctx;

	s->last_rx = ev_now_ms();
	if (r->status < 200 || r->status > 299)
		return; /* done_fn reports it, with the body */
	if (!r->content_type ||
	    strncasecmp(r->content_type, "text/event-stream", 17) != 0) {
		/* cancelling is safe here; the retry is set up from a timer */
		retry_later(s, "not an event stream", -1);
		return;
	}
	set_state(s, STREAM_OPEN, "", 0);
}

static void on_chunk(void *ctx, const char *data, size_t len)
{
	stream *s = ctx;

	s->last_rx = ev_now_ms();
	sse_feed(s->sse, data, len);
}

static void on_done(void *ctx, const http_response *r)
{
	stream *s = ctx;
	char reason[256];

	s->handle = 0;
	if (r->error && r->error[0])
		snprintf(reason, sizeof(reason), "%s", r->error);
	else if (r->status >= 200 && r->status < 300)
		snprintf(reason, sizeof(reason), "server closed the stream");
	else
		snprintf(reason, sizeof(reason), "HTTP %d", r->status);
	retry_later(s, reason, r->retry_after_s);
}

static void sse_event_cb(void *ctx, const sse_event *ev)
{
	stream *s = ctx;

	if (s->state != STREAM_OPEN)
		return; /* stopped or abandoned in the middle of a chunk */
	backoff_reset(&s->bo); /* an event means the connection works */
	if (s->cb.on_event)
		s->cb.on_event(s->cb.ctx, ev);
}

static void sse_retry_cb(void *ctx, long ms)
{
	stream *s = ctx;

	backoff_set_base(&s->bo, ms);
}

static void connect_now(stream *s)
{
	http_request req = {
		.method = "GET",
		.url = s->url,
		.bearer = s->bearer,
		.timeout_ms = 0,
	};
	const char *id = sse_last_id(s->sse);

	disarm(s);
	sse_reset(s->sse);
	if (id[0])
		req.last_event_id = id;
	s->connects++;
	set_state(s, STREAM_CONNECTING, "", 0);
	s->last_rx = ev_now_ms();
	s->handle = http_stream_ex(s->http, &req, on_open, on_chunk, on_done, s);
	if (!s->handle) {
		retry_later(s, "could not start the request", -1);
		return;
	}
	s->silence_timer = ev_timer_add(s->ev, s->silence_ms, on_silence, s);
}

stream *stream_new(ev_loop *ev, http_client *http, const stream_opts *opts,
		   const stream_callbacks *cb)
{
	stream *s;
	sse_callbacks scb = {.on_event = sse_event_cb, .on_retry = sse_retry_cb};

	if (!ev || !http || !opts || !opts->url || !cb)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ev = ev;
	s->http = http;
	s->cb = *cb;
	s->silence_ms = opts->silence_ms > 0 ? opts->silence_ms : 45000;
	backoff_init(&s->bo, opts->base_ms > 0 ? opts->base_ms : 1000,
		     opts->cap_ms > 0 ? opts->cap_ms : 30000, opts->rnd, opts->rnd_ctx);
	scb.ctx = s;
	s->sse = sse_new(&scb, opts->max_event ? opts->max_event : 1024 * 1024);
	s->url = strdup(opts->url);
	s->bearer = opts->bearer ? strdup(opts->bearer) : NULL;
	if (!s->sse || !s->url || (opts->bearer && !s->bearer)) {
		stream_free(s);
		return NULL;
	}
	if (opts->last_event_id && opts->last_event_id[0]) {
		/* prime the parser's resume point with a synthetic id line */
		char line[512];
		int n = snprintf(line, sizeof(line), "id: %s\n\n", opts->last_event_id);

		if (n > 0 && (size_t)n < sizeof(line) && !strpbrk(opts->last_event_id, "\r\n"))
			sse_feed(s->sse, line, (size_t)n);
	}
	return s;
}

void stream_free(stream *s)
{
	if (!s)
		return;
	disarm(s);
	sse_free(s->sse);
	free(s->url);
	http_secret_free(s->bearer);
	free(s);
}

int stream_start(stream *s)
{
	if (s->state != STREAM_IDLE)
		return 0;
	connect_now(s);
	return s->state == STREAM_IDLE ? -1 : 0;
}

void stream_stop(stream *s)
{
	disarm(s);
	if (s->state != STREAM_IDLE)
		set_state(s, STREAM_IDLE, "stopped", 0);
}

stream_state stream_get_state(const stream *s)
{
	return s->state;
}

const char *stream_last_id(const stream *s)
{
	return sse_last_id(s->sse);
}

unsigned stream_connects(const stream *s)
{
	return s->connects;
}
