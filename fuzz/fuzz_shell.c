/* fuzz_shell.c - libFuzzer harness: the shell's line reader.  The input is
 * cut into lines as getline cuts stdin (the last one may lack its newline)
 * and fed through shell_line, the loop step cmd_shell uses.  After each
 * line the incremental answer of lex_incomplete must equal a fresh one
 * (state reset) over the whole pending buffer; each completed chunk, and
 * what is pending at the end, is parsed (not run: fuzz_eval covers that). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "error.h"
#include "eval/eval.h"

/* Parses one chunk as shell_chunk does, and frees it. */
static void
parse_chunk(const struct buf *b)
{
	struct node **stmts;
	struct synerr where;
	size_t n;

	if (parse_program("<stdin>", b->p, b->len, &stmts, &n, &where) == 0)
		nodes_free(stmts, n);
	err_clear();
}

/* Is pending incomplete, lexed from scratch? */
static int
fresh_incomplete(const struct buf *b)
{
	struct lexinc *st = NULL;
	int r = lex_incomplete(&st, b->p, b->len);

	lex_incomplete_reset(&st);
	err_clear();
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf pending = { 0 };
	struct lexinc *st = NULL;
	const uint8_t *p = data, *end = data + size, *nl;
	char *line;
	size_t n;
	int r;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		line = malloc(n + 1);	/* its own block: ASan sees overreads */
		if (line == NULL)
			abort();
		memcpy(line, p, n);
		line[n] = '\0';
		p += n;
		r = shell_line(&pending, &st, line, n);
		free(line);
		err_clear();
		if (r < 0)
			break;
		if (r != !fresh_incomplete(&pending)) {
			fprintf(stderr,
			    "fuzz_shell: incremental lex_incomplete says %s, "
			    "a fresh one the opposite, over %zu bytes\n",
			    r ? "complete" : "incomplete", pending.len);
			abort();
		}
		if (r == 0)
			continue;
		parse_chunk(&pending);
		pending.len = 0;
	}
	if (pending.len)
		parse_chunk(&pending);
	lex_incomplete_reset(&st);
	free(pending.p);
	err_clear();
	return 0;
}
