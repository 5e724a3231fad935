/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/control.c - the /sim control API: state, scenarios, manual ticks,
 * fault injection, sites up and down (no auth: a test harness's knobs) */
#include "sim/http.h"
#include "sim/util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *faults_json(const struct sim_faults *f)
{
	return json_pack("{s:i,s:f,s:i,s:f,s:f,s:i,s:i,s:o,s:o}", "latency_ms", f->latency_ms, "error_rate",
			 f->error_rate, "burst_429", f->burst_429, "malformed_rate", f->malformed_rate,
			 "truncated_rate", f->truncated_rate, "stall_ms", f->stall_ms, "sse_drop_after",
			 f->sse_drop_after, "path_prefix", f->path_prefix[0] ? json_string(f->path_prefix) : json_null(),
			 "site", f->site[0] ? json_string(f->site) : json_null());
}

static json_t *site_json(const struct sim_site *s)
{
	return json_pack("{s:s,s:i,s:b}", "name", s->name, "port", (int)s->port, "up", !atomic_load(&s->down));
}

static void bad(struct sim_resp *rs, const struct sim_req *rq, const char *detail)
{
	sim_resp_problem(rs, rq, 400, "invalid_field", detail, NULL);
}

static json_t *parse_body(struct sim_req *rq, struct sim_resp *rs)
{
	json_error_t err;
	if (rq->body_len == 0)
		return json_object();
	json_t *b = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!b || !json_is_object(b)) {
		json_decref(b);
		sim_resp_problem(rs, rq, 400, "malformed_json", "body must be a JSON object", NULL);
		return NULL;
	}
	return b;
}

static void state(struct sim_req *rq, struct sim_resp *rs)
{
	struct sim_world *w = rq->w;
	struct sim_server *srv = rq->site->srv;
	char t[32];
	pthread_mutex_lock(&w->lock);
	sim_fmt_time(w->now, t, sizeof t);
	json_t *o = json_pack("{s:I,s:s,s:I,s:I,s:{s:I,s:I,s:I,s:I,s:I,s:I},s:o}", "seed", (json_int_t)w->seed, "now", t,
			      "stream_seq", (json_int_t)w->ev.seq, "ticks", (json_int_t)w->ticks, "counts", "channels",
			      (json_int_t)w->nch, "routes", (json_int_t)w->nrt, "cases", (json_int_t)w->ncs, "breaks",
			      (json_int_t)w->nbr, "limits", (json_int_t)w->nlm, "alerts", (json_int_t)w->nal, "faults",
			      faults_json(&w->faults));
	pthread_mutex_unlock(&w->lock);
	json_t *sites = json_array();
	for (int i = 0; i < srv->nsites; i++)
		json_array_append_new(sites, site_json(&srv->sites[i]));
	json_object_set_new(o, "sites", sites);
	sim_resp_json(rs, 200, o);
}

static void scenario(struct sim_req *rq, struct sim_resp *rs)
{
	json_t *b = parse_body(rq, rs);
	if (!b)
		return;
	json_t *n = json_object_get(b, "name"), *t = json_object_get(b, "target");
	if (!json_is_string(n) || (t && !json_is_null(t) && !json_is_string(t))) {
		bad(rs, rq, "name (string) is required; target is an optional string");
		json_decref(b);
		return;
	}
	char target[128], detail[256];
	struct sim_err e;
	pthread_mutex_lock(&rq->w->lock);
	int rc = sim_scenario(rq->w, json_string_value(n), json_is_string(t) ? json_string_value(t) : NULL, target,
			      sizeof target, detail, sizeof detail, &e);
	pthread_mutex_unlock(&rq->w->lock);
	if (rc)
		sim_resp_problem(rs, rq, e.status, e.code, e.detail, NULL);
	else
		sim_resp_json(rs, 200, json_pack("{s:s,s:o,s:s}", "name", json_string_value(n), "target",
						 target[0] ? json_string(target) : json_null(), "detail", detail));
	json_decref(b);
}

static void tick(struct sim_req *rq, struct sim_resp *rs)
{
	json_t *b = parse_body(rq, rs);
	if (!b)
		return;
	json_t *s = json_object_get(b, "seconds");
	json_int_t n = 1;
	if (s) {
		if (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 86400) {
			bad(rs, rq, "seconds must be an integer 0..86400");
			json_decref(b);
			return;
		}
		n = json_integer_value(s);
	}
	json_decref(b);
	char t[32];
	pthread_mutex_lock(&rq->w->lock);
	for (json_int_t i = 0; i < n; i++)
		sim_tick(rq->w);
	sim_fmt_time(rq->w->now, t, sizeof t);
	json_t *o = json_pack("{s:I,s:s,s:I}", "ticks", n, "now", t, "stream_seq", (json_int_t)rq->w->ev.seq);
	pthread_mutex_unlock(&rq->w->lock);
	sim_resp_json(rs, 200, o);
}

