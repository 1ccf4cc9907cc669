/* scope.c - the place of every name, as CPython's symtable.c finds it: a
 * name a function binds (assigns, loops over, catches, defines, deletes,
 * takes as a parameter) is its local unless declared global or nonlocal;
 * any other name is a free variable of the nearest enclosing function that
 * binds it, else a global.  Lambdas and comprehensions are functions of
 * their own.  The interpreter reads each name's place from its node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "eval/eval.h"

enum { F_BOUND = 1, F_PARAM = 2, F_GLOBAL = 4, F_NONLOCAL = 8, F_USED = 16 };

struct sym {
	const char *name;	/* borrowed from the tree */
	int flags;
};

/* One scope's names.  up: the enclosing scope, NULL at the module level. */
struct symtab {
	struct symtab *up;
	struct sym *s;
	size_t n, cap;
	struct synerr *where;
};

/* The first pass over a scope records what it does with each name; the
 * second writes each name's place into its node. */
enum { COLLECT, RESOLVE };

static int walk(struct symtab *st, struct node *n, int mode);

static struct sym *
sym_find(const struct symtab *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (strcmp(st->s[i].name, name) == 0)
			return &st->s[i];
	return NULL;
}

static struct sym *
sym_add(struct symtab *st, const char *name)
{
	struct sym *s = sym_find(st, name);

	if (s)
		return s;
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 16;
		st->s = xrealloc(st->s, st->cap * sizeof *st->s);
	}
	s = &st->s[st->n++];
	s->name = name;
	s->flags = 0;
	return s;
}

/* Where name is, seen from the scope st (SC_*). */
static int
place(const struct symtab *st, const char *name)
{
	const struct sym *s;
	int hops = 0;

	if (st->up == NULL)
		return SC_TOP;
	s = sym_find(st, name);
	if (s && (s->flags & F_GLOBAL))
		return SC_GLOBAL;
	if (s && !(s->flags & F_NONLOCAL) && (s->flags & (F_BOUND | F_PARAM)))
		return SC_LOCAL;
	for (st = st->up; st->up; st = st->up, hops++) {
		if ((s = sym_find(st, name)) == NULL ||
		    (s->flags & F_NONLOCAL))
			continue;
		if (s->flags & F_GLOBAL)
			return SC_GLOBAL;
		if (s->flags & (F_BOUND | F_PARAM))
			return SC_FREE + hops;
	}
	return SC_GLOBAL;
}

/* SyntaxError fmt (with the name) at the statement n.  Returns -1. */
static int
fail(struct symtab *st, const struct node *n, const char *fmt,
    const char *name)
{
	st->where->line = n->line;
	st->where->col = n->col;
	st->where->incomplete = 0;
	err_set(EXC_SYNTAX, fmt, name);
	return -1;
}

/* A name bound (or deleted) by n: its place, or its flag. */
static void
bind(struct symtab *st, struct node *n, const char *name, int mode)
{
	if (mode == COLLECT)
		sym_add(st, name)->flags |= F_BOUND;
	else
		n->op = place(st, name);
}

/* An assignment target: names are bound, the rest is read. */
static int
target(struct symtab *st, struct node *t, int mode)
{
	size_t i;

	switch (t->kind) {
	case N_NAME:
		bind(st, t, t->name, mode);
		return 0;
	case N_TUPLE: case N_LIST: case N_STAR:
		for (i = 0; i < t->nkids; i++)
			if (target(st, t->kids[i], mode) < 0)
				return -1;
		return 0;
	default:
		return walk(st, t, mode);
	}
}

/* global / nonlocal NAME, ...: CPython's checks and the flag. */
static int
declare(struct symtab *st, struct node *s)
{
	int global = s->kind == S_GLOBAL;
	const char *what = global ? "global" : "nonlocal";
	char msg[80];
	size_t i;

	if (!global && st->up == NULL)
		return fail(st, s, "%s",
		    "nonlocal declaration not allowed at module level");
	for (i = 0; i < s->nkids; i++) {
		const char *name = s->kids[i]->name;
		struct sym *y = sym_add(st, name);
		const struct symtab *o;
		const struct sym *z = NULL;

		if (y->flags & (global ? F_NONLOCAL : F_GLOBAL))
			return fail(st, s, "name '%s' is nonlocal and global",
			    name);
		if (y->flags & (F_PARAM | F_USED | F_BOUND)) {
			if (y->flags & F_PARAM)
				snprintf(msg, sizeof msg,
				    "name '%%s' is parameter and %s", what);
			else
				snprintf(msg, sizeof msg, "name '%%s' is %s %s "
				    "declaration", y->flags & F_USED ?
				    "used prior to" : "assigned to before",
				    what);
			return fail(st, s, msg, name);
		}
		y->flags |= global ? F_GLOBAL : F_NONLOCAL;
		if (global)
			continue;
		for (o = st->up; o->up; o = o->up)
			if ((z = sym_find(o, name)) != NULL &&
			    (z->flags & (F_BOUND | F_PARAM | F_NONLOCAL |
			    F_GLOBAL)))
				break;
		if (o->up == NULL || (z->flags & F_GLOBAL))
			return fail(st, s, "no binding for nonlocal '%s' found",
			    name);
	}
	return 0;
}

