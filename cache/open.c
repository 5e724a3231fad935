/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/open.c: find, open, check and migrate the cache file; move a bad
 * one aside and start again. */
#include "cache/cache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/text.h"

const char *cache_table(api_kind kind)
{
	switch (kind) {
	case API_KIND_CHANNEL: return "channels";
	case API_KIND_ROUTE: return "routes";
	case API_KIND_CASE: return "cases";
	case API_KIND_BREAK: return "breaks";
	case API_KIND_LIMIT: return "limits";
	case API_KIND_ALERT: return "alerts";
	case API_KIND_APPROVAL: break; /* not cached: sync/ never saves them */
	}
	return "?";
}

int cache_fail(cache *c, const char *what)
{
	snprintf(c->err, sizeof c->err, "%s: %s", what,
		 c->db ? sqlite3_errmsg(c->db) : "no database");
	return -1;
}

int cache_exec(cache *c, const char *sql)
{
	char *emsg = NULL;
	if (sqlite3_exec(c->db, sql, NULL, NULL, &emsg) != SQLITE_OK) {
		snprintf(c->err, sizeof c->err, "%s", emsg ? emsg : sqlite3_errmsg(c->db));
		sqlite3_free(emsg);
		return -1;
	}
	return 0;
}

time_t cache_json_time(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	time_t t = 0;
	if (!s || time_parse_rfc3339(s, &t) != 0)
		return 0;
	return t;
}

/* FNV-1a, 64 bits: a stable name, not a secret. */
void cache_file_name(const char *url, char *out, size_t outsz)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)(url ? url : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	snprintf(out, outsz, "cache-%016llx.db", (unsigned long long)h);
}

const char *cache_path(const cache *c)
{
	return c->path;
}

const char *cache_error(const cache *c)
{
	return c->err;
}

uint64_t cache_data_version(const cache *c)
{
	return c->data_version;
}

/* mkdir -p, each new level 0700. */
int cache_make_dirs(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] == '/' || buf[i] == '\0') {
			char save = buf[i];
			buf[i] = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return -1;
			buf[i] = save;
		}
	}
	return 0;
}

/* Create the file 0600 before SQLite does (its -wal and -shm files copy
 * the database file's mode), and tighten an existing one. */
static int prepare_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	int rc = fchmod(fd, 0600);
	close(fd);
	return rc;
}

static void close_db(cache *c)
{
	for (int k = 0; k < CACHE_N_KINDS; k++) {
		for (int m = 0; m < CACHE_SAVE__N; m++) {
			sqlite3_finalize(c->upsert[m][k]);
			c->upsert[m][k] = NULL;
		}
		sqlite3_finalize(c->touch[k]);
		sqlite3_finalize(c->version_of[k]);
		c->touch[k] = c->version_of[k] = NULL;
	}
	if (c->db)
		sqlite3_close(c->db);
	c->db = NULL;
}

static bool is_memory(const char *path)
{
	return strcmp(path, ":memory:") == 0;
}

