#!/bin/bash
# bench/forward.sh - port forwarding (issue 17, Deliver): `sockit listen -k
# --to` against socat (TCP-LISTEN:P,fork,reuseaddr TCP:...), ncat (-l -k
# --sh-exec 'ncat ...') and sockit's own `listen -k --exec 'sockit connect
# ...'`, all forwarding 127.0.0.1:P to the same upstream, measured in the
# same run:
#   (a) new connections per second: N (1,000) sequential connections, each
#       one 64-byte round trip (loadgen seq); the upstream alone too
#   (b) 64 concurrent clients echoing 64-byte round trips for SECS (2):
#       round trips/s, and the forwarder's CPU time per round trip
#   (c) SIZE_MIB (2,048) through one forwarded connection, splice_relay
#       send -> forwarder -> splice_relay recv, against the same without a
#       forwarder (the splice ceiling); sockit with --no-splice too; the
#       peers move PEER_MIB (512), their rate being what is compared
#   (d) HOLD (5,000) connections held open through sockit after one round
#       trip each, the forwarder's RSS; the peers with HOLD_PEERS (200)
#       connections, as they fork one or two processes per connection
# Upstream: bench/epoll_echo.c (a, b, d).  Ratios are sockit over the
# tool; one run each (the cores are shared), so figures are noisy.
#   bench/forward.sh                 (about 1 minute)
#   N=1000 SECS=2 SIZE_MIB=2048 HOLD=5000 HOLD_PEERS=200 bench/forward.sh
set -u
cd "$(dirname "$0")/.." || exit 2
SOCKIT=${SOCKIT:-$PWD/sockit}
N=${N:-1000}
SECS=${SECS:-2}
SIZE_MIB=${SIZE_MIB:-2048}
HOLD=${HOLD:-5000}
HOLD_PEERS=${HOLD_PEERS:-200}
N_NCAT=${N_NCAT:-100}		# ncat --sh-exec manages a few per second
PEER_MIB=${PEER_MIB:-512}	# (c) for socat, ncat and --exec: their rate
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
CC=${CC:-cc}
[ -x "$SOCKIT" ] || { echo "forward.sh: no sockit at $SOCKIT" >&2; exit 2; }
for t in socat ncat; do
	command -v $t >/dev/null || { echo "forward.sh: needs $t" >&2; exit 2; }
done
need=$((3 * HOLD + 100))
ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

W=$(mktemp -d /tmp/fwdbench.XXXXXX)
PGIDS=()
cleanup() {
	local g
	for g in "${PGIDS[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for p in loadgen epoll_echo splice_relay; do
	$CC -O2 -o "$W/$p" "bench/$p.c" || exit 1
done
. bench/lib.sh

declare -A PORT PG
# start NAME PORT CMD...: a server in its own process group, on PORT.
start() {
	local name=$1 port=$2
	shift 2
	setsid "$@" </dev/null >/dev/null 2>"$W/$name.err" &
	PG[$name]=$!
	PGIDS+=("$!")
	PORT[$name]=$port
	wait_port "$port" 10 || { echo "forward.sh: $name did not start:" >&2; cat "$W/$name.err" >&2; exit 1; }
}

# stop NAME: ends the process group of NAME.
stop() {
	kill -TERM -- "-${PG[$1]}" 2>/dev/null
	wait "${PG[$1]}" 2>/dev/null
}

# forwarder NAME PORT UPSTREAM_PORT: starts tool NAME forwarding PORT.
forwarder() {
	local t=$1 p=$2 u=$3
	case $t in
	sockit) start "$t" "$p" "$SOCKIT" listen -k "127.0.0.1:$p" --to "127.0.0.1:$u" ;;
	nosplice) start "$t" "$p" "$SOCKIT" listen -k --no-splice "127.0.0.1:$p" --to "127.0.0.1:$u" ;;
	socat) start "$t" "$p" socat "TCP-LISTEN:$p,bind=127.0.0.1,fork,reuseaddr,backlog=4096" "TCP:127.0.0.1:$u" ;;
	ncat) start "$t" "$p" ncat -l 127.0.0.1 "$p" -k -m 4000 --sh-exec "ncat 127.0.0.1 $u" ;;
	exec) start "$t" "$p" "$SOCKIT" listen -k --max-children 4000 "127.0.0.1:$p" \
	    --exec "exec '$SOCKIT' connect 127.0.0.1:$u" ;;
	esac
}

