/* epoll_echo.c - the ceiling for bench/echo.sh: a minimal single-threaded
 * epoll TCP echo server on 127.0.0.1:PORT (0 = ephemeral), level-triggered,
 * recv then send at once, no per-client state.  It prints
 * "listening on 127.0.0.1:PORT" on stderr when ready.  A send that cannot
 * take the whole echo closes the client (a ceiling, not a server: the bench
 * sends small messages and waits for each echo, so it does not happen; the
 * count is printed at SIGTERM/SIGINT to prove it).
 * usage: epoll_echo [PORT] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

int
main(int argc, char **argv)
{
	static char buf[65536];
	struct epoll_event evs[512], ev;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	struct sigaction sa;
	unsigned long long short_writes = 0, accepted = 0;
	int lfd, ep, one = 1;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(argc > 1 ? (unsigned short)atoi(argv[1]) : 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(lfd, 4096) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) < 0 || (ep = epoll_create1(0)) < 0) {
		perror("epoll_echo");
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	fprintf(stderr, "listening on 127.0.0.1:%d\n", ntohs(sin.sin_port));
	while (!stop) {
		int n = epoll_wait(ep, evs, 512, -1), i;

		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == lfd) {
				int c;

				while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					accepted++;
					ev.events = EPOLLIN;
					ev.data.fd = c;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0)
						close(c);
				}
			} else {
				ssize_t r = recv(fd, buf, sizeof buf, 0), w;

				if (r < 0 && (errno == EAGAIN || errno == EINTR))
					continue;
				if (r <= 0) {
					close(fd);
					continue;
				}
				w = send(fd, buf, (size_t)r, MSG_NOSIGNAL);
				if (w != r) {
					short_writes++;
					close(fd);
				}
			}
		}
	}
	fprintf(stderr, "epoll_echo: %llu accepted, %llu short writes\n", accepted, short_writes);
	return 0;
}
