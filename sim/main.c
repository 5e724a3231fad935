/* SPDX-License-Identifier: ISC (see COPYING) */
/* sim/main.c - payops-sim: command line, start-up, the dynamics clock, and a
 * clean exit on SIGINT/SIGTERM */
#include "sim/http.h"
#include "sim/tls.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static void usage(FILE *f)
{
	fputs("usage: payops-sim [options]\n"
	      "  --host ADDR            bind address (default 127.0.0.1)\n"
	      "  --port N               first site's port; 0 = pick a free port (default 8780)\n"
	      "  --sites N              sites sharing one world, on consecutive ports (default 1)\n"
	      "  --seed N               deterministic world and dynamics (default 1)\n"
	      "  --token-file FILE      lines \"TOKEN OPERATOR_ID SCOPE,SCOPE,...\"\n"
	      "  --channels N --cases N --breaks N --limits N   world size\n"
	      "  --tick-ms N            dynamics step (default 1000; 0 = frozen world)\n"
	      "  --start-time T         the world's clock at start (RFC 3339 UTC or epoch seconds;\n"
	      "                         default now): with --seed, the same world to the second\n"
	      "  --ping-s N             SSE ping interval (default 15)\n"
	      "  --event-buffer N       SSE replay buffer in events (default 10000)\n"
	      "  --approval-share X     disabling a channel above this traffic share needs approval (202)\n"
	      "  --approval-weight-pct N  route weights moving more than N points of traffic need approval\n"
	      "  --approval-ttl-s N     a pending approval expires after N simulated seconds (default 900)\n"
	      "  --latency-ms N --error-rate R   initial faults\n"
	      "  --tls-cert FILE --tls-key FILE   serve HTTPS with this PEM certificate (chain) and key\n"
	      "  --tls-client-ca FILE   require a client certificate issued by this PEM CA (mutual TLS)\n"
	      "  --adversarial          hostile data: escape sequences, bidi, huge names, bad numbers, odd lists\n"
	      "  --quiet                no request log on stderr\n"
	      "  --help, --version\n"
	      "See payops-sim(1).\n",
	      f);
}

/* --start-time: "2026-11-21T08:00:00Z" or epoch seconds; 0 on success. */
static int parse_start_time(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*s && !*end && errno == 0 && v > 0) {
		*out = (int64_t)v;
		return 0;
	}
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return -1;
	time_t t = timegm(&tm);
	if (t <= 0)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* A PEM file, whole and NUL-terminated, for libmicrohttpd. */
static char *slurp_pem(const char *opt, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "payops-sim: %s %s: %s\n", opt, path, strerror(errno));
		return NULL;
	}
	size_t cap = 8192, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (len < cap - 1 || cap >= 4 * 1024 * 1024)
			break;
		char *n = realloc(buf, cap * 2);
		if (!n) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = n;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad || len == 0 || len >= cap - 1) {
		fprintf(stderr, "payops-sim: %s %s: %s\n", opt, path,
			!buf ? "out of memory" : bad ? "read error" : len == 0 ? "empty file" : "file too large");
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	if (!strstr(buf, "-----BEGIN ")) {
		fprintf(stderr, "payops-sim: %s %s: not a PEM file\n", opt, path);
		free(buf);
		return NULL;
	}
	return buf;
}

static int num(const char *opt, const char *v, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= lo && d <= hi)) {
		fprintf(stderr, "payops-sim: %s: '%s' is not a number in %g..%g\n", opt, v, lo, hi);
		return -1;
	}
	*out = d;
	return 0;
}

static int integer(const char *opt, double v)
{
	if (v == (double)(long long)v)
		return 0;
	fprintf(stderr, "payops-sim: %s: '%g' is not a whole number\n", opt, v);
	return -1;
}

