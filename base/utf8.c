/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/utf8.c: see base/utf8.h. */
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

int utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c;
	size_t need, i;
	uint32_t v;
	unsigned char lo = 0x80, hi = 0xBF;

	*cp = 0xFFFD;
	if (len == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0; /* no overlongs */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90; /* no overlongs */
		else if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return -1; /* continuation byte, C0/C1 overlong lead, F5..FF */
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi)
			return -(int)i;
		v = (v << 6) | (p[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return (int)need + 1;
}

int utf8_encode(uint32_t cp, char out[4])
{
	if (cp >= 0xD800 && cp <= 0xDFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return utf8_encode(0xFFFD, out);
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

bool utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		/* runs of ASCII (most of any JSON), eight bytes at a time */
		uint64_t w;
		while (i + 8 <= len && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ULL) == 0))
			i += 8;
		if (i >= len)
			break;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int r = utf8_next(s + i, len - i, &cp);
		if (r <= 0)
			return false;
		i += (size_t)r;
	}
	return true;
}

ptrdiff_t utf8_count_chars(const char *s)
{
	size_t len, i = 0;
	ptrdiff_t n = 0;
	uint32_t cp;

	if (!s)
		return 0;
	len = strlen(s);
	while (i < len) {
		int r = utf8_next(s + i, len - i, &cp);
		if (r <= 0)
			return -1;
		i += (size_t)r;
		n++;
	}
	return n;
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	/* s[max] is the first byte left out: back up while it continues the
	 * character that would be cut */
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *utf8_scrub(const char *s, size_t len, size_t *outlen)
{
	size_t i = 0, o = 0, cap;
	char *out;
	uint32_t cp;

	/* Each invalid byte grows to at most 3 bytes (U+FFFD). */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	cap = len * 3 + 1;
	if (utf8_valid(s, len)) {
		/* the common case: a copy, not a walk */
		if (!(out = malloc(len + 1)))
			return NULL;
		memcpy(out, s, len);
		out[len] = '\0';
		if (outlen)
			*outlen = len;
		return out;
	}
	out = malloc(cap);
	if (!out)
		return NULL;
	while (i < len) {
		int r = utf8_next(s + i, len - i, &cp);
		if (r > 0) {
			memcpy(out + o, s + i, (size_t)r);
			o += (size_t)r;
			i += (size_t)r;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i += (size_t)-r;
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}
