/* conv.c - argument binding and conversions with CPython's wording. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conv.h"
#include "emit.h"
#include "error.h"

static int
count_names(const char *const names[])
{
	int n = 0;

	while (names[n])
		n++;
	return n;
}

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" */
static void
name_list(struct buf *b, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i && n > 2)
			buf_puts(b, ",");
		if (i && i == n - 1)
			buf_puts(b, " and");
		if (i)
			buf_puts(b, " ");
		buf_printf(b, "'%s'", names[i]);
	}
}

static int
pydef_missing(const char *fname, const char *const names[], value **out,
    int npos, int nreq)
{
	const char *missing[32];
	int n = 0, i;
	struct buf b = { 0 };

	for (i = 0; i < nreq && i < 32; i++)
		if (out[i] == NULL)
			missing[n++] = names[i];
	if (n == 0)
		return 0;
	buf_printf(&b, "%s() missing %d required positional argument%s: ",
	    fname, n, n == 1 ? "" : "s");
	name_list(&b, missing, n);
	err_set(EXC_TYPE, "%s", b.p);
	free(b.p);
	(void)npos;
	return -1;
}

int
call_bind(const struct call *c, enum argstyle style, const char *fname,
    const char *const names[], int npos, int nreq, value **out)
{
	int nnames = count_names(names), i;
	size_t k;
	int given = (int)(c->nargs + c->nkw);

	for (i = 0; i < nnames; i++)
		out[i] = NULL;
	switch (style) {
	case ARGS_NOARGS:
		if (c->nkw) {
			err_set(EXC_TYPE, "%s() takes no keyword arguments",
			    fname);
			return -1;
		}
		if (given) {
			err_set(EXC_TYPE, "%s() takes no arguments (%d given)",
			    fname, given);
			return -1;
		}
		return 0;
	case ARGS_METH_O:
		if (c->nkw) {
			err_set(EXC_TYPE, "%s() takes no keyword arguments",
			    fname);
			return -1;
		}
		if (c->nargs != 1) {
			err_set(EXC_TYPE,
			    "%s() takes exactly one argument (%zu given)",
			    fname, c->nargs);
			return -1;
		}
		out[0] = c->args[0];
		return 0;
	case ARGS_TUPLE:
		if (c->nkw) {
			err_set(EXC_TYPE, "%s() takes no keyword arguments",
			    fname);
			return -1;
		}
		/* fall through */
	case ARGS_KEYWORDS:
		if ((int)c->nargs < nreq || (int)c->nargs > npos ||
		    given > nnames) {
			int n = (int)c->nargs < nreq ? nreq : npos;
			const char *how = nreq == npos ? "exactly" :
			    (int)c->nargs < nreq ? "at least" : "at most";

			if (style == ARGS_KEYWORDS && (int)c->nargs <= npos &&
			    given > nnames)
				n = nnames, how = "at most";
			if ((int)c->nargs < nreq && style == ARGS_KEYWORDS &&
			    c->nkw)
				break;	/* keywords may supply them; checked
					 * below */
			err_set(EXC_TYPE,
			    "%s() takes %s %d argument%s (%d given)", fname,
			    how, n, n == 1 ? "" : "s",
			    style == ARGS_KEYWORDS ? given : (int)c->nargs);
			return -1;
		}
		break;
	case ARGS_PYDEF:
		if ((int)c->nargs > npos) {
			if (nreq == npos)
				err_set(EXC_TYPE, "%s() takes %d positional argument%s but %zu %s given",
				    fname, npos, npos == 1 ? "" : "s", c->nargs,
				    c->nargs == 1 ? "was" : "were");
			else
				err_set(EXC_TYPE, "%s() takes from %d to %d positional arguments but %zu %s given",
				    fname, nreq, npos, c->nargs,
				    c->nargs == 1 ? "was" : "were");
			return -1;
		}
		break;
	}
	for (k = 0; k < c->nargs && (int)k < npos; k++)
		out[k] = c->args[k];
	for (k = 0; k < c->nkw; k++) {
		for (i = 0; i < nnames; i++)
			if (strcmp(names[i], c->kwnames[k]) == 0)
				break;
		if (i == nnames) {
			if (style == ARGS_PYDEF)
				err_set(EXC_TYPE, "%s() got an unexpected keyword argument '%s'", fname, c->kwnames[k]);
			else
				err_set(EXC_TYPE, "'%s' is an invalid keyword argument for %s()", c->kwnames[k], fname);
			return -1;
		}
		if (out[i]) {
			if (style == ARGS_PYDEF)
				err_set(EXC_TYPE,
				    "%s() got multiple values for argument '%s'",
				    fname, names[i]);
			else
				err_set(EXC_TYPE, "argument for %s() given by name ('%s') and position (%d)",
				    fname, names[i], i + 1);
			return -1;
		}
		out[i] = c->kwvals[k];
	}
	if (style == ARGS_PYDEF)
		return pydef_missing(fname, names, out, npos, nreq);
	for (i = 0; i < nreq; i++)
		if (out[i] == NULL) {
			err_set(EXC_TYPE,
			    "%s() missing required argument '%s' (pos %d)",
			    fname, names[i], i + 1);
			return -1;
		}
	return 0;
}

