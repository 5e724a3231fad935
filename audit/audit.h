/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit.h - tamper-evident, append-only audit log of operator actions.
 *
 * Every operator action writes an INTENT row before its HTTP request is sent
 * and an OUTCOME row once the result is known.  Rows live in SQLite (WAL,
 * synchronous=FULL); UPDATE and DELETE are refused by triggers, and every row
 * carries the SHA-256 of its canonical encoding, which includes the hash of
 * the row before it, so any edit, deletion, insertion or reordering breaks the
 * chain and audit_verify() names the first bad row.  See payops-audit(1).
 */
#ifndef PAYOPS_AUDIT_AUDIT_H
#define PAYOPS_AUDIT_AUDIT_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

/* Return codes: 0 on success, negative on failure.  The message of the last
 * failure is available from audit_errmsg(). */
enum audit_rc {
	AUDIT_OK = 0,
	AUDIT_ERR = -1,       /* SQLite, I/O or allocation failure */
	AUDIT_EINVAL = -2,    /* bad argument (missing field, unknown enum) */
	AUDIT_ESECRET = -3,   /* a field contains a registered secret */
	AUDIT_ENOTFOUND = -4, /* no such row / intent */
	AUDIT_ECONFLICT = -5, /* intent already has a final outcome */
	AUDIT_EBUSY = -6,     /* another process holds the log's write lock:
	                       * nothing written (the _wait calls only) */
};

enum audit_outcome {
	AUDIT_APPLIED,
	AUDIT_PENDING_APPROVAL,
	AUDIT_REJECTED,
	AUDIT_FAILED,
	AUDIT_UNKNOWN,
};

struct audit_log;

/* What an operator is about to do.  NULL means empty ("").  local_user and
 * host default to the process's login name and host name when NULL. */
struct audit_intent {
	const char *operator_id;     /* platform operator id (GET /v1/me) */
	const char *local_user;
	const char *host;
	const char *site;
	const char *action;          /* required, e.g. "channel.quarantine" */
	const char *target;          /* required, object id */
	const char *interface;       /* channel interface, if any */
	const char *state_before;
	const char *reason;
	const char *ticket;
	const char *idempotency_key;
	const char *request_id;
};

/* One stored row, as handed to callbacks (valid during the callback only).
 * Text fields are never NULL; absent values are "". */
struct audit_row {
	int64_t seq;
	const char *time;            /* RFC 3339 UTC, milliseconds */
	const char *kind;            /* "intent" | "outcome" */
	int64_t intent_seq;          /* outcome rows: the intent; else 0 */
	const char *operator_id;
	const char *local_user;
	const char *host;
	const char *site;
	const char *action;
	const char *target;
	const char *interface;
	const char *state_before;
	const char *state_after;
	const char *reason;
	const char *ticket;
	const char *idempotency_key;
	const char *request_id;
	const char *outcome;         /* outcome rows; "" on intent rows */
	const char *code;
	const char *detail;
	const char *prev_hash;       /* 64 lowercase hex digits */
	const char *hash;
};

/* Callbacks return 0 to continue, non-zero to stop the iteration. */
typedef int (*audit_row_cb)(const struct audit_row *row, void *ctx);

/* Open (creating and migrating if needed) the log at path; NULL or "" means
 * the default $XDG_STATE_HOME/payops/audit.db (else
 * ~/.local/state/payops/audit.db).  Missing directories are created 0700, the
 * file 0600. */
int audit_open(const char *path, struct audit_log **out, char *err, size_t errsz);
void audit_close(struct audit_log *log);
const char *audit_errmsg(const struct audit_log *log);
const char *audit_path(const struct audit_log *log);

/* Write the default path into buf; -1 if it does not fit or no HOME. */
int audit_default_path(char *buf, size_t bufsz);

/* Register a secret (a bearer token) that must never enter the log.  An
 * intent holding it in any field is refused with AUDIT_ESECRET; in an outcome
 * (which records what already happened) it is replaced by "[REDACTED]".
 * audit_set_secret replaces all registered secrets (NULL clears them);
 * audit_add_secret adds one (several sites, several tokens). */
int audit_set_secret(struct audit_log *log, const char *secret);
int audit_add_secret(struct audit_log *log, const char *secret);

int audit_append_intent(struct audit_log *log, const struct audit_intent *in,
                        int64_t *seq_out);

/* Record the outcome of intent_seq.  An intent takes one final outcome;
 * after "unknown" or "pending_approval" a further outcome may follow.
 * code: e.g. "invalid_transition" or "409"; state_after: the object's state
 * afterwards when known.  seq_out may be NULL. */
