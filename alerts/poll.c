/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/poll.c: the hub of Alertmanagers and their pollers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/am_int.h"

#define PATH_ALERTS "/api/v2/alerts"
#define PATH_SILENCES "/api/v2/silences"
#define PATH_STATUS "/api/v2/status"
/* every alert, silenced and inhibited ones included (the defaults, said
 * explicitly so a proxy or a future default cannot hide them) */
#define QUERY_ALERTS "?active=true&silenced=true&inhibited=true&unprocessed=true"

static void poll_now(void *ctx);
static void status_now(void *ctx);

/* ---- small helpers ---- */
static uint64_t digest(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a 64 */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void am_server_bump(am_server *s)
{
	s->st.gen++;
}

static void set_etag(char **slot, const char *etag)
{
	free(*slot);
	*slot = dup_or_null(etag); /* NULL when absent or out of memory */
}

/* ---- the hub ---- */
am_hub *am_hub_new(ev_loop *ev, http_client *http, store *st,
		   struct audit_log *log, const am_options *o)
{
	am_hub *h = calloc(1, sizeof *h);

	if (!h)
		return NULL;
	h->ev = ev;
	h->http = http;
	h->st = st;
	h->log = log;
	if (log && !(h->w = audit_writer_new(log, ev))) {
		free(h);
		return NULL;
	}
	if (o)
		h->o = *o;
	if (h->o.poll_ms <= 0)
		h->o.poll_ms = 5000;
	if (h->o.status_ms <= 0)
		h->o.status_ms = 60000;
	if (h->o.timeout_ms <= 0)
		h->o.timeout_ms = 10000;
	if (h->o.backoff_base_ms <= 0)
		h->o.backoff_base_ms = 1000;
	if (h->o.backoff_cap_ms <= 0)
		h->o.backoff_cap_ms = 60000;
	h->o.local_user = NULL; /* copied below */
	h->o.host = NULL;
	if ((o && o->local_user && !(h->o.local_user = strdup(o->local_user))) ||
	    (o && o->host && !(h->o.host = strdup(o->host)))) {
		free((char *)h->o.local_user);
		audit_writer_free(h->w);
		free(h);
		return NULL;
	}
	return h;
}

static void seen_free(am_server *s)
{
	for (size_t i = 0; i < s->n_seen; i++) {
		free(s->seen[i].fp);
		free(s->seen[i].state_raw);
		for (size_t k = 0; k < s->seen[i].n_silenced_by; k++)
			free(s->seen[i].silenced_by[k]);
		free(s->seen[i].silenced_by);
	}
	free(s->seen);
	s->seen = NULL;
	s->n_seen = 0;
}

static void server_free(am_server *s)
{
	am_hub *h = s->hub;

	if (s->poll_timer)
		ev_timer_cancel(h->ev, s->poll_timer);
	if (s->status_timer)
		ev_timer_cancel(h->ev, s->status_timer);
	if (s->req_alerts)
		http_cancel(h->http, s->req_alerts);
	if (s->req_silences)
		http_cancel(h->http, s->req_silences);
	if (s->req_status)
		http_cancel(h->http, s->req_status);
	am_silences_free(s->sil, s->n_sil);
	seen_free(s);
	free(s->etag_alerts);
	free(s->etag_silences);
	free(s->name);
	free(s->url);
	free(s);
}

void am_hub_free(am_hub *h)
{
	if (!h)
		return;
	am_ops_free(h);
	if (h->w) {
		/* outcomes still waiting for the log: a bounded wait at quit */
		audit_writer_flush(h->w, AM_QUIT_FLUSH_MS);
		audit_writer_free(h->w);
	}
	for (size_t i = 0; i < h->n_srv; i++)
		server_free(h->srv[i]);
	free(h->srv);
	free((char *)h->o.local_user);
	free((char *)h->o.host);
	free(h);
}

static void server_start(am_server *s)
{
	am_hub *h = s->hub;

	if (s->started)
		return;
	s->started = true;
	s->poll_timer = ev_timer_add(h->ev, 0, poll_now, s);
	s->status_timer = ev_timer_add(h->ev, 0, status_now, s);
}

am_server *am_hub_add(am_hub *h, const char *name, const char *url)
{
	am_server *s, **grown;
	size_t ul;

	if (!name || !*name || !url || !*url || am_hub_find(h, name))
		return NULL;
	if (!(s = calloc(1, sizeof *s)))
		return NULL;
	s->hub = h;
	s->name = strdup(name);
	s->url = strdup(url);
	if (!s->name || !s->url)
		goto fail;
	ul = strlen(s->url);
	while (ul > 0 && s->url[ul - 1] == '/')
		s->url[--ul] = '\0';
	if (!(grown = realloc(h->srv, (h->n_srv + 1) * sizeof *grown)))
		goto fail;
	h->srv = grown;
	h->srv[h->n_srv++] = s;
	s->st.name = s->name;
	s->st.url = s->url;
	s->st.health = AM_PENDING;
	backoff_init(&s->bo, h->o.backoff_base_ms, h->o.backoff_cap_ms, NULL, NULL);
	if (h->started)
		server_start(s);
	return s;
fail:
	free(s->name);
	free(s->url);
	free(s);
	return NULL;
}

int am_hub_add_config(am_hub *h, const cfg_config *cfg)
{
	int rc = 0;

	for (size_t i = 0; i < cfg->n_alertmanagers; i++)
		if (!am_hub_add(h, cfg->alertmanagers[i].name,
				cfg->alertmanagers[i].url))
			rc = -1;
	return rc;
}

void am_hub_start(am_hub *h)
{
	h->started = true;
	for (size_t i = 0; i < h->n_srv; i++)
		server_start(h->srv[i]);
}

void am_server_refresh(am_server *s)
{
	am_hub *h = s->hub;

	if (!s->started)
		return;
	if (s->req_alerts || s->req_silences) {
		s->again = true; /* this one may have left before the change */
		return;
	}
	if (s->poll_timer)
		ev_timer_cancel(h->ev, s->poll_timer);
	s->poll_timer = ev_timer_add(h->ev, 0, poll_now, s);
}

void am_hub_refresh(am_hub *h)
{
	for (size_t i = 0; i < h->n_srv; i++)
		am_server_refresh(h->srv[i]);
}

size_t am_hub_count(const am_hub *h)
{
	return h->n_srv;
}

am_server *am_hub_at(const am_hub *h, size_t i)
{
	return i < h->n_srv ? h->srv[i] : NULL;
}

am_server *am_hub_find(const am_hub *h, const char *name)
{
	for (size_t i = 0; name && i < h->n_srv; i++)
		if (strcmp(h->srv[i]->name, name) == 0)
			return h->srv[i];
	return NULL;
}

uint64_t am_hub_gen(const am_hub *h)
{
	uint64_t g = 0;

	for (size_t i = 0; i < h->n_srv; i++)
		g += h->srv[i]->st.gen;
	return g;
}

const am_state *am_server_state(const am_server *s)
{
	return &s->st;
}

const char *am_server_name(const am_server *s)
{
	return s->name;
}

size_t am_silence_count(const am_server *s)
{
	return s->n_sil;
}

const am_silence *am_silence_at(const am_server *s, size_t i)
{
	return i < s->n_sil ? &s->sil[i] : NULL;
}

const am_silence *am_silence_find(const am_server *s, const char *id)
{
	for (size_t i = 0; id && i < s->n_sil; i++)
		if (strcmp(s->sil[i].id, id) == 0)
			return &s->sil[i];
	return NULL;
}

static int seen_cmp(const void *a, const void *b)
{
	return strcmp(((const am_seen *)a)->fp, ((const am_seen *)b)->fp);
}

static const am_seen *seen_find(const am_server *s, const char *fp)
{
	am_seen key = { 0 };

	if (!s->n_seen || !fp)
		return NULL;
	key.fp = (char *)fp;
	return bsearch(&key, s->seen, s->n_seen, sizeof key, seen_cmp);
}

bool am_alert_seen(const am_server *s, const char *fingerprint,
		   const char **state_raw)
{
	const am_seen *e = s ? seen_find(s, fingerprint) : NULL;
	if (e && state_raw)
		*state_raw = e->state_raw;
	return e != NULL;
}

size_t am_alert_silenced_by(const am_server *s, const char *fingerprint,
			    const char *const **ids)
{
	const am_seen *e = seen_find(s, fingerprint);

	if (ids)
		*ids = NULL;
	if (!e || !e->n_silenced_by)
		return 0;
	if (ids)
		*ids = (const char *const *)e->silenced_by;
	return e->n_silenced_by;
}

/* ---- outcomes of a poll ---- */
static void schedule_poll(am_server *s, int64_t ms)
{
	am_hub *h = s->hub;

	if (s->poll_timer)
		ev_timer_cancel(h->ev, s->poll_timer);
	s->poll_timer = ev_timer_add(h->ev, ms, poll_now, s);
}

static void poll_failed(am_server *s, const char *method, const char *path,
			const char *what, int retry_after_s)
{
	char msg[sizeof s->st.error];

	am_error_words(s->name, method, path, what, msg, sizeof msg);
	if (s->st.health != AM_FAILING || strcmp(msg, s->st.error) != 0)
		am_server_bump(s);
	s->st.health = AM_FAILING;
	snprintf(s->st.error, sizeof s->st.error, "%s", msg);
	s->st.error_at = time(NULL);
	s->st.failures++;
	if (s->again && retry_after_s < 0) {
		s->again = false;
		schedule_poll(s, 0);
		return;
	}
	s->again = false;
	schedule_poll(s, backoff_next(&s->bo, retry_after_s));
}

static void poll_ok(am_server *s)
{
	if (s->st.health != AM_UP || s->st.error[0])
		am_server_bump(s);
	s->st.health = AM_UP;
	s->st.error[0] = '\0';
	s->st.failures = 0;
	s->st.last_ok = time(NULL);
	backoff_reset(&s->bo);
	schedule_poll(s, s->again ? 0 : s->hub->o.poll_ms);
	s->again = false;
}

/* ---- alerts into the store ---- */

/* The store merges by fingerprint and only takes a new copy when something
 * it compares moved; an alert going from "active" to "suppressed" keeps
 * AST_FIRING, so such a change is pushed by replacing this source's set
 * from empty. */
static bool state_moved(const am_server *s, const am_alert_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const am_seen *e = seen_find(s, l->items[i].fingerprint);
		if (e && strcmp(e->state_raw, l->items[i].state_raw) != 0)
			return true;
	}
	return false;
}

