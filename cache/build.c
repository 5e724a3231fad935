/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/build.c: the end of a bulk load - recreate the indexes bulk_begin
 * dropped, rebuild the breaks summary and the table's full-text index,
 * recreate the triggers, ANALYZE - in one transaction, on a thread of its
 * own with its own connection to the file.
 *
 * At a million breaks the build takes about 20 s; on the event loop's
 * thread that froze every keypress. Here the loop keeps running: in WAL
 * mode the loop's connection still reads (the last committed state, which
 * queries scan while cache_bulk_active()), while the build holds the only
 * write lock. Writers on the loop ask cache_building() first and defer;
 * one that does not still fails at once (the busy handler never waits for
 * a build) instead of freezing for the busy timeout.
 *
 * One transaction: a quit or a crash half way leaves the file as it was
 * (bulk_saved intact, indexes absent), and the next start builds again.
 * cache_close() cancels a running build (a flag the progress handler
 * checks, then sqlite3_interrupt) and joins the thread before closing.
 * Completion is a byte on a pipe the loop watches (cache_build_fd), so an
 * idle console spends no CPU waiting for it. */
#include "cache/cache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

enum { STEP_START, STEP_INDEXES, STEP_SUMMARY, STEP_SEARCH, STEP_TRIGGERS,
       STEP_STATISTICS, STEP_COMMIT, STEP_DONE };

static const char *const step_names[] = {
	"starting", "indexes", "summary", "search index", "triggers",
	"statistics", "committing", "done",
};

struct cache_build {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sqlite3 *db;            /* the worker's own connection */
	api_kind kind;
	int wake[2];            /* pipe: the worker writes one byte when done */
	atomic_bool cancel;     /* cache_close: stop and roll back */
	atomic_bool finished;   /* the worker has set rc and err */
	atomic_int step;
	int64_t started_ms;
	int rc;                 /* 0 built; -1 failed (err) */
	char err[512];
	/* tests: hold at a point until released or cancelled */
	int hold;
	bool held, released;
};

/* ---- the build itself, on any connection ---- */

static int db_exec(sqlite3 *db, const char *sql, char *err, size_t errsz)
{
	char *emsg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &emsg) != SQLITE_OK) {
		snprintf(err, errsz, "%s", emsg ? emsg : sqlite3_errmsg(db));
		sqlite3_free(emsg);
		return -1;
	}
	return 0;
}

static void set_step(cache_build *b, int step)
{
	if (b)
		atomic_store(&b->step, step);
}

