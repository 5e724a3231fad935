/* SPDX-License-Identifier: ISC (see COPYING) */
/* tests/alerts/am_driver.c: the real event loop, store, HTTP client, audit
 * log and Alertmanager hub, driven line by line from stdin so a shell test
 * can act on the Alertmanager (post alerts, kill it, restart it) between
 * steps. One command at a time; each answers with lines on stdout ending
 * with "done" (or "timeout ..."):
 *
 *   wait-alerts N MS         until the store holds >= N alerts from NAME
 *   alerts                   list them: "alert FP SOURCES STATE_RAW TITLE"
 *   wait-state FP STATE MS   until alert FP's raw state is STATE
 *   silence FP SECONDS [KEY...]  am_silence_create on the store's alert FP
 *   expire ID                am_silence_expire
 *   wait-silence ID STATE MS until the hub lists silence ID in STATE
 *   wait-health up|failing MS  until the server's health is that
 *   state                    "state HEALTH failures=N version=V error=E"
 *   orphan silence FP SECONDS [KEY...] | orphan expire ID
 *                            start the operation, then drop the hub at once
 *                            (as a crash would: intent written, no outcome)
 *                            and make a new one, not yet polling
 *   restart                  start the new hub polling
 *   wait-resolved N MS       until N interrupted intents were settled
 *   quit
 *
 *   am-driver --name NAME --url URL --audit DB --operator OP --reason TEXT
 *             [--poll-ms N]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alerts/am.h"

static struct {
	ev_loop *ev;
	http_client *http;
	store *st;
	struct audit_log *log;
	am_hub *hub;
	am_server *srv;
	const char *name, *operator_id, *reason;
	char buf[8192];
	size_t len;
	/* the command waiting for a condition */
	char cmd[32], arg1[128], arg2[128];
	char resolved[8][512];
	size_t n_resolved;
	am_options opts;
	const char *url;
	long n;
	bool waiting;
	ev_timer_id timeout;
	int rc;
} D;

