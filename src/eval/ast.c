/* ast.c - recursive-descent parser of the eval language: Python's grammar
 * for simple statements, if/while/for/try blocks and expressions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "error.h"
#include "eval/eval.h"
#include "parse.h"

struct parser {
	const char *filename;	/* for warnings */
	struct tokens ts;
	size_t i;
	struct synerr *where;
	int depth;
	int loops;		/* loops the statement is in (break) */
	int blocks;		/* loops (and try) the statement is in */
	int defs;		/* functions the statement is in (return) */
};

#define MAX_DEPTH 200		/* nesting deeper than this is refused */
#define MAX_BLOCKS 20		/* CPython's CO_MAXBLOCKS: nested loops */
/* A tree taller than this is refused as CPython's compiler refuses it
 * (a chain of 2999 binary operators, subscripts or attributes): running,
 * printing and freeing the tree recurse once per level. */
#define MAX_HEIGHT 2999

static const char *const keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await",
	    "break",
	"class", "continue", "def", "del", "elif", "else", "except", "finally",
	"for", "from", "global", "if", "import", "in", "is", "lambda",
	    "nonlocal",
	"not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
	    NULL
};

/* CPython's compiler's word for a starred expression alone. */
static const char star_here[] = "can't use starred expression here";

/* Statements sockit does not run, with the word CPython's grammar uses. */
static const char *const unsupported[] = {
	"async", "class", "yield", NULL
};

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static struct token *cur(struct parser *ps) { return &ps->ts.t[ps->i]; }

static int
is_op(struct parser *ps, const char *op)
{
	struct token *t = cur(ps);

	return t->kind == T_OP && strcmp(t->text, op) == 0;
}

static int
is_kw(struct parser *ps, const char *kw)
{
	struct token *t = cur(ps);

	return t->kind == T_NAME && strcmp(t->text, kw) == 0;
}

/* Takes the operator op if it is next. */
static int
accept_op(struct parser *ps, const char *op)
{
	if (!is_op(ps, op))
		return 0;
	ps->i++;
	return 1;
}

/* SyntaxError msg at token t.  Returns NULL. */
static void *
fail_at(struct parser *ps, const struct token *t, const char *fmt,
    const char *arg)
{
	ps->where->line = t->line;
	ps->where->col = t->col;
	ps->where->incomplete = 0;
	err_set(EXC_SYNTAX, fmt, arg);
	return NULL;
}

static void *
fail(struct parser *ps)
{
	return fail_at(ps, cur(ps), "%s", "invalid syntax");
}

static struct node *
mk(enum nkind k, const struct token *t)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->kind = k;
	n->line = t->line;
	n->col = t->col;
	n->height = 1;
	return n;
}

/* Appends kid (may be NULL) to n. */
static void
add(struct node *n, struct node *kid)
{
	n->kids = xrealloc(n->kids, (n->nkids + 1) * sizeof *n->kids);
	n->kids[n->nkids++] = kid;
	if (kid && kid->height >= n->height)
		n->height = kid->height + 1;
}

/* Is the tree n too tall to run?  Sets CPython's RecursionError. */
static int
too_tall(const struct node *n)
{
	if (n == NULL || n->height <= MAX_HEIGHT)
		return 0;
	if (!err_occurred())
		err_set(EXC_RECURSION,
		    "maximum recursion depth exceeded during compilation");
	return 1;
}

/* Frees the tree without recursion: each node's kids go on a stack. */
static void
node_free(struct node *n)
{
	struct node **stack = NULL;
	size_t sp = 0, cap = 0, i;

	while (n || sp) {
		if (n == NULL) {
			n = stack[--sp];
			continue;
		}
		for (i = 0; i < n->nkids; i++) {
			if (n->kids[i] == NULL)
				continue;
			if (sp == cap) {
				cap = cap ? 2 * cap : 16;
				stack = xrealloc(stack, cap * sizeof *stack);
			}
			stack[sp++] = n->kids[i];
		}
		free(n->kids);
		free(n->ops);
		free(n->name);
		v_decref(n->v);
		free(n);
		n = NULL;
	}
	free(stack);
}

void
nodes_free(struct node **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		node_free(v[i]);
	free(v);
}

static struct node *test(struct parser *ps);
static struct node *or_test(struct parser *ps);
static struct node *factor(struct parser *ps);
static struct node *bor(struct parser *ps);
static int for_in(struct parser *ps, struct node *n);

/* '*' bor, a starred item of a display or a target list, or else what
 * plain parses (test, or bor in the targets of for). */
static struct node *
star_or(struct parser *ps, struct node *(*plain)(struct parser *))
{
	struct token *t = cur(ps);
	struct node *n, *e;

	if (!accept_op(ps, "*"))
		return plain(ps);
	if ((e = bor(ps)) == NULL)
		return NULL;
	n = mk(N_STAR, t);
	add(n, e);
	return n;
}

static struct node *star_expr(struct parser *ps) { return star_or(ps, test); }

/* The for and if clauses of a comprehension whose element is already in n
 * (an N_COMP): for TARGETS in or_test, then ifs, one for at least. */
static struct node *
comp_clauses(struct parser *ps, struct node *n)
{
	while (is_kw(ps, "for") || is_kw(ps, "async")) {
		struct token *t = cur(ps);
		struct node *f, *e;

		if (is_kw(ps, "async"))
			return fail_at(ps, t, "%s", "asynchronous "
			    "comprehensions are not supported by sockit eval");
		ps->i++;
		f = mk(N_COMPFOR, t);
		add(n, f);
		if (for_in(ps, f) < 0 || (e = or_test(ps)) == NULL)
			return NULL;
		add(f, e);
		while (is_kw(ps, "if")) {
			struct node *c = mk(N_COMPIF, cur(ps));

			ps->i++;
			add(n, c);
			if ((e = or_test(ps)) == NULL)
				return NULL;
			add(c, e);
		}
	}
	if (too_tall(n))
		return NULL;
	return n;
}

/* Turns the display n, whose first item (and a dict's value) is parsed,
 * into a comprehension (op: its kind) and parses its clauses. */
static struct node *
comprehension(struct parser *ps, struct node *n, int op)
{
	if (n->kids[0]->kind == N_STAR)
		return fail_at(ps, cur(ps), "%s", "iterable unpacking cannot "
		    "be used in comprehension");
	if (n->kids[0]->kind == N_DSTAR)
		return fail_at(ps, cur(ps), "%s", "dict unpacking cannot be "
		    "used in dict comprehension");
	n->kind = N_COMP;
	n->op = op;
	if (n->nkids == 1)
		add(n, NULL);
	return comp_clauses(ps, n);
}

/* Items of a (...) / [...] display up to close.  *comma: a comma was seen. */
static struct node *
display(struct parser *ps, struct node *n, const char *close, int *comma)
{
	*comma = 0;
	while (!is_op(ps, close)) {
		struct node *e;

		if ((e = star_expr(ps)) == NULL)
			return NULL;
		add(n, e);
		if (n->nkids == 1 && (is_kw(ps, "for") || is_kw(ps, "async"))) {
			if (comprehension(ps, n, close[0] == ')' ? '(' : '[') ==
			    NULL)
				return NULL;
			break;
		}
		if (!accept_op(ps, ","))
			break;
		*comma = 1;
	}
	if (!accept_op(ps, close))
		return fail(ps);
	return n;
}

