/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/alerts/am_test.c: the Alertmanager client's pure parts: matchers
 * from labels, the silence body, decoding silences, status and alerts,
 * errors in words; and the refusals that must happen before anything is
 * sent (no audit log, invalid requests), called back exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "actions/act_int.h"
#include "alerts/am_int.h"
#include "text/text.h"
#include "tests/audit/fixture.h"
#include "tests/lib/unit.h"

/* Labels with Unicode, quotes, backslashes, control characters, an emoji
 * and an empty value: every one must reach the body byte for byte. */
static const char *const odd_keys[] = {
	"alertname", "channel_id", "zh", "quote", "ctrl", "emoji", "empty",
};
static const char *const odd_values[] = {
	"BankRouteDown", "icbc.direct.quickpay", "工商银行 快捷支付",
	"say \"hi\" \\ back\\slash", "tab\there\nnewline \x1b[31mred\x01",
	"\xf0\x9f\x99\x82 \xe2\x80\xae rtl", "",
};
#define N_ODD (sizeof odd_keys / sizeof odd_keys[0])

static api_alert mk_alert(void)
{
	api_alert a;
	memset(&a, 0, sizeof a);
	a.fingerprint = strdup("bec27b284e4dbe23");
	a.id = strdup("bec27b284e4dbe23");
	a.state_raw = strdup("active");
	a.state = AST_FIRING;
	a.labels = calloc(N_ODD, sizeof *a.labels);
	assert_non_null(a.labels);
	for (size_t i = 0; i < N_ODD; i++) {
		a.labels[i].key = strdup(odd_keys[i]);
		a.labels[i].value = strdup(odd_values[i]);
	}
	a.n_labels = N_ODD;
	return a;
}

static void check_matcher(const json_t *m, const char *name, const char *value)
{
	assert_true(json_is_object(m));
	assert_int_equal(json_object_size(m), 4);
	assert_string_equal(json_string_value(json_object_get(m, "name")), name);
	assert_int_equal(json_string_length(json_object_get(m, "value")),
			 strlen(value));
	assert_memory_equal(json_string_value(json_object_get(m, "value")), value,
			    strlen(value));
	assert_true(json_is_false(json_object_get(m, "isRegex")));
	assert_true(json_is_true(json_object_get(m, "isEqual")));
}

static void test_matchers_all_labels_round_trip(void **state)
{
	(void)state;
	api_alert a = mk_alert();
	char why[128];
	json_t *m = am_matchers_json(&a, NULL, 0, why, sizeof why);
	assert_non_null(m);
	/* through text and back, as the Alertmanager would read it */
	char *text = json_dumps(m, JSON_COMPACT);
	json_t *back = json_loads(text, 0, NULL);
	assert_non_null(back);
	assert_int_equal(json_array_size(back), N_ODD);
	for (size_t i = 0; i < N_ODD; i++)
		check_matcher(json_array_get(back, i), odd_keys[i], odd_values[i]);
	free(text);
	json_decref(back);
	json_decref(m);
	api_alert_free(&a);
}

static void test_matchers_subset(void **state)
{
	(void)state;
	api_alert a = mk_alert();
	char why[128];
	const char *keys[] = { "zh", "alertname" };
	json_t *m = am_matchers_json(&a, keys, 2, why, sizeof why);
	assert_non_null(m);
	assert_int_equal(json_array_size(m), 2);
	check_matcher(json_array_get(m, 0), "zh", "工商银行 快捷支付");
	check_matcher(json_array_get(m, 1), "alertname", "BankRouteDown");
	json_decref(m);

	const char *bad[] = { "alertname", "nope" };
	assert_null(am_matchers_json(&a, bad, 2, why, sizeof why));
	assert_string_equal(why, "not a label of the alert: 'nope'");
	const char *twice[] = { "zh", "zh" };
	assert_null(am_matchers_json(&a, twice, 2, why, sizeof why));
	assert_string_equal(why, "label named twice: 'zh'");
	api_alert_free(&a);

	api_alert none;
	memset(&none, 0, sizeof none);
	assert_null(am_matchers_json(&none, NULL, 0, why, sizeof why));
	assert_string_equal(why, "the alert has no labels to match");
}

