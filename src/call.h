/* call.h - the arguments of one call of a function: positional values and
 * keyword arguments, as `sockit FUNC ARG... --NAME=VALUE` or eval give them. */
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

/* Function command handlers: return a new value, or NULL with an exception
 * pending. */
#define FN(name, sig, summary) value *fn_##name(struct call *c);
#define TASK(id, name, synopsis, summary)
#include "commands.def"
#undef FN
#undef TASK

/* Task command handlers (return the exit status) and their option specs. */
#include "cli.h"
#define FN(name, sig, summary)
#define TASK(id, name, synopsis, summary) \
	int cmd_##id(int argc, char **argv); \
	extern const struct optspec cmd_##id##_opts[];
#include "commands.def"
#undef FN
#undef TASK

/* Looks up a module-level function by name (NULL when there is none). */
fn_handler *fn_lookup(const char *name);

#endif
