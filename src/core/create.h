/* create.h - the general form of create_connection / create_server that the
 * task commands use (any family, type and protocol, -o options), and the
 * connect-with-timeout step they share.  Implemented in core/create.c. */
#ifndef SOCKIT_CREATE_H
#define SOCKIT_CREATE_H

#include <stddef.h>
#include <sys/socket.h>

struct sock;
struct sockopt_req;

struct conn_req {
	const char *host, *port;	/* host "" or NULL: loopback, as
					 * CPython */
	int family, type, proto;	/* for getaddrinfo; 0 for any */
	double timeout;			/* < 0: None (blocking) */
	const char *source_host, *source_port;	/* NULL: no bind */
	int all_errors;
	const struct sockopt_req *opts;	/* applied before bind and connect */
	size_t nopts;
};

/* The ai_protocol to give getaddrinfo for a socket of protocol proto: glibc
 * refuses IPPROTO_MPTCP (EAI_SOCKTYPE), whose addresses are TCP's, so MPTCP
 * is resolved as TCP and the socket still made with IPPROTO_MPTCP. */
int gai_protocol(int proto);

/* The source address host:port (host NULL or "": any; port NULL: 0) of a
 * socket of family and type, resolved as bind() would.  0, or -1 with the
 * exception pending (OverflowError for a port outside 0-65535, gaierror). */
struct sockaddr_storage;
int sock_resolve_source(int family, int type, const char *host,
    const char *port, struct sockaddr_storage *ss, socklen_t *len);

/* create_connection for r: every resolved address in turn.  NULL with the
 * last attempt's exception pending, or with all_errors an ExceptionGroup-like
 * OSError whose attempts create_attempts() lists. */
struct sock *sock_connect_req(const struct conn_req *r);

/* The failed attempts of this thread's last sock_connect_req(): n lines
 * "ADDRESS: Class: text", valid until the next call. */
size_t create_attempts(const char *const **lines);
struct jw;
/* Writes them as the member "exceptions" of an open JSON object: an array
 * of {address, exception, errno, message}. */
void create_attempts_json(struct jw *w);

/* create_server's steps for any socket type: socket, SO_REUSEADDR, -o
 * options, reuse_port, IPV6_V6ONLY, bind, and listen(backlog) for stream
 * and seqpacket types (backlog < 0: min(SOMAXCONN, 128)).  mode (>= 0) is
 * the permission of a UNIX socket file; unlink_first removes a stale one
 * (one that refuses a connect()). */
struct sock *sock_server_req(const struct sockaddr *sa, socklen_t len, int type,
    int proto, int backlog, int reuse_port, int dualstack_ipv6,
    const struct sockopt_req *opts, size_t nopts, int mode, int unlink_first);

/* Is the socket file of sa (a UNIX address, for a socket of type type)
 * stale: does a connect() to it fail with ECONNREFUSED, no socket being
 * bound there?  A live server of any type answers otherwise (a stream
 * server sees the probe connect and close).  What --unlink asks first. */
int sock_unix_stale(const struct sockaddr *sa, socklen_t len, int type);

/* bind() of an AF_UNIX socket, its file created with permissions mode
 * (0..07777) by the kernel itself (umask and the socket inode's mode): no
 * chmod of the path, which a symlink swapped in would redirect. */
int sock_bind_unix_mode(int fd, const struct sockaddr *sa, socklen_t len,
    int mode);

#endif
