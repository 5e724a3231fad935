/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/incr.h: incremental sync of the big collections (onboarding cases,
 * breaks, limits) into the cache, on the event loop through net/http.h.
 *
 * - The first sync walks the whole list with cursors (limit=500); every
 *   page is written to the cache in its own transaction together with the
 *   cursor, so a console that quits half way resumes where it stopped.
 * - Later polls ask ?updated_since=<high-water minus an overlap> and merge
 *   what changed. The high-water is the platform's clock, never ours: the
 *   server_time of /v1/status when a full walk began, or the newest
 *   updated_at of an incremental walk: of all its pages when it took
 *   less than the overlap, else of its first page (a lower bound of when
 *   that walk began), so nothing changed behind it is missed. The
 *   overlap absorbs same-second updates.
 * - The first page of an incremental poll is a conditional GET: while
 *   nothing changed its URL and ETag stay the same and the platform
 *   answers 304 (an idle poll costs one 304 per collection).
 * - Deletions: updated_since cannot report an object that disappeared, so
 *   a full walk runs at a slower interval (default every 15 minutes) and
 *   sweeps the rows it did not see (mark and sweep: cache_walk_begin/end).
 *   A deleted object thus lingers at most that long; objects in this
 *   contract are rarely deleted (breaks are resolved or written off, not
 *   removed), so a cheap poll beats a walk of a million rows each time.
 * - Errors keep the cached data, are recorded with store_mark_error and
 *   retried with backoff (honouring Retry-After); completion bumps the
 *   collection's generation in the store so panes recalculate.
 */
#ifndef PAYOPS_SYNC_INCR_H
#define PAYOPS_SYNC_INCR_H

#include <stdbool.h>
#include <stddef.h>
#include "cache/cache.h"
#include "net/http.h"
#include "store/store.h"
#include "base/ev.h"

typedef struct incr incr;

typedef struct {
	const char *base_url; /* the site to read from, without /v1 */
	const char *token;    /* bearer; copied, kept in memory only */
	int poll_ms;          /* incremental polls; default 10000 */
	int full_ms;          /* full walks (deletions); default 900000 */
	int overlap_s;        /* updated_since overlap; default 5 */
	int page_limit;       /* 1..500; default 500 */
	long timeout_ms;      /* per request; default 10000 */
	unsigned kinds;       /* 1u << API_KIND_CASE | ...; 0: cases, breaks, limits */
} incr_opts;

typedef struct {
	unsigned long requests;     /* HTTP requests sent */
	unsigned long not_modified; /* 304s */
	unsigned long pages;        /* 200 list pages saved */
	unsigned long items;        /* objects saved from pages */
	unsigned long rejected;     /* objects refused by validation */
	unsigned long events;       /* SSE events applied */
	unsigned long full_walks;   /* completed full walks */
	unsigned long delta_walks;  /* completed incremental polls (304 or 200) */
	unsigned long deleted;      /* rows swept by full walks */
	unsigned long errors;       /* failed requests or saves */
} incr_stats;

incr *incr_new(ev_loop *ev, http_client *http, store *st, cache *c,
	       const incr_opts *opts);
void incr_free(incr *in);
void incr_start(incr *in);

/* Called from the loop whenever a collection changed or failed. */
void incr_set_listener(incr *in, void (*changed)(void *ctx), void *ctx);

/* Read from another site from now on (sync failed over). */
int incr_set_base_url(incr *in, const char *base_url);
/* Poll every collection now (refresh key, stream reconnect, SSE reset),
 * resetting backoff. */
void incr_refresh_now(incr *in);
/* The wait between polls from now on (the event stream opened, bringing
 * every change, or closed). */
void incr_set_poll_ms(incr *in, int poll_ms);
/* Start a full walk of every collection now (the next poll). */
void incr_full_now(incr *in);

/* Apply a `case`, `break` or `limit` SSE event (the whole object, parsed,
 * and its text as it came or NULL): 0 taken (written with the rest of its
 * burst a few milliseconds later, unless older than the cached copy), 1
 * not a type this module handles, -1 refused (recorded on the collection
 * with store_mark_error). */
int incr_apply_event(incr *in, const char *type, const json_t *obj, const char *json,
		     size_t len);
/* Write the events taken so far now (their timer does it on its own). */
void incr_flush_events(incr *in);

void incr_get_stats(const incr *in, incr_stats *out);
/* Completed walks (full or incremental) of one kind so far. */
unsigned long incr_cycles(const incr *in, api_kind kind);
/* True while some collection has a request in flight. */
bool incr_busy(const incr *in);

#endif
