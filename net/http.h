/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/http.h: asynchronous HTTP over libcurl's multi interface, driven by
 * the event loop (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION), never blocking.
 * One kept-alive connection per site, compressed responses accepted,
 * TLS verification always on unless the caller says insecure. */
#ifndef PAYOPS_NET_HTTP_H
#define PAYOPS_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/ev.h"

typedef struct http_client http_client;

typedef struct {
	const char *ca_file;     /* NULL: system bundle */
	const char *client_cert; /* mutual TLS, PEM; NULL: none */
	const char *client_key;
	bool insecure;           /* only from an explicit command-line flag */
	long connect_timeout_ms; /* default 5000 */
	const char *user_agent;  /* default "payops/VERSION" */
} http_opts;

typedef struct {
	const char *method;          /* "GET" or "POST" */
	const char *url;
	const char *bearer;          /* token: sent, never logged or shown */
	const char *if_none_match;   /* ETag to revalidate, or NULL */
	const char *if_match;        /* "\"<version>\"" for mutations, or NULL */
	const char *idempotency_key; /* mutations */
	const char *request_id;      /* X-Request-Id to send, or NULL */
	const char *last_event_id;   /* SSE resume, or NULL */
	const char *body;            /* JSON body, or NULL */
	size_t body_len;
	long timeout_ms;             /* whole request; 0: none (streams) */
} http_request;

typedef struct {
	int status;           /* HTTP status; 0 when the transfer failed */
	int curl_code;        /* CURLcode, 0 when fine */
	const char *error;    /* transport failure in words ("connection refused"), or "" */
	const char *body;     /* NUL-terminated copy of the body (may be "") */
	size_t body_len;
	const char *etag;     /* or NULL */
	const char *request_id;
	const char *content_type;
	int retry_after_s;    /* -1 when absent */
	bool replayed;        /* Idempotent-Replayed: true */
	double total_ms;
} http_response;

/* Callbacks (done, chunk, open) may call http_send and http_cancel, for
 * their own request too; never http_free. Pointers in http_response are
 * valid only during the callback. */
typedef void (*http_done_fn)(void *ctx, const http_response *r);
/* Streaming: called with each chunk as it arrives (SSE), then done_fn once
 * when the stream ends for any reason. */
typedef void (*http_chunk_fn)(void *ctx, const char *data, size_t len);

http_client *http_new(ev_loop *ev, const http_opts *opts);
void http_free(http_client *c);  /* cancels everything, no callbacks */
/* Free a secret (a bearer token) without leaving it in freed memory;
 * NULL is fine. */
void http_secret_free(char *secret);

/* Start a request; done_fn runs later from the event loop, exactly once,
 * unless cancelled. Returns a handle (> 0) or 0 on immediate failure. */
uint64_t http_send(http_client *c, const http_request *req,
		   http_done_fn done_fn, void *ctx);
uint64_t http_stream(http_client *c, const http_request *req,
		     http_chunk_fn chunk_fn, http_done_fn done_fn, void *ctx);
void http_cancel(http_client *c, uint64_t handle);
size_t http_in_flight(const http_client *c);

/* A stream that also reports its response headers: open_fn runs once, as
 * soon as the final status line and headers are in (r->body is ""), before
 * any chunk. Chunks are delivered only for a 2xx status; any other status
 * collects the body (a problem document) for done_fn instead. */
typedef void (*http_open_fn)(void *ctx, const http_response *r);
uint64_t http_stream_ex(http_client *c, const http_request *req,
			http_open_fn open_fn, http_chunk_fn chunk_fn,
			http_done_fn done_fn, void *ctx);

/* Largest response body kept (default 64 MiB); a larger one fails the
 * transfer with an error saying so. */
void http_set_max_body(http_client *c, size_t max);

#endif
