/* SPDX-License-Identifier: ISC (see COPYING) */
/* Unit tests of the audit log: chain, triggers, hashing, unresolved intents,
 * query filters, rows kept past the read, secrets, paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "tests/audit/fixture.h"
#include "tests/lib/unit.h"

struct fx {
	char dir[64];
	char path[128];
	struct audit_log *log;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	audit_fx_open(fx->dir, sizeof fx->dir, "audit-test", fx->path, sizeof fx->path, "audit.db",
		      &fx->log);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	audit_fx_close(fx->log, fx->path, fx->dir);
	free(fx);
	return 0;
}

static int64_t intent(struct audit_log *log, const char *action, const char *target,
                      const char *op, const char *reason)
{
	int64_t seq = 0;
	struct audit_intent in = {
		.operator_id = op, .site = "bj", .action = action, .target = target,
		.state_before = "enabled", .reason = reason, .ticket = "INC-1",
		.idempotency_key = "key-1", .local_user = "alice", .host = "jump1",
	};
	assert_int_equal(audit_append_intent(log, &in, &seq), AUDIT_OK);
	return seq;
}

static int exec_sql(const char *path, const char *sql, char **errmsg)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, errmsg);
	sqlite3_close(db);
	return rc;
}

static void test_append_chain_verify(void **state)
{
	struct fx *fx = *state;
	int64_t rows, bad, s1, s2, o1, count, last;
	char why[256], hash[65];

	assert_int_equal(audit_verify(fx->log, &rows, &bad, why, sizeof why), 0);
	assert_int_equal(rows, 0);
	s1 = intent(fx->log, "channel.quarantine", "icbc.direct.quickpay", "op.zhang", "timeouts");
	s2 = intent(fx->log, "route.reweight", "qr.cny.domestic", "op.li", "shift");
	assert_int_equal(s1, 1);
	assert_int_equal(s2, 2);
	assert_int_equal(audit_append_outcome(fx->log, s1, AUDIT_APPLIED, "200", "",
	                                      "quarantined", "req-9", &o1), AUDIT_OK);
	assert_int_equal(o1, 3);
	assert_int_equal(audit_verify(fx->log, &rows, &bad, why, sizeof why), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(audit_head(fx->log, &count, &last, hash), 0);
	assert_int_equal(count, 3);
	assert_int_equal(last, 3);
	assert_int_equal(strlen(hash), 64);
	/* an outcome for a row that is not an intent is refused */
	assert_int_equal(audit_append_outcome(fx->log, o1, AUDIT_APPLIED, "", "", "", "", NULL),
	                 AUDIT_ENOTFOUND);
	assert_int_equal(audit_append_outcome(fx->log, 99, AUDIT_APPLIED, "", "", "", "", NULL),
	                 AUDIT_ENOTFOUND);
	/* missing action */
	struct audit_intent none = { .target = "x" };
	assert_int_equal(audit_append_intent(fx->log, &none, NULL), AUDIT_EINVAL);
}

static int copy_row_cb(const struct audit_row *r, void *ctx)
{
	char *buf = ctx;
	snprintf(buf, 512, "%s|%s|%s|%s|%s|%lld|%s", r->kind, r->operator_id, r->action,
	         r->target, r->outcome, (long long)r->intent_seq, r->request_id);
	return 0;
}

static void test_outcome_copies_intent(void **state)
{
	struct fx *fx = *state;
	char buf[512];
	int64_t s = intent(fx->log, "channel.disable", "cup.qr", "op.zhang", "r");
	int64_t o;
	assert_int_equal(audit_append_outcome(fx->log, s, AUDIT_REJECTED, "invalid_transition",
	                                      "409", NULL, NULL, &o), AUDIT_OK);
	assert_int_equal(audit_get(fx->log, o, copy_row_cb, buf), 0);
	assert_string_equal(buf, "outcome|op.zhang|channel.disable|cup.qr|rejected|1|");
	assert_int_equal(audit_get(fx->log, 42, copy_row_cb, buf), AUDIT_ENOTFOUND);
}

