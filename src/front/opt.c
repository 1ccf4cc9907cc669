/* opt.c - the one option engine (opt.h): typed specs -> getopt_long's
 * tables, then conversion, ranges, conflicts, requirements, subcommands. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/resolve.h"
#include "core/sock.h"
#include "error.h"
#include "front/front.h"
#include "parse.h"

struct globals G = { FMT_PY, AF_UNSPEC, 0, 0, -1.0, 0 };

/* -t SEC: setdefaulttimeout's conversion and its errors (CPython's texts
 * for the numbers it refuses). */
static int
set_timeout(void *field, const char *arg, const char *opt)
{
	char *end;
	double d, *dst = field;
	value *v;
	int r;

	errno = 0;
	d = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0') {	/* nan goes on to CPython's
						 * ValueError */
		usage_error(NULL, "option %s: not a number: '%s'", opt, arg);
		return -1;
	}
	if (d < 0) {
		usage_error(NULL, "option %s: must be 0 or more, not '%s'", opt,
		    arg);
		return -1;
	}
	v = v_float(d);
	r = sock_parse_timeout(v, dst);
	v_decref(v);
	if (r < 0)
		return -1;
	G.timeout_set = 1;
	sock_default_timeout = *dst;
	return 0;
}

static const char *const formats[] = { "py", "json", "raw", NULL };
static const char *const format_help[] = {
	"Python repr, as CPython prints it", "JSON, one document per result",
	"plain text for shells", NULL
};

const struct opt global_opts[] = {
	{ .name = "format", .letter = 'f', .type = OPT_CHOICE,
	  OPTDST(struct globals, fmt),
	  .arg = "FMT", .choices = formats, .choice_help = format_help,
	  .comp = COMP_CHOICE,
	  .help = "output format: py (default), json, raw" },
	{ .name = "json", .letter = 'j', .type = OPT_SET,
	  OPTDST(struct globals, fmt),
	  .lo = FMT_JSON, .help = "same as --format=json" },
	{ .name = "raw", .letter = 'r', .type = OPT_SET,
	  OPTDST(struct globals, fmt),
	  .lo = FMT_RAW, .help = "same as --format=raw" },
	{ .name = "timeout", .letter = 't', .type = OPT_FN,
	  OPTDST(struct globals, timeout),
	  .arg = "SEC", .fn = set_timeout,
	  .help =
	  "default socket timeout (setdefaulttimeout); 0 is non-blocking" },
	{ .name = "ipv4", .letter = '4', .type = OPT_SET,
	  OPTDST(struct globals, family),
	  .lo = AF_INET, .help = "resolve names to IPv4 only" },
	{ .name = "ipv6", .letter = '6', .type = OPT_SET,
	  OPTDST(struct globals, family),
	  .lo = AF_INET6, .help = "resolve names to IPv6 only" },
	{ .name = "verbose", .letter = 'v', .type = OPT_ADD,
	  OPTDST(struct globals, verbose),
	  .lo = 1, .flags = OPTF_REPEAT, .help = "more diagnostics on stderr" },
	{ .name = "quiet", .letter = 'q', .type = OPT_ADD,
	  OPTDST(struct globals, verbose),
	  .lo = -1, .flags = OPTF_REPEAT,
	  .help = "fewer diagnostics on stderr" },
	{ .name = "help", .letter = 'h', .type = OPT_HELP,
	  .help = "show usage and exit" },
	{ .name = "version", .letter = 'V', .type = OPT_VERSION,
	  .help = "show the version and exit" },
	{ .name = NULL }
};

int
opt_has_arg(const struct opt *o)
{
	if (o->flags & OPTF_OPTARG)
		return 0;	/* never the next word */
	switch (o->type) {
	case OPT_FLAG: case OPT_SET: case OPT_ADD: case OPT_HELP:
	case OPT_VERSION:
		return 0;
	default:
		return 1;
	}
}

/* ---- the table of one parse ---------------------------------------------- */

