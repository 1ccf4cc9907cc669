/* bigint.h - arbitrary-precision int arithmetic for eval (bigint.c). */
#ifndef SOCKIT_BIGINT_H
#define SOCKIT_BIGINT_H

#include "eval/eval.h"

/* a op b on int-like values of any size with CPython's results (op: OP_ADD
 * .. OP_XOR); NULL with the exception pending. */
value *bigint_binary(int op, const value *a, const value *b);
/* -a, ~a, +a */
value *bigint_unary(int op, const value *a);
/* <0, 0, >0 */
int bigint_cmp(const value *a, const value *b);
/* hex(), oct(), bin() of any int: shift 4, 3, 1; prefix "0x" ... */
value *bigint_radix(const value *a, int shift, const char *prefix);

#endif
