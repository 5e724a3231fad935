/* views/actflow.c: from the operator's key to the outcome on screen. */
#include "views/actflow.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/decode.h"
#include "config/config.h"
#include "text/text.h"
#include "views/fmt.h"
#include "widgets/bar.h"

#define FLOW_MARKS 64
#define MAX_LINES 24

typedef struct fop {
	struct flow *f;
	struct fop *next;
	act_kind kind;
	char *target, *iface;
	int verb;
	wint_t opened_by;
	api_channel ch;          /* what the dialog showed (channels) */
	api_route rt;            /* ... (routes) */
	bool has_ch, has_rt;
	act_weight *w;           /* reroute: the new weights */
	size_t n_w;
	char *conflict;          /* what changed, for the dialog asked again */
	char *reason, *ticket, *extra; /* kept for a dialog asked again */
	time_t expires_at;
	bool submitted;
} fop;

struct flow {
	view_env env;
	fop *ops;
	struct {
		char target[256];
		flow_mark m;
	} marks[FLOW_MARKS];
	size_t n_marks;
	uint64_t gen;
	char why[256];
};

static void say(flow *f, msgline_severity sev, const char *text)
{
	if (f->env.message)
		f->env.message(f->env.ctx, sev, text);
}

flow *flow_new(const view_env *env)
{
	flow *f = calloc(1, sizeof *f);
	if (f)
		f->env = *env;
	return f;
}

static void op_free(fop *o)
{
	if (!o)
		return;
	free(o->target);
	free(o->iface);
	api_channel_free(&o->ch);
	api_route_free(&o->rt);
	for (size_t i = 0; i < o->n_w; i++)
		free((char *)o->w[i].channel_id);
	free(o->w);
	free(o->conflict);
	free(o->reason);
	free(o->ticket);
	free(o->extra);
	free(o);
}

static void op_unlink(fop *o)
{
	for (fop **pp = &o->f->ops; *pp; pp = &(*pp)->next)
		if (*pp == o) {
			*pp = o->next;
			return;
		}
}

static void op_done(fop *o)
{
	op_unlink(o);
	op_free(o);
}

void flow_free(flow *f)
{
	if (!f)
		return;
	while (f->ops) {
		fop *o = f->ops;
		f->ops = o->next;
		op_free(o);
	}
	free(f);
}

uint64_t flow_gen(const flow *f)
{
	return f->gen;
}

/* ---- marks ---- */

const flow_mark *flow_mark_of(const flow *f, const char *target)
{
	for (size_t i = 0; i < f->n_marks; i++)
		if (strcmp(f->marks[i].target, target) == 0)
			return &f->marks[i].m;
	return NULL;
}

static flow_mark *mark_for(flow *f, const char *target)
{
	for (size_t i = 0; i < f->n_marks; i++)
		if (strcmp(f->marks[i].target, target) == 0)
			return &f->marks[i].m;
	size_t i = f->n_marks;
	if (i == FLOW_MARKS) { /* drop the oldest */
		size_t old = 0;
		for (size_t k = 1; k < FLOW_MARKS; k++)
			if (f->marks[k].m.at < f->marks[old].m.at)
				old = k;
		i = old;
	} else {
		f->n_marks++;
	}
	snprintf(f->marks[i].target, sizeof f->marks[i].target, "%s", target);
	memset(&f->marks[i].m, 0, sizeof f->marks[i].m);
	return &f->marks[i].m;
}

const char *flow_mark_word(const flow_mark *m, char *buf, size_t bufsz)
{
	if (!m || m->phase == FLOW_NONE) {
		snprintf(buf, bufsz, "%s", "");
	} else if (m->phase == FLOW_IN_FLIGHT) {
		snprintf(buf, bufsz, "~ %s: sending", m->what);
	} else if (m->status == ACT_REJECTED || m->status == ACT_REFUSED) {
		snprintf(buf, bufsz, "! %s: rejected%s%s", m->what,
			 m->code[0] ? ": " : "", m->code);
	} else {
		snprintf(buf, bufsz, "%s %s: %s",
			 m->status == ACT_APPLIED ? "=" : "!", m->what,
			 m->status == ACT_PENDING_APPROVAL ? "pending approval" :
			 act_status_name(m->status));
	}
	return buf;
}

