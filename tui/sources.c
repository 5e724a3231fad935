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
#include "metrics/prom.h"
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
	pm_source *pm;         /* metrics.prometheus, NULL when not configured */
	int64_t trends_at;     /* when the Prometheus trends were last asked */
};

/* Prometheus trends: the last half hour a point a minute, asked again
 * every minute (one query_range per trend for every channel). */
#define PM_TREND_MIN 30
#define PM_TREND_STEP_S 60
#define PM_TREND_EVERY_MS 60000

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
	if (s->am)
		am_watch_check(s);
	if (s->pm) {
		/* the source says once when it falls back and when it returns */
		bool back = false;
		const char *news = pm_take_news(s->pm, &back);
		if (news)
			say(s, back ? MSG_OK : MSG_WARN, news);
		int64_t now = ev_now_ms();
		if (now - s->trends_at >= PM_TREND_EVERY_MS) {
			s->trends_at = now;
			pm_fetch_trends(s->pm, PM_TREND_MIN, PM_TREND_STEP_S,
					NULL, NULL);
		}
	}
}

/* metrics: the Prometheus source, with its own token; a token that cannot
 * be read leaves the platform's numbers, said on the message line. */
static void pm_setup(app_sources *s)
{
	const cfg_config *c = s->env.cfg;
	if (!c->metrics.prometheus)
		return;
	char err[512];
	char *tok = cfg_read_metrics_token(c, err, sizeof err);
	if (!tok && err[0]) {
		char msg[700];
		snprintf(msg, sizeof msg, _("metrics: %s: channel numbers "
					    "from the platform"), err);
		say(s, MSG_ERROR, msg);
		return;
	}
	s->pm = pm_new(s->env.ev, c, tok);
	if (tok) {
		memset(tok, 0, strlen(tok));
		free(tok);
	}
	int64_t poll = c->poll_interval_ms > 0 ? c->poll_interval_ms : 2000;
	if (!s->watch_ms || poll < s->watch_ms)
		s->watch_ms = poll < 200 ? 200 : poll;
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
	pm_setup(s);
	return s;
}

void sources_start(app_sources *s)
{
	if (s->pm) {
		pm_start(s->pm);
		s->trends_at = ev_now_ms() - PM_TREND_EVERY_MS;
	}
	if (!s->am && !s->pm)
		return;
	if (s->am)
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

pm_source *sources_pm(const app_sources *s)
{
	return s ? s->pm : NULL;
}

void sources_free(app_sources *s)
{
	if (!s)
		return;
	if (s->watch)
		ev_timer_cancel(s->env.ev, s->watch);
	am_hub_free(s->am);
	pm_free(s->pm);
	free(s->said);
	free(s);
}
