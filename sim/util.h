/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/util.h - small helpers: RFC 3339 times, Beijing dates, opaque list
 * cursors, hashing and UTF-8 length */
#ifndef SIM_UTIL_H
#define SIM_UTIL_H
#include <stddef.h>
#include <stdint.h>

#define SIM_CST_OFFSET (8 * 3600) /* recon dates and day limits follow Beijing time */

int64_t sim_days_from_civil(int y, int m, int d);
void sim_civil_from_days(int64_t z, int *y, int *m, int *d);
void sim_fmt_time(int64_t t, char *out, size_t cap);   /* 2026-11-21T08:15:00Z */
void sim_fmt_date(int32_t day, char *out, size_t cap); /* 2026-11-21 */
void sim_fmt_date_compact(int32_t day, char *out, size_t cap); /* 20261121 */
int32_t sim_cst_day(int64_t t);                        /* Beijing calendar day */
int sim_parse_time(const char *s, int64_t *out);       /* 0 ok, -1 bad */
int sim_parse_date(const char *s, int32_t *out);

/* Opaque cursor: base64url (no padding) of the last id of a page. */
int sim_cursor_encode(const char *id, char *out, size_t cap);
int sim_cursor_decode(const char *cursor, char *out, size_t cap);

uint64_t sim_fnv1a(const void *p, size_t n, uint64_t h);
#define SIM_FNV_INIT 0xcbf29ce484222325ULL
size_t sim_utf8_chars(const char *s); /* code points, SIZE_MAX when not UTF-8 */

/* A growing NUL-terminated string: a failed allocation marks it bad, and
 * every later put is then ignored (the caller checks bad once, at the end). */
struct sim_buf { char *p; size_t len, cap; int bad; };
void sim_buf_put(struct sim_buf *b, const char *s, size_t n);

#endif