static void next_line(void);

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* one line, printable: the test compares words, not terminal bytes */
static const char *flat(const char *s, char *out, size_t outsz)
{
	size_t k = 0;
	for (; s && *s && k + 1 < outsz; s++)
		out[k++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
	out[k] = '\0';
	return out;
}

static bool has_source(const api_alert *a, const char *src)
{
	return a->source && strcmp(a->source, src) == 0;
}

static const api_alert *find_alert(const char *fp)
{
	for (size_t i = 0; i < store_alert_count(D.st); i++) {
		const api_alert *a = store_alert_at(D.st, i);
		if (a->fingerprint && strcmp(a->fingerprint, fp) == 0)
			return a;
	}
	return NULL;
}

static size_t count_mine(void)
{
	size_t n = 0;
	for (size_t i = 0; i < store_alert_count(D.st); i++)
		n += has_source(store_alert_at(D.st, i), D.name);
	return n;
}

static void list_alerts(void)
{
	char t[256];
	for (size_t i = 0; i < store_alert_count(D.st); i++) {
		const api_alert *a = store_alert_at(D.st, i);
		reply("alert %s %s %s %s", a->fingerprint, a->source ? a->source : "-",
		      a->state_raw, flat(a->title, t, sizeof t));
	}
}

static void print_state(void)
{
	const am_state *s = am_server_state(D.srv);
	const char *h = s->health == AM_UP ? "up" :
			s->health == AM_FAILING ? "failing" : "pending";
	char e[400];
	reply("state %s failures=%u version=%s cluster=%s alerts=%zu last_ok=%s error=%s",
	      h, s->failures, s->version[0] ? s->version : "-",
	      s->cluster_status[0] ? s->cluster_status : "-", s->n_alerts,
	      s->last_ok ? "yes" : "no", flat(s->error, e, sizeof e));
}

/* Is the waited-for condition met? */
static bool met(void)
{
	if (strcmp(D.cmd, "wait-alerts") == 0)
		return count_mine() >= (size_t)D.n;
	if (strcmp(D.cmd, "wait-state") == 0) {
		const api_alert *a = find_alert(D.arg1);
		return a && strcmp(a->state_raw, D.arg2) == 0;
	}
	if (strcmp(D.cmd, "wait-silence") == 0) {
		const am_silence *s = am_silence_find(D.srv, D.arg1);
		return s && strcmp(s->state_raw, D.arg2) == 0;
	}
	if (strcmp(D.cmd, "wait-resolved") == 0)
		return D.n_resolved >= (size_t)D.n;
	if (strcmp(D.cmd, "wait-health") == 0) {
		am_health want = strcmp(D.arg1, "up") == 0 ? AM_UP : AM_FAILING;
		return am_server_state(D.srv)->health == want;
	}
	return true;
}

static void finish_cmd(bool timed_out)
{
	if (D.timeout && !timed_out)
		ev_timer_cancel(D.ev, D.timeout);
	D.timeout = 0;
	D.waiting = false;
	if (timed_out)
		reply("timeout %s", D.cmd);
	if (strcmp(D.cmd, "wait-alerts") == 0 || strcmp(D.cmd, "wait-state") == 0)
		list_alerts();
	if (strcmp(D.cmd, "wait-health") == 0)
		print_state();
	if (strcmp(D.cmd, "wait-resolved") == 0)
		for (size_t i = 0; i < D.n_resolved; i++)
			reply("resolved %s", D.resolved[i]);
	if (strcmp(D.cmd, "wait-silence") == 0) {
		const am_silence *s = am_silence_find(D.srv, D.arg1);
		char c[256];
		if (s)
			reply("silence %s %s by=%s comment=%s matchers=%zu", s->id,
			      s->state_raw, s->created_by,
			      flat(s->comment, c, sizeof c), s->n_matchers);
	}
	reply("done");
	next_line();
}

static void on_timeout(void *ctx)
{
	(void)ctx;
	D.timeout = 0;
	if (D.waiting)
		finish_cmd(true);
}

static void before_wait(void *ctx)
{
	(void)ctx;
	if (D.waiting && strncmp(D.cmd, "wait-", 5) == 0 && met())
		finish_cmd(false);
}

static void op_done(void *ctx, const am_result *r)
{
	(void)ctx;
	reply("result %s http=%d id=%s code=%s intent=%lld outcome=%lld msg=%s",
	      am_op_status_name(r->status), r->http_status,
	      r->silence_id[0] ? r->silence_id : "-", r->code[0] ? r->code : "-",
	      (long long)r->intent_seq, (long long)r->outcome_seq, r->message);
	D.waiting = false;
	reply("done");
	next_line();
}

static void on_resolved(void *ctx, const char *msg)
{
	(void)ctx;
	if (D.n_resolved < 8)
		snprintf(D.resolved[D.n_resolved++], sizeof D.resolved[0], "%s", msg);
}

static void never(void *ctx, const am_result *r)
{
	(void)ctx;
	(void)r;
	reply("error a dropped operation called back");
	D.rc = 1;
}

/* A new hub with the one server, not polling yet. */
static int new_hub(void)
{
	D.hub = am_hub_new(D.ev, D.http, D.st, D.log, &D.opts);
	D.srv = D.hub ? am_hub_add(D.hub, D.name, D.url) : NULL;
	if (!D.srv)
		return -1;
	am_hub_on_resolved(D.hub, on_resolved, NULL);
	return 0;
}

static void orphan(int argc, char **argv)
{
	const api_alert *a;
	uint64_t id = 0;

	if (strcmp(argv[1], "silence") == 0 && argc >= 4 &&
	    (a = find_alert(argv[2])))
		id = am_silence_create(D.srv, a, (const char *const *)argv + 4,
				       (size_t)(argc - 4), strtoll(argv[3], NULL, 10),
				       D.operator_id, D.reason, never, NULL);
	else if (strcmp(argv[1], "expire") == 0 && argc == 3)
		id = am_silence_expire(D.srv, argv[2], D.operator_id, D.reason,
				       never, NULL);
	reply("orphan %s", id ? "started" : "not started");
	am_hub_free(D.hub);
	if (new_hub() != 0) {
		reply("error could not set up");
		D.rc = 1;
		ev_stop(D.ev);
	}
}

static void wait_for(const char *cmd, long ms)
{
	snprintf(D.cmd, sizeof D.cmd, "%s", cmd);
	D.waiting = true;
	D.timeout = ev_timer_add(D.ev, ms, on_timeout, NULL);
}

static void run(char *line)
{
	char *argv[16];
	int argc = 0;
	for (char *t = strtok(line, " \t"); t && argc < 16; t = strtok(NULL, " \t"))
		argv[argc++] = t;
	if (argc == 0) {
		next_line();
		return;
	}
	snprintf(D.cmd, sizeof D.cmd, "%s", argv[0]);
	D.arg1[0] = D.arg2[0] = '\0';
	if (argc > 1)
		snprintf(D.arg1, sizeof D.arg1, "%s", argv[1]);
	if (argc > 2)
		snprintf(D.arg2, sizeof D.arg2, "%s", argv[2]);
	if (strcmp(argv[0], "quit") == 0) {
		ev_stop(D.ev);
		return;
	}
	if (strcmp(argv[0], "alerts") == 0) {
		list_alerts();
		reply("done");
		next_line();
		return;
	}
	if (strcmp(argv[0], "state") == 0) {
		print_state();
		reply("done");
		next_line();
		return;
	}
	if (strcmp(argv[0], "wait-alerts") == 0 && argc == 3) {
		D.n = strtol(argv[1], NULL, 10);
		wait_for(argv[0], strtol(argv[2], NULL, 10));
		return;
	}
	if ((strcmp(argv[0], "wait-state") == 0 ||
	     strcmp(argv[0], "wait-silence") == 0) && argc == 4) {
		wait_for(argv[0], strtol(argv[3], NULL, 10));
		return;
	}
	if (strcmp(argv[0], "orphan") == 0 && argc >= 3) {
		orphan(argc, argv);
		reply("done");
		next_line();
		return;
	}
	if (strcmp(argv[0], "restart") == 0) {
		am_hub_start(D.hub);
		reply("done");
		next_line();
		return;
	}
	if (strcmp(argv[0], "wait-resolved") == 0 && argc == 3) {
		D.n = strtol(argv[1], NULL, 10);
		wait_for(argv[0], strtol(argv[2], NULL, 10));
		return;
	}
	if (strcmp(argv[0], "wait-health") == 0 && argc == 3) {
		wait_for(argv[0], strtol(argv[2], NULL, 10));
		return;
	}
	if (strcmp(argv[0], "silence") == 0 && argc >= 3) {
		const api_alert *a = find_alert(argv[1]);
		if (!a) {
			reply("error no alert %s", argv[1]);
			reply("done");
			next_line();
			return;
		}
		D.waiting = true;
		if (!am_silence_create(D.srv, a, (const char *const *)argv + 3,
				       (size_t)(argc - 3), strtoll(argv[2], NULL, 10),
				       D.operator_id, D.reason, op_done, NULL)) {
			reply("error out of memory");
			D.rc = 1;
			ev_stop(D.ev);
		}
		return;
	}
	if (strcmp(argv[0], "expire") == 0 && argc == 2) {
		D.waiting = true;
		if (!am_silence_expire(D.srv, argv[1], D.operator_id, D.reason,
				       op_done, NULL)) {
			reply("error out of memory");
			D.rc = 1;
			ev_stop(D.ev);
		}
		return;
	}
	reply("error bad command %s", argv[0]);
	reply("done");
	next_line();
}

/* Run the next complete line in the buffer, if any. */
static void next_line(void)
{
	char line[sizeof D.buf];
	char *nl;
	size_t n;

	if (D.waiting || !(nl = memchr(D.buf, '\n', D.len)))
		return;
	n = (size_t)(nl - D.buf);
	memcpy(line, D.buf, n);
	line[n] = '\0';
	memmove(D.buf, nl + 1, D.len - n - 1);
	D.len -= n + 1;
	run(line);
}

static void on_stdin(void *ctx, int fd, short revents)
{
	(void)ctx;
	(void)revents;
	ssize_t r = read(fd, D.buf + D.len, sizeof D.buf - D.len);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		ev_io_del(D.ev, fd);
		if (!D.waiting && !memchr(D.buf, '\n', D.len))
			ev_stop(D.ev); /* input closed and nothing left to do */
		return;
	}
	if (r > 0)
		D.len += (size_t)r;
	if (D.len == sizeof D.buf) {
		reply("error line too long");
		D.rc = 1;
		ev_stop(D.ev);
		return;
	}
	next_line();
}

