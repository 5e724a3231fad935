/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/decode/fixture.h: what the decoder tests share to build their input:
 * JSON text parsed (J) and RFC 3339 times (T), each failing the test when
 * it does not parse. Include after <cmocka.h>. */
#ifndef PAYOPS_TESTS_DECODE_FIXTURE_H
#define PAYOPS_TESTS_DECODE_FIXTURE_H

#include <string.h>
#include <time.h>

#include "api/decode.h"
#include "text/text.h"

static inline json_t *J(const char *s)
{
	json_t *j = NULL;
	api_err e;

	assert_int_equal(api_parse(s, strlen(s), &j, &e), 0);
	assert_non_null(j);
	return j;
}

static inline time_t T(const char *s)
{
	time_t t = 0;

	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	return t;
}

#endif
