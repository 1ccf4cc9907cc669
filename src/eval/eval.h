/* eval.h - the eval language (SPEC section 7): a small Python subset run on
 * real socket objects.  lex.c turns text into tokens, ast.c tokens into a
 * tree, interp.c runs the tree, ops.c holds the operators and builtins.c
 * the builtin names and objects. */
#ifndef SOCKIT_EVAL_H
#define SOCKIT_EVAL_H

#include <stddef.h>
#include "value.h"
#include "call.h"
#include "emit.h"

/* ---- tokens ----------------------------------------------------------- */

enum tok { T_EOF, T_NEWLINE, T_INDENT, T_DEDENT, T_NAME, T_NUM, T_STR, T_OP,
    T_FSTR };

struct token {
	enum tok kind;
	int line, col;		/* 1-based line, 0-based column */
	char *text;		/* T_NAME, T_OP: the text */
	value *v;		/* T_NUM, T_STR: the literal; T_FSTR: its
				 * text */
};

struct tokens {
	struct token *t;
	size_t n, cap;
};

/* Where a syntax error was found, for the caret display. */
struct synerr {
	int line, col;
	int incomplete;		/* more input could complete it (shell) */
};

/* Tokenizes src (len bytes).  Returns 0, or -1 with SyntaxError pending and
 * *where filled in. */
int lex(const char *src, size_t len, struct tokens *out, struct synerr *where);
void tokens_free(struct tokens *ts);
/* The shell's check whether its pending input (src, len bytes, ending in a
 * newline) is unfinished: an open bracket, a triple-quoted string, a
 * trailing backslash, or a compound statement (if, for, ...) whose last
 * line is neither blank nor back at its indentation, as in CPython's REPL.
 * Each call lexes only what was added since the last one (the input only
 * grows between calls); *state (NULL at first) goes back to NULL when the
 * answer is 0, or with lex_incomplete_reset(). */
struct lexinc;
int lex_incomplete(struct lexinc **state, const char *src, size_t len);
void lex_incomplete_reset(struct lexinc **state);
/* The shell's line reader, one line (n bytes, NUL-terminated, as getline
 * gives it) at a time: -1 when it is exit() or quit() alone with nothing
 * pending; else it is added to *pending, and 1 says *pending now holds a
 * complete chunk to run (the caller empties it), 0 that more lines are
 * needed.  cmd_shell and fuzz/fuzz_shell.c share it. */
struct buf;
int shell_line(struct buf *pending, struct lexinc **state, const char *line,
    size_t n);

/* ---- syntax tree ------------------------------------------------------- */

enum nkind {
	/* expressions */
	N_CONST, N_NAME, N_TUPLE, N_LIST, N_DICT, N_SET, N_ATTR, N_SUBSCR,
	N_SLICE, N_CALL, N_KW, N_BINOP, N_UNARY, N_NOT, N_AND, N_OR,
	N_COMPARE, N_IFEXP,
	N_LAMBDA,	/* the parameters (as S_DEF's), then the body */
	N_STAR,		/* *x in a call, display or target */
	N_DSTAR,	/* **x in a call or dict display */
	N_COMP,		/* op: '[', '{' (set), ':' (dict) or '(' (generator);
			 * the element (a dict's key and value), then its
			 * N_COMPFOR and N_COMPIF clauses */
	N_COMPFOR,	/* target, iterable */
	N_COMPIF,	/* condition */
	N_FSTR,		/* an f-string: its parts, N_CONST strs and N_FIELDs */
	N_FIELD,	/* {expression!conversion:spec}: the expression, the
			 * spec (an N_FSTR) or NULL; op: 0, 'r', 's', 'a' */
	/* statements; a block's kids are its statements */
	S_EXPR, S_ASSIGN, S_AUGASSIGN, S_DEL, S_PASS, S_BLOCK,
	S_IF,		/* test, block, else: NULL, a block or an S_IF (elif) */
	S_WHILE,	/* test, block, else block or NULL */
	S_FOR,		/* target, iterable, block, else block or NULL */
	S_BREAK, S_CONTINUE,
	S_TRY,		/* block, S_EXCEPT..., else block or NULL, finally
			 * block or NULL */
	S_EXCEPT,	/* class expression or NULL (bare), block; name: as */
	S_RAISE,	/* exception or NULL (bare), cause or NULL */
	S_DEF,		/* name; kids: the parameters (N_NAME, a default as
			 * their kid), then the block */
	S_RETURN,	/* value or NULL */
	S_GLOBAL, S_NONLOCAL,	/* the names (N_NAME) */
	S_ASSERT,	/* test, message or NULL */
	S_WITH		/* per item its expression and target (or NULL),
			 * then the block */
};

