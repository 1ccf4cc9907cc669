/* main.c - the global options before the command, dispatch, the final
 * check of stdout on every path, and the exit status (SPEC sections 2 and
 * 5).  Nothing below it exits: help, version and errors all return here. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "core/sockaddr.h"
#include "core/resolve.h"
#include "core/stop.h"
#include "emit.h"
#include "error.h"
#include "front/front.h"
#include "parse.h"

/* A closed fd 0, 1 or 2 would be taken by the first socket, which would
 * then read or write as if it were stdin, stdout or stderr: open /dev/null
 * on each closed one. */
static void
fill_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null",
			    fd == 0 ? O_RDONLY : O_WRONLY);

			if (fd == 0)
				G.stdin_closed = 1;	/* shell: EBADF, not an
							 * empty input */

			if (n >= 0 && n != fd) {	/* a lower fd was closed
							 * too */
				dup2(n, fd);
				close(n);
			}
		}
}

/* The value of a positional word of function command fi. */
static value *
positional(const struct fninfo *fi, const char *a)
{
	value *v;

	if (!(fi->flags & FNF_WORDS))
		return parse_value(a);
	/* const's words are names and patterns, never values (SPEC section
	 * 6: `const MSG_PEEK`, `const 'SO_*'`); a quoted 'SO_*' is its text */
	v = parse_literal(a, strlen(a));
	if (v == NULL || v->kind != V_STR) {
		v_decref(v);
		err_clear();
		v = v_strz(a);
	}
	return v;
}

/* Runs function command fi with argv (argv[0] its name).  Returns the exit
 * status, -1 with an exception pending, or OPT_ST_HELP/OPT_ST_VERSION. */
static int
run_fn(const struct fninfo *fi, int argc, char **argv)
{
	struct call c = { fi->name, NULL, 0, NULL, NULL, 0 };
	struct args a;
	value *result = NULL;
	int i, k, r;

	if ((r = opt_parse(fi->name, argc, argv, front_kw_specs(fi->name), NULL,
	    1, &a)) != 0)
		return r;
	c.args = xcalloc((size_t)a.n + 1, sizeof *c.args);
	c.kwnames = a.kwname;
	c.kwvals = xcalloc((size_t)a.nkw + 1, sizeof *c.kwvals);
	r = -1;
	for (i = 0; i < a.nkw; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(a.kwname[k], a.kwname[i]) == 0) {
				usage_error(fi->name,
				    "keyword argument repeated: %s",
				    a.kwname[i]);
				goto out;
			}
		if ((c.kwvals[i] = parse_value(a.kwval[i])) == NULL)
			goto out;
		c.nkw++;
	}
	for (i = 0; i < a.n; i++) {
		if ((c.args[i] = positional(fi, a.v[i])) == NULL)
			goto out;
		c.nargs++;
	}
	if ((result = fi->fn(&c)) != NULL && out_value(result, G.fmt) == 0)
		r = 0;
out:
	v_decref(result);
	for (i = 0; (size_t)i < c.nargs; i++)
		v_decref(c.args[i]);
	for (i = 0; (size_t)i < c.nkw; i++)
		v_decref(c.kwvals[i]);
	free(c.args);
	free(c.kwvals);
	args_free(&a);
	return r;
}

/* The hidden commands: __complete, __synopsis, and for tests __addr (an
 * address round trip) and __value (the literal parser).  Returns -2 when
 * cmd is none of them. */
static int
run_hidden(const char *cmd, int argc, char **argv)
{
	value *v = NULL;

	if (strcmp(cmd, "__complete") == 0)
		return front_complete(argc, argv);
	if (strcmp(cmd, "__synopsis") == 0)
		return front_synopsis(argc > 0 ? argv[0] : NULL);
	if (strcmp(cmd, "__addr") == 0)
		v = addr_roundtrip(argc, argv);
	else if (strcmp(cmd, "__value") == 0 && argc == 1)
		v = parse_value(argv[0]);
	else
		return -2;
	if (v == NULL || out_value(v, G.fmt) < 0) {
		v_decref(v);
		return -1;
	}
	v_decref(v);
	return 0;
}

