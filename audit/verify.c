/* SPDX-License-Identifier: ISC (see COPYING) */
/* verify.c - walking the hash chain to find the first row that was edited,
 * deleted, inserted or moved. */
#include <stdio.h>
#include <string.h>

#include "audit/audit_int.h"

int audit_verify(struct audit_log *log, int64_t *rows_out, int64_t *first_bad_seq,
                 char *why, size_t whysz)
{
	sqlite3_stmt *st;
	struct audit_row r;
	char prev[65], calc[65];
	int64_t expect = 1, rows = 0;
	int rc, bad = 0;

	if (rows_out)
		*rows_out = 0;
	if (first_bad_seq)
		*first_bad_seq = 0;
	if (why && whysz)
		why[0] = '\0';
	snprintf(prev, sizeof prev, "%s", AUDIT_ZERO_HASH);
	/* One read transaction: a consistent snapshot while others append. */
	if (sqlite3_exec(log->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "begin");
	if (sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = audit_sqlerr(log, "prepare verify");
		audit_rollback(log);
		return rc;
	}
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		audit_row_from_stmt(st, 0, &r);
		if (r.seq != expect) {
			bad = 1;
			if (r.seq > expect)
				snprintf(why, whysz, "gap: row %lld is missing (next row is %lld)",
				         (long long)expect, (long long)r.seq);
			else
				snprintf(why, whysz, "gap: row %lld out of sequence (expected %lld)",
				         (long long)r.seq, (long long)expect);
			if (first_bad_seq)
				*first_bad_seq = expect;
			break;
		}
		if (audit_row_hash(&r, calc) != 0) {
			rc = audit_seterr(log, AUDIT_ERR, "SHA-256 failed");
			goto fail;
		}
		if (strcmp(calc, r.hash) != 0) {
			bad = 1;
			snprintf(why, whysz, "hash mismatch: row %lld content does not match its hash",
			         (long long)r.seq);
		} else if (strcmp(r.prev_hash, prev) != 0) {
			bad = 1;
			snprintf(why, whysz, "broken link: row %lld prev_hash does not match row %lld's hash",
			         (long long)r.seq, (long long)(r.seq - 1));
		} else if (strcmp(r.kind, "outcome") == 0 &&
		           (r.intent_seq <= 0 || r.intent_seq >= r.seq)) {
			bad = 1;
			snprintf(why, whysz, "bad reference: outcome row %lld names intent %lld",
			         (long long)r.seq, (long long)r.intent_seq);
		}
		if (bad) {
			if (first_bad_seq)
				*first_bad_seq = r.seq;
			break;
		}
		snprintf(prev, sizeof prev, "%s", r.hash);
		expect++;
		rows++;
	}
	if (!bad && rc != SQLITE_DONE) {
		rc = audit_sqlerr(log, "read rows");
		goto fail;
	}
	sqlite3_finalize(st);
	audit_rollback(log);
	if (rows_out)
		*rows_out = rows;
	return bad ? 1 : 0;
fail:
	sqlite3_finalize(st);
	audit_rollback(log);
	return rc;
}

int audit_verify_tail(struct audit_log *log, int64_t *seq_out, char *why, size_t whysz)
{
	sqlite3_stmt *st;
	int64_t acked = 0, head = 0;
	char dest[256] = "", hash[65] = "", now[65] = "";
	int rc, bad = 0;

	*seq_out = 0;
	if (why && whysz)
		why[0] = '\0';
	if (sqlite3_exec(log->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "begin");
	if (sqlite3_prepare_v2(log->db, "SELECT dest, acked_seq, acked_hash,"
	                       " (SELECT max(seq) FROM audit_log),"
	                       " (SELECT hash FROM audit_log WHERE seq = acked_seq)"
	                       " FROM audit_fwd_cursor ORDER BY acked_seq DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK) {
		rc = audit_sqlerr(log, "read forwarding cursors");
		audit_rollback(log);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 0);
		const unsigned char *h = sqlite3_column_text(st, 2);
		const unsigned char *n = sqlite3_column_text(st, 4);
		snprintf(dest, sizeof dest, "%s", d ? (const char *)d : "?");
		acked = sqlite3_column_int64(st, 1);
		snprintf(hash, sizeof hash, "%s", h ? (const char *)h : "");
		head = sqlite3_column_int64(st, 3);
		snprintf(now, sizeof now, "%s", n ? (const char *)n : "");
	}
	sqlite3_finalize(st);
	audit_rollback(log);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return audit_sqlerr(log, "read forwarding cursors");
	if (acked > head) {
		bad = 1;
		snprintf(why, whysz, "the log ends at row %lld but %s acknowledged rows up to "
		         "%lld: its newest rows were removed", (long long)head, dest,
		         (long long)acked);
		*seq_out = head + 1;
	} else if (acked > 0 && *hash && strcmp(hash, now) != 0) {
		bad = 1;
		snprintf(why, whysz, "differs from the row %s acknowledged (hash %.12s..., now "
		         "%.12s...): it or a row before it was rewritten", dest, hash,
		         *now ? now : "none");
		*seq_out = acked;
	}
	return bad;
}
