/* cmdtab.h - the task command rows, for the front's own files. */
#ifndef SOCKIT_CMDTAB_H
#define SOCKIT_CMDTAB_H

#include <stddef.h>
#include "front/opt.h"

struct task {
	const char *name, *synopsis, *summary;
	const struct opt *opts;
	int (*run)(int argc, char **argv);
};

extern const struct task task_table[];
extern const size_t task_count;

/* The row of task command name, NULL when there is none. */
const struct task *task_find(const char *name);

#endif
