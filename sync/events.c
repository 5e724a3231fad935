/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/events.c: the platform's event stream, from the site read from:
 * channel, route, alert and approval events into the store, case, break and limit
 * events to the incremental sync, a reset refetches everything. */
#include "sync/sync_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/url.h"

static void on_stream_event(void *ctx, const sse_event *ev)
{
	syncer *s = ctx;
	time_t now = time(NULL);
	site *st = sync_reading(s);
	st->info.last_event_id = strtoll(ev->id, NULL, 10);
	s->events_seen++;
	if (s->event_hook)
		s->event_hook(s->event_hook_ctx, ev->id, ev->event);
	if (strcmp(ev->event, "reset") == 0) {
		/* the server no longer has what we missed (or has another
		 * history: a restart, a restore): refetch everything whole,
		 * as the authoritative copy */
		sync_refetch_all(s);
		return;
	}
	json_t *root = NULL;
	api_err err = {{0}};
	char msg[384];
	if (api_parse(ev->data, ev->data_len, &root, &err) != 0) {
		snprintf(msg, sizeof msg, "event %s %s: %s", ev->event, ev->id, err.msg);
		store_mark_error(s->st, STORE_CHANNELS, now, msg);
		sync_notify(s);
		return;
	}
	int rc = 0;
	if (strcmp(ev->event, "channel") == 0) {
		api_channel ch = {0};
		if ((rc = api_decode_channel(root, &ch, &err)) == 0)
			store_channel_upsert(s->st, &ch, now);
	} else if (strcmp(ev->event, "route") == 0) {
		api_route rt = {0};
		if ((rc = api_decode_route(root, &rt, &err)) == 0)
			store_route_upsert(s->st, &rt, now);
	} else if (strcmp(ev->event, "alert") == 0) {
		api_alert a = {0};
		if ((rc = api_decode_alert(root, &a, &err)) == 0) {
			if (!a.source)
				a.source = strdup("platform");
			store_alert_upsert(s->st, &a, now);
		}
	} else if (strcmp(ev->event, "approval") == 0) {
		api_approval ap = {0};
		if ((rc = api_decode_approval(root, &ap, &err)) == 0)
			store_approval_upsert(s->st, &ap, now);
	} else if (s->incr && (strcmp(ev->event, "case") == 0 ||
			     strcmp(ev->event, "break") == 0 ||
			     strcmp(ev->event, "limit") == 0))
		incr_apply_event(s->incr, ev->event, root, ev->data, ev->data_len);
	/* what the screen now shows goes to the cache with the next batch,
	 * keyed from this parse */
	if (rc == 0 && strcmp(ev->event, "channel") == 0)
		sync_cache_queue(s, API_KIND_CHANNEL, root, ev->data, ev->data_len);
	else if (rc == 0 && strcmp(ev->event, "route") == 0)
		sync_cache_queue(s, API_KIND_ROUTE, root, ev->data, ev->data_len);
	else if (rc == 0 && strcmp(ev->event, "alert") == 0)
		sync_cache_queue(s, API_KIND_ALERT, root, ev->data, ev->data_len);
	json_decref(root);
	if (rc != 0) {
		snprintf(msg, sizeof msg, "event %s %s: %s", ev->event, ev->id, err.msg);
		store_mark_error(s->st, strcmp(ev->event, "route") == 0 ? STORE_ROUTES :
				 strcmp(ev->event, "alert") == 0 ? STORE_ALERTS :
				 strcmp(ev->event, "approval") == 0 ? STORE_APPROVALS :
				 STORE_CHANNELS, now, msg);
	}
	sync_notify(s);
}

static void on_stream_state(void *ctx, stream_state state, const char *reason,
			    int64_t retry_in_ms)
{
	syncer *s = ctx;
	site *st = sync_reading(s);
	bool open = state == STREAM_OPEN;
	(void)retry_in_ms;
	if (open != st->info.stream_open || (reason && *reason)) {
		st->info.stream_open = open;
		if (state == STREAM_RETRYING && reason && *reason &&
		    st->info.state == SITE_UP)
			snprintf(st->info.error, sizeof st->info.error,
				 "event stream: %s", reason);
		sync_notify(s);
	}
	/* while the stream is open it brings every change to cases, breaks
	 * and limits: their polls only resync */
	if (s->incr) {
		int slow = s->cfg->slow_poll_interval_ms, resync = s->cfg->resync_interval_ms;
		incr_set_poll_ms(s->incr, open && resync > slow ? resync : slow);
	}
	/* a stream that comes back may have missed something: a poll costs only
	 * 304s, so make sure. A stream that broke may mean the site is gone:
	 * ask now rather than at the next poll, so the screen says so. */
	if (open || state == STREAM_RETRYING)
		sync_refresh_now(s);
}

/* (Re)connect the event stream to the site we read from, resuming after
 * the last event seen (a site that does not know that id answers reset). */
void sync_stream_open(syncer *s)
{
	char last[32] = "";
	if (s->events) {
		sync_set_msg(last, sizeof last, stream_last_id(s->events));
		stream_free(s->events);
		s->events = NULL;
		sync_reading(s)->info.stream_open = false;
	}
	for (size_t i = 0; i < s->n_sites; i++)
		s->sites[i].info.stream_open = false;
	char url[2048];
	free(s->events_url);
	s->events_url = NULL;
	if (url_build(url, sizeof url, sync_reading(s)->url, "/v1/events", NULL, NULL) != URL_OK ||
	    !(s->events_url = strdup(url)))
		return;
	stream_opts so = {
		.url = s->events_url,
		.bearer = s->token,
		.last_event_id = *last ? last : NULL,
		.silence_ms = 45000,
		.cap_ms = 10000, /* an operator waits for a site to come back */
	};
	stream_callbacks cb = {
		.on_state = on_stream_state,
		.on_event = on_stream_event,
		.ctx = s,
	};
	if ((s->events = stream_new(s->ev, s->http, &so, &cb)))
		stream_start(s->events);
}
