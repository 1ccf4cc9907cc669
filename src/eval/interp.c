/* interp.c - runs the eval language's tree: names, assignment and
 * unpacking, expression evaluation, printing of expression statements,
 * if/while/for/try blocks, raise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval/eval.h"

struct var {
	char *name;		/* NULL: free slot */
	value *v;
};

/* A table of names: open addressing, cap a power of two. */
struct scope {
	struct var *tab;
	size_t cap, n;
};

/* The scope of one call of a function (or of a comprehension), shared with
 * the functions defined in it (closures).  Live ones are on a list, so that
 * interp_free() can break the cycles they form (a function held by the
 * scope it refers to) and free them all: sockit has no cycle collector. */
struct env {
	unsigned refs;
	struct scope sc;
	struct env *up;		/* where the function was defined; NULL: the
				 * module level */
	char *qualname;		/* the function's, for those defined in it */
	int comp;		/* a comprehension's */
	struct env *prev, *next;
};

struct interp {
	enum fmt fmt;
	int interactive;
	struct scope globals;
	struct env *env;	/* the running function's, or NULL */
	struct env envs;	/* the list head of the live ones */
	int calls;		/* function calls being run */
	int edepth;		/* expressions being evaluated, nested */
	value *retval;		/* what return returned (X_RETURN) */
	struct node ***trees;	/* statements the shell ran (functions
				 * defined there refer to them) */
	size_t *ntrees, ntree;
	int nested;		/* blocks being run (0: at the top level) */
	value **handling;	/* the exceptions being handled (bare raise) */
	size_t nhandling, caphandling;
	unsigned long ticks;	/* loop iterations run (the sandbox's bound) */
};

/* What running a statement ends with besides 0 and -1 (an exception). */
enum { X_BREAK = 1, X_CONTINUE, X_RETURN };

/* CPython's recursion limit (function calls), and a bound on nested
 * evaluation across them, so that the C stack never overflows. */
#define MAX_CALLS 1000
#define MAX_EDEPTH 6000

/* Loop iterations the fuzz sandbox runs in all, like its other limits. */
#define SANDBOX_TICKS (1UL << 16)

static value *interp_eval(struct interp *in, const struct node *e);

static size_t
hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot of name, or the free slot where it would go. */
static struct var *
slot(struct scope *in, const char *name)
{
	size_t i = hash(name) & (in->cap - 1);

	while (in->tab[i].name && strcmp(in->tab[i].name, name) != 0)
		i = (i + 1) & (in->cap - 1);
	return &in->tab[i];
}

static void
grow(struct scope *in)
{
	struct var *old = in->tab;
	size_t oldcap = in->cap, i;

	in->cap = oldcap ? oldcap * 2 : 64;
	in->tab = xcalloc(in->cap, sizeof *in->tab);
	for (i = 0; i < oldcap; i++)
		if (old[i].name)
			*slot(in, old[i].name) = old[i];
	free(old);
}

/* Binds name to v (stealing it); the old value's reference is dropped. */
static void
scope_set(struct scope *in, const char *name, value *v)
{
	struct var *s;
	value *old;

	if (2 * (in->n + 1) > in->cap)
		grow(in);
	s = slot(in, name);
	if (s->name == NULL) {
		s->name = xstrdup(name);
		s->v = v;
		in->n++;
		return;
	}
	old = s->v;
	s->v = v;
	v_decref(old);
}

/* Removes name, re-inserting the rest of its cluster.  0 or -1 (absent). */
static int
scope_del(struct scope *in, const char *name)
{
	struct var *s = in->cap ? slot(in, name) : NULL;
	size_t i;
	value *old;

	if (s == NULL || s->name == NULL)
		return -1;
	free(s->name);
	old = s->v;
	s->name = NULL;
	s->v = NULL;
	in->n--;
	for (i = ((size_t)(s - in->tab) + 1) & (in->cap - 1); in->tab[i].name;
	    i = (i + 1) & (in->cap - 1)) {
		struct var e = in->tab[i];

		in->tab[i].name = NULL;
		*slot(in, e.name) = e;
	}
	v_decref(old);
	return 0;
}

static void
scope_free(struct scope *sc)
{
	size_t i;

	for (i = 0; i < sc->cap; i++)
		if (sc->tab[i].name) {
			free(sc->tab[i].name);
			v_decref(sc->tab[i].v);
		}
	free(sc->tab);
}

/* Drops every name of sc (it stays usable, empty). */
static void
scope_clear(struct scope *sc)
{
	struct scope old = *sc;

	memset(sc, 0, sizeof *sc);
	scope_free(&old);
}

/* A new scope for a call of a function defined in up (a reference taken),
 * on the interpreter's list. */
static struct env *
env_new(struct interp *in, struct env *up, const char *qualname)
{
	struct env *e = xcalloc(1, sizeof *e);

	e->refs = 1;
	e->up = up;
	if (up)
		up->refs++;
	e->qualname = xstrdup(qualname);
	e->next = in->envs.next;
	e->prev = &in->envs;
	e->next->prev = e;
	in->envs.next = e;
	return e;
}

/* The start of the qualified name of what is defined in e: "f.<locals>."
 * in a function, "<listcomp>." in a comprehension. */
static void
qual_prefix(struct buf *q, const struct env *e)
{
	if (e)
		buf_printf(q, "%s.%s", e->qualname, e->comp ? "" :
		    "<locals>.");
}

static void
env_unlink(struct env *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->prev = e->next = e;
}

static void
env_decref(struct env *e)
{
	while (e && --e->refs == 0) {
		struct env *up = e->up;

		env_unlink(e);
		scope_free(&e->sc);
		free(e->qualname);
		free(e);
		e = up;
	}
}

/* The scope of place (SC_*), seen from the running function. */
static struct scope *
scope_at(struct interp *in, int place)
{
	struct env *e = in->env;

	if (place >= SC_FREE)	/* SC_FREE + k: k + 1 scopes out */
		for (e = e ? e->up : NULL; e && place > SC_FREE; place--)
			e = e->up;
	if (place == SC_GLOBAL || e == NULL)
		return &in->globals;
	return &e->sc;
}

/* Binds the name of the node n (its place in n->op) to v, stolen. */
static void
var_set(struct interp *in, const struct node *n, const char *name, value *v)
{
	scope_set(scope_at(in, n->op), name, v);
}

static int
var_del(struct interp *in, const struct node *n, const char *name)
{
	return scope_del(scope_at(in, n->op), name);
}

struct interp *
interp_new(enum fmt fmt, int interactive)
{
	struct interp *in = xcalloc(1, sizeof *in);

	in->fmt = fmt;
	in->interactive = interactive;
	builtins_set_format(fmt);
	grow(&in->globals);
	in->envs.next = in->envs.prev = &in->envs;
	return in;
}

void
interp_keep(struct interp *in, struct node **stmts, size_t n)
{
	in->trees = xrealloc(in->trees, (in->ntree + 1) * sizeof *in->trees);
	in->ntrees = xrealloc(in->ntrees, (in->ntree + 1) *
	    sizeof *in->ntrees);
	in->trees[in->ntree] = stmts;
	in->ntrees[in->ntree++] = n;
}

