/* SPDX-License-Identifier: ISC (see COPYING) */
/* tui/demo.c: start and stop the simulator for `payops --demo`. */
#include "tui/demo.h"
#include "base/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define DEMO_SCOPES "read,channels:write,routing:write,onboarding:write," \
		    "recon:write,limits:write,alerts:write"
#define DEMO_OPERATOR "op.demo"

static const char *const demo_files[] = { "tokens", "sim.out", "sim.err" };

static bool demo_executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

static char *demo_join(const char *dir, size_t dirlen, const char *name)
{
	size_t n = dirlen + 1 + strlen(name) + 1;
	char *p = malloc(n);
	if (!p)
		return NULL;
	snprintf(p, n, "%.*s/%s", (int)dirlen, dir, name);
	return p;
}

char *demo_find_sim(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			char *p = demo_join(self, (size_t)(slash - self), "payops-sim");
			if (p && demo_executable(p))
				return p;
			free(p);
		}
	}
	const char *bindir = getenv("PAYOPS_BINDIR");
	if (bindir && *bindir) {
		char *p = demo_join(bindir, strlen(bindir), "payops-sim");
		if (p && demo_executable(p))
			return p;
		free(p);
	}
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	for (const char *s = path; *s;) {
		const char *e = strchr(s, ':');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len > 0) {
			char *p = demo_join(s, len, "payops-sim");
			if (p && demo_executable(p))
				return p;
			free(p);
		}
		if (!e)
			break;
		s = e + 1;
	}
	return NULL;
}

