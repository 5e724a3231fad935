/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/text/sanitize_test.c: nothing a server string holds may reach the
 * terminal as a control; everything it holds must stay visible. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/text/utf8_setup.h"
#include "text/text.h"
#include "tests/lib/unit.h"

#define REPL "\xEF\xBF\xBD" /* U+FFFD */
#define ESCP "\xE2\x90\x9B" /* U+241B, the placeholder for ESC */

static char out[65536];

/* No byte below 0x20, no DEL, no C1 (U+0080..U+009F) in the output. */
static void assert_terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; p[i]; i++) {
		assert_true(p[i] >= 0x20 && p[i] != 0x7F);
		if (p[i] == 0xC2)
			assert_false(p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
	}
	assert_true(text_utf8_valid(s, strlen(s)));
}

static void check(const char *in, size_t len, const char *want, int want_w)
{
	int w = text_sanitize(in, len, out, sizeof out);
	assert_string_equal(out, want);
	assert_int_equal(w, want_w);
	assert_terminal_safe(out);
}

static void test_plain_and_cjk(void **state)
{
	(void)state;
	check("icbc.direct.quickpay", (size_t)-1, "icbc.direct.quickpay", 20);
	check("工商银行 快捷支付", (size_t)-1, "工商银行 快捷支付", 17);
	check("", (size_t)-1, "", 0);
	check(NULL, (size_t)-1, "", 0);
	assert_int_equal(text_width("成都市锦江区老妈火锅店"), 22);
	assert_int_equal(text_width(NULL), 0);
}

static void test_c0_controls(void **state)
{
	(void)state;
	check("a\x01z", (size_t)-1, "a\xE2\x90\x81z", 3);   /* U+2401 */
	check("bell\x07", (size_t)-1, "bell\xE2\x90\x87", 5); /* U+2407 */
	check("a\x7f", (size_t)-1, "a\xE2\x90\xA1", 2);       /* U+2421 */
	check("x\0y", 3, "x\xE2\x90\x80y", 3);               /* NUL, U+2400 */
	check("\x08\x08\x08ok", (size_t)-1,
	      "\xE2\x90\x88\xE2\x90\x88\xE2\x90\x88ok", 5);  /* backspaces */
}

static void test_tabs_newlines(void **state)
{
	(void)state;
	check("a\tb\nc", (size_t)-1, "a b c", 5);
	check("a\r\nb", (size_t)-1, "a b", 3);
	check("a\rb", (size_t)-1, "a b", 3);
	check("a\xE2\x80\xA8" "b", (size_t)-1, "a b", 3); /* U+2028 */
}

static void test_csi(void **state)
{
	(void)state;
	/* clear screen, home, colour, cursor moves: one placeholder each */
	check("\x1b[2J\x1b[Hname", (size_t)-1, ESCP ESCP "name", 6);
	check("ok\x1b[31;1mRED\x1b[0m", (size_t)-1, "ok" ESCP "RED" ESCP, 7);
	check("\x1b[10A\x1b[5;20Hx", (size_t)-1, ESCP ESCP "x", 3);
	check("\x1b[?1049h", (size_t)-1, ESCP, 1);
	/* unterminated CSI at the end of the string */
	check("a\x1b[12", (size_t)-1, "a" ESCP, 2);
	/* a bare ESC */
	check("a\x1b", (size_t)-1, "a" ESCP, 2);
	/* ESC followed by a control: both shown */
	check("\x1b\x01", (size_t)-1, ESCP "\xE2\x90\x81", 2);
}

static void test_osc(void **state)
{
	(void)state;
	/* OSC 52: write the clipboard; payload must not survive */
	check("pay\x1b]52;c;cm0gLXJmIH4=\x07me", (size_t)-1, "pay" ESCP "me", 6);
	/* title change terminated by ST */
	check("\x1b]0;pwned\x1b\\ok", (size_t)-1, ESCP "ok", 3);
	/* OSC 8 hyperlink */
	check("\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", (size_t)-1,
	      ESCP "click" ESCP, 7);
	/* unterminated OSC swallows the rest: never shown as text */
	check("a\x1b]2;title", (size_t)-1, "a" ESCP, 2);
	/* cancelled by CAN */
	check("\x1b]2;x\x18" "b", (size_t)-1, ESCP "b", 2);
	/* DCS, APC, PM, SOS */
	check("\x1bPq#0;2;0;0;0\x1b\\z", (size_t)-1, ESCP "z", 2);
	check("\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\", (size_t)-1,
	      ESCP ESCP ESCP, 3);
	/* other ESC sequences: charset, save cursor, reset */
	check("\x1b(0lqk\x1b(B", (size_t)-1, ESCP "lqk" ESCP, 5);
	check("\x1b" "7\x1b" "c!", (size_t)-1, ESCP ESCP "!", 3);
}

