/* ops.c - Python's operators on sockit values: arithmetic (ints of any size,
 * floats), sequences, comparisons, subscripts and slices, iteration,
 * with CPython's results and error messages. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/consts.h"
#include "error.h"
#include "eval/bigint.h"
#include "eval/eval.h"

typedef __int128 i128;

static const char *const opsym[] = {
	[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/",
	[OP_FLOORDIV] = "//", [OP_MOD] = "%", [OP_POW] = "** or pow()",
	    [OP_MATMUL] = "@",
	[OP_LSHIFT] = "<<", [OP_RSHIFT] = ">>", [OP_AND] = "&", [OP_OR] = "|",
	    [OP_XOR] = "^",
	[OP_NEG] = "-", [OP_POS] = "+", [OP_INVERT] = "~",
	[OP_EQ] = "==", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
	    [OP_GT] = ">", [OP_GE] = ">=",
};

static int is_bytes_like(const value *v)
{
	char *p;
	size_t n;
	int ro;

	return v->kind == V_BYTES || v->kind == V_BYTEARRAY ||
	    memview_buffer(v, &p, &n, &ro);
}

/* The bytes of a bytes-like value. */
static void
bytes_of(const value *v, const char **p, size_t *n)
{
	char *q;
	int ro;

	if (memview_buffer(v, &q, n, &ro)) {
		*p = q;
		return;
	}
	*p = v->u.s.p;
	*n = v->u.s.len;
}

static int is_big(const value *v) { return v->kind == V_INT &&
    v->u.n.big != NULL; }

/* An int-like value that is not big (an int64) as a 128-bit integer. */
static i128
to_i128(const value *v)
{
	return v_as_i64(v, NULL);
}

