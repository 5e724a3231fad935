/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/sync.c: the pollers that keep the store in step with the platform.
 *
 * Each endpoint is a job: a timer, at most one request in flight, a cache
 * of (cursor -> ETag, body) per list page so an unchanged list costs the
 * platform only 304s, and a backoff that grows with failures (full jitter)
 * and never undercuts a server's Retry-After. Decoding happens here; the
 * store gets only objects that validated. The sites, the event stream and
 * the trend history are in their own files (sync_int.h). */
#include "sync/sync_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"
#include "base/utf8.h"
#include "net/url.h"

#define PAGE_LIMIT 500
#define HISTORY_MAX_AUTO 200   /* channels whose trend is fetched unasked */
#define ME_INTERVAL_MS 60000
#define STATUS_INTERVAL_MS 15000
#define STREAM_STATUS_INTERVAL_MS 30000 /* while the event stream is open */
#define CACHE_RETRY_MS 500      /* deferred cache writes: is the build done? */

/* Backoff delay with a floor, so a failing site is never hammered. */
static int64_t sync_delay(backoff *b, int retry_after_s)
{
	int64_t d = backoff_next(b, retry_after_s);
	return d < 250 ? 250 : d;
}

static void job_schedule(sync_job *j, int64_t ms);
static int64_t job_interval(const sync_job *j);
static void job_start(void *ctx);
static void cache_defer(sync_job *j);

void sync_notify(syncer *s)
{
	if (s->listener)
		s->listener(s->listener_ctx);
}

/* Every 5 minutes, once the queues have been read whole, their headlines
 * go into the cache: `payops report shift` sets the queues now against
 * its window's start. Checked when the incremental sync reports, which
 * an idle console's polls do at least every resync_interval. */
#define HEADLINE_EVERY_S 300
static void keep_headline(syncer *s)
{
	time_t now = time(NULL);
	if (!s->keep_headlines || !s->cache || !s->incr ||
	    (s->headline_at && now - s->headline_at < HEADLINE_EVERY_S))
		return;
	static const api_kind queues[] = { API_KIND_CASE, API_KIND_BREAK, API_KIND_LIMIT };
	for (size_t i = 0; i < sizeof queues / sizeof queues[0]; i++)
		if (incr_cycles(s->incr, queues[i]) == 0)
			return;
	cache_headline h;
	int rc = cache_headline_now(s->cache, now, &h);
	if (rc == 0)
		rc = cache_headline_record(s->cache, &h);
	if (rc <= 0) /* kept, or failed (tried again in 5 minutes); 1: not now */
		s->headline_at = now;
}

static void notify_cb(void *ctx)
{
	keep_headline(ctx);
	sync_notify(ctx);
}

static size_t kind_size(api_kind k)
{
	switch (k) {
	case API_KIND_CHANNEL: return sizeof(api_channel);
	case API_KIND_ROUTE: return sizeof(api_route);
	case API_KIND_CASE: return sizeof(api_case);
	case API_KIND_BREAK: return sizeof(api_break);
	case API_KIND_LIMIT: return sizeof(api_limit);
	case API_KIND_ALERT: return sizeof(api_alert);
	case API_KIND_APPROVAL: return sizeof(api_approval);
	}
	return 0;
}

static void kind_free_item(api_kind k, void *it)
{
	switch (k) {
	case API_KIND_CHANNEL: api_channel_free(it); break;
	case API_KIND_ROUTE: api_route_free(it); break;
	case API_KIND_CASE: api_case_free(it); break;
	case API_KIND_BREAK: api_break_free(it); break;
	case API_KIND_LIMIT: api_limit_free(it); break;
	case API_KIND_ALERT: api_alert_free(it); break;
	case API_KIND_APPROVAL: api_approval_free(it); break;
	}
}

static void job_drop_items(sync_job *j)
{
	size_t sz = kind_size(j->kind);
	for (size_t i = 0; i < j->n_items; i++)
		kind_free_item(j->kind, (char *)j->items + i * sz);
	free(j->items);
	j->items = NULL;
	j->n_items = j->cap_items = 0;
	for (size_t i = 0; i < j->rejected.n; i++)
		free(j->rejected.at[i]);
	vec_free(&j->rejected);
	j->reject_msg[0] = '\0';
	j->reject_count = 0;
}

