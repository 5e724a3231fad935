/* SPDX-License-Identifier: ISC (see COPYING) */
/* sync/incr.c: full walks and updated_since polls of cases, breaks and
 * limits into the cache (see incr.h for the choices). One job per
 * collection; each has at most one request in flight. */
#include "sync/incr_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/decode.h"
#include "base/utf8.h"
#include "base/backoff.h"
#include "net/url.h"
#include "text/text.h"

/* Pages of a walk are written in batches: one transaction for up to
 * BATCH_PAGES pages or BATCH_MS, whichever comes first (and at the end of
 * a walk or on an error). Each page's cursor is saved with it, so a batch
 * lost to a crash is fetched again, never skipped. */
#define BATCH_PAGES 16
#define BATCH_MS 1000

/* While the cache builds indexes (seconds) it takes no writes; a job that
 * has something to write asks again this much later. Requests wait too:
 * a page fetched then would only be thrown away. The build's end itself
 * wakes the loop through a descriptor, not through this. */
#define BUILD_RETRY_MS 250

static void job_step(incr_job *j);

static void notify(incr *in)
{
	if (in->listener)
		in->listener(in->listener_ctx);
}

static void batch_begin(incr *in)
{
	if (in->tx_open)
		return;
	if (cache_begin(in->c) != 0)
		return; /* the page's own transaction reports it */
	in->tx_open = true;
	in->tx_pages = 0;
	in->tx_started_ms = ev_now_ms();
}

static void job_rewind(incr_job *j);

/* Commit the open batch; when that fails nothing of it was written:
 * every walk goes back to its last committed position. */
static int batch_flush(incr *in)
{
	if (!in->tx_open)
		return 0;
	in->tx_open = false;
	if (cache_commit(in->c) == 0)
		return 0;
	for (int i = 0; i < 3; i++)
		job_rewind(&in->jobs[i]);
	return -1;
}

/* New data is in the cache: mark it live and let the panes recalc. */
static void bump(incr *in, store_coll coll, time_t now)
{
	store_mark_fetched(in->st, coll, now, false);
	store_touch(in->st, coll);
}

static void job_timer(void *ctx)
{
	job_step(ctx);
}

void incr_job_schedule(incr_job *j, int64_t ms)
{
	incr *in = j->in;
	if (j->timer)
		ev_timer_cancel(in->ev, j->timer);
	j->timer = ev_timer_add(in->ev, ms < 0 ? 0 : ms, job_timer, j);
}

static int64_t delay_after_failure(incr_job *j, int retry_after_s)
{
	int64_t d = backoff_next(&j->bo, retry_after_s);
	return d < 250 ? 250 : d;
}

static void drop_pending(incr_job *j)
{
	if (j->save_timer)
		ev_timer_cancel(j->in->ev, j->save_timer);
	j->save_timer = 0;
	free(j->pending);
	j->pending = NULL;
}

static void job_failed(incr_job *j, const http_response *r, const char *what)
{
	incr *in = j->in;
	char msg[512];
	/* what was written so far stands (its cursor with it) */
	batch_flush(in);
	in->stats.errors++;
	if (r && r->status) {
		api_problem pb = {0};
		api_decode_problem(r->body, r->body_len, &pb);
		snprintf(msg, sizeof msg, "%s: HTTP %d%s%.60s%s%.200s", what, r->status,
			 pb.code ? " " : "", pb.code ? pb.code : "",
			 pb.detail ? ": " : "", pb.detail ? pb.detail : "");
		api_problem_free(&pb);
	} else {
		snprintf(msg, sizeof msg, "%s: %.300s", what,
			 r && r->error && *r->error ? r->error : "request failed");
	}
	store_mark_error(in->st, j->coll, time(NULL), msg);
	notify(in);
	/* the walk resumes from the page that failed */
	incr_job_schedule(j, delay_after_failure(j, r ? r->retry_after_s : -1));
}

/* A batch was rolled back: forget pages fetched or saved since the last
 * commit and continue from the committed cursor (a full walk) or from the
 * first page (an incremental one). */
