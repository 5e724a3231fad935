/* SPDX-License-Identifier: ISC (see COPYING) */
/* api/model.h: the platform's objects as the console holds them.
 *
 * Decoders (api/decode_*.c) fill these from JSON and validate them; the store
 * keeps them; views read them. Strings are owned, NUL-terminated, valid UTF-8
 * (invalid bytes are replaced by U+FFFD when decoded) but NOT sanitised: they
 * may hold control characters or escape sequences, so they reach the terminal
 * only through text/text.h (the widgets do this for every cell).
 *
 * After a successful decode every string field is non-NULL (an absent
 * optional one is "") except those marked "may be NULL" below.
 *
 * Enums: every enum has an _UNKNOWN member; the raw string is always kept in
 * the matching *_raw field so an unknown value can be shown "as it is, marked
 * unknown" (contract: never fail on one).
 *
 * Absent optional numbers are NAN for doubles and -1 for counts/ints where
 * the contract allows null; money is int64_t minor units, never a double.
 *
 * A field of the wrong type or out of range does not cost its object (the
 * object is acted on by id, and an operator cannot act on what the console
 * does not show): the object is kept, the field holds its "nothing" value
 * (NAN for a double, 0 for money and counts, -1 for a version or a score,
 * 0 for a time, "" for a string, _UNKNOWN for an enum) and is listed in the
 * object's `bad`, so views show it as "?" and the detail pane says why.
 * Only an object without a usable id (a non-empty string) is dropped.
 */
#ifndef PAYOPS_API_MODEL_H
#define PAYOPS_API_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- enums (order is display order; keep _UNKNOWN last) ---- */
typedef enum { NET_UNIONPAY, NET_NUCC, NET_BANK_DIRECT, NET_WALLET, NET_CFS,
	       NET_SHCLEARING, NET_CROSS_BORDER, NET_UNKNOWN } api_network;
typedef enum { ADM_ENABLED, ADM_DISABLED, ADM_DRAINING, ADM_QUARANTINED,
	       ADM_UNKNOWN } api_admin_state;
typedef enum { HEALTH_HEALTHY, HEALTH_DEGRADED, HEALTH_DOWN, HEALTH_UNKNOWN,
	       HEALTH_INVALID /* a value outside the contract */ } api_health;
typedef enum { BRK_CLOSED, BRK_OPEN, BRK_HALF_OPEN, BRK_FORCED_OPEN,
	       BRK_UNKNOWN } api_breaker;
typedef enum { STRAT_WEIGHTED, STRAT_PRIORITY, STRAT_SUCCESS_RATE,
	       STRAT_UNKNOWN } api_strategy;
typedef enum { STAGE_SUBMITTED, STAGE_DOC_CHECK, STAGE_RISK_CHECK,
	       STAGE_MANUAL_REVIEW, STAGE_INTENT_CONFIRM, STAGE_APPROVED,
	       STAGE_REJECTED, STAGE_RETURNED, STAGE_UNKNOWN } api_stage;
typedef enum { SRC_AGENT_APP, SRC_API, SRC_BRANCH, SRC_BATCH,
	       SRC_UNKNOWN } api_source;
typedef enum { RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK_UNKNOWN } api_risk;
typedef enum { CHECK_PASS, CHECK_WARN, CHECK_FAIL, CHECK_PENDING,
	       CHECK_UNKNOWN } api_check_result;
typedef enum { BT_LONG, BT_SHORT, BT_MISSING_PLATFORM, BT_MISSING_CHANNEL,
	       BT_AMOUNT_MISMATCH, BT_REFUND_NO_FINAL, BT_RETURNED,
	       BT_FUND_MISMATCH, BT_UNKNOWN } api_break_type;
typedef enum { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_UNKNOWN } api_severity;
typedef enum { BS_OPEN, BS_INVESTIGATING, BS_ESCALATED, BS_RESOLVED,
	       BS_WRITTEN_OFF, BS_UNKNOWN } api_break_status;
/* What a queue counts as still to do: a case not yet decided, a break not
 * yet resolved or written off (bit masks over the enums above). */
#define API_STAGES_OPEN (1u << STAGE_SUBMITTED | 1u << STAGE_DOC_CHECK | \
			 1u << STAGE_RISK_CHECK | 1u << STAGE_MANUAL_REVIEW | \
			 1u << STAGE_INTENT_CONFIRM | 1u << STAGE_RETURNED)
#define API_BREAKS_ACTIVE (1u << BS_OPEN | 1u << BS_INVESTIGATING | 1u << BS_ESCALATED)
typedef enum { FILE_RECEIVED, FILE_LATE, FILE_MISSING, FILE_PARSED,
	       FILE_UNKNOWN } api_file_status;
