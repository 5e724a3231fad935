/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/glyph.h: internal to text/ (not for other modules).
 * The sanitiser's iterator: one call yields one display cell group, i.e. a
 * printable character with its combining marks, or one placeholder. */
#ifndef PAYOPS_TEXT_GLYPH_H
#define PAYOPS_TEXT_GLYPH_H

#include <stdbool.h>
#include <stddef.h>

#define GLYPH_MAX_COMBINING 8

struct glyph {
	char b[4 * (GLYPH_MAX_COMBINING + 1) + 4];
	size_t n; /* bytes in b (not NUL-terminated) */
	int w;    /* columns: 0 never happens, 1 or 2 */
};

/* Next glyph of s[0..len) from *pos; false at the end. */
bool glyph_next(const char *s, size_t len, size_t *pos, struct glyph *g);

#endif
