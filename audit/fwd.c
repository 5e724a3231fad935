/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd.c - forwarding audit rows to a receiver, off the caller's loop.
 *
 * The log is the source of truth.  A cursor per destination (table
 * audit_fwd_cursor) holds the last seq the receiver is known to hold (see
 * fwd_link.c for what that means per transport); rows after it are sent
 * again after any failure, so a row may arrive twice, never not at all, and
 * every message carries its seq and hash so a duplicate is recognisable.
 *
 * All network I/O, name resolution, TLS, RELP and the cursor's database
 * work run on a forwarding thread with its own SQLite connection.  The
 * caller's loop watches one pipe (audit_fwd_pollfd) that the thread writes
 * to when something it reports changed, and pokes the thread with
 * audit_fwd_pump(fwd, 0) after appending a row; nothing here blocks it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/fwd_int.h"
#include "base/backoff.h"

#define FRAME_MAX 65536
#define RESCAN_MS 2000       /* rows appended by other processes */
#define LEASE_CHECK_MS 5000
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 10000
#define BATCH_MAX 256        /* rows between two looks at the cursor and the lease */
#define CLOSE_WAIT_MS 4000   /* audit_fwd_close waits this long for the thread */
#define REWIND_WAIT_MS 10000

struct audit_fwd {
	/* set by audit_fwd_open, read-only afterwards */
	struct audit_log *log;       /* the caller's connection: audit_fwd_pending only */
	char *dest, *path, *ca_file, *client_cert, *client_key;
	struct fwd_dest d;
	pthread_t thread;
	int wake[2];                 /* caller -> thread */
	int notify[2];               /* thread -> caller */
	atomic_int stop;

	pthread_mutex_t mu;          /* guards what follows */
	pthread_cond_t cv;
	int refs;                    /* the caller and the thread */
	int done;                    /* the thread has finished */
	int64_t cursor, head, since;
	int owner, connected;
	char err[1024];
	int64_t rewind_req;          /* -1: none */
	int rewind_rc, rewind_answered;

	char err_copy[1024];         /* the caller's copy, for audit_fwd_error */
};

static void poke(int fd)
{
	char c = 1;
	ssize_t n = write(fd, &c, 1); /* a full pipe already says "look" */
	(void)n;
}

