/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd_relp.c - relp:// and relp+tls:// through librelp, on the forwarding
 * thread (librelp's client calls block until the receiver answers).
 *
 * librelp tells its caller nothing per message, but its window does: a send
 * returns only once fewer than WINDOW frames are unanswered, and a receiver
 * (rsyslog's imrelp) answers frames in the order they came.  So after the
 * k-th frame of a session is handed over, frames 1..k-WINDOW have been
 * acknowledged.  The rest are confirmed by closing the session: the answer
 * to "close" comes after the answers to every frame before it, and any
 * failure on the way reaches us through librelp's error callbacks, so a
 * close with no error reported confirms everything sent. */
#include <stddef.h> /* librelp.h needs size_t first */
#include <stdio.h>
#include <librelp.h>
#include <stdlib.h>
#include <string.h>

#include "audit/fwd_int.h"

#define WINDOW 32           /* frames unanswered at most; rows resent after a crash */
#define TIMEOUT_S 10        /* an answer */
#define CONNECT_S 5
#define RING (WINDOW + 1)

struct fwd_relp {
	relpEngine_t *eng;
	relpClt_t *clt;
	int64_t ring[RING];         /* seqs of the last frames sent */
	int64_t nsent;              /* frames sent on this session */
	int64_t confirmed;
	int failed;                 /* librelp reported an error */
	char host[256];
	char err[512];
};

/* librelp's callbacks run on the thread calling into it: the worker. */
static _Thread_local struct fwd_relp *cur;

/* librelp's messages run over several lines: keep the first, one line. */
static void first_line(char *s)
{
	char *nl = strpbrk(s, "\r\n");
	if (nl)
		*nl = '\0';
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

static void note_err(const char *what, const char *msg, relpRetVal code)
{
	if (!cur)
		return;
	if (!cur->failed)
		snprintf(cur->err, sizeof cur->err, "%s%s%s (RELP error %d)", what ? what : "",
		         what && *what ? ": " : "", msg ? msg : "", (int)code);
	first_line(cur->err);
	cur->failed = 1;
}

static void on_err(void *usr, char *objinfo, char *errmsg, relpRetVal code)
{
	(void)usr;
	(void)objinfo;
	note_err("", errmsg, code);
}

static void on_auth_err(void *usr, char *authinfo, char *errmsg, relpRetVal code)
{
	char buf[800];
	(void)usr;
	if (!cur || cur->failed)
		return;
	switch (code) {
	case RELP_RET_AUTH_ERR_NAME:
		snprintf(buf, sizeof buf, "the receiver's certificate is not for %s (it names %.200s)",
		         cur->host, authinfo ? authinfo : "nothing");
		break;
	case RELP_RET_AUTH_NO_CERT:
		snprintf(buf, sizeof buf, "the receiver presented no certificate");
		break;
	default:
		snprintf(buf, sizeof buf, "the receiver's certificate was refused: %.200s",
		         authinfo && *authinfo ? authinfo : errmsg ? errmsg : "?");
	}
	note_err("", buf, code);
}

static void on_generic_err(char *objinfo, char *errmsg, relpRetVal code)
{
	(void)objinfo;
	note_err("", errmsg, code);
}

static void no_dbgprint(char *fmt, ...)
{
	(void)fmt;
}

static const char *relp_reason(relpRetVal rc)
{
	switch (rc) {
	case RELP_RET_SESSION_BROKEN: return "session broken";
	case RELP_RET_TIMED_OUT: return "timed out";
	case RELP_RET_IO_ERR: return "I/O error";
	case RELP_RET_RSP_STATE_ERR: return "the receiver refused the message";
	case RELP_RET_CMD_DISABLED: return "the receiver does not accept syslog messages";
	case RELP_RET_ERR_TLS_SETUP: return "TLS setup failed";
	case RELP_RET_ERR_TLS_HANDS: return "TLS handshake failed";
	case RELP_RET_AUTH_CERT_INVL: return "the receiver's certificate is not valid";
	case RELP_RET_AUTH_ERR_NAME: return "the receiver's certificate is not for this host";
	case RELP_RET_AUTH_NO_CERT: return "the receiver presented no certificate";
	case RELP_RET_ERR_NO_TLS: return "librelp was built without TLS";
	case RELP_RET_OUT_OF_MEMORY: return "out of memory";
	default: return "failed";
	}
}

static void describe(struct fwd_relp *r, const struct fwd_dest *d, relpRetVal rc,
                     char *err, size_t errsz)
{
	if (r->failed && r->err[0])
		snprintf(err, errsz, "RELP %s:%s: %s", d->host, d->port, r->err);
	else
		snprintf(err, errsz, "RELP %s:%s: %s (RELP error %d)", d->host, d->port,
		         relp_reason(rc), (int)rc);
}

static relpRetVal setup_tls(relpClt_t *clt, const struct fwd_link_cfg *cfg)
{
	relpRetVal rc;
	const struct fwd_dest *d = cfg->dest;
	if ((rc = relpCltEnableTLS(clt)) != RELP_RET_OK)
		return rc;
	if (cfg->ca_file && *cfg->ca_file &&
	    (rc = relpCltSetCACert(clt, (char *)cfg->ca_file)) != RELP_RET_OK)
		return rc;
	if (cfg->client_cert && *cfg->client_cert &&
	    ((rc = relpCltSetOwnCert(clt, (char *)cfg->client_cert)) != RELP_RET_OK ||
	     (rc = relpCltSetPrivKey(clt, (char *)cfg->client_key)) != RELP_RET_OK))
		return rc;
	/* "name": the chain must verify and the certificate name the host */
	if ((rc = relpCltSetAuthMode(clt, (char *)"name")) != RELP_RET_OK)
		return rc;
	return relpCltAddPermittedPeer(clt, (char *)d->host);
}

struct fwd_relp *audit_fwd_relp_open(const struct fwd_link_cfg *cfg, char *err, size_t errsz)
{
	const struct fwd_dest *d = cfg->dest;
	struct fwd_relp *r = calloc(1, sizeof *r);
	relpRetVal rc;

	if (!r) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	if ((cfg->client_cert && *cfg->client_cert) != (cfg->client_key && *cfg->client_key)) {
		snprintf(err, errsz, "a client certificate needs its key: set both client_cert "
		         "and client_key, or neither");
		free(r);
		return NULL;
	}
	snprintf(r->host, sizeof r->host, "%s", d->host);
	cur = r;
	if ((rc = relpEngineConstruct(&r->eng)) != RELP_RET_OK)
		goto fail;
	relpEngineSetDbgprint(r->eng, no_dbgprint); /* librelp calls it unset */
	relpEngineSetOnErr(r->eng, on_err);
	relpEngineSetOnAuthErr(r->eng, on_auth_err);
	relpEngineSetOnGenericErr(r->eng, on_generic_err);
	relpEngineSetEnableCmd(r->eng, (unsigned char *)"syslog", eRelpCmdState_Required);
	/* the TLS library the console already uses */
	if (d->scheme == FWD_RELP_TLS &&
	    (rc = relpEngineSetTLSLibByName(r->eng, "openssl")) != RELP_RET_OK)
		goto fail;
	if ((rc = relpEngineCltConstruct(r->eng, &r->clt)) != RELP_RET_OK)
		goto fail;
	relpCltSetTimeout(r->clt, TIMEOUT_S);
	relpCltSetConnTimeout(r->clt, CONNECT_S);
	relpCltSetWindowSize(r->clt, WINDOW);
	if (d->scheme == FWD_RELP_TLS && (rc = setup_tls(r->clt, cfg)) != RELP_RET_OK)
		goto fail;
	rc = relpCltConnect(r->clt, 0 /* AF_UNSPEC */, (unsigned char *)d->port,
	                    (unsigned char *)d->host);
	if (rc != RELP_RET_OK)
		goto fail;
	cur = NULL;
	r->failed = 0;
	r->err[0] = '\0';
	return r;
fail:
	describe(r, d, rc, err, errsz);
	if (d->scheme == FWD_RELP_TLS && !(cfg->client_cert && *cfg->client_cert) &&
	    (rc == RELP_RET_SESSION_BROKEN || rc == RELP_RET_IO_ERR))
		snprintf(err + strlen(err), errsz - strlen(err), " (does the receiver require a "
		         "client certificate? none is configured)");
	if (d->scheme == FWD_RELP_TLS)
		snprintf(err + strlen(err), errsz - strlen(err), "; nothing sent");
	if (r->clt)
		relpEngineCltDestruct(r->eng, &r->clt);
	if (r->eng)
		relpEngineDestruct(&r->eng);
	cur = NULL;
	free(r);
	return NULL;
}

int audit_fwd_relp_send(struct fwd_relp *r, int64_t seq, const char *msg, size_t len,
                        char *err, size_t errsz)
{
	relpRetVal rc;
	cur = r;
	rc = relpCltSendSyslog(r->clt, (unsigned char *)msg, len);
	cur = NULL;
	if (rc != RELP_RET_OK || r->failed) {
		snprintf(r->err + strlen(r->err), sizeof r->err - strlen(r->err), "%s",
		         r->failed ? "" : relp_reason(rc));
		snprintf(err, errsz, "RELP: %s (RELP error %d)", r->err, (int)rc);
		r->failed = 1;
		return -1;
	}
	r->nsent++;
	r->ring[r->nsent % RING] = seq;
	/* WINDOW frames back was answered before this one could go */
	if (r->nsent > WINDOW)
		r->confirmed = r->ring[(r->nsent - WINDOW) % RING];
	return 0;
}

int64_t audit_fwd_relp_confirmed(const struct fwd_relp *r)
{
	return r->confirmed;
}

int64_t audit_fwd_relp_close(struct fwd_relp *r, int graceful)
{
	int64_t confirmed = r->confirmed;
	cur = r;
	if (!graceful)
		r->failed = 1;
	/* destroying the client sends "close" and waits for its answer */
	relpEngineCltDestruct(r->eng, &r->clt);
	if (!r->failed && r->nsent > 0)
		confirmed = r->ring[r->nsent % RING];
	relpEngineDestruct(&r->eng);
	cur = NULL;
	free(r);
	return confirmed;
}
