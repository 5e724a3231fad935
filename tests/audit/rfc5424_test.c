/* SPDX-License-Identifier: ISC (see COPYING) */
/* Unit tests of the RFC 5424 line parser behind verify --against. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/rfc5424.h"
#include "tests/lib/unit.h"

#define H64 "94e9b3ef4b2b7c0104437147ddb1b00a2647a5d2d22bfcb9a86d976eaccf1207"
#define Z64 "0000000000000000000000000000000000000000000000000000000000000000"
#define ROW "<85>1 2026-12-04T06:04:20.451Z vm payops - intent [payops@32473 seq=\"7\" " \
	"kind=\"intent\" time=\"2026-12-04T06:04:20.451Z\" reason=\"a \\\"q\\\" b\\\\ c\\] d\" " \
	"prev_hash=\"" Z64 "\" hash=\"" H64 "\"] \xef\xbb\xbfop.test intent x y\n"

static int parse(const char *s, struct audit_syslog_msg *m, char *why)
{
	return audit_rfc5424_parse(s, strlen(s), m, why, 200);
}

static void test_header_and_sd(void **state)
{
	struct audit_syslog_msg m;
	char why[200], v[128];
	(void)state;
	assert_int_equal(parse(ROW, &m, why), 0);
	assert_int_equal(m.pri, 85);
	assert_int_equal(m.version, 1);
	assert_int_equal(m.hostname.n, 2);
	assert_memory_equal(m.app_name.p, "payops", 6);
	assert_memory_equal(m.procid.p, "-", 1);
	assert_memory_equal(m.msgid.p, "intent", 6);
	assert_int_equal(audit_rfc5424_param(&m, "payops@32473", "reason", v, sizeof v), 1);
	assert_string_equal(v, "a \"q\" b\\ c] d"); /* unescaped */
	assert_int_equal(audit_rfc5424_param(&m, "payops@32473", "ticket", v, sizeof v), 0);
	assert_int_equal(audit_rfc5424_param(&m, "other@1", "seq", v, sizeof v), 0);
	assert_int_equal(audit_rfc5424_param(&m, "payops@32473", "hash", v, 10), -1);
	assert_int_equal(strncmp(m.msg.p, "\xef\xbb\xbfop.test", 10), 0);
	/* NILVALUE SD, no MSG, several elements */
	assert_int_equal(parse("<13>1 - h app 1 - -", &m, why), 0);
	assert_int_equal(m.msg.n, 0);
	assert_int_equal(parse("<0>1 2026-01-01T00:00:00+08:00 h a p m [a@1 x=\"1\"][b@2 y=\"2\"] hi",
	                       &m, why), 0);
	assert_int_equal(audit_rfc5424_param(&m, "b@2", "y", v, sizeof v), 1);
	assert_string_equal(v, "2");
}

static void test_malformed(void **state)
{
	struct audit_syslog_msg m;
	char why[200];
	(void)state;
	const char *bad[] = {
		"", "no pri", "<192>1 - h a p m -", "<01>1 - h a p m -", "<1>0 - h a p m -",
		"<1>1 2026-13-01T00:00:00Z h a p m -", "<1>1 - h a p m", "<1>1 - h a p m [x",
		"<1>1 - h a p m [x@1 k=v]", "<1>1 - h a p m [x@1 k=\"v]", "<1>1 - h a p m [x@1 k=\"v\"",
		"<1>1 - h a p m [x@1 k=\"v\"]x", "<1>1 -  h a p m -",
		"<1>1 - h aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa p m -",
		"<1>1 - h a p m [x@1 =\"v\"]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		assert_int_equal(parse(bad[i], &m, why), -1);
		assert_true(strncmp(why, "column ", 7) == 0);
	}
}

static void test_collected_rows(void **state)
{
	struct audit_collected r;
	char why[200];
	(void)state;
	assert_int_equal(audit_collected_parse(ROW, strlen(ROW), &r, why, sizeof why), AUDIT_LINE_ROW);
	assert_int_equal(r.seq, 7);
	assert_string_equal(r.kind, "intent");
	assert_string_equal(r.hash, H64);
	assert_string_equal(r.prev_hash, Z64);
	/* other programs, well formed or not, and blank lines */
	const char *other[] = { "<13>1 2026-11-21T08:00:00Z host sshd 77 - - Accepted",
	                        "Nov 21 08:00:01 host cron[12]: (root) CMD", "", "\n" };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		assert_int_equal(audit_collected_parse(other[i], strlen(other[i]), &r, why, sizeof why),
		                 AUDIT_LINE_OTHER);
	/* claims to be payops's but is not a row */
	char line[1024];
	const struct { const char *from, *to, *why; } cases[] = {
		{ "seq=\"7\"", "seq=\"07\"", "seq" },
		{ "seq=\"7\"", "seq=\"x\"", "seq" },
		{ "hash=\"" H64 "\"", "hash=\"" H64 "0\"", "hash" },
		{ "hash=\"94e9", "hash=\"94E9", "hash" },
		{ "kind=\"intent\"", "kind=\"other\"", "kind" },
		{ " intent [", " outcome [", "MSGID" },
		{ "[payops@32473", "[payopz@32473", "no [payops@32473]" },
		{ "<85>1 2026", "<85>1 x2026", "column" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *at = strstr(ROW, cases[i].from);
		assert_non_null(at);
		snprintf(line, sizeof line, "%.*s%s%s", (int)(at - ROW), ROW, cases[i].to,
		         at + strlen(cases[i].from));
		assert_int_equal(audit_collected_parse(line, strlen(line), &r, why, sizeof why),
		                 AUDIT_LINE_BAD);
		assert_non_null(strstr(why, cases[i].why));
	}
	/* a NUL inside is a character, not an end */
	memcpy(line, ROW, strlen(ROW) + 1);
	line[20] = '\0';
	assert_int_equal(audit_collected_parse(line, strlen(ROW), &r, why, sizeof why), AUDIT_LINE_BAD);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_header_and_sd),
	cmocka_unit_test(test_malformed),
	cmocka_unit_test(test_collected_rows))
