/* SPDX-License-Identifier: ISC (see COPYING) */
/* actions/request.c: what a mutation is before it goes anywhere: its names,
 * the scope it needs, local validation (mirroring the contract so an invalid
 * request is refused before anything is written), its JSON body, and the
 * canonical "intended" and "observed" states the audit rows carry. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "actions/act_int.h"
#include "api/decode.h"
#include "base/utf8.h"
#include "net/url.h"

static const char *const ch_verbs[] = {"enable", "disable", "drain", "quarantine", "release"};
static const char *const case_decs[] = {"approve", "reject", "return", "assign"};
static const char *const apr_decs[] = {"approve", "reject"};
static const char *const brk_acts[] = {"match", "write_off", "adjust", "escalate",
				       "investigate", "reopen", "assign"};
#define N_OF(a) ((int)(sizeof(a) / sizeof(a)[0]))

const char *act_channel_verb_name(int v)
{
	return v >= 0 && v < N_OF(ch_verbs) ? ch_verbs[v] : "?";
}

const char *act_case_decision_name(int v)
{
	return v >= 0 && v < N_OF(case_decs) ? case_decs[v] : "?";
}

const char *act_approval_decision_name(int v)
{
	return v >= 0 && v < N_OF(apr_decs) ? apr_decs[v] : "?";
}

const char *act_break_action_name(int v)
{
	return v >= 0 && v < N_OF(brk_acts) ? brk_acts[v] : "?";
}

const char *act_status_name(act_status s)
{
	switch (s) {
	case ACT_APPLIED: return "applied";
	case ACT_PENDING_APPROVAL: return "pending_approval";
	case ACT_REJECTED: return "rejected";
	case ACT_CONFLICT: return "conflict";
	case ACT_FAILED: return "failed";
	case ACT_UNKNOWN: return "unknown";
	case ACT_REFUSED: return "refused";
	}
	return "?";
}

unsigned act_scope_bit(act_kind k)
{
	switch (k) {
	case ACT_CHANNEL: return SCOPE_BIT_CHANNELS_WRITE;
	case ACT_ROUTE_WEIGHTS: return SCOPE_BIT_ROUTING_WRITE;
	case ACT_CASE_DECISION: return SCOPE_BIT_ONBOARDING_WRITE;
	case ACT_BREAK_RESOLVE: return SCOPE_BIT_RECON_WRITE;
	case ACT_LIMIT_ADJUST: return SCOPE_BIT_LIMITS_WRITE;
	case ACT_ALERT_ACK: return SCOPE_BIT_ALERTS_WRITE;
	case ACT_APPROVAL_DECISION: return SCOPE_BIT_CHANNELS_WRITE;
	}
	return 0;
}

const char *act_scope_name(act_kind k)
{
	const char *name = api_scope_name(act_scope_bit(k));
	return name ? name : "?";
}

const char *act_scope_from_detail(act_kind k, const char *detail)
{
	/* the platform's 403 names the scope it wanted: believe it over ours */
	for (unsigned bit = SCOPE_BIT_CHANNELS_WRITE;
	     detail && bit <= SCOPE_BIT_ALERTS_WRITE; bit <<= 1) {
		const char *name = api_scope_name(bit);
		if (name && strstr(detail, name))
			return name;
	}
	return act_scope_name(k);
}

