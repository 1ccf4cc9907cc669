/* forward.c - port forwarding in one epoll loop (forward.h).
 *
 * Each connection is a pair of sockets, the accepted client and the
 * destination, and two halves, one per direction.  A half copies through
 * one scratch buffer shared by all connections, so an idle connection holds
 * no buffer; only what a full destination did not take is kept.  Once a
 * read fills the scratch buffer the half is a bulk transfer and splices
 * through a pipe of its own instead (socket -> pipe -> socket moves pages,
 * no copy): short requests cost no pipe, long ones no copies.  A source's
 * end is carried through as a shutdown(SHUT_WR) of the destination; an
 * error (a reset) closes both with a reset. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/create.h"
#include "core/forward.h"
#include "core/sock.h"
#include "core/stop.h"
#include "error.h"
#include "value.h"

#define SCRATCH		(64 * 1024)	/* one read of a copying half */
#define PIPE_SIZE	(1024 * 1024)	/* a splicing half's pipe */
#define ACCEPT_BATCH	64		/* accepts per readiness of the
					 * listening socket */
#define BACKOFF_S	0.1	/* accept short of descriptors or memory:
				 * retry after this (or a close) */
#define SWEEP_S		0.25	/* how often timeouts are checked */
#define NEVENTS		256

/* One direction, from fd[s] to fd[1 - s] of its connection. */
struct half {
	int pfd[2];		/* splicing: the pipe between; -1: copying */
	size_t inpipe;		/* bytes in it */
	char *buf;		/* copying: bytes the destination has not taken,
				 * buf[off..len) (NULL when none) */
	size_t off, len;
	int eof;		/* the source ended */
	int shut;		/* the destination half-closed after it */
	int nosplice;		/* splice refused (EINVAL): copy */
	unsigned long long bytes;
};

struct fconn {
	int fd[2];		/* 0: the accepted client, 1: the destination */
	int reg[2];		/* events registered in epoll; -1: not in it */
	struct half h[2];	/* h[s]: fd[s] -> fd[1 - s] */
	int connecting;		/* fd[1]'s connect() is in progress */
	int dead;		/* closed: freed after this batch of events */
	size_t ai;		/* the destination address being tried */
	double last;		/* the last traffic, or the connect's start */
	void *note;
	struct fconn *prev, *next;
};

struct fstate {
	struct forward *f;
	int ep;
	struct fconn *conns, *dead;
	size_t nconns;
	long accepted;
	int lreg;		/* the listening socket is in the epoll set */
	double resume_at;	/* accept paused until then (0: not paused) */
	double quiet_since;	/* no connection open since then */
	double swept;		/* the last timeout check */
	int splice_ok;		/* both sides are SOCK_STREAM, splice wanted */
	int failed;		/* without keep: the connection's error is
				 * pending */
	char *scratch;
};

static size_t
pending(const struct half *h)
{
	return h->inpipe + (h->len - h->off);
}

/* The events fd[s] of c waits for: readable when its half may read,
 * writable when the other half has bytes for it. */
static unsigned
wanted(const struct fconn *c, int s)
{
	unsigned ev = 0;

	if (c->connecting)
		return s == 1 ? EPOLLOUT : 0;
	if (!c->h[s].eof && pending(&c->h[s]) == 0)
		ev |= EPOLLIN;
	if (pending(&c->h[1 - s]) > 0)
		ev |= EPOLLOUT;
	return ev;
}

/* Brings fd[s]'s epoll registration in line with wanted(): a socket that
 * waits for nothing leaves the set, or its hang-up would be reported
 * without end. */
static void
sync_fd(struct fstate *st, struct fconn *c, int s)
{
	struct epoll_event ev;
	int w = (int)wanted(c, s), op;

	if (w == c->reg[s] || (w == 0 && c->reg[s] < 0))
		return;
	op = w == 0 ? EPOLL_CTL_DEL : c->reg[s] < 0 ? EPOLL_CTL_ADD :
	    EPOLL_CTL_MOD;
	memset(&ev, 0, sizeof ev);
	ev.events = (unsigned)w;
	ev.data.u64 = (uint64_t)(uintptr_t)c | (uint64_t)s;
	if (epoll_ctl(st->ep, op, c->fd[s], &ev) == 0)
		c->reg[s] = w == 0 ? -1 : w;
}

