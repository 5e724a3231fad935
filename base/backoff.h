/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/backoff.h: exponential backoff with full jitter, capped, with the
 * server's Retry-After as a floor. The random source is injectable so tests
 * are deterministic. */
#ifndef PAYOPS_BASE_BACKOFF_H
#define PAYOPS_BASE_BACKOFF_H

#include <stdint.h>

/* Uniform 32-bit random numbers. */
typedef uint32_t (*backoff_rand_fn)(void *ctx);

typedef struct {
	int64_t base_ms;      /* first ceiling */
	int64_t cap_ms;       /* ceilings stop growing here */
	unsigned attempt;     /* failures since the last success */
	backoff_rand_fn rnd;  /* NULL: an internal generator */
	void *rnd_ctx;
	uint64_t state;       /* the internal generator's state */
} backoff;

void backoff_init(backoff *b, int64_t base_ms, int64_t cap_ms,
		  backoff_rand_fn rnd, void *rnd_ctx);
/* The server asked for another base (SSE "retry:"). */
void backoff_set_base(backoff *b, int64_t base_ms);
/* The ceiling for the next attempt: min(cap, base * 2^attempt). */
int64_t backoff_ceiling(const backoff *b);
/* A server's Retry-After is honoured up to this: a platform (or a proxy in
 * front of it) asking for hours or for INT_MAX seconds must not silence a
 * console for that long. */
#define BACKOFF_RETRY_AFTER_MAX_MS (300 * 1000)

/* Delay before the next attempt: uniform in [0, ceiling], then raised to
 * retry_after_s seconds when that is >= 0 (Retry-After wins, even above
 * the cap, up to BACKOFF_RETRY_AFTER_MAX_MS). Counts one more attempt. */
int64_t backoff_next(backoff *b, int retry_after_s);
void backoff_reset(backoff *b);   /* after a success */

#endif
