/* sniff.c - "sockit sniff": packet capture through a TPACKET_V3 ring on an
 * AF_PACKET socket (recvmsg where the ring is unavailable), printed as
 * recvfrom() results, JSON Lines or tcpdump-like text, or written as pcap;
 * pcap files read back through the same printers; AF_INET/AF_INET6 raw
 * capture (--raw-ip); CAN interfaces handed to can_sniff_run(). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "front/front.h"
#include "cmd/can.h"
#include "core/sockaddr.h"
#include "core/bpf.h"
#include "core/decode.h"
#include "core/pcap.h"
#include "core/ring.h"
#include "emit.h"
#include "json.h"
#include "core/stop.h"
#include "error.h"

#define CMD "sniff"
#define SNAPLEN_DEFAULT 262144
#define SNAPLEN_MAX	262144
#define ACACHE		16


struct acache {
	struct sockaddr_ll key;
	value *v;
	char *json;		/* v rendered as JSON, made on first use */
	size_t jlen;
};

struct sniff {
	/* options */
	const char *ifname, *wpath, *rpath, *filter, *bpftext, *user, *rawip;
	const char *ffile;
	long count, snaplen, buffer_mib;
	double timeout;
	int promisc, nano, pcapng, dump_bpf, no_ring, log_format, sll1;
	int list_ifs, direction, packet_buffered, tcpdump_noop;
	char *filter_own;	/* the filter of -F or the words after the
				 * options */
	/* state */
	int fd;
	int sotype;		/* SOCK_RAW or SOCK_DGRAM */
	int linktype;		/* of the packets as written / decoded */
	int ifindex, hatype, live;
	int lo_drop_out;	/* > 0: lo's ifindex, whose outgoing copies
				   handle() drops (no room in the kernel
				   program for that) */
	struct pcap_writer pw;
	int have_pw, wfd;
	int *ifmap;		/* --read to pcapng: the written interface of
				 * each read one (-1: not yet) */
	unsigned nifmap;
	long seen;
	/* PACKET_STATISTICS so far (each read resets the kernel's) */
	unsigned long kernel_recv, kernel_drops;
	uint8_t *tmp;
	size_t tmpcap;
	struct acache cache[ACACHE];
	unsigned cache_next;
	struct buf line;
	struct buf fields;	/* raw -v: the flat fields of a line */
};

/* ---- options ------------------------------------------------------------- */

enum { DIR_INOUT, DIR_IN, DIR_OUT };
static const char *const directions[] = { "inout", "in", "out", NULL };
static const char *const direction_help[] = { "both ways (the default)",
	"received", "sent", NULL };

#define S struct sniff
const struct opt cmd_sniff_opts[] = {
	{ .name = "interface", .letter = 'i', .type = OPT_STR,
	  OPTDST(S, ifname), .arg = "IFACE",
	  .comp = COMP_IFACE, .help =
	  "capture on IFACE (default: every interface, \"any\")" },
	{ .name = "count", .letter = 'c', .type = OPT_INT, OPTDST(S, count),
	  .lo = 1,
	  .hi = 0x7fffffff, .arg = "N", .help = "stop after N packets" },
	{ .name = "timeout", .letter = 't', .type = OPT_NUM, OPTDST(S, timeout),
	  .lo = 0,
	  .hi = 1e9, .flags = OPTF_GT, .arg = "SEC",
	  .help = "stop after SEC seconds" },
	{ .name = "write", .letter = 'w', .type = OPT_STR, OPTDST(S, wpath),
	  .arg = "FILE",
	  .help = "write packets to a pcap FILE ('-': stdout)" },
	{ .name = "read", .type = OPT_STR, OPTDST(S, rpath), .arg = "FILE",
	  .conflicts = "interface promisc user raw-ip",
	  .help = "read packets from a pcap FILE ('-': stdin)" },
	{ .name = "filter", .type = OPT_STR, OPTDST(S, filter), .arg = "EXPR",
	  .conflicts = "bpf",
	  .help = "capture only packets matching EXPR (see FILTERS)" },
	{ .name = "bpf", .type = OPT_STR, OPTDST(S, bpftext), .arg = "PROG",
	  .help = "classic BPF program in 'tcpdump -ddd' form (text or file)" },
	{ .name = "dump-bpf", .type = OPT_FLAG, OPTDST(S, dump_bpf),
	  .help = "print the compiled filter in 'tcpdump -ddd' form and exit" },
	{ .name = "promisc", .type = OPT_FLAG, OPTDST(S, promisc),
	  .needs = "interface",
	  .help = "put the interface in promiscuous mode" },
	{ .name = "snaplen", .letter = 's', .type = OPT_INT, OPTDST(S, snaplen),
	  .lo = 0, .hi = SNAPLEN_MAX,
	  .arg = "N",
	  .help = "capture at most N bytes of each packet (0: 262144)" },
	{ .name = "filter-file", .letter = 'F', .type = OPT_STR,
	  OPTDST(S, ffile), .arg = "FILE", .conflicts = "filter bpf",
	  .help = "the filter expression from FILE ('#' to a line's end: "
	  "a comment)" },
	{ .name = "direction", .letter = 'Q', .type = OPT_CHOICE,
	  OPTDST(S, direction), .arg = "DIRECTION", .choices = directions,
	  .choice_help = direction_help, .comp = COMP_CHOICE,
	  .conflicts = "read raw-ip",
	  .help = "capture the packets received (in), sent (out) or both "
	  "(inout)" },
	{ .name = "packet-buffered", .letter = 'U', .type = OPT_FLAG,
	  OPTDST(S, packet_buffered), .needs = "write",
	  .help = "write each packet to the -w file as it comes" },
	{ .name = "list-interfaces", .letter = 'D', .type = OPT_FLAG,
	  OPTDST(S, list_ifs),
	  .conflicts = "read write filter bpf interface dump-bpf",
	  .help = "list the interfaces to capture on and exit" },
	{ .name = "numeric", .letter = 'n', .type = OPT_FLAG,
	  OPTDST(S, tcpdump_noop), .flags = OPTF_REPEAT,
	  .help = "for tcpdump users: sockit never looks names up" },
	{ .name = "line-buffered", .letter = 'l', .type = OPT_FLAG,
	  OPTDST(S, tcpdump_noop),
	  .help = "for tcpdump users: each line is written when printed" },
	{ .name = "immediate-mode", .type = OPT_FLAG, OPTDST(S, tcpdump_noop),
	  .help = "for tcpdump users: packets come within 20 ms" },
	{ .name = "buffer", .type = OPT_INT, OPTDST(S, buffer_mib), .lo = 1,
	  .hi = 4096,
	  .arg = "MIB", .help = "ring buffer size in MiB (32)" },
	{ .name = "nano", .type = OPT_FLAG, OPTDST(S, nano),
	  .help = "nanosecond timestamps in the pcap file" },
	{ .name = "pcapng", .type = OPT_FLAG, OPTDST(S, pcapng),
	  .needs = "write",
	  .help = "write pcapng instead of classic pcap" },
	{ .name = "sll", .type = OPT_FLAG, OPTDST(S, sll1),
	  .help = "write LINUX_SLL instead of LINUX_SLL2 for \"any\"" },
	{ .name = "user", .type = OPT_STR, OPTDST(S, user), .arg = "NAME",
	  .comp = COMP_USER,
	  .help = "drop privileges to user NAME once the socket is open" },
	{ .name = "raw-ip", .type = OPT_STR, OPTDST(S, rawip), .arg = "PROTO",
	  .comp = COMP_CONST,
	  .conflicts = "write filter bpf promisc",
	  .help = "capture through an AF_INET/AF_INET6 SOCK_RAW socket" },
	{ .name = "no-ring", .type = OPT_FLAG, OPTDST(S, no_ring),
	  .help = "use recvmsg() instead of the memory-mapped ring" },
	{ .name = "log", .type = OPT_FLAG, OPTDST(S, log_format),
	  .help = "CAN interfaces: candump's log format" },
	{ .name = NULL }
};
#undef S

/* The words after the options: the filter expression, as in tcpdump.
 * Returns 0 or -1 (usage error). */
