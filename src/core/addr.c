/* addr.c - socket addresses <-> values. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#include "core/addr.h"
#include "core/sock.h"
#include "error.h"

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
		return v_with_shape(v_tuple(2, v_strz(host), v_int(ntohs(in->sin_port))), SH_ADDR, AF_INET);
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		return v_with_shape(v_tuple(4, v_strz(host), v_int(ntohs(in6->sin6_port)),
		    v_int(ntohl(in6->sin6_flowinfo)), v_int(in6->sin6_scope_id)), SH_ADDR, AF_INET6);
	}
	case AF_UNIX: {
		const struct sockaddr_un *un = (const void *)sa;
		size_t n = len - offsetof(struct sockaddr_un, sun_path);

		if (len <= offsetof(struct sockaddr_un, sun_path))
			return v_with_shape(v_strz(""), SH_ADDR, AF_UNIX);
		if (un->sun_path[0] == '\0')
			return v_with_shape(v_bytes(un->sun_path, n), SH_ADDR, AF_UNIX);
		return v_with_shape(v_str(un->sun_path, strnlen(un->sun_path, n)), SH_ADDR, AF_UNIX);
	}
	}
	(void)proto;
	return v_with_shape(v_tuple(2, v_int(sa->sa_family), v_bytes(sa->sa_data, sizeof sa->sa_data)), SH_ADDR, sa->sa_family);
}

int
addr_from_value(const struct sock *s, const value *v,
    struct sockaddr_storage *ss, socklen_t *len, const char *caller)
{
	(void)v; (void)ss; (void)len;
	err_set(EXC_OSERROR, "%s(): bad family %d", caller, s->family);
	return -1;
}
