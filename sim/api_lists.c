/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api_lists.c - the /v1 reads: lists with their filters and cursor
 * paging, one object by id, a channel's history, the recon summary */
#include "sim/api.h"
#include "sim/page.h"
#include "sim/util.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* enum filter: "a,b" -> bit set; -1 when a name is unknown */
static long enum_set(const char *const *names, const char *v)
{
	long set = 0;
	char buf[256];
	if (strlen(v) >= sizeof buf || !*v)
		return -1;
	snprintf(buf, sizeof buf, "%s", v);
	char *save = NULL;
	for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		int k = sim_enum_parse(names, p);
		if (k < 0)
			return -1;
		set |= 1L << k;
	}
	return set;
}

static int enum_filter(struct sim_req *rq, struct sim_resp *rs, const char *param, const char *const *names, long *out)
{
	const char *v = sim_req_query(rq, param);
	*out = -1; /* all */
	if (!v)
		return 0;
	long s = enum_set(names, v);
	if (s < 0) {
		sim_api_problem(rs, rq, 400, "invalid_parameter", "unknown %s '%.100s'", param, v);
		return -1;
	}
	*out = s;
	return 0;
}

/* ---- lists ---- */

struct coll {
	struct sim_coll c;
	json_t *(*json)(const struct sim_world *, size_t);
};

static const char *ch_id(const struct sim_world *w, size_t i, char *b, size_t c) { (void)b; (void)c; return w->ch[i].id; }
static const char *rt_id(const struct sim_world *w, size_t i, char *b, size_t c) { (void)b; (void)c; return w->rt[i].id; }
static const char *lm_id(const struct sim_world *w, size_t i, char *b, size_t c) { (void)b; (void)c; return w->lm[i].id; }
static const char *cs_id(const struct sim_world *w, size_t i, char *b, size_t c) { sim_case_id(&w->cs[i], b, c); return b; }
static const char *br_id(const struct sim_world *w, size_t i, char *b, size_t c) { sim_break_id(&w->br[i], b, c); return b; }
static const char *al_id(const struct sim_world *w, size_t i, char *b, size_t c) { sim_alert_id(&w->al[i], b, c); return b; }
static int64_t ch_upd(const struct sim_world *w, size_t i) { return w->ch[i].updated_at; }
static int64_t rt_upd(const struct sim_world *w, size_t i) { return w->rt[i].updated_at; }
static int64_t lm_upd(const struct sim_world *w, size_t i) { return w->lm[i].updated_at; }
static int64_t cs_upd(const struct sim_world *w, size_t i) { return w->cs[i].updated_at; }
static int64_t br_upd(const struct sim_world *w, size_t i) { return w->br[i].updated_at; }
static int64_t al_upd(const struct sim_world *w, size_t i) { return w->al[i].updated_at; }
static const char *ap_id(const struct sim_world *w, size_t i, char *b, size_t c)
{
	sim_approval_id(&w->ap[i], b, c);
	return b;
}
static int64_t ap_upd(const struct sim_world *w, size_t i) { return w->ap[i].updated_at; }

static int parse_limit(struct sim_req *rq, struct sim_resp *rs, long *out)
{
	const char *v = sim_req_query(rq, "limit");
	*out = 100;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > 500) {
		sim_api_problem(rs, rq, 400, "invalid_parameter", "limit must be an integer 1..500, not '%.50s'", v);
		return -1;
	}
	*out = n;
	return 0;
}

/* Called with the world locked. */
static void list_page(struct sim_req *rq, struct sim_resp *rs, const struct coll *c)
{
	struct sim_world *w = rq->w;
	long limit;
	char after[128] = "", buf[128];
	int64_t since = SIM_NO_SINCE;
	size_t idx[500];
	int more;
	if (parse_limit(rq, rs, &limit))
		return;
	const char *cur = sim_req_query(rq, "cursor");
	if (cur && *cur && sim_cursor_decode(cur, after, sizeof after)) {
		sim_api_problem(rs, rq, 400, "invalid_cursor", "cursor is not one this server issued");
		return;
	}
	const char *us = sim_req_query(rq, "updated_since");
	if (us && sim_parse_time(us, &since)) {
		sim_api_problem(rs, rq, 400, "invalid_parameter", "updated_since must be an RFC 3339 time, not '%.60s'", us);
		return;
	}
	size_t n = sim_page(w, &c->c, after, (size_t)limit, since, idx, &more);
	json_t *data = json_array();
	for (size_t k = 0; k < n; k++)
		json_array_append_new(data, c->json(w, idx[k]));
	json_t *o = json_object();
	json_object_set_new(o, "data", data);
	if (more && n > 0) {
		char enc[300];
		sim_cursor_encode(c->c.id(w, idx[n - 1], buf, sizeof buf), enc, sizeof enc);
		json_object_set_new(o, "next_cursor", json_string(enc));
	} else {
		json_object_set_new(o, "next_cursor", json_null());
	}
	sim_resp_json(rs, 200, o);
	sim_resp_etag_hash(rs);
}

/* ---- filters ---- */

