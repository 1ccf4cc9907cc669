/* fuzz_decode.c - libFuzzer harness: the packet decoder behind sniff's JSON
 * summary and raw lines.  Byte 0 picks the link type (EN10MB, RAW,
 * LINUX_SLL, LINUX_SLL2, CAN_SOCKETCAN, DECODE_L3 with the ethertype from
 * bytes 1-2, or an unknown type), byte 3 how much longer the packet was on
 * the wire; the rest is the captured packet. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decode.h"
#include "core/pcap.h"
#include "emit.h"
#include "error.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = { LINKTYPE_EN10MB, LINKTYPE_RAW,
	    LINKTYPE_LINUX_SLL,
		LINKTYPE_LINUX_SLL2, LINKTYPE_CAN_SOCKETCAN, DECODE_L3, 147,
		LINKTYPE_NULL, LINKTYPE_LOOP, LINKTYPE_IPV6 };
	struct buf json = { 0 }, text = { 0 };
	unsigned ethertype;
	uint8_t *pkt;
	size_t n, extra;
	int lt, syn;

	if (size < 4)
		return 0;
	lt = types[data[0] % (sizeof types / sizeof types[0])];
	ethertype = (unsigned)data[1] << 8 | data[2];
	extra = data[3];
	n = size - 4;
	pkt = malloc(n ? n : 1);	/* exactly the captured bytes: overreads
					 * trap */
	memcpy(pkt, data + 4, n);
	for (syn = JW_JSON; syn <= JW_FLAT; syn++) {
		struct jw jw;

		json.len = text.len = 0;
		jw_init(&jw, &json, syn);
		decode_packet(pkt, n, n + extra, lt, ethertype, &jw, &text);
		if (memchr(text.p, '\n', text.len) != NULL ||
		    (json.len && memchr(json.p, '\n', json.len) != NULL))
			abort();	/* the raw line, the summary: one
					 * line */
	}
	err_clear();
	free(json.p);
	free(text.p);
	free(pkt);
	return 0;
}
