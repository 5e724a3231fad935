/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/sse.c: the SSE parser on arbitrary bytes. Besides the sanitizers'
 * checks it compares two runs: the whole input in one feed, and the same
 * input cut into chunks whose sizes come from the input itself. Any
 * difference in the events, comments, retries, last id or drop count means
 * the parser depends on where the network happened to split the stream. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/sse.h"

typedef struct {
	uint64_t h;  /* FNV-1a over everything reported, in order */
	size_t n;
} digest;

static void mix(digest *d, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++) {
		d->h ^= b[i];
		d->h *= 0x100000001b3ULL;
	}
	d->n++;
}

static void on_event(void *ctx, const sse_event *ev)
{
	digest *d = ctx;

	if (strlen(ev->data) > ev->data_len)
		abort();
	mix(d, "E", 1);
	mix(d, ev->id, strlen(ev->id) + 1);
	mix(d, ev->event, strlen(ev->event) + 1);
	mix(d, ev->data, ev->data_len);
}

static void on_comment(void *ctx, const char *text)
{
	mix(ctx, "C", 1);
	mix(ctx, text, strlen(text) + 1);
}

static void on_retry(void *ctx, long ms)
{
	if (ms < 0)
		abort();
	mix(ctx, "R", 1);
	mix(ctx, &ms, sizeof(ms));
}

static void run(const uint8_t *data, size_t size, const uint8_t *cuts,
		size_t n_cuts, digest *d, size_t *dropped, char *last, size_t last_len)
{
	sse_callbacks cb = {on_event, on_comment, on_retry, d};
	sse_parser *p = sse_new(&cb, 256);
	size_t off = 0, k = 0;

	if (!p)
		abort();
	d->h = 0xcbf29ce484222325ULL;
	d->n = 0;
	while (off < size) {
		size_t len = n_cuts ? (size_t)cuts[k++ % n_cuts] % 17 + 1 : size;

		if (len > size - off)
			len = size - off;
		sse_feed(p, (const char *)data + off, len);
		off += len;
	}
	*dropped = sse_dropped(p);
	snprintf(last, last_len, "%s", sse_last_id(p));
	sse_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	digest a, b;
	size_t da, db;
	char la[300], lb[300];
	size_t n_cuts = size > 8 ? 8 : size;

	run(data, size, NULL, 0, &a, &da, la, sizeof(la));
	run(data, size, data, n_cuts, &b, &db, lb, sizeof(lb));
	if (a.h != b.h || a.n != b.n || da != db || strcmp(la, lb) != 0)
		abort();
	return 0;
}
