/* ring.h - a TPACKET_V3 memory-mapped receive ring on a packet socket. */
#ifndef SOCKIT_RING_H
#define SOCKIT_RING_H

#include <linux/if_packet.h>
#include <stddef.h>
#include <stdint.h>

struct ring {
	int fd;
	uint8_t *map;
	size_t maplen;
	unsigned block_size, nblocks, cur;
};

/* One packet of a block. */
struct ring_pkt {
	const struct tpacket3_hdr *h;
	const struct sockaddr_ll *sll;
	const uint8_t *data;	/* h->tp_snaplen bytes */
};

/* Sets up a ring of about bytes on packet socket fd for packets up to
 * snaplen bytes.  Returns 0, or -1 with an exception pending (the socket is
 * left as it was when TPACKET_V3 is unavailable). */
int ring_open(struct ring *r, int fd, size_t bytes, uint32_t snaplen);

/* The current block when the kernel has handed it over, else NULL. */
struct tpacket_block_desc *ring_block(struct ring *r);

/* Walks a block: *pos starts at 0; returns 1 with *pkt filled, 0 at the end
 * of the block (or on a corrupt offset). */
int ring_next(const struct ring *r, const struct tpacket_block_desc *b,
    uint32_t *pos, uint32_t *off, struct ring_pkt *pkt);

/* Gives the current block back to the kernel and moves to the next. */
void ring_release(struct ring *r);

void ring_close(struct ring *r);

#endif
