/* file.c - file objects for makefile() and open(): a small buffered
 * reader/writer over a descriptor (or over a socket, honouring its
 * timeout), text or binary, with CPython's io messages. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conv.h"
#include "core/file.h"
#include "core/sock.h"
#include "emit.h"
#include "error.h"

struct file {
	int fd;			/* for open(); sockets use sock->u.sk.p->fd */
	value *sock;		/* makefile(): the socket value, else NULL */
	char *name;		/* open(): the path */
	char mode[8];		/* the mode as given, for file_mode() and
				 * repr */
	int reading, writing, binary, closed, rawio;
	char *encoding;
	struct buf rbuf;	/* bytes read ahead */
	size_t rpos;
	struct buf wbuf;	/* bytes written, not yet flushed */
};

static const struct vobject_ops file_ops;

#define FILE_OF(v) ((struct file *)(v)->u.obj.p)

static int
is_file(const value *v)
{
	return v->kind == V_OBJECT && v->u.obj.ops == &file_ops;
}

/* The descriptor under f (-1 once closed). */
static int
fdof(const struct file *f)
{
	if (f->sock)
		return f->closed ? -1 : f->sock->u.sk.p->fd;
	return f->fd;
}

/* ---- raw I/O ------------------------------------------------------------- */

struct rw {
	void *p;
	size_t n;
	ssize_t r;
};

static int
recv_op(struct sock *s, void *data)
{
	struct rw *d = data;

	d->r = recv(s->fd, d->p, d->n, 0);
	return d->r >= 0;
}

static int
send_op(struct sock *s, void *data)
{
	struct rw *d = data;

	d->r = send(s->fd, d->p, d->n, 0);
	return d->r >= 0;
}

/* One read of at most n bytes from the descriptor or socket: the count, 0
 * at EOF, -1 with the exception pending. */
static ssize_t
raw_read(struct file *f, void *p, size_t n)
{
	struct rw d = { p, n, 0 };
	ssize_t r;

	if (f->sock) {
		struct sock *s = f->sock->u.sk.p;

		if (sock_call(s, 0, recv_op, &d, 0, NULL, s->timeout) < 0)
			return -1;
		return d.r;
	}
	while ((r = read(f->fd, p, n)) < 0 && errno == EINTR)
		;
	if (r < 0)
		err_errno(errno);
	return r;
}

