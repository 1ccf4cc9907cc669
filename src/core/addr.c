/* addr.c - socket addresses <-> values for every family: CPython's
 * makesockaddr() and getsockaddrarg() with their messages. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/if_alg.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/qrtr.h>
#include <linux/tipc.h>
#include <linux/vm_sockets.h>

#include "core/addr.h"
#include "core/conv.h"
#include "core/sock.h"
#include "error.h"
#include "parse.h"

#ifndef CAN_ISOTP
#define CAN_ISOTP 6
#endif
#ifndef CAN_J1939
#define CAN_J1939 7
#endif

/* ---- values -> C, with getargs.c's wording ------------------------------ */

/* Low 64 bits of the integer v (two's complement), as PyLong's *Mask
 * conversions take them; v must be int-like. */
static uint64_t
int_mask(const value *v)
{
	int big;
	int64_t i = v_as_i64(v, &big);
	const char *p;
	uint64_t u = 0;
	int neg;

	if (!big)
		return (uint64_t)i;
	p = v->u.n.big;
	neg = *p == '-';
	if (neg || *p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		u = u * 10 + (uint64_t)(*p - '0');
	return neg ? (uint64_t)0 - u : u;
}

/* The 'I'/'H'/'B'/'K' formats: an int-like value masked to its C type.
 * Returns 0, or -1 with TypeError pending. */
static int
get_mask(const value *v, uint64_t *out)
{
	if (!v_is_int(v)) {
		err_set(EXC_TYPE, "'%s' object cannot be interpreted as an integer", v_typename(v));
		return -1;
	}
	*out = int_mask(v);
	return 0;
}

/* The 'i' format: an int-like value that fits a C int.  Returns 0, -1 with
 * TypeError pending, or -2 with OverflowError pending. */
static int
get_int(const value *v, int *out)
{
	int64_t i;
	int big;

	if (!v_is_int(v)) {
		err_set(EXC_TYPE, "'%s' object cannot be interpreted as an integer", v_typename(v));
		return -1;
	}
	i = v_as_i64(v, &big);
	if (big || i > INT_MAX || i < INT_MIN) {
		if (big ? v->u.n.big[0] == '-' : i < 0)
			err_set(EXC_OVERFLOW, "signed integer is less than minimum");
		else
			err_set(EXC_OVERFLOW, "signed integer is greater than maximum");
		return -2;
	}
	*out = (int)i;
	return 0;
}

/* The 'k'/'K' formats: PyLong_Check then masked.  argn names the argument
 * in "argument N must be int, not T"; msg replaces that text when set. */
static int
get_k(const value *v, uint64_t *out, const char *fname, int argn, const char *msg)
{
	if (v->kind != V_INT && v->kind != V_BOOL && v->kind != V_ENUM) {
		if (msg)
			err_set(EXC_TYPE, "%s", msg);
		else
			err_set(EXC_TYPE, "%s%sargument %d must be int, not %s",
			    fname ? fname : "", fname ? "() " : "", argn, v_typename(v));
		return -1;
	}
	*out = int_mask(v);
	return 0;
}

/* PyArg_ParseTuple's count check on tuple t: min..max items.  msg is the
 * format's ";message", fname its ":name" (both may be NULL). */
static int
tuple_count(const value *t, size_t min, size_t max, const char *msg, const char *fname)
{
	size_t n = t->u.seq.len, want;

	if (n >= min && n <= max)
		return 0;
	if (msg) {
		err_set(EXC_TYPE, "%s", msg);
		return -1;
	}
	want = n < min ? min : max;
	err_set(EXC_TYPE, "%s%s takes %s %zu argument%s (%zu given)",
	    fname ? fname : "function", fname ? "()" : "",
	    min == max ? "exactly" : n < min ? "at least" : "at most",
	    want, want == 1 ? "" : "s", n);
	return -1;
}

/* "caller(): FAMILY address must be tuple, not T" unless v is a tuple. */
static int
need_tuple(const value *v, const char *caller, const char *fam)
{
	if (v->kind == V_TUPLE)
		return 0;
	err_set(EXC_TYPE, "%s(): %s address must be tuple, not %s", caller, fam, v_typename(v));
	return -1;
}

/* The 's' format: a str without NUL.  msg replaces the type error text. */
static int
get_s(const value *v, const char **out, const char *msg)
{
	if (v->kind != V_STR) {
		if (msg)
			err_set(EXC_TYPE, "%s", msg);
		else
			err_set(EXC_TYPE, "argument must be str, not %s", v_typename(v));
		return -1;
	}
	if (strlen(v->u.s.p) != v->u.s.len) {
		err_set(EXC_VALUE, "embedded null character");
		return -1;
	}
	*out = v->u.s.p;
	return 0;
}

/* CPython's idna_converter: the host of an IP address as C text. */
static int
get_host(const value *v, const char **out)
{
	size_t i;

	if (v->kind != V_STR && v->kind != V_BYTES && v->kind != V_BYTEARRAY) {
		err_set(EXC_TYPE, "str, bytes or bytearray expected, not %s", v_typename(v));
		return -1;
	}
	if (v->kind == V_STR) {
		for (i = 0; i < v->u.s.len; i++)
			if ((unsigned char)v->u.s.p[i] >= 0x80)
				break;
		/* The idna codec cannot encode surrogate escapes (raw bytes
		 * that are not UTF-8); sockit passes other non-ASCII names on
		 * as UTF-8 instead of punycode. */
		if (i < v->u.s.len && utf8_check(v->u.s.p, v->u.s.len, NULL, NULL) != v->u.s.len) {
			err_set(EXC_TYPE, "encoding of hostname failed");
			return -1;
		}
	}
	if (strlen(v->u.s.p) != v->u.s.len) {
		err_set(EXC_TYPE, "host name must not contain null character");
		return -1;
	}
	*out = v->u.s.p;
	return 0;
}

/* ---- IP addresses ---------------------------------------------------------- */

int
addr_setipaddr(const char *name, struct sockaddr *sa, size_t size, int af)
{
	struct addrinfo hints, *res;
	int e, r;

	memset(sa, 0, size);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = af;
	if (name[0] == '\0') {
		hints.ai_socktype = SOCK_DGRAM;
		hints.ai_flags = AI_PASSIVE;
		errno = 0;
		if ((e = getaddrinfo(NULL, "0", &hints, &res)) != 0) {
			err_gai(e);
			return -1;
		}
		r = res->ai_family == AF_INET ? 4 : res->ai_family == AF_INET6 ? 16 : 0;
		if (r == 0 || res->ai_next) {
			err_set(EXC_OSERROR, r ? "wildcard resolved to multiple address"
			    : "unsupported address family");
			freeaddrinfo(res);
			return -1;
		}
		memcpy(sa, res->ai_addr, res->ai_addrlen < size ? res->ai_addrlen : size);
		freeaddrinfo(res);
		return r;
	}
	/* all ones in any byte order */
	if (strcmp(name, "255.255.255.255") == 0 || strcmp(name, "<broadcast>") == 0) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;

		if (af != AF_INET && af != AF_UNSPEC) {
			err_set(EXC_OSERROR, "address family mismatched");
			return -1;
		}
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = INADDR_BROADCAST;
		return 4;
	}
	/* a numeric address needs no lookup; one with a scope ("fe80::1%lo")
	 * goes to getaddrinfo, which knows interface names */
	if ((af == AF_UNSPEC || af == AF_INET) &&
	    inet_pton(AF_INET, name, &((struct sockaddr_in *)sa)->sin_addr) > 0) {
		sa->sa_family = AF_INET;
		return 4;
	}
	if ((af == AF_UNSPEC || af == AF_INET6) && strchr(name, '%') == NULL &&
	    inet_pton(AF_INET6, name, &((struct sockaddr_in6 *)sa)->sin6_addr) > 0) {
		sa->sa_family = AF_INET6;
		return 16;
	}
	errno = 0;
	if ((e = getaddrinfo(name, NULL, &hints, &res)) != 0) {
		err_gai(e);
		return -1;
	}
	memcpy(sa, res->ai_addr, res->ai_addrlen < size ? res->ai_addrlen : size);
	freeaddrinfo(res);
	if (sa->sa_family == AF_INET)
		return 4;
	if (sa->sa_family == AF_INET6)
		return 16;
	err_set(EXC_OSERROR, "unknown address family");
	return -1;
}

