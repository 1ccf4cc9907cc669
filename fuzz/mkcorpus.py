#!/usr/bin/env python3
"""fuzz/mkcorpus.py: regenerates the seed corpora fuzz/corpus/NAME/ (except
literal, which is hand-written) from the test data: eval programs (and shell input) of
tests/data/oracle/*.txt, filters of tests/data/filters.txt, packets and
pcaps of tests/data/sniff-mkpcap.py, addresses and frames listed here.
Run from the top directory: python3 fuzz/mkcorpus.py"""
import ast
import glob
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

OUT = "fuzz/corpus"


def save(name, items):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "*")):
        os.remove(f)
    seen = set()
    for it in items:
        if isinstance(it, str):
            it = it.encode()
        h = hashlib.sha1(it).hexdigest()[:16]
        if h in seen:
            continue
        seen.add(h)
        with open(os.path.join(d, h), "wb") as f:
            f.write(it)
    print(name, len(seen), file=sys.stderr)


# eval: the oracle programs (sockets are refused by the sandbox, but the
# parser still sees them); '; ' is a statement separator in the language
progs = []
for path in sorted(glob.glob("tests/data/oracle/*.txt")):
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        for pre in ("eval: ", "~eval: "):
            if line.startswith(pre):
                progs.append(line[len(pre):])
        for pre in ("program: ", "~program: "):
            if line.startswith(pre):
                progs.append(ast.literal_eval(line[len(pre):]))
progs += ["x = [1, 2]\nx.append(x)\nx", "d = {}\nd[1] = d\nprint(d)",
          "\x01print({'a': [1.5, b'\\xff', None]})", "\x02print(b'raw', 'text')",
          "inet_ntop(AF_INET6, inet_pton(AF_INET6, '::ffff:1.2.3.4'))"]
save("eval", progs)

BLOCK = re.compile(r"\s*(if|while|for|try|def)\b")

# shell: the same programs as shell input (newlines for '; '), and the line
# reader's own cases: open brackets, triple quotes, backslashes, exit()
# (a blank line ends a block)
shell = [p.replace("; ", "\n") + "\n" + "\n" * bool(BLOCK.match(p))
         for p in progs if p[:1] not in "\x01\x02"]
shell += ["(1,\n2)\n", "[1,\n\n 2,\n]\n", "x = '''a\nb'''\nx\n", 'y = """\n\\"""\n"""\n',
          "1 + \\\n2\n", "f'{1 +\n2}'\n", "{1: (2,\n[3,\n{4}])}\n", "(1,\n", "'''open\n",
          "x = 1 \\\n", "  exit()\n1\n", "quit()\n", "(\nexit()\n)\n", "# c\n(1 # c\n)\n",
          "b'''\\\n'''\n", "r'''\\'''\n'''\n", "1\r\n(2,\r\n3)\r\n", "\t(1,\n2)\n",
          "x = (\n1)\n  y = 2\n", ")\n(\n", "'a\nb'\n", "(1,\n2", "\\\n\\\n1\n",
          "for i in range(2):\n  i\n\nx\n", "if 1:\nx\n", "if 0:\n  1\nelse:\n  2\n\n",
          "while 0: pass\nx\n", "if 1:\n  (1,\n2)\n\n", "if 1:\n  '''\n\n'''\n\n"]
save("shell", shell)

save("address", [
    "127.0.0.1:80", "localhost:http", "[::1]:8080", "[fe80::1%lo]:22", "tcp:example.org:443",
    "udp:1.2.3.4:53", "udplite:[::]:9", "mptcp:127.0.0.1:20-25", "sctp:localhost:9",
    "unix:/tmp/sock", "unix-dgram:/tmp/d", "unix-seqpacket:@seq", "@abstract", "unix:@name",
    "vsock:2:1234", "vsock:-1:80", "can:vcan0", ":0", "0.0.0.0:0", "1-65535",
    "SOL_SOCKET:SO_RCVBUF=65536", "IPPROTO_TCP:TCP_NODELAY=True", "SOL_SOCKET:NO_SUCH=1",
    "SOL_SOCKET:SO_BINDTODEVICE=b'lo'", "IPPROTO_IPV6:IPV6_V6ONLY=0x1",
    "SOL_SOCKET:SO_LINGER=b'\\x01\\x00\\x00\\x00\\x05\\x00\\x00\\x00'", "6:1=1",
])

save("canframe", [
    "123#DEADBEEF", "5AA#", "123#R", "123#R3", "123#R8_9", "1F334455#1122334455667788_B",
    "123##1", "123##311223344AABBCCDD", "12345678#R", "20000080#0000000000000000",
    "00000123#11.22.33", "7FF#1122334455667788", "123##0" + "AB" * 64, "123##4" + "01" * 9,
    "800#00", "123#1", "123#11_9", "020#R8_F",
])

# filters: mode byte 0 (Ethernet), a share on the other links and in
# kernel mode; -ddd texts from `sockit sniff --dump-bpf` when it is built
filters = [l.strip() for l in open("tests/data/filters.txt")
           if l.strip() and not l.startswith("#")]
