/* fds.c - SCM_RIGHTS: CPython's socket.send_fds and socket.recv_fds as C
 * entry points: send_fds (sock.h) and recv_fds with the sender's
 * credentials (fds.h).
 *
 * send_fds is sendmsg(buffers, [(SOL_SOCKET, SCM_RIGHTS, fds)]); recv_fds
 * is recvmsg(bufsize, CMSG_LEN(maxfds * 4)) keeping the SCM_RIGHTS items,
 * with MSG_CMSG_CLOEXEC so that no received descriptor leaks into a program
 * started later (CPython 3.11 leaves them inheritable; the flags it reports
 * are the same).  Both retry on EINTR
 * (PEP 475); waiting for readiness (timeouts) is the caller's business. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "core/fds.h"
#include "core/sock.h"
#include "error.h"
#include "value.h"

/* Descriptor counts beyond this cannot be described by one cmsghdr. */
#define FDS_LIMIT ((size_t)(INT_MAX - CMSG_SPACE(0) - 64) / sizeof(int))

void
fds_close(int *fds, size_t n)
{
	size_t i;

	for (i = 0; fds && i < n; i++)
		close(fds[i]);
	free(fds);
}

ssize_t
sock_send_fds(int fd, const void *data, size_t len, const int *fds, size_t nfds,
    int flags, const struct sockaddr *to, socklen_t tolen)
{
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	char *control = NULL;
	size_t clen;
	ssize_t n;

	if (nfds > FDS_LIMIT) {
		err_set(EXC_OVERFLOW, "ancillary data item too large");
		return -1;
	}
	memset(&msg, 0, sizeof msg);
	iov.iov_base = (void *)data;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_name = (void *)to;
	msg.msg_namelen = to ? tolen : 0;
	if (nfds > 0) {
		clen = CMSG_SPACE(nfds * sizeof(int));
		control = xcalloc(1, clen);
		msg.msg_control = control;
		msg.msg_controllen = clen;
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	do
		n = sendmsg(fd, &msg, flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err_errno(errno);
	free(control);
	return n;
}

/* Appends the descriptors of the SCM_RIGHTS item cm (within a control
 * buffer ending at end) to *fds / *nfds. */
static void
take_rights(const struct cmsghdr *cm, const char *end, int **fds, size_t *nfds)
{
	const char *p = (const char *)CMSG_DATA(cm);
	size_t dlen, k, n;

	dlen = cm->cmsg_len - CMSG_LEN(0);
	if ((size_t)(end - p) < dlen)
		dlen = (size_t)(end - p);	/* truncated item, as CPython
						 * clamps */
	n = dlen / sizeof(int);
	if (n == 0)
		return;
	*fds = xrealloc(*fds, (*nfds + n) * sizeof(int));
	for (k = 0; k < n; k++)
		memcpy(&(*fds)[*nfds + k], p + k * sizeof(int), sizeof(int));
	*nfds += n;
}

ssize_t
sock_recv_fds_cred(int fd, void *data, size_t len, size_t maxfds, int flags,
    int **fds, size_t *nfds, int *msg_flags, struct sockaddr_storage *from,
    socklen_t *fromlen, struct ucred *cred, int *has_cred)
{
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cm;
	char *control, *end;
	size_t clen;
	ssize_t n;

	*fds = NULL;
	*nfds = 0;
	if (has_cred)
		*has_cred = 0;
	if (maxfds > FDS_LIMIT) {
		err_set(EXC_OVERFLOW, "CMSG_LEN() argument out of range");
		return -1;
	}
	/* CPython asks for CMSG_LEN(maxfds * 4): exactly maxfds descriptors */
	clen = CMSG_LEN(maxfds * sizeof(int)) +
	    (cred ? CMSG_SPACE(sizeof *cred) : 0);
	control = xcalloc(1, clen);
	memset(&msg, 0, sizeof msg);
	iov.iov_base = data;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control;
	msg.msg_controllen = clen;
	if (from) {
		memset(from, 0, sizeof *from);
		msg.msg_name = from;
		msg.msg_namelen = sizeof *from;
	}
	do
		n = recvmsg(fd, &msg, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		err_errno(errno);
		free(control);
		return -1;
	}
	end = control + (msg.msg_controllen < clen ? msg.msg_controllen : clen);
	for (cm = msg.msg_controllen >= sizeof *cm ? CMSG_FIRSTHDR(&msg) : NULL;
	    cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if ((char *)cm + sizeof *cm > end || cm->cmsg_len < CMSG_LEN(0))
			break;
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		if (cm->cmsg_type == SCM_RIGHTS)
			take_rights(cm, end, fds, nfds);
		else if (cm->cmsg_type == SCM_CREDENTIALS && cred &&
		    cm->cmsg_len >= CMSG_LEN(sizeof *cred) &&
		    (size_t)(end - (char *)CMSG_DATA(cm)) >= sizeof *cred) {
			memcpy(cred, CMSG_DATA(cm), sizeof *cred);
			if (has_cred)
				*has_cred = 1;
		}
	}
	free(control);
	/* Linux echoes MSG_CMSG_CLOEXEC back; CPython, which does not pass
	 * it, shows flags without it */
	if (msg_flags)
		*msg_flags = msg.msg_flags & ~MSG_CMSG_CLOEXEC;
	if (fromlen)
		*fromlen = from ? (msg.msg_namelen < sizeof *from ?
		    msg.msg_namelen : sizeof *from) : 0;
	return n;
}