void
interp_free(struct interp *in)
{
	size_t i;

	if (in == NULL)
		return;
	scope_free(&in->globals);
	while (in->envs.next != &in->envs) {	/* what cycles kept */
		struct env *e = in->envs.next;

		e->refs++;
		env_unlink(e);
		scope_clear(&e->sc);
		env_decref(e);
	}
	v_decref(in->retval);
	for (i = 0; i < in->ntree; i++)
		nodes_free(in->trees[i], in->ntrees[i]);
	free(in->trees);
	free(in->ntrees);
	free(in->handling);
	free(in);
}

/* The value of the name n (N_NAME) at its place. */
static value *
lookup(struct interp *in, const struct node *n)
{
	const char *name = n->name;
	struct scope *sc = scope_at(in, n->op);
	struct var *s = sc->cap ? slot(sc, name) : NULL;
	value *v;

	if (s && s->name)
		return v_incref(s->v);
	if (n->op == SC_LOCAL) {
		err_set(EXC_UNBOUNDLOCAL, "cannot access local variable '%s' "
		    "where it is not associated with a value", name);
		return NULL;
	}
	if (n->op >= SC_FREE) {
		err_set(EXC_NAME, "cannot access free variable '%s' where it "
		    "is not associated with a value in enclosing scope", name);
		return NULL;
	}
	s = slot(&in->globals, name);
	if (s->name)
		return v_incref(s->v);
	if ((v = builtin_lookup(name)) != NULL || err_occurred())
		return v;
	err_set(EXC_NAME, "name '%s' is not defined", name);
	return NULL;
}

/* Adds v (stolen) to the list or set seq, as a display or comprehension
 * does.  0, or -1 (an unhashable set item). */
static int
seq_add(value *seq, value *v)
{
	size_t k;

	if (seq->kind == V_SET) {
		if (v_check_hashable(v) < 0) {
			v_decref(v);
			return -1;
		}
		for (k = 0; k < seq->u.seq.len; k++)
			if (v_equal(seq->u.seq.items[k], v)) {
				v_decref(v);
				return 0;
			}
	}
	v_append(seq, v);
	return 0;
}

/* The list's items as a new tuple; the list is dropped. */
static value *
list_to_tuple(value *l)
{
	value *t = v_tuple_new(l->u.seq.len);
	size_t i;

	for (i = 0; i < l->u.seq.len; i++) {
		v_decref(t->u.seq.items[i]);
		t->u.seq.items[i] = v_incref(l->u.seq.items[i]);
	}
	v_decref(l);
	return t;
}

/* Evaluates the kids of n into a new tuple, list or set (kind), *x items
 * spread. */
static value *
eval_items(struct interp *in, const struct node *n, int kind)
{
	value *seq = kind == V_SET ? v_set_new() : v_list_new();
	size_t i, k;

	for (i = 0; i < n->nkids; i++) {
		const struct node *e = n->kids[i];
		value *v = interp_eval(in, e->kind == N_STAR ? e->kids[0] : e);
		value *items;
		int r = 0;

		if (v == NULL)
			goto bad;
		if (e->kind != N_STAR) {
			if (seq_add(seq, v) < 0)
				goto bad;
			continue;
		}
		items = op_iterate(v);
		if (items == NULL && err_class() == EXC_TYPE)
			err_set(EXC_TYPE, "Value after * must be an iterable, "
			    "not %s", v_typename(v));
		v_decref(v);
		if (items == NULL)
			goto bad;
		for (k = 0; k < items->u.seq.len && r == 0; k++)
			r = seq_add(seq, v_incref(items->u.seq.items[k]));
		v_decref(items);
		if (r < 0)
			goto bad;
	}
	return kind == V_TUPLE ? list_to_tuple(seq) : seq;
bad:
	v_decref(seq);
	return NULL;
}

static value *
eval_dict(struct interp *in, const struct node *n)
{
	value *d = v_dict_new();
	size_t i, j;

	for (i = 0; i + 1 < n->nkids; i += 2) {
		value *k, *v;

		if (n->kids[i]->kind == N_DSTAR) {	/* {**m} */
			if ((v = interp_eval(in, n->kids[i]->kids[0])) == NULL)
				goto bad;
			if (v->kind != V_DICT) {
				err_set(EXC_TYPE, "'%s' object is not a "
				    "mapping", v_typename(v));
				v_decref(v);
				goto bad;
			}
			for (j = 0; j < v->u.seq.len; j += 2)
				v_dict_set(d, v_incref(v->u.seq.items[j]),
				    v_incref(v->u.seq.items[j + 1]));
			v_decref(v);
			continue;
		}
		if ((k = interp_eval(in, n->kids[i])) == NULL)
			goto bad;
		if ((v = interp_eval(in, n->kids[i + 1])) == NULL) {
			v_decref(k);
			goto bad;
		}
		if (v_check_hashable(k) < 0) {
			v_decref(k);
			v_decref(v);
			goto bad;
		}
		v_dict_set(d, k, v);
	}
	return d;
bad:
	v_decref(d);
	return NULL;
}

/* The arguments of a call being collected: what *x and **x give is spread
 * among the positional and keyword ones. */
struct argv {
	struct call c;
	size_t cap;
	value *keep;		/* the ** dicts, whose keys name keywords */
};

/* Adds a positional argument (stolen). */
static void
arg_push(struct argv *a, value *v)
{
	if (a->c.nargs == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 8;
		a->c.args = xrealloc(a->c.args, a->cap * sizeof *a->c.args);
	}
	a->c.args[a->c.nargs++] = v;
}

/* Adds the keyword argument name=v (v stolen).  A repeated name is
 * CPython's error for fn.  0 or -1. */
static int
kw_push(struct argv *a, const char *name, value *v, const value *fn,
    int spread)
{
	size_t k;

	for (k = 0; k < a->c.nkw; k++)
		if (strcmp(a->c.kwnames[k], name) == 0) {
			struct buf b = { 0 };

			v_decref(v);
			if (!spread) {
				err_set(EXC_SYNTAX,
				    "keyword argument repeated: %s", name);
				return -1;
			}
			callable_describe(&b, fn);
			err_set(EXC_TYPE, "%s got multiple values for keyword "
			    "argument '%s'", b.p, name);
			free(b.p);
			return -1;
		}
	a->c.kwnames = xrealloc(a->c.kwnames, (a->c.nkw + 1) *
	    sizeof *a->c.kwnames);
	a->c.kwvals = xrealloc(a->c.kwvals, (a->c.nkw + 1) *
	    sizeof *a->c.kwvals);
	a->c.kwnames[a->c.nkw] = name;
	a->c.kwvals[a->c.nkw++] = v;
	return 0;
}

