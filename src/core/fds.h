/* fds.h - SCM_RIGHTS beyond CPython's send_fds/recv_fds (those two are
 * declared in sock.h): the credential-aware receive that fds-pass uses on
 * datagram sockets, where SO_PEERCRED tells nothing. */
#ifndef SOCKIT_FDS_H
#define SOCKIT_FDS_H

#include <sys/types.h>
#include <sys/socket.h>

/* The most descriptors one SCM_RIGHTS message carries (Linux SCM_MAX_FD). */
#define FDS_MAX_PER_MSG 253

/* recv_fds on descriptor fd: the descriptors in *fds (malloc'd, *nfds of
 * them), the message flags in *msg_flags, and the sender's SCM_CREDENTIALS
 * in *cred (*has_cred set when the message carried them; the socket needs
 * SO_PASSCRED).  cred may be NULL.  Returns the bytes received, or -1 with
 * the OSError pending and no descriptor left open. */
ssize_t sock_recv_fds_cred(int fd, void *data, size_t len, size_t maxfds,
    int flags, int **fds, size_t *nfds, int *msg_flags,
    struct sockaddr_storage *from, socklen_t *fromlen, struct ucred *cred,
    int *has_cred);

/* Closes the n descriptors of fds and frees the array. */
void fds_close(int *fds, size_t n);

#endif
