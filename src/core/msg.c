/* msg.c - sendmsg, recvmsg, recvmsg_into and sendmsg_afalg: scatter/gather
 * buffers and ancillary data (CMSG) with CPython 3.11's checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_alg.h>

#include "core/sockaddr.h"
#include "core/conv.h"
#include "core/sock.h"
#include "error.h"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

#define SELF (self->u.sk.p)

/* The items of an iterable value as a new list (str iterates characters,
 * bytes its ints, dict its keys); NULL with TypeError msg when v is not
 * iterable. */
static value *
iter_list(const value *v, const char *msg)
{
	value *l;
	size_t i;

	switch (v->kind) {
	case V_LIST: case V_TUPLE: case V_SET:
		l = v_list_new();
		for (i = 0; i < v->u.seq.len; i++)
			v_append(l, v_incref(v->u.seq.items[i]));
		return l;
	case V_DICT:
		l = v_list_new();
		for (i = 0; i < v->u.seq.len; i += 2)
			v_append(l, v_incref(v->u.seq.items[i]));
		return l;
	case V_STR:
		l = v_list_new();
		for (i = 0; i < v->u.s.len; ) {
			size_t k = 1;

			while (i + k < v->u.s.len &&
			    ((unsigned char)v->u.s.p[i + k] & 0xc0) == 0x80)
				k++;
			v_append(l, v_str(v->u.s.p + i, k));
			i += k;
		}
		return l;
	case V_BYTES: case V_BYTEARRAY:
		l = v_list_new();
		for (i = 0; i < v->u.s.len; i++)
			v_append(l, v_int((unsigned char)v->u.s.p[i]));
		return l;
	default:
		err_set(EXC_TYPE, "%s", msg);
		return NULL;
	}
}

struct msg_data {
	struct msghdr m;
	ssize_t result;
};

static int
sendmsg_flags_op(struct sock *s, void *data)
{
	struct msg_data *d = data;

	d->result = sendmsg(s->fd, &d->m, d->m.msg_flags);
	return d->result >= 0;
}

/* sendmsg(2) of d (its name already set) with iov and the control bytes
 * ctl, as sock.sendmsg() does: the count sent, or NULL with the error. */
static value *
send_message(struct sock *s, struct msg_data *d, struct iovec *iov, size_t niov,
    void *ctl, size_t ctllen, int flags)
{
	d->m.msg_iov = iov;
	d->m.msg_iovlen = niov;
	d->m.msg_control = ctl;
	d->m.msg_controllen = ctllen;
	d->m.msg_flags = flags;
	if (sock_call(s, 1, sendmsg_flags_op, d, 0, NULL, s->timeout) < 0)
		return NULL;
	return v_int(d->result);
}

static int
recvmsg_op(struct sock *s, void *data)
{
	struct msg_data *d = data;
	int flags = d->m.msg_flags;

	d->result = recvmsg(s->fd, &d->m, flags);
	if (d->result < 0)
		d->m.msg_flags = flags;
	return d->result >= 0;
}

/* The data buffers of sendmsg's first argument as an iovec array. */
static struct iovec *
send_iovec(const value *list, size_t *n)
{
	struct iovec *iov = xcalloc(list->u.seq.len + 1, sizeof *iov);
	size_t i;

	for (i = 0; i < list->u.seq.len; i++) {
		const char *p;
		size_t len;

		if (arg_buffer(list->u.seq.items[i], &p, &len) < 0) {
			free(iov);
			return NULL;
		}
		iov[i].iov_base = (void *)p;
		iov[i].iov_len = len;
	}
	*n = list->u.seq.len;
	return iov;
}

/* Builds the control buffer from sendmsg's ancillary (level, type, data)
 * items.  Returns 0, or -1 with the exception pending. */
