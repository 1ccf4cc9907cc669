/* taskaddr.h - the ADDRESS syntax of the task commands and their -o option
 * (SPEC section 8): HOST:PORT, [V6]:PORT, [fe80::1%eth0]:PORT, prefixes
 * tcp: udp: udplite: mptcp: sctp:, unix:/path, unix-dgram:, unix-seqpacket:,
 * @name / unix:@name (abstract), vsock:CID:PORT, can:IFACE. */
#ifndef SOCKIT_TASKADDR_H
#define SOCKIT_TASKADDR_H

#include <sys/socket.h>
#include "value.h"

struct taskaddr {
	int family;	/* AF_UNSPEC for a host name still to resolve, AF_INET,
			   AF_INET6, AF_UNIX, AF_VSOCK, AF_CAN */
	int type;	/* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW */
	int proto;	/* IPPROTO_TCP, _UDP, _UDPLITE, _MPTCP, _SCTP, CAN_RAW,
			 * or 0 */
	char *host;	/* IP families: host text without brackets (may hold
			 * %scope) */
	char *port;	/* IP and vsock: port text; a range "20-25" where
			 * allowed */
	char *path;	/* AF_UNIX: the path, or the abstract name without
			 * '@'; NULL for every other family */
	int abstract;	/* AF_UNIX abstract namespace */
	struct sockaddr_storage ss;	/* ready address for unix, vsock,
					 * can, */
	socklen_t len;			/* and numeric IP hosts; 0 when not */
	const char *text;		/* the ADDRESS as given */
};

/* Parses text into *a (zeroed first).  allow_range permits PORT-PORT;
 * only (AF_INET, AF_INET6 or AF_UNSPEC) refuses numeric hosts of the
 * other IP family.  Returns 0, or -1 with a usage exception ("bad address
 * ...") pending. */
int taskaddr_parse(const char *text, struct taskaddr *a, int allow_range,
    int only);
void taskaddr_free(struct taskaddr *a);
/* For the family files' parsers: the usage exception "bad address 'text':
 * why"; returns -1. */
int taskaddr_bad(const char *text, const char *why);
/* Whether a is an IP address (a host name to resolve included). */
int taskaddr_is_ip(const struct taskaddr *a);
/* The prefix that names a's type and protocol ("udp", "unix-dgram"). */
const char *taskaddr_proto_name(const struct taskaddr *a);
/* The --exec environment's host and port text for address sa (family.h's
 * env_form; both empty for a family without one). */
void taskaddr_env_form(const struct sockaddr *sa, socklen_t len, char *host,
    size_t hostsz, char *port, size_t portsz);

/* -o LEVEL:NAME=VALUE, by constant names, VALUE as SPEC section 3. */
struct sockopt_req {
	int level, name;
	value *val;	/* int, or bytes */
	const char *text;
};
/* Returns 0, or -1 with a usage exception pending. */
int sockopt_parse(const char *text, struct sockopt_req *o);
/* setsockopt() on fd; 0, or -1 with the OSError pending. */
int sockopt_apply(int fd, const struct sockopt_req *o);
void sockopt_free(struct sockopt_req *o);

#endif
