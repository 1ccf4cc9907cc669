/* fds_pass.c - sockit fds-pass: hand open descriptors between processes
 * with SCM_RIGHTS (SPEC section 8).
 *
 *   send ADDRESS FD...     connect (or listen with --listen) and send_fds
 *   recv ADDRESS           connect (or listen) and recv_fds; print the
 *                          result, or exec -- CMD with the descriptors
 *                          installed at 0.. (--at N) or from 3 with
 *                          LISTEN_FDS (--listen-fds)
 *   serve ADDRESS FD...    an fd holder: every client gets duplicates
 *
 * The plan is thin over core/fds.c: the core does the sendmsg/recvmsg, this
 * file does sockets, peers, signals, printing and exec. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "call.h"
#include "cmd/netcmd.h"
#include "front/front.h"
#include "core/sockaddr.h"
#include "core/taskaddr.h"
#include "core/create.h"
#include "core/fds.h"
#include "core/sock.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"
#include "parse.h"

#if !defined(SO_PASSRIGHTS) && !defined(__hppa__) && !defined(__sparc__)
/* Linux 6.16; older kernels refuse the option */
#define SO_PASSRIGHTS 83
#endif

#define CMD "fds-pass"

enum { SUB_SEND = 1, SUB_RECV = 2, SUB_SERVE = 4 };

struct fp {
	int sub;
	const char *subname;
	struct taskaddr addr;
	int listen, unlink_stale, wait, listen_fds;
	long mode, max, bufsize, at, count;	/* mode < 0: default */
	const char *fdnames;
	uid_t *uids;
	size_t nuids;
	struct netopts no;
	value *msg;		/* bytes */
	int *fds;		/* send, serve: our descriptors to pass */
	size_t nfds;
	char **cmd;		/* recv: after "--", NULL-terminated */
	int lfd, cfd;		/* bound/listening socket, connection */
	int bound;		/* we created the socket file (dev, ino) */
	int no_rights;		/* serve: the kernel refuses SCM_RIGHTS to
				 * lfd */
	dev_t dev;
	ino_t ino;
};

/* Sets the pending exception for an interrupted call: the signal's, when
 * one arrived.  Returns -1. */
static int
fail_errno(int e)
{
	err_errno(stop_signal ? EINTR : e);
	return -1;
}

/* Milliseconds left before the -t deadline *dl (a mono_now() time, set on
 * first use); -1 without a timeout. */
static int
ms_left(double *dl)
{
	if (!G.timeout_set)
		return -1;
	if (*dl == 0)
		*dl = mono_now() + (G.timeout > 1e9 ? 1e9 : G.timeout);
	return ms_until(*dl);
}

/* Waits until fd is ready for events, within the -t timeout (forever
 * without one).  Returns 0, or -1 with TimeoutError, BlockingIOError (-t 0)
 * or, after a signal, InterruptedError pending. */
static int
wait_io(int fd, short events)
{
	double dl = 0;
	struct pollfd p;
	int r;

	for (;;) {
		if (stop_signal)
			return fail_errno(EINTR);
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		r = poll(&p, 1, ms_left(&dl));
		if (r > 0)
			return 0;
		if (r == 0) {
			if (G.timeout == 0)
				err_errno(EAGAIN);
			else
				err_timeout();
			return -1;
		}
		if (errno != EINTR)
			return fail_errno(errno);
	}
}

/* ---- the command line ---------------------------------------------------- */

/* Adds the user s (a number or a name) to the allowed uids. */
static int
add_uid(void *obj, const char *s, const char *opt)
{
	struct fp *o = obj;
	struct passwd *pw;
	char *end;
	unsigned long u;

	errno = 0;
	u = strtoul(s, &end, 10);
	if (*s != '\0' && *end == '\0' && errno == 0 && s[0] != '-' &&
	    u < (uid_t)-1) {
		;
	} else if ((pw = getpwnam(s)) != NULL) {
		u = pw->pw_uid;
	} else {
		usage_error(CMD, "option %s: no such user: '%s'", opt, s);
		return -1;
	}
	o->uids = xrealloc(o->uids, (o->nuids + 1) * sizeof *o->uids);
	o->uids[o->nuids++] = (uid_t)u;
	return 0;
}

