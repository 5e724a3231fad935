/* tests/cache/cache_test.c: the SQLite cache on temporary files and
 * :memory: - migrations, round trips, merges, sweeps, paged queries,
 * bad files moved aside, no token in the file. */
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

#include "cache/cache.h"
#include "cache/cache_int.h" /* cache_migration: files of older versions */
#include "tests/cache/fixture.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/incr.h"
#include "base/ev.h"

/* ---- helpers ---- */


static const char *const statuses[] = { "open", "investigating", "escalated", "resolved", "written_off" };
static const char *const types[] = { "long", "short", "missing_platform", "missing_channel",
				     "amount_mismatch", "refund_no_final", "returned", "fund_mismatch" };
static const char *const sevs[] = { "low", "medium", "high" };

typedef struct {
	char id[32], date[16], channel[32], merchant[32];
	int type, status, sev;
	int64_t diff;
	time_t detected, updated;
	int version;
} tbrk;

static json_t *break_json(const tbrk *b)
{
	char det[32], upd[32];
	struct tm tm;
	gmtime_r(&b->detected, &tm);
	strftime(det, sizeof det, "%Y-%m-%dT%H:%M:%SZ", &tm);
	gmtime_r(&b->updated, &tm);
	strftime(upd, sizeof upd, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:n,s:n,s:i,s:s}",
			      "id", b->id, "recon_date", b->date, "channel_id", b->channel,
			      "merchant_id", b->merchant, "order_no", "P0001",
			      "channel_serial", "UP0001", "type", types[b->type],
			      "platform_amount_minor", (json_int_t)10000,
			      "channel_amount_minor", (json_int_t)(10000 + b->diff),
			      "difference_minor", (json_int_t)b->diff, "currency", "CNY",
			      "detected_at", det, "severity", sevs[b->sev],
			      "status", statuses[b->status], "assignee", "resolution",
			      "version", b->version, "updated_at", upd);
	assert_non_null(j);
	return j;
}

/* A list page body from objects (steals them). */
static char *page_of(json_t **items, size_t n, const char *next)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, items[i]);
	json_t *o = json_pack("{s:o,s:o}", "data", arr, "next_cursor",
			      next ? json_string(next) : json_null());
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	assert_non_null(s);
	return s;
}

static int save_breaks(cache *c, const tbrk *b, size_t n)
{
	json_t **items = calloc(n ? n : 1, sizeof *items);
	for (size_t i = 0; i < n; i++)
		items[i] = break_json(&b[i]);
	char *body = page_of(items, n, NULL);
	free(items);
	cache_page_result r;
	int rc = cache_save_page(c, API_KIND_BREAK, body, strlen(body), &r);
	cache_page_result_free(&r);
	free(body);
	return rc;
}

static tbrk mk_break(int i)
{
	tbrk b = {0};
	snprintf(b.id, sizeof b.id, "brk_20261121_%06d", i);
	snprintf(b.date, sizeof b.date, "2026-11-%02d", 20 + i % 2);
	snprintf(b.channel, sizeof b.channel, "ch.%d", i % 7);
	snprintf(b.merchant, sizeof b.merchant, "mer_%06d", i * 13 % 1000);
	b.type = i % 8;
	b.status = i % 5;
	b.sev = i % 3;
	b.diff = (i % 2 ? -1 : 1) * (int64_t)((i * 7919) % 100000);
	b.detected = 1795000000 + (i * 37) % 5000;
	b.updated = b.detected + 10;
	b.version = 1;
	return b;
}


static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
	sqlite3_close(db);
}

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
	sql_exec(path, v1_schema);
	tbrk b = mk_break(3);
	b.diff = -4500;
	json_t *j = break_json(&b);
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
	sql_exec(path, sql);

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
	assert_int_equal(sql_int(path, "SELECT version FROM schema_version"), CACHE_SCHEMA_VERSION);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'breaks_abs_difference'"), 1);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'breaks_status_abs'"), 1);
	/* opening again migrates nothing and keeps the data */
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	f.min_abs_difference = 1;
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	assert_int_equal(n, 1);
	cache_close(c);
}