static int
filter_words(struct sniff *s, const struct args *a)
{
	struct stat st;
	struct buf b = { 0 };
	int i;

	if (G.fmt == FMT_RAW && stat(a->v[0], &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		usage_error(CMD, "-r is sockit's raw output format, not "
		    "tcpdump's -r: read '%s' with --read", a->v[0]);
		return -1;
	}
	if (s->filter || s->bpftext || s->ffile) {
		usage_error(CMD, "a filter after the options ('%s') cannot go "
		    "with --filter, --bpf or -F", a->v[0]);
		return -1;
	}
	for (i = 0; i < a->n; i++) {
		if (i)
			buf_putc(&b, ' ');
		buf_put(&b, a->v[i], strlen(a->v[i]));
	}
	buf_putc(&b, '\0');
	s->filter = s->filter_own = b.p;
	return 0;
}

/* -F FILE: the filter expression in a file, '#' to the end of a line a
 * comment (as tcpdump reads it).  Returns 0 or -1 (OSError). */
static int
filter_file(struct sniff *s)
{
	FILE *f = fopen(s->ffile, "re");
	struct buf b = { 0 };
	int c, comment = 0;

	if (f == NULL) {
		err_errno_filename(errno, s->ffile);
		return -1;
	}
	while ((c = getc(f)) != EOF) {
		if (c == '#')
			comment = 1;
		else if (c == '\n')
			comment = 0;
		buf_putc(&b, comment || c == '\n' ? ' ' : (char)c);
	}
	if (ferror(f)) {
		err_errno_filename(errno, s->ffile);
		fclose(f);
		free(b.p);
		return -1;
	}
	fclose(f);
	buf_putc(&b, '\0');
	s->filter = s->filter_own = b.p;
	return 0;
}

static int
parse_opts(struct sniff *s, int argc, char **argv)
{
	struct args a;
	int r;

	if ((r = opt_parse(CMD, argc, argv, cmd_sniff_opts, s, 0, &a)) != 0)
		return r;
	r = a.n > 0 ? filter_words(s, &a) : 0;
	args_free(&a);
	if (r < 0 || (s->ffile && filter_file(s) < 0))
		return -1;
	if (s->snaplen == 0)
		s->snaplen = SNAPLEN_MAX;
	if (s->timeout == 0 && G.timeout_set && G.timeout > 0)
		s->timeout = G.timeout;
	return 0;
}

/* ---- output -------------------------------------------------------------- */

static int
stdout_sink(void *ctx, const void *p, size_t n)
{
	(void)ctx;
	return out_write(p, n);
}

/* Opens the -w output (after privileges are dropped), its first interface
 * named ifname (pcapng).  Returns 0 or -1. */
static int
open_output(struct sniff *s, uint32_t snaplen, const char *ifname)
{
	int flags = (s->nano ? PCAP_NANO : 0) | (s->pcapng ? PCAP_NG : 0);

	if (s->wpath == NULL)
		return 0;
	if (strcmp(s->wpath, "-") == 0) {
		pcap_writer_open(&s->pw, stdout_sink, NULL, s->linktype,
		    snaplen, flags, ifname);
	} else {
		s->wfd = open(s->wpath, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0644);
		if (s->wfd < 0) {
			err_errno_filename(errno, s->wpath);
			return -1;
		}
		pcap_writer_open(&s->pw, pcap_fd_sink, &s->wfd, s->linktype,
		    snaplen, flags, ifname);
	}
	s->have_pw = 1;
	return 0;
}

/* Flushes and closes the pcap output.  Returns 0 or -1. */
static int
close_output(struct sniff *s)
{
	int r = 0;

	if (s->have_pw) {
		r = pcap_writer_close(&s->pw);
		if (s->wfd >= 0 && r == 0 && close(s->wfd) < 0) {
			err_errno_filename(errno, s->wpath);
			r = -1;
		} else if (s->wfd >= 0 && r < 0) {
			close(s->wfd);
		}
		s->wfd = -1;
		s->have_pw = 0;
		if (r == 0 && strcmp(s->wpath, "-") == 0)
			r = out_flush();
	}
	return r;
}

/* Writes what is buffered (while waiting for packets). */
static int
flush_all(struct sniff *s)
{
	if (s->have_pw && pcap_flush(&s->pw) < 0)
		return -1;
	return out_flush();
}

/* The cache entry of the address value for sll (made when missing), or
 * NULL with an exception pending. */
static struct acache *
addr_entry(struct sniff *s, const struct sockaddr_ll *sll)
{
	struct sockaddr_ll k;
	unsigned i;
	value *v;

	memset(&k, 0, sizeof k);
	k.sll_family = AF_PACKET;
	k.sll_protocol = sll->sll_protocol;
	k.sll_ifindex = sll->sll_ifindex;
	k.sll_hatype = sll->sll_hatype;
	k.sll_pkttype = sll->sll_pkttype;
	k.sll_halen = sll->sll_halen > 8 ? 8 : sll->sll_halen;
	memcpy(k.sll_addr, sll->sll_addr, k.sll_halen);
	for (i = 0; i < ACACHE; i++)
		if (s->cache[i].v &&
		    memcmp(&s->cache[i].key, &k, sizeof k) == 0)
			return &s->cache[i];
	v = addr_to_value((const struct sockaddr *)&k, sizeof k, 0);
	if (v == NULL)
		return NULL;
	i = s->cache_next++ % ACACHE;
	if (s->cache[i].v)
		v_decref(s->cache[i].v);
	free(s->cache[i].json);
	s->cache[i].json = NULL;
	s->cache[i].key = k;
	s->cache[i].v = v;
	return &s->cache[i];
}

static const char *
direction(int pkttype)
{
	switch (pkttype) {
	case PACKET_HOST: return "In";
	case PACKET_BROADCAST: return "B";
	case PACKET_MULTICAST: return "M";
	case PACKET_OTHERHOST: return "P";
	case PACKET_OUTGOING: return "Out";
	}
	return "?";
}

/* One packet as handed to the printers. */
struct pkt {
	const uint8_t *data;	/* as recvfrom() gives it */
	uint32_t caplen, wirelen;
	const uint8_t *frame;	/* as written to pcap/decoded (VLAN tag back
				 * in) */
	uint32_t fcaplen, fwirelen;
	uint64_t sec;
	uint32_t nsec;
	struct sockaddr_ll sll;
	int decode_lt;		/* linktype for the decoder */
	unsigned ifid;		/* the written file's interface (pcapng) */
	int whole;		/* frame is a file's record, its cooked header
				 * (if any) included */
};

/* A printed packet, a shaped value: (data, address, ts, summary), the
 * facts that every format prints.  JSON has all four members; py prints
 * recvfrom's (data, address) and, with -v, the 4-tuple (the summary as a
 * dict, None when there is none); raw prints its line (tcpdump-like, or the
 * raw form of (data, address)) and, with -v, the ts and summary members as
 * tab-separated PATH=VALUE fields. */
struct shown {
	const uint8_t *data;
	size_t len;
	const value *addr;
	const char *ajson;	/* addr as JSON, or NULL */
	size_t ajlen;
	uint64_t sec;
	uint32_t nsec;
	const uint8_t *frame;	/* what the summary decodes, or NULL: none */
	size_t fcaplen, fwirelen;
	int lt;
	unsigned ethertype;
	const char *ifname;	/* raw line of a live capture: IFACE DIR */
	int pkttype;
	int tcpdump_line;	/* raw: the tcpdump-like line (else raw
				 * tuple) */
};

/* Writes the ts member and the summary member (when there is one). */
static void
ts_summary(struct jw *w, const struct shown *p, struct buf *text)
{
	jw_key(w, "ts");
	jw_ts(w, p->sec, p->nsec);
	if (p->frame) {
		jw_key(w, "summary");
		decode_packet(p->frame, p->fcaplen, p->fwirelen, p->lt,
		    p->ethertype, w, text);
	} else if (w->syn == JW_PY) {
		jw_key(w, "summary");
		jw_null(w);
	}
}

/* Appends p's line in G.fmt to b. */
static void
show(struct sniff *s, struct buf *b, const struct shown *p)
{
	struct jw w;

	switch (G.fmt) {
	case FMT_JSON:
		jw_init(&w, b, JW_JSON);
		jw_open_obj(&w);
		jw_key(&w, "data");
		jw_hex(&w, p->data, p->len);
		jw_key(&w, "address");
		if (p->ajson)
			jw_raw(&w, p->ajson, p->ajlen);
		else
			jw_value(&w, p->addr);
		ts_summary(&w, p, NULL);
		jw_close_obj(&w);
		break;
	case FMT_PY:
		buf_putc(b, '(');
		repr_bytes(b, (const char *)p->data, p->len);
		buf_put(b, ", ", 2);
		repr(b, p->addr);
		if (G.verbose > 0) {
			/* the tuple's last two items */
			jw_init_after(&w, b, JW_PY);
			jw_ts(&w, p->sec, p->nsec);
			if (p->frame)
				decode_packet(p->frame, p->fcaplen, p->fwirelen,
				    p->lt, p->ethertype, &w, NULL);
			else
				jw_null(&w);
		}
		buf_putc(b, ')');
		break;
	case FMT_RAW:
		if (p->tcpdump_line) {
			struct tm tm;
			time_t sec = (time_t)p->sec;

			localtime_r(&sec, &tm);
			buf_printf(b, "%02d:%02d:%02d.%06u ", tm.tm_hour,
			    tm.tm_min, tm.tm_sec, p->nsec / 1000);
			if (p->ifname)
				buf_printf(b, "%s %s ", p->ifname,
				    direction(p->pkttype));
			if (G.verbose > 0) {
				/* the text first, then the fields, from one
				 * walk */
				s->fields.len = 0;
				jw_init(&w, &s->fields, JW_FLAT);
				jw_open_obj(&w);
				ts_summary(&w, p, b);
				jw_close_obj(&w);
				buf_put(b, s->fields.p, s->fields.len);
			} else {
				decode_packet(p->frame, p->fcaplen, p->fwirelen,
				    p->lt, p->ethertype, NULL, b);
			}
		} else {
			value *t = v_tuple(2, v_bytes(p->data, p->len),
			    v_incref((value *)p->addr));

			emit_raw(b, t);
			v_decref(t);
			if (b->len && b->p[b->len - 1] == '\n')
				b->len--;
			if (G.verbose > 0) {
				jw_init(&w, b, JW_FLAT);
				jw_open_obj(&w);
				ts_summary(&w, p, NULL);
				jw_close_obj(&w);
			}
		}
		break;
	}
	buf_putc(b, '\n');
}

/* Prints p in the chosen format.  Returns 0 or -1. */
static int
print_packet(struct sniff *s, const struct pkt *p)
{
	struct acache *e;
	struct shown sh = {
		.data = p->data, .len = p->caplen, .sec = p->sec,
		.nsec = p->nsec,
		.frame = p->frame, .fcaplen = p->fcaplen,
		.fwirelen = p->fwirelen,
		.lt = p->decode_lt, .ethertype = ntohs(p->sll.sll_protocol),
		.pkttype = p->sll.sll_pkttype, .tcpdump_line = 1,
	};
	char name[IF_NAMESIZE];

	if (G.fmt == FMT_RAW) {
		if (s->live) {
			/* the name the cached address holds (its first
			 * item): no if_indextoname() per packet */
			const value *n;

			if ((e = addr_entry(s, &p->sll)) == NULL)
				return -1;
			n = e->v->u.seq.items[0];
			if (n->u.s.len == 0) {
				snprintf(name, sizeof name, "%d",
				    p->sll.sll_ifindex);
				sh.ifname = name;
			} else
				sh.ifname = n->u.s.p;
		}
	} else {
		if ((e = addr_entry(s, &p->sll)) == NULL)
			return -1;
		sh.addr = e->v;
		if (G.fmt == FMT_JSON) {
			/* the address is rendered once per cache entry */
			if (e->json == NULL) {
				struct buf ab = { 0 };

				emit_json(&ab, e->v);
				e->jlen = ab.len;
				e->json = buf_cstr(&ab);
			}
			sh.ajson = e->json;
			sh.ajlen = e->jlen;
		}
	}
	s->line.len = 0;
	show(s, &s->line, &sh);
	return out_write(s->line.p, s->line.len);
}

/* Writes a pcap record for p (with a cooked header on SLL links). */
static int
write_packet(struct sniff *s, const struct pkt *p)
{
	uint8_t h[20];
	size_t hl = 0;
	unsigned halen = p->sll.sll_halen > 8 ? 8 : p->sll.sll_halen;
	/* a file's record goes out as it came, its header in it */
	int lt = p->whole ? -1 : s->linktype;

	memset(h, 0, sizeof h);
	if (lt == LINKTYPE_LINUX_SLL2) {
		uint32_t idx = htonl((uint32_t)p->sll.sll_ifindex);
		uint16_t ht = htons(p->sll.sll_hatype);

		memcpy(h, &p->sll.sll_protocol, 2);
		memcpy(h + 4, &idx, 4);
		memcpy(h + 8, &ht, 2);
		h[10] = p->sll.sll_pkttype;
		h[11] = (uint8_t)halen;
		memcpy(h + 12, p->sll.sll_addr, halen);
		hl = 20;
	} else if (lt == LINKTYPE_LINUX_SLL) {
		uint16_t v;

		v = htons(p->sll.sll_pkttype);
		memcpy(h, &v, 2);
		v = htons(p->sll.sll_hatype);
		memcpy(h + 2, &v, 2);
		v = htons((uint16_t)halen);
		memcpy(h + 4, &v, 2);
		memcpy(h + 6, p->sll.sll_addr, halen);
		memcpy(h + 14, &p->sll.sll_protocol, 2);
		hl = 16;
	}
	return pcap_write_if(&s->pw, p->ifid, p->sec, p->nsec, h, hl, p->frame,
	    p->fcaplen, p->fwirelen);
}

/* Handles one packet: pcap or print, and the count.  Returns 1 when the
 * count is reached, 0 to go on, -1 on error. */
static int
handle(struct sniff *s, struct pkt *p)
{
	int r;

	if (s->lo_drop_out > 0 && p->sll.sll_pkttype == PACKET_OUTGOING &&
	    p->sll.sll_ifindex == s->lo_drop_out)
		return 0;
	if (s->direction != DIR_INOUT && (s->direction == DIR_OUT) !=
	    (p->sll.sll_pkttype == PACKET_OUTGOING))
		return 0;
	r = s->have_pw ? write_packet(s, p) : print_packet(s, p);
	if (r < 0 || (s->packet_buffered && pcap_flush(&s->pw) < 0))
		return -1;
	s->seen++;
	return s->count > 0 && s->seen >= s->count;
}

/* Puts an offloaded VLAN tag back into an Ethernet frame (as libpcap does
 * for what it writes and decodes). */
static void
reinsert_vlan(struct sniff *s, struct pkt *p, uint16_t tci, uint16_t tpid)
{
	uint16_t v;

	if (p->caplen < 12 || p->decode_lt != LINKTYPE_EN10MB)
		return;
	if (s->tmpcap < (size_t)p->caplen + 4) {
		s->tmpcap = (size_t)p->caplen + 4;
		s->tmp = xrealloc(s->tmp, s->tmpcap);
	}
	memcpy(s->tmp, p->data, 12);
	v = htons(tpid ? tpid : ETH_P_8021Q);
	memcpy(s->tmp + 12, &v, 2);
	v = htons(tci);
	memcpy(s->tmp + 14, &v, 2);
	memcpy(s->tmp + 16, p->data + 12, p->caplen - 12);
	p->frame = s->tmp;
	p->fcaplen = p->caplen + 4;
	p->fwirelen = p->wirelen + 4;
}

/* ---- the filter ---------------------------------------------------------- */

/* Builds the program for --filter / --bpf (or accept-all) on link bl. */
static int
build_filter(struct sniff *s, enum bpf_link bl, int kernel,
    struct bpf_prog *prog)
{
	if (s->bpftext) {
		const char *text = s->bpftext;
		char *file = NULL;
		struct stat st;

		if (strcmp(text, "-") == 0 ||
		    (stat(text, &st) == 0 && S_ISREG(st.st_mode))) {
			FILE *f = strcmp(text, "-") == 0 ? stdin :
			    fopen(text, "re");
			struct buf b = { 0 };
			char chunk[4096];
			size_t n;

			if (f == NULL) {
				err_errno_filename(errno, text);
				return -1;
			}
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 &&
			    b.len < (1u << 20))
				buf_put(&b, chunk, n);
			if (f != stdin)
				fclose(f);
			file = buf_cstr(&b);
			text = file;
		}
		if (bpf_parse_ddd(text, prog) < 0) {
			free(file);
			return -1;
		}
		free(file);
		return 0;
	}
	return bpf_compile(s->filter ? s->filter : "", bl, kernel,
	    (uint32_t)s->snaplen, prog);
}

