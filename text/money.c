/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/money.c: integer minor units to and from what operators read.
 *
 * Money never passes through a double: formatting splits the magnitude with
 * integer division (INT64_MIN included, via its unsigned magnitude) and
 * parsing accumulates digits with explicit overflow checks.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "text/text.h"

/* ISO 4217 minor-unit exponents that are not 2. */
static int currency_exponent(const char *cur)
{
	static const char *const zero[] = {
		"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
		"RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
	};
	static const char *const three[] = {
		"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
	};
	size_t i;

	if (!cur)
		return 2;
	for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (strcmp(cur, zero[i]) == 0)
			return 0;
	for (i = 0; i < sizeof three / sizeof three[0]; i++)
		if (strcmp(cur, three[i]) == 0)
			return 3;
	return 2;
}

static bool currency_valid(const char *cur)
{
	int i;

	if (!cur || strlen(cur) != 3)
		return false;
	for (i = 0; i < 3; i++)
		if (cur[i] < 'A' || cur[i] > 'Z')
			return false;
	return true;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

int money_format(int64_t minor, const char *currency, char *out, size_t outsz)
{
	char digits[32], grouped[48], buf[80];
	const char *cur = "";
	uint64_t mag = magnitude(minor), div = 1, whole, frac;
	int exp, n, i, g, cols;
	size_t len;

	if (!out || outsz == 0)
		return -1;
	out[0] = '\0';
	if (currency && *currency)
		cur = currency_valid(currency) ? currency : "???";
	exp = currency_exponent(cur);
	for (i = 0; i < exp; i++)
		div *= 10;
	whole = mag / div;
	frac = mag % div;

	n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
	if (n < 0 || (size_t)n >= sizeof digits)
		return -1;
	for (i = 0, g = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';

	if (strcmp(cur, "CNY") == 0 && !text_ascii())
		n = snprintf(buf, sizeof buf, "%s\xC2\xA5%s", minor < 0 ? "-" : "",
			     grouped);
	else
		n = snprintf(buf, sizeof buf, "%s%s%s%s", minor < 0 ? "-" : "",
			     cur, *cur ? " " : "", grouped);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	len = (size_t)n;
	if (exp > 0) {
		n = snprintf(buf + len, sizeof buf - len, ".%0*llu", exp,
			     (unsigned long long)frac);
		if (n < 0 || (size_t)n >= sizeof buf - len)
			return -1;
		len += (size_t)n;
	}
	if (len >= outsz)
		return -1;
	memcpy(out, buf, len + 1);
	cols = (int)len;
	if (strstr(out, "\xC2\xA5"))
		cols--; /* "¥" is two bytes, one column */
	return cols;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A currency marker: "¥" / "￥" (CNY, JPY) or the ISO code itself. */
static const char *skip_currency(const char *p, const char *cur, bool *bad)
{
	if (strncmp(p, "\xC2\xA5", 2) == 0 || strncmp(p, "\xEF\xBF\xA5", 3) == 0) {
		if (!cur || (strcmp(cur, "CNY") != 0 && strcmp(cur, "JPY") != 0)) {
			*bad = true;
			return p;
		}
		return skip_spaces(p + (p[0] == '\xC2' ? 2 : 3));
	}
	if ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) {
		if (!cur || strlen(cur) != 3 || strncasecmp(p, cur, 3) != 0 ||
		    (p[3] >= 'A' && p[3] <= 'Z') || (p[3] >= 'a' && p[3] <= 'z')) {
			*bad = true;
			return p;
		}
		return skip_spaces(p + 3);
	}
	return p;
}

int money_parse(const char *s, const char *currency, int64_t *minor)
{
	const char *p;
	const char *cur = currency && *currency ? currency : NULL;
	bool neg = false, bad = false, seen_sign = false;
	uint64_t mag = 0;
	int exp = currency_exponent(cur), ndig = 0, group = -1, fdig = 0;

	if (!s || !minor)
		return -1;
	p = skip_spaces(s);
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		seen_sign = true;
		p = skip_spaces(p + 1);
	}
	p = skip_currency(p, cur, &bad);
	if (bad)
		return -1;
	if (!seen_sign && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	/* Whole part: digits, optionally grouped by commas in threes. */
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (mag > (UINT64_MAX - 9) / 10)
				return -1;
			mag = mag * 10 + (uint64_t)(*p - '0');
			ndig++;
			if (group >= 0 && ++group > 3)
				return -1;
		} else if (*p == ',') {
			if (ndig == 0 || (group >= 0 && group != 3) ||
			    (group < 0 && ndig > 3))
				return -1;
			group = 0;
		} else {
			break;
		}
	}
	if (ndig == 0 || (group >= 0 && group != 3))
		return -1;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (++fdig > exp)
				return -1; /* more decimals than the currency has */
			if (mag > (UINT64_MAX - 9) / 10)
				return -1;
			mag = mag * 10 + (uint64_t)(*p - '0');
			p++;
		}
		if (fdig == 0)
			return -1;
	}
	for (; fdig < exp; fdig++) {
		if (mag > UINT64_MAX / 10)
			return -1;
		mag *= 10;
	}
	p = skip_spaces(p);
	if (*p != '\0')
		return -1;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -1;
		*minor = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return -1;
		*minor = (int64_t)mag;
	}
	return 0;
}