#define MAXSPECS 96
#define LONGBASE 0x100	/* getopt_long's val for spec i: LONGBASE + i */

struct table {
	const struct opt *spec[MAXSPECS];
	void *obj[MAXSPECS];
	int letter[MAXSPECS];		/* the short letter in effect, 0:
					 * none */
	char seen[MAXSPECS];
	char given[MAXSPECS][48];	/* as the user spelled it, for
					 * messages */
	int n;
	struct option longopts[2 * MAXSPECS + 1];
	char optstring[2 * MAXSPECS + 4];
};

/* An empty table (not zeroed as a whole: only what is read before it is
 * written, which keeps a one-shot command's start-up cheap). */
static struct table *
table_new(void)
{
	struct table *t = xmalloc(sizeof *t);

	t->n = 0;
	memset(t->seen, 0, sizeof t->seen);
	return t;
}

static int
spec_named(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->spec[i]->name, name) == 0)
			return i;
	return -1;
}

static int
spec_lettered(const struct table *t, int letter)
{
	int i;

	for (i = 0; letter && i < t->n; i++)
		if (t->letter[i] == letter)
			return i;
	return -1;
}

/* name with '-' and '_' swapped (all_errors <-> all-errors), or NULL when
 * it has neither.  Into tmp (size n). */
static const char *
alias_of(const char *name, char *tmp, size_t n)
{
	size_t i;

	if (strcspn(name, "-_") == strlen(name) || strlen(name) >= n)
		return NULL;
	for (i = 0; name[i]; i++)
		tmp[i] = name[i] == '-' ? '_' : name[i] == '_' ? '-' : name[i];
	tmp[i] = '\0';
	return tmp;
}

/* Adds the specs of list (into obj); a global one (global set) whose long
 * name the command has is left out, and loses its letter when the command
 * has that letter. */
static void
table_add(struct table *t, const struct opt *list, void *obj, int global)
{
	for (; list && list->name && t->n < MAXSPECS; list++) {
		if (global && spec_named(t, list->name) >= 0)
			continue;
		t->spec[t->n] = list;
		t->obj[t->n] = obj;
		t->letter[t->n] = global &&
		    spec_lettered(t, list->letter) >= 0 ? 0 : list->letter;
		t->n++;
	}
}

static char aliases[MAXSPECS][64];

static void
table_build(struct table *t)
{
	int i, k = 0;
	size_t o = 0;

	t->optstring[o++] = '-';	/* positionals in order, "--" ends */
	t->optstring[o++] = ':';
	for (i = 0; i < t->n; i++) {
		const struct opt *s = t->spec[i];
		int has = s->flags & OPTF_OPTARG ? optional_argument :
		    opt_has_arg(s) ? required_argument : no_argument;
		const char *al = alias_of(s->name, aliases[i],
		    sizeof aliases[i]);

		t->longopts[k++] = (struct option){ s->name, has, NULL,
		    LONGBASE + i };
		if (al)
			t->longopts[k++] = (struct option){ al, has, NULL,
			    LONGBASE + i };
		if (t->letter[i]) {
			t->optstring[o++] = (char)t->letter[i];
			if (has)
				t->optstring[o++] = ':';
			if (has == optional_argument)
				t->optstring[o++] = ':';
		}
	}
	t->longopts[k] = (struct option){ NULL, 0, NULL, 0 };
	t->optstring[o] = '\0';
}

/* The specs whose long name (or alias) starts with the len bytes of name:
 * the index of the one exact or only match, -1 for none, -2 when it is
 * ambiguous (then *cands lists them, "--a, --b"). */
static int
match_long(const struct table *t, const char *name, size_t len,
    struct buf *cands)
{
	int i, found = -1, count = 0;