/* The filter's view of link type lt (le: a file's words are
 * little-endian), or -1 where sockit's compiler has none. */
static int
bpf_link_of(int lt, int le)
{
	if (pcap_linktype_raw(lt))
		return BL_RAW;
	switch (lt) {
	case LINKTYPE_EN10MB: return BL_EN10MB;
	case LINKTYPE_LINUX_SLL: return BL_SLL;
	case LINKTYPE_LINUX_SLL2: return BL_SLL2;
	case LINKTYPE_NULL: return le ? BL_NULL_LE : BL_NULL_BE;
	case LINKTYPE_LOOP: return BL_NULL_BE;
	}
	return -1;
}

/* The link of a file's filter for interface f: -1 with a ValueError when
 * there is a --filter that sockit cannot compile for it. */
static int
read_link(const struct sniff *s, const struct pcap_iface *f)
{
	int le = (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) != f->swap;
	int bl = bpf_link_of(f->linktype, le);

	if (bl >= 0 || s->bpftext || s->filter == NULL || *s->filter == '\0')
		return bl >= 0 ? bl : BL_RAW;	/* no filter: any link */
	err_set(EXC_VALUE, "filter: link type %d (%s) is not supported",
	    f->linktype, pcap_linktype_name(f->linktype));
	return -1;
}