typedef enum { SCOPE_MERCHANT, SCOPE_CHANNEL, SCOPE_RESERVE,
	       SCOPE_UNKNOWN } api_limit_scope;
typedef enum { PERIOD_SINGLE, PERIOD_DAY, PERIOD_MONTH, PERIOD_YEAR,
	       PERIOD_UNKNOWN } api_period;
typedef enum { LS_OK, LS_WARNING, LS_BREACHED, LS_UNKNOWN } api_limit_state;
typedef enum { AS_CRITICAL, AS_WARNING, AS_INFO, AS_UNKNOWN } api_alert_severity;
typedef enum { AST_FIRING, AST_RESOLVED, AST_UNKNOWN } api_alert_state;
typedef enum { APR_PENDING, APR_APPROVED, APR_REJECTED, APR_EXPIRED, APR_FAILED,
	       APR_UNKNOWN } api_approval_state;

/* The contract's spelling of an enum value ("bank_direct"); for _UNKNOWN (and
 * HEALTH_INVALID) it is "?": the caller shows the object's *_raw string. */
const char *api_network_str(api_network v);
const char *api_admin_state_str(api_admin_state v);
const char *api_health_str(api_health v);
const char *api_breaker_str(api_breaker v);
const char *api_strategy_str(api_strategy v);
const char *api_stage_str(api_stage v);
const char *api_source_str(api_source v);
const char *api_risk_str(api_risk v);
const char *api_check_result_str(api_check_result v);
const char *api_break_type_str(api_break_type v);
const char *api_severity_str(api_severity v);
const char *api_break_status_str(api_break_status v);
const char *api_file_status_str(api_file_status v);
const char *api_limit_scope_str(api_limit_scope v);
const char *api_period_str(api_period v);
const char *api_limit_state_str(api_limit_state v);
const char *api_alert_severity_str(api_alert_severity v);
const char *api_alert_state_str(api_alert_state v);
const char *api_approval_state_str(api_approval_state v);

/* The reverse (the cache reads enums back): the contract's spelling to the
 * value, _UNKNOWN (HEALTH_INVALID for health) for anything else or NULL. */
api_network api_network_from_str(const char *s);
api_admin_state api_admin_state_from_str(const char *s);
api_health api_health_from_str(const char *s);
api_breaker api_breaker_from_str(const char *s);
api_strategy api_strategy_from_str(const char *s);
api_stage api_stage_from_str(const char *s);
api_source api_source_from_str(const char *s);
api_risk api_risk_from_str(const char *s);
api_check_result api_check_result_from_str(const char *s);
api_break_type api_break_type_from_str(const char *s);
api_severity api_severity_from_str(const char *s);
api_break_status api_break_status_from_str(const char *s);
api_file_status api_file_status_from_str(const char *s);
api_limit_scope api_limit_scope_from_str(const char *s);
api_period api_period_from_str(const char *s);
api_limit_state api_limit_state_from_str(const char *s);
api_alert_severity api_alert_severity_from_str(const char *s);
api_alert_state api_alert_state_from_str(const char *s);
api_approval_state api_approval_state_from_str(const char *s);

/* The tables both of the above read, indexed by the value, one entry per
 * value before _UNKNOWN (HEALTH_INVALID): for a caller that walks every
 * spelling (a filter that takes a prefix of one). */
extern const char *const api_network_names[NET_UNKNOWN];
extern const char *const api_admin_state_names[ADM_UNKNOWN];
extern const char *const api_health_names[HEALTH_INVALID];
extern const char *const api_breaker_names[BRK_UNKNOWN];
extern const char *const api_strategy_names[STRAT_UNKNOWN];
extern const char *const api_stage_names[STAGE_UNKNOWN];
extern const char *const api_source_names[SRC_UNKNOWN];
extern const char *const api_risk_names[RISK_UNKNOWN];
extern const char *const api_check_result_names[CHECK_UNKNOWN];
extern const char *const api_break_type_names[BT_UNKNOWN];
extern const char *const api_severity_names[SEV_UNKNOWN];
extern const char *const api_break_status_names[BS_UNKNOWN];
extern const char *const api_file_status_names[FILE_UNKNOWN];
extern const char *const api_limit_scope_names[SCOPE_UNKNOWN];
extern const char *const api_period_names[PERIOD_UNKNOWN];
extern const char *const api_limit_state_names[LS_UNKNOWN];
extern const char *const api_alert_severity_names[AS_UNKNOWN];
extern const char *const api_alert_state_names[AST_UNKNOWN];
extern const char *const api_approval_state_names[APR_UNKNOWN];
/* ---- fields out of the contract ---- */
#define API_BAD_MAX 16 /* listed per object; more are only counted */
typedef struct {
	char *field; /* its path inside the object: "tps", "latency_ms.p95",
		      * "members[2].weight_pct" */
	char *why;   /* "out of range 0..1", "expected a number" */
} api_bad_field;

