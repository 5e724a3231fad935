/* SPDX-License-Identifier: ISC (see COPYING) */
/* store/store.c: sorted arrays of the small collections, their trends and
 * the metadata every collection carries. */
#include "store/store.h"
#include "store/store_int.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A live trend point is added at most this often, so a 2 s poll and a busy
 * event stream draw the same line. */
#define TREND_MIN_STEP_S 5

typedef struct {
	time_t t;
	double ssr, p95, tps;
} trend_point;

/* A ring that grows with its points up to STORE_TREND_POINTS: a start
 * from the cache gives 2,000 channels one point each, and a full ring
 * apiece (3.8 KB, zeroed) was a fifth of a warm start. */
#define TREND_FIRST_CAP 4
typedef struct {
	size_t cap, head, n; /* ring of cap: oldest at (head + cap - n) % cap */
	bool seeded;
	trend_point p[];
} trend;

static trend *trend_new(size_t cap)
{
	trend *tr = malloc(sizeof *tr + cap * sizeof tr->p[0]);
	if (tr)
		*tr = (trend){ .cap = cap };
	return tr;
}

/* The k-th oldest point. */
static const trend_point *trend_at(const trend *tr, size_t k)
{
	return &tr->p[(tr->head + tr->cap - tr->n + k) % tr->cap];
}

typedef struct {
	api_channel ch;
	time_t changed_at;
	uint64_t stamp;     /* moves with anything shown of it */
	trend *tr;
} chan_entry;

typedef struct {
	api_alert a;
	char **sources;
	size_t n_sources;
} alert_entry;

struct store {
	store_meta meta[STORE__N];
	api_status status;
	bool have_status;
	api_me me;
	bool have_me;
	chan_entry *chans;
	size_t n_chans;
	api_route *routes;
	size_t n_routes;
	alert_entry *alerts;
	size_t n_alerts;
	uint64_t stamps;    /* the last channel stamp given */
	store_apr_set aprs;
};

store *store_new(void)
{
	return calloc(1, sizeof(store));
}

static void chan_entry_free(chan_entry *e)
{
	api_channel_free(&e->ch);
	free(e->tr);
	e->tr = NULL;
}

static void alert_entry_free(alert_entry *e)
{
	api_alert_free(&e->a);
	for (size_t i = 0; i < e->n_sources; i++)
		free(e->sources[i]);
	free(e->sources);
	e->sources = NULL;
	e->n_sources = 0;
}

void store_free(store *s)
{
	if (!s)
		return;
	api_status_free(&s->status);
	api_me_free(&s->me);
	for (size_t i = 0; i < s->n_chans; i++)
		chan_entry_free(&s->chans[i]);
	free(s->chans);
	for (size_t i = 0; i < s->n_routes; i++)
		api_route_free(&s->routes[i]);
	free(s->routes);
	for (size_t i = 0; i < s->n_alerts; i++)
		alert_entry_free(&s->alerts[i]);
	free(s->alerts);
	store_aprs_free(&s->aprs);
	free(s);
}

/* ---- metadata ---- */

const store_meta *store_meta_get(const store *s, store_coll c)
{
	return &s->meta[c];
}

static void bump(store *s, store_coll c)
{
	s->meta[c].gen++;
}

void store_bump(store *s, store_coll c)
{
	bump(s, c);
}

store_apr_set *store_aprs(const store *s)
{
	return (store_apr_set *)&s->aprs;
}

void store_mark_fetched(store *s, store_coll c, time_t now, bool from_cache)
{
	store_meta *m = &s->meta[c];
	/* The age alone moves the generation of nothing: the status bar
	 * computes it from the clock, and views recalculate only when what
	 * they show changed (first data, an error gone, cache vs live). */
	bool changed = m->fetched_at == 0 || m->error[0] != '\0' ||
		       m->from_cache != from_cache;
	m->fetched_at = now;
	m->from_cache = from_cache;
	m->error[0] = '\0';
	if (changed)
		m->gen++;
}

void store_touch(store *s, store_coll c)
{
	s->meta[c].gen++;
}

void store_mark_error(store *s, store_coll c, time_t now, const char *msg)
{
	store_meta *m = &s->meta[c];
	if (strcmp(m->error, msg ? msg : "") != 0)
		m->gen++;
	snprintf(m->error, sizeof m->error, "%s", msg ? msg : "");
	m->error_at = now;
}

