/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit/writer.h - audit rows written without ever blocking the event loop.
 *
 * Another process may hold the log's write lock (a second console on a
 * shared jump host, `sqlite3` with BEGIN IMMEDIATE, a backup): a plain
 * append then waits in SQLite's busy handler, and with it the whole
 * console. The writer instead tries each row with a short wait
 * (AUDIT_WRITER_TRY_MS) and, while the lock is held, keeps it in a queue
 * retried every AUDIT_WRITER_RETRY_MS on a timer of the loop:
 *
 *   - an intent is written before its action may be sent (the caller sends
 *     only once it is told the row is written); one still waiting after
 *     give_up_ms is given up: nothing is sent, the caller is told, and the
 *     writer records the action as not sent (the intent and a "failed"
 *     outcome, one transaction) as soon as the log is free;
 *   - an outcome is queued and retried until written, never dropped while
 *     the writer lives; at quit audit_writer_flush() waits a bounded time.
 *
 * Rows are written in the order they were given. Errors other than a held
 * lock (a full disk, an intent that already has its outcome) are not
 * retried: the row is dropped and audit_writer_error() says why (an intent
 * left without outcome is resolved from the platform at the next start).
 */
#ifndef PAYOPS_AUDIT_WRITER_H
#define PAYOPS_AUDIT_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "base/ev.h"

#define AUDIT_WRITER_TRY_MS 20    /* the longest one attempt holds the loop */
#define AUDIT_WRITER_RETRY_MS 100 /* between attempts while the lock is held */

typedef struct audit_writer audit_writer;

/* A queued intent's fate, called once from the loop: AUDIT_OK and its seq
 * (written: the action may go); AUDIT_EBUSY (give_up_ms passed, nothing
 * written: the action must not go; it is recorded as not sent once the log
 * is free); another rc (a failure, nothing written nor recorded). */
typedef void (*audit_intent_fn)(void *ctx, int rc, int64_t seq);

/* log and ev are borrowed and must outlive the writer. NULL: no memory. */
audit_writer *audit_writer_new(struct audit_log *log, ev_loop *ev);
/* Whatever is still queued is lost (and no callback runs): flush first. */
void audit_writer_free(audit_writer *w);

/* Write the intent now if the log is free: AUDIT_OK, *seq_out set, fn never
 * called. AUDIT_EBUSY: queued, *id_out set, fn called later. Another rc:
 * refused (nothing queued). give_up_code names the not-sent record
 * ("audit_log_busy"). */
int audit_writer_intent(audit_writer *w, const struct audit_intent *in,
                        int64_t give_up_ms, const char *give_up_code,
                        audit_intent_fn fn, void *ctx, int64_t *seq_out,
                        uint64_t *id_out);
/* The caller stops waiting for a queued intent (the console quits): it is
 * recorded as not sent, with code and detail, and fn is not called. */
void audit_writer_abandon(audit_writer *w, uint64_t id, const char *code,
                          const char *detail);

/* An outcome: AUDIT_OK written now (*seq_out set; may be NULL); AUDIT_EBUSY
 * queued; another rc refused. */
int audit_writer_outcome(audit_writer *w, int64_t intent_seq,
                         enum audit_outcome outcome, const char *code,
                         const char *detail, const char *state_after,
                         const char *request_id, int64_t *seq_out);

size_t audit_writer_pending(const audit_writer *w); /* rows queued */
/* At quit: write what is queued, waiting up to max_ms in all for the lock
 * (this does block). Intents still waiting are recorded as not sent (their
 * fn runs with AUDIT_EBUSY). Returns the rows left unwritten. */
size_t audit_writer_flush(audit_writer *w, int64_t max_ms);
/* The last reason a row could not be written ("" when none). */
const char *audit_writer_error(const audit_writer *w);

#endif