static int num_field(json_t *b, const char *k, double lo, double hi, int integer, double *out, int *present)
{
	json_t *v = json_object_get(b, k);
	*present = v != NULL && !json_is_null(v);
	if (!*present)
		return 0;
	if (!json_is_number(v) || (integer && !json_is_integer(v)))
		return -1;
	double d = json_number_value(v);
	if (!(d >= lo && d <= hi) || isnan(d))
		return -1;
	*out = d;
	return 0;
}

/* An optional text field of a fault body into dst: absent leaves it,
 * null empties it, a string that fits sets it; -1 for anything else. */
static int text_field(json_t *b, const char *key, char *dst, size_t cap)
{
	json_t *v = json_object_get(b, key);
	if (!v)
		return 0;
	if (json_is_null(v)) {
		dst[0] = '\0';
		return 0;
	}
	if (!json_is_string(v) || strlen(json_string_value(v)) >= cap)
		return -1;
	snprintf(dst, cap, "%s", json_string_value(v));
	return 0;
}

/* Parse a fault body into f (a merge onto the current faults); 0 ok. */
int sim_faults_merge(struct sim_faults *f, json_t *b, char *err, size_t cap)
{
	static const struct { const char *k; double hi; int integer; } spec[] = {
		{"latency_ms", 600000, 1}, {"error_rate", 1, 0}, {"burst_429", 1e9, 1}, {"malformed_rate", 1, 0},
		{"truncated_rate", 1, 0}, {"stall_ms", 600000, 1}, {"sse_drop_after", 1e9, 1},
	};
	struct sim_faults n = *f;
	const char *key;
	json_t *val;
	json_object_foreach(b, key, val) {
		size_t i;
		for (i = 0; i < sizeof spec / sizeof spec[0]; i++)
			if (strcmp(spec[i].k, key) == 0)
				break;
		if (i == sizeof spec / sizeof spec[0] && strcmp(key, "path_prefix") != 0 &&
		    strcmp(key, "site") != 0) {
			snprintf(err, cap, "unknown fault field %.64s", key);
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		double d;
		int present;
		if (num_field(b, spec[i].k, 0, spec[i].hi, spec[i].integer, &d, &present)) {
			snprintf(err, cap, "%s must be %s 0..%g", spec[i].k, spec[i].integer ? "an integer" : "a number",
				 spec[i].hi);
			return -1;
		}
		if (!present)
			continue;
		switch (i) {
		case 0: n.latency_ms = (int)d; break;
		case 1: n.error_rate = d; break;
		case 2: n.burst_429 = (int)d; break;
		case 3: n.malformed_rate = d; break;
		case 4: n.truncated_rate = d; break;
		case 5: n.stall_ms = (int)d; break;
		case 6: n.sse_drop_after = (int)d; break;
		}
	}
	const char *bad = text_field(b, "path_prefix", n.path_prefix, sizeof n.path_prefix) ?
		"path_prefix must be a string such as \"/v1/channels\", or null" :
		text_field(b, "site", n.site, sizeof n.site) ?
		"site must be a site's name such as \"sh-a\", or null" : NULL;
	if (bad) {
		snprintf(err, cap, "%s", bad);
		return -1;
	}
	*f = n;
	return 0;
}

static void faults(struct sim_req *rq, struct sim_resp *rs)
{
	struct sim_world *w = rq->w;
	if (strcmp(rq->method, "POST") == 0) {
		json_t *b = parse_body(rq, rs);
		if (!b)
			return;
		char err[160];
		pthread_mutex_lock(&w->lock);
		int rc = sim_faults_merge(&w->faults, b, err, sizeof err);
		pthread_mutex_unlock(&w->lock);
		json_decref(b);
		if (rc) {
			bad(rs, rq, err);
			return;
		}
	} else if (strcmp(rq->method, "DELETE") == 0) {
		pthread_mutex_lock(&w->lock);
		memset(&w->faults, 0, sizeof w->faults);
		pthread_mutex_unlock(&w->lock);
	} else if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
		rs->allow = "GET, POST, DELETE";
		sim_resp_problem(rs, rq, 405, "method_not_allowed", "use GET, POST or DELETE", NULL);
		return;
	}
	pthread_mutex_lock(&w->lock);
	json_t *o = faults_json(&w->faults);
	pthread_mutex_unlock(&w->lock);
	sim_resp_json(rs, 200, o);
}

static void site_updown(struct sim_req *rq, struct sim_resp *rs, const char *name, int down)
{
	struct sim_site *s = sim_server_site(rq->site->srv, name);
	if (!s) {
		sim_resp_problem(rs, rq, 404, "not_found", "no such site", NULL);
		return;
	}
	atomic_store(&s->down, down);
	/* wake event streams so the ones on a downed site end now */
	pthread_mutex_lock(&rq->w->lock);
	pthread_cond_broadcast(&rq->w->cond);
	pthread_mutex_unlock(&rq->w->lock);
	sim_resp_json(rs, 200, site_json(s));
}

