/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/decode/approval_test.c: the approval object (four eyes, contract
 * v1.1) and its list: the contract's example, a decided and a failed one,
 * unknown states, refused fields kept, copies; and the store keeping them
 * (an older version never replaces a newer one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/decode.h"
#include "tests/decode/fixture.h"
#include "store/store.h"
#include "text/text.h"
#include "tests/lib/unit.h"

#define SAMPLE_APPROVAL \
	"{\"id\": \"apr_000042\", \"state\": \"pending\", \"kind\": \"channel.quarantine\"," \
	" \"target_type\": \"channel\", \"target_id\": \"unionpay.qr\"," \
	" \"request\": {\"action\": \"quarantine\", \"interface\": null, \"reason\": \"fraud spike\"," \
	" \"ticket\": \"INC-2041\"}," \
	" \"effect\": \"unionpay.qr: enabled -> quarantined; carries 8.4% of traffic\"," \
	" \"target_version\": 43, \"requested_by\": \"op.zhang\"," \
	" \"requested_at\": \"2026-11-21T08:15:00Z\", \"expires_at\": \"2026-11-21T08:30:00Z\"," \
	" \"decided_by\": null, \"decided_at\": null, \"decision_reason\": null," \
	" \"result\": null, \"version\": 1, \"future_field\": [1, 2]}"

static void test_pending(void **state)
{
	json_t *j = J(SAMPLE_APPROVAL);
	api_approval o;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_approval(j, &o, &e), 0);
	assert_string_equal(o.id, "apr_000042");
	assert_int_equal(o.state, APR_PENDING);
	assert_string_equal(o.state_raw, "pending");
	assert_string_equal(o.kind, "channel.quarantine");
	assert_string_equal(o.target_type, "channel");
	assert_string_equal(o.target_id, "unionpay.qr");
	assert_string_equal(o.req_action, "quarantine");
	assert_string_equal(o.req_interface, "");
	assert_string_equal(o.req_reason, "fraud spike");
	assert_string_equal(o.req_ticket, "INC-2041");
	assert_non_null(strstr(o.request_json, "\"ticket\":\"INC-2041\""));
	assert_string_equal(o.effect, "unionpay.qr: enabled -> quarantined; carries 8.4% of traffic");
	assert_int_equal(o.target_version, 43);
	assert_string_equal(o.requested_by, "op.zhang");
	assert_true(o.requested_at == T("2026-11-21T08:15:00Z"));
	assert_true(o.expires_at == T("2026-11-21T08:30:00Z"));
	assert_null(o.decided_by);
	assert_true(o.decided_at == 0);
	assert_null(o.decision_reason);
	assert_null(o.result_json);
	assert_null(o.result_code);
	assert_int_equal(o.version, 1);
	assert_int_equal(api_bad_count(&o.bad), 0);

	api_approval c;
	assert_int_equal(api_approval_copy(&c, &o), 0);
	api_approval_free(&o);
	assert_null(o.id);
	assert_string_equal(c.req_ticket, "INC-2041");
	assert_string_equal(c.effect, "unionpay.qr: enabled -> quarantined; carries 8.4% of traffic");
	api_approval_free(&c);
	api_approval_free(&c); /* idempotent */
	json_decref(j);
}

static void test_decided_and_failed(void **state)
{
	json_t *j = J(SAMPLE_APPROVAL);
	api_approval o;
	api_err e;

	(void)state;
	json_object_set_new(j, "state", json_string("approved"));
	json_object_set_new(j, "decided_by", json_string("op.li"));
	json_object_set_new(j, "decided_at", json_string("2026-11-21T08:20:00Z"));
	json_object_set_new(j, "decision_reason", json_string("seen the graphs"));
	json_object_set_new(j, "result", json_pack("{s:s,s:s,s:i}", "id", "unionpay.qr",
						   "admin_state", "quarantined", "version", 44));
	json_object_set_new(j, "version", json_integer(2));
	assert_int_equal(api_decode_approval(j, &o, &e), 0);
	assert_int_equal(o.state, APR_APPROVED);
	assert_string_equal(o.decided_by, "op.li");
	assert_true(o.decided_at == T("2026-11-21T08:20:00Z"));
	assert_string_equal(o.decision_reason, "seen the graphs");
	assert_non_null(strstr(o.result_json, "\"admin_state\":\"quarantined\""));
	assert_null(o.result_code); /* only a failed one's result is a problem */
	api_approval_free(&o);

	json_object_set_new(j, "state", json_string("failed"));
	json_object_set_new(j, "result", json_pack("{s:s,s:s,s:i}", "code", "version_conflict",
						   "detail", "unionpay.qr moved to disabled", "status", 409));
	assert_int_equal(api_decode_approval(j, &o, &e), 0);
	assert_int_equal(o.state, APR_FAILED);
	assert_string_equal(o.result_code, "version_conflict");
	assert_string_equal(o.result_detail, "unionpay.qr moved to disabled");
	api_approval_free(&o);

	/* a state this console does not know is kept, marked unknown */
	json_object_set_new(j, "state", json_string("escalated"));
	assert_int_equal(api_decode_approval(j, &o, &e), 0);
	assert_int_equal(o.state, APR_UNKNOWN);
	assert_string_equal(o.state_raw, "escalated");
	assert_string_equal(api_approval_state_str(o.state), "?");
	api_approval_free(&o);
	json_decref(j);
}

