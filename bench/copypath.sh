#!/bin/bash
# copypath.sh - issue 17 item 8: does connect's splice() path lose to plain
# read/write?  Sends SIZE_MIB from a regular file (file -> our pipe ->
# socket splice) and from a pipe (direct splice), each with splice and with
# --no-splice, to two local receivers: one reading in bursts (recv of 1 MiB
# after a 1 ms pause, the case the issue reports as 10x slower) and
# nc.openbsd -l (if installed).  Prints seconds and the ratio
# splice / no-splice (above 1: splice loses); median of RUNS runs.
#   bench/copypath.sh [SIZE_MIB (100)] [RUNS (3)]
set -u
cd "$(dirname "$0")/.."
SOCKIT=${SOCKIT:-$PWD/sockit}
PY=${PY:-/usr/bin/python3}
SIZE=${1:-100}
RUNS=${2:-3}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
. bench/lib.sh

head -c ${SIZE}M /dev/zero >"$W/file"
cat >"$W/bursty.py" <<'PY'
import socket, sys, time
l = socket.create_server(("127.0.0.1", int(sys.argv[1])))
c, _ = l.accept()
while True:
	time.sleep(0.001)
	if not c.recv(1 << 20):
		break
PY

# one RECEIVER INPUT MODE: seconds of one transfer.
one() {
	local recv=$1 input=$2 mode=$3 port rpid t0 t1
	port=$(free_port)
	case $recv in
	bursty) "$PY" "$W/bursty.py" $port & ;;
	nc) nc.openbsd -l 127.0.0.1 $port >/dev/null </dev/null & ;;
	esac
	rpid=$!
	wait_port $port 5 || { kill $rpid; return 1; }
	t0=$(date +%s.%N)
	case $input in
	file) "$SOCKIT" connect $mode 127.0.0.1:$port <"$W/file" >/dev/null ;;
	pipe) cat "$W/file" | "$SOCKIT" connect $mode 127.0.0.1:$port >/dev/null ;;
	esac
	wait $rpid
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

# median RECEIVER INPUT MODE
median() {
	local i
	for i in $(seq 1 $RUNS); do one "$@"; done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

RECEIVERS=(bursty)
command -v nc.openbsd >/dev/null && RECEIVERS+=(nc)
echo "copypath: ${SIZE} MiB, connect -> local receiver, median of $RUNS"
printf '%-8s %-6s %10s %12s %8s\n' receiver input splice no-splice ratio
for r in "${RECEIVERS[@]}"; do
	for in in file pipe; do
		s=$(median $r $in "")
		n=$(median $r $in --no-splice)
		awk -v r=$r -v i=$in -v s=$s -v n=$n \
		    'BEGIN { printf "%-8s %-6s %10.3f %12.3f %8.2f\n", r, i, s, n, s / n }'
	done
done
