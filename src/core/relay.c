/* relay.c - stdio <-> socket relay shared by connect and listen. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/relay.h"
#include "core/sock.h"
#include "emit.h"
#include "error.h"
#include "value.h"

#define COPY_SIZE	(256 * 1024)
#define PIPE_SIZE	(1024 * 1024)
#define DGRAM_SIZE	(256 * 1024)

enum mode { M_DIRECT, M_PIPE, M_COPY };

/* Writes n bytes p of one direction (mark '>' or '<') to fd as hexdump -C
 * lines, each after "MARK ", offsets counting from *off (advanced). */
static void relay_hexdump(int fd, char mark, unsigned long long *off,
    const char *p, size_t n);

/* One direction of the relay. */
struct dir {
	int src, dst;
	enum mode mode;
	int pfd[2];		/* M_PIPE: the intermediate pipe */
	size_t inpipe;		/* bytes waiting in pfd */
	char *buf;		/* M_COPY: pending bytes buf[off..len) */
	size_t cap, off, len;
	int eof;		/* src ended (or the limit was reached) */
	int blocked;		/* dst would block: wait for POLLOUT */
	long long left;		/* bytes still allowed; < 0: no limit */
	int crlf, cr;		/* LF -> CRLF; the last byte read was CR */
	int dump_fd;		/* > 0: hexdump what is read there */
	char mark;		/* its '>' or '<' */
	unsigned long long dumped;	/* bytes dumped */
	unsigned long long bytes;
	const volatile sig_atomic_t *stop;	/* the relay's */
};

/* Has the relay's stop flag (struct relay's stop, may be NULL) been set?
 * Then a write interrupted by a signal is not retried. */