/* Remember fingerprint, raw state and silencedBy of every alert; takes the
 * silencedBy lists out of l. */
static void remember(am_server *s, am_alert_list *l)
{
	am_seen *v = NULL;
	size_t n = 0;

	seen_free(s);
	if (l->n && !(v = calloc(l->n, sizeof *v)))
		return;
	for (size_t i = 0; i < l->n; i++) {
		am_seen *e = &v[n];
		e->fp = strdup(l->items[i].fingerprint);
		e->state_raw = strdup(l->items[i].state_raw);
		if (!e->fp || !e->state_raw) {
			free(e->fp);
			free(e->state_raw);
			e->fp = e->state_raw = NULL;
			continue;
		}
		e->silenced_by = l->silenced_by[i];
		l->silenced_by[i] = NULL;
		while (e->silenced_by && e->silenced_by[e->n_silenced_by])
			e->n_silenced_by++;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, seen_cmp);
	s->seen = v;
	s->n_seen = n;
}

static void alerts_done(void *ctx, const http_response *r);
static void silences_done(void *ctx, const http_response *r);

static uint64_t get(am_server *s, const char *path, const char *query,
		    const char *etag, http_done_fn fn)
{
	char url[2048];
	http_request q = { 0 };
	int n = snprintf(url, sizeof url, "%s%s%s", s->url, path,
			 query ? query : "");

	if (n < 0 || (size_t)n >= sizeof url)
		return 0;
	q.method = "GET";
	q.url = url;
	q.if_none_match = etag;
	q.timeout_ms = s->hub->o.timeout_ms;
	return http_send(s->hub->http, &q, fn, s);
}