static void test_c1(void **state)
{
	(void)state;
	/* U+009B is CSI in 8-bit form */
	check("a\xC2\x9B" "2Jb", (size_t)-1, "a" ESCP "b", 3);
	/* U+009D OSC with 8-bit ST U+009C */
	check("\xC2\x9D" "0;t\xC2\x9C" "x", (size_t)-1, ESCP "x", 2);
	/* U+0090 DCS */
	check("\xC2\x90q\xC2\x9C", (size_t)-1, ESCP, 1);
	/* other C1: replacement */
	check("a\xC2\x84" "b", (size_t)-1, "a" REPL "b", 3);
	/* NEL is a newline */
	check("a\xC2\x85" "b", (size_t)-1, "a b", 3);
	/* raw 8-bit bytes are invalid UTF-8: replaced, never passed */
	check("a\x9b" "2J", (size_t)-1, "a" REPL "2J", 4);
}

static void test_bidi(void **state)
{
	(void)state;
	/* RLO would show "exe.txt" reversed */
	check("doc\xE2\x80\xAEtxt.exe", (size_t)-1, "doc" REPL "txt.exe", 11);
	check("\xE2\x81\xA6" "a\xE2\x81\xA9", (size_t)-1, REPL "a" REPL, 3);
	check("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", (size_t)-1, REPL REPL REPL, 3);
	check("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", (size_t)-1,
	      REPL REPL REPL REPL, 4);
}

static void test_zero_width(void **state)
{
	(void)state;
	check("ic\xE2\x80\x8B" "bc", (size_t)-1, "ic" REPL "bc", 5);
	check("\xEF\xBB\xBFid", (size_t)-1, REPL "id", 3);
	check("a\xE2\x80\x8D" "b\xE2\x81\xA0", (size_t)-1, "a" REPL "b" REPL, 4);
	/* soft hyphen, Hangul fillers: blank or invisible, so spoofable */
	check("a\xC2\xAD" "b\xE3\x85\xA4" "c", (size_t)-1, "a" REPL "b" REPL "c", 5);
	/* tag characters (invisible ASCII smuggling) */
	check("x\xF3\xA0\x81\x81", (size_t)-1, "x" REPL, 2);
}

static void test_combining(void **state)
{
	(void)state;
	/* kept after a base */
	check("e\xCC\x81", (size_t)-1, "e\xCC\x81", 1);
	check("\xE4\xB8\xAD\xCC\x81", (size_t)-1, "\xE4\xB8\xAD\xCC\x81", 2);
	/* at the start: no base, replaced */
	check("\xCC\x81" "a", (size_t)-1, REPL "a", 2);
	/* after a placeholder: no base */
	check("\x01\xCC\x81", (size_t)-1, "\xE2\x90\x81" REPL, 2);
	/* a pile of marks is capped at 8 per base */
	{
		char z[2 + 2 * 100 + 1];
		int i;
		z[0] = 'a';
		for (i = 0; i < 100; i++)
			memcpy(z + 1 + 2 * i, "\xCC\x81", 2);
		z[1 + 200] = '\0';
		assert_int_equal(text_sanitize(z, (size_t)-1, out, sizeof out), 1);
		assert_int_equal(strlen(out), 1 + 8 * 2);
	}
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	check("a\xff" "b", (size_t)-1, "a" REPL "b", 3);
	check("\xC0\xAF", (size_t)-1, REPL REPL, 2);             /* overlong '/' */
	check("\xE0\x80\xAF", (size_t)-1, REPL REPL REPL, 3);     /* overlong */
	check("\xF0\x80\x80\xAF", (size_t)-1, REPL REPL REPL REPL, 4);
	check("\xED\xA0\x80", (size_t)-1, REPL REPL REPL, 3);     /* surrogate */
	check("\xF4\x90\x80\x80", (size_t)-1, REPL REPL REPL REPL, 4); /* >10FFFF */
	/* truncated sequence then ASCII: one replacement, ASCII kept */
	check("\xE4\xB8" "x", (size_t)-1, REPL "x", 2);
	check("\xE4\xB8", (size_t)-1, REPL, 1);
	check("\x80\x80", (size_t)-1, REPL REPL, 2);
	/* overlong ESC must not become ESC */
	check("\xC0\x9B[2J", (size_t)-1, REPL REPL "[2J", 5);
}

