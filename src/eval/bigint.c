/* bigint.c - arbitrary-precision ints for eval's operators (CPython's int
 * semantics: floor division, floor shifts, two's-complement bitwise ops).
 * sockit keeps an int outside int64 as decimal text (value.h); these
 * functions convert it to binary limbs, compute, and convert back.  As the
 * D15 rule says for every int sockit holds, a result of more than 4300
 * decimal digits is refused at once with the ValueError CPython's str()
 * gives, so every operand here has at most ~14,300 bits. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "error.h"
#include "eval/bigint.h"

/* 10**4300 < 2**14286: a number of more bits has more than 4300 digits */
#define LIMIT_BITS 14286
#define LIMIT_DIGITS 4300
/* A shift to more bits than a GiB holds is a MemoryError (where CPython's
 * allocation fails), as for sockit's other 1 GiB results */
#define MAX_BITS ((size_t)1 << 33)

typedef struct {
	int neg;
	size_t n;	/* limbs in use; 0 is n == 0, never negative */
	uint32_t *d;	/* little-endian */
} big;

static void
norm(big *x)
{
	while (x->n && x->d[x->n - 1] == 0)
		x->n--;
	if (x->n == 0)
		x->neg = 0;
}

static void
alloc(big *x, size_t n)
{
	x->neg = 0;
	x->n = n;
	x->d = xcalloc(n + 1, sizeof *x->d);
}

static size_t
bits(const big *x)
{
	return x->n ? (x->n - 1) * 32 +
	    (32 - (size_t)__builtin_clz(x->d[x->n - 1])) : 0;
}

static void
from_u64(big *x, uint64_t u, int neg)
{
	alloc(x, 2);
	x->d[0] = (uint32_t)u;
	x->d[1] = (uint32_t)(u >> 32);
	norm(x);
	x->neg = neg && x->n;
}

/* *x = *x * m + a, in place (x has room for one more limb). */
static void
mul_add_small(big *x, uint32_t m, uint32_t a)
{
	uint64_t carry = a;
	size_t i;

	for (i = 0; i < x->n; i++) {
		uint64_t t = (uint64_t)x->d[i] * m + carry;

		x->d[i] = (uint32_t)t;
		carry = t >> 32;
	}
	if (carry)
		x->d[x->n++] = (uint32_t)carry;
}

static void
from_value(big *x, const value *v)
{
	const char *p;
	size_t len, i;
	int neg;

	if (!(v->kind == V_INT && v->u.n.big)) {
		int64_t i64 = v_as_i64(v, NULL);

		from_u64(x, i64 < 0 ? -(uint64_t)i64 : (uint64_t)i64, i64 < 0);
		return;
	}
	p = v->u.n.big;
	neg = *p == '-';
	p += neg;
	len = strlen(p);
	alloc(x, len / 9 + 2);
	x->n = 0;
	for (i = 0; i < len; ) {
		size_t k = (len - i) % 9 ? (len - i) % 9 : 9;
		uint32_t chunk = 0, m = 1;

		for (; k; k--, i++) {
			chunk = chunk * 10 + (uint32_t)(p[i] - '0');
			m *= 10;
		}
		mul_add_small(x, m, chunk);
	}
	norm(x);
	x->neg = neg && x->n;
}

/* q = x / m, returns x % m (magnitudes). */
static uint32_t
divmod_small(big *q, const big *x, uint32_t m)
{
	uint64_t r = 0;
	size_t i;

	alloc(q, x->n);
	for (i = x->n; i-- > 0;) {
		uint64_t t = (r << 32) | x->d[i];

		q->d[i] = (uint32_t)(t / m);
		r = t % m;
	}
	norm(q);
	return (uint32_t)r;
}

static int
limit_error(void)
{
	err_set(EXC_VALUE,
	    "Exceeds the limit (%d digits) for integer string conversion; "
	    "use sys.set_int_max_str_digits() to increase the limit",
	    LIMIT_DIGITS);
	return -1;
}

/* The value of x (freed): an int64 int, or decimal text, or NULL with the
 * digit-limit ValueError. */
