/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/check.c: what the start would refuse or fail on in the files the
 * configuration names, found by --check-config and reported at the key
 * that names each file (see cfg_check_files in config.h). Nothing is
 * created, written or left open. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"
#include "base/i18n.h"

#define PATH_MAX_LEN 4096

static void say(cfg_report *r, cfg_pos at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(cfg_report *r, cfg_pos at, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at.line > 0)
		cfg_err_at(r, at.line, at.col, "%s", msg);
	else
		cfg_err_plain(r, "%s", msg);
}

/* The token file, read exactly as the start reads it (and forgotten). */
static void check_token(cfg_report *r, const cfg_config *c)
{
	char err[512];
	if (!c->token_file)
		return;
	char *t = cfg_read_token(c, err, sizeof err);
	if (t) {
		explicit_bzero(t, strlen(t));
		free(t);
		return;
	}
	say(r, c->at_token_file, _("'token_file': %s"), err);
}

/* A file the TLS layer reads: there, a regular file, readable by us. */
static void check_readable(cfg_report *r, cfg_pos at, const char *key,
			   const char *path)
{
	char shown[256];
	if (!path)
		return;
	cfg_show(path, shown, sizeof shown);
	/* O_NONBLOCK: a FIFO must not hang the check */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		say(r, at, _("'%s': cannot read %s: %s"), key, shown, strerror(errno));
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0)
		say(r, at, _("'%s': cannot stat %s: %s"), key, shown, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		say(r, at, S_ISDIR(st.st_mode) ?
		    _("'%s': %s is a directory, not a regular file") :
		    _("'%s': %s is a special file, not a regular file"), key,
		    shown);
	close(fd);
}

/* metrics: its token file and TLS files, by the same rules. */
static void check_metrics(cfg_report *r, const cfg_config *c)
{
	const cfg_metrics *m = &c->metrics;
	if (m->token_file) {
		char err[512];
		char *t = cfg_read_metrics_token(c, err, sizeof err);
		if (t) {
			explicit_bzero(t, strlen(t));
			free(t);
		} else {
			say(r, m->at_token_file, _("'metrics.token_file': %s"),
			    err);
		}
	}
	check_readable(r, m->at_ca_file, "metrics.tls.ca_file", m->ca_file);
	check_readable(r, m->at_client_cert, "metrics.tls.client_cert",
		       m->client_cert);
	check_readable(r, m->at_client_key, "metrics.tls.client_key",
		       m->client_key);
}

/* The directory `dir` is there and writable, or the nearest part of it
 * that is there is a directory we may create the rest in. NULL when fine,
 * else why not (in buf). */
static const char *dir_usable(const char *dir, char *buf, size_t bufsz)
{
	char p[PATH_MAX_LEN], shown[256];
	struct stat st;
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof p) {
		snprintf(buf, bufsz, "%s", _("the path is empty or too long"));
		return buf;
	}
	memcpy(p, dir, n + 1);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	bool missing = false;
	for (;;) {
		if (stat(p, &st) == 0)
			break;
		/* ENOTDIR: a part of it is a file, found on the way up */
		if (errno != ENOENT && errno != ENOTDIR) {
			snprintf(buf, bufsz, _("cannot look at %s: %s"),
				 cfg_show(p, shown, sizeof shown), strerror(errno));
			return buf;
		}
		missing = true;
		char *slash = strrchr(p, '/');
		if (!slash) {
			snprintf(p, sizeof p, ".");
			continue;
		}
		if (slash == p)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	cfg_show(p, shown, sizeof shown);
	if (!S_ISDIR(st.st_mode)) {
		snprintf(buf, bufsz, _("%s is not a directory"), shown);
		return buf;
	}
	if (access(p, W_OK | X_OK) != 0) {
		snprintf(buf, bufsz, missing ?
			 _("cannot create the directories it needs in %s: %s") :
			 _("cannot write in %s: %s"), shown, strerror(errno));
		return buf;
	}
	return NULL;
}

/* The audit log: a regular file we may read and write, or one its
 * directory lets be created. */
static void check_audit(cfg_report *r, const cfg_config *c)
{
	char *path = cfg_audit_path(c), shown[256], why[600];
	struct stat st;
	if (!path) {
		say(r, c->at_audit_db, _("the audit log: cannot tell where it goes "
		    "(no HOME)"));
		return;
	}
	cfg_show(path, shown, sizeof shown);
	const char *key = c->at_audit_db.line ? "'audit.db'" : _("the audit log");
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			/* TRANSLATORS: the first %s is 'audit.db' or "the
			 * audit log", the second a path. */
			say(r, c->at_audit_db, _("%s: %s is not a regular file"), key,
			    shown);
		else if (access(path, R_OK | W_OK) != 0)
			say(r, c->at_audit_db, _("%s: cannot write %s: %s (actions "
			    "would be refused)"), key, shown, strerror(errno));
	} else if (errno != ENOENT && errno != ENOTDIR) {
		say(r, c->at_audit_db, _("%s: cannot look at %s: %s"), key, shown,
		    strerror(errno));
	} else {
		char dir[PATH_MAX_LEN];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		if (dir_usable(dir, why, sizeof why))
			say(r, c->at_audit_db, _("%s: %s cannot be created: %s "
			    "(actions would be refused)"), key, shown, why);
	}
	free(path);
}

static void check_cache(cfg_report *r, const cfg_config *c)
{
	char *dir = cfg_cache_dir(c), shown[256], why[600];
	if (!dir)
		return; /* no HOME: the start says so, and goes on without */
	const char *key = c->at_cache_dir.line ? "'cache_dir'" : _("the cache");
	if (dir_usable(dir, why, sizeof why))
		/* TRANSLATORS: 'cache_dir' or "the cache", then a path, then
		 * the reason. */
		say(r, c->at_cache_dir, _("%s: %s cannot be used: %s (the console "
		    "would start without its cache)"), key,
		    cfg_show(dir, shown, sizeof shown), why);
	free(dir);
}

int cfg_check_files(const cfg_config *c, cfg_errors *errs)
{
	cfg_report r = { .file = c->path, .errs = errs };
	check_token(&r, c);
	check_readable(&r, c->at_ca_file, "tls.ca_file", c->ca_file);
	check_readable(&r, c->at_client_cert, "tls.client_cert", c->client_cert);
	check_readable(&r, c->at_client_key, "tls.client_key", c->client_key);
	check_metrics(&r, c);
	check_audit(&r, c);
	check_cache(&r, c);
	size_t n = r.count;
	cfg_report_finish(&r);
	return n ? -1 : 0;
}
