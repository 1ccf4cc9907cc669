/* format.c - CPython's format-spec mini-language (format(), f-strings and
 * str.format: [[fill]align][sign][z][#][0][width][,|_][.precision][type])
 * for str, int (bool, the IntEnums) and float, with CPython's errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval/eval.h"

struct spec {
	unsigned fill;		/* a code point */
	char align;		/* '<', '>', '=', '^' or 0 */
	char sign;		/* '+', '-', ' ' or 0 */
	int zero_neg, alt, zero;	/* 'z', '#', '0' */
	long width, prec;	/* -1: none */
	char group;		/* ',', '_' or 0 */
	char type;		/* 0: none */
};

/* Code points of the UTF-8 text [p, p + n). */
static size_t
cp_count(const char *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)p[i] & 0xc0) != 0x80;
	return k;
}

/* Reads a decimal number at *pp (none: -1). */
static long
number(const char **pp, const char *end)
{
	long v = -1;

	while (*pp < end && **pp >= '0' && **pp <= '9') {
		v = (v < 0 ? 0 : v) * 10 + (**pp - '0');
		if (v > 100000000L)	/* more than a buffer would hold */
			v = 100000000L;
		(*pp)++;
	}
	return v;
}

/* Parses the spec s (n bytes) for an object of type tname.  0 or -1. */
static int
parse_spec(struct spec *f, const char *s, size_t n, const char *tname)
{
	const char *p = s, *end = s + n;
	size_t k;
	unsigned cp;

	memset(f, 0, sizeof *f);
	f->fill = ' ';
	f->width = f->prec = -1;
	k = n ? str_next_cp(p, n, &cp) : 0;
	if (n && p + k < end && strchr("<>=^", p[k])) {
		f->fill = cp;
		f->align = p[k];
		p += k + 1;
	} else if (p < end && strchr("<>=^", *p)) {
		f->align = *p++;
	}
	if (p < end && strchr("+- ", *p))
		f->sign = *p++;
	if (p < end && *p == 'z')
		f->zero_neg = 1, p++;
	if (p < end && *p == '#')
		f->alt = 1, p++;
	if (p < end && *p == '0') {
		f->zero = 1;
		p++;
	}
	f->width = number(&p, end);
	if (f->zero && f->width < 0)
		f->width = 0;
	if (p < end && (*p == ',' || *p == '_'))
		f->group = *p++;
	if (p < end && *p == '.') {
		p++;
		if ((f->prec = number(&p, end)) < 0) {
			err_set(EXC_VALUE, "%s", "Format specifier missing "
			    "precision");
			return -1;
		}
	}
	if (p < end)
		f->type = *p++;
	if (p < end) {
		err_set(EXC_VALUE, "Invalid format specifier '%.*s' for "
		    "object of type '%s'", (int)n, s, tname);
		return -1;
	}
	if (eval_sandbox && (f->width > 65536 || f->prec > 65536)) {
		err_set(EXC_MEMORY, "%s", "a format width or precision above "
		    "2**16 in the eval sandbox");
		return -1;
	}
	return 0;
}

static int
unknown(const struct spec *f, const char *tname)
{
	err_set(EXC_VALUE, "Unknown format code '%c' for object of type '%s'",
	    f->type, tname);
	return -1;
}

/* Pads body (its sign and prefix first: pre bytes of it) to the width. */
static void
pad(struct buf *out, const struct spec *f, const char *body, size_t len,
    size_t pre, char dflt)
{
	size_t w = cp_count(body, len), i, left = 0, right = 0;
	char align = f->align ? f->align : dflt;

	if (f->width > 0 && (size_t)f->width > w) {
		size_t gap = (size_t)f->width - w;

		left = align == '<' ? 0 : align == '^' ? gap / 2 : gap;
		right = gap - left;
	}
	if (align == '=')
		buf_put(out, body, pre);
	for (i = 0; i < left; i++)
		buf_utf8(out, f->fill);
	buf_put(out, body + (align == '=' ? pre : 0), len - (align == '=' ?
	    pre : 0));
	for (i = 0; i < right; i++)
		buf_utf8(out, f->fill);
}

