/* listen.c - sockit listen ADDRESS: create_server, accept, relay stdio or
 * run a command per connection; UDP prints each datagram. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "call.h"
#include "front/front.h"
#include "cmd/netcmd.h"
#include "core/sockaddr.h"
#include "core/taskaddr.h"
#include "core/relay.h"
#include "core/sock.h"
#include "core/taskconn.h"
#include "core/forward.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"

#define MAX_CHILDREN	64	/* --max-children default */
#define BACKOFF_MS	100	/* accept or fork short of resources: retry
				 * after this */
#define GRACE_S		1.0	/* after SIGINT/SIGTERM/SIGHUP: how long
				 * running --exec commands may still end on
				 * their own before their process groups get
				 * SIGTERM */
#define KILL_S		2.0	/* and then how long before SIGKILL */

struct listen_opts {
	struct netopts no, to_no;
	const char *exec, *to, *source, *hexdump;
	char *source_host, *source_port;
	int keep, reuse_port, dualstack, unlink_first, no_splice, crlf;
	int dump_fd;		/* --hexdump's, once open */
	int no_shutdown, recv_only, send_only;
	double connect_timeout, idle, eof_wait;	/* < 0: not given */
	long max_conns, backlog, mode, max_children;
};

#define S struct listen_opts
const struct opt cmd_listen_opts[] = {
	{ .name = "connect-timeout", .type = OPT_NUM,
	  OPTDST(S, connect_timeout), .lo = 0, .hi = 1e9, .flags = OPTF_GT,
	  .arg = "SEC", .needs = "to",
	  .help = "--to: give up connecting after SEC seconds (not -t)" },
	OPT_RELAY_VIEW(S, "exec to"),
	OPT_RELAY_EOF(S, "exec to"),
	{ .name = "idle-timeout", .type = OPT_NUM, OPTDST(S, idle), .lo = 0,
	  .hi = 1e9, .flags = OPTF_GT, .arg = "SEC", .conflicts = "exec",
	  .help = "end a connection after SEC seconds without data" },
	{ .name = "exec", .letter = 'e', .type = OPT_STR, OPTDST(S, exec),
	  .arg = "CMD",
	  .help = "run CMD with /bin/sh -c per connection, "
	  "on its stdin/stdout" },
	{ .name = "keep-open", .letter = 'k', .type = OPT_FLAG, OPTDST(S, keep),
	  .help = "accept one connection after another" },
	{ .name = "max-children", .type = OPT_INT, OPTDST(S, max_children),
	  .lo = 1,
	  .hi = 0x7fffffff, .arg = "N",
	  .help = "-k --exec: at most N commands at once (default 64)" },
	{ .name = "max-conns", .type = OPT_INT, OPTDST(S, max_conns), .lo = 1,
	  .hi = 0x7fffffff,
	  .arg = "N", .help = "stop after N connections (datagrams for UDP)" },
	{ .name = "no-splice", .type = OPT_FLAG, OPTDST(S, no_splice),
	  .help = "relay with read/write, never splice()" },
	{ .name = "source", .type = OPT_STR, OPTDST(S, source), .arg = "ADDR",
	  .needs = "to",
	  .help = "--to: bind the outgoing socket to HOST[:PORT]" },
	{ .name = "to", .type = OPT_STR, OPTDST(S, to), .arg = "ADDRESS",
	  .conflicts = "exec",
	  .help = "forward each connection to ADDRESS (one event loop)" },
	{ .name = "to-option", .type = OPT_FN, OPTDST(S, to_no),
	  .arg = "LEVEL:NAME=VALUE", .comp = COMP_CONST, .flags = OPTF_REPEAT,
	  .fn = netopts_opt, .needs = "to",
	  .help = "--to: setsockopt on the outgoing socket (repeatable)" },
	OPT_SERVER(S, "listen() backlog (default min(SOMAXCONN, 128))"),
	{ .name = NULL }
};
#undef S

