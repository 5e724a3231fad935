/* SPDX-License-Identifier: ISC (see COPYING) */
/* Unit tests of the audit writer (audit/writer.h) on a real event loop and
 * a real log whose write lock a second connection holds (BEGIN IMMEDIATE,
 * as another console or the sqlite3 shell would): the loop keeps turning,
 * rows wait and are written once the lock is released, an intent waiting
 * too long is given up and recorded as not sent, outcomes are never lost,
 * and a flush at quit waits a bounded time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/writer.h"
#include "tests/audit/fixture.h"
#include "base/ev.h"
#include "tests/lib/unit.h"

struct fx {
	char dir[64], path[128];
	struct audit_log *log;
	ev_loop *ev;
	audit_writer *w;
	sqlite3 *holder;       /* the other writer */
	int64_t max_gap_ms, last_tick;
	ev_timer_id tick;
	/* the intent's fate */
	int calls, rc;
	int64_t seq, at_ms;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	audit_fx_open(fx->dir, sizeof fx->dir, "audit-writer", fx->path, sizeof fx->path, "audit.db",
		      &fx->log);
	assert_non_null(fx->ev = ev_new());
	assert_non_null(fx->w = audit_writer_new(fx->log, fx->ev));
	assert_int_equal(sqlite3_open(fx->path, &fx->holder), SQLITE_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	audit_writer_free(fx->w);
	sqlite3_close(fx->holder);
	audit_fx_close(fx->log, fx->path, fx->dir);
	ev_free(fx->ev);
	free(fx);
	return 0;
}

static void lock(struct fx *fx)
{
	assert_int_equal(sqlite3_exec(fx->holder, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
}

static void unlock_cb(void *ctx)
{
	struct fx *fx = ctx;
	assert_int_equal(sqlite3_exec(fx->holder, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
}

static void stop_cb(void *ctx)
{
	ev_stop(ctx);
}

/* A 10 ms heartbeat: the longest gap between two beats is how long the
 * loop was held. */
static void tick_cb(void *ctx)
{
	struct fx *fx = ctx;
	int64_t now = ev_now_ms();
	if (fx->last_tick && now - fx->last_tick > fx->max_gap_ms)
		fx->max_gap_ms = now - fx->last_tick;
	fx->last_tick = now;
	fx->tick = ev_timer_add(fx->ev, 10, tick_cb, fx);
}

static void run_for(struct fx *fx, int64_t ms)
{
	fx->last_tick = 0;
	fx->tick = ev_timer_add(fx->ev, 0, tick_cb, fx);
	ev_timer_add(fx->ev, ms, stop_cb, fx->ev);
	ev_run(fx->ev);
	ev_timer_cancel(fx->ev, fx->tick);
}

static void fate(void *ctx, int rc, int64_t seq)
{
	struct fx *fx = ctx;
	fx->calls++;
	fx->rc = rc;
	fx->seq = seq;
	fx->at_ms = ev_now_ms();
}

static const struct audit_intent the_intent = {
	.operator_id = "op.li", .site = "sh-a", .action = "channel.drain",
	.target = "icbc.direct.quickpay", .state_before = "admin_state=enabled",
	.reason = "cut-over", .idempotency_key = "po-k1", .request_id = "po-r-1.1",
	.local_user = "li", .host = "jump1",
};

static int64_t rows(struct fx *fx)
{
	int64_t n = -1, last;
	char h[65];
	assert_int_equal(audit_head(fx->log, &n, &last, h), AUDIT_OK);
	return n;
}

static int count_cb(const struct audit_row *row, void *ctx)
{
	(void)row;
	(*(int *)ctx)++;
	return 0;
}

static void test_free_log_writes_at_once(void **state)
{
	struct fx *fx = *state;
	int64_t seq = 0, oseq = 0;
	uint64_t id = 0;
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 30000, "audit_log_busy",
					     fate, fx, &seq, &id), AUDIT_OK);
	assert_true(seq > 0);
	assert_int_equal(fx->calls, 0);
	assert_int_equal(audit_writer_outcome(fx->w, seq, AUDIT_APPLIED, "200", "ok",
					      "admin_state=draining", "", &oseq), AUDIT_OK);
	assert_true(oseq > seq);
	assert_int_equal(audit_writer_pending(fx->w), 0);
}

static void test_intent_waits_then_written(void **state)
{
	struct fx *fx = *state;
	int64_t seq = 0;
	uint64_t id = 0;
	lock(fx);
	int64_t t0 = ev_now_ms();
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 30000, "audit_log_busy",
					     fate, fx, &seq, &id), AUDIT_EBUSY);
	assert_true(ev_now_ms() - t0 < 100); /* one short try, not the busy timeout */
	assert_true(id > 0);
	assert_int_equal(audit_writer_pending(fx->w), 1);
	ev_timer_add(fx->ev, 400, unlock_cb, fx);
	run_for(fx, 900);
	assert_int_equal(fx->calls, 1);
	assert_int_equal(fx->rc, AUDIT_OK);
	assert_true(fx->seq > 0);
	assert_true(fx->at_ms - t0 >= 400);          /* not before the release */
	assert_true(fx->at_ms - t0 < 400 + 300);     /* soon after it */
	assert_true(fx->max_gap_ms < 60);            /* the loop never stalled */
	assert_int_equal(rows(fx), 1);
	assert_int_equal(audit_writer_pending(fx->w), 0);
}

