/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/ev.c: the event loop: poll() over a small watch list, a binary
 * min-heap of one-shot timers, signals through a self-pipe.
 *
 * Dispatch is safe against callbacks that add or remove descriptors and
 * timers, their own included: descriptors are dispatched from a snapshot and
 * re-checked by a per-watch serial; timers added during dispatch (even with
 * 0 ms) wait for the next iteration, so a callback cannot starve the loop. */
#include "base/ev.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

typedef struct {
	int fd;
	short events;
	ev_io_fn fn;
	void *ctx;
	uint64_t serial;
} ev_io;

typedef struct {
	int64_t due;
	ev_timer_id id;
	ev_timer_fn fn;
	void *ctx;
} ev_timer;

typedef struct {
	int signo;
	ev_signal_fn fn;
	void *ctx;
	struct sigaction old;
} ev_sig;

struct ev_loop {
	ev_io *io;
	size_t n_io, cap_io;
	uint64_t io_serial;

	struct pollfd *pfd;      /* snapshot for one poll() */
	uint64_t *pfd_serial;
	size_t cap_pfd;

	ev_timer *heap;
	size_t n_timer, cap_timer;
	ev_timer_id next_timer;

	ev_sig *sig;
	size_t n_sig;
	int sig_pipe[2];

	ev_hook_fn before_wait;
	void *before_wait_ctx;

	bool stop;
	uint64_t wakeups;
};

/* Signal handlers are process-wide; the loop that installed them owns the
 * write end of its self-pipe. */
static volatile sig_atomic_t ev_sig_fd = -1;

int64_t ev_now_ms(void)
{
	return clock_now_ms();
}

uint64_t ev_wakeups(const ev_loop *ev)
{
	return ev->wakeups;
}

static int set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

ev_loop *ev_new(void)
{
	ev_loop *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return NULL;
	ev->sig_pipe[0] = ev->sig_pipe[1] = -1;
	ev->next_timer = 1;
	return ev;
}

void ev_free(ev_loop *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; i < ev->n_sig; i++)
		sigaction(ev->sig[i].signo, &ev->sig[i].old, NULL);
	if (ev->sig_pipe[1] >= 0 && ev_sig_fd == ev->sig_pipe[1])
		ev_sig_fd = -1;
	if (ev->sig_pipe[0] >= 0)
		close(ev->sig_pipe[0]);
	if (ev->sig_pipe[1] >= 0)
		close(ev->sig_pipe[1]);
	free(ev->sig);
	free(ev->io);
	free(ev->pfd);
	free(ev->pfd_serial);
	free(ev->heap);
	free(ev);
}

/* ---- descriptors ---- */

static ev_io *io_find(ev_loop *ev, int fd)
{
	for (size_t i = 0; i < ev->n_io; i++)
		if (ev->io[i].fd == fd)
			return &ev->io[i];
	return NULL;
}

int ev_io_set(ev_loop *ev, int fd, short events, ev_io_fn fn, void *ctx)
{
	ev_io *w;

	if (fd < 0 || !fn)
		return -1;
	w = io_find(ev, fd);
	if (!w) {
		if (ev->n_io == ev->cap_io) {
			size_t cap = ev->cap_io ? ev->cap_io * 2 : 8;
			ev_io *n = realloc(ev->io, cap * sizeof(*n));

			if (!n)
				return -1;
			ev->io = n;
			ev->cap_io = cap;
		}
		w = &ev->io[ev->n_io++];
	}
	w->fd = fd;
	w->events = events;
	w->fn = fn;
	w->ctx = ctx;
	w->serial = ++ev->io_serial;
	return 0;
}

void ev_io_del(ev_loop *ev, int fd)
{
	ev_io *w = io_find(ev, fd);

	if (!w)
		return;
	*w = ev->io[--ev->n_io];
}

/* ---- timers: min-heap ordered by (due, id) so equal deadlines fire in
 * the order they were added ---- */

static bool timer_before(const ev_timer *a, const ev_timer *b)
{
	return a->due < b->due || (a->due == b->due && a->id < b->id);
}

static void heap_up(ev_timer *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		ev_timer t;

		if (!timer_before(&h[i], &h[p]))
			break;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

static void heap_down(ev_timer *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		ev_timer t;

		if (l < n && timer_before(&h[l], &h[m]))
			m = l;
		if (r < n && timer_before(&h[r], &h[m]))
			m = r;
		if (m == i)
			break;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void heap_remove_at(ev_loop *ev, size_t i)
{
	ev->heap[i] = ev->heap[--ev->n_timer];
	if (i < ev->n_timer) {
		heap_up(ev->heap, i);
		heap_down(ev->heap, ev->n_timer, i);
	}
}

ev_timer_id ev_timer_add(ev_loop *ev, int64_t ms, ev_timer_fn fn, void *ctx)
{
	ev_timer *t;
	ev_timer_id id;

	if (!fn)
		return 0;
	if (ev->n_timer == ev->cap_timer) {
		size_t cap = ev->cap_timer ? ev->cap_timer * 2 : 16;
		ev_timer *n = realloc(ev->heap, cap * sizeof(*n));

		if (!n)
			return 0;
		ev->heap = n;
		ev->cap_timer = cap;
	}
	if (ms < 0)
		ms = 0;
	id = ev->next_timer++;
	t = &ev->heap[ev->n_timer];
	t->due = clock_now_ms() + ms;
	t->id = id;
	t->fn = fn;
	t->ctx = ctx;
	heap_up(ev->heap, ev->n_timer++); /* moves *t: return the saved id */
	return id;
}

/* Linear search for the id, then an O(log n) removal: the console holds a
 * handful of timers, so an index map would cost more than it saves. */
void ev_timer_cancel(ev_loop *ev, ev_timer_id id)
{
	if (id == 0)
		return;
	for (size_t i = 0; i < ev->n_timer; i++) {
		if (ev->heap[i].id == id) {
			heap_remove_at(ev, i);
			return;
		}
	}
}

/* ---- signals ---- */

static void ev_sig_handler(int signo)
{
	int saved = errno;
	int fd = ev_sig_fd;
	unsigned char b = (unsigned char)signo;

	if (fd >= 0) {
		ssize_t r = write(fd, &b, 1); /* a full pipe drops a duplicate */
		(void)r;
	}
	errno = saved;
}

static void sig_pipe_ready(void *ctx, int fd, short revents)
{
	ev_loop *ev = ctx;
	unsigned char buf[64];
	ssize_t n;

	(void)revents;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			/* the handler may register or drop signals: re-scan */
			for (size_t j = 0; j < ev->n_sig; j++) {
				if (ev->sig[j].signo == buf[i]) {
					ev->sig[j].fn(ev->sig[j].ctx, buf[i]);
					break;
				}
			}
		}
	}
}