/* Read an integer from a one-value query; -1 when it fails. */
static int query_int(cache *c, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* The busy timeout (about 2 s, the delays SQLite's own uses), except
 * while this cache's index build holds the write lock: that takes
 * seconds, and a write that waited for it would freeze the loop, so it
 * fails at once and its caller defers it. */
static int busy_wait(void *ctx, int count)
{
	static const int delays[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
	const cache *c = ctx;
	if (c->build)
		return 0;
	int n = (int)(sizeof delays / sizeof delays[0]);
	int waited = 0;
	for (int i = 0; i < count && i < n; i++)
		waited += delays[i];
	if (count >= n)
		waited += (count - n) * delays[n - 1];
	int d = delays[count < n ? count : n - 1];
	if (waited + d > 2000)
		return 0;
	sqlite3_sleep(d);
	return 1;
}

typedef enum { OPEN_OK, OPEN_BAD, OPEN_NEWER, OPEN_FAILED } open_result;

static open_result open_db(cache *c, int64_t *found_version)
{
	*found_version = 0;
	if (!is_memory(c->path) && prepare_file(c->path) != 0) {
		snprintf(c->err, sizeof c->err, "%s: %s", c->path, strerror(errno));
		return OPEN_FAILED;
	}
	int rc = sqlite3_open_v2(c->path, &c->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				 SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		cache_fail(c, "open");
		return OPEN_FAILED;
	}
	sqlite3_extended_result_codes(c->db, 0);
	sqlite3_busy_handler(c->db, busy_wait, c);
	/* The first statements read the header: garbage shows up here. */
	int64_t uv = 0, sv = 0, has_table = 0;
	rc = query_int(c, "PRAGMA user_version", &uv);
	if (rc == SQLITE_OK)
		rc = query_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			       " AND name = 'schema_version'", &has_table);
	if (rc == SQLITE_OK && has_table)
		rc = query_int(c, "SELECT coalesce(max(version), 0) FROM schema_version", &sv);
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
		cache_fail(c, "reading the cache");
		return OPEN_BAD;
	}
	if (rc != SQLITE_OK) {
		cache_fail(c, "reading the cache");
		return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? OPEN_FAILED : OPEN_BAD;
	}
	*found_version = uv > sv ? uv : sv;
	if (*found_version > CACHE_SCHEMA_VERSION)
		return OPEN_NEWER;
	/* A cache: WAL so readers never wait for the writer, NORMAL so a
	 * crash can lose the last transactions but never corrupt the file. */
	if (cache_exec(c, "PRAGMA journal_mode = WAL") != 0 ||
	    cache_exec(c, "PRAGMA synchronous = NORMAL") != 0 ||
	    cache_exec(c, "PRAGMA temp_store = MEMORY") != 0 ||
	    cache_exec(c, "PRAGMA cache_size = -16000") != 0 ||
	    /* ANALYZE samples instead of reading a million rows */
	    cache_exec(c, "PRAGMA analysis_limit = 1000") != 0) {
		int e = sqlite3_errcode(c->db);
		return e == SQLITE_NOTADB || e == SQLITE_CORRUPT ? OPEN_BAD : OPEN_FAILED;
	}
	if (cache_exec(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") != 0) {
		int e = sqlite3_errcode(c->db);
		return e == SQLITE_NOTADB || e == SQLITE_CORRUPT ? OPEN_BAD : OPEN_FAILED;
	}
	/* a migration that copies a table of a million rows sorts on disk,
	 * not in memory */
	if (*found_version < CACHE_SCHEMA_VERSION && cache_exec(c, "PRAGMA temp_store = FILE") != 0)
		return OPEN_FAILED;
	for (int v = (int)*found_version + 1; v <= CACHE_SCHEMA_VERSION; v++) {
		char setv[128];
		snprintf(setv, sizeof setv,
			 "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d);"
			 " PRAGMA user_version = %d;", v, v);
		if (cache_exec(c, "BEGIN IMMEDIATE") != 0)
			return OPEN_FAILED;
		if (cache_exec(c, cache_migration(v)) != 0 || cache_exec(c, setv) != 0) {
			char why[512];
			snprintf(why, sizeof why, "%s", c->err);
			cache_exec(c, "ROLLBACK");
			snprintf(c->err, sizeof c->err, "migration to version %d: %.400s", v, why);
			return OPEN_BAD;
		}
		if (cache_exec(c, "COMMIT") != 0)
			return OPEN_FAILED;
	}
	if (cache_exec(c, "PRAGMA temp_store = MEMORY") != 0)
		return OPEN_FAILED;
	if (cache_bulk_load_flags(c) != 0 || cache_bulk_settle(c) != 0)
		return OPEN_BAD;
	return OPEN_OK;
}

/* Rename path (and its -wal/-shm) to path.<why>-<timestamp>. */
static int move_aside(const char *path, const char *why, char *dest, size_t destsz)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(dest, destsz, "%s.%s-%s", path, why, stamp);
	for (int i = 2; access(dest, F_OK) == 0 && i < 100; i++)
		snprintf(dest, destsz, "%s.%s-%s.%d", path, why, stamp, i);
	if (rename(path, dest) != 0)
		return -1;
	static const char *const sides[] = { "-wal", "-shm" };
	for (int i = 0; i < 2; i++) {
		char from[4200], to[4300];
		snprintf(from, sizeof from, "%s%s", path, sides[i]);
		snprintf(to, sizeof to, "%s%s", dest, sides[i]);
		if (rename(from, to) != 0 && errno != ENOENT)
			unlink(from);
	}
	return 0;
}

cache *cache_open_path(const char *path, char *msg, size_t msgsz)
{
	if (msg && msgsz)
		msg[0] = '\0';
	cache *c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(path))) {
		free(c);
		if (msg && msgsz)
			snprintf(msg, msgsz, "cache: out of memory");
		return NULL;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		int64_t found = 0;
		open_result r = open_db(c, &found);
		if (r == OPEN_OK)
			return c;
		close_db(c);
		if (r == OPEN_FAILED || is_memory(path) || attempt == 1)
			break;
		char dest[4200], why[300];
		if (r == OPEN_NEWER)
			snprintf(why, sizeof why, "it was written by a newer payops (schema %lld, this one knows %d)",
				 (long long)found, CACHE_SCHEMA_VERSION);
		else
			snprintf(why, sizeof why, "it is unreadable (%.250s)", c->err);
		if (move_aside(path, r == OPEN_NEWER ? "newer" : "corrupt", dest, sizeof dest) != 0) {
			snprintf(c->err, sizeof c->err, "cannot move %s aside: %s", path, strerror(errno));
			break;
		}
		if (msg && msgsz)
			snprintf(msg, msgsz, "cache %s: %s; moved it aside to %s and started a new one",
				 path, why, dest);
		c->err[0] = '\0';
	}
	if (msg && msgsz) {
		size_t used = strlen(msg);
		snprintf(msg + used, msgsz - used, "%scache %s: %s; running without a cache",
			 used ? "; " : "", path, c->err);
	}
	free(c->path);
	free(c);
	return NULL;
}

