/* echo.c - sockit echo ADDRESS: the documentation's echo server for
 * thousands of clients at once: epoll, non-blocking sockets, a bounded
 * buffer per client with back-pressure, idle timeouts, clean signals. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "call.h"
#include "front/front.h"
#include "cmd/netcmd.h"
#include "core/relay.h"
#include "core/sock.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"

#define CLIENT_BUF	(64 * 1024)	/* the most held for one slow reader */
#define SCRATCH		(256 * 1024)
#define BATCH		64		/* accepts / datagrams per wake-up */

struct client {
	int fd;
	unsigned events;
	int eof;
	char *buf;		/* pending echo bytes buf[off..len), NULL when
				 * none */
	size_t off, len, cap;	/* cap: buf's size (a seqpacket message may pass
				 * CLIENT_BUF) */
	double last;
	struct client *prev, *next;	/* least recently active first */
};

struct echo {
	int ep, lfd, sfd, type;
	long max_clients, count;
	double idle;
	double timeout;		/* the global -t (< 0: none): with no client,
				 * TimeoutError after this long without one */
	long nclients, accepted;
	int listening;		/* the listener is in the epoll set */
	unsigned long long bytes_in, bytes_out;
	struct client *head, *tail;
	char *scratch;		/* SCRATCH bytes, more for a bigger UNIX
				 * message */
	size_t scratch_cap;
	int unix_family;	/* AF_UNIX: messages may pass SCRATCH */
	/* the options that only set the server up */
	struct netopts no;
	long backlog, mode;
	int reuse_port, dualstack, unlink_first;
};

/* send() or sendto() of p[0..n), non-blocking.  A UNIX datagram or
 * seqpacket message larger than the socket's send buffer (EMSGSIZE) is
 * tried once more with the buffer made big enough, as far as the kernel
 * lets it grow (net.core.wmem_max). */
static ssize_t
send_msg(const struct echo *e, int fd, const char *p, size_t n,
    const struct sockaddr *to, socklen_t tolen)
{
	ssize_t w = sendto(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT, to, tolen);

	if (w < 0 && errno == EMSGSIZE && e->unix_family && n < 0x3fffffff) {
		int want = (int)n + 4096;

		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
		w = sendto(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT, to, tolen);
	}
	return w;
}

#define S struct echo
const struct opt cmd_echo_opts[] = {
	{ .name = "count", .type = OPT_INT, OPTDST(S, count), .lo = 1,
	  .hi = 0x7fffffff,
	  .arg = "N", .help = "stop after N connections (datagrams for UDP)" },
	{ .name = "idle-timeout", .type = OPT_NUM, OPTDST(S, idle), .lo = 0,
	  .hi = 1e9,
	  .flags = OPTF_GT, .arg = "SEC",
	  .help = "close clients idle for SEC seconds" },
	{ .name = "max-clients", .type = OPT_INT, OPTDST(S, max_clients),
	  .lo = 1,
	  .hi = 0x7fffffff, .arg = "N",
	  .help = "serve at most N clients at once" },
	OPT_SERVER(S, "listen() backlog (default SOMAXCONN)"),
	{ .name = NULL }
};
#undef S

static void
lru_unlink(struct echo *e, struct client *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		e->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		e->tail = c->prev;
	c->prev = c->next = NULL;
}

/* Marks c active now (moves it to the tail; without idle timeouts it only
 * links it, so that every client can be closed at exit). */
static void
touch(struct echo *e, struct client *c)
{
	if (e->idle > 0)
		c->last = mono_now();
	if (e->tail == c || (e->idle <= 0 && (c->prev || e->head == c)))
		return;
	lru_unlink(e, c);
	c->prev = e->tail;
	if (e->tail)
		e->tail->next = c;
	else
		e->head = c;
	e->tail = c;
}