/* The rows every migrated file holds, found by each kind of filter. */
static void check_migrated(cache *c)
{
	int64_t n = -1;
	cache_break_filter bf = { .text = "P2026112000000423" };
	assert_int_equal(cache_count_breaks(c, &bf, &n, NULL), 0);
	assert_int_equal(n, 1);
	bf.text = "op.wang";
	assert_int_equal(cache_count_breaks(c, &bf, &n, NULL), 0);
	assert_int_equal(n, 1);
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
		sql_exec(path, v1_schema);
		sql_exec(path, "INSERT INTO breaks (id, version, updated_at, recon_date, channel_id,"
			 " type, status, severity, difference_minor, detected_at, merchant_id,"
			 " order_no, channel_serial, assignee, json) VALUES ('brk_20261120_000042', 1, 0,"
			 " '2026-11-20', 'ch.1', 1, 0, 2, -700, 0, 'mer_310115076779',"
			 " 'P2026112000000423', 'BK261120000042', 'op.wang', '{}');"
			 "INSERT INTO cases (id, version, updated_at, stage, risk_level, risk_score,"
			 " assignee, sla_due_at, submitted_at, merchant_id, merchant_name, json)"
			 " VALUES ('case_000017', 1, 0, 1, 1, 40, NULL, 0, 0, 'mer_440300000017',"
			 " 'Shenzhen Harbour Coffee', '{}');"
			 "INSERT INTO limits (id, version, updated_at, scope, state, scope_id, name,"
			 " limit_minor, used_minor, headroom, json) VALUES ('lim_0009', 1, 0, 1, 0,"
			 " 'xabank.r032.payout', 'daily payout cap', 1000, 10, 990, '{}');");
		for (int v = 2; v <= from; v++) {
			char setv[160];
			sql_exec(path, cache_migration(v));
			snprintf(setv, sizeof setv, "DELETE FROM schema_version;"
				 " INSERT INTO schema_version VALUES (%d); PRAGMA user_version = %d;", v, v);
			sql_exec(path, setv);
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
		cache_close(c);
		assert_int_equal(sql_int(path, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
		assert_int_equal(sql_int(path, "SELECT count(*) FROM breaks_fts WHERE breaks_fts MATCH '\"042\"'"), 1);
		assert_int_equal(sql_int(path, "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"cof\"'"), 1);
		assert_int_equal(sql_int(path, "SELECT count(*) FROM bulk_saved"), 0);
		assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN"
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
	assert_int_equal(sql_int(path, "SELECT version FROM schema_version"), CACHE_SCHEMA_VERSION);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM schema_version"), 1);
	/* what a migration left to the build is built at once on empty tables */
	assert_int_equal(sql_int(path, "SELECT count(*) FROM bulk_saved"), 0);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN"
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
	tbrk b = mk_break(1);
	assert_int_equal(save_breaks(c, &b, 1), 0);
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
	assert_int_equal(save_breaks(c, &b, 1), 0);
	cache_close(c);
}

static void test_truncated_moved_aside(void **state)
{
	(void)state;
	char path[512], msg[1024];
	snprintf(path, sizeof path, "%s/trunc.db", fixture_dir);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	tbrk bs[300];
	for (int i = 0; i < 300; i++)
		bs[i] = mk_break(i);
	assert_int_equal(save_breaks(c, bs, 300), 0);
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
	sql_exec(path, "UPDATE schema_version SET version = 99");
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_non_null(strstr(msg, "newer"));
	assert_int_equal(count_aside("newer.db", "newer"), 1);
	cache_close(c);
	/* user_version alone says it too */
	sql_exec(path, "PRAGMA user_version = 7");
	c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_non_null(strstr(msg, "schema 7"));
	assert_int_equal(count_aside("newer.db", "newer"), 2);
	cache_close(c);
	assert_int_equal(sql_int(path, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
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
	tbrk b = mk_break(5);
	assert_int_equal(save_breaks(c, &b, 1), 0);
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

/* ---- round trips ---- */

static char *page_json(const char *items_json, const char *next)
{
	size_t n = strlen(items_json) + 128;
	char *s = malloc(n);
	if (next)
		snprintf(s, n, "{\"data\": [%s], \"next_cursor\": \"%s\"}", items_json, next);
	else
		snprintf(s, n, "{\"data\": [%s], \"next_cursor\": null}", items_json);
	return s;
}

static void test_small_round_trip(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	static const char ch[] =
		"{\"id\":\"icbc.direct.quickpay\",\"name\":\"工商银行 快捷支付\",\"network\":\"bank_direct\","
		"\"link_id\":\"icbc-bj-01\",\"admin_state\":\"enabled\",\"health\":\"healthy\","
		"\"breaker\":\"closed\",\"window_s\":60,\"tps\":123.4,\"system_success_rate\":0.9992,"
		"\"business_success_rate\":0.941,\"latency_ms\":{\"p50\":85,\"p95\":210,\"p99\":480},"
		"\"traffic_share\":0.18,\"top_errors\":[],\"interfaces\":[],\"maintenance\":null,"
		"\"version\":17,\"updated_at\":\"2026-11-21T08:15:00Z\",\"updated_by\":\"op.zhang\"}";
	char *two = malloc(sizeof ch * 2 + 8);
	snprintf(two, sizeof ch * 2 + 8, "%s,%s", ch, ch);
	/* the second copy gets another id */
	char *second = strstr(two + 1, "icbc.direct.quickpay");
	second = strstr(second + 1, "icbc.direct.quickpay");
	memcpy(second, "abcd", 4);
	char *p1 = page_json(two, "c2");
	char *p2 = page_json("{\"id\":\"qr.cny\",\"name\":\"二维码\",\"strategy\":\"weighted\","
			     "\"members\":[{\"channel_id\":\"unionpay.qr\",\"weight_pct\":100,\"eligible\":true}],"
			     "\"override\":null,\"version\":4}", NULL);
	char *p3 = page_json("{\"id\":\"alr_1\",\"fingerprint\":\"9f3c2a\",\"severity\":\"critical\","
			     "\"state\":\"firing\",\"title\":\"t\",\"summary\":\"s\",\"labels\":{},"
			     "\"starts_at\":\"2026-11-21T08:10:00Z\",\"ends_at\":null,\"acked_by\":null,"
			     "\"source\":\"platform\"}", NULL);
	const char *b1[] = { p1 };
	size_t l1[] = { strlen(p1) };
	assert_int_equal(cache_save_pages(c, API_KIND_CHANNEL, b1, l1, 1, 1000), 0);
	const char *b2[] = { p2 };
	size_t l2[] = { strlen(p2) };
	assert_int_equal(cache_save_pages(c, API_KIND_ROUTE, b2, l2, 1, 1001), 0);
	const char *b3[] = { p3 };
	size_t l3[] = { strlen(p3) };
	assert_int_equal(cache_save_pages(c, API_KIND_ALERT, b3, l3, 1, 1002), 0);

	store *s = store_new();
	assert_int_equal(cache_load_small(c, s), 3);
	assert_int_equal(store_channel_count(s), 2);
	const api_channel *got = store_channel_find(s, "icbc.direct.quickpay");
	assert_non_null(got);
	assert_string_equal(got->name, "工商银行 快捷支付");
	assert_int_equal(got->version, 17);
	assert_true(got->tps > 123.3 && got->tps < 123.5);
	assert_non_null(store_channel_find(s, "abcd.direct.quickpay"));
	assert_int_equal(store_route_count(s), 1);
	assert_int_equal(store_route_at(s, 0)->members[0].weight_pct, 100);
	assert_int_equal(store_alert_count(s), 1);
	const store_meta *m = store_meta_get(s, STORE_CHANNELS);
	assert_true(m->from_cache);
	assert_int_equal(m->fetched_at, 1000);
	assert_int_equal(store_meta_get(s, STORE_ROUTES)->fetched_at, 1001);
	assert_true(store_meta_get(s, STORE_ALERTS)->from_cache);
	store_free(s);

	/* a complete list without one of them: it is gone */
	const char *b4[] = { "{\"data\": 5}" };
	size_t l4[] = { strlen(b4[0]) };
	assert_int_equal(cache_save_pages(c, API_KIND_CHANNEL, b4, l4, 1, 1003), -1); /* not a list: refused, nothing lost */
	s = store_new();
	assert_int_equal(cache_load_small(c, s), 3);
	assert_int_equal(store_channel_count(s), 2);
	store_free(s);
	char *p5 = page_json(ch, NULL);
	const char *b5[] = { p5 };
	size_t l5[] = { strlen(p5) };
	assert_int_equal(cache_save_pages(c, API_KIND_CHANNEL, b5, l5, 1, 1004), 0);
	s = store_new();
	assert_int_equal(cache_load_small(c, s), 3);
	assert_int_equal(store_channel_count(s), 1);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->fetched_at, 1004);
	store_free(s);
	free(p1);
	free(p2);
	free(p3);
	free(p5);
	free(two);
	cache_close(c);
}

static void test_empty_cache_loads_nothing(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	store *s = store_new();
	assert_int_equal(cache_load_small(c, s), 0);
	assert_int_equal(store_meta_get(s, STORE_CHANNELS)->fetched_at, 0);
	store_free(s);
	cache_close(c);
}

static void test_big_round_trip(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	tbrk b = mk_break(42);
	assert_int_equal(save_breaks(c, &b, 1), 0);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_string_equal(got.id, b.id);
	assert_string_equal(got.recon_date, b.date);
	assert_int_equal(got.difference_minor, b.diff);
	assert_int_equal(got.type, b.type);
	assert_int_equal(got.status, b.status);
	assert_int_equal(got.detected_at, b.detected);
	api_break_free(&got);
	assert_int_equal(cache_get_break(c, "brk_nope", &got), 1);

	static const char cs[] =
		"{\"id\":\"case_000123\",\"merchant_id\":\"mer_510104000123\","
		"\"merchant_name\":\"成都市锦江区老妈火锅店\",\"mcc\":\"5812\",\"category\":\"restaurant\","
		"\"channel_requested\":\"unionpay.qr\",\"source\":\"agent_app\",\"stage\":\"manual_review\","
		"\"risk_level\":\"medium\",\"risk_score\":57,\"checks\":[{\"name\":\"blacklist\","
		"\"result\":\"pass\",\"detail\":\"\"}],\"submitted_at\":\"2026-11-21T02:00:00Z\","
		"\"sla_due_at\":\"2026-11-22T02:00:00Z\",\"assignee\":null,\"version\":3}";
	char msg[256];
	assert_int_equal(cache_upsert_json(c, API_KIND_CASE, cs, strlen(cs), msg, sizeof msg), 0);
	api_case gc = {0};
	assert_int_equal(cache_get_case(c, "case_000123", &gc), 0);
	assert_string_equal(gc.merchant_name, "成都市锦江区老妈火锅店");
	assert_int_equal(gc.stage, STAGE_MANUAL_REVIEW);
	assert_int_equal(gc.n_checks, 1);
	api_case_free(&gc);

	static const char lm[] =
		"{\"id\":\"lim_1\",\"scope\":\"reserve\",\"scope_id\":\"unionpay\",\"name\":\"备付金额度\","
		"\"period\":\"day\",\"limit_minor\":50000000,\"used_minor\":41230000,\"currency\":\"CNY\","
		"\"warn_at\":0.8,\"state\":\"warning\",\"resets_at\":\"2026-11-21T16:00:00Z\",\"version\":9,"
		"\"updated_at\":\"2026-11-21T08:00:00Z\"}";
	char *pl = page_json(lm, "next-one");
	cache_page_result r;
	assert_int_equal(cache_save_page(c, API_KIND_LIMIT, pl, strlen(pl), &r), 0);
	assert_int_equal(r.n_saved, 1);
	assert_string_equal(r.next_cursor, "next-one");
	assert_int_equal(r.max_updated_at, 1795248000);
	cache_page_result_free(&r);
	free(pl);
	api_limit gl = {0};
	assert_int_equal(cache_get_limit(c, "lim_1", &gl), 0);
	assert_int_equal(gl.used_minor, 41230000);
	assert_int_equal(gl.scope, SCOPE_RESERVE);
	api_limit_free(&gl);
	int64_t n, head;
	cache_limit_filter lf = { .scopes = 1u << SCOPE_RESERVE };
	assert_int_equal(cache_count_limits(c, &lf, &n, &head), 0);
	assert_int_equal(n, 1);
	assert_int_equal(head, 50000000 - 41230000);

	/* an item with a bad field is saved as it came (the decoder marks
	 * the field when it is read back); one without an id is refused and
	 * counted */
	char *bad = page_json("{\"id\":\"brk_bad\",\"recon_date\":5}", NULL);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, bad, strlen(bad), &r), 0);
	assert_int_equal(r.n_saved, 1);
	assert_int_equal(r.n_rejected, 0);
	cache_page_result_free(&r);
	free(bad);
	api_break gb = {0};
	assert_int_equal(cache_get_break(c, "brk_bad", &gb), 0);
	assert_string_equal(api_bad_why(&gb.bad, "recon_date"), "expected a string");
	api_break_free(&gb);
	bad = page_json("{\"recon_date\":5}", NULL);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, bad, strlen(bad), &r), 0);
	assert_int_equal(r.n_saved, 0);
	assert_int_equal(r.n_rejected, 1);
	assert_non_null(strstr(r.reject_msg, "id: missing"));
	cache_page_result_free(&r);
	free(bad);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, "{\"nope\":1}", 10, &r), -1);
	assert_int_equal(cache_save_page(c, API_KIND_BREAK, "not json", 8, &r), -1);
	cache_close(c);
}

