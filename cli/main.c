/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/main.c: which command runs (`payops get`, `payops channel`,
 * `payops route`, `payops patrol`). */
#include <string.h>

#include "cli/cli_int.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "get", cli_get },
	{ "channel", cli_channel },
	{ "route", cli_route },
	{ "patrol", cli_patrol },
	{ "break", cli_queue_act },
	{ "case", cli_queue_act },
	{ "limit", cli_queue_act },
	{ "approval", cli_approval },
	{ "report", cli_report },
};

bool cli_is_command(const char *word)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, word) == 0)
			return true;
	return false;
}

int cli_main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, argv[0]) == 0)
			return commands[i].run(argc, argv);
	return CLI_EXIT_USAGE;
}
