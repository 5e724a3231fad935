/* SPDX-License-Identifier: ISC (see COPYING) */
/* store/store.h: the console's in-memory model of the platform.
 *
 * Sources (sync/) put decoded objects in; views read them out. Nothing here
 * does I/O. Each collection carries a generation that bumps on every change,
 * so a view recalculates only when the generation it last saw has moved
 * (neomutt's recalc/repaint split), plus the time its data was fetched and
 * the last error, so the screen can say how stale it is and what failed.
 *
 * Channels, routes and alerts are small and live here in sorted arrays.
 * The big collections (cases, breaks, limits) are meant to be paged views
 * over the SQLite cache (cache/); the store only keeps their metadata
 * (generation, fetch time, error) so the status bar treats them alike.
 */
#ifndef PAYOPS_STORE_H
#define PAYOPS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "api/model.h"

typedef enum {
	STORE_STATUS, STORE_ME, STORE_CHANNELS, STORE_ROUTES, STORE_ALERTS,
	STORE_CASES, STORE_BREAKS, STORE_LIMITS, STORE_RECON_SUMMARY,
	STORE_APPROVALS,
	STORE__N
} store_coll;

typedef struct {
	uint64_t gen;         /* bumps on every change to the collection */
	time_t fetched_at;    /* wall clock of the last good data; 0: never */
	bool from_cache;      /* what is shown came from the cache, not the wire */
	char error[256];      /* last failure in words ("" when the last try was good) */
	time_t error_at;
} store_meta;

typedef struct store store;

store *store_new(void);
void store_free(store *s);

const store_meta *store_meta_get(const store *s, store_coll c);
/* Data arrived (even when unchanged: a 304 refreshes the age). The age
 * alone does not move the generation. */
void store_mark_fetched(store *s, store_coll c, time_t now, bool from_cache);
/* The collection's data changed where the store does not hold it (the
 * cache behind cases, breaks, limits, the recon summary): views recalc. */
void store_touch(store *s, store_coll c);
/* A fetch or decode failed; the data stays as it was. msg is plain text
 * (it may quote server text: the screen sanitises it). */
void store_mark_error(store *s, store_coll c, time_t now, const char *msg);
void store_clear_error(store *s, store_coll c);
/* Sum of all generations: one number a view can watch for "anything changed". */
uint64_t store_gen_total(const store *s);

/* ---- who am I ---- */
void store_set_status(store *s, api_status *st);  /* takes ownership */
const api_status *store_status(const store *s);   /* NULL until known */
void store_set_me(store *s, api_me *me);          /* takes ownership */
const api_me *store_me(const store *s);           /* NULL until known */

/* ---- channels (sorted by id) ---- */
size_t store_channel_count(const store *s);
const api_channel *store_channel_at(const store *s, size_t i);
const api_channel *store_channel_find(const store *s, const char *id);
/* Replace the whole set with a complete list (takes ownership of items and
 * of the array; frees it). Ids in keep_ids (items the decoder rejected) keep
 * their previous copy instead of vanishing. Unchanged objects (same version
 * and same content) do not bump the generation. */
void store_channels_replace(store *s, api_channel *items, size_t n,
			    char *const *keep_ids, size_t n_keep, time_t now);
/* Insert or update one (an SSE event, an action's response); takes
 * ownership of *ch's members and zeroes it. Ignores an older version. */
void store_channel_upsert(store *s, api_channel *ch, time_t now);
/* When the channel last changed in a way worth marking (admin state,
 * health, breaker, interfaces), 0 if never: views show a "just changed"
 * marker for a few seconds. */
time_t store_channel_changed_at(const store *s, const char *id);
/* The same for the channel at index i (no search: views ask it of every
 * channel each second). */
time_t store_channel_changed_at_index(const store *s, size_t i);
/* A stamp of the channel at index i, 0 when out of range: taken from one
 * counter of the store, so it differs between channels, and it moves
 * whenever anything the console shows of that channel moves (its fields,
 * its trend). A view compares it with the stamp it drew to skip the rows
 * that did not change. */
uint64_t store_channel_stamp_at(const store *s, size_t i);

/* Trends per channel: a ring of up to STORE_TREND_POINTS points, oldest
 * first. Seeded from /history, then one point per accepted update. */
#define STORE_TREND_POINTS 120
void store_trend_seed(store *s, const api_history *h);
size_t store_trend(const store *s, const char *channel_id,
		   double *ssr, double *p95, double *tps, size_t max);
bool store_trend_seeded(const store *s, const char *channel_id);

/* ---- routes (sorted by id) ---- */
size_t store_route_count(const store *s);
const api_route *store_route_at(const store *s, size_t i);
const api_route *store_route_find(const store *s, const char *id);
void store_routes_replace(store *s, api_route *items, size_t n,
			  char *const *keep_ids, size_t n_keep, time_t now);
void store_route_upsert(store *s, api_route *r, time_t now);

/* ---- alerts (platform and Alertmanager, deduplicated by fingerprint;
 * firing first, then by severity, then newest) ---- */
size_t store_alert_count(const store *s);
const api_alert *store_alert_at(const store *s, size_t i);
/* Replace every alert of one source ("platform" or an Alertmanager name). */
void store_alerts_replace_source(store *s, const char *source,
				 api_alert *items, size_t n, time_t now);
void store_alert_upsert(store *s, api_alert *a, time_t now);
/* Firing alerts by severity (index by api_alert_severity). */
void store_alert_counts(const store *s, size_t counts[AS_UNKNOWN + 1]);

/* ---- approvals (four eyes; sorted by id) ---- */
size_t store_approval_count(const store *s);
const api_approval *store_approval_at(const store *s, size_t i);
const api_approval *store_approval_find(const store *s, const char *id);
/* Replace the whole set with a complete list (GET /v1/approvals?state=all);
 * ownership as store_channels_replace. */
void store_approvals_replace(store *s, api_approval *items, size_t n,
			     char *const *keep_ids, size_t n_keep, time_t now);
/* One approval (an `approval` event, a decision's answer); an older
 * version than the one held is ignored. Takes *a's members and zeroes it. */
void store_approval_upsert(store *s, api_approval *a, time_t now);

#endif
