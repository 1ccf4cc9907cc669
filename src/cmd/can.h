/* can.h - the CAN side of sniff, implemented in cmd/can_sniff.c and called by
 * cmd/sniff.c when the interface is a CAN interface (ARPHRD_CAN). */
#ifndef SOCKIT_CAN_H
#define SOCKIT_CAN_H

#include "emit.h"

struct can_sniff_opts {
	const char *ifname;	/* may be NULL: every CAN interface */
	long count;		/* stop after this many frames; <= 0: no
				 * limit */
	double timeout;		/* stop after this many seconds; <= 0: none */
	const char *pcap_path;	/* -w FILE ("-" for stdout) or NULL */
	int log_format;		/* --log: candump's "(SEC.USEC) IFACE FRAME" */
	enum fmt fmt;		/* py: (can_id, can_dlc, data); json; raw:
				 * 123#DEADBEEF */
	int pcapng;		/* --pcapng: -w writes pcapng */
};

/* Captures CAN frames until count, timeout or SIGINT/SIGTERM.  Returns the
 * exit status, or -1 with an exception pending. */
int can_sniff_run(const struct can_sniff_opts *o);

#endif
