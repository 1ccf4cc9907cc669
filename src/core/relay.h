/* relay.h - the stdio <-> socket relay that connect and listen share: poll,
 * back-pressure in both directions, half-close on input EOF, and splice()
 * through a pipe for stream sockets where the kernel allows it. */
#ifndef SOCKIT_RELAY_H
#define SOCKIT_RELAY_H

#include <signal.h>
#include <sys/socket.h>

struct relay {
	int in, out;		/* local ends (stdin/stdout); in < 0: no
				 * input */
	int sock;		/* connected socket (made non-blocking) */
	int type;		/* its SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET,
				 * ... */
	long long recv_max;	/* stop after this many bytes from the socket; <
				 * 0: no limit */
	double idle;		/* TimeoutError after this long without traffic;
				 * < 0: never */
	double linger;		/* datagrams: wait this long for replies once
				   input ends; streams: for input once the
				   peer closed */
	volatile sig_atomic_t *stop;	/* when set and non-zero after a signal:
					 * end */
	int no_splice;		/* force read/write (tests, benchmarks) */
	int crlf;		/* send each LF of in not after a CR as CRLF */
	double eof_wait;	/* once in has ended, read the socket at most
				 * this long (datagrams: after the last one);
				 * < 0: until the peer closes (datagrams:
				 * linger) */
	int no_shutdown;	/* never half-close the socket */
	int send_only;		/* never relay the socket's data: end once in
				 * has ended and been sent */
	int dump_fd;		/* > 0: a hexdump -C style dump of the traffic
				 * there, '>' lines sent, '<' received (both
				 * then read/write) */
	int keep_in;		/* in outlives the connection (listen -k): once
				 * the peer has closed, end without reading
				 * more of it, which is the next one's */
	unsigned long long bytes_in, bytes_out;	/* out: from / to the socket */
	int out_closed;		/* out: -1 returned because writing r->out
				   failed with EPIPE (the reader is gone) */
	int in_eof;		/* out: r->in reached its end */
};

/* Relays r->in to r->sock and r->sock to r->out until the peer closes (or
 * recv_max is reached), half-closing the socket when the input ends.  Once
 * the peer has closed, input still flowing (not a terminal) is sent on until
 * it ends or pauses for max(linger, 5) seconds, so a half-closing peer loses
 * nothing (not with keep_in).  For
 * datagram sockets each input read is one datagram and the relay ends
 * linger seconds after the input.  Returns 0, or -1 with the OSError
 * (TimeoutError after idle seconds) pending. */
int relay_run(struct relay *r);

/* recvfrom() of one whole datagram or seqpacket message into *buf, first
 * grown from *cap (a malloc'd size) to the message's length, which
 * MSG_PEEK|MSG_TRUNC tells, so that nothing is cut.  Returns as
 * recvfrom(). */
ssize_t recv_whole(int fd, char **buf, size_t *cap, int flags,
    struct sockaddr *from, socklen_t *fromlen);

#endif
