/* cli.c - global options, option specs -> getopt_long, usage and help. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netdb.h>
#include <signal.h>

#include "call.h"
#include "cli.h"
#include "core/consts.h"
#include "core/sock.h"
#include "error.h"

struct globals G = { FMT_PY, AF_UNSPEC, 0, 0, -1.0 };
volatile sig_atomic_t cli_signal;
static volatile sig_atomic_t signals_fatal;

static void
on_stop_signal(int sig)
{
	cli_signal = sig;
	if (signals_fatal)	/* in getaddrinfo, which retries EINTR: end now */
		end_by_signal(sig);
}

int
cli_getaddrinfo(const char *host, const char *port, const struct addrinfo *hints,
    struct addrinfo **res)
{
	int r;

	signals_fatal = 1;
	if (cli_signal)
		end_by_signal(cli_signal);
	r = getaddrinfo(host, port, hints, res);
	signals_fatal = 0;
	return r;
}

void
cli_catch_signals(void)
{
	struct sigaction sa, hup;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a hang-up cleans up as SIGTERM does, unless ignored (nohup) */
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
}

int
cli_signal_status(void)
{
	return cli_signal ? 128 + cli_signal : 130;	/* 130, 143, 129 (SIGHUP) */
}

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

/* One parameter of a Python signature. */
struct param {
	const char *name;	/* not NUL-terminated */
	size_t len;
	enum { P_POS, P_OPT, P_KWREQ, P_KWOPT, P_VARARGS, P_VARKW } kind;
	int has_default;
	int posonly;		/* before a '/', or in docs-style [brackets] */
};

/* Skips a default value (a Python expression) at p: up to the ',' ')' or
 * ']' that ends it at nesting depth 0.  Returns the end. */
static const char *
skip_default(const char *p)
{
	int depth = 0, quote = 0;

	for (; *p; p++) {
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if (*p == ')' || *p == ']' || *p == '}') {
			if (depth == 0)
				break;
			depth--;
		} else if (*p == ',' && depth == 0) {
			break;
		}
	}
	return p;
}

/* Parses the parameter list of a Python signature ("f(a, b=1, *, c=2)",
 * docs style "f(a[, b])", "/" and "*args", "**kw" too) into ps[] (at most
 * max).  Returns the number of parameters, or -1 when sig has no list. */
static int
sig_params(const char *sig, struct param *ps, int max)
{
	const char *p = strchr(sig, '(');
	int n = 0, kwonly = 0, bracket = 0, i;

	if (p == NULL)
		return -1;
	for (p++; *p && *p != ')';) {
		struct param pa = { NULL, 0, P_POS, 0, 0 };
		int stars = 0;

		if (*p == ' ' || *p == ',') {
			p++;
			continue;
		}
		if (*p == '[') {
			bracket++;
			p++;
			continue;
		}
		if (*p == ']') {
			if (bracket > 0)
				bracket--;
			p++;
			continue;
		}
		if (*p == '/') {
			for (i = 0; i < n; i++)
				ps[i].posonly = 1;
			p++;
			continue;
		}
		while (*p == '*') {
			stars++;
			p++;
		}
		pa.name = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		pa.len = (size_t)(p - pa.name);
		while (*p == ' ')
			p++;
		if (*p == '=') {
			pa.has_default = 1;
			p = skip_default(p + 1);
		}
		if (pa.len == 0) {
			if (stars == 1)
				kwonly = 1;
			else if (stars == 0 && !pa.has_default && *p && *p != ')')
				p++;	/* not a parameter: skip the character */
			continue;
		}
		if (stars == 1)
			pa.kind = P_VARARGS;
		else if (stars >= 2)
			pa.kind = P_VARKW;
		else if (kwonly)
			pa.kind = pa.has_default ? P_KWOPT : P_KWREQ;
		else
			pa.kind = pa.has_default || bracket ? P_OPT : P_POS;
		pa.posonly = bracket > 0;
		if (stars == 1)
			kwonly = 1;
		if (n < max)
			ps[n++] = pa;
	}
	return n;
}

#define MAXPARAMS 32

/* The command-line form of a Python signature: positional parameters in
 * capitals, optional ones nested in brackets, keyword-only ones as
 * --name=VALUE:
 *   "create_connection(address, timeout=None, source_address=None, *,
 *   all_errors=False)" -> "create_connection ADDRESS [TIMEOUT
 *   [SOURCE_ADDRESS]] [--all_errors=VALUE]"; "has_ipv6" -> "has_ipv6". */