/* AF_INET (and AF_RDS) from ('host', port). */
static int
from_inet(const value *v, struct sockaddr_in *in, socklen_t *len, const char *caller)
{
	const char *host;
	int port = 0, r;

	if (need_tuple(v, caller, "AF_INET") < 0 ||
	    tuple_count(v, 2, 2, "AF_INET address must be a pair (host, port)", NULL) < 0 ||
	    get_host(v->u.seq.items[0], &host) < 0)
		return -1;
	if ((r = get_int(v->u.seq.items[1], &port)) == -1)
		return -1;
	if (r == -2)
		goto badport;
	if (addr_setipaddr(host, (struct sockaddr *)in, sizeof *in, AF_INET) < 0)
		return -1;
	if (port < 0 || port > 0xffff)
		goto badport;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	*len = sizeof *in;
	return 0;
badport:
	err_set(EXC_OVERFLOW, "%s(): port must be 0-65535.", caller);
	return -1;
}

/* AF_INET6 from ('host', port[, flowinfo[, scope_id]]). */
static int
from_inet6(const value *v, int family, struct sockaddr_in6 *in6, socklen_t *len,
    const char *caller)
{
	const char *host;
	int port = 0, r;
	uint64_t flow = 0, scope = 0;

	if (need_tuple(v, caller, "AF_INET6") < 0 ||
	    tuple_count(v, 2, 4, "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])", NULL) < 0 ||
	    get_host(v->u.seq.items[0], &host) < 0)
		return -1;
	if ((r = get_int(v->u.seq.items[1], &port)) == -1)
		return -1;
	if (r == -2)
		goto badport;
	if (v->u.seq.len > 2 && get_mask(v->u.seq.items[2], &flow) < 0)
		return -1;
	if (v->u.seq.len > 3 && get_mask(v->u.seq.items[3], &scope) < 0)
		return -1;
	if (addr_setipaddr(host, (struct sockaddr *)in6, sizeof *in6, AF_INET6) < 0)
		return -1;
	if (port < 0 || port > 0xffff)
		goto badport;
	if ((uint32_t)flow > 0xfffff) {
		err_set(EXC_OVERFLOW, "%s(): flowinfo must be 0-1048575.", caller);
		return -1;
	}
	in6->sin6_family = (sa_family_t)family;
	in6->sin6_port = htons((uint16_t)port);
	in6->sin6_flowinfo = htonl((uint32_t)flow);
	in6->sin6_scope_id = (uint32_t)scope;
	*len = sizeof *in6;
	return 0;
badport:
	err_set(EXC_OVERFLOW, "%s(): port must be 0-65535.", caller);
	return -1;
}

