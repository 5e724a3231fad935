/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/metrics.c: the metrics: section, channel health from a Prometheus
 * HTTP API:
 *   metrics:
 *     prometheus: https://prom.example:9090
 *     token_file: ~/.config/payops/prom-token   # or token_env: PROM_TOKEN
 *     tls: {ca_file: ..., client_cert: ..., client_key: ...}
 *     channel_label: channel
 *     queries: {tps: ..., system_success_rate: ..., ...}
 * The token and TLS files follow the rules of the top-level ones. */
#include <stdlib.h>
#include <string.h>

#include "config/load_int.h"
#include "base/i18n.h"

static const char *const query_names[CFG_MQ_COUNT] = {
	[CFG_MQ_TPS] = "tps",
	[CFG_MQ_SYSTEM_SR] = "system_success_rate",
	[CFG_MQ_BUSINESS_SR] = "business_success_rate",
	[CFG_MQ_P95] = "p95",
};

const char *cfg_metrics_query_name(int which)
{
	return which >= 0 && which < CFG_MQ_COUNT ? query_names[which] : "?";
}

static void m_url(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (!cfg_scalar(L, k, v, _("a URL")))
		return;
	char *u = cfg_check_url(L, v);
	if (!u)
		return;
	free(L->c->metrics.prometheus);
	L->c->metrics.prometheus = u;
}

static bool both(loader *L, const cfg_node *k, const cfg_node *other)
{
	if (!other)
		return false;
	cfg_err_at(&L->r, AT(k),
		   _("'metrics': token_env and token_file cannot both be set "
		   "(the other one is at line %d)"),
		   other->line);
	return true;
}

static void m_token_env(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (both(L, k, L->m_token_file_key))
		return;
	L->m_token_env_key = k;
	const char *s = cfg_scalar(L, k, v, _("an environment variable name"));
	if (!s)
		return;
	bool ok = *s && strlen(s) <= 128 && !(s[0] >= '0' && s[0] <= '9');
	for (const char *p = s; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		     (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok) {
		cfg_err_at(&L->r, AT(v),
			   _("'token_env' must be the name of an environment "
			   "variable (letters, digits, '_'), not the token"));
		return;
	}
	cfg_set_str(&L->c->metrics.token_env, s);
}

static void m_token_file(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (both(L, k, L->m_token_env_key))
		return;
	L->m_token_file_key = k;
	L->c->metrics.at_token_file = (cfg_pos){ AT(k) };
	cfg_set_path(L, &L->c->metrics.token_file, k, v);
}

static void m_tls(loader *L, const cfg_node *k, const cfg_node *v)
{
	cfg_metrics *m = &L->c->metrics;
	tls_dest d = { &m->ca_file, &m->client_cert, &m->client_key, &m->at_ca_file,
		       &m->at_client_cert, &m->at_client_key, false, false };
	cfg_load_tls(L, k, v, &d, "metrics.tls");
}

/* A Prometheus label name: [a-zA-Z_][a-zA-Z0-9_]*. */
static void m_label(loader *L, const cfg_node *k, const cfg_node *v)
{
	const char *s = cfg_scalar(L, k, v, _("a label name"));
	if (!s)
		return;
	bool ok = *s && strlen(s) <= 64 && !(s[0] >= '0' && s[0] <= '9');
	for (const char *p = s; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		     (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok) {
		char vs[72];
		cfg_err_at(&L->r, AT(v),
			   _("'channel_label': '%s' is not a Prometheus label "
			   "name (letters, digits, '_', not starting with a "
			   "digit)"),
			   cfg_show(s, vs, sizeof vs));
		return;
	}
	cfg_set_str(&L->c->metrics.channel_label, s);
}

static void set_query(loader *L, int which, const cfg_node *k,
		      const cfg_node *v)
{
	const char *s = cfg_scalar(L, k, v, _("a PromQL expression"));
	if (!s)
		return;
	if (!*s || strlen(s) > 4096) {
		cfg_err_at(&L->r, AT(v),
			   _("'%s': the query must be 1 to 4096 characters"),
			   query_names[which]);
		return;
	}
	cfg_set_str(&L->c->metrics.query[which], s);
}

static void q_tps(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_query(L, CFG_MQ_TPS, k, v);
}
static void q_ssr(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_query(L, CFG_MQ_SYSTEM_SR, k, v);
}
static void q_bsr(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_query(L, CFG_MQ_BUSINESS_SR, k, v);
}
static void q_p95(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_query(L, CFG_MQ_P95, k, v);
}

static const key_spec query_keys[] = {
	{ "tps", q_tps },
	{ "system_success_rate", q_ssr },
	{ "business_success_rate", q_bsr },
	{ "p95", q_p95 },
};

static void m_queries(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (cfg_want_map(L, k, v,
			 _("a mapping (tps:, system_success_rate:, "
			 "business_success_rate:, p95:)")))
		cfg_walk_map(L, v, query_keys, COUNT(query_keys),
			     "metrics.queries");
}

static const key_spec metrics_keys[] = {
	{ "prometheus", m_url },
	{ "token_env", m_token_env },
	{ "token_file", m_token_file },
	{ "tls", m_tls },
	{ "channel_label", m_label },
	{ "queries", m_queries },
};

void cfg_k_metrics(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (!cfg_want_map(L, k, v,
			  _("a mapping (prometheus:, token_env: or token_file:, "
			  "tls:, channel_label:, queries:)")))
		return;
	cfg_walk_map(L, v, metrics_keys, COUNT(metrics_keys), "metrics");
	cfg_metrics *m = &L->c->metrics;
	if (!m->prometheus && (m->token_env || m->token_file ||
			       m->channel_label || m->ca_file))
		cfg_err_at(&L->r, AT(k),
			   _("'metrics': prometheus: (the base URL) is required"));
}

void cfg_metrics_free(cfg_metrics *m)
{
	free(m->prometheus);
	free(m->token_env);
	free(m->token_file);
	free(m->ca_file);
	free(m->client_cert);
	free(m->client_key);
	free(m->channel_label);
	for (int i = 0; i < CFG_MQ_COUNT; i++)
		free(m->query[i]);
	memset(m, 0, sizeof *m);
}