static value *
from_i128(i128 x)
{
	char buf[48], *p = buf + sizeof buf;
	unsigned __int128 u;

	if (x >= INT64_MIN && x <= INT64_MAX)
		return v_int((int64_t)x);
	u = x < 0 ? -(unsigned __int128)x : (unsigned __int128)x;
	*--p = '\0';
	do {
		*--p = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (x < 0)
		*--p = '-';
	return v_bigint(p);
}

/* float(v) of an int or float: 0, or -1 with CPython's OverflowError. */
static int
to_double(const value *v, double *out)
{
	int over;

	*out = v_to_double(v, &over);
	if (over) {
		err_set(EXC_OVERFLOW, "int too large to convert to float");
		return -1;
	}
	return 0;
}

static int is_flag(const value *v) { return v->kind == V_ENUM &&
    enum_is_flag(v->u.e.cls); }

/* & | ^ result class: an IntFlag keeps its class (on the left, or on the
 * right of a plain int); bool op bool stays bool. */
static value *
bitwise_result(const value *a, const value *b, i128 x)
{
	if (a->kind == V_BOOL && b->kind == V_BOOL)
		return v_bool(x != 0);
	if (x >= INT64_MIN && x <= INT64_MAX) {
		if (is_flag(a))
			return v_enum(a->u.e.cls, (int64_t)x);
		if (a->kind == V_INT && is_flag(b))
			return v_enum(b->u.e.cls, (int64_t)x);
	}
	return from_i128(x);
}

/* x >> y on int64 operands */
static value *
int_rshift(i128 x, i128 y)
{
	if (y < 0) {
		err_set(EXC_VALUE, "negative shift count");
		return NULL;
	}
	return from_i128(y >= 127 ? (x < 0 ? -1 : 0) : x >> (int)y);
}

static value *
int_binary(int op, const value *a, const value *b)
{
	i128 x, y, r;

	/* an operand outside int64, and ** and <<, which leave it, take
	 * the arbitrary-precision path */
	if (is_big(a) || is_big(b) || op == OP_POW || op == OP_LSHIFT)
		return bigint_binary(op, a, b);
	x = to_i128(a), y = to_i128(b);	/* int64 operands: + - * cannot
					 * overflow */
	switch (op) {
	case OP_ADD: return from_i128(x + y);
	case OP_SUB: return from_i128(x - y);
	case OP_MUL: return from_i128(x * y);
	case OP_DIV:
		if (x > ((i128)1 << 53) || x < -((i128)1 << 53) ||
		    y > ((i128)1 << 53) ||
		    y < -((i128)1 << 53))
			return bigint_binary(op, a, b);	/* correctly rounded */
		if (y == 0) {
			err_set(EXC_ZERODIV, "division by zero");
			return NULL;
		}
		return v_float((double)x / (double)y);
	case OP_FLOORDIV: case OP_MOD:
		if (y == 0) {
			err_set(EXC_ZERODIV,
			    op == OP_MOD ? "integer modulo by zero" :
			    "integer division or modulo by zero");
			return NULL;
		}
		if (y == -1)	/* avoids the INT128_MIN / -1 trap */
			return op == OP_MOD ? v_int(0) : from_i128(-x);
		r = x % y;
		if (r != 0 && ((r < 0) != (y < 0)))
			return op == OP_MOD ? from_i128(r + y) :
			    from_i128(x / y - 1);
		return op == OP_MOD ? from_i128(r) : from_i128(x / y);
	case OP_RSHIFT: return int_rshift(x, y);
	case OP_AND: return bitwise_result(a, b, x & y);
	case OP_OR: return bitwise_result(a, b, x | y);
	case OP_XOR: return bitwise_result(a, b, x ^ y);
	default: break;
	}
	err_set(EXC_TYPE, "unsupported operand type(s) for %s: '%s' and '%s'",
	    opsym[op], v_typename(a), v_typename(b));
	return NULL;
}

static value *
float_binary(int op, const value *a, const value *b)
{
	double x, y, r;

	if (to_double(a, &x) < 0 || to_double(b, &y) < 0)
		return NULL;

	switch (op) {
	case OP_ADD: return v_float(x + y);
	case OP_SUB: return v_float(x - y);
	case OP_MUL: return v_float(x * y);
	case OP_DIV:
		if (y == 0.0)
			goto zero;
		return v_float(x / y);
	case OP_FLOORDIV: case OP_MOD: {
		double mod, div, fl;

		if (y == 0.0)
			goto zero;
		mod = fmod(x, y);	/* CPython's float_divmod */
		div = (x - mod) / y;
		if (mod != 0.0) {
			if ((y < 0) != (mod < 0)) {
				mod += y;
				div -= 1.0;
			}
		} else {
			mod = copysign(0.0, y);
		}
		if (div != 0.0) {
			fl = floor(div);
			if (div - fl > 0.5)
				fl += 1.0;
		} else {
			fl = copysign(0.0, x / y);
		}
		return v_float(op == OP_MOD ? mod : fl);
	}
	case OP_POW:
		if (x == 0.0 && y < 0) {
			err_set(EXC_ZERODIV,
			    "0.0 cannot be raised to a negative power");
			return NULL;
		}
		if (x < 0 && y != floor(y)) {
			err_set(EXC_VALUE,
			    "complex numbers are not supported by sockit eval");
			return NULL;
		}
		r = pow(x, y);
		if (isinf(r) && !isinf(x) && !isinf(y)) {
			err_set(EXC_OVERFLOW,
			    "(34, 'Numerical result out of range')");
			return NULL;
		}
		return v_float(r);
	default: break;
	}
	err_set(EXC_TYPE, "unsupported operand type(s) for %s: '%s' and '%s'",
	    opsym[op], v_typename(a), v_typename(b));
	return NULL;
zero:
	err_set(EXC_ZERODIV, "%s", op == OP_DIV ? "float division by zero"
	    : op == OP_MOD ? "float modulo" : "float floor division by zero");
	return NULL;
}

/* a + b on sequences of the same family, or NULL with the TypeError. */
static value *
concat(const value *a, const value *b)
{
	value *r;
	size_t i;

	if (a->kind == V_STR && b->kind == V_STR) {
		r = v_str(a->u.s.p, a->u.s.len);
		goto join_bytes;
	}
	if ((a->kind == V_BYTES || a->kind == V_BYTEARRAY) &&
	    is_bytes_like(b)) {
		r = a->kind == V_BYTES ? v_bytes(a->u.s.p, a->u.s.len) :
		    v_bytearray(a->u.s.p, a->u.s.len);
		goto join_bytes;
	}
	if ((a->kind == V_TUPLE || a->kind == V_LIST) && a->kind == b->kind) {
		r = a->kind == V_LIST ? v_list_new() : v_tuple_new(0);
		for (i = 0; i < a->u.seq.len; i++)
			v_append(r, v_incref(a->u.seq.items[i]));
		for (i = 0; i < b->u.seq.len; i++)
			v_append(r, v_incref(b->u.seq.items[i]));
		return r;
	}
	if (a->kind == V_STR)
		err_set(EXC_TYPE,
		    "can only concatenate str (not \"%s\") to str",
		    v_typename(b));
	else if (a->kind == V_BYTES || a->kind == V_BYTEARRAY)
		err_set(EXC_TYPE, "can't concat %s to %s", v_typename(b),
		    v_typename(a));
	else if (a->kind == V_TUPLE || a->kind == V_LIST)
		err_set(EXC_TYPE, "can only concatenate %s (not \"%s\") to %s",
		    v_typename(a), v_typename(b), v_typename(a));
	else
		err_set(EXC_TYPE,
		    "unsupported operand type(s) for +: '%s' and '%s'",
		    v_typename(a), v_typename(b));
	return NULL;
join_bytes: {
		const char *p;
		size_t n;

		bytes_of(b, &p, &n);
		r->u.s.p = xrealloc(r->u.s.p, r->u.s.len + n + 1);
		if (n)
			memcpy(r->u.s.p + r->u.s.len, p, n);
		r->u.s.len += n;
		r->u.s.p[r->u.s.len] = '\0';
		return r;
	}
}

static int is_seq(const value *v)
{
	return v->kind == V_STR || v->kind == V_BYTES ||
	    v->kind == V_BYTEARRAY ||
	    v->kind == V_TUPLE || v->kind == V_LIST;
}

/* bytes or items a repetition may make */
#define MAX_REPEAT ((size_t)1 << (eval_sandbox ? 16 : 28))

/* seq * n */
static value *
repeat(const value *seq, const value *count)
{
	i128 n;
	size_t unit, k, i;
	value *r;

	if (!v_is_int(count)) {
		err_set(EXC_TYPE,
		    "can't multiply sequence by non-int of type '%s'",
		    v_typename(count));
		return NULL;
	}
	n = to_i128(count);
	if (is_big(count)) {	/* as CPython: a Py_ssize_t count */
		err_set(EXC_OVERFLOW,
		    "cannot fit 'int' into an index-sized integer");
		return NULL;
	}
	unit = seq->kind == V_TUPLE || seq->kind == V_LIST ? seq->u.seq.len :
	    seq->u.s.len;
	if (n < 0 || unit == 0)
		n = 0;	/* empty, however large the count */
	if (unit && n > (i128)(MAX_REPEAT / unit)) {
		err_set(EXC_MEMORY, "%s", "");
		return NULL;
	}
	if (seq->kind == V_TUPLE || seq->kind == V_LIST) {
		r = seq->kind == V_LIST ? v_list_new() : v_tuple_new(0);
		for (k = 0; k < (size_t)n; k++)
			for (i = 0; i < unit; i++)
				v_append(r, v_incref(seq->u.seq.items[i]));
		return r;
	}
	r = seq->kind == V_STR ? v_str("", 0) : seq->kind == V_BYTES ?
	    v_bytes("", 0) : v_bytearray("", 0);
	free(r->u.s.p);
	r->u.s.p = xmalloc(unit * (size_t)n + 1);
	for (k = 0; k < (size_t)n; k++)
		memcpy(r->u.s.p + k * unit, seq->u.s.p, unit);
	r->u.s.len = unit * (size_t)n;
	r->u.s.p[r->u.s.len] = '\0';
	return r;
}

value *
op_binary(int op, const value *a, const value *b)
{
	int na = v_is_int(a) || a->kind == V_FLOAT, nb = v_is_int(b) ||
	    b->kind == V_FLOAT;

	if (v_is_int(a) && v_is_int(b))
		return int_binary(op, a, b);
	if (na && nb && op != OP_LSHIFT && op != OP_RSHIFT && op != OP_AND &&
	    op != OP_OR &&
	    op != OP_XOR && op != OP_MATMUL)
		return float_binary(op, a, b);
	if (op == OP_ADD && is_seq(a))
		return concat(a, b);
	if (op == OP_MUL && is_seq(a) && !is_seq(b))
		return repeat(a, b);
	if (op == OP_MUL && is_seq(b) && v_is_int(a))
		return repeat(b, a);
	if (op == OP_MUL && is_seq(a) && is_seq(b)) {
		err_set(EXC_TYPE,
		    "can't multiply sequence by non-int of type '%s'",
		    v_typename(b));
		return NULL;
	}
	if (op == OP_OR && a->kind == V_DICT && b->kind == V_DICT) {
		value *d = v_dict_new();
		size_t i;

		for (i = 0; i < a->u.seq.len; i += 2)
			v_dict_set(d, v_incref(a->u.seq.items[i]),
			    v_incref(a->u.seq.items[i + 1]));
		for (i = 0; i < b->u.seq.len; i += 2)
			v_dict_set(d, v_incref(b->u.seq.items[i]),
			    v_incref(b->u.seq.items[i + 1]));
		return d;
	}
	if (op == OP_MOD && a->kind == V_STR)
		return percent_format(a, b);
	err_set(EXC_TYPE, "unsupported operand type(s) for %s: '%s' and '%s'",
	    opsym[op], v_typename(a), v_typename(b));
	return NULL;
}

/* All the member bits of a flag class, as ~ flips them. */
static int64_t
flag_mask(int cls)
{
	int64_t high = 0;
	size_t i;

	for (i = 0; i < konst_count; i++)
		if (konst_table[i].cls == cls && konst_table[i].value > high)
			high = konst_table[i].value;
	while (high & (high - 1))
		high &= high - 1;
	return high ? 2 * high - 1 : 0;
}

value *
op_unary(int op, const value *a)
{
	i128 x;

	if (a->kind == V_FLOAT && op != OP_INVERT)
		return v_float(op == OP_NEG ? -a->u.f : a->u.f);
	if (!v_is_int(a)) {
		err_set(EXC_TYPE, "bad operand type for unary %s: '%s'",
		    opsym[op], v_typename(a));
		return NULL;
	}
	if (is_big(a))
		return bigint_unary(op, a);
	x = to_i128(a);
	if (op == OP_INVERT && is_flag(a))
		return v_enum(a->u.e.cls, a->u.e.i ^ flag_mask(a->u.e.cls));
	return from_i128(op == OP_NEG ? -x : op == OP_INVERT ? ~x : x);
}

/* ---- comparison ---------------------------------------------------------- */

/* Python's `is`. */
static int
value_is(const value *a, const value *b)
{
	int64_t x, y;

	if (a == b)
		return 1;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case V_NONE: return 1;
	case V_BOOL: return a->u.b == b->u.b;
	case V_ENUM: return a->u.e.cls == b->u.e.cls && a->u.e.i == b->u.e.i;
	case V_INT:	/* CPython caches the small ints */
		if (a->u.n.big || b->u.n.big)
			return 0;
		x = a->u.n.i, y = b->u.n.i;
		return x == y && x >= -5 && x <= 256;
	case V_SOCKET: return a->u.sk.p == b->u.sk.p;
	case V_OBJECT: return a->u.obj.ops == b->u.obj.ops &&
	    a->u.obj.p == b->u.obj.p;
	default: return 0;
	}
}

