/* value.c - construction, reference counting and comparison of values. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "value.h"
#include "error.h"
#include "eval/eval.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		fputs("sockit: MemoryError\n", stderr);
		exit(1);
	}
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL) {
		fputs("sockit: MemoryError\n", stderr);
		exit(1);
	}
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL) {
		fputs("sockit: MemoryError\n", stderr);
		exit(1);
	}
	return p;
}

char *
xmemdup(const void *p, size_t n)
{
	char *s = xmalloc(n + 1);

	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

/* None is immortal, as in CPython 3.12: v_incref and v_decref never write
 * its count, so threads (resolve's workers) share it without a lock. */
static value none_value = { .refs = 1, .kind = V_NONE };

static value *
v_new(int kind)
{
	value *v = xcalloc(1, sizeof *v);

	v->refs = 1;
	v->kind = kind;
	return v;
}

value *
v_none(void)
{
	return &none_value;
}

value *
v_bool(int b)
{
	value *v = v_new(V_BOOL);

	v->u.b = !!b;
	return v;
}

value *
v_int(int64_t i)
{
	value *v = v_new(V_INT);

	v->u.n.i = i;
	return v;
}

value *
v_bigint(const char *decimal)
{
	char *end;
	long long i;
	value *v;

	errno = 0;
	i = strtoll(decimal, &end, 10);
	if (errno == 0 && *end == '\0')
		return v_int(i);
	v = v_new(V_INT);
	v->u.n.big = xstrdup(decimal);
	return v;
}

value *
v_float(double f)
{
	value *v = v_new(V_FLOAT);

	v->u.f = f;
	return v;
}

static value *
v_buffer(int kind, const void *p, size_t len)
{
	value *v = v_new(kind);

	v->u.s.p = xmemdup(p, len);
	v->u.s.len = len;
	return v;
}

value *v_str(const char *p, size_t len) { return v_buffer(V_STR, p, len); }
value *v_strz(const char *p) { return v_buffer(V_STR, p, strlen(p)); }
value *v_bytes(const void *p, size_t len) { return v_buffer(V_BYTES, p, len); }
value *v_bytearray(const void *p, size_t len) { return v_buffer(V_BYTEARRAY, p,
    len); }

value *
v_enum(int cls, int64_t i)
{
	value *v = v_new(V_ENUM);

	v->u.e.cls = cls;
	v->u.e.i = i;
	return v;
}

value *
v_tuple_new(size_t n)
{
	value *v = v_new(V_TUPLE);
	size_t k;

	v->u.seq.items = xcalloc(n, sizeof *v->u.seq.items);
	v->u.seq.len = v->u.seq.cap = n;
	for (k = 0; k < n; k++)
		v->u.seq.items[k] = v_none();
	return v;
}

value *
v_tuple(size_t n, ...)
{
	value *v = v_new(V_TUPLE);
	va_list ap;
	size_t k;

	v->u.seq.items = xcalloc(n, sizeof *v->u.seq.items);
	v->u.seq.len = v->u.seq.cap = n;
	va_start(ap, n);
	for (k = 0; k < n; k++)
		v->u.seq.items[k] = va_arg(ap, value *);
	va_end(ap);
	return v;
}

value *v_list_new(void) { return v_new(V_LIST); }
value *v_set_new(void) { return v_new(V_SET); }
value *v_dict_new(void) { return v_new(V_DICT); }

value *
v_object(const struct vobject_ops *ops, void *p)
{
	value *v = v_new(V_OBJECT);

	v->u.obj.ops = ops;
	v->u.obj.p = p;
	return v;
}

void
v_append(value *seq, value *item)
{
	if (seq->u.seq.len == seq->u.seq.cap) {
		seq->u.seq.cap = seq->u.seq.cap ? 2 * seq->u.seq.cap : 4;
		seq->u.seq.items = xrealloc(seq->u.seq.items,
		    seq->u.seq.cap * sizeof *seq->u.seq.items);
	}
	seq->u.seq.items[seq->u.seq.len++] = item;
}

void
v_dict_set(value *d, value *k, value *v)
{
	size_t i;

	for (i = 0; i < d->u.seq.len; i += 2)
		if (v_equal(d->u.seq.items[i], k)) {
			v_decref(k);
			v_decref(d->u.seq.items[i + 1]);
			d->u.seq.items[i + 1] = v;
			return;
		}
	v_append(d, k);
	v_append(d, v);
}

