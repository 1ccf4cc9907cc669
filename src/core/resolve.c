/* resolve.c - the name-service functions of the socket module (getaddrinfo,
 * getnameinfo, gethostby*, getserv*, getprotobyname, host names, interface
 * names) and the argument converters they share with netfuncs.c, with
 * CPython 3.11's argument checking, results and wording. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "core/sockaddr.h"
#include "core/consts.h"
#include "core/conv.h"
#include "core/resolve.h"
#include "emit.h"
#include "error.h"

/* ---- text ---------------------------------------------------------------- */

int resolve_family = AF_UNSPEC;

static int
is_surrogate(unsigned cp)
{
	return cp >= 0xd800 && cp <= 0xdfff;
}

/* Position (in code points) and length of the first run of surrogates in
 * s, or -1 when there is none; *first is its first code point. */
static long
surrogate_run(const char *s, size_t n, long *runlen, unsigned *first)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	long pos = 0, start = -1;
	unsigned cp;

	*runlen = 0;
	while (i < n) {
		i += str_next_cp((const char *)p + i, n - i, &cp);
		if (is_surrogate(cp)) {
			if (start < 0) {
				start = pos;
				*first = cp;
			}
			++*runlen;
		} else if (start >= 0) {
			break;
		}
		pos++;
	}
	return start;
}

/* UTF-8 encoding check of a str (UnicodeEncodeError for surrogates). */
static int
str_check_utf8(const value *v)
{
	long run, pos;
	unsigned first = 0;

	if ((pos = surrogate_run(v->u.s.p, v->u.s.len, &run, &first)) < 0)
		return 0;
	if (run == 1)
		err_set(EXC_UNICODE_ENCODE,
		    "'utf-8' codec can't encode character '\\u%04x' in "
		    "position %ld: surrogates not allowed", first, pos);
	else
		err_set(EXC_UNICODE_ENCODE,
		    "'utf-8' codec can't encode characters in position "
		    "%ld-%ld: surrogates not allowed", pos, pos + run - 1);
	return -1;
}

/* The type name as PyArg_Parse's messages print it ("None" for None). */
static const char *
argtype(const value *v)
{
	return v->kind == V_NONE ? "None" : v_typename(v);
}

int
arg_str(const value *v, const char *fname, int argn, const char **out)
{
	if (v->kind != V_STR) {
		err_set(EXC_TYPE, "%s() argument %d must be str, not %s", fname,
		    argn, argtype(v));
		return -1;
	}
	if (str_check_utf8(v) < 0)
		return -1;
	if (strlen(v->u.s.p) != v->u.s.len) {
		err_set(EXC_VALUE, "embedded null character");
		return -1;
	}
	*out = v->u.s.p;
	return 0;
}

/* ---- IDNA ---------------------------------------------------------------- */

static void
idna_error(const char *msg)
{
	err_set(EXC_UNICODE,
	    "encoding with 'idna' codec failed (UnicodeError: %s)", msg);
}

/* The ASCII fast path of the idna codec: labels of 1..63 bytes, the last
 * one may be empty. */
static int
idna_ascii(const char *s, size_t n)
{
	size_t start = 0, i;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == n) {
			if (i - start >= 64) {
				idna_error("label too long");
				return -1;
			}
		} else if (i == start || i - start >= 64) {
			idna_error("label empty or too long");
			return -1;
		}
		start = i + 1;
	}
	return 0;
}

static int
is_idna_dot(unsigned cp)
{
	return cp == '.' || cp == 0x3002 || cp == 0xff0e || cp == 0xff61;
}

/* The general path: ToASCII per label.  sockit has no nameprep tables, so a
 * label with non-ASCII characters is refused, with CPython's message where
 * it is known (surrogates). */
