/* SPDX-License-Identifier: ISC (see COPYING) */
/* store.c - opening the audit database: path, pragmas, schema migrations. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit_int.h"

#define BUSY_TIMEOUT_MS 5000
#define BEGIN_DEADLINE_MS 20000

/* Ordered migrations: migrations[i] takes the schema from version i to i+1.
 * Never edit a released entry; append a new one. */
static const char *const migrations[] = {
	/* 1: the log itself, append-only. */
	"CREATE TABLE audit_log ("
	" seq INTEGER PRIMARY KEY,"
	" time TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('intent','outcome')),"
	" intent_seq INTEGER NOT NULL DEFAULT 0,"
	" operator TEXT NOT NULL DEFAULT '',"
	" local_user TEXT NOT NULL DEFAULT '',"
	" host TEXT NOT NULL DEFAULT '',"
	" site TEXT NOT NULL DEFAULT '',"
	" action TEXT NOT NULL,"
	" target TEXT NOT NULL,"
	" interface TEXT NOT NULL DEFAULT '',"
	" state_before TEXT NOT NULL DEFAULT '',"
	" state_after TEXT NOT NULL DEFAULT '',"
	" reason TEXT NOT NULL DEFAULT '',"
	" ticket TEXT NOT NULL DEFAULT '',"
	" idempotency_key TEXT NOT NULL DEFAULT '',"
	" request_id TEXT NOT NULL DEFAULT '',"
	" outcome TEXT NOT NULL DEFAULT '',"
	" code TEXT NOT NULL DEFAULT '',"
	" detail TEXT NOT NULL DEFAULT '',"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE INDEX audit_log_intent ON audit_log(intent_seq) WHERE kind = 'outcome';"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END;",
	/* 2: forwarding cursors, one per destination, with a lease so only one
	 * console sharing the log forwards to a destination at a time. */
	"CREATE TABLE audit_fwd_cursor ("
	" dest TEXT PRIMARY KEY,"
	" last_seq INTEGER NOT NULL DEFAULT 0,"
	" owner TEXT NOT NULL DEFAULT '',"
	" lease_until INTEGER NOT NULL DEFAULT 0,"
	" updated_at TEXT NOT NULL DEFAULT '');",
	/* 3: last_seq is now what the receiver confirmed (acknowledged, for
	 * RELP); acked_seq/acked_hash keep the highest row ever confirmed and
	 * its hash, never lowered by a rewind, so `verify` notices a log whose
	 * newest rows were removed. */
	"ALTER TABLE audit_fwd_cursor ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE audit_fwd_cursor ADD COLUMN acked_hash TEXT NOT NULL DEFAULT '';"
	"UPDATE audit_fwd_cursor SET acked_seq = last_seq;",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int audit_seterr(struct audit_log *log, int rc, const char *fmt, ...)
{
	if (log) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(log->err, sizeof log->err, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int audit_sqlerr(struct audit_log *log, const char *what)
{
	return audit_seterr(log, AUDIT_ERR, "%s: %s", what, sqlite3_errmsg(log->db));
}

const char *audit_errmsg(const struct audit_log *log)
{
	return log ? log->err : "no audit log";
}

const char *audit_path(const struct audit_log *log)
{
	return log ? log->path : "";
}

int64_t audit_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void audit_now_rfc3339(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	char base[24];
	if (strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		base[0] = '\0';
	snprintf(buf, 32, "%.20s.%03dZ", base, (int)(ts.tv_nsec / 1000000) % 1000);
}

int audit_begin_immediate(struct audit_log *log)
{
	int64_t deadline = audit_monotonic_ms() + BEGIN_DEADLINE_MS;
	for (;;) {
		int rc = sqlite3_exec(log->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
		    audit_monotonic_ms() > deadline)
			return audit_sqlerr(log, "begin");
		/* the busy handler already waited; try again briefly */
		struct timespec d = { 0, 5 * 1000000 };
		nanosleep(&d, NULL);
	}
}

int audit_begin_wait(struct audit_log *log, int wait_ms)
{
	if (wait_ms < 0)
		return audit_begin_immediate(log);
	sqlite3_busy_timeout(log->db, wait_ms);
	int rc = sqlite3_exec(log->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(log->db, BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return audit_seterr(log, AUDIT_EBUSY, "the audit log is locked by "
		                    "another process (waited %d ms)", wait_ms);
	return audit_sqlerr(log, "begin");
}

void audit_rollback(struct audit_log *log)
{
	if (!sqlite3_get_autocommit(log->db))
		sqlite3_exec(log->db, "ROLLBACK", NULL, NULL, NULL);
}

int audit_commit(struct audit_log *log)
{
	if (sqlite3_exec(log->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = audit_sqlerr(log, "commit");
		audit_rollback(log);
		return rc;
	}
	return 0;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

void audit_row_from_stmt(sqlite3_stmt *st, int c, struct audit_row *r)
{
	r->seq = sqlite3_column_int64(st, c + 0);
	r->time = col_text(st, c + 1);
	r->kind = col_text(st, c + 2);
	r->intent_seq = sqlite3_column_int64(st, c + 3);
	r->operator_id = col_text(st, c + 4);
	r->local_user = col_text(st, c + 5);
	r->host = col_text(st, c + 6);
	r->site = col_text(st, c + 7);
	r->action = col_text(st, c + 8);
	r->target = col_text(st, c + 9);
	r->interface = col_text(st, c + 10);
	r->state_before = col_text(st, c + 11);
	r->state_after = col_text(st, c + 12);
	r->reason = col_text(st, c + 13);
	r->ticket = col_text(st, c + 14);
	r->idempotency_key = col_text(st, c + 15);
	r->request_id = col_text(st, c + 16);
	r->outcome = col_text(st, c + 17);
	r->code = col_text(st, c + 18);
	r->detail = col_text(st, c + 19);
	r->prev_hash = col_text(st, c + 20);
	r->hash = col_text(st, c + 21);
}

int audit_default_path(char *buf, size_t bufsz)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	int n;
	if (xdg && xdg[0] == '/') {
		n = snprintf(buf, bufsz, "%s/payops/audit.db", xdg);
	} else {
		const char *home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home || !*home)
			return -1;
		n = snprintf(buf, bufsz, "%s/.local/state/payops/audit.db", home);
	}
	return (n < 0 || (size_t)n >= bufsz) ? -1 : 0;
}

/* mkdir -p of the directory part of path; created directories get 0700. */
static int make_parent_dirs(const char *path, char *err, size_t errsz)
{
	size_t len = strlen(path);
	char *p = malloc(len + 1);
	if (!p) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	memcpy(p, path, len + 1);
	char *slash = strrchr(p, '/');
	if (!slash || slash == p) {
		free(p);
		return 0;
	}
	*slash = '\0';
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				snprintf(err, errsz, "cannot create %s: %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

/* The schema's version without taking the write lock (a read never waits
 * for a writer in WAL mode); -1 when it cannot be read (a new file). */
static int schema_version(struct audit_log *log)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(log->db, "SELECT max(version) FROM schema_version",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(struct audit_log *log)
{
	sqlite3_stmt *st = NULL;
	int version = 0;

	/* Up to date: nothing to write, so another process holding the write
	 * lock (a second console) does not hold up the start. */
	if (schema_version(log) == NMIGRATIONS)
		return 0;
	if (audit_begin_immediate(log))
		return AUDIT_ERR;
	if (sqlite3_exec(log->db,
	                 "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
	                 NULL, NULL, NULL) != SQLITE_OK)
		goto sqlfail;
	if (sqlite3_prepare_v2(log->db, "SELECT max(version) FROM schema_version",
	                       -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version > NMIGRATIONS) {
		audit_rollback(log);
		return audit_seterr(log, AUDIT_ERR,
		                    "audit log schema version %d is newer than this program (%d)",
		                    version, NMIGRATIONS);
	}
	for (int v = version; v < NMIGRATIONS; v++) {
		if (sqlite3_exec(log->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
			goto sqlfail;
		if (sqlite3_prepare_v2(log->db, "INSERT INTO schema_version(version) VALUES (?)",
		                       -1, &st, NULL) != SQLITE_OK)
			goto sqlfail;
		sqlite3_bind_int(st, 1, v + 1);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_finalize(st);
		st = NULL;
	}
	return audit_commit(log);
sqlfail:
	audit_sqlerr(log, "schema migration");
	sqlite3_finalize(st);
	audit_rollback(log);
	return AUDIT_ERR;
}

static int pragma_expect(struct audit_log *log, const char *sql, const char *want)
{
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(log->db, sql, -1, &st, NULL) != SQLITE_OK)
		return audit_sqlerr(log, sql);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		ok = !want || (v && strcmp((const char *)v, want) == 0);
	} else {
		ok = !want;
	}
	sqlite3_finalize(st);
	if (!ok)
		return audit_seterr(log, AUDIT_ERR, "%s did not give %s", sql, want);
	return 0;
}

int audit_open(const char *path, struct audit_log **out, char *err, size_t errsz)
{
	char defpath[4096];
	struct audit_log *log;
	int fd;

	*out = NULL;
	if (!path || !*path) {
		if (audit_default_path(defpath, sizeof defpath) != 0) {
			snprintf(err, errsz, "cannot determine the audit log path (no HOME)");
			return AUDIT_EINVAL;
		}
		path = defpath;
	}
	if (make_parent_dirs(path, err, errsz) != 0)
		return AUDIT_ERR;
	/* Create the file ourselves so it starts 0600; an existing file (a log
	 * shared by a group of operators) keeps its mode. */
	/* Only when it does not exist: closing any descriptor of a file drops
	 * every POSIX lock this process holds on it, and another connection
	 * of this process (the forwarding thread's) may hold SQLite's. */
	struct stat sb;
	if (stat(path, &sb) != 0) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			snprintf(err, errsz, "cannot open %s: %s", path, strerror(errno));
			return AUDIT_ERR;
		}
		close(fd);
	}

	log = calloc(1, sizeof *log);
	if (!log || !(log->path = strdup(path))) {
		free(log);
		snprintf(err, errsz, "out of memory");
		return AUDIT_ERR;
	}
	if (sqlite3_open_v2(path, &log->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open %s: %s", path,
		         log->db ? sqlite3_errmsg(log->db) : "out of memory");
		audit_close(log);
		return AUDIT_ERR;
	}
	sqlite3_busy_timeout(log->db, BUSY_TIMEOUT_MS);
	if (pragma_expect(log, "PRAGMA journal_mode=WAL", "wal") ||
	    pragma_expect(log, "PRAGMA synchronous=FULL", NULL) ||
	    migrate(log)) {
		snprintf(err, errsz, "%s: %s", path, log->err);
		audit_close(log);
		return AUDIT_ERR;
	}
	*out = log;
	return AUDIT_OK;
}

static void wipe_free(char *s)
{
	if (!s)
		return;
	volatile char *v = s;
	while (*v)
		*v++ = 0;
	free(s);
}

void audit_close(struct audit_log *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->nsecrets; i++)
		wipe_free(log->secrets[i]);
	sqlite3_close(log->db);
	free(log->path);
	free(log);
}

int audit_set_secret(struct audit_log *log, const char *secret)
{
	for (size_t i = 0; i < log->nsecrets; i++) {
		wipe_free(log->secrets[i]);
		log->secrets[i] = NULL;
	}
	log->nsecrets = 0;
	if (!secret || !*secret)
		return AUDIT_OK;
	return audit_add_secret(log, secret);
}

int audit_add_secret(struct audit_log *log, const char *secret)
{
	if (!secret || !*secret)
		return AUDIT_OK;
	if (log->nsecrets >= AUDIT_MAX_SECRETS)
		return audit_seterr(log, AUDIT_EINVAL, "too many secrets registered");
	char *c = strdup(secret);
	if (!c)
		return audit_seterr(log, AUDIT_ERR, "out of memory");
	log->secrets[log->nsecrets++] = c;
	return AUDIT_OK;
}
