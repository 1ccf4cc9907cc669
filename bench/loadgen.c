/* loadgen.c - an epoll TCP load generator for bench/echo.sh (one thread).
 *
 *   loadgen rr    HOST PORT CONNS SECONDS [SIZE]
 *	CONNS clients connect, each makes one untimed warm-up round trip (at
 *	most $INFLIGHT, default 256, clients connecting or warming up at a
 *	time, for servers with a short accept queue); then all of them do request/response
 *	round trips of SIZE bytes (default 64) for SECONDS.  Prints
 *	"rr conns=N rtps=R rts=COUNT p50_us=A p99_us=B errors=E".
 *   loadgen storm HOST PORT CONNS [SIZE]
 *	CONNS clients connect at once (every connect() issued back to back),
 *	each sends SIZE bytes as soon as it is connected and waits for the
 *	echo; connections stay open until all are served.  Prints
 *	"storm conns=N served=S all_ms=T p50_ms=A p99_ms=B errors=E"
 *	(times from the first connect() call).
 *   loadgen seq   HOST PORT CONNS [SIZE]
 *	CONNS connections one after another, each connect, one round trip of
 *	SIZE bytes and close (a RST, as below): new connections per second.
 *	Prints "seq conns=N secs=T cps=R errors=E".
 *   loadgen hold  HOST PORT CONNS SECONDS [SIZE]
 *	CONNS clients connect ($INFLIGHT at a time), one round trip each, then
 *	"hold conns=N served=S errors=E" is printed and flushed and the
 *	connections are held open for SECONDS (or until SIGTERM).
 *
 * Percentiles come from a 1 us histogram capped at 1 s (1000 ms means 1 s
 * or more).  Every mode gives up after a 60 s deadline.  Clients close with
 * SO_LINGER 0 (a RST) so that repeated runs leave no TIME_WAIT behind. */
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
#include <time.h>
#include <unistd.h>

#define HIST_US		1000000		/* 1 us buckets up to 1 s */
#define DEADLINE	60.0

enum { CONNECTING, WAITING, IDLE, DEAD };
enum { RR, STORM, HOLD, SEQ };

struct conn {
	int fd, state;
	size_t got;
	double sent, started;
};

static struct conn *conns;
static unsigned *hist;
static unsigned long long hist_n, hist_over;
static int ep, mode, size = 64;
static long nconns, started, connecting, alive, served, errors;
static struct sockaddr_in dst;
static char msg[65536], rbuf[65536];
static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
record(double secs)
{
	double us = secs * 1e6;

	if (us < HIST_US)
		hist[(unsigned)us]++;
	else
		hist_over++;
	hist_n++;
}

/* The latency (us) below which a fraction q of the recorded samples is. */
static double
quantile(double q)
{
	unsigned long long want = (unsigned long long)(q * (double)hist_n), sum = 0;
	unsigned i;

	if (hist_n == 0)
		return 0;
	for (i = 0; i < HIST_US; i++) {
		sum += hist[i];
		if (sum > want)
			return i + 0.5;
	}
	return HIST_US;
}

static void
kill_conn(struct conn *c)
{
	struct linger lg = { 1, 0 };

	if (c->state == DEAD)
		return;
	if (c->state == CONNECTING)
		connecting--;
	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(c->fd);
	c->state = DEAD;
	alive--;
}

static void
fail(struct conn *c)
{
	errors++;
	kill_conn(c);
}

/* Starts connection i; returns -1 when it failed at once. */
static int
start_conn(long i)
{
	struct conn *c = &conns[i];
	struct epoll_event ev;
	int one = 1;

	c->started = now();
	c->got = 0;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		c->state = DEAD;
		errors++;
		return -1;
	}
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c->state = CONNECTING;
	connecting++;
	alive++;
	if (connect(c->fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS) {
		fail(c);
		return -1;
	}
	ev.events = EPOLLOUT;
	ev.data.u64 = (unsigned long long)i;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		fail(c);
		return -1;
	}
	return 0;
}

static void
send_msg(struct conn *c)
{
	c->sent = now();
	c->got = 0;
	if (send(c->fd, msg, (size_t)size, MSG_NOSIGNAL) != size)
		fail(c);
	else
		c->state = WAITING;
}

/* One blocking connection and round trip of the seq mode; 0 or -1. */
static int
seq_one(void)
{
	struct linger lg = { 1, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0), got = 0, n;

	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0 ||
	    send(fd, msg, (size_t)size, 0) != size) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while (got < size && (n = (int)recv(fd, rbuf, sizeof rbuf, 0)) > 0)
		got += n;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
	return got == size ? 0 : -1;
}

/* The seq mode: nconns connections one after another. */
static int
seq_run(void)
{
	double t0 = now(), t;
	long i;

	for (i = 0; i < nconns && !stop && now() < t0 + DEADLINE; i++)
		if (seq_one() < 0)
			errors++;
	t = now() - t0;
	printf("seq conns=%ld secs=%.3f cps=%.0f errors=%ld\n", i, t,
	    t > 0 ? i / t : 0, errors);
	return 0;
}

