/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/net/httpd.c: a small HTTP server on 127.0.0.1 for the transport
 * tests. It binds a free port, prints it on standard output, and serves until
 * SIGTERM or SIGINT. With two arguments, CERT.pem KEY.pem, it speaks HTTPS.
 *
 *   GET  /json           {"ok":true} with ETag "v1"; If-None-Match "v1" -> 304
 *   GET  /slow?ms=N      answers after N ms
 *   GET  /gzip           a gzip-encoded JSON body
 *   GET  /big?n=N        N bytes of body
 *   GET  /429?date=1     429 with Retry-After: 2 (or an HTTP date 3 s ahead)
 *   ANY  /echo           the request headers the client sent, one per line
 *   GET  /stats          {"connections":N,"sse_connections":N,"last_event_ids":"..."}
 *   GET  /sse?total=T&drop=K&silent=1
 *        an event stream: "retry: 100", then ids from Last-Event-ID + 1 to T;
 *        on a connection without Last-Event-ID it drops in the middle of
 *        event K; after T it pings every 100 ms, or says nothing (silent=1).
 */
#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

static const unsigned char gzip_body[] = {
	31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 171, 86, 74, 206, 207, 45, 40, 74, 45,
	46, 78, 77, 81, 178, 42, 41, 42, 77, 213, 81, 42, 73, 173, 40, 81, 178,
	82, 42, 72, 172, 204, 47, 40, 86, 24, 165, 70, 169, 81, 106, 148, 26,
	165, 232, 68, 41, 213, 2, 0, 56, 32, 111, 183, 149, 5, 0, 0};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long n_connections, n_sse;
static char last_ids[512];

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void on_connection(void *cls, struct MHD_Connection *conn,
			  void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	(void)conn;
	(void)socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		pthread_mutex_lock(&mu);
		n_connections++;
		pthread_mutex_unlock(&mu);
	}
}

static long arg_long(struct MHD_Connection *c, const char *name, long dflt)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);

	return v ? strtol(v, NULL, 10) : dflt;
}

static MHD_Result_t reply(struct MHD_Connection *c, unsigned status,
			  const char *ctype, const void *body, size_t len,
			  enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, mode);
	const char *rid;
	MHD_Result_t ret;

	if (!r)
		return MHD_NO;
	if (ctype)
		MHD_add_response_header(r, "Content-Type", ctype);
	rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
	MHD_add_response_header(r, "X-Request-Id", rid ? rid : "srv-generated");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- the event stream ---- */

typedef struct {
	long next, total, drop;
	int silent;
	int dropping;     /* 1: the partial event went out, close next */
	long idle_ms;
} sse_state;

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	sse_state *s = cls;
	int n;

	if (pos == 0) {
		n = snprintf(buf, max, "retry: 100\n\n");
		return n;
	}
	if (s->dropping)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (s->next <= s->total) {
		long id = s->next++;

		if (id == s->drop) {
			s->dropping = 1;
			n = snprintf(buf, max, "id: %ld\nevent: tick\ndata: {\"n\"", id);
		} else {
			n = snprintf(buf, max, "id: %ld\nevent: tick\ndata: {\"n\":%ld}\n\n",
				     id, id);
		}
		return n;
	}
	sleep_ms(100);
	if (s->silent)
		return 0;
	return snprintf(buf, max, ": ping\n\n");
}

static MHD_Result_t serve_sse(struct MHD_Connection *c)
{
	const char *lei = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
	sse_state *s = calloc(1, sizeof(*s));
	struct MHD_Response *r;
	MHD_Result_t ret;

	if (!s)
		return MHD_NO;
	s->total = arg_long(c, "total", 10);
	s->silent = arg_long(c, "silent", 0) != 0;
	s->drop = lei ? 0 : arg_long(c, "drop", 0);
	s->next = lei ? strtol(lei, NULL, 10) + 1 : 1;
	pthread_mutex_lock(&mu);
	n_sse++;
	{
		size_t l = strlen(last_ids);

		snprintf(last_ids + l, sizeof(last_ids) - l, "%s%s",
			 l ? "," : "", lei ? lei : "-");
	}
	pthread_mutex_unlock(&mu);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, sse_read, s, free);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- requests ---- */

typedef struct {
	char body[4096];
	size_t len;
} upload;

static MHD_Result_t serve_echo(struct MHD_Connection *c, const upload *u)
{
	static const char *const names[] = {
		"Authorization", "Accept", "If-None-Match", "If-Match",
		"Idempotency-Key", "X-Request-Id", "Last-Event-ID", "Content-Type"};
	char out[8192];
	size_t off = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, names[i]);
		int n;

		if (!v)
			continue;
		n = snprintf(out + off, sizeof(out) - off, "%s: %s\n", names[i], v);
		if (n < 0 || (size_t)n >= sizeof(out) - off)
			break;
		off += (size_t)n;
	}
	if (u && u->len) {
		int n = snprintf(out + off, sizeof(out) - off, "body: %.*s\n",
				 (int)u->len, u->body);

		if (n > 0 && (size_t)n < sizeof(out) - off)
			off += (size_t)n;
	}
	return reply(c, 200, "text/plain", out, off, MHD_RESPMEM_MUST_COPY);
}

