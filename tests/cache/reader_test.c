/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/cache/reader_test.c: the reader thread that answers the breaks
 * pane's slow queries, on cache files: it delivers the rowset of the
 * newest post only, the first rows before the whole when asked, nothing
 * after a cancel, the committed state while the loop writes, and stops at
 * once when freed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "tests/cache/breakset.h"
#include "tests/cache/fixture.h"
#include "tests/lib/unit.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- 4: the reader thread ---- */

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Wait on the reader's descriptor for an answer, as the loop does (a
 * wake-up may find none: an older answer was dropped). 1 taken, 0 none
 * within timeout_ms. */
static int wait_answer(cache_reader *r, int timeout_ms, cache_rowset *out)
{
	double end = now_ms() + timeout_ms;
	for (;;) {
		int left = (int)(end - now_ms());
		if (left < 0)
			left = 0;
		struct pollfd p = { .fd = cache_reader_fd(r), .events = POLLIN };
		int n = poll(&p, 1, left);
		assert_true(n >= 0);
		if (n == 1 && cache_reader_take(r, out) == 1)
			return 1;
		if (left == 0)
			return cache_reader_take(r, out);
	}
}

static void expect_rowset(cache *c, const cache_break_job *j, const cache_rowset *got)
{
	cache_rowset want;
	if (cache_rowset_breaks(c, j, &want) != 0)
		fail_msg("rowset: %s", want.err);
	if (got->rc != 0)
		fail_msg("reader: %s", got->err);
	if (got->n != want.n || got->sum != want.sum)
		fail_msg("reader: %zu rows sum %lld, want %zu sum %lld", got->n,
			 (long long)got->sum, want.n, (long long)want.sum);
	for (size_t i = 0; i < want.n; i++)
		if (got->ids[i] != want.ids[i])
			fail_msg("reader: row %zu is rowid %lld, want %lld", i,
				 (long long)got->ids[i], (long long)want.ids[i]);
	assert_true(got->ms >= 0);
	cache_rowset_free(&want);
}

static void test_reader_answers(void **state)
{
	(void)state;
	cache_reader *r = cache_reader_new(breakset_big);
	assert_non_null(r);
	assert_true(cache_reader_fd(r) >= 0);
	cache_rowset rs;
	/* nothing posted: nothing to take */
	assert_int_equal(cache_reader_take(r, &rs), 0);

	cache_break_filter f = { .text = "op.", .statuses = 1u << BS_OPEN | 1u << BS_RESOLVED };
	cache_break_job j;
	cache_break_job_set(&j, &f, CACHE_BREAK_SORT_STATUS);
	uint64_t id = cache_reader_post(r, &j);
	assert_true(id != 0);
	struct pollfd p = { .fd = cache_reader_fd(r), .events = POLLIN };
	assert_int_equal(poll(&p, 1, 10000), 1);
	assert_int_equal(cache_reader_take(r, &rs), 1);
	assert_int_equal(rs.rc, 0);
	assert_int_equal(rs.job, id);
	expect_rowset(breakset_big, &j, &rs);
	cache_rowset_free(&rs);
	/* taken: not again */
	assert_int_equal(cache_reader_take(r, &rs), 0);

	/* a second job on the same thread and connection */
	cache_break_job_set(&j, NULL, CACHE_BREAK_SORT_DETECTED);
	uint64_t id2 = cache_reader_post(r, &j);
	assert_true(id2 > id);
	assert_int_equal(wait_answer(r, 10000, &rs), 1);
	assert_int_equal(rs.job, id2);
	assert_int_equal(rs.n, BREAKSET_NBIG);
	expect_rowset(breakset_big, &j, &rs);
	cache_rowset_free(&rs);
	cache_reader_free(r);

	/* during a bulk load the thread scans too */
	r = cache_reader_new(breakset_bulk);
	assert_non_null(r);
	cache_break_filter b = { .types = 1u << BT_MISSING_PLATFORM, .text = "op.zhang" };
	cache_break_job_set(&j, &b, CACHE_BREAK_SORT_SEVERITY);
	id = cache_reader_post(r, &j);
	assert_int_equal(wait_answer(r, 10000, &rs), 1);
	assert_int_equal(rs.job, id);
	assert_true(rs.n > 0);
	expect_rowset(breakset_bulk, &j, &rs);
	cache_rowset_free(&rs);
	cache_reader_free(r);
}

