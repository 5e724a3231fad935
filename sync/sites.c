/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/sites.c: the sites of a platform. Each one's state (connecting, up,
 * failing), reading from another when the one read from keeps failing
 * (failover), back to a preferred one once it answers steadily (failback),
 * and the probes that watch the sites not read from. */
#include "sync/sync_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/url.h"

#define FAILOVER_AFTER 2        /* consecutive failures of the site we read from */
#define FAILBACK_AFTER 2        /* consecutive good answers of a preferred site */

/* "up" needs a success more recent than the last failure: an answer to a
 * request that left before a failure was seen (a slow one, still in flight
 * when the platform died) does not say the site is up again. */
void sync_site_ok(syncer *s, site *st, int64_t sent_ms)
{
	if (st->info.state == SITE_FAILING && sent_ms < st->failed_ms)
		return;
	bool changed = st->info.state != SITE_UP || st->info.error[0];
	st->info.state = SITE_UP;
	st->info.error[0] = '\0';
	st->info.failures = 0;
	st->successes++;
	st->info.last_ok = time(NULL);
	if (changed)
		sync_notify(s);
}

void sync_site_failed(syncer *s, site *st, const char *what)
{
	st->info.state = SITE_FAILING;
	st->failed_ms = ev_now_ms();
	st->info.failures++;
	st->successes = 0;
	sync_set_msg(st->info.error, sizeof st->info.error, what);
	sync_notify(s);
}

/* The site we read from keeps failing: read from the first other site that
 * answers. Several sites serve the same platform, so nothing is lost; an
 * action retried after the switch keeps its idempotency key. */
void sync_maybe_failover(syncer *s)
{
	site *cur = sync_reading(s);
	if (s->n_sites < 2 || cur->info.failures < FAILOVER_AFTER)
		return;
	for (size_t i = 0; i < s->n_sites; i++) {
		if (i != s->active && s->sites[i].info.state == SITE_UP) {
			char why[320];
			snprintf(why, sizeof why, "failed over from %s to %s: %s",
				 cur->name, s->sites[i].name, cur->info.error);
			sync_switch_site(s, i, why);
			return;
		}
	}
}

static void probe_done(void *ctx, const http_response *r)
{
	site *st = ctx;
	syncer *s = st->owner;
	st->probe_inflight = 0;
	size_t idx = (size_t)(st - s->sites);
	if (r->status == 200) {
		sync_site_ok(s, st, st->probe_sent_ms);
		/* a preferred site is back and steady: read from it again */
		if (idx < s->active && st->successes >= FAILBACK_AFTER) {
			char why[320];
			snprintf(why, sizeof why, "failed back to %s (answering again)",
				 st->name);
			sync_switch_site(s, idx, why);
			return;
		}
		/* the site we read from is failing and this one answers */
		sync_maybe_failover(s);
	} else {
		char msg[512];
		sync_describe_failure(r, "GET", "/v1/status", msg, sizeof msg);
		sync_site_failed(s, st, msg);
	}
	if (idx != s->active)
		sync_probe_schedule(st, PROBE_INTERVAL_MS);
}

static void probe_start(void *ctx)
{
	site *st = ctx;
	syncer *s = st->owner;
	st->probe_timer = 0;
	if (st->probe_inflight || (size_t)(st - s->sites) == s->active)
		return;
	char url[2048];
	int rc = url_build(url, sizeof url, st->url, "/v1/status", NULL, NULL);
	if (rc != URL_OK) {
		char msg[256];
		snprintf(msg, sizeof msg, "GET /v1/status: %s", url_strerror(rc));
		sync_site_failed(s, st, msg);
		sync_probe_schedule(st, PROBE_INTERVAL_MS);
		return;
	}
	http_request rq = { .method = "GET", .url = url, .bearer = s->token,
			    .timeout_ms = s->cfg->request_timeout_ms };
	s->requests++;
	st->probe_sent_ms = ev_now_ms();
	st->probe_inflight = http_send(s->http, &rq, probe_done, st);
	if (!st->probe_inflight)
		sync_probe_schedule(st, PROBE_INTERVAL_MS);
}

void sync_probe_schedule(site *st, int64_t ms)
{
	syncer *s = st->owner;
	if (st->probe_timer)
		ev_timer_cancel(s->ev, st->probe_timer);
	st->probe_timer = ev_timer_add(s->ev, ms, probe_start, st);
}

void sync_switch_site(syncer *s, size_t to, const char *why)
{
	if (to == s->active || to >= s->n_sites)
		return;
	size_t from = s->active;
	s->active = to;
	site *nst = &s->sites[to];
	if (nst->probe_timer) {
		ev_timer_cancel(s->ev, nst->probe_timer);
		nst->probe_timer = 0;
	}
	if (nst->probe_inflight) {
		http_cancel(s->http, nst->probe_inflight);
		nst->probe_inflight = 0;
	}
	/* what we cached came from another server: its ETags mean nothing here */
	sync_jobs_restart(s);
	sync_stream_open(s);
	if (s->incr)
		incr_set_base_url(s->incr, nst->url);
	/* keep watching the site we left, so we notice when it is back */
	sync_probe_schedule(&s->sites[from], PROBE_INTERVAL_MS);
	sync_set_msg(s->notice, sizeof s->notice, why);
	s->notice_at = time(NULL);
	sync_notify(s);
}