/* Puts the listener in or out of the epoll set. */
static void
listener(struct echo *e, int on)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	if (on == e->listening || e->lfd < 0)
		return;
	if (on && e->count > 0 && e->accepted >= e->count)
		return;
	if (epoll_ctl(e->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, e->lfd,
	    &ev) == 0)
		e->listening = on;
}

static void
client_close(struct echo *e, struct client *c)
{
	lru_unlink(e, c);
	close(c->fd);
	free(c->buf);
	free(c);
	e->nclients--;
	if (e->max_clients <= 0 || e->nclients < e->max_clients)
		listener(e, 1);
}

/* Sets c's epoll events to what its state needs. */
static void
client_events(struct echo *e, struct client *c)
{
	unsigned want = 0;
	size_t pending = c->buf ? c->len - c->off : 0;
	struct epoll_event ev;

	if (!c->eof && pending < CLIENT_BUF &&
	    !(e->type == SOCK_SEQPACKET && pending))
		want |= EPOLLIN;
	if (pending)
		want |= EPOLLOUT;
	if (want == c->events)
		return;
	ev.events = want;
	ev.data.ptr = c;
	epoll_ctl(e->ep, EPOLL_CTL_MOD, c->fd, &ev);
	c->events = want;
}

/* Writes what c holds.  Returns -1 when the client is gone. */
static int
client_flush(struct echo *e, struct client *c)
{
	while (c->buf && c->off < c->len) {
		ssize_t n = send_msg(e, c->fd, c->buf + c->off, c->len - c->off,
		    NULL, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -1;
		e->bytes_out += (size_t)n;
		c->off += (size_t)n;
	}
	free(c->buf);
	c->buf = NULL;
	c->off = c->len = c->cap = 0;
	return 0;
}

/* Keeps bytes p[0..n) that could not be sent yet.  A stream client holds at
 * most CLIENT_BUF (client_read reads no more than the room left); one whole
 * seqpacket message, which may be larger, gets a buffer of its size. */
static void
client_keep(struct client *c, const char *p, size_t n)
{
	size_t pending = c->buf ? c->len - c->off : 0;
	size_t need = pending + n < CLIENT_BUF ? CLIENT_BUF : pending + n;

	if (c->buf != NULL && c->off > 0)
		memmove(c->buf, c->buf + c->off, pending);
	if (c->buf == NULL || c->cap < need) {
		c->buf = xrealloc(c->buf, need);
		c->cap = need;
	}
	memcpy(c->buf + pending, p, n);
	c->off = 0;
	c->len = pending + n;
}

/* Reads from c and echoes at once; what does not fit stays buffered. */
static int
client_read(struct echo *e, struct client *c)
{
	int rounds;

	for (rounds = 0; rounds < 4; rounds++) {
		size_t pending = c->buf ? c->len - c->off : 0;
		size_t room = CLIENT_BUF - pending;
		ssize_t n, w = 0;

		if (room == 0 || (e->type == SOCK_SEQPACKET && pending))
			break;
		/* whole, however big */
		if (e->type == SOCK_SEQPACKET && e->unix_family)
			n = recv_whole(c->fd, &e->scratch, &e->scratch_cap,
			    MSG_DONTWAIT, NULL, NULL);
		else
			n = recv(c->fd, e->scratch,
			    e->type == SOCK_SEQPACKET ? SCRATCH : room,
			    MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -1;
		if (n == 0) {
			c->eof = 1;
			break;
		}
		e->bytes_in += (size_t)n;
		if (pending == 0) {
			w = send_msg(e, c->fd, e->scratch, (size_t)n, NULL, 0);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				return -1;
			if (w < 0)
				w = 0;
			e->bytes_out += (size_t)w;
		}
		if (w < n)
			client_keep(c, e->scratch + w, (size_t)(n - w));
		if ((size_t)n < room)
			break;
	}
	return 0;
}

static void
accept_clients(struct echo *e)
{
	int i;

	for (i = 0; i < BATCH; i++) {
		struct epoll_event ev;
		struct client *c;
		int fd;

		if (e->max_clients > 0 && e->nclients >= e->max_clients) {
			listener(e, 0);
			return;
		}
		if (e->count > 0 && e->accepted >= e->count) {
			listener(e, 0);
			return;
		}
		fd = accept4(e->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				if (G.verbose >= 0)
					fprintf(stderr,
					    "sockit: echo: accept: %s\n",
					    strerror(errno));
				if (e->nclients > 0)
					listener(e, 0);	/* back on when a client
							 * leaves */
			}
			return;
		}
		c = xcalloc(1, sizeof *c);
		c->fd = fd;
		c->events = EPOLLIN;
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(e->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(c);
			continue;
		}
		e->nclients++;
		e->accepted++;
		touch(e, c);
	}
}

/* Echoes datagrams back to their senders. */
static void
echo_dgrams(struct echo *e)
{
	int i;

	for (i = 0; i < BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		ssize_t n;

		if (e->count > 0 && e->accepted >= e->count)
			return;
		if (e->unix_family)	/* a whole message, however big */
			n = recv_whole(e->lfd, &e->scratch, &e->scratch_cap,
			    MSG_DONTWAIT, (struct sockaddr *)&ss, &len);
		else
			n = recvfrom(e->lfd, e->scratch, SCRATCH, MSG_DONTWAIT,
			    (struct sockaddr *)&ss, &len);
		if (n < 0)
			return;
		e->accepted++;
		e->bytes_in += (size_t)n;
		if (len > sizeof(sa_family_t) &&
		    send_msg(e, e->lfd, e->scratch, (size_t)n,
		    (struct sockaddr *)&ss, len) == n)
			e->bytes_out += (size_t)n;
	}
}

/* Closes clients idle too long; returns the epoll timeout in ms. */
static int
expire(struct echo *e)
{
	double t;

	if (e->idle <= 0)
		return -1;
	t = mono_now();
	while (e->head && t - e->head->last >= e->idle)
		client_close(e, e->head);
	if (e->head == NULL)
		return -1;
	return (int)ceil((e->head->last + e->idle - t) * 1000);
}

static void
handle_client(struct echo *e, struct client *c, unsigned ev)
{
	touch(e, c);
	if ((ev & EPOLLOUT) && client_flush(e, c) < 0)
		goto gone;
	if ((ev & (EPOLLIN | EPOLLHUP | EPOLLERR)) && client_read(e, c) < 0)
		goto gone;
	if (c->eof && (c->buf == NULL || c->off == c->len))
		goto gone;
	client_events(e, c);
	return;
gone:
	client_close(e, c);
}

/* Prints (connections, bytes_in, bytes_out) on stderr; under -j the object
 * {connections, bytes_in, bytes_out}. */
static void
print_stats(const struct echo *e)
{
	struct buf b = { 0 };
	value *n = v_int(e->accepted), *in = v_int((int64_t)e->bytes_in),
	    *out = v_int((int64_t)e->bytes_out), *v;

	if (G.fmt == FMT_JSON) {
		v = v_dict_new();
		v_dict_set(v, v_strz("connections"), n);
		v_dict_set(v, v_strz("bytes_in"), in);
		v_dict_set(v, v_strz("bytes_out"), out);
	} else {
		v = v_tuple(3, n, in, out);
	}
	emit_value(&b, v, G.fmt);
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
	v_decref(v);
}

/* The epoll timeout in ms: the first client's idle deadline, or with no
 * client (and -t) the server's, since quiet (a mono_now() time); *over set
 * when that one has passed. */
static int
wait_ms(struct echo *e, double quiet, int *over)
{
	int ms = expire(e), t;

	*over = 0;
	if (e->timeout < 0 || e->nclients > 0)
		return ms;
	if ((t = ms_until(quiet + e->timeout)) == 0)
		*over = 1;
	return ms < 0 || t < ms ? t : ms;
}

/* The event loop.  Returns 0, or -1 with the error pending. */
static int
run(struct echo *e)
{
	struct epoll_event evs[256];
	struct epoll_event sev = { .events = EPOLLIN, .data.ptr = &e->sfd };
	double quiet = mono_now();	/* no client since then */

	if (epoll_ctl(e->ep, EPOLL_CTL_ADD, e->sfd, &sev) < 0) {
		err_errno(errno);
		return -1;
	}
	listener(e, 1);
	for (;;) {
		int n, i, over, ms = wait_ms(e, quiet, &over);

		if (e->count > 0 && e->accepted >= e->count && e->nclients == 0)
			return 0;
		if (over) {	/* as listen's accept() under -t */
			err_timeout();
			return -1;
		}
		n = epoll_wait(e->ep, evs, 256, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_errno(errno);
			return -1;
		}
		if (n > 0 || e->nclients > 0)
			quiet = mono_now();
		for (i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &e->sfd) {
				struct signalfd_siginfo si;

				if (read(e->sfd, &si, sizeof si) != sizeof si)
					continue;
				/* SIGUSR1: the statistics so far, as
				 * tcpdump prints them, and go on */
				if (si.ssi_signo == SIGUSR1) {
					print_stats(e);
					continue;
				}
				stop_signal = (int)si.ssi_signo;
				return 0;
			}
			if (p == NULL) {
				if (e->type == SOCK_DGRAM ||
				    e->type == SOCK_RAW)
					echo_dgrams(e);
				else
					accept_clients(e);
			} else {
				handle_client(e, p, evs[i].events);
			}
		}
	}
}

