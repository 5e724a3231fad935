/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/cache_int.h: what the cache's own files share (not the API). */
#ifndef PAYOPS_CACHE_INT_H
#define PAYOPS_CACHE_INT_H

#include <sqlite3.h>
#include "cache/cache.h"

#define CACHE_N_KINDS (API_KIND_ALERT + 1)

typedef struct cache_build cache_build;

/* The last text filter's plan (cache/query_text.c, cache_text_plan). */
typedef struct {
	int kind;          /* api_kind; the zeroed cache holds no text */
	char text[256];
	int plan;
	char match[256];   /* the trigram index's query, when it serves the text */
} cache_text_memo;

/* How an upsert treats the version the cache holds: a page of a walk
 * writes when its version is at least the cached one (and marks the row
 * seen); a batch of changes only when it is newer (an unchanged object is
 * not rewritten); the authoritative full refetch whenever it differs, in
 * either direction (the platform's history went back). */
typedef enum { CACHE_SAVE_WALK, CACHE_SAVE_NEWER, CACHE_SAVE_AUTH,
	       CACHE_SAVE__N } cache_save_mode;

typedef struct cache_queue cache_queue;

struct cache {
	sqlite3 *db;
	char *path;
	char err[512];
	int tx_depth;
	bool tx_failed;
	uint64_t data_version;
	time_t fetched_written[CACHE_N_KINDS];
	sqlite3_stmt *upsert[CACHE_SAVE__N][CACHE_N_KINDS];
	sqlite3_stmt *touch[CACHE_N_KINDS];
	sqlite3_stmt *version_of[CACHE_N_KINDS];
	cache_save_mode page_mode; /* how cache_save_page writes (CACHE_SAVE_WALK) */
	cache_backwards *backwards; /* where the authoritative refetch notes them */
	cache_queue *queue;        /* objects waiting for the next batch (cache/batch.c) */
	bool bulk[CACHE_N_KINDS];  /* a bulk load is in progress (cache/bulk.c) */
	cache_build *build;        /* the index build running on its thread (cache/build.c) */
	int test_hold;             /* tests: where the next build holds */
	cache_text_memo text_memo;
	int64_t background_rows;   /* cache_breaks_slow's threshold; 0: the default */
};

/* Save one decoded-JSON item under a mode (walk: the walk mark to give
 * it, 0 for none). 0 saved, 1 kept the cached copy, 2 rejected by
 * validation (err filled), -1 database error. raw: the item's text as it
 * came, or NULL to serialise j. */
/* A channel, route or alert already decoded by its caller (the event
 * stream), written from its key and text alone, when its version is newer
 * than the cached one: 0 written, 1 kept, -1 error. */
int cache_save_text(cache *c, api_kind kind, const char *id, int64_t version, int64_t walk,
		    const char *json, size_t len);
int cache_save_item(cache *c, api_kind kind, cache_save_mode mode, const json_t *j,
		    int64_t walk, api_err *err, const char *raw, size_t raw_len);
/* The batch queue's memory (cache_close). */
void cache_queue_free(cache *c);

/* The table of a kind ("breaks"); also its key in sync_state. */
const char *cache_table(api_kind kind);
/* Record sqlite's error for `what` in c->err; returns -1. */
int cache_fail(cache *c, const char *what);
/* Run SQL without parameters (schema, pragmas). */
int cache_exec(cache *c, const char *sql);
/* A break's JSON rebuilt from its columns (schema 8), in the contract's
 * key order and SQLite's compact form. The table keeps the columns, and
 * the text as it came only when it is not exactly this (a value the
 * contract does not know, a number out of range, another layout), so
 * `json` reads the same either way. The arguments are SQL expressions
 * (the columns, or the upsert's parameters); an enum value it has no name
 * for gives null, which no text that came equals. Migration 8's generated
 * column is this: change it only with a migration. */
#define CACHE_BREAK_JSON(id, date, channel, merchant, order, serial, type, platform,     \
			 chan_amount, difference, currency, detected, severity, status,  \
			 assignee, resolution, version, updated)                         \
	"json_object('id', " id ", 'recon_date', " date ", 'channel_id', " channel         \
	", 'merchant_id', " merchant ", 'order_no', " order ", 'channel_serial', " serial \
	", 'type', CASE " type " WHEN 0 THEN 'long' WHEN 1 THEN 'short'"                 \
	" WHEN 2 THEN 'missing_platform' WHEN 3 THEN 'missing_channel'"                   \
	" WHEN 4 THEN 'amount_mismatch' WHEN 5 THEN 'refund_no_final'"                    \
	" WHEN 6 THEN 'returned' WHEN 7 THEN 'fund_mismatch' END,"                       \
	" 'platform_amount_minor', " platform ", 'channel_amount_minor', " chan_amount    \
	", 'difference_minor', " difference ", 'currency', " currency                    \
	", 'detected_at', strftime('%Y-%m-%dT%H:%M:%SZ', " detected ", 'unixepoch'),"    \
	" 'severity', CASE " severity " WHEN 0 THEN 'low' WHEN 1 THEN 'medium'"          \
	" WHEN 2 THEN 'high' END, 'status', CASE " status " WHEN 0 THEN 'open'"          \
	" WHEN 1 THEN 'investigating' WHEN 2 THEN 'escalated' WHEN 3 THEN 'resolved'"    \
	" WHEN 4 THEN 'written_off' END, 'assignee', " assignee                          \
	", 'resolution', json(" resolution "), 'version', " version                      \
	", 'updated_at', strftime('%Y-%m-%dT%H:%M:%SZ', " updated ", 'unixepoch'))"

/* Migrations: the SQL of schema version v (1..CACHE_SCHEMA_VERSION). */
const char *cache_migration(int v);
/* Read which collections are being bulk loaded (after migrations). */
int cache_bulk_load_flags(cache *c);
/* Build at once what an EMPTY table's bulk_saved holds (a new file, or a
 * migration that left its indexes to the build): nothing to sort, so it
 * takes no time, and the first load then starts like any other. */
int cache_bulk_settle(cache *c);
/* Stop a running build (its transaction rolls back) and join its thread. */
void cache_build_cancel(cache *c);

/* Tests only: the next background build holds at `where` until released
 * (or cancelled by cache_close); wait_held says whether it got there. */
enum { CACHE_BUILD_HOLD_NONE, CACHE_BUILD_HOLD_IN_INDEX,
       CACHE_BUILD_HOLD_BEFORE_ANALYZE, CACHE_BUILD_HOLD_BEFORE_COMMIT };
void cache_build_test_hold(cache *c, int where);
bool cache_build_test_wait_held(cache *c, int timeout_ms);
void cache_build_test_release(cache *c);

/* Decide (and remember) how a break filter's text is answered
 * (cache/query_text.c): the probes read the trigram index. */
void cache_breaks_plan_text(cache *c, const cache_break_filter *f);

/* updated_at of a JSON object (RFC 3339), 0 when absent or invalid. */
time_t cache_json_time(const json_t *o, const char *key);

#endif
