/* af_qrtr.c - AF_QIPCRTR addresses: (node, port). */
#include <stddef.h>
#include <linux/qrtr.h>

#include "core/family.h"

static const struct sa_pair qrtr_pair = {
	sizeof(struct sockaddr_qrtr),
	offsetof(struct sockaddr_qrtr, sq_node),
	offsetof(struct sockaddr_qrtr, sq_port)
};

const struct family family_qrtr = {
	.af = AF_QIPCRTR, .name = "AF_QIPCRTR", .json_keys = "node port",
	.pair = &qrtr_pair
};
