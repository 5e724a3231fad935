/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/sse.h: incremental Server-Sent Events parser (the WHATWG rules):
 * an event may be split anywhere across chunks; multi-line data joined with
 * "\n"; comments (": ping") reported; retry; id kept across events; a line
 * ends in LF, CRLF or CR (also split across chunks). No allocation per byte. */
#ifndef PAYOPS_NET_SSE_H
#define PAYOPS_NET_SSE_H

#include <stddef.h>

typedef struct {
	const char *id;     /* the last event id seen (persists), "" if none */
	const char *event;  /* "message" when absent */
	const char *data;   /* joined data lines, NUL-terminated */
	size_t data_len;
} sse_event;

typedef struct {
	void (*on_event)(void *ctx, const sse_event *ev);
	void (*on_comment)(void *ctx, const char *text); /* may be NULL */
	void (*on_retry)(void *ctx, long ms);            /* may be NULL */
	void *ctx;
} sse_callbacks;

typedef struct sse_parser sse_parser;

/* max_event: an event larger than this is dropped (counted) and parsing
 * resyncs at the next blank line. */
sse_parser *sse_new(const sse_callbacks *cb, size_t max_event);
void sse_free(sse_parser *p);
void sse_feed(sse_parser *p, const char *buf, size_t len);
void sse_reset(sse_parser *p);        /* new connection: drop partial event */
const char *sse_last_id(const sse_parser *p);
size_t sse_dropped(const sse_parser *p);

#endif
