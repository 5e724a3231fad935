/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/fit.c: sanitised text cut or padded to an exact number of columns.
 *
 * Table cells are built with this, so a CJK merchant name never pushes the
 * next column: the result is measured in terminal cells (wcwidth), a wide
 * glyph that would straddle the edge is replaced by a space, and the cut is
 * marked with an ellipsis.
 */
#include <string.h>

#include "text/glyph.h"
#include "text/text.h"

struct sink {
	char *out;
	size_t outsz, o;
	int cols;
	bool full; /* out is too small: stop writing */
};

static void emit(struct sink *k, const char *b, size_t n, int w)
{
	if (k->full || k->o + n >= k->outsz) {
		k->full = true;
		return;
	}
	memcpy(k->out + k->o, b, n);
	k->o += n;
	k->cols += w;
}

static void emit_spaces(struct sink *k, int n)
{
	while (n-- > 0)
		emit(k, " ", 1, 1);
}

/* Width of s, but stop counting once it exceeds limit. */
static int width_upto(const char *s, size_t len, int limit)
{
	size_t pos = 0;
	struct glyph g;
	int w = 0;

	while (w <= limit && glyph_next(s, len, &pos, &g))
		w += g.w;
	return w;
}

int text_fit(const char *s, int cols, int flags, char *out, size_t outsz)
{
	struct sink k = { out, outsz, 0, 0, false };
	size_t pos = 0, len;
	struct glyph g;
	int w;

	if (!out || outsz == 0)
		return 0;
	out[0] = '\0';
	if (cols <= 0)
		return 0;
	if (!s)
		s = "";
	len = strlen(s);
	w = width_upto(s, len, cols);

	if (w <= cols) {
		if ((flags & TEXT_PAD) && (flags & TEXT_RIGHT))
			emit_spaces(&k, cols - w);
		while (glyph_next(s, len, &pos, &g))
			emit(&k, g.b, g.n, g.w);
		if ((flags & TEXT_PAD) && !(flags & TEXT_RIGHT))
			emit_spaces(&k, cols - k.cols);
	} else {
		int budget = cols - 1; /* the ellipsis takes one column */
		while (glyph_next(s, len, &pos, &g) && k.cols + g.w <= budget)
			emit(&k, g.b, g.n, g.w);
		emit_spaces(&k, budget - k.cols); /* a wide glyph cut in half */
		if (text_ascii())
			emit(&k, "~", 1, 1);
		else
			emit(&k, "\xE2\x80\xA6", 3, 1);
	}
	out[k.o] = '\0';
	return k.cols;
}
