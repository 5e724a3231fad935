/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/config/load_test.c: payops.yaml parsing, every key, every class of
 * error with its exact position, suggestions, durations, the dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "tests/config/capture.h"
#include "tests/lib/unit.h"

static cfg_config cfg;
static cfg_errors errs;

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof cfg);
	memset(&errs, 0, sizeof errs);
	setenv("HOME", "/home/op", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	return 0;
}

static int load(const char *yaml)
{
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	return cfg_load_buffer("t.yaml", yaml, strlen(yaml), &cfg, &errs);
}

static void dump_errors(void)
{
	for (size_t i = 0; i < errs.n; i++)
		print_message("# got: %s\n", errs.msgs[i]);
}

/* The errors are exactly these, in this order. */
static void expect_errors(const char *first, ...)
{
	va_list ap;
	size_t i = 0;
	va_start(ap, first);
	for (const char *want = first; want; want = va_arg(ap, const char *)) {
		if (i >= errs.n || strcmp(errs.msgs[i], want) != 0) {
			dump_errors();
			print_message("# want[%zu]: %s\n", i, want);
			fail();
		}
		i++;
	}
	va_end(ap);
	if (i != errs.n)
		dump_errors();
	assert_int_equal(i, errs.n);
}

static void expect_one(const char *yaml, const char *msg)
{
	assert_int_equal(load(yaml), -1);
	expect_errors(msg, NULL);
}

#define SITE "sites:\n  - name: a\n    url: http://h\n"

static void test_minimal(void **state)
{
	(void)state;
	assert_int_equal(load("sites:\n"
			      "  - name: sh-a\n"
			      "    url: http://127.0.0.1:8780\n"
			      "token_env: PAYOPS_TOKEN        # or token_file\n"
			      "poll_interval: 2s\n"),
			 0);
	assert_int_equal(errs.n, 0);
	assert_string_equal(cfg.path, "t.yaml");
	assert_int_equal(cfg.n_sites, 1);
	assert_string_equal(cfg.sites[0].name, "sh-a");
	assert_string_equal(cfg.sites[0].url, "http://127.0.0.1:8780");
	assert_string_equal(cfg.token_env, "PAYOPS_TOKEN");
	assert_null(cfg.token_file);
	assert_int_equal(cfg.poll_interval_ms, 2000);
	/* defaults for everything else */
	assert_int_equal(cfg.slow_poll_interval_ms, 10000);
	assert_int_equal(cfg.resync_interval_ms, 120000);
	assert_int_equal(cfg.request_timeout_ms, 10000);
	assert_int_equal(cfg.stale_after_ms, 6000);
	assert_true(cfg.warn_success_rate == 0.995);
	assert_true(cfg.crit_success_rate == 0.98);
	assert_int_equal(cfg.warn_p95_ms, 500);
	assert_int_equal(cfg.crit_p95_ms, 1500);
	assert_int_equal(cfg.disabled_for_ms, 3600000);
	assert_int_equal(cfg.fwd_behind_rows, 100);
	assert_int_equal(cfg.fwd_behind_ms, 300000);
	assert_true(cfg.allow_limits_breached == 0 && cfg.allow_breaks_high == 0);
	assert_false(cfg.read_only);
	assert_false(cfg.ticket_required);
	assert_true(cfg.confirm_share == 0.05);
	assert_true(cfg.bell);
	assert_null(cfg.audit_db);
	assert_null(cfg.cache_dir);
	assert_int_equal(cfg.n_alertmanagers, 0);
	assert_int_equal(cfg.n_keys, 0);
}

static const char full_yaml[] =
	"sites:\n"
	"  - name: sh-a\n"
	"    url: https://sh-a.pay.example:8443/\n"
	"  - name: fra_b.2\n"
	"    url: \"http://[::1]:8781//\"\n"
	"token_file: ~/.config/payops/token\n"
	"poll_interval: 1s\n"
	"slow_poll_interval: 1m\n"
	"resync_interval: 5m\n"
	"request_timeout: 1500ms\n"
	"stale_after: 1h30m\n"
	"thresholds:\n"
	"  warn_success_rate: 0.99\n"
	"  crit_success_rate: .9\n"
	"  warn_p95: 250ms\n"
	"  crit_p95: 2s\n"
	"  disabled_for: 30m\n"
	"  audit_forward_rows: 7\n"
	"  audit_forward_age: 90s\n"
	"  limits_breached: 1\n"
	"  limits_warning: 2\n"
	"  cases_late: 3\n"
	"  breaks_high: 4\n"
	"read_only: yes\n"
	"ticket_required: True\n"
	"confirm_share: 0.1\n"
	"audit:\n"
	"  db: $HOME/state/audit.db\n"
	"  forward: tcp://logs.example:6514\n"
	"cache_dir: ${HOME}/cache\n"
	"tls:\n"
	"  ca_file: /etc/payops/ca.pem\n"
	"  client_cert: /etc/payops/client.pem\n"
	"  client_key: /etc/payops/client.key\n"
	"alertmanagers:\n"
	"  - name: am-1\n"
	"    url: http://127.0.0.1:9093\n"
	"  - {name: am-2, url: \"https://am.example/\"}\n"
	"bell: no\n"
	"keys:\n"
	"  j: down\n"
	"  C-l: redraw\n"
	"  \"?\": help\n"
	"  reroute: {n: member_next, \"+\": none}\n";

