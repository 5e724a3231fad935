/* SPDX-License-Identifier: ISC (see COPYING) */
/* ops/channel.c: the channel verbs (enable, disable, drain, quarantine,
 * release; on a channel or one interface) and a route group's new
 * weights. Each states the exact effect, is sent with the object the
 * dialog showed, marks its target, and asks again after a conflict. */
#include "ops/op.h"
#include "base/i18n.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/decode.h"
#include "base/duration.h"
#include "cache/cache.h"
#include "widgets/bar.h"
#include "widgets/fmt.h"

#define EXPIRY_MAX_MS (7LL * 86400 * 1000) /* a reroute lasts a week at most */

typedef struct {
	act_kind kind;           /* ACT_CHANNEL or ACT_ROUTE_WEIGHTS */
	char *iface;             /* channels: NULL for the whole channel */
	int verb;
	api_channel ch;          /* what the dialog showed (channels) */
	api_route rt;            /* ... (routes) */
	bool has_ch, has_rt;
	act_weight *w;           /* reroute: the new weights */
	size_t n_w;
	time_t expires_at;
	char title[96];
} chan_op;

static void data_free(ops_op *o)
{
	chan_op *d = o->data;
	if (!d)
		return;
	free(d->iface);
	api_channel_free(&d->ch);
	api_route_free(&d->rt);
	for (size_t i = 0; i < d->n_w; i++)
		free((char *)d->w[i].channel_id);
	free(d->w);
	free(d);
}

static const char *verb_title(int verb)
{
	switch (verb) {
	case ACT_CH_ENABLE: return _("Enable");
	case ACT_CH_DISABLE: return _("Disable");
	case ACT_CH_DRAIN: return _("Drain");
	case ACT_CH_QUARANTINE: return _("Quarantine");
	default: return _("Release");
	}
}

/* The dialog's title, whole (word order differs between languages). */
static const char *dialog_title(int verb, bool iface)
{
	switch (verb) {
	case ACT_CH_ENABLE: return iface ? _("Enable interface") : _("Enable channel");
	case ACT_CH_DISABLE: return iface ? _("Disable interface") : _("Disable channel");
	case ACT_CH_DRAIN: return iface ? _("Drain interface") : _("Drain channel");
	case ACT_CH_QUARANTINE:
		return iface ? _("Quarantine interface") : _("Quarantine channel");
	default: return iface ? _("Release interface") : _("Release channel");
	}
}

/* act_check with the operator's request before the dialog opens: a refusal
 * says why and opens nothing. */
static int precheck(ops *r, const act_request *q)
{
	char why[300], code[64];
	if (act_check(ops_env_of(r)->act, q, why, sizeof why, code) == 0)
		return 0;
	const char *verb = q->kind == ACT_CHANNEL ? act_channel_verb_name(q->verb) :
			   "reroute";
	if (strcmp(code, "read_only") == 0) {
		const char *pre = _("read-only: "); /* as actions/ writes it */
		size_t pl = strlen(pre);
		const char *w = strncmp(why, pre, pl) == 0 ? why + pl : why;
		/* TRANSLATORS: command name, the mode that refuses it, the id */
		ops_say(r, MSG_ERROR, _("%s: unavailable in %s (%s not sent)"), verb, w,
			q->target);
	} else {
		/* TRANSLATORS: command name, the id, why */
		ops_say(r, MSG_ERROR, _("%s %s refused, nothing sent: %s"), verb,
			q->target, why);
	}
	return -1;
}

/* ---- the dialogs ---- */

