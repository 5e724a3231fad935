/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd_tls.c - TLS for tls:// forwarding (RFC 5425), with OpenSSL, the
 * library the console already links through libcurl and libcrypto.
 *
 * Verification is always on: the receiver's chain against tls.ca_file (or
 * the system store), its name or address against the destination, its
 * dates.  Each way a handshake can fail gets its own message, and nothing
 * is written on a connection that failed one of them. */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/fwd_int.h"

#define HANDSHAKE_MS 10000
#define WRITE_MS 10000

struct fwd_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	int fd;
	const struct fwd_link_cfg *cfg;
	int cert_requested;          /* the receiver asked for a client certificate */
	/* the first certificate that failed verification */
	int failed_depth;
	char f_names[512], f_issuer[256], f_until[64];
};

static void ssl_reason(char *buf, size_t sz)
{
	unsigned long e = ERR_get_error(), last = e;
	while (e) {
		last = e;
		e = ERR_get_error();
	}
	if (last)
		ERR_error_string_n(last, buf, sz);
	else
		snprintf(buf, sz, "%s", errno ? strerror(errno) : "connection closed");
}

static int client_cert_cb(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
	struct fwd_tls *t = SSL_get_app_data(ssl);
	(void)x509;
	(void)pkey;
	t->cert_requested = 1;
	return 0; /* none: the handshake decides, and we say why */
}

/* "DNS:a, IP:1.2.3.4" (or "CN=x" when there is no subjectAltName). */
static void cert_names(X509 *cert, char *out, size_t sz)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		char one[300] = "";
		if (g->type == GEN_DNS) {
			snprintf(one, sizeof one, "DNS:%.*s", ASN1_STRING_length(g->d.dNSName),
			         (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		} else if (g->type == GEN_IPADD) {
			char ip[INET6_ADDRSTRLEN] = "?";
			int len = ASN1_STRING_length(g->d.iPAddress);
			const unsigned char *p = ASN1_STRING_get0_data(g->d.iPAddress);
			if (len == 4 || len == 16)
				inet_ntop(len == 4 ? AF_INET : AF_INET6, p, ip, sizeof ip);
			snprintf(one, sizeof one, "IP:%s", ip);
		}
		if (one[0] && o < sz)
			o += (size_t)snprintf(out + o, sz - o, "%s%s", o ? ", " : "", one);
	}
	GENERAL_NAMES_free(names);
	if (o == 0)
		X509_NAME_oneline(X509_get_subject_name(cert), out, (int)sz);
}

static void cert_time(const ASN1_TIME *t, char *out, size_t sz)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;
	out[0] = '\0';
	if (b && ASN1_TIME_print(b, t) == 1)
		n = BIO_read(b, out, (int)sz - 1);
	out[n > 0 ? n : 0] = '\0';
	BIO_free(b);
}

/* Remember what the first certificate that fails looks like: the peer's
 * chain is gone once the handshake failed. */
static int verify_cb(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct fwd_tls *t = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *cert = X509_STORE_CTX_get_current_cert(x);
	if (!ok && t && t->failed_depth < 0 && cert) {
		t->failed_depth = X509_STORE_CTX_get_error_depth(x);
		cert_names(cert, t->f_names, sizeof t->f_names);
		X509_NAME_oneline(X509_get_issuer_name(cert), t->f_issuer, sizeof t->f_issuer);
		cert_time(X509_get0_notAfter(cert), t->f_until, sizeof t->f_until);
	}
	return ok;
}

