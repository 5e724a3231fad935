/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/kinds.c: the object kinds `payops get` lists: their columns (the
 * contract's field names), each cell as text, and their sort keys. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/kinds.h"
#include "text/text.h"

static void num(char *b, size_t sz, double v)
{
	if (isnan(v))
		b[0] = '\0';
	else
		snprintf(b, sz, "%.6g", v);
}

static void when(char *b, size_t sz, time_t t)
{
	if (t)
		time_format_rfc3339(t, b, sz);
	else
		b[0] = '\0';
}

static void money(char *b, size_t sz, int64_t minor, const char *cur, bool human)
{
	if (human)
		money_format(minor, cur, b, sz);
	else
		snprintf(b, sz, "%lld", (long long)minor);
}

#define S(x) snprintf(b, sz, "%s", (x) ? (x) : "")
#define I(x) snprintf(b, sz, "%lld", (long long)(x))

static const char *const ch_cols[] = { "id", "name", "network", "admin_state",
	"health", "breaker", "tps", "system_success_rate", "business_success_rate",
	"latency_p95_ms", "traffic_share", "version", NULL };
static void ch_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_channel *x = o;
	(void)human;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->name); break;
	case 2: S(x->network_raw); break;
	case 3: S(x->admin_state_raw); break;
	case 4: S(x->health_raw); break;
	case 5: S(x->breaker_raw); break;
	case 6: num(b, sz, x->tps); break;
	case 7: num(b, sz, x->system_success_rate); break;
	case 8: num(b, sz, x->business_success_rate); break;
	case 9: num(b, sz, x->latency_p95_ms); break;
	case 10: num(b, sz, x->traffic_share); break;
	default: I(x->version); break;
	}
}

static const char *const rt_cols[] = { "id", "name", "strategy", "members",
	"override_expires_at", "version", NULL };
static void rt_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_route *x = o;
	(void)human;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->name); break;
	case 2: S(x->strategy_raw); break;
	case 3: {
		size_t n = 0;
		b[0] = '\0';
		for (size_t i = 0; i < x->n_members && n + 1 < sz; i++)
			n += (size_t)snprintf(b + n, sz - n, "%s%s=%d", i ? " " : "",
					      x->members[i].channel_id, x->members[i].weight_pct);
		break;
	}
	case 4: when(b, sz, x->override.present ? x->override.expires_at : 0); break;
	default: I(x->version); break;
	}
}

static const char *const al_cols[] = { "id", "severity", "state", "title",
	"starts_at", "ends_at", "acked_by", NULL };
static void al_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_alert *x = o;
	(void)human;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->severity_raw); break;
	case 2: S(x->state_raw); break;
	case 3: S(x->title); break;
	case 4: when(b, sz, x->starts_at); break;
	case 5: when(b, sz, x->ends_at); break;
	default: S(x->acked_by); break;
	}
}

static const char *const cs_cols[] = { "id", "merchant_id", "merchant_name",
	"stage", "risk_level", "assignee", "submitted_at", "sla_due_at", "version", NULL };
static void cs_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_case *x = o;
	(void)human;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->merchant_id); break;
	case 2: S(x->merchant_name); break;
	case 3: S(x->stage_raw); break;
	case 4: S(x->risk_level_raw); break;
	case 5: S(x->assignee); break;
	case 6: when(b, sz, x->submitted_at); break;
	case 7: when(b, sz, x->sla_due_at); break;
	default: I(x->version); break;
	}
}

static const char *const bk_cols[] = { "id", "recon_date", "channel_id", "type",
	"status", "severity", "platform_amount_minor", "channel_amount_minor",
	"difference_minor", "currency", "assignee", "version", NULL };
static void bk_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_break *x = o;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->recon_date); break;
	case 2: S(x->channel_id); break;
	case 3: S(x->type_raw); break;
	case 4: S(x->status_raw); break;
	case 5: S(x->severity_raw); break;
	case 6: money(b, sz, x->platform_amount_minor, x->currency, human); break;
	case 7: money(b, sz, x->channel_amount_minor, x->currency, human); break;
	case 8: money(b, sz, x->difference_minor, x->currency, human); break;
	case 9: S(x->currency); break;
	case 10: S(x->assignee); break;
	default: I(x->version); break;
	}
}