/* f(*v) and f(**v): spreads v (borrowed) into the arguments.  0 or -1. */
static int
spread(struct argv *a, value *v, const value *fn, int dict)
{
	struct buf b = { 0 };
	value *items;
	size_t i;

	if (!dict && (items = op_iterate(v)) != NULL) {
		for (i = 0; i < items->u.seq.len; i++)
			arg_push(a, v_incref(items->u.seq.items[i]));
		v_decref(items);
		return 0;
	}
	if (dict && v->kind == V_DICT) {
		v_append(a->keep, v_incref(v));
		for (i = 0; i < v->u.seq.len; i += 2) {
			if (v->u.seq.items[i]->kind != V_STR) {
				err_set(EXC_TYPE, "keywords must be strings");
				return -1;
			}
			if (kw_push(a, v->u.seq.items[i]->u.s.p,
			    v_incref(v->u.seq.items[i + 1]), fn, 1) < 0)
				return -1;
		}
		return 0;
	}
	if (!dict && err_class() != EXC_TYPE)
		return -1;
	callable_describe(&b, fn);
	err_set(EXC_TYPE, "%s argument after %s must be %s, not %s", b.p,
	    dict ? "**" : "*", dict ? "a mapping" : "an iterable",
	    v_typename(v));
	free(b.p);
	return -1;
}

static value *
eval_call(struct interp *in, const struct node *n)
{
	struct argv a = { { 0 }, 0, NULL };
	value *fn, *r = NULL;
	size_t i;

	if ((fn = interp_eval(in, n->kids[0])) == NULL)
		return NULL;
	a.keep = v_list_new();
	for (i = 1; i < n->nkids; i++) {
		const struct node *k = n->kids[i];
		value *v = interp_eval(in, k->kind == N_KW ||
		    k->kind == N_STAR || k->kind == N_DSTAR ? k->kids[0] : k);
		int x = 0;

		if (v == NULL)
			goto out;
		if (k->kind == N_KW)
			x = kw_push(&a, k->name, v, fn, 0);
		else if (k->kind == N_STAR || k->kind == N_DSTAR) {
			x = spread(&a, v, fn, k->kind == N_DSTAR);
			v_decref(v);
		} else
			arg_push(&a, v);
		if (x < 0)
			goto out;
	}
	r = call_value(fn, &a.c);
out:
	for (i = 0; i < a.c.nargs; i++)
		v_decref(a.c.args[i]);
	for (i = 0; i < a.c.nkw; i++)
		v_decref(a.c.kwvals[i]);
	free(a.c.args);
	free(a.c.kwnames);
	free(a.c.kwvals);
	v_decref(a.keep);
	v_decref(fn);
	return r;
}

static value *
eval_compare(struct interp *in, const struct node *n)
{
	value *a = interp_eval(in, n->kids[0]), *b;
	size_t i;
	int r = 1;

	if (a == NULL)
		return NULL;
	for (i = 1; i < n->nkids && r == 1; i++) {
		if ((b = interp_eval(in, n->kids[i])) == NULL) {
			v_decref(a);
			return NULL;
		}
		r = op_compare(n->ops[i - 1], a, b);
		v_decref(a);
		a = b;
	}
	v_decref(a);
	return r < 0 ? NULL : v_bool(r);
}

/* and / or: the first operand that decides, as Python returns it. */
static value *
eval_bool(struct interp *in, const struct node *n)
{
	value *v = NULL;
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		v_decref(v);
		if ((v = interp_eval(in, n->kids[i])) == NULL)
			return NULL;
		if (v_truthy(v) == (n->kind == N_OR))
			break;
	}
	return v;
}

static value *
eval_slice(struct interp *in, const struct node *n)
{
	value *parts[3] = { NULL, NULL, NULL };
	int k;

	for (k = 0; k < 3; k++) {
		parts[k] = n->kids[k] ? interp_eval(in, n->kids[k]) : v_none();
		if (parts[k] == NULL) {
			while (k-- > 0)
				v_decref(parts[k]);
			return NULL;
		}
	}
	return op_slice(parts[0], parts[1], parts[2]);
}

/* Evaluates kids[0] and kids[1] and applies f. */
static value *
eval_pair(struct interp *in, const struct node *n, int op)
{
	value *a = interp_eval(in, n->kids[0]), *b, *r = NULL;

	if (a == NULL)
		return NULL;
	if ((b = interp_eval(in, n->kids[1])) != NULL)
		r = n->kind == N_SUBSCR ? op_subscript(a, b) :
		    op_binary(op, a, b);
	v_decref(a);
	v_decref(b);
	return r;
}

static value *eval_node(struct interp *in, const struct node *e);
static value *make_function(struct interp *in, const struct node *s);
static value *eval_comp(struct interp *in, const struct node *n);
static value *eval_fstring(struct interp *in, const struct node *n);

/* Evaluates an expression node to a new value (NULL: exception pending). */
static value *
interp_eval(struct interp *in, const struct node *e)
{
	value *v;

	if (in->edepth >= MAX_EDEPTH) {
		err_set(EXC_RECURSION, "maximum recursion depth exceeded");
		return NULL;
	}
	in->edepth++;
	v = eval_node(in, e);
	in->edepth--;
	return v;
}

static value *
eval_node(struct interp *in, const struct node *e)
{
	value *v, *r;

	switch (e->kind) {
	case N_CONST: return v_incref(e->v);
	case N_NAME: return lookup(in, e);
	case N_TUPLE: return eval_items(in, e, V_TUPLE);
	case N_LIST: return eval_items(in, e, V_LIST);
	case N_SET: return eval_items(in, e, V_SET);
	case N_LAMBDA: return make_function(in, e);
	case N_FSTR: return eval_fstring(in, e);
	case N_COMP: return eval_comp(in, e);
	case N_DICT: return eval_dict(in, e);
	case N_CALL: return eval_call(in, e);
	case N_COMPARE: return eval_compare(in, e);
	case N_AND: case N_OR: return eval_bool(in, e);
	case N_SLICE: return eval_slice(in, e);
	case N_SUBSCR: case N_BINOP: return eval_pair(in, e, e->op);
	case N_ATTR:
		if ((v = interp_eval(in, e->kids[0])) == NULL)
			return NULL;
		r = attr_get(v, e->name);
		v_decref(v);
		return r;
	case N_UNARY: case N_NOT:
		if ((v = interp_eval(in, e->kids[0])) == NULL)
			return NULL;
		r = e->kind == N_NOT ? v_bool(!v_truthy(v)) :
		    op_unary(e->op, v);
		v_decref(v);
		return r;
	case N_IFEXP:
		if ((v = interp_eval(in, e->kids[1])) == NULL)
			return NULL;
		r = interp_eval(in, e->kids[v_truthy(v) ? 0 : 2]);
		v_decref(v);
		return r;
	default:
		err_set(EXC_SYNTAX, "invalid syntax");
		return NULL;
	}
}

static int assign(struct interp *in, const struct node *t, value *v);

/* a, *b, c = items: the starred target t->kids[star] gets a list of what
 * the others leave. */
static int
unpack_star(struct interp *in, const struct node *t, size_t star,
    value *items)
{
	size_t n = items->u.seq.len, after = t->nkids - 1 - star, i;
	value *mid;
	int r = 0;

	if (n < t->nkids - 1) {
		err_set(EXC_VALUE, "not enough values to unpack (expected at "
		    "least %zu, got %zu)", t->nkids - 1, n);
		return -1;
	}
	for (i = 0; i < star && r == 0; i++)
		r = assign(in, t->kids[i], items->u.seq.items[i]);
	if (r < 0)
		return -1;
	mid = v_list_new();
	for (i = star; i < n - after; i++)
		v_append(mid, v_incref(items->u.seq.items[i]));
	r = assign(in, t->kids[star]->kids[0], mid);
	v_decref(mid);
	for (i = 0; i < after && r == 0; i++)
		r = assign(in, t->kids[star + 1 + i],
		    items->u.seq.items[n - after + i]);
	return r;
}