static void page_clear(page_cache *p)
{
	free(p->next);
	free(p->cursor);
	free(p->etag);
	free(p->body);
	memset(p, 0, sizeof *p);
}

static int set_str(char **dst, const char *src)
{
	char *c = src ? strdup(src) : NULL;
	if (src && !c)
		return -1;
	free(*dst);
	*dst = c;
	return 0;
}

/* Copy a message into a fixed buffer, cut at a character boundary. */
void sync_set_msg(char *dst, size_t dstsz, const char *src)
{
	size_t n = src ? utf8_prefix(src, strnlen(src, dstsz), dstsz - 1) : 0;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Describe a failed response in words: transport error, or status + problem. */
void sync_describe_failure(const http_response *r, const char *method,
			   const char *path, char *out, size_t outsz)
{
	if (r->status == 0) {
		snprintf(out, outsz, "%s %s: %s", method, path,
			 r->error && *r->error ? r->error : "request failed");
		return;
	}
	api_problem pb = {0};
	api_decode_problem(r->body, r->body_len, &pb);
	const char *code = pb.code ? pb.code : "";
	const char *detail = pb.detail ? pb.detail : pb.title ? pb.title : "";
	if (r->status == 401)
		snprintf(out, outsz, "%s %s: 401 the token was refused%s%s", method,
			 path, *detail ? ": " : "", detail);
	else
		snprintf(out, outsz, "%s %s: HTTP %d%s%s%s%s", method, path,
			 r->status, *code ? " " : "", code, *detail ? ": " : "",
			 detail);
	api_problem_free(&pb);
}

/* ---- jobs ---- */

static void job_fail(sync_job *j, const http_response *r, const char *msg)
{
	syncer *s = j->s;
	job_drop_items(j);
	j->cur = 0;
	j->walk_changed = false;
	int64_t delay = sync_delay(&j->bo, r ? r->retry_after_s : -1);
	store_mark_error(s->st, j->coll, time(NULL), msg);
	/* transport failures and overload are the site's; others are the data's */
	bool site_fault = !r || r->status == 0 || r->status >= 500 ||
			  r->status == 429 || r->status == 401;
	if (site_fault)
		sync_site_failed(s, sync_reading(s), msg);
	else
		sync_notify(s);
	job_schedule(j, delay);
	if (site_fault)
		sync_maybe_failover(s);
}

static void job_apply_list(sync_job *j, time_t now)
{
	syncer *s = j->s;
	switch (j->kind) {
	case API_KIND_CHANNEL:
		store_channels_replace(s->st, j->items, j->n_items, j->rejected.at,
				       j->rejected.n, now);
		break;
	case API_KIND_ROUTE:
		store_routes_replace(s->st, j->items, j->n_items, j->rejected.at,
				     j->rejected.n, now);
		break;
	case API_KIND_ALERT:
		store_alerts_replace_source(s->st, "platform", j->items, j->n_items, now);
		break;
	case API_KIND_APPROVAL:
		store_approvals_replace(s->st, j->items, j->n_items, j->rejected.at,
					j->rejected.n, now);
		break;
	default:
		return;
	}
	/* the store took the items */
	j->items = NULL;
	j->n_items = j->cap_items = 0;
	if (j->kind == API_KIND_CHANNEL) /* trends for channels we have not seen yet */
		for (size_t i = 0; i < store_channel_count(s->st) &&
				   i < HISTORY_MAX_AUTO; i++)
			sync_want_history(s, store_channel_at(s->st, i)->id);
}

/* Decode a single object's body into the store; 0 or -1 with msg. */
static int job_apply_object(sync_job *j, const char *body, size_t len,
			    char *msg, size_t msgsz)
{
	json_t *root = NULL;
	api_err err = {{0}};
	if (api_parse(body, len, &root, &err) != 0) {
		snprintf(msg, msgsz, "%s: %s", j->name, err.msg);
		return -1;
	}
	int rc = -1;
	if (j->id == JOB_STATUS) {
		api_status st = {0};
		if ((rc = api_decode_status(root, &st, &err)) == 0)
			store_set_status(j->s->st, &st);
	} else if (j->id == JOB_ME) {
		api_me me = {0};
		if ((rc = api_decode_me(root, &me, &err)) == 0)
			store_set_me(j->s->st, &me);
	} else if (j->id == JOB_RECON) {
		/* validated here, kept in the cache where the Recon pane reads it */
		api_recon_summary sum = {0};
		if ((rc = api_decode_recon_summary(root, &sum, &err)) == 0 &&
		    j->s->cache) {
			j->cache_deferred = false;
			if (cache_building(j->s->cache))
				cache_defer(j); /* the body is kept: saved after the build */
			else if (cache_save_summary_json(j->s->cache, body, len, time(NULL)) != 0) {
				snprintf(err.msg, sizeof err.msg, "%s", cache_error(j->s->cache));
				rc = -1;
			} else {
				store_touch(j->s->st, STORE_RECON_SUMMARY);
			}
		}
		api_recon_summary_free(&sum);
	}
	json_decref(root);
	if (rc != 0)
		snprintf(msg, msgsz, "%s: %s", j->name, err.msg);
	return rc;
}

/* Append a decoded page's items to the walk (ownership moves). */
static int job_take_page(sync_job *j, api_page *pg)
{
	if (pg->n) {
		if (vec_append_raw(&j->items, &j->cap_items, &j->n_items, pg->items,
				   pg->n, kind_size(j->kind)) != 0)
			return -1;
		free(pg->items);
		pg->items = NULL;
		pg->n = 0;
	}
	if (pg->n_rejected) {
		if (!j->reject_count)
			sync_set_msg(j->reject_msg, sizeof j->reject_msg, pg->reject_msg);
		j->reject_count += pg->n_rejected;
		for (size_t i = 0; i < pg->n_rejected_ids; i++) {
			if (vec_push(&j->rejected, pg->rejected_ids[i]) != 0)
				return -1;
			pg->rejected_ids[i] = NULL;
		}
	}
	return 0;
}

/* Decode one cached page into the walk; remembers its next cursor. */
static int job_decode_page(sync_job *j, page_cache *pc, char *msg, size_t msgsz)
{
	api_page pg = {0};
	api_err err = {{0}};
	if (api_decode_page(pc->body, pc->len, j->kind, &pg, &err) != 0) {
		snprintf(msg, msgsz, "%s: %s", j->name, err.msg);
		api_page_free(&pg);
		return -1;
	}
	int rc = job_take_page(j, &pg);
	free(pc->next);
	pc->next = pg.next_cursor;
	pg.next_cursor = NULL;
	api_page_free(&pg);
	if (rc != 0) {
		snprintf(msg, msgsz, "%s: out of memory", j->name);
		return -1;
	}
	pc->taken = true;
	return 0;
}

/* A page that is not a valid list: keep the data we had, say why, and
 * forget that page's ETag so the next try fetches it whole. */
static void job_walk_refused(sync_job *j, page_cache *pc, const char *msg)
{
	syncer *s = j->s;
	page_clear(pc);
	job_drop_items(j);
	j->cur = 0;
	j->walk_changed = false;
	store_mark_error(s->st, j->coll, time(NULL), msg);
	sync_notify(s);
	job_schedule(j, sync_delay(&j->bo, -1));
}

/* While the cache builds the indexes of a bulk load (seconds) it takes no
 * writes, and waiting for it would freeze the loop: the mirror is written
 * from the kept page bodies once the build is over. */
static void on_cache_retry(void *ctx);

static void cache_defer(sync_job *j)
{
	syncer *s = j->s;
	j->cache_deferred = true;
	if (!s->cache_retry)
		s->cache_retry = ev_timer_add(s->ev, CACHE_RETRY_MS, on_cache_retry, s);
}

static void job_cache_pages(sync_job *j, time_t now);
static void job_cache_pages_now(sync_job *j, time_t now);
static void job_cache_changes(sync_job *j, time_t now);

static void on_cache_retry(void *ctx)
{
	syncer *s = ctx;
	s->cache_retry = 0;
	if (cache_building(s->cache)) {
		s->cache_retry = ev_timer_add(s->ev, CACHE_RETRY_MS, on_cache_retry, s);
		return;
	}
	time_t now = time(NULL);
	for (int i = 0; i < JOB__N; i++) {
		sync_job *j = &s->jobs[i];
		/* the pages are those of the last complete walk only between walks
		 * (a walk in progress mirrors them itself when it ends) */
		if (!j->cache_deferred || j->cur != 0)
			continue;
		j->cache_deferred = false;
		if (j->is_list) {
			job_cache_pages_now(j, now);
		} else if (j->pages[0].body) {
			if (cache_save_summary_json(s->cache, j->pages[0].body, j->pages[0].len, now) != 0)
				store_mark_error(s->st, j->coll, now, cache_error(s->cache));
			else
				store_touch(s->st, j->coll);
			sync_notify(s);
		}
	}
}

/* Mirror a complete list into the cache, so the next start paints at once.
 * A list whose every poll changes (2,000 channels' metrics, each tick) is
 * mirrored at most once a MIRROR_MIN_MS: writing all its rows at every
 * resync was half the console's CPU during live updates. The newest
 * list is still written when the console quits (sync_free), and a start
 * says how old the cached picture is. */
#define MIRROR_MIN_MS 60000

static void job_cache_pages(sync_job *j, time_t now)
{
	if (j->cached_ms && ev_now_ms() - j->cached_ms < MIRROR_MIN_MS && !j->cache_deferred) {
		j->cache_owed = true;
		job_cache_changes(j, now);
		return;
	}
	job_cache_pages_now(j, now);
}

/* Between full mirrors, the objects of this walk's new pages whose version
 * moved are written at once (an unchanged one is not rewritten): the
 * cache is never behind the screen by more than a walk. Only the full
 * mirror sweeps objects gone from the platform. */
static void job_cache_changes(sync_job *j, time_t now)
{
	syncer *s = j->s;
	if (!s->cache)
		return;
	if (cache_building(s->cache)) {
		cache_defer(j);
		return;
	}
	const char *bodies[MAX_PAGES];
	size_t lens[MAX_PAGES], n = 0;
	for (size_t i = 0; i < j->n_pages; i++) {
		if (!j->pages[i].fresh)
			continue;
		bodies[n] = j->pages[i].body;
		lens[n++] = j->pages[i].len;
	}
	if (n && cache_save_changes(s->cache, j->kind, bodies, lens, n) != 0)
		store_mark_error(s->st, j->coll, now, cache_error(s->cache));
}

static void job_cache_pages_now(sync_job *j, time_t now)
{
	syncer *s = j->s;
	j->cache_deferred = false;
	j->cache_owed = false;
	if (!s->cache || j->n_pages == 0 || j->reject_count)
		return; /* never cache a list we only partly believed */
	if (j->kind == API_KIND_APPROVAL)
		return; /* a pending approval from the cache could be decided on: never */
	if (cache_building(s->cache)) {
		cache_defer(j);
		return;
	}
	const char *bodies[MAX_PAGES];
	size_t lens[MAX_PAGES];
	for (size_t i = 0; i < j->n_pages; i++) {
		bodies[i] = j->pages[i].body;
		lens[i] = j->pages[i].len;
	}
	/* the authoritative refetch takes the platform's object even when
	 * its version is older than the cached one, and says so */
	cache_backwards back;
	if (cache_save_pages_full(s->cache, j->kind, bodies, lens, j->n_pages, now,
				  j->auth ? &back : NULL) != 0) {
		store_mark_error(s->st, j->coll, now, cache_error(s->cache));
	} else {
		j->cached_ms = ev_now_ms();
		if (j->auth)
			sync_say_backwards(s, j->kind, &back);
		j->auth = false;
	}
}

static void job_send(sync_job *j);

static void job_done(void *ctx, const http_response *r)
{
	sync_job *j = ctx;
	syncer *s = j->s;
	time_t now = time(NULL);
	char msg[512];
	j->inflight = 0;

	if (r->status != 200 && r->status != 304) {
		sync_describe_failure(r, "GET", j->path, msg, sizeof msg);
		job_fail(j, r, msg);
		return;
	}
	sync_site_ok(s, sync_reading(s), j->sent_ms);
	page_cache *pc = &j->pages[j->cur];
	pc->fresh = r->status == 200;
	if (r->status == 304) {
		s->not_modified++;
		if (!pc->body) { /* a 304 for something we never had: start over */
			page_clear(pc);
			job_fail(j, r, "unexpected 304 without a cached body; refetching");
			return;
		}
	} else {
		j->walk_changed = true;
		/* the old body stays whole until the new one is had: out of
		 * memory forgets the page (body and ETag together), so the
		 * next walk fetches it whole rather than revalidating a body
		 * against another body's ETag */
		char *body = malloc(r->body_len + 1);
		if (!body || set_str(&pc->etag, r->etag) != 0) {
			free(body);
			page_clear(pc);
			job_fail(j, NULL, "out of memory");
			return;
		}
		free(pc->body);
		pc->body = body;
		memcpy(pc->body, r->body, r->body_len);
		pc->body[r->body_len] = '\0';
		pc->len = r->body_len;
	}

	if (!j->is_list) {
		if (r->status == 200 &&
		    job_apply_object(j, pc->body, pc->len, msg, sizeof msg) != 0) {
			page_clear(pc); /* never revalidate a body we refused */
			store_mark_error(s->st, j->coll, now, msg);
			sync_notify(s);
		} else {
			store_mark_fetched(s->st, j->coll, now, false);
			backoff_reset(&j->bo);
			sync_notify(s);
		}
		job_schedule(j, job_interval(j));
		return;
	}

	/* A list page. Unchanged pages (304) are not decoded unless another
	 * page of the walk changed: an idle poll costs no parsing at all. */
	pc->taken = false;
	if (r->status == 200 && job_decode_page(j, pc, msg, sizeof msg) != 0) {
		job_walk_refused(j, pc, msg);
		return;
	}
	if (pc->next && j->cur + 1 < MAX_PAGES) {
		j->cur++;
		page_cache *np = &j->pages[j->cur];
		if (!np->cursor || strcmp(np->cursor, pc->next) != 0) {
			page_clear(np);
			if (!(np->cursor = strdup(pc->next))) {
				job_fail(j, NULL, "out of memory");
				return;
			}
		}
		job_send(j);
		return;
	}
	/* the walk is complete: forget pages past its end */
	for (size_t i = j->cur + 1; i < MAX_PAGES && j->pages[i].cursor; i++)
		page_clear(&j->pages[i]);
	j->n_pages = j->cur + 1;
	if (j->walk_changed) {
		for (size_t i = 0; i < j->n_pages; i++) {
			if (!j->pages[i].taken &&
			    job_decode_page(j, &j->pages[i], msg, sizeof msg) != 0) {
				job_walk_refused(j, &j->pages[i], msg);
				return;
			}
		}
		job_apply_list(j, now);
		if (j->auth)
			job_cache_pages_now(j, now);
		else
			job_cache_pages(j, now);
	} else if (j->cache_deferred || j->auth) {
		job_cache_pages_now(j, now); /* still owed from a walk during a build */
	} else if (j->cache_owed) {
		job_cache_pages(j, now); /* a newer list than the mirror's, once due */
	} else if (s->cache && !cache_building(s->cache) && j->kind != API_KIND_APPROVAL) {
		/* only the age (during a build: the next poll writes it) */
		cache_mark_fetched(s->cache, j->kind, now);
	}
	store_mark_fetched(s->st, j->coll, now, false);
	if (j->reject_count) {
		snprintf(msg, sizeof msg, "%s: %zu item%s dropped: %s",
			 j->name, j->reject_count, j->reject_count == 1 ? "" : "s",
			 j->reject_msg);
		store_mark_error(s->st, j->coll, now, msg);
	}
	job_drop_items(j);
	j->cur = 0;
	j->walk_changed = false;
	backoff_reset(&j->bo);
	sync_notify(s);
	job_schedule(j, job_interval(j));
}

static void job_send(sync_job *j)
{
	syncer *s = j->s;
	char url[4096];
	page_cache *pc = &j->pages[j->cur];
	const url_param cursor[] = { { "cursor", pc->cursor }, { NULL, NULL } };
	int rc = url_build(url, sizeof url, sync_reading(s)->url, j->path, NULL, cursor);
	if (rc != URL_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "GET %s: %s", j->path, url_strerror(rc));
		job_fail(j, NULL, msg);
		return;
	}
	http_request rq = {
		.method = "GET",
		.url = url,
		.bearer = s->token,
		.if_none_match = pc->body ? pc->etag : NULL,
		.timeout_ms = s->cfg->request_timeout_ms,
	};
	s->requests++;
	j->sent_ms = ev_now_ms();
	j->inflight = http_send(s->http, &rq, job_done, j);
	if (!j->inflight)
		job_fail(j, NULL, "could not start a request");
}