static void test_intent_given_up_recorded_not_sent(void **state)
{
	struct fx *fx = *state;
	int64_t seq = 0;
	uint64_t id = 0;
	lock(fx);
	int64_t t0 = ev_now_ms();
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 300, "audit_log_busy",
					     fate, fx, &seq, &id), AUDIT_EBUSY);
	run_for(fx, 500);
	assert_int_equal(fx->calls, 1);
	assert_int_equal(fx->rc, AUDIT_EBUSY);       /* given up: must not be sent */
	assert_true(fx->at_ms - t0 >= 300);
	assert_true(fx->max_gap_ms < 60);
	unlock_cb(fx);
	assert_int_equal(rows(fx), 0);               /* nothing while it was held */
	run_for(fx, 300);
	/* once free: the intent and its "failed" outcome, nothing unresolved */
	assert_int_equal(rows(fx), 2);
	assert_int_equal(fx->calls, 1);
	struct audit_filter f = { .outcome = "failed" };
	int n = 0;
	assert_int_equal(audit_query(fx->log, &f, count_cb, &n), AUDIT_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(audit_unresolved(fx->log, count_cb, &n), AUDIT_OK);
	assert_int_equal(n, 0);
	f = (struct audit_filter){ .text = "not sent: the audit log was locked" };
	n = 0;
	assert_int_equal(audit_query(fx->log, &f, count_cb, &n), AUDIT_OK);
	assert_int_equal(n, 1);
	f = (struct audit_filter){ .text = "audit_log_busy" };
	n = 0;
	assert_int_equal(audit_query(fx->log, &f, count_cb, &n), AUDIT_OK);
	assert_int_equal(n, 1);
}

static void test_outcomes_queued_in_order_never_lost(void **state)
{
	struct fx *fx = *state;
	int64_t a = 0, b = 0;
	uint64_t id;
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 30000, "x", fate, fx, &a, &id),
			 AUDIT_OK);
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 30000, "x", fate, fx, &b, &id),
			 AUDIT_OK);
	lock(fx);
	assert_int_equal(audit_writer_outcome(fx->w, a, AUDIT_APPLIED, "200", "", "", "", NULL),
			 AUDIT_EBUSY);
	assert_int_equal(audit_writer_outcome(fx->w, b, AUDIT_REJECTED, "409", "", "", "", NULL),
			 AUDIT_EBUSY);
	/* held for a long while: outcomes have no deadline */
	run_for(fx, 600);
	assert_int_equal(audit_writer_pending(fx->w), 2);
	assert_true(fx->max_gap_ms < 60);
	unlock_cb(fx);
	run_for(fx, 300);
	assert_int_equal(audit_writer_pending(fx->w), 0);
	assert_int_equal(rows(fx), 4);
	int64_t bad = 0;
	char why[128];
	int64_t n;
	assert_int_equal(audit_verify(fx->log, &n, &bad, why, sizeof why), 0);
	/* in order: a's outcome is row 3, b's row 4 */
	struct audit_filter f = { .outcome = "applied" };
	int k = 0;
	assert_int_equal(audit_query(fx->log, &f, count_cb, &k), AUDIT_OK);
	assert_int_equal(k, 1);
}

static void test_flush_bounded(void **state)
{
	struct fx *fx = *state;
	int64_t a = 0;
	uint64_t id = 0, wid = 0;
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 30000, "x", fate, fx, &a, &id),
			 AUDIT_OK);
	lock(fx);
	assert_int_equal(audit_writer_outcome(fx->w, a, AUDIT_APPLIED, "200", "", "", "", NULL),
			 AUDIT_EBUSY);
	/* an action still waiting for its intent when the console quits */
	assert_int_equal(audit_writer_intent(fx->w, &the_intent, 30000, "audit_log_busy", fate, fx,
					     &a, &wid), AUDIT_EBUSY);
	audit_writer_abandon(fx->w, wid, "audit_log_busy", "not sent: the console quit");
	int64_t t0 = ev_now_ms();
	assert_int_equal(audit_writer_flush(fx->w, 300), 2);
	int64_t took = ev_now_ms() - t0;
	assert_true(took >= 250 && took < 1500);
	assert_int_equal(fx->calls, 0); /* abandoned: no callback */
	assert_non_null(strstr(audit_writer_error(fx->w), "locked"));
	unlock_cb(fx);
	assert_int_equal(audit_writer_flush(fx->w, 1000), 0);
	assert_int_equal(rows(fx), 4); /* intent, outcome, not-sent pair */
	int n = 0;
	assert_int_equal(audit_unresolved(fx->log, count_cb, &n), AUDIT_OK);
	assert_int_equal(n, 0);
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_free_log_writes_at_once),
	UNIT_TEST(test_intent_waits_then_written),
	UNIT_TEST(test_intent_given_up_recorded_not_sent),
	UNIT_TEST(test_outcomes_queued_in_order_never_lost),
	UNIT_TEST(test_flush_bounded))
