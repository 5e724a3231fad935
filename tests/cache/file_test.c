/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/file_test.c: the cache's file: migrations from every older
 * version, a corrupt, truncated or newer file moved aside and rebuilt, its
 * path and modes, and no token in it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ev.h"
#include "cache/cache.h"
#include "cache/cache_int.h" /* cache_migration: files of older versions */
#include "net/http.h"
#include "store/store.h"
#include "sync/incr.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

/* ---- migrations ---- */

/* Version 1 as it shipped, written by hand: the test holds the migration
 * path to files that exist in the field. */
static const char v1_schema[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"INSERT INTO schema_version VALUES (1); PRAGMA user_version = 1;"
	"CREATE TABLE sync_state (coll TEXT PRIMARY KEY, fetched_at INTEGER NOT NULL DEFAULT 0,"
	" high_water INTEGER NOT NULL DEFAULT 0, full_at INTEGER NOT NULL DEFAULT 0,"
	" cursor TEXT NOT NULL DEFAULT '', walk INTEGER NOT NULL DEFAULT 0,"
	" walk_start INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE channels (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
	"CREATE TABLE routes (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
	"CREATE TABLE alerts (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);"
	"CREATE TABLE cases (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
	" stage INTEGER NOT NULL, risk_level INTEGER NOT NULL, risk_score INTEGER NOT NULL,"
	" assignee TEXT, sla_due_at INTEGER NOT NULL, submitted_at INTEGER NOT NULL,"
	" merchant_id TEXT NOT NULL, merchant_name TEXT NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE breaks (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
	" recon_date TEXT NOT NULL, channel_id TEXT NOT NULL, type INTEGER NOT NULL,"
	" status INTEGER NOT NULL, severity INTEGER NOT NULL,"
	" difference_minor INTEGER NOT NULL, detected_at INTEGER NOT NULL,"
	" merchant_id TEXT NOT NULL, order_no TEXT NOT NULL, channel_serial TEXT NOT NULL,"
	" assignee TEXT, json TEXT NOT NULL);"
	"CREATE TABLE limits (id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	" walk INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
	" scope INTEGER NOT NULL, state INTEGER NOT NULL, scope_id TEXT NOT NULL,"
	" name TEXT NOT NULL, limit_minor INTEGER NOT NULL, used_minor INTEGER NOT NULL,"
	" headroom INTEGER NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE summaries (date TEXT PRIMARY KEY, fetched_at INTEGER NOT NULL,"
	" json TEXT NOT NULL);";

static void test_migrate_from_v1(void **state)
{
	(void)state;
	char path[512], sql[4096];
	snprintf(path, sizeof path, "%s/v1.db", fixture_dir);
	fixture_sql_exec(path, v1_schema);
	fixture_break b = fixture_mk_break(3);
	b.diff = -4500;
	json_t *j = fixture_break_json(&b);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char *q = sqlite3_mprintf("INSERT INTO breaks (id, version, updated_at, recon_date, channel_id,"
				  " type, status, severity, difference_minor, detected_at, merchant_id,"
				  " order_no, channel_serial, json) VALUES (%Q, 1, 0, %Q, %Q, %d, %d, %d,"
				  " %lld, 0, 'm', 'o', 's', %Q);"
				  "INSERT INTO channels (id, version, json) VALUES ('c1', 1, %Q);"
				  "INSERT INTO sync_state (coll, fetched_at) VALUES ('channels', 1234);",
				  b.id, b.date, b.channel, b.type, b.status, b.sev, (long long)b.diff, txt,
				  "{\"id\":\"c1\"}");
	snprintf(sql, sizeof sql, "%s", q);
	sqlite3_free(q);
	free(txt);
	fixture_sql_exec(path, sql);

	char msg[512];
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_string_equal(msg, "");
	/* the v2 column was filled from the old rows: the filter finds it */
	cache_break_filter f = { .min_abs_difference = 4500 };
	int64_t n = -1, sum = 0;
	assert_int_equal(cache_count_breaks(c, &f, &n, &sum), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sum, -4500);
	f.min_abs_difference = 4501;
	assert_int_equal(cache_count_breaks(c, &f, &n, &sum), 0);
	assert_int_equal(n, 0);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_string_equal(got.channel_id, b.channel);
	api_break_free(&got);
	cache_sync_state s;
	assert_int_equal(cache_get_state(c, API_KIND_CHANNEL, &s), 0);
	assert_int_equal(s.fetched_at, 1234);
	cache_close(c);
	assert_int_equal(fixture_sql_int(path, "SELECT version FROM schema_version"), CACHE_SCHEMA_VERSION);
	assert_int_equal(fixture_sql_int(path, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
	/* v8 copied the table: its indexes wait for the build, or are built */
	assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM (SELECT name FROM sqlite_master"
				 " UNION SELECT name FROM bulk_saved) WHERE name = 'breaks_abs_difference'"), 1);
	assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM (SELECT name FROM sqlite_master"
				 " UNION SELECT name FROM bulk_saved) WHERE name = 'breaks_status_abs'"), 1);
	/* opening again migrates nothing and keeps the data */
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	f.min_abs_difference = 1;
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	assert_int_equal(n, 1);
	cache_close(c);
}

/* The break every migrated file holds, as a platform sends it (compact,
 * in the contract's order): what schema 8 rebuilds from its columns. */
#define MIGRATED_BREAK                                                         \
	"{\"id\":\"brk_20261120_000042\",\"recon_date\":\"2026-11-20\","        \
	"\"channel_id\":\"ch.1\",\"merchant_id\":\"mer_310115076779\","          \
	"\"order_no\":\"P2026112000000423\",\"channel_serial\":\"BK261120000042\"," \
	"\"type\":\"short\",\"platform_amount_minor\":10700,"                     \
	"\"channel_amount_minor\":10000,\"difference_minor\":-700,"               \
	"\"currency\":\"CNY\",\"detected_at\":\"1970-01-01T00:00:00Z\","         \
	"\"severity\":\"high\",\"status\":\"open\",\"assignee\":\"op.wang\","     \
	"\"resolution\":null,\"version\":1,\"updated_at\":\"2026-11-20T03:10:00Z\"}"

/* How many breaks the text filter finds. */
static int64_t breaks_with_text(cache *c, const char *text)
{
	int64_t n = -1;
	cache_break_filter f = { .text = text };
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	return n;
}

/* The rows every migrated file holds, found by each kind of filter. */
static void check_migrated(cache *c)
{
	int64_t n = -1;
	assert_int_equal(breaks_with_text(c, "P2026112000000423"), 1);
	assert_int_equal(breaks_with_text(c, "op.wang"), 1);
	cache_break_filter df = { .min_abs_difference = 700 };
	assert_int_equal(cache_count_breaks(c, &df, &n, NULL), 0);
	assert_int_equal(n, 1);
	cache_case_filter cf = { .text = "harbour coff" };
	assert_int_equal(cache_count_cases(c, &cf, 0, &n, NULL), 0);
	assert_int_equal(n, 1);
	cache_limit_filter lf = { .text = "r032.pay" };
	assert_int_equal(cache_count_limits(c, &lf, &n, NULL), 0);
	assert_int_equal(n, 1);
	lf.text = "r033";
	assert_int_equal(cache_count_limits(c, &lf, &n, NULL), 0);
	assert_int_equal(n, 0);
}

/* A file of every older version, made the way the field made it (v1 as
 * shipped, then each migration that followed), with a break, a case and
 * a limit in it: opening it reaches the latest version, keeps the rows,
 * and every text filter finds them through its trigram index. */
static void test_migrate_from_each_version(void **state)
{
	(void)state;
	for (int from = 1; from < CACHE_SCHEMA_VERSION; from++) {
		char path[512], msg[512];
		snprintf(path, sizeof path, "%s/from-v%d.db", fixture_dir, from);
		fixture_sql_exec(path, v1_schema);
		fixture_sql_exec(path, "INSERT INTO breaks (id, version, updated_at, recon_date, channel_id,"
			 " type, status, severity, difference_minor, detected_at, merchant_id,"
			 " order_no, channel_serial, assignee, json) VALUES ('brk_20261120_000042', 1, 0,"
			 " '2026-11-20', 'ch.1', 1, 0, 2, -700, 0, 'mer_310115076779',"
			 " 'P2026112000000423', 'BK261120000042', 'op.wang', '" MIGRATED_BREAK "');"
			 "INSERT INTO cases (id, version, updated_at, stage, risk_level, risk_score,"
			 " assignee, sla_due_at, submitted_at, merchant_id, merchant_name, json)"
			 " VALUES ('case_000017', 1, 0, 1, 1, 40, NULL, 0, 0, 'mer_440300000017',"
			 " 'Shenzhen Harbour Coffee', '{}');"
			 "INSERT INTO limits (id, version, updated_at, scope, state, scope_id, name,"
			 " limit_minor, used_minor, headroom, json) VALUES ('lim_0009', 1, 0, 1, 0,"
			 " 'xabank.r032.payout', 'daily payout cap', 1000, 10, 990, '{}');");
		for (int v = 2; v <= from; v++) {
			char setv[160];
			fixture_sql_exec(path, cache_migration(v));
			snprintf(setv, sizeof setv, "DELETE FROM schema_version;"
				 " INSERT INTO schema_version VALUES (%d); PRAGMA user_version = %d;", v, v);
			fixture_sql_exec(path, setv);
		}
		cache *c = cache_open_path(path, msg, sizeof msg);
		assert_non_null(c);
		if (msg[0])
			fail_msg("from v%d: %s", from, msg);
		/* v6 leaves its indexes to the build, which runs off the loop
		 * in the console: before it, the filters read the rows */
		for (int k = API_KIND_CASE; k <= API_KIND_LIMIT; k++)
			assert_true(cache_bulk_active(c, (api_kind)k));
		check_migrated(c);
		for (int k = API_KIND_CASE; k <= API_KIND_LIMIT; k++) {
			if (cache_bulk_end(c, (api_kind)k) != 0)
				fail_msg("from v%d, build %d: %s", from, k, cache_error(c));
			assert_false(cache_bulk_active(c, (api_kind)k));
		}
		check_migrated(c);
		/* the migrated break is kept as columns alone and reads as it came */
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM breaks WHERE raw IS NULL"
						    " AND json = ?1", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, MIGRATED_BREAK, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != 1)
			fail_msg("from v%d: the break is not its columns alone", from);
		sqlite3_finalize(st);
		/* on the copied table, the full-text index follows a change */
		char next[1024];
		snprintf(next, sizeof next, "%s", MIGRATED_BREAK);
		char *who = strstr(next, "op.wang"), *ver = strstr(next, "\"version\":1");
		assert_true(who && ver);
		memcpy(who, "op.zhao", 7);
		ver[10] = '2';
		assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, next, strlen(next), msg, sizeof msg), 0);
		assert_int_equal(breaks_with_text(c, "op.zhao"), 1);
		assert_int_equal(breaks_with_text(c, "op.wang"), 0);
		cache_close(c);
		assert_int_equal(fixture_sql_int(path, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
		assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM breaks_fts WHERE breaks_fts MATCH '\"042\"'"), 1);
		assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"cof\"'"), 1);
		assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM bulk_saved"), 0);
		/* the break is kept as columns alone, and reads as it came */
		assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM breaks WHERE raw IS NULL"
					 " AND json LIKE '%\"assignee\":\"op.zhao\"%\"version\":2,%'"), 1);
		assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN"
					 " ('breaks_date_id', 'breaks_abs_sort', 'breaks_type_severity',"
					 " 'cases_assignee', 'cases_risk', 'breaks_fts_update',"
					 " 'cases_fts_insert', 'limits_fts_delete')"), 8);
	}
}

