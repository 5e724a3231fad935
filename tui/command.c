/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/command.c: the `:` line. Every command of the registry runs from
 * it by name (term/commands.h parses the line): without arguments it does
 * what its key does; the channel actions, reroute, filter and resolve also
 * take arguments. A pane's name (or a unique prefix) shows that pane. Tab
 * completes the pane and command names, then channel ids, interfaces,
 * route groups, CHANNEL= of their members, and the ways to resolve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/text.h"
#include "tui/app_int.h"

/* The channel action of a command; false when it is none. */
static bool channel_verb(keymap_action id, act_channel_verb *verb)
{
	act_channel_verb v;
	switch (id) {
	case ACT_ENABLE: v = ACT_CH_ENABLE; break;
	case ACT_DISABLE: v = ACT_CH_DISABLE; break;
	case ACT_DRAIN: v = ACT_CH_DRAIN; break;
	case ACT_QUARANTINE: v = ACT_CH_QUARANTINE; break;
	case ACT_RELEASE: v = ACT_CH_RELEASE; break;
	default: return false;
	}
	if (verb)
		*verb = v;
	return true;
}

static void usage(app *a, const cmd_def *d)
{
	char t[300];
	snprintf(t, sizeof t, _("usage: :%s %s"), d->name, d->args ? d->args : "");
	app_message(a, MSG_ERROR, t);
}

/* :enable ID [IFACE] and friends: the same dialog as the keys. */
static void run_channel(app *a, const cmd_def *d, act_channel_verb verb,
			const char *arg)
{
	char id[256] = "", iface[128] = "", extra[8] = "";
	int n = sscanf(arg, "%255s %127s %7s", id, iface, extra);
	bool whole = verb == ACT_CH_QUARANTINE || verb == ACT_CH_RELEASE;
	if (n < 1 || n > (whole ? 1 : 2)) {
		usage(a, d);
		return;
	}
	flow_channel(a->flow, id, n == 2 ? iface : NULL, verb, 0);
}

/* :reroute GROUP CHANNEL=PCT ...: members not named keep their weight;
 * the dialog shows the result, act_check() the mistakes. */
static void run_reroute(app *a, const char *arg)
{
	char buf[CMDLINE_MAX], *save = NULL;
	snprintf(buf, sizeof buf, "%s", arg ? arg : "");
	char *gid = strtok_r(buf, " ", &save);
	const api_route *rt = gid ? store_route_find(a->st, gid) : NULL;
	if (!gid) {
		app_message(a, MSG_ERROR, _("usage: :reroute GROUP CHANNEL=PCT ..."));
		return;
	}
	if (!rt) {
		char t[300];
		snprintf(t, sizeof t, _("no route group %s (Tab lists them)"), gid);
		app_message(a, MSG_ERROR, t);
		return;
	}
	size_t n = rt->n_members;
	act_weight *w = calloc(n ? n : 1, sizeof *w);
	if (!w)
		return;
	for (size_t i = 0; i < n; i++) {
		w[i].channel_id = rt->members[i].channel_id;
		w[i].weight_pct = rt->members[i].weight_pct;
	}
	bool any = false;
	for (char *tok; (tok = strtok_r(NULL, " ", &save));) {
		char *eq = strchr(tok, '=');
		char *end = NULL;
		long pct = eq ? strtol(eq + 1, &end, 10) : -1;
		if (!eq || end == eq + 1 || *end || pct < 0 || pct > 100) {
			char t[300];
			snprintf(t, sizeof t, _("'%s': write CHANNEL=PCT with a whole "
				 "percentage 0..100"), tok);
			app_message(a, MSG_ERROR, t);
			free(w);
			return;
		}
		*eq = '\0';
		size_t k = 0;
		while (k < n && strcmp(w[k].channel_id, tok) != 0)
			k++;
		if (k == n) {
			char t[300];
			/* TRANSLATORS: a channel id, a route group id */
			snprintf(t, sizeof t, _("%s is not a member of %s"), tok, rt->id);
			app_message(a, MSG_ERROR, t);
			free(w);
			return;
		}
		w[k].weight_pct = (int)pct;
		any = true;
	}
	if (!any) {
		app_message(a, MSG_ERROR, _("usage: :reroute GROUP CHANNEL=PCT ... "
			    "(or :reroute alone in the Routes pane: the editor)"));
		free(w);
		return;
	}
	flow_reroute(a->flow, rt->id, w, n, 0);
	free(w);
}

