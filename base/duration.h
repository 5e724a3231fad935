/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/duration.h: the one duration grammar of the console, for
 * payops.yaml (poll_interval: 2s) and for what the operator types in a
 * dialog (a silence's duration, a reroute's expiry).
 *
 * A duration is one or more parts, each a whole number and a unit, the
 * units largest first and each at most once, with no blanks inside:
 *
 *     90s   15m   1h30m   2d   1w   250ms   1w2d   1m30s   1s500ms
 *
 * Units: w (7 days), d (24 hours), h, m, s, ms. Blanks before and after
 * are ignored. A bare number ("30") is refused: minutes or seconds is the
 * reader's guess, so the writer must say. A value beyond INT64_MAX
 * milliseconds is refused; each caller checks its own range.
 */
#ifndef PAYOPS_BASE_DURATION_H
#define PAYOPS_BASE_DURATION_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	DURATION_OK = 0,
	DURATION_EMPTY = -1,      /* nothing but blanks (or NULL) */
	DURATION_BARE = -2,       /* digits without a unit: "30" */
	DURATION_MALFORMED = -3,  /* anything else outside the grammar */
	DURATION_OVERFLOW = -4,   /* more milliseconds than int64_t holds */
} duration_status;

/* DURATION_OK with *ms set, or why not (*ms untouched). */
duration_status duration_parse(const char *s, int64_t *ms);

/* One line saying why s was refused with st, suggesting what to write:
 * "30: give a unit, e.g. 30m". */
void duration_error(duration_status st, const char *s, char *out, size_t sz);

/* The canonical spelling duration_parse() reads back: "0s" for 0 or less,
 * "1500ms" below a minute when not whole seconds, else the non-zero parts
 * largest first ("1h30m", "2d", "1w3d12h"). */
void duration_format(int64_t ms, char *out, size_t sz);

#endif