static void
fn_synopsis(struct buf *b, const char *sig)
{
	struct param ps[MAXPARAMS];
	const char *paren = strchr(sig, '(');
	int n = sig_params(sig, ps, MAXPARAMS), i, opened = 0;
	size_t k;

	buf_put(b, sig, paren ? (size_t)(paren - sig) : strlen(sig));
	for (i = 0; i < n; i++) {
		const struct param *pa = &ps[i];

		if (pa->kind != P_POS && pa->kind != P_OPT && pa->kind != P_VARARGS)
			continue;
		buf_puts(b, pa->kind == P_POS ? " " : " [");
		for (k = 0; k < pa->len; k++)
			buf_putc(b, toupper((unsigned char)pa->name[k]));
		if (pa->kind == P_VARARGS)
			buf_puts(b, "...]");
		else if (pa->kind == P_OPT)
			opened++;
	}
	while (opened-- > 0)
		buf_putc(b, ']');
	for (i = 0; i < n; i++) {
		const struct param *pa = &ps[i];

		if (pa->kind == P_KWREQ)
			buf_printf(b, " --%.*s=VALUE", (int)pa->len, pa->name);
		else if (pa->kind == P_KWOPT)
			buf_printf(b, " [--%.*s=VALUE]", (int)pa->len, pa->name);
		else if (pa->kind == P_VARKW)
			buf_puts(b, " [--NAME=VALUE...]");
	}
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
		/* a long left column gets the help on its own line */
		if (strlen(left) > 26)
			fprintf(f, "  %s\n  %-26s %s\n", left, "", o->help);
		else
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

/* ---- sockit __complete ----------------------------------------------------- */

/* The state of one completion: the word being completed, a prefix that the
 * candidates keep ("--format=", "AI_PASSIVE|") and whether descriptions
 * follow the candidates after a TAB (for zsh and fish). */
struct comp {
	const char *cur;	/* the part of the word the candidates complete */
	const char *prefix;
	int plen;
	int describe;
};

static void
cand(const struct comp *cp, const char *w, const char *desc)
{
	if (strncmp(w, cp->cur, strlen(cp->cur)) != 0)
		return;
	printf("%.*s%s", cp->plen, cp->prefix, w);
	if (cp->describe && desc && *desc)
		printf("\t%s", desc);
	putchar('\n');
}

/* Splits cp's word after its last character from seps: what precedes it
 * becomes the prefix. */
static void
comp_split(struct comp *cp, const char *seps)
{
	const char *p, *last = NULL;

	for (p = cp->cur; *p; p++)
		if (strchr(seps, *p))
			last = p;
	if (last) {
		cp->prefix = cp->cur;
		cp->plen = (int)(last + 1 - cp->cur);
		cp->cur = last + 1;
	}
}

static void
comp_commands(const struct comp *cp)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		cand(cp, cmdtab[i].name, cmdtab[i].summary);
}

/* Constant names, after the last '|' (flags), ':' or ',' of the word. */
static void
comp_constants(struct comp *cp)
{
	size_t i;

	comp_split(cp, "|:,");
	for (i = 0; i < konst_count; i++)
		cand(cp, konst_table[i].name, NULL);
}

static void
comp_interfaces(const struct comp *cp)
{
	struct if_nameindex *ifs = if_nameindex(), *p;

	for (p = ifs; p && p->if_index; p++)
		cand(cp, p->if_name, NULL);
	if (ifs)
		if_freenameindex(ifs);
}

static void
comp_options(const struct comp *cp, const struct optspec *o)
{
	char tmp[128];

	for (; o && o->name; o++) {
		snprintf(tmp, sizeof tmp, "--%s%s", o->name,
		    o->has_arg == required_argument ? "=" : "");
		cand(cp, tmp, o->help);
	}
}

/* The argument of option o, by the name of its argument: formats,
 * interfaces, commands, constants; nothing (so the shell completes file
 * names) for FILE, PATH and every other kind. */
static void
comp_optarg(struct comp *cp, const struct optspec *o)
{
	const char *a = o->argname ? o->argname : "";

	if (o->val == 'f' && strcmp(o->name, "format") == 0) {
		cand(cp, "py", "Python repr, as CPython prints it");
		cand(cp, "json", "JSON, one document per result");
		cand(cp, "raw", "plain text for shells");
	} else if (strstr(a, "IFACE") || strstr(a, "IFNAME")) {
		comp_interfaces(cp);
	} else if (strcmp(a, "COMMAND") == 0) {
		comp_commands(cp);
	} else if (strstr(a, "LEVEL") || strstr(a, "CONST") || strstr(a, "FLAGS")) {
		if (strchr(cp->cur, '=') == NULL)
			comp_constants(cp);
	}
}

/* The option spec of o's long name (name, namelen) or short letter in specs
 * or the global options; NULL when there is none. */
static const struct optspec *
find_opt(const struct optspec *specs, const char *name, size_t namelen, int letter)
{
	const struct optspec *lists[2] = { specs, global_opts }, *o;
	int l;

	for (l = 0; l < 2; l++)
		for (o = lists[l]; o && o->name; o++)
			if (letter ? o->val == letter :
			    strlen(o->name) == namelen && strncmp(o->name, name, namelen) == 0)
				return o;
	return NULL;
}

/* Is word an option that takes the next word as its argument?  Returns the
 * option's spec then, NULL otherwise. */
