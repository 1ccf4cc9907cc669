/* parse.c - Python literals, as ast.literal_eval reads them. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/consts.h"
#include "emit.h"
#include "error.h"
#include "parse.h"

/* ---- numbers ------------------------------------------------------------- */

char *
big_to_decimal(const char *digits, size_t n, int base, int negative)
{
	/* little-endian limbs of 10^9 */
	size_t nl = 1, i, k;
	uint32_t *limb = xcalloc(n / 2 + 2, sizeof *limb);
	struct buf b = { 0 };

	for (i = 0; i < n; i++) {
		int c = tolower((unsigned char)digits[i]);
		uint64_t carry = (uint64_t)(isdigit(c) ? c - '0' : c - 'a' +
		    10);

		for (k = 0; k < nl; k++) {
			uint64_t t = (uint64_t)limb[k] * (uint64_t)base + carry;

			limb[k] = (uint32_t)(t % 1000000000u);
			carry = t / 1000000000u;
		}
		if (carry)
			limb[nl++] = (uint32_t)carry;
	}
	while (nl > 1 && limb[nl - 1] == 0)
		nl--;
	if (negative && !(nl == 1 && limb[0] == 0))
		buf_putc(&b, '-');
	buf_printf(&b, "%u", limb[nl - 1]);
	for (k = nl - 1; k-- > 0;)
		buf_printf(&b, "%09u", limb[k]);
	free(limb);
	return buf_cstr(&b);
}

/* CPython 3.11's sys.get_int_max_str_digits() default. */
#define INT_MAX_STR_DIGITS 4300

int
int_digits_check(const char *digits, size_t n, int base, int literal)
{
	size_t lead = 0;

	if (base & (base - 1)) {	/* not a power of two: CPython counts
					 * every digit */
		if (n <= INT_MAX_STR_DIGITS ||
		    (literal && strspn(digits, "0") >= n))
			return 0;
		err_set(literal ? EXC_SYNTAX : EXC_VALUE,
		    "Exceeds the limit (%d digits) for "
		    "integer string conversion: value has %zu digits; use "
		    "sys.set_int_max_str_digits() to increase the limit%s",
		    INT_MAX_STR_DIGITS, n,
		    literal ? " - Consider hexadecimal for huge integer literals to avoid "
		    "decimal conversion limits." : "");
		return -1;
	}
	/* CPython takes any number of these digits, but sockit keeps ints as
	 * decimal text: what str() of the value would refuse is refused now */
	while (lead < n && digits[lead] == '0')
		lead++;
	if ((double)(n - lead) * log10(base) <= INT_MAX_STR_DIGITS)
		return 0;
	err_set(EXC_VALUE,
	    "Exceeds the limit (%d digits) for integer string conversion; "
	    "use sys.set_int_max_str_digits() to increase the limit",
	    INT_MAX_STR_DIGITS);
	return -1;
}

