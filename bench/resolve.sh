#!/bin/bash
# bench/resolve.sh - many names over a slow link (issue 4): N names (200)
# served by dnsmasq in one network namespace, resolved from another across
# a veth link that delays every query by DELAY_MS (20 ms): `sockit resolve`
# (concurrent, all names in one command) against `getent ahosts NAME` one
# name at a time in a loop, and `sockit resolve --jobs 1` (serial) for
# reference.  Both run in the client namespace with its own resolv.conf
# bind-mounted (unshare -m), as tests/30-resolve.bats does.  Median of RUNS
# runs; target: sockit >= 10x faster than the getent loop.
#
# The delay is `tc qdisc add dev IF root netem delay 20ms` on the client's
# end of the link when the kernel has sch_netem; otherwise (it says so) a
# small relay in the server namespace holds each query DELAY_MS before
# passing it on to dnsmasq (dnsmasq has no delay option of its own).
#
#   bench/resolve.sh                       (root; about 30 s)
#   SOCKIT=/path/to/sockit N=500 DELAY_MS=50 RUNS=5 bench/resolve.sh
set -u
cd "$(dirname "$0")/.." || exit 2
SOCKIT=${SOCKIT:-$PWD/sockit}
N=${N:-200}
DELAY_MS=${DELAY_MS:-20}
RUNS=${RUNS:-3}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
[ "$N" -ge 1 ] && [ "$N" -le 5000 ] || { echo "N must be 1..5000" >&2; exit 2; }
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 9 ] || { echo "RUNS must be 1..9" >&2; exit 2; }
[ "$DELAY_MS" -ge 0 ] && [ "$DELAY_MS" -le 1000 ] || { echo "DELAY_MS must be 0..1000" >&2; exit 2; }
[ -x "$SOCKIT" ] || { echo "resolve.sh: no sockit at $SOCKIT (make, or SOCKIT=...)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "resolve.sh: skipped: needs root for network namespaces"; exit 0; }
command -v dnsmasq >/dev/null || { echo "resolve.sh: skipped: dnsmasq is not installed"; exit 0; }
SOCKIT=$(cd "$(dirname "$SOCKIT")" && pwd)/$(basename "$SOCKIT")

NC=sockit-rbc-$$ ND=sockit-rbd-$$
W=$(mktemp -d /tmp/resolvebench.XXXXXX)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NC" 2>/dev/null
	ip netns del "$ND" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NC" && ip netns add "$ND" &&
    ip link add rbc0 netns "$NC" type veth peer name rbd0 netns "$ND" ||
    { echo "resolve.sh: skipped: cannot create namespaces and a veth pair"; exit 0; }
ip -n "$NC" link set lo up
ip -n "$ND" link set lo up
ip -n "$NC" addr add 10.98.0.1/24 dev rbc0
ip -n "$ND" addr add 10.98.0.2/24 dev rbd0
ip -n "$NC" link set rbc0 up
ip -n "$ND" link set rbd0 up

if [ "$DELAY_MS" = 0 ]; then
	MODE="no delay"
	DNS_ADDR=10.98.0.2
elif tc -n "$NC" qdisc add dev rbc0 root netem delay "${DELAY_MS}ms" 2>"$W/tc.err"; then
	MODE="netem delay ${DELAY_MS}ms on the client's end of the veth link"
	DNS_ADDR=10.98.0.2
else
	MODE="sch_netem unavailable ($(head -n1 "$W/tc.err")): a relay in the server namespace holds each query ${DELAY_MS} ms"
	DNS_ADDR=127.0.0.1
	cat >"$W/relay.py" <<'EOF'
# relay LISTEN_ADDR UPSTREAM_ADDR DELAY_MS: a UDP DNS relay on port 53 that
# holds each query DELAY_MS, then passes it on from a socket of its own (so
# that query ids of different clients never mix) and sends the answer back.
import socket, sys, threading, time
listen, upstream, delay = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 1000
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((listen, 53))
print("ready", flush=True)
def relay(query, peer):
    time.sleep(delay)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(3)
    try:
        u.sendto(query, (upstream, 53))
        s.sendto(u.recv(4096), peer)
    except OSError:
        pass
    finally:
        u.close()
while True:
    q, peer = s.recvfrom(4096)
    threading.Thread(target=relay, args=(q, peer), daemon=True).start()
EOF
	ip netns exec "$ND" "$PY" "$W/relay.py" 10.98.0.2 127.0.0.1 "$DELAY_MS" >"$W/relay.out" 2>&1 &
	PIDS+=("$!")
fi
ip netns exec "$ND" dnsmasq --no-daemon --no-resolv --no-hosts --port=53 \
    --listen-address="$DNS_ADDR" --bind-interfaces --pid-file="$W/dnsmasq.pid" \
    --address=/many.test/10.1.0.1 --dns-forward-max=1000 --log-facility="$W/dnsmasq.log" 2>/dev/null &
PIDS+=("$!")
printf 'nameserver 10.98.0.2\noptions timeout:2 attempts:2\n' >"$W/resolv.conf"

# in_ns CMD...: runs CMD in the client namespace with its resolv.conf.
in_ns() {
	ip netns exec "$NC" unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$W/resolv.conf" "$@"
}

ok=0
for i in $(seq 1 100); do
	if grep -q started "$W/dnsmasq.log" 2>/dev/null && { [ "$DNS_ADDR" != 127.0.0.1 ] || grep -q ready "$W/relay.out"; } &&
	    [ "$(in_ns getent ahosts warmup.many.test 2>/dev/null | awk 'NR == 1 { print $1 }')" = 10.1.0.1 ]; then
		ok=1
		break
	fi
	sleep 0.1
done
[ "$ok" = 1 ] || { echo "resolve.sh: the test zone does not answer" >&2; cat "$W/dnsmasq.log" "$W/relay.out" 2>/dev/null >&2; exit 1; }

names=()
for i in $(seq 1 "$N"); do names+=("n$i.many.test"); done

# timed CMD...: milliseconds CMD takes inside the client namespace (timed
# there, so that entering the namespace is not counted); 120 s at most.
timed() {
	in_ns timeout 120 sh -c 's=$(date +%s%N); "$@" >/dev/null || exit 1; e=$(date +%s%N); echo $(((e - s) / 1000000))' sh "$@"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "== resolve: $N names, $MODE"
echo "   $("$SOCKIT" --version 2>/dev/null | head -n1), $(getent --version 2>&1 | head -n1), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$W/g" ; : >"$W/s" ; : >"$W/s1"
for r in $(seq "$RUNS"); do
	timed bash -c 'for n in "$@"; do getent ahosts "$n" >/dev/null || exit 1; done' bash "${names[@]}" >>"$W/g" ||
	    { echo "resolve.sh: the getent loop failed" >&2; exit 1; }
	timed "$SOCKIT" -r resolve "${names[@]}" >>"$W/s" || { echo "resolve.sh: sockit resolve failed" >&2; exit 1; }
	[ "$r" = 1 ] && { timed "$SOCKIT" -r resolve --jobs 1 "${names[@]}" >>"$W/s1" || exit 1; }
done
# check the answers once
got=$(in_ns "$SOCKIT" -r -4 resolve "${names[@]}" | grep -c '^10\.1\.0\.1$')
[ "$got" = "$N" ] || echo "resolve.sh: WARNING: sockit printed $got of $N addresses"
g=$(median <"$W/g") s=$(median <"$W/s") s1=$(median <"$W/s1")
printf '%-40s %8s %10s\n' "" "ms" "names/s"
row() { awk -v n="$1" -v ms="$2" -v N="$N" 'BEGIN { printf "%-40s %8d %10.0f\n", n, ms, ms ? N * 1000 / ms : 0 }'; }
row "getent ahosts NAME, one by one" "$g"
row "sockit resolve --jobs 1 (serial, 1 run)" "$s1"
row "sockit resolve (concurrent, 32 threads)" "$s"
awk -v g="$g" -v s="$s" 'BEGIN { printf "speed-up sockit resolve / getent loop: %.1fx (target >= 10x)\n", s ? g / s : 0 }'
awk -v g="$g" -v N="$N" 'BEGIN { printf "(median of %d runs; getent: %.1f ms per name; both ask for A and AAAA, getaddrinfo AF_UNSPEC)\n", '"$RUNS"', g / N }'
