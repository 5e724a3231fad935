/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/clock.h: the monotonic clock in milliseconds, for whatever measures
 * time (timers, timeouts, how long a query took) without the event loop. */
#ifndef PAYOPS_BASE_CLOCK_H
#define PAYOPS_BASE_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds: never goes back, unrelated to the wall
 * clock. Safe from any thread. */
int64_t clock_now_ms(void);

#endif
