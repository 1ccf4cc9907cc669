#!/bin/sh
# bench/fds.sh - descriptors passed per second by `sockit fds-pass serve`,
# against the ceiling of a minimal C holder (bench/fdpair.c), both measured
# by the same C client loop (connect, recvmsg one fd, close), so that no
# shell fork is timed.  Then checks that the sockit holder leaked no
# descriptor (its /proc/PID/fd count before and after).
#
#   sh bench/fds.sh            N=100000 passes per run, best of ROUNDS=3
#   SOCKIT=/path/to/sockit N=20000 ROUNDS=5 sh bench/fds.sh
# Target: sockit >= 0.8 x the ceiling.
set -eu

SOCKIT=${SOCKIT:-./sockit}
N=${N:-100000}
ROUNDS=${ROUNDS:-3}
CC=${CC:-cc}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/fdbench.XXXXXX)
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# wait_ready FILE REGEX: waits (at most 10 s) for a line in FILE.
wait_ready() {
	i=0
	until grep -Eq "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 500 ] || { echo "fds.sh: server not ready:" >&2; cat "$1" >&2; exit 1; }
		sleep 0.02
	done
}

# rates SOCK: the fds/s of ROUNDS client runs against the holder at SOCK,
# each after a space.
rates() {
	r=0
	while [ "$r" -lt "$ROUNDS" ]; do
		printf ' %s' "$("$tmp/fdpair" client "$1" "$N" | awk '{ print $3 }')"
		r=$((r + 1))
	done
}

# best RATE...: the largest of the rates.
best() {
	printf '%s\n' "$@" | sort -n | tail -n 1
}

$CC -O2 -Wall -Wextra -Werror -o "$tmp/fdpair" "$here/fdpair.c"

# the ceiling
"$tmp/fdpair" serve "$tmp/c.sock" 2>"$tmp/c.err" &
pid=$!
wait_ready "$tmp/c.err" '^ready$'
crates=$(rates "$tmp/c.sock")
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

# sockit, holding one descriptor (its stdin) like the ceiling
"$SOCKIT" fds-pass serve "unix:$tmp/s.sock" 0 </dev/null 2>"$tmp/s.err" &
pid=$!
wait_ready "$tmp/s.err" "s.sock'"
"$tmp/fdpair" client "$tmp/s.sock" 1 >/dev/null	# warm up: the fd table grows once
fds_before=$(ls "/proc/$pid/fd" | wc -l)
srates=$(rates "$tmp/s.sock")
fds_after=$(ls "/proc/$pid/fd" | wc -l)
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

c=$(best $crates)
s=$(best $srates)
echo "passes per run: $N, rounds: $ROUNDS (best of each)"
echo "ceiling (bench/fdpair.c serve):  $c fds/s   runs:$crates"
echo "sockit fds-pass serve:           $s fds/s   runs:$srates"
awk -v s="$s" -v c="$c" 'BEGIN { printf "ratio: %.2f (target >= 0.80)\n", s / c }'
echo "sockit server descriptors: $fds_before before, $fds_after after $((N * ROUNDS)) passes"
[ "$fds_before" = "$fds_after" ] || { echo "fds.sh: descriptor leak" >&2; exit 1; }
awk -v s="$s" -v c="$c" 'BEGIN { exit !(s >= 0.8 * c) }' || { echo "fds.sh: below 0.8 x the ceiling" >&2; exit 1; }