static int
build_control(const value *items, char **ctl, size_t *ctllen)
{
	static const char where[] = "[sendmsg() ancillary data items]()";
	size_t i, total = 0;
	struct cmsghdr *cm;
	struct msghdr m;

	*ctl = NULL;
	*ctllen = 0;
	for (i = 0; i < items->u.seq.len; i++) {
		const value *it = items->u.seq.items[i];
		int level, type;
		const char *p;
		size_t n;

		if (it->kind != V_TUPLE && it->kind != V_LIST) {
			err_set(EXC_TYPE,
			    "%s argument must be 3-item sequence, not %s",
			    where, v_typename(it));
			return -1;
		}
		if (it->u.seq.len != 3) {
			err_set(EXC_TYPE,
			    "%s argument must be sequence of length 3, not %zu",
			    where, it->u.seq.len);
			return -1;
		}
		if (arg_int(it->u.seq.items[0], &level) < 0 ||
		    arg_int(it->u.seq.items[1], &type) < 0 ||
		    arg_buffer(it->u.seq.items[2], &p, &n) < 0)
			return -1;
		if (n > INT32_MAX - 64) {
			err_set(EXC_OSERROR, "ancillary data item too large");
			return -1;
		}
		total += CMSG_SPACE(n);
	}
	if (total == 0)
		return 0;
	*ctl = xcalloc(1, total);
	memset(&m, 0, sizeof m);
	m.msg_control = *ctl;
	m.msg_controllen = total;
	cm = CMSG_FIRSTHDR(&m);
	for (i = 0; i < items->u.seq.len && cm; i++, cm = CMSG_NXTHDR(&m, cm)) {
		const value *it = items->u.seq.items[i];
		const value *dv = it->u.seq.items[2];

		cm->cmsg_level = (int)v_as_i64(it->u.seq.items[0], &(int){ 0 });
		cm->cmsg_type = (int)v_as_i64(it->u.seq.items[1], &(int){ 0 });
		cm->cmsg_len = CMSG_LEN(dv->u.s.len);
		memcpy(CMSG_DATA(cm), dv->u.s.p, dv->u.s.len);
	}
	*ctllen = total;
	return 0;
}

value *
sock_m_sendmsg(value *self, struct call *c)
{
	value *a[4], *bufs = NULL, *anc = NULL, *ret = NULL;
	struct sockaddr_storage ss;
	struct msg_data d;
	struct iovec *iov = NULL;
	char *ctl = NULL;
	size_t niov = 0, ctllen = 0;
	socklen_t alen;
	int flags = 0;

	if (call_bind(c, ARGS_TUPLE, "sendmsg",
	    (const char *const[]){ "buffers", "ancdata", "flags", "address",
	    NULL }, 4, 1, a) < 0 || (a[2] && arg_int(a[2], &flags) < 0))
		return NULL;
	memset(&d, 0, sizeof d);
	if (a[3] && a[3]->kind != V_NONE) {
		if (addr_from_value(SELF, a[3], &ss, &alen, "sendmsg") < 0)
			return NULL;
		d.m.msg_name = &ss;
		d.m.msg_namelen = alen;
	}
	if ((bufs = iter_list(a[0],
	    "sendmsg() argument 1 must be an iterable")) == NULL ||
	    (iov = send_iovec(bufs, &niov)) == NULL)
		goto out;
	if (a[1] && ((anc = iter_list(a[1],
	    "sendmsg() argument 2 must be an iterable")) == NULL ||
	    build_control(anc, &ctl, &ctllen) < 0))
		goto out;
	ret = send_message(SELF, &d, iov, niov, ctl, ctllen, flags);
out:
	free(iov);
	free(ctl);
	v_decref(bufs);
	v_decref(anc);
	return ret;
}

/* The ancillary items of a received message as a list of SH_CMSG tuples. */
static value *
cmsg_list(struct msghdr *m)
{
	value *l = v_list_new();
	struct cmsghdr *cm;
	const char *end = (const char *)m->msg_control + m->msg_controllen;

	if (m->msg_controllen == 0)
		return l;
	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		const char *p = (const char *)CMSG_DATA(cm);
		const char *dend = (const char *)cm + cm->cmsg_len;
		size_t n;

		if (cm->cmsg_len < CMSG_LEN(0))
			break;
		if (dend > end)
			dend = end;
		n = dend > p ? (size_t)(dend - p) : 0;
		v_append(l, v_with_shape(v_tuple(3, v_int(cm->cmsg_level),
		    v_int(cm->cmsg_type), v_bytes(p, n)), SH_CMSG, 0));
	}
	return l;
}

