/* fuzz_address.c - libFuzzer harness: the task commands' ADDRESS syntax
 * (taskaddr_parse, with and without port ranges) and -o LEVEL:NAME=VALUE
 * (sockopt_parse).  Parsing only: nothing is resolved or opened. */
#include <stdint.h>
#include <stdlib.h>

#include "core/taskaddr.h"
#include "error.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xmemdup(data, size);	/* NUL-terminated; stops at an inner
					 * NUL */
	struct taskaddr a;
	struct sockopt_req o = { 0 };
	int range;

	for (range = 0; range < 2; range++) {
		if (taskaddr_parse(s, &a, range, AF_UNSPEC) == 0 &&
		    a.len > sizeof a.ss)
			abort();
		taskaddr_free(&a);
		err_clear();
	}
	if (sockopt_parse(s, &o) == 0 && o.val == NULL)
		abort();
	sockopt_free(&o);
	err_clear();
	free(s);
	return 0;
}