/* Three-way comparison of orderable a and b: <0, 0, >0, or 2 with the
 * TypeError for op pending. */
static int
order(int op, const value *a, const value *b)
{
	if (v_is_int(a) && v_is_int(b)) {
		i128 x, y;

		if (is_big(a) || is_big(b))
			return bigint_cmp(a, b);
		x = to_i128(a), y = to_i128(b);
		return (x > y) - (x < y);
	}
	if ((v_is_int(a) || a->kind == V_FLOAT) &&
	    (v_is_int(b) || b->kind == V_FLOAT)) {
		double x, y;
		int c;

		if (a->kind == V_FLOAT && b->kind == V_FLOAT) {
			x = a->u.f, y = b->u.f;
			if (x != x || y != y)
				return 3;	/* nan: every ordering is
						 * false */
			return (x > y) - (x < y);
		}
		/* exact, as CPython compares an int with a float */
		if (a->kind == V_FLOAT) {
			c = v_cmp_int_float(b, a->u.f);
			return c == 2 ? 3 : -c;
		}
		c = v_cmp_int_float(a, b->u.f);
		return c == 2 ? 3 : c;
	}
	if ((a->kind == V_STR && b->kind == V_STR) ||
	    (is_bytes_like(a) && is_bytes_like(b) &&
	    a->kind != V_OBJECT && b->kind != V_OBJECT)) {
		size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
		int c = n ? memcmp(a->u.s.p, b->u.s.p, n) : 0;

		if (c)
			return c < 0 ? -1 : 1;
		return (a->u.s.len > b->u.s.len) - (a->u.s.len < b->u.s.len);
	}
	if ((a->kind == V_TUPLE || a->kind == V_LIST) && a->kind == b->kind) {
		size_t i;

		for (i = 0; i < a->u.seq.len && i < b->u.seq.len; i++)
			if (!v_equal(a->u.seq.items[i], b->u.seq.items[i]))
				return order(op, a->u.seq.items[i],
				    b->u.seq.items[i]);
		return (a->u.seq.len > b->u.seq.len) -
		    (a->u.seq.len < b->u.seq.len);
	}
	err_set(EXC_TYPE,
	    "'%s' not supported between instances of '%s' and '%s'", opsym[op],
	    v_typename(a), v_typename(b));
	return 2;
}

