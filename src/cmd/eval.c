/* eval.c - `sockit eval` (a program from the command line, a file or stdin)
 * and `sockit shell` (statements from stdin, prompting on a terminal). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "front/front.h"
#include "error.h"
#include "eval/eval.h"

struct eval_opts {
	const char *file;
};

const struct opt cmd_eval_opts[] = {
	{ .name = "file", .letter = 'f', .type = OPT_STR,
	  OPTDST(struct eval_opts, file),
	  .arg = "FILE", .help = "read the program from FILE ('-': stdin)" },
	{ .name = NULL }
};

const struct opt cmd_shell_opts[] = { { .name = NULL } };

#define MAX_PROGRAM ((size_t)64 << 20)	/* bytes of program text accepted */

/* Reads all of fd into *out (NUL-terminated).  0, or -1 with OSError. */
static int
read_all(int fd, char **out, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *p = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			if (cap >= MAX_PROGRAM) {
				free(p);
				err_set(EXC_VALUE,
				    "program longer than %zu bytes",
				    MAX_PROGRAM);
				return -1;
			}
			cap *= 2;
			p = xrealloc(p, cap);
		}
		r = read(fd, p + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_errno(errno);
			free(p);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	p[n] = '\0';
	*out = p;
	*len = n;
	return 0;
}

/* Reads the program file path ("-": stdin). */
static int
read_file(const char *path, char **out, size_t *len)
{
	int fd, r;

	if (strcmp(path, "-") == 0)
		return read_all(STDIN_FILENO, out, len);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		err_errno_filename(errno, path);
		return -1;
	}
	r = read_all(fd, out, len);
	close(fd);
	return r;
}

/* Prints a syntax error the way CPython's traceback ends: where, the
 * line with a caret, then "SyntaxError: msg" as the last line.  Returns
 * the exit status. */
static int
print_syntax_error(const char *name, const char *src, size_t len,
    const struct synerr *w)
{
	const char *p = src, *end = src + len, *eol;
	int line = 1, col, i;

	/* RecursionError */
	if (G.fmt == FMT_JSON || !exc_is(err_class(), EXC_SYNTAX))
		return err_print(G.fmt == FMT_JSON);
	while (line < w->line && p < end) {
		if (*p++ == '\n')
			line++;
	}
	for (eol = p; eol < end && *eol != '\n'; eol++)
		;
	fprintf(stderr, "sockit: %s, line %d\n    ", name, w->line);
	for (i = 0, col = 0; p + i < eol; i++) {
		unsigned char c = (unsigned char)p[i];

		fputc(c == '\t' || c == '\r' ? ' ' : c, stderr);
		if (i < w->col && (c & 0xc0) != 0x80)
			col++;
	}
	fprintf(stderr, "\n    %*s^\n%s: %s\n", col, "", exc_name(err_class()),
	    err_get()->msg);
	fflush(stderr);
	err_clear();
	return exc_status(EXC_SYNTAX);
}

/* Runs the statements; stops at the first exception.  Returns the exit
 * status (the exception printed). */
static int
run_statements(struct interp *in, struct node **stmts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (interp_exec(in, stmts[i]) < 0 || out_flush() < 0) {
			out_flush();
			return err_print(G.fmt == FMT_JSON);
		}
	}
	return 0;
}

/* Parses and runs a whole program text. */
static int
run_program(const char *name, const char *src, size_t len)
{
	struct node **stmts;
	struct synerr where;
	struct interp *in;
	size_t n;
	int status;

	if (parse_program(name, src, len, &stmts, &n, &where) < 0)
		return print_syntax_error(name, src, len, &where);
	in = interp_new(G.fmt, 0);
	status = run_statements(in, stmts, n);
	interp_free(in);
	nodes_free(stmts, n);
	return status;
}

