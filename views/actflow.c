/* SPDX-License-Identifier: ISC (see COPYING) */
/* views/actflow.c: the view environment's runner. */
#include "views/actflow.h"

#include <stdlib.h>

struct flow {
	ops *r;
};

flow *flow_new(const view_env *env)
{
	flow *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	ops_env oe = {
		.st = env->st, .cfg = env->cfg, .message = env->message,
		.confirm = env->confirm, .changed = env->changed,
		.act = env->act, .am = env->am, .cache = env->cache,
		.ctx = env->ctx,
	};
	f->r = ops_new(&oe);
	if (!f->r) {
		free(f);
		return NULL;
	}
	return f;
}

void flow_free(flow *f)
{
	if (!f)
		return;
	ops_free(f->r);
	free(f);
}

ops *flow_ops(const flow *f)
{
	return f ? f->r : NULL;
}

int flow_channel(flow *f, const char *channel_id, const char *iface,
		 act_channel_verb verb, wint_t opened_by)
{
	return ops_channel(flow_ops(f), channel_id, iface, verb, opened_by);
}

int flow_reroute(flow *f, const char *route_id, const act_weight *w,
		 size_t n, wint_t opened_by)
{
	return ops_reroute(flow_ops(f), route_id, w, n, opened_by);
}

const flow_mark *flow_mark_of(const flow *f, const char *target)
{
	return ops_mark_of(flow_ops(f), target);
}

uint64_t flow_gen(const flow *f)
{
	return ops_gen(flow_ops(f));
}

const char *flow_why_not(flow *f, act_kind k, char *buf, size_t bufsz)
{
	return f ? ops_why_not(f->r, k, buf, bufsz) : NULL;
}

const char *flow_mark_word(const flow_mark *m, char *buf, size_t bufsz)
{
	return ops_mark_word(m, buf, bufsz);
}
