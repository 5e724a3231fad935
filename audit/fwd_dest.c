/* SPDX-License-Identifier: ISC (see COPYING) */
/* fwd_dest.c - forwarding destinations as written in payops.yaml and on
 * the command line. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "audit/fwd_int.h"

#define TLS_DEFAULT_PORT "6514" /* RFC 5425 */

static const struct {
	const char *prefix;
	enum fwd_scheme scheme;
	const char *default_port;    /* NULL: the port is required */
} schemes[] = {
	{ "tcp://", FWD_TCP, NULL },
	{ "tls://", FWD_TLS, TLS_DEFAULT_PORT },
	{ "relp://", FWD_RELP, NULL },
	{ "relp+tls://", FWD_RELP_TLS, NULL },
};

static int host_port(const char *hp, struct fwd_dest *d, const char *default_port)
{
	const char *colon = NULL, *host = hp;
	size_t hl;

	if (*hp == '[') { /* [v6]:port */
		const char *close = strchr(hp, ']');
		if (!close || (close[1] != ':' && close[1] != '\0'))
			return -1;
		host = hp + 1;
		hl = (size_t)(close - host);
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strrchr(hp, ':');
		hl = colon ? (size_t)(colon - hp) : strlen(hp);
		if (memchr(hp, ':', hl))
			return -1; /* a bare IPv6 address needs brackets */
	}
	if (hl == 0 || hl >= sizeof d->host)
		return -1;
	memcpy(d->host, host, hl);
	d->host[hl] = '\0';
	for (const char *p = d->host; *p; p++)
		if (*p <= ' ' || *p == '/' || *p == '@' || *p == '?' || *p == '#' || *p == 0x7f)
			return -1;
	const char *port = colon ? colon + 1 : default_port;
	if (!port || !*port || strlen(port) > 5)
		return -1;
	long v = 0;
	for (const char *p = port; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	snprintf(d->port, sizeof d->port, "%ld", v);
	unsigned char buf[16];
	d->host_is_ip = inet_pton(AF_INET, d->host, buf) == 1 ||
	                inet_pton(AF_INET6, d->host, buf) == 1;
	return 0;
}

int audit_fwd_parse_dest(const char *s, struct fwd_dest *d, char *err, size_t errsz)
{
	memset(d, 0, sizeof *d);
	if (!s)
		s = "";
	if (strncmp(s, "unix://", 7) == 0) {
		const char *path = s + 7;
		d->scheme = FWD_UNIX;
		if (*path == '/' && strlen(path) < sizeof d->path) {
			memcpy(d->path, path, strlen(path) + 1);
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t pl = strlen(schemes[i].prefix);
		if (strncmp(s, schemes[i].prefix, pl) != 0)
			continue;
		d->scheme = schemes[i].scheme;
		if (host_port(s + pl, d, schemes[i].default_port) != 0)
			break;
		if (d->scheme == FWD_RELP_TLS && d->host_is_ip) {
			/* librelp matches the certificate's DNS names only */
			snprintf(err, errsz, "%.200s: relp+tls needs the receiver's host name as its "
			         "certificate gives it, not an address", s);
			return -1;
		}
		return 0;
	}
	snprintf(err, errsz, "bad forwarding destination %.200s (want unix:///dev/log, "
	         "tcp://HOST:PORT, tls://HOST[:PORT], relp://HOST:PORT or relp+tls://HOST:PORT)", s);
	return -1;
}