static void job_rewind(incr_job *j)
{
	incr *in = j->in;
	if (j->ph != PH_FULL && j->ph != PH_DELTA)
		return;
	drop_pending(j);
	if (j->inflight) {
		http_cancel(in->http, j->inflight);
		j->inflight = 0;
	}
	j->cursor[0] = '\0';
	cache_sync_state s;
	if (j->ph == PH_FULL && cache_get_state(in->c, j->kind, &s) == 0)
		snprintf(j->cursor, sizeof j->cursor, "%s", s.cursor);
	if (j->ph == PH_DELTA) {
		j->page_no = 0;
		j->page1_max = 0;
	}
	incr_job_schedule(j, delay_after_failure(j, -1));
}

static void on_page(void *ctx, const http_response *r);
static void on_status(void *ctx, const http_response *r);

static void send(incr_job *j, const char *if_none_match, http_done_fn fn)
{
	incr *in = j->in;
	http_request rq = {
		.method = "GET",
		.url = j->url,
		.bearer = in->token,
		.if_none_match = if_none_match,
		.timeout_ms = in->o.timeout_ms,
	};
	in->stats.requests++;
	j->inflight = http_send(in->http, &rq, fn, j);
	if (!j->inflight)
		job_failed(j, NULL, "could not start a request");
}

static void send_page(incr_job *j)
{
	incr *in = j->in;
	char limit[16], since[40] = "";
	snprintf(limit, sizeof limit, "%d", in->o.page_limit);
	if (j->ph == PH_DELTA)
		time_format_rfc3339(j->since, since, sizeof since);
	const url_param q[] = {
		{ "limit", limit },
		{ "updated_since", since[0] ? since : NULL },
		{ "cursor", j->cursor[0] ? j->cursor : NULL },
		{ NULL, NULL },
	};
	int rc = url_build(j->url, sizeof j->url, in->base_url, j->path, NULL, q);
	if (rc != URL_OK) {
		/* never a cut URL: fails like a request that could not start */
		char what[128];
		http_response no = { .error = url_strerror(rc), .retry_after_s = -1 };
		snprintf(what, sizeof what, "GET %s", j->path);
		job_failed(j, &no, what);
		return;
	}
	/* only the first page of a poll is conditional: it is the one an idle
	 * poll asks again and again */
	const char *inm = NULL;
	if (j->ph == PH_DELTA && !j->cursor[0] && j->etag && j->etag_url &&
	    strcmp(j->etag_url, j->url) == 0)
		inm = j->etag;
	send(j, inm, on_page);
}

static void begin_full(incr_job *j)
{
	incr *in = j->in;
	cache_sync_state s;
	j->ph = PH_FULL;
	j->page_no = 0;
	j->page1_max = 0;
	j->changed = false;
	j->want_full = false;
	if (cache_get_state(in->c, j->kind, &s) == 0 && s.cursor[0] && s.walk > 0) {
		/* resume the walk a previous run left unfinished */
		snprintf(j->cursor, sizeof j->cursor, "%s", s.cursor);
		j->walk_start = s.walk_start;
		j->page_no = 1;
		send_page(j);
		return;
	}
	j->cursor[0] = '\0';
	/* the platform's clock when the walk begins: the high-water after it */
	j->ph = PH_STATUS;
	int rc = url_build(j->url, sizeof j->url, in->base_url, "/v1/status", NULL, NULL);
	if (rc != URL_OK) {
		http_response no = { .error = url_strerror(rc), .retry_after_s = -1 };
		job_failed(j, &no, "GET /v1/status");
		return;
	}
	send(j, NULL, on_status);
}

static void on_status(void *ctx, const http_response *r)
{
	incr_job *j = ctx;
	incr *in = j->in;
	j->inflight = 0;
	j->walk_start = 0;
	if (r->status == 200) {
		json_t *root = NULL;
		api_err err = {{0}};
		api_status st = {0};
		if (api_parse(r->body, r->body_len, &root, &err) == 0 &&
		    api_decode_status(root, &st, &err) == 0)
			j->walk_start = st.server_time;
		api_status_free(&st);
		json_decref(root);
	}
	if (cache_building(in->c)) {
		/* the walk's start is a write: ask the time again afterwards */
		incr_job_schedule(j, BUILD_RETRY_MS);
		return;
	}
	/* without it the walk still runs; the high-water is then taken from
	 * the first page (conservative) */
	cache_sync_state s;
	if (cache_begin(in->c) != 0 || cache_walk_begin(in->c, j->kind) != 0 ||
	    /* an empty table loads without its indexes (cache_bulk_begin) */
	    cache_bulk_begin(in->c, j->kind) < 0 ||
	    cache_get_state(in->c, j->kind, &s) != 0) {
		cache_rollback(in->c);
		job_failed(j, NULL, cache_error(in->c));
		return;
	}
	s.walk_start = j->walk_start;
	s.cursor[0] = '\0';
	if (cache_set_state(in->c, j->kind, &s) != 0 || cache_commit(in->c) != 0) {
		job_failed(j, NULL, cache_error(in->c));
		return;
	}
	j->ph = PH_FULL;
	send_page(j);
}

