/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/url.c: see net/url.h. */
#include "net/url.h"

#include <limits.h>
#include <string.h>

#include <curl/curl.h>

#include "base/strbuf.h"

/* Append s percent-encoded. */
static int put_escaped(strbuf *b, const char *s)
{
	size_t len = strlen(s);
	char *e;
	int rc;

	if (len > INT_MAX / 3)
		return URL_ETOOLONG;
	/* no easy handle: curl_easy_escape uses it only for character set
	 * conversions, which no POSIX build has */
	e = curl_easy_escape(NULL, s, (int)len);
	if (!e)
		return URL_ENOMEM;
	rc = strbuf_puts(b, e) != 0 ? URL_ENOMEM : URL_OK;
	curl_free(e);
	return rc;
}

static int curl_rc(CURLUcode uc, int otherwise)
{
	return uc == CURLUE_OUT_OF_MEMORY ? URL_ENOMEM : otherwise;
}

/* The base's origin ("http://h:8780") and then its path without trailing
 * slashes ("/platform") into p. */
static int base_prefix(CURLU *u, const char *base, strbuf *p)
{
	char *bp = NULL, *origin = NULL;
	CURLUcode uc;
	size_t n, o;
	int rc = URL_ENOMEM;

	uc = curl_url_set(u, CURLUPART_URL, base, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_PATH, &bp, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_set(u, CURLUPART_PATH, "/", 0);
	if (uc == CURLUE_OK)
		uc = curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_URL, &origin, 0);
	if (uc != CURLUE_OK) {
		curl_free(bp);
		return curl_rc(uc, URL_EBASE);
	}
	n = strlen(bp);
	while (n > 0 && bp[n - 1] == '/')
		n--;
	o = strlen(origin);
	if (o > 0 && origin[o - 1] == '/')
		o--;
	if (strbuf_add(p, origin, o) == 0 && strbuf_add(p, bp, n) == 0)
		rc = URL_OK;
	curl_free(bp);
	curl_free(origin);
	return rc;
}

/* The path and the query, escaped, into p (after its first `prefix` bytes,
 * the base's) and q. */
static int path_and_query(strbuf *p, strbuf *q, const char *path,
			  const char *const *segs, const url_param *params,
			  size_t prefix)
{
	int rc;

	if (path && *path) {
		const char *qm = strchr(path, '?');
		size_t n = qm ? (size_t)(qm - path) : strlen(path);
		if (path[0] != '/')
			return URL_EARG;
		if (strbuf_add(p, path, n) != 0 ||
		    (qm && strbuf_puts(q, qm + 1) != 0))
			return URL_ENOMEM;
	}
	for (size_t i = 0; segs && segs[i]; i++) {
		if (!*segs[i] || !strcmp(segs[i], ".") || !strcmp(segs[i], ".."))
			return URL_EARG;
		if (strbuf_putc(p, '/') != 0)
			return URL_ENOMEM;
		if ((rc = put_escaped(p, segs[i])) != URL_OK)
			return rc;
	}
	if (p->len == prefix && strbuf_putc(p, '/') != 0)
		return URL_ENOMEM;
	for (size_t i = 0; params && params[i].name; i++) {
		if (!params[i].value)
			continue;
		if (q->len && strbuf_putc(q, '&') != 0)
			return URL_ENOMEM;
		if ((rc = put_escaped(q, params[i].name)) != URL_OK)
			return rc;
		if (strbuf_putc(q, '=') != 0)
			return URL_ENOMEM;
		if ((rc = put_escaped(q, params[i].value)) != URL_OK)
			return rc;
	}
	return URL_OK;
}

/* The whole URL checked and put in its normal form by curl, into *full
 * (curl_free it). It is parsed whole, not set part by part: curl keeps the
 * case of a whole URL's escapes (%2F, as RFC 3986 asks) but lowers those
 * of a part it is handed. */
static int assemble(CURLU *u, strbuf *pq, char **full)
{
	CURLUcode uc = curl_url_set(u, CURLUPART_URL, strbuf_str(pq), 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_URL, full, 0);
	return uc == CURLUE_OK ? URL_OK : curl_rc(uc, URL_EBASE);
}

int url_build(char *out, size_t outsz, const char *base, const char *path,
	      const char *const *segs, const url_param *params)
{
	strbuf p = STRBUF_INIT, q = STRBUF_INIT;
	CURLU *u = NULL;
	char *full = NULL;
	const char *src = NULL;
	size_t prefix = 0;
	int rc = URL_OK;

	if (!out || outsz == 0)
		return URL_ETOOLONG;
	out[0] = '\0';
	if (base) {
		if (!(u = curl_url()))
			rc = URL_ENOMEM;
		else
			rc = base_prefix(u, base, &p);
		prefix = p.len;
	}
	if (rc == URL_OK)
		rc = path_and_query(&p, &q, path, segs, params, prefix);
	if (rc == URL_OK && q.len &&
	    (strbuf_putc(&p, '?') != 0 || strbuf_add(&p, q.s, q.len) != 0))
		rc = URL_ENOMEM;
	if (rc == URL_OK && u) {
		if ((rc = assemble(u, &p, &full)) == URL_OK)
			src = full;
	} else if (rc == URL_OK) {
		src = strbuf_str(&p);
	}
	if (rc == URL_OK) {
		size_t n = strlen(src);
		if (n >= outsz)
			rc = URL_ETOOLONG;
		else
			memcpy(out, src, n + 1);
	}
	curl_free(full);
	curl_url_cleanup(u);
	strbuf_free(&p);
	strbuf_free(&q);
	return rc;
}

const char *url_strerror(int rc)
{
	switch (rc) {
	case URL_OK: return "no error";
	case URL_EBASE: return "the base is not a URL";
	case URL_EARG: return "a path without its leading '/', or an empty, '.' or '..' segment";
	case URL_ETOOLONG: return "the URL is longer than its buffer";
	case URL_ENOMEM: return "out of memory";
	}
	return "unknown error";
}
