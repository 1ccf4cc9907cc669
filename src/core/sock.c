/* sock.c - the socket object of CPython's socket module: creation, repr,
 * attributes, timeouts and every method of SPEC section 7 (the message
 * methods live in msg.c, makefile's file objects in file.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "core/sockaddr.h"
#include "core/consts.h"
#include "core/conv.h"
#include "core/file.h"
#include "core/sock.h"
#include "emit.h"
#include "json.h"
#include "core/stop.h"
#include "error.h"

double sock_default_timeout = -1.0;

/* ---- the object ---------------------------------------------------------- */

int
sock_set_blocking_fd(int fd, int blocking)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl = blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}

struct sock *
sock_new(int fd, int family, int type, int proto)
{
	struct sock *s = xcalloc(1, sizeof *s);

	s->fd = fd;
	s->family = family;
	s->type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	s->proto = proto;
	if (type & SOCK_NONBLOCK) {
		s->timeout = 0;
	} else {
		s->timeout = sock_default_timeout;
		if (s->timeout >= 0 && fd >= 0)
			(void)sock_set_blocking_fd(fd, 0);
	}
	return s;
}

void
sock_free(struct sock *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

/* s.family / s.type as CPython gives them (enum member or plain int). */
static value *
sock_family_value(const struct sock *s)
{
	return enum_or_int(EC_ADDRESSFAMILY, s->family);
}

static value *
sock_type_value(const struct sock *s)
{
	return enum_or_int(EC_SOCKETKIND, s->type);
}

/* s.timeout: None or a float. */
static value *
sock_timeout_value(const struct sock *s)
{
	return s->timeout < 0 ? v_none() : v_float(s->timeout);
}

value *
sock_getattr(value *self, const char *name)
{
	struct sock *s = self->u.sk.p;

	if (strcmp(name, "family") == 0)
		return sock_family_value(s);
	if (strcmp(name, "type") == 0)
		return sock_type_value(s);
	if (strcmp(name, "proto") == 0)
		return v_int(s->proto);
	if (strcmp(name, "timeout") == 0)
		return sock_timeout_value(s);
	err_set(EXC_ATTRIBUTE, "'socket' object has no attribute '%s'", name);
	return NULL;
}

/* getsockname() (peer=0) or getpeername() (peer=1) as a value, or NULL when
 * it fails or is empty, exactly where CPython's repr leaves it out.  Never
 * leaves an exception pending. */
static value *
sock_addr_value(const struct sock *s, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	value *v;
	int r;

	if (s->fd < 0 || s->closed)
		return NULL;
	memset(&ss, 0, sizeof ss);
	r = peer ? getpeername(s->fd, (struct sockaddr *)&ss, &len)
		 : getsockname(s->fd, (struct sockaddr *)&ss, &len);
	if (r < 0)
		return NULL;
	v = addr_to_value((struct sockaddr *)&ss, len, s->proto);
	if (v == NULL) {
		err_clear();
		return NULL;
	}
	if (!v_truthy(v)) {
		v_decref(v);
		return NULL;
	}
	return v;
}

void
sock_repr(struct buf *b, const struct sock *s)
{
	value *a;

	buf_printf(b, "<socket.socket %sfd=%d, family=%d, type=%d, proto=%d",
	    s->closed ? "[closed] " : "", s->fd, s->family, s->type, s->proto);
	if ((a = sock_addr_value(s, 0)) != NULL) {
		buf_puts(b, ", laddr=");
		str_of(b, a);
		v_decref(a);
	}
	if ((a = sock_addr_value(s, 1)) != NULL) {
		buf_puts(b, ", raddr=");
		str_of(b, a);
		v_decref(a);
	}
	buf_putc(b, '>');
}

/* ---- the socket as a value: its ops for value.c and emit.c --------------- */

/* A member key: the value v (a new reference, dropped here). */
static void
json_member(struct jw *w, const char *key, value *v)
{
	jw_key(w, key);
	jw_value(w, v);
	v_decref(v);
}

/* SPEC 4: fd, family, type, proto, laddr, raddr (an address only where
 * CPython's repr has it). */
static void
sock_value_json(void *out, const value *v)
{
	struct jw *w = out;
	const struct sock *s = v->u.sk.p;
	value *a;

	jw_open_obj(w);
	jw_key(w, "fd");
	jw_int(w, s->fd);
	json_member(w, "family", sock_family_value(s));
	json_member(w, "type", sock_type_value(s));
	jw_key(w, "proto");
	jw_int(w, s->proto);
	if ((a = sock_addr_value(s, 0)) != NULL)
		json_member(w, "laddr", a);
	if ((a = sock_addr_value(s, 1)) != NULL)
		json_member(w, "raddr", a);
	jw_close_obj(w);
}

/* Raw output's fields: (fd, family, type, proto, laddr..., raddr...), the
 * addresses where CPython's repr has them. */
static value *
sock_value_fields(const value *v)
{
	const struct sock *s = v->u.sk.p;
	value *f[6], *t;
	size_t i, n = 0;

	f[n++] = v_int(s->fd);
	f[n++] = sock_family_value(s);
	f[n++] = sock_type_value(s);
	f[n++] = v_int(s->proto);
	if ((f[n] = sock_addr_value(s, 0)) != NULL)
		n++;
	if ((f[n] = sock_addr_value(s, 1)) != NULL)
		n++;
	t = v_tuple_new(n);
	for (i = 0; i < n; i++) {
		v_decref(t->u.seq.items[i]);
		t->u.seq.items[i] = f[i];
	}
	return t;
}

static void
sock_value_repr(void *out, const value *v)
{
	sock_repr(out, v->u.sk.p);
}

static void
sock_value_free(void *p)
{
	sock_free(p);
}

static const struct vobject_ops sock_value_ops = {
	.type_name = "socket",
	.free = sock_value_free,
	.repr = sock_value_repr,
	.json = sock_value_json,
	.fields = sock_value_fields,
};

value *
v_socket(struct sock *s)
{
	value *v = v_object(&sock_value_ops, s);

	v->kind = V_SOCKET;	/* u.sk and u.obj begin alike: ops, then the
				 * pointer */
	return v;
}

void
sock_real_close(struct sock *s)
{
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
}

/* ---- argument conversions with CPython's wording ------------------------- */

int
sock_parse_timeout(const value *v, double *out)
{
	int64_t ns;

	if (v->kind == V_NONE) {
		*out = -1;
		return 0;
	}
	if (v->kind == V_FLOAT) {
		double d = v->u.f;

		if (isnan(d)) {
			err_set(EXC_VALUE, "Invalid value NaN (not a number)");
			return -1;
		}
		d = d * 1e9;
		d = d >= 0 ? ceil(d) : floor(d);
		if (!(d >= -9223372036854775808.0 &&
		    d < 9223372036854775808.0)) {
			err_set(EXC_OVERFLOW,
			    "timestamp too large to convert to C _PyTime_t");
			return -1;
		}
		ns = (int64_t)d;
	} else {
		int64_t i;
		int big;

		if (conv_index(v, &i, &big) < 0)
			return -1;
		if (big || i > INT64_MAX / 1000000000 ||
		    i < INT64_MIN / 1000000000) {
			err_set(EXC_OVERFLOW,
			    "timestamp too large to convert to C _PyTime_t");
			return -1;
		}
		ns = i * 1000000000;
	}
	if (ns < 0) {
		err_set(EXC_VALUE, "Timeout value out of range");
		return -1;
	}
	*out = ns % 1000000000 == 0 ? (double)(ns / 1000000000) :
	    (double)ns / 1e9;
	return 0;
}

/* call_bind for a method defined in socket.py: the messages count self. */
static int
bind_pydef(value *self, const struct call *c, const char *fname,
    const char *const names[], int npos, int nreq, value **out)
{
	struct call c2 = *c;
	value **args = xcalloc(c->nargs + 1, sizeof *args);
	int r;

	args[0] = self;
	if (c->nargs)
		memcpy(args + 1, c->args, c->nargs * sizeof *args);
	c2.args = args;
	c2.nargs = c->nargs + 1;
	r = call_bind(&c2, ARGS_PYDEF, fname, names, npos, nreq, out);
	free(args);
	return r;
}

#define SELF (self->u.sk.p)
#define NONAMES ((const char *const[]){ NULL })

/* ---- timeouts and retries (CPython's sock_call_ex) ----------------------- */

/* Waits until s is readable (writing 0) or writable, at most interval
 * seconds (< 0: forever).  Returns 0 ready, 1 timed out, -1 with errno. */
static int
wait_ready(const struct sock *s, int writing, double interval, int connect)
{
	struct pollfd p;
	int ms, r;

	if (s->fd < 0)
		return 0;
	p.fd = s->fd;
	p.events = writing ? POLLOUT : POLLIN;
	if (connect)
		p.events |= POLLERR;
	p.revents = 0;
	if (interval < 0)
		ms = -1;
	else if (interval * 1000 > INT_MAX)
		ms = INT_MAX;
	else
		ms = (int)ceil(interval * 1000);
	r = poll(&p, 1, ms);
	if (r < 0)
		return -1;
	return r == 0;
}

int
sock_call(struct sock *s, int writing, int (*fn)(struct sock *, void *),
    void *data, int connect, int *err, double timeout)
{
	int has_timeout = timeout > 0, r, e = 0;
	double deadline = has_timeout ? mono_now() + timeout : 0;

	for (;;) {
		if (has_timeout || connect) {
			double interval = has_timeout ? deadline - mono_now() :
			    -1;

			r = has_timeout && interval < 0 ? 1 :
			    wait_ready(s, writing, interval, connect);
			if (r < 0) {
				if (errno == EINTR && !stop_signal)
					continue;
				e = errno;
				goto fail;
			}
			if (r == 1) {
				if (err) {
					*err = EWOULDBLOCK;
					return -1;
				}
				err_timeout();
				return -1;
			}
		}
		for (;;) {
			if (fn(s, data))
				return 0;
			if ((e = errno) != EINTR || stop_signal)
				break;
		}
		if (s->timeout > 0 && (e == EWOULDBLOCK || e == EAGAIN))
			continue;
		goto fail;
	}
fail:
	if (err)
		*err = e;
	else
		err_errno(e);
	return -1;
}

/* ---- methods: object management ------------------------------------------ */

static value *
m_fileno(value *self, struct call *c)
{
	if (call_bind(c, ARGS_NOARGS, "socket.fileno", NONAMES, 0, 0, NULL) < 0)
		return NULL;
	return v_int(SELF->fd);
}

static value *
m_close(value *self, struct call *c)
{
	value *a[1];

	if (bind_pydef(self, c, "socket.close", (const char *const[]){ "self",
	    NULL }, 1, 1, a) < 0)
		return NULL;
	SELF->closed = 1;
	if (SELF->io_refs <= 0 && SELF->fd >= 0) {
		int fd = SELF->fd;

		SELF->fd = -1;
		if (close(fd) < 0 && errno != ECONNRESET) {
			err_errno(errno);
			return NULL;
		}
	}
	return v_none();
}

static value *
m_detach(value *self, struct call *c)
{
	value *a[1];
	int fd;

	if (bind_pydef(self, c, "socket.detach", (const char *const[]){ "self",
	    NULL }, 1, 1, a) < 0)
		return NULL;
	SELF->closed = 1;
	fd = SELF->fd;
	SELF->fd = -1;
	return v_int(fd);
}

struct sock *
sock_from_fd(int fd, int family, int type, int proto)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int v;

	memset(&ss, 0, sizeof ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (family == -1)
			family = ss.ss_family;
	} else if (errno == EBADF || errno == ENOTSOCK) {
		err_errno(errno);
		return NULL;
	}
	len = sizeof v;
	if (type == -1) {
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) < 0) {
			err_errno(errno);
			return NULL;
		}
		type = v;
	}
	len = sizeof v;
	if (proto == -1) {
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) < 0) {
			err_errno(errno);
			return NULL;
		}
		proto = v;
	}
	return sock_new(fd, family, type, proto);
}

