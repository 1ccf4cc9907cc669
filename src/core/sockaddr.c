/* sockaddr.c - socket addresses <-> values for every family: CPython's
 * makesockaddr() and getsockaddrarg(), dispatched through the family table
 * (family.h, core/af_*.c), and the conversions the family files share. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/sockaddr.h"
#include "core/family.h"
#include "core/conv.h"
#include "core/sock.h"
#include "error.h"
#include "parse.h"

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

int
sa_get_mask(const value *v, uint64_t *out)
{
	int64_t i;
	int big;

	if (conv_index(v, &i, &big) < 0)
		return -1;
	*out = int_mask(v);
	return 0;
}

int
sa_get_int(const value *v, int *out)
{
	int64_t i;
	int big;

	if (conv_index(v, &i, &big) < 0)
		return -1;
	if (big || i > INT_MAX || i < INT_MIN) {
		if (big ? v->u.n.big[0] == '-' : i < 0)
			err_set(EXC_OVERFLOW,
			    "signed integer is less than minimum");
		else
			err_set(EXC_OVERFLOW,
			    "signed integer is greater than maximum");
		return -2;
	}
	*out = (int)i;
	return 0;
}

int
sa_get_k(const value *v, uint64_t *out, const char *fname, int argn,
    const char *msg)
{
	if (v->kind != V_INT && v->kind != V_BOOL && v->kind != V_ENUM) {
		if (msg)
			err_set(EXC_TYPE, "%s", msg);
		else
			err_set(EXC_TYPE, "%s%sargument %d must be int, not %s",
			    fname ? fname : "", fname ? "() " : "", argn,
			    v_typename(v));
		return -1;
	}
	*out = int_mask(v);
	return 0;
}

int
sa_tuple_count(const value *t, size_t min, size_t max, const char *msg,
    const char *fname)
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

int
sa_need_tuple(const value *v, const char *caller, const char *fam)
{
	if (v->kind == V_TUPLE)
		return 0;
	err_set(EXC_TYPE, "%s(): %s address must be tuple, not %s", caller, fam,
	    v_typename(v));
	return -1;
}

int
sa_get_s(const value *v, const char **out, const char *msg)
{
	if (v->kind != V_STR) {
		if (msg)
			err_set(EXC_TYPE, "%s", msg);
		else
			err_set(EXC_TYPE, "argument must be str, not %s",
			    v_typename(v));
		return -1;
	}
	if (strlen(v->u.s.p) != v->u.s.len) {
		err_set(EXC_VALUE, "embedded null character");
		return -1;
	}
	*out = v->u.s.p;
	return 0;
}

/* Two masked unsigned ints (format "II:getsockaddrarg"). */
static int
sa_two_uints(const value *v, const char *caller, const char *fam, uint64_t *a,
    uint64_t *b)
{
	if (sa_need_tuple(v, caller, fam) < 0 ||
	    sa_tuple_count(v, 2, 2, NULL, "getsockaddrarg") < 0 ||
	    sa_get_mask(v->u.seq.items[0], a) < 0 ||
	    sa_get_mask(v->u.seq.items[1], b) < 0)
		return -1;
	return 0;
}

/* v as a sockaddr of pair row f, the rest of it zeroed; 0, or -1 with the
 * exception pending. */
static int
sa_pair_from(const value *v, const char *caller, const struct family *f,
    struct sockaddr_storage *ss, socklen_t *len, const struct sa_pair *pair)
{
	uint64_t a, b;
	uint32_t a32, b32;

	if (sa_two_uints(v, caller, f->name, &a, &b) < 0)
		return -1;
	a32 = (uint32_t)a;
	b32 = (uint32_t)b;
	memset(ss, 0, pair->size);
	ss->ss_family = (sa_family_t)f->af;
	memcpy((char *)ss + pair->off_a, &a32, sizeof a32);
	memcpy((char *)ss + pair->off_b, &b32, sizeof b32);
	*len = pair->size;
	return 0;
}

/* ---- C -> values --------------------------------------------------------- */

/* The two fields of a pair row's sockaddr as CPython's (a, b). */
static value *
sa_pair_value(const struct sockaddr *sa, int af, const struct sa_pair *pair)
{
	uint32_t a, b;

	memcpy(&a, (const char *)sa + pair->off_a, sizeof a);
	memcpy(&b, (const char *)sa + pair->off_b, sizeof b);
	return sa_tagged(v_tuple(2, v_int(a), v_int(b)), af);
}

value *
sa_tagged(value *v, int family)
{
	return v_with_shape(v, SH_ADDR, family);
}

value *
sa_ifname_value(int index)
{
	char name[IF_NAMESIZE];

	if (index == 0 || if_indextoname((unsigned)index, name) == NULL)
		return v_strz("");
	return v_strz(name);
}

int
sa_ifindex_of(int fd, const char *name, int *index)
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

/* ---- the dispatch -------------------------------------------------------- */

int
addr_from_value(const struct sock *s, const value *v,
    struct sockaddr_storage *ss, socklen_t *len, const char *caller)
{
	const struct family *f = family_find(s->family);

	memset(ss, 0, sizeof *ss);
	if (f && f->from_value)
		return f->from_value(s, v, ss, len, caller);
	if (f && f->pair)
		return sa_pair_from(v, caller, f, ss, len, f->pair);
	err_set(EXC_OSERROR, "%s(): bad family", caller);
	return -1;
}

value *
addr_to_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct family *f;

	if (len == 0)
		return v_none();
	if ((f = family_find(sa->sa_family)) != NULL && f->to_value)
		return f->to_value(sa, len, proto);
	if (f && f->pair)
		return sa_pair_value(sa, f->af, f->pair);
	/* CPython's fallback: (family, sa_data), left untagged */
	return v_tuple(2, v_int(sa->sa_family),
	    v_bytes(sa->sa_data, sizeof sa->sa_data));
}

/* ---- the hidden `sockit __addr FAMILY PROTO VALUE` ----------------------- */

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
	if (fam == NULL || proto == NULL || v == NULL ||
	    conv_index(fam, &f, &big) < 0 ||
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
