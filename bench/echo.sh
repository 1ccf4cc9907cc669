#!/bin/bash
# bench/echo.sh - TCP echo servers under load on loopback (issue 4):
# `sockit echo` against socat (fork, PIPE), ncat (--exec /bin/cat), the
# documentation's Python asyncio server (bench/echo_asyncio.py) and a
# minimal epoll server (bench/epoll_echo.c, the ceiling), all driven by the
# same one-threaded epoll load generator (bench/loadgen.c).
#
#   1. round trips: 1, 64 and 1,000 concurrent clients, each doing 64-byte
#      request/response round trips for SECS; median of RUNS runs (the tools
#      interleaved run by run); round trips/s, p50/p99 latency, the ratio
#      to the ceiling, and the server's CPU time per round trip (user+sys of
#      its whole process group, from /proc, summed over the runs) and its
#      ratio to the ceiling's.  Target: sockit >= 0.9 x the ceiling.
#   2. connect storm: 5,000 clients connect at once, time until every one
#      has had one echo (median of RUNS).  Target: within 1 s.
#   3. 10,000 clients held open (one echo each): the server's RSS and open
#      descriptors.  Target: bounded memory.
#
#   bench/echo.sh                    SECS=2 (about 2 minutes)
#   FULL=1 bench/echo.sh             SECS=5, storm also against socat
#   SOCKIT=/path/to/sockit SECS=3 RUNS=5 bench/echo.sh
#
# The machine's cores are shared by the load generator and the server (and
# anything else running): round trips/s measure the pair; CPU per round trip
# measures the server alone and is the steadier figure on a busy machine.
set -u
cd "$(dirname "$0")/.." || exit 2
SOCKIT=${SOCKIT:-$PWD/sockit}
FULL=${FULL:-0}
if [ "$FULL" = 1 ]; then SECS=${SECS:-5}; else SECS=${SECS:-2}; fi
RUNS=${RUNS:-3}
CONCS=${CONCS:-"1 64 1000"}
STORM=${STORM:-5000}
HOLD=${HOLD:-10000}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CC=${CC:-cc}
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 9 ] || { echo "RUNS must be 1..9" >&2; exit 2; }
awk -v s="$SECS" 'BEGIN { exit !(s > 0 && s <= 60) }' || { echo "SECS must be in (0, 60]" >&2; exit 2; }
[ -x "$SOCKIT" ] || { echo "echo.sh: no sockit at $SOCKIT (make, or SOCKIT=...)" >&2; exit 2; }
need=$((HOLD + 100))
ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge "$need" ] || { echo "echo.sh: need ulimit -n >= $need, hard limit is $(ulimit -Hn)" >&2; exit 2; }

W=$(mktemp -d /tmp/echobench.XXXXXX)
PGIDS=()
cleanup() {
	local g
	for g in "${PGIDS[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
$CC -O2 -o "$W/loadgen" bench/loadgen.c || exit 1
$CC -O2 -o "$W/epoll_echo" bench/epoll_echo.c || exit 1
TICK=$(getconf CLK_TCK)

. bench/lib.sh

declare -A PORT PG
# start NAME PORT CMD...: starts a server in its own process group.
start() {
	local name=$1 port=$2
	shift 2
	setsid "$@" >/dev/null 2>"$W/$name.err" &
	PG[$name]=$!
	PGIDS+=("$!")
	PORT[$name]=$port
	wait_port "$port" 10 || { echo "echo.sh: $name did not start:" >&2; cat "$W/$name.err" >&2; exit 1; }
}

# cpu_ticks PGID: user+sys ticks of the live processes of the group, plus
# the reaped children of its leader.
cpu_ticks() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$1" '
		$1 == g { c += $16 + $17 }
		$5 == g { t += $14 + $15 }
		END { print t + c }'
}

# val KEY LINE: the value of KEY=VALUE in a loadgen report line
val() { printf '%s\n' $2 | sed -n "s/^$1=//p"; }

TOOLS="ceiling sockit socat ncat asyncio"
p=$(free_port); start ceiling "$p" "$W/epoll_echo" "$p"
p=$(free_port); start sockit "$p" "$SOCKIT" echo "127.0.0.1:$p"
p=$(free_port); start socat "$p" socat "TCP-LISTEN:$p,bind=127.0.0.1,fork,reuseaddr,backlog=4096" PIPE
p=$(free_port); start ncat "$p" ncat -l 127.0.0.1 "$p" -k -m 2000 --exec /bin/cat
p=$(free_port); start asyncio "$p" "$PY" bench/echo_asyncio.py "$p"

