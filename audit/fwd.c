/* fwd.c - forwarding audit rows to syslog, driven by the caller's poll loop.
 *
 * The log is the source of truth.  A cursor per destination (table
 * audit_fwd_cursor) holds the last seq whose message was fully written; a
 * row is read from the log, formatted, written without blocking, and only
 * then does the cursor move.  A failed connection or write is retried on a
 * backoff timer, from the cursor.  Several consoles may share one log: a
 * lease in the cursor row lets one of them forward to a destination at a
 * time, so no row is sent twice. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit_int.h"

#define FRAME_MAX 65536
#define LEASE_MS 30000
#define RENEW_MS 10000
#define RESCAN_MS 2000     /* rows appended by other processes */
#define LEASE_CHECK_MS 5000
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 10000
#define BATCH_MAX 256      /* rows per pump, so the caller's loop stays responsive */

enum fwd_state { FWD_DOWN, FWD_CONNECTING, FWD_UP };

struct audit_fwd {
	struct audit_log *log;
	char *dest;
	int tcp;
	char host[256], port[16];
	struct sockaddr_un sun;
	int fd;
	enum fwd_state state;
	int want_write;          /* last write hit EAGAIN */
	int64_t cursor;          /* last seq fully written */
	int64_t saved_cursor;    /* what the table holds */
	char *frame;             /* the message being written */
	size_t flen, foff;
	int64_t fseq;
	int64_t retry_at;        /* monotonic ms; 0: none */
	int backoff_ms;
	char owner[160];
	int owner_ok;
	int64_t lease_at;        /* monotonic ms of the last renewal */
	int64_t scan_at;         /* monotonic ms of the last look for rows */
	unsigned int rnd;
	char err[1024];
};

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_err(struct audit_fwd *f, const char *what, int e)
{
	snprintf(f->err, sizeof f->err, "%s: %s", what, e ? strerror(e) : "failed");
}

static int parse_dest(struct audit_fwd *f, const char *dest)
{
	if (strncmp(dest, "tcp://", 6) == 0) {
		const char *hp = dest + 6, *colon;
		size_t hl;
		f->tcp = 1;
		if (*hp == '[') { /* [v6]:port */
			const char *close = strchr(hp, ']');
			if (!close || close[1] != ':')
				return -1;
			hl = (size_t)(close - hp - 1);
			hp++;
			colon = close + 1;
		} else {
			colon = strrchr(hp, ':');
			if (!colon)
				return -1;
			hl = (size_t)(colon - hp);
		}
		if (hl == 0 || hl >= sizeof f->host || strlen(colon + 1) == 0 ||
		    strlen(colon + 1) >= sizeof f->port)
			return -1;
		memcpy(f->host, hp, hl);
		f->host[hl] = '\0';
		snprintf(f->port, sizeof f->port, "%s", colon + 1);
		for (const char *p = f->port; *p; p++)
			if (*p < '0' || *p > '9')
				return -1;
		return 0;
	}
	if (strncmp(dest, "unix://", 7) == 0) {
		const char *path = dest + 7;
		if (*path != '/' || strlen(path) >= sizeof f->sun.sun_path)
			return -1;
		f->tcp = 0;
		f->sun.sun_family = AF_UNIX;
		memcpy(f->sun.sun_path, path, strlen(path) + 1);
		return 0;
	}
	return -1;
}

static void drop_conn(struct audit_fwd *f, const char *what, int e)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	f->state = FWD_DOWN;
	f->want_write = 0;
	f->foff = 0; /* a partly written frame is sent whole on the next connection */
	if (what)
		set_err(f, what, e);
	int jitter = f->backoff_ms / 5;
	int delay = f->backoff_ms + (jitter ? (int)(rand_r(&f->rnd) % (unsigned)(2 * jitter + 1)) - jitter : 0);
	f->retry_at = audit_monotonic_ms() + delay;
	f->backoff_ms *= 2;
	if (f->backoff_ms > BACKOFF_MAX_MS)
		f->backoff_ms = BACKOFF_MAX_MS;
}