static value *
to_value(big *x)
{
	struct buf b = { 0 };
	uint32_t *chunks;
	size_t nc = 0;
	big t, q;
	value *v;

	if (bits(x) <= 63 ||
	    (x->neg && bits(x) == 64 && x->d[1] == 0x80000000u &&
	    x->d[0] == 0)) {
		uint64_t u = x->n ? x->d[0] |
		    (x->n > 1 ? (uint64_t)x->d[1] << 32 : 0) : 0;

		v = v_int(x->neg ? (int64_t)(0 - u) : (int64_t)u);
		free(x->d);
		return v;
	}
	if (bits(x) > LIMIT_BITS) {
		free(x->d);
		return limit_error(), NULL;
	}
	chunks = xmalloc((x->n * 32 / 29 + 2) * sizeof *chunks);
	t = *x;
	while (t.n) {
		chunks[nc++] = divmod_small(&q, &t, 1000000000u);
		free(t.d);
		t = q;
	}
	free(t.d);
	if (x->neg)
		buf_putc(&b, '-');
	buf_printf(&b, "%u", chunks[nc - 1]);
	while (nc-- > 1)
		buf_printf(&b, "%09u", chunks[nc - 1]);
	free(chunks);
	if (b.len - (size_t)x->neg > LIMIT_DIGITS) {
		free(b.p);
		return limit_error(), NULL;
	}
	v = v_bigint(b.p);
	free(b.p);
	return v;
}

static int
cmp_mag(const big *a, const big *b)
{
	size_t i;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (i = a->n; i-- > 0;)
		if (a->d[i] != b->d[i])
			return a->d[i] < b->d[i] ? -1 : 1;
	return 0;
}

static int
cmp(const big *a, const big *b)
{
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	return a->neg ? -cmp_mag(a, b) : cmp_mag(a, b);
}

static void
add_mag(big *r, const big *a, const big *b)
{
	size_t n = a->n > b->n ? a->n : b->n, i;
	uint64_t carry = 0;

	alloc(r, n + 1);
	for (i = 0; i < n; i++) {
		carry += (uint64_t)(i < a->n ? a->d[i] : 0) +
		    (i < b->n ? b->d[i] : 0);
		r->d[i] = (uint32_t)carry;
		carry >>= 32;
	}
	r->d[n] = (uint32_t)carry;
	norm(r);
}

/* |a| >= |b| */
static void
sub_mag(big *r, const big *a, const big *b)
{
	int64_t borrow = 0;
	size_t i;

	alloc(r, a->n);
	for (i = 0; i < a->n; i++) {
		int64_t t = (int64_t)a->d[i] - (i < b->n ? b->d[i] :
		    0) - borrow;

		borrow = t < 0;
		r->d[i] = (uint32_t)(t + (borrow ? ((int64_t)1 << 32) : 0));
	}
	norm(r);
}

static void
add(big *r, const big *a, const big *b, int negate_b)
{
	int bneg = b->n && (b->neg ^ negate_b);

	if (a->neg == bneg) {
		add_mag(r, a, b);
		r->neg = a->neg && r->n;
	} else if (cmp_mag(a, b) >= 0) {
		sub_mag(r, a, b);
		r->neg = a->neg && r->n;
	} else {
		sub_mag(r, b, a);
		r->neg = bneg && r->n;
	}
}

