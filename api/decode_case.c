/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_case.c: merchant onboarding cases. */
#include <limits.h>
#include <string.h>

#include "api/dec.h"

static int dec_check(dec *d, const json_t *v, void *item)
{
	api_check *c = item;

	TRY(dec_id(d, v, "name", &c->name));
	DEC_ENUM(d, v, c, result, api_check_result_names, CHECK_UNKNOWN);
	TRY(dec_str(d, v, "detail", D_NULLSTR, &c->detail));
	return 0;
fail:
	return -1;
}

int dec_case(dec *d, const json_t *j, api_case *o)
{
	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	o->risk_score = -1;
	o->version = -1;
	TRY(dec_id(d, j, "merchant_id", &o->merchant_id));
	TRY(dec_str(d, j, "merchant_name", D_REQ, &o->merchant_name));
	TRY(dec_str(d, j, "mcc", D_NULLSTR, &o->mcc));
	TRY(dec_str(d, j, "category", D_NULLSTR, &o->category));
	TRY(dec_str(d, j, "channel_requested", D_NULLSTR, &o->channel_requested));
	DEC_ENUM(d, j, o, source, api_source_names, SRC_UNKNOWN);
	DEC_ENUM(d, j, o, stage, api_stage_names, STAGE_UNKNOWN);
	DEC_ENUM(d, j, o, risk_level, api_risk_names, RISK_UNKNOWN);
	TRY(dec_int(d, j, "risk_score", D_NULL, 0, INT_MAX, &o->risk_score));
	TRY(dec_list(d, j, "checks", sizeof *o->checks, &o->checks, &o->n_checks,
		     NULL, dec_check));
	TRY(dec_time(d, j, "submitted_at", D_REQ, &o->submitted_at));
	TRY(dec_time(d, j, "sla_due_at", D_REQ | D_NULL, &o->sla_due_at));
	TRY(dec_str(d, j, "assignee", D_NULL, &o->assignee));
	TRY(dec_i64(d, j, "version", D_REQ, 0, INT64_MAX, &o->version));
	TRY(dec_time(d, j, "updated_at", D_NULL, &o->updated_at));
	return 0;
fail:
	api_case_free(o);
	return -1;
}