int audit_append_outcome(struct audit_log *log, int64_t intent_seq,
                         enum audit_outcome outcome, const char *code,
                         const char *detail, const char *state_after,
                         const char *request_id, int64_t *seq_out);

/* The same appends waiting at most wait_ms for another process's write
 * lock, then AUDIT_EBUSY with nothing written (the calls above wait up to
 * 20 s). With a short wait an event loop never stalls on the log: see
 * struct audit_writer below. */
int audit_append_intent_wait(struct audit_log *log, const struct audit_intent *in,
                             int wait_ms, int64_t *seq_out);
int audit_append_outcome_wait(struct audit_log *log, int64_t intent_seq,
                              enum audit_outcome outcome, const char *code,
                              const char *detail, const char *state_after,
                              const char *request_id, int wait_ms,
                              int64_t *seq_out);
/* An action that was never sent: its intent and a "failed" outcome (code,
 * detail saying why) in one transaction, so no intent is left for the next
 * start to resolve. Same wait as above. */
int audit_append_not_sent_wait(struct audit_log *log, const struct audit_intent *in,
                               const char *code, const char *detail, int wait_ms,
                               int64_t *intent_seq_out);

const char *audit_outcome_name(enum audit_outcome o);
/* -1 if unknown */
int audit_outcome_parse(const char *s, enum audit_outcome *out);

/* Intents with no outcome, or whose latest outcome is "unknown", oldest
 * first: at start-up the console asks the platform what became of them. */
int audit_unresolved(struct audit_log *log, audit_row_cb cb, void *ctx);

struct audit_filter {
	const char *text;        /* substring of any text field (ASCII case-insensitive) */
	const char *action;      /* exact, or dotted prefix: "channel" matches "channel.*" */
	const char *target;      /* exact */
	const char *operator_id; /* exact */
	const char *outcome;     /* exact: applied|pending_approval|rejected|failed|unknown */
	const char *kind;        /* exact: intent|outcome */
	int limit;               /* <= 0: no limit */
	int offset;
};

/* Matching rows, newest first. */
int audit_query(struct audit_log *log, const struct audit_filter *f,
                audit_row_cb cb, void *ctx);
/* The same rows, kept: row[0..n) newest first, each one allocation (the
 * struct with its strings) that stays valid until audit_rows_free.  On
 * failure rows is empty and audit_errmsg() says why. */
struct audit_rows {
	struct audit_row **row;
	size_t n;
};
int audit_rows_read(struct audit_log *log, const struct audit_filter *f,
                    struct audit_rows *rows);
void audit_rows_free(struct audit_rows *rows);
/* One row by seq (AUDIT_ENOTFOUND if absent). */
int audit_get(struct audit_log *log, int64_t seq, audit_row_cb cb, void *ctx);
/* Number of rows and last seq/hash (the chain head; hash "" when empty). */
int audit_head(struct audit_log *log, int64_t *count, int64_t *last_seq,
               char hash_out[65]);

/* Walk the whole chain.  Returns 0 if intact (*rows_out rows checked), 1 if
 * a row is bad (*first_bad_seq and why set), negative on error.  Checks, per
 * row: seq is the previous seq + 1 (first row 1), prev_hash equals the
 * previous row's hash, the hash recomputes, an outcome names an earlier
 * intent. */
int audit_verify(struct audit_log *log, int64_t *rows_out,
                 int64_t *first_bad_seq, char *why, size_t whysz);

/* SHA-256 (lowercase hex) of the canonical encoding of row (its hash field
 * is ignored).  Canonical encoding: the tag "payops-audit/1" then each field
 * in the order of struct audit_row (seq .. prev_hash; integers in decimal),
 * each as an 8-byte big-endian length followed by its bytes. */
int audit_row_hash(const struct audit_row *row, char hex_out[65]);

enum audit_format { AUDIT_JSONL, AUDIT_CSV };
int audit_export(struct audit_log *log, FILE *out, enum audit_format fmt);
/* Single-row writers, used by export and by `payops audit show`. */
int audit_row_write_json(FILE *out, const struct audit_row *row);
int audit_row_write_csv(FILE *out, const struct audit_row *row);
int audit_csv_header(FILE *out);

/* RFC 5424 message for row (no transport framing) into buf; returns its
 * length, or -1 if buf is too small.  SD-ID AUDIT_SD_ID. */
#define AUDIT_SD_ID "payops@32473"
int audit_syslog_format(const struct audit_row *row, char *buf, size_t bufsz);

