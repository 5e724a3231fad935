/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/load.c: the schema of payops.yaml. Walks the node tree, checks every
 * key and value, and reports each problem where it was written. A value with
 * an error is not applied: the field keeps its default. The sites and
 * alertmanagers (endpoints.c) and the key bindings (keybinds.c) are read in
 * their own files (load_int.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config/load_int.h"

#include "base/duration.h"
#include "base/i18n.h"

#define MS_SECOND 1000L
#define MS_MINUTE (60 * MS_SECOND)
#define MS_HOUR (60 * MS_MINUTE)

const char *cfg_kind_name(const cfg_node *n)
{
	switch (n->kind) {
	case CFG_SEQ:
		return _("a list");
	case CFG_MAP:
		return _("a mapping");
	default:
		return cfg_node_is_null(n) ? _("nothing") : _("a single value");
	}
}

/* ---- scalars --------------------------------------------------------- */

/* The text of a scalar value, or NULL after reporting why not. */
const char *cfg_scalar(loader *L, const cfg_node *k, const cfg_node *v,
		       const char *expected)
{
	char kn[72];
	cfg_show(k->text, kn, sizeof kn);
	if (v->kind != CFG_SCALAR) {
		/* TRANSLATORS: the first %s is what the key wants ("a list",
		 * "a path"...), the second the key name, the third what the
		 * file has ("a mapping", "nothing"...). */
		cfg_err_at(&L->r, AT(v), _("expected %s for '%s', found %s"),
			   expected, kn, cfg_kind_name(v));
		return NULL;
	}
	if (cfg_node_is_null(v)) {
		/* TRANSLATORS: %s: the key name, then what it wants ("a
		 * path", "a duration"...). */
		cfg_err_at(&L->r, AT(k), _("'%s' has no value (expected %s)"), kn,
			   expected);
		return NULL;
	}
	if (v->len == 0) {
		/* TRANSLATORS: %s: the key name, then what it wants ("a
		 * path", "a duration"...). */
		cfg_err_at(&L->r, AT(v), _("'%s' is empty (expected %s)"), kn,
			   expected);
		return NULL;
	}
	return v->text;
}

void cfg_set_str(char **field, const char *s)
{
	char *d = strdup(s);
	if (!d)
		return;
	free(*field);
	*field = d;
}

void cfg_set_path(loader *L, char **field, const cfg_node *k,
		  const cfg_node *v)
{
	const char *s = cfg_scalar(L, k, v, _("a path"));
	if (!s)
		return;
	char why[256], kn[72];
	char *p = cfg_expand_path(s, why, sizeof why);
	if (!p) {
		/* TRANSLATORS: a key name, then the reason the path is
		 * refused. */
		cfg_err_at(&L->r, AT(v), _("'%s': %s"),
			   cfg_show(k->text, kn, sizeof kn), why);
		return;
	}
	free(*field);
	*field = p;
}

static bool get_duration(loader *L, const cfg_node *k, const cfg_node *v,
			 long min, long max, const char *example, int *out)
{
	const char *s = cfg_scalar(L, k, v, _("a duration"));
	if (!s)
		return false;
	char kn[72], vs[72], a[32], b[32], got[32];
	cfg_show(k->text, kn, sizeof kn);
	cfg_show(s, vs, sizeof vs);
	long ms = cfg_duration_parse(s);
	if (ms == CFG_DUR_BARE_NUMBER) {
		cfg_err_at(&L->r, AT(v),
			   _("'%s': '%s' has no unit; write a duration such as "
			   "'%s' (units: ms, s, m, h)"),
			   kn, vs, example);
		return false;
	}
	if (ms == CFG_DUR_MALFORMED && strchr(s, '.')) {
		cfg_err_at(&L->r, AT(v),
			   _("'%s': '%s' has a fraction; write whole units such "
			   "as '1500ms' or '1m30s'"),
			   kn, vs);
		return false;
	}
	if (ms == CFG_DUR_MALFORMED) {
		cfg_err_at(&L->r, AT(v),
			   _("'%s': '%s' is not a duration; write e.g. '500ms', "
			   "'2s', '1m' or '1h30m'"),
			   kn, vs);
		return false;
	}
	duration_format(min, a, sizeof a);
	duration_format(max, b, sizeof b);
	if (ms == CFG_DUR_TOO_LONG || ms > max || ms < min) {
		if (ms >= 0)
			duration_format(ms, got, sizeof got);
		else
			snprintf(got, sizeof got, "%s", _("more than a week"));
		/* TRANSLATORS: a key name, then three durations such as
		 * 100ms, 1h, 2h. */
		cfg_err_at(&L->r, AT(v), _("'%s' must be between %s and %s, not %s"),
			   kn, a, b, got);
		return false;
	}
	*out = (int)ms;
	return true;
}

/* A whole number from 0 to max (a count of rows or items). */
static bool get_count(loader *L, const cfg_node *k, const cfg_node *v,
		      long long max, long long *out)
{
	const char *s = cfg_scalar(L, k, v, "a whole number");
	if (!s)
		return false;
	char kn[72], vs[72], *end;
	cfg_show(k->text, kn, sizeof kn);
	cfg_show(s, vs, sizeof vs);
	errno = 0;
	long long n = (*s >= '0' && *s <= '9') ? strtoll(s, &end, 10) : -1;
	if (n < 0 || errno || *end) {
		cfg_err_at(&L->r, AT(v), "'%s': '%s' is not a whole number", kn, vs);
		return false;
	}
	if (n > max) {
		cfg_err_at(&L->r, AT(v), "'%s' must be from 0 to %lld, not %s", kn, max, vs);
		return false;
	}
	*out = n;
	return true;
}

static bool get_fraction(loader *L, const cfg_node *k, const cfg_node *v,
			 double *out)
{
	const char *s = cfg_scalar(L, k, v, _("a number from 0 to 1"));
	if (!s)
		return false;
	char kn[72], vs[72];
	cfg_show(k->text, kn, sizeof kn);
	cfg_show(s, vs, sizeof vs);
	double d;
	size_t len = strlen(s);
	if (len > 1 && s[len - 1] == '%') {
		cfg_err_at(&L->r, AT(v),
			   _("'%s': write a fraction from 0 to 1 instead of a "
			   "percentage ('%s')"),
			   kn, vs);
		return false;
	}
	if (!cfg_parse_decimal(s, &d)) {
		cfg_err_at(&L->r, AT(v),
			   _("'%s': '%s' is not a number from 0 to 1"), kn, vs);
		return false;
	}
	if (d > 1) {
		cfg_err_at(&L->r, AT(v),
			   /* TRANSLATORS: a key name, the value, then either
			    * nothing or the note " (a fraction: 0.995 means
			    * 99.5%)". */
			   _("'%s' must be from 0 to 1, not %s%s"), kn, vs,
			   d <= 100 ? _(" (a fraction: 0.995 means 99.5%)") : "");
		return false;
	}
	*out = d;
	return true;
}

static void set_bool(loader *L, bool *field, const cfg_node *k,
		     const cfg_node *v)
{
	const char *s = cfg_scalar(L, k, v, _("true or false"));
	if (!s)
		return;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
		*field = true;
	} else if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
		*field = false;
	} else {
		char kn[72], vs[72];
		cfg_err_at(&L->r, AT(v),
			   _("'%s' must be true or false (or yes/no), not '%s'"),
			   cfg_show(k->text, kn, sizeof kn),
			   cfg_show(s, vs, sizeof vs));
	}
}

