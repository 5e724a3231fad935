/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/queue_act.c: the work queues' actions from a script:
 * `payops break resolve ID --action A`, `payops case decide ID DECISION`,
 * `payops limit adjust ID AMOUNT`, with the confirmation, action client and
 * audit log of the channel actions (cli/act.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "cli/cli_int.h"
#include "text/text.h"
#include "views/queue.h"

/* TRANSLATORS: keep command and option names as they are. */
static const char queue_usage[] = N_(
"Usage: payops break resolve ID --action ACTION [--ref REF] [--amount AMOUNT]\n"
"                           [--assignee OP] --reason TEXT [--ticket REF] [--yes]\n"
"         ACTION: match (--ref), write_off, adjust (--amount), escalate,\n"
"                 investigate, reopen, assign (--assignee)\n"
"       payops case decide ID approve|reject|return|assign [--assignee OP]\n"
"                           --reason TEXT [--ticket REF] [--yes]\n"
"       payops limit adjust ID AMOUNT [--warn-at F] --reason TEXT\n"
"                           [--ticket REF] [--yes]\n"
"         AMOUNT: major units (60,000,000), or a change: +5,000, -10%%\n"
"Prints the object's state before and the intended one, confirms as\n"
"payops channel does, and acts through the same action client and audit\n"
"log. Exit statuses as for payops channel.\n");

static const char *const brk_actions[] = { "match", "write_off", "adjust", "escalate",
	"investigate", "reopen", "assign", NULL };
static const char *const case_decisions[] = { "approve", "reject", "return", "assign", NULL };

static int word_index(const char *w, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(words[i], w) == 0)
			return i;
	return -1;
}

/* Sanitised copies of three strings for one line of the effect. */
typedef struct { char a[256], b[256], c[256]; } three;
static three *clean3(three *t, const char *a, const char *b, const char *c)
{
	text_sanitize(a, (size_t)-1, t->a, sizeof t->a);
	text_sanitize(b, (size_t)-1, t->b, sizeof t->b);
	text_sanitize(c, (size_t)-1, t->c, sizeof t->c);
	return t;
}
#define SAY(fmt, x, y, z) do { three t_; clean3(&t_, (x), (y), (z)); \
	printf(fmt, t_.a, t_.b, t_.c); } while (0)

