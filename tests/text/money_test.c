/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/text/money_test.c: money is exact to the fen, both ways. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/text/utf8_setup.h"
#include "text/text.h"
#include "tests/lib/unit.h"

static void fmt(int64_t v, const char *cur, const char *want)
{
	char out[64];
	int w = money_format(v, cur, out, sizeof out);

	assert_string_equal(out, want);
	assert_int_equal(w, text_width(out));
}

static void test_format(void **state)
{
	(void)state;
	fmt(-123456789, "CNY", "-¥1,234,567.89");
	fmt(-200, "CNY", "-¥2.00");
	fmt(0, "CNY", "¥0.00");
	fmt(5, "CNY", "¥0.05");
	fmt(100000, "CNY", "¥1,000.00");
	fmt(99999, "CNY", "¥999.99");
	fmt(1200, "USD", "USD 12.00");
	fmt(-1200, "USD", "-USD 12.00");
	fmt(1200, "JPY", "JPY 1,200");
	fmt(1234, "KWD", "KWD 1.234");
	fmt(1234, NULL, "12.34");
	fmt(1234, "", "12.34");
	fmt(1234, "c\x1b[", "??? 12.34");
	fmt(INT64_MAX, "CNY", "¥92,233,720,368,547,758.07");
	fmt(INT64_MIN, "CNY", "-¥92,233,720,368,547,758.08");
}

static void test_format_ascii(void **state)
{
	(void)state;
	text_set_ascii(true);
	fmt(-123456789, "CNY", "-CNY 1,234,567.89");
	fmt(0, "CNY", "CNY 0.00");
	text_set_ascii(false);
}

static void test_format_small_buffer(void **state)
{
	char out[6];

	(void)state;
	assert_int_equal(money_format(123456, "CNY", out, sizeof out), -1);
	assert_string_equal(out, "");
	assert_int_equal(money_format(1, "CNY", out, 0), -1);
}

static void parse_ok(const char *s, const char *cur, int64_t want)
{
	int64_t v = 12345;

	assert_int_equal(money_parse(s, cur, &v), 0);
	assert_true(v == want);
}

static void parse_bad(const char *s, const char *cur)
{
	int64_t v = 777;

	assert_int_equal(money_parse(s, cur, &v), -1);
	assert_true(v == 777); /* untouched on error */
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("1,234.5", "CNY", 123450);
	parse_ok("¥12", "CNY", 1200);
	parse_ok("￥12", "CNY", 1200);
	parse_ok("-0.01", "CNY", -1);
	parse_ok("-¥200.00", "CNY", -20000);
	parse_ok("¥-200", "CNY", -20000);
	parse_ok("  CNY 1,000  ", "CNY", 100000);
	parse_ok("cny 3", "CNY", 300);
	parse_ok("0", "CNY", 0);
	parse_ok("-0", "CNY", 0);
	parse_ok("+7", "CNY", 700);
	parse_ok("1200", "JPY", 1200);
	parse_ok("1.234", "KWD", 1234);
	parse_ok("92,233,720,368,547,758.07", "CNY", INT64_MAX);
	parse_ok("-92233720368547758.08", "CNY", INT64_MIN);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("12.345", "CNY");       /* too many decimals */
	parse_bad("1.5", "JPY");          /* JPY has none */
	parse_bad("", "CNY");
	parse_bad("-", "CNY");
	parse_bad("¥", "CNY");
	parse_bad("abc", "CNY");
	parse_bad("1,23", "CNY");         /* bad grouping */
	parse_bad("1234,567", "CNY");
	parse_bad(",123", "CNY");
	parse_bad("1,234,", "CNY");
	parse_bad("12.", "CNY");
	parse_bad(".5", "CNY");
	parse_bad("1 000", "CNY");
	parse_bad("USD 5", "CNY");        /* wrong currency */
	parse_bad("¥5", "USD");
	parse_bad("--5", "CNY");
	parse_bad("1e3", "CNY");
	parse_bad("92233720368547758.08", "CNY");   /* INT64_MAX + 1 */
	parse_bad("-92233720368547758.09", "CNY");  /* below INT64_MIN */
	parse_bad("999999999999999999999999", "CNY");
	parse_bad(NULL, "CNY");
}

static void test_round_trip(void **state)
{
	static const int64_t v[] = { 0, 1, -1, 99, 100, 123456789, -987654321,
				     INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		int64_t back = 0;
		assert_true(money_format(v[i], "CNY", out, sizeof out) > 0);
		assert_int_equal(money_parse(out, "CNY", &back), 0);
		assert_true(back == v[i]);
	}
}

UNIT_MAIN(utf8_setup, NULL,
	cmocka_unit_test(test_format),
	cmocka_unit_test(test_format_ascii),
	cmocka_unit_test(test_format_small_buffer),
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_parse_errors),
	cmocka_unit_test(test_round_trip))
