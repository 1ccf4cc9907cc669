/* create.c - socket.create_connection and socket.create_server with
 * CPython 3.11's semantics, plus the general forms the task commands use. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/resolve.h"
#include "core/sockaddr.h"
#include "core/taskaddr.h"
#include "core/create.h"
#include "core/sock.h"
#include "emit.h"
#include "json.h"
#include "core/stop.h"
#include "error.h"

/* One failed attempt of create_connection, for the JSON form: its address
 * and exception (attempt_lines holds the text form). */
struct attempt {
	value *addr;		/* NULL when it has no value */
	struct pyerr err;
};

static _Thread_local struct attempt *attempts;
static _Thread_local char **attempt_lines;	/* their lines, in order */
static _Thread_local size_t nattempts;

size_t
create_attempts(const char *const **lines)
{
	*lines = (const char *const *)attempt_lines;
	return nattempts;
}

void
create_attempts_json(struct jw *w)
{
	size_t i;

	jw_key(w, "exceptions");
	jw_open_arr(w);
	for (i = 0; i < nattempts; i++) {
		jw_open_obj(w);
		jw_key(w, "address");
		if (attempts[i].addr)
			jw_value(w, attempts[i].addr);
		else
			jw_null(w);
		err_json_fields(w, &attempts[i].err);
		jw_close_obj(w);
	}
	jw_close_arr(w);
}

static void
attempts_clear(void)
{
	size_t i;

	for (i = 0; i < nattempts; i++) {
		free(attempt_lines[i]);
		v_decref(attempts[i].addr);
		free(attempts[i].err.msg);
		free(attempts[i].err.filename);
	}
	free(attempts);
	free(attempt_lines);
	attempts = NULL;
	attempt_lines = NULL;
	nattempts = 0;
}

/* Records the pending exception as a failed attempt on sa (kept pending). */
static void
attempt_record(const struct sockaddr *sa, socklen_t len)
{
	struct buf b = { 0 };
	value *v = addr_to_value(sa, len, 0);
	struct pyerr e = err_fetch();
	char *text = err_text(&e);
	struct attempt *a;

	if (v)
		repr(&b, v);
	else
		err_clear();
	buf_printf(&b, ": %s: %s", exc_name(e.exc), text);
	free(text);
	attempts = xrealloc(attempts, (nattempts + 1) * sizeof *attempts);
	attempt_lines = xrealloc(attempt_lines,
	    (nattempts + 1) * sizeof *attempt_lines);
	attempt_lines[nattempts] = buf_cstr(&b);
	a = &attempts[nattempts++];
	a->addr = v;
	a->err = e;
	a->err.msg = e.msg ? xstrdup(e.msg) : NULL;
	a->err.filename = e.filename ? xstrdup(e.filename) : NULL;
	err_restore(e);
}

/* socket() as CPython creates it: close-on-exec, the timeout's mode. */
static struct sock *
new_socket(int family, int type, int proto, double timeout)
{
	struct sock *s;
	int fd = socket(family, type | SOCK_CLOEXEC, proto);

	if (fd < 0) {
		err_errno(errno);
		return NULL;
	}
	s = sock_new(fd, family, type, proto);
	s->timeout = timeout;
	if (sock_set_blocking_fd(fd, timeout < 0) < 0) {
		err_errno(errno);
		sock_free(s);
		return NULL;
	}
	return s;
}

/* Applies the -o options to fd.  Returns 0 or -1 with the error pending. */
static int
apply_opts(int fd, const struct sockopt_req *opts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sockopt_apply(fd, &opts[i]) < 0)
			return -1;
	return 0;
}

/* Is port a decimal number outside 0-65535?  getaddrinfo would take 70000
 * modulo 65536 and 99999999999 as 59391 (issue 17 item 4); CPython's bind()
 * raises OverflowError.  A service name is no number: 0. */
static int
port_out_of_range(const char *port)
{
	const char *d = port ? port + (*port == '-') : "";
	size_t n = strspn(d, "0123456789"), z;

	if (n == 0 || d[n] != '\0')
		return 0;
	z = strspn(d, "0");	/* leading zeros */
	if (z == n)
		return 0;	/* 0, 00, -0 */
	return *port == '-' || n - z > 5 || strtol(d + z, NULL, 10) > 65535;
}