/* A job with `first`: maybe its first rows (a prefix), then the whole,
 * both answering the post. */
static void test_reader_first_then_whole(void **state)
{
	(void)state;
	cache_reader *r = cache_reader_new(breakset_big);
	assert_non_null(r);
	for (int s = CACHE_BREAK_SORT_DETECTED; s <= CACHE_BREAK_SORT_ID; s++) {
		cache_break_filter f = { .text = "op." };
		cache_break_job j;
		cache_break_job_set(&j, &f, (cache_break_sort)s);
		j.first = 40;
		cache_rowset whole;
		assert_int_equal(cache_rowset_breaks(breakset_big, &j, &whole), 0);
		uint64_t id = cache_reader_post(r, &j);
		cache_rowset rs;
		int partials = 0;
		for (;;) {
			assert_int_equal(wait_answer(r, 10000, &rs), 1);
			assert_int_equal(rs.job, id);
			if (rs.rc != 0)
				fail_msg("by %s: %s", breakset_sort_names[s], rs.err);
			if (!rs.partial)
				break;
			assert_true(++partials == 1); /* once, before the whole */
			assert_int_equal(rs.n, 40);
			for (size_t i = 0; i < rs.n; i++)
				assert_true(rs.ids[i] == whole.ids[i]);
			cache_rowset_free(&rs);
		}
		assert_int_equal(rs.n, whole.n);
		assert_int_equal(rs.sum, whole.sum);
		for (size_t i = 0; i < rs.n; i++)
			assert_true(rs.ids[i] == whole.ids[i]);
		cache_rowset_free(&rs);
		cache_rowset_free(&whole);
		/* nothing more for it */
		assert_int_equal(wait_answer(r, 50, &rs), 0);
	}
	cache_reader_free(r);
}

static void test_reader_newest_wins(void **state)
{
	(void)state;
	for (int round = 0; round < 4; round++) {
		cache_reader *r = cache_reader_new(breakset_big);
		assert_non_null(r);
		cache_rowset rs;
		cache_break_job a, b;
		cache_break_filter fa = { .text = "op.wang" }, fb = { .text = "op.li" };
		cache_break_job_set(&a, &fa, CACHE_BREAK_SORT_ID);
		cache_break_job_set(&b, &fb, (cache_break_sort)(round % 7));
		uint64_t ida = cache_reader_post(r, &a);
		if (round % 2)
			sleep_ms(round); /* the first may be running by now */
		uint64_t idb = cache_reader_post(r, &b);
		assert_true(ida != 0 && idb != 0 && idb != ida);
		assert_int_equal(wait_answer(r, 10000, &rs), 1);
		assert_int_equal(rs.job, idb);
		expect_rowset(breakset_big, &b, &rs);
		cache_rowset_free(&rs);
		/* and nothing for the first, later */
		assert_int_equal(wait_answer(r, 150, &rs), 0);
		cache_reader_free(r);
	}
}

static void test_reader_cancel(void **state)
{
	(void)state;
	cache_reader *r = cache_reader_new(breakset_big);
	assert_non_null(r);
	cache_rowset rs;
	cache_break_filter f = { .text = "brk_2026" };
	cache_break_job j;
	cache_break_job_set(&j, &f, CACHE_BREAK_SORT_STATUS);
	for (int round = 0; round < 3; round++) {
		assert_true(cache_reader_post(r, &j) != 0);
		if (round)
			sleep_ms(round * 3);
		cache_reader_cancel(r);
		assert_int_equal(wait_answer(r, 150, &rs), 0);
	}
	/* the reader still works after a cancel */
	uint64_t id = cache_reader_post(r, &j);
	assert_int_equal(wait_answer(r, 10000, &rs), 1);
	assert_int_equal(rs.job, id);
	assert_int_equal(rs.n, BREAKSET_NBIG);
	cache_rowset_free(&rs);
	/* a cancel with nothing running is harmless */
	cache_reader_cancel(r);
	assert_int_equal(wait_answer(r, 100, &rs), 0);
	cache_reader_free(r);
	/* and one that never ran: nothing */
	r = cache_reader_new(breakset_big);
	assert_non_null(r);
	cache_reader_cancel(r);
	assert_int_equal(cache_reader_take(r, &rs), 0);
	cache_reader_free(r);
}

