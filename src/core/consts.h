/* consts.h - the constants of CPython's socket module with their Linux
 * values and enum classes (AddressFamily, SocketKind, MsgFlag, AddressInfo),
 * and its two str constants, BDADDR_ANY and BDADDR_LOCAL. */
#ifndef SOCKIT_CONSTS_H
#define SOCKIT_CONSTS_H

#include <stddef.h>
#include <stdint.h>
#include "value.h"

struct konst {
	const char *name;
	long long value;	/* 0 for a str constant */
	int cls;		/* enum eclass, or -1 for a plain int */
	const char *str;	/* a str constant's text (BDADDR_ANY), else
				 * NULL */
};

extern const struct konst konst_table[];	/* sorted by name */
extern const size_t konst_count;

/* The constant called name, or NULL. */
const struct konst *konst_find(const char *name);
/* Its value as CPython gives it: an enum member, an int or a str. */
value *konst_value(const struct konst *k);
/* Constant names joined by '|' ("AI_CANONNAME|AI_PASSIVE"), or'd as CPython
 * ors socket.AI_CANONNAME|socket.AI_PASSIVE (a flag class stays a flag,
 * other enums become int).  A part that is no constant name gives NULL:
 * with strict, CPython's AttributeError naming it; else nothing pending. */
value *konst_or(const char *pat, int strict);
/* The canonical member name of class cls for value v, or NULL. */
const char *enum_name(int cls, int64_t v);
/* "AddressFamily", ... */
const char *enum_class_name(int cls);
/* MsgFlag and AddressInfo are IntFlag classes. */
int enum_is_flag(int cls);
/* The value CPython's _intenum_converter gives: the member, or a plain int
 * when v is not a member of cls. */
value *enum_or_int(int cls, int64_t v);

#endif