/* Collects and resolves the scope of a def, lambda or comprehension n,
 * inside st.  The parameters (and a comprehension's targets) are its. */
static int
inner(struct symtab *st, struct node *n)
{
	struct symtab in = { st, NULL, 0, 0, st->where };
	size_t i, first = n->kind == N_COMP ? 2 : 0;
	int mode, r = 0;

	if (n->kind != N_COMP)
		for (i = 0; i + 1 < n->nkids; i++)
			sym_add(&in, n->kids[i]->name)->flags |= F_PARAM;
	for (mode = COLLECT; mode <= RESOLVE && r == 0; mode++) {
		if (n->kind != N_COMP) {
			r = walk(&in, n->kids[n->nkids - 1], mode);
			continue;
		}
		/* the first iterable belongs to st; the rest to the
		 * comprehension, clauses before the element */
		for (i = first; i < n->nkids && r == 0; i++) {
			struct node *c = n->kids[i];

			if (c->kind == N_COMPFOR) {
				r = target(&in, c->kids[0], mode);
				if (r == 0 && i > first)
					r = walk(&in, c->kids[1], mode);
			} else {
				r = walk(&in, c->kids[0], mode);
			}
		}
		for (i = 0; i < first && r == 0; i++)
			if (n->kids[i])
				r = walk(&in, n->kids[i], mode);
	}
	free(in.s);
	return r;
}

/* The parts of a def or lambda n evaluated where it is: its defaults. */
static int
defaults(struct symtab *st, struct node *n, int mode)
{
	size_t i;

	for (i = 0; i + 1 < n->nkids; i++)
		if (n->kids[i]->nkids && walk(st, n->kids[i]->kids[0],
		    mode) < 0)
			return -1;
	return 0;
}

static int
walk(struct symtab *st, struct node *n, int mode)
{
	size_t i;

	if (n == NULL)
		return 0;
	switch (n->kind) {
	case N_NAME:
		if (mode == COLLECT)
			sym_add(st, n->name)->flags |= F_USED;
		else
			n->op = place(st, n->name);
		return 0;
	case S_GLOBAL: case S_NONLOCAL:
		return mode == COLLECT ? declare(st, n) : 0;
	case S_DEF:
		bind(st, n, n->name, mode);
		/* FALLTHROUGH */
	case N_LAMBDA:
		if (defaults(st, n, mode) < 0)
			return -1;
		return mode == RESOLVE ? inner(st, n) : 0;
	case N_COMP:
		if (walk(st, n->kids[2]->kids[1], mode) < 0)
			return -1;
		return mode == RESOLVE ? inner(st, n) : 0;
	case S_EXCEPT:
		if (n->name)
			bind(st, n, n->name, mode);
		break;
	case S_ASSIGN:
		for (i = 0; i + 1 < n->nkids; i++)
			if (target(st, n->kids[i], mode) < 0)
				return -1;
		return walk(st, n->kids[n->nkids - 1], mode);
	case S_AUGASSIGN:
		if (n->kids[0]->kind == N_NAME && mode == COLLECT)
			sym_add(st, n->kids[0]->name)->flags |= F_USED;
		/* FALLTHROUGH */
	case S_FOR: case S_DEL:
		if (target(st, n->kids[0], mode) < 0)
			return -1;
		for (i = 1; i < n->nkids; i++)
			if (walk(st, n->kids[i], mode) < 0)
				return -1;
		return 0;
	case S_WITH:
		for (i = 0; i + 1 < n->nkids; i += 2)
			if (walk(st, n->kids[i], mode) < 0 ||
			    (n->kids[i + 1] && target(st, n->kids[i + 1],
			    mode) < 0))
				return -1;
		return walk(st, n->kids[n->nkids - 1], mode);
	default:
		break;
	}
	for (i = 0; i < n->nkids; i++)
		if (walk(st, n->kids[i], mode) < 0)
			return -1;
	return 0;
}

int
scope_resolve(struct node **stmts, size_t n, struct synerr *where)
{
	struct symtab top = { NULL, NULL, 0, 0, where };
	size_t i;
	int mode, r = 0;

	for (mode = COLLECT; mode <= RESOLVE && r == 0; mode++)
		for (i = 0; i < n && r == 0; i++)
			r = walk(&top, stmts[i], mode);
	free(top.s);
	return r;
}
