/* udpgen.c - a UDP flood for bench/sniff.sh: sendmmsg() of COUNT datagrams
 * of SIZE bytes to HOST:PORT (loopback), in batches, optionally paced.
 * usage: udpgen HOST PORT COUNT [SIZE [PPS]] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static char payload[65507];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_in sin;
	long count, size = 64, pps = 0, sent = 0;
	double t0;
	int fd, i;

	if (argc < 4) {
		fprintf(stderr, "usage: udpgen HOST PORT COUNT [SIZE [PPS]]\n");
		return 2;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "udpgen: bad address %s\n", argv[1]);
		return 2;
	}
	count = atol(argv[3]);
	if (argc > 4)
		size = atol(argv[4]);
	if (argc > 5)
		pps = atol(argv[5]);
	if (size < 0 || size > (long)sizeof payload || count < 0) {
		fprintf(stderr, "udpgen: bad size or count\n");
		return 2;
	}
	memset(payload, 'x', (size_t)size);
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) < 0) {
		perror("udpgen");
		return 1;
	}
	iov.iov_base = payload;
	iov.iov_len = (size_t)size;
	memset(msgs, 0, sizeof msgs);
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = now();
	while (sent < count) {
		unsigned n = count - sent < BATCH ? (unsigned)(count - sent) : BATCH;
		int r = sendmmsg(fd, msgs, n, 0);

		if (r < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == ECONNREFUSED)
				continue;
			perror("udpgen: sendmmsg");
			return 1;
		}
		sent += r;
		if (pps > 0) {
			double ahead = (double)sent / (double)pps - (now() - t0);

			if (ahead > 0) {
				struct timespec ts = { (time_t)ahead, (long)((ahead - (double)(time_t)ahead) * 1e9) };

				nanosleep(&ts, NULL);
			}
		}
	}
	fprintf(stderr, "udpgen: %ld datagrams of %ld bytes in %.3f s\n", sent, size, now() - t0);
	close(fd);
	return 0;
}
