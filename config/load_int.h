/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/load_int.h: the schema reader's parts, shared by its files only:
 * load.c      the walk over the tree, scalars, sections, and the API
 * endpoints.c sites and alertmanagers: names, URLs, host:port
 * keybinds.c  the key bindings (keys:)
 * metrics.c   the metrics: section (Prometheus)
 * Not for the rest of config/ (config_int.h) nor for other modules. */
#ifndef PAYOPS_CONFIG_LOAD_INT_H
#define PAYOPS_CONFIG_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config_int.h"

typedef struct {
	char *name, *url;
	const cfg_node *at;
} endpoint;

/* Where a tls: mapping's three files go (the top one, metrics:'s). */
typedef struct {
	char **ca_file, **client_cert, **client_key;
	cfg_pos *at_ca_file, *at_client_cert, *at_client_key;
	bool cert_set, key_set;
} tls_dest;

typedef struct loader {
	cfg_report r;
	cfg_config *c;
	const cfg_node *sites_key;
	const cfg_node *token_env_key, *token_file_key;
	const cfg_node *poll_node, *stale_node;
	const cfg_node *warn_rate, *crit_rate, *warn_p95, *crit_p95;
	tls_dest *tls; /* the tls: mapping being read */
	const cfg_node *m_token_env_key, *m_token_file_key;
	endpoint *ep; /* the site or alertmanager being read */
} loader;

typedef void (*key_fn)(loader *L, const cfg_node *key, const cfg_node *val);
typedef struct {
	const char *name;
	key_fn fn;
} key_spec;

#define AT(n) (n)->line, (n)->col
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- load.c ---- */
/* "a list", "a mapping", "nothing" or "a single value". */
const char *cfg_kind_name(const cfg_node *n);
/* The text of a scalar value, or NULL after reporting why not. */
const char *cfg_scalar(loader *L, const cfg_node *k, const cfg_node *v,
		       const char *expected);
/* Replace *field with a copy of s (kept as it was when out of memory). */
void cfg_set_str(char **field, const char *s);
/* Replace *field with the path in v, expanded ("~/", $HOME). */
void cfg_set_path(loader *L, char **field, const cfg_node *k,
		  const cfg_node *v);
/* A private key readable by others is refused (the error at v). */
void cfg_check_key_file(loader *L, const cfg_node *v, const char *path);
/* A tls: mapping (ca_file, client_cert, client_key) at v into d; SECTION
 * names it in messages ("tls", "metrics.tls"). */
void cfg_load_tls(loader *L, const cfg_node *k, const cfg_node *v, tls_dest *d,
		  const char *section);
/* Check every key of map against specs (unknown keys get a suggestion). */
void cfg_walk_map(loader *L, const cfg_node *map, const key_spec *specs,
		  size_t n, const char *section);
/* A section that is a mapping; "thresholds:" with nothing is allowed. */
bool cfg_want_map(loader *L, const cfg_node *k, const cfg_node *v,
		  const char *what);

/* ---- endpoints.c ---- */
/* "host", "host:port", "[v6]:port" in s[0..n); the port is required when
 * need_port. */
bool cfg_good_hostport(const char *s, size_t n, bool need_port);
void cfg_k_sites(loader *L, const cfg_node *k, const cfg_node *v);
void cfg_k_alertmanagers(loader *L, const cfg_node *k, const cfg_node *v);
/* A checked copy of an http(s) base URL without trailing slashes, or NULL
 * after reporting why. */
char *cfg_check_url(loader *L, const cfg_node *v);

/* ---- metrics.c ---- */
void cfg_k_metrics(loader *L, const cfg_node *k, const cfg_node *v);
void cfg_metrics_free(cfg_metrics *m);

/* ---- keybinds.c ---- */
void cfg_k_keys(loader *L, const cfg_node *k, const cfg_node *v);

#endif
