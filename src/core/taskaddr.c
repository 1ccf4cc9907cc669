/* taskaddr.c - the ADDRESS syntax of the task commands and their -o option
 * (SPEC section 8). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <linux/can.h>
#include <linux/vm_sockets.h>

#include "core/sockaddr.h"
#include "core/taskaddr.h"
#include "core/consts.h"
#include "error.h"
#include "parse.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

struct prefix {
	const char *name;
	int family, type, proto;
};

static const struct prefix prefixes[] = {
	{ "tcp", AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP },
	{ "udp", AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP },
	{ "udplite", AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDPLITE },
	{ "mptcp", AF_UNSPEC, SOCK_STREAM, IPPROTO_MPTCP },
	{ "sctp", AF_UNSPEC, SOCK_STREAM, IPPROTO_SCTP },
	{ "unix", AF_UNIX, SOCK_STREAM, 0 },
	{ "unix-dgram", AF_UNIX, SOCK_DGRAM, 0 },
	{ "unix-seqpacket", AF_UNIX, SOCK_SEQPACKET, 0 },
	{ "vsock", AF_VSOCK, SOCK_STREAM, 0 },
	{ "can", AF_CAN, SOCK_RAW, CAN_RAW },
	{ NULL, 0, 0, 0 }
};

/* Sets the usage exception for a bad ADDRESS; always returns -1. */
static int
bad(const char *text, const char *why)
{
	usage_error(NULL, "bad address '%s': %s", text, why);
	return -1;
}

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
		return bad(text, "missing port");
	if (isdigit((unsigned char)*port) && dash && allow_range) {
		if (port_number(port, (size_t)(dash - port), &lo) < 0 ||
		    port_number(dash + 1, strlen(dash + 1), &hi) < 0)
			return bad(text, "port out of range (0-65535)");
		if (lo > hi)
			return bad(text, "empty port range");
		return 0;
	}
	if (isdigit((unsigned char)*port)) {
		for (i = 0; port[i]; i++)
			if (!isdigit((unsigned char)port[i]))
				return bad(text, dash ? "port ranges are only for connect -z" : "bad port number");
		if (port_number(port, strlen(port), &lo) < 0)
			return bad(text, "port out of range (0-65535)");
		return 0;
	}
	for (i = 0; port[i]; i++)
		if (!isalnum((unsigned char)port[i]) && port[i] != '-' && port[i] != '_' && port[i] != '.')
			return bad(text, "bad port or service name");
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
parse_ip(const char *text, const char *s, struct taskaddr *a, int allow_range, int only)
{
	const char *colon;
	struct in6_addr tmp;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL)
			return bad(text, "missing ']'");
		if (close[1] != ':')
			return bad(text, close[1] ? "expected ':' after ']'" : "missing port");
		a->host = xmemdup(s + 1, (size_t)(close - s - 1));
		if (strchr(a->host, ':') == NULL)
			return bad(text, "brackets are for IPv6 addresses");
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return bad(text, "missing port (HOST:PORT)");
		a->host = xmemdup(s, (size_t)(colon - s));
		if (strchr(a->host, ':')) {
			char *pct = strchr(a->host, '%');
			size_t n = pct ? (size_t)(pct - a->host) : strlen(a->host);
			char *h = xmemdup(a->host, n);
			int v6 = inet_pton(AF_INET6, h, &tmp) == 1;

			free(h);
			if (v6 || strchr(s, ':') != strrchr(s, ':'))
				return bad(text, v6 ? "an IPv6 address needs brackets: [ADDR]:PORT"
				    : "unknown prefix or IPv6 address without brackets");
		}
	}
	a->port = xstrdup(colon + 1);
	if (check_port(text, a->port, allow_range) < 0)
		return -1;
	if (strchr(a->host, '%') && strchr(a->host, ':') == NULL)
		return bad(text, "a %scope is for IPv6 link-local addresses");
	numeric_host(a);
	if (a->len && only != AF_UNSPEC && a->family != only)
		return bad(text, only == AF_INET ? "not an IPv4 address (-4 given)"
		    : "not an IPv6 address (-6 given)");
	return 0;
}

/* unix:/path, unix:@name, @name. */
static int
parse_unix(const char *text, const char *s, struct taskaddr *a)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&a->ss;
	size_t n;

	if (*s == '@') {
		a->abstract = 1;
		s++;
	}
	n = strlen(s);
	if (n == 0)
		return bad(text, a->abstract ? "missing abstract socket name" : "missing path");
	/* a path needs its NUL; an abstract name its leading NUL only, so
	 * both hold 107 bytes at most */
	if (n + 1 > sizeof un->sun_path)
		return bad(text, a->abstract ? "abstract name too long for a UNIX socket (107 bytes at most)"
		    : "path too long for a UNIX socket (107 bytes at most)");
	a->path = xstrdup(s);
	un->sun_family = AF_UNIX;
	if (a->abstract) {
		un->sun_path[0] = '\0';
		memcpy(un->sun_path + 1, s, n);
		a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	} else {
		memcpy(un->sun_path, s, n + 1);
		a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	}
	return 0;
}

