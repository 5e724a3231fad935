/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/config.h: payops.yaml, loaded with libyaml.
 *
 * Every problem is reported as "FILE:LINE:COL: message" (an unknown key names
 * the nearest valid key: "unknown key 'poll_intervall' (did you mean
 * 'poll_interval'?)"); loading collects all errors, not just the first. */
#ifndef PAYOPS_CONFIG_H
#define PAYOPS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CFG_MAX_SITES 8
#define CFG_MAX_ALERTMANAGERS 8
#define CFG_MAX_KEYBINDS 64

typedef struct {
	char *name;   /* "sh-a" */
	char *url;    /* base URL without /v1, no trailing slash */
} cfg_site;

typedef struct {
	char *name;
	char *url;
} cfg_alertmanager;

/* Where a key was written (1-based); 0, 0 when the file does not have it. */
typedef struct {
	int line, col;
} cfg_pos;

/* metrics: channel health from a Prometheus HTTP API (Prometheus, Thanos,
 * Mimir, VictoriaMetrics). The measures, in this order everywhere. */
enum { CFG_MQ_TPS, CFG_MQ_SYSTEM_SR, CFG_MQ_BUSINESS_SR, CFG_MQ_P95,
       CFG_MQ_COUNT };

typedef struct {
	char *prometheus;     /* base URL (no /api/v1); NULL: not configured */
	char *token_env;      /* bearer token from this variable, or */
	char *token_file;     /* from this file (0600 or stricter); neither: none */
	char *ca_file, *client_cert, *client_key; /* NULL: the top tls: ones */
	char *channel_label;  /* the label naming the channel; default "channel" */
	char *query[CFG_MQ_COUNT]; /* PromQL overrides; NULL: the default */
	cfg_pos at_token_file, at_ca_file, at_client_cert, at_client_key;
} cfg_metrics;

typedef struct {
	char *key;    /* key name as in the key table: "j", "C-l", "PgDn", "F5" */
	char *action; /* command name from the registry: "down", "filter", ... */
	char *mode;   /* the key table ("reroute"), NULL: the normal one
		       * (written keys: {MODE: {KEY: COMMAND}}) */
	int line, col; /* where the binding was written (1-based), for messages */
} cfg_keybind;

typedef struct {
	char *path;                 /* the file loaded, or NULL for defaults */
	cfg_site sites[CFG_MAX_SITES];
	size_t n_sites;
	char *token_env;            /* env var holding the token */
	char *token_file;           /* file holding the token (0600 or stricter) */

	int poll_interval_ms;       /* channels/routes/status; default 2000 */
	int slow_poll_interval_ms;  /* cases/breaks/limits; default 10000 */
	int resync_interval_ms;     /* streamed lists while the stream is open; default 120000 */
	int request_timeout_ms;     /* default 10000 */
	int stale_after_ms;         /* data older than this is shown stale; default 3x poll */
	int resolved_alerts_ms;     /* a resolved alert stays listed this long; default 1 h */

	/* health thresholds for colouring (system success rate, p95) */
	double warn_success_rate;   /* below: warning; default 0.995 */
	double crit_success_rate;   /* below: critical; default 0.98 */
	int warn_p95_ms;            /* above: warning; default 500 */
	int crit_p95_ms;            /* above: critical; default 1500 */

	/* payops patrol (see payops.yaml(5), thresholds) */
	int disabled_for_ms;        /* a channel disabled longer: warning; default 1 h */
	long long fwd_behind_rows;  /* audit forwarding behind more rows: warning; default 100 */
	int fwd_behind_ms;          /* ... or its oldest row older: warning; default 5 min */
	long long allow_limits_breached, allow_limits_warning; /* problems only above; default 0 */
	long long allow_cases_late, allow_breaks_high;

	/* actions */
	bool read_only;
	bool ticket_required;
	double confirm_share;       /* typing the id needed above this traffic share; default 0.05 */

	/* files */
	char *audit_db;             /* NULL: $XDG_STATE_HOME/payops/audit.db */
	char *cache_dir;            /* NULL: $XDG_CACHE_HOME/payops */
	char *audit_forward;        /* NULL, "syslog", or a URL: unix:// tcp:// tls://
	                             * relp:// relp+tls:// (TLS ones use tls: below) */

	/* TLS */
	char *ca_file;
	char *client_cert;
	char *client_key;

	/* alerts */
	cfg_alertmanager alertmanagers[CFG_MAX_ALERTMANAGERS];
	size_t n_alertmanagers;
	bool bell;                  /* ring on a new critical alert; default true */
	bool mouse;                 /* clicks and the wheel; default true */

	cfg_keybind keys[CFG_MAX_KEYBINDS];
	size_t n_keys;

	cfg_metrics metrics;        /* metrics: (prometheus NULL when absent) */

	/* where the keys naming files were written, for cfg_check_files */
	cfg_pos at_token_file, at_audit_db, at_cache_dir, at_ca_file,
		at_client_cert, at_client_key;
} cfg_config;