/* {...}: a dict or a set display, or their comprehension. */
static struct node *
brace_display(struct parser *ps, struct token *t, struct node *n)
{
	n->kind = N_DICT;
	if (accept_op(ps, "}"))
		return n;
	for (;;) {
		struct token *at = cur(ps);
		struct node *k, *v;
		int first = n->nkids == 0;

		if (accept_op(ps, "**")) {
			if (n->kind == N_SET || (k = bor(ps)) == NULL)
				return n->kind == N_SET ? fail_at(ps, at, "%s",
				    "invalid syntax") : NULL;
			v = mk(N_DSTAR, at);
			add(v, k);
			add(n, v);
			add(n, NULL);
		} else {
			if ((k = first || n->kind == N_SET ? star_expr(ps) :
			    test(ps)) == NULL)
				return NULL;
			add(n, k);
			if (first && !is_op(ps, ":"))
				n->kind = N_SET;
			if (n->kind == N_DICT) {
				if (k->kind == N_STAR || !accept_op(ps, ":"))
					return fail(ps);
				if ((v = test(ps)) == NULL)
					return NULL;
				add(n, v);
			}
		}
		if (first && (is_kw(ps, "for") || is_kw(ps, "async"))) {
			if (comprehension(ps, n, n->kind == N_SET ? '{' : ':')
			    == NULL)
				return NULL;
			break;
		}
		if (!accept_op(ps, ","))
			break;
		if (is_op(ps, "}"))
			break;
	}
	if (!accept_op(ps, "}"))
		return fail(ps);
	(void)t;
	return n;
}

/* ---- f-strings ----------------------------------------------------------- */

static int fstring_body(struct parser *ps, const struct token *t,
    struct node *n, const char *p, const char *end, int level,
    const char *quote);

/* SyntaxError msg at t.  Returns -1. */
static int
fail_int(struct parser *ps, const struct token *t, const char *msg)
{
	fail_at(ps, t, "%s", msg);
	return -1;
}

/* The literal text [p, end) of an f-string (its quote q, triple, raw) as
 * an N_CONST of n, its escapes decoded as in any literal. */
static int
fstring_text(struct parser *ps, const struct token *t, struct node *n,
    const char *p, const char *end, const char *quote)
{
	struct buf b = { 0 };
	const char *s;
	struct node *k;
	value *v;

	if (p == end)
		return 0;
	buf_puts(&b, quote);
	buf_put(&b, p, (size_t)(end - p));
	buf_puts(&b, quote + (quote[0] == 'r'));
	s = b.p;
	v = lex_string(&s, b.p + b.len);
	free(b.p);
	if (v == NULL) {
		fail_at(ps, t, "%s", err_get()->msg);
		return -1;
	}
	k = mk(N_CONST, t);
	k->v = v;
	add(n, k);
	return 0;
}

/* The end of the expression of a replacement field from p: the '}', '!'
 * or ':' (or the '=' of {x=}) outside brackets and strings. */
static const char *
field_end(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			for (p++; p < end && *p != q; p++)
				;
			if (p == end)
				return p;
		} else if (strchr("([{", *p)) {
			depth++;
		} else if (strchr(")]}", *p) && depth) {
			depth--;
		} else if (depth == 0 && (*p == '}' || *p == ':' ||
		    (*p == '!' && p[1] != '=') || (*p == '=' &&
		    !strchr("=!<>", p[-1]) && p[1] != '='))) {
			return p;
		}
	}
	return p;
}

/* The expression text [p, end) of a field, parsed as CPython does: in
 * parentheses.  The tree, or NULL. */
static struct node *
field_expr(struct parser *ps, const struct token *t, const char *p,
    const char *end)
{
	struct parser sub;
	struct buf b = { 0 };
	struct node *e = NULL;
	const char *s;

	for (s = p; s < end && strchr(" \t\n", *s); s++)
		;
	if (s == end)
		return fail_at(ps, t, "%s",
		    "f-string: empty expression not allowed");
	if (memchr(p, '\\', (size_t)(end - p)))
		return fail_at(ps, t, "%s", "f-string expression part cannot "
		    "include a backslash");
	if (memchr(p, '#', (size_t)(end - p)))
		return fail_at(ps, t, "%s", "f-string expression part cannot "
		    "include '#'");
	memset(&sub, 0, sizeof sub);
	sub.filename = ps->filename;
	sub.where = ps->where;
	sub.depth = ps->depth + 1;
	buf_putc(&b, '(');
	buf_put(&b, p, (size_t)(end - p));
	buf_puts(&b, ")\n");
	if (lex(b.p, b.len, &sub.ts, ps->where) == 0) {
		e = test(&sub);
		if (e && cur(&sub)->kind != T_NEWLINE) {
			node_free(e);
			e = fail(&sub);
		}
	}
	tokens_free(&sub.ts);
	free(b.p);
	if (e == NULL)
		ps->where->line += t->line - 1;
	return e;
}

/* One replacement field after its '{' at *pp: {expr[=][!c][:spec]}. */
static int
fstring_field(struct parser *ps, const struct token *t, struct node *n,
    const char **pp, const char *end, int level, const char *quote)
{
	const char *p = *pp, *e = field_end(p, end), *spec;
	struct node *f, *x;
	int depth = 0, debug = 0;

	if (level >= 2)
		return fail_int(ps, t,
		    "f-string: expressions nested too deeply");
	if (e >= end)
		return fail_int(ps, t, "f-string: expecting '}'");
	if ((x = field_expr(ps, t, p, e)) == NULL)
		return -1;
	f = mk(N_FIELD, t);
	add(f, x);
	if (e < end && *e == '=') {	/* {x=}: the text, then repr */
		struct node *k = mk(N_CONST, t);

		while (e + 1 < end && strchr(" \t", e[1]))
			e++;
		k->v = v_str(p, (size_t)(e + 1 - p));
		add(n, k);
		debug = 1;
		e++;
	}
	add(n, f);
	if (e < end && *e == '!') {
		if (e + 1 >= end || !strchr("rsa", e[1]) || e + 2 >= end ||
		    (e[2] != ':' && e[2] != '}'))
			return fail_int(ps, t, "f-string: invalid conversion "
			    "character: expected 's', 'r', or 'a'");
		f->op = e[1];
		e += 2;
	} else if (debug && (e >= end || *e != ':')) {
		f->op = 'r';	/* {x=} is repr, {x=:spec} formats */
	}
	if (e < end && *e == ':') {
		struct node *sn = mk(N_FSTR, t);

		add(f, sn);
		for (spec = ++e; e < end && (depth || *e != '}'); e++)
			depth += *e == '{' ? 1 : *e == '}' ? -1 : 0;
		if (fstring_body(ps, t, sn, spec, e, level + 1, quote) < 0)
			return -1;
	} else {
		add(f, NULL);
	}
	if (e >= end || *e != '}')
		return fail_int(ps, t, "f-string: expecting '}'");
	*pp = e + 1;
	return 0;
}

/* The parts of [p, end), an f-string's body or a field's spec, into n;
 * quote: the literal's opening, for its text's escapes ("r'", "\"\"\""). */
static int
fstring_body(struct parser *ps, const struct token *t, struct node *n,
    const char *p, const char *end, int level, const char *quote)
{
	const char *lit = p;

	while (p < end) {
		if ((*p == '{' || *p == '}') && p + 1 < end && p[1] == *p) {
			if (fstring_text(ps, t, n, lit, p + 1, quote) < 0)
				return -1;
			lit = p += 2;
			continue;
		}
		if (*p == '}')
			return fail_int(ps, t,
			    "f-string: single '}' is not allowed");
		if (*p != '{') {
			p++;
			continue;
		}
		if (fstring_text(ps, t, n, lit, p, quote) < 0)
			return -1;
		p++;
		if (fstring_field(ps, t, n, &p, end, level, quote) < 0)
			return -1;
		lit = p;
	}
	return fstring_text(ps, t, n, lit, end, quote);
}

