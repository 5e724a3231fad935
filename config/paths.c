/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/paths.c: where the config, state and cache live (XDG base
 * directories), and the "~" / $HOME expansion applied to paths in the file. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"
#include "base/i18n.h"

#define PATH_LIMIT 4096

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* $HOME, else the password database. */
static const char *home_dir(void)
{
	const char *h = env_nonempty("HOME");
	if (h)
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

/* An XDG base directory: the variable when it holds an absolute path (the
 * specification says to ignore relative ones), else ~/fallback. */
static char *xdg_join(const char *var, const char *fallback,
		      const char *tail)
{
	char buf[PATH_LIMIT];
	const char *base = env_nonempty(var);
	int n;
	if (base && base[0] == '/') {
		n = snprintf(buf, sizeof buf, "%s/%s", base, tail);
	} else {
		const char *h = home_dir();
		if (!h)
			return NULL;
		n = snprintf(buf, sizeof buf, "%s/%s/%s", h, fallback, tail);
	}
	if (n < 0 || (size_t)n >= sizeof buf)
		return NULL;
	return strdup(buf);
}

static bool var_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static bool append(char *out, size_t *o, const char *s, size_t n)
{
	if (*o + n >= PATH_LIMIT)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return true;
}

char *cfg_expand_path(const char *in, char *err, size_t errsz)
{
	char out[PATH_LIMIT];
	size_t o = 0;
	const char *p = in;
	const char *home = getenv("HOME");
	out[0] = '\0';
	if (!*in) {
		snprintf(err, errsz, "%s", _("the path is empty"));
		return NULL;
	}
	if (p[0] == '~') {
		if (p[1] != '\0' && p[1] != '/') {
			snprintf(err, errsz,
				 "%s", _("'~user' is not expanded: write the full path"));
			return NULL;
		}
		if (!home || !*home) {
			snprintf(err, errsz,
				 "%s", _("HOME is not set, so '~' cannot be expanded"));
			return NULL;
		}
		if (!append(out, &o, home, strlen(home)))
			goto too_long;
		p++;
	}
	while (*p) {
		if (p[0] == '$' && (var_char(p[1], true) || p[1] == '{')) {
			bool braced = p[1] == '{';
			const char *name = p + 1 + braced;
			size_t len = 0;
			while (var_char(name[len], len == 0))
				len++;
			bool ok = len == 4 && strncmp(name, "HOME", 4) == 0 &&
				  (!braced || name[len] == '}');
			if (!ok) {
				char shown[72];
				char var[64];
				snprintf(var, sizeof var, "%.*s",
					 (int)(len < 40 ? len : 40), name);
				snprintf(err, errsz,
					 _("only $HOME is expanded in paths, not "
					 "'$%s'"),
					 cfg_show(var, shown, sizeof shown));
				return NULL;
			}
			if (!home || !*home) {
				snprintf(err, errsz,
					 "%s", _("HOME is not set, so '$HOME' cannot "
					 "be expanded"));
				return NULL;
			}
			if (!append(out, &o, home, strlen(home)))
				goto too_long;
			p = name + len + braced;
			continue;
		}
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, errsz,
				 "%s", _("the path contains a control character"));
			return NULL;
		}
		if (!append(out, &o, p, 1))
			goto too_long;
		p++;
	}
	if (out[0] != '/') {
		snprintf(err, errsz,
			 "%s", _("must be an absolute path (or start with ~/ or "
			 "$HOME/)"));
		return NULL;
	}
	char *r = strdup(out);
	if (!r)
		snprintf(err, errsz, "%s", _("out of memory"));
	return r;
too_long:
	snprintf(err, errsz, _("the path is longer than %d bytes"),
		 PATH_LIMIT - 1);
	return NULL;
}

/* True when the path is there, or when something other than absence (say a
 * permission) stands in the way: cfg_load then reports that reason. */
static bool present(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return true;
	return errno != ENOENT && errno != ENOTDIR;
}

static void note(char *searched, size_t sz, const char *what)
{
	if (!searched || sz == 0)
		return;
	size_t used = strlen(searched);
	if (used + 1 >= sz)
		return;
	snprintf(searched + used, sz - used, "%s%s", used ? ", " : "", what);
}

static char *pick(const char *path, const char *why, char *searched,
		  size_t sz)
{
	char what[PATH_LIMIT + 64];
	snprintf(what, sizeof what, "%s (%s)", path, why);
	note(searched, sz, what);
	return present(path) ? strdup(path) : NULL;
}

char *cfg_find(const char *cli_path, char *searched, size_t searched_sz)
{
	if (searched && searched_sz)
		searched[0] = '\0';
	/* an explicit choice never falls back to another file */
	if (cli_path && *cli_path)
		return pick(cli_path, "--config", searched, searched_sz);
	const char *env = env_nonempty("PAYOPS_CONFIG");
	if (env)
		return pick(env, "$PAYOPS_CONFIG", searched, searched_sz);
	char *user = xdg_join("XDG_CONFIG_HOME", ".config",
			      "payops/config.yaml");
	if (user) {
		/* TRANSLATORS: the label after the path in "searched: PATH
		 * (user)". */
		char *found = pick(user, _("user"), searched, searched_sz);
		free(user);
		if (found)
			return found;
	}
	return pick("/etc/payops/config.yaml", _("system"), searched,
		    searched_sz);
}

char *cfg_audit_path(const cfg_config *c)
{
	if (c && c->audit_db)
		return strdup(c->audit_db);
	return xdg_join("XDG_STATE_HOME", ".local/state", "payops/audit.db");
}

char *cfg_cache_dir(const cfg_config *c)
{
	if (c && c->cache_dir)
		return strdup(c->cache_dir);
	return xdg_join("XDG_CACHE_HOME", ".cache", "payops");
}