static int
idna_general(const char *s, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0;

	while (start < n) {
		size_t end = start, k;
		int ascii = 1;
		unsigned cp, bad = 0;
		long len = 0;

		while (end < n) {
			k = str_next_cp((const char *)p + end, n - end, &cp);
			if (is_idna_dot(cp))
				break;
			if (cp >= 0x80)
				ascii = 0;
			if (is_surrogate(cp) && !bad)
				bad = cp;
			end += k;
			len++;
		}
		i = end < n ? end + str_next_cp((const char *)p + end, n - end,
		    &cp) : n;
		if (ascii) {
			if (len == 0 || len >= 64) {
				idna_error("label empty or too long");
				return -1;
			}
			if (out->len)
				buf_putc(out, '.');
			buf_put(out, s + start, end - start);
		} else if (bad) {
			char msg[64];

			snprintf(msg, sizeof msg, "Invalid character '\\u%04x'",
			    bad);
			idna_error(msg);
			return -1;
		} else {
			err_set(EXC_UNICODE,
			    "encoding with 'idna' codec failed (UnicodeError: "
			    "non-ASCII label '%.*s' needs nameprep, "
			    "which sockit does not do; give its xn-- form)",
			    (int)(end - start), s + start);
			return -1;
		}
		if (i == n && end < n)	/* a trailing dot */
			buf_putc(out, '.');
		start = i;
	}
	return 0;
}

/* The idna codec's encode() of the str v as getaddrinfo() and the "et"
 * converters use it: *out is malloc'd and NUL-terminated, *outlen bytes
 * long (UnicodeError on failure). */
static int
idna_encode(const value *v, char **out, size_t *outlen)
{
	const char *s = v->u.s.p;
	size_t n = v->u.s.len, i;
	struct buf b = { 0 };

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	if (i == n) {
		if (n && idna_ascii(s, n) < 0)
			return -1;
		*out = xmemdup(s, n);
		*outlen = n;
		return 0;
	}
	if (idna_general(s, n, &b) < 0) {
		free(b.p);
		return -1;
	}
	buf_put(&b, "", 0);
	*outlen = b.len;
	*out = buf_cstr(&b);
	return 0;
}

/* PyArg_ParseTuple "et" with "idna": str (IDNA-encoded), bytes or bytearray,
 * without NUL; *out is malloc'd. */
static int
arg_host(const value *v, const char *fname, char **out)
{
	char *s;
	size_t n;

	if (v->kind == V_STR) {
		if (idna_encode(v, &s, &n) < 0)
			return -1;
	} else if (v->kind == V_BYTES || v->kind == V_BYTEARRAY) {
		s = xmemdup(v->u.s.p, v->u.s.len);
		n = v->u.s.len;
	} else {
		err_set(EXC_TYPE,
		    "%s() argument 1 must be str, bytes or bytearray, not %s",
		    fname, argtype(v));
		return -1;
	}
	if (strlen(s) != n) {
		free(s);
		err_set(EXC_TYPE, "%s() argument 1 must be encoded string without null bytes, "
		    "not %s", fname, v_typename(v));
		return -1;
	}
	*out = s;
	return 0;
}

/* ---- getaddrinfo / getnameinfo ------------------------------------------- */

/* The port of getaddrinfo as text in *out (malloc'd; NULL for None). */
static int
gai_port(const value *v, char **out)
{
	struct buf b = { 0 };

	*out = NULL;
	switch (v->kind) {
	case V_INT:	/* exactly int: bool and enums are refused below */
		if (v->u.n.big) {
			err_set(EXC_OVERFLOW,
			    "Python int too large to convert to C long");
			return -1;
		}
		buf_printf(&b, "%lld", (long long)v->u.n.i);
		*out = buf_cstr(&b);
		return 0;
	case V_STR:
		if (str_check_utf8(v) < 0)
			return -1;
		/* FALLTHROUGH */
	case V_BYTES:
		*out = xstrdup(v->u.s.p);
		return 0;
	case V_NONE:
		return 0;
	default:
		err_set(EXC_OSERROR, "Int or String expected");
		return -1;
	}
}

/* One getaddrinfo result as CPython's socket.getaddrinfo() gives it. */
static value *
ai_entry(const struct addrinfo *ai, int proto)
{
	value *sa = addr_to_value(ai->ai_addr, ai->ai_addrlen, proto);

	if (sa == NULL)
		return NULL;
	return v_with_shape(v_tuple(5,
	    enum_or_int(EC_ADDRESSFAMILY, ai->ai_family),
	    enum_or_int(EC_SOCKETKIND, ai->ai_socktype), v_int(ai->ai_protocol),
	    v_strz(ai->ai_canonname ? ai->ai_canonname : ""), sa), SH_AI_ENTRY,
	    0);
}

