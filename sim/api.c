/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/api.c - the /v1 endpoints of the platform contract: the path router,
 * problem answers, who-am-I, status and the event stream (the handlers live
 * in api_lists.c, api_channels.c, api_queues.c, api_approvals.c; their
 * plumbing in api_mut.c) */
#include "sim/api.h"
#include "sim/names.h"
#include "sim/util.h"
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 6

/* ---- answers ---- */

void sim_api_problem(struct sim_resp *rs, const struct sim_req *rq, int status, const char *code, const char *fmt, ...)
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

void sim_api_reply(struct sim_resp *rs, int status, json_t *o, uint32_t version)
{
	sim_resp_json(rs, status, o);
	version_etag(rs, version);
}

/* ---- who am I, status, the stream ---- */

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
		sim_api_problem(rs, rq, 401, "unauthorized", "a valid bearer token is required");
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
		} else if (!strcmp(a, "approvals")) {
			if (n == 2) allowed = M_GET, route = 70;
			else if (n == 3) allowed = M_GET, route = 71, id = b;
			else if (n == 4 && !strcmp(c, "decision")) allowed = M_POST, route = 72, id = b;
		}
	}
	if (route < 0) {
		sim_api_problem(rs, rq, 404, "not_found", "no such resource: %.200s", rq->url);
		return;
	}
	if ((allowed == M_GET && !get) || (allowed == M_POST && !post)) {
		rs->allow = allowed == M_GET ? "GET, HEAD" : "POST";
		sim_api_problem(rs, rq, 405, "method_not_allowed", "%s is not allowed here (allowed: %s)", rq->method, rs->allow);
		rs->allow = allowed == M_GET ? "GET, HEAD" : "POST";
		return;
	}
	if (get && !(rq->tok->scopes & SIM_SC_READ)) {
		sim_api_problem(rs, rq, 403, "insufficient_scope", "reading requires the scope read");
		return;
	}
	switch (route) {
	case 0: get_status(rq, rs); break;
	case 1: get_me(rq, rs); break;
	case 2: get_events(rq, rs); break;
	case 10: sim_api_list_channels(rq, rs); break;
	case 11: sim_api_get_one(rq, rs, sim_find_channel, sim_channel_json, "channel", id); break;
	case 12: sim_api_get_history(rq, rs, id); break;
	case 13: sim_api_post_channel_action(rq, rs, id); break;
	case 20: sim_api_list_routes(rq, rs); break;
	case 21: sim_api_get_one(rq, rs, sim_find_route, sim_route_json, "route", id); break;
	case 22: sim_api_post_route_weights(rq, rs, id); break;
	case 30: sim_api_list_cases(rq, rs); break;
	case 31: sim_api_get_one(rq, rs, sim_find_case, sim_case_json, "case", id); break;
	case 32: sim_api_post_case_decision(rq, rs, id); break;
	case 40: sim_api_list_breaks(rq, rs); break;
	case 41: sim_api_get_one(rq, rs, sim_find_break, sim_break_json, "break", id); break;
	case 42: sim_api_post_break_resolve(rq, rs, id); break;
	case 43: sim_api_get_summary(rq, rs); break;
	case 50: sim_api_list_limits(rq, rs); break;
	case 51: sim_api_get_one(rq, rs, sim_find_limit, sim_limit_json, "limit", id); break;
	case 52: sim_api_post_limit_adjust(rq, rs, id); break;
	case 60: sim_api_list_alerts(rq, rs); break;
	case 61: sim_api_get_one(rq, rs, sim_find_alert, sim_alert_json, "alert", id); break;
	case 62: sim_api_post_alert_ack(rq, rs, id); break;
	case 70: sim_api_list_approvals(rq, rs); break;
	case 71: sim_api_get_one(rq, rs, sim_find_approval, sim_approval_json, "approval", id); break;
	case 72: sim_api_post_approval_decision(rq, rs, id); break;
	}
}