/* pcap.c - classic pcap files: buffered writer and bounds-checked reader. */
#include <errno.h>
#include <stdio.h>
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

/* Makes room for need more bytes: the buffer grows up to PCAP_BUFSZ (a
 * short capture never allocates all of it), then is flushed when full.
 * Returns where they go, or NULL (exception pending). */
static unsigned char *
wroom(struct pcap_writer *w, size_t need)
{
	if (w->cap - w->len < need) {
		size_t cap = w->cap;

		while (cap < PCAP_BUFSZ && cap - w->len < need)
			cap *= 2;
		if (cap - w->len < need && pcap_flush(w) < 0)
			return NULL;
		if (cap < need)
			cap = need;
		if (cap != w->cap) {
			w->cap = cap;
			w->buf = xrealloc(w->buf, w->cap);
		}
	}
	return w->buf + w->len;
}

/* pcapng option code, length and value (padded to 4) at p; its size. */
static size_t
ng_opt(unsigned char *p, uint16_t code, const void *v, size_t n)
{
	size_t pad = (4 - n % 4) % 4;

	put16(p, code);
	put16(p + 2, (uint16_t)n);
	memcpy(p + 4, v, n);
	memset(p + 4 + n, 0, pad);
	return 4 + n + pad;
}

/* Appends a pcapng block: type, body (n bytes, a multiple of 4) and the
 * lengths around it.  Returns 0 or -1. */
static int
ng_block(struct pcap_writer *w, uint32_t type, const unsigned char *body,
    size_t n)
{
	unsigned char *p = wroom(w, n + 12);

	if (p == NULL)
		return -1;
	put32(p, type);
	put32(p + 4, (uint32_t)(n + 12));
	memcpy(p + 8, body, n);
	put32(p + 8 + n, (uint32_t)(n + 12));
	w->len += n + 12;
	return 0;
}

/* An interface description block (the writer's buffer has room for
 * IDB_MAX + 12 bytes): link type, snaplen, if_name, if_tsresol, end. */
#define IDB_MAX	(8 + 4 + 64 + 8 + 4)
static unsigned
ng_iface(struct pcap_writer *w, int linktype, uint32_t snaplen,
    const char *ifname)
{
	unsigned char b[IDB_MAX];
	size_t n = 8;
	uint8_t res = 9;

	put16(b, (uint16_t)linktype);
	put16(b + 2, 0);
	put32(b + 4, snaplen);
	if (ifname && *ifname)
		n += ng_opt(b + n, 2, ifname, strnlen(ifname, 63));
	if (w->nano)		/* if_tsresol: 10**-9 (10**-6 by default) */
		n += ng_opt(b + n, 9, &res, 1);
	put32(b + n, 0);	/* opt_endofopt */
	n += 4;
	(void)ng_block(w, 1, b, n);
	return w->nifs++;
}

