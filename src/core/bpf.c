/* bpf.c - the filter language of sockit-sniff(1) compiled to classic BPF,
 * the "tcpdump -ddd" text form, a validator and an interpreter.
 *
 * Code is generated while parsing (recursive descent).  Every generator
 * takes two labels, where to go when the test holds (t) and when it does not
 * (f), and ends in a conditional or unconditional jump: "A and B" gives A the
 * labels (start of B, f), "not A" swaps them.  A label is placed at an
 * instruction index or made an alias of another; all jumps go forward. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/bpf.h"
#include "error.h"

#define ET_IP	0x0800
#define ET_ARP	0x0806
#define ET_RARP	0x8035
#define ET_IP6	0x86dd

enum { P_NONE, P_IP, P_IP6, P_ARP, P_RARP, P_TCP, P_UDP, P_SCTP, P_ICMP,
	P_ICMP6, P_IGMP, P_ETHER };
enum { D_DEFAULT, D_SRC, D_DST, D_OR, D_AND };
enum { T_DEFAULT, T_HOST, T_NET, T_PORT, T_PORTRANGE, T_PROTO };

struct qual { int proto, dir, type; };

struct ins { uint16_t code; int jt, jf; uint32_t k; int ja; };

struct gen {
	struct ins *v;
	size_t n, cap;
	int *lab;		/* >= 0: position; -1: unplaced; <= -2: alias of
				 * -lab-2 */
	size_t nlab, labcap;
	char **tok;
	size_t ntok, pos;
	enum bpf_link link;
	int kernel;
	uint32_t shift;		/* bytes added by "vlan" primitives so far */
	struct qual last;	/* qualifiers of the last primitive with an
				 * id */
	int have_last;
	int depth;		/* open parentheses (MAX_PARENS at most) */
};

#define MAX_PARENS 200

static const struct { const char *name; int proto; } protos[] = {
	{ "ip", P_IP }, { "ip6", P_IP6 }, { "arp", P_ARP }, { "rarp", P_RARP },
	{ "tcp", P_TCP }, { "udp", P_UDP }, { "sctp", P_SCTP },
	    { "icmp", P_ICMP },
	{ "icmp6", P_ICMP6 }, { "igmp", P_IGMP }, { "ether", P_ETHER },
};

/* ---- code buffer and labels --------------------------------------------- */

static int
newlabel(struct gen *g)
{
	if (g->nlab == g->labcap) {
		g->labcap = g->labcap ? g->labcap * 2 : 64;
		g->lab = xrealloc(g->lab, g->labcap * sizeof *g->lab);
	}
	g->lab[g->nlab] = -1;
	return (int)g->nlab++;
}

static void
place(struct gen *g, int l)
{
	g->lab[l] = (int)g->n;
}

static void
alias(struct gen *g, int l, int to)
{
	g->lab[l] = -to - 2;
}

/* Resolves label l to an instruction index (-1 when never placed). */
static int
labpos(const struct gen *g, int l)
{
	size_t hops = 0;

	while (g->lab[l] <= -2 && hops++ < g->nlab)
		l = -g->lab[l] - 2;
	return g->lab[l];
}

static void
emit(struct gen *g, uint16_t code, uint32_t k)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	g->v[g->n].code = code;
	g->v[g->n].k = k;
	g->v[g->n].jt = g->v[g->n].jf = -1;
	g->v[g->n].ja = -1;
	g->n++;
}

/* A conditional jump (op: BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET) on A vs k. */
static void
jmp(struct gen *g, uint16_t op, uint32_t k, int t, int f)
{
	emit(g, BPF_JMP | op | BPF_K, k);
	g->v[g->n - 1].jt = t;
	g->v[g->n - 1].jf = f;
}

static void
jump(struct gen *g, int l)
{
	emit(g, BPF_JMP | BPF_JA, 0);
	g->v[g->n - 1].ja = l;
}

static void
ld(struct gen *g, uint16_t size, uint32_t off)
{
	emit(g, BPF_LD | size | BPF_ABS, off);
}

static void
ldanc(struct gen *g, uint32_t what)
{
	emit(g, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(SKF_AD_OFF + (int)what));
}

/* ---- offsets ------------------------------------------------------------- */

static uint32_t
off_nl(const struct gen *g)
{
	switch (g->link) {
	case BL_EN10MB: return 14 + g->shift;
	case BL_SLL: return 16;
	case BL_SLL2: return 20;
	case BL_NULL_LE: case BL_NULL_BE: return 4;
	default: return 0;
	}
}

/* Does the link carry IP alone (no ARP, no link addresses)? */
static int
ip_only(const struct gen *g)
{
	return g->link == BL_RAW || g->link == BL_NULL_LE ||
	    g->link == BL_NULL_BE;
}

/* A BSD loopback header's test for et: its address family word (IPv6 has
 * three, those of the BSDs and Darwin, as libpcap tests). */
static void
gen_loopback_af(struct gen *g, uint32_t et, int t, int f)
{
	static const uint32_t v6[] = { 24, 28, 30 };
	size_t i;

	if (et != ET_IP && et != ET_IP6) {
		jump(g, f);
		return;
	}
	ld(g, BPF_W, 0);
	for (i = 0; i < (et == ET_IP ? 1 : 3); i++) {
		uint32_t af = et == ET_IP ? 2 : v6[i];
		int last = et == ET_IP || i == 2, next = last ? f : newlabel(g);

		jmp(g, BPF_JEQ, g->link == BL_NULL_LE ?
		    __builtin_bswap32(af) : af, t, next);
		if (!last)
			place(g, next);
	}
}

/* A holds the ethertype (or a RAW packet's version); jumps like jmp. */
static void
gen_ethertype(struct gen *g, uint32_t et, int t, int f)
{
	switch (g->link) {
	case BL_RAW:
		if (et != ET_IP && et != ET_IP6) {
			jump(g, f);
			return;
		}
		ld(g, BPF_B, 0);
		emit(g, BPF_ALU | BPF_AND | BPF_K, 0xf0);
		jmp(g, BPF_JEQ, et == ET_IP ? 0x40 : 0x60, t, f);
		return;
	case BL_COOKED:
		ldanc(g, SKF_AD_PROTOCOL);
		break;
	case BL_NULL_LE: case BL_NULL_BE:
		gen_loopback_af(g, et, t, f);
		return;
	case BL_EN10MB: ld(g, BPF_H, 12 + g->shift); break;
	case BL_SLL: ld(g, BPF_H, 14); break;
	case BL_SLL2: ld(g, BPF_H, 0); break;
	}
	jmp(g, BPF_JEQ, et, t, f);
}

/* ---- errors and tokens --------------------------------------------------- */

