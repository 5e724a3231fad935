/* SPDX-License-Identifier: ISC (see COPYING) */
/* term/commands.c: the command registry: every command, named once. */
#include <stdio.h>
#include <string.h>

#include "api/model.h"
#include "base/i18n.h"
#include "term/commands.h"

#define NAV N_("Navigation")
#define VIEWS N_("Views")
#define GEN N_("General")
#define ACTS N_("Actions")
#define ALERTS N_("Alerts")
#define EDIT N_("Reroute editor")
#define MARKS N_("Resolve marks")
#define DLG N_("Dialogs")
#define W CMD_WRITE

#define CHAN SCOPE_BIT_CHANNELS_WRITE
#define ROUT SCOPE_BIT_ROUTING_WRITE
#define ONB SCOPE_BIT_ONBOARDING_WRITE
#define REC SCOPE_BIT_RECON_WRITE
#define LIM SCOPE_BIT_LIMITS_WRITE
#define ALR SCOPE_BIT_ALERTS_WRITE
/* a change held for a second operator: any write may be */
#define HELD (CHAN | ROUT | ONB | REC | LIM | ALR)

/* The registry, in the order the help screen shows it. */
static const cmd_def defs[] = {
	{ ACT_UP, "up", NULL, NAV, NULL, N_("move up one row"), 0, 0 },
	{ ACT_DOWN, "down", NULL, NAV, NULL, N_("move down one row"), 0, 0 },
	{ ACT_LEFT, "left", NULL, NAV, NULL, N_("columns left; in a detail: previous interface; Recon: the summary"), 0, 0 },
	{ ACT_RIGHT, "right", NULL, NAV, NULL, N_("columns right; in a detail: next interface; Recon: the breaks"), 0, 0 },
	{ ACT_PAGE_UP, "page_up", NULL, NAV, NULL, N_("one page up"), 0, 0 },
	{ ACT_PAGE_DOWN, "page_down", NULL, NAV, NULL, N_("one page down"), 0, 0 },
	{ ACT_TOP, "top", NULL, NAV, NULL, N_("first row"), 0, 0 },
	{ ACT_BOTTOM, "bottom", NULL, NAV, NULL, N_("last row"), 0, 0 },
	{ ACT_DETAIL, "detail", NULL, NAV, NULL, N_("open the selected row's detail"), 0, 0 },
	{ ACT_BACK, "back", NULL, NAV, NULL,
	  N_("close the detail, prompt or help; with nothing to close, clear the filter"), 0, 0 },

	{ ACT_VIEW_1, "view_1", NULL, VIEWS, NULL, N_("the Overview pane"), 0, 0 },
	{ ACT_VIEW_2, "view_2", NULL, VIEWS, NULL, N_("the Channels pane"), 0, 0 },
	{ ACT_VIEW_3, "view_3", NULL, VIEWS, NULL, N_("the Routes pane"), 0, 0 },
	{ ACT_VIEW_4, "view_4", NULL, VIEWS, NULL, N_("the Onboarding pane"), 0, 0 },
	{ ACT_VIEW_5, "view_5", NULL, VIEWS, NULL, N_("the Recon pane"), 0, 0 },
	{ ACT_VIEW_6, "view_6", NULL, VIEWS, NULL, N_("the Limits pane"), 0, 0 },
	{ ACT_VIEW_7, "view_7", NULL, VIEWS, NULL, N_("the Alerts pane"), 0, 0 },
	{ ACT_VIEW_8, "view_8", NULL, VIEWS, NULL, N_("the Audit pane"), 0, 0 },
	{ ACT_VIEW_9, "view_9", NULL, VIEWS, NULL, N_("the Approvals pane (four eyes)"), 0, 0 },
	{ ACT_NEXT_VIEW, "next_view", NULL, VIEWS, NULL, N_("next pane"), 0, 0 },
	{ ACT_PREV_VIEW, "prev_view", NULL, VIEWS, NULL, N_("previous pane"), 0, 0 },
	{ ACT_FILTER, "filter", NULL, VIEWS, "[TEXT]",
	  N_("filter rows (! inverts; Esc restores the one before)"), 0, 0 },
	{ ACT_SORT, "sort", NULL, VIEWS, "[COLUMN [asc|desc]]",
	  N_("sort by the next column; with COLUMN (Tab completes), by that one"), 0, 0 },
	{ ACT_SORT_PREV_COL, "sort_prev", NULL, VIEWS, NULL,
	  N_("sort by the column to the left"), 0, 0 },
	{ ACT_SORT_NEXT_COL, "sort_next", NULL, VIEWS, NULL,
	  N_("sort by the column to the right"), 0, 0 },
	{ ACT_SORT_REVERSE, "sort_reverse", NULL, VIEWS, NULL, N_("reverse the sort order"), 0, 0 },
	{ ACT_MARK, "mark", NULL, VIEWS, NULL, N_("mark/unmark the row (multi-select)"), 0, 0 },

	{ ACT_COMMAND, "command", NULL, GEN, NULL, N_("command line (Tab completes)"), 0, 0 },
	{ ACT_HELP, "help", NULL, GEN, NULL, N_("this help"), 0, 0 },
	{ ACT_REDRAW, "redraw", NULL, GEN, NULL, N_("repaint the whole screen"), 0, 0 },
	{ ACT_REFRESH, "refresh", NULL, GEN, NULL, N_("fetch everything now"), 0, 0 },
	{ ACT_PAUSE, "pause", NULL, GEN, NULL, N_("pause/resume live updates"), 0, 0 },
	{ ACT_QUIT, "quit", "q", GEN, NULL, N_("quit"), 0, 0 },
	{ ACT_SITES, "sites", NULL, GEN, NULL,
	  N_("each site's state, last error and data age, and the last failover"), 0, 0 },

	{ ACT_ENABLE, "enable", NULL, ACTS, "[ID [INTERFACE]]",
	  N_("enable the channel (or one interface)"), W, CHAN },
	{ ACT_DISABLE, "disable", NULL, ACTS, "[ID [INTERFACE]]",
	  N_("disable the channel (or one interface)"), W, CHAN },
	{ ACT_DRAIN, "drain", NULL, ACTS, "[ID [INTERFACE]]",
	  N_("drain: finish in-flight, take no new traffic"), W, CHAN },
	{ ACT_QUARANTINE, "quarantine", NULL, ACTS, "[ID]", N_("quarantine the channel"), W, CHAN },
	{ ACT_RELEASE, "release", NULL, ACTS, "[ID]",
	  N_("release from quarantine (comes back disabled)"), W, CHAN },
	{ ACT_REROUTE, "reroute", NULL, ACTS, "[GROUP CHANNEL=PCT ...]",
	  N_("change route weights (the reroute editor)"), W, ROUT },
	/* On the Approvals pane the decision needs the write scope the held
	 * request needed (any of them, the pane checks the row's); on the
	 * Onboarding pane onboarding:write */
	{ ACT_APPROVE, "approve", NULL, ACTS, NULL,
	  N_("approve the onboarding case (onboarding:write), or on the Approvals pane "
	     "the held change (the write scope it needs)"), W, ONB | HELD },
	{ ACT_REJECT, "reject", NULL, ACTS, NULL,
	  N_("reject the onboarding case (onboarding:write), or on the Approvals pane "
	     "the held change (the write scope it needs)"), W, ONB | HELD },
	{ ACT_RETURN, "return", NULL, ACTS, NULL, N_("send the case back to the merchant"), W, ONB },
	{ ACT_ASSIGN, "assign", NULL, ACTS, NULL, N_("assign an owner (case or break)"), W, ONB | REC },
	{ ACT_RESOLVE, "resolve", NULL, ACTS, "[HOW]",
	  N_("resolve the reconciliation break: the resolve marks follow"), W, REC },
	{ ACT_ADJUST, "adjust", NULL, ACTS, NULL, N_("change the limit"), W, LIM },
	{ ACT_ACK, "ack", NULL, ACTS, NULL, N_("acknowledge the alert"), W, ALR },
	{ ACT_SILENCE, "silence", NULL, ACTS, NULL, N_("silence the alert"), W, ALR },

	{ ACT_GROUP, "group", NULL, ALERTS, NULL,
	  N_("group rows by a label (none, channel_id, severity, alertname, source)"), 0, 0 },
	{ ACT_SILENCES, "silences", NULL, ALERTS, NULL,
	  N_("show the Alertmanagers' silences (again: the alerts)"), 0, 0 },
	{ ACT_EXPIRE_SILENCE, "expire_silence", NULL, ALERTS, NULL,
	  N_("expire the selected silence"), W, ALR },
	{ ACT_INFO, "info", NULL, ALERTS, NULL,
	  N_("every field of the selected row (Enter may jump elsewhere)"), 0, 0 },

	{ ACT_MEMBER_PREV, "member_prev", NULL, EDIT, NULL, N_("the previous member"), 0, 0 },
	{ ACT_MEMBER_NEXT, "member_next", NULL, EDIT, NULL, N_("the next member"), 0, 0 },
	{ ACT_WEIGHT_UP, "weight_up", NULL, EDIT, NULL, N_("the member's weight up by 1"), 0, 0 },
	{ ACT_WEIGHT_DOWN, "weight_down", NULL, EDIT, NULL, N_("the member's weight down by 1"), 0, 0 },
	{ ACT_WEIGHT_UP_5, "weight_up_5", NULL, EDIT, NULL, N_("the member's weight up by 5"), 0, 0 },
	{ ACT_WEIGHT_DOWN_5, "weight_down_5", NULL, EDIT, NULL, N_("the member's weight down by 5"), 0, 0 },
	{ ACT_REVIEW, "review", NULL, EDIT, NULL,
	  N_("set the digits typed; else review the effect and confirm"), 0, 0 },
	{ ACT_CANCEL, "cancel", NULL, EDIT, NULL, N_("leave, sending nothing"), 0, 0 },

	{ ACT_RESOLVE_MATCH, "resolve_match", NULL, MARKS, NULL,
	  N_("match the breaks (asks the counterpart reference)"), W, REC },
	{ ACT_RESOLVE_ADJUST, "resolve_adjust", NULL, MARKS, NULL,
	  N_("adjust the breaks (asks the amount)"), W, REC },
	{ ACT_RESOLVE_WRITE_OFF, "resolve_write_off", NULL, MARKS, NULL,
	  N_("write the breaks off"), W, REC },
	{ ACT_RESOLVE_ESCALATE, "resolve_escalate", NULL, MARKS, NULL,
	  N_("escalate the breaks"), W, REC },
	{ ACT_RESOLVE_INVESTIGATE, "resolve_investigate", NULL, MARKS, NULL,
	  N_("put the breaks under investigation"), W, REC },
	{ ACT_RESOLVE_REOPEN, "resolve_reopen", NULL, MARKS, NULL,
	  N_("reopen the breaks"), W, REC },
	{ ACT_RESOLVE_ASSIGN, "resolve_assign", NULL, MARKS, NULL,
	  N_("assign the breaks (asks the operator id)"), W, REC },

	{ ACT_CONFIRM, "confirm", NULL, DLG, NULL,
	  N_("press the confirming button (never the key that opened the dialog)"), 0, 0 },
	{ ACT_NEXT_FIELD, "next_field", NULL, DLG, NULL, N_("the next field or button"), 0, 0 },
	{ ACT_PREV_FIELD, "prev_field", NULL, DLG, NULL, N_("the previous field or button"), 0, 0 },
};

