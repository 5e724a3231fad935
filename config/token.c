/* SPDX-License-Identifier: ISC (see COPYING) */
/* config/token.c: the API token, from a private file or the environment.
 * No message here ever contains the token or any part of it. */
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

#define DEFAULT_TOKEN_ENV "PAYOPS_TOKEN"
#define SHOWN 512 /* how much of a path a message quotes */

static void say(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errsz, const char *fmt, ...)
{
	if (!err || errsz == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Trim and check buf[0..len); on success a malloc'd copy. `where` names the
 * source for messages ("token file /x", "environment variable PAYOPS_TOKEN"). */
static char *accept(const char *buf, size_t len, const char *where, char *err,
		    size_t errsz)
{
	size_t a = 0, b = len;
	while (a < b && is_space((unsigned char)buf[a]))
		a++;
	while (b > a && is_space((unsigned char)buf[b - 1]))
		b--;
	if (a == b) {
		say(err, errsz, _("%s is empty"), where);
		return NULL;
	}
	if (b - a > CFG_TOKEN_MAX) {
		say(err, errsz, _("the token in %s is longer than %d bytes"),
		    where, CFG_TOKEN_MAX);
		return NULL;
	}
	for (size_t i = a; i < b; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if (ch < 0x20 || ch == 0x7f) {
			say(err, errsz,
			    _("the token in %s contains a control character "
			    "(at byte %zu)"),
			    where, i - a + 1);
			return NULL;
		}
	}
	char *t = malloc(b - a + 1);
	if (!t) {
		say(err, errsz, _("out of memory"));
		return NULL;
	}
	memcpy(t, buf + a, b - a);
	t[b - a] = '\0';
	return t;
}

static char *from_file(const char *path, char *err, size_t errsz)
{
	char where[SHOWN + 16];
	char shown[SHOWN];
	cfg_show(path, shown, sizeof shown);
	/* TRANSLATORS: %s is a path; the result is the %s of the token
	 * messages below. */
	snprintf(where, sizeof where, _("token file %s"), shown);

	/* O_NONBLOCK: a FIFO must not hang the console; it is refused below */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			say(err, errsz,
			    _("cannot open %s: %s (create it with the token on "
			    "one line and chmod 600 %s, or use token_env)"),
			    where, strerror(e), shown);
		else
			say(err, errsz, _("cannot open %s: %s"), where,
			    strerror(e));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		say(err, errsz, _("cannot stat %s: %s"), where, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		say(err, errsz, S_ISDIR(st.st_mode) ?
		    _("%s is a directory, not a regular file") :
		    _("%s is a special file, not a regular file"), where);
		close(fd);
		return NULL;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		say(err, errsz,
		    _("%s has mode %04o: it must not be accessible by group or "
		    "others; run: chmod 600 %s"),
		    where, (unsigned)(st.st_mode & 07777), shown);
		close(fd);
		return NULL;
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		say(err, errsz,
		    _("%s belongs to uid %u, not to you (uid %u) or root"), where,
		    (unsigned)st.st_uid, (unsigned)geteuid());
		close(fd);
		return NULL;
	}
	/* room for the longest token plus generous surrounding whitespace */
	char buf[CFG_TOKEN_MAX * 2 + 2];
	size_t len = 0;
	for (;;) {
		ssize_t k = read(fd, buf + len, sizeof buf - len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			say(err, errsz, _("cannot read %s: %s"), where,
			    strerror(errno));
			close(fd);
			explicit_bzero(buf, sizeof buf);
			return NULL;
		}
		if (k == 0)
			break;
		len += (size_t)k;
		if (len == sizeof buf)
			break;
	}
	close(fd);
	char *t = NULL;
	if (len == sizeof buf)
		say(err, errsz, _("the token in %s is longer than %d bytes"), where,
		    CFG_TOKEN_MAX);
	else
		t = accept(buf, len, where, err, errsz);
	explicit_bzero(buf, sizeof buf);
	return t;
}

static char *from_env(const char *name, char *err, size_t errsz)
{
	char where[128], shown[72];
	/* TRANSLATORS: %s is a variable name such as PAYOPS_TOKEN. */
	snprintf(where, sizeof where, _("environment variable %s"),
		 cfg_show(name, shown, sizeof shown));
	const char *v = getenv(name);
	if (!v) {
		say(err, errsz, _("%s is not set (export it, or use token_file)"),
		    where);
		return NULL;
	}
	return accept(v, strlen(v), where, err, errsz);
}

char *cfg_read_metrics_token(const cfg_config *c, char *err, size_t errsz)
{
	say(err, errsz, "%s", "");
	if (!c)
		return NULL;
	if (c->metrics.token_file)
		return from_file(c->metrics.token_file, err, errsz);
	if (c->metrics.token_env)
		return from_env(c->metrics.token_env, err, errsz);
	return NULL;
}

char *cfg_read_token(const cfg_config *c, char *err, size_t errsz)
{
	say(err, errsz, "%s", "");
	if (c && c->token_file)
		return from_file(c->token_file, err, errsz);
	return from_env(c && c->token_env ? c->token_env : DEFAULT_TOKEN_ENV,
			err, errsz);
}
