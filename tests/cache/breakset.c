/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/breakset.c: see breakset.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <time.h>

#include "tests/cache/breakset.h"
#include "tests/cache/fixture.h"

static const char *const statuses[] = { "open", "investigating", "escalated", "resolved", "written_off" };
static const char *const types[] = { "long", "short", "missing_platform", "missing_channel",
				     "amount_mismatch", "refund_no_final", "returned", "fund_mismatch" };
static const char *const sevs[] = { "low", "medium", "high" };
static const char *const people[] = { "op.wang", "op.li", "op.zhang", "op.chen" };

const char *const breakset_sort_names[CACHE_BREAK_SORT_ID + 1] = {
	"detected", "difference", "severity", "recon_date", "channel", "status", "id",
};

json_t *breakset_json(int i, int version)
{
	char id[40], date[16], ch[16], mer[16], ord[16], ser[16], det[32], upd[32];
	snprintf(date, sizeof date, "2026-11-%02d", 20 + i % 3);
	snprintf(id, sizeof id, "brk_202611%02d_%06d", 20 + i % 3, i);
	snprintf(ch, sizeof ch, "ch.%d", i % 7);
	snprintf(mer, sizeof mer, "mer_%06d", i * 13 % 1000);
	snprintf(ord, sizeof ord, "P%09d", i * 31 + 7);
	snprintf(ser, sizeof ser, "UP%07d", (int)((long long)i * 104729 % 9999991));
	time_t t = 1795000000 + (i * 37) % 4000;
	fixture_time(t, det);
	fixture_time(t + 10, upd);
	json_int_t diff = (i % 2 ? -1 : 1) * (json_int_t)((i * 7919) % 3000);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:n,s:i,s:s}",
			      "id", id, "recon_date", date, "channel_id", ch,
			      "merchant_id", mer, "order_no", ord,
			      "channel_serial", ser, "type", types[i % 8],
			      "platform_amount_minor", (json_int_t)10000,
			      "channel_amount_minor", (json_int_t)10000 + diff,
			      "difference_minor", diff, "currency", "CNY",
			      "detected_at", det, "severity", sevs[i % 3],
			      "status", statuses[i % 5], "resolution",
			      "version", version, "updated_at", upd);
	assert_non_null(j);
	json_object_set_new(j, "assignee", i % 16 ? json_string(people[i % 4]) : json_null());
	return j;
}

void breakset_save(cache *c, int from, int n)
{
	assert_int_equal(cache_begin(c), 0);
	for (int p = from; p < from + n; p += 500) {
		json_t *arr = json_array();
		for (int i = p; i < from + n && i < p + 500; i++)
			json_array_append_new(arr, breakset_json(i, 1));
		assert_int_equal(fixture_save_items(c, API_KIND_BREAK, arr), 0);
	}
	assert_int_equal(cache_commit(c), 0);
}

static int file_no;

cache *breakset_open(void)
{
	char path[512], msg[512];
	snprintf(path, sizeof path, "%s/cache-%d.db", fixture_dir, ++file_no);
	cache *c = cache_open_path(path, msg, sizeof msg);
	assert_non_null(c);
	assert_string_equal(msg, "");
	return c;
}

cache *breakset_big;   /* BREAKSET_NBIG breaks, indexed */
cache *breakset_bulk;  /* BREAKSET_NBULK breaks of a bulk load still running */

int breakset_setup(void **state)
{
	if (fixture_setup_dir(state) != 0)
		return -1;
	breakset_big = breakset_open();
	/* loaded the bulk way, then indexed once: quicker than row by row */
	assert_int_equal(cache_bulk_begin(breakset_big, API_KIND_BREAK), 0);
	breakset_save(breakset_big, 0, BREAKSET_NBIG);
	assert_int_equal(cache_bulk_end(breakset_big, API_KIND_BREAK), 0);
	assert_false(cache_bulk_active(breakset_big, API_KIND_BREAK));
	breakset_bulk = breakset_open();
	assert_int_equal(cache_bulk_begin(breakset_bulk, API_KIND_BREAK), 0);
	breakset_save(breakset_bulk, 0, BREAKSET_NBULK);
	assert_true(cache_bulk_active(breakset_bulk, API_KIND_BREAK));
	return 0;
}

int breakset_teardown(void **state)
{
	cache_close(breakset_big);
	cache_close(breakset_bulk);
	return fixture_teardown_dir(state);
}