static void drain(int fd)
{
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

static void fwd_free(struct audit_fwd *f)
{
	for (int i = 0; i < 2; i++) {
		if (f->wake[i] >= 0)
			close(f->wake[i]);
		if (f->notify[i] >= 0)
			close(f->notify[i]);
	}
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	free(f->dest);
	free(f->path);
	free(f->ca_file);
	free(f->client_cert);
	free(f->client_key);
	free(f);
}

static void unref(struct audit_fwd *f)
{
	pthread_mutex_lock(&f->mu);
	int last = --f->refs == 0;
	pthread_mutex_unlock(&f->mu);
	if (last)
		fwd_free(f);
}

/* ---- the forwarding thread ---- */

struct worker {
	struct audit_fwd *f;
	struct fwd_cursor c;
	struct fwd_link_cfg cfg;
	struct fwd_link *link;
	int64_t pos;                 /* last seq handed to the link */
	int64_t head, since;
	int64_t retry_at;
	backoff bo;
	char *buf;
	char err[1024];
};

static void publish(struct worker *w)
{
	struct audit_fwd *f = w->f;
	int changed;
	pthread_mutex_lock(&f->mu);
	changed = f->cursor != w->c.cursor || f->head != w->head || f->since != w->since ||
	          f->owner != w->c.owner_ok || f->connected != (w->link != NULL) ||
	          strcmp(f->err, w->err) != 0;
	f->cursor = w->c.cursor;
	f->head = w->head;
	f->since = w->since;
	f->owner = w->c.owner_ok;
	f->connected = w->link != NULL;
	memcpy(f->err, w->err, sizeof f->err);
	pthread_mutex_unlock(&f->mu);
	if (changed)
		poke(f->notify[1]);
}

/* Sleep until poked, stopped or ms pass. */
static void idle(struct worker *w, int64_t ms)
{
	struct pollfd p = { w->f->wake[0], POLLIN, 0 };
	if (ms > 0 && !atomic_load(&w->f->stop))
		poll(&p, 1, ms > 60000 ? 60000 : (int)ms);
	drain(w->f->wake[0]);
}

static void advance(struct worker *w, int64_t confirmed)
{
	if (confirmed > w->c.cursor)
		w->c.cursor = confirmed;
}

static void drop_link(struct worker *w, int graceful)
{
	if (!w->link)
		return;
	advance(w, audit_fwd_link_close(w->link, graceful));
	w->link = NULL;
	w->pos = w->c.cursor; /* what was not confirmed goes again */
}

static void failed(struct worker *w)
{
	drop_link(w, 0);
	w->retry_at = audit_monotonic_ms() + backoff_next(&w->bo, -1);
}

/* Send the rows after w->pos, up to BATCH_MAX.  0 sent some or none left,
 * -1 the link failed. */
static int send_batch(struct worker *w)
{
	struct audit_log *log = w->c.log;
	sqlite3_stmt *st;
	struct audit_row r;
	int rc, n = 0;

	if (sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE seq > ?"
	                       " ORDER BY seq LIMIT ?", -1, &st, NULL) != SQLITE_OK) {
		audit_sqlerr(log, "read rows to forward");
		snprintf(w->err, sizeof w->err, "%s", log->err);
		return -1;
	}
	sqlite3_bind_int64(st, 1, w->pos);
	sqlite3_bind_int(st, 2, BATCH_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !atomic_load(&w->f->stop)) {
		audit_row_from_stmt(st, 0, &r);
		int len = audit_syslog_format(&r, w->buf, FRAME_MAX);
		if (len < 0) {
			/* cannot happen with the 2048-byte cap per value; never stall on it */
			snprintf(w->err, sizeof w->err, "row %" PRId64 " too large to forward; skipped",
			         r.seq);
			w->pos = r.seq;
			continue;
		}
		char e[512] = "";
		if (audit_fwd_link_send(w->link, r.seq, w->buf, (size_t)len, e, sizeof e) != 0) {
			sqlite3_finalize(st);
			snprintf(w->err, sizeof w->err, "%s", e);
			return -1;
		}
		w->err[0] = '\0';
		if (e[0])
			snprintf(w->err, sizeof w->err, "%s", e); /* a warning: row skipped */
		w->pos = r.seq;
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		audit_sqlerr(log, "read rows to forward");
		snprintf(w->err, sizeof w->err, "%s", log->err);
	}
	if (n > 0)
		backoff_reset(&w->bo);
	return 0;
}

