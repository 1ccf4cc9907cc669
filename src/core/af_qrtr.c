/* af_qrtr.c - AF_QIPCRTR addresses: (node, port). */
#include <stddef.h>
#include <linux/qrtr.h>

#include "core/family.h"

extern const struct family family_qrtr;

static const struct sa_pair qrtr_pair = {
	sizeof(struct sockaddr_qrtr),
	offsetof(struct sockaddr_qrtr, sq_node),
	offsetof(struct sockaddr_qrtr, sq_port)
};

static int
qrtr_from(const struct sock *s, const value *v, struct sockaddr_storage *ss,
    socklen_t *len, const char *caller)
{
	(void)s;
	return sa_pair_from(v, caller, &family_qrtr, ss, len, &qrtr_pair);
}

static value *
qrtr_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	(void)len;
	(void)proto;
	return sa_pair_value(sa, AF_QIPCRTR, &qrtr_pair);
}

const struct family family_qrtr = {
	.af = AF_QIPCRTR, .name = "AF_QIPCRTR", .json_keys = "node port",
	.to_value = qrtr_value, .from_value = qrtr_from
};