/* A named endpoint (a site, an Alertmanager) as loaded. */
static void check_named(const char *name, const char *url, const char *want_name,
			const char *want_url)
{
	assert_string_equal(name, want_name);
	assert_string_equal(url, want_url);
}

static void check_full(void)
{
	assert_int_equal(cfg.n_sites, 2);
	check_named(cfg.sites[0].name, cfg.sites[0].url, "sh-a", "https://sh-a.pay.example:8443");
	check_named(cfg.sites[1].name, cfg.sites[1].url, "fra_b.2", "http://[::1]:8781");
	assert_null(cfg.token_env);
	assert_string_equal(cfg.token_file, "/home/op/.config/payops/token");
	assert_int_equal(cfg.poll_interval_ms, 1000);
	assert_int_equal(cfg.slow_poll_interval_ms, 60000);
	assert_int_equal(cfg.resync_interval_ms, 300000);
	assert_int_equal(cfg.request_timeout_ms, 1500);
	assert_int_equal(cfg.stale_after_ms, 5400000);
	assert_true(cfg.warn_success_rate > 0.98999 &&
		    cfg.warn_success_rate < 0.99001);
	assert_true(cfg.crit_success_rate > 0.89999 &&
		    cfg.crit_success_rate < 0.90001);
	assert_int_equal(cfg.warn_p95_ms, 250);
	assert_int_equal(cfg.crit_p95_ms, 2000);
	assert_int_equal(cfg.disabled_for_ms, 1800000);
	assert_int_equal(cfg.fwd_behind_rows, 7);
	assert_int_equal(cfg.fwd_behind_ms, 90000);
	assert_true(cfg.allow_limits_breached == 1 && cfg.allow_limits_warning == 2 &&
		    cfg.allow_cases_late == 3 && cfg.allow_breaks_high == 4);
	assert_true(cfg.read_only);
	assert_true(cfg.ticket_required);
	assert_true(cfg.confirm_share > 0.09999 && cfg.confirm_share < 0.10001);
	assert_string_equal(cfg.audit_db, "/home/op/state/audit.db");
	assert_string_equal(cfg.audit_forward, "tcp://logs.example:6514");
	assert_string_equal(cfg.cache_dir, "/home/op/cache");
	assert_string_equal(cfg.ca_file, "/etc/payops/ca.pem");
	assert_string_equal(cfg.client_cert, "/etc/payops/client.pem");
	assert_string_equal(cfg.client_key, "/etc/payops/client.key");
	assert_int_equal(cfg.n_alertmanagers, 2);
	check_named(cfg.alertmanagers[0].name, cfg.alertmanagers[0].url, "am-1",
		    "http://127.0.0.1:9093");
	check_named(cfg.alertmanagers[1].name, cfg.alertmanagers[1].url, "am-2",
		    "https://am.example");
	assert_false(cfg.bell);
	assert_int_equal(cfg.n_keys, 5);
	static const struct {
		const char *mode, *key, *action;
	} keys[] = {
		{ NULL, "j", "down" },
		{ NULL, "C-l", "redraw" },
		{ NULL, "?", "help" },
		{ "reroute", "n", "member_next" },
		{ "reroute", "+", "none" },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].mode)
			assert_string_equal(cfg.keys[i].mode, keys[i].mode);
		else
			assert_null(cfg.keys[i].mode);
		assert_string_equal(cfg.keys[i].key, keys[i].key);
		assert_string_equal(cfg.keys[i].action, keys[i].action);
	}
}

static void test_every_key(void **state)
{
	(void)state;
	int rc = load(full_yaml);
	if (rc)
		dump_errors();
	assert_int_equal(rc, 0);
	check_full();
	/* where each binding was written, for the console's later messages */
	assert_int_equal(cfg.keys[0].line, 41);
	assert_int_equal(cfg.keys[0].col, 3);
	assert_int_equal(cfg.keys[2].line, 43);
	assert_int_equal(cfg.keys[2].col, 3);
}