struct ch_filter { long network, admin, health; const char *link; };
static int ch_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct ch_filter *f = p;
	const struct sim_channel *c = &w->ch[i];
	return (f->network & (1L << c->network)) && (f->admin & (1L << c->admin)) && (f->health & (1L << c->health)) &&
	       (!f->link || strcmp(f->link, c->link_id) == 0);
}
struct rt_filter { long ch; };
static int rt_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct rt_filter *f = p;
	if (f->ch < 0)
		return 1;
	for (int k = 0; k < w->rt[i].nm; k++)
		if (w->rt[i].m[k].ch == f->ch)
			return 1;
	return 0;
}
struct cs_filter { long stage, risk, source; const char *assignee; };
static int cs_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct cs_filter *f = p;
	const struct sim_case *c = &w->cs[i];
	return (f->stage & (1L << c->stage)) && (f->risk & (1L << c->risk_level)) && (f->source & (1L << c->source)) &&
	       (!f->assignee || (c->assignee && strcmp(c->assignee, f->assignee) == 0));
}
struct br_filter { long status, type, severity, ch; int32_t date; int has_date; const char *assignee; };
static int br_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct br_filter *f = p;
	const struct sim_break *b = &w->br[i];
	return (f->status & (1L << b->status)) && (f->type & (1L << b->type)) && (f->severity & (1L << b->severity)) &&
	       (f->ch < 0 || b->ch == f->ch) && (!f->has_date || b->date == f->date) &&
	       (!f->assignee || (b->assignee && strcmp(b->assignee, f->assignee) == 0));
}
struct lm_filter { long scope, state, period; const char *scope_id; };
static int lm_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct lm_filter *f = p;
	const struct sim_limit *l = &w->lm[i];
	return (f->scope & (1L << l->scope)) && (f->state & (1L << l->state)) && (f->period & (1L << l->period)) &&
	       (!f->scope_id || strcmp(f->scope_id, l->scope_id) == 0);
}
struct al_filter { long state, severity; };
static int al_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct al_filter *f = p;
	return (f->state & (1L << w->al[i].state)) && (f->severity & (1L << w->al[i].severity));
}

/* approvals: pending, or decided (every other state) */
struct ap_filter { int pending, decided; };
static int ap_match(const struct sim_world *w, size_t i, const void *p)
{
	const struct ap_filter *f = p;
	return w->ap[i].state == SIM_APR_PENDING ? f->pending : f->decided;
}

static int channel_param(struct sim_req *rq, struct sim_resp *rs, long *out)
{
	const char *v = sim_req_query(rq, "channel_id");
	*out = -1;
	if (!v)
		return 0;
	*out = sim_find_channel(rq->w, v);
	if (*out < 0) {
		*out = LONG_MAX; /* an unknown channel simply matches nothing */
	}
	(void)rs;
	return 0;
}

