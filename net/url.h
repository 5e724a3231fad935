/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/url.h: request URLs, put together by libcurl's URL API.
 *
 * Every id, cursor or other value that goes into a URL goes through here:
 * each path segment and each query name and value is percent-encoded by
 * curl_easy_escape (everything but A-Z a-z 0-9 - . _ ~ becomes %XX), so an
 * id holding '/', '?', '#', '%', '&', a space or UTF-8 stays one segment or
 * one value; the base URL is parsed and the whole assembled by curl_url().
 * A URL that does not fit the caller's buffer is an error, never cut.
 *
 * This is net/'s and not base/'s because it is libcurl's: base/ links
 * nothing, and every user of a URL here is a libcurl user anyway.
 */
#ifndef PAYOPS_NET_URL_H
#define PAYOPS_NET_URL_H

#include <stddef.h>

/* One query parameter; a NULL value leaves the parameter out (an optional
 * cursor). A list of them ends with { NULL, NULL }. */
typedef struct {
	const char *name;
	const char *value;
} url_param;

enum {
	URL_OK = 0,
	URL_EBASE = -1,    /* the base is not an absolute URL libcurl takes */
	URL_EARG = -2,     /* a path that does not start with '/', an empty
			    * segment, "." or ".." (it would not name an object) */
	URL_ETOOLONG = -3, /* it does not fit out[outsz] */
	URL_ENOMEM = -4,
};

/* Build into out[outsz] (always NUL-terminated; "" on error):
 *   base    an absolute URL, with or without a path prefix or a trailing
 *           '/' ("http://127.0.0.1:8780", "https://h/platform/"); NULL
 *           builds the path and query alone ("/v1/alerts/a%2Fb/ack")
 *   path    a literal path the program wrote, appended as it is, with an
 *           optional literal query ("/v1/channels?limit=500"); NULL for none
 *   segs    values appended each as one escaped segment ("/" + escaped),
 *           NULL-terminated; NULL for none
 *   params  escaped query parameters after the literal query
 * Returns URL_OK or a URL_E* code. */
int url_build(char *out, size_t outsz, const char *base, const char *path,
	      const char *const *segs, const url_param *params);

/* The error in words ("the URL is longer than its buffer"). */
const char *url_strerror(int rc);

#endif
