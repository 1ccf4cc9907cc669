/* netfuncs.c - module-level functions that need no name service: byte
 * order, address text <-> packed form, ancillary data sizes, the default
 * timeout and has_ipv6, with CPython 3.11's argument checking and wording. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <limits.h>
#include <math.h>		/* isnan */
#include <string.h>

#include "call.h"
#include "core/conv.h"
#include "core/resolve.h"
#include "core/sock.h"
#include "error.h"

/* The 16-bit argument of htons/ntohs ("i" format, then a 0..65535 check). */
static int
arg_u16(const struct call *c, const char *fname, uint16_t *out)
{
	static const char *const names[] = { "x", NULL };
	value *a[1];
	int x;

	if (call_bind(c, ARGS_TUPLE, fname, names, 1, 1, a) < 0 ||
	    arg_int(a[0], &x) < 0)
		return -1;
	if (x < 0) {
		err_set(EXC_OVERFLOW,
		    "%s: can't convert negative Python int to C 16-bit "
		    "unsigned integer", fname);
		return -1;
	}
	if (x > 0xffff) {
		err_set(EXC_OVERFLOW,
		    "%s: Python int too large to convert to C 16-bit "
		    "unsigned integer", fname);
		return -1;
	}
	*out = (uint16_t)x;
	return 0;
}

/* The 32-bit argument of htonl/ntohl (METH_O, an int of at most 32 bits). */
static int
arg_u32(const struct call *c, const char *fname, uint32_t *out)
{
	static const char *const names[] = { "x", NULL };
	value *a[1];
	uint64_t x;

	if (call_bind(c, ARGS_METH_O, fname, names, 1, 1, a) < 0)
		return -1;
	if (!v_is_int(a[0])) {
		err_set(EXC_TYPE, "expected int, %s found", v_typename(a[0]));
		return -1;
	}
	if (arg_ulong(a[0], &x) < 0)
		return -1;
	if (x > 0xffffffffu) {
		err_set(EXC_OVERFLOW, "int larger than 32 bits");
		return -1;
	}
	*out = (uint32_t)x;
	return 0;
}

value *
fn_htons(struct call *c)
{
	uint16_t x;

	return arg_u16(c, "htons", &x) < 0 ? NULL : v_int(htons(x));
}

value *
fn_ntohs(struct call *c)
{
	uint16_t x;

	return arg_u16(c, "ntohs", &x) < 0 ? NULL : v_int(ntohs(x));
}

value *
fn_htonl(struct call *c)
{
	uint32_t x;

	return arg_u32(c, "_socket.htonl", &x) < 0 ? NULL : v_int(htonl(x));
}

value *
fn_ntohl(struct call *c)
{
	uint32_t x;

	return arg_u32(c, "_socket.ntohl", &x) < 0 ? NULL : v_int(ntohl(x));
}

value *
fn_inet_aton(struct call *c)
{
	static const char *const names[] = { "ip_string", NULL };
	value *a[1];
	const char *s;
	struct in_addr in;

	if (call_bind(c, ARGS_TUPLE, "inet_aton", names, 1, 1, a) < 0 ||
	    arg_str(a[0], "inet_aton", 1, &s) < 0)
		return NULL;
	if (inet_aton(s, &in) == 0) {
		err_set(EXC_OSERROR,
		    "illegal IP address string passed to inet_aton");
		return NULL;
	}
	return v_bytes(&in, sizeof in);
}

/* A bytes-like argument (TypeError "a bytes-like object is required"). */
static int
need_buffer(const value *v)
{
	if (is_buffer(v))
		return 0;
	err_set(EXC_TYPE, "a bytes-like object is required, not '%s'",
	    v_typename(v));
	return -1;
}

value *
fn_inet_ntoa(struct call *c)
{
	static const char *const names[] = { "packed_ip", NULL };
	value *a[1];
	struct in_addr in;

	if (call_bind(c, ARGS_TUPLE, "inet_ntoa", names, 1, 1, a) < 0 ||
	    need_buffer(a[0]) < 0)
		return NULL;
	if (a[0]->u.s.len != sizeof in) {
		err_set(EXC_OSERROR, "packed IP wrong length for inet_ntoa");
		return NULL;
	}
	memcpy(&in, a[0]->u.s.p, sizeof in);
	return v_strz(inet_ntoa(in));
}

value *
fn_inet_pton(struct call *c)
{
	static const char *const names[] = { "address_family", "ip_string",
	    NULL };
	value *a[2];
	unsigned char packed[sizeof(struct in6_addr)];
	const char *s;
	int af, r;

	if (call_bind(c, ARGS_TUPLE, "inet_pton", names, 2, 2, a) < 0 ||
	    arg_int(a[0], &af) < 0 || arg_str(a[1], "inet_pton", 2, &s) < 0)
		return NULL;
	if ((r = inet_pton(af, s, packed)) < 0) {
		err_errno(errno);
		return NULL;
	}
	if (r == 0) {
		err_set(EXC_OSERROR,
		    "illegal IP address string passed to inet_pton");
		return NULL;
	}
	return v_bytes(packed, af == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr));
}

