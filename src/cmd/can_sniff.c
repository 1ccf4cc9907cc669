/* can_sniff.c - the CAN side of sniff: receives with AF_CAN/CAN_RAW and
 * prints each frame as (can_id, can_dlc, data) like the Python docs'
 * dissect_can_frame, as JSON Lines, in candump's compact or log form, or
 * writes a pcap file with LINKTYPE_CAN_SOCKETCAN. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/can/raw.h>

#include "front/front.h"
#include "cmd/can.h"
#include "core/sockaddr.h"
#include "core/canframe.h"
#include "core/pcap.h"
#include "emit.h"
#include "json.h"
#include "core/stop.h"
#include "error.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif
#define CAN_RCVBUF (4 << 20)	/* room for bursts from vcan senders */

/* The capture's state. */
struct cap {
	const struct can_sniff_opts *o;
	int fd;
	struct pcap_writer pw;
	int pcap_fd;		/* -1: none or stdout */
	int pcap_open;
	unsigned long received;
	uint32_t dropped;	/* SO_RXQ_OVFL's counter */
	struct { int idx; char name[IF_NAMESIZE]; } ifcache[8];
	unsigned nif;
	struct buf line;
};

/* The name of interface idx (cached; "?" when it has gone). */
static const char *
ifname_of(struct cap *c, int idx)
{
	unsigned i;

	if (c->o->ifname)
		return c->o->ifname;
	for (i = 0; i < c->nif; i++)
		if (c->ifcache[i].idx == idx)
			return c->ifcache[i].name;
	i = c->nif < 8 ? c->nif++ : (unsigned)idx % 8;
	c->ifcache[i].idx = idx;
	if (if_indextoname((unsigned)idx, c->ifcache[i].name) == NULL)
		snprintf(c->ifcache[i].name, sizeof c->ifcache[i].name, "?%d",
		    idx);
	return c->ifcache[i].name;
}

/* Opens the CAN_RAW socket bound to the interface (all when NULL).
 * Returns 0, or -1 with the OSError pending. */
static int
open_can(struct cap *c)
{
	struct sockaddr_can sa;
	int one = 1, rcv = CAN_RCVBUF;
	can_err_mask_t errmask = CAN_ERR_MASK;

	if ((c->fd = socket(PF_CAN, SOCK_RAW | SOCK_CLOEXEC, CAN_RAW)) < 0) {
		err_errno(errno);
		return -1;
	}
	memset(&sa, 0, sizeof sa);
	sa.can_family = AF_CAN;
	if (c->o->ifname && addr_can_ifindex(c->fd, c->o->ifname,
	    &sa.can_ifindex) < 0)
		return -1;
	setsockopt(c->fd, SOL_CAN_RAW, CAN_RAW_FD_FRAMES, &one, sizeof one);
	setsockopt(c->fd, SOL_CAN_RAW, CAN_RAW_ERR_FILTER, &errmask,
	    sizeof errmask);
	setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMP, &one, sizeof one);
	setsockopt(c->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) < 0)
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		err_errno(errno);
		return -1;
	}
	return 0;
}

/* A pcap sink for "-w -": stdout through out_write. */
static int
stdout_sink(void *ctx, const void *p, size_t n)
{
	(void)ctx;
	return out_write(p, n);
}

/* Opens the pcap output of -w.  Returns 0, or -1 with an exception. */
static int
open_pcap(struct cap *c)
{
	const char *path = c->o->pcap_path;
	int flags = c->o->pcapng ? PCAP_NG : 0;

	c->pcap_fd = -1;
	if (path == NULL)
		return 0;
	if (strcmp(path, "-") == 0) {
		if (pcap_writer_open(&c->pw, stdout_sink, NULL,
		    LINKTYPE_CAN_SOCKETCAN, CANFD_MTU, flags, c->o->ifname) < 0)
			return -1;
	} else {
		c->pcap_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0644);
		if (c->pcap_fd < 0) {
			err_errno_filename(errno, path);
			return -1;
		}
		if (pcap_writer_open(&c->pw, pcap_fd_sink, &c->pcap_fd,
		    LINKTYPE_CAN_SOCKETCAN, CANFD_MTU, flags, c->o->ifname) < 0)
			return -1;
	}
	c->pcap_open = 1;
	return 0;
}

