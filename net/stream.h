/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/stream.h: the platform's event stream (GET /v1/events) as a client
 * that stays connected: it resumes with Last-Event-ID, reconnects with
 * backoff (the server's "retry:" is the base, Retry-After a floor), and
 * treats a silent connection (no byte, pings included, for 45 s) as dead. */
#ifndef PAYOPS_NET_STREAM_H
#define PAYOPS_NET_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include "base/backoff.h"
#include "net/http.h"
#include "net/sse.h"
#include "base/ev.h"

typedef enum {
	STREAM_IDLE,        /* not started, or stopped */
	STREAM_CONNECTING,
	STREAM_OPEN,        /* 2xx text/event-stream, events flowing */
	STREAM_RETRYING,    /* waiting to reconnect; reason says why */
} stream_state;

typedef struct {
	/* reason: "" for connecting/open; for retrying the failure in words
	 * ("connection refused", "HTTP 503", "no data for 45 s", ...);
	 * retry_in_ms: the wait before the next attempt (retrying only). */
	void (*on_state)(void *ctx, stream_state st, const char *reason,
			 int64_t retry_in_ms);
	/* every event, "reset" included (the caller then refetches by REST) */
	void (*on_event)(void *ctx, const sse_event *ev);
	void *ctx;
} stream_callbacks;

typedef struct {
	const char *url;            /* ".../v1/events" */
	const char *bearer;
	const char *last_event_id;  /* resume point from a previous run, or NULL */
	int64_t silence_ms;         /* default 45000 */
	int64_t base_ms;            /* default 1000, until the server says retry: */
	int64_t cap_ms;             /* default 30000 */
	size_t max_event;           /* default 1 MiB */
	backoff_rand_fn rnd;        /* NULL: internal */
	void *rnd_ctx;
} stream_opts;

typedef struct stream stream;

/* The callbacks may call stream_stop, never stream_free. */
stream *stream_new(ev_loop *ev, http_client *http, const stream_opts *opts,
		   const stream_callbacks *cb);
void stream_free(stream *s);
int stream_start(stream *s);   /* connect now */
void stream_stop(stream *s);   /* disconnect, no reconnect, state IDLE */
stream_state stream_get_state(const stream *s);
const char *stream_last_id(const stream *s);
const char *stream_state_name(stream_state st);
unsigned stream_connects(const stream *s);  /* attempts so far */

#endif