/* Forwarding of every row to a receiver (see payops-audit(1), FORWARDING).
 * dest: "unix:///dev/log" (datagrams), "tcp://HOST:PORT" (RFC 6587 octet
 * counting), "tls://HOST[:PORT]" (RFC 5425, port 6514 by default),
 * "relp://HOST:PORT" or "relp+tls://HOST:PORT" (librelp; a row counts as
 * delivered once the receiver acknowledged it).  The log stays the source of
 * truth: a cursor per destination records the last row the receiver is known
 * to hold, and rows after it are sent again after any failure.
 *
 * The network, name resolution and the cursor's database work run on a
 * forwarding thread with its own connection to the log: none of these calls
 * blocks the caller's loop (audit_fwd_rewind and audit_fwd_close wait for
 * that thread, boundedly; they are for the command line and for exit). */
struct audit_fwd;

/* TLS settings for tls:// and relp+tls:// (NULL or "" for none): the CA
 * file to verify the receiver with (default: the system store), and a
 * client certificate with its key. */
struct audit_fwd_tls {
	const char *ca_file;
	const char *client_cert;
	const char *client_key;
};
int audit_fwd_open_tls(struct audit_log *log, const char *dest,
                       const struct audit_fwd_tls *tls, struct audit_fwd **out);
int audit_fwd_open(struct audit_log *log, const char *dest, struct audit_fwd **out);
/* A descriptor to poll for POLLIN: readable when the forwarder's state
 * (cursor, error, lag) changed; then call audit_fwd_pump with the revents. */
int audit_fwd_pollfd(struct audit_fwd *fwd, short *events);
/* -1: the forwarder needs no timer from the caller. */
int audit_fwd_timeout_ms(struct audit_fwd *fwd);
/* revents from poll: take the notification; 0 (after a local append, or on
 * any timer): have the thread look for new rows now.  Never blocks. */
void audit_fwd_pump(struct audit_fwd *fwd, short revents);
/* Last seq the receiver is known to hold; rows still pending (the caller's
 * own look at the log's head). */
int64_t audit_fwd_cursor(struct audit_fwd *fwd);
int64_t audit_fwd_pending(struct audit_fwd *fwd);
/* How far forwarding lags, for a status bar. */
struct audit_fwd_lag {
	int64_t behind;              /* rows in the log not yet delivered */
	int64_t since;               /* time (Unix seconds) of the oldest of them; 0 if none */
	int forwarding;              /* this process holds the destination's lease */
	int connected;
	int failing;                 /* the last attempt failed (audit_fwd_error says why) */
};
int audit_fwd_lag(struct audit_fwd *fwd, struct audit_fwd_lag *out);
/* The same lag read from the log alone, without forwarding: rows after
 * dest's stored cursor (all rows when nothing was ever forwarded there) and
 * the time of the oldest of them.  dest as given to audit_fwd_open.  For a
 * one-shot check by another process than the forwarding one. */
int audit_fwd_stored_lag(struct audit_log *log, const char *dest, struct audit_fwd_lag *out);
/* The last failure, "" when the last attempt worked. */
const char *audit_fwd_error(struct audit_fwd *fwd);
/* Rewind the destination's cursor so rows after seq are sent again. */
int audit_fwd_rewind(struct audit_fwd *fwd, int64_t seq);
void audit_fwd_close(struct audit_fwd *fwd);

/* The highest row any receiver acknowledged (table audit_fwd_cursor),
 * checked against the log: 0 consistent (or never forwarded), 1 the log
 * lost rows a receiver holds, or the row it acknowledged has since changed
 * (*seq_out and why set), negative on error. */
int audit_verify_tail(struct audit_log *log, int64_t *seq_out, char *why, size_t whysz);

/* Compare the log with a collected copy (RFC 5424 lines as rsyslog's
 * omfile writes them with RSYSLOG_SyslogProtocol23Format).  Every problem
 * is handed to report, in seq order ("row 7: ..."), and lines that claim to
 * be payops's but do not parse first ("line 12: ..."). */
struct audit_against {
	int64_t local_rows;          /* rows in the log */
	int64_t rows;                /* collected lines holding a payops row */
	int64_t duplicates;          /* of those, repeats of a row with its hash */
	int64_t other_lines;         /* lines of other programs, skipped */
	int64_t bad_lines;           /* claim to be payops's, do not parse */
	int64_t problems;            /* rows missing, changed or only collected */
	int64_t first_bad_seq;       /* the lowest row with a problem; 0 if none */
};
typedef void (*audit_report_fn)(const char *text, void *ctx);
/* 0 the copy matches, 1 it does not, AUDIT_EINVAL it holds no payops row,
 * AUDIT_ERR on an I/O or database error (message in audit_errmsg). */
int audit_verify_against(struct audit_log *log, const char *path, struct audit_against *res,
                         audit_report_fn report, void *ctx);

/* `payops audit ...` (argv[0] is "audit"). */
int audit_cli_main(int argc, char **argv);

#endif