/* ---- the other families ------------------------------------------------------ */

/* AF_UNIX from a path (str, bytes, bytearray); '' autobinds. */
static int
from_unix(const value *v, int family, struct sockaddr_un *un, socklen_t *len)
{
	const char *p;
	size_t n;

	if (v->kind != V_STR && !is_buffer(v)) {
		err_set(EXC_TYPE, "a bytes-like object is required, not '%s'", v_typename(v));
		return -1;
	}
	p = v->u.s.p;
	n = v->u.s.len;
	memset(un, 0, sizeof *un);
	if (n == 0 || p[0] == '\0') {
		if (n > sizeof un->sun_path)
			goto toolong;
		*len = (socklen_t)(n + offsetof(struct sockaddr_un, sun_path));
	} else {
		if (n >= sizeof un->sun_path)
			goto toolong;
		*len = (socklen_t)(n + offsetof(struct sockaddr_un, sun_path) + 1);
	}
	un->sun_family = (sa_family_t)family;
	memcpy(un->sun_path, p, n);
	return 0;
toolong:
	err_set(EXC_OSERROR, "AF_UNIX path too long");
	return -1;
}

/* AF_NETLINK from (pid, groups). */
static int
from_netlink(const value *v, struct sockaddr_nl *nl, socklen_t *len, const char *caller)
{
	uint64_t pid, groups;

	if (need_tuple(v, caller, "AF_NETLINK") < 0 ||
	    tuple_count(v, 2, 2, "AF_NETLINK address must be a pair (pid, groups)", NULL) < 0 ||
	    get_mask(v->u.seq.items[0], &pid) < 0 || get_mask(v->u.seq.items[1], &groups) < 0)
		return -1;
	memset(nl, 0, sizeof *nl);
	nl->nl_family = AF_NETLINK;
	nl->nl_pid = (uint32_t)pid;
	nl->nl_groups = (uint32_t)groups;
	*len = sizeof *nl;
	return 0;
}