static const char *const lm_cols[] = { "id", "scope", "scope_id", "name", "period",
	"state", "limit_minor", "used_minor", "currency", "warn_at", "version", NULL };
static void lm_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_limit *x = o;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->scope_raw); break;
	case 2: S(x->scope_id); break;
	case 3: S(x->name); break;
	case 4: S(x->period_raw); break;
	case 5: S(x->state_raw); break;
	case 6: money(b, sz, x->limit_minor, x->currency, human); break;
	case 7: money(b, sz, x->used_minor, x->currency, human); break;
	case 8: S(x->currency); break;
	case 9: num(b, sz, x->warn_at); break;
	default: I(x->version); break;
	}
}

static const char *const ap_cols[] = { "id", "state", "kind", "target_type", "target_id",
	"effect", "requested_by", "requested_at", "expires_at", "decided_by", "decided_at",
	"decision_reason", "version", NULL };
static void ap_cell(const void *o, int c, bool human, char *b, size_t sz)
{
	const api_approval *x = o;
	(void)human;
	switch (c) {
	case 0: S(x->id); break;
	case 1: S(x->state_raw); break;
	case 2: S(x->kind); break;
	case 3: S(x->target_type); break;
	case 4: S(x->target_id); break;
	case 5: S(x->effect); break;
	case 6: S(x->requested_by); break;
	case 7: when(b, sz, x->requested_at); break;
	case 8: when(b, sz, x->expires_at); break;
	case 9: S(x->decided_by); break;
	case 10: when(b, sz, x->decided_at); break;
	case 11: S(x->decision_reason); break;
	default: I(x->version); break;
	}
}

static const char *ch_id(const void *o) { return ((const api_channel *)o)->id; }
static const char *rt_id(const void *o) { return ((const api_route *)o)->id; }
static const char *al_id(const void *o) { return ((const api_alert *)o)->id; }
static const char *cs_id(const void *o) { return ((const api_case *)o)->id; }
static const char *bk_id(const void *o) { return ((const api_break *)o)->id; }
static const char *lm_id(const void *o) { return ((const api_limit *)o)->id; }
static const char *ap_id(const void *o) { return ((const api_approval *)o)->id; }

static void cs_free(void *o) { api_case_free(o); }
static void bk_free(void *o) { api_break_free(o); }
static void lm_free(void *o) { api_limit_free(o); }

/* the cache's sorts, in the order of its enums */
static const char *const bk_sorts[] = { "detected", "difference", "severity",
	"date", "channel", "status", "id", NULL };
static const char *const cs_sorts[] = { "sla", "risk", "submitted", "stage", "id", NULL };
static const char *const lm_sorts[] = { "headroom", "utilisation", "state", "id", NULL };

const cli_kind cli_kinds[] = {
	{ "channels", API_KIND_CHANNEL, STORE_CHANNELS, -1, ch_cols, ch_cell, ch_id, NULL, 0, NULL },
	{ "routes", API_KIND_ROUTE, STORE_ROUTES, -1, rt_cols, rt_cell, rt_id, NULL, 0, NULL },
	{ "alerts", API_KIND_ALERT, STORE_ALERTS, -1, al_cols, al_cell, al_id, NULL, 0, NULL },
	{ "cases", API_KIND_CASE, STORE_CASES, QUEUE_CASES, cs_cols, cs_cell, cs_id,
	  cs_sorts, sizeof(api_case), cs_free },
	{ "breaks", API_KIND_BREAK, STORE_BREAKS, QUEUE_BREAKS, bk_cols, bk_cell, bk_id,
	  bk_sorts, sizeof(api_break), bk_free },
	{ "limits", API_KIND_LIMIT, STORE_LIMITS, QUEUE_LIMITS, lm_cols, lm_cell, lm_id,
	  lm_sorts, sizeof(api_limit), lm_free },
	{ "approvals", API_KIND_APPROVAL, STORE_APPROVALS, -1, ap_cols, ap_cell, ap_id, NULL, 0,
	  NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL, 0, NULL },
};

const char *const cli_kind_names[] = { "channels", "routes", "alerts", "cases",
	"breaks", "limits", "approvals", NULL };

const cli_kind *cli_kind_find(const char *name)
{
	for (const cli_kind *k = cli_kinds; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int cli_kind_ncols(const cli_kind *k)
{
	int n = 0;
	while (k->cols[n])
		n++;
	return n;
}
