/* connect.c - sockit connect ADDRESS: create_connection, then relay stdio;
 * -z scans ports with connect_ex semantics. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/un.h>

#include "call.h"
#include "cli.h"
#include "cmd/netcmd.h"
#include "core/address.h"
#include "core/create.h"
#include "core/relay.h"
#include "core/sock.h"
#include "emit.h"
#include "error.h"
#include "parse.h"

enum { O_SOURCE = 256, O_ALL_ERRORS, O_SEND, O_RECV, O_PRINT, O_NO_SPLICE };

const struct optspec cmd_connect_opts[] = {
	{ "all-errors", no_argument, O_ALL_ERRORS, NULL, "report every failed attempt (ExceptionGroup)" },
	{ "no-splice", no_argument, O_NO_SPLICE, NULL, "relay with read/write, never splice()" },
	OPTSPEC_SOCKOPT,
	{ "print", no_argument, O_PRINT, NULL, "show the connected socket's repr on stderr" },
	{ "recv", required_argument, O_RECV, "N", "stop after receiving N bytes" },
	{ "send", required_argument, O_SEND, "VALUE", "send VALUE (str or bytes literal) instead of stdin" },
	{ "source", required_argument, O_SOURCE, "ADDR", "bind to HOST[:PORT] before connecting" },
	{ "zero", no_argument, 'z', NULL, "only connect and report, for PORT or LO-HI (connect_ex)" },
	{ NULL, 0, 0, NULL, NULL }
};

struct connect_opts {
	struct netopts no;
	const char *source;
	char *source_host, *source_port;
	int all_errors, print, zero, no_splice;
	value *send;
	long long recv_max;
};

/* Splits --source HOST[:PORT] / [V6]:PORT / V6 into host and port. */
static int
split_source(struct connect_opts *o)
{
	const char *s = o->source, *colon;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			usage_error("connect", "bad --source '%s'", s);
			return -1;
		}
		o->source_host = xmemdup(s + 1, (size_t)(close - s - 1));
		o->source_port = xstrdup(close[1] ? close + 2 : "0");
		return 0;
	}
	colon = strrchr(s, ':');
	if (colon == NULL || strchr(s, ':') != colon) {
		o->source_host = xstrdup(s);
		o->source_port = xstrdup("0");
		return 0;
	}
	o->source_host = xmemdup(s, (size_t)(colon - s));
	o->source_port = xstrdup(colon + 1);
	return 0;
}

/* A socket connected to a, for every family.  NULL with the error pending. */
static struct sock *
open_conn(const struct taskaddr *a, const char *port, struct connect_opts *o)
{
	struct conn_req r;
	struct sock *s;
	int fd;

	if (a->family == AF_UNSPEC || a->family == AF_INET || a->family == AF_INET6) {
		memset(&r, 0, sizeof r);
		r.host = a->host;
		r.port = port;
		r.family = a->len ? a->family : G.family;
		r.type = a->type;
		r.proto = a->proto;
		r.timeout = net_timeout();
		r.source_host = o->source_host;
		r.source_port = o->source_port;
		r.all_errors = o->all_errors;
		r.opts = o->no.o;
		r.nopts = o->no.n;
		return sock_connect_req(&r);
	}
	if ((fd = socket(a->family, a->type | SOCK_CLOEXEC, a->proto)) < 0) {
		err_errno(errno);
		return NULL;
	}
	s = sock_new(fd, a->family, a->type, a->proto);
	s->timeout = net_timeout();
	for (size_t i = 0; i < o->no.n; i++)
		if (sockopt_apply(fd, &o->no.o[i]) < 0)
			goto fail;
	if (a->family == AF_CAN) {
		if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0) {
			err_errno(errno);
			goto fail;
		}
		return s;
	}
	if (a->family == AF_UNIX && a->type == SOCK_DGRAM) {
		/* autobind: replies need an address (a whole, zeroed sockaddr_un
		 * so that valgrind does not read past the family) */
		struct sockaddr_un un = { .sun_family = AF_UNIX };

		if (bind(fd, (struct sockaddr *)&un, sizeof(sa_family_t)) < 0) {
			err_errno(errno);
			goto fail;
		}
	}
	if (sock_connect(s, (const struct sockaddr *)&a->ss, a->len) < 0) {
		if (a->family == AF_UNIX && err_get()->has_errno && !a->abstract) {
			struct pyerr e = err_fetch();

			free(e.filename);
			e.filename = NULL;
			err_restore(e);
		}
		goto fail;
	}
	return s;
fail:
	sock_free(s);
	return NULL;
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

