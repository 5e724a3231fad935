/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/cache.h: the SQLite mirror of the platform, one database per platform.
 *
 * Start-up paints from it at once (channels, routes and alerts go into the
 * store marked "cached" with their age); the big collections (onboarding
 * cases, breaks, limits) live only here and the panes read them through
 * indexed, paged queries, never as arrays of every row.
 *
 * Each row keeps the object's JSON text as the platform sent it (decoded
 * back with api/decode.h) plus the columns the panes filter and sort on.
 * Besides the objects it keeps, per collection, when it was last fetched,
 * the sync cursor of an unfinished walk and the high-water updated_at the
 * incremental sync asks from (see sync/incr.h).
 *
 * It is a cache: WAL with synchronous=NORMAL (a crash may lose the last
 * transactions, never corrupt the file); the audit log is the durable
 * record. A file that is corrupt or was written by a newer schema is moved
 * aside (renamed with a timestamp suffix) and rebuilt, with a message for
 * the user; never a crash. Tokens never enter it: nothing here is given one.
 *
 * Every statement binds its parameters; writes of one batch are one
 * transaction. Not thread-safe: use it from the event loop's thread (the
 * index build of a bulk load runs on a thread of its own, behind the
 * functions below).
 */
#ifndef PAYOPS_CACHE_H
#define PAYOPS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "api/decode.h"
#include "api/model.h"
#include "config/config.h"
#include "store/store.h"

#define CACHE_SCHEMA_VERSION 8

typedef struct cache cache;

/* Open (creating the directory 0700 and the file 0600) the cache of the
 * platform whose first site is first_site_url, under cfg_cache_dir(cfg):
 * "cache-<16 hex of a hash of the URL>.db". When a file had to be moved
 * aside, msg says so in words ("" otherwise). NULL (msg says why) only when
 * no cache can be had at all: the console then runs without one. */
cache *cache_open(const cfg_config *cfg, const char *first_site_url,
		  char *msg, size_t msgsz);
/* The same on an explicit path; ":memory:" for an in-memory database. */
cache *cache_open_path(const char *path, char *msg, size_t msgsz);
/* mkdir -p dir, each new level 0700 (also for the console's small state
 * files beside the cache). 0, or -1 with errno. */
int cache_make_dirs(const char *dir);
void cache_close(cache *c);
/* The file name the cache of that site URL gets (no directory). */
void cache_file_name(const char *first_site_url, char *out, size_t outsz);
const char *cache_path(const cache *c);
/* The last SQLite error in words ("" when none). */
const char *cache_error(const cache *c);
/* Bumps on every change of cached objects (views can watch it). */
uint64_t cache_data_version(const cache *c);

/* ---- transactions (one per batch; nesting is counted, the outermost
 * commits) ---- */
int cache_begin(cache *c);
int cache_commit(cache *c);
void cache_rollback(cache *c);

/* ---- writing what sync fetched ---- */

/* A list page's body as the platform sent it: each item of "data" is
 * validated with the api decoder and upserted (an item older than the
 * cached version keeps the cached one; it still counts as seen by the
 * walk). Items that fail validation are counted; when they have an id the
 * cached copy is kept and marked seen. One transaction unless one is open. */
typedef struct {
	size_t n_saved;
	size_t n_rejected;
	char reject_msg[256];   /* the first rejection, in words */
	char *next_cursor;      /* malloc'd; NULL at the end of the list */
	time_t max_updated_at;  /* newest updated_at on the page; 0 if none */
} cache_page_result;
int cache_save_page(cache *c, api_kind kind, const char *body, size_t len,
		    cache_page_result *out);
/* The same for a body already parsed (the caller keeps root); items are
 * then stored re-serialised. */
int cache_save_page_parsed(cache *c, api_kind kind, const json_t *root,
			   cache_page_result *out);
/* A page's next_cursor without parsing its items: 1 found (in out), 0 the
 * end of the list, -1 not a list page or the cursor does not fit. */