/* item in container: 1, 0, or -1 with an exception. */
static int
contains(const value *c, const value *item)
{
	size_t i;

	if (c->kind == V_STR) {
		if (item->kind != V_STR) {
			err_set(EXC_TYPE,
			    "'in <string>' requires string as left operand, "
			    "not %s", v_typename(item));
			return -1;
		}
		return memmem(c->u.s.p, c->u.s.len, item->u.s.p,
		    item->u.s.len) != NULL;
	}
	if (is_bytes_like(c)) {
		const char *p, *q;
		size_t n, m;

		bytes_of(c, &p, &n);
		if (v_is_int(item)) {
			int big;
			int64_t x = v_as_i64(item, &big);

			if (big || x < 0 || x > 255) {
				err_set(EXC_VALUE,
				    "byte must be in range(0, 256)");
				return -1;
			}
			return n && memchr(p, (int)x, n) != NULL;
		}
		if (!is_bytes_like(item)) {
			err_set(EXC_TYPE,
			    "a bytes-like object is required, not '%s'",
			    v_typename(item));
			return -1;
		}
		bytes_of(item, &q, &m);
		return memmem(p, n, q, m) != NULL;
	}
	if ((c->kind == V_DICT || c->kind == V_SET) &&
	    v_check_hashable(item) < 0)
		return -1;
	if (c->kind == V_DICT) {
		for (i = 0; i < c->u.seq.len; i += 2)
			if (v_equal(c->u.seq.items[i], item))
				return 1;
		return 0;
	}
	if (c->kind == V_TUPLE || c->kind == V_LIST || c->kind == V_SET) {
		for (i = 0; i < c->u.seq.len; i++)
			if (value_is(c->u.seq.items[i], item) ||
			    v_equal(c->u.seq.items[i], item))
				return 1;
		return 0;
	}
	{
		value *items = op_iterate(c);
		int r = 0;

		if (items == NULL) {
			err_set(EXC_TYPE,
			    "argument of type '%s' is not iterable",
			    v_typename(c));
			return -1;
		}
		r = contains(items, item);
		v_decref(items);
		return r;
	}
}

int
op_compare(int op, const value *a, const value *b)
{
	int c;

	switch (op) {
	case OP_EQ: return v_equal(a, b);
	case OP_NE: return !v_equal(a, b);
	case OP_IS: return value_is(a, b);
	case OP_ISNOT: return !value_is(a, b);
	case OP_IN: return contains(b, a);
	case OP_NOTIN:
		c = contains(b, a);
		return c < 0 ? -1 : !c;
	default: break;
	}
	if ((c = order(op, a, b)) == 2)
		return -1;
	if (c == 3)
		return 0;
	switch (op) {
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	default: return c >= 0;
	}
}

/* ---- subscripts ---------------------------------------------------------- */

struct slice_obj { value *start, *stop, *step; };

static void
slice_free(void *p)
{
	struct slice_obj *s = p;

	v_decref(s->start);
	v_decref(s->stop);
	v_decref(s->step);
	free(s);
}

static void
slice_repr(void *out, const value *v)
{
	struct slice_obj *s = v->u.obj.p;

	buf_puts(out, "slice(");
	repr(out, s->start);
	buf_puts(out, ", ");
	repr(out, s->stop);
	buf_puts(out, ", ");
	repr(out, s->step);
	buf_putc(out, ')');
}