static void test_recon_summary(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	tbrk bs[4];
	for (int i = 0; i < 4; i++) {
		bs[i] = mk_break(i * 2); /* even: date 2026-11-20 */
		snprintf(bs[i].channel, sizeof bs[i].channel, "%s", i < 3 ? "unionpay.qr" : "nucc.qr");
		bs[i].status = i == 1 ? 3 /* resolved */ : 0;
		bs[i].diff = 100 * (i + 1);
	}
	assert_int_equal(save_breaks(c, bs, 4), 0);
	static const char sum[] =
		"{\"date\": \"2026-11-20\", \"channels\": [{\"channel_id\": \"zz.last\","
		" \"file_status\": \"missing\", \"matched_count\": 0, \"break_count\": 0,"
		" \"open_count\": 0, \"net_difference_minor\": 0, \"currency\": \"HKD\"},"
		" {\"channel_id\": \"unionpay.qr\","
		" \"file_status\": \"parsed\", \"matched_count\": 120345, \"break_count\": 3,"
		" \"open_count\": 2, \"net_difference_minor\": 600, \"currency\": \"CNY\"},"
		" {\"channel_id\": \"aa.first\","
		" \"file_status\": \"late\", \"matched_count\": 5, \"break_count\": 0,"
		" \"open_count\": 0, \"net_difference_minor\": 0, \"currency\": \"USD\"}]}";
	assert_int_equal(cache_save_summary_json(c, sum, strlen(sum), 5), 0);
	api_recon_summary s = {0};
	assert_int_equal(cache_recon_summary(c, NULL, &s), 0);
	assert_string_equal(s.date, "2026-11-20");
	assert_int_equal(s.n_channels, 2);
	assert_string_equal(s.channels[0].channel_id, "nucc.qr");
	assert_int_equal(s.channels[0].break_count, 1);
	assert_int_equal(s.channels[0].net_difference_minor, 400);
	assert_int_equal(s.channels[0].file_status, FILE_UNKNOWN);
	assert_int_equal(s.channels[0].matched_count, -1);
	/* not in the platform's summary: the currency of one of its breaks */
	assert_string_equal(s.channels[0].currency, "CNY");
	assert_string_equal(s.channels[1].channel_id, "unionpay.qr");
	assert_int_equal(s.channels[1].break_count, 3);
	assert_int_equal(s.channels[1].open_count, 2);
	assert_int_equal(s.channels[1].net_difference_minor, 600);
	assert_int_equal(s.channels[1].file_status, FILE_PARSED);
	assert_int_equal(s.channels[1].matched_count, 120345);
	assert_string_equal(s.channels[1].currency, "CNY");
	api_recon_summary_free(&s);
	assert_int_equal(cache_recon_summary(c, "2030-01-01", &s), 0);
	assert_int_equal(s.n_channels, 0);
	api_recon_summary_free(&s);
	cache_close(c);
}

