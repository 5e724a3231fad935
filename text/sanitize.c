/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/sanitize.c: server strings to safe, measured terminal text.
 *
 * Every string from the network reaches the screen through glyph_next():
 * it decides, character by character, what the terminal will be given, so
 * no byte the server chose can move the cursor, change the title, write the
 * clipboard or reorder the line. See text/text.h for the table of what is
 * shown for what.
 */
#include <string.h>
#include <wchar.h>

#include "text/glyph.h"
#include "text/text.h"

static bool ascii_mode;

void text_set_ascii(bool ascii)
{
	ascii_mode = ascii;
}

bool text_ascii(void)
{
	return ascii_mode;
}

static void put(struct glyph *g, const char *bytes, int w)
{
	size_t n = strlen(bytes);

	memcpy(g->b, bytes, n);
	g->n = n;
	g->w = w;
}

static void put_replacement(struct glyph *g)
{
	put(g, ascii_mode ? "?" : "\xEF\xBF\xBD", 1);
}

static void put_escape(struct glyph *g)
{
	if (ascii_mode)
		put(g, "^[", 2);
	else
		put(g, "\xE2\x90\x9B", 1); /* U+241B SYMBOL FOR ESCAPE */
}

/* Control pictures U+2400..U+241F for C0, U+2421 for DEL; caret notation
 * in ASCII mode. */
static void put_control(struct glyph *g, unsigned c)
{
	if (ascii_mode) {
		g->b[0] = '^';
		g->b[1] = c == 0x7F ? '?' : (char)(c + 0x40);
		g->n = 2;
		g->w = 2;
		return;
	}
	g->n = (size_t)text_utf8_encode(c == 0x7F ? 0x2421 : 0x2400 + c, g->b);
	g->w = 1;
}

/* Characters that are invisible or reorder text: shown as U+FFFD. This is
 * the Unicode "Cf" (format) category plus the bidi marks, as of Unicode 15,
 * and the Hangul fillers, which print as blanks and so can spoof an id. */
static bool is_hidden_format(uint32_t c)
{
	switch (c) {
	case 0x00AD: case 0x115F: case 0x1160: case 0x3164: case 0xFFA0:
	case 0x061C: case 0x06DD: case 0x070F: case 0x0890: case 0x0891:
	case 0x08E2: case 0x180E: case 0xFEFF: case 0x110BD: case 0x110CD:
	case 0xE0001:
		return true;
	default:
		break;
	}
	return (c >= 0x0600 && c <= 0x0605) || (c >= 0x200B && c <= 0x200F) ||
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
	       (c >= 0x2066 && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFB) ||
	       (c >= 0x13430 && c <= 0x1343F) ||
	       (c >= 0x1BCA0 && c <= 0x1BCA3) ||
	       (c >= 0x1D173 && c <= 0x1D17A) ||
	       (c >= 0xE0020 && c <= 0xE007F);
}

/* Skip the body of a control string (OSC, DCS, SOS, PM, APC): up to and
 * including BEL, ST (ESC \ or U+009C), CAN or SUB; an ESC that does not
 * start ST ends the string without being consumed, as in xterm. */
static void skip_string(const unsigned char *p, size_t len, size_t *pos)
{
	size_t i = *pos;

	while (i < len) {
		unsigned char c = p[i];
		if (c == 0x07 || c == 0x18 || c == 0x1A) {
			i++;
			break;
		}
		if (c == 0x1B) {
			if (i + 1 < len && p[i + 1] == '\\')
				i += 2;
			break;
		}
		if (c == 0xC2 && i + 1 < len && p[i + 1] == 0x9C) {
			i += 2;
			break;
		}
		i++;
	}
	*pos = i;
}

/* Skip a CSI body: parameter and intermediate bytes, then the final byte.
 * Anything else ends it there (and is shown on its own). */
static void skip_csi(const unsigned char *p, size_t len, size_t *pos)
{
	size_t i = *pos;

	while (i < len && p[i] >= 0x20 && p[i] <= 0x3F)
		i++;
	if (i < len && p[i] >= 0x40 && p[i] <= 0x7E)
		i++;
	*pos = i;
}

