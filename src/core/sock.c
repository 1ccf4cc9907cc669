/* sock.c - socket object: creation, repr, attributes. */
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include "core/addr.h"
#include "core/consts.h"
#include "core/sock.h"
#include "emit.h"
#include "error.h"

double sock_default_timeout = -1.0;

struct sock *
sock_new(int fd, int family, int type, int proto)
{
	struct sock *s = xcalloc(1, sizeof *s);

	s->fd = fd;
	s->family = family;
	s->type = type;
	s->proto = proto;
	s->timeout = sock_default_timeout;
	return s;
}

void
sock_free(struct sock *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

value *
sock_family_value(const struct sock *s)
{
	return enum_or_int(EC_ADDRESSFAMILY, s->family);
}

value *
sock_type_value(const struct sock *s)
{
	return enum_or_int(EC_SOCKETKIND, s->type);
}

value *
sock_addr_value(const struct sock *s, int peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	value *v;
	int r;

	if (s->fd < 0)
		return NULL;
	r = peer ? getpeername(s->fd, (struct sockaddr *)&ss, &len)
		 : getsockname(s->fd, (struct sockaddr *)&ss, &len);
	if (r < 0)
		return NULL;
	v = addr_to_value((struct sockaddr *)&ss, len, s->proto);
	if (v == NULL) {
		err_clear();
		return NULL;
	}
	if (!v_truthy(v)) {
		v_decref(v);
		return NULL;
	}
	return v;
}

void
sock_repr(struct buf *b, const struct sock *s)
{
	value *a;

	buf_printf(b, "<socket.socket %sfd=%d, family=%d, type=%d, proto=%d",
	    s->fd < 0 ? "[closed] " : "", s->fd, s->family, s->type, s->proto);
	if ((a = sock_addr_value(s, 0)) != NULL) {
		buf_puts(b, ", laddr=");
		str_of(b, a);
		v_decref(a);
	}
	if ((a = sock_addr_value(s, 1)) != NULL) {
		buf_puts(b, ", raddr=");
		str_of(b, a);
		v_decref(a);
	}
	buf_putc(b, '>');
}
