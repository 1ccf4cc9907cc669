/* splice_relay.c - the ceiling for bench/bulk.sh: the least a relay can do,
 * splice() from stdin to a TCP socket (send) or from a socket to stdout
 * (recv), with one intermediate pipe when an end is not a pipe.
 *   splice_relay send HOST PORT < data
 *   splice_relay recv PORT > data     (prints "port N" on stderr) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <err.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1 << 20)

/* Moves everything from in to out; returns when in ends. */
static void
pump(int in, int out)
{
	struct stat a, b;
	int p[2];
	ssize_t n, m;

	fstat(in, &a);
	fstat(out, &b);
	if (S_ISFIFO(a.st_mode) || S_ISFIFO(b.st_mode)) {
		while ((n = splice(in, NULL, out, NULL, CHUNK, SPLICE_F_MOVE)) > 0)
			;
		if (n < 0)
			err(1, "splice");
		return;
	}
	if (pipe(p) < 0)
		err(1, "pipe");
	fcntl(p[0], F_SETPIPE_SZ, CHUNK);
	while ((n = splice(in, NULL, p[1], NULL, CHUNK, SPLICE_F_MOVE)) > 0)
		for (; n > 0; n -= m)
			if ((m = splice(p[0], NULL, out, NULL, (size_t)n, SPLICE_F_MOVE)) <= 0)
				err(1, "splice out");
	if (n < 0)
		err(1, "splice in");
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int s, c, one = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	if (argc == 4 && strcmp(argv[1], "send") == 0) {
		inet_pton(AF_INET, argv[2], &sin.sin_addr);
		sin.sin_port = htons((unsigned short)atoi(argv[3]));
		if (connect(s, (struct sockaddr *)&sin, sizeof sin) < 0)
			err(1, "connect");
		pump(0, s);
		shutdown(s, SHUT_WR);
		close(s);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "recv") == 0) {
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = htons((unsigned short)atoi(argv[2]));
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(s, 1) < 0)
			err(1, "bind");
		getsockname(s, (struct sockaddr *)&sin, &len);
		fprintf(stderr, "port %d\n", ntohs(sin.sin_port));
		if ((c = accept(s, NULL, NULL)) < 0)
			err(1, "accept");
		pump(c, 1);
		close(c);
		close(s);
		return 0;
	}
	fprintf(stderr, "usage: splice_relay send HOST PORT | recv PORT\n");
	return 2;
}
