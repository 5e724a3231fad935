/* SPDX-License-Identifier: ISC (see COPYING) */
/* Unit tests of what leaves the audit log: JSON Lines and CSV export, and
 * RFC 5424 syslog messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "audit/audit.h"
#include "tests/audit/fixture.h"
#include "tests/lib/unit.h"

static const char *Z64 = "0000000000000000000000000000000000000000000000000000000000000000";

static struct audit_row sample(void)
{
	struct audit_row r = {
		.seq = 12, .time = "2026-11-21T08:15:00.123Z", .kind = "outcome",
		.intent_seq = 11, .operator_id = "op.zhang", .local_user = "alice",
		.host = "jump1", .site = "bj", .action = "channel.quarantine",
		.target = "icbc.direct.quickpay", .interface = "",
		.state_before = "enabled", .state_after = "quarantined",
		.reason = "工商银行 \"超时\", line1\nline2 a]b\\c", .ticket = "INC-7",
		.idempotency_key = "k", .request_id = "", .outcome = "failed",
		.code = "invalid_transition", .detail = "tab\there\x01", .prev_hash = Z64,
		.hash = "ab",
	};
	return r;
}

static char *capture(int (*fn)(FILE *, const struct audit_row *), const struct audit_row *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(f, r), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_json_escaping(void **state)
{
	(void)state;
	struct audit_row r = sample();
	char *s = capture(audit_row_write_json, &r);
	assert_non_null(strstr(s, "\"seq\":12,"));
	assert_non_null(strstr(s, "\"intent_seq\":11,"));
	assert_non_null(strstr(s, "\"reason\":\"工商银行 \\\"超时\\\", line1\\nline2 a]b\\\\c\""));
	assert_non_null(strstr(s, "\"detail\":\"tab\\there\\u0001\""));
	/* one line per row */
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
	free(s);
	/* invalid UTF-8 never reaches the export */
	r.reason = "bad \xff\xfe byte";
	s = capture(audit_row_write_json, &r);
	assert_non_null(strstr(s, "\"reason\":\"bad \xef\xbf\xbd\xef\xbf\xbd byte\""));
	free(s);
}

/* Whatever a row holds, its line is one valid JSON object, in the order
 * of the CSV header, holding the row's text (invalid UTF-8 repaired). */
static void test_json_always_valid(void **state)
{
	(void)state;
	struct audit_row r = sample();
	r.reason = "say \"no\" \\ \x01\x08\x0c\x1f\x7f tab\t cr\r lf\n 维护 \xf0\x9f\x98\x80";
	r.detail = "bad \xff \xc0\xaf \xed\xa0\x80 cut \xe4\xb8";
	r.ticket = NULL;
	char *s = capture(audit_row_write_json, &r);
	assert_ptr_equal(strchr(s, '\n'), s + strlen(s) - 1);
	json_error_t e;
	json_t *o = json_loads(s, JSON_REJECT_DUPLICATES, &e);
	if (!o)
		fail_msg("not JSON: %s: %s", e.text, s);
	assert_string_equal(json_string_value(json_object_get(o, "reason")), r.reason);
	assert_string_equal(json_string_value(json_object_get(o, "detail")),
			    "bad \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd"
			    "\xef\xbf\xbd cut \xef\xbf\xbd");
	assert_string_equal(json_string_value(json_object_get(o, "ticket")), "");
	assert_int_equal(json_integer_value(json_object_get(o, "seq")), 12);
	assert_int_equal(json_object_size(o), 22);
	/* control characters are escapes, never raw bytes */
	for (const char *p = s; *p != '\n'; p++)
		assert_true((unsigned char)*p >= 0x20);
	assert_non_null(strstr(s, "\"reason\":\"say \\\"no\\\" \\\\ \\u0001\\b\\f\\u001F"));
	/* keys in the CSV header's order */
	const char *order[] = { "seq", "time", "kind", "intent_seq", "operator", "local_user",
				"host", "site", "action", "target", "interface", "state_before",
				"state_after", "reason", "ticket", "idempotency_key", "request_id",
				"outcome", "code", "detail", "prev_hash", "hash" };
	const char *at = s;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		char key[40];
		snprintf(key, sizeof key, "\"%s\":", order[i]);
		const char *k = strstr(at, key);
		assert_non_null(k);
		at = k + strlen(key);
	}
	json_decref(o);
	free(s);
}

static void test_csv_escaping(void **state)
{
	(void)state;
	struct audit_row r = sample();
	char *s = capture(audit_row_write_csv, &r);
	assert_non_null(strstr(s, "12,2026-11-21T08:15:00.123Z,outcome,11,op.zhang,"));
	assert_non_null(strstr(s, ",\"工商银行 \"\"超时\"\", line1\nline2 a]b\\c\",INC-7,"));
	assert_non_null(strstr(s, ",tab\there\x01,"));
	assert_int_equal(strcmp(s + strlen(s) - 2, "\r\n"), 0);
	free(s);
	char *h = NULL;
	size_t len;
	FILE *f = open_memstream(&h, &len);
	assert_int_equal(audit_csv_header(f), 0);
	fclose(f);
	assert_string_equal(h, "seq,time,kind,intent_seq,operator,local_user,host,site,action,"
	                       "target,interface,state_before,state_after,reason,ticket,"
	                       "idempotency_key,request_id,outcome,code,detail,prev_hash,hash\r\n");
	free(h);
}