/* Inserts the grouping character every every digits of the integer part
 * of digits (n bytes), zero-padded to fill at least min characters. */
static void
group_digits(struct buf *out, const char *digits, size_t n, char g,
    int every, size_t min)
{
	size_t i, nd = n, zeros = 0;

	while (g && nd + zeros + (nd + zeros - 1) / every < min)
		zeros++;
	while (!g && nd + zeros < min)
		zeros++;
	nd += zeros;
	for (i = 0; i < nd; i++) {
		if (g && i && (nd - i) % every == 0)
			buf_putc(out, g);
		buf_putc(out, i < zeros ? '0' : digits[i - zeros]);
	}
}

/* The sign the spec puts before a number (neg: it is negative). */
static const char *
sign_of(const struct spec *f, int neg)
{
	return neg ? "-" : f->sign == '+' ? "+" : f->sign == ' ' ? " " : "";
}

/* Formats digits (the magnitude's, n bytes, then a tail such as ".5e+00"
 * of tn bytes) with sign, prefix, grouping and padding. */
static void
number_out(struct buf *out, const struct spec *f, int neg, const char *prefix,
    const char *digits, size_t n, const char *tail, size_t tn, int every)
{
	struct buf b = { 0 };
	size_t pre, min = 0;

	buf_puts(&b, sign_of(f, neg));
	buf_puts(&b, prefix);
	pre = b.len;
	if (f->zero && !f->align && f->width > 0 && (size_t)f->width > pre + tn)
		min = (size_t)f->width - pre - tn;
	group_digits(&b, digits, n, f->group, every, min);
	buf_put(&b, tail, tn);
	if (f->zero && !f->align) {
		struct spec z = *f;

		z.fill = '0';
		z.align = '=';
		pad(out, &z, b.p, b.len, pre, '>');
	} else {
		pad(out, f, b.p, b.len, pre, '>');
	}
	free(b.p);
}

static int format_float(struct buf *out, struct spec *f, double d);

/* The magnitude of the int v in base (10, 2, 8, 16) as digit text. */
static char *
int_digits(const value *v, int base, int upper, int *neg)
{
	struct buf b = { 0 };
	int big;
	int64_t i = v_as_i64(v, &big);

	if (big) {	/* hex(), oct(), bin() or str() of it, less the sign */
		static const char *const fns[] = { "bin", "oct", "hex" };
		value *fn = base == 10 ? NULL : builtin_lookup(fns[base == 2 ?
		    0 : base == 8 ? 1 : 2]), *r;
		struct call c = { NULL, (value **)&v, 1, NULL, NULL, 0 };
		const char *p;

		if (base == 10) {
			str_of(&b, v);
		} else {
			r = call_value(fn, &c);
			v_decref(fn);
			if (r == NULL)
				return NULL;
			buf_puts(&b, r->u.s.p);
			v_decref(r);
		}
		buf_putc(&b, 0);
		*neg = b.p[0] == '-';
		p = b.p + *neg + (base == 10 ? 0 : 2);
		memmove(b.p, p, strlen(p) + 1);
	} else {
		uint64_t m = i < 0 ? -(uint64_t)i : (uint64_t)i;
		char tmp[72];
		int k = sizeof tmp;

		*neg = i < 0;
		tmp[--k] = 0;
		do {
			tmp[--k] = "0123456789abcdef"[m % (unsigned)base];
			m /= (unsigned)base;
		} while (m);
		buf_puts(&b, tmp + k);
		buf_putc(&b, 0);
	}
	if (upper) {
		char *q;

		for (q = b.p; *q; q++)
			if (*q >= 'a' && *q <= 'f')
				*q -= 32;
	}
	return b.p;
}

