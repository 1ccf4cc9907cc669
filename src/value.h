/* value.h - the one tagged value type every command builds and the emitter
 * renders (SPEC sections 3-4).  Values are reference counted: a function
 * that returns a value returns a new reference; containers own their items. */
#ifndef SOCKIT_VALUE_H
#define SOCKIT_VALUE_H

#include <stddef.h>
#include <stdint.h>

enum vkind {
	V_NONE, V_BOOL, V_INT, V_FLOAT, V_STR, V_BYTES, V_BYTEARRAY,
	V_TUPLE, V_LIST, V_DICT, V_SET, V_ENUM, V_SOCKET, V_OBJECT
};

/* The enum classes of CPython's socket module. */
enum eclass { EC_ADDRESSFAMILY, EC_SOCKETKIND, EC_MSGFLAG, EC_ADDRESSINFO,
    EC_COUNT };

/* How JSON names the fields of a tuple (SPEC section 4).  SH_ADDR: a socket
 * address of family v->family (tuple, str or bytes). */
enum vshape {
	SH_NONE, SH_ADDR, SH_AI_ENTRY, SH_HOSTENT, SH_NAMEINFO, SH_NAMEINDEX,
	SH_ACCEPT, SH_RECVFROM, SH_RECVFROM_INTO, SH_RECVMSG, SH_RECVMSG_INTO,
	SH_CMSG, SH_RECV_FDS,
	SH_CONSTS	/* const's result: JSON and raw give enums' integers */
};

struct sock;
struct value;
struct call;

/* A method: takes the object itself and the call's arguments, returns a new
 * value or NULL with an exception pending (call.h). */
struct method_def {
	const char *name;
	struct value *(*fn)(struct value *self, struct call *c);
};

/* Behaviour of a V_OBJECT (files, makefile() objects, ...). */
struct vobject_ops {
	const char *type_name;
	void (*free)(void *p);
	/* appends the object's repr to *out (a struct buf, see emit.h) */
	void (*repr)(void *out, const struct value *v);
	const struct method_def *methods;	/* NULL-terminated, may be
						 * NULL */
	/* attribute other than a method (NULL with AttributeError pending) */
	struct value *(*getattr)(struct value *self, const char *name);
	int unhashable;		/* hash() refuses it (slice), so no dict key */
	/* writes the object as JSON into *w (a struct jw, json.h); NULL: its
	 * repr as a JSON string */
	void (*json)(void *w, const struct value *v);
	/* the object as a new tuple of its fields, for raw output (so that
	 * cut(1) finds them); NULL: its repr as one field */
	struct value *(*fields)(const struct value *v);
	/* appends str() of the object to *out; NULL: its repr */
	void (*str)(void *out, const struct value *v);
};

typedef struct value {
	unsigned refs;
	unsigned char kind;	/* enum vkind */
	unsigned char shape;	/* enum vshape */
	unsigned char proto;	/* with SH_ADDR: the socket's protocol where
				   the family's JSON fields depend on it
				   (Bluetooth) */
	int family;		/* with SH_ADDR: the address family */
	union {
		int b;					/* V_BOOL */
		/* V_INT; big: decimal text when outside int64 (i is then 0) */
		struct { int64_t i; char *big; } n;
		double f;				/* V_FLOAT */
		/* V_STR (UTF-8, invalid bytes are surrogateescape), V_BYTES,
		 * V_BYTEARRAY; p is NUL-terminated */
		struct { char *p; size_t len; } s;
		/* V_TUPLE, V_LIST, V_SET; V_DICT: items alternate key, value;
		 * len counts items */
		struct { struct value **items; size_t len, cap; } seq;
		struct { int cls; int64_t i; } e;	/* V_ENUM: enum eclass,
							 * value */
		/* V_SOCKET: a V_OBJECT whose object is a struct sock, for the
		 * methods, eval and msg.c that take one; value.c and emit.c go
		 * through its ops like any object's (sock.c's) */
		struct { const struct vobject_ops *ops; struct sock *p; } sk;
		/* V_OBJECT */
		struct { const struct vobject_ops *ops; void *p; } obj;
	} u;
} value;

value *v_none(void);
value *v_bool(int b);
value *v_int(int64_t i);
value *v_bigint(const char *decimal);	/* text like "-123..."; fits-int64 text
					 * gives a plain int */
value *v_float(double f);
value *v_str(const char *p, size_t len);
value *v_strz(const char *p);
value *v_bytes(const void *p, size_t len);
value *v_bytearray(const void *p, size_t len);
value *v_enum(int cls, int64_t i);
value *v_tuple(size_t n, ...);		/* steals the n value* arguments */
value *v_tuple_new(size_t n);		/* n items, all None until set */
value *v_list_new(void);
value *v_set_new(void);
value *v_dict_new(void);
value *v_object(const struct vobject_ops *ops, void *p);

void v_append(value *seq, value *item);	/* list/set/tuple-under-construction;
					 * steals item */
void v_dict_set(value *d, value *k, value *v);	/* steals k and v */
value *v_with_shape(value *v, int shape, int family); /* sets the shape, returns
						       * v */

value *v_incref(value *v);
void v_decref(value *v);

/* Type name as Python's error messages print it ("int", "str", "NoneType"). */
const char *v_typename(const value *v);
/* As hash(v) checks: NULL when v may be a dict key or a set item, else the
 * type name of its unhashable part (a list, dict, set, bytearray or slice,
 * or one inside a tuple). */
const char *v_unhashable(const value *v);
/* 0, or -1 with CPython's TypeError ("unhashable type: 'list'") pending. */
int v_check_hashable(const value *v);
/* True for bool, int and enum values (what __index__ accepts). */
int v_is_int(const value *v);
/* Integer value of an int-like v; *big set when it does not fit int64. */
int64_t v_as_i64(const value *v, int *big);
/* An int-like or float v as a double, rounded as float(v) does; *overflow
 * (may be NULL) set when the int is beyond the float range (the result is
 * then +-HUGE_VAL). */
double v_to_double(const value *v, int *overflow);
/* Exact comparison of int-like a with d, as CPython compares int and float:
 * -1, 0, 1, or 2 when d is a NaN. */
int v_cmp_int_float(const value *a, double d);
/* Python equality (==). */
int v_equal(const value *a, const value *b);
/* Python truth value. */
int v_truthy(const value *v);
/* a | b on ints, enums and flags with CPython's result class (IntFlag keeps
 * its class; IntEnum | x is an int). */
value *v_or(const value *a, const value *b);

/* Decodes one code point of a str value's text at p (n > 0 bytes left):
 * UTF-8 whose invalid bytes stand for U+DC80 + byte (surrogateescape), one
 * byte each; other surrogates written as 3 bytes are themselves.  Returns
 * the bytes taken. */
size_t str_next_cp(const char *p, size_t n, unsigned *cp);
/* Strict UTF-8 (no surrogates, no overlong forms): returns n when p is
 * valid, else the offset of the first bad sequence, its length in *badlen
 * and CPython's reason in *why ("invalid start byte", "invalid
 * continuation byte", "unexpected end of data"); both may be NULL. */
size_t utf8_check(const char *p, size_t n, size_t *badlen, const char **why);

/* Seconds on CLOCK_MONOTONIC (for deadlines and timeouts). */
double mono_now(void);
/* Milliseconds from now to deadline (a mono_now() time), rounded up, for
 * poll(): 0 once it has passed, -1 when deadline is 0 (none). */
int ms_until(double deadline);

/* The value of hex digit c, or -1. */
int hex_digit(int c);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t n);	/* NUL-terminated copy */

#endif
