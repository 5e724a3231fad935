/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/keys.c: keys to commands. A key goes to what has the keyboard: the
 * dialog (its own key table), the `:` or `/` line, the help screen, or the
 * pane, looked up in the key table of the pane's mode (term/keymap.h).
 * The command it is bound to runs here when it is the app's (panes, help,
 * pause, quit, ...) and in the pane otherwise. */
#include <stdio.h>
#include <string.h>

#include "tui/app_int.h"

keymap_mode app_mode(const app *a)
{
	if (a->help_open)
		return KEYMAP_NORMAL;
	const view_class *vc = app_cur_class(a);
	return vc->mode ? vc->mode(a->views[a->cur]) : KEYMAP_NORMAL;
}

void app_set_paused(app *a, bool p)
{
	char t[160], k[32] = "p";
	wint_t ch;
	bool kc;
	if (keymap_first_key(ACT_PAUSE, &ch, &kc))
		keymap_key_format(ch, kc, k, sizeof k);
	a->paused = p;
	if (p)
		/* TRANSLATORS: %s is the key that resumes (p) */
		snprintf(t, sizeof t, _("updates paused: the screen stands still "
			 "(%s resumes)"), k);
	else
		snprintf(t, sizeof t, "%s", _("updates resumed"));
	app_message(a, MSG_INFO, t);
	a->dirty |= DIRTY_STATUS | DIRTY_BODY;
}

void app_open_help(app *a)
{
	a->help_open = true;
	help_refresh(a->help);
	a->dirty = DIRTY_ALL;
	a->full = true;
}

void app_refresh(app *a)
{
	if (a->sy)
		sync_refresh_now(a->sy);
	app_message(a, MSG_INFO, _("refreshing everything now"));
}

/* A write command is unavailable in read-only mode, or when the token
 * has none of the scopes the registry says it needs. */
const char *app_why_not(void *ctx, keymap_action act)
{
	app *a = ctx;
	static char why[200];
	if (!(cmd_flags(act) & CMD_WRITE))
		return NULL;
	if (a->ro_why[0])
		return a->ro_why;
	const api_me *me = store_me(a->st);
	unsigned need = cmd_scopes(act);
	if (me && need && !(me->scopes & need)) {
		char s[120];
		cmd_scope_text(act, s, sizeof s);
		/* TRANSLATORS: %s is a scope such as channels:write */
		snprintf(why, sizeof why, _("token lacks %s"), s);
		return why;
	}
	return NULL;
}

/* The app's own commands; false for the pane's. */
static bool app_command(app *a, keymap_action act)
{
	const view_class *vc = app_cur_class(a);
	void *v = a->views[a->cur];
	switch (act) {
	case ACT_NONE:
		return true;
	case ACT_VIEW_1: case ACT_VIEW_2: case ACT_VIEW_3: case ACT_VIEW_4:
	case ACT_VIEW_5: case ACT_VIEW_6: case ACT_VIEW_7: case ACT_VIEW_8:
		app_switch_view(a, (int)(act - ACT_VIEW_1));
		return true;
	case ACT_VIEW_9:
		app_switch_view(a, 8);
		return true;
	case ACT_NEXT_VIEW:
		app_switch_view(a, (a->cur + 1) % VIEW_COUNT);
		return true;
	case ACT_PREV_VIEW:
		app_switch_view(a, (a->cur + VIEW_COUNT - 1) % VIEW_COUNT);
		return true;
	case ACT_FILTER:
		if (!vc->set_filter) {
			app_message(a, MSG_WARN, _("this pane has no filter"));
			return true;
		}
		snprintf(a->flt_saved, sizeof a->flt_saved, "%s", vc->filter(v));
		cmdline_open(a->flt, a->flt_saved);
		a->dirty |= DIRTY_MSG | DIRTY_HINTS;
		return true;
	case ACT_COMMAND:
		cmdline_open(a->cmd, NULL);
		a->dirty |= DIRTY_MSG | DIRTY_HINTS;
		return true;
	case ACT_HELP:
		app_open_help(a);
		return true;
	case ACT_REDRAW:
		term_repaint_all();
		a->dirty = DIRTY_ALL;
		a->full = true;
		return true;
	case ACT_REFRESH:
		app_refresh(a);
		return true;
	case ACT_PAUSE:
		app_set_paused(a, !a->paused);
		return true;
	case ACT_QUIT:
		ev_stop(a->ev);
		return true;
	case ACT_SITES:
		app_sites(a);
		return true;
	default:
		return false;
	}
}

/* A write command that cannot run (read-only, scope) is refused with the
 * reason before the pane sees it: no editor, menu or dialog opens. */
bool app_refuse(app *a, keymap_action act)
{
	if (!app_why_not(a, act))
		return false;
	char msg[400];
	if (a->ro_why[0]) {
		/* TRANSLATORS: a command name; why the console is read-only */
		snprintf(msg, sizeof msg, _("%s: unavailable in %s; nothing opened "
			 "or sent"), cmd_name(act), a->ro_why);
	} else {
		char s[120];
		cmd_scope_text(act, s, sizeof s);
		/* TRANSLATORS: a command name; a scope such as channels:write */
		snprintf(msg, sizeof msg, _("%s: needs scope %s, which the token "
			 "lacks; nothing opened or sent"), cmd_name(act), s);
	}
	app_message(a, MSG_WARN, msg);
	return true;
}

