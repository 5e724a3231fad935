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

size_t fixture_save_items(cache *c, api_kind kind, json_t *items)
{
	json_t *o = json_pack("{s:o,s:n}", "data", items, "next_cursor");
	char *body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	assert_non_null(body);
	cache_page_result r;
	if (cache_save_page(c, kind, body, strlen(body), &r) != 0)
		fail_msg("save: %s", cache_error(c));
	size_t rejected = r.n_rejected;
	cache_page_result_free(&r);
	free(body);
	return rejected;
}