int cache_page_next_cursor(const char *body, size_t len, char *out, size_t outsz);
void cache_page_result_free(cache_page_result *r);

/* One whole object (an SSE event, an action's response): upserted unless
 * the cached version is newer. 0 saved, 1 ignored (older), -1 error. */
int cache_upsert_json(cache *c, api_kind kind, const char *json, size_t len,
		      char *msg, size_t msgsz);
/* The same for an object already parsed; text is its JSON as it came
 * (valid UTF-8), stored as it is, or NULL: obj is serialised. */
int cache_upsert_object(cache *c, api_kind kind, const json_t *obj, const char *text,
			size_t len, char *msg, size_t msgsz);
int cache_delete(cache *c, api_kind kind, const char *id);

/* Mark-and-sweep walks for deletions: cache_walk_begin starts a new walk
 * mark for the collection; every row saved or touched from then on carries
 * it; cache_walk_end deletes the rows the walk did not see (objects that
 * disappeared from the platform) and returns how many, or -1. */
int cache_walk_begin(cache *c, api_kind kind);
int64_t cache_walk_end(cache *c, api_kind kind);

/* Bulk load: the first full walk into an EMPTY table drops the table's
 * secondary indexes and triggers (their SQL is kept in the file) and the
 * end of the load builds them once - indexes, the summary of the breaks,
 * the table's full-text index when it has one (<table>_fts), triggers,
 * statistics - in one transaction; that is what makes a first sync of a
 * million rows fast. Queries answer during a load, by scanning.
 * cache_bulk_begin: 0 started (or already running, e.g. a walk resumed
 * after a restart), 1 not started because the table has rows, -1 error.
 * cache_bulk_end: the build, here and now (tests, tools). */
int cache_bulk_begin(cache *c, api_kind kind);
int cache_bulk_end(cache *c, api_kind kind);
bool cache_bulk_active(const cache *c, api_kind kind);

/* The build without blocking the caller: about 20 s at a million breaks
 * run on a thread of its own with its own connection. Returns 0 started,
 * 1 nothing left to wait for (no load was active, or it was built here
 * because the cache is in memory), -1 error (cache_error). One build at a
 * time. Until cache_build_finish, cache_building() is true and the cache
 * takes no writes: a write fails at once ("database is locked"; never the
 * busy timeout's wait), so the loop's writers ask cache_building() first
 * and defer. Reads keep working (the state before the build).
 * cache_build_fd becomes readable when the build has ended; then
 * cache_build_finish joins the thread and returns 0 built (the kind's
 * bulk flag is cleared and the data version bumps, so panes re-query with
 * the indexes), -1 failed (cache_error says why; the load stays active and
 * a later cache_bulk_build_start tries again), 1 not finished yet.
 * cache_close during a build interrupts it: its transaction rolls back and
 * the next start finds the load as it was. */
int cache_bulk_build_start(cache *c, api_kind kind);
bool cache_building(const cache *c);
int cache_build_fd(const cache *c);
int cache_build_finish(cache *c, api_kind *kind);

/* For the status bar: what is being built, since when (clock_now_ms() of
 * base/clock.h, the loop's clock too), and its step in words ("indexes", "summary", "search index",
 * "triggers", "statistics", "committing"). False when nothing is. */
typedef struct {
	api_kind kind;
	int64_t started_ms;
	const char *step;
} cache_build_info;
bool cache_build_status(const cache *c, cache_build_info *out);

/* The small collections in one go: a complete list as its pages' bodies
 * (sync keeps them for its ETag cache). Begin walk, save every page, sweep
 * and record fetched_at, in one transaction. */
int cache_save_pages(cache *c, api_kind kind, const char *const *bodies,
		     const size_t *lens, size_t n_pages, time_t fetched_at);

