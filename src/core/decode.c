/* decode.c - packet summaries as JSON and as tcpdump-like text. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/decode.h"
#include "core/pcap.h"
#include "json.h"

struct dc {
	struct jw *j;		/* the summary's writer, or NULL */
	struct buf *t;		/* the text line, or NULL */
};

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
open_obj(struct dc *d, const char *name)
{
	if (d->j) {
		jw_key(d->j, name);
		jw_open_obj(d->j);
	}
}

static void
close_obj(struct dc *d)
{
	if (d->j)
		jw_close_obj(d->j);
}

/* Opens the list member name (when first is set: the list's first item is
 * next) and then the next item's object. */
static void
open_item(struct dc *d, const char *name, int first)
{
	if (!d->j)
		return;
	if (first) {
		jw_key(d->j, name);
		jw_open_arr(d->j);
	}
	jw_open_obj(d->j);
}

static void
jint(struct dc *d, const char *name, unsigned long v)
{
	if (d->j) {
		jw_key(d->j, name);
		jw_uint(d->j, v);
	}
}

static void
jstr(struct dc *d, const char *name, const char *s)
{
	if (d->j) {
		jw_key(d->j, name);
		jw_strz(d->j, s);
	}
}

static void
jhex(struct dc *d, const char *name, const uint8_t *p, size_t n)
{
	if (d->j) {
		jw_key(d->j, name);
		jw_hex(d->j, p, n);
	}
}

static void
text(struct dc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
text(struct dc *d, const char *fmt, ...)
{
	va_list ap;
	char tmp[256];
	int n;

	if (!d->t)
		return;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_put(d->t, tmp, (size_t)n < sizeof tmp ? (size_t)n :
		    sizeof tmp - 1);
}

static void
mac_text(char *out, const uint8_t *m, size_t n)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n && i < 8; i++)	/* out holds 8 * 3 bytes */
		snprintf(out + (i ? 3 * i - 1 : 0), 4, i ? ":%02x" : "%02x",
		    m[i]);
}

/* Bytes nobody here understands: kept as hex. */
static void
unknown(struct dc *d, const char *what, unsigned long num, const uint8_t *p,
    size_t n)
{
	open_obj(d, "unknown");
	jstr(d, "layer", what);
	jint(d, "type", num);
	jhex(d, "hex", p, n);
	close_obj(d);
}

static const char *
tcp_flags(uint8_t f, char *out)
{
	char *o = out;

	/* tcpdump's order: FIN SYN RST PSH ACK URG ECE CWR */
	if (f & 0x01) *o++ = 'F';
	if (f & 0x02) *o++ = 'S';
	if (f & 0x04) *o++ = 'R';
	if (f & 0x08) *o++ = 'P';
	if (f & 0x10) *o++ = '.';
	if (f & 0x20) *o++ = 'U';
	if (f & 0x40) *o++ = 'E';
	if (f & 0x80) *o++ = 'W';
	if (o == out) *o++ = 'n', *o++ = 'o', *o++ = 'n', *o++ = 'e';
	*o = '\0';
	return out;
}

static const char *
icmp_name(unsigned type, int v6)
{
	if (!v6)
		switch (type) {
		case 0: return "echo reply";
		case 3: return "unreachable";
		case 5: return "redirect";
		case 8: return "echo request";
		case 11: return "time exceeded";
		case 12: return "parameter problem";
		}
	else
		switch (type) {
		case 1: return "destination unreachable";
		case 2: return "packet too big";
		case 3: return "time exceeded";
		case 4: return "parameter problem";
		case 128: return "echo request";
		case 129: return "echo reply";
		case 133: return "router solicitation";
		case 134: return "router advertisement";
		case 135: return "neighbor solicitation";
		case 136: return "neighbor advertisement";
		}
	return NULL;
}

/* Transport layer: proto over the n bytes at p, between addresses src and
 * dst (text), paylen bytes of IP payload on the wire. */