static int
syntax(struct gen *g, const char *what)
{
	const char *w = g->pos < g->ntok ? g->tok[g->pos] : NULL;

	if (w)
		err_set(EXC_VALUE, "filter: %s at '%s'", what, w);
	else if (g->ntok > 0)	/* the word that wants more */
		err_set(EXC_VALUE, "filter: %s after '%s' at end of expression",
		    what, g->tok[g->ntok - 1]);
	else
		err_set(EXC_VALUE, "filter: %s at end of expression", what);
	return -1;
}

static const char *
peek(const struct gen *g, size_t ahead)
{
	return g->pos + ahead < g->ntok ? g->tok[g->pos + ahead] : NULL;
}

static int
is(const struct gen *g, size_t ahead, const char *w)
{
	const char *p = peek(g, ahead);

	return p && strcmp(p, w) == 0;
}

static int
tokenize(struct gen *g, const char *s)
{
	size_t cap = 0;

	while (*s) {
		const char *st = s;
		size_t n;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (*s == '(' || *s == ')' || *s == '!')
			n = 1;
		else if ((s[0] == '&' && s[1] == '&') ||
		    (s[0] == '|' && s[1] == '|'))
			n = 2;
		else {
			while (*s && !isspace((unsigned char)*s) && *s != '(' &&
			    *s != ')' &&
			    !(s[0] == '&' && s[1] == '&') &&
			    !(s[0] == '|' && s[1] == '|') &&
			    !(*s == '!' && s[1] != '='))
				s++;
			n = (size_t)(s - st);
			s = st;
		}
		if (g->ntok == cap) {
			cap = cap ? cap * 2 : 16;
			g->tok = xrealloc(g->tok, cap * sizeof *g->tok);
		}
		g->tok[g->ntok++] = xmemdup(st, n);
		s = st + n;
	}
	return 0;
}

static int
proto_word(const char *w)
{
	size_t i;

	for (i = 0; w && i < sizeof protos / sizeof protos[0]; i++)
		if (strcmp(w, protos[i].name) == 0)
			return protos[i].proto;
	return P_NONE;
}

/* Is w a word of the language (so that it cannot be a bare id)? */
static int
keyword(const char *w)
{
	static const char *const kw[] = { "and", "or", "not", "&&", "||", "!",
	    "(", ")",
		"src", "dst", "host", "net", "port", "portrange", "proto",
		    "mask",
		"vlan", "less", "greater", "broadcast", "multicast", NULL };
	size_t i;

	if (proto_word(w) != P_NONE)
		return 1;
	for (i = 0; kw[i]; i++)
		if (strcmp(w, kw[i]) == 0)
			return 1;
	return 0;
}

/* Is w a word of libpcap's language that sockit's compiler lacks?  Such a
 * word is never a host name (libpcap's scanner reads it as a keyword or a
 * named number), so it is refused by name, with no DNS lookup. */
static int
pcap_only_word(const char *w)
{
	static const char *const kw[] = {
		"protochain", "gateway", "fddi", "tr", "wlan", "decnet",
		"lat", "moprc", "mopdl", "iso", "stp", "ipx", "netbeui",
		"sca", "atalk", "aarp", "igrp", "pim", "ah", "esp", "vrrp",
		"carp", "radio", "clnp", "esis", "es-is", "isis", "is-is",
		"l1", "l2", "iih", "lsp", "snp", "csnp", "psnp", "len",
		"inbound", "outbound", "ifindex", "mpls", "pppoed", "pppoes",
		"geneve", "vxlan", "ifname", "on", "rnr", "rulenum",
		"reason", "rset", "srnr", "subrulenum", "action", "type",
		"subtype", "dir", "direction", "addr1", "addr2", "addr3",
		"addr4", "ra", "ta", "address", "llc", "lane", "oam",
		"oamf4", "oamf5", "sc", "ilmic", "metac", "bcc",
		"connectmsg", "metaconnect", "vpi", "vci", "ppp", "slip",
		"link", "hopopt", "tcpflags", "icmptype", "icmpcode",
		"icmp6type", "icmp6code", "tcp-fin", "tcp-syn", "tcp-rst",
		"tcp-push", "tcp-ack", "tcp-urg", "tcp-ece", "tcp-cwr",
		NULL };
	size_t i;

	for (i = 0; kw[i]; i++)
		if (strcmp(w, kw[i]) == 0)
			return 1;
	return strncmp(w, "icmp-", 5) == 0 || strncmp(w, "icmp6-", 6) == 0;
}

