/* fuzz_pcap.c - libFuzzer harness: the pcap and pcapng reader on a file in
 * memory.  Every record it returns must lie inside the file; each is
 * decoded as sniff --read does, and written again with the pcap writer
 * (pcapng for pcapng input) into memory, whose output must read back to the
 * same records.  A second pass reads the file through a window that grows
 * only as the reader asks (PCAP_MORE, as sniff reads a stream) and must
 * give the same records. */
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

static int
same_rec(const struct pcap_rec *a, const struct pcap_rec *b, int times)
{
	return a->caplen == b->caplen && a->wirelen == b->wirelen &&
	    a->iface == b->iface && a->linktype == b->linktype &&
	    memcmp(a->data, b->data, a->caplen) == 0 &&
	    (!times || (a->sec == b->sec && a->nsec == b->nsec));
}

/* pcap_next through a window of file that grows as the reader asks. */
static int
next_windowed(struct pcap_reader *r, const uint8_t *file, size_t size,
    struct pcap_rec *rec)
{
	int k;

	while ((k = pcap_next(r, rec)) == PCAP_MORE) {
		size_t len = r->off + r->want;

		if (r->want == 0 || len <= r->len)
			abort();	/* asked for nothing new */
		r->len = len < size ? len : size;
		r->more = r->len < size;
	}
	(void)file;
	return k;
}

/* The windowed reader over file must give the records of the whole-file
 * reader, and fail where it fails. */
static void
check_windowed(const uint8_t *file, size_t size)
{
	struct pcap_reader r, w;
	struct pcap_rec a, b;
	size_t len = 1;
	int ka, kb;

	if (pcap_reader_init(&r, file, size, 0) < 0) {
		err_clear();
		return;
	}
	while ((kb = pcap_reader_init(&w, file, len, len < size)) ==
	    PCAP_MORE) {
		if (w.off + w.want <= len)
			abort();
		len = w.off + w.want < size ? w.off + w.want : size;
	}
	if (kb < 0)
		abort();
	do {
		ka = pcap_next(&r, &a);
		kb = next_windowed(&w, file, size, &b);
		if (ka != kb || (ka == 1 && !same_rec(&a, &b, 1)))
			abort();
	} while (ka == 1);
	err_clear();
	pcap_reader_free(&r);
	pcap_reader_free(&w);
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
	int k, k2, nrec = 0, flags;

	memcpy(file, data, size);
	check_windowed(file, size);
	if (pcap_reader_init(&r, file, size, 0) < 0)
		goto done;
	(void)pcap_linktype_name(r.linktype);
	flags = r.ng ? PCAP_NG | PCAP_NANO : r.nano ? PCAP_NANO : 0;
	if (pcap_writer_open(&w, mem_sink, &out, r.linktype, r.snaplen,
	    flags, r.ifs[0].name) < 0)
		abort();
	while ((k = pcap_next(&r, &rec)) > 0) {
		if (rec.data < file || rec.data + rec.caplen > file + size ||
		    rec.nsec >= 1000000000u || rec.iface >= r.nifs ||
		    rec.linktype != r.ifs[rec.iface].linktype)
			abort();
		json.len = text.len = 0;
		if (nrec < 64) {
			struct jw jw;

			jw_init(&jw, &json, JW_JSON);
			decode_packet(rec.data, rec.caplen, rec.wirelen,
			    rec.linktype, 0, &jw, &text);
		}
		/* pcapng: the copy describes every interface in order, so
		 * that its numbers are the read ones */
		while (r.ng && w.nifs <= rec.iface)
			if (pcap_writer_iface(&w, r.ifs[w.nifs].linktype,
			    r.ifs[w.nifs].snaplen, r.ifs[w.nifs].name) < 0)
				abort();
		if (pcap_write_if(&w, r.ng ? rec.iface : 0, rec.sec, rec.nsec,
		    NULL, 0, rec.data, rec.caplen, rec.wirelen) < 0)
			abort();
		nrec++;
	}
	if (pcap_writer_close(&w) < 0)
		abort();
	/* what was read and written reads back the same, up to the first
	 * error (the times where the copy can hold them: 32-bit seconds in
	 * a classic file, 64-bit nanoseconds in pcapng) */
	pcap_reader_free(&r);
	if (pcap_reader_init(&r2, out.p, out.len, 0) < 0 ||
	    r2.linktype != r.linktype)
		abort();
	if (pcap_reader_init(&r, file, size, 0) < 0)
		abort();
	for (; nrec > 0; nrec--) {
		k = pcap_next(&r, &rec);
		k2 = pcap_next(&r2, &rec2);
		if (k != 1 || k2 != 1 || !same_rec(&rec, &rec2,
		    r.ng ? rec.sec < 18000000000u : rec.sec < (1ull << 32)))
			abort();
	}
	if (pcap_next(&r2, &rec2) != 0)
		abort();
	pcap_reader_free(&r);
	pcap_reader_free(&r2);
done:
	err_clear();
	free(out.p);
	free(json.p);
	free(text.p);
	free(file);
	return 0;
}
