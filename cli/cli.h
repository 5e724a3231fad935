/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/cli.h: payops from scripts: `payops get`, `payops channel`,
 * `payops route weights` and `payops patrol`, through the same sync, cache,
 * action client and audit log as the console. */
#ifndef PAYOPS_CLI_H
#define PAYOPS_CLI_H

#include <stdbool.h>

/* Exit statuses of the commands (payops(1) lists them). */
enum {
	CLI_EXIT_OK = 0,        /* done; an action: applied */
	CLI_EXIT_DOWN = 1,      /* get: the platform did not answer */
	CLI_EXIT_USAGE = 2,     /* bad command line: nothing was sent */
	CLI_EXIT_CONFIG = 3,    /* configuration, token, audit log or cache */
	CLI_EXIT_PENDING = 4,   /* 202: waits for a second operator's approval */
	CLI_EXIT_REFUSED = 5,   /* the platform refused (its code on stderr) */
	CLI_EXIT_UNKNOWN = 6,   /* no answer after every try: may have been applied */
	CLI_EXIT_NOT_SENT = 7,  /* not confirmed, no terminal without --yes,
				 * read-only, scope: nothing was sent */
};

/* Whether argv[0] names one of these commands. */
bool cli_is_command(const char *word);
/* argv[0] is the command ("get"); returns the exit status. */
int cli_main(int argc, char **argv);

#endif
