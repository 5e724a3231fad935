/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd_cursor.c - a destination's cursor row and its lease (table
 * audit_fwd_cursor), on the forwarding thread's own connection.
 *
 * Several consoles may share one log: the lease lets one of them forward to
 * a destination at a time, so no row is sent by two of them. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/fwd_int.h"
#include "text/text.h"

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int sqlfail(struct fwd_cursor *c, sqlite3_stmt *st, const char *what,
                   char *err, size_t errsz)
{
	audit_sqlerr(c->log, what);
	snprintf(err, errsz, "%s", c->log->err);
	sqlite3_finalize(st);
	audit_rollback(c->log);
	return -1;
}

int audit_fwd_lease(struct fwd_cursor *c, char *err, size_t errsz)
{
	struct audit_log *log = c->log;
	sqlite3_stmt *st = NULL;
	int64_t now = wall_ms(), mono = audit_monotonic_ms();

	if (c->owner_ok && mono - c->lease_at < AUDIT_FWD_RENEW_MS)
		return 1;
	c->lease_at = mono;
	if (audit_begin_immediate(log)) {
		snprintf(err, errsz, "%s", log->err);
		c->owner_ok = 0;
		return 0;
	}
	if (sqlite3_prepare_v2(log->db, "INSERT OR IGNORE INTO audit_fwd_cursor(dest) VALUES (?)",
	                       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, c->dest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(log->db, "SELECT last_seq, owner, lease_until FROM audit_fwd_cursor"
	                       " WHERE dest = ?", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, c->dest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	int64_t last = sqlite3_column_int64(st, 0);
	const char *owner = (const char *)sqlite3_column_text(st, 1);
	int64_t until = sqlite3_column_int64(st, 2);
	int was_mine = c->owner_ok && owner && strcmp(owner, c->owner) == 0;
	int mine = was_mine || !owner || !*owner || until < now;
	sqlite3_finalize(st);
	st = NULL;
	if (mine) {
		if (sqlite3_prepare_v2(log->db, "UPDATE audit_fwd_cursor SET owner = ?, lease_until = ?"
		                       " WHERE dest = ?", -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_text(st, 1, c->owner, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now + AUDIT_FWD_LEASE_MS);
		sqlite3_bind_text(st, 3, c->dest, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_finalize(st);
		st = NULL;
		if (!was_mine)
			c->cursor = c->saved = last;
	} else {
		c->cursor = c->saved = last; /* what the other console confirmed */
	}
	if (audit_commit(log)) {
		snprintf(err, errsz, "%s", log->err);
		c->owner_ok = 0;
		return 0;
	}
	c->owner_ok = mine;
	return mine;
fail:
	sqlfail(c, st, "forward cursor", err, errsz);
	c->owner_ok = 0;
	return 0;
}

int audit_fwd_save(struct fwd_cursor *c, char *err, size_t errsz)
{
	sqlite3_stmt *st;
	struct audit_log *log = c->log;
	char now[32];

	if (c->cursor == c->saved)
		return 0;
	if (sqlite3_prepare_v2(log->db,
	                       "UPDATE audit_fwd_cursor SET last_seq = ?1, updated_at = ?2,"
	                       " acked_hash = CASE WHEN ?1 > acked_seq THEN"
	                       "  coalesce((SELECT hash FROM audit_log WHERE seq = ?1), '')"
	                       "  ELSE acked_hash END,"
	                       " acked_seq = max(acked_seq, ?1)"
	                       " WHERE dest = ?3 AND owner = ?4", -1, &st, NULL) != SQLITE_OK) {
		audit_sqlerr(log, "save cursor");
		snprintf(err, errsz, "%s", log->err);
		return -1;
	}
	audit_now_rfc3339(now);
	sqlite3_bind_int64(st, 1, c->cursor);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->dest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->owner, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		audit_sqlerr(log, "save cursor");
		snprintf(err, errsz, "%s", log->err);
		return -1;
	}
	if (sqlite3_changes(log->db) == 0) {
		/* the lease went to another console while we were stalled */
		snprintf(err, errsz, "lease on %s lost", c->dest);
		c->owner_ok = 0;
		return -1;
	}
	c->saved = c->cursor;
	return 0;
}

/* A rewind lowers last_seq only: acked_seq keeps the highest confirmed. */
int audit_fwd_release(struct fwd_cursor *c)
{
	sqlite3_stmt *st;
	if (!c->owner_ok)
		return 0;
	if (sqlite3_prepare_v2(c->log->db, "UPDATE audit_fwd_cursor SET owner = '', lease_until = 0"
	                       " WHERE dest = ? AND owner = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, c->dest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->owner, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	c->owner_ok = 0;
	return rc == SQLITE_DONE ? 0 : -1;
}

int audit_fwd_head(struct audit_log *log, int64_t after, int64_t *head, int64_t *since)
{
	sqlite3_stmt *st;
	int rc;

	*head = 0;
	*since = 0;
	if (sqlite3_prepare_v2(log->db, "SELECT (SELECT max(seq) FROM audit_log),"
	                       " (SELECT time FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1)",
	                       -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "read head");
	sqlite3_bind_int64(st, 1, after);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 1);
		time_t tt;
		*head = sqlite3_column_int64(st, 0);
		if (t && time_parse_rfc3339((const char *)t, &tt) == 0)
			*since = (int64_t)tt;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : audit_sqlerr(log, "read head");
}

int audit_fwd_stored_lag(struct audit_log *log, const char *dest, struct audit_fwd_lag *out)
{
	sqlite3_stmt *st;
	int64_t cursor = 0, head, since;

	memset(out, 0, sizeof *out);
	if (!log || !dest)
		return AUDIT_EINVAL;
	if (sqlite3_prepare_v2(log->db, "SELECT last_seq, lease_until FROM audit_fwd_cursor"
	                       " WHERE dest = ?", -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "read forward cursor");
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cursor = sqlite3_column_int64(st, 0);
		out->forwarding = sqlite3_column_int64(st, 1) >= wall_ms();
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return audit_sqlerr(log, "read forward cursor");
	if (audit_fwd_head(log, cursor, &head, &since) != 0)
		return AUDIT_ERR;
	out->behind = head > cursor ? head - cursor : 0;
	out->since = out->behind ? since : 0;
	return AUDIT_OK;
}
