/* connect.c - sockit connect ADDRESS: create_connection, then relay stdio;
 * -z scans ports with connect_ex semantics. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "call.h"
#include "front/front.h"
#include "cmd/netcmd.h"
#include "core/taskaddr.h"
#include "core/create.h"
#include "core/relay.h"
#include "core/sock.h"
#include "core/taskconn.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"
#include "parse.h"

struct connect_opts {
	struct netopts no;
	const char *source, *exec, *hexdump;
	char *source_host, *source_port;
	int all_errors, print, zero, no_splice, crlf;
	int no_shutdown, recv_only, send_only;
	double connect_timeout, idle, eof_wait;	/* < 0: not given */
	value *send;
	long recv_max;
};

/* --send VALUE: a str or bytes literal. */
static int
set_send(void *field, const char *arg, const char *opt)
{
	value **dst = field, *v;

	if ((v = parse_value(arg)) == NULL)
		return -1;
	if (v->kind != V_STR && v->kind != V_BYTES && v->kind != V_BYTEARRAY) {
		usage_error(NULL,
		    "option %s: takes a str or bytes value, not %s", opt,
		    v_typename(v));
		v_decref(v);
		return -1;
	}
	v_decref(*dst);
	*dst = v;
	return 0;
}

#define S struct connect_opts
const struct opt cmd_connect_opts[] = {
	{ .name = "all-errors", .type = OPT_FLAG, OPTDST(S, all_errors),
	  .help = "report every failed attempt (ExceptionGroup)" },
	{ .name = "connect-timeout", .type = OPT_NUM,
	  OPTDST(S, connect_timeout), .lo = 0, .hi = 1e9, .flags = OPTF_GT,
	  .arg = "SEC",
	  .help = "TimeoutError when connecting takes SEC seconds (not -t)" },
	OPT_RELAY_VIEW(S, "exec zero"),
	OPT_RELAY_EOF(S, "exec zero"),
	{ .name = "idle-timeout", .type = OPT_NUM, OPTDST(S, idle), .lo = 0,
	  .hi = 1e9, .flags = OPTF_GT, .arg = "SEC", .conflicts = "exec zero",
	  .help = "TimeoutError after SEC seconds without data either way" },
	{ .name = "exec", .letter = 'e', .type = OPT_STR, OPTDST(S, exec),
	  .arg = "CMD", .conflicts = "send recv zero",
	  .help = "run CMD with /bin/sh -c, the connection its stdin/stdout" },
	{ .name = "no-splice", .type = OPT_FLAG, OPTDST(S, no_splice),
	  .help = "relay with read/write, never splice()" },
	OPT_SOCKOPT(S, no),
	{ .name = "print", .type = OPT_FLAG, OPTDST(S, print),
	  .help = "show the connected socket's repr on stderr" },
	{ .name = "recv", .type = OPT_INT, OPTDST(S, recv_max), .lo = 0,
	  .conflicts = "send-only",
	  .hi = 0x7fffffff,
	  .arg = "N", .help = "stop after receiving N bytes" },
	{ .name = "send", .type = OPT_FN, OPTDST(S, send), .fn = set_send,
	  .conflicts = "recv-only",
	  .arg = "VALUE",
	  .help = "send VALUE (str or bytes literal) instead of stdin" },
	{ .name = "source", .type = OPT_STR, OPTDST(S, source), .arg = "ADDR",
	  .help = "bind to HOST[:PORT] before connecting" },
	{ .name = "zero", .letter = 'z', .type = OPT_FLAG, OPTDST(S, zero),
	  .conflicts = "send recv",
	  .help = "only connect and report, for PORT or LO-HI (connect_ex)" },
	{ .name = NULL }
};
#undef S

/* A socket connected to a (at port), for every family. */
static struct sock *
open_conn(const struct taskaddr *a, const char *port, struct connect_opts *o)
{
	struct task_connect t = { G.family, o->connect_timeout >= 0 ?
	    o->connect_timeout : net_timeout(), o->source_host,
	    o->source_port, o->all_errors, o->no.o, o->no.n };

	return taskaddr_connect(a, port, &t);
}

/* Prints the failed attempts of the last create_connection on stderr. */
static void
print_attempts(void)
{
	const char *const *lines;
	size_t i, n = create_attempts(&lines);

	for (i = 0; i < n; i++)
		fprintf(stderr, "sockit: %s\n", lines[i]);
}

#define PROBE_WAIT	1.0	/* -z of UDP without -t: seconds a port may
				 * take to refuse a probe */