/* a, b = v: unpacks v into the targets of t. */
static int
unpack(struct interp *in, const struct node *t, value *v)
{
	value *items;
	size_t i;
	int r = 0;

	if ((items = op_iterate(v)) == NULL) {
		if (err_class() == EXC_TYPE)
			err_set(EXC_TYPE,
			    "cannot unpack non-iterable %s object",
			    v_typename(v));
		return -1;
	}
	for (i = 0; i < t->nkids; i++)
		if (t->kids[i]->kind == N_STAR)
			break;
	if (i < t->nkids) {
		r = unpack_star(in, t, i, items);
		v_decref(items);
		return r;
	}
	if (items->u.seq.len != t->nkids) {
		if (items->u.seq.len > t->nkids)
			err_set(EXC_VALUE,
			    "too many values to unpack (expected %zu)",
			    t->nkids);
		else
			err_set(EXC_VALUE,
			    "not enough values to unpack (expected %zu, "
			    "got %zu)", t->nkids, items->u.seq.len);
		v_decref(items);
		return -1;
	}
	for (i = 0; i < t->nkids && r == 0; i++)
		r = assign(in, t->kids[i], items->u.seq.items[i]);
	v_decref(items);
	return r;
}

/* obj.name = v: sockit's objects have no settable attributes. */
static int
set_attr(value *obj, const char *name)
{
	value *cur = attr_get(obj, name);

	err_clear();
	if (cur && obj->kind == V_SOCKET)
		err_set(EXC_ATTRIBUTE,
		    "property '%s' of 'socket' object has no setter", name);
	else if (cur && obj->kind != V_OBJECT)
		err_set(EXC_ATTRIBUTE,
		    "'%s' object attribute '%s' is read-only", v_typename(obj),
		    name);
	else
		err_set(EXC_ATTRIBUTE, "'%s' object has no attribute '%s'",
		    v_typename(obj), name);
	v_decref(cur);
	return -1;
}

/* Assigns v (borrowed) to the target t. */
static int
assign(struct interp *in, const struct node *t, value *v)
{
	value *obj, *idx;
	int r;

	switch (t->kind) {
	case N_NAME:
		var_set(in, t, t->name, v_incref(v));
		return 0;
	case N_TUPLE: case N_LIST:
		return unpack(in, t, v);
	case N_ATTR:
		if ((obj = interp_eval(in, t->kids[0])) == NULL)
			return -1;
		r = set_attr(obj, t->name);
		v_decref(obj);
		return r;
	case N_SUBSCR:
		if ((obj = interp_eval(in, t->kids[0])) == NULL)
			return -1;
		if ((idx = interp_eval(in, t->kids[1])) == NULL) {
			v_decref(obj);
			return -1;
		}
		r = op_store_subscript(obj, idx, v);
		v_decref(obj);
		v_decref(idx);
		return r;
	default:
		err_set(EXC_SYNTAX, "cannot assign to expression");
		return -1;
	}
}

/* x op= v: lists and bytearrays extend in place, as in Python. */
static int
augassign(struct interp *in, const struct node *s)
{
	const struct node *t = s->kids[0];
	value *old, *rhs, *nv = NULL;
	int r = -1;

	if (t->kind != N_NAME) {
		/* obj[i] op= v and obj.a op= v: evaluate, combine, store */
		if ((old = interp_eval(in, t)) == NULL)
			return -1;
	} else if ((old = lookup(in, t)) == NULL) {
		return -1;
	}
	if ((rhs = interp_eval(in, s->kids[1])) == NULL)
		goto out;
	if (s->op == OP_ADD && old->kind == V_LIST && rhs != old &&
	    value_reaches(rhs, old)) {
		refuse_cycle();	/* x += [x]; x += x only doubles */
		goto out;
	}
	if (s->op == OP_ADD &&
	    (old->kind == V_LIST || old->kind == V_BYTEARRAY)) {
		value *items = old->kind == V_LIST ? op_iterate(rhs) :
		    op_binary(OP_ADD, old, rhs);
		size_t i;

		if (items == NULL)
			goto out;
		if (old->kind == V_LIST) {
			for (i = 0; i < items->u.seq.len; i++)
				v_append(old, v_incref(items->u.seq.items[i]));
		} else {	/* swap in the concatenation's buffer */
			char *p = old->u.s.p;

			old->u.s.p = items->u.s.p;
			old->u.s.len = items->u.s.len;
			items->u.s.p = p;
		}
		v_decref(items);
		nv = v_incref(old);
	} else if ((nv = op_binary(s->op, old, rhs)) == NULL) {
		goto out;
	}
	r = assign(in, t, nv);
out:
	v_decref(old);
	v_decref(rhs);
	v_decref(nv);
	return r;
}

static int
delete(struct interp *in, const struct node *t)
{
	size_t i;

	switch (t->kind) {
	case N_NAME:
		if (var_del(in, t, t->name) == 0)
			return 0;
		if (t->op == SC_LOCAL || t->op >= SC_FREE) {
			value *v = lookup(in, t);	/* absent: its error */

			v_decref(v);
			return -1;
		}
		err_set(EXC_NAME, "name '%s' is not defined", t->name);
		return -1;
	case N_TUPLE: case N_LIST:
		for (i = 0; i < t->nkids; i++)
			if (delete(in, t->kids[i]) < 0)
				return -1;
		return 0;
	default: {
		value *obj = interp_eval(in, t->kids[0]), *idx;
		int r = -1;

		if (obj == NULL)
			return -1;
		if (t->kind == N_ATTR)
			set_attr(obj, t->name);
		else if ((idx = interp_eval(in, t->kids[1])) != NULL) {
			r = op_delete_subscript(obj, idx);
			v_decref(idx);
		}
		v_decref(obj);
		return r;
	}
	}
}

static int exec_stmt(struct interp *in, const struct node *s);

/* Runs a block's statements.  0, -1, or X_BREAK / X_CONTINUE. */
static int
exec_block(struct interp *in, const struct node *b)
{
	size_t i;
	int r = 0;

	in->nested++;
	for (i = 0; i < b->nkids && r == 0; i++)
		r = exec_stmt(in, b->kids[i]);
	in->nested--;
	return r;
}

/* Counts one loop iteration (or function call): the sandbox stops a
 * program after SANDBOX_TICKS of them (a `while True: pass` would run
 * forever).  SIGINT needs no check here: eval keeps its default action,
 * which ends the program (status 130) wherever it is. */
static int
loop_tick(struct interp *in)
{
	if (eval_sandbox && ++in->ticks > SANDBOX_TICKS) {
		err_set(EXC_RUNTIME,
		    "more than %lu loop iterations in the eval sandbox",
		    SANDBOX_TICKS);
		return -1;
	}
	return 0;
}

/* Is the expression e true?  1, 0, or -1 with an exception pending. */
static int
eval_truth(struct interp *in, const struct node *e)
{
	value *v = interp_eval(in, e);
	int t;

	if (v == NULL)
		return -1;
	t = v_truthy(v);
	v_decref(v);
	return t;
}

