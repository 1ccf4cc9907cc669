/* builtins.c - the names a program sees (Python builtins and everything
 * `from socket import *` binds), callable objects, attributes and methods,
 * memoryview and range. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/consts.h"
#include "core/conv.h"
#include "core/file.h"
#include "core/sock.h"
#include "error.h"
#include "eval/bigint.h"
#include "eval/eval.h"
#include "casetab.h"
#include "parse.h"

static enum fmt out_fmt;

void builtins_set_format(enum fmt f) { out_fmt = f; }

/* ---- callable objects ---------------------------------------------------- */

enum ckind { CK_BUILTIN, CK_FUNC, CK_METHOD, CK_SOCKCLASS, CK_ENUM, CK_EXC,
    CK_TYPE };

struct callable {
	enum ckind kind;
	const char *name;
	value *(*builtin)(struct call *c);	/* CK_BUILTIN */
	fn_handler *fn;				/* CK_FUNC */
	value *(*meth)(value *self, struct call *c); /* CK_METHOD */
	value *self;				/* CK_METHOD */
	int code;				/* CK_ENUM: eclass; CK_EXC: enum
						 * exc */
};

static void
callable_free(void *p)
{
	struct callable *c = p;

	v_decref(c->self);
	free(c);
}

/* Is the builtin c a class (int, str, list, ...), which type() gives? */
static int
is_class(const struct callable *c)
{
	static const char *const classes[] = { "bool", "bytearray", "bytes",
		"enumerate", "filter", "float", "int", "list", "map",
		"memoryview", "range", "reversed", "set", "str", "tuple",
		"zip", NULL };
	size_t i;

	if (c->kind == CK_TYPE)
		return 1;
	for (i = 0; c->kind == CK_BUILTIN && classes[i]; i++)
		if (strcmp(classes[i], c->name) == 0)
			return 1;
	return 0;
}

static void
callable_repr(void *out, const value *v)
{
	const struct callable *c = v->u.obj.p;

	switch (c->kind) {
	case CK_METHOD:
		buf_printf(out, "<built-in method %s of %s object at %p>",
		    c->name, v_typename(c->self), (void *)c->self);
		break;
	case CK_SOCKCLASS:
		buf_puts(out, "<class 'socket.socket'>");
		break;
	case CK_ENUM:
		buf_printf(out, "<%s '%s'>", enum_is_flag(c->code) ? "flag" :
		    "enum", c->name);
		break;
	case CK_EXC:
		buf_printf(out, "<class '%s'>", exc_name(c->code));
		break;
	case CK_TYPE:
		buf_printf(out, "<class '%s'>", c->name);
		break;
	default:
		if (is_class(c)) {
			buf_printf(out, "<class '%s'>", c->name);
			break;
		}
		buf_printf(out, "<built-in function %s>", c->name);
		break;
	}
}

static value *callable_getattr(value *self, const char *name);

static const struct vobject_ops fn_ops = {
	"builtin_function_or_method", callable_free, callable_repr, NULL, NULL,
	    0, NULL, NULL, NULL
};
static const struct vobject_ops static_fn_ops = {
	"builtin_function_or_method", NULL, callable_repr, NULL,
	    callable_getattr, 0, NULL, NULL, NULL
};
/* type() of what has no class object of its own (NoneType, function) */
static const struct vobject_ops type_ops = {
	"type", callable_free, callable_repr, NULL, callable_getattr, 0, NULL,
	    NULL, NULL
};
static const struct vobject_ops class_ops = {
	"type", NULL, callable_repr, NULL, callable_getattr, 0, NULL, NULL, NULL
};

static struct callable *
callable_of(const value *v)
{
	if (v->kind != V_OBJECT ||
	    (v->u.obj.ops != &fn_ops && v->u.obj.ops != &static_fn_ops &&
	    v->u.obj.ops != &class_ops && v->u.obj.ops != &type_ops))
		return NULL;
	return v->u.obj.p;
}

static value *
bound_method(value *self, const char *name,
    value *(*meth)(value *, struct call *))
{
	struct callable *c = xcalloc(1, sizeof *c);

	c->kind = CK_METHOD;
	c->name = name;
	c->meth = meth;
	c->self = v_incref(self);
	return v_object(&fn_ops, c);
}

static value *
function(const char *name, fn_handler *fn)
{
	struct callable *c = xcalloc(1, sizeof *c);

	c->kind = CK_FUNC;
	c->name = name;
	c->fn = fn;
	return v_object(&fn_ops, c);
}

static value *enum_call(int cls, struct call *c);

int eval_sandbox;

/* In the sandbox, may the callable k run?  Only pure functions: nothing that
 * makes sockets or files, resolves names, or touches fds or global state. */
static int
sandbox_allows(const struct callable *k)
{
	static const char *const pure[] =
	    { "CMSG_LEN", "CMSG_SPACE", "getdefaulttimeout",
		"htonl", "htons", "inet_aton", "inet_ntoa", "inet_ntop",
		    "inet_pton",
		"ntohl", "ntohs", NULL };
	size_t i;

	if (k->kind == CK_SOCKCLASS || (k->kind == CK_BUILTIN && strcmp(k->name,
	    "open") == 0))
		return 0;
	if (k->kind != CK_FUNC)
		return 1;
	for (i = 0; pure[i]; i++)
		if (strcmp(k->name, pure[i]) == 0)
			return 1;
	return 0;
}

value *
call_value(value *fn, struct call *c)
{
	struct callable *k = callable_of(fn);

	if (k == NULL && is_function(fn))
		return interp_call(fn, c);
	if (k == NULL) {
		err_set(EXC_TYPE, "'%s' object is not callable",
		    v_typename(fn));
		return NULL;
	}
	if (eval_sandbox && !sandbox_allows(k)) {
		err_set(EXC_PERMISSION, "%s() is refused in the eval sandbox",
		    k->name);
		return NULL;
	}
	c->name = k->name;
	switch (k->kind) {
	case CK_BUILTIN: return k->builtin(c);
	case CK_FUNC: return k->fn(c);
	case CK_METHOD: return k->meth(k->self, c);
	case CK_SOCKCLASS: c->name = "socket"; return fn_socket(c);
	case CK_ENUM: return enum_call(k->code, c);
	case CK_EXC: return exc_new((enum exc)k->code, c);
	case CK_TYPE:
		if (strcmp(k->name, "NoneType") == 0 && c->nargs + c->nkw == 0)
			return v_none();
		err_set(EXC_TYPE, "cannot create '%s' instances", k->name);
		return NULL;
	}
	return NULL;
}

void
callable_describe(struct buf *b, const value *fn)
{
	const struct callable *k = callable_of(fn);

	if (is_function(fn))
		buf_printf(b, "__main__.%s()", function_name(fn));
	else if (k && k->kind == CK_METHOD)
		buf_printf(b, "%s.%s()", v_typename(k->self), k->name);
	else if (k)
		buf_printf(b, "%s()", k->name);
	else
		buf_printf(b, "%s object", v_typename(fn));
}

int
exc_class_code(const value *v)
{
	const struct callable *k = callable_of(v);

	return k && k->kind == CK_EXC ? k->code : -1;
}

/* ---- enum classes and exception classes ---------------------------------- */

static struct callable enum_classes[EC_COUNT] = {
	{ CK_ENUM, "AddressFamily", NULL, NULL, NULL, NULL, EC_ADDRESSFAMILY },
	{ CK_ENUM, "SocketKind", NULL, NULL, NULL, NULL, EC_SOCKETKIND },
	{ CK_ENUM, "MsgFlag", NULL, NULL, NULL, NULL, EC_MSGFLAG },
	{ CK_ENUM, "AddressInfo", NULL, NULL, NULL, NULL, EC_ADDRESSINFO },
};

static value *
enum_call(int cls, struct call *c)
{
	value *arg[2];
	static const char *const names[] = { "value", NULL };
	int64_t x;
	int big;

	if (call_bind(c, ARGS_TUPLE, enum_classes[cls].name, names, 1, 1,
	    arg) < 0)
		return NULL;
	if (v_is_int(arg[0]) && !(x = v_as_i64(arg[0], &big), big)) {
		if (enum_is_flag(cls) || enum_name(cls, x))
			return v_enum(cls, x);
	}
	{
		struct buf b = { 0 };

		repr(&b, arg[0]);
		err_set(EXC_VALUE, "%s is not a valid %s", b.p,
		    enum_classes[cls].name);
		free(b.p);
	}
	return NULL;
}

static const struct { const char *name; enum exc e; } exc_names[] = {
	{ "ArithmeticError", EXC_ARITHMETIC },
	{ "AssertionError", EXC_ASSERTION },
	{ "UnboundLocalError", EXC_UNBOUNDLOCAL },
	{ "AttributeError", EXC_ATTRIBUTE }, { "BaseException", EXC_BASE },
	{ "ChildProcessError", EXC_CHILDPROCESS },
	{ "EnvironmentError", EXC_OSERROR }, { "Exception", EXC_EXCEPTION },
	{ "IOError", EXC_OSERROR }, { "ImportError", EXC_IMPORT },
	{ "IndentationError", EXC_INDENTATION }, { "IndexError", EXC_INDEX },
	{ "IsADirectoryError", EXC_ISADIR }, { "KeyError", EXC_KEY },
	{ "LookupError", EXC_LOOKUP }, { "MemoryError", EXC_MEMORY },
	{ "NameError", EXC_NAME }, { "NotADirectoryError", EXC_NOTADIR },
	{ "NotImplementedError", EXC_NOTIMPL },
	{ "ProcessLookupError", EXC_PROCESSLOOKUP },
	{ "RecursionError", EXC_RECURSION }, { "RuntimeError", EXC_RUNTIME },
	{ "StopIteration", EXC_STOPITERATION }, { "SyntaxError", EXC_SYNTAX },
	{ "TabError", EXC_TAB }, { "UnicodeDecodeError", EXC_UNICODE_DECODE },
	{ "UnicodeEncodeError", EXC_UNICODE_ENCODE },
	{ "UnicodeError", EXC_UNICODE },
	{ "ZeroDivisionError", EXC_ZERODIV },
	{ "BlockingIOError", EXC_BLOCKINGIO },
	    { "BrokenPipeError", EXC_BROKENPIPE },
	{ "ConnectionAbortedError", EXC_CONNABORTED },
	    { "ConnectionError", EXC_CONNECTION },
	{ "ConnectionRefusedError", EXC_CONNREFUSED },
	    { "ConnectionResetError", EXC_CONNRESET },
	{ "FileExistsError", EXC_FILEEXISTS },
	    { "FileNotFoundError", EXC_FILENOTFOUND },
	{ "InterruptedError", EXC_INTERRUPTED }, { "OSError", EXC_OSERROR },
	{ "OverflowError", EXC_OVERFLOW },
	    { "PermissionError", EXC_PERMISSION },
	{ "TimeoutError", EXC_TIMEOUT }, { "TypeError", EXC_TYPE },
	    { "ValueError", EXC_VALUE },
	{ "error", EXC_OSERROR }, { "gaierror", EXC_GAIERROR },
	    { "herror", EXC_HERROR },
	{ "timeout", EXC_TIMEOUT }, { NULL, EXC_NONE }
};

static struct callable exc_classes[EXC_COUNT];
/* The name socket is the module (import socket) and the class (from socket
 * import *) at once: sock_class.  socket.socket and socket.SocketType are the
 * class alone, sock_type (code 1), which has no module attributes. */
static struct callable sock_class = { CK_SOCKCLASS, "socket", NULL, NULL, NULL,
    NULL, 0 };
static struct callable sock_type = { CK_SOCKCLASS, "socket", NULL, NULL, NULL,
    NULL, 1 };

static value *
exc_class(enum exc e)
{
	exc_classes[e].kind = CK_EXC;
	exc_classes[e].name = exc_short(e);
	exc_classes[e].code = e;
	return v_object(&class_ops, &exc_classes[e]);
}

/* ---- the socket module's names ------------------------------------------- */

