/* call.h - the arguments of one call of a function (positional values and
 * keyword arguments, as `sockit FUNC ARG... --NAME=VALUE` or eval give
 * them), and the registry of the socket module's functions (functions.def),
 * which the function commands and eval both use. */
#ifndef SOCKIT_CALL_H
#define SOCKIT_CALL_H

#include <stddef.h>
#include "value.h"

struct call {
	const char *name;	/* the function's name, for messages */
	value **args;		/* borrowed */
	size_t nargs;
	const char **kwnames;	/* borrowed */
	value **kwvals;		/* borrowed */
	size_t nkw;
};

typedef value *fn_handler(struct call *c);

/* Function handlers: return a new value, or NULL with an exception
 * pending. */
#define FN(name, sig, summary, flags) value *fn_##name(struct call *c);
#include "functions.def"
#undef FN

enum {
	FNF_ATTR = 0x1,		/* an attribute (has_ipv6), not a function */
	FNF_WORDS = 0x2		/* command-line words are names (const) */
};

struct fninfo {
	const char *name;
	const char *sig;	/* the Python signature */
	const char *summary;
	fn_handler *fn;
	unsigned flags;
};

/* The registry, sorted by name, and its size. */
extern const struct fninfo fn_table[];
extern const size_t fn_count;

/* The registry entry of name, NULL when there is none. */
const struct fninfo *fn_find(const char *name);
/* The handler of a module-level function eval may call by name (not the
 * FNF_ATTR and FNF_WORDS entries); NULL when there is none. */
fn_handler *fn_lookup(const char *name);

#endif