static void test_dump_round_trip(void **state)
{
	(void)state;
	assert_int_equal(load(full_yaml), 0);
	char *text = cfg_capture(cfg_dump, &cfg);
	assert_non_null(strstr(text, "stale_after: 1h30m\n"));
	assert_non_null(strstr(text, "token_file: /home/op/.config/payops/token\n"));
	/* what the dump says is what loads */
	int rc = load(text);
	if (rc)
		dump_errors();
	assert_int_equal(rc, 0);
	check_full();
	free(text);
}

static void test_dump_defaults(void **state)
{
	(void)state;
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	setenv("XDG_CACHE_HOME", "/xdg/cache", 1);
	assert_int_equal(load(SITE "poll_interval: 5s\n"), 0);
	char *text = cfg_capture(cfg_dump, &cfg);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
	assert_non_null(strstr(text, "token_env: PAYOPS_TOKEN\n"));
	assert_non_null(strstr(text, "stale_after: 15s\n")); /* 3x poll */
	assert_non_null(strstr(text, "  db: /xdg/state/payops/audit.db\n"));
	assert_non_null(strstr(text, "cache_dir: /xdg/cache/payops\n"));
	assert_non_null(strstr(text, "  crit_p95: 1500ms\n"));
	assert_non_null(strstr(text, "  audit_forward_rows: 100\n"));
	assert_non_null(strstr(text, "  disabled_for: 1h\n"));
	assert_non_null(strstr(text, "bell: true\n"));
	assert_non_null(strstr(text, "mouse: true\n"));
	free(text);
}

static void test_many_errors_positions(void **state)
{
	(void)state;
	assert_int_equal(load("sites:\n"
			      "  - name: a\n"
			      "    url: ftp://x\n"
			      "poll_intervall: 2s\n"
			      "request_timeout: 2\n"
			      "thresholds:\n"
			      "  warn_success_rate: 1.5\n"
			      "read_only: maybe\n"
			      "read_only: true\n"
			      "bell: [1]\n"),
			 -1);
	expect_errors(
		"t.yaml:3:10: url 'ftp://x' must start with http:// or https://",
		"t.yaml:4:1: unknown key 'poll_intervall' (did you mean "
		"'poll_interval'?)",
		"t.yaml:5:18: 'request_timeout': '2' has no unit; write a "
		"duration such as '10s' (units: ms, s, m, h)",
		"t.yaml:7:22: 'warn_success_rate' must be from 0 to 1, not 1.5 "
		"(a fraction: 0.995 means 99.5%)",
		"t.yaml:8:12: 'read_only' must be true or false (or yes/no), "
		"not 'maybe'",
		"t.yaml:9:1: duplicate key 'read_only' (first at 8:1)",
		"t.yaml:10:7: expected true or false for 'bell', found a list",
		NULL);
	/* what was right still loaded; what was wrong kept its default */
	assert_int_equal(cfg.request_timeout_ms, 10000);
	assert_false(cfg.read_only);
	assert_int_equal(cfg.n_sites, 0);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_one("sites: [\n",
		   "t.yaml:2:1: YAML syntax error: did not find expected node "
		   "content (while parsing a flow node at 2:1)");
	expect_one(SITE "poll_interval: a: b\n",
		   "t.yaml:4:17: YAML syntax error: mapping values are not "
		   "allowed in this context");
	expect_one(SITE "  bad indent: 1\n",
		   "t.yaml:4:3: YAML syntax error: did not find expected '-' "
		   "indicator (while parsing a block collection at 2:3)");
	expect_one("sites: \"\xff\"\n",
		   "t.yaml:1:9: invalid leading UTF-8 octet (the file must be "
		   "UTF-8 text)");
}

static void test_empty_and_shapes(void **state)
{
	(void)state;
	const char *msg = "t.yaml:1:1: the file is empty: at least 'sites' is "
			  "required";
	expect_one("", msg);
	expect_one("# nothing but a comment\n\n", msg);
	expect_one("---\n", msg);
	expect_one("- a\n- b\n", "t.yaml:1:1: expected keys such as 'sites:' at "
				 "the top level, found a list");
	expect_one("poll_interval: 2s\n",
		   "t.yaml:1:1: missing required key 'sites' (a list of name: "
		   "and url:)");
	expect_one("sites: {a: b}\n",
		   "t.yaml:1:8: expected a list of sites, found a mapping");
	expect_one("sites:\n", "t.yaml:1:1: expected a list of sites, found "
			       "nothing");
	expect_one("sites: []\n", "t.yaml:1:8: 'sites' needs at least one site");
	expect_one("sites:\n  - just-a-name\n",
		   "t.yaml:2:5: expected a site (name: and url:), found a "
		   "single value");
	expect_one(SITE "? [a]\n: b\n",
		   "t.yaml:4:3: expected a key name here, found a list");
	expect_one(SITE "---\nsites: []\n",
		   "t.yaml:4:1: a second YAML document: the configuration is "
		   "one document");
}