/* The bytes of --msg VALUE (a str is sent as its UTF-8). */
static int
set_msg(void *field, const char *s, const char *opt)
{
	value **msg = field, *v = parse_value(s);

	if (v == NULL)
		return -1;
	if (v->kind != V_BYTES && v->kind != V_BYTEARRAY && v->kind != V_STR) {
		usage_error(CMD,
		    "option %s: a bytes-like object or str is required, "
		    "not '%s'", opt, v_typename(v));
		v_decref(v);
		return -1;
	}
	v_decref(*msg);
	*msg = v;
	return 0;
}

#define S struct fp
const struct opt cmd_fds_pass_opts[] = {
	{ .name = "allow-uid", .type = OPT_FN, .off = 0, .fn = add_uid,
	  .arg = "UID",
	  .comp = COMP_USER, .flags = OPTF_REPEAT,
	  .help =
	  "accept only peers of this user (number or name; repeatable)" },
	{ .name = "at", .type = OPT_INT, OPTDST(S, at), .lo = 0, .hi = 1 << 20,
	  .arg = "N",
	  .sub = "recv", .conflicts = "listen-fds",
	  .help =
	  "recv -- CMD: install the descriptors from fd N (default 0)" },
	{ .name = "bufsize", .type = OPT_INT, OPTDST(S, bufsize), .lo = 0,
	  .hi = 1 << 26,
	  .arg = "N", .sub = "recv",
	  .help = "recv: bytes of message to receive (default 4096)" },
	{ .name = "count", .letter = 'c', .type = OPT_INT, OPTDST(S, count),
	  .lo = 1, .hi = 1e18,
	  .arg = "N", .sub = "serve", .help = "serve: stop after N clients" },
	{ .name = "fdname", .type = OPT_STR, OPTDST(S, fdnames), .arg = "NAMES",
	  .sub = "recv",
	  .help = "recv --listen-fds: LISTEN_FDNAMES, colon-separated" },
	{ .name = "listen", .letter = 'l', .type = OPT_FLAG, OPTDST(S, listen),
	  .sub = "send recv",
	  .help = "send, recv: create the socket and wait for the peer" },
	{ .name = "listen-fds", .type = OPT_FLAG, OPTDST(S, listen_fds),
	  .sub = "recv",
	  .help =
	  "recv -- CMD: install from fd 3 with LISTEN_FDS, LISTEN_PID" },
	{ .name = "max", .letter = 'n', .type = OPT_INT, OPTDST(S, max),
	  .lo = 0,
	  .hi = FDS_MAX_PER_MSG, .arg = "N", .sub = "recv",
	  .help = "recv: most descriptors to accept, 0-253 (default 253)" },
	{ .name = "mode", .letter = 'm', .type = OPT_MODE, OPTDST(S, mode),
	  .arg = "MODE",
	  .help = "permissions of the socket file, octal (default 0600)" },
	{ .name = "msg", .type = OPT_FN, OPTDST(S, msg), .fn = set_msg,
	  .arg = "VALUE",
	  .sub = "send serve",
	  .help = "send, serve: the message carrying them (default b'\\x00')" },
	OPT_SOCKOPT(S, no),
	{ .name = "unlink", .letter = 'u', .type = OPT_FLAG,
	  OPTDST(S, unlink_stale),
	  .help = "remove a stale socket file before binding" },
	{ .name = "wait", .letter = 'w', .type = OPT_FLAG, OPTDST(S, wait),
	  .sub = "send",
	  .help = "send: stay until the peer closes the connection" },
	{ .name = NULL }
};
#undef S

/* Parses FD words into o->fds, checking each is open (EBADF otherwise). */
static int
take_fds(struct fp *o, int n, char **words)
{
	int i;

	if (n == 0) {
		usage_error(CMD, "%s: no descriptors given", o->subname);
		return -1;
	}
	if (n > FDS_MAX_PER_MSG) {
		usage_error(CMD,
		    "%s: %d descriptors given; one message carries at most %d",
		    o->subname, n, FDS_MAX_PER_MSG);
		return -1;
	}
	o->fds = xcalloc((size_t)n, sizeof *o->fds);
	for (i = 0; i < n; i++) {
		char *end;
		long v;

		errno = 0;
		v = strtol(words[i], &end, 10);
		if (words[i][0] == '\0' || *end != '\0' || errno || v < 0 ||
		    v > INT_MAX) {
			usage_error(CMD, "not a descriptor number: '%s'",
			    words[i]);
			return -1;
		}
		if (fcntl((int)v, F_GETFD) < 0) {
			err_errno(errno);
			return -1;
		}
		o->fds[o->nfds++] = (int)v;
	}
	return 0;
}

