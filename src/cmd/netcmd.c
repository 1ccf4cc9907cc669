/* netcmd.c - pieces shared by connect, listen, echo and resolve. */
#include <netdb.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <errno.h>
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
#include "core/taskaddr.h"
#include "core/taskconn.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"
#include "json.h"

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

int
net_split_source(const char *cmd, const char *s, char **host, char **port)
{
	const char *colon;

	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			usage_error(cmd, "bad --source '%s'", s);
			return -1;
		}
		*host = xmemdup(s + 1, (size_t)(close - s - 1));
		*port = xstrdup(close[1] ? close + 2 : "0");
		return 0;
	}
	colon = strrchr(s, ':');
	if (colon == NULL || strchr(s, ':') != colon) {
		*host = xstrdup(s);
		*port = xstrdup("0");
		return 0;
	}
	*host = xmemdup(s, (size_t)(colon - s));
	*port = xstrdup(colon + 1);
	return 0;
}

/* Sets name_addr and name_port to the host and port text of address ss
 * (family.h's env_form; empty when none). */
static void
env_addr(const char *name_addr, const char *name_port,
    const struct sockaddr_storage *ss, socklen_t len)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];

	taskaddr_env_form((const struct sockaddr *)ss, len, host, sizeof host,
	    port, sizeof port);
	setenv(name_addr, host, 1);
	setenv(name_port, port, 1);
}

pid_t
net_spawn(const char *cmd, int fd, const struct taskaddr *a)
{
	pid_t pid = fork();

	if (pid < 0) {
		err_errno(errno);
		return -1;
	}
	if (pid == 0) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;

		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		(void)setpgid(0, 0);	/* its own group, which a stop signals
					 * whole (end_children) */
		if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
			len = 0, ss.ss_family = AF_UNSPEC;
		env_addr("SOCKIT_PEER_ADDR", "SOCKIT_PEER_PORT", &ss, len);
		len = sizeof ss;
		if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
			len = 0, ss.ss_family = AF_UNSPEC;
		env_addr("SOCKIT_LOCAL_ADDR", "SOCKIT_LOCAL_PORT", &ss, len);
		setenv("SOCKIT_PROTO", taskaddr_proto_name(a), 1);
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
			_exit(126);
		if (fd > 1)
			close(fd);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		fprintf(stderr, "sockit: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	(void)setpgid(pid, pid);	/* as the child does: whoever runs
					 * first */
	return pid;
}

void
net_conn_finish(int fd)
{
	char buf[4096];
	int i;

	shutdown(fd, SHUT_WR);
	(void)sock_set_blocking_fd(fd, 0);
	for (i = 0; i < 256 && read(fd, buf, sizeof buf) > 0; i++)
		;
	close(fd);
}

int
net_wait_status(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
net_open_dump(const char *file)
{
	int fd;

	if (file == NULL)
		return 0;
	if (*file == '\0')
		return STDERR_FILENO;
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) < 0)
		err_errno_filename(errno, file);
	return fd;
}

void
net_close_dump(int fd)
{
	if (fd > STDERR_FILENO)
		close(fd);
}

double
net_idle(double idle)
{
	if (idle >= 0)
		return idle;
	return net_timeout() > 0 ? net_timeout() : -1;
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

/* Writes one note line on stderr: text after "sockit: ", or JSON. */
static void
note_write(struct buf *b)
{
	buf_putc(b, '\n');
	fwrite(b->p, 1, b->len, stderr);
	fflush(stderr);
	free(b->p);
}

void
net_note_open(struct conn_note *n, int fd, int proto, int accepted)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		len = 0;
	net_note_open_addr(n, (struct sockaddr *)&ss, len, proto, accepted);
}

void
net_note_open_addr(struct conn_note *n, const struct sockaddr *sa,
    socklen_t len, int proto, int accepted)
{
	struct buf b = { 0 };
	struct jw w;

	n->addr = NULL;
	n->t0 = mono_now();
	if (G.verbose <= 0)
		return;
	if (len == 0 || (n->addr = addr_to_value(sa, len, proto)) == NULL) {
		err_clear();
		n->addr = v_none();
	}
	if (G.fmt == FMT_JSON) {
		jw_init(&w, &b, JW_JSON);
		jw_open_obj(&w);
		jw_key(&w, "event");
		jw_strz(&w, accepted ? "accepted" : "connected");
		jw_key(&w, "address");
		jw_value(&w, n->addr);
		jw_close_obj(&w);
	} else {
		buf_puts(&b, accepted ? "sockit: connection from " :
		    "sockit: connected to ");
		repr(&b, n->addr);
	}
	note_write(&b);
}

/* The closing note, with the byte counts when counted. */
static void
note_close(struct conn_note *n, int counted, unsigned long long sent,
    unsigned long long received)
{
	struct buf b = { 0 };
	struct jw w;
	double sec = mono_now() - n->t0;

	if (n->addr == NULL)
		return;
	if (G.fmt == FMT_JSON) {
		jw_init(&w, &b, JW_JSON);
		jw_open_obj(&w);
		jw_key(&w, "event");
		jw_strz(&w, "closed");
		jw_key(&w, "address");
		jw_value(&w, n->addr);
		if (counted) {
			jw_key(&w, "bytes_sent");
			jw_uint(&w, sent);
			jw_key(&w, "bytes_received");
			jw_uint(&w, received);
		}
		jw_key(&w, "seconds");
		jw_float(&w, sec);
		jw_close_obj(&w);
	} else {
		buf_puts(&b, "sockit: closed ");
		repr(&b, n->addr);
		if (counted)
			buf_printf(&b, ": %llu bytes sent, %llu received,",
			    sent, received);
		else
			buf_putc(&b, ':');
		buf_printf(&b, " %.3f s", sec);
	}
	note_write(&b);
	v_decref(n->addr);
	n->addr = NULL;
}

void
net_note_close(struct conn_note *n, unsigned long long sent,
    unsigned long long received)
{
	note_close(n, 1, sent, received);
}

void
net_note_end(struct conn_note *n)
{
	note_close(n, 0, 0, 0);
}
