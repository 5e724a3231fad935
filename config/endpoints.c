/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/endpoints.c: the sites and alertmanagers of payops.yaml: lists of
 * name: and url:, each name checked, each URL checked (http or https, a
 * host[:port], no credentials, query or fragment, not ending in /v1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/load_int.h"
#include "base/i18n.h"

/* ---- names, hosts, URLs ---------------------------------------------- */

static bool good_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '-'))
			return false;
	}
	return true;
}

/* "host", "host:port", "[v6]:port" in s[0..n); the port is required when
 * need_port. */
bool cfg_good_hostport(const char *s, size_t n, bool need_port)
{
	size_t host_end, i;
	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return false;
		host_end = (size_t)(close - s) + 1;
	} else {
		for (host_end = 0; host_end < n && s[host_end] != ':';
		     host_end++)
			if (s[host_end] == '[' || s[host_end] == ']')
				return false;
		if (host_end == 0)
			return false;
	}
	if (host_end == n)
		return !need_port;
	if (s[host_end] != ':' || host_end + 1 == n || n - host_end - 1 > 5)
		return false;
	long port = 0;
	for (i = host_end + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		port = port * 10 + (s[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

/* A checked copy of the URL without trailing slashes, or NULL. */
char *cfg_check_url(loader *L, const cfg_node *v)
{
	const char *s = v->text;
	size_t len = v->len, off;
	char vs[72];
	cfg_show(s, vs, sizeof vs);
	if (len > 2048) {
		cfg_err_at(&L->r, AT(v), _("url is longer than 2048 characters"));
		return NULL;
	}
	if (!strncasecmp(s, "http://", 7))
		off = 7;
	else if (!strncasecmp(s, "https://", 8))
		off = 8;
	else {
		cfg_err_at(&L->r, AT(v),
			   _("url '%s' must start with http:// or https://"), vs);
		return NULL;
	}
	size_t auth_len = strcspn(s + off, "/?#");
	if (memchr(s + off, '@', auth_len)) {
		/* do not quote it: it may hold a password */
		cfg_err_at(&L->r, AT(v),
			   _("the url must not contain credentials (user@host); "
			   "use token_env or token_file"));
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= 0x20 || ch == 0x7f) {
			cfg_err_at(&L->r, AT(v),
				   _("url '%s' contains a space or control "
				   "character"),
				   vs);
			return NULL;
		}
	}
	if (strpbrk(s + off, "?#")) {
		cfg_err_at(&L->r, AT(v),
			   _("url '%s' must not have a query or fragment"), vs);
		return NULL;
	}
	if (!cfg_good_hostport(s + off, auth_len, false)) {
		cfg_err_at(&L->r, AT(v), _("url '%s' has no valid host[:port]"),
			   vs);
		return NULL;
	}
	while (len > off + auth_len && s[len - 1] == '/')
		len--;
	if (len >= off + auth_len + 3 && !strncmp(s + len - 3, "/v1", 3)) {
		cfg_err_at(&L->r, AT(v),
			   _("url '%s' ends in /v1: give the base URL, payops "
			   "adds /v1 itself"),
			   vs);
		return NULL;
	}
	char *out = strndup(s, len);
	return out;
}

/* ---- sites and alertmanagers ----------------------------------------- */

static void ep_name(loader *L, const cfg_node *k, const cfg_node *v)
{
	const char *s = cfg_scalar(L, k, v, _("a name"));
	if (!s)
		return;
	if (!good_name(s)) {
		char vs[72];
		cfg_err_at(&L->r, AT(v),
			   _("name '%s' must be 1 to 32 letters, digits, '.', "
			   "'_' or '-'"),
			   cfg_show(s, vs, sizeof vs));
		return;
	}
	cfg_set_str(&L->ep->name, s);
	L->ep->at = v;
}

static void ep_url(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (!cfg_scalar(L, k, v, _("a URL")))
		return;
	char *u = cfg_check_url(L, v);
	if (u) {
		free(L->ep->url);
		L->ep->url = u;
	}
}

static const key_spec endpoint_keys[] = {
	{ "name", ep_name },
	{ "url", ep_url },
};

/* Read a list of {name, url}; `names`/`urls` are parallel to the
 * config's array of that kind. */
typedef struct {
	const char *noun;   /* "site" */
	const char *plural; /* "sites" */
	size_t max;
	size_t *count;
	char *(*name_at)(cfg_config *, size_t);
	void (*store)(cfg_config *, size_t, char *name, char *url);
} endpoint_list;

static char *site_name(cfg_config *c, size_t i)
{
	return c->sites[i].name;
}
static void site_store(cfg_config *c, size_t i, char *name, char *url)
{
	c->sites[i].name = name;
	c->sites[i].url = url;
}
static char *am_name(cfg_config *c, size_t i)
{
	return c->alertmanagers[i].name;
}
static void am_store(cfg_config *c, size_t i, char *name, char *url)
{
	c->alertmanagers[i].name = name;
	c->alertmanagers[i].url = url;
}

static void read_endpoints(loader *L, const cfg_node *k, const cfg_node *v,
			   const endpoint_list *el)
{
	const cfg_node *seen[CFG_MAX_SITES > CFG_MAX_ALERTMANAGERS
				     ? CFG_MAX_SITES
				     : CFG_MAX_ALERTMANAGERS];
	if (v->kind != CFG_SEQ) {
		cfg_err_at(&L->r, AT(cfg_node_is_null(v) ? k : v),
			   /* TRANSLATORS: a key name (sites, alertmanagers),
			    * then "a mapping", "a single value"... */
			   _("expected a list of %s, found %s"),
			   el->plural, cfg_kind_name(v));
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		const cfg_node *item = v->kids[i];
		if (item->bad)
			continue;
		if (i == el->max) {
			cfg_err_at(&L->r, AT(item), _("too many %s (at most %zu)"),
				   el->plural, el->max);
			break;
		}
		if (item->kind != CFG_MAP) {
			cfg_err_at(&L->r, AT(item),
				   _("expected a %s (name: and url:), found %s"),
				   el->noun, cfg_kind_name(item));
			continue;
		}
		endpoint ep = { 0 };
		size_t before = L->r.count;
		L->ep = &ep;
		cfg_walk_map(L, item, endpoint_keys, COUNT(endpoint_keys),
			 el->plural);
		L->ep = NULL;
		if (L->r.count == before) {
			if (!ep.name)
				cfg_err_at(&L->r, AT(item), _("%s has no 'name'"),
					   el->noun);
			else if (!ep.url)
				cfg_err_at(&L->r, AT(item),
					   _("%s '%s' has no 'url'"), el->noun,
					   ep.name);
		}
		for (size_t j = 0; ep.name && j < *el->count; j++) {
			if (strcmp(el->name_at(L->c, j), ep.name))
				continue;
			cfg_err_at(&L->r, AT(ep.at),
				   _("duplicate %s name '%s' (first at %d:%d)"),
				   el->noun, ep.name, AT(seen[j]));
			break;
		}
		if (L->r.count == before && ep.name && ep.url) {
			seen[*el->count] = ep.at;
			el->store(L->c, (*el->count)++, ep.name, ep.url);
		} else {
			free(ep.name);
			free(ep.url);
		}
	}
}

void cfg_k_sites(loader *L, const cfg_node *k, const cfg_node *v)
{
	L->sites_key = k;
	endpoint_list el = { "site", "sites", CFG_MAX_SITES, &L->c->n_sites,
			     site_name, site_store };
	size_t before = L->r.count;
	read_endpoints(L, k, v, &el);
	if (L->c->n_sites == 0 && L->r.count == before)
		cfg_err_at(&L->r, AT(v), _("'sites' needs at least one site"));
}

void cfg_k_alertmanagers(loader *L, const cfg_node *k, const cfg_node *v)
{
	if (cfg_node_is_null(v))
		return;
	endpoint_list el = { "alertmanager", "alertmanagers",
			     CFG_MAX_ALERTMANAGERS, &L->c->n_alertmanagers,
			     am_name, am_store };
	read_endpoints(L, k, v, &el);
}
