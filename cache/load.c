/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/load.c: the last known small collections into the store at
 * start-up, so the first screen paints at once, marked cached with its age. */
#include "cache/cache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*decode_fn)(const json_t *, void *, api_err *);
typedef void (*free_fn)(void *);

static int dec_channel(const json_t *j, void *o, api_err *e) { return api_decode_channel(j, o, e); }
static int dec_route(const json_t *j, void *o, api_err *e) { return api_decode_route(j, o, e); }
static int dec_alert(const json_t *j, void *o, api_err *e) { return api_decode_alert(j, o, e); }
static void free_channel(void *o) { api_channel_free(o); }
static void free_route(void *o) { api_route_free(o); }
static void free_alert(void *o) { api_alert_free(o); }

/* Every cached row of a kind, decoded, in a malloc'd array. */
static int load_rows(cache *c, api_kind kind, size_t size, decode_fn dec, free_fn fr,
		     void **items, size_t *n)
{
	char sql[96];
	sqlite3_stmt *st = NULL;
	*items = NULL;
	*n = 0;
	snprintf(sql, sizeof sql, "SELECT json FROM %s ORDER BY id", cache_table(kind));
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "load");
	size_t cap = 0;
	int rc;
	char *arr = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			char *g = realloc(arr, nc * size);
			if (!g) {
				rc = SQLITE_NOMEM;
				break;
			}
			arr = g;
			cap = nc;
		}
		void *it = arr + *n * size;
		memset(it, 0, size);
		const char *txt = (const char *)sqlite3_column_text(st, 0);
		json_t *root = NULL;
		api_err err = {{0}};
		if (!txt || api_parse(txt, (size_t)sqlite3_column_bytes(st, 0), &root, &err) != 0 ||
		    dec(root, it, &err) != 0) {
			json_decref(root);
			continue; /* a row that no longer decodes is dropped */
		}
		json_decref(root);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			fr(arr + i * size);
		free(arr);
		*n = 0;
		return rc == SQLITE_NOMEM ? -1 : cache_fail(c, "load");
	}
	*items = arr;
	return 0;
}

int cache_load_small(cache *c, store *st)
{
	static const struct {
		api_kind kind;
		store_coll coll;
		size_t size;
		decode_fn dec;
		free_fn fr;
	} kinds[] = {
		{ API_KIND_CHANNEL, STORE_CHANNELS, sizeof(api_channel), dec_channel, free_channel },
		{ API_KIND_ROUTE, STORE_ROUTES, sizeof(api_route), dec_route, free_route },
		{ API_KIND_ALERT, STORE_ALERTS, sizeof(api_alert), dec_alert, free_alert },
	};
	int loaded = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		cache_sync_state s;
		if (cache_get_state(c, kinds[k].kind, &s) != 0)
			return -1;
		if (!s.fetched_at)
			continue; /* never fetched: nothing to show yet */
		void *items;
		size_t n;
		if (load_rows(c, kinds[k].kind, kinds[k].size, kinds[k].dec, kinds[k].fr,
			      &items, &n) != 0)
			return -1;
		switch (kinds[k].kind) {
		case API_KIND_CHANNEL:
			store_channels_replace(st, items, n, NULL, 0, s.fetched_at);
			break;
		case API_KIND_ROUTE:
			store_routes_replace(st, items, n, NULL, 0, s.fetched_at);
			break;
		default:
			/* only the platform's own alerts are cached */
			store_alerts_replace_source(st, "platform", items, n, s.fetched_at);
			break;
		}
		store_mark_fetched(st, kinds[k].coll, s.fetched_at, true);
		loaded++;
	}
	/* the big collections stay in the cache; the store only learns their
	 * age so the status line treats them alike */
	static const struct { api_kind kind; store_coll coll; } big[] = {
		{ API_KIND_CASE, STORE_CASES }, { API_KIND_BREAK, STORE_BREAKS },
		{ API_KIND_LIMIT, STORE_LIMITS },
	};
	for (size_t k = 0; k < 3; k++) {
		cache_sync_state s;
		if (cache_get_state(c, big[k].kind, &s) != 0)
			return -1;
		if (s.fetched_at) {
			store_mark_fetched(st, big[k].coll, s.fetched_at, true);
			loaded++;
		}
	}
	return loaded;
}