static void
transport(struct dc *d, unsigned proto, const uint8_t *p, size_t n,
    size_t paylen, const char *src, const char *dst, int v6)
{
	char fl[16];

	if (proto == IPPROTO_TCP && n >= 20 && (size_t)(p[12] >> 4) * 4 >= 20 &&
	    (size_t)(p[12] >> 4) * 4 <= n) {
		size_t hl = (size_t)(p[12] >> 4) * 4;
		size_t len = paylen > hl ? paylen - hl : 0;

		open_obj(d, "tcp");
		jint(d, "sport", be16(p));
		jint(d, "dport", be16(p + 2));
		jint(d, "seq", be32(p + 4));
		jint(d, "ack", be32(p + 8));
		jstr(d, "flags", tcp_flags(p[13], fl));
		jint(d, "win", be16(p + 14));
		jint(d, "len", len);
		close_obj(d);
		text(d, "%s.%u > %s.%u: Flags [%s], seq %u", src, be16(p), dst,
		    be16(p + 2), fl, be32(p + 4));
		if (p[13] & 0x10)
			text(d, ", ack %u", be32(p + 8));
		text(d, ", win %u, length %zu", be16(p + 14), len);
		return;
	}
	if (proto == IPPROTO_UDP && n >= 8) {
		size_t len = be16(p + 4) >= 8 ? be16(p + 4) - 8u : 0;

		open_obj(d, "udp");
		jint(d, "sport", be16(p));
		jint(d, "dport", be16(p + 2));
		jint(d, "len", len);
		close_obj(d);
		text(d, "%s.%u > %s.%u: UDP, length %zu", src, be16(p), dst,
		    be16(p + 2), len);
		return;
	}
	if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) && n >= 4) {
		int is6 = proto == IPPROTO_ICMPV6;
		const char *nm = icmp_name(p[0], is6);
		int echo = is6 ? (p[0] == 128 || p[0] == 129) :
		    (p[0] == 0 || p[0] == 8);

		open_obj(d, is6 ? "icmp6" : "icmp");
		jint(d, "type", p[0]);
		jint(d, "code", p[1]);
		if (echo && n >= 8) {
			jint(d, "id", be16(p + 4));
			jint(d, "seq", be16(p + 6));
		}
		close_obj(d);
		text(d, "%s > %s: %s", src, dst, is6 ? "ICMP6, " : "ICMP ");
		if (nm)
			text(d, "%s", nm);
		else
			text(d, "type %u, code %u", p[0], p[1]);
		if (echo && n >= 8)
			text(d, ", id %u, seq %u", be16(p + 4), be16(p + 6));
		text(d, ", length %zu", paylen);
		return;
	}
	unknown(d, v6 ? "ipv6 next header" : "ip protocol", proto, p, n);
	text(d, "%s > %s: ip-proto-%u %zu", src, dst, proto, paylen);
}

static void
ipv4(struct dc *d, const uint8_t *p, size_t n)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	size_t hl, tot, avail;
	unsigned frag;

	if (n < 20 || (p[0] >> 4) != 4 || (hl = (size_t)(p[0] & 15) * 4) < 20 ||
	    hl > n) {
		unknown(d, "ipv4 (truncated or bad)", 0x0800, p, n);
		text(d, "IP truncated, length %zu", n);
		return;
	}
	inet_ntop(AF_INET, p + 12, src, sizeof src);
	inet_ntop(AF_INET, p + 16, dst, sizeof dst);
	tot = be16(p + 2);
	frag = be16(p + 6);
	open_obj(d, "ipv4");
	jstr(d, "src", src);
	jstr(d, "dst", dst);
	jint(d, "proto", p[9]);
	jint(d, "ttl", p[8]);
	jint(d, "id", be16(p + 4));
	jint(d, "len", tot);
	jstr(d, "flags", (frag & 0x4000) ? ((frag & 0x2000) ? "DF+MF" : "DF") :
	    (frag & 0x2000) ? "MF" : "");
	jint(d, "frag", (frag & 0x1fffu) * 8u);
	close_obj(d);
	text(d, "IP ");
	avail = n - hl;
	if (tot >= hl && tot - hl < avail)
		avail = tot - hl;
	if (frag & 0x1fff) {
		open_obj(d, "fragment");
		jint(d, "proto", p[9]);
		jint(d, "len", tot > hl ? tot - hl : 0);
		close_obj(d);
		text(d, "%s > %s: ip-proto-%u, frag offset %u, length %zu", src,
		    dst, p[9], (frag & 0x1fffu) * 8u, tot > hl ? tot - hl : 0);
		return;
	}
	transport(d, p[9], p + hl, avail, tot > hl ? tot - hl : avail, src, dst,
	    0);
}