static void verify_failed(struct fwd_tls *t, long vr, char *err, size_t errsz)
{
	const struct fwd_dest *d = t->cfg->dest;
	const char *names = t->f_names, *when = t->f_until, *issuer = t->f_issuer;
	switch (vr) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(err, errsz, "%s:%s: the receiver's certificate has expired%s%s%s; "
		         "nothing sent", d->host, d->port, *when ? " (not after " : "", when,
		         *when ? ")" : "");
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(err, errsz, "%s:%s: the receiver's certificate is not valid yet; "
		         "nothing sent", d->host, d->port);
		break;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		snprintf(err, errsz, "%s:%s: the receiver's certificate is not for %s (it names %s); "
		         "nothing sent", d->host, d->port, d->host, *names ? names : "nothing");
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		snprintf(err, errsz, "%s:%s: the receiver's certificate is not signed by a trusted CA "
		         "(issuer %s; trusted: %s); nothing sent", d->host, d->port,
		         *issuer ? issuer : "?",
		         t->cfg->ca_file && *t->cfg->ca_file ? t->cfg->ca_file : "the system store");
		break;
	default:
		snprintf(err, errsz, "%s:%s: the receiver's certificate was refused: %s; nothing sent",
		         d->host, d->port, X509_verify_cert_error_string(vr));
	}
}

static int setup_ctx(struct fwd_tls *t, char *err, size_t errsz)
{
	const struct fwd_link_cfg *c = t->cfg;
	char why[256];
	int has_cert = c->client_cert && *c->client_cert;
	int has_key = c->client_key && *c->client_key;

	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx) {
		snprintf(err, errsz, "TLS: out of memory");
		return -1;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, verify_cb);
	if (c->ca_file && *c->ca_file) {
		if (SSL_CTX_load_verify_locations(t->ctx, c->ca_file, NULL) != 1) {
			ssl_reason(why, sizeof why);
			snprintf(err, errsz, "cannot read the CA file %s: %s", c->ca_file, why);
			return -1;
		}
	} else if (SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		snprintf(err, errsz, "TLS: cannot load the system CA store");
		return -1;
	}
	if (has_cert != has_key) {
		snprintf(err, errsz, "a client certificate needs its key: set both client_cert "
		         "and client_key, or neither");
		return -1;
	}
	if (has_cert) {
		if (SSL_CTX_use_certificate_chain_file(t->ctx, c->client_cert) != 1) {
			ssl_reason(why, sizeof why);
			snprintf(err, errsz, "cannot read the client certificate %s: %s",
			         c->client_cert, why);
			return -1;
		}
		if (SSL_CTX_use_PrivateKey_file(t->ctx, c->client_key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(t->ctx) != 1) {
			ssl_reason(why, sizeof why);
			snprintf(err, errsz, "cannot use the client key %s: %s", c->client_key, why);
			return -1;
		}
	}
	SSL_CTX_set_client_cert_cb(t->ctx, client_cert_cb);
	return 0;
}

struct fwd_tls *audit_fwd_tls_start(const struct fwd_link_cfg *cfg, int fd,
                                    char *err, size_t errsz)
{
	const struct fwd_dest *d = cfg->dest;
	struct fwd_tls *t = calloc(1, sizeof *t);
	char why[256];

	if (!t) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	t->fd = fd;
	t->cfg = cfg;
	t->failed_depth = -1;
	ERR_clear_error();
	if (setup_ctx(t, err, errsz) != 0)
		goto fail;
	t->ssl = SSL_new(t->ctx);
	if (!t->ssl || SSL_set_fd(t->ssl, fd) != 1) {
		snprintf(err, errsz, "TLS: out of memory");
		goto fail;
	}
	SSL_set_app_data(t->ssl, t);
	X509_VERIFY_PARAM *param = SSL_get0_param(t->ssl);
	X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (d->host_is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(param, d->host) != 1)
			goto nomem;
	} else if (SSL_set_tlsext_host_name(t->ssl, d->host) != 1 ||
	           SSL_set1_host(t->ssl, d->host) != 1) {
		goto nomem;
	}
	int64_t deadline = audit_monotonic_ms() + HANDSHAKE_MS;
	for (;;) {
		errno = 0;
		int r = SSL_connect(t->ssl);
		if (r == 1)
			break;
		int e = SSL_get_error(t->ssl, r);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			int w = audit_fwd_wait(cfg, fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
			                       deadline);
			if (w == 1)
				continue;
			snprintf(err, errsz, "%s:%s: TLS handshake %s", d->host, d->port,
			         w == 0 ? "timed out" : "stopped");
			goto fail;
		}
		long vr = SSL_get_verify_result(t->ssl);
		if (vr != X509_V_OK) {
			verify_failed(t, vr, err, errsz);
			goto fail;
		}
		ssl_reason(why, sizeof why);
		if (t->cert_requested && !(cfg->client_cert && *cfg->client_cert))
			snprintf(err, errsz, "%s:%s: the receiver requires a client certificate and none "
			         "is configured (tls client_cert, client_key); nothing sent",
			         d->host, d->port);
		else
			snprintf(err, errsz, "%s:%s: TLS handshake failed: %s", d->host, d->port, why);
		goto fail;
	}
	/* With TLS 1.3 the receiver judges our certificate after we finished:
	 * if it asked for one we do not have, say so now and send nothing. */
	if (t->cert_requested && !(cfg->client_cert && *cfg->client_cert)) {
		snprintf(err, errsz, "%s:%s: the receiver requires a client certificate and none "
		         "is configured (tls client_cert, client_key); nothing sent",
		         d->host, d->port);
		goto fail;
	}
	return t;
