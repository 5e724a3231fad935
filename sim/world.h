/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/world.h - the simulated platform: channels, routes, onboarding cases,
 * recon breaks, limits and alerts as compact C structs, one mutex around all */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "sim/prng.h"
#include "sim/events.h"
#include "sim/idem.h"

enum { SIM_NET_UNIONPAY, SIM_NET_NUCC, SIM_NET_BANK_DIRECT, SIM_NET_WALLET, SIM_NET_CFS,
       SIM_NET_SHCLEARING, SIM_NET_CROSS_BORDER, SIM_NET_COUNT };
enum { SIM_ADM_ENABLED, SIM_ADM_DISABLED, SIM_ADM_DRAINING, SIM_ADM_QUARANTINED, SIM_ADM_COUNT };
enum { SIM_H_HEALTHY, SIM_H_DEGRADED, SIM_H_DOWN, SIM_H_UNKNOWN, SIM_H_COUNT };
enum { SIM_BR_CLOSED, SIM_BR_OPEN, SIM_BR_HALF_OPEN, SIM_BR_FORCED_OPEN, SIM_BR_COUNT };
enum { SIM_IF_PAY, SIM_IF_REFUND, SIM_IF_PAYOUT, SIM_IF_QUERY, SIM_IF_COUNT };
enum { SIM_ACT_ENABLE, SIM_ACT_DISABLE, SIM_ACT_DRAIN, SIM_ACT_QUARANTINE, SIM_ACT_RELEASE, SIM_ACT_COUNT };
enum { SIM_STRAT_WEIGHTED, SIM_STRAT_PRIORITY, SIM_STRAT_SUCCESS_RATE };
enum { SIM_STAGE_SUBMITTED, SIM_STAGE_DOC_CHECK, SIM_STAGE_RISK_CHECK, SIM_STAGE_MANUAL_REVIEW,
       SIM_STAGE_INTENT_CONFIRM, SIM_STAGE_APPROVED, SIM_STAGE_REJECTED, SIM_STAGE_RETURNED, SIM_STAGE_COUNT };
enum { SIM_SRC_AGENT_APP, SIM_SRC_API, SIM_SRC_BRANCH, SIM_SRC_BATCH, SIM_SRC_COUNT };
enum { SIM_RISK_LOW, SIM_RISK_MEDIUM, SIM_RISK_HIGH, SIM_RISK_COUNT };
enum { SIM_CHK_PASS, SIM_CHK_WARN, SIM_CHK_FAIL, SIM_CHK_PENDING, SIM_CHK_COUNT };
enum { SIM_DEC_APPROVE, SIM_DEC_REJECT, SIM_DEC_RETURN, SIM_DEC_ASSIGN, SIM_DEC_COUNT };
enum { SIM_BT_LONG, SIM_BT_SHORT, SIM_BT_MISSING_PLATFORM, SIM_BT_MISSING_CHANNEL, SIM_BT_AMOUNT_MISMATCH,
       SIM_BT_REFUND_NO_FINAL, SIM_BT_RETURNED, SIM_BT_FUND_MISMATCH, SIM_BT_COUNT };
enum { SIM_SEV_LOW, SIM_SEV_MEDIUM, SIM_SEV_HIGH, SIM_SEV_COUNT };
enum { SIM_BS_OPEN, SIM_BS_INVESTIGATING, SIM_BS_ESCALATED, SIM_BS_RESOLVED, SIM_BS_WRITTEN_OFF, SIM_BS_COUNT };
enum { SIM_RES_MATCH, SIM_RES_WRITE_OFF, SIM_RES_ADJUST, SIM_RES_ESCALATE, SIM_RES_INVESTIGATE,
       SIM_RES_REOPEN, SIM_RES_ASSIGN, SIM_RES_COUNT };
