/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/base/strbuf_test.c: the growable string: appends, printf, take,
 * and all-or-nothing failure (realloc wrapped with -Wl,--wrap=realloc). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "tests/lib/unit.h"

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
static int fail_next_realloc;

void *__wrap_realloc(void *p, size_t n)
{
	if (fail_next_realloc) {
		fail_next_realloc = 0;
		return NULL;
	}
	return __real_realloc(p, n);
}

static void test_append(void **state)
{
	(void)state;
	strbuf b = STRBUF_INIT;
	assert_string_equal(strbuf_str(&b), "");
	assert_int_equal(strbuf_puts(&b, "GET "), 0);
	assert_int_equal(strbuf_putc(&b, '/'), 0);
	assert_int_equal(strbuf_add(&b, "v1xyz", 2), 0);
	assert_int_equal(strbuf_puts(&b, NULL), 0);
	assert_string_equal(strbuf_str(&b), "GET /v1");
	assert_int_equal(b.len, 7);
	assert_int_equal(strbuf_printf(&b, "/%s?n=%d", "通道", 500), 0);
	assert_string_equal(strbuf_str(&b), "GET /v1/通道?n=500");
	strbuf_reset(&b);
	assert_string_equal(strbuf_str(&b), "");
	assert_int_equal(b.len, 0);
	strbuf_free(&b);
	assert_null(b.s);
}

static void test_long_printf(void **state)
{
	(void)state;
	strbuf b = STRBUF_INIT;
	char big[5000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 20; i++)
		assert_int_equal(strbuf_printf(&b, "%d:%s;", i, big), 0);
	assert_int_equal(b.len, 20 * (sizeof big - 1 + 2) + 10 + 20);
	assert_int_equal(strlen(strbuf_str(&b)), b.len);
	assert_memory_equal(b.s + b.len - 6, "zzzzz;", 6);
	strbuf_free(&b);
}

static void test_take(void **state)
{
	(void)state;
	strbuf b = STRBUF_INIT;
	char *s = strbuf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(strbuf_printf(&b, "%s-%03d", "po", 7), 0);
	s = strbuf_take(&b);
	assert_string_equal(s, "po-007");
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	free(s);
	/* reusable after take */
	assert_int_equal(strbuf_puts(&b, "again"), 0);
	assert_string_equal(strbuf_str(&b), "again");
	strbuf_free(&b);
}

static void test_failure_leaves_text(void **state)
{
	(void)state;
	strbuf b = STRBUF_INIT;
	assert_int_equal(strbuf_puts(&b, "kept"), 0);
	char more[256];
	memset(more, 'm', sizeof more - 1);
	more[sizeof more - 1] = '\0';
	fail_next_realloc = 1;
	assert_int_equal(strbuf_puts(&b, more), -1);
	assert_string_equal(strbuf_str(&b), "kept");
	fail_next_realloc = 1;
	assert_int_equal(strbuf_printf(&b, "%s", more), -1);
	assert_string_equal(strbuf_str(&b), "kept");
	assert_int_equal(b.len, 4);
	assert_int_equal(strbuf_add(&b, "x", SIZE_MAX), -1);
	assert_string_equal(strbuf_str(&b), "kept");
	assert_int_equal(strbuf_puts(&b, more), 0);
	assert_int_equal(b.len, 4 + 255);
	strbuf_free(&b);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_append),
	cmocka_unit_test(test_long_printf),
	cmocka_unit_test(test_take),
	cmocka_unit_test(test_failure_leaves_text))
