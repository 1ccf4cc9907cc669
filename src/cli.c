/* cli.c - global options, option specs -> getopt_long, usage and help. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "call.h"
#include "cli.h"
#include "core/consts.h"
#include "core/sock.h"
#include "error.h"

struct globals G = { FMT_PY, AF_UNSPEC, 0, 0, -1.0 };

enum { OPT_JSON = 'j', OPT_RAW = 'r' };

const struct optspec global_opts[] = {
	{ "format", required_argument, 'f', "FMT", "output format: py (default), json, raw" },
	{ "json", no_argument, 'j', NULL, "same as --format=json" },
	{ "raw", no_argument, 'r', NULL, "same as --format=raw" },
	{ "timeout", required_argument, 't', "SEC", "default socket timeout (setdefaulttimeout); 0 is non-blocking" },
	{ "ipv4", no_argument, '4', NULL, "resolve names to IPv4 only" },
	{ "ipv6", no_argument, '6', NULL, "resolve names to IPv6 only" },
	{ "verbose", no_argument, 'v', NULL, "more diagnostics on stderr" },
	{ "quiet", no_argument, 'q', NULL, "fewer diagnostics on stderr" },
	{ "help", no_argument, 'h', NULL, "show usage and exit" },
	{ "version", no_argument, 'V', NULL, "show the version and exit" },
	{ NULL, 0, 0, NULL, NULL }
};

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

int
cli_number(const char *cmd, const char *opt, const char *s, double *d)
{
	char *end;

	errno = 0;
	*d = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno || *d != *d) {
		usage_error(cmd, "option %s: not a number: '%s'", opt, s);
		return -1;
	}
	return 0;
}

int
cli_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi) {
		usage_error(cmd, "option %s: expected an integer from %ld to %ld, not '%s'", opt, lo, hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
global_option(int c, const char *arg)
{
	switch (c) {
	case 'f':
		if (strcmp(arg, "py") == 0)
			G.fmt = FMT_PY;
		else if (strcmp(arg, "json") == 0)
			G.fmt = FMT_JSON;
		else if (strcmp(arg, "raw") == 0)
			G.fmt = FMT_RAW;
		else {
			usage_error(NULL, "unknown format '%s' (py, json or raw)", arg);
			return -1;
		}
		return 1;
	case 'j': G.fmt = FMT_JSON; return 1;
	case 'r': G.fmt = FMT_RAW; return 1;
	case 't': {
		double d;

		if (cli_number(NULL, "--timeout", arg, &d) < 0)
			return -1;
		if (d < 0) {
			usage_error(NULL, "option --timeout: must be 0 or more, not '%s'", arg);
			return -1;
		}
		G.timeout_set = 1;
		G.timeout = d;
		sock_default_timeout = d;
		return 1;
	}
	case '4': G.family = AF_INET; return 1;
	case '6': G.family = AF_INET6; return 1;
	case 'v': G.verbose++; return 1;
	case 'q': G.verbose--; return 1;
	case 'V':
		printf("sockit %s\n", SOCKIT_VERSION);
		exit(0);
	}
	return 0;
}

static int
spec_count(const struct optspec *s)
{
	int n = 0;

	while (s && s[n].name)
		n++;
	return n;
}

/* Does the command's spec list take this global option's name or letter? */
static int
shadowed(const struct optspec *specs, const struct optspec *g)
{
	int i;

	for (i = 0; specs && specs[i].name; i++)
		if (strcmp(specs[i].name, g->name) == 0 || specs[i].val == g->val)
			return 1;
	return 0;
}

/* Is c one of the command's own option values? */
static int
own_option(const struct optspec *specs, int c)
{
	int i;

	for (i = 0; specs && specs[i].name; i++)
		if (specs[i].val == c)
			return 1;
	return 0;
}

#define GLOBAL_LONG 0x1000	/* global long options come back as this | letter */

int
cli_getopt(int argc, char **argv, const char *cmd, const struct optspec *specs)
{
	static const struct optspec *built_for;
	static struct option *longopts;
	static char optstring[256];
	int c, idx = -1;

	if (built_for != specs || longopts == NULL) {
		int ns = spec_count(specs), ng = spec_count(global_opts), k = 0, i;
		size_t o = 0;

		free(longopts);
		longopts = xcalloc((size_t)(ns + ng) + 1, sizeof *longopts);
		optstring[o++] = ':';
		for (i = 0; i < ns + ng; i++) {
			const struct optspec *s = i < ns ? &specs[i] : &global_opts[i - ns];
			int global = i >= ns;

			if (global && shadowed(specs, s) && own_option(specs, s->val)) {
				/* the letter is the command's; keep the long name */
				int j, taken = 0;

				for (j = 0; j < ns; j++)
					taken |= strcmp(specs[j].name, s->name) == 0;
				if (taken)
					continue;
			} else if (global && s->val < 256 && o + 3 < sizeof optstring) {
				optstring[o++] = (char)s->val;
				if (s->has_arg == required_argument)
					optstring[o++] = ':';
			}
			longopts[k].name = s->name;
			longopts[k].has_arg = s->has_arg;
			longopts[k].val = global ? GLOBAL_LONG | s->val : s->val;
			k++;
			if (!global && s->val > 0 && s->val < 256 && o + 3 < sizeof optstring) {
				optstring[o++] = (char)s->val;
				if (s->has_arg == required_argument)
					optstring[o++] = ':';
			}
		}
		optstring[o] = '\0';
		built_for = specs;
	}
	for (;;) {
		int r;

		opterr = 0;
		c = getopt_long(argc, argv, optstring, longopts, &idx);
		if (c == -1)
			return -1;
		if (c == '?') {
			if (optopt > 0 && optopt < 256)
				usage_error(cmd, "unknown option '-%c'", optopt);
			else
				usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
			return '?';
		}
		if (c == ':') {
			usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
			return '?';
		}
		if (c < GLOBAL_LONG && own_option(specs, c))
			return c;
		c &= ~GLOBAL_LONG;
		if (c == 'h') {
			cli_usage(cmd, stdout);
			exit(0);
		}
		r = global_option(c, optarg);
		if (r < 0)
			return '?';
		if (r == 0)
			return c;
	}
}

