/* netcmd.h - what the network task commands (connect, listen, echo,
 * resolve) share: -o lists, the listening socket, the bound-address line.  Implemented in cmd/netcmd.c. */
#ifndef SOCKIT_NETCMD_H
#define SOCKIT_NETCMD_H

#include <signal.h>
#include <stddef.h>
#include "core/address.h"
#include "front/opt.h"

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
	OPTDST(S, F), .arg = "LEVEL:NAME=VALUE", .comp = COMP_CONST, .flags = OPTF_REPEAT, \
	.help = "setsockopt by constant names (repeatable)", .fn = netopts_opt }

/* The socket timeout the global -t gives (< 0: None). */
double net_timeout(void);

/* Prints getsockname() of s on stderr in the chosen format, flushed. */
void net_print_bound(const struct sock *s);

/* A bound (and for stream types listening) socket for a, as listen and
 * echo open it.  mode < 0: the default 0600 for UNIX socket files.
 * NULL with an exception pending. */
struct sock *net_server(const struct taskaddr *a, const struct netopts *no, int backlog,
    int reuse_port, int dualstack, int mode, int unlink_first);

/* Removes the UNIX socket file of a server made by net_server (if any). */
void net_server_cleanup(const struct taskaddr *a);


#endif