static void mark_set(fop *o, flow_phase ph, const act_result *r)
{
	flow_mark *m = mark_for(o->f, o->target);
	m->phase = ph;
	m->at = time(NULL);
	if (o->kind == ACT_CHANNEL)
		snprintf(m->what, sizeof m->what, "%s%s%s",
			 o->iface ? o->iface : "", o->iface ? ": " : "",
			 act_channel_verb_name(o->verb));
	else
		snprintf(m->what, sizeof m->what, "reweight");
	if (r) {
		m->status = r->status;
		snprintf(m->code, sizeof m->code, "%s", r->code);
	}
	o->f->gen++;
}

/* ---- checks ---- */

const char *flow_why_not(flow *f, act_kind k, char *buf, size_t bufsz)
{
	act_request r = { .kind = k, .target = "x", .version = 0,
			  .reason = "-" , .verb = 0 };
	if (k == ACT_ROUTE_WEIGHTS)
		return NULL; /* the weights are checked by the editor */
	char code[64];
	if (act_check(f->env.act, &r, buf, bufsz, code) == 0)
		return NULL;
	if (strcmp(code, "read_only") && strcmp(code, "insufficient_scope"))
		return NULL;
	return buf;
}

/* act_check with the operator's request before the dialog opens: a refusal
 * says why and opens nothing. */
static int precheck(flow *f, const act_request *r)
{
	char why[300], code[64];
	if (act_check(f->env.act, r, why, sizeof why, code) == 0)
		return 0;
	char msg[400];
	const char *verb = r->kind == ACT_CHANNEL ? act_channel_verb_name(r->verb) :
			   "reroute";
	if (strcmp(code, "read_only") == 0) {
		const char *w = strncmp(why, "read-only: ", 11) == 0 ? why + 11 : why;
		snprintf(msg, sizeof msg, "%s: unavailable in %s (%s not sent)", verb,
			 w, r->target);
	} else {
		snprintf(msg, sizeof msg, "%s %s refused, nothing sent: %s", verb,
			 r->target, why);
	}
	say(f, MSG_ERROR, msg);
	return -1;
}

/* ---- the dialog ---- */

static void on_confirm(void *ctx, const char *reason, const char *ticket,
		       const char *extra);
static void on_cancel(void *ctx);
static const char *validate(void *ctx, const char *reason, const char *ticket,
			    const char *extra);
static int open_dialog(fop *o);

static const char *verb_title(int verb)
{
	switch (verb) {
	case ACT_CH_ENABLE: return "Enable";
	case ACT_CH_DISABLE: return "Disable";
	case ACT_CH_DRAIN: return "Drain";
	case ACT_CH_QUARANTINE: return "Quarantine";
	default: return "Release";
	}
}

typedef struct {
	view_line l[MAX_LINES];
	char *text[MAX_LINES];
	size_t n;
} lines;

static void add_line(lines *ls, term_role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_line(lines *ls, term_role role, const char *fmt, ...)
{
	if (ls->n >= MAX_LINES)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *t = strdup(buf);
	if (!t)
		return;
	ls->text[ls->n] = t;
	ls->l[ls->n].text = t;
	ls->l[ls->n].role = role;
	ls->n++;
}

#define WRAP_AT 100 /* bytes; effect lines are ids and numbers */

/* Lines of a block, long ones wrapped after a ", " so every route group
 * and member stays readable in the dialog. */
static void add_lines(lines *ls, term_role role, const char *block)
{
	const char *p = block;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		const char *q = p;
		bool cont = false;
		while (len > WRAP_AT) {
			int cut = WRAP_AT;
			while (cut > 20 && !(q[cut - 2] == ',' && q[cut - 1] == ' '))
				cut--;
			if (cut <= 20)
				cut = WRAP_AT;
			add_line(ls, role, "%s%.*s", cont ? "    " : "", cut, q);
			q += cut;
			len -= cut;
			cont = true;
		}
		add_line(ls, role, "%s%.*s", cont ? "    " : "", len, q);
		p = nl ? nl + 1 : NULL;
	}
}

static void lines_free(lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->text[i]);
}

