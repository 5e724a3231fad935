/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/mirror.c: what the event stream brings reaches the cache within a
 * second, in one transaction per batch (cache_queue_*), so a start with
 * the platform down shows what the screen last showed; and a full refetch
 * that finds the platform's history gone back says so once. */
#include "sync/sync_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"

#define FLUSH_MS 1000          /* a batch: at most this old */

static void on_flush(void *ctx)
{
	syncer *s = ctx;
	s->flush_timer = 0;
	if (!s->cache || !cache_queue_pending(s->cache))
		return;
	if (cache_building(s->cache)) {
		/* no writes during an index build: the batch waits for it */
		s->flush_timer = ev_timer_add(s->ev, FLUSH_MS, on_flush, s);
		return;
	}
	if (cache_queue_flush(s->cache) < 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "cache: %s", cache_error(s->cache));
		store_mark_error(s->st, STORE_CHANNELS, time(NULL), msg);
		s->flush_timer = ev_timer_add(s->ev, FLUSH_MS, on_flush, s);
		sync_notify(s);
	}
}

void sync_cache_queue(syncer *s, api_kind kind, const json_t *obj, const char *json,
		      size_t len)
{
	if (!s->cache || cache_queue_object(s->cache, kind, obj, json, len) != 0)
		return;
	if (!s->flush_timer)
		s->flush_timer = ev_timer_add(s->ev, FLUSH_MS, on_flush, s);
}

void sync_cache_flush(syncer *s)
{
	if (s->flush_timer) {
		ev_timer_cancel(s->ev, s->flush_timer);
		s->flush_timer = 0;
	}
	if (s->cache && cache_queue_pending(s->cache) && !cache_building(s->cache))
		cache_queue_flush(s->cache);
}

/* One line for every collection found gone back by one refetch (they end
 * within a second or two of each other): a collection that ends later
 * is added to the line and the line said again, whole. */
#define BACK_EPISODE_S 10

void sync_say_backwards(syncer *s, api_kind kind, const cache_backwards *b)
{
	if (!b->n)
		return;
	time_t now = time(NULL);
	int k = kind == API_KIND_CHANNEL ? 0 : kind == API_KIND_ROUTE ? 1 : 2;
	if (now - s->back_at > BACK_EPISODE_S)
		memset(s->back, 0, sizeof s->back);
	s->back[k] = *b;
	s->back_at = now;
	char what[400] = "";
	for (int i = 0; i < 3; i++) {
		const cache_backwards *e = &s->back[i];
		if (!e->n)
			continue;
		size_t l = strlen(what);
		snprintf(what + l, sizeof what - l, "%s%zu %s (%s%s)", l ? ", " : "", e->n,
			 i == 0 ? ngettext("channel", "channels", e->n) :
			 i == 1 ? ngettext("route", "routes", e->n) :
			 ngettext("alert", "alerts", e->n),
			 e->ids, e->n > CACHE_BACKWARDS_NAMED ? ", ..." : "");
	}
	char line[sizeof s->notice];
	snprintf(line, sizeof line,
		 /* TRANSLATORS: the site's name, then counts of objects with their
		  * ids: "2 channels (cfs.hvps, hxb.direct.payout), 1 route (r1)" */
		 _("platform history went back on %s: %s older than the cache; now as the platform has them"),
		 sync_reading(s)->name, what);
	sync_set_msg(s->notice, sizeof s->notice, line);
	/* a new stamp even within the second: the app says each new line */
	s->notice_at = s->notice_at >= now ? s->notice_at + 1 : now;
	sync_notify(s);
}