/* ---- merges and deletions ---- */

static void test_merge_updates(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	tbrk b = mk_break(7);
	b.status = 0;
	assert_int_equal(save_breaks(c, &b, 1), 0);
	/* a newer version from a poll replaces it */
	b.version = 3;
	b.status = 3;
	b.diff = -77;
	assert_int_equal(save_breaks(c, &b, 1), 0);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_int_equal(got.status, BS_RESOLVED);
	assert_int_equal(got.version, 3);
	api_break_free(&got);
	cache_break_filter f = { .statuses = 1u << BS_OPEN };
	int64_t n, sum;
	assert_int_equal(cache_count_breaks(c, &f, &n, NULL), 0);
	assert_int_equal(n, 0);
	/* an older copy (a page fetched before an event) does not win */
	b.version = 2;
	b.status = 1;
	json_t *j = break_json(&b);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char msg[256];
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), 1);
	free(txt);
	assert_int_equal(save_breaks(c, &b, 1), 0);
	assert_int_equal(cache_get_break(c, b.id, &got), 0);
	assert_int_equal(got.status, BS_RESOLVED);
	api_break_free(&got);
	cache_break_filter all = {0};
	assert_int_equal(cache_count_breaks(c, &all, &n, &sum), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sum, -77);
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, "{}", 2, msg, sizeof msg), -1);
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, "{", 1, msg, sizeof msg), -1);
	cache_close(c);
}