static int
stopped(const volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

static int
is_fifo(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Sets up d for src -> dst: direct splice when one end is a pipe, through
 * a pipe of our own when via_pipe is set (the socket is src), plain copies
 * otherwise and when splicing is off.  Into a socket from a file or a
 * terminal, splicing through our pipe loses to read/write: pages handed to
 * the socket keep a receiver that reads in bursts from growing its buffer
 * (issue 17 item 8: 6x slower for 100 MiB from a file, bench/copypath.sh),
 * while straight from a pipe it is even or wins. */
static void
dir_init(struct dir *d, int src, int dst, long long limit, int splice_ok,
    int via_pipe, const volatile sig_atomic_t *stop)
{
	memset(d, 0, sizeof *d);
	d->stop = stop;
	d->src = src;
	d->dst = dst;
	d->pfd[0] = d->pfd[1] = -1;
	d->left = limit;
	d->mode = M_COPY;
	if (!splice_ok)
		return;
	if (is_fifo(src) || is_fifo(dst)) {
		d->mode = M_DIRECT;
	} else if (via_pipe && pipe2(d->pfd, O_CLOEXEC | O_NONBLOCK) == 0) {
		(void)fcntl(d->pfd[0], F_SETPIPE_SZ, PIPE_SIZE);
		d->mode = M_PIPE;
	}
}

static void
dir_free(struct dir *d)
{
	if (d->pfd[0] >= 0)
		close(d->pfd[0]);
	if (d->pfd[1] >= 0)
		close(d->pfd[1]);
	free(d->buf);
}

static size_t
dir_pending(const struct dir *d)
{
	return d->inpipe + (d->len - d->off);
}

/* The most to move in one step, within the limit. */
static size_t
dir_chunk(const struct dir *d, size_t want)
{
	if (d->left >= 0 && (unsigned long long)d->left < want)
		return (size_t)d->left;
	return want;
}

/* Accounts n bytes taken from src. */
static void
dir_took(struct dir *d, size_t n)
{
	d->bytes += n;
	if (d->left >= 0) {
		d->left -= (long long)n;
		if (d->left == 0)
			d->eof = 1;
	}
}

/* Falls back from splice to copies, moving what sits in our pipe into the
 * buffer.  Returns 0 or -1 with the error pending. */
static int
dir_to_copy(struct dir *d)
{
	d->cap = COPY_SIZE > d->inpipe ? COPY_SIZE : d->inpipe;
	d->buf = xmalloc(d->cap);
	d->off = d->len = 0;
	while (d->inpipe > 0) {
		ssize_t n = read(d->pfd[0], d->buf + d->len, d->inpipe);

		if (n <= 0) {
			err_errno(n < 0 ? errno : EIO);
			return -1;
		}
		d->len += (size_t)n;
		d->inpipe -= (size_t)n;
	}
	d->mode = M_COPY;
	return 0;
}

/* Writes out what d holds.  Returns 0 (d->blocked set when dst is full),
 * or -1 with the error pending. */
static int
dir_drain(struct dir *d)
{
	ssize_t n;

	d->blocked = 0;
	while (dir_pending(d) > 0) {
		if (d->mode == M_PIPE) {
			n = splice(d->pfd[0], NULL, d->dst, NULL, d->inpipe,
			    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n < 0 && errno == EINVAL) {
				if (dir_to_copy(d) < 0)
					return -1;
				continue;
			}
			if (n > 0)
				d->inpipe -= (size_t)n;
		} else {
			n = write(d->dst, d->buf + d->off, d->len - d->off);
			if (n > 0 && (d->off += (size_t)n) == d->len)
				d->off = d->len = 0;
		}
		if (n < 0 && errno == EINTR && !stopped(d->stop))
			continue;
		if (n < 0 && errno == EAGAIN) {
			d->blocked = 1;
			return 0;
		}
		if (n <= 0) {
			err_errno(n < 0 ? errno : EIO);
			return -1;
		}
	}
	return 0;
}

/* Puts a CR before each LF of buf[0..n) not after one (*cr: the byte
 * before buf was CR, updated), in place: buf holds 2n bytes.  Returns the
 * new length. */
static size_t
crlf_expand(char *buf, size_t n, int *cr)
{
	size_t i, j, add = 0;
	int first = *cr, prev = *cr;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n' && !prev)
			add++;
		prev = buf[i] == '\r';
	}
	*cr = prev;
	/* backwards, each byte to its place; done once none is left to
	 * shift */
	for (i = n, j = n + add; i > 0 && j > i; i--) {
		char ch = buf[i - 1];
		int after_cr = i >= 2 ? buf[i - 2] == '\r' : first;

		buf[--j] = ch;
		if (ch == '\n' && !after_cr)
			buf[--j] = '\r';
	}
	return n + add;
}

/* The bytes just read into buf[0..n) (2n held with crlf), as they go out:
 * expanded by crlf, dumped.  Returns their new length. */
static size_t
dir_filter(struct dir *d, char *buf, size_t n)
{
	if (d->crlf)
		n = crlf_expand(buf, n, &d->cr);
	if (d->dump_fd > 0)
		relay_hexdump(d->dump_fd, d->mark, &d->dumped, buf, n);
	return n;
}

/* Moves data src -> dst once src is readable (or dst writable again).
 * Returns 0 or -1 with the error pending. */
static int
dir_pump(struct dir *d, int dst_ready)
{
	ssize_t n;

	if (dir_pending(d) > 0 || (d->blocked && d->mode != M_DIRECT))
		return dir_drain(d);
	if (d->mode == M_DIRECT) {
		size_t want = dir_chunk(d, PIPE_SIZE);

		n = splice(d->src, NULL, d->dst, NULL, want,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EINVAL) {
			d->mode = M_COPY;
			return dir_pump(d, dst_ready);
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			/* from POLLIN: dst is full; from POLLOUT: src is
			 * empty */
			d->blocked = !dst_ready;
			return 0;
		}
		d->blocked = 0;
		if (n < 0) {
			err_errno(errno);
			return -1;
		}
		if (n == 0)
			d->eof = 1;
		dir_took(d, (size_t)n);
		return 0;
	}
	if (d->mode == M_PIPE) {
		n = splice(d->src, NULL, d->pfd[1], NULL,
		    dir_chunk(d, PIPE_SIZE), SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0 && errno == EINVAL) {
			if (dir_to_copy(d) < 0)
				return -1;
			return dir_pump(d, dst_ready);
		}
		if (n > 0)
			d->inpipe += (size_t)n;
	} else {
		if (d->buf == NULL) {
			d->cap = COPY_SIZE;
			d->buf = xmalloc(d->cap);
		}
		n = read(d->src, d->buf, dir_chunk(d, d->crlf ? d->cap / 2 :
		    d->cap));
		if (n > 0)
			d->len = dir_filter(d, d->buf, (size_t)n);
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		err_errno(errno);
		return -1;
	}
	if (n == 0)
		d->eof = 1;
	dir_took(d, (size_t)n);
	return dir_drain(d);
}

/* Waits for the poll set; returns its result, 0 on the idle deadline, or
 * -1 with the error pending.  last is the time of the last traffic. */
static int
wait_fds(struct pollfd *p, nfds_t n, double idle, double last)
{
	int r, ms = idle >= 0 ? ms_until(last + idle) : -1;

	if (ms == 0)
		return 0;
	r = poll(p, n, ms);
	if (r < 0 && errno == EINTR)
		return 1;
	if (r < 0)
		err_errno(errno);
	return r;
}

/* How long input may pause, once the peer has closed, before the relay
 * ends: at least INPUT_PAUSE seconds, so a producer stalled under load is
 * not cut off (a half-closing peer may still be reading). */
#define INPUT_PAUSE 5.0
static double
input_pause(const struct relay *r)
{
	return r->linger > INPUT_PAUSE ? r->linger : INPUT_PAUSE;
}

/* Is fd an SCTP socket? */
static int
is_sctp(int fd)
{
	int proto = 0;
	socklen_t len = sizeof proto;

	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) == 0 &&
	    proto == IPPROTO_SCTP;
}

