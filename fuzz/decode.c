/* SPDX-License-Identifier: ISC (see COPYING) */
/* fuzz/decode.c: libFuzzer target for everything that reads platform JSON.
 *
 * The first byte picks the decoder (a page of each kind, the Alertmanager
 * array, problem+json, a single object of each type); the rest is the body.
 * Every successfully decoded string must be valid UTF-8, and freeing twice
 * must be harmless.
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

static void check_channel(const api_channel *c)
{
	size_t i;

	check_str(c->id);
	check_str(c->name);
	check_str(c->link_id);
	for (i = 0; i < c->n_top_errors; i++)
		check_str(c->top_errors[i].message);
	if (!(c->system_success_rate >= 0 && c->system_success_rate <= 1) &&
	    c->system_success_rate == c->system_success_rate)
		abort(); /* neither NAN nor in 0..1 */
}

static void single(unsigned which, const char *body, size_t len)
{
	json_t *j = NULL;
	api_err e;

	if (api_parse(body, len, &j, &e) != 0)
		return;
	switch (which) {
	case 0: {
		api_channel o, c;
		if (api_decode_channel(j, &o, &e) == 0) {
			check_channel(&o);
			if (api_channel_copy(&c, &o) == 0)
				api_channel_free(&c);
		}
		api_channel_free(&o);
		api_channel_free(&o);
		break;
	}
	case 1: {
		api_route o, c;
		if (api_decode_route(j, &o, &e) == 0 && api_route_copy(&c, &o) == 0)
			api_route_free(&c);
		api_route_free(&o);
		break;
	}
	case 2: { api_case o; api_decode_case(j, &o, &e); api_case_free(&o); break; }
	case 3: { api_break o; api_decode_break(j, &o, &e); api_break_free(&o); break; }
	case 4: { api_limit o; api_decode_limit(j, &o, &e); api_limit_free(&o); break; }
	case 5: { api_alert o; api_decode_alert(j, &o, &e); api_alert_free(&o); break; }
	case 6: {
		api_alert o;
		if (api_decode_am_alert(j, "am", &o, &e) == 0)
			check_str(o.title);
		api_alert_free(&o);
		break;
	}
	case 7: { api_status o; api_decode_status(j, &o, &e); api_status_free(&o); break; }
	case 8: { api_me o; api_decode_me(j, &o, &e); api_me_free(&o); break; }
	case 9: { api_history o; api_decode_history(j, &o, &e); api_history_free(&o); break; }
	default: {
		api_recon_summary o;
		api_decode_recon_summary(j, &o, &e);
		api_recon_summary_free(&o);
		break;
	}
	}
	check_str(e.msg);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	body = (const char *)data + 1;
	size--;
	if (sel < 6) {
		api_page p;
		api_err e;
		size_t i;
		if (api_decode_page(body, size, (api_kind)sel, &p, &e) == 0) {
			if (p.kind == API_KIND_CHANNEL)
				for (i = 0; i < p.n; i++)
					check_channel(&((api_channel *)p.items)[i]);
			check_str(p.reject_msg);
			check_str(p.next_cursor);
		}
		api_page_free(&p);
	} else if (sel == 6) {
		api_page p;
		api_err e;
		api_decode_am_alerts(body, size, "am", &p, &e);
		api_page_free(&p);
	} else if (sel == 7) {
		api_problem p;
		if (api_decode_problem(body, size, &p) == 0) {
			check_str(p.detail);
			check_str(p.current_json);
		}
		api_problem_free(&p);
	} else {
		single((sel - 8) % 11, body, size);
	}
	return 0;
}