/* if / elif / else: walks the chain without recursion. */
static int
exec_if(struct interp *in, const struct node *s)
{
	int t;

	while (s && s->kind == S_IF) {
		if ((t = eval_truth(in, s->kids[0])) < 0)
			return -1;
		if (t)
			return exec_block(in, s->kids[1]);
		s = s->kids[2];
	}
	return s ? exec_block(in, s) : 0;
}

/* Does a loop whose block ended with r end?  X_BREAK ends it (its else
 * skipped), -1 and X_RETURN pass on; continue and 0 go on. */
static int
loop_ends(int r)
{
	return r == X_BREAK || r == X_RETURN || r < 0;
}

static int
exec_while(struct interp *in, const struct node *s)
{
	int t, r;

	for (;;) {
		if (loop_tick(in) < 0 || (t = eval_truth(in, s->kids[0])) < 0)
			return -1;
		if (!t)
			break;
		r = exec_block(in, s->kids[1]);
		if (loop_ends(r))
			return r == X_BREAK ? 0 : r;
	}
	return s->kids[2] ? exec_block(in, s->kids[2]) : 0;
}

/* One pass of a for loop: binds item (borrowed) and runs the block.  0 to
 * go on, X_BREAK, X_RETURN or -1 to end. */
static int
for_pass(struct interp *in, const struct node *s, value *item)
{
	int r;

	if (loop_tick(in) < 0)
		return -1;
	v_incref(item);		/* the block may drop the iterable's ref */
	r = assign(in, s->kids[0], item);
	v_decref(item);
	if (r < 0)
		return -1;
	r = exec_block(in, s->kids[2]);
	return loop_ends(r) ? r : 0;
}

/* Runs the passes of a for loop over seq: a range counts without making
 * its list, a list is read live (items appended in the loop are seen, as
 * in CPython), anything else is iterated over a copy of its items. */
static int
for_passes(struct interp *in, const struct node *s, value *seq)
{
	int64_t a, b, st;
	value *items, *v;
	size_t i;
	int r = 0;

	if (is_range(seq, &a, &b, &st)) {
		while (r == 0 && (st > 0 ? a < b : a > b)) {
			v = v_int(a);
			r = for_pass(in, s, v);
			v_decref(v);
			if (__builtin_add_overflow(a, st, &a))
				break;
		}
		return r;
	}
	if (seq->kind == V_LIST) {
		for (i = 0; r == 0 && i < seq->u.seq.len; i++)
			r = for_pass(in, s, seq->u.seq.items[i]);
		return r;
	}
	if ((items = op_iterate(seq)) == NULL)
		return -1;
	for (i = 0; r == 0 && i < items->u.seq.len; i++)
		r = for_pass(in, s, items->u.seq.items[i]);
	v_decref(items);
	return r;
}

static int
exec_for(struct interp *in, const struct node *s)
{
	value *seq = interp_eval(in, s->kids[1]);
	int r;

	if (seq == NULL)
		return -1;
	r = for_passes(in, s, seq);
	v_decref(seq);
	if (r != 0)
		return r == X_BREAK ? 0 : r;
	return s->kids[3] ? exec_block(in, s->kids[3]) : 0;
}

/* Drops an exception taken with err_fetch(). */
static void
pyerr_drop(struct pyerr *e)
{
	free(e->msg);
	free(e->filename);
	v_decref(e->obj);
}

/* Does the handler h catch the pending exception?  1, 0, -1 (its class
 * expression failed: that exception replaces the pending one). */
static int
handler_matches(struct interp *in, const struct node *h)
{
	struct pyerr e;
	value *cls;
	int m;

	if (h->kids[0] == NULL)
		return 1;
	e = err_fetch();
	if ((cls = interp_eval(in, h->kids[0])) == NULL) {
		pyerr_drop(&e);
		return -1;
	}
	err_restore(e);
	m = exc_matches(cls, e.exc);
	v_decref(cls);
	return m;
}

/* Runs the handler h for the pending exception, bound to its name for the
 * block and unbound after it, as CPython does. */
static int
run_handler(struct interp *in, const struct node *h)
{
	value *ev = exc_fetch_value();
	int r;

	if (in->nhandling == in->caphandling) {
		in->caphandling = in->caphandling ? 2 * in->caphandling : 8;
		in->handling = xrealloc(in->handling,
		    in->caphandling * sizeof *in->handling);
	}
	in->handling[in->nhandling++] = ev;
	if (h->name)
		var_set(in, h, h->name, v_incref(ev));
	r = exec_block(in, h->kids[1]);
	in->nhandling--;
	if (h->name)
		var_del(in, h, h->name);
	v_decref(ev);
	return r;
}

/* finally: runs after r (kept when the block ends normally; an exception
 * pending is set aside while it runs). */
static int
run_finally(struct interp *in, const struct node *fin, int r)
{
	struct pyerr e = { 0 };
	value *ret = NULL;
	int rr;

	if (r < 0)
		e = err_fetch();
	if (r == X_RETURN) {	/* set aside too: the block may return */
		ret = in->retval;
		in->retval = NULL;
	}
	rr = exec_block(in, fin);
	if (rr != 0) {
		pyerr_drop(&e);
		v_decref(ret);
		return rr;
	}
	if (r < 0)
		err_restore(e);
	if (r == X_RETURN)
		in->retval = ret;
	return r;
}

static int
exec_try(struct interp *in, const struct node *s)
{
	size_t nh = s->nkids - 3, i;
	const struct node *els = s->kids[s->nkids - 2];
	const struct node *fin = s->kids[s->nkids - 1];
	int r = exec_block(in, s->kids[0]), m;

	if (r < 0) {
		for (i = 1; i <= nh; i++) {
			if ((m = handler_matches(in, s->kids[i])) < 0)
				break;
			if (m) {
				r = run_handler(in, s->kids[i]);
				break;
			}
		}
	} else if (r == 0 && els) {
		r = exec_block(in, els);
	}
	return fin ? run_finally(in, fin, r) : r;
}

/* raise [x [from y]]; bare: the exception being handled again. */
static int
exec_raise(struct interp *in, const struct node *s)
{
	value *v, *cause;
	int r;

	if (s->kids[0] == NULL) {
		if (in->nhandling == 0) {
			err_set(EXC_RUNTIME, "No active exception to reraise");
			return -1;
		}
		return exc_raise(in->handling[in->nhandling - 1]);
	}
	if ((v = interp_eval(in, s->kids[0])) == NULL)
		return -1;
	if (s->kids[1]) {
		if ((cause = interp_eval(in, s->kids[1])) == NULL) {
			v_decref(v);
			return -1;
		}
		r = cause->kind == V_NONE || exc_class_code(cause) >= 0 ||
		    exc_isinstance(cause, EXC_BASE);
		v_decref(cause);
		if (!r) {
			v_decref(v);
			err_set(EXC_TYPE,
			    "exception causes must derive from BaseException");
			return -1;
		}
	}
	r = exc_raise(v);
	v_decref(v);
	return r;
}

/* ---- f-strings ----------------------------------------------------------- */

