/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/sources.c: the feeds beside the platform's REST and event stream:
 * the configured Prometheus Alertmanagers (alerts/), merged into the store
 * with the platform's alerts.
 *
 * An Alertmanager that fails is said on the message line once per change
 * (a new error, or answering again), not at every retry: a watch timer
 * runs at the poll interval and compares each server's state with what it
 * last said. */
#include "tui/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am.h"
#include "base/i18n.h"
#include "widgets/bar.h"

typedef struct {
	bool failing;          /* what was said last */
	char error[320];
} am_said;

struct app_sources {
	sources_env env;
	am_hub *am;
	am_said *said;         /* per Alertmanager, by hub index */
	size_t n_said;
	ev_timer_id watch;
	int64_t watch_ms;
	uint64_t seen_gen;
};

static void say(app_sources *s, int sev, const char *text)
{
	if (s->env.message)
		s->env.message(s->env.ctx, sev, text);
}

static void on_am_resolved(void *ctx, const char *message)
{
	say(ctx, MSG_WARN, message);
}

/* Say what changed since the last look: a server that started failing or
 * failed differently, or one that answers again. */
static void am_watch_check(app_sources *s)
{
	uint64_t g = am_hub_gen(s->am);
	if (g == s->seen_gen)
		return;
	s->seen_gen = g;
	size_t n = am_hub_count(s->am);
	if (n > s->n_said) {
		am_said *p = realloc(s->said, n * sizeof *p);
		if (!p)
			return;
		memset(p + s->n_said, 0, (n - s->n_said) * sizeof *p);
		s->said = p;
		s->n_said = n;
	}
	for (size_t i = 0; i < n; i++) {
		const am_state *st = am_server_state(am_hub_at(s->am, i));
		am_said *d = &s->said[i];
		if (st->health == AM_FAILING && st->error[0]) {
			if (d->failing && strcmp(d->error, st->error) == 0)
				continue;
			d->failing = true;
			snprintf(d->error, sizeof d->error, "%s", st->error);
			say(s, MSG_ERROR, st->error);
		} else if (st->health == AM_UP && d->failing) {
			char msg[200];
			d->failing = false;
			d->error[0] = '\0';
			snprintf(msg, sizeof msg, _("alertmanager %s answers again"),
				 st->name ? st->name : "?");
			say(s, MSG_OK, msg);
		}
	}
}

static void on_watch(void *ctx)
{
	app_sources *s = ctx;
	s->watch = ev_timer_add(s->env.ev, s->watch_ms, on_watch, s);
	am_watch_check(s);
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
		/* a failure shows at most two seconds after the poll that
		 * saw it, without waking an idle console more than polling does */
		s->watch_ms = o.poll_ms < 2000 ? o.poll_ms : 2000;
		if (s->watch_ms < 200)
			s->watch_ms = 200;
	}
	return s;
}

void sources_start(app_sources *s)
{
	if (!s->am)
		return;
	am_hub_start(s->am);
	if (!s->watch)
		s->watch = ev_timer_add(s->env.ev, s->watch_ms, on_watch, s);
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
	if (s->watch)
		ev_timer_cancel(s->env.ev, s->watch);
	am_hub_free(s->am);
	free(s->said);
	free(s);
}
