/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/enums.c: the contract's spelling of every enum value.
 *
 * One table per enum, indexed by the C enum, shared by the *_str functions
 * and the decoders so the two can never disagree.
 */
#include <string.h>

#include "api/dec.h"

const char *const api_network_names[NET_UNKNOWN] = {
	"unionpay", "nucc", "bank_direct", "wallet", "cfs", "shclearing",
	"cross_border",
};
const char *const api_admin_state_names[ADM_UNKNOWN] = {
	"enabled", "disabled", "draining", "quarantined",
};
const char *const api_health_names[HEALTH_INVALID] = {
	"healthy", "degraded", "down", "unknown",
};
const char *const api_breaker_names[BRK_UNKNOWN] = {
	"closed", "open", "half_open", "forced_open",
};
const char *const api_strategy_names[STRAT_UNKNOWN] = {
	"weighted", "priority", "success_rate",
};
const char *const api_stage_names[STAGE_UNKNOWN] = {
	"submitted", "doc_check", "risk_check", "manual_review",
	"intent_confirm", "approved", "rejected", "returned",
};
const char *const api_source_names[SRC_UNKNOWN] = {
	"agent_app", "api", "branch", "batch",
};
const char *const api_risk_names[RISK_UNKNOWN] = { "low", "medium", "high" };
const char *const api_check_result_names[CHECK_UNKNOWN] = {
	"pass", "warn", "fail", "pending",
};
const char *const api_break_type_names[BT_UNKNOWN] = {
	"long", "short", "missing_platform", "missing_channel",
	"amount_mismatch", "refund_no_final", "returned", "fund_mismatch",
};
const char *const api_severity_names[SEV_UNKNOWN] = { "low", "medium", "high" };
const char *const api_break_status_names[BS_UNKNOWN] = {
	"open", "investigating", "escalated", "resolved", "written_off",
};
const char *const api_file_status_names[FILE_UNKNOWN] = {
	"received", "late", "missing", "parsed",
};
const char *const api_limit_scope_names[SCOPE_UNKNOWN] = {
	"merchant", "channel", "reserve",
};
const char *const api_period_names[PERIOD_UNKNOWN] = {
	"single", "day", "month", "year",
};
const char *const api_limit_state_names[LS_UNKNOWN] = {
	"ok", "warning", "breached",
};
const char *const api_alert_severity_names[AS_UNKNOWN] = {
	"critical", "warning", "info",
};
const char *const api_alert_state_names[AST_UNKNOWN] = { "firing", "resolved" };
const char *const api_approval_state_names[APR_UNKNOWN] = {
	"pending", "approved", "rejected", "expired", "failed",
};

static const char *name_of(const char *const *names, int n, int v)
{
	return v >= 0 && v < n ? names[v] : "?";
}

static int value_of(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return n; /* every table ends where its _UNKNOWN member is */
}

#define ENUM_FUNCS(type, tbl)                                              \
	const char *type##_str(type v)                                     \
	{                                                                  \
		return name_of(tbl, DEC_N(tbl), (int)v);                   \
	}                                                                  \
	type type##_from_str(const char *s)                                \
	{                                                                  \
		return (type)value_of(tbl, DEC_N(tbl), s);                 \
	}

ENUM_FUNCS(api_network, api_network_names)
ENUM_FUNCS(api_admin_state, api_admin_state_names)
ENUM_FUNCS(api_health, api_health_names)
ENUM_FUNCS(api_breaker, api_breaker_names)
ENUM_FUNCS(api_strategy, api_strategy_names)
ENUM_FUNCS(api_stage, api_stage_names)
ENUM_FUNCS(api_source, api_source_names)
ENUM_FUNCS(api_risk, api_risk_names)
ENUM_FUNCS(api_check_result, api_check_result_names)
ENUM_FUNCS(api_break_type, api_break_type_names)
ENUM_FUNCS(api_severity, api_severity_names)
ENUM_FUNCS(api_break_status, api_break_status_names)
ENUM_FUNCS(api_file_status, api_file_status_names)
ENUM_FUNCS(api_limit_scope, api_limit_scope_names)
ENUM_FUNCS(api_period, api_period_names)
ENUM_FUNCS(api_limit_state, api_limit_state_names)
ENUM_FUNCS(api_alert_severity, api_alert_severity_names)
ENUM_FUNCS(api_alert_state, api_alert_state_names)
ENUM_FUNCS(api_approval_state, api_approval_state_names)