/* The walk (and the build after it, if any) is over. */
void incr_walk_complete(incr_job *j, time_t now)
{
	incr *in = j->in;
	backoff_reset(&j->bo);
	j->cycles++;
	j->cursor[0] = '\0';
	if (j->changed)
		bump(in, j->coll, now);
	else
		store_mark_fetched(in->st, j->coll, now, false);
	j->ph = PH_IDLE;
	notify(in);
	incr_job_schedule(j, in->o.poll_ms);
}

/* The high-water an incremental walk leaves. Its list comes in id order,
 * so the newest updated_at can be on any page. An object changed while
 * the walk ran, behind its position, carries an updated_at at least the
 * walk's start; a newer one seen on a later page can be at most the
 * walk's length past that. So while the walk took less than the overlap,
 * the newest of all its pages is safe (the next poll's overlap reaches
 * back to anything changed behind it); a longer walk keeps the newest of
 * its first page, a lower bound of when it began. */
static time_t delta_high_water(const incr_job *j)
{
	int64_t took_ms = ev_now_ms() - j->walk_t0_ms;
	if (took_ms < (int64_t)j->in->o.overlap_s * 1000)
		return j->walk_max > j->page1_max ? j->walk_max : j->page1_max;
	return j->page1_max;
}

static void walk_done(incr_job *j)
{
	incr *in = j->in;
	time_t now = time(NULL);
	cache_sync_state s;
	if (batch_flush(in) != 0) {
		job_failed(j, NULL, cache_error(in->c));
		job_rewind(j);
		return;
	}
	if (cache_begin(in->c) != 0 || cache_get_state(in->c, j->kind, &s) != 0)
		goto fail;
	if (j->ph == PH_FULL) {
		int64_t gone = cache_walk_end(in->c, j->kind);
		if (gone < 0)
			goto fail;
		in->stats.deleted += (unsigned long)gone;
		in->stats.full_walks++;
		s.full_at = now;
		s.cursor[0] = '\0';
		time_t hw = j->walk_start ? j->walk_start : j->page1_max;
		if (hw > s.high_water || j->walk_start)
			s.high_water = hw;
		s.walk_start = 0;
		j->next_full_ms = ev_now_ms() + in->o.full_ms;
		if (gone > 0)
			j->changed = true;
	} else {
		in->stats.delta_walks++;
		time_t hw = delta_high_water(j);
		if (hw > s.high_water)
			s.high_water = hw;
	}
	s.fetched_at = now;
	if (cache_set_state(in->c, j->kind, &s) != 0 || cache_commit(in->c) != 0)
		goto fail_nc;
	j->cursor[0] = '\0';
	/* a first load into an empty table: build its indexes now, once, off
	 * the loop; the walk completes when they are built */
	if (j->ph == PH_FULL && cache_bulk_active(in->c, j->kind) && incr_build_start(j) == 0) {
		/* the rows are there (scanned until the indexes come) */
		if (j->changed)
			bump(in, j->coll, now);
		notify(in);
		return;
	}
	incr_walk_complete(j, now);
	return;
fail:
	cache_rollback(in->c);
fail_nc:
	job_failed(j, NULL, cache_error(in->c));
}

/* Write one fetched page (in the open batch) with the walk's cursor.
 * 0 saved; -1 failed (already reported with job_failed). */