static void test_reader_reads_committed_state(void **state)
{
	(void)state;
	cache_break_filter f = { .text = "brk_2026" };
	cache_break_job j;
	cache_break_job_set(&j, &f, CACHE_BREAK_SORT_DETECTED);
	cache_rowset before;
	assert_int_equal(cache_rowset_breaks(breakset_big, &j, &before), 0);
	assert_int_equal(before.n, BREAKSET_NBIG);

	cache_reader *r = cache_reader_new(breakset_big);
	assert_non_null(r);
	/* the loop writes a new break and changes an old one, uncommitted */
	assert_int_equal(cache_begin(breakset_big), 0);
	char msg[256];
	json_t *nb = breakset_json(BREAKSET_NBIG + 7, 1);
	char *txt = json_dumps(nb, JSON_COMPACT);
	json_decref(nb);
	assert_non_null(txt);
	assert_int_equal(cache_upsert_json(breakset_big, API_KIND_BREAK, txt, strlen(txt), msg, sizeof msg), 0);
	free(txt);
	assert_int_equal(cache_delete(breakset_big, API_KIND_BREAK, "brk_20261121_000001"), 0);
	int64_t n = 0;
	assert_int_equal(cache_count_breaks(breakset_big, &f, &n, NULL), 0);
	assert_int_equal(n, BREAKSET_NBIG); /* one more, one less: in this transaction */

	uint64_t id = cache_reader_post(r, &j);
	cache_rowset rs;
	double t0 = now_ms();
	assert_int_equal(wait_answer(r, 10000, &rs), 1);
	double took = now_ms() - t0;
	assert_int_equal(rs.job, id);
	if (rs.rc != 0)
		fail_msg("reader during a write: %s", rs.err);
	/* the committed state: exactly the rows before the transaction */
	assert_int_equal(rs.n, before.n);
	assert_int_equal(rs.sum, before.sum);
	for (size_t i = 0; i < before.n; i++)
		if (rs.ids[i] != before.ids[i])
			fail_msg("row %zu: rowid %lld, committed %lld", i, (long long)rs.ids[i],
				 (long long)before.ids[i]);
	/* never waited on the writer's lock (busy timeout 2 s) */
	assert_true(took < 1900);
	cache_rowset_free(&rs);
	cache_rollback(breakset_big);
	assert_int_equal(cache_count_breaks(breakset_big, &f, &n, NULL), 0);
	assert_int_equal(n, BREAKSET_NBIG);
	cache_reader_free(r);
	cache_rowset_free(&before);
}

static void test_reader_free_while_running(void **state)
{
	(void)state;
	cache_break_job j;
	cache_break_filter f = { .text = "op." };
	cache_break_job_set(&j, &f, CACHE_BREAK_SORT_STATUS);
	/* how long the job takes on the thread */
	cache_reader *r = cache_reader_new(breakset_big);
	assert_non_null(r);
	cache_rowset rs;
	assert_true(cache_reader_post(r, &j) != 0);
	assert_int_equal(wait_answer(r, 10000, &rs), 1);
	int64_t job_ms = rs.ms;
	cache_rowset_free(&rs);
	cache_reader_free(r);

	for (int round = 0; round < 6; round++) {
		r = cache_reader_new(breakset_big);
		assert_non_null(r);
		assert_true(cache_reader_post(r, &j) != 0);
		/* somewhere inside the job (and once before it starts) */
		int at = round == 0 ? 0 : (int)(job_ms * round / 6);
		if (at > 0)
			sleep_ms(at);
		if (round == 5)
			assert_true(cache_reader_post(r, &j) != 0); /* one waiting too */
		double t0 = now_ms();
		cache_reader_free(r);
		double took = now_ms() - t0;
		if (took >= 2000)
			fail_msg("free after %d ms of a %lld ms job took %.0f ms", at,
				 (long long)job_ms, took);
	}
	/* a reader never posted to: nothing to join */
	r = cache_reader_new(breakset_big);
	assert_non_null(r);
	cache_reader_free(r);
	cache_reader_free(NULL);
}

UNIT_MAIN(breakset_setup, breakset_teardown,
	cmocka_unit_test(test_reader_answers),
	cmocka_unit_test(test_reader_first_then_whole),
	cmocka_unit_test(test_reader_newest_wins),
	cmocka_unit_test(test_reader_cancel),
	cmocka_unit_test(test_reader_reads_committed_state),
	cmocka_unit_test(test_reader_free_while_running))