/* :resolve HOW: the resolve mark of that name ("write off" or write_off). */
static void run_resolve(app *a, const char *how)
{
	char name[64];
	int n = snprintf(name, sizeof name, "resolve_%s", how);
	for (int i = 8; i < n && name[i]; i++)
		if (name[i] == ' ')
			name[i] = '_';
	const cmd_def *d = n > 0 && (size_t)n < sizeof name ? cmd_find(name) : NULL;
	if (!d || strncmp(d->name, "resolve_", 8) != 0) {
		char t[300];
		text_sanitize(how, (size_t)-1, name, sizeof name);
		snprintf(t, sizeof t, _("resolve: no way '%s' (match, adjust, write_off, "
			 "escalate, investigate, reopen, assign)"), name);
		app_message(a, MSG_ERROR, t);
		return;
	}
	app_dispatch(a, d->id, true);
}

/* :sort COLUMN [asc|desc]: the column by its name (sort_col_names). */
static void run_sort(app *a, const char *args)
{
	const view_class *vc = app_cur_class(a);
	void *v = a->views[a->cur];
	table *t = vc->table ? vc->table(v) : NULL;
	char col[64] = "", dir[16] = "", extra[2] = "";
	int n = sscanf(args, "%63s %15s %1s", col, dir, extra);
	bool desc = false;
	if (n >= 2 && strcmp(dir, "desc") == 0)
		desc = true;
	else if (n >= 2 && strcmp(dir, "asc") != 0)
		n = 0;
	int c = t && n >= 1 && n <= 2 ? table_col_by_name(t, col) : -1;
	if (!t || c < 0 || !vc->sort_by || !vc->sort_by(v, c, desc)) {
		char names[400] = "", one[64], msg[600];
		size_t len = 0;
		for (int i = 0; t && i < table_ncols(t) && len < sizeof names; i++) {
			table_col_name(t, i, one, sizeof one);
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
						len ? ", " : "", one);
		}
		text_sanitize(col, (size_t)-1, one, sizeof one);
		snprintf(msg, sizeof msg, _("sort: no column '%s' to sort by here "
			 "(usage: :sort COLUMN [asc|desc]; columns: %s)"), one, names);
		app_message(a, MSG_ERROR, msg);
		return;
	}
	a->dirty |= DIRTY_BODY;
}

static void run_args(app *a, const cmd_def *d, const char *args)
{
	if (app_refuse(a, d->id))
		return;
	act_channel_verb verb;
	if (channel_verb(d->id, &verb)) {
		run_channel(a, d, verb, args);
		return;
	}
	switch (d->id) {
	case ACT_REROUTE:
		run_reroute(a, args);
		return;
	case ACT_RESOLVE:
		run_resolve(a, args);
		return;
	case ACT_SORT:
		run_sort(a, args);
		return;
	case ACT_FILTER: {
		const view_class *vc = app_cur_class(a);
		if (!vc->set_filter) {
			app_message(a, MSG_WARN, _("this pane has no filter"));
			return;
		}
		vc->set_filter(a->views[a->cur], args);
		a->dirty |= DIRTY_BODY;
		app_show_note(a);
		return;
	}
	default:
		usage(a, d); /* arguments the registry names but nothing reads */
		return;
	}
}

void app_run_command(app *a, const char *line)
{
	cmd_line cl;
	char t[CMD_LINE_MAX + 80], name[128];
	switch (cmd_parse(line, &cl)) {
	case CMD_PARSE_EMPTY:
		return;
	case CMD_PARSE_UNKNOWN: {
		int v = view_find(cl.name);
		if (v >= 0) {
			app_switch_view(a, v);
			return;
		}
		text_sanitize(cl.name, (size_t)-1, name, sizeof name);
		snprintf(t, sizeof t, _("unknown command '%s' (Tab lists them; ? for keys)"),
			 name);
		app_message(a, MSG_ERROR, t);
		return;
	}
	case CMD_PARSE_NO_ARGS:
		snprintf(t, sizeof t, _("%s takes no arguments"), cl.cmd->name);
		app_message(a, MSG_ERROR, t);
		return;
	case CMD_PARSE_OK:
		break;
	}
	if (cl.args[0])
		run_args(a, cl.cmd, cl.args);
	else
		app_dispatch(a, cl.cmd->id, true);
}

