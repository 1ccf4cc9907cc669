/* resolve.h - argument conversions shared by the module-level functions
 * (core/netfuncs.c, core/resolve.c), each with the exact wording of the
 * CPython 3.11 converter it stands for.  All return 0, or -1 with the
 * exception pending. */
#ifndef SOCKIT_RESOLVE_H
#define SOCKIT_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include "value.h"

/* PyArg_ParseTuple "s": a str without surrogates or NUL; *out borrows v's
 * UTF-8 text.  fname/argn name the argument in the TypeError. */
int arg_str(const value *v, const char *fname, int argn, const char **out);

/* The family that getaddrinfo() and create_connection() resolve to when
 * they are given none (AF_UNSPEC, the default; sockit's -4/-6 set it, as
 * -t sets the default timeout). */
extern int resolve_family;

#endif
