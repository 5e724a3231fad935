/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/signals.h: the signals the console answers, delivered through the
 * event loop. (Kept apart from app.c: <signal.h> pulls in <unistd.h>,
 * whose sync() clashes with the sync module's type name.) */
#ifndef PAYOPS_TUI_SIGNALS_H
#define PAYOPS_TUI_SIGNALS_H

#include <stdbool.h>

#include "base/ev.h"

typedef enum {
	APP_SIG_RESIZE,   /* SIGWINCH */
	APP_SIG_CHILD,    /* SIGCHLD */
	APP_SIG_QUIT,     /* SIGTERM, SIGINT, SIGHUP */
} app_sig;

typedef void (*app_sig_fn)(void *ctx, app_sig s);

/* Route SIGWINCH, SIGTERM, SIGINT, SIGHUP (and SIGCHLD when child) to fn.
 * One set per process. 0, or -1 when a signal could not be added. */
int app_signals_add(ev_loop *ev, bool child, app_sig_fn fn, void *ctx);

#endif
