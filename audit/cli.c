/* SPDX-License-Identifier: ISC (see COPYING) */
/* cli.c - `payops audit list|show|verify|export|head|unresolved|forward`. */
#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audit/audit_int.h"
#include "base/i18n.h"
#include "text/text.h"

#define EXIT_BAD 1    /* verify found a bad row; forward left rows pending */
#define EXIT_USAGE 2  /* usage or runtime error */

static const char usage_text[] = N_(
	"usage: payops audit [--db PATH] COMMAND [options]\n"
	"  list [--text S] [--action A] [--target T] [--operator O]\n"
	"       [--outcome X] [--kind intent|outcome] [--limit N] [--offset N]\n"
	"  show SEQ\n"
	"  verify [--against FILE]\n"
	"  export --format jsonl|csv [--output FILE]\n"
	"  head\n"
	"  unresolved\n"
	"  forward --to DEST [--once] [--timeout SEC] [--rewind SEQ]\n"
	"          [--ca-file FILE] [--client-cert FILE --client-key FILE]\n"
	"    DEST: unix:///dev/log, tcp://HOST:PORT, tls://HOST[:PORT],\n"
	"          relp://HOST:PORT, relp+tls://HOST:PORT\n");

struct opts {
	const char *db, *cmd, *arg;
	const char *text, *action, *target, *operator_id, *outcome, *kind;
	const char *format, *output, *to, *against;
	const char *ca_file, *client_cert, *client_key;
	long limit, offset, timeout;
	int once;
	int64_t rewind;
};

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "payops audit: %s\n", msg);
	fputs(_(usage_text), stderr);
	return EXIT_USAGE;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
		{ "--db", offsetof(struct opts, db) },
		{ "--text", offsetof(struct opts, text) },
		{ "--action", offsetof(struct opts, action) },
		{ "--target", offsetof(struct opts, target) },
		{ "--operator", offsetof(struct opts, operator_id) },
		{ "--outcome", offsetof(struct opts, outcome) },
		{ "--kind", offsetof(struct opts, kind) },
		{ "--format", offsetof(struct opts, format) },
		{ "--output", offsetof(struct opts, output) },
		{ "--to", offsetof(struct opts, to) },
		{ "--against", offsetof(struct opts, against) },
		{ "--ca-file", offsetof(struct opts, ca_file) },
		{ "--client-cert", offsetof(struct opts, client_cert) },
		{ "--client-key", offsetof(struct opts, client_key) },
	};
	memset(o, 0, sizeof *o);
	o->limit = 50;
	o->timeout = 10;
	o->rewind = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int matched = 0;
		if (strcmp(a, "--once") == 0) {
			o->once = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			o->cmd = "help";
			return 0;
		}
		for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++) {
			if (strcmp(a, strs[k].name) == 0) {
				if (i + 1 >= argc)
					return -1;
				*(const char **)((char *)o + strs[k].off) = argv[++i];
				matched = 1;
				break;
			}
		}
		if (matched)
			continue;
		if (strcmp(a, "--limit") == 0 || strcmp(a, "--offset") == 0 ||
		    strcmp(a, "--timeout") == 0 || strcmp(a, "--rewind") == 0) {
			long v;
			if (i + 1 >= argc || parse_long(argv[i + 1], &v))
				return -1;
			i++;
			if (a[2] == 'l')
				o->limit = v;
			else if (a[2] == 'o')
				o->offset = v;
			else if (a[2] == 't')
				o->timeout = v;
			else
				o->rewind = v;
			continue;
		}
		if (a[0] == '-')
			return -1;
		if (!o->cmd)
			o->cmd = a;
		else if (!o->arg)
			o->arg = a;
		else
			return -1;
	}
	if (!o->db || !*o->db)
		o->db = getenv("PAYOPS_AUDIT_DB");
	return 0;
}

/* Stored text on its way to a terminal goes through the one sanitiser
 * (text/text.h): escape sequences, control, bidi and invisible characters
 * become visible placeholders.  maxcols > 0 cuts with an ellipsis at a
 * character boundary. */
