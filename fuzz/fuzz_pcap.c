/* fuzz_pcap.c - libFuzzer harness: the pcap reader on a file in memory.
 * Every record it returns must lie inside the file; each is decoded as
 * sniff --read does, and written again with the pcap writer into memory,
 * whose output must read back to the same records. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decode.h"
#include "core/pcap.h"
#include "emit.h"
#include "error.h"

static int
mem_sink(void *ctx, const void *p, size_t n)
{
	buf_put(ctx, p, n);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcap_reader r, r2;
	struct pcap_rec rec, rec2;
	struct pcap_writer w;
	struct buf out = { 0 }, json = { 0 }, text = { 0 };
	uint8_t *file = malloc(size ? size : 1);	/* exact size: overreads
							 * trap */
	int k, k2, nrec = 0;

	memcpy(file, data, size);
	if (pcap_reader_init(&r, file, size) < 0)
		goto done;
	(void)pcap_linktype_name(r.linktype);
	if (pcap_writer_open(&w, mem_sink, &out, r.linktype, r.snaplen,
	    r.nano) < 0)
		abort();
	while ((k = pcap_next(&r, &rec)) > 0) {
		if (rec.data < file || rec.data + rec.caplen > file + size ||
		    rec.nsec >= 1000000000u)
			abort();
		json.len = text.len = 0;
		if (nrec < 64) {
			struct jw jw;

			jw_init(&jw, &json, JW_JSON);
			decode_packet(rec.data, rec.caplen, rec.wirelen,
			    r.linktype, 0, &jw, &text);
		}
		if (pcap_write(&w, rec.sec, rec.nsec, NULL, 0, rec.data,
		    rec.caplen, rec.wirelen) < 0)
			abort();
		nrec++;
	}
	if (pcap_writer_close(&w) < 0)
		abort();
	/* what was read and written reads back the same, up to the first
	 * error */
	if (pcap_reader_init(&r2, out.p, out.len) < 0 ||
	    r2.linktype != r.linktype)
		abort();
	if (pcap_reader_init(&r, file, size) < 0)
		abort();
	for (; nrec > 0; nrec--) {
		k = pcap_next(&r, &rec);
		k2 = pcap_next(&r2, &rec2);
		if (k != 1 || k2 != 1 || rec.sec != rec2.sec ||
		    rec.nsec != rec2.nsec ||
		    rec.caplen != rec2.caplen || rec.wirelen != rec2.wirelen ||
		    memcmp(rec.data, rec2.data, rec.caplen) != 0)
			abort();
	}
	if (pcap_next(&r2, &rec2) != 0)
		abort();
done:
	err_clear();
	free(out.p);
	free(json.p);
	free(text.p);
	free(file);
	return 0;
}
