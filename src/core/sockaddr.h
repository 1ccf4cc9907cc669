/* sockaddr.h - socket addresses <-> values for every family (CPython's
 * makesockaddr and getsockaddrarg). */
#ifndef SOCKIT_SOCKADDR_H
#define SOCKIT_SOCKADDR_H

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

/* CPython's setipaddr(): name ('' = any, '<broadcast>', a numeric address
 * or a host name) into sa (size bytes) for family af.  Returns 4 or 16
 * (the address length), or -1 with the exception pending. */
int addr_setipaddr(const char *name, struct sockaddr *sa, size_t size, int af);
/* The index of CAN interface name as CPython's AF_CAN addresses look it up:
 * '' is 0 (any), a name of IFNAMSIZ bytes or more is OSError "AF_CAN
 * interface name too long", else SIOCGIFINDEX on fd (on a socket of its own
 * when fd is -1) and its errno.  Returns 0, or -1 with the OSError pending. */
int addr_can_ifindex(int fd, const char *name, int *index);
/* The hidden `sockit __addr FAMILY PROTO VALUE`: VALUE converted to a
 * sockaddr for a socket of that family and protocol and back, so tests can
 * check families this kernel lacks.  NULL with the exception pending. */
value *addr_roundtrip(int argc, char **argv);

#endif
