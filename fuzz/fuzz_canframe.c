/* fuzz_canframe.c - libFuzzer harness: the cansend-syntax parser
 * (canframe_parse, canid_parse) and candump's compact formatter.  A frame
 * that parses is formatted, and the compact text must parse back to the
 * same frame (the formats agree for everything cansend accepts). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/canframe.h"
#include "emit.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);	/* exactly size bytes: no NUL */
	struct canframe cf, back;
	const char *why;
	canid_t id;
	struct buf b = { 0 };

	memcpy(s, data, size);
	(void)canid_parse(s, size, &id, &why);
	if (canframe_parse(s, size, &cf, &why) == 0) {
		canframe_format(&b, &cf.f, cf.fd, cf.len8_dlc);
		if (canframe_parse(b.p, b.len, &back, &why) != 0 ||
		    back.fd != cf.fd || back.len8_dlc != cf.len8_dlc ||
		    back.f.can_id != cf.f.can_id || back.f.len != cf.f.len ||
		    (cf.fd && back.f.flags != cf.f.flags) ||
		    memcmp(back.f.data, cf.f.data, cf.f.len) != 0)
			abort();
	}
	free(b.p);
	free(s);
	return 0;
}