/* Writes all n bytes; 0, or -1 with the exception pending. */
static int
raw_write_all(struct file *f, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t r;

		if (f->sock) {
			struct sock *s = f->sock->u.sk.p;
			struct rw d = { (void *)p, n, 0 };

			if (sock_call(s, 1, send_op, &d, 0, NULL,
			    s->timeout) < 0)
				return -1;
			r = d.r;
		} else if ((r = write(f->fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			err_errno(errno);
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
flush(struct file *f)
{
	int r = 0;

	if (f->wbuf.len)
		r = raw_write_all(f, f->wbuf.p, f->wbuf.len);
	f->wbuf.len = 0;
	return r;
}

/* Ensures at least want bytes are buffered, or EOF was met; 0 or -1. */
static int
fill(struct file *f, size_t want)
{
	char tmp[8192];

	if (f->rpos && f->rpos == f->rbuf.len)
		f->rbuf.len = f->rpos = 0;
	while (f->rbuf.len - f->rpos < want) {
		ssize_t r = raw_read(f, tmp, sizeof tmp);

		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		buf_put(&f->rbuf, tmp, (size_t)r);
	}
	return 0;
}

/* Takes n buffered bytes as bytes or str. */
static value *
take(struct file *f, size_t n)
{
	value *v = f->binary ? v_bytes(f->rbuf.p + f->rpos, n) :
	    v_str(f->rbuf.p + f->rpos, n);

	f->rpos += n;
	return v;
}

/* ---- checks -------------------------------------------------------------- */

static int
check_open(struct file *f, const char *what)
{
	if (f->closed) {
		err_set(EXC_VALUE, "%s of closed file", what);
		return -1;
	}
	return 0;
}

static int
check_closed_io(struct file *f)
{
	if (f->closed) {
		err_set(EXC_VALUE, "I/O operation on closed file.");
		return -1;
	}
	return 0;
}

/* ---- methods ------------------------------------------------------------- */

static value *
f_read(value *self, struct call *c)
{
	struct file *f = FILE_OF(self);
	value *a[1];
	int64_t n = -1;
	int big;

	if (call_bind(c, ARGS_TUPLE, "read", (const char *const[]){ "size",
	    NULL }, 1, 0, a) < 0 ||
	    (a[0] && a[0]->kind != V_NONE && conv_index(a[0], &n, &big) < 0))
		return NULL;
	if (check_open(f, "read") < 0)
		return NULL;
	if (!f->reading) {
		err_set(EXC_UNSUPPORTED_OP,
		    f->binary ? "read" : "not readable");
		return NULL;
	}
	if (flush(f) < 0)
		return NULL;
	if (n < 0) {
		if (fill(f, SIZE_MAX) < 0)
			return NULL;
		return take(f, f->rbuf.len - f->rpos);
	}
	if (fill(f, (size_t)n) < 0)
		return NULL;
	return take(f, f->rbuf.len - f->rpos < (size_t)n ?
	    f->rbuf.len - f->rpos : (size_t)n);
}

static value *
f_readline(value *self, struct call *c)
{
	struct file *f = FILE_OF(self);
	value *a[1];
	int64_t limit = -1;
	int big;
	size_t scanned = 0;

	if (call_bind(c, ARGS_TUPLE, "readline", (const char *const[]){ "size",
	    NULL }, 1, 0, a) < 0 ||
	    (a[0] && a[0]->kind != V_NONE &&
	    conv_index(a[0], &limit, &big) < 0))
		return NULL;
	if (check_open(f, "readline") < 0)
		return NULL;
	if (!f->reading) {
		err_set(EXC_UNSUPPORTED_OP,
		    f->binary ? "read" : "not readable");
		return NULL;
	}
	for (;;) {
		size_t have = f->rbuf.len - f->rpos;
		char *nl = have > scanned ?
		    memchr(f->rbuf.p + f->rpos + scanned, '\n',
		    have - scanned) : NULL;

		if (nl) {
			size_t n = (size_t)(nl - (f->rbuf.p + f->rpos)) + 1;

			return take(f, limit >= 0 &&
			    (size_t)limit < n ? (size_t)limit : n);
		}
		if (limit >= 0 && have >= (size_t)limit)
			return take(f, (size_t)limit);
		scanned = have;
		if (fill(f, have + 1) < 0)
			return NULL;
		if (f->rbuf.len - f->rpos == have)
			return take(f, have);
	}
}

/* Number of code points in UTF-8 text (surrogate escapes count one each). */
static size_t
codepoints(const char *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			k++;
	return k;
}

static value *
f_write(value *self, struct call *c)
{
	struct file *f = FILE_OF(self);
	value *a[1];

	if (call_bind(c, ARGS_METH_O, "write",
	    (const char *const[]){ "b", NULL }, 1, 1, a) < 0)
		return NULL;
	if (f->closed) {
		err_set(EXC_VALUE, f->binary ? "write to closed file" :
		    "I/O operation on closed file.");
		return NULL;
	}
	if (!f->writing) {
		err_set(EXC_UNSUPPORTED_OP,
		    f->binary ? "write" : "not writable");
		return NULL;
	}
	if (f->binary && !is_buffer(a[0])) {
		err_set(EXC_TYPE, "a bytes-like object is required, not '%s'",
		    v_typename(a[0]));
		return NULL;
	}
	if (!f->binary && a[0]->kind != V_STR) {
		err_set(EXC_TYPE, "write() argument must be str, not %s",
		    v_typename(a[0]));
		return NULL;
	}
	buf_put(&f->wbuf, a[0]->u.s.p, a[0]->u.s.len);
	if (f->rawio || f->wbuf.len >= 8192 ||
	    (!f->binary && memchr(a[0]->u.s.p, '\n', a[0]->u.s.len) &&
	    f->sock == NULL && isatty(f->fd))) {
		if (flush(f) < 0)
			return NULL;
	}
	return v_int((int64_t)(f->binary ? a[0]->u.s.len :
	    codepoints(a[0]->u.s.p, a[0]->u.s.len)));
}

static value *
f_flush(value *self, struct call *c)
{
	struct file *f = FILE_OF(self);

	if (call_bind(c, ARGS_NOARGS, "flush", (const char *const[]){ NULL }, 0,
	    0, NULL) < 0)
		return NULL;
	if (f->closed) {
		err_set(EXC_VALUE, f->binary ? "flush of closed file" :
		    "I/O operation on closed file.");
		return NULL;
	}
	if (flush(f) < 0)
		return NULL;
	return v_none();
}

/* Closes f: flushes, then closes the descriptor or drops the socket's
 * io reference (closing it when the socket was closed meanwhile). */
static int
do_close(struct file *f)
{
	int r = 0;

	if (f->closed)
		return 0;
	if (f->writing)
		r = flush(f);
	f->closed = 1;
	if (f->sock) {
		struct sock *s = f->sock->u.sk.p;

		if (--s->io_refs <= 0 && s->closed)
			sock_real_close(s);
	} else if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	return r;
}

static value *
f_close(value *self, struct call *c)
{
	if (call_bind(c, ARGS_NOARGS, "close", (const char *const[]){ NULL }, 0,
	    0, NULL) < 0)
		return NULL;
	if (do_close(FILE_OF(self)) < 0)
		return NULL;
	return v_none();
}

static value *
f_fileno(value *self, struct call *c)
{
	struct file *f = FILE_OF(self);

	if (call_bind(c, ARGS_NOARGS, "fileno", (const char *const[]){ NULL },
	    0, 0, NULL) < 0)
		return NULL;
	if (!f->sock && check_closed_io(f) < 0)
		return NULL;
	return v_int(fdof(f));
}

static value *
f_getattr(value *self, const char *name)
{
	struct file *f = FILE_OF(self);

	if (strcmp(name, "closed") == 0)
		return v_bool(f->closed);
	if (strcmp(name, "mode") == 0)
		return v_strz(f->mode);
	if (strcmp(name, "name") == 0)
		return f->name ? v_strz(f->name) : v_int(fdof(f));
	err_set(EXC_ATTRIBUTE, "'%s' object has no attribute '%s'",
	    self->u.obj.ops->type_name, name);
	return NULL;
}

static void
f_repr(void *out, const value *v)
{
	struct buf *b = out;
	struct file *f = FILE_OF(v);

	if (f->sock && f->rawio) {
		buf_printf(b, "<socket.SocketIO object at %p>", (void *)f);
		return;
	}
	if (f->sock && f->reading && f->writing && f->binary) {
		buf_printf(b, "<_io.BufferedRWPair object at %p>", (void *)f);
		return;
	}
	if (f->binary)
		buf_printf(b, "<_io.%s name=", f->reading &&
		    f->writing ? "BufferedRandom" : f->reading ?
		    "BufferedReader" : "BufferedWriter");
	else
		buf_puts(b, "<_io.TextIOWrapper name=");
	if (f->name) {
		value *n = v_strz(f->name);

		repr(b, n);
		v_decref(n);
	} else {
		buf_printf(b, "%d", fdof(f));
	}
	if (!f->binary)
		buf_printf(b, " mode='%s' encoding='%s'", f->mode, f->encoding);
	buf_putc(b, '>');
}

static void
f_free(void *p)
{
	struct file *f = p;

	struct pyerr saved = err_fetch();

	(void)do_close(f);
	err_clear();
	err_restore(saved);
	v_decref(f->sock);
	free(f->name);
	free(f->encoding);
	free(f->rbuf.p);
	free(f->wbuf.p);
	free(f);
}

static const struct method_def file_methods[] = {
	{ "close", f_close },
	{ "fileno", f_fileno },
	{ "flush", f_flush },
	{ "read", f_read },
	{ "readline", f_readline },
	{ "write", f_write },
	{ NULL, NULL }
};

static const struct vobject_ops file_ops = {
	"file", f_free, f_repr, file_methods, f_getattr, 0, NULL, NULL, NULL
};

/* ---- constructors -------------------------------------------------------- */

value *
file_from_socket(value *sockv, const char *mode, int64_t buffering,
    const value *encoding, const value *errors, const value *newline)
{
	struct file *f = xcalloc(1, sizeof *f);

	(void)errors;
	(void)newline;
	f->fd = -1;
	f->sock = v_incref(sockv);
	f->reading = strchr(mode, 'r') != NULL;
	f->writing = strchr(mode, 'w') != NULL;
	if (!f->reading && !f->writing)
		f->reading = 1;
	f->binary = strchr(mode, 'b') != NULL;
	snprintf(f->mode, sizeof f->mode, "%s%s%s", f->reading ? "r" : "",
	    f->writing ? "w" : "", f->binary ? "b" : "");
	if (!f->binary)
		f->mode[strcspn(f->mode, "b")] = '\0';
	f->rawio = f->binary && buffering == 0;
	f->encoding = xstrdup(encoding &&
	    encoding->kind == V_STR ? encoding->u.s.p : "UTF-8");
	sockv->u.sk.p->io_refs++;
	return v_object(&file_ops, f);
}

value *
file_open(const char *path, const char *mode)
{
	int r = 0, w = 0, a = 0, x = 0, plus = 0, b = 0, t = 0, flags, fd;
	const char *m;
	struct file *f;

	for (m = mode; *m; m++) {
		int *p = *m == 'r' ? &r : *m == 'w' ? &w : *m == 'a' ? &a :
		    *m == 'x' ? &x : *m == '+' ? &plus : *m == 'b' ? &b :
		    *m == 't' ? &t : NULL;

		if (p == NULL || *p) {
			err_set(EXC_VALUE, "invalid mode: '%s'", mode);
			return NULL;
		}
		*p = 1;
	}
	if (b && t) {
		err_set(EXC_VALUE, "can't have text and binary mode at once");
		return NULL;
	}
	if (r + w + a + x != 1) {
		err_set(EXC_VALUE, plus ? "Must have exactly one of create/read/write/append mode and at most one plus"
		    : "must have exactly one of create/read/write/append mode");
		return NULL;
	}
	flags = O_CLOEXEC | (plus ? O_RDWR : r ? O_RDONLY : O_WRONLY);
	if (w)
		flags |= O_CREAT | O_TRUNC;
	if (a)
		flags |= O_CREAT | O_APPEND;
	if (x)
		flags |= O_CREAT | O_EXCL;
	while ((fd = open(path, flags, 0666)) < 0 && errno == EINTR)
		;
	if (fd < 0) {
		err_errno_filename(errno, path);
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->fd = fd;
	f->name = xstrdup(path);
	f->reading = r || plus;
	f->writing = w || a || x || plus;
	f->binary = b;
	snprintf(f->mode, sizeof f->mode, "%s", mode);
	f->encoding = xstrdup("UTF-8");
	return v_object(&file_ops, f);
}

/* ---- for sendfile -------------------------------------------------------- */

int
file_fileno(const value *v)
{
	struct file *f;

	if (!is_file(v)) {
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute 'fileno'",
		    v_typename(v));
		return -1;
	}
	f = FILE_OF(v);
	if (f->closed) {
		err_set(EXC_VALUE, "I/O operation on closed file.");
		return -1;
	}
	return fdof(f);
}

const char *
file_mode(const value *v)
{
	return is_file(v) ? FILE_OF(v)->mode : NULL;
}

int
file_seek(value *v, int64_t offset)
{
	struct file *f;

	if (!is_file(v)) {
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute 'seek'",
		    v_typename(v));
		return -1;
	}
	f = FILE_OF(v);
	if (flush(f) < 0)
		return -1;
	f->rbuf.len = f->rpos = 0;
	if (lseek(fdof(f), (off_t)offset, SEEK_SET) < 0) {
		err_errno(errno);
		return -1;
	}
	return 0;
}

ssize_t
file_read_raw(value *v, void *buf, size_t n)
{
	struct file *f;
	size_t have;

	if (!is_file(v)) {
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute 'read'",
		    v_typename(v));
		return -1;
	}
	f = FILE_OF(v);
	if (check_open(f, "read") < 0)
		return -1;
	have = f->rbuf.len - f->rpos;
	if (have) {
		if (have > n)
			have = n;
		memcpy(buf, f->rbuf.p + f->rpos, have);
		f->rpos += have;
		return (ssize_t)have;
	}
	return raw_read(f, buf, n);
}
