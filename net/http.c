/* SPDX-License-Identifier: ISC (see COPYING) */
/* net/http.c: asynchronous HTTP on libcurl's multi interface, driven by the
 * event loop through CURLMOPT_SOCKETFUNCTION and CURLMOPT_TIMERFUNCTION.
 *
 * Re-entrancy: user callbacks that run inside libcurl (chunk_fn, open_fn)
 * may call http_send and http_cancel; libcurl forbids touching the multi
 * handle from its own callbacks, so both are deferred until
 * curl_multi_socket_action returns. done_fn always runs from the loop, after
 * libcurl has returned, and never from inside http_send. */
#include "config.h"
#include "net/http.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#define HTTP_DEFAULT_MAX_BODY ((size_t)64 * 1024 * 1024)
#define HTTP_MAX_HOST_CONNECTIONS 4

typedef struct http_req {
	struct http_req *next, *prev;
	http_client *c;
	uint64_t handle;
	CURL *easy;
	struct curl_slist *hdrs;
	http_done_fn done_fn;
	http_chunk_fn chunk_fn;
	http_open_fn open_fn;
	void *ctx;
	bool stream;
	bool attached;   /* added to the multi handle */
	bool cancelled;
	bool too_big;
	bool opened;
	long timeout_ms;
	char *body;
	size_t body_len, body_cap;
	char *etag, *request_id, *content_type;
	int retry_after_s;
	bool replayed;
	char errbuf[CURL_ERROR_SIZE];
	char error[CURL_ERROR_SIZE + 128];
} http_req;

struct http_client {
	ev_loop *ev;
	CURLM *multi;
	ev_timer_id timer;
	http_req *reqs;
	uint64_t next_handle;
	size_t max_body;
	int depth;            /* > 0 while inside libcurl */
	bool pending;         /* deferred adds or cancels to apply */
	char *ca_file, *client_cert, *client_key, *user_agent;
	bool insecure;
	long connect_timeout_ms;
};

/* ---- helpers ---- */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void http_secret_free(char *secret)
{
	if (secret) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
}

static void wipe_free_slist(struct curl_slist *l)
{
	for (struct curl_slist *i = l; i; i = i->next)
		if (i->data)
			memset(i->data, 0, strlen(i->data));
	curl_slist_free_all(l);
}

static void req_free(http_req *r)
{
	if (r->easy)
		curl_easy_cleanup(r->easy);
	wipe_free_slist(r->hdrs);
	free(r->body);
	free(r->etag);
	free(r->request_id);
	free(r->content_type);
	free(r);
}

static void req_unlink(http_client *c, http_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		c->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->next = r->prev = NULL;
}

static void req_detach(http_client *c, http_req *r)
{
	if (r->attached) {
		curl_multi_remove_handle(c->multi, r->easy);
		r->attached = false;
	}
}

/* ---- response headers ---- */

static char *trim_dup(const char *v, size_t n)
{
	char *s;

	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
			 v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	s = malloc(n + 1);
	if (!s)
		return NULL;
	memcpy(s, v, n);
	s[n] = '\0';
	return s;
}

static int parse_retry_after(const char *v)
{
	char *end;
	long n;
	time_t t;

	if (!*v)
		return -1;
	if (isdigit((unsigned char)*v)) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || *end)
			return -1;
		return n > INT_MAX ? INT_MAX : (int)n;
	}
	t = curl_getdate(v, NULL);
	if (t == (time_t)-1)
		return -1;
	t -= time(NULL);
	if (t < 0)
		return 0;
	return t > INT_MAX ? INT_MAX : (int)t;
}

static void set_field(char **dst, const char *v, size_t n)
{
	char *s = trim_dup(v, n);

	if (!s)
		return;
	free(*dst);
	*dst = s;
}

static void fill_response(http_req *r, http_response *out);

static size_t on_header(char *buf, size_t size, size_t nitems, void *ud)
{
	http_req *r = ud;
	size_t n = size * nitems;
	const char *colon;
	size_t name_len;

	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new response (after 1xx): forget the previous headers */
		free(r->etag);
		free(r->request_id);
		free(r->content_type);
		r->etag = r->request_id = r->content_type = NULL;
		r->retry_after_s = -1;
		r->replayed = false;
		return n;
	}
	if ((n == 2 && buf[0] == '\r') || (n == 1 && buf[0] == '\n')) {
		long status = 0;

		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && r->stream && !r->opened) {
			r->opened = true;
			if (r->open_fn && !r->cancelled) {
				http_response resp;

				fill_response(r, &resp);
				r->open_fn(r->ctx, &resp);
			}
		}
		return n;
	}
	colon = memchr(buf, ':', n);
	if (!colon)
		return n;
	name_len = (size_t)(colon - buf);
	colon++;