	for (i = 0; i < t->n; i++) {
		char tmp[64];
		const char *al = alias_of(t->spec[i]->name, tmp, sizeof tmp);
		const char *names[2] = { t->spec[i]->name, al };
		int j, hit = 0;

		for (j = 0; j < 2; j++) {
			if (names[j] == NULL ||
			    strncmp(names[j], name, len) != 0)
				continue;
			if (names[j][len] == '\0')
				return i;	/* exact */
			hit = 1;
		}
		if (hit) {
			if (cands)
				buf_printf(cands, "%s--%s", count ? ", " : "",
				    t->spec[i]->name);
			found = i;
			count++;
		}
	}
	return count == 1 ? found : count ? -2 : -1;
}

const struct opt *
opt_find(const struct opt *opts, const char *name, size_t namelen, int letter)
{
	struct table *t = table_new();
	const struct opt *r = NULL;
	int i;

	table_add(t, opts, NULL, 0);
	table_add(t, global_opts, NULL, 1);
	i = letter ? spec_lettered(t, letter) :
	    match_long(t, name, namelen, NULL);
	if (i >= 0)
		r = t->spec[i];
	free(t);
	return r;
}

const struct opt *
opt_needs_next(const char *w, const struct opt *specs)
{
	const struct opt *o;

	if (w[0] != '-' || w[1] == '\0' || strcmp(w, "--") == 0)
		return NULL;
	if (w[1] == '-') {
		if (strchr(w, '='))
			return NULL;
		o = opt_find(specs, w + 2, strlen(w + 2), 0);
		return o && opt_has_arg(o) ? o : NULL;
	}
	for (w++; *w; w++) {
		o = opt_find(specs, "", 0, (unsigned char)*w);
		if (o && opt_has_arg(o))
			return w[1] == '\0' ? o : NULL;
	}
	return NULL;
}

/* ---- conversions --------------------------------------------------------- */

/* The option as given: "-c" or "--count". */
static const char *
given(struct table *t, int i)
{
	return t->given[i];
}

/* An integer in base (0: C's prefixes) from lo to hi; what says what
 * was expected in the message. */