/* After ESC (already consumed). */
static void skip_escape(const unsigned char *p, size_t len, size_t *pos)
{
	size_t i = *pos;

	if (i >= len)
		return;
	switch (p[i]) {
	case '[':
		*pos = i + 1;
		skip_csi(p, len, pos);
		return;
	case ']': case 'P': case 'X': case '^': case '_':
		*pos = i + 1;
		skip_string(p, len, pos);
		return;
	default:
		break;
	}
	while (i < len && p[i] >= 0x20 && p[i] <= 0x2F)
		i++; /* intermediates: ESC ( B, ESC # 8 */
	if (i < len && p[i] >= 0x30 && p[i] <= 0x7E)
		i++; /* final: ESC 7, ESC c, ESC = */
	*pos = i;
}

/* Width of a printable non-ASCII character (after the checks above), or
 * -1 when the terminal has no glyph for it. */
static int char_width(uint32_t c)
{
	int w = wcwidth((wchar_t)c);
	return w > 2 ? -1 : w;
}

/* A combining mark that may follow a base character. */
static bool is_combining(uint32_t c)
{
	return c >= 0x300 && !is_hidden_format(c) && char_width(c) == 0;
}

static void add_combining(const char *s, size_t len, size_t *pos,
			  struct glyph *g)
{
	int marks = 0;

	while (*pos < len) {
		uint32_t c;
		int r = text_utf8_next(s + *pos, len - *pos, &c);
		if (r <= 0 || !is_combining(c))
			break;
		if (!ascii_mode && marks < GLYPH_MAX_COMBINING) {
			memcpy(g->b + g->n, s + *pos, (size_t)r);
			g->n += (size_t)r;
		}
		marks++;
		*pos += (size_t)r;
	}
}

bool glyph_next(const char *s, size_t len, size_t *pos, struct glyph *g)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	int r, w;

	if (*pos >= len)
		return false;
	r = text_utf8_next(s + *pos, len - *pos, &c);
	if (r < 0) {
		*pos += (size_t)-r;
		put_replacement(g);
		return true;
	}
	*pos += (size_t)r;

	if (c >= 0x20 && c < 0x7F) {
		g->b[0] = (char)c;
		g->n = 1;
		g->w = 1;
		add_combining(s, len, pos, g);
		return true;
	}
	if (c == 0x1B) {
		skip_escape(p, len, pos);
		put_escape(g);
		return true;
	}
	if (c == '\r' && *pos < len && p[*pos] == '\n')
		(*pos)++;
	if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' ||
	    c == 0x85 || c == 0x2028 || c == 0x2029) {
		put(g, " ", 1);
		return true;
	}
	if (c < 0x20 || c == 0x7F) {
		put_control(g, c);
		return true;
	}
	if (c >= 0x80 && c <= 0x9F) {
		switch (c) {
		case 0x9B: /* CSI */
			skip_csi(p, len, pos);
			put_escape(g);
			return true;
		case 0x90: case 0x98: case 0x9D: case 0x9E: case 0x9F:
			skip_string(p, len, pos); /* DCS SOS OSC PM APC */
			put_escape(g);
			return true;
		default:
			put_replacement(g);
			return true;
		}
	}
	if (is_hidden_format(c)) {
		put_replacement(g);
		return true;
	}
	w = char_width(c);
	if (w <= 0) { /* not printable, or a combining mark without a base */
		put_replacement(g);
		return true;
	}
	if (ascii_mode) {
		put(g, w == 2 ? "??" : "?", w);
	} else {
		memcpy(g->b, s + *pos - (size_t)r, (size_t)r);
		g->n = (size_t)r;
		g->w = w;
	}
	add_combining(s, len, pos, g);
	return true;
}

int text_sanitize(const char *s, size_t len, char *out, size_t outsz)
{
	size_t pos = 0, o = 0;
	struct glyph g;
	int width = 0;

	if (!s)
		s = "";
	if (len == (size_t)-1)
		len = strlen(s);
	if (!out || outsz == 0)
		return 0;
	while (glyph_next(s, len, &pos, &g)) {
		if (o + g.n >= outsz)
			break;
		memcpy(out + o, g.b, g.n);
		o += g.n;
		width += g.w;
	}
	out[o] = '\0';
	return width;
}

int text_width(const char *s)
{
	size_t pos = 0, len;
	struct glyph g;
	int width = 0;

	if (!s)
		return 0;
	len = strlen(s);
	while (glyph_next(s, len, &pos, &g)) {
		if (width > (int)(((unsigned)-1 >> 1) - 2))
			break;
		width += g.w;
	}
	return width;
}
