/* file.h - file objects (V_OBJECT) for socket.makefile() and eval's
 * open(path, mode): read, readline, write, flush, close, fileno, as
 * CPython's io classes behave for these uses. */
#ifndef SOCKIT_FILE_H
#define SOCKIT_FILE_H

#include <stdint.h>
#include <sys/types.h>
#include "value.h"

/* open(path, mode) with CPython's mode rules and errors; NULL with the
 * exception pending. */
value *file_open(const char *path, const char *mode);
/* sock.makefile(mode, buffering, encoding, errors, newline) for the socket
 * value sockv (mode already checked to be made of r, w, b).  The last three
 * may be NULL. */
value *file_from_socket(value *sockv, const char *mode, int64_t buffering,
    const value *encoding, const value *errors, const value *newline);

/* For sendfile: the descriptor of file object v (-1 with an exception
 * pending when v is not an open file), its mode ("rb"; NULL when v is not a
 * file object), a seek to offset from the start, and a raw read of at most
 * n bytes (bytes buffered by the object first). */
int file_fileno(const value *v);
const char *file_mode(const value *v);
int file_seek(value *v, int64_t offset);
ssize_t file_read_raw(value *v, void *buf, size_t n);

#endif
