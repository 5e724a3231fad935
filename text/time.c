/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/time.c: RFC 3339 timestamps and compact ages.
 *
 * Parsing is strict (every field range-checked, no trailing bytes) because
 * a time that silently parses wrong is worse than one that is refused.
 */
#include <stdio.h>
#include <string.h>

#include "text/text.h"

static bool digits(const char *p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		*v = *v * 10 + (p[i] - '0');
	}
	return true;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

int time_parse_rfc3339(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	struct tm tm;
	const char *p;
	time_t t;

	if (!s || !out || strlen(s) < 20)
		return -1;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
	    s[16] != ':' || !digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++; /* fractions are truncated: the console shows seconds */
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec; /* a leap second 60 lands on the next minute */
	t = timegm(&tm);
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31 && h == 23 &&
				 mi == 59 && sec == 59))
		return -1;
	t -= (time_t)sign * (oh * 3600 + om * 60);
	*out = t;
	return 0;
}

void time_format_rfc3339(time_t t, char *out, size_t outsz)
{
	struct tm tm;
	int n;

	if (!out || outsz == 0)
		return;
	out[0] = '\0';
	if (!gmtime_r(&t, &tm))
		return;
	/* not strftime's %Y: it does not pad years below 1000 to four digits */
	n = snprintf(out, outsz, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
		     (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		     tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= outsz)
		out[0] = '\0';
}

void time_format_age(int64_t seconds, char *out, size_t outsz)
{
	const char *sign = seconds < 0 ? "-" : "";
	uint64_t m = seconds < 0 ? (uint64_t)(-(seconds + 1)) + 1
				 : (uint64_t)seconds;
	unsigned long long a, b;
	char u1, u2;

	if (!out || outsz == 0)
		return;
	if (m < 60) {
		snprintf(out, outsz, "%s%llus", sign, (unsigned long long)m);
		return;
	}
	if (m < 3600) {
		a = m / 60;
		b = m % 60;
		u1 = 'm';
		u2 = 's';
	} else if (m < 86400) {
		a = m / 3600;
		b = m % 3600 / 60;
		u1 = 'h';
		u2 = 'm';
	} else {
		a = m / 86400;
		b = m % 86400 / 3600;
		u1 = 'd';
		u2 = 'h';
	}
	snprintf(out, outsz, "%s%llu%c%02llu%c", sign, a, u1, b, u2);
}