/* -z of a connected IP datagram socket s, whose connect() proves nothing:
 * sends an empty datagram and waits up to wait seconds for the port to
 * refuse it (ICMP port unreachable, as ECONNREFUSED), as nc -zu does.
 * Returns that errno, or 0 for a reply or silence (open, or filtered). */
static int
probe_dgram(const struct sock *s, double wait)
{
	double deadline = mono_now() + wait;
	struct pollfd p = { s->fd, POLLIN, 0 };
	char c;

	if (send(s->fd, "", 0, 0) < 0)
		return errno;
	while (!stop_signal) {
		int r = poll(&p, 1, ms_until(deadline));

		if (r == 0)
			return 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		if (recv(s->fd, &c, 1, MSG_DONTWAIT) >= 0)
			return 0;	/* an answer */
		if (errno != EAGAIN && errno != EINTR)
			return errno;
	}
	return 0;
}

/* Is s an IP datagram socket (UDP, UDP-Lite)? */
static int
is_ip_dgram(const struct sock *s)
{
	return s->type == SOCK_DGRAM &&
	    (s->family == AF_INET || s->family == AF_INET6);
}

/* The report of one -z attempt: (host, port, connect_ex result), or
 * (path, result) for a family without ports; under -j the object {host,
 * port, open, errno, error} (port null without ports, error null when
 * open). */
static value *
scan_value(const struct taskaddr *a, long port, int res)
{
	value *host, *pv, *d;

	/* unix, can: the path or interface, and no port */
	host = v_strz(a->port == NULL && a->path ? a->path : a->host);
	pv = a->port == NULL ? v_none() : port < 0 ? v_strz(a->port) :
	    v_int(port);
	if (G.fmt != FMT_JSON) {
		if (a->port == NULL) {
			v_decref(pv);
			return v_tuple(2, host, v_int(res));
		}
		return v_tuple(3, host, pv, v_int(res));
	}
	d = v_dict_new();
	v_dict_set(d, v_strz("host"), host);
	v_dict_set(d, v_strz("port"), pv);
	v_dict_set(d, v_strz("open"), v_bool(res == 0));
	v_dict_set(d, v_strz("errno"), v_int(res));
	v_dict_set(d, v_strz("error"), res == 0 ? v_none() :
	    v_strz(strerror(res)));
	return d;
}

/* -z: one (host, port, connect_ex result) line per port. */
static int
scan(const struct taskaddr *a, struct connect_opts *o)
{
	long lo = 0, hi = 0, port;
	int status = 0;

	if (a->port && sscanf(a->port, "%ld-%ld", &lo, &hi) == 2) {
		/* a range */
	} else if (a->port && sscanf(a->port, "%ld", &lo) == 1 &&
	    strspn(a->port, "0123456789") == strlen(a->port)) {
		hi = lo;
	} else if (a->port) {	/* a family without ports has none */
		hi = lo = -1;	/* a service name */
	}
	for (port = lo; port <= hi && !stop_signal; port++) {
		char pbuf[16];
		struct sock *s;
		int res = 0;
		value *v;

		snprintf(pbuf, sizeof pbuf, "%ld", port);
		s = open_conn(a, port < 0 ? a->port : pbuf, o);
		if (s == NULL) {
			const struct pyerr *e = err_get();

			if (e->exc == EXC_GAIERROR || e->exc == EXC_USAGE ||
			    !exc_is(e->exc, EXC_OSERROR))
				return -1;
			res = e->exc == EXC_TIMEOUT && !e->has_errno ? EAGAIN :
			    e->has_errno ? e->errnum : EIO;
			err_clear();
			status = 1;
		} else if (is_ip_dgram(s)) {
			res = probe_dgram(s, net_timeout() >= 0 ?
			    net_timeout() : PROBE_WAIT);
			if (res != 0)
				status = 1;
		}
		if (o->print && s)
			net_print_bound(s);
		sock_free(s);
		v = scan_value(a, port, res);
		if (out_value(v, G.fmt) < 0 || out_flush() < 0) {
			v_decref(v);
			return -1;
		}
		v_decref(v);
	}
	return status;
}

