/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit_int.h - internals shared by the audit module's files (not API). */
#ifndef PAYOPS_AUDIT_AUDIT_INT_H
#define PAYOPS_AUDIT_AUDIT_INT_H

#include <sqlite3.h>
#include "audit/audit.h"

#define AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_MAX_SECRETS 8

struct audit_log {
	sqlite3 *db;
	char *path;
	char err[512];
	char *secrets[AUDIT_MAX_SECRETS];
	size_t nsecrets;
};

/* Column list matching audit_row field order (plus hash last). */
#define AUDIT_COLUMNS "seq,time,kind,intent_seq,operator,local_user,host,site," \
	"action,target,interface,state_before,state_after,reason,ticket," \
	"idempotency_key,request_id,outcome,code,detail,prev_hash,hash"

int audit_seterr(struct audit_log *log, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int audit_sqlerr(struct audit_log *log, const char *what);
void audit_row_from_stmt(sqlite3_stmt *st, int first_col, struct audit_row *row);
/* BEGIN IMMEDIATE, retrying while busy (bounded). */
int audit_begin_immediate(struct audit_log *log);
/* BEGIN IMMEDIATE waiting at most wait_ms for another writer (< 0: as
 * audit_begin_immediate); AUDIT_EBUSY when it is still held. */
int audit_begin_wait(struct audit_log *log, int wait_ms);
void audit_rollback(struct audit_log *log);
int audit_commit(struct audit_log *log);
void audit_now_rfc3339(char buf[32]);
int64_t audit_monotonic_ms(void);

#endif