unsigned sim_control_scopes(struct sim_world *w, const char *operator_id, unsigned scopes)
{
	pthread_mutex_lock(&w->lock);
	for (int i = 0; i < w->nscopes; i++)
		if (strcmp(w->scopes[i].operator_id, operator_id) == 0)
			scopes = (scopes | w->scopes[i].grant) & ~w->scopes[i].revoke;
	pthread_mutex_unlock(&w->lock);
	return scopes;
}

/* A list of scope names into a mask; -1 (said in err) on a bad one. */
static int scope_mask(json_t *list, unsigned *out, char *err, size_t cap)
{
	*out = 0;
	if (!list || json_is_null(list))
		return 0;
	size_t i;
	json_t *v;
	if (!json_is_array(list)) {
		snprintf(err, cap, "grant and revoke are lists of scope names");
		return -1;
	}
	json_array_foreach(list, i, v) {
		unsigned b = json_is_string(v) ? sim_scope_parse(json_string_value(v)) : 0;
		if (!b) {
			snprintf(err, cap, "unknown scope %.64s", json_is_string(v) ? json_string_value(v) : "(not a string)");
			return -1;
		}
		*out |= b;
	}
	return 0;
}

/* POST /sim/scopes {"operator_id", "grant": [...], "revoke": [...]}: a scope
 * granted or revoked at the platform while consoles run. */
static void scopes(struct sim_req *rq, struct sim_resp *rs)
{
	json_t *b = parse_body(rq, rs);
	if (!b)
		return;
	json_t *op = json_object_get(b, "operator_id");
	unsigned grant, revoke;
	char err[160];
	const char *o = json_is_string(op) ? json_string_value(op) : NULL;
	if (!o || !*o || strlen(o) >= sizeof rq->w->scopes[0].operator_id) {
		bad(rs, rq, "operator_id (string) is required");
	} else if (scope_mask(json_object_get(b, "grant"), &grant, err, sizeof err) ||
		   scope_mask(json_object_get(b, "revoke"), &revoke, err, sizeof err)) {
		bad(rs, rq, err);
	} else {
		struct sim_world *w = rq->w;
		pthread_mutex_lock(&w->lock);
		int i;
		for (i = 0; i < w->nscopes && strcmp(w->scopes[i].operator_id, o) != 0; i++)
			;
		int full = i == w->nscopes && i == (int)(sizeof w->scopes / sizeof w->scopes[0]);
		if (!full) {
			if (i == w->nscopes) {
				snprintf(w->scopes[i].operator_id, sizeof w->scopes[i].operator_id, "%s", o);
				w->scopes[i].grant = w->scopes[i].revoke = 0;
				w->nscopes++;
			}
			w->scopes[i].grant = (w->scopes[i].grant | grant) & ~revoke;
			w->scopes[i].revoke = (w->scopes[i].revoke | revoke) & ~grant;
		}
		pthread_mutex_unlock(&w->lock);
		if (full) {
			bad(rs, rq, "too many operators with changed scopes");
		} else {
			char g[256], r[256];
			sim_scopes_format(grant, g, sizeof g);
			sim_scopes_format(revoke, r, sizeof r);
			sim_resp_json(rs, 200, json_pack("{s:s,s:s,s:s}", "operator_id", o, "granted", g, "revoked", r));
		}
	}
	json_decref(b);
}

void sim_control_handle(struct sim_req *rq, struct sim_resp *rs)
{
	const char *u = rq->url;
	int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	int post = strcmp(rq->method, "POST") == 0;
	if (strcmp(u, "/sim/state") == 0) {
		if (get)
			state(rq, rs);
		else {
			rs->allow = "GET";
			sim_resp_problem(rs, rq, 405, "method_not_allowed", "use GET", NULL);
		}
		return;
	}
	if (strcmp(u, "/sim/faults") == 0) {
		faults(rq, rs);
		return;
	}
	if (strcmp(u, "/sim/scopes") == 0) {
		if (!post) {
			rs->allow = "POST";
			sim_resp_problem(rs, rq, 405, "method_not_allowed", "use POST", NULL);
		} else
			scopes(rq, rs);
		return;
	}
	if (strcmp(u, "/sim/scenario") == 0 || strcmp(u, "/sim/tick") == 0) {
		if (!post) {
			rs->allow = "POST";
			sim_resp_problem(rs, rq, 405, "method_not_allowed", "use POST", NULL);
		} else if (u[5] == 's')
			scenario(rq, rs);
		else
			tick(rq, rs);
		return;
	}
	if (strncmp(u, "/sim/sites/", 11) == 0) {
		char name[64];
		const char *p = u + 11, *slash = strchr(p, '/');
		if (slash && (size_t)(slash - p) < sizeof name && (!strcmp(slash, "/down") || !strcmp(slash, "/up"))) {
			if (!post) {
				rs->allow = "POST";
				sim_resp_problem(rs, rq, 405, "method_not_allowed", "use POST", NULL);
				return;
			}
			memcpy(name, p, (size_t)(slash - p));
			name[slash - p] = '\0';
			site_updown(rq, rs, name, slash[1] == 'd');
			return;
		}
	}
	sim_resp_problem(rs, rq, 404, "not_found", "no such control endpoint", NULL);
}
