/* af_vsock.c - AF_VSOCK addresses: (cid, port). */
#include <linux/vm_sockets.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/family.h"
#include "core/sock.h"
#include "error.h"

static int
vsock_from(const struct sock *s, const value *v, struct sockaddr_storage *ss, socklen_t *len,
    const char *caller)
{
	struct sockaddr_vm *vm = (struct sockaddr_vm *)ss;
	uint64_t a, b;

	(void)s;
	if (sa_two_uints(v, caller, "AF_VSOCK", &a, &b) < 0)
		return -1;
	vm->svm_family = AF_VSOCK;
	vm->svm_cid = (unsigned)a;
	vm->svm_port = (unsigned)b;
	*len = sizeof *vm;
	return 0;
}

static value *
vsock_value(const struct sockaddr *sa, socklen_t len, int proto)
{
	const struct sockaddr_vm *vm = (const void *)sa;

	(void)len;
	(void)proto;
	return sa_tagged(v_tuple(2, v_int(vm->svm_cid), v_int(vm->svm_port)), AF_VSOCK);
}

static const char *const vsock_keys[] = { "cid", "port", NULL };

static const char *const *const vsock_forms[] = { vsock_keys, NULL };

const struct family family_vsock = {
	.af = AF_VSOCK,
	.name = "AF_VSOCK",
	.to_value = vsock_value,
	.from_value = vsock_from,
	.json_keys = vsock_forms
};