static void test_suggestions(void **state)
{
	(void)state;
	expect_one(SITE "poll_intervall: 2s\n",
		   "t.yaml:4:1: unknown key 'poll_intervall' (did you mean "
		   "'poll_interval'?)");
	expect_one(SITE "Read-Only: true\n",
		   "t.yaml:4:1: unknown key 'Read-Only' (did you mean "
		   "'read_only'?)");
	expect_one(SITE "tsl: {}\n",
		   "t.yaml:4:1: unknown key 'tsl' (did you mean 'tls'?)");
	/* nothing close: no guess */
	expect_one(SITE "colour_scheme: dark\n",
		   "t.yaml:4:1: unknown key 'colour_scheme'");
	expect_one(SITE "x: 1\n", "t.yaml:4:1: unknown key 'x'");
	/* nested sections suggest from their own keys */
	expect_one(SITE "thresholds:\n  warn_p59: 1s\n",
		   "t.yaml:5:3: unknown key 'warn_p59' in 'thresholds' (did "
		   "you mean 'warn_p95'?)");
	expect_one("sites:\n  - nmae: a\n    url: http://h\n",
		   "t.yaml:2:5: unknown key 'nmae' in 'sites' (did you mean "
		   "'name'?)");
	/* right key, wrong level */
	expect_one(SITE "ca_file: /ca.pem\n",
		   "t.yaml:4:1: unknown key 'ca_file' (it belongs under 'tls')");
	expect_one(SITE "tls:\n  bell: true\n",
		   "t.yaml:5:3: unknown key 'bell' in 'tls' (it is a top-level "
		   "key: check the indentation)");
}

static void test_durations(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		long ms;
	} cases[] = {
		{ "500ms", 500 }, { "2s", 2000 },     { "1m", 60000 },
		{ "1h30m", 5400000 }, { "1m30s", 90000 }, { "1s500ms", 1500 },
		{ "0s", 0 },      { "2", -1 },        { "", -1 },
		{ "2 s", -1 },    { "1.5s", -1 },     { "-1s", -1 },
		{ "1m1h", -1 },   { "1s1s", -1 },     { "2S", -1 },
		{ "s", -1 },      { "10d", -1 },      { "999999999999h", -1 },
		{ "169h", -1 },   { "168h", 604800000 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long got = cfg_parse_duration_ms(cases[i].in);
		if (got != cases[i].ms)
			print_message("# '%s': got %ld want %ld\n", cases[i].in,
				      got, cases[i].ms);
		assert_int_equal(got, cases[i].ms);
	}
	assert_int_equal(cfg_parse_duration_ms(NULL), -1);

	expect_one(SITE "thresholds: {cases_late: -1}\n",
		   "t.yaml:4:26: 'cases_late': '-1' is not a whole number");
	expect_one(SITE "thresholds: {disabled_for: 8d}\n",
		   "t.yaml:4:28: 'disabled_for' must be between 0s and 1w, not more "
		   "than a week");
	expect_one(SITE "thresholds: {warn_p95: 500}\n",
		   "t.yaml:4:24: 'warn_p95': '500' has no unit; write a "
		   "duration such as '500ms' (units: ms, s, m, h)");
	expect_one(SITE "poll_interval: 1.5s\n",
		   "t.yaml:4:16: 'poll_interval': '1.5s' has a fraction; write "
		   "whole units such as '1500ms' or '1m30s'");
	expect_one(SITE "poll_interval: fast\n",
		   "t.yaml:4:16: 'poll_interval': 'fast' is not a duration; "
		   "write e.g. '500ms', '2s', '1m' or '1h30m'");
	expect_one(SITE "poll_interval: 50ms\n",
		   "t.yaml:4:16: 'poll_interval' must be between 100ms and 1h, "
		   "not 50ms");
	expect_one(SITE "request_timeout: 400h\n",
		   "t.yaml:4:18: 'request_timeout' must be between 100ms and "
		   "10m, not more than a week");
	expect_one(SITE "poll_interval:\n",
		   "t.yaml:4:1: 'poll_interval' has no value (expected a "
		   "duration)");
	/* stale_after follows poll_interval unless set, and must exceed it */
	assert_int_equal(load(SITE "poll_interval: 10s\n"), 0);
	assert_int_equal(cfg.stale_after_ms, 30000);
	expect_one(SITE "stale_after: 1s\npoll_interval: 2s\n",
		   "t.yaml:4:14: stale_after (1s) must be longer than "
		   "poll_interval (2s)");
}