int
pcap_writer_open(struct pcap_writer *w, pcap_sink sink, void *ctx, int linktype,
    uint32_t snaplen, int flags, const char *ifname)
{
	unsigned char h[24];

	w->sink = sink;
	w->ctx = ctx;
	w->nano = (flags & PCAP_NANO) != 0;
	w->ng = (flags & PCAP_NG) != 0;
	w->nifs = 0;
	w->cap = PCAP_BUFSZ / 256;
	w->buf = xmalloc(w->cap);
	w->len = 0;
	if (w->ng) {
		/* section header: byte-order magic, version 1.0, length
		 * unknown (-1), no options */
		put32(h, 0x1a2b3c4d);
		put16(h + 4, 1);
		put16(h + 6, 0);
		memset(h + 8, 0xff, 8);
		(void)ng_block(w, 0x0a0d0d0a, h, 16);
		(void)ng_iface(w, linktype, snaplen, ifname);
		return 0;
	}
	put32(h, w->nano ? MAGIC_NS : MAGIC_US);
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
pcap_writer_iface(struct pcap_writer *w, int linktype, uint32_t snaplen,
    const char *ifname)
{
	if (wroom(w, IDB_MAX + 12) == NULL)
		return -1;
	return (int)ng_iface(w, linktype, snaplen, ifname);
}

int
pcap_write_if(struct pcap_writer *w, unsigned ifid, uint64_t sec,
    uint32_t nsec, const void *hdr, size_t hdrlen, const void *data,
    size_t caplen, size_t wirelen)
{
	size_t n = hdrlen + caplen, pad = w->ng ? (4 - n % 4) % 4 : 0;
	size_t need = (w->ng ? 32 : 16) + n + pad;
	unsigned char *p = wroom(w, need);

	if (p == NULL)
		return -1;
	if (w->ng) {
		uint64_t ts = w->nano ? sec * 1000000000u + nsec :
		    sec * 1000000u + nsec / 1000;

		put32(p, 6);	/* an enhanced packet block */
		put32(p + 4, (uint32_t)need);
		put32(p + 8, ifid);
		put32(p + 12, (uint32_t)(ts >> 32));
		put32(p + 16, (uint32_t)ts);
		p += 20;
	} else {
		put32(p, (uint32_t)sec);
		put32(p + 4, w->nano ? nsec : nsec / 1000);
		p += 8;
	}
	put32(p, (uint32_t)n);
	put32(p + 4, (uint32_t)(hdrlen + wirelen));
	if (hdrlen)
		memcpy(p + 8, hdr, hdrlen);
	memcpy(p + 8 + hdrlen, data, caplen);
	if (w->ng) {
		memset(p + 8 + n, 0, pad);
		put32(p + 8 + n + pad, (uint32_t)need);
	}
	w->len += need;
	return 0;
}

int
pcap_write(struct pcap_writer *w, uint64_t sec, uint32_t nsec, const void *hdr,
    size_t hdrlen, const void *data, size_t caplen, size_t wirelen)
{
	return pcap_write_if(w, 0, sec, nsec, hdr, hdrlen, data, caplen,
	    wirelen);
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
get32s(int swap, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t
get16s(int swap, const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

static uint32_t
get32(const struct pcap_reader *r, const unsigned char *p)
{
	return get32s(r->swap, p);
}

/* The reader's error at the current offset: -1. */
static int
bad(const struct pcap_reader *r, const char *what)
{
	err_set(EXC_VALUE, "%s at offset %llu", what,
	    (unsigned long long)(r->skipped + r->off));
	return -1;
}

/* The window lacks n bytes from off: PCAP_MORE when the caller can read
 * on, else the error (what) of a truncated file. */
static int
short_of(struct pcap_reader *r, size_t n, const char *what)
{
	if (r->more) {
		r->want = n;
		return PCAP_MORE;
	}
	return bad(r, what);
}

/* ---- pcapng ---- */

/* Reads the options of an interface description (opt, n bytes) into f. */
static int
ng_iface_opts(struct pcap_reader *r, struct pcap_iface *f,
    const unsigned char *opt, size_t n)
{
	while (n >= 4) {
		uint16_t code = get16s(r->swap, opt);
		size_t len = get16s(r->swap, opt + 2);
		size_t all = 4 + len + (4 - len % 4) % 4;

		if (code == 0)
			break;
		if (all > n)
			return bad(r, "pcapng: corrupt interface option");
		if (code == 2)		/* if_name */
			snprintf(f->name, sizeof f->name, "%.*s", (int)len,
			    (const char *)opt + 4);
		else if (code == 9 && len >= 1) {	/* if_tsresol */
			f->binres = opt[4] >> 7;
			f->res = opt[4] & 0x7f;
			if (f->binres ? f->res > 63 : f->res > 19)
				return bad(r, "pcapng: unsupported timestamp "
				    "resolution");
		} else if (code == 14 && len >= 8) {	/* if_tsoffset */
			uint64_t v;

			memcpy(&v, opt + 4, 8);
			f->tsoffset = (int64_t)(r->swap ? __builtin_bswap64(v) :
			    v);
		}
		opt += all;
		n -= all;
	}
	return 0;
}

/* An interface description block (body b, n bytes). */
static int
ng_idb(struct pcap_reader *r, const unsigned char *b, size_t n)
{
	struct pcap_iface f;

	if (n < 8)
		return bad(r, "pcapng: corrupt interface description");
	memset(&f, 0, sizeof f);
	f.linktype = get16s(r->swap, b);
	f.snaplen = get32(r, b + 4);
	f.swap = r->swap;
	f.res = 6;
	if (ng_iface_opts(r, &f, b + 8, n - 8) < 0)
		return -1;
	if (r->nifs % 8 == 0)
		r->ifs = xrealloc(r->ifs, (r->nifs + 8) * sizeof *r->ifs);
	r->ifs[r->nifs++] = f;
	return 0;
}

/* A section header block at off (the window holds 12 bytes of it). */
static int
ng_shb(struct pcap_reader *r, const unsigned char *b)
{
	uint32_t bom;

	memcpy(&bom, b + 8, 4);
	if (bom == 0x1a2b3c4d)
		r->swap = 0;
	else if (bom == 0x4d3c2b1a)
		r->swap = 1;
	else
		return bad(r, "pcapng: bad byte-order magic");
	r->ifbase = r->nifs;	/* interface numbers start again */
	return 0;
}

/* A packet block's timestamp ts of interface f as seconds and ns. */
static void
ng_time(const struct pcap_iface *f, uint64_t ts, struct pcap_rec *rec)
{
	uint64_t sec, frac, div = 1;
	unsigned i;

	if (f->binres) {
		sec = f->res ? ts >> f->res : ts;
		frac = f->res ? ts & ((1ull << f->res) - 1) : 0;
		rec->nsec = (uint32_t)(((unsigned __int128)frac * 1000000000u)
		    >> f->res);
	} else {
		for (i = 0; i < f->res; i++)
			div *= 10;
		sec = ts / div;
		frac = ts % div;
		for (; i < 9; i++)
			frac *= 10;
		for (; i > 9; i--)
			frac /= 10;
		rec->nsec = (uint32_t)frac;
	}
	if (f->tsoffset < 0 && (uint64_t)-f->tsoffset > sec)
		sec = 0;
	else
		sec += (uint64_t)f->tsoffset;
	rec->sec = sec;
}

/* A packet block (type t, body b of n bytes) as rec: 1, or 0 for a block
 * that holds no packet, or -1. */
static int
ng_packet(struct pcap_reader *r, uint32_t t, const unsigned char *b,
    size_t n, struct pcap_rec *rec)
{
	uint32_t ifid, hi, lo;
	size_t head = t == 3 ? 4 : 20;
	const struct pcap_iface *f;

	if (n < head)
		return bad(r, "pcapng: corrupt packet block");
	if (t == 3) {		/* simple: interface 0, no time */
		ifid = 0;
		hi = lo = 0;
		rec->wirelen = get32(r, b);
		rec->caplen = (uint32_t)(n - 4);
	} else {
		ifid = t == 2 ? get16s(r->swap, b) : get32(r, b);
		hi = get32(r, b + 4);
		lo = get32(r, b + 8);
		rec->caplen = get32(r, b + 12);
		rec->wirelen = get32(r, b + 16);
		if (rec->caplen > n - head)
			return bad(r, "pcapng: corrupt packet block");
	}
	if (ifid >= r->nifs - r->ifbase)
		return bad(r, "pcapng: packet of an undescribed interface");
	rec->iface = r->ifbase + ifid;
	f = &r->ifs[rec->iface];
	if (t == 3) {
		if (rec->caplen > rec->wirelen)
			rec->caplen = rec->wirelen;
		if (f->snaplen && rec->caplen > f->snaplen)
			rec->caplen = f->snaplen;
	}
	rec->linktype = f->linktype;
	rec->data = b + head;
	ng_time(f, (uint64_t)hi << 32 | lo, rec);
	return 1;
}

/* The next block of a pcapng file: a packet as rec (1), or another block
 * taken in (0: rec is untouched), or the end (0 with off == len, done
 * set), PCAP_MORE or -1. */
static int
ng_next(struct pcap_reader *r, struct pcap_rec *rec, int *done)
{
	const unsigned char *b = r->p + r->off;
	size_t avail = r->len - r->off;
	uint32_t t, n;
	int k;

	*done = 0;
	if (avail == 0 && !r->more) {
		*done = 1;
		return 0;
	}
	if (avail < 12)
		return short_of(r, 12, "pcapng: truncated block");
	t = get32(r, b);
	if (t == 0x0a0d0d0a && ng_shb(r, b) < 0)
		return -1;
	n = get32(r, b + 4);
	if (n < 12 || n % 4 || n > PCAP_MAX_RECORD ||
	    (t == 0x0a0d0d0a && n < 28))
		return bad(r, "pcapng: corrupt block length");
	if (avail < n)
		return short_of(r, n, "pcapng: truncated block");
	if (get32(r, b + n - 4) != n)
		return bad(r, "pcapng: corrupt block (lengths differ)");
	switch (t) {
	case 1:
		k = ng_idb(r, b + 8, n - 12);
		break;
	case 2: case 3: case 6:
		k = ng_packet(r, t, b + 8, n - 12, rec);
		break;
	default:		/* section header, statistics, names... */
		k = 0;
		break;
	}
	if (k >= 0)
		r->off += n;
	return k;
}

/* ---- the reader ---- */

static int
classic_init(struct pcap_reader *r, uint32_t magic)
{
	struct pcap_iface f;

	memset(&f, 0, sizeof f);
	if (magic == MAGIC_US || magic == MAGIC_NS)
		r->nano = magic == MAGIC_NS;
	else {
		r->swap = 1;
		r->nano = __builtin_bswap32(magic) == MAGIC_NS;
	}
	r->snaplen = get32(r, r->p + 16);
	r->linktype = (int)(get32(r, r->p + 20) & 0x0fffffff);
	r->off = 24;
	f.linktype = r->linktype;
	f.snaplen = r->snaplen;
	f.swap = r->swap;
	f.res = r->nano ? 9 : 6;
	r->ifs = xmalloc(sizeof *r->ifs);
	r->ifs[0] = f;
	r->nifs = 1;
	return 0;
}

int
pcap_reader_init(struct pcap_reader *r, const void *p, size_t len, int more)
{
	struct pcap_rec rec;
	uint32_t magic = 0;
	int k, done;

	memset(r, 0, sizeof *r);
	r->p = p;
	r->len = len;
	r->more = more;
	if (len >= 4)
		memcpy(&magic, p, 4);
	if (len < 4 || (len < 24 && magic != 0x0a0d0d0a)) {
		if (more) {
			r->want = len < 4 ? 4 : 24;
			return PCAP_MORE;
		}
		err_set(EXC_VALUE, "not a pcap file (too short)");
		return -1;
	}
	if (magic == MAGIC_US || magic == MAGIC_NS ||
	    __builtin_bswap32(magic) == MAGIC_US ||
	    __builtin_bswap32(magic) == MAGIC_NS)
		return classic_init(r, magic);
	if (magic != 0x0a0d0d0a) {
		err_set(EXC_VALUE, "not a pcap file (magic 0x%08x)", magic);
		return -1;
	}
	/* pcapng: the blocks up to the first interface description */
	r->ng = 1;
	while (r->nifs == 0) {
		k = ng_next(r, &rec, &done);
		if (k == 0 && done)
			k = bad(r, "pcapng: no interface description");
		else if (k == 1)
			k = bad(r, "pcapng: packet of an undescribed "
			    "interface");
		if (k != 0) {
			pcap_reader_free(r);
			return k;
		}
	}
	r->linktype = r->ifs[0].linktype;
	r->snaplen = r->ifs[0].snaplen;
	r->nano = r->ifs[0].res > (r->ifs[0].binres ? 19u : 6u);
	return 0;
}

void
pcap_reader_free(struct pcap_reader *r)
{
	free(r->ifs);
	r->ifs = NULL;
	r->nifs = 0;
}

static int
classic_next(struct pcap_reader *r, struct pcap_rec *rec)
{
	const unsigned char *h;
	uint32_t frac;

	if (r->off == r->len && !r->more)
		return 0;
	if (r->len - r->off < 16)
		return short_of(r, 16, "pcap: truncated record header");
	h = r->p + r->off;
	rec->sec = get32(r, h);
	frac = get32(r, h + 4);
	rec->nsec = r->nano ? frac : frac * 1000;
	rec->caplen = get32(r, h + 8);
	rec->wirelen = get32(r, h + 12);
	if (frac >= (r->nano ? 1000000000u : 1000000u) ||
	    rec->caplen > PCAP_MAX_RECORD)
		return bad(r, "pcap: corrupt or truncated record");
	if (rec->caplen > r->len - r->off - 16)
		return short_of(r, 16 + (size_t)rec->caplen,
		    "pcap: corrupt or truncated record");
	rec->data = h + 16;
	rec->iface = 0;
	rec->linktype = r->linktype;
	r->off += 16 + (size_t)rec->caplen;
	return 1;
}

int
pcap_next(struct pcap_reader *r, struct pcap_rec *rec)
{
	int k, done = 0;

	if (!r->ng)
		k = classic_next(r, rec);
	else
		do
			k = ng_next(r, rec, &done);
		while (k == 0 && !done);
	if (k == 1 && rec->wirelen < rec->caplen)
		rec->wirelen = rec->caplen;
	return k;
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
