/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/backoff.c: exponential backoff with full jitter ("sleep = random
 * between 0 and min(cap, base * 2^n)"): spreads reconnecting consoles over
 * the whole window so a recovering site is not hit by all of them at once. */
#include "base/backoff.h"

#include <stddef.h>
#include <time.h>
#include <unistd.h>

/* splitmix64: enough to spread retries, seeded per object */
static uint32_t internal_rand(void *ctx)
{
	backoff *b = ctx;
	uint64_t z = (b->state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

void backoff_init(backoff *b, int64_t base_ms, int64_t cap_ms,
		  backoff_rand_fn rnd, void *rnd_ctx)
{
	struct timespec ts;

	b->base_ms = base_ms > 0 ? base_ms : 1;
	b->cap_ms = cap_ms >= b->base_ms ? cap_ms : b->base_ms;
	b->attempt = 0;
	b->rnd = rnd;
	b->rnd_ctx = rnd_ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	b->state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
		   ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)b;
}

void backoff_set_base(backoff *b, int64_t base_ms)
{
	if (base_ms <= 0)
		return;
	b->base_ms = base_ms;
	if (b->cap_ms < base_ms)
		b->cap_ms = base_ms;
}

int64_t backoff_ceiling(const backoff *b)
{
	int64_t c = b->base_ms;

	for (unsigned i = 0; i < b->attempt && c < b->cap_ms; i++)
		c *= 2;
	return c < b->cap_ms ? c : b->cap_ms;
}

int64_t backoff_next(backoff *b, int retry_after_s)
{
	int64_t ceiling = backoff_ceiling(b);
	uint32_t r = b->rnd ? b->rnd(b->rnd_ctx) : internal_rand(b);
	/* uniform in [0, ceiling] without modulo bias worth mentioning */
	int64_t d = (int64_t)(((uint64_t)r * (uint64_t)(ceiling + 1)) >> 32);

	if (b->attempt < 64)
		b->attempt++;
	if (retry_after_s >= 0) {
		int64_t ra = (int64_t)retry_after_s * 1000;
		if (ra > BACKOFF_RETRY_AFTER_MAX_MS)
			ra = BACKOFF_RETRY_AFTER_MAX_MS;
		if (ra > d)
			d = ra;
	}
	return d;
}

void backoff_reset(backoff *b)
{
	b->attempt = 0;
}
