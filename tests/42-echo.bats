#!/usr/bin/env bats
# 42: echo - the epoll echo server.
load helpers

setup() { setup_bg; }
teardown() { teardown_bg; }

bg_echo() {
	: >"$TMP/e.err"	# truncated here: the child truncates too late for wait_for_line
	$SOCKIT_WRAP "$SOCKIT" echo "$@" 2>"$TMP/e.err" &
	PIDS+=($!)
	wait_for_line "$TMP/e.err" "^(\(|'|\{)" 10
	PORT=$(bound_port "$TMP/e.err")
}

@test "echo: TCP echoes and prints (connections, bytes_in, bytes_out) at exit" {
	bg_echo --count 2 127.0.0.1:0
	run bash -c "echo hello | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output "hello"
	seq 1 20000 | sockit connect 127.0.0.1:$PORT >"$TMP/out"
	cmp "$TMP/out" <(seq 1 20000)
	wait "${PIDS[0]}"
	n=$(( 6 + $(seq 1 20000 | wc -c) ))
	assert_equal "$(tail -n1 "$TMP/e.err")" "(2, $n, $n)"
}

@test "echo: many clients at once" {
	bg_echo 127.0.0.1:0
	for i in $(seq 1 50); do
		(echo "client $i" | "$SOCKIT" connect 127.0.0.1:$PORT >"$TMP/c$i") &
	done
	wait $(jobs -p | grep -v "${PIDS[0]}") 2>/dev/null || true
	for i in $(seq 1 50); do
		assert_equal "$(cat "$TMP/c$i")" "client $i"
	done
}

@test "echo: a slow reader gets everything (back-pressure, no loss)" {
	bg_echo 127.0.0.1:0
	head -c 5000000 /dev/urandom >"$TMP/data"
	/usr/bin/python3 - "$PORT" "$TMP/data" <<'PY'
import socket, sys, time, threading
data = open(sys.argv[2], 'rb').read()
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
threading.Thread(target=s.sendall, args=(data,), daemon=True).start()
got = bytearray(); t0 = time.time()
while len(got) < len(data) and time.time() - t0 < 60:
    chunk = s.recv(16384)
    if not chunk:
        break
    got += chunk
    if len(got) < 1000000:
        time.sleep(0.002)
assert bytes(got) == data, (len(got), len(data))
PY
}

@test "echo: UDP, UNIX stream, datagram and seqpacket" {
	bg_echo udp:127.0.0.1:0
	run bash -c "printf u | '$SOCKIT' -t 1 connect udp:127.0.0.1:$PORT"
	assert_output "u"
	for kind in unix unix-dgram unix-seqpacket; do
		$SOCKIT_WRAP "$SOCKIT" echo "$kind:$TMP/$kind" 2>"$TMP/$kind.err" &
		PIDS+=($!)
		wait_for_line "$TMP/$kind.err" "$kind" 10
		run bash -c "printf $kind | '$SOCKIT' -t 1 connect $kind:$TMP/$kind"
		assert_output "$kind"
	done
}

@test "echo: SCTP when the kernel has it" {
	$SOCKIT_WRAP "$SOCKIT" echo sctp:127.0.0.1:0 2>"$TMP/e.err" &
	PIDS+=($!)
	wait_for_line "$TMP/e.err" "^\(|Error" 10
	grep -q "^(" "$TMP/e.err" || skip "no SCTP: $(cat "$TMP/e.err")"
	PORT=$(bound_port "$TMP/e.err")
	run bash -c "echo s | '$SOCKIT' connect sctp:127.0.0.1:$PORT"
	assert_output "s"
}

@test "echo --max-clients: the next client waits until one leaves" {
	bg_echo --max-clients 1 127.0.0.1:0
	mkfifo "$TMP/hold"
	"$SOCKIT" connect 127.0.0.1:$PORT <"$TMP/hold" >"$TMP/first" &
	PIDS+=($!)
	exec 7>"$TMP/hold"
	echo one >&7
	wait_for_line "$TMP/first" one 10
	# the second one is queued, not served: nothing comes back in 0.5 s
	run sockit -t 0.5 connect --send "'two'" 127.0.0.1:$PORT
	assert_failure 4
	exec 7>&-
	wait "${PIDS[-1]}"
	run sockit connect --send "'three'" 127.0.0.1:$PORT
	assert_output "three"
}

