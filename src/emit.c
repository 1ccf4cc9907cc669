/* emit.c - Python repr, JSON and raw renderings of values. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/consts.h"
#include "core/family.h"
#include "emit.h"
#include "error.h"
#include "json.h"
#include "unitab.h"

/* Makes room for n more bytes and the NUL after them. */
static void
buf_grow(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void
buf_hex(struct buf *b, const void *p, size_t n, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const unsigned char *s = p;
	char *q;
	size_t i;

	buf_grow(b, 2 * n);
	q = b->p + b->len;
	for (i = 0; i < n; i++) {
		*q++ = digits[s[i] >> 4];
		*q++ = digits[s[i] & 15];
	}
	b->len += 2 * n;
	b->p[b->len] = '\0';
}

void
buf_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6)),
		    u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12)),
		    u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18)),
		    u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		    u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
	}
	buf_put(b, u, n);
}

void
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	buf_put(b, &ch, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[256], *p = tmp;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof tmp) {
		p = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	buf_put(b, p, (size_t)n);
	if (p != tmp)
		free(p);
}

char *
buf_cstr(struct buf *b)
{
	char *p;

	buf_put(b, "", 0);
	p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

static int
printable(unsigned cp)
{
	size_t lo = 0, hi = sizeof nonprint_ranges / sizeof nonprint_ranges[0];

	if (cp < 0x80)
		return cp >= 0x20 && cp < 0x7f;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < nonprint_ranges[mid][0])
			hi = mid;
		else if (cp > nonprint_ranges[mid][1])
			lo = mid + 1;
		else
			return 0;
	}
	return 1;
}

/* ---- repr ---------------------------------------------------------------- */

static int
pick_quote(const char *p, size_t n)
{
	return memchr(p, '\'', n) && !memchr(p, '"', n) ? '"' : '\'';
}

void
repr_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int q = pick_quote(s, n);
	size_t i = 0;

	buf_putc(b, q);
	while (i < n) {
		unsigned cp;
		size_t k = str_next_cp((const char *)p + i, n - i, &cp);

		if (cp == (unsigned)q || cp == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (int)cp);
		} else if (cp == '\t') {
			buf_puts(b, "\\t");
		} else if (cp == '\n') {
			buf_puts(b, "\\n");
		} else if (cp == '\r') {
			buf_puts(b, "\\r");
		} else if (printable(cp)) {
			buf_put(b, p + i, k);
		} else if (cp < 0x100) {
			buf_printf(b, "\\x%02x", cp);
		} else if (cp < 0x10000) {
			buf_printf(b, "\\u%04x", cp);
		} else {
			buf_printf(b, "\\U%08x", cp);
		}
		i += k;
	}
	buf_putc(b, q);
}

void
repr_bytes(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	int q = pick_quote(s, n);
	size_t i;

	buf_putc(b, 'b');
	buf_putc(b, q);
	for (i = 0; i < n; i++) {
		unsigned c = p[i];

		if (c == (unsigned)q || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (int)c);
		} else if (c == '\t') {
			buf_puts(b, "\\t");
		} else if (c == '\n') {
			buf_puts(b, "\\n");
		} else if (c == '\r') {
			buf_puts(b, "\\r");
		} else if (c < 0x20 || c >= 0x7f) {
			buf_printf(b, "\\x%02x", c);
		} else {
			buf_putc(b, (int)c);
		}
	}
	buf_putc(b, q);
}