static const struct vobject_ops slice_ops = { "slice", slice_free, slice_repr,
    NULL, NULL, 1, NULL, NULL, NULL };

value *
op_slice(value *start, value *stop, value *step)
{
	struct slice_obj *s = xmalloc(sizeof *s);

	s->start = start;
	s->stop = stop;
	s->step = step;
	return v_object(&slice_ops, s);
}

/* Is v the slice object op_slice makes?  Fills the parts (borrowed). */
static int
is_slice(const value *v, value **start, value **stop, value **step)
{
	struct slice_obj *s;

	if (v->kind != V_OBJECT || v->u.obj.ops != &slice_ops)
		return 0;
	s = v->u.obj.p;
	*start = s->start;
	*stop = s->stop;
	*step = s->step;
	return 1;
}

/* A slice bound: None, or an int clamped to int64. */
static int
slice_part(const value *v, int64_t *out, int *none)
{
	int big;

	*none = v->kind == V_NONE;
	if (*none)
		return 0;
	if (!v_is_int(v)) {
		err_set(EXC_TYPE, "slice indices must be integers or None or have an __index__ method");
		return -1;
	}
	*out = v_as_i64(v, &big);
	return 0;
}

/* CPython's PySlice_GetIndicesEx: the indices a slice picks out of len
 * items.  Returns the count, or -1 with an exception. */
static long long
slice_indices(const value *sl, size_t len, int64_t *start, int64_t *step)
{
	value *a = NULL, *b = NULL, *c = NULL;
	int64_t lo = 0, hi = 0, st = 1, n = (int64_t)len;
	int na, nb, nc;

	if (!is_slice(sl, &a, &b, &c))
		return 0;
	if (slice_part(a, &lo, &na) < 0 || slice_part(b, &hi, &nb) < 0 ||
	    slice_part(c, &st, &nc) < 0)
		return -1;
	if (nc)
		st = 1;
	if (st == 0) {
		err_set(EXC_VALUE, "slice step cannot be zero");
		return -1;
	}
	if (st < -INT64_MAX)	/* as CPython's PySlice_Unpack: -st must not
				 * overflow */
		st = -INT64_MAX;
	if (na)
		lo = st < 0 ? n - 1 : 0;
	else if (lo < 0)
		lo = lo + n < 0 ? (st < 0 ? -1 : 0) : lo + n;
	else if (lo >= n)
		lo = st < 0 ? n - 1 : n;
	if (nb)
		hi = st < 0 ? -1 : n;
	else if (hi < 0)
		hi = hi + n < 0 ? (st < 0 ? -1 : 0) : hi + n;
	else if (hi >= n)
		hi = st < 0 ? n - 1 : n;
	*start = lo;
	*step = st;
	if (st < 0)
		return hi < lo ? (lo - hi - 1) / (-st) + 1 : 0;
	return lo < hi ? (hi - lo - 1) / st + 1 : 0;
}

/* Byte offsets of the code points of UTF-8 text (n + 1 entries). */
static size_t *
char_offsets(const char *s, size_t len, size_t *n)
{
	size_t *off = xmalloc((len + 1) * sizeof *off), i = 0, k = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t w = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ?
		    3 : (c >> 3) == 30 ? 4 : 1;
		size_t j;

		for (j = 1; j < w; j++)
			if (i + j >= len || ((unsigned char)s[i +
			    j] & 0xc0) != 0x80)
				w = 1;
		off[k++] = i;
		i += w;
	}
	off[k] = len;
	*n = k;
	return off;
}

long long
op_len(const value *v)
{
	char *p;
	size_t n;
	int ro;
	int64_t a, b, st;

	switch (v->kind) {
	case V_STR: free(char_offsets(v->u.s.p, v->u.s.len,
	    &n)); return (long long)n;
	case V_BYTES: case V_BYTEARRAY: return (long long)v->u.s.len;
	case V_TUPLE: case V_LIST: case V_SET: return (long long)v->u.seq.len;
	case V_DICT: return (long long)v->u.seq.len / 2;
	default: break;
	}
	if (memview_buffer(v, &p, &n, &ro))
		return (long long)n;
	if (is_range(v, &a, &b, &st)) {
		/* unsigned: b - a and -st need not fit int64 */
		uint64_t span = st > 0 ? (b > a ? (uint64_t)b - (uint64_t)a :
		    0) : (a > b ? (uint64_t)a - (uint64_t)b : 0);
		uint64_t cnt = span ? (span - 1) / (st > 0 ? (uint64_t)st :
		    -(uint64_t)st) + 1 : 0;

		if (cnt > (uint64_t)LLONG_MAX) {
			err_set(EXC_OVERFLOW,
			    "Python int too large to convert to C ssize_t");
			return -1;
		}
		return (long long)cnt;
	}
	err_set(EXC_TYPE, "object of type '%s' has no len()", v_typename(v));
	return -1;
}

/* What the messages call the container. */
static const char *
seq_word(const value *v)
{
	switch (v->kind) {
	case V_STR: return "string";
	case V_TUPLE: return "tuple";
	case V_LIST: return "list";
	case V_BYTEARRAY: return "bytearray";
	default: return NULL;
	}
}

