/* front.h - the top layer: the global options, the command table (task
 * commands from front/commands.def, function commands from the runtime's
 * registry), help, synopsis and completion.  See src/LAYERS. */
#ifndef SOCKIT_FRONT_H
#define SOCKIT_FRONT_H

#include <stdio.h>
#include "emit.h"
#include "front/opt.h"

struct globals {
	int fmt;		/* -f/-j/-r: enum fmt */
	int family;		/* -4/-6: AF_INET, AF_INET6, or AF_UNSPEC */
	int verbose;		/* -v: 1, -q: -1 */
	int timeout_set;	/* -t given */
	double timeout;
	int stdin_closed;	/* fd 0 was closed at start (now /dev/null) */
};
extern struct globals G;

/* Task command handlers: they return the exit status, -1 with an exception
 * pending, or OPT_ST_HELP / OPT_ST_VERSION from opt_parse. */
#define TASK(id, name, synopsis, summary) \
	int cmd_##id(int argc, char **argv); \
	extern const struct opt cmd_##id##_opts[];
#include "front/commands.def"
#undef TASK

/* Is name a command?  *is_fn tells whether it is a function command. */
int front_is_command(const char *name, int *is_fn);
/* Runs task command name with argv (argv[0] is its name). */
int front_run_task(const char *name, int argc, char **argv);
/* The usage of a command (from the table) on f; 0, or -1 on a write error. */
void front_usage(const char *cmd, FILE *f);
/* Prints the list of commands (sockit help). */
void front_help(FILE *f);
/* Prints the pending usage exception of cmd (NULL: before any command) in
 * SPEC 5's three lines, or one JSON object.  Returns 2. */
int front_usage_error(const char *cmd, int json);
/* The keyword specs of function command name, built from its signature
 * (a static array ending in a NULL name). */
const struct opt *front_kw_specs(const char *name);

/* The hidden commands behind completions and the man page drift test. */
int front_complete(int argc, char **argv);
int front_synopsis(const char *cmd);

#endif
