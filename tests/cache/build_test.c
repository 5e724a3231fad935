/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/build_test.c: the index build at the end of a bulk load runs
 * on a thread of its own. While it runs the loop's connection reads, and
 * writes fail at once instead of waiting; afterwards the indexes, the
 * summary and the full-text index are there and a sorted page reads an
 * index; a cache closed during the build rolls it back and the next open
 * finds the load as it was and builds again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache_int.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/incr.h"
#include "base/ev.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

/* ---- helpers ---- */

static char dbpath[512];
static int file_no;


/* A fresh file per test. */
static void new_path(void)
{
	snprintf(dbpath, sizeof dbpath, "%s/cache-%d.db", fixture_dir, ++file_no);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *const statuses[] = { "open", "investigating", "escalated", "resolved", "written_off" };
static const char *const types[] = { "long", "short", "missing_platform", "missing_channel",
				     "amount_mismatch", "refund_no_final", "returned", "fund_mismatch" };
static const char *const sevs[] = { "low", "medium", "high" };

static json_t *break_json(int i, int version)
{
	char id[32], date[16], ch[16], mer[16], det[32], upd[32];
	snprintf(id, sizeof id, "brk_20261121_%06d", i);
	snprintf(date, sizeof date, "2026-11-%02d", 20 + i % 3);
	snprintf(ch, sizeof ch, "ch.%d", i % 7);
	snprintf(mer, sizeof mer, "mer_%06d", i * 13 % 1000);
	time_t t = 1795000000 + (i * 37) % 5000;
	fixture_time(t, det);
	fixture_time(t + 10, upd);
	json_int_t diff = (i % 2 ? -1 : 1) * (json_int_t)((i * 7919) % 100000);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:n,s:n,s:i,s:s}",
			      "id", id, "recon_date", date, "channel_id", ch,
			      "merchant_id", mer, "order_no", "P0001",
			      "channel_serial", "UP0001", "type", types[i % 8],
			      "platform_amount_minor", (json_int_t)10000,
			      "channel_amount_minor", (json_int_t)10000 + diff,
			      "difference_minor", diff, "currency", "CNY",
			      "detected_at", det, "severity", sevs[i % 3],
			      "status", statuses[i % 5], "assignee", "resolution",
			      "version", version, "updated_at", upd);
	assert_non_null(j);
	return j;
}

/* Breaks [from, from + n) in pages of 500. */
static void save_breaks(cache *c, int from, int n)
{
	for (int p = from; p < from + n; p += 500) {
		json_t *arr = json_array();
		for (int i = p; i < from + n && i < p + 500; i++)
			json_array_append_new(arr, break_json(i, 1));
		fixture_save_items(c, API_KIND_BREAK, arr);
	}
}

static cache *open_cache(void)
{
	char msg[512];
	cache *c = cache_open_path(dbpath, msg, sizeof msg);
	assert_non_null(c);
	assert_string_equal(msg, "");
	return c;
}

/* A second, independent connection: what another process would see. */
static int64_t sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *sql)
{
	sqlite3 *db;
	char *err = NULL;
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
	sqlite3_close(db);
}

/* Indexes of breaks that bulk_begin saved and that exist right now. */
static int64_t saved_indexes_present(void)
{
	return sql_int("SELECT count(*) FROM sqlite_master m JOIN bulk_saved b"
		       " ON b.name = m.name WHERE b.coll = 'breaks' AND m.type = 'index'");
}

/* The full-text index agrees with the rows (after a load without its
 * triggers, only a rebuild makes it so). 1 yes, 0 no, -1 no such table. */