static void test_rates_and_bools(void **state)
{
	(void)state;
	expect_one(SITE "thresholds:\n  warn_success_rate: 0.9\n",
		   "t.yaml:5:22: warn_success_rate (0.9) must be at least "
		   "crit_success_rate (0.98)");
	expect_one(SITE "thresholds:\n  warn_p95: 2s\n  crit_p95: 1s\n",
		   "t.yaml:6:13: warn_p95 (2s) must not be above crit_p95 (1s)");
	expect_one(SITE "confirm_share: 5%\n",
		   "t.yaml:4:16: 'confirm_share': write a fraction from 0 to 1 "
		   "instead of a percentage ('5%')");
	expect_one(SITE "confirm_share: -0.1\n",
		   "t.yaml:4:16: 'confirm_share': '-0.1' is not a number from 0 "
		   "to 1");
	expect_one(SITE "confirm_share: 150\n",
		   "t.yaml:4:16: 'confirm_share' must be from 0 to 1, not 150");
	expect_one(SITE "thresholds: 0.9\n",
		   "t.yaml:4:13: expected a mapping of thresholds for "
		   "'thresholds', found a single value");
	assert_int_equal(load(SITE "confirm_share: 1\nread_only: No\n"
				   "bell: YES\nticket_required: false\n"),
			 0);
	assert_true(cfg.confirm_share == 1.0);
	assert_false(cfg.read_only);
	assert_true(cfg.bell);
	/* a decimal point, whatever the locale */
	assert_int_equal(load(SITE "confirm_share: 0.25\n"), 0);
	assert_true(cfg.confirm_share == 0.25);
	assert_true(cfg.mouse); /* the mouse is on unless turned off */
	assert_int_equal(load(SITE "mouse: false\n"), 0);
	assert_false(cfg.mouse);
	expect_one(SITE "bell: on\n",
		   "t.yaml:4:7: 'bell' must be true or false (or yes/no), not "
		   "'on'");
}

static void test_sites_and_urls(void **state)
{
	(void)state;
	expect_one("sites:\n  - {name: a, url: \"http://h\"}\n"
		   "  - {name: a, url: \"http://g\"}\n",
		   "t.yaml:3:12: duplicate site name 'a' (first at 2:12)");
	expect_one("sites:\n  - {name: \"a b\", url: \"http://h\"}\n",
		   "t.yaml:2:12: name 'a b' must be 1 to 32 letters, digits, "
		   "'.', '_' or '-'");
	expect_one("sites:\n  - name: a\n",
		   "t.yaml:2:5: site 'a' has no 'url'");
	expect_one("sites:\n  - url: http://h\n",
		   "t.yaml:2:5: site has no 'name'");
	expect_one("sites:\n  - {name: a, url: \"http://h/v1/\"}\n",
		   "t.yaml:2:20: url 'http://h/v1/' ends in /v1: give the base "
		   "URL, payops adds /v1 itself");
	expect_one("sites:\n  - {name: a, url: \"http://h:0\"}\n",
		   "t.yaml:2:20: url 'http://h:0' has no valid host[:port]");
	expect_one("sites:\n  - {name: a, url: \"http://\"}\n",
		   "t.yaml:2:20: url 'http://' has no valid host[:port]");
	expect_one("sites:\n  - {name: a, url: \"http://h/?x=1\"}\n",
		   "t.yaml:2:20: url 'http://h/?x=1' must not have a query or "
		   "fragment");
	/* credentials are refused without being repeated */
	assert_int_equal(load("sites:\n  - {name: a, url: "
			      "\"https://op:hunter2@h\"}\n"),
			 -1);
	expect_errors("t.yaml:2:20: the url must not contain credentials "
		      "(user@host); use token_env or token_file",
		      NULL);

	char yaml[2048];
	size_t o = (size_t)snprintf(yaml, sizeof yaml, "sites:\n");
	for (int i = 0; i < 9; i++)
		o += (size_t)snprintf(yaml + o, sizeof yaml - o,
				      "  - {name: s%d, url: \"http://h%d\"}\n",
				      i, i);
	expect_one(yaml, "t.yaml:10:5: too many sites (at most 8)");
	assert_int_equal(cfg.n_sites, 8);
	assert_string_equal(cfg.sites[7].url, "http://h7");
}

static void test_token_source_keys(void **state)
{
	(void)state;
	expect_one(SITE "token_env: A\ntoken_file: /t\n",
		   "t.yaml:5:1: token_env and token_file cannot both be set "
		   "(the other is at 4:1): keep one");
	/* someone pasted the token where the variable name goes */
	assert_int_equal(load(SITE "token_env: sk-live-1234abcd\n"), -1);
	expect_errors("t.yaml:4:12: 'token_env' must be the name of an "
		      "environment variable (letters, digits, '_'), not the "
		      "token",
		      NULL);
	/* an unknown key's value is never quoted either */
	assert_int_equal(load(SITE "token: sk-live-1234abcd\n"), -1);
	expect_errors("t.yaml:4:1: unknown key 'token' (did you mean "
		      "'token_env'?)",
		      NULL);
}