enum { SIM_SCOPE_MERCHANT, SIM_SCOPE_CHANNEL, SIM_SCOPE_RESERVE, SIM_SCOPE_COUNT };
enum { SIM_PER_SINGLE, SIM_PER_DAY, SIM_PER_MONTH, SIM_PER_YEAR, SIM_PER_COUNT };
enum { SIM_LS_OK, SIM_LS_WARNING, SIM_LS_BREACHED, SIM_LS_COUNT };
enum { SIM_AS_CRITICAL, SIM_AS_WARNING, SIM_AS_INFO, SIM_AS_COUNT };
enum { SIM_AL_FIRING, SIM_AL_RESOLVED };
enum { SIM_FILE_RECEIVED, SIM_FILE_LATE, SIM_FILE_MISSING, SIM_FILE_PARSED, SIM_FILE_COUNT };

/* Enum names as the contract spells them; sim_enum_parse returns -1 for unknown. */
extern const char *const sim_network_names[], *const sim_admin_names[], *const sim_health_names[],
	*const sim_breaker_names[], *const sim_iface_names[], *const sim_action_names[],
	*const sim_strategy_names[], *const sim_stage_names[], *const sim_source_names[],
	*const sim_risk_names[], *const sim_check_result_names[], *const sim_decision_names[],
	*const sim_break_type_names[], *const sim_severity_names[], *const sim_break_status_names[],
	*const sim_resolve_names[], *const sim_scope_names[], *const sim_period_names[],
	*const sim_limit_state_names[], *const sim_alert_sev_names[], *const sim_file_status_names[];
int sim_enum_parse(const char *const *names, const char *s);

#define SIM_HIST_CAP 240
struct sim_hist { int64_t t; float tps, sys, bus; int32_t p95; };

/* Live metrics as a Prometheus scrape sees them (sim/metrics.c): requests by
 * outcome and a latency histogram, accumulated each tick from the dynamics */
enum { SIM_OUT_SUCCESS, SIM_OUT_DECLINE, SIM_OUT_SYSERR, SIM_OUT_TIMEOUT, SIM_OUT_COUNT };
#define SIM_LAT_BUCKETS 12
extern const double sim_lat_bounds[SIM_LAT_BUCKETS]; /* the histogram's le, seconds */
struct sim_chmet {
	uint64_t req[SIM_OUT_COUNT];  /* whole requests, by outcome */
	double carry[SIM_OUT_COUNT];  /* the fractions not yet counted */
	double le[SIM_LAT_BUCKETS];   /* observations at or below each bound (cumulative) */
	double lat_sum;               /* seconds */
	float cdf[SIM_LAT_BUCKETS];   /* the latency distribution at each bound, for: */
	int cdf_p50, cdf_p95;
	float mean_s;
};

struct sim_channel {
	char id[64], name[128], link_id[40];
	uint8_t network, admin, health, breaker;
	uint8_t if_has[SIM_IF_COUNT], if_state[SIM_IF_COUNT]; /* if_state: admin enum subset */
	double base_tps, base_sys, base_bus;
	int base_p50;
	double tps, sys, bus, share;
	int p50, p95, p99;
	struct { uint8_t code; uint32_t count; } err[3];
	int has_maint;
	int64_t maint_start, maint_end;
	char maint_note[128];
	uint32_t version;
	uint32_t ctl;             /* bumped when what operators set moves: admin and interface states */
	int64_t updated_at;
	char updated_by[48];
	int64_t incident_until;   /* 0: no incident */
	int64_t breaker_changed;
	size_t incident_alert;    /* index+1 into alerts, 0 none */
	struct sim_hist hist[SIM_HIST_CAP];
	int hist_n, hist_head;
	struct sim_chmet met;
};

#define SIM_MAX_MEMBERS 8
struct sim_member { int ch; int weight; int base; int eligible; };
struct sim_route {
	char id[48], name[128];
	uint8_t strategy;
	int nm;
	struct sim_member m[SIM_MAX_MEMBERS];
	int has_override;
	char ov_by[48], ov_ticket[72];
	char *ov_reason;
	int64_t ov_expires;
	int saved_base[SIM_MAX_MEMBERS];
	uint32_t version;
	uint32_t ctl;             /* bumped when what operators set moves: configured weights, override */
	int64_t updated_at;
};

