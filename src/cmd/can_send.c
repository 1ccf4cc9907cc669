/* can_send.c - sockit can-send: CAN frames in cansend syntax through
 * CAN_RAW, cyclically through CAN_BCM, or payloads through CAN_ISOTP and
 * CAN_J1939 (SPEC section 8). */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/can/bcm.h>
#include <linux/can/isotp.h>
#include <linux/can/j1939.h>
#include <linux/can/raw.h>

#include "call.h"
#include "cmd/netcmd.h"
#include "front/front.h"
#include "core/sockaddr.h"
#include "core/taskaddr.h"
#include "core/canframe.h"
#include "emit.h"
#include "core/stop.h"
#include "error.h"
#include "parse.h"

#define CMD "can-send"
#define J1939_DEFAULT_SA 0xf9	/* off-board diagnostic-service tool #1 */
#define BCM_MAX_FRAMES 256	/* the kernel's MAX_NFRAMES */

enum mode { M_RAW, M_BCM, M_ISOTP, M_J1939 };

/* One thing to send: a frame (raw, bcm) or a payload (isotp, j1939). */
struct item {
	struct canframe cf;
	unsigned char *data;
	size_t len;
};

struct plan {
	enum mode mode;
	const char *ifname;
	long count;		/* < 0: not given */
	double interval_ms;
	canid_t tx_id, rx_id;	/* ISO-TP */
	uint64_t j_name;	/* J1939 destination */
	uint32_t j_pgn;
	uint8_t j_addr, j_sa;
	struct item *items;
	size_t nitems;
	int from_stdin;
	int any_fd;		/* a CAN FD frame among the items */
	struct netopts no;	/* -o */
	int bcm;
	int fd;
	long sent;
};

/* ---- parsing, before any socket is opened -------------------------------- */

/* Sets a usage (from argv) or ValueError (from stdin line lineno) for the
 * text s of n bytes that is not what it should be. */
static void
bad_input(const char *what, const char *s, size_t n, long lineno,
    const char *why)
{
	int shown = n > 60 ? 60 : (int)n;
	const char *more = n > 60 ? "..." : "";

	if (lineno > 0)
		err_set(EXC_VALUE, "stdin line %ld: bad %s '%.*s%s': %s",
		    lineno, what, shown, s, more, why);
	else
		usage_error(CMD, "bad %s '%.*s%s': %s", what, shown, s, more,
		    why);
}

/* Parses a payload: hex digits (with '.' between bytes) or a bytes/str
 * literal of SPEC section 3.  Returns 0, or -1 with *why set. */