static void job_start(void *ctx)
{
	sync_job *j = ctx;
	j->timer = 0;
	if (j->inflight)
		return;
	j->cur = 0;
	j->walk_changed = false;
	job_drop_items(j);
	job_send(j);
}

/* The wait before a job's next poll. The event stream carries every
 * change to channels, routes, alerts and approvals as it happens, so while
 * it is open on the site we read from, their lists are polled only as a
 * resync (resync_interval): it catches what an event cannot say, such as
 * an object gone. Measured at 2,000 channels ticking once a second:
 * polling every 2 s beside the stream was four fifths of the console's
 * CPU, the same changes decoded and saved twice; and an idle console sent
 * 53 requests a minute where 9 say as much. The recon summary, which no
 * event carries, follows its breaks at a quarter of the resync; the
 * status, whose answer the stream's pings already vouch for, every 30 s.
 * A stream that closes or breaks triggers a poll at once
 * (on_stream_state) and the intervals are back. */
static int64_t job_interval(const sync_job *j)
{
	const syncer *s = j->s;
	if (!s->n_sites || !s->sites[s->active].info.stream_open)
		return j->interval_ms;
	bool streamed = j->kind == API_KIND_CHANNEL || j->kind == API_KIND_ROUTE ||
			j->kind == API_KIND_ALERT || j->kind == API_KIND_APPROVAL;
	int64_t beside = j->interval_ms;
	if (j->is_list && streamed)
		beside = s->cfg->resync_interval_ms;
	else if (j->id == JOB_RECON)
		beside = s->cfg->resync_interval_ms / 4;
	else if (j->id == JOB_STATUS)
		beside = STREAM_STATUS_INTERVAL_MS;
	return beside > j->interval_ms ? beside : j->interval_ms;
}