/* The authoritative full refetch (the first walk of a start, a walk after
 * the stream's reset, a site switch): like cache_save_pages, but an object
 * whose version differs from the cached one is written in either
 * direction, and back (when not NULL) counts the objects the platform has
 * at an OLDER version than the cache had, naming the first few: its
 * history went back (a restore, a site a few versions behind). With back
 * NULL it is cache_save_pages. */
#define CACHE_BACKWARDS_NAMED 4
typedef struct {
	size_t n;
	char ids[320];   /* "cfs.hvps, hxb.direct.payout" (the first few) */
} cache_backwards;
int cache_save_pages_full(cache *c, api_kind kind, const char *const *bodies,
			  const size_t *lens, size_t n_pages, time_t fetched_at,
			  cache_backwards *back);
/* What changed between full mirrors: each object of the pages whose
 * version is NEWER than the cached one is written, in one transaction; an
 * unchanged one is not rewritten, nothing is swept. */
int cache_save_changes(cache *c, api_kind kind, const char *const *bodies,
		       const size_t *lens, size_t n_pages);

/* ---- the batch: objects from the event stream, one transaction a
 * second ----
 * cache_queue_object keeps an object for the next flush: obj, parsed
 * (its id and version key the queue), and json, its text as it came, kept
 * when valid UTF-8 (else obj is serialised); the channels, routes and
 * alerts of a flush are then written without parsing them again.
 * cache_queue_json parses the text first. Either keeps,
 * one entry per kind and id: a later object replaces an earlier one
 * unless its version is lower (a busy stream's repeated changes to one
 * channel cost one write). cache_queue_flush writes the queue in one
 * transaction, each object only when its version is newer than the cached
 * one (an older or unchanged one is not written). Returns how many were
 * written, or -1 (cache_error; the queue is kept for the next flush). */
int cache_queue_object(cache *c, api_kind kind, const json_t *obj, const char *json,
		       size_t len);
int cache_queue_json(cache *c, api_kind kind, const char *json, size_t len);
size_t cache_queue_pending(const cache *c);
long cache_queue_flush(cache *c);

/* A recon summary body (GET /v1/recon/summary) for its date. */
int cache_save_summary_json(cache *c, const char *body, size_t len,
			    time_t fetched_at);

/* Per-collection sync state. */
typedef struct {
	time_t fetched_at;      /* last good data; 0 never */
	time_t high_water;      /* incremental sync asks updated_since from here; 0 none */
	time_t full_at;         /* last complete full walk; 0 never */
	char cursor[512];       /* next page of an unfinished full walk ("" none) */
	int64_t walk;           /* the current walk mark */
	time_t walk_start;      /* server time an unfinished full walk began; 0 unknown */
} cache_sync_state;
int cache_get_state(cache *c, api_kind kind, cache_sync_state *out);
int cache_set_state(cache *c, api_kind kind, const cache_sync_state *st);
/* Only the fetch time (a 304 refreshes the age); written at most once a
 * minute per collection so an idle console does not write its disk. */
int cache_mark_fetched(cache *c, api_kind kind, time_t fetched_at);

/* ---- start-up ---- */

/* Channels, routes and platform alerts into the store, each marked
 * fetched at its cached time with from_cache = true. Returns how many
 * collections were loaded (0: an empty cache), -1 on error. */
int cache_load_small(cache *c, store *st);

/* ---- the big panes: paged, indexed queries ---- */

/* Filters: NULL / 0 mean "any". Enum sets are bit masks over the api enum
 * values (1u << BS_OPEN | 1u << BS_ESCALATED); text matches (substring,
 * case-insensitive for ASCII) ids and the other identifying fields. */
typedef struct {
	const char *recon_date;     /* "YYYY-MM-DD" */
	const char *channel_id;
	unsigned types;             /* api_break_type bits */
	unsigned statuses;          /* api_break_status bits */
	unsigned severities;        /* api_severity bits */
	int64_t min_abs_difference; /* minor units; 0: any */
	const char *text;           /* id, merchant, order no, channel serial, assignee */
} cache_break_filter;