# val KEY LINE: the value of KEY=VALUE in a loadgen report line
val() { printf '%s\n' $2 | sed -n "s/^$1=//p"; }

# rss_group SID: the summed VmRSS (kB) and count of the processes of session
# SID (a tool started by setsid; --exec children have groups of their own)
rss_group() {
	local f pg rss n=0 sum=0
	for f in /proc/[0-9]*/stat; do
		pg=$(awk '{ print $6 }' "$f" 2>/dev/null) || continue
		[ "$pg" = "$1" ] || continue
		rss=$(awk '/^VmRSS/ { print $2 }' "${f%stat}status" 2>/dev/null)
		sum=$((sum + ${rss:-0}))
		n=$((n + 1))
	done
	echo "$sum $n"
}

# cpu_ticks SID: user+sys ticks of the live processes of session SID, plus
# the reaped children of its leader.
cpu_ticks() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$1" '
		$1 == g { c += $16 + $17 }
		$6 == g { t += $14 + $15 }
		END { print t + c }'
}
TICK=$(getconf CLK_TCK)

TOOLS="sockit socat ncat exec"
up=$(free_port); start upstream "$up" "$W/epoll_echo" "$up"
echo "== forwarders on 127.0.0.1 -> epoll_echo, $(nproc) cores shared (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   $("$SOCKIT" --version 2>/dev/null | head -n1), $(socat -V 2>/dev/null | sed -n 's/^socat version \([^ ]*\).*/socat \1/p'), $(ncat --version 2>&1 | sed -n 's/^Ncat: Version \([^ ]*\).*/ncat \1/p')"
for t in $TOOLS; do forwarder "$t" "$(free_port)" "$up"; done

echo
echo "(a) $N sequential connections, one 64-byte round trip each (ncat: $N_NCAT)"
printf '%-8s %10s %8s %8s\n' via "conn/s" errors "sockit x"
l=$("$W/loadgen" seq 127.0.0.1 "$up" "$N")
printf '%-8s %10s %8s\n' direct "$(val cps "$l")" "$(val errors "$l")"
declare -A CPS RTPS CPU
for t in $TOOLS; do
	l=$(timeout 120 "$W/loadgen" seq 127.0.0.1 "${PORT[$t]}" "$([ $t = ncat ] && echo "$N_NCAT" || echo "$N")")
	CPS[$t]=$(val cps "$l")
	printf '%-8s %10s %8s %8s\n' "$t" "${CPS[$t]}" "$(val errors "$l")" \
	    "$(awk -v a="${CPS[sockit]}" -v b="${CPS[$t]}" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
	sleep 0.5
done

echo
echo "(b) 64 concurrent clients, 64-byte round trips for ${SECS}s"
printf '%-8s %10s %9s %9s %8s %8s %8s %8s\n' via "rt/s" "p50 us" "p99 us" errors "sockit x" \
    "cpu us" "sockit x"
l=$(timeout 90 "$W/loadgen" rr 127.0.0.1 "$up" 64 "$SECS")
printf '%-8s %10s %9s %9s %8s\n' direct "$(val rtps "$l")" "$(val p50_us "$l")" "$(val p99_us "$l")" "$(val errors "$l")"
for t in $TOOLS; do
	c0=$(cpu_ticks "${PG[$t]}")
	l=$(INFLIGHT=8 timeout 90 "$W/loadgen" rr 127.0.0.1 "${PORT[$t]}" 64 "$SECS")
	sleep 0.3	# the peers' children end and are reaped
	c1=$(cpu_ticks "${PG[$t]}")
	RTPS[$t]=$(val rtps "$l")
	CPU[$t]=$(awk -v c=$((c1 - c0)) -v n="$(val rts "$l")" -v k="$TICK" \
	    'BEGIN { printf "%.1f", n ? c / k / n * 1e6 : 0 }')
	printf '%-8s %10s %9s %9s %8s %8s %8s %8s\n' "$t" "${RTPS[$t]}" "$(val p50_us "$l")" "$(val p99_us "$l")" \
	    "$(val errors "$l")" "$(awk -v a="${RTPS[sockit]}" -v b="${RTPS[$t]}" 'BEGIN { printf "%.2f", b ? a / b : 0 }')" \
	    "${CPU[$t]}" "$(awk -v a="${CPU[sockit]}" -v b="${CPU[$t]}" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')"
	sleep 0.5