static int
dump_bpf(struct sniff *s, enum bpf_link bl, int kernel)
{
	struct bpf_prog prog;
	struct buf b = { 0 };
	int r;

	if (build_filter(s, bl, kernel, &prog) < 0)
		return -1;
	bpf_dump_ddd(&b, &prog);
	r = out_write(b.p, b.len);
	free(b.p);
	bpf_free(&prog);
	return r < 0 ? -1 : 0;
}

/* ---- reading a pcap file ------------------------------------------------- */

/* The --read input, read as a stream (never mapped: a file that shrinks
 * under a mapping is a SIGBUS, and /dev/zero or a pipe has no size): a
 * window of whole records is kept in buf, the reader's p and len. */
#define READ_CHUNK	(1u << 20)

struct instream {
	int fd;
	const char *path;
	unsigned char *buf;
	size_t cap, len;
	int eof;
};

/* Reads until the window holds want bytes or the input ends.  Returns 0 or
 * -1 (OSError). */
static int
instream_fill(struct instream *in, size_t want)
{
	while (in->len < want && !in->eof) {
		ssize_t n;

		if (in->cap - in->len < READ_CHUNK / 2 || in->cap < want) {
			size_t cap = in->cap ? in->cap : READ_CHUNK;

			while (cap < want || cap - in->len < READ_CHUNK / 2)
				cap *= 2;
			in->buf = xrealloc(in->buf, cap);
			in->cap = cap;
		}
		n = read(in->fd, in->buf + in->len, in->cap - in->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_errno_filename(errno, in->path);
			return -1;
		}
		if (n == 0)
			in->eof = 1;
		in->len += (size_t)n;
	}
	return 0;
}

/* Answers the reader's PCAP_MORE: moves what it has not read to the front
 * of the window and reads until it holds rd->want bytes from there (or the
 * input ends).  Returns 0 or -1 (OSError). */
static int
instream_more(struct instream *in, struct pcap_reader *rd)
{
	size_t avail = in->len - rd->off;

	memmove(in->buf, in->buf + rd->off, avail);
	rd->skipped += rd->off;
	rd->off = 0;
	in->len = avail;
	if (instream_fill(in, rd->want) < 0)
		return -1;
	rd->p = in->buf;
	rd->len = in->len;
	rd->more = !in->eof;
	return 0;
}

/* The next record of the file: pcap_next, reading on as it asks. */
static int
instream_next(struct instream *in, struct pcap_reader *rd,
    struct pcap_rec *rec)
{
	int r;

	while ((r = pcap_next(rd, rec)) == PCAP_MORE)
		if (instream_more(in, rd) < 0)
			return -1;
	return r;
}

/* Reads the file header into rd (pcapng: up to the first interface). */
static int
instream_header(struct instream *in, struct pcap_reader *rd)
{
	size_t want = 24;
	int r;

	do {
		if (instream_fill(in, want) < 0)
			return -1;
		r = pcap_reader_init(rd, in->buf ? in->buf : (void *)"",
		    in->len, !in->eof);
		want = rd->off + rd->want;	/* init starts over */
	} while (r == PCAP_MORE);
	return r;
}

/* Is fd (open, a regular file) the file st describes? */
static int
same_file(int fd, const struct stat *st)
{
	struct stat o;

	return fstat(fd, &o) == 0 && S_ISREG(o.st_mode) &&
	    o.st_dev == st->st_dev &&
	    o.st_ino == st->st_ino;
}

/* Refuses an output that is the input file: -w would truncate it, and
 * output appended to it would be read back forever.  Returns 0 or -1. */
static int
check_not_input(struct sniff *s, const struct stat *in)
{
	struct stat w;
	int clash = 0;

	if (!S_ISREG(in->st_mode))
		return 0;
	if (s->wpath && strcmp(s->wpath, "-") != 0)
		clash = stat(s->wpath, &w) == 0 && w.st_dev == in->st_dev &&
		    w.st_ino == in->st_ino;
	else
		clash = same_file(STDOUT_FILENO, in);
	if (!clash)
		return 0;
	if (s->wpath && strcmp(s->wpath, "-") != 0)
		usage_error(CMD, "-w %s is the --read input", s->wpath);
	else
		usage_error(CMD, "standard output is the --read input");
	return -1;
}

/* Starts a status line of -j on stderr: one object, into b. */
static void
diag_open(struct jw *w, struct buf *b)
{
	jw_init(w, b, JW_JSON);
	jw_open_obj(w);
}

/* Ends it: the object and its newline written on stderr, flushed. */
static void
diag_close(struct jw *w, struct buf *b)
{
	jw_close_obj(w);
	buf_putc(b, '\n');
	fwrite(b->p, 1, b->len, stderr);
	fflush(stderr);
	free(b->p);
}

/* "listening on IFACE, ..." as -j's {"listening": IFACE, ...}: opened. */
static void
diag_listening(struct jw *w, struct buf *b, const struct sniff *s)
{
	diag_open(w, b);
	jw_key(w, "listening");
	jw_strz(w, s->ifname ? s->ifname : "any");
}

/* Prints what was handled on stderr and, with kernel, PACKET_STATISTICS, as
 * tcpdump does (raw IP has no kernel counts); under -j the object
 * {captured[, received, dropped]}. */
static void
print_stats(const struct sniff *s, int kernel, unsigned long recv,
    unsigned long drops)
{
	struct buf b = { 0 };
	struct jw w;

	if (G.fmt == FMT_JSON) {
		diag_open(&w, &b);
		jw_key(&w, "captured");
		jw_int(&w, s->seen);
		if (kernel) {
			jw_key(&w, "received");
			jw_uint(&w, recv);
			jw_key(&w, "dropped");
			jw_uint(&w, drops);
		}
		diag_close(&w, &b);
		return;
	}
	fprintf(stderr, "%ld packet%s captured\n", s->seen,
	    s->seen == 1 ? "" : "s");
	if (!kernel)
		return;
	fprintf(stderr, "%lu packet%s received by filter\n", recv,
	    recv == 1 ? "" : "s");
	fprintf(stderr, "%lu packet%s dropped by kernel\n", drops,
	    drops == 1 ? "" : "s");
}

/* The "listening on"/"reading from" line: what, link type, snapshot length
 * (as tcpdump prints it); -j: {listening or reading, linktype, snaplen}. */
static void
print_start(const struct sniff *s, const char *reading, int linktype,
    unsigned long snaplen)
{
	struct buf b = { 0 };
	struct jw w;

	if (G.fmt != FMT_JSON && reading)
		fprintf(stderr, "reading from file %s, link-type %s, "
		    "snapshot length %lu\n", reading,
		    pcap_linktype_name(linktype), snaplen);
	else if (G.fmt != FMT_JSON)
		fprintf(stderr, "listening on %s, link-type %s, "
		    "snapshot length %lu bytes\n",
		    s->ifname ? s->ifname : "any",
		    pcap_linktype_name(linktype), snaplen);
	if (G.fmt != FMT_JSON) {
		fflush(stderr);
		return;
	}
	if (reading) {
		diag_open(&w, &b);
		jw_key(&w, "reading");
		jw_strz(&w, reading);
	} else {
		diag_listening(&w, &b, s);
	}
	jw_key(&w, "linktype");	/* the name without its explanation */
	jw_str(&w, pcap_linktype_name(linktype),
	    strcspn(pcap_linktype_name(linktype), " "));
	jw_key(&w, "snaplen");
	jw_uint(&w, snaplen);
	diag_close(&w, &b);
}

/* "sockit: sniff: TEXT" (a -v notice); -j: {"notice": TEXT}. */
static void
print_notice(const char *text)
{
	struct buf b = { 0 };
	struct jw w;

	if (G.fmt != FMT_JSON) {
		fprintf(stderr, "sockit: sniff: %s\n", text);
		fflush(stderr);
		return;
	}
	diag_open(&w, &b);
	jw_key(&w, "notice");
	jw_strz(&w, text);
	diag_close(&w, &b);
}

/* The sockaddr_ll of a raw IP packet d (caplen bytes): its version says
 * the protocol. */
static void
ip_addr_of(struct sockaddr_ll *sll, const uint8_t *d, uint32_t caplen)
{
	sll->sll_hatype = ARPHRD_NONE;
	sll->sll_protocol = htons(caplen && (d[0] >> 4) == 6 ? ETH_P_IPV6 :
	    ETH_P_IP);
}

