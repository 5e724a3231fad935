/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/json.c: one cached object's JSON text as the platform sent it, for
 * the command line's `-o json` (the objects as decoded, nothing re-encoded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"

int cache_get_json(cache *c, api_kind kind, const char *id, char **out)
{
	*out = NULL;
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT json FROM %s WHERE id = ?", cache_table(kind));
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "read json");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	int ret = 1;
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		*out = strdup(t ? t : "null");
		ret = *out ? 0 : -1;
	} else if (rc != SQLITE_DONE) {
		ret = cache_fail(c, "read json");
	}
	sqlite3_finalize(st);
	return ret;
}
