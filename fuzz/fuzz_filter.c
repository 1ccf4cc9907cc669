/* fuzz_filter.c - libFuzzer harness: the sniff filter compiler and the
 * "tcpdump -ddd" reader.  Byte 0 picks the mode: bits 0-2 the link type
 * (enum bpf_link, mod 7), bit 3 kernel mode, bit 4 the -ddd reader instead
 * of the compiler; the rest is the text.  A compiled program must pass
 * bpf_validate, and its -ddd dump must read back to the same program; every
 * program is then run over a few fixed packets (and their truncations).
 * Host names never reach the resolver: getaddrinfo is replaced below. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/bpf.h"
#include "emit.h"
#include "error.h"

/* Ethernet, IPv4, TCP 10.0.0.1:1234 -> 10.0.0.2:80, SYN, 4 bytes of data */
static const uint8_t pkt_tcp4[] = {
	0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0, 0, 44, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x04, 0xd2, 0, 80, 0, 0, 3, 0xe8, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0,
	0, 0, 0,
	'd', 'a', 't', 'a'
};
/* Ethernet, 802.1Q vlan 5, IPv6, UDP [fe80::1]:53 -> [ff02::1]:5353 */
static const uint8_t pkt_vlan_udp6[] = {
	0x33, 0x33, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 1, 0x81, 0x00, 0, 5, 0x86,
	0xdd,
	0x60, 0, 0, 0, 0, 12, 17, 64,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0, 53, 0x14, 0xe9, 0, 12, 0, 0, 'a', 'b', 'c', 'd'
};
/* Ethernet broadcast ARP request who-has 10.0.0.2 tell 10.0.0.1 */
static const uint8_t pkt_arp[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06,
	0, 1, 0x08, 0, 6, 4, 0, 1, 0x02, 0, 0, 0, 0, 1, 10, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 10, 0, 0, 2
};
/* IPv4 fragment (offset 8, MF) with ICMP protocol, no link header */
static const uint8_t pkt_raw_frag[] = {
	0x45, 0, 0, 28, 0, 2, 0x20, 1, 64, 1, 0, 0, 192, 168, 1, 1, 192, 168, 1,
	2,
	8, 0, 0, 0, 0, 7, 0, 1
};

static const struct { const uint8_t *p; size_t n; uint16_t proto; } pkts[] = {
	{ pkt_tcp4, sizeof pkt_tcp4, 0x0800 },
	{ pkt_vlan_udp6, sizeof pkt_vlan_udp6, 0x86dd },
	{ pkt_arp, sizeof pkt_arp, 0x0806 },
	{ pkt_raw_frag, sizeof pkt_raw_frag, 0x0800 },
};

/* The harness's getaddrinfo (it takes the place of libc's): "localhost"
 * is 127.0.0.1 and ::1, numeric addresses are themselves, any other name
 * is unknown.  No network, no files, fast. */
int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	static const struct { const char *text; int family; } local[] = {
		{ "127.0.0.1", AF_INET }, { "::1", AF_INET6 } };
	struct addrinfo *head = NULL, **tail = &head;
	int want = hints ? hints->ai_family : AF_UNSPEC;
	size_t i;

	(void)service;
	for (i = 0; i < 3; i++) {
		const char *text = i < 2 ? local[i].text : node;
		int family = i < 2 ? local[i].family : strchr(node, ':') ?
		    AF_INET6 : AF_INET;
		struct addrinfo *ai;
		struct sockaddr_in6 *sa;

		if (node == NULL || (i < 2 && strcmp(node, "localhost") != 0) ||
		    (want != AF_UNSPEC && want != family))
			continue;
		sa = calloc(1, sizeof *sa);
		sa->sin6_family = (sa_family_t)family;
		if (inet_pton(family, text, family == AF_INET ?
		    (void *)&((struct sockaddr_in *)sa)->sin_addr :
		    (void *)&sa->sin6_addr) != 1) {
			free(sa);
			continue;
		}
		ai = calloc(1, sizeof *ai);
		ai->ai_family = family;
		ai->ai_socktype = hints ? hints->ai_socktype : 0;
		ai->ai_addr = (struct sockaddr *)sa;
		ai->ai_addrlen = family == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof *sa;
		*tail = ai;
		tail = &ai->ai_next;
	}
	*res = head;
	return head ? 0 : EAI_NONAME;
}

void
freeaddrinfo(struct addrinfo *ai)
{
	while (ai) {
		struct addrinfo *next = ai->ai_next;

		free(ai->ai_addr);
		free(ai);
		ai = next;
	}
}

static void
run_all(const struct bpf_prog *prog)
{
	size_t i;

	for (i = 0; i < sizeof pkts / sizeof pkts[0]; i++) {
		struct bpf_aux aux = { pkts[i].proto, 0, 1, 1, 5, i == 1,
		    0x8100 };
		uint8_t *copy = malloc(pkts[i].n);	/* exact size: overreads
							 * trap */

		memcpy(copy, pkts[i].p, pkts[i].n);
		(void)bpf_run(prog->insns, prog->len, copy, (uint32_t)pkts[i].n,
		    (uint32_t)pkts[i].n, &aux);
		(void)bpf_run(prog->insns, prog->len, copy,
		    (uint32_t)pkts[i].n / 2, (uint32_t)pkts[i].n, &aux);
		free(copy);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bpf_prog prog = { 0 }, back = { 0 };
	struct buf b = { 0 };
	unsigned mode;
	char *text;

	if (size == 0)
		return 0;
	mode = data[0];
	text = xmemdup(data + 1, size - 1);
	if (mode & 0x10) {
		if (bpf_parse_ddd(text, &prog) == 0) {
			if (bpf_validate(prog.insns, prog.len) != 0)
				abort();
			run_all(&prog);
		}
	} else if (bpf_compile(text, (enum bpf_link)((mode & 7) % 7),
	    !!(mode & 8), 262144, &prog) == 0) {
		if (bpf_validate(prog.insns, prog.len) != 0)
			abort();
		bpf_dump_ddd(&b, &prog);
		buf_putc(&b, '\0');
		if (bpf_parse_ddd(b.p, &back) != 0 || back.len != prog.len ||
		    memcmp(back.insns, prog.insns,
		    prog.len * sizeof *prog.insns) != 0)
			abort();
		run_all(&prog);
	}
	err_clear();
	bpf_free(&prog);
	bpf_free(&back);
	free(b.p);
	free(text);
	return 0;
}