static int
number(const char *w, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (w == NULL || !isdigit((unsigned char)*w))
		return -1;
	errno = 0;
	v = strtoul(w, &end, 0);
	if (*end || errno || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* ---- primitives ---------------------------------------------------------- */

/* IP protocol p over IPv4 (v4) and/or IPv6 (v6, through one fragment
 * header). */
static void
gen_ipproto(struct gen *g, int v4, int v6, uint32_t p, int t, int f)
{
	uint32_t nl = off_nl(g);

	if (v6) {
		int l1 = newlabel(g), l2 = newlabel(g),
		    next = v4 ? newlabel(g) : f;

		gen_ethertype(g, ET_IP6, l1, next);
		place(g, l1);
		ld(g, BPF_B, nl + 6);
		jmp(g, BPF_JEQ, p, t, l2);
		place(g, l2);
		l1 = newlabel(g);
		jmp(g, BPF_JEQ, 44, l1, next);
		place(g, l1);
		ld(g, BPF_B, nl + 40);
		jmp(g, BPF_JEQ, p, t, next);
		if (v4)
			place(g, next);
	}
	if (v4) {
		int l1 = newlabel(g);

		gen_ethertype(g, ET_IP, l1, f);
		place(g, l1);
		ld(g, BPF_B, nl + 9);
		jmp(g, BPF_JEQ, p, t, f);
	}
}

/* A protocol name on its own ("tcp", "arp", ...). */
static int
gen_proto_only(struct gen *g, int proto, int t, int f)
{
	switch (proto) {
	case P_IP: gen_ethertype(g, ET_IP, t, f); break;
	case P_IP6: gen_ethertype(g, ET_IP6, t, f); break;
	case P_ARP: gen_ethertype(g, ET_ARP, t, f); break;
	case P_RARP: gen_ethertype(g, ET_RARP, t, f); break;
	case P_TCP: gen_ipproto(g, 1, 1, IPPROTO_TCP, t, f); break;
	case P_UDP: gen_ipproto(g, 1, 1, IPPROTO_UDP, t, f); break;
	case P_SCTP: gen_ipproto(g, 1, 1, IPPROTO_SCTP, t, f); break;
	case P_ICMP: gen_ipproto(g, 1, 0, IPPROTO_ICMP, t, f); break;
	case P_IGMP: gen_ipproto(g, 1, 0, IPPROTO_IGMP, t, f); break;
	case P_ICMP6: gen_ipproto(g, 0, 1, IPPROTO_ICMPV6, t, f); break;
	default:
		return syntax(g,
		    "'ether' needs host, src, dst, proto, "
		    "broadcast or multicast");
	}
	return 0;
}

/* Compares the nwords 32-bit words at off (masked) with val: t when all
 * equal, f at the first difference. */
static void
gen_words(struct gen *g, uint32_t off, const uint32_t *val,
    const uint32_t *mask, int nwords, int t, int f)
{
	int i, last = -1;

	for (i = 0; i < nwords; i++)
		if (mask[i])
			last = i;
	if (last < 0) {
		jump(g, t);
		return;
	}
	for (i = 0; i <= last; i++) {
		int next;

		if (mask[i] == 0)
			continue;
		next = i == last ? t : newlabel(g);
		ld(g, BPF_W, off + 4 * (uint32_t)i);
		if (mask[i] != 0xffffffff)
			emit(g, BPF_ALU | BPF_AND | BPF_K, mask[i]);
		jmp(g, BPF_JEQ, val[i], next, f);
		if (i != last)
			place(g, next);
	}
}

/* The source/destination combination of dir over two tests. */
typedef void (*side_fn)(struct gen *g, int dst, const void *arg, int t, int f);

static void
gen_dir(struct gen *g, int dir, side_fn fn, const void *arg, int t, int f)
{
	int l;

	switch (dir) {
	case D_SRC: fn(g, 0, arg, t, f); return;
	case D_DST: fn(g, 1, arg, t, f); return;
	case D_AND:
		l = newlabel(g);
		fn(g, 0, arg, l, f);
		place(g, l);
		fn(g, 1, arg, t, f);
		return;
	default:
		l = newlabel(g);
		fn(g, 0, arg, t, l);
		place(g, l);
		fn(g, 1, arg, t, f);
		return;
	}
}

struct addrarg {
	uint32_t soff, doff;	/* relative to the network header */
	int nwords;
	uint32_t val[4], mask[4];
};

static void
side_addr(struct gen *g, int dst, const void *arg, int t, int f)
{
	const struct addrarg *a = arg;

	gen_words(g, off_nl(g) + (dst ? a->doff : a->soff), a->val, a->mask,
	    a->nwords, t, f);
}

/* host/net on one protocol: ethertype et, address words at the offsets. */
static void
gen_addr_on(struct gen *g, uint32_t et, int dir, struct addrarg *a, int t,
    int f)
{
	int l = newlabel(g);

	gen_ethertype(g, et, l, f);
	place(g, l);
	gen_dir(g, dir, side_addr, a, t, f);
}

/* IPv4 host/net (val/mask) for the protocol qualifier proto. */
static int
gen_net4(struct gen *g, const struct qual *q, uint32_t val, uint32_t mask,
    int t, int f)
{
	struct addrarg a = { 12, 16, 1, { val & mask }, { mask } };
	struct addrarg arp = { 14, 24, 1, { val & mask }, { mask } };
	int l1, l2;

	switch (q->proto) {
	case P_IP: gen_addr_on(g, ET_IP, q->dir, &a, t, f); return 0;
	case P_ARP: gen_addr_on(g, ET_ARP, q->dir, &arp, t, f); return 0;
	case P_RARP: gen_addr_on(g, ET_RARP, q->dir, &arp, t, f); return 0;
	case P_NONE:
		if (ip_only(g)) {
			gen_addr_on(g, ET_IP, q->dir, &a, t, f);
			return 0;
		}
		l1 = newlabel(g);
		l2 = newlabel(g);
		gen_addr_on(g, ET_IP, q->dir, &a, t, l1);
		place(g, l1);
		gen_addr_on(g, ET_ARP, q->dir, &arp, t, l2);
		place(g, l2);
		gen_addr_on(g, ET_RARP, q->dir, &arp, t, f);
		return 0;
	}
	return syntax(g, "this protocol does not take an IPv4 host or net");
}

static int
gen_net6(struct gen *g, const struct qual *q, const struct in6_addr *in,
    int bits, int t, int f)
{
	struct addrarg a = { 8, 24, 4, { 0 }, { 0 } };
	int i;

	if (q->proto != P_NONE && q->proto != P_IP6)
		return syntax(g,
		    "this protocol does not take an IPv6 host or net");
	for (i = 0; i < 4; i++) {
		uint32_t w;
		int b = bits - 32 * i;

		memcpy(&w, in->s6_addr + 4 * i, 4);
		a.mask[i] = b >= 32 ? 0xffffffff : b <= 0 ? 0 :
		    ~(0xffffffffu >> b);
		a.val[i] = ntohl(w) & a.mask[i];
	}
	gen_addr_on(g, ET_IP6, q->dir, &a, t, f);
	return 0;
}

struct macarg { uint8_t mac[6]; };

static void
side_mac(struct gen *g, int dst, const void *arg, int t, int f)
{
	const struct macarg *m = arg;
	uint32_t off = dst ? 0 : 6, w;
	int l = newlabel(g);

	w = (uint32_t)m->mac[2] << 24 | (uint32_t)m->mac[3] << 16 |
	    (uint32_t)m->mac[4] << 8 | m->mac[5];
	ld(g, BPF_W, off + 2);
	jmp(g, BPF_JEQ, w, l, f);
	place(g, l);
	ld(g, BPF_H, off);
	jmp(g, BPF_JEQ, (uint32_t)m->mac[0] << 8 | m->mac[1], t, f);
}

static int
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char c;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5], &c) != 6 &&
	    sscanf(s, "%x-%x-%x-%x-%x-%x%c", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5], &c) != 6)
		return -1;
	for (c = 0; c < 6; c++) {
		if (v[(int)c] > 255)
			return -1;
		mac[(int)c] = (uint8_t)v[(int)c];
	}
	return 0;
}

/* "ether host/src/dst MAC", "ether broadcast", "ether multicast". */
static int
gen_ether(struct gen *g, const struct qual *q, const char *id, int t, int f)
{
	struct macarg m;

	if (g->link != BL_EN10MB)
		return syntax(g, "ether primitives need an Ethernet link");
	if (strcmp(id, "broadcast") == 0) {
		memset(m.mac, 0xff, 6);
		side_mac(g, 1, &m, t, f);
		return 0;
	}
	if (strcmp(id, "multicast") == 0) {
		ld(g, BPF_B, 0);
		jmp(g, BPF_JSET, 1, t, f);
		return 0;
	}
	if (parse_mac(id, m.mac) < 0)
		return syntax(g, "not a MAC address");
	gen_dir(g, q->dir, side_mac, &m, t, f);
	return 0;
}

struct portarg { uint32_t lo, hi, off; int ind; };

static void
side_port(struct gen *g, int dst, const void *arg, int t, int f)
{
	const struct portarg *p = arg;
	uint32_t off = p->off + (dst ? 2 : 0);

	emit(g, BPF_LD | BPF_H | (p->ind ? BPF_IND : BPF_ABS), off);
	if (p->lo == p->hi) {
		jmp(g, BPF_JEQ, p->lo, t, f);
	} else {
		int l = newlabel(g);

		jmp(g, BPF_JGE, p->lo, l, f);
		place(g, l);
		jmp(g, BPF_JGT, p->hi, f, t);
	}
}

