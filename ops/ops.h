/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/ops.h: the operation runner. Every operator action, from whichever
 * pane or `:` command, runs through the same steps here:
 *
 *   refuse   before anything opens when it cannot run (read-only, the
 *            token's scope, nothing selected, already in flight), said on
 *            the message line;
 *   confirm  the dialog (ops/confirm.h) states the exact effect: the
 *            target as it is now and after, its traffic and the route
 *            groups that lose it, the rows and their total; it asks for a
 *            reason, a ticket, and the target's id typed out when a
 *            channel carries more than confirm_share of traffic;
 *   submit   through the action client (actions/actions.h: idempotency
 *            key, If-Match, audit rows) or the Alertmanager client
 *            (alerts/am.h), one request per target, a few at a time;
 *   progress the clients' retries said on the message line, and a mark on
 *            the target's row while it is in flight;
 *   conflict a 412 on a channel or route group asks again: the dialog
 *            opens with what changed and the operator's text kept;
 *   outcome  one line on the message line (a summary for several rows),
 *            the row's mark, the platform's new object in the store or
 *            the cache so the pane shows it at once.
 *
 * The views gather what to act on and call one of the ops_* starters;
 * they keep drawing, reading the marks and ops_gen(). One runner per app;
 * it holds no state outside itself.
 */
#ifndef PAYOPS_OPS_OPS_H
#define PAYOPS_OPS_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

#include "actions/actions.h"
#include "alerts/am.h"
#include "config/config.h"
#include "ops/confirm.h"
#include "store/store.h"

struct cache;

typedef struct ops ops;

/* What the runner works with; copied by ops_new(). */
typedef struct {
	store *st;
	const cfg_config *cfg;
	/* Say something on the message line (sev: msgline_severity). */
	void (*message)(void *ctx, int sev, const char *text);
	/* Open the dialog: 0, or -1 when it could not open (another is open,
	 * out of memory); nothing is called back then. */
	int (*confirm)(void *ctx, const ops_confirm *spec);
	/* An outcome or a mark moved: the app refreshes (may be NULL). */
	void (*changed)(void *ctx);
	struct act_client *act;   /* the action client */
	am_hub *am;               /* the Alertmanagers; NULL: none */
	struct cache *cache;      /* the queues' rows; NULL: none */
	void *ctx;
} ops_env;

ops *ops_new(const ops_env *env);
/* Frees every operation without a callback: the app frees the dialog and
 * the clients (which call nothing back once freed) first. */
void ops_free(ops *r);

/* ---- what the panes show ---- */

/* Moves whenever an operation starts, answers or ends, or a mark moves
 * (panes compare it in recalc). 0 for a NULL runner. */
uint64_t ops_gen(const ops *r);

typedef enum {
	OPS_NONE = 0,
	OPS_IN_FLIGHT,     /* sent, no final answer yet */
	OPS_DONE,          /* the last outcome (status below) */
} ops_phase;

/* A target's mark: channels and route groups keep their last outcome;
 * alerts and silences show one only while in flight. */
typedef struct {
	ops_phase phase;
	act_status status;      /* OPS_DONE */
	char what[96];          /* "quarantine", "refund: disable", "reweight",
				 * "ack", "silence", "expire" */
	char code[64];          /* rejected: the problem code */
	time_t at;
} ops_mark;

/* The mark of a target (channel or route group id, alert fingerprint,
 * silence id); NULL when none. */
const ops_mark *ops_mark_of(const ops *r, const char *target);
/* "~ quarantine: sending", "= reweight: applied", "! disable: rejected:
 * invalid_transition", "" for none. */
const char *ops_mark_word(const ops_mark *m, char *buf, size_t bufsz);
/* Why an action of this kind cannot run now (read-only, scope), or NULL. */
const char *ops_why_not(ops *r, act_kind k, char *buf, size_t bufsz);

/* ---- the starters: 0 when the dialog opened, -1 when refused (said on
 * the message line). opened_by: the key that opened it (0 from `:`). ---- */

/* A channel verb on the channel or one interface (iface NULL or ""). */
int ops_channel(ops *r, const char *channel_id, const char *iface,
		act_channel_verb verb, wint_t opened_by);
/* New weights for a route group (every member, summing to 100); the dialog
 * asks for an optional expiry in base/duration.h's grammar, up to a week. */
int ops_reroute(ops *r, const char *route_id, const act_weight *w, size_t n,
		wint_t opened_by);

/* One action on rows of a work queue (cases, breaks, limits). */
typedef struct {
	act_kind kind;             /* ACT_CASE_DECISION, ACT_BREAK_RESOLVE,
				    * ACT_LIMIT_ADJUST */
	int verb;                  /* act_case_decision / act_break_action */
	const char *title;         /* "Escalate breaks" */
	const char *label;         /* "Escalate" */
	const char *extra_label;   /* NULL: no extra field */
	bool extra_required;
	wint_t opened_by;
	/* ACT_LIMIT_ADJUST: the new limit, decided before the dialog */
	int64_t limit_minor;
} ops_rows_spec;

/* Each id is read from the cache now: the object as the pane showed it,
 * whose version goes into If-Match and which a 412 is compared with. The
 * dialog lists the first few, their total difference for breaks, old ->
 * new for a limit; on confirm every row is submitted, a few at a time;
 * each answer's object goes into the cache; several rows end with one
 * summary ("escalate: 3 applied, 1 rejected (first: brk_... rejected:
 * invalid_transition)"). */
int ops_rows(ops *r, const ops_rows_spec *spec, char *const *ids, size_t n);

/* Acknowledge a platform alert. severity and state: the alert's row as the
 * pane spells them, repeated in the dialog. */
int ops_ack(ops *r, const api_alert *a, const char *severity,
	    const char *state, wint_t opened_by);
/* Silence an Alertmanager alert on s (the Alertmanager reporting it; NULL:
 * none, refused) for a duration the dialog asks (1s to 366d). */
int ops_silence(ops *r, const api_alert *a, am_server *s, wint_t opened_by);
/* Expire silence x of s. matchers and ends: as the pane spells them. */
int ops_expire(ops *r, am_server *s, const am_silence *x,
	       const char *matchers, const char *ends, wint_t opened_by);

/* ---- four eyes ---- */
/* Approve or reject a pending approval another operator asked for. */
int ops_approval(ops *r, const char *approval_id, act_approval_decision decision,
		 wint_t opened_by);
/* Why this operator cannot decide a (not pending, their own request,
 * read-only, the held request's scope), or NULL. */
const char *ops_approval_why_not(ops *r, const api_approval *a, char *buf, size_t bufsz);
/* The store's approvals moved: a target's pending mark becomes its
 * approval's outcome, and the maker's intents get their final audit rows
 * (act_follow_approvals). Returns the marks moved. */
size_t ops_follow_approvals(ops *r);

#endif