static MHD_Result_t handle(void *cls, struct MHD_Connection *c, const char *url,
			   const char *method, const char *version,
			   const char *upload_data, size_t *upload_size, void **con_cls)
{
	upload *u = *con_cls;

	(void)cls;
	(void)version;
	(void)method;
	/* the first call only sets up: answering in it makes this version of
	 * the library close the connection instead of keeping it alive */
	if (!u) {
		u = calloc(1, sizeof(*u));
		if (!u)
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	{
		if (*upload_size) {
			size_t n = *upload_size;

			if (n > sizeof(u->body) - u->len)
				n = sizeof(u->body) - u->len;
			memcpy(u->body + u->len, upload_data, n);
			u->len += n;
			*upload_size = 0;
			return MHD_YES;
		}
	}

	if (strcmp(url, "/json") == 0) {
		static const char body[] = "{\"ok\":true}";
		const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
		struct MHD_Response *r;
		MHD_Result_t ret;
		int not_modified = inm && strcmp(inm, "\"v1\"") == 0;

		r = MHD_create_response_from_buffer(not_modified ? 0 : sizeof(body) - 1,
						    (void *)body, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "ETag", "\"v1\"");
		MHD_add_response_header(r, "Content-Type", "application/json");
		ret = MHD_queue_response(c, not_modified ? 304 : 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/slow") == 0) {
		sleep_ms(arg_long(c, "ms", 2000));
		return reply(c, 200, "application/json", "{\"slow\":true}", 13,
			     MHD_RESPMEM_PERSISTENT);
	}
	if (strcmp(url, "/gzip") == 0) {
		const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
		struct MHD_Response *r;
		MHD_Result_t ret;

		if (!ae || !strstr(ae, "gzip"))
			return reply(c, 406, "text/plain", "gzip only", 9,
				     MHD_RESPMEM_PERSISTENT);
		r = MHD_create_response_from_buffer(sizeof(gzip_body), (void *)gzip_body,
						    MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "Content-Encoding", "gzip");
		MHD_add_response_header(r, "Content-Type", "application/json");
		ret = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/big") == 0) {
		long n = arg_long(c, "n", 1024);
		char *b;

		if (n < 0 || n > 64L * 1024 * 1024)
			n = 1024;
		b = malloc((size_t)n + 1);
		if (!b)
			return MHD_NO;
		memset(b, 'x', (size_t)n);
		{
			MHD_Result_t ret = reply(c, 200, "text/plain", b, (size_t)n,
						 MHD_RESPMEM_MUST_FREE);
			return ret;
		}
	}
	if (strcmp(url, "/429") == 0) {
		static const char body[] =
			"{\"type\":\"about:blank\",\"title\":\"Too Many Requests\","
			"\"status\":429,\"code\":\"rate_limited\"}";
		struct MHD_Response *r =
			MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
							MHD_RESPMEM_PERSISTENT);
		MHD_Result_t ret;

		if (!r)
			return MHD_NO;
		if (arg_long(c, "date", 0)) {
			/* the HTTP-date form, 3 s ahead */
			char date[64];
			time_t t = time(NULL) + 3;
			struct tm tm;

			gmtime_r(&t, &tm);
			strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
			MHD_add_response_header(r, "Retry-After", date);
		} else {
			MHD_add_response_header(r, "Retry-After", "2");
		}
		MHD_add_response_header(r, "Content-Type", "application/problem+json");
		ret = MHD_queue_response(c, 429, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/echo") == 0)
		return serve_echo(c, u);
	if (strcmp(url, "/stats") == 0) {
		char out[1024];
		int n;

		pthread_mutex_lock(&mu);
		n = snprintf(out, sizeof(out),
			     "{\"connections\":%lu,\"sse_connections\":%lu,"
			     "\"last_event_ids\":\"%s\"}",
			     n_connections, n_sse, last_ids);
		pthread_mutex_unlock(&mu);
		return reply(c, 200, "application/json", out, (size_t)n,
			     MHD_RESPMEM_MUST_COPY);
	}
	if (strcmp(url, "/sse") == 0)
		return serve_sse(c);
	return reply(c, 404, "text/plain", "not found", 9, MHD_RESPMEM_PERSISTENT);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*con_cls);
	*con_cls = NULL;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	if (b)
		b[n] = '\0';
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	char *cert = NULL, *key = NULL;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;

	/* threads inherit the mask: only this thread takes the signals */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = 0;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (argc == 3) {
		cert = slurp(argv[1]);
		key = slurp(argv[2]);
		if (!cert || !key) {
			fprintf(stderr, "httpd: cannot read %s or %s\n", argv[1], argv[2]);
			return 1;
		}
		flags |= MHD_USE_TLS;
		d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				     MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				     MHD_OPTION_HTTPS_MEM_CERT, cert,
				     MHD_OPTION_HTTPS_MEM_KEY, key,
				     MHD_OPTION_END);
	} else {
		d = MHD_start_daemon(flags, 0, NULL, NULL, handle, NULL,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				     MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				     MHD_OPTION_END);
	}
	if (!d) {
		fprintf(stderr, "httpd: cannot start\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || info->port == 0) {
		MHD_stop_daemon(d);
		return 1;
	}
	printf("%u\n", (unsigned)info->port);
	fflush(stdout);

	for (;;) {
		int sig = 0;

		if (sigwait(&set, &sig) == 0 && sig != SIGPIPE)
			break;
	}
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	return 0;
}