/* The sockaddr_ll a packet socket would have given for a file record, and
 * where the recvfrom() data starts. */
static void
synth_addr(int lt, const uint8_t *d, uint32_t caplen, struct sockaddr_ll *sll,
    struct bpf_aux *aux, uint32_t *dataoff)
{
	memset(sll, 0, sizeof *sll);
	memset(aux, 0, sizeof *aux);
	sll->sll_family = AF_PACKET;
	*dataoff = 0;
	switch (lt) {
	case LINKTYPE_EN10MB:
		sll->sll_hatype = ARPHRD_ETHER;
		if (caplen >= 14) {
			memcpy(&sll->sll_protocol, d + 12, 2);
			sll->sll_halen = 6;
			memcpy(sll->sll_addr, d + 6, 6);
			if (memcmp(d, "\xff\xff\xff\xff\xff\xff", 6) == 0)
				sll->sll_pkttype = PACKET_BROADCAST;
			else if (d[0] & 1)
				sll->sll_pkttype = PACKET_MULTICAST;
		}
		break;
	case LINKTYPE_LINUX_SLL:
		if (caplen >= 16) {
			uint16_t v;

			memcpy(&v, d, 2);
			sll->sll_pkttype = (unsigned char)ntohs(v);
			memcpy(&v, d + 2, 2);
			sll->sll_hatype = ntohs(v);
			memcpy(&v, d + 4, 2);
			sll->sll_halen = (unsigned char)(ntohs(v) > 8 ? 8 :
			    ntohs(v));
			memcpy(sll->sll_addr, d + 6, 8);
			memcpy(&sll->sll_protocol, d + 14, 2);
			*dataoff = 16;
		}
		break;
	case LINKTYPE_LINUX_SLL2:
		if (caplen >= 20) {
			uint32_t idx;
			uint16_t v;

			memcpy(&sll->sll_protocol, d, 2);
			memcpy(&idx, d + 4, 4);
			sll->sll_ifindex = (int)ntohl(idx);
			memcpy(&v, d + 8, 2);
			sll->sll_hatype = ntohs(v);
			sll->sll_pkttype = d[10];
			sll->sll_halen = d[11] > 8 ? 8 : d[11];
			memcpy(sll->sll_addr, d + 12, 8);
			*dataoff = 20;
		}
		break;
	case LINKTYPE_NULL: case LINKTYPE_LOOP:
		if (caplen >= 4) {	/* recvfrom() gives the IP packet */
			*dataoff = 4;
			ip_addr_of(sll, d + 4, caplen - 4);
		}
		break;
	default:
		if (pcap_linktype_raw(lt))
			ip_addr_of(sll, d, caplen);
		break;
	}
	aux->protocol = ntohs(sll->sll_protocol);
	aux->pkttype = sll->sll_pkttype;
	aux->ifindex = (uint32_t)sll->sll_ifindex;
	aux->hatype = sll->sll_hatype;
}

/* The filters of a file's link types, compiled as records need them. */
struct lfilter {
	int lt, swap;
	struct bpf_prog prog;
};

struct lfilters {
	struct lfilter *v;
	unsigned n;
};

/* The program for records of interface f.  Returns it, or NULL with an
 * exception pending. */
static const struct bpf_prog *
lfilter_of(struct sniff *s, struct lfilters *fl, const struct pcap_iface *f)
{
	struct lfilter *e;
	unsigned i;
	int bl;

	for (i = 0; i < fl->n; i++)
		if (fl->v[i].lt == f->linktype && fl->v[i].swap == f->swap)
			return &fl->v[i].prog;
	if ((bl = read_link(s, f)) < 0)
		return NULL;
	fl->v = xrealloc(fl->v, (fl->n + 1) * sizeof *fl->v);
	e = &fl->v[fl->n];
	e->lt = f->linktype;
	e->swap = f->swap;
	if (build_filter(s, (enum bpf_link)bl, 0, &e->prog) < 0)
		return NULL;
	fl->n++;
	return &e->prog;
}

static void
lfilters_free(struct lfilters *fl)
{
	unsigned i;

	for (i = 0; i < fl->n; i++)
		bpf_free(&fl->v[i].prog);
	free(fl->v);
}

/* The interface of the -w file that a record of the read file's interface
 * k goes to: the first one for a classic file (whose records share one
 * link type), else one for each interface read, described on first use.
 * Returns 0 with *ifid set, or -1. */
static int
out_iface(struct sniff *s, const struct pcap_reader *rd, unsigned k,
    unsigned *ifid)
{
	const struct pcap_iface *f = &rd->ifs[k];
	int id;

	*ifid = 0;
	if (!s->pcapng) {
		if (f->linktype == rd->linktype)
			return 0;
		err_set(EXC_VALUE, "-w: a pcap file has one link type, and "
		    "interface %u is %d (%s), not %d (use --pcapng)", k,
		    f->linktype, pcap_linktype_name(f->linktype),
		    rd->linktype);
		return -1;
	}
	if (k == 0)
		return 0;
	if (k >= s->nifmap) {
		s->ifmap = xrealloc(s->ifmap, (k + 1) * sizeof *s->ifmap);
		while (s->nifmap <= k)
			s->ifmap[s->nifmap++] = -1;
	}
	if (s->ifmap[k] < 0) {
		id = pcap_writer_iface(&s->pw, f->linktype, f->snaplen <
		    (uint32_t)s->snaplen ? f->snaplen : (uint32_t)s->snaplen,
		    f->name);
		if (id < 0)
			return -1;
		s->ifmap[k] = id;
	}
	*ifid = (unsigned)s->ifmap[k];
	return 0;
}

static int
run_read(struct sniff *s)
{
	struct pcap_reader rd = { 0 };
	struct pcap_rec rec;
	struct lfilters fl = { NULL, 0 };
	struct instream in = { -1, s->rpath, NULL, 0, 0, 0 };
	struct stat st;
	int r, bl, status = -1;

	in.fd = strcmp(s->rpath, "-") == 0 ? STDIN_FILENO :
	    open(s->rpath, O_RDONLY | O_CLOEXEC);
	if (in.fd < 0) {
		err_errno_filename(errno, s->rpath);
		return -1;
	}
	if (fstat(in.fd, &st) < 0)
		memset(&st, 0, sizeof st);
	/* the magic first: a window of READ_CHUNK at most, whatever the
	 * input */
	if (instream_header(&in, &rd) < 0)
		goto out;
	s->linktype = rd.linktype;
	if (s->dump_bpf) {
		status = (bl = read_link(s, &rd.ifs[0])) < 0 ? -1 :
		    dump_bpf(s, (enum bpf_link)bl, 0);
		goto out;
	}
	if (lfilter_of(s, &fl, &rd.ifs[0]) == NULL)
		goto out;
	/* records are cut at --snaplen (the filter's verdict), which the
	 * header of the copy says when it is the shorter */
	if (check_not_input(s, &st) < 0 || open_output(s,
	    rd.snaplen < (uint32_t)s->snaplen ? rd.snaplen :
	    (uint32_t)s->snaplen, rd.ifs[0].name) < 0)
		goto out;
	if (G.verbose >= 0)
		print_start(s, s->rpath, (int)rd.linktype, rd.snaplen);
	for (;;) {
		const struct bpf_prog *prog;
		struct pkt p;
		struct bpf_aux aux;
		uint32_t off, keep;

		if ((r = instream_next(&in, &rd, &rec)) <= 0)
			break;
		if ((prog = lfilter_of(s, &fl, &rd.ifs[rec.iface])) == NULL) {
			r = -1;
			break;
		}
		synth_addr(rec.linktype, rec.data, rec.caplen, &p.sll, &aux,
		    &off);
		keep = bpf_run(prog->insns, prog->len, rec.data, rec.caplen,
		    rec.wirelen, &aux);
		if (keep == 0)
			continue;
		if (s->have_pw && out_iface(s, &rd, rec.iface, &p.ifid) < 0) {
			r = -1;
			break;
		}
		p.sec = rec.sec;
		p.nsec = rec.nsec;
		p.frame = rec.data;
		p.fcaplen = keep < rec.caplen ? keep : rec.caplen;
		p.fwirelen = rec.wirelen;
		p.decode_lt = rec.linktype;
		p.whole = 1;
		p.data = p.frame + (off <= p.fcaplen ? off : p.fcaplen);
		p.caplen = p.fcaplen - (uint32_t)(p.data - p.frame);
		p.wirelen = p.fwirelen > off ? p.fwirelen - off : 0;
		if ((r = handle(s, &p)) < 0)
			goto out;
		if (r == 1)
			break;
	}
	if (r < 0)
		goto out;
	status = 0;
out:
	if (close_output(s) < 0 && status == 0)
		status = -1;
	lfilters_free(&fl);
	pcap_reader_free(&rd);
	free(s->ifmap);
	s->ifmap = NULL;
	if (in.fd != STDIN_FILENO)
		close(in.fd);
	free(in.buf);
	return status;
}