static int
conv_long(struct table *t, int i, const char *arg, int base, long lo, long hi,
    const char *what, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, base);
	if (*arg == '\0' || *end != '\0' || errno || v < lo || v > hi) {
		usage_error(NULL, "option %s: expected %s, not '%s'",
		    given(t, i), what, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static int
conv_int(struct table *t, int i, const char *arg, long *out)
{
	const struct opt *s = t->spec[i];
	char what[80];

	snprintf(what, sizeof what, "an integer from %ld to %ld", (long)s->lo,
	    (long)s->hi);
	return conv_long(t, i, arg, 0, (long)s->lo, (long)s->hi, what, out);
}

static int
conv_num(struct table *t, int i, const char *arg, double *out)
{
	const struct opt *s = t->spec[i];
	char *end;
	double d;

	errno = 0;
	d = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno || d != d) {
		usage_error(NULL, "option %s: not a number: '%s'", given(t, i),
		    arg);
		return -1;
	}
	if ((s->flags & OPTF_GT) && (d <= s->lo || d > s->hi)) {
		usage_error(NULL,
		    "option %s: must be more than %.15g%s, not '%s'",
		    given(t, i), s->lo, d > s->hi ? " and not too large" : "",
		    arg);
		return -1;
	}
	if (!(s->flags & OPTF_GT) && (d < s->lo || d > s->hi)) {
		usage_error(NULL,
		    "option %s: must be from %.15g to %.15g, not '%s'",
		    given(t, i), s->lo, s->hi, arg);
		return -1;
	}
	*out = d;
	return 0;
}

static int
conv_mode(struct table *t, int i, const char *arg, long *out)
{
	return conv_long(t, i, arg, 8, 0, 07777, "an octal mode like 0660",
	    out);
}

static int
conv_const(struct table *t, int i, const char *arg, long *out)
{
	value *v = parse_value(arg);

	if (v == NULL || !v_is_int(v)) {
		err_clear();
		usage_error(NULL,
		    "option %s: expected a constant name or a number, not '%s'",
		    given(t, i), arg);
		v_decref(v);
		return -1;
	}
	*out = (long)v_as_i64(v, NULL);
	v_decref(v);
	return 0;
}

static int
conv_choice(struct table *t, int i, const char *arg, int *out)
{
	const char *const *c = t->spec[i]->choices;
	struct buf b = { 0 };
	int k;

	for (k = 0; c[k]; k++)
		if (strcmp(c[k], arg) == 0) {
			*out = k;
			return 0;
		}
	for (k = 0; c[k]; k++)
		buf_printf(&b, "%s%s", k == 0 ? "" : c[k + 1] ? ", " : " or ",
		    c[k]);
	usage_error(NULL, "option %s: unknown %s '%s' (%s)", given(t, i),
	    t->spec[i]->name, arg, b.p);
	free(b.p);
	return -1;
}

/* A conversion function's exception: a bad value (TypeError, ValueError,
 * OverflowError, a literal's SyntaxError) becomes a usage error naming the
 * option; other exceptions (OSError) stay as they are. */
static void
fn_failed(struct table *t, int i)
{
	struct pyerr e;
	char *text;

	if (err_class() == EXC_USAGE) {
		return;		/* the conversion's own message */
	} else if (exc_is(err_class(), EXC_TYPE) ||
	    exc_is(err_class(), EXC_VALUE) ||
	    exc_is(err_class(), EXC_OVERFLOW) ||
	    exc_is(err_class(), EXC_SYNTAX)) {
		e = err_fetch();
		text = err_text(&e);
		usage_error(NULL, "option %s: %s: %s", given(t, i),
		    exc_name(e.exc), text);
		free(text);
	} else {
		return;
	}
	free(e.msg);
	free(e.filename);
}

static void
kw_add(struct args *a, const char *name, size_t len, const char *val)
{
	char *n = xmemdup(name, len);
	size_t k;

	for (k = 0; k < len; k++)
		if (n[k] == '-')
			n[k] = '_';
	a->kwname = xrealloc(a->kwname,
	    (size_t)(a->nkw + 1) * sizeof *a->kwname);
	a->kwval = xrealloc(a->kwval, (size_t)(a->nkw + 1) * sizeof *a->kwval);
	a->kwname[a->nkw] = n;
	a->kwval[a->nkw++] = val;
}

/* Stores arg (NULL for options without one) into spec i's destination. */
static int
take(struct table *t, int i, const char *arg, struct args *a)
{
	const struct opt *s = t->spec[i];
	char *dst = (char *)t->obj[i] + s->off;

	switch (s->type) {
	case OPT_FLAG: *(int *)dst = 1; return 0;
	case OPT_SET: *(int *)dst = (int)s->lo; return 0;
	case OPT_ADD: *(int *)dst += (int)s->lo; return 0;
	case OPT_INT: return conv_int(t, i, arg, (long *)dst);
	case OPT_NUM: return conv_num(t, i, arg, (double *)dst);
	case OPT_MODE: return conv_mode(t, i, arg, (long *)dst);
	case OPT_STR: *(const char **)dst = arg ? arg : ""; return 0;
	case OPT_CONST: return conv_const(t, i, arg, (long *)dst);
	case OPT_CHOICE: return conv_choice(t, i, arg, (int *)dst);
	case OPT_FN:
		if (s->fn(dst, arg, given(t, i)) < 0) {
			fn_failed(t, i);
			return -1;
		}
		return 0;
	case OPT_KW: kw_add(a, s->name, strlen(s->name), arg); return 0;
	case OPT_HELP: return OPT_ST_HELP;
	case OPT_VERSION: return OPT_ST_VERSION;
	}
	return 0;
}

/* ---- the checks after parsing -------------------------------------------- */

/* Is word w in the ' '-separated list? */
static int
in_list(const char *list, const char *w, size_t wlen)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n == wlen && strncmp(p, w, n) == 0)
			return 1;
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