/* ---- the command table: usage, help, completion ---------------------------- */

struct cmdinfo {
	const char *name, *synopsis, *summary;
	int is_fn;
	const struct optspec *opts;
	fn_handler *fn;
	int (*task)(int argc, char **argv);
};

static const struct cmdinfo cmdtab[] = {
#define FN(name, sig, summary) { #name, sig, summary, 1, NULL, fn_##name, NULL },
#define TASK(id, name, synopsis, summary) { name, synopsis, summary, 0, cmd_##id##_opts, NULL, cmd_##id },
#include "commands.def"
#undef FN
#undef TASK
};
#define NCMDS (sizeof cmdtab / sizeof cmdtab[0])

static const struct cmdinfo *
find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmdtab[i].name, name) == 0)
			return &cmdtab[i];
	return NULL;
}

/* The command-line form of a Python signature: "getaddrinfo(host, port,
 * family=0)" -> "getaddrinfo HOST PORT [FAMILY]"; keyword-only parameters
 * become [--name=VALUE]. */
static void
fn_synopsis(struct buf *b, const char *sig)
{
	const char *p = strchr(sig, '('), *end;
	int kwonly = 0, opt_depth = 0;

	if (p == NULL) {
		buf_puts(b, sig);
		return;
	}
	buf_put(b, sig, (size_t)(p - sig));
	end = strrchr(sig, ')');
	p++;
	while (p < end) {
		const char *q = p, *eq;
		char name[64];
		size_t n;

		while (q < end && *q != ',')
			q++;
		while (*p == ' ' || *p == '[')
			p++;
		eq = memchr(p, '=', (size_t)(q - p));
		n = (size_t)((eq ? eq : q) - p);
		while (n && (p[n - 1] == ' ' || p[n - 1] == ']'))
			n--;
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcmp(name, "*") == 0) {
			kwonly = 1;
		} else if (n) {
			size_t k;

			if (kwonly) {
				buf_printf(b, " [--%s=VALUE]", name);
			} else {
				buf_puts(b, eq || strchr(sig, '[') ? " [" : " ");
				for (k = 0; k < n; k++)
					buf_putc(b, toupper((unsigned char)name[k]));
				if (eq || strchr(sig, '['))
					opt_depth++;
			}
		}
		p = q + 1;
	}
	while (opt_depth-- > 0)
		buf_putc(b, ']');
}