/* A name of the socket module, or NULL (nothing pending). */
static value *
module_name(const char *name, int attr)
{
	const struct konst *k;
	const struct fninfo *f;
	fn_handler *fn;
	int i;

	if ((k = konst_find(name)) != NULL)
		return konst_value(k);
	if (strcmp(name, "socket") == 0 || strcmp(name, "SocketType") == 0)
		return v_object(&class_ops, attr ? &sock_type : &sock_class);
	if ((fn = fn_lookup(name)) != NULL)
		return function(name, fn);
	if ((f = fn_find(name)) != NULL && (f->flags & FNF_ATTR)) {
		struct call c = { name, NULL, 0, NULL, NULL, 0 };

		return f->fn(&c);
	}
	for (i = 0; i < EC_COUNT; i++)	/* import * binds only the IntEnums */
		if (strcmp(name, enum_classes[i].name) == 0 &&
		    (attr || !enum_is_flag(i)))
			return v_object(&class_ops, &enum_classes[i]);
	for (i = 0; exc_names[i].name; i++)
		if (strcmp(name, exc_names[i].name) == 0 &&
		    (islower((unsigned char)name[0]) ||
		    exc_names[i].e == EXC_OSERROR))
			return exc_class(exc_names[i].e);
	return NULL;
}

/* Attributes of the socket class/module, the enum classes, exceptions. */
static value *
callable_getattr(value *self, const char *name)
{
	struct callable *c = self->u.obj.p;
	value *v = NULL;

	if (strcmp(name, "__name__") == 0)
		return v_strz(c->kind == CK_EXC ? exc_short(c->code) :
		    c->name);
	if (c->kind == CK_BUILTIN && !is_class(c)) {
		err_set(EXC_ATTRIBUTE, "'builtin_function_or_method' object "
		    "has no attribute '%s'", name);
		return NULL;
	}
	if (c->kind == CK_SOCKCLASS && c->code == 0 &&
	    (v = module_name(name, 1)) != NULL)
		return v;
	if (c->kind == CK_ENUM) {
		const struct konst *k = konst_find(name);

		if (k && k->cls == c->code)
			return konst_value(k);
	}
	if (err_occurred())
		return NULL;
	if (c->kind == CK_SOCKCLASS && c->code == 0)
		err_set(EXC_ATTRIBUTE, "module 'socket' has no attribute '%s'",
		    name);
	else
		err_set(EXC_ATTRIBUTE, "type object '%s' has no attribute '%s'",
		    c->name, name);
	return NULL;
}

/* ---- iterators ----------------------------------------------------------- */

/* An iterator over items computed when it was made (generator
 * expressions, enumerate, zip, map, filter, reversed, iter()): it hands
 * them out one by one, as CPython's iterators do. */
struct iter {
	value *items;		/* a list */
	size_t pos;
};

static void
iter_free(void *p)
{
	struct iter *it = p;

	v_decref(it->items);
	free(it);
}

static void
iter_repr(void *out, const value *v)
{
	if (strcmp(v->u.obj.ops->type_name, "generator") == 0)
		buf_printf(out, "<generator object <genexpr> at %p>",
		    (void *)v);
	else
		buf_printf(out, "<%s object at %p>", v->u.obj.ops->type_name,
		    (void *)v);
}

#define ITER_OPS(name) { name, iter_free, iter_repr, NULL, NULL, 0, NULL, \
	NULL, NULL }
static const struct vobject_ops iter_ops[] = {
	ITER_OPS("generator"), ITER_OPS("enumerate"), ITER_OPS("zip"),
	ITER_OPS("map"), ITER_OPS("filter"), ITER_OPS("list_iterator"),
	ITER_OPS("list_reverseiterator"), ITER_OPS("tuple_iterator"),
	ITER_OPS("str_ascii_iterator"), ITER_OPS("range_iterator"),
	ITER_OPS("set_iterator"), ITER_OPS("dict_keyiterator"),
	ITER_OPS("bytes_iterator"), ITER_OPS("reversed"),
	ITER_OPS("bytearray_iterator"), ITER_OPS("str_iterator"),
};
#undef ITER_OPS

static struct iter *
iter_of(const value *v)
{
	size_t i;

	if (v->kind != V_OBJECT)
		return NULL;
	for (i = 0; i < sizeof iter_ops / sizeof iter_ops[0]; i++)
		if (v->u.obj.ops == &iter_ops[i])
			return v->u.obj.p;
	return NULL;
}

value *
iterator_new(const char *type, value *items)
{
	struct iter *it = xcalloc(1, sizeof *it);
	size_t i;

	it->items = items;
	for (i = 0; i < sizeof iter_ops / sizeof iter_ops[0] - 1; i++)
		if (strcmp(iter_ops[i].type_name, type) == 0)
			break;
	return v_object(&iter_ops[i], it);
}

value *
iter_rest(const value *v)
{
	struct iter *it = iter_of(v);
	value *r;

	if (it == NULL)
		return NULL;
	r = v_list_new();
	for (; it->pos < it->items->u.seq.len; it->pos++)
		v_append(r, v_incref(it->items->u.seq.items[it->pos]));
	return r;
}

/* ---- memoryview and range ------------------------------------------------ */

struct memview { value *base; size_t off, len; };

static void
memview_free(void *p)
{
	struct memview *m = p;

	v_decref(m->base);
	free(m);
}

static void
memview_repr(void *out, const value *v)
{
	buf_printf(out, "<memory at %p>", v->u.obj.p);
}

static value *mv_tobytes(value *self, struct call *c);
static value *mv_getattr(value *self, const char *name);

static const struct method_def mv_methods[] = {
	{ "tobytes", mv_tobytes }, { NULL, NULL }
};
static const struct vobject_ops memview_ops = {
	"memoryview", memview_free, memview_repr, mv_methods, mv_getattr, 0,
	    NULL, NULL, NULL
};

/* A new memoryview over base (bytes, bytearray) bytes [off, off+len). */
static value *
memview_new(value *base, size_t off, size_t len)
{
	struct memview *m = xmalloc(sizeof *m);

	m->base = v_incref(base);
	m->off = off;
	m->len = len;
	return v_object(&memview_ops, m);
}

int
memview_buffer(const value *v, char **p, size_t *len, int *readonly)
{
	const struct memview *m;

	if (v->kind != V_OBJECT || v->u.obj.ops != &memview_ops)
		return 0;
	m = v->u.obj.p;
	*p = m->base->u.s.p + (m->off < m->base->u.s.len ? m->off :
	    m->base->u.s.len);
	*len = m->off >= m->base->u.s.len ? 0 :
	    m->base->u.s.len - m->off < m->len ? m->base->u.s.len - m->off :
	    m->len;
	*readonly = m->base->kind != V_BYTEARRAY;
	return 1;
}

value *
memview_slice(const value *mv, size_t start, size_t len)
{
	const struct memview *m = mv->u.obj.p;

	return memview_new(m->base, m->off + start, len);
}

static value *
mv_tobytes(value *self, struct call *c)
{
	char *p = NULL;	/* self is a memoryview, whose buffer */
	size_t n = 0;		/* memview_buffer() sets, which -O3 */
	int ro = 1;		/* does not see */

	if (call_bind(c, ARGS_NOARGS, "tobytes", (const char *const[]){ NULL },
	    0, 0, NULL) < 0)
		return NULL;
	memview_buffer(self, &p, &n, &ro);
	return v_bytes(p, n);
}

static value *
mv_getattr(value *self, const char *name)
{
	char *p = NULL;	/* self is a memoryview, whose buffer */
	size_t n = 0;		/* memview_buffer() sets, which -O3 */
	int ro = 1;		/* does not see */

	memview_buffer(self, &p, &n, &ro);
	if (strcmp(name, "nbytes") == 0)
		return v_int((int64_t)n);
	if (strcmp(name, "readonly") == 0)
		return v_bool(ro);
	if (strcmp(name, "obj") == 0)
		return v_incref(((struct memview *)self->u.obj.p)->base);
	err_set(EXC_ATTRIBUTE, "'memoryview' object has no attribute '%s'",
	    name);
	return NULL;
}

struct range { int64_t start, stop, step; };

static void
range_repr(void *out, const value *v)
{
	const struct range *r = v->u.obj.p;

	buf_printf(out, "range(%lld, %lld", (long long)r->start,
	    (long long)r->stop);
	if (r->step != 1)
		buf_printf(out, ", %lld", (long long)r->step);
	buf_putc(out, ')');
}

static const struct vobject_ops range_ops = { "range", free, range_repr, NULL,
    NULL, 0, NULL, NULL, NULL };

int
is_range(const value *v, int64_t *start, int64_t *stop, int64_t *step)
{
	const struct range *r;

	if (v->kind != V_OBJECT || v->u.obj.ops != &range_ops)
		return 0;
	r = v->u.obj.p;
	*start = r->start;
	*stop = r->stop;
	*step = r->step;
	return 1;
}

/* ---- builtin functions --------------------------------------------------- */

/* Checks the argument count of a builtin taking lo..hi positional
 * arguments and no keywords, with CPython's wording for name. */
static int
nargs(struct call *c, const char *name, size_t lo, size_t hi)
{
	if (c->nkw) {
		err_set(EXC_TYPE, "%s() takes no keyword arguments", name);
		return -1;
	}
	if (lo == 1 && hi == 1 && c->nargs != 1) {
		err_set(EXC_TYPE, "%s() takes exactly one argument (%zu given)",
		    name, c->nargs);
		return -1;
	}
	if (lo == hi && lo > 1 && c->nargs != lo) {
		err_set(EXC_TYPE, "%s expected %zu arguments, got %zu", name,
		    lo, c->nargs);
		return -1;
	}
	if (c->nargs > hi) {
		err_set(EXC_TYPE, "%s expected at most %zu argument%s, got %zu",
		    name, hi, hi == 1 ? "" : "s", c->nargs);
		return -1;
	}
	if (c->nargs < lo) {
		err_set(EXC_TYPE,
		    "%s expected at least %zu argument%s, got %zu", name, lo,
		    lo == 1 ? "" : "s", c->nargs);
		return -1;
	}
	return 0;
}

static value *
b_len(struct call *c)
{
	long long n;

	if (nargs(c, "len", 1, 1) < 0 || (n = op_len(c->args[0])) < 0)
		return NULL;
	return v_int(n);
}

static value *
b_repr(struct call *c)
{
	struct buf b = { 0 };
	value *v;

	if (nargs(c, "repr", 1, 1) < 0)
		return NULL;
	repr(&b, c->args[0]);
	v = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return v;
}

/* print(*objects, sep=' ', end='\n', flush=False) */
static value *
b_print(struct call *c)
{
	const value *sep = NULL, *end = NULL;
	struct buf b = { 0 };
	size_t i;
	int r;

	for (i = 0; i < c->nkw; i++) {
		const value **slot = strcmp(c->kwnames[i], "sep") == 0 ? &sep
		    : strcmp(c->kwnames[i], "end") == 0 ? &end : NULL;

		if (slot == NULL && strcmp(c->kwnames[i], "flush") == 0)
			continue;
		if (slot == NULL) {
			err_set(EXC_TYPE,
			    "'%s' is an invalid keyword argument for print()",
			    c->kwnames[i]);
			return NULL;
		}
		if (c->kwvals[i]->kind != V_NONE &&
		    c->kwvals[i]->kind != V_STR) {
			err_set(EXC_TYPE, "%s must be None or a string, not %s",
			    c->kwnames[i], v_typename(c->kwvals[i]));
			return NULL;
		}
		*slot = c->kwvals[i]->kind == V_NONE ? NULL : c->kwvals[i];
	}
	for (i = 0; i < c->nargs; i++) {
		if (i)
			sep ? buf_put(&b, sep->u.s.p, sep->u.s.len) :
			    buf_putc(&b, ' ');
		str_of(&b, c->args[i]);
	}
	end ? buf_put(&b, end->u.s.p, end->u.s.len) : buf_putc(&b, '\n');
	r = out_write(b.p, b.len);
	free(b.p);
	return r < 0 ? NULL : v_none();
}