int
cmd_echo(int argc, char **argv)
{
	struct echo e;
	struct taskaddr a;
	struct args args = { 0 };
	struct sock *s = NULL;
	int status = -1;
	sigset_t set, old;
	struct sigaction hup;

	memset(&e, 0, sizeof e);
	memset(&a, 0, sizeof a);
	e.ep = e.sfd = e.lfd = -1;
	e.backlog = SOMAXCONN;
	e.mode = -1;
	if ((status = opt_parse("echo", argc, argv, cmd_echo_opts, &e, 0,
	    &args)) != 0)
		goto out;
	e.timeout = net_timeout();
	if (e.idle <= 0 && e.timeout > 0)
		e.idle = e.timeout;	/* each client's socket timeout */
	status = -1;
	if (net_one_address("echo", &args) < 0)
		goto out;
	if (taskaddr_parse(args.v[0], &a, 0, G.family) < 0) 
		goto out;	/* a usage error: main names the command */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);	/* statistics, and go on */
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaddset(&set, SIGHUP);	/* unless ignored (nohup) */
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((s = net_server(&a, &e.no, (int)e.backlog, e.reuse_port,
	    e.dualstack, (int)e.mode, e.unlink_first)) == NULL)
		goto restore;
	e.lfd = s->fd;
	e.type = a.type;
	e.scratch = xmalloc(SCRATCH);
	e.scratch_cap = SCRATCH;
	e.unix_family = a.family == AF_UNIX;
	if ((e.ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    (e.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		err_errno(errno);
		goto cleanup;
	}
	if (sock_set_blocking_fd(e.lfd, 0) < 0) {
		err_errno(errno);
		goto cleanup;
	}
	if (G.verbose >= 0)	/* -q: no bound-address line */
		net_print_bound(s);
	status = run(&e) < 0 ? -1 : 0;
	while (e.head)
		client_close(&e, e.head);
	if (G.verbose >= 0)
		print_stats(&e);
	if (stop_signal) {
		if (status < 0)
			err_clear();
		status = stop_status();
	}
cleanup:
	net_server_cleanup(&a);
restore:
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	if (e.ep >= 0)
		close(e.ep);
	if (e.sfd >= 0)
		close(e.sfd);
	free(e.scratch);
	sock_free(s);
	taskaddr_free(&a);
	netopts_free(&e.no);
	args_free(&args);
	return status;
}