/* One running --exec child and its connection. */
struct child {
	pid_t pid;
	int fd;
	struct conn_note note;	/* -v */
};

static int chld_pipe[2] = { -1, -1 };

static void
on_chld(int sig)
{
	int e = errno;

	(void)sig;
	/* The pipe is non-blocking: the one failure, EAGAIN, means it is full,
	 * and a full pipe already wakes the loop, so there is nothing to do. */
	if (chld_pipe[1] >= 0 && write(chld_pipe[1], "", 1) < 0) {
	}
	errno = e;
}

/* Reaps finished children.  Returns the last one's status (or -1). */
static int
reap(struct child *kids, size_t *nkids)
{
	int st, last = -1;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < *nkids; i++)
			if (kids[i].pid == pid) {
				net_conn_finish(kids[i].fd);
				net_note_end(&kids[i].note);
				kids[i] = kids[--*nkids];
				break;
			}
		last = net_wait_status(st);
	}
	return last;
}

/* Waits until fd is readable, a child ends or a signal comes.  Returns 1
 * when fd is ready, 0 otherwise, -1 with TimeoutError after timeout. */
static int
wait_accept(int fd, double timeout)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { chld_pipe[0], POLLIN, 0 } };
	int r = poll(p, chld_pipe[0] >= 0 ? 2 : 1,
	    timeout < 0 ? -1 : (int)(timeout * 1000));

	if (r == 0 && fd < 0)	/* a back-off pause (backoff()) is over */
		return 0;
	if (r == 0) {
		err_timeout();
		return -1;
	}
	if (r > 0 && chld_pipe[0] >= 0 && p[1].revents) {
		char buf[64];

		while (read(chld_pipe[0], buf, sizeof buf) > 0)
			;
	}
	return r > 0 && p[0].revents != 0;
}

/* Waits, without accepting, until a child ends (when there is one) or for
 * BACKOFF_MS: the server is short of descriptors, processes or memory, or
 * at --max-children. */
static void
backoff(size_t nkids)
{
	(void)wait_accept(-1,
	    nkids > 0 && chld_pipe[0] >= 0 ? -1 : BACKOFF_MS / 1000.0);
}

/* Sends sig to each child's process group (to the child alone if it has
 * none yet). */
static void
signal_children(const struct child *kids, size_t nkids, int sig)
{
	size_t i;

	for (i = 0; i < nkids; i++)
		if (kill(-kids[i].pid, sig) < 0)
			(void)kill(kids[i].pid, sig);
}

/* Waits until every child has ended, finishing its connection.  Once a
 * stop signal has come, the children get GRACE_S seconds to end, then
 * SIGTERM to their process groups, then SIGKILL KILL_S seconds later; a
 * second after that, any still running (stuck in the kernel) is left.
 * Returns the status of the last one reaped (or -1). */
static int
end_children(struct child *kids, size_t *nkids)
{
	double stop_at = -1, t;
	int sig = 0, st, last = -1;

	while (*nkids > 0) {
		if ((st = reap(kids, nkids)) >= 0)
			last = st;
		if (*nkids == 0)
			break;
		if (stop_signal && stop_at < 0)
			stop_at = mono_now();
		t = stop_at < 0 ? 0 : mono_now() - stop_at;
		if (sig == 0 && stop_at >= 0 && t >= GRACE_S)
			signal_children(kids, *nkids, sig = SIGTERM);
		else if (sig == SIGTERM && t >= GRACE_S + KILL_S)
			signal_children(kids, *nkids, sig = SIGKILL);
		else if (sig == SIGKILL && t >= GRACE_S + KILL_S + 1)
			break;
		(void)wait_accept(-1, BACKOFF_MS / 1000.0);
	}
	return last;
}

/* Is errno a shortage that passes (accept, fork), not a failure? */
static int
short_of_resources(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM ||
	    e == EAGAIN;
}

