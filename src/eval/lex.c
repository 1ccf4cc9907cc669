/* lex.c - the eval language's tokenizer: names, numbers and strings (the
 * literal lexers of parse.c), operators, and logical lines the way Python
 * forms them (brackets and backslashes join lines, '#' comments). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "error.h"
#include "eval/eval.h"
#include "parse.h"

#define MAX_INDENT 100	/* CPython's limit of indentation levels */
#define TAB_MSG "inconsistent use of tabs and spaces in indentation"

struct lexer {
	const char *src, *p, *end, *linestart;
	int line;
	char brackets[200];	/* open brackets; deeper nesting is refused */
	int bline[200], bcol[200];
	int depth;
	int ind[MAX_INDENT];	/* the open indentation levels (columns) */
	int altind[MAX_INDENT];	/* the same with tabs as one column */
	int nind;		/* how many; 0 before the first line */
	int bol;		/* the input ended where a line starts: its
				 * indentation is measured when more comes */
	struct tokens *out;
	struct synerr *where;
};

static const char *const ops3[] = { "**=", "//=", ">>=", "<<=", "...", NULL };
static const char *const ops2[] = {
	"!=", "==", "<=", ">=", "**", "//", "<<", ">>", "+=", "-=", "*=", "/=",
	"%=", "&=", "|=", "^=", "@=", "->", ":=", NULL
};
static const char ops1[] = "+-*/%@&|^~<>()[]{},:.;=";

static int
is_name_start(int c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int
is_name_char(int c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static int
col_of(const struct lexer *lx, const char *at)
{
	return (int)(at - lx->linestart);
}

/* Sets SyntaxError msg at position at.  Returns -1. */
static int
lex_fail(struct lexer *lx, const char *at, int incomplete, const char *msg)
{
	lx->where->line = lx->line;
	lx->where->col = col_of(lx, at);
	lx->where->incomplete = incomplete;
	err_set(EXC_SYNTAX, "%s", msg);
	return -1;
}

/* Appends a token of kind k starting at at. */
static struct token *
push(struct lexer *lx, enum tok k, const char *at)
{
	struct tokens *ts = lx->out;
	struct token *t;

	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 64;
		ts->t = xrealloc(ts->t, ts->cap * sizeof *ts->t);
	}
	t = &ts->t[ts->n++];
	memset(t, 0, sizeof *t);
	t->kind = k;
	t->line = lx->line;
	t->col = col_of(lx, at);
	return t;
}

/* Ends a logical line unless it is empty or inside brackets. */
static void
newline(struct lexer *lx, const char *at)
{
	if (lx->depth == 0 && lx->out->n > 0 &&
	    lx->out->t[lx->out->n - 1].kind != T_NEWLINE)
		push(lx, T_NEWLINE, at);
}

/* Sets the IndentationError (or TabError) msg at at.  Returns -1. */
static int
indent_fail(struct lexer *lx, const char *at, enum exc e, const char *msg)
{
	lex_fail(lx, at, 0, msg);
	err_set(e, "%s", msg);
	return -1;
}

/* Measures the indentation at the start of a logical line the way CPython's
 * tokenizer does: col with tabs to multiples of 8, altcol with tabs of 1; a
 * form feed starts again.  Blank and comment lines do not count.  The first
 * line's indentation is the program's (sockit strips that common
 * indentation); deeper lines push INDENT, shallower ones DEDENT.  Returns 0
 * or -1. */
static int
indentation(struct lexer *lx)
{
	const char *q = lx->p;
	int col = 0, alt = 0, top;

	for (; q < lx->end; q++) {
		if (*q == ' ') {
			col++;
			alt++;
		} else if (*q == '\t') {
			col = (col / 8 + 1) * 8;
			alt++;
		} else if (*q == '\f') {
			col = alt = 0;
		} else {
			break;
		}
	}
	if (q >= lx->end) {	/* nothing on the line yet */
		lx->bol = 1;
		return 0;
	}
	lx->p = q;
	if (*q == '\n' || *q == '\r' || *q == '#' ||
	    (*q == '\\' && q + 1 < lx->end && q[1] == '\n'))
		return 0;
	if (lx->nind == 0) {
		lx->ind[0] = col;
		lx->altind[0] = alt;
		lx->nind = 1;
		return 0;
	}
	top = lx->nind - 1;
	if (col == lx->ind[top]) {
		if (alt != lx->altind[top])
			return indent_fail(lx, q, EXC_TAB, TAB_MSG);
	} else if (col > lx->ind[top]) {
		if (lx->nind >= MAX_INDENT)
			return indent_fail(lx, q, EXC_INDENTATION,
			    "too many levels of indentation");
		if (alt <= lx->altind[top])
			return indent_fail(lx, q, EXC_TAB, TAB_MSG);
		lx->ind[lx->nind] = col;
		lx->altind[lx->nind++] = alt;
		push(lx, T_INDENT, q);
	} else {
		while (lx->nind > 1 && col < lx->ind[lx->nind - 1]) {
			lx->nind--;
			push(lx, T_DEDENT, q);
		}
		if (col != lx->ind[lx->nind - 1])
			return indent_fail(lx, q, EXC_INDENTATION,
			    "unindent does not match any outer indentation "
			    "level");
		if (alt != lx->altind[lx->nind - 1])
			return indent_fail(lx, q, EXC_TAB, TAB_MSG);
	}
	return 0;
}

/* Does [p, end) hold an unescaped triple quote q?  p starts unescaped
 * (after an opening quote, or a newline). */
static int
has_triple_end(const char *p, const char *end, char q)
{
	for (; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == q && p + 2 < end && p[1] == q && p[2] == q)
			return 1;
	}
	return 0;
}

