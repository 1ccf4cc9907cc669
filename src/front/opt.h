/* opt.h - the one option engine.  Every option of every command, the
 * global ones and the keyword arguments of function commands are declared
 * as typed specs; the engine builds getopt_long's tables from them, parses,
 * converts and range-checks each value into its destination, checks
 * conflicts, requirements and subcommands, and never exits.
 *
 * The rule for long names is getopt_long's: a name may be shortened to any
 * prefix that no other option of the same command shares (--all for
 * --all-errors); an ambiguous prefix is an error that names the
 * candidates.  A word that starts with '-' but is not an option of the
 * command (-1, -0x10, -.5) is a positional argument. */
#ifndef SOCKIT_OPT_H
#define SOCKIT_OPT_H

#include <stddef.h>

enum opt_type {
	OPT_FLAG,	/* int: set to 1 */
	OPT_SET,	/* int: set to .lo (-j: fmt = FMT_JSON) */
	OPT_ADD,	/* int: add .lo (-v: +1, -q: -1) */
	OPT_INT,	/* long: an integer (0x.., 0o.. too) from .lo to .hi */
	OPT_NUM,	/* double: a number from .lo to .hi (OPTF_GT: above
			 * .lo) */
	OPT_MODE,	/* long: octal permission bits, 0 to 07777 */
	OPT_STR,	/* const char *: the word as given */
	OPT_CONST,	/* long: constant names joined by '|', or a number */
	OPT_CHOICE,	/* int: the index of the word in .choices */
	OPT_FN,		/* .fn(obj, arg): the command's own conversion */
	OPT_KW,		/* a function's keyword argument (struct args.kw) */
	OPT_HELP,	/* -h: opt_parse returns OPT_ST_HELP */
	OPT_VERSION	/* -V: opt_parse returns OPT_ST_VERSION */
};

/* What completes an option's argument (sockit __complete). */
enum opt_comp {
	COMP_NONE,	/* nothing to offer: the shell completes file names */
	COMP_IFACE,	/* network interface names */
	COMP_CONST,	/* constant names, joined by '|' */
	COMP_COMMAND,	/* command names */
	COMP_CHOICE,	/* the words of .choices */
	COMP_USER	/* user names */
};

#define OPTF_REPEAT	0x1	/* may be given more than once (else: last
				 * wins) */
#define OPTF_GT		0x2	/* OPT_NUM: strictly above .lo */
#define OPTF_OPTARG	0x4	/* OPT_STR: the argument is optional, given
				 * only as --NAME=ARG (never the next word);
				 * without it the value is "" */

struct opt {
	const char *name;	/* long name, without "--" */
	int letter;		/* short option letter, 0 for none */
	enum opt_type type;
	size_t off;		/* destination: offset in the command's
				 * struct */
	double lo, hi;		/* range, or OPT_SET/OPT_ADD's value */
	const char *arg;	/* the argument's name in usage, NULL for
				 * none */
	const char *help;
	enum opt_comp comp;
	unsigned flags;
	const char *conflicts;	/* long names it cannot go with, '
				 * '-separated */
	const char *needs;	/* the long name of an option it needs */
	const char *sub;	/* the subcommands (first word) it is for */
	/* OPT_FN: converts arg into the destination; opt is the option as
	 * given ("-t", "--timeout"), for messages.  0, or -1 with an exception
	 * (a usage one, or a Python one that the engine names the option in) */
	int (*fn)(void *dst, const char *arg, const char *opt);
	const char *const *choices;	/* OPT_CHOICE: NULL-terminated */
	const char *const *choice_help;	/* a description of each, for
					 * completion */
};

/* Shorthands for the tables: struct type S, field F. */
#define OPTDST(S, F) .off = offsetof(S, F)

/* The result of one parse: the positional words in order (those after a
 * "--" from index ndash on) and, for function commands, the keyword
 * arguments in the order given. */
struct args {
	int n;
	char **v;
	int ndash;		/* n when there was no "--" */
	int dash;		/* a "--" ended the options */
	int nkw;
	const char **kwname;	/* the parameter's name (dashes as '_') */
	const char **kwval;	/* the word given */
};

enum { OPT_ST_HELP = -2, OPT_ST_VERSION = -3 };

/* Parses argv (argv[0] is the command's name cmd) against the command's
 * specs opts (into obj; an array ending in a spec with a NULL name; may be
 * NULL) and the global ones (into the front's globals).  Returns 0 with *a
 * filled (free it with args_free), OPT_ST_HELP or OPT_ST_VERSION for -h
 * and -V, or -1 with a usage exception pending (*a is empty then). pass_kw: a
 * --NAME=VALUE word that names no option is a keyword argument (function
 * commands). */
int opt_parse(const char *cmd, int argc, char **argv, const struct opt *opts,
    void *obj, int pass_kw, struct args *a);
void args_free(struct args *a);

/* The global options, for help and completion. */
extern const struct opt global_opts[];

/* The spec of long name (namelen bytes of it; a unique prefix is enough) or
 * short letter among opts and the global options; NULL when none. */
const struct opt *opt_find(const struct opt *opts, const char *name,
    size_t namelen, int letter);
/* The spec of w when w is an option word (of opts or the global options)
 * that takes the next word as its argument; NULL otherwise. */
const struct opt *opt_needs_next(const char *w, const struct opt *opts);
/* Does the option take an argument? */
int opt_has_arg(const struct opt *o);

#endif