static void start_connect(struct audit_fwd *f)
{
	f->retry_at = 0;
	if (!f->tcp) {
		int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			drop_conn(f, "socket", errno);
			return;
		}
		f->fd = fd;
		if (connect(fd, (struct sockaddr *)&f->sun, sizeof f->sun) != 0) {
			drop_conn(f, f->sun.sun_path, errno);
			return;
		}
		f->state = FWD_UP;
		return;
	}
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	/* Collectors are given as addresses or names from /etc/hosts; a slow
	 * DNS lookup here would block the console, so names are resolved only
	 * through what getaddrinfo answers at once. */
	int gai = getaddrinfo(f->host, f->port, &hints, &res);
	if (gai != 0 || !res) {
		snprintf(f->err, sizeof f->err, "%s: %s", f->host, gai_strerror(gai));
		drop_conn(f, NULL, 0);
		return;
	}
	int fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
	                res->ai_protocol);
	if (fd < 0) {
		freeaddrinfo(res);
		drop_conn(f, "socket", errno);
		return;
	}
	f->fd = fd;
	int rc = connect(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (rc == 0) {
		f->state = FWD_UP;
	} else if (errno == EINPROGRESS) {
		f->state = FWD_CONNECTING;
	} else {
		drop_conn(f, "connect", errno);
	}
}

/* Take or renew the lease on this destination; loads the cursor when the
 * lease is (re)taken.  Returns 1 if we forward, 0 if another console does. */