typedef enum {
	CACHE_BREAK_SORT_DETECTED,   /* newest first */
	CACHE_BREAK_SORT_DIFFERENCE, /* largest |difference| first */
	CACHE_BREAK_SORT_SEVERITY,   /* high first, then newest */
	CACHE_BREAK_SORT_RECON_DATE, /* latest date first */
	CACHE_BREAK_SORT_CHANNEL,
	CACHE_BREAK_SORT_STATUS,
	CACHE_BREAK_SORT_ID,
} cache_break_sort;

typedef struct {
	unsigned stages;            /* api_stage bits */
	unsigned risks;             /* api_risk bits */
	const char *assignee;       /* "" matches unassigned cases */
	const char *text;           /* id, merchant id and name */
} cache_case_filter;

typedef enum {
	CACHE_CASE_SORT_SLA,        /* soonest SLA due first (the default) */
	CACHE_CASE_SORT_RISK,       /* high risk first, then SLA */
	CACHE_CASE_SORT_SUBMITTED,  /* newest first */
	CACHE_CASE_SORT_STAGE,
	CACHE_CASE_SORT_ID,
} cache_case_sort;

typedef struct {
	unsigned scopes;            /* api_limit_scope bits */
	unsigned states;            /* api_limit_state bits */
	const char *text;           /* id, scope id, name */
} cache_limit_filter;

typedef enum {
	CACHE_LIMIT_SORT_HEADROOM,  /* least headroom (limit - used) first */
	CACHE_LIMIT_SORT_UTILISATION, /* most used share first */
	CACHE_LIMIT_SORT_STATE,     /* breached, warning, ok */
	CACHE_LIMIT_SORT_ID,
} cache_limit_sort;

/* Row callbacks get a decoded object they may keep (take its members and
 * zero it) or leave to be freed; return nonzero to stop. Ordering is
 * stable (ties broken by the row's insertion order, in the direction of
 * the sort's last key, which is the order its index keeps), so
 * offset/limit pages do not overlap. */
typedef int (*cache_break_fn)(void *ctx, api_break *b);
typedef int (*cache_case_fn)(void *ctx, api_case *cs);
typedef int (*cache_limit_fn)(void *ctx, api_limit *l);

/* Returns the number of rows delivered, or -1. */
/* Deep pages by keyset: cache_query_*_after delivers up to `limit` rows
 * that sort after *pos (a zeroed pos: from the start) and leaves in *pos
 * the last delivered row's sort key, so the next call continues there.
 * Each page is an index range scan (no OFFSET counting through the rows
 * before it); rows inserted or deleted between calls neither repeat nor
 * shift the rows after the position. The sort, filter and pos must go
 * together: a pos from one sort is refused by another (-1). */
typedef struct {
	bool set;             /* false: the first page */
	int sort;             /* the sort the key belongs to */
	struct {
		int64_t i;
		double r;
		char t[64];
	} k[3];               /* the row's sort key, column by column */
	int64_t rowid;        /* and its row, the tie-breaker */
} cache_pos;

long cache_query_breaks(cache *c, const cache_break_filter *f,
			cache_break_sort sort, size_t offset, size_t limit,
			cache_break_fn fn, void *ctx);
long cache_query_breaks_after(cache *c, const cache_break_filter *f,
			      cache_break_sort sort, cache_pos *pos, size_t limit,
			      cache_break_fn fn, void *ctx);
/* Count and the summed difference_minor (exact, in SQL integers) of what
 * the filter matches. Without a channel or text filter it adds up the
 * summary table (a few thousand rows at a million breaks); a minimum
 * absolute difference that is not a power of ten reads only the rows of
 * its own order of magnitude. */
int cache_count_breaks(cache *c, const cache_break_filter *f, int64_t *count,
		       int64_t *sum_difference_minor);

long cache_query_cases(cache *c, const cache_case_filter *f,
		       cache_case_sort sort, size_t offset, size_t limit,
		       cache_case_fn fn, void *ctx);