static void job_schedule(sync_job *j, int64_t ms)
{
	syncer *s = j->s;
	if (j->timer)
		ev_timer_cancel(s->ev, j->timer);
	j->timer = ev_timer_add(s->ev, ms < 0 ? 0 : ms, job_start, j);
}

/* Drop every job's pages, ETags and walk, and poll at once (the site we
 * read from changed). */
void sync_jobs_restart(syncer *s)
{
	/* what the stream brought from the old site goes in first: the
	 * refetch that follows is the authoritative copy */
	sync_cache_flush(s);
	for (int i = 0; i < JOB__N; i++) {
		sync_job *j = &s->jobs[i];
		j->auth = j->is_list;
		if (j->inflight) {
			http_cancel(s->http, j->inflight);
			j->inflight = 0;
		}
		job_drop_items(j);
		for (size_t p = 0; p < MAX_PAGES; p++)
			page_clear(&j->pages[p]);
		j->cur = 0;
		j->walk_changed = false;
		backoff_reset(&j->bo);
		job_schedule(j, 0);
	}
}

/* ---- public ---- */

syncer *sync_new(ev_loop *ev, http_client *http, store *st, const cfg_config *cfg,
	       const char *token)
{
	syncer *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->ev = ev;
	s->http = http;
	s->st = st;
	s->cfg = cfg;
	if (token && !(s->token = strdup(token)))
		goto fail;
	s->n_sites = cfg->n_sites;
	for (size_t i = 0; i < cfg->n_sites; i++) {
		site *si = &s->sites[i];
		if (!(si->name = strdup(cfg->sites[i].name)) ||
		    !(si->url = strdup(cfg->sites[i].url)))
			goto fail;
		si->info.name = si->name;
		si->info.url = si->url;
		si->info.state = SITE_CONNECTING;
		si->owner = s;
		backoff_init(&si->bo, 500, 10000, NULL, NULL);
	}
	static const struct {
		job_id id;
		const char *name, *path;
		store_coll coll;
		bool list;
		api_kind kind;
	} defs[JOB__N] = {
		{ JOB_STATUS, "status", "/v1/status", STORE_STATUS, false, 0 },
		{ JOB_ME, "me", "/v1/me", STORE_ME, false, 0 },
		{ JOB_CHANNELS, "channels", "/v1/channels?limit=500", STORE_CHANNELS, true, API_KIND_CHANNEL },
		{ JOB_ROUTES, "routes", "/v1/routes?limit=500", STORE_ROUTES, true, API_KIND_ROUTE },
		{ JOB_ALERTS, "alerts", "/v1/alerts?state=all&limit=500", STORE_ALERTS, true, API_KIND_ALERT },
		{ JOB_RECON, "recon summary", "/v1/recon/summary", STORE_RECON_SUMMARY, false, 0 },
		/* pending and decided: the pane shows both, and the maker's
		 * intent follows its approval to the end */
		{ JOB_APPROVALS, "approvals", "/v1/approvals?state=all&limit=500", STORE_APPROVALS, true,
		  API_KIND_APPROVAL },
	};
	for (int i = 0; i < JOB__N; i++) {
		sync_job *j = &s->jobs[i];
		j->s = s;
		j->id = defs[i].id;
		j->name = defs[i].name;
		j->path = defs[i].path;
		j->coll = defs[i].coll;
		j->is_list = defs[i].list;
		j->kind = defs[i].kind;
		j->interval_ms = cfg->poll_interval_ms;
		backoff_init(&j->bo, 500, 10000, NULL, NULL);
	}
	/* The last known picture, painted before the first answer arrives. A
	 * cache that cannot be had is said, never fatal. */
	char msg[320] = "";
	s->cache = cache_open(cfg, cfg->sites[0].url, msg, sizeof msg);
	if (s->cache)
		cache_load_small(s->cache, st);
	if (msg[0]) {
		sync_set_msg(s->notice, sizeof s->notice, msg);
		s->notice_at = time(NULL);
	}
	s->jobs[JOB_STATUS].interval_ms = STATUS_INTERVAL_MS;
	s->jobs[JOB_ME].interval_ms = ME_INTERVAL_MS;
	s->jobs[JOB_RECON].interval_ms = cfg->slow_poll_interval_ms;
	if (s->n_sites == 0)
		goto fail;
	return s;
fail:
	sync_free(s);
	return NULL;
}