/* Normalises index idx into [0, len).  Returns 0, or -1 with the error. */
static int
seq_index(const value *seq, const value *idx, size_t len, size_t *out,
    int store)
{
	int big;
	int64_t i;
	const char *w = seq_word(seq);

	if (!v_is_int(idx)) {
		if (seq->kind == V_STR)
			err_set(EXC_TYPE,
			    "string indices must be integers, not '%s'",
			    v_typename(idx));
		else
			err_set(EXC_TYPE,
			    "%s indices must be integers or slices, not %s",
			    seq->kind == V_BYTES ? "byte" :
			    seq->kind == V_OBJECT ? "memoryview" : w,
			    v_typename(idx));
		return -1;
	}
	i = v_as_i64(idx, &big);
	if (big) {
		err_set(EXC_INDEX,
		    "cannot fit 'int' into an index-sized integer");
		return -1;
	}
	if (i < 0)
		i += (int64_t)len;
	if (i < 0 || (size_t)i >= len) {
		if (w && store && seq->kind == V_LIST)
			err_set(EXC_INDEX, "%s assignment index out of range",
			    w);
		else if (w)
			err_set(EXC_INDEX, "%s index out of range", w);
		else
			err_set(EXC_INDEX, "index out of range");
		return -1;
	}
	*out = (size_t)i;
	return 0;
}

static value *
str_subscript(const value *s, const value *idx)
{
	size_t n, *off = char_offsets(s->u.s.p, s->u.s.len, &n), i;
	struct buf b = { 0 };
	int64_t start, step, k;
	long long cnt;
	value *r = NULL;

	if (is_slice(idx, &(value *){ 0 }, &(value *){ 0 }, &(value *){ 0 })) {
		if ((cnt = slice_indices(idx, n, &start, &step)) >= 0) {
			for (k = 0; k < cnt; k++) {
				size_t c = (size_t)(start + k * step);

				buf_put(&b, s->u.s.p + off[c],
				    off[c + 1] - off[c]);
			}
			r = v_str(b.p ? b.p : "", b.len);
		}
	} else if (seq_index(s, idx, n, &i, 0) == 0) {
		r = v_str(s->u.s.p + off[i], off[i + 1] - off[i]);
	}
	free(b.p);
	free(off);
	return r;
}

static value *
bytes_subscript(const value *v, const value *idx)
{
	const char *p;
	size_t n, i;
	int64_t start, step, k;
	long long cnt;
	value *r;

	bytes_of(v, &p, &n);
	if (!is_slice(idx, &(value *){ 0 }, &(value *){ 0 }, &(value *){ 0 })) {
		if (seq_index(v, idx, n, &i, 0) < 0)
			return NULL;
		return v_int((unsigned char)p[i]);
	}
	if ((cnt = slice_indices(idx, n, &start, &step)) < 0)
		return NULL;
	if (v->kind == V_OBJECT) {
		if (step != 1 && cnt > 1) {
			err_set(EXC_NOTIMPL, "memoryview slices with a step are not supported by sockit eval");
			return NULL;
		}
		return memview_slice(v, cnt ? (size_t)start : 0, (size_t)cnt);
	}
	r = v->kind == V_BYTES ? v_bytes("", 0) : v_bytearray("", 0);
	r->u.s.p = xrealloc(r->u.s.p, (size_t)cnt + 1);
	for (k = 0; k < cnt; k++)
		r->u.s.p[k] = p[start + k * step];
	r->u.s.len = (size_t)cnt;
	r->u.s.p[cnt] = '\0';
	return r;
}

/* The index of key idx in dict d's items, or SIZE_MAX with TypeError
 * (unhashable) or KeyError pending. */
static size_t
dict_find(const value *d, const value *idx)
{
	struct buf b = { 0 };
	size_t i;

	if (v_check_hashable(idx) < 0)
		return SIZE_MAX;
	for (i = 0; i < d->u.seq.len; i += 2)
		if (v_equal(d->u.seq.items[i], idx))
			return i;
	repr(&b, idx);
	err_set(EXC_KEY, "%s", b.p);
	free(b.p);
	return SIZE_MAX;
}

value *
op_subscript(const value *obj, const value *idx)
{
	size_t i;
	int64_t start, step, k;
	long long cnt;
	value *r, *x;

	switch (obj->kind) {
	case V_STR:
		return str_subscript(obj, idx);
	case V_BYTES: case V_BYTEARRAY:
		return bytes_subscript(obj, idx);
	case V_TUPLE: case V_LIST:
		if (is_slice(idx, &x, &x, &x)) {
			if ((cnt = slice_indices(idx, obj->u.seq.len, &start,
			    &step)) < 0)
				return NULL;
			r = obj->kind == V_LIST ? v_list_new() : v_tuple_new(0);
			for (k = 0; k < cnt; k++)
				v_append(r, v_incref(obj->u.seq.items[start +
				    k * step]));
			return r;
		}
		if (seq_index(obj, idx, obj->u.seq.len, &i, 0) < 0)
			return NULL;
		return v_incref(obj->u.seq.items[i]);
	case V_DICT:
		if ((i = dict_find(obj, idx)) == SIZE_MAX)
			return NULL;
		return v_incref(obj->u.seq.items[i + 1]);
	default:
		if (is_bytes_like(obj))
			return bytes_subscript(obj, idx);
		if (is_range(obj, &start, &k, &step) && v_is_int(idx)) {
			long long n = op_len(obj);
			int big;
			int64_t j = v_as_i64(idx, &big);

			if (n < 0)
				return NULL;
			if (j < 0)
				j += n;
			if (big || j < 0 || j >= n) {
				err_set(EXC_INDEX,
				    "range object index out of range");
				return NULL;
			}
			return v_int(start + j * step);
		}
		break;
	}
	err_set(EXC_TYPE, "'%s' object is not subscriptable", v_typename(obj));
	return NULL;
}