int act_action_name(const act_request *r, char *out, size_t outsz)
{
	int n = -1;
	switch (r->kind) {
	case ACT_CHANNEL:
		n = snprintf(out, outsz, "channel.%s", act_channel_verb_name(r->verb));
		break;
	case ACT_ROUTE_WEIGHTS:
		n = snprintf(out, outsz, "route.reweight");
		break;
	case ACT_CASE_DECISION:
		n = snprintf(out, outsz, "case.%s", act_case_decision_name(r->verb));
		break;
	case ACT_BREAK_RESOLVE:
		n = snprintf(out, outsz, "break.resolve.%s", act_break_action_name(r->verb));
		break;
	case ACT_LIMIT_ADJUST:
		n = snprintf(out, outsz, "limit.adjust");
		break;
	case ACT_ALERT_ACK:
		n = snprintf(out, outsz, "alert.ack");
		break;
	case ACT_APPROVAL_DECISION:
		n = snprintf(out, outsz, "approval.%s", act_approval_decision_name(r->verb));
		break;
	}
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

#define REFUSE(...) do { snprintf(why, whysz, __VA_ARGS__); return -1; } while (0)

static int validate_weights(const store *st, const act_request *r, char *why, size_t whysz)
{
	if (!r->weights || r->n_weights == 0)
		REFUSE("weights: list every member of the route");
	const api_route *rt = st ? store_route_find(st, r->target) : NULL;
	long sum = 0;
	for (size_t i = 0; i < r->n_weights; i++) {
		const act_weight *w = &r->weights[i];
		if (empty(w->channel_id))
			REFUSE("weights: a weight without a channel id");
		if (w->weight_pct < 0 || w->weight_pct > 100)
			REFUSE("weights: %s=%d is not a percentage 0..100", w->channel_id, w->weight_pct);
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->weights[j].channel_id, w->channel_id) == 0)
				REFUSE("weights: %s is listed twice", w->channel_id);
		sum += w->weight_pct;
		if (!rt)
			continue;
		const api_route_member *m = NULL;
		for (size_t k = 0; k < rt->n_members; k++)
			if (strcmp(rt->members[k].channel_id, w->channel_id) == 0)
				m = &rt->members[k];
		if (!m)
			REFUSE("weights: %s is not a member of route %s", w->channel_id, r->target);
		if (!m->eligible && w->weight_pct > 0)
			REFUSE("weights: %s is not eligible (disabled, quarantined, down or breaker open): "
			       "it cannot get weight %d%%", w->channel_id, w->weight_pct);
	}
	if (sum != 100)
		REFUSE("weights: they sum to %ld%%, not 100%%", sum);
	if (rt)
		for (size_t k = 0; k < rt->n_members; k++) {
			bool listed = false;
			for (size_t i = 0; i < r->n_weights && !listed; i++)
				listed = strcmp(r->weights[i].channel_id, rt->members[k].channel_id) == 0;
			if (!listed)
				REFUSE("weights: member %s is missing (give it 0 to take it out)",
				       rt->members[k].channel_id);
		}
	if (r->expires_at != 0 && r->expires_at <= time(NULL))
		REFUSE("expires_at: the expiry is in the past");
	return 0;
}

int act_validate(const store *st, const act_request *r, char *why, size_t whysz)
{
	if (empty(r->target))
		REFUSE("no target");
	if (strlen(r->target) > 255)
		REFUSE("target id longer than 255 bytes");
	/* characters, counted as the platform counts them; text that is not
	 * UTF-8 is refused here rather than by the JSON encoder later */
	ptrdiff_t rl = utf8_count_chars(r->reason), tl = utf8_count_chars(r->ticket);
	if (rl < 0)
		REFUSE("reason: not valid UTF-8");
	if (rl == 0 || blank(r->reason))
		REFUSE("a reason is required");
	if (rl > 500)
		REFUSE("reason: %td characters, at most 500", rl);
	if (tl < 0)
		REFUSE("ticket: not valid UTF-8");
	if (tl > 64)
		REFUSE("ticket: %td characters, at most 64", tl);
	if (r->kind != ACT_ALERT_ACK && r->version < 0)
		REFUSE("no version of %s to send as If-Match", r->target);
	switch (r->kind) {
	case ACT_CHANNEL: {
		if (r->verb < 0 || r->verb >= N_OF(ch_verbs))
			REFUSE("unknown channel action %d", r->verb);
		if (empty(r->interface))
			break;
		if (r->verb == ACT_CH_QUARANTINE || r->verb == ACT_CH_RELEASE)
			REFUSE("%s applies to a whole channel, not to one interface",
			       act_channel_verb_name(r->verb));
		const api_channel *c = st ? store_channel_find(st, r->target) : NULL;
		if (c) {
			bool has = false;
			for (size_t i = 0; i < c->n_interfaces && !has; i++)
				has = strcmp(c->interfaces[i].name, r->interface) == 0;
			if (!has)
				REFUSE("%s has no interface %s", r->target, r->interface);
		}
		break;
	}
	case ACT_ROUTE_WEIGHTS:
		return validate_weights(st, r, why, whysz);
	case ACT_CASE_DECISION:
		if (r->verb < 0 || r->verb >= N_OF(case_decs))
			REFUSE("unknown decision %d", r->verb);
		if (r->verb == ACT_CASE_ASSIGN && blank(r->assignee))
			REFUSE("assign needs an assignee");
		break;
	case ACT_BREAK_RESOLVE:
		if (r->verb < 0 || r->verb >= N_OF(brk_acts))
			REFUSE("unknown resolve action %d", r->verb);
		if (r->verb == ACT_BRK_MATCH &&
		    (blank(r->counterpart_ref) || utf8_count_chars(r->counterpart_ref) < 0 ||
		     utf8_count_chars(r->counterpart_ref) > 128))
			REFUSE("match needs a counterpart reference (1..128 characters)");
		if (r->verb == ACT_BRK_ASSIGN && blank(r->assignee))
			REFUSE("assign needs an assignee");
		break;
	case ACT_LIMIT_ADJUST:
		if (r->limit_minor <= 0)
			REFUSE("limit_minor must be a positive amount in minor units");
		if (!isnan(r->warn_at) && r->warn_at > 1)
			REFUSE("warn_at must be in (0, 1]");
		break;
	case ACT_ALERT_ACK:
		break;
	case ACT_APPROVAL_DECISION:
		if (r->verb < 0 || r->verb >= N_OF(apr_decs))
			REFUSE("unknown decision %d", r->verb);
		break;
	default:
		REFUSE("unknown kind of action");
	}
	return 0;
}