void sync_start(syncer *s)
{
	if (s->started)
		return;
	s->started = true;
	/* the first walk is the authoritative copy: the cache may hold a
	 * history the platform no longer has (a restore, a failover) */
	for (int i = 0; i < JOB__N; i++) {
		s->jobs[i].auth = s->jobs[i].is_list;
		job_schedule(&s->jobs[i], 0);
	}
	for (size_t i = 0; i < s->n_sites; i++)
		if (i != s->active)
			sync_probe_schedule(&s->sites[i], 0);
	sync_stream_open(s);
	if (s->cache) {
		incr_opts io = {
			.base_url = sync_reading(s)->url,
			.token = s->token,
			.poll_ms = s->cfg->slow_poll_interval_ms,
			.timeout_ms = s->cfg->request_timeout_ms,
		};
		if ((s->incr = incr_new(s->ev, s->http, s->st, s->cache, &io))) {
			incr_set_listener(s->incr, notify_cb, s);
			incr_start(s->incr);
		}
	}
	sync_history_pump(s);
}

void sync_keep_headlines(syncer *s, bool on)
{
	s->keep_headlines = on;
}

void sync_history_minutes(syncer *s, int minutes)
{
	s->history_minutes = minutes < 1 ? 1 : minutes > STORE_TREND_POINTS ? STORE_TREND_POINTS : minutes;
}

