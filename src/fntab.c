/* fntab.c - the registry of the socket module's functions (functions.def). */
#include <string.h>

#include "call.h"

const struct fninfo fn_table[] = {
#define FN(name, sig, summary, flags) { #name, sig, summary, fn_##name, flags },
#include "functions.def"
#undef FN
};
const size_t fn_count = sizeof fn_table / sizeof fn_table[0];

const struct fninfo *
fn_find(const char *name)
{
	size_t i;

	for (i = 0; i < fn_count; i++)
		if (strcmp(fn_table[i].name, name) == 0)
			return &fn_table[i];
	return NULL;
}

fn_handler *
fn_lookup(const char *name)
{
	const struct fninfo *f = fn_find(name);

	return f && !(f->flags & (FNF_ATTR | FNF_WORDS)) ? f->fn : NULL;
}
