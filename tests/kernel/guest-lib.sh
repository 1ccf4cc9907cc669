# guest-lib.sh - sourced by every guest test (as /tests/lib): helpers.
# A test passes by exiting 0, fails otherwise, is skipped with exit 77.

# fail MSG: reports and ends the test.
fail() { echo "FAIL: $*"; exit 1; }
# skip MSG: ends the test as skipped.
skip() { echo "SKIP: $*"; exit 77; }
# expect_eq WHAT GOT WANT: compares two strings.
expect_eq() {
	[ "$2" = "$3" ] || { printf 'FAIL: %s\n  got:  %s\n  want: %s\n' "$1" "$2" "$3"; exit 1; }
}
# run_ok CMD...: runs CMD, echoes it and its output; fails on non-zero status.
run_ok() {
	echo "+ $*"
	"$@" || fail "status $?: $*"
}
# wait_file FILE PATTERN [TENTHS]: waits until FILE has a line matching PATTERN.
wait_file() {
	n=${3:-50}
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || { echo "timeout waiting for /$2/ in $1:"; cat "$1"; return 1; }
		sleep 0.1
	done
}
# bg_wait PID [TENTHS]: waits for a background job with a deadline; its status.
bg_wait() {
	n=${2:-50}
	while kill -0 "$1" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || { kill "$1"; echo "timeout waiting for pid $1"; return 124; }
		sleep 0.1
	done
	wait "$1"
}

# cansniff [FORMAT OPTIONS] IFACE COUNT SECONDS [log | pcap FILE]: CAN
# capture with `sockit sniff` (COUNT or SECONDS 0: no limit).
cansniff() {
	fmt=
	while [ "${1#-}" != "$1" ]; do fmt="$fmt $1"; shift; done
	c=; [ "$2" = 0 ] || c="-c $2"
	t=; [ "$3" = 0 ] || t="--timeout $3"
	w=; [ "${4:-}" = pcap ] && w="-w $5"
	l=; [ "${4:-}" = log ] && l=--log
	sockit $fmt sniff -i "$1" $c $t $w $l
}

# sniff_bg OUT IFACE COUNT SECONDS [...]: cansniff in the background into
# OUT (stderr in OUT.err), waiting until its socket is bound.  Sets SNIFF_PID.
sniff_bg() {
	out=$1; shift
	for ifc in "$@"; do [ "${ifc#-}" = "$ifc" ] && break; done
	nsocks=$(grep -c " $ifc " /proc/net/can/rcvlist_all)
	cansniff "$@" >"$out" 2>"$out.err" &
	SNIFF_PID=$!
	# bound once /proc/net/can/rcvlist_all lists one more socket on the interface
	n=50
	while [ $n -gt 0 ] && [ "$(grep -c " $ifc " /proc/net/can/rcvlist_all)" -le "$nsocks" ]; do
		sleep 0.05; n=$((n - 1))
	done
}

# eval_can_ready PROTO: does `sockit eval` create and bind AF_CAN sockets
# yet?  (eval is written alongside; its CAN tests run as it lands.)
eval_can_ready() {
	case $1 in
	CAN_ISOTP) a='("vcan1", 0x701, 0x702)' t=SOCK_DGRAM ;;
	CAN_J1939) a='("vcan1", J1939_NO_NAME, J1939_NO_PGN, 0x10)' t=SOCK_DGRAM ;;
	*) a='("vcan1",)' t=SOCK_RAW ;;
	esac
	[ "$(sockit eval "s = socket(AF_CAN, $t, $1); s.bind($a); print('ready')" 2>&1)" = ready ]
}

# need_eval: skips the test while `sockit eval` cannot create sockets (the
# eval and socket-method work lands alongside these tests).
need_eval() {
	r=$(sockit eval 's = socket(AF_INET, SOCK_DGRAM); s.close(); print("ready")' 2>&1)
	[ "$r" = ready ] || skip "sockit eval cannot create sockets yet: $r"
}

# ev EXPECTED PROGRAM: runs sockit eval PROGRAM and compares its output.
ev() {
	want=$1; shift
	echo "+ sockit eval '$1'"
	got=$(sockit eval "$1" 2>&1)
	expect_eq "eval output" "$got" "$want"
}

# bound_port FILE: the port of the first "(..., PORT" address in FILE.
bound_port() {
	grep -o '[0-9][0-9]*)' "$1" | head -n1 | tr -d ')'
}
