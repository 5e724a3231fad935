/* SPDX-License-Identifier: ISC (see COPYING) */
/* act-driver: performs one action through the action client against a real
 * platform (payops-sim in the tests) and prints the result as one line of
 * JSON. It loads what a console would have loaded first (/v1/me, channels,
 * routes, and the target's version unless --version is given).
 *
 *   act-driver --url URL --token TOKEN --db AUDIT.db [options] COMMAND ...
 *     channel VERB ID          enable|disable|drain|quarantine|release
 *     weights ROUTE CH=PCT...  reroute
 *     case DECISION ID         approve|reject|return|assign
 *     break ACTION ID          match|write_off|adjust|escalate|investigate|reopen|assign
 *     limit ID LIMIT_MINOR     (--warn-at X)
 *     ack ID
 *     resolve                  act_resolve_unresolved()
 *     describe ID VERB         act_describe_channel_effect()
 *   options: --reason R --ticket T --interface I --assignee A --ref R
 *     --adjust N --warn-at X --expires-in S --version N --operator ID
 *     --site NAME --timeout-ms N --tries N --backoff-ms N --no-me
 *     --audit-wait-ms N
 *     --read-only WHY --seen OBJECT.json --die-after-intent --die-after-response
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "actions/act_int.h"
#include "api/decode.h"

typedef struct {
	ev_loop *ev;
	http_client *http;
	store *st;
	struct audit_log *log;
	act_client *act;
	const char *url, *token;
	bool no_me, version_given;
	int die; /* 1 after intent, 2 after response */
	int step;
	act_request req;
	act_weight weights[32];
	const char *cmd;
	const char *describe_verb;
	json_t *progress;
	json_t *items;
	int rc;
	char obj_path[1024];
	api_channel seen_ch;
	api_route seen_rt;
} drv;

/* --seen FILE: the object as the operator saw it (what the dialog showed). */
static int load_seen(drv *d, const char *file)
{
	json_error_t je;
	api_err err;
	json_t *j = json_load_file(file, 0, &je);
	int rc = -1;
	if (!j)
		return -1;
	if (d->req.kind == ACT_CHANNEL && api_decode_channel(j, &d->seen_ch, &err) == 0) {
		d->req.seen_channel = &d->seen_ch;
		rc = 0;
	} else if (d->req.kind == ACT_ROUTE_WEIGHTS && api_decode_route(j, &d->seen_rt, &err) == 0) {
		d->req.seen_route = &d->seen_rt;
		rc = 0;
	}
	json_decref(j);
	return rc;
}

static const char *base_url(void *ctx)
{
	return ((drv *)ctx)->url;
}

static int lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static void on_progress(void *ctx, const char *msg)
{
	drv *d = ctx;
	json_array_append_new(d->progress, json_string(msg));
}

static void print(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (s) {
		printf("%s\n", s);
		fflush(stdout); /* seen at once, even while act_free still waits */
		free(s);
	}
	fflush(stdout);
	json_decref(o);
}

static void on_done(void *ctx, const act_result *r)
{
	drv *d = ctx;
	json_t *o = json_pack("{s:s,s:s,s:i,s:i,s:b,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:s,s:O}",
			      "status", act_status_name(r->status), "code", r->code,
			      "http_status", r->http_status, "tries", r->tries, "replayed", r->replayed,
			      "message", r->message, "changes", r->changes, "missing_scope", r->missing_scope,
			      "version", (json_int_t)r->version, "idempotency_key", r->idempotency_key,
			      "request_id", r->request_id, "intent_seq", (json_int_t)r->intent_seq,
			      "outcome_seq", (json_int_t)r->outcome_seq, "state_after", r->state_after,
			      "progress", d->progress);
	print(o);
	ev_stop(d->ev);
}

static void on_hook(void *ctx, act_hook_point p)
{
	drv *d = ctx;
	if ((d->die == 1 && p == ACT_HOOK_AFTER_INTENT) || (d->die == 2 && p == ACT_HOOK_AFTER_RESPONSE)) {
		fflush(stdout);
		raise(SIGKILL);
	}
}

static void on_resolved(void *ctx, const act_resolution *r)
{
	drv *d = ctx;
	json_array_append_new(d->items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "intent_seq",
						  (json_int_t)r->intent_seq, "action", r->action, "target",
						  r->target, "status", act_status_name(r->status), "observed",
						  r->observed, "message", r->message));
}

static void on_resolve_done(void *ctx, size_t n, size_t resolved)
{
	drv *d = ctx;
	print(json_pack("{s:I,s:I,s:O}", "n", (json_int_t)n, "resolved", (json_int_t)resolved, "items",
			d->items));
	ev_stop(d->ev);
}

static void fail(drv *d, const char *what, const http_response *r)
{
	fprintf(stderr, "act-driver: %s: status %d %s %.300s\n", what, r ? r->status : 0,
		r && r->error ? r->error : "", r && r->body ? r->body : "");
	d->rc = 1;
	ev_stop(d->ev);
}

static void step(drv *d);

