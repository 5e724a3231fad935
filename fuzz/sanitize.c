/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/sanitize.c: libFuzzer target for the text layer.
 *
 * Checks the properties the console depends on, for any input: the output
 * is valid UTF-8 with no C0, DEL or C1 control; text_fit with TEXT_PAD
 * writes exactly the asked columns; money and time round-trip.
 */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text/text.h"

static void safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	if (!text_utf8_valid(s, strlen(s)))
		abort();
	for (i = 0; p[i]; i++) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			abort();
		if (p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
			abort();
	}
}

static int columns(const char *s)
{
	static wchar_t w[4096];
	size_t n = mbstowcs(w, s, 4096);

	if (n == (size_t)-1)
		abort();
	return wcswidth(w, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[8192], fit[1024];
	static bool init;
	char *s;
	int w, cols;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = true;
	}
	if (size < 1 || size > 4096)
		return 0;
	cols = data[0] % 64 + 1;
	text_set_ascii(data[0] & 0x80);
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	w = text_sanitize((const char *)data + 1, size - 1, out, sizeof out);
	safe(out);
	if (!text_ascii() && w != columns(out))
		abort();
	if (text_ascii() && (size_t)w != strlen(out))
		abort();

	w = text_fit(s, cols, TEXT_PAD | (data[0] & 0x40 ? TEXT_RIGHT : 0), fit,
		     sizeof fit);
	safe(fit);
	if (w != cols || (!text_ascii() && columns(fit) != cols))
		abort();

	{
		int64_t v;
		char m[64];
		if (money_parse(s, "CNY", &v) == 0) {
			int64_t back;
			if (money_format(v, "CNY", m, sizeof m) < 0 ||
			    money_parse(m, "CNY", &back) != 0 || back != v)
				abort();
		}
	}
	{
		time_t t;
		char r[40];
		if (time_parse_rfc3339(s, &t) == 0) {
			time_t back;
			/* years 0000..9999 print back as RFC 3339 */
			time_format_rfc3339(t, r, sizeof r);
			if (t >= -62167219200LL && t <= 253402300799LL &&
			    (time_parse_rfc3339(r, &back) != 0 || back != t))
				abort();
		}
	}
	free(s);
	text_set_ascii(false);
	return 0;
}
