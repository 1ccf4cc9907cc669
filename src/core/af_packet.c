/* af_packet.c - AF_PACKET addresses: (ifname, proto, pkttype, hatype, addr). */
#include <arpa/inet.h>
#include <string.h>
#include <linux/if_packet.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

/* AF_PACKET from (ifname, proto[, pkttype[, hatype[, addr]]]). */
static int
from_packet(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	struct sockaddr_ll *ll = (struct sockaddr_ll *)ss;
	static const char msg[] =
	    "AF_PACKET address must be a tuple of two to five elements";
	const char *ifname;
	int proto = 0, pkttype = 0, hatype = 0, index, r = 0, i;
	int *ints[3] = { &proto, &pkttype, &hatype };
	const value *ha = NULL;

	if (sa_need_tuple(v, caller, "AF_PACKET") < 0 ||
	    sa_tuple_count(v, 2, 5, msg, NULL) < 0 ||
	    sa_get_s(v->u.seq.items[0], &ifname, msg) < 0)
		return -1;
	for (i = 0; i < 3 && (size_t)i + 1 < v->u.seq.len; i++)
		if ((r = sa_get_int(v->u.seq.items[i + 1], ints[i])) < 0)
			break;
	if (r == -2)
		err_set(EXC_OVERFLOW, "%s(): address argument out of range",
		    caller);
	if (r < 0)
		return -1;
	if (v->u.seq.len == 5) {
		ha = v->u.seq.items[4];
		if (!is_buffer(ha)) {
			err_set(EXC_TYPE,
			    "a bytes-like object is required, not '%s'",
			    v_typename(ha));
			return -1;
		}
	}
	if (sa_ifindex_of(s->fd, ifname, &index) < 0)
		return -1;
	if (ha && ha->u.s.len > 8) {
		err_set(EXC_VALUE, "Hardware address must be 8 bytes or less");
		return -1;
	}
	if (proto < 0 || proto > 0xffff) {
		err_set(EXC_OVERFLOW, "%s(): proto must be 0-65535.", caller);
		return -1;
	}
	memset(ll, 0, sizeof *ll);
	ll->sll_family = AF_PACKET;
	ll->sll_protocol = htons((uint16_t)proto);
	ll->sll_ifindex = index;
	ll->sll_pkttype = (unsigned char)pkttype;
	ll->sll_hatype = (unsigned short)hatype;
	if (ha) {
		memcpy(ll->sll_addr, ha->u.s.p, ha->u.s.len);
		ll->sll_halen = (unsigned char)ha->u.s.len;
	}
	*len = sizeof *ll;
	return 0;
}

static value *
packet_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_ll *ll = (const void *)sa;
	size_t n = ll->sll_halen < 8 ? ll->sll_halen : 8;

	(void)len;
	(void)proto;
	return sa_tagged(v_tuple(5, sa_ifname_value(ll->sll_ifindex),
	    v_int(ntohs(ll->sll_protocol)), v_int(ll->sll_pkttype),
	    v_int(ll->sll_hatype), v_bytes(ll->sll_addr, n)), AF_PACKET);
}

const struct family family_packet = {
	.af = AF_PACKET, .name = "AF_PACKET",
	.json_keys = "ifname proto pkttype hatype addr",
	.to_value = packet_value, .from_value = from_packet
};