#define IS(h) (name_len == sizeof(h) - 1 && strncasecmp(buf, h, name_len) == 0)
	if (IS("ETag")) {
		set_field(&r->etag, colon, n - name_len - 1);
	} else if (IS("X-Request-Id")) {
		set_field(&r->request_id, colon, n - name_len - 1);
	} else if (IS("Content-Type")) {
		set_field(&r->content_type, colon, n - name_len - 1);
	} else if (IS("Retry-After") || IS("Idempotent-Replayed")) {
		char *v = trim_dup(colon, n - name_len - 1);

		if (v) {
			if (IS("Retry-After"))
				r->retry_after_s = parse_retry_after(v);
			else
				r->replayed = strcasecmp(v, "true") == 0;
			free(v);
		}
	}
#undef IS
	return n;
}

/* ---- response body ---- */

static bool body_append(http_req *r, const char *data, size_t n)
{
	size_t max = r->c->max_body;

	if (r->body_len + n > max || r->body_len + n < n) {
		r->too_big = true;
		return false;
	}
	if (r->body_len + n + 1 > r->body_cap) {
		size_t cap = r->body_cap ? r->body_cap : 4096;
		char *b;

		while (cap < r->body_len + n + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		b = realloc(r->body, cap);
		if (!b)
			return false;
		r->body = b;
		r->body_cap = cap;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return true;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	http_req *r = ud;
	size_t n = size * nmemb;

	if (r->cancelled)
		return n;
	if (r->stream) {
		long status = 0;

		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300) {
			if (r->chunk_fn && n > 0)
				r->chunk_fn(r->ctx, data, n);
			return n;
		}
	}
	return body_append(r, data, n) ? n : 0;
}

/* ---- errors in words ---- */

static bool has(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

/* TLS failures say which check failed and what to look at, with the TLS
 * library's own words after them. false when eb is no TLS problem we know. */
static bool tls_words(char *out, size_t n, const char *eb)
{
	const char *what;

	if (has(eb, "host name") || has(eb, "subject name") ||
	    has(eb, "hostname mismatch"))
		what = "the server's certificate does not match the host name in the site URL";
	else if (has(eb, "has expired"))
		what = "the server's certificate has expired";
	else if (has(eb, "not yet valid"))
		what = "the server's certificate is not yet valid (check the clock)";
	else if (has(eb, "local issuer") || has(eb, "self-signed") ||
		 has(eb, "self signed") || has(eb, "unable to get issuer"))
		what = "the server's certificate is not signed by a trusted CA (unknown CA; check tls.ca_file)";
	else if (has(eb, "certificate required"))
		what = "the server requires a client certificate (tls.client_cert and tls.client_key)";
	else if (has(eb, "alert unknown ca") || has(eb, "alert bad certificate") ||
		 has(eb, "certificate unknown") || has(eb, "alert certificate expired"))
		what = "the server refused the client certificate";
	else if (has(eb, "alert handshake failure"))
		what = "handshake failure: the server refused the connection (a client certificate may be required)";
	else if (has(eb, "certificate revoked"))
		what = "the server's certificate is revoked";
	else
		return false;
	snprintf(out, n, "TLS: %s: %s", what, eb);
	return true;
}

static void describe_error(http_req *r, CURLcode rc)
{
	const char *eb = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
	long os_errno = 0;
	curl_off_t connect_us = 0;
	long limit;

	curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
	curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	switch (rc) {
	case CURLE_OK:
		r->error[0] = '\0';
		return;
	case CURLE_COULDNT_CONNECT:
		if (os_errno == ECONNREFUSED)
			snprintf(r->error, sizeof(r->error), "connection refused");
		else if (os_errno)
			snprintf(r->error, sizeof(r->error), "could not connect: %s",
				 strerror((int)os_errno));
		else
			snprintf(r->error, sizeof(r->error), "could not connect: %s", eb);
		return;
	case CURLE_OPERATION_TIMEDOUT:
		if (connect_us == 0) {
			limit = r->c->connect_timeout_ms;
			if (r->timeout_ms > 0 && r->timeout_ms < limit)
				limit = r->timeout_ms;
			snprintf(r->error, sizeof(r->error),
				 "connect timed out after %ld ms", limit);
		} else {
			snprintf(r->error, sizeof(r->error),
				 "timed out after %ld ms", r->timeout_ms);
		}
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(r->error, sizeof(r->error), "could not resolve host: %s", eb);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
	case CURLE_SSL_CACERT:
#endif
		if (!tls_words(r->error, sizeof(r->error), eb))
			snprintf(r->error, sizeof(r->error),
				 "TLS: certificate verify failed: %s", eb);
		return;
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(r->error, sizeof(r->error), "TLS: cannot use the CA file: %s", eb);
		return;
	case CURLE_SSL_CERTPROBLEM:
		snprintf(r->error, sizeof(r->error),
			 "TLS: cannot use the client certificate or key: %s", eb);
		return;
	case CURLE_SSL_CONNECT_ERROR:
		if (!tls_words(r->error, sizeof(r->error), eb))
			snprintf(r->error, sizeof(r->error), "TLS: %s", eb);
		return;
	case CURLE_WRITE_ERROR:
		if (r->too_big) {
			snprintf(r->error, sizeof(r->error),
				 "response body larger than %zu bytes", r->c->max_body);
			return;
		}
		snprintf(r->error, sizeof(r->error), "out of memory reading the response");
		return;
	case CURLE_GOT_NOTHING:
		snprintf(r->error, sizeof(r->error),
			 "server closed the connection without a response");
		return;
	case CURLE_PARTIAL_FILE:
		snprintf(r->error, sizeof(r->error),
			 "connection closed before the response was complete");
		return;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		/* TLS 1.3: the server's verdict on our certificate arrives
		 * after the handshake, with the first read */
		if (tls_words(r->error, sizeof(r->error), eb))
			return;
		if (os_errno == ECONNRESET)
			snprintf(r->error, sizeof(r->error), "connection reset by peer");
		else
			snprintf(r->error, sizeof(r->error), "network error: %s", eb);
		return;
	case CURLE_BAD_CONTENT_ENCODING:
		snprintf(r->error, sizeof(r->error), "bad compressed response: %s", eb);
		return;
	default:
		snprintf(r->error, sizeof(r->error), "%s", eb);
		return;
	}
}

static void fill_response(http_req *r, http_response *out)
{
	long status = 0;
	double total = 0;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME, &total);
	memset(out, 0, sizeof(*out));
	out->status = (int)status;
	out->error = r->error;
	out->body = r->body ? r->body : "";
	out->body_len = r->body_len;
	out->etag = r->etag;
	out->request_id = r->request_id;
	out->content_type = r->content_type;
	out->retry_after_s = r->retry_after_s;
	out->replayed = r->replayed;
	out->total_ms = total * 1000.0;
}

/* ---- completion, deferred work ---- */

static void finish(http_client *c, http_req *r, CURLcode rc)
{
	http_response resp;

	req_detach(c, r);
	req_unlink(c, r);
	if (!r->cancelled) {
		describe_error(r, rc);
		fill_response(r, &resp);
		resp.curl_code = (int)rc;
		if (rc != CURLE_OK)
			resp.status = 0;
		r->done_fn(r->ctx, &resp);
	}
	req_free(r);
}

static void apply_pending(http_client *c)
{
	http_req *r, *next;

	if (!c->pending || c->depth > 0)
		return;
	c->pending = false;
	for (r = c->reqs; r; r = next) {
		next = r->next;
		if (r->cancelled) {
			req_detach(c, r);
			req_unlink(c, r);
			req_free(r);
		} else if (!r->attached) {
			if (curl_multi_add_handle(c->multi, r->easy) == CURLM_OK)
				r->attached = true;
			else
				finish(c, r, CURLE_OUT_OF_MEMORY);
		}
	}
}

static void check_done(http_client *c)
{
	CURLMsg *m;
	int left;

	apply_pending(c);
	while ((m = curl_multi_info_read(c->multi, &left))) {
		char *priv = NULL;
		CURLcode rc = m->data.result;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv)
			finish(c, (http_req *)priv, rc);
		apply_pending(c);
	}
}

