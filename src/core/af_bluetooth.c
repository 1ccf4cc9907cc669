/* af_bluetooth.c - AF_BLUETOOTH addresses, as CPython 3.11 forms them on
 * Linux: L2CAP (bdaddr, psm), RFCOMM (bdaddr, channel), HCI (dev,) in and a
 * plain int out, SCO a bytes bdaddr in and a str out.  The kernel's
 * structures are declared here (no libbluetooth at build or run time). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

#ifndef AF_BLUETOOTH
#define AF_BLUETOOTH 31
#endif

enum { BT_L2CAP = 0, BT_HCI = 1, BT_SCO = 2, BT_RFCOMM = 3 };

/* The kernel's layouts (include/net/bluetooth/ in Linux): a device address is
 * six bytes, least significant first. */
struct bt_bdaddr {
	uint8_t b[6];
} __attribute__((packed));

struct bt_sockaddr_l2 {
	sa_family_t l2_family;
	uint16_t l2_psm;		/* little endian */
	struct bt_bdaddr l2_bdaddr;
	uint16_t l2_cid;
	uint8_t l2_bdaddr_type;
};

struct bt_sockaddr_rc {
	sa_family_t rc_family;
	struct bt_bdaddr rc_bdaddr;
	uint8_t rc_channel;
};

struct bt_sockaddr_hci {
	sa_family_t hci_family;
	uint16_t hci_dev;
	uint16_t hci_channel;
};

struct bt_sockaddr_sco {
	sa_family_t sco_family;
	struct bt_bdaddr sco_bdaddr;
};

/* setsockopt(SOL_HCI, HCI_FILTER) takes this, padding included (16 bytes;
 * 14 is EINVAL): eval callers pass it as bytes. */
struct bt_hci_ufilter {
	uint32_t type_mask;
	uint32_t event_mask[2];
	uint16_t opcode;
};

_Static_assert(sizeof(struct bt_sockaddr_l2) == 14, "sockaddr_l2 is 14 bytes");
_Static_assert(sizeof(struct bt_sockaddr_rc) == 10, "sockaddr_rc is 10 bytes");
_Static_assert(sizeof(struct bt_sockaddr_hci) == 6, "sockaddr_hci is 6 bytes");
_Static_assert(sizeof(struct bt_sockaddr_sco) == 8, "sockaddr_sco is 8 bytes");
_Static_assert(sizeof(struct bt_hci_ufilter) == 16, "hci_ufilter is 16 bytes");
_Static_assert(sizeof(struct sockaddr_storage) >=
    offsetof(struct bt_sockaddr_rc, rc_channel) + sizeof(int),
    "room for CPython's int store at the channel");

/* CPython's setbdaddr(): six hex fields "XX:XX:XX:XX:XX:XX" in any case
 * (sscanf's %X, so spaces before a field, a sign and 0x are taken too),
 * nothing after, each below 256. */
static int
bdaddr_parse(const char *name, struct bt_bdaddr *ba)
{
	unsigned f[6];
	char extra;
	int i;

	if (sscanf(name, "%X:%X:%X:%X:%X:%X%c", &f[5], &f[4], &f[3], &f[2],
	    &f[1], &f[0], &extra) != 6 ||
	    (f[0] | f[1] | f[2] | f[3] | f[4] | f[5]) >= 256) {
		err_set(EXC_OSERROR, "bad bluetooth address");
		return -1;
	}
	for (i = 0; i < 6; i++)
		ba->b[i] = (uint8_t)f[i];
	return 0;
}

/* CPython's makebdaddr(): upper case, most significant byte first. */
static value *
bdaddr_value(const struct bt_bdaddr *ba)
{
	char text[18];

	snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X",
	    ba->b[5], ba->b[4], ba->b[3], ba->b[2], ba->b[1], ba->b[0]);
	return v_strz(text);
}

static int
wrong_format(const char *caller)
{
	err_set(EXC_OSERROR, "%s(): wrong format", caller);
	return -1;
}

/* PyArg_ParseTuple(v, "si" or "i"): every failure of it (not a tuple, the
 * count, a str with NUL or unencodable, a non-int, an int outside C int)
 * becomes "wrong format".  str_out NULL: the "i" form. */
static int
parse_si(const value *v, const char **str_out, int *num, const char *caller)
{
	const value *s, *n;

	if (v->kind != V_TUPLE || v->u.seq.len != (str_out ? 2u : 1u))
		return wrong_format(caller);
	n = v->u.seq.items[str_out ? 1 : 0];
	if (str_out) {
		s = v->u.seq.items[0];
		if (s->kind != V_STR || strlen(s->u.s.p) != s->u.s.len ||
		    utf8_check(s->u.s.p, s->u.s.len, NULL, NULL) != s->u.s.len)
			return wrong_format(caller);
		*str_out = s->u.s.p;
	}
	if (sa_get_int(n, num) < 0) {
		err_clear();
		return wrong_format(caller);
	}
	return 0;
}

