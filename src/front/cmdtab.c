/* cmdtab.c - the command table (task commands from front/commands.def,
 * function commands from the runtime's registry): lookup, dispatch, help,
 * usage, synopsis lines, usage errors, and function keyword specs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "error.h"
#include "json.h"
#include "front/cmdtab.h"
#include "front/front.h"

const struct task task_table[] = {
#define TASK(id, name, synopsis, summary) \
	{ name, synopsis, summary, cmd_##id##_opts, cmd_##id },
#include "front/commands.def"
#undef TASK
};
const size_t task_count = sizeof task_table / sizeof task_table[0];

const struct task *
task_find(const char *name)
{
	size_t i;

	for (i = 0; i < task_count; i++)
		if (strcmp(task_table[i].name, name) == 0)
			return &task_table[i];
	return NULL;
}

int
front_is_command(const char *name, int *is_fn)
{
	int fn = fn_find(name) != NULL;

	if (is_fn)
		*is_fn = fn;
	return fn || task_find(name) != NULL;
}

int
front_run_task(const char *name, int argc, char **argv)
{
	const struct task *t = task_find(name);

	return t ? t->run(argc, argv) : -1;
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
			else if (stars == 0 && !pa.has_default && *p &&
			    *p != ')')
				p++;	/* not a parameter: skip the
					 * character */
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

		if (pa->kind != P_POS && pa->kind != P_OPT &&
		    pa->kind != P_VARARGS)
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
			buf_printf(b, " [--%.*s=VALUE]", (int)pa->len,
			    pa->name);
		else if (pa->kind == P_VARKW)
			buf_puts(b, " [--NAME=VALUE...]");
	}
}

/* The option lines of a usage text, one per spec. */
static void
print_opts(FILE *f, const struct opt *o)
{
	for (; o && o->name; o++) {
		char left[64];

		if (o->flags & OPTF_OPTARG)
			snprintf(left, sizeof left, "    --%s[=%s]", o->name,
			    o->arg);
		else if (o->letter)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->letter,
			    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
			    o->arg ? "=" : "", o->arg ? o->arg : "");
		/* a long left column gets the help on its own line */
		if (strlen(left) > 26)
			fprintf(f, "  %s\n  %-26s %s\n", left, "", o->help);
		else
			fprintf(f, "  %-26s %s\n", left, o->help);
	}
}

/* The one-line synopsis of cmd, as usage lines give it: "sockit [GLOBAL
 * OPTIONS] connect [OPTIONS] ADDRESS". */
static void
front_synopsis_line(struct buf *b, const char *cmd)
{
	const struct fninfo *fi = fn_find(cmd);
	const struct task *t = task_find(cmd);

	buf_puts(b, "sockit [GLOBAL OPTIONS] ");
	if (fi)
		fn_synopsis(b, fi->sig);
	else if (t)
		buf_puts(b, t->synopsis);
	else
		buf_puts(b, "COMMAND [ARGUMENTS] [OPTIONS]");
}

void
front_usage(const char *cmd, FILE *f)
{
	const struct fninfo *fi = fn_find(cmd);
	const struct task *t = task_find(cmd);
	struct buf b = { 0 };

	if (fi) {
		fn_synopsis(&b, fi->sig);
		fprintf(f, "usage: sockit [GLOBAL OPTIONS] %s\n", b.p);
		fprintf(f, "Python: socket.%s\n%s.\n", fi->sig, fi->summary);
		fputs("Arguments are Python literals, "
		    "constant names joined by '|', or bare words;\n"
		    "keyword arguments are --NAME=VALUE or --NAME VALUE.  "
		    "See sockit-functions(1).\n", f);
	} else if (t) {
		fprintf(f, "usage: sockit [GLOBAL OPTIONS] %s\n%s.\n",
		    t->synopsis, t->summary);
		if (t->opts && t->opts->name) {
			fputs("Options:\n", f);
			print_opts(f, t->opts);
		}
	}
	free(b.p);
}