/* :sites: each site's state, error and data age. */
void app_sites(app *a)
{
	char t[512];
	int len = 0;
	time_t now = time(NULL);
	size_t n = sync_site_count(a->sy);
	for (size_t i = 0; i < n && len < (int)sizeof t; i++) {
		const sync_site_info *si = sync_site(a->sy, i);
		char age[32] = "", data[64];
		if (si->last_ok) {
			time_format_age(now - si->last_ok, age, sizeof age);
			/* TRANSLATORS: :sites, the age of a site's data ("12s old") */
			snprintf(data, sizeof data, _("%s old"), age);
		} else {
			snprintf(data, sizeof data, "%s", _("never"));
		}
		/* TRANSLATORS: :sites, one site: separator, * for the active one,
		 * its name, its state (up...), its data's age, ": " and its error */
		len += snprintf(t + len, sizeof t - (size_t)len, _("%s%s%s %s, data %s%s%s"),
				i ? "; " : "", i == sync_active_site(a->sy) ? "*" : "",
				si->name,
				si->state == SITE_UP ? _("up") : si->state == SITE_CONNECTING ?
				_("connecting") : _("FAILING"),
				data,
				si->error[0] && si->state != SITE_UP ? ": " : "",
				si->error[0] && si->state != SITE_UP ? si->error : "");
	}
	if (n == 0)
		snprintf(t, sizeof t, "%s", _("no sites configured"));
	time_t at = 0;
	const char *no = sync_notice(a->sy, &at);
	if (no && *no && len < (int)sizeof t)
		snprintf(t + len, sizeof t - (size_t)len, _("  | last failover: %s"), no);
	app_message(a, MSG_INFO, t);
}

/* Arguments: channel ids, then a channel's interfaces; route groups, then
 * "CHANNEL=" of their members. */
static void complete_args(app *a, const char *line, size_t word_start,
			  cmdline_cands *out)
{
	char cmd[32] = "", first[256] = "";
	int words = 0;
	const char *p = line;
	while (p < line + word_start) {
		while (p < line + word_start && *p == ' ')
			p++;
		if (p >= line + word_start)
			break;
		const char *e = p;
		while (e < line + word_start && *e != ' ')
			e++;
		if (words == 0)
			snprintf(cmd, sizeof cmd, "%.*s", (int)(e - p), p);
		else if (words == 1)
			snprintf(first, sizeof first, "%.*s", (int)(e - p), p);
		words++;
		p = e;
	}
	const cmd_def *d = cmd_find(cmd);
	keymap_action id = d ? d->id : ACT_NONE;
	bool chan = channel_verb(id, NULL);
	if (chan && words == 1) {
		for (size_t i = 0; i < store_channel_count(a->st); i++)
			cmdline_add_candidate(out, store_channel_at(a->st, i)->id);
	} else if (chan && words == 2) {
		const api_channel *c = store_channel_find(a->st, first);
		for (size_t i = 0; c && i < c->n_interfaces; i++)
			cmdline_add_candidate(out, c->interfaces[i].name);
	} else if (id == ACT_RESOLVE && words == 1) {
		for (size_t i = 0; i < cmd_count(); i++) {
			const char *n = cmd_at(i)->name;
			if (strncmp(n, "resolve_", 8) == 0)
				cmdline_add_candidate(out, n + 8);
		}
	} else if (id == ACT_SORT && (words == 1 || words == 2)) {
		const view_class *vc = app_cur_class(a);
		table *t = vc->table ? vc->table(a->views[a->cur]) : NULL;
		char name[64];
		for (int i = 0; words == 1 && t && i < table_ncols(t); i++) {
			table_col_name(t, i, name, sizeof name);
			cmdline_add_candidate(out, name);
		}
		if (words == 2) {
			cmdline_add_candidate(out, "asc");
			cmdline_add_candidate(out, "desc");
		}
	} else if (id == ACT_REROUTE && words == 1) {
		for (size_t i = 0; i < store_route_count(a->st); i++)
			cmdline_add_candidate(out, store_route_at(a->st, i)->id);
	} else if (id == ACT_REROUTE && words >= 2) {
		const api_route *r = store_route_find(a->st, first);
		for (size_t i = 0; r && i < r->n_members; i++) {
			char t[300];
			snprintf(t, sizeof t, "%s=", r->members[i].channel_id);
			cmdline_add_candidate(out, t);
		}
	}
}

void app_complete(void *ctx, const char *line, size_t word_start,
		  cmdline_cands *out)
{
	if (word_start != 0) {
		complete_args(ctx, line, word_start, out);
		return;
	}
	for (int i = 0; i < VIEW_COUNT; i++)
		cmdline_add_candidate(out, view_classes[i]->name);
	for (size_t i = 0; i < cmd_count(); i++)
		cmdline_add_candidate(out, cmd_at(i)->name);
}
