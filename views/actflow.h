/* views/actflow.h: an operator action from the keyboard to its outcome on
 * screen: the pre-check (read-only, scope, validation) that refuses before
 * anything opens, the confirmation dialog that states the exact effect (the
 * target, its state now and after, its traffic share and TPS, which route
 * groups lose it and where that traffic goes), act_submit() with the object
 * the dialog showed, progress and the outcome on the message line, the
 * pending marker a pane shows while it runs, and a conflict asked again
 * with the new state. One per app; every pane and the `:` line use it. */
#ifndef PAYOPS_VIEWS_ACTFLOW_H
#define PAYOPS_VIEWS_ACTFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

#include "actions/actions.h"
#include "views/view.h"

typedef struct flow flow;

/* What a pane shows beside a target. */
typedef enum {
	FLOW_NONE = 0,
	FLOW_IN_FLIGHT,     /* sent, no final answer yet */
	FLOW_DONE,          /* the last outcome (status below) */
} flow_phase;

typedef struct {
	flow_phase phase;
	act_status status;      /* FLOW_DONE */
	char what[96];          /* "quarantine", "refund: disable", "reweight" */
	char code[64];          /* rejected: the problem code */
	time_t at;
} flow_mark;

/* env: the app's (copied; its act, confirm and message are used). */
flow *flow_new(const view_env *env);
void flow_free(flow *f);

/* Open the dialog for a channel verb (iface NULL/"": the whole channel).
 * opened_by: the key that opened it (0 from the `:` line). 0 when the dialog
 * opened; -1 when refused (the reason is on the message line). */
int flow_channel(flow *f, const char *channel_id, const char *iface,
		 act_channel_verb verb, wint_t opened_by);
/* The same for new weights of a route group (every member, summing to
 * 100); the dialog asks for an optional expiry ("30m"). */
int flow_reroute(flow *f, const char *route_id, const act_weight *w,
		 size_t n, wint_t opened_by);

/* The pane's marker for a target; NULL when nothing to show. */
const flow_mark *flow_mark_of(const flow *f, const char *target);
/* Moves whenever a mark changes (views compare it in recalc). */
uint64_t flow_gen(const flow *f);
/* Why an action of this kind cannot run now (read-only, scope), or NULL. */
const char *flow_why_not(flow *f, act_kind k, char *buf, size_t bufsz);
/* A short word for a mark: "~ sending", "applied", "pending approval",
 * "rejected: invalid_transition"... */
const char *flow_mark_word(const flow_mark *m, char *buf, size_t bufsz);

#endif
