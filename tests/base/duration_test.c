/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/base/duration_test.c: the one duration grammar, its refusals and
 * the spelling it reads back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/duration.h"
#include "tests/lib/unit.h"

#define S 1000LL
#define M (60 * S)
#define H (60 * M)
#define D (24 * H)
#define W (7 * D)

static void ok(const char *s, int64_t want)
{
	int64_t ms = -42;
	duration_status st = duration_parse(s, &ms);
	if (st != DURATION_OK || ms != want)
		print_message("# '%s': status %d, %lld ms, want %lld\n", s, st,
			      (long long)ms, (long long)want);
	assert_int_equal(st, DURATION_OK);
	assert_true(ms == want);
}

static void bad(const char *s, duration_status want)
{
	int64_t ms = -42;
	duration_status st = duration_parse(s, &ms);
	if (st != want)
		print_message("# '%s': status %d, want %d\n", s ? s : "(null)",
			      st, want);
	assert_int_equal(st, want);
	assert_true(ms == -42); /* untouched */
}

static void test_units(void **state)
{
	(void)state;
	ok("250ms", 250);
	ok("90s", 90 * S);
	ok("15m", 15 * M);
	ok("2h", 2 * H);
	ok("2d", 2 * D);
	ok("1w", W);
	ok("0s", 0);
	ok("0ms", 0);
}

static void test_sequences(void **state)
{
	(void)state;
	ok("1h30m", H + 30 * M);
	ok("1m30s", M + 30 * S);
	ok("1s500ms", 1500);
	ok("1w2d3h4m5s6ms", W + 2 * D + 3 * H + 4 * M + 5 * S + 6);
	ok("1d12h", D + 12 * H);
	ok("90m", 90 * M); /* a part need not be below the next unit */
	ok("  2h ", 2 * H); /* blanks around, as typed in a dialog */
	ok("\t30m", 30 * M);
	ok("007m", 7 * M);
}

static void test_refused(void **state)
{
	(void)state;
	bad(NULL, DURATION_EMPTY);
	bad("", DURATION_EMPTY);
	bad("   ", DURATION_EMPTY);
	bad("30", DURATION_BARE);
	bad(" 30 ", DURATION_BARE);
	bad("0", DURATION_BARE);
	bad("1m1h", DURATION_MALFORMED); /* largest first */
	bad("1s1s", DURATION_MALFORMED); /* each unit once */
	bad("1ms1s", DURATION_MALFORMED);
	bad("1h 30m", DURATION_MALFORMED); /* no blanks inside */
	bad("2 s", DURATION_MALFORMED);
	bad("1.5s", DURATION_MALFORMED);
	bad("-1s", DURATION_MALFORMED);
	bad("+1s", DURATION_MALFORMED);
	bad("2S", DURATION_MALFORMED);
	bad("s", DURATION_MALFORMED);
	bad("h1", DURATION_MALFORMED);
	bad("1h30", DURATION_MALFORMED); /* a trailing bare number */
	bad("1y", DURATION_MALFORMED);
	bad("1mss", DURATION_MALFORMED);
	bad("fast", DURATION_MALFORMED);
}

static void test_overflow(void **state)
{
	(void)state;
	/* INT64_MAX ms is 9223372036854775807 */
	ok("9223372036854775807ms", INT64_MAX);
	bad("9223372036854775808ms", DURATION_OVERFLOW);
	bad("99999999999999999999999999999s", DURATION_OVERFLOW);
	bad("15250284453w", DURATION_OVERFLOW); /* fits as a number, not in ms */
	ok("15250284452w", 15250284452LL * W);
	/* the sum of parts that each fit */
	bad("15250284452w4d", DURATION_OVERFLOW);
	ok("15250284452w3d", 15250284452LL * W + 3 * D);
	bad("9223372036854775s808ms", DURATION_OVERFLOW);
	ok("9223372036854775s807ms", INT64_MAX);
}

static void test_messages(void **state)
{
	(void)state;
	char buf[160];
	duration_error(DURATION_BARE, "30", buf, sizeof buf);
	assert_string_equal(buf, "30: give a unit, e.g. 30m");
	duration_error(DURATION_BARE, " 45 ", buf, sizeof buf);
	assert_string_equal(buf, "45: give a unit, e.g. 45m");
	duration_error(DURATION_EMPTY, "", buf, sizeof buf);
	assert_string_equal(buf, "give a duration, e.g. 30m");
	duration_error(DURATION_MALFORMED, "1m1h", buf, sizeof buf);
	assert_string_equal(buf, "1m1h: not a duration; write whole units, "
			    "largest first, e.g. 90s, 15m, 1h30m, 2d, 1w");
	duration_error(DURATION_OVERFLOW, "99999999999999999999w", buf, sizeof buf);
	assert_string_equal(buf, "99999999999999999999w: too long");
	/* a long text is cut, the buffer never overrun */
	char small[8];
	duration_error(DURATION_MALFORMED, "xxxxxxxxxxxxxxxxxxxx", small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
}

static void fmt(int64_t ms, const char *want)
{
	char buf[64];
	duration_format(ms, buf, sizeof buf);
	assert_string_equal(buf, want);
	if (ms > 0) { /* and it reads back */
		int64_t back = -1;
		assert_int_equal(duration_parse(buf, &back), DURATION_OK);
		assert_true(back == ms);
	}
}

static void test_format(void **state)
{
	(void)state;
	fmt(0, "0s");
	fmt(-5, "0s");
	fmt(1, "1ms");
	fmt(500, "500ms");
	fmt(1500, "1500ms");
	fmt(2 * S, "2s");
	fmt(90 * S, "1m30s");
	fmt(H + 30 * M, "1h30m");
	fmt(61 * M + 500, "1h1m500ms");
	fmt(D, "1d");
	fmt(W + 3 * D + 12 * H, "1w3d12h");
	fmt(INT64_MAX, "15250284452w3d7h12m55s807ms");
	char small[4];
	duration_format(W + 3 * D + 12 * H, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_units),
	cmocka_unit_test(test_sequences),
	cmocka_unit_test(test_refused),
	cmocka_unit_test(test_overflow),
	cmocka_unit_test(test_messages),
	cmocka_unit_test(test_format))
