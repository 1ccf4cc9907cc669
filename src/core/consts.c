/* consts.c - constant table; values come from the system headers where they
 * define the name, from CPython's table otherwise (consts.def). */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <netdb.h>
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <linux/can/bcm.h>
#include <linux/can/isotp.h>
#include <linux/can/j1939.h>
#include <linux/if_alg.h>
#include <linux/tipc.h>
#include <linux/rds.h>
#include <linux/vm_sockets.h>
#include <linux/qrtr.h>
#include <linux/netlink.h>
#include <linux/sctp.h>
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "core/consts.h"
#include "error.h"

const struct konst konst_table[] = {
#define K(name, val, cls) { #name, (long long)(val), cls, NULL },
#define S(name, text) { #name, 0, -1, text },
#include "core/consts.def"
#undef K
#undef S
};
const size_t konst_count = sizeof konst_table / sizeof konst_table[0];

static int
cmp_name(const void *key, const void *elt)
{
	return strcmp(key, ((const struct konst *)elt)->name);
}

const struct konst *
konst_find(const char *name)
{
	return bsearch(name, konst_table, konst_count, sizeof konst_table[0],
	    cmp_name);
}

value *
konst_value(const struct konst *k)
{
	if (k->str)
		return v_strz(k->str);
	return k->cls >= 0 ? v_enum(k->cls, k->value) : v_int(k->value);
}

const char *
enum_name(int cls, int64_t v)
{
	const char *best = NULL;
	size_t i;

	/* CPython sorts members by (value, name): the first name is
	 * canonical */
	for (i = 0; i < konst_count; i++)
		if (konst_table[i].cls == cls && konst_table[i].value == v &&
		    (best == NULL || strcmp(konst_table[i].name, best) < 0))
			best = konst_table[i].name;
	return best;
}

const char *
enum_class_name(int cls)
{
	static const char *const names[] = { "AddressFamily", "SocketKind",
	    "MsgFlag", "AddressInfo" };

	return cls >= 0 && cls < EC_COUNT ? names[cls] : "int";
}

int
enum_is_flag(int cls)
{
	return cls == EC_MSGFLAG || cls == EC_ADDRESSINFO;
}

value *
enum_or_int(int cls, int64_t v)
{
	if (enum_name(cls, v))
		return v_enum(cls, v);
	return v_int(v);
}

value *
konst_or(const char *pat, int strict)
{
	value *acc = NULL;
	const char *p = pat;

	for (;;) {
		const char *bar = strchr(p, '|');
		const char *e = bar ? bar : p + strlen(p);
		const struct konst *k = NULL;
		char name[64];
		value *rhs, *r;

		while (p < e && isspace((unsigned char)*p))
			p++;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		if ((size_t)(e - p) < sizeof name) {
			memcpy(name, p, (size_t)(e - p));
			name[e - p] = '\0';
			k = konst_find(name);
		}
		if (k == NULL) {
			if (strict)
				err_set(EXC_ATTRIBUTE,
				    "module 'socket' has no attribute '%.*s'",
				    (int)(e - p), p);
			v_decref(acc);
			return NULL;
		}
		rhs = konst_value(k);
		r = acc ? v_or(acc, rhs) : v_incref(rhs);
		v_decref(acc);
		v_decref(rhs);
		acc = r;
		if (!bar)
			return acc;
		p = bar + 1;
	}
}

value *
fn_const(struct call *c)
{
	const char *pat = "*";
	value *d;
	size_t i;

	if (c->nkw) {
		err_set(EXC_TYPE, "const() takes no keyword arguments");
		return NULL;
	}
	if (c->nargs > 1) {
		err_set(EXC_TYPE,
		    "const() takes at most 1 argument (%zu given)", c->nargs);
		return NULL;
	}
	if (c->nargs == 1) {
		const value *a = c->args[0];

		if (a->kind != V_STR) {
			err_set(EXC_TYPE, "const takes a name or a pattern");
			return NULL;
		}
		pat = a->u.s.p;
	}
	if (strpbrk(pat, "*?[") == NULL && strchr(pat, '|')) {
		value *v = konst_or(pat, 1);

		return v ? v_with_shape(v, SH_CONSTS, 0) : NULL;
	}
	if (strpbrk(pat, "*?[") == NULL) {
		const struct konst *k = konst_find(pat);

		if (k == NULL) {
			err_set(EXC_ATTRIBUTE,
			    "module 'socket' has no attribute '%s'", pat);
			return NULL;
		}
		return v_with_shape(konst_value(k), SH_CONSTS, 0);
	}
	d = v_dict_new();
	for (i = 0; i < konst_count; i++)
		if (fnmatch(pat, konst_table[i].name, 0) == 0)
			v_dict_set(d, v_strz(konst_table[i].name),
			    konst_value(&konst_table[i]));
	return v_with_shape(d, SH_CONSTS, 0);
}
