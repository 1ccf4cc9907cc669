/* netcmd.h - what the network task commands (connect, listen, echo,
 * resolve) share: -o lists, the listening socket, the bound-address line.
 * Implemented in cmd/netcmd.c. */
#ifndef SOCKIT_NETCMD_H
#define SOCKIT_NETCMD_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include "core/taskaddr.h"
#include "front/opt.h"
#include "value.h"

struct sock;

/* The -o options of one command line. */
struct netopts {
	struct sockopt_req *o;
	size_t n;
};

void netopts_free(struct netopts *no);
/* Adds -o LEVEL:NAME=VALUE to the list field (a struct netopts): an OPT_FN
 * conversion.  0, or -1 with a usage exception pending. */
int netopts_opt(void *field, const char *arg, const char *opt);

/* -o LEVEL:NAME=VALUE, the same in every task command (SPEC section 8):
 * struct S keeps its list in field F, a struct netopts. */
#define OPT_SOCKOPT(S, F) { .name = "option", .letter = 'o', .type = OPT_FN, \
	OPTDST(S, F), .arg = "LEVEL:NAME=VALUE", .comp = COMP_CONST, \
	.flags = OPTF_REPEAT, \
	.help = "setsockopt by constant names (repeatable)", .fn = netopts_opt }

/* The options the servers (listen, echo) share, on struct S with fields
 * no, backlog, dualstack, mode, reuse_port, unlink_first. */
#define OPT_SERVER(S, backlog_help) \
	{ .name = "backlog", .type = OPT_INT, OPTDST(S, backlog), .lo = 0, \
	  .hi = 0x7fffffff, \
	  .arg = "N", .help = backlog_help }, \
	{ .name = "dualstack", .type = OPT_FLAG, OPTDST(S, dualstack), \
	  .help = "IPv6 socket that also accepts IPv4 (IPV6_V6ONLY=0)" }, \
	{ .name = "mode", .type = OPT_MODE, OPTDST(S, mode), .arg = "MODE", \
	  .help = "permissions of a UNIX socket file (default 0600)" }, \
	OPT_SOCKOPT(S, no), \
	{ .name = "reuse-port", .type = OPT_FLAG, OPTDST(S, reuse_port), \
	  .help = "set SO_REUSEPORT" }, \
	{ .name = "unlink", .type = OPT_FLAG, OPTDST(S, unlink_first), \
	  .help = "remove a stale UNIX socket file first" }

/* The options that change what the relay of connect and listen sends and
 * shows, on struct S with fields crlf and hexdump; conflicts (a string):
 * the options without a relay. */
#define OPT_RELAY_VIEW(S, without_relay) \
	{ .name = "crlf", .letter = 'C', .type = OPT_FLAG, OPTDST(S, crlf), \
	  .conflicts = without_relay, \
	  .help = "send each LF of the input as CRLF" }, \
	{ .name = "hexdump", .type = OPT_STR, OPTDST(S, hexdump), \
	  .arg = "FILE", .flags = OPTF_OPTARG, .conflicts = without_relay, \
	  .help = "dump the traffic, hexdump -C style, to FILE (stderr)" }

/* The options that say when the relay of connect and listen ends, on
 * struct S with fields eof_wait (double, < 0 unset), no_shutdown,
 * recv_only, send_only; without_relay as above. */
#define OPT_RELAY_EOF(S, without_relay) \
	{ .name = "eof-wait", .type = OPT_NUM, OPTDST(S, eof_wait), .lo = 0, \
	  .hi = 1e9, .arg = "SEC", .conflicts = without_relay, \
	  .help = "after the input's end, read at most SEC seconds more" }, \
	{ .name = "no-shutdown", .type = OPT_FLAG, OPTDST(S, no_shutdown), \
	  .conflicts = without_relay, \
	  .help = "never half-close the socket (shutdown SHUT_WR)" }, \
	{ .name = "recv-only", .type = OPT_FLAG, OPTDST(S, recv_only), \
	  .conflicts = "send-only " without_relay, \
	  .help = "never read the input: only receive" }, \
	{ .name = "send-only", .type = OPT_FLAG, OPTDST(S, send_only), \
	  .conflicts = without_relay, \
	  .help = "only send; end once the input has ended" }