static void test_triggers_refuse(void **state)
{
	struct fx *fx = *state;
	char *msg = NULL;
	int64_t rows, bad;
	char why[256];
	intent(fx->log, "channel.drain", "a", "op", "r");
	assert_int_not_equal(exec_sql(fx->path, "UPDATE audit_log SET reason = 'x'", &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	msg = NULL;
	assert_int_not_equal(exec_sql(fx->path, "DELETE FROM audit_log", &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_equal(audit_verify(fx->log, &rows, &bad, why, sizeof why), 0);
	assert_int_equal(rows, 1);
}

static void test_verify_detects_edit(void **state)
{
	struct fx *fx = *state;
	int64_t rows, bad;
	char why[256];
	for (int i = 0; i < 5; i++)
		intent(fx->log, "channel.drain", "a", "op", "r");
	assert_int_equal(exec_sql(fx->path, "DROP TRIGGER audit_log_no_update;"
	                          "UPDATE audit_log SET reason = 'benign' WHERE seq = 3", NULL),
	                 SQLITE_OK);
	assert_int_equal(audit_verify(fx->log, &rows, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 3);
	assert_non_null(strstr(why, "hash mismatch"));
	assert_int_equal(rows, 2);
}

static void test_verify_detects_relink(void **state)
{
	struct fx *fx = *state;
	int64_t rows, bad;
	char why[256];
	for (int i = 0; i < 4; i++)
		intent(fx->log, "channel.drain", "a", "op", "r");
	/* delete row 2 and renumber the rest: no gap, but the link breaks */
	assert_int_equal(exec_sql(fx->path, "DROP TRIGGER audit_log_no_update;"
	                          "DROP TRIGGER audit_log_no_delete;"
	                          "DELETE FROM audit_log WHERE seq = 2;"
	                          "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2", NULL),
	                 SQLITE_OK);
	assert_int_equal(audit_verify(fx->log, &rows, &bad, why, sizeof why), 1);
	assert_int_equal(bad, 2);
}

/* The canonical encoding is a contract: this digest was computed by an
 * independent implementation (8-byte big-endian lengths, fixed order). */
static void test_hash_stable(void **state)
{
	(void)state;
	char h[65], h2[65];
	struct audit_row r = {
		.seq = 7, .time = "2026-11-21T08:15:00.123Z", .kind = "outcome",
		.intent_seq = 6, .operator_id = "op.zhang", .local_user = "alice",
		.host = "jump1", .site = "bj", .action = "channel.quarantine",
		.target = "icbc.direct.quickpay", .interface = "refund",
		.state_before = "enabled", .state_after = "quarantined",
		.reason = "超时 timeouts", .ticket = "INC-42", .idempotency_key = "k1",
		.request_id = "req-1", .outcome = "applied", .code = "200", .detail = "",
		.prev_hash = "0000000000000000000000000000000000000000000000000000000000000000",
		.hash = "ignored",
	};
	assert_int_equal(audit_row_hash(&r, h), 0);
	assert_string_equal(h, "03bf05ce18ece8a993c42ead0e1a8f0e74b1efd4750c4eceb9053743e7677bb1");
	/* field boundaries matter: moving a byte between fields changes it */
	r.ticket = "INC-4";
	r.idempotency_key = "2k1";
	assert_int_equal(audit_row_hash(&r, h2), 0);
	assert_string_not_equal(h, h2);
	/* and the hash field itself is not part of the encoding */
	r.ticket = "INC-42";
	r.idempotency_key = "k1";
	r.hash = "other";
	assert_int_equal(audit_row_hash(&r, h2), 0);
	assert_string_equal(h, h2);
}

struct seqs {
	int64_t s[64];
	int n;
};

static int collect_cb(const struct audit_row *r, void *ctx)
{
	struct seqs *s = ctx;
	if (s->n < 64)
		s->s[s->n++] = r->seq;
	return 0;
}

static void test_unresolved(void **state)
{
	struct fx *fx = *state;
	struct seqs s = { .n = 0 };
	int64_t a = intent(fx->log, "channel.enable", "a", "op", "r");   /* no outcome */
	int64_t b = intent(fx->log, "channel.enable", "b", "op", "r");   /* applied */
	int64_t c = intent(fx->log, "channel.enable", "c", "op", "r");   /* unknown */
	int64_t d = intent(fx->log, "channel.enable", "d", "op", "r");   /* pending */
	int64_t e = intent(fx->log, "channel.enable", "e", "op", "r");   /* unknown, then failed */
	assert_int_equal(audit_append_outcome(fx->log, b, AUDIT_APPLIED, "", "", "", "", NULL), 0);
	assert_int_equal(audit_append_outcome(fx->log, c, AUDIT_UNKNOWN, "timeout", "", "", "", NULL), 0);
	assert_int_equal(audit_append_outcome(fx->log, d, AUDIT_PENDING_APPROVAL, "202", "", "", "", NULL), 0);
	assert_int_equal(audit_append_outcome(fx->log, e, AUDIT_UNKNOWN, "timeout", "", "", "", NULL), 0);
	assert_int_equal(audit_append_outcome(fx->log, e, AUDIT_FAILED, "500", "", "", "", NULL), 0);
	/* a final outcome is final */
	assert_int_equal(audit_append_outcome(fx->log, b, AUDIT_FAILED, "", "", "", "", NULL),
	                 AUDIT_ECONFLICT);
	/* pending approval may still be decided */
	assert_int_equal(audit_append_outcome(fx->log, d, AUDIT_APPLIED, "", "", "", "", NULL), 0);
	assert_int_equal(audit_unresolved(fx->log, collect_cb, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.s[0], a);
	assert_int_equal(s.s[1], c);
}

static void test_query_filters_paging(void **state)
{
	struct fx *fx = *state;
	struct seqs s;
	for (int i = 0; i < 10; i++) {
		int64_t q = intent(fx->log, i % 2 ? "channel.disable" : "route.reweight",
		                   i % 3 ? "cup.qr" : "nucc.qr", i < 5 ? "op.zhang" : "op.li",
		                   i == 4 ? "银行 100%_done" : "routine");
		assert_int_equal(audit_append_outcome(fx->log, q, i == 7 ? AUDIT_FAILED : AUDIT_APPLIED,
		                                      "", "", "", "", NULL), 0);
	}
	/* 20 rows: intents at odd seqs 1,3,..19, outcomes at even seqs */
	struct audit_filter f = { .limit = 3 };
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &f, collect_cb, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.s[0], 20); /* newest first */
	assert_int_equal(s.s[2], 18);
	f.offset = 18;
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &f, collect_cb, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.s[1], 1);

	struct audit_filter g = { .action = "channel", .kind = "intent" };
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &g, collect_cb, &s), 0);
	assert_int_equal(s.n, 5);
	struct audit_filter g2 = { .action = "chan" }; /* not a dotted prefix */
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &g2, collect_cb, &s), 0);
	assert_int_equal(s.n, 0);
	struct audit_filter h = { .outcome = "failed" };
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &h, collect_cb, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.s[0], 16);
	struct audit_filter t = { .text = "100%_", .kind = "intent" }; /* LIKE metachars literal */
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &t, collect_cb, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.s[0], 9);
	struct audit_filter t2 = { .text = "0%d" };
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &t2, collect_cb, &s), 0);
	assert_int_equal(s.n, 0);
	struct audit_filter o = { .operator_id = "op.li", .target = "nucc.qr", .kind = "intent" };
	s.n = 0;
	assert_int_equal(audit_query(fx->log, &o, collect_cb, &s), 0);
	assert_int_equal(s.n, 2); /* i = 6, 9 */
	assert_int_equal(s.s[0], 19);
	assert_int_equal(s.s[1], 13);
}