static int job_save(incr_job *j, const char *body, size_t len, char *next, size_t nextsz)
{
	incr *in = j->in;
	bool first = j->page_no == 0;
	cache_page_result res;
	cache_sync_state s;
	next[0] = '\0';
	batch_begin(in);
	if (cache_save_page(in->c, j->kind, body, len, &res) != 0) {
		char what[700];
		snprintf(what, sizeof what, "%s: %.500s", j->name, cache_error(in->c));
		if (first) {
			free(j->etag);
			j->etag = NULL;
		}
		job_failed(j, NULL, what);
		job_rewind(j); /* the batch was rolled back: from the last commit */
		return -1;
	}
	int rc = cache_get_state(in->c, j->kind, &s);
	if (rc == 0 && j->ph == PH_FULL) {
		/* the cursor goes with the page: a restart resumes after it */
		snprintf(s.cursor, sizeof s.cursor, "%s", res.next_cursor ? res.next_cursor : "");
		rc = cache_set_state(in->c, j->kind, &s);
	}
	if (rc != 0) {
		cache_page_result_free(&res);
		cache_rollback(in->c); /* dooms the batch */
		job_failed(j, NULL, cache_error(in->c));
		job_rewind(j);
		return -1;
	}
	in->tx_pages++;
	in->stats.pages++;
	in->stats.items += res.n_saved;
	in->stats.rejected += res.n_rejected;
	if (res.n_rejected) {
		char msg[400];
		snprintf(msg, sizeof msg, "%s: %zu item%s dropped: %.250s",
			 j->name, res.n_rejected, res.n_rejected == 1 ? "" : "s", res.reject_msg);
		store_mark_error(in->st, j->coll, time(NULL), msg);
	}
	if (res.n_saved)
		j->changed = true;
	if (first) {
		j->page1_max = res.max_updated_at;
		j->walk_max = 0;
	}
	if (res.max_updated_at > j->walk_max)
		j->walk_max = res.max_updated_at;
	j->page_no++;
	bool more = res.next_cursor && *res.next_cursor;
	if (more)
		snprintf(next, nextsz, "%s", res.next_cursor);
	cache_page_result_free(&res);
	if (!more || in->tx_pages >= BATCH_PAGES ||
	    ev_now_ms() - in->tx_started_ms >= BATCH_MS) {
		if (batch_flush(in) != 0) {
			job_failed(j, NULL, cache_error(in->c));
			job_rewind(j);
			return -1;
		}
		/* the listener hears of committed data, a batch at a time */
		if (more && j->changed)
			notify(in);
	}
	return 0;
}

/* A deferred save: the next page was asked for first, so the platform
 * builds it while this one is written. */
static int run_pending(incr_job *j)
{
	char *body = j->pending;
	j->pending = NULL;
	if (j->save_timer)
		ev_timer_cancel(j->in->ev, j->save_timer);
	j->save_timer = 0;
	char next[sizeof j->cursor];
	int rc = job_save(j, body, j->pending_len, next, sizeof next);
	free(body);
	/* on failure job_save rewound the walk (and cancelled the request
	 * for the page after it) */
	return rc;
}

static void on_save_timer(void *ctx)
{
	incr_job *j = ctx;
	j->save_timer = 0;
	if (j->pending && cache_building(j->in->c)) {
		j->save_timer = ev_timer_add(j->in->ev, BUILD_RETRY_MS, on_save_timer, j);
		return;
	}
	if (j->pending)
		run_pending(j);
}

static void on_page(void *ctx, const http_response *r)
{
	incr_job *j = ctx;
	incr *in = j->in;
	j->inflight = 0;
	if (r->status == 200 && cache_building(in->c)) {
		/* nowhere to write it now: ask for the same page again after the
		 * build (the cursor moves only when a page is saved) */
		incr_job_schedule(j, BUILD_RETRY_MS);
		return;
	}
	/* pages are written in order; a failed one rewound the walk */
	if (j->pending && run_pending(j) != 0)
		return;
	if (r->status == 304 && j->ph == PH_DELTA && !j->cursor[0]) {
		/* nothing changed since the last poll */
		in->stats.not_modified++;
		in->stats.delta_walks++;
		j->cycles++;
		backoff_reset(&j->bo);
		time_t now = time(NULL);
		if (!cache_building(in->c)) /* only the age; the next poll writes it */
			cache_mark_fetched(in->c, j->kind, now);
		store_mark_fetched(in->st, j->coll, now, false);
		j->ph = PH_IDLE;
		notify(in);
		incr_job_schedule(j, in->o.poll_ms);
		return;
	}
	if (r->status != 200) {
		char what[128];
		snprintf(what, sizeof what, "GET %s", j->path);
		if (r->status == 304) { /* a 304 we did not ask for */
			free(j->etag);
			j->etag = NULL;
		}
		job_failed(j, r, what);
		return;
	}
	bool first = j->page_no == 0;
	if (first && j->ph == PH_DELTA) {
		char *e = r->etag ? strdup(r->etag) : NULL;
		char *u = strdup(j->url);
		free(j->etag);
		free(j->etag_url);
		j->etag = e;
		j->etag_url = u;
	}
	char next[sizeof j->cursor];
	if (j->ph == PH_FULL && cache_page_next_cursor(r->body, r->body_len, next, sizeof next) == 1 &&
	    (j->pending = malloc(r->body_len ? r->body_len : 1))) {
		/* ask for the next page now, write this one on the next turn
		 * of the loop, after the request went out */
		memcpy(j->pending, r->body, r->body_len);
		j->pending_len = r->body_len;
		snprintf(j->page_cursor, sizeof j->page_cursor, "%s", j->cursor);
		snprintf(j->cursor, sizeof j->cursor, "%s", next);
		send_page(j);
		if (j->pending)
			j->save_timer = ev_timer_add(in->ev, 0, on_save_timer, j);
		return;
	}
	if (job_save(j, r->body, r->body_len, next, sizeof next) != 0)
		return;
	if (next[0]) {
		snprintf(j->cursor, sizeof j->cursor, "%s", next);
		send_page(j);
		return;
	}
	walk_done(j);
}