/* Parses the global options before the command: argv[1..].  Returns the
 * index of the command word (argc when there is none), -1 with a usage
 * exception pending, or OPT_ST_HELP/OPT_ST_VERSION. */
static int
leading_globals(int argc, char **argv)
{
	int i, r;
	struct args a;

	/* the words up to the first one that is not an option or the
	 * argument of one: that is the command */
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] != '-' || w[1] == '\0')
			break;
		if (strcmp(w, "--") == 0) {	/* the end of the global
						 * options */
			if ((r = opt_parse(NULL, i, argv, NULL, NULL, 0,
			    &a)) != 0)
				return r;
			args_free(&a);
			return i + 1;
		}
		if (opt_needs_next(w, NULL))
			i++;
	}
	if (i > argc)
		i = argc;
	if ((r = opt_parse(NULL, i, argv, NULL, NULL, 0, &a)) != 0)
		return r;
	args_free(&a);
	return i;
}

/* Does the command line ask for JSON after the word where parsing stopped
 * (-j, --json, -f json, -fjson, --format=json, --format json)?  A usage
 * error met before such an option is JSON too: the format is the whole
 * command line's.  Words after "--" are arguments. */
static int
asks_json(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *next = i + 1 < argc ? argv[i + 1] :
		    "";

		if (strcmp(w, "--") == 0)
			break;
		if (strcmp(w, "-j") == 0 || strcmp(w, "--json") == 0 ||
		    strcmp(w, "-fjson") == 0 ||
		    strcmp(w, "--format=json") == 0 ||
		    ((strcmp(w, "-f") == 0 || strcmp(w, "--format") == 0) &&
		    strcmp(next, "json") == 0))
			return 1;
	}
	return 0;
}

/* The end of every path: stdout flushed and checked (a write error is an
 * OSError, a reader gone ends by SIGPIPE), then the exit status, or the
 * caught signal once the command has cleaned up. */
static int
finish(int status)
{
	int e = 0;

	if (out_flush() < 0 && !out_broken_pipe() && status == 0)
		status = err_print(G.fmt == FMT_JSON);
	err_clear();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		e = errno ? errno : EIO;
		if (e != EPIPE && status == 0) {
			err_errno(e);
			status = err_print(G.fmt == FMT_JSON);
		}
	}
	if (out_broken_pipe() || e == EPIPE)
		end_by_signal(SIGPIPE);
	if (stop_signal && status == stop_status()) {
		/* cleaned up: now end by the signal itself, so that a calling
		 * shell sees it and stops its loop too (status 130/143) */
		end_by_signal(stop_signal);
	}
	return status;
}

int
main(int argc, char **argv)
{
	const struct fninfo *fi;
	const char *cmd = NULL;
	int i, status;

	fill_std_fds();
	signal(SIGPIPE, SIG_IGN);
	i = leading_globals(argc, argv);
	if (i >= 0 && i >= argc) {
		usage_error(NULL, "no command given");
		i = -1;
	}
	if (i < 0) {
		status = i;
	} else if ((status = run_hidden(argv[i], argc - i - 1,
	    argv + i + 1)) != -2) {
		cmd = argv[i];
	} else if (!front_is_command(argv[i], NULL)) {
		usage_error(NULL,
		    "unknown command '%s'; 'sockit help' lists them", argv[i]);
		status = -1;
	} else {
		cmd = argv[i];
		fi = fn_find(cmd);
		status = fi ? run_fn(fi, argc - i, argv + i) :
		    front_run_task(cmd, argc - i, argv + i);
	}
	if (status == OPT_ST_HELP) {
		if (cmd)
			front_usage(cmd, stdout);
		else
			front_help(stdout);
		status = 0;
	} else if (status == OPT_ST_VERSION) {
		printf("sockit %s\n", SOCKIT_VERSION);
		status = 0;
	}
	if (status < 0 && out_broken_pipe())
		err_clear();	/* the reader left: no error, end by SIGPIPE */
	else if (status < 0 && err_class() == EXC_USAGE)
		status = front_usage_error(cmd, G.fmt == FMT_JSON ||
		    asks_json(argc, argv));
	else if (status < 0)
		status = err_print(G.fmt == FMT_JSON);
	return finish(status);
}
