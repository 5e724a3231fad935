/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/queue.h: what the three work-queue panes (Onboarding, Recon,
 * Limits) and the Overview's queue headlines share:
 *
 *  - the filter language typed at `/` (free text plus field:value terms,
 *    views/queue_filter.c);
 *  - SLA arithmetic (due, at risk, breached) and its words;
 *  - the recon summary's totals (integer sums, never a double);
 *  - the amount the operator types for a new limit;
 *  - a window of decoded rows paged from the cache (never every row);
 *  - "changed a moment ago" markers by id and version, and marks (the
 *    multi-select) by id.
 *
 * An action on the rows goes to the operation runner (ops/ops.h,
 * ops_rows()). Everything here is plain C over the cache; nothing draws.
 */
#ifndef PAYOPS_VIEWS_QUEUE_H
#define PAYOPS_VIEWS_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "api/model.h"
#include "cache/cache.h"
#include "views/view.h"

/* ---- the filter language ----
 *
 * Words separated by spaces. A word "key:value" (or "key=value") filters
 * one field; several values of one key are separated by commas and mean
 * "any of" ("st:open,esc"). Every other word is free text, matched as a
 * substring against ids, merchant, order number and serial numbers (cases:
 * id, merchant id and name; limits: id, scope id, name); several free
 * words are joined with a space. Enum values may be abbreviated to any
 * unique prefix ("esc" = escalated) and have short aliases (see each key).
 * A key with an empty value ("ch:") is ignored, so typing is never an
 * error half way through a word.
 *
 * Breaks:  date:YYYY-MM-DD (or "latest")   ch:CHANNEL (a unique prefix of a
 *          known channel id is completed by the pane)   type:long,short,
 *          missing_platform(mp),missing_channel(mc),amount_mismatch(amt),
 *          refund_no_final(rnf),returned,fund_mismatch(fund)
 *          st:open,investigating,escalated,resolved,written_off(wo),
 *          active (= open,investigating,escalated), closed (= resolved,
 *          written_off)   sev:low,medium,high   min:AMOUNT (|difference|
 *          at least, "1,000.50" in major units)
 * Cases:   stage:submitted,doc_check,risk_check,manual_review(mr),
 *          intent_confirm(ic),approved,rejected,returned, open (= every
 *          stage not final)   risk:low,medium,high   as:OPERATOR (assignee;
 *          "-" or "none": unassigned)
 * Limits:  scope:merchant,channel,reserve   state:ok,warning,breached
 *
 * Keys have long forms too: channel, status, severity, assignee. */
typedef enum { QUEUE_CASES, QUEUE_BREAKS, QUEUE_LIMITS } queue_kind;

typedef struct {
	char text[128];            /* free words joined by one space */
	/* breaks */
	char recon_date[16];       /* "" any, "latest" the newest cached */
	char channel[128];
	unsigned types, statuses, severities;
	int64_t min_abs_difference;
	/* cases */
	unsigned stages, risks;
	bool has_assignee;
	char assignee[128];        /* "" with has_assignee: unassigned */
	/* limits */
	unsigned scopes, states;
} queue_filter;

/* 0 and *out filled; -1 with the reason in err (out is then the filter
 * of the words before the bad one). */
int queue_filter_parse(queue_kind k, const char *text, queue_filter *out,
		       char *err, size_t errsz);
/* The cache filters for a parsed one; pointers into f. */
void queue_filter_breaks(const queue_filter *f, cache_break_filter *out);
void queue_filter_cases(const queue_filter *f, cache_case_filter *out);
void queue_filter_limits(const queue_filter *f, cache_limit_filter *out);

/* ---- SLA ----
 * Breached once now >= due. At risk while the time left is at most a
 * quarter of the case's SLA span (due - submitted), and at least one hour
 * when the span is unknown or shorter than four hours. A case in a final
 * stage (approved, rejected) has no running SLA. */
