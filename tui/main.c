/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/main.c: payops's command line: options, configuration, the audit
 * subcommand, --demo, then the console. */
#include <getopt.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "base/i18n.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "config/config.h"
#include "tui/app.h"
#include "tui/demo.h"
#include "term/keymap.h"

#define DEMO_START_TIMEOUT_MS 10000

/* TRANSLATORS: keep option names, file names and key letters as they are. */
static const char usage_text[] = N_(
"Usage: payops [OPTIONS]\n"
"       payops --demo [OPTIONS] [-- SIMULATOR-OPTIONS...]\n"
"       payops audit COMMAND [ARGS...]\n"
"\n"
"A full-screen terminal console for payment operations: channel health,\n"
"routes, alerts, onboarding, reconciliation and limits of a payment platform.\n"
"\n"
"Options:\n"
"  -c, --config FILE  read FILE instead of $PAYOPS_CONFIG,\n"
"                     $XDG_CONFIG_HOME/payops/config.yaml or\n"
"                     /etc/payops/config.yaml (the first that exists)\n"
"      --check-config check the configuration; print every error as\n"
"                     FILE:LINE:COL: message; exit 0 when it is clean\n"
"      --paths        print every file payops would read or write, and exit\n"
"      --read-only    change nothing on the platform: every action is\n"
"                     refused with the reason (a token without any write\n"
"                     scope does the same)\n"
"      --insecure     do not verify the platform's TLS certificates (for a\n"
"                     test bench only: a red banner says so all session)\n"
"      --demo         start payops-sim on a free 127.0.0.1 port with a token\n"
"                     made for this session, show it, stop it on exit;\n"
"                     arguments after -- go to payops-sim\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n"
"\n"
"In the console, ? lists the keys of every mode (the panes, the reroute\n"
"editor, the resolve marks, the dialogs), : runs any command by its name\n"
"(Tab completes) and q quits. Actions (e, d, D, Q, R on a channel, w on a\n"
"route group, or :quarantine ID ...) confirm in a dialog and are recorded\n"
"in the audit log (pane 8, payops audit). Keys are remapped per mode in\n"
"payops.yaml (keys:). See payops(1) and payops.yaml(5).\n");

/* TRANSLATORS: keep the command names as they are. */
static const char usage_scripts[] = N_(
"\n"
"From scripts (each with --help; see FROM SCRIPTS in payops(1)):\n"
"  payops get KIND [FILTER...] [ARGS...]\n"
"  payops channel VERB ID [ARGS...]\n"
"  payops route weights GROUP CHANNEL=PCT... [ARGS...]\n"
"  payops break resolve|case decide|limit adjust ID [ARGS...]\n"
"  payops approval approve|reject ID [ARGS...]\n"
"  payops report shift [ARGS...]\n"
"  payops patrol [ARGS...]\n");

typedef struct {
	const char *config;
	bool check, paths, read_only, demo, insecure;
	int rest;          /* first argument after the options */
} opts;