static void test_nonprintable(void **state)
{
	(void)state;
	check("\xEF\xBF\xBF", (size_t)-1, REPL, 1);       /* U+FFFF */
	check("\xF4\x8F\xBF\xBF", (size_t)-1, REPL, 1);   /* U+10FFFF */
}

static void test_truncation(void **state)
{
	char small[8];
	int w;

	(void)state;
	/* "中文" is 6 bytes; with 5 bytes of room only one glyph fits */
	w = text_sanitize("中文", (size_t)-1, small, 6);
	assert_string_equal(small, "中");
	assert_int_equal(w, 2);
	w = text_sanitize("abc", (size_t)-1, small, 1);
	assert_string_equal(small, "");
	assert_int_equal(w, 0);
	/* len limits the input */
	w = text_sanitize("abcdef", 3, small, sizeof small);
	assert_string_equal(small, "abc");
}

static void test_long_input(void **state)
{
	size_t n = 10000, i;
	char *big = malloc(n * 3 + 1);
	char *o = malloc(n * 3 + 1);
	int w;

	(void)state;
	assert_non_null(big);
	assert_non_null(o);
	for (i = 0; i < n; i++)
		memcpy(big + 3 * i, "店", 3);
	big[n * 3] = '\0';
	w = text_sanitize(big, (size_t)-1, o, n * 3 + 1);
	assert_int_equal(w, 20000);
	assert_string_equal(o, big);
	assert_int_equal(text_width(big), 20000);
	/* 10,000 ESC [ sequences: linear, all collapsed */
	for (i = 0; i < n; i++)
		memcpy(big + 3 * i, "\x1b[m", 3);
	w = text_sanitize(big, (size_t)-1, o, n * 3 + 1);
	assert_int_equal(w, 10000);
	assert_terminal_safe(o);
	free(big);
	free(o);
}

static void test_ascii_mode(void **state)
{
	(void)state;
	text_set_ascii(true);
	assert_true(text_ascii());
	check("a\x1b[2Jb", (size_t)-1, "a^[b", 4);
	check("\x01\x7f", (size_t)-1, "^A^?", 4);
	check("中a", (size_t)-1, "??a", 3);
	check("é", (size_t)-1, "?", 1);
	check("e\xCC\x81", (size_t)-1, "e", 1);
	check("\xE2\x80\xAE", (size_t)-1, "?", 1);
	check("\xff", (size_t)-1, "?", 1);
	check("\xC2\x9B" "1m", (size_t)-1, "^[", 2);
	text_set_ascii(false);
	assert_false(text_ascii());
}

static void test_utf8_helpers(void **state)
{
	uint32_t cp;
	size_t n;
	char *s;
	char b[4];

	(void)state;
	assert_int_equal(text_utf8_next("\xE4\xB8\xAD", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(text_utf8_next("\xE4\xB8", 2, &cp), -2);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(text_utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(text_utf8_encode(0xD800, b), 3);
	assert_memory_equal(b, REPL, 3);
	s = text_utf8_scrub("a\xff\0b", 4, &n);
	assert_non_null(s);
	assert_int_equal(n, 6);
	assert_memory_equal(s, "a" REPL "\0b", 6);
	free(s);
}

UNIT_MAIN(utf8_setup, NULL,
	cmocka_unit_test(test_plain_and_cjk),
	cmocka_unit_test(test_c0_controls),
	cmocka_unit_test(test_tabs_newlines),
	cmocka_unit_test(test_csi),
	cmocka_unit_test(test_osc),
	cmocka_unit_test(test_c1),
	cmocka_unit_test(test_bidi),
	cmocka_unit_test(test_zero_width),
	cmocka_unit_test(test_combining),
	cmocka_unit_test(test_invalid_utf8),
	cmocka_unit_test(test_nonprintable),
	cmocka_unit_test(test_truncation),
	cmocka_unit_test(test_long_input),
	cmocka_unit_test(test_ascii_mode),
	cmocka_unit_test(test_utf8_helpers))
