/* SPDX-License-Identifier: ISC (see COPYING) */
/* alerts/words.c: what went wrong with an Alertmanager, in words an
 * operator reads in the status line. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alerts/am_int.h"
#include "text/text.h"
#include <jansson.h>

/* Copy at most outsz-1 bytes of s[0..len) to out as one line: line ends and
 * tabs become spaces, surrounding blanks go, a byte that is not UTF-8
 * becomes U+FFFD (a proxy's error page may be in any encoding; the message
 * goes to the status line and the audit log), and a character is never
 * cut in half. */
static void one_line(const char *s, size_t len, char *out, size_t outsz)
{
	size_t k = 0, i = 0;

	if (!outsz)
		return;
	while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' ||
			   s[i] == '\t'))
		i++;
	while (i < len && s[i]) {
		uint32_t cp;
		int n = text_utf8_next(s + i, len - i, &cp);
		char enc[4];
		int m;
		if (n > 0 && cp < 0x80) {
			enc[0] = (cp == '\n' || cp == '\r' || cp == '\t') ? ' ' : (char)cp;
			m = 1;
		} else {
			m = text_utf8_encode(cp, enc);
		}
		if (k + (size_t)m + 1 > outsz)
			break;
		memcpy(out + k, enc, (size_t)m);
		k += (size_t)m;
		i += (size_t)(n > 0 ? n : -n);
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

void am_body_message(const char *body, size_t len, char *out, size_t outsz)
{
	json_t *j = NULL;
	const char *s = NULL;
	json_error_t e;

	if (!outsz)
		return;
	out[0] = '\0';
	if (!body || len == 0)
		return;
	/* JSON_DECODE_ANY: Alertmanager sends some errors as a bare string */
	if ((j = json_loadb(body, len, JSON_DECODE_ANY, &e))) {
		if (json_is_string(j))
			s = json_string_value(j);
		else if (json_is_object(j))
			s = json_string_value(json_object_get(j, "message"));
		if (!s && json_is_object(j))
			s = json_string_value(json_object_get(j, "error"));
		if (s) {
			one_line(s, strlen(s), out, outsz);
			json_decref(j);
			return;
		}
		json_decref(j);
	}
	/* plain text (a proxy's page, Alertmanager's own text errors): the
	 * first line */
	const char *nl = memchr(body, '\n', len);
	one_line(body, nl ? (size_t)(nl - body) : len, out, outsz);
}

void am_response_words(const http_response *r, char *out, size_t outsz)
{
	char msg[256];

	if (!outsz)
		return;
	out[0] = '\0';
	if (r->status == 0) {
		if (r->error && *r->error)
			snprintf(out, outsz, "%s", r->error);
		else
			snprintf(out, outsz, "no response (transfer error %d)",
				 r->curl_code);
		return;
	}
	if (r->status >= 200 && r->status < 300)
		return;
	am_body_message(r->body, r->body_len, msg, sizeof msg);
	if (*msg)
		snprintf(out, outsz, "HTTP %d: %s", r->status, msg);
	else
		snprintf(out, outsz, "HTTP %d", r->status);
}

void am_error_words(const char *name, const char *method, const char *path,
		    const char *what, char *out, size_t outsz)
{
	if (outsz)
		snprintf(out, outsz, "alertmanager %s: %s %s: %s", name, method,
			 path, what);
}