/* -z: one (host, port, connect_ex result) line per port. */
static int
scan(const struct taskaddr *a, struct connect_opts *o)
{
	long lo = 0, hi = 0, port;
	int status = 0;

	if (a->port && sscanf(a->port, "%ld-%ld", &lo, &hi) == 2) {
		/* a range */
	} else if (a->port && sscanf(a->port, "%ld", &lo) == 1 && strspn(a->port, "0123456789") == strlen(a->port)) {
		hi = lo;
	} else if (a->family != AF_UNIX && a->family != AF_CAN) {
		hi = lo = -1;	/* a service name */
	}
	for (port = lo; port <= hi && !cli_signal; port++) {
		char pbuf[16];
		struct sock *s;
		int res = 0;
		value *v;

		snprintf(pbuf, sizeof pbuf, "%ld", port);
		s = open_conn(a, port < 0 ? a->port : pbuf, o);
		if (s == NULL) {
			const struct pyerr *e = err_get();

			if (e->exc == EXC_GAIERROR || e->exc == EXC_USAGE || !exc_is(e->exc, EXC_OSERROR))
				return -1;
			res = e->exc == EXC_TIMEOUT && !e->has_errno ? EAGAIN : e->has_errno ? e->errnum : EIO;
			err_clear();
			status = 1;
		}
		if (o->print && s)
			net_print_bound(s);
		sock_free(s);
		if (a->family == AF_UNIX || a->family == AF_CAN)
			v = v_tuple(2, v_strz(a->path ? a->path : a->host), v_int(res));
		else if (port < 0)
			v = v_tuple(3, v_strz(a->host), v_strz(a->port), v_int(res));
		else
			v = v_tuple(3, v_strz(a->host), v_int(port), v_int(res));
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

static int
parse_opts(int argc, char **argv, struct connect_opts *o)
{
	int c;

	while ((c = cli_getopt(argc, argv, "connect", cmd_connect_opts)) != -1) {
		switch (c) {
		case 'o':
			if (netopts_add(&o->no, optarg) < 0)
				return -1;
			break;
		case 'z': o->zero = 1; break;
		case O_SOURCE: o->source = optarg; break;
		case O_ALL_ERRORS: o->all_errors = 1; break;
		case O_PRINT: o->print = 1; break;
		case O_NO_SPLICE: o->no_splice = 1; break;
		case O_SEND:
			v_decref(o->send);
			if ((o->send = parse_value(optarg)) == NULL)
				return -1;
			if (o->send->kind != V_STR && o->send->kind != V_BYTES && o->send->kind != V_BYTEARRAY) {
				usage_error("connect", "--send takes a str or bytes value, not %s", v_typename(o->send));
				return -1;
			}
			break;
		case O_RECV: {
			long n;

			if (cli_long("connect", "--recv", optarg, 0, 0x7fffffffL, &n) < 0)
				return -1;
			o->recv_max = n;
			break;
		}
		default:
			return -1;
		}
	}
	if (optind != argc - 1) {
		usage_error("connect", optind >= argc ? "missing ADDRESS" : "one ADDRESS expected");
		return -1;
	}
	if (o->source && split_source(o) < 0)
		return -1;
	return 0;
}

int
cmd_connect(int argc, char **argv)
{
	struct connect_opts o;
	struct taskaddr a;
	struct sock *s = NULL;
	struct relay r;
	int status = -1;

	memset(&o, 0, sizeof o);
	memset(&a, 0, sizeof a);
	memset(&r, 0, sizeof r);
	o.recv_max = -1;
	cli_catch_signals();
	if (parse_opts(argc, argv, &o) < 0)
		goto out;
	if (taskaddr_parse(argv[optind], &a, o.zero) < 0) {
		if (err_class() == EXC_USAGE) {
			struct pyerr e = err_fetch();

			usage_error("connect", "%s", e.msg);
			free(e.msg);
			free(e.filename);
		}
		goto out;
	}
	if (o.source && (a.family == AF_UNIX || a.family == AF_VSOCK || a.family == AF_CAN)) {
		usage_error("connect", "--source is for IP addresses");
		goto out;
	}
	if (o.zero) {
		status = scan(&a, &o);
		goto out;
	}
	if ((s = open_conn(&a, a.port, &o)) == NULL) {
		if (o.all_errors && err_class() == EXC_EXCEPTIONGROUP)
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
	if (o.send && send_value(s, o.send) < 0)
		goto out;
	memset(&r, 0, sizeof r);
	r.in = o.send ? -1 : STDIN_FILENO;
	r.out = STDOUT_FILENO;
	r.sock = s->fd;
	r.type = s->type;
	r.recv_max = o.recv_max;
	r.idle = net_timeout() > 0 ? net_timeout() : -1;
	r.linger = net_timeout() > 0 ? net_timeout() : 0.5;
	r.no_splice = o.no_splice;
	r.stop = &cli_signal;
	if (out_flush() < 0 || relay_run(&r) < 0)
		goto out;
	status = 0;
out:
	sock_free(s);
	taskaddr_free(&a);
	netopts_free(&o.no);
	v_decref(o.send);
	free(o.source_host);
	free(o.source_port);
	if (cli_signal) {	/* SIGINT/SIGTERM: whatever it interrupted, end with its status */
		err_clear();
		status = cli_signal_status();
	} else if (r.out_closed) {	/* stdout's reader went away: end quietly, as by SIGPIPE */
		err_clear();
		end_by_signal(SIGPIPE);
	}
	return status;
}
