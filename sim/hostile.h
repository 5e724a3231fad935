/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/hostile.h - --adversarial: what a broken or malicious platform sends.
 * Display strings carry terminal escape sequences (title changes, clear
 * screen, cursor moves, OSC 52 clipboard writes, 8-bit C1 controls),
 * bidirectional overrides, 10,000-character names, zero-width and combining
 * characters; numbers fall out of range (rates above 1 or negative, 1e308,
 * "NaN" as a string); enums take values no contract has; lists repeat ids
 * and change between one page and the next. Each object is made hostile
 * the same way every time (by its id), so a test knows what to expect. */
#ifndef SIM_HOSTILE_H
#define SIM_HOSTILE_H
#include <stddef.h>

/* A 200 body of GET /v1/...: a malloc'd hostile rewrite, or NULL to send
 * the body unchanged. `paged` when the request carried a cursor. */
char *sim_hostile_body(const char *url, int paged, const char *body);
/* The data line of one SSE event: malloc'd rewrite (length in *outlen) or NULL. */
char *sim_hostile_event(const char *data, size_t len, size_t *outlen);

/* The payloads, for tests: the number of string variants and one of them
 * applied to `orig` (malloc'd). */
size_t sim_hostile_variants(void);
char *sim_hostile_string(size_t variant, const char *orig);

#endif