/* recvmsg into iov; returns (first, ancdata, flags, address) shaped shape,
 * first being made by the caller from the byte count. */
static value *
recvmsg_guts(struct sock *s, struct iovec *iov, size_t niov, int64_t ancbufsize,
    int flags, ssize_t *count)
{
	struct sockaddr_storage ss;
	struct msg_data d;
	value *anc, *addr;
	char *ctl = NULL;

	if (ancbufsize < 0 || ancbufsize > INT32_MAX) {
		err_set(EXC_VALUE, "invalid ancillary data buffer length");
		return NULL;
	}
	if (ancbufsize > 0 && (ctl = calloc(1, (size_t)ancbufsize)) == NULL) {
		err_set(EXC_MEMORY, "%s", "");
		return NULL;
	}
	memset(&d, 0, sizeof d);
	memset(&ss, 0, sizeof ss);
	d.m.msg_name = &ss;
	d.m.msg_namelen = sizeof ss;
	d.m.msg_iov = iov;
	d.m.msg_iovlen = niov;
	d.m.msg_control = ctl;
	d.m.msg_controllen = (size_t)ancbufsize;
	d.m.msg_flags = flags;
	if (sock_call(s, 0, recvmsg_op, &d, 0, NULL, s->timeout) < 0) {
		free(ctl);
		return NULL;
	}
	*count = d.result;
	anc = cmsg_list(&d.m);
	free(ctl);
	if ((addr = addr_to_value((struct sockaddr *)&ss, d.m.msg_namelen,
	    s->proto)) == NULL) {
		v_decref(anc);
		return NULL;
	}
	return v_tuple(4, v_none(), anc, v_int(d.m.msg_flags), addr);
}

value *
sock_m_recvmsg(value *self, struct call *c)
{
	value *a[3], *t;
	int64_t n, anc = 0;
	int flags = 0;
	struct iovec iov;
	ssize_t got = 0;
	char *buf;

	if (call_bind(c, ARGS_TUPLE, "recvmsg",
	    (const char *const[]){ "bufsize", "ancbufsize", "flags", NULL }, 3,
	    1, a) < 0 || arg_n(a[0], &n) < 0 ||
	    (a[1] && arg_n(a[1], &anc) < 0) ||
	    (a[2] && arg_int(a[2], &flags) < 0))
		return NULL;
	if (n < 0) {
		err_set(EXC_VALUE, "negative buffer size in recvmsg()");
		return NULL;
	}
	if ((uint64_t)n >= SIZE_MAX || (buf = malloc((size_t)n + 1)) == NULL) {
		err_set(EXC_MEMORY, "%s", "");
		return NULL;
	}
	iov.iov_base = buf;
	iov.iov_len = (size_t)n;
	if ((t = recvmsg_guts(SELF, &iov, 1, anc, flags, &got)) != NULL) {
		v_decref(t->u.seq.items[0]);
		t->u.seq.items[0] = v_bytes(buf,
		    (size_t)got < (size_t)n ? (size_t)got : (size_t)n);
		v_with_shape(t, SH_RECVMSG, 0);
	}
	free(buf);
	return t;
}

value *
sock_m_recvmsg_into(value *self, struct call *c)
{
	static const char rw[] = "recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers";
	value *a[3], *bufs, *t = NULL;
	int64_t anc = 0;
	int flags = 0;
	struct iovec *iov;
	ssize_t got = 0;
	size_t i;

	if (call_bind(c, ARGS_TUPLE, "recvmsg_into",
	    (const char *const[]){ "buffers", "ancbufsize", "flags", NULL }, 3,
	    1, a) < 0 || (a[1] && arg_n(a[1], &anc) < 0) ||
	    (a[2] && arg_int(a[2], &flags) < 0))
		return NULL;
	if ((bufs = iter_list(a[0],
	    "recvmsg_into() argument 1 must be an iterable")) == NULL)
		return NULL;
	iov = xcalloc(bufs->u.seq.len + 1, sizeof *iov);
	for (i = 0; i < bufs->u.seq.len; i++) {
		value *b = bufs->u.seq.items[i];

		if (b->kind != V_BYTEARRAY) {
			err_set(EXC_TYPE, "%s", rw);
			goto out;
		}
		iov[i].iov_base = b->u.s.p;
		iov[i].iov_len = b->u.s.len;
	}
	if ((t = recvmsg_guts(SELF, iov, bufs->u.seq.len, anc, flags,
	    &got)) != NULL) {
		v_decref(t->u.seq.items[0]);
		t->u.seq.items[0] = v_int(got);
		v_with_shape(t, SH_RECVMSG_INTO, 0);
	}
out:
	free(iov);
	v_decref(bufs);
	return t;
}

