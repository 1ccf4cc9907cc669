#!/usr/bin/env bats
# 50: sniff - AF_PACKET capture, printers, pcap, filters, privileges.
# Live traffic stays on loopback or on a veth pair between two network
# namespaces made here.
load helpers

setup_file() {
	export PCAP="$BATS_FILE_TMPDIR/mixed.pcap"
	/usr/bin/python3 "$BATS_TEST_DIRNAME/data/sniff-mkpcap.py" "$PCAP"
}

setup() {
	setup_bg
	NSA="sockit-sniff-a-$$"
	NSB="sockit-sniff-b-$$"
}

teardown() {
	teardown_bg
	ip netns del "$NSA" 2>/dev/null || true
	ip netns del "$NSB" 2>/dev/null || true
}

# veth_up: va (10.55.0.1, fd55::1) in $NSA, vb (10.55.0.2, fd55::2) in $NSB.
veth_up() {
	ip netns add "$NSA"
	ip netns add "$NSB"
	# no router solicitations: keep IPv6 noise off the wire
	ip netns exec "$NSA" sysctl -qw net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
	ip netns exec "$NSB" sysctl -qw net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
	ip -n "$NSA" link add va type veth peer name vb netns "$NSB"
	ip -n "$NSA" addr add 10.55.0.1/24 dev va
	ip -n "$NSB" addr add 10.55.0.2/24 dev vb
	ip -n "$NSA" addr add fd55::1/64 dev va nodad
	ip -n "$NSB" addr add fd55::2/64 dev vb nodad
	ip -n "$NSA" link set va up
	ip -n "$NSB" link set vb up
	ip -n "$NSA" link set lo up
	ip -n "$NSB" link set lo up
}

# in_a CMD...: runs CMD in namespace A.
in_a() { ip netns exec "$NSA" "$@"; }

# bg_sniff ERRFILE OUTFILE ARGS...: starts sockit sniff in the background
# (in namespace $NS_SNIFF when it is set) and waits for its readiness line.
bg_sniff() {
	local err=$1 out=$2
	shift 2
	: >"$err"	# truncated here: the child truncates too late for wait_for_line
	: >"$out"
	if [ -n "${NS_SNIFF:-}" ]; then
		ip netns exec "$NS_SNIFF" $SOCKIT_WRAP "$SOCKIT" sniff "$@" >"$out" 2>"$err" &
	else
		$SOCKIT_WRAP "$SOCKIT" sniff "$@" >"$out" 2>"$err" &
	fi
	SNIFF_PID=$!
	PIDS+=("$SNIFF_PID")
	wait_for_line "$err" '^listening on|^\{"listening"'	# the -j form too
}

# udp_send HOST PORT N [NS]: sends N datagrams "packet-I".
udp_send() {
	local pre=()
	[ -n "${4:-}" ] && pre=(ip netns exec "$4")
	"${pre[@]}" /usr/bin/python3 - "$1" "$2" "$3" <<'EOF'
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
for i in range(int(sys.argv[3])):
    s.sendto(b"packet-%d" % i, (sys.argv[1], int(sys.argv[2])))
EOF
}

# same_count A.pcap B.pcap: waits (5 s at most) until both files hold the
# same number of packets, twice in a row, as both writers catch up.
same_count() {
	local i a b prev=x
	for i in $(seq 100); do
		a=$(tcpdump -r "$1" 2>/dev/null | wc -l)
		b=$(tcpdump -r "$2" 2>/dev/null | wc -l)
		if [ "$a" = "$b" ] && [ "$a" -gt 0 ]; then
			[ "$prev" = "$a" ] && return 0
			prev=$a
		fi
		sleep 0.05
	done
	echo "pcap files still differ: $a vs $b packets" >&2
}

# icmp_echo HOST [NS]: sends one ICMP or ICMPv6 echo request (no ping here).
icmp_echo() {
	local pre=()
	[ -n "${2:-}" ] && pre=(ip netns exec "$2")
	"${pre[@]}" /usr/bin/python3 - "$1" <<'EOF'
import socket, struct, sys
host = sys.argv[1]
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
if ":" in host:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.sendto(struct.pack("!BBHHH", 128, 0, 0, 1, 1) + b"sockit!!", (host, 0))
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    p = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"sockit!!"
    s.sendto(p[:2] + struct.pack("!H", csum(p)) + p[4:], (host, 0))
EOF
}

# mixed_traffic NS: TCP, UDP, ICMP, ICMPv6 (and ARP/ND) from NS to the peer.
mixed_traffic() {
	ip netns exec "$1" /usr/bin/python3 - <<'EOF'
import socket
for host, fam in (("10.55.0.2", socket.AF_INET), ("fd55::2", socket.AF_INET6)):
    u = socket.socket(fam, socket.SOCK_DGRAM)
    for p in (53, 5000, 5001):
        u.sendto(b"x" * 20, (host, p))
    t = socket.socket(fam, socket.SOCK_STREAM)
    t.settimeout(2)
    try:
        t.connect((host, 80))   # refused: SYN then RST
    except OSError:
        pass
EOF
	icmp_echo 10.55.0.2 "$1"
	icmp_echo fd55::2 "$1"
}

# ---- documentation -----------------------------------------------------------

@test "sniff: man page SYNOPSIS matches 'sockit __synopsis sniff' and renders cleanly" {
	page="$BATS_TEST_DIRNAME/../man/sockit-sniff.1"
	syn=$(sockit __synopsis sniff)
	run awk '/^\.SH SYNOPSIS/{s=1;next} s&&/^\.nf/{n=1;next} n&&/^\.fi/{exit} n{print}' "$page"
	assert_output "$syn"
	run groff -ww -man -z "$page"
	assert_success
	assert_output ""
	grep -q '^\.SH FILTERS' "$page"
}

# ---- reading pcap files, printers ---------------------------------------------

@test "sniff --read: py output is recvfrom()'s (bytes, AF_PACKET address)" {
	run --separate-stderr sockit sniff --read "$PCAP" -c 1
	assert_success
	assert_output "(b'\\x02\\x00\\x00\\x00\\x00\\x02\\x02\\x00\\x00\\x00\\x00\\x01\\x08\\x00E\\x00\\x00(\\x00\\x01\\x00\\x00@\\x06f\\xcd\\n\\x00\\x00\\x01\\n\\x00\\x00\\x02\\x9c@\\x00P\\x00\\x00\\x03\\xe8\\x00\\x00\\x00\\x00P\\x02\\xff\\xff\\x00\\x00\\x00\\x00', ('', 2048, 0, 1, b'\\x02\\x00\\x00\\x00\\x00\\x01'))"
	[[ "$stderr" == "reading from file $PCAP, link-type EN10MB (Ethernet), snapshot length 262144" ]]
}

@test "sniff --read -j: JSON Lines with data, address, ts and a decoded summary" {
	run --separate-stderr sockit -j sniff --read "$PCAP"
	assert_success
	echo "$output" | /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == 42, len(rows)
r = rows[0]
assert set(r) == {"data", "address", "ts", "summary"}, r.keys()
assert r["ts"] == 1000.0
assert r["address"] == {"ifname": "", "proto": 2048, "pkttype": 0, "hatype": 1, "addr": "020000000001"}
s = r["summary"]
assert s["eth"]["src"] == "02:00:00:00:00:01" and s["eth"]["type"] == 2048
assert s["ipv4"]["src"] == "10.0.0.1" and s["ipv4"]["proto"] == 6
assert s["tcp"] == {"sport": 40000, "dport": 80, "seq": 1000, "ack": 0, "flags": "S", "win": 65535, "len": 0}
assert rows[4]["summary"]["udp"]["dport"] == 53
assert rows[8]["summary"]["icmp"] == {"type": 8, "code": 0, "id": 7, "seq": 1}
assert rows[18]["summary"]["arp"]["op"] == "request"
assert rows[24]["summary"]["icmp6"]["type"] == 128
assert [e["type"] for e in rows[26]["summary"]["ipv6"]["ext"]] == [0]
assert rows[27]["summary"]["ipv6"]["ext"][0]["type"] == 44 and rows[27]["summary"]["udp"]["dport"] == 53
assert [v["id"] for v in rows[33]["summary"]["vlan"]] == [100, 10]
assert rows[34]["summary"]["unknown"]["type"] == 0x88cc
assert rows[34]["summary"]["unknown"]["hex"].startswith("020704")
assert rows[41]["summary"]["caplen"] == 30
'
}

@test "sniff --read -r: one tcpdump-like line per packet" {
	run --separate-stderr env TZ=UTC "$SOCKIT" -r sniff --read "$PCAP"
	assert_success
	assert_line --index 0 "00:16:40.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, length 0"
	assert_line --index 4 "00:16:44.000000 IP 192.168.1.10.5353 > 8.8.8.8.53: UDP, length 16"
	assert_line --index 8 "00:16:48.000000 IP 10.0.0.1 > 192.168.1.10: ICMP echo request, id 7, seq 1, length 12"
	assert_line --index 18 "00:16:58.000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"
	assert_line --index 30 "00:17:10.000000 vlan 10, p 0, IP 10.0.0.1.4000 > 10.0.0.2.53: UDP, length 16"
	[ "${#lines[@]}" -eq 42 ]
}