void store_clear_error(store *s, store_coll c)
{
	if (s->meta[c].error[0]) {
		s->meta[c].error[0] = '\0';
		s->meta[c].gen++;
	}
}

uint64_t store_gen_total(const store *s)
{
	uint64_t g = 0;
	for (int i = 0; i < STORE__N; i++)
		g += s->meta[i].gen;
	return g;
}

/* ---- who am I ---- */

void store_set_status(store *s, api_status *st)
{
	bool same = s->have_status && s->status.stream_seq == st->stream_seq &&
		    s->status.server_time == st->server_time;
	api_status_free(&s->status);
	s->status = *st;
	memset(st, 0, sizeof *st);
	s->have_status = true;
	if (!same)
		bump(s, STORE_STATUS);
}

const api_status *store_status(const store *s)
{
	return s->have_status ? &s->status : NULL;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void store_set_me(store *s, api_me *me)
{
	bool same = s->have_me && str_eq(s->me.operator_id, me->operator_id) &&
		    str_eq(s->me.display_name, me->display_name) &&
		    s->me.scopes == me->scopes;
	api_me_free(&s->me);
	s->me = *me;
	memset(me, 0, sizeof *me);
	s->have_me = true;
	if (!same)
		bump(s, STORE_ME);
}

const api_me *store_me(const store *s)
{
	return s->have_me ? &s->me : NULL;
}

/* ---- channels ---- */

static bool num_eq(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Fields whose change is worth a "just changed" marker. */
static bool chan_state_differs(const api_channel *a, const api_channel *b)
{
	if (a->admin_state != b->admin_state || a->health != b->health ||
	    a->breaker != b->breaker || a->n_interfaces != b->n_interfaces ||
	    !str_eq(a->admin_state_raw, b->admin_state_raw) ||
	    !str_eq(a->health_raw, b->health_raw) ||
	    !str_eq(a->breaker_raw, b->breaker_raw) ||
	    a->maintenance.present != b->maintenance.present)
		return true;
	for (size_t i = 0; i < a->n_interfaces; i++)
		if (a->interfaces[i].admin_state != b->interfaces[i].admin_state ||
		    !str_eq(a->interfaces[i].name, b->interfaces[i].name))
			return true;
	return false;
}

static bool chan_differs(const api_channel *a, const api_channel *b)
{
	if (a->version != b->version || a->updated_at != b->updated_at ||
	    chan_state_differs(a, b) || !api_bad_equal(&a->bad, &b->bad))
		return true;
	return !num_eq(a->tps, b->tps) ||
	       !num_eq(a->system_success_rate, b->system_success_rate) ||
	       !num_eq(a->business_success_rate, b->business_success_rate) ||
	       !num_eq(a->latency_p95_ms, b->latency_p95_ms) ||
	       !num_eq(a->traffic_share, b->traffic_share) ||
	       a->n_top_errors != b->n_top_errors ||
	       !str_eq(a->name, b->name) || !str_eq(a->link_id, b->link_id);
}

/* Adds a point to *trp, growing it while it is below the full ring (on
 * no memory the oldest point gives way instead). */
static void trend_push(trend **trp, time_t t, double ssr, double p95, double tps)
{
	trend *tr = *trp;
	if (tr->n == tr->cap && tr->cap < STORE_TREND_POINTS) {
		size_t cap = tr->cap * 4 < STORE_TREND_POINTS ? tr->cap * 4 : STORE_TREND_POINTS;
		trend *g = trend_new(cap);
		if (g) {
			for (size_t k = 0; k < tr->n; k++)
				g->p[k] = *trend_at(tr, k);
			g->n = g->head = tr->n;
			g->seeded = tr->seeded;
			free(tr);
			*trp = tr = g;
		}
	}
	tr->p[tr->head] = (trend_point){ t, ssr, p95, tps };
	tr->head = (tr->head + 1) % tr->cap;
	if (tr->n < tr->cap)
		tr->n++;
}

static time_t trend_last_t(const trend *tr)
{
	return tr->n ? trend_at(tr, tr->n - 1)->t : 0;
}

static void trend_live(chan_entry *e, time_t now)
{
	if (!e->tr && !(e->tr = trend_new(TREND_FIRST_CAP)))
		return;
	if (e->tr->n && now - trend_last_t(e->tr) < TREND_MIN_STEP_S)
		return;
	trend_push(&e->tr, now, e->ch.system_success_rate, e->ch.latency_p95_ms,
		   e->ch.tps);
}

static int chan_cmp(const void *a, const void *b)
{
	const api_channel *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	/* equal ids: higher version first, so the first of a run wins */
	return (x->version < y->version) - (x->version > y->version);
}

/* Binary search of a sorted array whose elements hold their id (a char *)
 * at id_off: the element, or NULL with *pos where it would go. */
static void *find_sorted(const void *base, size_t n, size_t size, size_t id_off,
			 const char *id, size_t *pos)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *elem = (const char *)base + mid * size;
		const char *mid_id;
		memcpy(&mid_id, elem + id_off, sizeof mid_id);
		int c = strcmp(mid_id, id);
		if (c == 0) {
			if (pos)
				*pos = mid;
			return (void *)elem;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos)
		*pos = lo;
	return NULL;
}

static chan_entry *chan_find(const store *s, const char *id, size_t *pos)
{
	return find_sorted(s->chans, s->n_chans, sizeof *s->chans,
			   offsetof(chan_entry, ch.id), id, pos);
}

size_t store_channel_count(const store *s)
{
	return s->n_chans;
}

const api_channel *store_channel_at(const store *s, size_t i)
{
	return i < s->n_chans ? &s->chans[i].ch : NULL;
}

const api_channel *store_channel_find(const store *s, const char *id)
{
	chan_entry *e = id ? chan_find(s, id, NULL) : NULL;
	return e ? &e->ch : NULL;
}

time_t store_channel_changed_at(const store *s, const char *id)
{
	chan_entry *e = id ? chan_find(s, id, NULL) : NULL;
	return e ? e->changed_at : 0;
}

time_t store_channel_changed_at_index(const store *s, size_t i)
{
	return i < s->n_chans ? s->chans[i].changed_at : 0;
}

uint64_t store_channel_stamp_at(const store *s, size_t i)
{
	return i < s->n_chans ? s->chans[i].stamp : 0;
}

bool store_in_list(char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] && strcmp(ids[i], id) == 0)
			return true;
	return false;
}

