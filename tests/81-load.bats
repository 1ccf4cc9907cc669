#!/usr/bin/env bats
# 81: load (issue 8): echo with 10,000 clients at once and back to its start
# (descriptors, memory), slowloris and never-reading clients that must not
# stall anyone else, connect -> listen relaying 2 GiB each way with sha256
# checked on both ends.  Under SOCKIT_WRAP (valgrind) or an ASan build the
# counts and sizes are scaled down (see `light`).
load helpers

TOOLS="$BATS_TEST_DIRNAME/tools"

setup_file() {
	${CC:-cc} -O2 -Wall -o "$BATS_FILE_TMPDIR/manyconn" "$BATS_TEST_DIRNAME/tools/manyconn.c"
}

setup() {
	setup_bg
	MANYCONN="$BATS_FILE_TMPDIR/manyconn"
}

teardown() {
	exec 8>&- 2>/dev/null || true
	teardown_bg
}

# bg_echo ARGS...: starts echo in the background; sets EPID and PORT.
bg_echo() {
	$SOCKIT_WRAP "$SOCKIT" echo "$@" 2>"$TMP/e.err" &
	EPID=$!
	PIDS+=($EPID)
	wait_for_line "$TMP/e.err" "^\(" 20
	PORT=$(bound_port "$TMP/e.err")
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# wait_fds PID N SECONDS: waits until PID has at most N descriptors.
wait_fds() {
	local deadline=$(( $(date +%s) + $3 ))
	while [ "$(fdcount "$1")" -gt "$2" ]; do
		[ "$(date +%s)" -lt "$deadline" ] || { echo "pid $1 still has $(fdcount "$1") fds, want <= $2" >&2; return 1; }
		sleep 0.05
	done
}

# hold_round N: N clients connect, get their echo, are held, then all close;
# afterwards echo is back to its start descriptors ($FD0).
hold_round() {
	local n=$1 cpid held
	rm -f "$TMP/hold" && mkfifo "$TMP/hold"
	"$MANYCONN" hold 127.0.0.1 "$PORT" "$n" <"$TMP/hold" >"$TMP/hold.out" &
	cpid=$!
	PIDS+=($cpid)
	exec 8>"$TMP/hold"
	wait_for_line "$TMP/hold.out" '^served' 90
	assert_equal "$(cat "$TMP/hold.out")" "served $n of $n errors 0"
	held=$(fdcount "$EPID")
	[ "$held" -ge $((FD0 + n)) ] || { echo "echo holds $held fds with $n clients (start $FD0)"; return 1; }
	RSS_PEAK=$(rss_kb "$EPID")
	exec 8>&-
	wait "$cpid"
	wait_fds "$EPID" "$FD0" 30
}

@test "echo holds 10,000 clients at once; fds and RSS return to their start values" {
	local hard n rss0 rss1 rss2
	hard=$(ulimit -Hn)
	[ "$hard" = unlimited ] && hard=1048576
	n=10000
	light && n=500
	[ "$hard" -ge $((n + 64)) ] || n=$((hard - 64))
	[ "$n" -ge 1000 ] || light || skip "ulimit -Hn is $hard"
	ulimit -n "$hard"
	bg_echo 127.0.0.1:0
	FD0=$(fdcount "$EPID")
	rss0=$(rss_kb "$EPID")
	hold_round "$n"
	rss1=$(rss_kb "$EPID")
	echo "# $n clients: fds $FD0 -> $((FD0 + n))+ -> $(fdcount "$EPID"); RSS ${rss0} kB -> peak ${RSS_PEAK} kB -> ${rss1} kB" >&3
	hold_round "$n"
	rss2=$(rss_kb "$EPID")
	echo "# second round: RSS ${rss2} kB" >&3
	# back to (about) the start, and no growth from one round to the next
	[ "$rss1" -le $((rss0 + 16384)) ] || { echo "RSS $rss0 -> $rss1 kB after all clients left"; false; }
	[ "$rss2" -le $((rss1 + 4096)) ] || { echo "RSS grew $rss1 -> $rss2 kB over a second round"; false; }
	# and it still serves
	run -0 bash -c "echo still-here | $SOCKIT_WRAP '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output "still-here"
	kill -TERM "$EPID"
	wait_is "143" "$EPID"
	assert_equal "$(tail -n1 "$TMP/e.err" | cut -d, -f1)" "($((2 * n + 1))"
}

@test "echo: slowloris and never-reading clients stall nobody and stay bounded in memory" {
	local slow=50 stuck=50 limit=32768
	light && { slow=20; stuck=20; limit=131072; }
	bg_echo 127.0.0.1:0
	run -0 timeout 60 "$PY" "$TOOLS/slowclients.py" "$PORT" "$EPID" "$slow" "$stuck" 3
	echo "# $output" >&3
	assert_output --partial "failed=0"
	assert_output --partial "slow_ok=$slow/$slow"
	local r0 rmax
	r0=$(sed -E 's/.*rss_start_kb=([0-9]+).*/\1/' <<<"$output")
	rmax=$(sed -E 's/.*rss_max_kb=([0-9]+).*/\1/' <<<"$output")
	# at most 64 KiB held per client: nothing near what the stuck clients sent
	[ $((rmax - r0)) -le "$limit" ] || { echo "echo RSS grew by $((rmax - r0)) kB"; false; }
	run -0 bash -c "echo after | $SOCKIT_WRAP '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output "after"
}

# relay_check BYTES_UP BYTES_DOWN [CONNECT OPTIONS]: connect sends BYTES_UP to
# listen and listen sends BYTES_DOWN back at the same time; sha256 and length
# must match on both ends.
relay_check() {
	local up=$1 down=$2 lpid
	shift 2
	"$PY" "$TOOLS/stream.py" gen 2 "$down" "$TMP/down.gen" |
		timeout 300 $SOCKIT_WRAP "$SOCKIT" listen 127.0.0.1:0 2>"$TMP/l.err" |
		"$PY" "$TOOLS/stream.py" sum "$TMP/up.got" &
	lpid=$!
	PIDS+=($lpid)
	wait_for_line "$TMP/l.err" "^\(" 20
	PORT=$(bound_port "$TMP/l.err")
	"$PY" "$TOOLS/stream.py" gen 1 "$up" "$TMP/up.gen" |
		timeout 300 $SOCKIT_WRAP "$SOCKIT" connect "$@" 127.0.0.1:"$PORT" |
		"$PY" "$TOOLS/stream.py" sum "$TMP/down.got"
	wait "$lpid"
	assert_equal "$(cat "$TMP/up.got")" "$(cat "$TMP/up.gen")"
	assert_equal "$(cat "$TMP/down.got")" "$(cat "$TMP/down.gen")"
}

@test "connect -> listen relays 2 GiB with the same sha256 on both ends" {
	local size=$((2 << 30))
	light && size=$((64 << 20))
	relay_check "$size" 0
	echo "# relayed $size bytes: $(cat "$TMP/up.got")" >&3
}

@test "connect <-> listen: 1 GiB each way at once (2 GiB), read/write relay on one side" {
	local size=$((1 << 30))
	light && size=$((32 << 20))
	relay_check "$size" "$size" --no-splice
	echo "# $size bytes each way: up $(cat "$TMP/up.got" | cut -c1-16)... down $(cat "$TMP/down.got" | cut -c1-16)..." >&3
}