typedef struct {
	api_bad_field *v;
	size_t n;
	size_t more; /* refused beyond API_BAD_MAX */
} api_bad;

/* Why `field` was refused, or NULL when it was not. A refusal of what holds
 * the field counts ("latency_ms" for "latency_ms.p95"), and so does one of
 * anything inside it ("members[1].weight_pct" for "members"). */
const char *api_bad_why(const api_bad *b, const char *field);
static inline bool api_bad_has(const api_bad *b, const char *field)
{
	return api_bad_why(b, field) != NULL;
}
size_t api_bad_count(const api_bad *b); /* n + more */
/* Add one (copies both strings); 0, or -1 when out of memory. */
int api_bad_add(api_bad *b, const char *field, const char *why);
bool api_bad_equal(const api_bad *x, const api_bad *y);
void api_bad_free(api_bad *b);
int api_bad_copy(api_bad *dst, const api_bad *src); /* dst zeroed on -1 */

/* ---- who am I ---- */
typedef struct {
	char *site;
	char *platform_version;
	time_t server_time;
	int64_t stream_seq;
} api_status;

enum { SCOPE_BIT_READ = 1 << 0, SCOPE_BIT_CHANNELS_WRITE = 1 << 1,
       SCOPE_BIT_ROUTING_WRITE = 1 << 2, SCOPE_BIT_ONBOARDING_WRITE = 1 << 3,
       SCOPE_BIT_RECON_WRITE = 1 << 4, SCOPE_BIT_LIMITS_WRITE = 1 << 5,
       SCOPE_BIT_ALERTS_WRITE = 1 << 6 };
/* The contract's name of one SCOPE_BIT_* ("channels:write"), NULL for
 * anything else: the one table of scope names. */
const char *api_scope_name(unsigned bit);
typedef struct {
	char *operator_id;
	char *display_name;
	unsigned scopes; /* SCOPE_BIT_* ; unknown scope strings are ignored */
} api_me;

/* ---- channels ---- */
typedef struct {
	char *code;
	char *message;
	int64_t count;
} api_error_count;

typedef struct {
	char *name;
	api_admin_state admin_state;
	char *admin_state_raw;
} api_interface;

typedef struct {
	bool present;
	time_t starts_at, ends_at;
	char *note;
} api_maintenance;

typedef struct {
	char *id;
	char *name;
	api_network network;        char *network_raw;
	char *link_id;              /* may be NULL */
	api_admin_state admin_state; char *admin_state_raw;
	api_health health;          char *health_raw;
	api_breaker breaker;        char *breaker_raw;
	int window_s;
	double tps;                 /* NAN when absent */
	double system_success_rate; /* 0..1, NAN when absent/out of range */
	double business_success_rate;
	double latency_p50_ms, latency_p95_ms, latency_p99_ms; /* NAN when absent */
	double traffic_share;       /* 0..1 */
	api_error_count *top_errors; size_t n_top_errors;
	api_interface *interfaces;   size_t n_interfaces;
	api_maintenance maintenance;
	int64_t version;
	time_t updated_at;
	char *updated_by;           /* may be NULL */
	api_bad bad;                /* fields refused (shown as "?") */
} api_channel;

typedef struct {
	time_t t;
	double tps, system_success_rate, business_success_rate, latency_p95_ms;
} api_history_point;

typedef struct {
	char *channel_id;
	int step_s;
	api_history_point *points; size_t n_points; /* oldest first */
} api_history;

/* ---- routes ---- */
typedef struct {
	char *channel_id;
	int weight_pct;
	bool eligible;
} api_route_member;

typedef struct {
	bool present;
	char *set_by, *reason, *ticket;
	time_t expires_at; /* 0 when none */
} api_override;

typedef struct {
	char *id;
	char *name;
	api_strategy strategy; char *strategy_raw;
	api_route_member *members; size_t n_members;
	api_override override;
	int64_t version;
	api_bad bad;
} api_route;

/* ---- onboarding ---- */
typedef struct {
	char *name;
	api_check_result result; char *result_raw;
	char *detail;
} api_check;