/* The field f ({x!r:spec}) appended to out.  0 or -1. */
static int
fstring_field(struct interp *in, const struct node *f, struct buf *out)
{
	value *v = interp_eval(in, f->kids[0]), *spec = NULL;
	int r = -1;

	if (v == NULL)
		return -1;
	if (f->op) {	/* !r, !s, !a: format what they give */
		value *w = convert_value(v, f->op);

		v_decref(v);
		v = w;
	}
	if (f->kids[1] && (spec = eval_fstring(in, f->kids[1])) == NULL)
		goto out;
	r = format_value(out, v, spec ? spec->u.s.p : "", spec ?
	    spec->u.s.len : 0);
out:
	v_decref(v);
	v_decref(spec);
	return r;
}

/* f"...": the parts, joined. */
static value *
eval_fstring(struct interp *in, const struct node *n)
{
	struct buf b = { 0 };
	size_t i;
	value *r;

	for (i = 0; i < n->nkids; i++) {
		const struct node *k = n->kids[i];

		if (k->kind == N_CONST) {
			buf_put(&b, k->v->u.s.p, k->v->u.s.len);
		} else if (fstring_field(in, k, &b) < 0) {
			free(b.p);
			return NULL;
		}
	}
	r = v_str(b.p ? b.p : "", b.len);
	free(b.p);
	return r;
}

/* ---- comprehensions ------------------------------------------------------ */

static int comp_clauses(struct interp *in, const struct node *n, size_t i,
    value *first, value *out);
static void env_release(struct env *e);

/* The element of the comprehension n into out, once its clauses hold. */
static int
comp_element(struct interp *in, const struct node *n, value *out)
{
	value *k = interp_eval(in, n->kids[0]), *v;

	if (k == NULL)
		return -1;
	if (out->kind != V_DICT)
		return seq_add(out, k);
	if ((v = interp_eval(in, n->kids[1])) == NULL ||
	    v_check_hashable(k) < 0) {
		v_decref(k);
		v_decref(v);
		return -1;
	}
	v_dict_set(out, k, v);
	return 0;
}

/* One pass of the for clause n->kids[i] with item (borrowed) bound. */
static int
comp_pass(struct interp *in, const struct node *n, size_t i, value *item,
    value *out)
{
	if (loop_tick(in) < 0 || assign(in, n->kids[i]->kids[0], item) < 0)
		return -1;
	return comp_clauses(in, n, i + 1, NULL, out);
}

/* The for clause n->kids[i] over seq: a range counts without its list. */
static int
comp_for(struct interp *in, const struct node *n, size_t i, value *seq,
    value *out)
{
	int64_t a, b, st;
	value *items, *v;
	size_t k;
	int r = 0;

	if (is_range(seq, &a, &b, &st)) {
		while (r == 0 && (st > 0 ? a < b : a > b)) {
			v = v_int(a);
			r = comp_pass(in, n, i, v, out);
			v_decref(v);
			if (__builtin_add_overflow(a, st, &a))
				break;
		}
		return r;
	}
	if ((items = op_iterate(seq)) == NULL)
		return -1;
	for (k = 0; r == 0 && k < items->u.seq.len; k++)
		r = comp_pass(in, n, i, items->u.seq.items[k], out);
	v_decref(items);
	return r;
}

/* The clauses of n from i on (first: the first iterable, evaluated outside
 * the comprehension's scope, for the first clause). */
static int
comp_clauses(struct interp *in, const struct node *n, size_t i,
    value *first, value *out)
{
	const struct node *c;
	value *seq;
	int r;

	if (i == n->nkids)
		return comp_element(in, n, out);
	c = n->kids[i];
	if (c->kind == N_COMPIF) {
		if ((r = eval_truth(in, c->kids[0])) <= 0)
			return r;
		return comp_clauses(in, n, i + 1, NULL, out);
	}
	if ((seq = first ? v_incref(first) : interp_eval(in,
	    c->kids[1])) == NULL)
		return -1;
	r = comp_for(in, n, i, seq, out);
	v_decref(seq);
	return r;
}

/* [x for ...], {x for ...}, {k: v for ...}, (x for ...): runs in a scope
 * of its own, as CPython's comprehension functions do.  A generator
 * expression is run at once, its items handed out by an iterator. */
static value *
eval_comp(struct interp *in, const struct node *n)
{
	value *first = interp_eval(in, n->kids[2]->kids[1]), *out;
	struct env *e, *saved = in->env;
	const char *what = n->op == '[' ? "<listcomp>" : n->op == '{' ?
	    "<setcomp>" : n->op == ':' ? "<dictcomp>" : "<genexpr>";
	struct buf q = { 0 };
	int r;

	if (first == NULL)
		return NULL;
	if (in->calls >= MAX_CALLS) {	/* CPython's frame, as a call's */
		v_decref(first);
		err_set(EXC_RECURSION, "maximum recursion depth exceeded");
		return NULL;
	}
	qual_prefix(&q, saved);
	buf_puts(&q, what);
	e = env_new(in, saved, q.p);
	e->comp = 1;
	free(q.p);
	out = n->op == '{' ? v_set_new() : n->op == ':' ? v_dict_new() :
	    v_list_new();
	in->env = e;
	in->calls++;
	r = comp_clauses(in, n, 2, first, out);
	in->calls--;
	in->env = saved;
	env_release(e);
	v_decref(first);
	if (r < 0) {
		v_decref(out);
		return NULL;
	}
	return n->op == '(' ? iterator_new("generator", out) : out;
}

/* ---- functions ----------------------------------------------------------- */

/* A def'd function or lambda.  Its parameters are the kids of def before
 * its block: plain ones, then *args, keyword-only ones, **kwargs (op). */
struct func {
	const struct node *def;	/* S_DEF or N_LAMBDA */
	value **defaults;	/* per parameter, NULL: none */
	size_t nparams;		/* all of them */
	size_t npos;		/* the plain ones, first */
	int varargs, varkw;	/* their index, or -1 */
	struct env *closure;	/* where it was defined; NULL: module level */
	char *qualname;		/* f, g.<locals>.f, <lambda> */
};

static struct interp *running;	/* the interpreter of interp_call() */

static void
func_free(void *p)
{
	struct func *f = p;
	size_t i;

	for (i = 0; i < f->nparams; i++)
		v_decref(f->defaults[i]);
	free(f->defaults);
	env_decref(f->closure);
	free(f->qualname);
	free(f);
}

static void
func_repr(void *out, const value *v)
{
	const struct func *f = v->u.obj.p;

	buf_printf(out, "<function %s at %p>", f->qualname, (void *)v);
}

/* f.__name__ and f.__qualname__. */
static value *
func_getattr(value *self, const char *name)
{
	const struct func *f = self->u.obj.p;

	if (strcmp(name, "__qualname__") == 0)
		return v_strz(f->qualname);
	if (strcmp(name, "__name__") == 0)
		return v_strz(f->def->kind == S_DEF ? f->def->name :
		    "<lambda>");
	err_set(EXC_ATTRIBUTE, "'function' object has no attribute '%s'",
	    name);
	return NULL;
}

static const struct vobject_ops func_ops = {
	"function", func_free, func_repr, NULL, func_getattr, 0, NULL, NULL,
	    NULL
};