static void
sync_conn(struct fstate *st, struct fconn *c)
{
	sync_fd(st, c, 0);
	sync_fd(st, c, 1);
}

/* Puts the listening socket in the epoll set (on) or takes it out. */
static void
listener(struct fstate *st, int on)
{
	struct epoll_event ev = { EPOLLIN, { 0 } };

	if (st->f->lfd < 0 || on == st->lreg)
		return;
	if (epoll_ctl(st->ep, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, st->f->lfd,
	    &ev) == 0)
		st->lreg = on;
}

/* Stops accepting for good: the one connection (without keep) or the
 * max_conns ones are in. */
static void
listener_close(struct fstate *st)
{
	listener(st, 0);
	close(st->f->lfd);
	st->f->lfd = -1;
}

static void
half_free(struct half *h)
{
	if (h->pfd[0] >= 0) {
		close(h->pfd[0]);
		close(h->pfd[1]);
	}
	free(h->buf);
}

enum { END_OK, END_ERR, END_RESET };

/* Closes connection c.  how: END_OK, END_ERR (an error ended it, its
 * exception pending: the destination unreachable, a timeout) or END_RESET
 * (a read or write failed: a reset, which both sides get).  Without keep
 * the error stays pending as the result; with keep it ends c alone. */
static void
conn_close(struct fstate *st, struct fconn *c, int how)
{
	int err = how != END_OK;
	struct linger lg = { 1, 0 };
	int s;

	if (st->f->on_close)
		st->f->on_close(st->f->ctx, c->note, c->h[1].bytes,
		    c->h[0].bytes, err);
	if (err && !st->f->keep)
		st->failed = 1;
	else if (err)
		err_clear();
	for (s = 0; s < 2; s++) {
		half_free(&c->h[s]);
		if (c->fd[s] < 0)
			continue;
		if (how == END_RESET)
			(void)setsockopt(c->fd[s], SOL_SOCKET, SO_LINGER, &lg,
			    sizeof lg);
		close(c->fd[s]);
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		st->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->dead = 1;
	c->next = st->dead;
	st->dead = c;
	if (--st->nconns == 0)
		st->quiet_since = mono_now();
	if (st->resume_at > 0) {	/* a descriptor is free again */
		st->resume_at = 0;
		listener(st, 1);
	}
}

/* A socket for destination address a of d, its -o options set and bound
 * to the source (a UNIX datagram one autobound, so that answers can come).
 * Returns it, or -1 with errno set (the exception pending for an option). */
static int
dest_socket(const struct fwd_dest *d, const struct fwd_addr *a)
{
	static const struct sockaddr autobind = { .sa_family = AF_UNIX };
	int fd = socket(a->ss.ss_family, d->type | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, d->proto), e;
	size_t i;

	if (fd < 0)
		return -1;
	for (i = 0; i < d->nopts; i++)
		if (sockopt_apply(fd, &d->opts[i]) < 0)
			goto fail;
	if (d->source.len && bind(fd, (const struct sockaddr *)&d->source.ss,
	    d->source.len) < 0)
		goto fail;
	if (!d->source.len && a->ss.ss_family == AF_UNIX &&
	    d->type == SOCK_DGRAM &&
	    bind(fd, &autobind, sizeof(sa_family_t)) < 0)
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* Starts connecting a new socket to the destination, from its address
 * *ai on (advanced past those that fail at once).  Returns the socket
 * (*connecting set when in progress), or -1 with the last attempt's error
 * pending. */
static int
dest_connect(const struct fwd_dest *d, size_t *ai, int *connecting)
{
	int e = 0;

	for (; *ai < d->nto; ++*ai) {
		const struct fwd_addr *a = &d->to[*ai];
		int fd, r;

		if (d->source.len && a->ss.ss_family != d->source.ss.ss_family)
			continue;	/* --source: its family only */
		if ((fd = dest_socket(d, a)) < 0) {
			if (err_occurred())
				return -1;
			e = errno;
			continue;
		}
		r = connect(fd, (const struct sockaddr *)&a->ss, a->len);
		if (r == 0 || errno == EINPROGRESS) {
			*connecting = r != 0;
			return fd;
		}
		e = errno;
		close(fd);
	}
	err_errno(e ? e : EADDRNOTAVAIL);
	return -1;
}

/* Starts connecting c->fd[1] to the destination, from address c->ai on.
 * 0 when connected or in progress, -1 with the last attempt's error. */
static int
dial(struct fstate *st, struct fconn *c)
{
	int connecting = 0, fd;

	if ((fd = dest_connect(st->f->dest, &c->ai, &connecting)) < 0)
		return -1;
	c->fd[1] = fd;
	c->reg[1] = -1;
	c->connecting = connecting;
	c->last = mono_now();
	return 0;
}

/* fd[1] is writable while connecting: connected, or on to the next
 * address.  -1 when none is left, with the error pending. */
static int
dial_done(struct fstate *st, struct fconn *c)
{
	int e = 0;
	socklen_t len = sizeof e;

	if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	if (e == 0) {
		c->connecting = 0;
		c->last = mono_now();
		return 0;
	}
	close(c->fd[1]);
	c->fd[1] = -1;
	c->reg[1] = -1;
	if (++c->ai < st->f->dest->nto)
		return dial(st, c);
	err_errno(e);
	return -1;
}

/* Takes the rest of a splicing half's pipe into its buffer and copies from
 * then on (the destination refused splice). */
static int
unsplice(struct half *h)
{
	h->buf = xrealloc(h->buf, h->inpipe > 0 ? h->inpipe : 1);
	h->off = h->len = 0;
	while (h->inpipe > 0) {
		ssize_t n = read(h->pfd[0], h->buf + h->len, h->inpipe);

		if (n <= 0) {
			err_errno(n < 0 ? errno : EIO);
			return -1;
		}
		h->len += (size_t)n;
		h->inpipe -= (size_t)n;
	}
	close(h->pfd[0]);
	close(h->pfd[1]);
	h->pfd[0] = h->pfd[1] = -1;
	h->nosplice = 1;
	return 0;
}

/* Writes what h holds to dst, as far as dst takes it.  0, or -1 with the
 * error pending. */
static int
flush(struct half *h, int dst)
{
	while (pending(h) > 0) {
		ssize_t n;

		if (h->inpipe > 0) {
			n = splice(h->pfd[0], NULL, dst, NULL, h->inpipe,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n < 0 && errno == EINVAL) {
				if (unsplice(h) < 0)
					return -1;
				continue;
			}
			if (n > 0)
				h->inpipe -= (size_t)n;
		} else {
			n = send(dst, h->buf + h->off, h->len - h->off,
			    MSG_NOSIGNAL);
			if (n > 0 && (h->off += (size_t)n) == h->len) {
				free(h->buf);
				h->buf = NULL;
				h->off = h->len = 0;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			err_errno(n < 0 ? errno : EIO);
			return -1;
		}
	}
	return 0;
}

/* Copies one read of src to dst through the scratch buffer, keeping what
 * dst does not take.  Returns the bytes read (0 at the end), or -1 (errno
 * EAGAIN: nothing to read). */
static ssize_t
copy_once(struct fstate *st, struct half *h, int src, int dst)
{
	ssize_t n = read(src, st->scratch, SCRATCH), w;

	if (n <= 0)
		return n;
	w = send(dst, st->scratch, (size_t)n, MSG_NOSIGNAL);
	if (w < 0 && errno != EAGAIN && errno != EINTR)
		return -2;
	if (w < 0)
		w = 0;
	if (w < n) {
		h->len = (size_t)(n - w);
		h->off = 0;
		h->buf = xmalloc(h->len);
		memcpy(h->buf, st->scratch + w, h->len);
	}
	return n;
}

/* Turns h into a splicing half, if splicing is on and a pipe can be had. */
static void
start_splice(struct fstate *st, struct half *h)
{
	if (!st->splice_ok || h->nosplice ||
	    pipe2(h->pfd, O_NONBLOCK | O_CLOEXEC) < 0) {
		h->pfd[0] = h->pfd[1] = -1;
		h->nosplice = 1;
		return;
	}
	(void)fcntl(h->pfd[0], F_SETPIPE_SZ, PIPE_SIZE);
}

/* Moves what can be moved along half s of c: its held bytes, then one
 * read of the source; at the source's end (all of it written) half-closes
 * the destination.  0, or -1 with the error pending. */
static int
pump(struct fstate *st, struct fconn *c, int s)
{
	struct half *h = &c->h[s];
	int src = c->fd[s], dst = c->fd[1 - s];
	ssize_t n;

	if (flush(h, dst) < 0)
		return -1;
	if (pending(h) == 0 && !h->eof) {
		if (h->pfd[0] >= 0) {
			n = splice(src, NULL, h->pfd[1], NULL, PIPE_SIZE,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n < 0 && errno == EINVAL) {
				close(h->pfd[0]);
				close(h->pfd[1]);
				h->pfd[0] = h->pfd[1] = -1;
				h->nosplice = 1;
				return pump(st, c, s);
			}
			if (n > 0)
				h->inpipe = (size_t)n;
		} else {
			n = copy_once(st, h, src, dst);
			if (n == -2) {
				err_errno(errno);
				return -1;
			}
			if (n == SCRATCH && pending(h) == 0)
				start_splice(st, h);	/* a bulk transfer */
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			err_errno(errno);
			return -1;
		}
		if (n == 0)
			h->eof = 1;
		if (n > 0)
			h->bytes += (unsigned long long)n;
		if (h->inpipe > 0 && flush(h, dst) < 0)
			return -1;
	}
	if (h->eof && pending(h) == 0 && !h->shut) {
		shutdown(dst, SHUT_WR);
		h->shut = 1;
	}
	return 0;
}

/* Handles the events ev of fd[s] of c. */
static void
conn_event(struct fstate *st, struct fconn *c, int s, unsigned ev)
{
	int r = 0;

	if (c->connecting) {
		if (s == 1 && dial_done(st, c) < 0) {
			conn_close(st, c, END_ERR);
			return;
		}
		sync_conn(st, c);
		return;
	}
	c->last = mono_now();
	/* a hang-up or error shows in the read or write it makes fail */
	if ((c->reg[s] & EPOLLIN) && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		r = pump(st, c, s);
	if (r == 0 && (c->reg[s] & EPOLLOUT) &&
	    (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
		r = pump(st, c, 1 - s);
	if (r < 0)
		conn_close(st, c, END_RESET);
	else if (c->h[0].shut && c->h[1].shut)
		conn_close(st, c, END_OK);
	else
		sync_conn(st, c);
}

/* A new connection for the accepted socket fd. */
static void
conn_open(struct fstate *st, int fd, const struct sockaddr *peer,
    socklen_t plen)
{
	struct fconn *c = xmalloc(sizeof *c);
	int s;

	memset(c, 0, sizeof *c);
	c->fd[0] = fd;
	c->fd[1] = -1;
	for (s = 0; s < 2; s++) {
		c->reg[s] = -1;
		c->h[s].pfd[0] = c->h[s].pfd[1] = -1;
	}
	c->next = st->conns;
	if (st->conns)
		st->conns->prev = c;
	st->conns = c;
	st->nconns++;
	if (st->f->on_open)
		c->note = st->f->on_open(st->f->ctx, peer, plen);
	if (dial(st, c) < 0) {
		conn_close(st, c, END_ERR);
		return;
	}
	sync_conn(st, c);
}

static int
short_of_resources(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

/* Accepts what is waiting.  0, or -1 with the error pending. */
static int
accept_some(struct fstate *st)
{
	struct forward *f = st->f;
	int i;

	for (i = 0; i < ACCEPT_BATCH && f->lfd >= 0; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		int fd = accept4(f->lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0 && errno == EAGAIN)
			break;
		if (fd < 0 && f->keep && short_of_resources(errno)) {
			/* wait for a connection to end, or a while */
			listener(st, 0);
			st->resume_at = mono_now() + BACKOFF_S;
			break;
		}
		if (fd < 0) {
			err_errno(errno);
			return -1;
		}
		st->accepted++;
		if (!f->keep || (f->max_conns > 0 &&
		    st->accepted >= f->max_conns))
			listener_close(st);
		conn_open(st, fd, (struct sockaddr *)&ss, len);
	}
	return 0;
}

/* Ends the connections whose connect or silence outlasted its timeout. */
static void
sweep(struct fstate *st, double now)
{
	struct fconn *c, *next;

	st->swept = now;
	for (c = st->conns; c; c = next) {
		double limit = c->connecting ? st->f->connect_timeout :
		    st->f->idle;

		next = c->next;
		if (limit >= 0 && now - c->last >= limit) {
			err_timeout();
			conn_close(st, c, END_ERR);
		}
	}
}

/* The epoll_wait timeout in milliseconds: until the paused accept resumes,
 * the next timeout check, or the accept timeout; -1 for none. */
static int
wait_ms(const struct fstate *st, double now)
{
	double until = -1;

	if (st->resume_at > 0)
		until = st->resume_at;
	if (st->nconns > 0 &&
	    (st->f->idle >= 0 || st->f->connect_timeout >= 0) &&
	    (until < 0 || st->swept + SWEEP_S < until))
		until = st->swept + SWEEP_S;
	if (st->nconns == 0 && st->f->lfd >= 0 && st->f->accept_timeout >= 0 &&
	    (until < 0 || st->quiet_since + st->f->accept_timeout < until))
		until = st->quiet_since + st->f->accept_timeout;
	return until < 0 ? -1 : until <= now ? 0 : ms_until(until);
}

/* Frees the connections closed during the last batch of events. */
static void
bury(struct fstate *st)
{
	while (st->dead) {
		struct fconn *c = st->dead;

		st->dead = c->next;
		free(c);
	}
}

/* Lets the process hold as many descriptors as its hard limit allows:
 * each connection takes two, and a splicing half two more. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Is fd a SOCK_STREAM socket? */
static int
is_stream(int fd)
{
	int type = 0;
	socklen_t len = sizeof type;

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM;
}

/* One round of the loop: wait, then handle the events.  0, or -1 with the
 * error pending. */
static int
loop_once(struct fstate *st)
{
	struct epoll_event evs[NEVENTS];
	double now = mono_now();
	int n, i;

	if (st->resume_at > 0 && now >= st->resume_at) {
		st->resume_at = 0;
		listener(st, 1);
	}
	if (st->nconns == 0 && st->f->lfd >= 0 && st->f->accept_timeout >= 0 &&
	    now - st->quiet_since >= st->f->accept_timeout) {
		err_timeout();
		return -1;
	}
	if (now - st->swept >= SWEEP_S)
		sweep(st, now);
	if (st->f->lfd < 0 && st->nconns == 0) {
		bury(st);
		return st->failed ? -1 : 0;	/* the last one is done */
	}
	n = epoll_wait(st->ep, evs, NEVENTS, wait_ms(st, now));
	if (n < 0 && errno != EINTR) {
		err_errno(errno);
		return -1;
	}
	for (i = 0; i < n && !st->failed; i++) {
		uint64_t u = evs[i].data.u64;
		struct fconn *c = (struct fconn *)(uintptr_t)(u & ~(uint64_t)1);

		if (c == NULL) {
			if (accept_some(st) < 0)
				return -1;
		} else if (!c->dead) {
			conn_event(st, c, (int)(u & 1), evs[i].events);
		}
	}
	bury(st);
	return st->failed ? -1 : 0;
}

int
forward_run(struct forward *f)
{
	struct fstate st;
	int rc = 0;

	memset(&st, 0, sizeof st);
	st.f = f;
	st.quiet_since = st.swept = mono_now();
	st.splice_ok = !f->no_splice && f->dest->type == SOCK_STREAM &&
	    is_stream(f->lfd);
	if ((st.ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		err_errno(errno);
		return -1;
	}
	raise_nofile();
	st.scratch = xmalloc(SCRATCH);
	(void)sock_set_blocking_fd(f->lfd, 0);
	listener(&st, 1);
	while (rc == 0 && !(f->stop && *f->stop) &&
	    (f->lfd >= 0 || st.nconns > 0))
		rc = loop_once(&st);
	while (st.conns) {	/* stopped, or failed: end the rest */
		if (rc < 0)
			st.f->keep = 1;	/* their own errors are not the
					 * result */
		conn_close(&st, st.conns, END_OK);
	}
	bury(&st);
	free(st.scratch);
	close(st.ep);
	return rc;
}

/* ---- datagrams ----------------------------------------------------------- */

#define DGRAM_BUF	(256 * 1024)	/* one datagram, whole */
#define NBUCKETS	1024		/* of the client address table */
#define DGRAM_BATCH	64		/* datagrams per readiness */

/* One client address and its socket connected to the destination. */
struct dsess {
	struct sockaddr_storage peer;
	socklen_t plen;
	int fd;
	double last;		/* the last datagram either way */
	unsigned long long sent, received;	/* to and from the client */
	void *note;
	struct dsess *hnext;	/* in its bucket */
	struct dsess *prev, *next;
};

struct dstate {
	struct forward *f;
	int ep;
	struct dsess *bucket[NBUCKETS], *all;
	size_t n;
	long opened;
	int full;		/* no new client addresses (without keep: one
				 * is in; max_conns are) */
	int failed;
	double idle, swept, quiet_since;
	char *buf;
};

static struct dsess **
bucket_of(struct dstate *st, const struct sockaddr_storage *ss,
    socklen_t len)
{
	const unsigned char *p = (const unsigned char *)ss;
	unsigned h = 2166136261u;	/* FNV-1a */
	socklen_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return &st->bucket[h % NBUCKETS];
}

static struct dsess *
dsess_find(struct dstate *st, const struct sockaddr_storage *ss,
    socklen_t len)
{
	struct dsess *d;

	for (d = *bucket_of(st, ss, len); d; d = d->hnext)
		if (d->plen == len && memcmp(&d->peer, ss, len) == 0)
			return d;
	return NULL;
}

/* Ends session d (err: as conn_close()'s). */
static void
dsess_close(struct dstate *st, struct dsess *d, int err)
{
	struct dsess **b = bucket_of(st, &d->peer, d->plen);

	if (st->f->on_close)
		st->f->on_close(st->f->ctx, d->note, d->sent, d->received, err);
	if (err && !st->f->keep)
		st->failed = 1;
	else if (err)
		err_clear();
	while (*b != d)
		b = &(*b)->hnext;
	*b = d->hnext;
	if (d->prev)
		d->prev->next = d->next;
	else
		st->all = d->next;
	if (d->next)
		d->next->prev = d->prev;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
	if (--st->n == 0)
		st->quiet_since = mono_now();
}

/* A session for a new client address, NULL when it could not be
 * connected (ended, its error handled by dsess_close()). */
static struct dsess *
dsess_open(struct dstate *st, const struct sockaddr_storage *ss,
    socklen_t len)
{
	struct dsess *d = xmalloc(sizeof *d), **b = bucket_of(st, ss, len);
	struct epoll_event ev;
	size_t ai = 0;
	int connecting;

	memset(d, 0, sizeof *d);
	memcpy(&d->peer, ss, len);
	d->plen = len;
	d->last = mono_now();
	d->hnext = *b;
	*b = d;
	d->next = st->all;
	if (st->all)
		st->all->prev = d;
	st->all = d;
	st->n++;
	if (!st->f->keep || (st->f->max_conns > 0 &&
	    ++st->opened >= st->f->max_conns))
		st->full = 1;
	if (st->f->on_open)
		d->note = st->f->on_open(st->f->ctx,
		    (const struct sockaddr *)ss, len);
	if ((d->fd = dest_connect(st->f->dest, &ai, &connecting)) < 0) {
		dsess_close(st, d, END_ERR);
		return NULL;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.ptr = d;
	(void)epoll_ctl(st->ep, EPOLL_CTL_ADD, d->fd, &ev);
	return d;
}

/* Passes on what the clients sent: each datagram through its session. */
static void
from_clients(struct dstate *st)
{
	int i;

	for (i = 0; i < DGRAM_BATCH && !st->failed; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		struct dsess *d;
		ssize_t n;

		memset(&ss, 0, sizeof ss);
		n = recvfrom(st->f->lfd, st->buf, DGRAM_BUF, MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;	/* EAGAIN, or an ICMP error of no use here */
		if ((d = dsess_find(st, &ss, len)) == NULL &&
		    (st->full || (d = dsess_open(st, &ss, len)) == NULL))
			continue;	/* not taken, or not connected */
		if (send(d->fd, st->buf, (size_t)n, 0) >= 0)
			d->received += (unsigned long long)n;
		d->last = mono_now();
	}
}

/* Passes the destination's answers to session d on to its client. */
static void
from_dest(struct dstate *st, struct dsess *d)
{
	int i;

	for (i = 0; i < DGRAM_BATCH; i++) {
		ssize_t n = recv(d->fd, st->buf, DGRAM_BUF, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;	/* EAGAIN, or ECONNREFUSED: nobody there */
		if (sendto(st->f->lfd, st->buf, (size_t)n, 0,
		    (struct sockaddr *)&d->peer, d->plen) >= 0)
			d->sent += (unsigned long long)n;
		d->last = mono_now();
	}
}

/* Ends the sessions silent for the idle time. */
static void
dsweep(struct dstate *st, double now)
{
	struct dsess *d, *next;

	st->swept = now;
	for (d = st->all; d; d = next) {
		next = d->next;
		if (now - d->last >= st->idle)
			dsess_close(st, d, END_OK);
	}
}

/* One round of the datagram loop.  0, or -1 with the error pending. */
static int
dloop_once(struct dstate *st)
{
	struct epoll_event evs[NEVENTS];
	double now = mono_now(), until = -1;
	int n, i;

	if (st->n == 0 && st->f->accept_timeout >= 0 && !st->full &&
	    now - st->quiet_since >= st->f->accept_timeout) {
		err_timeout();
		return -1;
	}
	if (now - st->swept >= SWEEP_S)
		dsweep(st, now);
	if (st->full && st->n == 0)
		return 0;	/* the last one is done */
	if (st->n > 0)
		until = st->swept + SWEEP_S;
	else if (st->f->accept_timeout >= 0)
		until = st->quiet_since + st->f->accept_timeout;
	n = epoll_wait(st->ep, evs, NEVENTS, until < 0 ? -1 : until <= now ?
	    0 : ms_until(until));
	if (n < 0 && errno != EINTR) {
		err_errno(errno);
		return -1;
	}
	for (i = 0; i < n && !st->failed; i++) {
		if (evs[i].data.ptr == NULL)
			from_clients(st);
		else
			from_dest(st, evs[i].data.ptr);
	}
	return st->failed ? -1 : 0;
}

int
forward_dgram(struct forward *f)
{
	struct epoll_event ev = { EPOLLIN, { 0 } };
	struct dstate st;
	int rc = 0;

	memset(&st, 0, sizeof st);
	st.f = f;
	st.idle = f->idle >= 0 ? f->idle : DGRAM_IDLE;
	st.quiet_since = st.swept = mono_now();
	if ((st.ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		err_errno(errno);
		return -1;
	}
	raise_nofile();
	st.buf = xmalloc(DGRAM_BUF);
	(void)epoll_ctl(st.ep, EPOLL_CTL_ADD, f->lfd, &ev);
	while (rc == 0 && !(f->stop && *f->stop) && !(st.full && st.n == 0))
		rc = dloop_once(&st);
	while (st.all) {
		if (rc < 0)
			f->keep = 1;	/* their own errors are not the
					 * result */
		dsess_close(&st, st.all, END_OK);
	}
	free(st.buf);
	close(st.ep);
	return rc;
}

/* Appends the addresses of res to d->to. */
static void
add_addrs(struct fwd_dest *d, const struct addrinfo *res)
{
	for (; res; res = res->ai_next) {
		d->to = xrealloc(d->to, (d->nto + 1) * sizeof *d->to);
		memcpy(&d->to[d->nto].ss, res->ai_addr, res->ai_addrlen);
		d->to[d->nto++].len = res->ai_addrlen;
	}
}

int
fwd_dest_resolve(struct fwd_dest *d, const struct taskaddr *a, int family,
    const char *source_host, const char *source_port)
{
	struct addrinfo hints, *res;
	int r;

	d->type = a->type;
	d->proto = a->proto;
	d->family = a->family;
	if (a->len) {
		d->to = xmalloc(sizeof *d->to);
		memcpy(&d->to[0].ss, &a->ss, a->len);
		d->to[0].len = a->len;
		d->nto = 1;
	} else {
		memset(&hints, 0, sizeof hints);
		hints.ai_family = family;
		hints.ai_socktype = a->type;
		hints.ai_protocol = gai_protocol(a->proto);
		r = stop_getaddrinfo(a->host && *a->host ? a->host : NULL,
		    a->port, &hints, &res);
		if (r != 0) {
			err_gai(r);
			return -1;
		}
		add_addrs(d, res);
		freeaddrinfo(res);
		d->family = d->to[0].ss.ss_family;
	}
	if (source_host == NULL)
		return 0;
	return sock_resolve_source(d->family, d->type, source_host,
	    source_port, &d->source.ss, &d->source.len);
}

void
fwd_dest_free(struct fwd_dest *d)
{
	free(d->to);
	d->to = NULL;
	d->nto = 0;
}