/* The job's timer: decide what this round is. */
static void job_step(incr_job *j)
{
	incr *in = j->in;
	j->timer = 0;
	if (j->inflight || j->ph == PH_BUILD)
		return;
	if (cache_building(in->c)) {
		/* nothing of this round could be written now */
		incr_job_schedule(j, BUILD_RETRY_MS);
		return;
	}
	if (j->ph == PH_FULL || j->ph == PH_DELTA) {
		/* retrying a failed page of a walk in progress */
		send_page(j);
		return;
	}
	if (j->ph == PH_STATUS) {
		begin_full(j);
		return;
	}
	cache_sync_state s;
	if (cache_get_state(in->c, j->kind, &s) != 0) {
		job_failed(j, NULL, cache_error(in->c));
		return;
	}
	if (cache_bulk_active(in->c, j->kind) && !s.cursor[0] && s.full_at &&
	    ev_now_ms() >= j->build_after_ms) {
		/* the load is complete but its build never finished (the last
		 * run quit during it, or it failed): build before polling */
		j->changed = false;
		if (incr_build_start(j) == 0)
			return;
		if (!cache_bulk_active(in->c, j->kind))
			bump(in, j->coll, time(NULL));
		/* else failed (reported): poll on; build_failed set when to retry */
	}
	bool full = j->want_full || !s.full_at || !s.high_water || s.cursor[0] ||
		    ev_now_ms() >= j->next_full_ms;
	if (full) {
		begin_full(j);
		return;
	}
	j->ph = PH_DELTA;
	j->cursor[0] = '\0';
	j->page_no = 0;
	j->page1_max = 0;
	j->walk_max = 0;
	j->walk_t0_ms = ev_now_ms();
	j->changed = false;
	j->since = s.high_water - in->o.overlap_s;
	send_page(j);
}

/* ---- public ---- */

incr *incr_new(ev_loop *ev, http_client *http, store *st, cache *c,
	       const incr_opts *opts)
{
	incr *in = calloc(1, sizeof *in);
	if (!in)
		return NULL;
	in->ev = ev;
	in->build_fd = -1;
	in->http = http;
	in->st = st;
	in->c = c;
	in->o = *opts;
	if (in->o.poll_ms <= 0)
		in->o.poll_ms = 10000;
	if (in->o.full_ms <= 0)
		in->o.full_ms = 15 * 60 * 1000;
	if (in->o.overlap_s < 0)
		in->o.overlap_s = 0;
	else if (in->o.overlap_s == 0)
		in->o.overlap_s = 5;
	if (in->o.page_limit <= 0 || in->o.page_limit > 500)
		in->o.page_limit = 500;
	if (in->o.timeout_ms <= 0)
		in->o.timeout_ms = 10000;
	if (!in->o.kinds)
		in->o.kinds = 1u << API_KIND_CASE | 1u << API_KIND_BREAK | 1u << API_KIND_LIMIT;
	in->o.base_url = NULL;
	in->o.token = NULL;
	if (!opts->base_url || !(in->base_url = strdup(opts->base_url)) ||
	    (opts->token && !(in->token = strdup(opts->token)))) {
		incr_free(in);
		return NULL;
	}
	static const struct { api_kind kind; store_coll coll; const char *name, *path; } defs[3] = {
		{ API_KIND_CASE, STORE_CASES, "cases", "/v1/onboarding/cases" },
		{ API_KIND_BREAK, STORE_BREAKS, "breaks", "/v1/recon/breaks" },
		{ API_KIND_LIMIT, STORE_LIMITS, "limits", "/v1/limits" },
	};
	for (int i = 0; i < 3; i++) {
		incr_job *j = &in->jobs[i];
		j->in = in;
		j->kind = defs[i].kind;
		j->coll = defs[i].coll;
		j->name = defs[i].name;
		j->path = defs[i].path;
		j->enabled = (in->o.kinds & (1u << defs[i].kind)) != 0;
		backoff_init(&j->bo, 500, 30000, NULL, NULL);
	}
	return in;
}