/* Checks that every option given applies to the subcommand and address. */
static int
check_options(struct fp *o)
{
	int creates = o->listen || o->sub == SUB_SERVE;

	if ((o->unlink_stale || o->mode >= 0) && !creates) {
		usage_error(CMD, "--unlink and --mode need a socket fds-pass creates (--listen, serve)");
		return -1;
	}
	if ((o->unlink_stale || o->mode >= 0) && o->addr.abstract) {
		usage_error(CMD,
		    "--unlink and --mode need a filesystem path, "
		    "not an abstract name");
		return -1;
	}
	if (o->addr.type == SOCK_DGRAM) {
		if (o->wait || (o->sub == SUB_SEND &&
		    (o->listen || o->nuids))) {
			usage_error(CMD,
			    "send to a datagram address takes no --listen, "
			    "--wait or --allow-uid");
			return -1;
		}
		if (o->sub == SUB_RECV && !o->listen) {
			usage_error(CMD,
			    "recv on a datagram address needs --listen");
			return -1;
		}
	}
	if (o->cmd == NULL && (o->at || o->listen_fds || o->fdnames)) {
		usage_error(CMD,
		    "--at, --listen-fds and --fdname need '-- CMD'");
		return -1;
	}
	if (o->listen_fds && o->at) {
		usage_error(CMD,
		    "--listen-fds installs from fd 3; it takes no --at");
		return -1;
	}
	return 0;
}

/* Parses the command line into *o and a.  Returns 0, -1 (exception
 * pending), or OPT_ST_HELP/OPT_ST_VERSION. */
static int
parse_args(struct fp *o, int argc, char **argv, struct args *a)
{
	char **pos;
	int npos, r;

	if ((r = opt_parse(CMD, argc, argv, cmd_fds_pass_opts, o, 0, a)) != 0)
		return r;
	pos = a->v;
	npos = a->ndash;
	if (npos < 1) {
		usage_error(CMD, "expected send, recv or serve");
		return -1;
	}
	o->subname = pos[0];
	if (strcmp(pos[0], "send") == 0)
		o->sub = SUB_SEND;
	else if (strcmp(pos[0], "recv") == 0)
		o->sub = SUB_RECV;
	else if (strcmp(pos[0], "serve") == 0)
		o->sub = SUB_SERVE;
	else {
		usage_error(CMD, "expected send, recv or serve, not '%s'",
		    pos[0]);
		return -1;
	}
	if (npos < 2) {
		usage_error(CMD, "%s: no ADDRESS given", o->subname);
		return -1;
	}
	if (a->dash) {
		if (o->sub != SUB_RECV || a->ndash == a->n) {
			usage_error(CMD, o->sub != SUB_RECV ?
			    "'-- CMD' is for recv only"
			    : "'--' must be followed by a command");
			return -1;
		}
		o->cmd = a->v + a->ndash;
	}
	if (taskaddr_parse(pos[1], &o->addr, 0, AF_UNSPEC) < 0)
		return -1;
	if (o->addr.family != AF_UNIX) {
		usage_error(CMD,
		    "'%s' is not a UNIX address (unix:/path, unix-dgram:/path, "
		    "unix-seqpacket:/path, @name)", pos[1]);
		return -1;
	}
	if (o->sub == SUB_RECV) {
		if (npos > 2) {
			usage_error(CMD, "recv takes no FD arguments ('%s')",
			    pos[2]);
			return -1;
		}
	} else if (take_fds(o, npos - 2, pos + 2) < 0) {
		return -1;
	}
	return check_options(o);
}

/* ---- sockets and peers --------------------------------------------------- */

/* A new socket for the address, with the -o options applied.  Returns the
 * descriptor, or -1 with the OSError pending. */
