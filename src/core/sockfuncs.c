/* sockfuncs.c - the module functions that make or take sockets: socket,
 * socketpair, fromfd, close, dup, has_dualstack_ipv6, create_connection,
 * create_server, send_fds and recv_fds, with socket.py's argument rules. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/sock.h"
#include "emit.h"
#include "error.h"

/* PyLong_AsLong for a descriptor argument. */
static int
fd_arg(const value *v, int *fd)
{
	long l;

	if (conv_long(v, &l) < 0)
		return -1;
	*fd = l < -2 || l > INT32_MAX ? -2 : (int)l;
	return 0;
}

value *
fn_socket(struct call *c)
{
	static const char *const names[] = { "self", "family", "type", "proto",
	    "fileno", NULL };
	value *a[5], *self = v_none();
	int family = -1, type = -1, proto = -1, fd, r;
	long lfd;
	struct sock *s;

	{
		/* self in front, so the counts are CPython's */
		struct call c2 = *c;
		value **args = xcalloc(c->nargs + 1, sizeof *args);

		args[0] = self;
		if (c->nargs)
			memcpy(args + 1, c->args, c->nargs * sizeof *args);
		c2.args = args;
		c2.nargs = c->nargs + 1;
		r = call_bind(&c2, ARGS_PYDEF, "socket.__init__", names, 5, 1,
		    a);
		free(args);
	}
	v_decref(self);
	if (r < 0)
		return NULL;
	if ((a[1] && arg_cint(a[1], &family) < 0) ||
	    (a[2] && arg_cint(a[2], &type) < 0) ||
	    (a[3] && arg_cint(a[3], &proto) < 0))
		return NULL;
	if (a[4] == NULL || a[4]->kind == V_NONE) {
		if (family == -1)
			family = AF_INET;
		if (type == -1)
			type = SOCK_STREAM;
		if (proto == -1)
			proto = 0;
		if ((fd = socket(family, type | SOCK_CLOEXEC, proto)) < 0) {
			err_errno(errno);
			return NULL;
		}
		return v_socket(sock_new(fd, family, type, proto));
	}
	if (fd_arg(a[4], &fd) < 0 || conv_long(a[4], &lfd) < 0)
		return NULL;
	/* CPython keeps fileno in an int (SOCKET_T): every negative one, and
	 * 2**31 .. 2**32-1 that wrap to negative, are ValueError, not EBADF */
	if ((int32_t)(uint32_t)(unsigned long)lfd < 0) {
		err_set(EXC_VALUE, "negative file descriptor");
		return NULL;
	}
	if ((s = sock_from_fd(fd, family, type, proto)) == NULL)
		return NULL;
	return v_socket(s);
}

value *
fn_socketpair(struct call *c)
{
	value *a[3];
	int family = AF_UNIX, type = SOCK_STREAM, proto = 0, sv[2];

	if (call_bind(c, ARGS_PYDEF, "socketpair",
	    (const char *const[]){ "family", "type", "proto", NULL }, 3, 0,
	    a) < 0)
		return NULL;
	if ((a[0] && a[0]->kind != V_NONE && arg_int(a[0], &family) < 0) ||
	    (a[1] && arg_int(a[1], &type) < 0) ||
	    (a[2] && arg_int(a[2], &proto) < 0))
		return NULL;
	if (socketpair(family, type | SOCK_CLOEXEC, proto, sv) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_tuple(2, v_socket(sock_new(sv[0], family, type, proto)),
	    v_socket(sock_new(sv[1], family, type, proto)));
}

value *
fn_fromfd(struct call *c)
{
	value *a[4];
	int fd, nfd, family, type, proto = 0;
	struct sock *s;

	if (call_bind(c, ARGS_PYDEF, "fromfd",
	    (const char *const[]){ "fd", "family", "type", "proto", NULL }, 4,
	    3, a) < 0 || fd_arg(a[0], &fd) < 0)
		return NULL;
	if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		err_errno(fd < 0 ? EBADF : errno);
		return NULL;
	}
	if (arg_cint(a[1], &family) < 0 || arg_cint(a[2], &type) < 0 ||
	    (a[3] && arg_cint(a[3], &proto) < 0) ||
	    (s = sock_from_fd(nfd, family, type, proto)) == NULL) {
		close(nfd);
		return NULL;
	}
	return v_socket(s);
}

value *
fn_close(struct call *c)
{
	value *a[1];
	int fd;

	if (call_bind(c, ARGS_METH_O, "_socket.close",
	    (const char *const[]){ "fd", NULL }, 1, 1, a) < 0 ||
	    fd_arg(a[0], &fd) < 0)
		return NULL;
	if (close(fd) < 0 && errno != ECONNRESET) {
		err_errno(fd < 0 ? EBADF : errno);
		return NULL;
	}
	return v_none();
}

