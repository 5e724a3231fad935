/* SPDX-License-Identifier: ISC (see COPYING) */
/* cache/bulk.c: the first full walk into an empty table loads without its
 * secondary indexes and triggers, which are built once at the end.
 *
 * Measured at a million breaks: keeping nine indexes current row by row
 * made every page rewrite hundreds of scattered index pages (3.3k rows/s);
 * appending to the bare table and sorting each index once at the end is an
 * order of magnitude faster. The definitions dropped are kept in
 * bulk_saved (in the same transaction as the drop), so a console that
 * quits half way resumes the load the same way and the end recreates
 * exactly what the schema had, whatever migration made it. While a load is
 * in progress queries still answer (by scanning) and counts do not use the
 * summary table, which is rebuilt at the end. The build itself is
 * cache/build.c: the console runs it on a thread of its own. */
#include "cache/cache_int.h"

#include <stdio.h>
#include <string.h>

bool cache_bulk_active(const cache *c, api_kind kind)
{
	return c->bulk[kind];
}

static int table_empty(cache *c, api_kind kind, bool *empty)
{
	char sql[96];
	sqlite3_stmt *st = NULL;
	snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", cache_table(kind));
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "bulk");
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_fail(c, "bulk");
	*empty = rc == SQLITE_DONE;
	return 0;
}

int cache_bulk_load_flags(cache *c)
{
	sqlite3_stmt *st = NULL;
	for (int k = 0; k < CACHE_N_KINDS; k++)
		c->bulk[k] = false;
	if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT coll FROM bulk_saved", -1, &st, NULL) != SQLITE_OK)
		return cache_fail(c, "bulk state");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *coll = (const char *)sqlite3_column_text(st, 0);
		for (int k = 0; k < CACHE_N_KINDS; k++)
			if (coll && strcmp(coll, cache_table((api_kind)k)) == 0)
				c->bulk[k] = true;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cache_fail(c, "bulk state");
}

int cache_bulk_settle(cache *c)
{
	for (int k = 0; k < CACHE_N_KINDS; k++) {
		bool empty = false;
		if (!c->bulk[k])
			continue;
		if (table_empty(c, (api_kind)k, &empty) != 0)
			return -1;
		if (empty && cache_bulk_end(c, (api_kind)k) != 0)
			return -1;
	}
	return 0;
}


int cache_bulk_begin(cache *c, api_kind kind)
{
	if (c->bulk[kind])
		return 0;
	if (c->build) {
		snprintf(c->err, sizeof c->err, "the indexes are being built");
		return -1;
	}
	bool empty = false;
	if (table_empty(c, kind, &empty) != 0)
		return -1;
	if (!empty)
		return 1;
	if (cache_begin(c) != 0)
		return -1;
	sqlite3_stmt *st = NULL;
	/* the PRIMARY KEY's own index has no SQL and stays */
	if (sqlite3_prepare_v2(c->db, "INSERT INTO bulk_saved (coll, name, sql)"
			       " SELECT ?1, name, sql FROM sqlite_master"
			       " WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, cache_table(kind), -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (sqlite3_prepare_v2(c->db, "SELECT name, type FROM sqlite_master"
			       " WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, cache_table(kind), -1, SQLITE_STATIC);
	/* collect first: dropping while stepping over sqlite_master is not allowed */
	char names[32][128];
	bool is_trigger[32];
	size_t n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 32) {
		snprintf(names[n], sizeof names[n], "%s", (const char *)sqlite3_column_text(st, 0));
		is_trigger[n] = strcmp((const char *)sqlite3_column_text(st, 1), "trigger") == 0;
		n++;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) {
		char *sql = sqlite3_mprintf("DROP %s %w", is_trigger[i] ? "TRIGGER" : "INDEX", names[i]);
		int e = sql ? cache_exec(c, sql) : -1;
		sqlite3_free(sql);
		if (e != 0)
			goto fail;
	}
	if (cache_commit(c) != 0)
		return -1;
	c->bulk[kind] = true;
	return 0;
fail:
	cache_fail(c, "bulk begin");
	cache_rollback(c);
	return -1;
}