/* Test hold: wait until released or cancelled; true when cancelled. */
static bool hold_here(cache_build *b, int where)
{
	if (!b || b->hold != where)
		return b && atomic_load(&b->cancel);
	pthread_mutex_lock(&b->mu);
	if (!b->held) {
		b->held = true;
		pthread_cond_broadcast(&b->cv);
		while (!b->released && !atomic_load(&b->cancel))
			pthread_cond_wait(&b->cv, &b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	return atomic_load(&b->cancel);
}

/* What bulk_begin saved, of one sort (indexes or triggers); what a
 * migration run during the load created already is kept. */
static int recreate(sqlite3 *db, api_kind kind, bool triggers, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT sql FROM bulk_saved WHERE coll = ?1"
			       " AND (sql LIKE 'CREATE TRIGGER%') = ?2"
			       " AND name NOT IN (SELECT name FROM sqlite_master) ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, cache_table(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, triggers);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* copied: running DDL may reset the statement's text */
		char *sql = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
		int e = sql ? db_exec(db, sql, err, errsz) : -1;
		if (!sql)
			snprintf(err, errsz, "out of memory");
		sqlite3_free(sql);
		if (e != 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int has_table(sqlite3 *db, const char *name, bool *out, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	*out = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Everything but the transaction: indexes first (so the summary's
 * rebuild can read one), then the summary and the full-text index, then
 * the triggers that keep those in step from now on. */
static int build_steps(sqlite3 *db, api_kind kind, cache_build *b, char *err, size_t errsz)
{
	const char *table = cache_table(kind);
	set_step(b, STEP_INDEXES);
	if (recreate(db, kind, false, err, errsz) != 0)
		return -1;
	if (kind == API_KIND_BREAK) {
		set_step(b, STEP_SUMMARY);
		if (db_exec(db, "DELETE FROM breaks_agg;"
			    "INSERT INTO breaks_agg SELECT recon_date, type, status, severity,"
			    " length(abs_difference) * 10 + CAST(substr(abs_difference, 1, 1) AS INTEGER),"
			    " count(*), sum(difference_minor) FROM breaks"
			    " GROUP BY 1, 2, 3, 4, 5", err, errsz) != 0)
			return -1;
	}
	/* an external-content full-text index is kept in step by triggers on
	 * the table, which the load ran without: rebuild it from the rows */
	char fts[64];
	bool fts_exists = false;
	snprintf(fts, sizeof fts, "%s_fts", table);
	if (has_table(db, fts, &fts_exists, err, errsz) != 0)
		return -1;
	if (fts_exists) {
		set_step(b, STEP_SEARCH);
		char *sql = sqlite3_mprintf("INSERT INTO \"%w\"(\"%w\") VALUES('rebuild')", fts, fts);
		int e = sql ? db_exec(db, sql, err, errsz) : -1;
		if (!sql)
			snprintf(err, errsz, "out of memory");
		sqlite3_free(sql);
		if (e != 0)
			return -1;
	}
	set_step(b, STEP_TRIGGERS);
	if (recreate(db, kind, true, err, errsz) != 0)
		return -1;
	if (hold_here(b, CACHE_BUILD_HOLD_BEFORE_ANALYZE)) {
		snprintf(err, errsz, "interrupted");
		return -1;
	}
	set_step(b, STEP_STATISTICS);
	char sql[160];
	snprintf(sql, sizeof sql, "DELETE FROM bulk_saved WHERE coll = '%s'; ANALYZE %s",
		 table, table);
	return db_exec(db, sql, err, errsz);
}

/* ---- on the loop's connection (tests, tools, an in-memory cache) ---- */

static int build_here(cache *c, api_kind kind)
{
	if (cache_begin(c) != 0)
		return -1;
	if (build_steps(c->db, kind, NULL, c->err, sizeof c->err) != 0) {
		cache_rollback(c);
		return -1;
	}
	if (cache_commit(c) != 0)
		return -1;
	c->bulk[kind] = false;
	c->data_version++;
	return 0;
}

int cache_bulk_end(cache *c, api_kind kind)
{
	if (!c->bulk[kind])
		return 0;
	if (c->build) {
		snprintf(c->err, sizeof c->err, "the indexes are being built");
		return -1;
	}
	/* sorting a million keys in memory (temp_store = MEMORY) took the
	 * console's peak resident memory from 40 to 150 MB; let the sorter
	 * spill to a temporary file for the build (not allowed inside a
	 * transaction, so only when none is open) */
	bool spill = c->tx_depth == 0 && cache_exec(c, "PRAGMA temp_store = FILE") == 0;
	int rc = build_here(c, kind);
	if (spill)
		cache_exec(c, "PRAGMA temp_store = MEMORY");
	return rc;
}

/* ---- on a thread of its own ---- */

/* Every few thousand virtual machine steps: the cancel flag (an interrupt
 * that arrives between two statements would otherwise be missed). */
static int progress(void *ctx)
{
	cache_build *b = ctx;
	if (atomic_load(&b->step) == STEP_INDEXES && hold_here(b, CACHE_BUILD_HOLD_IN_INDEX))
		return 1;
	return atomic_load(&b->cancel) ? 1 : 0;
}

static void *worker(void *arg)
{
	cache_build *b = arg;
	char *err = b->err;
	size_t errsz = sizeof b->err;
	int rc = -1;
	sqlite3_progress_handler(b->db, 1000, progress, b);
	sqlite3_busy_timeout(b->db, 10000);
	/* the sorter spills to a file (see cache_bulk_end); ANALYZE samples */
	if (db_exec(b->db, "PRAGMA temp_store = FILE; PRAGMA synchronous = NORMAL;"
		    " PRAGMA cache_size = -16000; PRAGMA analysis_limit = 1000;", err, errsz) == 0 &&
	    db_exec(b->db, "BEGIN IMMEDIATE", err, errsz) == 0) {
		rc = build_steps(b->db, b->kind, b, err, errsz);
		if (rc == 0 && hold_here(b, CACHE_BUILD_HOLD_BEFORE_COMMIT)) {
			snprintf(err, errsz, "interrupted");
			rc = -1;
		}
		if (rc == 0) {
			set_step(b, STEP_COMMIT);
			rc = db_exec(b->db, "COMMIT", err, errsz);
		}
		if (rc != 0 && !sqlite3_get_autocommit(b->db)) {
			char ignore[64];
			db_exec(b->db, "ROLLBACK", ignore, sizeof ignore);
		}
	}
	if (rc == 0 && !atomic_load(&b->cancel)) {
		/* copy the build into the database file here, not on the loop's
		 * thread at its next commit */
		char ignore[64];
		db_exec(b->db, "PRAGMA wal_checkpoint(PASSIVE)", ignore, sizeof ignore);
	}
	if (rc != 0 && atomic_load(&b->cancel))
		snprintf(err, errsz, "interrupted");
	b->rc = rc;
	set_step(b, STEP_DONE);
	atomic_store(&b->finished, true);
	ssize_t w;
	do
		w = write(b->wake[1], "x", 1);
	while (w < 0 && errno == EINTR);
	return NULL;
}

static void build_free(cache_build *b)
{
	if (b->db)
		sqlite3_close(b->db);
	for (int i = 0; i < 2; i++)
		if (b->wake[i] >= 0)
			close(b->wake[i]);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	free(b);
}

int cache_bulk_build_start(cache *c, api_kind kind)
{
	if (!c->bulk[kind])
		return 1;
	if (c->build) {
		snprintf(c->err, sizeof c->err, "the %s indexes are being built already",
			 cache_table(c->build->kind));
		return -1;
	}
	/* an in-memory database has no second connection, a library built
	 * without threads no second thread: build here */
	if (strcmp(c->path, ":memory:") == 0 || !sqlite3_threadsafe() || c->tx_depth > 0)
		return cache_bulk_end(c, kind) == 0 ? 1 : -1;
	cache_build *b = calloc(1, sizeof *b);
	if (!b) {
		snprintf(c->err, sizeof c->err, "building the indexes: out of memory");
		return -1;
	}
	b->wake[0] = b->wake[1] = -1;
	b->kind = kind;
	b->hold = c->test_hold;
	b->started_ms = clock_now_ms();
	atomic_init(&b->cancel, false);
	atomic_init(&b->finished, false);
	atomic_init(&b->step, STEP_START);
	if (pthread_mutex_init(&b->mu, NULL) != 0) {
		free(b);
		snprintf(c->err, sizeof c->err, "building the indexes: no mutex");
		return -1;
	}
	if (pthread_cond_init(&b->cv, NULL) != 0) {
		pthread_mutex_destroy(&b->mu);
		free(b);
		snprintf(c->err, sizeof c->err, "building the indexes: no condition variable");
		return -1;
	}
	if (pipe2(b->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(c->err, sizeof c->err, "building the indexes: %s", strerror(errno));
		b->wake[0] = b->wake[1] = -1;
		build_free(b);
		return -1;
	}
	if (sqlite3_open_v2(c->path, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK) {
		snprintf(c->err, sizeof c->err, "building the indexes: %s",
			 b->db ? sqlite3_errmsg(b->db) : "cannot open the cache");
		build_free(b);
		return -1;
	}
	int e = pthread_create(&b->thread, NULL, worker, b);
	if (e != 0) {
		snprintf(c->err, sizeof c->err, "building the indexes: %s", strerror(e));
		build_free(b);
		return -1;
	}
	c->build = b;
	return 0;
}

bool cache_building(const cache *c)
{
	return c && c->build;
}

int cache_build_fd(const cache *c)
{
	return c && c->build ? c->build->wake[0] : -1;
}

bool cache_build_status(const cache *c, cache_build_info *out)
{
	memset(out, 0, sizeof *out);
	if (!c || !c->build)
		return false;
	int step = atomic_load(&c->build->step);
	out->kind = c->build->kind;
	out->started_ms = c->build->started_ms;
	out->step = step_names[step >= 0 && step <= STEP_DONE ? step : 0];
	return true;
}

int cache_build_finish(cache *c, api_kind *kind)
{
	cache_build *b = c->build;
	if (!b)
		return 1;
	char drain[16];
	while (read(b->wake[0], drain, sizeof drain) > 0)
		;
	if (!atomic_load(&b->finished))
		return 1;
	pthread_join(b->thread, NULL);
	c->build = NULL;
	if (kind)
		*kind = b->kind;
	int rc = b->rc;
	if (rc == 0) {
		c->bulk[b->kind] = false;
		c->data_version++;
	} else {
		snprintf(c->err, sizeof c->err, "building the %s indexes: %.400s",
			 cache_table(b->kind), b->err);
	}
	build_free(b);
	return rc == 0 ? 0 : -1;
}

void cache_build_cancel(cache *c)
{
	cache_build *b = c->build;
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	atomic_store(&b->cancel, true);
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
	sqlite3_interrupt(b->db);
	pthread_join(b->thread, NULL);
	c->build = NULL;
	build_free(b);
}

/* ---- tests ---- */

void cache_build_test_hold(cache *c, int where)
{
	c->test_hold = where;
}

bool cache_build_test_wait_held(cache *c, int timeout_ms)
{
	cache_build *b = c->build;
	if (!b)
		return false;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&b->mu);
	int e = 0;
	while (!b->held && e == 0)
		e = pthread_cond_timedwait(&b->cv, &b->mu, &until);
	bool held = b->held;
	pthread_mutex_unlock(&b->mu);
	return held;
}

void cache_build_test_release(cache *c)
{
	cache_build *b = c->build;
	if (!b)
		return;
	pthread_mutex_lock(&b->mu);
	b->released = true;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}