@test "echo --idle-timeout closes idle clients" {
	bg_echo --idle-timeout 0.3 127.0.0.1:0
	mkfifo "$TMP/hold"
	exec 7<>"$TMP/hold"
	run timeout 10 "$SOCKIT" connect 127.0.0.1:$PORT <&7
	exec 7>&-
	assert_success
}

@test "echo: SIGUSR1 prints the statistics so far on stderr and echo goes on" {
	bg_echo 127.0.0.1:0
	run bash -c "echo hello | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output hello
	kill -USR1 "${PIDS[0]}"
	wait_for_line "$TMP/e.err" '^\(1, 6, 6\)$' 10
	kill -0 "${PIDS[0]}"
	run bash -c "echo again | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output again
	kill -USR1 "${PIDS[0]}"
	wait_for_line "$TMP/e.err" '^\(2, 12, 12\)$' 10
	kill -INT "${PIDS[0]}"
	st=0; wait "${PIDS[0]}" || st=$?
	assert_equal "$st" 130
	assert_equal "$(tail -n1 "$TMP/e.err")" "(2, 12, 12)"
	bg_echo -j 127.0.0.1:0
	kill -USR1 "${PIDS[-1]}"
	wait_for_line "$TMP/e.err" '^\{"connections": 0, "bytes_in": 0, "bytes_out": 0\}$' 10
	kill -0 "${PIDS[-1]}"
	kill -TERM "${PIDS[-1]}"
	st=0; wait "${PIDS[-1]}" || st=$?
	assert_equal "$st" 143
}

@test "echo -t SEC: an idle client is closed after SEC, and with no client echo ends with TimeoutError, exit 4 (issue 17 item 10)" {
	run --separate-stderr timeout 10 "$SOCKIT" -t 0.3 echo udp:127.0.0.1:0
	assert_failure 4
	[ "${stderr_lines[-1]}" = "sockit: TimeoutError: timed out" ]
	# a client that sends nothing: closed after -t (it sees EOF), then echo
	# times out with nobody connected
	server_bg "^\(" -t 1 echo 127.0.0.1:0 </dev/null
	run /usr/bin/python3 -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
print(repr(c.recv(1)))' "$PORT"
	assert_output "b''"
	wait_is 4 "${PIDS[-1]}"
	assert_equal "$(tail -n1 "$TMP/l.err")" "sockit: TimeoutError: timed out"
	assert_equal "$(tail -n2 "$TMP/l.err" | head -n1)" "(1, 0, 0)"
}

@test "echo -q: neither the bound address nor the stats on stderr (issue 17 item 10)" {
	"$SOCKIT" -q echo --count 1 unix:$TMP/q.sock </dev/null 2>"$TMP/q.err" &
	PIDS+=($!)
	local i
	for i in $(seq 1 250); do [ -S "$TMP/q.sock" ] && break; sleep 0.02; done
	run sockit -t 5 connect --send "'hush'" unix:$TMP/q.sock
	assert_output hush
	wait_is 0 "${PIDS[-1]}"
	assert_equal "$(cat "$TMP/q.err")" ""
}

@test "echo: SIGINT and SIGTERM exit 130/143 after printing the stats" {
	bg_echo 127.0.0.1:0
	kill -INT "${PIDS[0]}"
	st=0; wait "${PIDS[0]}" || st=$?
	assert_equal "$st" 130
	assert_equal "$(tail -n1 "$TMP/e.err")" "(0, 0, 0)"
	bg_echo unix:$TMP/s
	kill -TERM "${PIDS[-1]}"
	st=0; wait "${PIDS[-1]}" || st=$?
	assert_equal "$st" 143
	[ ! -e "$TMP/s" ]
}

