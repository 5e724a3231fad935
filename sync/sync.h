/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/sync.h: keeps the store in step with the platform.
 *
 * For each configured site it polls the REST endpoints with conditional GETs
 * (If-None-Match; a 304 only refreshes the data's age), follows list cursors,
 * decodes and validates every body (a bad body never replaces good data: the
 * error is recorded on the collection), listens to the SSE stream for changes
 * between polls, backs off with jitter on errors (honouring Retry-After) and
 * recovers by itself. Everything runs on the event loop through net/http.h:
 * nothing here ever blocks.
 */
#ifndef PAYOPS_SYNC_H
#define PAYOPS_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "cache/cache.h"
#include "config/config.h"
#include "net/http.h"
#include "store/store.h"
#include "base/ev.h"

typedef enum {
	SITE_CONNECTING,   /* no answer yet */
	SITE_UP,           /* the last request answered */
	SITE_FAILING,      /* the last request(s) failed; retrying with backoff */
} sync_site_state;

typedef struct {
	const char *name;
	const char *url;
	sync_site_state state;
	char error[256];     /* what failed, in words ("GET /v1/channels: connection refused") */
	time_t last_ok;      /* wall clock of the last good answer; 0 never */
	int failures;        /* consecutive */
	bool stream_open;    /* the SSE stream is connected */
	int64_t last_event_id;
} sync_site_info;

typedef struct syncer syncer;

/* token: the bearer token (kept in memory only, never logged). */
syncer *sync_new(ev_loop *ev, http_client *http, store *st,
	       const cfg_config *cfg, const char *token);
void sync_free(syncer *s);
void sync_start(syncer *s);
/* Keep the queues' headlines in the cache every 5 minutes once the queues
 * are synced (the console; a script keeps its own sample when it means
 * to). Off by default. */
void sync_keep_headlines(syncer *s, bool on);
/* How many minutes of /history a channel's trend is seeded with (default
 * 60, what the console draws; at most STORE_TREND_POINTS, one a minute). */
void sync_history_minutes(syncer *s, int minutes);

/* Called (from the loop) whenever the store or a site's state changed, so
 * the app can mark a redraw. */
void sync_set_listener(syncer *s, void (*changed)(void *ctx), void *ctx);

size_t sync_site_count(const syncer *s);
const sync_site_info *sync_site(const syncer *s, size_t i);
size_t sync_active_site(const syncer *s);  /* the site being read from */

/* The last failover or failback in words ("failed over from sh-a to sh-b:
 * GET /v1/channels: connection refused"), "" if none; *at when it happened. */
const char *sync_notice(const syncer *s, time_t *at);
/* Base URL of the site reads and actions go to now. */
const char *sync_active_url(const syncer *s);

/* Called for every event taken from the stream (reset included), after it
 * was applied: for tests and the benchmark. */
void sync_set_event_hook(syncer *s, void (*fn)(void *ctx, const char *id,
					       const char *type), void *ctx);

/* The SQLite cache of this platform (the big panes query it), or NULL when
 * none could be opened (then sync_notice says why). */
cache *sync_cache(const syncer *s);

/* Poll everything now (the refresh key), resetting any backoff. */
void sync_refresh_now(syncer *s);
/* Make sure this channel's /history has been fetched (detail pane). */
void sync_want_history(syncer *s, const char *channel_id);
/* How many HTTP requests and how many 304s so far (status line, bench). */
void sync_counters(const syncer *s, unsigned long *requests,
		   unsigned long *not_modified, unsigned long *events);

#endif