static void
print_opts(FILE *f, const struct optspec *o)
{
	for (; o && o->name; o++) {
		char left[64];

		if (o->val > 0 && o->val < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->val, o->name,
			    o->argname ? " " : "", o->argname ? o->argname : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
			    o->argname ? "=" : "", o->argname ? o->argname : "");
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
}

void
cli_usage(const char *cmd, void *fp)
{
	FILE *f = fp;
	const struct cmdinfo *ci = find_cmd(cmd);
	struct buf b = { 0 };

	if (ci == NULL)
		return;
	if (ci->is_fn) {
		fn_synopsis(&b, ci->synopsis);
		fprintf(f, "usage: sockit [GLOBAL OPTIONS] %s\n", b.p);
		fprintf(f, "Python: socket.%s\n%s.\n", ci->synopsis, ci->summary);
		fputs("Arguments are Python literals, constant names joined by '|', or bare words;\n"
		    "keyword arguments are --NAME=VALUE.  See sockit-functions(1).\n", f);
	} else {
		fprintf(f, "usage: sockit [GLOBAL OPTIONS] %s\n%s.\n", ci->synopsis, ci->summary);
		if (ci->opts && ci->opts->name) {
			fputs("Options:\n", f);
			print_opts(f, ci->opts);
		}
	}
	free(b.p);
}

static void
print_help(FILE *f)
{
	size_t i;

	fputs("usage: sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n"
	    "Python's socket module on the command line.\n\nTask commands:\n", f);
	for (i = 0; i < NCMDS; i++)
		if (!cmdtab[i].is_fn)
			fprintf(f, "  %-20s %s\n", cmdtab[i].name, cmdtab[i].summary);
	fputs("\nFunction commands (socket module functions; see sockit-functions(1)):\n", f);
	for (i = 0; i < NCMDS; i++)
		if (cmdtab[i].is_fn)
			fprintf(f, "  %-20s %s\n", cmdtab[i].name, cmdtab[i].summary);
	fputs("\nGlobal options (before or after the command):\n", f);
	print_opts(f, global_opts);
	fputs("\n'sockit help COMMAND' or 'sockit COMMAND --help' shows a command's usage.\n", f);
}

const struct optspec cmd_help_opts[] = { { NULL, 0, 0, NULL, NULL } };

int
cmd_help(int argc, char **argv)
{
	int c;

	while ((c = cli_getopt(argc, argv, "help", cmd_help_opts)) != -1)
		if (c == '?')
			return -1;
	if (optind >= argc) {
		print_help(stdout);
		return 0;
	}
	if (find_cmd(argv[optind]) == NULL) {
		usage_error("help", "unknown command '%s'", argv[optind]);
		return -1;
	}
	cli_usage(argv[optind], stdout);
	return 0;
}

fn_handler *
fn_lookup(const char *name)
{
	const struct cmdinfo *ci = find_cmd(name);

	return ci && ci->is_fn && strcmp(name, "const") != 0 && strcmp(name, "has_ipv6") != 0
	    ? ci->fn : NULL;
}

int
cli_run(const char *name, int argc, char **argv, struct call *c, value **result)
{
	const struct cmdinfo *ci = find_cmd(name);

	if (ci == NULL) {
		usage_error(NULL, "unknown command '%s'; 'sockit help' lists them", name);
		return -1;
	}
	if (ci->is_fn) {
		*result = ci->fn(c);
		return *result ? 0 : -1;
	}
	optind = 1;
	return ci->task(argc, argv);
}

int
cli_is_command(const char *name, int *is_fn)
{
	const struct cmdinfo *ci = find_cmd(name);

	if (ci && is_fn)
		*is_fn = ci->is_fn;
	return ci != NULL;
}

void
cli_print_help(void)
{
	print_help(stdout);
}

/* sockit __synopsis [COMMAND]: the SYNOPSIS lines the man pages carry, one
 * per command (or the one command), for the drift test. */
int
cli_synopsis(const char *cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++) {
		struct buf b = { 0 };

		if (cmd && strcmp(cmd, cmdtab[i].name) != 0)
			continue;
		if (cmdtab[i].is_fn)
			fn_synopsis(&b, cmdtab[i].synopsis);
		else
			buf_puts(&b, cmdtab[i].synopsis);
		printf("sockit %s\n", b.p);
		free(b.p);
	}
	return 0;
}

static void
complete_word(const char *w, const char *cur)
{
	if (strncmp(w, cur, strlen(cur)) == 0)
		printf("%s\n", w);
}

static void
complete_opts(const struct optspec *o, const char *cur)
{
	char tmp[80];

	for (; o && o->name; o++) {
		snprintf(tmp, sizeof tmp, "--%s%s", o->name, o->has_arg == required_argument ? "=" : "");
		complete_word(tmp, cur);
	}
}

/* sockit __complete WORD... CUR: candidates for CUR after the words. */
int
cli_complete(int argc, char **argv)
{
	const char *cur = argc > 0 ? argv[argc - 1] : "";
	const char *prev = argc > 1 ? argv[argc - 2] : "";
	const struct cmdinfo *ci = NULL;
	size_t i;
	int k;

	for (k = 0; k < argc - 1; k++) {
		if (strcmp(argv[k], "-f") == 0 || strcmp(argv[k], "-t") == 0) {
			k++;
			continue;
		}
		if (argv[k][0] != '-' && (ci = find_cmd(argv[k])) != NULL)
			break;
	}
	if (strcmp(prev, "-f") == 0 || strcmp(prev, "--format") == 0) {
		complete_word("py", cur);
		complete_word("json", cur);
		complete_word("raw", cur);
		return 0;
	}
	if (cur[0] == '-') {
		complete_opts(global_opts, cur);
		if (ci && ci->opts)
			complete_opts(ci->opts, cur);
		if (ci && ci->is_fn) {
			const char *p = strchr(ci->synopsis, '(');

			while (p && *p && *p != ')') {
				char name[64], tmp[80];
				size_t n;

				p += strspn(p, "(, *[]");
				n = strcspn(p, "=,)[]");
				if (n == 0 || n >= sizeof name)
					break;
				memcpy(name, p, n);
				name[n] = '\0';
				snprintf(tmp, sizeof tmp, "--%s=", name);
				complete_word(tmp, cur);
				p += n;
				p += strcspn(p, ",)");
			}
		}
		return 0;
	}
	if (ci == NULL || strcmp(ci->name, "help") == 0) {
		for (i = 0; i < NCMDS; i++)
			complete_word(cmdtab[i].name, cur);
		return 0;
	}
	if (ci->is_fn && cur[0] && isupper((unsigned char)cur[0]))
		for (i = 0; i < konst_count; i++)
			complete_word(konst_table[i].name, cur);
	return 0;
}