value *
fn_dup(struct call *c)
{
	value *a[1];
	int fd, nfd;

	if (call_bind(c, ARGS_METH_O, "_socket.dup",
	    (const char *const[]){ "fd", NULL }, 1, 1, a) < 0 ||
	    fd_arg(a[0], &fd) < 0)
		return NULL;
	if ((nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		err_errno(fd < 0 ? EBADF : errno);
		return NULL;
	}
	return v_int(nfd);
}

/* socket.has_dualstack_ipv6(): an IPv6 TCP socket accepts IPV6_V6ONLY=0. */
static int
dualstack_ok(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0), zero = 0, r;

	if (fd < 0)
		return 0;
	r = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) == 0;
	close(fd);
	return r;
}

value *
fn_has_dualstack_ipv6(struct call *c)
{
	if (call_bind(c, ARGS_PYDEF, "has_dualstack_ipv6",
	    (const char *const[]){ NULL }, 0, 0, NULL) < 0)
		return NULL;
	return v_bool(dualstack_ok());
}

/* ---- create_connection / create_server ----------------------------------- */

/* `a, b = v` with Python's messages; borrowed items in out[2], or new str
 * items (made from a str's characters) in tmp[2]. */
static int
unpack2(const value *v, const value **out, value **tmp)
{
	size_t n;

	tmp[0] = tmp[1] = NULL;
	if (v->kind == V_TUPLE || v->kind == V_LIST) {
		n = v->u.seq.len;
		if (n == 2) {
			out[0] = v->u.seq.items[0];
			out[1] = v->u.seq.items[1];
			return 0;
		}
	} else if (v->kind == V_STR || v->kind == V_BYTES ||
	    v->kind == V_BYTEARRAY) {
		n = v->kind == V_STR ? strlen(v->u.s.p) : v->u.s.len;
		if (v->kind == V_STR) {
			size_t i, k = 0;

			for (i = 0, n = 0; i < v->u.s.len; i++)
				if (((unsigned char)v->u.s.p[i] & 0xc0) != 0x80)
					n++;
			if (n == 2) {
				while (++k < v->u.s.len &&
				    ((unsigned char)v->u.s.p[k] & 0xc0) == 0x80)
					;
				out[0] = tmp[0] = v_str(v->u.s.p, k);
				out[1] = tmp[1] = v_str(v->u.s.p + k,
				    v->u.s.len - k);
				return 0;
			}
		} else if (n == 2) {
			out[0] = tmp[0] = v_int((unsigned char)v->u.s.p[0]);
			out[1] = tmp[1] = v_int((unsigned char)v->u.s.p[1]);
			return 0;
		}
	} else {
		err_set(EXC_TYPE, "cannot unpack non-iterable %s object",
		    v_typename(v));
		return -1;
	}
	if (n < 2)
		err_set(EXC_VALUE,
		    "not enough values to unpack (expected 2, got %zu)", n);
	else
		err_set(EXC_VALUE, "too many values to unpack (expected 2)");
	return -1;
}

/* getaddrinfo's host argument as text (NULL for None). */
static int
host_text(const value *v, char **out)
{
	*out = NULL;
	if (v->kind == V_NONE)
		return 0;
	if (v->kind == V_STR || v->kind == V_BYTES) {
		*out = xmemdup(v->u.s.p, v->u.s.len);
		return 0;
	}
	err_set(EXC_TYPE, "getaddrinfo() argument 1 must be string or None");
	return -1;
}

/* getaddrinfo's port argument as text (NULL for None). */
static int
port_text(const value *v, char **out)
{
	char num[32];

	*out = NULL;
	if (v->kind == V_NONE)
		return 0;
	if (v_is_int(v)) {
		int big;
		int64_t i = v_as_i64(v, &big);

		if (big) {
			err_set(EXC_OVERFLOW,
			    "Python int too large to convert to C long");
			return -1;
		}
		snprintf(num, sizeof num, "%lld", (long long)i);
		*out = xstrdup(num);
		return 0;
	}
	if (v->kind == V_STR || v->kind == V_BYTES) {
		*out = xmemdup(v->u.s.p, v->u.s.len);
		return 0;
	}
	err_set(EXC_OSERROR, "Int or String expected");
	return -1;
}