items = []
for i, f in enumerate(filters):
    items.append(bytes([0]) + f.encode())
    if i % 4 == 1:
        items.append(bytes([1 + (i // 4) % 4 | (8 if i % 8 == 1 else 0)]) + f.encode())
sockit = os.environ.get("SOCKIT", "./sockit")
if os.access(sockit, os.X_OK):
    for f in filters[:20]:
        r = subprocess.run([sockit, "sniff", "--dump-bpf", "--filter", f, "--read", "/dev/null"],
                           capture_output=True)
        if r.returncode == 0 and r.stdout:
            items.append(bytes([0x10]) + r.stdout)
items.append(b"\x104\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n")
save("filter", items)

# decode and pcap: the sniff tests' pcap
tmp = tempfile.mkdtemp()
pcap = os.path.join(tmp, "t.pcap")
subprocess.run([sys.executable, "tests/data/sniff-mkpcap.py", pcap], check=True)
data = open(pcap, "rb").read()
hdr, recs, off = data[:24], [], 24
while off + 16 <= len(data):
    caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
    recs.append((data[off:off + 16], data[off + 16:off + 16 + caplen]))
    off += 16 + caplen
dec = []
for i, (_, p) in enumerate(recs):
    dec.append(bytes([0, 0, 0, 0]) + p)                      # EN10MB
    et = struct.unpack("!H", p[12:14])[0]
    if et in (0x0800, 0x86DD):
        dec.append(bytes([1, 0, 0, 0]) + p[14:])             # RAW
        dec.append(bytes([5]) + p[12:14] + bytes([20]) + p[14:])  # L3, 20 bytes more on the wire
        sll = struct.pack("!HHH8sH", 0, 1, 6, p[6:12] + b"\0\0", et)
        dec.append(bytes([2, 0, 0, 0]) + sll + p[14:])       # LINUX_SLL
        sll2 = struct.pack("!HHIHBB8s", et, 0, 2, 1, 0, 6, p[6:12] + b"\0\0")
        dec.append(bytes([3, 0, 0, 0]) + sll2 + p[14:])      # LINUX_SLL2
dec.append(bytes([4, 0, 0, 0]) + struct.pack("<IBBBB", 0x123, 4, 0, 0, 0) + b"\xde\xad\xbe\xef" + bytes(4))
save("decode", dec)

pcaps = [data, hdr, data[:len(data) // 2]]
for i in range(0, len(recs), 8):
    pcaps.append(hdr + b"".join(h + p for h, p in recs[i:i + 8]))
sw = struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 101)
for h, p in recs[:4]:
    s, us, cl, wl = struct.unpack("<IIII", h)
    if struct.unpack("!H", p[12:14])[0] == 0x0800:
        q = p[14:]
        sw += struct.pack(">IIII", s, us, len(q), len(q) + 3) + q
pcaps.append(sw)
ns = bytearray(data[:24]); ns[0:4] = struct.pack("<I", 0xA1B23C4D)
pcaps.append(bytes(ns) + recs[0][0][:4] + struct.pack("<I", 999999999) + recs[0][0][8:] + recs[0][1])
# pcapng: the records above in sections of either byte order, with two
# interfaces (one RAW), timestamp resolutions and offsets, simple packets
# and blocks that hold none
def ngblk(e, t, body):
    body += bytes(-len(body) % 4)
    return struct.pack(e + "II", t, len(body) + 12) + body + struct.pack(e + "I", len(body) + 12)
def ngopt(e, code, v):
    return struct.pack(e + "HH", code, len(v)) + v + bytes(-len(v) % 4)
def ngfile(e, res, step):
    f = ngblk(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    f += ngblk(e, 1, struct.pack(e + "HHI", 1, 0, 262144) + ngopt(e, 2, b"eth0") +
               ngopt(e, 9, bytes([res])) + ngopt(e, 14, struct.pack(e + "q", 5)) + bytes(4))
    f += ngblk(e, 1, struct.pack(e + "HHI", 101, 0, 96) + bytes(4))
    for i, (h, p) in enumerate(recs[::step]):
        ts = (1000 + i) << 20
        if i % 5 == 3:
            f += ngblk(e, 3, struct.pack(e + "I", len(p)) + p)
        elif i % 5 == 4 and struct.unpack("!H", p[12:14])[0] == 0x0800:
            f += ngblk(e, 6, struct.pack(e + "IIIII", 1, ts >> 32, ts & 0xFFFFFFFF,
                                         len(p) - 14, len(p)) + p[14:])
        else:
            f += ngblk(e, 6, struct.pack(e + "IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                         len(p), len(p) + 2) + p)
        if i % 7 == 6:
            f += ngblk(e, 5, struct.pack(e + "III", 0, 0, 0))
    return f
ng = [ngfile("<", 6, 1), ngfile(">", 0x94, 3), ngfile("<", 9, 5) + ngfile(">", 6, 4)]
pcaps += ng + [ng[0][:len(ng[0]) // 3], ng[1][:40]]
save("pcap", pcaps)