static int
string_token(struct lexer *lx)
{
	const char *start = lx->p, *q;
	struct token *t;
	value *v;
	int triple, line0 = lx->line;

	q = start;
	while (*q != '\'' && *q != '"')
		q++;
	triple = q + 2 < lx->end && q[1] == q[0] && q[2] == q[0];
	if ((v = lex_string(&lx->p, lx->end)) == NULL) {
		char msg[96];
		const char *nl;
		int lines = 0;

		/* CPython finds a triple-quoted string's end before it looks
		 * inside: with none, b'''\xff is unterminated (and the shell
		 * waits for more), not "bytes can only contain ASCII" */
		if (strncmp(err_get()->msg, "unterminated", 12) != 0 &&
		    !(triple && !has_triple_end(q + 3, lx->end, *q)))
			return lex_fail(lx, start, 0, err_get()->msg);
		for (nl = start; nl < lx->end; nl++)
			lines += *nl == '\n';
		if (triple) {
			snprintf(msg, sizeof msg,
			    "unterminated triple-quoted string "
			    "literal (detected at line %d)", line0 + lines);
			return lex_fail(lx, start, 1, msg);
		}
		/* one that ran into the end after a backslash-newline goes on
		 * on the next line (the shell waits for it) */
		for (nl = q + 1; nl < lx->end && *nl != '\n'; nl++)
			if (*nl == '\\' && nl + 1 < lx->end)
				nl++;
		snprintf(msg, sizeof msg,
		    "unterminated string literal (detected at line %d)", line0);
		return lex_fail(lx, start, nl >= lx->end, msg);
	}
	t = push(lx, T_STR, start);
	t->v = v;
	for (q = start; q < lx->p; q++)	/* a triple-quoted string spans lines */
		if (*q == '\n') {
			lx->line++;
			lx->linestart = q + 1;
		}
	return 0;
}

/* Does an f-string start at p: f, F, rf, fR, ... then a quote? */
static int
is_fstring_start(const char *p, const char *end)
{
	int f = 0, r = 0;
	size_t i;

	for (i = 0; i < 3 && p + i < end; i++) {
		int c = tolower((unsigned char)p[i]);

		if (c == '\'' || c == '"')
			return f == 1;
		f += c == 'f';
		r += c == 'r';
		if ((c != 'f' && c != 'r') || f > 1 || r > 1)
			return 0;
	}
	return 0;
}

/* An f-string: a T_FSTR token whose v is its whole text (prefix and
 * quotes), which the parser takes apart (ast.c). */
