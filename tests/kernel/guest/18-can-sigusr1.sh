# 18-can-sigusr1: on a CAN interface SIGUSR1 prints sniff's counts so far
# on stderr (as tcpdump does) and the capture goes on.

# usr1_sniff OUT [OPTIONS]: sockit sniff on vcan0 itself in the background
# (so that $SNIFF_PID is sockit, not a subshell), stdout in OUT, stderr in
# OUT.err, once its socket is bound.
usr1_sniff() {
	out=$1; shift
	nsocks=$(grep -c " vcan0 " /proc/net/can/rcvlist_all)
	sockit "$@" sniff -i vcan0 >"$out" 2>"$out.err" &
	SNIFF_PID=$!
	n=50
	while [ $n -gt 0 ] && [ "$(grep -c " vcan0 " /proc/net/can/rcvlist_all)" -le "$nsocks" ]; do
		sleep 0.05; n=$((n - 1))
	done
}

usr1_sniff /tmp/u
run_ok sockit can-send vcan0 123#11
wait_file /tmp/u "^(291, 1" || fail "first frame not printed"
kill -USR1 $SNIFF_PID
wait_file /tmp/u.err "1 frames received, 0 dropped" || fail "no counts on SIGUSR1"
kill -0 $SNIFF_PID 2>/dev/null || fail "sniff ended on SIGUSR1"
run_ok sockit can-send vcan0 124#22
wait_file /tmp/u "^(292, 1" || fail "second frame not printed"
kill -USR1 $SNIFF_PID
wait_file /tmp/u.err "2 frames received, 0 dropped" || fail "no counts on the second SIGUSR1"
kill -INT $SNIFF_PID
st=0
bg_wait $SNIFF_PID || st=$?
expect_eq "status after SIGINT" "$st" 130
expect_eq "counts at SIGUSR1, SIGUSR1 and the end" "$(grep -c 'frames received' /tmp/u.err)" 3

usr1_sniff /tmp/j -j
kill -USR1 $SNIFF_PID
wait_file /tmp/j.err '^{"received": 0, "dropped": 0}$' || fail "no JSON counts on SIGUSR1"
kill -0 $SNIFF_PID 2>/dev/null || fail "sniff -j ended on SIGUSR1"
kill -TERM $SNIFF_PID
st=0
bg_wait $SNIFF_PID || st=$?
expect_eq "status after SIGTERM" "$st" 143
