/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/breakset.h: the breaks the rowset and reader tests share,
 * on cache files: BREAKSET_NBIG of them indexed (breakset_big), and
 * BREAKSET_NBULK in a bulk load still running (breakset_bulk), made by
 * breakset_setup (a cmocka group setup, with fixture_setup_dir) and closed
 * by breakset_teardown.
 * Include after <cmocka.h>. */
#ifndef PAYOPS_TESTS_CACHE_BREAKSET_H
#define PAYOPS_TESTS_CACHE_BREAKSET_H

#include "cache/cache.h"

#define BREAKSET_NBIG 22000  /* "op." in 20,625 of them: above the 20,000 at
			      * which a trigram is common */
#define BREAKSET_NBULK 6000
#define BREAKSET_NSMALL 3000

extern cache *breakset_big, *breakset_bulk;
int breakset_setup(void **state);
int breakset_teardown(void **state);

/* Break i: ids "brk_<date>_<i>", many ties in every sort's first key
 * (a few thousand detection times, 3000 differences, 7 channels),
 * assignees "op.<name>" but every 16th. */
json_t *breakset_json(int i, int version);
/* Breaks [from, from + n) in pages of 500, in one transaction. */
void breakset_save(cache *c, int from, int n);
/* A new cache file in the test directory. */
cache *breakset_open(void);
/* The cache_break_sort values in words, for messages. */
extern const char *const breakset_sort_names[CACHE_BREAK_SORT_ID + 1];

#endif
