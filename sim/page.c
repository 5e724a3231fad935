/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/page.c - binary search to the cursor, then a filtered scan */
#include "sim/page.h"
#include <string.h>

static size_t upper_bound(const struct sim_world *w, const struct sim_coll *c, const char *after)
{
	size_t lo = 0, hi = c->n;
	char buf[128];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->id(w, mid, buf, sizeof buf), after) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t sim_page(const struct sim_world *w, const struct sim_coll *c, const char *after, size_t limit,
		int64_t since, size_t *out, int *more)
{
	size_t n = 0;
	*more = 0;
	for (size_t i = after && after[0] ? upper_bound(w, c, after) : 0; i < c->n; i++) {
		if (c->match && !c->match(w, i, c->fctx))
			continue;
		if (since != SIM_NO_SINCE && c->updated(w, i) < since)
			continue;
		if (n == limit) {
			*more = 1;
			break;
		}
		out[n++] = i;
	}
	return n;
}
