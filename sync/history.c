/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/history.c: the channels' trend history (GET /v1/channels/ID/history),
 * fetched once per channel when wanted, a few at a time, the most recently
 * wanted (the one on screen) first. */
#include "sync/sync_int.h"

#include <stdlib.h>
#include <string.h>

#include "net/url.h"

#define HISTORY_PARALLEL 4

typedef struct hist_req {
	syncer *s;
	char *id;
	uint64_t handle;
	struct hist_req *next, *prev; /* in flight, so sync_free can cancel */
} hist_req;

static bool hist_known(const syncer *s, const char *id)
{
	for (size_t i = 0; i < s->hist_done.n; i++)
		if (strcmp(s->hist_done.at[i], id) == 0)
			return true;
	return false;
}

static void history_done(void *ctx, const http_response *r)
{
	hist_req *h = ctx;
	syncer *s = h->s;
	s->hist_inflight--;
	if (h->prev)
		h->prev->next = h->next;
	else
		s->hist_live = h->next;
	if (h->next)
		h->next->prev = h->prev;
	if (r->status == 200) {
		json_t *root = NULL;
		api_err err = {{0}};
		api_history hist = {0};
		if (api_parse(r->body, r->body_len, &root, &err) == 0 &&
		    api_decode_history(root, &hist, &err) == 0) {
			store_trend_seed(s->st, &hist);
			sync_notify(s);
		}
		api_history_free(&hist);
		json_decref(root);
	}
	/* a failed history only costs the trend line; it is not retried
	 * until the channel is asked for again after a reset */
	free(h->id);
	free(h);
	sync_history_pump(s);
}

void sync_history_pump(syncer *s)
{
	while (s->hist_inflight < HISTORY_PARALLEL && s->hist_queue.n > 0) {
		char *id = s->hist_queue.at[--s->hist_queue.n];
		char url[2048];
		const char *segs[] = { id, "history", NULL };
		char minutes[16];
		snprintf(minutes, sizeof minutes, "%d", s->history_minutes > 0 ? s->history_minutes : 60);
		const url_param q[] = { { "minutes", minutes }, { NULL, NULL } };
		if (url_build(url, sizeof url, sync_reading(s)->url, "/v1/channels", segs, q) != URL_OK) {
			free(id); /* an id no URL can carry: no trend for it */
			continue;
		}
		hist_req *h = malloc(sizeof *h);
		if (!h) {
			free(id);
			return;
		}
		h->s = s;
		h->id = id;
		h->prev = NULL;
		http_request rq = { .method = "GET", .url = url, .bearer = s->token,
				    .timeout_ms = s->cfg->request_timeout_ms };
		s->requests++;
		if (!(h->handle = http_send(s->http, &rq, history_done, h))) {
			free(h->id);
			free(h);
			continue;
		}
		s->hist_inflight++;
		h->next = s->hist_live;
		if (h->next)
			h->next->prev = h;
		s->hist_live = h;
	}
}

void sync_want_history(syncer *s, const char *channel_id)
{
	if (!channel_id || hist_known(s, channel_id))
		return;
	/* all or nothing: an id marked done is always queued too, or a
	 * channel would never get its trend */
	char *done = strdup(channel_id), *queued = strdup(channel_id);
	if (!done || !queued || vec_reserve(&s->hist_done, 1) != 0 ||
	    vec_reserve(&s->hist_queue, 1) != 0) {
		free(done);
		free(queued);
		return;
	}
	s->hist_done.at[s->hist_done.n++] = done;
	/* a stack: the most recently wanted (the one on screen) goes first */
	s->hist_queue.at[s->hist_queue.n++] = queued;
	if (s->started)
		sync_history_pump(s);
}

/* Cancel what is in flight and forget every wish (sync_free). */
void sync_history_free(syncer *s)
{
	while (s->hist_live) {
		hist_req *h = s->hist_live;
		s->hist_live = h->next;
		http_cancel(s->http, h->handle);
		free(h->id);
		free(h);
	}
	for (size_t i = 0; i < s->hist_queue.n; i++)
		free(s->hist_queue.at[i]);
	vec_free(&s->hist_queue);
	for (size_t i = 0; i < s->hist_done.n; i++)
		free(s->hist_done.at[i]);
	vec_free(&s->hist_done);
}
