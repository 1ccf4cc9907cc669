/* sock.h - the socket object of CPython's socket module: descriptor, family,
 * type, proto and timeout, with CPython 3.11's semantics on Linux. */
#ifndef SOCKIT_SOCK_H
#define SOCKIT_SOCK_H

#include <sys/socket.h>
#include "value.h"

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

#endif