static int fts_consistent(cache *c)
{
	(void)c;
	if (sql_int("SELECT count(*) FROM sqlite_master WHERE name = 'breaks_fts'") != 1)
		return -1;
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	int rc = sqlite3_exec(db, "INSERT INTO breaks_fts(breaks_fts, rank) VALUES('integrity-check', 1)",
			      NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 1 : 0;
}

/* A full-text index like the schema's, unless the schema has one. */
static void ensure_fts(void)
{
	if (sql_int("SELECT count(*) FROM sqlite_master WHERE name = 'breaks_fts'") == 1)
		return;
	sql_exec("CREATE VIRTUAL TABLE breaks_fts USING fts5(search, content='breaks',"
		 " content_rowid='rowid');"
		 "CREATE TRIGGER breaks_fts_insert AFTER INSERT ON breaks BEGIN"
		 " INSERT INTO breaks_fts (rowid, search) VALUES (NEW.rowid, NEW.search); END;"
		 "CREATE TRIGGER breaks_fts_delete AFTER DELETE ON breaks BEGIN"
		 " INSERT INTO breaks_fts (breaks_fts, rowid, search)"
		 " VALUES ('delete', OLD.rowid, OLD.search); END;"
		 "CREATE TRIGGER breaks_fts_update AFTER UPDATE OF search ON breaks"
		 " WHEN OLD.search IS NOT NEW.search BEGIN"
		 " INSERT INTO breaks_fts (breaks_fts, rowid, search)"
		 " VALUES ('delete', OLD.rowid, OLD.search);"
		 " INSERT INTO breaks_fts (rowid, search) VALUES (NEW.rowid, NEW.search); END;");
}

/* Wait for the build's descriptor, then finish it. */
static int finish_build(cache *c, int timeout_ms)
{
	int fd = cache_build_fd(c);
	assert_true(fd >= 0);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, timeout_ms), 1);
	api_kind k = API_KIND_CHANNEL;
	int rc = cache_build_finish(c, &k);
	assert_int_equal(k, API_KIND_BREAK);
	return rc;
}

static int count_rows(void *ctx, api_break *b)
{
	(void)b;
	(*(int *)ctx)++;
	return 0;
}

/* A cache file with n breaks loaded the bulk way (indexes dropped). */
static cache *loaded(int n)
{
	new_path();
	cache *c = open_cache();
	cache_close(c);
	ensure_fts();
	c = open_cache();
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 0);
	assert_true(cache_bulk_active(c, API_KIND_BREAK));
	assert_int_equal(cache_begin(c), 0);
	save_breaks(c, 0, n);
	assert_int_equal(cache_commit(c), 0);
	assert_true(sql_int("SELECT count(*) FROM bulk_saved WHERE coll = 'breaks'"
			    " AND sql LIKE 'CREATE INDEX%'") >= 5);
	assert_int_equal(saved_indexes_present(), 0);
	return c;
}

static const char sorted_page[] =
	"EXPLAIN QUERY PLAN SELECT id FROM breaks WHERE status = 0"
	" ORDER BY detected_at DESC LIMIT 50";

