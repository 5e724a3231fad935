/* sim/api.c - the /v1 endpoints of the platform contract */
#include "sim/http.h"
#include "sim/names.h"
#include "sim/page.h"
#include "sim/util.h"
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 6

/* ---- small helpers ---- */

static void problem(struct sim_resp *rs, const struct sim_req *rq, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void problem(struct sim_resp *rs, const struct sim_req *rq, int status, const char *code, const char *fmt, ...)
{
	char d[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d, sizeof d, fmt, ap);
	va_end(ap);
	sim_resp_problem(rs, rq, status, code, d, NULL);
}

static void version_etag(struct sim_resp *rs, uint32_t version)
{
	snprintf(rs->etag, sizeof rs->etag, "\"%u\"", version);
}

static void reply_object(struct sim_resp *rs, int status, json_t *o, uint32_t version)
{
	sim_resp_json(rs, status, o);
	version_etag(rs, version);
}

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
		problem(rs, rq, 400, "invalid_parameter", "unknown %s '%.100s'", param, v);
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
		problem(rs, rq, 400, "invalid_parameter", "limit must be an integer 1..500, not '%.50s'", v);
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
		problem(rs, rq, 400, "invalid_cursor", "cursor is not one this server issued");
		return;
	}
	const char *us = sim_req_query(rq, "updated_since");
	if (us && sim_parse_time(us, &since)) {
		problem(rs, rq, 400, "invalid_parameter", "updated_since must be an RFC 3339 time, not '%.60s'", us);
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

/* ---- mutations ---- */

struct mut {
	json_t *body;
	char *fingerprint;
	char key[600];
	const char *reason, *ticket;
};

static void mut_free(struct mut *m)
{
	json_decref(m->body);
	free(m->fingerprint);
}

/* Validation shared by every mutation; returns 0 to go on, -1 when rs holds the answer.
 * On 0 the world is LOCKED (the caller unlocks), so the idempotency check and the
 * change happen atomically. */
static int mut_begin(struct sim_req *rq, struct sim_resp *rs, unsigned scope, struct mut *m)
{
	memset(m, 0, sizeof *m);
	if (!(rq->tok->scopes & scope)) {
		problem(rs, rq, 403, "insufficient_scope", "this action requires the scope %s", sim_scope_name(scope));
		return -1;
	}
	const char *key = sim_req_header(rq, "Idempotency-Key");
	if (!key || !*key) {
		problem(rs, rq, 400, "idempotency_key_missing", "mutations require an Idempotency-Key header");
		return -1;
	}
	size_t kl = strlen(key);
	int ok = kl <= 255;
	for (size_t i = 0; ok && i < kl; i++)
		ok = key[i] > 0x20 && key[i] < 0x7f;
	if (!ok) {
		problem(rs, rq, 400, "idempotency_key_invalid", "Idempotency-Key must be 1..255 visible ASCII characters");
		return -1;
	}
	json_error_t err;
	m->body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!m->body) {
		problem(rs, rq, 400, "malformed_json", "request body is not valid JSON: %.200s (line %d, column %d)",
			err.text, err.line, err.column);
		return -1;
	}
	if (!json_is_object(m->body)) {
		problem(rs, rq, 400, "malformed_json", "request body must be a JSON object");
		mut_free(m);
		return -1;
	}
	json_t *r = json_object_get(m->body, "reason");
	size_t rl = json_is_string(r) ? sim_utf8_chars(json_string_value(r)) : 0;
	int blank = 1;
	if (json_is_string(r))
		for (const char *p = json_string_value(r); *p && blank; p++)
			blank = isspace((unsigned char)*p);
	if (!json_is_string(r) || rl == 0 || rl > 500 || blank) {
		problem(rs, rq, 400, "reason_required", "reason is required: a string of 1..500 characters");
		mut_free(m);
		return -1;
	}
	m->reason = json_string_value(r);
	json_t *t = json_object_get(m->body, "ticket");
	if (t && !json_is_null(t)) {
		if (!json_is_string(t) || sim_utf8_chars(json_string_value(t)) > 64) {
			problem(rs, rq, 400, "invalid_field", "ticket must be a string of at most 64 characters");
			mut_free(m);
			return -1;
		}
		m->ticket = json_string_value(t);
	}
	char *canon = json_dumps(m->body, JSON_COMPACT | JSON_SORT_KEYS);
	size_t fl = (canon ? strlen(canon) : 0) + strlen(rq->url) + 16;
	m->fingerprint = malloc(fl);
	if (!canon || !m->fingerprint) {
		free(canon);
		problem(rs, rq, 500, "internal_error", "out of memory");
		mut_free(m);
		return -1;
	}
	snprintf(m->fingerprint, fl, "POST %s\n%s", rq->url, canon);
	free(canon);
	snprintf(m->key, sizeof m->key, "%s\n%s", rq->tok->operator_id, key);

	pthread_mutex_lock(&rq->w->lock);
	const struct sim_idem_entry *e;
	int hit = sim_idem_lookup(&rq->w->idem, m->key, m->fingerprint, rq->w->now, &e);
	if (hit == SIM_IDEM_REPLAY) {
		rs->status = e->status;
		rs->body = strdup(e->body);
		rs->ctype = e->status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
		snprintf(rs->etag, sizeof rs->etag, "%s", e->etag);
		rs->replayed = 1;
		pthread_mutex_unlock(&rq->w->lock);
		mut_free(m);
		return -1;
	}
	if (hit == SIM_IDEM_REUSED) {
		pthread_mutex_unlock(&rq->w->lock);
		problem(rs, rq, 422, "idempotency_key_reused",
			"this Idempotency-Key was used for a different request in the last 24 h");
		mut_free(m);
		return -1;
	}
	return 0;
}

