/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/base/vec_test.c: the growable array: growth, append, overflow, and
 * a realloc that fails (linked with -Wl,--wrap=realloc) leaving the array
 * as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "tests/lib/unit.h"

/* realloc as the library sees it: fails when asked to, counts calls. */
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
static int fail_next_realloc;
static int reallocs;

void *__wrap_realloc(void *p, size_t n)
{
	reallocs++;
	if (fail_next_realloc) {
		fail_next_realloc = 0;
		return NULL;
	}
	return __real_realloc(p, n);
}

static void test_push_one_at_a_time(void **state)
{
	(void)state;
	VEC(int) v = { 0 };
	reallocs = 0;
	for (int i = 0; i < 10000; i++)
		assert_int_equal(vec_push(&v, i * 3), 0);
	assert_int_equal(v.n, 10000);
	assert_true(v.cap >= 10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(v.at[i], i * 3);
	/* doubling: a handful of reallocs, not one per element */
	assert_true(reallocs <= 12);
	vec_free(&v);
	assert_null(v.at);
	assert_int_equal(v.n, 0);
	assert_int_equal(v.cap, 0);
}

static void test_append_and_reserve(void **state)
{
	(void)state;
	VEC(char *) v = { 0 };
	char *words[] = { "a", "b", "c" };
	assert_int_equal(vec_append(&v, words, 3), 0);
	assert_int_equal(vec_append(&v, words, 0), 0);
	assert_int_equal(vec_append(&v, words + 1, 2), 0);
	assert_int_equal(v.n, 5);
	assert_string_equal(v.at[3], "b");
	assert_string_equal(v.at[4], "c");
	size_t cap = v.cap;
	assert_int_equal(vec_reserve(&v, cap - v.n), 0);
	assert_int_equal(v.cap, cap); /* there was room: nothing moved */
	assert_int_equal(vec_reserve(&v, cap), 0);
	assert_true(v.cap >= v.n + cap);
	vec_free(&v);
}

static void test_overflow_refused(void **state)
{
	(void)state;
	VEC(uint64_t) v = { 0 };
	assert_int_equal(vec_push(&v, 7), 0);
	uint64_t *before = v.at;
	size_t cap = v.cap;
	reallocs = 0;
	/* n + more overflows, and (n + more) * 8 does */
	assert_int_equal(vec_reserve(&v, SIZE_MAX), -1);
	assert_int_equal(vec_reserve(&v, SIZE_MAX / 4), -1);
	assert_int_equal(reallocs, 0);
	assert_ptr_equal(v.at, before);
	assert_int_equal(v.cap, cap);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.at[0], 7);
	vec_free(&v);
}

static void test_failed_realloc_keeps_everything(void **state)
{
	(void)state;
	VEC(char *) v = { 0 };
	/* fill to capacity, then fail the growth */
	do {
		char *s = strdup("x");
		assert_non_null(s);
		assert_int_equal(vec_push(&v, s), 0);
	} while (v.n < v.cap);
	char **before = v.at;
	size_t n = v.n, cap = v.cap;
	char *extra = strdup("y");
	fail_next_realloc = 1;
	assert_int_equal(vec_push(&v, extra), -1);
	assert_ptr_equal(v.at, before);
	assert_int_equal(v.n, n);
	assert_int_equal(v.cap, cap);
	fail_next_realloc = 1;
	assert_int_equal(vec_append(&v, &extra, 1), -1);
	assert_int_equal(v.n, n);
	/* the array still works, and all of it can be freed (leak-checked in
	 * the sanitizer build) */
	assert_int_equal(vec_push(&v, extra), 0);
	assert_string_equal(v.at[n], "y");
	for (size_t i = 0; i < v.n; i++)
		free(v.at[i]);
	vec_free(&v);
}

static void test_runtime_element_size(void **state)
{
	(void)state;
	struct big { char b[40]; };
	void *items = NULL;
	size_t n = 0, cap = 0;
	struct big one = { "first" }, two[2] = { { "second" }, { "third" } };
	assert_int_equal(vec_append_raw(&items, &cap, &n, &one, 1, sizeof one), 0);
	assert_int_equal(vec_append_raw(&items, &cap, &n, two, 2, sizeof one), 0);
	assert_int_equal(n, 3);
	assert_string_equal(((struct big *)items)[2].b, "third");
	assert_int_equal(vec_grow(&items, &cap, n, 0, sizeof one), 0);
	assert_int_equal(vec_grow(&items, &cap, n, 1, 0), -1);
	free(items);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_push_one_at_a_time),
	cmocka_unit_test(test_append_and_reserve),
	cmocka_unit_test(test_overflow_refused),
	cmocka_unit_test(test_failed_realloc_keeps_everything),
	cmocka_unit_test(test_runtime_element_size))
