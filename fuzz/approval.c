/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/approval.c: libFuzzer target for the approval decoder (contract
 * v1.1): one approval object (an `approval` event, a decision's answer)
 * and a page of them (GET /v1/approvals).
 *
 * The first byte picks which; the rest is the body. Every decoded string
 * must be valid UTF-8, the request and result kept as JSON must parse
 * again, a copy must equal the original where it matters, and freeing
 * twice must be harmless.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/decode.h"
#include "text/text.h"

static void check_str(const char *s)
{
	if (s && !text_utf8_valid(s, strlen(s)))
		abort();
}

static void check_json(const char *s)
{
	json_t *j = NULL;
	api_err e;

	if (!s)
		return;
	check_str(s);
	if (api_parse(s, strlen(s), &j, &e) != 0)
		abort(); /* kept as JSON text: it must read back */
	json_decref(j);
}

static void check_same(const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		abort();
}

static void check_approval(const api_approval *a)
{
	api_approval c;
	const char *const strs[] = { a->id, a->state_raw, a->kind, a->target_type,
		a->target_id, a->req_action, a->req_interface, a->req_reason, a->req_ticket,
		a->effect, a->requested_by, a->decided_by, a->decision_reason, a->result_code,
		a->result_detail };

	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		check_str(strs[i]);
	check_json(a->request_json);
	check_json(a->result_json);
	if (a->state > APR_UNKNOWN)
		abort();
	if (api_approval_copy(&c, a) != 0)
		return;
	check_same(c.id, a->id);
	check_same(c.request_json, a->request_json);
	check_same(c.result_json, a->result_json);
	check_same(c.decision_reason, a->decision_reason);
	if (c.version != a->version || c.state != a->state || c.expires_at != a->expires_at)
		abort();
	api_approval_free(&c);
	api_approval_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	api_err e;

	if (size < 1)
		return 0;
	body = (const char *)data + 1;
	size--;
	if (data[0] & 1) {
		api_page p;
		size_t i;
		if (api_decode_page(body, size, API_KIND_APPROVAL, &p, &e) == 0) {
			for (i = 0; i < p.n; i++)
				check_approval(&((api_approval *)p.items)[i]);
			check_str(p.reject_msg);
			check_str(p.next_cursor);
		}
		api_page_free(&p);
	} else {
		json_t *j = NULL;
		api_approval a = {0};
		if (api_parse(body, size, &j, &e) != 0)
			return 0;
		if (api_decode_approval(j, &a, &e) == 0)
			check_approval(&a);
		api_approval_free(&a);
		api_approval_free(&a);
		json_decref(j);
	}
	return 0;
}