/* The value of one byte to store (0..255). */
static int
byte_value(const value *v, unsigned char *out)
{
	int big;
	int64_t x;

	if (!v_is_int(v)) {
		err_set(EXC_TYPE,
		    "'%s' object cannot be interpreted as an integer",
		    v_typename(v));
		return -1;
	}
	x = v_as_i64(v, &big);
	if (big || x < 0 || x > 255) {
		err_set(EXC_VALUE, "byte must be in range(0, 256)");
		return -1;
	}
	*out = (unsigned char)x;
	return 0;
}

/* bytearray[...] = v and memoryview[...] = v */
static int
store_bytes(value *obj, const value *idx, value *v)
{
	char *p;
	size_t n, i, m;
	int ro = 0;
	int64_t start, step;
	long long cnt;
	const char *q;

	if (!memview_buffer(obj, &p, &n, &ro)) {
		p = obj->u.s.p;
		n = obj->u.s.len;
	}
	if (ro) {
		err_set(EXC_TYPE, "cannot modify read-only memory");
		return -1;
	}
	if (!is_slice(idx, &(value *){ 0 }, &(value *){ 0 }, &(value *){ 0 })) {
		unsigned char c;

		if (seq_index(obj, idx, n, &i, 1) < 0 || byte_value(v, &c) < 0)
			return -1;
		p[i] = (char)c;
		return 0;
	}
	if ((cnt = slice_indices(idx, n, &start, &step)) < 0)
		return -1;
	if (!is_bytes_like(v)) {
		err_set(EXC_TYPE, "a bytes-like object is required, not '%s'",
		    v_typename(v));
		return -1;
	}
	bytes_of(v, &q, &m);
	if (m == (size_t)cnt || (step != 1 && obj->kind == V_BYTEARRAY)) {
		if (m != (size_t)cnt) {
			err_set(EXC_VALUE, "attempt to assign bytes of size %zu to extended slice of size %lld", m, cnt);
			return -1;
		}
		for (i = 0; i < m; i++)
			p[start + (int64_t)i * step] = q[i];
		return 0;
	}
	if (obj->kind != V_BYTEARRAY) {
		err_set(EXC_VALUE,
		    "memoryview assignment: "
		    "lvalue and rvalue have different structures");
		return -1;
	}
	{	/* a bytearray slice of another size: rebuild the buffer */
		char *nb = xmalloc(n - (size_t)cnt + m + 1);

		memcpy(nb, p, (size_t)start);
		memcpy(nb + start, q, m);
		memcpy(nb + start + m, p + start + cnt,
		    n - (size_t)start - (size_t)cnt);
		nb[n - (size_t)cnt + m] = '\0';
		free(obj->u.s.p);
		obj->u.s.p = nb;
		obj->u.s.len = n - (size_t)cnt + m;
	}
	return 0;
}

static int
store_list(value *obj, const value *idx, value *v)
{
	size_t i;
	int64_t start, step;
	long long cnt;
	value *items, **nv;
	size_t n = obj->u.seq.len, m, k;

	if (!is_slice(idx, &(value *){ 0 }, &(value *){ 0 }, &(value *){ 0 })) {
		if (seq_index(obj, idx, n, &i, 1) < 0)
			return -1;
		v_decref(obj->u.seq.items[i]);
		obj->u.seq.items[i] = v_incref(v);
		return 0;
	}
	if ((cnt = slice_indices(idx, n, &start, &step)) < 0)
		return -1;
	if ((items = op_iterate(v)) == NULL) {
		err_set(EXC_TYPE, "can only assign an iterable");
		return -1;
	}
	m = items->u.seq.len;
	if (step != 1) {
		if (m != (size_t)cnt) {
			err_set(EXC_VALUE, "attempt to assign sequence of size %zu to extended slice of size %lld", m, cnt);
			v_decref(items);
			return -1;
		}
		for (k = 0; k < m; k++) {
			value **slot = &obj->u.seq.items[start +
			    (int64_t)k * step];

			v_decref(*slot);
			*slot = v_incref(items->u.seq.items[k]);
		}
		v_decref(items);
		return 0;
	}
	nv = xcalloc(n - (size_t)cnt + m + 1, sizeof *nv);
	for (k = 0; k < (size_t)start; k++)
		nv[k] = obj->u.seq.items[k];
	for (k = 0; k < m; k++)
		nv[start + (int64_t)k] = v_incref(items->u.seq.items[k]);
	for (k = (size_t)start; k < (size_t)(start + cnt); k++)
		v_decref(obj->u.seq.items[k]);
	for (k = (size_t)(start + cnt); k < n; k++)
		nv[k - (size_t)cnt + m] = obj->u.seq.items[k];
	free(obj->u.seq.items);
	obj->u.seq.items = nv;
	obj->u.seq.len = obj->u.seq.cap = n - (size_t)cnt + m;
	if (obj->u.seq.cap == 0)
		obj->u.seq.cap = 0;
	v_decref(items);
	return 0;
}

