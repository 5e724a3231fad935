/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/text/fit_test.c: every table cell is exactly as wide as asked. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "tests/text/utf8_setup.h"
#include "text/text.h"
#include "tests/lib/unit.h"

/* Columns of a UTF-8 string measured independently with mbstowcs+wcswidth. */
static int columns(const char *s)
{
	wchar_t w[4096];
	size_t n = mbstowcs(w, s, 4096);

	assert_true(n != (size_t)-1);
	return wcswidth(w, n);
}

static void fit(const char *in, int cols, int flags, const char *want,
		int want_w)
{
	char out[512];
	int w = text_fit(in, cols, flags, out, sizeof out);

	assert_string_equal(out, want);
	assert_int_equal(w, want_w);
	assert_int_equal(columns(out), want_w);
}

static void test_fits(void **state)
{
	(void)state;
	fit("abc", 5, 0, "abc", 3);
	fit("abc", 5, TEXT_PAD, "abc  ", 5);
	fit("abc", 5, TEXT_PAD | TEXT_RIGHT, "  abc", 5);
	fit("工行", 4, TEXT_PAD, "工行", 4);
	fit("工行", 6, TEXT_PAD | TEXT_RIGHT, "  工行", 6);
	fit("", 3, TEXT_PAD, "   ", 3);
	fit(NULL, 2, TEXT_PAD, "  ", 2);
}

static void test_cut_with_ellipsis(void **state)
{
	(void)state;
	fit("abcdef", 4, 0, "abc…", 4);
	fit("abcdef", 4, TEXT_PAD, "abc…", 4);
	fit("abcdef", 1, TEXT_PAD, "…", 1);
	/* a wide glyph never split: the half becomes a space */
	fit("工商银行", 4, TEXT_PAD, "工 …", 4);
	fit("工商银行", 5, TEXT_PAD, "工商…", 5);
	fit("工商银行", 7, TEXT_PAD, "工商银…", 7);
	fit("工商银行", 2, TEXT_PAD, " …", 2);
	fit("工商银行", 1, 0, "…", 1);
	/* placeholders count like any glyph */
	fit("\x1b]52;c;AAAA\x07xyz", 3, TEXT_PAD, "␛x…", 3);
}

static void test_zero_and_negative_cols(void **state)
{
	char out[8] = "junk";

	(void)state;
	assert_int_equal(text_fit("abc", 0, TEXT_PAD, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(text_fit("abc", -3, TEXT_PAD, out, sizeof out), 0);
	assert_string_equal(out, "");
}

/* Every TEXT_PAD output of a CJK/ASCII/control mix is exactly cols wide. */
static void test_alignment_property(void **state)
{
	static const char *const names[] = {
		"成都市锦江区老妈火锅店", "工商银行 快捷支付", "a中b文c", "中",
		"x", "", "e\xCC\x81\xCC\x81中", "\x1b[31m红色\x1b[0m",
		"😀😀 emoji", "ﾊﾝｶｸ半角", "\xE2\x80\xAE" "evil", "\xff\xfe中",
	};
	char out[512];
	size_t i;
	int cols, flags;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		for (cols = 1; cols <= 26; cols++)
			for (flags = TEXT_PAD; flags <= (TEXT_PAD | TEXT_RIGHT);
			     flags += TEXT_RIGHT) {
				int w = text_fit(names[i], cols, flags, out,
						 sizeof out);
				assert_int_equal(w, cols);
				assert_int_equal(columns(out), cols);
				assert_true(strlen(out) < sizeof out);
			}
}

static void test_small_buffer(void **state)
{
	char out[5];
	int w;

	(void)state;
	/* room for 4 bytes: "工" (3) fits, the next glyph does not */
	w = text_fit("工商银行", 8, TEXT_PAD, out, sizeof out);
	assert_int_equal(w, columns(out));
	assert_true(text_utf8_valid(out, strlen(out)));
}

static void test_ascii_mode(void **state)
{
	(void)state;
	text_set_ascii(true);
	fit("abcdef", 4, TEXT_PAD, "abc~", 4);
	fit("工商银行", 5, TEXT_PAD, "????~", 5);
	fit("工商银行", 4, TEXT_PAD, "?? ~", 4);
	fit("工", 4, TEXT_PAD | TEXT_RIGHT, "  ??", 4);
	text_set_ascii(false);
}

UNIT_MAIN(utf8_setup, NULL,
	cmocka_unit_test(test_fits),
	cmocka_unit_test(test_cut_with_ellipsis),
	cmocka_unit_test(test_zero_and_negative_cols),
	cmocka_unit_test(test_alignment_property),
	cmocka_unit_test(test_small_buffer),
	cmocka_unit_test(test_ascii_mode))