/* Closes the listening socket of a single-shot server once it has its
 * connection, so that a second client is refused at once instead of
 * waiting in the backlog for a reset (nc and ncat do the same). */
static void
close_listener(struct sock *ls)
{
	close(ls->fd);
	ls->fd = -1;
}

/* The stream server: accept, then relay or --exec. */
static int stdout_gone;	/* a relay found stdout's reader gone (EPIPE) */

static int
serve_stream(struct sock *ls, const struct taskaddr *a,
    const struct listen_opts *o)
{
	struct child *kids = NULL;
	size_t nkids = 0;
	long served = 0;
	int status = 0, in = STDIN_FILENO;

	if (o->exec) {
		if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
			err_errno(errno);
			return -1;
		}
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_chld;
		sa.sa_flags = SA_NOCLDSTOP;
		sigaction(SIGCHLD, &sa, NULL);
	}
	while (!stop_signal && (o->max_conns <= 0 || served < o->max_conns)) {
		int fd, r;

		if (nkids)
			reap(kids, &nkids);
		if (o->exec && nkids >= (size_t)o->max_children) {
			backoff(nkids);	/* the next connection waits in the
					 * backlog */
			continue;
		}
		r = wait_accept(ls->fd, net_timeout());
		if (r < 0) {
			status = -1;
			break;
		}
		if (r == 0)
			continue;
		fd = accept4(ls->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == ECONNABORTED)
				continue;
			if (o->keep && short_of_resources(errno)) {
				/* as echo: say so, and accept again once a
				 * child has ended or after a pause, without
				 * spinning */
				if (G.verbose >= 0)
					fprintf(stderr,
					    "sockit: listen: accept: %s\n",
					    strerror(errno));
				backoff(nkids);
				continue;
			}
			err_errno(errno);
			status = -1;
			break;
		}
		served++;
		if (!o->keep)
			close_listener(ls);
		if (o->exec) {
			pid_t pid;

			for (;;) {
				const struct pyerr *e;

				if ((pid = net_spawn(o->exec, fd, a)) >= 0)
					break;
				e = err_get();
				if (!o->keep || stop_signal || !e ||
				    !e->has_errno ||
				    !short_of_resources(e->errnum))
					break;
				/* fork short of processes or memory: the
				 * connection waits until a child has ended or
				 * for a pause */
				if (G.verbose >= 0)
					err_print(0);
				err_clear();
				backoff(nkids);
				if (nkids)
					reap(kids, &nkids);
			}
			if (pid < 0) {
				close(fd);
				status = -1;	/* after a signal: its status
						 * instead */
				break;
			}
			kids = xrealloc(kids, (nkids + 1) * sizeof *kids);
			kids[nkids].pid = pid;
			kids[nkids].fd = fd;
			net_note_open(&kids[nkids++].note, fd, ls->proto, 1);
			if (!o->keep) {	/* the exit status is CMD's */
				status = end_children(kids, &nkids);
				break;
			}
			continue;
		} else {
			struct relay rl;
			struct conn_note note;

			memset(&rl, 0, sizeof rl);
			rl.in = o->recv_only ? -1 : in;
			rl.out = STDOUT_FILENO;
			rl.sock = fd;
			rl.type = a->type;
			rl.recv_max = -1;
			rl.idle = net_idle(o->idle);
			rl.eof_wait = o->eof_wait;
			rl.no_shutdown = o->no_shutdown || o->recv_only;
			rl.send_only = o->send_only;
			rl.linger = 0.5;
			rl.stop = &stop_signal;
			rl.no_splice = o->no_splice;
			rl.crlf = o->crlf;
			rl.dump_fd = o->dump_fd;
			rl.keep_in = o->keep;
			net_note_open(&note, fd, ls->proto, 1);
			r = relay_run(&rl);
			net_note_close(&note, rl.bytes_out, rl.bytes_in);
			stdout_gone |= rl.out_closed;
			close(fd);
			if (rl.in_eof)	/* later connections are half-closed
					 * at once; until then stdin goes on
					 * to the next one (nc -k) */
				in = -1;
			if (r < 0 && o->keep && !stdout_gone &&
			    exc_is(err_class(), EXC_CONNECTION)) {
				/* -k: a peer that resets ends its own
				 * connection only */
				if (G.verbose > 0)
					err_print(0);
				err_clear();
				r = 0;
			}
			if (r < 0) {
				status = -1;
				break;
			}
			if (!o->keep)
				break;
		}
	}
	(void)end_children(kids, &nkids);
	while (nkids > 0)	/* left running, stuck in the kernel */
		net_note_end(&kids[--nkids].note);
	free(kids);
	if (chld_pipe[0] >= 0) {
		signal(SIGCHLD, SIG_DFL);
		close(chld_pipe[0]);
		close(chld_pipe[1]);
		chld_pipe[0] = chld_pipe[1] = -1;
	}
	return status;
}