static void test_new_file_is_latest(void **state)
{
	(void)state;
	char path[512], msg[512];
	snprintf(path, sizeof path, "%s/new.db", fixture_dir);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	cache_close(c);
	assert_int_equal(fixture_sql_int(path, "SELECT version FROM schema_version"), CACHE_SCHEMA_VERSION);
	assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM schema_version"), 1);
	/* what a migration left to the build is built at once on empty tables */
	assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM bulk_saved"), 0);
	assert_int_equal(fixture_sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN"
				 " ('breaks_fts_insert', 'cases_fts_update', 'limits_fts_delete',"
				 " 'breaks_date_id', 'cases_risk')"), 5);
	sqlite3 *db;
	sqlite3_open(path, &db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- bad files ---- */

static int count_aside(const char *base, const char *kind)
{
	DIR *d = opendir(fixture_dir);
	int n = 0;
	struct dirent *e;
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s.%s-", base, kind);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && !strstr(e->d_name, "-wal") &&
		    !strstr(e->d_name, "-shm"))
			n++;
	closedir(d);
	return n;
}

static void test_corrupt_moved_aside(void **state)
{
	(void)state;
	char path[512], msg[1024];
	snprintf(path, sizeof path, "%s/bad.db", fixture_dir);
	/* a real cache with data, then garbage over it */
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	fixture_break b = fixture_mk_break(1);
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	cache_close(c);
	int fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	char junk[8192];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 131 + 7);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);

	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_non_null(strstr(msg, "moved it aside"));
	assert_non_null(strstr(msg, "unreadable"));
	assert_int_equal(count_aside("bad.db", "corrupt"), 1);
	/* the new one works and starts empty */
	int64_t n = -1;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	cache_close(c);
}

