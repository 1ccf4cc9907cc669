/* addr.h - socket addresses <-> values for every family (CPython's
 * makesockaddr and getsockaddrarg). */
#ifndef SOCKIT_ADDR_H
#define SOCKIT_ADDR_H

#include <sys/socket.h>
#include "value.h"

struct sock;

/* The value CPython gives for the address sa of len bytes on a socket of
 * protocol proto; tagged SH_ADDR.  NULL with an exception on error. */
value *addr_to_value(const struct sockaddr *sa, socklen_t len, int proto);

/* Converts v to a socket address for socket s (its family, type and proto
 * decide the form).  caller names the method in error messages ("connect",
 * "bind", "sendto", ...).  Returns 0, or -1 with an exception pending. */
int addr_from_value(const struct sock *s, const value *v,
    struct sockaddr_storage *ss, socklen_t *len, const char *caller);

#endif
