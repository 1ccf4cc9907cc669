/* canframe.c - the cansend syntax and candump's output forms. */
#include <string.h>

#include "core/canframe.h"
#include "emit.h"

/* Parses the id part; allow_err permits an error frame id (8 digits with
 * CAN_ERR_FLAG).  Returns 0, or -1 with *why set. */
static int
parse_id(const char *s, size_t n, canid_t *id, int allow_err, const char **why)
{
	uint32_t v = 0;
	size_t i;

	if (n != 3 && n != 8) {
		*why = n == 0 ? "missing CAN id before '#'" :
		    "CAN id must be 3 hex digits (11-bit) or 8 (29-bit)";
		return -1;
	}
	for (i = 0; i < n; i++) {
		int d = hex_digit((unsigned char)s[i]);

		if (d < 0) {
			*why = "CAN id is not hexadecimal";
			return -1;
		}
		v = v << 4 | (uint32_t)d;
	}
	if (n == 3) {
		if (v > CAN_SFF_MASK) {
			*why = "11-bit CAN id above 7FF (use 8 digits for a 29-bit id)";
			return -1;
		}
		*id = v;
		return 0;
	}
	if (allow_err && (v & CAN_ERR_FLAG) &&
	    (v & ~(CAN_ERR_FLAG | CAN_ERR_MASK)) == 0) {
		*id = v;
		return 0;
	}
	if (v > CAN_EFF_MASK) {
		*why = "29-bit CAN id above 1FFFFFFF";
		return -1;
	}
	*id = v | CAN_EFF_FLAG;
	return 0;
}

int
canid_parse(const char *s, size_t n, canid_t *id, const char **why)
{
	return parse_id(s, n, id, 0, why);
}

/* CAN FD: the valid length (0-8, 12, 16, 20, 24, 32, 48, 64) that holds n. */
static size_t
canfd_padded_len(size_t n)
{
	static const size_t lens[] = { 8, 12, 16, 20, 24, 32, 48, 64 };
	size_t i;

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++)
		if (n <= lens[i])
			return n <= 8 ? n : lens[i];
	return n;
}

/* Parses "_X" (raw DLC 9..F) at s (n bytes, s[0] == '_') into *dlc. */
static int
parse_dlc_suffix(const char *s, size_t n, uint8_t *dlc, const char **why)
{
	int d = n == 2 ? hex_digit((unsigned char)s[1]) : -1;

	if (d < 9) {
		*why = "raw DLC suffix must be '_' and one hex digit 9-F";
		return -1;
	}
	*dlc = (uint8_t)d;
	return 0;
}

/* Parses the remote frame part after 'R': [LEN[_DLC]]. */
static int
parse_rtr(const char *s, size_t n, struct canframe *cf, const char **why)
{
	int d;

	cf->f.can_id |= CAN_RTR_FLAG;
	if (n == 0)
		return 0;
	d = hex_digit((unsigned char)s[0]);
	if (d < 0 || d > CAN_MAX_DLEN) {
		*why = "remote frame length must be one digit 0-8";
		return -1;
	}
	cf->f.len = (uint8_t)d;
	if (n == 1)
		return 0;
	if (s[1] == '_' && d == CAN_MAX_DLEN)
		return parse_dlc_suffix(s + 1, n - 1, &cf->len8_dlc, why);
	*why = s[1] == '_' ? "raw DLC suffix needs remote frame length 8" :
	    "unexpected characters after the remote frame length";
	return -1;
}

/* Parses data bytes (with '.' between bytes) up to max bytes; a classic
 * frame may end in the raw DLC suffix. */