static void test_deletions_swept(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	tbrk bs[5];
	for (int i = 0; i < 5; i++)
		bs[i] = mk_break(i);
	assert_int_equal(save_breaks(c, bs, 5), 0);
	/* a full walk sees 0, 1, 3 (2 and 4 were deleted on the platform) */
	assert_int_equal(cache_walk_begin(c, API_KIND_BREAK), 0);
	tbrk seen[2] = { bs[0], bs[1] };
	assert_int_equal(save_breaks(c, seen, 2), 0);
	/* an event during the walk counts as seen */
	bs[3].version = 5;
	json_t *j = break_json(&bs[3]);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char msg[256];
	assert_int_equal(cache_upsert_json(c, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), 0);
	free(txt);
	uint64_t dv = cache_data_version(c);
	assert_int_equal(cache_walk_end(c, API_KIND_BREAK), 2);
	assert_true(cache_data_version(c) > dv);
	int64_t n;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 3);
	api_break got = {0};
	assert_int_equal(cache_get_break(c, bs[2].id, &got), 1);
	assert_int_equal(cache_get_break(c, bs[4].id, &got), 1);
	assert_int_equal(cache_get_break(c, bs[3].id, &got), 0);
	api_break_free(&got);
	/* a walk that saw everything deletes nothing */
	assert_int_equal(cache_walk_begin(c, API_KIND_BREAK), 0);
	tbrk again[3] = { bs[0], bs[1], bs[3] };
	assert_int_equal(save_breaks(c, again, 3), 0);
	assert_int_equal(cache_walk_end(c, API_KIND_BREAK), 0);
	/* other collections are untouched by a breaks walk */
	cache_sync_state s;
	assert_int_equal(cache_get_state(c, API_KIND_CASE, &s), 0);
	assert_int_equal(s.walk, 0);
	assert_int_equal(cache_get_state(c, API_KIND_BREAK, &s), 0);
	assert_int_equal(s.walk, 2);
	cache_close(c);
}

static void test_state_round_trip(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	cache_sync_state s = { .fetched_at = 10, .high_water = 20, .full_at = 30,
			       .walk = 4, .walk_start = 50 };
	snprintf(s.cursor, sizeof s.cursor, "opaque/+cursor");
	assert_int_equal(cache_set_state(c, API_KIND_LIMIT, &s), 0);
	cache_sync_state g;
	assert_int_equal(cache_get_state(c, API_KIND_LIMIT, &g), 0);
	assert_int_equal(g.fetched_at, 10);
	assert_int_equal(g.high_water, 20);
	assert_int_equal(g.full_at, 30);
	assert_int_equal(g.walk, 4);
	assert_int_equal(g.walk_start, 50);
	assert_string_equal(g.cursor, "opaque/+cursor");
	/* fetched_at is rate limited: within a minute it is not rewritten */
	assert_int_equal(cache_mark_fetched(c, API_KIND_LIMIT, 40), 0);
	assert_int_equal(cache_get_state(c, API_KIND_LIMIT, &g), 0);
	assert_int_equal(g.fetched_at, 10);
	assert_int_equal(cache_mark_fetched(c, API_KIND_LIMIT, 100), 0);
	assert_int_equal(cache_get_state(c, API_KIND_LIMIT, &g), 0);
	assert_int_equal(g.fetched_at, 100);
	assert_int_equal(g.high_water, 20);
	cache_close(c);
}

/* ---- paged queries ---- */

#define NB 1000
static tbrk many[NB];

typedef struct {
	char ids[NB][32];
	int64_t abs[NB];
	size_t n;
} collected;

static int collect(void *ctx, api_break *b)
{
	collected *c = ctx;
	if (c->n < NB) {
		snprintf(c->ids[c->n], sizeof c->ids[0], "%s", b->id);
		c->abs[c->n] = b->difference_minor < 0 ? -b->difference_minor : b->difference_minor;
		c->n++;
	}
	return 0;
}

static bool brute_match(const tbrk *b, const cache_break_filter *f)
{
	if (f->recon_date && strcmp(f->recon_date, b->date))
		return false;
	if (f->channel_id && strcmp(f->channel_id, b->channel))
		return false;
	if (f->types && !(f->types & (1u << b->type)))
		return false;
	if (f->statuses && !(f->statuses & (1u << b->status)))
		return false;
	if (f->severities && !(f->severities & (1u << b->sev)))
		return false;
	int64_t a = b->diff < 0 ? -b->diff : b->diff;
	if (f->min_abs_difference && a < f->min_abs_difference)
		return false;
	if (f->text && !strstr(b->id, f->text) && !strstr(b->merchant, f->text))
		return false;
	return true;
}

static void check_filter(cache *c, const cache_break_filter *f)
{
	int64_t want_n = 0, want_sum = 0;
	for (int i = 0; i < NB; i++) {
		if (brute_match(&many[i], f)) {
			want_n++;
			want_sum += many[i].diff;
		}
	}
	int64_t n = -1, sum = -1;
	if (cache_count_breaks(c, f, &n, &sum) != 0)
		fail_msg("count: %s", cache_error(c));
	assert_int_equal(n, want_n);
	assert_int_equal(sum, want_sum);
	/* paging through it gives each match exactly once, in order */
	static collected got;
	memset(&got, 0, sizeof got);
	for (size_t off = 0;; off += 37) {
		size_t before = got.n;
		long r = cache_query_breaks(c, f, CACHE_BREAK_SORT_DIFFERENCE, off, 37, collect, &got);
		assert_true(r >= 0);
		assert_int_equal((size_t)r, got.n - before);
		if (r < 37)
			break;
	}
	assert_int_equal(got.n, (size_t)want_n);
	for (size_t i = 1; i < got.n; i++)
		assert_true(got.abs[i - 1] >= got.abs[i]);
	for (size_t i = 0; i < got.n; i++)
		for (size_t k = i + 1; k < got.n; k++)
			if (strcmp(got.ids[i], got.ids[k]) == 0)
				fail_msg("%s twice", got.ids[i]);
	for (size_t i = 0; i < got.n; i++) {
		bool in = false;
		for (int k = 0; k < NB && !in; k++)
			in = strcmp(many[k].id, got.ids[i]) == 0 && brute_match(&many[k], f);
		assert_true(in);
	}
}