value *
fn_getaddrinfo(struct call *c)
{
	static const char *const names[] = { "host", "port", "family", "type",
	    "proto", "flags", NULL };
	value *a[6], *list = NULL;
	int nums[4] = { 0, 0, 0, 0 }, i, r;
	char *host = NULL, *port = NULL;
	struct addrinfo hints, *res = NULL, *ai;

	if (call_bind(c, ARGS_PYDEF, "getaddrinfo", names, 6, 2, a) < 0)
		return NULL;
	for (i = 0; i < 4; i++)
		if (a[2 + i] && arg_int(a[2 + i], &nums[i]) < 0)
			return NULL;
	if (a[0]->kind == V_STR) {
		size_t n;

		if (idna_encode(a[0], &host, &n) < 0)
			return NULL;
	} else if (a[0]->kind == V_BYTES) {
		host = xstrdup(a[0]->u.s.p);
	} else if (a[0]->kind != V_NONE) {
		err_set(EXC_TYPE,
		    "getaddrinfo() argument 1 must be string or None");
		return NULL;
	}
	if (gai_port(a[1], &port) < 0)
		goto out;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = nums[0] == AF_UNSPEC ? resolve_family : nums[0];
	hints.ai_socktype = nums[1];
	hints.ai_protocol = nums[2];
	hints.ai_flags = nums[3];
	errno = 0;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		err_gai(r);
		goto out;
	}
	list = v_list_new();
	for (ai = res; ai; ai = ai->ai_next) {
		value *e = ai_entry(ai, nums[2]);

		if (e == NULL) {
			v_decref(list);
			list = NULL;
			break;
		}
		v_append(list, e);
	}
	freeaddrinfo(res);
out:
	free(host);
	free(port);
	return list;
}

/* The (host, port[, flowinfo[, scope_id]]) tuple of getnameinfo. */
struct ni_addr {
	const char *host;
	int port;
	unsigned flowinfo, scope_id;
	size_t len;
};

static int
ni_parse(const value *sa, struct ni_addr *na)
{
	const char *msg = "getnameinfo(): illegal sockaddr argument";
	value **it = sa->u.seq.items;

	na->len = sa->u.seq.len;
	na->flowinfo = na->scope_id = 0;
	if (na->len < 2 || na->len > 4 || it[0]->kind != V_STR) {
		err_set(EXC_TYPE, "%s", msg);
		return -1;
	}
	if (str_check_utf8(it[0]) < 0)
		return -1;
	if (strlen(it[0]->u.s.p) != it[0]->u.s.len) {
		err_set(EXC_VALUE, "embedded null character");
		return -1;
	}
	na->host = it[0]->u.s.p;
	if (arg_int(it[1], &na->port) < 0 ||
	    (na->len > 2 && arg_uint_mask(it[2], &na->flowinfo) < 0) ||
	    (na->len > 3 && arg_uint_mask(it[3], &na->scope_id) < 0))
		return -1;
	if (na->flowinfo > 0xfffff) {
		err_set(EXC_OVERFLOW,
		    "getnameinfo(): flowinfo must be 0-1048575.");
		return -1;
	}
	return 0;
}

value *
fn_getnameinfo(struct call *c)
{
	static const char *const names[] = { "sockaddr", "flags", NULL };
	value *a[2];
	struct ni_addr na;
	struct addrinfo hints, *res = NULL;
	char pbuf[32], host[NI_MAXHOST], serv[NI_MAXSERV];
	int flags, r;
	value *v = NULL;

	if (call_bind(c, ARGS_TUPLE, "getnameinfo", names, 2, 2, a) < 0 ||
	    arg_int(a[1], &flags) < 0)
		return NULL;
	if (a[0]->kind != V_TUPLE) {
		err_set(EXC_TYPE, "getnameinfo() argument 1 must be a tuple");
		return NULL;
	}
	if (ni_parse(a[0], &na) < 0)
		return NULL;
	snprintf(pbuf, sizeof pbuf, "%d", na.port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST;
	errno = 0;
	if ((r = getaddrinfo(na.host, pbuf, &hints, &res)) != 0) {
		err_gai(r);
		return NULL;
	}
	if (res->ai_next) {
		err_set(EXC_OSERROR, "sockaddr resolved to multiple addresses");
		goto out;
	}
	if (res->ai_family == AF_INET && na.len != 2) {
		err_set(EXC_OSERROR, "IPv4 sockaddr must be 2 tuple");
		goto out;
	}
	if (res->ai_family == AF_INET6) {
		struct sockaddr_in6 *in6 =
		    (struct sockaddr_in6 *)(void *)res->ai_addr;

		in6->sin6_flowinfo = htonl(na.flowinfo);
		in6->sin6_scope_id = na.scope_id;
	}
	errno = 0;
	r = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, serv,
	    sizeof serv, flags);
	if (r != 0) {
		err_gai(r);
		goto out;
	}
	v = v_with_shape(v_tuple(2, v_strz(host), v_strz(serv)), SH_NAMEINFO,
	    0);
out:
	freeaddrinfo(res);
	return v;
}

