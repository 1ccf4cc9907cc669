#!/usr/bin/env python3
"""sniff-mkpcap.py OUT.pcap: writes an Ethernet pcap of varied traffic for
the filter-verdict tests (tests/50-sniff.bats).  Packet i has timestamp
1000+i seconds, so tools can be compared by timestamp."""
import socket
import struct
import sys

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
BCAST = b"\xff" * 6
MCAST6 = bytes.fromhex("333300000001")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, src, et, payload, vlans=()):
    h = dst + src
    for tpid, vid in vlans:
        h += struct.pack("!HH", tpid, vid)
    return h + struct.pack("!H", et) + payload


def ip4(src, dst, proto, payload, frag=0, mf=False, opts=b"", ident=1, tot=None):
    ihl = 5 + len(opts) // 4
    flags = (0x2000 if mf else 0) | frag
    length = tot if tot is not None else 4 * ihl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, length, ident, flags, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst)) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload, exts=b""):
    body = exts + payload
    return struct.pack("!IHBB16s16s", 0x60000000, len(body), nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + body


def tcp(sp, dp, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sp, dp, 1000, 2000 if flags & 0x10 else 0, 5 << 4, flags, 65535, 0, 0) + data


def udp(sp, dp, data=b"x" * 16):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data


def icmp(t, code=0, data=b"ping"):
    return struct.pack("!BBHHH", t, code, 0, 7, 1) + data


def arp(op, sha, spa, tha, tpa, et=0x0806):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, socket.inet_aton(spa), tha,
                       socket.inet_aton(tpa))


S, A, F, R, P = 0x02, 0x10, 0x01, 0x04, 0x08
pk = []
v4 = lambda *a, **k: eth(MAC_B, MAC_A, 0x0800, ip4(*a, **k))
v6 = lambda *a, **k: eth(MAC_B, MAC_A, 0x86DD, ip6(*a, **k))
pk.append(v4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, S)))
pk.append(v4("10.0.0.2", "10.0.0.1", 6, tcp(80, 40000, S | A)))
pk.append(v4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, A, b"GET / HTTP/1.0\r\n\r\n")))
pk.append(v4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, F | A)))
pk.append(v4("192.168.1.10", "8.8.8.8", 17, udp(5353, 53)))
pk.append(v4("8.8.8.8", "192.168.1.10", 17, udp(53, 5353)))
pk.append(v4("172.16.5.4", "10.0.0.1", 6, tcp(22, 51000, P | A, b"ssh")))
pk.append(v4("10.0.0.2", "172.16.5.4", 6, tcp(51001, 443, R)))
pk.append(v4("10.0.0.1", "192.168.1.10", 1, icmp(8)))
pk.append(v4("192.168.1.10", "10.0.0.1", 1, icmp(0)))
pk.append(v4("10.0.0.1", "224.0.0.1", 2, b"\x11\x64\xee\x9b\0\0\0\0"))
pk.append(v4("10.0.0.1", "10.0.0.2", 47, b"\0\0\x08\0" + b"\0" * 20))
pk.append(v4("10.0.0.1", "10.0.0.2", 17, udp(1500, 1999)))
pk.append(v4("10.0.0.1", "10.0.0.2", 17, udp(2001, 3000)))
pk.append(v4("10.0.0.1", "10.0.0.2", 17, udp(123, 123), mf=True, ident=7))
pk.append(v4("10.0.0.1", "10.0.0.2", 17, b"\0\x50\0\x50" + b"z" * 20, frag=3, ident=7))
pk.append(v4("10.0.0.1", "10.0.0.2", 6, tcp(1234, 80, S), opts=b"\x01\x01\x01\x00"))
pk.append(v4("10.0.0.1", "10.0.0.2", 132, struct.pack("!HHII", 5000, 80, 0, 0)))
pk.append(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, "10.0.0.1", b"\0" * 6, "10.0.0.2")))
pk.append(eth(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, "10.0.0.2", MAC_A, "10.0.0.1")))
pk.append(eth(BCAST, MAC_A, 0x8035, arp(3, MAC_A, "172.16.5.4", MAC_A, "172.16.5.4")))
pk.append(v6("2001:db8::1", "2001:db8::2", 6, tcp(40001, 80, S)))
pk.append(v6("2001:db8::2", "2001:db8::1", 6, tcp(80, 40001, S | A)))
pk.append(v6("2001:db8::1", "2001:db8:1::5", 17, udp(5000, 53)))
pk.append(v6("fe80::1", "ff02::1", 58, icmp(128)))
pk.append(v6("fe80::1", "fe80::2", 58, icmp(135, data=b"\0" * 20)))
pk.append(v6("2001:db8::1", "2001:db8::2", 0, udp(7000, 7001), exts=struct.pack("!BB6s", 17, 0, b"\1\4\0\0\0\0")))
pk.append(v6("2001:db8::1", "2001:db8::2", 44, udp(7002, 53), exts=struct.pack("!BBHI", 17, 0, 1, 99)))
pk.append(v6("2001:db8::1", "2001:db8::2", 44, tcp(7003, 80, S), exts=struct.pack("!BBHI", 6, 0, 1, 100)))
pk.append(v6("::1", "::1", 17, udp(9999, 9999)))
pk.append(eth(MAC_B, MAC_A, 0x0800, ip4("10.0.0.1", "10.0.0.2", 17, udp(4000, 53)), vlans=[(0x8100, 10)]))
pk.append(eth(MAC_B, MAC_A, 0x0800, ip4("10.0.0.2", "10.0.0.1", 6, tcp(80, 4001, A)), vlans=[(0x8100, 20)]))
pk.append(eth(MAC_B, MAC_A, 0x86DD, ip6("2001:db8::1", "2001:db8::2", 17, udp(53, 53)), vlans=[(0x8100, 10)]))
pk.append(eth(MAC_B, MAC_A, 0x0800, ip4("192.168.1.10", "10.0.0.1", 1, icmp(8)), vlans=[(0x88A8, 100), (0x8100, 10)]))
pk.append(eth(bytes.fromhex("0180c200000e"), MAC_A, 0x88CC, b"\x02\x07\x04" + MAC_A + b"\0" * 30))
pk.append(eth(BCAST, MAC_B, 46, b"\xaa\xaa\x03" + b"\0" * 43))
pk.append(eth(MCAST6, MAC_A, 0x86DD, ip6("fe80::1", "ff02::1", 17, udp(546, 547))))
pk.append(v4("10.1.2.3", "10.200.0.9", 17, udp(1000, 2000)))
pk.append(v4("127.0.0.1", "127.0.0.1", 17, udp(5000, 6000)))
pk.append(v4("10.0.0.2", "8.8.4.4", 6, tcp(33000, 8080, S)))
pk.append(v6("2001:db8:1::5", "2001:db8::1", 6, tcp(22, 50000, A, b"x" * 100)))
pk.append(v4("10.0.0.3", "10.0.0.4", 17, udp(5000, 53), tot=200))  # claims more than captured

out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
for i, p in enumerate(pk):
    cap = p[:30] if i == len(pk) - 1 else p   # the last one is truncated
    if i == 1:
        cap = p[:40]                           # SYN-ACK cut inside the TCP header
    out.write(struct.pack("<IIII", 1000 + i, 0, len(cap), len(p)) + cap)
out.close()