static void poll_now(void *ctx)
{
	am_server *s = ctx;

	s->poll_timer = 0;
	if (s->req_alerts || s->req_silences)
		return;
	s->req_alerts = get(s, PATH_ALERTS, QUERY_ALERTS, s->etag_alerts,
			    alerts_done);
	if (!s->req_alerts)
		poll_failed(s, "GET", PATH_ALERTS, "could not start the request", -1);
}

static void start_silences(am_server *s)
{
	s->req_silences = get(s, PATH_SILENCES, NULL, s->etag_silences,
			      silences_done);
	if (!s->req_silences)
		poll_failed(s, "GET", PATH_SILENCES, "could not start the request", -1);
}

static void alerts_done(void *ctx, const http_response *r)
{
	am_server *s = ctx;
	am_alert_list l;
	char what[300], err[256], note[sizeof s->st.note];
	uint64_t d;

	s->req_alerts = 0;
	if (r->status == 304) {
		start_silences(s);
		return;
	}
	if (r->status < 200 || r->status >= 300) {
		am_response_words(r, what, sizeof what);
		poll_failed(s, "GET", PATH_ALERTS, what, r->retry_after_s);
		return;
	}
	d = digest(r->body, r->body_len);
	if (d == s->digest_alerts) { /* nothing moved */
		start_silences(s);
		return;
	}
	if (am_decode_alerts(r->body, r->body_len, s->name, &l, err,
			     sizeof err) != 0) {
		snprintf(what, sizeof what, "unreadable answer: %s", err);
		poll_failed(s, "GET", PATH_ALERTS, what, -1);
		return;
	}
	set_etag(&s->etag_alerts, r->etag);
	s->digest_alerts = d;
	note[0] = '\0';
	if (l.rejected)
		snprintf(note, sizeof note, "%zu alert%s skipped: %.200s", l.rejected,
			 l.rejected == 1 ? "" : "s", l.reject_msg);
	if (strcmp(note, s->st.note) != 0 || s->st.n_alerts != l.n) {
		snprintf(s->st.note, sizeof s->st.note, "%s", note);
		s->st.n_alerts = l.n;
		am_server_bump(s);
	}
	if (state_moved(s, &l))
		store_alerts_replace_source(s->hub->st, s->name, NULL, 0, time(NULL));
	remember(s, &l);
	am_server_bump(s); /* silencedBy may have moved */
	/* the store takes the items and the array */
	store_alerts_replace_source(s->hub->st, s->name, l.items, l.n, time(NULL));
	l.items = NULL;
	l.n = 0;
	am_alert_list_free(&l);
	start_silences(s);
}