void store_channels_replace(store *s, api_channel *items, size_t n,
			    char *const *keep_ids, size_t n_keep, time_t now)
{
	if (n > 1)
		qsort(items, n, sizeof *items, chan_cmp);
	chan_entry *next = calloc(n + s->n_chans + 1, sizeof *next);
	if (!next) {
		for (size_t i = 0; i < n; i++)
			api_channel_free(&items[i]);
		free(items);
		return;
	}
	bool changed = false;
	size_t m = 0, oi = 0;
	for (size_t i = 0; i < n; i++) {
		api_channel *it = &items[i];
		if (m && strcmp(next[m - 1].ch.id, it->id) == 0) {
			api_channel_free(it); /* duplicated id: keep one */
			continue;
		}
		/* old entries sorting before this id: gone, unless kept */
		while (oi < s->n_chans && strcmp(s->chans[oi].ch.id, it->id) < 0) {
			if (store_in_list(keep_ids, n_keep, s->chans[oi].ch.id)) {
				next[m++] = s->chans[oi];
			} else {
				chan_entry_free(&s->chans[oi]);
				changed = true;
			}
			memset(&s->chans[oi], 0, sizeof s->chans[oi]);
			oi++;
		}
		if (oi < s->n_chans && strcmp(s->chans[oi].ch.id, it->id) == 0) {
			chan_entry e = s->chans[oi];
			memset(&s->chans[oi], 0, sizeof s->chans[oi]);
			oi++;
			if (chan_differs(&e.ch, it)) {
				if (chan_state_differs(&e.ch, it))
					e.changed_at = now;
				api_channel_free(&e.ch);
				e.ch = *it;
				e.stamp = ++s->stamps;
				trend_live(&e, now);
				changed = true;
			} else {
				api_channel_free(it);
			}
			next[m++] = e;
		} else {
			next[m].ch = *it;
			next[m].changed_at = 0;
			next[m].stamp = ++s->stamps;
			next[m].tr = NULL;
			trend_live(&next[m], now);
			m++;
			changed = true;
		}
	}
	for (; oi < s->n_chans; oi++) {
		if (store_in_list(keep_ids, n_keep, s->chans[oi].ch.id)) {
			next[m++] = s->chans[oi];
		} else {
			chan_entry_free(&s->chans[oi]);
			changed = true;
		}
	}
	free(items);
	free(s->chans); /* a merge of two sorted runs: still sorted */
	s->chans = next;
	s->n_chans = m;
	if (changed)
		bump(s, STORE_CHANNELS);
}

