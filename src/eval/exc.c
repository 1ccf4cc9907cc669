/* exc.c - the eval language's exception objects: what `except ... as e`
 * binds and `raise` raises.  An object carries what the pending exception
 * (error.h) carries, so that raising it again loses nothing, and its args
 * as CPython's BaseException keeps them. */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "error.h"
#include "eval/eval.h"
#include "parse.h"

struct excobj {
	enum exc cls;
	int has_errno, errnum;	/* OSError(errno, strerror) */
	char *msg;		/* strerror with has_errno, else str(e) */
	char *filename;		/* OSError's third argument, or NULL */
	value *args;		/* a tuple */
};

static void exc_repr(void *out, const value *v);
static void exc_str(void *out, const value *v);
static value *exc_getattr(value *self, const char *name);

/* One ops table per class: its type_name is the class's name. */
static struct vobject_ops exc_ops[EXC_COUNT];

static void
excobj_free(void *p)
{
	struct excobj *x = p;

	free(x->msg);
	free(x->filename);
	v_decref(x->args);
	free(x);
}

static struct excobj *
excobj_of(const value *v)
{
	if (v->kind != V_OBJECT || v->u.obj.ops < exc_ops ||
	    v->u.obj.ops >= exc_ops + EXC_COUNT)
		return NULL;
	return v->u.obj.p;
}

static value *
wrap(struct excobj *x)
{
	struct vobject_ops *ops = &exc_ops[x->cls];

	if (ops->type_name == NULL) {
		ops->type_name = exc_short(x->cls);
		ops->free = excobj_free;
		ops->repr = exc_repr;
		ops->getattr = exc_getattr;
		ops->str = exc_str;
	}
	return v_object(ops, x);
}

/* ValueError('x'), ConnectionRefusedError(111, 'Connection refused') */
static void
exc_repr(void *out, const value *v)
{
	const struct excobj *x = v->u.obj.p;
	size_t i;

	buf_printf(out, "%s(", exc_short(x->cls));
	for (i = 0; i < x->args->u.seq.len; i++) {
		if (i)
			buf_puts(out, ", ");
		repr(out, x->args->u.seq.items[i]);
	}
	buf_putc(out, ')');
}

/* str(e): the text a traceback's last line shows after the name. */
static void
exc_str(void *out, const value *v)
{
	const struct excobj *x = v->u.obj.p;
	struct pyerr e = { 0 };
	char *t;

	e.exc = x->cls;
	e.has_errno = x->has_errno;
	e.errnum = x->errnum;
	e.msg = x->msg;
	e.filename = x->filename;
	t = err_text(&e);
	buf_puts(out, t);
	free(t);
}

static value *
exc_getattr(value *self, const char *name)
{
	struct excobj *x = self->u.obj.p;

	if (strcmp(name, "args") == 0)
		return v_incref(x->args);
	if (exc_is(x->cls, EXC_OSERROR)) {
		if (strcmp(name, "errno") == 0)
			return x->has_errno ? v_int(x->errnum) : v_none();
		if (strcmp(name, "strerror") == 0)
			return x->has_errno ? v_strz(x->msg) : v_none();
		if (strcmp(name, "filename") == 0)
			return x->filename ? v_strz(x->filename) : v_none();
	}
	err_set(EXC_ATTRIBUTE, "'%s' object has no attribute '%s'",
	    exc_short(x->cls), name);
	return NULL;
}

/* The text of str(e) for args that are not OSError's (errno, strerror):
 * none is '', one is its str (a KeyError's repr), more the tuple's repr. */
static char *
args_text(enum exc cls, const value *args)
{
	struct buf b = { 0 };

	if (args->u.seq.len == 1 && cls != EXC_KEY)
		str_of(&b, args->u.seq.items[0]);
	else if (args->u.seq.len >= 1)
		repr(&b, args->u.seq.len == 1 ? args->u.seq.items[0] : args);
	return b.p ? buf_cstr(&b) : xstrdup("");
}