void app_dispatch(app *a, keymap_action act, bool from_line)
{
	if (app_command(a, act) || app_refuse(a, act))
		return;
	const view_class *vc = app_cur_class(a);
	void *v = a->views[a->cur];
	if (vc->action(v, act) == VIEW_HANDLED) {
		a->dirty |= DIRTY_HINTS;
		return;
	}
	if (act == ACT_BACK && vc->filter && vc->filter(v)[0]) {
		vc->set_filter(v, ""); /* Esc with nothing to close: drop the filter */
		app_message(a, MSG_INFO, _("filter cleared"));
		return;
	}
	const cmd_def *d = cmd_get(act);
	if (!d || (!(d->flags & CMD_WRITE) && !from_line))
		return; /* a key that means nothing here says nothing */
	char msg[400];
	if (from_line && d->args)
		/* TRANSLATORS: command name; its name again and its arguments */
		snprintf(msg, sizeof msg, _("%s: not available in this pane "
			 "(usage: :%s %s)"), d->name, d->name, d->args);
	else
		snprintf(msg, sizeof msg, app_mode(a) == KEYMAP_NORMAL ?
			 /* TRANSLATORS: %s is a command name */
			 _("%s: not available in this pane") :
			 _("%s: not available in this pane or mode"), d->name);
	app_message(a, MSG_WARN, msg);
}

/* `?` takes the navigation keys to scroll; its own key, back or quit
 * close it; panes, pause, redraw and `:` work through it. */
static void help_key(app *a, keymap_action act)
{
	if (act == ACT_BACK || act == ACT_HELP || act == ACT_QUIT) {
		a->help_open = false;
		a->dirty = DIRTY_ALL;
		a->full = true;
		return;
	}
	if (help_handle(a->help, act))
		return;
	if (act == ACT_REDRAW || act == ACT_PAUSE || act == ACT_COMMAND ||
	    (act >= ACT_VIEW_1 && act <= ACT_PREV_VIEW) || act == ACT_VIEW_9)
		app_dispatch(a, act, false);
}

static void cmdline_key(app *a, wint_t ch, bool is_key_code)
{
	cmdline_result r = cmdline_feed(a->cmd, ch, is_key_code);
	a->dirty |= DIRTY_MSG | DIRTY_HINTS; /* the hints show Tab's matches */
	if (r == CMDLINE_ACCEPTED || r == CMDLINE_CANCELLED) {
		msgline_clear(&a->msg);
		if (r == CMDLINE_ACCEPTED) {
			char line[CMDLINE_MAX];
			snprintf(line, sizeof line, "%s", cmdline_text(a->cmd));
			app_run_command(a, line);
		}
	}
}

static void filter_key(app *a, wint_t ch, bool is_key_code)
{
	cmdline_result r = cmdline_feed(a->flt, ch, is_key_code);
	a->dirty |= DIRTY_MSG;
	if (r == CMDLINE_CANCELLED) {
		a->flt_pending = false;
		app_cur_class(a)->set_filter(a->views[a->cur], a->flt_saved);
		a->dirty |= DIRTY_BODY | DIRTY_HINTS;
		msgline_clear(&a->msg);
	} else if (r == CMDLINE_ACCEPTED) {
		app_filter_apply(a); /* the note below tells its count */
		a->dirty |= DIRTY_HINTS;
		msgline_clear(&a->msg);
		app_show_note(a);
	}
}

void app_key(app *a, wint_t ch, bool is_key_code)
{
	a->key_seen = true;
	if (is_key_code && ch == KEY_RESIZE)
		return; /* SIGWINCH does the work */
	if (is_key_code && ch == KEY_MOUSE) {
		app_mouse(a);
		return;
	}
	if (confirm_active(a->box)) {
		if (confirm_feed(a->box, ch, is_key_code) || !confirm_active(a->box)) {
			a->dirty = DIRTY_ALL;
			a->full = true;
		}
		return;
	}
	if (cmdline_active(a->cmd)) {
		cmdline_key(a, ch, is_key_code);
		return;
	}
	if (cmdline_active(a->flt)) {
		filter_key(a, ch, is_key_code);
		return;
	}
	if (a->help_open) {
		help_key(a, keymap_lookup(ch, is_key_code));
		return;
	}
	const view_class *vc = app_cur_class(a);
	void *v = a->views[a->cur];
	keymap_mode m = app_mode(a);
	if (m != KEYMAP_NORMAL) {
		/* a mode takes every key: its table's, else the pane's own */
		keymap_action act = keymap_lookup_in(m, ch, is_key_code);
		if (act != ACT_NONE)
			app_dispatch(a, act, false);
		else if (vc->key)
			vc->key(v, ch, is_key_code);
		a->dirty |= DIRTY_HINTS;
		return;
	}
	if (vc->key && vc->key(v, ch, is_key_code) == VIEW_HANDLED) {
		a->dirty |= DIRTY_HINTS;
		return;
	}
	app_dispatch(a, keymap_lookup(ch, is_key_code), false);
}