/* ---- maps ------------------------------------------------------------ */

/* Keys of every section, for suggestions and "belongs under" hints. */
static const char *const top_names[] = {
	"sites", "token_env", "token_file", "poll_interval",
	"slow_poll_interval", "resync_interval", "request_timeout", "stale_after", "thresholds",
	"read_only", "ticket_required", "confirm_share", "audit", "cache_dir",
	"tls", "alertmanagers", "bell", "mouse", "keys", "metrics", "resolved_alerts",
};
static const char *const threshold_names[] = {
	"warn_success_rate", "crit_success_rate", "warn_p95", "crit_p95",
	"disabled_for", "audit_forward_rows", "audit_forward_age",
	"limits_breached", "limits_warning", "cases_late", "breaks_high",
};
static const char *const audit_names[] = { "db", "forward" };
static const char *const tls_names[] = { "ca_file", "client_cert",
					 "client_key" };
static const char *const endpoint_names[] = { "name", "url" };

static const struct {
	const char *section;
	const char *const *names;
	size_t n;
} sections[] = {
	{ NULL, top_names, COUNT(top_names) },
	{ "thresholds", threshold_names, COUNT(threshold_names) },
	{ "audit", audit_names, COUNT(audit_names) },
	{ "tls", tls_names, COUNT(tls_names) },
	{ "sites", endpoint_names, COUNT(endpoint_names) },
};