long cache_query_cases_after(cache *c, const cache_case_filter *f,
			     cache_case_sort sort, cache_pos *pos, size_t limit,
			     cache_case_fn fn, void *ctx);
/* Count, and how many of those are past their SLA at `now`. */
int cache_count_cases(cache *c, const cache_case_filter *f, time_t now,
		      int64_t *count, int64_t *sla_breached);
/* The Onboarding pane's counts: cache_count_cases of f, and the count of
 * each stage under f's other conditions (0 for a stage f leaves out).
 * out is written only when every count was read (0), else -1. */
typedef struct {
	int64_t count, sla_breached;
	int64_t by_stage[STAGE_UNKNOWN];
} cache_case_counts;
int cache_count_cases_by_stage(cache *c, const cache_case_filter *f, time_t now,
			       cache_case_counts *out);

long cache_query_limits(cache *c, const cache_limit_filter *f,
			cache_limit_sort sort, size_t offset, size_t limit,
			cache_limit_fn fn, void *ctx);
long cache_query_limits_after(cache *c, const cache_limit_filter *f,
			      cache_limit_sort sort, cache_pos *pos, size_t limit,
			      cache_limit_fn fn, void *ctx);
int cache_count_limits(cache *c, const cache_limit_filter *f, int64_t *count,
		       int64_t *sum_headroom_minor);
/* The Limits pane's counts: cache_count_limits of f, and how many of those
 * are in warning and breached. out is written only when every count was
 * read (0), else -1. */
typedef struct {
	int64_t count, sum_headroom_minor;
	int64_t warning, breached;
} cache_limit_counts;
int cache_count_limits_by_state(cache *c, const cache_limit_filter *f,
				cache_limit_counts *out);

/* ---- the queues' headlines over time ----
 *
 * What the Overview heads its queues with, sampled every few minutes by
 * the console and at each `payops patrol`, kept a week: a shift report
 * sets the queues now against its window's start. */
typedef struct {
	time_t at;
	int64_t cases_open, cases_past_sla;      /* cases not yet decided */
	int64_t breaks[3], breaks_net_minor[3];  /* active breaks by api_severity */
	int64_t limits_warning, limits_breached;
} cache_headline;
/* The headlines now (at `now`, which also judges the SLAs): 0, or -1 when
 * a count could not be read (out not written). */
int cache_headline_now(cache *c, time_t now, cache_headline *out);
/* Keep h (replacing one at the same second) and drop what is older than
 * a week before it: 0, 1 not now (an index build holds the file), -1. */
int cache_headline_record(cache *c, const cache_headline *h);
/* The newest sample at or before t: 1 found, 0 none, -1 error. */
int cache_headline_at(cache *c, time_t t, cache_headline *out);

/* ---- a query the indexes cannot answer quickly, off the loop ----
 *
 * A text found in tens of thousands of breaks ("op.wang", the date that
 * begins every id of a day) is checked row by row: at a million breaks its
 * count takes 130 to 300 ms and a page under a sort that runs against it
 * (by status: the open breaks, which have no assignee, come first) up to
 * 0.7 s; while a bulk load has the indexes out, every filter scans. Such a
 * query runs on a reader thread with its own connection (cache_reader),
 * which returns the matching rows' ids (rowids) in the sort's order with
 * their count and summed difference; the pane then reads the rows of the
 * page it shows by rowid (cache_rows_breaks) and never waits. */

/* Whether this filter and sort is such a query on this cache: the table
 * holds at least cache_set_background_rows() rows (200,000 unless set)
 * and a text the trigram index cannot narrow, or a bulk load has the
 * indexes out. A cache in memory has no second connection: never. */
bool cache_breaks_slow(cache *c, const cache_break_filter *f);
void cache_set_background_rows(cache *c, int64_t rows);