echo "== echo servers on 127.0.0.1, $(nproc) cores shared by load generator and server (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   $("$SOCKIT" --version 2>/dev/null | head -n1), $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'), $(ncat --version 2>&1 | sed -n 's/^Ncat: Version \([^ ]*\).*/ncat \1/p'), $("$PY" --version 2>&1)"
echo "   64-byte round trips for ${SECS}s, median of $RUNS runs; cpu = server user+sys per round trip"
printf '%-8s %6s %10s %7s %9s %9s %8s %8s\n' server clients "rt/s" "x ceil" "p50 us" "p99 us" "cpu us" "x ceil"
: >"$W/rr"
for c in $CONCS; do
	for r in $(seq "$RUNS"); do
		for t in $TOOLS; do
			c0=$(cpu_ticks "${PG[$t]}")
			# ncat's accept queue is 10 long: warm up at most 8 clients at a time
			l=$(INFLIGHT=$([ "$t" = ncat ] && echo 8 || echo 256) timeout 90 \
			    "$W/loadgen" rr 127.0.0.1 "${PORT[$t]}" "$c" "$SECS")
			c1=$(cpu_ticks "${PG[$t]}")
			# tool clients rtps rts p50 p99 errors ticks
			echo "$t $c $(val rtps "$l") $(val rts "$l") $(val p50_us "$l") $(val p99_us "$l")" \
			    "$(val errors "$l") $((c1 - c0))" >>"$W/rr"
		done
	done
	for t in $TOOLS; do
		awk -v t="$t" -v c="$c" -v tick="$TICK" '
			function med(a, n,   i, j, x) {
				for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
				return a[int((n + 1) / 2)]
			}
			function add(k) { n[k]++; r[k, n[k]] = $3; rts[k] += $4; cpu[k] += $8 }
			$2 == c && $1 == "ceiling" { add("C") }
			$2 == c && $1 == t { add("T"); p50[n["T"]] = $5; p99[n["T"]] = $6; err += $7 }
			END {
				for (i = 1; i <= n["C"]; i++) rc[i] = r["C", i]
				for (i = 1; i <= n["T"]; i++) rt[i] = r["T", i]
				mc = med(rc, n["C"]); mt = med(rt, n["T"])
				uc = rts["C"] ? cpu["C"] / tick / rts["C"] * 1e6 : 0
				ut = rts["T"] ? cpu["T"] / tick / rts["T"] * 1e6 : 0
				printf "%-8s %6d %10.0f %7.2f %9.1f %9.1f %8.2f %8s%s\n", t, c, mt, mc ? mt / mc : 0,
				    med(p50, n["T"]), med(p99, n["T"]), ut, ut ? sprintf("%.2f", uc / ut) : "-",
				    err ? "  (" err " client errors)" : ""
			}' "$W/rr"
	done
done
echo "(x ceil: rt/s over the ceiling's, and the ceiling's CPU per round trip over the server's: 1.00 = as cheap as the ceiling)"

echo
echo "== connect storm: $STORM clients connect at once, each sends 64 bytes; time until all are echoed (median of $RUNS)"
STORM_TOOLS="ceiling sockit asyncio"
[ "$FULL" = 1 ] && STORM_TOOLS="$STORM_TOOLS socat"
printf '%-8s %8s %10s %9s %9s %7s\n' server served "all ms" "p50 ms" "p99 ms" errors
for t in $STORM_TOOLS; do
	: >"$W/storm"
	for r in $(seq "$RUNS"); do
		l=$(timeout 90 "$W/loadgen" storm 127.0.0.1 "${PORT[$t]}" "$STORM")
		echo "$(val served "$l") $(val all_ms "$l") $(val p50_ms "$l") $(val p99_ms "$l") $(val errors "$l")" >>"$W/storm"
		sleep 0.3	# let the server close the reset connections
	done
	sort -n -k2 "$W/storm" | awk -v t="$t" -v n="$RUNS" 'NR == int((n + 1) / 2) {
		printf "%-8s %8s %10s %9s %9s %7s\n", t, $1, $2, $3, $4, $5 }'
done
echo "(target: sockit serves all $STORM within 1000 ms)"

echo
echo "== $HOLD clients held open after one echo each: server memory"
printf '%-8s %10s %10s %10s %8s\n' server "RSS idle" "RSS held" "peak RSS" "fds held"
for t in ceiling sockit; do
	pid=${PG[$t]}
	rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	"$W/loadgen" hold 127.0.0.1 "${PORT[$t]}" "$HOLD" 30 >"$W/hold" &
	lg=$!
	for i in $(seq 1 600); do
		grep -q '^hold' "$W/hold" && break
		kill -0 "$lg" 2>/dev/null || break
		sleep 0.05
	done
	rss1=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	fds=$(ls "/proc/$pid/fd" | wc -l)
	held=$(sed -n 's/.*served=\([0-9]*\).*/\1/p' "$W/hold")
	kill -TERM "$lg" 2>/dev/null
	wait "$lg" 2>/dev/null
	printf '%-8s %8s kB %8s kB %8s kB %8s%s\n' "$t" "$rss0" "$rss1" "$hwm" "$fds" \
	    "$([ "${held:-0}" = "$HOLD" ] || echo "  (only ${held:-0} served)")"
	sleep 0.5
done
echo "(sockit keeps a client's 64 KiB buffer only while that client is not reading its echo)"
