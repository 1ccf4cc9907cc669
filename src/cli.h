/* cli.h - global options (SPEC section 2), per-command option specs and the
 * getopt_long arrays, usage text and completion words built from them. */
#ifndef SOCKIT_CLI_H
#define SOCKIT_CLI_H

#include <getopt.h>
#include <signal.h>
#include "emit.h"

struct globals {
	enum fmt fmt;		/* -f/-j/-r */
	int family;		/* -4/-6: AF_INET, AF_INET6, or AF_UNSPEC */
	int verbose;		/* -v: 1, -q: -1 */
	int timeout_set;	/* -t given */
	double timeout;
};
extern struct globals G;

/* One option of a task command.  has_arg as getopt_long's; val is the
 * short option character or a code >= 256 for long-only options. */
struct optspec {
	const char *name;	/* long name, without "--" */
	int has_arg;
	int val;
	const char *argname;	/* "N", "ADDR", ... (NULL without argument) */
	const char *help;
};

/* -o LEVEL:NAME=VALUE, the same in every task command (SPEC section 8). */
#define OPTSPEC_SOCKOPT \
	{ "option", required_argument, 'o', "LEVEL:NAME=VALUE", "setsockopt by constant names (repeatable)" }

/* The global options, in optspec form (for help, completion and merging). */
extern const struct optspec global_opts[];

/* Handles option c of the global set (its short letter or long code) with
 * argument arg.  Returns 1 when it was a global option, 0 when it was not,
 * -1 for a bad value (usage exception pending). */
int global_option(int c, const char *arg);

/* getopt_long over argv with the command's specs plus the global options
 * (NULL-terminated spec array).  Returns like getopt_long, handling global
 * options itself; on an unknown option or missing argument, sets a usage
 * exception and returns '?'.  Prints help and exits for -h/--help. */
int cli_getopt(int argc, char **argv, const char *cmd, const struct optspec *specs);

/* Prints the usage of a command (from the table) on stream f. */
void cli_usage(const char *cmd, void *f);
/* Sets a usage exception "cmd: message" (printf-like). */
void usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a float/int option value into *d (a usage exception when bad). */
int cli_number(const char *cmd, const char *opt, const char *s, double *d);
int cli_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);

/* SIGINT or SIGTERM caught by a task command (0: none yet). */
extern volatile sig_atomic_t cli_signal;
/* Catches SIGINT, SIGTERM and (unless ignored, as under nohup) SIGHUP into
 * cli_signal, without SA_RESTART, so that blocking calls return EINTR and
 * the command can clean up. */
void cli_catch_signals(void);
/* The exit status for the signal caught: 128 + its number (SIGINT 130,
 * SIGTERM 143, SIGHUP 129). */
int cli_signal_status(void);
struct addrinfo;
/* getaddrinfo(3), during which a caught SIGINT/SIGTERM ends the program at
 * once, by the signal, as if it were not caught: glibc retries EINTR, so a
 * lookup that hangs could not be interrupted otherwise. */
int cli_getaddrinfo(const char *host, const char *port, const struct addrinfo *hints,
    struct addrinfo **res);

struct call;
/* Runs command name: a function command with the call c (its result in
 * *result), or a task command with argc/argv (argv[0] is its name).
 * Returns the exit status, or -1 with an exception pending. */
int cli_run(const char *name, int argc, char **argv, struct call *c, value **result);
/* Is name a command?  *is_fn tells whether it is a function command. */
int cli_is_command(const char *name, int *is_fn);
void cli_print_help(void);
/* The hidden commands behind completions and the man page drift test. */
int cli_complete(int argc, char **argv);
int cli_synopsis(const char *cmd);

#endif