void
front_help(FILE *f)
{
	size_t i;

	fputs("usage: sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]\n"
	    "Python's socket module on the command line.\n\nTask commands:\n",
	    f);
	for (i = 0; i < task_count; i++)
		fprintf(f, "  %-20s %s\n", task_table[i].name,
		    task_table[i].summary);
	fputs("\nFunction commands (socket module functions; "
	    "see sockit-functions(1)):\n", f);
	for (i = 0; i < fn_count; i++)
		fprintf(f, "  %-20s %s\n", fn_table[i].name,
		    fn_table[i].summary);
	fputs("\nGlobal options (before or after the command):\n", f);
	print_opts(f, global_opts);
	fputs("\n'sockit help COMMAND' or 'sockit COMMAND --help' shows a command's usage.\n", f);
}

/* sockit __synopsis [COMMAND]: the SYNOPSIS lines the man pages carry, one
 * per command (or the one command), for the drift test. */
int
front_synopsis(const char *cmd)
{
	size_t i;
	struct buf b = { 0 };

	for (i = 0; i < fn_count + task_count; i++) {
		const char *name = i < fn_count ? fn_table[i].name :
		    task_table[i - fn_count].name;

		if (cmd && strcmp(cmd, name) != 0)
			continue;
		b.len = 0;
		buf_puts(&b, "sockit ");
		if (i < fn_count)
			fn_synopsis(&b, fn_table[i].sig);
		else
			buf_puts(&b, task_table[i - fn_count].synopsis);
		buf_putc(&b, '\n');
		fwrite(b.p, 1, b.len, stdout);
	}
	free(b.p);
	return 0;
}

int
front_usage_error(const char *cmd, int json)
{
	struct pyerr e = err_fetch();
	const char *msg = e.msg ? e.msg : "";
	size_t n = cmd ? strlen(cmd) : 0;
	struct buf syn = { 0 }, out = { 0 };

	/* the message names the command once, whoever set it */
	if (cmd && strncmp(msg, cmd, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		msg += n + 2;
	front_synopsis_line(&syn, cmd ? cmd : "");
	if (json) {
		value *m = v_strz(msg), *u = v_strz(syn.p);
		struct jw w;

		jw_init(&w, &out, JW_JSON);
		jw_open_obj(&w);
		jw_key(&w, "exception");
		jw_strz(&w, "usage");
		jw_key(&w, "command");
		if (cmd)
			jw_strz(&w, cmd);
		else
			jw_null(&w);
		jw_key(&w, "message");
		jw_value(&w, m);
		jw_key(&w, "usage");
		jw_value(&w, u);
		jw_close_obj(&w);
		buf_putc(&out, '\n');
		v_decref(m);
		v_decref(u);
	} else {
		if (cmd)
			buf_printf(&out, "sockit: %s: %s\n", cmd, msg);
		else
			buf_printf(&out, "sockit: %s\n", msg);
		buf_printf(&out, "usage: %s\n", syn.p);
		if (cmd)
			buf_printf(&out,
			    "Try 'sockit help %s' for the options.\n", cmd);
		else
			buf_puts(&out,
			    "Try 'sockit help' for the commands and options.\n");
	}
	fflush(stdout);
	fwrite(out.p, 1, out.len, stderr);
	fflush(stderr);
	free(out.p);
	free(syn.p);
	free(e.msg);
	free(e.filename);
	return 2;
}

/* The keyword specs of a function: one OPT_KW per parameter CPython takes
 * by keyword (keyword-only, or with a default and not positional-only). */
const struct opt *
front_kw_specs(const char *name)
{
	static struct opt specs[MAXPARAMS + 1];
	static char names[MAXPARAMS][64];
	const struct fninfo *fi = fn_find(name);
	struct param ps[MAXPARAMS];
	int n = fi ? sig_params(fi->sig, ps, MAXPARAMS) : 0, i, k = 0;

	for (i = 0; i < n; i++) {
		const struct param *pa = &ps[i];

		if (pa->posonly || pa->kind == P_VARARGS ||
		    pa->kind == P_VARKW ||
		    (pa->kind == P_POS && !pa->has_default) ||
		    pa->len >= sizeof names[k])
			continue;
		memcpy(names[k], pa->name, pa->len);
		names[k][pa->len] = '\0';
		specs[k] = (struct opt){ .name = names[k], .type = OPT_KW,
		    .arg = "VALUE", .comp = COMP_CONST,
		    .help = "keyword argument" };
		k++;
	}
	specs[k] = (struct opt){ .name = NULL };
	return specs;
}