static void test_silence_body_exact(void **state)
{
	(void)state;
	api_alert a = mk_alert();
	char why[128];
	const char *keys[] = { "channel_id", "quote" };
	time_t now = 1795248000; /* 2026-11-21T08:00:00Z */
	char *body = am_silence_body(&a, keys, 2, now, 3600, "op.zhang",
				     "银行通道维护 \"planned\"", why, sizeof why);
	assert_non_null(body);
	json_t *j = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 5);
	assert_string_equal(json_string_value(json_object_get(j, "startsAt")),
			    "2026-11-21T08:00:00Z");
	assert_string_equal(json_string_value(json_object_get(j, "endsAt")),
			    "2026-11-21T09:00:00Z");
	assert_string_equal(json_string_value(json_object_get(j, "createdBy")),
			    "op.zhang");
	assert_string_equal(json_string_value(json_object_get(j, "comment")),
			    "银行通道维护 \"planned\"");
	json_t *m = json_object_get(j, "matchers");
	assert_int_equal(json_array_size(m), 2);
	check_matcher(json_array_get(m, 0), "channel_id", "icbc.direct.quickpay");
	check_matcher(json_array_get(m, 1), "quote", "say \"hi\" \\ back\\slash");
	/* and the exact text, so a field renamed or added shows */
	assert_string_equal(body,
		"{\"matchers\":[{\"name\":\"channel_id\",\"value\":\"icbc.direct.quickpay\","
		"\"isRegex\":false,\"isEqual\":true},{\"name\":\"quote\",\"value\":"
		"\"say \\\"hi\\\" \\\\ back\\\\slash\",\"isRegex\":false,\"isEqual\":true}],"
		"\"startsAt\":\"2026-11-21T08:00:00Z\",\"endsAt\":\"2026-11-21T09:00:00Z\","
		"\"createdBy\":\"op.zhang\",\"comment\":\"银行通道维护 \\\"planned\\\"\"}");
	json_decref(j);
	free(body);
	api_alert_free(&a);
}

static void test_silence_body_refusals(void **state)
{
	(void)state;
	api_alert a = mk_alert();
	char why[128];
	char reason[2000];
	time_t now = 1795248000;

	assert_null(am_silence_body(&a, NULL, 0, now, 0, "op", "r", why, sizeof why));
	assert_string_equal(why, "a silence lasts from 1 second to 366 days");
	assert_null(am_silence_body(&a, NULL, 0, now, AM_MAX_DURATION_S + 1, "op",
				    "r", why, sizeof why));
	assert_null(am_silence_body(&a, NULL, 0, now, 60, "", "r", why, sizeof why));
	assert_string_equal(why, "no operator id for createdBy");
	assert_null(am_silence_body(&a, NULL, 0, now, 60, "op", "", why, sizeof why));
	assert_string_equal(why, "the reason must be 1 to 500 characters");
	/* 500 characters of three bytes each is fine, 501 is not */
	for (int i = 0; i < 500; i++)
		memcpy(reason + 3 * i, "维", 3);
	reason[1500] = '\0';
	char *ok = am_silence_body(&a, NULL, 0, now, 60, "op", reason, why, sizeof why);
	assert_non_null(ok);
	free(ok);
	memcpy(reason + 1500, "维", 4);
	assert_null(am_silence_body(&a, NULL, 0, now, 60, "op", reason, why, sizeof why));
	assert_string_equal(why, "the reason must be 1 to 500 characters");
	/* invalid UTF-8 is refused, not counted byte by byte */
	assert_null(am_silence_body(&a, NULL, 0, now, 60, "op", "bad \xff byte", why,
				    sizeof why));
	assert_string_equal(why, "the reason is not valid UTF-8");
	api_alert_free(&a);
}

/* The silence's reason and an action's reason are the same field to an
 * operator: the same text passes or fails both checks. */