/* The f-string token t's parts, added to n. */
static int
fstring(struct parser *ps, const struct token *t, struct node *n)
{
	const char *s = t->v->u.s.p, *end = s + t->v->u.s.len;
	char quote[8];
	size_t q, k = 0;

	for (; *s != '\'' && *s != '"'; s++)
		if (*s == 'r' || *s == 'R')
			quote[k++] = 'r';
	q = s + 5 < end && s[1] == *s && s[2] == *s ? 3 : 1;
	memset(quote + k, *s, q);
	quote[k + q] = 0;
	return fstring_body(ps, t, n, s + q, end - q, 0, quote);
}

/* Adjacent string literals, concatenated; with an f-string among them, an
 * N_FSTR of their parts. */
static struct node *
strings(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n = mk(N_CONST, t);
	value *v = t->kind == T_STR ? v_incref(t->v) : v_strz("");
	size_t i;
	int bytes = 0;

	for (i = ps->i; ps->ts.t[i].kind == T_STR ||
	    ps->ts.t[i].kind == T_FSTR; i++) {
		if (ps->ts.t[i].kind == T_FSTR)
			n->kind = N_FSTR;
		else
			bytes |= ps->ts.t[i].v->kind == V_BYTES;
	}
	if (n->kind == N_FSTR && bytes) {
		fail_at(ps, t, "%s", "cannot mix bytes and nonbytes literals");
		goto bad;
	}
	if (t->kind == T_FSTR && fstring(ps, t, n) < 0)
		goto bad;
	ps->i++;
	while (cur(ps)->kind == T_STR || cur(ps)->kind == T_FSTR) {
		value *w = cur(ps)->v, *cat;

		if (cur(ps)->kind == T_STR && (v->kind == V_BYTES) !=
		    (w->kind == V_BYTES)) {
			fail_at(ps, t, "%s",
			    "cannot mix bytes and nonbytes literals");
			goto bad;
		}
		if (n->kind == N_FSTR) {	/* the parts, in order */
			struct node *k = mk(N_CONST, cur(ps));

			k->v = v_incref(w);
			if (cur(ps)->kind == T_STR)
				add(n, k);
			else
				node_free(k);
			if (cur(ps)->kind == T_FSTR && fstring(ps, cur(ps),
			    n) < 0)
				goto bad;
			ps->i++;
			continue;
		}
		cat = op_binary(OP_ADD, v, w);
		v_decref(v);
		v = cat;
		ps->i++;
	}
	if (n->kind == N_FSTR) {
		if (t->kind == T_STR) {	/* a plain first literal */
			struct node *k = mk(N_CONST, t);

			k->v = v;
			v = NULL;
			n->nkids++;
			n->kids = xrealloc(n->kids, n->nkids * sizeof *n->kids);
			memmove(n->kids + 1, n->kids, (n->nkids - 1) *
			    sizeof *n->kids);
			n->kids[0] = k;
		}
		v_decref(v);
		return n;
	}
	n->v = v;
	return n;
bad:
	v_decref(v);
	node_free(n);
	return NULL;
}

static struct node *
name_atom(struct parser *ps, struct token *t)
{
	struct node *n;

	if (strcmp(t->text, "None") == 0 || strcmp(t->text, "True") == 0 ||
	    strcmp(t->text, "False") == 0) {
		n = mk(N_CONST, t);
		n->v = t->text[0] == 'N' ? v_none() : v_bool(t->text[0] == 'T');
		ps->i++;
		return n;
	}
	if (strcmp(t->text, "yield") == 0 || strcmp(t->text, "await") == 0)
		return fail_at(ps, t, "'%s' is not supported by sockit eval",
		    t->text);
	if (in_list(keywords, t->text))
		return fail(ps);
	n = mk(N_NAME, t);
	n->name = xstrdup(t->text);
	ps->i++;
	return n;
}

static struct node *
atom(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n;
	int comma = 0;

	switch (t->kind) {
	case T_NAME:
		return name_atom(ps, t);
	case T_NUM:
		n = mk(N_CONST, t);
		n->v = v_incref(t->v);
		ps->i++;
		return n;
	case T_STR: case T_FSTR:
		return strings(ps);
	case T_OP:
		break;
	default:
		return fail(ps);
	}
	if (strcmp(t->text, "(") && strcmp(t->text, "[") &&
	    strcmp(t->text, "{"))
		return fail(ps);
	if (++ps->depth > MAX_DEPTH)
		return fail_at(ps, t, "%s", "too many nested parentheses");
	ps->i++;
	n = mk(t->text[0] == '[' ? N_LIST : N_TUPLE, t);
	if (t->text[0] == '{' ? brace_display(ps, t, n) == NULL
	    : display(ps, n, t->text[0] == '(' ? ")" : "]", &comma) == NULL) {
		node_free(n);
		return NULL;
	}
	ps->depth--;
	if (n->kind == N_TUPLE && n->nkids == 1 && !comma) {	/* (x) is x */
		struct node *inner = n->kids[0];

		if (inner->kind == N_STAR) {
			node_free(n);
			return fail_at(ps, t, "%s",
			    "cannot use starred expression here");
		}

		n->nkids = 0;
		node_free(n);
		return inner;
	}
	return n;
}

/* One subscript: an expression or a slice. */
static struct node *
subscript(struct parser *ps)
{
	struct node *n, *e = NULL;
	struct token *t = cur(ps);
	int k;

	if (!is_op(ps, ":") && (e = test(ps)) == NULL)
		return NULL;
	if (!is_op(ps, ":"))
		return e;
	n = mk(N_SLICE, t);
	add(n, e);
	for (k = 0; k < 2; k++) {
		if (!accept_op(ps, ":")) {
			add(n, NULL);
			continue;
		}
		if (is_op(ps, ":") || is_op(ps, "]") || is_op(ps, ",")) {
			add(n, NULL);
			continue;
		}
		if ((e = test(ps)) == NULL) {
			node_free(n);
			return NULL;
		}
		add(n, e);
	}
	return n;
}

/* Call arguments after '(' into call node n: positional ones, NAME=test,
 * *test and **test, in CPython's order, or one generator expression. */
static struct node *
arguments(struct parser *ps, struct node *n)
{
	int kw_seen = 0, dstar_seen = 0;

	while (!is_op(ps, ")")) {
		struct token *t = cur(ps);
		struct node *e, *k;

		if (is_op(ps, "*") || is_op(ps, "**")) {
			int two = is_op(ps, "**");

			ps->i++;
			if (!two && dstar_seen)
				return fail_at(ps, t, "%s", "iterable argument "
				    "unpacking follows keyword argument "
				    "unpacking");
			if ((e = test(ps)) == NULL)
				return NULL;
			k = mk(two ? N_DSTAR : N_STAR, t);
			add(k, e);
			add(n, k);
			dstar_seen |= two;
		} else if (t->kind == T_NAME &&
		    ps->ts.t[ps->i + 1].kind == T_OP &&
		    strcmp(ps->ts.t[ps->i + 1].text, "=") == 0) {
			k = mk(N_KW, t);
			if (in_list(keywords, t->text)) {
				free(k);
				return fail_at(ps, t, "%s",
				    "expression cannot contain assignment, "
				    "perhaps you meant \"==\"?");
			}
			k->name = xstrdup(t->text);
			ps->i += 2;
			if ((e = test(ps)) == NULL) {
				node_free(k);
				return NULL;
			}
			add(k, e);
			add(n, k);
			kw_seen = 1;
		} else {
			if ((e = test(ps)) == NULL)
				return NULL;
			if (is_kw(ps, "for") || is_kw(ps, "async")) {
				k = mk(N_COMP, t);
				add(k, e);
				add(n, k);
				if (comprehension(ps, k, '(') == NULL)
					return NULL;
				if (n->nkids != 2 || !is_op(ps, ")"))
					return fail_at(ps, t, "%s", "Generator "
					    "expression must be parenthesized");
				continue;
			}
			add(n, e);
			if (dstar_seen)
				return fail_at(ps, t, "%s", "positional "
				    "argument follows keyword argument "
				    "unpacking");
			if (kw_seen)
				return fail_at(ps, t, "%s",
				    "positional argument follows keyword argument");
		}
		if (!accept_op(ps, ","))
			break;
	}
	if (!accept_op(ps, ")"))
		return fail(ps);
	return n;
}

