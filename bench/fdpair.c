/* fdpair.c - the ceiling for bench/fds.sh: a minimal SCM_RIGHTS fd holder
 * and the client loop that measures any holder.
 *
 *   fdpair serve PATH         accept, sendmsg(fd 0 with one byte), close,
 *                             forever; prints "ready" on stderr when
 *                             listening
 *   fdpair client PATH N      N times: connect, recvmsg one descriptor,
 *                             close both; prints "N SECONDS RATE" (passes
 *                             per second) on stdout
 *
 * Plain libc, no error recovery: a benchmark, not a tool. */
#define _GNU_SOURCE
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Fills *sun with path; returns its length. */
static socklen_t
unix_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun->sun_path)
		errx(2, "path too long: %s", path);
	strcpy(sun->sun_path, path);
	return (socklen_t)sizeof *sun;
}

/* The holder: never returns. */
static void
serve(const char *path)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(&sun, path);
	char control[CMSG_SPACE(sizeof(int))], byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	int l, c, fd0 = 0;

	if ((l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		err(1, "socket");
	unlink(path);
	if (bind(l, (struct sockaddr *)&sun, len) < 0 || listen(l, SOMAXCONN) < 0)
		err(1, "bind/listen %s", path);
	fprintf(stderr, "ready\n");
	memset(&msg, 0, sizeof msg);
	memset(control, 0, sizeof control);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control;
	msg.msg_controllen = sizeof control;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd0, sizeof fd0);
	for (;;) {
		if ((c = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0)
			err(1, "accept");
		if (sendmsg(c, &msg, MSG_DONTWAIT) < 0)
			warn("sendmsg");
		close(c);
	}
}

/* The client loop: n passes, each on a new connection. */
static void
client(const char *path, long n)
{
	struct sockaddr_un sun;
	socklen_t len = unix_addr(&sun, path);
	char control[CMSG_SPACE(sizeof(int) * 4)], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr msg;
	struct cmsghdr *cm;
	struct timespec t0, t1;
	double secs;
	long i;
	int s, fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			err(1, "socket");
		if (connect(s, (struct sockaddr *)&sun, len) < 0)
			err(1, "connect %s", path);
		memset(&msg, 0, sizeof msg);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control;
		msg.msg_controllen = sizeof control;
		if (recvmsg(s, &msg, MSG_CMSG_CLOEXEC) != 1)
			err(1, "recvmsg (pass %ld)", i);
		cm = CMSG_FIRSTHDR(&msg);
		if (cm == NULL || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(int)))
			errx(1, "pass %ld: expected exactly one descriptor", i);
		memcpy(&fd, CMSG_DATA(cm), sizeof fd);
		close(fd);
		close(s);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%ld %.3f %.0f\n", n, secs, (double)n / secs);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		serve(argv[2]);
	if (argc == 4 && strcmp(argv[1], "client") == 0) {
		client(argv[2], strtol(argv[3], NULL, 10));
		return 0;
	}
	fprintf(stderr, "usage: fdpair serve PATH | fdpair client PATH N\n");
	return 2;
}
