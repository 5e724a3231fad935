/* SPDX-License-Identifier: ISC (see COPYING) */
/* text/utf8.c: the text module's names for base/utf8 (its callers predate
 * base/; new code calls utf8_* directly), and matching typed text against
 * shown text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#include "base/utf8.h"
#include "text/text.h"

int text_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	return utf8_next(s, len, cp);
}

int text_utf8_encode(uint32_t cp, char out[4])
{
	return utf8_encode(cp, out);
}

bool text_utf8_valid(const char *s, size_t len)
{
	return utf8_valid(s, len);
}

char *text_utf8_scrub(const char *s, size_t len, size_t *outlen)
{
	return utf8_scrub(s, len, outlen);
}

bool text_contains(const char *hay, const char *needle)
{
	if (!*needle)
		return true;
	wchar_t wh[512], wn[256];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	const char *p = hay;
	size_t nh = mbsrtowcs(wh, &p, 511, &st);
	memset(&st, 0, sizeof st);
	p = needle;
	size_t nn = mbsrtowcs(wn, &p, 255, &st);
	if (nh == (size_t)-1 || nn == (size_t)-1) /* not decodable: bytes */
		return strcasestr(hay, needle) != NULL;
	wh[nh] = 0;
	wn[nn] = 0;
	for (size_t i = 0; i < nh; i++)
		wh[i] = (wchar_t)towlower((wint_t)wh[i]);
	for (size_t i = 0; i < nn; i++)
		wn[i] = (wchar_t)towlower((wint_t)wn[i]);
	return wcsstr(wh, wn) != NULL;
}