int
is_function(const value *v)
{
	return v->kind == V_OBJECT && v->u.obj.ops == &func_ops;
}

const char *
function_name(const value *v)
{
	return ((const struct func *)v->u.obj.p)->qualname;
}

/* def or lambda: the function, its defaults evaluated now, its closure the
 * running function's scope.  NULL with an exception pending. */
static value *
make_function(struct interp *in, const struct node *s)
{
	struct func *f = xcalloc(1, sizeof *f);
	const char *name = s->kind == S_DEF ? s->name : "<lambda>";
	struct buf q = { 0 };
	value *fv;
	size_t i;

	f->def = s;
	f->nparams = s->nkids - 1;
	f->varargs = f->varkw = -1;
	f->defaults = xcalloc(f->nparams + 1, sizeof *f->defaults);
	for (i = 0; i < f->nparams; i++) {
		int pk = s->kids[i]->op;

		f->npos += pk == PK_PLAIN;
		if (pk == PK_VARARGS)
			f->varargs = (int)i;
		if (pk == PK_VARKW)
			f->varkw = (int)i;
	}
	if (in->env) {
		f->closure = in->env;
		in->env->refs++;
	}
	qual_prefix(&q, in->env);
	buf_puts(&q, name);
	f->qualname = q.p;
	fv = v_object(&func_ops, f);
	for (i = 0; i < f->nparams; i++) {
		if (s->kids[i]->nkids == 0)
			continue;
		if ((f->defaults[i] = interp_eval(in,
		    s->kids[i]->kids[0])) == NULL) {
			v_decref(fv);
			return NULL;
		}
	}
	return fv;
}

static int
exec_def(struct interp *in, const struct node *s)
{
	value *fv = make_function(in, s);

	if (fv == NULL)
		return -1;
	var_set(in, s, s->name, fv);
	return 0;
}

/* CPython's "missing 2 required positional arguments: 'a' and 'b'" (or
 * keyword-only), for the parameters [from, to) with no value. */
static void
missing_error(const struct func *f, value **vals, size_t from, size_t to,
    const char *what)
{
	struct buf b = { 0 };
	size_t i, n = 0, k = 0;

	for (i = from; i < to; i++)
		n += vals[i] == NULL;
	for (i = from; i < to; i++) {
		if (vals[i])
			continue;
		k++;
		if (k > 1)
			buf_puts(&b, n == 2 ? " and " : k == n ? ", and " :
			    ", ");
		buf_printf(&b, "'%s'", f->def->kids[i]->name);
	}
	err_set(EXC_TYPE, "%s() missing %zu required %s argument%s: %s",
	    f->qualname, n, what, n == 1 ? "" : "s", b.p ? b.p : "");
	free(b.p);
}

/* CPython's too_many_positional(): given positional arguments, kwonly the
 * keyword-only parameters that got a value. */
static void
too_many_error(const struct func *f, size_t given, size_t kwonly)
{
	size_t i, ndef = 0;
	char sig[64], ko[96] = "";

	for (i = 0; i < f->npos; i++)
		ndef += f->defaults[i] != NULL;
	if (ndef)
		snprintf(sig, sizeof sig, "from %zu to %zu", f->npos - ndef,
		    f->npos);
	else
		snprintf(sig, sizeof sig, "%zu", f->npos);
	if (kwonly)
		snprintf(ko, sizeof ko, " positional argument%s (and %zu "
		    "keyword-only argument%s)", given != 1 ? "s" : "", kwonly,
		    kwonly != 1 ? "s" : "");
	err_set(EXC_TYPE, "%s() takes %s positional argument%s but %zu%s %s "
	    "given", f->qualname, sig, ndef || f->npos != 1 ? "s" : "", given,
	    ko, given == 1 && !kwonly ? "was" : "were");
}

/* Binds the call's arguments to the parameters as CPython's
 * initialize_locals() does: vals gets new references (the *args tuple and
 * **kwargs dict made here).  0, or -1 with CPython's TypeError. */
static int
bind_args(const struct func *f, struct call *c, value **vals)
{
	const char *name = f->qualname;
	size_t i, k, n = c->nargs < f->npos ? c->nargs : f->npos, kwonly = 0;
	value *kw = f->varkw >= 0 ? v_dict_new() : NULL;

	for (i = 0; i < n; i++)
		vals[i] = v_incref(c->args[i]);
	if (f->varargs >= 0) {
		value *t = v_tuple_new(c->nargs - n);

		for (i = n; i < c->nargs; i++) {
			v_decref(t->u.seq.items[i - n]);
			t->u.seq.items[i - n] = v_incref(c->args[i]);
		}
		vals[f->varargs] = t;
	}
	if (kw)
		vals[f->varkw] = kw;
	for (k = 0; k < c->nkw; k++) {
		for (i = 0; i < f->nparams; i++)
			if ((int)i != f->varargs && (int)i != f->varkw &&
			    strcmp(f->def->kids[i]->name, c->kwnames[k]) == 0)
				break;
		if (i == f->nparams && kw) {
			v_dict_set(kw, v_strz(c->kwnames[k]),
			    v_incref(c->kwvals[k]));
			continue;
		}
		if (i == f->nparams) {
			err_set(EXC_TYPE, "%s() got an unexpected keyword "
			    "argument '%s'", name, c->kwnames[k]);
			return -1;
		}
		if (vals[i]) {
			err_set(EXC_TYPE, "%s() got multiple values for "
			    "argument '%s'", name, c->kwnames[k]);
			return -1;
		}
		vals[i] = v_incref(c->kwvals[k]);
	}
	if (c->nargs > f->npos && f->varargs < 0) {
		for (i = f->npos; i < f->nparams; i++)
			kwonly += vals[i] != NULL && (int)i != f->varkw;
		too_many_error(f, c->nargs, kwonly);
		return -1;
	}
	for (i = 0; i < f->nparams; i++)
		if (vals[i] == NULL && f->defaults[i])
			vals[i] = v_incref(f->defaults[i]);
	for (i = 0; i < f->npos; i++)
		if (vals[i] == NULL) {
			missing_error(f, vals, 0, f->npos, "positional");
			return -1;
		}
	for (i = f->npos; i < f->nparams; i++)
		if (vals[i] == NULL) {
			missing_error(f, vals, f->npos, f->nparams,
			    "keyword-only");
			return -1;
		}
	return 0;
}

/* Drops a call's scope e.  When all that still holds it is functions
 * defined in it that only it holds (a helper def'd inside a function), it
 * is a cycle: its names are dropped first, which frees them all. */
static void
env_release(struct env *e)
{
	unsigned own = 0;
	size_t i;

	if (e->refs > 1) {
		for (i = 0; i < e->sc.cap; i++) {
			value *v = e->sc.tab[i].v;

			own += e->sc.tab[i].name && v->refs == 1 &&
			    is_function(v) &&
			    ((struct func *)v->u.obj.p)->closure == e;
		}
		if (own == e->refs - 1)
			scope_clear(&e->sc);
	}
	env_decref(e);
}