/* Keep the answer of a request that executed (2xx, or a 409/422 from the
 * domain) so a retry replays it. World locked. */
static void mut_store(struct sim_req *rq, struct sim_resp *rs, struct mut *m)
{
	int s = rs->status;
	if ((s >= 200 && s < 300) || s == 409 || s == 422)
		sim_idem_put(&rq->w->idem, m->key, m->fingerprint, s, rs->body, rs->etag, rq->w->now);
}

/* If-Match against the current version. World locked. 0 ok. */
static int check_if_match(struct sim_req *rq, struct sim_resp *rs, uint32_t version, json_t *(*cur)(const struct sim_world *, size_t),
			  size_t idx, int required)
{
	const char *im = sim_req_header(rq, "If-Match");
	if (!im) {
		if (!required)
			return 0;
		problem(rs, rq, 428, "precondition_required", "If-Match with the object's version is required");
		return -1;
	}
	char want[32];
	snprintf(want, sizeof want, "\"%u\"", version);
	const char *p = im;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return 0;
		const char *q = p;
		while (*q && *q != ',')
			q++;
		const char *e = q;
		while (e > p && e[-1] == ' ')
			e--;
		if ((size_t)(e - p) == strlen(want) && memcmp(p, want, (size_t)(e - p)) == 0)
			return 0;
		p = q;
	}
	char d[160];
	snprintf(d, sizeof d, "the object changed: current version is %u", version);
	sim_resp_problem(rs, rq, 412, "version_conflict", d, json_pack("{s:o}", "current", cur(rq->w, idx)));
	return -1;
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int bad_enum_field(struct sim_req *rq, struct sim_resp *rs, json_t *body, const char *field,
			  const char *const *names, int required, int *out)
{
	json_t *v = json_object_get(body, field);
	*out = -1;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		problem(rs, rq, 400, "invalid_field", "%s is required", field);
		return -1;
	}
	if (!json_is_string(v) || (*out = sim_enum_parse(names, json_string_value(v))) < 0) {
		char allowed[256] = "";
		size_t o = 0;
		for (int i = 0; names[i] && o < sizeof allowed; i++)
			o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s%s", i ? ", " : "", names[i]);
		problem(rs, rq, 400, "invalid_field", "%s must be one of: %s", field, allowed);
		return -1;
	}
	return 0;
}

