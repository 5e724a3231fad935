/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/cli_int.h: what the command files of cli/ share. */
#ifndef PAYOPS_CLI_INT_H
#define PAYOPS_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "actions/actions.h"
#include "base/ev.h"
#include "cache/cache.h"
#include "cli/cli.h"
#include "config/config.h"
#include "net/http.h"
#include "store/store.h"
#include "sync/sync.h"

/* One command's connection to the platform: the configuration, the token,
 * the loop, the store and the syncer (which owns the cache). */
typedef struct {
	cfg_config cfg;
	bool cfg_ok;
	char *token;
	ev_loop *ev;
	http_client *http;
	store *st;
	syncer *sy;
	/* cli_fetch */
	const store_coll *want;
	size_t n_want;
	time_t since;
	bool done, timed_out;
} cli_session;

/* Load the configuration (path NULL: the usual search) and the token.
 * 0, or CLI_EXIT_CONFIG with the reason on stderr. */
int cli_session_load(cli_session *s, const char *config, const char *cmd);
/* The loop, HTTP, the store and the syncer with its cache. 0, or
 * CLI_EXIT_CONFIG. */
int cli_session_connect(cli_session *s);
/* Start the sync and drive the loop until each collection in want has been
 * fetched from the platform after now, or timeout_ms passed. 0 when all
 * came, -1 otherwise (err: what failed, from the sites and the store). */
int cli_fetch(cli_session *s, const store_coll *want, size_t n, long timeout_ms,
	      char *err, size_t errsz);
void cli_session_free(cli_session *s);

/* The valid word nearest to w (edit distance), for "did you mean". */
const char *cli_nearest(const char *w, const char *const *words);
/* "payops CMD: unknown KIND 'w' (did you mean 'x'?)" and CLI_EXIT_USAGE. */
int cli_unknown(const char *cmd, const char *what, const char *w,
		const char *const *words);


/* ---- actions (cli/act.c) ---- */
typedef struct {
	const char *config, *reason, *ticket, *iface, *expires;
	const char *action, *ref, *amount, *assignee, *warn_at;
	bool yes;
	const char *pos[64];
	int npos;
} cli_act_args;
/* The options of every action; other words go to pos. 0, 1 after --help,
 * -1 a usage error (said). */
int cli_act_parse(int argc, char **argv, cli_act_args *a, const char *cmd,
		  const char *usage);
/* CLI_EXIT_USAGE (said) without a reason, else 0. */
int cli_need_reason(const cli_act_args *a, const char *cmd);
/* Says the version the effect was read at (what If-Match will carry),
 * then asks: confirmed (0: --yes, the typed id, or y on the terminal),
 * else CLI_EXIT_NOT_SENT (said). */
int cli_confirm(const cli_act_args *a, const char *cmd, long long version,
		const char *type_id, const char *question);
/* After cli_fetch of the channels: their trend history (/history), for
 * at most timeout_ms; -1 when some did not come. */
int cli_fetch_history(cli_session *s, long timeout_ms);
/* The session, with the collections in want fetched from the platform. */
int cli_connect_read(cli_session *s, const char *config, const char *cmd,
		     const store_coll *want, size_t n);

/* Send q through the action client and the audit log (via cli), say the
 * outcome; returns the exit status. */
int cli_submit(cli_session *s, const act_request *q, const char *cmd);

int cli_get(int argc, char **argv);
int cli_queue_act(int argc, char **argv);
int cli_approval(int argc, char **argv);
int cli_channel(int argc, char **argv);
int cli_route(int argc, char **argv);
int cli_patrol(int argc, char **argv);
int cli_report(int argc, char **argv);

#endif
