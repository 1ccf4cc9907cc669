/* fuzz_eval.c - libFuzzer harness: the eval language's lexer, parser and
 * interpreter, in the sandbox (eval_sandbox: no sockets, files, resolver or
 * fd calls; small repetition limits).  A leading byte 0x01 or 0x02 picks the
 * JSON or raw output format (else Python repr); the rest is the program.
 * Output goes to /dev/null.  Statements stop running once the heap holds
 * more than 256 MB, so doubling chains (x = x + x; ...) stay bounded. */
#include <fcntl.h>
#include <sanitizer/allocator_interface.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "emit.h"
#include "error.h"
#include "eval/eval.h"

#define HEAP_BUDGET ((size_t)256 << 20)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	eval_sandbox = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum fmt fmt = FMT_PY;
	struct node **stmts;
	struct synerr where;
	struct interp *in;
	size_t n, i;
	char *src;

	if (size && (data[0] == 1 || data[0] == 2)) {
		fmt = data[0] == 1 ? FMT_JSON : FMT_RAW;
		data++;
		size--;
	}
	src = xmemdup(data, size);
	if (parse_program("<fuzz>", src, size, &stmts, &n, &where) == 0) {
		in = interp_new(fmt, 0);
		for (i = 0; i < n; i++) {
			if (interp_exec(in, stmts[i]) < 0 || out_flush() < 0)
				break;
			if (__sanitizer_get_current_allocated_bytes() >
			    HEAP_BUDGET)
				break;
		}
		out_flush();
		interp_free(in);
		nodes_free(stmts, n);
	}
	err_clear();
	free(src);
	return 0;
}
