/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/http.c - libmicrohttpd glue: body collection with a cap, request ids,
 * fault injection, conditional GETs, the SSE stream, sites up and down */
#include "sim/http.h"
#include "sim/hostile.h"
#include "sim/tls.h"
#include "sim/util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn_ctx {
	char *body;
	size_t len, cap;
	int too_large;
	struct timespec start;
};

static double elapsed_ms(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

const char *sim_req_header(const struct sim_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *sim_req_query(const struct sim_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sim_status_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

void sim_resp_json(struct sim_resp *rs, int status, json_t *obj)
{
	free(rs->body);
	rs->status = status;
	rs->ctype = "application/json; charset=utf-8";
	rs->body = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	if (!rs->body) {
		rs->status = 500;
		rs->ctype = "application/problem+json";
		rs->body = strdup("{\"type\":\"urn:payops:problem:internal_error\",\"title\":\"Internal Server Error\","
				  "\"status\":500,\"detail\":\"could not encode the response\",\"code\":\"internal_error\","
				  "\"request_id\":null}");
	}
	json_decref(obj);
}

void sim_resp_problem(struct sim_resp *rs, const struct sim_req *rq, int status, const char *code,
		      const char *detail, json_t *extra)
{
	char type[128];
	snprintf(type, sizeof type, "urn:payops:problem:%s", code);
	json_t *o = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}", "type", type, "title", sim_status_title(status), "status",
			      status, "detail", detail ? detail : "", "code", code, "request_id", rq->request_id);
	if (o && extra)
		json_object_update(o, extra);
	json_decref(extra);
	rs->etag[0] = '\0';
	sim_resp_json(rs, status, o);
	rs->ctype = "application/problem+json";
}

void sim_resp_etag_hash(struct sim_resp *rs)
{
	if (!rs->body)
		return;
	uint64_t h = sim_fnv1a(rs->body, strlen(rs->body), SIM_FNV_INIT);
	h = sim_fnv1a(&h, sizeof h, 0x84222325cbf29ce4ULL) ^ (h << 1);
	snprintf(rs->etag, sizeof rs->etag, "\"h%016llx\"", (unsigned long long)h);
}

/* ---- fault plan ---- */

struct fault_plan { int status, delay_ms, malformed, truncated, sse_drop; };

static int faults_apply_to(const struct sim_faults *f, const char *site, const char *url)
{
	if (strncmp(url, "/v1", 3) != 0)
		return 0;
	if (f->site[0] && strcmp(f->site, site) != 0)
		return 0;
	return f->path_prefix[0] == '\0' || strncmp(url, f->path_prefix, strlen(f->path_prefix)) == 0;
}

static void plan_faults(struct sim_world *w, const char *site, const char *url, struct fault_plan *p)
{
	memset(p, 0, sizeof *p);
	pthread_mutex_lock(&w->lock);
	struct sim_faults *f = &w->faults;
	if (faults_apply_to(f, site, url)) {
		p->delay_ms = f->latency_ms + f->stall_ms;
		if (f->burst_429 > 0) {
			f->burst_429--;
			p->status = 429;
		} else if (f->error_rate > 0 && sim_rng_unit(&w->frng) < f->error_rate) {
			p->status = 503;
		}
		p->malformed = f->malformed_rate > 0 && sim_rng_unit(&w->frng) < f->malformed_rate;
		p->truncated = !p->malformed && f->truncated_rate > 0 && sim_rng_unit(&w->frng) < f->truncated_rate;
		p->sse_drop = f->sse_drop_after;
	}
	pthread_mutex_unlock(&w->lock);
}

/* ---- truncated bodies: announce the full length, send half, cut ---- */

struct trunc { char *body; size_t half; };

static ssize_t trunc_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct trunc *t = cls;
	if (pos >= t->half)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t n = t->half - (size_t)pos;
	if (n > max)
		n = max;
	memcpy(buf, t->body + pos, n);
	return (ssize_t)n;
}

static void trunc_free(void *cls)
{
	struct trunc *t = cls;
	free(t->body);
	free(t);
}

/* ---- the SSE stream ---- */