static void put_safe(FILE *out, const char *s, int maxcols)
{
	size_t len = strlen(s ? s : "");
	size_t cap = 4 * len + 8; /* a byte becomes at most 3 (a placeholder) */
	char *buf = malloc(cap);
	if (!buf) {
		fputs("?", out);
		return;
	}
	if (maxcols > 0)
		text_fit(s, maxcols, 0, buf, cap);
	else
		text_sanitize(s, len, buf, cap);
	fputs(buf, out);
	free(buf);
}

/* The sanitiser measures with the locale's wcwidth: use the user's locale;
 * with one that is not UTF-8, a terminal gets ASCII placeholders, while a
 * pipe or file still gets UTF-8 (under C.UTF-8), sanitised all the same. */
static void text_setup(void)
{
	const char *cs;
	if (!setlocale(LC_CTYPE, ""))
		setlocale(LC_CTYPE, "C");
	cs = nl_langinfo(CODESET);
	if (cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0))
		return;
	if (!isatty(STDOUT_FILENO) && setlocale(LC_CTYPE, "C.UTF-8"))
		return;
	text_set_ascii(true);
}

static int list_cb(const struct audit_row *r, void *ctx)
{
	(void)ctx;
	printf("%6" PRId64 " %s %-7s ", r->seq, r->time, r->kind);
	put_safe(stdout, r->action, 0);
	fputc(' ', stdout);
	put_safe(stdout, r->target, 0);
	if (*r->interface) {
		fputc('/', stdout);
		put_safe(stdout, r->interface, 0);
	}
	if (*r->outcome) {
		printf(" -> ");
		put_safe(stdout, r->outcome, 0);
		if (*r->code) {
			fputc(' ', stdout);
			put_safe(stdout, r->code, 0);
		}
		printf(_(" (intent %" PRId64 ")"), r->intent_seq);
	}
	/* TRANSLATORS: "... by OPERATOR: REASON" in a list line */
	fputs(_(" by "), stdout);
	put_safe(stdout, *r->operator_id ? r->operator_id : "?", 0);
	if (*r->reason) {
		fputs(": ", stdout);
		put_safe(stdout, r->reason, 120);
	}
	fputc('\n', stdout);
	return 0;
}

static int show_cb(const struct audit_row *r, void *ctx)
{
	(void)ctx;
	const struct { const char *k, *v; } f[] = {
		{ "time", r->time }, { "kind", r->kind }, { "operator", r->operator_id },
		{ "local_user", r->local_user }, { "host", r->host }, { "site", r->site },
		{ "action", r->action }, { "target", r->target }, { "interface", r->interface },
		{ "state_before", r->state_before }, { "state_after", r->state_after },
		{ "reason", r->reason }, { "ticket", r->ticket },
		{ "idempotency_key", r->idempotency_key }, { "request_id", r->request_id },
		{ "outcome", r->outcome }, { "code", r->code }, { "detail", r->detail },
		{ "prev_hash", r->prev_hash }, { "hash", r->hash },
	};
	printf("%-16s %" PRId64 "\n", "seq", r->seq);
	if (strcmp(r->kind, "outcome") == 0)
		printf("%-16s %" PRId64 "\n", "intent_seq", r->intent_seq);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		printf("%-16s ", f[i].k);
		put_safe(stdout, f[i].v, 0);
		fputc('\n', stdout);
	}
	return 0;
}

static void print_line(const char *text, void *ctx)
{
	(void)ctx;
	fputs(_("bad: "), stdout);
	put_safe(stdout, text, 0);
	fputc('\n', stdout);
}

/* The chain, the rows receivers acknowledged, and with --against the
 * collected copy.  Every finding is printed; the exit status sums them. */
