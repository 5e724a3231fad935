/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/incr_int.h: the incremental sync's parts, shared by its files only:
 * incr.c        the jobs, their walks, pages and batches, and the API
 * incr_build.c  the index build after a bulk load, off the loop
 * Not part of the API (sync/incr.h). */
#ifndef PAYOPS_SYNC_INCR_INT_H
#define PAYOPS_SYNC_INCR_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "api/decode.h"
#include "base/backoff.h"
#include "base/vec.h"
#include "sync/incr.h"

/* PH_BUILD: the walk is done and the indexes its bulk load dropped are
 * being built (cache_bulk_build_start); the walk counts as complete when
 * they are. */
typedef enum { PH_IDLE, PH_STATUS, PH_FULL, PH_DELTA, PH_BUILD } phase;

typedef struct incr_job {
	struct incr *in;
	api_kind kind;
	store_coll coll;
	const char *name;
	const char *path;
	bool enabled;
	phase ph;
	ev_timer_id timer;
	uint64_t inflight;
	char cursor[512];       /* next page of the walk in progress ("" first) */
	time_t walk_start;      /* full walk: server time it began; 0 unknown */
	time_t since;           /* delta walk: the updated_since asked */
	time_t page1_max;       /* newest updated_at on the walk's first page */
	time_t walk_max;        /* newest updated_at on any page of the walk */
	int64_t walk_t0_ms;     /* monotonic time the walk's first page went out */
	size_t page_no;
	bool changed;           /* a page of this walk was a 200 */
	bool want_full;
	int64_t next_full_ms;   /* monotonic time the next full walk is due */
	char *etag, *etag_url;  /* conditional GET of the first delta page */
	char url[2048];         /* the request in flight */
	char page_cursor[512];  /* the cursor that fetched the page being saved */
	char *pending;          /* a fetched page whose save is deferred */
	size_t pending_len;
	ev_timer_id save_timer; /* runs that save */
	unsigned long cycles;
	int build_failures;     /* in a row */
	int64_t build_after_ms; /* no build retried at a poll before this */
	backoff bo;
} incr_job;

/* a case, break or limit event waiting for its burst's transaction */
typedef struct {
	int job;      /* index into jobs */
	json_t *obj;  /* a reference */
	char *text;   /* its JSON as it came, or NULL */
	size_t len;
} incr_event;

struct incr {
	ev_loop *ev;
	http_client *http;
	store *st;
	cache *c;
	char *base_url;
	char *token;
	incr_opts o;
	incr_job jobs[3];
	void (*listener)(void *);
	void *listener_ctx;
	incr_stats stats;
	bool tx_open;           /* a batch of pages is being written */
	incr_job *building;     /* whose indexes the cache is building; NULL none */
	int build_fd;           /* watched for the build's end */
	ev_timer_id build_timer; /* or looked at this often, when it cannot be */
	bool missed_events;     /* events arrived during a build: poll after it */
	int tx_pages;
	int64_t tx_started_ms;
	VEC(incr_event) events; /* the burst being gathered */
	ev_timer_id event_timer;
};

/* ---- incr.c ---- */
/* Run the job's next step in ms. */
void incr_job_schedule(incr_job *j, int64_t ms);
/* The walk (and the build after it, if any) is over. */
void incr_walk_complete(incr_job *j, time_t now);

/* ---- incr_build.c ---- */
/* Build the indexes of j's bulk load on the cache's own thread. 0 started
 * (the walk completes when it ends), -1 nothing to wait for: built
 * already, or failed (reported; the next full walk, or the next start,
 * tries again). */
int incr_build_start(incr_job *j);

#endif
