/* family.h - the table of address families: one row per family, its
 * functions in one file (core/af_*.c).  A new family is its file (the row
 * and its functions) and its line in family.c's table.  Used by sockaddr.c
 * (sockaddr <-> value), emit.c (JSON field names), taskaddr.c (the task
 * ADDRESS syntax) and listen's --exec (the environment form).
 *
 * The second half declares the getargs-style conversions that the family
 * files share (core/sockaddr.c), each with CPython's wording. */
#ifndef SOCKIT_FAMILY_H
#define SOCKIT_FAMILY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "value.h"

struct sock;
struct taskaddr;
struct sa_pair;

/* A prefix of the task ADDRESS syntax (SPEC 8), "udp:" or "unix-dgram:":
 * the socket type and protocol it gives. */
struct task_prefix {
	const char *name;
	int type, proto;
};

struct family {
	int af;
	const char *name;	/* "AF_INET", for messages */
	/* The value CPython gives for the address sa (len bytes, a socket of
	 * protocol proto), tagged SH_ADDR; NULL with an exception.  NULL: no
	 * form of its own (CPython's (family, sa_data) fallback). */
	value *(*to_value)(const struct sockaddr *sa, socklen_t len, int proto);
	/* v as a sockaddr for socket s, CPython's getsockaddrarg; 0, or -1
	 * with the exception pending.  NULL: "bad family". */
	int (*from_value)(const struct sock *s, const value *v,
	    struct sockaddr_storage *ss, socklen_t *len, const char *caller);
	/* The JSON field names of its address tuples (SPEC 4's table), one
	 * form per length, "a b|a b c": a tuple takes the form as long as it
	 * is, else the first.  NULL: a plain array. */
	const char *json_keys;
	/* Or, where the form depends on more than the length, the names for
	 * the address v (v->proto is the socket's protocol: AF_BLUETOOTH,
	 * whose HCI and SCO addresses are an int and a str, an object of one
	 * field each). */
	const char *(*json_keys_of)(const value *v);
	/* Where to_value or from_value is NULL: an address of two unsigned
	 * 32-bit fields, converted by sa_pair_value / sa_pair_from. */
	const struct sa_pair *pair;
	/* The task syntax: its prefixes (NULL-terminated; NULL: none), and
	 * the parse of the text after one (rest) into a, which taskaddr_parse
	 * has set up (text, family, type, proto).  0, or -1 with a usage
	 * exception (taskaddr_bad).  allow_range and only: taskaddr_parse's.
	 * The IP row's prefixes leave the family to the host. */
	const struct task_prefix *task_prefixes;
	int (*task_parse)(const char *text, const char *rest,
	    struct taskaddr *a, int allow_range, int only);
	/* What connecting a new socket fd to the task ADDRESS a needs besides
	 * connect(), done first: 0 to go on and connect, 1 when fd is ready
	 * as it is (a CAN socket is bound to its interface, never
	 * connected), -1 with the exception pending.  NULL: connect alone. */
	int (*task_connect)(int fd, const struct taskaddr *a);
	/* The --exec environment's form of address sa (SOCKIT_PEER_ADDR and
	 * _PORT): host and port as text, one line each.  NULL: both empty. */
	void (*env_form)(const struct sockaddr *sa, socklen_t len, char *host,
	    size_t hostsz, char *port, size_t portsz);
};

/* The row of family af, NULL when sockit has none. */
const struct family *family_find(int af);
/* The i-th row of the table (0 up), NULL past the last. */
const struct family *family_at(size_t i);

/* ---- for the family files: CPython's getargs conversions ---------------- */

/* The 'I'/'H'/'B'/'K' formats: an int-like value masked to its C type.
 * Returns 0, or -1 with TypeError pending. */
int sa_get_mask(const value *v, uint64_t *out);
/* The 'i' format: an int-like value that fits a C int.  Returns 0, -1 with
 * TypeError pending, or -2 with OverflowError pending. */
int sa_get_int(const value *v, int *out);
/* The 'k'/'K' formats: PyLong_Check then masked.  argn names the argument
 * in "argument N must be int, not T"; msg replaces that text when set. */
int sa_get_k(const value *v, uint64_t *out, const char *fname, int argn,
    const char *msg);
/* PyArg_ParseTuple's count check on tuple t: min..max items.  msg is the
 * format's ";message", fname its ":name" (both may be NULL). */
int sa_tuple_count(const value *t, size_t min, size_t max, const char *msg,
    const char *fname);
/* "caller(): FAMILY address must be tuple, not T" unless v is a tuple. */
int sa_need_tuple(const value *v, const char *caller, const char *fam);
/* The 's' format: a str without NUL.  msg replaces the type error text. */
int sa_get_s(const value *v, const char **out, const char *msg);
/* The families whose address is two unsigned 32-bit fields (AF_VSOCK's
 * cid and port, ...): the sockaddr's size and the fields' offsets, for the
 * row's .pair (sockaddr.c converts them, format "II:getsockaddrarg"). */
struct sa_pair {
	socklen_t size;
	size_t off_a, off_b;
};
/* v tagged as an address of family (SH_ADDR); returns v. */
value *sa_tagged(value *v, int family);
/* Name of interface index (CPython's SIOCGIFNAME lookup): "" when none. */
value *sa_ifname_value(int index);
/* Interface index of name through SIOCGIFINDEX on fd, as CPython looks it
 * up (the name cut to IFNAMSIZ - 1).  -1 with the OSError pending. */
int sa_ifindex_of(int fd, const char *name, int *index);

#endif