void incr_free(incr *in)
{
	if (!in)
		return;
	in->listener = NULL; /* whoever listened is going away too */
	/* a build still running is the cache's: cache_close interrupts it and
	 * the next start builds again */
	if (in->build_fd >= 0)
		ev_io_del(in->ev, in->build_fd);
	if (in->build_timer)
		ev_timer_cancel(in->ev, in->build_timer);
	for (int i = 0; i < 3; i++) {
		incr_job *j = &in->jobs[i];
		if (j->pending && !cache_building(in->c))
			run_pending(j); /* a fetched page is kept, not refetched */
	}
	incr_flush_events(in);
	vec_free(&in->events);
	batch_flush(in);
	for (int i = 0; i < 3; i++) {
		incr_job *j = &in->jobs[i];
		drop_pending(j);
		if (j->timer)
			ev_timer_cancel(in->ev, j->timer);
		if (j->inflight)
			http_cancel(in->http, j->inflight);
		free(j->etag);
		free(j->etag_url);
	}
	if (in->token) {
		explicit_bzero(in->token, strlen(in->token));
		free(in->token);
	}
	free(in->base_url);
	free(in);
}

void incr_start(incr *in)
{
	int64_t now = ev_now_ms();
	for (int i = 0; i < 3; i++) {
		incr_job *j = &in->jobs[i];
		if (!j->enabled)
			continue;
		cache_sync_state s;
		/* a full walk recent enough in the cache is not repeated at start */
		if (cache_get_state(in->c, j->kind, &s) == 0 && s.full_at) {
			int64_t age_ms = ((int64_t)time(NULL) - s.full_at) * 1000;
			j->next_full_ms = now + (age_ms < in->o.full_ms ? in->o.full_ms - age_ms : 0);
		}
		incr_job_schedule(j, 0);
	}
}

void incr_set_listener(incr *in, void (*changed)(void *ctx), void *ctx)
{
	in->listener = changed;
	in->listener_ctx = ctx;
}

int incr_set_base_url(incr *in, const char *base_url)
{
	char *u = strdup(base_url);
	if (!u)
		return -1;
	free(in->base_url);
	in->base_url = u;
	for (int i = 0; i < 3; i++) { /* ETags are per site */
		free(in->jobs[i].etag);
		in->jobs[i].etag = NULL;
	}
	return 0;
}

void incr_refresh_now(incr *in)
{
	for (int i = 0; i < 3; i++) {
		incr_job *j = &in->jobs[i];
		if (!j->enabled)
			continue;
		backoff_reset(&j->bo);
		if (!j->inflight)
			incr_job_schedule(j, 0);
	}
}

void incr_set_poll_ms(incr *in, int poll_ms)
{
	if (poll_ms > 0)
		in->o.poll_ms = poll_ms;
}

void incr_full_now(incr *in)
{
	for (int i = 0; i < 3; i++)
		in->jobs[i].want_full = true;
	incr_refresh_now(in);
}

/* The events of one burst (a platform tick can send hundreds at once) are
 * written together, in one transaction, after EVENT_MS: one commit and
 * one full-text sync for the burst instead of one per event. Measured at
 * full size (2,000 channels, a million breaks) with ~200 new cases a
 * second on top of a tick a second, two consoles side by side: 2.23 s of
 * CPU a minute before, 1.65 s after. The panes learn of them when they
 * are written. */
#define EVENT_MS 20

static void events_free(incr *in)
{
	for (size_t i = 0; i < in->events.n; i++) {
		json_decref(in->events.at[i].obj);
		free(in->events.at[i].text);
	}
	in->events.n = 0;
}

