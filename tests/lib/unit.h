/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/lib/unit.h: the main() of a cmocka test program, after <cmocka.h>:
 * its tests, one group, with the group's setup and teardown (or NULL).
 *
 *   UNIT_MAIN(NULL, NULL,
 *             cmocka_unit_test(test_one),
 *             cmocka_unit_test(test_two),
 *             UNIT_TEST(test_three))
 */
#ifndef PAYOPS_TESTS_LIB_UNIT_H
#define PAYOPS_TESTS_LIB_UNIT_H

#define UNIT_MAIN(setup, teardown, ...)                                  \
	int main(void)                                                   \
	{                                                                \
		const struct CMUnitTest tests[] = { __VA_ARGS__ };       \
		return cmocka_run_group_tests(tests, setup, teardown);   \
	}

/* A test between the program's own functions named setup and teardown. */
#define UNIT_TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

#endif
