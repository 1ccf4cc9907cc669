/* main.c - global options, dispatch, the final flush of stdout and the exit
 * status (SPEC sections 2 and 5). */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "core/addr.h"
#include "cli.h"
#include "emit.h"
#include "error.h"
#include "parse.h"

/* Takes the global option at argv[*i] (and its argument).  Returns 1 when
 * it took one, 0 when argv[*i] is not a global option, -1 on a bad value. */
static int
take_global(int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	static const struct { const char *name; int c; } longs[] = {
		{ "--json", 'j' }, { "--raw", 'r' }, { "--ipv4", '4' }, { "--ipv6", '6' },
		{ "--verbose", 'v' }, { "--quiet", 'q' }, { "--help", 'h' }, { "--version", 'V' },
	};
	size_t k;

	for (k = 0; k < sizeof longs / sizeof longs[0]; k++)
		if (strcmp(a, longs[k].name) == 0)
			return longs[k].c == 'h' ? 2 : global_option(longs[k].c, NULL);
	if (strncmp(a, "--format", 8) == 0 || strncmp(a, "--timeout", 9) == 0) {
		int c = a[2] == 'f' ? 'f' : 't';
		const char *v = strchr(a, '=');

		if (v == NULL && a[c == 'f' ? 8 : 9] != '\0')
			return 0;
		if (v == NULL) {
			if (*i + 1 >= argc) {
				usage_error(NULL, "option '%s' needs an argument", a);
				return -1;
			}
			v = argv[++*i];
		} else {
			v++;
		}
		return global_option(c, v);
	}
	if (a[0] != '-' || a[1] == '\0' || a[1] == '-')
		return 0;
	if (a[1] == 'f' || a[1] == 't') {
		const char *v = a[2] ? a + 2 : NULL;

		if (v == NULL) {
			if (*i + 1 >= argc) {
				usage_error(NULL, "option '%s' needs an argument", a);
				return -1;
			}
			v = argv[++*i];
		}
		return global_option(a[1], v);
	}
	if (strspn(a + 1, "jr46vqhV") != strlen(a + 1))
		return 0;
	for (k = 1; a[k]; k++) {
		if (a[k] == 'h')
			return 2;
		global_option(a[k], NULL);
	}
	return 1;
}

static int
is_kwarg(const char *a)
{
	const char *p = a + 2;

	if (strncmp(a, "--", 2) != 0 || !(isalpha((unsigned char)*p) || *p == '_'))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=';
}

/* Runs function command name with the words after it. */
static int
run_fn(const char *name, int argc, char **argv)
{
	struct call c = { name, NULL, 0, NULL, NULL, 0 };
	value *result = NULL;
	int i, status = 0, dashdash = 0;

	c.args = xcalloc((size_t)argc, sizeof *c.args);
	c.kwnames = xcalloc((size_t)argc, sizeof *c.kwnames);
	c.kwvals = xcalloc((size_t)argc, sizeof *c.kwvals);
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		value *v;
		int r;

		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && (r = take_global(argc, argv, &i)) != 0) {
			if (r < 0)
				goto fail;
			if (r == 2) {
				cli_usage(name, stdout);
				goto out;
			}
			continue;
		}
		if (!dashdash && is_kwarg(a)) {
			const char *eq = strchr(a, '=');
			size_t k;

			for (k = 0; k < c.nkw; k++)
				if (strlen(c.kwnames[k]) == (size_t)(eq - a - 2) &&
				    strncmp(c.kwnames[k], a + 2, (size_t)(eq - a - 2)) == 0) {
					usage_error(name, "keyword argument repeated: %.*s", (int)(eq - a - 2), a + 2);
					goto fail;
				}
			if ((v = parse_value(eq + 1)) == NULL)
				goto fail;
			c.kwnames[c.nkw] = xmemdup(a + 2, (size_t)(eq - a - 2));
			c.kwvals[c.nkw++] = v;
			continue;
		}
		if (!dashdash && strncmp(a, "--", 2) == 0 && a[2]) {
			usage_error(name, "unknown option '%s' (keyword arguments are --NAME=VALUE)", a);
			goto fail;
		}
		/* const is sockit's own: its words are names and patterns, never
		 * values (SPEC section 6: `const MSG_PEEK`, `const 'SO_*'`) */
		if (strcmp(name, "const") == 0) {
			v = parse_literal(a, strlen(a));	/* a quoted 'SO_*' is its text */
			if (v == NULL || v->kind != V_STR) {
				v_decref(v);
				err_clear();
				v = v_strz(a);
			}
		} else if ((v = parse_value(a)) == NULL)
			goto fail;
		c.args[c.nargs++] = v;
	}
	if (cli_run(name, 0, NULL, &c, &result) < 0)
		goto fail;
	if (out_value(result, G.fmt) < 0)
		goto fail;
	goto out;
