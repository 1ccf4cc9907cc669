/* fuzz_literal.c - libFuzzer harness: the SPEC section 3 literal parser and
 * the three emitters on whatever it returns. */
#include <stdint.h>
#include <stdlib.h>

#include "emit.h"
#include "error.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xmemdup(data, size);
	value *v = parse_value(s);
	struct buf b = { 0 };

	if (v) {
		repr(&b, v);
		emit_json(&b, v);
		emit_raw(&b, v);
		v_decref(v);
	}
	free(b.p);
	err_clear();
	free(s);
	return 0;
}
