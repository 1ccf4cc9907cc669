/* af_unix.c - AF_UNIX addresses: paths and the abstract namespace. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "core/taskaddr.h"
#include "error.h"

/* AF_UNIX from a path (str, bytes, bytearray); '' autobinds. */
static int
from_unix(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	const char *p;
	size_t n;

	(void)caller;
	if (v->kind != V_STR && !is_buffer(v)) {
		err_set(EXC_TYPE, "a bytes-like object is required, not '%s'",
		    v_typename(v));
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
		*len = (socklen_t)(n +
		    offsetof(struct sockaddr_un, sun_path) + 1);
	}
	un->sun_family = (sa_family_t)s->family;
	memcpy(un->sun_path, p, n);
	return 0;
toolong:
	err_set(EXC_OSERROR, "AF_UNIX path too long");
	return -1;
}

/* AF_UNIX: abstract names as bytes, paths as str. */
static value *
unix_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_un *un = (const void *)sa;
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	(void)proto;
	if (len <= off)
		return sa_tagged(v_strz(""), AF_UNIX);
	n = len - off;
	if (n > sizeof un->sun_path)
		n = sizeof un->sun_path;
	if (un->sun_path[0] == '\0')
		return sa_tagged(v_bytes(un->sun_path, n), AF_UNIX);
	return sa_tagged(v_str(un->sun_path, strnlen(un->sun_path, n)),
	    AF_UNIX);
}

/* ---- the task syntax (SPEC 8) ----------------------------------------- */

/* unix:/path, unix:@name, @name. */
static int
unix_task_parse(const char *text, const char *s, struct taskaddr *a,
    int allow_range, int only)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&a->ss;
	size_t n;

	(void)allow_range;
	(void)only;
	if (*s == '@') {
		a->abstract = 1;
		s++;
	}
	n = strlen(s);
	if (n == 0)
		return taskaddr_bad(text,
		    a->abstract ? "missing abstract socket name" :
		    "missing path");
	/* a path needs its NUL; an abstract name its leading NUL only, so
	 * both hold 107 bytes at most */
	if (n + 1 > sizeof un->sun_path)
		return taskaddr_bad(text, a->abstract ?
		    "abstract name too long for a UNIX socket (107 bytes at most)" :
		    "path too long for a UNIX socket (107 bytes at most)");
	a->path = xstrdup(s);
	un->sun_family = AF_UNIX;
	if (a->abstract) {
		un->sun_path[0] = '\0';
		memcpy(un->sun_path + 1, s, n);
		a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
		    1 + n);
	} else {
		memcpy(un->sun_path, s, n + 1);
		a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
		    n + 1);
	}
	return 0;
}

static const struct task_prefix unix_prefixes[] = {
	{ "unix", SOCK_STREAM, 0 },
	{ "unix-dgram", SOCK_DGRAM, 0 },
	{ "unix-seqpacket", SOCK_SEQPACKET, 0 },
	{ NULL, 0, 0 }
};

/* Writes prefix and the n bytes of name to out (size bytes: 4 per byte of
 * a 107-byte name fit in NI_MAXHOST), a control byte (an abstract name's
 * NULs, a newline) as \\xHH and a backslash as \\\\, so that the variable
 * holds the whole name on one line. */
static void
env_escape(char *out, size_t size, const char *prefix, const char *name,
    size_t n)
{
	size_t i, o = strlen(prefix);

	memcpy(out, prefix, o);
	for (i = 0; i < n && o + 5 < size; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else if (c == '\\')
			out[o++] = '\\', out[o++] = '\\';
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

/* --exec's path, or @ and the abstract name; no port. */
static void
unix_env_form(const struct sockaddr *sa, socklen_t len, char *host,
    size_t hostsz, char *port, size_t portsz)
{
	const char *p = ((const struct sockaddr_un *)sa)->sun_path;
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len > off ? len - off : 0;

	(void)port;
	(void)portsz;
	if (n > 0 && p[0] == '\0')
		env_escape(host, hostsz, "@", p + 1, n - 1);
	else if (n > 0)
		env_escape(host, hostsz, "", p, strnlen(p, n));
}

/* A filesystem path is a str, an abstract name bytes: the JSON object
 * ({"path": ...} or {"abstract": ...}) is emit.c's, for any such value. */
/* A datagram client autobinds first: replies need an address (a whole,
 * zeroed sockaddr_un, so that valgrind reads nothing past the family). */
static int
unix_task_connect(int fd, const struct taskaddr *a)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };

	if (a->type == SOCK_DGRAM &&
	    bind(fd, (struct sockaddr *)&un, sizeof(sa_family_t)) < 0) {
		err_errno(errno);
		return -1;
	}
	return 0;
}

const struct family family_unix = {
	.af = AF_UNIX, .name = "AF_UNIX",
	.to_value = unix_value, .from_value = from_unix,
	.task_prefixes = unix_prefixes, .task_parse = unix_task_parse,
	.task_connect = unix_task_connect, .env_form = unix_env_form
};