/* Interface index of name through SIOCGIFINDEX on fd, as CPython looks it
 * up (the name cut to IFNAMSIZ - 1).  -1 with the OSError pending. */
static int
ifindex_of(int fd, const char *name, int *index)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	strncpy(ifr.ifr_name, name, sizeof ifr.ifr_name - 1);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		err_errno(errno);
		return -1;
	}
	*index = ifr.ifr_ifindex;
	return 0;
}

/* AF_PACKET from (ifname, proto[, pkttype[, hatype[, addr]]]). */
static int
from_packet(const struct sock *s, const value *v, struct sockaddr_ll *ll, socklen_t *len,
    const char *caller)
{
	static const char msg[] = "AF_PACKET address must be a tuple of two to five elements";
	const char *ifname;
	int proto = 0, pkttype = 0, hatype = 0, index, r = 0, i;
	int *ints[3] = { &proto, &pkttype, &hatype };
	const value *ha = NULL;

	if (need_tuple(v, caller, "AF_PACKET") < 0 || tuple_count(v, 2, 5, msg, NULL) < 0 ||
	    get_s(v->u.seq.items[0], &ifname, msg) < 0)
		return -1;
	for (i = 0; i < 3 && (size_t)i + 1 < v->u.seq.len; i++)
		if ((r = get_int(v->u.seq.items[i + 1], ints[i])) < 0)
			break;
	if (r == -2)
		err_set(EXC_OVERFLOW, "%s(): address argument out of range", caller);
	if (r < 0)
		return -1;
	if (v->u.seq.len == 5) {
		ha = v->u.seq.items[4];
		if (!is_buffer(ha)) {
			err_set(EXC_TYPE, "a bytes-like object is required, not '%s'", v_typename(ha));
			return -1;
		}
	}
	if (ifindex_of(s->fd, ifname, &index) < 0)
		return -1;
	if (ha && ha->u.s.len > 8) {
		err_set(EXC_VALUE, "Hardware address must be 8 bytes or less");
		return -1;
	}
	if (proto < 0 || proto > 0xffff) {
		err_set(EXC_OVERFLOW, "%s(): proto must be 0-65535.", caller);
		return -1;
	}
	memset(ll, 0, sizeof *ll);
	ll->sll_family = AF_PACKET;
	ll->sll_protocol = htons((uint16_t)proto);
	ll->sll_ifindex = index;
	ll->sll_pkttype = (unsigned char)pkttype;
	ll->sll_hatype = (unsigned short)hatype;
	if (ha) {
		memcpy(ll->sll_addr, ha->u.s.p, ha->u.s.len);
		ll->sll_halen = (unsigned char)ha->u.s.len;
	}
	*len = sizeof *ll;
	return 0;
}

