/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/config/files_test.c: the token (file modes with real temp files, the
 * environment), XDG locations, and the list of files the console touches.
 * The token text must never show up in a message or a dump. */
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
#include "tests/config/capture.h"
#include "tests/lib/unit.h"

#define SECRET "s3cr3t-T0KEN-do-not-print"

static char dir[64];
static char tokpath[128];
static cfg_config cfg;
static char err[512];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/payops-cfgtest-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(tokpath, sizeof tokpath, "%s/token", dir);
	cfg_defaults(&cfg);
	err[0] = '\0';
	return 0;
}

static void rm(const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	unlink(p);
	rmdir(p);
}

static int teardown(void **state)
{
	(void)state;
	/* every name a test may have made, deepest first */
	rm("token");
	rm("xdg/payops/config.yaml");
	rm("xdg/payops");
	rm("xdg");
	rm("fifo");
	rmdir(dir);
	cfg_free(&cfg);
	return 0;
}

static void write_token_file(const char *content, mode_t mode)
{
	FILE *f = fopen(tokpath, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(tokpath, mode), 0);
	free(cfg.token_file);
	cfg.token_file = strdup(tokpath);
	assert_non_null(cfg.token_file);
}

/* Dump and paths: never the token, whatever the source. */
static void assert_dump_clean(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	assert_non_null(m);
	cfg_dump(&cfg, m);
	cfg_paths(&cfg, m);
	fclose(m);
	assert_null(strstr(text, SECRET));
	assert_null(strstr(text, "s3cr3t"));
	free(text);
}

static void test_token_file_0600(void **state)
{
	(void)state;
	write_token_file("\n  " SECRET "  \r\n\n", 0600);
	char *t = cfg_read_token(&cfg, err, sizeof err);
	assert_non_null(t);
	assert_string_equal(t, SECRET);
	assert_string_equal(err, "");
	free(t);
	assert_dump_clean();

	write_token_file(SECRET, 0400);
	t = cfg_read_token(&cfg, err, sizeof err);
	assert_non_null(t);
	assert_string_equal(t, SECRET);
	free(t);
}

static void test_token_file_modes_refused(void **state)
{
	(void)state;
	static const mode_t bad[] = { 0644, 0640, 0604, 0660, 0606, 0620 };
	char want[512];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_token_file(SECRET "\n", bad[i]);
		assert_null(cfg_read_token(&cfg, err, sizeof err));
		snprintf(want, sizeof want,
			 "token file %s has mode %04o: it must not be "
			 "accessible by group or others; run: chmod 600 %s",
			 tokpath, (unsigned)bad[i], tokpath);
		assert_string_equal(err, want);
		assert_null(strstr(err, SECRET));
	}
	assert_dump_clean();
}

static void test_token_file_not_regular(void **state)
{
	(void)state;
	char want[512];
	cfg.token_file = strdup(dir);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	snprintf(want, sizeof want,
		 "token file %s is a directory, not a regular file", dir);
	assert_string_equal(err, want);

	/* a FIFO is refused at once rather than waited on */
	char fifo[160];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	free(cfg.token_file);
	cfg.token_file = strdup(fifo);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	snprintf(want, sizeof want,
		 "token file %s is a special file, not a regular file", fifo);
	assert_string_equal(err, want);
}

static void test_token_file_missing(void **state)
{
	(void)state;
	char want[512];
	cfg.token_file = strdup(tokpath);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	snprintf(want, sizeof want,
		 "cannot open token file %s: No such file or directory (create "
		 "it with the token on one line and chmod 600 %s, or use "
		 "token_env)",
		 tokpath, tokpath);
	assert_string_equal(err, want);
}

