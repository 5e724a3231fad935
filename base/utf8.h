/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/utf8.h: strict UTF-8 (RFC 3629): decoding, validation, counting
 * and repair. The one decoder: text/ measures and sanitises on top of it,
 * and every length limit counted in characters counts with it.
 *
 * Strict means: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF. An invalid sequence is consumed as its "maximal subpart"
 * (Unicode 15, section 3.9): the longest prefix that could have started a
 * valid character, or one byte, so that one broken character becomes one
 * U+FFFD and the valid character after it is never swallowed.
 */
#ifndef PAYOPS_BASE_UTF8_H
#define PAYOPS_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one character from s (len bytes): its length 1..4 with *cp set,
 * or -n (n >= 1 bytes to skip, *cp = U+FFFD) for an invalid sequence; 0
 * only when len == 0. */
int utf8_next(const char *s, size_t len, uint32_t *cp);
/* Encode cp (surrogates and values above U+10FFFF become U+FFFD); returns
 * the byte count 1..4. */
int utf8_encode(uint32_t cp, char out[4]);
bool utf8_valid(const char *s, size_t len);
/* Characters (code points) in the NUL-terminated s, or -1 when s is not
 * valid UTF-8; NULL counts 0. Every "at most N characters" check uses this,
 * so they all refuse the same bytes. */
ptrdiff_t utf8_count_chars(const char *s);
/* The longest prefix of s[0..len) of at most max bytes that does not end
 * inside a character: for cutting text into a fixed buffer. */
size_t utf8_prefix(const char *s, size_t len, size_t max);
/* A malloc()ed, NUL-terminated copy of s with every invalid sequence
 * replaced by U+FFFD (NUL bytes are kept); *outlen (if not NULL) gets its
 * length. NULL on allocation failure. */
char *utf8_scrub(const char *s, size_t len, size_t *outlen);

#endif