static int demo_token(char *out, size_t outsz)
{
	unsigned char raw[32];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t got = read(fd, raw, sizeof raw);
	close(fd);
	if (got != (ssize_t)sizeof raw || outsz < 2 * sizeof raw + 1)
		return -1;
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

static void demo_path(const demo_sim *d, const char *name, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s/%s", d->dir, name);
}

static int demo_write_tokens(const demo_sim *d)
{
	char path[300];
	demo_path(d, "tokens", path, sizeof path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	char line[256];
	int n = snprintf(line, sizeof line, "%s %s %s\n", d->token,
			 DEMO_OPERATOR, DEMO_SCOPES);
	int rc = (n > 0 && (size_t)n < sizeof line &&
		  write(fd, line, (size_t)n) == n) ? 0 : -1;
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static void demo_remove_dir(demo_sim *d)
{
	if (!d->dir[0])
		return;
	char path[300];
	for (size_t i = 0; i < sizeof demo_files / sizeof demo_files[0]; i++) {
		demo_path(d, demo_files[i], path, sizeof path);
		unlink(path);
	}
	rmdir(d->dir);
	d->dir[0] = '\0';
}

static void demo_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void demo_exit_words(int status, char *msg, size_t msgsz)
{
	if (WIFEXITED(status))
		snprintf(msg, msgsz, _("payops-sim exited with status %d"),
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(msg, msgsz, _("payops-sim was killed by signal %d"),
			 WTERMSIG(status));
	else
		snprintf(msg, msgsz, "%s", _("payops-sim stopped"));
}

/* Last line of the simulator's stderr, for an error message. */
static void demo_stderr_tail(const demo_sim *d, char *out, size_t outsz)
{
	char path[300], buf[1024];
	out[0] = '\0';
	demo_path(d, "sim.err", path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	off_t size = lseek(fd, 0, SEEK_END);
	off_t from = size > (off_t)sizeof buf - 1 ? size - (off_t)sizeof buf + 1 : 0;
	ssize_t n = pread(fd, buf, sizeof buf - 1, from);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	char *line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	/* plain printable ASCII only: this goes to the terminal */
	size_t o = 0;
	for (const char *p = line; *p && o + 1 < outsz; p++)
		out[o++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
	out[o] = '\0';
}

/* 1: got the URL, 0: not yet, -1: malformed first line */
static int demo_read_listen(demo_sim *d)
{
	char path[300], buf[512];
	demo_path(d, "sim.out", path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *nl = strchr(buf, '\n');
	if (!nl)
		return n == (ssize_t)sizeof buf - 1 ? -1 : 0;
	*nl = '\0';
	static const char prefix[] = "listening on http://127.0.0.1:";
	if (strncmp(buf, prefix, sizeof prefix - 1) != 0)
		return -1;
	const char *port = buf + sizeof prefix - 1;
	char *end;
	errno = 0;
	long p = strtol(port, &end, 10);
	if (errno || *end || p <= 0 || p > 65535)
		return -1;
	snprintf(d->url, sizeof d->url, "http://127.0.0.1:%ld", p);
	return 1;
}

static void demo_child(const demo_sim *d, int sim_argc, char **sim_argv)
{
	char out[300], err[300], tokens[300];
	demo_path(d, "sim.out", out, sizeof out);
	demo_path(d, "sim.err", err, sizeof err);
	demo_path(d, "tokens", tokens, sizeof tokens);

	setpgid(0, 0); /* keyboard signals are the console's, not the sim's */
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a crashed console */
#endif
	int in = open("/dev/null", O_RDONLY);
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 ||
	    dup2(e, 2) < 0)
		_exit(127);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	size_t n = 0, max = (size_t)sim_argc + 10;
	char **argv = calloc(max, sizeof *argv);
	if (!argv)
		_exit(127);
	argv[n++] = (char *)"payops-sim";
	argv[n++] = (char *)"--host";
	argv[n++] = (char *)"127.0.0.1";
	argv[n++] = (char *)"--port";
	argv[n++] = (char *)"0";
	argv[n++] = (char *)"--token-file";
	argv[n++] = tokens;
	argv[n++] = (char *)"--quiet";
	for (int i = 0; i < sim_argc; i++)
		argv[n++] = sim_argv[i];
	argv[n] = NULL;
	execv(d->sim_path, argv);
	dprintf(2, _("cannot run %s: %s\n"), d->sim_path, strerror(errno));
	_exit(127);
}

int demo_start(demo_sim *d, int sim_argc, char **sim_argv, int timeout_ms,
	       char *err, size_t errsz)
{
	memset(d, 0, sizeof *d);
	char *sim = demo_find_sim();
	if (!sim) {
		snprintf(err, errsz, "%s", _("payops-sim not found (looked next to this "
			 "program, in $PAYOPS_BINDIR and on the PATH)"));
		return -1;
	}
	snprintf(d->sim_path, sizeof d->sim_path, "%s", sim);
	free(sim);

	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(d->dir, sizeof d->dir, "%s/payops-demo.XXXXXX", tmp);
	if (!mkdtemp(d->dir)) {
		snprintf(err, errsz, _("cannot create a directory in %s: %s"),
			 tmp, strerror(errno));
		d->dir[0] = '\0';
		return -1;
	}
	if (demo_token(d->token, sizeof d->token) != 0 ||
	    demo_write_tokens(d) != 0) {
		snprintf(err, errsz, _("cannot write the demo token in %s: %s"),
			 d->dir, strerror(errno));
		demo_remove_dir(d);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		demo_remove_dir(d);
		return -1;
	}
	if (pid == 0)
		demo_child(d, sim_argc, sim_argv);
	d->pid = pid;

	for (int waited = 0;; waited += 20) {
		int r = demo_read_listen(d);
		if (r == 1)
			return 0;
		int status;
		if (r < 0) {
			snprintf(err, errsz, _("%s: unexpected first line on its "
				 "standard output"), d->sim_path);
		} else if (waitpid(pid, &status, WNOHANG) == pid) {
			char how[128], tail[200];
			d->pid = 0;
			demo_exit_words(status, how, sizeof how);
			demo_stderr_tail(d, tail, sizeof tail);
			snprintf(err, errsz, _("%s before listening%s%s"), how,
				 tail[0] ? ": " : "", tail);
		} else if (waited >= timeout_ms) {
			snprintf(err, errsz, _("payops-sim did not say where it "
				 "listens within %d s"), timeout_ms / 1000);
		} else {
			demo_sleep_ms(20);
			continue;
		}
		demo_stop(d);
		return -1;
	}
}

bool demo_reap(demo_sim *d, char *msg, size_t msgsz)
{
	int status;
	if (d->pid <= 0 || waitpid(d->pid, &status, WNOHANG) != d->pid)
		return false;
	d->pid = 0;
	demo_exit_words(status, msg, msgsz);
	return true;
}

void demo_stop(demo_sim *d)
{
	if (d->pid > 0) {
		int status;
		kill(d->pid, SIGTERM);
		int waited = 0;
		while (waitpid(d->pid, &status, WNOHANG) == 0) {
			if (waited >= 5000) {
				kill(d->pid, SIGKILL);
				waitpid(d->pid, &status, 0);
				break;
			}
			demo_sleep_ms(10);
			waited += 10;
		}
		d->pid = 0;
	}
	demo_remove_dir(d);
}
