/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd_int.h - the forwarder's internals, shared by audit/fwd*.c (not API).
 *
 * The caller's event loop only ever touches struct audit_fwd through
 * audit/fwd.c, which takes the mutex; all network I/O, name resolution and
 * database work of the forwarder runs on its own thread (struct fwd_worker),
 * with its own SQLite connection to the log. */
#ifndef PAYOPS_AUDIT_FWD_INT_H
#define PAYOPS_AUDIT_FWD_INT_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/un.h>

#include "audit/audit_int.h"

enum fwd_scheme { FWD_UNIX, FWD_TCP, FWD_TLS, FWD_RELP, FWD_RELP_TLS };

struct fwd_dest {
	enum fwd_scheme scheme;
	char host[256];              /* without brackets */
	char port[16];
	char path[sizeof ((struct sockaddr_un *)0)->sun_path];
	int host_is_ip;              /* a literal address: checked against IP SANs */
};

/* "unix:///dev/log", "tcp://H:P", "tls://H[:P]", "relp://H[:P]",
 * "relp+tls://H[:P]"; 0 or -1 with a message in err. */
int audit_fwd_parse_dest(const char *s, struct fwd_dest *d, char *err, size_t errsz);

/* One connection to the receiver, on the worker thread.  Every wait polls
 * the worker's wake descriptor too, so stopping is never held up by the
 * network for longer than librelp's own timeouts. */
struct fwd_link;

struct fwd_link_cfg {
	const struct fwd_dest *dest;
	const char *ca_file, *client_cert, *client_key;
	int wake_fd;                 /* readable: look at *stop */
	atomic_int *stop;
};

/* Connect (resolving the name, TLS handshake, RELP open).  NULL on failure
 * with the reason in err.  Nothing is sent on a connection that failed. */
struct fwd_link *audit_fwd_link_open(const struct fwd_link_cfg *cfg, char *err, size_t errsz);
/* Hand over one message for row seq.  0, or -1 (err set): the link is
 * broken and must be closed. */
int audit_fwd_link_send(struct fwd_link *l, int64_t seq, const char *msg, size_t len,
                        char *err, size_t errsz);
/* The highest seq the receiver is known to hold: acknowledged (RELP), read
 * by the receiver (a stream: written, drained from the socket and not
 * followed by a close for SETTLE_MS), or handed to the kernel (datagram). */
int64_t audit_fwd_link_confirmed(struct fwd_link *l);
/* Descriptor to watch while idle (the receiver closing), or -1. */
int audit_fwd_link_fd(const struct fwd_link *l);
/* Whether the receiver has gone away (call when the fd is readable). */
int audit_fwd_link_dead(struct fwd_link *l);
/* Close.  graceful: confirm everything sent first (RELP close, or a
 * stream's shutdown answered by the receiver's own close); returns the
 * highest confirmed seq either way.  Frees l. */
int64_t audit_fwd_link_close(struct fwd_link *l, int graceful);

/* TLS (OpenSSL) on a connected socket, for tls://. */
struct fwd_tls;
struct fwd_tls *audit_fwd_tls_start(const struct fwd_link_cfg *cfg, int fd,
                                    char *err, size_t errsz);
/* 0 all written; -1 broken. */
int audit_fwd_tls_write(struct fwd_tls *t, const char *buf, size_t len, char *err, size_t errsz);
/* 1 the peer closed (or failed), 0 nothing yet; reads and drops data. */
int audit_fwd_tls_peer_closed(struct fwd_tls *t);
/* close_notify; then 1 if the peer closed too within ms, else 0. */
int audit_fwd_tls_shutdown(struct fwd_tls *t, int ms);
void audit_fwd_tls_free(struct fwd_tls *t);

/* Wait until fd has events or the deadline (monotonic ms) passes; the
 * wake descriptor is watched too.  1 ready, 0 timed out, -1 stopping. */
int audit_fwd_wait(const struct fwd_link_cfg *cfg, int fd, short events, int64_t deadline);

/* RELP (librelp); the same contract as the link calls above. */
struct fwd_relp;
struct fwd_relp *audit_fwd_relp_open(const struct fwd_link_cfg *cfg, char *err, size_t errsz);
int audit_fwd_relp_send(struct fwd_relp *r, int64_t seq, const char *msg, size_t len,
                        char *err, size_t errsz);
int64_t audit_fwd_relp_confirmed(const struct fwd_relp *r);
int64_t audit_fwd_relp_close(struct fwd_relp *r, int graceful);

/* The cursor row of a destination, on the worker's own connection. */
struct fwd_cursor {
	struct audit_log *log;       /* the worker's connection */
	const char *dest;
	char owner[160];
	int owner_ok;
	int64_t lease_at;            /* monotonic ms of the last renewal */
	int64_t cursor;              /* confirmed; what the table holds for us */
	int64_t saved;               /* what we last wrote */
	int64_t rewind_to;           /* -1, or a rewind asked by the caller */
};
/* Take or renew the lease; 1 we forward, 0 another console does (then
 * *cursor holds its saved cursor).  Loads the cursor when taken. */
int audit_fwd_lease(struct fwd_cursor *c, char *err, size_t errsz);
/* Record the confirmed cursor (and the highest acknowledged row with its
 * hash).  -1 if the lease was lost. */
int audit_fwd_save(struct fwd_cursor *c, char *err, size_t errsz);
int audit_fwd_release(struct fwd_cursor *c);
/* Head of the log and the time of the first row after seq (0 if none). */
int audit_fwd_head(struct audit_log *log, int64_t after, int64_t *head, int64_t *since);

#define AUDIT_FWD_LEASE_MS 30000
#define AUDIT_FWD_RENEW_MS 10000

#endif