typedef enum { QUEUE_SLA_NONE, QUEUE_SLA_OK, QUEUE_SLA_AT_RISK,
	       QUEUE_SLA_BREACHED } queue_sla;
queue_sla queue_sla_state(time_t submitted, time_t due, time_t now, bool final);
bool queue_case_final(api_stage s);
/* "x BREACHED 3h05m ago", "! at risk 1h20m left", "18h05m left", "- done";
 * returns the role to draw it with (colour is only the second signal). */
int queue_sla_text(char *out, size_t sz, queue_sla s, time_t due, time_t now);

/* ---- recon summary totals ---- */
typedef struct {
	int64_t channels, matched, breaks, open, net_minor;
	int64_t matched_unknown;    /* channels whose matched count is unknown */
	char currency[4];           /* the one currency, "" when mixed / none */
	bool mixed_currency;
} queue_recon_totals;
void queue_recon_total(const api_recon_summary *s, queue_recon_totals *t);

/* ---- limits ----
 * The state a limit would have is api_limit_state_for(), its bar
 * fmt_usage() (widgets/fmt.h). */
/* The new limit typed by the operator: an amount in major units
 * ("60,000,000", "¥60000000.50"), or a change of the old one ("+5,000",
 * "-1,000", "+10%", "-5%": percentages of the old limit, rounded to the
 * minor unit). 0, or -1 when it does not parse or is not positive. */
int queue_parse_limit(const char *s, int64_t old, const char *currency,
		      int64_t *out);

/* ---- words ----
 * The contract's spelling (api/enums.c), NULL for an unknown value: give
 * it to fmt_enum() with the object's raw string. */
const char *queue_break_type_word(api_break_type t);  /* "amount_mismatch" */
const char *queue_break_status_word(api_break_status s);
const char *queue_severity_word(api_severity s);
const char *queue_risk_word(api_risk r);
const char *queue_limit_state_word(api_limit_state s);
const char *queue_scope_word(api_limit_scope s);
const char *queue_period_word(api_period p);

/* ---- a window of rows paged from the cache ---- */
typedef struct {
	size_t elem;                /* sizeof one row (api_break, ...) */
	void (*free_elem)(void *);  /* api_break_free, ... */
	char *rows;
	size_t off, n, cap;         /* rows [off, off + n) of the query */
	bool valid;
} queue_win;
void queue_win_init(queue_win *w, size_t elem, void (*free_elem)(void *));
void queue_win_clear(queue_win *w);  /* drops the rows, keeps the buffer */
void queue_win_free(queue_win *w);
/* Move *obj's members into the window (obj is zeroed); -1 on ENOMEM. */
int queue_win_push(queue_win *w, void *obj);
/* Row i of the query, NULL when outside the window. */
void *queue_win_at(const queue_win *w, size_t i);

/* ---- "changed a moment ago" ---- */
#define QUEUE_CHANGED_S 5
#define QUEUE_SEEN_MAX 2048
typedef struct {
	struct { char id[64]; int64_t version; time_t changed_at; } e[QUEUE_SEEN_MAX];
	size_t n, next;
} queue_seen;
/* Record the version shown for id; when a different version was shown
 * before, the row counts as changed at now. */
void queue_seen_note(queue_seen *s, const char *id, int64_t version, time_t now);
bool queue_seen_changed(const queue_seen *s, const char *id, time_t now);
/* Milliseconds until the next marker expires, -1 when none is shown. */
long queue_seen_due_ms(const queue_seen *s, time_t now);

/* ---- marks (multi-select), by id ---- */
typedef struct {
	char **ids;
	size_t n, cap;
} queue_marks;
bool queue_marks_has(const queue_marks *m, const char *id);
/* Toggle; returns the new state (false also on ENOMEM). */
bool queue_marks_toggle(queue_marks *m, const char *id);
void queue_marks_clear(queue_marks *m);

#endif