/* A holds an IP protocol number: t when it is p (or tcp/udp/sctp for 0). */
static void
gen_l4check(struct gen *g, uint32_t p, int t, int f)
{
	if (p) {
		jmp(g, BPF_JEQ, p, t, f);
	} else {
		int l1 = newlabel(g), l2 = newlabel(g);

		jmp(g, BPF_JEQ, IPPROTO_SCTP, t, l1);
		place(g, l1);
		jmp(g, BPF_JEQ, IPPROTO_TCP, t, l2);
		place(g, l2);
		jmp(g, BPF_JEQ, IPPROTO_UDP, t, f);
	}
}

static int
gen_port(struct gen *g, const struct qual *q, uint32_t lo, uint32_t hi, int t,
    int f)
{
	uint32_t nl = off_nl(g), p = 0;
	int v4 = 1, v6 = 1, l, next;

	switch (q->proto) {
	case P_NONE: break;
	case P_TCP: p = IPPROTO_TCP; break;
	case P_UDP: p = IPPROTO_UDP; break;
	case P_SCTP: p = IPPROTO_SCTP; break;
	case P_IP: v6 = 0; break;
	case P_IP6: v4 = 0; break;
	default: return syntax(g, "this protocol has no ports");
	}
	if (v6) {
		struct portarg pa = { lo, hi, nl + 40, 0 };

		next = v4 ? newlabel(g) : f;
		l = newlabel(g);
		gen_ethertype(g, ET_IP6, l, next);
		place(g, l);
		ld(g, BPF_B, nl + 6);
		l = newlabel(g);
		gen_l4check(g, p, l, next);
		place(g, l);
		gen_dir(g, q->dir, side_port, &pa, t, next);
		if (v4)
			place(g, next);
	}
	if (v4) {
		struct portarg pa = { lo, hi, nl, 1 };

		l = newlabel(g);
		gen_ethertype(g, ET_IP, l, f);
		place(g, l);
		ld(g, BPF_B, nl + 9);
		l = newlabel(g);
		gen_l4check(g, p, l, f);
		place(g, l);
		ld(g, BPF_H, nl + 6);
		l = newlabel(g);
		jmp(g, BPF_JSET, 0x1fff, f, l);
		place(g, l);
		emit(g, BPF_LDX | BPF_B | BPF_MSH, nl);
		gen_dir(g, q->dir, side_port, &pa, t, f);
	}
	return 0;
}

static int
port_number(const char *w, int proto, uint32_t *out)
{
	struct servent *se;

	if (number(w, 65535, out) == 0)
		return 0;
	se = getservbyname(w, proto == P_UDP ? "udp" : "tcp");
	if (se == NULL && proto == P_NONE)
		se = getservbyname(w, "udp");
	if (se == NULL) {	/* named here: w may be half of a range */
		err_set(EXC_VALUE, "filter: unknown port at '%s'", w);
		return -1;
	}
	*out = ntohs((uint16_t)se->s_port);
	return 0;
}

/* "vlan [ID]": on a file, a tag in the frame that shifts later offsets; in
 * the kernel, the offloaded tag (SKF_AD_VLAN_TAG_PRESENT / _TAG). */
static void
gen_vlan(struct gen *g, int have_id, uint32_t id, int t, int f)
{
	int l = newlabel(g);

	if (g->kernel || g->link != BL_EN10MB) {
		ldanc(g, SKF_AD_VLAN_TAG_PRESENT);
		jmp(g, BPF_JEQ, 1, have_id ? l : t, f);
		if (have_id) {
			place(g, l);
			ldanc(g, SKF_AD_VLAN_TAG);
			emit(g, BPF_ALU | BPF_AND | BPF_K, 0x0fff);
			jmp(g, BPF_JEQ, id, t, f);
		}
		return;
	}
	{
		int l2 = newlabel(g), ok = have_id ? newlabel(g) : t;

		ld(g, BPF_H, 12 + g->shift);
		jmp(g, BPF_JEQ, 0x8100, ok, l);
		place(g, l);
		jmp(g, BPF_JEQ, 0x88a8, ok, l2);
		place(g, l2);
		jmp(g, BPF_JEQ, 0x9100, ok, f);
		if (have_id) {
			place(g, ok);
			ld(g, BPF_H, 14 + g->shift);
			emit(g, BPF_ALU | BPF_AND | BPF_K, 0x0fff);
			jmp(g, BPF_JEQ, id, t, f);
		}
	}
	g->shift += 4;
}

/* Parses an IPv4 net "A.B.C.D/N", "A.B/N", "A.B" (class-like length) or a
 * host; *bits gets the prefix length. */
static int
parse_net4(const char *w, uint32_t *val, int *bits, int is_net)
{
	char tmp[64], *slash;
	unsigned part[4];
	int n = 0, i, done = 0;
	const char *p;

	if (strlen(w) >= sizeof tmp)
		return -1;
	strcpy(tmp, w);
	slash = strchr(tmp, '/');
	if (slash)
		*slash++ = '\0';
	p = tmp;
	while (n < 4) {
		char *end;
		unsigned long v;

		if (!isdigit((unsigned char)*p))
			return -1;
		v = strtoul(p, &end, 10);
		if (v > 255)
			return -1;
		part[n++] = (unsigned)v;
		if (*end == '\0') {
			done = 1;
			break;
		}
		if (*end != '.')
			return -1;
		p = end + 1;
	}
	if (!done)	/* a fifth part: "1.2.3.4.5" or "1.2.3.4." */
		return -1;
	if (!is_net && n != 4)
		return -1;
	*val = 0;
	for (i = 0; i < 4; i++)
		*val = *val << 8 | (i < n ? part[i] : 0);
	*bits = n * 8;
	if (slash) {
		char *end;
		unsigned long b = strtoul(slash, &end, 10);

		if (*slash == '\0' || *end || b > 32)
			return -1;
		*bits = (int)b;
	}
	return 0;
}

static uint32_t
mask_of(int bits)
{
	return bits <= 0 ? 0 : bits >= 32 ? 0xffffffff : ~(0xffffffffu >> bits);
}

