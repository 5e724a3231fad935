/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/util.c - time, cursor, hash and UTF-8 helpers */
#include "sim/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

int64_t sim_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sim_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

void sim_fmt_time(int64_t t, char *out, size_t cap)
{
	int64_t days = floordiv(t, 86400), rem = t - days * 86400;
	int y, m, d;
	sim_civil_from_days(days, &y, &m, &d);
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void sim_fmt_date(int32_t day, char *out, size_t cap)
{
	int y, m, d;
	sim_civil_from_days(day, &y, &m, &d);
	snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
}

void sim_fmt_date_compact(int32_t day, char *out, size_t cap)
{
	int y, m, d;
	sim_civil_from_days(day, &y, &m, &d);
	snprintf(out, cap, "%04d%02d%02d", y, m, d);
}

int32_t sim_cst_day(int64_t t)
{
	return (int32_t)floordiv(t + SIM_CST_OFFSET, 86400);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int valid_ymd(int y, int m, int d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

int sim_parse_date(const char *s, int32_t *out)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (!valid_ymd(y, m, d))
		return -1;
	*out = (int32_t)sim_days_from_civil(y, m, d);
	return 0;
}

int sim_parse_time(const char *s, int64_t *out)
{
	int32_t day;
	int hh, mi, ss;
	char date[11];
	if (!s || strlen(s) < 20)
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (sim_parse_date(date, &day))
		return -1;
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s + 11, 2, &hh) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &ss))
		return -1;
	if (hh > 23 || mi > 59 || ss > 60)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-' || *p == ' ') {
		/* ' ' is a '+' that a query string decoded into a space */
		int sign = *p == '-' ? -1 : 1, oh, om;
		if (strlen(p) != 6 || p[3] != ':' || digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = sign * (oh * 3600 + om * 60);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*out = (int64_t)day * 86400 + hh * 3600 + mi * 60 + ss - off;
	return 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sim_cursor_encode(const char *id, char *out, size_t cap)
{
	const unsigned char *in = (const unsigned char *)id;
	size_t n = strlen(id), o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k = n - i;
		if (k > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		size_t emit = k >= 3 ? 4 : k + 1;
		if (o + emit + 1 > cap)
			return -1;
		for (size_t j = 0; j < emit; j++)
			out[o++] = b64[(v >> (18 - 6 * j)) & 63];
	}
	if (o + 1 > cap)
		return -1;
	out[o] = '\0';
	return 0;
}

static int b64val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

int sim_cursor_decode(const char *cursor, char *out, size_t cap)
{
	size_t n = strlen(cursor), o = 0;
	if (n == 0 || n % 4 == 1)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		size_t k = n - i < 4 ? n - i : 4;
		uint32_t v = 0;
		for (size_t j = 0; j < 4; j++) {
			int x = j < k ? b64val(cursor[i + j]) : 0;
			if (x < 0)
				return -1;
			v = (v << 6) | (uint32_t)x;
		}
		size_t bytes = k - 1;
		for (size_t j = 0; j < bytes; j++) {
			if (o + 2 > cap)
				return -1;
			unsigned char c = (unsigned char)(v >> (16 - 8 * j));
			if (c < 0x21 || c > 0x7e)
				return -1;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return 0;
}

uint64_t sim_fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

size_t sim_utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p) {
		int len;
		if (*p < 0x80)
			len = 1;
		else if ((*p & 0xE0) == 0xC0)
			len = 2;
		else if ((*p & 0xF0) == 0xE0)
			len = 3;
		else if ((*p & 0xF8) == 0xF0)
			len = 4;
		else
			return SIZE_MAX;
		for (int i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				return SIZE_MAX;
		p += len;
		n++;
	}
	return n;
}

void sim_buf_put(struct sim_buf *b, const char *s, size_t n)
{
	if (b->bad)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->bad = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}