done
echo "(cpu us: the forwarder's user+sys time per round trip, all its processes; sockit x: the tool's over"
echo " sockit's, the steadier figure on a shared machine, where a tool of 64 processes gets more of the cores)"
for t in $TOOLS; do stop "$t"; done

echo
echo "(c) $SIZE_MIB MiB through one connection: splice_relay send -> forwarder -> splice_relay recv"
# bulk TOOL MIB: seconds for MIB through TOOL (direct: no forwarder)
bulk() {
	local t=$1 mib=$2 r p t0 t1 rpid
	r=$(free_port)
	"$W/splice_relay" recv "$r" >/dev/null 2>"$W/recv.err" &
	rpid=$!
	wait_port "$r" 10 || return 1
	p=$r
	if [ "$t" != direct ]; then
		p=$(free_port)
		forwarder "$t" "$p" "$r"
	fi
	t0=$(date +%s.%N)
	head -c "${mib}M" /dev/zero | "$W/splice_relay" send 127.0.0.1 "$p"
	wait "$rpid"
	t1=$(date +%s.%N)
	[ "$t" != direct ] && stop "$t"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
printf '%-8s %9s %9s %9s %8s\n' via MiB seconds "MB/s" "x ceil"
ceil=$(bulk direct "$SIZE_MIB")
for t in direct sockit nosplice socat ncat exec; do
	m=$SIZE_MIB
	case $t in socat|ncat|exec) m=$PEER_MIB ;; esac
	s=$([ $t = direct ] && echo "$ceil" || bulk $t $m)
	awk -v t="$t" -v s="$s" -v c="$ceil" -v m="$m" -v cm="$SIZE_MIB" \
	    'BEGIN { printf "%-8s %9d %9.3f %9.0f %8.2f\n", t, m, s, m * 1.048576 / s, (m / s) / (cm / c) }'
done

echo
echo "(d) connections held open after one round trip each: the forwarder's memory"
printf '%-8s %6s %8s %11s %11s %8s %6s\n' via conns held "RSS idle" "RSS held" "kB/conn" procs
hold() {
	local t=$1 n=$2 lg r0 r1 held p
	p=$(free_port)
	forwarder "$t" "$p" "$up"
	r0=$(rss_group "${PG[$t]}")
	INFLIGHT=64 "$W/loadgen" hold 127.0.0.1 "$p" "$n" 30 >"$W/hold" &
	lg=$!
	for i in $(seq 1 1200); do
		grep -q '^hold' "$W/hold" && break
		kill -0 "$lg" 2>/dev/null || break
		sleep 0.05
	done
	r1=$(rss_group "${PG[$t]}")
	held=$(sed -n 's/.*served=\([0-9]*\).*/\1/p' "$W/hold")
	kill -TERM "$lg" 2>/dev/null
	wait "$lg" 2>/dev/null
	stop "$t"
	set -- $r0 $r1
	awk -v t="$t" -v n="$n" -v h="${held:-0}" -v a="$1" -v b="$3" -v k="$4" \
	    'BEGIN { printf "%-8s %6d %8d %8d kB %8d kB %8.1f %6d\n", t, n, h, a, b, h ? (b - a) / h : 0, k }'
	sleep 1
}
hold sockit "$HOLD"
for t in sockit socat ncat exec; do hold $t "$HOLD_PEERS"; done
echo "(kB/conn: the RSS growth per held connection, summed over the tool's processes)"
