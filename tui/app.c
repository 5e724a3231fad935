/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/app.c: the console's life cycle: setting up the store, the sync,
 * the action client, the panes and the terminal, wiring them to the event
 * loop (input, signals, the frame hook), and taking it all down.
 *
 * Redraw model: keys, timers and the sync listener only set dirty flags;
 * the loop's before-wait hook (frame.c) draws once per iteration
 * (coalesced) through wnoutrefresh and one doupdate. A view recalculates
 * only when the store generations it reads moved. While updates are
 * paused nothing is drawn except in answer to a key, and the age timer is
 * not armed.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "tui/app_int.h"
#include "tui/signals.h"

/* ---- what the panes are given ---- */

static void env_message(void *ctx, int sev, const char *text)
{
	app_message(ctx, (msgline_severity)sev, text);
}

static void env_want_history(void *ctx, const char *id)
{
	app *a = ctx;
	if (a->sy)
		sync_want_history(a->sy, id);
}

static int env_confirm(void *ctx, const view_confirm *spec)
{
	app *a = ctx;
	if (confirm_open(a->box, spec) != 0)
		return -1;
	a->dirty = DIRTY_ALL;
	a->full = true;
	return 0;
}

static void env_changed(void *ctx)
{
	app *a = ctx;
	a->dirty |= DIRTY_BODY | DIRTY_STATUS;
	app_fwd_pump(a, 0); /* a row was probably appended */
}

static const char *site_url(void *ctx)
{
	app *a = ctx;
	return sync_active_url(a->sy);
}

static const char *site_name(void *ctx)
{
	app *a = ctx;
	if (sync_site_count(a->sy) == 0)
		return "";
	return sync_site(a->sy, sync_active_site(a->sy))->name;
}

/* ---- layout, input, signals ---- */

static void app_layout(app *a)
{
	term_size(&a->lines, &a->cols);
	a->too_small = !term_size_ok();
	widget_rect body = { 2, 0, a->lines - 4, a->cols };
	if (body.h < 1)
		body.h = 1;
	for (int i = 0; i < VIEW_COUNT; i++)
		if (a->views[i])
			view_classes[i]->set_rect(a->views[i], body);
	help_set_rect(a->help, body);
	a->dirty = DIRTY_ALL;
	a->full = true;
}

static void on_input(void *ctx, int fd, short revents)
{
	app *a = ctx;
	(void)fd;
	(void)revents;
	wint_t ch;
	int r;
	while ((r = term_read_key(&ch)) != ERR)
		app_key(a, ch, r == KEY_CODE_YES);
}

/* ---- signals ---- */

static void on_signal(void *ctx, app_sig s)
{
	app *a = ctx;
	switch (s) {
	case APP_SIG_RESIZE:
		if (term_resize()) {
			app_layout(a);
			a->key_seen = true; /* a resize is drawn even when paused */
		}
		break;
	case APP_SIG_CHILD:
		if (a->demo) {
			char msg[200];
			if (demo_reap(a->demo, msg, sizeof msg))
				app_message(a, MSG_ERROR, msg);
		}
		break;
	case APP_SIG_QUIT:
		ev_stop(a->ev);
		break;
	}
}

static void on_sync_changed(void *ctx)
{
	(void)ctx; /* the frame compares generations; nothing to do here */
}

/* ---- life cycle ---- */

static void app_free(app *a)
{
	bool all = true;
	for (int i = 0; i < VIEW_COUNT; i++)
		all = all && a->views[i];
	if (all) /* a set-up that failed half-way keeps the file as it was */
		app_sort_save(a);
	for (int i = 0; i < VIEW_COUNT; i++)
		if (a->views[i])
			view_classes[i]->destroy(a->views[i]);
	confirm_free(a->box);
	act_free(a->act);
	flow_free(a->flow);
	if (a->fwd) {
		audit_fwd_pump(a->fwd, 0); /* last chance, never blocking */
		audit_fwd_close(a->fwd);
	}
	for (size_t i = 0; i < a->n_crit; i++)
		free(a->crit_fps[i]);
	free(a->crit_fps);
	for (size_t i = 0; i < a->n_apr_seen; i++)
		free(a->apr_seen[i]);
	free(a->apr_seen);
	help_free(a->help);
	cmdline_free(a->cmd);
	cmdline_free(a->flt);
	sources_free(a->src);
	sync_free(a->sy);
	audit_close(a->audit);
	http_free(a->http);
	store_free(a->st);
	if (a->ev)
		ev_free(a->ev);
}

