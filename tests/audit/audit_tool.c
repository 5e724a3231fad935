/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit-tool: `payops audit ...` for the shell tests, plus an `append`
 * command that writes intent/outcome pairs the way the console does, and
 * `rehash`, an attacker's tool: recompute every hash from a row on, after
 * the row was rewritten (with the triggers dropped). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_int.h"

static int append_main(int argc, char **argv)
{
	const char *db = NULL, *action = "channel.disable", *target = "test.channel";
	const char *reason = "test", *outcome = "applied", *operator_id = "op.test";
	long count = 1;
	int nosync = 0;
	for (int i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "--nosync") == 0) { nosync = 1; i--; continue; }
		if (i + 1 >= argc) break;
		if (strcmp(argv[i], "--db") == 0) db = argv[i + 1];
		else if (strcmp(argv[i], "--count") == 0) count = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--action") == 0) action = argv[i + 1];
		else if (strcmp(argv[i], "--target") == 0) target = argv[i + 1];
		else if (strcmp(argv[i], "--reason") == 0) reason = argv[i + 1];
		else if (strcmp(argv[i], "--outcome") == 0) outcome = argv[i + 1];
		else if (strcmp(argv[i], "--operator") == 0) operator_id = argv[i + 1];
		else {
			fprintf(stderr, "audit-tool append: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	struct audit_log *log;
	char err[512];
	if (audit_open(db, &log, err, sizeof err) != AUDIT_OK) {
		fprintf(stderr, "audit-tool: %s\n", err);
		return 2;
	}
	/* many rows for a test, quickly: not how the console writes */
	if (nosync)
		sqlite3_exec(log->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	enum audit_outcome oc = AUDIT_APPLIED;
	int with_outcome = strcmp(outcome, "none") != 0;
	if (with_outcome && audit_outcome_parse(outcome, &oc) != 0) {
		fprintf(stderr, "audit-tool: bad outcome %s\n", outcome);
		audit_close(log);
		return 2;
	}
	for (long i = 0; i < count; i++) {
		char key[64];
		int64_t seq;
		snprintf(key, sizeof key, "k-%ld-%ld", (long)getpid(), i);
		struct audit_intent in = {
			.operator_id = operator_id, .site = "site-a", .action = action,
			.target = target, .state_before = "enabled", .reason = reason,
			.idempotency_key = key,
		};
		if (audit_append_intent(log, &in, &seq) != AUDIT_OK ||
		    (with_outcome && audit_append_outcome(log, seq, oc, "200", "", "disabled",
		                                          NULL, NULL) != AUDIT_OK)) {
			fprintf(stderr, "audit-tool: %s\n", audit_errmsg(log));
			audit_close(log);
			return 1;
		}
	}
	audit_close(log);
	return 0;
}

static int rehash_main(int argc, char **argv)
{
	struct audit_log *log;
	sqlite3_stmt *st, *up;
	char err[512], prev[65] = AUDIT_ZERO_HASH, hash[65];
	if (argc != 4) {
		fprintf(stderr, "usage: audit-tool rehash DB FROM_SEQ\n");
		return 2;
	}
	long from = strtol(argv[3], NULL, 10);
	if (audit_open(argv[2], &log, err, sizeof err) != AUDIT_OK) {
		fprintf(stderr, "audit-tool: %s\n", err);
		return 2;
	}
	sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq", -1,
	                   &st, NULL);
	sqlite3_prepare_v2(log->db, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
	                   -1, &up, NULL);
	sqlite3_exec(log->db, "BEGIN", NULL, NULL, NULL);
	int rc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct audit_row r;
		audit_row_from_stmt(st, 0, &r);
		if (r.seq < from) {
			snprintf(prev, sizeof prev, "%s", r.hash);
			continue;
		}
		r.prev_hash = prev;
		audit_row_hash(&r, hash);
		sqlite3_bind_text(up, 1, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(up, 2, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(up, 3, r.seq);
		if (sqlite3_step(up) != SQLITE_DONE) {
			fprintf(stderr, "audit-tool: %s\n", sqlite3_errmsg(log->db));
			rc = 1;
			break;
		}
		sqlite3_reset(up);
		snprintf(prev, sizeof prev, "%s", hash);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	sqlite3_exec(log->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	audit_close(log);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "append") == 0)
		return append_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "rehash") == 0)
		return rehash_main(argc, argv);
	return audit_cli_main(argc, argv);
}
