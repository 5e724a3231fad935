/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/strbuf.h: the one growable string.
 *
 *	strbuf b = STRBUF_INIT;
 *	if (strbuf_puts(&b, "GET ") || strbuf_printf(&b, "%s?n=%d", path, n))
 *		... out of memory: b holds what it held before that call
 *	char *s = strbuf_take(&b);   // malloc'd, NUL-terminated; b is empty
 *
 * Every append is all or nothing: a failed one (out of memory, a size
 * overflow, a format error) returns -1 and leaves the buffer as it was.
 * The text is always NUL-terminated once anything was appended.
 */
#ifndef PAYOPS_BASE_STRBUF_H
#define PAYOPS_BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
	char *s;     /* NULL until something is appended */
	size_t len;  /* bytes, without the NUL */
	size_t cap;  /* bytes allocated, the NUL included */
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }

/* Append n bytes of s (which may hold NULs). */
int strbuf_add(strbuf *b, const char *s, size_t n);
int strbuf_puts(strbuf *b, const char *s);
int strbuf_putc(strbuf *b, char c);
int strbuf_printf(strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vprintf(strbuf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* The text so far ("" when nothing was appended); valid until the next
 * append, take or free. */
const char *strbuf_str(const strbuf *b);
/* Forget the text, keep the storage. */
void strbuf_reset(strbuf *b);
/* The text as a malloc'd string the caller frees ("" when empty), and b
 * empty again; NULL only when "" could not be allocated. */
char *strbuf_take(strbuf *b);
void strbuf_free(strbuf *b);

#endif