/* audit_rows_read: the rows of audit_query, newest first, every field
 * copied so they outlive the read and the log itself. */
static void test_rows_kept(void **state)
{
	struct fx *fx = *state;
	char err[256];
	int64_t a = intent(fx->log, "channel.quarantine", "cup.qr", "op.zhang", "银行 timeouts");
	assert_int_equal(audit_append_outcome(fx->log, a, AUDIT_APPLIED, "200", "done",
	                                      "quarantined", "req-7", NULL), AUDIT_OK);
	intent(fx->log, "route.reweight", "grp.qr", "op.li", "rebalance");
	char hash[65];
	int64_t count = 0, last = 0;
	assert_int_equal(audit_head(fx->log, &count, &last, hash), AUDIT_OK);
	assert_int_equal(count, 3);

	struct audit_filter f = { .limit = 2 };
	struct audit_rows rows;
	assert_int_equal(audit_rows_read(fx->log, &f, &rows), AUDIT_OK);
	/* the log closed: what was read stays */
	audit_close(fx->log);
	fx->log = NULL;
	assert_int_equal(rows.n, 2);
	const struct audit_row *r0 = rows.row[0], *r1 = rows.row[1];
	assert_int_equal(r0->seq, 3);
	assert_string_equal(r0->kind, "intent");
	assert_string_equal(r0->action, "route.reweight");
	assert_string_equal(r0->operator_id, "op.li");
	assert_string_equal(r0->hash, hash);
	assert_string_equal(r0->outcome, "");
	assert_int_equal(r1->seq, 2);
	assert_int_equal(r1->intent_seq, a);
	assert_string_equal(r1->kind, "outcome");
	assert_string_equal(r1->outcome, "applied");
	assert_string_equal(r1->code, "200");
	assert_string_equal(r1->detail, "done");
	assert_string_equal(r1->state_after, "quarantined");
	assert_string_equal(r1->request_id, "req-7");
	assert_string_equal(r1->reason, "银行 timeouts");
	assert_string_equal(r1->ticket, "INC-1");
	assert_string_equal(r0->local_user, "alice");
	assert_string_equal(r0->host, "jump1");
	assert_string_equal(r1->interface, "");
	assert_string_equal(r0->prev_hash, r1->hash); /* the chain, as read */
	/* each row hashes as it was stored */
	char h1[65];
	assert_int_equal(audit_row_hash(r1, h1), 0);
	assert_string_equal(h1, r1->hash);
	audit_rows_free(&rows);
	assert_int_equal(rows.n, 0);
	assert_null(rows.row);

	assert_int_equal(audit_open(fx->path, &fx->log, err, sizeof err), AUDIT_OK);
	struct audit_filter g = { .action = "channel" };
	assert_int_equal(audit_rows_read(fx->log, &g, &rows), AUDIT_OK);
	assert_int_equal(rows.n, 2);
	assert_int_equal(rows.row[0]->seq, 2);
	assert_int_equal(rows.row[1]->seq, 1);
	audit_rows_free(&rows);
	struct audit_filter none = { .target = "nowhere" };
	assert_int_equal(audit_rows_read(fx->log, &none, &rows), AUDIT_OK);
	assert_int_equal(rows.n, 0);
	audit_rows_free(&rows);
	audit_rows_free(NULL);
}