int
conv_index(const value *v, int64_t *out, int *big)
{
	if (!v_is_int(v)) {
		err_set(EXC_TYPE,
		    "'%s' object cannot be interpreted as an integer",
		    v_typename(v));
		return -1;
	}
	*out = v_as_i64(v, big);
	return 0;
}

int
conv_long(const value *v, long *out)
{
	int64_t i;
	int big;

	if (conv_index(v, &i, &big) < 0)
		return -1;
	if (big) {
		err_set(EXC_OVERFLOW,
		    "Python int too large to convert to C long");
		return -1;
	}
	*out = (long)i;
	return 0;
}

int
conv_double(const value *v, double *out)
{
	if (v->kind == V_FLOAT) {
		*out = v->u.f;
		return 0;
	}
	if (v_is_int(v)) {
		int over;

		*out = v_to_double(v, &over);
		if (over) {
			err_set(EXC_OVERFLOW,
			    "int too large to convert to float");
			return -1;
		}
		return 0;
	}
	err_set(EXC_TYPE, "must be real number, not %s", v_typename(v));
	return -1;
}

int
is_buffer(const value *v)
{
	return v->kind == V_BYTES || v->kind == V_BYTEARRAY;
}

/* ---- the getargs formats ------------------------------------------------- */

/* ---- integers ------------------------------------------------------------ */

/* 'i' (getargs): an int-like that fits a C int. */
int
arg_int(const value *v, int *out)
{
	long i;

	if (conv_long(v, &i) < 0)
		return -1;
	if (i > INT_MAX) {
		err_set(EXC_OVERFLOW, "signed integer is greater than maximum");
		return -1;
	}
	if (i < INT_MIN) {
		err_set(EXC_OVERFLOW, "signed integer is less than minimum");
		return -1;
	}
	*out = (int)i;
	return 0;
}

/* The decimal text of a big int modulo 2**64 (two's complement). */
static uint64_t
big_mod64(const char *dec)
{
	const char *p = dec + (*dec == '-');
	uint64_t r = 0;

	for (; *p; p++)
		r = r * 10 + (uint64_t)(*p - '0');	/* wraps: arithmetic mod
							 * 2**64 */
	return *dec == '-' ? (uint64_t)0 - r : r;
}

int
arg_uint_mask(const value *v, unsigned *out)
{
	int64_t i;
	int big;

	if (conv_index(v, &i, &big) < 0)
		return -1;
	if (big)
		*out = (unsigned)big_mod64(v->u.n.big);
	else
		*out = (unsigned)(uint64_t)i;
	return 0;
}

int
arg_ulong(const value *v, uint64_t *out)
{
	int64_t i;
	int big;

	if (conv_index(v, &i, &big) < 0)
		return -1;
	if (big < 0 || (!big && i < 0)) {
		err_set(EXC_OVERFLOW,
		    "can't convert negative value to unsigned int");
		return -1;
	}
	if (big) {
		const char *d = v->u.n.big;

		/* fits when below 2**64 = 18446744073709551616 */
		if (strlen(d) > 20 ||
		    (strlen(d) == 20 && strcmp(d,
		    "18446744073709551615") > 0)) {
			err_set(EXC_OVERFLOW,
			    "Python int too large to convert to C unsigned long");
			return -1;
		}
		*out = big_mod64(d);
		return 0;
	}
	*out = (uint64_t)i;
	return 0;
}

/* _PyLong_AsInt (argument clinic's int). */
int
arg_cint(const value *v, int *out)
{
	int64_t i;
	int big;

	if (conv_index(v, &i, &big) < 0)
		return -1;
	if (big || i > INT_MAX || i < INT_MIN) {
		err_set(EXC_OVERFLOW,
		    "Python int too large to convert to C int");
		return -1;
	}
	*out = (int)i;
	return 0;
}

/* 'n': an int-like that fits Py_ssize_t. */
int
arg_n(const value *v, int64_t *out)
{
	int big;

	if (conv_index(v, out, &big) < 0)
		return -1;
	if (big) {
		err_set(EXC_OVERFLOW,
		    "Python int too large to convert to C ssize_t");
		return -1;
	}
	return 0;
}

/* 'y*': a bytes-like object. */
int
arg_buffer(const value *v, const char **p, size_t *n)
{
	if (!is_buffer(v)) {
		err_set(EXC_TYPE, "a bytes-like object is required, not '%s'",
		    v_typename(v));
		return -1;
	}
	*p = v->u.s.p;
	*n = v->u.s.len;
	return 0;
}

int
arg_fspath(const value *v, const char **out, size_t *len)
{
	if (v->kind != V_STR && v->kind != V_BYTES) {
		err_set(EXC_TYPE,
		    "expected str, bytes or os.PathLike object, not %s",
		    v_typename(v));
		return -1;
	}
	if (strlen(v->u.s.p) != v->u.s.len) {
		err_set(EXC_VALUE, "embedded null byte");
		return -1;
	}
	*out = v->u.s.p;
	if (len)
		*len = v->u.s.len;
	return 0;
}
