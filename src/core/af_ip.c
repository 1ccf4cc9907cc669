/* af_ip.c - AF_INET, AF_INET6 and AF_RDS addresses. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "core/taskaddr.h"
#include "error.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* CPython's idna_converter: the host of an IP address as C text. */
static int
get_host(const value *v, const char **out)
{
	size_t i;

	if (v->kind != V_STR && v->kind != V_BYTES && v->kind != V_BYTEARRAY) {
		err_set(EXC_TYPE, "str, bytes or bytearray expected, not %s",
		    v_typename(v));
		return -1;
	}
	if (v->kind == V_STR) {
		for (i = 0; i < v->u.s.len; i++)
			if ((unsigned char)v->u.s.p[i] >= 0x80)
				break;
		/* The idna codec cannot encode surrogate escapes (raw bytes
		 * that are not UTF-8); sockit passes other non-ASCII names on
		 * as UTF-8 instead of punycode. */
		if (i < v->u.s.len &&
		    utf8_check(v->u.s.p, v->u.s.len, NULL, NULL) !=
		    v->u.s.len) {
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

/* CPython's setipaddr(): '' is the wildcard, '<broadcast>' and
 * 255.255.255.255 the broadcast address, numeric addresses need no
 * lookup (one with a %scope goes to getaddrinfo). */
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
		r = res->ai_family == AF_INET ? 4 :
		    res->ai_family == AF_INET6 ? 16 : 0;
		if (r == 0 || res->ai_next) {
			err_set(EXC_OSERROR,
			    r ? "wildcard resolved to multiple address" :
			    "unsupported address family");
			freeaddrinfo(res);
			return -1;
		}
		memcpy(sa, res->ai_addr,
		    res->ai_addrlen < size ? res->ai_addrlen : size);
		freeaddrinfo(res);
		return r;
	}
	/* all ones in any byte order */
	if (strcmp(name, "255.255.255.255") == 0 ||
	    strcmp(name, "<broadcast>") == 0) {
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
	    inet_pton(AF_INET, name,
	    &((struct sockaddr_in *)sa)->sin_addr) > 0) {
		sa->sa_family = AF_INET;
		return 4;
	}
	if ((af == AF_UNSPEC || af == AF_INET6) && strchr(name, '%') == NULL &&
	    inet_pton(AF_INET6, name,
	    &((struct sockaddr_in6 *)sa)->sin6_addr) > 0) {
		sa->sa_family = AF_INET6;
		return 16;
	}
	errno = 0;
	if ((e = getaddrinfo(name, NULL, &hints, &res)) != 0) {
		err_gai(e);
		return -1;
	}
	memcpy(sa, res->ai_addr,
	    res->ai_addrlen < size ? res->ai_addrlen : size);
	freeaddrinfo(res);
	if (sa->sa_family == AF_INET)
		return 4;
	if (sa->sa_family == AF_INET6)
		return 16;
	err_set(EXC_OSERROR, "unknown address family");
	return -1;
}

/* The (host, port, ...) head of an IP address: v a tuple of 2 to max
 * items (msg the count's error), its host, and its port as 'i' converts
 * it.  0, -1 with the exception pending, or -2: the port is no C int. */
static int
host_port(const value *v, const char *caller, const char *fam, size_t max,
    const char *msg, const char **host, int *port)
{
	if (sa_need_tuple(v, caller, fam) < 0 ||
	    sa_tuple_count(v, 2, max, msg, NULL) < 0 ||
	    get_host(v->u.seq.items[0], host) < 0)
		return -1;
	return sa_get_int(v->u.seq.items[1], port);
}

/* AF_INET (and AF_RDS) from ('host', port). */
static int
from_inet(const value *v, struct sockaddr_in *in, socklen_t *len,
    const char *caller)
{
	const char *host;
	int port = 0, r;

	if ((r = host_port(v, caller, "AF_INET", 2,
	    "AF_INET address must be a pair (host, port)", &host, &port)) == -1)
		return -1;
	if (r == -2)
		goto badport;
	if (addr_setipaddr(host, (struct sockaddr *)in, sizeof *in,
	    AF_INET) < 0)
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

	if ((r = host_port(v, caller, "AF_INET6", 4, "AF_INET6 address must be "
	    "a tuple (host, port[, flowinfo[, scopeid]])", &host, &port)) == -1)
		return -1;
	if (r == -2)
		goto badport;
	if (v->u.seq.len > 2 && sa_get_mask(v->u.seq.items[2], &flow) < 0)
		return -1;
	if (v->u.seq.len > 3 && sa_get_mask(v->u.seq.items[3], &scope) < 0)
		return -1;
	if (addr_setipaddr(host, (struct sockaddr *)in6, sizeof *in6,
	    AF_INET6) < 0)
		return -1;
	if (port < 0 || port > 0xffff)
		goto badport;
	if ((uint32_t)flow > 0xfffff) {
		err_set(EXC_OVERFLOW, "%s(): flowinfo must be 0-1048575.",
		    caller);
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

static int
ip_from(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	if (s->family == AF_INET6)
		return from_inet6(v, s->family, (struct sockaddr_in6 *)ss, len,
		    caller);
	return from_inet(v, (struct sockaddr_in *)ss, len, caller);
}

/* CPython's (host, port) for AF_INET, (host, port, flowinfo, scope_id)
 * for AF_INET6. */
static value *
ip_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_in *in = (const void *)sa;
	const struct sockaddr_in6 *in6 = (const void *)sa;
	char host[INET6_ADDRSTRLEN];

	(void)len;
	(void)proto;
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		return sa_tagged(v_tuple(2, v_strz(host),
		    v_int(ntohs(in->sin_port))), AF_INET);
	}
	inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
	return sa_tagged(v_tuple(4, v_strz(host), v_int(ntohs(in6->sin6_port)),
	    v_int(ntohl(in6->sin6_flowinfo)), v_int(in6->sin6_scope_id)),
	    AF_INET6);
}

/* ---- the task syntax (SPEC 8) ----------------------------------------- */

/* Parses a decimal port 0-65535 into *out.  Returns 0 or -1. */
static int
port_number(const char *s, size_t n, long *out)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*out = v;
	return 0;
}