static int
format_int(struct buf *out, struct spec *f, const value *v)
{
	int base = 10, neg, every = 3;
	const char *prefix = "";
	char *d;

	switch (f->type) {
	case 'b': base = 2; prefix = "0b"; break;
	case 'o': base = 8; prefix = "0o"; break;
	case 'x': base = 16; prefix = "0x"; break;
	case 'X': base = 16; prefix = "0X"; break;
	case 0: case 'd': case 'n': break;
	case 'c': break;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
		return format_float(out, f, v_to_double(v, NULL));
	default:
		return unknown(f, "int");
	}
	if (f->prec >= 0) {
		err_set(EXC_VALUE, "%s", "Precision not allowed in integer "
		    "format specifier");
		return -1;
	}
	if (f->group == ',' && base != 10) {
		err_set(EXC_VALUE, "Cannot specify ',' with '%c'.", f->type);
		return -1;
	}
	if (f->type == 'c') {
		int big;
		int64_t i = v_as_i64(v, &big);
		struct buf b = { 0 };

		if (f->sign || f->alt || f->group) {
			err_set(EXC_VALUE, "%s not allowed with integer format "
			    "specifier 'c'", f->sign ? "Sign" : f->alt ?
			    "Alternate form (#)" : "Cannot specify ','");
			return -1;
		}
		if (big || i < 0 || i > 0x10ffff) {
			err_set(EXC_OVERFLOW, "%s",
			    "%c arg not in range(0x110000)");
			return -1;
		}
		buf_utf8(&b, (unsigned)i);
		pad(out, f, b.p, b.len, 0, '>');
		free(b.p);
		return 0;
	}
	if (base != 10)
		every = 4;
	if ((d = int_digits(v, base, f->type == 'X', &neg)) == NULL)
		return -1;
	number_out(out, f, neg, f->alt ? prefix : "", d, strlen(d), "", 0,
	    every);
	free(d);
	return 0;
}

static int
format_float(struct buf *out, struct spec *f, double d)
{
	char fmt[16], *s, type = f->type ? f->type : 'g';
	long prec = f->prec >= 0 ? f->prec : 6;
	struct buf b = { 0 };
	size_t n, k;
	int neg = signbit(d) != 0;
	const char *tail;

	if (!strchr("eEfFgGn%", type))
		return unknown(f, "float");
	if (f->zero_neg && neg && d == 0)
		neg = 0;
	if (f->zero_neg && neg && f->type && strchr("fF%", type)) {
		/* -0.001 with .1f rounds to zero: z makes it 0.0 */
		buf_printf(&b, "%.*f", (int)prec, fabs(d) *
		    (type == '%' ? 100 : 1));
		if (strspn(b.p, "0.") == b.len)
			neg = 0;
		free(b.p);
		b.p = NULL;
		b.len = b.cap = 0;
	}
	d = fabs(d);
	if (type == '%')
		d *= 100;
	if (f->type == 0 && f->prec < 0) {
		repr_float(&b, d);
	} else {
		if (type == 'n')
			type = 'g';
		if ((type == 'g' || type == 'G') && prec == 0)
			prec = 1;
		snprintf(fmt, sizeof fmt, "%%%s.*%c", f->alt ? "#" : "",
		    type == '%' ? 'f' : type);
		buf_printf(&b, fmt, (int)prec, d);
		if (f->type == 0 && isfinite(d) && !strpbrk(b.p, ".e"))
			buf_puts(&b, ".0");
		if (type == '%')
			buf_putc(&b, '%');
	}
	buf_putc(&b, 0);
	s = b.p;
	if (!isfinite(d) && (type == 'E' || type == 'F' || type == 'G'))
		for (k = 0; s[k]; k++)
			s[k] = (char)(s[k] >= 'a' ? s[k] - 32 : s[k]);
	n = strspn(s, "0123456789");
	tail = s + n;
	number_out(out, f, neg, "", s, n, tail, strlen(tail), 3);
	free(s);
	return 0;
}