@test "sniff --read -r: TCP flags in tcpdump's order for every combination seen (issue 18)" {
	/usr/bin/python3 - "$BATS_TEST_TMPDIR/fl.pcap" <<'PY'
import struct, sys
def pkt(fl):
    tcp = struct.pack("!HHIIBBHHH", 1, 2, 0, 0, 0x50, fl, 100, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                     bytes([1, 1, 1, 1]), bytes([2, 2, 2, 2]))
    return b"\2" * 6 + b"\4" * 6 + b"\x08\x00" + ip + tcp
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for i, fl in enumerate(range(256)):
        p = pkt(fl)
        f.write(struct.pack("<IIII", 1000 + i, 0, len(p), len(p)))
        f.write(p)
PY
	run sockit sniff -q -r --read "$BATS_TEST_TMPDIR/fl.pcap"
	assert_success
	local mine theirs
	mine=$(echo "$output" | grep -o 'Flags \[[^]]*\]')
	theirs=$(tcpdump -nn -r "$BATS_TEST_TMPDIR/fl.pcap" 2>/dev/null | grep -o 'Flags \[[^]]*\]')
	[ "$(echo "$mine" | wc -l)" -eq 256 ]
	assert_equal "$mine" "$theirs"
}

@test "sniff -v --read: py adds ts and summary, the same facts as JSON" {
	run --separate-stderr sockit -v sniff --read "$PCAP" -c 1
	assert_success
	assert_output "(b'\\x02\\x00\\x00\\x00\\x00\\x02\\x02\\x00\\x00\\x00\\x00\\x01\\x08\\x00E\\x00\\x00(\\x00\\x01\\x00\\x00@\\x06f\\xcd\\n\\x00\\x00\\x01\\n\\x00\\x00\\x02\\x9c@\\x00P\\x00\\x00\\x03\\xe8\\x00\\x00\\x00\\x00P\\x02\\xff\\xff\\x00\\x00\\x00\\x00', ('', 2048, 0, 1, b'\\x02\\x00\\x00\\x00\\x00\\x01'), 1000.0, {'eth': {'src': '02:00:00:00:00:01', 'dst': '02:00:00:00:00:02', 'type': 2048}, 'ipv4': {'src': '10.0.0.1', 'dst': '10.0.0.2', 'proto': 6, 'ttl': 64, 'id': 1, 'len': 40, 'flags': '', 'frag': 0}, 'tcp': {'sport': 40000, 'dport': 80, 'seq': 1000, 'ack': 0, 'flags': 'S', 'win': 65535, 'len': 0}, 'caplen': 54, 'len': 54})"
	"$SOCKIT" -v sniff --read "$PCAP" 2>/dev/null >"$BATS_TEST_TMPDIR/py"
	"$SOCKIT" -j sniff -q --read "$PCAP" >"$BATS_TEST_TMPDIR/json"
	"$SOCKIT" sniff -q --read "$PCAP" >"$BATS_TEST_TMPDIR/plain"
	/usr/bin/python3 - "$BATS_TEST_TMPDIR" <<'EOF'
import ast, json, sys
d = sys.argv[1]
py = [ast.literal_eval(l) for l in open(d + "/py")]
js = [json.loads(l) for l in open(d + "/json")]
plain = [ast.literal_eval(l) for l in open(d + "/plain")]
assert len(py) == len(js) == len(plain) == 42, (len(py), len(js), len(plain))
for p, j, q in zip(py, js, plain):
    data, addr, ts, summary = p
    assert (data, addr) == q
    assert data.hex() == j["data"]
    assert list(addr[:4]) == [j["address"][k] for k in ("ifname", "proto", "pkttype", "hatype")]
    assert addr[4].hex() == j["address"]["addr"]
    assert ts == j["ts"] and summary == j["summary"], (p, j)
assert [v["id"] for v in py[33][3]["vlan"]] == [100, 10]
assert py[27][3]["ipv6"]["ext"][0]["more"] is True
EOF
}

@test "sniff -v --read -r: the line, then ts and summary as JSON has them, in PATH=VALUE fields" {
	run --separate-stderr env TZ=UTC "$SOCKIT" -v -r sniff --read "$PCAP" -c 1
	assert_success
	assert_output "$(printf '00:16:40.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 65535, length 0\tts=1000.0\tsummary.eth.src=02:00:00:00:00:01\tsummary.eth.dst=02:00:00:00:00:02\tsummary.eth.type=2048\tsummary.ipv4.src=10.0.0.1\tsummary.ipv4.dst=10.0.0.2\tsummary.ipv4.proto=6\tsummary.ipv4.ttl=64\tsummary.ipv4.id=1\tsummary.ipv4.len=40\tsummary.ipv4.flags=\tsummary.ipv4.frag=0\tsummary.tcp.sport=40000\tsummary.tcp.dport=80\tsummary.tcp.seq=1000\tsummary.tcp.ack=0\tsummary.tcp.flags=S\tsummary.tcp.win=65535\tsummary.tcp.len=0\tsummary.caplen=54\tsummary.len=54')"
	TZ=UTC "$SOCKIT" -v -r sniff --read "$PCAP" 2>/dev/null >"$BATS_TEST_TMPDIR/raw"
	TZ=UTC "$SOCKIT" -r sniff -q --read "$PCAP" >"$BATS_TEST_TMPDIR/line"
	"$SOCKIT" -j sniff -q --read "$PCAP" >"$BATS_TEST_TMPDIR/json"
	/usr/bin/python3 - "$BATS_TEST_TMPDIR" <<'EOF'
import json, sys
d = sys.argv[1]
raw = open(d + "/raw").read().splitlines()
line = open(d + "/line").read().splitlines()
js = [json.loads(l) for l in open(d + "/json")]
assert len(raw) == len(line) == len(js) == 42
def flat(v, path, out):
    if isinstance(v, dict):
        for k, x in v.items():
            flat(x, path + [k], out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flat(x, path + [str(i)], out)
    else:
        s = json.dumps(v) if isinstance(v, bool) or v is None else str(v)
        out.append(".".join(path) + "=" + ("" if v is None else s))
for r, l, j in zip(raw, line, js):
    f = r.split("\t")
    assert f[0] == l, (f[0], l)
    want = []
    flat({"ts": j["ts"], "summary": j["summary"]}, [], want)
    assert f[1:] == want, (f[1:], want)
assert "summary.vlan.1.id=10" in raw[33].split("\t")
assert "summary.ipv6.ext.0.more=true" in raw[27].split("\t")
EOF
}

@test "sniff --read: a corrupt or foreign file is a clean error" {
	printf 'not a pcap file at all, sorry' >"$BATS_TEST_TMPDIR/bad"
	run sockit sniff --read "$BATS_TEST_TMPDIR/bad"
	assert_failure 2
	assert_output --partial "not a pcap file"
	head -c 100 "$PCAP" >"$BATS_TEST_TMPDIR/cut.pcap"
	run --separate-stderr sockit sniff --read "$BATS_TEST_TMPDIR/cut.pcap"
	assert_failure 2
	[[ "$stderr" == *"truncated"* ]]
	run sockit sniff --read "$BATS_TEST_TMPDIR/nonexistent.pcap"
	assert_failure 1
	assert_output --partial "FileNotFoundError"
}

@test "sniff --read -w: filtered copy that tcpdump reads" {
	run sockit sniff -q --read "$PCAP" --filter 'udp port 53' -w "$BATS_TEST_TMPDIR/dns.pcap"
	assert_success
	run tcpdump -nn -tt -r "$BATS_TEST_TMPDIR/dns.pcap"
	assert_success
	[ "$(echo "$output" | grep -c '^[0-9]')" -eq "$(tcpdump -nn -r "$PCAP" 'udp port 53' 2>/dev/null | wc -l)" ]
}

@test "sniff --read -w: a copy byte for byte, across the writer's buffer growth and flushes" {
	# 3000 records of 1 to 200000 bytes (about 37 MB): the buffer grows from
	# 4 KiB, is flushed at 1 MiB, and grows again for records larger than that
	/usr/bin/python3 - "$BATS_TEST_TMPDIR/big.pcap" <<'PY'
import random, struct, sys
rnd = random.Random(8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    for i in range(3000):
        n = rnd.choice([1, 60, 1500, 9000, 65535, 200000]) if i % 7 else rnd.randrange(1, 300)
        f.write(struct.pack("<IIII", 1700000000 + i, i % 1000000, n, n + (i % 3)))
        f.write(rnd.randbytes(n))
PY
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/big.pcap" -w "$BATS_TEST_TMPDIR/copy.pcap"
	assert_success
	cmp "$BATS_TEST_TMPDIR/big.pcap" "$BATS_TEST_TMPDIR/copy.pcap"
}

@test "sniff --read -w of a cooked (LINUX_SLL, LINUX_SLL2) file: each record once, header included (issue 18)" {
	# the writer used to put a second cooked header before the record's own
	/usr/bin/python3 - "$BATS_TEST_TMPDIR" <<'PY'
import socket, struct, sys
ip = bytes.fromhex("4500001d00010000401100007f0000017f000001") + \
    struct.pack("!HHHH", 4000, 53, 9, 0) + b"x"
sll = struct.pack("!HHH8sH", 0, 772, 6, bytes(8), 0x0800) + ip
sll2 = struct.pack("!HHIHBB8s", 0x0800, 0, 1, 772, 0, 6, bytes(8)) + ip
for name, lt, frame in (("sll", 113, sll), ("sll2", 276, sll2)):
    with open(sys.argv[1] + "/" + name + ".pcap", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, lt))
        for i in range(3):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(frame), len(frame)))
            f.write(frame)