int
addr_can_ifindex(int fd, const char *name, int *index)
{
	int tmp = -1, r;

	if (name[0] == '\0') {
		*index = 0;
		return 0;
	}
	if (strlen(name) >= IFNAMSIZ) {
		err_set(EXC_OSERROR, "AF_CAN interface name too long");
		return -1;
	}
	if (fd < 0 && (fd = tmp = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		return -1;
	}
	r = ifindex_of(fd, name, index);
	if (tmp >= 0)
		close(tmp);
	return r;
}

/* AF_CAN interface lookup for socket s. */
static int
can_ifindex(const struct sock *s, const value *iv, int *index)
{
	const char *name;
	size_t n;

	if (arg_fspath(iv, &name, &n) < 0)
		return -1;
	return addr_can_ifindex(s->fd, name, index);
}

/* AF_CAN: (iface,) for RAW/BCM, (iface, rx, tx) for ISOTP, (iface, name,
 * pgn, addr) for J1939. */
static int
from_can(const struct sock *s, const value *v, struct sockaddr_can *can, socklen_t *len,
    const char *caller)
{
	uint64_t a, b, c;
	int index;

	memset(can, 0, sizeof *can);
	switch (s->proto) {
	case CAN_RAW:
	case CAN_BCM:
		if (need_tuple(v, caller, "AF_CAN") < 0 ||
		    tuple_count(v, 1, 1, "AF_CAN address must be a tuple (interface, )", NULL) < 0 ||
		    can_ifindex(s, v->u.seq.items[0], &index) < 0)
			return -1;
		break;
	case CAN_ISOTP:
		if (need_tuple(v, caller, "AF_CAN") < 0 || tuple_count(v, 3, 3, NULL, NULL) < 0 ||
		    arg_fspath(v->u.seq.items[0], &(const char *){ NULL }, &(size_t){ 0 }) < 0 ||
		    get_k(v->u.seq.items[1], &a, NULL, 2, NULL) < 0 ||
		    get_k(v->u.seq.items[2], &b, NULL, 3, NULL) < 0 ||
		    can_ifindex(s, v->u.seq.items[0], &index) < 0)
			return -1;
		can->can_addr.tp.rx_id = (canid_t)a;
		can->can_addr.tp.tx_id = (canid_t)b;
		break;
	case CAN_J1939:
		if (need_tuple(v, caller, "AF_CAN") < 0 || tuple_count(v, 4, 4, NULL, NULL) < 0 ||
		    arg_fspath(v->u.seq.items[0], &(const char *){ NULL }, &(size_t){ 0 }) < 0 ||
		    get_k(v->u.seq.items[1], &a, NULL, 2, NULL) < 0 ||
		    get_mask(v->u.seq.items[2], &b) < 0 || get_mask(v->u.seq.items[3], &c) < 0 ||
		    can_ifindex(s, v->u.seq.items[0], &index) < 0)
			return -1;
		can->can_addr.j1939.name = a;
		can->can_addr.j1939.pgn = (uint32_t)b;
		can->can_addr.j1939.addr = (uint8_t)c;
		break;
	default:
		err_set(EXC_OSERROR, "%s(): unsupported AF_CAN protocol", caller);
		return -1;
	}
	can->can_family = AF_CAN;
	can->can_ifindex = index;
	*len = sizeof *can;
	return 0;
}

/* AF_ALG from (type, name[, feat[, mask]]). */
static int
from_alg(const value *v, struct sockaddr_alg *alg, socklen_t *len, const char *caller)
{
	static const char *const fn = "getsockaddrarg";
	const char *type, *name;
	uint64_t feat = 0, mask = 0;
	size_t i;

	memset(alg, 0, sizeof *alg);
	if (need_tuple(v, caller, "AF_ALG") < 0 || tuple_count(v, 2, 4, NULL, fn) < 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (v->u.seq.items[i]->kind != V_STR) {
			err_set(EXC_TYPE, "%s() argument %zu must be str, not %s", fn, i + 1,
			    v_typename(v->u.seq.items[i]));
			return -1;
		}
	if (get_s(v->u.seq.items[0], &type, NULL) < 0 || get_s(v->u.seq.items[1], &name, NULL) < 0 ||
	    (v->u.seq.len > 2 && get_mask(v->u.seq.items[2], &feat) < 0) ||
	    (v->u.seq.len > 3 && get_mask(v->u.seq.items[3], &mask) < 0))
		return -1;
	alg->salg_family = AF_ALG;
	if (strlen(type) >= sizeof alg->salg_type) {
		err_set(EXC_VALUE, "AF_ALG type too long.");
		return -1;
	}
	memcpy(alg->salg_type, type, strlen(type));
	if (strlen(name) >= sizeof alg->salg_name) {
		err_set(EXC_VALUE, "AF_ALG name too long.");
		return -1;
	}
	memcpy(alg->salg_name, name, strlen(name));
	alg->salg_feat = (uint16_t)feat;	/* CPython's "H" format */
	alg->salg_mask = (uint16_t)mask;
	*len = sizeof *alg;
	return 0;
}

/* Two masked unsigned ints (format "II:getsockaddrarg"). */
static int
two_uints(const value *v, const char *caller, const char *fam, uint64_t *a, uint64_t *b)
{
	if (need_tuple(v, caller, fam) < 0 || tuple_count(v, 2, 2, NULL, "getsockaddrarg") < 0 ||
	    get_mask(v->u.seq.items[0], a) < 0 || get_mask(v->u.seq.items[1], b) < 0)
		return -1;
	return 0;
}

/* AF_TIPC from (addr_type, v1, v2, v3[, scope]). */
static int
from_tipc(const value *v, struct sockaddr_tipc *t, socklen_t *len, const char *caller)
{
	uint64_t x[5] = { 0, 0, 0, 0, 0 };
	size_t i;

	if (need_tuple(v, caller, "AF_TIPC") < 0 ||
	    tuple_count(v, 4, 5, "AF_TIPC address must be a tuple (addr_type, v1, v2, v3[, scope])", NULL) < 0)
		return -1;
	for (i = 0; i < v->u.seq.len; i++)
		if (get_mask(v->u.seq.items[i], &x[i]) < 0)
			return -1;
	memset(t, 0, sizeof *t);
	t->family = AF_TIPC;
	t->scope = (signed char)x[4];
	t->addrtype = (unsigned char)x[0];
	switch ((unsigned char)x[0]) {
	case TIPC_ADDR_NAMESEQ:
		t->addr.nameseq.type = (uint32_t)x[1];
		t->addr.nameseq.lower = (uint32_t)x[2];
		t->addr.nameseq.upper = (uint32_t)x[3];
		break;
	case TIPC_ADDR_NAME:
		t->addr.name.name.type = (uint32_t)x[1];
		t->addr.name.name.instance = (uint32_t)x[2];
		break;
	case TIPC_ADDR_ID:
		t->addr.id.node = (uint32_t)x[1];
		t->addr.id.ref = (uint32_t)x[2];
		break;
	default:
		err_set(EXC_OSERROR, "Invalid address type");
		return -1;
	}
	*len = sizeof *t;
	return 0;
}

int
addr_from_value(const struct sock *s, const value *v,
    struct sockaddr_storage *ss, socklen_t *len, const char *caller)
{
	uint64_t a, b;

	memset(ss, 0, sizeof *ss);
	switch (s->family) {
	case AF_UNIX:
		return from_unix(v, s->family, (struct sockaddr_un *)ss, len);
	case AF_INET:
	case AF_RDS:
		return from_inet(v, (struct sockaddr_in *)ss, len, caller);
	case AF_INET6:
		return from_inet6(v, s->family, (struct sockaddr_in6 *)ss, len, caller);
	case AF_NETLINK:
		return from_netlink(v, (struct sockaddr_nl *)ss, len, caller);
	case AF_PACKET:
		return from_packet(s, v, (struct sockaddr_ll *)ss, len, caller);
	case AF_CAN:
		return from_can(s, v, (struct sockaddr_can *)ss, len, caller);
	case AF_ALG:
		return from_alg(v, (struct sockaddr_alg *)ss, len, caller);
	case AF_TIPC:
		return from_tipc(v, (struct sockaddr_tipc *)ss, len, caller);
	case AF_VSOCK: {
		struct sockaddr_vm *vm = (struct sockaddr_vm *)ss;

		if (two_uints(v, caller, "AF_VSOCK", &a, &b) < 0)
			return -1;
		vm->svm_family = AF_VSOCK;
		vm->svm_cid = (unsigned)a;
		vm->svm_port = (unsigned)b;
		*len = sizeof *vm;
		return 0;
	}
	case AF_QIPCRTR: {
		struct sockaddr_qrtr *q = (struct sockaddr_qrtr *)ss;

		if (two_uints(v, caller, "AF_QIPCRTR", &a, &b) < 0)
			return -1;
		q->sq_family = AF_QIPCRTR;
		q->sq_node = (uint32_t)a;
		q->sq_port = (uint32_t)b;
		*len = sizeof *q;
		return 0;
	}
	}
	err_set(EXC_OSERROR, "%s(): bad family", caller);
	return -1;
}

/* ---- C -> values ---------------------------------------------------------------- */

static value *
tagged(value *v, int family)
{
	return v_with_shape(v, SH_ADDR, family);
}

/* Name of interface index (CPython's SIOCGIFNAME lookup): "" when none. */
static value *
ifname_value(int index)
{
	char name[IF_NAMESIZE];

	if (index == 0 || if_indextoname((unsigned)index, name) == NULL)
		return v_strz("");
	return v_strz(name);
}

/* AF_UNIX: abstract names as bytes, paths as str. */
static value *
unix_value(const struct sockaddr_un *un, socklen_t len)
{
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	if (len <= off)
		return tagged(v_strz(""), AF_UNIX);
	n = len - off;
	if (n > sizeof un->sun_path)
		n = sizeof un->sun_path;
	if (un->sun_path[0] == '\0')
		return tagged(v_bytes(un->sun_path, n), AF_UNIX);
	return tagged(v_str(un->sun_path, strnlen(un->sun_path, n)), AF_UNIX);
}

static value *
can_value(const struct sockaddr_can *can, int proto)
{
	value *name = ifname_value(can->can_ifindex);

	if (proto == CAN_ISOTP)
		return tagged(v_tuple(3, name, v_int(can->can_addr.tp.rx_id),
		    v_int(can->can_addr.tp.tx_id)), AF_CAN);
	if (proto == CAN_J1939) {
		char dec[24];
		value *nm;

		if (can->can_addr.j1939.name > INT64_MAX) {
			snprintf(dec, sizeof dec, "%llu", (unsigned long long)can->can_addr.j1939.name);
			nm = v_bigint(dec);
		} else {
			nm = v_int((int64_t)can->can_addr.j1939.name);
		}
		return tagged(v_tuple(4, name, nm, v_int(can->can_addr.j1939.pgn),
		    v_int(can->can_addr.j1939.addr)), AF_CAN);
	}
	return tagged(v_tuple(1, name), AF_CAN);
}

static value *
tipc_value(const struct sockaddr_tipc *t)
{
	uint32_t a, b, c;

	switch (t->addrtype) {
	case TIPC_ADDR_NAMESEQ:
		a = t->addr.nameseq.type, b = t->addr.nameseq.lower, c = t->addr.nameseq.upper;
		break;
	case TIPC_ADDR_NAME:
		a = t->addr.name.name.type, b = c = t->addr.name.name.instance;
		break;
	case TIPC_ADDR_ID:
		a = t->addr.id.node, b = t->addr.id.ref, c = 0;
		break;
	default:
		err_set(EXC_VALUE, "Invalid address type");
		return NULL;
	}
	return tagged(v_tuple(5, v_int(t->addrtype), v_int(a), v_int(b), v_int(c),
	    v_int((uint32_t)(int32_t)t->scope)), AF_TIPC);
}

value *
addr_to_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	char host[INET6_ADDRSTRLEN];

	if (len == 0)
		return v_none();
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		return tagged(v_tuple(2, v_strz(host), v_int(ntohs(in->sin_port))), AF_INET);
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		return tagged(v_tuple(4, v_strz(host), v_int(ntohs(in6->sin6_port)),
		    v_int(ntohl(in6->sin6_flowinfo)), v_int(in6->sin6_scope_id)), AF_INET6);
	}
	case AF_UNIX:
		return unix_value((const void *)sa, len);
	case AF_NETLINK: {
		const struct sockaddr_nl *nl = (const void *)sa;

		return tagged(v_tuple(2, v_int(nl->nl_pid), v_int(nl->nl_groups)), AF_NETLINK);
	}
	case AF_PACKET: {
		const struct sockaddr_ll *ll = (const void *)sa;
		size_t n = ll->sll_halen < 8 ? ll->sll_halen : 8;

		return tagged(v_tuple(5, ifname_value(ll->sll_ifindex), v_int(ntohs(ll->sll_protocol)),
		    v_int(ll->sll_pkttype), v_int(ll->sll_hatype), v_bytes(ll->sll_addr, n)), AF_PACKET);
	}
	case AF_CAN:
		return can_value((const void *)sa, proto);
	case AF_TIPC:
		return tipc_value((const void *)sa);
	case AF_VSOCK: {
		const struct sockaddr_vm *vm = (const void *)sa;

		return tagged(v_tuple(2, v_int(vm->svm_cid), v_int(vm->svm_port)), AF_VSOCK);
	}
	case AF_QIPCRTR: {
		const struct sockaddr_qrtr *q = (const void *)sa;

		return tagged(v_tuple(2, v_int(q->sq_node), v_int(q->sq_port)), AF_QIPCRTR);
	}
	}
	/* CPython's fallback: (family, sa_data), left untagged */
	return v_tuple(2, v_int(sa->sa_family), v_bytes(sa->sa_data, sizeof sa->sa_data));
}

/* ---- the hidden `sockit __addr FAMILY PROTO VALUE` ---------------------------------- */

value *
addr_roundtrip(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sock s;
	socklen_t len;
	value *fam, *proto, *v, *r = NULL;
	int64_t f, p;
	int big;

	if (argc != 3) {
		err_set(EXC_USAGE, "usage: sockit __addr FAMILY PROTO VALUE");
		return NULL;
	}
	fam = parse_value(argv[0]);
	proto = parse_value(argv[1]);
	v = parse_value(argv[2]);
	if (fam == NULL || proto == NULL || v == NULL || conv_index(fam, &f, &big) < 0 ||
	    conv_index(proto, &p, &big) < 0)
		goto out;
	memset(&s, 0, sizeof s);
	s.family = (int)f;
	s.type = SOCK_RAW;
	s.proto = (int)p;
	/* any socket serves the interface-name ioctls */
	if ((s.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		goto out;
	}
	if (addr_from_value(&s, v, &ss, &len, "bind") == 0)
		r = addr_to_value((struct sockaddr *)&ss, len, s.proto);
	close(s.fd);
out:
	v_decref(fam);
	v_decref(proto);
	v_decref(v);
	return r;
}