static int
format_str(struct buf *out, struct spec *f, const value *v)
{
	const char *p = v->u.s.p;
	size_t n = v->u.s.len, k;
	unsigned cp;

	if (f->type && f->type != 's')
		return unknown(f, "str");
	if (f->sign || f->alt || f->align == '=' || f->group) {
		if (f->group)
			err_set(EXC_VALUE, "Cannot specify '%c' with 's'.",
			    f->group);
		else
			err_set(EXC_VALUE, "%s not allowed in string format "
			    "specifier", f->sign ? "Sign" : f->alt ?
			    "Alternate form (#)" : "'=' alignment");
		return -1;
	}
	if (f->prec >= 0) {	/* the first prec code points */
		long c = 0;

		for (k = 0; k < n && c < f->prec; c++)
			k += str_next_cp(p + k, n - k, &cp);
		n = k;
	}
	pad(out, f, p, n, 0, '<');
	return 0;
}

int
format_value(struct buf *out, const value *v, const char *spec, size_t n)
{
	struct spec f;
	const char *tname = v_typename(v);

	if (n == 0 || (v->kind != V_STR && v->kind != V_FLOAT &&
	    !v_is_int(v))) {
		if (n) {
			err_set(EXC_TYPE, "unsupported format string passed "
			    "to %s.__format__", tname);
			return -1;
		}
		if (v->kind == V_ENUM)	/* IntEnum: int's str */
			buf_printf(out, "%lld", (long long)v->u.e.i);
		else
			str_of(out, v);
		return 0;
	}
	if (v->kind == V_ENUM || v->kind == V_BOOL)
		tname = "int";
	if (parse_spec(&f, spec, n, tname) < 0)
		return -1;
	if (v->kind == V_STR)
		return format_str(out, &f, v);
	if (v->kind == V_FLOAT)
		return format_float(out, &f, v->u.f);
	return format_int(out, &f, v);
}

/* Appends ascii(v): its repr with non-ASCII escaped. */
static void
ascii_of(struct buf *out, const value *v)
{
	struct buf b = { 0 };
	size_t i = 0;
	unsigned cp;

	repr(&b, v);
	while (i < b.len) {
		i += str_next_cp(b.p + i, b.len - i, &cp);
		if (cp < 0x80)
			buf_putc(out, (int)cp);
		else if (cp < 0x100)
			buf_printf(out, "\\x%02x", cp);
		else if (cp < 0x10000)
			buf_printf(out, "\\u%04x", cp);
		else
			buf_printf(out, "\\U%08x", cp);
	}
	free(b.p);
}

value *
convert_value(const value *v, int conv)
{
	struct buf b = { 0 };
	value *r;

	if (conv == 's')
		str_of(&b, v);
	else if (conv == 'r')
		repr(&b, v);
	else
		ascii_of(&b, v);
	r = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return r;
}

/* ---- fmt % args ---------------------------------------------------------- */

/* The argument a % conversion takes: the next of args (n of them), or
 * CPython's TypeError. */
static const value *
next_arg(value **args, size_t n, size_t *k)
{
	if (*k >= n) {
		err_set(EXC_TYPE, "%s", "not enough arguments for format "
		    "string");
		return NULL;
	}
	return args[(*k)++];
}

/* A * width or precision: an int argument into *out.  0 or -1. */
static int
star_arg(value **args, size_t n, size_t *k, long *out)
{
	const value *v = next_arg(args, n, k);
	int big;

	if (v == NULL)
		return -1;
	if (!v_is_int(v)) {
		err_set(EXC_TYPE, "%s", "* wants int");
		return -1;
	}
	*out = (long)v_as_i64(v, &big);
	return 0;
}

/* One conversion c of v with the spec so far (flags, width, precision):
 * the value it formats (new), or NULL with CPython's TypeError. */
