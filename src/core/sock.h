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
};

/* setdefaulttimeout()'s value: < 0 is None. */
extern double sock_default_timeout;

/* A socket object for an open descriptor (takes ownership of fd).  The
 * timeout is the default timeout. */
struct sock *sock_new(int fd, int family, int type, int proto);
/* Closes the descriptor if still open and frees s. */
void sock_free(struct sock *s);
/* Appends CPython's repr: <socket.socket fd=3, family=2, type=1, proto=0, ...> */
void sock_repr(struct buf *b, const struct sock *s);
/* s.family / s.type as CPython gives them (enum member or plain int). */
value *sock_family_value(const struct sock *s);
value *sock_type_value(const struct sock *s);
/* getsockname() (peer=0) or getpeername() (peer=1) as a value, or NULL when
 * it fails or is empty, exactly where CPython's repr leaves it out.  Never
 * leaves an exception pending. */
value *sock_addr_value(const struct sock *s, int peer);

/* ---- methods (SPEC section 7) ---------------------------------------------
 * A method takes the socket value itself and the call's arguments and
 * returns a new value, or NULL with an exception pending, exactly as the
 * CPython method does (argument checking included). */
typedef value *sock_method(value *self, struct call *c);
extern const struct method_def sock_methods[];	/* NULL-terminated */
/* The method called name, or NULL. */
sock_method *sock_method_find(const char *name);

/* ---- C entry points for task commands (same semantics as the functions) -- */

/* sock_create_connection and sock_create_server live in core/create.c;
 * sock_send_fds and sock_recv_fds in core/fds.c. */
/* socket.create_connection((host, port), timeout, source_address, all_errors)
 * with host/port as text; timeout < 0 is None; source may be NULL
 * (source_port NULL or "0" for any).  NULL with an exception pending. */
struct sock *sock_create_connection(const char *host, const char *port, double timeout,
    const char *source_host, const char *source_port, int all_errors);
/* socket.create_server(addr, family=, backlog=, reuse_port=, dualstack_ipv6=)
 * for an already-resolved address; backlog < 0 means the default. */
struct sock *sock_create_server(const struct sockaddr *sa, socklen_t len, int family,
    int backlog, int reuse_port, int dualstack_ipv6);
/* send_fds / recv_fds on a descriptor.  send returns the bytes sent or -1;
 * recv returns the bytes received or -1, the descriptors in *fds (malloc'd,
 * *nfds of them) and the message flags in *msg_flags. */
ssize_t sock_send_fds(int fd, const void *data, size_t len, const int *fds, size_t nfds,
    int flags, const struct sockaddr *to, socklen_t tolen);
ssize_t sock_recv_fds(int fd, void *data, size_t len, size_t maxfds, int flags,
    int **fds, size_t *nfds, int *msg_flags, struct sockaddr_storage *from, socklen_t *fromlen);

#endif