@test "echo -j: bound address and stats in JSON" {
	$SOCKIT_WRAP "$SOCKIT" -j echo --count 1 127.0.0.1:0 2>"$TMP/e.err" &
	PIDS+=($!)
	wait_for_line "$TMP/e.err" '"port"' 10
	PORT=$(grep -Eo '"port": [0-9]+' "$TMP/e.err" | grep -Eo '[0-9]+')
	echo j | sockit connect 127.0.0.1:$PORT
	wait "${PIDS[0]}"
	assert_equal "$(tail -n1 "$TMP/e.err")" '{"connections": 1, "bytes_in": 2, "bytes_out": 2}'
}

@test "echo: bad input is a usage error (exit 2)" {
	for args in "" "--count=0 127.0.0.1:0" "--max-clients=x 127.0.0.1:0" "--idle-timeout=0 127.0.0.1:0" \
	    "--idle-timeout=abc 127.0.0.1:0" "127.0.0.1:65536" "nope:x:1" "-o BAD 127.0.0.1:0"; do
		run sockit echo $args
		assert_failure 2
	done
}

@test "echo: bind errors are OSErrors (exit 1)" {
	bg_echo 127.0.0.1:0
	run sockit echo 127.0.0.1:$PORT
	assert_failure 1
	assert_output --partial "Address already in use"
}

@test "echo unix-seqpacket: a client that sends messages over 64 KiB and never reads is held, not overflowed" {
	bg_echo unix-seqpacket:$TMP/sp
	# messages of 150 KiB: echo cannot send them back to a client that
	# does not read, and keeps each whole; it must not write past its
	# 64 KiB per-client buffer (a heap overflow: ASan shows it, the
	# release build died), serve the next client and lose nothing
	run timeout 30 /usr/bin/python3 - "$TMP/sp" <<'PY'
import socket, sys, time
path = sys.argv[1]
msg = [bytes([65 + i]) * (150 * 1024) for i in range(4)]
a = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
a.connect(path)
a.settimeout(2)
sent = 0
for m in msg:
    try:
        a.send(m)
    except (socket.timeout, BlockingIOError):
        break
    sent += 1
time.sleep(0.3)
assert sent >= 2, sent
b = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
b.settimeout(5)
b.connect(path)
b.send(b'other')
assert b.recv(100) == b'other'
b.close()
for m in msg[:sent]:
    got = a.recv(1 << 20)
    assert got == m, (len(got), got[:1])
print('ok')
PY
	assert_success
	assert_output ok
	kill -0 "${PIDS[0]}"
	kill -TERM "${PIDS[0]}"
	wait_is 143 "${PIDS[0]}"
}

@test "echo: at exit the socket file is removed only if still ours; SIGHUP cleans up too (129)" {
	! sighup_ignored || skip "the suite runs with SIGHUP ignored (nohup)"
	bg_echo unix:$TMP/s
	local first=${PIDS[0]}
	rm "$TMP/s"
	bg_echo unix:$TMP/s	# a successor replaces the socket file
	local second=${PIDS[1]}
	kill -TERM "$first"
	wait_is 143 "$first"
	[ -S "$TMP/s" ]		# the successor's: left alone
	run sockit -t 5 connect --send "'here'" unix:$TMP/s
	assert_output here
	kill -HUP "$second"
	wait_is 129 "$second"
	[ ! -e "$TMP/s" ]
	assert_equal "$(tail -n1 "$TMP/e.err")" "(1, 4, 4)"
}

@test "echo: unix-dgram and unix-seqpacket messages over 256 KiB come back whole" {
	# they were cut at 256 KiB (or dropped)
	bg_echo unix-dgram:$TMP/d
	bg_echo unix-seqpacket:$TMP/q
	run timeout 30 /usr/bin/python3 - "$TMP" <<'PY'
import socket, sys
d = sys.argv[1]
msg = bytes(range(256)) * 1200		# 307,200 bytes in one message
g = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
g.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
g.bind(d + '/me')
g.settimeout(5)
g.sendto(msg, d + '/d')
got = g.recv(1 << 20)
assert got == msg, ('dgram', len(got))
q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
q.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
q.settimeout(5)
q.connect(d + '/q')
q.send(msg)
got = q.recv(1 << 20)
assert got == msg, ('seqpacket', len(got))
print('ok')
PY
	assert_output ok
}