static int cmd_verify(struct audit_log *log, const struct opts *o)
{
	int64_t rows, bad, seq;
	char why[512];
	int failed = 0, rc;

	rc = audit_verify(log, &rows, &bad, why, sizeof why);
	if (rc < 0)
		goto err;
	if (rc == 1) {
		printf(_("bad: row %" PRId64 ": %s\n"), bad, why);
		failed = 1;
	}
	rc = audit_verify_tail(log, &seq, why, sizeof why);
	if (rc < 0)
		goto err;
	if (rc == 1) {
		printf(_("bad: row %" PRId64 ": %s\n"), seq, why);
		failed = 1;
	}
	if (o->against) {
		struct audit_against res;
		rc = audit_verify_against(log, o->against, &res, print_line, NULL);
		if (rc < 0)
			goto err;
		if (rc == 1) {
			int64_t np = res.problems + res.bad_lines;
			printf(ngettext("bad: %" PRId64 " problem against %s, the first at row %" PRId64
			                " (%" PRId64 " local rows, %" PRId64 " collected, %" PRId64
			                " duplicates, %" PRId64 " lines that do not parse, %" PRId64
			                " lines of other programs skipped)\n",
			                "bad: %" PRId64 " problems against %s, the first at row %" PRId64
			                " (%" PRId64 " local rows, %" PRId64 " collected, %" PRId64
			                " duplicates, %" PRId64 " lines that do not parse, %" PRId64
			                " lines of other programs skipped)\n", (unsigned long)np),
			       np, o->against,
			       res.first_bad_seq, res.local_rows, res.rows, res.duplicates,
			       res.bad_lines, res.other_lines);
			failed = 1;
		} else if (!failed) {
			printf(_("ok: %" PRId64 " rows verified; all match the collected copy %s (%"
			         PRId64 " collected, %" PRId64 " duplicates, %" PRId64
			         " lines of other programs skipped)\n"), rows, o->against, res.rows,
			       res.duplicates, res.other_lines);
		}
	} else if (!failed) {
		printf(_("ok: %" PRId64 " rows verified\n"), rows);
	}
	return failed ? EXIT_BAD : 0;
err:
	fprintf(stderr, "payops audit: %s\n", audit_errmsg(log));
	return EXIT_USAGE;
}

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int cmd_forward(struct audit_log *log, const struct opts *o)
{
	struct audit_fwd *fwd;
	struct sigaction sa;
	int rc = 0;

	if (!o->to)
		return usage(_("forward needs --to DEST"));
	struct audit_fwd_tls tls = { o->ca_file, o->client_cert, o->client_key };
	if (audit_fwd_open_tls(log, o->to, &tls, &fwd) != AUDIT_OK) {
		fprintf(stderr, "payops audit: %s\n", audit_errmsg(log));
		return EXIT_USAGE;
	}
	if (o->rewind >= 0 && audit_fwd_rewind(fwd, o->rewind) != AUDIT_OK) {
		fprintf(stderr, "payops audit: %s\n", audit_errmsg(log));
		audit_fwd_close(fwd);
		return EXIT_USAGE;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	int64_t deadline = audit_monotonic_ms() + o->timeout * 1000;
	audit_fwd_pump(fwd, 0);
	while (!stop_flag) {
		if (o->once && (audit_fwd_pending(fwd) == 0 || audit_monotonic_ms() >= deadline))
			break;
		struct pollfd pfd = { -1, 0, 0 };
		pfd.fd = audit_fwd_pollfd(fwd, &pfd.events);
		int t = audit_fwd_timeout_ms(fwd);
		if (o->once) {
			int64_t left = deadline - audit_monotonic_ms();
			if (t < 0 || t > left)
				t = left < 0 ? 0 : (int)left;
		}
		int n = poll(&pfd, pfd.fd >= 0 ? 1 : 0, t);
		if (n < 0 && errno != EINTR)
			break;
		audit_fwd_pump(fwd, n > 0 ? pfd.revents : 0);
	}
	int64_t pending = audit_fwd_pending(fwd);
	if (o->once) {
		printf(_("forwarded up to seq %" PRId64 ", %" PRId64 " pending\n"),
		       audit_fwd_cursor(fwd), pending);
		if (pending != 0) {
			fprintf(stderr, "payops audit: %s\n", *audit_fwd_error(fwd) ?
			        audit_fwd_error(fwd) : _("destination busy or forwarded by another console"));
			rc = EXIT_BAD;
		}
	}
	audit_fwd_close(fwd);
	return rc;
}

int audit_cli_main(int argc, char **argv)
{
	struct opts o;
	struct audit_log *log = NULL;
	char err[1024];
	int rc = 0;

	if (parse_args(argc, argv, &o) != 0)
		return usage(_("bad arguments"));
	if (!o.cmd)
		return usage(NULL);
	if (strcmp(o.cmd, "help") == 0) {
		fputs(_(usage_text), stdout);
		return 0;
	}
	static const char *const cmds[] = { "list", "show", "verify", "export", "head",
	                                    "unresolved", "forward" };
	int known = 0;
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		known |= strcmp(o.cmd, cmds[i]) == 0;
	if (!known)
		return usage(_("unknown command"));
	if (strcmp(o.cmd, "export") == 0 && (!o.format || (strcmp(o.format, "jsonl") != 0 &&
	                                                   strcmp(o.format, "csv") != 0)))
		return usage(_("export needs --format jsonl or csv"));
	if (strcmp(o.cmd, "show") == 0 && !o.arg)
		return usage(_("show needs a SEQ"));

	/* Reading commands never create a log: a mistyped path must not
	 * "verify" an empty one. */
	char defpath[4096];
	const char *path = o.db;
	if ((!path || !*path) && audit_default_path(defpath, sizeof defpath) == 0)
		path = defpath;
	if (!path || access(path, F_OK) != 0) {
		fprintf(stderr, _("payops audit: no audit log at %s\n"), path ? path : _("(no HOME)"));
		return EXIT_USAGE;
	}
	if (audit_open(path, &log, err, sizeof err) != AUDIT_OK) {
		fprintf(stderr, "payops audit: %s\n", err);
		return EXIT_USAGE;
	}
	text_setup();
	if (strcmp(o.cmd, "list") == 0) {
		struct audit_filter f = { o.text, o.action, o.target, o.operator_id,
		                          o.outcome, o.kind, (int)o.limit, (int)o.offset };
		rc = audit_query(log, &f, list_cb, NULL);
	} else if (strcmp(o.cmd, "show") == 0) {
		long seq;
		if (parse_long(o.arg, &seq)) {
			audit_close(log);
			return usage(_("SEQ must be a number"));
		}
		rc = audit_get(log, seq, show_cb, NULL);
	} else if (strcmp(o.cmd, "unresolved") == 0) {
		rc = audit_unresolved(log, list_cb, NULL);
	} else if (strcmp(o.cmd, "head") == 0) {
		int64_t count, last;
		char hash[65];
		rc = audit_head(log, &count, &last, hash);
		if (rc == 0)
			printf("%" PRId64 " %s\n", last, *hash ? hash : AUDIT_ZERO_HASH);
	} else if (strcmp(o.cmd, "verify") == 0) {
		rc = cmd_verify(log, &o);
		audit_close(log);
		return rc;
	} else if (strcmp(o.cmd, "export") == 0) {
		FILE *out = stdout;
		if (o.output && !(out = fopen(o.output, "w"))) {
			fprintf(stderr, "payops audit: %s: %s\n", o.output, strerror(errno));
			audit_close(log);
			return EXIT_USAGE;
		}
		rc = audit_export(log, out, strcmp(o.format, "csv") == 0 ? AUDIT_CSV : AUDIT_JSONL);
		if (out != stdout && fclose(out) != 0 && rc == 0)
			rc = audit_seterr(log, AUDIT_ERR, "%s: %s", o.output, strerror(errno));
	} else {
		rc = cmd_forward(log, &o);
		audit_close(log);
		return rc;
	}
	if (rc != 0) {
		fprintf(stderr, "payops audit: %s\n", audit_errmsg(log));
		rc = EXIT_USAGE;
	}
	audit_close(log);
	return rc;
}