static void test_paging_and_filters(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	for (int i = 0; i < NB; i++)
		many[i] = mk_break(i);
	/* two pages, each its own transaction */
	assert_int_equal(save_breaks(c, many, NB / 2), 0);
	assert_int_equal(save_breaks(c, many + NB / 2, NB / 2), 0);

	cache_break_filter none = {0};
	check_filter(c, &none);
	cache_break_filter f1 = { .statuses = 1u << BS_OPEN | 1u << BS_ESCALATED };
	check_filter(c, &f1);
	cache_break_filter f2 = { .channel_id = "ch.3", .recon_date = "2026-11-21" };
	check_filter(c, &f2);
	cache_break_filter f3 = { .types = 1u << BT_AMOUNT_MISMATCH, .severities = 1u << SEV_HIGH,
				  .min_abs_difference = 20000 };
	check_filter(c, &f3);
	cache_break_filter f4 = { .text = "mer_00012" };
	check_filter(c, &f4);
	cache_break_filter f5 = { .text = "%_" }; /* wildcards are literal */
	int64_t n;
	assert_int_equal(cache_count_breaks(c, &f5, &n, NULL), 0);
	assert_int_equal(n, 0);
	cache_break_filter f6 = { .channel_id = "no-such" };
	check_filter(c, &f6);

	/* other sorts are stable too: pages of the default sort never overlap */
	static collected a;
	memset(&a, 0, sizeof a);
	for (size_t off = 0; off < NB; off += 100)
		cache_query_breaks(c, NULL, CACHE_BREAK_SORT_DETECTED, off, 100, collect, &a);
	assert_int_equal(a.n, NB);
	for (size_t i = 0; i < a.n; i++)
		for (size_t k = i + 1; k < a.n; k++)
			if (strcmp(a.ids[i], a.ids[k]) == 0)
				fail_msg("%s twice", a.ids[i]);
	for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
		memset(&a, 0, sizeof a);
		assert_int_equal(cache_query_breaks(c, &f1, s, 5, 10, collect, &a), 10);
	}
	cache_close(c);
}

/* ---- keyset paging ---- */

static void keyset_equals_offset(cache *c, const cache_break_filter *f, cache_break_sort s)
{
	static collected ref, got;
	memset(&ref, 0, sizeof ref);
	memset(&got, 0, sizeof got);
	assert_true(cache_query_breaks(c, f, s, 0, NB, collect, &ref) >= 0);
	cache_pos pos = {0};
	for (int guard = 0; guard < NB; guard++) {
		long r = cache_query_breaks_after(c, f, s, &pos, 37, collect, &got);
		if (r < 0)
			fail_msg("keyset sort %d: %s", (int)s, cache_error(c));
		if (r < 37)
			break;
	}
	assert_int_equal(got.n, ref.n);
	for (size_t i = 0; i < ref.n; i++)
		if (strcmp(ref.ids[i], got.ids[i]) != 0)
			fail_msg("sort %d row %zu: keyset %s, offset %s", (int)s, i, got.ids[i], ref.ids[i]);
}

static void test_keyset_paging(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	for (int i = 0; i < NB; i++)
		many[i] = mk_break(i);
	assert_int_equal(save_breaks(c, many, NB), 0);
	cache_break_filter f1 = { .statuses = 1u << BS_OPEN | 1u << BS_ESCALATED };
	cache_break_filter f2 = { .recon_date = "2026-11-20", .min_abs_difference = 30000 };
	for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
		keyset_equals_offset(c, NULL, (cache_break_sort)s);
		keyset_equals_offset(c, &f1, (cache_break_sort)s);
		keyset_equals_offset(c, &f2, (cache_break_sort)s);
	}
	/* a position belongs to its sort */
	static collected got;
	memset(&got, 0, sizeof got);
	cache_pos pos = {0};
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &pos, 5, collect, &got), 5);
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_SEVERITY, &pos, 5, collect, &got), -1);

	/* rows arriving and leaving mid-walk: the rows after the position
	 * come exactly once, none is skipped */
	memset(&got, 0, sizeof got);
	memset(&pos, 0, sizeof pos);
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &pos, 300, collect, &got), 300);
	tbrk fresh = mk_break(NB + 5); /* newest of all: before the position */
	fresh.detected = 1795000000 + 6000;
	assert_int_equal(save_breaks(c, &fresh, 1), 0);
	/* one not yet seen goes away */
	static collected rest;
	memset(&rest, 0, sizeof rest);
	cache_pos peek = pos;
	assert_int_equal(cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &peek, 1, collect, &rest), 1);
	assert_int_equal(cache_delete(c, API_KIND_BREAK, rest.ids[0]), 0);
	while (cache_query_breaks_after(c, NULL, CACHE_BREAK_SORT_DETECTED, &pos, 64, collect, &got) == 64)
		;
	assert_int_equal(got.n, NB - 1);
	for (size_t i = 0; i < got.n; i++) {
		assert_string_not_equal(got.ids[i], rest.ids[0]);
		assert_string_not_equal(got.ids[i], fresh.id);
		for (size_t k = i + 1; k < got.n; k++)
			if (strcmp(got.ids[i], got.ids[k]) == 0)
				fail_msg("%s twice", got.ids[i]);
	}
	cache_close(c);
}

/* ---- the summary table against brute force ---- */

/* The same filter counted from the rows: a text filter every id matches
 * keeps the count off the summary. */
static void summary_equals_rows(cache *c, const cache_break_filter *f)
{
	cache_break_filter g = *f;
	g.text = "brk_";
	int64_t n1 = -1, s1 = -1, n2 = -2, s2 = -2;
	if (cache_count_breaks(c, f, &n1, &s1) != 0 || cache_count_breaks(c, &g, &n2, &s2) != 0)
		fail_msg("count: %s", cache_error(c));
	if (n1 != n2 || s1 != s2)
		fail_msg("summary %lld/%lld, rows %lld/%lld (min %lld)", (long long)n1, (long long)s1,
			 (long long)n2, (long long)s2, (long long)f->min_abs_difference);
}