value *
exc_new(enum exc cls, struct call *c)
{
	struct excobj *x;
	value *args;
	size_t i;
	int64_t n;
	int big;

	if (c->nkw) {
		err_set(EXC_TYPE, "%s() takes no keyword arguments",
		    exc_short(cls));
		return NULL;
	}
	args = v_tuple_new(c->nargs);
	for (i = 0; i < c->nargs; i++) {
		v_decref(args->u.seq.items[i]);
		args->u.seq.items[i] = v_incref(c->args[i]);
	}
	x = xcalloc(1, sizeof *x);
	x->cls = cls;
	x->args = args;
	if (exc_is(cls, EXC_OSERROR) && (c->nargs == 2 || c->nargs == 3) &&
	    v_is_int(c->args[0]) && (n = v_as_i64(c->args[0], &big), !big) &&
	    n >= -0x7fffffff && n <= 0x7fffffff) {
		struct buf b = { 0 };

		x->has_errno = 1;
		x->errnum = (int)n;
		if (cls == EXC_OSERROR)	/* OSError(2, ...) is a
					 * FileNotFoundError */
			x->cls = errno_class(x->errnum);
		str_of(&b, c->args[1]);
		x->msg = b.p ? buf_cstr(&b) : xstrdup("");
		if (c->nargs == 3) {
			b = (struct buf){ 0 };
			str_of(&b, c->args[2]);
			x->filename = b.p ? buf_cstr(&b) : xstrdup("");
			/* CPython keeps (errno, strerror) as the args */
			v_decref(args->u.seq.items[2]);
			args->u.seq.len = 2;
		}
	} else {
		x->msg = args_text(cls, args);
	}
	return wrap(x);
}

/* The args of an exception sockit raised: (errno, strerror), () for no
 * text, a KeyError's key (its text is the key's repr), else (text,). */
static value *
args_of(const struct pyerr *e)
{
	value *args, *v = NULL;

	if (e->has_errno) {
		args = v_tuple_new(2);
		v_decref(args->u.seq.items[0]);
		v_decref(args->u.seq.items[1]);
		args->u.seq.items[0] = v_int(e->errnum);
		args->u.seq.items[1] = v_strz(e->msg ? e->msg : "");
		return args;
	}
	if (e->msg == NULL || *e->msg == '\0')
		return v_tuple_new(0);
	if (e->exc == EXC_KEY && (v = parse_literal(e->msg,
	    strlen(e->msg))) == NULL)
		err_clear();
	args = v_tuple_new(1);
	v_decref(args->u.seq.items[0]);
	args->u.seq.items[0] = v ? v : v_strz(e->msg);
	return args;
}

value *
exc_fetch_value(void)
{
	struct pyerr e = err_fetch();
	struct excobj *x;

	if (e.obj) {
		free(e.msg);
		free(e.filename);
		return e.obj;
	}
	x = xcalloc(1, sizeof *x);
	x->cls = e.exc;
	x->has_errno = e.has_errno;
	x->errnum = e.errnum;
	x->msg = e.msg ? e.msg : xstrdup("");
	x->filename = e.filename;
	x->args = args_of(&e);
	return wrap(x);
}

int
exc_raise(value *v)
{
	struct excobj *x;
	struct pyerr e = { 0 };
	int code = exc_class_code(v);

	if (code >= 0) {
		struct call c = { 0 };

		if ((v = exc_new((enum exc)code, &c)) == NULL)
			return -1;
	} else if (excobj_of(v) == NULL) {
		err_set(EXC_TYPE, "exceptions must derive from BaseException");
		return -1;
	} else {
		v_incref(v);
	}
	x = v->u.obj.p;
	e.exc = x->cls;
	e.has_errno = x->has_errno;
	e.errnum = x->errnum;
	e.msg = xstrdup(x->msg);
	e.filename = x->filename ? xstrdup(x->filename) : NULL;
	e.obj = v;		/* the reference taken above */
	err_restore(e);
	return -1;
}

/* A class catches its subclasses; a tuple holds classes (not tuples: 3.11
 * refuses them). */
int
exc_matches(const value *cls, enum exc e)
{
	size_t i;
	int code = exc_class_code(cls), k;

	if (code >= 0)
		return exc_is(e, (enum exc)code);
	for (i = 0; cls->kind == V_TUPLE && i < cls->u.seq.len; i++)
		if ((k = exc_class_code(cls->u.seq.items[i])) < 0)
			break;
	if (cls->kind == V_TUPLE && i == cls->u.seq.len) {
		for (i = 0; i < cls->u.seq.len; i++)
			if (exc_is(e, (enum exc)exc_class_code(
			    cls->u.seq.items[i])))
				return 1;
		return 0;
	}
	err_set(EXC_TYPE, "catching classes that do not inherit from "
	    "BaseException is not allowed");
	return -1;
}

int
exc_isinstance(const value *v, enum exc cls)
{
	const struct excobj *x = excobj_of(v);

	return x && exc_is(x->cls, cls);
}