static int file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t nl = strlen(needle), cap = 1 << 20, len;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len = fread(buf, 1, cap, f);
	fclose(f);
	int found = 0;
	for (size_t i = 0; i + nl <= len && !found; i++)
		found = memcmp(buf + i, needle, nl) == 0;
	free(buf);
	return found;
}

static void test_secret_refused(void **state)
{
	struct fx *fx = *state;
	const char *tok = "tok_9f8e7d6c5b4a39281706";
	char reason[128], detail[128], buf[512], p[256];
	int64_t count, last, seq, o;
	assert_int_equal(audit_set_secret(fx->log, tok), AUDIT_OK);
	snprintf(reason, sizeof reason, "pasted Bearer %s by mistake", tok);
	struct audit_intent in = { .operator_id = "op", .action = "alert.ack",
	                           .target = "alrt_1", .reason = reason };
	assert_int_equal(audit_append_intent(fx->log, &in, &seq), AUDIT_ESECRET);
	assert_non_null(strstr(audit_errmsg(fx->log), "reason"));
	assert_null(strstr(audit_errmsg(fx->log), tok));
	in.reason = NULL;
	in.ticket = tok;
	assert_int_equal(audit_append_intent(fx->log, &in, &seq), AUDIT_ESECRET);
	assert_int_equal(audit_head(fx->log, &count, &last, NULL), 0);
	assert_int_equal(count, 0);
	/* outcomes are recorded with the secret redacted */
	in.ticket = "INC-1";
	assert_int_equal(audit_append_intent(fx->log, &in, &seq), AUDIT_OK);
	snprintf(detail, sizeof detail, "server echoed %s%s", tok, tok);
	assert_int_equal(audit_append_outcome(fx->log, seq, AUDIT_FAILED, "401", detail, "",
	                                      tok, &o), AUDIT_OK);
	assert_int_equal(audit_get(fx->log, o, copy_row_cb, buf), 0);
	assert_null(strstr(buf, tok));
	assert_string_equal(buf, "outcome|op|alert.ack|alrt_1|failed|1|[REDACTED]");
	/* and the token is nowhere in the files */
	assert_false(file_contains(fx->path, tok));
	snprintf(p, sizeof p, "%s-wal", fx->path);
	assert_false(file_contains(p, tok));
	/* a second token (another site) is also watched; clearing works */
	assert_int_equal(audit_add_secret(fx->log, "second-site-token"), AUDIT_OK);
	in.reason = "x second-site-token";
	assert_int_equal(audit_append_intent(fx->log, &in, &seq), AUDIT_ESECRET);
	assert_int_equal(audit_set_secret(fx->log, NULL), AUDIT_OK);
	assert_int_equal(audit_append_intent(fx->log, &in, &seq), AUDIT_OK);
}