int ev_signal_add(ev_loop *ev, int signo, ev_signal_fn fn, void *ctx)
{
	struct sigaction sa;
	ev_sig *n;

	if (!fn || signo <= 0 || signo > UCHAR_MAX)
		return -1;
	if (ev->sig_pipe[0] < 0) {
		if (pipe(ev->sig_pipe) < 0)
			return -1;
		if (set_nonblock_cloexec(ev->sig_pipe[0]) < 0 ||
		    set_nonblock_cloexec(ev->sig_pipe[1]) < 0 ||
		    ev_io_set(ev, ev->sig_pipe[0], POLLIN, sig_pipe_ready, ev) < 0) {
			close(ev->sig_pipe[0]);
			close(ev->sig_pipe[1]);
			ev->sig_pipe[0] = ev->sig_pipe[1] = -1;
			return -1;
		}
		ev_sig_fd = ev->sig_pipe[1];
	}
	for (size_t i = 0; i < ev->n_sig; i++) {
		if (ev->sig[i].signo == signo) {
			ev->sig[i].fn = fn;
			ev->sig[i].ctx = ctx;
			return 0;
		}
	}
	n = realloc(ev->sig, (ev->n_sig + 1) * sizeof(*n));
	if (!n)
		return -1;
	ev->sig = n;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ev_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(signo, &sa, &ev->sig[ev->n_sig].old) < 0)
		return -1;
	ev->sig[ev->n_sig].signo = signo;
	ev->sig[ev->n_sig].fn = fn;
	ev->sig[ev->n_sig].ctx = ctx;
	ev->n_sig++;
	return 0;
}

/* ---- the loop ---- */

void ev_set_before_wait(ev_loop *ev, ev_hook_fn fn, void *ctx)
{
	ev->before_wait = fn;
	ev->before_wait_ctx = ctx;
}

void ev_stop(ev_loop *ev)
{
	ev->stop = true;
}

static int poll_timeout(const ev_loop *ev)
{
	int64_t d;

	if (ev->n_timer == 0)
		return -1;
	d = ev->heap[0].due - clock_now_ms();
	if (d <= 0)
		return 0;
	return d > INT_MAX ? INT_MAX : (int)d;
}

static void run_timers(ev_loop *ev)
{
	/* only timers that existed before this pass: a callback re-arming
	 * itself with 0 ms runs on the next iteration, not forever here */
	ev_timer_id last = ev->next_timer - 1;
	int64_t now = clock_now_ms();

	while (ev->n_timer > 0 && !ev->stop) {
		ev_timer t = ev->heap[0];

		if (t.due > now || t.id > last)
			break;
		heap_remove_at(ev, 0);
		t.fn(t.ctx);
	}
}

static int snapshot_fds(ev_loop *ev)
{
	if (ev->n_io > ev->cap_pfd) {
		size_t cap = ev->n_io * 2;
		struct pollfd *p = realloc(ev->pfd, cap * sizeof(*p));
		uint64_t *s;

		if (!p)
			return -1;
		ev->pfd = p;
		s = realloc(ev->pfd_serial, cap * sizeof(*s));
		if (!s)
			return -1;
		ev->pfd_serial = s;
		ev->cap_pfd = cap;
	}
	for (size_t i = 0; i < ev->n_io; i++) {
		ev->pfd[i].fd = ev->io[i].fd;
		ev->pfd[i].events = ev->io[i].events;
		ev->pfd[i].revents = 0;
		ev->pfd_serial[i] = ev->io[i].serial;
	}
	return 0;
}

int ev_run(ev_loop *ev)
{
	ev->stop = false;
	while (!ev->stop) {
		size_t n;
		int r;

		if (ev->before_wait)
			ev->before_wait(ev->before_wait_ctx);
		if (ev->stop)
			break;
		if (snapshot_fds(ev) < 0)
			return -1;
		n = ev->n_io;
		r = poll(ev->pfd, (nfds_t)n, poll_timeout(ev));
		ev->wakeups++;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		for (size_t i = 0; r > 0 && i < n && !ev->stop; i++) {
			ev_io *w;

			if (!ev->pfd[i].revents)
				continue;
			r--;
			w = io_find(ev, ev->pfd[i].fd);
			/* removed, or replaced by a new watch, since poll() */
			if (!w || w->serial != ev->pfd_serial[i])
				continue;
			w->fn(w->ctx, ev->pfd[i].fd, ev->pfd[i].revents);
		}
		run_timers(ev);
	}
	return 0;
}
