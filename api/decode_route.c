/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/decode_route.c: route groups and their members. */
#include <string.h>

#include "api/dec.h"

static int dec_override(dec *d, const json_t *v, void *p)
{
	api_override *o = p;

	TRY(dec_str(d, v, "set_by", D_REQ, &o->set_by));
	TRY(dec_str(d, v, "reason", D_REQ, &o->reason));
	TRY(dec_str(d, v, "ticket", D_NULLSTR, &o->ticket));
	TRY(dec_time(d, v, "expires_at", D_NULL, &o->expires_at));
	return 0;
fail:
	return -1;
}

int dec_route(dec *d, const json_t *j, api_route *o)
{
	const json_t *a, *v;
	size_t i, m;
	int rc;

	TRY(dec_open(d, j, o, sizeof *o, &o->bad, &o->id));
	o->version = -1;
	TRY(dec_str(d, j, "name", D_REQ, &o->name));
	DEC_ENUM(d, j, o, strategy, api_strategy_names, STRAT_UNKNOWN);
	a = dec_array(d, j, "members", D_REQ, &rc);
	TRY(rc);
	o->members = dec_calloc(d, json_array_size(a), sizeof *o->members);
	if (!o->members)
		goto fail;
	m = dec_key(d, "members");
	json_array_foreach(a, i, v) {
		/* every member keeps its place (views mark members by their
		 * index); one that is not an object stays an empty member,
		 * marked, and the editor refuses to reweight the group */
		api_route_member *mb = &o->members[i];
		size_t mi = dec_index(d, i);
		int r = dec_elem(d, v);
		o->n_members = i + 1;
		if (r < 0)
			goto fail;
		if (r == 0) {
			if (!(mb->channel_id = strdup(""))) {
				dec_fail(d, "out of memory");
				goto fail;
			}
			dec_pop(d, mi);
			continue;
		}
		TRY(dec_id(d, v, "channel_id", &mb->channel_id));
		TRY(dec_int(d, v, "weight_pct", D_REQ, 0, 100, &mb->weight_pct));
		TRY(dec_bool(d, v, "eligible", D_REQ, &mb->eligible));
		dec_pop(d, mi);
	}
	dec_pop(d, m);
	TRY(dec_optional(d, j, "override", &o->override.present, dec_override, &o->override));
	TRY(dec_i64(d, j, "version", D_REQ, 0, INT64_MAX, &o->version));
	return 0;
fail:
	api_route_free(o);
	return -1;
}