/* Appends one ancillary item of SOL_ALG to the control buffer b. */
static void
alg_cmsg(char **ctl, size_t *len, int type, const void *data, size_t n)
{
	size_t off = *len;
	struct cmsghdr *cm;

	*len += CMSG_SPACE(n);
	*ctl = xrealloc(*ctl, *len);
	memset(*ctl + off, 0, CMSG_SPACE(n));
	cm = (struct cmsghdr *)(*ctl + off);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(n);
	memcpy(CMSG_DATA(cm), data, n);
}

value *
sock_m_sendmsg_afalg(value *self, struct call *c)
{
	value *a[5], *bufs = NULL, *ret = NULL;
	struct msg_data d;
	struct iovec *iov = NULL;
	char *ctl = NULL;
	size_t niov = 0, ctllen = 0;
	int flags = 0;
	uint32_t u;

	if (SELF->family != AF_ALG) {
		err_set(EXC_OSERROR, "algset is only supported for AF_ALG");
		return NULL;
	}
	if (call_bind(c, ARGS_KEYWORDS, "sendmsg_afalg",
	    (const char *const[]){ "msg", "op", "iv", "assoclen", "flags",
	    NULL }, 1, 0, a) < 0 || (a[4] && arg_int(a[4], &flags) < 0))
		return NULL;
	if (a[1] == NULL || a[1]->kind != V_INT) {
		err_set(EXC_TYPE, "Invalid or missing argument 'op'");
		return NULL;
	}
	if (a[3] && a[3]->kind != V_NONE) {
		int64_t al;
		int big;

		if (a[3]->kind != V_INT) {
			err_set(EXC_TYPE,
			    "sendmsg_afalg() argument 'assoclen' must be int, "
			    "not %s", v_typename(a[3]));
			return NULL;
		}
		al = v_as_i64(a[3], &big);
		if (al < 0 || big || al > INT32_MAX) {
			err_set(EXC_TYPE, "assoclen must be positive");
			return NULL;
		}
	}
	if (a[2] && a[2]->kind != V_NONE && !is_buffer(a[2])) {
		err_set(EXC_TYPE, "a bytes-like object is required, not '%s'",
		    v_typename(a[2]));
		return NULL;
	}
	u = (uint32_t)v_as_i64(a[1], &(int){ 0 });
	alg_cmsg(&ctl, &ctllen, ALG_SET_OP, &u, sizeof u);
	if (a[2] && a[2]->kind != V_NONE) {
		size_t n = a[2]->u.s.len;
		char *ivb = xcalloc(1, sizeof(uint32_t) + n);

		u = (uint32_t)n;
		memcpy(ivb, &u, sizeof u);
		memcpy(ivb + sizeof u, a[2]->u.s.p, n);
		alg_cmsg(&ctl, &ctllen, ALG_SET_IV, ivb, sizeof u + n);
		free(ivb);
	}
	if (a[3] && a[3]->kind != V_NONE) {
		u = (uint32_t)v_as_i64(a[3], &(int){ 0 });
		alg_cmsg(&ctl, &ctllen, ALG_SET_AEAD_ASSOCLEN, &u, sizeof u);
	}
	if (a[0] && ((bufs = iter_list(a[0],
	    "sendmsg_afalg() argument 1 must be an iterable")) == NULL ||
	    (iov = send_iovec(bufs, &niov)) == NULL))
		goto out;
	memset(&d, 0, sizeof d);
	ret = send_message(SELF, &d, iov, niov, ctl, ctllen, flags);
out:
	free(iov);
	free(ctl);
	v_decref(bufs);
	return ret;
}