PY
	local t
	for t in sll sll2; do
		run sockit sniff -q --read "$BATS_TEST_TMPDIR/$t.pcap" -w "$BATS_TEST_TMPDIR/$t.copy"
		assert_success
		cmp "$BATS_TEST_TMPDIR/$t.pcap" "$BATS_TEST_TMPDIR/$t.copy"
		run sockit sniff -q --read "$BATS_TEST_TMPDIR/$t.pcap" --filter 'udp port 53' -w "$BATS_TEST_TMPDIR/$t.f"
		assert_success
		cmp "$BATS_TEST_TMPDIR/$t.pcap" "$BATS_TEST_TMPDIR/$t.f"
		run tcpdump -nn -r "$BATS_TEST_TMPDIR/$t.f"
		assert_success
		[ "$(echo "$output" | grep -c '127.0.0.1.4000 > 127.0.0.1.53: ')" -eq 3 ]
	done
}

@test "sniff --read pcapng: editcap's copy gives what the pcap gives, from a file and from a pipe (issue 18)" {
	editcap -F pcapng "$PCAP" "$BATS_TEST_TMPDIR/m.pcapng"
	"$SOCKIT" -j sniff -q --read "$PCAP" >"$BATS_TEST_TMPDIR/a"
	run sockit -j sniff --read "$BATS_TEST_TMPDIR/m.pcapng"
	assert_success
	assert_line --index 0 '{"reading": "'"$BATS_TEST_TMPDIR"'/m.pcapng", "linktype": "EN10MB", "snaplen": 262144}'
	"$SOCKIT" -j sniff -q --read "$BATS_TEST_TMPDIR/m.pcapng" | cmp - "$BATS_TEST_TMPDIR/a"
	cat "$BATS_TEST_TMPDIR/m.pcapng" | "$SOCKIT" -j sniff -q --read - | cmp - "$BATS_TEST_TMPDIR/a"
	# and -w gives back the pcap, byte for byte
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/m.pcapng" -w "$BATS_TEST_TMPDIR/back.pcap"
	assert_success
	cmp "$PCAP" "$BATS_TEST_TMPDIR/back.pcap"
}

# mkng DIR: DIR/x.pcapng, two sections (big-endian, then little-endian) and
# three interfaces: EN10MB in nanoseconds with a 100 s offset, RAW in
# 2**-10 s, EN10MB with snaplen 40 and a simple packet block; statistics and
# unknown blocks between.  DIR/x.want: per packet, "seconds caplen".
mkng() {
	/usr/bin/python3 - "$1" <<'PY'
import struct, sys
d = sys.argv[1]
eth = bytes.fromhex("020000000002020000000001" "0800")
ip = bytes.fromhex("4500001d00010000401100007f0000017f000001") + \
    struct.pack("!HHHH", 4000, 53, 9, 0) + b"x"
def blk(e, t, body):
    body += bytes(-len(body) % 4)
    n = len(body) + 12
    return struct.pack(e + "II", t, n) + body + struct.pack(e + "I", n)
def opt(e, code, v):
    return struct.pack(e + "HH", code, len(v)) + v + bytes(-len(v) % 4)
def shb(e):
    return blk(e, 0x0a0d0d0a, struct.pack(e + "IHHq", 0x1a2b3c4d, 1, 0, -1))
def idb(e, lt, snap, *opts):
    return blk(e, 1, struct.pack(e + "HHI", lt, 0, snap) + b"".join(opts) + bytes(4))
def epb(e, ifid, ts, data, wire=None):
    return blk(e, 6, struct.pack(e + "IIIII", ifid, ts >> 32, ts & 0xffffffff,
        len(data), wire or len(data)) + data)
want = []
f = shb(">") + idb(">", 1, 262144, opt(">", 2, b"eth0"), opt(">", 9, b"\x09"),
    opt(">", 14, struct.pack(">q", 100)))
f += idb(">", 101, 65535, opt(">", 9, b"\x8a"))
f += epb(">", 0, 5 * 10**9 + 250000000, eth + ip); want.append("105.25 %d" % (14 + len(ip)))
f += blk(">", 5, struct.pack(">IIII", 0, 0, 0, 0))          # statistics
f += epb(">", 1, (7 << 10) + 512, ip); want.append("7.5 %d" % len(ip))
f += blk(">", 0x40000bad, b"zz")                              # unknown
f += shb("<") + idb("<", 1, 40)
f += blk("<", 3, struct.pack("<I", 14 + len(ip)) + (eth + ip)[:40])
want.append("0.0 40")
f += epb("<", 0, 9 * 10**6, eth + ip); want.append("9.0 %d" % (14 + len(ip)))
open(d + "/x.pcapng", "wb").write(f)
open(d + "/x.want", "w").write("\n".join(want) + "\n")
PY
}

@test "sniff --read pcapng: sections in either byte order, several link types, timestamp resolutions and offsets, simple packets (issue 18)" {
	mkng "$BATS_TEST_TMPDIR"
	run sockit -j sniff -q --read "$BATS_TEST_TMPDIR/x.pcapng"
	assert_success
	echo "$output" | /usr/bin/python3 -c '
import json, sys
for l in sys.stdin:
    j = json.loads(l)
    print(j["ts"], j["summary"]["caplen"])' >"$BATS_TEST_TMPDIR/got"
	diff "$BATS_TEST_TMPDIR/x.want" "$BATS_TEST_TMPDIR/got"
	# tshark agrees on the times and lengths (it lists the unknown block as
	# a record of no bytes)
	tshark -r "$BATS_TEST_TMPDIR/x.pcapng" -T fields -e frame.time_epoch -e frame.cap_len 2>/dev/null |
	    awk -F '\t' '$2 > 0 { printf "%g %d\n", $1, $2 }' >"$BATS_TEST_TMPDIR/theirs"
	awk '{ printf "%g %d\n", $1, $2 }' "$BATS_TEST_TMPDIR/x.want" | diff - "$BATS_TEST_TMPDIR/theirs"
	# a filter is compiled for each link type
	run sockit -j sniff -q --read "$BATS_TEST_TMPDIR/x.pcapng" --filter 'udp port 53'
	assert_success
	[ "${#lines[@]}" -eq 4 ]
	# which fails, after what it printed, where a link type has no ether
	run --separate-stderr sockit -j sniff -q --read "$BATS_TEST_TMPDIR/x.pcapng" --filter 'ether host 02:00:00:00:00:01'
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	[[ "$stderr" == *"ether primitives need an Ethernet link"* ]]
}

@test "sniff --read pcapng -w: one link type per pcap file, any number with --pcapng (issue 18)" {
	mkng "$BATS_TEST_TMPDIR"
	run --separate-stderr sockit sniff -q --read "$BATS_TEST_TMPDIR/x.pcapng" -w "$BATS_TEST_TMPDIR/c.pcap"
	assert_failure 2
	[[ "$stderr" == *"a pcap file has one link type, and interface 1 is 101 (RAW (Raw IP)), not 1 (use --pcapng)"* ]]
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/x.pcapng" --pcapng -w "$BATS_TEST_TMPDIR/c.pcapng"
	assert_success
	run --separate-stderr capinfos "$BATS_TEST_TMPDIR/c.pcapng"
	assert_success
	[ -z "$stderr" ]
	[[ "$output" == *"Number of interfaces in file: 3"* ]]
	[[ "$output" == *"Number of packets:   4"* ]]
	"$SOCKIT" -j sniff -q --read "$BATS_TEST_TMPDIR/x.pcapng" >"$BATS_TEST_TMPDIR/a"
	"$SOCKIT" -j sniff -q --read "$BATS_TEST_TMPDIR/c.pcapng" | diff "$BATS_TEST_TMPDIR/a" -
	tshark -r "$BATS_TEST_TMPDIR/c.pcapng" -T fields -e frame.interface_name 2>/dev/null | head -1 | grep -qx eth0
}

@test "sniff --pcapng -w: tcpdump, tshark and capinfos read it without a warning, in micro- and nanoseconds (issue 18)" {
	local nano prec
	for nano in "" --nano; do
		prec="microseconds (6)"
		[ -z "$nano" ] || prec="nanoseconds (9)"
		run sockit sniff -q --read "$PCAP" --pcapng $nano -w "$BATS_TEST_TMPDIR/n.pcapng"
		assert_success
		run --separate-stderr capinfos "$BATS_TEST_TMPDIR/n.pcapng"
		assert_success
		[ -z "$stderr" ]
		[[ "$output" == *"File type:           Wireshark/... - pcapng"* ]]
		[[ "$output" == *"Time precision = $prec"* ]]
		diff <(tcpdump -nn -tt -r "$PCAP" 2>/dev/null) <(tcpdump -nn -tt -r "$BATS_TEST_TMPDIR/n.pcapng" 2>/dev/null)
		[ "$(tshark -r "$BATS_TEST_TMPDIR/n.pcapng" 2>/dev/null | grep -c .)" -eq 42 ]
		run sockit sniff -q --read "$BATS_TEST_TMPDIR/n.pcapng" -w "$BATS_TEST_TMPDIR/back.pcap"
		[ -n "$nano" ] || cmp "$PCAP" "$BATS_TEST_TMPDIR/back.pcap"
	done
	run sockit sniff --pcapng
	assert_failure 2
	assert_output --partial "--pcapng"
}

