/* SPDX-License-Identifier: ISC (see COPYING) */
/* widgets/spark.h: sparklines.
 *
 * A series of doubles becomes `cols` cells: "▁▂▃▄▅▆▇█" in UTF-8, "_.-=^" in
 * ASCII mode (text_ascii()). NAN values are gaps (a space). When the series
 * is longer than cols, consecutive values are averaged into buckets (NANs
 * skipped); pass the tail of the series to show only the latest values.
 * When shorter, the line is right-aligned (newest at the right edge) and
 * padded with spaces on the left.
 */
#ifndef PAYOPS_WIDGETS_SPARK_H
#define PAYOPS_WIDGETS_SPARK_H

#include <stddef.h>

#include "widgets/widget.h"

/* Render v[0..n) into exactly cols cells. min/max: the scale; NAN for
 * either takes it from the data (a flat series draws at the lowest level).
 * Values outside a fixed scale are clamped. out gets a NUL-terminated
 * string (up to 3 bytes per cell). Returns the cells written, -1 when out
 * is too small. */
int spark_render(const double *v, size_t n, int cols, double min, double max,
		 char *out, size_t outsz);

/* Level 0..7 of one value on [min, max] (-1 for NAN): for tests and for
 * views that colour by level. */
int spark_level(double v, double min, double max);

/* Render and draw at (y, x) with role. */
void spark_draw(WINDOW *win, int y, int x, int cols, const double *v,
		size_t n, double min, double max, term_role role);

#endif