static void conflict_lines(fop *o, lines *ls)
{
	if (!o->conflict)
		return;
	add_line(ls, ROLE_WARN, "CHANGED since you looked (nothing was done):");
	const char *p = o->conflict;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		add_line(ls, ROLE_WARN, "  %.*s", len, p);
		p = nl ? nl + 1 : NULL;
	}
	add_line(ls, ROLE_WARN, "Review the new state below and confirm again.");
}

static int channel_dialog(fop *o)
{
	flow *f = o->f;
	const api_channel *c = store_channel_find(f->env.st, o->target);
	if (!c)
		return -1;
	api_channel_free(&o->ch);
	if (api_channel_copy(&o->ch, c) != 0)
		return -1;
	o->has_ch = true;
	char eff[2048];
	bool type_id = false;
	double share = f->env.cfg->confirm_share;
	if (act_describe_channel_effect(f->env.st, o->target, o->verb, o->iface,
					share, eff, sizeof eff, &type_id) < 0)
		return -1;
	if (o->verb != ACT_CH_DISABLE && o->verb != ACT_CH_QUARANTINE)
		type_id = false;
	lines ls = { .n = 0 };
	conflict_lines(o, &ls);
	add_line(&ls, ROLE_TITLE, "%s %s%s%s (%s)", verb_title(o->verb), o->target,
		 o->iface ? ", interface " : "", o->iface ? o->iface : "",
		 c->name ? c->name : "");
	add_lines(&ls, ROLE_NORMAL, eff);
	add_line(&ls, ROLE_DIM, "as seen at version %lld; sent with If-Match and "
		 "a new idempotency key", (long long)c->version);
	if (type_id)
		add_line(&ls, ROLE_CRIT, "It carries more than %.0f%% of traffic: "
			 "type its id to confirm.", (share > 0 ? share : 0.05) * 100);
	char title[96], label[32];
	snprintf(title, sizeof title, "%s %s", verb_title(o->verb),
		 o->iface ? "interface" : "channel");
	snprintf(label, sizeof label, "%s", verb_title(o->verb));
	view_confirm spec = {
		.title = title, .confirm_label = label, .lines = ls.l,
		.n_lines = ls.n, .opened_by = o->opened_by,
		.type_id = type_id ? o->target : NULL,
		.on_confirm = on_confirm, .on_cancel = on_cancel, .cb_ctx = o,
		.reason_prefill = o->reason, .ticket_prefill = o->ticket,
	};
	int rc = f->env.confirm(f->env.ctx, &spec);
	lines_free(&ls);
	return rc;
}

static int route_dialog(fop *o)
{
	flow *f = o->f;
	const api_route *rt = store_route_find(f->env.st, o->target);
	if (!rt)
		return -1;
	api_route_free(&o->rt);
	if (api_route_copy(&o->rt, rt) != 0)
		return -1;
	o->has_rt = true;
	lines ls = { .n = 0 };
	conflict_lines(o, &ls);
	add_line(&ls, ROLE_TITLE, "Reroute %s (%s)", rt->id, rt->name ? rt->name : "");
	for (size_t i = 0; i < o->n_w; i++) {
		int before = 0;
		bool elig = true;
		for (size_t k = 0; k < rt->n_members; k++)
			if (strcmp(rt->members[k].channel_id, o->w[i].channel_id) == 0) {
				before = rt->members[k].weight_pct;
				elig = rt->members[k].eligible;
			}
		const api_channel *c = store_channel_find(f->env.st, o->w[i].channel_id);
		char tps[32] = "-", share[32] = "-";
		if (c) {
			fmt_tps(tps, sizeof tps, c->tps);
			snprintf(share, sizeof share, "%.1f%%", c->traffic_share * 100);
		}
		int after = o->w[i].weight_pct;
		add_line(&ls, after == before ? ROLE_NORMAL :
			 after < before ? ROLE_WARN : ROLE_OK,
			 "  %-26s %3d%% -> %3d%%%s  (now %s of traffic, %s TPS)%s",
			 o->w[i].channel_id, before, after,
			 after > before ? " +" : after < before ? " -" : "  ",
			 share, tps, elig ? "" : "  not eligible");
	}
	if (rt->override.present)
		add_line(&ls, ROLE_DIM, "replaces the override set by %s",
			 rt->override.set_by ? rt->override.set_by : "?");
	add_line(&ls, ROLE_DIM, "as seen at version %lld; sent with If-Match and "
		 "a new idempotency key", (long long)rt->version);
	view_confirm spec = {
		.title = "Reroute", .confirm_label = "Reroute", .lines = ls.l,
		.n_lines = ls.n, .opened_by = o->opened_by,
		.extra_label = "Expires in (e.g. 30m; empty: never)",
		.extra_max = 16, .validate = validate,
		.on_confirm = on_confirm, .on_cancel = on_cancel, .cb_ctx = o,
		.reason_prefill = o->reason, .ticket_prefill = o->ticket,
		.extra_prefill = o->extra,
	};
	int rc = f->env.confirm(f->env.ctx, &spec);
	lines_free(&ls);
	return rc;
}