static void test_reason_checks_agree(void **state)
{
	(void)state;
	static char max_cjk[1501], over_cjk[1504], max_bad[1501];
	for (int i = 0; i < 500; i++) {
		memcpy(max_cjk + 3 * i, "维", 3);
		memcpy(over_cjk + 3 * i, "维", 3);
	}
	memcpy(over_cjk + 1500, "维", 4);
	memcpy(max_bad, max_cjk, sizeof max_cjk);
	max_bad[1499] = 'x'; /* cuts the last character: 499 + 1 bytes invalid */
	const char *cases[] = {
		"ok", "维护窗口", max_cjk, over_cjk, max_bad, "bad \xff byte",
		"\xc0\xaf", "\xed\xa0\x80 surrogate", "cut \xe4\xb8", "\x80",
		"\xf4\x90\x80\x80 above U+10FFFF", "",
	};
	api_alert a = mk_alert();
	char why[256];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		act_request r = { .kind = ACT_ALERT_ACK, .target = "al_1",
				  .reason = cases[i] };
		bool act_ok = act_validate(NULL, &r, why, sizeof why) == 0;
		char *body = am_silence_body(&a, NULL, 0, 1795248000, 60, "op", cases[i],
					     why, sizeof why);
		bool am_ok = body != NULL;
		free(body);
		am_ok = am_ok && am_reason_ok(cases[i]);
		if (act_ok != am_ok)
			fail_msg("case %zu: the action check says %d, the silence check %d",
				 i, act_ok, am_ok);
		assert_int_equal(act_ok, i < 3);
	}
	api_alert_free(&a);
}

static void test_matchers_text(void **state)
{
	(void)state;
	json_t *m = json_loads("[{\"name\":\"a\",\"value\":\"x \\\"q\\\" \\\\ \\n\","
			       "\"isRegex\":false,\"isEqual\":true},"
			       "{\"name\":\"b\",\"value\":\"y.*\",\"isRegex\":true,"
			       "\"isEqual\":false}]", 0, NULL);
	char out[128];
	assert_non_null(m);
	assert_true(am_matchers_text(m, out, sizeof out) > 0);
	assert_string_equal(out, "{a=\"x \\\"q\\\" \\\\ \\n\", b!~\"y.*\"}");
	assert_int_equal(am_matchers_text(m, out, 10), -1);
	json_decref(m);
	/* sorted by name, so the server's order does not matter */
	m = json_loads("[{\"name\":\"zh\",\"value\":\"工商\",\"isRegex\":false},"
		       "{\"name\":\"alertname\",\"value\":\"X\",\"isRegex\":false}]",
		       0, NULL);
	assert_non_null(m);
	assert_true(am_matchers_text(m, out, sizeof out) > 0);
	assert_string_equal(out, "{alertname=\"X\", zh=\"工商\"}");
	json_decref(m);
}

/* As Alertmanager 0.25 answers, plus one broken item and one from an older
 * server without isEqual. */
static const char silences_body[] =
	"[{\"id\":\"11111111-0000-0000-0000-000000000001\",\"status\":{\"state\":\"expired\"},"
	"\"updatedAt\":\"2026-11-22T02:09:56.608Z\",\"comment\":\"old\",\"createdBy\":\"op.a\","
	"\"endsAt\":\"2026-11-22T02:09:56.608Z\",\"matchers\":[{\"isEqual\":true,"
	"\"isRegex\":false,\"name\":\"alertname\",\"value\":\"BankDown\"}],"
	"\"startsAt\":\"2026-11-22T02:09:55.462Z\"},"
	"{\"id\":\"bad\",\"status\":{\"state\":\"active\"},\"comment\":\"x\","
	"\"createdBy\":\"op.b\",\"endsAt\":\"2026-11-22T03:00:00Z\",\"matchers\":"
	"[{\"isRegex\":\"no\",\"name\":\"a\",\"value\":\"b\"}],\"startsAt\":\"2026-11-22T02:00:00Z\"},"
	"{\"id\":\"22222222-0000-0000-0000-000000000002\",\"status\":{\"state\":\"active\"},"
	"\"comment\":\"通道维护\\u0000\\u001b[2J\",\"createdBy\":\"op.zhang\","
	"\"endsAt\":\"2026-11-22T03:09:55.000Z\",\"matchers\":[{\"isRegex\":false,"
	"\"name\":\"zh\",\"value\":\"工商银行 \\\"q\\\" \\\\\"},{\"isRegex\":true,"
	"\"isEqual\":false,\"name\":\"env\",\"value\":\"te.*\"}],"
	"\"startsAt\":\"2026-11-22T02:09:55.462Z\",\"futureField\":1},"
	"{\"id\":\"33333333-0000-0000-0000-000000000003\",\"status\":{\"state\":\"pending\"},"
	"\"comment\":\"later\",\"createdBy\":\"op.c\",\"endsAt\":\"2026-11-23T00:00:00Z\","
	"\"matchers\":[],\"startsAt\":\"2026-11-22T12:00:00Z\"}]";

