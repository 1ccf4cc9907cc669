/* emit.h - one emitter, three modes (SPEC section 4): Python repr, JSON, raw.
 * Everything printed on stdout goes through out_*(), which checks for write
 * errors. */
#ifndef SOCKIT_EMIT_H
#define SOCKIT_EMIT_H

#include <stddef.h>
#include "value.h"

enum fmt { FMT_PY, FMT_JSON, FMT_RAW };

/* A growable byte buffer; zero-initialise. */
struct buf { char *p; size_t len, cap; };
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
/* Appends the UTF-8 encoding of code point cp (any up to 0x10ffff,
 * surrogates encoded as they are). */
void buf_utf8(struct buf *b, unsigned cp);
void buf_printf(struct buf *b, const char *fmt,
    ...) __attribute__((format(printf, 2, 3)));
/* Appends the n bytes at p as hex, two digits a byte (upper: A-F). */
void buf_hex(struct buf *b, const void *p, size_t n, int upper);
char *buf_cstr(struct buf *b);	/* NUL-terminates and hands over the memory */

/* Appends repr(v) exactly as CPython 3.11 prints it. */
void repr(struct buf *b, const value *v);
/* Appends str(v) (repr except for str, which is itself). */
void str_of(struct buf *b, const value *v);
/* Appends repr() of the str of UTF-8 text s. */
void repr_string(struct buf *b, const char *s, size_t n);
/* Appends repr() of the bytes s. */
void repr_bytes(struct buf *b, const char *s, size_t n);
/* Appends Python's repr of a float. */
void repr_float(struct buf *b, double f);
/* Appends v as one JSON document (no newline). */
void emit_json(struct buf *b, const value *v);
/* Appends a JSON string for the UTF-8 text p. */
void json_string(struct buf *b, const char *p, size_t n);
/* Appends v in raw mode (with the trailing newline; nothing for None). */
void emit_raw(struct buf *b, const value *v);
/* The enum member text: "AF_INET", "MSG_PEEK|MSG_DONTWAIT", "0" when none. */
void enum_text(struct buf *b, const value *v);

/* Appends the rendering of a result in format f, as a line: repr + "\n"
 * (py), JSON + "\n", or raw.  None renders as nothing in py and raw (as
 * Python's interactive mode), as null in JSON (SPEC section 4). */
void emit_value(struct buf *b, const value *v, enum fmt f);

/* The checked stdout path.  out_write() buffers; out_flush() writes out.
 * Both return 0, or -1 with the OSError pending (BrokenPipeError when the
 * reader has gone: the command cleans up and returns, and main then ends
 * by SIGPIPE). */
int out_write(const void *p, size_t n);
int out_flush(void);
/* Has stdout's reader gone (an EPIPE seen)? */
int out_broken_pipe(void);
/* Renders v in format f to stdout (emit_value + out_write). */
int out_value(const value *v, enum fmt f);

#endif
