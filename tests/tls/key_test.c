/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/tls/key_test.c: the config loader refuses a TLS client key that
 * group or others can read (or that is not a regular file), says which file
 * and how to fix it, and leaves a key that is not there yet to the TLS layer. */
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

static char dir[64];
static char keypath[128];
static cfg_config cfg;
static cfg_errors errs;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/payops-keytest-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(keypath, sizeof keypath, "%s/client.key", dir);
	memset(&errs, 0, sizeof errs);
	cfg_defaults(&cfg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(keypath);
	rmdir(keypath);
	rmdir(dir);
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	return 0;
}

static void make_key(mode_t mode)
{
	FILE *f = fopen(keypath, "w");
	assert_non_null(f);
	fputs("-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(keypath, mode), 0);
}

/* Load a config naming keypath as the client key; returns cfg_load_buffer's result. */
static int load(void)
{
	char yaml[512];
	int n = snprintf(yaml, sizeof yaml,
			 "sites:\n  - name: sh-a\n    url: https://127.0.0.1:1\n"
			 "tls:\n  client_cert: %s/client.pem\n  client_key: %s\n",
			 dir, keypath);
	assert_true(n > 0 && (size_t)n < sizeof yaml);
	return cfg_load_buffer("t.yaml", yaml, (size_t)n, &cfg, &errs);
}

static void test_key_0600_accepted(void **state)
{
	(void)state;
	make_key(0600);
	assert_int_equal(load(), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg.client_key, keypath);
}

static void test_key_0400_accepted(void **state)
{
	(void)state;
	make_key(0400);
	assert_int_equal(load(), 0);
	assert_int_equal(errs.n, 0);
}

static void expect_refused(mode_t mode, const char *mode_text)
{
	char want[256];
	make_key(mode);
	assert_int_equal(load(), -1);
	assert_int_equal(errs.n, 1);
	/* where, which file, its mode, and the fix */
	assert_non_null(strstr(errs.msgs[0], "t.yaml:6:15: 'client_key': "));
	snprintf(want, sizeof want, "%s has mode %s", keypath, mode_text);
	assert_non_null(strstr(errs.msgs[0], want));
	assert_non_null(strstr(errs.msgs[0], "group or others"));
	snprintf(want, sizeof want, "run: chmod 600 %s", keypath);
	assert_non_null(strstr(errs.msgs[0], want));
}

/* Group or others may read or write it: refused, each mode in its own
 * words (the config and its errors are reset between modes). */
static void test_key_open_to_others_refused(void **state)
{
	(void)state;
	static const struct {
		mode_t mode;
		const char *text;
	} modes[] = {
		{ 0640, "0640" }, /* group readable */
		{ 0604, "0604" }, /* world readable */
		{ 0644, "0644" },
		{ 0620, "0620" }, /* group writable */
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		expect_refused(modes[i].mode, modes[i].text);
		cfg_errors_free(&errs);
		cfg_free(&cfg);
	}
}

static void test_key_directory_refused(void **state)
{
	(void)state;
	assert_int_equal(mkdir(keypath, 0700), 0);
	assert_int_equal(load(), -1);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.msgs[0], "is not a regular file"));
}

static void test_key_missing_left_to_tls(void **state)
{
	(void)state;
	assert_int_equal(load(), 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg.client_key, keypath);
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_key_0600_accepted),
	UNIT_TEST(test_key_0400_accepted),
	UNIT_TEST(test_key_open_to_others_refused),
	UNIT_TEST(test_key_directory_refused),
	UNIT_TEST(test_key_missing_left_to_tls))