int
sock_resolve_source(int family, int type, const char *host, const char *port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints, *res;
	int r;

	if (port_out_of_range(port)) {
		err_set(EXC_OVERFLOW, "bind(): port must be 0-65535.");
		return -1;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = type;
	hints.ai_flags = AI_PASSIVE;
	r = stop_getaddrinfo(host && *host ? host : NULL, port &&
	    *port ? port : "0", &hints, &res);
	if (r != 0) {
		err_gai(r);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* Binds s to the source address (resolved for s's family), as sock.bind(). */
static int
bind_source(struct sock *s, const char *host, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (sock_resolve_source(s->family, s->type, host, port, &ss, &len) < 0)
		return -1;
	if (bind(s->fd, (struct sockaddr *)&ss, len) < 0) {
		err_errno(errno);
		return -1;
	}
	return 0;
}

int
gai_protocol(int proto)
{
	return proto == IPPROTO_MPTCP ? IPPROTO_TCP : proto;
}

/* One attempt of create_connection on the address ai (with r's protocol,
 * when it names one: ai's may be the one gai_protocol() asked for).  NULL on
 * failure. */
static struct sock *
try_connect(const struct conn_req *r, const struct addrinfo *ai)
{
	struct sock *s = new_socket(ai->ai_family, ai->ai_socktype,
	    r->proto ? r->proto : ai->ai_protocol, r->timeout);

	if (s == NULL)
		return NULL;
	if (apply_opts(s->fd, r->opts, r->nopts) < 0 ||
	    (r->source_host && bind_source(s, r->source_host,
	    r->source_port) < 0) ||
	    sock_connect(s, ai->ai_addr, ai->ai_addrlen) < 0) {
		sock_free(s);
		return NULL;
	}
	return s;
}

struct sock *
sock_connect_req(const struct conn_req *r)
{
	struct addrinfo hints, *res, *ai;
	struct sock *s = NULL;
	int rc;

	attempts_clear();
	memset(&hints, 0, sizeof hints);
	hints.ai_family = r->family;
	hints.ai_socktype = r->type;
	hints.ai_protocol = gai_protocol(r->proto);
	rc = stop_getaddrinfo(r->host && *r->host ? r->host : NULL, r->port,
	    &hints, &res);
	if (rc != 0) {
		err_gai(rc);
		return NULL;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if ((s = try_connect(r, ai)) != NULL)
			break;
		attempt_record(ai->ai_addr, ai->ai_addrlen);
	}
	freeaddrinfo(res);
	if (s) {
		attempts_clear();
		return s;
	}
	if (nattempts == 0)
		err_set(EXC_OSERROR, "getaddrinfo returns an empty list");
	else if (r->all_errors)
		err_set(EXC_EXCEPTIONGROUP,
		    "create_connection failed (%zu sub-exception%s)", nattempts,
		    nattempts == 1 ? "" : "s");
	return NULL;
}

struct sock *
sock_create_connection(const char *host, const char *port, double timeout,
    const char *source_host, const char *source_port, int all_errors)
{
	struct conn_req r;

	memset(&r, 0, sizeof r);
	r.host = host;
	r.port = port;
	r.family = resolve_family;
	r.type = SOCK_STREAM;
	r.timeout = timeout;
	r.source_host = source_host;
	r.source_port = source_port;
	r.all_errors = all_errors;
	if (source_host == NULL && source_port && strcmp(source_port, "0") != 0)
		r.source_host = "";
	return sock_connect_req(&r);
}

/* Re-raises the pending bind error as create_server does:
 * "STRERROR (while attempting to bind on address ADDR)". */
static void
bind_error(const struct sockaddr *sa, socklen_t len)
{
	struct pyerr e = err_fetch();
	value *v = addr_to_value(sa, len, 0);
	struct buf b = { 0 };

	if (v == NULL)
		err_clear();
	buf_printf(&b, "%s (while attempting to bind on address ",
	    e.msg ? e.msg : "");
	if (v)
		repr(&b, v);
	buf_putc(&b, ')');
	v_decref(v);
	free(e.msg);
	e.msg = buf_cstr(&b);
	free(e.filename);
	e.filename = NULL;
	err_restore(e);
}

/* bind() of an AF_UNIX socket whose file (if any) gets permissions mode
 * (0..07777) with no path race.  The kernel makes the file with the mode of
 * the socket's own inode less the umask, so that mode is set on the inode
 * (fchmod, which Linux honours before bind; only it can give the 07000
 * bits) and the umask is ~mode while binding (the umask is process-wide:
 * the callers bind before they start any thread).  Nothing touches the path
 * after bind(): a symlink put in its place is never followed. */
int
sock_bind_unix_mode(int fd, const struct sockaddr *sa, socklen_t len, int mode)
{
	mode_t old;
	int r, e;

	(void)fchmod(fd, (mode_t)mode);
	old = umask(~(mode_t)mode & 0777);
	r = bind(fd, sa, len);
	e = errno;
	umask(old);
	errno = e;
	return r;
}

int
sock_unix_stale(const struct sockaddr *sa, socklen_t len, int type)
{
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), r;

	if (fd < 0)
		return 0;
	r = connect(fd, sa, len) < 0 && errno == ECONNREFUSED;
	close(fd);
	return r;
}

/* bind() of a UNIX socket of type type, its file created with permissions
 * mode (< 0: as the umask gives), removing a stale socket file first when
 * asked (never a live server's: then bind fails with EADDRINUSE). */
static int
bind_unix(int fd, const struct sockaddr *sa, socklen_t len, int type,
    int mode, int unlink_first)
{
	const struct sockaddr_un *un = (const void *)sa;
	int filesystem = len > offsetof(struct sockaddr_un, sun_path) &&
	    un->sun_path[0] != '\0';

	if (filesystem && unlink_first) {
		struct stat st;

		if (lstat(un->sun_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    sock_unix_stale(sa, len, type))
			unlink(un->sun_path);
	}
	if (mode < 0)
		return bind(fd, sa, len);
	return sock_bind_unix_mode(fd, sa, len, mode);
}

struct sock *
sock_server_req(const struct sockaddr *sa, socklen_t len, int type, int proto,
    int backlog, int reuse_port, int dualstack_ipv6,
    const struct sockopt_req *opts, size_t nopts, int mode, int unlink_first)
{
	int family = sa->sa_family, one = 1, zero = 0, r;
	struct sock *s;

	if (dualstack_ipv6 && family != AF_INET6) {
		err_set(EXC_VALUE, "dualstack_ipv6 requires AF_INET6 family");
		return NULL;
	}
	if ((s = new_socket(family, type, proto, sock_default_timeout)) == NULL)
		return NULL;
	(void)setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (reuse_port && setsockopt(s->fd, SOL_SOCKET, SO_REUSEPORT, &one,
	    sizeof one) < 0)
		goto fail_errno;
	if (family == AF_INET6 && setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    dualstack_ipv6 ? &zero : &one, sizeof one) < 0)
		goto fail_errno;
	if (apply_opts(s->fd, opts, nopts) < 0)
		goto fail;
	if (family == AF_UNIX)
		r = bind_unix(s->fd, sa, len, type, mode, unlink_first);
	else
		r = bind(s->fd, sa, len);
	if (r < 0) {
		err_errno(errno);
		bind_error(sa, len);
		goto fail;
	}
	if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
		if (backlog < 0)
			backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;
		if (listen(s->fd, backlog) < 0)
			goto fail_errno;
	}
	return s;
fail_errno:
	err_errno(errno);
fail:
	sock_free(s);
	return NULL;
}

struct sock *
sock_create_server(const struct sockaddr *sa, socklen_t len, int family,
    int backlog, int reuse_port, int dualstack_ipv6)
{
	if (dualstack_ipv6 && family != AF_INET6) {
		err_set(EXC_VALUE, "dualstack_ipv6 requires AF_INET6 family");
		return NULL;
	}
	if (sa->sa_family != family) {
		err_errno(EAFNOSUPPORT);
		return NULL;
	}
	return sock_server_req(sa, len, SOCK_STREAM, 0, backlog, reuse_port,
	    dualstack_ipv6, NULL, 0, -1, 0);
}