static int short_string_field(struct sim_req *rq, struct sim_resp *rs, json_t *body, const char *field,
			      const char **out)
{
	json_t *v = json_object_get(body, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	size_t n = json_is_string(v) ? sim_utf8_chars(json_string_value(v)) : 0;
	if (!json_is_string(v) || n == 0 || n > 64) {
		problem(rs, rq, 400, "invalid_field", "%s must be a string of 1..64 characters", field);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* ---- endpoint handlers (world locked where noted) ---- */

static void get_status(struct sim_req *rq, struct sim_resp *rs)
{
	char t[32];
	pthread_mutex_lock(&rq->w->lock);
	sim_fmt_time(rq->w->now, t, sizeof t);
	json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "site", rq->site->name, "platform_version", "payops-sim " SIM_VERSION,
			      "server_time", t, "stream_seq", (json_int_t)rq->w->ev.seq);
	pthread_mutex_unlock(&rq->w->lock);
	sim_resp_json(rs, 200, o);
	sim_resp_etag_hash(rs);
}

static void get_me(struct sim_req *rq, struct sim_resp *rs)
{
	json_t *sc = json_array();
	for (unsigned b = 1; b <= SIM_SC_ALERTS; b <<= 1)
		if (rq->tok->scopes & b)
			json_array_append_new(sc, json_string(sim_scope_name(b)));
	sim_resp_json(rs, 200, json_pack("{s:s,s:s,s:o}", "operator_id", rq->tok->operator_id, "display_name",
					 sim_operator_display(rq->tok->operator_id), "scopes", sc));
	sim_resp_etag_hash(rs);
}

static void list_channels(struct sim_req *rq, struct sim_resp *rs)
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

static void list_routes(struct sim_req *rq, struct sim_resp *rs)
{
	struct rt_filter f;
	pthread_mutex_lock(&rq->w->lock);
	channel_param(rq, rs, &f.ch);
	struct coll c = {{rq->w->nrt, rt_id, rt_upd, rt_match, &f}, sim_route_json};
	list_page(rq, rs, &c);
	pthread_mutex_unlock(&rq->w->lock);
}

static void list_cases(struct sim_req *rq, struct sim_resp *rs)
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

static void list_breaks(struct sim_req *rq, struct sim_resp *rs)
{
	struct br_filter f = {0};
	if (enum_filter(rq, rs, "status", sim_break_status_names, &f.status) ||
	    enum_filter(rq, rs, "type", sim_break_type_names, &f.type) ||
	    enum_filter(rq, rs, "severity", sim_severity_names, &f.severity))
		return;
	const char *d = sim_req_query(rq, "recon_date");
	if (d) {
		if (sim_parse_date(d, &f.date)) {
			problem(rs, rq, 400, "invalid_parameter", "recon_date must be YYYY-MM-DD, not '%.40s'", d);
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

static void list_limits(struct sim_req *rq, struct sim_resp *rs)
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

static void list_alerts(struct sim_req *rq, struct sim_resp *rs)
{
	static const char *const states[] = {"firing", "resolved", "all", NULL};
	struct al_filter f = {-1, -1};
	const char *st = sim_req_query(rq, "state");
	if (st) {
		long s = enum_set(states, st);
		if (s < 0) {
			problem(rs, rq, 400, "invalid_parameter", "state must be firing, resolved or all");
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

typedef long (*finder)(const struct sim_world *, const char *);
typedef json_t *(*jsoner)(const struct sim_world *, size_t);

static uint32_t obj_version(const struct sim_world *w, jsoner j, size_t i)
{
	if (j == sim_channel_json) return w->ch[i].version;
	if (j == sim_route_json) return w->rt[i].version;
	if (j == sim_case_json) return w->cs[i].version;
	if (j == sim_break_json) return w->br[i].version;
	if (j == sim_limit_json) return w->lm[i].version;
	return w->al[i].version;
}

static void get_one(struct sim_req *rq, struct sim_resp *rs, finder find, jsoner j, const char *what, const char *id)
{
	pthread_mutex_lock(&rq->w->lock);
	long i = find(rq->w, id);
	if (i < 0) {
		pthread_mutex_unlock(&rq->w->lock);
		problem(rs, rq, 404, "not_found", "no %s %.200s", what, id);
		return;
	}
	json_t *o = j(rq->w, (size_t)i);
	uint32_t v = obj_version(rq->w, j, (size_t)i);
	pthread_mutex_unlock(&rq->w->lock);
	reply_object(rs, 200, o, v);
}

static void get_history(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	const char *mv = sim_req_query(rq, "minutes");
	long minutes = 60;
	if (mv) {
		char *end;
		errno = 0;
		minutes = strtol(mv, &end, 10);
		if (errno || end == mv || *end || minutes < 1 || minutes > SIM_HIST_CAP) {
			problem(rs, rq, 400, "invalid_parameter", "minutes must be an integer 1..%d", SIM_HIST_CAP);
			return;
		}
	}
	pthread_mutex_lock(&rq->w->lock);
	long i = sim_find_channel(rq->w, id);
	json_t *o = i >= 0 ? sim_history_json(rq->w, (size_t)i, (int)minutes) : NULL;
	pthread_mutex_unlock(&rq->w->lock);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no channel %.200s", id);
		return;
	}
	sim_resp_json(rs, 200, o);
	sim_resp_etag_hash(rs);
}

static void get_summary(struct sim_req *rq, struct sim_resp *rs)
{
	const char *d = sim_req_query(rq, "date");
	int32_t date;
	if (d && sim_parse_date(d, &date)) {
		problem(rs, rq, 400, "invalid_parameter", "date must be YYYY-MM-DD, not '%.40s'", d);
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

static void get_events(struct sim_req *rq, struct sim_resp *rs)
{
	const char *le = sim_req_header(rq, "Last-Event-ID");
	if (!le)
		le = sim_req_query(rq, "last_event_id");
	rs->status = 200;
	rs->sse = 1;
	if (le) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(le, &end, 10);
		rs->sse_resume = 1;
		/* an id we never issued cannot be resumed: the stream starts with reset */
		rs->sse_last = (errno || end == le || *end || *le == '-') ? UINT64_MAX : (uint64_t)v;
	}
}

/* ---- mutation endpoints ---- */

static void err_reply(struct sim_req *rq, struct sim_resp *rs, const struct sim_err *e)
{
	sim_resp_problem(rs, rq, e->status, e->code, e->detail, NULL);
}

static void post_channel_action(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct mut m;
	int action, iface;
	if (mut_begin(rq, rs, SIM_SC_CHANNELS, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_channel(w, id);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no channel %.200s", id);
		goto out;
	}
	if (check_if_match(rq, rs, w->ch[i].version, sim_channel_json, (size_t)i, 1))
		goto out;
	if (bad_enum_field(rq, rs, m.body, "action", sim_action_names, 1, &action) ||
	    bad_enum_field(rq, rs, m.body, "interface", sim_iface_names, 0, &iface))
		goto out;
	struct sim_err e;
	int pending;
	if (sim_channel_act(w, (size_t)i, action, iface, rq->tok->operator_id, &pending, &e)) {
		err_reply(rq, rs, &e);
	} else {
		char aid[32];
		snprintf(aid, sizeof aid, "act_%06llu", (unsigned long long)++w->action_seq);
		json_t *o = json_pack("{s:{s:s,s:s},s:o}", "action", "id", aid, "status",
				      pending ? "pending_approval" : "applied", "channel", sim_channel_json(w, (size_t)i));
		reply_object(rs, pending ? 202 : 200, o, w->ch[i].version);
	}
	mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	mut_free(&m);
}

static void post_route_weights(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct mut m;
	if (mut_begin(rq, rs, SIM_SC_ROUTING, &m))
		return;
	struct sim_world *w = rq->w;
	struct sim_weight_req req[SIM_MAX_MEMBERS * 2];
	size_t n = 0;
	int64_t expires = 0;
	long i = sim_find_route(w, id);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no route %.200s", id);
		goto out;
	}
	if (check_if_match(rq, rs, w->rt[i].version, sim_route_json, (size_t)i, 1))
		goto out;
	json_t *ws = json_object_get(m.body, "weights"), *it;
	size_t k;
	if (!json_is_array(ws)) {
		problem(rs, rq, 400, "invalid_field", "weights must be an array of {channel_id, weight_pct}");
		goto out;
	}
	const char *ex = jstr(m.body, "expires_at");
	json_t *exv = json_object_get(m.body, "expires_at");
	if (exv && !json_is_null(exv)) {
		if (!ex || sim_parse_time(ex, &expires)) {
			problem(rs, rq, 400, "invalid_field", "expires_at must be an RFC 3339 time");
			goto out;
		}
		if (expires <= w->now) {
			problem(rs, rq, 400, "invalid_field", "expires_at must be in the future");
			goto out;
		}
	}
	if (json_array_size(ws) > SIM_MAX_MEMBERS * 2) {
		sim_resp_problem(rs, rq, 422, "invalid_weights", "more weights than the route has members", NULL);
		mut_store(rq, rs, &m);
		goto out;
	}
	json_array_foreach(ws, k, it) {
		const char *cid = jstr(it, "channel_id");
		json_t *wp = json_object_get(it, "weight_pct");
		if (!json_is_object(it) || !cid || !json_is_integer(wp) || strlen(cid) >= sizeof req[0].channel_id) {
			sim_resp_problem(rs, rq, 422, "invalid_weights",
					 "each weight needs a channel_id and an integer weight_pct", NULL);
			mut_store(rq, rs, &m);
			goto out;
		}
		snprintf(req[n].channel_id, sizeof req[n].channel_id, "%s", cid);
		req[n].weight = (long long)json_integer_value(wp);
		n++;
	}
	struct sim_err e;
	if (sim_route_set_weights(w, (size_t)i, req, n, expires, rq->tok->operator_id, m.reason, m.ticket, &e))
		err_reply(rq, rs, &e);
	else
		reply_object(rs, 200, sim_route_json(w, (size_t)i), w->rt[i].version);
	mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	mut_free(&m);
}

static void post_case_decision(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct mut m;
	int dec;
	const char *assignee;
	if (mut_begin(rq, rs, SIM_SC_ONBOARDING, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_case(w, id);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no case %.200s", id);
		goto out;
	}
	if (check_if_match(rq, rs, w->cs[i].version, sim_case_json, (size_t)i, 1))
		goto out;
	if (bad_enum_field(rq, rs, m.body, "decision", sim_decision_names, 1, &dec) ||
	    short_string_field(rq, rs, m.body, "assignee", &assignee))
		goto out;
	if (dec == SIM_DEC_ASSIGN && !assignee) {
		problem(rs, rq, 400, "invalid_field", "assign needs an assignee");
		goto out;
	}
	struct sim_err e;
	if (sim_case_decide(w, (size_t)i, dec, assignee, &e))
		err_reply(rq, rs, &e);
	else
		reply_object(rs, 200, sim_case_json(w, (size_t)i), w->cs[i].version);
	mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	mut_free(&m);
}

static void post_break_resolve(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct mut m;
	int act;
	const char *assignee, *ref = NULL;
	if (mut_begin(rq, rs, SIM_SC_RECON, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_break(w, id);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no break %.200s", id);
		goto out;
	}
	if (check_if_match(rq, rs, w->br[i].version, sim_break_json, (size_t)i, 1))
		goto out;
	if (bad_enum_field(rq, rs, m.body, "action", sim_resolve_names, 1, &act) ||
	    short_string_field(rq, rs, m.body, "assignee", &assignee))
		goto out;
	json_t *cr = json_object_get(m.body, "counterpart_ref"), *adj = json_object_get(m.body, "adjustment_minor");
	if (act == SIM_RES_MATCH) {
		if (!json_is_string(cr) || !*json_string_value(cr) || sim_utf8_chars(json_string_value(cr)) > 128) {
			problem(rs, rq, 400, "invalid_field", "match needs counterpart_ref (1..128 characters)");
			goto out;
		}
		ref = json_string_value(cr);
	}
	if (act == SIM_RES_ADJUST && !json_is_integer(adj)) {
		problem(rs, rq, 400, "invalid_field", "adjust needs an integer adjustment_minor");
		goto out;
	}
	if (act == SIM_RES_ASSIGN && !assignee) {
		problem(rs, rq, 400, "invalid_field", "assign needs an assignee");
		goto out;
	}
	struct sim_err e;
	if (sim_break_resolve(w, (size_t)i, act, rq->tok->operator_id, m.reason, ref, act == SIM_RES_ADJUST,
			      act == SIM_RES_ADJUST ? (int64_t)json_integer_value(adj) : 0, assignee, &e))
		err_reply(rq, rs, &e);
	else
		reply_object(rs, 200, sim_break_json(w, (size_t)i), w->br[i].version);
	mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	mut_free(&m);
}

static void post_limit_adjust(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct mut m;
	if (mut_begin(rq, rs, SIM_SC_LIMITS, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_limit(w, id);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no limit %.200s", id);
		goto out;
	}
	if (check_if_match(rq, rs, w->lm[i].version, sim_limit_json, (size_t)i, 1))
		goto out;
	json_t *lv = json_object_get(m.body, "limit_minor"), *wa = json_object_get(m.body, "warn_at");
	if (!json_is_integer(lv) || json_integer_value(lv) <= 0) {
		problem(rs, rq, 400, "invalid_field", "limit_minor must be a positive integer (minor units)");
		goto out;
	}
	if (wa && !json_is_null(wa) && (!json_is_number(wa) || !(json_number_value(wa) > 0 && json_number_value(wa) <= 1))) {
		problem(rs, rq, 400, "invalid_field", "warn_at must be a number in (0, 1]");
		goto out;
	}
	struct sim_err e;
	int has_warn = wa && !json_is_null(wa);
	if (sim_limit_adjust(w, (size_t)i, (int64_t)json_integer_value(lv), has_warn, has_warn ? json_number_value(wa) : 0, &e))
		err_reply(rq, rs, &e);
	else
		reply_object(rs, 200, sim_limit_json(w, (size_t)i), w->lm[i].version);
	mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	mut_free(&m);
}

static void post_alert_ack(struct sim_req *rq, struct sim_resp *rs, const char *id)
{
	struct mut m;
	if (mut_begin(rq, rs, SIM_SC_ALERTS, &m))
		return;
	struct sim_world *w = rq->w;
	long i = sim_find_alert(w, id);
	if (i < 0) {
		problem(rs, rq, 404, "not_found", "no alert %.200s", id);
		goto out;
	}
	if (check_if_match(rq, rs, w->al[i].version, sim_alert_json, (size_t)i, 0))
		goto out;
	if (sim_alert_ack(w, (size_t)i, rq->tok->operator_id)) {
		problem(rs, rq, 500, "internal_error", "out of memory");
		goto out;
	}
	reply_object(rs, 200, sim_alert_json(w, (size_t)i), w->al[i].version);
	mut_store(rq, rs, &m);
out:
	pthread_mutex_unlock(&w->lock);
	mut_free(&m);
}

/* ---- routing ---- */

static int split(const char *url, char *buf, size_t cap, char **parts)
{
	int n = 0;
	if (strlen(url) >= cap)
		return -1;
	snprintf(buf, cap, "%s", url);
	char *p = buf;
	if (*p != '/')
		return -1;
	p++;
	while (*p) {
		if (n == MAX_PARTS)
			return -1;
		parts[n++] = p;
		char *s = strchr(p, '/');
		if (!s)
			break;
		*s = '\0';
		p = s + 1;
		if (!*p)
			return -1; /* trailing slash */
	}
	for (int i = 0; i < n; i++)
		if (!*parts[i])
			return -1;
	return n;
}

enum { M_GET = 1, M_POST = 2 };

void sim_api_handle(struct sim_req *rq, struct sim_resp *rs)
{
	char buf[2048];
	char *p[MAX_PARTS];
	int n = split(rq->url, buf, sizeof buf, p);
	int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	int post = strcmp(rq->method, "POST") == 0;
	int allowed = 0; /* methods the path accepts */
	int route = -1;
	const char *id = NULL;

	if (!rq->tok) {
		problem(rs, rq, 401, "unauthorized", "a valid bearer token is required");
		return;
	}
	if (n >= 2 && strcmp(p[0], "v1") == 0) {
		const char *a = p[1], *b = n > 2 ? p[2] : NULL, *c = n > 3 ? p[3] : NULL, *d = n > 4 ? p[4] : NULL;
		if (n == 2 && (!strcmp(a, "status") || !strcmp(a, "me") || !strcmp(a, "events")))
			allowed = M_GET, route = a[0] == 's' ? 0 : a[0] == 'm' ? 1 : 2;
		else if (!strcmp(a, "channels")) {
			if (n == 2) allowed = M_GET, route = 10;
			else if (n == 3) allowed = M_GET, route = 11, id = b;
			else if (n == 4 && !strcmp(c, "history")) allowed = M_GET, route = 12, id = b;
			else if (n == 4 && !strcmp(c, "actions")) allowed = M_POST, route = 13, id = b;
		} else if (!strcmp(a, "routes")) {
			if (n == 2) allowed = M_GET, route = 20;
			else if (n == 3) allowed = M_GET, route = 21, id = b;
			else if (n == 4 && !strcmp(c, "weights")) allowed = M_POST, route = 22, id = b;
		} else if (!strcmp(a, "onboarding") && n >= 3 && !strcmp(b, "cases")) {
			if (n == 3) allowed = M_GET, route = 30;
			else if (n == 4) allowed = M_GET, route = 31, id = c;
			else if (n == 5 && !strcmp(d, "decision")) allowed = M_POST, route = 32, id = c;
		} else if (!strcmp(a, "recon") && n >= 3) {
			if (!strcmp(b, "summary") && n == 3) allowed = M_GET, route = 43;
			else if (!strcmp(b, "breaks")) {
				if (n == 3) allowed = M_GET, route = 40;
				else if (n == 4) allowed = M_GET, route = 41, id = c;
				else if (n == 5 && !strcmp(d, "resolve")) allowed = M_POST, route = 42, id = c;
			}
		} else if (!strcmp(a, "limits")) {
			if (n == 2) allowed = M_GET, route = 50;
			else if (n == 3) allowed = M_GET, route = 51, id = b;
			else if (n == 4 && !strcmp(c, "adjust")) allowed = M_POST, route = 52, id = b;
		} else if (!strcmp(a, "alerts")) {
			if (n == 2) allowed = M_GET, route = 60;
			else if (n == 3) allowed = M_GET, route = 61, id = b;
			else if (n == 4 && !strcmp(c, "ack")) allowed = M_POST, route = 62, id = b;
		}
	}
	if (route < 0) {
		problem(rs, rq, 404, "not_found", "no such resource: %.200s", rq->url);
		return;
	}
	if ((allowed == M_GET && !get) || (allowed == M_POST && !post)) {
		rs->allow = allowed == M_GET ? "GET, HEAD" : "POST";
		problem(rs, rq, 405, "method_not_allowed", "%s is not allowed here (allowed: %s)", rq->method, rs->allow);
		rs->allow = allowed == M_GET ? "GET, HEAD" : "POST";
		return;
	}
	if (get && !(rq->tok->scopes & SIM_SC_READ)) {
		problem(rs, rq, 403, "insufficient_scope", "reading requires the scope read");
		return;
	}
	switch (route) {
	case 0: get_status(rq, rs); break;
	case 1: get_me(rq, rs); break;
	case 2: get_events(rq, rs); break;
	case 10: list_channels(rq, rs); break;
	case 11: get_one(rq, rs, sim_find_channel, sim_channel_json, "channel", id); break;
	case 12: get_history(rq, rs, id); break;
	case 13: post_channel_action(rq, rs, id); break;
	case 20: list_routes(rq, rs); break;
	case 21: get_one(rq, rs, sim_find_route, sim_route_json, "route", id); break;
	case 22: post_route_weights(rq, rs, id); break;
	case 30: list_cases(rq, rs); break;
	case 31: get_one(rq, rs, sim_find_case, sim_case_json, "case", id); break;
	case 32: post_case_decision(rq, rs, id); break;
	case 40: list_breaks(rq, rs); break;
	case 41: get_one(rq, rs, sim_find_break, sim_break_json, "break", id); break;
	case 42: post_break_resolve(rq, rs, id); break;
	case 43: get_summary(rq, rs); break;
	case 50: list_limits(rq, rs); break;
	case 51: get_one(rq, rs, sim_find_limit, sim_limit_json, "limit", id); break;
	case 52: post_limit_adjust(rq, rs, id); break;
	case 60: list_alerts(rq, rs); break;
	case 61: get_one(rq, rs, sim_find_alert, sim_alert_json, "alert", id); break;
	case 62: post_alert_ack(rq, rs, id); break;
	}
}