/* Checks the PORT part (number, service name, or LO-HI when allowed). */
static int
check_port(const char *text, const char *port, int allow_range)
{
	const char *dash = strchr(port, '-');
	long lo, hi;
	size_t i;

	if (*port == '\0')
		return taskaddr_bad(text, "missing port");
	if (isdigit((unsigned char)*port) && dash && allow_range) {
		if (port_number(port, (size_t)(dash - port), &lo) < 0 ||
		    port_number(dash + 1, strlen(dash + 1), &hi) < 0)
			return taskaddr_bad(text,
			    "port out of range (0-65535)");
		if (lo > hi)
			return taskaddr_bad(text, "empty port range");
		return 0;
	}
	if (isdigit((unsigned char)*port)) {
		for (i = 0; port[i]; i++)
			if (!isdigit((unsigned char)port[i]))
				return taskaddr_bad(text, dash ?
				    "port ranges are only for connect -z" :
				    "bad port number");
		if (port_number(port, strlen(port), &lo) < 0)
			return taskaddr_bad(text,
			    "port out of range (0-65535)");
		return 0;
	}
	for (i = 0; port[i]; i++)
		if (!isalnum((unsigned char)port[i]) && port[i] != '-' &&
		    port[i] != '_' && port[i] != '.')
			return taskaddr_bad(text, "bad port or service name");
	return 0;
}

/* Fills a->ss when the host is a numeric IP address (scope allowed). */
static void
numeric_host(struct taskaddr *a)
{
	struct addrinfo hints, *res = NULL;
	const char *port = a->port;
	int numeric = port && isdigit((unsigned char)*port);

	/* A port range (connect -z) is filled in per port later; a service
	 * name is looked up here (/etc/services: getaddrinfo with a numeric
	 * host asks nothing of DNS).  An unknown one leaves a->len 0, so that
	 * the task resolves HOST:PORT as connect does and reports its
	 * gaierror, instead of binding port 0 (issue 13 D8). */
	if (port == NULL || (numeric && strchr(port, '-')))
		port = "0";
	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST | (numeric ? AI_NUMERICSERV : 0);
	hints.ai_socktype = a->type;
	if (*a->host == '\0' || getaddrinfo(a->host, port, &hints, &res) != 0)
		return;
	if (res->ai_addrlen <= sizeof a->ss) {
		memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
		a->len = res->ai_addrlen;
		a->family = res->ai_family;
	}
	freeaddrinfo(res);
}