static void
ipv6(struct dc *d, const uint8_t *p, size_t n)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t off = 40, plen;
	unsigned nh;
	int ext_open = 0, frag_later = 0;

	if (n < 40 || (p[0] >> 4) != 6) {
		unknown(d, "ipv6 (truncated or bad)", 0x86dd, p, n);
		text(d, "IP6 truncated, length %zu", n);
		return;
	}
	inet_ntop(AF_INET6, p + 8, src, sizeof src);
	inet_ntop(AF_INET6, p + 24, dst, sizeof dst);
	plen = be16(p + 4);
	nh = p[6];
	open_obj(d, "ipv6");
	jstr(d, "src", src);
	jstr(d, "dst", dst);
	jint(d, "nh", nh);
	jint(d, "hlim", p[7]);
	jint(d, "plen", plen);
	jint(d, "flow", be32(p) & 0xfffff);
	/* extension headers */
	while (nh == 0 || nh == 43 || nh == 60 || nh == 44 || nh == 51) {
		size_t len;

		if (n - off < 8)
			break;
		len = nh == 44 ? 8 : nh == 51 ? ((size_t)p[off + 1] + 2) * 4 :
		    ((size_t)p[off + 1] + 1) * 8;
		if (len > n - off)
			break;
		open_item(d, "ext", !ext_open);
		jint(d, "type", nh);
		jint(d, "len", len);
		if (nh == 44) {
			jint(d, "offset", be16(p + off + 2) & 0xfff8u);
			if (d->j) {
				jw_key(d->j, "more");
				jw_bool(d->j, p[off + 3] & 1);
			}
			jint(d, "id", be32(p + off + 4));
		}
		close_obj(d);
		ext_open = 1;
		if (nh == 44 && (be16(p + off + 2) & 0xfff8))
			frag_later = 1;
		nh = p[off];
		off += len;
	}
	if (ext_open && d->j)
		jw_close_arr(d->j);
	close_obj(d);
	text(d, "IP6 ");
	{
		size_t avail = n - off, pay = plen + 40 > off ? plen +
		    40 - off : 0;

		if (pay < avail)
			avail = pay;
		if (frag_later) {
			text(d, "%s > %s: frag, next header %u, length %zu",
			    src, dst, nh, pay);
			return;
		}
		transport(d, nh, p + off, avail, pay, src, dst, 1);
	}
}

static void
arp(struct dc *d, const uint8_t *p, size_t n)
{
	char spa[INET_ADDRSTRLEN], tpa[INET_ADDRSTRLEN], sha[32], tha[32];
	unsigned op;

	if (n < 28 || be16(p) != 1 || be16(p + 2) != 0x0800 || p[4] != 6 ||
	    p[5] != 4) {
		unknown(d, "arp (not Ethernet/IPv4)", 0x0806, p, n);
		text(d, "ARP, length %zu", n);
		return;
	}
	op = be16(p + 6);
	mac_text(sha, p + 8, 6);
	mac_text(tha, p + 18, 6);
	inet_ntop(AF_INET, p + 14, spa, sizeof spa);
	inet_ntop(AF_INET, p + 24, tpa, sizeof tpa);
	open_obj(d, "arp");
	jstr(d, "op", op == 1 ? "request" : op == 2 ? "reply" : "other");
	jint(d, "opcode", op);
	jstr(d, "sha", sha);
	jstr(d, "spa", spa);
	jstr(d, "tha", tha);
	jstr(d, "tpa", tpa);
	close_obj(d);
	if (op == 1)
		text(d, "ARP, Request who-has %s tell %s, length %zu", tpa, spa,
		    n);
	else if (op == 2)
		text(d, "ARP, Reply %s is-at %s, length %zu", spa, sha, n);
	else
		text(d, "ARP, opcode %u, length %zu", op, n);
}

static void
network(struct dc *d, unsigned et, const uint8_t *p, size_t n)
{
	switch (et) {
	case 0x0800: ipv4(d, p, n); return;
	case 0x86dd: ipv6(d, p, n); return;
	case 0x0806: arp(d, p, n); return;
	}
	unknown(d, "ethertype", et, p, n);
	text(d, "ethertype 0x%04x, length %zu", et, n);
}

