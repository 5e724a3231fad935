/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/page.h - cursor paging over a collection sorted by id */
#ifndef SIM_PAGE_H
#define SIM_PAGE_H
#include <stddef.h>
#include <stdint.h>
#include "sim/world.h"

struct sim_coll {
	size_t n;
	const char *(*id)(const struct sim_world *, size_t, char *, size_t);
	int64_t (*updated)(const struct sim_world *, size_t);
	int (*match)(const struct sim_world *, size_t, const void *);
	const void *fctx;
};

#define SIM_NO_SINCE INT64_MIN

/* Fill out[] with the indexes of up to `limit` matching items whose id sorts
 * after `after` ("" = from the start) and that changed at or after `since`.
 * Returns how many; *more says whether another matching item follows. */
size_t sim_page(const struct sim_world *w, const struct sim_coll *c, const char *after, size_t limit,
		int64_t since, size_t *out, int *more);

#endif