/* ---- gethostby* ---------------------------------------------------------- */

/* The (hostname, aliaslist, ipaddrlist) tuple of h (CPython's
 * gethost_common); herr is the resolver's h_errno when h is NULL. */
static value *
hostent_value(const struct hostent *h, int herr, int af)
{
	value *aliases, *addrs;
	char **pp, text[INET6_ADDRSTRLEN];

	if (h == NULL) {
		err_herror(herr);
		return NULL;
	}
	if (h->h_addrtype != af) {
		err_errno(EAFNOSUPPORT);
		return NULL;
	}
	aliases = v_list_new();
	for (pp = h->h_aliases; pp && *pp; pp++)
		v_append(aliases, v_strz(*pp));
	addrs = v_list_new();
	for (pp = h->h_addr_list; *pp; pp++) {
		inet_ntop(af, *pp, text, sizeof text);
		v_append(addrs, v_strz(text));
	}
	return v_with_shape(v_tuple(3, v_strz(h->h_name), aliases, addrs),
	    SH_HOSTENT, 0);
}

/* Calls gethostbyname_r (addr NULL) or gethostbyaddr_r with a buffer that
 * grows as needed, and builds the hostent value. */
static value *
hostent_lookup(const char *name, const void *addr, socklen_t alen, int af)
{
	struct hostent he, *h = NULL;
	size_t size = 8192;
	char *buf = NULL;
	int herr = 0, r;
	value *v;

	for (;;) {
		buf = xrealloc(buf, size);
		if (addr)
			r = gethostbyaddr_r(addr, alen, af, &he, buf, size, &h,
			    &herr);
		else
			r = gethostbyname_r(name, &he, buf, size, &h, &herr);
		if (r != ERANGE || size >= (1u << 24))
			break;
		size *= 2;
	}
	/* As CPython's gethost_common, the error is the thread's h_errno, not
	 * the one the _r call stores in herr: nss may set only the latter
	 * (gethostbyname_ex('<broadcast>') is herror 0 in CPython). */
	v = hostent_value(h, h_errno, af);
	free(buf);
	return v;
}

/* One "et"-converted host argument, the only one of the call. */
static int
one_host(struct call *c, const char *fname, char **host)
{
	static const char *const names[] = { "hostname", NULL };
	value *a[1];

	if (call_bind(c, ARGS_TUPLE, fname, names, 1, 1, a) < 0)
		return -1;
	return arg_host(a[0], fname, host);
}

value *
fn_gethostbyname(struct call *c)
{
	struct sockaddr_storage ss;
	char *host, text[INET_ADDRSTRLEN];
	int r;

	if (one_host(c, "gethostbyname", &host) < 0)
		return NULL;
	r = addr_setipaddr(host, (struct sockaddr *)&ss, sizeof ss, AF_INET);
	free(host);
	if (r < 0)
		return NULL;
	inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, text,
	    sizeof text);
	return v_strz(text);
}

value *
fn_gethostbyname_ex(struct call *c)
{
	struct sockaddr_storage ss;
	char *host;
	value *v = NULL;

	if (one_host(c, "gethostbyname_ex", &host) < 0)
		return NULL;
	if (addr_setipaddr(host, (struct sockaddr *)&ss, sizeof ss,
	    AF_INET) >= 0)
		v = hostent_lookup(host, NULL, 0, ss.ss_family);
	free(host);
	return v;
}

value *
fn_gethostbyaddr(struct call *c)
{
	struct sockaddr_storage ss;
	char *host;
	int r;

	if (one_host(c, "gethostbyaddr", &host) < 0)
		return NULL;
	r = addr_setipaddr(host, (struct sockaddr *)&ss, sizeof ss, AF_UNSPEC);
	free(host);
	if (r < 0)
		return NULL;
	if (ss.ss_family == AF_INET)
		return hostent_lookup(NULL,
		    &((struct sockaddr_in *)&ss)->sin_addr,
		    sizeof(struct in_addr), AF_INET);
	return hostent_lookup(NULL, &((struct sockaddr_in6 *)&ss)->sin6_addr,
	    sizeof(struct in6_addr), AF_INET6);
}