static value *
percent_value(char c, const value *v)
{
	switch (c) {
	case 'd': case 'i': case 'u':
		if (v->kind == V_FLOAT && isfinite(v->u.f) &&
		    fabs(v->u.f) < 9e18)
			return v_int((int64_t)v->u.f);
		if (v_is_int(v) || v->kind == V_FLOAT)
			return v_incref((value *)v);
		err_set(EXC_TYPE, "%%%c format: a real number is required, "
		    "not %s", c, v_typename(v));
		return NULL;
	case 'x': case 'X': case 'o':
		if (v_is_int(v))
			return v_incref((value *)v);
		err_set(EXC_TYPE, "%%%c format: an integer is required, not "
		    "%s", c, v_typename(v));
		return NULL;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
		if (v_is_int(v) || v->kind == V_FLOAT)
			return v_float(v_to_double(v, NULL));
		err_set(EXC_TYPE, "must be real number, not %s",
		    v_typename(v));
		return NULL;
	case 'c':
		if (v->kind == V_STR && cp_count(v->u.s.p, v->u.s.len) == 1)
			return v_incref((value *)v);
		if (v_is_int(v))
			return v_incref((value *)v);
		err_set(EXC_TYPE, "%s", "%c requires int or char");
		return NULL;
	default:	/* s, r, a */
		return convert_value(v, c);
	}
}

value *
percent_format(const value *fmt, const value *args)
{
	const char *p = fmt->u.s.p, *end = p + fmt->u.s.len;
	value *const *items = (value *const *)&args, *r;
	size_t n = 1, k = 0;
	struct buf out = { 0 };
	int mapping = args->kind == V_DICT;

	if (args->kind == V_TUPLE) {
		items = args->u.seq.items;
		n = args->u.seq.len;
	}
	while (p < end) {
		struct buf spec = { 0 };
		const value *v;
		value *fv;
		char c, flags[8] = "", *fl = flags;
		long width = -1, prec = -1;
		int x;

		if (*p != '%') {
			buf_putc(&out, *p++);
			continue;
		}
		p++;
		v = NULL;
		if (p < end && *p == '(') {	/* %(key)s */
			const char *key = ++p;
			int depth = 1;
			size_t i;

			while (p < end && (depth += *p == '(' ? 1 : *p == ')' ?
			    -1 : 0) > 0)
				p++;
			if (p >= end) {
				err_set(EXC_VALUE, "%s",
				    "incomplete format key");
				goto bad;
			}
			if (!mapping) {
				err_set(EXC_TYPE, "%s",
				    "format requires a mapping");
				goto bad;
			}
			for (i = 0; i < args->u.seq.len; i += 2)
				if (args->u.seq.items[i]->kind == V_STR &&
				    args->u.seq.items[i]->u.s.len ==
				    (size_t)(p - key) &&
				    memcmp(args->u.seq.items[i]->u.s.p, key,
				    (size_t)(p - key)) == 0)
					v = args->u.seq.items[i + 1];
			if (v == NULL) {
				struct buf kb = { 0 };

				repr_string(&kb, key, (size_t)(p - key));
				err_set(EXC_KEY, "%s", kb.p);
				free(kb.p);
				goto bad;
			}
			p++;
		}
		while (p < end && strchr("-+ #0", *p) && fl < flags + 6)
			*fl++ = *p++;
		*fl = 0;
		while (p < end && strchr("-+ #0", *p))
			p++;
		if (p < end && *p == '*') {
			p++;
			if (star_arg((value **)items, n, &k, &width) < 0)
				goto bad;
		} else {
			width = number(&p, end);
		}
		if (p < end && *p == '.') {
			p++;
			if (p < end && *p == '*') {
				p++;
				if (star_arg((value **)items, n, &k, &prec) < 0)
					goto bad;
			} else if ((prec = number(&p, end)) < 0) {
				prec = 0;
			}
		}
		while (p < end && strchr("hlL", *p))
			p++;
		if (p >= end) {
			err_set(EXC_VALUE, "%s", "incomplete format");
			goto bad;
		}
		c = *p++;
		if (c == '%') {
			buf_putc(&out, '%');
			continue;
		}
		if (!strchr("diuoxXeEfFgGcsra", c)) {
			err_set(EXC_VALUE, "unsupported format character '%c' "
			    "(0x%x) at index %zu", c, (unsigned char)c,
			    (size_t)(p - 1 - fmt->u.s.p));
			goto bad;
		}
		if (v == NULL && (v = next_arg((value **)items, n, &k)) ==
		    NULL)
			goto bad;
		if ((fv = percent_value(c, v)) == NULL)
			goto bad;
		if (width < -1) {	/* a negative * width: left */
			width = -width;
			strcat(flags, "-");
		}
		buf_puts(&spec, strchr(flags, '-') ? "<" : strchr(flags, '0') &&
		    !strchr("srac", c) ? "" : ">");
		buf_puts(&spec, strchr(flags, '+') ? "+" : strchr(flags, ' ')
		    ? " " : "");
		buf_puts(&spec, strchr(flags, '#') ? "#" : "");
		if (strchr(flags, '0') && !strchr(flags, '-') && c != 's' &&
		    c != 'r' && c != 'a' && c != 'c')
			buf_putc(&spec, '0');
		if (width >= 0)
			buf_printf(&spec, "%ld", width);
		if (prec >= 0 && !strchr("diuoxXc", c))
			buf_printf(&spec, ".%ld", prec);
		buf_putc(&spec, strchr("diu", c) ? 'd' : strchr("sra", c) ||
		    fv->kind == V_STR ? 's' : c);
		x = format_value(&out, fv, spec.p, spec.len);
		v_decref(fv);
		free(spec.p);
		if (x < 0)
			goto bad;
	}
	if (k < n && !mapping) {
		err_set(EXC_TYPE, "%s", "not all arguments converted during "
		    "string formatting");
		goto bad;
	}
	r = v_str(out.p ? out.p : "", out.len);
	free(out.p);
	return r;
bad:
	free(out.p);
	return NULL;
}