value *
fn_inet_ntop(struct call *c)
{
	static const char *const names[] = { "address_family", "packed_ip",
	    NULL };
	value *a[2];
	char text[INET6_ADDRSTRLEN];
	unsigned char packed[sizeof(struct in6_addr)];
	size_t want;
	int af;

	if (call_bind(c, ARGS_TUPLE, "inet_ntop", names, 2, 2, a) < 0 ||
	    arg_int(a[0], &af) < 0 || need_buffer(a[1]) < 0)
		return NULL;
	if (af == AF_INET)
		want = sizeof(struct in_addr);
	else if (af == AF_INET6)
		want = sizeof(struct in6_addr);
	else {
		err_set(EXC_VALUE, "unknown address family %d", af);
		return NULL;
	}
	if (a[1]->u.s.len != want) {
		err_set(EXC_VALUE,
		    "invalid length of packed IP address string");
		return NULL;
	}
	memcpy(packed, a[1]->u.s.p, want);
	if (inet_ntop(af, packed, text, sizeof text) == NULL) {
		err_errno(errno);
		return NULL;
	}
	return v_strz(text);
}

/* The ssize_t argument of CMSG_LEN/CMSG_SPACE ("n" format). */
static int
arg_ssize(const struct call *c, const char *fname, int64_t *out)
{
	static const char *const names[] = { "length", NULL };
	value *a[1];
	int big;

	if (call_bind(c, ARGS_TUPLE, fname, names, 1, 1, a) < 0 ||
	    conv_index(a[0], out, &big) < 0)
		return -1;
	if (big) {
		err_set(EXC_OVERFLOW,
		    "Python int too large to convert to C ssize_t");
		return -1;
	}
	return 0;
}

/* socklen_t results must stay within INT_MAX, as in CPython. */
value *
fn_CMSG_LEN(struct call *c)
{
	int64_t n;

	if (arg_ssize(c, "CMSG_LEN", &n) < 0)
		return NULL;
	if (n < 0 || n > (int64_t)(INT_MAX - CMSG_LEN(0))) {
		err_set(EXC_OVERFLOW, "CMSG_LEN() argument out of range");
		return NULL;
	}
	return v_int((int64_t)CMSG_LEN((size_t)n));
}

value *
fn_CMSG_SPACE(struct call *c)
{
	int64_t n;

	if (arg_ssize(c, "CMSG_SPACE", &n) < 0)
		return NULL;
	if (n < 0 || n > (int64_t)(INT_MAX - CMSG_SPACE(1)) ||
	    CMSG_SPACE((size_t)n) > INT_MAX) {
		err_set(EXC_OVERFLOW, "CMSG_SPACE() argument out of range");
		return NULL;
	}
	return v_int((int64_t)CMSG_SPACE((size_t)n));
}

/* x rounded to an integer away from zero (no libm). */
static double
round_away(double x)
{
	int64_t t;

	if (!(x < 9007199254740992.0 && x > -9007199254740992.0))
		return x;	/* NaN, or so large that it is integral */
	t = (int64_t)x;
	if ((double)t != x)
		t += x > 0 ? 1 : -1;
	return (double)t;
}

value *
fn_setdefaulttimeout(struct call *c)
{
	static const char *const names[] = { "timeout", NULL };
	value *a[1];
	double t;

	if (call_bind(c, ARGS_METH_O, "_socket.setdefaulttimeout", names, 1, 1,
	    a) < 0 ||
	    sock_parse_timeout(a[0], &t) < 0)
		return NULL;
	sock_default_timeout = t;
	return v_none();
}

value *
fn_getdefaulttimeout(struct call *c)
{
	static const char *const names[] = { NULL };
	value *a[1];
	double ns;

	if (call_bind(c, ARGS_NOARGS, "_socket.getdefaulttimeout", names, 0, 0,
	    a) < 0)
		return NULL;
	if (sock_default_timeout < 0)
		return v_none();
	/* CPython keeps whole nanoseconds, rounded up; a value that already is
	 * (from setdefaulttimeout) must not move by a rounding error */
	ns = sock_default_timeout * 1e9;
	if (ns < 9007199254740992.0) {
		double n = (double)(int64_t)(ns + 0.5);

		ns = ns - n < 1e-3 && n - ns < 1e-3 ? n : round_away(ns);
	}
	return v_float(ns / 1e9);
}

/* has_ipv6 is a constant, not a function: calling it fails as in Python. */
value *
fn_has_ipv6(struct call *c)
{
	if (c->nargs || c->nkw) {
		err_set(EXC_TYPE, "'bool' object is not callable");
		return NULL;
	}
	return v_bool(1);
}