/* gethostname() as a str; NULL with OSError pending. */
static value *
host_name(void)
{
	char buf[1024];

	if (gethostname(buf, sizeof buf - 1) < 0) {
		err_errno(errno);
		return NULL;
	}
	buf[sizeof buf - 1] = '\0';
	return v_strz(buf);
}

value *
fn_gethostname(struct call *c)
{
	static const char *const names[] = { NULL };
	value *a[1];

	if (call_bind(c, ARGS_NOARGS, "_socket.gethostname", names, 0, 0,
	    a) < 0)
		return NULL;
	return host_name();
}

value *
fn_sethostname(struct call *c)
{
	static const char *const names[] = { "name", NULL };
	value *a[1];
	const char *name;

	if (call_bind(c, ARGS_TUPLE, "sethostname", names, 1, 1, a) < 0)
		return NULL;
	if (a[0]->kind == V_BYTES)	/* "S": taken as it is */
		name = a[0]->u.s.p;
	else if (arg_fspath(a[0], &name, NULL) < 0)
		return NULL;
	if (sethostname(name, a[0]->u.s.len) < 0) {
		err_errno(errno);
		return NULL;
	}
	return v_none();
}

/* ---- getfqdn (a def in socket.py) ---------------------------------------- */

static int
is_py_space(unsigned cp, int is_str)
{
	if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
		return 1;
	if (!is_str)
		return 0;
	return (cp >= 0x1c && cp <= 0x1f) || cp == 0x85 || cp == 0xa0 ||
	    cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* name.strip() for str, bytes and bytearray. */
static value *
py_strip(const value *v)
{
	const unsigned char *p = (const unsigned char *)v->u.s.p;
	size_t n = v->u.s.len, i = 0, start = 0, end = 0;
	int is_str = v->kind == V_STR, seen = 0;

	while (i < n) {
		unsigned cp;
		size_t k = is_str ? str_next_cp((const char *)p + i, n - i,
		    &cp) : (cp = p[i], 1);

		if (!is_py_space(cp, is_str)) {
			if (!seen)
				start = i;
			seen = 1;
			end = i + k;
		}
		i += k;
	}
	if (v->kind == V_STR)
		return v_str(v->u.s.p + start, end - start);
	if (v->kind == V_BYTES)
		return v_bytes(v->u.s.p + start, end - start);
	return v_bytearray(v->u.s.p + start, end - start);
}

/* First name of (hostname, aliases...) that contains a dot, else hostname. */
static value *
fqdn_pick(value *he)
{
	value *hostname = he->u.seq.items[0], *aliases = he->u.seq.items[1];
	size_t i;

	if (memchr(hostname->u.s.p, '.', hostname->u.s.len))
		return v_incref(hostname);
	for (i = 0; i < aliases->u.seq.len; i++) {
		value *a = aliases->u.seq.items[i];

		if (memchr(a->u.s.p, '.', a->u.s.len))
			return v_incref(a);
	}
	return v_incref(hostname);
}

value *
fn_getfqdn(struct call *c)
{
	static const char *const names[] = { "name", NULL };
	value *a[1], *name, *he, *r;
	struct call sub = { "gethostbyaddr", NULL, 1, NULL, NULL, 0 };

	if (call_bind(c, ARGS_PYDEF, "getfqdn", names, 1, 0, a) < 0)
		return NULL;
	if (a[0] == NULL)
		name = v_strz("");
	else if (a[0]->kind == V_STR || a[0]->kind == V_BYTES ||
	    a[0]->kind == V_BYTEARRAY)
		name = py_strip(a[0]);
	else {
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute 'strip'",
		    v_typename(a[0]));
		return NULL;
	}
	if (name->u.s.len == 0 || (name->kind == V_STR &&
	    (strcmp(name->u.s.p, "0.0.0.0") == 0 ||
	    strcmp(name->u.s.p, "::") == 0))) {
		v_decref(name);
		if ((name = host_name()) == NULL)
			return NULL;
	}
	sub.args = &name;
	if ((he = fn_gethostbyaddr(&sub)) == NULL) {
		if (!exc_is(err_class(), EXC_OSERROR)) {
			v_decref(name);
			return NULL;
		}
		err_clear();
		return name;
	}
	r = fqdn_pick(he);
	v_decref(he);
	v_decref(name);
	return r;
}