/* host or net with the id w. */
static int
gen_hostnet(struct gen *g, const struct qual *q, const char *w, int t, int f)
{
	uint32_t v4, m4;
	struct in6_addr in6;
	int bits, net = q->type == T_NET;
	char tmp[80], *slash;

	if (q->proto == P_ETHER)
		return gen_ether(g, q, w, t, f);
	if (parse_net4(w, &v4, &bits, net) == 0) {
		m4 = mask_of(bits);
		if (net && is(g, 0, "mask")) {
			struct in_addr ma;

			g->pos++;
			if (peek(g, 0) == NULL || inet_pton(AF_INET, peek(g, 0),
			    &ma) != 1)
				return syntax(g, "expected a netmask");
			g->pos++;
			m4 = ntohl(ma.s_addr);
		}
		if (net && (v4 & ~m4))
			return syntax(g, "non-network bits set in net");
		return gen_net4(g, q, v4, m4, t, f);
	}
	if (strlen(w) < sizeof tmp) {
		strcpy(tmp, w);
		bits = 128;
		if ((slash = strchr(tmp, '/')) != NULL) {
			char *end;
			unsigned long b;

			*slash++ = '\0';
			b = strtoul(slash, &end, 10);
			if (!net || *slash == '\0' || *end || b > 128) {
				g->pos--;	/* 10/8/8 is no IPv6 prefix
						 * (issue 13 D18-D23) */
				return syntax(g, strchr(tmp, ':') ?
				    "bad IPv6 prefix" : "not a network");
			}
			bits = (int)b;
		}
		if (inet_pton(AF_INET6, tmp, &in6) == 1)
			return gen_net6(g, q, &in6, bits, t, f);
	}
	if (!net) {
		/* a host name: every address it resolves to */
		struct addrinfo hints = { 0 }, *res, *ai;
		int r, any = 0;

		hints.ai_socktype = SOCK_DGRAM;
		if (q->proto == P_IP || q->proto == P_ARP || q->proto == P_RARP)
			hints.ai_family = AF_INET;
		else if (q->proto == P_IP6)
			hints.ai_family = AF_INET6;
		if ((r = getaddrinfo(w, NULL, &hints, &res)) != 0) {
			g->pos--;
			return syntax(g, "unknown host");
		}
		for (ai = res; ai; ai = ai->ai_next) {
			int next = ai->ai_next ? newlabel(g) : f;

			if (ai->ai_family == AF_INET) {
				const struct sockaddr_in *sin =
				    (const void *)ai->ai_addr;

				r = gen_net4(g, q, ntohl(sin->sin_addr.s_addr),
				    0xffffffff, t, next);
			} else {
				const struct sockaddr_in6 *sin6 =
				    (const void *)ai->ai_addr;

				r = gen_net6(g, q, &sin6->sin6_addr, 128, t,
				    next);
			}
			if (ai->ai_next)
				place(g, next);
			if (r < 0)
				break;
			any = 1;
		}
		freeaddrinfo(res);
		if (r < 0)
			return -1;
		if (!any)
			jump(g, f);
		return 0;
	}
	g->pos--;
	return syntax(g, "not a network");
}

/* The id part of a qualified primitive. */
static int
gen_id(struct gen *g, struct qual q, int t, int f)
{
	const char *w = peek(g, 0);
	uint32_t lo, hi;

	if (w && (pcap_only_word(w) || ((strcmp(w, "broadcast") == 0 ||
	    strcmp(w, "multicast") == 0) && q.proto != P_ETHER)))
		return syntax(g, "unsupported keyword");
	if (w == NULL || (keyword(w) && strcmp(w, "broadcast") &&
	    strcmp(w, "multicast")))
		return syntax(g, "expected an address, port or number");
	g->pos++;
	g->last = q;
	g->have_last = 1;
	switch (q.type) {
	case T_PORT:
		if (port_number(w, q.proto, &lo) < 0)
			return g->pos--, -1;
		return gen_port(g, &q, lo, lo, t, f);
	case T_PORTRANGE: {
		char tmp[64], *dash;

		if (strlen(w) >= sizeof tmp ||
		    (dash = strchr(w, '-')) == NULL) {
			g->pos--;
			return syntax(g, "expected a port range LOW-HIGH");
		}
		strcpy(tmp, w);
		dash = tmp + (dash - w);
		*dash = '\0';
		if (port_number(tmp, q.proto, &lo) < 0 ||
		    port_number(dash + 1, q.proto, &hi) < 0)
			return g->pos--, -1;
		if (lo > hi) {
			uint32_t x = lo;

			lo = hi;
			hi = x;
		}
		return gen_port(g, &q, lo, hi, t, f);
	}
	case T_PROTO: {
		uint32_t p;
		int v;

		if (*w == '\\' && (v = proto_word(w + 1)) != P_NONE) {
			static const uint32_t num[] =
			    { [P_TCP] = 6, [P_UDP] = 17, [P_SCTP] = 132,
				[P_ICMP] = 1, [P_ICMP6] = 58, [P_IGMP] = 2 };

			if (v >= (int)(sizeof num / sizeof num[0]) ||
			    num[v] == 0) {
				g->pos--;
				return syntax(g, "not an IP protocol");
			}
			p = num[v];
		} else if (number(w, q.proto == P_ETHER ? 0xffff : 255,
		    &p) < 0) {
			g->pos--;
			return syntax(g, "expected a protocol number");
		}
		switch (q.proto) {
		case P_ETHER: gen_ethertype(g, p, t, f); return 0;
		case P_IP: gen_ipproto(g, 1, 0, p, t, f); return 0;
		case P_IP6: gen_ipproto(g, 0, 1, p, t, f); return 0;
		case P_NONE: gen_ipproto(g, 1, 1, p, t, f); return 0;
		}
		g->pos--;
		return syntax(g, "proto needs ip, ip6 or ether");
	}
	default:
		if (q.proto >= P_TCP && q.proto <= P_IGMP) {
			g->pos--;
			return syntax(g, "this protocol takes no host or net");
		}
		return gen_hostnet(g, &q, w, t, f);
	}
}

