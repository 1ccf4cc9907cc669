/* error.h - the Python exception model (SPEC section 5).  Core functions
 * return NULL or -1 and leave the exception here; main.c and cmd/ print it
 * with err_print() and exit with err_status().  One pending exception per
 * thread. */
#ifndef SOCKIT_ERROR_H
#define SOCKIT_ERROR_H

#include <stdarg.h>

enum exc {
	EXC_NONE,
	/* OSError and its subclasses */
	EXC_OSERROR, EXC_BLOCKINGIO, EXC_CHILDPROCESS, EXC_CONNECTION,
	EXC_BROKENPIPE, EXC_CONNABORTED, EXC_CONNREFUSED, EXC_CONNRESET,
	EXC_FILEEXISTS, EXC_FILENOTFOUND, EXC_INTERRUPTED, EXC_ISADIR,
	EXC_NOTADIR, EXC_PERMISSION, EXC_PROCESSLOOKUP, EXC_TIMEOUT,
	EXC_GAIERROR, EXC_HERROR, EXC_UNSUPPORTED_OP,
	/* the rest */
	EXC_TYPE, EXC_VALUE, EXC_OVERFLOW, EXC_UNICODE_ENCODE,
	    EXC_UNICODE_DECODE,
	EXC_UNICODE, EXC_ATTRIBUTE, EXC_NAME, EXC_SYNTAX, EXC_INDENTATION,
	EXC_TAB, EXC_LOOKUP, EXC_KEY,
	    EXC_INDEX,
	EXC_ZERODIV, EXC_NOTIMPL, EXC_RUNTIME, EXC_RECURSION, EXC_MEMORY,
	    EXC_STOPITERATION,
	EXC_IMPORT, EXC_UNBOUNDLOCAL, EXC_ASSERTION,
	EXC_EXCEPTIONGROUP,	/* create_connection(all_errors=True) */
	EXC_BASE, EXC_EXCEPTION, EXC_ARITHMETIC,	/* the bases */
	EXC_USAGE,		/* a bad command line: not a Python exception */
	EXC_COUNT
};

struct pyerr {
	enum exc exc;
	int has_errno;		/* OSError with [Errno N] */
	int errnum;
	char *msg;		/* strerror part for errno errors, else the
				 * whole text */
	char *filename;		/* OSError's filename, repr()'d after the
				 * message */
	struct value *obj;	/* eval's exception object when one was
				 * raised (its args), else NULL */
};

/* Sets the pending exception with a printf-style message (may be ""). */
void err_set(enum exc e, const char *fmt, ...) __attribute__((format(printf, 2,
    3)));
/* The OSError subclass CPython picks for an errno (PEP 3151). */
enum exc errno_class(int errnum);
/* OSError subclass for errnum with strerror's text, as CPython raises it. */
void err_errno(int errnum);
/* The same, with a filename (FileNotFoundError: [Errno 2] ...: 'x'). */
void err_errno_filename(int errnum, const char *filename);
/* OSError with an explicit errno and message (no errno-based subclass). */
void err_oserror(enum exc e, int errnum, const char *msg);
/* socket.gaierror from a getaddrinfo()/getnameinfo() code. */
void err_gai(int code);
/* socket.herror from an h_errno value. */
void err_herror(int code);
/* TimeoutError: timed out */
void err_timeout(void);

int err_occurred(void);
enum exc err_class(void);
const struct pyerr *err_get(void);
void err_clear(void);
/* Moves the pending exception out (to re-raise later with err_restore). */
struct pyerr err_fetch(void);
void err_restore(struct pyerr e);

/* Is e the class base or one of its subclasses? */
int exc_is(enum exc e, enum exc base);
/* "socket.gaierror", "ConnectionRefusedError", ... as a traceback prints it */
const char *exc_name(enum exc e);
/* "gaierror": the class's own name, for JSON */
const char *exc_short(enum exc e);
/* exit status of SPEC section 5 */
int exc_status(enum exc e);

/* The exception's text as str(exc) gives it (malloc'd). */
char *err_text(const struct pyerr *e);
/* Prints the pending exception on stderr: "sockit: Name: text", or the JSON
 * object when json is set.  Returns its exit status and clears it. */
int err_print(int json);
struct jw;
/* The same, with extra(w) adding members to the JSON object (json set). */
int err_print_with(int json, void (*extra)(struct jw *));
/* Writes e's members of that object: "exception", "errno", "message". */
void err_json_fields(struct jw *w, const struct pyerr *e);
/* Sets a usage exception (a bad command line, SPEC 5): "cmd: message"
 * (printf-like; cmd may be NULL). */
void usage_error(const char *cmd, const char *fmt,
    ...) __attribute__((format(printf, 2, 3)));
/* Ends the program by signal sig's default action (SIGPIPE, SIGINT,
 * SIGTERM: what a calling shell should see).  Async-signal-safe. */
void end_by_signal(int sig);

#endif
