/* resolve.c - sockit resolve NAME [SERVICE]...: getaddrinfo for names,
 * gethostbyaddr for address literals, many names at once on a bounded set
 * of threads, results printed in argument order. */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "front/front.h"
#include "emit.h"
#include "error.h"
#include "parse.h"

#define MAX_JOBS 32

struct resolve_opts {
	long type, proto, flags, jobs;
	int canon, reverse, names;
};

#define S struct resolve_opts
const struct opt cmd_resolve_opts[] = {
	{ .name = "canonname", .type = OPT_FLAG, OPTDST(S, canon),
	  .help = "ask for the canonical name (AI_CANONNAME)" },
	{ .name = "flags", .type = OPT_CONST, OPTDST(S, flags), .arg = "FLAGS",
	  .comp = COMP_CONST,
	  .help = "getaddrinfo flags (AI_* names joined by '|')" },
	{ .name = "jobs", .type = OPT_INT, OPTDST(S, jobs), .lo = 1,
	  .hi = MAX_JOBS, .arg = "N",
	  .help = "resolve at most N names at once (default 32)" },
	{ .name = "names", .type = OPT_FLAG, OPTDST(S, names),
	  .help = "NAME first on each line, a failed one's too" },
	{ .name = "proto", .type = OPT_CONST, OPTDST(S, proto), .arg = "PROTO",
	  .comp = COMP_CONST,
	  .help = "protocol (IPPROTO_* name or number)" },
	{ .name = "reverse", .type = OPT_FLAG, OPTDST(S, reverse),
	  .help = "reverse lookups (gethostbyaddr) for every NAME" },
	{ .name = "type", .type = OPT_CONST, OPTDST(S, type), .arg = "TYPE",
	  .comp = COMP_CONST,
	  .help = "socket type (SOCK_* name or number)" },
	{ .name = NULL }
};
#undef S

struct job {
	const char *name, *service;
	int reverse;
	value *result;		/* or NULL with err set */
	struct pyerr err;
};

struct pool {
	struct job *jobs;
	size_t n, next;
	long type, proto, flags;
	pthread_mutex_t lock;
};

/* Is s an IPv4 or IPv6 address literal (an IPv6 %scope allowed)? */
static int
is_literal(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char *t;
	int r;

	if (inet_pton(AF_INET, s, buf) == 1)
		return 1;
	t = xstrdup(s);
	t[strcspn(t, "%")] = '\0';
	r = inet_pton(AF_INET6, t, buf) == 1;
	free(t);
	return r;
}

/* Runs one lookup through the function commands' own code. */
static void
run_job(struct pool *p, struct job *j)
{
	value *args[2], *kw[4];
	const char *kwn[4] = { "type", "proto", "flags", NULL };
	struct call c;
	size_t k;

	memset(&c, 0, sizeof c);
	c.args = args;
	c.kwnames = kwn;
	c.kwvals = kw;
	args[0] = v_strz(j->name);
	if (j->reverse) {
		c.name = "gethostbyaddr";
		c.nargs = 1;
		j->result = fn_gethostbyaddr(&c);
	} else {
		c.name = "getaddrinfo";
		args[1] = j->service ? v_strz(j->service) : v_none();
		c.nargs = 2;
		kw[0] = v_int(p->type);
		kw[1] = v_int(p->proto);
		kw[2] = v_int(p->flags);
		c.nkw = 3;
		j->result = fn_getaddrinfo(&c);
		v_decref(args[1]);
		for (k = 0; k < c.nkw; k++)
			v_decref(kw[k]);
	}
	v_decref(args[0]);
	if (j->result == NULL)
		j->err = err_fetch();
}

static void *
worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&p->lock);
		j = p->next < p->n ? &p->jobs[p->next++] : NULL;
		pthread_mutex_unlock(&p->lock);
		if (j == NULL)
			return NULL;
		run_job(p, j);
	}
}

/* An int option value: a constant name (or names joined by '|') or a number. */
/* Is word a SERVICE for the name before it? */
static int
is_service(const char *w, int nargs)
{
	size_t i;

	for (i = 0; w[i]; i++)
		if (!isdigit((unsigned char)w[i]))
			break;
	if (i > 0 && w[i] == '\0')
		return 1;
	if (nargs == 2) {
		struct servent se, *r = NULL;
		char buf[1024];

		return getservbyname_r(w, NULL, &se, buf, sizeof buf,
		    &r) == 0 && r != NULL;
	}
	return 0;
}

/* Appends one raw line: "NAME\t" first with --names (name not NULL). */
static void
raw_line(struct buf *b, const char *name, const char *text)
{
	if (name)
		buf_printf(b, "%s\t", name);
	buf_printf(b, "%s\n", text);
}

/* Prints the addresses of a result once each (raw mode), each line after
 * name and a tab when name is not NULL (--names). */
static int
print_unique(const struct job *j, int canon, const char *name)
{
	value *seen = v_list_new(), *res = j->result;
	struct buf b = { 0 };
	size_t i, k;
	int r;

	if (j->reverse) {
		raw_line(&b, name, res->u.seq.items[0]->u.s.p);
		goto done;
	}
	for (i = 0; i < res->u.seq.len; i++) {
		value *e = res->u.seq.items[i];
		value *host;
		int dup = 0;

		if (canon) {
			if (e->u.seq.items[3]->u.s.len)
				raw_line(&b, name, e->u.seq.items[3]->u.s.p);
			continue;
		}
		if (e->kind != V_TUPLE || e->u.seq.len != 5 ||
		    e->u.seq.items[4]->kind != V_TUPLE)
			continue;
		host = e->u.seq.items[4]->u.seq.items[0];
		for (k = 0; k < seen->u.seq.len; k++)
			dup |= v_equal(seen->u.seq.items[k], host);
		if (!dup) {
			v_append(seen, v_incref(host));
			raw_line(&b, name, host->u.s.p);
		}
	}
done:
	r = out_write(b.p ? b.p : "", b.len);
	free(b.p);
	v_decref(seen);
	return r;
}