/* ---- live capture -------------------------------------------------------- */

/* Interface index and ARPHRD type of name.  Returns 0 or -1 (OSError). */
static int
iface_info(const char *name, int *ifindex, int *hatype)
{
	struct ifreq ifr;
	int fd, e;

	if (strlen(name) >= IF_NAMESIZE) {
		err_set(EXC_OSERROR, "[Errno 19] No such device: '%s'", name);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto fail;
	*ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	*hatype = ifr.ifr_hwaddr.sa_family;
	close(fd);
	return 0;
fail:
	e = errno;
	close(fd);
	err_errno_filename(e, name);
	return -1;
}

/* Switches to user name for good.  Returns 0, or -1 when it cannot switch
 * fully (unknown user, or root can still be regained). */
static int
drop_privileges(const char *name)
{
	struct passwd *pw;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		usage_error(CMD, "--user: unknown user '%s'", name);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
		int e = errno;

		err_set(EXC_PERMISSION,
		    "[Errno %d] cannot switch to user '%s': %s", e, name,
		    strerror(e));
		return -1;
	}
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 ||
	    ru != pw->pw_uid || eu != pw->pw_uid || su != pw->pw_uid ||
	    rg != pw->pw_gid || eg != pw->pw_gid || sg != pw->pw_gid ||
	    (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))) {
		err_set(EXC_PERMISSION,
		    "cannot drop privileges to user '%s' for good", name);
		return -1;
	}
	return 0;
}

static void
read_stats(int fd, unsigned long *recv, unsigned long *drops)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof st;

	memset(&st, 0, sizeof st);
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
		*recv += st.tp_packets;
		*drops += st.tp_drops;
	}
}

/* SIGUSR1 asked for the statistics: prints them so far (the kernel's
 * counts added up), as at the end, and capturing goes on. */
static void
stats_if_asked(struct sniff *s)
{
	if (!stats_request)
		return;
	stats_request = 0;
	if (s->rawip) {
		print_stats(s, 0, 0, 0);
		return;
	}
	read_stats(s->fd, &s->kernel_recv, &s->kernel_drops);
	print_stats(s, 1, s->kernel_recv, s->kernel_drops);
}

/* Waits for fds to be readable, up to the deadline (0: none).  Returns 1
 * when readable, 0 at the deadline or on a signal, -1 on error. */
static int
wait_readable(struct pollfd *pfd, int n, double deadline, const sigset_t *mask)
{
	struct timespec ts, *tp = NULL;
	int r;

	if (deadline > 0) {
		double left = deadline - mono_now();

		if (left <= 0)
			return 0;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		tp = &ts;
	}
	r = ppoll(pfd, (nfds_t)n, tp, mask);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r < 0) {
		err_errno(errno);
		return -1;
	}
	return r > 0;
}

/* Fills p from a ring packet or recvmsg() result. */
static void
fill_pkt(struct sniff *s, struct pkt *p, const uint8_t *data, uint32_t caplen,
    uint32_t wirelen, const struct sockaddr_ll *sll, uint64_t sec,
    uint32_t nsec, int vlan, uint16_t tci, uint16_t tpid)
{
	p->data = p->frame = data;
	p->caplen = p->fcaplen = caplen;
	p->wirelen = p->fwirelen = wirelen;
	p->sec = sec;
	p->nsec = nsec;
	memcpy(&p->sll, sll, sizeof p->sll);
	p->decode_lt = s->sotype == SOCK_DGRAM ? DECODE_L3 : s->linktype;
	p->whole = 0;
	p->ifid = 0;
	if (vlan)
		reinsert_vlan(s, p, tci, tpid);
}

/* The ring loop.  Returns 1 at the count, 0 at the deadline/signal, -1. */
static int
loop_ring(struct sniff *s, struct ring *rg, double deadline,
    const sigset_t *mask)
{
	struct pollfd pfd = { s->fd, POLLIN, 0 };

	while (!stop_signal) {
		struct tpacket_block_desc *b = ring_block(rg);
		struct ring_pkt rp;
		uint32_t pos = 0, off = 0;
		int r = 0;

		stats_if_asked(s);
		if (b == NULL) {
			if (flush_all(s) < 0)
				return -1;
			if ((r = wait_readable(&pfd, 1, deadline, mask)) <= 0) {
				if (r < 0)
					return -1;
				if (deadline > 0 && mono_now() >= deadline)
					return 0;
			}
			continue;
		}
		while (r == 0 && ring_next(rg, b, &pos, &off, &rp)) {
			const struct tpacket3_hdr *h = rp.h;
			struct pkt p;

			fill_pkt(s, &p, rp.data, h->tp_snaplen, h->tp_len,
			    rp.sll, h->tp_sec, h->tp_nsec,
			    (h->tp_status & TP_STATUS_VLAN_VALID) != 0,
			    h->hv1.tp_vlan_tci,
			    (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
			    h->hv1.tp_vlan_tpid : 0);
			r = handle(s, &p);
		}
		ring_release(rg);
		if (r != 0)
			return r;
		if (deadline > 0 && mono_now() >= deadline)
			return 0;
	}
	return 0;
}

/* The recvmsg() loop (no ring).  Returns like loop_ring. */
static int
loop_recv(struct sniff *s, double deadline, const sigset_t *mask)
{
	struct pollfd pfd = { s->fd, POLLIN, 0 };
	uint8_t *buf = xmalloc((size_t)s->snaplen);
	union { char b[CMSG_SPACE(sizeof(struct tpacket_auxdata)) +
	    CMSG_SPACE(sizeof(struct timespec))]; struct cmsghdr a; } cb;
	int status = 0;

	while (!stop_signal) {
		struct sockaddr_ll sll;
		struct iovec iov = { buf, (size_t)s->snaplen };
		struct msghdr m = { &sll, sizeof sll, &iov, 1, cb.b,
		    sizeof cb.b, 0 };
		struct cmsghdr *c;
		struct tpacket_auxdata aux;
		struct timespec ts = { 0, 0 };
		struct pkt p;
		ssize_t n = recvmsg(s->fd, &m, MSG_DONTWAIT | MSG_TRUNC);
		int have_aux = 0, r;

		stats_if_asked(s);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (flush_all(s) < 0 ||
			    (r = wait_readable(&pfd, 1, deadline, mask)) < 0) {
				status = -1;
				break;
			}
			if (r == 0 && deadline > 0 && mono_now() >= deadline)
				break;
			continue;
		}
		if (n < 0) {
			err_errno(errno);
			status = -1;
			break;
		}
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == SOL_PACKET &&
			    c->cmsg_type == PACKET_AUXDATA &&
			    c->cmsg_len >= CMSG_LEN(sizeof aux)) {
				memcpy(&aux, CMSG_DATA(c), sizeof aux);
				have_aux = 1;
			} else if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SO_TIMESTAMPNS &&
			    c->cmsg_len >= CMSG_LEN(sizeof ts)) {
				memcpy(&ts, CMSG_DATA(c), sizeof ts);
			}
		}
		fill_pkt(s, &p, buf, (uint32_t)((size_t)n < (size_t)s->snaplen ?
		    (size_t)n : (size_t)s->snaplen),
		    have_aux ? aux.tp_len : (uint32_t)n, &sll,
		    (uint64_t)ts.tv_sec, (uint32_t)ts.tv_nsec, have_aux &&
		    (aux.tp_status & TP_STATUS_VLAN_VALID),
		    have_aux ? aux.tp_vlan_tci : 0, have_aux &&
		    (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
		    aux.tp_vlan_tpid : 0);
		if ((r = handle(s, &p)) != 0) {
			status = r;
			break;
		}
		if (deadline > 0 && mono_now() >= deadline)
			break;
	}
	free(buf);
	return status;
}

/* The OSError of a capture socket that socket() refused (errno e), saying
 * what is missing when it is the privilege (as tcpdump does). */
static void
err_capture(int e)
{
	struct buf b = { 0 };
	struct pyerr pe;

	err_errno(e);
	if (e != EPERM && e != EACCES)
		return;
	pe = err_fetch();
	buf_printf(&b, "%s (capturing needs CAP_NET_RAW)",
	    pe.msg ? pe.msg : "");
	free(pe.msg);
	pe.msg = buf_cstr(&b);
	err_restore(pe);
}