static int
parse_data(const char *s, size_t n, struct canframe *cf, size_t max,
    const char **why)
{
	size_t i = 0, len = 0;

	while (i < n) {
		int hi, lo;

		if (s[i] == '.') {
			i++;
			continue;
		}
		if (s[i] == '_' && !cf->fd) {
			if (len != CAN_MAX_DLEN) {
				*why = "raw DLC suffix '_X' needs exactly 8 data bytes";
				return -1;
			}
			cf->f.len = CAN_MAX_DLEN;
			return parse_dlc_suffix(s + i, n - i, &cf->len8_dlc,
			    why);
		}
		hi = hex_digit((unsigned char)s[i]);
		if (hi < 0) {
			*why = "data is not hexadecimal";
			return -1;
		}
		if (i + 1 >= n || s[i + 1] == '.' || s[i + 1] == '_') {
			*why = "odd number of hex digits in the data";
			return -1;
		}
		if ((lo = hex_digit((unsigned char)s[i + 1])) < 0) {
			*why = "data is not hexadecimal";
			return -1;
		}
		if (len == max) {
			*why = max == CAN_MAX_DLEN ?
			    "more than 8 data bytes (CAN FD frames, with '##', "
			    "take 64)" : "more than 64 data bytes";
			return -1;
		}
		cf->f.data[len++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	cf->f.len = (uint8_t)(cf->fd ? canfd_padded_len(len) : len);
	return 0;
}

int
canframe_parse(const char *s, size_t n, struct canframe *cf, const char **why)
{
	const char *hash = memchr(s, '#', n), *rest;
	size_t rn;
	int d;

	memset(cf, 0, sizeof *cf);
	if (hash == NULL) {
		*why = "missing '#' after the CAN id";
		return -1;
	}
	if (parse_id(s, (size_t)(hash - s), &cf->f.can_id, 1, why) < 0)
		return -1;
	rest = hash + 1;
	rn = n - (size_t)(rest - s);
	if (rn > 0 && rest[0] == '#') {
		if (cf->f.can_id & CAN_ERR_FLAG) {
			*why = "an error frame cannot be a CAN FD frame";
			return -1;
		}
		if (rn < 2 || (d = hex_digit((unsigned char)rest[1])) < 0) {
			*why =
			    "CAN FD frame needs one hex flags digit after '##'";
			return -1;
		}
		cf->fd = 1;
		cf->f.flags = (uint8_t)(d & ~CANFD_FDF);
		return parse_data(rest + 2, rn - 2, cf, CANFD_MAX_DLEN, why);
	}
	if (rn > 0 && (rest[0] == 'R' || rest[0] == 'r')) {
		if (cf->f.can_id & CAN_ERR_FLAG) {
			*why = "an error frame cannot be a remote frame";
			return -1;
		}
		return parse_rtr(rest + 1, rn - 1, cf, why);
	}
	return parse_data(rest, rn, cf, CAN_MAX_DLEN, why);
}

static const char hexdig[] = "0123456789ABCDEF";

void
canframe_format(struct buf *b, const struct canfd_frame *f, int fd,
    uint8_t len8_dlc)
{
	canid_t id = f->can_id;
	size_t len = f->len;

	if (id & CAN_ERR_FLAG)
		buf_printf(b, "%08X#", id & (CAN_ERR_MASK | CAN_ERR_FLAG));
	else if (id & CAN_EFF_FLAG)
		buf_printf(b, "%08X#", id & CAN_EFF_MASK);
	else
		buf_printf(b, "%03X#", id & CAN_SFF_MASK);
	if (len > (fd ? CANFD_MAX_DLEN : CAN_MAX_DLEN))
		len = fd ? CANFD_MAX_DLEN : CAN_MAX_DLEN;
	if (fd) {
		buf_putc(b, '#');
		buf_putc(b, hexdig[f->flags & 0xf]);
	} else if (id & CAN_RTR_FLAG) {
		buf_putc(b, 'R');
		if (len > 0)
			buf_putc(b, hexdig[len]);
		if (len == CAN_MAX_DLEN && len8_dlc > CAN_MAX_DLEN &&
		    len8_dlc <= 15) {
			buf_putc(b, '_');
			buf_putc(b, hexdig[len8_dlc]);
		}
		return;
	}
	buf_hex(b, f->data, len, 1);
	if (!fd && len == CAN_MAX_DLEN && len8_dlc > CAN_MAX_DLEN &&
	    len8_dlc <= 15) {
		buf_putc(b, '_');
		buf_putc(b, hexdig[len8_dlc]);
	}
}