static void
ethernet(struct dc *d, const uint8_t *p, size_t n)
{
	char src[32], dst[32];
	unsigned et;
	size_t off = 14;
	int vl = 0;

	if (n < 14) {
		unknown(d, "ethernet (truncated)", 0, p, n);
		text(d, "truncated ethernet, length %zu", n);
		return;
	}
	mac_text(dst, p, 6);
	mac_text(src, p + 6, 6);
	et = be16(p + 12);
	open_obj(d, "eth");
	jstr(d, "src", src);
	jstr(d, "dst", dst);
	jint(d, "type", et);
	close_obj(d);
	while ((et == 0x8100 || et == 0x88a8 || et == 0x9100) && n - off >= 4) {
		unsigned tci = be16(p + off);

		open_item(d, "vlan", !vl);
		jint(d, "id", tci & 0xfff);
		jint(d, "pcp", tci >> 13);
		jint(d, "dei", (tci >> 12) & 1);
		jint(d, "tpid", et);
		close_obj(d);
		vl = 1;
		text(d, "vlan %u, p %u, ", tci & 0xfff, tci >> 13);
		et = be16(p + off + 2);
		off += 4;
	}
	if (vl && d->j)
		jw_close_arr(d->j);
	if (et < 0x0600) {
		unknown(d, "802.3 llc", et, p + off, n - off);
		text(d, "802.3, length %u", et);
		return;
	}
	network(d, et, p + off, n - off);
}

void
decode_packet(const uint8_t *p, size_t caplen, size_t wirelen, int linktype,
    unsigned ethertype, struct jw *json, struct buf *txt)
{
	struct dc d = { json, txt };

	if (json)
		jw_open_obj(json);
	switch (linktype) {
	case LINKTYPE_EN10MB:
		ethernet(&d, p, caplen);
		break;
	case LINKTYPE_NULL: case LINKTYPE_LOOP:
		/* the address family word, then IP (its version says which) */
		if (caplen < 4) {
			unknown(&d, "loopback (truncated)", 0, p, caplen);
			text(&d, "truncated loopback header");
			break;
		}
		p += 4;
		caplen -= 4;
		/* FALLTHROUGH */
	case LINKTYPE_RAW: case LINKTYPE_DLT_RAW: case LINKTYPE_DLT_RAW_OBSD:
	case LINKTYPE_IPV4: case LINKTYPE_IPV6:
		if (caplen && (p[0] >> 4) == 6)
			ipv6(&d, p, caplen);
		else
			ipv4(&d, p, caplen);
		break;
	case LINKTYPE_LINUX_SLL:
	case LINKTYPE_LINUX_SLL2: {
		size_t hl = linktype == LINKTYPE_LINUX_SLL ? 16 : 20;
		unsigned et, pkttype, hatype, halen, ifindex = 0;
		const uint8_t *addr;
		char a[32];

		if (caplen < hl) {
			unknown(&d, "linux cooked (truncated)", 0, p, caplen);
			text(&d, "truncated cooked header");
			break;
		}
		if (hl == 16) {
			pkttype = be16(p);
			hatype = be16(p + 2);
			halen = be16(p + 4);
			addr = p + 6;
			et = be16(p + 14);
		} else {
			et = be16(p);
			ifindex = be32(p + 4);
			hatype = be16(p + 8);
			pkttype = p[10];
			halen = p[11];
			addr = p + 12;
		}
		mac_text(a, addr, halen > 8 ? 8 : halen);
		open_obj(&d, "sll");
		jint(&d, "pkttype", pkttype);
		jint(&d, "hatype", hatype);
		jstr(&d, "addr", a);
		jint(&d, "proto", et);
		if (hl == 20)
			jint(&d, "ifindex", ifindex);
		close_obj(&d);
		network(&d, et, p + hl, caplen - hl);
		break;
	}
	case DECODE_L3:
		network(&d, ethertype, p, caplen);
		break;
	default:
		unknown(&d, "linktype", (unsigned long)linktype, p, caplen);
		text(&d, "linktype %d, length %zu", linktype, caplen);
	}
	jint(&d, "caplen", caplen);
	jint(&d, "len", wirelen);
	close_obj(&d);
}
