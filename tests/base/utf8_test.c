/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/base/utf8_test.c: the one UTF-8 decoder: strictness, maximal
 * subparts, counting (-1 for invalid), cutting and repair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "tests/lib/unit.h"

static void test_next(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(utf8_next("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_next("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_next("\xE4\xB8\xAD", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_next("", 0, &cp), 0);
	/* invalid: how many bytes one U+FFFD stands for */
	assert_int_equal(utf8_next("\x80", 1, &cp), -1);         /* lone continuation */
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_next("\xC0\x80", 2, &cp), -1);     /* overlong lead */
	assert_int_equal(utf8_next("\xE0\x80\x80", 3, &cp), -1); /* overlong */
	assert_int_equal(utf8_next("\xED\xA0\x80", 3, &cp), -1); /* surrogate */
	assert_int_equal(utf8_next("\xF4\x90\x80\x80", 4, &cp), -1); /* > U+10FFFF */
	assert_int_equal(utf8_next("\xF5", 1, &cp), -1);
	assert_int_equal(utf8_next("\xE4\xB8", 2, &cp), -2);     /* cut short */
	assert_int_equal(utf8_next("\xE4\xB8" "A", 3, &cp), -2); /* A survives */
}

static void test_encode(void **state)
{
	(void)state;
	char b[4];
	uint32_t cp;
	static const uint32_t cps[] = { 0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF,
					0x10000, 0x10FFFF };
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		int n = utf8_encode(cps[i], b);
		assert_int_equal(utf8_next(b, (size_t)n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(utf8_encode(0xD800, b), 3);
	assert_memory_equal(b, "\xEF\xBF\xBD", 3);
	assert_int_equal(utf8_encode(0x110000, b), 3);
	assert_memory_equal(b, "\xEF\xBF\xBD", 3);
}

static void test_valid_and_count(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("工商银行 ok", strlen("工商银行 ok")));
	assert_false(utf8_valid("bad \xff", 5));
	/* the eight-at-a-time ASCII run: a bad byte at every place of a
	 * word, after it, and a character cut at the end of the text */
	for (size_t at = 0; at < 20; at++) {
		char b[24];
		memset(b, 'a', sizeof b);
		b[at] = (char)0xff;
		assert_false(utf8_valid(b, sizeof b));
		memcpy(b + at, "\xe5\xb7\xa5", 3); /* 工 */
		assert_true(utf8_valid(b, sizeof b));
		assert_false(utf8_valid(b, at + 2));
	}
	assert_true(utf8_valid("0123456789abcdef\0xyz", 20)); /* NUL is ASCII */
	assert_false(utf8_valid("0123456789abcdef\xc0\xaf", 18)); /* overlong */
	assert_int_equal(utf8_count_chars(NULL), 0);
	assert_int_equal(utf8_count_chars(""), 0);
	assert_int_equal(utf8_count_chars("abc"), 3);
	assert_int_equal(utf8_count_chars("工商银行"), 4);
	assert_int_equal(utf8_count_chars("\xF0\x9F\x98\x80!"), 2);
	/* anything invalid is not counted at all: every limit refuses it */
	assert_int_equal(utf8_count_chars("ok \xff"), -1);
	assert_int_equal(utf8_count_chars("\xC0\xAF"), -1);
	assert_int_equal(utf8_count_chars("\xED\xA0\x80"), -1);
	assert_int_equal(utf8_count_chars("\xE4\xB8"), -1);
	assert_int_equal(utf8_count_chars("\x80"), -1);
	/* 500 three-byte characters are 500 */
	char big[1501];
	for (int i = 0; i < 500; i++)
		memcpy(big + 3 * i, "中", 3);
	big[1500] = '\0';
	assert_int_equal(utf8_count_chars(big), 500);
}

static void test_prefix(void **state)
{
	(void)state;
	const char *s = "ab中文";  /* 2 + 3 + 3 bytes */
	assert_int_equal(utf8_prefix(s, 8, 100), 8);
	assert_int_equal(utf8_prefix(s, 8, 8), 8);
	assert_int_equal(utf8_prefix(s, 8, 7), 5);
	assert_int_equal(utf8_prefix(s, 8, 6), 5);
	assert_int_equal(utf8_prefix(s, 8, 5), 5);
	assert_int_equal(utf8_prefix(s, 8, 4), 2);
	assert_int_equal(utf8_prefix(s, 8, 2), 2);
	assert_int_equal(utf8_prefix(s, 8, 0), 0);
}

static void test_scrub(void **state)
{
	(void)state;
	size_t n;
	char *s = utf8_scrub("a\xff\0b", 4, &n);
	assert_non_null(s);
	assert_int_equal(n, 6);
	assert_memory_equal(s, "a\xEF\xBF\xBD\0b", 6);
	free(s);
	/* one U+FFFD per maximal subpart: the cut character is one, the
	 * character after it survives */
	s = utf8_scrub("\xE4\xB8" "A\xED\xA0\x80", 6, &n);
	assert_string_equal(s, "\xEF\xBF\xBD" "A" "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	free(s);
	s = utf8_scrub("ok", 2, NULL);
	assert_string_equal(s, "ok");
	free(s);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_next),
	cmocka_unit_test(test_encode),
	cmocka_unit_test(test_valid_and_count),
	cmocka_unit_test(test_prefix),
	cmocka_unit_test(test_scrub))
