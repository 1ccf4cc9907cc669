/* error.c - pending exception, CPython's class names and exit statuses. */
#include <errno.h>
#include <stdarg.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "error.h"
#include "json.h"
#include "value.h"

static _Thread_local struct pyerr cur;

static const struct {
	const char *name, *shortname;
	enum exc base;
} classes[EXC_COUNT] = {
	[EXC_NONE] = { "", "", EXC_NONE },
	[EXC_OSERROR] = { "OSError", "OSError", EXC_EXCEPTION },
	[EXC_BLOCKINGIO] = { "BlockingIOError", "BlockingIOError",
	    EXC_OSERROR },
	[EXC_CHILDPROCESS] = { "ChildProcessError", "ChildProcessError",
	    EXC_OSERROR },
	[EXC_CONNECTION] = { "ConnectionError", "ConnectionError",
	    EXC_OSERROR },
	[EXC_BROKENPIPE] = { "BrokenPipeError", "BrokenPipeError",
	    EXC_CONNECTION },
	[EXC_CONNABORTED] = { "ConnectionAbortedError",
	    "ConnectionAbortedError", EXC_CONNECTION },
	[EXC_CONNREFUSED] = { "ConnectionRefusedError",
	    "ConnectionRefusedError", EXC_CONNECTION },
	[EXC_CONNRESET] = { "ConnectionResetError", "ConnectionResetError",
	    EXC_CONNECTION },
	[EXC_FILEEXISTS] = { "FileExistsError", "FileExistsError",
	    EXC_OSERROR },
	[EXC_FILENOTFOUND] = { "FileNotFoundError", "FileNotFoundError",
	    EXC_OSERROR },
	[EXC_INTERRUPTED] = { "InterruptedError", "InterruptedError",
	    EXC_OSERROR },
	[EXC_ISADIR] = { "IsADirectoryError", "IsADirectoryError",
	    EXC_OSERROR },
	[EXC_NOTADIR] = { "NotADirectoryError", "NotADirectoryError",
	    EXC_OSERROR },
	[EXC_PERMISSION] = { "PermissionError", "PermissionError",
	    EXC_OSERROR },
	[EXC_PROCESSLOOKUP] = { "ProcessLookupError", "ProcessLookupError",
	    EXC_OSERROR },
	[EXC_TIMEOUT] = { "TimeoutError", "TimeoutError", EXC_OSERROR },
	[EXC_GAIERROR] = { "socket.gaierror", "gaierror", EXC_OSERROR },
	[EXC_HERROR] = { "socket.herror", "herror", EXC_OSERROR },
	[EXC_UNSUPPORTED_OP] =
	    { "io.UnsupportedOperation", "UnsupportedOperation", EXC_OSERROR },
	[EXC_TYPE] = { "TypeError", "TypeError", EXC_EXCEPTION },
	[EXC_VALUE] = { "ValueError", "ValueError", EXC_EXCEPTION },
	[EXC_OVERFLOW] = { "OverflowError", "OverflowError",
	    EXC_ARITHMETIC },
	[EXC_UNICODE] = { "UnicodeError", "UnicodeError", EXC_VALUE },
	[EXC_UNICODE_ENCODE] = { "UnicodeEncodeError", "UnicodeEncodeError",
	    EXC_UNICODE },
	[EXC_UNICODE_DECODE] = { "UnicodeDecodeError", "UnicodeDecodeError",
	    EXC_UNICODE },
	[EXC_ATTRIBUTE] = { "AttributeError", "AttributeError",
	    EXC_EXCEPTION },
	[EXC_NAME] = { "NameError", "NameError", EXC_EXCEPTION },
	[EXC_SYNTAX] = { "SyntaxError", "SyntaxError", EXC_EXCEPTION },
	[EXC_INDENTATION] = { "IndentationError", "IndentationError",
	    EXC_SYNTAX },
	[EXC_TAB] = { "TabError", "TabError", EXC_INDENTATION },
	[EXC_LOOKUP] = { "LookupError", "LookupError", EXC_EXCEPTION },
	[EXC_KEY] = { "KeyError", "KeyError", EXC_LOOKUP },
	[EXC_INDEX] = { "IndexError", "IndexError", EXC_LOOKUP },
	[EXC_ZERODIV] = { "ZeroDivisionError", "ZeroDivisionError",
	    EXC_ARITHMETIC },
	[EXC_NOTIMPL] = { "NotImplementedError", "NotImplementedError",
	    EXC_EXCEPTION },
	[EXC_RUNTIME] = { "RuntimeError", "RuntimeError", EXC_EXCEPTION },
	[EXC_RECURSION] = { "RecursionError", "RecursionError", EXC_RUNTIME },
	[EXC_MEMORY] = { "MemoryError", "MemoryError", EXC_EXCEPTION },
	[EXC_STOPITERATION] = { "StopIteration", "StopIteration",
	    EXC_EXCEPTION },
	[EXC_IMPORT] = { "ImportError", "ImportError", EXC_EXCEPTION },
	[EXC_UNBOUNDLOCAL] = { "UnboundLocalError", "UnboundLocalError",
	    EXC_NAME },
	[EXC_ASSERTION] = { "AssertionError", "AssertionError",
	    EXC_EXCEPTION },
	[EXC_EXCEPTIONGROUP] = { "ExceptionGroup", "ExceptionGroup",
	    EXC_EXCEPTION },
	[EXC_BASE] = { "BaseException", "BaseException", EXC_NONE },
	[EXC_EXCEPTION] = { "Exception", "Exception", EXC_BASE },
	[EXC_ARITHMETIC] = { "ArithmeticError", "ArithmeticError",
	    EXC_EXCEPTION },
	[EXC_USAGE] = { "usage", "usage", EXC_NONE },
};