@test "sniff --read pcapng: truncated and corrupt blocks are clean errors after what was whole (issue 18)" {
	editcap -F pcapng "$PCAP" "$BATS_TEST_TMPDIR/m.pcapng"
	head -c 1000 "$BATS_TEST_TMPDIR/m.pcapng" >"$BATS_TEST_TMPDIR/cut"
	run --separate-stderr sockit sniff -q --read "$BATS_TEST_TMPDIR/cut"
	assert_failure 2
	[[ "$stderr" == *"pcapng: truncated block at offset"* ]]
	[ "${#lines[@]}" -ge 5 ]
	# the first interface description's trailing length changed
	/usr/bin/python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
n = int.from_bytes(b[4:8], "little")
i = n + int.from_bytes(b[n + 4:n + 8], "little") - 4
b[i] ^= 4
open(sys.argv[2], "wb").write(b)' "$BATS_TEST_TMPDIR/m.pcapng" "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr sockit sniff -q --read "$BATS_TEST_TMPDIR/bad"
	assert_failure 2
	[[ "$stderr" == *"pcapng: corrupt block (lengths differ) at offset"* ]]
	printf '\n\r\r\n\034\0\0\0M<+\032\1\0\0\0\377\377\377\377\377\377\377\377\034\0\0\0' >"$BATS_TEST_TMPDIR/empty"
	run --separate-stderr sockit sniff -q --read "$BATS_TEST_TMPDIR/empty"
	assert_failure 2
	[[ "$stderr" == *"pcapng: no interface description"* ]]
}

@test "sniff -i lo --pcapng -w: a live pcapng file names its interface (issue 18)" {
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i lo -c 2 --filter "udp port $port" --pcapng -w "$BATS_TEST_TMPDIR/lo.pcapng"
	udp_send 127.0.0.1 "$port" 2
	wait "$SNIFF_PID"
	run --separate-stderr tshark -r "$BATS_TEST_TMPDIR/lo.pcapng" -T fields -e frame.interface_name -e udp.dstport
	assert_success
	assert_output "lo	$port
lo	$port"
}

@test "sniff --read --snaplen -w: records cut at N and the copy's header says N (issue 18)" {
	run sockit sniff -q --read "$PCAP" --snaplen 40 -w "$BATS_TEST_TMPDIR/cut.pcap"
	assert_success
	run /usr/bin/python3 - "$BATS_TEST_TMPDIR/cut.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
snap = struct.unpack_from("<I", d, 16)[0]
off, n, longest = 24, 0, 0
while off < len(d):
    caplen, wirelen = struct.unpack_from("<II", d, off + 8)
    longest = max(longest, caplen)
    off += 16 + caplen
    n += 1
print(snap, n > 10, longest)
PY
	assert_output "40 True 40"
}

# ---- filters ----------------------------------------------------------------------

@test "sniff --filter: same verdicts as tcpdump for every expression of tests/data/filters.txt" {
	local n=0 bad=0 e a b
	while IFS= read -r e; do
		case "$e" in '#'* | '') continue ;; esac
		n=$((n + 1))
		a=$(tcpdump -nn -tt -r "$PCAP" "$e" 2>/dev/null | grep -o '^[0-9]*' | tr '\n' ' ')
		b=$("$SOCKIT" -j sniff -q --read "$PCAP" --filter "$e" | grep -o '"ts": [0-9]*' | cut -d' ' -f2 | tr '\n' ' ')
		if [ "$a" != "$b" ]; then
			echo "[$e] tcpdump: $a" >&2
			echo "[$e] sockit:  $b" >&2
			bad=$((bad + 1))
		fi
	done <"$BATS_TEST_DIRNAME/data/filters.txt"
	echo "$n expressions, $bad differ" >&2
	[ "$n" -ge 50 ]
	[ "$bad" -eq 0 ]
}

@test "sniff --read of NULL, LOOP and the raw IP link types: tcpdump's verdicts, decoded as IP (issue 18)" {
	# the IP packets of mixed.pcap in each link type (NULL in both byte
	# orders, with a non-IP family record), then filters against tcpdump
	/usr/bin/python3 - "$PCAP" "$BATS_TEST_TMPDIR" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
recs, off = [], 24
while off < len(d):
    sec, usec, cap, wire = struct.unpack_from("<IIII", d, off)
    frame = d[off + 16:off + 16 + cap]
    off += 16 + cap
    if cap >= 14 and frame[12:14] in (b"\x08\x00", b"\x86\xdd"):
        recs.append((sec, frame[14:], wire - 14))
def write(name, lt, order, head):
    with open(sys.argv[2] + "/" + name + ".pcap", "wb") as f:
        f.write(struct.pack(order + "IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, lt))
        for sec, ip, wire in recs:
            if (lt, ip[0] >> 4) in ((228, 6), (229, 4)):
                continue    # IPv4 and IPv6 alone
            h = head(ip)
            f.write(struct.pack(order + "IIII", sec, 0, len(h) + len(ip), len(h) + wire) + h + ip)
        if lt in (0, 108):
            h = struct.pack((order if lt == 0 else ">") + "I", 7)
            f.write(struct.pack(order + "IIII", 5000, 0, 24, 24) + h + b"\x45" + b"\0" * 19)
af = lambda o, ip: struct.pack(o + "I", 2 if ip[0] >> 4 == 4 else 30)
write("null-le", 0, "<", lambda ip: af("<", ip))
write("null-be", 0, ">", lambda ip: af(">", ip))
write("loop", 108, "<", lambda ip: af(">", ip))
for lt in (12, 101, 228, 229):  # 14 (OpenBSD's DLT_RAW): no tcpdump to ask
    write("raw%d" % lt, lt, "<", lambda ip: b"")
PY
	local f e a b bad=0
	for f in null-le null-be loop raw12 raw101 raw228 raw229; do
		for e in ip ip6 udp tcp icmp 'udp port 53' 'host 10.0.0.1' 'src net 10.0.0.0/8' 'ip6 and udp' 'not ip' 'tcp port 80 or udp' 'ip proto 17' 'dst host 2001:db8::2' 'ip6 proto 58'; do
			a=$(tcpdump -nn -tt -r "$BATS_TEST_TMPDIR/$f.pcap" "$e" 2>/dev/null | grep -o '^[0-9]*' | tr '\n' ' ')
			b=$("$SOCKIT" -j sniff -q --read "$BATS_TEST_TMPDIR/$f.pcap" --filter "$e" | grep -o '"ts": [0-9]*' | cut -d' ' -f2 | tr '\n' ' ')
			[ -n "$a" ] || [ "$e" = 'not ip' ] || [ "$f" = raw228 ] || [ "$f" = raw229 ] ||
				{ echo "[$f $e] tcpdump matched nothing"; bad=1; }
			[ "$a" = "$b" ] || { echo "[$f $e] tcpdump: $a / sockit: $b"; bad=1; }
		done
		run "$SOCKIT" -j sniff -q --read "$BATS_TEST_TMPDIR/$f.pcap" -c 1
		assert_success
		assert_output --regexp '"ipv[46]": \{'
	done
	[ "$bad" = 0 ]
	# a link type the compiler lacks is refused with a filter, read without
	/usr/bin/python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<IHHiIIIIIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 105, 1, 0, 4, 4) + b"abcd")' >"$BATS_TEST_TMPDIR/wifi.pcap"
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/wifi.pcap" --filter tcp
	assert_failure 2
	assert_output "sockit: ValueError: filter: link type 105 (unknown) is not supported"
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/wifi.pcap"
	assert_success
	assert_output --partial "b'abcd'"
}

@test "sniff --bpf: tcpdump -ddd programs give the same verdicts as --filter" {
	local e
	for e in 'tcp port 80' 'udp or icmp6' 'net 10.0.0.0/24 and not arp' 'vlan 10'; do
		prog=$(tcpdump -ddd -r "$PCAP" "$e" 2>/dev/null)
		a=$(sockit -j sniff -q --read "$PCAP" --bpf "$prog" | grep -o '"ts": [0-9]*')
		b=$(sockit -j sniff -q --read "$PCAP" --filter "$e" | grep -o '"ts": [0-9]*')
		[ -n "$a" ]
		[ "$a" = "$b" ]
	done
	echo "$prog" >"$BATS_TEST_TMPDIR/prog"
	run sockit -j sniff -q --read "$PCAP" --bpf "$BATS_TEST_TMPDIR/prog"
	assert_success
	[ "${#lines[@]}" -eq 2 ]
}