/* ---- services and protocols ---------------------------------------------- */

value *
fn_getservbyname(struct call *c)
{
	static const char *const names[] = { "servicename", "protocolname",
	    NULL };
	value *a[2];
	const char *name, *proto = NULL;
	struct servent *se;

	if (call_bind(c, ARGS_TUPLE, "getservbyname", names, 2, 1, a) < 0 ||
	    arg_str(a[0], "getservbyname", 1, &name) < 0 ||
	    (a[1] && arg_str(a[1], "getservbyname", 2, &proto) < 0))
		return NULL;
	if ((se = getservbyname(name, proto)) == NULL) {
		err_set(EXC_OSERROR, "service/proto not found");
		return NULL;
	}
	return v_int(ntohs((uint16_t)se->s_port));
}

value *
fn_getservbyport(struct call *c)
{
	static const char *const names[] = { "port", "protocolname", NULL };
	value *a[2];
	const char *proto = NULL;
	struct servent *se;
	int port;

	if (call_bind(c, ARGS_TUPLE, "getservbyport", names, 2, 1, a) < 0 ||
	    arg_int(a[0], &port) < 0 ||
	    (a[1] && arg_str(a[1], "getservbyport", 2, &proto) < 0))
		return NULL;
	if (port < 0 || port > 0xffff) {
		err_set(EXC_OVERFLOW, "getservbyport: port must be 0-65535.");
		return NULL;
	}
	if ((se = getservbyport(htons((uint16_t)port), proto)) == NULL) {
		err_set(EXC_OSERROR, "port/proto not found");
		return NULL;
	}
	return v_strz(se->s_name);
}

value *
fn_getprotobyname(struct call *c)
{
	static const char *const names[] = { "protocolname", NULL };
	value *a[1];
	const char *name;
	struct protoent *pe;

	if (call_bind(c, ARGS_TUPLE, "getprotobyname", names, 1, 1, a) < 0 ||
	    arg_str(a[0], "getprotobyname", 1, &name) < 0)
		return NULL;
	if ((pe = getprotobyname(name)) == NULL) {
		err_set(EXC_OSERROR, "protocol not found");
		return NULL;
	}
	return v_int(pe->p_proto);
}

/* ---- interfaces ---------------------------------------------------------- */

value *
fn_if_nameindex(struct call *c)
{
	static const char *const names[] = { NULL };
	value *a[1], *list;
	struct if_nameindex *ni, *p;

	if (call_bind(c, ARGS_NOARGS, "_socket.if_nameindex", names, 0, 0,
	    a) < 0)
		return NULL;
	if ((ni = if_nameindex()) == NULL) {
		err_errno(errno);
		return NULL;
	}
	list = v_list_new();
	for (p = ni; p->if_index != 0; p++)
		v_append(list, v_with_shape(v_tuple(2, v_int(p->if_index),
		    v_strz(p->if_name)), SH_NAMEINDEX, 0));
	if_freenameindex(ni);
	return list;
}

value *
fn_if_nametoindex(struct call *c)
{
	static const char *const names[] = { "if_name", NULL };
	value *a[1];
	const char *name;
	unsigned idx;

	if (call_bind(c, ARGS_TUPLE, "if_nametoindex", names, 1, 1, a) < 0 ||
	    arg_fspath(a[0], &name, NULL) < 0)
		return NULL;
	if ((idx = if_nametoindex(name)) == 0) {
		err_set(EXC_OSERROR, "no interface with this name");
		return NULL;
	}
	return v_int(idx);
}

value *
fn_if_indextoname(struct call *c)
{
	static const char *const names[] = { "if_index", NULL };
	value *a[1];
	char name[IF_NAMESIZE + 1];
	uint64_t idx;

	if (call_bind(c, ARGS_METH_O, "_socket.if_indextoname", names, 1, 1,
	    a) < 0)
		return NULL;
	if (!v_is_int(a[0])) {
		err_set(EXC_TYPE, "an integer is required");
		return NULL;
	}
	if (arg_ulong(a[0], &idx) < 0)
		return NULL;
	if (if_indextoname((unsigned)idx, name) == NULL) {
		err_errno(errno);
		return NULL;
	}
	return v_strz(name);
}
