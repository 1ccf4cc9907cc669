/* af_qrtr.c - AF_QIPCRTR addresses: (node, port). */
#include <linux/qrtr.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

static int
qrtr_from(const struct sock *s, const value *v, struct sockaddr_storage *ss, socklen_t *len,
    const char *caller)
{
	struct sockaddr_qrtr *q = (struct sockaddr_qrtr *)ss;
	uint64_t a, b;

	(void)s;
	if (sa_two_uints(v, caller, "AF_QIPCRTR", &a, &b) < 0)
		return -1;
	q->sq_family = AF_QIPCRTR;
	q->sq_node = (uint32_t)a;
	q->sq_port = (uint32_t)b;
	*len = sizeof *q;
	return 0;
}

static value *
qrtr_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_qrtr *q = (const void *)sa;

	(void)len;
	(void)proto;
	return sa_tagged(v_tuple(2, v_int(q->sq_node), v_int(q->sq_port)), AF_QIPCRTR);
}

static const char *const qrtr_keys[] = { "node", "port", NULL };

static const char *const *const qrtr_forms[] = { qrtr_keys, NULL };

const struct family family_qrtr = {
	.af = AF_QIPCRTR,
	.name = "AF_QIPCRTR",
	.to_value = qrtr_value,
	.from_value = qrtr_from,
	.json_keys = qrtr_forms
};