/* atom followed by calls, subscripts and attributes. */
static struct node *
primary(struct parser *ps)
{
	struct node *n = atom(ps), *m;

	while (n && !too_tall(n)) {
		struct token *t = cur(ps);

		if (accept_op(ps, "(")) {
			m = mk(N_CALL, t);
			add(m, n);
			n = m;
			if (arguments(ps, n) == NULL)
				break;
		} else if (accept_op(ps, "[")) {
			struct node *first;

			m = mk(N_SUBSCR, t);
			add(m, n);
			n = m;
			if ((first = subscript(ps)) == NULL)
				break;
			if (is_op(ps, ",")) {
				struct node *tup = mk(N_TUPLE, t);

				add(tup, first);
				while (accept_op(ps, ",") && !is_op(ps, "]")) {
					struct node *e = subscript(ps);

					if (e == NULL)
						break;
					add(tup, e);
				}
				first = tup;
			}
			add(n, first);
			if (err_occurred())
				break;
			if (!accept_op(ps, "]")) {
				fail(ps);
				break;
			}
		} else if (accept_op(ps, ".")) {
			if (cur(ps)->kind != T_NAME ||
			    in_list(keywords, cur(ps)->text)) {
				fail(ps);
				break;
			}
			m = mk(N_ATTR, t);
			m->name = xstrdup(cur(ps)->text);
			add(m, n);
			n = m;
			ps->i++;
		} else {
			return n;
		}
	}
	node_free(n);
	return NULL;
}

static struct node *
power(struct parser *ps)
{
	struct node *n = primary(ps), *m;
	struct token *t = cur(ps);

	if (n == NULL || !accept_op(ps, "**"))
		return n;
	m = mk(N_BINOP, t);
	m->op = OP_POW;
	add(m, n);
	if (++ps->depth > MAX_DEPTH) {
		node_free(m);
		return fail_at(ps, t, "%s", "too many nested operators");
	}
	if ((n = factor(ps)) == NULL) {
		node_free(m);
		return NULL;
	}
	ps->depth--;
	add(m, n);
	if (too_tall(m)) {
		node_free(m);
		return NULL;
	}
	return m;
}

static struct node *
factor(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n, *e;
	int op;

	if (is_op(ps, "-"))
		op = OP_NEG;
	else if (is_op(ps, "+"))
		op = OP_POS;
	else if (is_op(ps, "~"))
		op = OP_INVERT;
	else
		return power(ps);
	ps->i++;
	if (++ps->depth > MAX_DEPTH)
		return fail_at(ps, t, "%s", "too many nested operators");
	if ((e = factor(ps)) == NULL)
		return NULL;
	ps->depth--;
	n = mk(N_UNARY, t);
	n->op = op;
	add(n, e);
	return n;
}

/* A left-associative binary level: ops[] names the operators, codes[] their
 * enum op, next parses the operands. */
static struct node *
binary_level(struct parser *ps, const char *const ops[], const int codes[],
    struct node *(*next)(struct parser *))
{
	struct node *n = next(ps);

	while (n) {
		struct token *t = cur(ps);
		struct node *m, *r;
		int k;

		for (k = 0; ops[k]; k++)
			if (is_op(ps, ops[k]))
				break;
		if (ops[k] == NULL)
			return n;
		ps->i++;
		m = mk(N_BINOP, t);
		m->op = codes[k];
		add(m, n);
		n = m;
		if ((r = next(ps)) == NULL)
			break;
		add(n, r);
		if (too_tall(n))
			break;
	}
	node_free(n);
	return NULL;
}

static struct node *
term(struct parser *ps)
{
	static const char *const ops[] = { "*", "/", "//", "%", "@", NULL };
	static const int codes[] = { OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD,
	    OP_MATMUL };

	return binary_level(ps, ops, codes, factor);
}

static struct node *
arith(struct parser *ps)
{
	static const char *const ops[] = { "+", "-", NULL };
	static const int codes[] = { OP_ADD, OP_SUB };

	return binary_level(ps, ops, codes, term);
}

static struct node *
shift(struct parser *ps)
{
	static const char *const ops[] = { "<<", ">>", NULL };
	static const int codes[] = { OP_LSHIFT, OP_RSHIFT };

	return binary_level(ps, ops, codes, arith);
}

static struct node *
band(struct parser *ps)
{
	static const char *const ops[] = { "&", NULL };
	static const int codes[] = { OP_AND };

	return binary_level(ps, ops, codes, shift);
}

static struct node *
bxor(struct parser *ps)
{
	static const char *const ops[] = { "^", NULL };
	static const int codes[] = { OP_XOR };

	return binary_level(ps, ops, codes, band);
}

static struct node *
bor(struct parser *ps)
{
	static const char *const ops[] = { "|", NULL };
	static const int codes[] = { OP_OR };

	return binary_level(ps, ops, codes, bxor);
}

/* The comparison operator at the cursor (taken), or -1. */
static int
compare_op(struct parser *ps)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=",
	    NULL };
	static const int codes[] = { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
	int k;

	for (k = 0; ops[k]; k++)
		if (accept_op(ps, ops[k]))
			return codes[k];
	if (is_kw(ps, "in")) {
		ps->i++;
		return OP_IN;
	}
	if (is_kw(ps, "is")) {
		ps->i++;
		if (is_kw(ps, "not")) {
			ps->i++;
			return OP_ISNOT;
		}
		return OP_IS;
	}
	if (is_kw(ps, "not") && ps->ts.t[ps->i + 1].kind == T_NAME &&
	    strcmp(ps->ts.t[ps->i + 1].text, "in") == 0) {
		ps->i += 2;
		return OP_NOTIN;
	}
	return -1;
}

/* A constant `is` should not be used with (CPython warns). */
static int
is_literal(const struct node *n)
{
	return n->kind == N_CONST && n->v->kind != V_NONE &&
	    n->v->kind != V_BOOL;
}

static struct node *
comparison(struct parser *ps)
{
	struct node *n = bor(ps), *m = NULL;
	int op;

	while (n && (op = compare_op(ps)) >= 0) {
		struct node *r;

		if (m == NULL) {
			m = mk(N_COMPARE, &ps->ts.t[ps->i - 1]);
			m->line = n->line;
			m->col = n->col;
			add(m, n);
		}
		m->ops = xrealloc(m->ops, m->nkids * sizeof *m->ops);
		m->ops[m->nkids - 1] = op;
		if ((r = bor(ps)) == NULL) {
			node_free(m);
			return NULL;
		}
		add(m, r);
		if (too_tall(m)) {
			node_free(m);
			return NULL;
		}
		if ((op == OP_IS || op == OP_ISNOT) &&
		    (is_literal(m->kids[m->nkids - 2]) ||
		    is_literal(r)))
			fprintf(stderr,
			    "%s:%d: SyntaxWarning: \"%s\" with a literal. "
			    "Did you mean \"%s\"?\n", ps->filename, m->line,
			    op == OP_IS ? "is" : "is not",
			    op == OP_IS ? "==" : "!=");
	}
	return m ? m : n;
}