static int lease(struct audit_fwd *f)
{
	struct audit_log *log = f->log;
	sqlite3_stmt *st = NULL;
	int64_t now = wall_ms(), mono = audit_monotonic_ms();
	int mine = 0;

	if (f->owner_ok && mono - f->lease_at < RENEW_MS)
		return 1;
	if (audit_begin_immediate(log))
		goto fail;
	if (sqlite3_prepare_v2(log->db, "INSERT OR IGNORE INTO audit_fwd_cursor(dest) VALUES (?)",
	                       -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(st, 1, f->dest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlfail;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(log->db, "SELECT last_seq, owner, lease_until FROM audit_fwd_cursor"
	                       " WHERE dest = ?", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(st, 1, f->dest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto sqlfail;
	int64_t last = sqlite3_column_int64(st, 0);
	const char *owner = (const char *)sqlite3_column_text(st, 1);
	int64_t until = sqlite3_column_int64(st, 2);
	int was_mine = f->owner_ok && owner && strcmp(owner, f->owner) == 0;
	mine = was_mine || !owner || !*owner || until < now;
	sqlite3_finalize(st);
	st = NULL;
	if (mine) {
		if (sqlite3_prepare_v2(log->db, "UPDATE audit_fwd_cursor SET owner = ?, lease_until = ?"
		                       " WHERE dest = ?", -1, &st, NULL) != SQLITE_OK)
			goto sqlfail;
		sqlite3_bind_text(st, 1, f->owner, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now + LEASE_MS);
		sqlite3_bind_text(st, 3, f->dest, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlfail;
		sqlite3_finalize(st);
		st = NULL;
		if (!was_mine) {
			f->cursor = f->saved_cursor = last;
			free(f->frame);
			f->frame = NULL;
		}
	}
	if (audit_commit(log))
		goto fail;
	f->owner_ok = mine;
	f->lease_at = mono;
	return mine;
sqlfail:
	audit_sqlerr(log, "forward cursor");
	sqlite3_finalize(st);
	audit_rollback(log);
fail:
	snprintf(f->err, sizeof f->err, "%s", log->err);
	f->owner_ok = 0;
	f->lease_at = mono;
	return 0;
}

static int save_cursor(struct audit_fwd *f)
{
	sqlite3_stmt *st;
	struct audit_log *log = f->log;
	if (f->cursor == f->saved_cursor)
		return 0;
	if (sqlite3_prepare_v2(log->db, "UPDATE audit_fwd_cursor SET last_seq = ?, updated_at = ?"
	                       " WHERE dest = ? AND owner = ?", -1, &st, NULL) != SQLITE_OK) {
		audit_sqlerr(log, "save cursor");
		snprintf(f->err, sizeof f->err, "%s", log->err);
		return -1;
	}
	char now[32];
	audit_now_rfc3339(now);
	sqlite3_bind_int64(st, 1, f->cursor);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->dest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->owner, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		audit_sqlerr(log, "save cursor");
		snprintf(f->err, sizeof f->err, "%s", log->err);
		return -1;
	}
	if (sqlite3_changes(log->db) == 0) {
		/* the lease went to another console while we were stalled */
		snprintf(f->err, sizeof f->err, "lease on %s lost", f->dest);
		f->owner_ok = 0;
		return -1;
	}
	f->saved_cursor = f->cursor;
	return 0;
}

/* Load the row after the cursor into f->frame; 0 loaded, 1 none, -1 error. */
static int load_next(struct audit_fwd *f)
{
	sqlite3_stmt *st;
	struct audit_row r;
	struct audit_log *log = f->log;
	int rc;

	if (sqlite3_prepare_v2(log->db, "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE seq > ?"
	                       " ORDER BY seq LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_int64(st, 1, f->cursor);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 1;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		goto sqlfail;
	}
	audit_row_from_stmt(st, 0, &r);
	char *buf = malloc(FRAME_MAX);
	if (!buf) {
		sqlite3_finalize(st);
		snprintf(f->err, sizeof f->err, "out of memory");
		return -1;
	}
	/* TCP: RFC 6587 octet counting, "LEN SP MSG"; datagram: MSG alone. */
	size_t pre = f->tcp ? 12 : 0;
	int n = audit_syslog_format(&r, buf + pre, FRAME_MAX - pre);
	f->fseq = r.seq;
	sqlite3_finalize(st);
	if (n < 0) {
		free(buf);
		snprintf(f->err, sizeof f->err, "row %" PRId64 " too large to forward", f->fseq);
		return -1;
	}
	if (f->tcp) {
		char len[16];
		int ln = snprintf(len, sizeof len, "%d ", n);
		memmove(buf + ln, buf + pre, (size_t)n);
		memcpy(buf, len, (size_t)ln);
		n += ln;
	}
	free(f->frame);
	f->frame = buf;
	f->flen = (size_t)n;
	f->foff = 0;
	return 0;
sqlfail:
	audit_sqlerr(log, "read rows to forward");
	snprintf(f->err, sizeof f->err, "%s", log->err);
	return -1;
}

static void frame_done(struct audit_fwd *f)
{
	f->cursor = f->fseq;
	free(f->frame);
	f->frame = NULL;
	f->flen = f->foff = 0;
	f->backoff_ms = BACKOFF_MIN_MS;
}

/* Has the collector closed the connection?  (It never sends us anything.) */
static int peer_closed(struct audit_fwd *f)
{
	char tmp[512];
	for (;;) {
		ssize_t n = recv(f->fd, tmp, sizeof tmp, MSG_DONTWAIT);
		if (n > 0)
			continue;
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return !(errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

void audit_fwd_pump(struct audit_fwd *f, short revents)
{
	int64_t now = audit_monotonic_ms();

	if (!f)
		return;
	if (f->state == FWD_CONNECTING && (revents & (POLLOUT | POLLERR | POLLHUP))) {
		int e = 0;
		socklen_t el = sizeof e;
		if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
			e = errno;
		if (e)
			drop_conn(f, "connect", e);
		else
			f->state = FWD_UP;
	}
	if (f->state == FWD_UP && f->tcp &&
	    ((revents & (POLLIN | POLLHUP | POLLERR)) || f->frame == NULL)) {
		if (peer_closed(f))
			drop_conn(f, "collector closed the connection", 0);
	}
	f->scan_at = now;
	if (!lease(f))
		return;
	for (int sent = 0; sent < BATCH_MAX; ) {
		if (!f->frame) {
			int rc = load_next(f);
			if (rc != 0)
				break;
		}
		if (f->state == FWD_DOWN) {
			if (f->retry_at && now < f->retry_at)
				break;
			start_connect(f);
		}
		if (f->state != FWD_UP)
			break;
		if (f->tcp && f->foff == 0 && peer_closed(f)) {
			drop_conn(f, "collector closed the connection", 0);
			break;
		}
		ssize_t n = send(f->fd, f->frame + f->foff, f->flen - f->foff, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				f->want_write = 1;
				break;
			}
			if (!f->tcp && errno == EMSGSIZE) {
				/* can never be delivered as a datagram: skip it, say so */
				snprintf(f->err, sizeof f->err, "row %" PRId64 " too large for %s; skipped",
				         f->fseq, f->dest);
				frame_done(f);
				continue;
			}
			drop_conn(f, "send", errno);
			break;
		}
		f->want_write = 0;
		f->foff += (size_t)n;
		if (f->foff == f->flen) {
			frame_done(f);
			sent++;
			f->err[0] = '\0';
		}
	}
	save_cursor(f);
}

int audit_fwd_pollfd(struct audit_fwd *f, short *events)
{
	*events = 0;
	if (!f || f->fd < 0)
		return -1;
	if (f->state == FWD_CONNECTING || f->want_write)
		*events |= POLLOUT;
	if (f->tcp && f->state == FWD_UP)
		*events |= POLLIN; /* notice the collector going away */
	return *events ? f->fd : -1;
}

int audit_fwd_timeout_ms(struct audit_fwd *f)
{
	int64_t now = audit_monotonic_ms(), due;
	if (!f)
		return -1;
	if (!f->owner_ok)
		due = f->lease_at + LEASE_CHECK_MS;
	else if (f->state == FWD_DOWN && f->retry_at)
		due = f->retry_at;
	else if (f->state == FWD_CONNECTING || f->want_write)
		due = f->lease_at + RENEW_MS;
	else
		due = f->scan_at + RESCAN_MS;
	if (f->owner_ok && f->lease_at + RENEW_MS < due)
		due = f->lease_at + RENEW_MS;
	if (due <= now)
		return 0;
	return due - now > 600000 ? 600000 : (int)(due - now);
}

int audit_fwd_open(struct audit_log *log, const char *dest, struct audit_fwd **out)
{
	char host[128];
	struct audit_fwd *f;

	*out = NULL;
	if (!log || !dest)
		return AUDIT_EINVAL;
	f = calloc(1, sizeof *f);
	if (!f)
		return audit_seterr(log, AUDIT_ERR, "out of memory");
	f->fd = -1;
	if (parse_dest(f, dest) != 0) {
		free(f);
		return audit_seterr(log, AUDIT_EINVAL,
		                    "bad forwarding destination %s (want tcp://HOST:PORT or unix:///PATH)",
		                    dest);
	}
	f->dest = strdup(dest);
	if (!f->dest) {
		free(f);
		return audit_seterr(log, AUDIT_ERR, "out of memory");
	}
	f->log = log;
	f->backoff_ms = BACKOFF_MIN_MS;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	f->rnd = (unsigned int)getpid() ^ (unsigned int)wall_ms();
	snprintf(f->owner, sizeof f->owner, "%s:%ld:%08x", host, (long)getpid(), rand_r(&f->rnd));
	f->lease_at = audit_monotonic_ms() - LEASE_CHECK_MS; /* due at once */
	*out = f;
	return AUDIT_OK;
}

int64_t audit_fwd_cursor(struct audit_fwd *f)
{
	return f ? f->cursor : 0;
}

int64_t audit_fwd_pending(struct audit_fwd *f)
{
	int64_t last = 0;
	if (!f || audit_head(f->log, NULL, &last, NULL) != 0)
		return -1;
	return last > f->cursor ? last - f->cursor : 0;
}

const char *audit_fwd_error(const struct audit_fwd *f)
{
	return f ? f->err : "";
}

int audit_fwd_rewind(struct audit_fwd *f, int64_t seq)
{
	if (!f || seq < 0)
		return AUDIT_EINVAL;
	f->lease_at = audit_monotonic_ms() - RENEW_MS; /* renew now */
	if (!lease(f))
		return audit_seterr(f->log, AUDIT_ERR, "another console forwards to %s", f->dest);
	free(f->frame);
	f->frame = NULL;
	f->foff = f->flen = 0;
	f->cursor = seq;
	f->saved_cursor = -1;
	return save_cursor(f) == 0 ? AUDIT_OK : AUDIT_ERR;
}

void audit_fwd_close(struct audit_fwd *f)
{
	sqlite3_stmt *st;
	if (!f)
		return;
	if (f->owner_ok) {
		save_cursor(f);
		/* release the lease so another console can take over at once */
		if (sqlite3_prepare_v2(f->log->db, "UPDATE audit_fwd_cursor SET owner = '', lease_until = 0"
		                       " WHERE dest = ? AND owner = ?", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, f->dest, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, f->owner, -1, SQLITE_STATIC);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
	}
	if (f->fd >= 0)
		close(f->fd);
	free(f->frame);
	free(f->dest);
	free(f);
}
