/* parse.h - the literal grammar of SPEC section 3: what ast.literal_eval
 * accepts, then constant names joined by '|', then a bare-word str. */
#ifndef SOCKIT_PARSE_H
#define SOCKIT_PARSE_H

#include <stddef.h>
#include "value.h"

/* The value of a command-line word.  NULL (exception pending) only for
 * escapes sockit refuses (\N{...}); everything else has a value. */
value *parse_value(const char *word);
/* ast.literal_eval(text): NULL with SyntaxError/ValueError pending when the
 * text is not a literal. */
value *parse_literal(const char *text, size_t len);

/* Lexer pieces shared with the eval language.  Each scans at *pp (stopping
 * before end), advances *pp past what it took and returns a new value, or
 * NULL with SyntaxError pending. */
value *lex_number(const char **pp, const char *end);
value *lex_string(const char **pp, const char *end);	/* one literal, prefix
							 * included */
/* Does a string/bytes literal (with an optional prefix) start at p? */
int lex_is_string_start(const char *p, const char *end);
/* Decimal text of the integer written with digits (no prefix, no '_') in
 * base. */
char *big_to_decimal(const char *digits, size_t n, int base, int negative);
/* CPython's limit of 4300 digits for int/str conversion (sys.int_info.
 * default_max_str_digits): 0, or -1 with the ValueError pending (literal:
 * the SyntaxError a source literal gets). */
int int_digits_check(const char *digits, size_t n, int base, int literal);

#endif
