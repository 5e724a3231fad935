/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/fixture.h: what the cache's unit tests share: a private
 * temporary directory per test binary, a fresh in-memory cache, a list
 * page of items saved as sync saves it, breaks made to order, and a look
 * at a file's SQL from outside the cache.
 * Include after <cmocka.h>. */
#ifndef PAYOPS_TESTS_CACHE_FIXTURE_H
#define PAYOPS_TESTS_CACHE_FIXTURE_H

#include <stdint.h>
#include <time.h>

#include "base/ev.h"
#include "cache/cache.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/incr.h"

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

/* A break as the tests describe it; type, status and sev index the api
 * enums' orders (long.., open.., low..). */
typedef struct {
	char id[32], date[16], channel[32], merchant[32];
	int type, status, sev;
	int64_t diff;
	time_t detected, updated;
	int version;
} fixture_break;

/* Break i of a deterministic spread: two dates, 7 channels, every type,
 * status and severity, differences of both signs. */
fixture_break fixture_mk_break(int i);
/* t as the API writes times (RFC 3339, UTC, whole seconds) into out. */
void fixture_time(time_t t, char out[32]);
json_t *fixture_break_json(const fixture_break *b);
/* A list page body of items (taken), next_cursor next or null. */
char *fixture_page_of(json_t **items, size_t n, const char *next);
/* The breaks as one list page through cache_save_page; its return. */
int fixture_save_breaks(cache *c, const fixture_break *b, size_t n);

/* The incremental sync writing to a cache: its loop, an HTTP client (whose
 * base URL reaches nothing), its store, and the cache it was opened on. */
typedef struct {
	ev_loop *ev;
	http_client *http;
	store *s;
	incr *in;
	cache *c;
} fixture_incr;

/* An incr on c (taken: fixture_incr_close closes it); fails the test if
 * any part cannot be made. */
void fixture_incr_open(fixture_incr *f, cache *c);
void fixture_incr_close(fixture_incr *f);

/* The first column of the first row of sql on the file at path (-1 when
 * none), and sql run there; from a connection of the test's own. */
int64_t fixture_sql_int(const char *path, const char *sql);
void fixture_sql_exec(const char *path, const char *sql);

#endif
