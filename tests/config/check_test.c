/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/config/check_test.c: --check-config looks at the files the
 * configuration names as the start would (real temp files): what the start
 * refuses is an error here too, at the FILE:LINE:COL of the key that names
 * the file; a clean configuration passes and nothing is created. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "tests/lib/unit.h"

#define SECRET "s3cr3t-T0KEN-do-not-print"

static char dir[64];
static cfg_config cfg;
static cfg_errors errs;

static void path_of(char *out, size_t sz, const char *name)
{
	snprintf(out, sz, "%s/%s", dir, name);
}

static void put_file(const char *name, const char *content, mode_t mode)
{
	char p[256];
	path_of(p, sizeof p, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/payops-cfgcheck-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	memset(&errs, 0, sizeof errs);
	cfg_defaults(&cfg);
	/* the default audit log and cache under the test's directory */
	char p[256];
	path_of(p, sizeof p, "state");
	setenv("XDG_STATE_HOME", p, 1);
	path_of(p, sizeof p, "cache");
	setenv("XDG_CACHE_HOME", p, 1);
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	/* the test's directory and all in it, depth first, without a shell */
	assert_int_equal(nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	return 0;
}

/* Load `yaml` (each "%D" becomes the test's directory) as t.yaml, which must
 * load cleanly, then check its files: the number of errors. */
static size_t check(const char *yaml)
{
	char text[2048];
	size_t o = 0;
	for (const char *s = yaml; *s && o + 70 < sizeof text; s++) {
		if (s[0] == '%' && s[1] == 'D') {
			o += (size_t)snprintf(text + o, sizeof text - o, "%s", dir);
			s++;
		} else {
			text[o++] = *s;
		}
	}
	text[o] = '\0';
	cfg_errors le = { 0 };
	assert_int_equal(cfg_load_buffer("t.yaml", text, strlen(text), &cfg, &le), 0);
	assert_int_equal(le.n, 0);
	cfg_errors_free(&le);
	int rc = cfg_check_files(&cfg, &errs);
	assert_int_equal(rc, errs.n ? -1 : 0);
	for (size_t i = 0; i < errs.n; i++)
		assert_null(strstr(errs.msgs[i], SECRET));
	return errs.n;
}

#define SITES "sites:\n  - {name: a, url: \"http://h\"}\n"

/* The report: the start took a 0644 token file until it refused it. */
static void test_token_file_mode(void **state)
{
	(void)state;
	put_file("token", SECRET "\n", 0644);
	assert_int_equal(check(SITES "token_file: %D/token\n"), 1);
	assert_non_null(strstr(errs.msgs[0], "t.yaml:3:1: 'token_file': "));
	assert_non_null(strstr(errs.msgs[0], "has mode 0644"));
	assert_non_null(strstr(errs.msgs[0], "chmod 600"));
}

static void test_token_file_missing_or_not_a_file(void **state)
{
	(void)state;
	assert_int_equal(check(SITES "poll_interval: 2s\ntoken_file: %D/nope\n"), 1);
	assert_non_null(strstr(errs.msgs[0], "t.yaml:4:1: 'token_file': cannot open"));
	cfg_errors_free(&errs);
	cfg_free(&cfg);
	char p[256];
	path_of(p, sizeof p, "tokdir");
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(check(SITES "token_file: %D/tokdir\n"), 1);
	assert_non_null(strstr(errs.msgs[0], "t.yaml:3:1: 'token_file': "));
	assert_non_null(strstr(errs.msgs[0], "a directory, not a regular file"));
}

static void test_clean_passes_and_creates_nothing(void **state)
{
	(void)state;
	put_file("token", SECRET "\n", 0600);
	put_file("ca.pem", "-----BEGIN CERTIFICATE-----\n", 0644);
	assert_int_equal(check(SITES "token_file: %D/token\n"
				     "audit:\n  db: %D/new/dirs/audit.db\n"
				     "cache_dir: %D/new/cache\n"
				     "tls:\n  ca_file: %D/ca.pem\n"), 0);
	struct stat st;
	char p[256];
	path_of(p, sizeof p, "new");
	assert_int_not_equal(stat(p, &st), 0); /* nothing was created */
	/* the token is read from the environment at the start, not here */
	cfg_free(&cfg);
	unsetenv("PAYOPS_NO_SUCH_TOKEN");
	assert_int_equal(check(SITES "token_env: PAYOPS_NO_SUCH_TOKEN\n"), 0);
}

static void test_tls_files(void **state)
{
	(void)state;
	char p[256];
	path_of(p, sizeof p, "certdir");
	assert_int_equal(mkdir(p, 0700), 0);
	put_file("key.pem", "k", 0600);
	assert_int_equal(check(SITES "tls:\n  ca_file: %D/missing.pem\n"
				     "  client_cert: %D/certdir\n"
				     "  client_key: %D/key.pem\n"), 2);
	assert_non_null(strstr(errs.msgs[0], "t.yaml:4:3: 'tls.ca_file': cannot read"));
	assert_non_null(strstr(errs.msgs[0], "No such file or directory"));
	assert_non_null(strstr(errs.msgs[1], "t.yaml:5:3: 'tls.client_cert': "));
	assert_non_null(strstr(errs.msgs[1], "is a directory, not a regular file"));
}

static void test_audit_and_cache_not_creatable(void **state)
{
	(void)state;
	put_file("plain", "x", 0600);
	assert_int_equal(check(SITES "cache_dir: %D/plain/cache\n"
				     "audit:\n  forward: syslog\n  db: %D/plain/log/audit.db\n"), 2);
	assert_non_null(strstr(errs.msgs[0], "t.yaml:3:1: 'cache_dir': "));
	assert_non_null(strstr(errs.msgs[0], "/plain is not a directory"));
	assert_non_null(strstr(errs.msgs[1], "t.yaml:6:3: 'audit.db': "));
	assert_non_null(strstr(errs.msgs[1], "cannot be created"));
	assert_non_null(strstr(errs.msgs[1], "/plain is not a directory"));
	cfg_errors_free(&errs);
	cfg_free(&cfg);
	/* an audit log that is a directory */
	char p[256];
	path_of(p, sizeof p, "logdir");
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(check(SITES "audit:\n  db: %D/logdir\n"), 1);
	assert_non_null(strstr(errs.msgs[0], "t.yaml:4:3: 'audit.db': "));
	assert_non_null(strstr(errs.msgs[0], "is not a regular file"));
}

/* Default paths have no key: the error names the file only. */
static void test_default_paths(void **state)
{
	(void)state;
	char p[256];
	put_file("plain", "x", 0600);
	path_of(p, sizeof p, "plain/state");
	setenv("XDG_STATE_HOME", p, 1);
	path_of(p, sizeof p, "plain/cache");
	setenv("XDG_CACHE_HOME", p, 1);
	assert_int_equal(check(SITES "token_env: PAYOPS_TOKEN\n"), 2);
	assert_non_null(strstr(errs.msgs[0], "t.yaml: the audit log: "));
	assert_non_null(strstr(errs.msgs[1], "t.yaml: the cache: "));
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_token_file_mode),
	UNIT_TEST(test_token_file_missing_or_not_a_file),
	UNIT_TEST(test_clean_passes_and_creates_nothing),
	UNIT_TEST(test_tls_files),
	UNIT_TEST(test_audit_and_cache_not_creatable),
	UNIT_TEST(test_default_paths))
