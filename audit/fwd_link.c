/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd_link.c - one connection to a receiver, on the forwarding thread:
 * unix:// datagrams, tcp:// and tls:// streams (RFC 6587 / RFC 5425 octet
 * counting), and relp:// through fwd_relp.c.
 *
 * What counts as delivered.  A datagram: handed to the kernel.  RELP: the
 * receiver's acknowledgement.  A stream has no acknowledgement, so a row
 * counts as delivered once the receiver's kernel acknowledged its last byte
 * (TCP_INFO) and the connection then stayed up for SETTLE_MS; a graceful
 * close (our FIN or close_notify answered by the receiver's own close, which
 * it sends only after reading everything) confirms all of it at once.  A
 * receiver restarting in between makes the forwarder resend from the last
 * delivered row: a row may arrive twice, never not at all. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit/fwd_int.h"

#define CONNECT_MS 10000
#define WRITE_MS 10000
#define CLOSE_MS 3000
#define SETTLE_MS 2000
#define MARKS 1024

struct fwd_link {
	struct fwd_link_cfg cfg;
	int fd;
	struct fwd_tls *tls;
	struct fwd_relp *relp;
	int64_t sent, confirmed;
	/* rows written on a stream and when, oldest first (a ring) */
	struct { int64_t seq, at; uint64_t end; } marks[MARKS];
	size_t m_head, m_len;
};

int audit_fwd_wait(const struct fwd_link_cfg *cfg, int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p[2] = { { fd, events, 0 }, { cfg->wake_fd, POLLIN, 0 } };
		int64_t left = deadline - audit_monotonic_ms();
		if (atomic_load(cfg->stop))
			return -1;
		if (left <= 0)
			return 0;
		int n = poll(p, 2, left > 1000 ? 1000 : (int)left);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0 && (p[0].revents & (events | POLLERR | POLLHUP)))
			return 1;
		/* a wake-up is read by the worker's own loop; here only stop counts */
	}
}

static int connect_stream(struct fwd_link *l, char *err, size_t errsz)
{
	const struct fwd_dest *d = l->cfg.dest;
	struct addrinfo hints, *res = NULL;
	int gai;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	/* On the forwarding thread: a slow resolver never holds up the console. */
	gai = getaddrinfo(d->host, d->port, &hints, &res);
	if (gai != 0 || !res) {
		snprintf(err, errsz, "%s: %s", d->host, gai == EAI_SYSTEM ? strerror(errno) :
		         gai_strerror(gai));
		return -1;
	}
	snprintf(err, errsz, "%s:%s: no address", d->host, d->port);
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		                a->ai_protocol);
		if (fd < 0) {
			snprintf(err, errsz, "socket: %s", strerror(errno));
			continue;
		}
		int e = 0;
		if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
			e = errno;
			if (e == EINPROGRESS) {
				int w = audit_fwd_wait(&l->cfg, fd, POLLOUT,
				                       audit_monotonic_ms() + CONNECT_MS);
				socklen_t el = sizeof e;
				if (w == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
					e = errno;
				else if (w != 1)
					e = w == 0 ? ETIMEDOUT : ECANCELED;
			}
		}
		if (e == 0) {
			l->fd = fd;
			freeaddrinfo(res);
			return 0;
		}
		snprintf(err, errsz, "connect to %s:%s: %s", d->host, d->port, strerror(e));
		close(fd);
	}
	freeaddrinfo(res);
	return -1;
}