void store_channel_upsert(store *s, api_channel *ch, time_t now)
{
	size_t pos;
	chan_entry *e = chan_find(s, ch->id, &pos);
	if (e) {
		if (ch->version < e->ch.version || !chan_differs(&e->ch, ch)) {
			api_channel_free(ch);
			return;
		}
		if (chan_state_differs(&e->ch, ch))
			e->changed_at = now;
		api_channel_free(&e->ch);
		e->ch = *ch;
		e->stamp = ++s->stamps;
		trend_live(e, now);
	} else {
		chan_entry *grown = realloc(s->chans, (s->n_chans + 1) * sizeof *grown);
		if (!grown) {
			api_channel_free(ch);
			return;
		}
		s->chans = grown;
		memmove(&s->chans[pos + 1], &s->chans[pos],
			(s->n_chans - pos) * sizeof *s->chans);
		s->n_chans++;
		memset(&s->chans[pos], 0, sizeof s->chans[pos]);
		s->chans[pos].ch = *ch;
		s->chans[pos].changed_at = now;
		s->chans[pos].stamp = ++s->stamps;
		trend_live(&s->chans[pos], now);
	}
	memset(ch, 0, sizeof *ch);
	bump(s, STORE_CHANNELS);
}

void store_trend_seed(store *s, const api_history *h)
{
	chan_entry *e = h && h->channel_id ? chan_find(s, h->channel_id, NULL) : NULL;
	if (!e)
		return;
	trend *old = e->tr;
	trend *tr = trend_new(STORE_TREND_POINTS);
	if (!tr)
		return;
	size_t first = h->n_points > STORE_TREND_POINTS ?
			       h->n_points - STORE_TREND_POINTS : 0;
	time_t last = 0;
	for (size_t i = first; i < h->n_points; i++) {
		const api_history_point *p = &h->points[i];
		trend_push(&tr, p->t, p->system_success_rate, p->latency_p95_ms, p->tps);
		last = p->t;
	}
	/* live points newer than the history keep their place at the end */
	if (old) {
		for (size_t k = 0; k < old->n; k++) {
			const trend_point *o = trend_at(old, k);
			if (o->t > last)
				trend_push(&tr, o->t, o->ssr, o->p95, o->tps);
		}
		free(old);
	}
	tr->seeded = true;
	e->tr = tr;
	e->stamp = ++s->stamps;
	bump(s, STORE_CHANNELS);
}

bool store_trend_seeded(const store *s, const char *channel_id)
{
	chan_entry *e = channel_id ? chan_find(s, channel_id, NULL) : NULL;
	return e && e->tr && e->tr->seeded;
}

size_t store_trend(const store *s, const char *channel_id, double *ssr,
		   double *p95, double *tps, size_t max)
{
	chan_entry *e = channel_id ? chan_find(s, channel_id, NULL) : NULL;
	if (!e || !e->tr)
		return 0;
	const trend *tr = e->tr;
	size_t n = tr->n < max ? tr->n : max;
	/* the newest n points, oldest first */
	for (size_t k = 0; k < n; k++) {
		const trend_point *p = trend_at(tr, tr->n - n + k);
		if (ssr)
			ssr[k] = p->ssr;
		if (p95)
			p95[k] = p->p95;
		if (tps)
			tps[k] = p->tps;
	}
	return n;
}

/* ---- routes ---- */

static bool route_differs(const api_route *a, const api_route *b)
{
	if (a->version != b->version || a->n_members != b->n_members ||
	    a->strategy != b->strategy || a->override.present != b->override.present ||
	    !str_eq(a->name, b->name) || !api_bad_equal(&a->bad, &b->bad))
		return true;
	for (size_t i = 0; i < a->n_members; i++)
		if (a->members[i].weight_pct != b->members[i].weight_pct ||
		    a->members[i].eligible != b->members[i].eligible ||
		    !str_eq(a->members[i].channel_id, b->members[i].channel_id))
			return true;
	return false;
}

static int route_cmp(const void *a, const void *b)
{
	const api_route *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return (x->version < y->version) - (x->version > y->version);
}

static api_route *route_find(const store *s, const char *id, size_t *pos)
{
	return find_sorted(s->routes, s->n_routes, sizeof *s->routes,
			   offsetof(api_route, id), id, pos);
}

size_t store_route_count(const store *s)
{
	return s->n_routes;
}