@test "sniff --bpf: the validator refuses exactly what the kernel's SO_ATTACH_FILTER does, naming the fault (issue 18)" {
	local n=400
	light && n=40
	# programs in tcpdump -ddd form, one per line (commas for newlines): the
	# kernel's verdict (EINVAL or 0) through CPython, then sockit's
	/usr/bin/python3 - "$n" >"$BATS_TEST_TMPDIR/progs" <<'PY'
import ctypes, random, socket, struct, sys
rnd = random.Random(18)
ops = [0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x80, 0x01, 0x61,
       0x81, 0xb1, 0x02, 0x03, 0x04, 0x0c, 0x34, 0x94, 0x84, 0x05, 0x15,
       0x1d, 0x45, 0x06, 0x16, 0x07, 0x87, 0x08, 0x0e, 0x97, 0x70, 0xc4]
def insn():
    c = rnd.choice(ops)
    k = rnd.choice([0, 1, 2, 15, 16, 14, 0xfffff000, 0xfffff004,
                    0xfffff040, 0xfffff044, 0xfff00000, 1000])
    return (c, rnd.randrange(4), rnd.randrange(4), k)
fixed = [
    [(0x06, 0, 0, 0)],
    [(0x60, 0, 0, 0), (0x16, 0, 0, 0)],
    [(0x02, 0, 0, 3), (0x60, 0, 0, 3), (0x16, 0, 0, 0)],
    [(0x15, 0, 1, 0), (0x02, 0, 0, 0), (0x60, 0, 0, 0), (0x06, 0, 0, 0)],
    [(0x34, 0, 0, 0), (0x06, 0, 0, 0)],
    [(0x20, 0, 0, 0xfffff03c), (0x16, 0, 0, 0)],
    [(0x20, 0, 0, 0xfffff040), (0x16, 0, 0, 0)],
    [(0x05, 0, 0, 1), (0x06, 0, 0, 0)],
    [(0x00, 0, 0, 0)],
]
progs = fixed + [[insn() for _ in range(rnd.randrange(1, 6))] +
                 ([(0x06, 0, 0, 1)] if rnd.random() < 0.8 else [])
                 for _ in range(int(sys.argv[1]))]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for p in progs:
    raw = b"".join(struct.pack("HBBI", *i) for i in p)
    buf = ctypes.create_string_buffer(raw)
    fprog = struct.pack("HL", len(p), ctypes.addressof(buf))
    try:
        s.setsockopt(socket.SOL_SOCKET, 26, fprog)  # SO_ATTACH_FILTER
        v = "ok"
    except OSError as e:
        v = "refused" if e.errno == 22 else "errno%d" % e.errno
    print(v, ",".join([str(len(p))] + ["%d %d %d %d" % i for i in p]))
PY
	[ "$(wc -l <"$BATS_TEST_TMPDIR/progs")" -ge 40 ]
	grep -q '^ok ' "$BATS_TEST_TMPDIR/progs"
	grep -q '^refused ' "$BATS_TEST_TMPDIR/progs"
	local want prog got bad=0
	while read -r want prog; do
		"$SOCKIT" sniff -q --read "$PCAP" --bpf "$prog" -c 1 >/dev/null 2>"$BATS_TEST_TMPDIR/err" && got=ok || got=$?
		case $want:$got in
		ok:ok) ;;
		refused:2) grep -q "^sockit: ValueError: bpf: invalid program: .* (instruction [0-9]* of [0-9]*)$" "$BATS_TEST_TMPDIR/err" || { echo "$prog: $(cat "$BATS_TEST_TMPDIR/err")"; bad=1; } ;;
		*) echo "kernel $want, sockit $got: $prog: $(cat "$BATS_TEST_TMPDIR/err")"; bad=1 ;;
		esac
	done <"$BATS_TEST_TMPDIR/progs"
	[ "$bad" = 0 ]
}

