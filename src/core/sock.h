/* sock.h - the socket object of CPython's socket module: descriptor, family,
 * type, proto and timeout, with CPython 3.11's semantics on Linux. */
#ifndef SOCKIT_SOCK_H
#define SOCKIT_SOCK_H

#include <sys/socket.h>
#include "value.h"
#include "call.h"

struct buf;

struct sock {
	int fd;			/* -1 once closed or detached */
	int family, type, proto;
	double timeout;		/* < 0: None (blocking); 0: non-blocking */
	int closed;		/* close() or detach() was called (repr's
				 * [closed]) */
	int io_refs;		/* makefile() objects still open (socket.py's
				 * _io_refs) */
};

/* setdefaulttimeout()'s value: < 0 is None. */
extern double sock_default_timeout;

/* A socket object for an open descriptor (takes ownership of fd).  The
 * timeout is the default timeout (0 when type has SOCK_NONBLOCK; the fd is
 * made non-blocking when the timeout is not None); .type drops
 * SOCK_NONBLOCK|SOCK_CLOEXEC. */
struct sock *sock_new(int fd, int family, int type, int proto);
/* socket(family, type, proto, fileno=fd) as CPython 3.11 checks it: fd must
 * be a socket; -1 arguments are asked of the descriptor.  Does not take fd
 * on failure (NULL with the OSError pending). */
struct sock *sock_from_fd(int fd, int family, int type, int proto);
/* Closes the descriptor now (socket.py's _real_close). */
void sock_real_close(struct sock *s);
/* Sets or clears O_NONBLOCK on fd; -1 with errno on failure. */
int sock_set_blocking_fd(int fd, int blocking);
/* settimeout()'s conversion: None is -1; CPython's messages and rounding. */
int sock_parse_timeout(const value *v, double *out);
/* The attributes family, type, proto and timeout of a socket value
 * (NULL with AttributeError pending for other names). */
value *sock_getattr(value *self, const char *name);
/* s.connect(sa) as CPython's internal_connect does it: waits at most
 * s->timeout seconds (< 0: no limit; 0: non-blocking) for a connection in
 * progress.  Returns 0, or -1 with the OSError (TimeoutError) pending. */
int sock_connect(struct sock *s, const struct sockaddr *sa, socklen_t len);
/* CPython's sock_call_ex: runs fn (1 done, 0 failed with errno) with
 * poll-based waiting when timeout > 0 (or for connect), EINTR retried and
 * EAGAIN retried while the socket has a timeout.  Returns 0; or -1 with
 * the exception pending, or with the errno in *err when err is not NULL
 * (EWOULDBLOCK for a timeout). */
int sock_call(struct sock *s, int writing, int (*fn)(struct sock *, void *),
    void *data, int connect, int *err, double timeout);
/* Closes the descriptor if still open and frees s. */
void sock_free(struct sock *s);
/* Appends CPython's repr: <socket.socket fd=3, family=2, type=1, proto=0,
 * ...> */
void sock_repr(struct buf *b, const struct sock *s);
/* A socket object value for s (steals s): a V_SOCKET whose ops (free,
 * repr, JSON) are the socket's own, so that value.c and emit.c need not
 * know sockets. */
value *v_socket(struct sock *s);

/* ---- methods (SPEC section 7) ---------------------------------------------
 * A method takes the socket value itself and the call's arguments and
 * returns a new value, or NULL with an exception pending, exactly as the
 * CPython method does (argument checking included). */
typedef value *sock_method(value *self, struct call *c);
/* The method called name, or NULL. */
sock_method *sock_method_find(const char *name);

/* The message methods (msg.c). */
value *sock_m_sendmsg(value *self, struct call *c);
value *sock_m_recvmsg(value *self, struct call *c);
value *sock_m_recvmsg_into(value *self, struct call *c);
value *sock_m_sendmsg_afalg(value *self, struct call *c);


/* ---- C entry points for task commands (same semantics as the functions) -- */

/* sock_create_connection and sock_create_server live in core/create.c;
 * sock_send_fds in core/fds.c. */
/* socket.create_connection((host, port), timeout, source_address, all_errors)
 * with host/port as text; timeout < 0 is None; source may be NULL
 * (source_port NULL or "0" for any).  NULL with an exception pending. */
struct sock *sock_create_connection(const char *host, const char *port,
    double timeout, const char *source_host, const char *source_port,
    int all_errors);
/* socket.create_server(addr, family=, backlog=, reuse_port=, dualstack_ipv6=)
 * for an already-resolved address; backlog < 0 means the default. */
struct sock *sock_create_server(const struct sockaddr *sa, socklen_t len,
    int family, int backlog, int reuse_port, int dualstack_ipv6);
/* send_fds on a descriptor: the bytes sent or -1.  (recv_fds on a
 * descriptor is sock_recv_fds_cred in core/fds.h.) */
ssize_t sock_send_fds(int fd, const void *data, size_t len, const int *fds,
    size_t nfds, int flags, const struct sockaddr *to, socklen_t tolen);

#endif
