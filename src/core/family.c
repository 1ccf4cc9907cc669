/* family.c - the table of address families (family.h): one row each,
 * defined in its own file core/af_*.c. */
#include <stddef.h>

#include "core/family.h"

extern const struct family family_inet, family_inet6, family_rds,
    family_unix, family_netlink, family_packet, family_can, family_alg,
    family_tipc, family_vsock, family_qrtr, family_bluetooth;

/* in the order the task syntax lists its prefixes */
static const struct family *const families[] = {
	&family_inet, &family_inet6, &family_unix, &family_vsock, &family_can,
	&family_netlink, &family_packet, &family_alg, &family_tipc,
	&family_qrtr, &family_rds, &family_bluetooth,
};

#define NFAMILIES (sizeof families / sizeof families[0])

const struct family *
family_find(int af)
{
	size_t i;

	for (i = 0; i < NFAMILIES; i++)
		if (families[i]->af == af)
			return families[i];
	return NULL;
}

const struct family *
family_at(size_t i)
{
	return i < NFAMILIES ? families[i] : NULL;
}
