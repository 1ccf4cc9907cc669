/* bpf.h - a tcpdump-like filter language compiled to classic BPF, the
 * "tcpdump -ddd" text form, and a small classic BPF interpreter.  No global
 * state: every function works on its arguments only (fuzzable). */
#ifndef SOCKIT_BPF_H
#define SOCKIT_BPF_H

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "emit.h"

/* Where a program finds the link and network headers. */
enum bpf_link {
	BL_EN10MB,	/* Ethernet header at 0 */
	BL_SLL,		/* Linux cooked v1 (16-byte header) */
	BL_SLL2,	/* Linux cooked v2 (20-byte header) */
	BL_RAW,		/* IPv4 or IPv6 header at 0 */
	BL_COOKED,	/* kernel SOCK_DGRAM packet socket: network header at 0,
			   ethertype from the SKF_AD_PROTOCOL ancillary load */
	BL_NULL_LE,	/* BSD loopback: a 4-byte address family, here */
	BL_NULL_BE	/* little- or big-endian, then the network header */
};

struct bpf_prog {
	struct sock_filter *insns;
	size_t len;
};

/* Ancillary values the interpreter gives SKF_AD_* loads. */
struct bpf_aux {
	uint32_t protocol;	/* ethertype, host order */
	uint32_t pkttype, ifindex, hatype;
	uint32_t vlan_tci, vlan_present, vlan_tpid;
};

/* Compiles expr for the link type.  kernel: VLAN tags are offloaded (the
 * "vlan" primitive uses ancillary loads and does not shift offsets).  An
 * accepted packet returns snaplen.  Returns 0, or -1 with a ValueError
 * pending that names the offending word. */
int bpf_compile(const char *expr, enum bpf_link link, int kernel,
    uint32_t snaplen, struct bpf_prog *prog);

/* Parses "tcpdump -ddd" output (a count, then "code jt jf k" lines; commas
 * also separate) and validates the program.  Returns 0 or -1 (ValueError). */
int bpf_parse_ddd(const char *text, struct bpf_prog *prog);

/* Checks what the kernel checks: length, opcodes, jump targets, scratch
 * memory indexes, a final return.  Returns 0 or -1 (ValueError). */
int bpf_validate(const struct sock_filter *f, size_t n);

/* Appends the program in "tcpdump -ddd" form. */
void bpf_dump_ddd(struct buf *b, const struct bpf_prog *p);

/* Runs the program over a packet of caplen captured bytes (wirelen on the
 * wire).  Returns the number of bytes to accept, 0 to drop; an invalid
 * instruction or out-of-range load drops, as in the kernel. */
uint32_t bpf_run(const struct sock_filter *f, size_t n, const uint8_t *pkt,
    uint32_t caplen, uint32_t wirelen, const struct bpf_aux *aux);

/* Prepends n instructions to prog (jumps are relative, so prog stays valid
 * when the prefix's jumps land at or after its own end). */
void bpf_prepend(struct bpf_prog *prog, const struct sock_filter *pre,
    size_t n);

void bpf_free(struct bpf_prog *p);

#endif
