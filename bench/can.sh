#!/bin/sh
# bench/can.sh - can-send throughput on vcan0, in the kernel lab's guest:
# 100,000 frames from stdin through `sockit can-send vcan0 -`, counted on
# the receiving side (sockit sniff and candump), against can-utils'
# cansend run once per frame in a shell loop (the way scripts use it).
# On the host it boots the lab and runs itself inside:
#     bench/can.sh                 (N=100000 LOOP_N=1000 by default)
# Fails when a frame is lost or can-send is slower than the cansend loop.
N=${N:-100000}
LOOP_N=${LOOP_N:-1000}
if [ ! -f /tests/lib ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' EXIT
	{ echo "N=$N LOOP_N=$LOOP_N"; cat "$0"; } >"$tmp"
	KLAB_TIMEOUT=${KLAB_TIMEOUT:-300} sh "$here/../tests/kernel/run.sh" -s "$tmp"
	exit
fi

now() { cut -d' ' -f1 /proc/uptime; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { d = b - a; if (d <= 0) d = 0.01; printf "%.0f", n / d }'; }

echo "generating frames: $(now)"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "%03X#%08X%02X\n", i % 2048, i, i % 256 }' >/tmp/frames
awk -v n="$LOOP_N" 'BEGIN { for (i = 0; i < n; i++) printf "%03X#%08X\n", i % 2048, i }' >/tmp/loopframes

# 1. can-send: N frames from stdin, two receivers counting
sniff_bg /tmp/rx -r vcan0 "$N" 120
candump -r 8388608 -n "$N" -T 60000 vcan0 >/tmp/cd 2>&1 &
cdpid=$!
sleep 0.3
t0=$(now)
sockit can-send vcan0 - </tmp/frames || fail "can-send: status $?"
t1=$(now)
bg_wait $SNIFF_PID 1200
bg_wait $cdpid 1200
got=$(wc -l </tmp/rx | tr -d ' ')
gotcd=$(grep -c vcan0 /tmp/cd)
cmp -s /tmp/rx /tmp/frames && same=yes || same=NO
cs_rate=$(rate "$N" "$t0" "$t1")
echo "can-send: $N frames in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s = $cs_rate frames/s"
echo "  received by sockit sniff: $got (identical, in order: $same); $(cat /tmp/rx.err)"
echo "  received by candump:      $gotcd"

# 2. cansend, one process per frame
t0=$(now)
while read -r f; do cansend vcan0 "$f"; done </tmp/loopframes
t1=$(now)
loop_rate=$(rate "$LOOP_N" "$t0" "$t1")
echo "cansend loop: $LOOP_N frames in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s = $loop_rate frames/s"
echo "can-send / cansend loop: $(awk -v a="$cs_rate" -v b="$loop_rate" 'BEGIN { printf "%.0fx", a / b }')"

[ "$got" = "$N" ] && [ "$gotcd" = "$N" ] && [ $same = yes ] || fail "frames lost"
[ "$cs_rate" -ge "$loop_rate" ] || fail "can-send slower than a cansend loop"