#define NDEFS (sizeof defs / sizeof defs[0])

size_t cmd_count(void)
{
	return NDEFS;
}

const cmd_def *cmd_at(size_t i)
{
	return i < NDEFS ? &defs[i] : NULL;
}

const cmd_def *cmd_get(cmd_id id)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (defs[i].id == id)
			return &defs[i];
	return NULL;
}

const cmd_def *cmd_find(const char *name)
{
	if (!name || !*name)
		return NULL;
	for (size_t i = 0; i < NDEFS; i++)
		if (strcmp(defs[i].name, name) == 0 ||
		    (defs[i].alias && strcmp(defs[i].alias, name) == 0))
			return &defs[i];
	return NULL;
}

const char *cmd_name(cmd_id id)
{
	const cmd_def *d = cmd_get(id);
	return d ? d->name : NULL;
}

unsigned cmd_flags(cmd_id id)
{
	const cmd_def *d = cmd_get(id);
	return d ? d->flags : 0;
}

unsigned cmd_scopes(cmd_id id)
{
	const cmd_def *d = cmd_get(id);
	return d ? d->scopes : 0;
}

void cmd_scope_text(cmd_id id, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return;
	out[0] = '\0';
	unsigned s = cmd_scopes(id);
	size_t len = 0;
	for (unsigned bit = 1; bit && bit <= s; bit <<= 1) {
		const char *n = (s & bit) ? api_scope_name(bit) : NULL;
		if (!n)
			continue;
		int w = snprintf(out + len, outsz - len, "%s%s",
				 len ? " or " : "", n);
		if (w < 0 || (size_t)w >= outsz - len)
			return;
		len += (size_t)w;
	}
}

cmd_parse_result cmd_parse(const char *line, cmd_line *out)
{
	snprintf(out->buf, sizeof out->buf, "%s", line ? line : "");
	out->cmd = NULL;
	char *s = out->buf;
	while (*s == ' ')
		s++;
	out->name = s;
	char *e = s;
	while (*e && *e != ' ')
		e++;
	char *arg = e;
	if (*arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
		char *end = arg + strlen(arg);
		while (end > arg && end[-1] == ' ')
			*--end = '\0';
	}
	out->args = arg;
	if (!*s)
		return CMD_PARSE_EMPTY;
	out->cmd = cmd_find(s);
	if (!out->cmd)
		return CMD_PARSE_UNKNOWN;
	if (*arg && !out->cmd->args)
		return CMD_PARSE_NO_ARGS;
	return CMD_PARSE_OK;
}