static void test_export_file(void **state)
{
	(void)state;
	char dir[64], path[128];
	struct audit_log *log;
	audit_fx_open(dir, sizeof dir, "audit-fmt", path, sizeof path, "a.db", &log);
	struct audit_intent in = { .operator_id = "op.wang", .action = "limit.adjust",
	                           .target = "lim_1", .reason = "raise, \"urgent\"\n下午" };
	int64_t seq;
	assert_int_equal(audit_append_intent(log, &in, &seq), 0);
	assert_int_equal(audit_append_outcome(log, seq, AUDIT_APPLIED, "200", "", "", "", NULL), 0);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(audit_export(log, f, AUDIT_JSONL), 0);
	fclose(f);
	int lines = 0;
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 2);
	assert_non_null(strstr(buf, "\"reason\":\"raise, \\\"urgent\\\"\\n下午\""));
	assert_non_null(strstr(buf, "\"kind\":\"outcome\""));
	free(buf);

	f = open_memstream(&buf, &len);
	assert_int_equal(audit_export(log, f, AUDIT_CSV), 0);
	fclose(f);
	assert_int_equal(strncmp(buf, "seq,time,", 9), 0);
	assert_non_null(strstr(buf, ",\"raise, \"\"urgent\"\"\n下午\","));
	free(buf);
	audit_fx_close(log, path, dir);
}

static void test_syslog_format(void **state)
{
	(void)state;
	struct audit_row r = sample();
	char buf[8192];
	int n = audit_syslog_format(&r, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	/* authpriv (10) * 8 + warning (4) for a failed outcome */
	const char *head = "<84>1 2026-11-21T08:15:00.123Z jump1 payops - outcome [payops@32473 seq=\"12\" kind=\"outcome\" intent_seq=\"11\" ";
	assert_int_equal(strncmp(buf, head, strlen(head)), 0);
	/* RFC 5424 6.3.3: '"', '\' and ']' escaped; nothing else */
	assert_non_null(strstr(buf, " reason=\"工商银行 \\\"超时\\\", line1\nline2 a\\]b\\\\c\""));
	assert_non_null(strstr(buf, " action=\"channel.quarantine\""));
	assert_non_null(strstr(buf, " code=\"invalid_transition\""));
	/* empty fields are left out */
	assert_null(strstr(buf, " interface="));
	assert_null(strstr(buf, " request_id="));
	assert_non_null(strstr(buf, " hash=\"ab\"] \xef\xbb\xbfop.zhang outcome channel.quarantine icbc.direct.quickpay: failed invalid_transition"));
	assert_null(strchr(buf + n - 40, '\n'));

	/* intent rows are notices, without intent_seq */
	r.kind = "intent";
	r.outcome = "";
	r.code = "";
	n = audit_syslog_format(&r, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal(strncmp(buf, "<85>1 ", 6), 0);
	assert_null(strstr(buf, "intent_seq="));

	/* header tokens stay printable ASCII; a too small buffer fails cleanly */
	r.host = "jump host\n";
	n = audit_syslog_format(&r, buf, sizeof buf);
	assert_non_null(strstr(buf, " jump_host_ payops - intent "));
	assert_int_equal(audit_syslog_format(&r, buf, 40), -1);
	assert_string_equal(buf, "");
}

static void test_syslog_caps_values(void **state)
{
	(void)state;
	struct audit_row r = sample();
	size_t big = 5000;
	char *detail = malloc(big + 1);
	assert_non_null(detail);
	for (size_t i = 0; i < big; i += 3)
		memcpy(detail + i, "\xe4\xb8\xad", 3); /* 中 */
	detail[big - (big % 3)] = '\0';
	r.detail = detail;
	char *buf = malloc(65536);
	assert_non_null(buf);
	int n = audit_syslog_format(&r, buf, 65536);
	assert_true(n > 0);
	char *d = strstr(buf, " detail=\"");
	assert_non_null(d);
	d += 9;
	char *end = strchr(d, '"');
	assert_non_null(end);
	assert_true(end - d <= 2048);
	assert_int_equal((end - d) % 3, 0); /* not cut inside a character */
	free(buf);
	free(detail);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_json_escaping),
	cmocka_unit_test(test_json_always_valid),
	cmocka_unit_test(test_csv_escaping),
	cmocka_unit_test(test_export_file),
	cmocka_unit_test(test_syslog_format),
	cmocka_unit_test(test_syslog_caps_values))