static const struct optspec *
needs_arg(const char *w, const struct optspec *specs)
{
	const struct optspec *o;

	if (w[0] != '-' || w[1] == '\0' || strcmp(w, "--") == 0)
		return NULL;
	if (w[1] == '-') {
		if (strchr(w, '='))
			return NULL;
		o = find_opt(specs, w + 2, strlen(w + 2), 0);
		return o && o->has_arg == required_argument ? o : NULL;
	}
	for (w++; *w; w++) {
		o = find_opt(specs, "", 0, (unsigned char)*w);
		if (o && o->has_arg == required_argument)
			return w[1] == '\0' ? o : NULL;
	}
	return NULL;
}

/* The first positional argument of a task command, from its synopsis:
 * "send|recv|serve" alternatives, IFACE, COMMAND. */
static void
comp_first_arg(struct comp *cp, const struct cmdinfo *ci)
{
	const char *p = ci->synopsis + strlen(ci->name);
	char word[128];
	size_t n;

	for (;;) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == 0)
			return;
		if (strncmp(p, "[OPTIONS]", n) != 0)
			break;
		p += n;
	}
	if (n >= sizeof word)
		return;
	memcpy(word, p, n);
	word[n] = '\0';
	if (strchr(word, '|') && islower((unsigned char)word[0])) {
		char *w, *save = NULL;

		for (w = strtok_r(word, "|", &save); w; w = strtok_r(NULL, "|", &save))
			cand(cp, w, NULL);
	} else if (strstr(word, "IFACE")) {
		comp_interfaces(cp);
	} else if (strcmp(word, "COMMAND") == 0 || strcmp(word, "[COMMAND]") == 0) {
		comp_commands(cp);
	}
}

/* Keyword arguments of a function command: --NAME= for the parameters that
 * CPython accepts by keyword (keyword-only, or with a default and not
 * positional-only). */
static void
comp_kwargs(const struct comp *cp, const struct cmdinfo *ci)
{
	struct param ps[MAXPARAMS];
	int n = sig_params(ci->synopsis, ps, MAXPARAMS), i;
	char tmp[128];

	for (i = 0; i < n; i++) {
		const struct param *pa = &ps[i];

		if (pa->posonly || pa->kind == P_VARARGS || pa->kind == P_VARKW ||
		    (pa->kind == P_POS && !pa->has_default))
			continue;
		snprintf(tmp, sizeof tmp, "--%.*s=", (int)pa->len, pa->name);
		cand(cp, tmp, "keyword argument");
	}
}

/* sockit __complete [--describe] WORD... CUR: the candidates for CUR, the
 * word being completed, after the words before it on the command line
 * (without "sockit"), one per line; with --describe, each followed by a TAB
 * and a description when there is one.  No candidates means: let the shell
 * complete file names. */
int
cli_complete(int argc, char **argv)
{
	struct comp cp = { "", "", 0, 0 };
	const struct cmdinfo *ci = NULL;
	const struct optspec *pending = NULL, *specs;
	int i, npos = 0, dashdash = 0;

	if (argc > 1 && strcmp(argv[0], "--describe") == 0) {
		cp.describe = 1;
		argc--;
		argv++;
	}
	if (argc < 1)
		return 0;
	cp.cur = argv[argc - 1];
	/* global options, then the command */
	for (i = 0; i < argc - 1; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			if ((pending = needs_arg(argv[i], NULL)) != NULL && ++i < argc - 1)
				pending = NULL;
			continue;
		}
		if ((ci = find_cmd(argv[i])) == NULL)
			return 0;	/* not a command: nothing to offer */
		break;
	}
	specs = ci ? ci->opts : NULL;
	/* the words after the command */
	for (i++; ci && i < argc - 1; i++) {
		const char *w = argv[i];

		if (pending)
			pending = NULL;
		else if (dashdash || w[0] != '-' || w[1] == '\0')
			npos++;
		else if (strcmp(w, "--") == 0)
			dashdash = 1;
		else
			pending = needs_arg(w, specs);
	}
	if (pending) {
		comp_optarg(&cp, pending);
		return 0;
	}
	if (!dashdash && cp.cur[0] == '-') {
		const char *eq = strchr(cp.cur, '=');

		if (strncmp(cp.cur, "--", 2) == 0 && eq) {
			const struct optspec *o = find_opt(specs, cp.cur + 2,
			    (size_t)(eq - cp.cur - 2), 0);

			if (o && o->has_arg == required_argument) {
				comp_split(&cp, "=");
				comp_optarg(&cp, o);
			} else if (ci && ci->is_fn && o == NULL) {
				comp_split(&cp, "=");
				comp_constants(&cp);
			}
			return 0;
		}
		comp_options(&cp, global_opts);
		if (ci && ci->is_fn)
			comp_kwargs(&cp, ci);
		else if (ci)
			comp_options(&cp, ci->opts);
		return 0;
	}
	if (ci == NULL) {
		comp_commands(&cp);
	} else if (ci->is_fn) {
		if (isupper((unsigned char)cp.cur[0]) || strchr(cp.cur, '|'))
			comp_constants(&cp);
	} else if (npos == 0 && !dashdash) {
		comp_first_arg(&cp, ci);
	}
	return 0;
}
