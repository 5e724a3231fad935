/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/values.c: the small value languages of the file (durations,
 * decimals) and the typo suggestion for unknown keys. Locale-independent on
 * purpose: the console runs under setlocale(LC_ALL, ""), where strtod may
 * expect a decimal comma. */
#include <stdio.h>
#include <string.h>

#include "config/config_int.h"

#include "base/duration.h"

#define DUR_MAX_MS (7LL * 24 * 3600 * 1000) /* a week: far above any use */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The grammar is base/duration.h's; the file's own limit is a week. */
long cfg_duration_parse(const char *s)
{
	int64_t ms = 0;
	switch (duration_parse(s, &ms)) {
	case DURATION_OK:
		return ms > DUR_MAX_MS ? CFG_DUR_TOO_LONG : (long)ms;
	case DURATION_BARE:
		return CFG_DUR_BARE_NUMBER;
	case DURATION_OVERFLOW:
		return CFG_DUR_TOO_LONG;
	default:
		return CFG_DUR_MALFORMED;
	}
}

long cfg_parse_duration_ms(const char *s)
{
	long v = cfg_duration_parse(s);
	return v < 0 ? -1 : v;
}

bool cfg_parse_decimal(const char *s, double *out)
{
	double ip = 0, fp = 0, scale = 1;
	size_t digits = 0;
	const char *p = s;
	while (is_digit(*p)) {
		if (++digits > 15)
			return false;
		ip = ip * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		size_t fd = 0;
		while (is_digit(*p)) {
			if (++fd > 15)
				return false;
			scale /= 10;
			fp += (*p++ - '0') * scale;
			digits++;
		}
	}
	if (digits == 0 || *p != '\0')
		return false;
	*out = ip + fp;
	return true;
}

void cfg_format_decimal(double v, char *buf, size_t bufsz)
{
	if (!(v >= 0) || v > 1e12) {
		snprintf(buf, bufsz, "0");
		return;
	}
	long long scaled = (long long)(v * 1000000.0 + 0.5);
	int n = snprintf(buf, bufsz, "%lld.%06lld", scaled / 1000000,
			 scaled % 1000000);
	if (n <= 0 || (size_t)n >= bufsz)
		return;
	size_t end = (size_t)n;
	while (end > 0 && buf[end - 1] == '0')
		end--;
	if (end > 0 && buf[end - 1] == '.')
		end--;
	buf[end] = '\0';
}

static char fold(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c == '-' ? '_' : c;
}

/* Optimal string alignment distance (a swap of neighbours counts one),
 * ignoring case and '-' versus '_'. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *cfg_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t lw = strlen(word);
	if (lw == 0 || lw > 64)
		return NULL;
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		size_t lc = strlen(cands[i]);
		if (lc > 64)
			continue;
		size_t d = distance(word, cands[i]);
		size_t allowed = lc <= 4 ? 1 : lc <= 8 ? 2 : 3;
		if (d <= allowed && d < lw && d < best_d) {
			best = cands[i];
			best_d = d;
		}
	}
	/* "token" for "token_env": a clear start of exactly one family */
	for (size_t i = 0; !best && lw >= 4 && i < n; i++)
		if (!strncmp(cands[i], word, lw))
			best = cands[i];
	return best;
}
