/* af_tipc.c - AF_TIPC addresses: (addr_type, v1, v2, v3, scope). */
#include <string.h>
#include <linux/tipc.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

/* AF_TIPC from (addr_type, v1, v2, v3[, scope]). */
static int
from_tipc(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	struct sockaddr_tipc *t = (struct sockaddr_tipc *)ss;
	uint64_t x[5] = { 0, 0, 0, 0, 0 };
	size_t i;

	(void)s;
	if (sa_need_tuple(v, caller, "AF_TIPC") < 0 ||
	    sa_tuple_count(v, 4, 5,
	    "AF_TIPC address must be a tuple (addr_type, v1, v2, v3[, scope])",
	    NULL) < 0)
		return -1;
	for (i = 0; i < v->u.seq.len; i++)
		if (sa_get_mask(v->u.seq.items[i], &x[i]) < 0)
			return -1;
	memset(t, 0, sizeof *t);
	t->family = AF_TIPC;
	t->scope = (signed char)x[4];
	t->addrtype = (unsigned char)x[0];
	switch ((unsigned char)x[0]) {
	case TIPC_ADDR_NAMESEQ:
		t->addr.nameseq.type = (uint32_t)x[1];
		t->addr.nameseq.lower = (uint32_t)x[2];
		t->addr.nameseq.upper = (uint32_t)x[3];
		break;
	case TIPC_ADDR_NAME:
		t->addr.name.name.type = (uint32_t)x[1];
		t->addr.name.name.instance = (uint32_t)x[2];
		break;
	case TIPC_ADDR_ID:
		t->addr.id.node = (uint32_t)x[1];
		t->addr.id.ref = (uint32_t)x[2];
		break;
	default:
		err_set(EXC_OSERROR, "Invalid address type");
		return -1;
	}
	*len = sizeof *t;
	return 0;
}

static value *
tipc_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_tipc *t = (const void *)sa;
	uint32_t a, b, c;

	(void)len;
	(void)proto;
	switch (t->addrtype) {
	case TIPC_ADDR_NAMESEQ:
		a = t->addr.nameseq.type, b = t->addr.nameseq.lower,
		    c = t->addr.nameseq.upper;
		break;
	case TIPC_ADDR_NAME:
		a = t->addr.name.name.type, b = c = t->addr.name.name.instance;
		break;
	case TIPC_ADDR_ID:
		a = t->addr.id.node, b = t->addr.id.ref, c = 0;
		break;
	default:
		err_set(EXC_VALUE, "Invalid address type");
		return NULL;
	}
	return sa_tagged(v_tuple(5, v_int(t->addrtype), v_int(a), v_int(b),
	    v_int(c), v_int((uint32_t)(int32_t)t->scope)), AF_TIPC);
}

const struct family family_tipc = {
	.af = AF_TIPC, .name = "AF_TIPC",
	.json_keys = "addr_type v1 v2 v3 scope",
	.to_value = tipc_value, .from_value = from_tipc
};
