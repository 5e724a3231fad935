/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/net/ev_test.c: the event loop: timer order, cancellation, descriptor
 * readiness, signals, self-removing callbacks, no spinning when idle, and
 * its clock (base/clock.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/ev.h"
#include "tests/lib/unit.h"

typedef struct {
	ev_loop *ev;
	int order[16];
	int n;
	int stop_after;
} rec;

typedef struct {
	rec *r;
	int tag;
} tag;

static void record(void *ctx)
{
	tag *t = ctx;

	if (t->r->n < 16)
		t->r->order[t->r->n++] = t->tag;
	if (t->r->n == t->r->stop_after)
		ev_stop(t->r->ev);
}

static void stop_cb(void *ctx)
{
	ev_stop(ctx);
}

static void timers_fire_in_order(void **state)
{
	rec r = {.ev = ev_new(), .stop_after = 4};
	tag t[4] = {{&r, 30}, {&r, 10}, {&r, 20}, {&r, 11}};
	int64_t t0;

	(void)state;
	assert_non_null(r.ev);
	t0 = ev_now_ms();
	ev_timer_add(r.ev, 30, record, &t[0]);
	ev_timer_add(r.ev, 10, record, &t[1]);
	ev_timer_add(r.ev, 20, record, &t[2]);
	ev_timer_add(r.ev, 10, record, &t[3]); /* same deadline: added later */
	assert_int_equal(ev_run(r.ev), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.order[0], 10);
	assert_int_equal(r.order[1], 11);
	assert_int_equal(r.order[2], 20);
	assert_int_equal(r.order[3], 30);
	assert_true(ev_now_ms() - t0 >= 30);
	ev_free(r.ev);
}

/* ids must follow their timers as the heap reorders them */
static void cancel_by_id_after_reorder(void **state)
{
	rec r = {.ev = ev_new(), .stop_after = 100};
	tag t[5] = {{&r, 50}, {&r, 40}, {&r, 30}, {&r, 20}, {&r, 10}};
	ev_timer_id id[5];

	(void)state;
	for (int i = 0; i < 5; i++)   /* each new one sifts to the top */
		id[i] = ev_timer_add(r.ev, t[i].tag, record, &t[i]);
	ev_timer_cancel(r.ev, id[2]);
	ev_timer_cancel(r.ev, id[4]);
	ev_timer_add(r.ev, 80, stop_cb, r.ev);
	ev_run(r.ev);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.order[0], 20);
	assert_int_equal(r.order[1], 40);
	assert_int_equal(r.order[2], 50);
	ev_free(r.ev);
}

static void timer_cancel(void **state)
{
	rec r = {.ev = ev_new(), .stop_after = 100};
	tag a = {&r, 1}, b = {&r, 2}, c = {&r, 3};
	ev_timer_id ia, ib;

	(void)state;
	ia = ev_timer_add(r.ev, 5, record, &a);
	ib = ev_timer_add(r.ev, 10, record, &b);
	ev_timer_add(r.ev, 15, record, &c);
	assert_true(ia != 0 && ib != 0 && ia != ib);
	ev_timer_cancel(r.ev, ib);
	ev_timer_cancel(r.ev, 0);       /* harmless */
	ev_timer_cancel(r.ev, 999999);  /* unknown: harmless */
	ev_timer_add(r.ev, 40, stop_cb, r.ev);
	ev_run(r.ev);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.order[0], 1);
	assert_int_equal(r.order[1], 3);
	ev_free(r.ev);
}

typedef struct {
	ev_loop *ev;
	int fds[2];
	char got[8];
	int reads;
} pipe_ctx;

static void on_readable(void *ctx, int fd, short revents)
{
	pipe_ctx *p = ctx;
	ssize_t n;

	assert_true(revents & POLLIN);
	n = read(fd, p->got, sizeof(p->got) - 1);
	assert_true(n > 0);
	p->got[n] = '\0';
	p->reads++;
	ev_io_del(p->ev, fd);   /* removes itself during dispatch */
	ev_stop(p->ev);
}

static void write_later(void *ctx)
{
	pipe_ctx *p = ctx;

	assert_int_equal(write(p->fds[1], "hi", 2), 2);
}

static void fd_readiness(void **state)
{
	pipe_ctx p = {.ev = ev_new()};

	(void)state;
	assert_int_equal(pipe(p.fds), 0);
	assert_int_equal(ev_io_set(p.ev, p.fds[0], POLLIN, on_readable, &p), 0);
	ev_timer_add(p.ev, 20, write_later, &p);
	ev_run(p.ev);
	assert_int_equal(p.reads, 1);
	assert_string_equal(p.got, "hi");
	/* removed: more data does not call it again */
	assert_int_equal(write(p.fds[1], "x", 1), 1);
	ev_timer_add(p.ev, 20, stop_cb, p.ev);
	ev_run(p.ev);
	assert_int_equal(p.reads, 1);
	close(p.fds[0]);
	close(p.fds[1]);
	ev_free(p.ev);
}

typedef struct {
	ev_loop *ev;
	int signo;
	int count;
} sig_ctx;

static void on_signal(void *ctx, int signo)
{
	sig_ctx *s = ctx;

	s->signo = signo;
	s->count++;
	ev_stop(s->ev);
}

