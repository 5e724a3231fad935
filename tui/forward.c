/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/forward.c: forwarding of the audit rows (syslog or TCP) from the
 * event loop: never blocking, its failures said once on the message line
 * and the rows sent later from the log. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "tui/app_int.h"

static void on_fwd_io(void *ctx, int fd, short revents)
{
	(void)fd;
	app_fwd_pump(ctx, revents);
}

static void on_fwd_timer(void *ctx)
{
	app *a = ctx;
	a->fwd_timer = 0;
	app_fwd_pump(a, 0);
}

#define FWD_IDLE_MS 5000 /* rows other writers (Alerts) appended */

void app_fwd_pump(app *a, short revents)
{
	if (!a->fwd)
		return;
	audit_fwd_pump(a->fwd, revents);
	a->dirty |= DIRTY_STATUS; /* the forwarding lag may have changed */
	const char *e = audit_fwd_error(a->fwd);
	if (e && *e && strcmp(e, a->fwd_err) != 0) {
		char t[400];
		snprintf(a->fwd_err, sizeof a->fwd_err, "%s", e);
		/* TRANSLATORS: the destination, the error */
		snprintf(t, sizeof t, _("audit forwarding to %s: %s (rows are kept and "
			 "sent later)"), a->cfg->audit_forward, e);
		app_message(a, MSG_WARN, t);
	} else if ((!e || !*e) && a->fwd_err[0] && audit_fwd_pending(a->fwd) == 0) {
		a->fwd_err[0] = '\0';
		app_message(a, MSG_OK, _("audit forwarding works again"));
	}
	short ev = 0;
	int fd = audit_fwd_pollfd(a->fwd, &ev);
	if (fd != a->fwd_fd || ev != a->fwd_events) {
		if (a->fwd_fd >= 0)
			ev_io_del(a->ev, a->fwd_fd);
		a->fwd_fd = -1;
		if (fd >= 0 && ev_io_set(a->ev, fd, ev, on_fwd_io, a) == 0)
			a->fwd_fd = fd;
		a->fwd_events = ev;
	}
	int ms = audit_fwd_timeout_ms(a->fwd);
	if (ms < 0 || ms > FWD_IDLE_MS)
		ms = FWD_IDLE_MS;
	if (a->fwd_timer)
		ev_timer_cancel(a->ev, a->fwd_timer);
	a->fwd_timer = ev_timer_add(a->ev, ms, on_fwd_timer, a);
}

void app_fwd_open(app *a)
{
	const char *dest = a->cfg->audit_forward;
	if (!dest || !*dest || !a->audit)
		return;
	if (strcmp(dest, "syslog") == 0)
		dest = "unix:///dev/log";
	struct audit_fwd_tls tls = { a->cfg->ca_file, a->cfg->client_cert, a->cfg->client_key };
	if (audit_fwd_open_tls(a->audit, dest, &tls, &a->fwd) != 0) {
		char t[300];
		a->fwd = NULL;
		snprintf(t, sizeof t, _("audit forwarding to %s could not start; the "
			 "local log still records everything"), dest);
		app_message(a, MSG_WARN, t);
		return;
	}
	app_fwd_pump(a, 0);
}