static int open_dialog(fop *o)
{
	int rc = o->kind == ACT_CHANNEL ? channel_dialog(o) : route_dialog(o);
	if (rc != 0) {
		char msg[300];
		snprintf(msg, sizeof msg, "could not open the confirmation for %s "
			 "(unknown, or another dialog is open)", o->target);
		say(o->f, MSG_ERROR, msg);
	}
	return rc;
}

static fop *op_new(flow *f, act_kind k, const char *target, const char *iface,
		   int verb, wint_t opened_by)
{
	fop *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->f = f;
	o->kind = k;
	o->verb = verb;
	o->opened_by = opened_by;
	o->target = strdup(target);
	o->iface = iface && *iface ? strdup(iface) : NULL;
	if (!o->target || (iface && *iface && !o->iface)) {
		op_free(o);
		return NULL;
	}
	o->next = f->ops;
	f->ops = o;
	return o;
}

int flow_channel(flow *f, const char *channel_id, const char *iface,
		 act_channel_verb verb, wint_t opened_by)
{
	const api_channel *c = store_channel_find(f->env.st, channel_id);
	char msg[400];
	if (!c) {
		snprintf(msg, sizeof msg, "no channel %s", channel_id);
		say(f, MSG_ERROR, msg);
		return -1;
	}
	act_request r = { .kind = ACT_CHANNEL, .target = c->id,
			  .version = c->version, .reason = "-", .verb = (int)verb,
			  .interface = iface };
	if (precheck(f, &r) != 0)
		return -1;
	fop *o = op_new(f, ACT_CHANNEL, c->id, iface, (int)verb, opened_by);
	if (!o)
		return -1;
	if (open_dialog(o) != 0) {
		op_done(o);
		return -1;
	}
	return 0;
}

int flow_reroute(flow *f, const char *route_id, const act_weight *w, size_t n,
		 wint_t opened_by)
{
	const api_route *rt = store_route_find(f->env.st, route_id);
	char msg[400];
	if (!rt) {
		snprintf(msg, sizeof msg, "no route group %s", route_id);
		say(f, MSG_ERROR, msg);
		return -1;
	}
	act_request r = { .kind = ACT_ROUTE_WEIGHTS, .target = rt->id,
			  .version = rt->version, .reason = "-", .weights = w,
			  .n_weights = n };
	if (precheck(f, &r) != 0)
		return -1;
	fop *o = op_new(f, ACT_ROUTE_WEIGHTS, rt->id, NULL, 0, opened_by);
	if (!o)
		return -1;
	o->w = calloc(n ? n : 1, sizeof *o->w);
	bool bad = !o->w;
	for (size_t i = 0; !bad && i < n; i++) {
		o->w[i].channel_id = strdup(w[i].channel_id);
		o->w[i].weight_pct = w[i].weight_pct;
		o->n_w = i + 1;
		bad = !o->w[i].channel_id;
	}
	if (bad || open_dialog(o) != 0) {
		op_done(o);
		return -1;
	}
	return 0;
}

/* ---- confirm, submit, outcome ---- */

static const char *validate(void *ctx, const char *reason, const char *ticket,
			    const char *extra)
{
	fop *o = ctx;
	(void)reason;
	(void)ticket;
	o->expires_at = 0;
	if (!extra || !*extra)
		return NULL;
	long ms = cfg_parse_duration_ms(extra);
	if (ms <= 0) {
		snprintf(o->f->why, sizeof o->f->why, "expiry '%.40s' is not a "
			 "duration like 30m or 2h", extra);
		return o->f->why;
	}
	o->expires_at = time(NULL) + ms / 1000;
	return NULL;
}

