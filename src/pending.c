/* pending.c - TEMPORARY (removed before any issue is called resolved): weak
 * definitions for commands whose implementation is still being written, so
 * the tree builds while they are. */
#include "call.h"
#include "cli.h"
#include "error.h"

#define FN(name, sig, summary) \
	__attribute__((weak)) value *fn_##name(struct call *c) \
	{ (void)c; err_set(EXC_NOTIMPL, "%s", #name); return NULL; }
#define TASK(id, name, synopsis, summary) \
	__attribute__((weak)) const struct optspec cmd_##id##_opts[] = { { 0, 0, 0, 0, 0 } }; \
	__attribute__((weak)) int cmd_##id(int argc, char **argv) \
	{ (void)argc; (void)argv; err_set(EXC_NOTIMPL, "%s", name); return -1; }
#include "commands.def"
#undef FN
#undef TASK
