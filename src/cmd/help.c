/* help.c - sockit help [COMMAND]: the list of commands, or one's usage. */
#include <stdio.h>

#include "error.h"
#include "front/front.h"

const struct opt cmd_help_opts[] = { { .name = NULL } };

int
cmd_help(int argc, char **argv)
{
	struct args a;
	int r;

	if ((r = opt_parse("help", argc, argv, cmd_help_opts, NULL, 0,
	    &a)) != 0)
		return r;
	if (a.n > 1) {
		usage_error("help", "one COMMAND expected");
		r = -1;
	} else if (a.n == 0) {
		front_help(stdout);
	} else if (!front_is_command(a.v[0], NULL)) {
		usage_error("help", "unknown command '%s'", a.v[0]);
		r = -1;
	} else {
		front_usage(a.v[0], stdout);
	}
	args_free(&a);
	return r;
}

