#!/bin/bash
# bulk.sh - one-way bulk throughput over loopback, sockit connect -> sockit
# listen, against socat, ncat, nc.openbsd and a minimal splice() relay (the
# ceiling).  Prints MB/s and the ratio to the ceiling, measured in this run;
# then checks integrity (sha256 of random data equal on both ends) per tool.
#   bench/bulk.sh [SIZE_MIB (2048)] [CHECK_MIB (256)]
set -u
cd "$(dirname "$0")/.."
SOCKIT=${SOCKIT:-$PWD/sockit}
SIZE=${1:-2048}
CHECK=${2:-256}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cc -O2 -o "$W/splice_relay" bench/splice_relay.c || exit 1

. bench/lib.sh

# run_tool NAME INPUT OUTPUT: one transfer; prints seconds.
run_tool() {
	local name=$1 in=$2 out=$3 port t0 t1 rpid
	port=$(free_port)
	case $name in
	sockit) "$SOCKIT" listen 127.0.0.1:$port >"$out" 2>/dev/null </dev/null & ;;
	socat) socat -u TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr STDOUT >"$out" & ;;
	ncat) ncat --recv-only -l 127.0.0.1 $port >"$out" & ;;
	nc.openbsd) nc.openbsd -l 127.0.0.1 $port >"$out" </dev/null & ;;
	splice) "$W/splice_relay" recv $port >"$out" 2>/dev/null & ;;
	esac
	rpid=$!
	wait_port $port 5 || { echo "$name: no listener" >&2; kill $rpid; return 1; }
	t0=$(date +%s.%N)
	case $name in
	sockit) $in | "$SOCKIT" connect 127.0.0.1:$port >/dev/null ;;
	socat) $in | socat -u STDIN TCP:127.0.0.1:$port ;;
	ncat) $in | ncat --send-only 127.0.0.1 $port ;;
	nc.openbsd) $in | nc.openbsd -N 127.0.0.1 $port >/dev/null ;;
	splice) $in | "$W/splice_relay" send 127.0.0.1 $port ;;
	esac
	wait $rpid
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

TOOLS=(splice sockit socat ncat nc.openbsd)
declare -A SECS
echo "bulk: ${SIZE} MiB one way over loopback (pipe -> connect -> listen -> /dev/null)"
for t in "${TOOLS[@]}"; do
	command -v "$t" >/dev/null || [ "$t" = splice ] || [ "$t" = sockit ] || { echo "$t: not installed"; continue; }
	SECS[$t]=$(run_tool "$t" "head -c ${SIZE}M /dev/zero" /dev/null)
done
base=${SECS[splice]}
printf '%-12s %10s %10s %8s\n' tool seconds MB/s ratio
for t in "${TOOLS[@]}"; do
	[ -n "${SECS[$t]:-}" ] || continue
	awk -v t="$t" -v s="${SECS[$t]}" -v b="$base" -v m="$SIZE" \
	    'BEGIN { printf "%-12s %10.3f %10.0f %8.2f\n", t, s, m * 1.048576 / s, b / s }'
done

echo "integrity: ${CHECK} MiB of random data, sha256 on both ends"
head -c ${CHECK}M /dev/urandom >"$W/data"
want=$(sha256sum <"$W/data" | cut -d' ' -f1)
for t in "${TOOLS[@]}"; do
	[ -n "${SECS[$t]:-}" ] || continue
	run_tool "$t" "cat $W/data" "$W/out" >/dev/null
	got=$(sha256sum <"$W/out" | cut -d' ' -f1)
	[ "$got" = "$want" ] && echo "$t: ok" || echo "$t: MISMATCH ($(stat -c %s "$W/out") bytes)"
done
