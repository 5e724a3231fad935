/* SPDX-License-Identifier: ISC (see COPYING) */
/* canon.c - canonical encoding of an audit row and its SHA-256.
 *
 * Fields are length-prefixed (8-byte big-endian) in a fixed order, so no
 * choice of field contents can make two different rows encode alike; seq and
 * prev_hash are part of the encoding, which chains each row to the one
 * before it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>

#include "audit/audit.h"

#define CANON_TAG "payops-audit/1"

static int put_field(EVP_MD_CTX *md, const char *s, size_t len)
{
	unsigned char be[8];
	uint64_t n = len;
	for (int i = 7; i >= 0; i--) {
		be[i] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
	if (EVP_DigestUpdate(md, be, sizeof be) != 1)
		return -1;
	if (len > 0 && EVP_DigestUpdate(md, s, len) != 1)
		return -1;
	return 0;
}

static int put_str(EVP_MD_CTX *md, const char *s)
{
	if (!s)
		s = "";
	return put_field(md, s, strlen(s));
}

static int put_int(EVP_MD_CTX *md, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRId64, v);
	if (n < 0 || (size_t)n >= sizeof buf)
		return -1;
	return put_field(md, buf, (size_t)n);
}

int audit_row_hash(const struct audit_row *r, char hex_out[65])
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char dig[EVP_MAX_MD_SIZE];
	unsigned int diglen = 0;
	int rc = -1;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	if (!md)
		return -1;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	if (put_str(md, CANON_TAG) || put_int(md, r->seq) ||
	    put_str(md, r->time) || put_str(md, r->kind) ||
	    put_int(md, r->intent_seq) || put_str(md, r->operator_id) ||
	    put_str(md, r->local_user) || put_str(md, r->host) ||
	    put_str(md, r->site) || put_str(md, r->action) ||
	    put_str(md, r->target) || put_str(md, r->interface) ||
	    put_str(md, r->state_before) || put_str(md, r->state_after) ||
	    put_str(md, r->reason) || put_str(md, r->ticket) ||
	    put_str(md, r->idempotency_key) || put_str(md, r->request_id) ||
	    put_str(md, r->outcome) || put_str(md, r->code) ||
	    put_str(md, r->detail) || put_str(md, r->prev_hash))
		goto out;
	if (EVP_DigestFinal_ex(md, dig, &diglen) != 1 || diglen != 32)
		goto out;
	for (unsigned int i = 0; i < diglen; i++) {
		hex_out[2 * i] = hexd[dig[i] >> 4];
		hex_out[2 * i + 1] = hexd[dig[i] & 0xf];
	}
	hex_out[64] = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	return rc;
}