/* vsock:CID:PORT; CID a number or host/local/any/hypervisor. */
static int
parse_vsock(const char *text, const char *s, struct taskaddr *a, int allow_range)
{
	struct sockaddr_vm *vm = (struct sockaddr_vm *)&a->ss;
	const char *colon = strchr(s, ':');
	unsigned long cid;
	char *end;

	if (colon == NULL)
		return bad(text, "expected vsock:CID:PORT");
	a->host = xmemdup(s, (size_t)(colon - s));
	a->port = xstrdup(colon + 1);
	if (strcmp(a->host, "host") == 0)
		cid = VMADDR_CID_HOST;
	else if (strcmp(a->host, "local") == 0)
		cid = 1;
	else if (strcmp(a->host, "hypervisor") == 0)
		cid = VMADDR_CID_HYPERVISOR;
	else if (strcmp(a->host, "any") == 0 || strcmp(a->host, "-1") == 0)
		cid = VMADDR_CID_ANY;
	else {
		errno = 0;
		cid = strtoul(a->host, &end, 0);
		if (*a->host == '\0' || *end || errno || cid > 0xffffffffUL || *a->host == '-')
			return bad(text, "bad vsock CID");
	}
	if (*a->port == '\0')
		return bad(text, "missing port");
	if (!(allow_range && strchr(a->port, '-') && isdigit((unsigned char)*a->port))) {
		unsigned long p;

		if (strcmp(a->port, "-1") == 0 || strcmp(a->port, "any") == 0)
			p = VMADDR_PORT_ANY;
		else {
			errno = 0;
			p = strtoul(a->port, &end, 0);
			if (*end || errno || p > 0xffffffffUL || !isdigit((unsigned char)*a->port))
				return bad(text, "bad vsock port");
		}
		vm->svm_port = (unsigned)p;
	}
	vm->svm_family = AF_VSOCK;
	vm->svm_cid = (unsigned)cid;
	a->len = sizeof *vm;
	return 0;
}

/* can:IFACE */
static int
parse_can(const char *text, const char *s, struct taskaddr *a)
{
	struct sockaddr_can *can = (struct sockaddr_can *)&a->ss;

	if (*s == '\0')
		return bad(text, "missing CAN interface name");
	if (strlen(s) >= IF_NAMESIZE)
		return bad(text, "interface name too long");
	a->host = xstrdup(s);
	if (addr_can_ifindex(-1, s, &can->can_ifindex) < 0)
		return -1;
	can->can_family = AF_CAN;
	a->len = sizeof *can;
	return 0;
}

int
taskaddr_parse(const char *text, struct taskaddr *a, int allow_range, int only)
{
	const struct prefix *p;
	const char *s = text;
	size_t n;

	memset(a, 0, sizeof *a);
	a->text = text;
	a->family = AF_UNSPEC;
	a->type = SOCK_STREAM;
	a->proto = IPPROTO_TCP;
	if (*text == '\0')
		return bad(text, "empty");
	if (*text == '@' || *text == '/') {
		a->family = AF_UNIX;
		a->proto = 0;
		return parse_unix(text, text, a);
	}
	for (p = prefixes; p->name; p++) {
		n = strlen(p->name);
		if (strncmp(text, p->name, n) == 0 && text[n] == ':') {
			s = text + n + 1;
			a->family = p->family;
			a->type = p->type;
			a->proto = p->proto;
			break;
		}
	}
	if (p->name == NULL) {
		/* "word:rest:port" with a word that is no host is a bad prefix */
		n = strcspn(text, ":");
		if (text[n] == ':' && strchr(text + n + 1, ':') && *text != '[') {
			size_t i;
			int word = n > 0;

			for (i = 0; i < n; i++)
				if (!isalpha((unsigned char)text[i]) && text[i] != '-')
					word = 0;
			if (word && strchr(text, '.') == NULL) {
				char *w = xmemdup(text, n);
				int v6;
				struct in6_addr tmp;
				char *h = xmemdup(text, (size_t)(strrchr(text, ':') - text));

				v6 = inet_pton(AF_INET6, h, &tmp) == 1;
				free(h);
				if (!v6) {
					usage_error(NULL, "bad address '%s': unknown prefix '%s:' (tcp udp udplite "
					    "mptcp sctp unix unix-dgram unix-seqpacket vsock can)", text, w);
					free(w);
					return -1;
				}
				free(w);
			}
		}
	}
	switch (a->family) {
	case AF_UNIX:
		return parse_unix(text, s, a);
	case AF_VSOCK:
		return parse_vsock(text, s, a, allow_range);
	case AF_CAN:
		return parse_can(text, s, a);
	}
	return parse_ip(text, s, a, allow_range, only);
}

