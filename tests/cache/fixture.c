/* tests/cache/fixture.c: see fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/cache/fixture.h"

char fixture_dir[256];

int fixture_setup_dir(void **state)
{
	(void)state;
	snprintf(fixture_dir, sizeof fixture_dir, "%s/cachetest.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(fixture_dir) ? 0 : -1;
}

static void rm_rf(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[768];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_rf(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int fixture_teardown_dir(void **state)
{
	(void)state;
	rm_rf(fixture_dir);
	return 0;
}

cache *fixture_mem_cache(void)
{
	char msg[512];
	cache *c = cache_open_path(":memory:", msg, sizeof msg);
	assert_non_null(c);
	assert_string_equal(msg, "");
	return c;
}