const api_route *store_route_at(const store *s, size_t i)
{
	return i < s->n_routes ? &s->routes[i] : NULL;
}

const api_route *store_route_find(const store *s, const char *id)
{
	return id ? route_find(s, id, NULL) : NULL;
}

void store_routes_replace(store *s, api_route *items, size_t n,
			  char *const *keep_ids, size_t n_keep, time_t now)
{
	(void)now;
	if (n > 1)
		qsort(items, n, sizeof *items, route_cmp);
	api_route *next = calloc(n + s->n_routes + 1, sizeof *next);
	unsigned char *taken = calloc(s->n_routes + 1, sizeof *taken);
	if (!next || !taken) {
		for (size_t i = 0; i < n; i++)
			api_route_free(&items[i]);
		free(items);
		free(next);
		free(taken);
		return;
	}
	bool changed = false;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && strcmp(next[m - 1].id, items[i].id) == 0) {
			api_route_free(&items[i]);
			continue;
		}
		size_t pos;
		api_route *old = route_find(s, items[i].id, &pos);
		if (old && !route_differs(old, &items[i])) {
			/* keep the old copy: its ownership moves to next below */
			next[m++] = *old;
			taken[pos] = 2;
			api_route_free(&items[i]);
		} else {
			if (old)
				taken[pos] = 1;
			next[m++] = items[i];
			changed = true;
		}
	}
	/* only now may old entries be freed or zeroed: route_find above
	 * binary-searches them */
	for (size_t i = 0; i < s->n_routes; i++) {
		if (taken[i] == 2) {
			continue; /* moved into next */
		} else if (taken[i] == 1) {
			api_route_free(&s->routes[i]); /* replaced by a newer copy */
		} else if (store_in_list(keep_ids, n_keep, s->routes[i].id)) {
			next[m++] = s->routes[i];
		} else {
			api_route_free(&s->routes[i]);
			changed = true;
		}
	}
	free(taken);
	free(items);
	free(s->routes);
	s->routes = next;
	s->n_routes = m;
	if (m > 1)
		qsort(s->routes, m, sizeof *s->routes, route_cmp);
	if (changed)
		bump(s, STORE_ROUTES);
}

void store_route_upsert(store *s, api_route *r, time_t now)
{
	(void)now;
	size_t pos;
	api_route *e = route_find(s, r->id, &pos);
	if (e) {
		if (r->version < e->version || !route_differs(e, r)) {
			api_route_free(r);
			return;
		}
		api_route_free(e);
		*e = *r;
	} else {
		api_route *grown = realloc(s->routes, (s->n_routes + 1) * sizeof *grown);
		if (!grown) {
			api_route_free(r);
			return;
		}
		s->routes = grown;
		memmove(&s->routes[pos + 1], &s->routes[pos],
			(s->n_routes - pos) * sizeof *s->routes);
		s->n_routes++;
		s->routes[pos] = *r;
	}
	memset(r, 0, sizeof *r);
	bump(s, STORE_ROUTES);
}

/* ---- alerts ---- */

static int alert_rank_cmp(const void *a, const void *b)
{
	const api_alert *x = &((const alert_entry *)a)->a;
	const api_alert *y = &((const alert_entry *)b)->a;
	int fx = x->state == AST_FIRING, fy = y->state == AST_FIRING;
	if (fx != fy)
		return fy - fx;
	if (x->severity != y->severity)
		return (int)x->severity - (int)y->severity;
	if (x->starts_at != y->starts_at)
		return x->starts_at < y->starts_at ? 1 : -1;
	return strcmp(x->fingerprint ? x->fingerprint : "",
		      y->fingerprint ? y->fingerprint : "");
}

static const char *alert_key(const api_alert *a)
{
	if (a->fingerprint && *a->fingerprint)
		return a->fingerprint;
	return a->id ? a->id : "";
}

static alert_entry *alert_find(const store *s, const char *key)
{
	for (size_t i = 0; i < s->n_alerts; i++)
		if (strcmp(alert_key(&s->alerts[i].a), key) == 0)
			return &s->alerts[i];
	return NULL;
}

static bool entry_has_source(const alert_entry *e, const char *src)
{
	for (size_t i = 0; i < e->n_sources; i++)
		if (strcmp(e->sources[i], src) == 0)
			return true;
	return false;
}

