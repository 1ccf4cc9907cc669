/* pcap.h - the classic pcap file format: a buffered writer and a reader
 * that checks every length. */
#ifndef SOCKIT_PCAP_H
#define SOCKIT_PCAP_H

#include <stddef.h>
#include <stdint.h>

#define LINKTYPE_NULL		0	/* BSD loopback, host-order AF */
#define LINKTYPE_EN10MB		1
#define LINKTYPE_DLT_RAW	12	/* raw IP as DLT_RAW: most BSDs */
#define LINKTYPE_DLT_RAW_OBSD	14	/* and OpenBSD */
#define LINKTYPE_RAW		101
#define LINKTYPE_LOOP		108	/* OpenBSD loopback, big-endian AF */
#define LINKTYPE_IPV4		228
#define LINKTYPE_IPV6		229
#define LINKTYPE_LINUX_SLL	113
#define LINKTYPE_LINUX_SLL2	276
#define LINKTYPE_CAN_SOCKETCAN	227

/* Writes n bytes somewhere; returns 0, or -1 with an exception pending. */
typedef int (*pcap_sink)(void *ctx, const void *p, size_t n);

struct pcap_writer {
	pcap_sink sink;
	void *ctx;
	int nano;
	unsigned char *buf;
	size_t len, cap;
};

/* Starts a file: the global header for linktype and snaplen, microsecond
 * or nanosecond timestamps.  Returns 0 or -1 (exception pending). */
int pcap_writer_open(struct pcap_writer *w, pcap_sink sink, void *ctx,
    int linktype, uint32_t snaplen, int nano);
/* Appends one record; hdr (hdrlen bytes, may be 0) goes before data, both
 * counted in caplen; wirelen is the original length without hdr. */
int pcap_write(struct pcap_writer *w, uint64_t sec, uint32_t nsec,
    const void *hdr, size_t hdrlen, const void *data, size_t caplen,
    size_t wirelen);
/* Hands everything buffered to the sink. */
int pcap_flush(struct pcap_writer *w);
/* Flushes and frees the buffer. */
int pcap_writer_close(struct pcap_writer *w);

/* A sink writing to a file descriptor (ctx points to the int fd). */
int pcap_fd_sink(void *ctx, const void *p, size_t n);

struct pcap_reader {
	const unsigned char *p;	/* the whole file, or a window of it */
	size_t len, off;
	uint64_t skipped;	/* file bytes before p (a window), for
				 * messages */
	int swap, nano;
	int linktype;
	uint32_t snaplen;
};

struct pcap_rec {
	uint64_t sec;
	uint32_t nsec;
	uint32_t caplen, wirelen;
	const unsigned char *data;
};

/* Parses the global header of the file in memory.  Returns 0 or -1 with a
 * ValueError pending. */
int pcap_reader_init(struct pcap_reader *r, const void *p, size_t len);
/* The next record: 1, 0 at a clean end, -1 (ValueError) on a truncated or
 * corrupt record. */
int pcap_next(struct pcap_reader *r, struct pcap_rec *rec);

/* "EN10MB (Ethernet)" and the like, for messages. */
const char *pcap_linktype_name(int linktype);
/* Is the link type raw IP (101 and its aliases 12, 14, 228, 229)? */
int pcap_linktype_raw(int linktype);

#endif