static void summary_all_filters(cache *c)
{
	static const int64_t mins[] = { 0, 1, 9, 10, 20000, 23456, 99999, 100000 };
	for (size_t m = 0; m < sizeof mins / sizeof mins[0]; m++) {
		cache_break_filter f[] = {
			{ .min_abs_difference = mins[m] },
			{ .statuses = 1u << BS_OPEN | 1u << BS_RESOLVED, .min_abs_difference = mins[m] },
			{ .recon_date = "2026-11-21", .min_abs_difference = mins[m] },
			{ .types = 1u << BT_LONG | 1u << BT_AMOUNT_MISMATCH, .severities = 1u << SEV_HIGH,
			  .min_abs_difference = mins[m] },
		};
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
			summary_equals_rows(c, &f[i]);
	}
}

static void test_summary_matches_rows(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	for (int i = 0; i < NB; i++)
		many[i] = mk_break(i);
	/* a first load the bulk way: no triggers, the summary built at the end */
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 0);
	assert_true(cache_bulk_active(c, API_KIND_BREAK));
	assert_int_equal(save_breaks(c, many, NB / 2), 0);
	summary_all_filters(c); /* during the load: counted from the rows */
	assert_int_equal(cache_bulk_end(c, API_KIND_BREAK), 0);
	assert_false(cache_bulk_active(c, API_KIND_BREAK));
	summary_all_filters(c);
	/* a table with rows does not start another */
	assert_int_equal(cache_bulk_begin(c, API_KIND_BREAK), 1);
	/* inserts through the triggers */
	assert_int_equal(save_breaks(c, many + NB / 2, NB / 2), 0);
	summary_all_filters(c);
	/* updates: status, difference (across buckets and sign), date */
	static tbrk upd[200];
	for (int i = 0; i < 200; i++) {
		upd[i] = many[i * 5];
		upd[i].version = 2;
		upd[i].status = (upd[i].status + 1) % 5;
		upd[i].diff = i % 3 ? -upd[i].diff * 10 - 7 : upd[i].diff / 100;
		if (i % 4 == 0)
			snprintf(upd[i].date, sizeof upd[i].date, "2026-11-22");
	}
	assert_int_equal(save_breaks(c, upd, 200), 0);
	summary_all_filters(c);
	/* an older copy changes nothing */
	upd[0].version = 1;
	upd[0].status = BS_WRITTEN_OFF;
	assert_int_equal(save_breaks(c, upd, 1), 0);
	summary_all_filters(c);
	/* deletions, one by one and by the sweep of a walk that saw a third */
	for (int i = 1; i < 50; i++)
		assert_int_equal(cache_delete(c, API_KIND_BREAK, many[i * 7].id), 0);
	summary_all_filters(c);
	assert_int_equal(cache_walk_begin(c, API_KIND_BREAK), 0);
	assert_int_equal(save_breaks(c, many, NB / 3), 0);
	assert_true(cache_walk_end(c, API_KIND_BREAK) > 0);
	summary_all_filters(c);
	int64_t n = -1;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_true(n > 0 && n <= NB / 3);
	cache_close(c);
}

typedef struct { int n; time_t last_sla; bool ordered; } case_walk;

static int case_cb(void *ctx, api_case *cs)
{
	case_walk *w = ctx;
	if (w->n && cs->sla_due_at < w->last_sla)
		w->ordered = false;
	w->last_sla = cs->sla_due_at;
	w->n++;
	return 0;
}

typedef struct { int n; int64_t last; bool ordered; } limit_walk;

static int limit_cb(void *ctx, api_limit *l)
{
	limit_walk *w = ctx;
	int64_t h = l->limit_minor - l->used_minor;
	if (w->n && h < w->last)
		w->ordered = false;
	w->last = h;
	w->n++;
	return w->n >= 5; /* the callback can stop early */
}

