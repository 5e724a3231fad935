/* tui/sources.c: the feeds beside the platform's REST and event stream:
 * the configured Prometheus Alertmanagers (alerts/), merged into the store
 * with the platform's alerts. */
#include "tui/sources.h"

#include <stdlib.h>

#include "alerts/am.h"

struct app_sources {
	sources_env env;
	am_hub *am;
};

static void on_am_resolved(void *ctx, const char *message)
{
	app_sources *s = ctx;
	if (s->env.message)
		s->env.message(s->env.ctx, 1 /* MSG_WARN */, message);
}

app_sources *sources_new(const sources_env *env)
{
	app_sources *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->env = *env;
	if (env->cfg->n_alertmanagers > 0) {
		am_options o = { .poll_ms = env->cfg->poll_interval_ms > 0 ?
						env->cfg->poll_interval_ms : 5000,
				 .timeout_ms = env->cfg->request_timeout_ms };
		s->am = am_hub_new(env->ev, env->http, env->st, env->audit, &o);
		if (!s->am || am_hub_add_config(s->am, env->cfg) != 0) {
			sources_free(s);
			return NULL;
		}
		am_hub_on_resolved(s->am, on_am_resolved, s);
	}
	return s;
}

void sources_start(app_sources *s)
{
	if (s->am)
		am_hub_start(s->am);
}

void sources_set_operator(app_sources *s, const char *operator_id)
{
	s->env.operator_id = operator_id;
}

am_hub *sources_am(const app_sources *s)
{
	return s->am;
}

void sources_free(app_sources *s)
{
	if (!s)
		return;
	am_hub_free(s->am);
	free(s);
}