/* ---- paths ---- */

/* collection path, mutation segment */
static const char *const path_parts[][2] = {
	[ACT_CHANNEL] = {"/v1/channels", "actions"},
	[ACT_ROUTE_WEIGHTS] = {"/v1/routes", "weights"},
	[ACT_CASE_DECISION] = {"/v1/onboarding/cases", "decision"},
	[ACT_BREAK_RESOLVE] = {"/v1/recon/breaks", "resolve"},
	[ACT_LIMIT_ADJUST] = {"/v1/limits", "adjust"},
	[ACT_ALERT_ACK] = {"/v1/alerts", "ack"},
	[ACT_APPROVAL_DECISION] = {"/v1/approvals", "decision"},
};

/* The object's path (which == 1) or its mutation's (0), the target one
 * escaped segment. */
static int fmt_path(act_kind k, int which, const char *target, char *out, size_t outsz)
{
	if ((unsigned)k >= (unsigned)N_OF(path_parts) || !target)
		return -1;
	const char *segs[] = { target, which == 0 ? path_parts[k][1] : NULL, NULL };
	return url_build(out, outsz, NULL, path_parts[k][0], segs, NULL) == URL_OK ? 0 : -1;
}

int act_path(const act_request *r, char *out, size_t outsz)
{
	return fmt_path(r->kind, 0, r->target, out, outsz);
}

int act_object_path(const char *action, const char *target, char *out, size_t outsz,
		    act_kind *kind_out)
{
	static const struct { const char *prefix; act_kind k; } map[] = {
		{"channel.", ACT_CHANNEL}, {"route.", ACT_ROUTE_WEIGHTS},
		{"case.", ACT_CASE_DECISION}, {"break.", ACT_BREAK_RESOLVE},
		{"limit.", ACT_LIMIT_ADJUST}, {"alert.ack", ACT_ALERT_ACK},
		{"approval.", ACT_APPROVAL_DECISION},
	};
	for (int i = 0; i < N_OF(map); i++)
		if (action && strncmp(action, map[i].prefix, strlen(map[i].prefix)) == 0) {
			if (kind_out)
				*kind_out = map[i].k;
			return fmt_path(map[i].k, 1, target, out, outsz);
		}
	return -1;
}

/* ---- bodies ---- */

static int set_str(json_t *o, const char *k, const char *v)
{
	return json_object_set_new(o, k, json_string(v));
}

