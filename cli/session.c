/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli/session.c: the configuration, token and platform connection of one
 * command: the console's syncer, driven until the data asked for is in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "cli/cli_int.h"

int cli_session_load(cli_session *s, const char *config, const char *cmd)
{
	memset(s, 0, sizeof *s);
	cfg_defaults(&s->cfg);
	s->cfg_ok = true;
	char searched[2048], err[512];
	char *path = cfg_find(config, searched, sizeof searched);
	if (!path) {
		fprintf(stderr, _("payops %s: no configuration file (looked at %s)\n"),
			cmd, searched);
		return CLI_EXIT_CONFIG;
	}
	cfg_errors errs = { 0 };
	int rc = cfg_load(path, &s->cfg, &errs);
	if (rc != 0 || errs.n) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		fprintf(stderr, _("payops %s: %s has errors; fix them first "
			"('payops --check-config' lists them)\n"), cmd, path);
		cfg_errors_free(&errs);
		free(path);
		return CLI_EXIT_CONFIG;
	}
	cfg_errors_free(&errs);
	free(path);
	s->token = cfg_read_token(&s->cfg, err, sizeof err);
	if (!s->token) {
		fprintf(stderr, "payops %s: %s\n", cmd, err);
		return CLI_EXIT_CONFIG;
	}
	return 0;
}

int cli_session_connect(cli_session *s)
{
	http_opts ho = {
		.ca_file = s->cfg.ca_file, .client_cert = s->cfg.client_cert,
		.client_key = s->cfg.client_key,
	};
	s->ev = ev_new();
	s->st = store_new();
	if (s->ev)
		s->http = http_new(s->ev, &ho);
	if (s->http && s->st)
		s->sy = sync_new(s->ev, s->http, s->st, &s->cfg, s->token);
	if (!s->sy) {
		fputs(_("payops: out of memory setting up\n"), stderr);
		return CLI_EXIT_CONFIG;
	}
	return 0;
}

static bool all_in(cli_session *s)
{
	for (size_t i = 0; i < s->n_want; i++) {
		const store_meta *m = store_meta_get(s->st, s->want[i]);
		if (m->from_cache || m->fetched_at < s->since)
			return false;
	}
	return true;
}

static void on_changed(void *ctx)
{
	cli_session *s = ctx;
	if (!s->done && all_in(s)) {
		s->done = true;
		ev_stop(s->ev);
	}
}

static void on_deadline(void *ctx)
{
	cli_session *s = ctx;
	s->timed_out = true;
	ev_stop(s->ev);
}

int cli_fetch(cli_session *s, const store_coll *want, size_t n, long timeout_ms,
	      char *err, size_t errsz)
{
	s->want = want;
	s->n_want = n;
	s->since = time(NULL);
	s->done = s->timed_out = false;
	err[0] = '\0';
	sync_set_listener(s->sy, on_changed, s);
	ev_timer_id t = ev_timer_add(s->ev, timeout_ms, on_deadline, s);
	sync_start(s->sy);
	while (!s->done && !s->timed_out)
		if (ev_run(s->ev) != 0)
			break;
	ev_timer_cancel(s->ev, t);
	sync_set_listener(s->sy, NULL, NULL);
	if (s->done)
		return 0;
	/* say why: the sites first, then the collections */
	size_t used = 0;
	for (size_t i = 0; i < sync_site_count(s->sy) && used + 1 < errsz; i++) {
		const sync_site_info *si = sync_site(s->sy, i);
		if (si->state != SITE_UP && si->error[0])
			used += (size_t)snprintf(err + used, errsz - used, "%s%s: %s",
						 used ? "; " : "", si->name, si->error);
	}
	for (size_t i = 0; i < n && used + 1 < errsz; i++) {
		const store_meta *m = store_meta_get(s->st, want[i]);
		if (m->error[0])
			used += (size_t)snprintf(err + used, errsz - used, "%s%s",
						 used ? "; " : "", m->error);
	}
	if (!used)
		snprintf(err, errsz, _("no answer within %ld s"), timeout_ms / 1000);
	return -1;
}

static void on_poll(void *ctx)
{
	ev_stop(((cli_session *)ctx)->ev);
}

int cli_fetch_history(cli_session *s, long timeout_ms)
{
	size_t n = store_channel_count(s->st);
	for (size_t i = 0; i < n; i++)
		sync_want_history(s->sy, store_channel_at(s->st, i)->id);
	int64_t end = ev_now_ms() + timeout_ms;
	for (;;) {
		size_t seeded = 0;
		for (size_t i = 0; i < n; i++)
			seeded += store_trend_seeded(s->st, store_channel_at(s->st, i)->id);
		if (seeded == n)
			return 0;
		if (ev_now_ms() >= end)
			return -1;
		ev_timer_add(s->ev, 100, on_poll, s);
		if (ev_run(s->ev) != 0)
			return -1;
	}
}

void cli_session_free(cli_session *s)
{
	if (s->sy)
		sync_free(s->sy);
	if (s->http)
		http_free(s->http);
	if (s->st)
		store_free(s->st);
	if (s->ev)
		ev_free(s->ev);
	if (s->token) {
		memset(s->token, 0, strlen(s->token));
		free(s->token);
	}
	if (s->cfg_ok)
		cfg_free(&s->cfg);
	memset(s, 0, sizeof *s);
}

/* Levenshtein distance, small words only. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t d[64], prev;
	for (size_t j = 0; j <= lb; j++)
		d[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = d[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t m = d[j] + 1 < d[j - 1] + 1 ? d[j] + 1 : d[j - 1] + 1;
			d[j] = sub < m ? sub : m;
			prev = cur;
		}
	}
	return d[lb];
}

const char *cli_nearest(const char *w, const char *const *words)
{
	const char *best = words[0];
	size_t bd = (size_t)-1;
	for (size_t i = 0; words[i]; i++) {
		/* a prefix of a valid word is as near as it gets */
		size_t d = strncmp(words[i], w, strlen(w)) == 0 ? 0 : distance(w, words[i]);
		if (d < bd) {
			bd = d;
			best = words[i];
		}
	}
	return best;
}

int cli_unknown(const char *cmd, const char *what, const char *w,
		const char *const *words)
{
	fprintf(stderr, _("payops %s: unknown %s '%s' (did you mean '%s'?)\n"),
		cmd, what, w, cli_nearest(w, words));
	return CLI_EXIT_USAGE;
}