/* Reads away what the socket fd holds (at most 1 MiB, not waiting), so
 * that its close sends no reset over unread data, which could drop the
 * last bytes sent. */
static void
discard_input(int fd)
{
	char buf[4096];
	int i;

	for (i = 0; i < 256 && recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0;
	    i++)
		;
}

/* The stream relay (TCP, UNIX stream, vsock, SCTP, MPTCP; seqpacket too,
 * though without splice). */
static int
relay_stream(struct relay *r)
{
	struct dir up, down;	/* up: in -> sock; down: sock -> out */
	int sctp = is_sctp(r->sock);
	int rc = -1, splice_ok = !r->no_splice && r->type == SOCK_STREAM;
	int up_done = r->in < 0, peer_gone = 0, sctp_wait = 0;
	double last = mono_now(), t_eof = last;

	/* what is converted or dumped passes through our buffer */
	dir_init(&up, r->in, r->sock, -1, splice_ok && !r->crlf &&
	    r->dump_fd <= 0, 0, r->stop);
	dir_init(&down, r->sock, r->out, r->recv_max, splice_ok &&
	    r->dump_fd <= 0, 1, r->stop);
	up.crlf = r->crlf;
	up.dump_fd = down.dump_fd = r->dump_fd;
	up.mark = '>';
	down.mark = '<';
	if (r->recv_max == 0)
		down.eof = 1;
	if (up_done && !sctp && !r->no_shutdown)
		shutdown(r->sock, SHUT_WR);
	sctp_wait = up_done && sctp;
	for (;;) {
		struct pollfd p[2];
		nfds_t n = 0;
		int iu = -1, id = -1, k, eof_over;
		double wait, since;

		if (!up_done && up.eof && dir_pending(&up) == 0) {
			/* SCTP has no half-close: a shutdown would stop the
			 * peer from answering, so wait for replies as with
			 * datagrams */
			if (sctp)
				sctp_wait = 1;
			else if (!r->no_shutdown)
				shutdown(r->sock, SHUT_WR);
			up_done = 1;
			t_eof = mono_now();
		}
		if (r->send_only) {
			if (up_done)
				break;
		} else if (down.eof && dir_pending(&down) == 0) {
			/* the peer closed: end, but let input that keeps coming
			 * (a file, a busy pipe) finish within the linger
			 * time */
			if (up_done || r->keep_in || isatty(r->in) ||
			    r->recv_max >= 0)
				break;
			peer_gone = 1;
		}
		if (!up_done) {
			int out = dir_pending(&up) > 0 || up.blocked;

			p[n].fd = out ? r->sock : r->in;
			p[n].events = out ? POLLOUT : POLLIN;
			p[n].revents = 0;
			iu = (int)n++;
		}
		if (!peer_gone && !r->send_only) {
			int out = dir_pending(&down) > 0 || down.blocked;

			p[n].fd = out ? r->out : r->sock;
			p[n].events = out ? POLLOUT : POLLIN;
			p[n].revents = 0;
			id = (int)n++;
		}
		wait = peer_gone ? input_pause(r) : sctp_wait ? r->linger :
		    r->idle;
		since = last;
		/* --eof-wait: reading ends that long after the input did */
		eof_over = up_done && !peer_gone && r->eof_wait >= 0 &&
		    (wait < 0 || t_eof + r->eof_wait <= last + wait);
		if (eof_over) {
			wait = r->eof_wait;
			since = t_eof;
		}
		k = wait_fds(p, n, wait, since);
		if (stopped(r->stop))
			break;
		if (k < 0)
			goto out;
		if (k == 0 && (peer_gone || sctp_wait || eof_over))
			break;
		if (k == 0) {
			err_timeout();
			goto out;
		}
		if (iu >= 0 && p[iu].revents) {
			last = mono_now();
			if (dir_pump(&up, p[iu].events == POLLOUT) < 0) {
				/* the peer is gone for writing: keep reading
				 * what it sent */
				if (!exc_is(err_class(), EXC_CONNECTION))
					goto out;
				err_clear();
				up_done = 1;
			}
		}
		if (id >= 0 && p[id].revents) {
			last = mono_now();
			if (dir_pump(&down, p[id].events == POLLOUT) < 0) {
				const struct pyerr *e = err_get();

				/* reading the socket never gives EPIPE: r->out
				 * did */
				r->out_closed = e && e->has_errno &&
				    e->errnum == EPIPE;
				goto out;
			}
		}
	}
	if (r->send_only)
		discard_input(r->sock);
	rc = 0;
out:
	r->bytes_out = up.bytes;
	r->bytes_in = down.bytes;
	r->in_eof = r->in >= 0 && up.eof;
	dir_free(&up);
	dir_free(&down);
	return rc;
}