static void test_decode_silences(void **state)
{
	(void)state;
	am_silence *v;
	size_t n, rejected;
	char err[256];
	time_t t;

	assert_int_equal(am_decode_silences(silences_body, strlen(silences_body),
					    &v, &n, &rejected, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rejected, 1);
	assert_string_equal(err, "[1]: matchers[0]: isRegex: expected true or false");
	/* active, pending, expired */
	assert_string_equal(v[0].id, "22222222-0000-0000-0000-000000000002");
	assert_int_equal(v[0].state, AM_SIL_ACTIVE);
	assert_string_equal(v[0].state_raw, "active");
	assert_string_equal(v[0].created_by, "op.zhang");
	/* kept raw (escape included), NUL as U+FFFD */
	assert_string_equal(v[0].comment, "通道维护\xef\xbf\xbd\x1b[2J");
	assert_int_equal(v[0].n_matchers, 2);
	assert_string_equal(v[0].matchers[0].name, "zh");
	assert_string_equal(v[0].matchers[0].value, "工商银行 \"q\" \\");
	assert_false(v[0].matchers[0].is_regex);
	assert_true(v[0].matchers[0].is_equal); /* absent: an old server */
	assert_true(v[0].matchers[1].is_regex);
	assert_false(v[0].matchers[1].is_equal);
	assert_int_equal(time_parse_rfc3339("2026-11-22T03:09:55Z", &t), 0);
	assert_int_equal(v[0].ends_at, t);
	assert_int_equal(v[0].updated_at, 0);
	assert_string_equal(v[1].id, "33333333-0000-0000-0000-000000000003");
	assert_int_equal(v[1].state, AM_SIL_PENDING);
	assert_int_equal(v[1].n_matchers, 0);
	assert_string_equal(v[2].id, "11111111-0000-0000-0000-000000000001");
	assert_int_equal(v[2].state, AM_SIL_EXPIRED);
	assert_string_equal(am_silence_state_str(v[2].state), "expired");
	assert_true(v[2].updated_at > 0);
	am_silences_free(v, n);

	assert_int_equal(am_decode_silences("{}", 2, &v, &n, &rejected, err,
					    sizeof err), -1);
	assert_string_equal(err, "expected an array of silences");
	assert_int_equal(am_decode_silences("[", 1, &v, &n, &rejected, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "not JSON"));
	assert_int_equal(am_decode_silences("[]", 2, &v, &n, &rejected, err,
					    sizeof err), 0);
	assert_int_equal(n, 0);
	am_silences_free(v, n);
}

static void test_decode_status(void **state)
{
	(void)state;
	static const char body[] =
		"{\"cluster\":{\"peers\":[],\"status\":\"disabled\"},\"config\":"
		"{\"original\":\"route: {}\\n\"},\"uptime\":\"2026-11-22T02:09:48.150Z\","
		"\"versionInfo\":{\"branch\":\"debian/sid\",\"buildDate\":\"20230409\","
		"\"goVersion\":\"go1.19.8\",\"revision\":\"0.25.0-1+b4\",\"version\":\"0.25.0\"}}";
	static const char ha[] =
		"{\"cluster\":{\"name\":\"01H\",\"peers\":[{\"address\":\"a\",\"name\":\"x\"},"
		"{\"address\":\"b\",\"name\":\"y\"}],\"status\":\"settling\"},"
		"\"versionInfo\":{\"version\":\"0.27.0\"},\"uptime\":\"garbage\"}";
	am_status_info in;
	char err[256];
	time_t t;

	assert_int_equal(am_decode_status(body, strlen(body), &in, err, sizeof err), 0);
	assert_string_equal(in.version, "0.25.0");
	assert_string_equal(in.cluster_status, "disabled");
	assert_int_equal(in.peers, 0);
	assert_int_equal(time_parse_rfc3339("2026-11-22T02:09:48Z", &t), 0);
	assert_int_equal(in.up_since, t);
	assert_int_equal(am_decode_status(ha, strlen(ha), &in, err, sizeof err), 0);
	assert_string_equal(in.cluster_status, "settling");
	assert_int_equal(in.peers, 2);
	assert_int_equal(in.up_since, 0);
	assert_int_equal(am_decode_status("{\"cluster\":{}}", 14, &in, err,
					  sizeof err), -1);
	assert_string_equal(err, "versionInfo.version: expected a string");
}

static void test_decode_silence_id(void **state)
{
	(void)state;
	char id[64], err[128];
	const char *b = "{\"silenceID\":\"325f08e1-9995-47aa-8042-0e6c31b39b0c\"}";
	assert_int_equal(am_decode_silence_id(b, strlen(b), id, sizeof id, err,
					      sizeof err), 0);
	assert_string_equal(id, "325f08e1-9995-47aa-8042-0e6c31b39b0c");
	assert_int_equal(am_decode_silence_id("{}", 2, id, sizeof id, err,
					      sizeof err), -1);
	assert_string_equal(err, "silenceID: expected a string");
	assert_string_equal(id, "");
	assert_true(am_silence_id_ok("325f08e1-9995-47aa-8042-0e6c31b39b0c"));
	assert_false(am_silence_id_ok("../../status"));
	assert_false(am_silence_id_ok("a b"));
	assert_false(am_silence_id_ok(""));
}

static void test_decode_alerts(void **state)
{
	(void)state;
	static const char body[] =
		"[{\"annotations\":{\"summary\":\"s\"},\"endsAt\":\"2026-11-22T02:14:50.190Z\","
		"\"fingerprint\":\"bec27b284e4dbe23\",\"receivers\":[{\"name\":\"null\"}],"
		"\"startsAt\":\"2026-11-22T02:09:50.190Z\",\"status\":{\"inhibitedBy\":[],"
		"\"silencedBy\":[\"325f08e1-9995-47aa-8042-0e6c31b39b0c\"],\"state\":\"suppressed\"},"
		"\"updatedAt\":\"2026-11-22T02:09:50.190Z\",\"labels\":{\"alertname\":\"BankDown\","
		"\"severity\":\"critical\",\"zh\":\"工商银行\"}},"
		"{\"fingerprint\":\"ffff\",\"labels\":7},{\"labels\":{}}]";
	am_alert_list l;
	char err[256];

	assert_int_equal(am_decode_alerts(body, strlen(body), "am-sh", &l, err,
					  sizeof err), 0);
	/* a fingerprint is enough to be kept (bad fields marked); an alert
	 * without one is refused */
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1].fingerprint, "ffff");
	assert_string_equal(api_bad_why(&l.items[1].bad, "labels"), "expected an object");
	assert_int_equal(l.rejected, 1);
	assert_non_null(strstr(l.reject_msg, "fingerprint: missing"));
	assert_string_equal(l.items[0].source, "am-sh");
	assert_string_equal(l.items[0].fingerprint, "bec27b284e4dbe23");
	assert_string_equal(l.items[0].state_raw, "suppressed");
	assert_int_equal(l.items[0].state, AST_FIRING);
	assert_int_equal(l.items[0].severity, AS_CRITICAL);
	assert_non_null(l.silenced_by[0]);
	assert_string_equal(l.silenced_by[0][0], "325f08e1-9995-47aa-8042-0e6c31b39b0c");
	assert_null(l.silenced_by[0][1]);
	am_alert_list_free(&l);
	assert_int_equal(am_decode_alerts("{\"data\":[]}", 11, "x", &l, err,
					  sizeof err), -1);
	assert_string_equal(err, "expected an array of alerts");
}

