/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/approval.c: `payops approval approve|reject ID --reason TEXT [--yes]`,
 * the second operator's decision on a held request, with the confirmation,
 * action client and audit log of the other actions (cli/act.c). */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "cli/cli_int.h"
#include "text/text.h"

/* TRANSLATORS: keep command and option names as they are. */
static const char approval_usage[] = N_(
"Usage: payops approval approve|reject ID --reason TEXT [--ticket REF] [--yes]\n"
"Decides another operator's held request (payops get approvals lists them).\n"
"Prints what the approval would apply, confirms as payops channel does, and\n"
"acts through the same action client and audit log. Deciding one's own\n"
"request is refused before anything is sent (exit 5). Exit statuses as for\n"
"payops channel.\n");

static const char *const decisions[] = { "approve", "reject", NULL };

static void say(const char *label, const char *v)
{
	char b[512];
	text_sanitize(v ? v : "", (size_t)-1, b, sizeof b);
	printf("%s%s\n", label, b);
}

int cli_approval(int argc, char **argv)
{
	const char *cmd = argv[0];
	cli_act_args a;
	int rc = cli_act_parse(argc, argv, &a, cmd, approval_usage);
	if (rc)
		return rc > 0 ? 0 : CLI_EXIT_USAGE;
	if (a.npos != 2) {
		fputs(_(approval_usage), stderr);
		return CLI_EXIT_USAGE;
	}
	int v = strcmp(a.pos[0], "approve") == 0 ? ACT_APR_APPROVE :
		strcmp(a.pos[0], "reject") == 0 ? ACT_APR_REJECT : -1;
	if (v < 0)
		return cli_unknown(cmd, _("decision"), a.pos[0], decisions);
	if ((rc = cli_need_reason(&a, cmd)) != 0)
		return rc;
	const char *id = a.pos[1];
	static const store_coll want[] = { STORE_ME, STORE_APPROVALS };
	cli_session s;
	rc = cli_connect_read(&s, a.config, cmd, want, 2);
	const api_approval *ap = rc == 0 ? store_approval_find(s.st, id) : NULL;
	if (rc == 0 && !ap) {
		fprintf(stderr, _("payops %s: no approval '%s'\n"), cmd, id);
		rc = CLI_EXIT_USAGE;
	}
	const api_me *me = rc == 0 ? store_me(s.st) : NULL;
	if (rc == 0 && ap->state != APR_PENDING) {
		fprintf(stderr, _("payops %s: %s is %s: only a pending approval can be decided\n"),
			cmd, id, ap->state_raw ? ap->state_raw : "?");
		rc = CLI_EXIT_REFUSED;
	} else if (rc == 0 && me && me->operator_id && ap->requested_by &&
		   strcmp(me->operator_id, ap->requested_by) == 0) {
		fprintf(stderr, _("payops %s: %s: you asked for it: a second operator must "
				  "decide (self_approval_forbidden)\n"), cmd, id);
		rc = CLI_EXIT_REFUSED;
	}
	if (rc == 0) {
		char b[256];
		text_sanitize(id, (size_t)-1, b, sizeof b);
		printf(_("%s: pending -> %s\n"), b, a.pos[0]);
		say(_("held request: "), ap->kind);
		say(_("target: "), ap->target_id);
		say(_("asked by: "), ap->requested_by);
		say(_("effect: "), ap->effect);
		char question[256];
		snprintf(question, sizeof question, _("%s %s %s?"), cmd, a.pos[0], id);
		rc = cli_confirm(&a, cmd, (long long)ap->version, NULL, question);
	}
	if (rc == 0) {
		act_request q = { .kind = ACT_APPROVAL_DECISION, .target = id,
				  .version = ap->version, .reason = a.reason, .ticket = a.ticket,
				  .verb = v, .held_kind = ap->kind };
		rc = cli_submit(&s, &q, cmd);
	}
	cli_session_free(&s);
	return rc;
}