int
exc_is(enum exc e, enum exc base)
{
	while (e != EXC_NONE) {
		if (e == base)
			return 1;
		e = classes[e].base;
	}
	return base == EXC_NONE;
}

const char *exc_name(enum exc e) { return classes[e].name; }
const char *exc_short(enum exc e) { return classes[e].shortname; }

int
exc_status(enum exc e)
{
	if (e == EXC_GAIERROR || e == EXC_HERROR)
		return 3;
	if (e == EXC_TIMEOUT)
		return 4;
	/* io.UnsupportedOperation is an OSError and a ValueError */
	if (e == EXC_USAGE || e == EXC_UNSUPPORTED_OP || exc_is(e, EXC_TYPE) ||
	    exc_is(e, EXC_VALUE) || exc_is(e, EXC_OVERFLOW))
		return 2;
	return 1;
}

void
err_clear(void)
{
	free(cur.msg);
	free(cur.filename);
	v_decref(cur.obj);
	memset(&cur, 0, sizeof cur);
}

static void
err_vset(enum exc e, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	err_clear();
	cur.exc = e;
	cur.msg = msg ? msg : xstrdup("");
}

void
err_set(enum exc e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, fmt, ap);
	va_end(ap);
}

enum exc
errno_class(int errnum)
{
	switch (errnum) {
	case EAGAIN: case EALREADY: case EINPROGRESS: return EXC_BLOCKINGIO;
	case ECHILD: return EXC_CHILDPROCESS;
	case EPIPE: case ESHUTDOWN: return EXC_BROKENPIPE;
	case ECONNABORTED: return EXC_CONNABORTED;
	case ECONNREFUSED: return EXC_CONNREFUSED;
	case ECONNRESET: return EXC_CONNRESET;
	case EEXIST: return EXC_FILEEXISTS;
	case ENOENT: return EXC_FILENOTFOUND;
	case EINTR: return EXC_INTERRUPTED;
	case EISDIR: return EXC_ISADIR;
	case ENOTDIR: return EXC_NOTADIR;
	case EACCES: case EPERM: return EXC_PERMISSION;
	case ESRCH: return EXC_PROCESSLOOKUP;
	case ETIMEDOUT: return EXC_TIMEOUT;
	default: return EXC_OSERROR;
	}
}