static void test_error_words(void **state)
{
	(void)state;
	http_response r;
	char what[300], out[400];

	memset(&r, 0, sizeof r);
	r.status = 0;
	r.curl_code = 7;
	r.error = "connection refused";
	r.body = "";
	am_response_words(&r, what, sizeof what);
	assert_string_equal(what, "connection refused");
	am_error_words("am-sh", "GET", "/api/v2/alerts", what, out, sizeof out);
	assert_string_equal(out, "alertmanager am-sh: GET /api/v2/alerts: connection refused");

	r.error = "";
	r.curl_code = 28;
	am_response_words(&r, what, sizeof what);
	assert_string_equal(what, "no response (transfer error 28)");

	static const struct {
		long status;
		const char *body, *want;
	} answers[] = {
		{ 422, "{\"code\":601,\"message\":\"silenceID in path must be of type uuid: \\\"x\\\"\"}",
		  "HTTP 422: silenceID in path must be of type uuid: \"x\"" },
		{ 500, "\"failed to create silence: no space left\"\n",
		  "HTTP 500: failed to create silence: no space left" },
		{ 502, "  <html>Bad Gateway\t(nginx)\r\nsecond line</html>",
		  "HTTP 502: <html>Bad Gateway (nginx)" },
		{ 503, "", "HTTP 503" },
		{ 200, "", "" },
	};
	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		r.status = answers[i].status;
		r.body = answers[i].body;
		r.body_len = strlen(answers[i].body);
		am_response_words(&r, what, sizeof what);
		assert_string_equal(what, answers[i].want);
	}

	/* a long message is cut on a character boundary */
	char big[400], msg[20];
	for (int i = 0; i < 100; i++)
		memcpy(big + 3 * i, "银", 3);
	big[300] = '\0';
	am_body_message(big, strlen(big), msg, sizeof msg);
	assert_int_equal(strlen(msg), 18);
	assert_true(text_utf8_valid(msg, strlen(msg)));
}