#define SIM_CASE_CHECKS 5
struct sim_case {
	uint32_t seq;
	uint32_t region;      /* index into the region table */
	uint64_t merchant;    /* mer_<region code><6 digits> */
	char *merchant_name;
	uint8_t kind, source, stage, risk_level, risk_score, nchecks;
	uint16_t ch;
	uint8_t check_name[SIM_CASE_CHECKS], check_result[SIM_CASE_CHECKS];
	int64_t submitted_at, sla_due_at, updated_at;
	char *assignee;
	uint32_t version;
};

struct sim_resolution { uint8_t action; char *note, *by, *ref; int64_t at, adjustment; int has_adjustment; };
struct sim_break {
	int32_t date;
	uint32_t seq;
	uint16_t ch;
	uint8_t type, severity, status;
	uint64_t merchant;
	int64_t platform_minor, channel_minor;
	int64_t detected_at, updated_at;
	uint32_t version;
	char *assignee;
	struct sim_resolution *res;
};

struct sim_limit {
	char id[96], scope_id[72];
	const char *name;
	uint8_t scope, period, state;
	int64_t limit_minor, used_minor, resets_at;
	double warn_at;
	uint32_t version;
	int64_t updated_at;
};

struct sim_alert {
	uint32_t seq;
	char fingerprint[17];
	uint8_t severity, state;
	char *title, *summary, *label_key, *label_value, *acked_by;
	int64_t starts_at, ends_at, updated_at;
	uint32_t version;
};

/* A mutation held for a second operator (four eyes, contract v1.1) */
enum { SIM_APR_PENDING, SIM_APR_APPROVED, SIM_APR_REJECTED, SIM_APR_EXPIRED, SIM_APR_FAILED, SIM_APR_COUNT };
enum { SIM_APR_CHANNEL, SIM_APR_ROUTE };
#define SIM_APPROVAL_TTL_S 900 /* the simulator's policy: a pending approval lives 15 minutes */
struct sim_approval {
	uint32_t seq;             /* apr_%06u */
	uint8_t state, target_type;
	int action, iface;        /* channel: the action and interface (-1: whole channel) */
	size_t target;            /* index into ch or rt */
	unsigned scope;           /* the write scope the request needed, and a decider needs */
	json_t *request;          /* the held request body, optional fields as null */
	json_t *result;           /* NULL, the changed target (approved) or a problem (failed) */
	char *effect, *decision_reason;
	uint32_t target_version, version;
	uint32_t target_ctl;      /* the target's ctl when requested: what decides a conflict */
	char requested_by[48], decided_by[48];
	int64_t requested_at, expires_at, decided_at, updated_at;
};

struct sim_faults {
	int latency_ms, burst_429, stall_ms, sse_drop_after;
	double error_rate, malformed_rate, truncated_rate;
	char path_prefix[256];
	char site[16];            /* only through this site; "" for every site */
};

struct sim_world_opts {
	uint64_t seed;
	int64_t now;
	size_t channels, cases, breaks, limits, event_buffer;
	double approval_share; /* < 0: off */
};

struct sim_file_override { int ch; int32_t date; uint8_t status; };