static struct node *
not_test(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n, *e;

	if (!is_kw(ps, "not"))
		return comparison(ps);
	ps->i++;
	if (++ps->depth > MAX_DEPTH)
		return fail_at(ps, t, "%s", "too many nested operators");
	if ((e = not_test(ps)) == NULL)
		return NULL;
	ps->depth--;
	n = mk(N_NOT, t);
	add(n, e);
	return n;
}

/* kw-joined operands: "and" over not_test, "or" over and_test. */
static struct node *
bool_level(struct parser *ps, const char *kw, enum nkind k,
    struct node *(*next)(struct parser *))
{
	struct node *n = next(ps), *m = NULL;

	while (n && is_kw(ps, kw)) {
		struct node *r;

		if (m == NULL) {
			m = mk(k, cur(ps));
			add(m, n);
		}
		ps->i++;
		if ((r = next(ps)) == NULL) {
			node_free(m);
			return NULL;
		}
		add(m, r);
		if (too_tall(m)) {
			node_free(m);
			return NULL;
		}
	}
	return m ? m : n;
}

static struct node *
and_test(struct parser *ps)
{
	return bool_level(ps, "and", N_AND, not_test);
}

static struct node *
or_test(struct parser *ps)
{
	return bool_level(ps, "or", N_OR, and_test);
}

/* One parameter NAME ['=' test] of def or lambda, of kind pk, checked
 * against those before it in n. */
static struct node *
parameter(struct parser *ps, const struct node *n, int pk)
{
	struct token *t = cur(ps);
	const struct node *last = n->nkids ? n->kids[n->nkids - 1] : NULL;
	struct node *p, *e;
	size_t k;

	if (t->kind != T_NAME || in_list(keywords, t->text))
		return fail(ps);
	for (k = 0; k < n->nkids; k++)
		if (strcmp(n->kids[k]->name, t->text) == 0)
			return fail_at(ps, t, "duplicate argument '%s' in "
			    "function definition", t->text);
	p = mk(N_NAME, t);
	p->name = xstrdup(t->text);
	p->op = pk;
	ps->i++;
	if (is_op(ps, "=") && (pk == PK_VARARGS || pk == PK_VARKW)) {
		node_free(p);
		return fail_at(ps, cur(ps), "%s", pk == PK_VARARGS ?
		    "var-positional argument cannot have default value" :
		    "var-keyword argument cannot have default value");
	}
	if (accept_op(ps, "=")) {
		if ((e = test(ps)) == NULL) {
			node_free(p);
			return NULL;
		}
		add(p, e);
	} else if (pk == PK_PLAIN && last && last->nkids) {
		node_free(p);
		return fail_at(ps, t, "%s",
		    "non-default argument follows default argument");
	}
	return p;
}

/* The parameters of def (up to ')') or lambda (up to ':') into n: plain
 * ones, '*' [NAME], keyword-only ones, '**' NAME, with CPython's errors. */
static int
parameters(struct parser *ps, struct node *n, const char *close)
{
	int pk = PK_PLAIN, bare = 0;

	while (!is_op(ps, close)) {
		struct token *t = cur(ps);
		struct node *p;
		int kind = pk;

		if (n->nkids && n->kids[n->nkids - 1]->op == PK_VARKW) {
			fail_at(ps, t, "%s",
			    "arguments cannot follow var-keyword argument");
			return -1;
		}
		if (accept_op(ps, "**")) {
			kind = PK_VARKW;
		} else if (accept_op(ps, "*")) {
			if (pk == PK_KWONLY) {
				fail_at(ps, t, "%s",
				    "* argument may appear only once");
				return -1;
			}
			pk = PK_KWONLY;
			if (is_op(ps, ",") || is_op(ps, close)) {
				bare = 1;
				if (!accept_op(ps, ",") || is_op(ps, close) ||
				    is_op(ps, "**")) {
					fail_at(ps, t, "%s", "named arguments "
					    "must follow bare *");
					return -1;
				}
				continue;
			}
			kind = PK_VARARGS;
		} else if (is_op(ps, "/")) {
			fail_at(ps, t, "%s", "'/' parameters are not "
			    "supported by sockit eval");
			return -1;
		}
		if ((p = parameter(ps, n, kind)) == NULL)
			return -1;
		add(n, p);
		if (!accept_op(ps, ","))
			break;
	}
	(void)bare;
	return 0;
}

/* The test that ends n (started at t), a level deeper: lambda's body, a
 * conditional expression's else.  0 or -1. */
static int
last_test(struct parser *ps, struct node *n, const struct token *t)
{
	struct node *e;

	if (++ps->depth > MAX_DEPTH) {
		fail_at(ps, t, "%s", "too many nested operators");
		return -1;
	}
	if ((e = test(ps)) == NULL)
		return -1;
	ps->depth--;
	add(n, e);
	return too_tall(n) ? -1 : 0;
}

/* lambda [parameters]: test */
static struct node *
lambdef(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n = mk(N_LAMBDA, t);

	ps->i++;
	if (parameters(ps, n, ":") < 0)
		goto bad;
	if (!accept_op(ps, ":")) {
		fail(ps);
		goto bad;
	}
	if (last_test(ps, n, t) < 0)
		goto bad;
	return n;
bad:
	node_free(n);
	return NULL;
}

/* test: or_test ['if' or_test 'else' test] */
static struct node *
test(struct parser *ps)
{
	struct node *n, *m, *e;
	struct token *t;

	if (is_kw(ps, "lambda"))
		return lambdef(ps);
	n = or_test(ps);
	t = cur(ps);
	if (n == NULL || !is_kw(ps, "if"))
		return n;
	ps->i++;
	m = mk(N_IFEXP, t);
	add(m, n);
	if ((e = or_test(ps)) == NULL)
		goto bad;
	add(m, e);
	if (!is_kw(ps, "else")) {
		fail_at(ps, cur(ps), "%s",
		    "expected 'else' after 'if' expression");
		goto bad;
	}
	ps->i++;
	if (last_test(ps, m, t) < 0)
		goto bad;
	return m;
bad:
	node_free(m);
	return NULL;
}

/* Can the statement's next token start an expression? */
static int
ends_statement(struct parser *ps)
{
	return cur(ps)->kind == T_NEWLINE || cur(ps)->kind == T_EOF ||
	    is_op(ps, ";");
}

/* testlist: test (',' test)* [','], a tuple when there is a comma. */
static struct node *
testlist(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n = star_expr(ps), *tup;

	if (n == NULL || !is_op(ps, ","))
		return n;
	tup = mk(N_TUPLE, t);
	add(tup, n);
	while (accept_op(ps, ",")) {
		if (ends_statement(ps) || is_op(ps, "=") ||
		    (cur(ps)->kind == T_OP &&
		    strlen(cur(ps)->text) >= 2 &&
		    cur(ps)->text[strlen(cur(ps)->text) - 1] == '=' &&
		    strcmp(cur(ps)->text, "==") &&
		    strcmp(cur(ps)->text, "<=") &&
		    strcmp(cur(ps)->text, ">=") && strcmp(cur(ps)->text, "!=")))
			break;
		if ((n = star_expr(ps)) == NULL) {
			node_free(tup);
			return NULL;
		}
		add(tup, n);
	}
	return tup;
}