static void unknown_key(loader *L, const cfg_node *k, const key_spec *specs,
			size_t n, const char *section)
{
	const char *cands[32];
	char kn[72], in[64] = "";
	size_t m = n < COUNT(cands) ? n : COUNT(cands);
	for (size_t i = 0; i < m; i++)
		cands[i] = specs[i].name;
	cfg_show(k->text, kn, sizeof kn);
	if (section)
		/* TRANSLATORS: %s is a section name such as thresholds; the result
		 * follows "unknown key '%s'". */
		snprintf(in, sizeof in, _(" in '%s'"), section);
	const char *near = cfg_suggest(k->text, cands, m);
	if (near) {
		/* TRANSLATORS: the key, then nothing or " in 'SECTION'", then
		 * the key meant. */
		cfg_err_at(&L->r, AT(k), _("unknown key '%s'%s (did you mean '%s'?)"),
			   kn, in, near);
		return;
	}
	/* right key, wrong place (usually indentation) */
	for (size_t s = 0; s < COUNT(sections); s++) {
		const char *sec = sections[s].section;
		if ((sec == NULL) == (section == NULL) &&
		    (!sec || !strcmp(sec, section)))
			continue;
		for (size_t i = 0; i < sections[s].n; i++) {
			if (strcmp(k->text, sections[s].names[i]))
				continue;
			if (sec)
				cfg_err_at(&L->r, AT(k),
					   _("unknown key '%s'%s (it belongs "
					   "under '%s')"),
					   kn, in, sec);
			else
				cfg_err_at(&L->r, AT(k),
					   _("unknown key '%s'%s (it is a "
					   "top-level key: check the "
					   "indentation)"),
					   kn, in);
			return;
		}
	}
	/* TRANSLATORS: the key, then nothing or " in 'SECTION'". */
	cfg_err_at(&L->r, AT(k), _("unknown key '%s'%s"), kn, in);
}

void cfg_walk_map(loader *L, const cfg_node *map, const key_spec *specs,
		  size_t n, const char *section)
{
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const cfg_node *k = map->kids[i], *v = map->kids[i + 1];
		if (k->bad)
			continue;
		if (k->kind != CFG_SCALAR || cfg_node_is_null(k)) {
			cfg_err_at(&L->r, AT(k),
				   /* TRANSLATORS: %s is "a list", "a mapping"
				    * or "nothing". */
				   _("expected a key name here, found %s"),
				   cfg_kind_name(k));
			continue;
		}
		const cfg_node *first = NULL;
		for (size_t j = 0; j < i && !first; j += 2) {
			const cfg_node *o = map->kids[j];
			if (o->kind == CFG_SCALAR && !o->bad &&
			    !strcmp(o->text, k->text))
				first = o;
		}
		char kn[72];
		if (first) {
			cfg_err_at(&L->r, AT(k),
				   _("duplicate key '%s' (first at %d:%d)"),
				   cfg_show(k->text, kn, sizeof kn),
				   AT(first));
			continue;
		}
		size_t s;
		for (s = 0; s < n; s++)
			if (!strcmp(specs[s].name, k->text))
				break;
		if (s == n)
			unknown_key(L, k, specs, n, section);
		else if (!v->bad)
			specs[s].fn(L, k, v);
	}
}

/* A section that is a mapping; "thresholds:" with nothing is allowed. */
bool cfg_want_map(loader *L, const cfg_node *k, const cfg_node *v,
		  const char *what)
{
	if (v->kind == CFG_MAP)
		return true;
	if (cfg_node_is_null(v))
		return false;
	char kn[72];
	cfg_err_at(&L->r, AT(v), _("expected %s for '%s', found %s"), what,
		   cfg_show(k->text, kn, sizeof kn), cfg_kind_name(v));
	return false;
}

/* ---- token ----------------------------------------------------------- */

static bool both_token_sources(loader *L, const cfg_node *k,
			       const cfg_node *other)
{
	if (!other)
		return false;
	cfg_err_at(&L->r, AT(k),
		   _("token_env and token_file cannot both be set (the other "
		   "is at %d:%d): keep one"),
		   AT(other));
	return true;
}