int app_run(const app_opts *o)
{
	app A, *a = &A;
	memset(a, 0, sizeof *a);
	a->cfg = o->cfg;
	a->demo = o->demo;
	a->cur = 1; /* Channels */
	a->cur_y = a->cur_x = -2;
	msgline_init(&a->msg);

	char err[256];
	a->ev = ev_new();
	a->st = store_new();
	a->help = help_new();
	a->cmd = cmdline_new(":", CMD_HISTORY);
	a->flt = cmdline_new("/", CMD_HISTORY);
	http_opts ho = {
		.ca_file = o->cfg->ca_file, .client_cert = o->cfg->client_cert,
		.client_key = o->cfg->client_key, .insecure = o->insecure,
	};
	a->insecure = o->insecure;
	if (a->ev)
		a->http = http_new(a->ev, &ho);
	if (a->http && a->st)
		a->sy = sync_new(a->ev, a->http, a->st, o->cfg, o->token);
	/* The audit log: every action writes to it before it is sent. One that
	 * cannot be opened leaves the console readable but unable to act. */
	char *audit_path = cfg_audit_path(o->cfg);
	if (audit_open(audit_path, &a->audit, a->audit_err, sizeof a->audit_err) != 0)
		a->audit = NULL;
	else if (o->token)
		audit_set_secret(a->audit, o->token);
	free(audit_path);
	if (a->sy) {
		sources_env se = { .ev = a->ev, .http = a->http, .st = a->st,
				   .cfg = o->cfg, .token = o->token,
				   .audit = a->audit, .message = env_message,
				   .ctx = a };
		a->src = sources_new(&se);
	}
	a->box = confirm_new(o->cfg);
	if (a->sy) {
		const char *sname = o->cfg->n_sites ? o->cfg->sites[0].name : "";
		act_identity who = { .site = sname, .base_url = site_url,
				     .site_name = site_name, .site_ctx = a,
				     .token = o->token ? o->token : "" };
		a->act = act_new(a->ev, a->http, a->audit, a->st, &who);
		if (a->act) {
			act_options ao = { .timeout_ms = o->cfg->request_timeout_ms,
					   .confirm_share = o->cfg->confirm_share };
			act_set_options(a->act, &ao);
			if (o->cfg->read_only) {
				snprintf(a->ro_why, sizeof a->ro_why, "%s", _("read-only mode"));
				act_set_read_only(a->act, a->ro_why);
			}
		}
	}
	a->fwd_fd = -1;
	if (!a->ev || !a->st || !a->help || !a->cmd || !a->flt || !a->http ||
	    !a->sy || !a->src || !a->box || !a->act) {
		fputs(_("payops: out of memory setting up\n"), stderr);
		app_free(a);
		return 1;
	}
	a->env = (view_env){ .st = a->st, .cfg = o->cfg,
			     .want_history = env_want_history,
			     .message = env_message, .confirm = env_confirm,
			     .jump = app_jump, .changed = env_changed,
			     .act = a->act, .am = sources_am(a->src),
			     .pm = sources_pm(a->src),
			     .audit = a->audit, .cache = sync_cache(a->sy),
			     .ev = a->ev, .ctx = a };
	a->flow = flow_new(&a->env);
	a->env.flow = a->flow;
	if (!a->flow) {
		fputs(_("payops: out of memory setting up\n"), stderr);
		app_free(a);
		return 1;
	}
	for (int i = 0; a->flow && i < VIEW_COUNT; i++) {
		a->views[i] = view_classes[i]->create(&a->env);
		if (!a->views[i]) {
			fputs(_("payops: out of memory setting up\n"), stderr);
			app_free(a);
			return 1;
		}
	}
	app_sort_load(a);
	help_set_why(a->help, app_why_not, a);
	cmdline_set_complete(a->cmd, app_complete, a);
	cmdline_set_on_change(a->flt, app_filter_changed, a);

	term_opts to;
	term_opts_default(&to);
	to.mouse = a->env.cfg->mouse;
	if (term_open(&to, err, sizeof err) != 0) {
		fprintf(stderr, "payops: %s\n", err);
		app_free(a);
		return 1;
	}
	ev_io_set(a->ev, term_fd(), POLLIN, on_input, a);
	if (app_signals_add(a->ev, a->demo != NULL, on_signal, a) != 0)
		app_message(a, MSG_WARN, _("some signals could not be watched"));
	ev_set_before_wait(a->ev, app_frame, a);
	sync_set_listener(a->sy, on_sync_changed, a);

	app_layout(a);
	app_message(a, MSG_INFO, _("connecting...   ? shows the keys, q quits"));
	if (!a->audit)
		app_message(a, MSG_ERROR, a->audit_err);
	app_fwd_open(a);
	sync_keep_headlines(a->sy, true);
	sync_start(a->sy);
	sources_start(a->src);
	int rc = ev_run(a->ev);

	term_close();
	app_free(a);
	return rc == 0 ? 0 : 1;
}