/* Appends the JSON Lines object of a frame. */
static void
json_frame(struct buf *b, const struct cap *c, const char *ifname,
    const struct timeval *tv, const struct canfd_frame *f, int fd,
    uint8_t len8_dlc)
{
	canid_t id = f->can_id;
	char ts[48];
	int n = snprintf(ts, sizeof ts, "%lld.%06ld", (long long)tv->tv_sec,
	    (long)tv->tv_usec);
	struct jw w;

	jw_init(&w, b, JW_JSON);
	jw_open_obj(&w);
	jw_key(&w, "ts");
	jw_raw(&w, ts, (size_t)n);
	jw_key(&w, "interface");
	jw_strz(&w, ifname);
	jw_key(&w, "can_id");
	jw_uint(&w, id);
	jw_key(&w, "id");
	jw_uint(&w, id & (id & CAN_ERR_FLAG ? CAN_ERR_MASK : id & CAN_EFF_FLAG ?
	    CAN_EFF_MASK : CAN_SFF_MASK));
	jw_key(&w, "len");
	jw_uint(&w, f->len);
	if (len8_dlc) {
		jw_key(&w, "len8_dlc");
		jw_uint(&w, len8_dlc);
	}
	jw_key(&w, "data");
	jw_hex(&w, f->data, id & CAN_RTR_FLAG && !fd ? 0 : f->len);
	jw_key(&w, "flags");
	jw_open_arr(&w);
#define FLAG(cond, name) do { if (cond) jw_strz(&w, name); } while (0)
	FLAG(id & CAN_EFF_FLAG, "EFF");
	FLAG(id & CAN_RTR_FLAG, "RTR");
	FLAG(id & CAN_ERR_FLAG, "ERR");
	FLAG(fd, "FD");
	FLAG(fd && (f->flags & CANFD_BRS), "BRS");
	FLAG(fd && (f->flags & CANFD_ESI), "ESI");
#undef FLAG
	jw_close_arr(&w);
	jw_close_obj(&w);
	buf_putc(b, '\n');
	(void)c;
}

/* Prints (or writes to the pcap) one received frame.  0, or -1. */
static int
emit_frame(struct cap *c, const unsigned char *raw, size_t n, int ifindex,
    const struct timeval *tv)
{
	struct canfd_frame f;
	int fd = n == CANFD_MTU;
	uint8_t len8_dlc = 0;
	const char *ifname = ifname_of(c, ifindex);
	value *v;
	int r;

	memset(&f, 0, sizeof f);
	memcpy(&f, raw, n < sizeof f ? n : sizeof f);
	if (!fd) {
		len8_dlc = ((const struct can_frame *)raw)->len8_dlc;
		if (f.len != CAN_MAX_DLEN || len8_dlc <= CAN_MAX_DLEN ||
		    len8_dlc > 15)
			len8_dlc = 0;
		f.flags = 0;
		if (f.len > CAN_MAX_DLEN)
			f.len = CAN_MAX_DLEN;
	} else if (f.len > CANFD_MAX_DLEN) {
		f.len = CANFD_MAX_DLEN;
	}
	if (c->pcap_open) {
		unsigned char rec[CANFD_MTU];

		memcpy(rec, &f, n);
		*(uint32_t *)rec = htonl(f.can_id);
		if (fd)
			rec[5] = f.flags | CANFD_FDF;
		return pcap_write(&c->pw, (uint64_t)tv->tv_sec,
		    (uint32_t)tv->tv_usec * 1000, NULL, 0, rec, n, n);
	}
	c->line.len = 0;
	if (c->o->log_format) {
		buf_printf(&c->line, "(%lld.%06ld) %s ", (long long)tv->tv_sec,
		    (long)tv->tv_usec, ifname);
		canframe_format(&c->line, &f, fd, len8_dlc);
		buf_putc(&c->line, '\n');
	} else if (c->o->fmt == FMT_RAW) {
		canframe_format(&c->line, &f, fd, len8_dlc);
		buf_putc(&c->line, '\n');
	} else if (c->o->fmt == FMT_JSON) {
		json_frame(&c->line, c, ifname, tv, &f, fd, len8_dlc);
	} else {
		/* dissect_can_frame: struct.unpack("=IB3x8s") -> (id, dlc,
		 * data[:dlc]) */
		v = v_tuple(3, v_int(f.can_id), v_int(f.len),
		    v_bytes(f.data, f.len));
		r = out_value(v, FMT_PY);
		v_decref(v);
		return r;
	}
	return out_write(c->line.p, c->line.len);
}

