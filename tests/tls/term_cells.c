/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/tls/term_cells.c: cut screen lines (as tmux capture-pane prints
 * them) by terminal cells, not bytes or characters, the way the terminal
 * laid them out: a wide (CJK) character takes two cells, a combining mark
 * none. Used by the end-to-end tests that check columns stay aligned
 * whatever a server sends (tests/e2e/hostile.sh).
 *   term-cells FROM COUNT   for each line of stdin, cells FROM..FROM+COUNT-1
 *                           (0-based); a wide character cut by FROM shows
 *                           as '<', one cut at the end as '>'
 *   term-cells -w           for each line, its width in cells
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static int cell_width(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* The character at s (n bytes left) into *wc, '?' for an invalid or cut
 * sequence; the bytes it takes, at least 1. */
static size_t next_char(const char *s, size_t n, mbstate_t *st, wchar_t *wc)
{
	size_t k = mbrtowc(wc, s, n, st);

	if (k == (size_t)-1 || k == (size_t)-2) {
		memset(st, 0, sizeof *st);
		*wc = L'?';
		return 1;
	}
	return k == 0 ? 1 : k;
}

static void cut(const char *line, size_t len, long from, long count)
{
	mbstate_t st;
	long col = 0, end = from + count;
	size_t i = 0;
	memset(&st, 0, sizeof st);
	while (i < len) {
		wchar_t wc;
		size_t n = next_char(line + i, len - i, &st, &wc);
		int w = cell_width(wc);
		if (w > 0 && col >= end)
			break;
		if (w == 0) {
			/* a combining mark is drawn in the cell before it */
			if (col > from && col - 1 < end)
				fwrite(line + i, 1, n, stdout);
		} else if (col >= from && col + w <= end)
			fwrite(line + i, 1, n, stdout);
		else if (col < from && col + w > from)
			putchar('<');
		else if (col >= from && col + w > end)
			putchar('>');
		col += w;
		i += n;
	}
	putchar('\n');
}

static long width(const char *line, size_t len)
{
	mbstate_t st;
	long col = 0;
	size_t i = 0;
	memset(&st, 0, sizeof st);
	while (i < len) {
		wchar_t wc;
		size_t n = next_char(line + i, len - i, &st, &wc);
		col += cell_width(wc);
		i += n;
	}
	return col;
}

int main(int argc, char **argv)
{
	long from = 0, count = 0;
	int widths = argc == 2 && strcmp(argv[1], "-w") == 0;
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "")) {
		fprintf(stderr, "term-cells: no UTF-8 locale\n");
		return 2;
	}
	if (!widths) {
		if (argc != 3) {
			fprintf(stderr, "usage: term-cells FROM COUNT | term-cells -w\n");
			return 2;
		}
		from = strtol(argv[1], NULL, 10);
		count = strtol(argv[2], NULL, 10);
		if (from < 0 || count <= 0)
			return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, stdin)) > 0) {
		size_t len = (size_t)n;
		if (line[len - 1] == '\n')
			len--;
		if (widths)
			printf("%ld\n", width(line, len));
		else
			cut(line, len, from, count);
	}
	free(line);
	return 0;
}