/* HOST:PORT, [V6]:PORT, [V6%scope]:PORT after an IP prefix. */
static int
ip_task_parse(const char *text, const char *s, struct taskaddr *a,
    int allow_range, int only)
{
	const char *colon;
	struct in6_addr tmp;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL)
			return taskaddr_bad(text, "missing ']'");
		if (close[1] != ':')
			return taskaddr_bad(text,
			    close[1] ? "expected ':' after ']'" :
			    "missing port");
		a->host = xmemdup(s + 1, (size_t)(close - s - 1));
		if (strchr(a->host, ':') == NULL)
			return taskaddr_bad(text,
			    "brackets are for IPv6 addresses");
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return taskaddr_bad(text, "missing port (HOST:PORT)");
		a->host = xmemdup(s, (size_t)(colon - s));
		if (strchr(a->host, ':')) {
			char *pct = strchr(a->host, '%');
			size_t n = pct ? (size_t)(pct - a->host) :
			    strlen(a->host);
			char *h = xmemdup(a->host, n);
			int v6 = inet_pton(AF_INET6, h, &tmp) == 1;

			free(h);
			if (v6 || strchr(s, ':') != strrchr(s, ':'))
				return taskaddr_bad(text, v6 ?
				    "an IPv6 address needs brackets: "
				    "[ADDR]:PORT" :
				    "unknown prefix or IPv6 address without brackets");
		}
	}
	a->port = xstrdup(colon + 1);
	if (check_port(text, a->port, allow_range) < 0)
		return -1;
	if (strchr(a->host, '%') && strchr(a->host, ':') == NULL)
		return taskaddr_bad(text,
		    "a %scope is for IPv6 link-local addresses");
	numeric_host(a);
	if (a->len && only != AF_UNSPEC && a->family != only)
		return taskaddr_bad(text,
		    only == AF_INET ? "not an IPv4 address (-4 given)" :
		    "not an IPv6 address (-6 given)");
	return 0;
}

/* The IP prefixes: the host decides between AF_INET and AF_INET6. */
static const struct task_prefix ip_prefixes[] = {
	{ "tcp", SOCK_STREAM, IPPROTO_TCP },
	{ "udp", SOCK_DGRAM, IPPROTO_UDP },
	{ "udplite", SOCK_DGRAM, IPPROTO_UDPLITE },
	{ "mptcp", SOCK_STREAM, IPPROTO_MPTCP },
	{ "sctp", SOCK_STREAM, IPPROTO_SCTP },
	{ NULL, 0, 0 }
};

/* --exec's numeric host and port. */
static void
ip_env_form(const struct sockaddr *sa, socklen_t len, char *host,
    size_t hostsz, char *port, size_t portsz)
{
	if (getnameinfo(sa, len, host, (socklen_t)hostsz, port,
	    (socklen_t)portsz, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		host[0] = port[0] = '\0';
}

/* One row each for the two families of the one syntax (the prefixes are
 * AF_INET's: taskaddr.c's lookups ask it for both). */
const struct family family_inet = {
	.af = AF_INET, .name = "AF_INET", .json_keys = "host port",
	.to_value = ip_value, .from_value = ip_from,
	.task_prefixes = ip_prefixes, .task_parse = ip_task_parse,
	.env_form = ip_env_form
};
const struct family family_inet6 = {
	.af = AF_INET6, .name = "AF_INET6",
	.json_keys = "host port flowinfo scope_id",
	.to_value = ip_value, .from_value = ip_from,
	.task_parse = ip_task_parse, .env_form = ip_env_form
};
/* AF_RDS takes AF_INET's address form; CPython gives no form back */
const struct family family_rds = {
	.af = AF_RDS, .name = "AF_RDS", .from_value = ip_from
};