/* Where a name is, in the op of an N_NAME (and of an S_DEF or S_EXCEPT for
 * the name they bind), as scope.c finds it: SC_TOP at the module level,
 * SC_FREE + k for a variable of the function k + 1 scopes out. */
enum { SC_TOP, SC_LOCAL, SC_GLOBAL, SC_FREE };

/* The op of a parameter (an N_NAME kid of S_DEF or N_LAMBDA). */
enum { PK_PLAIN, PK_VARARGS, PK_KWONLY, PK_VARKW };

/* Operators (binary, unary and comparison). */
enum op {
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_FLOORDIV, OP_MOD, OP_POW, OP_MATMUL,
	OP_LSHIFT, OP_RSHIFT, OP_AND, OP_OR, OP_XOR,
	OP_NEG, OP_POS, OP_INVERT,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IS, OP_ISNOT, OP_IN,
	    OP_NOTIN
};

struct node {
	enum nkind kind;
	int line, col;
	int op;			/* N_BINOP, N_UNARY, S_AUGASSIGN; SC_* and
				 * PK_* above */
	int *ops;		/* N_COMPARE: nkids - 1 operators */
	value *v;		/* N_CONST */
	char *name;		/* N_NAME, N_ATTR, N_KW */
	struct node **kids;	/* may hold NULL (N_SLICE parts) */
	size_t nkids;
	int height;		/* 1 for a leaf, else 1 + the tallest kid's */
};

/* Parses a whole program (filename names it in warnings). Returns the
 * statements (NULL-terminated array in *out, count in *n) or -1 with
 * SyntaxError pending and *where set. */
int parse_program(const char *filename, const char *src, size_t len,
    struct node ***out, size_t *n, struct synerr *where);
void nodes_free(struct node **v, size_t n);
/* Finds the scope of every name in the statements (scope.c), with
 * CPython's SyntaxErrors for global and nonlocal.  0, or -1 with
 * SyntaxError pending and *where set. */
int scope_resolve(struct node **stmts, size_t n, struct synerr *where);

/* ---- running ------------------------------------------------------------ */

struct interp;

/* A fresh interpreter: output in format fmt; interactive sets `_`. */
struct interp *interp_new(enum fmt fmt, int interactive);
void interp_free(struct interp *in);
/* Runs one statement.  Returns 0, or -1 with an exception pending. */
int interp_exec(struct interp *in, const struct node *stmt);
/* Hands the interpreter statements it ran, to free with it: the functions
 * they define refer to them (the shell, whose chunks come and go). */
void interp_keep(struct interp *in, struct node **stmts, size_t n);

/* Is v a def'd function or lambda?  Its qualified name (g.<locals>.f). */
int is_function(const value *v);
const char *function_name(const value *v);
/* Calls such a function with the interpreter running the program. */
value *interp_call(value *fn, struct call *c);

/* ---- operators (ops.c) --------------------------------------------------- */

value *op_binary(int op, const value *a, const value *b);
value *op_unary(int op, const value *a);
/* Comparison: 1 true, 0 false, -1 exception pending. */
int op_compare(int op, const value *a, const value *b);
value *op_subscript(const value *obj, const value *index);
/* obj[index] = v.  Returns 0 or -1. */
int op_store_subscript(value *obj, const value *index, value *v);
/* del obj[index]: a list's or bytearray's item or slice, a dict's key. */
int op_delete_subscript(value *obj, const value *index);
/* Is to the value from, or an item of it at any depth?  (1 or 0) */
int value_reaches(const value *from, const value *to);
/* Sets the ValueError for a store that would make a container hold itself
 * (sockit has no cycle collector); returns -1. */