static int
gen_primitive(struct gen *g, int t, int f)
{
	struct qual q = { P_NONE, D_DEFAULT, T_DEFAULT };
	const char *w = peek(g, 0);
	uint32_t n;

	if (w == NULL)
		return syntax(g, "expected a primitive");
	if (strcmp(w, "vlan") == 0) {
		g->pos++;
		if (peek(g, 0) && number(peek(g, 0), 4095, &n) == 0) {
			g->pos++;
			gen_vlan(g, 1, n, t, f);
		} else {
			gen_vlan(g, 0, 0, t, f);
		}
		return 0;
	}
	if (strcmp(w, "less") == 0 || strcmp(w, "greater") == 0) {
		g->pos++;
		if (number(peek(g, 0), 0xffffffff, &n) < 0)
			return syntax(g, "expected a length");
		g->pos++;
		emit(g, BPF_LD | BPF_W | BPF_LEN, 0);
		if (w[0] == 'l')
			jmp(g, BPF_JGT, n, f, t);
		else
			jmp(g, BPF_JGE, n, t, f);
		return 0;
	}
	if (strcmp(w, "broadcast") == 0 || strcmp(w, "multicast") == 0) {
		q.proto = P_ETHER;
		return gen_ether(g, &q, (g->pos++, w), t, f);
	}
	if (!keyword(w)) {
		/* a bare id: the last qualifiers again, or a host */
		if (g->have_last)
			q = g->last;
		return gen_id(g, q, t, f);
	}
	if ((q.proto = proto_word(w)) != P_NONE) {
		g->pos++;
		w = peek(g, 0);
		if (w == NULL || (keyword(w) && strcmp(w, "src") &&
		    strcmp(w, "dst") &&
		    strcmp(w, "host") && strcmp(w, "net") &&
		    strcmp(w, "port") &&
		    strcmp(w, "portrange") && strcmp(w, "proto") &&
		    strcmp(w, "broadcast") && strcmp(w, "multicast")))
			return gen_proto_only(g, q.proto, t, f);
		if (q.proto == P_ETHER && (strcmp(w, "broadcast") == 0 ||
		    strcmp(w, "multicast") == 0)) {
			g->pos++;
			return gen_ether(g, &q, w, t, f);
		}
	}
	if (is(g, 0, "src") || is(g, 0, "dst")) {
		q.dir = is(g, 0, "src") ? D_SRC : D_DST;
		if ((is(g, 1, "or") || is(g, 1, "and")) &&
		    is(g, 2, q.dir == D_SRC ? "dst" : "src")) {
			q.dir = is(g, 1, "or") ? D_OR : D_AND;
			g->pos += 2;
		}
		g->pos++;
	}
	if (is(g, 0, "host")) q.type = T_HOST;
	else if (is(g, 0, "net")) q.type = T_NET;
	else if (is(g, 0, "port")) q.type = T_PORT;
	else if (is(g, 0, "portrange")) q.type = T_PORTRANGE;
	else if (is(g, 0, "proto")) q.type = T_PROTO;
	if (q.type != T_DEFAULT)
		g->pos++;
	if (q.type == T_PROTO && q.dir != D_DEFAULT)
		return syntax(g, "proto takes no src or dst");
	return gen_id(g, q, t, f);
}

static int gen_expr(struct gen *g, int t, int f);

static int
gen_unary(struct gen *g, int t, int f)
{
	while (is(g, 0, "not") || is(g, 0, "!")) {	/* a loop: no recursion
							 * per "not" */
		int swap = t;

		g->pos++;
		t = f;
		f = swap;
	}
	if (is(g, 0, "(")) {
		if (g->depth >= MAX_PARENS)
			return syntax(g, "too many nested parentheses");
		g->depth++;
		g->pos++;
		if (gen_expr(g, t, f) < 0)
			return -1;
		if (!is(g, 0, ")"))
			return syntax(g, "expected ')'");
		g->pos++;
		g->depth--;
		return 0;
	}
	return gen_primitive(g, t, f);
}

/* unary (("and" | "or") unary)*: as in tcpdump, "and" and "or" have the
 * same precedence and group from the left.  The result so far jumps to the
 * unplaced labels (ct, cf); the next operand starts at one of them. */
static int
gen_expr(struct gen *g, int t, int f)
{
	int ct = newlabel(g), cf = newlabel(g);

	if (gen_unary(g, ct, cf) < 0)
		return -1;
	for (;;) {
		int and = is(g, 0, "and") || is(g, 0, "&&");
		int nt, nf;

		if (!and && !is(g, 0, "or") && !is(g, 0, "||"))
			break;
		g->pos++;
		nt = newlabel(g);
		nf = newlabel(g);
		if (and) {
			place(g, ct);
			alias(g, cf, nf);
		} else {
			place(g, cf);
			alias(g, ct, nt);
		}
		if (gen_unary(g, nt, nf) < 0)
			return -1;
		ct = nt;
		cf = nf;
	}
	alias(g, ct, t);
	alias(g, cf, f);
	return 0;
}

/* Where jump instruction i's jump on side (0: true, 1: false; the target
 * of a "ja" on either) lands, as an instruction index, threaded through
 * the unconditional jumps it lands on. */
static int
target_of(const struct gen *g, size_t i, int side)
{
	const struct ins *in = &g->v[i];
	int to = labpos(g, in->ja >= 0 ? in->ja : side ? in->jf : in->jt);
	size_t hops = 0;

	while (to >= 0 && (size_t)to < g->n && g->v[to].ja >= 0 &&
	    hops++ < g->n)
		to = labpos(g, g->v[to].ja);
	return to;
}

/* The trampolines: a conditional jump whose target lies more than 255
 * instructions on gets an unconditional "ja" right after it for that side
 * (jt or jf 0 or 1 then), which reaches anywhere.  Each one moves the code
 * after it, so more may be needed: far[] only grows, until it is stable.
 * Sets pos[i], the final index of instruction i (pos[n]: the length). */
static void
plan_trampolines(const struct gen *g, const int *tt, const int *tf,
    uint8_t *far, size_t *pos)
{
	int changed = 1;
	size_t i;

	while (changed) {
		changed = 0;
		for (i = 0, pos[0] = 0; i < g->n; i++)
			pos[i + 1] = pos[i] + 1 + (far[i] & 1) +
			    (far[i] >> 1 & 1);
		for (i = 0; i < g->n; i++) {
			if (g->v[i].jt < 0 || g->v[i].ja >= 0)
				continue;
			if (!(far[i] & 1) && pos[tt[i]] - pos[i] - 1 > 255) {
				far[i] |= 1;
				changed = 1;
			}
			if (!(far[i] & 2) && pos[tf[i]] - pos[i] - 1 > 255) {
				far[i] |= 2;
				changed = 1;
			}
		}
	}
}

/* Instruction at of prog: an unconditional jump to instruction to. */
static void
trampoline(struct bpf_prog *prog, size_t at, size_t to)
{
	struct sock_filter *f = &prog->insns[at];

	f->code = BPF_JMP | BPF_JA;
	f->jt = f->jf = 0;
	f->k = (uint32_t)(to - at - 1);
}

/* Turns the labelled code into sock_filter instructions, with trampolines
 * for the jumps too long for classic BPF's 8-bit offsets. */
static int
assemble(struct gen *g, struct bpf_prog *prog)
{
	int *tt = xcalloc(g->n + 1, sizeof *tt), *tf = xcalloc(g->n + 1,
	    sizeof *tf);
	uint8_t *far = xcalloc(g->n + 1, 1);
	size_t *pos = xcalloc(g->n + 1, sizeof *pos);
	size_t i, o;
	int r = -1;

	for (i = 0; i < g->n; i++) {
		if (g->v[i].jt < 0 && g->v[i].ja < 0)
			continue;	/* no jump */
		tt[i] = target_of(g, i, 0);
		tf[i] = target_of(g, i, 1);
		if (tt[i] <= (int)i || tf[i] <= (int)i) {
			err_set(EXC_VALUE, "filter: internal error: a jump "
			    "backwards or to nowhere");
			goto out;
		}
	}
	plan_trampolines(g, tt, tf, far, pos);
	prog->len = pos[g->n];
	prog->insns = xcalloc(prog->len ? prog->len : 1, sizeof *prog->insns);
	for (i = 0; i < g->n; i++) {
		struct ins *in = &g->v[i];
		struct sock_filter *f = &prog->insns[o = pos[i]];

		f->code = in->code;
		f->k = in->k;
		if (in->ja >= 0) {
			f->k = (uint32_t)(pos[tt[i]] - o - 1);
			continue;
		}
		if (in->jt < 0)
			continue;
		f->jt = far[i] & 1 ? 0 : (uint8_t)(pos[tt[i]] - o - 1);
		f->jf = far[i] & 2 ? (uint8_t)(far[i] & 1) :
		    (uint8_t)(pos[tf[i]] - o - 1);
		if (far[i] & 1)
			trampoline(prog, ++o, pos[tt[i]]);
		if (far[i] & 2)
			trampoline(prog, ++o, pos[tf[i]]);
	}
	r = 0;
out:
	free(tt);
	free(tf);
	free(far);
	free(pos);
	return r;
}