/* ---- str.format ---------------------------------------------------------- */

/* Numbering of the fields: 0 none yet, 1 automatic, 2 manual. */
struct fields {
	struct call *c;
	size_t next;
	int mode;
};

/* The argument a field name [p, end) starts with: an index, a keyword,
 * or the next one (empty).  New, or NULL with CPython's error. */
static value *
field_arg(struct fields *fs, const char *p, const char *end)
{
	struct call *c = fs->c;
	size_t i, idx;
	int mode = p == end ? 1 : 2;

	if (fs->mode && fs->mode != mode && (p == end ||
	    strspn(p, "0123456789") >= (size_t)(end - p))) {
		err_set(EXC_VALUE, "%s", mode == 1 ? "cannot switch from "
		    "manual field specification to automatic field "
		    "numbering" : "cannot switch from automatic field "
		    "numbering to manual field specification");
		return NULL;
	}
	if (p != end && strspn(p, "0123456789") < (size_t)(end - p)) {
		for (i = 0; i < c->nkw; i++)
			if (strlen(c->kwnames[i]) == (size_t)(end - p) &&
			    memcmp(c->kwnames[i], p, (size_t)(end - p)) == 0)
				return v_incref(c->kwvals[i]);
		{
			struct buf b = { 0 };

			repr_string(&b, p, (size_t)(end - p));
			err_set(EXC_KEY, "%s", b.p);
			free(b.p);
		}
		return NULL;
	}
	fs->mode = mode;
	idx = p == end ? fs->next++ : (size_t)strtoul(p, NULL, 10);
	if (idx >= c->nargs) {
		err_set(EXC_INDEX, "Replacement index %zu out of range for "
		    "positional args tuple", idx);
		return NULL;
	}
	return v_incref(c->args[idx]);
}

/* The value of the field name [p, end): its argument, then .attr and
 * [key] parts. */
