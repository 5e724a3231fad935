/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/reader.c: slow queries of the breaks pane on a thread of their own.
 *
 * The thread holds its own connection to the cache file (WAL: it reads the
 * last committed state while the loop's connection writes) and a private
 * cache handle around it, so it runs the same query builders as the loop
 * (cache_rowset_breaks). One job slot: a post replaces the waiting job and
 * bumps the job number; SQLite's progress handler stops a running query
 * as soon as its number is no longer the newest, so an operator typing a
 * filter never waits for the answers to the letters before. An answer is
 * kept only when it answers the newest post, and a byte on a pipe wakes
 * the loop (cache_reader_fd); an idle reader costs nothing. */
#include "cache/cache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

/* How long the first rows may take before the whole answer is run */
#define FIRST_MS 80

struct cache_reader {
	cache *main;            /* the loop's handle: bulk flags at post time */
	char *path;
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wake[2];            /* the thread writes a byte per answer */
	/* under mu */
	bool has_job, quit;
	cache_break_job job;
	bool has_answer;
	cache_rowset answer;
	/* read by the progress handler without the lock */
	atomic_uint_fast64_t newest;  /* the number of the newest post */
	atomic_uint_fast64_t running; /* the number of the job being run */
	atomic_bool stop;
	atomic_int_fast64_t deadline; /* clock_now_ms() a first page may take to */
};

/* SQLite's progress handler: nonzero stops the query. */
static int still_wanted(void *ctx)
{
	cache_reader *r = ctx;
	int64_t until = atomic_load(&r->deadline);
	return atomic_load(&r->stop) ||
	       atomic_load(&r->running) != atomic_load(&r->newest) ||
	       (until && clock_now_ms() > until);
}

/* Hand an answer over when it still answers the newest post (under mu). */
static void deliver(cache_reader *r, cache_rowset *rs)
{
	if (rs->job != atomic_load(&r->newest) || r->quit) {
		cache_rowset_free(rs); /* a newer post wants another answer */
		return;
	}
	cache_rowset_free(&r->answer);
	r->answer = *rs;
	r->has_answer = true;
	ssize_t w;
	do
		w = write(r->wake[1], "a", 1);
	while (w < 0 && errno == EINTR);
}

static int open_conn(cache_reader *r, cache *c)
{
	if (sqlite3_open_v2(r->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK) {
		cache_fail(c, "reader: open");
		sqlite3_close(c->db);
		c->db = NULL;
		return -1;
	}
	/* it only reads; sorts of a few hundred thousand ids go to a file
	 * rather than to memory (resident size stays small) */
	if (cache_exec(c, "PRAGMA query_only = 1") != 0 ||
	    cache_exec(c, "PRAGMA temp_store = FILE") != 0 ||
	    cache_exec(c, "PRAGMA cache_size = -8000") != 0)
		return -1;
	sqlite3_busy_timeout(c->db, 2000);
	sqlite3_progress_handler(c->db, 1000, still_wanted, r);
	return 0;
}

static void *reader_main(void *arg)
{
	cache_reader *r = arg;
	cache conn;
	memset(&conn, 0, sizeof conn);
	conn.path = r->path;
	bool opened = false;
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->has_job && !r->quit)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->quit)
			break;
		/* a copy whose strings are its own */
		cache_break_job job;
		cache_break_job_copy(&job, &r->job);
		uint64_t id = atomic_load(&r->newest);
		r->has_job = false;
		atomic_store(&r->running, id);
		pthread_mutex_unlock(&r->mu);

		cache_rowset rs;
		memset(&rs, 0, sizeof rs);
		rs.job = id;
		int64_t t0 = clock_now_ms();
		if (!opened && open_conn(r, &conn) == 0)
			opened = true;
		if (!opened) {
			rs.rc = -1;
			snprintf(rs.err, sizeof rs.err, "%s", conn.err);
			if (conn.db) {
				sqlite3_close(conn.db);
				conn.db = NULL;
			}
		} else {
			memset(conn.bulk, 0, sizeof conn.bulk);
			conn.bulk[API_KIND_BREAK] = job.bulk;
			if (job.first) {
				/* the first rows, when the sort meets them soon
				 * (the text's plan is not part of the wait) */
				cache_breaks_plan_text(&conn, &job.f);
				atomic_store(&r->deadline, clock_now_ms() + FIRST_MS);
				int frc = cache_rowset_breaks_first(&conn, &job, &rs);
				atomic_store(&r->deadline, 0);
				rs.job = id;
				if (frc == 0) {
					rs.ms = clock_now_ms() - t0;
					bool whole = !rs.partial;
					pthread_mutex_lock(&r->mu);
					deliver(r, &rs);
					if (whole)
						continue; /* still locked, as the loop wants */
					pthread_mutex_unlock(&r->mu);
				}
				memset(&rs, 0, sizeof rs);
				rs.job = id;
			}
			cache_rowset_breaks(&conn, &job, &rs);
		}
		rs.ms = clock_now_ms() - t0;

		pthread_mutex_lock(&r->mu);
		deliver(r, &rs);
	}
	pthread_mutex_unlock(&r->mu);
	if (conn.db)
		sqlite3_close(conn.db);
	return NULL;
}

cache_reader *cache_reader_new(cache *c)
{
	if (!c || !c->path || strcmp(c->path, ":memory:") == 0)
		return NULL;
	cache_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->main = c;
	r->wake[0] = r->wake[1] = -1;
	r->path = strdup(c->path);
	if (!r->path || pipe2(r->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(r->path);
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	return r;
}

void cache_reader_free(cache_reader *r)
{
	if (!r)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->quit = true;
		atomic_store(&r->stop, true);
		pthread_cond_signal(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL);
	}
	cache_rowset_free(&r->answer);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	close(r->wake[0]);
	close(r->wake[1]);
	free(r->path);
	free(r);
}

int cache_reader_fd(const cache_reader *r)
{
	return r ? r->wake[0] : -1;
}

uint64_t cache_reader_post(cache_reader *r, const cache_break_job *j)
{
	if (!r)
		return 0;
	pthread_mutex_lock(&r->mu);
	if (!r->started) {
		if (pthread_create(&r->thread, NULL, reader_main, r) != 0) {
			pthread_mutex_unlock(&r->mu);
			return 0;
		}
		r->started = true;
	}
	cache_break_job_copy(&r->job, j);
	r->job.bulk = r->main->bulk[API_KIND_BREAK];
	r->has_job = true;
	uint64_t id = atomic_load(&r->newest) + 1;
	atomic_store(&r->newest, id);
	/* an answer to an older post is no longer wanted */
	cache_rowset_free(&r->answer);
	r->has_answer = false;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return id;
}

void cache_reader_cancel(cache_reader *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->has_job = false;
	atomic_store(&r->newest, atomic_load(&r->newest) + 1);
	cache_rowset_free(&r->answer);
	r->has_answer = false;
	pthread_mutex_unlock(&r->mu);
}

int cache_reader_take(cache_reader *r, cache_rowset *out)
{
	if (!r)
		return 0;
	char buf[64];
	while (read(r->wake[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&r->mu);
	int got = r->has_answer;
	if (got) {
		*out = r->answer;
		memset(&r->answer, 0, sizeof r->answer);
		r->has_answer = false;
	}
	pthread_mutex_unlock(&r->mu);
	return got;
}
