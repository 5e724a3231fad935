/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/act.c: `payops channel VERB ID ...` and `payops route weights GROUP
 * CHANNEL=PCT ...`: the console's effect statement, its confirmation rules
 * (the typed id above confirm_share), its action client and its audit log,
 * from a script. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "actions/actions.h"
#include "audit/audit.h"
#include "base/duration.h"
#include "base/i18n.h"
#include "cli/cli_int.h"
#include "text/text.h"

/* TRANSLATORS: keep command and option names as they are. */
static const char channel_usage[] = N_(
"Usage: payops channel enable|disable|drain|quarantine|release ID\n"
"                      [--interface NAME] --reason TEXT [--ticket REF]\n"
"                      [--yes] [-c FILE]\n"
"\n"
"Prints the effect (state before and after, the share and TPS it carries,\n"
"where its traffic goes), asks for confirmation on a terminal (typing the\n"
"id when a disable or quarantine takes more than confirm_share of the\n"
"traffic), then acts through the console's action client, with an intent\n"
"and an outcome row in the audit log (via cli).\n"
"  --reason TEXT  why (required: without it nothing is sent)\n"
"  --ticket REF   the change ticket\n"
"  --interface N  one interface of the channel only\n"
"  --yes          confirmed already (needed without a terminal)\n"
"Exit: 0 applied, 2 usage, 3 configuration or audit log, 4 pending approval,\n"
"5 refused by the platform (its code on stderr), 6 outcome unknown,\n"
"7 not sent (not confirmed, no terminal without --yes, read-only, scope).\n");

static const char route_usage[] = N_(
"Usage: payops route weights GROUP CHANNEL=PCT... [--expires DURATION]\n"
"                    --reason TEXT [--ticket REF] [--yes] [-c FILE]\n"
"\n"
"Sets a route group's weights (every member listed, integers summing to\n"
"100), as an override expiring after DURATION (30m, 2h) when given.\n"
"Confirmation, audit and exit statuses as for payops channel.\n");

static const store_coll chan_want[] = { STORE_ME, STORE_CHANNELS, STORE_ROUTES };

static const char *const verbs[] = { "enable", "disable", "drain", "quarantine",
	"release", NULL };

/* Common options; the other words go to pos. -1 usage (said), 1 help. */
int cli_act_parse(int argc, char **argv, cli_act_args *a, const char *cmd,
		  const char *usage)
{
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **dst = NULL;
		if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			fputs(_(usage), stdout);
			return 1;
		}
		if (strcmp(o, "--yes") == 0 || strcmp(o, "-y") == 0) {
			a->yes = true;
			continue;
		}
		if (strcmp(o, "--reason") == 0)
			dst = &a->reason;
		else if (strcmp(o, "--ticket") == 0)
			dst = &a->ticket;
		else if (strcmp(o, "--interface") == 0)
			dst = &a->iface;
		else if (strcmp(o, "--expires") == 0)
			dst = &a->expires;
		else if (strcmp(o, "-c") == 0 || strcmp(o, "--config") == 0)
			dst = &a->config;
		else if (strcmp(o, "--action") == 0)
			dst = &a->action;
		else if (strcmp(o, "--ref") == 0)
			dst = &a->ref;
		else if (strcmp(o, "--amount") == 0)
			dst = &a->amount;
		else if (strcmp(o, "--assignee") == 0)
			dst = &a->assignee;
		else if (strcmp(o, "--warn-at") == 0)
			dst = &a->warn_at;
		if (dst) {
			if (!v) {
				fprintf(stderr, _("payops %s: %s needs a value\n"), cmd, o);
				return -1;
			}
			*dst = v;
			i++;
			continue;
		}
		if (o[0] == '-' && o[1] == '-') {
			static const char *const opts[] = { "--reason", "--ticket",
				"--interface", "--expires", "--yes", "--config", "--help",
				"--action", "--ref", "--amount", "--assignee", "--warn-at", NULL };
			cli_unknown(cmd, _("option"), o, opts);
			return -1;
		}
		if (a->npos < 64)
			a->pos[a->npos++] = o;
	}
	return 0;
}

int cli_need_reason(const cli_act_args *a, const char *cmd)
{
	if (a->reason && *a->reason)
		return 0;
	fprintf(stderr, _("payops %s: refused: --reason is required; nothing was sent\n"), cmd);
	return CLI_EXIT_USAGE;
}