/* ---- refusals through the hub, on a real loop, nothing sent ---- */
static int calls;
static am_result last;

static void on_done(void *ctx, const am_result *r)
{
	calls++;
	last = *r;
	ev_stop(ctx);
}

static void stop_later(void *ctx)
{
	ev_stop(ctx);
}

/* Found by fuzzing: a byte count cut a character in half, and a proxy's
 * plain-text error in another encoding went on as it came. Whatever comes
 * in, what the decoders hand on is valid UTF-8. */
static void test_cut_never_splits_a_character(void **state)
{
	(void)state;
	char big[4096], err[256], out[200];
	/* a status whose version is 100 three-byte characters: cut to fit */
	size_t o = (size_t)snprintf(big, sizeof big, "{\"versionInfo\":{\"version\":\"");
	for (int i = 0; i < 100; i++)
		o += (size_t)snprintf(big + o, sizeof big - o, "\xe7\x89\x88");
	snprintf(big + o, sizeof big - o, "\"},\"cluster\":{\"status\":\"ready\"},\"uptime\":\"2026-11-22T00:00:00Z\"}");
	am_status_info st;
	memset(&st, 0, sizeof st);
	assert_int_equal(am_decode_status(big, strlen(big), &st, err, sizeof err), 0);
	assert_true(strlen(st.version) > 0);
	assert_true(text_utf8_valid(st.version, strlen(st.version)));
	/* an alert rejected, without a fingerprint, named by a long and
	 * wide title */
	o = (size_t)snprintf(big, sizeof big, "[{\"title\":\"");
	for (int i = 0; i < 90; i++)
		o += (size_t)snprintf(big + o, sizeof big - o, "\xef\xbf\xbd");
	snprintf(big + o, sizeof big - o, "\",\"labels\":7}]");
	am_alert_list l;
	memset(&l, 0, sizeof l);
	assert_int_equal(am_decode_alerts(big, strlen(big), "am", &l, err, sizeof err), 0);
	assert_int_equal(l.rejected, 1);
	assert_true(text_utf8_valid(l.reject_msg, strlen(l.reject_msg)));
	am_alert_list_free(&l);
	/* plain text in Latin-1: the bad bytes become U+FFFD */
	am_body_message("m\xe9lange \xff\xfe fail\nsecond line", 31, out, sizeof out);
	assert_true(text_utf8_valid(out, strlen(out)));
	assert_string_equal(out, "m\xef\xbf\xbdlange \xef\xbf\xbd\xef\xbf\xbd fail");
}