static void k_token_env(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (both_token_sources(L, k, L->token_file_key))
		return;
	L->token_env_key = k;
	const char *s = cfg_scalar(L, k, v, _("an environment variable name"));
	if (!s)
		return;
	bool ok = strlen(s) <= 128 && !(s[0] >= '0' && s[0] <= '9');
	for (const char *p = s; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		     (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok) {
		/* not quoted: someone may have pasted the token itself */
		cfg_err_at(&L->r, AT(v),
			   _("'token_env' must be the name of an environment "
			   "variable (letters, digits, '_'), not the token"));
		return;
	}
	cfg_set_str(&L->c->token_env, s);
}

static void k_token_file(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (both_token_sources(L, k, L->token_env_key))
		return;
	L->token_file_key = k;
	L->c->at_token_file = (cfg_pos){ AT(k) };
	cfg_set_path(L, &L->c->token_file, k, v);
}

/* ---- timing ---------------------------------------------------------- */

static void k_poll(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (get_duration(L, k, v, 100, MS_HOUR, "2s",
			 &L->c->poll_interval_ms))
		L->poll_node = v;
}

static void k_slow_poll(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_duration(L, k, v, 100, MS_HOUR, "10s",
		     &L->c->slow_poll_interval_ms);
}

static void k_resync(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_duration(L, k, v, 1000, 24 * MS_HOUR, "2m",
		     &L->c->resync_interval_ms);
}

static void k_resolved(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_duration(L, k, v, 0, 7 * 24 * MS_HOUR, "1h",
		     &L->c->resolved_alerts_ms);
}

static void k_timeout(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_duration(L, k, v, 100, 10 * MS_MINUTE, "10s",
		     &L->c->request_timeout_ms);
}

static void k_stale(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (get_duration(L, k, v, 100, 24 * MS_HOUR, "6s",
			 &L->c->stale_after_ms))
		L->stale_node = v;
}

/* ---- thresholds ------------------------------------------------------ */

static void t_warn_rate(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (get_fraction(L, k, v, &L->c->warn_success_rate))
		L->warn_rate = v;
}
static void t_crit_rate(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (get_fraction(L, k, v, &L->c->crit_success_rate))
		L->crit_rate = v;
}
static void t_warn_p95(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (get_duration(L, k, v, 1, 10 * MS_MINUTE, "500ms",
			 &L->c->warn_p95_ms))
		L->warn_p95 = v;
}
static void t_crit_p95(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (get_duration(L, k, v, 1, 10 * MS_MINUTE, "1500ms",
			 &L->c->crit_p95_ms))
		L->crit_p95 = v;
}

static void t_disabled_for(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_duration(L, k, v, 0, 7 * 24 * MS_HOUR, "1h", &L->c->disabled_for_ms);
}
static void t_fwd_rows(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_count(L, k, v, 1000000000LL, &L->c->fwd_behind_rows);
}
static void t_fwd_age(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_duration(L, k, v, 0, 7 * 24 * MS_HOUR, "5m", &L->c->fwd_behind_ms);
}
#define T_ALLOW(name)                                                          \
	static void t_##name(loader *L, const cfg_node *k, const cfg_node *v)  \
	{                                                                      \
		get_count(L, k, v, 1000000000LL, &L->c->allow_##name);         \
	}
T_ALLOW(limits_breached)
T_ALLOW(limits_warning)
T_ALLOW(cases_late)
T_ALLOW(breaks_high)

static const key_spec threshold_keys[] = {
	{ "warn_success_rate", t_warn_rate },
	{ "crit_success_rate", t_crit_rate },
	{ "warn_p95", t_warn_p95 },
	{ "crit_p95", t_crit_p95 },
	{ "disabled_for", t_disabled_for },
	{ "audit_forward_rows", t_fwd_rows },
	{ "audit_forward_age", t_fwd_age },
	{ "limits_breached", t_limits_breached },
	{ "limits_warning", t_limits_warning },
	{ "cases_late", t_cases_late },
	{ "breaks_high", t_breaks_high },
};

static void k_thresholds(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (!cfg_want_map(L, k, v, _("a mapping of thresholds")))
		return;
	cfg_walk_map(L, v, threshold_keys, COUNT(threshold_keys), "thresholds");
	cfg_config *c = L->c;
	const cfg_node *at;
	char a[32], b[32];
	if ((L->warn_rate || L->crit_rate) &&
	    c->warn_success_rate < c->crit_success_rate) {
		at = L->crit_rate ? L->crit_rate : L->warn_rate;
		cfg_format_decimal(c->warn_success_rate, a, sizeof a);
		cfg_format_decimal(c->crit_success_rate, b, sizeof b);
		cfg_err_at(&L->r, AT(at),
			   _("warn_success_rate (%s) must be at least "
			   "crit_success_rate (%s)"),
			   a, b);
	}
	if ((L->warn_p95 || L->crit_p95) && c->warn_p95_ms > c->crit_p95_ms) {
		at = L->crit_p95 ? L->crit_p95 : L->warn_p95;
		duration_format(c->warn_p95_ms, a, sizeof a);
		duration_format(c->crit_p95_ms, b, sizeof b);
		cfg_err_at(&L->r, AT(at),
			   _("warn_p95 (%s) must not be above crit_p95 (%s)"), a,
			   b);
	}
}

/* ---- actions, files, alerts ------------------------------------------ */

static void k_read_only(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_bool(L, &L->c->read_only, k, v);
}
static void k_ticket(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_bool(L, &L->c->ticket_required, k, v);
}
static void k_bell(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_bool(L, &L->c->bell, k, v);
}
static void k_mouse(loader *L, const cfg_node *k, const cfg_node *v)
{
	set_bool(L, &L->c->mouse, k, v);
}
static void k_confirm_share(loader *L, const cfg_node *k, const cfg_node *v)
{
	get_fraction(L, k, v, &L->c->confirm_share);
}
static void k_cache_dir(loader *L, const cfg_node *k, const cfg_node *v)
{
	L->c->at_cache_dir = (cfg_pos){ AT(k) };
	cfg_set_path(L, &L->c->cache_dir, k, v);
}

static void a_db(loader *L, const cfg_node *k, const cfg_node *v)
{
	L->c->at_audit_db = (cfg_pos){ AT(k) };
	cfg_set_path(L, &L->c->audit_db, k, v);
}

/* Forwarding destinations (see payops-audit(1)); the TLS ones use the
 * tls: section's ca_file, client_cert and client_key. */
static bool good_forward(const char *s)
{
	static const struct { const char *prefix; bool port_required; } schemes[] = {
		{ "tcp://", true }, { "tls://", false }, { "relp://", true },
		{ "relp+tls://", true },
	};
	if (!strcmp(s, "syslog"))
		return true;
	if (!strncmp(s, "unix:///", 8))
		return true;
	for (size_t i = 0; i < COUNT(schemes); i++) {
		size_t pl = strlen(schemes[i].prefix);
		if (!strncmp(s, schemes[i].prefix, pl))
			return cfg_good_hostport(s + pl, strlen(s + pl), schemes[i].port_required);
	}
	return false;
}

static void a_forward(loader *L, const cfg_node *k, const cfg_node *v)
{
	const char *s = cfg_scalar(L, k, v, _("'syslog' or a destination URL"));
	if (!s)
		return;
	if (!good_forward(s)) {
		char vs[72];
		cfg_err_at(&L->r, AT(v),
			   _("'forward' must be 'syslog', unix:///PATH, tcp://HOST:PORT, "
			   "tls://HOST[:PORT], relp://HOST:PORT or relp+tls://HOST:PORT, "
			   "not '%s'"),
			   cfg_show(s, vs, sizeof vs));
		return;
	}
	cfg_set_str(&L->c->audit_forward, s);
}

static const key_spec audit_keys[] = {
	{ "db", a_db },
	{ "forward", a_forward },
};

static void k_audit(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (cfg_want_map(L, k, v, _("a mapping (db:, forward:)")))
		cfg_walk_map(L, v, audit_keys, COUNT(audit_keys), "audit");
}

static void t_ca(loader *L, const cfg_node *k, const cfg_node *v)
{
	*L->tls->at_ca_file = (cfg_pos){ AT(k) };
	cfg_set_path(L, L->tls->ca_file, k, v);
}
static void t_cert(loader *L, const cfg_node *k, const cfg_node *v)
{
	L->tls->cert_set = true;
	*L->tls->at_client_cert = (cfg_pos){ AT(k) };
	cfg_set_path(L, L->tls->client_cert, k, v);
}
/* A private key that others can read is as good as handed out: refused the
 * way the token file is. A key that is not there (yet) is left for the TLS
 * layer to report when it is used. */
void cfg_check_key_file(loader *L, const cfg_node *v, const char *path)
{
	struct stat st;
	char shown[256];
	if (stat(path, &st) != 0)
		return;
	cfg_show(path, shown, sizeof shown);
	if (!S_ISREG(st.st_mode)) {
		cfg_err_at(&L->r, AT(v), _("'client_key': %s is not a regular file"),
			   shown);
	} else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		cfg_err_at(&L->r, AT(v),
			   _("'client_key': %s has mode %04o: a private key must "
			   "not be accessible by group or others; run: chmod "
			   "600 %s"),
			   shown, (unsigned)(st.st_mode & 07777), shown);
	}
}

static void t_key(loader *L, const cfg_node *k, const cfg_node *v)
{
	L->tls->key_set = true;
	*L->tls->at_client_key = (cfg_pos){ AT(k) };
	cfg_set_path(L, L->tls->client_key, k, v);
	if (*L->tls->client_key)
		cfg_check_key_file(L, v, *L->tls->client_key);
}

static const key_spec tls_keys[] = {
	{ "ca_file", t_ca },
	{ "client_cert", t_cert },
	{ "client_key", t_key },
};

void cfg_load_tls(loader *L, const cfg_node *k, const cfg_node *v, tls_dest *d,
		  const char *section)
{
	if (!cfg_want_map(L, k, v,
			  _("a mapping (ca_file:, client_cert:, client_key:)")))
		return;
	L->tls = d;
	cfg_walk_map(L, v, tls_keys, COUNT(tls_keys), section);
	L->tls = NULL;
	if (d->cert_set != d->key_set)
		/* TRANSLATORS: %s is the section, tls or metrics.tls */
		cfg_err_at(&L->r, AT(v),
			   _("'%s': client_cert and client_key go together; "
			   "set both or neither"), section);
}

static void k_tls(loader *L, const cfg_node *k, const cfg_node *v)
{
	cfg_config *c = L->c;
	tls_dest d = { &c->ca_file, &c->client_cert, &c->client_key, &c->at_ca_file,
		       &c->at_client_cert, &c->at_client_key, false, false };
	cfg_load_tls(L, k, v, &d, "tls");
}

static const key_spec top_keys[] = {
	{ "sites", cfg_k_sites },
	{ "token_env", k_token_env },
	{ "token_file", k_token_file },
	{ "poll_interval", k_poll },
	{ "slow_poll_interval", k_slow_poll },
	{ "resync_interval", k_resync },
	{ "request_timeout", k_timeout },
	{ "stale_after", k_stale },
	{ "thresholds", k_thresholds },
	{ "read_only", k_read_only },
	{ "ticket_required", k_ticket },
	{ "confirm_share", k_confirm_share },
	{ "audit", k_audit },
	{ "cache_dir", k_cache_dir },
	{ "tls", k_tls },
	{ "alertmanagers", cfg_k_alertmanagers },
	{ "bell", k_bell },
	{ "mouse", k_mouse },
	{ "keys", cfg_k_keys },
	{ "metrics", cfg_k_metrics },
	{ "resolved_alerts", k_resolved },
};

/* ---- API ------------------------------------------------------------- */

void cfg_defaults(cfg_config *c)
{
	memset(c, 0, sizeof *c);
	c->poll_interval_ms = 2000;
	c->slow_poll_interval_ms = 10000;
	c->resync_interval_ms = 120000;
	c->request_timeout_ms = 10000;
	c->stale_after_ms = 3 * c->poll_interval_ms;
	c->resolved_alerts_ms = (int)MS_HOUR;
	c->warn_success_rate = 0.995;
	c->crit_success_rate = 0.98;
	c->warn_p95_ms = 500;
	c->crit_p95_ms = 1500;
	c->disabled_for_ms = (int)MS_HOUR;
	c->fwd_behind_rows = 100;
	c->fwd_behind_ms = 5 * (int)MS_MINUTE;
	c->read_only = false;
	c->ticket_required = false;
	c->confirm_share = 0.05;
	c->bell = true;
	c->mouse = true;
}

void cfg_free(cfg_config *c)
{
	if (!c)
		return;
	free(c->path);
	for (size_t i = 0; i < c->n_sites; i++) {
		free(c->sites[i].name);
		free(c->sites[i].url);
	}
	free(c->token_env);
	free(c->token_file);
	free(c->audit_db);
	free(c->cache_dir);
	free(c->audit_forward);
	free(c->ca_file);
	free(c->client_cert);
	free(c->client_key);
	for (size_t i = 0; i < c->n_alertmanagers; i++) {
		free(c->alertmanagers[i].name);
		free(c->alertmanagers[i].url);
	}
	cfg_metrics_free(&c->metrics);
	for (size_t i = 0; i < c->n_keys; i++) {
		free(c->keys[i].key);
		free(c->keys[i].action);
		free(c->keys[i].mode);
	}
	cfg_defaults(c);
}

/* Everything after the bytes are in memory. */
static void load(cfg_report *r, const char *buf, size_t len, cfg_config *c)
{
	loader L = { .r = *r, .c = c };
	bool syntax = false;
	cfg_node *root = cfg_tree_parse(&L.r, buf, len, &syntax);
	if (syntax)
		goto out;
	if (!root || cfg_node_is_null(root)) {
		cfg_err_at(&L.r, 1, 1,
			   _("the file is empty: at least 'sites' is required"));
	} else if (root->kind != CFG_MAP) {
		cfg_err_at(&L.r, AT(root),
			   _("expected keys such as 'sites:' at the top level, "
			   "found %s"),
			   cfg_kind_name(root));
	} else {
		cfg_walk_map(&L, root, top_keys, COUNT(top_keys), NULL);
		if (!L.sites_key)
			cfg_err_at(&L.r, AT(root),
				   _("missing required key 'sites' (a list of "
				   "name: and url:)"));
		if (!L.stale_node) {
			c->stale_after_ms = 3 * c->poll_interval_ms;
		} else if (c->stale_after_ms <= c->poll_interval_ms) {
			char a[32], b[32];
			duration_format(c->stale_after_ms, a, sizeof a);
			duration_format(c->poll_interval_ms, b, sizeof b);
			cfg_err_at(&L.r, AT(L.stale_node),
				   _("stale_after (%s) must be longer than "
				   "poll_interval (%s)"),
				   a, b);
		}
	}
out:
	cfg_tree_free(root);
	*r = L.r;
}

int cfg_load_buffer(const char *name, const char *buf, size_t len,
		    cfg_config *c, cfg_errors *errs)
{
	cfg_report r = { .file = name ? name : "(config)", .errs = errs };
	cfg_defaults(c);
	c->path = name ? strdup(name) : NULL;
	if (len > CFG_MAX_FILE_BYTES)
		cfg_err_plain(&r, _("the file is larger than %d bytes"),
			      CFG_MAX_FILE_BYTES);
	else
		load(&r, buf ? buf : "", buf ? len : 0, c);
	cfg_report_finish(&r);
	return r.count ? -1 : 0;
}

/* The whole file, at most one byte past the limit (so the limit shows). */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 65536;
	char *buf = malloc(cap);
	*len = 0;
	while (buf) {
		*len += fread(buf + *len, 1, cap - *len, f);
		if (*len < cap || cap > CFG_MAX_FILE_BYTES)
			break;
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			return NULL;
		}
		buf = nb;
		cap *= 2;
	}
	return buf;
}

int cfg_load(const char *path, cfg_config *c, cfg_errors *errs)
{
	cfg_report r = { .file = path, .errs = errs };
	cfg_defaults(c);
	FILE *f = fopen(path, "rb");
	if (!f) {
		cfg_err_plain(&r, _("cannot open: %s"), strerror(errno));
		c->path = strdup(path);
		cfg_report_finish(&r);
		return -1;
	}
	size_t len;
	char *buf = slurp(f, &len);
	bool failed = ferror(f);
	fclose(f);
	if (!buf || failed) {
		cfg_err_plain(&r, _("cannot read: %s"),
			      buf ? "read error" : "out of memory");
		free(buf);
		c->path = strdup(path);
		cfg_report_finish(&r);
		return -1;
	}
	int rc = cfg_load_buffer(path, buf, len, c, errs);
	free(buf);
	return rc;
}