/* Receives one frame (non-blocking) and emits it.  Returns 1 for a frame,
 * 0 when none is waiting, -1 with an exception pending. */
static int
recv_one(struct cap *c)
{
	unsigned char raw[CANFD_MTU];
	union { char buf[CMSG_SPACE(sizeof(struct timeval)) +
	    CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align; } ctl;
	struct sockaddr_can from;
	struct iovec iov = { raw, sizeof raw };
	struct msghdr m;
	struct cmsghdr *cm;
	struct timeval tv = { 0, 0 };
	ssize_t n;

	memset(&m, 0, sizeof m);
	m.msg_name = &from;
	m.msg_namelen = sizeof from;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof ctl.buf;
	n = recvmsg(c->fd, &m, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		err_errno(errno);
		return -1;
	}
	if (n != CAN_MTU && n != CANFD_MTU)
		return 0;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		if (cm->cmsg_type == SO_TIMESTAMP &&
		    cm->cmsg_len >= CMSG_LEN(sizeof tv))
			memcpy(&tv, CMSG_DATA(cm), sizeof tv);
		else if (cm->cmsg_type == SO_RXQ_OVFL &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(uint32_t)))
			memcpy(&c->dropped, CMSG_DATA(cm), sizeof c->dropped);
	}
	if (tv.tv_sec == 0)
		gettimeofday(&tv, NULL);
	c->received++;
	return emit_frame(c, raw, (size_t)n, from.can_ifindex, &tv) < 0 ? -1 :
	    1;
}

/* Flushes whatever output is buffered (before waiting for more frames). */
static int
flush_all(struct cap *c)
{
	if (c->pcap_open && pcap_flush(&c->pw) < 0)
		return -1;
	return out_flush();
}

/* "sockit: N frames received, M dropped" on stderr; -j: {received,
 * dropped}. */
static void
print_counts(const struct cap *c)
{
	struct buf b = { 0 };
	struct jw w;

	if (G.fmt != FMT_JSON) {
		fprintf(stderr, "sockit: %lu frames received, %u dropped\n",
		    c->received, c->dropped);
		return;
	}
	jw_init(&w, &b, JW_JSON);
	jw_open_obj(&w);
	jw_key(&w, "received");
	jw_uint(&w, c->received);
	jw_key(&w, "dropped");
	jw_uint(&w, c->dropped);
	jw_close_obj(&w);
	buf_putc(&b, '\n');
	fwrite(b.p, 1, b.len, stderr);
	fflush(stderr);
	free(b.p);
}

/* The capture loop: frames until count, deadline or a signal. */
static int
capture(struct cap *c)
{
	double deadline = c->o->timeout > 0 ? mono_now() + c->o->timeout : 0;

	while (!stop_signal &&
	    (c->o->count <= 0 || c->received < (unsigned long)c->o->count)) {
		struct pollfd pfd = { c->fd, POLLIN, 0 };
		int r = recv_one(c), left;

		if (stats_request) {	/* SIGUSR1: the counts so far */
			stats_request = 0;
			print_counts(c);
		}
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (flush_all(c) < 0)
			return -1;
		if ((left = ms_until(deadline)) == 0)
			break;
		if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
			err_errno(errno);
			return -1;
		}
	}
	return flush_all(c);
}

int
can_sniff_run(const struct can_sniff_opts *o)
{
	struct cap c;
	int r;

	memset(&c, 0, sizeof c);
	c.o = o;
	c.fd = -1;
	stop_signal = 0;
	if (open_can(&c) < 0 || open_pcap(&c) < 0) {
		r = -1;
		goto out;
	}
	stop_catch();
	stats_catch();
	r = capture(&c);
	if (c.pcap_open && pcap_writer_close(&c.pw) < 0)
		r = -1;
	if (G.verbose >= 0)
		print_counts(&c);
	if (r == 0 && stop_signal)
		r = stop_status();
out:
	if (c.pcap_fd >= 0 && close(c.pcap_fd) < 0 && r >= 0) {
		err_errno(errno);
		r = -1;
	}
	if (c.fd >= 0)
		close(c.fd);
	free(c.line.p);
	return r;
}