/* Sends --send's value (str as UTF-8, bytes as is).  0, or -1 pending. */
static int
send_value(struct sock *s, const value *v)
{
	const char *p = v->u.s.p;
	size_t n = v->u.s.len;

	if (s->type != SOCK_STREAM) {
		if (send(s->fd, p, n, 0) < 0) {
			err_errno(errno);
			return -1;
		}
		return 0;
	}
	while (n > 0) {
		ssize_t w = send(s->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err_errno(errno);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* --exec: runs cmd on connection s (of ADDRESS a) and waits for it; the
 * result is its exit status.  A stop signal sends SIGTERM to its process
 * group, a second one SIGKILL. */
static int
run_exec(struct sock *s, const struct taskaddr *a, const char *cmd)
{
	struct conn_note note;
	int st, sig = 0;
	pid_t pid;

	net_note_open(&note, s->fd, s->proto, 0);
	if (out_flush() < 0 || (pid = net_spawn(cmd, s->fd, a)) < 0) {
		net_note_end(&note);
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			err_errno(errno);
			return -1;
		}
		if (stop_signal && sig != SIGKILL) {
			sig = sig ? SIGKILL : SIGTERM;
			if (kill(-pid, sig) < 0)
				(void)kill(pid, sig);
		}
	}
	net_conn_finish(s->fd);
	s->fd = -1;
	net_note_end(&note);
	return net_wait_status(st);
}

static int
parse_opts(int argc, char **argv, struct connect_opts *o, struct args *a)
{
	int r;

	if ((r = opt_parse("connect", argc, argv, cmd_connect_opts, o, 0,
	    a)) != 0)
		return r;
	if (net_one_address("connect", a) < 0)
		return -1;
	if (o->source && net_split_source("connect", o->source,
	    &o->source_host, &o->source_port) < 0)
		return -1;
	return 0;
}

int
cmd_connect(int argc, char **argv)
{
	struct connect_opts o;
	struct taskaddr a;
	struct args args = { 0 };
	struct sock *s = NULL;
	struct relay r;
	struct conn_note note;
	int status = -1, dump_fd = 0;

	memset(&o, 0, sizeof o);
	memset(&a, 0, sizeof a);
	memset(&r, 0, sizeof r);
	o.recv_max = -1;
	o.connect_timeout = o.idle = o.eof_wait = -1;
	stop_catch();
	if ((status = parse_opts(argc, argv, &o, &args)) != 0)
		goto out;
	status = -1;
	if (taskaddr_parse(args.v[0], &a, o.zero, G.family) < 0) 
		goto out;	/* a usage error: main names the command */
	if (o.source && !taskaddr_is_ip(&a)) {
		usage_error("connect", "--source is for IP addresses");
		goto out;
	}
	if (o.zero) {
		status = scan(&a, &o);
		goto out;
	}
	if ((dump_fd = net_open_dump(o.hexdump)) < 0)
		goto out;
	if ((s = open_conn(&a, a.port, &o)) == NULL) {
		if (o.all_errors && err_class() == EXC_EXCEPTIONGROUP &&
		    G.fmt == FMT_JSON)	/* one object, the attempts in it */
			status = err_print_with(1, create_attempts_json);
		else if (o.all_errors && err_class() == EXC_EXCEPTIONGROUP)
			print_attempts();
		goto out;
	}
	if (o.print) {
		struct buf b = { 0 };

		sock_repr(&b, s);
		fprintf(stderr, "%s\n", b.p);
		fflush(stderr);
		free(b.p);
	}
	if (o.exec) {
		status = run_exec(s, &a, o.exec);
		goto out;
	}
	if (o.send && send_value(s, o.send) < 0)
		goto out;
	memset(&r, 0, sizeof r);
	r.in = o.send || o.recv_only ? -1 : STDIN_FILENO;
	r.out = STDOUT_FILENO;
	r.sock = s->fd;
	r.type = s->type;
	r.recv_max = o.recv_max;
	r.idle = net_idle(o.idle);
	r.linger = net_timeout() > 0 ? net_timeout() : 0.5;
	r.eof_wait = o.eof_wait;
	r.no_shutdown = o.no_shutdown || o.recv_only;
	r.send_only = o.send_only;
	r.no_splice = o.no_splice;
	r.crlf = o.crlf;
	r.stop = &stop_signal;
	r.dump_fd = dump_fd;
	net_note_open(&note, s->fd, s->proto, 0);
	if (out_flush() < 0 || relay_run(&r) < 0) {
		net_note_close(&note, r.bytes_out, r.bytes_in);
		goto out;
	}
	net_note_close(&note, r.bytes_out, r.bytes_in);
	status = 0;
out:
	args_free(&args);
	sock_free(s);
	taskaddr_free(&a);
	netopts_free(&o.no);
	v_decref(o.send);
	net_close_dump(dump_fd);
	free(o.source_host);
	free(o.source_port);
	if (stop_signal) {	/* SIGINT/SIGTERM: whatever it interrupted, end
				 * with its status */
		err_clear();
		status = stop_status();
	} else if (r.out_closed) {	/* stdout's reader went away: end
					 * quietly, as by SIGPIPE */
		err_clear();
		end_by_signal(SIGPIPE);
	}
	return status;
}