int cli_confirm(const cli_act_args *a, const char *cmd, long long version,
		const char *type_id, const char *question)
{
	printf(_("as seen at version %lld; sent with If-Match and a new idempotency key\n"),
	       version);
	fflush(stdout);
	if (a->yes)
		return 0;
	FILE *tty = isatty(STDIN_FILENO) ? fopen("/dev/tty", "r+") : NULL;
	if (!tty) {
		fprintf(stderr, _("payops %s: refused: no terminal to confirm on (--yes "
			"confirms from a script); nothing was sent\n"), cmd);
		return CLI_EXIT_NOT_SENT;
	}
	if (type_id)
		fprintf(tty, _("Type the id %s to confirm: "), type_id);
	else
		fprintf(tty, _("%s [y/N] "), question);
	fflush(tty);
	char line[256] = "";
	bool ok = fgets(line, sizeof line, tty) != NULL;
	fclose(tty);
	line[strcspn(line, "\r\n")] = '\0';
	if (ok && type_id)
		ok = strcmp(line, type_id) == 0;
	else if (ok)
		ok = strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
		     strcmp(line, "yes") == 0;
	if (!ok) {
		fprintf(stderr, _("payops %s: not confirmed; nothing was sent\n"), cmd);
		return CLI_EXIT_NOT_SENT;
	}
	return 0;
}

typedef struct {
	cli_session *s;
	bool done;
	act_result r;
	char code[64], message[512];
} act_wait;

static const char *active_url(void *ctx)
{
	return sync_active_url(((cli_session *)ctx)->sy);
}

static void on_progress(void *ctx, const char *msg)
{
	(void)ctx;
	char clean[512];
	text_sanitize(msg, (size_t)-1, clean, sizeof clean);
	fprintf(stderr, "payops: %s\n", clean);
}

static void on_done(void *ctx, const act_result *r)
{
	act_wait *w = ctx;
	w->r = *r;
	w->r.object_json = NULL;
	w->done = true;
	ev_stop(w->s->ev);
}

static int exit_of(const act_result *r)
{
	switch (r->status) {
	case ACT_APPLIED: return CLI_EXIT_OK;
	case ACT_PENDING_APPROVAL: return CLI_EXIT_PENDING;
	case ACT_REJECTED: case ACT_CONFLICT: case ACT_FAILED: return CLI_EXIT_REFUSED;
	case ACT_UNKNOWN: return CLI_EXIT_UNKNOWN;
	case ACT_REFUSED:
		return strncmp(r->code, "audit_", 6) == 0 ? CLI_EXIT_CONFIG :
		       strcmp(r->code, "invalid_request") == 0 ? CLI_EXIT_USAGE :
		       CLI_EXIT_NOT_SENT;
	}
	return CLI_EXIT_UNKNOWN;
}

/* Send q through the action client and its audit log; report; the exit. */
int cli_submit(cli_session *s, const act_request *q, const char *cmd)
{
	struct audit_log *log = NULL;
	char err[512];
	char *path = cfg_audit_path(&s->cfg);
	int rc = audit_open(path, &log, err, sizeof err);
	free(path);
	if (rc != 0) {
		fprintf(stderr, _("payops %s: the audit log: %s; nothing was sent\n"), cmd, err);
		return CLI_EXIT_CONFIG;
	}
	audit_set_secret(log, s->token);
	const char *sname = s->cfg.n_sites ? s->cfg.sites[0].name : "";
	act_identity who = { .site = sname, .base_url = active_url, .site_ctx = s,
			     .token = s->token, .via = "cli" };
	act_client *ac = act_new(s->ev, s->http, log, s->st, &who);
	if (!ac) {
		audit_close(log);
		fputs(_("payops: out of memory setting up\n"), stderr);
		return CLI_EXIT_CONFIG;
	}
	act_options ao = { .timeout_ms = s->cfg.request_timeout_ms,
			   .confirm_share = s->cfg.confirm_share };
	act_set_options(ac, &ao);
	if (s->cfg.read_only)
		act_set_read_only(ac, "read-only mode");
	act_wait w = { .s = s };
	if (act_submit(ac, q, on_done, on_progress, &w) == 0) {
		act_free(ac);
		audit_close(log);
		fputs(_("payops: out of memory: nothing was sent\n"), stderr);
		return CLI_EXIT_CONFIG;
	}
	while (!w.done)
		if (ev_run(s->ev) != 0)
			break;
	act_free(ac);
	audit_close(log);
	if (!w.done)
		return CLI_EXIT_UNKNOWN;
	char clean[1024];
	text_sanitize(w.r.message, (size_t)-1, clean, sizeof clean);
	int ex = exit_of(&w.r);
	printf("%s: %s\n", act_status_name(w.r.status), clean);
	if (ex == CLI_EXIT_REFUSED || ex == CLI_EXIT_NOT_SENT || ex == CLI_EXIT_CONFIG)
		fprintf(stderr, "payops %s: %s%s%s (HTTP %d)\n", cmd,
			w.r.code[0] ? w.r.code : act_status_name(w.r.status),
			w.r.missing_scope[0] ? _(": needs ") : "", w.r.missing_scope,
			w.r.http_status);
	return ex;
}

