/* complete.c - sockit __complete: candidates for the shells' completions,
 * from the command table and the option specs (their completion kinds). */
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "call.h"
#include "core/consts.h"
#include "front/cmdtab.h"
#include "front/front.h"

/* The state of one completion: the word being completed, a prefix that the
 * candidates keep ("--format=", "AI_PASSIVE|") and whether descriptions
 * follow the candidates after a TAB (for zsh and fish). */
struct comp {
	const char *cur;	/* the part of the word the candidates
				 * complete */
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

	for (i = 0; i < fn_count; i++)
		cand(cp, fn_table[i].name, fn_table[i].summary);
	for (i = 0; i < task_count; i++)
		cand(cp, task_table[i].name, task_table[i].summary);
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
comp_users(const struct comp *cp)
{
	struct passwd *pw;
	int n = 0;

	setpwent();
	while ((pw = getpwent()) != NULL && n++ < 10000)
		cand(cp, pw->pw_name, NULL);
	endpwent();
}

static void
comp_options(const struct comp *cp, const struct opt *o)
{
	char tmp[128];

	for (; o && o->name; o++) {
		snprintf(tmp, sizeof tmp, "--%s%s", o->name,
		    opt_has_arg(o) ? "=" : "");
		cand(cp, tmp, o->help);
	}
}

/* The argument of option o, by its completion kind; nothing (so the shell
 * completes file names) for COMP_NONE. */
static void
comp_optarg(struct comp *cp, const struct opt *o)
{
	int k;

	switch (o->comp) {
	case COMP_CHOICE:
		for (k = 0; o->choices && o->choices[k]; k++)
			cand(cp, o->choices[k],
			    o->choice_help ? o->choice_help[k] : NULL);
		break;
	case COMP_IFACE: comp_interfaces(cp); break;
	case COMP_COMMAND: comp_commands(cp); break;
	case COMP_USER: comp_users(cp); break;
	case COMP_CONST:
		if (strchr(cp->cur, '=') == NULL)
			comp_constants(cp);
		break;
	case COMP_NONE: break;
	}
}

/* The first positional argument of a task command, from its synopsis:
 * "send|recv|serve" alternatives, IFACE, COMMAND. */
static void
comp_first_arg(struct comp *cp, const struct task *t)
{
	const char *p = t->synopsis + strlen(t->name);
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

		for (w = strtok_r(word, "|", &save); w;
		    w = strtok_r(NULL, "|", &save))
			cand(cp, w, NULL);
	} else if (strstr(word, "IFACE")) {
		comp_interfaces(cp);
	} else if (strcmp(word, "COMMAND") == 0 ||
	    strcmp(word, "[COMMAND]") == 0) {
		comp_commands(cp);
	}
}

/* sockit __complete [--describe] WORD... CUR: the candidates for CUR, the
 * word being completed, after the words before it on the command line
 * (without "sockit"), one per line; with --describe, each followed by a TAB
 * and a description when there is one.  No candidates means: let the shell
 * complete file names. */
int
front_complete(int argc, char **argv)
{
	struct comp cp = { "", "", 0, 0 };
	const struct task *t = NULL;
	const struct fninfo *fi = NULL;
	const struct opt *pending = NULL, *specs = NULL;
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
			if ((pending = opt_needs_next(argv[i], NULL)) != NULL &&
			    ++i < argc - 1)
				pending = NULL;
			continue;
		}
		if ((fi = fn_find(argv[i])) == NULL &&
		    (t = task_find(argv[i])) == NULL)
			return 0;	/* not a command: nothing to offer */
		break;
	}
	specs = fi ? front_kw_specs(fi->name) : t ? t->opts : NULL;
	/* the words after the command */
	for (i++; (fi || t) && i < argc - 1; i++) {
		const char *w = argv[i];

		if (pending)
			pending = NULL;
		else if (dashdash || w[0] != '-' || w[1] == '\0')
			npos++;
		else if (strcmp(w, "--") == 0)
			dashdash = 1;
		else
			pending = opt_needs_next(w, specs);
	}
	if (pending) {
		comp_optarg(&cp, pending);
		return 0;
	}
	if (!dashdash && cp.cur[0] == '-') {
		const char *eq = strchr(cp.cur, '=');

		if (strncmp(cp.cur, "--", 2) == 0 && eq) {
			const struct opt *o = opt_find(specs, cp.cur + 2,
			    (size_t)(eq - cp.cur - 2), 0);

			comp_split(&cp, "=");
			if (o && opt_has_arg(o))
				comp_optarg(&cp, o);
			else if (fi && o == NULL)
				comp_constants(&cp);
			return 0;
		}
		comp_options(&cp, global_opts);
		comp_options(&cp, specs);
		return 0;
	}
	if (fi == NULL && t == NULL) {
		comp_commands(&cp);
	} else if (fi) {
		if (isupper((unsigned char)cp.cur[0]) || strchr(cp.cur, '|'))
			comp_constants(&cp);
	} else if (npos == 0 && !dashdash) {
		comp_first_arg(&cp, t);
	}
	return 0;
}
