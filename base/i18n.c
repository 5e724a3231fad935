/* SPDX-License-Identifier: ISC (see COPYING) */
/* base/i18n.c: locale and catalogue set-up. */
#include "config.h"

#include "base/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PAYOPS_LOCALEDIR
#define PAYOPS_LOCALEDIR "/usr/share/locale"
#endif

static char chosen[PATH_MAX];

/* po/locale beside the running binary, when it exists: a build tree. */
static int beside_binary(char *out, size_t outsz)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	struct stat st;
	int w = snprintf(out, outsz, "%s/po/locale", self);
	if (w < 0 || (size_t)w >= outsz || stat(out, &st) != 0 || !S_ISDIR(st.st_mode))
		return -1;
	return 0;
}

void i18n_init(void)
{
	setlocale(LC_ALL, "");
	const char *env = getenv("PAYOPS_LOCALEDIR");
	int n = env && *env ? snprintf(chosen, sizeof chosen, "%s", env) : -1;
	if ((n < 0 || (size_t)n >= sizeof chosen) &&
	    beside_binary(chosen, sizeof chosen) != 0)
		snprintf(chosen, sizeof chosen, "%s", PAYOPS_LOCALEDIR);
	bindtextdomain(PACKAGE, chosen);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}