void incr_flush_events(incr *in)
{
	if (in->event_timer) {
		ev_timer_cancel(in->ev, in->event_timer);
		in->event_timer = 0;
	}
	if (!in->events.n)
		return;
	if (cache_building(in->c)) {
		/* no writes during a build: the poll after it brings them */
		in->missed_events = true;
		events_free(in);
		return;
	}
	time_t now = time(NULL);
	bool own = !in->tx_open && cache_begin(in->c) == 0;
	bool changed[3] = { false, false, false };
	char failed[3][400] = { "", "", "" }; /* the last refusal of each */
	for (size_t i = 0; i < in->events.n; i++) {
		incr_event *e = &in->events.at[i];
		incr_job *j = &in->jobs[e->job];
		char msg[300];
		int rc = cache_upsert_object(in->c, j->kind, e->obj, e->text, e->len, msg,
					     sizeof msg);
		if (rc < 0) {
			snprintf(failed[e->job], sizeof failed[e->job], "event %s: %.300s",
				 e->job == 0 ? "case" : e->job == 1 ? "break" : "limit", msg);
			in->stats.errors++;
		} else if (rc == 0) {
			changed[e->job] = true;
		}
	}
	events_free(in);
	if (own && cache_commit(in->c) != 0) {
		char full[400];
		snprintf(full, sizeof full, "events: %.300s", cache_error(in->c));
		for (int i = 0; i < 3; i++)
			if (changed[i])
				store_mark_error(in->st, in->jobs[i].coll, now, full);
		in->stats.errors++;
		notify(in);
		return;
	}
	bool any = false;
	for (int i = 0; i < 3; i++) {
		if (changed[i])
			bump(in, in->jobs[i].coll, now);
		/* after the bump, so a refusal in the burst stays said */
		if (failed[i][0])
			store_mark_error(in->st, in->jobs[i].coll, now, failed[i]);
		any |= changed[i] || failed[i][0];
	}
	if (any)
		notify(in);
}

static void on_event_timer(void *ctx)
{
	incr *in = ctx;
	in->event_timer = 0;
	incr_flush_events(in);
}

int incr_apply_event(incr *in, const char *type, const json_t *obj, const char *json,
		     size_t len)
{
	int job = -1;
	for (int i = 0; i < 3; i++) {
		static const char *const types[3] = { "case", "break", "limit" };
		if (strcmp(type, types[i]) == 0)
			job = i;
	}
	if (job < 0 || !in->jobs[job].enabled)
		return 1;
	incr_job *j = &in->jobs[job];
	if (cache_building(in->c)) {
		/* the cache takes no writes during a build; the poll right after
		 * it asks updated_since the high-water, which is older than this
		 * event, so it brings the object */
		in->missed_events = true;
		return 0;
	}
	time_t now = time(NULL);
	const char *bad = NULL;
	if (!json_is_object(obj))
		bad = "not an object";
	else if (!json_is_string(json_object_get(obj, "id")) ||
		 !json_is_integer(json_object_get(obj, "version")))
		bad = "an object without id or version";
	if (bad) {
		char full[400];
		snprintf(full, sizeof full, "event %s: %s", type, bad);
		store_mark_error(in->st, j->coll, now, full);
		in->stats.errors++;
		notify(in);
		return -1;
	}
	/* the text as it came when the parser read it as it is (valid
	 * UTF-8), else the object is serialised from the parse */
	incr_event e = { .job = job };
	if (json && utf8_valid(json, len) && (e.text = malloc(len + 1))) {
		memcpy(e.text, json, len);
		e.text[len] = '\0';
		e.len = len;
	}
	e.obj = json_incref((json_t *)obj);
	if (vec_push(&in->events, e) != 0) {
		json_decref(e.obj);
		free(e.text);
		return -1;
	}
	in->stats.events++;
	if (!in->event_timer)
		in->event_timer = ev_timer_add(in->ev, EVENT_MS, on_event_timer, in);
	return 0;
}

void incr_get_stats(const incr *in, incr_stats *out)
{
	*out = in->stats;
}

unsigned long incr_cycles(const incr *in, api_kind kind)
{
	for (int i = 0; i < 3; i++)
		if (in->jobs[i].kind == kind)
			return in->jobs[i].cycles;
	return 0;
}

bool incr_busy(const incr *in)
{
	for (int i = 0; i < 3; i++)
		if (in->jobs[i].inflight)
			return true;
	return false;
}