/* The idle timeout of a relay: --idle-timeout's (idle >= 0), else the
 * global -t's when above 0; < 0: none. */
double net_idle(double idle);

/* The descriptor --hexdump[=FILE] writes to: FILE created or truncated,
 * standard error for "" (NULL: none, 0).  -1 with the OSError pending. */
int net_open_dump(const char *file);
/* Closes it (not standard error). */
void net_close_dump(int fd);

struct args;
/* Checks that a holds exactly one ADDRESS, with a hint for other tools'
 * habits ("8080" for ":8080", "HOST PORT" for "HOST:PORT").  0, or -1
 * with a usage exception pending. */
int net_one_address(const char *cmd, const struct args *a);

/* Splits --source's HOST[:PORT], [V6]:PORT or V6 into malloc'd *host and
 * *port ("0" when none).  0, or -1 with a usage exception for cmd. */
int net_split_source(const char *cmd, const char *s, char **host,
    char **port);

/* Runs cmd with /bin/sh -c in a child of its own process group, connection
 * fd (of ADDRESS a) its stdin and stdout, SOCKIT_PEER_ADDR, _PEER_PORT,
 * _LOCAL_ADDR, _LOCAL_PORT and SOCKIT_PROTO in its environment.  The caller
 * keeps fd, to end it with net_conn_finish() once the child is done.
 * Returns the pid, or -1 with the OSError pending. */
pid_t net_spawn(const char *cmd, int fd, const struct taskaddr *a);
/* Ends a connection whose command is done: half-close, take what the peer
 * already sent (so close() sends no RST over unread data), close. */
void net_conn_finish(int fd);
/* The exit status of a wait() status, as a shell gives it. */
int net_wait_status(int st);

/* The socket timeout the global -t gives (< 0: None). */
double net_timeout(void);

/* Prints getsockname() of s on stderr in the chosen format, flushed. */
void net_print_bound(const struct sock *s);

/* A bound (and for stream types listening) socket for a, as listen and
 * echo open it.  mode < 0: the default 0600 for UNIX socket files.
 * NULL with an exception pending. */
struct sock *net_server(const struct taskaddr *a, const struct netopts *no,
    int backlog, int reuse_port, int dualstack, int mode, int unlink_first);

/* -v: a connection's notes on stderr, from net_note_open() to
 * net_note_close() (nothing without -v). */
struct conn_note {
	value *addr;		/* the peer's address, NULL when not noting */
	double t0;		/* mono_now() at the start */
};

/* Notes that connection fd (of protocol proto) is open: "sockit: EVENT
 * ADDR" with the peer's address, {"event": EVENT, "address": ADDR} under
 * -j.  EVENT is "connected to" or "connection from" ("connected",
 * "accepted" in JSON). */
void net_note_open(struct conn_note *n, int fd, int proto, int accepted);
/* The same for the peer address sa (len 0: unknown, None). */
void net_note_open_addr(struct conn_note *n, const struct sockaddr *sa,
    socklen_t len, int proto, int accepted);
/* Notes its end: "sockit: closed ADDR: SENT bytes sent, RECEIVED
 * received, SEC s", a "closed" object with bytes_sent, bytes_received and
 * seconds under -j.  Frees n's address. */
void net_note_close(struct conn_note *n, unsigned long long sent,
    unsigned long long received);

/* Notes the end of a connection whose bytes went elsewhere (listen
 * --exec): "sockit: closed ADDR: SEC s", or the "closed" object with
 * seconds alone.  Frees n's address. */
void net_note_end(struct conn_note *n);

/* Removes the UNIX socket file of a server made by net_server (if any). */
void net_server_cleanup(const struct taskaddr *a);


#endif