value *
fn_create_connection(struct call *c)
{
	value *a[4], *tmp[2] = { NULL, NULL }, *stmp[2] = { NULL, NULL },
	    *ret = NULL;
	const value *hp[2], *sp[2];
	char *host = NULL, *port = NULL, *shost = NULL, *sport = NULL;
	double timeout = sock_default_timeout;
	struct sock *s;

	if (call_bind(c, ARGS_PYDEF, "create_connection",
	    (const char *const[]){ "address", "timeout", "source_address",
	    "all_errors", NULL }, 3, 1, a) < 0 || unpack2(a[0], hp, tmp) < 0)
		return NULL;
	if (a[1] && sock_parse_timeout(a[1], &timeout) < 0)
		goto out;
	if (host_text(hp[0], &host) < 0 || port_text(hp[1], &port) < 0)
		goto out;
	if (a[2] && a[2]->kind != V_NONE) {
		if (unpack2(a[2], sp, stmp) < 0 ||
		    host_text(sp[0], &shost) < 0 ||
		    port_text(sp[1], &sport) < 0)
			goto out;
		if (shost == NULL)
			shost = xstrdup("");
	}
	s = sock_create_connection(host, port, timeout, shost, sport, a[3] &&
	    v_truthy(a[3]));
	if (s)
		ret = v_socket(s);
out:
	free(host);
	free(port);
	free(shost);
	free(sport);
	v_decref(tmp[0]);
	v_decref(tmp[1]);
	v_decref(stmp[0]);
	v_decref(stmp[1]);
	return ret;
}

/* Re-raises the pending OSError e of binding address as create_server
 * does: OSError(errno, "STRERROR (while attempting to bind on address
 * ADDR)") with ADDR the repr of the address given. */
static void
bind_failed(const value *address)
{
	struct pyerr e = err_fetch();
	struct buf b = { 0 };
	char *cut;

	if (e.msg && (cut = strstr(e.msg,
	    " (while attempting to bind on address ")) != NULL)
		*cut = '\0';
	if (e.has_errno)
		buf_printf(&b, "%s (while attempting to bind on address ",
		    e.msg ? e.msg : "None");
	else
		buf_printf(&b,
		    "[Errno None] None (while attempting to bind on address ");
	repr(&b, address);
	buf_putc(&b, ')');
	if (e.has_errno)
		err_oserror(EXC_OSERROR, e.errnum, b.p);
	else
		err_set(EXC_OSERROR, "%s", b.p);
	free(b.p);
	free(e.msg);
	free(e.filename);
}

value *
fn_create_server(struct call *c)
{
	value *a[5];
	struct sockaddr_storage ss;
	socklen_t len;
	struct sock probe, *s;
	int family = AF_INET, backlog = -1, fd, dual, r;

	if (call_bind(c, ARGS_PYDEF, "create_server",
	    (const char *const[]){ "address", "family", "backlog", "reuse_port",
	    "dualstack_ipv6", NULL }, 1, 1, a) < 0)
		return NULL;
	dual = a[4] && v_truthy(a[4]);
	if (a[1] && arg_cint(a[1], &family) < 0)
		return NULL;
	if (dual) {
		if (!dualstack_ok()) {
			err_set(EXC_VALUE,
			    "dualstack_ipv6 not supported on this platform");
			return NULL;
		}
		if (family != AF_INET6) {
			err_set(EXC_VALUE,
			    "dualstack_ipv6 requires AF_INET6 family");
			return NULL;
		}
	}
	/* socket() first, as CPython: its errors come before the address's */
	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		return NULL;
	}
	memset(&probe, 0, sizeof probe);
	probe.fd = fd;
	probe.family = family;
	probe.type = SOCK_STREAM;
	r = addr_from_value(&probe, a[0], &ss, &len, "bind");
	close(fd);
	if (r < 0) {
		if (exc_is(err_class(), EXC_OSERROR))
			bind_failed(a[0]);
		return NULL;
	}
	if (a[2] && a[2]->kind != V_NONE && arg_int(a[2], &backlog) < 0)
		return NULL;
	if (a[2] && a[2]->kind != V_NONE && backlog < 0)
		backlog = 0;
	s = sock_create_server((struct sockaddr *)&ss, len, family, backlog,
	    a[3] && v_truthy(a[3]), dual);
	if (s == NULL) {
		if (err_class() == EXC_OSERROR && err_get()->msg &&
		    strstr(err_get()->msg,
		    " (while attempting to bind on address "))
			bind_failed(a[0]);
		return NULL;
	}
	return v_socket(s);
}

/* ---- send_fds / recv_fds ------------------------------------------------- */

/* The socket argument: a socket value (borrowed, *tmp NULL), or on the
 * command line a descriptor number wrapped in a temporary socket (*tmp). */
