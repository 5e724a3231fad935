/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/spark.c: sparklines, Unicode blocks or ASCII. */
#include <math.h>
#include <string.h>

#include "text/text.h"
#include "widgets/spark.h"

static const char *const blocks[8] = {
	"\u2581", "\u2582", "\u2583", "\u2584",
	"\u2585", "\u2586", "\u2587", "\u2588",
};
static const char ascii_levels[] = "_.-=^";

int spark_level(double v, double min, double max)
{
	if (isnan(v))
		return -1;
	if (!(max > min))
		return 0;
	if (v <= min)
		return 0;
	if (v >= max)
		return 7;
	int l = (int)((v - min) / (max - min) * 8.0);
	return l > 7 ? 7 : (l < 0 ? 0 : l);
}

/* Mean of bucket i of nb over v[0..n), NANs skipped (NAN when all are). */
static double bucket(const double *v, size_t n, size_t nb, size_t i)
{
	size_t from = i * n / nb, to = (i + 1) * n / nb;
	double sum = 0;
	size_t cnt = 0;
	for (size_t j = from; j < to; j++) {
		if (!isnan(v[j])) {
			sum += v[j];
			cnt++;
		}
	}
	return cnt ? sum / (double)cnt : NAN;
}

int spark_render(const double *v, size_t n, int cols, double min, double max,
		 char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return -1;
	out[0] = '\0';
	if (cols <= 0)
		return 0;
	bool ascii = text_ascii();
	if (outsz < (size_t)cols * (ascii ? 1 : 3) + 1)
		return -1;
	if (!v)
		n = 0;
	/* bucket the series into at most cols values, right-aligned */
	size_t nb = n < (size_t)cols ? n : (size_t)cols;
	size_t pad = (size_t)cols - nb;
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < nb; i++) {
		double b = bucket(v, n, nb, i);
		if (!isnan(b)) {
			if (b < lo)
				lo = b;
			if (b > hi)
				hi = b;
		}
	}
	if (isnan(min))
		min = lo;
	if (isnan(max))
		max = hi;
	size_t len = 0;
	for (size_t i = 0; i < (size_t)cols; i++) {
		int l = i < pad ? -1 : spark_level(bucket(v, n, nb, i - pad), min, max);
		const char *s;
		char one[2] = { 0, 0 };
		if (l < 0) {
			s = " ";
		} else if (ascii) {
			one[0] = ascii_levels[l * 5 / 8];
			s = one;
		} else {
			s = blocks[l];
		}
		size_t sl = strlen(s);
		memcpy(out + len, s, sl);
		len += sl;
	}
	out[len] = '\0';
	return cols;
}

void spark_draw(WINDOW *win, int y, int x, int cols, const double *v,
		size_t n, double min, double max, term_role role)
{
	char buf[512 * 3 + 1];
	if (cols <= 0)
		return;
	if (cols > 512)
		cols = 512;
	if (spark_render(v, n, cols, min, max, buf, sizeof buf) < 0)
		return;
	widget_put(win, y, x, cols, buf, 0, role);
}