static void socket_action(http_client *c, curl_socket_t s, int flags)
{
	int running = 0;

	c->depth++;
	curl_multi_socket_action(c->multi, s, flags, &running);
	c->depth--;
	check_done(c);
}

/* ---- libcurl <-> event loop ---- */

static void on_sock_ready(void *ctx, int fd, short revents)
{
	int flags = 0;

	if (revents & (POLLIN | POLLHUP))
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	socket_action(ctx, fd, flags);
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp,
		     void *socketp)
{
	http_client *c = userp;
	short events = 0;

	(void)easy;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		ev_io_del(c->ev, s);
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= POLLIN;
	if (what & CURL_POLL_OUT)
		events |= POLLOUT;
	return ev_io_set(c->ev, s, events, on_sock_ready, c) < 0 ? -1 : 0;
}

static void on_timer_due(void *ctx)
{
	http_client *c = ctx;

	c->timer = 0;
	socket_action(c, CURL_SOCKET_TIMEOUT, 0);
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	http_client *c = userp;

	(void)multi;
	if (c->timer) {
		ev_timer_cancel(c->ev, c->timer);
		c->timer = 0;
	}
	if (timeout_ms >= 0) {
		c->timer = ev_timer_add(c->ev, timeout_ms, on_timer_due, c);
		if (!c->timer)
			return -1;
	}
	return 0;
}