void sync_free(syncer *s)
{
	if (!s)
		return;
	stream_free(s->events);
	free(s->events_url);
	incr_free(s->incr);
	if (s->cache_retry)
		ev_timer_cancel(s->ev, s->cache_retry);
	/* the newest complete lists for the next start (between walks only:
	 * a walk in progress holds pages of two different moments) */
	for (int i = 0; i < JOB__N; i++) {
		sync_job *j = &s->jobs[i];
		if (j->cache_owed && j->cur == 0 && !j->inflight && s->cache && !cache_building(s->cache))
			job_cache_pages_now(j, time(NULL));
	}
	sync_cache_flush(s);
	cache_close(s->cache);
	for (int i = 0; i < JOB__N; i++) {
		sync_job *j = &s->jobs[i];
		if (j->timer)
			ev_timer_cancel(s->ev, j->timer);
		if (j->inflight)
			http_cancel(s->http, j->inflight);
		job_drop_items(j);
		for (size_t p = 0; p < MAX_PAGES; p++)
			page_clear(&j->pages[p]);
	}
	for (size_t i = 0; i < s->n_sites; i++) {
		if (s->sites[i].probe_timer)
			ev_timer_cancel(s->ev, s->sites[i].probe_timer);
		if (s->sites[i].probe_inflight)
			http_cancel(s->http, s->sites[i].probe_inflight);
		free(s->sites[i].name);
		free(s->sites[i].url);
	}
	sync_history_free(s);
	if (s->token) {
		explicit_bzero(s->token, strlen(s->token));
		free(s->token);
	}
	free(s);
}

