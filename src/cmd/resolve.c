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
#include "cli.h"
#include "emit.h"
#include "error.h"
#include "parse.h"

#define MAX_JOBS 32

enum { O_TYPE = 256, O_PROTO, O_FLAGS, O_CANON, O_REVERSE, O_JOBS };

const struct optspec cmd_resolve_opts[] = {
	{ "canonname", no_argument, O_CANON, NULL, "ask for the canonical name (AI_CANONNAME)" },
	{ "flags", required_argument, O_FLAGS, "FLAGS", "getaddrinfo flags (AI_* names joined by '|')" },
	{ "jobs", required_argument, O_JOBS, "N", "resolve at most N names at once (default 32)" },
	{ "proto", required_argument, O_PROTO, "PROTO", "protocol (IPPROTO_* name or number)" },
	{ "reverse", no_argument, O_REVERSE, NULL, "reverse lookups (gethostbyaddr) for every NAME" },
	{ "type", required_argument, O_TYPE, "TYPE", "socket type (SOCK_* name or number)" },
	{ NULL, 0, 0, NULL, NULL }
};

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
static int
int_opt(const char *opt, const char *s, long *out)
{
	value *v = parse_value(s);

	if (v == NULL)
		return -1;
	if (!v_is_int(v)) {
		usage_error("resolve", "option %s: expected a constant name or a number, not '%s'", opt, s);
		v_decref(v);
		return -1;
	}
	*out = (long)v_as_i64(v, NULL);
	v_decref(v);
	return 0;
}

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

		return getservbyname_r(w, NULL, &se, buf, sizeof buf, &r) == 0 && r != NULL;
	}
	return 0;
}

/* Prints the addresses of a result once each (raw mode). */
static int
print_unique(const struct job *j, int canon)
{
	value *seen = v_list_new(), *res = j->result;
	struct buf b = { 0 };
	size_t i, k;
	int r;

	if (j->reverse) {
		buf_printf(&b, "%s\n", res->u.seq.items[0]->u.s.p);
		goto done;
	}
	for (i = 0; i < res->u.seq.len; i++) {
		value *e = res->u.seq.items[i];
		value *host;
		int dup = 0;

		if (canon) {
			if (e->u.seq.items[3]->u.s.len)
				buf_printf(&b, "%s\n", e->u.seq.items[3]->u.s.p);
			continue;
		}
		if (e->kind != V_TUPLE || e->u.seq.len != 5 || e->u.seq.items[4]->kind != V_TUPLE)
			continue;
		host = e->u.seq.items[4]->u.seq.items[0];
		for (k = 0; k < seen->u.seq.len; k++)
			dup |= v_equal(seen->u.seq.items[k], host);
		if (!dup) {
			v_append(seen, v_incref(host));
			buf_printf(&b, "%s\n", host->u.s.p);
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
			buf_printf(&b, ", \"errno\": %d, \"message\": ", e->errnum);
		else
			buf_puts(&b, ", \"errno\": null, \"message\": ");
		if (e->has_errno)
			json_string(&b, e->msg ? e->msg : "", e->msg ? strlen(e->msg) : 0);
		else
			json_string(&b, text, strlen(text));
		buf_puts(&b, "}\n");
	} else {
		buf_printf(&b, "sockit: %s: %s: %s\n", j->name, exc_name(e->exc), text);
	}
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
	free(text);
	return exc_status(e->exc);
}

/* Prints job j's result, or its error on stderr; returns its status or -1
 * when stdout fails. */
static int
report(const struct job *j, int canon)
{
	if (j->result == NULL) {
		if (out_flush() < 0)
			return -1;
		return report_error(j);
	}
	if (G.fmt == FMT_RAW)
		return print_unique(j, canon) < 0 ? -1 : 0;
	return out_value(j->result, G.fmt) < 0 ? -1 : 0;
}

int
cmd_resolve(int argc, char **argv)
{
	struct pool p;
	pthread_t tids[MAX_JOBS];
	long jobs = MAX_JOBS;
	int c, reverse = 0, canon = 0, status = 0, nargs;
	size_t i, nthreads;

	memset(&p, 0, sizeof p);
	while ((c = cli_getopt(argc, argv, "resolve", cmd_resolve_opts)) != -1) {
		switch (c) {
		case O_TYPE: if (int_opt("--type", optarg, &p.type) < 0) return -1; break;
		case O_PROTO: if (int_opt("--proto", optarg, &p.proto) < 0) return -1; break;
		case O_FLAGS: if (int_opt("--flags", optarg, &p.flags) < 0) return -1; break;
		case O_CANON: canon = 1; break;
		case O_REVERSE: reverse = 1; break;
		case O_JOBS:
			if (cli_long("resolve", "--jobs", optarg, 1, MAX_JOBS, &jobs) < 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (canon)
		p.flags |= AI_CANONNAME;
	if (optind >= argc) {
		usage_error("resolve", "missing NAME");
		return -1;
	}
	nargs = argc - optind;
	if (is_service(argv[optind], nargs) && !is_literal(argv[optind])) {
		usage_error("resolve", "'%s' is a SERVICE; it follows the NAME it is for", argv[optind]);
		return -1;
	}
	p.jobs = xcalloc((size_t)nargs, sizeof *p.jobs);
	for (c = optind; c < argc; c++) {
		if (p.n > 0 && !p.jobs[p.n - 1].service && !is_literal(argv[c]) && is_service(argv[c], nargs)) {
			p.jobs[p.n - 1].service = argv[c];
			continue;
		}
		p.jobs[p.n].name = argv[c];
		p.jobs[p.n].reverse = reverse || is_literal(argv[c]);
		p.n++;
	}
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
		int st = report(&p.jobs[i], canon);

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
