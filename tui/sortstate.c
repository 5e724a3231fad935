/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/sortstate.c: each pane's sort, kept across restarts in a small file
 * beside the cache ($XDG_CACHE_HOME/payops/sort): one line a pane, "PANE
 * COLUMN asc|desc" by the names :sort takes. A missing or damaged file
 * leaves the panes' own defaults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "tui/app_int.h"

#define SORT_FILE "sort"

static char *sort_path(const app *a, bool make_dir)
{
	char *dir = cfg_cache_dir(a->env.cfg);
	if (!dir)
		return NULL;
	if (make_dir && cache_make_dirs(dir) != 0) {
		free(dir);
		return NULL;
	}
	size_t n = strlen(dir) + sizeof "/" SORT_FILE;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, SORT_FILE);
	free(dir);
	return p;
}

void app_sort_load(app *a)
{
	char *path = sort_path(a, false);
	FILE *f = path ? fopen(path, "r") : NULL;
	free(path);
	if (!f)
		return;
	char line[256], pane[64], col[64], dir[16];
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "%63s %63s %15s", pane, col, dir) != 3)
			continue;
		int v = view_find(pane);
		if (v < 0 || !view_classes[v]->table || !view_classes[v]->sort_by)
			continue;
		table *t = view_classes[v]->table(a->views[v]);
		int c = t ? table_col_by_name(t, col) : -1;
		if (c >= 0)
			view_classes[v]->sort_by(a->views[v], c,
						 strcmp(dir, "desc") == 0);
	}
	fclose(f);
}

void app_sort_save(app *a)
{
	char *path = sort_path(a, true);
	if (!path)
		return;
	size_t n = strlen(path) + 5;
	char *tmp = malloc(n);
	FILE *f = NULL;
	if (tmp) {
		snprintf(tmp, n, "%s.new", path);
		f = fopen(tmp, "w");
	}
	for (int i = 0; f && i < VIEW_COUNT; i++) {
		if (!a->views[i] || !view_classes[i]->table)
			continue;
		table *t = view_classes[i]->table(a->views[i]);
		int c = t ? table_sort_col(t) : -1;
		char col[64];
		if (c < 0)
			continue;
		table_col_name(t, c, col, sizeof col);
		fprintf(f, "%s %s %s\n", view_classes[i]->name, col,
			table_sort_desc(t) ? "desc" : "asc");
	}
	if (f && fclose(f) == 0)
		rename(tmp, path);
	free(tmp);
	free(path);
}