static void test_anchors_aliases_tags(void **state)
{
	(void)state;
	/* billion laughs: refused at once, not expanded */
	assert_int_equal(
		load("a: &a [x, x, x, x, x, x, x, x, x]\n"
		     "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		     "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" SITE),
		-1);
	assert_true(errs.n > 4);
	assert_string_equal(errs.msgs[1], "t.yaml:1:4: anchors ('&a') are not "
					  "supported: write the value out");
	assert_string_equal(errs.msgs[3], "t.yaml:2:4: anchors ('&b') are not "
					  "supported: write the value out");
	assert_string_equal(errs.msgs[4], "t.yaml:2:8: aliases ('*a') are not "
					  "supported: write the value out");
	assert_int_equal(load("base: &s {name: a, url: \"http://h\"}\n"), -1);
	expect_errors("t.yaml:1:1: unknown key 'base'",
		      "t.yaml:1:1: missing required key 'sites' (a list of "
		      "name: and url:)",
		      "t.yaml:1:7: anchors ('&s') are not supported: write the "
		      "value out",
		      NULL);
	/* tags are ignored */
	assert_int_equal(load("--- !!map\nsites: !!seq\n"
			      "  - !site {name: a, url: !!str \"http://h\"}\n"
			      "poll_interval: !!str 3s\n"),
			 0);
	assert_int_equal(cfg.poll_interval_ms, 3000);
	assert_string_equal(cfg.sites[0].url, "http://h");
}

static void test_paths(void **state)
{
	(void)state;
	assert_int_equal(load(SITE "cache_dir: ~/\naudit: {db: \"~/a b.db\"}\n"
				   "token_file: $HOME/t\n"),
			 0);
	assert_string_equal(cfg.cache_dir, "/home/op/");
	assert_string_equal(cfg.audit_db, "/home/op/a b.db");
	assert_string_equal(cfg.token_file, "/home/op/t");
	expect_one(SITE "cache_dir: $XDG_CACHE_HOME/p\n",
		   "t.yaml:4:12: 'cache_dir': only $HOME is expanded in paths, "
		   "not '$XDG_CACHE_HOME'");
	expect_one(SITE "cache_dir: cache\n",
		   "t.yaml:4:12: 'cache_dir': must be an absolute path (or "
		   "start with ~/ or $HOME/)");
	expect_one(SITE "cache_dir: ~root/x\n",
		   "t.yaml:4:12: 'cache_dir': '~user' is not expanded: write "
		   "the full path");
	unsetenv("HOME");
	expect_one(SITE "cache_dir: ~/x\n",
		   "t.yaml:4:12: 'cache_dir': HOME is not set, so '~' cannot "
		   "be expanded");
	setenv("HOME", "/home/op", 1);
	expect_one(SITE "tls: {client_key: /k}\n",
		   "t.yaml:4:6: 'tls': client_cert and client_key go together; "
		   "set both or neither");
	expect_one(SITE "audit: {forward: \"udp://h:514\"}\n",
		   "t.yaml:4:18: 'forward' must be 'syslog', unix:///PATH, "
		   "tcp://HOST:PORT, tls://HOST[:PORT], relp://HOST:PORT or "
		   "relp+tls://HOST:PORT, not 'udp://h:514'");
	assert_int_equal(load(SITE "audit: {forward: syslog}\n"), 0);
	assert_string_equal(cfg.audit_forward, "syslog");
	assert_int_equal(load(SITE "audit: {forward: \"tls://logs.example\"}\n"), 0);
	assert_int_equal(load(SITE "audit: {forward: \"relp+tls://logs.example:2514\"}\n"), 0);
	assert_int_equal(load(SITE "audit: {forward: \"unix:///dev/log\"}\n"), 0);
	assert_int_equal(load(SITE "audit: {forward: \"relp://logs.example\"}\n"), -1);
}

static void test_keys(void **state)
{
	(void)state;
	expect_one(SITE "keys:\n  j: down\n  k: up\n  j: left\n",
		   "t.yaml:7:3: key 'j' is bound twice (first at 5:3)");
	assert_int_equal(cfg.n_keys, 2);
	assert_int_equal(cfg.keys[1].line, 6);
	expect_one(SITE "keys: {x: Quit!}\n",
		   "t.yaml:4:11: 'Quit!' is not a command name (lower-case "
		   "letters, digits, '_' and '-')");
	expect_one(SITE "keys:\n  x:\n",
		   "t.yaml:5:3: key 'x' needs a command name");
	expect_one(SITE "keys: [j, down]\n",
		   "t.yaml:4:7: expected a mapping of KEY: COMMAND (or MODE: "
		   "{KEY: COMMAND}) for 'keys', found a list");
	/* a mode's own table: its bindings carry the mode; a key bound twice
	 * is so within its table */
	assert_int_equal(load(SITE "keys:\n  j: down\n  reroute:\n    n: member_next\n"
			      "    j: none\n  resolve: {M: resolve_match}\n"), 0);
	assert_int_equal(cfg.n_keys, 4);
	assert_null(cfg.keys[0].mode);
	assert_string_equal(cfg.keys[1].mode, "reroute");
	assert_string_equal(cfg.keys[1].key, "n");
	assert_string_equal(cfg.keys[1].action, "member_next");
	assert_int_equal(cfg.keys[1].line, 7);
	assert_int_equal(cfg.keys[1].col, 5);
	assert_string_equal(cfg.keys[2].mode, "reroute");
	assert_string_equal(cfg.keys[3].mode, "resolve");
	assert_string_equal(cfg.keys[3].key, "M");
	expect_one(SITE "keys:\n  reroute:\n    n: up\n    n: down\n",
		   "t.yaml:7:5: key 'n' is bound twice (first at 6:5)");
	expect_one(SITE "keys:\n  reroute:\n    dialog: {y: confirm}\n",
		   "t.yaml:6:13: key 'dialog' needs a command name");
	char yaml[4096];
	size_t o = (size_t)snprintf(yaml, sizeof yaml, SITE "keys:\n");
	for (int i = 0; i < 65; i++)
		o += (size_t)snprintf(yaml + o, sizeof yaml - o,
				      "  k%d: down\n", i);
	expect_one(yaml, "t.yaml:69:3: too many key bindings (at most 64)");
	assert_int_equal(cfg.n_keys, 64);
}

static void test_error_cap_and_size(void **state)
{
	(void)state;
	char *yaml = malloc(20000);
	assert_non_null(yaml);
	size_t o = (size_t)snprintf(yaml, 20000, SITE);
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(yaml + o, 20000 - o, "zz%d: 1\n", i);
	assert_int_equal(load(yaml), -1);
	assert_int_equal(errs.n, 101);
	/* every line carries the file's name, the first hundred a position,
	 * and the cut-off line says how many more there were */
	for (size_t i = 0; i < errs.n; i++)
		assert_true(strncmp(errs.msgs[i], "t.yaml:", 7) == 0);
	for (size_t i = 0; i < 100; i++)
		assert_true(strncmp(errs.msgs[i], "t.yaml:", 7) == 0 &&
			    errs.msgs[i][7] >= '1' && errs.msgs[i][7] <= '9');
	assert_string_equal(errs.msgs[100],
			    "t.yaml: too many errors; 200 more not reported");
	free(yaml);

	size_t big = 1024 * 1024 + 1;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, '#', big);
	cfg_free(&cfg);
	cfg_errors_free(&errs);
	assert_int_equal(cfg_load_buffer("t.yaml", huge, big, &cfg, &errs), -1);
	expect_errors("t.yaml: the file is larger than 1048576 bytes", NULL);
	free(huge);

	/* deep nesting stops early instead of eating the stack */
	char deep[200];
	memset(deep, '[', sizeof deep - 1);
	deep[sizeof deep - 1] = '\0';
	assert_int_equal(load(deep), -1);
	expect_errors("t.yaml:1:33: nested more than 32 levels deep", NULL);
}

