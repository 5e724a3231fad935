/* Unit tests of forwarding through the poll-loop API, to a datagram socket
 * standing in for /dev/log. */
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
#include <unistd.h>

#include "audit/audit.h"

struct fx {
	char dir[64], db[128], sock[128], dest[160];
	struct audit_log *log;
	int srv;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	char err[256];
	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/audit-fwd-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof fx->db, "%s/a.db", fx->dir);
	snprintf(fx->sock, sizeof fx->sock, "%s/log", fx->dir);
	snprintf(fx->dest, sizeof fx->dest, "unix://%s", fx->sock);
	assert_int_equal(audit_open(fx->db, &fx->log, err, sizeof err), AUDIT_OK);
	fx->srv = -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char p[256];
	audit_close(fx->log);
	if (fx->srv >= 0)
		close(fx->srv);
	unlink(fx->sock);
	unlink(fx->db);
	snprintf(p, sizeof p, "%s-wal", fx->db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fx->db);
	unlink(p);
	rmdir(fx->dir);
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
	assert_int_equal(audit_fwd_cursor(fwd), 3);
	assert_int_equal(audit_fwd_pending(fwd), 0);
	/* idle: nothing to watch on a datagram socket, a rescan timer only */
	assert_int_equal(audit_fwd_pollfd(fwd, &ev), -1);
	int t = audit_fwd_timeout_ms(fwd);
	assert_true(t > 0 && t <= 10000);
	/* a new row is sent on the next pump */
	add_rows(fx, 1);
	audit_fwd_pump(fwd, 0);
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"4\""));
	audit_fwd_close(fwd);

	/* the cursor survives: a new forwarder sends nothing again */
	assert_int_equal(audit_fwd_open(fx->log, fx->dest, &fwd), AUDIT_OK);
	audit_fwd_pump(fwd, 0);
	assert_int_equal(audit_fwd_cursor(fwd), 4);
	struct pollfd p = { fx->srv, POLLIN, 0 };
	assert_int_equal(poll(&p, 1, 100), 0);
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
	char buf[8192];
	short ev;
	add_rows(fx, 2);
	assert_int_equal(audit_fwd_open(fx->log, fx->dest, &fwd), AUDIT_OK);
	audit_fwd_pump(fwd, 0); /* no socket yet: must not block, must not advance */
	assert_int_equal(audit_fwd_cursor(fwd), 0);
	assert_int_equal(audit_fwd_pending(fwd), 2);
	assert_true(strlen(audit_fwd_error(fwd)) > 0);
	assert_int_equal(audit_fwd_pollfd(fwd, &ev), -1);
	int t = audit_fwd_timeout_ms(fwd);
	assert_true(t >= 0 && t <= 1000); /* first retry is soon */
	bind_dgram(fx);
	/* drive it like the console's loop would, bounded */
	for (int i = 0; i < 50 && audit_fwd_pending(fwd) > 0; i++) {
		struct pollfd p = { -1, 0, 0 };
		p.fd = audit_fwd_pollfd(fwd, &p.events);
		int n = poll(&p, p.fd >= 0 ? 1 : 0, audit_fwd_timeout_ms(fwd));
		audit_fwd_pump(fwd, n > 0 ? p.revents : 0);
	}
	assert_int_equal(audit_fwd_pending(fwd), 0);
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"1\""));
	assert_true(recv_one(fx, buf, sizeof buf) > 0);
	assert_non_null(strstr(buf, "seq=\"2\""));
	audit_fwd_close(fwd);
}

static void test_bad_destinations(void **state)
{
	struct fx *fx = *state;
	struct audit_fwd *fwd;
	const char *bad[] = { "udp://127.0.0.1:514", "tcp://127.0.0.1", "tcp://:514",
	                      "tcp://127.0.0.1:5x4", "unix://relative/path", "", "/dev/log" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(audit_fwd_open(fx->log, bad[i], &fwd), AUDIT_EINVAL);
		assert_null(fwd);
	}
	assert_int_equal(audit_fwd_open(fx->log, "tcp://[::1]:5514", &fwd), AUDIT_OK);
	audit_fwd_close(fwd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dgram_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destination_down_then_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_destinations, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