/* The plan of a sorted page, every detail joined. */
static void plan_of(cache *c, const char *sql, char *out, size_t outsz)
{
	(void)c;
	sqlite3 *db;
	sqlite3_stmt *st;
	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	size_t used = 0;
	while (sqlite3_step(st) == SQLITE_ROW && used + 1 < outsz)
		used += (size_t)snprintf(out + used, outsz - used, "%s; ",
					 (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- tests ---- */

static void test_build_off_the_caller(void **state)
{
	(void)state;
	enum { N = 4000 };
	cache *c = loaded(N);
	int64_t saved = sql_int("SELECT count(*) FROM bulk_saved WHERE coll = 'breaks'"
				" AND sql LIKE 'CREATE INDEX%'");
	char plan[2048];
	plan_of(c, sorted_page, plan, sizeof plan);
	assert_non_null(strstr(plan, "TEMP B-TREE")); /* no index to read yet */
	int fts = fts_consistent(c);
	assert_int_equal(fts, 0); /* the load ran without its triggers */

	/* hold the build just before its commit: everything done, nothing
	 * visible, the write lock taken */
	cache_build_test_hold(c, CACHE_BUILD_HOLD_BEFORE_COMMIT);
	assert_false(cache_building(c));
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 0);
	assert_true(cache_building(c));
	assert_true(cache_build_test_wait_held(c, 20000));
	cache_build_info bi;
	assert_true(cache_build_status(c, &bi));
	assert_int_equal(bi.kind, API_KIND_BREAK);
	assert_non_null(bi.step);

	/* reads answer, from the rows as they were */
	int rows = 0;
	assert_int_equal(cache_query_breaks(c, NULL, CACHE_BREAK_SORT_DETECTED, 0, 50,
					    count_rows, &rows), 50);
	int64_t n = 0;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, N);
	assert_true(cache_bulk_active(c, API_KIND_BREAK));
	assert_int_equal(saved_indexes_present(), 0);

	/* writes fail at once, they do not wait for the lock */
	json_t *j = break_json(N + 1, 1);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char msg[256];
	double t0 = now_ms();
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), -1);
	double took = now_ms() - t0;
	assert_true(took < 50);
	t0 = now_ms();
	assert_int_equal(cache_begin(c), -1);
	took = now_ms() - t0;
	assert_true(took < 50);
	assert_non_null(strstr(cache_error(c), "building"));
	t0 = now_ms();
	assert_int_equal(cache_mark_fetched(c, API_KIND_CASE, time(NULL)), -1);
	assert_true(now_ms() - t0 < 50);
	/* one build at a time; and not the synchronous one either */
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), -1);
	assert_int_equal(cache_bulk_end(c, API_KIND_BREAK), -1);

	cache_build_test_release(c);
	assert_int_equal(finish_build(c, 20000), 0);
	assert_false(cache_building(c));
	assert_false(cache_bulk_active(c, API_KIND_BREAK));
	assert_int_equal(cache_build_fd(c), -1);
	assert_false(cache_build_status(c, &bi));

	/* what was saved exists, bulk_saved is empty */
	assert_int_equal(sql_int("SELECT count(*) FROM bulk_saved"), 0);
	assert_int_equal(sql_int("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'breaks'"
				 " AND type = 'index' AND sql IS NOT NULL"), saved);
	assert_int_equal(sql_int("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'breaks'"
				 " AND type = 'trigger' AND name LIKE 'breaks_agg_%'"), 3);
	/* the summary equals the rows */
	assert_int_equal(sql_int("SELECT count(*) FROM ("
				 " SELECT recon_date, type, status, severity, count(*) n,"
				 "  sum(difference_minor) s FROM breaks GROUP BY 1, 2, 3, 4"
				 " EXCEPT SELECT recon_date, type, status, severity, sum(n),"
				 "  sum(sum_difference) FROM breaks_agg GROUP BY 1, 2, 3, 4)"), 0);
	assert_int_equal(sql_int("SELECT sum(n) FROM breaks_agg"), N);
	assert_int_equal(sql_int("SELECT sum(sum_difference) FROM breaks_agg"),
			 sql_int("SELECT sum(difference_minor) FROM breaks"));
	/* statistics were gathered */
	assert_true(sql_int("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'breaks'") > 0);
	/* a sorted page reads its index */
	plan_of(c, sorted_page, plan, sizeof plan);
	assert_null(strstr(plan, "TEMP B-TREE"));
	assert_non_null(strstr(plan, "INDEX"));
	/* the full-text index was rebuilt from the rows */
	assert_int_equal(fts_consistent(c), 1);

	/* writes work again, through the recreated triggers */
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), 0);
	free(txt);
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, N + 1);
	assert_int_equal(sql_int("SELECT sum(n) FROM breaks_agg"), N + 1);
	assert_int_equal(fts_consistent(c), 1);
	cache_close(c);
}

/* Close while the build is inside CREATE INDEX, or done but not yet
 * committed: rolled back; the next open finds the load as it was. */
static void close_during_build(int where)
{
	cache *c = loaded(3000);
	int64_t saved = sql_int("SELECT count(*) FROM bulk_saved");
	cache_build_test_hold(c, where);
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 0);
	assert_true(cache_build_test_wait_held(c, 20000));
	double t0 = now_ms();
	cache_close(c);
	assert_true(now_ms() - t0 < 2000);

	c = open_cache();
	assert_true(cache_bulk_active(c, API_KIND_BREAK));
	assert_false(cache_building(c));
	assert_int_equal(sql_int("SELECT count(*) FROM bulk_saved"), saved);
	assert_int_equal(saved_indexes_present(), 0);
	assert_int_equal(sql_int("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
				 " AND tbl_name = 'breaks'"), 0);
	assert_int_equal(sql_int("SELECT count(*) FROM breaks"), 3000);
	/* a write works again: nobody holds the lock */
	assert_int_equal(cache_mark_fetched(c, API_KIND_CASE, time(NULL)), 0);

	/* building again finishes the job */
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 0);
	assert_int_equal(finish_build(c, 20000), 0);
	assert_false(cache_bulk_active(c, API_KIND_BREAK));
	assert_int_equal(sql_int("SELECT count(*) FROM bulk_saved"), 0);
	assert_true(sql_int("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'breaks'"
			    " AND type = 'index' AND sql IS NOT NULL") >= 5);
	assert_int_equal(fts_consistent(c), 1);
	cache_close(c);
	c = open_cache();
	assert_false(cache_bulk_active(c, API_KIND_BREAK));
	cache_close(c);
}