typedef struct {
	char *id, *merchant_id, *merchant_name, *mcc, *category;
	char *channel_requested;
	api_source source;   char *source_raw;
	api_stage stage;     char *stage_raw;
	api_risk risk_level; char *risk_level_raw;
	int risk_score;      /* -1 when absent */
	api_check *checks; size_t n_checks;
	time_t submitted_at, sla_due_at;
	char *assignee;      /* may be NULL */
	int64_t version;
	time_t updated_at;   /* 0 when absent */
	api_bad bad;
} api_case;

/* ---- reconciliation ---- */
typedef struct {
	bool present;
	char *action, *note, *by;
	time_t at;
} api_resolution;

typedef struct {
	char *id;
	char *recon_date;          /* YYYY-MM-DD */
	char *channel_id, *merchant_id, *order_no, *channel_serial;
	api_break_type type;       char *type_raw;
	int64_t platform_amount_minor, channel_amount_minor, difference_minor;
	char currency[4];          /* ISO 4217 */
	time_t detected_at;
	api_severity severity;     char *severity_raw;
	api_break_status status;   char *status_raw;
	char *assignee;            /* may be NULL */
	api_resolution resolution;
	int64_t version;
	time_t updated_at;
	api_bad bad;
} api_break;

typedef struct {
	char *channel_id;
	api_file_status file_status; char *file_status_raw;
	int64_t matched_count, break_count, open_count, net_difference_minor;
	char currency[4];
} api_recon_channel;

typedef struct {
	char *date;
	api_recon_channel *channels; size_t n_channels;
} api_recon_summary;

/* ---- limits ---- */
typedef struct {
	char *id;
	api_limit_scope scope; char *scope_raw;
	char *scope_id, *name;
	api_period period;     char *period_raw;
	int64_t limit_minor, used_minor;
	char currency[4];
	double warn_at;        /* 0..1 */
	api_limit_state state; char *state_raw;
	time_t resets_at;
	int64_t version;
	api_bad bad;
} api_limit;

/* The state the platform gives a limit: breached when used >= limit,
 * warning when used >= warn_at x limit, else ok (what a new limit would
 * give, before it is sent). */
api_limit_state api_limit_state_for(int64_t used, int64_t limit, double warn_at);

/* ---- alerts (platform and Alertmanager both decode to this) ---- */
typedef struct {
	char *key, *value;
} api_label;

typedef struct {
	char *id, *fingerprint;
	api_alert_severity severity; char *severity_raw;
	api_alert_state state;       char *state_raw;
	char *title, *summary;
	api_label *labels; size_t n_labels;
	time_t starts_at, ends_at;   /* 0 when absent */
	char *acked_by;              /* may be NULL */
	char *source;                /* "platform" or the Alertmanager's name */
	api_bad bad;
} api_alert;

/* ---- approvals (four eyes, contract v1.1) ---- */
typedef struct {
	char *id;
	api_approval_state state; char *state_raw;
	char *kind;                /* "channel.quarantine", "route.weights" */
	char *target_type, *target_id;
	char *request_json;        /* the held request, compact JSON ("{}" when bad) */
	char *req_action, *req_interface, *req_reason, *req_ticket; /* from request; "" when absent */
	char *effect;              /* the platform's words */
	int64_t target_version;    /* -1 when bad */
	char *requested_by;
	time_t requested_at, expires_at;
	char *decided_by;          /* may be NULL */
	time_t decided_at;         /* 0 while pending */
	char *decision_reason;     /* may be NULL */
	char *result_json;         /* may be NULL: the target as changed, or a problem */
	char *result_code, *result_detail; /* a failed one's problem; may be NULL */
	int64_t version;
	api_bad bad;
} api_approval;

/* ---- problem+json ---- */
typedef struct {
	char *type, *title, *detail, *code, *request_id; /* each may be NULL */
	int status;         /* 0 when absent or not 100..599 */
	char *current_json; /* the raw JSON text of "current" on 412, or NULL */
} api_problem;

/* Free the members of an object (not the object itself); safe on a zeroed
 * struct and idempotent (leaves it zeroed). */
void api_status_free(api_status *o);
void api_me_free(api_me *o);
void api_channel_free(api_channel *o);
void api_history_free(api_history *o);
void api_route_free(api_route *o);
void api_case_free(api_case *o);
void api_break_free(api_break *o);
void api_recon_summary_free(api_recon_summary *o);
void api_limit_free(api_limit *o);
void api_alert_free(api_alert *o);
void api_problem_free(api_problem *o);
void api_approval_free(api_approval *o);

/* Deep copies (return 0, or -1 on allocation failure leaving dst zeroed). */
int api_channel_copy(api_channel *dst, const api_channel *src);
int api_route_copy(api_route *dst, const api_route *src);
int api_approval_copy(api_approval *dst, const api_approval *src);

#endif
