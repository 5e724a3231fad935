/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/text/time_test.c: RFC 3339 in and out, and compact ages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "text/text.h"
#include "tests/lib/unit.h"

static void parse_ok(const char *s, time_t want)
{
	time_t t = 0;

	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	assert_true(t == want);
}

static void parse_bad(const char *s)
{
	time_t t = 42;

	assert_int_equal(time_parse_rfc3339(s, &t), -1);
	assert_true(t == 42);
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("2026-11-21T08:15:00Z", 1795248900);
	parse_ok("1970-01-01T00:00:00Z", 0);
	parse_ok("1969-12-31T23:59:59Z", -1);
	parse_ok("2026-11-21T16:15:00+08:00", 1795248900);
	parse_ok("2026-11-21T03:15:00-05:00", 1795248900);
	parse_ok("2026-11-21T08:15:00.123456789Z", 1795248900);
	parse_ok("2026-11-21t08:15:00z", 1795248900);
	parse_ok("2024-02-29T00:00:00Z", 1709164800);
	parse_ok("2000-02-29T00:00:00Z", 951782400);
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad(NULL);
	parse_bad("2026-11-21");
	parse_bad("2026-11-21T08:15:00");      /* no zone */
	parse_bad("2026-11-21T08:15:00Zjunk");
	parse_bad("2026-11-21T08:15Z");
	parse_bad("2026-13-01T00:00:00Z");
	parse_bad("2026-00-01T00:00:00Z");
	parse_bad("2026-02-29T00:00:00Z");     /* not a leap year */
	parse_bad("1900-02-29T00:00:00Z");
	parse_bad("2026-04-31T00:00:00Z");
	parse_bad("2026-11-21T24:00:00Z");
	parse_bad("2026-11-21T08:60:00Z");
	parse_bad("2026-11-21T08:15:61Z");
	parse_bad("2026-11-21T08:15:00.Z");
	parse_bad("2026-11-21T08:15:00+0800");
	parse_bad("2026-11-21T08:15:00+24:00");
	parse_bad("2026-1a-21T08:15:00Z");
	parse_bad(" 2026-11-21T08:15:00Z");
}

static void test_format(void **state)
{
	char out[32];
	time_t back = 0;

	(void)state;
	time_format_rfc3339(1795248900, out, sizeof out);
	assert_string_equal(out, "2026-11-21T08:15:00Z");
	time_format_rfc3339(0, out, sizeof out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(time_parse_rfc3339("2031-05-06T07:08:09Z", &back), 0);
	time_format_rfc3339(back, out, sizeof out);
	assert_string_equal(out, "2031-05-06T07:08:09Z");
	/* years below 1000 keep four digits (strftime's %Y would not) */
	assert_int_equal(time_parse_rfc3339("0226-11-21T08:15:00.5+08:00", &back),
			 0);
	time_format_rfc3339(back, out, sizeof out);
	assert_string_equal(out, "0226-11-21T00:15:00Z");
	time_format_rfc3339(1795248900, out, 5); /* too small: empty */
	assert_string_equal(out, "");
}

static void age(int64_t s, const char *want)
{
	char out[32];

	time_format_age(s, out, sizeof out);
	assert_string_equal(out, want);
}

static void test_age(void **state)
{
	(void)state;
	age(0, "0s");
	age(42, "42s");
	age(59, "59s");
	age(60, "1m00s");
	age(185, "3m05s");
	age(3599, "59m59s");
	age(3600, "1h00m");
	age(7500, "2h05m");
	age(86399, "23h59m");
	age(86400, "1d00h");
	age(273600, "3d04h");
	age(-185, "-3m05s");
	age(-5, "-5s");
	age(INT64_MIN, "-106751991167300d15h");
	age(INT64_MAX, "106751991167300d15h");
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_parse_errors),
	cmocka_unit_test(test_format),
	cmocka_unit_test(test_age))
