/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/kinds.c: the object kinds `payops get` lists: their columns (the
 * contract's field names), each cell as text, and their sort keys. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
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

/* A column's cell: how to read it from the object. The columns of each
 * kind below go in the order of its names. */
enum { F_STR, F_CHARS, F_NUM, F_WHEN, F_INT, F_MONEY, F_FN };
struct cli_field {
	int type;
	size_t off;            /* of the member */
	size_t cur;            /* F_MONEY: of the currency (char[4]) */
	void (*fn)(const void *obj, char *b, size_t sz); /* F_FN */
};
#define F(t, m) { t, offsetof(FT, m), 0, NULL }
#define M(m) { F_MONEY, offsetof(FT, m), offsetof(FT, currency), NULL }
#define FN(f) { F_FN, 0, 0, f }
#define NAMES_MATCH(cols, fields) \
	_Static_assert(sizeof cols / sizeof *cols == sizeof fields / sizeof *fields + 1, \
		       #fields " has a cell per name")

void cli_kind_cell(const cli_kind *k, const void *o, int c, bool human, char *b, size_t sz)
{
	const cli_field *f = &k->fields[c];
	const char *p = (const char *)o + f->off;
	switch (f->type) {
	case F_STR: snprintf(b, sz, "%s", *(char *const *)p ? *(char *const *)p : ""); break;
	case F_CHARS: snprintf(b, sz, "%s", p); break;
	case F_NUM: num(b, sz, *(const double *)p); break;
	case F_WHEN: when(b, sz, *(const time_t *)p); break;
	case F_INT: snprintf(b, sz, "%lld", (long long)*(const int64_t *)p); break;
	case F_MONEY: money(b, sz, *(const int64_t *)p, (const char *)o + f->cur, human); break;
	default: f->fn(o, b, sz); break;
	}
}

static const char *const ch_cols[] = { "id", "name", "network", "admin_state",
	"health", "breaker", "tps", "system_success_rate", "business_success_rate",
	"latency_p95_ms", "traffic_share", "version", NULL };
#define FT api_channel
static const cli_field ch_fields[] = { F(F_STR, id), F(F_STR, name),
	F(F_STR, network_raw), F(F_STR, admin_state_raw), F(F_STR, health_raw),
	F(F_STR, breaker_raw), F(F_NUM, tps), F(F_NUM, system_success_rate),
	F(F_NUM, business_success_rate), F(F_NUM, latency_p95_ms),
	F(F_NUM, traffic_share), F(F_INT, version) };
#undef FT
NAMES_MATCH(ch_cols, ch_fields);

static void rt_members(const void *o, char *b, size_t sz)
{
	const api_route *x = o;
	size_t n = 0;
	b[0] = '\0';
	for (size_t i = 0; i < x->n_members && n + 1 < sz; i++)
		n += (size_t)snprintf(b + n, sz - n, "%s%s=%d", i ? " " : "",
				      x->members[i].channel_id, x->members[i].weight_pct);
}

static void rt_override(const void *o, char *b, size_t sz)
{
	const api_route *x = o;
	when(b, sz, x->override.present ? x->override.expires_at : 0);
}

static const char *const rt_cols[] = { "id", "name", "strategy", "members",
	"override_expires_at", "version", NULL };
#define FT api_route
static const cli_field rt_fields[] = { F(F_STR, id), F(F_STR, name),
	F(F_STR, strategy_raw), FN(rt_members), FN(rt_override), F(F_INT, version) };
#undef FT
NAMES_MATCH(rt_cols, rt_fields);

static const char *const al_cols[] = { "id", "severity", "state", "title",
	"starts_at", "ends_at", "acked_by", NULL };
#define FT api_alert
static const cli_field al_fields[] = { F(F_STR, id), F(F_STR, severity_raw),
	F(F_STR, state_raw), F(F_STR, title), F(F_WHEN, starts_at),
	F(F_WHEN, ends_at), F(F_STR, acked_by) };
#undef FT
NAMES_MATCH(al_cols, al_fields);

static const char *const cs_cols[] = { "id", "merchant_id", "merchant_name",
	"stage", "risk_level", "assignee", "submitted_at", "sla_due_at", "version", NULL };
#define FT api_case
static const cli_field cs_fields[] = { F(F_STR, id), F(F_STR, merchant_id),
	F(F_STR, merchant_name), F(F_STR, stage_raw), F(F_STR, risk_level_raw),
	F(F_STR, assignee), F(F_WHEN, submitted_at), F(F_WHEN, sla_due_at),
	F(F_INT, version) };
#undef FT
NAMES_MATCH(cs_cols, cs_fields);

static const char *const bk_cols[] = { "id", "recon_date", "channel_id", "type",
	"status", "severity", "platform_amount_minor", "channel_amount_minor",
	"difference_minor", "currency", "assignee", "version", NULL };
#define FT api_break
static const cli_field bk_fields[] = { F(F_STR, id), F(F_STR, recon_date),
	F(F_STR, channel_id), F(F_STR, type_raw), F(F_STR, status_raw),
	F(F_STR, severity_raw), M(platform_amount_minor), M(channel_amount_minor),
	M(difference_minor), F(F_CHARS, currency), F(F_STR, assignee),
	F(F_INT, version) };
#undef FT
NAMES_MATCH(bk_cols, bk_fields);

static const char *const lm_cols[] = { "id", "scope", "scope_id", "name", "period",
	"state", "limit_minor", "used_minor", "currency", "warn_at", "version", NULL };
#define FT api_limit
static const cli_field lm_fields[] = { F(F_STR, id), F(F_STR, scope_raw),
	F(F_STR, scope_id), F(F_STR, name), F(F_STR, period_raw), F(F_STR, state_raw),
	M(limit_minor), M(used_minor), F(F_CHARS, currency), F(F_NUM, warn_at),
	F(F_INT, version) };
#undef FT
NAMES_MATCH(lm_cols, lm_fields);

static const char *const ap_cols[] = { "id", "state", "kind", "target_type", "target_id",
	"effect", "requested_by", "requested_at", "expires_at", "decided_by", "decided_at",
	"decision_reason", "version", NULL };
#define FT api_approval
static const cli_field ap_fields[] = { F(F_STR, id), F(F_STR, state_raw),
	F(F_STR, kind), F(F_STR, target_type), F(F_STR, target_id), F(F_STR, effect),
	F(F_STR, requested_by), F(F_WHEN, requested_at), F(F_WHEN, expires_at),
	F(F_STR, decided_by), F(F_WHEN, decided_at), F(F_STR, decision_reason),
	F(F_INT, version) };
#undef FT
NAMES_MATCH(ap_cols, ap_fields);

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
	{ "channels", API_KIND_CHANNEL, STORE_CHANNELS, -1, ch_cols, ch_fields, ch_id, NULL, 0, NULL },
	{ "routes", API_KIND_ROUTE, STORE_ROUTES, -1, rt_cols, rt_fields, rt_id, NULL, 0, NULL },
	{ "alerts", API_KIND_ALERT, STORE_ALERTS, -1, al_cols, al_fields, al_id, NULL, 0, NULL },
	{ "cases", API_KIND_CASE, STORE_CASES, QUEUE_CASES, cs_cols, cs_fields, cs_id,
	  cs_sorts, sizeof(api_case), cs_free },
	{ "breaks", API_KIND_BREAK, STORE_BREAKS, QUEUE_BREAKS, bk_cols, bk_fields, bk_id,
	  bk_sorts, sizeof(api_break), bk_free },
	{ "limits", API_KIND_LIMIT, STORE_LIMITS, QUEUE_LIMITS, lm_cols, lm_fields, lm_id,
	  lm_sorts, sizeof(api_limit), lm_free },
	{ "approvals", API_KIND_APPROVAL, STORE_APPROVALS, -1, ap_cols, ap_fields, ap_id, NULL, 0,
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