static int channel_dialog(ops_op *o, ops_body *ls, ops_confirm *c)
{
	chan_op *d = o->data;
	const ops_env *env = ops_op_env(o);
	const char *id = o->t[0].id;
	const api_channel *ch = store_channel_find(env->st, id);
	if (!ch)
		return -1;
	api_channel_free(&d->ch);
	if (api_channel_copy(&d->ch, ch) != 0)
		return -1;
	d->has_ch = true;
	char eff[2048];
	bool type_id = false;
	double share = env->cfg->confirm_share;
	if (act_describe_channel_effect(env->st, id, d->verb, d->iface, share,
					eff, sizeof eff, &type_id) < 0)
		return -1;
	if (d->verb != ACT_CH_DISABLE && d->verb != ACT_CH_QUARANTINE)
		type_id = false;
	ops_body_add(ls, ROLE_TITLE, "%s %s%s%s (%s)", verb_title(d->verb), id,
		/* TRANSLATORS: dialog line "Disable CHANNEL-ID, interface IFACE (NAME)" */
		d->iface ? _(", interface ") : "", d->iface ? d->iface : "",
		ch->name ? ch->name : "");
	ops_body_block(ls, ROLE_NORMAL, eff);
	ops_body_add(ls, ROLE_DIM, _("as seen at version %lld; sent with If-Match and "
		"a new idempotency key"), (long long)ch->version);
	if (type_id)
		ops_body_add(ls, ROLE_CRIT, _("It carries more than %.0f%% of traffic: "
			"type its id to confirm."), (share > 0 ? share : 0.05) * 100);
	snprintf(d->title, sizeof d->title, "%s", dialog_title(d->verb, d->iface != NULL));
	c->title = d->title;
	c->confirm_label = verb_title(d->verb);
	c->type_id = type_id ? id : NULL;
	return 0;
}

static int route_dialog(ops_op *o, ops_body *ls, ops_confirm *c)
{
	chan_op *d = o->data;
	const ops_env *env = ops_op_env(o);
	const api_route *rt = store_route_find(env->st, o->t[0].id);
	if (!rt)
		return -1;
	api_route_free(&d->rt);
	if (api_route_copy(&d->rt, rt) != 0)
		return -1;
	d->has_rt = true;
	ops_body_add(ls, ROLE_TITLE, _("Reroute %s (%s)"), rt->id, rt->name ? rt->name : "");
	/* the group's traffic now: the sum of its members' TPS, which the
	 * new weights share out (unknown when a member's TPS is) */
	double total = 0;
	for (size_t k = 0; k < rt->n_members; k++) {
		const api_channel *ch = store_channel_find(env->st, rt->members[k].channel_id);
		total += ch ? ch->tps : NAN;
	}
	for (size_t i = 0; i < d->n_w; i++) {
		int before = 0;
		bool elig = true;
		for (size_t k = 0; k < rt->n_members; k++)
			if (strcmp(rt->members[k].channel_id, d->w[i].channel_id) == 0) {
				before = rt->members[k].weight_pct;
				elig = rt->members[k].eligible;
			}
		const api_channel *ch = store_channel_find(env->st, d->w[i].channel_id);
		char tps[32] = "-", share[32] = "-";
		if (ch) {
			fmt_tps(tps, sizeof tps, ch->tps);
			snprintf(share, sizeof share, "%.1f%%", ch->traffic_share * 100);
		}
		int after = d->w[i].weight_pct;
		char tps_after[32] = "-";
		if (!isnan(total))
			fmt_tps(tps_after, sizeof tps_after, total * after / 100.0);
		ops_body_add(ls, after == before ? ROLE_NORMAL :
			after < before ? ROLE_WARN : ROLE_OK,
			/* TRANSLATORS: one channel of a reroute: id, weight before -> after,
			 * its share of traffic and TPS now, the TPS it would carry
			 * after; keep the widths */
			_("  %-26s %3d%% -> %3d%%%s  (now %s of traffic, %s TPS; after %s TPS)%s"),
			d->w[i].channel_id, before, after,
			after > before ? " +" : after < before ? " -" : "  ",
			share, tps, tps_after, elig ? "" : _("  not eligible"));
	}
	if (rt->override.present)
		ops_body_add(ls, ROLE_DIM, _("replaces the override set by %s"),
			rt->override.set_by ? rt->override.set_by : "?");
	ops_body_add(ls, ROLE_DIM, _("as seen at version %lld; sent with If-Match and "
		"a new idempotency key"), (long long)rt->version);
	c->title = _("Reroute");
	c->confirm_label = _("Reroute");
	c->extra_label = _("Expires in (e.g. 30m; empty: never)");
	c->extra_max = 16;
	return 0;
}

static void open_failed(ops_op *o)
{
	ops_say(o->r, MSG_ERROR, _("could not open the confirmation for %s "
		"(unknown, or another dialog is open)"), o->t[0].id);
}

static void cancelled(ops_op *o)
{
	ops_say(o->r, MSG_INFO, _("cancelled: nothing was sent for %s"), o->t[0].id);
}