struct sse {
	struct sim_site *site;
	uint64_t last;
	char *buf;
	size_t len, pos, cap;
	int sent, drop_after, dropping, ping_s, need_reset;
	struct timespec next_ping;
};

static int sse_reserve(struct sse *s, size_t more)
{
	if (s->len + more <= s->cap)
		return 0;
	size_t cap = (s->len + more) * 2;
	char *n = realloc(s->buf, cap);
	if (!n)
		return -1;
	s->buf = n;
	s->cap = cap;
	return 0;
}

static void sse_append(struct sse *s, const char *p, size_t n)
{
	if (sse_reserve(s, n))
		return;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

/* Format one event; on the drop_after-th event send half of it and cut. */
static void sse_event(struct sse *s, uint64_t id, const char *type, const char *data, size_t dlen)
{
	char head[96];
	int n = snprintf(head, sizeof head, "id: %llu\nevent: %s\ndata: ", (unsigned long long)id, type);
	size_t start = s->len;
	sse_append(s, head, (size_t)n);
	sse_append(s, data, dlen);
	sse_append(s, "\n\n", 2);
	s->last = id;
	s->sent++;
	if (s->drop_after > 0 && s->sent == s->drop_after) {
		s->len = start + (s->len - start) / 2;
		s->dropping = 1;
	}
}

static void ts_add(struct timespec *t, int s)
{
	t->tv_sec += s;
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct sse *s = cls;
	struct sim_server *srv = s->site->srv;
	struct sim_world *w = srv->w;
	(void)pos;
	for (;;) {
		/* checked before anything is sent: a client that never lets the
		 * buffer drain must still see its site go down */
		if (atomic_load(&srv->stopping) || atomic_load(&s->site->down))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (s->pos < s->len) {
			size_t n = s->len - s->pos;
			if (n > max)
				n = max;
			memcpy(out, s->buf + s->pos, n);
			s->pos += n;
			if (s->pos == s->len)
				s->pos = s->len = 0;
			return (ssize_t)n;
		}
		if (s->dropping || atomic_load(&srv->stopping) || atomic_load(&s->site->down))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		pthread_mutex_lock(&w->lock);
		if (s->need_reset || !sim_events_can_resume(&w->ev, s->last)) {
			/* the client's place aged out of the buffer: it must refetch */
			s->need_reset = 0;
			sse_event(s, w->ev.seq, "reset", "{}", 2);
		} else if (s->last < w->ev.seq) {
			while (s->last < w->ev.seq && s->len < 65536 && !s->dropping) {
				const struct sim_event *e = sim_events_get(&w->ev, s->last + 1);
				if (!e)
					break;
				size_t hl = 0;
				char *hd = srv->adversarial ? sim_hostile_event(e->data, e->len, &hl) : NULL;
				sse_event(s, e->id, sim_event_type_name(e->type), hd ? hd : e->data, hd ? hl : e->len);
				free(hd);
			}
		} else {
			struct timespec now, until;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (!ts_before(&now, &s->next_ping)) {
				sse_append(s, ": ping\n\n", 8);
				s->next_ping = now;
				ts_add(&s->next_ping, s->ping_s);
			} else {
				until = now;
				ts_add(&until, 1); /* wake at least every second to notice shutdown */
				if (ts_before(&s->next_ping, &until))
					until = s->next_ping;
				pthread_cond_timedwait(&w->cond, &w->lock, &until);
			}
		}
		pthread_mutex_unlock(&w->lock);
	}
}

static void sse_free(void *cls)
{
	struct sse *s = cls;
	free(s->buf);
	free(s);
}

static struct MHD_Response *sse_response(struct sim_site *site, const struct sim_resp *rs, int drop_after)
{
	struct sse *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->site = site;
	s->drop_after = drop_after;
	s->ping_s = site->srv->ping_s > 0 ? site->srv->ping_s : 15;
	clock_gettime(CLOCK_MONOTONIC, &s->next_ping);
	ts_add(&s->next_ping, s->ping_s);
	sse_append(s, "retry: 3000\n\n", 13);
	struct sim_world *w = site->srv->w;
	pthread_mutex_lock(&w->lock);
	if (rs->sse_resume) {
		s->last = rs->sse_last;
		if (!sim_events_can_resume(&w->ev, s->last)) {
			s->need_reset = 1;
			s->last = w->ev.seq;
		}
	} else {
		s->last = w->ev.seq;
	}
	pthread_mutex_unlock(&w->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, sse_read, s, sse_free);
	if (!r)
		sse_free(s);
	return r;
}

/* ---- request handling ---- */

static void make_request_id(struct sim_req *rq, struct sim_server *srv, struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	if (h) {
		size_t n = strlen(h);
		int ok = n > 0 && n < sizeof rq->request_id;
		for (size_t i = 0; ok && i < n; i++)
			ok = h[i] > 0x20 && h[i] < 0x7f;
		if (ok) {
			snprintf(rq->request_id, sizeof rq->request_id, "%s", h);
			return;
		}
	}
	unsigned long n = atomic_fetch_add(&srv->reqseq, 1) + 1;
	uint64_t x = sim_fnv1a(&n, sizeof n, srv->w->seed ^ SIM_FNV_INIT);
	snprintf(rq->request_id, sizeof rq->request_id, "req_%08lx%08llx", n, (unsigned long long)(x & 0xffffffffULL));
}

static int etag_matches(const char *inm, const char *etag)
{
	if (!inm || !etag[0])
		return 0;
	size_t el = strlen(etag);
	const char *p = inm;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return 1;
		const char *q = p;
		while (*q && *q != ',')
			q++;
		const char *e = q;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - p) == el && memcmp(p, etag, el) == 0)
			return 1;
		p = q;
	}
	return 0;
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct sim_req *rq, struct sim_resp *rs,
				     const struct fault_plan *fp)
{
	struct MHD_Response *r = NULL;
	int status = rs->status ? rs->status : 500;
	int is_get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	if (rs->sse && status == 200) {
		r = sse_response(rq->site, rs, fp->sse_drop);
	} else if (is_get && status == 200 && rs->etag[0] &&
		   etag_matches(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match"), rs->etag)) {
		status = 304;
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else {
		char *body = rs->body ? rs->body : strdup("");
		rs->body = NULL;
		if (!body)
			return MHD_NO;
		size_t len = strlen(body);
		if (fp->malformed && len > 0) {
			static const char broken[] = "{\"data\": [{\"id\": \"x\", \"version\": 1,, \"name\": \"\\u00";
			free(body);
			body = strdup(broken);
			if (!body)
				return MHD_NO;
			len = strlen(body);
		}
		if (fp->truncated && len > 1) {
			struct trunc *t = malloc(sizeof *t);
			if (!t) {
				free(body);
				return MHD_NO;
			}
			t->body = body;
			t->half = len / 2;
			r = MHD_create_response_from_callback(len, 4096, trunc_read, t, trunc_free);
			if (!r)
				trunc_free(t);
		} else {
			r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
			if (!r)
				free(body);
		}
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "X-Request-Id", rq->request_id);
	if (rs->sse) {
		MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
		MHD_add_response_header(r, "Cache-Control", "no-cache");
		MHD_add_response_header(r, "X-Accel-Buffering", "no");
	} else {
		if (status != 304)
			MHD_add_response_header(r, "Content-Type", rs->ctype ? rs->ctype : "application/json");
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	}
	if (rs->etag[0] && (status == 200 || status == 202 || status == 304))
		MHD_add_response_header(r, "ETag", rs->etag);
	if (rs->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", rs->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (rs->allow)
		MHD_add_response_header(r, "Allow", rs->allow);
	if (status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"payops\"");
	if (rs->replayed)
		MHD_add_response_header(r, "Idempotent-Replayed", "true");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	rs->status = status;
	return ret;
}

/* --adversarial: the honest answer rewritten on its way out; a list's
 * validator follows the body, since the list changes between requests */
static void make_hostile(struct sim_req *rq, struct sim_resp *rs)
{
	if (rs->status != 200 || rs->sse || !rs->body || strcmp(rq->method, "GET") != 0)
		return;
	char *nb = sim_hostile_body(rq->url, sim_req_query(rq, "cursor") != NULL, rs->body);
	if (!nb)
		return;
	free(rs->body);
	rs->body = nb;
	if (strncmp(nb, "{\"data\":", 8) == 0)
		sim_resp_etag_hash(rs);
}

/* ---- TLS: a client certificate, required when a client CA is given ---- */

/* 0 when the client presented a trusted certificate; else a 403 problem
 * in rs that says what was wrong. */
static int client_cert_check(struct sim_server *srv, struct MHD_Connection *c, struct sim_req *rq,
			     struct sim_resp *rs)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	int st = ci && ci->tls_session && srv->tls_client_status ? srv->tls_client_status(ci->tls_session)
								 : SIM_TLS_CLIENT_NONE;
	if (st == 0)
		return 0;
	if (st == SIM_TLS_CLIENT_NONE)
		sim_resp_problem(rs, rq, 403, "client_certificate_required",
				 "this site requires a TLS client certificate (mutual TLS) and none was sent", NULL);
	else
		sim_resp_problem(rs, rq, 403, "client_certificate_untrusted",
				 "the TLS client certificate was not issued by a CA this site trusts, or is out of date",
				 NULL);
	return -1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct sim_site *site = cls;
	struct sim_server *srv = site->srv;
	struct conn_ctx *cc = *con_cls;
	(void)version;
	int is_control = strncmp(url, "/sim/", 5) == 0;
	if (atomic_load(&site->down) && !is_control)
		return MHD_NO; /* off the network: drop the connection */
	if (!cc) {
		cc = calloc(1, sizeof *cc);
		if (!cc)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &cc->start);
		*con_cls = cc;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > SIM_BODY_MAX)
			cc->too_large = 1;
		if (!cc->too_large)
			return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cc->too_large) {
			if (cc->len + *upload_data_size > SIM_BODY_MAX) {
				cc->too_large = 1;
				free(cc->body);
				cc->body = NULL;
				cc->len = cc->cap = 0;
			} else {
				if (cc->len + *upload_data_size + 1 > cc->cap) {
					size_t cap = (cc->len + *upload_data_size + 1) * 2;
					if (cap > SIM_BODY_MAX + 1)
						cap = SIM_BODY_MAX + 1;
					char *n = realloc(cc->body, cap);
					if (!n)
						return MHD_NO;
					cc->body = n;
					cc->cap = cap;
				}
				memcpy(cc->body + cc->len, upload_data, *upload_data_size);
				cc->len += *upload_data_size;
				cc->body[cc->len] = '\0';
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	struct sim_req rq = {0};
	struct sim_resp rs = {0};
	struct fault_plan fp = {0};
	rq.conn = c;
	rq.site = site;
	rq.w = srv->w;
	rq.method = method;
	rq.url = url;
	rq.body = cc->body ? cc->body : "";
	rq.body_len = cc->len;
	make_request_id(&rq, srv, c);
	if (srv->tls_client_ca && !is_control && client_cert_check(srv, c, &rq, &rs)) {
		/* answered: mutual TLS failed */
	} else if (is_control || strcmp(url, "/sim") == 0) {
		sim_control_handle(&rq, &rs);
	} else if (cc->too_large) {
		sim_resp_problem(&rs, &rq, 413, "payload_too_large", "request bodies are limited to 1 MiB", NULL);
	} else if (strcmp(url, "/metrics") == 0) {
		sim_metrics_handle(&rq, &rs); /* a scrape: no token, no injected faults */
	} else {
		plan_faults(srv->w, site->name, url, &fp);
		if (fp.delay_ms > 0)
			sleep_ms(fp.delay_ms > 600000 ? 600000 : fp.delay_ms);
		if (fp.status == 429) {
			sim_resp_problem(&rs, &rq, 429, "rate_limited", "too many requests, retry later", NULL);
			rs.retry_after = 1;
		} else if (fp.status == 503) {
			sim_resp_problem(&rs, &rq, 503, "unavailable", "the platform is temporarily unavailable", NULL);
			rs.retry_after = 1;
		} else {
			rq.tok = sim_auth_check(srv->auth, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"));
			struct sim_token eff; /* this request's scopes, as /sim/scopes left them */
			if (rq.tok) {
				eff = *rq.tok;
				eff.scopes = sim_control_scopes(srv->w, eff.operator_id, eff.scopes);
				rq.tok = &eff;
			}
			sim_api_handle(&rq, &rs);
			if (srv->adversarial)
				make_hostile(&rq, &rs);
		}
	}
	enum MHD_Result ret = send_response(c, &rq, &rs, &fp);
	if (!srv->quiet)
		fprintf(stderr, "%s %s %s %d %.1fms %s\n", site->name, method, url, rs.status, elapsed_ms(&cc->start),
			rq.request_id);
	free(rs.body);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
	(void)cls;
	(void)c;
	(void)t;
	struct conn_ctx *cc = *con_cls;
	if (cc) {
		free(cc->body);
		free(cc);
		*con_cls = NULL;
	}
}

static const char *site_name(int i, char *buf, size_t cap)
{
	static const char *const names[] = {"sh-a", "sh-b", "bj-a", "bj-b", "sz-a", "sz-b", "cd-a", "cd-b"};
	if (i < 8)
		snprintf(buf, cap, "%s", names[i]);
	else
		snprintf(buf, cap, "site-%d", i + 1);
	return buf;
}

int sim_server_start(struct sim_server *s, unsigned first_port)
{
	s->sites = calloc((size_t)s->nsites, sizeof *s->sites);
	if (!s->sites)
		return -1;
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	int v6 = 0;
	memset(&a4, 0, sizeof a4);
	memset(&a6, 0, sizeof a6);
	if (inet_pton(AF_INET, s->host, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
	} else if (inet_pton(AF_INET6, s->host, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		v6 = 1;
	} else {
		fprintf(stderr, "payops-sim: --host %s: not an IP address\n", s->host);
		return -1;
	}
	for (int i = 0; i < s->nsites; i++) {
		struct sim_site *site = &s->sites[i];
		site->srv = s;
		site_name(i, site->name, sizeof site->name);
		unsigned port = first_port ? first_port + (unsigned)i : 0;
		a4.sin_port = htons((uint16_t)port);
		a6.sin6_port = htons((uint16_t)port);
		unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC;
		if (v6)
			flags |= MHD_USE_IPv6;
		struct MHD_OptionItem tls[4];
		int nt = 0;
		if (s->tls_cert) {
			flags |= MHD_USE_TLS;
			tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert};
			tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key};
			if (s->tls_client_ca)
				tls[nt++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0, s->tls_client_ca};
		}
		tls[nt] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
		site->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, site,
					   MHD_OPTION_SOCK_ADDR, v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
					   MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
					   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
					   MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
					   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
					   MHD_OPTION_ARRAY, tls,
					   MHD_OPTION_END);
		if (!site->d) {
			fprintf(stderr, "payops-sim: cannot listen on %s:%u%s\n", s->host, port,
				s->tls_cert ? " (or the TLS certificate and key were refused)" : "");
			return -1;
		}
		const union MHD_DaemonInfo *info = MHD_get_daemon_info(site->d, MHD_DAEMON_INFO_BIND_PORT);
		site->port = info ? info->port : port;
	}
	return 0;
}

void sim_server_stop(struct sim_server *s)
{
	atomic_store(&s->stopping, 1);
	pthread_mutex_lock(&s->w->lock);
	pthread_cond_broadcast(&s->w->cond);
	pthread_mutex_unlock(&s->w->lock);
	for (int i = 0; s->sites && i < s->nsites; i++)
		if (s->sites[i].d)
			MHD_stop_daemon(s->sites[i].d);
	free(s->sites);
	s->sites = NULL;
}

struct sim_site *sim_server_site(struct sim_server *s, const char *name)
{
	for (int i = 0; i < s->nsites; i++)
		if (strcmp(s->sites[i].name, name) == 0)
			return &s->sites[i];
	return NULL;
}
