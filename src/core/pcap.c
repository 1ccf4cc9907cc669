/* pcap.c - classic pcap files: buffered writer and bounds-checked reader. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/pcap.h"
#include "error.h"
#include "value.h"

#define MAGIC_US	0xa1b2c3d4u
#define MAGIC_NS	0xa1b23c4du
#define PCAP_BUFSZ	(1u << 20)

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* host order, as libpcap writes */
}

static void
put16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

int
pcap_fd_sink(void *ctx, const void *p, size_t n)
{
	int fd = *(int *)ctx;
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			err_errno(errno);
			return -1;
		}
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

int
pcap_flush(struct pcap_writer *w)
{
	size_t n = w->len;

	if (n == 0)
		return 0;
	w->len = 0;
	return w->sink(w->ctx, w->buf, n);
}

int
pcap_writer_open(struct pcap_writer *w, pcap_sink sink, void *ctx, int linktype,
    uint32_t snaplen, int nano)
{
	unsigned char h[24];

	w->sink = sink;
	w->ctx = ctx;
	w->nano = nano;
	w->cap = PCAP_BUFSZ / 256;
	w->buf = xmalloc(w->cap);
	w->len = 0;
	put32(h, nano ? MAGIC_NS : MAGIC_US);
	put16(h + 4, 2);
	put16(h + 6, 4);
	put32(h + 8, 0);
	put32(h + 12, 0);
	put32(h + 16, snaplen);
	put32(h + 20, (uint32_t)linktype);
	memcpy(w->buf, h, sizeof h);
	w->len = sizeof h;
	return 0;
}

int
pcap_write(struct pcap_writer *w, uint64_t sec, uint32_t nsec, const void *hdr,
    size_t hdrlen, const void *data, size_t caplen, size_t wirelen)
{
	size_t need = 16 + hdrlen + caplen;
	unsigned char *p;

	if (w->cap - w->len < need) {
		/* the buffer grows up to PCAP_BUFSZ (a short capture never
		 * allocates all of it), then is flushed when full */
		size_t cap = w->cap;

		while (cap < PCAP_BUFSZ && cap - w->len < need)
			cap *= 2;
		if (cap - w->len < need && pcap_flush(w) < 0)
			return -1;
		if (cap < need)
			cap = need;
		if (cap != w->cap) {
			w->cap = cap;
			w->buf = xrealloc(w->buf, w->cap);
		}
	}
	p = w->buf + w->len;
	put32(p, (uint32_t)sec);
	put32(p + 4, w->nano ? nsec : nsec / 1000);
	put32(p + 8, (uint32_t)(hdrlen + caplen));
	put32(p + 12, (uint32_t)(hdrlen + wirelen));
	if (hdrlen)
		memcpy(p + 16, hdr, hdrlen);
	memcpy(p + 16 + hdrlen, data, caplen);
	w->len += need;
	return 0;
}

int
pcap_writer_close(struct pcap_writer *w)
{
	int r = w->buf ? pcap_flush(w) : 0;

	free(w->buf);
	w->buf = NULL;
	w->cap = w->len = 0;
	return r;
}

static uint32_t
get32(const struct pcap_reader *r, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return r->swap ? __builtin_bswap32(v) : v;
}

int
pcap_reader_init(struct pcap_reader *r, const void *p, size_t len)
{
	uint32_t magic;

	memset(r, 0, sizeof *r);
	r->p = p;
	r->len = len;
	if (len < 24) {
		err_set(EXC_VALUE, "not a pcap file (too short)");
		return -1;
	}
	memcpy(&magic, p, 4);
	if (magic == MAGIC_US || magic == MAGIC_NS)
		r->nano = magic == MAGIC_NS;
	else if (__builtin_bswap32(magic) == MAGIC_US ||
	    __builtin_bswap32(magic) == MAGIC_NS) {
		r->swap = 1;
		r->nano = __builtin_bswap32(magic) == MAGIC_NS;
	} else {
		err_set(EXC_VALUE, "not a pcap file (magic 0x%08x%s)", magic,
		    magic == 0x0a0d0d0a ? ": pcapng is not supported" : "");
		return -1;
	}
	r->snaplen = get32(r, r->p + 16);
	r->linktype = (int)(get32(r, r->p + 20) & 0x0fffffff);
	r->off = 24;
	return 0;
}

int
pcap_next(struct pcap_reader *r, struct pcap_rec *rec)
{
	const unsigned char *h;
	uint32_t frac;

	if (r->off == r->len)
		return 0;
	if (r->len - r->off < 16) {
		err_set(EXC_VALUE,
		    "pcap: truncated record header at offset %llu",
		    (unsigned long long)(r->skipped + r->off));
		return -1;
	}
	h = r->p + r->off;
	rec->sec = get32(r, h);
	frac = get32(r, h + 4);
	rec->nsec = r->nano ? frac : frac * 1000;
	rec->caplen = get32(r, h + 8);
	rec->wirelen = get32(r, h + 12);
	if (frac >= (r->nano ? 1000000000u : 1000000u) ||
	    rec->caplen > r->len - r->off - 16) {
		err_set(EXC_VALUE,
		    "pcap: corrupt or truncated record at offset %llu",
		    (unsigned long long)(r->skipped + r->off));
		return -1;
	}
	if (rec->wirelen < rec->caplen)
		rec->wirelen = rec->caplen;
	rec->data = h + 16;
	r->off += 16 + (size_t)rec->caplen;
	return 1;
}

const char *
pcap_linktype_name(int lt)
{
	switch (lt) {
	case LINKTYPE_NULL: return "NULL (BSD loopback)";
	case LINKTYPE_EN10MB: return "EN10MB (Ethernet)";
	case LINKTYPE_DLT_RAW: case LINKTYPE_DLT_RAW_OBSD:
	case LINKTYPE_RAW: return "RAW (Raw IP)";
	case LINKTYPE_LOOP: return "LOOP (OpenBSD loopback)";
	case LINKTYPE_IPV4: return "IPV4 (Raw IPv4)";
	case LINKTYPE_IPV6: return "IPV6 (Raw IPv6)";
	case LINKTYPE_LINUX_SLL: return "LINUX_SLL (Linux cooked v1)";
	case LINKTYPE_LINUX_SLL2: return "LINUX_SLL2 (Linux cooked v2)";
	case LINKTYPE_CAN_SOCKETCAN: return "CAN_SOCKETCAN";
	}
	return "unknown";
}

int
pcap_linktype_raw(int lt)
{
	return lt == LINKTYPE_RAW || lt == LINKTYPE_DLT_RAW ||
	    lt == LINKTYPE_DLT_RAW_OBSD || lt == LINKTYPE_IPV4 ||
	    lt == LINKTYPE_IPV6;
}