typedef struct {
	char **msgs;  /* "file:line:col: message" each */
	size_t n;
} cfg_errors;

void cfg_defaults(cfg_config *c);
/* Load `path` over the defaults. Returns 0 when there were no errors; -1
 * otherwise, with every error in errs (the config holds what did load).
 * `c` is reset with cfg_defaults first; `errs` must start zeroed. Free both
 * with cfg_free / cfg_errors_free whatever the result. */
int cfg_load(const char *path, cfg_config *c, cfg_errors *errs);
/* Same, from memory (name used in messages): for tests and fuzzing. */
int cfg_load_buffer(const char *name, const char *buf, size_t len,
		    cfg_config *c, cfg_errors *errs);
void cfg_free(cfg_config *c);
void cfg_errors_free(cfg_errors *e);

/* Which config file to read: --config, else $PAYOPS_CONFIG, else
 * $XDG_CONFIG_HOME/payops/config.yaml (~/.config/...), else
 * /etc/payops/config.yaml. Returns a malloc'd path (NULL if none exists,
 * with *searched describing where it looked). */
char *cfg_find(const char *cli_path, char *searched, size_t searched_sz);

/* Default state/cache paths honouring XDG_STATE_HOME / XDG_CACHE_HOME. */
char *cfg_audit_path(const cfg_config *c);
char *cfg_cache_dir(const cfg_config *c);

/* Read the token from token_file (refused when group- or world-readable, or
 * not a regular file) or token_env. The token is trimmed; never printed.
 * Returns a malloc'd token or NULL with a message in err. */
char *cfg_read_token(const cfg_config *c, char *err, size_t errsz);

/* The bearer token for metrics.prometheus: from metrics.token_file (the
 * same rules as token_file) or metrics.token_env. Returns a malloc'd token,
 * or NULL: with err "" when none is configured, else why. */
char *cfg_read_metrics_token(const cfg_config *c, char *err, size_t errsz);
/* The names of the metrics.queries keys ("tps", "system_success_rate",
 * "business_success_rate", "p95"), by CFG_MQ_*. */
const char *cfg_metrics_query_name(int which);

/* Every file the start would refuse or fail on, found now (for
 * --check-config), each error at the key that names it
 * ("FILE:LINE:COL: 'token_file': ... has mode 0644: ...", or "FILE: ..."
 * for a default path): the token file as cfg_read_token reads it (type,
 * mode, owner, content); the TLS files readable regular files; the audit
 * log a writable file, or one its directory lets be created (the missing
 * directories creatable); the cache directory a writable directory, or
 * creatable. The token in the environment is not looked at (the check may
 * run in another environment than the console). Appends to errs; returns 0
 * when there was nothing to say, else -1. */
int cfg_check_files(const cfg_config *c, cfg_errors *errs);

/* "2s", "500ms", "1m", "1h30m" (base/duration.h) -> milliseconds, at most
 * a week; -1 when malformed or longer. */
long cfg_parse_duration_ms(const char *s);

/* The effective configuration as YAML that cfg_load reads back (defaults
 * filled in, paths expanded), for `payops --check-config -v`. Never the
 * token: only where it comes from. */
void cfg_dump(const cfg_config *c, FILE *out);

/* Every file the console reads or writes, one per line as "what: path":
 * config, token_file, audit_db, cache_dir, ca_file, client_cert,
 * client_key, metrics.token_file, metrics.ca_file, metrics.client_cert,
 * metrics.client_key (only those that apply). */
void cfg_paths(const cfg_config *c, FILE *out);

#endif
