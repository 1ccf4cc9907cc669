/* af_alg.c - AF_ALG addresses: (type, name, feat, mask). */
#include <string.h>
#include <linux/if_alg.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

/* AF_ALG from (type, name[, feat[, mask]]). */
static int
from_alg(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	struct sockaddr_alg *alg = (struct sockaddr_alg *)ss;
	static const char *const fn = "getsockaddrarg";
	const char *type, *name;
	uint64_t feat = 0, mask = 0;
	size_t i;

	(void)s;
	memset(alg, 0, sizeof *alg);
	if (sa_need_tuple(v, caller, "AF_ALG") < 0 ||
	    sa_tuple_count(v, 2, 4, NULL, fn) < 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (v->u.seq.items[i]->kind != V_STR) {
			err_set(EXC_TYPE,
			    "%s() argument %zu must be str, not %s", fn, i + 1,
			    v_typename(v->u.seq.items[i]));
			return -1;
		}
	if (sa_get_s(v->u.seq.items[0], &type, NULL) < 0 ||
	    sa_get_s(v->u.seq.items[1], &name, NULL) < 0 ||
	    (v->u.seq.len > 2 && sa_get_mask(v->u.seq.items[2], &feat) < 0) ||
	    (v->u.seq.len > 3 && sa_get_mask(v->u.seq.items[3], &mask) < 0))
		return -1;
	alg->salg_family = AF_ALG;
	if (strlen(type) >= sizeof alg->salg_type) {
		err_set(EXC_VALUE, "AF_ALG type too long.");
		return -1;
	}
	memcpy(alg->salg_type, type, strlen(type));
	if (strlen(name) >= sizeof alg->salg_name) {
		err_set(EXC_VALUE, "AF_ALG name too long.");
		return -1;
	}
	memcpy(alg->salg_name, name, strlen(name));
	alg->salg_feat = (uint16_t)feat;	/* CPython's "H" format */
	alg->salg_mask = (uint16_t)mask;
	*len = sizeof *alg;
	return 0;
}

/* CPython gives AF_ALG no address form back */
const struct family family_alg = {
	.af = AF_ALG, .name = "AF_ALG", .json_keys = "type name feat mask",
	.from_value = from_alg
};
