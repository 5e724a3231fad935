/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/signals.c: signals to app events, through the loop's self-pipe. */
#include "tui/signals.h"

#include <signal.h>

static app_sig_fn sig_fn;
static void *sig_ctx;

static void sig_forward(void *ctx, int signo)
{
	(void)ctx;
	if (!sig_fn)
		return;
	switch (signo) {
	case SIGWINCH: sig_fn(sig_ctx, APP_SIG_RESIZE); break;
	case SIGCHLD: sig_fn(sig_ctx, APP_SIG_CHILD); break;
	default: sig_fn(sig_ctx, APP_SIG_QUIT); break;
	}
}

int app_signals_add(ev_loop *ev, bool child, app_sig_fn fn, void *ctx)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP };
	int rc = 0;
	sig_fn = fn;
	sig_ctx = ctx;
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (ev_signal_add(ev, sigs[i], sig_forward, NULL) != 0)
			rc = -1;
	if (child && ev_signal_add(ev, SIGCHLD, sig_forward, NULL) != 0)
		rc = -1;
	return rc;
}
