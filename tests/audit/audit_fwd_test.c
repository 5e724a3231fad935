/* SPDX-License-Identifier: ISC (see COPYING) */
/* Unit tests of forwarding through the poll-loop API (the forwarder's own
 * thread does the I/O), to a datagram socket standing in for /dev/log, and
 * a receiver that never answers, to show the caller's loop never waits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "tests/audit/fixture.h"
#include "tests/lib/unit.h"

struct fx {
	char dir[64], db[128], sock[128], dest[160];
	struct audit_log *log;
	int srv;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	audit_fx_open(fx->dir, sizeof fx->dir, "audit-fwd", fx->db, sizeof fx->db, "a.db", &fx->log);
	snprintf(fx->sock, sizeof fx->sock, "%s/log", fx->dir);
	snprintf(fx->dest, sizeof fx->dest, "unix://%s", fx->sock);
	fx->srv = -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	if (fx->srv >= 0)
		close(fx->srv);
	unlink(fx->sock);
	audit_fx_close(fx->log, fx->db, fx->dir);
	free(fx);
	return 0;
}

static void bind_dgram(struct fx *fx)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	fx->srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fx->srv >= 0);
	memcpy(sun.sun_path, fx->sock, strlen(fx->sock) + 1);
	assert_int_equal(bind(fx->srv, (struct sockaddr *)&sun, sizeof sun), 0);
}

static void add_rows(struct fx *fx, int n)
{
	for (int i = 0; i < n; i++) {
		struct audit_intent in = { .operator_id = "op.zhang", .action = "alert.ack",
		                           .target = "alrt_1", .reason = "seen" };
		assert_int_equal(audit_append_intent(fx->log, &in, NULL), AUDIT_OK);
	}
}

/* receive one datagram (waiting up to 2 s); returns its length or -1 */
static int recv_one(struct fx *fx, char *buf, size_t sz)
{
	struct pollfd p = { fx->srv, POLLIN, 0 };
	if (poll(&p, 1, 2000) != 1)
		return -1;
	ssize_t n = recv(fx->srv, buf, sz - 1, 0);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drive fwd like the console's loop does until done(fwd) or ms pass. */
static int drive(struct audit_fwd *fwd, int (*done)(struct audit_fwd *), int ms)
{
	int64_t end = now_ms() + ms;
	while (!done(fwd)) {
		struct pollfd p = { -1, 0, 0 };
		int64_t left = end - now_ms();
		if (left <= 0)
			return 0;
		p.fd = audit_fwd_pollfd(fwd, &p.events);
		int n = poll(&p, p.fd >= 0 ? 1 : 0, left > 200 ? 200 : (int)left);
		audit_fwd_pump(fwd, n > 0 ? p.revents : 0);
	}
	return 1;
}

static int all_sent(struct audit_fwd *fwd) { return audit_fwd_pending(fwd) == 0; }
static int has_error(struct audit_fwd *fwd) { return *audit_fwd_error(fwd) != '\0'; }
static int cursor_is_4(struct audit_fwd *fwd) { return audit_fwd_cursor(fwd) == 4; }

static void test_dgram_forward(void **state)
{
	struct fx *fx = *state;
	struct audit_fwd *fwd;
	char buf[8192], want[64];
	short ev;
	bind_dgram(fx);
	add_rows(fx, 3);
	assert_int_equal(audit_fwd_open(fx->log, fx->dest, &fwd), AUDIT_OK);
	assert_int_equal(audit_fwd_pending(fwd), 3);
	audit_fwd_pump(fwd, 0);
	for (int i = 1; i <= 3; i++) {
		assert_true(recv_one(fx, buf, sizeof buf) > 0);
		/* datagrams carry the message alone, no octet count */
		assert_int_equal(strncmp(buf, "<85>1 ", 6), 0);
		snprintf(want, sizeof want, "[payops@32473 seq=\"%d\" ", i);
		assert_non_null(strstr(buf, want));
	}
	assert_true(drive(fwd, all_sent, 2000));
	assert_int_equal(audit_fwd_cursor(fwd), 3);
	/* the loop watches one descriptor and needs no timer */
	assert_true(audit_fwd_pollfd(fwd, &ev) >= 0);
	assert_int_equal(ev, POLLIN);
	assert_int_equal(audit_fwd_timeout_ms(fwd), -1);
	struct audit_fwd_lag lag;
	assert_int_equal(audit_fwd_lag(fwd, &lag), AUDIT_OK);
	assert_int_equal(lag.behind, 0);
	assert_int_equal(lag.since, 0);
	assert_int_equal(lag.forwarding, 1);
	/* a new row is sent once the loop pokes the forwarder */
	add_rows(fx, 1);
	audit_fwd_pump(fwd, 0);
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"4\""));
	assert_true(drive(fwd, cursor_is_4, 2000));
	audit_fwd_close(fwd);

	/* the cursor survives: a new forwarder sends nothing again */
	assert_int_equal(audit_fwd_open(fx->log, fx->dest, &fwd), AUDIT_OK);
	assert_true(drive(fwd, cursor_is_4, 2000));
	struct pollfd p = { fx->srv, POLLIN, 0 };
	assert_int_equal(poll(&p, 1, 300), 0);
	/* rewind resends */
	assert_int_equal(audit_fwd_rewind(fwd, 2), AUDIT_OK);
	audit_fwd_pump(fwd, 0);
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"3\""));
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"4\""));
	audit_fwd_close(fwd);
}

