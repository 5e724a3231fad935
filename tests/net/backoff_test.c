/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/net/backoff_test.c: bounds, jitter range, Retry-After floor, reset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/backoff.h"
#include "tests/lib/unit.h"

static uint32_t fixed(void *ctx)
{
	return *(uint32_t *)ctx;
}

static void ceilings_double_then_cap(void **state)
{
	backoff b;
	uint32_t max = UINT32_MAX;
	const int64_t want[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};

	(void)state;
	backoff_init(&b, 1000, 30000, fixed, &max);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int64_t d;

		assert_int_equal(backoff_ceiling(&b), want[i]);
		d = backoff_next(&b, -1);
		/* the largest random number reaches (almost) the ceiling */
		assert_true(d <= want[i] && d >= want[i] - 1);
	}
	for (int i = 0; i < 100; i++)
		assert_true(backoff_next(&b, -1) <= 30000);
}

static void jitter_spans_the_window(void **state)
{
	backoff b;
	uint32_t zero = 0, half = UINT32_MAX / 2;
	int64_t lo = INT64_MAX, hi = 0;

	(void)state;
	backoff_init(&b, 1000, 30000, fixed, &zero);
	assert_int_equal(backoff_next(&b, -1), 0);
	backoff_init(&b, 1000, 30000, fixed, &half);
	assert_int_equal(backoff_next(&b, -1), 500);
	/* the internal generator: within [0, ceiling] and actually spread */
	backoff_init(&b, 1000, 1000, NULL, NULL);
	for (int i = 0; i < 1000; i++) {
		int64_t d = backoff_next(&b, -1);

		assert_true(d >= 0 && d <= 1000);
		if (d < lo)
			lo = d;
		if (d > hi)
			hi = d;
	}
	assert_true(lo < 100);
	assert_true(hi > 900);
}

static void retry_after_is_a_floor(void **state)
{
	backoff b;
	uint32_t zero = 0, max = UINT32_MAX;

	(void)state;
	backoff_init(&b, 1000, 4000, fixed, &zero);
	assert_int_equal(backoff_next(&b, 2), 2000);
	/* above the cap too: the server knows best */
	assert_int_equal(backoff_next(&b, 60), 60000);
	backoff_init(&b, 1000, 30000, fixed, &max);
	backoff_next(&b, -1);
	backoff_next(&b, -1);
	backoff_next(&b, -1);
	/* a jittered delay above the floor stays as it is */
	assert_true(backoff_next(&b, 1) >= 7999);
}

static void retry_after_is_bounded(void **state)
{
	backoff b;
	uint32_t zero = 0;

	(void)state;
	backoff_init(&b, 1000, 4000, fixed, &zero);
	assert_int_equal(backoff_next(&b, 300), BACKOFF_RETRY_AFTER_MAX_MS);
	assert_int_equal(backoff_next(&b, 86400), BACKOFF_RETRY_AFTER_MAX_MS);
	assert_int_equal(backoff_next(&b, INT_MAX), BACKOFF_RETRY_AFTER_MAX_MS);
	assert_int_equal(backoff_next(&b, 299), 299000);
}

static void reset_and_server_base(void **state)
{
	backoff b;
	uint32_t max = UINT32_MAX;

	(void)state;
	backoff_init(&b, 1000, 30000, fixed, &max);
	backoff_next(&b, -1);
	backoff_next(&b, -1);
	assert_int_equal(backoff_ceiling(&b), 4000);
	backoff_reset(&b);
	assert_int_equal(backoff_ceiling(&b), 1000);
	backoff_set_base(&b, 3000);     /* "retry: 3000" */
	assert_int_equal(backoff_ceiling(&b), 3000);
	backoff_next(&b, -1);
	assert_int_equal(backoff_ceiling(&b), 6000);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(ceilings_double_then_cap),
	cmocka_unit_test(jitter_spans_the_window),
	cmocka_unit_test(retry_after_is_a_floor),
	cmocka_unit_test(retry_after_is_bounded),
	cmocka_unit_test(reset_and_server_base))
