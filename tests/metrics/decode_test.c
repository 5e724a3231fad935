/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/metrics/decode_test.c: Prometheus HTTP API answers: vectors,
 * matrices, errors, NaN and infinities as strings, the channel label,
 * duplicates and malformed results, and the default queries. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/prom.h"
#include "tests/lib/unit.h"

static int dec(const char *body, const char *label, pm_answer *a)
{
	return pm_decode(body, strlen(body), label, a);
}

static void test_vector(void **state)
{
	(void)state;
	pm_answer a;
	assert_int_equal(dec("{\"status\":\"success\",\"data\":{\"resultType\":"
			     "\"vector\",\"result\":["
			     "{\"metric\":{\"channel\":\"wx-pay\"},\"value\":[1700000000.5,\"0.25\"]},"
			     "{\"metric\":{\"channel\":\"cup-01\"},\"value\":[1700000000.5,\"NaN\"]},"
			     "{\"metric\":{\"channel\":\"ali\"},\"value\":[1700000000.5,\"+Inf\"]},"
			     "{\"metric\":{\"other\":\"x\"},\"value\":[1,\"1\"]},"
			     "{\"metric\":{\"channel\":\"bad\"},\"value\":[1,2]}"
			     "]}}", "channel", &a), 0);
	assert_true(a.ok);
	assert_false(a.matrix);
	assert_int_equal(a.n, 3);
	assert_int_equal(a.skipped, 2);
	/* sorted by channel */
	assert_string_equal(a.s[0].channel, "ali");
	assert_string_equal(a.s[1].channel, "cup-01");
	const pm_sample *s = pm_answer_find(&a, "wx-pay");
	assert_non_null(s);
	assert_true(s->value == 0.25);
	assert_true(s->t == 1700000000.5);
	assert_true(isnan(pm_answer_find(&a, "cup-01")->value));
	assert_true(isinf(pm_answer_find(&a, "ali")->value));
	assert_null(pm_answer_find(&a, "nope"));
	pm_answer_free(&a);
}

static void test_label_and_duplicates(void **state)
{
	(void)state;
	pm_answer a;
	const char *body = "{\"status\":\"success\",\"data\":{\"resultType\":"
			   "\"vector\",\"result\":["
			   "{\"metric\":{\"route\":\"a\",\"outcome\":\"x\"},\"value\":[1,\"1\"]},"
			   "{\"metric\":{\"route\":\"a\",\"outcome\":\"y\"},\"value\":[1,\"2\"]},"
			   "{\"metric\":{\"route\":\"b\"},\"value\":[1,\"3\"]}]}}";
	assert_int_equal(dec(body, "route", &a), 0);
	/* "a" twice: no single number, so none */
	assert_int_equal(a.n, 1);
	assert_string_equal(a.s[0].channel, "b");
	assert_true(a.s[0].value == 3);
	assert_int_equal(a.skipped, 2);
	pm_answer_free(&a);
	assert_int_equal(dec(body, "channel", &a), 0);
	assert_int_equal(a.n, 0);
	pm_answer_free(&a);
}

static void test_matrix(void **state)
{
	(void)state;
	pm_answer a;
	assert_int_equal(dec("{\"status\":\"success\",\"data\":{\"resultType\":"
			     "\"matrix\",\"result\":["
			     "{\"metric\":{\"channel\":\"z\"},\"values\":[[10,\"1\"],[20,\"0.5\"],[30,\"x\"]]},"
			     "{\"metric\":{\"channel\":\"a\"},\"values\":[]}]}}",
			     "channel", &a), 0);
	assert_true(a.ok);
	assert_true(a.matrix);
	assert_int_equal(a.n_ser, 2);
	assert_string_equal(a.ser[0].channel, "a");
	assert_int_equal(a.ser[0].n, 0);
	assert_string_equal(a.ser[1].channel, "z");
	assert_int_equal(a.ser[1].n, 2); /* "x" is not a number */
	assert_true(a.ser[1].t[1] == 20 && a.ser[1].v[1] == 0.5);
	pm_answer_free(&a);
}

static void test_errors(void **state)
{
	(void)state;
	pm_answer a;
	assert_int_equal(dec("{\"status\":\"error\",\"errorType\":\"bad_data\","
			     "\"error\":\"1:5: parse error: unexpected\"}",
			     "channel", &a), 0);
	assert_false(a.ok);
	assert_string_equal(a.error_type, "bad_data");
	assert_string_equal(a.error, "1:5: parse error: unexpected");
	pm_answer_free(&a);

	assert_int_equal(dec("<html>502</html>", "channel", &a), -1);
	assert_false(a.ok);
	assert_non_null(strstr(a.error, "not JSON"));
	pm_answer_free(&a);

	assert_int_equal(dec("{\"data\":{}}", "channel", &a), -1);
	assert_non_null(strstr(a.error, "status"));
	pm_answer_free(&a);

	assert_int_equal(dec("{\"status\":\"success\",\"data\":{\"resultType\":"
			     "\"scalar\",\"result\":[1,\"2\"]}}", "channel", &a),
			 -1);
	assert_non_null(strstr(a.error, "scalar"));
	pm_answer_free(&a);

	assert_int_equal(dec("{\"status\":\"success\",\"data\":{\"resultType\":"
			     "\"vector\"}}", "channel", &a), -1);
	pm_answer_free(&a);
}

static void test_values(void **state)
{
	(void)state;
	double v;
	assert_true(pm_parse_value("1.5", &v) && v == 1.5);
	assert_true(pm_parse_value("-2", &v) && v == -2);
	assert_true(pm_parse_value("1e-3", &v) && fabs(v - 0.001) < 1e-15);
	assert_true(pm_parse_value("2.5E+2", &v) && v == 250);
	assert_true(pm_parse_value(".5", &v) && v == 0.5);
	assert_true(pm_parse_value("NaN", &v) && isnan(v));
	assert_true(pm_parse_value("+Inf", &v) && isinf(v) && v > 0);
	assert_true(pm_parse_value("-Inf", &v) && isinf(v) && v < 0);
	assert_false(pm_parse_value("", &v));
	assert_false(pm_parse_value("1,5", &v));
	assert_false(pm_parse_value("1e", &v));
	assert_false(pm_parse_value("nan", &v));
	assert_false(pm_parse_value(".", &v));
}

static void test_default_queries(void **state)
{
	(void)state;
	char b[1024];
	assert_string_equal(pm_default_query(CFG_MQ_TPS, NULL, b, sizeof b),
			    "sum by (channel) (rate(payops_channel_requests_total[1m]))");
	assert_string_equal(pm_default_query(CFG_MQ_P95, "route", b, sizeof b),
			    "histogram_quantile(0.95, sum by (route, le) "
			    "(rate(payops_channel_latency_seconds_bucket[1m])))");
	assert_string_equal(pm_default_query(CFG_MQ_SYSTEM_SR, "channel", b, sizeof b),
			    "sum by (channel) (rate(payops_channel_requests_total"
			    "{outcome!~\"system_error|timeout\"}[1m])) / "
			    "sum by (channel) (rate(payops_channel_requests_total[1m]))");
	assert_non_null(strstr(pm_default_query(CFG_MQ_BUSINESS_SR, NULL, b, sizeof b),
			       "{outcome=\"success\"}"));
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_vector),
	cmocka_unit_test(test_label_and_duplicates),
	cmocka_unit_test(test_matrix),
	cmocka_unit_test(test_errors),
	cmocka_unit_test(test_values),
	cmocka_unit_test(test_default_queries))