/* Checks that n can be assigned to; CPython's messages for the rest. */
static int
check_target(struct parser *ps, struct node *n, int del, int here)
{
	struct token fake = { 0 };
	const char *what = NULL;
	size_t i;

	switch (n->kind) {
	case N_NAME: case N_ATTR: case N_SUBSCR:
		return 0;
	case N_STAR:
		fake.line = n->line;
		fake.col = n->col;
		fail_at(ps, &fake, "%s", del ? "cannot delete starred" :
		    "starred assignment target must be in a list or tuple");
		return -1;
	case N_TUPLE: case N_LIST: {
		size_t stars = 0;

		for (i = 0; i < n->nkids; i++) {
			struct node *k = n->kids[i];

			if (k->kind == N_STAR && !del) {
				if (stars++) {
					fake.line = n->line;
					fake.col = n->col;
					fail_at(ps, &fake, "%s", "multiple "
					    "starred expressions in "
					    "assignment");
					return -1;
				}
				k = k->kids[0];
			}
			if (check_target(ps, k, del, here &&
			    n->kind == N_TUPLE &&
			    i + 1 == n->nkids) < 0)
				return -1;
		}
		return 0;
	}
	case N_LAMBDA: what = "lambda"; break;
	case N_COMP: what = n->op == '[' ? "list comprehension" : n->op ==
		'{' ? "set comprehension" : n->op == ':' ?
		"dict comprehension" : "generator expression"; break;
	case N_CONST: what = n->v->kind == V_NONE || n->v->kind == V_BOOL
		? (n->v->kind == V_NONE ? "None" : n->v->u.b ? "True" :
		    "False") : "literal"; break;
	case N_CALL: what = "function call"; break;
	case N_COMPARE: what = "comparison"; break;
	case N_IFEXP: what = "conditional expression"; break;
	case N_DICT: what = "dict literal"; break;
	case N_SET: what = "set display"; break;
	default: what = "expression"; break;
	}
	fake.line = n->line;
	fake.col = n->col;
	fake.kind = T_NAME;
	if (del)
		fail_at(ps, &fake, "cannot delete %s", what);
	else if (here && n->kind != N_DICT && n->kind != N_SET &&
	    n->kind != N_COMPARE &&
	    n->kind != N_IFEXP)
		fail_at(ps, &fake,
		    "cannot assign to %s here. "
		    "Maybe you meant '==' instead of '='?", what);
	else
		fail_at(ps, &fake, "cannot assign to %s", what);
	return -1;
}

static const char *const augops[] = {
	"+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "<<=", ">>=", "&=",
	    "|=", "^=", NULL
};
static const int augcodes[] = {
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW, OP_MATMUL,
	OP_LSHIFT, OP_RSHIFT, OP_AND, OP_OR, OP_XOR
};

/* An expression statement, assignment or augmented assignment. */
static struct node *
expr_statement(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n = testlist(ps), *s;
	int k;

	if (n == NULL)
		return NULL;
	for (k = 0; augops[k]; k++)
		if (is_op(ps, augops[k]))
			break;
	if (augops[k]) {
		ps->i++;
		s = mk(S_AUGASSIGN, t);
		s->op = augcodes[k];
		add(s, n);
		if (n->kind != N_NAME && n->kind != N_ATTR &&
		    n->kind != N_SUBSCR) {
			fail_at(ps, t, "%s", "'tuple' is an illegal expression for augmented assignment");
			goto bad;
		}
		if ((n = testlist(ps)) == NULL)
			goto bad;
		add(s, n);
		return s;
	}
	if (!is_op(ps, "=")) {
		s = mk(S_EXPR, t);
		add(s, n);
		if (n->kind == N_STAR) {
			fail_at(ps, t, "%s", star_here);
			goto bad;
		}
		return s;
	}
	s = mk(S_ASSIGN, t);
	add(s, n);
	while (accept_op(ps, "=")) {
		if ((n = testlist(ps)) == NULL)
			goto bad;
		add(s, n);
	}
	if (n->kind == N_STAR) {
		fail_at(ps, t, "%s", star_here);
		goto bad;
	}
	for (k = 0; k + 1 < (int)s->nkids; k++)
		if (check_target(ps, s->kids[k], 0, s->nkids == 2) < 0)
			goto bad;
	return s;
bad:
	node_free(s);
	return NULL;
}

/* import socket / from socket import ...: the names are already bound; an
 * S_PASS whose kids are the imported names (N_NAME, "as" aliases skipped),
 * which the interpreter checks exist (ImportError). */
static struct node *
import_statement(struct parser *ps, struct token *t)
{
	int from = strcmp(t->text, "from") == 0;
	struct node *s;

	ps->i++;
	if (cur(ps)->kind != T_NAME)
		return fail(ps);
	if (strcmp(cur(ps)->text, "socket") != 0)
		return fail_at(ps, cur(ps),
		    "only the socket module can be imported in "
		    "sockit eval, not '%s'", cur(ps)->text);
	ps->i++;
	if (from) {
		if (!is_kw(ps, "import"))
			return fail(ps);
		ps->i++;
		s = mk(S_PASS, t);
		while (!ends_statement(ps)) {
			struct token *w = cur(ps);

			ps->i++;
			if (w->kind == T_NAME && strcmp(w->text, "as") == 0) {
				if (!ends_statement(ps))
					ps->i++;	/* the alias */
			} else if (w->kind == T_NAME) {
				struct node *n = mk(N_NAME, w);

				n->name = xstrdup(w->text);
				add(s, n);
			}
		}
		return s;
	} else if (!ends_statement(ps)) {
		return fail(ps);
	}
	return mk(S_PASS, t);
}

/* break / continue, which must be in a loop. */
static struct node *
loop_jump(struct parser *ps, struct token *t)
{
	int brk = strcmp(t->text, "break") == 0;

	if (ps->loops == 0)
		return fail_at(ps, t, "%s", brk ? "'break' outside loop" :
		    "'continue' not properly in loop");
	ps->i++;
	return mk(brk ? S_BREAK : S_CONTINUE, t);
}

/* raise [test [from test]] */
static struct node *
raise_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_RAISE, t), *e = NULL;

	ps->i++;
	if (!ends_statement(ps) && (e = test(ps)) == NULL)
		goto bad;
	add(n, e);
	e = NULL;
	if (n->kids[0] && is_kw(ps, "from")) {
		ps->i++;
		if ((e = test(ps)) == NULL)
			goto bad;
	}
	add(n, e);
	return n;
bad:
	node_free(n);
	return NULL;
}

/* global NAME (',' NAME)* and nonlocal: the names for scope.c. */
static struct node *
declaration(struct parser *ps, struct token *t)
{
	struct node *n = mk(t->text[0] == 'g' ? S_GLOBAL : S_NONLOCAL, t), *e;

	ps->i++;
	do {
		if (cur(ps)->kind != T_NAME || in_list(keywords,
		    cur(ps)->text)) {
			node_free(n);
			return fail(ps);
		}
		e = mk(N_NAME, cur(ps));
		e->name = xstrdup(cur(ps)->text);
		add(n, e);
		ps->i++;
	} while (accept_op(ps, ","));
	return n;
}

/* assert test [',' test] */
static struct node *
assert_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_ASSERT, t), *e = NULL;

	ps->i++;
	if ((e = test(ps)) == NULL)
		goto bad;
	add(n, e);
	e = NULL;
	if (accept_op(ps, ",") && (e = test(ps)) == NULL)
		goto bad;
	add(n, e);
	return n;
bad:
	node_free(n);
	return NULL;
}