static void test_refusals(void **state)
{
	(void)state;
	char dir[64], db[128];
	struct audit_log *log;
	int64_t rows, last_seq;
	char head[65];

	audit_fx_open(dir, sizeof dir, "am-test", db, sizeof db, "audit.db", &log);

	ev_loop *ev = ev_new();
	http_client *http = http_new(ev, NULL);
	store *st = store_new();
	/* no audit log: refused, not sent */
	am_hub *h = am_hub_new(ev, http, st, NULL, NULL);
	am_server *s = am_hub_add(h, "am-x", "http://127.0.0.1:1/");
	assert_non_null(s);
	assert_null(am_hub_add(h, "am-x", "http://127.0.0.1:2"));
	assert_string_equal(am_server_state(s)->url, "http://127.0.0.1:1");
	api_alert a = mk_alert();

	calls = 0;
	assert_true(am_silence_create(s, &a, NULL, 0, 600, "op.x", "maint",
				      on_done, ev) > 0);
	assert_int_equal(calls, 0); /* never from inside the call */
	ev_run(ev);
	assert_int_equal(calls, 1);
	assert_int_equal(last.status, AM_OP_REFUSED);
	assert_string_equal(last.code, "audit_write_failed");
	assert_int_equal(last.intent_seq, 0);
	assert_int_equal(http_in_flight(http), 0);
	am_hub_free(h);

	/* with a log: invalid requests write nothing */
	h = am_hub_new(ev, http, st, log, NULL);
	s = am_hub_add(h, "am-x", "http://127.0.0.1:1");
	calls = 0;
	assert_true(am_silence_create(s, &a, NULL, 0, 600, "op.x", "", on_done, ev) > 0);
	ev_run(ev);
	assert_int_equal(last.status, AM_OP_REFUSED);
	assert_string_equal(last.code, "invalid_request");
	assert_true(am_silence_expire(s, "../status", "op.x", "r", on_done, ev) > 0);
	ev_run(ev);
	assert_string_equal(last.message, "not a silence id");
	assert_int_equal(calls, 2);
	assert_int_equal(audit_head(log, &rows, &last_seq, head), AUDIT_OK);
	assert_int_equal(rows, 0);

	/* an operation still in flight when the hub goes: no callback */
	assert_true(am_silence_create(s, &a, NULL, 0, 600, "op.x", "maint",
				      on_done, ev) > 0);
	assert_int_equal(am_in_flight(h), 1);
	am_hub_free(h);
	ev_timer_add(ev, 50, stop_later, ev);
	ev_run(ev);
	assert_int_equal(calls, 2);
	/* its intent is on record, without an outcome */
	assert_int_equal(audit_head(log, &rows, &last_seq, head), AUDIT_OK);
	assert_int_equal(rows, 1);

	api_alert_free(&a);
	http_free(http);
	store_free(st);
	ev_free(ev);
	audit_fx_close(log, db, dir);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_matchers_all_labels_round_trip),
	cmocka_unit_test(test_matchers_subset),
	cmocka_unit_test(test_silence_body_exact),
	cmocka_unit_test(test_silence_body_refusals),
	cmocka_unit_test(test_reason_checks_agree),
	cmocka_unit_test(test_matchers_text),
	cmocka_unit_test(test_decode_silences),
	cmocka_unit_test(test_decode_status),
	cmocka_unit_test(test_decode_silence_id),
	cmocka_unit_test(test_decode_alerts),
	cmocka_unit_test(test_error_words),
	cmocka_unit_test(test_refusals),
	cmocka_unit_test(test_cut_never_splits_a_character))