/* Is p[0..n) valid UTF-8?  Sets the UnicodeDecodeError when not. */
static int
check_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *why;
	size_t bad, k;

	if ((bad = utf8_check(s, n, &k, &why)) == n)
		return 0;
	if (k == 1)
		err_set(EXC_UNICODE_DECODE,
		    "'utf-8' codec can't decode byte 0x%02x in "
		    "position %zu: %s", p[bad], bad, why);
	else
		err_set(EXC_UNICODE_DECODE,
		    "'utf-8' codec can't decode bytes in "
		    "position %zu-%zu: %s", bad, bad + k - 1, why);
	return -1;
}

/* Normalised codec name: "utf-8", "ascii", "latin-1", or NULL with
 * LookupError (reported as ValueError's sibling: LookupError is not in
 * sockit's model, so ValueError with CPython's text). */
static const char *
codec(const value *v)
{
	char name[32];
	size_t i, k = 0;

	if (v == NULL)
		return "utf-8";
	if (v->kind != V_STR) {
		err_set(EXC_TYPE,
		    "encode() argument 'encoding' must be str, not %s",
		    v_typename(v));
		return NULL;
	}
	for (i = 0; i < v->u.s.len && k + 1 < sizeof name; i++)
		if (v->u.s.p[i] != '-' && v->u.s.p[i] != '_')
			name[k++] = (char)tolower((unsigned char)v->u.s.p[i]);
	name[k] = '\0';
	if (strcmp(name, "utf8") == 0)
		return "utf-8";
	if (strcmp(name, "ascii") == 0 || strcmp(name, "usascii") == 0)
		return "ascii";
	if (strcmp(name, "latin1") == 0 || strcmp(name, "iso88591") == 0 ||
	    strcmp(name, "l1") == 0)
		return "latin-1";
	err_set(EXC_LOOKUP, "unknown encoding: %s", v->u.s.p);
	return NULL;
}

/* bytes p[0..n) decoded with codec cd into a str. */
static value *
decode(const char *p, size_t n, const char *cd)
{
	struct buf b = { 0 };
	size_t i;
	value *v;

	if (strcmp(cd, "utf-8") == 0)
		return check_utf8(p, n) < 0 ? NULL : v_str(p, n);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch >= 0x80 && strcmp(cd, "ascii") == 0) {
			free(b.p);
			err_set(EXC_UNICODE_DECODE,
			    "'ascii' codec can't decode byte 0x%02x in "
			    "position %zu: ordinal not in range(128)", ch, i);
			return NULL;
		}
		if (ch < 0x80) {
			buf_putc(&b, ch);
		} else {
			buf_putc(&b, 0xc0 | (ch >> 6));
			buf_putc(&b, 0x80 | (ch & 0x3f));
		}
	}
	v = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return v;
}

/* The error handler an errors= argument names (NULL: "strict"), or NULL
 * with the TypeError. */
static const char *
err_handler(const value *v, const char *fn)
{
	if (v == NULL)
		return "strict";
	if (v->kind != V_STR) {
		err_set(EXC_TYPE, "%s() argument 'errors' must be str, not %s",
		    fn, v_typename(v));
		return NULL;
	}
	return v->u.s.p;
}

static int
encodable(unsigned cp, const char *cd)
{
	if (strcmp(cd, "utf-8") == 0)
		return cp < 0xd800 || cp > 0xdfff;
	return cp < (strcmp(cd, "ascii") == 0 ? 0x80u : 0x100u);
}

/* CPython's UnicodeEncodeError for code points cps[start..end). */
static void
encode_error(const char *cd, const unsigned *cps, size_t start, size_t end)
{
	const char *why = strcmp(cd, "utf-8") == 0 ? "surrogates not allowed"
	    : strcmp(cd, "ascii") == 0 ? "ordinal not in range(128)" :
	    "ordinal not in range(256)";
	unsigned cp = cps[start];
	char ch[16];

	if (end - start > 1) {
		err_set(EXC_UNICODE_ENCODE,
		    "'%s' codec can't encode characters in position "
		    "%zu-%zu: %s", cd, start, end - 1, why);
		return;
	}
	snprintf(ch, sizeof ch, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ?
	    "\\u%04x" : "\\U%08x", cp);
	err_set(EXC_UNICODE_ENCODE,
	    "'%s' codec can't encode character '%s' in position %zu: %s", cd,
	    ch, start, why);
}

/* str s encoded with codec cd into bytes, unencodable characters handled
 * by the error handler eh as CPython's codecs do. */