static void on_get(void *ctx, const http_response *r)
{
	drv *d = ctx;
	api_err err;
	if (r->status != 200) {
		fail(d, "GET", r);
		return;
	}
	if (d->step == 1) {
		json_t *j = NULL;
		api_me me = {0};
		if (api_parse(r->body, r->body_len, &j, &err) || api_decode_me(j, &me, &err)) {
			json_decref(j);
			fail(d, "decode /v1/me", r);
			return;
		}
		json_decref(j);
		store_set_me(d->st, &me); /* takes the members, zeroes me */
	} else if (d->step == 2 || d->step == 3) {
		api_page p = {0};
		if (api_decode_page(r->body, r->body_len, d->step == 2 ? API_KIND_CHANNEL : API_KIND_ROUTE, &p,
				    &err)) {
			fail(d, "decode list", r);
			return;
		}
		if (d->step == 2)
			store_channels_replace(d->st, p.items, p.n, NULL, 0, time(NULL));
		else
			store_routes_replace(d->st, p.items, p.n, NULL, 0, time(NULL));
		p.items = NULL;
		p.n = 0;
		api_page_free(&p);
	} else if (d->step == 4) {
		json_t *j = NULL;
		if (api_parse(r->body, r->body_len, &j, &err)) {
			fail(d, "decode object", r);
			return;
		}
		d->req.version = json_integer_value(json_object_get(j, "version"));
		json_decref(j);
	}
	d->step++;
	step(d);
}

static void get(drv *d, const char *path)
{
	char url[1600];
	snprintf(url, sizeof url, "%s%s", d->url, path);
	http_request q = {.method = "GET", .url = url, .bearer = d->token, .timeout_ms = 10000};
	if (!http_send(d->http, &q, on_get, d))
		fail(d, "http_send", NULL);
}