static value *
sock_arg(value *v, value **tmp, const char *method)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int fd, type = SOCK_STREAM;
	socklen_t tl = sizeof type;

	*tmp = NULL;
	if (v->kind == V_SOCKET)
		return v;
	if (v->kind != V_INT) {
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute '%s'",
		    v_typename(v), method);
		return NULL;
	}
	if (fd_arg(v, &fd) < 0)
		return NULL;
	memset(&ss, 0, sizeof ss);
	ss.ss_family = AF_UNIX;
	(void)getsockname(fd, (struct sockaddr *)&ss, &len);
	(void)getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl);
	*tmp = v_socket(xcalloc(1, sizeof(struct sock)));
	(*tmp)->u.sk.p->fd = fd;
	(*tmp)->u.sk.p->family = ss.ss_family;
	(*tmp)->u.sk.p->type = type;
	(*tmp)->u.sk.p->timeout = sock_default_timeout;
	return *tmp;
}

/* Drops a temporary socket of sock_arg without closing the descriptor. */
static void
sock_arg_done(value *tmp)
{
	if (tmp) {
		tmp->u.sk.p->fd = -1;
		v_decref(tmp);
	}
}

value *
fn_send_fds(struct call *c)
{
	value *a[5], *sv, *tmp, *anc, *fdbytes, *ret, *args[2];
	struct buf b = { 0 };
	size_t i;

	if (call_bind(c, ARGS_PYDEF, "send_fds", (const char *const[]){ "sock",
	    "buffers", "fds", "flags", "address", NULL }, 5, 3, a) < 0)
		return NULL;
	if (a[2]->kind != V_LIST && a[2]->kind != V_TUPLE) {
		err_set(EXC_TYPE,
		    "cannot use a %s to initialize an array with typecode 'i'",
		    v_typename(a[2]));
		return NULL;
	}
	for (i = 0; i < a[2]->u.seq.len; i++) {
		int fd;

		if (!v_is_int(a[2]->u.seq.items[i])) {
			err_set(EXC_TYPE,
			    "'%s' object cannot be interpreted as an integer",
			    v_typename(a[2]->u.seq.items[i]));
			free(b.p);
			return NULL;
		}
		if (arg_int(a[2]->u.seq.items[i], &fd) < 0) {
			free(b.p);
			return NULL;
		}
		buf_put(&b, &fd, sizeof fd);
	}
	if ((sv = sock_arg(a[0], &tmp, "sendmsg")) == NULL) {
		free(b.p);
		return NULL;
	}
	fdbytes = v_bytes(b.p ? b.p : "", b.len);
	free(b.p);
	anc = v_list_new();
	v_append(anc, v_tuple(3, v_int(SOL_SOCKET), v_int(SCM_RIGHTS),
	    fdbytes));
	args[0] = a[1];
	args[1] = anc;
	/* socket.py 3.11 passes neither flags nor address on */
	ret = sock_m_sendmsg(sv, &(struct call){ "sendmsg", args, 2, NULL, NULL,
	    0 });
	v_decref(anc);
	sock_arg_done(tmp);
	return ret;
}

value *
fn_recv_fds(struct call *c)
{
	value *a[4], *sv, *tmp, *r, *fds, *args[2], *anc;
	int64_t maxfds;
	size_t i;

	if (call_bind(c, ARGS_PYDEF, "recv_fds", (const char *const[]){ "sock",
	    "bufsize", "maxfds", "flags", NULL }, 4, 3, a) < 0 ||
	    arg_n(a[2], &maxfds) < 0)
		return NULL;
	if (maxfds < 0 || maxfds > (INT32_MAX - 64) / 4) {
		err_set(EXC_OVERFLOW, "CMSG_LEN() argument out of range");
		return NULL;
	}
	if ((sv = sock_arg(a[0], &tmp, "recvmsg")) == NULL)
		return NULL;
	args[0] = a[1];
	args[1] = v_int((int64_t)CMSG_LEN((size_t)maxfds * sizeof(int)));
	r = sock_m_recvmsg(sv, &(struct call){ "recvmsg", args, 2, NULL, NULL,
	    0 });
	v_decref(args[1]);
	sock_arg_done(tmp);
	if (r == NULL)
		return NULL;
	fds = v_list_new();
	anc = r->u.seq.items[1];
	for (i = 0; i < anc->u.seq.len; i++) {
		value *cm = anc->u.seq.items[i];
		const value *d = cm->u.seq.items[2];
		size_t k;

		if (v_as_i64(cm->u.seq.items[0], &(int){ 0 }) != SOL_SOCKET ||
		    v_as_i64(cm->u.seq.items[1], &(int){ 0 }) != SCM_RIGHTS)
			continue;
		for (k = 0; k + sizeof(int) <= d->u.s.len; k += sizeof(int)) {
			int fd;

			memcpy(&fd, d->u.s.p + k, sizeof fd);
			v_append(fds, v_int(fd));
		}
	}
	v_decref(r->u.seq.items[1]);
	r->u.seq.items[1] = fds;
	return v_with_shape(r, SH_RECV_FDS, 0);
}