static void test_destination_down_then_up(void **state)
{
	struct fx *fx = *state;
	struct audit_fwd *fwd;
	struct audit_fwd_lag lag;
	char buf[8192];
	add_rows(fx, 2);
	/* read from the log alone (payops patrol): never forwarded, all behind */
	assert_int_equal(audit_fwd_stored_lag(fx->log, fx->dest, &lag), AUDIT_OK);
	assert_int_equal(lag.behind, 2);
	assert_true(lag.since > 0 && lag.since <= (int64_t)time(NULL));
	assert_int_equal(audit_fwd_open(fx->log, fx->dest, &fwd), AUDIT_OK);
	audit_fwd_pump(fwd, 0); /* no socket yet: must not advance */
	assert_true(drive(fwd, has_error, 2000));
	assert_int_equal(audit_fwd_cursor(fwd), 0);
	assert_int_equal(audit_fwd_pending(fwd), 2);
	assert_int_equal(audit_fwd_lag(fwd, &lag), AUDIT_OK);
	assert_int_equal(lag.behind, 2);
	assert_true(lag.since > 0 && lag.since <= (int64_t)time(NULL));
	assert_int_equal(lag.failing, 1);
	bind_dgram(fx);
	/* retried on the forwarder's backoff (at most 10 s), the loop only watching */
	assert_true(drive(fwd, all_sent, 15000));
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"1\""));
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"2\""));
	assert_int_equal(audit_fwd_lag(fwd, &lag), AUDIT_OK);
	assert_int_equal(lag.behind, 0);
	audit_fwd_close(fwd);
	/* the stored cursor says the same, and another destination is behind */
	assert_int_equal(audit_fwd_stored_lag(fx->log, fx->dest, &lag), AUDIT_OK);
	assert_int_equal(lag.behind, 0);
	assert_int_equal(lag.since, 0);
	assert_int_equal(audit_fwd_stored_lag(fx->log, "tcp://127.0.0.1:1", &lag), AUDIT_OK);
	assert_int_equal(lag.behind, 2);
}

/* A receiver that accepts and then never answers: the TLS handshake hangs
 * on the forwarder's thread, and every call the loop makes stays quick. */
static void test_loop_never_waits(void **state)
{
	struct fx *fx = *state;
	struct audit_fwd *fwd;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof sin;
	char dest[64];
	int srv = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(srv >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(srv, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(srv, 4), 0);
	assert_int_equal(getsockname(srv, (struct sockaddr *)&sin, &sl), 0);
	snprintf(dest, sizeof dest, "tls://127.0.0.1:%d", ntohs(sin.sin_port));
	add_rows(fx, 3);
	assert_int_equal(audit_fwd_open(fx->log, dest, &fwd), AUDIT_OK);
	int64_t worst = 0, end = now_ms() + 1500;
	while (now_ms() < end) {
		struct audit_fwd_lag lag;
		short ev;
		int64_t t0 = now_ms();
		audit_fwd_pump(fwd, 0);
		audit_fwd_pollfd(fwd, &ev);
		audit_fwd_lag(fwd, &lag);
		assert_int_equal(audit_fwd_pending(fwd), 3);
		(void)audit_fwd_error(fwd);
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		struct timespec d = { 0, 20 * 1000000 };
		nanosleep(&d, NULL);
	}
	assert_true(worst < 100);
	assert_int_equal(audit_fwd_cursor(fwd), 0);
	int64_t t0 = now_ms();
	audit_fwd_close(fwd); /* stops the handshake's wait at once */
	assert_true(now_ms() - t0 < 2000);
	close(srv);
}

static void test_bad_destinations(void **state)
{
	struct fx *fx = *state;
	struct audit_fwd *fwd;
	const char *bad[] = { "udp://127.0.0.1:514", "tcp://127.0.0.1", "tcp://:514",
	                      "tcp://127.0.0.1:5x4", "unix://relative/path", "", "/dev/log",
	                      "relp://collector", "tls://::1:6514", "tls://host:70000",
	                      "relp+tls://", "tls://a b:6514", "https://host:443" };
	/* (only loopback: the thread may try to connect before it is stopped) */
	const char *good[] = { "tcp://[::1]:1", "tls://localhost", "tls://[::1]",
	                       "relp://127.0.0.1:1", "relp+tls://localhost:1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(audit_fwd_open(fx->log, bad[i], &fwd), AUDIT_EINVAL);
		assert_null(fwd);
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		/* opening starts the thread only; close it before it connects */
		assert_int_equal(audit_fwd_open(fx->log, good[i], &fwd), AUDIT_OK);
		audit_fwd_close(fwd);
	}
}

UNIT_MAIN(NULL, NULL,
	UNIT_TEST(test_dgram_forward),
	UNIT_TEST(test_destination_down_then_up),
	UNIT_TEST(test_loop_never_waits),
	UNIT_TEST(test_bad_destinations))