static int parse_args(int argc, char **argv, opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "paths", no_argument, NULL, 'p' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "demo", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	memset(o, 0, sizeof *o);
	int c;
	/* "+": stop at the first non-option, so "--demo -- --seed 7" works */
	while ((c = getopt_long(argc, argv, "+c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'k': o->check = true; break;
		case 'p': o->paths = true; break;
		case 'r': o->read_only = true; break;
		case 'I': o->insecure = true; break;
		case 'd': o->demo = true; break;
		case 'h':
			fputs(_(usage_text), stdout);
			fputs(_(usage_scripts), stdout);
			return 0;
		case 'V': printf("payops %s\n", PACKAGE_VERSION); return 0;
		default:
			fputs(_("Try 'payops --help'.\n"), stderr);
			return 2;
		}
	}
	o->rest = optind;
	if (optind < argc && !o->demo) {
		fprintf(stderr, _("payops: unexpected argument '%s'\n"
			"Try 'payops --help'.\n"), argv[optind]);
		return 2;
	}
	return -1; /* go on */
}

static void print_errors(FILE *f, const cfg_errors *e)
{
	for (size_t i = 0; i < e->n; i++)
		fprintf(f, "%s\n", e->msgs[i]);
}

/* Load the configuration (and its key bindings). 0, or -1 with the errors
 * in errs; *path is the file (NULL when none was found). */
static int load_config(const char *cli, cfg_config *cfg, cfg_errors *errs,
		       char **path, char *searched, size_t searched_sz)
{
	cfg_defaults(cfg);
	*path = cfg_find(cli, searched, searched_sz);
	if (!*path)
		return -1;
	int rc = cfg_load(*path, cfg, errs);
	if (keymap_apply(cfg->keys, cfg->n_keys, *path, errs) != 0)
		rc = -1;
	return rc;
}

static int check_config(const opts *o)
{
	cfg_config cfg;
	cfg_errors errs = { 0 };
	char searched[2048], *path;
	int rc = load_config(o->config, &cfg, &errs, &path, searched, sizeof searched);
	int status = 0;
	/* and the files it names, as the start would find them */
	if (path && cfg_check_files(&cfg, &errs) != 0)
		rc = -1;
	if (!path) {
		fprintf(stderr, _("payops: no configuration file (looked at %s)\n"),
			searched);
		status = 1;
	} else if (rc != 0 || errs.n) {
		print_errors(stdout, &errs);
		fprintf(stderr, ngettext("payops: %s: %zu error\n",
					 "payops: %s: %zu errors\n", errs.n),
			path, errs.n);
		status = 1;
	} else {
		printf("%s: ok\n", path);
	}
	free(path);
	cfg_errors_free(&errs);
	cfg_free(&cfg);
	return status;
}

static void path_line(const char *what, const char *path, const char *note)
{
	struct stat st;
	const char *state = !path ? "" : stat(path, &st) == 0 ? "" : _("  (not there yet)");
	printf("%-7s %s%s%s%s\n", what, path ? path : "-", state,
	       note && *note ? "  " : "", note ? note : "");
}

static int print_paths(const opts *o)
{
	cfg_config cfg;
	cfg_errors errs = { 0 };
	char searched[2048], *path;
	load_config(o->config, &cfg, &errs, &path, searched, sizeof searched);
	if (path) {
		path_line("config", path, _("(read)"));
	} else {
		/* every place that was looked at, one per line */
		char *s = searched, *next;
		for (; s && *s; s = next) {
			next = strstr(s, ", ");
			if (next) {
				*next = '\0';
				next += 2;
			}
			printf(_("%-7s %s  (not found)\n"), "config", s);
		}
	}
	if (cfg.token_file)
		path_line("token", cfg.token_file, _("(read; must not be group- or world-readable)"));
	if (cfg.ca_file)
		path_line("ca", cfg.ca_file, _("(read: TLS authorities)"));
	if (cfg.client_cert)
		path_line("cert", cfg.client_cert, _("(read: TLS client certificate)"));
	if (cfg.client_key)
		path_line("key", cfg.client_key, _("(read: TLS client key)"));
	char *audit = cfg_audit_path(&cfg), *cache = cfg_cache_dir(&cfg);
	path_line("audit", audit, _("(written: the operator action log)"));
	path_line("cache", cache, _("(written: the data cache)"));
	free(audit);
	free(cache);
	char *sim = demo_find_sim();
	if (sim)
		path_line("sim", sim, _("(run by --demo)"));
	else
		printf("%-7s %s\n", "sim", _("payops-sim not found (needed by --demo)"));
	free(sim);
	printf("%-7s %s  (--demo: a private directory with the session token, removed on exit)\n",
	       "demo", getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	free(path);
	cfg_errors_free(&errs);
	cfg_free(&cfg);
	return 0;
}

static int run_demo(const opts *o, int argc, char **argv)
{
	demo_sim d;
	char err[512];
	int sim_argc = 0;
	char **sim_argv = NULL;
	if (o->rest < argc) {
		if (strcmp(argv[o->rest - 1], "--") != 0) {
			fputs(_("payops: arguments for payops-sim go after "
				"'--' (payops --demo -- --seed 7)\n"), stderr);
			return 2;
		}
		sim_argc = argc - o->rest;
		sim_argv = argv + o->rest;
	}
	fputs(_("payops: starting payops-sim...\n"), stderr);
	if (demo_start(&d, sim_argc, sim_argv, DEMO_START_TIMEOUT_MS, err,
		       sizeof err) != 0) {
		fprintf(stderr, "payops: --demo: %s\n", err);
		return 1;
	}
	cfg_config cfg;
	cfg_defaults(&cfg);
	cfg.sites[0].name = strdup("demo");
	cfg.sites[0].url = strdup(d.url);
	cfg.n_sites = 1;
	cfg.read_only = o->read_only;
	int rc;
	if (!cfg.sites[0].name || !cfg.sites[0].url) {
		fputs(_("payops: out of memory\n"), stderr);
		rc = 1;
	} else {
		app_opts ao = { .cfg = &cfg, .token = d.token, .demo = &d,
				.insecure = o->insecure };
		rc = app_run(&ao);
	}
	demo_stop(&d);
	cfg_free(&cfg);
	return rc;
}

static int run_console(const opts *o)
{
	cfg_config cfg;
	cfg_errors errs = { 0 };
	char searched[2048], *path, err[512];
	int rc = load_config(o->config, &cfg, &errs, &path, searched, sizeof searched);
	int status = 1;
	if (!path) {
		fprintf(stderr, _("payops: no configuration file (looked at %s)\n"
			"Write one (see payops.yaml(5)), or try 'payops --demo'.\n"),
			searched);
	} else if (rc != 0 || errs.n) {
		print_errors(stderr, &errs);
		fprintf(stderr, _("payops: %s has errors; fix them first "
			"('payops --check-config' lists them)\n"), path);
	} else {
		if (o->read_only)
			cfg.read_only = true;
		char *token = cfg_read_token(&cfg, err, sizeof err);
		if (!token) {
			fprintf(stderr, "payops: %s\n", err);
		} else {
			app_opts ao = { .cfg = &cfg, .token = token, .demo = NULL,
					.insecure = o->insecure };
			status = app_run(&ao);
			memset(token, 0, strlen(token));
			free(token);
		}
	}
	free(path);
	cfg_errors_free(&errs);
	cfg_free(&cfg);
	return status;
}

int main(int argc, char **argv)
{
	i18n_init();
	if (argc >= 2 && strcmp(argv[1], "audit") == 0)
		return audit_cli_main(argc - 1, argv + 1);
	/* The bearer token lives in this process's memory: no core file may
	 * carry it to disk, and no other process of the user may read it. */
	struct rlimit no_core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && cli_is_command(argv[1]))
		return cli_main(argc - 1, argv + 1);
	opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	if (o.check)
		return check_config(&o);
	if (o.paths)
		return print_paths(&o);
	if (o.demo)
		return run_demo(&o, argc, argv);
	return run_console(&o);
}
