/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/strbuf.c: see base/strbuf.h. */
#include "base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"

/* Room for n more bytes and the NUL. */
static int room(strbuf *b, size_t n)
{
	if (n == SIZE_MAX)
		return -1;
	return vec_grow(&b->s, &b->cap, b->len, n + 1, 1);
}

int strbuf_add(strbuf *b, const char *s, size_t n)
{
	if (room(b, n) != 0)
		return -1;
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int strbuf_puts(strbuf *b, const char *s)
{
	return strbuf_add(b, s ? s : "", s ? strlen(s) : 0);
}

int strbuf_putc(strbuf *b, char c)
{
	return strbuf_add(b, &c, 1);
}

int strbuf_vprintf(strbuf *b, const char *fmt, va_list ap)
{
	va_list again;
	char probe[1];
	int n;

	va_copy(again, ap);
	n = vsnprintf(probe, sizeof probe, fmt, ap);
	if (n < 0 || room(b, (size_t)n) != 0) {
		va_end(again);
		return -1;
	}
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, again);
	va_end(again);
	if (n < 0) {
		b->s[b->len] = '\0';
		return -1;
	}
	b->len += (size_t)n;
	return 0;
}

int strbuf_printf(strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *strbuf_str(const strbuf *b)
{
	return b->s ? b->s : "";
}

void strbuf_reset(strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *strbuf_take(strbuf *b)
{
	char *s = b->s;

	if (!s)
		return calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void strbuf_free(strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