/* Prints job j's error on stderr, naming the NAME; returns its status. */
static int
report_error(const struct job *j)
{
	const struct pyerr *e = &j->err;
	char *text = err_text(e);
	struct buf b = { 0 };

	if (G.fmt == FMT_JSON) {
		buf_puts(&b, "{\"name\": ");
		json_string(&b, j->name, strlen(j->name));
		buf_puts(&b, ", \"exception\": ");
		json_string(&b, exc_short(e->exc), strlen(exc_short(e->exc)));
		if (e->has_errno)
			buf_printf(&b, ", \"errno\": %d, \"message\": ",
			    e->errnum);
		else
			buf_puts(&b, ", \"errno\": null, \"message\": ");
		if (e->has_errno)
			json_string(&b, e->msg ? e->msg : "",
			    e->msg ? strlen(e->msg) : 0);
		else
			json_string(&b, text, strlen(text));
		buf_puts(&b, "}\n");
	} else {
		buf_printf(&b, "sockit: %s: %s: %s\n", j->name,
		    exc_name(e->exc), text);
	}
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
	free(text);
	return exc_status(e->exc);
}

/* With --names, job j's line on standard output: (NAME, result), None
 * for a failed name; raw: "NAME<tab>ADDRESS" lines, "NAME<tab>" alone for a
 * failed one.  Returns 0, or -1 when stdout fails. */
static int
report_named(const struct job *j, int canon)
{
	value *v;
	int r;

	if (G.fmt == FMT_RAW && j->result)
		return print_unique(j, canon, j->name) < 0 ? -1 : 0;
	if (G.fmt == FMT_RAW)
		return out_write(j->name, strlen(j->name)) < 0 ||
		    out_write("\t\n", 2) < 0 ? -1 : 0;
	v = v_tuple(2, v_strz(j->name),
	    j->result ? v_incref(j->result) : v_none());
	r = out_value(v, G.fmt);
	v_decref(v);
	return r < 0 ? -1 : 0;
}

/* Prints job j's result, or its error on stderr (with names, a line on
 * stdout too); returns its status or -1 when stdout fails. */
static int
report(const struct job *j, int canon, int names)
{
	if (names && report_named(j, canon) < 0)
		return -1;
	if (j->result == NULL) {
		if (out_flush() < 0)
			return -1;
		return report_error(j);
	}
	if (names)
		return 0;
	if (G.fmt == FMT_RAW)
		return print_unique(j, canon, NULL) < 0 ? -1 : 0;
	return out_value(j->result, G.fmt) < 0 ? -1 : 0;
}

int
cmd_resolve(int argc, char **argv)
{
	struct pool p;
	pthread_t tids[MAX_JOBS];
	struct resolve_opts o = { .jobs = MAX_JOBS };
	struct args args;
	int c, status = 0, nargs;
	size_t i, nthreads;
	long jobs;

	memset(&p, 0, sizeof p);
	if ((status = opt_parse("resolve", argc, argv, cmd_resolve_opts, &o, 0,
	    &args)) != 0)
		return status;
	p.type = o.type;
	p.proto = o.proto;
	p.flags = o.flags | (o.canon ? AI_CANONNAME : 0);
	jobs = o.jobs;
	nargs = args.n;
	if (nargs == 0) {
		usage_error("resolve", "missing NAME");
		args_free(&args);
		return -1;
	}
	if (is_service(args.v[0], nargs) && !is_literal(args.v[0])) {
		usage_error("resolve",
		    "'%s' is a SERVICE; it follows the NAME it is for",
		    args.v[0]);
		args_free(&args);
		return -1;
	}
	p.jobs = xcalloc((size_t)nargs, sizeof *p.jobs);
	for (c = 0; c < nargs; c++) {
		const char *w = args.v[c];

		if (p.n > 0 && !p.jobs[p.n - 1].service && !is_literal(w) &&
		    is_service(w, nargs)) {
			p.jobs[p.n - 1].service = w;
			continue;
		}
		p.jobs[p.n].name = w;
		p.jobs[p.n].reverse = o.reverse || is_literal(w);
		p.n++;
	}
	args_free(&args);
	pthread_mutex_init(&p.lock, NULL);
	nthreads = p.n < (size_t)jobs ? p.n : (size_t)jobs;
	if (nthreads <= 1) {
		worker(&p);
		nthreads = 0;
	}
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, &p) != 0)
			break;
	nthreads = i;
	if (nthreads == 0)
		worker(&p);	/* no thread could start: do it here */
	for (i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
	for (i = 0; i < p.n; i++) {
		int st = report(&p.jobs[i], o.canon, o.names);

		if (st < 0) {
			status = -1;
			break;
		}
		if (st > status)
			status = st;
	}
	for (i = 0; i < p.n; i++) {
		v_decref(p.jobs[i].result);
		free(p.jobs[i].err.msg);
		free(p.jobs[i].err.filename);
	}
	free(p.jobs);
	return status;
}
