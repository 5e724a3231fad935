/* tests/cache/fixture.h: what the cache's unit tests share: a private
 * temporary directory per test binary, a fresh in-memory cache, and a
 * list page of items saved as sync saves it.
 * Include after <cmocka.h>. */
#ifndef PAYOPS_TESTS_CACHE_FIXTURE_H
#define PAYOPS_TESTS_CACHE_FIXTURE_H

#include "cache/cache.h"

/* The directory made by fixture_setup_dir (cmocka group setup), removed
 * with everything in it by fixture_teardown_dir. */
extern char fixture_dir[256];
int fixture_setup_dir(void **state);
int fixture_teardown_dir(void **state);

/* A new cache on ":memory:"; fails the test if it does not open cleanly. */
cache *fixture_mem_cache(void);

/* Save items (a JSON array, taken) as one list page of kind with
 * cache_save_page; fails the test when the page is refused. Returns how
 * many items the cache rejected. */
size_t fixture_save_items(cache *c, api_kind kind, json_t *items);

#endif