/* L2CAP's (bdaddr, psm) and RFCOMM's (bdaddr, channel) into a sockaddr of
 * size bytes: CPython's "si", whose 'i' stores a C int at the number's
 * field (off_num) whatever its width: L2CAP's psm is a u16 (70000 binds
 * 4464, the high half lands in the bdaddr that setbdaddr then fills),
 * RFCOMM's channel a u8 (300 binds 44). */
static int
from_addr_num(const value *v, const char *caller, struct sockaddr_storage *ss,
    socklen_t *len, socklen_t size, size_t off_num, size_t off_addr)
{
	const char *text;
	int num;

	if (parse_si(v, &text, &num, caller) < 0)
		return -1;
	memcpy((unsigned char *)ss + off_num, &num, sizeof num);
	if (bdaddr_parse(text,
	    (struct bt_bdaddr *)((unsigned char *)ss + off_addr)) < 0)
		return -1;
	ss->ss_family = AF_BLUETOOTH;
	*len = size;
	return 0;
}

static int
bt_from(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	unsigned char *p = (unsigned char *)ss;
	int num;

	switch (s->proto) {
	case BT_L2CAP:
		return from_addr_num(v, caller, ss, len,
		    sizeof(struct bt_sockaddr_l2),
		    offsetof(struct bt_sockaddr_l2, l2_psm),
		    offsetof(struct bt_sockaddr_l2, l2_bdaddr));
	case BT_RFCOMM:
		return from_addr_num(v, caller, ss, len,
		    sizeof(struct bt_sockaddr_rc),
		    offsetof(struct bt_sockaddr_rc, rc_channel),
		    offsetof(struct bt_sockaddr_rc, rc_bdaddr));
	case BT_HCI: {
		struct bt_sockaddr_hci *hci = (struct bt_sockaddr_hci *)ss;

		if (parse_si(v, NULL, &num, caller) < 0)
			return -1;
		/* and at the u16 dev: the high half becomes hci_channel
		 * (0x10000 is device 0 on HCI_CHANNEL_USER), as in CPython */
		memcpy(p + offsetof(struct bt_sockaddr_hci, hci_dev), &num,
		    sizeof num);
		hci->hci_family = AF_BLUETOOTH;
		*len = sizeof *hci;
		return 0;
	}
	case BT_SCO: {
		struct bt_sockaddr_sco *sco = (struct bt_sockaddr_sco *)ss;

		/* PyBytes_Check, then setbdaddr on the C string */
		if (v->kind != V_BYTES)
			return wrong_format(caller);
		if (bdaddr_parse(v->u.s.p, &sco->sco_bdaddr) < 0)
			return -1;
		sco->sco_family = AF_BLUETOOTH;
		*len = sizeof *sco;
		return 0;
	}
	}
	err_set(EXC_OSERROR, "%s(): unknown Bluetooth protocol", caller);
	return -1;
}

static value *
bt_tagged(value *v, int proto)
{
	sa_tagged(v, AF_BLUETOOTH);
	v->proto = (unsigned char)proto;
	return v;
}

static value *
bt_to(const struct sockaddr *sa, socklen_t len, int proto)
{
	(void)len;
	switch (proto) {
	case BT_L2CAP: {
		const struct bt_sockaddr_l2 *l2 = (const void *)sa;

		return bt_tagged(v_tuple(2, bdaddr_value(&l2->l2_bdaddr),
		    v_int(l2->l2_psm)), proto);
	}
	case BT_RFCOMM: {
		const struct bt_sockaddr_rc *rc = (const void *)sa;

		return bt_tagged(v_tuple(2, bdaddr_value(&rc->rc_bdaddr),
		    v_int(rc->rc_channel)), proto);
	}
	case BT_HCI:
		return bt_tagged(v_int(((const struct bt_sockaddr_hci *)
		    (const void *)sa)->hci_dev), proto);
	case BT_SCO:
		return bt_tagged(bdaddr_value(&((const struct bt_sockaddr_sco *)
		    (const void *)sa)->sco_bdaddr), proto);
	}
	err_set(EXC_VALUE, "Unknown Bluetooth protocol");
	return NULL;
}

/* SPEC 4: L2CAP bdaddr, psm; RFCOMM bdaddr, channel; HCI dev (a plain int
 * in Python); SCO bdaddr (a str in Python).  The last two are one-field
 * objects around the value itself. */
static const char *
bt_keys(const value *v)
{
	switch (v->proto) {
	case BT_RFCOMM: return "bdaddr channel";
	case BT_HCI: return "dev";
	case BT_SCO: return "bdaddr";
	}
	return "bdaddr psm";
}

const struct family family_bluetooth = {
	.af = AF_BLUETOOTH, .name = "AF_BLUETOOTH",
	.to_value = bt_to, .from_value = bt_from, .json_keys_of = bt_keys
};