static void test_token_file_content(void **state)
{
	(void)state;
	char want[512];
	write_token_file(" \n\t\n", 0600);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	snprintf(want, sizeof want, "token file %s is empty", tokpath);
	assert_string_equal(err, want);

	write_token_file("s3cr3t\x1b[2Jmore\n", 0600);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	snprintf(want, sizeof want,
		 "the token in token file %s contains a control character (at "
		 "byte 7)",
		 tokpath);
	assert_string_equal(err, want);
	assert_null(strstr(err, "s3cr3t"));

	/* exactly 4096 bytes is fine, one more is not */
	char *big = malloc(4098);
	assert_non_null(big);
	memset(big, 'x', 4096);
	big[4096] = '\n';
	big[4097] = '\0';
	write_token_file(big, 0600);
	char *t = cfg_read_token(&cfg, err, sizeof err);
	assert_non_null(t);
	assert_int_equal(strlen(t), 4096);
	free(t);
	big[4096] = 'x';
	write_token_file(big, 0600);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	snprintf(want, sizeof want,
		 "the token in token file %s is longer than 4096 bytes",
		 tokpath);
	assert_string_equal(err, want);
	free(big);

	char *huge = malloc(20001);
	assert_non_null(huge);
	memset(huge, 'y', 20000);
	huge[20000] = '\0';
	write_token_file(huge, 0600);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	assert_string_equal(err, want);
	free(huge);
}

static void test_token_env(void **state)
{
	(void)state;
	/* no source configured: PAYOPS_TOKEN */
	setenv("PAYOPS_TOKEN", "  " SECRET "\n", 1);
	char *t = cfg_read_token(&cfg, err, sizeof err);
	assert_non_null(t);
	assert_string_equal(t, SECRET);
	free(t);
	unsetenv("PAYOPS_TOKEN");
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	assert_string_equal(err, "environment variable PAYOPS_TOKEN is not set "
				 "(export it, or use token_file)");

	cfg.token_env = strdup("SHA_TOKEN");
	setenv("SHA_TOKEN", SECRET, 1);
	t = cfg_read_token(&cfg, err, sizeof err);
	assert_non_null(t);
	assert_string_equal(t, SECRET);
	free(t);
	assert_dump_clean();

	setenv("SHA_TOKEN", "   ", 1);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	assert_string_equal(err, "environment variable SHA_TOKEN is empty");

	setenv("SHA_TOKEN", SECRET "\x07", 1);
	assert_null(cfg_read_token(&cfg, err, sizeof err));
	assert_string_equal(err, "the token in environment variable SHA_TOKEN "
				 "contains a control character (at byte 26)");
	assert_null(strstr(err, "s3cr3t"));
	unsetenv("SHA_TOKEN");

	/* a token file wins over the environment only when configured */
	write_token_file(SECRET, 0600);
	free(cfg.token_env);
	cfg.token_env = NULL;
	setenv("PAYOPS_TOKEN", "other", 1);
	t = cfg_read_token(&cfg, err, sizeof err);
	assert_string_equal(t, SECRET);
	free(t);
	unsetenv("PAYOPS_TOKEN");
}

static void test_token_via_loaded_config(void **state)
{
	(void)state;
	write_token_file(SECRET, 0644);
	char yaml[512];
	snprintf(yaml, sizeof yaml,
		 "sites:\n  - {name: a, url: \"http://h\"}\ntoken_file: %s\n",
		 tokpath);
	cfg_config c;
	cfg_errors e = { 0 };
	assert_int_equal(cfg_load_buffer("t.yaml", yaml, strlen(yaml), &c, &e),
			 0);
	assert_null(cfg_read_token(&c, err, sizeof err));
	assert_non_null(strstr(err, "has mode 0644"));
	assert_null(strstr(err, SECRET));
	cfg_free(&c);
	cfg_errors_free(&e);
}