/* Opens the packet socket with filter, ring and membership, bound last. */
static int
open_packet_socket(struct sniff *s, struct ring *rg, int *have_ring)
{
	struct bpf_prog prog;
	struct sock_fprog fp;
	struct sockaddr_ll sll;
	int lo = (int)if_nametoindex("lo"), one = 1;

	*have_ring = 0;
	if ((s->fd = socket(AF_PACKET, s->sotype | SOCK_CLOEXEC, 0)) < 0) {
		err_capture(errno);
		return -1;
	}
	if (build_filter(s, s->sotype == SOCK_DGRAM ? BL_COOKED :
	    (enum bpf_link)bpf_link_of(s->linktype, 0), 1, &prog) < 0)
		return -1;
	if (s->direction != DIR_INOUT) {
		/* -Q: the kernel drops the other direction (handle() checks
		 * again, for a program with no room for this) */
		struct sock_filter pre_dir[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			    (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING,
			    s->direction == DIR_OUT, s->direction == DIR_IN),
			BPF_STMT(BPF_RET | BPF_K, 0),
		};

		if (prog.len + 3 <= BPF_MAXINSNS)
			bpf_prepend(&prog, pre_dir, 3);
	} else if (lo > 0 && (s->ifindex == 0 || s->ifindex == lo)) {
		/* loopback packets show up twice (out and in): keep one, like
		 * libpcap */
		struct sock_filter pre_any[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			    (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0,
			    3),
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			    (uint32_t)(SKF_AD_OFF + SKF_AD_IFINDEX)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)lo, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, 0),
		};
		struct sock_filter pre_lo[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			    (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 0,
			    1),
			BPF_STMT(BPF_RET | BPF_K, 0),
		};

		size_t n = s->ifindex == 0 ? sizeof pre_any / sizeof pre_any[0]
		    : sizeof pre_lo / sizeof pre_lo[0];

		/* a program near BPF_MAXINSNS has no room for the prefix (the
		 * kernel would say EINVAL): then the copies go in user space */
		if (prog.len + n > BPF_MAXINSNS)
			s->lo_drop_out = lo;
		else
			bpf_prepend(&prog, s->ifindex == 0 ? pre_any : pre_lo,
			    n);
	}
	fp.len = (unsigned short)prog.len;
	fp.filter = prog.insns;
	if (setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp,
	    sizeof fp) < 0) {
		err_errno(errno);
		bpf_free(&prog);
		return -1;
	}
	bpf_free(&prog);
	if (!s->no_ring) {
		if (ring_open(rg, s->fd, (size_t)s->buffer_mib << 20,
		    (uint32_t)s->snaplen) == 0)
			*have_ring = 1;
		else {
			struct buf t = { 0 };

			buf_printf(&t, "no TPACKET_V3 ring (%s); using "
			    "recvmsg", err_get()->msg ? err_get()->msg : "?");
			if (G.verbose > 0)
				print_notice(t.p);
			free(t.p);
			err_clear();
		}
	}
	if (!*have_ring) {
		int sz = (int)(s->buffer_mib << 20);

		setsockopt(s->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one);
		setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
		if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		    sizeof sz) < 0)
			setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &sz,
			    sizeof sz);
	}
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = s->ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
		err_errno(errno);
		return -1;
	}
	if (s->promisc) {
		struct packet_mreq mr;

		memset(&mr, 0, sizeof mr);
		mr.mr_ifindex = s->ifindex;
		mr.mr_type = PACKET_MR_PROMISC;
		if (setsockopt(s->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		    sizeof mr) < 0) {
			err_errno(errno);
			return -1;
		}
	}
	return 0;
}

/* Blocks SIGINT/SIGTERM/SIGHUP and SIGUSR1 (they are taken in ppoll), each
 * with a flag handler. */
static void
setup_signals(sigset_t *orig)
{
	sigset_t blk;

	stop_catch();
	stats_catch();
	sigemptyset(&blk);
	sigaddset(&blk, SIGINT);
	sigaddset(&blk, SIGTERM);
	sigaddset(&blk, SIGHUP);
	sigaddset(&blk, SIGUSR1);
	sigprocmask(SIG_BLOCK, &blk, orig);
	sigdelset(orig, SIGINT);
	sigdelset(orig, SIGTERM);
	sigdelset(orig, SIGHUP);
	sigdelset(orig, SIGUSR1);
}

/* Exit status for how the capture ended. */
static int
end_status(int r)
{
	if (r < 0)
		return -1;
	if (stop_signal == SIGINT)
		return 130;
	if (stop_signal == SIGTERM)
		return 143;
	if (stop_signal == SIGHUP)
		return 129;
	return 0;
}

static int
run_live(struct sniff *s)
{
	struct ring rg;
	sigset_t orig;
	double deadline;
	int have_ring = 0, r = -1;

	memset(&rg, 0, sizeof rg);
	s->sotype = SOCK_DGRAM;
	s->linktype = s->sll1 ? LINKTYPE_LINUX_SLL : LINKTYPE_LINUX_SLL2;
	if (s->ifname && strcmp(s->ifname, "any") != 0) {
		if (iface_info(s->ifname, &s->ifindex, &s->hatype) < 0)
			return -1;
		if (s->hatype == ARPHRD_CAN) {
			struct can_sniff_opts co =
			    { s->ifname, s->count, s->timeout, s->wpath,
				s->log_format, G.fmt, s->pcapng };

			return can_sniff_run(&co);
		}
		if (s->hatype == ARPHRD_ETHER || s->hatype == ARPHRD_LOOPBACK) {
			s->sotype = SOCK_RAW;
			s->linktype = LINKTYPE_EN10MB;
		} else if (s->hatype == ARPHRD_NONE) {
			s->sotype = SOCK_RAW;
			s->linktype = LINKTYPE_RAW;
		}
	}
	if (s->dump_bpf)
		return dump_bpf(s, s->sotype == SOCK_DGRAM ? BL_COOKED :
		    (enum bpf_link)bpf_link_of(s->linktype, 0), 1);
	setup_signals(&orig);
	if (open_packet_socket(s, &rg, &have_ring) < 0)
		goto out;
	if (s->user && drop_privileges(s->user) < 0)
		goto out;
	if (open_output(s, (uint32_t)s->snaplen, s->ifname ? s->ifname :
	    "any") < 0)
		goto out;
	if (G.verbose >= 0)
		print_start(s, NULL, s->linktype, (unsigned long)s->snaplen);
	deadline = s->timeout > 0 ? mono_now() + s->timeout : 0;
	r = have_ring ? loop_ring(s, &rg, deadline, &orig) :
	    loop_recv(s, deadline, &orig);
	if (r >= 0 && flush_all(s) < 0)
		r = -1;
	read_stats(s->fd, &s->kernel_recv, &s->kernel_drops);
	print_stats(s, 1, s->kernel_recv, s->kernel_drops);
out:
	if (close_output(s) < 0)
		r = -1;
	ring_close(&rg);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	return end_status(r);
}

/* "listening on IFACE, raw IP protocol N (FAMILIES)"; -j: {listening,
 * protocol, families}. */
static void
print_rawip_start(const struct sniff *s, int proto, const int *fams, int nf)
{
	struct buf b = { 0 };
	struct jw w;
	int i;

	if (G.fmt != FMT_JSON) {
		fprintf(stderr, "listening on %s, raw IP protocol %d (%s)\n",
		    s->ifname ? s->ifname : "any", proto,
		    nf == 2 ? "AF_INET, AF_INET6" : fams[0] == AF_INET ?
		    "AF_INET" : "AF_INET6");
		fflush(stderr);
		return;
	}
	diag_listening(&w, &b, s);
	jw_key(&w, "protocol");
	jw_int(&w, proto);
	jw_key(&w, "families");
	jw_open_arr(&w);
	for (i = 0; i < nf; i++)
		jw_strz(&w, fams[i] == AF_INET ? "AF_INET" : "AF_INET6");
	jw_close_arr(&w);
	diag_close(&w, &b);
}

/* ---- AF_INET/AF_INET6 SOCK_RAW ------------------------------------------- */

static int
raw_proto(const char *name, int *proto)
{
	struct protoent *pe;
	long v;
	char *end;

	v = strtol(name, &end, 0);
	if (*name && *end == '\0' && v >= 0 && v <= 255) {
		*proto = (int)v;
		return 0;
	}
	if (strcmp(name, "icmp6") == 0 || strcmp(name, "icmpv6") == 0)
		name = "ipv6-icmp";
	if ((pe = getprotobyname(name)) == NULL) {
		usage_error(CMD, "--raw-ip: unknown protocol '%s'", name);
		return -1;
	}
	*proto = pe->p_proto;
	return 0;
}

