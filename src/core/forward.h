/* forward.h - port forwarding (listen --to): accept stream connections
 * and relay each, both ways, to a new connection to a fixed destination,
 * all in one epoll loop (no process or thread per connection).  In the
 * runtime: every setting arrives as a field. */
#ifndef SOCKIT_FORWARD_H
#define SOCKIT_FORWARD_H

#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include "core/taskaddr.h"

/* One address the destination resolved to. */
struct fwd_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* The outgoing side: where each accepted connection is forwarded. */
struct fwd_dest {
	int family, type, proto;	/* of the socket to make */
	struct fwd_addr *to;	/* tried in order until one connects */
	size_t nto;
	struct fwd_addr source;	/* bind() first when source.len > 0 */
	const struct sockopt_req *opts;	/* setsockopt before connecting */
	size_t nopts;
};

/* Resolves ADDRESS a (any family; a host name for family, AF_UNSPEC for
 * any) and the IP source host:port (source_host NULL: none) into *d, whose
 * to array the caller frees with fwd_dest_free().  0, or -1 with the
 * exception pending (gaierror, OverflowError for a port). */
int fwd_dest_resolve(struct fwd_dest *d, const struct taskaddr *a,
    int family, const char *source_host, const char *source_port);
void fwd_dest_free(struct fwd_dest *d);

struct forward {
	int lfd;		/* the listening socket */
	const struct fwd_dest *dest;
	int keep;		/* accept one connection after another; else
				 * one, the listening socket closed at once */
	long max_conns;		/* with keep: accept this many in all (<= 0:
				 * no limit), then end once they are done */
	double connect_timeout;	/* < 0: the kernel's */
	double idle;		/* close a connection silent both ways this
				 * long; < 0: never (datagrams: DGRAM_IDLE) */
	double accept_timeout;	/* TimeoutError when no connection is open
				 * and none comes for this long; < 0: never */
	int no_splice;		/* read/write only */
	volatile sig_atomic_t *stop;	/* end when set after a signal */
	/* Called for each forwarded connection (datagrams: each client
	 * address): when it is accepted (peer the client's address; returns
	 * the caller's note) and when it ends (sent: bytes to the client,
	 * received: from it; err set when an error ended it, the exception
	 * pending: with keep it is cleared after the call, without it is the
	 * result).  Both may be NULL. */
	void *(*on_open)(void *ctx, const struct sockaddr *peer,
	    socklen_t len);
	void (*on_close)(void *ctx, void *note, unsigned long long sent,
	    unsigned long long received, int err);
	void *ctx;
};

#define DGRAM_IDLE 60.0	/* datagrams: a client address's upstream socket
			 * is closed after this long without traffic */

/* Runs the forwarder until the single connection (without keep) or the
 * max_conns connections are done, or *stop is set.  A connection that fails
 * (the destination refuses, a peer resets) ends alone with keep; without
 * keep its error is the result.  Returns 0, or -1 with the exception
 * pending. */
int forward_run(struct forward *f);

/* The datagram forwarder: each client address that sends to f->lfd (a
 * bound datagram socket) gets a socket of its own connected to the
 * destination; each datagram goes on whole through it, each answer back
 * to that client, until f->idle (or DGRAM_IDLE) seconds without traffic
 * close it.  keep and max_conns count client addresses as forward_run()
 * counts connections (without keep, datagrams from other addresses than
 * the first are dropped).  Returns as forward_run(). */
int forward_dgram(struct forward *f);

#endif