int main(int argc, char **argv)
{
	const char *url = NULL, *db = NULL;
	long poll_ms = 300;
	char err[256];

	D.name = "am";
	D.operator_id = "op.test";
	D.reason = "test";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--name") == 0) D.name = argv[i + 1];
		else if (strcmp(argv[i], "--url") == 0) url = argv[i + 1];
		else if (strcmp(argv[i], "--audit") == 0) db = argv[i + 1];
		else if (strcmp(argv[i], "--operator") == 0) D.operator_id = argv[i + 1];
		else if (strcmp(argv[i], "--reason") == 0) D.reason = argv[i + 1];
		else if (strcmp(argv[i], "--poll-ms") == 0) poll_ms = strtol(argv[i + 1], NULL, 10);
	}
	if (!url || !db) {
		fprintf(stderr, "usage: am-driver --url URL --audit DB [--name N] "
			"[--operator OP] [--reason R] [--poll-ms N]\n");
		return 2;
	}
	if (audit_open(db, &D.log, err, sizeof err) != AUDIT_OK) {
		fprintf(stderr, "am-driver: %s\n", err);
		return 1;
	}
	D.url = url;
	D.opts.poll_ms = poll_ms;
	D.opts.status_ms = 1000;
	D.opts.timeout_ms = 3000;
	D.opts.backoff_base_ms = 200;
	D.opts.backoff_cap_ms = 1000;
	D.ev = ev_new();
	D.http = D.ev ? http_new(D.ev, NULL) : NULL;
	D.st = store_new();
	if (!D.http || !D.st || new_hub() != 0) {
		fprintf(stderr, "am-driver: could not set up\n");
		D.rc = 1;
		goto out;
	}
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	ev_io_set(D.ev, 0, POLLIN, on_stdin, NULL);
	ev_set_before_wait(D.ev, before_wait, NULL);
	am_hub_start(D.hub);
	reply("ready");
	if (ev_run(D.ev) != 0)
		D.rc = 1;
out:
	am_hub_free(D.hub);
	http_free(D.http);
	store_free(D.st);
	ev_free(D.ev);
	audit_close(D.log);
	return D.rc;
}