/* The query as a job: a copy of the filter that owns its strings. */
typedef struct {
	cache_break_filter f;
	cache_break_sort sort;
	size_t first;           /* >0: deliver the first rows early (see below) */
	bool bulk;              /* the indexes are out (set by the post) */
	char date[16], channel[128], text[256];
} cache_break_job;
void cache_break_job_set(cache_break_job *j, const cache_break_filter *f,
			 cache_break_sort sort);
/* A copy of src whose strings are its own (all of it: sort, first, bulk). */
void cache_break_job_copy(cache_break_job *dst, const cache_break_job *src);
/* Same filter and sort. */
bool cache_break_job_same(const cache_break_job *a, const cache_break_job *b);

/* A job's answer: the rowids in order, their count and summed
 * difference_minor, or rc -1 and err. */
typedef struct {
	uint64_t job;           /* which post this answers */
	bool partial;           /* only the first rows: n is not the count */
	int rc;
	int64_t *ids;
	size_t n;
	int64_t sum;
	int64_t ms;             /* how long the query took on the thread */
	char err[512];
} cache_rowset;
void cache_rowset_free(cache_rowset *rs);

/* The whole answer here and now, on c (the reader thread calls this on
 * its own connection; tests call it directly). 0, or -1 (rs->err). */
int cache_rowset_breaks(cache *c, const cache_break_job *j, cache_rowset *rs);

/* The first j->first rows only (sum: theirs), by the plan a page on the loop uses: a
 * sort that meets matches early (newest first, for a text found in one
 * row of ten) has them in milliseconds. 0 (rs->partial set, unless all
 * the matches fit: then rs is the whole answer), or -1 (stopped, e.g. by
 * the reader's time budget for it, or an error). */
int cache_rowset_breaks_first(cache *c, const cache_break_job *j, cache_rowset *rs);

/* Rows by rowid, in the order given, through fn; a rowid no longer cached
 * is skipped. Returns the number delivered, or -1. */
long cache_rows_breaks(cache *c, const int64_t *ids, size_t n,
		       cache_break_fn fn, void *ctx);

/* The reader: one job at a time, the newest wins. A post replaces the job
 * not yet started and stops the running one at its next step (SQLite's
 * progress handler); only the newest post's answer is ever delivered.
 * A job with `first` set is answered twice when its first rows come
 * within 80 ms: those first (rs.partial), then the whole. The
 * thread and its connection start with the first post. cache_reader_fd
 * becomes readable when an answer is ready; cache_reader_take then hands
 * it over (1), or 0 when there is none (yet). Free it before closing its
 * cache. NULL for a cache in memory (no second connection sees it) or
 * when out of memory or pipes. */
typedef struct cache_reader cache_reader;
cache_reader *cache_reader_new(cache *c);
void cache_reader_free(cache_reader *r);
int cache_reader_fd(const cache_reader *r);
/* Returns the job's number (never 0), or 0 when the thread could not be
 * started. */
uint64_t cache_reader_post(cache_reader *r, const cache_break_job *j);
/* Forget the running job: its answer is dropped. */
void cache_reader_cancel(cache_reader *r);
int cache_reader_take(cache_reader *r, cache_rowset *out);

/* One object by id (0 found, 1 not cached, -1 error). */
int cache_get_break(cache *c, const char *id, api_break *out);
int cache_get_case(cache *c, const char *id, api_case *out);
int cache_get_limit(cache *c, const char *id, api_limit *out);
/* The object's JSON text as cached (malloc'd into *out): 0 found, 1 not
 * cached, -1 error. */
int cache_get_json(cache *c, api_kind kind, const char *id, char **out);

/* The recon summary of a date, computed from the cached breaks (per channel
 * break count, open count = open + investigating + escalated, net
 * difference), with file status and matched count taken from a cached
 * /recon/summary of that date when there is one (FILE_UNKNOWN with raw
 * "uncached" and -1 otherwise). date NULL: the latest recon date cached. */
int cache_recon_summary(cache *c, const char *date, api_recon_summary *out);

#endif
