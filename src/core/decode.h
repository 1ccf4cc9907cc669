/* decode.h - a packet decoder for sniff's JSON summary and raw lines:
 * Ethernet, VLAN, Linux cooked, ARP, IPv4, IPv6 (with extension headers),
 * TCP, UDP, ICMP, ICMPv6.  Every length is checked against the captured
 * bytes; what it does not know is kept as hex.  No global state. */
#ifndef SOCKIT_DECODE_H
#define SOCKIT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* Pseudo link type: the network header is at 0 and its ethertype is given
 * (a SOCK_DGRAM packet socket). */
#define DECODE_L3	(-1)

/* Decodes the packet p (caplen bytes captured of wirelen) of the pcap
 * linktype (or DECODE_L3 with ethertype).  Writes the summary object to
 * json (as its next value, in its syntax) and appends a one-line
 * tcpdump-like text (no newline) to text; either may be NULL. */
void decode_packet(const uint8_t *p, size_t caplen, size_t wirelen,
    int linktype, unsigned ethertype, struct jw *json, struct buf *text);

#endif