/* The datagram server: print each datagram as its recvfrom() value. */
static int
serve_dgram(struct sock *ls, const struct listen_opts *o)
{
	size_t cap = 65536 * 4;
	char *buf = xmalloc(cap);
	long n = 0;
	int status = 0;

	while (!stop_signal && (o->max_conns <= 0 || n < o->max_conns)) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		ssize_t m;
		value *addr, *v;
		int r = wait_accept(ls->fd, net_timeout());

		if (r < 0) {
			status = -1;
			break;
		}
		if (r == 0)
			continue;
		m = recv_whole(ls->fd, &buf, &cap, MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &len);
		if (m < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			err_errno(errno);
			status = -1;
			break;
		}
		n++;
		if ((addr = addr_to_value((struct sockaddr *)&ss, len,
		    ls->proto)) == NULL) {
			status = -1;
			break;
		}
		v = v_with_shape(v_tuple(2, v_bytes(buf, (size_t)m), addr),
		    SH_RECVFROM, 0);
		r = out_value(v, G.fmt) < 0 || out_flush() < 0;
		v_decref(v);
		if (r) {
			status = -1;
			break;
		}
	}
	free(buf);
	return status;
}

/* What the --to callbacks need of the command line. */
struct fwd_ctx {
	int proto, keep;
};

/* -v: notes an accepted connection (forward.h's on_open). */
static void *
fwd_open(void *ctx, const struct sockaddr *peer, socklen_t len)
{
	struct conn_note *n = xmalloc(sizeof *n);

	net_note_open_addr(n, peer, len, ((struct fwd_ctx *)ctx)->proto, 1);
	return n;
}

/* Notes its end; with -k says why it failed, as the one connection's
 * error would be the result without -k (forward.h's on_close). */
static void
fwd_close(void *ctx, void *note, unsigned long long sent,
    unsigned long long received, int err)
{
	if (err && ((struct fwd_ctx *)ctx)->keep && G.verbose >= 0)
		err_print(0);
	net_note_close(note, sent, received);
	free(note);
}

/* --to: forward every connection of ls to the destination d. */
static int
serve_forward(struct sock *ls, const struct fwd_dest *d,
    const struct listen_opts *o)
{
	struct fwd_ctx ctx = { ls->proto, o->keep };
	struct forward f;
	int r;

	memset(&f, 0, sizeof f);
	f.lfd = ls->fd;
	f.dest = d;
	f.keep = o->keep;
	f.max_conns = o->max_conns;
	f.accept_timeout = net_timeout();
	f.connect_timeout = o->connect_timeout >= 0 ? o->connect_timeout :
	    net_timeout();
	f.idle = net_idle(o->idle);
	f.no_splice = o->no_splice;
	f.stop = &stop_signal;
	f.on_open = fwd_open;
	f.on_close = fwd_close;
	f.ctx = &ctx;
	r = ls->type == SOCK_DGRAM ? forward_dgram(&f) : forward_run(&f);
	ls->fd = f.lfd;		/* closed once the last one was accepted */
	return r;
}