int cli_queue_act(int argc, char **argv)
{
	const char *cmd = argv[0];
	static const char *const objs[] = { "break", "case", "limit", NULL };
	static const char *const verbs[] = { "resolve", "decide", "adjust", NULL };
	int obj = word_index(cmd, objs);
	cli_act_args a;
	int rc = cli_act_parse(argc, argv, &a, cmd, queue_usage);
	if (rc)
		return rc > 0 ? 0 : CLI_EXIT_USAGE;
	int need = obj == 0 ? 2 : 3;
	if (a.npos < 1 || a.npos != need) {
		fputs(_(queue_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(a.pos[0], verbs[obj]) != 0) {
		const char *one[] = { verbs[obj], NULL };
		return cli_unknown(cmd, _("action"), a.pos[0], one);
	}
	const char *id = a.pos[1];
	act_request q = { .target = id, .reason = a.reason, .ticket = a.ticket,
			  .assignee = a.assignee, .warn_at = NAN };
	store_coll want[2] = { STORE_ME };
	if (obj == 0) {
		if (!a.action) {
			fprintf(stderr, _("payops break: --action is required (%s)\n"),
				"match write_off adjust escalate investigate reopen assign");
			return CLI_EXIT_USAGE;
		}
		int v = word_index(a.action, brk_actions);
		if (v < 0)
			return cli_unknown(cmd, _("action"), a.action, brk_actions);
		q.kind = ACT_BREAK_RESOLVE;
		q.verb = v;
		q.counterpart_ref = a.ref;
		want[1] = STORE_BREAKS;
	} else if (obj == 1) {
		int v = word_index(a.pos[2], case_decisions);
		if (v < 0)
			return cli_unknown(cmd, _("decision"), a.pos[2], case_decisions);
		q.kind = ACT_CASE_DECISION;
		q.verb = v;
		want[1] = STORE_CASES;
	} else {
		q.kind = ACT_LIMIT_ADJUST;
		want[1] = STORE_LIMITS;
		if (a.warn_at) {
			char *e;
			q.warn_at = strtod(a.warn_at, &e);
			if (*e || !(q.warn_at > 0 && q.warn_at <= 1)) {
				fprintf(stderr, _("payops limit: --warn-at '%s' is not in (0, 1]\n"),
					a.warn_at);
				return CLI_EXIT_USAGE;
			}
		}
	}
	if ((rc = cli_need_reason(&a, cmd)) != 0)
		return rc;
	cli_session s;
	rc = cli_connect_read(&s, a.config, cmd, want, 2);
	cache *c = rc == 0 ? sync_cache(s.sy) : NULL;
	if (rc == 0 && !c) {
		fprintf(stderr, _("payops %s: no cache to read the object from\n"), cmd);
		rc = CLI_EXIT_CONFIG;
	}
	api_break b = { 0 };
	api_case cs = { 0 };
	api_limit l = { 0 };
	int got = 1;
	if (rc == 0) {
		got = obj == 0 ? cache_get_break(c, id, &b) : obj == 1 ? cache_get_case(c, id, &cs) :
		      cache_get_limit(c, id, &l);
		if (got != 0) {
			fprintf(stderr, _("payops %s: no %s '%s'\n"), cmd, cmd, id);
			rc = CLI_EXIT_USAGE;
		}
	}
	char money1[64], money2[64], money3[64];
	if (rc == 0 && obj == 0) {
		if (q.verb == ACT_BRK_ADJUST &&
		    (!a.amount || money_parse(a.amount, b.currency, &q.adjustment_minor) != 0)) {
			fprintf(stderr, _("payops break: adjust needs --amount AMOUNT\n"));
			rc = CLI_EXIT_USAGE;
		} else {
			q.version = b.version;
			q.seen_break = &b;
			money_format(b.difference_minor, b.currency, money1, sizeof money1);
			SAY(_("%s: status %s -> %s\n"), id, b.status_raw ? b.status_raw : "?",
			    a.action);
			SAY(_("difference %s on %s, %s\n"), money1, b.channel_id ? b.channel_id : "",
			    b.recon_date ? b.recon_date : "");
		}
	} else if (rc == 0 && obj == 1) {
		q.version = cs.version;
		q.seen_case = &cs;
		SAY(_("%s: stage %s -> %s\n"), id, cs.stage_raw ? cs.stage_raw : "?", a.pos[2]);
		SAY(_("merchant %s %s (risk %s)\n"), cs.merchant_id ? cs.merchant_id : "",
		    cs.merchant_name ? cs.merchant_name : "",
		    cs.risk_level_raw ? cs.risk_level_raw : "?");
	} else if (rc == 0) {
		if (queue_parse_limit(a.pos[2], l.limit_minor, l.currency, &q.limit_minor) != 0) {
			fprintf(stderr, _("payops limit: '%s' is not an amount\n"), a.pos[2]);
			rc = CLI_EXIT_USAGE;
		} else {
			q.version = l.version;
			q.seen_limit = &l;
			money_format(l.limit_minor, l.currency, money1, sizeof money1);
			money_format(q.limit_minor, l.currency, money2, sizeof money2);
			money_format(l.used_minor, l.currency, money3, sizeof money3);
			SAY(_("%s: limit %s -> %s\n"), id, money1, money2);
			api_limit_state after = api_limit_state_for(l.used_minor, q.limit_minor,
				isnan(q.warn_at) ? l.warn_at : q.warn_at);
			SAY(_("used %s, state %s -> %s\n"), money3, l.state_raw ? l.state_raw : "?",
			    queue_limit_state_word(after) ? queue_limit_state_word(after) : "?");
		}
	}
	if (rc == 0) {
		char question[256];
		snprintf(question, sizeof question, _("%s %s %s?"), cmd, a.pos[0], id);
		rc = cli_confirm(&a, cmd, (long long)q.version, NULL, question);
	}
	if (rc == 0)
		rc = cli_submit(&s, &q, cmd);
	if (got == 0) {
		api_break_free(&b);
		api_case_free(&cs);
		api_limit_free(&l);
	}
	cli_session_free(&s);
	return rc;
}