static struct node *
simple_statement(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n;

	if (t->kind == T_NAME && strcmp(t->text, "pass") == 0) {
		ps->i++;
		return mk(S_PASS, t);
	}
	if (t->kind == T_NAME && (strcmp(t->text, "break") == 0 ||
	    strcmp(t->text, "continue") == 0))
		return loop_jump(ps, t);
	if (t->kind == T_NAME && strcmp(t->text, "raise") == 0)
		return raise_statement(ps, t);
	if (t->kind == T_NAME && strcmp(t->text, "return") == 0) {
		if (ps->defs == 0)
			return fail_at(ps, t, "%s",
			    "'return' outside function");
		ps->i++;
		n = mk(S_RETURN, t);
		if (ends_statement(ps)) {
			add(n, NULL);
			return n;
		}
		{
			struct node *e = testlist(ps);

			if (e == NULL) {
				node_free(n);
				return NULL;
			}
			add(n, e);
			if (e->kind == N_STAR) {
				node_free(n);
				return fail_at(ps, t, "%s", star_here);
			}
		}
		return n;
	}
	if (t->kind == T_NAME && (strcmp(t->text, "import") == 0 ||
	    strcmp(t->text, "from") == 0))
		return import_statement(ps, t);
	if (t->kind == T_NAME && strcmp(t->text, "del") == 0) {
		ps->i++;
		if ((n = testlist(ps)) == NULL)
			return NULL;
		if (check_target(ps, n, 1, 0) < 0) {
			node_free(n);
			return NULL;
		}
		{
			struct node *s = mk(S_DEL, t);

			add(s, n);
			return s;
		}
	}
	if (t->kind == T_NAME && (strcmp(t->text, "global") == 0 ||
	    strcmp(t->text, "nonlocal") == 0))
		return declaration(ps, t);
	if (t->kind == T_NAME && strcmp(t->text, "assert") == 0)
		return assert_statement(ps, t);
	if (t->kind == T_NAME && in_list(unsupported, t->text))
		return fail_at(ps, t,
		    "'%s' statements are not supported by sockit eval",
		    t->text);
	return expr_statement(ps);
}

/* simple_stmt (';' simple_stmt)* [';'] NEWLINE, added to the block b.
 * Returns 0 or -1. */
static int
simple_statements(struct parser *ps, struct node *b)
{
	struct node *s;
	size_t k;

	for (;;) {
		if ((s = simple_statement(ps)) == NULL)
			return -1;
		add(b, s);
		for (k = 0; k < s->nkids; k++)
			if (too_tall(s->kids[k]))
				return -1;
		if (!accept_op(ps, ";"))
			break;
		if (is_op(ps, ";")) {
			fail(ps);
			return -1;
		}
		if (cur(ps)->kind == T_NEWLINE || cur(ps)->kind == T_EOF)
			break;
	}
	if (cur(ps)->kind == T_NEWLINE)
		ps->i++;
	else if (cur(ps)->kind != T_EOF) {
		fail(ps);
		return -1;
	}
	return 0;
}

/* IndentationError msg at t.  Returns NULL. */
static void *
fail_indent(struct parser *ps, const struct token *t, const char *msg)
{
	fail_at(ps, t, "%s", msg);
	err_set(EXC_INDENTATION, "%s", msg);
	return NULL;
}

static int statement(struct parser *ps, struct node *b);

/* ':' and the block of the compound statement that kw starts: the rest of
 * the line, or an indented block on the lines after it. */
static struct node *
suite(struct parser *ps, const struct token *kw)
{
	struct node *b;
	char msg[96];

	/* a header that ends early: CPython's "expected ':'" */
	if (!accept_op(ps, ":"))
		return cur(ps)->kind == T_NEWLINE || cur(ps)->kind == T_EOF ?
		    fail_at(ps, cur(ps), "%s", "expected ':'") : fail(ps);
	b = mk(S_BLOCK, cur(ps));
	if (cur(ps)->kind != T_NEWLINE) {
		if (simple_statements(ps, b) < 0)
			goto bad;
		return b;
	}
	ps->i++;
	if (cur(ps)->kind != T_INDENT) {
		if (strcmp(kw->text, "def") == 0)
			snprintf(msg, sizeof msg, "expected an indented block "
			    "after function definition on line %d", kw->line);
		else
			snprintf(msg, sizeof msg, "expected an indented block "
			    "after '%s' statement on line %d", kw->text,
			    kw->line);
		fail_indent(ps, cur(ps), msg);
		goto bad;
	}
	ps->i++;
	while (cur(ps)->kind != T_DEDENT && cur(ps)->kind != T_EOF)
		if (statement(ps, b) < 0)
			goto bad;
	if (cur(ps)->kind == T_DEDENT)
		ps->i++;
	return b;
bad:
	node_free(b);
	return NULL;
}

/* test ':' suite: the condition and block of if, elif and while, added to
 * n.  0 or -1. */
static int
test_suite(struct parser *ps, struct node *n, const struct token *kw)
{
	struct node *e, *b;

	ps->i++;
	if ((e = test(ps)) == NULL)
		return -1;
	add(n, e);
	if (too_tall(e))
		return -1;
	if ((b = suite(ps, kw)) == NULL)
		return -1;
	add(n, b);
	return 0;
}

/* ['else' ':' suite] of if, while and for: the block or a NULL kid. */
static int
else_suite(struct parser *ps, struct node *n)
{
	struct token *t = cur(ps);
	struct node *b = NULL;

	if (is_kw(ps, "else")) {
		ps->i++;
		if ((b = suite(ps, t)) == NULL)
			return -1;
	}
	add(n, b);
	return 0;
}

/* if ... elif ... else: each elif an S_IF in the else place of the one
 * before. */
static struct node *
if_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_IF, t), *last = n, *m;

	if (test_suite(ps, n, t) < 0)
		goto bad;
	while (is_kw(ps, "elif")) {
		struct token *e = cur(ps);

		m = mk(S_IF, e);
		add(last, m);
		last = m;
		if (test_suite(ps, m, e) < 0)
			goto bad;
	}
	if (else_suite(ps, last) < 0)
		goto bad;
	return n;
bad:
	node_free(n);
	return NULL;
}

/* A suite inside n more of CPython's compiler blocks (a try's block and
 * finally 1, an except's 2: the handler and its cleanup), 20 at most. */
static struct node *
counted_suite(struct parser *ps, const struct token *kw, int n)
{
	struct node *b;

	if (ps->blocks + n > MAX_BLOCKS)
		return fail_at(ps, kw, "%s",
		    "too many statically nested blocks");
	ps->blocks += n;
	b = suite(ps, kw);
	ps->blocks -= n;
	return b;
}

/* The loop's block (break and continue allowed) and its else. */
static int
loop_suites(struct parser *ps, struct node *n, const struct token *kw)
{
	struct node *b;

	ps->loops++;
	b = counted_suite(ps, kw, 1);
	ps->loops--;
	if (b == NULL)
		return -1;
	add(n, b);
	return else_suite(ps, n);
}

/* The targets of for: expr (',' expr)* [','] up to 'in'. */
static struct node *
for_targets(struct parser *ps)
{
	struct token *t = cur(ps);
	struct node *n = star_or(ps, bor), *tup, *e;

	if (n == NULL || !is_op(ps, ","))
		return n;
	tup = mk(N_TUPLE, t);
	add(tup, n);
	while (accept_op(ps, ",") && !is_kw(ps, "in")) {
		if ((e = star_or(ps, bor)) == NULL) {
			node_free(tup);
			return NULL;
		}
		add(tup, e);
	}
	return tup;
}