nomem:
	snprintf(err, errsz, "TLS: cannot set the name to check (%s)", d->host);
fail:
	audit_fwd_tls_free(t);
	return NULL;
}

int audit_fwd_tls_write(struct fwd_tls *t, const char *buf, size_t len, char *err, size_t errsz)
{
	int64_t deadline = audit_monotonic_ms() + WRITE_MS;
	size_t off = 0;
	char why[256];
	while (off < len) {
		size_t n = 0;
		errno = 0;
		if (SSL_write_ex(t->ssl, buf + off, len - off, &n) == 1) {
			off += n;
			continue;
		}
		int e = SSL_get_error(t->ssl, 0);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			int w = audit_fwd_wait(t->cfg, t->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
			                       deadline);
			if (w == 1)
				continue;
			snprintf(err, errsz, "TLS write %s", w == 0 ? "timed out" : "stopped");
			return -1;
		}
		ssl_reason(why, sizeof why);
		snprintf(err, errsz, "TLS write failed: %s", why);
		return -1;
	}
	return 0;
}

int audit_fwd_tls_peer_closed(struct fwd_tls *t)
{
	char tmp[512];
	for (;;) {
		size_t n = 0;
		if (SSL_read_ex(t->ssl, tmp, sizeof tmp, &n) == 1)
			continue; /* the receiver never sends data: drop it */
		int e = SSL_get_error(t->ssl, 0);
		ERR_clear_error();
		return !(e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE);
	}
}

int audit_fwd_tls_shutdown(struct fwd_tls *t, int ms)
{
	int64_t deadline = audit_monotonic_ms() + ms;
	SSL_shutdown(t->ssl); /* our close_notify */
	for (;;) {
		char tmp[512];
		size_t n = 0;
		errno = 0;
		if (SSL_read_ex(t->ssl, tmp, sizeof tmp, &n) == 1)
			continue;
		int e = SSL_get_error(t->ssl, 0);
		unsigned long reason = ERR_GET_REASON(ERR_peek_error());
		ERR_clear_error();
		/* The receiver's close_notify, or its clean FIN: it closes only
		 * after reading what we sent (a close with our data unread would
		 * have reset the connection instead: not confirmed). */
		if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0) ||
		    (e == SSL_ERROR_SSL && reason == SSL_R_UNEXPECTED_EOF_WHILE_READING))
			return 1;
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			return 0;
		if (audit_fwd_wait(t->cfg, t->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
		                   deadline) != 1)
			return 0;
	}
}

void audit_fwd_tls_free(struct fwd_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	ERR_clear_error();
	free(t);
}