int refuse_cycle(void);
/* A slice object (start, stop, step may be None). */
value *op_slice(value *start, value *stop, value *step);
/* The items of an iterable as a new list (NULL with TypeError pending). */
value *op_iterate(const value *v);
/* len(v) or -1 with TypeError pending. */
long long op_len(const value *v);

/* ---- names and objects (builtins.c) -------------------------------------- */

/* The builtin or `from socket import *` name, or NULL (nothing pending). */
value *builtin_lookup(const char *name);
/* obj.name as a new value (NULL with AttributeError pending). */
value *attr_get(value *obj, const char *name);
/* Calls a callable value. */
value *call_value(value *fn, struct call *c);
/* Appends how CPython's call errors name fn: print(), list.append(),
 * __main__.f(). */
void callable_describe(struct buf *b, const value *fn);
/* Nonzero: call_value() refuses what makes sockets or files, resolves
 * names or touches descriptors (socket, create_*, getaddrinfo, open, ...);
 * only pure functions run, and repetitions, range() and bytes(n) stop at
 * 2**16 items, a program at 2**16 loop iterations and function calls
 * (RuntimeError).  For the fuzz harness. */
extern int eval_sandbox;
/* Sets the stdout format print() and the emitter use. */
void builtins_set_format(enum fmt f);

/* A memoryview: its bytes (*p, *len) and whether it is read-only.
 * Returns 0 when v is not a memoryview. */
int memview_buffer(const value *v, char **p, size_t *len, int *readonly);

/* A memoryview of bytes [start, start+len) of the memoryview mv. */
value *memview_slice(const value *mv, size_t start, size_t len);
/* An iterator of type (generator, enumerate, zip, ...) handing out the
 * items of the list items (stolen). */
value *iterator_new(const char *type, value *items);
/* The items an iterator v has left, as a new list (it is then exhausted),
 * or NULL (nothing pending) when v is no iterator. */
value *iter_rest(const value *v);
/* Is v a range object?  Fills its start, stop, step. */
int is_range(const value *v, int64_t *start, int64_t *stop, int64_t *step);
/* The exception class v stands for (enum exc), or -1 when v is none. */
int exc_class_code(const value *v);

/* ---- formatting (format.c) ---------------------------------------------- */

/* Appends format(v, spec) (spec: n bytes) to out, by CPython's format-spec
 * mini-language for str, int and float (others take an empty spec only).
 * 0, or -1 with CPython's ValueError / TypeError pending. */
int format_value(struct buf *out, const value *v, const char *spec, size_t n);
/* str(v), repr(v) or ascii(v) (conv: 's', 'r', 'a') as a new str. */
value *convert_value(const value *v, int conv);
/* fmt % args, CPython's printf-style formatting of str. */
value *percent_format(const value *fmt, const value *args);
/* fmt.format(*args, **kwargs) of the call c. */
value *str_format(const value *fmt, struct call *c);

/* ---- exception objects (exc.c) ------------------------------------------- */

/* Cls(*args) of an exception class: its args kept as CPython's
 * BaseException keeps them, OSError(errno, strerror[, filename]) with its
 * errno.  NULL with TypeError pending (keyword arguments). */
value *exc_new(enum exc cls, struct call *c);
/* Takes the pending exception as an object (what `except ... as e` binds):
 * the one raise raised, or one made from what sockit raised, with CPython's
 * args, errno, strerror, str and repr.  Nothing is pending after. */
value *exc_fetch_value(void);
/* raise v: an exception object or class.  Returns -1, with v pending, or
 * TypeError when v is neither. */
int exc_raise(value *v);
/* Does cls (a class or a tuple of them) catch an exception of class e?
 * 1, 0, or -1 with TypeError pending (cls is not a class). */
int exc_matches(const value *cls, enum exc e);
/* Is v an exception object of class cls or a subclass? */
int exc_isinstance(const value *v, enum exc cls);


#endif