json_t *act_body(const act_request *r)
{
	json_t *o = json_object();
	int bad = !o;
	if (bad)
		return NULL;
	switch (r->kind) {
	case ACT_CHANNEL:
		bad |= set_str(o, "action", act_channel_verb_name(r->verb));
		if (!empty(r->interface))
			bad |= set_str(o, "interface", r->interface);
		break;
	case ACT_ROUTE_WEIGHTS: {
		json_t *a = json_array();
		bad |= json_object_set_new(o, "weights", a);
		for (size_t i = 0; a && i < r->n_weights; i++)
			bad |= json_array_append_new(a, json_pack("{s:s,s:i}", "channel_id",
							       r->weights[i].channel_id, "weight_pct",
							       (json_int_t)r->weights[i].weight_pct));
		if (r->expires_at) {
			char t[32];
			struct tm tm;
			gmtime_r(&r->expires_at, &tm);
			strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
			bad |= set_str(o, "expires_at", t);
		}
		break;
	}
	case ACT_CASE_DECISION:
		bad |= set_str(o, "decision", act_case_decision_name(r->verb));
		if (r->verb == ACT_CASE_ASSIGN)
			bad |= set_str(o, "assignee", r->assignee);
		break;
	case ACT_BREAK_RESOLVE:
		bad |= set_str(o, "action", act_break_action_name(r->verb));
		if (r->verb == ACT_BRK_MATCH)
			bad |= set_str(o, "counterpart_ref", r->counterpart_ref);
		if (r->verb == ACT_BRK_ADJUST)
			bad |= json_object_set_new(o, "adjustment_minor",
						   json_integer((json_int_t)r->adjustment_minor));
		if (r->verb == ACT_BRK_ASSIGN)
			bad |= set_str(o, "assignee", r->assignee);
		break;
	case ACT_LIMIT_ADJUST:
		bad |= json_object_set_new(o, "limit_minor", json_integer((json_int_t)r->limit_minor));
		if (!isnan(r->warn_at) && r->warn_at > 0)
			bad |= json_object_set_new(o, "warn_at", json_real(r->warn_at));
		break;
	case ACT_ALERT_ACK:
		break;
	case ACT_APPROVAL_DECISION:
		bad |= set_str(o, "decision", act_approval_decision_name(r->verb));
		break;
	}
	bad |= set_str(o, "reason", r->reason ? r->reason : "");
	if (!empty(r->ticket))
		bad |= set_str(o, "ticket", r->ticket);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- canonical states ---- */

static const char *verb_result(int verb)
{
	static const char *const to[] = {"enabled", "disabled", "draining", "quarantined", "disabled"};
	return verb >= 0 && verb < N_OF(to) ? to[verb] : "?";
}

static int cmp_weight(const void *a, const void *b)
{
	return strcmp(((const act_weight *)a)->channel_id, ((const act_weight *)b)->channel_id);
}

/* "weights a=0,b=100" sorted by channel id. */
static int weights_str(act_weight *w, size_t n, char *out, size_t outsz)
{
	qsort(w, n, sizeof *w, cmp_weight);
	size_t o = 0;
	int k = snprintf(out, outsz, "weights ");
	if (k < 0 || (size_t)k >= outsz)
		return -1;
	o = (size_t)k;
	for (size_t i = 0; i < n; i++) {
		k = snprintf(out + o, outsz - o, "%s%s=%d", i ? "," : "", w[i].channel_id, w[i].weight_pct);
		if (k < 0 || (size_t)k >= outsz - o)
			return -1;
		o += (size_t)k;
	}
	return 0;
}

static int fits(int n, size_t outsz)
{
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

int act_intended(const act_request *r, const char *operator_id, char *out, size_t outsz)
{
	switch (r->kind) {
	case ACT_CHANNEL:
		if (!empty(r->interface))
			return fits(snprintf(out, outsz, "interface %s=%s", r->interface, verb_result(r->verb)), outsz);
		return fits(snprintf(out, outsz, "admin_state=%s", verb_result(r->verb)), outsz);
	case ACT_ROUTE_WEIGHTS: {
		act_weight *w = calloc(r->n_weights ? r->n_weights : 1, sizeof *w);
		if (!w)
			return -1;
		if (r->n_weights)
			memcpy(w, r->weights, r->n_weights * sizeof *w);
		int rc = weights_str(w, r->n_weights, out, outsz);
		free(w);
		return rc;
	}
	case ACT_CASE_DECISION: {
		static const char *const st[] = {"approved", "rejected", "returned"};
		if (r->verb == ACT_CASE_ASSIGN)
			return fits(snprintf(out, outsz, "assignee=%s", r->assignee), outsz);
		return fits(snprintf(out, outsz, "stage=%s", r->verb >= 0 && r->verb < 3 ? st[r->verb] : "?"), outsz);
	}
	case ACT_BREAK_RESOLVE: {
		static const char *const st[] = {"resolved", "written_off", "resolved", "escalated",
						 "investigating", "open"};
		if (r->verb == ACT_BRK_ASSIGN)
			return fits(snprintf(out, outsz, "assignee=%s", r->assignee), outsz);
		return fits(snprintf(out, outsz, "status=%s", r->verb >= 0 && r->verb < 6 ? st[r->verb] : "?"), outsz);
	}
	case ACT_LIMIT_ADJUST:
		if (!isnan(r->warn_at) && r->warn_at > 0)
			return fits(snprintf(out, outsz, "limit_minor=%lld warn_at=%g", (long long)r->limit_minor,
					     r->warn_at), outsz);
		return fits(snprintf(out, outsz, "limit_minor=%lld", (long long)r->limit_minor), outsz);
	case ACT_ALERT_ACK:
		return fits(snprintf(out, outsz, "acked_by=%s", operator_id ? operator_id : ""), outsz);
	case ACT_APPROVAL_DECISION:
		return fits(snprintf(out, outsz, "state=%s", r->verb == ACT_APR_APPROVE ? "approved" : "rejected"),
			    outsz);
	}
	return -1;
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int act_observed(act_kind kind, const char *intended, const char *interface, const json_t *obj,
		 char *out, size_t outsz)
{
	if (!json_is_object(obj))
		return -1;
	bool assign = intended && strncmp(intended, "assignee=", 9) == 0;
	switch (kind) {
	case ACT_CHANNEL:
		if (!empty(interface)) {
			json_t *ifs = json_object_get(obj, "interfaces"), *it;
			size_t i;
			json_array_foreach(ifs, i, it)
				if (strcmp(jstr(it, "name"), interface) == 0)
					return fits(snprintf(out, outsz, "interface %s=%s", interface,
							     jstr(it, "admin_state")), outsz);
			return fits(snprintf(out, outsz, "interface %s=(none)", interface), outsz);
		}
		return fits(snprintf(out, outsz, "admin_state=%s", jstr(obj, "admin_state")), outsz);
	case ACT_ROUTE_WEIGHTS: {
		json_t *ms = json_object_get(obj, "members"), *m;
		size_t n = json_array_size(ms), i;
		act_weight *w = calloc(n ? n : 1, sizeof *w);
		if (!w)
			return -1;
		json_array_foreach(ms, i, m) {
			w[i].channel_id = jstr(m, "channel_id");
			w[i].weight_pct = (int)json_integer_value(json_object_get(m, "weight_pct"));
		}
		int rc = weights_str(w, n, out, outsz);
		free(w);
		return rc;
	}
	case ACT_CASE_DECISION:
	case ACT_BREAK_RESOLVE:
		if (assign)
			return fits(snprintf(out, outsz, "assignee=%s", jstr(obj, "assignee")), outsz);
		if (kind == ACT_CASE_DECISION)
			return fits(snprintf(out, outsz, "stage=%s", jstr(obj, "stage")), outsz);
		return fits(snprintf(out, outsz, "status=%s", jstr(obj, "status")), outsz);
	case ACT_LIMIT_ADJUST: {
		long long lim = (long long)json_integer_value(json_object_get(obj, "limit_minor"));
		if (intended && strstr(intended, " warn_at="))
			return fits(snprintf(out, outsz, "limit_minor=%lld warn_at=%g", lim,
					     json_number_value(json_object_get(obj, "warn_at"))), outsz);
		return fits(snprintf(out, outsz, "limit_minor=%lld", lim), outsz);
	}
	case ACT_ALERT_ACK:
		return fits(snprintf(out, outsz, "acked_by=%s", jstr(obj, "acked_by")), outsz);
	case ACT_APPROVAL_DECISION:
		return fits(snprintf(out, outsz, "state=%s", jstr(obj, "state")), outsz);
	}
	return -1;
}

/* ---- the fields an operator decides on ---- */

typedef struct {
	char *p;
	size_t left;
	int bad;
} fbuf;

static void fld_add(fbuf *b, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fld_add(fbuf *b, const char *key, const char *fmt, ...)
{
	char v[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v, sizeof v, fmt, ap);
	va_end(ap);
	for (char *q = v; *q; q++)
		if (*q == '\n' || *q == '\t')
			*q = ' ';
	int n = snprintf(b->p, b->left, "%s\t%s\n", key, v);
	if (n < 0 || (size_t)n >= b->left) {
		b->bad = 1;
		return;
	}
	b->p += n;
	b->left -= (size_t)n;
}

static int fstart(fbuf *b, char *out, size_t outsz)
{
	b->p = out;
	b->left = outsz;
	b->bad = 0;
	if (outsz == 0)
		return -1;
	*out = '\0';
	return 0;
}

static const char *nz(const char *s)
{
	return s && *s ? s : "(none)";
}

int act_fields_channel(const api_channel *c, char *out, size_t outsz)
{
	fbuf b;
	if (fstart(&b, out, outsz))
		return -1;
	fld_add(&b, "admin_state", "%s", c->admin_state_raw ? c->admin_state_raw : api_admin_state_str(c->admin_state));
	fld_add(&b, "breaker", "%s", c->breaker_raw ? c->breaker_raw : api_breaker_str(c->breaker));
	for (size_t i = 0; i < c->n_interfaces; i++) {
		char k[160];
		snprintf(k, sizeof k, "interface %s", c->interfaces[i].name);
		fld_add(&b, k, "%s", c->interfaces[i].admin_state_raw ? c->interfaces[i].admin_state_raw
				  : api_admin_state_str(c->interfaces[i].admin_state));
	}
	if (c->maintenance.present)
		fld_add(&b, "maintenance", "%lld..%lld %s", (long long)c->maintenance.starts_at,
		     (long long)c->maintenance.ends_at, c->maintenance.note ? c->maintenance.note : "");
	else
		fld_add(&b, "maintenance", "(none)");
	return b.bad ? -1 : 0;
}

int act_fields_route(const api_route *r, char *out, size_t outsz)
{
	fbuf b;
	if (fstart(&b, out, outsz))
		return -1;
	for (size_t i = 0; i < r->n_members; i++) {
		char k[160];
		snprintf(k, sizeof k, "weight %s", r->members[i].channel_id);
		fld_add(&b, k, "%d%%", r->members[i].weight_pct);
		snprintf(k, sizeof k, "eligible %s", r->members[i].channel_id);
		fld_add(&b, k, "%s", r->members[i].eligible ? "yes" : "no");
	}
	if (r->override.present)
		fld_add(&b, "override", "by %s until %lld", nz(r->override.set_by), (long long)r->override.expires_at);
	else
		fld_add(&b, "override", "(none)");
	return b.bad ? -1 : 0;
}

int act_fields_case(const api_case *c, char *out, size_t outsz)
{
	fbuf b;
	if (fstart(&b, out, outsz))
		return -1;
	fld_add(&b, "stage", "%s", c->stage_raw ? c->stage_raw : api_stage_str(c->stage));
	fld_add(&b, "assignee", "%s", nz(c->assignee));
	return b.bad ? -1 : 0;
}

int act_fields_break(const api_break *x, char *out, size_t outsz)
{
	fbuf b;
	if (fstart(&b, out, outsz))
		return -1;
	fld_add(&b, "status", "%s", x->status_raw ? x->status_raw : api_break_status_str(x->status));
	fld_add(&b, "assignee", "%s", nz(x->assignee));
	return b.bad ? -1 : 0;
}

int act_fields_limit(const api_limit *l, char *out, size_t outsz)
{
	fbuf b;
	if (fstart(&b, out, outsz))
		return -1;
	fld_add(&b, "limit_minor", "%lld", (long long)l->limit_minor);
	fld_add(&b, "warn_at", "%g", l->warn_at);
	return b.bad ? -1 : 0;
}

int act_fields_json(act_kind kind, const json_t *obj, char *out, size_t outsz, int64_t *version,
		    char *by, size_t bysz)
{
	api_err err;
	int rc = -1;
	if (by && bysz)
		*by = '\0';
	switch (kind) {
	case ACT_CHANNEL: {
		api_channel c = {0};
		if (api_decode_channel(obj, &c, &err) == 0) {
			rc = act_fields_channel(&c, out, outsz);
			*version = c.version;
			if (by && bysz && c.updated_by)
				snprintf(by, bysz, "%s", c.updated_by);
		}
		api_channel_free(&c);
		break;
	}
	case ACT_ROUTE_WEIGHTS: {
		api_route r = {0};
		if (api_decode_route(obj, &r, &err) == 0) {
			rc = act_fields_route(&r, out, outsz);
			*version = r.version;
			if (by && bysz && r.override.present && r.override.set_by)
				snprintf(by, bysz, "%s", r.override.set_by);
		}
		api_route_free(&r);
		break;
	}
	case ACT_CASE_DECISION: {
		api_case c = {0};
		if (api_decode_case(obj, &c, &err) == 0) {
			rc = act_fields_case(&c, out, outsz);
			*version = c.version;
		}
		api_case_free(&c);
		break;
	}
	case ACT_BREAK_RESOLVE: {
		api_break b = {0};
		if (api_decode_break(obj, &b, &err) == 0) {
			rc = act_fields_break(&b, out, outsz);
			*version = b.version;
			if (by && bysz && b.resolution.present && b.resolution.by)
				snprintf(by, bysz, "%s", b.resolution.by);
		}
		api_break_free(&b);
		break;
	}
	case ACT_LIMIT_ADJUST: {
		api_limit l = {0};
		if (api_decode_limit(obj, &l, &err) == 0) {
			rc = act_fields_limit(&l, out, outsz);
			*version = l.version;
		}
		api_limit_free(&l);
		break;
	}
	case ACT_ALERT_ACK:
		break;
	case ACT_APPROVAL_DECISION: {
		api_approval a = {0};
		if (api_decode_approval(obj, &a, &err) == 0) {
			fbuf b;
			if (fstart(&b, out, outsz) == 0) {
				fld_add(&b, "state", "%s", a.state_raw);
				fld_add(&b, "decided_by", "%s", nz(a.decided_by));
				rc = b.bad ? -1 : 0;
			}
			*version = a.version;
			if (by && bysz && a.decided_by)
				snprintf(by, bysz, "%s", a.decided_by);
		}
		api_approval_free(&a);
		break;
	}
	}
	return rc;
}

/* Find key's value in "key\tvalue\n" lines; length in *len. */
static const char *field_find(const char *lines, const char *key, size_t klen, size_t *len)
{
	for (const char *p = lines; p && *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (tab && tab < nl && (size_t)(tab - p) == klen && memcmp(p, key, klen) == 0) {
			*len = (size_t)(nl - tab - 1);
			return tab + 1;
		}
		p = *nl ? nl + 1 : nl;
	}
	return NULL;
}

static int diff_one(const char *key, size_t klen, const char *a, size_t alen, const char *b, size_t blen,
		    const char *by, char *out, size_t outsz, size_t *o)
{
	int n = snprintf(out + *o, outsz - *o, "%.*s: %.*s -> %.*s%s%s\n", (int)klen, key,
			 (int)alen, a ? a : "(none)", (int)blen, b ? b : "(none)",
			 by && *by ? " by " : "", by && *by ? by : "");
	if (n < 0 || (size_t)n >= outsz - *o)
		return -1;
	*o += (size_t)n;
	return 0;
}

int act_fields_diff(const char *seen, const char *current, const char *by, char *out, size_t outsz)
{
	size_t o = 0;
	int count = 0, full = 0;
	if (outsz)
		*out = '\0';
	/* every key of current (changed or new), then keys only in seen (gone) */
	for (int pass = 0; pass < 2; pass++) {
		const char *lines = pass == 0 ? current : seen, *other = pass == 0 ? seen : current;
		for (const char *p = lines; p && *p;) {
			const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
			if (!nl)
				nl = p + strlen(p);
			if (tab && tab < nl) {
				size_t klen = (size_t)(tab - p), vlen = (size_t)(nl - tab - 1), olen = 0;
				const char *ov = field_find(other, p, klen, &olen);
				bool differs = pass == 0 ? (!ov || olen != vlen || memcmp(ov, tab + 1, vlen) != 0) : !ov;
				if (differs) {
					count++;
					if (!full) {
						int rc = pass == 0
							? diff_one(p, klen, ov, ov ? olen : 6, tab + 1, vlen, by, out, outsz, &o)
							: diff_one(p, klen, tab + 1, vlen, NULL, 6, by, out, outsz, &o);
						full = rc != 0;
					}
				}
			}
			p = *nl ? nl + 1 : nl;
		}
	}
	if (o > 0 && out[o - 1] == '\n')
		out[o - 1] = '\0';
	return count;
}

/* ---- keys ---- */

int act_new_key(char out[ACT_KEY_LEN + 1])
{
	unsigned char b[16];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	static const char hex[] = "0123456789abcdef";
	memcpy(out, "po-", 3);
	for (int i = 0; i < 16; i++) {
		out[3 + 2 * i] = hex[b[i] >> 4];
		out[4 + 2 * i] = hex[b[i] & 15];
	}
	out[ACT_KEY_LEN] = '\0';
	return 0;
}

void act_oneline(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}