/* Sends one datagram, waiting while the socket buffer is full (not once
 * *stop is set). */
static int
send_dgram(int fd, const char *p, size_t n, const volatile sig_atomic_t *stop)
{
	struct pollfd pf = { fd, POLLOUT, 0 };

	for (;;) {
		if (send(fd, p, n, 0) >= 0)
			return 0;
		if ((errno != EAGAIN && errno != EINTR) || stopped(stop)) {
			err_errno(errno);
			return -1;
		}
		if (errno == EAGAIN)
			(void)poll(&pf, 1, -1);
	}
}

/* Writes all of p to fd (blocking or not; not once *stop is set). */
static int
write_all(int fd, const char *p, size_t n, const volatile sig_atomic_t *stop)
{
	struct pollfd pf = { fd, POLLOUT, 0 };

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && (errno == EAGAIN || errno == EINTR) &&
		    !stopped(stop)) {
			if (errno == EAGAIN)
				(void)poll(&pf, 1, -1);
			continue;
		}
		if (w <= 0) {
			err_errno(w < 0 ? errno : EIO);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
relay_hexdump(int fd, char mark, unsigned long long *off, const char *p,
    size_t n)
{
	static const char hex[] = "0123456789abcdef";
	struct buf b = { 0 };
	size_t i, k;

	for (i = 0; i < n; i += 16) {
		size_t m = n - i < 16 ? n - i : 16;

		buf_printf(&b, "%c %08llx  ", mark, *off + i);
		for (k = 0; k < 16; k++) {
			unsigned char c = (unsigned char)p[i + k < n ? i + k :
			    0];

			if (k < m) {
				buf_putc(&b, hex[c >> 4]);
				buf_putc(&b, hex[c & 15]);
				buf_putc(&b, ' ');
			} else {
				buf_puts(&b, "   ");
			}
			if (k == 7)
				buf_putc(&b, ' ');
		}
		buf_puts(&b, " |");
		for (k = 0; k < m; k++) {
			unsigned char c = (unsigned char)p[i + k];

			buf_putc(&b, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		buf_puts(&b, "|\n");
	}
	*off += n;
	if (write_all(fd, b.p, b.len, NULL) < 0)
		err_clear();	/* a dump that cannot be written is not the
				 * relay's failure */
	free(b.p);
}

ssize_t
recv_whole(int fd, char **buf, size_t *cap, int flags, struct sockaddr *from,
    socklen_t *fromlen)
{
	ssize_t need = recv(fd, NULL, 0,
	    MSG_PEEK | MSG_TRUNC | (flags & MSG_DONTWAIT));

	if (need < 0)
		return need;
	if ((size_t)need > *cap) {
		*buf = xrealloc(*buf, (size_t)need);
		*cap = (size_t)need;
	}
	return recvfrom(fd, *buf, *cap, flags, from, fromlen);
}

/* The largest datagram the connected socket fd can send, at most cap: an
 * IPv4 UDP payload is 65507 bytes, an IPv6 one 65527 (65507 to a v4-mapped
 * peer); a UNIX datagram or seqpacket message SO_SNDBUF - 32 (the kernel's
 * EMSGSIZE bound).  Each input read is one datagram, so a longer read is
 * cut into datagrams of this size instead of failing with EMSGSIZE and
 * losing it all (issue 13 D11). */
static size_t
dgram_max(int fd, int type, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int sndbuf = 0;
	size_t max = cap;

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0 &&
	    (len = sizeof ss, getsockname(fd, (struct sockaddr *)&ss,
	    &len) < 0))
		return cap;
	if (type == SOCK_DGRAM && ss.ss_family == AF_INET)
		max = 65507;
	else if (type == SOCK_DGRAM && ss.ss_family == AF_INET6)
		max = IN6_IS_ADDR_V4MAPPED(
		    &((struct sockaddr_in6 *)&ss)->sin6_addr) ? 65507 : 65527;
	else if (ss.ss_family == AF_UNIX) {
		len = sizeof sndbuf;
		if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) == 0 &&
		    sndbuf > 32)
			max = (size_t)sndbuf - 32;
	}
	return max < cap ? max : cap;
}