/* ---- public API ---- */

http_client *http_new(ev_loop *ev, const http_opts *opts)
{
	http_client *c;
	static const http_opts none;

	if (!ev)
		return NULL;
	if (!opts)
		opts = &none;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto fail;
	c->ev = ev;
	c->next_handle = 1;
	c->max_body = HTTP_DEFAULT_MAX_BODY;
	c->insecure = opts->insecure;
	c->connect_timeout_ms = opts->connect_timeout_ms > 0 ?
		opts->connect_timeout_ms : 5000;
	c->ca_file = dup_or_null(opts->ca_file);
	c->client_cert = dup_or_null(opts->client_cert);
	c->client_key = dup_or_null(opts->client_key);
	c->user_agent = strdup(opts->user_agent ? opts->user_agent :
			       "payops/" PACKAGE_VERSION);
	if ((opts->ca_file && !c->ca_file) ||
	    (opts->client_cert && !c->client_cert) ||
	    (opts->client_key && !c->client_key) || !c->user_agent)
		goto fail;
	c->multi = curl_multi_init();
	if (!c->multi)
		goto fail;
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	/* few connections per site, kept alive; a long-lived event stream
	 * holds one, polls and actions share the rest */
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
			  (long)HTTP_MAX_HOST_CONNECTIONS);
	return c;
fail:
	/* a half-built client is freed the one way a whole one is; http_free
	 * ends the curl_global_init above too */
	if (c)
		http_free(c);
	else
		curl_global_cleanup();
	return NULL;
}

void http_free(http_client *c)
{
	http_req *r, *next;

	if (!c)
		return;
	for (r = c->reqs; r; r = next) {
		next = r->next;
		req_detach(c, r);
		req_unlink(c, r);
		req_free(r);
	}
	curl_multi_cleanup(c->multi);
	if (c->timer)
		ev_timer_cancel(c->ev, c->timer);
	free(c->ca_file);
	free(c->client_cert);
	free(c->client_key);
	free(c->user_agent);
	free(c);
	curl_global_cleanup();
}

void http_set_max_body(http_client *c, size_t max)
{
	c->max_body = max ? max : HTTP_DEFAULT_MAX_BODY;
}

size_t http_in_flight(const http_client *c)
{
	size_t n = 0;

	for (const http_req *r = c->reqs; r; r = r->next)
		n += !r->cancelled;
	return n;
}

static bool header_safe(const char *v)
{
	return v && !strpbrk(v, "\r\n");
}

static bool add_header(http_req *r, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *l;
	int n;

	if (!value)
		return true;
	if (!header_safe(value))
		return false;
	n = snprintf(line, sizeof(line), "%s: %s", name, value);
	if (n < 0 || (size_t)n >= sizeof(line))
		return false;
	l = curl_slist_append(r->hdrs, line);
	memset(line, 0, sizeof(line));
	if (!l)
		return false;
	r->hdrs = l;
	return true;
}