static int
new_socket(struct fp *o)
{
	size_t i;
	int fd;

	if ((fd = socket(AF_UNIX, o->addr.type | SOCK_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		return -1;
	}
#ifdef SO_PASSRIGHTS
	if (o->sub == SUB_SERVE) {
		int off = 0;	/* requests carry no descriptors: the kernel
				 * refuses them */

		(void)setsockopt(fd, SOL_SOCKET, SO_PASSRIGHTS, &off,
		    sizeof off);
	}
#endif
	for (i = 0; i < o->no.n; i++)
		if (sockopt_apply(fd, &o->no.o[i]) < 0) {
			close(fd);
			return -1;
		}
	return fd;
}

/* Prints the bound address of fd on stderr in the output format (the
 * readiness line scripts wait for), unless -q. */
static void
print_bound(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	struct buf b = { 0 };
	value *v;

	if (G.verbose < 0 || getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return;
	if ((v = addr_to_value((struct sockaddr *)&ss, len, 0)) == NULL) {
		err_clear();
		return;
	}
	emit_value(&b, v, G.fmt);
	if (b.len)
		fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
	v_decref(v);
}

/* Binds fd to the address: a stale socket file (never a live one) removed
 * with --unlink, the file created 0600 or --mode by the kernel (no chmod of
 * the path, which a symlink swapped in would redirect).  Returns 0 or -1
 * with the OSError. */
static int
bind_socket(struct fp *o, int fd)
{
	const char *path = o->addr.path;
	struct stat st;
	int type = SOCK_STREAM;
	socklen_t tl = sizeof type;

	(void)getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl);
	if (o->unlink_stale && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    sock_unix_stale((struct sockaddr *)&o->addr.ss, o->addr.len, type))
		unlink(path);
	if (sock_bind_unix_mode(fd, (struct sockaddr *)&o->addr.ss, o->addr.len,
	    o->mode >= 0 ? (int)o->mode : 0600) < 0)
		return fail_errno(errno);
	if (o->addr.abstract)
		return 0;
	if (lstat(path, &st) == 0) {
		o->bound = 1;
		o->dev = st.st_dev;
		o->ino = st.st_ino;
	}
	return 0;
}

/* Removes the socket file we created, if it is still ours. */
static void
unbind(struct fp *o)
{
	struct stat st;

	if (o->bound && lstat(o->addr.path, &st) == 0 && st.st_dev == o->dev &&
	    st.st_ino == o->ino)
		unlink(o->addr.path);
	o->bound = 0;
}

/* Creates, binds and (stream, seqpacket) listens: o->lfd.  Prints the bound
 * address.  Returns 0 or -1. */
static int
open_server(struct fp *o)
{
	int on = 1;

	if ((o->lfd = new_socket(o)) < 0)
		return -1;
#ifdef SO_PASSRIGHTS
	{
		int v = 1;
		socklen_t len = sizeof v;

		o->no_rights = o->sub == SUB_SERVE &&
		    getsockopt(o->lfd, SOL_SOCKET, SO_PASSRIGHTS, &v,
		    &len) == 0 && v == 0;
	}
#endif
	if (o->addr.type == SOCK_DGRAM &&
	    setsockopt(o->lfd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0)
		return fail_errno(errno);
	if (bind_socket(o, o->lfd) < 0)
		return -1;
	if (o->addr.type != SOCK_DGRAM && listen(o->lfd, SOMAXCONN) < 0)
		return fail_errno(errno);
	print_bound(o->lfd);
	return 0;
}

/* Connects o->cfd to the address.  Returns 0 or -1. */
static int
open_client(struct fp *o)
{
	if ((o->cfd = new_socket(o)) < 0)
		return -1;
	while (connect(o->cfd, (struct sockaddr *)&o->addr.ss, o->addr.len) < 0)
		if (errno != EINTR || stop_signal)
			return fail_errno(errno);
	return 0;
}

/* ---- dropping what a peer sent ------------------------------------------- */

/* Closing a descriptor a peer sent can block as long as that peer likes: the
 * last close of a TCP socket with SO_LINGER and unsent data waits for it,
 * and so does the close of a UNIX socket whose queue holds such a socket,
 * of a FUSE file, of a tty with pending output.  serve refuses descriptors
 * (SO_PASSRIGHTS off, Linux 6.16) where the kernel can; what still arrives,
 * and the connections of refused peers, are dropped by drop_fd(): a socket
 * gets SO_LINGER {1, 0} (closed at once, with a reset), and the close itself
 * is done by a thread of its own, so that the serving thread never waits. */

static int closer_fd = -1;	/* the closer thread's queue (a pipe) */
static pthread_t closer;

static void *
closer_main(void *arg)
{
	int rfd = (int)(intptr_t)arg, fd;

	while (read(rfd, &fd, sizeof fd) == sizeof fd)
		close(fd);
	close(rfd);
	return NULL;
}

/* Ends the closer thread at the command's end: its queue is closed, and
 * it is waited for 0.9 s at most, since a close it is in may be one a
 * peer made slow (a socket holding a lingering one in its queue); the
 * process's exit ends it then. */
static void
closer_stop(void)
{
	struct timespec t;

	if (closer_fd < 0)
		return;
	close(closer_fd);
	closer_fd = -1;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += 900000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	(void)pthread_timedjoin_np(closer, NULL, &t);
}

/* Starts the closer thread, once.  Returns 0 or -1 (drop_fd closes itself). */
static int
closer_start(void)
{
	static int failed;
	sigset_t all, old;
	int p[2], r;

	if (closer_fd >= 0)
		return 0;
	if (failed || pipe2(p, O_CLOEXEC) < 0) {
		failed = 1;
		return -1;
	}
	(void)fcntl(p[1], F_SETFL, O_NONBLOCK);
	sigfillset(&all);	/* SIGINT and SIGTERM stay the main thread's */
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&closer, NULL, closer_main, (void *)(intptr_t)p[0]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		close(p[0]);
		close(p[1]);
		failed = 1;
		return -1;
	}
	closer_fd = p[1];
	return 0;
}

/* Closes fd, which a peer may have made slow to close (above), without
 * waiting: in the closer thread (at once here only if that thread cannot
 * be had or its queue is full). */
static void
drop_fd(int fd)
{
	struct linger lg = { 1, 0 };
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	if (closer_start() == 0 &&
	    write(closer_fd, &fd, sizeof fd) == (ssize_t)sizeof fd)
		return;
	close(fd);
}

/* drop_fd() for each of the n descriptors fds[]; frees the array. */
static void
drop_fds(int *fds, size_t n)
{
	size_t i;

	for (i = 0; fds && i < n; i++)
		drop_fd(fds[i]);
	free(fds);
}

/* Closes a connection: dropped (drop_fd) when its queue may hold a peer's
 * descriptors, which its close would close too. */
static void
close_conn(const struct fp *o, int fd)
{
	if (o->no_rights)
		close(fd);
	else
		drop_fd(fd);
}

/* Prints the peer's credentials on stderr (-v). */
static void
print_cred(const struct ucred *uc)
{
	if (G.fmt == FMT_JSON)
		fprintf(stderr, "{\"pid\": %ld, \"uid\": %lu, \"gid\": %lu}\n",
		    (long)uc->pid, (unsigned long)uc->uid,
		    (unsigned long)uc->gid);
	else
		fprintf(stderr, "peer pid=%ld uid=%lu gid=%lu\n", (long)uc->pid,
		    (unsigned long)uc->uid, (unsigned long)uc->gid);
	fflush(stderr);
}

/* Is a peer with credentials uc (NULL: unknown) allowed by --allow-uid?
 * Prints them with -v. */
static int
peer_allowed(const struct fp *o, const struct ucred *uc)
{
	size_t i;

	if (uc && G.verbose > 0)
		print_cred(uc);
	if (o->nuids == 0)
		return 1;
	for (i = 0; uc && i < o->nuids; i++)
		if (o->uids[i] == uc->uid)
			return 1;
	return 0;
}

/* SO_PEERCRED of the connection fd into *uc.  Returns 0 or -1. */
static int
peer_cred(int fd, struct ucred *uc)
{
	socklen_t len = sizeof *uc;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) < 0)
		return fail_errno(errno);
	return 0;
}