void sim_api_list_channels(struct sim_req *rq, struct sim_resp *rs)
{
	struct ch_filter f = {0};
	if (enum_filter(rq, rs, "network", sim_network_names, &f.network) ||
	    enum_filter(rq, rs, "admin_state", sim_admin_names, &f.admin) ||
	    enum_filter(rq, rs, "health", sim_health_names, &f.health))
		return;
	f.link = sim_req_query(rq, "link_id");
	pthread_mutex_lock(&rq->w->lock);
	struct coll c = {{rq->w->nch, ch_id, ch_upd, ch_match, &f}, sim_channel_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

void sim_api_list_routes(struct sim_req *rq, struct sim_resp *rs)
{
	struct rt_filter f;
	pthread_mutex_lock(&rq->w->lock);
	channel_param(rq, rs, &f.ch);
	struct coll c = {{rq->w->nrt, rt_id, rt_upd, rt_match, &f}, sim_route_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

void sim_api_list_cases(struct sim_req *rq, struct sim_resp *rs)
{
	struct cs_filter f = {0};
	if (enum_filter(rq, rs, "stage", sim_stage_names, &f.stage) ||
	    enum_filter(rq, rs, "risk_level", sim_risk_names, &f.risk) ||
	    enum_filter(rq, rs, "source", sim_source_names, &f.source))
		return;
	f.assignee = sim_req_query(rq, "assignee");
	pthread_mutex_lock(&rq->w->lock);
	struct coll c = {{rq->w->ncs, cs_id, cs_upd, cs_match, &f}, sim_case_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

void sim_api_list_breaks(struct sim_req *rq, struct sim_resp *rs)
{
	struct br_filter f = {0};
	if (enum_filter(rq, rs, "status", sim_break_status_names, &f.status) ||
	    enum_filter(rq, rs, "type", sim_break_type_names, &f.type) ||
	    enum_filter(rq, rs, "severity", sim_severity_names, &f.severity))
		return;
	const char *d = sim_req_query(rq, "recon_date");
	if (d) {
		if (sim_parse_date(d, &f.date)) {
			sim_api_problem(rs, rq, 400, "invalid_parameter", "recon_date must be YYYY-MM-DD, not '%.40s'", d);
			return;
		}
		f.has_date = 1;
	}
	f.assignee = sim_req_query(rq, "assignee");
	pthread_mutex_lock(&rq->w->lock);
	channel_param(rq, rs, &f.ch);
	struct coll c = {{rq->w->nbr, br_id, br_upd, br_match, &f}, sim_break_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

void sim_api_list_limits(struct sim_req *rq, struct sim_resp *rs)
{
	struct lm_filter f = {0};
	if (enum_filter(rq, rs, "scope", sim_scope_names, &f.scope) ||
	    enum_filter(rq, rs, "state", sim_limit_state_names, &f.state) ||
	    enum_filter(rq, rs, "period", sim_period_names, &f.period))
		return;
	f.scope_id = sim_req_query(rq, "scope_id");
	pthread_mutex_lock(&rq->w->lock);
	struct coll c = {{rq->w->nlm, lm_id, lm_upd, lm_match, &f}, sim_limit_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

void sim_api_list_alerts(struct sim_req *rq, struct sim_resp *rs)
{
	static const char *const states[] = {"firing", "resolved", "all", NULL};
	struct al_filter f = {-1, -1};
	const char *st = sim_req_query(rq, "state");
	if (st) {
		long s = enum_set(states, st);
		if (s < 0) {
			sim_api_problem(rs, rq, 400, "invalid_parameter", "state must be firing, resolved or all");
			return;
		}
		f.state = (s & 4) ? -1 : s;
	}
	if (enum_filter(rq, rs, "severity", sim_alert_sev_names, &f.severity))
		return;
	pthread_mutex_lock(&rq->w->lock);
	struct coll c = {{rq->w->nal, al_id, al_upd, al_match, &f}, sim_alert_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

void sim_api_list_approvals(struct sim_req *rq, struct sim_resp *rs)
{
	static const char *const states[] = {"pending", "decided", "all", NULL};
	struct ap_filter f = {1, 0};
	const char *st = sim_req_query(rq, "state");
	if (st) {
		long s = enum_set(states, st);
		if (s < 0) {
			sim_api_problem(rs, rq, 400, "invalid_parameter", "state must be pending, decided or all");
			return;
		}
		f.pending = (s & 5) != 0;
		f.decided = (s & 6) != 0;
	}
	pthread_mutex_lock(&rq->w->lock);
	struct coll c = {{rq->w->nap, ap_id, ap_upd, ap_match, &f}, sim_approval_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

static uint32_t obj_version(const struct sim_world *w, sim_api_jsoner j, size_t i)
{
	if (j == sim_channel_json) return w->ch[i].version;
	if (j == sim_route_json) return w->rt[i].version;
	if (j == sim_case_json) return w->cs[i].version;
	if (j == sim_break_json) return w->br[i].version;
	if (j == sim_limit_json) return w->lm[i].version;
	if (j == sim_approval_json) return w->ap[i].version;
	return w->al[i].version;
}

void sim_api_get_one(struct sim_req *rq, struct sim_resp *rs, sim_api_finder find, sim_api_jsoner j,
		     const char *what, const char *id)
{
	pthread_mutex_lock(&rq->w->lock);
	long i = find(rq->w, id);
	if (i < 0) {
		pthread_mutex_unlock(&rq->w->lock);
		sim_api_problem(rs, rq, 404, "not_found", "no %s %.200s", what, id);
		return;
	}
	json_t *o = j(rq->w, (size_t)i);
	uint32_t v = obj_version(rq->w, j, (size_t)i);
	pthread_mutex_unlock(&rq->w->lock);
	sim_api_reply(rs, 200, o, v);
}

void sim_api_get_history(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	const char *mv = sim_req_query(rq, "minutes");
	long minutes = 60;
	if (mv) {
		char *end;
		errno = 0;
		minutes = strtol(mv, &end, 10);
		if (errno || end == mv || *end || minutes < 1 || minutes > SIM_HIST_CAP) {
			sim_api_problem(rs, rq, 400, "invalid_parameter", "minutes must be an integer 1..%d", SIM_HIST_CAP);
			return;
		}
	}
	pthread_mutex_lock(&rq->w->lock);
	long i = sim_find_channel(rq->w, id);
	json_t *o = i >= 0 ? sim_history_json(rq->w, (size_t)i, (int)minutes) : NULL;
	pthread_mutex_unlock(&rq->w->lock);
	if (i < 0) {
		sim_api_problem(rs, rq, 404, "not_found", "no channel %.200s", id);
		return;
	}
	sim_resp_json(rs, 200, o);
	sim_resp_etag_hash(rs);
}

void sim_api_get_summary(struct sim_req *rq, struct sim_resp *rs)
{
	const char *d = sim_req_query(rq, "date");
	int32_t date;
	if (d && sim_parse_date(d, &date)) {
		sim_api_problem(rs, rq, 400, "invalid_parameter", "date must be YYYY-MM-DD, not '%.40s'", d);
		return;
	}
	pthread_mutex_lock(&rq->w->lock);
	if (!d)
		date = sim_cst_day(rq->w->now);
	json_t *o = sim_summary_json(rq->w, date);
	pthread_mutex_unlock(&rq->w->lock);
	sim_resp_json(rs, 200, o);
	sim_resp_etag_hash(rs);
}