static void test_find(void **state)
{
	(void)state;
	char searched[1024], want[1024], xdg[128], file[192];
	snprintf(xdg, sizeof xdg, "%s/xdg", dir);
	snprintf(file, sizeof file, "%s/payops/config.yaml", xdg);
	unsetenv("PAYOPS_CONFIG");
	setenv("XDG_CONFIG_HOME", xdg, 1);

	/* nothing there yet: NULL, and where it looked */
	char *p = cfg_find(NULL, searched, sizeof searched);
	if (p) { /* a system-wide file on this machine: still a user file test */
		assert_string_equal(p, "/etc/payops/config.yaml");
		free(p);
	}
	snprintf(want, sizeof want,
		 "%s (user), /etc/payops/config.yaml (system)", file);
	assert_string_equal(searched, want);

	assert_int_equal(mkdir(xdg, 0700), 0);
	char sub[160];
	snprintf(sub, sizeof sub, "%s/payops", xdg);
	assert_int_equal(mkdir(sub, 0700), 0);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	p = cfg_find(NULL, searched, sizeof searched);
	assert_non_null(p);
	assert_string_equal(p, file);
	free(p);

	/* relative XDG_CONFIG_HOME is ignored: ~/.config instead */
	setenv("XDG_CONFIG_HOME", "rel/dir", 1);
	setenv("HOME", dir, 1);
	p = cfg_find(NULL, searched, sizeof searched);
	free(p);
	snprintf(want, sizeof want,
		 "%s/.config/payops/config.yaml (user), "
		 "/etc/payops/config.yaml (system)",
		 dir);
	assert_string_equal(searched, want);
	setenv("XDG_CONFIG_HOME", xdg, 1);

	/* $PAYOPS_CONFIG, then --config, each without fallback */
	setenv("PAYOPS_CONFIG", "/nonexistent/payops.yaml", 1);
	p = cfg_find(NULL, searched, sizeof searched);
	assert_null(p);
	assert_string_equal(searched,
			    "/nonexistent/payops.yaml ($PAYOPS_CONFIG)");
	p = cfg_find(file, searched, sizeof searched);
	assert_non_null(p);
	assert_string_equal(p, file);
	free(p);
	snprintf(want, sizeof want, "%s (--config)", file);
	assert_string_equal(searched, want);
	unsetenv("PAYOPS_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
}

static void test_state_and_cache_paths(void **state)
{
	(void)state;
	setenv("HOME", "/home/op", 1);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
	char *a = cfg_audit_path(&cfg), *c = cfg_cache_dir(&cfg);
	assert_string_equal(a, "/home/op/.local/state/payops/audit.db");
	assert_string_equal(c, "/home/op/.cache/payops");
	free(a);
	free(c);

	setenv("XDG_STATE_HOME", "/var/xs", 1);
	setenv("XDG_CACHE_HOME", "/var/xc", 1);
	a = cfg_audit_path(NULL);
	c = cfg_cache_dir(NULL);
	assert_string_equal(a, "/var/xs/payops/audit.db");
	assert_string_equal(c, "/var/xc/payops");
	free(a);
	free(c);

	/* empty counts as unset */
	setenv("XDG_STATE_HOME", "", 1);
	a = cfg_audit_path(&cfg);
	assert_string_equal(a, "/home/op/.local/state/payops/audit.db");
	free(a);

	/* the file's own choice wins */
	cfg.audit_db = strdup("/srv/audit.db");
	cfg.cache_dir = strdup("/srv/cache");
	a = cfg_audit_path(&cfg);
	c = cfg_cache_dir(&cfg);
	assert_string_equal(a, "/srv/audit.db");
	assert_string_equal(c, "/srv/cache");
	free(a);
	free(c);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
}

static void test_paths_listing(void **state)
{
	(void)state;
	setenv("HOME", "/home/op", 1);
	unsetenv("XDG_STATE_HOME");
	setenv("XDG_CACHE_HOME", "/xc", 1);
	const char *yaml = "sites:\n  - {name: a, url: \"https://h\"}\n"
			   "token_file: ~/tok\n"
			   "tls: {ca_file: /ca.pem, client_cert: /c.pem, "
			   "client_key: /c.key}\n";
	cfg_config c;
	cfg_errors e = { 0 };
	assert_int_equal(cfg_load_buffer("/etc/payops/config.yaml", yaml,
					 strlen(yaml), &c, &e),
			 0);
	char *text = cfg_capture(cfg_paths, &c);
	assert_string_equal(text,
			    "config: /etc/payops/config.yaml\n"
			    "token_file: /home/op/tok\n"
			    "audit_db: /home/op/.local/state/payops/audit.db\n"
			    "cache_dir: /xc/payops\n"
			    "ca_file: /ca.pem\n"
			    "client_cert: /c.pem\n"
			    "client_key: /c.key\n");
	free(text);
	cfg_free(&c);
	cfg_errors_free(&e);
	unsetenv("XDG_CACHE_HOME");
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_token_file_0600),
	UNIT_TEST(test_token_file_modes_refused),
	UNIT_TEST(test_token_file_not_regular),
	UNIT_TEST(test_token_file_missing),
	UNIT_TEST(test_token_file_content),
	UNIT_TEST(test_token_env),
	UNIT_TEST(test_token_via_loaded_config),
	UNIT_TEST(test_find),
	UNIT_TEST(test_state_and_cache_paths),
	UNIT_TEST(test_paths_listing))
