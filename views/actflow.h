/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/actflow.h: the app's and the panes' handle on the operation runner
 * (ops/ops.h). The app makes one (flow_new) from its view environment and
 * puts it in every pane's env->flow; the panes reach the runner through
 * flow_ops() and read the marks it keeps for their rows. The names below
 * are the ones the panes and the `:` commands have always used. */
#ifndef PAYOPS_VIEWS_ACTFLOW_H
#define PAYOPS_VIEWS_ACTFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "ops/ops.h"
#include "views/view.h"

typedef struct flow flow;

/* What a pane shows beside a target (ops_mark). */
typedef ops_mark flow_mark;
#define FLOW_NONE OPS_NONE
#define FLOW_IN_FLIGHT OPS_IN_FLIGHT
#define FLOW_DONE OPS_DONE

/* env: the app's (its store, configuration, message line, dialog, clients
 * and ctx are used). NULL when out of memory. */
flow *flow_new(const view_env *env);
void flow_free(flow *f);
/* The runner (NULL for a NULL flow: tests that act on nothing). */
ops *flow_ops(const flow *f);

/* ops_channel() and ops_reroute(), for the keys and the `:` line. */
int flow_channel(flow *f, const char *channel_id, const char *iface,
		 act_channel_verb verb, wint_t opened_by);
int flow_reroute(flow *f, const char *route_id, const act_weight *w,
		 size_t n, wint_t opened_by);

/* ops_mark_of(), ops_gen(), ops_why_not(), ops_mark_word(). */
const flow_mark *flow_mark_of(const flow *f, const char *target);
uint64_t flow_gen(const flow *f);
const char *flow_why_not(flow *f, act_kind k, char *buf, size_t bufsz);
const char *flow_mark_word(const flow_mark *m, char *buf, size_t bufsz);

#endif
