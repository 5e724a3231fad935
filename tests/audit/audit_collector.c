/* SPDX-License-Identifier: ISC (see COPYING) */
/* audit-collector: a minimal syslog collector for the forwarding tests.
 *
 *   audit-collector PORTFILE OUTFILE [PORT]
 *
 * Listens on 127.0.0.1:PORT (0 or absent: a free port, written to PORTFILE
 * once listening), reads RFC 6587 octet-counted frames and appends each
 * complete frame to OUTFILE as one line (newlines shown as \n).  An
 * incomplete frame at the end of a connection is discarded, as a real
 * collector would.  Exits on SIGTERM or after 120 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN 8
#define BUFSZ 131072

struct conn {
	int fd;
	char *buf;
	size_t len;
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Emit every complete frame at the start of c->buf; -1 on a framing error. */
static int drain(struct conn *c, FILE *out)
{
	for (;;) {
		size_t i = 0, n = 0;
		while (i < c->len && c->buf[i] >= '0' && c->buf[i] <= '9' && i < 9)
			n = n * 10 + (size_t)(c->buf[i++] - '0');
		if (i == c->len)
			return 0;
		if (i == 0 || c->buf[i] != ' ')
			return -1;
		if (c->len - i - 1 < n)
			return 0;
		const char *m = c->buf + i + 1;
		for (size_t k = 0; k < n; k++) {
			if (m[k] == '\n')
				fputs("\\n", out);
			else
				fputc(m[k], out);
		}
		fputc('\n', out);
		fflush(out);
		size_t used = i + 1 + n;
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: audit-collector PORTFILE OUTFILE [PORT]\n");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)(argc > 3 ? atoi(argv[3]) : 0));
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(ls, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(ls, 8) != 0 ||
	    getsockname(ls, (struct sockaddr *)&sin, &sl) != 0) {
		perror("audit-collector: listen");
		return 1;
	}
	FILE *out = fopen(argv[2], "a");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
	FILE *pf = fopen(tmp, "w");
	if (!pf || fprintf(pf, "%d\n", ntohs(sin.sin_port)) < 0 || fclose(pf) != 0 ||
	    rename(tmp, argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}

	struct conn conns[MAXCONN];
	for (int i = 0; i < MAXCONN; i++)
		conns[i].fd = -1, conns[i].buf = NULL, conns[i].len = 0;
	time_t end = time(NULL) + 120;
	while (!stop && time(NULL) < end) {
		struct pollfd p[MAXCONN + 1];
		int np = 0;
		p[np++] = (struct pollfd){ ls, POLLIN, 0 };
		for (int i = 0; i < MAXCONN; i++)
			if (conns[i].fd >= 0)
				p[np++] = (struct pollfd){ conns[i].fd, POLLIN, 0 };
		if (poll(p, (nfds_t)np, 500) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & POLLIN) {
			int fd = accept(ls, NULL, NULL);
			for (int i = 0; fd >= 0 && i < MAXCONN; i++)
				if (conns[i].fd < 0) {
					conns[i].fd = fd;
					conns[i].buf = malloc(BUFSZ);
					conns[i].len = 0;
					fd = -1;
					if (!conns[i].buf)
						return 1;
				}
			if (fd >= 0)
				close(fd);
		}
		for (int i = 0; i < MAXCONN; i++) {
			struct conn *c = &conns[i];
			if (c->fd < 0)
				continue;
			int ready = 0;
			for (int k = 1; k < np; k++)
				if (p[k].fd == c->fd && p[k].revents)
					ready = 1;
			if (!ready)
				continue;
			ssize_t n = read(c->fd, c->buf + c->len, BUFSZ - c->len);
			if (n > 0) {
				c->len += (size_t)n;
				if (drain(c, out) == 0 && c->len < BUFSZ)
					continue;
				fprintf(stderr, "audit-collector: framing error\n");
			} else if (n < 0 && errno == EINTR) {
				continue;
			}
			close(c->fd);
			free(c->buf);
			c->fd = -1;
			c->buf = NULL;
			c->len = 0;
		}
	}
	for (int i = 0; i < MAXCONN; i++)
		if (conns[i].fd >= 0) {
			close(conns[i].fd);
			free(conns[i].buf);
		}
	close(ls);
	fclose(out);
	return 0;
}
