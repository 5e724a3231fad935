/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/before.c: the state an action starts from, as the audit log's
 * intent row records it (admin_state=enabled, weights a=60,b=40, an
 * approval's pending request), read from the store unless the request
 * says it. */
#include <stdio.h>
#include <string.h>

#include "actions/act_int.h"

void act_state_before(const store *st, const act_request *r, char *out, size_t outsz)
{
	if (r->state_before) {
		snprintf(out, outsz, "%s", r->state_before);
		return;
	}
	*out = '\0';
	if (r->kind == ACT_CHANNEL) {
		const api_channel *ch = store_channel_find(st, r->target);
		if (!ch)
			return;
		if (r->interface && *r->interface) {
			for (size_t i = 0; i < ch->n_interfaces; i++)
				if (strcmp(ch->interfaces[i].name, r->interface) == 0)
					snprintf(out, outsz, "interface %s=%s", r->interface,
						 ch->interfaces[i].admin_state_raw);
		} else {
			snprintf(out, outsz, "admin_state=%s", ch->admin_state_raw);
		}
	} else if (r->kind == ACT_ROUTE_WEIGHTS) {
		const api_route *rt = store_route_find(st, r->target);
		if (!rt)
			return;
		size_t o = 0;
		int n = snprintf(out, outsz, "weights ");
		for (size_t i = 0; n >= 0 && (size_t)n < outsz - o && i < rt->n_members; i++) {
			o += (size_t)n;
			n = snprintf(out + o, outsz - o, "%s%s=%d", i ? "," : "", rt->members[i].channel_id,
				     rt->members[i].weight_pct);
		}
	} else if (r->kind == ACT_APPROVAL_DECISION) {
		act_approval_before(st, r->target, out, outsz);
	}
}