static int
fstring_token(struct lexer *lx)
{
	const char *start = lx->p, *p = start, *end = lx->end;
	struct token *t;
	char q, msg[96];
	int triple, lines = 0;

	while (*p != '\'' && *p != '"')
		p++;
	q = *p;
	triple = p + 2 < end && p[1] == q && p[2] == q;
	for (p += triple ? 3 : 1;; p++) {
		if (p >= end || (*p == '\n' && !triple)) {
			if (triple)
				snprintf(msg, sizeof msg, "unterminated "
				    "triple-quoted string literal (detected at "
				    "line %d)", lx->line + lines);
			else
				snprintf(msg, sizeof msg, "unterminated string "
				    "literal (detected at line %d)", lx->line);
			return lex_fail(lx, start, triple, msg);
		}
		if (*p == '\n')
			lines++;
		if (*p == '\\' && p + 1 < end) {
			lines += p[1] == '\n';
			p++;
		} else if (*p == q && (!triple || (p + 2 < end &&
		    p[1] == q && p[2] == q))) {
			p += triple ? 3 : 1;
			break;
		}
	}
	t = push(lx, T_FSTR, start);
	t->v = v_str(start, (size_t)(p - start));
	for (lx->p = start; lx->p < p; lx->p++)
		if (*lx->p == '\n') {
			lx->line++;
			lx->linestart = lx->p + 1;
		}
	return 0;
}

static int
number_token(struct lexer *lx)
{
	const char *start = lx->p;
	value *v = lex_number(&lx->p, lx->end);
	struct token *t;

	if (v == NULL)
		return lex_fail(lx, start, 0, err_get()->msg);
	t = push(lx, T_NUM, start);
	t->v = v;
	return 0;
}

static int
bracket(struct lexer *lx, char c)
{
	static const char *const close_of = "([{)]}";
	char msg[96];

	if (strchr("([{", c)) {
		if (lx->depth >= (int)sizeof lx->brackets)
			return lex_fail(lx, lx->p, 0,
			    "too many nested parentheses");
		lx->brackets[lx->depth] = c;
		lx->bline[lx->depth] = lx->line;
		lx->bcol[lx->depth++] = col_of(lx, lx->p);
		return 0;
	}
	if (lx->depth == 0) {
		snprintf(msg, sizeof msg, "unmatched '%c'", c);
		return lex_fail(lx, lx->p, 0, msg);
	}
	if (close_of[strchr(close_of, lx->brackets[lx->depth - 1]) -
	    close_of + 3] != c) {
		snprintf(msg, sizeof msg,
		    "closing parenthesis '%c' does not match opening "
		    "parenthesis '%c'", c, lx->brackets[lx->depth - 1]);
		return lex_fail(lx, lx->p, 0, msg);
	}
	lx->depth--;
	return 0;
}

static int
op_token(struct lexer *lx)
{
	const char *const *o;
	size_t n = 0;
	struct token *t;

	for (o = ops3; *o && n == 0; o++)
		if (lx->end - lx->p >= 3 && strncmp(lx->p, *o, 3) == 0)
			n = 3;
	for (o = ops2; *o && n == 0; o++)
		if (lx->end - lx->p >= 2 && strncmp(lx->p, *o, 2) == 0)
			n = 2;
	if (n == 0 && *lx->p && strchr(ops1, *lx->p)) {
		n = 1;
		if (strchr("()[]{}", *lx->p) && bracket(lx, *lx->p) < 0)
			return -1;
	}
	if (n == 0)
		return lex_fail(lx, lx->p, 0, "invalid syntax");
	t = push(lx, T_OP, lx->p);
	t->text = xmemdup(lx->p, n);
	lx->p += n;
	return 0;
}