/* Tells about a refused peer on stderr (a server keeps going). */
static void
warn_refused(const struct ucred *uc)
{
	if (G.verbose < 0)
		return;
	if (uc)
		fprintf(stderr,
		    "sockit: fds-pass: "
		    "refused peer pid=%ld uid=%lu (not --allow-uid)\n",
		    (long)uc->pid, (unsigned long)uc->uid);
	else
		fprintf(stderr,
		    "sockit: fds-pass: refused a peer without credentials\n");
}

/* Accepts the next allowed client on o->lfd into o->cfd.  Returns 0 or -1. */
static int
accept_peer(struct fp *o)
{
	struct ucred uc;

	for (;;) {
		if (G.timeout_set && wait_io(o->lfd, POLLIN) < 0)
			return -1;
		o->cfd = accept4(o->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (o->cfd < 0) {
			if ((errno == EINTR && !stop_signal) ||
			    errno == ECONNABORTED)
				continue;
			return fail_errno(errno);
		}
		if (o->nuids == 0 && G.verbose <= 0)
			return 0;
		if (peer_cred(o->cfd, &uc) < 0)
			return -1;
		if (peer_allowed(o, &uc))
			return 0;
		warn_refused(&uc);
		close_conn(o, o->cfd);
		o->cfd = -1;
	}
}

/* Checks the listening peer we connected to.  Returns 0, or -1 with
 * PermissionError pending when --allow-uid refuses it. */
static int
check_server_peer(struct fp *o)
{
	struct ucred uc;

	if (o->nuids == 0 && G.verbose <= 0)
		return 0;
	if (peer_cred(o->cfd, &uc) < 0)
		return -1;
	if (peer_allowed(o, &uc))
		return 0;
	err_set(EXC_PERMISSION,
	    "fds-pass: peer pid %ld uid %lu is not allowed (--allow-uid)",
	    (long)uc.pid, (unsigned long)uc.uid);
	return -1;
}

/* ---- send and serve ------------------------------------------------------ */

/* The message to send with the descriptors. */
static void
msg_bytes(const struct fp *o, const void **p, size_t *n)
{
	if (o->msg) {
		*p = o->msg->u.s.p;
		*n = o->msg->u.s.len;
	} else {
		*p = "";
		*n = 1;		/* one NUL byte, as nc -F sends */
	}
}

/* Reads fd until the peer closes it (--wait).  Returns 0 or -1. */
static int
wait_close(int fd)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		if (wait_io(fd, POLLIN) < 0)
			return -1;
		n = read(fd, buf, sizeof buf);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 0;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return fail_errno(errno);
	}
}