static void test_default_path_modes(void **state)
{
	struct fx *fx = *state;
	char xdg[160], path[256], err[256];
	struct audit_log *log;
	struct stat st;
	snprintf(xdg, sizeof xdg, "%s/state", fx->dir);
	setenv("XDG_STATE_HOME", xdg, 1);
	assert_int_equal(audit_default_path(path, sizeof path), 0);
	snprintf(err, sizeof err, "%s/payops/audit.db", xdg);
	assert_string_equal(path, err);
	mode_t old = umask(022);
	assert_int_equal(audit_open(NULL, &log, err, sizeof err), AUDIT_OK);
	umask(old);
	assert_string_equal(audit_path(log), path);
	audit_close(log);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(err, sizeof err, "%s/payops", xdg);
	assert_int_equal(stat(err, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* schema version is recorded, and reopening does not migrate twice */
	assert_int_equal(audit_open(path, &log, err, sizeof err), AUDIT_OK);
	audit_close(log);
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), max(version) FROM schema_version",
	                                    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 3);
	assert_int_equal(sqlite3_column_int(q, 1), 3);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);
	audit_fx_rm_db(path);
	snprintf(err, sizeof err, "%s/payops", xdg);
	rmdir(err);
	rmdir(xdg);
	unsetenv("XDG_STATE_HOME");
}

static void test_newer_schema_refused(void **state)
{
	struct fx *fx = *state;
	struct audit_log *log;
	char err[256];
	assert_int_equal(exec_sql(fx->path, "INSERT INTO schema_version VALUES (99)", NULL), SQLITE_OK);
	assert_int_not_equal(audit_open(fx->path, &log, err, sizeof err), AUDIT_OK);
	assert_non_null(strstr(err, "newer"));
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_append_chain_verify),
	UNIT_TEST(test_outcome_copies_intent),
	UNIT_TEST(test_triggers_refuse),
	UNIT_TEST(test_verify_detects_edit),
	UNIT_TEST(test_verify_detects_relink),
	cmocka_unit_test(test_hash_stable),
	UNIT_TEST(test_unresolved),
	UNIT_TEST(test_query_filters_paging),
	UNIT_TEST(test_rows_kept),
	UNIT_TEST(test_secret_refused),
	UNIT_TEST(test_default_path_modes),
	UNIT_TEST(test_newer_schema_refused))
