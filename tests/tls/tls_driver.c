/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/tls/tls_driver.c: one GET through the console's own configuration
 * loader, token reader and HTTP client (event loop, libcurl, TLS options
 * from the config), so shell tests can check what an operator would be
 * told. Prints
 *   status N
 *   error TEXT        (the transport failure in words, "" when none)
 *   body TEXT         (first line of the response body, cut)
 * Exit: 0 on a 2xx answer, 1 on anything else, 2 when the config or the
 * token is refused (the messages on stderr).
 *   tls-driver --config FILE [--path /v1/me] [--insecure]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "net/http.h"
#include "base/ev.h"

static int result = 1;
static ev_loop *loop;

static void on_done(void *ctx, const http_response *r)
{
	(void)ctx;
	size_t n = r->body_len;
	const char *nl = memchr(r->body, '\n', n);
	if (nl)
		n = (size_t)(nl - r->body);
	if (n > 400)
		n = 400;
	printf("status %d\nerror %s\nbody %.*s\n", r->status, r->error ? r->error : "", (int)n, r->body);
	result = r->status >= 200 && r->status < 300 ? 0 : 1;
	ev_stop(loop);
}

static void on_timeout(void *ctx)
{
	(void)ctx;
	printf("status 0\nerror driver timed out\nbody \n");
	ev_stop(loop);
}

int main(int argc, char **argv)
{
	const char *config = NULL, *path = "/v1/me";
	bool insecure = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config = argv[++i];
		else if (strcmp(argv[i], "--path") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--insecure") == 0)
			insecure = true;
		else {
			fprintf(stderr, "tls-driver: unknown argument %s\n", argv[i]);
			return 2;
		}
	}
	if (!config) {
		fprintf(stderr, "tls-driver: --config FILE is required\n");
		return 2;
	}
	cfg_config cfg;
	cfg_errors errs = {0};
	if (cfg_load(config, &cfg, &errs) != 0) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		cfg_errors_free(&errs);
		cfg_free(&cfg);
		return 2;
	}
	cfg_errors_free(&errs);
	char err[512];
	char *token = cfg_read_token(&cfg, err, sizeof err);
	if (!token || cfg.n_sites == 0) {
		fprintf(stderr, "tls-driver: %s\n", token ? "no site" : err);
		free(token);
		cfg_free(&cfg);
		return 2;
	}
	char url[1024];
	snprintf(url, sizeof url, "%s%s", cfg.sites[0].url, path);
	loop = ev_new();
	http_opts ho = {
		.ca_file = cfg.ca_file, .client_cert = cfg.client_cert,
		.client_key = cfg.client_key, .insecure = insecure,
		.connect_timeout_ms = 3000,
	};
	http_client *http = loop ? http_new(loop, &ho) : NULL;
	http_request rq = { .method = "GET", .url = url, .bearer = token, .timeout_ms = 5000 };
	int rc = 1;
	if (!http || !http_send(http, &rq, on_done, NULL)) {
		fprintf(stderr, "tls-driver: cannot start the request\n");
	} else {
		ev_timer_add(loop, 8000, on_timeout, NULL);
		ev_run(loop);
		rc = result;
	}
	http_free(http);
	ev_free(loop);
	free(token);
	cfg_free(&cfg);
	return rc;
}