/* Can word be an option?  "-1 + x" and "-(a)" are programs. */
int
cmd_eval(int argc, char **argv)
{
	struct eval_opts o = { NULL };
	struct args a;
	const char *file;
	char *src = NULL;
	size_t len;
	int status;

	if ((status = opt_parse("eval", argc, argv, cmd_eval_opts, &o, 0,
	    &a)) != 0)
		return status;
	file = o.file;
	status = -1;
	if (file && a.n > 0)
		usage_error("eval", "give a PROGRAM or -f FILE, not both");
	else if (!file && a.n == 0)
		usage_error("eval", "missing PROGRAM");
	else if (a.n > 1)
		usage_error("eval",
		    "one PROGRAM argument expected (quote it), got %d", a.n);
	else if (file || strcmp(a.v[0], "-") == 0) {
		if (file == NULL)
			file = "-";
		if (read_file(file, &src, &len) == 0)
			status = run_program(strcmp(file, "-") == 0 ?
			    "<stdin>" : file, src, len);
		free(src);
	} else {
		status = run_program("<eval>", a.v[0], strlen(a.v[0]));
	}
	args_free(&a);
	return status;
}

/* ---- the shell ----------------------------------------------------------- */

/* Runs one complete chunk of shell input.  Returns 0, or the status of the
 * exception it printed. */
static int
shell_chunk(struct interp *in, const char *src, size_t len, int tty)
{
	struct node **stmts;
	struct synerr where;
	size_t n, i;
	int status = 0;

	if (parse_program("<stdin>", src, len, &stmts, &n, &where) < 0)
		return print_syntax_error("<stdin>", src, len, &where);
	if (n > 1 && (stmts[0]->kind == S_IF || stmts[0]->kind == S_WHILE ||
	    stmts[0]->kind == S_FOR || stmts[0]->kind == S_TRY ||
	    stmts[0]->kind == S_DEF)) {
		/* a block, then a line back at its indentation: CPython's REPL
		 * takes one statement at a time */
		where.line = stmts[1]->line;
		where.col = stmts[1]->col;
		err_set(EXC_SYNTAX, "invalid syntax");
		nodes_free(stmts, n);
		return print_syntax_error("<stdin>", src, len, &where);
	}
	for (i = 0; i < n; i++) {
		if (interp_exec(in, stmts[i]) < 0 || out_flush() < 0) {
			out_flush();
			status = err_print(G.fmt == FMT_JSON);
			break;
		}
	}
	interp_keep(in, stmts, n);	/* its functions refer to them */
	(void)tty;
	return status;
}

int
cmd_shell(int argc, char **argv)
{
	struct buf pending = { 0 };
	struct lexinc *lexst = NULL;	/* lex_incomplete's state for pending */
	struct interp *in;
	char *line = NULL;
	size_t cap = 0;
	struct args a;
	int tty = isatty(STDIN_FILENO), status = 0;

	if ((status = opt_parse("shell", argc, argv, cmd_shell_opts, NULL, 0,
	    &a)) != 0)
		return status;
	if (a.n > 0) {
		usage_error("shell",
		    "unexpected argument '%s' (statements come from stdin)",
		    a.v[0]);
		args_free(&a);
		return -1;
	}
	args_free(&a);
	if (G.stdin_closed) {	/* not an empty input: nothing to read at all */
		err_errno(EBADF);
		return -1;
	}
	in = interp_new(G.fmt, 1);
	for (;;) {
		ssize_t n;

		if (tty) {
			out_flush();
			fputs(pending.len ? "... " : ">>> ", stderr);
			fflush(stderr);
		}
		if ((n = getline(&line, &cap, stdin)) < 0) {
			if (ferror(stdin)) {	/* EISDIR, EIO ...: an error,
						 * not the end */
				err_errno(errno);
				status = -1;
				tty = 0;
				break;
			}
			if (tty)
				fputc('\n', stderr);
			if (pending.len) {
				int r = shell_chunk(in, pending.p, pending.len,
				    tty);

				status = r ? r : status;
			}
			break;
		}
		if ((n = shell_line(&pending, &lexst, line, (size_t)n)) < 0)
			break;
		if (n == 0)
			continue;
		{
			int r = shell_chunk(in, pending.p, pending.len, tty);

			if (r)
				status = r;
		}
		pending.len = 0;
	}
	lex_incomplete_reset(&lexst);
	free(line);
	free(pending.p);
	interp_free(in);
	return tty ? 0 : status;
}
