/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/tls.h - mutual TLS details libmicrohttpd leaves to the application,
 * done on its GnuTLS session (linked into payops-sim only) */
#ifndef SIM_TLS_H
#define SIM_TLS_H

enum { SIM_TLS_CLIENT_OK, SIM_TLS_CLIENT_NONE, SIM_TLS_CLIENT_UNTRUSTED };

/* What the client presented: a certificate that chains to the trusted CA
 * and is in date, none, or one that does not verify. */
int sim_tls_client_status(void *tls_session);

#endif
