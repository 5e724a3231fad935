/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/sync_int.h: the syncer's parts, shared by its files only:
 * sync.c      the pollers (one job per endpoint), their pages and the
 *             cache mirror, and the syncer's life
 * sites.c     each site's state, failover, failback and the probes
 * events.c    the event stream of the site read from
 * history.c   the channels' trend history, fetched on demand
 * mirror.c    the event stream's objects into the cache, batched, and the
 *             notice of a platform whose history went back
 * Not part of the API (sync/sync.h). */
#ifndef PAYOPS_SYNC_INT_H
#define PAYOPS_SYNC_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "api/decode.h"
#include "base/backoff.h"
#include "base/vec.h"
#include "net/stream.h"
#include "sync/incr.h"
#include "sync/sync.h"

#define MAX_PAGES 256           /* 256 x 500 = 128,000 objects per list */
#define PROBE_INTERVAL_MS 3000  /* sites we do not read from: are they alive? */

typedef enum { JOB_STATUS, JOB_ME, JOB_CHANNELS, JOB_ROUTES, JOB_ALERTS,
	       JOB_RECON, JOB_APPROVALS,
	       JOB__N } job_id;

typedef struct {
	char *cursor;  /* NULL for the first page */
	char *etag;
	char *body;    /* the last 200 body, reused on 304 */
	size_t len;
	char *next;    /* the next_cursor that body named */
	bool taken;    /* decoded into this walk already */
	bool fresh;    /* a 200 in this walk (a 304 brought nothing new) */
} page_cache;

typedef struct sync_job {
	struct syncer *s;
	job_id id;
	const char *name;      /* for messages: "channels" */
	const char *path;      /* "/v1/channels?limit=500" */
	store_coll coll;
	bool is_list;
	api_kind kind;
	int interval_ms;
	ev_timer_id timer;
	uint64_t inflight;
	page_cache pages[MAX_PAGES];
	size_t n_pages;        /* pages known from the last complete walk */
	size_t cur;            /* page being fetched in this walk */
	bool walk_changed;     /* some page of this walk was a 200 */
	/* items gathered across the pages of one walk (kind_size() each) */
	void *items;
	size_t n_items, cap_items;
	VEC(char *) rejected;  /* ids of items refused: keep their last copy */
	char reject_msg[256];
	size_t reject_count;
	bool cache_deferred;   /* its mirror waits for the cache's index build */
	bool cache_owed;       /* a newer list than the mirror's (job_cache_pages) */
	bool auth;             /* this walk is the authoritative full refetch */
	int64_t cached_ms;     /* when the mirror was last written (ev clock) */
	int64_t sent_ms;       /* when the request in flight left (ev clock) */
	backoff bo;
} sync_job;

typedef struct {
	sync_site_info info;
	char *name, *url;
	struct syncer *owner;
	uint64_t probe_inflight;  /* GET /v1/status on a site we do not read from */
	ev_timer_id probe_timer;
	int successes;            /* consecutive good answers */
	int64_t failed_ms;        /* when a request last failed (ev clock) */
	int64_t probe_sent_ms;
	backoff bo;
} site;

struct syncer {
	ev_loop *ev;
	http_client *http;
	store *st;
	const cfg_config *cfg;
	char *token;
	site sites[CFG_MAX_SITES];
	size_t n_sites;
	size_t active;
	sync_job jobs[JOB__N];
	cache *cache;            /* the last known picture; NULL: none could be had */
	ev_timer_id cache_retry; /* writes deferred while the cache builds indexes */
	bool keep_headlines;     /* sync_keep_headlines */
	int history_minutes;     /* what /history is asked for (sync_history_minutes) */
	time_t headline_at;      /* the last queue headlines kept (cache/headline.c) */
	ev_timer_id flush_timer; /* the next batch of streamed objects (mirror.c) */
	incr *incr;              /* cases, breaks, limits into the cache */
	stream *events;
	char *events_url;
	void (*listener)(void *);
	void *listener_ctx;
	void (*event_hook)(void *, const char *, const char *);
	void *event_hook_ctx;
	/* trend history fetches */
	VEC(char *) hist_queue; /* a stack: the last wanted goes first */
	size_t hist_inflight;
	struct hist_req *hist_live;
	VEC(char *) hist_done;  /* ids fetched or being fetched */
	unsigned long requests, not_modified, events_seen;
	bool started;
	char notice[480];       /* the last failover or failback, in words */
	cache_backwards back[3]; /* channels, routes, alerts gone back (mirror.c) */
	time_t back_at;
	time_t notice_at;
};

/* The site reads and actions go to. */
static inline site *sync_reading(syncer *s)
{
	return &s->sites[s->active];
}

/* ---- sync.c ---- */
/* Tell the app something changed (a redraw). */
void sync_notify(syncer *s);
/* Copy a message into a fixed buffer, cut at a character boundary. */
void sync_set_msg(char *dst, size_t dstsz, const char *src);
/* A failed response in words: transport error, or status and problem. */
void sync_describe_failure(const http_response *r, const char *method,
			   const char *path, char *out, size_t outsz);
/* Drop every job's pages, ETags and walk, and poll at once. */
void sync_jobs_restart(syncer *s);

/* ---- sites.c ---- */
/* A good answer to a request sent at sent_ms (ev clock). */
void sync_site_ok(syncer *s, site *st, int64_t sent_ms);
void sync_site_failed(syncer *s, site *st, const char *what);
/* The site read from keeps failing: read from another that answers. */
void sync_maybe_failover(syncer *s);
/* Read from sites[to] from now on; why goes to the notice. */
void sync_switch_site(syncer *s, size_t to, const char *why);
/* Probe a site we do not read from in ms. */
void sync_probe_schedule(site *st, int64_t ms);

/* ---- events.c ---- */
/* (Re)connect the event stream to the site read from. */
void sync_stream_open(syncer *s);

/* ---- mirror.c ---- */
/* An object from the stream for the cache's next batch (within a second). */
void sync_cache_queue(syncer *s, api_kind kind, const json_t *obj, const char *json,
		      size_t len);
/* Write the batch now (quitting; before a full mirror reads the cache). */
void sync_cache_flush(syncer *s);
/* An authoritative refetch found objects older than the cache had: say so
 * once on the message line (sync_notice). */
void sync_say_backwards(syncer *s, api_kind kind, const cache_backwards *b);
/* Refetch every list whole, ETags dropped, as the authoritative copy (the
 * stream's reset: the platform's history is not the one we followed). */
void sync_refetch_all(syncer *s);

/* ---- history.c ---- */
/* Start fetches from the wish list, HISTORY_PARALLEL at a time. */
void sync_history_pump(syncer *s);
/* Cancel the fetches in flight and forget every wish. */
void sync_history_free(syncer *s);

#endif
