/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/ev.h: the one event loop: file descriptors and timers, nothing else.
 * No busy polling: the loop sleeps in poll() until a descriptor is ready or
 * the nearest timer is due. Signals arrive through a self-pipe. A
 * "before wait" hook runs once per iteration: that is where coalesced
 * redraws happen. */
#ifndef PAYOPS_BASE_EV_H
#define PAYOPS_BASE_EV_H

#include <stdint.h>

typedef struct ev_loop ev_loop;
typedef void (*ev_io_fn)(void *ctx, int fd, short revents);
typedef void (*ev_timer_fn)(void *ctx);
typedef void (*ev_signal_fn)(void *ctx, int signo);
typedef void (*ev_hook_fn)(void *ctx);
typedef uint64_t ev_timer_id; /* 0 is never a valid id */

ev_loop *ev_new(void);
void ev_free(ev_loop *ev);

/* Watch fd for POLLIN/POLLOUT; adding a watched fd again replaces it. */
int ev_io_set(ev_loop *ev, int fd, short events, ev_io_fn fn, void *ctx);
void ev_io_del(ev_loop *ev, int fd);

/* One-shot timer, due in `ms` milliseconds (0: on the next iteration). */
ev_timer_id ev_timer_add(ev_loop *ev, int64_t ms, ev_timer_fn fn, void *ctx);
void ev_timer_cancel(ev_loop *ev, ev_timer_id id);

/* Deliver signo through the loop (SIGWINCH, SIGTERM, SIGINT, SIGCHLD...). */
int ev_signal_add(ev_loop *ev, int signo, ev_signal_fn fn, void *ctx);

void ev_set_before_wait(ev_loop *ev, ev_hook_fn fn, void *ctx);

int ev_run(ev_loop *ev);   /* until ev_stop(); 0, or -1 on a poll error */
void ev_stop(ev_loop *ev);

int64_t ev_now_ms(void);   /* clock_now_ms() (base/clock.h): the timers' clock */
uint64_t ev_wakeups(const ev_loop *ev); /* iterations so far (for tests, bench) */

#endif