static void test_close_inside_create_index(void **state)
{
	(void)state;
	close_during_build(CACHE_BUILD_HOLD_IN_INDEX);
}

static void test_close_before_commit(void **state)
{
	(void)state;
	close_during_build(CACHE_BUILD_HOLD_BEFORE_COMMIT);
}

/* No hold: close at some moment of a real build. Whatever the moment,
 * the file is all before or all after, never half. */
static void test_close_at_any_moment(void **state)
{
	(void)state;
	static const int delays_ms[] = { 0, 20, 80, 250 };
	for (size_t d = 0; d < sizeof delays_ms / sizeof delays_ms[0]; d++) {
		cache *c = loaded(20000);
		assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 0);
		usleep((useconds_t)delays_ms[d] * 1000);
		cache_close(c);
		int64_t saved = sql_int("SELECT count(*) FROM bulk_saved");
		int64_t present = sql_int("SELECT count(*) FROM sqlite_master WHERE"
					  " tbl_name = 'breaks' AND sql IS NOT NULL"
					  " AND type IN ('index', 'trigger')");
		if (saved == 0) {
			assert_true(present >= 8); /* all built */
		} else {
			assert_int_equal(present, 0); /* none */
			assert_int_equal(saved_indexes_present(), 0);
		}
		c = open_cache();
		assert_int_equal(cache_bulk_active(c, API_KIND_BREAK), saved != 0);
		cache_close(c);
	}
}

/* An in-memory cache has no second connection: built on the spot. */
static void test_memory_builds_here(void **state)
{
	(void)state;
	char msg[256];
	cache *c = cache_open_path(":memory:", msg, sizeof msg);
	assert_non_null(c);
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 1); /* nothing to build */
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 0);
	save_breaks(c, 0, 600);
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 1);
	assert_false(cache_building(c));
	assert_false(cache_bulk_active(c, API_KIND_BREAK));
	int64_t n = 0;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 600);
	cache_close(c);
}

/* The incremental sync does not write during a build: an event is put
 * off (at once, not after the busy timeout), and the rows stay as they
 * were; after the build, events go in again. */
static void test_incr_defers_during_build(void **state)
{
	(void)state;
	cache *c = loaded(1000);
	fixture_incr f;
	fixture_incr_open(&f, c);
	incr *in = f.in;
	store *s = f.s;
	cache_build_test_hold(c, CACHE_BUILD_HOLD_BEFORE_COMMIT);
	assert_int_equal(cache_bulk_build_start(c, API_KIND_BREAK), 0);
	assert_true(cache_build_test_wait_held(c, 20000));
	json_t *j = break_json(5000, 1);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	double t0 = now_ms();
	json_t *o = json_loads(txt, 0, NULL);
	assert_int_equal(incr_apply_event(in, "break", o, txt, strlen(txt)), 0);
	incr_flush_events(in); /* during the build: dropped, polled after it */
	assert_true(now_ms() - t0 < 50);
	int64_t n = 0;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 1000);
	incr_stats st;
	incr_get_stats(in, &st);
	assert_int_equal(st.errors, 0);
	assert_string_equal(store_meta_get(s, STORE_BREAKS)->error, "");
	cache_build_test_release(c);
	assert_int_equal(finish_build(c, 20000), 0);
	assert_int_equal(incr_apply_event(in, "break", o, txt, strlen(txt)), 0);
	incr_flush_events(in);
	json_decref(o);
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 1001);
	free(txt);
	fixture_incr_close(&f);
}

UNIT_MAIN(fixture_setup_dir, fixture_teardown_dir,
	cmocka_unit_test(test_build_off_the_caller),
	cmocka_unit_test(test_close_inside_create_index),
	cmocka_unit_test(test_close_before_commit),
	cmocka_unit_test(test_close_at_any_moment),
	cmocka_unit_test(test_memory_builds_here),
	cmocka_unit_test(test_incr_defers_during_build))
