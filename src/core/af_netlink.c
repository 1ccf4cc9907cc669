/* af_netlink.c - AF_NETLINK addresses: (pid, groups). */
#include <stddef.h>
#include <string.h>
#include <linux/netlink.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

/* AF_NETLINK from (pid, groups). */
static int
from_netlink(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	struct sockaddr_nl *nl = (struct sockaddr_nl *)ss;
	uint64_t pid, groups;

	(void)s;
	if (sa_need_tuple(v, caller, "AF_NETLINK") < 0 ||
	    sa_tuple_count(v, 2, 2,
	    "AF_NETLINK address must be a pair (pid, groups)", NULL) < 0 ||
	    sa_get_mask(v->u.seq.items[0], &pid) < 0 ||
	    sa_get_mask(v->u.seq.items[1], &groups) < 0)
		return -1;
	memset(nl, 0, sizeof *nl);
	nl->nl_family = AF_NETLINK;
	nl->nl_pid = (uint32_t)pid;
	nl->nl_groups = (uint32_t)groups;
	*len = sizeof *nl;
	return 0;
}

static const struct sa_pair netlink_pair = {
	sizeof(struct sockaddr_nl),
	offsetof(struct sockaddr_nl, nl_pid),
	offsetof(struct sockaddr_nl, nl_groups)
};

const struct family family_netlink = {
	.af = AF_NETLINK, .name = "AF_NETLINK", .json_keys = "pid groups",
	.from_value = from_netlink, .pair = &netlink_pair
};