int
bpf_compile(const char *expr, enum bpf_link link, int kernel, uint32_t snaplen,
    struct bpf_prog *prog)
{
	struct gen g;
	int t, f, r = -1;
	size_t i;

	memset(&g, 0, sizeof g);
	memset(prog, 0, sizeof *prog);
	g.link = link;
	g.kernel = kernel;
	tokenize(&g, expr);
	t = newlabel(&g);
	f = newlabel(&g);
	if (g.ntok == 0) {
		place(&g, t);
		emit(&g, BPF_RET | BPF_K, snaplen);
		r = assemble(&g, prog);
		goto out;
	}
	if (gen_expr(&g, t, f) < 0)
		goto out;
	if (g.pos < g.ntok) {
		syntax(&g, "unexpected word");
		goto out;
	}
	place(&g, t);
	emit(&g, BPF_RET | BPF_K, snaplen);
	place(&g, f);
	emit(&g, BPF_RET | BPF_K, 0);
	r = assemble(&g, prog);
	if (r == 0 && prog->len > BPF_MAXINSNS) {
		err_set(EXC_VALUE, "filter: expression too large: %zu "
		    "instructions, %d at most", prog->len, BPF_MAXINSNS);
		bpf_free(prog);
		r = -1;
	} else if (r == 0 && bpf_validate(prog->insns, prog->len) < 0) {
		bpf_free(prog);
		r = -1;
	}
out:
	for (i = 0; i < g.ntok; i++)
		free(g.tok[i]);
	free(g.tok);
	free(g.v);
	free(g.lab);
	return r;
}

/* ---- text form, validation, interpreter ---------------------------------- */

int
bpf_parse_ddd(const char *text, struct bpf_prog *prog)
{
	const char *p = text;
	unsigned long vals[4], count = 0;
	size_t n = 0, i = 0;
	int k = 0, have_count = 0;

	memset(prog, 0, sizeof *prog);
	for (;;) {
		char *end;
		unsigned long v;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (*p == '\0')
			break;
		if (!isdigit((unsigned char)*p))
			goto bad;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || v > 0xffffffffUL ||
		    (*end && !isspace((unsigned char)*end) && *end != ','))
			goto bad;
		p = end;
		if (!have_count) {
			if (v == 0 || v > BPF_MAXINSNS)
				goto bad;
			count = v;
			have_count = 1;
			prog->insns = xcalloc(count, sizeof *prog->insns);
			continue;
		}
		if (n >= count)
			goto bad;
		vals[k++] = v;
		if (k == 4) {
			if (vals[0] > 0xffff || vals[1] > 255 || vals[2] > 255)
				goto bad;
			prog->insns[n].code = (uint16_t)vals[0];
			prog->insns[n].jt = (uint8_t)vals[1];
			prog->insns[n].jf = (uint8_t)vals[2];
			prog->insns[n].k = (uint32_t)vals[3];
			n++;
			k = 0;
		}
	}
	if (!have_count || n != count || k != 0)
		goto bad;
	prog->len = n;
	(void)i;
	if (bpf_validate(prog->insns, prog->len) < 0) {
		bpf_free(prog);
		return -1;
	}
	return 0;
bad:
	bpf_free(prog);
	err_set(EXC_VALUE,
	    "bpf: expected tcpdump -ddd output: a count, "
	    "then that many 'code jt jf k' lines");
	return -1;
}

void
bpf_dump_ddd(struct buf *b, const struct bpf_prog *p)
{
	size_t i;

	buf_printf(b, "%zu\n", p->len);
	for (i = 0; i < p->len; i++)
		buf_printf(b, "%u %u %u %u\n", p->insns[i].code, p->insns[i].jt,
		    p->insns[i].jf, p->insns[i].k);
}

/* Is code one of classic BPF's opcodes, as the kernel's table has them? */
static int
known_opcode(uint16_t code)
{
	static const uint16_t ok[] = {
		0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x80,	/* ld */
		0x01, 0x61, 0x81, 0xb1, 0x02, 0x03,	/* ldx, st, stx */
		0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c,
		0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4,
		0xac,						/* alu */
		0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, /* jmp */
		0x06, 0x16, 0x07, 0x87				/* ret, misc */
	};
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == code)
			return 1;
	return 0;
}

/* Is k, an absolute load's offset, no ancillary one or one the kernel
 * knows (SKF_AD_PROTOCOL .. SKF_AD_VLAN_TPID)? */
static int
known_offset(uint32_t k)
{
	uint32_t a = k - (uint32_t)SKF_AD_OFF;

	return k < (uint32_t)SKF_AD_OFF || (a % 4 == 0 && a < SKF_AD_MAX);
}

/* Why instruction pc of f (n long) is refused by the kernel, or NULL.
 * *valid: the memory words stored on every way here (the kernel's linear
 * pass: a jump ands its targets' masks and then knows nothing). */
static const char *
insn_fault(const struct sock_filter *f, size_t n, size_t pc,
    uint16_t *masks, uint16_t *valid)
{
	const struct sock_filter *in = &f[pc];
	size_t rest = n - pc - 1;

	*valid &= masks[pc];
	if (!known_opcode(in->code))
		return "unknown opcode";
	switch (BPF_CLASS(in->code)) {
	case BPF_LD: case BPF_LDX:
		if (BPF_MODE(in->code) == BPF_MEM) {
			if (in->k >= BPF_MEMWORDS)
				return "no such memory word";
			if (!(*valid & (1u << in->k)))
				return "memory word read before it is written";
		}
		if (BPF_MODE(in->code) == BPF_ABS && !known_offset(in->k))
			return "unknown ancillary load";
		break;
	case BPF_ST: case BPF_STX:
		if (in->k >= BPF_MEMWORDS)
			return "no such memory word";
		*valid |= (uint16_t)(1u << in->k);
		break;
	case BPF_ALU:
		if ((BPF_OP(in->code) == BPF_DIV ||
		    BPF_OP(in->code) == BPF_MOD) &&
		    BPF_SRC(in->code) == BPF_K && in->k == 0)
			return "division by zero";
		break;
	case BPF_JMP:
		if (BPF_OP(in->code) == BPF_JA) {
			if (in->k >= rest)
				return "jump past the end";
			masks[pc + 1 + in->k] &= *valid;
		} else {
			if (in->jt >= rest || in->jf >= rest)
				return "jump past the end";
			masks[pc + 1 + in->jt] &= *valid;
			masks[pc + 1 + in->jf] &= *valid;
		}
		*valid = 0xffff;
		break;
	}
	return NULL;
}