/* fds-pass send. */
static int
do_send(struct fp *o)
{
	const void *p;
	size_t n;

	msg_bytes(o, &p, &n);
	if (o->addr.type == SOCK_DGRAM) {
		if ((o->cfd = new_socket(o)) < 0)
			return -1;
		return sock_send_fds(o->cfd, p, n, o->fds, o->nfds, 0,
		    (struct sockaddr *)&o->addr.ss, o->addr.len) < 0 ? -1 : 0;
	}
	if (o->listen) {
		if (open_server(o) < 0 || accept_peer(o) < 0)
			return -1;
	} else if (open_client(o) < 0 || check_server_peer(o) < 0) {
		return -1;
	}
	if (sock_send_fds(o->cfd, p, n, o->fds, o->nfds, 0, NULL, 0) < 0)
		return -1;
	if (o->wait && wait_close(o->cfd) < 0)
		return -1;
	return 0;
}

/* serve over a datagram socket: each request datagram is answered with the
 * descriptors, sent to the requester's (bound) address.  Returns 0 or -1. */
static int
serve_dgram(struct fp *o, long *served)
{
	struct sockaddr_storage from;
	socklen_t fromlen;
	struct ucred uc;
	char req[512];
	const void *p;
	size_t n, nin;
	int *in, has, flags, allowed;

	msg_bytes(o, &p, &n);
	if (wait_io(o->lfd, POLLIN) < 0)
		return -1;
	if (sock_recv_fds_cred(o->lfd, req, sizeof req, FDS_MAX_PER_MSG, 0, &in,
	    &nin, &flags, &from, &fromlen, &uc, &has) < 0)
		return -1;
	allowed = peer_allowed(o, has ? &uc : NULL);
	if (!allowed)
		warn_refused(has ? &uc : NULL);
	drop_fds(in, nin);	/* a request carries no descriptors we keep */
	if (!allowed)
		return 0;
	if (fromlen <= offsetof(struct sockaddr_un, sun_path)) {
		if (G.verbose >= 0)
			fprintf(stderr,
			    "sockit: fds-pass: request from an unbound socket: "
			    "no address to answer\n");
		return 0;
	}
	if (sock_send_fds(o->lfd, p, n, o->fds, o->nfds, MSG_DONTWAIT,
	    (struct sockaddr *)&from, fromlen) < 0) {
		if (G.verbose >= 0)
			err_print(0);
		err_clear();
		return 0;
	}
	(*served)++;
	return 0;
}

/* fds-pass serve: hand duplicates to every client until --count or a
 * signal. */
static int
do_serve(struct fp *o)
{
	const void *p;
	size_t n;
	long served = 0;

	msg_bytes(o, &p, &n);
	if (open_server(o) < 0)
		return -1;
	while (o->count == 0 || served < o->count) {
		if (o->addr.type == SOCK_DGRAM) {
			if (serve_dgram(o, &served) < 0)
				return -1;
			continue;
		}
		if (accept_peer(o) < 0)
			return -1;
		if (sock_send_fds(o->cfd, p, n, o->fds, o->nfds, MSG_DONTWAIT,
		    NULL, 0) < 0) {
			/* a client gone early is its own problem, not the
			 * holder's */
			if (stop_signal)
				return -1;
			if (G.verbose >= 0)
				err_print(0);
			err_clear();
		} else {
			served++;
		}
		close_conn(o, o->cfd);
		o->cfd = -1;
	}
	return 0;
}