void
repr_float(struct buf *b, double f)
{
	char tmp[40], digits[20];
	int prec, exp10, nd = 0, decpt, i;
	char *e;

	if (isnan(f)) {
		buf_puts(b, "nan");
		return;
	}
	if (isinf(f)) {
		buf_puts(b, f < 0 ? "-inf" : "inf");
		return;
	}
	/* shortest %e form that reads back as f */
	for (prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	e = strchr(tmp, 'e');
	exp10 = atoi(e + 1);
	for (i = 0; tmp + i < e; i++)
		if (tmp[i] >= '0' && tmp[i] <= '9')
			digits[nd++] = tmp[i];
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	if (signbit(f))
		buf_putc(b, '-');
	decpt = exp10 + 1;	/* digits are 0.DIGITS * 10^decpt */
	if (decpt <= -4 || decpt > 16) {
		buf_putc(b, digits[0]);
		if (nd > 1) {
			buf_putc(b, '.');
			buf_put(b, digits + 1, (size_t)nd - 1);
		}
		buf_printf(b, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
	} else if (decpt <= 0) {
		buf_puts(b, "0.");
		for (i = 0; i < -decpt; i++)
			buf_putc(b, '0');
		buf_put(b, digits, (size_t)nd);
	} else if (nd <= decpt) {
		buf_put(b, digits, (size_t)nd);
		for (i = nd; i < decpt; i++)
			buf_putc(b, '0');
		buf_puts(b, ".0");
	} else {
		buf_put(b, digits, (size_t)decpt);
		buf_putc(b, '.');
		buf_put(b, digits + decpt, (size_t)(nd - decpt));
	}
}

void
enum_text(struct buf *b, const value *v)
{
	int cls = v->u.e.cls;
	int64_t x = v->u.e.i, rest;
	const char *name = enum_name(cls, x);
	size_t k;
	int first = 1;

	if (name) {
		buf_puts(b, name);
		return;
	}
	if (!enum_is_flag(cls) || x <= 0) {
		buf_printf(b, "%lld", (long long)x);
		return;
	}
	rest = x;
	for (k = 0; k < 63; k++) {
		int64_t bit = (int64_t)1 << k;

		if ((x & bit) && (name = enum_name(cls, bit)) != NULL) {
			if (!first)
				buf_putc(b, '|');
			buf_puts(b, name);
			first = 0;
			rest &= ~bit;
		}
	}
	if (rest)
		buf_printf(b, "%s%lld", first ? "" : "|", (long long)rest);
}

static void
repr_enum(struct buf *b, const value *v)
{
	const char *cls = enum_class_name(v->u.e.cls);

	if (!enum_name(v->u.e.cls, v->u.e.i) &&
	    (!enum_is_flag(v->u.e.cls) || v->u.e.i <= 0)) {
		if (enum_is_flag(v->u.e.cls) && v->u.e.i == 0)
			buf_printf(b, "<%s: 0>", cls);
		else
			buf_printf(b, "%lld", (long long)v->u.e.i);
		return;
	}
	buf_printf(b, "<%s.", cls);
	enum_text(b, v);
	buf_printf(b, ": %lld>", (long long)v->u.e.i);
}

static void
repr_seq(struct buf *b, const value *v, const char *open, const char *close)
{
	size_t i;

	buf_puts(b, open);
	for (i = 0; i < v->u.seq.len; i++) {
		if (i)
			buf_puts(b, ", ");
		repr(b, v->u.seq.items[i]);
	}
	if (v->kind == V_TUPLE && v->u.seq.len == 1)
		buf_putc(b, ',');
	buf_puts(b, close);
}

void
repr(struct buf *b, const value *v)
{
	size_t i;

	switch (v->kind) {
	case V_NONE: buf_puts(b, "None"); break;
	case V_BOOL: buf_puts(b, v->u.b ? "True" : "False"); break;
	case V_INT:
		if (v->u.n.big)
			buf_puts(b, v->u.n.big);
		else
			buf_printf(b, "%lld", (long long)v->u.n.i);
		break;
	case V_FLOAT: repr_float(b, v->u.f); break;
	case V_STR: repr_string(b, v->u.s.p, v->u.s.len); break;
	case V_BYTES: repr_bytes(b, v->u.s.p, v->u.s.len); break;
	case V_BYTEARRAY:
		buf_puts(b, "bytearray(");
		repr_bytes(b, v->u.s.p, v->u.s.len);
		buf_putc(b, ')');
		break;
	case V_TUPLE: repr_seq(b, v, "(", ")"); break;
	case V_LIST: repr_seq(b, v, "[", "]"); break;
	case V_SET:
		if (v->u.seq.len == 0)
			buf_puts(b, "set()");
		else
			repr_seq(b, v, "{", "}");
		break;
	case V_DICT:
		buf_putc(b, '{');
		for (i = 0; i < v->u.seq.len; i += 2) {
			if (i)
				buf_puts(b, ", ");
			repr(b, v->u.seq.items[i]);
			buf_puts(b, ": ");
			repr(b, v->u.seq.items[i + 1]);
		}
		buf_putc(b, '}');
		break;
	case V_ENUM: repr_enum(b, v); break;
	case V_SOCKET:
	case V_OBJECT:
		if (v->u.obj.ops->repr)
			v->u.obj.ops->repr(b, v);
		else
			buf_printf(b, "<%s object>", v->u.obj.ops->type_name);
		break;
	}
}

void
str_of(struct buf *b, const value *v)
{
	if (v->kind == V_STR)
		buf_put(b, v->u.s.p, v->u.s.len);
	else if (v->kind == V_ENUM)	/* IntEnum/IntFlag str() is int.__str__
					 * in 3.11 */
		buf_printf(b, "%lld", (long long)v->u.e.i);
	else if (v->kind == V_OBJECT && v->u.obj.ops->str)
		v->u.obj.ops->str(b, v);
	else
		repr(b, v);
}

/* ---- JSON ---------------------------------------------------------------- */

void
json_string(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	buf_putc(b, '"');
	while (i < n) {
		unsigned cp;
		size_t k = str_next_cp((const char *)p + i, n - i, &cp);

		if (cp == '"' || cp == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (int)cp);
		} else if (cp == '\n') {
			buf_puts(b, "\\n");
		} else if (cp == '\t') {
			buf_puts(b, "\\t");
		} else if (cp == '\r') {
			buf_puts(b, "\\r");
		} else if (cp == '\b') {
			buf_puts(b, "\\b");
		} else if (cp == '\f') {
			buf_puts(b, "\\f");
		} else if (cp < 0x20 || (cp >= 0xd800 && cp <= 0xdfff)) {
			buf_printf(b, "\\u%04x", cp);
		} else {
			buf_put(b, p + i, k);
		}
		i += k;
	}
	buf_putc(b, '"');
}

static void jv(struct jw *w, const value *v);

/* Writes the items of tuple v as an object named by form ("host port", up
 * to a '|' or the end; family.h): as many names as both have, the index as
 * the name of any item past them. */
static void
json_named(struct jw *w, const value *v, const char *form)
{
	size_t i, n;

	jw_open_obj(w);
	for (i = 0; i < v->u.seq.len; i++) {
		if (*form != '\0' && *form != '|') {
			n = strcspn(form, " |");
			jw_keyn(w, form, n);
			form += n + (form[n] == ' ');
		} else {
			char t[24];

			jw_keyn(w, t, (size_t)snprintf(t, sizeof t, "%zu", i));
		}
		jv(w, v->u.seq.items[i]);
	}
	jw_close_obj(w);
}

/* The names in form (up to a '|' or the end). */
static size_t
form_names(const char *form)
{
	size_t n = 1;

	for (; *form && *form != '|'; form++)
		n += *form == ' ';
	return n;
}

/* The form of forms ("a b|a b c") with len names, else the first. */
static const char *
form_for(const char *forms, size_t len)
{
	const char *f;

	for (f = forms; f; f = strchr(f, '|') ? strchr(f, '|') + 1 : NULL)
		if (form_names(f) == len)
			return f;
	return forms;
}

/* v as its kind alone writes it (its shape set aside). */
static void
jv_unshaped(struct jw *w, const value *v)
{
	value tmp = *v;

	tmp.shape = SH_NONE;
	jv(w, &tmp);
}

static void
json_addr(struct jw *w, const value *v)
{
	const struct family *f = family_find(v->family);
	const char *keys;

	if (f && f->json_keys_of && (keys = f->json_keys_of(v)) != NULL) {
		if (v->kind != V_TUPLE) {	/* an address that is one
						 * value */
			jw_open_obj(w);
			jw_keyn(w, keys, strcspn(keys, " |"));
			jv_unshaped(w, v);
			jw_close_obj(w);
			return;
		}
		json_named(w, v, keys);
		return;
	}
	if (v->kind == V_STR || v->kind == V_BYTES) {
		int abstract = v->u.s.len && v->u.s.p[0] == '\0';

		jw_open_obj(w);
		jw_key(w, abstract ? "abstract" : "path");
		jw_str(w, v->u.s.p + abstract, v->u.s.len - (size_t)abstract);
		jw_close_obj(w);
		return;
	}
	if (v->kind != V_TUPLE)
		goto generic;
	if (f && f->json_keys) {
		json_named(w, v, form_for(f->json_keys, v->u.seq.len));
		return;
	}
generic:
	jv_unshaped(w, v);
}

/* A string member made from a rendering into t (freed here). */
static void
jw_buf(struct jw *w, struct buf *t)
{
	jw_str(w, t->p ? t->p : "", t->len);
	free(t->p);
}

/* The JSON field names of the tuples of a shape (json_named's form). */
static const char *const shape_form[] = {
	[SH_AI_ENTRY] = "family type proto canonname sockaddr",
	[SH_HOSTENT] = "hostname aliaslist ipaddrlist",
	[SH_NAMEINFO] = "host port",
	[SH_NAMEINDEX] = "index name",
	[SH_ACCEPT] = "conn address",
	[SH_RECVFROM] = "data address",
	[SH_RECVFROM_INTO] = "nbytes address",
	[SH_RECVMSG] = "data ancdata msg_flags address",
	[SH_RECVMSG_INTO] = "nbytes ancdata msg_flags address",
	[SH_CMSG] = "cmsg_level cmsg_type cmsg_data",
	[SH_RECV_FDS] = "msg fds flags addr",
};

static void
jv(struct jw *w, const value *v)
{
	size_t i;

	if ((size_t)v->shape < sizeof shape_form / sizeof shape_form[0] &&
	    shape_form[v->shape]) {
		json_named(w, v, shape_form[v->shape]);
		return;
	}
	switch (v->shape) {
	case SH_ADDR: json_addr(w, v); return;
	}
	switch (v->kind) {
	case V_NONE: jw_null(w); break;
	case V_BOOL: jw_bool(w, v->u.b); break;
	case V_INT:
		if (v->u.n.big)
			jw_raw(w, v->u.n.big, strlen(v->u.n.big));
		else
			jw_int(w, (long long)v->u.n.i);
		break;
	case V_FLOAT: jw_float(w, v->u.f); break;
	case V_STR: jw_str(w, v->u.s.p, v->u.s.len); break;
	case V_BYTES: case V_BYTEARRAY: jw_hex(w, v->u.s.p, v->u.s.len); break;
	case V_TUPLE: case V_LIST: case V_SET:
		jw_open_arr(w);
		for (i = 0; i < v->u.seq.len; i++)
			jv(w, v->u.seq.items[i]);
		jw_close_arr(w);
		break;
	case V_DICT:
		jw_open_obj(w);
		for (i = 0; i < v->u.seq.len; i += 2) {
			struct buf k = { 0 };

			str_of(&k, v->u.seq.items[i]);
			jw_keyn(w, k.p ? k.p : "", k.len);
			free(k.p);
			jv(w, v->u.seq.items[i + 1]);
		}
		jw_close_obj(w);
		break;
	case V_ENUM: {
		struct buf t = { 0 };

		if (!enum_name(v->u.e.cls, v->u.e.i) &&
		    !(enum_is_flag(v->u.e.cls) && v->u.e.i > 0))
			repr_enum(&t, v);
		else
			enum_text(&t, v);
		jw_buf(w, &t);
		break;
	}
	case V_SOCKET:
	case V_OBJECT: {
		struct buf t = { 0 };

		if (v->u.obj.ops->json) {
			v->u.obj.ops->json(w, v);
			break;
		}
		repr(&t, v);
		jw_buf(w, &t);
		break;
	}
	}
}

void
jw_value(struct jw *w, const value *v)
{
	jv(w, v);
}

void
emit_json(struct buf *b, const value *v)
{
	struct jw w;

	jw_init(&w, b, JW_JSON);
	jv(&w, v);
}

/* ---- raw ----------------------------------------------------------------- */

/* Appends v as one raw item: a tuple's items (and a socket's fields,
 * ops->fields) separated by sep, flattened; a list or set inside an item
 * is one field, its items separated by commas at every depth, and "-" when
 * empty, so that read(1) sees no empty field. */
static void
raw_item(struct buf *b, const value *v, int sep)
{
	size_t i;

	switch (v->kind) {
	case V_TUPLE:
		for (i = 0; i < v->u.seq.len; i++) {
			if (i)
				buf_putc(b, sep);
			raw_item(b, v->u.seq.items[i], sep);
		}
		break;
	case V_LIST: case V_SET:
		if (v->u.seq.len == 0)
			buf_putc(b, '-');
		for (i = 0; i < v->u.seq.len; i++) {
			if (i)
				buf_putc(b, ',');
			raw_item(b, v->u.seq.items[i], ',');
		}
		break;
	case V_SOCKET: case V_OBJECT:
		if (v->u.obj.ops->fields) {
			value *f = v->u.obj.ops->fields(v);

			raw_item(b, f, sep);
			v_decref(f);
		} else {
			str_of(b, v);
		}
		break;
	case V_BOOL: buf_puts(b, v->u.b ? "true" : "false"); break;
	case V_ENUM:
		if (enum_name(v->u.e.cls, v->u.e.i) ||
		    (enum_is_flag(v->u.e.cls) && v->u.e.i > 0))
			enum_text(b, v);
		else
			repr_enum(b, v);
		break;
	case V_BYTES: case V_BYTEARRAY:
		buf_hex(b, v->u.s.p, v->u.s.len, 0);
		break;
	case V_NONE: break;
	default: str_of(b, v); break;
	}
}

void
emit_raw(struct buf *b, const value *v)
{
	size_t i;

	switch (v->kind) {
	case V_NONE:
		return;
	case V_LIST: case V_SET:
		for (i = 0; i < v->u.seq.len; i++) {
			raw_item(b, v->u.seq.items[i], '\t');
			buf_putc(b, '\n');
		}
		return;
	case V_DICT:
		for (i = 0; i < v->u.seq.len; i += 2) {
			raw_item(b, v->u.seq.items[i], '\t');
			buf_putc(b, '\t');
			raw_item(b, v->u.seq.items[i + 1], '\t');
			buf_putc(b, '\n');
		}
		return;
	default:
		raw_item(b, v, '\t');
		buf_putc(b, '\n');
	}
}

/* const's result with enum members as their integers (its JSON and raw
 * output give the values, SPEC section 4). */
static value *
consts_plain(const value *v)
{
	value *d;
	size_t i;

	if (v->kind == V_ENUM)
		return v_int(v->u.e.i);
	if (v->kind != V_DICT)
		return v_incref((value *)v);
	d = v_dict_new();
	for (i = 0; i + 1 < v->u.seq.len; i += 2) {
		const value *x = v->u.seq.items[i + 1];

		v_dict_set(d, v_incref(v->u.seq.items[i]),
		    x->kind == V_ENUM ? v_int(x->u.e.i) : v_incref((value *)x));
	}
	return d;
}

void
emit_value(struct buf *b, const value *v, enum fmt f)
{
	if (v->kind == V_NONE) {	/* one JSON document per result */
		if (f == FMT_JSON)
			buf_puts(b, "null\n");
		return;
	}
	if (v->shape == SH_CONSTS && f != FMT_PY) {
		value *p = consts_plain(v), tmp = *p;

		tmp.shape = SH_NONE;
		emit_value(b, &tmp, f);
		v_decref(p);
		return;
	}
	switch (f) {
	case FMT_PY: repr(b, v); buf_putc(b, '\n'); break;
	case FMT_JSON: emit_json(b, v); buf_putc(b, '\n'); break;
	case FMT_RAW: emit_raw(b, v); break;
	}
}

/* ---- the checked stdout path --------------------------------------------- */

static struct buf outbuf;
static int broken_pipe;	/* stdout's reader has gone (EPIPE) */

int
out_broken_pipe(void)
{
	return broken_pipe;
}

int
out_flush(void)
{
	size_t off = 0;

	while (off < outbuf.len) {
		ssize_t n = write(STDOUT_FILENO, outbuf.p + off,
		    outbuf.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* a non-blocking stdout (shared with whoever set it):
			 * wait until it takes more, as a blocking write
			 * would */
			struct pollfd pf = { STDOUT_FILENO, POLLOUT, 0 };

			(void)poll(&pf, 1, -1);
			continue;
		}
		if (n < 0) {
			int e = errno;

			outbuf.len = 0;
			if (e == EPIPE)
				broken_pipe = 1;
			err_errno(e);
			return -1;
		}
		off += (size_t)n;
	}
	outbuf.len = 0;
	return 0;
}

int
out_write(const void *p, size_t n)
{
	buf_put(&outbuf, p, n);
	return outbuf.len >= 65536 ? out_flush() : 0;
}

int
out_value(const value *v, enum fmt f)
{
	struct buf b = { 0 };
	int r;

	emit_value(&b, v, f);
	r = out_write(b.p, b.len);
	free(b.p);
	return r;
}