int
bpf_validate(const struct sock_filter *f, size_t n)
{
	uint16_t masks[BPF_MAXINSNS], valid = 0;
	const char *why = NULL;
	size_t pc;

	if (n == 0 || n > BPF_MAXINSNS) {
		err_set(EXC_VALUE, "bpf: invalid program: %zu instructions "
		    "(1 to %d)", n, BPF_MAXINSNS);
		return -1;
	}
	memset(masks, 0xff, n * sizeof masks[0]);
	for (pc = 0; pc < n && why == NULL; pc++)
		why = insn_fault(f, n, pc, masks, &valid);
	if (why == NULL && BPF_CLASS(f[n - 1].code) != BPF_RET) {
		why = "the last instruction is no return";
		pc = n;
	}
	if (why == NULL)
		return 0;
	err_set(EXC_VALUE, "bpf: invalid program: %s (instruction %zu of %zu)",
	    why, pc - 1, n);
	return -1;
}

/* Loads size bytes (big-endian) at off; -1 when outside the packet. */
static int
load(const uint8_t *p, uint32_t caplen, uint32_t off, int size, uint32_t *out)
{
	if (off >= caplen || caplen - off < (uint32_t)size)
		return -1;
	switch (size) {
	case 4: *out = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
		    (uint32_t)p[off + 2] << 8 | p[off + 3]; break;
	case 2: *out = (uint32_t)p[off] << 8 | p[off + 1]; break;
	default: *out = p[off]; break;
	}
	return 0;
}

static int
ancillary(uint32_t k, const struct bpf_aux *aux, uint32_t wirelen,
    uint32_t *out)
{
	static const struct bpf_aux none;

	if (aux == NULL)
		aux = &none;
	switch ((int32_t)k - SKF_AD_OFF) {
	case SKF_AD_PROTOCOL: *out = aux->protocol; return 0;
	case SKF_AD_PKTTYPE: *out = aux->pkttype; return 0;
	case SKF_AD_IFINDEX: *out = aux->ifindex; return 0;
	case SKF_AD_HATYPE: *out = aux->hatype; return 0;
	case SKF_AD_VLAN_TAG: *out = aux->vlan_tci; return 0;
	case SKF_AD_VLAN_TAG_PRESENT: *out = aux->vlan_present; return 0;
	case SKF_AD_VLAN_TPID: *out = aux->vlan_tpid; return 0;
	case SKF_AD_PAY_OFFSET: return -1;
	}
	(void)wirelen;
	return -1;
}

uint32_t
bpf_run(const struct sock_filter *f, size_t n, const uint8_t *p,
    uint32_t caplen, uint32_t wirelen, const struct bpf_aux *aux)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 }, v;
	size_t pc = 0;
	int size;

	while (pc < n) {
		const struct sock_filter *in = &f[pc++];
		uint32_t k = in->k;

		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
		case BPF_LDX:
			size = BPF_SIZE(in->code) == BPF_W ? 4 :
			    BPF_SIZE(in->code) == BPF_H ? 2 : 1;
			switch (BPF_MODE(in->code)) {
			case BPF_IMM: v = k; break;
			case BPF_LEN: v = wirelen; break;
			case BPF_MEM:
				if (k >= BPF_MEMWORDS)
					return 0;
				v = M[k];
				break;
			case BPF_ABS:
				if (k >= (uint32_t)SKF_AD_OFF) {
					if (ancillary(k, aux, wirelen, &v) < 0)
						return 0;
				} else if (load(p, caplen, k, size, &v) < 0)
					return 0;
				break;
			case BPF_IND:
				if ((uint64_t)X + k > 0xffffffffULL ||
				    load(p, caplen, X + k, size, &v) < 0)
					return 0;
				break;
			case BPF_MSH:
				if (load(p, caplen, k, 1, &v) < 0)
					return 0;
				v = (v & 0xf) << 2;
				break;
			default:
				return 0;
			}
			if (BPF_CLASS(in->code) == BPF_LD)
				A = v;
			else
				X = v;
			break;
		case BPF_ST:
			if (k >= BPF_MEMWORDS)
				return 0;
			M[k] = A;
			break;
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return 0;
			M[k] = X;
			break;
		case BPF_ALU:
			v = BPF_SRC(in->code) == BPF_X ? X : k;
			switch (BPF_OP(in->code)) {
			case BPF_ADD: A += v; break;
			case BPF_SUB: A -= v; break;
			case BPF_MUL: A *= v; break;
			case BPF_DIV: if (v == 0) return 0; A /= v; break;
			case BPF_MOD: if (v == 0) return 0; A %= v; break;
			case BPF_OR: A |= v; break;
			case BPF_AND: A &= v; break;
			case BPF_XOR: A ^= v; break;
			case BPF_LSH: A = v >= 32 ? 0 : A << v; break;
			case BPF_RSH: A = v >= 32 ? 0 : A >> v; break;
			case BPF_NEG: A = -A; break;
			default: return 0;
			}
			break;
		case BPF_JMP:
			v = BPF_SRC(in->code) == BPF_X ? X : k;
			switch (BPF_OP(in->code)) {
			case BPF_JA:
				if (k >= n - pc)
					return 0;
				pc += k;
				continue;
			case BPF_JEQ: pc += A == v ? in->jt : in->jf; break;
			case BPF_JGT: pc += A > v ? in->jt : in->jf; break;
			case BPF_JGE: pc += A >= v ? in->jt : in->jf; break;
			case BPF_JSET: pc += (A & v) ? in->jt : in->jf; break;
			default: return 0;
			}
			break;
		case BPF_RET:
			return BPF_RVAL(in->code) == BPF_A ? A :
			    BPF_RVAL(in->code) == BPF_X ? X : k;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

void
bpf_prepend(struct bpf_prog *prog, const struct sock_filter *pre, size_t n)
{
	struct sock_filter *v = xcalloc(prog->len + n, sizeof *v);

	memcpy(v, pre, n * sizeof *v);
	if (prog->len)
		memcpy(v + n, prog->insns, prog->len * sizeof *v);
	free(prog->insns);
	prog->insns = v;
	prog->len += n;
}

void
bpf_free(struct bpf_prog *p)
{
	free(p->insns);
	p->insns = NULL;
	p->len = 0;
}
