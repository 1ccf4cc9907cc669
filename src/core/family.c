/* family.c - the table of address families (family.h): one row each,
 * defined in its own file core/af_*.c. */
#include <stddef.h>

#include "core/family.h"

extern const struct family family_inet, family_inet6, family_rds, family_unix, family_netlink,
    family_packet, family_can, family_alg, family_tipc, family_vsock, family_qrtr,
    family_bluetooth;

static const struct family *const families[] = {
	&family_unix, &family_inet, &family_inet6, &family_netlink, &family_packet, &family_can,
	&family_alg, &family_tipc, &family_vsock, &family_qrtr, &family_rds, &family_bluetooth,
};

const struct family *
family_find(int af)
{
	size_t i;

	for (i = 0; i < sizeof families / sizeof families[0]; i++)
		if (families[i]->af == af)
			return families[i];
	return NULL;
}