static void raise_usr1(void *ctx)
{
	(void)ctx;
	raise(SIGUSR1);
}

static void signals_through_loop(void **state)
{
	sig_ctx s = {.ev = ev_new()};

	(void)state;
	assert_int_equal(ev_signal_add(s.ev, SIGUSR1, on_signal, &s), 0);
	ev_timer_add(s.ev, 5, raise_usr1, NULL);
	ev_timer_add(s.ev, 2000, stop_cb, s.ev); /* bound if it never comes */
	ev_run(s.ev);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.signo, SIGUSR1);
	ev_free(s.ev);
	signal(SIGUSR1, SIG_DFL);
}

typedef struct {
	ev_loop *ev;
	int runs;
	ev_timer_id other;
} self_ctx;

/* re-arms itself with 0 ms: must not starve the loop, runs once per pass */
static void rearm(void *ctx)
{
	self_ctx *s = ctx;

	if (++s->runs < 5)
		ev_timer_add(s->ev, 0, rearm, s);
}

static void cancel_other(void *ctx)
{
	self_ctx *s = ctx;

	ev_timer_cancel(s->ev, s->other); /* due in the same pass */
}

static void must_not_run(void *ctx)
{
	(void)ctx;
	fail_msg("cancelled timer ran");
}

static void callbacks_modify_loop(void **state)
{
	self_ctx s = {.ev = ev_new()};
	uint64_t w0;

	(void)state;
	ev_timer_add(s.ev, 0, rearm, &s);
	ev_timer_add(s.ev, 10, cancel_other, &s);
	s.other = ev_timer_add(s.ev, 10, must_not_run, &s);
	ev_timer_add(s.ev, 30, stop_cb, s.ev);
	w0 = ev_wakeups(s.ev);
	ev_run(s.ev);
	assert_int_equal(s.runs, 5);
	assert_true(ev_wakeups(s.ev) - w0 >= 5);
	ev_free(s.ev);
}

static int hook_calls;
static void hook(void *ctx)
{
	(void)ctx;
	hook_calls++;
}

static void noop(void *ctx)
{
	(void)ctx;
}

static void idle_does_not_spin(void **state)
{
	ev_loop *ev = ev_new();
	uint64_t w;
	int64_t t0;

	(void)state;
	hook_calls = 0;
	ev_set_before_wait(ev, hook, NULL);
	ev_timer_add(ev, 100, noop, NULL);
	ev_timer_add(ev, 200, stop_cb, ev);
	t0 = ev_now_ms();
	ev_run(ev);
	w = ev_wakeups(ev);
	assert_true(ev_now_ms() - t0 >= 200);
	/* one sleep per timer; a spinning loop would count thousands */
	print_message("# %llu wakeups in 200 ms\n", (unsigned long long)w);
	assert_true(w <= 8);
	assert_true(hook_calls >= 2 && (uint64_t)hook_calls <= w);
	ev_free(ev);
}

static void on_alarm(void *ctx, int signo)
{
	(void)signo;
	ev_stop(ctx);
}

/* nothing due at all: poll() must sleep without a timeout until the signal */
static void nothing_due_sleeps(void **state)
{
	ev_loop *ev = ev_new();
	struct itimerval it = {.it_value = {.tv_usec = 150000}};
	int64_t t0;

	(void)state;
	assert_int_equal(ev_signal_add(ev, SIGALRM, on_alarm, ev), 0);
	t0 = ev_now_ms();
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	ev_run(ev);
	assert_true(ev_now_ms() - t0 >= 140);
	assert_true(ev_wakeups(ev) <= 3);
	ev_free(ev);
	signal(SIGALRM, SIG_DFL);
}

static void on_due(void *ctx)
{
	int64_t *at = ctx;

	*at = clock_now_ms();
}

/* base/clock.h is the loop's clock: it moves forward with real time, and
 * a timer set for 60 ms fires 60 ms later by it. */
static void clock_is_the_loops(void **state)
{
	ev_loop *ev = ev_new();
	struct timespec nap = {.tv_nsec = 30 * 1000000};
	int64_t t0, t1, fired = 0;

	(void)state;
	t0 = clock_now_ms();
	assert_true(t0 > 0);
	assert_true(ev_now_ms() - t0 >= 0 && ev_now_ms() - t0 < 5);
	assert_int_equal(nanosleep(&nap, NULL), 0);
	t1 = clock_now_ms();
	assert_true(t1 - t0 >= 30 && t1 - t0 < 1000);
	ev_timer_add(ev, 60, on_due, &fired);
	ev_timer_add(ev, 61, stop_cb, ev);
	ev_run(ev);
	assert_true(fired - t1 >= 60 && fired - t1 < 1000);
	ev_free(ev);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(timers_fire_in_order),
	cmocka_unit_test(timer_cancel),
	cmocka_unit_test(cancel_by_id_after_reorder),
	cmocka_unit_test(fd_readiness),
	cmocka_unit_test(signals_through_loop),
	cmocka_unit_test(callbacks_modify_loop),
	cmocka_unit_test(idle_does_not_spin),
	cmocka_unit_test(nothing_due_sleeps),
	cmocka_unit_test(clock_is_the_loops))
