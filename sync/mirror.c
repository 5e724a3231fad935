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

void sync_cache_queue(syncer *s, api_kind kind, const char *json, size_t len)
{
	if (!s->cache || cache_queue_json(s->cache, kind, json, len) != 0)
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

void sync_say_backwards(syncer *s, api_kind kind, const cache_backwards *b)
{
	if (!b->n)
		return;
	const char *what = kind == API_KIND_CHANNEL ? _("channels") :
			   kind == API_KIND_ROUTE ? _("routes") : _("alerts");
	char line[320];
	snprintf(line, sizeof line,
		 /* TRANSLATORS: site name, count, "channels"/"routes"/"alerts",
		  * the first ids and "..." when there are more */
		 _("platform history went back on %s: %zu %s older than the cache (%s%s), now shown and cached as the platform has them"),
		 sync_reading(s)->name, b->n, what, b->ids,
		 b->n > CACHE_BACKWARDS_NAMED ? ", ..." : "");
	time_t now = time(NULL);
	/* two collections found in the same second: one line names both */
	if (s->notice_at == now && strstr(s->notice, _("platform history went back")) &&
	    strlen(s->notice) + strlen(line) + 3 < sizeof s->notice) {
		size_t l = strlen(s->notice);
		snprintf(s->notice + l, sizeof s->notice - l, "; %s", line);
		s->notice_at = now + 1; /* a new stamp: the line is said again, whole */
	} else {
		sync_set_msg(s->notice, sizeof s->notice, line);
		s->notice_at = now;
	}
	sync_notify(s);
}
