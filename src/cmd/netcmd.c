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
#include "core/sockaddr.h"
#include "core/create.h"
#include "core/sock.h"
#include "core/taskconn.h"
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

/* Only digits (a port, or a PORT word of nc's)? */
static int
digits(const char *w)
{
	return *w && strspn(w, "0123456789") == strlen(w);
}

int
net_one_address(const char *cmd, const struct args *a)
{
	if (a->n == 1 && digits(a->v[0]))
		usage_error(cmd, "'%s' is not an ADDRESS; did you mean ':%s'?",
		    a->v[0], a->v[0]);
	else if (a->n == 2 && strchr(a->v[0], ':') == NULL && digits(a->v[1]))
		usage_error(cmd, "one ADDRESS expected; did you mean '%s:%s'?",
		    a->v[0], a->v[1]);
	else if (a->n != 1)
		usage_error(cmd, a->n == 0 ? "missing ADDRESS" :
		    "one ADDRESS expected");
	else
		return 0;
	return -1;
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
	if ((v = addr_to_value((struct sockaddr *)&ss, len,
	    s->proto)) == NULL) {
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



struct sock *
net_server(const struct taskaddr *a, const struct netopts *no, int backlog,
    int reuse_port, int dualstack, int mode, int unlink_first)
{
	struct task_server o = { G.family, backlog, reuse_port, dualstack, mode,
	    unlink_first,
		no->o, no->n };

	return taskaddr_server(a, &o);
}

void
net_server_cleanup(const struct taskaddr *a)
{
	taskaddr_server_cleanup(a);
}