cache *cache_open(const cfg_config *cfg, const char *first_site_url,
		  char *msg, size_t msgsz)
{
	char *dir = cfg_cache_dir(cfg);
	if (!dir) {
		if (msg && msgsz)
			snprintf(msg, msgsz, "cache: no cache directory ($XDG_CACHE_HOME or $HOME)");
		return NULL;
	}
	if (cache_make_dirs(dir) != 0) {
		if (msg && msgsz)
			snprintf(msg, msgsz, "cache: cannot create %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	char name[64], path[4096];
	cache_file_name(first_site_url, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	free(dir);
	return cache_open_path(path, msg, msgsz);
}

void cache_close(cache *c)
{
	if (!c)
		return;
	/* a build in progress rolls back: the next start builds again */
	cache_build_cancel(c);
	if (c->tx_depth > 0)
		cache_exec(c, "ROLLBACK");
	/* refreshes the planner's statistics when they went stale; cheap */
	if (c->db)
		cache_exec(c, "PRAGMA optimize");
	close_db(c);
	cache_queue_free(c);
	free(c->path);
	free(c);
}

/* ---- transactions ---- */

int cache_begin(cache *c)
{
	if (c->tx_depth > 0) {
		c->tx_depth++;
		return 0;
	}
	cache_build_info bi;
	if (cache_build_status(c, &bi)) {
		snprintf(c->err, sizeof c->err, "the cache is building its %s indexes;"
			 " writes wait until it is done", cache_table(bi.kind));
		return -1;
	}
	c->tx_depth++;
	c->tx_failed = false;
	if (cache_exec(c, "BEGIN IMMEDIATE") != 0) {
		c->tx_depth = 0;
		return -1;
	}
	return 0;
}

int cache_commit(cache *c)
{
	if (c->tx_depth <= 0)
		return -1;
	if (--c->tx_depth > 0)
		return 0;
	if (c->tx_failed) {
		cache_exec(c, "ROLLBACK");
		return -1;
	}
	if (cache_exec(c, "COMMIT") != 0) {
		cache_exec(c, "ROLLBACK");
		return -1;
	}
	return 0;
}

void cache_rollback(cache *c)
{
	if (c->tx_depth <= 0)
		return;
	if (--c->tx_depth > 0) {
		c->tx_failed = true;
		return;
	}
	cache_exec(c, "ROLLBACK");
}