static int
parse_payload(const char *s, size_t n, struct item *it, const char **why)
{
	size_t i, k = 0;

	if (n > 0 && (s[0] == '\'' || s[0] == '"' || s[0] == 'b' ||
	    s[0] == 'B')) {
		value *v = parse_literal(s, n);

		if (v == NULL || (v->kind != V_BYTES && v->kind != V_STR &&
		    v->kind != V_BYTEARRAY)) {
			err_clear();
			v_decref(v);
			*why = "not hex digits, nor a bytes or str literal";
			return -1;
		}
		it->data = (unsigned char *)xmemdup(v->u.s.p, v->u.s.len);
		it->len = v->u.s.len;
		v_decref(v);
		return 0;
	}
	it->data = xmalloc(n / 2 + 1);
	for (i = 0; i < n; ) {
		int hi, lo;

		if (s[i] == '.') {
			i++;
			continue;
		}
		if (i + 1 >= n || s[i + 1] == '.') {
			*why = "odd number of hex digits";
			return -1;
		}
		if ((hi = hex_digit((unsigned char)s[i])) < 0 ||
		    (lo = hex_digit((unsigned char)s[i + 1])) < 0) {
			*why = "not hex digits, nor a bytes or str literal";
			return -1;
		}
		it->data[k++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	it->len = k;
	return 0;
}

/* Parses one item of text s (n bytes) for the plan's mode; lineno > 0 for
 * stdin.  Returns 0, or -1 with an exception pending. */
static int
parse_item(struct plan *p, const char *s, size_t n, long lineno,
    struct item *it)
{
	const char *why = NULL;

	memset(it, 0, sizeof *it);
	if (p->mode == M_RAW || p->mode == M_BCM) {
		if (canframe_parse(s, n, &it->cf, &why) == 0)
			return 0;
		bad_input("frame", s, n, lineno, why);
		return -1;
	}
	if (parse_payload(s, n, it, &why) == 0)
		return 0;
	free(it->data);
	it->data = NULL;
	bad_input("payload", s, n, lineno, why);
	return -1;
}

/* Parses "TX:RX" (CAN ids in cansend's hex form). */
static int
parse_isotp(void *obj, const char *arg, const char *opt)
{
	struct plan *p = obj;
	const char *colon = strchr(arg, ':'), *why = NULL;

	if (colon == NULL) {
		usage_error(CMD,
		    "option --isotp: expected TX:RX (hex CAN ids), not '%s'",
		    arg);
		return -1;
	}
	if (canid_parse(arg, (size_t)(colon - arg), &p->tx_id, &why) < 0 ||
	    canid_parse(colon + 1, strlen(colon + 1), &p->rx_id, &why) < 0) {
		usage_error(CMD, "option --isotp: '%s': %s", arg, why);
		return -1;
	}
	p->mode = M_ISOTP;
	return 0;
}

/* Parses an unsigned number (C syntax: 0x.., 0..) up to max; "" gives dflt. */
static int
parse_num(const char *opt, const char *s, size_t n, uint64_t max, uint64_t dflt,
    uint64_t *out)
{
	char tmp[32], *end;
	unsigned long long v;

	if (n == 0) {
		*out = dflt;
		return 0;
	}
	if (n >= sizeof tmp || s[0] == '-' || s[0] == '+')
		goto bad;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtoull(tmp, &end, 0);
	if (*end != '\0' || errno || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	usage_error(CMD, "option %s: '%.*s' is not a number from 0 to %#llx",
	    opt, (int)(n > 30 ? 30 : n), s, (unsigned long long)max);
	return -1;
}

/* Parses "NAME:PGN:ADDR" (numbers in C syntax; an empty NAME is no name). */
static int
parse_j1939(void *obj, const char *arg, const char *opt)
{
	struct plan *p = obj;
	const char *c1 = strchr(arg, ':'), *c2 = c1 ? strchr(c1 + 1, ':') :
	    NULL;
	uint64_t name, pgn, addr;

	if (c2 == NULL || strchr(c2 + 1, ':')) {
		usage_error(CMD,
		    "option --j1939: expected NAME:PGN:ADDR, not '%s'", arg);
		return -1;
	}
	if (parse_num("--j1939 NAME", arg, (size_t)(c1 - arg), UINT64_MAX,
	    J1939_NO_NAME, &name) < 0 ||
	    parse_num("--j1939 PGN", c1 + 1, (size_t)(c2 - c1 - 1),
	    J1939_PGN_MAX, J1939_NO_PGN, &pgn) < 0 ||
	    parse_num("--j1939 ADDR", c2 + 1, strlen(c2 + 1), 0xff,
	    J1939_NO_ADDR, &addr) < 0)
		return -1;
	p->j_name = name;
	p->j_pgn = (uint32_t)pgn;
	p->j_addr = (uint8_t)addr;
	p->mode = M_J1939;
	return 0;
}

/* --source SA: a J1939 source address. */
static int
set_source(void *field, const char *arg, const char *opt)
{
	uint64_t sa;

	if (parse_num("--source", arg, strlen(arg), 0xfd, 0, &sa) < 0)
		return -1;
	*(uint8_t *)field = (uint8_t)sa;
	return 0;
}

#define S struct plan
const struct opt cmd_can_send_opts[] = {
	{ .name = "bcm", .type = OPT_FLAG, OPTDST(S, bcm),
	  .conflicts = "isotp j1939",
	  .help =
	  "send the frames cyclically through CAN_BCM (needs --interval)" },
	{ .name = "count", .letter = 'c', .type = OPT_INT, OPTDST(S, count),
	  .lo = 0,
	  .hi = 0x7fffffff, .arg = "N",
	  .help = "send N frames (PDUs) in all, cycling through those given" },
	{ .name = "interval", .type = OPT_NUM, OPTDST(S, interval_ms), .lo = 0,
	  .hi = 86400000,
	  .arg = "MS", .help = "wait MS milliseconds between frames" },
	{ .name = "isotp", .type = OPT_FN, .off = 0, .fn = parse_isotp,
	  .arg = "TX:RX",
	  .conflicts = "j1939",
	  .help = "send PAYLOADs over CAN_ISOTP with these hex CAN ids" },
	{ .name = "j1939", .type = OPT_FN, .off = 0, .fn = parse_j1939,
	  .arg = "NAME:PGN:ADDR",
	  .help = "send PAYLOADs over CAN_J1939 to this destination" },
	OPT_SOCKOPT(S, no),
	{ .name = "source", .type = OPT_FN, OPTDST(S, j_sa), .fn = set_source,
	  .arg = "SA",
	  .help = "J1939 source address (default 0xF9)" },
	{ .name = NULL }
};
#undef S

static int parse_words(struct plan *p, int argc, char **argv);

/* Reads the command line into p.  Returns 0, or -1 with an exception. */
static int
parse_args(int argc, char **argv, struct plan *p)
{
	struct args a;
	int r;

	p->count = -1;
	p->j_sa = J1939_DEFAULT_SA;
	p->mode = M_RAW;
	if ((r = opt_parse(CMD, argc, argv, cmd_can_send_opts, p, 0, &a)) != 0)
		return r;
	r = parse_words(p, a.n, a.v);
	args_free(&a);
	return r;
}

/* The IFACE and FRAME (or PAYLOAD) words.  0, or -1 with an exception. */
static int
parse_words(struct plan *p, int argc, char **argv)
{
	int i, bcm = p->bcm, next = 0;

	if (bcm)
		p->mode = M_BCM;
	if (bcm && p->interval_ms <= 0) {
		usage_error(CMD, "--bcm needs --interval MS greater than 0");
		return -1;
	}
	if (next >= argc) {
		usage_error(CMD, "missing IFACE");
		return -1;
	}
	p->ifname = argv[next++];
	if (p->ifname[0] == '\0') {
		usage_error(CMD, "IFACE must not be empty");
		return -1;
	}
	if (next >= argc) {
		usage_error(CMD, "missing %s (or '-' to read them from stdin)",
		    p->mode == M_ISOTP || p->mode == M_J1939 ? "PAYLOAD" :
		    "FRAME");
		return -1;
	}
	if (strcmp(argv[next], "-") == 0 && next + 1 == argc) {
		if (p->mode == M_BCM) {
			usage_error(CMD,
			    "--bcm takes its frames from the command line, "
			    "not stdin");
			return -1;
		}
		p->from_stdin = 1;
		return 0;
	}
	p->items = xcalloc((size_t)(argc - next), sizeof *p->items);
	for (i = next; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			usage_error(CMD, "'-' (stdin) must be the only FRAME");
			return -1;
		}
		if (parse_item(p, argv[i], strlen(argv[i]), 0,
		    &p->items[p->nitems]) < 0)
			return -1;
		p->any_fd |= p->items[p->nitems].cf.fd;
		p->nitems++;
	}
	if (p->mode == M_BCM) {
		size_t k;

		for (k = 1; k < p->nitems; k++)
			if (p->items[k].cf.fd != p->items[0].cf.fd) {
				usage_error(CMD,
				    "--bcm cannot mix CAN FD and classic frames");
				return -1;
			}
		if (p->nitems > BCM_MAX_FRAMES) {
			usage_error(CMD, "--bcm takes at most %d frames",
			    BCM_MAX_FRAMES);
			return -1;
		}
	}
	return 0;
}

/* ---- the socket ---------------------------------------------------------- */

/* Fails with OSError unless interface fd's MTU carries CAN FD frames. */
static int
check_fd_capable(int fd, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
		err_errno(errno);
		return -1;
	}
	if (ifr.ifr_mtu < (int)CANFD_MTU) {
		err_set(EXC_OSERROR,
		    "%s: interface is not CAN FD capable (MTU %d)", ifname,
		    ifr.ifr_mtu);
		return -1;
	}
	return 0;
}

/* Opens and binds (connects, for BCM) the plan's socket into p->fd.
 * Returns 0, or -1 with the OSError pending. */
static int
open_socket(struct plan *p)
{
	static const int types[] = { SOCK_RAW, SOCK_DGRAM, SOCK_DGRAM,
	    SOCK_DGRAM };
	static const int protos[] = { CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939 };
	struct sockaddr_can sa;
	int one = 1, r;
	size_t i;

	if ((p->fd = socket(PF_CAN, types[p->mode] | SOCK_CLOEXEC,
	    protos[p->mode])) < 0) {
		err_errno(errno);
		return -1;
	}
	for (i = 0; i < p->no.n; i++)
		if (sockopt_apply(p->fd, &p->no.o[i]) < 0)
			return -1;
	memset(&sa, 0, sizeof sa);
	if (addr_can_ifindex(p->fd, p->ifname, &sa.can_ifindex) < 0)
		return -1;
	sa.can_family = AF_CAN;
	switch (p->mode) {
	case M_RAW:
		/* send only: no receive filter, nothing queues up on this
		 * socket */
		setsockopt(p->fd, SOL_CAN_RAW, CAN_RAW_FILTER, NULL, 0);
		if (p->any_fd || p->from_stdin) {
			r = setsockopt(p->fd, SOL_CAN_RAW, CAN_RAW_FD_FRAMES,
			    &one, sizeof one);
			if (p->any_fd && (r < 0 ||
			    check_fd_capable(p->fd, p->ifname) < 0)) {
				if (!err_occurred())
					err_errno(errno);
				return -1;
			}
		}
		r = bind(p->fd, (struct sockaddr *)&sa, sizeof sa);
		break;
	case M_BCM:
		if (p->any_fd && check_fd_capable(p->fd, p->ifname) < 0)
			return -1;
		r = connect(p->fd, (struct sockaddr *)&sa, sizeof sa);
		break;
	case M_ISOTP:
		sa.can_addr.tp.tx_id = p->tx_id;
		sa.can_addr.tp.rx_id = p->rx_id;
		r = bind(p->fd, (struct sockaddr *)&sa, sizeof sa);
		break;
	default:
		sa.can_addr.j1939.name = J1939_NO_NAME;
		sa.can_addr.j1939.pgn = J1939_NO_PGN;
		sa.can_addr.j1939.addr = p->j_sa;
		if (p->j_addr == J1939_NO_ADDR)
			setsockopt(p->fd, SOL_SOCKET, SO_BROADCAST, &one,
			    sizeof one);
		r = bind(p->fd, (struct sockaddr *)&sa, sizeof sa);
		break;
	}
	if (r < 0) {
		err_errno(errno);
		return -1;
	}
	return 0;
}

/* Sleeps ms milliseconds unless a signal asks us to stop. */
static void
sleep_ms(double ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
	while (!stop_signal && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Writes buf on the socket, waiting while the device queue is full
 * (ENOBUFS) so that no accepted frame is lost.  0, or -1 with OSError. */
static int
send_retry(struct plan *p, const void *buf, size_t len,
    const struct sockaddr *to, socklen_t tolen)
{
	for (;;) {
		ssize_t r = to ? sendto(p->fd, buf, len, 0, to, tolen) :
		    write(p->fd, buf, len);

		if (r >= 0)
			return 0;
		if (errno == ENOBUFS || errno == EAGAIN) {
			struct pollfd pfd = { p->fd, POLLOUT, 0 };

			if (poll(&pfd, 1, 2) < 0 && errno != EINTR)
				break;
			if (stop_signal)
				return 0;
			continue;
		}
		if (errno == EINTR && !stop_signal)
			continue;
		if (errno == EINTR)
			return 0;
		break;
	}
	err_errno(errno);
	return -1;
}

/* Sends one item with the plan's protocol.  0, or -1 with OSError. */
static int
send_item(struct plan *p, const struct item *it)
{
	if (p->mode == M_RAW) {
		struct canfd_frame f = it->cf.f;

		if (!it->cf.fd && it->cf.len8_dlc)
			((struct can_frame *)&f)->len8_dlc = it->cf.len8_dlc;
		return send_retry(p, &f, it->cf.fd ? CANFD_MTU : CAN_MTU, NULL,
		    0);
	}
	if (p->mode == M_ISOTP)
		return send_retry(p, it->data, it->len, NULL, 0);
	{
		struct sockaddr_can to;

		memset(&to, 0, sizeof to);
		to.can_family = AF_CAN;
		to.can_addr.j1939.name = p->j_name;
		to.can_addr.j1939.pgn = p->j_pgn;
		to.can_addr.j1939.addr = p->j_addr;
		return send_retry(p, it->data, it->len, (struct sockaddr *)&to,
		    sizeof to);
	}
}

/* Sends the command-line items: count in all (default: each once),
 * cycling, with the interval between them. */
static int
send_args(struct plan *p)
{
	long total = p->count >= 0 ? p->count : (long)p->nitems, i;

	for (i = 0; i < total && !stop_signal; i++) {
		if (i > 0)
			sleep_ms(p->interval_ms);
		if (stop_signal)
			break;
		if (send_item(p, &p->items[(size_t)i % p->nitems]) < 0)
			return -1;
		p->sent++;
	}
	return 0;
}

/* Strips a candump log prefix "(SEC.USEC) IFACE " from a line, so that
 * `candump -L` output replays. */
static char *
strip_log_prefix(char *s, size_t *n)
{
	char *sp;

	if (*n == 0 || s[0] != '(' || (sp = memchr(s, ' ', *n)) == NULL)
		return s;
	sp++;
	if ((sp = memchr(sp, ' ', *n - (size_t)(sp - s))) == NULL)
		return s;
	sp++;
	*n -= (size_t)(sp - s);
	return sp;
}

/* Sends one item per stdin line (blank lines skipped) until EOF or count. */
static int
send_stdin(struct plan *p)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t r;
	long lineno = 0;
	int status = 0;

	while ((p->count < 0 || p->sent < p->count) && !stop_signal &&
	    (r = getline(&line, &cap, stdin)) >= 0) {
		size_t n = (size_t)r;
		char *s = line;
		struct item it;

		lineno++;
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
		    s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		while (n > 0 && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n == 0)
			continue;
		s[n] = '\0';
		if (p->mode == M_RAW)
			s = strip_log_prefix(s, &n);
		if (parse_item(p, s, n, lineno, &it) < 0) {
			status = -1;
			break;
		}
		if (p->sent > 0)
			sleep_ms(p->interval_ms);
		r = stop_signal ? 0 : send_item(p, &it);
		free(it.data);
		if (r < 0) {
			status = -1;
			break;
		}
		if (!stop_signal)
			p->sent++;
	}
	if (status == 0 && ferror(stdin) && !stop_signal) {
		err_errno(errno);
		status = -1;
	}
	free(line);
	return status;
}

/* ---- CAN_BCM ------------------------------------------------------------- */

/* Fills a timeval with ms milliseconds. */
static void
ms_to_tv(double ms, struct bcm_timeval *tv)
{
	tv->tv_sec = (long)(ms / 1000);
	tv->tv_usec = (long)((ms - (double)tv->tv_sec * 1000) * 1000);
}

/* Cyclic transmission: TX_SETUP with the frames; with --count, waits for
 * TX_EXPIRED, else runs until SIGINT/SIGTERM, then TX_DELETE. */
static int
send_bcm(struct plan *p)
{
	size_t fsz = p->any_fd ? sizeof(struct canfd_frame) :
	    sizeof(struct can_frame);
	size_t sz = sizeof(struct bcm_msg_head) + p->nitems * fsz, i;
	unsigned char *msg = xcalloc(1, sz);
	struct bcm_msg_head *h = (struct bcm_msg_head *)msg;
	int status = 0;

	h->opcode = TX_SETUP;
	h->flags = SETTIMER | STARTTIMER | (p->any_fd ? CAN_FD_FRAME : 0);
	h->can_id = p->items[0].cf.f.can_id;
	h->nframes = (uint32_t)p->nitems;
	if (p->count > 0) {
		h->flags |= TX_COUNTEVT;
		h->count = (uint32_t)p->count;
		ms_to_tv(p->interval_ms, &h->ival1);
	} else {
		ms_to_tv(p->interval_ms, &h->ival2);
	}
	for (i = 0; i < p->nitems; i++) {
		struct canfd_frame f = p->items[i].cf.f;

		if (!p->any_fd && p->items[i].cf.len8_dlc)
			((struct can_frame *)&f)->len8_dlc =
			    p->items[i].cf.len8_dlc;
		memcpy(msg + sizeof *h + i * fsz, &f, fsz);
	}
	if (p->count == 0)
		goto out;
	if (write(p->fd, msg, sz) < 0) {
		err_errno(errno);
		status = -1;
		goto out;
	}
	if (p->count > 0) {
		/* the kernel answers TX_EXPIRED after count frames */
		for (;;) {
			ssize_t r = read(p->fd, msg, sz);

			if (r < 0 && errno == EINTR && !stop_signal)
				continue;
			if (r < 0 && errno != EINTR) {
				err_errno(errno);
				status = -1;
			}
			if (r < 0 || (r >= (ssize_t)sizeof *h &&
			    h->opcode == TX_EXPIRED))
				break;
		}
		if (status == 0 && !stop_signal)
			p->sent = p->count;
	} else {
		while (!stop_signal)
			pause();
	}
	h->opcode = TX_DELETE;
	h->nframes = 0;
	/* Should the delete fail, the close() in plan_free() removes the task
	 * all the same: -v says so, the command's outcome is unchanged. */
	if (write(p->fd, msg, sizeof *h) < 0 && G.verbose > 0)
		fprintf(stderr, "sockit: can-send: TX_DELETE: %s\n",
		    strerror(errno));
out:
	free(msg);
	return status;
}

static void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nitems; i++)
		free(p->items[i].data);
	free(p->items);
	netopts_free(&p->no);
	if (p->fd >= 0)
		close(p->fd);
}

int
cmd_can_send(int argc, char **argv)
{
	struct plan p;
	int r;

	memset(&p, 0, sizeof p);
	p.fd = -1;
	if ((r = parse_args(argc, argv, &p)) != 0 || open_socket(&p) < 0) {
		plan_free(&p);
		return r ? r : -1;
	}
	stop_catch();
	if (p.mode == M_BCM)
		r = send_bcm(&p);
	else if (p.from_stdin)
		r = send_stdin(&p);
	else
		r = send_args(&p);
	if (G.verbose > 0 && r == 0)
		fprintf(stderr, "sockit: can-send: %ld %s sent on %s\n", p.sent,
		    p.mode == M_ISOTP || p.mode == M_J1939 ? "messages" :
		    "frames", p.ifname);
	plan_free(&p);
	if (r < 0)
		return -1;
	return stop_signal ? stop_status() : 0;
}
