/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/duration.c: "1h30m" to milliseconds and back. */
#include "base/duration.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Largest first: a part's unit must come after the previous part's. */
static const struct {
	const char *name;
	int64_t ms;
} units[] = {
	{ "w", 7 * 86400000LL }, { "d", 86400000LL }, { "h", 3600000LL },
	{ "m", 60000LL },        { "s", 1000LL },     { "ms", 1LL },
};
#define N_UNITS (sizeof units / sizeof units[0])

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The unit at p (the longest name that matches: "ms" before "m"), its
 * index, or -1. */
static int unit_at(const char *p, size_t *len)
{
	int best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < N_UNITS; i++) {
		size_t l = strlen(units[i].name);
		if (l > best_len && strncmp(p, units[i].name, l) == 0) {
			best = (int)i;
			best_len = l;
		}
	}
	*len = best_len;
	return best;
}

duration_status duration_parse(const char *s, int64_t *ms)
{
	if (!s)
		return DURATION_EMPTY;
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	if (n == 0)
		return DURATION_EMPTY;
	size_t digits = 0;
	while (digits < n && is_digit(s[digits]))
		digits++;
	if (digits == n)
		return DURATION_BARE;
	const char *p = s, *end = s + n;
	int64_t total = 0;
	int next_unit = 0; /* the largest unit still allowed */
	bool overflow = false;
	while (p < end) {
		if (!is_digit(*p))
			return DURATION_MALFORMED;
		int64_t v = 0;
		while (p < end && is_digit(*p)) {
			int d = *p++ - '0';
			if (v > (INT64_MAX - d) / 10)
				overflow = true;
			else
				v = v * 10 + d;
		}
		size_t ulen = 0;
		int u = p < end ? unit_at(p, &ulen) : -1;
		if (u < 0 || u < next_unit || p + ulen > end)
			return DURATION_MALFORMED;
		p += ulen;
		next_unit = u + 1;
		if (v > (INT64_MAX - total) / units[u].ms)
			overflow = true;
		else
			total += v * units[u].ms;
	}
	if (overflow)
		return DURATION_OVERFLOW;
	*ms = total;
	return DURATION_OK;
}

void duration_error(duration_status st, const char *s, char *out, size_t sz)
{
	/* the text as typed, without the blanks around it */
	char shown[48];
	const char *b = s ? s : "";
	while (is_blank(*b))
		b++;
	size_t n = strlen(b);
	while (n && is_blank(b[n - 1]))
		n--;
	snprintf(shown, sizeof shown, "%.*s", (int)(n < 40 ? n : 40), b);
	switch (st) {
	case DURATION_OK:
		snprintf(out, sz, "%s: a duration", shown);
		break;
	case DURATION_EMPTY:
		snprintf(out, sz, "give a duration, e.g. 30m");
		break;
	case DURATION_BARE:
		snprintf(out, sz, "%s: give a unit, e.g. %sm", shown, shown);
		break;
	case DURATION_OVERFLOW:
		snprintf(out, sz, "%s: too long", shown);
		break;
	default:
		snprintf(out, sz, "%s: not a duration; write whole units, largest "
			 "first, e.g. 90s, 15m, 1h30m, 2d, 1w", shown);
		break;
	}
}

void duration_format(int64_t ms, char *out, size_t sz)
{
	if (sz == 0)
		return;
	if (ms <= 0) {
		snprintf(out, sz, "0s");
		return;
	}
	if (ms < 60000 && ms % 1000) { /* "1500ms" reads better than "1s500ms" */
		snprintf(out, sz, "%lldms", (long long)ms);
		return;
	}
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < N_UNITS && o < sz; i++) {
		int64_t v = ms / units[i].ms;
		ms %= units[i].ms;
		if (!v)
			continue;
		int k = snprintf(out + o, sz - o, "%lld%s", (long long)v,
				 units[i].name);
		if (k < 0)
			break;
		o += (size_t)k;
	}
}
