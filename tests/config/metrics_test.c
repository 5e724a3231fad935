/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/config/metrics_test.c: the metrics: section (Prometheus): URL,
 * token, TLS, channel label, query overrides, their errors, the dump, and
 * the token file refused when others may read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "tests/lib/unit.h"

static cfg_config cfg;
static cfg_errors errs;

#define SITE "sites: [{name: a, url: 'http://127.0.0.1:1'}]\n"

static int load(const char *yaml)
{
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	memset(&errs, 0, sizeof errs);
	return cfg_load_buffer("t.yaml", yaml, strlen(yaml), &cfg, &errs);
}

static int teardown(void **state)
{
	(void)state;
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	return 0;
}

static void has_error(const char *want)
{
	for (size_t i = 0; i < errs.n; i++)
		if (strstr(errs.msgs[i], want))
			return;
	for (size_t i = 0; i < errs.n; i++)
		print_message("# got: %s\n", errs.msgs[i]);
	print_message("# want: %s\n", want);
	fail();
}

static void test_absent(void **state)
{
	(void)state;
	assert_int_equal(load(SITE), 0);
	assert_null(cfg.metrics.prometheus);
}

static void test_full(void **state)
{
	(void)state;
	assert_int_equal(load(SITE "metrics:\n"
				   "  prometheus: https://prom.example:9090/\n"
				   "  token_env: PROM_TOKEN\n"
				   "  tls: {ca_file: /etc/ca.pem}\n"
				   "  channel_label: route\n"
				   "  queries:\n"
				   "    p95: 'max by (route) (x)'\n"),
			 0);
	assert_string_equal(cfg.metrics.prometheus, "https://prom.example:9090");
	assert_string_equal(cfg.metrics.token_env, "PROM_TOKEN");
	assert_string_equal(cfg.metrics.ca_file, "/etc/ca.pem");
	assert_string_equal(cfg.metrics.channel_label, "route");
	assert_string_equal(cfg.metrics.query[CFG_MQ_P95], "max by (route) (x)");
	assert_null(cfg.metrics.query[CFG_MQ_TPS]);

	/* the dump reads back the same */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cfg_dump(&cfg, f);
	fclose(f);
	assert_non_null(strstr(text, "channel_label: route"));
	cfg_config again;
	cfg_errors e2 = { 0 };
	assert_int_equal(cfg_load_buffer("d.yaml", text, len, &again, &e2), 0);
	assert_string_equal(again.metrics.query[CFG_MQ_P95], "max by (route) (x)");
	assert_string_equal(again.metrics.prometheus, cfg.metrics.prometheus);
	cfg_free(&again);
	cfg_errors_free(&e2);
	free(text);
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(load(SITE "metrics:\n"
				   "  prometheus: ftp://x\n"
				   "  channel_label: 9bad\n"
				   "  token_env: A\n"
				   "  token_file: /x\n"
				   "  queries: {tsp: up}\n"),
			 -1);
	has_error("must start with http:// or https://");
	has_error("'channel_label': '9bad' is not a Prometheus label name");
	has_error("token_env and token_file cannot both be set");
	has_error("unknown key 'tsp' in 'metrics.queries' (did you mean 'tps'?)");

	assert_int_equal(load(SITE "metrics: {token_env: A}\n"), -1);
	has_error("prometheus: (the base URL) is required");
	assert_int_equal(load(SITE "metrics:\n  prometheus: http://p:9090\n"
				   "  tls: {client_cert: /c.pem}\n"), -1);
	has_error("client_cert and client_key go together");
}

static void test_token_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/payops-mtok-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], yaml[512], err[512];
	snprintf(path, sizeof path, "%s/tok", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(" s3cret\n", f);
	fclose(f);
	snprintf(yaml, sizeof yaml,
		 SITE "metrics: {prometheus: 'http://p:9090', token_file: %s}\n",
		 path);
	assert_int_equal(load(yaml), 0);

	chmod(path, 0640);
	char *t = cfg_read_metrics_token(&cfg, err, sizeof err);
	assert_null(t);
	assert_non_null(strstr(err, "has mode 0640"));
	cfg_errors e = { 0 };
	assert_int_equal(cfg_check_files(&cfg, &e), -1);
	bool found = false;
	for (size_t i = 0; i < e.n; i++)
		found = found || strstr(e.msgs[i], "'metrics.token_file':");
	assert_true(found);
	cfg_errors_free(&e);

	chmod(path, 0600);
	t = cfg_read_metrics_token(&cfg, err, sizeof err);
	assert_non_null(t);
	assert_string_equal(t, "s3cret");
	free(t);

	/* none configured: no token and no error */
	assert_int_equal(load(SITE "metrics: {prometheus: 'http://p:9090'}\n"), 0);
	assert_null(cfg_read_metrics_token(&cfg, err, sizeof err));
	assert_string_equal(err, "");
	unlink(path);
	rmdir(dir);
}

UNIT_MAIN(NULL, NULL,
	cmocka_unit_test_teardown(test_absent, teardown),
	cmocka_unit_test_teardown(test_full, teardown),
	cmocka_unit_test_teardown(test_errors, teardown),
	cmocka_unit_test_teardown(test_token_file, teardown))