static void test_load_file(void **state)
{
	(void)state;
	char path[] = "/tmp/payops-cfg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *yaml = SITE "poll_intervall: 2s\n";
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	cfg_free(&cfg);
	assert_int_equal(cfg_load(path, &cfg, &errs), -1);
	char want[256];
	snprintf(want, sizeof want,
		 "%s:4:1: unknown key 'poll_intervall' (did you mean "
		 "'poll_interval'?)",
		 path);
	expect_errors(want, NULL);
	assert_string_equal(cfg.path, path);
	assert_int_equal(cfg.n_sites, 1);
	unlink(path);

	cfg_free(&cfg);
	cfg_errors_free(&errs);
	assert_int_equal(cfg_load(path, &cfg, &errs), -1);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory",
		 path);
	expect_errors(want, NULL);
}

/* The man page documents every key this file uses, and its example files
 * load without error. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (m) {
		char buf[4096];
		size_t k;
		while ((k = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, k, m);
		fclose(m);
	}
	fclose(f);
	return text;
}

/* Undo the roff escapes used in the examples. */
static void unroff(char *s)
{
	char *o = s;
	for (char *p = s; *p;) {
		if (!strncmp(p, "\\-", 2)) {
			*o++ = '-';
			p += 2;
		} else if (!strncmp(p, "\\(dq", 4)) {
			*o++ = '"';
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

static void test_man_page_agrees(void **state)
{
	(void)state;
	const char *top = getenv("top_srcdir");
	char path[1024];
	snprintf(path, sizeof path, "%s/man/payops.yaml.5.in", top ? top : ".");
	char *man = slurp(path);
	if (!man) {
		print_message("# %s not found (set top_srcdir)\n", path);
		fail();
	}
	/* every key of the full example is described under its own tag */
	static const char *const keys[] = {
		"sites", "token_env", "token_file", "poll_interval",
		"slow_poll_interval", "resync_interval", "request_timeout", "stale_after",
		"thresholds", "warn_success_rate", "crit_success_rate",
		"warn_p95", "crit_p95", "disabled_for", "audit_forward_rows",
		"audit_forward_age", "limits_breached", "read_only", "ticket_required",
		"confirm_share", "audit", "db", "forward", "cache_dir", "tls",
		"ca_file", "client_cert", "alertmanagers", "bell", "keys",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char tag[64];
		snprintf(tag, sizeof tag, "\n.TP\n.BR %s ", keys[i]);
		if (!strstr(man, tag))
			print_message("# man page lacks a .TP entry for %s\n",
				      keys[i]);
		assert_non_null(strstr(man, tag));
		/* and the every-key test really uses it (token_env excludes
		 * token_file: test_minimal covers it) */
		snprintf(tag, sizeof tag, "%s:", keys[i]);
		if (strcmp(keys[i], "token_env") != 0)
			assert_non_null(strstr(full_yaml, tag));
	}
	/* the defaults the page states are the ones cfg_defaults sets */
	cfg_config d;
	cfg_defaults(&d);
	assert_int_equal(d.poll_interval_ms, 2000);
	assert_non_null(strstr(man, ".BR poll_interval \" (duration, 100ms to 1h; default \" 2s )"));
	assert_int_equal(d.slow_poll_interval_ms, 10000);
	assert_non_null(strstr(man, ".BR slow_poll_interval \" (duration, 100ms to 1h; default \" 10s )"));
	assert_int_equal(d.request_timeout_ms, 10000);
	assert_non_null(strstr(man, ".BR request_timeout \" (duration, 100ms to 10m; default \" 10s )"));
	assert_non_null(strstr(man, ".BR warn_success_rate \" (fraction; default \" 0.995 )"));
	assert_true(d.warn_success_rate == 0.995);
	assert_non_null(strstr(man, ".BR crit_success_rate \" (fraction; default \" 0.98 )"));
	assert_true(d.crit_success_rate == 0.98);
	assert_non_null(strstr(man, ".BR warn_p95 \" (duration, 1ms to 10m; default \" 500ms )"));
	assert_int_equal(d.warn_p95_ms, 500);
	assert_non_null(strstr(man, ".BR crit_p95 \" (duration, 1ms to 10m; default \" 1500ms )"));
	assert_int_equal(d.crit_p95_ms, 1500);
	assert_non_null(strstr(man, ".BR confirm_share \" (fraction; default \" 0.05 )"));
	assert_true(d.confirm_share == 0.05);
	assert_non_null(strstr(man, ".BR bell \" (boolean; default \" true )"));
	assert_true(d.bell);

	/* every example file (a block that starts with "sites:") loads */
	int examples = 0;
	for (char *p = man; (p = strstr(p, ".nf\n.RS\n")) != NULL;) {
		p += 8;
		char *end = strstr(p, ".RE\n.fi");
		assert_non_null(end);
		if (!strncmp(p, "sites:", 6)) {
			char *ex = strndup(p, (size_t)(end - p));
			assert_non_null(ex);
			unroff(ex);
			int rc = load(ex);
			if (rc)
				dump_errors();
			assert_int_equal(rc, 0);
			free(ex);
			examples++;
		}
		p = end;
	}
	assert_int_equal(examples, 3);
	free(man);
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_minimal),
	UNIT_TEST(test_every_key),
	UNIT_TEST(test_dump_round_trip),
	UNIT_TEST(test_dump_defaults),
	UNIT_TEST(test_many_errors_positions),
	UNIT_TEST(test_syntax_errors),
	UNIT_TEST(test_empty_and_shapes),
	UNIT_TEST(test_suggestions),
	UNIT_TEST(test_durations),
	UNIT_TEST(test_rates_and_bools),
	UNIT_TEST(test_sites_and_urls),
	UNIT_TEST(test_token_source_keys),
	UNIT_TEST(test_anchors_aliases_tags),
	UNIT_TEST(test_paths),
	UNIT_TEST(test_keys),
	UNIT_TEST(test_error_cap_and_size),
	UNIT_TEST(test_load_file),
	UNIT_TEST(test_man_page_agrees))