int
value_reaches(const value *from, const value *to)
{
	size_t i;

	if (from == to)
		return 1;
	if (from->kind == V_TUPLE || from->kind == V_LIST ||
	    from->kind == V_DICT)
		for (i = 0; i < from->u.seq.len; i++)
			if (value_reaches(from->u.seq.items[i], to))
				return 1;
	return 0;
}

int
refuse_cycle(void)
{
	err_set(EXC_VALUE,
	    "sockit eval cannot make a list or dict contain itself");
	return -1;
}

int
op_delete_subscript(value *obj, const value *idx)
{
	size_t i, j, len;
	long long cnt, k;
	int64_t start, step;
	unsigned char *gone;

	if (obj->kind == V_DICT) {
		if ((i = dict_find(obj, idx)) == SIZE_MAX)
			return -1;
		v_decref(obj->u.seq.items[i]);
		v_decref(obj->u.seq.items[i + 1]);
		memmove(obj->u.seq.items + i, obj->u.seq.items + i + 2,
		    (obj->u.seq.len - i - 2) * sizeof *obj->u.seq.items);
		obj->u.seq.len -= 2;
		return 0;
	}
	if (obj->kind != V_LIST && obj->kind != V_BYTEARRAY) {
		err_set(EXC_TYPE, "'%s' object doesn't support item deletion",
		    v_typename(obj));
		return -1;
	}
	len = obj->kind == V_LIST ? obj->u.seq.len : obj->u.s.len;
	if (!is_slice(idx, &(value *){ 0 }, &(value *){ 0 }, &(value *){ 0 })) {
		if (seq_index(obj, idx, len, &i, 1) < 0)
			return -1;
		cnt = 1, start = (int64_t)i, step = 1;
	} else if ((cnt = slice_indices(idx, len, &start, &step)) < 0) {
		return -1;
	}
	gone = xcalloc(len + 1, 1);
	for (k = 0; k < cnt; k++)
		gone[start + k * step] = 1;
	for (i = j = 0; i < len; i++) {
		if (obj->kind == V_LIST && gone[i])
			v_decref(obj->u.seq.items[i]);
		else if (obj->kind == V_LIST)
			obj->u.seq.items[j++] = obj->u.seq.items[i];
		else if (!gone[i])
			obj->u.s.p[j++] = obj->u.s.p[i];
	}
	if (obj->kind == V_LIST)
		obj->u.seq.len = j;
	else
		obj->u.s.len = j;
	free(gone);
	return 0;
}

int
op_store_subscript(value *obj, const value *idx, value *v)
{
	value *a, *b, *c;

	/* no reference cycles: values are reference counted, and repr, ==
	 * and the emitters recurse (x[:] = x copies the items: no cycle) */
	if (obj->kind == V_DICT && v_check_hashable(idx) < 0)
		return -1;
	if ((obj->kind == V_LIST || obj->kind == V_DICT) &&
	    value_reaches(v, obj) &&
	    !(obj->kind == V_LIST && v == obj && is_slice(idx, &a, &b, &c)))
		return refuse_cycle();
	if (obj->kind == V_LIST)
		return store_list(obj, idx, v);
	if (obj->kind == V_DICT) {
		v_dict_set(obj, v_incref((value *)idx), v_incref(v));
		return 0;
	}
	if (obj->kind == V_BYTEARRAY ||
	    (obj->kind == V_OBJECT && is_bytes_like(obj)))
		return store_bytes(obj, idx, v);
	err_set(EXC_TYPE, "'%s' object does not support item assignment",
	    v_typename(obj));
	return -1;
}

/* items a range may produce */
#define MAX_ITEMS ((int64_t)1 << (eval_sandbox ? 16 : 24))

value *
op_iterate(const value *v)
{
	value *r = v_list_new();
	size_t i, n, *off;
	const char *p;
	int64_t a, b, st, k;

	switch (v->kind) {
	case V_TUPLE: case V_LIST: case V_SET:
		for (i = 0; i < v->u.seq.len; i++)
			v_append(r, v_incref(v->u.seq.items[i]));
		return r;
	case V_DICT:
		for (i = 0; i < v->u.seq.len; i += 2)
			v_append(r, v_incref(v->u.seq.items[i]));
		return r;
	case V_STR:
		off = char_offsets(v->u.s.p, v->u.s.len, &n);
		for (i = 0; i < n; i++)
			v_append(r, v_str(v->u.s.p + off[i],
			    off[i + 1] - off[i]));
		free(off);
		return r;
	default:
		break;
	}
	if (is_bytes_like(v)) {
		bytes_of(v, &p, &n);
		for (i = 0; i < n; i++)
			v_append(r, v_int((unsigned char)p[i]));
		return r;
	}
	if (is_range(v, &a, &b, &st)) {
		long long len = op_len(v);

		if (len < 0) {
			v_decref(r);
			return NULL;
		}
		if (len > MAX_ITEMS) {
			v_decref(r);
			err_set(EXC_MEMORY,
			    "range of %lld items is too large for sockit eval",
			    len);
			return NULL;
		}
		for (k = 0; k < len; k++)
			v_append(r, v_int(a + k * st));
		return r;
	}
	v_decref(r);
	if ((r = iter_rest(v)) != NULL)
		return r;
	err_set(EXC_TYPE, "'%s' object is not iterable", v_typename(v));
	return NULL;
}