static int connect_unix(struct fwd_link *l, char *err, size_t errsz)
{
	struct sockaddr_un sun;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, l->cfg.dest->path, sizeof sun.sun_path);
	l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(l->fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		snprintf(err, errsz, "%s: %s", sun.sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

struct fwd_link *audit_fwd_link_open(const struct fwd_link_cfg *cfg, char *err, size_t errsz)
{
	struct fwd_link *l = calloc(1, sizeof *l);
	int rc = -1;

	if (!l) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	l->cfg = *cfg;
	l->fd = -1;
	switch (cfg->dest->scheme) {
	case FWD_UNIX:
		rc = connect_unix(l, err, errsz);
		break;
	case FWD_TCP:
		rc = connect_stream(l, err, errsz);
		break;
	case FWD_TLS:
		rc = connect_stream(l, err, errsz);
		if (rc == 0 && !(l->tls = audit_fwd_tls_start(&l->cfg, l->fd, err, errsz)))
			rc = -1;
		break;
	case FWD_RELP:
	case FWD_RELP_TLS:
		l->relp = audit_fwd_relp_open(&l->cfg, err, errsz);
		rc = l->relp ? 0 : -1;
		break;
	}
	if (rc != 0) {
		if (l->fd >= 0)
			close(l->fd);
		free(l);
		return NULL;
	}
	return l;
}

static int stream_dead(struct fwd_link *l)
{
	char tmp[512];
	if (l->tls)
		return audit_fwd_tls_peer_closed(l->tls);
	for (;;) {
		ssize_t n = recv(l->fd, tmp, sizeof tmp, MSG_DONTWAIT);
		if (n > 0)
			continue; /* a syslog receiver sends nothing: drop it */
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return !(errno == EAGAIN || errno == EWOULDBLOCK);
	}
}

static int write_all(struct fwd_link *l, const char *buf, size_t len, char *err, size_t errsz)
{
	int64_t deadline = audit_monotonic_ms() + WRITE_MS;
	size_t off = 0;
	if (l->tls)
		return audit_fwd_tls_write(l->tls, buf, len, err, errsz);
	while (off < len) {
		ssize_t n = send(l->fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(err, errsz, "send: %s", strerror(errno));
			return -1;
		}
		int w = audit_fwd_wait(&l->cfg, l->fd, POLLOUT, deadline);
		if (w != 1) {
			snprintf(err, errsz, "send %s", w == 0 ? "timed out: the receiver stopped reading"
			                                         : "stopped");
			return -1;
		}
	}
	return 0;
}

/* Bytes of the stream the receiver's kernel acknowledged, and (with what is
 * still queued) written so far; -1 when the kernel cannot say. */
static int stream_pos(const struct fwd_link *l, uint64_t *acked, uint64_t *written)
{
	struct tcp_info ti;
	socklen_t tl = sizeof ti;
	int outq = 0;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(l->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) != 0 ||
	    tl < offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof ti.tcpi_bytes_acked ||
	    ioctl(l->fd, SIOCOUTQ, &outq) != 0)
		return -1;
	*acked = ti.tcpi_bytes_acked;
	*written = ti.tcpi_bytes_acked + (uint64_t)outq;
	return 0;
}

static void mark(struct fwd_link *l, int64_t seq)
{
	int64_t now = audit_monotonic_ms();
	uint64_t acked, end = UINT64_MAX; /* unknown: confirmed by the close only */
	if (stream_pos(l, &acked, &end) != 0)
		end = UINT64_MAX;
	if (l->m_len == MARKS) {
		/* full: move the newest mark forward (later: confirmed later) */
		size_t last = (l->m_head + l->m_len - 1) % MARKS;
		l->marks[last].seq = seq;
		l->marks[last].at = now;
		l->marks[last].end = end;
		return;
	}
	size_t i = (l->m_head + l->m_len) % MARKS;
	l->marks[i].seq = seq;
	l->marks[i].at = now;
	l->marks[i].end = end;
	l->m_len++;
}

int audit_fwd_link_send(struct fwd_link *l, int64_t seq, const char *msg, size_t len,
                        char *err, size_t errsz)
{
	switch (l->cfg.dest->scheme) {
	case FWD_RELP:
	case FWD_RELP_TLS:
		if (audit_fwd_relp_send(l->relp, seq, msg, len, err, errsz) != 0)
			return -1;
		l->sent = seq;
		return 0;
	case FWD_UNIX:
		for (;;) {
			if (send(l->fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
				break;
			if (errno == EINTR)
				continue;
			if (errno == EMSGSIZE) {
				/* can never be delivered as a datagram: skip it, say so */
				snprintf(err, errsz, "row %lld too large for a datagram; skipped",
				         (long long)seq);
				break;
			}
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    audit_fwd_wait(&l->cfg, l->fd, POLLOUT, audit_monotonic_ms() + WRITE_MS) == 1)
				continue;
			snprintf(err, errsz, "%s: %s", l->cfg.dest->path, strerror(errno));
			return -1;
		}
		l->sent = l->confirmed = seq;
		return 0;
	case FWD_TCP:
	case FWD_TLS:
		break;
	}
	char head[24];
	int hn = snprintf(head, sizeof head, "%zu ", len);
	if (stream_dead(l)) {
		snprintf(err, errsz, "the receiver closed the connection");
		return -1;
	}
	/* one write for the frame: the count and the message together */
	char *frame = malloc((size_t)hn + len);
	if (!frame) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	memcpy(frame, head, (size_t)hn);
	memcpy(frame + hn, msg, len);
	int rc = write_all(l, frame, (size_t)hn + len, err, errsz);
	free(frame);
	if (rc != 0)
		return -1;
	l->sent = seq;
	mark(l, seq);
	return 0;
}

int64_t audit_fwd_link_confirmed(struct fwd_link *l)
{
	if (l->relp)
		return l->confirmed = audit_fwd_relp_confirmed(l->relp);
	if (l->m_len == 0)
		return l->confirmed;
	int64_t now = audit_monotonic_ms();
	uint64_t acked, written;
	if (stream_pos(l, &acked, &written) != 0)
		return l->confirmed;
	while (l->m_len > 0 && l->marks[l->m_head].at + SETTLE_MS <= now &&
	       l->marks[l->m_head].end <= acked) {
		l->confirmed = l->marks[l->m_head].seq;
		l->m_head = (l->m_head + 1) % MARKS;
		l->m_len--;
	}
	return l->confirmed;
}

int64_t audit_fwd_link_close(struct fwd_link *l, int graceful)
{
	int64_t confirmed;
	if (!l)
		return 0;
	if (l->relp) {
		confirmed = audit_fwd_relp_close(l->relp, graceful);
		free(l);
		return confirmed;
	}
	audit_fwd_link_confirmed(l);
	if (graceful && l->fd >= 0 && l->cfg.dest->scheme != FWD_UNIX && l->sent > l->confirmed) {
		int closed = 0;
		if (l->tls) {
			closed = audit_fwd_tls_shutdown(l->tls, CLOSE_MS);
		} else if (shutdown(l->fd, SHUT_WR) == 0) {
			/* the receiver's FIN, not a reset (see audit_fwd_tls_shutdown) */
			int64_t deadline = audit_monotonic_ms() + CLOSE_MS;
			while (!closed && audit_fwd_wait(&l->cfg, l->fd, POLLIN, deadline) == 1) {
				char tmp[512];
				ssize_t n = recv(l->fd, tmp, sizeof tmp, MSG_DONTWAIT);
				if (n == 0)
					closed = 1;
				else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
				         errno != EINTR)
					break;
			}
		}
		if (closed)
			l->confirmed = l->sent;
	}
	confirmed = l->confirmed;
	audit_fwd_tls_free(l->tls);
	if (l->fd >= 0)
		close(l->fd);
	free(l);
	return confirmed;
}