/* Runs the body of f (a block, or a lambda's expression) in the scope e. */
static value *
run_body(struct interp *in, const struct func *f, struct env *e)
{
	struct env *saved = in->env;
	const struct node *body = f->def->kids[f->nparams];
	value *r = NULL;
	int x;

	in->env = e;
	in->calls++;
	if (f->def->kind == N_LAMBDA) {
		r = interp_eval(in, body);
	} else if ((x = exec_block(in, body)) == X_RETURN) {
		r = in->retval;
		in->retval = NULL;
	} else if (x == 0) {
		r = v_none();
	}
	in->calls--;
	in->env = saved;
	return r;
}

/* Calls a def'd function: its parameters in a scope of its own. */
static value *
call_function(struct interp *in, value *fn, struct call *c)
{
	const struct func *f = fn->u.obj.p;
	struct env *e;
	value **vals, *r;
	size_t i;

	if (in->calls >= MAX_CALLS) {
		err_set(EXC_RECURSION, "maximum recursion depth exceeded");
		return NULL;
	}
	if (loop_tick(in) < 0)	/* the sandbox bounds calls like loops */
		return NULL;
	vals = xcalloc(f->nparams + 1, sizeof *vals);
	if (bind_args(f, c, vals) < 0) {
		for (i = 0; i < f->nparams; i++)
			v_decref(vals[i]);
		free(vals);
		return NULL;
	}
	e = env_new(in, f->closure, f->qualname);
	for (i = 0; i < f->nparams; i++)
		scope_set(&e->sc, f->def->kids[i]->name, vals[i]);
	free(vals);
	v_incref(fn);		/* the body may rebind its own name */
	r = run_body(in, f, e);
	env_release(e);
	v_decref(fn);
	return r;
}

value *
interp_call(value *fn, struct call *c)
{
	return call_function(running, fn, c);
}

static int
exec_return(struct interp *in, const struct node *s)
{
	value *v = s->kids[0] ? interp_eval(in, s->kids[0]) : v_none();

	if (v == NULL)
		return -1;
	v_decref(in->retval);
	in->retval = v;
	return X_RETURN;
}

/* The context manager of a with item: sockets, files, makefile() objects
 * (anything with a close(), which is their __exit__); __enter__ gives the
 * object itself.  0, or -1 with CPython's TypeError. */
static int
check_context(value *mgr)
{
	value *close = attr_get(mgr, "close");

	if (close == NULL) {
		err_clear();
		err_set(EXC_TYPE, "'%s' object does not support the context "
		    "manager protocol", v_typename(mgr));
		return -1;
	}
	v_decref(close);
	return 0;
}

/* mgr.__exit__: close() it after the block ended with r; an exception
 * pending is set aside meanwhile, and one close() raises replaces it. */
static int
exit_context(value *mgr, int r)
{
	struct pyerr e = { 0 };
	struct call c = { 0 };
	value *close, *x = NULL;

	if (r < 0)
		e = err_fetch();
	if ((close = attr_get(mgr, "close")) != NULL)
		x = call_value(close, &c);
	v_decref(close);
	if (x == NULL) {
		pyerr_drop(&e);
		return -1;
	}
	v_decref(x);
	if (r < 0)
		err_restore(e);
	return r;
}

/* The items of with from the i-th: each entered in turn, the block run
 * inside them all, then each exited in the reverse order. */
static int
with_items(struct interp *in, const struct node *s, size_t i)
{
	value *mgr;
	int r;

	if (i + 1 >= s->nkids)
		return exec_block(in, s->kids[i]);
	if ((mgr = interp_eval(in, s->kids[i])) == NULL)
		return -1;
	if (check_context(mgr) < 0) {
		v_decref(mgr);
		return -1;
	}
	r = s->kids[i + 1] ? assign(in, s->kids[i + 1], mgr) : 0;
	if (r == 0)
		r = with_items(in, s, i + 2);
	r = exit_context(mgr, r);
	v_decref(mgr);
	return r;
}

/* assert test[, msg]: AssertionError(msg) when test is false. */
static int
exec_assert(struct interp *in, const struct node *s)
{
	struct call c = { 0 };
	value *msg, *ev;
	int t = eval_truth(in, s->kids[0]);

	if (t != 0)
		return t < 0 ? -1 : 0;
	msg = s->kids[1] ? interp_eval(in, s->kids[1]) : v_none();
	if (msg == NULL)
		return -1;
	c.args = &msg;
	c.nargs = s->kids[1] != NULL;
	ev = exc_new(EXC_ASSERTION, &c);
	v_decref(msg);
	if (ev == NULL)
		return -1;
	t = exc_raise(ev);
	v_decref(ev);
	return t;
}

/* Runs one statement: 0, -1, or X_BREAK / X_CONTINUE. */
static int
exec_stmt(struct interp *in, const struct node *s)
{
	value *v;
	size_t i;
	int r = 0;

	switch (s->kind) {
	case S_IF: return exec_if(in, s);
	case S_WHILE: return exec_while(in, s);
	case S_FOR: return exec_for(in, s);
	case S_BREAK: return X_BREAK;
	case S_CONTINUE: return X_CONTINUE;
	case S_BLOCK: return exec_block(in, s);
	case S_TRY: return exec_try(in, s);
	case S_DEF: return exec_def(in, s);
	case S_RETURN: return exec_return(in, s);
	case S_RAISE: return exec_raise(in, s);
	case S_GLOBAL: case S_NONLOCAL: return 0;	/* scope.c's */
	case S_ASSERT: return exec_assert(in, s);
	case S_WITH: return with_items(in, s, 0);
	case S_PASS:	/* from socket import NAME...: each must exist */
		for (i = 0; i < s->nkids; i++) {
			value *mod = builtin_lookup("socket");

			v = mod ? attr_get(mod, s->kids[i]->name) : NULL;
			v_decref(mod);
			if (v == NULL) {
				err_set(EXC_IMPORT,
				    "cannot import name '%s' from 'socket' "
				    "(/usr/lib/python3.11/socket.py)",
				    s->kids[i]->name);
				return -1;
			}
			v_decref(v);
		}
		return 0;
	case S_DEL:
		return delete(in, s->kids[0]);
	case S_AUGASSIGN:
		return augassign(in, s);
	case S_ASSIGN:
		if ((v = interp_eval(in, s->kids[s->nkids - 1])) == NULL)
			return -1;
		for (i = 0; i + 1 < s->nkids && r == 0; i++)
			r = assign(in, s->kids[i], v);
		v_decref(v);
		return r;
	case S_EXPR:
		if ((v = interp_eval(in, s->kids[0])) == NULL)
			return -1;
		/* a script prints what its top level computes, the shell
		 * every expression statement (CPython's 'single' mode) */
		if (v->kind != V_NONE && in->calls == 0 && (in->nested == 0 ||
		    in->interactive)) {
			r = out_value(v, in->fmt);
			if (in->interactive)
				scope_set(&in->globals, "_", v_incref(v));
		}
		v_decref(v);
		return r;
	default:
		err_set(EXC_SYNTAX, "invalid syntax");
		return -1;
	}
}

int
interp_exec(struct interp *in, const struct node *s)
{
	int r;

	running = in;
	r = exec_stmt(in, s);

	return r < 0 ? -1 : 0;	/* break and continue never reach here */
}