static void test_truncated_moved_aside(void **state)
{
	(void)state;
	char path[512], msg[1024];
	snprintf(path, sizeof path, "%s/trunc.db", fixture_dir);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	fixture_break bs[300];
	for (int i = 0; i < 300; i++)
		bs[i] = fixture_mk_break(i);
	assert_int_equal(fixture_save_breaks(c, bs, 300), 0);
	cache_close(c);
	/* keep the header, lose the rest: the pages the schema points at are gone */
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	int fd = open(path, O_RDWR);
	char zero[4096] = {0};
	for (off_t o = 4096; o < st.st_size; o += 4096)
		assert_int_equal(pwrite(fd, zero, sizeof zero, o), (ssize_t)sizeof zero);
	assert_int_equal(pwrite(fd, "garbage!", 8, 100), 8);
	close(fd);
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_non_null(strstr(msg, "moved it aside"));
	assert_int_equal(count_aside("trunc.db", "corrupt"), 1);
	cache_close(c);
}

static void test_newer_moved_aside(void **state)
{
	(void)state;
	char path[512], msg[1024];
	snprintf(path, sizeof path, "%s/newer.db", fixture_dir);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	cache_close(c);
	fixture_sql_exec(path, "UPDATE schema_version SET version = 99");
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_non_null(strstr(msg, "newer"));
	assert_int_equal(count_aside("newer.db", "newer"), 1);
	cache_close(c);
	/* user_version alone says it too */
	char sql[64], want[32];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", CACHE_SCHEMA_VERSION + 1);
	snprintf(want, sizeof want, "schema %d", CACHE_SCHEMA_VERSION + 1);
	fixture_sql_exec(path, sql);
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_non_null(strstr(msg, want));
	assert_int_equal(count_aside("newer.db", "newer"), 2);
	cache_close(c);
	assert_int_equal(fixture_sql_int(path, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
}

/* ---- files, permissions, no token ---- */

static void stop_loop(void *ctx)
{
	ev_stop(ctx);
}

static bool file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t cap = 1 << 20, n;
	char *buf = malloc(cap);
	size_t nl = strlen(needle), have = 0;
	bool found = false;
	while (!found && (n = fread(buf + have, 1, cap - have, f)) > 0) {
		have += n;
		if (memmem(buf, have, needle, nl))
			found = true;
		if (have > nl) {
			memmove(buf, buf + have - nl, nl);
			have = nl;
		}
	}
	free(buf);
	fclose(f);
	return found;
}

static void test_path_perms_and_no_token(void **state)
{
	(void)state;
	char dir[512], msg[1024];
	snprintf(dir, sizeof dir, "%s/xdg/payops", fixture_dir);
	cfg_config cfg;
	cfg_defaults(&cfg);
	cfg.cache_dir = strdup(dir);
	const char *url = "http://127.0.0.1:9";
	cache *c = cache_open(&cfg, url, msg, sizeof msg);
	assert_non_null(c);
	char name[64];
	cache_file_name(url, name, sizeof name);
	assert_int_equal(strlen(name), strlen("cache-0123456789abcdef.db"));
	assert_int_equal(strncmp(name, "cache-", 6), 0);
	assert_non_null(strstr(cache_path(c), name));
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(cache_path(c), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char other[64];
	cache_file_name("http://127.0.0.1:10", other, sizeof other);
	assert_string_not_equal(name, other);

	/* data in, and a sync that holds a token fails against a closed port:
	 * the data stays, the error is recorded, the token is nowhere on disk */
	fixture_break b = fixture_mk_break(5);
	assert_int_equal(fixture_save_breaks(c, &b, 1), 0);
	const char *token = "tok-7f3a9c1e-SECRET-do-not-store";
	ev_loop *ev = ev_new();
	http_opts ho = {0};
	http_client *http = http_new(ev, &ho);
	store *s = store_new();
	incr_opts io = { .base_url = url, .token = token, .poll_ms = 100,
			 .kinds = 1u << API_KIND_BREAK };
	incr *in = incr_new(ev, http, s, c, &io);
	assert_non_null(in);
	incr_start(in);
	ev_timer_add(ev, 700, stop_loop, ev);
	ev_run(ev);
	assert_true(store_meta_get(s, STORE_BREAKS)->error[0] != '\0');
	int64_t n = 0;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 1);
	incr_free(in);
	http_free(http);
	ev_free(ev);
	store_free(s);
	char wal[600];
	snprintf(wal, sizeof wal, "%s-wal", cache_path(c));
	assert_false(file_has(cache_path(c), token));
	assert_false(file_has(wal, token));
	assert_true(file_has(wal, b.id) || file_has(cache_path(c), b.id)); /* the grep works */
	char path[600];
	snprintf(path, sizeof path, "%s", cache_path(c));
	cache_close(c);
	assert_false(file_has(path, token));
	free(cfg.cache_dir);
	cfg.cache_dir = NULL;
	cfg_free(&cfg);
}

UNIT_MAIN(fixture_setup_dir, fixture_teardown_dir,
	cmocka_unit_test(test_migrate_from_v1),
	cmocka_unit_test(test_migrate_from_each_version),
	cmocka_unit_test(test_new_file_is_latest),
	cmocka_unit_test(test_corrupt_moved_aside),
	cmocka_unit_test(test_truncated_moved_aside),
	cmocka_unit_test(test_newer_moved_aside),
	cmocka_unit_test(test_path_perms_and_no_token))