static void test_cases_and_limits_queries(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	static const char *const stages[] = { "submitted", "doc_check", "manual_review", "approved" };
	static const char *const risks[] = { "low", "medium", "high" };
	json_t *items[60];
	int want_stage2_high = 0, want_unassigned = 0, want_breached = 0;
	for (int i = 0; i < 60; i++) {
		char id[32], sub[32], sla[32];
		snprintf(id, sizeof id, "case_%06d", i);
		snprintf(sub, sizeof sub, "2026-11-21T0%d:00:00Z", i % 10);
		snprintf(sla, sizeof sla, "2026-11-2%dT%02d:00:00Z", 1 + i % 3, i % 24);
		const char *assignee = i % 4 == 0 ? NULL : "op.li";
		items[i] = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:[],s:s,s:s,s:o,s:i}",
				     "id", id, "merchant_id", "mer_1", "merchant_name", i == 7 ? "火锅店" : "面馆",
				     "mcc", "5812", "category", "restaurant", "channel_requested", "unionpay.qr",
				     "source", "api", "stage", stages[i % 4], "risk_level", risks[i % 3],
				     "risk_score", i, "checks", "submitted_at", sub, "sla_due_at", sla,
				     "assignee", assignee ? json_string(assignee) : json_null(), "version", 1);
		assert_non_null(items[i]);
		if (i % 4 == 2 && i % 3 == 2)
			want_stage2_high++;
		if (i % 4 == 0)
			want_unassigned++;
		time_t t;
		struct tm tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 21 + i % 3, .tm_hour = i % 24 };
		t = timegm(&tm);
		if (t < 1795305600 /* 2026-11-22T00:00:00Z */ && i % 4 != 3)
			want_breached++;
	}
	char *body = page_of(items, 60, NULL);
	cache_page_result r;
	assert_int_equal(cache_save_page(c, API_KIND_CASE, body, strlen(body), &r), 0);
	assert_int_equal(r.n_saved, 60);
	cache_page_result_free(&r);
	free(body);
	cache_case_filter f = { .stages = 1u << STAGE_MANUAL_REVIEW, .risks = 1u << RISK_HIGH };
	int64_t n, br;
	assert_int_equal(cache_count_cases(c, &f, 0, &n, NULL), 0);
	assert_int_equal(n, want_stage2_high);
	cache_case_filter un = { .assignee = "" };
	assert_int_equal(cache_count_cases(c, &un, 0, &n, NULL), 0);
	assert_int_equal(n, want_unassigned);
	cache_case_filter li = { .assignee = "op.li" };
	assert_int_equal(cache_count_cases(c, &li, 0, &n, NULL), 0);
	assert_int_equal(n, 60 - want_unassigned);
	cache_case_filter tx = { .text = "火锅" };
	assert_int_equal(cache_count_cases(c, &tx, 0, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cache_count_cases(c, NULL, 1795305600, &n, &br), 0);
	assert_int_equal(n, 60);
	assert_int_equal(br, want_breached);
	case_walk w = { .ordered = true };
	assert_int_equal(cache_query_cases(c, NULL, CACHE_CASE_SORT_SLA, 0, 100, case_cb, &w), 60);
	assert_true(w.ordered);

	json_t *lims[20];
	static const char *const scopes[] = { "merchant", "channel", "reserve" };
	static const char *const lstates[] = { "ok", "warning", "breached" };
	int64_t want_head = 0;
	int want_res = 0;
	for (int i = 0; i < 20; i++) {
		char id[32];
		snprintf(id, sizeof id, "lim_%03d", i);
		lims[i] = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:f,s:s,s:s,s:i}",
				    "id", id, "scope", scopes[i % 3], "scope_id", "x", "name", "n",
				    "period", "day", "limit_minor", (json_int_t)1000000,
				    "used_minor", (json_int_t)(i * 50000), "currency", "CNY",
				    "warn_at", 0.8, "state", lstates[i % 3],
				    "resets_at", "2026-11-21T16:00:00Z", "version", 1);
		if (i % 3 == 2) {
			want_res++;
			want_head += 1000000 - i * 50000;
		}
	}
	body = page_of(lims, 20, NULL);
	assert_int_equal(cache_save_page(c, API_KIND_LIMIT, body, strlen(body), &r), 0);
	cache_page_result_free(&r);
	free(body);
	cache_limit_filter lf = { .scopes = 1u << SCOPE_RESERVE };
	int64_t head;
	assert_int_equal(cache_count_limits(c, &lf, &n, &head), 0);
	assert_int_equal(n, want_res);
	assert_int_equal(head, want_head);
	limit_walk lw = { .ordered = true };
	assert_int_equal(cache_query_limits(c, NULL, CACHE_LIMIT_SORT_HEADROOM, 0, 100, limit_cb, &lw), 5);
	assert_true(lw.ordered);
	assert_int_equal(lw.last, 1000000 - 15 * 50000);
	cache_close(c);
}

/* ---- events through incr ---- */

static void test_incr_apply_event(void **state)
{
	(void)state;
	cache *c = fixture_mem_cache();
	ev_loop *ev = ev_new();
	http_opts ho = {0};
	http_client *http = http_new(ev, &ho);
	store *s = store_new();
	incr_opts io = { .base_url = "http://127.0.0.1:9" };
	incr *in = incr_new(ev, http, s, c, &io);
	assert_non_null(in);
	tbrk b = mk_break(9);
	json_t *j = break_json(&b);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	uint64_t gen = store_meta_get(s, STORE_BREAKS)->gen;
	assert_int_equal(incr_apply_event(in, "break", txt, strlen(txt)), 0);
	assert_true(store_meta_get(s, STORE_BREAKS)->gen > gen);
	int64_t n;
	assert_int_equal(cache_count_breaks(c, NULL, &n, NULL), 0);
	assert_int_equal(n, 1);
	free(txt);
	assert_int_equal(incr_apply_event(in, "channel", "{}", 2), 1);
	assert_int_equal(incr_apply_event(in, "limit", "{\"id\": 3}", 9), -1);
	assert_true(store_meta_get(s, STORE_LIMITS)->error[0] != '\0');
	incr_stats st;
	incr_get_stats(in, &st);
	assert_int_equal(st.events, 1);
	incr_free(in);
	http_free(http);
	ev_free(ev);
	store_free(s);
	cache_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_from_v1),
		cmocka_unit_test(test_migrate_from_each_version),
		cmocka_unit_test(test_new_file_is_latest),
		cmocka_unit_test(test_corrupt_moved_aside),
		cmocka_unit_test(test_truncated_moved_aside),
		cmocka_unit_test(test_newer_moved_aside),
		cmocka_unit_test(test_path_perms_and_no_token),
		cmocka_unit_test(test_small_round_trip),
		cmocka_unit_test(test_empty_cache_loads_nothing),
		cmocka_unit_test(test_big_round_trip),
		cmocka_unit_test(test_recon_summary),
		cmocka_unit_test(test_merge_updates),
		cmocka_unit_test(test_deletions_swept),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_paging_and_filters),
		cmocka_unit_test(test_cases_and_limits_queries),
		cmocka_unit_test(test_incr_apply_event),
		cmocka_unit_test(test_keyset_paging),
		cmocka_unit_test(test_summary_matches_rows),
	};
	return cmocka_run_group_tests(tests, fixture_setup_dir, fixture_teardown_dir);
}