/* Takes one token or piece of white space.  Returns 0 or -1. */
static int
lex_one(struct lexer *lx)
{
	unsigned char c = (unsigned char)*lx->p;

	if (c == '\n' || c == '\r') {
		newline(lx, lx->p);
		if (c == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')
			lx->p++;
		lx->p++;
		lx->line++;
		lx->linestart = lx->p;
		return lx->depth == 0 ? indentation(lx) : 0;
	}
	if (c == ' ' || c == '\t' || c == '\f') {
		lx->p++;
		return 0;
	}
	if (c == '#') {
		while (lx->p < lx->end && *lx->p != '\n')
			lx->p++;
		return 0;
	}
	if (c == '\\') {
		if (lx->p + 1 >= lx->end)
			return lex_fail(lx, lx->p, 1,
			    "unexpected EOF while parsing");
		if (lx->p[1] != '\n')
			return lex_fail(lx, lx->p + 1, 0,
			    "unexpected character after line continuation character");
		lx->p += 2;
		lx->line++;
		lx->linestart = lx->p;
		return 0;
	}
	if (is_fstring_start(lx->p, lx->end))
		return fstring_token(lx);
	if (lex_is_string_start(lx->p, lx->end))
		return string_token(lx);
	if (is_name_start(c)) {
		const char *s = lx->p;
		struct token *t;

		while (lx->p < lx->end && is_name_char((unsigned char)*lx->p))
			lx->p++;
		t = push(lx, T_NAME, s);
		t->text = xmemdup(s, (size_t)(lx->p - s));
		return 0;
	}
	if (isdigit(c) || (c == '.' && lx->p + 1 < lx->end &&
	    isdigit((unsigned char)lx->p[1])))
		return number_token(lx);
	if (c == '\0')
		return lex_fail(lx, lx->p, 0,
		    "source code cannot contain null bytes");
	return op_token(lx);
}

int
lex(const char *src, size_t len, struct tokens *out, struct synerr *where)
{
	struct lexer lx;
	char msg[64];

	memset(&lx, 0, sizeof lx);
	lx.src = lx.p = lx.linestart = src;
	lx.end = src + len;
	lx.line = 1;
	lx.out = out;
	lx.where = where;
	memset(out, 0, sizeof *out);
	memset(where, 0, sizeof *where);
	if (indentation(&lx) < 0)
		return -1;
	while (lx.p < lx.end)
		if (lex_one(&lx) < 0)
			return -1;
	if (lx.depth > 0) {
		lx.line = lx.bline[lx.depth - 1];
		lx.linestart = lx.p - 0;
		where->line = lx.line;
		where->col = lx.bcol[lx.depth - 1];
		where->incomplete = 1;
		snprintf(msg, sizeof msg, "'%c' was never closed",
		    lx.brackets[lx.depth - 1]);
		err_set(EXC_SYNTAX, "%s", msg);
		return -1;
	}
	newline(&lx, lx.p);
	while (lx.nind-- > 1)
		push(&lx, T_DEDENT, lx.p);
	push(&lx, T_EOF, lx.p);
	return 0;
}

void
tokens_free(struct tokens *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++) {
		free(ts->t[i].text);
		v_decref(ts->t[i].v);
	}
	free(ts->t);
	memset(ts, 0, sizeof *ts);
}

/* ---- the shell's incremental check --------------------------------------- */

struct lexinc {
	struct lexer lx;	/* its pointers are rebased on each call */
	size_t p, linestart;	/* lx.p and lx.linestart as offsets */
	struct tokens ts;
	struct synerr where;
	char triple;		/* in a triple-quoted string of this quote, or
				 * 0 */
	size_t scanned;		/* ... whose end was looked for up to here */
};

/* Does the chunk start a compound statement (a block the shell reads up to
 * a blank line, as CPython's REPL does)? */
static int
starts_block(const struct tokens *ts)
{
	static const char *const kw[] = { "if", "while", "for", "try", "with",
	    "def", "class", "async", NULL };
	const char *const *k;

	if (ts->n == 0)
		return 0;
	if (ts->t[0].kind == T_OP)
		return strcmp(ts->t[0].text, "@") == 0;
	if (ts->t[0].kind != T_NAME)
		return 0;
	for (k = kw; *k; k++)
		if (strcmp(ts->t[0].text, *k) == 0)
			return 1;
	return 0;
}

/* Does the last logical line of a block chunk end it: back at the first
 * line's indentation, and no elif, else, except or finally?  CPython's
 * REPL reports such a chunk's error (x after `for ...:` and its block)
 * without waiting for the blank line. */
