/* json.c - the one structured-output writer (json.h): JSON, Python
 * literals and flat path=value fields through the same calls. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"


void
jw_init(struct jw *w, struct buf *b, enum jw_syntax syn)
{
	memset(w, 0, sizeof *w);
	w->b = b;
	w->syn = syn;
}

void
jw_init_after(struct jw *w, struct buf *b, enum jw_syntax syn)
{
	jw_init(w, b, syn);
	w->depth = 1;
	w->arr = 1u << 1;
	w->idx[1] = 1;
}

static int
lvl(const struct jw *w)
{
	return w->depth < JW_FLAT_DEPTH ? w->depth : JW_FLAT_DEPTH;
}

static void
path_put(struct jw *w, const char *s, size_t n)
{
	if (w->cur)
		n++;
	if (w->cur + n >= sizeof w->path)
		return;		/* too long to name: the parent's path */
	if (w->cur)
		w->path[w->cur++] = '.', n--;
	memcpy(w->path + w->cur, s, n);
	w->cur += n;
}

/* The start of a value: its separator (JSON, py) or its path (flat). */
static void
begin(struct jw *w)
{
	if (w->syn == JW_FLAT) {
		if (!w->keyed) {
			int d = lvl(w);

			w->cur = w->plen[d];
			if (d > 0 && (w->arr >> d & 1)) {
				char t[16];
				int n = snprintf(t, sizeof t, "%u",
				    w->idx[d]++);

				path_put(w, t, (size_t)n);
			}
		}
		w->keyed = 0;
		return;
	}
	if (w->keyed)
		w->keyed = 0;
	else if (w->depth > 0 && !w->first)
		buf_put(w->b, ", ", 2);
	w->first = 0;
}

/* A scalar's start: begin(), and in flat form "\tPATH=". */
static void
scalar(struct jw *w)
{
	begin(w);
	if (w->syn == JW_FLAT) {
		buf_putc(w->b, '\t');
		buf_put(w->b, w->path, w->cur);
		buf_putc(w->b, '=');
	}
}

static void
open_c(struct jw *w, int c, int is_arr)
{
	begin(w);
	w->depth++;
	w->first = 1;
	if (w->syn == JW_FLAT) {
		int d = lvl(w);

		w->plen[d] = w->cur;
		w->idx[d] = 0;
		if (is_arr)
			w->arr |= 1u << d;
		else
			w->arr &= ~(1u << d);
		return;
	}
	buf_putc(w->b, c);
}

static void
close_c(struct jw *w, int c)
{
	if (w->depth > 0)
		w->depth--;
	w->first = 0;
	w->keyed = 0;
	if (w->syn != JW_FLAT)
		buf_putc(w->b, c);
}

void jw_open_obj(struct jw *w) { open_c(w, '{', 0); }
void jw_open_arr(struct jw *w) { open_c(w, '[', 1); }
void jw_close_obj(struct jw *w) { close_c(w, '}'); }
void jw_close_arr(struct jw *w) { close_c(w, ']'); }

/* The flat form of text: as it is, but for \t, \n, \r and \\ escaped. */
static void
flat_text(struct buf *b, const char *s, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		const char *e = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" :
		    s[i] == '\r' ? "\\r" : s[i] == '\\' ? "\\\\" : NULL;

		if (e) {
			buf_put(b, s + from, i - from);
			buf_put(b, e, 2);
			from = i + 1;
		}
	}
	buf_put(b, s + from, n - from);
}

void
jw_key(struct jw *w, const char *k)
{
	size_t n = strlen(k);

	if (w->syn != JW_JSON) {
		jw_keyn(w, k, n);
		return;
	}
	begin(w);
	buf_putc(w->b, '"');
	buf_put(w->b, k, n);
	buf_put(w->b, "\": ", 3);
	w->keyed = 1;
}

void
jw_keyn(struct jw *w, const char *k, size_t n)
{
	switch (w->syn) {
	case JW_JSON:
		begin(w);
		json_string(w->b, k, n);
		buf_put(w->b, ": ", 2);
		break;
	case JW_PY:
		begin(w);
		repr_string(w->b, k, n);
		buf_put(w->b, ": ", 2);
		break;
	case JW_FLAT:
		w->cur = w->plen[lvl(w)];
		path_put(w, k, n);
		break;
	}
	w->keyed = 1;
}

void
jw_str(struct jw *w, const char *s, size_t n)
{
	scalar(w);
	switch (w->syn) {
	case JW_JSON: json_string(w->b, s, n); break;
	case JW_PY: repr_string(w->b, s, n); break;
	case JW_FLAT: flat_text(w->b, s, n); break;
	}
}

void jw_strz(struct jw *w, const char *s) { jw_str(w, s, strlen(s)); }

void
jw_uint(struct jw *w, unsigned long long x)
{
	char t[24], *e = t + sizeof t, *p = e;

	scalar(w);
	do
		*--p = (char)('0' + x % 10);
	while ((x /= 10) != 0);
	buf_put(w->b, p, (size_t)(e - p));
}

void
jw_int(struct jw *w, long long x)
{
	if (x >= 0) {
		jw_uint(w, (unsigned long long)x);
		return;
	}
	scalar(w);
	buf_printf(w->b, "%lld", x);
}

void
jw_bool(struct jw *w, int x)
{
	scalar(w);
	if (w->syn == JW_PY)
		buf_puts(w->b, x ? "True" : "False");
	else
		buf_puts(w->b, x ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	scalar(w);
	if (w->syn == JW_JSON)
		buf_puts(w->b, "null");
	else if (w->syn == JW_PY)
		buf_puts(w->b, "None");
}

void
jw_float(struct jw *w, double f)
{
	scalar(w);
	if (w->syn == JW_JSON && isnan(f))
		buf_puts(w->b, "NaN");
	else if (w->syn == JW_JSON && isinf(f))
		buf_puts(w->b, f < 0 ? "-Infinity" : "Infinity");
	else
		repr_float(w->b, f);
}

void
jw_ts(struct jw *w, uint64_t sec, uint32_t nsec)
{
	char t[48];
	int n = snprintf(t, sizeof t, "%llu.%06u", (unsigned long long)sec,
	    nsec / 1000);

	while (n > 2 && t[n - 1] == '0' && t[n - 2] != '.')
		n--;
	scalar(w);
	buf_put(w->b, t, (size_t)n);
}

void
jw_hex(struct jw *w, const void *p, size_t n)
{
	int q = w->syn == JW_JSON ? '"' : w->syn == JW_PY ? '\'' : 0;

	scalar(w);
	if (q)
		buf_putc(w->b, q);
	buf_hex(w->b, p, n, 0);
	if (q)
		buf_putc(w->b, q);
}

void
jw_raw(struct jw *w, const char *s, size_t n)
{
	scalar(w);
	buf_put(w->b, s, n);
}