value *
v_with_shape(value *v, int shape, int family)
{
	if (v->kind != V_NONE) {
		v->shape = shape;
		v->family = family;
	}
	return v;
}

value *
v_incref(value *v)
{
	if (v && v != &none_value)
		v->refs++;
	return v;
}

/* Values whose last reference went while another was being freed: they
 * are freed in turn by the outermost v_decref, so freeing a deeply nested
 * container does not recurse once per level. */
static _Thread_local struct {
	value **v;
	size_t head, n, cap;
	int busy;
} trash;

static void v_free(value *v);

void
v_decref(value *v)
{
	if (v == NULL || v == &none_value || --v->refs > 0)
		return;		/* None is immortal: its count is never
				 * written */
	if (trash.busy) {
		if (trash.n == trash.cap) {
			trash.cap = trash.cap ? 2 * trash.cap : 64;
			trash.v = xrealloc(trash.v,
			    trash.cap * sizeof *trash.v);
		}
		trash.v[trash.n++] = v;
		return;
	}
	trash.busy = 1;
	v_free(v);
	while (trash.head < trash.n)	/* in the order they were released */
		v_free(trash.v[trash.head++]);
	trash.head = trash.n = 0;
	if (trash.cap > 4096) {	/* keep a small queue only */
		free(trash.v);
		trash.v = NULL;
		trash.cap = 0;
	}
	trash.busy = 0;
}

static void
v_free(value *v)
{
	size_t i;

	switch (v->kind) {
	case V_INT:
		free(v->u.n.big);
		break;
	case V_STR: case V_BYTES: case V_BYTEARRAY:
		free(v->u.s.p);
		break;
	case V_TUPLE: case V_LIST: case V_SET: case V_DICT:
		for (i = 0; i < v->u.seq.len; i++)
			v_decref(v->u.seq.items[i]);
		free(v->u.seq.items);
		break;
	case V_SOCKET:		/* an object of its own ops (u.sk, as u.obj) */
	case V_OBJECT:
		if (v->u.obj.ops->free)
			v->u.obj.ops->free(v->u.obj.p);
		break;
	case V_NONE:	/* only the singleton, which never gets here */
		break;
	}
	free(v);
}

const char *
v_unhashable(const value *v)
{
	size_t i;
	const char *t;

	switch (v->kind) {
	case V_LIST: case V_DICT: case V_SET: case V_BYTEARRAY:
		return v_typename(v);
	case V_TUPLE:
		for (i = 0; i < v->u.seq.len; i++)
			if ((t = v_unhashable(v->u.seq.items[i])) != NULL)
				return t;
		return NULL;
	case V_OBJECT:
		return v->u.obj.ops->unhashable ? v_typename(v) : NULL;
	default:
		return NULL;
	}
}

int
v_check_hashable(const value *v)
{
	const char *t = v_unhashable(v);

	if (t == NULL)
		return 0;
	err_set(EXC_TYPE, "unhashable type: '%s'", t);
	return -1;
}

const char *
v_typename(const value *v)
{
	static const char *const names[] = { "AddressFamily", "SocketKind",
	    "MsgFlag", "AddressInfo" };

	switch (v->kind) {
	case V_NONE: return "NoneType";
	case V_BOOL: return "bool";
	case V_INT: return "int";
	case V_FLOAT: return "float";
	case V_STR: return "str";
	case V_BYTES: return "bytes";
	case V_BYTEARRAY: return "bytearray";
	case V_TUPLE: return "tuple";
	case V_LIST: return "list";
	case V_DICT: return "dict";
	case V_SET: return "set";
	case V_ENUM: return names[v->u.e.cls];
	case V_SOCKET: return "socket";
	case V_OBJECT: return v->u.obj.ops->type_name;
	}
	return "object";
}

int
v_is_int(const value *v)
{
	return v->kind == V_BOOL || v->kind == V_INT || v->kind == V_ENUM;
}

int64_t
v_as_i64(const value *v, int *big)
{
	if (big)
		*big = 0;
	switch (v->kind) {
	case V_BOOL: return v->u.b;
	case V_ENUM: return v->u.e.i;
	case V_INT:
		if (v->u.n.big) {
			if (big)
				*big = v->u.n.big[0] == '-' ? -1 : 1;
			return v->u.n.big[0] == '-' ? INT64_MIN : INT64_MAX;
		}
		return v->u.n.i;
	default:
		return 0;
	}
}

