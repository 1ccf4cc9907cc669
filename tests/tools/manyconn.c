/* manyconn.c - many TCP clients at once against an echo server, for
 * tests/81-load.bats and tests/82-faults.bats (built by them into a temp dir).
 *
 *   manyconn MODE HOST PORT N
 *
 * N clients connect (at most 256 handshakes in flight, one epoll loop), each
 * sends "client K\n" and then, by MODE:
 *   hold   waits for its echo and checks it; when all are served, prints
 *          "served S of N errors E" on stdout (flushed), then waits for a
 *          line (or EOF) on stdin and closes every connection normally;
 *   rst    closes at once with SO_LINGER 0 (a RST), whether or not the echo
 *          came back: an RST storm; prints "reset N";
 *   half   shuts down its writing side (SHUT_WR) and reads until EOF; the
 *          bytes before EOF must be exactly its echo; prints like hold and
 *          closes.
 * Exit status 0 when every client was served (rst: when every connect
 * succeeded), 1 otherwise.  Gives up after 60 s. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct cl {
	int fd, state;		/* 0 connecting, 1 sent, 2 served, 3 failed */
	char want[32], got[32];
	size_t wantlen, gotlen;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev, evs[256];
	struct cl *c;
	int ep, n, i, started = 0, inflight = 0, done = 0, errors = 0, mode;
	double deadline = now() + 60;

	if (argc != 5 || inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1) {
		fprintf(stderr, "usage: manyconn hold|rst|half HOST PORT N\n");
		return 2;
	}
	mode = strcmp(argv[1], "hold") == 0 ? 0 : strcmp(argv[1], "rst") == 0 ? 1 : 2;
	sin.sin_port = htons((unsigned short)atoi(argv[3]));
	n = atoi(argv[4]);
	c = calloc((size_t)n, sizeof *c);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0 || c == NULL) {
		perror("manyconn");
		return 1;
	}
	while (done < n && now() < deadline) {
		int k, m;

		while (started < n && inflight < 256) {
			struct cl *p = &c[started];

			p->wantlen = (size_t)snprintf(p->want, sizeof p->want, "client %d\n", started);
			p->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (p->fd < 0) {
				fprintf(stderr, "manyconn: socket %d: %s\n", started, strerror(errno));
				return 1;
			}
			if (connect(p->fd, (struct sockaddr *)&sin, sizeof sin) < 0 && errno != EINPROGRESS) {
				p->state = 3;
				errors++;
				done++;
				started++;
				continue;
			}
			ev.events = EPOLLOUT | EPOLLIN;
			ev.data.u32 = (unsigned)started;
			epoll_ctl(ep, EPOLL_CTL_ADD, p->fd, &ev);
			started++;
			inflight++;
		}
		m = epoll_wait(ep, evs, 256, 100);
		for (k = 0; k < m; k++) {
			struct cl *p = &c[evs[k].data.u32];
			int err = 0;
			socklen_t el = sizeof err;
			ssize_t r;

			if (p->state == 0) {
				getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err || send(p->fd, p->want, p->wantlen, MSG_NOSIGNAL) != (ssize_t)p->wantlen) {
					p->state = 3;
					errors++;
					done++;
					inflight--;
					epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
					continue;
				}
				inflight--;
				if (mode == 1) {
					struct linger lg = { 1, 0 };

					setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
					close(p->fd);
					p->fd = -1;
					p->state = 2;
					done++;
					continue;
				}
				if (mode == 2)
					shutdown(p->fd, SHUT_WR);
				p->state = 1;
				ev.events = EPOLLIN;
				ev.data.u32 = evs[k].data.u32;
				epoll_ctl(ep, EPOLL_CTL_MOD, p->fd, &ev);
				continue;
			}
			if (p->state != 1)
				continue;
			r = recv(p->fd, p->got + p->gotlen, sizeof p->got - p->gotlen, 0);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r > 0)
				p->gotlen += (size_t)r;
			if (r > 0 && p->gotlen < sizeof p->got && !(mode == 0 && p->gotlen >= p->wantlen))
				continue;
			/* hold: the echo is complete; half: EOF (or too much) */
			p->state = (p->gotlen == p->wantlen && memcmp(p->got, p->want, p->wantlen) == 0 &&
			    (mode == 0 || r == 0)) ? 2 : 3;
			errors += p->state == 3;
			done++;
			epoll_ctl(ep, EPOLL_CTL_DEL, p->fd, NULL);
		}
	}
	if (mode == 1) {
		printf("reset %d errors %d\n", done - errors, errors + (n - done));
		return errors || done < n;
	}
	printf("served %d of %d errors %d\n", done - errors, n, errors + (n - done));
	fflush(stdout);
	if (mode == 0) {
		char line[16];

		if (fgets(line, sizeof line, stdin) == NULL) {
			/* EOF: close at once */
		}
	}
	for (i = 0; i < n; i++)
		if (c[i].fd > 0)
			close(c[i].fd);
	return errors || done < n;
}