static value *
field_lookup(struct fields *fs, const char *p, const char *end)
{
	const char *q = p;
	value *v, *w;

	while (q < end && *q != '.' && *q != '[')
		q++;
	if ((v = field_arg(fs, p, q)) == NULL)
		return NULL;
	while (q < end && v) {
		const char *s = ++q;
		char *name;

		if (q[-1] == '.') {
			while (q < end && *q != '.' && *q != '[')
				q++;
			name = xmemdup(s, (size_t)(q - s));
			w = attr_get(v, name);
			free(name);
		} else {
			value *key;

			while (q < end && *q != ']')
				q++;
			key = s < q && strspn(s, "0123456789") >= (size_t)(q -
			    s) ? v_int((int64_t)strtoll(s, NULL, 10)) :
			    v_str(s, (size_t)(q - s));
			w = op_subscript(v, key);
			v_decref(key);
			q++;
		}
		v_decref(v);
		v = w;
	}
	return v;
}

static int format_into(struct buf *out, struct fields *fs, const char *p,
    const char *end, int level);

/* One field {name!conv:spec} at [p, end) (inside the braces). */
static int
format_field(struct buf *out, struct fields *fs, const char *p,
    const char *end, int level)
{
	const char *q = p, *spec = end;
	struct buf sb = { 0 };
	char conv = 0;
	value *v;
	int r, depth = 0;

	while (q < end && (depth || (*q != '!' && *q != ':'))) {
		depth += *q == '[' ? 1 : *q == ']' ? -1 : 0;
		q++;
	}
	if (q < end && *q == '!') {
		if (q + 1 >= end || (q + 2 < end && q[2] != ':')) {
			err_set(EXC_VALUE, "%s", q + 1 >= end ?
			    "unmatched '{' in format spec" : "expected ':' "
			    "after conversion specifier");
			return -1;
		}
		conv = q[1];
		if (!strchr("rsa", conv)) {
			err_set(EXC_VALUE, "Unknown conversion specifier %c",
			    conv);
			return -1;
		}
		spec = q + 2;
	} else {
		spec = q;
	}
	if (spec < end)
		spec++;
	if ((v = field_lookup(fs, p, q)) == NULL)
		return -1;
	if (conv) {
		value *w = convert_value(v, conv);

		v_decref(v);
		v = w;
	}
	r = format_into(&sb, fs, spec, end, level + 1);
	if (r == 0)
		r = format_value(out, v, sb.p ? sb.p : "", sb.len);
	free(sb.p);
	v_decref(v);
	return r;
}

/* Formats [p, end) into out: text, {{ and }}, and fields. */
static int
format_into(struct buf *out, struct fields *fs, const char *p,
    const char *end, int level)
{
	if (level >= 2 && p < end) {
		err_set(EXC_VALUE, "%s", "Max string recursion exceeded");
		return -1;
	}
	while (p < end) {
		const char *f;
		int depth = 1;

		if ((*p == '{' || *p == '}') && p + 1 < end && p[1] == *p) {
			buf_putc(out, *p);
			p += 2;
			continue;
		}
		if (*p == '}') {
			err_set(EXC_VALUE, "%s",
			    "Single '}' encountered in format string");
			return -1;
		}
		if (*p != '{') {
			buf_putc(out, *p++);
			continue;
		}
		for (f = ++p; p < end; p++) {
			depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
			if (depth == 0)
				break;
		}
		if (p >= end) {
			err_set(EXC_VALUE, "%s", f == end ? "Single '{' "
			    "encountered in format string" : "expected '}' "
			    "before end of string");
			return -1;
		}
		if (format_field(out, fs, f, p, level) < 0)
			return -1;
		p++;
	}
	return 0;
}

value *
str_format(const value *fmt, struct call *c)
{
	struct fields fs = { c, 0, 0 };
	struct buf out = { 0 };
	value *r;

	if (format_into(&out, &fs, fmt->u.s.p, fmt->u.s.p + fmt->u.s.len,
	    0) < 0) {
		free(out.p);
		return NULL;
	}
	r = v_str(out.p ? out.p : "", out.len);
	free(out.p);
	return r;
}
