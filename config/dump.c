/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/dump.c: the effective configuration as YAML, and the list of files
 * the console touches. Neither ever prints the token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config_int.h"

#include "base/duration.h"

/* Plain when it cannot be misread as another type or as YAML syntax. */
static bool plain_ok(const char *s)
{
	static const char *const words[] = { "null", "~", "true", "false",
					     "yes", "no", "on", "off", "y",
					     "n" };
	if (!*s)
		return false;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcasecmp(s, words[i]))
			return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      s[0] == '/'))
		return false;
	for (const char *p = s; *p; p++) {
		char ch = *p;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
			  ch == '.' || ch == '/' ||
			  (ch == ':' && p[1] != ' ' && p[1] != '\0');
		if (!ok)
			return false;
	}
	return true;
}

static void put_str(FILE *out, const char *s)
{
	if (plain_ok(s)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void put_kv(FILE *out, const char *indent, const char *key,
		   const char *val)
{
	fprintf(out, "%s%s: ", indent, key);
	put_str(out, val);
	fputc('\n', out);
}

static void dump_metrics(FILE *out, const cfg_metrics *m)
{
	if (!m->prometheus)
		return;
	fputs("metrics:\n", out);
	put_kv(out, "  ", "prometheus", m->prometheus);
	if (m->token_file)
		put_kv(out, "  ", "token_file", m->token_file);
	else if (m->token_env)
		put_kv(out, "  ", "token_env", m->token_env);
	if (m->ca_file || m->client_cert || m->client_key) {
		fputs("  tls:\n", out);
		if (m->ca_file)
			put_kv(out, "    ", "ca_file", m->ca_file);
		if (m->client_cert)
			put_kv(out, "    ", "client_cert", m->client_cert);
		if (m->client_key)
			put_kv(out, "    ", "client_key", m->client_key);
	}
	put_kv(out, "  ", "channel_label",
	       m->channel_label ? m->channel_label : "channel");
	bool any = false;
	for (int i = 0; i < CFG_MQ_COUNT; i++)
		any = any || m->query[i];
	if (!any)
		return;
	fputs("  queries:\n", out);
	for (int i = 0; i < CFG_MQ_COUNT; i++)
		if (m->query[i])
			put_kv(out, "    ", cfg_metrics_query_name(i),
			       m->query[i]);
}

static void put_ms(FILE *out, const char *indent, const char *key, long ms)
{
	char b[32];
	duration_format(ms, b, sizeof b);
	fprintf(out, "%s%s: %s\n", indent, key, b);
}

static void put_frac(FILE *out, const char *indent, const char *key, double v)
{
	char b[40];
	cfg_format_decimal(v, b, sizeof b);
	fprintf(out, "%s%s: %s\n", indent, key, b);
}

void cfg_dump(const cfg_config *c, FILE *out)
{
	fputs("# effective payops configuration (the token itself is never "
	      "shown)\n",
	      out);
	if (c->path) {
		fputs("# loaded from ", out);
		put_str(out, c->path);
		fputc('\n', out);
	}
	fputs("sites:\n", out);
	for (size_t i = 0; i < c->n_sites; i++) {
		put_kv(out, "  - ", "name", c->sites[i].name);
		put_kv(out, "    ", "url", c->sites[i].url);
	}
	if (c->token_file)
		put_kv(out, "", "token_file", c->token_file);
	else
		put_kv(out, "", "token_env",
		       c->token_env ? c->token_env : "PAYOPS_TOKEN");
	put_ms(out, "", "poll_interval", c->poll_interval_ms);
	put_ms(out, "", "slow_poll_interval", c->slow_poll_interval_ms);
	put_ms(out, "", "resync_interval", c->resync_interval_ms);
	put_ms(out, "", "request_timeout", c->request_timeout_ms);
	put_ms(out, "", "stale_after", c->stale_after_ms);
	put_ms(out, "", "resolved_alerts", c->resolved_alerts_ms);
	fputs("thresholds:\n", out);
	put_frac(out, "  ", "warn_success_rate", c->warn_success_rate);
	put_frac(out, "  ", "crit_success_rate", c->crit_success_rate);
	put_ms(out, "  ", "warn_p95", c->warn_p95_ms);
	put_ms(out, "  ", "crit_p95", c->crit_p95_ms);
	put_ms(out, "  ", "disabled_for", c->disabled_for_ms);
	fprintf(out, "  audit_forward_rows: %lld\n", c->fwd_behind_rows);
	put_ms(out, "  ", "audit_forward_age", c->fwd_behind_ms);
	fprintf(out, "  limits_breached: %lld\n", c->allow_limits_breached);
	fprintf(out, "  limits_warning: %lld\n", c->allow_limits_warning);
	fprintf(out, "  cases_late: %lld\n", c->allow_cases_late);
	fprintf(out, "  breaks_high: %lld\n", c->allow_breaks_high);
	fprintf(out, "read_only: %s\n", c->read_only ? "true" : "false");
	fprintf(out, "ticket_required: %s\n",
		c->ticket_required ? "true" : "false");
	put_frac(out, "", "confirm_share", c->confirm_share);

	char *audit = cfg_audit_path(c), *cache = cfg_cache_dir(c);
	fputs("audit:\n", out);
	if (audit)
		put_kv(out, "  ", "db", audit);
	if (c->audit_forward)
		put_kv(out, "  ", "forward", c->audit_forward);
	if (cache)
		put_kv(out, "", "cache_dir", cache);
	free(audit);
	free(cache);

	if (c->ca_file || c->client_cert || c->client_key) {
		fputs("tls:\n", out);
		if (c->ca_file)
			put_kv(out, "  ", "ca_file", c->ca_file);
		if (c->client_cert)
			put_kv(out, "  ", "client_cert", c->client_cert);
		if (c->client_key)
			put_kv(out, "  ", "client_key", c->client_key);
	}
	if (c->n_alertmanagers == 0)
		fputs("alertmanagers: []\n", out);
	else
		fputs("alertmanagers:\n", out);
	for (size_t i = 0; i < c->n_alertmanagers; i++) {
		put_kv(out, "  - ", "name", c->alertmanagers[i].name);
		put_kv(out, "    ", "url", c->alertmanagers[i].url);
	}
	fprintf(out, "bell: %s\n", c->bell ? "true" : "false");
	dump_metrics(out, &c->metrics);
	fprintf(out, "mouse: %s\n", c->mouse ? "true" : "false");
	if (c->n_keys == 0)
		fputs("keys: {}\n", out);
	else
		fputs("keys:\n", out);
	for (size_t i = 0; i < c->n_keys; i++) {
		if (c->keys[i].mode)
			continue;
		fputs("  ", out);
		put_str(out, c->keys[i].key);
		fputs(": ", out);
		put_str(out, c->keys[i].action);
		fputc('\n', out);
	}
	/* the other modes' tables, each once, in the order first written */
	for (size_t i = 0; i < c->n_keys; i++) {
		const char *m = c->keys[i].mode;
		bool seen = !m;
		for (size_t j = 0; j < i && !seen; j++)
			seen = c->keys[j].mode && strcmp(c->keys[j].mode, m) == 0;
		if (seen)
			continue;
		fputs("  ", out);
		put_str(out, m);
		fputs(":\n", out);
		for (size_t j = i; j < c->n_keys; j++) {
			if (!c->keys[j].mode || strcmp(c->keys[j].mode, m) != 0)
				continue;
			fputs("    ", out);
			put_str(out, c->keys[j].key);
			fputs(": ", out);
			put_str(out, c->keys[j].action);
			fputc('\n', out);
		}
	}
}

void cfg_paths(const cfg_config *c, FILE *out)
{
	if (c->path)
		fprintf(out, "config: %s\n", c->path);
	if (c->token_file)
		fprintf(out, "token_file: %s\n", c->token_file);
	char *audit = cfg_audit_path(c), *cache = cfg_cache_dir(c);
	if (audit)
		fprintf(out, "audit_db: %s\n", audit);
	if (cache)
		fprintf(out, "cache_dir: %s\n", cache);
	free(audit);
	free(cache);
	if (c->ca_file)
		fprintf(out, "ca_file: %s\n", c->ca_file);
	if (c->client_cert)
		fprintf(out, "client_cert: %s\n", c->client_cert);
	if (c->client_key)
		fprintf(out, "client_key: %s\n", c->client_key);
	const cfg_metrics *m = &c->metrics;
	if (m->token_file)
		fprintf(out, "metrics.token_file: %s\n", m->token_file);
	if (m->ca_file)
		fprintf(out, "metrics.ca_file: %s\n", m->ca_file);
	if (m->client_cert)
		fprintf(out, "metrics.client_cert: %s\n", m->client_cert);
	if (m->client_key)
		fprintf(out, "metrics.client_key: %s\n", m->client_key);
}
