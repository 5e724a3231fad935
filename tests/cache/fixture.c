/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/fixture.c: see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/cache/fixture.h"

char fixture_dir[256];

int fixture_setup_dir(void **state)
{
	(void)state;
	snprintf(fixture_dir, sizeof fixture_dir, "%s/cachetest.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(fixture_dir) ? 0 : -1;
}

static void rm_rf(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[768];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_rf(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int fixture_teardown_dir(void **state)
{
	(void)state;
	rm_rf(fixture_dir);
	return 0;
}

cache *fixture_mem_cache(void)
{
	char msg[512];
	cache *c = cache_open_path(":memory:", msg, sizeof msg);
	assert_non_null(c);
	assert_string_equal(msg, "");
	return c;
}

size_t fixture_save_items(cache *c, api_kind kind, json_t *items)
{
	json_t *o = json_pack("{s:o,s:n}", "data", items, "next_cursor");
	char *body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	assert_non_null(body);
	cache_page_result r;
	if (cache_save_page(c, kind, body, strlen(body), &r) != 0)
		fail_msg("save: %s", cache_error(c));
	size_t rejected = r.n_rejected;
	cache_page_result_free(&r);
	free(body);
	return rejected;
}

static const char *const statuses[] = { "open", "investigating", "escalated", "resolved", "written_off" };
static const char *const types[] = { "long", "short", "missing_platform", "missing_channel",
				     "amount_mismatch", "refund_no_final", "returned", "fund_mismatch" };
static const char *const sevs[] = { "low", "medium", "high" };

void fixture_time(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *fixture_break_json(const fixture_break *b)
{
	char det[32], upd[32];
	fixture_time(b->detected, det);
	fixture_time(b->updated, upd);
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
char *fixture_page_of(json_t **items, size_t n, const char *next)
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

int fixture_save_breaks(cache *c, const fixture_break *b, size_t n)
{
	json_t **items = calloc(n ? n : 1, sizeof *items);
	assert_non_null(items);
	for (size_t i = 0; i < n; i++)
		items[i] = fixture_break_json(&b[i]);
	char *body = fixture_page_of(items, n, NULL);
	free(items);
	cache_page_result r;
	int rc = cache_save_page(c, API_KIND_BREAK, body, strlen(body), &r);
	cache_page_result_free(&r);
	free(body);
	return rc;
}

fixture_break fixture_mk_break(int i)
{
	fixture_break b = {0};
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

int64_t fixture_sql_int(const char *path, const char *sql)
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

void fixture_sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
	sqlite3_close(db);
}

void fixture_incr_open(fixture_incr *f, cache *c)
{
	http_opts ho = { 0 };
	incr_opts io = { .base_url = "http://127.0.0.1:9" };

	f->c = c;
	f->ev = ev_new();
	assert_non_null(f->ev);
	f->http = http_new(f->ev, &ho);
	assert_non_null(f->http);
	f->s = store_new();
	assert_non_null(f->s);
	f->in = incr_new(f->ev, f->http, f->s, c, &io);
	assert_non_null(f->in);
}

void fixture_incr_close(fixture_incr *f)
{
	incr_free(f->in);
	http_free(f->http);
	ev_free(f->ev);
	store_free(f->s);
	cache_close(f->c);
}