static void test_bad_fields(void **state)
{
	json_t *j = J(SAMPLE_APPROVAL);
	api_approval o;
	api_err e;

	(void)state;
	/* kept with the field refused and named */
	json_object_set_new(j, "target_version", json_string("43"));
	json_object_set_new(j, "request", json_integer(7));
	assert_int_equal(api_decode_approval(j, &o, &e), 0);
	assert_int_equal(o.target_version, -1);
	assert_true(api_bad_has(&o.bad, "target_version"));
	assert_true(api_bad_has(&o.bad, "request"));
	assert_string_equal(o.request_json, "{}");
	assert_string_equal(o.req_reason, "");
	api_approval_free(&o);

	/* without an id it cannot be decided on: dropped */
	json_object_del(j, "id");
	assert_int_equal(api_decode_approval(j, &o, &e), -1);
	assert_non_null(strstr(e.msg, "id"));
	json_decref(j);
}

static void test_page(void **state)
{
	const char *body = "{\"data\": [" SAMPLE_APPROVAL ", {\"state\": \"pending\"}],"
			   " \"next_cursor\": null}";
	api_page p;
	api_err e;

	(void)state;
	assert_int_equal(api_decode_page(body, strlen(body), API_KIND_APPROVAL, &p, &e), 0);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.n_rejected, 1);
	assert_string_equal(((api_approval *)p.items)[0].id, "apr_000042");
	assert_null(p.next_cursor);
	api_page_free(&p);
}

static void decode_into(const char *state_name, int64_t version, api_approval *o)
{
	json_t *j = J(SAMPLE_APPROVAL);
	api_err e;
	json_object_set_new(j, "state", json_string(state_name));
	json_object_set_new(j, "version", json_integer(version));
	assert_int_equal(api_decode_approval(j, o, &e), 0);
	json_decref(j);
}

static void test_store(void **state)
{
	store *st = store_new();
	api_approval a;

	(void)state;
	decode_into("pending", 1, &a);
	uint64_t g0 = store_meta_get(st, STORE_APPROVALS)->gen;
	store_approval_upsert(st, &a, 0);
	assert_null(a.id);
	assert_int_equal(store_approval_count(st), 1);
	uint64_t g1 = store_meta_get(st, STORE_APPROVALS)->gen;
	assert_true(g1 > g0);

	/* the decision arrives by the stream... */
	decode_into("approved", 2, &a);
	store_approval_upsert(st, &a, 0);
	assert_int_equal(store_approval_find(st, "apr_000042")->state, APR_APPROVED);
	/* ...and an older poll answer never takes it back */
	api_approval *items = calloc(1, sizeof *items);
	assert_non_null(items);
	decode_into("pending", 1, &items[0]);
	store_approvals_replace(st, items, 1, NULL, 0, 0);
	assert_int_equal(store_approval_count(st), 1);
	assert_int_equal(store_approval_at(st, 0)->state, APR_APPROVED);
	/* several held, listed again unchanged: each keeps its copy (the
	 * lookups run over the held set while it is being taken apart) */
	for (int round = 0; round < 2; round++) {
		items = calloc(3, sizeof *items);
		assert_non_null(items);
		for (int k = 0; k < 3; k++) {
			decode_into(k == 0 ? "approved" : "pending", k == 0 ? 2 : 1, &items[k]);
			free(items[k].id);
			items[k].id = strdup(k == 0 ? "apr_000042" : k == 1 ? "apr_000043" : "apr_000044");
		}
		store_approvals_replace(st, items, 3, NULL, 0, 0);
		assert_int_equal(store_approval_count(st), 3);
		assert_string_equal(store_approval_at(st, 2)->id, "apr_000044");
	}
	/* a list without them: gone */
	store_approvals_replace(st, calloc(1, sizeof(api_approval)), 0, NULL, 0, 0);
	assert_int_equal(store_approval_count(st), 0);
	assert_null(store_approval_find(st, "apr_000042"));
	store_free(st);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test(test_pending),
	cmocka_unit_test(test_decided_and_failed),
	cmocka_unit_test(test_bad_fields),
	cmocka_unit_test(test_page),
	cmocka_unit_test(test_store))