/* Is w a subcommand that some option names? */
static int
is_sub(const struct table *t, const char *w)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->spec[i]->sub && in_list(t->spec[i]->sub, w, strlen(w)))
			return 1;
	return 0;
}

static int
check_relations(struct table *t, const struct args *a)
{
	int i, j;

	for (i = 0; i < t->n; i++) {
		const struct opt *s = t->spec[i];

		if (!t->seen[i])
			continue;
		for (j = 0; s->conflicts && j < t->n; j++)
			if (t->seen[j] && in_list(s->conflicts,
			    t->spec[j]->name, strlen(t->spec[j]->name))) {
				usage_error(NULL, "%s cannot be used with %s",
				    given(t, i), given(t, j));
				return -1;
			}
		if (s->needs && (j = spec_named(t, s->needs)) >= 0 &&
		    !t->seen[j]) {
			if (t->letter[j])
				usage_error(NULL, "%s needs -%c (--%s)",
				    given(t, i), t->letter[j],
				    t->spec[j]->name);
			else
				usage_error(NULL, "%s needs --%s", given(t, i),
				    t->spec[j]->name);
			return -1;
		}
		if (s->sub && a->ndash > 0 && is_sub(t, a->v[0]) &&
		    !in_list(s->sub, a->v[0], strlen(a->v[0]))) {
			usage_error(NULL, "option %s does not apply to %s",
			    given(t, i), a->v[0]);
			return -1;
		}
	}
	return 0;
}

/* ---- the parse ----------------------------------------------------------- */

/* Is w, which starts with '-', an option word of the table, or a value
 * (-1, -0x1f, -.5)? */
static int
option_word(const struct table *t, const char *w)
{
	if (w[1] == '-')	/* --name; a program like "---1" is a value */
		return isalpha((unsigned char)w[2]);
	return isalpha((unsigned char)w[1]) ||
	    spec_lettered(t, (unsigned char)w[1]) >= 0;
}

/* Records how option i was given (for messages) from the word at argv[k]. */
static void
note_given(struct table *t, int i, char *const *argv, int k, int shortopt)
{
	const char *w = k >= 1 ? argv[k] : "";

	if (shortopt)
		snprintf(t->given[i], sizeof t->given[i], "-%c", t->letter[i]);
	else if (strncmp(w, "--", 2) == 0)
		snprintf(t->given[i], sizeof t->given[i], "--%.*s",
		    (int)strcspn(w + 2, "="), w + 2);
	else
		snprintf(t->given[i], sizeof t->given[i], "--%s",
		    t->spec[i]->name);
}

static void
set_cmd_prefix(const char *cmd)
{
	struct pyerr e;
	size_t n;

	if (cmd == NULL || err_class() != EXC_USAGE)
		return;
	n = strlen(cmd);
	if (strncmp(err_get()->msg, cmd, n) == 0 && err_get()->msg[n] == ':')
		return;		/* named already */
	e = err_fetch();
	usage_error(cmd, "%s", e.msg ? e.msg : "");
	free(e.msg);
	free(e.filename);
}

/* getopt_long's '?': an unknown short letter (optopt), a long option
 * given "=VALUE" that takes none (optopt its val), or an unknown or
 * ambiguous long one (optopt 0; the word is w). */
static int
unknown_option(struct table *t, const char *w, int optc)
{
	struct buf c = { 0 };
	size_t len;
	int i;

	if (optc >= LONGBASE) {
		usage_error(NULL, "option '--%s' takes no argument",
		    t->spec[optc - LONGBASE]->name);
		return -1;
	}
	if (optc > 0) {
		usage_error(NULL, "unknown option '-%c'", optc);
		return -1;
	}
	len = strcspn(w + 2, "=");
	i = match_long(t, w + 2, len, &c);
	if (i == -2)
		usage_error(NULL, "option '%.*s' is ambiguous (%s)",
		    (int)(len + 2), w, c.p);
	else
		usage_error(NULL, "unknown option '%.*s'", (int)(len + 2), w);
	free(c.p);
	return -1;
}

