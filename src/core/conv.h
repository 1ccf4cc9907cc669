/* conv.h - binding call arguments to parameters and converting values to C
 * types, with the exact TypeError/OverflowError wording CPython uses. */
#ifndef SOCKIT_CONV_H
#define SOCKIT_CONV_H

#include <stdint.h>
#include "call.h"

/* How CPython checks a function's arguments; each has its own wording. */
enum argstyle {
	ARGS_PYDEF,	/* a def in socket.py: "f() missing 1 required
			 * positional argument: 'x'" */
	ARGS_TUPLE,	/* PyArg_ParseTuple: "f() takes exactly 1 argument (0
			 * given)" */
	ARGS_METH_O,	/* METH_O: "_socket.f() takes exactly one argument (0
			 * given)" */
	ARGS_NOARGS,	/* METH_NOARGS: "_socket.f() takes no arguments (1
			 * given)" */
	ARGS_KEYWORDS	/* PyArg_ParseTupleAndKeywords / clinic: "f() takes
			   at most 2 arguments (3 given)", "'x' is an
			   invalid keyword argument for f()" */
};

/* Binds c's arguments to the parameters names[] (NULL-terminated; the first
 * npos may be given by position, the rest only by keyword; the first nreq
 * are required).  out[i] receives a borrowed value or NULL when absent.
 * fname is the name the messages use ("getaddrinfo", "_socket.htonl").
 * Returns 0, or -1 with TypeError pending. */
int call_bind(const struct call *c, enum argstyle style, const char *fname,
    const char *const names[], int npos, int nreq, value **out);

/* __index__: an int, bool or enum.  *big is set (and *out clamped) when it
 * does not fit in int64.  TypeError "'T' object cannot be interpreted as an
 * integer" otherwise. */
int conv_index(const value *v, int64_t *out, int *big);
/* conv_index that fits a C long (OverflowError "Python int too large to
 * convert to C long"). */
int conv_long(const value *v, long *out);
/* A float or an int as a double (TypeError "must be real number, not T"). */
int conv_double(const value *v, double *out);
/* Is v a bytes-like object (bytes, bytearray)? */
int is_buffer(const value *v);

/* CPython's getargs formats and C-integer conversions, with its wording.
 * Each returns 0, or -1 with the exception pending. */
/* 'i': an int that fits a C int ("signed integer is greater than maximum";
 * "Python int too large to convert to C long" beyond a long). */
int arg_int(const value *v, int *out);
/* 'I': an int, taken modulo 2**32. */
int arg_uint_mask(const value *v, unsigned *out);
/* PyLong_AsUnsignedLong on an int-like v (ranges and wording included). */
int arg_ulong(const value *v, uint64_t *out);
/* _PyLong_AsInt (argument clinic's int): "Python int too large to convert
 * to C int". */
int arg_cint(const value *v, int *out);
/* 'n': an int that fits Py_ssize_t. */
int arg_n(const value *v, int64_t *out);
/* PyUnicode_FSConverter: str or bytes as file-system bytes without NUL;
 * *len (when not NULL) gets the length. */
int arg_fspath(const value *v, const char **out, size_t *len);
/* 'y*': a bytes-like object. */
int arg_buffer(const value *v, const char **p, size_t *n);

#endif
