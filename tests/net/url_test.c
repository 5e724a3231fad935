/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/net/url_test.c: URLs built by net/url.c: ids with '/', '?', '#',
 * '%', spaces and UTF-8 stay one segment or one value, bases with and
 * without a path prefix, and errors instead of cut URLs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "net/url.h"
#include "tests/lib/unit.h"

#define SEGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define PARAMS(...) ((const url_param[]){ __VA_ARGS__, { NULL, NULL } })

static void built(const char *base, const char *path, const char *const *segs,
		  const url_param *params, const char *want)
{
	char out[512];
	int rc = url_build(out, sizeof out, base, path, segs, params);
	if (rc != URL_OK)
		fail_msg("%s: %s", want, url_strerror(rc));
	assert_string_equal(out, want);
}

static void test_segments_escaped(void **state)
{
	(void)state;
	const char *B = "http://127.0.0.1:8780";
	built(B, "/v1/channels", SEGS("icbc.direct-1_x~"), NULL,
	      "http://127.0.0.1:8780/v1/channels/icbc.direct-1_x~");
	built(B, "/v1/channels", SEGS("a/b c", "history"), PARAMS({ "minutes", "60" }),
	      "http://127.0.0.1:8780/v1/channels/a%2Fb%20c/history?minutes=60");
	built(B, "/v1/recon/breaks", SEGS("x?y#z"), NULL,
	      "http://127.0.0.1:8780/v1/recon/breaks/x%3Fy%23z");
	built(B, "/v1/limits", SEGS("100%&a=b+c"), NULL,
	      "http://127.0.0.1:8780/v1/limits/100%25%26a%3Db%2Bc");
	built(B, "/v1/channels", SEGS("银联-通道"), NULL,
	      "http://127.0.0.1:8780/v1/channels/%E9%93%B6%E8%81%94-%E9%80%9A%E9%81%93");
	/* ".." escaped would still be "..": refused, never a walk up */
	char out[128] = "x";
	assert_int_equal(url_build(out, sizeof out, B, "/v1/channels", SEGS(".."), NULL),
			 URL_EARG);
	assert_string_equal(out, "");
	assert_int_equal(url_build(out, sizeof out, B, "/v1/channels", SEGS("."), NULL),
			 URL_EARG);
	assert_int_equal(url_build(out, sizeof out, B, "/v1/channels", SEGS(""), NULL),
			 URL_EARG);
	assert_int_equal(url_build(out, sizeof out, B, "v1", NULL, NULL), URL_EARG);
	/* "..." and ".x" are ordinary ids */
	built(B, "/v1/channels", SEGS("...", ".x"), NULL,
	      "http://127.0.0.1:8780/v1/channels/.../.x");
}

static void test_query(void **state)
{
	(void)state;
	const char *B = "http://127.0.0.1:8780";
	/* the literal query first, then the escaped parameters; NULL values
	 * are left out */
	built(B, "/v1/alerts?state=firing&limit=500", NULL,
	      PARAMS({ "cursor", "c/1?#&= 中" }),
	      "http://127.0.0.1:8780/v1/alerts?state=firing&limit=500"
	      "&cursor=c%2F1%3F%23%26%3D%20%E4%B8%AD");
	built(B, "/v1/channels?limit=500", NULL, PARAMS({ "cursor", NULL }),
	      "http://127.0.0.1:8780/v1/channels?limit=500");
	built(B, "/v1/recon/breaks", NULL,
	      PARAMS({ "limit", "500" }, { "updated_since", "2026-11-21T08:15:00Z" },
		     { "cursor", NULL }),
	      "http://127.0.0.1:8780/v1/recon/breaks?limit=500"
	      "&updated_since=2026-11-21T08%3A15%3A00Z");
	built(B, NULL, NULL, NULL, "http://127.0.0.1:8780/");
}

static void test_bases(void **state)
{
	(void)state;
	built("https://pay.example.cn/platform/", "/v1/status", NULL, NULL,
	      "https://pay.example.cn/platform/v1/status");
	built("https://pay.example.cn/platform", "/v1/status", NULL, NULL,
	      "https://pay.example.cn/platform/v1/status");
	built("http://[::1]:8780/", "/v1/me", NULL, NULL, "http://[::1]:8780/v1/me");
	built("http://127.0.0.1:8780/api/v2", NULL, SEGS("silence", "a b"), NULL,
	      "http://127.0.0.1:8780/api/v2/silence/a%20b");
	/* no base: the path and query alone (an action's path) */
	built(NULL, "/v1/alerts", SEGS("a/b c", "ack"), NULL, "/v1/alerts/a%2Fb%20c/ack");
	built(NULL, "/v1/x?a=1", NULL, PARAMS({ "b", "2 3" }), "/v1/x?a=1&b=2%203");
	char out[128];
	assert_int_equal(url_build(out, sizeof out, "not a url", "/v1", NULL, NULL),
			 URL_EBASE);
	assert_int_equal(url_build(out, sizeof out, "", "/v1", NULL, NULL), URL_EBASE);
	assert_string_equal(out, "");
}

static void test_too_long_is_an_error(void **state)
{
	(void)state;
	char out[40];
	/* 36 bytes fit with the NUL; one more does not, and nothing is cut */
	assert_int_equal(url_build(out, 37, "http://h", "/v1/channels", SEGS("abcdefghijklmno"),
				   NULL), URL_OK);
	assert_string_equal(out, "http://h/v1/channels/abcdefghijklmno");
	assert_int_equal(url_build(out, 36, "http://h", "/v1/channels", SEGS("abcdefghijklmno"),
				   NULL), URL_ETOOLONG);
	assert_string_equal(out, "");
	/* escaping triples a byte: the limit is on the escaped URL */
	assert_int_equal(url_build(out, sizeof out, NULL, "/v1", SEGS("中中中中"), NULL),
			 URL_ETOOLONG);
	assert_int_equal(url_build(out, sizeof out, NULL, "/v1", SEGS("中中中"), NULL), URL_OK);
	assert_string_equal(out, "/v1/%E4%B8%AD%E4%B8%AD%E4%B8%AD");
	assert_int_equal(url_build(out, 0, NULL, "/v1", NULL, NULL), URL_ETOOLONG);
	assert_non_null(strstr(url_strerror(URL_ETOOLONG), "longer"));
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_segments_escaped),
	cmocka_unit_test(test_query),
	cmocka_unit_test(test_bases),
	cmocka_unit_test(test_too_long_is_an_error))