/* The expiry, in base/duration.h's grammar; empty: none. */
static const char *route_validate(ops_op *o, const char *reason,
				  const char *ticket, const char *extra)
{
	chan_op *d = o->data;
	(void)reason;
	(void)ticket;
	d->expires_at = 0;
	if (!extra || !*extra)
		return NULL;
	int64_t ms = 0;
	duration_status st = duration_parse(extra, &ms);
	if (st == DURATION_BARE) {
		char why[128];
		duration_error(st, extra, why, sizeof why);
		snprintf(o->why, sizeof o->why, _("expiry %s"), why);
		return o->why;
	}
	if (st != DURATION_OK || ms <= 0 || ms > EXPIRY_MAX_MS) {
		snprintf(o->why, sizeof o->why, _("expiry '%.40s' is not a "
			 "duration like 30m or 2h"), extra);
		return o->why;
	}
	d->expires_at = time(NULL) + (time_t)(ms / 1000);
	return NULL;
}

/* ---- submit and answers ---- */

static void fill(const ops_op *o, act_request *q)
{
	const chan_op *d = o->data;
	*q = (act_request){
		.kind = d->kind, .target = o->t[0].id, .reason = o->reason,
		.ticket = o->ticket, .verb = d->verb, .interface = d->iface,
		.weights = d->w, .n_weights = d->n_w,
		.expires_at = d->expires_at,
		.version = d->kind == ACT_CHANNEL ? d->ch.version : d->rt.version,
		.seen_channel = d->has_ch ? &d->ch : NULL,
		.seen_route = d->has_rt ? &d->rt : NULL,
	};
}

static int confirmed(ops_op *o)
{
	const chan_op *d = o->data;
	act_request q;
	fill(o, &q);
	char name[64] = "";
	act_action_name(&q, name, sizeof name);
	/* TRANSLATORS: command name, id, interface (or nothing) */
	ops_say(o->r, MSG_INFO, _("%s %s%s%s: sending..."), name, o->t[0].id,
		d->iface ? " " : "", d->iface ? d->iface : "");
	return 0;
}

static uint64_t submit(ops_op *o, ops_target *t)
{
	act_request q;
	fill(o, &q);
	return act_submit(ops_op_env(o)->act, &q, ops_act_done, ops_act_progress, t);
}

/* Put a conflict's current object into the store, so the dialog asked
 * again shows the new state. */
static void take_current(ops_op *o, const char *json)
{
	const chan_op *d = o->data;
	store *st = ops_op_env(o)->st;
	if (!json)
		return;
	json_t *j = NULL;
	api_err err;
	if (api_parse(json, strlen(json), &j, &err) != 0)
		return;
	if (d->kind == ACT_CHANNEL) {
		api_channel ch = {0};
		if (api_decode_channel(j, &ch, &err) == 0)
			store_channel_upsert(st, &ch, time(NULL));
		api_channel_free(&ch);
	} else {
		api_route rt = {0};
		if (api_decode_route(j, &rt, &err) == 0)
			store_route_upsert(st, &rt, time(NULL));
		api_route_free(&rt);
	}
	json_decref(j);
}

static void answered(ops_op *o, ops_target *t, const ops_answer *a)
{
	const act_result *r = a->act;
	(void)t;
	char msg[800];
	snprintf(msg, sizeof msg, "%s", r->message);
	if (r->missing_scope[0] && !strstr(msg, r->missing_scope)) {
		size_t l = strlen(msg);
		snprintf(msg + l, sizeof msg - l, _(" (missing scope %s)"),
			 r->missing_scope);
	}
	int sev = MSG_ERROR;
	switch (r->status) {
	case ACT_APPLIED: sev = MSG_OK; break;
	case ACT_PENDING_APPROVAL: sev = MSG_INFO; break;
	case ACT_CONFLICT: case ACT_UNKNOWN: sev = MSG_WARN; break;
	default: break;
	}
	ops_say(o->r, sev, "%s", msg);
	if (r->status == ACT_CONFLICT)
		take_current(o, r->object_json);
	/* the platform's answer is what the screen now shows: the cache holds
	 * it too, stream or not (not while the cache builds indexes: it takes
	 * no writes then, and the next event or poll brings it) */
	const chan_op *d = o->data;
	const ops_env *env = ops_op_env(o);
	if ((r->status == ACT_APPLIED || r->status == ACT_CONFLICT) && r->object_json &&
	    env->cache && !cache_building(env->cache)) {
		char m[128];
		cache_upsert_json(env->cache, d->kind == ACT_CHANNEL ? API_KIND_CHANNEL :
				  API_KIND_ROUTE, r->object_json, strlen(r->object_json),
				  m, sizeof m);
	}
}