/* The targets of for (a loop's or a comprehension's) and 'in': the
 * targets added to n.  0 or -1. */
static int
for_in(struct parser *ps, struct node *n)
{
	struct node *e = for_targets(ps);

	if (e == NULL)
		return -1;
	add(n, e);
	if (check_target(ps, e, 0, 0) < 0)
		return -1;
	if (!is_kw(ps, "in")) {
		fail(ps);
		return -1;
	}
	ps->i++;
	return 0;
}

/* The loop n (at t) after its header's last expression e (NULL: it failed):
 * its body and else, or NULL with n freed. */
static struct node *
loop_rest(struct parser *ps, struct node *n, struct token *t, struct node *e)
{
	if (e == NULL)
		goto bad;
	add(n, e);
	if (too_tall(e) || loop_suites(ps, n, t) < 0)
		goto bad;
	return n;
bad:
	node_free(n);
	return NULL;
}

static struct node *
for_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_FOR, t);

	ps->i++;
	if (for_in(ps, n) < 0)
		goto bad;
	return loop_rest(ps, n, t, testlist(ps));
bad:
	node_free(n);
	return NULL;
}

static struct node *
while_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_WHILE, t);

	ps->i++;
	return loop_rest(ps, n, t, test(ps));
}

/* except [test [as NAME]] ':' suite.  *bare: it had no class. */
static struct node *
except_clause(struct parser *ps, int *bare)
{
	struct token *t = cur(ps);
	struct node *h = mk(S_EXCEPT, t), *e = NULL, *b;

	ps->i++;
	*bare = is_op(ps, ":");
	if (!*bare) {
		if ((e = test(ps)) == NULL)
			goto bad;
		add(h, e);
		if (is_op(ps, ",")) {
			fail_at(ps, &ps->ts.t[ps->i - 1], "%s",
			    "multiple exception types must be parenthesized");
			goto bad;
		}
		if (is_kw(ps, "as")) {
			ps->i++;
			if (cur(ps)->kind != T_NAME ||
			    in_list(keywords, cur(ps)->text)) {
				fail(ps);
				goto bad;
			}
			h->name = xstrdup(cur(ps)->text);
			ps->i++;
		}
	} else {
		add(h, NULL);
	}
	if ((b = counted_suite(ps, t, 2)) == NULL)
		goto bad;
	add(h, b);
	return h;
bad:
	node_free(h);
	return NULL;
}

/* try: the block, its handlers (a bare except last), else, finally. */
static struct node *
try_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_TRY, t), *b;
	struct token *bare_at = NULL;
	int bare, nh = 0;

	ps->i++;
	if ((b = counted_suite(ps, t, 1)) == NULL)
		goto bad;
	add(n, b);
	while (is_kw(ps, "except")) {
		struct token *e = cur(ps);

		if (bare_at) {
			fail_at(ps, bare_at, "%s",
			    "default 'except:' must be last");
			goto bad;
		}
		if ((b = except_clause(ps, &bare)) == NULL)
			goto bad;
		add(n, b);
		nh++;
		if (bare)
			bare_at = e;
	}
	if (nh == 0 && !is_kw(ps, "finally")) {
		fail_at(ps, cur(ps), "%s",
		    "expected 'except' or 'finally' block");
		goto bad;
	}
	b = NULL;
	if (nh > 0 && else_suite(ps, n) < 0)
		goto bad;
	if (nh == 0)
		add(n, NULL);
	if (is_kw(ps, "finally")) {
		struct token *f = cur(ps);

		ps->i++;
		if ((b = counted_suite(ps, f, 1)) == NULL)
			goto bad;
	}
	add(n, b);
	return n;
bad:
	node_free(n);
	return NULL;
}

/* def NAME '(' parameters ')' ':' block: a new scope for return, with no
 * loop or block around it. */
static struct node *
def_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_DEF, t), *b;
	int loops = ps->loops, blocks = ps->blocks;

	ps->i++;
	if (cur(ps)->kind != T_NAME || in_list(keywords, cur(ps)->text)) {
		fail(ps);
		goto bad;
	}
	n->name = xstrdup(cur(ps)->text);
	ps->i++;
	if (!accept_op(ps, "(")) {
		fail_at(ps, cur(ps), "%s", "expected '('");
		goto bad;
	}
	if (parameters(ps, n, ")") < 0)
		goto bad;
	if (!accept_op(ps, ")")) {
		fail(ps);
		goto bad;
	}
	ps->loops = ps->blocks = 0;
	ps->defs++;
	b = suite(ps, t);
	ps->defs--;
	ps->loops = loops;
	ps->blocks = blocks;
	if (b == NULL)
		goto bad;
	add(n, b);
	return n;
bad:
	node_free(n);
	return NULL;
}

/* with ITEM (',' ITEM)* ':' block, ITEM: test ['as' target]: an S_WITH of
 * the items' expression and target (or NULL) pairs, then the block. */
static struct node *
with_statement(struct parser *ps, struct token *t)
{
	struct node *n = mk(S_WITH, t), *e, *b;
	int items = 0;

	ps->i++;
	do {
		if ((e = test(ps)) == NULL)
			goto bad;
		add(n, e);
		e = NULL;
		if (is_kw(ps, "as")) {
			ps->i++;
			if ((e = star_or(ps, bor)) == NULL)
				goto bad;
			add(n, e);
			if (check_target(ps, e, 0, 0) < 0)
				goto bad;
		} else {
			add(n, NULL);
		}
		items++;
	} while (accept_op(ps, ","));
	if ((b = counted_suite(ps, t, items)) == NULL)
		goto bad;
	add(n, b);
	return n;
bad:
	node_free(n);
	return NULL;
}

/* One statement (a compound one, or a line of simple ones), added to the
 * block b.  Returns 0 or -1. */
static int
statement(struct parser *ps, struct node *b)
{
	struct token *t = cur(ps);
	struct node *n = NULL;

	if (t->kind == T_NEWLINE) {
		ps->i++;
		return 0;
	}
	if (t->kind == T_INDENT) {
		fail_indent(ps, t, "unexpected indent");
		return -1;
	}
	if (is_kw(ps, "if"))
		n = if_statement(ps, t);
	else if (is_kw(ps, "while"))
		n = while_statement(ps, t);
	else if (is_kw(ps, "for"))
		n = for_statement(ps, t);
	else if (is_kw(ps, "try"))
		n = try_statement(ps, t);
	else if (is_kw(ps, "def"))
		n = def_statement(ps, t);
	else if (is_kw(ps, "with"))
		n = with_statement(ps, t);
	else
		return simple_statements(ps, b);
	if (n == NULL)
		return -1;
	add(b, n);
	return 0;
}

int
parse_program(const char *filename, const char *src, size_t len,
    struct node ***out, size_t *n, struct synerr *where)
{
	struct parser ps;
	struct node *b;

	memset(&ps, 0, sizeof ps);
	ps.filename = filename;
	ps.where = where;
	*out = NULL;
	*n = 0;
	if (lex(src, len, &ps.ts, where) < 0) {
		tokens_free(&ps.ts);
		return -1;
	}
	b = mk(S_BLOCK, cur(&ps));
	while (cur(&ps)->kind != T_EOF) {
		if (statement(&ps, b) < 0) {
			tokens_free(&ps.ts);
			node_free(b);
			return -1;
		}
	}
	tokens_free(&ps.ts);
	if (scope_resolve(b->kids, b->nkids, where) < 0) {
		node_free(b);
		return -1;
	}
	*out = b->kids;
	*n = b->nkids;
	free(b);
	return 0;
}
