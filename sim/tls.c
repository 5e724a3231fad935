/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/tls.c - mutual TLS on libmicrohttpd's GnuTLS sessions. Given a trust
 * store, MHD asks every client for a certificate; checking what came back
 * is the application's job. Like a web server with client verification on,
 * the simulator then answers without one with an HTTP error that says what
 * is missing (MHD closes a failed handshake without a TLS alert, which a
 * client could only report as a reset connection). */
#include "sim/tls.h"
#include <gnutls/gnutls.h>

int sim_tls_client_status(void *tls_session)
{
	gnutls_session_t s = (gnutls_session_t)tls_session;
	unsigned n = 0, status = 0;
	if (!gnutls_certificate_get_peers(s, &n) || n == 0)
		return SIM_TLS_CLIENT_NONE;
	if (gnutls_certificate_verify_peers2(s, &status) != GNUTLS_E_SUCCESS || status != 0)
		return SIM_TLS_CLIENT_UNTRUSTED;
	return SIM_TLS_CLIENT_OK;
}