static bool setup_easy(http_client *c, http_req *r, const http_request *q)
{
	CURL *e = r->easy;
	bool ok = true;
	char bearer[1024];

	ok &= curl_easy_setopt(e, CURLOPT_URL, q->url) == CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
#else
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS,
			       (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) == CURLE_OK;
#endif
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, q->timeout_ms > 0 ? q->timeout_ms : 0L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPIDLE, 30L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPINTVL, 15L);
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	if (!r->stream)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	/* TLS: verification on unless explicitly made insecure */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, c->insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, c->insecure ? 0L : 2L);
	if (c->ca_file)
		ok &= curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file) == CURLE_OK;
	if (c->client_cert) {
		ok &= curl_easy_setopt(e, CURLOPT_SSLCERT, c->client_cert) == CURLE_OK;
		curl_easy_setopt(e, CURLOPT_SSLCERTTYPE, "PEM");
	}
	if (c->client_key) {
		ok &= curl_easy_setopt(e, CURLOPT_SSLKEY, c->client_key) == CURLE_OK;
		curl_easy_setopt(e, CURLOPT_SSLKEYTYPE, "PEM");
	}

	if (q->bearer) {
		int n;

		if (!header_safe(q->bearer))
			return false;
		n = snprintf(bearer, sizeof(bearer), "Bearer %s", q->bearer);
		if (n < 0 || (size_t)n >= sizeof(bearer))
			return false;
		ok &= add_header(r, "Authorization", bearer);
		memset(bearer, 0, sizeof(bearer));
	}
	if (r->stream) {
		ok &= add_header(r, "Accept", "text/event-stream");
		ok &= add_header(r, "Cache-Control", "no-cache");
	} else {
		ok &= add_header(r, "Accept", "application/json");
	}
	ok &= add_header(r, "If-None-Match", q->if_none_match);
	ok &= add_header(r, "If-Match", q->if_match);
	ok &= add_header(r, "Idempotency-Key", q->idempotency_key);
	ok &= add_header(r, "X-Request-Id", q->request_id);
	ok &= add_header(r, "Last-Event-ID", q->last_event_id);
	ok &= add_header(r, "Expect", "");  /* no 100-continue round trip */

	if (!q->method || strcmp(q->method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(q->method, "POST") == 0) {
		ok &= add_header(r, "Content-Type", q->body ? "application/json" : NULL);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(q->body ? q->body_len : 0));
		ok &= curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS,
				       q->body ? q->body : "") == CURLE_OK;
	} else {
		if (!header_safe(q->method) || strpbrk(q->method, " \t"))
			return false;
		ok &= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method) == CURLE_OK;
		if (q->body) {
			ok &= add_header(r, "Content-Type", "application/json");
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)q->body_len);
			ok &= curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS,
					       q->body) == CURLE_OK;
		}
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	return ok;
}

static uint64_t start(http_client *c, const http_request *q, bool stream,
		      http_open_fn open_fn, http_chunk_fn chunk_fn,
		      http_done_fn done_fn, void *ctx)
{
	http_req *r;

	if (!c || !q || !q->url || !done_fn)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return 0;
	r->c = c;
	r->stream = stream;
	r->open_fn = open_fn;
	r->chunk_fn = chunk_fn;
	r->done_fn = done_fn;
	r->ctx = ctx;
	r->retry_after_s = -1;
	r->timeout_ms = q->timeout_ms > 0 ? q->timeout_ms : 0;
	r->easy = curl_easy_init();
	if (!r->easy || !setup_easy(c, r, q)) {
		req_free(r);
		return 0;
	}
	r->handle = c->next_handle++;
	r->next = c->reqs;
	if (c->reqs)
		c->reqs->prev = r;
	c->reqs = r;
	if (c->depth > 0) {
		c->pending = true;  /* inside libcurl: attach afterwards */
	} else if (curl_multi_add_handle(c->multi, r->easy) == CURLM_OK) {
		r->attached = true;
	} else {
		req_unlink(c, r);
		req_free(r);
		return 0;
	}
	return r->handle;
}

uint64_t http_send(http_client *c, const http_request *req,
		   http_done_fn done_fn, void *ctx)
{
	return start(c, req, false, NULL, NULL, done_fn, ctx);
}

uint64_t http_stream(http_client *c, const http_request *req,
		     http_chunk_fn chunk_fn, http_done_fn done_fn, void *ctx)
{
	return start(c, req, true, NULL, chunk_fn, done_fn, ctx);
}

uint64_t http_stream_ex(http_client *c, const http_request *req,
			http_open_fn open_fn, http_chunk_fn chunk_fn,
			http_done_fn done_fn, void *ctx)
{
	return start(c, req, true, open_fn, chunk_fn, done_fn, ctx);
}

void http_cancel(http_client *c, uint64_t handle)
{
	http_req *r;

	if (!c || handle == 0)
		return;
	for (r = c->reqs; r; r = r->next)
		if (r->handle == handle)
			break;
	if (!r || r->cancelled)
		return;
	r->cancelled = true;
	if (c->depth > 0) {
		c->pending = true;  /* inside libcurl: detach afterwards */
		return;
	}
	req_detach(c, r);
	req_unlink(c, r);
	req_free(r);
}
