/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/effect.c: the exact effect of a channel action, in words, for the
 * confirmation dialog: the state change, the traffic it carries now, and for
 * every route group it sits in, where that route's share goes (redistributed
 * over the remaining eligible members in proportion to their weights, with
 * the largest remainder rounding the platform uses). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions/act_int.h"
#include "base/i18n.h"

typedef struct {
	char *p;
	size_t left;
	int bad;
} obuf;

static void put(obuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(obuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->p, b->left, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->left) {
		b->bad = 1;
		/* keep what fitted, terminated */
		b->p += b->left ? b->left - 1 : 0;
		b->left = b->left ? 1 : 0;
		return;
	}
	b->p += n;
	b->left -= (size_t)n;
}

static const char *state_after(act_channel_verb v)
{
	switch (v) {
	case ACT_CH_ENABLE: return "enabled";
	case ACT_CH_DISABLE: return "disabled";
	case ACT_CH_DRAIN: return "draining";
	case ACT_CH_QUARANTINE: return "quarantined";
	case ACT_CH_RELEASE: return "disabled";
	}
	return "?";
}

static bool takes_traffic(act_channel_verb v)
{
	return v == ACT_CH_DISABLE || v == ACT_CH_DRAIN || v == ACT_CH_QUARANTINE;
}

/* New weights of r once member `gone` carries nothing: proportional to the
 * other eligible members' weights (equal shares when they have none), the
 * rounding remainder going to the largest fractions first. Returns the
 * number of members that receive traffic. */
static size_t redistribute(const api_route *r, size_t gone, int *nw)
{
	double exact[64], rem[64];
	size_t n = r->n_members < 64 ? r->n_members : 64, ne = 0;
	long base = 0;
	for (size_t k = 0; k < n; k++)
		if (k != gone && r->members[k].eligible) {
			ne++;
			base += r->members[k].weight_pct;
		}
	int got = 0;
	for (size_t k = 0; k < n; k++) {
		nw[k] = 0;
		rem[k] = -1;
		if (k == gone || !r->members[k].eligible || ne == 0)
			continue;
		exact[k] = base > 0 ? 100.0 * r->members[k].weight_pct / (double)base : 100.0 / (double)ne;
		nw[k] = (int)floor(exact[k] + 1e-9);
		rem[k] = exact[k] - nw[k];
		got += nw[k];
	}
	while (ne > 0 && got < 100) {
		size_t best = n;
		for (size_t k = 0; k < n; k++)
			if (rem[k] >= 0 && (best == n || rem[k] > rem[best]))
				best = k;
		if (best == n)
			break;
		nw[best]++;
		rem[best] = -2;
		got++;
	}
	return ne;
}

int act_describe_channel_effect(const store *st, const char *channel_id, act_channel_verb verb,
				const char *interface, double confirm_share, char *out, size_t outsz,
				bool *type_id)
{
	const api_channel *c = st && channel_id ? store_channel_find(st, channel_id) : NULL;
	if (type_id)
		*type_id = false;
	if (!c || !out || outsz == 0)
		return -1;
	if (confirm_share <= 0)
		confirm_share = 0.05;
	obuf b = {out, outsz, 0};
	*out = '\0';
	bool one_iface = interface && *interface;
	if (one_iface) {
		const char *cur = _("(none)");
		for (size_t i = 0; i < c->n_interfaces; i++)
			if (strcmp(c->interfaces[i].name, interface) == 0)
				cur = c->interfaces[i].admin_state_raw;
		/* TRANSLATORS: channel id, interface name, admin state now -> after (enum values) */
		put(&b, _("%s interface %s: %s -> %s\n"), c->id, interface, cur, state_after(verb));
	} else {
		put(&b, "%s: %s -> %s\n", c->id, c->admin_state_raw, state_after(verb));
	}
	if (isnan(c->tps))
		put(&b, _("carries %.1f%% of traffic, TPS not measured"), 100.0 * c->traffic_share);
	else
		put(&b, _("carries %.1f%% of traffic, %.1f TPS"), 100.0 * c->traffic_share, c->tps);
	if (one_iface) {
		put(&b, _("\nroutes unchanged: only the %s interface is switched"), interface);
	} else {
		for (size_t i = 0; i < store_route_count(st); i++) {
			const api_route *r = store_route_at(st, i);
			size_t me = r->n_members;
			for (size_t k = 0; k < r->n_members && k < 64; k++)
				if (strcmp(r->members[k].channel_id, c->id) == 0)
					me = k;
			if (me == r->n_members)
				continue;
			const api_route_member *m = &r->members[me];
			if (takes_traffic(verb)) {
				if (m->weight_pct <= 0) {
					put(&b, _("\nroute %s: already 0%%, unchanged"), r->id);
					continue;
				}
				int nw[64];
				size_t ne = redistribute(r, me, nw);
				put(&b, _("\nroute %s loses %d%%"), r->id, m->weight_pct);
				if (ne == 0) {
					put(&b, "%s", _(" -> no eligible member left: the route carries nothing"));
					continue;
				}
				put(&b, " ->");
				int first = 1;
				for (size_t k = 0; k < r->n_members && k < 64; k++)
					if (k != me && nw[k] != r->members[k].weight_pct) {
						put(&b, "%s %s %d%%->%d%%", first ? "" : ",", r->members[k].channel_id,
						    r->members[k].weight_pct, nw[k]);
						first = 0;
					}
			} else if (verb == ACT_CH_ENABLE && !m->eligible) {
				put(&b, _("\nroute %s: %s becomes eligible again (weights move when the platform "
				      "sees it healthy)"), r->id, c->id);
			} else if (verb == ACT_CH_RELEASE) {
				put(&b, _("\nroute %s: stays at 0%% until the channel is enabled"), r->id);
			}
		}
	}
	if (type_id && !one_iface && takes_traffic(verb) && c->traffic_share > confirm_share)
		*type_id = true;
	(void)b.bad;
	return (int)strlen(out);
}