/* The session, with channels, routes and who am I fetched. */
int cli_connect_read(cli_session *s, const char *config, const char *cmd,
		     const store_coll *want, size_t n)
{
	int rc = cli_session_load(s, config, cmd);
	if (rc == 0)
		rc = cli_session_connect(s);
	if (rc != 0)
		return rc;
	char err[1024];
	long t = s->cfg.request_timeout_ms > 0 ? 3L * s->cfg.request_timeout_ms : 30000;
	if (cli_fetch(s, want, n, t, err, sizeof err) != 0) {
		char clean[1024];
		text_sanitize(err, (size_t)-1, clean, sizeof clean);
		fprintf(stderr, _("payops %s: the platform did not answer: %s; nothing was sent\n"),
			cmd, clean);
		return CLI_EXIT_UNKNOWN;
	}
	return 0;
}

static int unknown_id(const char *cmd, const char *what, const char *id,
		      const store *st, bool channels)
{
	size_t n = channels ? store_channel_count(st) : store_route_count(st);
	const char **ids = calloc(n + 2, sizeof *ids);
	if (!ids)
		return CLI_EXIT_USAGE;
	for (size_t i = 0; i < n; i++)
		ids[i] = channels ? store_channel_at(st, i)->id : store_route_at(st, i)->id;
	ids[n] = n ? NULL : "-";
	int rc = cli_unknown(cmd, what, id, ids);
	free(ids);
	return rc;
}