static int
back_at_top(const struct lexer *lx)
{
	static const char *const go_on[] = { "elif", "else", "except",
	    "finally", NULL };
	const struct tokens *ts = lx->out;
	const char *const *k;
	size_t i = ts->n;

	if (lx->nind != 1 || i == 0 || ts->t[i - 1].kind != T_NEWLINE)
		return 0;
	for (i--; i > 0 && ts->t[i - 1].kind != T_NEWLINE; i--)
		;
	while (i < ts->n && ts->t[i].kind == T_DEDENT)
		i++;
	if (i == 0 || ts->t[i].kind != T_NAME)
		return i > 0;
	for (k = go_on; *k; k++)
		if (strcmp(ts->t[i].text, *k) == 0)
			return 0;
	return 1;
}

/* Is the last line of src (len bytes) white space alone? */
static int
last_line_blank(const char *src, size_t len)
{
	size_t end = len, i;

	if (end > 0 && src[end - 1] == '\n')
		end--;
	for (i = end; i > 0 && src[i - 1] != '\n'; i--)
		;
	for (; i < end; i++)
		if (src[i] != ' ' && src[i] != '\t' && src[i] != '\f' &&
		    src[i] != '\r')
			return 0;
	return 1;
}

int
lex_incomplete(struct lexinc **state, const char *src, size_t len)
{
	struct lexinc *st = *state;
	struct lexer *lx;
	int r = 0;

	if (st == NULL) {
		st = *state = xcalloc(1, sizeof *st);
		st->lx.line = 1;
		st->lx.out = &st->ts;
		st->lx.where = &st->where;
		st->lx.src = st->lx.p = st->lx.linestart = src;
		st->lx.end = src + len;
		if (indentation(&st->lx) < 0)
			goto done;
		st->p = (size_t)(st->lx.p - src);
	}
	if (st->triple) {
		if (!has_triple_end(src + st->scanned, src + len, st->triple)) {
			st->scanned = len;
			return 1;
		}
		st->triple = 0;
	}
	lx = &st->lx;
	lx->src = src;
	lx->p = src + st->p;
	lx->linestart = src + st->linestart;
	lx->end = src + len;
	if (lx->bol && lx->p < lx->end) {
		lx->bol = 0;
		if (indentation(lx) < 0)
			goto done;
	}
	while (lx->p < lx->end) {
		const char *at = lx->p;

		if (lex_one(lx) < 0) {
			if (!st->where.incomplete)
				goto done;
			/* a trailing backslash or an open triple-quoted string:
			 * lx->p is still at its start, where the next call goes
			 * on */
			if (lex_is_string_start(lx->p, lx->end)) {
				const char *q = lx->p;

				while (*q != '\'' && *q != '"')
					q++;
				if (q + 2 < lx->end && q[1] == q[0] &&
				    q[2] == q[0]) {
					st->triple = *q;
					st->scanned = len;
				}
			}
			r = 1;
			break;
		}
		/* a backslash joining the last line to the next: more to
		 * come, as in CPython's interactive mode */
		if (*at == '\\' && lx->p == lx->end)
			r = 1;
	}
	if (r == 0 && lx->depth > 0)
		r = 1;
	/* a compound statement goes on up to a blank line */
	if (r == 0 && starts_block(&st->ts) && !last_line_blank(src, len) &&
	    !back_at_top(lx))
		r = 1;
	st->p = (size_t)(lx->p - src);
	st->linestart = (size_t)(lx->linestart - src);
	err_clear();
	if (r)
		return 1;
done:	/* complete, or an error the chunk's run will report */
	err_clear();
	lex_incomplete_reset(state);
	return 0;
}

void
lex_incomplete_reset(struct lexinc **state)
{
	if (*state) {
		tokens_free(&(*state)->ts);
		free(*state);
		*state = NULL;
	}
}

/* exit() / quit() as a whole line ends the shell, as in Python. */
static int
is_exit(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return strncmp(s, "exit()", 6) == 0 || strncmp(s, "quit()", 6) == 0
	    ? s[6] == '\0' || s[6] == '\n' : 0;
}

int
shell_line(struct buf *pending, struct lexinc **state, const char *line,
    size_t n)
{
	if (pending->len == 0 && is_exit(line))
		return -1;
	buf_put(pending, line, n);
	/* lexes only the new line: a statement of many lines stays linear */
	return !lex_incomplete(state, pending->p, pending->len);
}
