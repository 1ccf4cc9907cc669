/* af_vsock.c - AF_VSOCK addresses: (cid, port). */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vm_sockets.h>

#include "core/family.h"
#include "core/taskaddr.h"

static const struct sa_pair vsock_pair = {
	sizeof(struct sockaddr_vm),
	offsetof(struct sockaddr_vm, svm_cid),
	offsetof(struct sockaddr_vm, svm_port)
};

/* ---- the task syntax (SPEC 8) ----------------------------------------- */

/* vsock:CID:PORT; CID a number or host/local/any/hypervisor. */
static int
vsock_task_parse(const char *text, const char *s, struct taskaddr *a,
    int allow_range, int only)
{
	struct sockaddr_vm *vm = (struct sockaddr_vm *)&a->ss;
	const char *colon = strchr(s, ':');
	unsigned long cid;
	char *end;

	(void)only;
	if (colon == NULL)
		return taskaddr_bad(text, "expected vsock:CID:PORT");
	a->host = xmemdup(s, (size_t)(colon - s));
	a->port = xstrdup(colon + 1);
	if (strcmp(a->host, "host") == 0)
		cid = VMADDR_CID_HOST;
	else if (strcmp(a->host, "local") == 0)
		cid = 1;
	else if (strcmp(a->host, "hypervisor") == 0)
		cid = VMADDR_CID_HYPERVISOR;
	else if (strcmp(a->host, "any") == 0 || strcmp(a->host, "-1") == 0)
		cid = VMADDR_CID_ANY;
	else {
		errno = 0;
		cid = strtoul(a->host, &end, 0);
		if (*a->host == '\0' || *end || errno || cid > 0xffffffffUL ||
		    *a->host == '-')
			return taskaddr_bad(text, "bad vsock CID");
	}
	if (*a->port == '\0')
		return taskaddr_bad(text, "missing port");
	if (!(allow_range && strchr(a->port, '-') &&
	    isdigit((unsigned char)*a->port))) {
		unsigned long p;

		if (strcmp(a->port, "-1") == 0 || strcmp(a->port, "any") == 0)
			p = VMADDR_PORT_ANY;
		else {
			errno = 0;
			p = strtoul(a->port, &end, 0);
			if (*end || errno || p > 0xffffffffUL ||
			    !isdigit((unsigned char)*a->port))
				return taskaddr_bad(text, "bad vsock port");
		}
		vm->svm_port = (unsigned)p;
	}
	vm->svm_family = AF_VSOCK;
	vm->svm_cid = (unsigned)cid;
	a->len = sizeof *vm;
	return 0;
}

static const struct task_prefix vsock_prefixes[] = {
	{ "vsock", SOCK_STREAM, 0 },
	{ NULL, 0, 0 }
};

/* --exec's CID and port, in decimal. */
static void
vsock_env_form(const struct sockaddr *sa, socklen_t len, char *host,
    size_t hostsz, char *port, size_t portsz)
{
	const struct sockaddr_vm *vm = (const void *)sa;

	(void)len;
	snprintf(host, hostsz, "%u", vm->svm_cid);
	snprintf(port, portsz, "%u", vm->svm_port);
}

const struct family family_vsock = {
	.af = AF_VSOCK, .name = "AF_VSOCK", .json_keys = "cid port",
	.pair = &vsock_pair,
	.task_prefixes = vsock_prefixes, .task_parse = vsock_task_parse,
	.env_form = vsock_env_form
};
