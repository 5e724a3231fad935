/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/demo.h: `payops --demo`: run payops-sim beside the console.
 *
 * The simulator listens on a free 127.0.0.1 port with a token generated for
 * this run (written to a 0600 file in a private 0700 directory); the console
 * gets a built-in configuration with one site "demo" pointing at it. The
 * simulator is stopped (SIGTERM, then waited for) and the directory removed
 * on every exit path. */
#ifndef PAYOPS_TUI_DEMO_H
#define PAYOPS_TUI_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct {
	pid_t pid;          /* the simulator, 0 when not running */
	char dir[256];      /* private temp dir, "" when none */
	char url[128];      /* "http://127.0.0.1:PORT" */
	char token[65];     /* bearer token (hex) */
	char sim_path[4096];/* the payops-sim that was started */
} demo_sim;

/* Start the simulator with the extra arguments sim_argv[0..sim_argc-1] and
 * wait (at most timeout_ms) for its "listening on" line. 0 on success; -1
 * with a message in err (everything started is already stopped). */
int demo_start(demo_sim *d, int sim_argc, char **sim_argv, int timeout_ms,
	       char *err, size_t errsz);
/* The simulator exited by itself: reap it; true (with a description of how
 * it ended in msg) when it had. Call from a SIGCHLD handler. */
bool demo_reap(demo_sim *d, char *msg, size_t msgsz);
/* Stop the simulator (SIGTERM, bounded wait, then SIGKILL) and remove the
 * temp directory. Safe to call twice. */
void demo_stop(demo_sim *d);

/* Where payops-sim would be run from (for --paths): next to this program,
 * else $PAYOPS_BINDIR, else the PATH. malloc'd, or NULL. */
char *demo_find_sim(void);

#endif