static void silences_done(void *ctx, const http_response *r)
{
	am_server *s = ctx;
	am_silence *v;
	size_t n, rejected;
	char what[300], err[256];
	uint64_t d;

	s->req_silences = 0;
	if (r->status == 304) {
		poll_ok(s);
		return;
	}
	if (r->status < 200 || r->status >= 300) {
		am_response_words(r, what, sizeof what);
		poll_failed(s, "GET", PATH_SILENCES, what, r->retry_after_s);
		return;
	}
	d = digest(r->body, r->body_len);
	if (d != s->digest_silences) {
		if (am_decode_silences(r->body, r->body_len, &v, &n, &rejected,
				       err, sizeof err) != 0) {
			snprintf(what, sizeof what, "unreadable answer: %s", err);
			poll_failed(s, "GET", PATH_SILENCES, what, -1);
			return;
		}
		set_etag(&s->etag_silences, r->etag);
		s->digest_silences = d;
		am_silences_free(s->sil, s->n_sil);
		s->sil = v;
		s->n_sil = n;
		if (rejected && !s->st.note[0])
			snprintf(s->st.note, sizeof s->st.note,
				 "%zu silence%s skipped: %.200s", rejected,
				 rejected == 1 ? "" : "s", err);
		am_server_bump(s);
	}
	if (!s->resolved)
		am_resolve_server(s);
	poll_ok(s);
}

/* ---- status, at its own pace ---- */
static void status_done(void *ctx, const http_response *r)
{
	am_server *s = ctx;
	am_status_info in;
	char err[256];
	int64_t next = s->hub->o.status_ms;

	s->req_status = 0;
	if (r->status >= 200 && r->status < 300 &&
	    am_decode_status(r->body, r->body_len, &in, err, sizeof err) == 0) {
		if (strcmp(in.version, s->st.version) != 0 ||
		    strcmp(in.cluster_status, s->st.cluster_status) != 0 ||
		    in.peers != s->st.cluster_peers ||
		    in.up_since != s->st.up_since) {
			snprintf(s->st.version, sizeof s->st.version, "%s", in.version);
			snprintf(s->st.cluster_status, sizeof s->st.cluster_status,
				 "%s", in.cluster_status);
			s->st.cluster_peers = in.peers;
			s->st.up_since = in.up_since;
			am_server_bump(s);
		}
	} else if (next > s->hub->o.poll_ms * 2) {
		/* ask again soon: the alerts poll says whether it is down */
		next = s->hub->o.poll_ms * 2;
	}
	s->status_timer = ev_timer_add(s->hub->ev, next, status_now, s);
}

static void status_now(void *ctx)
{
	am_server *s = ctx;

	s->status_timer = 0;
	if (s->req_status)
		return;
	s->req_status = get(s, PATH_STATUS, NULL, NULL, status_done);
	if (!s->req_status)
		s->status_timer = ev_timer_add(s->hub->ev, s->hub->o.status_ms,
					       status_now, s);
}