void
taskaddr_free(struct taskaddr *a)
{
	free(a->host);
	free(a->port);
	free(a->path);
	a->host = a->port = a->path = NULL;
}

/* ---- -o LEVEL:NAME=VALUE ------------------------------------------------- */

/* The level a bare option name implies (SO_* -> SOL_SOCKET, ...), or -1. */
static int
implied_level(const char *name)
{
	static const struct { const char *prefix; int level; } tab[] = {
		{ "SO_", SOL_SOCKET }, { "TCP_", IPPROTO_TCP }, { "IP_", IPPROTO_IP },
		{ "IPV6_", IPPROTO_IPV6 }, { "UDP_", IPPROTO_UDP },
	};
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (strncmp(name, tab[i].prefix, strlen(tab[i].prefix)) == 0)
			return tab[i].level;
	return -1;
}

/* A constant name or an integer into *out.  Returns 0 or -1 (usage error). */
static int
int_word(const char *text, const char *what, const char *w, size_t n, int *out)
{
	const struct konst *k;
	char *s = xmemdup(w, n), *end;
	long v;

	if (n == 0) {
		usage_error(NULL, "bad option '%s': missing %s", text, what);
		free(s);
		return -1;
	}
	if ((k = konst_find(s)) != NULL) {
		*out = (int)k->value;
		free(s);
		return 0;
	}
	errno = 0;
	v = strtol(s, &end, 0);
	if (*end == '\0' && errno == 0 && v >= 0 && v <= 0x7fffffff) {
		*out = (int)v;
		free(s);
		return 0;
	}
	usage_error(NULL, "bad option '%s': unknown %s '%s'", text, what, s);
	free(s);
	return -1;
}

int
sockopt_parse(const char *text, struct sockopt_req *o)
{
	const char *eq = strchr(text, '='), *colon;
	value *v;

	memset(o, 0, sizeof *o);
	o->text = text;
	if (eq == NULL) {
		usage_error(NULL, "bad option '%s': expected LEVEL:NAME=VALUE", text);
		return -1;
	}
	colon = memchr(text, ':', (size_t)(eq - text));
	if (colon == NULL) {
		char *name = xmemdup(text, (size_t)(eq - text));

		o->level = implied_level(name);
		free(name);
		if (o->level < 0) {
			usage_error(NULL, "bad option '%s': expected LEVEL:NAME=VALUE", text);
			return -1;
		}
		colon = text - 1;
	} else if (int_word(text, "level", text, (size_t)(colon - text), &o->level) < 0) {
		return -1;
	}
	if (int_word(text, "option name", colon + 1, (size_t)(eq - colon - 1), &o->name) < 0)
		return -1;
	if (eq[1] == '\0') {
		usage_error(NULL, "bad option '%s': missing value", text);
		return -1;
	}
	if ((v = parse_value(eq + 1)) == NULL)
		return -1;
	if (v->kind == V_BOOL || v->kind == V_ENUM) {
		value *i = v_int(v_as_i64(v, NULL));

		v_decref(v);
		v = i;
	}
	if (v->kind == V_INT && (v->u.n.big || v->u.n.i < -2147483648LL || v->u.n.i > 4294967295LL)) {
		usage_error(NULL, "bad option '%s': value out of range for a C int", text);
		v_decref(v);
		return -1;
	}
	if (v->kind != V_INT && v->kind != V_BYTES && v->kind != V_BYTEARRAY) {
		usage_error(NULL, "bad option '%s': VALUE must be an int or bytes, not %s", text, v_typename(v));
		v_decref(v);
		return -1;
	}
	o->val = v;
	return 0;
}

int
sockopt_apply(int fd, const struct sockopt_req *o)
{
	int r;

	if (o->val->kind == V_INT) {
		int i = (int)(uint32_t)o->val->u.n.i;

		r = setsockopt(fd, o->level, o->name, &i, sizeof i);
	} else {
		r = setsockopt(fd, o->level, o->name, o->val->u.s.p, (socklen_t)o->val->u.s.len);
	}
	if (r < 0) {
		err_errno(errno);
		return -1;
	}
	return 0;
}

void
sockopt_free(struct sockopt_req *o)
{
	v_decref(o->val);
	o->val = NULL;
}