int main(int argc, char **argv)
{
	enum { O_HOST = 1000, O_PORT, O_SITES, O_SEED, O_TOKENS, O_CH, O_CASES, O_BREAKS, O_LIMITS, O_TICK, O_PING,
	       O_EVBUF, O_APPROVAL, O_APPROVAL_PCT, O_APPROVAL_TTL, O_LAT, O_ERR, O_QUIET, O_START, O_HELP, O_VERSION,
	       O_TLS_CERT, O_TLS_KEY, O_TLS_CA, O_ADV };
	static const struct option opts[] = {
		{"host", required_argument, 0, O_HOST}, {"port", required_argument, 0, O_PORT},
		{"sites", required_argument, 0, O_SITES}, {"seed", required_argument, 0, O_SEED},
		{"token-file", required_argument, 0, O_TOKENS}, {"channels", required_argument, 0, O_CH},
		{"cases", required_argument, 0, O_CASES}, {"breaks", required_argument, 0, O_BREAKS},
		{"limits", required_argument, 0, O_LIMITS}, {"tick-ms", required_argument, 0, O_TICK},
		{"ping-s", required_argument, 0, O_PING}, {"event-buffer", required_argument, 0, O_EVBUF},
		{"approval-share", required_argument, 0, O_APPROVAL}, {"latency-ms", required_argument, 0, O_LAT},
		{"approval-weight-pct", required_argument, 0, O_APPROVAL_PCT},
		{"approval-ttl-s", required_argument, 0, O_APPROVAL_TTL},
		{"error-rate", required_argument, 0, O_ERR}, {"quiet", no_argument, 0, O_QUIET},
		{"start-time", required_argument, 0, O_START},
		{"tls-cert", required_argument, 0, O_TLS_CERT}, {"tls-key", required_argument, 0, O_TLS_KEY},
		{"tls-client-ca", required_argument, 0, O_TLS_CA}, {"adversarial", no_argument, 0, O_ADV},
		{"help", no_argument, 0, O_HELP}, {"version", no_argument, 0, O_VERSION}, {0, 0, 0, 0},
	};
	struct sim_world_opts wo = {.seed = 1, .channels = 44, .cases = 2000, .breaks = 5000, .limits = 3000,
				    .event_buffer = 10000, .approval_share = -1};
	const char *host = "127.0.0.1", *token_file = NULL;
	const char *tls_cert = NULL, *tls_key = NULL, *tls_ca = NULL;
	double port = 8780, sites = 1, tick_ms = 1000, ping_s = 15, latency = 0, error_rate = 0, d;
	double approval_pct = -1, approval_ttl = SIM_APPROVAL_TTL_S;
	int quiet = 0, adversarial = 0, c;
	int64_t start_time = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_HOST: host = optarg; break;
		case O_PORT: if (num("--port", optarg, 0, 65535, &port)) return 2; break;
		case O_SITES: if (num("--sites", optarg, 1, 16, &sites)) return 2; break;
		case O_SEED: {
			char *end;
			errno = 0;
			wo.seed = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end) {
				fprintf(stderr, "payops-sim: --seed: '%s' is not an unsigned integer\n", optarg);
				return 2;
			}
			break;
		}
		case O_TOKENS: token_file = optarg; break;
		case O_CH: if (num("--channels", optarg, 1, 2000, &d)) return 2; wo.channels = (size_t)d; break;
		case O_CASES: if (num("--cases", optarg, 0, 100000, &d)) return 2; wo.cases = (size_t)d; break;
		case O_BREAKS: if (num("--breaks", optarg, 0, 1000000, &d)) return 2; wo.breaks = (size_t)d; break;
		case O_LIMITS: if (num("--limits", optarg, 0, 100000, &d)) return 2; wo.limits = (size_t)d; break;
		case O_TICK: if (num("--tick-ms", optarg, 0, 3600000, &tick_ms)) return 2; break;
		case O_PING: if (num("--ping-s", optarg, 1, 3600, &ping_s)) return 2; break;
		case O_EVBUF: if (num("--event-buffer", optarg, 1, 10000000, &d)) return 2; wo.event_buffer = (size_t)d; break;
		case O_APPROVAL: if (num("--approval-share", optarg, 0, 1, &wo.approval_share)) return 2; break;
		case O_APPROVAL_PCT:
			if (num("--approval-weight-pct", optarg, 0, 100, &approval_pct) || integer("--approval-weight-pct", approval_pct))
				return 2;
			break;
		case O_APPROVAL_TTL:
			if (num("--approval-ttl-s", optarg, 1, 30 * 86400, &approval_ttl) || integer("--approval-ttl-s", approval_ttl))
				return 2;
			break;
		case O_LAT: if (num("--latency-ms", optarg, 0, 600000, &latency)) return 2; break;
		case O_ERR: if (num("--error-rate", optarg, 0, 1, &error_rate)) return 2; break;
		case O_QUIET: quiet = 1; break;
		case O_START:
			if (parse_start_time(optarg, &start_time)) {
				fprintf(stderr, "payops-sim: --start-time: '%s' is neither RFC 3339 UTC "
					"(2026-11-21T08:00:00Z) nor epoch seconds\n", optarg);
				return 2;
			}
			break;
		case O_TLS_CERT: tls_cert = optarg; break;
		case O_TLS_KEY: tls_key = optarg; break;
		case O_TLS_CA: tls_ca = optarg; break;
		case O_ADV: adversarial = 1; break;
		case O_HELP: usage(stdout); return 0;
		case O_VERSION: printf("payops-sim %s\n", SIM_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "payops-sim: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!tls_cert != !tls_key || (tls_ca && !tls_cert)) {
		fprintf(stderr, "payops-sim: %s\n", tls_ca && !tls_cert ?
			"--tls-client-ca needs --tls-cert and --tls-key" :
			"--tls-cert and --tls-key go together");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* every thread started from here on blocks the stop signals; main waits for them */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct sim_auth auth = {0};
	char err[512];
	int generated = 0;
	if (token_file) {
		if (sim_auth_load(&auth, token_file, err, sizeof err)) {
			fprintf(stderr, "payops-sim: %s\n", err);
			sim_auth_free(&auth);
			return 1;
		}
	} else {
		if (sim_auth_generate(&auth, "op.demo")) {
			fprintf(stderr, "payops-sim: cannot generate a token\n");
			return 1;
		}
		generated = 1;
	}
	wo.now = start_time ? start_time : (int64_t)time(NULL);
	struct sim_world *w = sim_world_new(&wo);
	if (!w) {
		fprintf(stderr, "payops-sim: out of memory building the world\n");
		sim_auth_free(&auth);
		return 1;
	}
	w->approval_weight_pct = (int)approval_pct;
	w->approval_ttl_s = (int64_t)approval_ttl;
	w->faults.latency_ms = (int)latency;
	w->faults.error_rate = error_rate;

	struct sim_server srv;
	memset(&srv, 0, sizeof srv);
	srv.w = w;
	srv.auth = &auth;
	srv.nsites = (int)sites;
	srv.quiet = quiet;
	srv.ping_s = (int)ping_s;
	srv.adversarial = adversarial;
	srv.tls_client_status = sim_tls_client_status;
	snprintf(srv.host, sizeof srv.host, "%s", host);
	int rc = 0;
	if (tls_cert && (!(srv.tls_cert = slurp_pem("--tls-cert", tls_cert)) ||
			 !(srv.tls_key = slurp_pem("--tls-key", tls_key)) ||
			 (tls_ca && !(srv.tls_client_ca = slurp_pem("--tls-client-ca", tls_ca))))) {
		rc = 1;
		goto out;
	}
	if (sim_server_start(&srv, (unsigned)port)) {
		rc = 1;
		goto out;
	}
	const char *shown = strchr(host, ':') ? NULL : host;
	const char *scheme = srv.tls_cert ? "https" : "http";
	for (int i = 0; i < srv.nsites; i++) {
		char url[128];
		if (shown)
			snprintf(url, sizeof url, "%s://%s:%u", scheme, shown, srv.sites[i].port);
		else
			snprintf(url, sizeof url, "%s://[%s]:%u", scheme, host, srv.sites[i].port);
		if (i == 0)
			printf("listening on %s\n", url);
		else
			printf("site %s listening on %s\n", srv.sites[i].name, url);
	}
	if (generated)
		printf("token %s op.demo read,channels:write,routing:write,onboarding:write,recon:write,limits:write,alerts:write\n",
		       auth.t[0].token);
	fflush(stdout);

	/* the dynamics clock: one world step per tick, until a stop signal */
	for (;;) {
		struct timespec ts;
		long ms = tick_ms > 0 ? (long)tick_ms : 1000;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		int sig = sigtimedwait(&stop, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (sig < 0 && errno != EAGAIN && errno != EINTR)
			break;
		if (sig < 0 && errno == EAGAIN && tick_ms > 0) {
			pthread_mutex_lock(&w->lock);
			sim_tick(w);
			pthread_mutex_unlock(&w->lock);
		}
	}
out:
	sim_server_stop(&srv);
	if (srv.tls_key)
		explicit_bzero(srv.tls_key, strlen(srv.tls_key));
	free(srv.tls_cert);
	free(srv.tls_key);
	free(srv.tls_client_ca);
	sim_world_free(w);
	sim_auth_free(&auth);
	return rc;
}
