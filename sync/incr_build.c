/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/incr_build.c: after a first load into an empty table (a bulk load
 * without indexes), the indexes are built on the cache's own thread; the
 * loop watches for the end through a descriptor (or a timer when it cannot)
 * and only then counts the walk complete. A build that fails is reported
 * and tried again later, less and less often. */
#include "sync/incr_int.h"

#include <poll.h>
#include <stdio.h>
#include <time.h>

#define BUILD_POLL_MS 100
#define BUILD_RETRY_MIN_MS 60000

static void build_failed(incr_job *j, time_t now)
{
	incr *in = j->in;
	char msg[600];
	snprintf(msg, sizeof msg, "%s: building the indexes: %.500s", j->name,
		 cache_error(in->c));
	store_mark_error(in->st, j->coll, now, msg);
	in->stats.errors++;
	/* a build that fails again and again would keep a core busy: the
	 * next try after 1, 2, 4... minutes, at most a full walk's interval */
	int64_t wait = BUILD_RETRY_MIN_MS << (j->build_failures < 5 ? j->build_failures : 5);
	if (wait > in->o.full_ms)
		wait = in->o.full_ms;
	j->build_failures++;
	j->build_after_ms = ev_now_ms() + wait;
}

static void on_build_fd(void *ctx, int fd, short revents);
static void on_build_timer(void *ctx);

int incr_build_start(incr_job *j)
{
	incr *in = j->in;
	time_t now = time(NULL);
	int rc = cache_bulk_build_start(in->c, j->kind);
	if (rc < 0)
		build_failed(j, now);
	if (rc != 0)
		return -1;
	int fd = cache_build_fd(in->c);
	in->building = j;
	j->ph = PH_BUILD;
	if (ev_io_set(in->ev, fd, POLLIN, on_build_fd, in) == 0)
		in->build_fd = fd;
	else /* no watcher to be had: look every BUILD_POLL_MS instead */
		in->build_timer = ev_timer_add(in->ev, BUILD_POLL_MS, on_build_timer, in);
	return 0;
}

static void build_ended(incr *in);

static void on_build_fd(void *ctx, int fd, short revents)
{
	(void)fd;
	(void)revents;
	build_ended(ctx);
}

static void on_build_timer(void *ctx)
{
	incr *in = ctx;
	in->build_timer = 0;
	build_ended(in);
}

static void build_ended(incr *in)
{
	time_t now = time(NULL);
	if (in->build_fd >= 0)
		ev_io_del(in->ev, in->build_fd);
	in->build_fd = -1;
	if (cache_build_finish(in->c, NULL) == 1) { /* not yet */
		int fd = cache_build_fd(in->c);
		if (ev_io_set(in->ev, fd, POLLIN, on_build_fd, in) == 0)
			in->build_fd = fd;
		else
			in->build_timer = ev_timer_add(in->ev, BUILD_POLL_MS, on_build_timer, in);
		return;
	}
	incr_job *j = in->building;
	in->building = NULL;
	if (!j)
		return;
	if (cache_bulk_active(in->c, j->kind)) {
		build_failed(j, now);
	} else {
		/* the panes query again, now with the indexes */
		j->changed = true;
		j->build_failures = 0;
	}
	incr_walk_complete(j, now);
	/* what the stream brought during the build: the next poll has it */
	if (in->missed_events) {
		in->missed_events = false;
		for (int i = 0; i < 3; i++) {
			incr_job *o = &in->jobs[i];
			if (o->enabled && o->ph == PH_IDLE && !o->inflight)
				incr_job_schedule(o, 0);
		}
	}
}