int
opt_parse(const char *cmd, int argc, char **argv, const struct opt *opts,
    void *obj, int pass_kw, struct args *a)
{
	struct table *t = table_new();
	char **copy = xcalloc((size_t)argc + 1, sizeof *copy);
	char *ph = xcalloc((size_t)argc + 1, 2);	/* placeholder words
							 * "x" */
	char *kwword = xcalloc((size_t)argc + 1, 1);
	int i, c, idx, r = 0, last_arg = -1;

	memset(a, 0, sizeof *a);
	a->v = xcalloc((size_t)argc + 1, sizeof *a->v);
	table_add(t, opts, obj, 0);
	table_add(t, global_opts, &G, 1);
	table_build(t);
	/* words that getopt must not read as options: values, and (pass_kw)
	 * --NAME=VALUE keyword arguments that name no option */
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		copy[i] = argv[i];
		if (i == 0 || w[0] != '-' || w[1] == '\0' ||
		    strcmp(w, "--") == 0)
			continue;
		if (pass_kw && w[1] == '-' && strchr(w, '=') &&
		    match_long(t, w + 2, strcspn(w + 2, "="), NULL) == -1)
			kwword[i] = 1;
		else if (option_word(t, w))
			continue;
		ph[2 * i] = 'x';
		copy[i] = &ph[2 * i];
	}
	optind = 0;	/* a full reinitialisation of glibc's getopt */
	opterr = 0;
	while ((c = getopt_long(argc, copy, t->optstring, t->longopts,
	    &idx)) != -1) {
		const char *arg = optarg;
		int k = optind - 1, si;

		if (arg && arg >= ph && arg < ph + 2 * ((size_t)argc + 1))
			arg = argv[(arg - ph) / 2];
		if (c == 1) {			/* a positional word */
			if (kwword[k]) {
				const char *eq = strchr(argv[k], '=');

				kw_add(a, argv[k] + 2,
				    (size_t)(eq - argv[k] - 2), eq + 1);
			} else {
				a->v[a->n++] = argv[k];
			}
			continue;
		}
		if (c == '?') {
			r = unknown_option(t, k >= 1 ? argv[k] : "--", optopt);
			break;
		}
		if (c == ':') {
			if (optopt > 0 && optopt < LONGBASE)
				usage_error(NULL,
				    "option '-%c' needs an argument", optopt);
			else
				usage_error(NULL,
				    "option '%s' needs an argument", argv[k]);
			r = -1;
			break;
		}
		si = c >= LONGBASE ? c - LONGBASE : spec_lettered(t, c);
		if (si < 0) {
			r = unknown_option(t, "--", c);
			break;
		}
		if (optarg && optarg == copy[k] && k >= 1 &&
		    opt_has_arg(t->spec[si]))
			last_arg = k;
		note_given(t, si, argv,
		    c >= LONGBASE ? (optarg && last_arg == k ? k - 1 : k) : k,
		    c < LONGBASE);
		t->seen[si] = 1;
		if ((r = take(t, si, arg, a)) != 0)
			break;
	}
	if (r == 0) {
		a->ndash = a->n;
		if (optind > 1 && optind <= argc &&
		    strcmp(argv[optind - 1], "--") == 0 &&
		    optind - 1 != last_arg) {
			a->dash = 1;
			for (i = optind; i < argc; i++)
				a->v[a->n++] = argv[i];
		}
		r = check_relations(t, a);
		resolve_family = G.family;
	}
	if (r == -1)
		set_cmd_prefix(cmd);
	if (r != 0)
		args_free(a);	/* the caller frees *a only after a success */
	free(t);
	free(copy);
	free(ph);
	free(kwword);
	optind = 1;
	return r;
}

void
args_free(struct args *a)
{
	int i;

	for (i = 0; i < a->nkw; i++)
		free((char *)a->kwname[i]);
	free(a->kwname);
	free(a->kwval);
	free(a->v);
	memset(a, 0, sizeof *a);
}
