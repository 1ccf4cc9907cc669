/* netcmd.c - pieces shared by connect, listen, echo and resolve. */
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "front/front.h"
#include "cmd/netcmd.h"
#include "core/addr.h"
#include "core/create.h"
#include "core/sock.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"

static int
netopts_add(struct netopts *no, const char *text)
{
	struct sockopt_req o;

	if (sockopt_parse(text, &o) < 0)
		return -1;
	no->o = xrealloc(no->o, (no->n + 1) * sizeof *no->o);
	no->o[no->n++] = o;
	return 0;
}

int
netopts_opt(void *field, const char *arg, const char *opt)
{
	return netopts_add(field, arg);
}

void
netopts_free(struct netopts *no)
{
	size_t i;

	for (i = 0; i < no->n; i++)
		sockopt_free(&no->o[i]);
	free(no->o);
	no->o = NULL;
	no->n = 0;
}

double
net_timeout(void)
{
	return G.timeout_set ? G.timeout : -1.0;
}

void
net_print_bound(const struct sock *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	struct buf b = { 0 };
	value *v;

	if (getsockname(s->fd, (struct sockaddr *)&ss, &len) < 0)
		return;
	if ((v = addr_to_value((struct sockaddr *)&ss, len, s->proto)) == NULL) {
		err_clear();
		return;
	}
	emit_value(&b, v, G.fmt);
	if (G.fmt == FMT_RAW && b.len == 0)
		buf_putc(&b, '\n');
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
	v_decref(v);
}

/* Resolves the listening address of an IP ADDRESS into *ss. */
static int
server_addr(const struct taskaddr *a, int dualstack, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints, *res;
	const char *host = a->host;
	int r;

	if (a->len) {
		memcpy(ss, &a->ss, a->len);
		*len = a->len;
		return 0;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = G.family;
	hints.ai_socktype = a->type;
	hints.ai_protocol = a->proto;
	hints.ai_flags = AI_PASSIVE;
	if (host == NULL || *host == '\0') {
		host = NULL;
		if (hints.ai_family == AF_UNSPEC)
			hints.ai_family = dualstack ? AF_INET6 : AF_INET;
	}
	r = stop_getaddrinfo(host, a->port, &hints, &res);
	if (r != 0) {
		err_gai(r);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

/* The socket file net_server() created (a process runs one server), which
 * net_server_cleanup() removes only while the path still names it: a
 * successor may have replaced it with its own live socket (--unlink). */
static struct {
	int made;
	dev_t dev;
	ino_t ino;
} server_file;

struct sock *
net_server(const struct taskaddr *a, const struct netopts *no, int backlog,
    int reuse_port, int dualstack, int mode, int unlink_first)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct sock *s;
	struct stat st;

	if (a->family == AF_UNIX || a->family == AF_VSOCK || a->family == AF_CAN) {
		memcpy(&ss, &a->ss, a->len);
		len = a->len;
	} else if (server_addr(a, dualstack, &ss, &len) < 0) {
		return NULL;
	}
	s = sock_server_req((struct sockaddr *)&ss, len, a->type, a->proto, backlog,
	    reuse_port, dualstack, no->o, no->n, mode < 0 ? 0600 : mode, unlink_first);
	if (s && a->family == AF_UNIX && !a->abstract && a->path &&
	    lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		server_file.made = 1;
		server_file.dev = st.st_dev;
		server_file.ino = st.st_ino;
	}
	return s;
}

void
net_server_cleanup(const struct taskaddr *a)
{
	struct stat st;

	if (server_file.made && a->family == AF_UNIX && !a->abstract && a->path &&
	    lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == server_file.dev && st.st_ino == server_file.ino)
		unlink(a->path);
	server_file.made = 0;
}

const char *
net_proto_name(const struct taskaddr *a)
{
	switch (a->family) {
	case AF_UNIX:
		return a->type == SOCK_DGRAM ? "unix-dgram" : a->type == SOCK_SEQPACKET ? "unix-seqpacket" : "unix";
	case AF_VSOCK:
		return "vsock";
	case AF_CAN:
		return "can";
	}
	switch (a->proto) {
	case IPPROTO_UDP: return "udp";
	case IPPROTO_UDPLITE: return "udplite";
	case IPPROTO_SCTP: return "sctp";
	case 262: return "mptcp";
	}
	return "tcp";
}
