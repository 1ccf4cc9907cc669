/* af_can.c - AF_CAN addresses: RAW and BCM (iface,), ISOTP (iface, rx, tx),
 * J1939 (iface, name, pgn, addr). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/can.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "core/taskaddr.h"
#include "error.h"

#ifndef CAN_ISOTP
#define CAN_ISOTP 6
#endif
#ifndef CAN_J1939
#define CAN_J1939 7
#endif

int
addr_can_ifindex(int fd, const char *name, int *index)
{
	int tmp = -1, r;

	if (name[0] == '\0') {
		*index = 0;
		return 0;
	}
	if (strlen(name) >= IFNAMSIZ) {
		err_set(EXC_OSERROR, "AF_CAN interface name too long");
		return -1;
	}
	if (fd < 0 &&
	    (fd = tmp = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		err_errno(errno);
		return -1;
	}
	r = sa_ifindex_of(fd, name, index);
	if (tmp >= 0)
		close(tmp);
	return r;
}

/* AF_CAN interface lookup for socket s. */
static int
can_ifindex(const struct sock *s, const value *iv, int *index)
{
	const char *name;
	size_t n;

	if (arg_fspath(iv, &name, &n) < 0)
		return -1;
	return addr_can_ifindex(s->fd, name, index);
}

/* AF_CAN: (iface,) for RAW/BCM, (iface, rx, tx) for ISOTP, (iface, name,
 * pgn, addr) for J1939. */
static int
from_can(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	struct sockaddr_can *can = (struct sockaddr_can *)ss;
	uint64_t a, b, c;
	int index;

	memset(can, 0, sizeof *can);
	switch (s->proto) {
	case CAN_RAW:
	case CAN_BCM:
		if (sa_need_tuple(v, caller, "AF_CAN") < 0 ||
		    sa_tuple_count(v, 1, 1,
		    "AF_CAN address must be a tuple (interface, )", NULL) < 0 ||
		    can_ifindex(s, v->u.seq.items[0], &index) < 0)
			return -1;
		break;
	case CAN_ISOTP:
		if (sa_need_tuple(v, caller, "AF_CAN") < 0 ||
		    sa_tuple_count(v, 3, 3, NULL, NULL) < 0 ||
		    arg_fspath(v->u.seq.items[0], &(const char *){ NULL },
		    &(size_t){ 0 }) < 0 ||
		    sa_get_k(v->u.seq.items[1], &a, NULL, 2, NULL) < 0 ||
		    sa_get_k(v->u.seq.items[2], &b, NULL, 3, NULL) < 0 ||
		    can_ifindex(s, v->u.seq.items[0], &index) < 0)
			return -1;
		can->can_addr.tp.rx_id = (canid_t)a;
		can->can_addr.tp.tx_id = (canid_t)b;
		break;
	case CAN_J1939:
		if (sa_need_tuple(v, caller, "AF_CAN") < 0 ||
		    sa_tuple_count(v, 4, 4, NULL, NULL) < 0 ||
		    arg_fspath(v->u.seq.items[0], &(const char *){ NULL },
		    &(size_t){ 0 }) < 0 ||
		    sa_get_k(v->u.seq.items[1], &a, NULL, 2, NULL) < 0 ||
		    sa_get_mask(v->u.seq.items[2], &b) < 0 ||
		    sa_get_mask(v->u.seq.items[3], &c) < 0 ||
		    can_ifindex(s, v->u.seq.items[0], &index) < 0)
			return -1;
		can->can_addr.j1939.name = a;
		can->can_addr.j1939.pgn = (uint32_t)b;
		can->can_addr.j1939.addr = (uint8_t)c;
		break;
	default:
		err_set(EXC_OSERROR, "%s(): unsupported AF_CAN protocol",
		    caller);
		return -1;
	}
	can->can_family = AF_CAN;
	can->can_ifindex = index;
	*len = sizeof *can;
	return 0;
}

static value *
can_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_can *can = (const void *)sa;
	value *name = sa_ifname_value(can->can_ifindex);

	(void)len;
	if (proto == CAN_ISOTP)
		return sa_tagged(v_tuple(3, name, v_int(can->can_addr.tp.rx_id),
		    v_int(can->can_addr.tp.tx_id)), AF_CAN);
	if (proto == CAN_J1939) {
		char dec[24];
		value *nm;

		if (can->can_addr.j1939.name > INT64_MAX) {
			snprintf(dec, sizeof dec, "%llu",
			    (unsigned long long)can->can_addr.j1939.name);
			nm = v_bigint(dec);
		} else {
			nm = v_int((int64_t)can->can_addr.j1939.name);
		}
		return sa_tagged(v_tuple(4, name, nm,
		    v_int(can->can_addr.j1939.pgn),
		    v_int(can->can_addr.j1939.addr)), AF_CAN);
	}
	return sa_tagged(v_tuple(1, name), AF_CAN);
}

/* ---- the task syntax (SPEC 8) ----------------------------------------- */

/* can:IFACE */
static int
can_task_parse(const char *text, const char *s, struct taskaddr *a,
    int allow_range, int only)
{
	struct sockaddr_can *can = (struct sockaddr_can *)&a->ss;

	(void)allow_range;
	(void)only;
	if (*s == '\0')
		return taskaddr_bad(text, "missing CAN interface name");
	if (strlen(s) >= IF_NAMESIZE)
		return taskaddr_bad(text, "interface name too long");
	a->host = xstrdup(s);
	if (addr_can_ifindex(-1, s, &can->can_ifindex) < 0)
		return -1;
	can->can_family = AF_CAN;
	a->len = sizeof *can;
	return 0;
}

static const struct task_prefix can_prefixes[] = {
	{ "can", SOCK_RAW, CAN_RAW },
	{ NULL, 0, 0 }
};

/* ISOTP's form first: a RAW or BCM (iface,) names its one field as it */
/* A CAN "connection" is a raw socket bound to the interface. */
static int
can_task_connect(int fd, const struct taskaddr *a)
{
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0) {
		err_errno(errno);
		return -1;
	}
	return 1;
}

const struct family family_can = {
	.af = AF_CAN, .name = "AF_CAN",
	.json_keys = "interface rx_addr tx_addr|interface name pgn addr",
	.to_value = can_value, .from_value = from_can,
	.task_prefixes = can_prefixes, .task_parse = can_task_parse,
	.task_connect = can_task_connect
};
