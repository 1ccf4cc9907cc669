/* ring.c - TPACKET_V3 receive ring (see the kernel's packet_mmap.rst). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ring.h"
#include "error.h"

#define RING_BLOCK_MIN	(1u << 20)
#define RING_RETIRE_MS	20

int
ring_open(struct ring *r, int fd, size_t bytes, uint32_t snaplen)
{
	struct tpacket_req3 req;
	int v = TPACKET_V3;
	unsigned bs = RING_BLOCK_MIN, nb;
	void *m;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	/* a block must hold the largest packet with its headers */
	while (bs < snaplen + 4096u && bs < (1u << 30))
		bs <<= 1;
	nb = (unsigned)(bytes / bs);
	if (nb < 4)
		nb = 4;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0)
		goto fail;
	memset(&req, 0, sizeof req);
	req.tp_block_size = bs;
	req.tp_block_nr = nb;
	req.tp_frame_size = bs;
	req.tp_frame_nr = nb;
	req.tp_retire_blk_tov = RING_RETIRE_MS;
	req.tp_feature_req_word = TP_FT_REQ_FILL_RXHASH;
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
		goto fail;
	m = mmap(NULL, (size_t)bs * nb, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_POPULATE, fd, 0);
	if (m == MAP_FAILED)
		goto fail;
	r->fd = fd;
	r->map = m;
	r->maplen = (size_t)bs * nb;
	r->block_size = bs;
	r->nblocks = nb;
	return 0;
fail:
	err_errno(errno);
	return -1;
}

struct tpacket_block_desc *
ring_block(struct ring *r)
{
	struct tpacket_block_desc *b =
	    (void *)(r->map + (size_t)r->cur * r->block_size);

	if ((__atomic_load_n(&b->hdr.bh1.block_status,
	    __ATOMIC_ACQUIRE) & TP_STATUS_USER) == 0)
		return NULL;
	return b;
}

int
ring_next(const struct ring *r, const struct tpacket_block_desc *b,
    uint32_t *pos, uint32_t *off, struct ring_pkt *pkt)
{
	const struct tpacket3_hdr *h;
	size_t hoff;

	if (*pos >= b->hdr.bh1.num_pkts)
		return 0;
	hoff = *pos == 0 ? b->hdr.bh1.offset_to_first_pkt : *off;
	if (hoff < sizeof *b || hoff + sizeof *h > r->block_size)
		return 0;
	h = (const void *)((const uint8_t *)b + hoff);
	if ((size_t)h->tp_mac + h->tp_snaplen > r->block_size - hoff ||
	    TPACKET_ALIGN(sizeof *h) +
	    sizeof(struct sockaddr_ll) > r->block_size - hoff)
		return 0;
	pkt->h = h;
	pkt->sll = (const void *)((const uint8_t *)h +
	    TPACKET_ALIGN(sizeof *h));
	pkt->data = (const uint8_t *)h + h->tp_mac;
	(*pos)++;
	*off = (uint32_t)(hoff + h->tp_next_offset);
	if (h->tp_next_offset == 0)
		*pos = UINT32_MAX;	/* the last one */
	return 1;
}

void
ring_release(struct ring *r)
{
	struct tpacket_block_desc *b =
	    (void *)(r->map + (size_t)r->cur * r->block_size);

	__atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL,
	    __ATOMIC_RELEASE);
	r->cur = (r->cur + 1) % r->nblocks;
}

void
ring_close(struct ring *r)
{
	if (r->map)
		munmap(r->map, r->maplen);
	r->map = NULL;
}