static value *
m_dup(value *self, struct call *c)
{
	value *a[1];
	struct sock *n;
	int fd;

	if (bind_pydef(self, c, "socket.dup", (const char *const[]){ "self",
	    NULL }, 1, 1, a) < 0)
		return NULL;
	if ((fd = fcntl(SELF->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		return NULL;
	}
	if ((n = sock_from_fd(fd, SELF->family, SELF->type,
	    SELF->proto)) == NULL) {
		close(fd);
		return NULL;
	}
	n->timeout = SELF->timeout;
	(void)sock_set_blocking_fd(n->fd, n->timeout < 0);
	return v_socket(n);
}

static value *
m_get_inheritable(value *self, struct call *c)
{
	value *a[1];
	int fl;

	if (bind_pydef(self, c, "socket.get_inheritable",
	    (const char *const[]){ "self", NULL }, 1, 1, a) < 0)
		return NULL;
	if ((fl = fcntl(SELF->fd, F_GETFD)) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_bool(!(fl & FD_CLOEXEC));
}

static value *
m_set_inheritable(value *self, struct call *c)
{
	value *a[2];
	int on, fl;

	if (bind_pydef(self, c, "socket.set_inheritable",
	    (const char *const[]){ "self", "inheritable", NULL }, 2, 2,
	    a) < 0 ||
	    arg_cint(a[1], &on) < 0)
		return NULL;
	if ((fl = fcntl(SELF->fd, F_GETFD)) < 0 ||
	    fcntl(SELF->fd, F_SETFD,
	    on ? fl & ~FD_CLOEXEC : fl | FD_CLOEXEC) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

static value *
m_getblocking(value *self, struct call *c)
{
	if (call_bind(c, ARGS_NOARGS, "socket.getblocking", NONAMES, 0, 0,
	    NULL) < 0)
		return NULL;
	return v_bool(SELF->timeout != 0);
}

static value *
m_gettimeout(value *self, struct call *c)
{
	if (call_bind(c, ARGS_NOARGS, "socket.gettimeout", NONAMES, 0, 0,
	    NULL) < 0)
		return NULL;
	return sock_timeout_value(SELF);
}

/* Sets s's timeout and the descriptor's O_NONBLOCK to match. */
static value *
set_timeout(struct sock *s, double t)
{
	s->timeout = t;
	if (sock_set_blocking_fd(s->fd, t < 0) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

static value *
m_setblocking(value *self, struct call *c)
{
	value *a[1];
	long flag;

	if (call_bind(c, ARGS_METH_O, "socket.setblocking",
	    (const char *const[]){ "flag", NULL }, 1, 1, a) < 0 ||
	    conv_long(a[0], &flag) < 0)
		return NULL;
	return set_timeout(SELF, flag ? -1.0 : 0.0);
}

static value *
m_settimeout(value *self, struct call *c)
{
	value *a[1];
	double t;

	if (call_bind(c, ARGS_METH_O, "socket.settimeout",
	    (const char *const[]){ "value", NULL }, 1, 1, a) < 0 ||
	    sock_parse_timeout(a[0], &t) < 0)
		return NULL;
	return set_timeout(SELF, t);
}

/* ---- methods: addresses and connections ---------------------------------- */

static value *
m_bind(value *self, struct call *c)
{
	struct sockaddr_storage ss;
	socklen_t len;
	value *a[1];

	if (call_bind(c, ARGS_METH_O, "socket.bind",
	    (const char *const[]){ "address", NULL }, 1, 1, a) < 0 ||
	    addr_from_value(SELF, a[0], &ss, &len, "bind") < 0)
		return NULL;
	if (bind(SELF->fd, (struct sockaddr *)&ss, len) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

/* SO_ERROR after an asynchronous connect: 1 done, 0 failed (errno set). */
static int
connect_done(struct sock *s, void *data)
{
	int e = 0;
	socklen_t len = sizeof e;

	(void)data;
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return 0;
	if (e == EISCONN)
		return 1;
	if (e != 0) {
		errno = e;
		return 0;
	}
	return 1;
}

/* CPython's internal_connect: 0 connected; else raises (do_raise) and
 * returns -1, or returns the errno. */
static int
do_connect(struct sock *s, const struct sockaddr *sa, socklen_t len,
    int do_raise)
{
	int r, e, wait;

	r = connect(s->fd, sa, len);
	if (r == 0)
		return 0;
	e = errno;
	if (e == EINTR)
		wait = s->timeout != 0;
	else
		wait = s->timeout != 0 && e == EINPROGRESS;
	if (!wait) {
		if (do_raise) {
			err_errno(e);
			return -1;
		}
		return e;
	}
	if (do_raise)
		return sock_call(s, 1, connect_done, NULL, 1, NULL, s->timeout);
	e = 0;
	if (sock_call(s, 1, connect_done, NULL, 1, &e, s->timeout) == 0)
		return 0;
	return e;
}

int
sock_connect(struct sock *s, const struct sockaddr *sa, socklen_t len)
{
	return do_connect(s, sa, len, 1);
}

static value *
m_connect(value *self, struct call *c)
{
	struct sockaddr_storage ss;
	socklen_t len;
	value *a[1];

	if (call_bind(c, ARGS_METH_O, "socket.connect",
	    (const char *const[]){ "address", NULL }, 1, 1, a) < 0 ||
	    addr_from_value(SELF, a[0], &ss, &len, "connect") < 0)
		return NULL;
	if (do_connect(SELF, (struct sockaddr *)&ss, len, 1) < 0)
		return NULL;
	return v_none();
}

static value *
m_connect_ex(value *self, struct call *c)
{
	struct sockaddr_storage ss;
	socklen_t len;
	value *a[1];

	if (call_bind(c, ARGS_METH_O, "socket.connect_ex",
	    (const char *const[]){ "address", NULL }, 1, 1, a) < 0 ||
	    addr_from_value(SELF, a[0], &ss, &len, "connect_ex") < 0)
		return NULL;
	return v_int(do_connect(SELF, (struct sockaddr *)&ss, len, 0));
}

static value *
m_listen(value *self, struct call *c)
{
	value *a[1];
	int backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;

	if (call_bind(c, ARGS_TUPLE, "listen", (const char *const[]){ "backlog",
	    NULL }, 1, 0, a) < 0 ||
	    (a[0] && arg_int(a[0], &backlog) < 0))
		return NULL;
	if (backlog < 0)
		backlog = 0;
	if (listen(SELF->fd, backlog) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

struct accept_data {
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;
};

static int
accept_op(struct sock *s, void *data)
{
	struct accept_data *d = data;

	/* AF_ALG sockets have no name: asking for the peer's makes the kernel
	 * fail the accept with ECONNABORTED, so CPython asks for none (and
	 * returns None as the address). */
	if (s->family == AF_ALG) {
		d->len = 0;
		d->fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
	} else {
		d->len = sizeof d->ss;
		d->fd = accept4(s->fd, (struct sockaddr *)&d->ss, &d->len,
		    SOCK_CLOEXEC);
	}
	return d->fd >= 0;
}

static value *
m_accept(value *self, struct call *c)
{
	struct accept_data d;
	struct sock *n;
	value *addr, *a[1];

	if (bind_pydef(self, c, "socket.accept", (const char *const[]){ "self",
	    NULL }, 1, 1, a) < 0)
		return NULL;
	memset(&d, 0, sizeof d);
	if (sock_call(SELF, 0, accept_op, &d, 0, NULL, SELF->timeout) < 0)
		return NULL;
	if ((addr = addr_to_value((struct sockaddr *)&d.ss, d.len,
	    SELF->proto)) == NULL) {
		close(d.fd);
		return NULL;
	}
	n = sock_new(d.fd, SELF->family, SELF->type, SELF->proto);
	if (sock_default_timeout < 0 && SELF->timeout > 0) {
		n->timeout = -1;
		(void)sock_set_blocking_fd(n->fd, 1);
	}
	return v_with_shape(v_tuple(2, v_socket(n), addr), SH_ACCEPT, 0);
}

static value *
name_of(value *self, struct call *c, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int r;

	if (call_bind(c, ARGS_NOARGS,
	    peer ? "socket.getpeername" : "socket.getsockname", NONAMES, 0, 0,
	    NULL) < 0)
		return NULL;
	memset(&ss, 0, sizeof ss);
	r = peer ? getpeername(SELF->fd, (struct sockaddr *)&ss, &len)
		 : getsockname(SELF->fd, (struct sockaddr *)&ss, &len);
	if (r < 0) {
		err_errno(errno);
		return NULL;
	}
	return addr_to_value((struct sockaddr *)&ss, len, SELF->proto);
}

static value *
m_getsockname(value *self, struct call *c)
{
	return name_of(self, c, 0);
}

static value *
m_getpeername(value *self, struct call *c)
{
	return name_of(self, c, 1);
}

static value *
m_shutdown(value *self, struct call *c)
{
	value *a[1];
	int how;

	if (call_bind(c, ARGS_METH_O, "socket.shutdown",
	    (const char *const[]){ "how", NULL }, 1, 1, a) < 0 ||
	    arg_cint(a[0], &how) < 0)
		return NULL;
	if (shutdown(SELF->fd, how) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

/* ---- methods: options ---------------------------------------------------- */

static value *
m_getsockopt(value *self, struct call *c)
{
	value *a[3];
	int level, name, buflen = 0;
	socklen_t len;

	if (call_bind(c, ARGS_TUPLE, "getsockopt",
	    (const char *const[]){ "level", "option", "buflen", NULL }, 3, 2,
	    a) < 0 || arg_int(a[0], &level) < 0 || arg_int(a[1], &name) < 0 ||
	    (a[2] && arg_int(a[2], &buflen) < 0))
		return NULL;
	if (SELF->family == AF_VSOCK && buflen == 0) {
		uint64_t v = 0;

		len = sizeof v;
		if (getsockopt(SELF->fd, level, name, &v, &len) < 0) {
			err_errno(errno);
			return NULL;
		}
		return v_int((int64_t)v);
	}
	if (buflen == 0) {
		int v = 0;

		len = sizeof v;
		if (getsockopt(SELF->fd, level, name, &v, &len) < 0) {
			err_errno(errno);
			return NULL;
		}
		return v_int(v);
	} else {
		char buf[1024];

		if (buflen < 0 || buflen > 1024) {
			err_set(EXC_OSERROR, "getsockopt buflen out of range");
			return NULL;
		}
		len = (socklen_t)buflen;
		if (getsockopt(SELF->fd, level, name, buf, &len) < 0) {
			err_errno(errno);
			return NULL;
		}
		return v_bytes(buf, len);
	}
}

static value *
m_setsockopt(value *self, struct call *c)
{
	value *a[4];
	int level, name, flag, r;
	const char *p;
	size_t n;

	if (c->nkw) {
		err_set(EXC_TYPE, "setsockopt() takes no keyword arguments");
		return NULL;
	}
	if (c->nargs < 3 || c->nargs > 4) {
		err_set(EXC_TYPE,
		    "setsockopt() takes exactly 3 arguments (%zu given)",
		    c->nargs);
		return NULL;
	}
	memcpy(a, c->args, c->nargs * sizeof *a);
	if (c->nargs == 4) {
		uint64_t optlen;
		int64_t i;
		int big;

		if (a[2]->kind != V_NONE || !v_is_int(a[3]) ||
		    arg_int(a[0], &level) < 0 ||
		    arg_int(a[1], &name) < 0) {
			err_clear();
			err_set(EXC_TYPE,
			    "setsockopt() takes exactly 3 arguments (4 given)");
			return NULL;
		}
		(void)conv_index(a[3], &i, &big);
		optlen = big ? 0 : (uint64_t)i;	/* 'I' masks; big values mask to
						 * 0 mod 2^32 */
		r = setsockopt(SELF->fd, level, name, NULL,
		    (socklen_t)(uint32_t)optlen);
	} else if (arg_int(a[0], &level) < 0 || arg_int(a[1], &name) < 0) {
		return NULL;
	} else if (v_is_int(a[2])) {
		if (SELF->family == AF_VSOCK) {
			int64_t i;
			int big;
			uint64_t v;

			(void)conv_index(a[2], &i, &big);
			v = (uint64_t)i;
			r = setsockopt(SELF->fd, level, name, &v, sizeof v);
		} else {
			if (arg_int(a[2], &flag) < 0) {
				err_clear();
				err_set(EXC_TYPE,
				    "a bytes-like object is required, "
				    "not 'int'");
				return NULL;
			}
			r = setsockopt(SELF->fd, level, name, &flag,
			    sizeof flag);
		}
	} else {
		if (arg_buffer(a[2], &p, &n) < 0)
			return NULL;
		r = setsockopt(SELF->fd, level, name, p, (socklen_t)n);
	}
	if (r < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

/* ---- methods: data ------------------------------------------------------- */

struct io_data {
	char *buf;
	size_t len;
	int flags;
	const struct sockaddr *to;
	socklen_t tolen;
	struct sockaddr_storage from;
	socklen_t fromlen;
	ssize_t result;
};

static int
recv_op(struct sock *s, void *data)
{
	struct io_data *d = data;

	d->result = recv(s->fd, d->buf, d->len, d->flags);
	return d->result >= 0;
}

static int
recvfrom_op(struct sock *s, void *data)
{
	struct io_data *d = data;

	d->fromlen = sizeof d->from;
	memset(&d->from, 0, sizeof d->from);
	d->result = recvfrom(s->fd, d->buf, d->len, d->flags,
	    (struct sockaddr *)&d->from, &d->fromlen);
	return d->result >= 0;
}

static int
send_op(struct sock *s, void *data)
{
	struct io_data *d = data;

	d->result = d->to ? sendto(s->fd, d->buf, d->len, d->flags, d->to,
	    d->tolen)
			  : send(s->fd, d->buf, d->len, d->flags);
	return d->result >= 0;
}

/* A buffer of n bytes for recv (MemoryError when it cannot be had). */
static char *
recv_buffer(int64_t n)
{
	char *p = (uint64_t)n < SIZE_MAX ? malloc((size_t)n + 1) : NULL;

	if (p == NULL)
		err_set(EXC_MEMORY, "%s", "");
	return p;
}

/* recv / recvfrom: bufsize [, flags]. */
static value *
recv_common(value *self, struct call *c, int from)
{
	const char *name = from ? "recvfrom" : "recv";
	struct io_data d;
	value *a[2], *data, *addr;
	int64_t n;
	int flags = 0;

	if (call_bind(c, ARGS_TUPLE, name, (const char *const[]){ "bufsize",
	    "flags", NULL }, 2, 1, a) < 0 ||
	    arg_n(a[0], &n) < 0 || (a[1] && arg_int(a[1], &flags) < 0))
		return NULL;
	if (n < 0) {
		err_set(EXC_VALUE, "negative buffersize in %s", name);
		return NULL;
	}
	if (n == 0 && !from)
		return v_bytes("", 0);	/* CPython's sock_recv_guts does not
					 * wait */
	memset(&d, 0, sizeof d);
	if ((d.buf = recv_buffer(n)) == NULL)
		return NULL;
	d.len = (size_t)n;
	d.flags = flags;
	if (sock_call(SELF, 0, from ? recvfrom_op : recv_op, &d, 0, NULL,
	    SELF->timeout) < 0) {
		free(d.buf);
		return NULL;
	}
	if ((size_t)d.result > d.len) {
		/* MSG_TRUNC: the full length, zero-padded, as CPython
		 * resizes */
		char *pad = xcalloc(1, (size_t)d.result);

		memcpy(pad, d.buf, d.len);
		data = v_bytes(pad, (size_t)d.result);
		free(pad);
	} else {
		data = v_bytes(d.buf, (size_t)d.result);
	}
	free(d.buf);
	if (!from)
		return data;
	if ((addr = addr_to_value((struct sockaddr *)&d.from, d.fromlen,
	    SELF->proto)) == NULL) {
		v_decref(data);
		return NULL;
	}
	return v_with_shape(v_tuple(2, data, addr), SH_RECVFROM, 0);
}

static value *
m_recv(value *self, struct call *c)
{
	return recv_common(self, c, 0);
}

static value *
m_recvfrom(value *self, struct call *c)
{
	return recv_common(self, c, 1);
}

/* recv_into / recvfrom_into: buffer, nbytes=0, flags=0. */
static value *
recv_into_common(value *self, struct call *c, int from)
{
	const char *name = from ? "recvfrom_into" : "recv_into";
	struct io_data d;
	value *a[3], *addr;
	int64_t n = 0;
	int flags = 0;

	if (c->nargs == 0 && c->nkw <= 3) {
		/* PyArg_ParseTupleAndKeywords' wording for a missing buffer */
		size_t k;

		for (k = 0; k < c->nkw; k++)
			if (strcmp(c->kwnames[k], "buffer") == 0)
				break;
		if (k == c->nkw) {
			err_set(EXC_TYPE,
			    "%s() missing required argument 'buffer' (pos 1)",
			    name);
			return NULL;
		}
	}
	if (call_bind(c, ARGS_KEYWORDS, name, (const char *const[]){ "buffer",
	    "nbytes", "flags", NULL }, 3, 1, a) < 0)
		return NULL;
	if (a[0]->kind != V_BYTEARRAY) {
		err_set(EXC_TYPE,
		    "%s() argument 1 must be read-write bytes-like object, "
		    "not %s", name, v_typename(a[0]));
		return NULL;
	}
	if ((a[1] && arg_n(a[1], &n) < 0) ||
	    (a[2] && arg_int(a[2], &flags) < 0))
		return NULL;
	if (n < 0) {
		err_set(EXC_VALUE, "negative buffersize in %s", name);
		return NULL;
	}
	if (n == 0)
		n = (int64_t)a[0]->u.s.len;
	else if ((uint64_t)n > a[0]->u.s.len) {
		err_set(EXC_VALUE, from ?
		    "nbytes is greater than the length of the buffer"
		    : "buffer too small for requested bytes");
		return NULL;
	}
	if (n == 0 && !from)
		return v_int(0);
	memset(&d, 0, sizeof d);
	d.buf = a[0]->u.s.p;
	d.len = (size_t)n;
	d.flags = flags;
	if (sock_call(SELF, 0, from ? recvfrom_op : recv_op, &d, 0, NULL,
	    SELF->timeout) < 0)
		return NULL;
	if (!from)
		return v_int(d.result);
	if ((addr = addr_to_value((struct sockaddr *)&d.from, d.fromlen,
	    SELF->proto)) == NULL)
		return NULL;
	return v_with_shape(v_tuple(2, v_int(d.result), addr), SH_RECVFROM_INTO,
	    0);
}

static value *
m_recv_into(value *self, struct call *c)
{
	return recv_into_common(self, c, 0);
}

static value *
m_recvfrom_into(value *self, struct call *c)
{
	return recv_into_common(self, c, 1);
}

static value *
m_send(value *self, struct call *c)
{
	struct io_data d;
	value *a[2];
	const char *p;

	memset(&d, 0, sizeof d);
	if (call_bind(c, ARGS_TUPLE, "send", (const char *const[]){ "data",
	    "flags", NULL }, 2, 1, a) < 0 ||
	    arg_buffer(a[0], &p, &d.len) < 0 ||
	    (a[1] && arg_int(a[1], &d.flags) < 0))
		return NULL;
	d.buf = (char *)p;
	if (sock_call(SELF, 1, send_op, &d, 0, NULL, SELF->timeout) < 0)
		return NULL;
	return v_int(d.result);
}

static value *
m_sendall(value *self, struct call *c)
{
	struct io_data d;
	value *a[2];
	const char *p;
	size_t left;
	double deadline = 0, t = SELF->timeout;

	memset(&d, 0, sizeof d);
	if (call_bind(c, ARGS_TUPLE, "sendall", (const char *const[]){ "data",
	    "flags", NULL }, 2, 1, a) < 0 ||
	    arg_buffer(a[0], &p, &left) < 0 ||
	    (a[1] && arg_int(a[1], &d.flags) < 0))
		return NULL;
	if (t > 0)
		deadline = mono_now() + t;
	do {
		if (t > 0) {
			t = deadline - mono_now();
			if (t <= 0) {
				err_timeout();
				return NULL;
			}
		}
		d.buf = (char *)p;
		d.len = left;
		if (sock_call(SELF, 1, send_op, &d, 0, NULL, t) < 0)
			return NULL;
		p += d.result;
		left -= (size_t)d.result;
	} while (left > 0);
	return v_none();
}

static value *
m_sendto(value *self, struct call *c)
{
	struct sockaddr_storage ss;
	struct io_data d;
	const char *p;
	const value *av;

	if (c->nkw) {
		err_set(EXC_TYPE, "sendto() takes no keyword arguments");
		return NULL;
	}
	if (c->nargs != 2 && c->nargs != 3) {
		err_set(EXC_TYPE, "sendto() takes 2 or 3 arguments (%zu given)",
		    c->nargs);
		return NULL;
	}
	memset(&d, 0, sizeof d);
	if (arg_buffer(c->args[0], &p, &d.len) < 0 ||
	    (c->nargs == 3 && arg_int(c->args[1], &d.flags) < 0))
		return NULL;
	av = c->args[c->nargs - 1];
	if (addr_from_value(SELF, av, &ss, &d.tolen, "sendto") < 0)
		return NULL;
	d.buf = (char *)p;
	d.to = (struct sockaddr *)&ss;
	if (sock_call(SELF, 1, send_op, &d, 0, NULL, SELF->timeout) < 0)
		return NULL;
	return v_int(d.result);
}

/* ---- sendfile ------------------------------------------------------------ */

struct sendfile_data {
	int in;
	off_t offset;
	size_t count;
	ssize_t result;
};

static int
sendfile_op(struct sock *s, void *data)
{
	struct sendfile_data *d = data;

	d->result = sendfile(s->fd, d->in, &d->offset, d->count);
	return d->result >= 0;
}

/* socket.sendfile's _sendfile_use_send fallback for non-regular files:
 * read and sendall in blocks. */
static value *
sendfile_by_send(struct sock *s, value *file, int64_t offset, int64_t count)
{
	char buf[8192];
	int64_t total = 0;
	struct io_data d;

	if (offset && file_seek(file, offset) < 0)
		return NULL;
	for (;;) {
		size_t want = sizeof buf;
		ssize_t n;

		if (count > 0 && (int64_t)want > count - total)
			want = (size_t)(count - total);
		if (want == 0)
			break;
		if ((n = file_read_raw(file, buf, want)) < 0)
			return NULL;
		if (n == 0)
			break;
		memset(&d, 0, sizeof d);
		d.buf = buf;
		d.len = (size_t)n;
		while (d.len > 0) {
			if (sock_call(s, 1, send_op, &d, 0, NULL,
			    s->timeout) < 0)
				return NULL;
			d.buf += d.result;
			d.len -= (size_t)d.result;
			total += d.result;
		}
	}
	return v_int(total);
}

static value *
m_sendfile(value *self, struct call *c)
{
	value *a[4];
	struct sendfile_data d;
	struct stat st;
	int64_t offset = 0, count = 0, total = 0, blocksize;
	int big, fd;
	const char *mode;

	if (bind_pydef(self, c, "socket.sendfile",
	    (const char *const[]){ "self", "file", "offset", "count", NULL }, 4,
	    2, a) < 0)
		return NULL;
	if ((mode = file_mode(a[1])) != NULL && strchr(mode, 'b') == NULL) {
		err_set(EXC_VALUE, "file should be opened in binary mode");
		return NULL;
	}
	if (!(SELF->type & SOCK_STREAM)) {
		err_set(EXC_VALUE,
		    "only SOCK_STREAM type sockets are supported");
		return NULL;
	}
	if (a[3] && a[3]->kind != V_NONE) {
		struct buf b = { 0 };

		char *t;

		repr(&b, a[3]);
		t = buf_cstr(&b);
		if (a[3]->kind != V_INT && a[3]->kind != V_BOOL &&
		    a[3]->kind != V_ENUM)
			err_set(EXC_TYPE,
			    "count must be a positive integer (got %s)", t);
		else if ((count = v_as_i64(a[3], &big)) <= 0 &&
		    !(big && a[3]->u.n.big[0] != '-'))
			err_set(EXC_VALUE,
			    "count must be a positive integer (got %s)", t);
		free(t);
		if (err_occurred())
			return NULL;
		if (big)
			count = INT64_MAX;
	}
	if (a[2] && conv_index(a[2], &offset, &big) < 0)
		return NULL;
	if ((fd = file_fileno(a[1])) < 0 || fstat(fd, &st) < 0 ||
	    !S_ISREG(st.st_mode)) {
		err_clear();
		if (a[1]->kind != V_OBJECT) {
			err_set(EXC_ATTRIBUTE,
			    "'%s' object has no attribute 'read'",
			    v_typename(a[1]));
			return NULL;
		}
		if (SELF->timeout == 0) {
			err_set(EXC_VALUE,
			    "non-blocking sockets are not supported");
			return NULL;
		}
		return sendfile_by_send(SELF, a[1], offset, count);
	}
	if (st.st_size == 0)
		return v_int(0);
	blocksize = count ? count : (int64_t)st.st_size;
	if (blocksize > (1 << 30))
		blocksize = 1 << 30;
	if (SELF->timeout == 0) {
		err_set(EXC_VALUE, "non-blocking sockets are not supported");
		return NULL;
	}
	memset(&d, 0, sizeof d);
	d.in = fd;
	d.offset = (off_t)offset;
	for (;;) {
		if (count) {
			blocksize = count - total;
			if (blocksize <= 0)
				break;
		}
		d.count = (size_t)blocksize;
		if (sock_call(SELF, 1, sendfile_op, &d, 0, NULL,
		    SELF->timeout) < 0) {
			if (total > 0)
				(void)file_seek(a[1], (int64_t)d.offset);
			return NULL;
		}
		if (d.result == 0)
			break;
		total += d.result;
	}
	if (total > 0)
		(void)file_seek(a[1], (int64_t)d.offset);
	return v_int(total);
}

/* ---- makefile ------------------------------------------------------------ */

static value *
m_makefile(value *self, struct call *c)
{
	value *a[6];
	const char *mode = "r";
	int64_t buffering = -1;
	int big;

	if (bind_pydef(self, c, "socket.makefile",
	    (const char *const[]){ "self", "mode", "buffering", "encoding",
	    "errors", "newline", NULL }, 3, 1, a) < 0)
		return NULL;
	if (a[1]) {
		if (a[1]->kind != V_STR) {
			err_set(EXC_TYPE, "'%s' object is not iterable",
			    v_typename(a[1]));
			return NULL;
		}
		mode = a[1]->u.s.p;
	}
	if (strspn(mode, "rwb") != strlen(mode)) {
		struct buf b = { 0 };

		char *t;

		repr(&b, a[1]);
		t = buf_cstr(&b);
		err_set(EXC_VALUE, "invalid mode %s (only r, w, b allowed)", t);
		free(t);
		return NULL;
	}
	if (a[2] && a[2]->kind != V_NONE &&
	    conv_index(a[2], &buffering, &big) < 0)
		return NULL;
	return file_from_socket(self, mode, buffering, a[3], a[4], a[5]);
}

/* ---- the table ----------------------------------------------------------- */

static const struct method_def sock_methods[] = {
	{ "accept", m_accept },
	{ "bind", m_bind },
	{ "close", m_close },
	{ "connect", m_connect },
	{ "connect_ex", m_connect_ex },
	{ "detach", m_detach },
	{ "dup", m_dup },
	{ "fileno", m_fileno },
	{ "get_inheritable", m_get_inheritable },
	{ "getblocking", m_getblocking },
	{ "getpeername", m_getpeername },
	{ "getsockname", m_getsockname },
	{ "getsockopt", m_getsockopt },
	{ "gettimeout", m_gettimeout },
	{ "listen", m_listen },
	{ "makefile", m_makefile },
	{ "recv", m_recv },
	{ "recv_into", m_recv_into },
	{ "recvfrom", m_recvfrom },
	{ "recvfrom_into", m_recvfrom_into },
	{ "recvmsg", sock_m_recvmsg },
	{ "recvmsg_into", sock_m_recvmsg_into },
	{ "send", m_send },
	{ "sendall", m_sendall },
	{ "sendfile", m_sendfile },
	{ "sendmsg", sock_m_sendmsg },
	{ "sendmsg_afalg", sock_m_sendmsg_afalg },
	{ "sendto", m_sendto },
	{ "set_inheritable", m_set_inheritable },
	{ "setblocking", m_setblocking },
	{ "setsockopt", m_setsockopt },
	{ "settimeout", m_settimeout },
	{ "shutdown", m_shutdown },
	{ NULL, NULL }
};

sock_method *
sock_method_find(const char *name)
{
	const struct method_def *m;

	for (m = sock_methods; m->name; m++)
		if (strcmp(m->name, name) == 0)
			return m->fn;
	return NULL;
}