double
v_to_double(const value *v, int *overflow)
{
	double d;

	if (overflow)
		*overflow = 0;
	if (v->kind == V_FLOAT)
		return v->u.f;
	if (!(v->kind == V_INT && v->u.n.big))
		return (double)v_as_i64(v, NULL);
	/* glibc's strtod rounds correctly, half to even, as CPython's
	 * int.__float__ does; beyond DBL_MAX it gives HUGE_VAL */
	d = strtod(v->u.n.big, NULL);
	if (isinf(d) && overflow)
		*overflow = 1;
	return d;
}

/* Compares decimal integer texts ("-123", "45"): <0, 0, >0. */
static int
dec_cmp(const char *a, const char *b)
{
	int na = *a == '-', nb = *b == '-', c;
	size_t la, lb;

	if (na != nb)
		return na ? -1 : 1;
	a += na, b += nb;
	la = strlen(a), lb = strlen(b);
	c = la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
	c = c < 0 ? -1 : c > 0;
	return na ? -c : c;
}

int
v_cmp_int_float(const value *a, double d)
{
	char ab[32], fb[400];
	const char *at = ab;
	double f;
	int c;

	if (isnan(d))
		return 2;
	if (isinf(d))
		return d > 0 ? -1 : 1;
	f = floor(d);
	if (a->kind == V_INT && a->u.n.big)
		at = a->u.n.big;
	else
		snprintf(ab, sizeof ab, "%lld", (long long)v_as_i64(a, NULL));
	/* floor(d) is an integer a double holds exactly; %.0f prints it
	 * exactly */
	snprintf(fb, sizeof fb, "%.0f", f);
	c = dec_cmp(at, strcmp(fb, "-0") == 0 ? "0" : fb);
	if (c != 0)
		return c;	/* a < floor(d) <= d, or a >= floor(d) + 1 >
				 * d */
	return f == d ? 0 : -1;
}

/* The bytes of a bytes, bytearray or buffer object (memoryview): 1, or 0
 * for any other value. */
static int
buffer_of(const value *v, const char **p, size_t *n)
{
	if (v->kind == V_BYTES || v->kind == V_BYTEARRAY) {
		*p = v->u.s.p;
		*n = v->u.s.len;
		return 1;
	}
	if (v->kind == V_OBJECT) {
		char *q;
		int ro;

		if (memview_buffer(v, &q, n, &ro)) {
			*p = q;
			return 1;
		}
	}
	return 0;
}

int
v_equal(const value *a, const value *b)
{
	const char *ap, *bp;
	size_t i, an, bn;

	if (a == b)
		return 1;
	if (v_is_int(a) && v_is_int(b)) {
		if ((a->kind == V_INT && a->u.n.big) ||
		    (b->kind == V_INT && b->u.n.big))
			return a->kind == V_INT && b->kind == V_INT &&
			    a->u.n.big && b->u.n.big &&
			    strcmp(a->u.n.big, b->u.n.big) == 0;
		return v_as_i64(a, NULL) == v_as_i64(b, NULL);
	}
	if (a->kind == V_FLOAT || b->kind == V_FLOAT) {
		if ((a->kind != V_FLOAT && !v_is_int(a)) ||
		    (b->kind != V_FLOAT && !v_is_int(b)))
			return 0;
		if (a->kind == V_FLOAT && b->kind == V_FLOAT)
			return a->u.f == b->u.f;
		/* exact, as CPython compares an int with a float */
		return a->kind == V_FLOAT ? v_cmp_int_float(b, a->u.f) == 0
		    : v_cmp_int_float(a, b->u.f) == 0;
	}
	if (buffer_of(a, &ap, &an) && buffer_of(b, &bp, &bn))
		return an == bn && (an == 0 || memcmp(ap, bp, an) == 0);
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case V_NONE:
		return 1;
	case V_STR:
		return a->u.s.len == b->u.s.len &&
		    memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
	case V_DICT: case V_SET: {
		/* equal when every key (item) of a is in b with an equal value:
		 * the order of insertion does not matter, as in CPython */
		size_t step = a->kind == V_DICT ? 2 : 1, j;

		if (a->u.seq.len != b->u.seq.len)
			return 0;
		for (i = 0; i < a->u.seq.len; i += step) {
			/* the same position first: O(n) when both orders
			 * agree */
			if (v_equal(a->u.seq.items[i], b->u.seq.items[i]))
				j = i;
			else
				for (j = 0; j < b->u.seq.len; j += step)
					if (v_equal(a->u.seq.items[i],
					    b->u.seq.items[j]))
						break;
			if (j == b->u.seq.len ||
			    (step == 2 && !v_equal(a->u.seq.items[i + 1],
			    b->u.seq.items[j + 1])))
				return 0;
		}
		return 1;
	}
	case V_TUPLE: case V_LIST:
		if (a->u.seq.len != b->u.seq.len)
			return 0;
		for (i = 0; i < a->u.seq.len; i++)
			if (!v_equal(a->u.seq.items[i], b->u.seq.items[i]))
				return 0;
		return 1;
	case V_SOCKET:
		return a->u.sk.p == b->u.sk.p;
	case V_OBJECT:
		return a->u.obj.p == b->u.obj.p;
	}
	return 0;
}

