#!/bin/sh
# bench/sniff.sh - capture COUNT 64-byte UDP datagrams on loopback with
# sockit sniff (pcap to /dev/null, and JSON to /dev/null), tcpdump and tshark
# (pcap to /dev/null, and `tshark -T json >/dev/null`), the same filter for
# all; median of 3 runs of: packets captured, kernel drops, CPU seconds
# (user+sys) of the capture process (and its children).  Issue 5 target:
# sockit's JSON Lines <= 0.2 x the CPU of `tshark -T json`, also compared
# per packet captured, since a slow capture that drops packets spends less.
# usage: bench/sniff.sh [SOCKIT] [COUNT] [PPS]   (root; PPS 0 = flat out)
#   COUNT defaults to 200,000 (about 2.5 minutes, most of it tshark -T json);
#   FULL=1: 1,000,000
set -eu
SOCKIT=${1:-./sockit}
if [ "${FULL:-0}" = 1 ]; then COUNT=${2:-1000000}; else COUNT=${2:-200000}; fi
PPS=${3:-0}
RUNS=${RUNS:-3}
PORT=${PORT:-47999}
BUF_MIB=${BUF_MIB:-32}
FILTER="udp and dst port $PORT"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/udpgen" "$here/udpgen.c"

# run NAME READY-REGEX CMD...: one capture; prints "captured drops cpu"
run() {
	name=$1 ready=$2
	shift 2
	/usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" &
	tpid=$!
	i=0
	until grep -Eq "$ready" "$tmp/err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 500 ] || { echo "$name did not start:" >&2; cat "$tmp/err" >&2; exit 1; }
		sleep 0.02
	done
	"$tmp/udpgen" 127.0.0.1 "$PORT" "$COUNT" 64 "$PPS" 2>/dev/null
	sleep 2	# let the capture drain what is queued (a benchmark, not a test)
	cpid=$(pgrep -P "$tpid" | head -n1)
	kill -INT "$cpid"
	wait "$tpid" || true
	captured=$(grep -Eo '^[0-9]+ packets? captured' "$tmp/err" | grep -Eo '^[0-9]+' || echo 0)
	drops=$(grep -Eo '[0-9]+ packets? dropped( by kernel| from)' "$tmp/err" | grep -Eo '^[0-9]+' | awk '{s+=$1} END {print s+0}')
	cpu=$(tail -n1 "$tmp/time" | awk '{printf "%.2f", $1 + $2}')
	echo "$captured $drops $cpu"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# bench NAME READY CMD...: RUNS runs, medians
bench() {
	name=$1
	: >"$tmp/runs"
	for r in $(seq "$RUNS"); do
		run "$@" >>"$tmp/runs"
	done
	c=$(cut -d' ' -f1 "$tmp/runs" | median)
	d=$(cut -d' ' -f2 "$tmp/runs" | median)
	u=$(cut -d' ' -f3 "$tmp/runs" | median)
	printf '%-28s captured %8s  drops %8s  cpu %6ss\n' "$name" "$c" "$d" "$u"
	echo "$name $c $d $u" >>"$tmp/results"
}

echo "capturing $COUNT x 64-byte UDP on lo, filter '$FILTER', ring/buffer ${BUF_MIB} MiB, median of $RUNS"
: >"$tmp/results"
bench "sockit -w /dev/null" '^listening on' "$SOCKIT" sniff -i lo --buffer "$BUF_MIB" --filter "$FILTER" -w /dev/null
bench "sockit --json >/dev/null" '^listening on' "$SOCKIT" sniff -j -i lo --buffer "$BUF_MIB" --filter "$FILTER"
bench "tcpdump -w /dev/null" 'listening on' tcpdump -i lo -B $((BUF_MIB * 1024)) -w /dev/null "$FILTER"
bench "tshark -w /dev/null" 'Capturing on' tshark -i lo -B "$BUF_MIB" -w /dev/null -f "$FILTER"
bench "tshark -T json >/dev/null" 'Capturing on' tshark -i lo -B "$BUF_MIB" -f "$FILTER" -T json
awk '
	$1 == "tcpdump" { tc = $(NF) }
	{ cpu[NR] = $(NF); cap[NR] = $(NF - 2); name[NR] = $0 }
	END {
		if (tc > 0) {
			printf "CPU ratio sockit -w / tcpdump -w: %.2f\n", cpu[1] / tc
			printf "CPU ratio sockit --json / tcpdump -w: %.2f\n", cpu[2] / tc
			printf "CPU ratio tshark / tcpdump -w: %.2f\n", cpu[4] / tc
		}
		if (cpu[5] > 0)
			printf "CPU ratio sockit --json / tshark -T json: %.3f (target <= 0.2)\n", cpu[2] / cpu[5]
		if (cpu[5] > 0 && cap[2] > 0 && cap[5] > 0)
			printf "CPU per packet captured, sockit --json / tshark -T json: %.3f\n", (cpu[2] / cap[2]) / (cpu[5] / cap[5])
	}' "$tmp/results"