int
main(int argc, char **argv)
{
	struct epoll_event evs[512];
	struct sigaction sa;
	double secs = 0, t0, t_end = 0, t_last = 0, deadline;
	long limit, warm = 0, i;
	int timed = 0;

	if (argc < 5) {
		fprintf(stderr, "usage: loadgen rr|storm|hold|seq HOST PORT CONNS [SECONDS] [SIZE]\n");
		return 2;
	}
	mode = strcmp(argv[1], "rr") == 0 ? RR : strcmp(argv[1], "storm") == 0 ? STORM :
	    strcmp(argv[1], "hold") == 0 ? HOLD : strcmp(argv[1], "seq") == 0 ? SEQ : -1;
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons((unsigned short)atoi(argv[3]));
	nconns = atol(argv[4]);
	if (mode < 0 || inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1 || nconns < 1 || nconns > 100000) {
		fprintf(stderr, "loadgen: bad arguments\n");
		return 2;
	}
	if (mode == SEQ) {
		if (argc > 5)
			size = atoi(argv[5]);
	} else if (mode != STORM) {
		if (argc < 6 || (secs = atof(argv[5])) <= 0 || secs > 3600) {
			fprintf(stderr, "loadgen: SECONDS must be in (0, 3600]\n");
			return 2;
		}
		if (argc > 6)
			size = atoi(argv[6]);
	} else if (argc > 5) {
		size = atoi(argv[5]);
	}
	if (size < 1 || size > (int)sizeof msg) {
		fprintf(stderr, "loadgen: SIZE must be 1..%zu\n", sizeof msg);
		return 2;
	}
	memset(msg, 'x', sizeof msg);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (mode == SEQ)
		return seq_run();
	conns = calloc((size_t)nconns, sizeof *conns);
	hist = calloc(HIST_US, sizeof *hist);
	if (conns == NULL || hist == NULL || (ep = epoll_create1(0)) < 0) {
		perror("loadgen");
		return 1;
	}
	for (i = 0; i < nconns; i++)
		conns[i].state = DEAD;	/* not started yet */
	limit = mode == STORM ? nconns : getenv("INFLIGHT") ? atol(getenv("INFLIGHT")) : 256;
	if (limit < 1)
		limit = 1;
	t0 = now();
	deadline = t0 + DEADLINE;
	while (!stop) {
		double t;
		int n, k;

		while (started < nconns && started - served - errors < limit)
			start_conn(started++);
		t = now();
		if (timed && t >= t_end)
			break;
		if (t > deadline) {
			fprintf(stderr, "loadgen: 60 s deadline reached\n");
			break;
		}
		if (!timed && started == nconns && connecting == 0 && served + errors >= nconns) {
			if (mode == STORM)
				break;
			if (mode == HOLD) {
				printf("hold conns=%ld served=%ld errors=%ld\n", nconns, served, errors);
				fflush(stdout);
				deadline = t + secs;
				timed = 1;
				t_end = t + secs;
				continue;
			}
			/* RR: everybody warmed up: the clock starts now */
			timed = 1;
			t0 = now();
			t_end = t0 + secs;
			for (i = 0; i < nconns; i++)
				if (conns[i].state == IDLE)
					send_msg(&conns[i]);
			continue;
		}
		n = epoll_wait(ep, evs, 512, timed ? (int)((t_end - t) * 1000) + 1 : 100);
		for (k = 0; k < n; k++) {
			struct conn *c = &conns[evs[k].data.u64];

			if (c->state == DEAD)
				continue;
			if (c->state == CONNECTING) {
				struct epoll_event ev;
				int err = 0;
				socklen_t len = sizeof err;

				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err) {
					fail(c);
					continue;
				}
				connecting--;
				ev.events = EPOLLIN;
				ev.data.u64 = evs[k].data.u64;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				send_msg(c);
				continue;
			}
			if (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
				ssize_t r = recv(c->fd, rbuf, sizeof rbuf, 0);
				double tr;

				if (r < 0 && (errno == EAGAIN || errno == EINTR))
					continue;
				if (r <= 0 || c->state != WAITING) {
					fail(c);
					continue;
				}
				c->got += (size_t)r;
				if (c->got < (size_t)size)
					continue;
				if (c->got > (size_t)size) {
					fail(c);	/* more than was sent */
					continue;
				}
				tr = now();
				c->state = IDLE;
				if (mode == RR && timed) {
					record(tr - c->sent);
					if (tr < t_end)
						send_msg(c);
				} else if (mode == RR) {
					warm++;
					served++;
				} else {
					if (mode == STORM)
						record(tr - c->started);
					served++;
					t_last = tr;
				}
			}
		}
	}
	if (mode == RR) {
		double el = now() - t0;

		printf("rr conns=%ld rtps=%.0f rts=%llu p50_us=%.1f p99_us=%.1f errors=%ld\n", nconns,
		    timed ? (double)hist_n / el : 0.0, hist_n, quantile(0.50), quantile(0.99), errors);
	} else if (mode == STORM) {
		printf("storm conns=%ld served=%ld all_ms=%.1f p50_ms=%.1f p99_ms=%.1f errors=%ld\n",
		    nconns, served, served ? (t_last - t0) * 1e3 : -1.0, quantile(0.50) / 1e3,
		    quantile(0.99) / 1e3, errors);
	} else if (!timed) {
		printf("hold conns=%ld served=%ld errors=%ld\n", nconns, served, errors);
	}
	fflush(stdout);
	for (i = 0; i < nconns; i++)
		kill_conn(&conns[i]);
	return errors ? 1 : 0;
}
