/* taskconn.h - a socket of any family for a task ADDRESS (taskaddr.h): the
 * connected one behind connect, the bound one behind listen and echo.  In
 * the runtime, so that eval can use it too; every setting arrives as a
 * field, none from the command line. */
#ifndef SOCKIT_TASKCONN_H
#define SOCKIT_TASKCONN_H

#include <stddef.h>
#include "core/taskaddr.h"

struct sock;

struct task_connect {
	int family;		/* AF_INET, AF_INET6 or AF_UNSPEC: resolve to */
	double timeout;		/* < 0: blocking */
	const char *source_host, *source_port;	/* IP: bind first (NULL: no) */
	int all_errors;		/* create_connection(all_errors=True) */
	const struct sockopt_req *opts;	/* setsockopt before connecting */
	size_t nopts;
};

/* A socket connected to a (port: a's, or one of its range), for every
 * family: create_connection for IP, connect for UNIX and vsock (an
 * autobound address for unix-dgram, so that replies can come), bind for
 * CAN.  NULL with the exception pending. */
struct sock *taskaddr_connect(const struct taskaddr *a, const char *port,
    const struct task_connect *o);

struct task_server {
	int family;		/* AF_INET, AF_INET6 or AF_UNSPEC: resolve to */
	int backlog;		/* < 0: the default */
	int reuse_port, dualstack;
	int mode;		/* UNIX socket file permissions; < 0: 0600 */
	int unlink_first;	/* remove a stale socket file first */
	const struct sockopt_req *opts;
	size_t nopts;
};

/* A bound (for stream types listening) socket for a, as listen and echo
 * open it.  NULL with the exception pending. */
struct sock *taskaddr_server(const struct taskaddr *a,
    const struct task_server *o);
/* Removes the UNIX socket file of the process's taskaddr_server(), if it
 * made one and the path still names it (a successor may have replaced it
 * with its own live socket). */
void taskaddr_server_cleanup(const struct taskaddr *a);

#endif
