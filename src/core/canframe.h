/* canframe.h - CAN frames in can-utils' text forms: the cansend syntax
 * (parse) and candump's compact and log forms (format).  Plain functions on
 * memory, no sockets: fuzzable. */
#ifndef SOCKIT_CANFRAME_H
#define SOCKIT_CANFRAME_H

#include <stddef.h>
#include <stdint.h>
#include <linux/can.h>

struct buf;

/* A parsed frame.  f.can_id carries CAN_EFF_FLAG / CAN_RTR_FLAG /
 * CAN_ERR_FLAG; for CAN FD, f.flags holds the flags nibble as written
 * (CANFD_BRS, CANFD_ESI; CANFD_FDF is left out, as Debian 12's can-utils
 * and the kernel's classic users expect). */
struct canframe {
	struct canfd_frame f;
	int fd;			/* a CAN FD frame (sent with CANFD_MTU) */
	uint8_t len8_dlc;	/* classic frames with 8 bytes: raw DLC 9..15,
				 * else 0 */
};

/* Parses the n bytes at s in cansend syntax: ID#DATA, ID#R[LEN[_DLC]],
 * ID##FLAGS[DATA], ID#DATA_DLC, with '.' allowed between data bytes.  ID is
 * 3 hex digits (11-bit) or 8 (29-bit; with CAN_ERR_FLAG set an error frame).
 * CAN FD lengths are padded with zeros to the next valid FD length.
 * Returns 0, or -1 with *why set to a static description of the problem. */
int canframe_parse(const char *s, size_t n, struct canframe *cf,
    const char **why);

/* Parses a CAN id in the same hex form (3 digits: 11-bit, 8 digits: 29-bit
 * with CAN_EFF_FLAG added).  Returns 0, or -1 with *why set. */
int canid_parse(const char *s, size_t n, canid_t *id, const char **why);

/* Appends candump's compact form (123#DEADBEEF, 12345678#R, 123##5AABB,
 * 123#1122334455667788_E); fd tells a CAN FD frame.  The flags nibble is
 * printed as received: the kernel adds CANFD_FDF (4) to CAN FD frames, and
 * candump shows it too. */
void canframe_format(struct buf *b, const struct canfd_frame *f, int fd,
    uint8_t len8_dlc);


#endif