static void do_rewind(struct worker *w)
{
	struct audit_fwd *f = w->f;
	int64_t seq;
	int rc = AUDIT_OK;
	pthread_mutex_lock(&f->mu);
	seq = f->rewind_req;
	f->rewind_req = -1;
	pthread_mutex_unlock(&f->mu);
	if (seq < 0)
		return;
	w->c.lease_at = 0; /* renew now */
	if (!audit_fwd_lease(&w->c, w->err, sizeof w->err)) {
		snprintf(w->err, sizeof w->err, "another console forwards to %s", f->dest);
		rc = AUDIT_ERR;
	} else {
		drop_link(w, 1);
		w->c.cursor = w->pos = seq;
		w->c.saved = -1;
		if (audit_fwd_save(&w->c, w->err, sizeof w->err) != 0)
			rc = AUDIT_ERR;
	}
	pthread_mutex_lock(&f->mu);
	f->rewind_rc = rc;
	f->rewind_answered = 1;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

static void work(struct worker *w)
{
	struct audit_fwd *f = w->f;
	while (!atomic_load(&f->stop)) {
		do_rewind(w);
		if (!audit_fwd_lease(&w->c, w->err, sizeof w->err)) {
			drop_link(w, 1);
			audit_fwd_head(w->c.log, w->c.cursor, &w->head, &w->since);
			publish(w);
			idle(w, LEASE_CHECK_MS);
			continue;
		}
		if (w->pos < w->c.cursor)
			w->pos = w->c.cursor;
		audit_fwd_head(w->c.log, w->c.cursor, &w->head, &w->since);
		if (w->head > w->pos) {
			int64_t now = audit_monotonic_ms();
			if (!w->link && w->retry_at > now) {
				publish(w);
				idle(w, w->retry_at - now);
				continue;
			}
			if (!w->link) {
				w->link = audit_fwd_link_open(&w->cfg, w->err, sizeof w->err);
				if (!w->link) {
					failed(w);
					publish(w);
					continue;
				}
				w->pos = w->c.cursor;
			}
			if (send_batch(w) != 0)
				failed(w);
			else
				advance(w, audit_fwd_link_confirmed(w->link));
		} else if (w->link && f->d.scheme != FWD_UNIX) {
			/* all sent: a graceful close confirms the tail */
			int64_t sent = w->pos;
			drop_link(w, 1);
			if (w->c.cursor < sent) {
				snprintf(w->err, sizeof w->err, "%s did not confirm rows %" PRId64 "..%"
				         PRId64 "; sending them again", f->dest, w->c.cursor + 1, sent);
				w->retry_at = audit_monotonic_ms() + backoff_next(&w->bo, -1);
			}
		}
		audit_fwd_save(&w->c, w->err, sizeof w->err);
		audit_fwd_head(w->c.log, w->c.cursor, &w->head, &w->since);
		publish(w);
		if (w->head <= w->pos)
			idle(w, RESCAN_MS);
	}
}

static void *worker_main(void *arg)
{
	struct audit_fwd *f = arg;
	struct worker w;
	char host[128];

	memset(&w, 0, sizeof w);
	w.f = f;
	w.c.dest = f->dest;
	w.c.rewind_to = -1;
	w.cfg.dest = &f->d;
	w.cfg.ca_file = f->ca_file;
	w.cfg.client_cert = f->client_cert;
	w.cfg.client_key = f->client_key;
	w.cfg.wake_fd = f->wake[0];
	w.cfg.stop = &f->stop;
	backoff_init(&w.bo, BACKOFF_MIN_MS, BACKOFF_MAX_MS, NULL, NULL);
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	snprintf(w.c.owner, sizeof w.c.owner, "%s:%ld:%08x", host, (long)getpid(),
	         (unsigned)backoff_next(&w.bo, -1) ^ (unsigned)(uintptr_t)&w);
	backoff_reset(&w.bo);
	w.buf = malloc(FRAME_MAX);
	while (!atomic_load(&f->stop)) {
		if (!w.buf) {
			snprintf(w.err, sizeof w.err, "out of memory");
		} else if (audit_open(f->path, &w.c.log, w.err, sizeof w.err) == AUDIT_OK) {
			w.err[0] = '\0';
			work(&w);
			break;
		}
		publish(&w);
		idle(&w, LEASE_CHECK_MS);
	}
	if (w.c.log) {
		drop_link(&w, 1);
		if (w.c.owner_ok) {
			audit_fwd_save(&w.c, w.err, sizeof w.err);
			audit_fwd_release(&w.c);
		}
		publish(&w);
		audit_close(w.c.log);
	}
	free(w.buf);
	pthread_mutex_lock(&f->mu);
	f->done = 1;
	if (f->rewind_req >= 0) { /* asked while stopping */
		f->rewind_rc = AUDIT_ERR;
		f->rewind_answered = 1;
	}
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	unref(f);
	return NULL;
}

/* ---- the caller's side ---- */

static char *dup_opt(const char *s, int *oom)
{
	char *c;
	if (!s || !*s)
		return NULL;
	c = strdup(s);
	if (!c)
		*oom = 1;
	return c;
}

int audit_fwd_open_tls(struct audit_log *log, const char *dest,
                       const struct audit_fwd_tls *tls, struct audit_fwd **out)
{
	struct audit_fwd *f;
	char err[512];
	int oom = 0;

	*out = NULL;
	if (!log || !dest)
		return AUDIT_EINVAL;
	f = calloc(1, sizeof *f);
	if (!f)
		return audit_seterr(log, AUDIT_ERR, "out of memory");
	f->wake[0] = f->wake[1] = f->notify[0] = f->notify[1] = -1;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	if (audit_fwd_parse_dest(dest, &f->d, err, sizeof err) != 0) {
		fwd_free(f);
		return audit_seterr(log, AUDIT_EINVAL, "%s", err);
	}
	f->log = log;
	f->dest = dup_opt(dest, &oom);
	f->path = dup_opt(audit_path(log), &oom);
	if (tls) {
		f->ca_file = dup_opt(tls->ca_file, &oom);
		f->client_cert = dup_opt(tls->client_cert, &oom);
		f->client_key = dup_opt(tls->client_key, &oom);
	}
	if (oom || !f->dest || !f->path) {
		fwd_free(f);
		return audit_seterr(log, AUDIT_ERR, "out of memory");
	}
	if (pipe2(f->wake, O_NONBLOCK | O_CLOEXEC) != 0 ||
	    pipe2(f->notify, O_NONBLOCK | O_CLOEXEC) != 0) {
		int e = errno;
		fwd_free(f);
		return audit_seterr(log, AUDIT_ERR, "pipe: %s", strerror(e));
	}
	f->rewind_req = -1;
	f->refs = 2;
	atomic_init(&f->stop, 0);
	/* the thread takes no signals: they stay the console's */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&f->thread, NULL, worker_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		fwd_free(f);
		return audit_seterr(log, AUDIT_ERR, "cannot start the forwarding thread: %s",
		                    strerror(rc));
	}
	*out = f;
	return AUDIT_OK;
}

