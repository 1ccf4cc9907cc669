/* taskaddr.c - the ADDRESS syntax of the task commands and their -o option
 * (SPEC section 8): the prefixes and what follows them are the family
 * rows' (family.h, core/af_*.c); here is what picks the row. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "core/taskaddr.h"
#include "core/consts.h"
#include "core/family.h"
#include "emit.h"
#include "error.h"
#include "parse.h"


/* Sets the usage exception for a bad ADDRESS; always returns -1. */
int
taskaddr_bad(const char *text, const char *why)
{
	usage_error(NULL, "bad address '%s': %s", text, why);
	return -1;
}

/* The row whose syntax an address of family af is written in: an IP one,
 * resolved or not, is AF_INET's (family.h). */
static const struct family *
task_row(int af)
{
	return family_find(af == AF_UNSPEC || af == AF_INET6 ? AF_INET : af);
}

/* The prefix "name:" that text starts with, and its row; NULL if none. */
static const struct task_prefix *
find_prefix(const char *text, const struct family **row)
{
	const struct task_prefix *p;
	const struct family *f;
	size_t i, n;

	for (i = 0; (f = family_at(i)) != NULL; i++)
		for (p = f->task_prefixes; p && p->name; p++) {
			n = strlen(p->name);
			if (strncmp(text, p->name, n) == 0 && text[n] == ':') {
				*row = f;
				return p;
			}
		}
	return NULL;
}

/* "bad address: unknown prefix 'w:' (tcp udp ...)": every prefix listed. */
static int
unknown_prefix(const char *text, const char *w)
{
	const struct task_prefix *p;
	const struct family *f;
	struct buf all = { 0 };
	size_t i;

	for (i = 0; (f = family_at(i)) != NULL; i++)
		for (p = f->task_prefixes; p && p->name; p++)
			buf_printf(&all, "%s%s", all.len ? " " : "", p->name);
	usage_error(NULL, "bad address '%s': unknown prefix '%s:' (%s)", text,
	    w, all.p);
	free(all.p);
	return -1;
}

/* Whether text is "word:rest:port" with a word that is no host: a prefix
 * sockit does not know (an IPv6 address without brackets is not one). */
static int
bad_prefix_word(const char *text, size_t n)
{
	struct in6_addr tmp;
	size_t i;
	char *h;
	int v6;

	if (n == 0 || text[n] != ':' || !strchr(text + n + 1, ':') ||
	    *text == '[' || strchr(text, '.'))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalpha((unsigned char)text[i]) && text[i] != '-')
			return 0;
	h = xmemdup(text, (size_t)(strrchr(text, ':') - text));
	v6 = inet_pton(AF_INET6, h, &tmp) == 1;
	free(h);
	return !v6;
}

int
taskaddr_parse(const char *text, struct taskaddr *a, int allow_range,
    int only)
{
	const struct task_prefix *p;
	const struct family *row = task_row(AF_INET);
	const char *s = text;
	size_t n;

	memset(a, 0, sizeof *a);
	a->text = text;
	a->family = AF_UNSPEC;
	a->type = SOCK_STREAM;
	a->proto = IPPROTO_TCP;
	if (*text == '\0')
		return taskaddr_bad(text, "empty");
	if (*text == '@' || *text == '/') {	/* a path needs no prefix */
		row = family_find(AF_UNIX);
		a->family = AF_UNIX;
		a->proto = 0;
	} else if ((p = find_prefix(text, &row)) != NULL) {
		s = text + strlen(p->name) + 1;
		a->family = row->af == AF_INET ? AF_UNSPEC : row->af;
		a->type = p->type;
		a->proto = p->proto;
	} else if (bad_prefix_word(text, n = strcspn(text, ":"))) {
		char *w = xmemdup(text, n);
		int r = unknown_prefix(text, w);

		free(w);
		return r;
	}
	return row->task_parse(text, s, a, allow_range, only);
}

int
taskaddr_is_ip(const struct taskaddr *a)
{
	return task_row(a->family) == family_find(AF_INET);
}

const char *
taskaddr_proto_name(const struct taskaddr *a)
{
	const struct family *f = task_row(a->family);
	const struct task_prefix *p;

	for (p = f ? f->task_prefixes : NULL; p && p->name; p++)
		if (p->type == a->type && p->proto == a->proto)
			return p->name;
	return "tcp";
}

void
taskaddr_env_form(const struct sockaddr *sa, socklen_t len, char *host,
    size_t hostsz, char *port, size_t portsz)
{
	const struct family *f;

	host[0] = port[0] = '\0';
	if (len >= sizeof(sa_family_t) && (f = family_find(sa->sa_family)) &&
	    f->env_form)
		f->env_form(sa, len, host, hostsz, port, portsz);
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
		{ "SO_", SOL_SOCKET }, { "TCP_", IPPROTO_TCP },
		{ "IP_", IPPROTO_IP }, { "IPV6_", IPPROTO_IPV6 },
		{ "UDP_", IPPROTO_UDP },
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
		usage_error(NULL, "bad option '%s': expected LEVEL:NAME=VALUE",
		    text);
		return -1;
	}
	colon = memchr(text, ':', (size_t)(eq - text));
	if (colon == NULL) {
		char *name = xmemdup(text, (size_t)(eq - text));

		o->level = implied_level(name);
		free(name);
		if (o->level < 0) {
			usage_error(NULL,
			    "bad option '%s': expected LEVEL:NAME=VALUE", text);
			return -1;
		}
		colon = text - 1;
	} else if (int_word(text, "level", text, (size_t)(colon - text),
	    &o->level) < 0) {
		return -1;
	}
	if (int_word(text, "option name", colon + 1, (size_t)(eq - colon - 1),
	    &o->name) < 0)
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
	if (v->kind == V_INT && (v->u.n.big || v->u.n.i < -2147483648LL ||
	    v->u.n.i > 4294967295LL)) {
		usage_error(NULL,
		    "bad option '%s': value out of range for a C int", text);
		v_decref(v);
		return -1;
	}
	if (v->kind != V_INT && v->kind != V_BYTES && v->kind != V_BYTEARRAY) {
		usage_error(NULL,
		    "bad option '%s': VALUE must be an int or bytes, not %s",
		    text, v_typename(v));
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
		r = setsockopt(fd, o->level, o->name, o->val->u.s.p,
		    (socklen_t)o->val->u.s.len);
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
