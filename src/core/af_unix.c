/* af_unix.c - AF_UNIX addresses: paths and the abstract namespace. */
#include <stddef.h>
#include <string.h>
#include <sys/un.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

/* AF_UNIX from a path (str, bytes, bytearray); '' autobinds. */
static int
from_unix(const struct sock *s, const value *v, struct sockaddr_storage *ss, socklen_t *len,
    const char *caller)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	const char *p;
	size_t n;

	(void)caller;
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
	return sa_tagged(v_str(un->sun_path, strnlen(un->sun_path, n)), AF_UNIX);
}

/* A filesystem path is a str, an abstract name bytes: the JSON object
 * ({"path": ...} or {"abstract": ...}) is emit.c's, for any such value. */
const struct family family_unix = {
	.af = AF_UNIX,
	.name = "AF_UNIX",
	.to_value = unix_value,
	.from_value = from_unix
};