static void
mul(big *r, const big *a, const big *b)
{
	size_t i, j;

	alloc(r, a->n + b->n + 1);
	for (i = 0; i < a->n; i++) {
		uint64_t carry = 0;

		for (j = 0; j < b->n; j++) {
			uint64_t t = (uint64_t)a->d[i] * b->d[j] + r->d[i + j] +
			    carry;

			r->d[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		r->d[i + b->n] = (uint32_t)carry;
	}
	norm(r);
	r->neg = (a->neg ^ b->neg) && r->n;
}

static void
copy(big *r, const big *a)
{
	alloc(r, a->n);
	if (a->n)
		memcpy(r->d, a->d, a->n * sizeof *a->d);
	r->neg = a->neg;
}

static void
shl_mag(big *r, const big *a, size_t s)
{
	size_t w = s / 32, k = s % 32, i;

	alloc(r, a->n + w + 1);
	for (i = 0; i < a->n; i++) {
		uint64_t t = (uint64_t)a->d[i] << k;

		r->d[i + w] |= (uint32_t)t;
		r->d[i + w + 1] |= (uint32_t)(t >> 32);
	}
	norm(r);
}

/* Whether a << b would need more 30-bit digits than a CPython int can
 * have, (PY_SSIZE_T_MAX - 24) / 4 on 64 bits: CPython's OverflowError, where
 * smaller shifts past the digit limit are its MemoryError or a value. */
static int
too_many_digits(const big *a, const big *b)
{
	const unsigned __int128 max = 2305843009213693945u;
	unsigned __int128 s = 0, need;
	size_t i;

	if (bits(b) > 70)
		return 1;
	for (i = b->n; i-- > 0;)
		s = s << 32 | b->d[i];
	need = (bits(a) + 29) / 30 + s / 30 + (s % 30 != 0);
	return need > max;
}

/* |a| >> s; *lost set when a one bit was shifted out (may be NULL) */
static void
shr_mag(big *r, const big *a, size_t s, int *lost)
{
	size_t w = s / 32, k = s % 32, i;

	if (lost) {
		*lost = 0;
		for (i = 0; i < w && i < a->n; i++)
			if (a->d[i])
				*lost = 1;
		if (w < a->n && k && (a->d[w] & ((1u << k) - 1)))
			*lost = 1;
	}
	if (w >= a->n) {
		alloc(r, 0);
		return;
	}
	alloc(r, a->n - w);
	for (i = w; i < a->n; i++) {
		uint64_t t = a->d[i] | (i + 1 < a->n ? (uint64_t)a->d[i +
		    1] << 32 : 0);

		r->d[i - w] = (uint32_t)(t >> k);
	}
	norm(r);
}

/* Magnitudes: q = |a| / |b|, m = |a| % |b| (b != 0), by binary long
 * division: O(bits(a) * limbs(b)), enough for operands of 14,300 bits. */
static void
divmod_mag(big *q, big *m, const big *a, const big *b)
{
	size_t nb = bits(a), i, j;

	if (b->n == 1) {
		uint32_t r = divmod_small(q, a, b->d[0]);

		from_u64(m, r, 0);
		return;
	}
	alloc(q, a->n);
	alloc(m, b->n + 1);
	m->n = 0;
	for (i = nb; i-- > 0;) {
		/* m = m << 1 | bit i of a */
		uint32_t carry = (a->d[i / 32] >> (i % 32)) & 1;

		for (j = 0; j < m->n; j++) {
			uint32_t top = m->d[j] >> 31;

			m->d[j] = (m->d[j] << 1) | carry;
			carry = top;
		}
		if (carry)
			m->d[m->n++] = carry;
		if (cmp_mag(m, b) >= 0) {
			int64_t borrow = 0;

			for (j = 0; j < m->n; j++) {
				int64_t t = (int64_t)m->d[j] - (j < b->n ?
				    b->d[j] : 0) - borrow;

				borrow = t < 0;
				m->d[j] = (uint32_t)(t +
				    (borrow ? ((int64_t)1 << 32) : 0));
			}
			norm(m);
			q->d[i / 32] |= 1u << (i % 32);
		}
	}
	norm(q);
	norm(m);
}

/* Python's floor division and modulo (b != 0). */
static void
floordiv(big *q, big *r, const big *a, const big *b)
{
	big qm, rm, one, t;

	divmod_mag(&qm, &rm, a, b);
	if (a->neg == b->neg || rm.n == 0) {
		*q = qm;
		q->neg = (a->neg != b->neg) && q->n;
		*r = rm;
		r->neg = b->neg && r->n;
		return;
	}
	from_u64(&one, 1, 0);
	add_mag(q, &qm, &one);
	q->neg = 1;
	sub_mag(&t, b, &rm);	/* |b| - rm, with b's sign */
	t.neg = b->neg && t.n;
	*r = t;
	free(qm.d);
	free(rm.d);
	free(one.d);
}

/* Two's complement of x in n limbs. */
static uint32_t *
twos(const big *x, size_t n)
{
	uint32_t *t = xcalloc(n, sizeof *t);
	size_t i;
	uint64_t carry = 1;

	for (i = 0; i < x->n; i++)
		t[i] = x->d[i];
	if (x->neg)
		for (i = 0; i < n; i++) {
			carry += (uint32_t)~t[i];
			t[i] = (uint32_t)carry;
			carry >>= 32;
		}
	return t;
}

static void
bitwise(big *r, int op, const big *a, const big *b)
{
	size_t n = (a->n > b->n ? a->n : b->n) + 1, i;
	uint32_t *x = twos(a, n), *y = twos(b, n);
	uint64_t carry = 1;

	alloc(r, n);
	for (i = 0; i < n; i++)
		r->d[i] = op == OP_AND ? x[i] & y[i] : op == OP_OR ? x[i] |
		    y[i] : x[i] ^ y[i];
	if (r->d[n - 1] >> 31) {	/* negative: the magnitude is -r */
		for (i = 0; i < n; i++) {
			carry += (uint32_t)~r->d[i];
			r->d[i] = (uint32_t)carry;
			carry >>= 32;
		}
		norm(r);
		r->neg = r->n != 0;
	} else {
		norm(r);
	}
	free(x);
	free(y);
}

static long
bits64(uint64_t u)
{
	return u ? 64 - __builtin_clzll(u) : 0;
}

/* a / b correctly rounded, as CPython's int true division (b != 0). */
static int
truediv(const big *a, const big *b, double *out)
{
	long k = 66 - ((long)bits(a) - (long)bits(b));
	big num, q, m;
	size_t qb;
	uint64_t q64;
	int lost = 0, lost2 = 0;
	long e;
	double d;

	if (a->n == 0) {
		*out = (a->neg ^ b->neg) ? -0.0 : 0.0;
		return 0;
	}
	if (k < 0)
		k = 0;
	shl_mag(&num, a, (size_t)k);
	divmod_mag(&q, &m, &num, b);
	lost = m.n != 0;
	qb = bits(&q);
	e = -k;
	if (qb > 64) {
		big t;

		shr_mag(&t, &q, qb - 64, &lost2);
		e += (long)(qb - 64);
		free(q.d);
		q = t;
	}
	q64 = q.n ? q.d[0] | (q.n > 1 ? (uint64_t)q.d[1] << 32 : 0) : 0;
	free(num.d);
	free(q.d);
	free(m.d);
	lost |= lost2;
	if (e + (long)bits64(q64) - 53 < -1074) {
		/* subnormal: round once, to a multiple of 2**-1074, half to
		 * even */
		long sh = -1074 - e;
		unsigned __int128 Q = q64, rem, half;
		uint64_t kept;

		if (sh > 65) {
			d = 0.0;
		} else {
			kept = (uint64_t)(Q >> sh);
			rem = Q & (((unsigned __int128)1 << sh) - 1);
			half = (unsigned __int128)1 << (sh - 1);
			if (rem > half || (rem == half && (lost || (kept & 1))))
				kept++;
			d = ldexp((double)kept, -1074);
		}
	} else {
		if (lost)
			q64 |= 1;	/* sticky: far below the 53 bits a
					 * double keeps */
		d = ldexp((double)q64, (int)e);
	}
	if (isinf(d)) {
		err_set(EXC_OVERFLOW,
		    "integer division result too large for a float");
		return -1;
	}
	*out = (a->neg ^ b->neg) ? -d : d;
	return 0;
}

value *
bigint_binary(int op, const value *av, const value *bv)
{
	big a, b, r, r2;
	value *res = NULL;

	from_value(&a, av);
	from_value(&b, bv);
	r.d = NULL;
	switch (op) {
	case OP_ADD: add(&r, &a, &b, 0); break;
	case OP_SUB: add(&r, &a, &b, 1); break;
	case OP_MUL:
		if (bits(&a) + bits(&b) > LIMIT_BITS + 1 && a.n && b.n) {
			limit_error();
			goto out;
		}
		mul(&r, &a, &b);
		break;
	case OP_DIV: {
		double d;

		if (b.n == 0) {
			err_set(EXC_ZERODIV, "division by zero");
			goto out;
		}
		if (truediv(&a, &b, &d) == 0)
			res = v_float(d);
		goto out;
	}
	case OP_FLOORDIV: case OP_MOD:
		if (b.n == 0) {
			err_set(EXC_ZERODIV,
			    op == OP_MOD ? "integer modulo by zero" :
			    "integer division or modulo by zero");
			goto out;
		}
		floordiv(&r, &r2, &a, &b);
		if (op == OP_MOD) {
			free(r.d);
			r = r2;
		} else {
			free(r2.d);
		}
		break;
	case OP_POW: {
		size_t e, ab = bits(&a);
		big base, t;

		if (b.neg) {	/* a float, as CPython */
			double x = v_to_double(av, NULL),
			    y = v_to_double(bv, NULL);

			if (a.n == 0) {
				err_set(EXC_ZERODIV,
				    "0.0 cannot be raised to a negative power");
				goto out;
			}
			res = v_float(pow(x, y));
			goto out;
		}
		if (ab > 1 || (a.n && a.d[0] > 1)) {	/* |a| >= 2 */
			if (bits(&b) > 32 ||
			    (ab - 1) * (size_t)b.d[0] >= LIMIT_BITS) {
				limit_error();
				goto out;
			}
		} else if (bits(&b) > 32) {	/* 0, 1, -1: only the parity
						 * counts */
			b.d[0] = 2 + (b.d[0] & 1);
			b.n = 1;
		}
		e = b.n ? b.d[0] : 0;
		from_u64(&r, 1, 0);
		copy(&base, &a);
		while (e) {
			if (e & 1) {
				mul(&t, &r, &base);
				free(r.d);
				r = t;
			}
			e >>= 1;
			if (e) {
				mul(&t, &base, &base);
				free(base.d);
				base = t;
			}
		}
		free(base.d);
		break;
	}
	case OP_LSHIFT: case OP_RSHIFT: {
		size_t s;
		int lost;

		if (b.neg) {
			err_set(EXC_VALUE, "negative shift count");
			goto out;
		}
		if (op == OP_LSHIFT) {
			if (a.n == 0) {
				res = v_int(0);
				goto out;
			}
			if (too_many_digits(&a, &b)) {
				err_set(EXC_OVERFLOW,
				    "too many digits in integer");
				goto out;
			}
			if (bits(&b) > 33 || bits(&a) + (b.n ? b.d[0] : 0) +
			    (b.n > 1 ? (size_t)b.d[1] << 32 : 0) > MAX_BITS) {
				err_set(EXC_MEMORY, "%s", "");
				goto out;
			}
			if (bits(&a) + b.d[0] > LIMIT_BITS + 1) {
				limit_error();
				goto out;
			}
			shl_mag(&r, &a, b.n ? b.d[0] : 0);
			r.neg = a.neg;
			break;
		}
		s = bits(&b) > 32 ? (size_t)-1 / 2 : b.n ? b.d[0] : 0;
		shr_mag(&r, &a, s, &lost);
		if (a.neg) {	/* floor: -(|a| >> s) - 1 when bits were lost */
			r.neg = r.n != 0;
			if (lost) {
				big one;

				from_u64(&one, 1, 1);
				add(&r2, &r, &one, 0);
				free(r.d);
				free(one.d);
				r = r2;
			}
		}
		break;
	}
	case OP_AND: case OP_OR: case OP_XOR:
		bitwise(&r, op, &a, &b);
		break;
	default:
		goto out;
	}
	res = to_value(&r);
	r.d = NULL;
out:
	free(r.d);
	free(a.d);
	free(b.d);
	return res;
}

value *
bigint_unary(int op, const value *av)
{
	big a, one, r;

	from_value(&a, av);
	if (op == OP_NEG) {
		a.neg = !a.neg && a.n;
		return to_value(&a);
	}
	if (op == OP_INVERT) {	/* ~a == -a - 1 */
		from_u64(&one, 1, 0);
		a.neg = !a.neg && a.n;
		add(&r, &a, &one, 1);
		free(a.d);
		free(one.d);
		return to_value(&r);
	}
	return to_value(&a);
}

int
bigint_cmp(const value *av, const value *bv)
{
	big a, b;
	int c;

	from_value(&a, av);
	from_value(&b, bv);
	c = cmp(&a, &b);
	free(a.d);
	free(b.d);
	return c;
}

value *
bigint_radix(const value *av, int shift, const char *prefix)
{
	big a;
	size_t nb, ndig, i, k;
	char *s, *p;
	value *v;

	from_value(&a, av);
	nb = bits(&a);
	ndig = nb ? (nb + (size_t)shift - 1) / (size_t)shift : 1;
	s = xmalloc(ndig + 4);
	p = s;
	if (a.neg)
		*p++ = '-';
	memcpy(p, prefix, 2);
	p += 2;
	for (i = ndig; i-- > 0;) {
		unsigned dv = 0;

		for (k = (size_t)shift; k-- > 0;) {
			size_t bit = i * (size_t)shift + k;

			dv = (dv << 1) | (bit < nb ?
			    (a.d[bit / 32] >> (bit % 32)) & 1 : 0);
		}
		*p++ = "0123456789abcdef"[dv];
	}
	*p = '\0';
	v = v_strz(s);
	free(s);
	free(a.d);
	return v;
}