static int
run_rawip(struct sniff *s)
{
	struct pollfd pfd[2];
	sigset_t orig;
	double deadline;
	uint8_t *buf;
	int proto, n = 0, i, r = 0, fams[2], nf = 0;

	if (raw_proto(s->rawip, &proto) < 0)
		return -1;
	if (G.family != AF_INET6 && proto != IPPROTO_ICMPV6)
		fams[nf++] = AF_INET;
	if (G.family != AF_INET && proto != IPPROTO_ICMP)
		fams[nf++] = AF_INET6;
	if (nf == 0) {
		usage_error(CMD, "--raw-ip %s: no address family left",
		    s->rawip);
		return -1;
	}
	for (i = 0; i < nf; i++) {
		int fd = socket(fams[i], SOCK_RAW | SOCK_CLOEXEC, proto);

		if (fd < 0) {
			err_capture(errno);
			r = -1;
			goto out;
		}
		if (s->ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
		    s->ifname, (socklen_t)strlen(s->ifname)) < 0) {
			err_errno(errno);
			close(fd);
			r = -1;
			goto out;
		}
		pfd[n].fd = fd;
		pfd[n].events = POLLIN;
		n++;
	}
	setup_signals(&orig);
	if (s->user && drop_privileges(s->user) < 0) {
		r = -1;
		goto out;
	}
	if (G.verbose >= 0)
		print_rawip_start(s, proto, fams, nf);
	deadline = s->timeout > 0 ? mono_now() + s->timeout : 0;
	buf = xmalloc((size_t)s->snaplen);
	while (!stop_signal && r == 0) {
		int w;

		stats_if_asked(s);
		if (out_flush() < 0 || (w = wait_readable(pfd, n, deadline,
		    &orig)) < 0) {
			r = -1;
			break;
		}
		if (w == 0) {
			if (deadline > 0 && mono_now() >= deadline)
				break;
			continue;
		}
		for (i = 0; i < n && r == 0; i++) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof ss;
			struct timespec ts;
			ssize_t k;
			value *a;

			if (!(pfd[i].revents & POLLIN))
				continue;
			k = recvfrom(pfd[i].fd, buf, (size_t)s->snaplen,
			    MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
			if (k < 0) {
				if (errno == EAGAIN || errno == EINTR)
					continue;
				err_errno(errno);
				r = -1;
				break;
			}
			clock_gettime(CLOCK_REALTIME, &ts);
			if ((a = addr_to_value((struct sockaddr *)&ss, sl,
			    proto)) == NULL) {
				r = -1;
				break;
			}
			{
				struct shown sh = {
					.data = buf, .len = (size_t)k,
					.addr = a,
					.sec = (uint64_t)ts.tv_sec,
					.nsec = (uint32_t)ts.tv_nsec,
				};

				/* AF_INET raw sockets give the IP header;
				 * AF_INET6 ones do not: no summary */
				if (ss.ss_family == AF_INET) {
					sh.frame = buf;
					sh.fcaplen = sh.fwirelen = (size_t)k;
					sh.lt = LINKTYPE_RAW;
				}
				s->line.len = 0;
				show(s, &s->line, &sh);
			}
			v_decref(a);
			if (out_write(s->line.p, s->line.len) < 0) {
				r = -1;
				break;
			}
			s->seen++;
			if (s->count > 0 && s->seen >= s->count)
				r = 1;
		}
	}
	free(buf);
	print_stats(s, 0, 0, 0);
out:
	for (i = 0; i < n; i++)
		close(pfd[i].fd);
	return end_status(r < 0 ? -1 : 0);
}

/* ---- -D: the interfaces ------------------------------------------------ */

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000	/* linux/if.h's: the carrier is up (net/if.h
				 * and linux/if.h do not mix) */
#endif

/* The pcap link type that a capture on an interface of ARPHRD type hatype
 * writes. */
static int
linktype_of_hatype(int hatype)
{
	switch (hatype) {
	case ARPHRD_ETHER: case ARPHRD_LOOPBACK: return LINKTYPE_EN10MB;
	case ARPHRD_NONE: return LINKTYPE_RAW;
	case ARPHRD_CAN: return LINKTYPE_CAN_SOCKETCAN;
	}
	return LINKTYPE_LINUX_SLL2;
}

/* One line of -D: "INDEX.NAME [Up, Running, Loopback] LINKTYPE" as tcpdump
 * words its flags (the carrier as Connected or Disconnected); -j: an
 * object; -r: its fields. */
static void
print_iface(struct buf *b, int index, const char *name, unsigned flags,
    int linktype)
{
	static const struct { unsigned bit; const char *word, *key; } fl[] = {
		{ IFF_UP, "Up", "up" }, { IFF_RUNNING, "Running", "running" },
		{ IFF_LOOPBACK, "Loopback", "loopback" },
	};
	const char *lt = pcap_linktype_name(linktype);
	int loop = (flags & IFF_LOOPBACK) != 0, any = index == 0, n = 0;
	size_t i;
	struct jw w;

	b->len = 0;
	if (G.fmt != FMT_PY) {
		jw_init(&w, b, G.fmt == FMT_JSON ? JW_JSON : JW_FLAT);
		jw_open_obj(&w);
		jw_key(&w, "index");
		jw_int(&w, index);
		jw_key(&w, "name");
		jw_strz(&w, name);
		for (i = 0; i < sizeof fl / sizeof fl[0]; i++) {
			jw_key(&w, fl[i].key);
			jw_bool(&w, (flags & fl[i].bit) != 0);
		}
		jw_key(&w, "connected");
		if (loop || any)
			jw_null(&w);
		else
			jw_bool(&w, (flags & IFF_LOWER_UP) != 0);
		jw_key(&w, "linktype");
		jw_str(&w, lt, strcspn(lt, " "));
		jw_close_obj(&w);
		if (G.fmt == FMT_RAW && b->len && b->p[0] == '\t')
			memmove(b->p, b->p + 1, --b->len);	/* fields
								 * only */
	} else {
		buf_printf(b, "%d.%s [", index, name);
		for (i = 0; i < sizeof fl / sizeof fl[0]; i++)
			if (flags & fl[i].bit)
				buf_printf(b, "%s%s", n++ ? ", " : "",
				    fl[i].word);
		if (n == 0)
			buf_printf(b, "none");
		if (!loop && !any)
			buf_printf(b, ", %s", flags & IFF_LOWER_UP ?
			    "Connected" : "Disconnected");
		buf_printf(b, "] %.*s", (int)strcspn(lt, " "), lt);
	}
	buf_putc(b, '\n');
}

/* -D: every interface in index order, then "any".  Returns 0 or -1. */
static int
list_interfaces(void)
{
	struct ifaddrs *all, *ifa;
	struct buf b = { 0 };
	int idx, best, last = 0, r = 0;

	if (getifaddrs(&all) < 0) {
		err_errno(errno);
		return -1;
	}
	/* the AF_PACKET entries, one per interface, smallest index first */
	for (;;) {
		const struct ifaddrs *pick = NULL;

		best = 0;
		for (ifa = all; ifa; ifa = ifa->ifa_next) {
			const struct sockaddr_ll *sll =
			    (const void *)ifa->ifa_addr;

			if (sll == NULL || sll->sll_family != AF_PACKET)
				continue;
			idx = sll->sll_ifindex;
			if (idx > last && (best == 0 || idx < best)) {
				best = idx;
				pick = ifa;
			}
		}
		if (pick == NULL)
			break;
		last = best;
		print_iface(&b, best, pick->ifa_name, pick->ifa_flags,
		    linktype_of_hatype(((const struct sockaddr_ll *)
		    (const void *)pick->ifa_addr)->sll_hatype));
		if ((r = out_write(b.p, b.len)) < 0)
			break;
	}
	freeifaddrs(all);
	if (r == 0) {
		print_iface(&b, 0, "any", IFF_UP | IFF_RUNNING,
		    LINKTYPE_LINUX_SLL2);
		r = out_write(b.p, b.len);
	}
	free(b.p);
	return r < 0 ? -1 : 0;
}

int
cmd_sniff(int argc, char **argv)
{
	struct sniff s;
	int r, i;

	memset(&s, 0, sizeof s);
	s.fd = s.wfd = -1;
	s.snaplen = SNAPLEN_DEFAULT;
	s.buffer_mib = 32;
	stop_signal = 0;
	if ((r = parse_opts(&s, argc, argv)) != 0) {
		free(s.filter_own);
		return r;
	}
	if (s.list_ifs) {
		r = list_interfaces();
	} else if (s.rpath) {
		r = run_read(&s);
	} else if (s.rawip) {
		r = run_rawip(&s);
	} else {
		s.live = 1;
		r = run_live(&s);
	}
	for (i = 0; i < ACACHE; i++) {
		if (s.cache[i].v)
			v_decref(s.cache[i].v);
		free(s.cache[i].json);
	}
	free(s.line.p);
	free(s.fields.p);
	free(s.tmp);
	free(s.filter_own);
	return r;
}
