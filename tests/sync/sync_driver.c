/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/sync/sync_driver.c: runs the real event loop, HTTP client, sync and
 * store against a platform and prints what the console would know, as one
 * JSON line whenever it changes (checked every 100 ms), so shell tests can
 * wait on conditions.
 *   sync-driver --site NAME=URL [--site ...] --token-file F [--poll-ms N]
 *               [--slow-poll-ms N] [--resync-ms N] [--watch CHANNEL_ID] [--event-log FILE]
 *               [--for-ms N] [--every-change] [--timeout-ms N]
 * --every-change also reports from sync's listener, the moment anything
 * changed, so a state that lasts less than 100 ms is seen too.
 */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/sync.h"
#include "base/ev.h"

static ev_loop *loop;
static store *st;
static syncer *sy;
static const char *watch;
static char last_line[8192];
static int64_t t0;
static FILE *event_log;

static void on_event(void *ctx, const char *id, const char *type)
{
	(void)ctx;
	fprintf(event_log, "%s %s\n", id, type);
	fflush(event_log);
}

static const char *state_name(sync_site_state s)
{
	switch (s) {
	case SITE_CONNECTING: return "connecting";
	case SITE_UP: return "up";
	case SITE_FAILING: return "failing";
	}
	return "?";
}

static void report(void *ctx)
{
	(void)ctx;
	json_t *o = json_object();
	json_t *sites = json_array();
	for (size_t i = 0; i < sync_site_count(sy); i++) {
		const sync_site_info *si = sync_site(sy, i);
		json_array_append_new(sites, json_pack("{s:s, s:s, s:i, s:b, s:s}",
			"name", si->name, "state", state_name(si->state),
			"failures", si->failures, "stream", si->stream_open,
			"error", si->error));
	}
	unsigned long req, nm, ev;
	sync_counters(sy, &req, &nm, &ev);
	const store_meta *cm = store_meta_get(st, STORE_CHANNELS);
	json_object_set_new(o, "active", json_string(sync_site(sy, sync_active_site(sy))->name));
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "channels", json_integer((json_int_t)store_channel_count(st)));
	json_object_set_new(o, "routes", json_integer((json_int_t)store_route_count(st)));
	json_object_set_new(o, "alerts", json_integer((json_int_t)store_alert_count(st)));
	json_object_set_new(o, "approvals", json_integer((json_int_t)store_approval_count(st)));
	json_object_set_new(o, "chan_error", json_string(cm->error));
	json_object_set_new(o, "chan_fetched", json_integer((json_int_t)cm->fetched_at));
	json_object_set_new(o, "from_cache", json_boolean(cm->from_cache));
	json_object_set_new(o, "requests", json_integer((json_int_t)req));
	json_object_set_new(o, "not_modified", json_integer((json_int_t)nm));
	json_object_set_new(o, "events", json_integer((json_int_t)ev));
	json_object_set_new(o, "notice", json_string(sync_notice(sy, NULL)));
	const api_me *me = store_me(st);
	json_object_set_new(o, "operator", json_string(me ? me->operator_id : ""));
	if (watch) {
		const api_channel *c = store_channel_find(st, watch);
		json_object_set_new(o, "watch", c ? json_pack("{s:s, s:s, s:s, s:I}",
			"health", c->health_raw ? c->health_raw : "",
			"admin_state", c->admin_state_raw ? c->admin_state_raw : "",
			"breaker", c->breaker_raw ? c->breaker_raw : "",
			"version", (json_int_t)c->version) : json_null());
		json_object_set_new(o, "trend_seeded", json_boolean(store_trend_seeded(st, watch)));
	}
	char *line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (line && strcmp(line, last_line) != 0) {
		snprintf(last_line, sizeof last_line, "%s", line);
		printf("{\"t_ms\":%lld,%s\n", (long long)(ev_now_ms() - t0), line + 1);
		fflush(stdout);
	}
	free(line);
}

static void tick(void *ctx)
{
	report(ctx);
	ev_timer_add(loop, 100, tick, ctx);
}

static void stop(void *ctx)
{
	(void)ctx;
	ev_stop(loop);
}

static void on_signal(void *ctx, int signo)
{
	(void)ctx;
	(void)signo;
	ev_stop(loop);
}

int main(int argc, char **argv)
{
	cfg_config cfg;
	cfg_defaults(&cfg);
	char *token = NULL;
	long for_ms = 0;
	bool every_change = false;
	int timeout_ms = 2000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--site") == 0 && i + 1 < argc) {
			char *eq = strchr(argv[++i], '=');
			if (!eq || cfg.n_sites >= CFG_MAX_SITES)
				return 2;
			cfg.sites[cfg.n_sites].name = strndup(argv[i], (size_t)(eq - argv[i]));
			cfg.sites[cfg.n_sites].url = strdup(eq + 1);
			cfg.n_sites++;
		} else if (strcmp(argv[i], "--token-file") == 0 && i + 1 < argc) {
			cfg.token_file = strdup(argv[++i]);
		} else if (strcmp(argv[i], "--poll-ms") == 0 && i + 1 < argc) {
			cfg.poll_interval_ms = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--slow-poll-ms") == 0 && i + 1 < argc) {
			cfg.slow_poll_interval_ms = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--resync-ms") == 0 && i + 1 < argc) {
			cfg.resync_interval_ms = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--watch") == 0 && i + 1 < argc) {
			watch = argv[++i];
		} else if (strcmp(argv[i], "--event-log") == 0 && i + 1 < argc) {
			if (!(event_log = fopen(argv[++i], "w")))
				return 2;
		} else if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc) {
			timeout_ms = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--every-change") == 0) {
			every_change = true;
		} else if (strcmp(argv[i], "--for-ms") == 0 && i + 1 < argc) {
			for_ms = atol(argv[++i]);
		} else {
			fprintf(stderr, "sync-driver: unknown argument %s\n", argv[i]);
			return 2;
		}
	}
	cfg.request_timeout_ms = timeout_ms;
	char err[256];
	token = cfg_read_token(&cfg, err, sizeof err);
	if (!token) {
		fprintf(stderr, "sync-driver: %s\n", err);
		return 2;
	}
	loop = ev_new();
	http_opts ho = { .connect_timeout_ms = 1000 };
	http_client *http = http_new(loop, &ho);
	st = store_new();
	sy = sync_new(loop, http, st, &cfg, token);
	if (!loop || !http || !st || !sy) {
		fprintf(stderr, "sync-driver: start-up failed\n");
		return 1;
	}
	ev_signal_add(loop, SIGTERM, on_signal, NULL);
	ev_signal_add(loop, SIGINT, on_signal, NULL);
	t0 = ev_now_ms();
	if (event_log)
		sync_set_event_hook(sy, on_event, NULL);
	if (every_change)
		sync_set_listener(sy, report, NULL);
	sync_start(sy);
	ev_timer_add(loop, 100, tick, NULL);
	if (for_ms > 0)
		ev_timer_add(loop, for_ms, stop, NULL);
	ev_run(loop);
	report(NULL);
	sync_free(sy);
	http_free(http);
	store_free(st);
	ev_free(loop);
	free(token);
	cfg_free(&cfg);
	if (event_log)
		fclose(event_log);
	return 0;
}