/* The datagram relay: one datagram per input read, replies to out. */
static int
relay_dgram(struct relay *r)
{
	size_t cap = DGRAM_SIZE;
	char *buf = xmalloc(cap);
	int in_done = r->in < 0, rc = -1;
	double last = mono_now();
	long long left = r->recv_max;
	size_t in_max = dgram_max(r->sock, r->type, DGRAM_SIZE);
	unsigned long long dump_in = 0, dump_out = 0;
	int cr = 0;

	for (;;) {
		struct pollfd p[2];
		nfds_t n = 0;
		int k;
		double idle = in_done && r->type != SOCK_SEQPACKET ?
		    (r->eof_wait >= 0 ? r->eof_wait : r->linger) : r->idle;

		if (left == 0)
			break;
		p[n].fd = r->sock;
		p[n].events = POLLIN;
		p[n++].revents = 0;
		if (!in_done) {
			p[n].fd = r->in;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
		k = wait_fds(p, n, idle, last);
		if (stopped(r->stop))
			break;
		if (k < 0)
			goto out;
		if (k == 0) {
			if (in_done)
				break;
			err_timeout();
			goto out;
		}
		if (p[0].revents) {
			ssize_t m = recv_whole(r->sock, &buf, &cap,
			    MSG_DONTWAIT, NULL, NULL);

			if (m < 0 && errno != EAGAIN && errno != EINTR) {
				err_errno(errno);
				goto out;
			}
			if (m == 0 && r->type == SOCK_SEQPACKET)
				break;
			if (m > 0) {
				if (left >= 0 && m > left)
					m = (ssize_t)left;
				if (r->dump_fd > 0)
					relay_hexdump(r->dump_fd, '<', &dump_in,
					    buf, (size_t)m);
				if (write_all(r->out, buf, (size_t)m,
				    r->stop) < 0)
					goto out;
				r->bytes_in += (size_t)m;
				if (left >= 0)
					left -= m;
			}
			last = mono_now();
		}
		if (n > 1 && p[1].revents) {
			ssize_t m = read(r->in, buf, r->crlf ? in_max / 2 :
			    in_max);

			if (m < 0 && errno != EAGAIN && errno != EINTR) {
				err_errno(errno);
				goto out;
			}
			if (m == 0) {
				in_done = r->in_eof = 1;
				if (r->type == SOCK_SEQPACKET &&
				    !r->no_shutdown)
					shutdown(r->sock, SHUT_WR);
			} else if (m > 0) {
				size_t k = (size_t)m;

				if (r->crlf)
					k = crlf_expand(buf, k, &cr);
				if (r->dump_fd > 0)
					relay_hexdump(r->dump_fd, '>',
					    &dump_out, buf, k);
				if (send_dgram(r->sock, buf, k,
				    r->stop) < 0)
					goto out;
				r->bytes_out += (size_t)m;
			}
			last = mono_now();
		}
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

int
relay_run(struct relay *r)
{
	(void)sock_set_blocking_fd(r->sock, 0);
	if (r->type == SOCK_STREAM)
		return relay_stream(r);
	return relay_dgram(r);
}