static void on_cancel(void *ctx)
{
	fop *o = ctx;
	char msg[300];
	snprintf(msg, sizeof msg, "cancelled: nothing was sent for %s", o->target);
	say(o->f, MSG_INFO, msg);
	op_done(o);
}

static void on_progress(void *ctx, const char *msg)
{
	fop *o = ctx;
	say(o->f, MSG_INFO, msg);
}

/* Put a conflict's current object into the store, so the dialog asked
 * again shows the new state. */
static void take_current(fop *o, const char *json)
{
	if (!json)
		return;
	json_t *j = NULL;
	api_err err;
	if (api_parse(json, strlen(json), &j, &err) != 0)
		return;
	if (o->kind == ACT_CHANNEL) {
		api_channel ch = {0};
		if (api_decode_channel(j, &ch, &err) == 0)
			store_channel_upsert(o->f->env.st, &ch, time(NULL));
		api_channel_free(&ch);
	} else {
		api_route rt = {0};
		if (api_decode_route(j, &rt, &err) == 0)
			store_route_upsert(o->f->env.st, &rt, time(NULL));
		api_route_free(&rt);
	}
	json_decref(j);
}

static void on_done(void *ctx, const act_result *r)
{
	fop *o = ctx;
	flow *f = o->f;
	mark_set(o, FLOW_DONE, r);
	char msg[800];
	snprintf(msg, sizeof msg, "%s", r->message);
	if (r->missing_scope[0] && !strstr(msg, r->missing_scope)) {
		size_t l = strlen(msg);
		snprintf(msg + l, sizeof msg - l, " (missing scope %s)", r->missing_scope);
	}
	msgline_severity sev = MSG_ERROR;
	switch (r->status) {
	case ACT_APPLIED: sev = MSG_OK; break;
	case ACT_PENDING_APPROVAL: sev = MSG_INFO; break;
	case ACT_CONFLICT: case ACT_UNKNOWN: sev = MSG_WARN; break;
	default: break;
	}
	say(f, sev, msg);
	if (f->env.changed)
		f->env.changed(f->env.ctx);
	if (r->status == ACT_CONFLICT) {
		/* ask again with the new state and what changed */
		take_current(o, r->object_json);
		free(o->conflict);
		o->conflict = strdup(r->changes[0] ? r->changes : "version moved");
		o->submitted = false;
		o->opened_by = 0;
		if (open_dialog(o) == 0)
			return;
	}
	op_done(o);
}

static void on_confirm(void *ctx, const char *reason, const char *ticket,
		       const char *extra)
{
	fop *o = ctx;
	flow *f = o->f;
	free(o->reason);
	free(o->ticket);
	free(o->extra);
	o->reason = strdup(reason);
	o->ticket = strdup(ticket);
	o->extra = strdup(extra);
	act_request r = {
		.kind = o->kind, .target = o->target, .reason = reason,
		.ticket = ticket, .verb = o->verb, .interface = o->iface,
		.weights = o->w, .n_weights = o->n_w,
		.expires_at = o->expires_at,
		.version = o->kind == ACT_CHANNEL ? o->ch.version : o->rt.version,
		.seen_channel = o->has_ch ? &o->ch : NULL,
		.seen_route = o->has_rt ? &o->rt : NULL,
	};
	o->submitted = true;
	mark_set(o, FLOW_IN_FLIGHT, NULL);
	if (act_submit(f->env.act, &r, on_done, on_progress, o) == 0) {
		say(f, MSG_ERROR, "out of memory: nothing was sent");
		mark_for(f, o->target)->phase = FLOW_NONE;
		op_done(o);
		return;
	}
	char msg[400], name[64] = "";
	act_action_name(&r, name, sizeof name);
	snprintf(msg, sizeof msg, "%s %s%s%s: sending...", name, o->target,
		 o->iface ? " " : "", o->iface ? o->iface : "");
	say(f, MSG_INFO, msg);
	if (f->env.changed)
		f->env.changed(f->env.ctx);
}
