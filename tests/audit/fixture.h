/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/audit/fixture.h: what the audit tests' fixtures share: a log in a
 * fresh directory, and the log's files removed again. Include after
 * cmocka.h. */
#ifndef PAYOPS_TESTS_AUDIT_FIXTURE_H
#define PAYOPS_TESTS_AUDIT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "audit/audit.h"

/* A new directory /tmp/PREFIX-XXXXXX in dir and the log FILE opened in it
 * (its path in path). */
static inline void audit_fx_open(char *dir, size_t dirsz, const char *prefix, char *path,
				 size_t pathsz, const char *file, struct audit_log **log)
{
	char err[256];

	snprintf(dir, dirsz, "/tmp/%s-XXXXXX", prefix);
	assert_non_null(mkdtemp(dir));
	snprintf(path, pathsz, "%s/%s", dir, file);
	assert_int_equal(audit_open(path, log, err, sizeof err), AUDIT_OK);
}

/* The database at path gone, with its -wal and -shm files. */
static inline void audit_fx_rm_db(const char *path)
{
	char p[512];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* What audit_fx_open made, closed and removed (the directory must hold
 * nothing else by now). */
static inline void audit_fx_close(struct audit_log *log, const char *path, const char *dir)
{
	audit_close(log);
	audit_fx_rm_db(path);
	rmdir(dir);
}

#endif