int cli_channel(int argc, char **argv)
{
	cli_act_args a;
	int rc = cli_act_parse(argc, argv, &a, "channel", channel_usage);
	if (rc)
		return rc > 0 ? 0 : CLI_EXIT_USAGE;
	if (a.npos != 2) {
		fputs(_(channel_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	int verb;
	for (verb = 0; verbs[verb] && strcmp(verbs[verb], a.pos[0]) != 0; verb++)
		;
	if (!verbs[verb])
		return cli_unknown("channel", _("action"), a.pos[0], verbs);
	if ((rc = cli_need_reason(&a, "channel")) != 0)
		return rc;
	const char *id = a.pos[1];
	cli_session s;
	rc = cli_connect_read(&s, a.config, "channel", chan_want, 3);
	const api_channel *ch = rc == 0 ? store_channel_find(s.st, id) : NULL;
	if (rc == 0 && !ch)
		rc = unknown_id("channel", _("channel"), id, s.st, true);
	char eff[2048], clean[2048];
	bool type_id = false;
	if (rc == 0 && act_describe_channel_effect(s.st, id, (act_channel_verb)verb, a.iface,
						   s.cfg.confirm_share, eff, sizeof eff,
						   &type_id) < 0)
		rc = unknown_id("channel", _("channel"), id, s.st, true);
	if (rc == 0) {
		/* as the console's dialog: only a disable or a quarantine asks for the id */
		if (verb != ACT_CH_DISABLE && verb != ACT_CH_QUARANTINE)
			type_id = false;
		/* line by line: the sanitiser would show a newline as a space */
		for (char *line = eff, *nl; line && *line; line = nl) {
			nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			text_sanitize(line, len, clean, sizeof clean);
			printf("%s\n", clean);
			if (nl)
				nl++;
		}
		if (type_id)
			printf(_("It carries more than %.0f%% of traffic: type its id to confirm.\n"),
			       (s.cfg.confirm_share > 0 ? s.cfg.confirm_share : 0.05) * 100);
		char q[256];
		snprintf(q, sizeof q, _("%s %s?"), verbs[verb], id);
		rc = cli_confirm(&a, "channel", (long long)ch->version, type_id ? id : NULL, q);
	}
	if (rc == 0) {
		act_request req = { .kind = ACT_CHANNEL, .target = id, .version = ch->version,
				    .reason = a.reason, .ticket = a.ticket, .verb = verb,
				    .interface = a.iface, .seen_channel = ch };
		rc = cli_submit(&s, &req, "channel");
	}
	cli_session_free(&s);
	return rc;
}

int cli_route(int argc, char **argv)
{
	cli_act_args a;
	int rc = cli_act_parse(argc, argv, &a, "route", route_usage);
	if (rc)
		return rc > 0 ? 0 : CLI_EXIT_USAGE;
	static const char *const rverbs[] = { "weights", NULL };
	if (a.npos < 1) {
		fputs(_(route_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(a.pos[0], "weights") != 0)
		return cli_unknown("route", _("action"), a.pos[0], rverbs);
	if (a.npos < 3) {
		fputs(_(route_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	act_weight w[62];
	size_t nw = 0;
	char names[62][128];
	for (int i = 2; i < a.npos; i++) {
		const char *eq = strchr(a.pos[i], '=');
		char *end;
		long pct = eq ? strtol(eq + 1, &end, 10) : -1;
		if (!eq || eq == a.pos[i] || *end || pct < 0 || pct > 100 ||
		    (size_t)(eq - a.pos[i]) >= sizeof names[0]) {
			fprintf(stderr, _("payops route: '%s' is not CHANNEL=PCT\n"), a.pos[i]);
			return CLI_EXIT_USAGE;
		}
		snprintf(names[nw], sizeof names[nw], "%.*s", (int)(eq - a.pos[i]), a.pos[i]);
		w[nw].channel_id = names[nw];
		w[nw].weight_pct = (int)pct;
		nw++;
	}
	time_t expires = 0;
	if (a.expires) {
		int64_t ms;
		duration_status ds = duration_parse(a.expires, &ms);
		if (ds != DURATION_OK || ms <= 0) {
			char why[256];
			duration_error(ds, a.expires, why, sizeof why);
			fprintf(stderr, "payops route: --expires: %s\n", why);
			return CLI_EXIT_USAGE;
		}
		expires = time(NULL) + (time_t)(ms / 1000);
	}
	if ((rc = cli_need_reason(&a, "route")) != 0)
		return rc;
	const char *gid = a.pos[1];
	cli_session s;
	rc = cli_connect_read(&s, a.config, "route", chan_want, 3);
	const api_route *rt = rc == 0 ? store_route_find(s.st, gid) : NULL;
	if (rc == 0 && !rt)
		rc = unknown_id("route", _("route group"), gid, s.st, false);
	if (rc == 0) {
		printf(_("Reroute %s (%s)\n"), rt->id, rt->name ? rt->name : "");
		for (size_t i = 0; i < nw; i++) {
			int before = 0;
			for (size_t k = 0; k < rt->n_members; k++)
				if (strcmp(rt->members[k].channel_id, w[i].channel_id) == 0)
					before = rt->members[k].weight_pct;
			const api_channel *ch = store_channel_find(s.st, w[i].channel_id);
			char cid[256];
			text_sanitize(w[i].channel_id, (size_t)-1, cid, sizeof cid);
			printf(_("  %-26s %3d%% -> %3d%%  (now %.1f%% of traffic)\n"), cid, before,
			       w[i].weight_pct, ch ? ch->traffic_share * 100 : 0.0);
		}
		char q[256];
		snprintf(q, sizeof q, _("Reroute %s?"), gid);
		rc = cli_confirm(&a, "route", (long long)rt->version, NULL, q);
	}
	if (rc == 0) {
		act_request req = { .kind = ACT_ROUTE_WEIGHTS, .target = gid,
				    .version = rt->version, .reason = a.reason,
				    .ticket = a.ticket, .weights = w, .n_weights = nw,
				    .expires_at = expires, .seen_route = rt };
		rc = cli_submit(&s, &req, "route");
	}
	cli_session_free(&s);
	return rc;
}