static void step(drv *d)
{
	switch (d->step) {
	case 0:
		d->step = d->no_me ? 2 : 1;
		step(d);
		return;
	case 1: get(d, "/v1/me"); return;
	case 2: get(d, "/v1/channels?limit=500"); return;
	case 3: get(d, "/v1/routes?limit=500"); return;
	case 4:
		if (strcmp(d->cmd, "resolve") == 0) {
			if (act_resolve_unresolved(d->act, on_resolved, on_resolve_done, d) != 0)
				fail(d, "act_resolve_unresolved", NULL);
			return;
		}
		if (strcmp(d->cmd, "describe") == 0) {
			static const char *const verbs[] = {"enable", "disable", "drain", "quarantine", "release"};
			char out[2048];
			bool type_id = false;
			int v = lookup(d->describe_verb, verbs, 5);
			int n = act_describe_channel_effect(d->st, d->req.target, (act_channel_verb)(v < 0 ? 0 : v),
							    d->req.interface, 0, out, sizeof out, &type_id);
			print(json_pack("{s:s,s:b}", "text", n < 0 ? "" : out, "type_id", type_id));
			ev_stop(d->ev);
			return;
		}
		if (d->version_given || d->req.kind == ACT_ALERT_ACK) {
			d->step = 5;
			step(d);
			return;
		}
		if (act_object_path(d->cmd[0] == 'c' && d->req.kind == ACT_CHANNEL ? "channel." :
				    d->req.kind == ACT_ROUTE_WEIGHTS ? "route." :
				    d->req.kind == ACT_CASE_DECISION ? "case." :
				    d->req.kind == ACT_BREAK_RESOLVE ? "break." : "limit.",
				    d->req.target, d->obj_path, sizeof d->obj_path, NULL)) {
			fail(d, "path", NULL);
			return;
		}
		get(d, d->obj_path);
		return;
	case 5:
		if (!act_submit(d->act, &d->req, on_done, on_progress, d))
			fail(d, "act_submit", NULL);
		return;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: act-driver --url URL --token TOKEN --db DB [options] COMMAND ARGS...\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const ch_verbs[] = {"enable", "disable", "drain", "quarantine", "release"};
	static const char *const decs[] = {"approve", "reject", "return", "assign"};
	static const char *const bacts[] = {"match", "write_off", "adjust", "escalate", "investigate", "reopen",
					    "assign"};
	drv d = {0};
	const char *db = NULL, *operator_id = NULL, *site = "sh-a", *read_only = NULL, *seen = NULL;
	act_options ao = {0};
	d.req.reason = "integration test";
	d.req.warn_at = NAN;
	d.progress = json_array();
	d.items = json_array();
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "--no-me")) { d.no_me = true; continue; }
		if (!strcmp(o, "--die-after-intent")) { d.die = 1; continue; }
		if (!strcmp(o, "--die-after-response")) { d.die = 2; continue; }
		if (!v)
			return usage();
		i++;
		if (!strcmp(o, "--url")) d.url = v;
		else if (!strcmp(o, "--token")) d.token = v;
		else if (!strcmp(o, "--db")) db = v;
		else if (!strcmp(o, "--reason")) d.req.reason = v;
		else if (!strcmp(o, "--ticket")) d.req.ticket = v;
		else if (!strcmp(o, "--interface")) d.req.interface = v;
		else if (!strcmp(o, "--assignee")) d.req.assignee = v;
		else if (!strcmp(o, "--ref")) d.req.counterpart_ref = v;
		else if (!strcmp(o, "--adjust")) d.req.adjustment_minor = strtoll(v, NULL, 10);
		else if (!strcmp(o, "--warn-at")) d.req.warn_at = strtod(v, NULL);
		else if (!strcmp(o, "--expires-in")) d.req.expires_at = time(NULL) + strtol(v, NULL, 10);
		else if (!strcmp(o, "--version")) { d.req.version = strtoll(v, NULL, 10); d.version_given = true; }
		else if (!strcmp(o, "--operator")) operator_id = v;
		else if (!strcmp(o, "--site")) site = v;
		else if (!strcmp(o, "--timeout-ms")) ao.timeout_ms = strtol(v, NULL, 10);
		else if (!strcmp(o, "--tries")) ao.max_tries = (int)strtol(v, NULL, 10);
		else if (!strcmp(o, "--backoff-ms")) ao.backoff_base_ms = strtol(v, NULL, 10);
		else if (!strcmp(o, "--audit-wait-ms")) ao.audit_wait_ms = strtol(v, NULL, 10);
		else if (!strcmp(o, "--read-only")) read_only = v;
		else if (!strcmp(o, "--seen")) seen = v;
		else return usage();
	}
	if (!d.url || !d.token || !db || i >= argc)
		return usage();
	d.cmd = argv[i++];
	int nargs = argc - i;
	char **a = argv + i;
	if (!strcmp(d.cmd, "channel") && nargs == 2) {
		d.req.kind = ACT_CHANNEL;
		d.req.verb = lookup(a[0], ch_verbs, 5);
		d.req.target = a[1];
	} else if (!strcmp(d.cmd, "weights") && nargs >= 2 && nargs - 1 <= 32) {
		d.req.kind = ACT_ROUTE_WEIGHTS;
		d.req.target = a[0];
		for (int k = 1; k < nargs; k++) {
			char *eq = strchr(a[k], '=');
			if (!eq)
				return usage();
			*eq = '\0';
			d.weights[k - 1].channel_id = a[k];
			d.weights[k - 1].weight_pct = (int)strtol(eq + 1, NULL, 10);
		}
		d.req.weights = d.weights;
		d.req.n_weights = (size_t)(nargs - 1);
	} else if (!strcmp(d.cmd, "case") && nargs == 2) {
		d.req.kind = ACT_CASE_DECISION;
		d.req.verb = lookup(a[0], decs, 4);
		d.req.target = a[1];
	} else if (!strcmp(d.cmd, "break") && nargs == 2) {
		d.req.kind = ACT_BREAK_RESOLVE;
		d.req.verb = lookup(a[0], bacts, 7);
		d.req.target = a[1];
	} else if (!strcmp(d.cmd, "limit") && nargs == 2) {
		d.req.kind = ACT_LIMIT_ADJUST;
		d.req.target = a[0];
		d.req.limit_minor = strtoll(a[1], NULL, 10);
	} else if (!strcmp(d.cmd, "ack") && nargs == 1) {
		d.req.kind = ACT_ALERT_ACK;
		d.req.target = a[0];
	} else if (!strcmp(d.cmd, "describe") && nargs == 2) {
		d.req.target = a[0];
		d.describe_verb = a[1];
	} else if (strcmp(d.cmd, "resolve") != 0 || nargs != 0) {
		return usage();
	}

	if (seen && load_seen(&d, seen) != 0) {
		fprintf(stderr, "act-driver: --seen %s: not a channel/route object\n", seen);
		return 2;
	}
	char err[512];
	if (audit_open(db, &d.log, err, sizeof err) != AUDIT_OK) {
		fprintf(stderr, "act-driver: %s\n", err);
		return 1;
	}
	d.ev = ev_new();
	http_opts ho = {0};
	d.http = d.ev ? http_new(d.ev, &ho) : NULL;
	d.st = store_new();
	act_identity who = {.operator_id = operator_id, .site = site, .base_url = base_url, .site_ctx = &d,
			    .token = d.token};
	d.act = d.http && d.st ? act_new(d.ev, d.http, d.log, d.st, &who) : NULL;
	if (!d.act) {
		fprintf(stderr, "act-driver: set-up failed\n");
		return 1;
	}
	act_set_options(d.act, &ao);
	if (read_only)
		act_set_read_only(d.act, read_only);
	act_set_hook(d.act, on_hook, &d);
	step(&d);
	if (!d.rc)
		ev_run(d.ev);
	act_free(d.act);
	http_free(d.http);
	store_free(d.st);
	ev_free(d.ev);
	audit_close(d.log);
	json_decref(d.progress);
	json_decref(d.items);
	api_channel_free(&d.seen_ch);
	api_route_free(&d.seen_rt);
	return d.rc;
}