/* Is a connection-oriented (stream or seqpacket)? */
static int
connected_type(const struct taskaddr *a)
{
	return a->type == SOCK_STREAM || a->type == SOCK_SEQPACKET;
}

/* --to ADDRESS, parsed and resolved into *d. */
static int
forward_dest(const struct taskaddr *a, struct listen_opts *o,
    struct taskaddr *to, struct fwd_dest *d)
{
	if (taskaddr_parse(o->to, to, 0, G.family) < 0)
		return -1;
	if (connected_type(a) != connected_type(to) ||
	    (!connected_type(a) && (a->type != SOCK_DGRAM ||
	    to->type != SOCK_DGRAM))) {
		usage_error("listen", "--to needs connection-oriented "
		    "addresses on both sides, or datagram ones");
		return -1;
	}
	if (o->source && !taskaddr_is_ip(to)) {
		usage_error("listen", "--source is for IP addresses");
		return -1;
	}
	if (o->source && net_split_source("listen", o->source,
	    &o->source_host, &o->source_port) < 0)
		return -1;
	if (fwd_dest_resolve(d, to, G.family, o->source_host,
	    o->source_port) < 0)
		return -1;
	d->opts = o->to_no.o;
	d->nopts = o->to_no.n;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct listen_opts *o, struct args *a)
{
	int r;

	if ((r = opt_parse("listen", argc, argv, cmd_listen_opts, o, 0,
	    a)) != 0)
		return r;
	if (o->max_conns > 0)
		o->keep = 1;
	return net_one_address("listen", a);
}

int
cmd_listen(int argc, char **argv)
{
	struct listen_opts o;
	struct taskaddr a, to;
	struct fwd_dest d;
	struct args args = { 0 };
	struct sock *s = NULL;
	int status = -1;

	memset(&o, 0, sizeof o);
	memset(&a, 0, sizeof a);
	memset(&to, 0, sizeof to);
	memset(&d, 0, sizeof d);
	o.backlog = -1;
	o.mode = -1;
	o.max_children = MAX_CHILDREN;
	o.connect_timeout = o.idle = o.eof_wait = -1;
	if ((status = parse_opts(argc, argv, &o, &args)) != 0)
		goto out;
	status = -1;
	if (taskaddr_parse(args.v[0], &a, 0, G.family) < 0) 
		goto out;	/* a usage error: main names the command */
	if (o.exec && !connected_type(&a)) {
		usage_error("listen",
		    "--exec needs a connection-oriented ADDRESS");
		goto out;
	}
	stop_catch();
	if (o.to && forward_dest(&a, &o, &to, &d) < 0)
		goto out;
	if ((o.dump_fd = net_open_dump(o.hexdump)) < 0)
		goto out;
	if ((s = net_server(&a, &o.no, (int)o.backlog, o.reuse_port,
	    o.dualstack, (int)o.mode, o.unlink_first)) == NULL)
		goto out;
	if (G.verbose >= 0)	/* -q: no bound-address line */
		net_print_bound(s);
	if (o.to)
		status = serve_forward(s, &d, &o);
	else if (connected_type(&a))
		status = serve_stream(s, &a, &o);
	else
		status = serve_dgram(s, &o);
	net_server_cleanup(&a);
	if (stop_signal) {
		if (status < 0)
			err_clear();
		status = stop_status();
	}
out:
	args_free(&args);
	sock_free(s);
	taskaddr_free(&a);
	taskaddr_free(&to);
	fwd_dest_free(&d);
	netopts_free(&o.no);
	netopts_free(&o.to_no);
	net_close_dump(o.dump_fd);
	free(o.source_host);
	free(o.source_port);
	if (stdout_gone) {	/* socket file removed: now end quietly, as by
				 * SIGPIPE */
		err_clear();
		end_by_signal(SIGPIPE);
	}
	return status;
}