static int entry_add_source(alert_entry *e, const char *src)
{
	if (entry_has_source(e, src))
		return 0;
	char **grown = realloc(e->sources, (e->n_sources + 1) * sizeof *grown);
	if (!grown)
		return -1;
	e->sources = grown;
	if (!(e->sources[e->n_sources] = strdup(src)))
		return -1;
	e->n_sources++;
	return 0;
}

static bool alert_differs(const api_alert *a, const api_alert *b)
{
	if (a->state != b->state || a->severity != b->severity ||
	    a->ends_at != b->ends_at || a->starts_at != b->starts_at ||
	    !str_eq(a->state_raw, b->state_raw) ||
	    !str_eq(a->severity_raw, b->severity_raw) ||
	    !str_eq(a->acked_by, b->acked_by) || !str_eq(a->title, b->title) ||
	    !str_eq(a->summary, b->summary) || a->n_labels != b->n_labels ||
	    !api_bad_equal(&a->bad, &b->bad))
		return true;
	for (size_t i = 0; i < a->n_labels; i++)
		if (!str_eq(a->labels[i].key, b->labels[i].key) ||
		    !str_eq(a->labels[i].value, b->labels[i].value))
			return true;
	return false;
}

/* Merge one alert; returns true when something visible changed. */
static bool alert_merge(store *s, api_alert *a)
{
	const char *src = a->source ? a->source : "platform";
	alert_entry *e = alert_find(s, alert_key(a));
	if (e) {
		bool changed = !entry_has_source(e, src);
		entry_add_source(e, src);
		/* the platform's copy wins for display when both have it */
		bool take = strcmp(src, "platform") == 0 ||
			    !entry_has_source(e, "platform");
		if (take && alert_differs(&e->a, a)) {
			api_alert_free(&e->a);
			e->a = *a;
			memset(a, 0, sizeof *a);
			changed = true;
		} else {
			api_alert_free(a);
		}
		return changed;
	}
	alert_entry *grown = realloc(s->alerts, (s->n_alerts + 1) * sizeof *grown);
	if (!grown) {
		api_alert_free(a);
		return false;
	}
	s->alerts = grown;
	alert_entry *ne = &s->alerts[s->n_alerts++];
	memset(ne, 0, sizeof *ne);
	ne->a = *a;
	memset(a, 0, sizeof *a);
	entry_add_source(ne, src);
	return true;
}

size_t store_alert_count(const store *s)
{
	return s->n_alerts;
}

const api_alert *store_alert_at(const store *s, size_t i)
{
	return i < s->n_alerts ? &s->alerts[i].a : NULL;
}

void store_alerts_replace_source(store *s, const char *source, api_alert *items,
				 size_t n, time_t now)
{
	(void)now;
	bool changed = false;
	/* drop this source from alerts it no longer reports */
	for (size_t i = 0; i < s->n_alerts;) {
		alert_entry *e = &s->alerts[i];
		bool still = false;
		for (size_t k = 0; k < n && !still; k++)
			still = strcmp(alert_key(&items[k]), alert_key(&e->a)) == 0;
		if (!still && entry_has_source(e, source)) {
			for (size_t k = 0; k < e->n_sources; k++) {
				if (strcmp(e->sources[k], source) == 0) {
					free(e->sources[k]);
					e->sources[k] = e->sources[--e->n_sources];
					break;
				}
			}
			changed = true;
			if (e->n_sources == 0) {
				alert_entry_free(e);
				s->alerts[i] = s->alerts[--s->n_alerts];
				continue;
			}
		}
		i++;
	}
	for (size_t k = 0; k < n; k++) {
		if (!items[k].source)
			items[k].source = strdup(source);
		changed |= alert_merge(s, &items[k]);
	}
	free(items);
	if (s->n_alerts > 1)
		qsort(s->alerts, s->n_alerts, sizeof *s->alerts, alert_rank_cmp);
	if (changed)
		bump(s, STORE_ALERTS);
}

void store_alert_upsert(store *s, api_alert *a, time_t now)
{
	(void)now;
	if (alert_merge(s, a)) {
		if (s->n_alerts > 1)
			qsort(s->alerts, s->n_alerts, sizeof *s->alerts, alert_rank_cmp);
		bump(s, STORE_ALERTS);
	}
}

void store_alert_counts(const store *s, size_t counts[AS_UNKNOWN + 1])
{
	memset(counts, 0, sizeof(size_t) * (AS_UNKNOWN + 1));
	for (size_t i = 0; i < s->n_alerts; i++)
		if (s->alerts[i].a.state == AST_FIRING)
			counts[s->alerts[i].a.severity]++;
}