static int
is_ident_char(int c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* Copies the digits of base at p (with single '_' between digits) into out;
 * returns how many bytes were consumed, or 0 on a misplaced '_'. */
static size_t
scan_digits(const char *p, const char *end, int base, struct buf *out)
{
	const char *s = p;

	for (;;) {
		int c = p < end ? tolower((unsigned char)*p) : 0;
		int d = isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ?
		    c - 'a' + 10 : 99;

		if (d < base) {
			buf_putc(out, c);
			p++;
		} else if (c == '_' && p > s && p + 1 < end) {
			int n = tolower((unsigned char)p[1]);
			int dn = isdigit(n) ? n - '0' : (n >= 'a' && n <= 'f') ?
			    n - 'a' + 10 : 99;

			if (dn >= base)
				return 0;
			p++;
		} else {
			break;
		}
	}
	return (size_t)(p - s);
}

static value *
int_from_digits(const char *digits, size_t n, int base)
{
	char *dec;
	value *v;

	if (int_digits_check(digits, n, base, 1) < 0)
		return NULL;
	dec = big_to_decimal(digits, n, base, 0);
	v = v_bigint(dec);

	free(dec);
	return v;
}

value *
lex_number(const char **pp, const char *end)
{
	const char *p = *pp;
	struct buf d = { 0 };
	value *v = NULL;
	size_t n;

	if (p + 1 < end && p[0] == '0' && strchr("xXoObB", p[1])) {
		int base = strchr("xX", p[1]) ? 16 : strchr("oO", p[1]) ? 8 : 2;

		p += 2;
		if (p < end && *p == '_')
			p++;
		n = scan_digits(p, end, base, &d);
		if (n == 0 || (p + n < end &&
		    is_ident_char((unsigned char)p[n]))) {
			err_set(EXC_SYNTAX, "invalid %s literal",
			    base == 16 ? "hexadecimal" : base == 8 ? "octal" :
			    "binary");
			goto out;
		}
		if ((v = int_from_digits(d.p, d.len, base)) == NULL)
			goto out;
		p += n;
		goto done;
	}
	n = scan_digits(p, end, 10, &d);
	p += n;
	if ((p < end && (*p == '.' || *p == 'e' || *p == 'E')) || n == 0) {
		/* a float: digits [. digits] [e [+-] digits] */
		if (p < end && *p == '.') {
			buf_putc(&d, '.');
			p++;
			p += scan_digits(p, end, 10, &d);
		}
		if (d.len == 0 || (d.len == 1 && d.p[0] == '.'))
			goto bad;
		if (p < end && (*p == 'e' || *p == 'E')) {
			size_t m;

			buf_putc(&d, 'e');
			p++;
			if (p < end && (*p == '+' || *p == '-'))
				buf_putc(&d, *p++);
			m = scan_digits(p, end, 10, &d);
			if (m == 0)
				goto bad;
			p += m;
		}
		if (p < end && (*p == 'j' || *p == 'J')) {
			err_set(EXC_SYNTAX,
			    "complex numbers are not supported");
			goto out;
		}
		if (p < end && is_ident_char((unsigned char)*p))
			goto bad;
		v = v_float(strtod(d.p, NULL));
		goto done;
	}
	if (p < end && (*p == 'j' || *p == 'J')) {
		err_set(EXC_SYNTAX, "complex numbers are not supported");
		goto out;
	}
	if (p < end && is_ident_char((unsigned char)*p))
		goto bad;
	if (d.len > 1 && d.p[0] == '0' && strspn(d.p, "0") != d.len) {
		err_set(EXC_SYNTAX, "leading zeros in decimal integer literals are not permitted; "
		    "use an 0o prefix for octal integers");
		goto out;
	}
	if ((v = int_from_digits(d.p, d.len, 10)) == NULL)
		goto out;
done:
	*pp = p;
	goto out;
bad:
	err_set(EXC_SYNTAX, "invalid decimal literal");
out:
	free(d.p);
	return v;
}

/* ---- strings ------------------------------------------------------------- */

static void
put_utf8(struct buf *b, unsigned cp)
{
	if (cp >= 0xdc80 && cp <= 0xdcff)	/* surrogateescape: the raw
						 * byte */
		buf_putc(b, (int)(cp - 0xdc00));
	else
		buf_utf8(b, cp);
}

static size_t
prefix_len(const char *p, const char *end)
{
	size_t i = 0;

	while (p + i < end && i < 2 && strchr("rRbBuU", p[i]) && p[i])
		i++;
	return i;
}

int
lex_is_string_start(const char *p, const char *end)
{
	size_t i = prefix_len(p, end), k;

	for (k = i + 1; k-- > 0;) {	/* try the longest prefix first */
		if (p + k < end && (p[k] == '\'' || p[k] == '"')) {
			size_t j;
			int b = 0, r = 0, u = 0;

			for (j = 0; j < k; j++) {
				int c = tolower((unsigned char)p[j]);

				b += c == 'b', r += c == 'r', u += c == 'u';
			}
			if (b > 1 || r > 1 || u > 1 || (u && (b || r)))
				continue;
			return 1;
		}
	}
	return 0;
}

value *
lex_string(const char **pp, const char *end)
{
	const char *p = *pp;
	int is_bytes = 0, is_raw = 0, q, triple;
	struct buf b = { 0 };

	while (p < end && *p != '\'' && *p != '"') {
		int c = tolower((unsigned char)*p++);

		is_bytes |= c == 'b';
		is_raw |= c == 'r';
	}
	if (p >= end)
		goto unterminated;
	q = *p;
	triple = p + 2 < end && p[1] == q && p[2] == q;
	p += triple ? 3 : 1;
	for (;;) {
		unsigned char c;

		if (p >= end)
			goto unterminated;
		c = (unsigned char)*p;
		if (c == q && (!triple ||
		    (p + 2 < end && p[1] == q && p[2] == q))) {
			p += triple ? 3 : 1;
			break;
		}
		if (c == '\n' && !triple)
			goto unterminated;
		if (is_bytes && c >= 0x80) {
			err_set(EXC_SYNTAX,
			    "bytes can only contain ASCII literal characters");
			goto fail;
		}
		if (c != '\\' || is_raw) {
			if (c == '\\' && p + 1 < end)	/* raw: \q keeps both,
							 * but \' does not end
							 * it */
				buf_putc(&b, *p++);
			buf_putc(&b, *p++);
			continue;
		}
		if (++p >= end)
			goto unterminated;
		c = (unsigned char)*p++;
		switch (c) {
		case '\n': break;
		case '\\': buf_putc(&b, '\\'); break;
		case '\'': buf_putc(&b, '\''); break;
		case '"': buf_putc(&b, '"'); break;
		case 'a': buf_putc(&b, '\a'); break;
		case 'b': buf_putc(&b, '\b'); break;
		case 'f': buf_putc(&b, '\f'); break;
		case 'n': buf_putc(&b, '\n'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 't': buf_putc(&b, '\t'); break;
		case 'v': buf_putc(&b, '\v'); break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			unsigned v = c - '0';
			int k;

			for (k = 0; k < 2 && p < end && *p >= '0' &&
			    *p <= '7'; k++)
				v = v * 8 + (unsigned)(*p++ - '0');
			if (is_bytes)
				buf_putc(&b, (int)(v & 0xff));
			else
				put_utf8(&b, v);
			break;
		}
		case 'x': case 'u': case 'U': {
			int want = c == 'x' ? 2 : c == 'u' ? 4 : 8, k;
			unsigned v = 0;

			if (is_bytes && c != 'x') {
				buf_putc(&b, '\\');
				buf_putc(&b, c);
				break;
			}
			for (k = 0; k < want; k++) {
				int h = p + k < end ?
				    hex_digit((unsigned char)p[k]) : -1;

				if (h < 0) {
					err_set(EXC_SYNTAX, "(%s error) truncated \\%c%.*s escape",
					    is_bytes ? "value" : "unicode", c,
					    want == 2 ? 2 : want == 4 ? 4 : 8,
					    "XXXXXXXX");
					goto fail;
				}
				v = v * 16 + (unsigned)h;
			}
			p += want;
			if (v > 0x10ffff) {
				err_set(EXC_SYNTAX,
				    "(unicode error) illegal Unicode character");
				goto fail;
			}
			if (is_bytes)
				buf_putc(&b, (int)v);
			else
				put_utf8(&b, v);
			break;
		}
		case 'N':
			if (!is_bytes) {
				err_set(EXC_VALUE,
				    "\\N{...} escapes are not supported; "
				    "write the character or \\u/\\U");
				goto fail;
			}
			/* fall through */
		default:
			buf_putc(&b, '\\');
			buf_putc(&b, c);
			break;
		}
	}
	*pp = p;
	{
		value *v = is_bytes ? v_bytes(b.p ? b.p : "", b.len) :
		    v_str(b.p ? b.p : "", b.len);

		free(b.p);
		return v;
	}
unterminated:
	err_set(EXC_SYNTAX, "unterminated string literal");
fail:
	free(b.p);
	return NULL;
}

/* ---- literal_eval -------------------------------------------------------- */

struct lp {
	const char *p, *end;
	int depth;
	int signed_;	/* the last expression was a signed number ("-1",
			 * "(-1)") */
	/* the first unhashable dict key or set item (a reference): its
	 * TypeError comes once the whole literal has parsed, as in
	 * ast.literal_eval */
	value *unhashable;
};

static void
skip_ws(struct lp *lp)
{
	while (lp->p < lp->end) {
		char c = *lp->p;

		if (c == ' ' || c == '\t' || c == '\f' ||
		    (lp->depth > 0 && (c == '\n' || c == '\r')))
			lp->p++;
		else if (c == '\\' && lp->p + 1 < lp->end && lp->p[1] == '\n')
			lp->p += 2;
		else if (c == '#')
			while (lp->p < lp->end && *lp->p != '\n')
				lp->p++;
		else
			break;
	}
}

static value *lit_expr(struct lp *lp);

static int
eat(struct lp *lp, char c)
{
	skip_ws(lp);
	if (lp->p < lp->end && *lp->p == c) {
		lp->p++;
		return 1;
	}
	return 0;
}

/* Items up to close; sets *trailing_comma / *count. */
static value *
lit_items(struct lp *lp, char close, value *seq, int *commas)
{
	*commas = 0;
	lp->depth++;
	for (;;) {
		value *item;

		if (eat(lp, close))
			break;
		if ((item = lit_expr(lp)) == NULL)
			goto fail;
		v_append(seq, item);
		if (eat(lp, ',')) {
			(*commas)++;
			continue;
		}
		if (eat(lp, close))
			break;
		goto bad;
	}
	lp->depth--;
	return seq;
bad:
	err_set(EXC_SYNTAX, "invalid syntax");
fail:
	lp->depth--;
	v_decref(seq);
	return NULL;
}

static value *
lit_dict_or_set(struct lp *lp)
{
	value *d = v_dict_new(), *k, *v;
	int is_set = -1;

	lp->depth++;
	for (;;) {
		if (eat(lp, '}'))
			break;
		if ((k = lit_expr(lp)) == NULL)
			goto fail;
		if (lp->unhashable == NULL && v_unhashable(k))
			lp->unhashable = v_incref(k);
		if (is_set < 0)
			is_set = !eat(lp, ':');
		else if (!is_set && !eat(lp, ':')) {
			v_decref(k);
			goto bad;
		}
		if (is_set) {
			size_t i;
			int dup = 0;

			for (i = 0; i < d->u.seq.len; i++)
				dup |= v_equal(d->u.seq.items[i], k);
			if (dup)
				v_decref(k);
			else
				v_append(d, k);
		} else {
			if ((v = lit_expr(lp)) == NULL) {
				v_decref(k);
				goto fail;
			}
			v_dict_set(d, k, v);
		}
		if (eat(lp, ','))
			continue;
		if (eat(lp, '}'))
			break;
		goto bad;
	}
	lp->depth--;
	if (is_set == 1)
		d->kind = V_SET;
	return d;
bad:
	err_set(EXC_SYNTAX, "invalid syntax");
fail:
	lp->depth--;
	v_decref(d);
	return NULL;
}

#define BYTEARRAY_MAX (1 << 30)

/* The rest of bytearray(), bytearray(N) or bytearray(b'...') after the '('
 * (SPEC section 3: a writable buffer). */
static value *
lit_bytearray(struct lp *lp)
{
	value *arg = NULL, *v = NULL;
	char *zero;

	if (eat(lp, ')'))
		return v_bytearray("", 0);
	lp->depth++;	/* bytearray(bytearray(...)) nests as brackets do */
	arg = lit_expr(lp);
	lp->depth--;
	if (arg == NULL)
		return NULL;
	if (!eat(lp, ')'))
		err_set(EXC_SYNTAX, "invalid syntax");
	else if (arg->kind == V_BYTES)
		v = v_bytearray(arg->u.s.p, arg->u.s.len);
	else if (arg->kind == V_INT && !arg->u.n.big && arg->u.n.i >= 0 &&
	    arg->u.n.i <= BYTEARRAY_MAX) {
		zero = xcalloc((size_t)arg->u.n.i + 1, 1);
		v = v_bytearray(zero, (size_t)arg->u.n.i);
		free(zero);
	} else
		err_set(EXC_VALUE, "malformed node or string");
	v_decref(arg);
	return v;
}

static value *
lit_atom(struct lp *lp)
{
	const char *p;

	skip_ws(lp);
	p = lp->p;
	if (p >= lp->end) {
		err_set(EXC_SYNTAX, "invalid syntax");
		return NULL;
	}
	if (lp->depth > 200) {
		err_set(EXC_SYNTAX, "too many nested parentheses");
		return NULL;
	}
	if (lex_is_string_start(p, lp->end)) {
		value *v = lex_string(&lp->p, lp->end);

		for (;;) {	/* adjacent literals concatenate */
			value *w;
			struct buf b = { 0 };

			if (v == NULL)
				return NULL;
			skip_ws(lp);
			if (lp->p >= lp->end ||
			    !lex_is_string_start(lp->p, lp->end))
				return v;
			if ((w = lex_string(&lp->p, lp->end)) == NULL) {
				v_decref(v);
				return NULL;
			}
			if (w->kind != v->kind) {
				v_decref(v);
				v_decref(w);
				err_set(EXC_SYNTAX,
				    "cannot mix bytes and nonbytes literals");
				return NULL;
			}
			buf_put(&b, v->u.s.p, v->u.s.len);
			buf_put(&b, w->u.s.p, w->u.s.len);
			free(v->u.s.p);
			v->u.s.len = b.len;
			v->u.s.p = buf_cstr(&b);
			v_decref(w);
		}
	}
	if (isdigit((unsigned char)*p) || (*p == '.' && p + 1 < lp->end &&
	    isdigit((unsigned char)p[1])))
		return lex_number(&lp->p, lp->end);
	if (*p == '(') {
		int commas;
		value *t;

		lp->p++;
		if ((t = lit_items(lp, ')', v_tuple_new(0), &commas)) == NULL)
			return NULL;
		if (t->u.seq.len == 1 && commas == 0) {
			value *inner = v_incref(t->u.seq.items[0]);

			v_decref(t);
			return inner;
		}
		return t;
	}
	if (*p == '[') {
		int commas;

		lp->p++;
		return lit_items(lp, ']', v_list_new(), &commas);
	}
	if (*p == '{') {
		lp->p++;
		return lit_dict_or_set(lp);
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		const char *s = p;
		size_t n;

		while (lp->p < lp->end && is_ident_char((unsigned char)*lp->p))
			lp->p++;
		n = (size_t)(lp->p - s);
		if (n == 4 && memcmp(s, "None", 4) == 0)
			return v_none();
		if (n == 4 && memcmp(s, "True", 4) == 0)
			return v_bool(1);
		if (n == 5 && memcmp(s, "False", 5) == 0)
			return v_bool(0);
		if (n == 3 && memcmp(s, "set", 3) == 0 && eat(lp, '(') &&
		    eat(lp, ')'))
			return v_set_new();
		if (n == 9 && memcmp(s, "bytearray", 9) == 0 && eat(lp, '('))
			return lit_bytearray(lp);
		err_set(EXC_VALUE, "malformed node or string");
		return NULL;
	}
	err_set(EXC_SYNTAX, "invalid syntax");
	return NULL;
}

static value *
lit_expr(struct lp *lp)
{
	value *v;
	int neg = 0, sign = 0;

	skip_ws(lp);
	while (lp->p < lp->end && (*lp->p == '-' || *lp->p == '+')) {
		neg ^= *lp->p == '-';
		sign++;
		lp->p++;
		skip_ws(lp);
	}
	lp->signed_ = 0;
	if ((v = lit_atom(lp)) == NULL)
		return NULL;
	if (sign == 0)
		return v;
	/* literal_eval takes one sign on a number, not on a signed one:
	 * "-(-1)" */
	if (sign > 1 || lp->signed_ ||
	    (v->kind != V_INT && v->kind != V_FLOAT)) {
		v_decref(v);
		err_set(EXC_VALUE, "malformed node or string");
		return NULL;
	}
	if (neg && v->kind == V_FLOAT) {
		v->u.f = -v->u.f;
	} else if (neg && v->u.n.big) {
		char *t = xmalloc(strlen(v->u.n.big) + 2);

		t[0] = '-';
		strcpy(t + 1, v->u.n.big);
		v_decref(v);
		v = v_bigint(t);
		free(t);
	} else if (neg) {
		v->u.n.i = -v->u.n.i;
	}
	lp->signed_ = 1;
	return v;
}

value *
parse_literal(const char *text, size_t len)
{
	struct lp lp = { text, text + len, 0, 0, NULL };
	value *v;

	while (lp.p < lp.end && (*lp.p == ' ' || *lp.p == '\t'))
		lp.p++;
	if (memchr(text, '\0', len)) {
		err_set(EXC_SYNTAX,
		    "source code string cannot contain null bytes");
		return NULL;
	}
	if ((v = lit_expr(&lp)) != NULL) {
		skip_ws(&lp);
		while (lp.p < lp.end && (*lp.p == '\n' || *lp.p == '\r' ||
		    *lp.p == ' ' || *lp.p == '\t'))
			lp.p++;
		if (lp.p != lp.end) {
			v_decref(v);
			v = NULL;
			err_set(EXC_SYNTAX, "invalid syntax");
		}
	}
	/* converting stops at the first bad node: an unhashable key before
	 * it wins, a syntax error anywhere does not */
	if (lp.unhashable && (v || err_class() != EXC_SYNTAX)) {
		v_decref(v);
		v = NULL;
		err_clear();
		v_check_hashable(lp.unhashable);
	}
	v_decref(lp.unhashable);
	return v;
}

value *
parse_value(const char *word)
{
	value *v = parse_literal(word, strlen(word));

	if (v)
		return v;
	if ((err_class() == EXC_VALUE && strstr(err_get()->msg, "\\N{")) ||
	    err_class() == EXC_TYPE)	/* as literal_eval: {[1]: 2} */
		return NULL;
	if (strncmp(err_get()->msg, "Exceeds the limit", 17) == 0) {
		/* an int of more than 4300 digits is no bare word: int()'s
		 * error */
		char *msg = xstrdup(err_get()->msg),
		    *hint = strstr(msg, " - Consider");

		if (hint)
			*hint = '\0';
		err_set(EXC_VALUE, "%s", msg);
		free(msg);
		return NULL;
	}
	err_clear();
	if ((v = konst_or(word, 0)) != NULL)
		return v;
	return v_strz(word);
}
