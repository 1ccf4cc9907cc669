/* taskconn.c - a connected or bound socket of any family for a task
 * ADDRESS (taskconn.h). */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/create.h"
#include "core/family.h"
#include "core/sock.h"
#include "core/stop.h"
#include "core/taskconn.h"
#include "error.h"

struct sock *
taskaddr_connect(const struct taskaddr *a, const char *port,
    const struct task_connect *o)
{
	struct conn_req r;
	const struct family *f;
	struct sock *s;
	int fd, ready;

	if (taskaddr_is_ip(a)) {
		memset(&r, 0, sizeof r);
		r.host = a->host;
		r.port = port;
		r.family = a->len ? a->family : o->family;
		r.type = a->type;
		r.proto = a->proto;
		r.timeout = o->timeout;
		r.source_host = o->source_host;
		r.source_port = o->source_port;
		r.all_errors = o->all_errors;
		r.opts = o->opts;
		r.nopts = o->nopts;
		return sock_connect_req(&r);
	}
	if ((fd = socket(a->family, a->type | SOCK_CLOEXEC, a->proto)) < 0) {
		err_errno(errno);
		return NULL;
	}
	s = sock_new(fd, a->family, a->type, a->proto);
	s->timeout = o->timeout;
	for (size_t i = 0; i < o->nopts; i++)
		if (sockopt_apply(fd, &o->opts[i]) < 0)
			goto fail;
	f = family_find(a->family);
	ready = f && f->task_connect ? f->task_connect(fd, a) : 0;
	if (ready < 0 || (ready == 0 &&
	    sock_connect(s, (const struct sockaddr *)&a->ss, a->len) < 0))
		goto fail;
	return s;
fail:
	sock_free(s);
	return NULL;
}

/* The listening address of a into *ss: the parsed one, or a's host and
 * port resolved. */
static int
server_addr(const struct taskaddr *a, int family, int dualstack,
    struct sockaddr_storage *ss, socklen_t *len)
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
	hints.ai_family = family;
	hints.ai_socktype = a->type;
	hints.ai_protocol = gai_protocol(a->proto);
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

/* The socket file taskaddr_server() created (a process runs one server), which
 * taskaddr_server_cleanup() removes only while the path still names it: a
 * successor may have replaced it with its own live socket (--unlink). */
static struct {
	int made;
	dev_t dev;
	ino_t ino;
} server_file;

struct sock *
taskaddr_server(const struct taskaddr *a, const struct task_server *o)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct sock *s;
	struct stat st;

	/* a parsed address (every family's but a host name's) is ready */
	if (server_addr(a, o->family, o->dualstack, &ss, &len) < 0)
		return NULL;
	s = sock_server_req((struct sockaddr *)&ss, len, a->type, a->proto,
	    o->backlog, o->reuse_port, o->dualstack, o->opts, o->nopts,
	    o->mode < 0 ? 0600 : o->mode, o->unlink_first);
	if (s && a->path && !a->abstract && lstat(a->path, &st) == 0 &&
	    S_ISSOCK(st.st_mode)) {
		server_file.made = 1;
		server_file.dev = st.st_dev;
		server_file.ino = st.st_ino;
	}
	return s;
}

void
taskaddr_server_cleanup(const struct taskaddr *a)
{
	struct stat st;

	if (server_file.made && a->path && !a->abstract &&
	    lstat(a->path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == server_file.dev && st.st_ino == server_file.ino)
		unlink(a->path);
	server_file.made = 0;
}
