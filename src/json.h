/* json.h - the one writer of structured output: JSON (RFC 8259), and the
 * same calls as a Python literal or as flat "path=value" fields, so that one
 * walk over the facts serves every format (iproute2's json_print idea).
 * Runtime layer: no front headers.
 *
 * The writer keeps the separators: a value or key written inside an open
 * container is preceded by ", " unless it is the first; jw_key() writes
 * `"name": ` and the next value follows it directly.  Nesting is unbounded
 * (only the innermost level's state is kept: closing a container makes its
 * parent non-empty).  The separators are ", " and ": ", as emit_json has
 * always written them. */
#ifndef SOCKIT_JSON_H
#define SOCKIT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "emit.h"

enum jw_syntax {
	JW_JSON,	/* {"a": 1, "b": "x", "c": true, "d": null} */
	JW_PY,		/* {'a': 1, 'b': 'x', 'c': True, 'd': None} (repr) */
	JW_FLAT		/* \ta=1\tb=x\tc=true\td= (nested: \tc.d=...,
			 * \tl.0=...) */
};

#define JW_FLAT_DEPTH	8	/* JW_FLAT path levels kept (deeper: not
				 * named) */

struct jw {
	struct buf *b;
	enum jw_syntax syn;
	int depth;		/* open containers */
	int first;		/* no member yet in the innermost container */
	int keyed;		/* a key was written: its value comes next */
	/* JW_FLAT: the path of the next value, and each level's state */
	char path[128];
	size_t cur;		/* length of the next value's path */
	size_t plen[JW_FLAT_DEPTH + 1];
	unsigned idx[JW_FLAT_DEPTH + 1];
	unsigned arr;		/* bit d: level d is an array */
};

/* Starts writing to b (appended to) in syntax syn. */
void jw_init(struct jw *w, struct buf *b, enum jw_syntax syn);
/* The same, inside an array (or tuple) already open in b and holding an
 * item: the values written come after ", ", and nothing closes it. */
void jw_init_after(struct jw *w, struct buf *b, enum jw_syntax syn);

void jw_open_obj(struct jw *w);
void jw_open_arr(struct jw *w);
void jw_close_obj(struct jw *w);
void jw_close_arr(struct jw *w);

/* A member name: k is a C literal of plain ASCII (not escaped). */
void jw_key(struct jw *w, const char *k);
/* A member name from data (escaped as a string). */
void jw_keyn(struct jw *w, const char *k, size_t n);

void jw_str(struct jw *w, const char *s, size_t n);
void jw_strz(struct jw *w, const char *s);
void jw_int(struct jw *w, long long x);
void jw_uint(struct jw *w, unsigned long long x);
void jw_bool(struct jw *w, int x);
void jw_null(struct jw *w);
/* A float as Python's repr (JSON: NaN, Infinity, -Infinity). */
void jw_float(struct jw *w, double f);
/* Seconds since the epoch with microseconds, trailing zeros cut
 * ("1000.0", "1733100000.123456"): a float in every syntax. */
void jw_ts(struct jw *w, uint64_t sec, uint32_t nsec);
/* Bytes as a lowercase hex string (py: the str of hex digits too). */
void jw_hex(struct jw *w, const void *p, size_t n);
/* A value already rendered in w's syntax (n bytes at s). */
void jw_raw(struct jw *w, const char *s, size_t n);
/* A value as emit_json renders it (named tuples as objects), in w's syntax. */
void jw_value(struct jw *w, const value *v);


#endif