static void what(const ops_op *o, const ops_target *t, char *buf, size_t sz)
{
	const chan_op *d = o->data;
	(void)t;
	if (d->kind == ACT_CHANNEL)
		snprintf(buf, sz, "%s%s%s", d->iface ? d->iface : "",
			 d->iface ? ": " : "", act_channel_verb_name(d->verb));
	else
		snprintf(buf, sz, "reweight");
}

static const ops_class channel_class = {
	.marking = OPS_MARK_OUTCOME, .ask_again = true,
	.dialog = channel_dialog, .confirmed = confirmed, .submit = submit,
	.answered = answered, .cancelled = cancelled,
	.open_failed = open_failed, .what = what, .free_data = data_free,
};

static const ops_class reroute_class = {
	.marking = OPS_MARK_OUTCOME, .ask_again = true,
	.dialog = route_dialog, .validate = route_validate,
	.confirmed = confirmed, .submit = submit, .answered = answered,
	.cancelled = cancelled, .open_failed = open_failed, .what = what,
	.free_data = data_free,
};

/* ---- the starters ---- */

int ops_channel(ops *r, const char *channel_id, const char *iface,
		act_channel_verb verb, wint_t opened_by)
{
	if (!r)
		return -1;
	const ops_env *env = ops_env_of(r);
	const api_channel *c = store_channel_find(env->st, channel_id);
	if (!c) {
		ops_say(r, MSG_ERROR, _("no channel %s"), channel_id);
		return -1;
	}
	if (iface && !*iface)
		iface = NULL;
	act_request q = { .kind = ACT_CHANNEL, .target = c->id,
			  .version = c->version, .reason = "-", .verb = (int)verb,
			  .interface = iface };
	if (precheck(r, &q) != 0)
		return -1;
	chan_op *d = calloc(1, sizeof *d);
	if (d) {
		d->kind = ACT_CHANNEL;
		d->verb = (int)verb;
		d->iface = iface ? strdup(iface) : NULL;
	}
	if (!d || (iface && !d->iface)) {
		if (d)
			free(d);
		ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
		return -1;
	}
	char *ids[1] = { c->id };
	ops_op *o = ops_op_new(r, &channel_class, d, ids, 1, opened_by);
	return o ? ops_op_start(o) : -1;
}

int ops_reroute(ops *r, const char *route_id, const act_weight *w, size_t n,
		wint_t opened_by)
{
	if (!r)
		return -1;
	const ops_env *env = ops_env_of(r);
	const api_route *rt = store_route_find(env->st, route_id);
	if (!rt) {
		ops_say(r, MSG_ERROR, _("no route group %s"), route_id);
		return -1;
	}
	act_request q = { .kind = ACT_ROUTE_WEIGHTS, .target = rt->id,
			  .version = rt->version, .reason = "-", .weights = w,
			  .n_weights = n };
	if (precheck(r, &q) != 0)
		return -1;
	chan_op *d = calloc(1, sizeof *d);
	bool bad = !d;
	if (d) {
		d->kind = ACT_ROUTE_WEIGHTS;
		d->w = calloc(n ? n : 1, sizeof *d->w);
		bad = !d->w;
	}
	for (size_t i = 0; !bad && i < n; i++) {
		d->w[i].channel_id = strdup(w[i].channel_id);
		d->w[i].weight_pct = w[i].weight_pct;
		d->n_w = i + 1;
		bad = !d->w[i].channel_id;
	}
	if (bad) {
		ops_op tmp = { .data = d };
		data_free(&tmp);
		ops_say(r, MSG_ERROR, "%s", _("out of memory: nothing was sent"));
		return -1;
	}
	char *ids[1] = { rt->id };
	ops_op *o = ops_op_new(r, &reroute_class, d, ids, 1, opened_by);
	return o ? ops_op_start(o) : -1;
}