static value *
encode(const value *s, const char *cd, const char *eh)
{
	struct buf b = { 0 };
	unsigned *cps = xmalloc((s->u.s.len + 1) * sizeof *cps);
	size_t n = 0, i, j, k;
	int utf8 = strcmp(cd, "utf-8") == 0;
	value *v;

	for (i = 0; i < s->u.s.len; )
		i += str_next_cp(s->u.s.p + i, s->u.s.len - i, &cps[n++]);
	for (i = 0; i < n; ) {
		if (encodable(cps[i], cd)) {
			if (utf8)
				buf_utf8(&b, cps[i]);
			else
				buf_putc(&b, (int)cps[i]);
			i++;
			continue;
		}
		for (j = i; j < n && !encodable(cps[j], cd); j++)
			;
		if (strcmp(eh, "surrogateescape") == 0 ||
		    strcmp(eh, "surrogatepass") == 0) {
			/* these take what they can, one character at a time */
			int esc = eh[9] == 'e';
			unsigned cp = cps[i];

			if (esc ? cp >= 0xdc80 && cp <= 0xdcff : utf8 &&
			    cp >= 0xd800 && cp <= 0xdfff) {
				if (esc)
					buf_putc(&b, (int)(cp - 0xdc00));
				else
					buf_utf8(&b, cp);
				i++;
				continue;
			}
			for (k = i + 1; k < j; k++) {
				cp = cps[k];
				if (esc ? cp >= 0xdc80 && cp <= 0xdcff : utf8)
					break;
			}
			j = k;
			eh = "strict";
		}
		if (strcmp(eh, "strict") == 0) {
			encode_error(cd, cps, i, j);
			goto fail;
		}
		if (strcmp(eh, "ignore") != 0 && strcmp(eh, "replace") != 0 &&
		    strcmp(eh, "backslashreplace") != 0 &&
		    strcmp(eh, "xmlcharrefreplace") != 0) {
			/* LookupError in CPython, which sockit's model lacks */
			err_set(EXC_VALUE, "unknown error handler name '%s'",
			    eh);
			goto fail;
		}
		for (; i < j; i++) {
			unsigned cp = cps[i];

			if (eh[0] == 'r')
				buf_putc(&b, '?');
			else if (eh[0] == 'b')
				buf_printf(&b, cp < 0x100 ? "\\x%02x" :
				    cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
			else if (eh[0] == 'x')
				buf_printf(&b, "&#%u;", cp);
		}
	}
	free(cps);
	v = v_bytes(b.p ? b.p : "", b.len);
	free(b.p);
	return v;
fail:
	free(cps);
	free(b.p);
	return NULL;
}

/* bytes(n) and bytearray(n) limit */
#define MAX_BYTES ((int64_t)1 << (eval_sandbox ? 16 : 30))

/* bytes(...) and bytearray(...) */
static value *
make_bytes(struct call *c, int kind)
{
	static const char *const names[] = { "source", "encoding", "errors",
	    NULL };
	const char *tn = kind == V_BYTES ? "bytes" : "bytearray";
	value *a[3], *r, *items;
	char *p;
	size_t n, i;
	int ro;

	if (call_bind(c, ARGS_KEYWORDS, tn, names, 3, 0, a) < 0)
		return NULL;
	if (a[0] == NULL)
		return kind == V_BYTES ? v_bytes("", 0) : v_bytearray("", 0);
	if (a[0]->kind == V_STR) {
		const char *cd, *eh;

		if (a[1] == NULL) {
			err_set(EXC_TYPE,
			    "string argument without an encoding");
			return NULL;
		}
		if ((cd = codec(a[1])) == NULL ||
		    (eh = err_handler(a[2], tn)) == NULL ||
		    (r = encode(a[0], cd, eh)) == NULL)
			return NULL;
		r->kind = kind;
		return r;
	}
	if (a[1] || a[2]) {
		err_set(EXC_TYPE, a[1] ? "encoding without a string argument" :
		    "errors without a string argument");
		return NULL;
	}
	if (a[0]->kind == V_BYTES || a[0]->kind == V_BYTEARRAY)
		return kind == V_BYTES ? v_bytes(a[0]->u.s.p, a[0]->u.s.len)
		    : v_bytearray(a[0]->u.s.p, a[0]->u.s.len);
	if (memview_buffer(a[0], &p, &n, &ro))
		return kind == V_BYTES ? v_bytes(p, n) : v_bytearray(p, n);
	if (v_is_int(a[0])) {
		int big;
		int64_t k = v_as_i64(a[0], &big);

		if (k < 0) {
			err_set(EXC_VALUE, "negative count");
			return NULL;
		}
		if (big || k > MAX_BYTES) {
			err_set(EXC_MEMORY, "%s", "");
			return NULL;
		}
		p = xcalloc((size_t)k + 1, 1);
		r = kind == V_BYTES ? v_bytes(p, (size_t)k) :
		    v_bytearray(p, (size_t)k);
		free(p);
		return r;
	}
	if ((items = op_iterate(a[0])) == NULL) {
		err_set(EXC_TYPE, "cannot convert '%s' object to %s",
		    v_typename(a[0]), tn);
		return NULL;
	}
	r = kind == V_BYTES ? v_bytes("", 0) : v_bytearray("", 0);
	r->u.s.p = xrealloc(r->u.s.p, items->u.seq.len + 1);
	for (i = 0; i < items->u.seq.len; i++) {
		value *it = items->u.seq.items[i];
		int big;
		int64_t x;

		if (!v_is_int(it)) {
			err_set(EXC_TYPE,
			    "'%s' object cannot be interpreted as an integer",
			    v_typename(it));
			goto bad;
		}
		x = v_as_i64(it, &big);
		if (big || x < 0 || x > 255) {
			err_set(EXC_VALUE, "bytes must be in range(0, 256)");
			goto bad;
		}
		r->u.s.p[i] = (char)x;
	}
	r->u.s.len = items->u.seq.len;
	r->u.s.p[r->u.s.len] = '\0';
	v_decref(items);
	return r;
bad:
	v_decref(items);
	v_decref(r);
	return NULL;
}

static value *b_bytes(struct call *c) { return make_bytes(c, V_BYTES); }
static value *b_bytearray(struct call *c) { return make_bytes(c, V_BYTEARRAY); }

static value *
b_memoryview(struct call *c)
{
	static const char *const names[] = { "object", NULL };
	value *a[1];
	char *p;
	size_t n;
	int ro;

	if (call_bind(c, ARGS_KEYWORDS, "memoryview", names, 1, 1, a) < 0)
		return NULL;
	if (a[0]->kind == V_BYTES || a[0]->kind == V_BYTEARRAY)
		return memview_new(a[0], 0, a[0]->u.s.len);
	if (memview_buffer(a[0], &p, &n, &ro))
		return v_incref(a[0]);
	err_set(EXC_TYPE,
	    "memoryview: a bytes-like object is required, not '%s'",
	    v_typename(a[0]));
	return NULL;
}

/* int(text, base) as Python parses it. */
static value *
int_from_text(const char *s, size_t len, int base, const value *orig)
{
	const char *p = s, *end = s + len;
	struct buf d = { 0 };
	int neg = 0, last_us = 1;
	value *v = NULL;
	char *dec;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (end - p >= 2 && p[0] == '0' && strchr("xXoObB", p[1])) {
		int pb = strchr("xX", p[1]) ? 16 : strchr("oO", p[1]) ? 8 : 2;

		if (base == 0 || base == pb) {
			base = pb;
			p += 2;
			last_us = 0;
		}
	}
	if (base == 0) {
		base = 10;
		if (end - p > 1 && p[0] == '0' &&
		    strspn(p, "0_") != (size_t)(end - p))
			goto bad;
	}
	for (; p < end; p++) {
		int dv = isdigit((unsigned char)*p) ? *p - '0' :
		    isalpha((unsigned char)*p) ?
		    tolower((unsigned char)*p) - 'a' + 10 : -1;

		if (*p == '_' && !last_us) {
			last_us = 1;
			continue;
		}
		if (dv < 0 || dv >= base)
			goto bad;
		buf_putc(&d, *p);
		last_us = 0;
	}
	if (d.len == 0 || last_us)
		goto bad;
	if (int_digits_check(d.p, d.len, base, 0) < 0) {
		free(d.p);
		return NULL;
	}
	dec = big_to_decimal(d.p, d.len, base, neg);
	v = v_bigint(dec);
	free(dec);
	free(d.p);
	return v;
bad:
	free(d.p);
	{
		struct buf b = { 0 };
		value *t = orig->kind == V_STR ? v_incref((value *)orig) :
		    v_bytes(s, len);

		repr(&b, t);
		err_set(EXC_VALUE, "invalid literal for int() with base %d: %s",
		    base, b.p);
		free(b.p);
		v_decref(t);
	}
	return NULL;
}

static value *
b_int(struct call *c)
{
	static const char *const names[] = { "", "base", NULL };
	value *a[2];
	int64_t base = 10;
	int big;

	if (call_bind(c, ARGS_KEYWORDS, "int", names, 2, 0, a) < 0)
		return NULL;
	if (a[0] == NULL)
		return v_int(0);
	if (a[1]) {
		if (conv_index(a[1], &base, &big) < 0)
			return NULL;
		if (big || (base != 0 && (base < 2 || base > 36))) {
			err_set(EXC_VALUE,
			    "int() base must be >= 2 and <= 36, or 0");
			return NULL;
		}
		if (a[0]->kind != V_STR && a[0]->kind != V_BYTES &&
		    a[0]->kind != V_BYTEARRAY) {
			err_set(EXC_TYPE,
			    "int() can't convert non-string with explicit base");
			return NULL;
		}
	}
	if (a[0]->kind == V_STR || a[0]->kind == V_BYTES ||
	    a[0]->kind == V_BYTEARRAY)
		return int_from_text(a[0]->u.s.p, a[0]->u.s.len, (int)base,
		    a[0]);
	if (v_is_int(a[0])) {
		if (a[0]->kind == V_INT)
			return v_incref(a[0]);
		return v_int(v_as_i64(a[0], NULL));
	}
	if (a[0]->kind == V_FLOAT) {
		double f = a[0]->u.f;
		char buf[400];

		if (isinf(f) || isnan(f)) {
			err_set(isinf(f) ? EXC_OVERFLOW : EXC_VALUE,
			    "cannot convert float %s to integer",
			    isinf(f) ? "infinity" : "NaN");
			return NULL;
		}
		snprintf(buf, sizeof buf, "%.0f", trunc(f));
		return v_bigint(strcmp(buf, "-0") == 0 ? "0" : buf);
	}
	err_set(EXC_TYPE,
	    "int() argument must be a string, a bytes-like object or a real "
	    "number, not '%s'", v_typename(a[0]));
	return NULL;
}

static value *
b_float(struct call *c)
{
	double d;
	char *t, *end;

	if (nargs(c, "float", 0, 1) < 0)
		return NULL;
	if (c->nargs == 0)
		return v_float(0.0);
	if (c->args[0]->kind == V_STR) {
		t = xmemdup(c->args[0]->u.s.p, c->args[0]->u.s.len);
		errno = 0;
		d = strtod(t, &end);
		while (isspace((unsigned char)*end))
			end++;
		if (end == t || *end || strchr(t, 'x') || strchr(t, 'X')) {
			struct buf b = { 0 };

			repr(&b, c->args[0]);
			err_set(EXC_VALUE,
			    "could not convert string to float: %s", b.p);
			free(b.p);
			free(t);
			return NULL;
		}
		free(t);
		return v_float(d);
	}
	if (conv_double(c->args[0], &d) < 0) {
		if (v_is_int(c->args[0]))
			return NULL;	/* the OverflowError of a huge int */
		err_set(EXC_TYPE,
		    "float() argument must be a string or a real number, "
		    "not '%s'", v_typename(c->args[0]));
		return NULL;
	}
	return v_float(d);
}

static value *
b_str(struct call *c)
{
	static const char *const names[] = { "object", "encoding", "errors",
	    NULL };
	value *a[3], *v;
	struct buf b = { 0 };
	const char *cd;
	char *p;
	size_t n;
	int ro;

	if (call_bind(c, ARGS_KEYWORDS, "str", names, 3, 0, a) < 0)
		return NULL;
	if (a[0] == NULL)
		return v_str("", 0);
	if (a[1] || a[2]) {
		if (a[0]->kind == V_BYTES || a[0]->kind == V_BYTEARRAY) {
			p = a[0]->u.s.p;
			n = a[0]->u.s.len;
		} else if (!memview_buffer(a[0], &p, &n, &ro)) {
			err_set(EXC_TYPE,
			    "decoding to str: need a bytes-like object, "
			    "%s found", v_typename(a[0]));
			return NULL;
		}
		if ((cd = codec(a[1])) == NULL)
			return NULL;
		return decode(p, n, cd);
	}
	str_of(&b, a[0]);
	v = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return v;
}

/* hex(), oct(), bin() */
static value *
radix(struct call *c, const char *name, int shift, const char *prefix)
{
	char buf[80], *p = buf + sizeof buf;
	int64_t x;
	uint64_t u;
	int big;

	if (nargs(c, name, 1, 1) < 0 || conv_index(c->args[0], &x, &big) < 0)
		return NULL;
	if (big)
		return bigint_radix(c->args[0], shift, prefix);
	u = x < 0 ? -(uint64_t)x : (uint64_t)x;
	*--p = '\0';
	do {
		*--p = "0123456789abcdef"[u & ((1u << shift) - 1)];
		u >>= shift;
	} while (u);
	p -= 2;
	memcpy(p, prefix, 2);
	if (x < 0)
		*--p = '-';
	return v_strz(p);
}

static value *b_hex(struct call *c) { return radix(c, "hex", 4, "0x"); }
static value *b_oct(struct call *c) { return radix(c, "oct", 3, "0o"); }
static value *b_bin(struct call *c) { return radix(c, "bin", 1, "0b"); }

static value *
b_bool(struct call *c)
{
	if (nargs(c, "bool", 0, 1) < 0)
		return NULL;
	return v_bool(c->nargs && v_truthy(c->args[0]));
}

static value *
b_list(struct call *c)
{
	value *v;

	if (nargs(c, "list", 0, 1) < 0)
		return NULL;
	return c->nargs ? op_iterate(c->args[0]) : v_list_new();
	(void)v;
}

static value *
b_tuple(struct call *c)
{
	value *l, *t;

	if (nargs(c, "tuple", 0, 1) < 0)
		return NULL;
	if (c->nargs == 0)
		return v_tuple_new(0);
	if (c->args[0]->kind == V_TUPLE)
		return v_incref(c->args[0]);
	if ((l = op_iterate(c->args[0])) == NULL)
		return NULL;
	t = v_tuple_new(0);
	free(t->u.seq.items);
	t->u.seq = l->u.seq;
	l->u.seq.items = NULL;
	l->u.seq.len = l->u.seq.cap = 0;
	v_decref(l);
	return t;
}

static value *
b_range(struct call *c)
{
	int64_t a[3] = { 0, 0, 1 };
	struct range *r;
	size_t i;
	int big;

	if (nargs(c, "range", 1, 3) < 0)
		return NULL;
	for (i = 0; i < c->nargs; i++) {
		if (conv_index(c->args[i], &a[c->nargs == 1 ? 1 : i], &big) < 0)
			return NULL;
		if (big) {
			err_set(EXC_OVERFLOW, "range() bounds beyond 64 bits are not supported by sockit eval");
			return NULL;
		}
	}
	if (a[2] == 0) {
		err_set(EXC_VALUE, "range() arg 3 must not be zero");
		return NULL;
	}
	r = xmalloc(sizeof *r);
	r->start = a[0];
	r->stop = a[1];
	r->step = a[2];
	return v_object(&range_ops, r);
}

static value *
b_abs(struct call *c)
{
	value *zero;
	int neg;

	if (nargs(c, "abs", 1, 1) < 0)
		return NULL;
	if (c->args[0]->kind == V_FLOAT)
		return v_float(fabs(c->args[0]->u.f));
	zero = v_int(0);
	neg = op_compare(OP_LT, c->args[0], zero);
	v_decref(zero);
	if (neg < 0) {
		err_set(EXC_TYPE, "bad operand type for abs(): '%s'",
		    v_typename(c->args[0]));
		return NULL;
	}
	return op_unary(neg ? OP_NEG : OP_POS, c->args[0]);
}

/* min() and max(): over the arguments, or the items of one iterable. */
static value *
minmax(struct call *c, const char *name, int op)
{
	value *items, *best = NULL;
	size_t i;

	if (c->nkw) {
		err_set(EXC_TYPE,
		    "%s() does not support keyword arguments in sockit eval",
		    name);
		return NULL;
	}
	if (c->nargs == 0) {
		err_set(EXC_TYPE, "%s expected at least 1 argument, got 0",
		    name);
		return NULL;
	}
	if (c->nargs == 1) {
		if ((items = op_iterate(c->args[0])) == NULL)
			return NULL;
	} else {
		items = v_list_new();
		for (i = 0; i < c->nargs; i++)
			v_append(items, v_incref(c->args[i]));
	}
	if (items->u.seq.len == 0)
		err_set(EXC_VALUE, "%s() arg is an empty sequence", name);
	for (i = 0; i < items->u.seq.len; i++) {
		int r = best ? op_compare(op, items->u.seq.items[i], best) : 1;

		if (r < 0) {
			best = NULL;
			break;
		}
		if (r)
			best = items->u.seq.items[i];
	}
	v_incref(best);
	v_decref(items);
	return best;
}

/* Is v an int, bool or float (what divmod() takes)? */
static int
is_number(const value *v)
{
	return v->kind == V_INT || v->kind == V_BOOL || v->kind == V_FLOAT;
}

static value *
b_divmod(struct call *c)
{
	value *q, *r;

	if (nargs(c, "divmod", 0, c->nargs) < 0)	/* keywords */
		return NULL;
	if (c->nargs != 2) {
		err_set(EXC_TYPE, "divmod expected 2 arguments, got %zu",
		    c->nargs);
		return NULL;
	}
	if (!is_number(c->args[0]) || !is_number(c->args[1])) {
		err_set(EXC_TYPE, "unsupported operand type(s) for divmod(): "
		    "'%s' and '%s'", v_typename(c->args[0]),
		    v_typename(c->args[1]));
		return NULL;
	}
	if ((q = op_binary(OP_FLOORDIV, c->args[0], c->args[1])) == NULL) {
		if (err_class() == EXC_ZERODIV &&
		    (c->args[0]->kind == V_FLOAT ||
		    c->args[1]->kind == V_FLOAT))
			err_set(EXC_ZERODIV, "float divmod()");
		return NULL;
	}
	if ((r = op_binary(OP_MOD, c->args[0], c->args[1])) == NULL) {
		v_decref(q);
		return NULL;
	}
	return v_tuple(2, q, r);
}

static value *
b_sum(struct call *c)
{
	value *items, *acc, *start = c->nargs == 2 ? c->args[1] : NULL;
	size_t i;

	for (i = 0; i < c->nkw; i++) {
		if (strcmp(c->kwnames[i], "start") != 0) {
			err_set(EXC_TYPE, "'%s' is an invalid keyword argument "
			    "for sum()", c->kwnames[i]);
			return NULL;
		}
		start = c->kwvals[i];
	}
	if (c->nargs == 0 || c->nargs + c->nkw > 2) {
		err_set(EXC_TYPE, c->nargs == 0 ?
		    "sum() takes at least 1 positional argument (0 given)" :
		    "sum() takes at most 2 arguments (%zu given)",
		    c->nargs + c->nkw);
		return NULL;
	}
	if (start && (start->kind == V_STR || start->kind == V_BYTES ||
	    start->kind == V_BYTEARRAY)) {
		err_set(EXC_TYPE, start->kind == V_STR ?
		    "sum() can't sum strings [use ''.join(seq) instead]" :
		    start->kind == V_BYTES ?
		    "sum() can't sum bytes [use b''.join(seq) instead]" :
		    "sum() can't sum bytearray [use b''.join(seq) instead]");
		return NULL;
	}
	if ((items = op_iterate(c->args[0])) == NULL)
		return NULL;
	acc = start ? v_incref(start) : v_int(0);
	for (i = 0; acc && i < items->u.seq.len; i++) {
		value *r = op_binary(OP_ADD, acc, items->u.seq.items[i]);

		v_decref(acc);
		acc = r;
	}
	v_decref(items);
	return acc;
}

/* any() (want 1) and all() (want 0): the first item whose truth is want. */
static value *
anyall(struct call *c, const char *name, int want)
{
	value *items;
	size_t i;
	int found = 0;

	if (nargs(c, name, 1, 1) < 0 ||
	    (items = op_iterate(c->args[0])) == NULL)
		return NULL;
	for (i = 0; i < items->u.seq.len && !found; i++)
		found = v_truthy(items->u.seq.items[i]) == want;
	v_decref(items);
	return v_bool(want ? found : !found);
}

static value *b_any(struct call *c) { return anyall(c, "any", 1); }
static value *b_all(struct call *c) { return anyall(c, "all", 0); }

static int sort_values(value **keys, value **vals, size_t n);

/* The stable merge of keys[0..n) (and vals), for 64 items and more:
 * halves sorted by sort_values, then merged.  Returns 0 or -1. */
static int
merge_values(value **keys, value **vals, size_t n)
{
	size_t h = n / 2, i = 0, j = h, k = 0;
	value **tk = xmalloc(n * sizeof *tk), **tv = NULL;
	int r = 0;

	if (vals)
		tv = xmalloc(n * sizeof *tv);
	if (sort_values(keys, vals, h) < 0 ||
	    sort_values(keys + h, vals ? vals + h : NULL, n - h) < 0)
		r = -1;
	while (r == 0 && (i < h || j < n)) {
		int lt = 0;

		if (i < h && j < n &&
		    (lt = op_compare(OP_LT, keys[j], keys[i])) < 0) {
			r = -1;
			break;
		}
		if (i < h && (j == n || !lt)) {
			tk[k] = keys[i];
			if (vals)
				tv[k] = vals[i];
			i++;
		} else {
			tk[k] = keys[j];
			if (vals)
				tv[k] = vals[j];
			j++;
		}
		k++;
	}
	if (r == 0) {
		memcpy(keys, tk, n * sizeof *tk);
		if (vals)
			memcpy(vals, tv, n * sizeof *tv);
	}
	free(tk);
	free(tv);
	return r;
}

/* Sorts keys (and vals alongside, when not NULL) in place, stably.  Under
 * 64 items as CPython's timsort sorts them (its single run): the leading
 * run (reversed when strictly descending), then binary insertion of the
 * rest, the same pairs compared in the same order, so that mixed types
 * fail with the same message; longer ones by merging.  Returns 0 or -1
 * with the comparison's TypeError. */
static int
sort_values(value **keys, value **vals, size_t n)
{
	size_t run = 1, i;
	int r;

	if (n < 2)
		return 0;
	if (n >= 64)
		return merge_values(keys, vals, n);
	if ((r = op_compare(OP_LT, keys[1], keys[0])) < 0)
		return -1;
	run = 2;
	for (; run < n; run++) {
		int lt = op_compare(OP_LT, keys[run], keys[run - 1]);

		if (lt < 0)
			return -1;
		if (lt != r)
			break;
	}
	for (i = 0; r && i < run / 2; i++) {	/* a descending run */
		value *t = keys[i];

		keys[i] = keys[run - 1 - i];
		keys[run - 1 - i] = t;
		if (vals) {
			t = vals[i];
			vals[i] = vals[run - 1 - i];
			vals[run - 1 - i] = t;
		}
	}
	for (i = run; i < n; i++) {
		value *pk = keys[i], *pv = vals ? vals[i] : NULL;
		size_t l = 0, h = i;

		while (l < h) {
			size_t m = l + (h - l) / 2;

			if ((r = op_compare(OP_LT, pk, keys[m])) < 0)
				return -1;
			if (r)
				h = m;
			else
				l = m + 1;
		}
		memmove(keys + l + 1, keys + l, (i - l) * sizeof *keys);
		keys[l] = pk;
		if (vals) {
			memmove(vals + l + 1, vals + l, (i - l) * sizeof *vals);
			vals[l] = pv;
		}
	}
	return 0;
}

static void
reverse_values(value **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n / 2; i++) {
		value *t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

/* sorted(iterable, /, *, key=None, reverse=False) */
static value *
b_sorted(struct call *c)
{
	value *items, *key = NULL, *keys = NULL;
	int reverse = 0;
	size_t i, n;

	if (c->nargs != 1) {
		err_set(EXC_TYPE, "sorted expected 1 argument, got %zu",
		    c->nargs);
		return NULL;
	}
	for (i = 0; i < c->nkw; i++) {
		if (strcmp(c->kwnames[i], "key") == 0) {
			key = c->kwvals[i]->kind == V_NONE ? NULL :
			    c->kwvals[i];
		} else if (strcmp(c->kwnames[i], "reverse") == 0) {
			reverse = v_truthy(c->kwvals[i]);
		} else {
			err_set(EXC_TYPE, "'%s' is an invalid keyword argument "
			    "for sort()", c->kwnames[i]);
			return NULL;
		}
	}
	if ((items = op_iterate(c->args[0])) == NULL)
		return NULL;
	n = items->u.seq.len;
	if (key) {
		keys = v_list_new();
		for (i = 0; i < n; i++) {
			struct call kc = { "key", &items->u.seq.items[i], 1,
			    NULL, NULL, 0 };
			value *k = call_value(key, &kc);

			if (k == NULL)
				goto fail;
			v_append(keys, k);
		}
	}
	if (reverse) {
		reverse_values(items->u.seq.items, n);
		reverse_values(keys ? keys->u.seq.items : NULL, n);
	}
	if (sort_values(keys ? keys->u.seq.items : items->u.seq.items,
	    keys ? items->u.seq.items : NULL, n) < 0)
		goto fail;
	if (reverse) {
		reverse_values(items->u.seq.items, n);
		reverse_values(keys ? keys->u.seq.items : NULL, n);
	}
	v_decref(keys);
	return items;
fail:
	v_decref(keys);
	v_decref(items);
	return NULL;
}

static value *b_min(struct call *c) { return minmax(c, "min", OP_LT); }
static value *b_max(struct call *c) { return minmax(c, "max", OP_GT); }

static value *
b_ord(struct call *c)
{
	const unsigned char *p;
	long long n;

	if (nargs(c, "ord", 1, 1) < 0)
		return NULL;
	if (c->args[0]->kind != V_STR && c->args[0]->kind != V_BYTES &&
	    c->args[0]->kind != V_BYTEARRAY) {
		err_set(EXC_TYPE,
		    "ord() expected string of length 1, but %s found",
		    v_typename(c->args[0]));
		return NULL;
	}
	if ((n = op_len(c->args[0])) != 1) {
		err_set(EXC_TYPE,
		    "ord() expected a character, "
		    "but string of length %lld found", n);
		return NULL;
	}
	p = (const unsigned char *)c->args[0]->u.s.p;
	if (c->args[0]->kind != V_STR || p[0] < 0x80)
		return v_int(p[0]);
	{
		unsigned cp;

		str_next_cp((const char *)p, c->args[0]->u.s.len, &cp);
		return v_int(cp);
	}
}

static value *
b_chr(struct call *c)
{
	struct buf b = { 0 };
	int64_t x;
	int big;
	value *v;

	if (nargs(c, "chr", 1, 1) < 0 || conv_index(c->args[0], &x, &big) < 0)
		return NULL;
	if (big || x < 0 || x > 0x10ffff) {
		err_set(big ? EXC_OVERFLOW : EXC_VALUE,
		    big ? "Python int too large to convert to C int" :
		    "chr() arg not in range(0x110000)");
		return NULL;
	}
	buf_utf8(&b, (unsigned)x);
	v = v_str(b.p, b.len);
	free(b.p);
	return v;
}

static value *
b_isinstance(struct call *c)
{
	struct callable *k;
	static const char *const kinds[] = {
		[V_BOOL] = "bool", [V_INT] = "int", [V_FLOAT] = "float",
		    [V_STR] = "str",
		[V_BYTES] = "bytes", [V_BYTEARRAY] = "bytearray",
		    [V_TUPLE] = "tuple",
		[V_LIST] = "list", [V_DICT] = "dict", [V_SET] = "set",
	};
	const value *v;

	if (nargs(c, "isinstance", 2, 2) < 0)
		return NULL;
	v = c->args[0];
	if ((k = callable_of(c->args[1])) == NULL || k->kind == CK_FUNC ||
	    k->kind == CK_METHOD ||
	    (k->kind == CK_BUILTIN && strcmp(k->name, "len") == 0)) {
		err_set(EXC_TYPE,
		    "isinstance() arg 2 must be a type, a tuple of types, "
		    "or a union");
		return NULL;
	}
	if (k->kind == CK_SOCKCLASS)
		return v_bool(v->kind == V_SOCKET);
	if (k->kind == CK_ENUM)
		return v_bool(v->kind == V_ENUM && v->u.e.cls == k->code);
	if (k->kind == CK_EXC)
		return v_bool(exc_isinstance(v, (enum exc)k->code));
	if (strcmp(k->name, "int") == 0)
		return v_bool(v_is_int(v));
	if (strcmp(k->name, "memoryview") == 0 || strcmp(k->name, "range") == 0)
		return v_bool(v->kind == V_OBJECT &&
		    strcmp(v->u.obj.ops->type_name, k->name) == 0);
	return v_bool(v->kind < (int)(sizeof kinds / sizeof kinds[0]) &&
	    kinds[v->kind] &&
	    strcmp(kinds[v->kind], k->name) == 0);
}

/* ---- iteration builtins: enumerate, zip, map, filter, reversed, iter,
 * next (their iterators are computed at once, then handed out) ---------- */

/* enumerate(iterable, start=0) */
static value *
b_enumerate(struct call *c)
{
	static const char *const names[] = { "iterable", "start", NULL };
	value *a[2], *items, *out;
	int64_t st = 0;
	size_t i;
	int big;

	if (call_bind(c, ARGS_KEYWORDS, "enumerate", names, 2, 1, a) < 0 ||
	    (a[1] && conv_index(a[1], &st, &big) < 0))
		return NULL;
	if ((items = op_iterate(a[0])) == NULL)
		return NULL;
	out = v_list_new();
	for (i = 0; i < items->u.seq.len; i++)
		v_append(out, v_tuple(2, v_int(st + (int64_t)i),
		    v_incref(items->u.seq.items[i])));
	v_decref(items);
	return iterator_new("enumerate", out);
}

/* The items of each of args[0..n) (lists, new), and the shortest's length.
 * what names the caller in CPython's error ("zip argument #2"). */
static value **
item_lists(value **args, size_t n, size_t *len, const char *what)
{
	value **l = xcalloc(n + 1, sizeof *l);
	size_t i;

	*len = SIZE_MAX;
	for (i = 0; i < n; i++) {
		if ((l[i] = op_iterate(args[i])) == NULL) {
			if (err_class() == EXC_TYPE && what)
				err_set(EXC_TYPE, "'%s' object is not "
				    "iterable", v_typename(args[i]));
			while (i-- > 0)
				v_decref(l[i]);
			free(l);
			return NULL;
		}
		if (l[i]->u.seq.len < *len)
			*len = l[i]->u.seq.len;
	}
	if (n == 0)
		*len = 0;
	return l;
}

static void
drop_lists(value **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v_decref(l[i]);
	free(l);
}

/* zip(*iterables) */
static value *
b_zip(struct call *c)
{
	value **l, *out;
	size_t i, k, len;

	for (i = 0; i < c->nkw; i++)
		if (strcmp(c->kwnames[i], "strict") != 0) {
			err_set(EXC_TYPE, "'%s' is an invalid keyword "
			    "argument for zip()", c->kwnames[i]);
			return NULL;
		}
	if ((l = item_lists(c->args, c->nargs, &len, "zip")) == NULL)
		return NULL;
	out = v_list_new();
	for (k = 0; k < len; k++) {
		value *t = v_tuple_new(c->nargs);

		for (i = 0; i < c->nargs; i++) {
			v_decref(t->u.seq.items[i]);
			t->u.seq.items[i] = v_incref(l[i]->u.seq.items[k]);
		}
		v_append(out, t);
	}
	drop_lists(l, c->nargs);
	return iterator_new("zip", out);
}

/* map(function, iterable, ...) */
static value *
b_map(struct call *c)
{
	value **l, *out;
	size_t i, k, len;

	if (nargs(c, "map", 0, c->nargs) < 0)
		return NULL;
	if (c->nargs < 2) {
		err_set(EXC_TYPE, "%s", "map() must have at least two "
		    "arguments.");
		return NULL;
	}
	if ((l = item_lists(c->args + 1, c->nargs - 1, &len, "map")) == NULL)
		return NULL;
	out = v_list_new();
	for (k = 0; k < len; k++) {
		value **args = xcalloc(c->nargs, sizeof *args), *r;
		struct call fc = { NULL, args, c->nargs - 1, NULL, NULL, 0 };

		for (i = 0; i + 1 < c->nargs; i++)
			args[i] = l[i]->u.seq.items[k];
		r = call_value(c->args[0], &fc);
		free(args);
		if (r == NULL) {
			v_decref(out);
			drop_lists(l, c->nargs - 1);
			return NULL;
		}
		v_append(out, r);
	}
	drop_lists(l, c->nargs - 1);
	return iterator_new("map", out);
}

/* filter(function or None, iterable) */
static value *
b_filter(struct call *c)
{
	value *items, *out;
	size_t i;

	if (nargs(c, "filter", 2, 2) < 0 ||
	    (items = op_iterate(c->args[1])) == NULL)
		return NULL;
	out = v_list_new();
	for (i = 0; i < items->u.seq.len; i++) {
		value *it = items->u.seq.items[i], *r;
		struct call fc = { NULL, &it, 1, NULL, NULL, 0 };
		int t;

		if (c->args[0]->kind == V_NONE) {
			t = v_truthy(it);
		} else if ((r = call_value(c->args[0], &fc)) == NULL) {
			v_decref(items);
			v_decref(out);
			return NULL;
		} else {
			t = v_truthy(r);
			v_decref(r);
		}
		if (t)
			v_append(out, v_incref(it));
	}
	v_decref(items);
	return iterator_new("filter", out);
}

/* The iterator type CPython's iter() gives for v. */
static const char *
iter_type(const value *v, int reversed)
{
	switch (v->kind) {
	case V_LIST: return reversed ? "list_reverseiterator" :
	    "list_iterator";
	case V_TUPLE: return reversed ? "reversed" : "tuple_iterator";
	case V_STR: return reversed ? "reversed" : "str_ascii_iterator";
	case V_SET: return "set_iterator";
	case V_DICT: return "dict_keyiterator";
	case V_BYTES: return reversed ? "reversed" : "bytes_iterator";
	case V_BYTEARRAY: return reversed ? "reversed" :
	    "bytearray_iterator";
	default: return is_range(v, &(int64_t){ 0 }, &(int64_t){ 0 },
	    &(int64_t){ 0 }) ? "range_iterator" : "reversed";
	}
}

/* reversed(sequence) */
static value *
b_reversed(struct call *c)
{
	value *items;
	size_t i, n;

	if (nargs(c, "reversed", 1, 1) < 0)
		return NULL;
	if (c->args[0]->kind == V_SET || iter_of(c->args[0]) ||
	    (c->args[0]->kind == V_OBJECT && !is_range(c->args[0],
	    &(int64_t){ 0 }, &(int64_t){ 0 }, &(int64_t){ 0 }))) {
		err_set(EXC_TYPE, "'%s' object is not reversible",
		    v_typename(c->args[0]));
		return NULL;
	}
	if ((items = op_iterate(c->args[0])) == NULL)
		return NULL;
	for (i = 0, n = items->u.seq.len; i < n / 2; i++) {
		value *t = items->u.seq.items[i];

		items->u.seq.items[i] = items->u.seq.items[n - 1 - i];
		items->u.seq.items[n - 1 - i] = t;
	}
	return iterator_new(c->args[0]->kind == V_DICT ?
	    "dict_reversekeyiterator" : iter_type(c->args[0], 1), items);
}

/* iter(iterable): an iterator over it (an iterator is its own). */
static value *
b_iter(struct call *c)
{
	value *items;

	if (nargs(c, "iter", 1, 2) < 0)
		return NULL;
	if (c->nargs == 2) {
		err_set(EXC_TYPE, "%s", "iter(callable, sentinel) is not "
		    "supported by sockit eval");
		return NULL;
	}
	if (iter_of(c->args[0]))
		return v_incref(c->args[0]);
	if ((items = op_iterate(c->args[0])) == NULL)
		return NULL;
	return iterator_new(iter_type(c->args[0], 0), items);
}

/* next(iterator[, default]) */
static value *
b_next(struct call *c)
{
	struct iter *it;

	if (nargs(c, "next", 1, 2) < 0)
		return NULL;
	if ((it = iter_of(c->args[0])) == NULL) {
		err_set(EXC_TYPE, "'%s' object is not an iterator",
		    v_typename(c->args[0]));
		return NULL;
	}
	if (it->pos < it->items->u.seq.len)
		return v_incref(it->items->u.seq.items[it->pos++]);
	if (c->nargs > 1)
		return v_incref(c->args[1]);
	err_set(EXC_STOPITERATION, "%s", "");
	return NULL;
}

/* type(object): the class of it, a builtin's own where there is one. */
static value *
b_type(struct call *c)
{
	const value *v;
	struct callable *k;
	value *cls;

	if (c->nargs != 1 || c->nkw) {
		err_set(EXC_TYPE, "%s", "type() takes 1 or 3 arguments");
		return NULL;
	}
	v = c->args[0];
	if (v->kind == V_SOCKET)
		return v_object(&class_ops, &sock_type);
	if (v->kind == V_ENUM)
		return v_object(&class_ops, &enum_classes[v->u.e.cls]);
	if ((cls = builtin_lookup(v_typename(v))) != NULL) {
		k = callable_of(cls);
		if (k && (is_class(k) || k->kind == CK_EXC))
			return cls;
		v_decref(cls);
	}
	err_clear();
	k = xcalloc(1, sizeof *k);
	k->kind = CK_TYPE;
	k->name = v_typename(v);
	return v_object(&type_ops, k);
}

static value *
b_callable(struct call *c)
{
	if (nargs(c, "callable", 1, 1) < 0)
		return NULL;
	return v_bool(callable_of(c->args[0]) != NULL ||
	    is_function(c->args[0]));
}

/* getattr(object, name[, default]) and hasattr(object, name) */
static value *
attr_builtin(struct call *c, int has)
{
	const char *fn = has ? "hasattr" : "getattr";
	value *v;

	if (nargs(c, fn, 2, has ? 2 : 3) < 0)
		return NULL;
	if (c->args[1]->kind != V_STR) {
		err_set(EXC_TYPE, "attribute name must be string, not '%s'",
		    v_typename(c->args[1]));
		return NULL;
	}
	v = attr_get(c->args[0], c->args[1]->u.s.p);
	if (v == NULL && err_class() == EXC_ATTRIBUTE && (has ||
	    c->nargs == 3)) {
		err_clear();
		return has ? v_bool(0) : v_incref(c->args[2]);
	}
	if (v && has) {
		v_decref(v);
		return v_bool(1);
	}
	return v;
}

static value *b_getattr(struct call *c) { return attr_builtin(c, 0); }
static value *b_hasattr(struct call *c) { return attr_builtin(c, 1); }

/* pow(base, exp[, mod]): the three-argument form by squaring. */
static value *
b_pow(struct call *c)
{
	static const char *const names[] = { "base", "exp", "mod", NULL };
	value *a[3], *r, *b, *e, *t;
	int big;

	if (c->nargs < 2 && c->nkw == 0) {
		err_set(EXC_TYPE, "pow() missing required argument '%s' (pos "
		    "%zu)", names[c->nargs], c->nargs + 1);
		return NULL;
	}
	if (call_bind(c, ARGS_KEYWORDS, "pow", names, 3, 2, a) < 0)
		return NULL;
	if (a[2] == NULL || a[2]->kind == V_NONE)
		return op_binary(OP_POW, a[0], a[1]);
	if (!v_is_int(a[0]) || !v_is_int(a[1]) || !v_is_int(a[2])) {
		err_set(EXC_TYPE, "%s", "pow() 3rd argument not allowed "
		    "unless all arguments are integers");
		return NULL;
	}
	if (!v_truthy(a[2])) {
		err_set(EXC_VALUE, "%s", "pow() 3rd argument cannot be 0");
		return NULL;
	}
	if (v_as_i64(a[1], &big) < 0) {
		err_set(EXC_VALUE, "%s", "pow() with a negative exponent and "
		    "a modulus is not supported by sockit eval");
		return NULL;
	}
	r = op_binary(OP_MOD, (t = v_int(1)), a[2]);
	v_decref(t);
	b = op_binary(OP_MOD, a[0], a[2]);
	e = v_incref(a[1]);
	while (r && b && e && v_truthy(e)) {
		value *two = v_int(2), *bit = op_binary(OP_MOD, e, two), *n;

		if (bit && v_truthy(bit)) {
			n = op_binary(OP_MUL, r, b);
			v_decref(r);
			r = n ? op_binary(OP_MOD, n, a[2]) : NULL;
			v_decref(n);
		}
		n = op_binary(OP_FLOORDIV, e, two);
		v_decref(e);
		e = n;
		n = b ? op_binary(OP_MUL, b, b) : NULL;
		v_decref(b);
		b = n ? op_binary(OP_MOD, n, a[2]) : NULL;
		v_decref(n);
		v_decref(bit);
		v_decref(two);
	}
	v_decref(b);
	v_decref(e);
	return r;
}

/* round(int, nd) for nd < 0: to a multiple of 10**-nd, ties to even. */
static value *
round_int(value *x, int64_t nd)
{
	value *ten = v_int(10), *e = v_int(-nd), *two = v_int(2);
	value *p = op_binary(OP_POW, ten, e), *m = NULL, *h = NULL, *q = NULL;
	value *k = NULL, *odd = NULL, *r = NULL;
	int up = 0;

	if (p && (m = op_binary(OP_MOD, x, p)) != NULL &&
	    (h = op_binary(OP_SUB, x, m)) != NULL &&
	    (q = op_binary(OP_MUL, m, two)) != NULL) {
		up = op_compare(OP_GT, q, p) == 1;
		if (!up && op_compare(OP_EQ, q, p) == 1 &&
		    (k = op_binary(OP_FLOORDIV, h, p)) != NULL &&
		    (odd = op_binary(OP_MOD, k, two)) != NULL)
			up = v_truthy(odd);
		r = up ? op_binary(OP_ADD, h, p) : v_incref(h);
	}
	v_decref(ten);
	v_decref(e);
	v_decref(two);
	v_decref(p);
	v_decref(m);
	v_decref(h);
	v_decref(q);
	v_decref(k);
	v_decref(odd);
	return r;
}

/* round(number, ndigits=None): floats to the nearest, ties to even, as
 * CPython's correctly rounded decimal conversion gives them. */
static value *
b_round(struct call *c)
{
	static const char *const names[] = { "number", "ndigits", NULL };
	value *a[2];
	int64_t nd = 0;
	double d, r;
	int big;

	if (call_bind(c, ARGS_KEYWORDS, "round", names, 2, 1, a) < 0)
		return NULL;
	if (a[1] && a[1]->kind == V_NONE)
		a[1] = NULL;
	if (a[1] && conv_index(a[1], &nd, &big) < 0)
		return NULL;
	if (v_is_int(a[0])) {
		if (a[1] == NULL || nd >= 0)
			return a[0]->kind == V_INT ? v_incref(a[0]) :
			    v_int(v_as_i64(a[0], &big));
		return round_int(a[0], nd);
	}
	if (a[0]->kind != V_FLOAT) {
		err_set(EXC_TYPE, "type %s doesn't define __round__ method",
		    v_typename(a[0]));
		return NULL;
	}
	d = a[0]->u.f;
	if (a[1] == NULL) {
		if (isnan(d) || isinf(d)) {
			err_set(isnan(d) ? EXC_VALUE : EXC_OVERFLOW,
			    "cannot convert float %s to integer", isnan(d) ?
			    "NaN" : "infinity");
			return NULL;
		}
		if (fabs(r = nearbyint(d)) < 9e18)
			return v_int((int64_t)r);
		{
			value *fv = v_float(r), *iv;
			struct call k = { "int", &fv, 1, NULL, NULL, 0 };

			iv = b_int(&k);
			v_decref(fv);
			return iv;
		}
	}
	if (!isfinite(d) || nd > 330)
		return v_float(d);
	if (nd < -330)
		return v_float(0.0 * d);
	if (nd >= 0) {
		struct buf b = { 0 };

		buf_printf(&b, "%.*f", (int)nd, d);
		r = strtod(b.p, NULL);
		free(b.p);
	} else {
		double p = pow(10.0, (double)-nd);

		r = nearbyint(d / p) * p;
	}
	return v_float(r);
}

/* open(file, mode='r'): file objects come from core/file.c. */
static value *
b_open(struct call *c)
{
	static const char *const names[] = { "file", "mode", "buffering",
	    "encoding",
		"errors", "newline", "closefd", "opener", NULL };
	value *a[8];

	if (call_bind(c, ARGS_KEYWORDS, "open", names, 8, 1, a) < 0)
		return NULL;
	if (a[0]->kind != V_STR) {
		err_set(EXC_TYPE,
		    "expected str, bytes or os.PathLike object, not %s",
		    v_typename(a[0]));
		return NULL;
	}
	if (a[1] && a[1]->kind != V_STR) {
		err_set(EXC_TYPE, "open() argument 'mode' must be str, not %s",
		    v_typename(a[1]));
		return NULL;
	}
	if (a[2] || a[3] || a[4] || a[5] || a[6] || a[7]) {
		err_set(EXC_TYPE,
		    "open() in sockit eval takes only file and mode");
		return NULL;
	}
	return file_open(a[0]->u.s.p, a[1] ? a[1]->u.s.p : "r");
}

static value *
b_ascii(struct call *c)
{
	if (nargs(c, "ascii", 1, 1) < 0)
		return NULL;
	return convert_value(c->args[0], 'a');
}

/* format(value, format_spec='') */
static value *
b_format(struct call *c)
{
	static const char *const names[] = { "value", "format_spec", NULL };
	struct buf b = { 0 };
	value *a[2], *r;

	if (c->nargs == 0 && c->nkw == 0) {
		err_set(EXC_TYPE, "%s",
		    "format expected at least 1 argument, got 0");
		return NULL;
	}
	if (call_bind(c, ARGS_TUPLE, "format", names, 2, 1, a) < 0)
		return NULL;
	if (a[1] && a[1]->kind != V_STR) {
		err_set(EXC_TYPE, "format() argument 2 must be str, not %s",
		    v_typename(a[1]));
		return NULL;
	}
	if (format_value(&b, a[0], a[1] ? a[1]->u.s.p : "", a[1] ?
	    a[1]->u.s.len : 0) < 0) {
		free(b.p);
		return NULL;
	}
	r = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return r;
}

static struct callable builtins[] = {
	{ CK_BUILTIN, "abs", b_abs, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "all", b_all, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "any", b_any, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "ascii", b_ascii, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "bin", b_bin, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "bool", b_bool, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "bytearray", b_bytearray, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "bytes", b_bytes, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "callable", b_callable, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "chr", b_chr, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "divmod", b_divmod, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "enumerate", b_enumerate, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "filter", b_filter, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "float", b_float, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "format", b_format, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "getattr", b_getattr, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "hasattr", b_hasattr, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "hex", b_hex, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "int", b_int, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "isinstance", b_isinstance, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "iter", b_iter, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "len", b_len, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "list", b_list, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "map", b_map, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "max", b_max, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "memoryview", b_memoryview, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "min", b_min, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "next", b_next, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "oct", b_oct, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "open", b_open, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "ord", b_ord, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "pow", b_pow, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "print", b_print, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "range", b_range, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "repr", b_repr, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "reversed", b_reversed, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "round", b_round, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "sorted", b_sorted, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "str", b_str, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "sum", b_sum, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "tuple", b_tuple, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "type", b_type, NULL, NULL, NULL, 0 },
	{ CK_BUILTIN, "zip", b_zip, NULL, NULL, NULL, 0 },
};

value *
builtin_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return v_object(&static_fn_ops, &builtins[i]);
	for (i = 0; exc_names[i].name; i++)
		if (strcmp(name, exc_names[i].name) == 0 &&
		    isupper((unsigned char)name[0]))
			return exc_class(exc_names[i].e);
	if (strcmp(name, "None") == 0)
		return v_none();
	return module_name(name, 0);
}

/* ---- methods of the builtin types ---------------------------------------- */

static value *
m_decode(value *self, struct call *c)
{
	static const char *const names[] = { "encoding", "errors", NULL };
	value *a[2];
	const char *cd;

	if (call_bind(c, ARGS_KEYWORDS, "decode", names, 2, 0, a) < 0 ||
	    (cd = codec(a[0])) == NULL)
		return NULL;
	return decode(self->u.s.p, self->u.s.len, cd);
}

static value *
m_encode(value *self, struct call *c)
{
	static const char *const names[] = { "encoding", "errors", NULL };
	value *a[2];
	const char *cd;

	const char *eh;

	if (call_bind(c, ARGS_KEYWORDS, "encode", names, 2, 0, a) < 0 ||
	    (cd = codec(a[0])) == NULL ||
	    (eh = err_handler(a[1], "encode")) == NULL)
		return NULL;
	return encode(self, cd, eh);
}

static value *
m_hex(value *self, struct call *c)
{
	struct buf b = { 0 };
	const char *p;
	size_t n;
	char *q;
	int ro;
	value *v;

	if (nargs(c, "hex", 0, 0) < 0)
		return NULL;
	if (memview_buffer(self, &q, &n, &ro))
		p = q;
	else
		p = self->u.s.p, n = self->u.s.len;
	buf_hex(&b, p, n, 0);
	v = v_str(b.p, b.len);
	free(b.p);
	return v;
}

/* startswith / endswith on str and bytes (a tuple of prefixes too). */
static value *
affix(value *self, struct call *c, int end)
{
	const value *a;
	size_t i, k;

	if (nargs(c, end ? "endswith" : "startswith", 1, 1) < 0)
		return NULL;
	a = c->args[0];
	for (k = 0; k < (a->kind == V_TUPLE ? a->u.seq.len : 1); k++) {
		const value *x = a->kind == V_TUPLE ? a->u.seq.items[k] : a;

		if ((x->kind == V_STR) != (self->kind == V_STR) ||
		    !(x->kind == V_STR ||
		    x->kind == V_BYTES || x->kind == V_BYTEARRAY)) {
			err_set(EXC_TYPE, self->kind == V_STR ?
			    "%s first arg must be str or a tuple of str, not %s"
			    : "%s first arg must be bytes or a tuple of bytes, "
			    "not %s", end ? "endswith" : "startswith",
			    v_typename(x));
			return NULL;
		}
		i = end ? self->u.s.len - x->u.s.len : 0;
		if (x->u.s.len <= self->u.s.len &&
		    memcmp(self->u.s.p + i, x->u.s.p, x->u.s.len) == 0)
			return v_bool(1);
	}
	return v_bool(0);
}

static value *m_startswith(value *self, struct call *c) { return affix(self, c,
    0); }
static value *m_endswith(value *self, struct call *c) { return affix(self, c,
    1); }

/* ---- Unicode case: CPython 3.11's mappings (casetab.h) ---- */

static const struct case_row *
case_find(unsigned cp)
{
	size_t lo = 0, hi = sizeof case_rows / sizeof case_rows[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (case_rows[mid].cp == cp)
			return &case_rows[mid];
		if (case_rows[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
case_flags(unsigned cp)
{
	const struct case_row *r = case_find(cp);
	size_t lo = 0,
	    hi = sizeof case_ignorable_ranges / sizeof case_ignorable_ranges[0];

	if (r)
		return r->flags;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < case_ignorable_ranges[mid][0])
			hi = mid;
		else if (cp > case_ignorable_ranges[mid][1])
			lo = mid + 1;
		else
			return CF_IGNORABLE;
	}
	return 0;
}

/* A code point back into a str value's text: U+DC80..U+DCFF are the raw
 * bytes they stand for (value.h), everything else UTF-8. */
static void
put_cp(struct buf *b, unsigned cp)
{
	if (cp >= 0xdc80 && cp <= 0xdcff)
		buf_putc(b, (int)(cp - 0xdc00));
	else
		buf_utf8(b, cp);
}

enum { CM_LOWER, CM_UPPER, CM_TITLE, CM_FOLD };

static void
put_case(struct buf *b, unsigned cp, int which)
{
	const struct case_row *r = case_find(cp);
	unsigned m, k;

	if (r == NULL) {
		put_cp(b, cp);
		return;
	}
	m = r->map[which];
	if (!(m & CASE_MULTI)) {
		put_cp(b, m);
		return;
	}
	m &= ~CASE_MULTI;
	for (k = 1; k <= case_pool[m]; k++)
		put_cp(b, case_pool[m + k]);
}

/* lower() of cps[i], with CPython's final-sigma rule for U+03A3. */
static void
put_lower(struct buf *b, const unsigned *cps, size_t n, size_t i)
{
	size_t j;
	int final;

	if (cps[i] != 0x3a3) {
		put_case(b, cps[i], CM_LOWER);
		return;
	}
	for (j = i; j > 0 && (case_flags(cps[j - 1]) & CF_IGNORABLE); j--)
		;
	final = j > 0 && (case_flags(cps[j - 1]) & CF_CASED);
	if (final) {
		for (j = i + 1; j < n && (case_flags(cps[j]) & CF_IGNORABLE);
		    j++)
			;
		final = j == n || !(case_flags(cps[j]) & CF_CASED);
	}
	buf_utf8(b, final ? 0x3c2 : 0x3c3);
}

enum { CASE_LOWER, CASE_UPPER, CASE_FOLD, CASE_TITLE, CASE_SWAP,
    CASE_CAPITALIZE,
	CASE_ISLOWER, CASE_ISUPPER, CASE_ISTITLE };
static const char *const case_names[] = { "lower", "upper", "casefold", "title",
    "swapcase",
	"capitalize", "islower", "isupper", "istitle" };

static value *
str_case(value *self, int op)
{
	unsigned *cps = xmalloc((self->u.s.len + 1) * sizeof *cps);
	size_t n = 0, i;
	struct buf b = { 0 };
	int prev = 0, cased = 0, f;
	value *v;

	for (i = 0; i < self->u.s.len; )
		i += str_next_cp(self->u.s.p + i, self->u.s.len - i, &cps[n++]);
	for (i = 0; i < n; i++) {
		f = case_flags(cps[i]);
		switch (op) {
		case CASE_LOWER: put_lower(&b, cps, n, i); break;
		case CASE_UPPER: put_case(&b, cps[i], CM_UPPER); break;
		case CASE_FOLD: put_case(&b, cps[i], CM_FOLD); break;
		case CASE_TITLE:
			if (prev)
				put_lower(&b, cps, n, i);
			else
				put_case(&b, cps[i], CM_TITLE);
			prev = (f & CF_CASED) != 0;
			break;
		case CASE_CAPITALIZE:
			if (i)
				put_lower(&b, cps, n, i);
			else
				put_case(&b, cps[i], CM_TITLE);
			break;
		case CASE_SWAP:
			if (f & CF_UPPER)
				put_lower(&b, cps, n, i);
			else if (f & CF_LOWER)
				put_case(&b, cps[i], CM_UPPER);
			else
				put_cp(&b, cps[i]);
			break;
		case CASE_ISLOWER: case CASE_ISUPPER: {
			int same = op == CASE_ISLOWER ? CF_LOWER : CF_UPPER;

			if (f & (CF_TITLE | ((CF_LOWER | CF_UPPER) & ~same))) {
				cased = 0;
				goto done;
			}
			if (f & same)
				cased = 1;
			break;
		}
		case CASE_ISTITLE:
			if (f & (CF_UPPER | CF_TITLE)) {
				if (prev) {
					cased = 0;
					goto done;
				}
				prev = cased = 1;
			} else if (f & CF_LOWER) {
				if (!prev) {
					cased = 0;
					goto done;
				}
				prev = cased = 1;
			} else {
				prev = 0;
			}
			break;
		}
	}
done:
	free(cps);
	if (op >= CASE_ISLOWER) {
		free(b.p);
		return v_bool(cased);
	}
	v = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return v;
}

static value *
m_case(value *self, struct call *c, int op)
{
	value *v;
	size_t i;

	if (c->nkw || c->nargs) {	/* METH_NOARGS: CPython's qualified
					 * texts */
		if (c->nkw)
			err_set(EXC_TYPE, "%s.%s() takes no keyword arguments",
			    v_typename(self), case_names[op]);
		else
			err_set(EXC_TYPE,
			    "%s.%s() takes no arguments (%zu given)",
			    v_typename(self), case_names[op], c->nargs);
		return NULL;
	}
	if (self->kind == V_STR)
		return str_case(self, op);
	v = self->kind == V_BYTES ? v_bytes(self->u.s.p, self->u.s.len) :
	    v_bytearray(self->u.s.p, self->u.s.len);
	for (i = 0; i < v->u.s.len; i++)	/* bytes: ASCII only */
		v->u.s.p[i] = (char)(op == CASE_UPPER ?
		    toupper((unsigned char)v->u.s.p[i])
		    : tolower((unsigned char)v->u.s.p[i]));
	return v;
}

static value *m_upper(value *self, struct call *c) { return m_case(self, c,
    CASE_UPPER); }
static value *m_lower(value *self, struct call *c) { return m_case(self, c,
    CASE_LOWER); }
static value *m_casefold(value *self, struct call *c) { return m_case(self, c,
    CASE_FOLD); }
static value *m_title(value *self, struct call *c) { return m_case(self, c,
    CASE_TITLE); }
static value *m_swapcase(value *self, struct call *c) { return m_case(self, c,
    CASE_SWAP); }
static value *m_capitalize(value *self, struct call *c) { return m_case(self, c,
    CASE_CAPITALIZE); }
static value *m_islower(value *self, struct call *c) { return m_case(self, c,
    CASE_ISLOWER); }
static value *m_isupper(value *self, struct call *c) { return m_case(self, c,
    CASE_ISUPPER); }
static value *m_istitle(value *self, struct call *c) { return m_case(self, c,
    CASE_ISTITLE); }

static value *
m_strip(value *self, struct call *c)
{
	const char *p = self->u.s.p, *e = p + self->u.s.len;
	value *v;

	if (nargs(c, "strip", 0, 0) < 0)
		return NULL;
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	v = v_str(p, (size_t)(e - p));
	v->kind = self->kind;
	return v;
}

static value *
m_split(value *self, struct call *c)
{
	static const char *const names[] = { "sep", "maxsplit", NULL };
	value *a[2], *r = v_list_new(), *piece;
	const char *p = self->u.s.p, *e = p + self->u.s.len, *q;
	int64_t max = -1;
	int big;

	if (call_bind(c, ARGS_KEYWORDS, "split", names, 2, 0, a) < 0 ||
	    (a[1] && conv_index(a[1], &max, &big) < 0))
		goto bad;
	if (a[0] && a[0]->kind != V_NONE) {
		if (a[0]->kind != self->kind || a[0]->u.s.len == 0) {
			err_set(a[0]->kind != self->kind ? EXC_TYPE : EXC_VALUE,
			    a[0]->kind != self->kind ?
			    "must be str or None, not %s" : "empty separator",
			    v_typename(a[0]));
			goto bad;
		}
		while (max-- != 0 && (q = memmem(p, (size_t)(e - p),
		    a[0]->u.s.p, a[0]->u.s.len))) {
			piece = v_str(p, (size_t)(q - p));
			piece->kind = self->kind;
			v_append(r, piece);
			p = q + a[0]->u.s.len;
		}
		piece = v_str(p, (size_t)(e - p));
		piece->kind = self->kind;
		v_append(r, piece);
		return r;
	}
	for (;;) {
		while (p < e && isspace((unsigned char)*p))
			p++;
		if (p == e)
			break;
		q = p;
		if (max-- == 0)
			q = e;
		while (q < e && !isspace((unsigned char)*q))
			q++;
		piece = v_str(p, (size_t)(q - p));
		piece->kind = self->kind;
		v_append(r, piece);
		p = q;
	}
	return r;
bad:
	v_decref(r);
	return NULL;
}

static value *
m_join(value *self, struct call *c)
{
	value *items, *v;
	struct buf b = { 0 };
	size_t i;

	if (nargs(c, "join", 1, 1) < 0 ||
	    (items = op_iterate(c->args[0])) == NULL)
		return NULL;
	for (i = 0; i < items->u.seq.len; i++) {
		value *it = items->u.seq.items[i];

		if ((self->kind == V_STR) != (it->kind == V_STR) ||
		    !(it->kind == V_STR ||
		    it->kind == V_BYTES || it->kind == V_BYTEARRAY)) {
			if (self->kind == V_STR)
				err_set(EXC_TYPE,
				    "sequence item %zu: expected str instance, "
				    "%s found", i, v_typename(it));
			else
				err_set(EXC_TYPE,
				    "sequence item %zu: "
				    "expected a bytes-like object, %s found", i,
				    v_typename(it));
			free(b.p);
			v_decref(items);
			return NULL;
		}
		if (i)
			buf_put(&b, self->u.s.p, self->u.s.len);
		buf_put(&b, it->u.s.p, it->u.s.len);
	}
	v = v_str(b.p ? b.p : "", b.len);
	v->kind = self->kind;
	free(b.p);
	v_decref(items);
	return v;
}

static value *
m_append(value *self, struct call *c)
{
	if (nargs(c, "append", 1, 1) < 0)
		return NULL;
	if (value_reaches(c->args[0], self)) {
		refuse_cycle();
		return NULL;
	}
	v_append(self, v_incref(c->args[0]));
	return v_none();
}

static value *
m_pop(value *self, struct call *c)
{
	value *idx, *r;
	size_t i, n = self->u.seq.len;

	if (nargs(c, "pop", 0, 1) < 0)
		return NULL;
	if (n == 0) {
		err_set(EXC_INDEX, "pop from empty list");
		return NULL;
	}
	idx = c->nargs ? v_incref(c->args[0]) : v_int(-1);
	r = op_subscript(self, idx);
	v_decref(idx);
	if (r == NULL) {
		if (err_class() == EXC_INDEX)
			err_set(EXC_INDEX, "pop index out of range");
		return NULL;
	}
	for (i = 0; i < n && self->u.seq.items[i] != r; i++)
		;
	v_decref(self->u.seq.items[i]);
	memmove(&self->u.seq.items[i], &self->u.seq.items[i + 1],
	    (n - i - 1) * sizeof r);
	self->u.seq.len--;
	return r;
}

static value *
m_get(value *self, struct call *c)
{
	size_t i;

	if (nargs(c, "get", 1, 2) < 0 || v_check_hashable(c->args[0]) < 0)
		return NULL;
	for (i = 0; i < self->u.seq.len; i += 2)
		if (v_equal(self->u.seq.items[i], c->args[0]))
			return v_incref(self->u.seq.items[i + 1]);
	return c->nargs > 1 ? v_incref(c->args[1]) : v_none();
}

static value *
m_format(value *self, struct call *c)
{
	return str_format(self, c);
}

static const struct { int kind; struct method_def m; } type_methods[] = {
	{ V_STR, { "format", m_format } },
	{ V_STR, { "encode", m_encode } },
	    { V_STR, { "startswith", m_startswith } },
	{ V_STR, { "endswith", m_endswith } }, { V_STR, { "upper", m_upper } },
	{ V_STR, { "lower", m_lower } }, { V_STR, { "strip", m_strip } },
	{ V_STR, { "split", m_split } }, { V_STR, { "join", m_join } },
	{ V_STR, { "casefold", m_casefold } }, { V_STR, { "title", m_title } },
	{ V_STR, { "swapcase", m_swapcase } },
	    { V_STR, { "capitalize", m_capitalize } },
	{ V_STR, { "islower", m_islower } },
	    { V_STR, { "isupper", m_isupper } },
	{ V_STR, { "istitle", m_istitle } },
	{ V_BYTES, { "decode", m_decode } }, { V_BYTES, { "hex", m_hex } },
	{ V_BYTES, { "startswith", m_startswith } },
	    { V_BYTES, { "endswith", m_endswith } },
	{ V_BYTES, { "upper", m_upper } }, { V_BYTES, { "lower", m_lower } },
	{ V_BYTES, { "strip", m_strip } }, { V_BYTES, { "split", m_split } },
	{ V_BYTES, { "join", m_join } },
	{ V_BYTEARRAY, { "decode", m_decode } },
	    { V_BYTEARRAY, { "hex", m_hex } },
	{ V_BYTEARRAY, { "upper", m_upper } },
	    { V_BYTEARRAY, { "lower", m_lower } },
	{ V_BYTEARRAY, { "startswith", m_startswith } },
	    { V_BYTEARRAY, { "endswith", m_endswith } },
	{ V_LIST, { "append", m_append } }, { V_LIST, { "pop", m_pop } },
	{ V_DICT, { "get", m_get } },
};

static value *
socket_attr(value *obj, const char *name)
{
	sock_method *m;

	if ((m = sock_method_find(name)) != NULL)
		return bound_method(obj, name, m);
	return sock_getattr(obj, name);
}

value *
attr_get(value *obj, const char *name)
{
	const struct method_def *m;
	size_t i;

	if (obj->kind == V_SOCKET)
		return socket_attr(obj, name);
	if (obj->kind == V_OBJECT) {
		for (m = obj->u.obj.ops->methods; m && m->name; m++)
			if (strcmp(m->name, name) == 0)
				return bound_method(obj, m->name, m->fn);
		if (obj->u.obj.ops->getattr)
			return obj->u.obj.ops->getattr(obj, name);
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute '%s'",
		    v_typename(obj), name);
		return NULL;
	}
	if (obj->kind == V_ENUM && strcmp(name, "name") == 0) {
		const char *n = enum_name(obj->u.e.cls, obj->u.e.i);
		struct buf b = { 0 };
		value *v;

		if (n || !enum_is_flag(obj->u.e.cls))
			return n ? v_strz(n) : v_none();
		enum_text(&b, obj);
		v = v_str(b.p, b.len);
		free(b.p);
		return v;
	}
	if (obj->kind == V_ENUM && strcmp(name, "value") == 0)
		return v_int(obj->u.e.i);
	for (i = 0; i < sizeof type_methods / sizeof type_methods[0]; i++)
		if (type_methods[i].kind == obj->kind &&
		    strcmp(type_methods[i].m.name, name) == 0)
			return bound_method(obj, type_methods[i].m.name,
			    type_methods[i].m.fn);
	err_set(EXC_ATTRIBUTE, "'%s' object has no attribute '%s'",
	    v_typename(obj), name);
	return NULL;
}