/* ---- recv ---------------------------------------------------------------- */

/* Installs the n descriptors fds[] at at, at+1, ... (without close-on-exec),
 * first moving them above that range so that none is overwritten; fds[]
 * then holds the close-on-exec copies, which the caller closes in every
 * case.  *errfd gets a close-on-exec copy of stderr (or -1) for reporting
 * an exec failure.  Returns 0 or -1. */
static int
install_fds(int *fds, size_t n, int at, int *errfd)
{
	int base = at + (int)n, hi;
	size_t i;

	if (base < 3)
		base = 3;
	*errfd = fcntl(2, F_DUPFD_CLOEXEC, base);
	for (i = 0; i < n; i++) {
		if ((hi = fcntl(fds[i], F_DUPFD_CLOEXEC, base)) < 0)
			return fail_errno(errno);
		close(fds[i]);
		fds[i] = hi;
	}
	for (i = 0; i < n; i++)
		if (dup2(fds[i], at + (int)i) < 0)
			return fail_errno(errno);
	return 0;
}

/* LISTEN_FDNAMES for n descriptors from --fdname (missing names are
 * "unknown", as sd_listen_fds_with_names() reports them). */
static char *
fdnames(const char *given, size_t n)
{
	struct buf b = { 0 };
	const char *p = given;
	size_t i, len;

	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ':');
		if (p && *p) {
			len = strcspn(p, ":");
			buf_put(&b, p, len);
			p += len + (p[len] == ':');
		} else {
			buf_puts(&b, "unknown");
		}
	}
	if (b.p == NULL)
		buf_puts(&b, "");
	return buf_cstr(&b);
}

/* Executes o->cmd with the n received descriptors fds[] installed, which
 * it takes over (closed on every path).  Returns only on failure: -1 with
 * the exception pending when nothing was installed yet, else 127 (not
 * found) or 126 after printing the OSError, as env(1) does. */
static int
exec_cmd(struct fp *o, int *fds, size_t n)
{
	int at = o->listen_fds ? 3 : (int)o->at, errfd = -1, e, r;
	char num[32], *names;
	size_t i;

	if (o->cfd >= 0)
		close(o->cfd);
	if (o->lfd >= 0)
		close(o->lfd);
	o->cfd = o->lfd = -1;
	unbind(o);
	r = out_flush();
	fflush(stdout);
	if (r == 0)
		r = install_fds(fds, n, at, &errfd);
	for (i = 0; i < n; i++)
		close(fds[i]);
	if (r < 0) {
		if (errfd >= 0)
			close(errfd);
		return -1;
	}
	if (o->listen_fds) {
		snprintf(num, sizeof num, "%zu", n);
		setenv("LISTEN_FDS", num, 1);
		snprintf(num, sizeof num, "%ld", (long)getpid());
		setenv("LISTEN_PID", num, 1);
		names = fdnames(o->fdnames, n);
		setenv("LISTEN_FDNAMES", names, 1);
		free(names);
	}
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	closer_stop();		/* no thread of ours goes on into CMD's image */
	execvp(o->cmd[0], o->cmd);
	e = errno;
	if (errfd >= 0) {
		dup2(errfd, 2);
		close(errfd);
	}
	err_errno_filename(e, o->cmd[0]);
	err_print(G.fmt == FMT_JSON);
	return e == ENOENT ? 127 : 126;
}

/* Receives one message with descriptors on fd (allowed peers only on a
 * datagram socket).  Returns the byte count or -1; *uc, *has as
 * sock_recv_fds_cred's. */
static ssize_t
recv_one(struct fp *o, int fd, char *buf, int **fds, size_t *nfds, int *flags,
    struct sockaddr_storage *from, socklen_t *fromlen)
{
	struct ucred uc;
	ssize_t r;
	int has, dgram = o->addr.type == SOCK_DGRAM;

