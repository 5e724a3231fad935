/* SPDX-License-Identifier: ISC (see COPYING) */
/* append.c - appending INTENT and OUTCOME rows to the hash chain.
 *
 * Each append runs in one BEGIN IMMEDIATE transaction: it takes the write
 * lock, reads the head row's seq and hash, hashes the new row over them and
 * inserts it, so writers in several processes still form a single chain. */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit_int.h"

#define REDACTED "[REDACTED]"

static const char *const outcome_names[] = {
	[AUDIT_APPLIED] = "applied",
	[AUDIT_PENDING_APPROVAL] = "pending_approval",
	[AUDIT_REJECTED] = "rejected",
	[AUDIT_FAILED] = "failed",
	[AUDIT_UNKNOWN] = "unknown",
};

const char *audit_outcome_name(enum audit_outcome o)
{
	if ((unsigned)o >= sizeof outcome_names / sizeof outcome_names[0])
		return NULL;
	return outcome_names[o];
}

int audit_outcome_parse(const char *s, enum audit_outcome *out)
{
	for (size_t i = 0; s && i < sizeof outcome_names / sizeof outcome_names[0]; i++)
		if (strcmp(s, outcome_names[i]) == 0) {
			*out = (enum audit_outcome)i;
			return 0;
		}
	return -1;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int holds_secret(const struct audit_log *log, const char *s)
{
	for (size_t i = 0; s && i < log->nsecrets; i++)
		if (strstr(s, log->secrets[i]))
			return 1;
	return 0;
}

/* s with every registered secret replaced; *owned set when allocated. */
static const char *redact(const struct audit_log *log, const char *s, char **owned)
{
	*owned = NULL;
	if (!holds_secret(log, s))
		return s;
	char *cur = strdup(s);
	if (!cur)
		return NULL;
	for (size_t i = 0; i < log->nsecrets; i++) {
		const char *sec = log->secrets[i];
		size_t sl = strlen(sec), rl = strlen(REDACTED);
		char *hit;
		while ((hit = strstr(cur, sec)) != NULL) {
			size_t pre = (size_t)(hit - cur), post = strlen(hit + sl);
			char *n = malloc(pre + rl + post + 1);
			if (!n) {
				free(cur);
				return NULL;
			}
			memcpy(n, cur, pre);
			memcpy(n + pre, REDACTED, rl);
			memcpy(n + pre + rl, hit + sl, post + 1);
			free(cur);
			cur = n;
		}
	}
	*owned = cur;
	return cur;
}

static void local_identity(char *user, size_t usz, char *host, size_t hsz)
{
	struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");
	const char *name = pw ? pw->pw_name : NULL;
	if (!name)
		name = getenv("LOGNAME");
	if (!name)
		name = "?";
	if (sudo && *sudo && strcmp(sudo, name) != 0)
		snprintf(user, usz, "%s (sudo by %s)", name, sudo);
	else
		snprintf(user, usz, "%s", name);
	if (gethostname(host, hsz) != 0)
		snprintf(host, hsz, "?");
	host[hsz - 1] = '\0';
}

/* Read the chain head inside the current transaction. */
static int read_head(struct audit_log *log, int64_t *seq, char hash[65])
{
	sqlite3_stmt *st;
	int rc;
	*seq = 0;
	snprintf(hash, 65, "%s", AUDIT_ZERO_HASH);
	if (sqlite3_prepare_v2(log->db,
	                       "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "read head");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 1);
		*seq = sqlite3_column_int64(st, 0);
		snprintf(hash, 65, "%s", h ? (const char *)h : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return audit_sqlerr(log, "read head");
	return 0;
}

/* Give r its seq, prev_hash and hash, and insert it.  Inside a transaction. */
static int chain_and_insert(struct audit_log *log, struct audit_row *r)
{
	char prev[65], hash[65];
	int64_t head;
	sqlite3_stmt *st;

	if (read_head(log, &head, prev))
		return AUDIT_ERR;
	r->seq = head + 1;
	r->prev_hash = prev;
	if (audit_row_hash(r, hash) != 0)
		return audit_seterr(log, AUDIT_ERR, "SHA-256 failed");
	r->hash = hash;
	if (sqlite3_prepare_v2(log->db,
	                       "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES "
	                       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "prepare insert");
	const char *txt[] = {
		r->time, r->kind, NULL, r->operator_id, r->local_user, r->host,
		r->site, r->action, r->target, r->interface, r->state_before,
		r->state_after, r->reason, r->ticket, r->idempotency_key,
		r->request_id, r->outcome, r->code, r->detail, r->prev_hash, r->hash,
	};
	sqlite3_bind_int64(st, 1, r->seq);
	for (int i = 0; i < (int)(sizeof txt / sizeof txt[0]); i++) {
		if (i == 2)
			sqlite3_bind_int64(st, 4, r->intent_seq);
		else
			sqlite3_bind_text(st, i + 2, nz(txt[i]), -1, SQLITE_TRANSIENT);
	}
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	r->prev_hash = r->hash = NULL;
	if (rc != SQLITE_DONE)
		return audit_sqlerr(log, "insert");
	return 0;
}

/* The intent row of `in` (text in the caller's buffers); 0 or an rc. */
static int intent_row(struct audit_log *log, const struct audit_intent *in,
                      struct audit_row *r, char user[256], char host[256],
                      char now[32])
{
	if (!in->action || !*in->action || !in->target || !*in->target)
		return audit_seterr(log, AUDIT_EINVAL, "intent needs an action and a target");
	const char *fields[] = {
		in->operator_id, in->local_user, in->host, in->site, in->action,
		in->target, in->interface, in->state_before, in->reason,
		in->ticket, in->idempotency_key, in->request_id,
	};
	static const char *const names[] = {
		"operator", "local_user", "host", "site", "action", "target",
		"interface", "state_before", "reason", "ticket",
		"idempotency_key", "request_id",
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (holds_secret(log, fields[i]))
			return audit_seterr(log, AUDIT_ESECRET,
			                    "refused: field %s contains a secret (token)", names[i]);

	local_identity(user, 256, host, 256);
	audit_now_rfc3339(now);
	memset(r, 0, sizeof *r);
	r->time = now;
	r->kind = "intent";
	r->operator_id = nz(in->operator_id);
	r->local_user = in->local_user ? in->local_user : user;
	r->host = in->host ? in->host : host;
	r->site = nz(in->site);
	r->action = in->action;
	r->target = in->target;
	r->interface = nz(in->interface);
	r->state_before = nz(in->state_before);
	r->state_after = "";
	r->reason = nz(in->reason);
	r->ticket = nz(in->ticket);
	r->idempotency_key = nz(in->idempotency_key);
	r->request_id = nz(in->request_id);
	r->outcome = r->code = r->detail = "";
	return 0;
}

/* The write transaction begun (waiting as audit_begin_wait does) and the
 * intent row of `in` made, stamped once the lock is held: the row's time
 * is when it was written, not when the wait for another writer began, so
 * the log's times follow its order; 0 or an rc (nothing held). */
static int begin_intent(struct audit_log *log, const struct audit_intent *in, int wait_ms,
                        struct audit_row *r, char user[256], char host[256], char now[32])
{
	int rc;

	if (!log || !in)
		return AUDIT_EINVAL;
	if ((rc = audit_begin_wait(log, wait_ms)) != 0)
		return rc;
	if ((rc = intent_row(log, in, r, user, host, now)) != 0)
		audit_rollback(log);
	return rc;
}

static int append_intent(struct audit_log *log, const struct audit_intent *in,
                         int wait_ms, int64_t *seq_out)
{
	char user[256], host[256], now[32];
	struct audit_row r;
	int rc;

	if ((rc = begin_intent(log, in, wait_ms, &r, user, host, now)) != 0)
		return rc;
	if (chain_and_insert(log, &r)) {
		audit_rollback(log);
		return AUDIT_ERR;
	}
	if (audit_commit(log))
		return AUDIT_ERR;
	if (seq_out)
		*seq_out = r.seq;
	return AUDIT_OK;
}

int audit_append_intent(struct audit_log *log, const struct audit_intent *in,
                        int64_t *seq_out)
{
	return append_intent(log, in, -1, seq_out);
}

int audit_append_intent_wait(struct audit_log *log, const struct audit_intent *in,
                             int wait_ms, int64_t *seq_out)
{
	return append_intent(log, in, wait_ms < 0 ? 0 : wait_ms, seq_out);
}

/* Inside the transaction: may intent_seq take an outcome now?  Loads the
 * intent row into *st_out (caller finalizes) so its fields can be copied. */
static int check_intent(struct audit_log *log, int64_t intent_seq, sqlite3_stmt **st_out)
{
	sqlite3_stmt *st = NULL, *q = NULL;
	int rc;

	*st_out = NULL;
	if (sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS
	                       " FROM audit_log WHERE seq = ? AND kind = 'intent'",
	                       -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, "read intent");
	sqlite3_bind_int64(st, 1, intent_seq);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return audit_sqlerr(log, "read intent");
		return audit_seterr(log, AUDIT_ENOTFOUND, "no intent with seq %lld",
		                    (long long)intent_seq);
	}
	if (sqlite3_prepare_v2(log->db, "SELECT outcome FROM audit_log WHERE kind = 'outcome'"
	                       " AND intent_seq = ? ORDER BY seq DESC LIMIT 1",
	                       -1, &q, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return audit_sqlerr(log, "read outcome");
	}
	sqlite3_bind_int64(q, 1, intent_seq);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *last = (const char *)sqlite3_column_text(q, 0);
		if (!last || (strcmp(last, "unknown") != 0 &&
		              strcmp(last, "pending_approval") != 0)) {
			rc = audit_seterr(log, AUDIT_ECONFLICT,
			                  "intent %lld already has outcome %s",
			                  (long long)intent_seq, last ? last : "?");
			sqlite3_finalize(q);
			sqlite3_finalize(st);
			return rc;
		}
	} else if (rc != SQLITE_DONE) {
		sqlite3_finalize(q);
		sqlite3_finalize(st);
		return audit_sqlerr(log, "read outcome");
	}
	sqlite3_finalize(q);
	*st_out = st;
	return 0;
}

/* Inside a transaction: the outcome row of intent_seq. */
static int outcome_in_tx(struct audit_log *log, int64_t intent_seq,
                         const char *oname, const char *code, const char *detail,
                         const char *state_after, const char *request_id,
                         int64_t *seq_out)
{
	char user[256], host[256], now[32];
	char *own[4] = { NULL, NULL, NULL, NULL };
	struct audit_row r, in;
	sqlite3_stmt *ist = NULL;
	int rc;

	memset(&r, 0, sizeof r);
	/* An outcome records what already happened: redact, never refuse. */
	r.code = redact(log, nz(code), &own[0]);
	r.detail = redact(log, nz(detail), &own[1]);
	r.state_after = redact(log, nz(state_after), &own[2]);
	r.request_id = redact(log, nz(request_id), &own[3]);
	if (!r.code || !r.detail || !r.state_after || !r.request_id) {
		rc = audit_seterr(log, AUDIT_ERR, "out of memory");
		goto out;
	}
	local_identity(user, sizeof user, host, sizeof host);
	audit_now_rfc3339(now);
	rc = check_intent(log, intent_seq, &ist);
	if (rc)
		goto out;
	audit_row_from_stmt(ist, 0, &in);
	r.time = now;
	r.kind = "outcome";
	r.intent_seq = intent_seq;
	r.operator_id = in.operator_id;
	r.local_user = user;
	r.host = host;
	r.site = in.site;
	r.action = in.action;
	r.target = in.target;
	r.interface = in.interface;
	r.state_before = in.state_before;
	r.reason = in.reason;
	r.ticket = in.ticket;
	r.idempotency_key = in.idempotency_key;
	if (!*r.request_id)
		r.request_id = in.request_id;
	r.outcome = oname;
	rc = chain_and_insert(log, &r);
	sqlite3_finalize(ist);
	if (rc == 0 && seq_out)
		*seq_out = r.seq;
out:
	for (int i = 0; i < 4; i++)
		free(own[i]);
	return rc;
}

static int append_outcome(struct audit_log *log, int64_t intent_seq,
                          enum audit_outcome outcome, const char *code,
                          const char *detail, const char *state_after,
                          const char *request_id, int wait_ms, int64_t *seq_out)
{
	const char *oname = audit_outcome_name(outcome);
	int64_t seq = 0;
	int rc;

	if (!log)
		return AUDIT_EINVAL;
	if (!oname)
		return audit_seterr(log, AUDIT_EINVAL, "unknown outcome %d", (int)outcome);
	if ((rc = audit_begin_wait(log, wait_ms)) != 0)
		return rc;
	rc = outcome_in_tx(log, intent_seq, oname, code, detail, state_after,
	                   request_id, &seq);
	if (rc) {
		audit_rollback(log);
		return rc;
	}
	rc = audit_commit(log);
	if (rc == 0 && seq_out)
		*seq_out = seq;
	return rc;
}

int audit_append_outcome(struct audit_log *log, int64_t intent_seq,
                         enum audit_outcome outcome, const char *code,
                         const char *detail, const char *state_after,
                         const char *request_id, int64_t *seq_out)
{
	return append_outcome(log, intent_seq, outcome, code, detail, state_after,
	                      request_id, -1, seq_out);
}

int audit_append_outcome_wait(struct audit_log *log, int64_t intent_seq,
                              enum audit_outcome outcome, const char *code,
                              const char *detail, const char *state_after,
                              const char *request_id, int wait_ms,
                              int64_t *seq_out)
{
	return append_outcome(log, intent_seq, outcome, code, detail, state_after,
	                      request_id, wait_ms < 0 ? 0 : wait_ms, seq_out);
}

int audit_append_not_sent_wait(struct audit_log *log, const struct audit_intent *in,
                               const char *code, const char *detail, int wait_ms,
                               int64_t *intent_seq_out)
{
	char user[256], host[256], now[32];
	struct audit_row r;
	int rc;

	if ((rc = begin_intent(log, in, wait_ms < 0 ? 0 : wait_ms, &r, user, host, now)) != 0)
		return rc;
	if (chain_and_insert(log, &r) ||
	    (rc = outcome_in_tx(log, r.seq, audit_outcome_name(AUDIT_FAILED), code,
	                        detail, "", in->request_id, NULL)) != 0) {
		audit_rollback(log);
		return rc ? rc : AUDIT_ERR;
	}
	if ((rc = audit_commit(log)) != 0)
		return rc;
	if (intent_seq_out)
		*intent_seq_out = r.seq;
	return AUDIT_OK;
}
