/* pcap.h - pcap files, classic and pcapng: a buffered writer and a reader
 * that checks every length and reads through a window of the file. */
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

#define PCAP_NANO	1	/* pcap_writer_open: nanosecond timestamps */
#define PCAP_NG		2	/* pcap_writer_open: pcapng */

struct pcap_writer {
	pcap_sink sink;
	void *ctx;
	int nano, ng;
	unsigned nifs;		/* pcapng: interfaces described so far */
	unsigned char *buf;
	size_t len, cap;
};

/* Starts a file for linktype and snaplen, with microsecond or nanosecond
 * timestamps (flags PCAP_NANO), classic or pcapng (PCAP_NG: the section
 * header and interface 0, named ifname when not NULL).  Returns 0 or -1
 * (exception pending). */
int pcap_writer_open(struct pcap_writer *w, pcap_sink sink, void *ctx,
    int linktype, uint32_t snaplen, int flags, const char *ifname);
/* pcapng: describes one more interface.  Returns its number (from 1), or
 * -1 (exception pending). */
int pcap_writer_iface(struct pcap_writer *w, int linktype,
    uint32_t snaplen, const char *ifname);
/* Appends one record of interface ifid (0 in a classic file); hdr (hdrlen
 * bytes, may be 0) goes before data, both counted in caplen; wirelen is the
 * original length without hdr. */
int pcap_write_if(struct pcap_writer *w, unsigned ifid, uint64_t sec,
    uint32_t nsec, const void *hdr, size_t hdrlen, const void *data,
    size_t caplen, size_t wirelen);
/* pcap_write_if for interface 0. */
int pcap_write(struct pcap_writer *w, uint64_t sec, uint32_t nsec,
    const void *hdr, size_t hdrlen, const void *data, size_t caplen,
    size_t wirelen);
/* Hands everything buffered to the sink. */
int pcap_flush(struct pcap_writer *w);
/* Flushes and frees the buffer. */
int pcap_writer_close(struct pcap_writer *w);

/* A sink writing to a file descriptor (ctx points to the int fd). */
int pcap_fd_sink(void *ctx, const void *p, size_t n);

/* A pcapng interface (a classic file has one). */
struct pcap_iface {
	int linktype;
	uint32_t snaplen;
	int swap;		/* its section's byte order is not ours */
	int binres;		/* timestamps in units of 2**-res s, else
				 * 10**-res s */
	unsigned res;
	int64_t tsoffset;	/* seconds added to its timestamps */
	char name[64];		/* if_name, or "" */
};

/* The reader sees a window of the file: p and len, starting skipped bytes
 * into it.  When the next record is not whole in the window and more is
 * set (the caller can read further), pcap_reader_init and pcap_next return
 * PCAP_MORE: the window must then hold want bytes from off (the caller
 * moves what is left to the front, reads, and sets p, len, off and skipped
 * again). */
#define PCAP_MORE	2
#define PCAP_MAX_RECORD	(1u << 28)	/* a longer record is corrupt */

struct pcap_reader {
	const unsigned char *p;
	size_t len, off;
	uint64_t skipped;	/* file bytes before p, for messages */
	int more;		/* set by the caller, see above */
	size_t want;
	int swap, nano, ng;
	int linktype;		/* of the first interface */
	uint32_t snaplen;
	struct pcap_iface *ifs;	/* every interface of the file so far */
	unsigned nifs, ifbase;	/* pcapng: the current section's first */
};

struct pcap_rec {
	uint64_t sec;
	uint32_t nsec;
	uint32_t caplen, wirelen;
	unsigned iface;		/* index in the reader's ifs */
	int linktype;
	const unsigned char *data;
};

/* Parses the file header (pcapng: the section header and the blocks up to
 * the first interface description) of the window p, len from the file's
 * start.  Returns 0, PCAP_MORE, or -1 with a ValueError pending. */
int pcap_reader_init(struct pcap_reader *r, const void *p, size_t len,
    int more);
/* The next record: 1, 0 at a clean end, PCAP_MORE, or -1 (ValueError) on
 * a truncated or corrupt record. */
int pcap_next(struct pcap_reader *r, struct pcap_rec *rec);
/* Frees what pcap_reader_init allocated. */
void pcap_reader_free(struct pcap_reader *r);

/* "EN10MB (Ethernet)" and the like, for messages. */
const char *pcap_linktype_name(int linktype);
/* Is the link type raw IP (101 and its aliases 12, 14, 228, 229)? */
int pcap_linktype_raw(int linktype);

#endif