void
err_oserror(enum exc e, int errnum, const char *msg)
{
	err_clear();
	cur.exc = e;
	cur.has_errno = 1;
	cur.errnum = errnum;
	cur.msg = xstrdup(msg);
}

void
err_errno(int errnum)
{
	err_oserror(errno_class(errnum), errnum, strerror(errnum));
}

void
err_errno_filename(int errnum, const char *filename)
{
	err_errno(errnum);
	cur.filename = xstrdup(filename);
}

void
err_gai(int code)
{
	if (code == EAI_SYSTEM) {
		err_errno(errno);
		return;
	}
	err_oserror(EXC_GAIERROR, code, gai_strerror(code));
}

void
err_herror(int code)
{
	err_oserror(EXC_HERROR, code, hstrerror(code));
}

void
err_timeout(void)
{
	err_set(EXC_TIMEOUT, "timed out");
}

int err_occurred(void) { return cur.exc != EXC_NONE; }
enum exc err_class(void) { return cur.exc; }
const struct pyerr *err_get(void) { return &cur; }

struct pyerr
err_fetch(void)
{
	struct pyerr e = cur;

	memset(&cur, 0, sizeof cur);
	return e;
}

void
err_restore(struct pyerr e)
{
	err_clear();
	cur = e;
}

char *
err_text(const struct pyerr *e)
{
	struct buf b = { 0 };

	if (e->has_errno) {
		buf_printf(&b, "[Errno %d] %s", e->errnum,
		    e->msg ? e->msg : "");
		if (e->filename) {
			value *f = v_strz(e->filename);

			buf_puts(&b, ": ");
			repr(&b, f);
			v_decref(f);
		}
	} else if (e->msg) {
		buf_puts(&b, e->msg);
	}
	return buf_cstr(&b);
}

void
err_json_fields(struct jw *w, const struct pyerr *e)
{
	char *text = err_text(e);
	value *m = v_strz(e->has_errno ? (e->msg ? e->msg : "") : text);

	jw_key(w, "exception");
	jw_strz(w, exc_short(e->exc));
	jw_key(w, "errno");
	if (e->has_errno)
		jw_int(w, e->errnum);
	else
		jw_null(w);
	jw_key(w, "message");
	jw_value(w, m);
	v_decref(m);
	free(text);
}

int
err_print(int json)
{
	return err_print_with(json, NULL);
}

int
err_print_with(int json, void (*extra)(struct jw *))
{
	struct buf b = { 0 };
	int status;
	char *text;

	if (cur.exc == EXC_NONE)
		err_set(EXC_RUNTIME, "error without an exception set");
	status = exc_status(cur.exc);
	text = err_text(&cur);
	fflush(stdout);
	if (json && cur.exc != EXC_USAGE) {
		struct jw w;

		jw_init(&w, &b, JW_JSON);
		jw_open_obj(&w);
		err_json_fields(&w, &cur);
		if (extra)
			extra(&w);
		jw_close_obj(&w);
		buf_putc(&b, '\n');
	} else if (cur.exc == EXC_USAGE) {
		buf_printf(&b, "sockit: %s\n", text);
	} else if (*text) {
		buf_printf(&b, "sockit: %s: %s\n", exc_name(cur.exc), text);
	} else {
		buf_printf(&b, "sockit: %s\n", exc_name(cur.exc));
	}
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
	free(text);
	err_clear();
	return status;
}

void
end_by_signal(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);	/* in a handler: delivered once it returns */
}

void
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (cmd)
		err_set(EXC_USAGE, "%s: %s", cmd, msg ? msg : "");
	else
		err_set(EXC_USAGE, "%s", msg ? msg : "");
	free(msg);
}