int audit_fwd_open(struct audit_log *log, const char *dest, struct audit_fwd **out)
{
	return audit_fwd_open_tls(log, dest, NULL, out);
}

int audit_fwd_pollfd(struct audit_fwd *f, short *events)
{
	*events = 0;
	if (!f)
		return -1;
	*events = POLLIN;
	return f->notify[0];
}

int audit_fwd_timeout_ms(struct audit_fwd *f)
{
	(void)f;
	return -1; /* the thread keeps its own time */
}

void audit_fwd_pump(struct audit_fwd *f, short revents)
{
	if (!f)
		return;
	if (revents)
		drain(f->notify[0]);
	else
		poke(f->wake[1]); /* a row was appended, or a timer: look now */
}

int64_t audit_fwd_cursor(struct audit_fwd *f)
{
	int64_t c;
	if (!f)
		return 0;
	pthread_mutex_lock(&f->mu);
	c = f->cursor;
	pthread_mutex_unlock(&f->mu);
	return c;
}

int64_t audit_fwd_pending(struct audit_fwd *f)
{
	int64_t last = 0, c = audit_fwd_cursor(f);
	if (!f || audit_head(f->log, NULL, &last, NULL) != 0)
		return -1;
	return last > c ? last - c : 0;
}

int audit_fwd_lag(struct audit_fwd *f, struct audit_fwd_lag *lag)
{
	memset(lag, 0, sizeof *lag);
	if (!f)
		return AUDIT_EINVAL;
	pthread_mutex_lock(&f->mu);
	lag->behind = f->head > f->cursor ? f->head - f->cursor : 0;
	lag->since = lag->behind ? f->since : 0;
	lag->forwarding = f->owner;
	lag->connected = f->connected;
	lag->failing = f->err[0] != '\0';
	pthread_mutex_unlock(&f->mu);
	return AUDIT_OK;
}

const char *audit_fwd_error(struct audit_fwd *f)
{
	if (!f)
		return "";
	pthread_mutex_lock(&f->mu);
	memcpy(f->err_copy, f->err, sizeof f->err_copy);
	pthread_mutex_unlock(&f->mu);
	return f->err_copy;
}

int audit_fwd_rewind(struct audit_fwd *f, int64_t seq)
{
	struct timespec until;
	int rc = AUDIT_ERR;
	if (!f || seq < 0)
		return AUDIT_EINVAL;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += REWIND_WAIT_MS / 1000;
	pthread_mutex_lock(&f->mu);
	f->rewind_req = seq;
	f->rewind_answered = 0;
	pthread_mutex_unlock(&f->mu);
	poke(f->wake[1]);
	pthread_mutex_lock(&f->mu);
	while (!f->rewind_answered && !f->done &&
	       pthread_cond_timedwait(&f->cv, &f->mu, &until) == 0)
		;
	if (f->rewind_answered) {
		rc = f->rewind_rc;
		if (rc != AUDIT_OK)
			audit_seterr(f->log, rc, "%s", f->err[0] ? f->err : "rewind failed");
	} else {
		audit_seterr(f->log, AUDIT_ERR, "rewind of %s timed out", f->dest);
	}
	pthread_mutex_unlock(&f->mu);
	return rc;
}

void audit_fwd_close(struct audit_fwd *f)
{
	struct timespec until;
	int done;
	if (!f)
		return;
	atomic_store(&f->stop, 1);
	poke(f->wake[1]);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)(CLOSE_WAIT_MS % 1000) * 1000000L;
	until.tv_sec += CLOSE_WAIT_MS / 1000 + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&f->mu);
	while (!f->done && pthread_cond_timedwait(&f->cv, &f->mu, &until) == 0)
		;
	done = f->done;
	pthread_mutex_unlock(&f->mu);
	if (done) {
		pthread_join(f->thread, NULL);
	} else {
		/* a receiver holding up a close: the thread finishes on its own
		 * (its rows are safe in the log) and frees what it shares */
		pthread_detach(f->thread);
	}
	unref(f);
}
