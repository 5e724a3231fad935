/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_limit.c: settlement, exposure and reserve-fund limits. */
#include <string.h>

#include "api/dec.h"

int dec_limit(dec *d, const json_t *j, api_limit *o)
{
	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	o->version = -1;
	DEC_ENUM(d, j, o, scope, api_limit_scope_names, SCOPE_UNKNOWN);
	TRY(dec_str(d, j, "scope_id", D_REQ, &o->scope_id));
	TRY(dec_str(d, j, "name", D_REQ, &o->name));
	DEC_ENUM(d, j, o, period, api_period_names, PERIOD_UNKNOWN);
	TRY(dec_i64(d, j, "limit_minor", D_REQ, 0, INT64_MAX, &o->limit_minor));
	TRY(dec_i64(d, j, "used_minor", D_REQ, INT64_MIN, INT64_MAX,
		    &o->used_minor));
	TRY(dec_currency(d, j, "currency", o->currency));
	TRY(dec_num(d, j, "warn_at", D_REQ, 0.0, 1.0, &o->warn_at));
	DEC_ENUM(d, j, o, state, api_limit_state_names, LS_UNKNOWN);
	/* a per-transaction ("single") limit never resets */
	TRY(dec_time(d, j, "resets_at", D_NULL, &o->resets_at));
	TRY(dec_i64(d, j, "version", D_REQ, 0, INT64_MAX, &o->version));
	return 0;
fail:
	api_limit_free(o);
	return -1;
}