	for (;;) {
		if (wait_io(fd, POLLIN) < 0)
			return -1;
		/* only datagrams carry SCM_CREDENTIALS (SO_PASSCRED), and room
		 * for them must not become room for more descriptors */
		r = sock_recv_fds_cred(fd, buf, (size_t)o->bufsize,
		    (size_t)o->max, 0, fds, nfds, flags, from, fromlen,
		    dgram ? &uc : NULL, &has);
		if (r < 0 || !dgram)
			return r;
		if (peer_allowed(o, has ? &uc : NULL))
			return r;
		warn_refused(has ? &uc : NULL);
		fds_close(*fds, *nfds);
		*fds = NULL;
		*nfds = 0;
	}
}

/* fds-pass recv. */
static int
do_recv(struct fp *o)
{
	struct sockaddr_storage from;
	socklen_t fromlen = 0;
	char *buf = xmalloc(o->bufsize ? (size_t)o->bufsize : 1);
	int *fds = NULL, flags = 0, fd, status = -1;
	size_t nfds = 0, i;
	ssize_t r;
	value *list, *res;

	if (o->listen) {
		if (open_server(o) < 0 || (o->addr.type != SOCK_DGRAM &&
		    accept_peer(o) < 0))
			goto out;
	} else if (open_client(o) < 0 || check_server_peer(o) < 0) {
		goto out;
	}
	fd = o->cfd >= 0 ? o->cfd : o->lfd;
	if ((r = recv_one(o, fd, buf, &fds, &nfds, &flags, &from,
	    &fromlen)) < 0)
		goto out;
	if ((flags & MSG_CTRUNC) && nfds < (size_t)o->max) {
		/* room for --max, yet fewer: the kernel ran out of descriptor
		 * slots (EMFILE: RLIMIT_NOFILE) while installing them */
		char m[200];

		snprintf(m, sizeof m,
		    "Too many open files: fds-pass: the kernel installed "
		    "only %zu of the descriptors received (MSG_CTRUNC below --max %ld); "
		    "they were closed", nfds, o->max);
		err_oserror(EXC_OSERROR, EMFILE, m);
		goto out;
	}
	if (flags & MSG_CTRUNC) {
		err_set(EXC_OSERROR,
		    "fds-pass: the peer sent more descriptors than --max %ld "
		    "(MSG_CTRUNC); the %zu received were closed", o->max, nfds);
		goto out;
	}
	if (r == 0 && nfds == 0 && o->addr.type != SOCK_DGRAM) {
		err_set(EXC_CONNECTION,
		    "fds-pass: the peer closed the connection without "
		    "sending descriptors");
		goto out;
	}
	if (o->cmd) {
		status = exec_cmd(o, fds, nfds);
		nfds = 0;	/* exec_cmd closed them */
		goto out;
	}
	list = v_list_new();
	for (i = 0; i < nfds; i++)
		v_append(list, v_int(fds[i]));
	res = addr_to_value((struct sockaddr *)&from, fromlen, 0);
	if (res == NULL) {
		v_decref(list);
		goto out;
	}
	res = v_with_shape(v_tuple(4, v_bytes(buf, (size_t)r), list,
	    v_int(flags), res), SH_RECV_FDS, 0);
	status = out_value(res, G.fmt);
	v_decref(res);
out:
	fds_close(fds, nfds);
	free(buf);
	return status;
}

/* ---- the command --------------------------------------------------------- */

/* Frees what parse_args and the run left in *o, closing its sockets and
 * removing the socket file it created. */
static void
fp_free(struct fp *o)
{
	closer_stop();

	if (o->cfd >= 0)
		close(o->cfd);
	if (o->lfd >= 0)
		close(o->lfd);
	unbind(o);
	netopts_free(&o->no);
	free(o->uids);
	free(o->fds);
	v_decref(o->msg);
	taskaddr_free(&o->addr);
}

int
cmd_fds_pass(int argc, char **argv)
{
	struct fp o;
	struct args a = { 0 };
	int status = -1;

	memset(&o, 0, sizeof o);
	o.mode = -1;
	o.max = FDS_MAX_PER_MSG;
	o.bufsize = 4096;
	o.lfd = o.cfd = -1;
	if ((status = parse_args(&o, argc, argv, &a)) != 0)
		goto out;
	status = -1;
	stop_catch();
	switch (o.sub) {
	case SUB_SEND: status = do_send(&o); break;
	case SUB_RECV: status = do_recv(&o); break;
	case SUB_SERVE: status = do_serve(&o); break;
	}
	if (stop_signal) {
		err_clear();
		status = stop_status();
	}
out:
	fp_free(&o);
	args_free(&a);
	return status;
}