int
v_truthy(const value *v)
{
	switch (v->kind) {
	case V_NONE: return 0;
	case V_BOOL: return v->u.b;
	case V_INT: return v->u.n.big != NULL || v->u.n.i != 0;
	case V_ENUM: return v->u.e.i != 0;
	case V_FLOAT: return v->u.f != 0.0;
	case V_STR: case V_BYTES: case V_BYTEARRAY: return v->u.s.len != 0;
	case V_TUPLE: case V_LIST: case V_DICT: case V_SET:
		return v->u.seq.len != 0;
	default: return 1;
	}
}

value *
v_or(const value *a, const value *b)
{
	int64_t x = v_as_i64(a, NULL) | v_as_i64(b, NULL);

	if (a->kind == V_BOOL && b->kind == V_BOOL)
		return v_bool((int)x);
	if (a->kind == V_ENUM &&
	    (a->u.e.cls == EC_MSGFLAG || a->u.e.cls == EC_ADDRESSINFO))
		return v_enum(a->u.e.cls, x);
	if (a->kind != V_ENUM && b->kind == V_ENUM &&
	    (b->u.e.cls == EC_MSGFLAG || b->u.e.cls == EC_ADDRESSINFO))
		return v_enum(b->u.e.cls, x);
	return v_int(x);
}

size_t
str_next_cp(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0], need, min, k;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, c &= 0x07;
	else
		goto bad;
	if (n <= need)
		goto bad;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[k] & 0x3f);
	}
	/* a surrogate written as 3 bytes is itself (what the parser makes of
	 * '\ud800'); U+DC80..U+DCFF never are: those stand for raw bytes */
	if (c < min || c > 0x10ffff || (c >= 0xdc80 && c <= 0xdcff))
		goto bad;
	*cp = c;
	return need + 1;
bad:
	*cp = 0xdc00 + p[0];
	return 1;
}

size_t
utf8_check(const char *s, size_t n, size_t *badlen, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w, j;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		w = p[i] >= 0xc2 && p[i] <= 0xdf ? 2 : p[i] >= 0xe0 &&
		    p[i] <= 0xef ? 3 : p[i] >= 0xf0 && p[i] <= 0xf4 ? 4 : 0;
		if (w == 0) {
			if (badlen)
				*badlen = 1;
			if (why)
				*why = "invalid start byte";
			return i;
		}
		for (j = 1; j < w; j++) {
			if (i + j >= n) {
				if (badlen)
					*badlen = j;
				if (why)
					*why = "unexpected end of data";
				return i;
			}
			if ((p[i + j] & 0xc0) != 0x80 ||
			    (j == 1 && ((p[i] == 0xe0 && p[i + 1] < 0xa0) ||
			    (p[i] == 0xed && p[i + 1] > 0x9f) ||
			    (p[i] == 0xf0 && p[i + 1] < 0x90) ||
			    (p[i] == 0xf4 && p[i + 1] > 0x8f)))) {
				if (badlen)
					*badlen = j;
				if (why)
					*why = "invalid continuation byte";
				return i;
			}
		}
		i += w;
	}
	return n;
}

double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
ms_until(double deadline)
{
	double ms;

	if (deadline == 0)
		return -1;
	ms = ceil((deadline - mono_now()) * 1e3);
	return ms <= 0 ? 0 : ms >= INT_MAX ? INT_MAX : (int)ms;
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