void sync_set_listener(syncer *s, void (*changed)(void *ctx), void *ctx)
{
	s->listener = changed;
	s->listener_ctx = ctx;
}

size_t sync_site_count(const syncer *s)
{
	return s->n_sites;
}

const sync_site_info *sync_site(const syncer *s, size_t i)
{
	return i < s->n_sites ? &s->sites[i].info : NULL;
}

size_t sync_active_site(const syncer *s)
{
	return s->active;
}

void sync_refetch_all(syncer *s)
{
	if (s->incr)
		incr_refresh_now(s->incr);
	sync_jobs_restart(s);
}

void sync_refresh_now(syncer *s)
{
	if (s->incr)
		incr_refresh_now(s->incr);
	for (int i = 0; i < JOB__N; i++) {
		sync_job *j = &s->jobs[i];
		backoff_reset(&j->bo);
		if (!j->inflight)
			job_schedule(j, 0);
	}
}

void sync_counters(const syncer *s, unsigned long *requests,
		   unsigned long *not_modified, unsigned long *events)
{
	if (requests)
		*requests = s->requests;
	if (not_modified)
		*not_modified = s->not_modified;
	if (events)
		*events = s->events_seen;
}

const char *sync_notice(const syncer *s, time_t *at)
{
	if (at)
		*at = s->notice_at;
	return s->notice;
}

const char *sync_active_url(const syncer *s)
{
	return s->sites[s->active].url;
}

void sync_set_event_hook(syncer *s, void (*fn)(void *ctx, const char *id,
					       const char *type), void *ctx)
{
	s->event_hook = fn;
	s->event_hook_ctx = ctx;
}

cache *sync_cache(const syncer *s)
{
	return s->cache;
}
