/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/app.h: the console: one event loop over the terminal, the HTTP
 * sockets and timers, and the signals; the screen drawn once per loop
 * iteration from dirty flags. */
#ifndef PAYOPS_TUI_APP_H
#define PAYOPS_TUI_APP_H

#include <stdbool.h>

#include "config/config.h"
#include "tui/demo.h"

typedef struct {
	const cfg_config *cfg;
	const char *token;    /* bearer token (never shown) */
	demo_sim *demo;       /* the simulator of --demo, or NULL */
	bool insecure;        /* --insecure: TLS not verified; only from the command line */
} app_opts;

/* Run until the operator quits or a signal ends it. Returns the exit
 * status (0, or 1 when the terminal could not be set up). */
int app_run(const app_opts *o);

#endif