@test "sniff --dump-bpf prints tcpdump -ddd form that --bpf takes back" {
	run sockit sniff --read "$PCAP" --filter 'tcp port 80' --dump-bpf
	assert_success
	[ "${lines[0]}" -eq $((${#lines[@]} - 1)) ]
	[[ "${lines[1]}" == "40 0 0 12" ]]
	assert_line "6 0 0 262144"
	prog=$output
	a=$(sockit -j sniff -q --read "$PCAP" --bpf "$prog" | grep -c '"ts"')
	[ "$a" -eq 7 ]
	run sockit sniff -i lo --filter 'vlan 5' --dump-bpf
	assert_success
	assert_line "32 0 0 4294963248"
}

@test "sniff --filter: long filters compile with trampolines for the far jumps, and keep what tcpdump keeps (issue 18)" {
	local ports hosts nets e a b n
	ports=$(seq 1 100 | sed 's/^/port /' | paste -sd' ' | sed 's/ port/ or port/g')
	hosts=$(seq 1 60 | sed 's/^/host 10.0.0./' | paste -sd' ' | sed 's/ host/ or host/g')
	nets=$(seq 1 40 | sed 's/.*/net 10.0.&.0\/24/' | paste -sd' ' | sed 's/ net/ or net/g')
	for e in "$ports or port 53 or port 80" "not ($ports or port 22)" "$hosts" \
	    "$nets or net 10.0.0.0/24" "tcp and ($ports or port 80) and not port 3"; do
		# against libpcap's unoptimized program: its optimizer moves loads,
		# so that a truncated packet can pass where a load would reject it
		a=$(tcpdump -O -nn -tt -r "$PCAP" "$e" 2>/dev/null | grep -c '^[0-9]')
		b=$("$SOCKIT" -j sniff -q --read "$PCAP" --filter "$e" | wc -l)
		[ "$a" -eq "$b" ] || { echo "$e: tcpdump kept $a, sockit $b" | cut -c1-200; false; }
		n=$("$SOCKIT" sniff --read "$PCAP" --dump-bpf --filter "$e" | head -n 1)
		[ "$n" -gt 255 ] && [ "$n" -le 4096 ]
	done
	# the kernel takes the long program on a live socket
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i lo -c 1 --filter "$ports or udp port $port"
	udp_send 127.0.0.1 "$port" 1
	wait "$SNIFF_PID"
	grep -q packet-0 "$BATS_TEST_TMPDIR/out"
}

@test "sniff for tcpdump users: the filter after the options, -F FILE, -s, -n/-nn/-l/--immediate-mode (issue 18)" {
	"$SOCKIT" -j sniff -q --read "$PCAP" --filter 'udp port 53 or icmp' >"$BATS_TEST_TMPDIR/want"
	[ -s "$BATS_TEST_TMPDIR/want" ]
	"$SOCKIT" -j sniff -q --read "$PCAP" udp port 53 or icmp | cmp - "$BATS_TEST_TMPDIR/want"
	"$SOCKIT" -j sniff -nn -l --immediate-mode -n -q --read "$PCAP" -- udp port 53 or icmp | cmp - "$BATS_TEST_TMPDIR/want"
	printf '# DNS and pings\nudp port 53 # the resolver\n  or icmp\n' >"$BATS_TEST_TMPDIR/f"
	"$SOCKIT" -j sniff -q --read "$PCAP" -F "$BATS_TEST_TMPDIR/f" | cmp - "$BATS_TEST_TMPDIR/want"
	run sockit sniff -q --read "$PCAP" --filter icmp udp
	assert_failure 2
	assert_output --partial "a filter after the options ('udp') cannot go with --filter, --bpf or -F"
	run sockit sniff -q --read "$PCAP" -F "$BATS_TEST_TMPDIR/f" --filter icmp
	assert_failure 2
	run sockit sniff -F "$BATS_TEST_TMPDIR/nonexistent"
	assert_failure 1
	assert_output --partial "FileNotFoundError: [Errno 2] No such file or directory: '$BATS_TEST_TMPDIR/nonexistent'"
	# tcpdump's -r reads a file; sockit's is the raw format: say so
	run sockit sniff -r "$PCAP"
	assert_failure 2
	assert_output --partial "-r is sockit's raw output format, not tcpdump's -r: read '$PCAP' with --read"
	run --separate-stderr sockit sniff -s 0 --read "$PCAP" -c 1
	assert_success
	[[ "$stderr" == *"snapshot length 262144"* ]]
	run sockit sniff -s 40 --read "$PCAP" -w "$BATS_TEST_TMPDIR/cut.pcap"
	assert_success
	[ "$(tcpdump -r "$BATS_TEST_TMPDIR/cut.pcap" 2>&1 >/dev/null)" = "reading from file $BATS_TEST_TMPDIR/cut.pcap, link-type EN10MB (Ethernet), snapshot length 40" ]
}

@test "sniff -U: each packet reaches the -w file as it comes (issue 18)" {
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	strace -f -e trace=write -o "$BATS_TEST_TMPDIR/tr" "$SOCKIT" sniff -q --read "$PCAP" -w "$BATS_TEST_TMPDIR/u.pcap" -U
	[ "$(grep -c '^[0-9]* *write([0-9]*, ' "$BATS_TEST_TMPDIR/tr")" -eq 42 ]
	cmp "$PCAP" "$BATS_TEST_TMPDIR/u.pcap"
	strace -f -e trace=write -o "$BATS_TEST_TMPDIR/tr" "$SOCKIT" sniff -q --read "$PCAP" -w "$BATS_TEST_TMPDIR/u.pcap"
	[ "$(grep -c '^[0-9]* *write([0-9]*, ' "$BATS_TEST_TMPDIR/tr")" -eq 1 ]
	run sockit sniff -U --read "$PCAP"
	assert_failure 2
}

@test "sniff -Q in|out: one direction of lo's packets (issue 18)" {
	local dir want
	for dir in in out; do
		want=0
		[ "$dir" = in ] || want=4
		port=$((20000 + RANDOM % 20000))
		bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i lo -c 2 -Q "$dir" udp port "$port"
		udp_send 127.0.0.1 "$port" 2
		wait "$SNIFF_PID"
		run cat "$BATS_TEST_TMPDIR/out"
		[ "${#lines[@]}" -eq 2 ]
		assert_line --index 0 --regexp "packet-0.*, \('lo', 2048, $want, 772, "
		assert_line --index 1 --regexp "packet-1.*, \('lo', 2048, $want, 772, "
	done
	run sockit sniff -Q sideways
	assert_failure 2
	run sockit sniff -Q in --read "$PCAP"
	assert_failure 2
}

@test "sniff -D: the interfaces by index, then any, in every format (issue 18)" {
	run sockit sniff -D
	assert_success
	assert_line --index 0 "1.lo [Up, Running, Loopback] EN10MB"
	assert_line "0.any [Up, Running] LINUX_SLL2"
	run sockit -j sniff -D
	assert_line --index 0 '{"index": 1, "name": "lo", "up": true, "running": true, "loopback": true, "connected": null, "linktype": "EN10MB"}'
	"$SOCKIT" -j sniff -D | /usr/bin/python3 -c 'import json, sys; [json.loads(l) for l in sys.stdin]'
	run sockit -r sniff -D
	assert_line --index 0 "index=1	name=lo	up=true	running=true	loopback=true	connected=	linktype=EN10MB"
	run sockit sniff -D --read "$PCAP"
	assert_failure 2
}

@test "sniff --filter: libpcap keywords sockit lacks are refused by name, never looked up as hosts (issue 18)" {
	command -v strace >/dev/null || skip "no strace"
	# LeakSanitizer cannot work under ptrace (make asan)
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	local f w
	for f in 'mpls' 'len > 100' 'ip multicast' 'ip6 broadcast' 'host len' 'tcp and inbound' 'icmp-echo' 'pppoes and tcp'; do
		w=${f% > 100}; w=${w#ip6 }; w=${w#ip }; w=${w#host }; w=${w#tcp and }; w=${w% and tcp}
		run strace -f -qq -e trace=openat,connect,sendto -o "$BATS_TEST_TMPDIR/st" "$SOCKIT" sniff --read "$PCAP" --filter "$f"
		assert_failure 2
		assert_output "sockit: ValueError: filter: unsupported keyword at '$w'"
		! grep -E 'hosts|nsswitch|resolv|connect\(|sendto\(' "$BATS_TEST_TMPDIR/st"
	done
	# a word that is no keyword is still a host name, as in libpcap
	run sockit sniff --read "$PCAP" --filter 'host localhost'
	assert_success
}

@test "sniff: bad filters and programs are usage-class errors with the offending word" {
	run sockit sniff --read "$PCAP" --filter 'tcp port'
	assert_failure 2
	assert_output "sockit: ValueError: filter: expected an address, port or number after 'port' at end of expression"
	run sockit sniff --read "$PCAP" --filter 'host 10.0.0.1 frob'
	assert_failure 2
	assert_output --partial "'frob'"
	run sockit sniff --read "$PCAP" --filter '(tcp'
	assert_failure 2
	run sockit sniff --read "$PCAP" --filter 'tcp host 1.2.3.4'
	assert_failure 2
	run sockit sniff --read "$PCAP" --bpf '2 6 0 0 0 21 5 5 1'
	assert_failure 2
	assert_output --partial "bpf"
	run sockit sniff --read "$PCAP" --bpf '1 21 0 0 1'
	assert_failure 2
	run sockit sniff --read "$PCAP" --filter tcp --bpf '1 6 0 0 0'
	assert_failure 2
}

# ---- live capture ------------------------------------------------------------------

@test "sniff -i lo: each packet prints as recvfrom() on a packet socket" {
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i lo -c 2 --filter "udp port $port"
	udp_send 127.0.0.1 "$port" 2
	wait "$SNIFF_PID"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 --regexp "^\(b(['\"])\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x08\\\\x00E.*packet-0\1, \('lo', 2048, 0, 772, b'\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00'\)\)$"
	assert_line --index 1 --regexp "packet-1['\"], \('lo', 2048, 0, 772, "
	[ "${#lines[@]}" -eq 2 ]
	run cat "$BATS_TEST_TMPDIR/err"
	assert_line "2 packets captured"
	assert_line "2 packets received by filter"
	assert_line "0 packets dropped by kernel"
}

@test "sniff -r -i lo: the interface name comes from the address cache, not a lookup per packet (issue 18)" {
	command -v strace >/dev/null || skip "no strace"
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	local SOCKIT_WRAP="strace -f -qq -e trace=socket -o $BATS_TEST_TMPDIR/st"
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -r -i lo -c 40 --filter "udp port $port"
	udp_send 127.0.0.1 "$port" 40
	wait "$SNIFF_PID"
	[ "$(grep -c ' lo ' "$BATS_TEST_TMPDIR/out")" -eq 40 ]
	# if_indextoname() opens a socket each time it is called
	[ "$(grep -c '^[0-9]* *socket(' "$BATS_TEST_TMPDIR/st")" -le 8 ]
}

@test "sniff -i lo -j: JSON Lines with summary; --no-ring gives the same" {
	for ring in "" --no-ring; do
		port=$((20000 + RANDOM % 20000))
		bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -j -i lo -c 3 $ring --filter "udp dst port $port"
		udp_send 127.0.0.1 "$port" 3
		wait "$SNIFF_PID"
		/usr/bin/python3 - "$port" "$BATS_TEST_TMPDIR/out" <<'EOF'
import json, sys, time
rows = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == 3, rows
for i, r in enumerate(rows):
    assert r["address"]["ifname"] == "lo" and r["address"]["hatype"] == 772
    assert r["summary"]["udp"]["dport"] == int(sys.argv[1])
    assert r["summary"]["ipv4"]["src"] == "127.0.0.1"
    assert bytes.fromhex(r["data"]).endswith(b"packet-%d" % i)
    assert abs(r["ts"] - time.time()) < 60
EOF
	done
}

@test "sniff: SIGUSR1 prints the statistics so far on stderr and capturing goes on (ring, recvmsg, raw IP, -j)" {
	local out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err" ring port
	for ring in "" --no-ring; do
		port=$((20000 + RANDOM % 20000))
		bg_sniff "$err" "$out" -i lo $ring --filter "udp dst port $port"
		udp_send 127.0.0.1 "$port" 1
		wait_for_line "$out" . 10
		kill -USR1 "$SNIFF_PID"
		wait_for_line "$err" '^1 packet received by filter$' 10
		kill -0 "$SNIFF_PID"
		grep -qx '1 packet captured' "$err"
		udp_send 127.0.0.1 "$port" 1
		# the second packet printed (5 s at most)
		for _ in $(seq 250); do [ "$(wc -l <"$out")" -ge 2 ] && break; sleep 0.02; done
		kill -USR1 "$SNIFF_PID"
		wait_for_line "$err" '^2 packets received by filter$' 10
		kill -INT "$SNIFF_PID"
		st=0; wait "$SNIFF_PID" || st=$?
		assert_equal "$st" 130
		assert_equal "$(grep -c 'packets captured' "$err")" 2	# at SIGUSR1 and at the end
		[ "$(wc -l <"$out")" = 2 ]
	done
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$err" "$out" -j -i lo --filter "udp dst port $port"
	udp_send 127.0.0.1 "$port" 1
	wait_for_line "$out" . 10
	kill -USR1 "$SNIFF_PID"
	wait_for_line "$err" '^\{"captured": 1, "received": 1, "dropped": 0\}$' 10
	kill -0 "$SNIFF_PID"
	kill -TERM "$SNIFF_PID"
	st=0; wait "$SNIFF_PID" || st=$?
	assert_equal "$st" 143
	bg_sniff "$err" "$out" --raw-ip udp -i lo
	kill -USR1 "$SNIFF_PID"
	wait_for_line "$err" '^0 packets captured$' 10
	kill -0 "$SNIFF_PID"
	kill -INT "$SNIFF_PID"
	st=0; wait "$SNIFF_PID" || st=$?
	assert_equal "$st" 130
}

@test "sniff without -i captures on every interface (SOCK_DGRAM, LINUX_SLL2 pcap)" {
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -c 2 --filter "udp port $port"
	udp_send 127.0.0.1 "$port" 2
	wait "$SNIFF_PID"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 --regexp "^\(b(['\"])E.*packet-0\1, \('lo', 2048, 0, 772, b'\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00\\\\x00'\)\)$"
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -c 2 --filter "udp port $port" -w "$BATS_TEST_TMPDIR/any.pcap"
	udp_send 127.0.0.1 "$port" 2
	wait "$SNIFF_PID"
	run --separate-stderr tcpdump -nn -r "$BATS_TEST_TMPDIR/any.pcap"
	assert_success
	[[ "$stderr" == *"link-type LINUX_SLL2"* ]]
	assert_line --index 0 --regexp "^[0-9:.]+ lo +In +IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.$port: UDP, length 8$"
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/any.pcap"
	assert_line --index 0 --regexp "^\(b(['\"])E.*packet-0\1, \('lo', 2048, 0, 772, "
}

@test "sniff -w on a veth: tcpdump and tshark read the same packets tcpdump captured" {
	veth_up
	NS_SNIFF=$NSA bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i va -w "$BATS_TEST_TMPDIR/s.pcap"
	ip netns exec "$NSA" tcpdump --immediate-mode -U -i va -w "$BATS_TEST_TMPDIR/t.pcap" 2>"$BATS_TEST_TMPDIR/terr" &
	TPID=$!
	PIDS+=("$TPID")
	wait_for_line "$BATS_TEST_TMPDIR/terr" 'listening on'
	mixed_traffic "$NSA"
	same_count "$BATS_TEST_TMPDIR/t.pcap" "$BATS_TEST_TMPDIR/s.pcap"
	kill -TERM "$TPID"
	kill -INT "$SNIFF_PID"
	wait "$TPID" || true
	st=0
	wait "$SNIFF_PID" || st=$?
	assert_equal "$st" 130
	# IPv6 multicast (MLD reports) comes at random times: leave it out
	tcpdump -nn -x -r "$BATS_TEST_TMPDIR/s.pcap" 'not ip6 multicast' 2>/dev/null | sed 's/^[0-9:.]* //' >"$BATS_TEST_TMPDIR/s.txt"
	tcpdump -nn -x -r "$BATS_TEST_TMPDIR/t.pcap" 'not ip6 multicast' 2>/dev/null | sed 's/^[0-9:.]* //' >"$BATS_TEST_TMPDIR/t.txt"
	[ -s "$BATS_TEST_TMPDIR/s.txt" ]
	diff "$BATS_TEST_TMPDIR/t.txt" "$BATS_TEST_TMPDIR/s.txt"
	n=$(tshark -r "$BATS_TEST_TMPDIR/s.pcap" -Y '!(ipv6.dst == ff00::/8)' 2>/dev/null | wc -l)
	[ "$n" -eq "$(grep -c '^[A-Z]' "$BATS_TEST_TMPDIR/t.txt")" ]
	[ "$n" -ge 14 ]
	grep -q 'packets captured' "$BATS_TEST_TMPDIR/err"
}

@test "sniff --filter in the kernel: same packets as tcpdump's filter, live" {
	veth_up
	for e in 'udp port 5000' 'icmp or icmp6 and host fd55::2' 'tcp' 'arp or ip6 and not icmp6 and host fd55::2' 'not port 53 and host 10.55.0.2'; do
		NS_SNIFF=$NSA bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i va --filter "$e" -w "$BATS_TEST_TMPDIR/s.pcap"
		ip netns exec "$NSA" tcpdump --immediate-mode -U -i va -w "$BATS_TEST_TMPDIR/t.pcap" "$e" 2>"$BATS_TEST_TMPDIR/terr" &
		TPID=$!
		PIDS+=("$TPID")
		wait_for_line "$BATS_TEST_TMPDIR/terr" 'listening on'
		mixed_traffic "$NSA"
		same_count "$BATS_TEST_TMPDIR/t.pcap" "$BATS_TEST_TMPDIR/s.pcap"
		kill -TERM "$TPID" "$SNIFF_PID"
		wait "$TPID" || true
		st=0
		wait "$SNIFF_PID" || st=$?
		assert_equal "$st" 143
		a=$(tcpdump -nn -r "$BATS_TEST_TMPDIR/t.pcap" 2>/dev/null | sed 's/^[0-9:.]* //')
		b=$(tcpdump -nn -r "$BATS_TEST_TMPDIR/s.pcap" 2>/dev/null | sed 's/^[0-9:.]* //')
		# sockit starts first: what came before tcpdump listened (an ARP
		# probe, say) is sockit's alone
		b=$(echo "$b" | awk -v first="$(echo "$a" | head -n 1)" 'f || $0 == first { f = 1; print }')
		[ -n "$b" ]
		[ "$a" = "$b" ] || { echo "[$e]"; echo "$a"; echo ---; echo "$b"; false; }
		ip netns exec "$NSA" ip neigh flush dev va
	done
}

@test "sniff: VLAN tags offloaded by the kernel are put back in pcap and seen by 'vlan'" {
	veth_up
	# the receive path of vb takes the tag off; sniff must put it back
	NS_SNIFF=$NSB bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i vb -c 2 --filter 'vlan 10 and udp' -w "$BATS_TEST_TMPDIR/v.pcap"
	ip netns exec "$NSA" /usr/bin/python3 - <<'EOF'
import socket, struct
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("va", 0))
def frame(vid, proto, payload):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                     socket.inet_aton("10.56.0.1"), socket.inet_aton("10.56.0.2"))
    return b"\xff" * 6 + b"\x02\0\0\0\0\x01" + struct.pack("!HHH", 0x8100, vid, 0x0800) + ip + payload
udp = struct.pack("!HHHH", 4000, 7000, 12, 0) + b"vlan"
s.send(frame(20, 17, udp))          # other VLAN: filtered out
s.send(frame(10, 1, b"\x08\0\0\0\0\0\0\0"))   # not UDP: filtered out
s.send(frame(10, 17, udp))
s.send(frame(10, 17, udp))
EOF
	wait "$SNIFF_PID"
	run tcpdump -e -nn -r "$BATS_TEST_TMPDIR/v.pcap"
	assert_success
	assert_line --index 1 --partial "vlan 10"
	assert_line --index 1 --partial "10.56.0.1.4000 > 10.56.0.2.7000:"
	run sockit -j sniff -q --read "$BATS_TEST_TMPDIR/v.pcap" --filter 'vlan 10 and udp port 7000'
	[ "${#lines[@]}" -eq 2 ]
	assert_line --index 0 --partial '"vlan": [{"id": 10'
}

@test "sniff --promisc raises the interface's promiscuity while capturing" {
	veth_up
	NS_SNIFF=$NSA bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i va --promisc
	run ip -n "$NSA" -d link show va
	assert_output --partial "promiscuity 1"
	kill -INT "$SNIFF_PID"
	st=0
	wait "$SNIFF_PID" || st=$?
	assert_equal "$st" 130
	run ip -n "$NSA" -d link show va
	assert_output --partial "promiscuity 0"
	run sockit sniff --promisc
	assert_failure 2
}

@test "sniff -j: the status and statistics lines on stderr are JSON objects" {
	run --separate-stderr sockit -j sniff -i lo --timeout 0.3 --filter 'udp port 9'
	assert_success
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" '{"listening": "lo", "linktype": "EN10MB", "snaplen": 262144}'
	assert_equal "${stderr_lines[1]}" '{"captured": 0, "received": 0, "dropped": 0}'
	run --separate-stderr sockit -j sniff --read "$PCAP" -c 1
	assert_success
	assert_equal "$stderr" "{\"reading\": \"$PCAP\", \"linktype\": \"EN10MB\", \"snaplen\": 262144}"
	run --separate-stderr sockit -j sniff --raw-ip udp -i lo --timeout 0.3
	assert_success
	assert_equal "${stderr_lines[0]}" '{"listening": "lo", "protocol": 17, "families": ["AF_INET", "AF_INET6"]}'
	assert_equal "${stderr_lines[1]}" '{"captured": 0}'
	run --separate-stderr sockit sniff -i lo --timeout 0.3 --filter 'udp port 9'
	assert_equal "${stderr_lines[0]}" "listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes"
}

@test "sniff --timeout ends with status 0, stats and a complete pcap; --nano" {
	run --separate-stderr sockit sniff -i lo --timeout 0.3 --filter 'udp port 9' -w "$BATS_TEST_TMPDIR/n.pcap" --nano
	assert_success
	[[ "$stderr" == *"0 packets captured"* ]]
	[[ "$stderr" == *"dropped by kernel"* ]]
	[ "$(od -An -tx4 -N4 "$BATS_TEST_TMPDIR/n.pcap" | tr -d ' ')" = a1b23c4d ]
	run tcpdump -r "$BATS_TEST_TMPDIR/n.pcap"
	assert_success
	port=$((20000 + RANDOM % 20000))
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i lo -c 1 --nano --filter "udp port $port" -w "$BATS_TEST_TMPDIR/n2.pcap"
	udp_send 127.0.0.1 "$port" 1
	wait "$SNIFF_PID"
	run tcpdump --nano -tt -nn -r "$BATS_TEST_TMPDIR/n2.pcap"
	assert_line --regexp "^[0-9]+\.[0-9]{9} IP 127.0.0.1"
}

@test "sniff -w -: pcap on stdout that tcpdump reads from a pipe; -q hides the readiness line" {
	port=$((20000 + RANDOM % 20000))
	sockit sniff -i lo -c 3 --filter "udp port $port" -w - 2>"$BATS_TEST_TMPDIR/err" >"$BATS_TEST_TMPDIR/p.pcap" &
	SNIFF_PID=$!
	PIDS+=("$SNIFF_PID")
	wait_for_line "$BATS_TEST_TMPDIR/err" '^listening on lo, link-type EN10MB'
	udp_send 127.0.0.1 "$port" 3
	wait "$SNIFF_PID"
	run sh -c "tcpdump -nn -r - < '$BATS_TEST_TMPDIR/p.pcap' 2>/dev/null | wc -l"
	assert_output 3
	run --separate-stderr sockit -q sniff -i lo --timeout 0.1
	assert_success
	[[ "$stderr" != *listening* ]]
}

@test "sniff --user drops privileges before opening the output file" {
	port=$((20000 + RANDOM % 20000))
	dir=$(mktemp -d /tmp/sockit-sniff-user.XXXXXX)
	chmod 777 "$dir"
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i lo -c 1 --user nobody --filter "udp port $port" -w "$dir/x.pcap"
	[ "$(ps -o user= -p "$SNIFF_PID")" = nobody ]
	udp_send 127.0.0.1 "$port" 1
	wait "$SNIFF_PID"
	[ "$(stat -c %U "$dir/x.pcap")" = nobody ]
	run tcpdump -r "$dir/x.pcap"
	rm -rf "$dir"
	assert_success
	# an output file nobody may not write is refused after the drop
	run sockit sniff -i lo --timeout 0.1 --user nobody -w /root/sockit-sniff-denied.pcap
	assert_failure 1
	assert_output --partial "PermissionError"
	[ ! -e /root/sockit-sniff-denied.pcap ]
	run sockit sniff -i lo --user no-such-user-here
	assert_failure 2
	assert_output --partial "unknown user"
}

@test "sniff --raw-ip icmp: AF_INET SOCK_RAW, printed as recvfrom()" {
	bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" --raw-ip icmp -c 1
	icmp_echo 127.0.0.1
	wait "$SNIFF_PID"
	run cat "$BATS_TEST_TMPDIR/out"
	# repr quotes with " when the bytes hold a ' (the IP id is random)
	assert_output --regexp "^\(b(['\"])E.*\1, \('127\.0\.0\.1', 0\)\)$"
	run sockit sniff --raw-ip nosuchproto
	assert_failure 2
}

@test "sniff -v --raw-ip icmp: py and raw add ts and the summary" {
	for f in py raw; do
		: >"$BATS_TEST_TMPDIR/err"
		fmt=()
		[ "$f" = raw ] && fmt=(-r)
		"$SOCKIT" -v "${fmt[@]}" sniff --raw-ip icmp -4 -c 1 >"$BATS_TEST_TMPDIR/$f" 2>"$BATS_TEST_TMPDIR/err" &
		SNIFF_PID=$!
		PIDS+=("$SNIFF_PID")
		wait_for_line "$BATS_TEST_TMPDIR/err" '^listening on'
		icmp_echo 127.0.0.1
		wait "$SNIFF_PID"
	done
	/usr/bin/python3 - "$BATS_TEST_TMPDIR" <<'EOF'
import ast, sys
d = sys.argv[1]
data, addr, ts, summary = ast.literal_eval(open(d + "/py").read())
assert addr == ("127.0.0.1", 0) and data[0] >> 4 == 4 and isinstance(ts, float), (addr, ts)
assert summary["ipv4"]["proto"] == 1 and "icmp" in summary and summary["caplen"] == len(data), summary
f = open(d + "/raw").read().rstrip("\n").split("\t")
assert f[1:3] == ["127.0.0.1", "0"] and f[3].startswith("ts="), f
assert "summary.ipv4.proto=1" in f and "summary.len=%d" % (len(f[0]) // 2) in f, f
EOF
}

@test "sniff without CAP_NET_RAW: the PermissionError says what is missing (issue 18)" {
	[ "$(id -u)" = 0 ] || skip "needs root to run as nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	local d="$BATS_TEST_TMPDIR/np"
	mkdir -p "$d" && cp "$SOCKIT" "$d/sockit" && chmod 755 "$d" "$d/sockit"
	chmod 755 "$BATS_TEST_TMPDIR"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$d/sockit" sniff -i lo -c 1
	assert_failure 1
	assert_output "sockit: PermissionError: [Errno 1] Operation not permitted (capturing needs CAP_NET_RAW)"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$d/sockit" -j sniff --raw-ip icmp -c 1
	assert_failure 1
	assert_output '{"exception": "PermissionError", "errno": 1, "message": "Operation not permitted (capturing needs CAP_NET_RAW)"}'
}

@test "sniff: bad options are usage errors" {
	run sockit sniff -c 0
	assert_failure 2
	run sockit sniff --snaplen 999999999
	assert_failure 2
	run sockit sniff extra-word
	assert_failure 2
	run sockit sniff -i no-such-iface0
	assert_failure 1
	assert_output --partial "No such device"
}

@test "sniff --filter: deep nesting is a clear error, not a stack overflow" {
	# 40,000 '(' overflowed the recursive filter compiler
	run sockit sniff -i lo --filter "$(printf '(%.0s' $(seq 40000))tcp$(printf ')%.0s' $(seq 40000))" --dump-bpf
	assert_failure 2
	assert_output "sockit: ValueError: filter: too many nested parentheses at '('"
	run sockit sniff -i lo --filter "$(printf '(%.0s' $(seq 200))tcp$(printf ')%.0s' $(seq 200))" --dump-bpf
	assert_success
	[ "${lines[0]}" -eq $((${#lines[@]} - 1)) ]
	# a long run of "not" is a loop, not one call each
	run sockit sniff -i lo --filter "$(printf '! %.0s' $(seq 60001))tcp" --dump-bpf
	assert_success
	a=$output
	run sockit sniff -i lo --filter 'not tcp' --dump-bpf
	[ "$output" = "$a" ]
}

# big_pcap FILE MB: the records of $PCAP repeated to about MB megabytes.
big_pcap() {
	/usr/bin/python3 - "$PCAP" "$1" "$2" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
with open(sys.argv[2], 'wb') as f:
    f.write(d[:24])
    f.write(d[24:] * (int(sys.argv[3]) * 1000000 // (len(d) - 24)))
PY
}

@test "sniff --read: a file that shrinks while it is read ends with an error, not SIGBUS" {
	# the input was mmapped: pages past the new end raised SIGBUS and the
	# lines already printed were lost with the process
	big=$BATS_TEST_TMPDIR/big.pcap
	big_pcap "$big" 8
	sockit -j sniff -q --read "$big" >"$BATS_TEST_TMPDIR/full"
	run bash -c '"$SOCKIT" -j sniff -q --read "$1" 2>"$2" | { IFS= read -r l; printf "%s\n" "$l"; truncate -s 100000 "$1"; cat; } >"$3"; exit ${PIPESTATUS[0]}' \
		_ "$big" "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out"
	assert_failure 2
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp '^\{"exception": "ValueError", "errno": null, "message": "pcap: (corrupt or )?truncated record (header )?at offset [0-9]+"\}$'
	# what was printed is whole lines, the start of the full output
	n=$(wc -l <"$BATS_TEST_TMPDIR/out")
	[ "$n" -gt 1000 ]
	head -n "$n" "$BATS_TEST_TMPDIR/full" | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "sniff --read f -w f is refused before the input is truncated" {
	cp "$PCAP" "$BATS_TEST_TMPDIR/f.pcap"
	size=$(stat -c %s "$PCAP")
	run sockit sniff --read "$BATS_TEST_TMPDIR/f.pcap" -w "$BATS_TEST_TMPDIR/../$(basename "$BATS_TEST_TMPDIR")/f.pcap"
	assert_failure 2
	assert_line --index 0 "sockit: sniff: -w $BATS_TEST_TMPDIR/../$(basename "$BATS_TEST_TMPDIR")/f.pcap is the --read input"
	assert_line --index 1 --partial "usage: sockit [GLOBAL OPTIONS] sniff"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/f.pcap")" -eq "$size" ]
	cmp "$PCAP" "$BATS_TEST_TMPDIR/f.pcap"
	# appending to the input through stdout would read its own output back
	run bash -c '"$SOCKIT" sniff -q --read "$1" -w - >>"$1"' _ "$BATS_TEST_TMPDIR/f.pcap"
	assert_failure 2
	assert_line --index 0 "sockit: sniff: standard output is the --read input"
	cmp "$PCAP" "$BATS_TEST_TMPDIR/f.pcap"
	# a hard link is the same file
	ln "$BATS_TEST_TMPDIR/f.pcap" "$BATS_TEST_TMPDIR/g.pcap"
	run sockit sniff --read "$BATS_TEST_TMPDIR/g.pcap" -w "$BATS_TEST_TMPDIR/f.pcap"
	assert_failure 2
	cmp "$PCAP" "$BATS_TEST_TMPDIR/f.pcap"
	# another file is fine
	run sockit sniff -q --read "$BATS_TEST_TMPDIR/f.pcap" -w "$BATS_TEST_TMPDIR/h.pcap"
	assert_success
	cmp "$PCAP" "$BATS_TEST_TMPDIR/h.pcap"
}

@test "sniff --read=/dev/zero is refused by its magic, in bounded memory" {
	# the whole input was read into memory first: ~1 GB/s for /dev/zero
	# (ASan reserves terabytes of shadow memory: no ulimit -v there)
	limit='ulimit -v 1000000;'
	if under_asan; then limit=; fi
	run bash -c "$limit"' timeout 20 "$SOCKIT" sniff --read=/dev/zero'
	assert_failure 2
	assert_output "sockit: ValueError: not a pcap file (magic 0x00000000)"
	# a pipe streams too: records print as they come, then the bad end
	run bash -c 'head -c 1000 "$1" | "$SOCKIT" -j sniff -q --read -' _ "$PCAP"
	assert_failure 2
	assert_line --partial '"message": "pcap: corrupt or truncated record at offset'
	[ "${#lines[@]}" -gt 5 ]
}

@test "sniff --filter: a bad IPv4 net names no IPv6 prefix (issue 13 D18-D23)" {
	local pcap="$BATS_TEST_TMPDIR/empty.pcap" f
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\000\000\004\000\001\000\000\000' >"$pcap"
	for f in 10/8/8 10/x 10.0.0.0/8/8; do
		run --separate-stderr sockit sniff --read "$pcap" --filter "net $f"
		assert_failure 2
		[ "$stderr" = "sockit: ValueError: filter: not a network at '$f'" ] || { echo "$f: $stderr"; false; }
	done
	run --separate-stderr sockit sniff --read "$pcap" --filter "net ::1/129"
	assert_failure 2
	[ "$stderr" = "sockit: ValueError: filter: bad IPv6 prefix at '::1/129'" ]
}

@test "sniff -i lo/any --bpf: a valid 4096-instruction program runs, each loopback packet once (issue 13 D18-D23)" {
	local port=$((20000 + RANDOM % 20000)) prog="$BATS_TEST_TMPDIR/prog" dev n i
	for dev in lo any; do
		sockit sniff -i "$dev" --filter "udp dst port $port" --dump-bpf >"$BATS_TEST_TMPDIR/p0"
		n=$(head -n 1 "$BATS_TEST_TMPDIR/p0")
		# padded to BPF_MAXINSNS with loads at the front (jumps are relative)
		{ echo 4096; for ((i = n; i < 4096; i++)); do echo '0 0 0 0'; done; tail -n +2 "$BATS_TEST_TMPDIR/p0"; } >"$prog"
		[ "$(wc -l <"$prog")" -eq 4097 ]
		bg_sniff "$BATS_TEST_TMPDIR/err" "$BATS_TEST_TMPDIR/out" -i "$dev" -c 3 --timeout 3 --bpf "$prog"
		udp_send 127.0.0.1 "$port" 2
		wait "$SNIFF_PID" || true
		# two packets, not four: the outgoing copies are dropped
		run cat "$BATS_TEST_TMPDIR/out"
		assert_line --index 0 --partial "packet-0"
		assert_line --index 1 --partial "packet-1"
		[ "${#lines[@]}" -eq 2 ] || { echo "$dev: ${#lines[@]} packets"; false; }
	done
}