fail:
	if (err_class() == EXC_USAGE) {
		status = err_print(0);
		cli_usage(name, stderr);
	} else {
		status = err_print(G.fmt == FMT_JSON);
	}
out:
	v_decref(result);
	for (i = 0; (size_t)i < c.nargs; i++)
		v_decref(c.args[i]);
	for (i = 0; (size_t)i < c.nkw; i++) {
		v_decref(c.kwvals[i]);
		free((char *)c.kwnames[i]);
	}
	free(c.args);
	free(c.kwnames);
	free(c.kwvals);
	return status;
}

int
main(int argc, char **argv)
{
	const char *cmd;
	int i, r, status, is_fn = 0;

	signal(SIGPIPE, SIG_IGN);
	for (i = 1; i < argc; i++) {
		if ((r = take_global(argc, argv, &i)) == 0)
			break;
		if (r < 0) {
			status = err_print(0);
			fputs("usage: sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n", stderr);
			return status;
		}
		if (r == 2) {
			cli_print_help();
			return out_flush() < 0 ? err_print(0) : 0;
		}
	}
	if (i >= argc) {
		fputs("sockit: no command given\n"
		    "usage: sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n"
		    "'sockit help' lists the commands.\n", stderr);
		return 2;
	}
	cmd = argv[i];
	if (strcmp(cmd, "__complete") == 0)
		return cli_complete(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "__addr") == 0) {	/* hidden: address round trip, for tests */
		value *v = addr_roundtrip(argc - i - 1, argv + i + 1);

		status = v == NULL || out_value(v, G.fmt) < 0 || out_flush() < 0 ?
		    err_print(G.fmt == FMT_JSON) : 0;
		v_decref(v);
		return status;
	}
	if (strcmp(cmd, "__synopsis") == 0)
		return cli_synopsis(i + 1 < argc ? argv[i + 1] : NULL);
	if (strcmp(cmd, "__value") == 0 && i + 2 == argc) {	/* the literal parser, for tests */
		value *v = parse_value(argv[i + 1]);

		status = v == NULL || out_value(v, G.fmt) < 0 || out_flush() < 0 ?
		    err_print(G.fmt == FMT_JSON) : 0;
		v_decref(v);
		return status;
	}
	if (!cli_is_command(cmd, &is_fn)) {
		usage_error(NULL, "unknown command '%s'; 'sockit help' lists them", cmd);
		status = err_print(0);
		fputs("usage: sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n", stderr);
		return status;
	}
	if (is_fn) {
		status = run_fn(cmd, argc - i - 1, argv + i + 1);
	} else {
		status = cli_run(cmd, argc - i, argv + i, NULL, NULL);
		if (status < 0) {
			int usage = err_class() == EXC_USAGE;

			status = err_print(!usage && G.fmt == FMT_JSON);
			if (usage)
				cli_usage(cmd, stderr);
		}
	}
	if (out_flush() < 0)
		status = err_print(G.fmt == FMT_JSON);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("sockit: stdout");
		status = 1;
	}
	if (cli_signal && status == cli_signal_status()) {
		/* cleaned up: now end by the signal itself, so that a calling
		 * shell sees it and stops its loop too (status 130/143) */
		end_by_signal(cli_signal);
	}
	return status;
}