struct sim_world {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* broadcast on every new event */
	uint64_t seed;
	sim_rng rng, frng;   /* dynamics, faults */
	int64_t now, start;
	uint64_t ticks;
	struct sim_channel *ch; size_t nch;
	struct sim_route *rt; size_t nrt;
	struct sim_case *cs; size_t ncs, cap_cs;
	struct sim_break *br; size_t nbr, cap_br;
	struct sim_limit *lm; size_t nlm;
	struct sim_alert *al; size_t nal, cap_al;
	struct sim_events ev;
	struct sim_idem idem;
	struct sim_faults faults;
	uint64_t action_seq;
	double approval_share;
	int approval_weight_pct; /* < 0: off */
	int64_t approval_ttl_s;
	struct sim_approval *ap; size_t nap, cap_ap;
	size_t ap_oldest_pending; /* expiry scans from here: expiries follow creation order */
	size_t ch_rotor;
	double total_tps;
	struct sim_file_override files[64]; int nfiles;
	/* scopes granted or revoked at run time (POST /sim/scopes) */
	struct sim_scope_override { char operator_id[64]; unsigned grant, revoke; } scopes[16];
	int nscopes;
	int64_t last_hist_minute;
	int emit_events;     /* 0 while building the initial world */
};

struct sim_err { int status; const char *code; char detail[256]; };
void sim_err_set(struct sim_err *e, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct sim_world *sim_world_new(const struct sim_world_opts *o);
void sim_world_free(struct sim_world *w);

/* lookups (binary search on the sorted ids); -1 when absent */
long sim_find_channel(const struct sim_world *w, const char *id);
long sim_find_route(const struct sim_world *w, const char *id);
long sim_find_case(const struct sim_world *w, const char *id);
long sim_find_break(const struct sim_world *w, const char *id);
long sim_find_limit(const struct sim_world *w, const char *id);
long sim_find_alert(const struct sim_world *w, const char *id);
void sim_case_id(const struct sim_case *c, char *out, size_t cap);
void sim_break_id(const struct sim_break *b, char *out, size_t cap);
void sim_alert_id(const struct sim_alert *a, char *out, size_t cap);

/* JSON of one object, as the contract shapes it */
/* A time as RFC 3339, or null for 0 (never set). */
json_t *sim_json_time(int64_t t);
json_t *sim_channel_json(const struct sim_world *w, size_t i);
json_t *sim_route_json(const struct sim_world *w, size_t i);
json_t *sim_case_json(const struct sim_world *w, size_t i);
json_t *sim_break_json(const struct sim_world *w, size_t i);
json_t *sim_limit_json(const struct sim_world *w, size_t i);
json_t *sim_alert_json(const struct sim_world *w, size_t i);
json_t *sim_history_json(const struct sim_world *w, size_t i, int minutes);
json_t *sim_summary_json(const struct sim_world *w, int32_t date);
int sim_file_status(const struct sim_world *w, size_t ch, int32_t date);

/* change notification: bump version, stamp, emit one event */
void sim_touch_channel(struct sim_world *w, size_t i);
void sim_touch_route(struct sim_world *w, size_t i);
void sim_touch_case(struct sim_world *w, size_t i);
void sim_touch_break(struct sim_world *w, size_t i);
void sim_touch_limit(struct sim_world *w, size_t i);
void sim_touch_alert(struct sim_world *w, size_t i);

/* operator actions (world locked by the caller); 0 ok, -1 with *e set */
int sim_channel_eligible(const struct sim_channel *c);
void sim_channel_refresh_routes(struct sim_world *w, size_t ci);
int sim_route_redistribute(struct sim_world *w, size_t ri); /* 1 when weights changed */
int sim_channel_plan(const struct sim_world *w, size_t ci, int action, int iface,
		     struct sim_err *e); /* the state it would move to, or -1 */
int sim_channel_needs_approval(const struct sim_world *w, size_t ci, int action, int iface);
int sim_channel_apply(struct sim_world *w, size_t ci, int action, int iface, const char *by,
		      struct sim_err *e); /* no approval gate */
/* plan, then *pending when it needs approval (nothing changed), else apply */
int sim_channel_act(struct sim_world *w, size_t ci, int action, int iface, const char *by,
		    int *pending, struct sim_err *e);
struct sim_weight_req { char channel_id[64]; long long weight; };
int sim_route_check_weights(const struct sim_world *w, size_t ri, const struct sim_weight_req *req, size_t n,
			    int *nw, struct sim_err *e); /* nw: SIM_MAX_MEMBERS configured weights */
int sim_route_moved_points(const struct sim_world *w, size_t ri, const int *nw);
int sim_route_set_weights(struct sim_world *w, size_t ri, const struct sim_weight_req *req, size_t n,
			  int64_t expires_at, const char *by, const char *reason, const char *ticket,
			  struct sim_err *e);
int sim_case_decide(struct sim_world *w, size_t i, int decision, const char *assignee, struct sim_err *e);
int sim_break_resolve(struct sim_world *w, size_t i, int action, const char *by, const char *note,
		      const char *ref, int has_adj, int64_t adj, const char *assignee, struct sim_err *e);
int sim_limit_adjust(struct sim_world *w, size_t i, int64_t limit_minor, int has_warn, double warn_at,
		     struct sim_err *e);
void sim_limit_recompute(struct sim_limit *l);
int sim_alert_ack(struct sim_world *w, size_t i, const char *by);
size_t sim_alert_fire(struct sim_world *w, int severity, const char *title, const char *summary,
		      const char *label_key, const char *label_value); /* index */
void sim_alert_resolve(struct sim_world *w, size_t i);

/* approvals (sim/approvals.c, world locked) */
extern const char *const sim_approval_state_names[];
long sim_find_approval(const struct sim_world *w, const char *id);
void sim_approval_id(const struct sim_approval *a, char *out, size_t cap);
json_t *sim_approval_json(const struct sim_world *w, size_t i);
void sim_touch_approval(struct sim_world *w, size_t i);
/* Hold a request instead of applying it; the new approval's index, -1 with *e set. */
long sim_approval_hold_channel(struct sim_world *w, size_t ci, int action, int iface, const char *by,
			       const char *reason, const char *ticket, struct sim_err *e);
long sim_approval_hold_weights(struct sim_world *w, size_t ri, const struct sim_weight_req *req, size_t n,
			       int64_t expires_at, const char *by, const char *reason, const char *ticket,
			       struct sim_err *e);
/* Approve or reject a pending approval. Approving fails (version_conflict)
 * when what operators set on the target moved since the request (its ctl);
 * a version moved by live metrics alone is re-validated and applied.
 * request_id goes into a failure's problem. -1 with *e set (out of memory). */
int sim_approval_decide(struct sim_world *w, size_t i, int approve, const char *by, const char *reason,
			const char *request_id, struct sim_err *e);
void sim_approvals_expire(struct sim_world *w);
void sim_approvals_free(struct sim_world *w);

/* dynamics and scenarios (world locked) */
void sim_tick(struct sim_world *w);
void sim_metrics_tick(struct sim_world *w); /* one simulated second of requests into the counters */
/* The Prometheus text exposition (0.0.4) of every channel, malloc'd, length
 * in *len; NULL when out of memory. Locks the world itself (briefly: it
 * copies the numbers, then formats unlocked). hostile: --adversarial labels. */
char *sim_metrics_text(struct sim_world *w, int hostile, size_t *len);
int sim_scenario(struct sim_world *w, const char *name, const char *target, char *target_out, size_t tcap,
		 char *detail, size_t dcap, struct sim_err *e);

/* shared between the simulator's own modules (generation and dynamics) */
void sim_case_fill(struct sim_world *w, struct sim_case *c, uint32_t seq, int stage, int64_t submitted);
void sim_break_fill(struct sim_world *w, struct sim_break *b, int32_t date, uint32_t seq, int type, int64_t detected);
int sim_pick_break_type(sim_rng *r);
int64_t sim_limit_next_reset(int64_t now, int period);
char *sim_make_merchant_name(struct sim_world *w, uint32_t seq, unsigned region, unsigned kind);
void sim_seed_history(struct sim_world *w);
int sim_faults_merge(struct sim_faults *f, json_t *b, char *err, size_t cap);

#endif
