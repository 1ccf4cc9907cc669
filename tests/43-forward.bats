#!/usr/bin/env bats
# 43: listen --to - port forwarding in one event loop (issue 17, Deliver):
# both ways, half-close and resets carried through, any stream family on
# either side, many connections at once in one process, splice for bulk
# transfers only, --source and --to-option on the outgoing side.
load helpers

setup() { setup_bg; }
teardown() { teardown_bg; }

# upstream_echo ADDRESS: sockit echo on ADDRESS in the background; UPORT is
# its port (IP).
upstream_echo() {
	server_bg "^\(|^'" echo "$@" </dev/null >/dev/null
	UPORT=$PORT
	cp "$TMP/l.err" "$TMP/echo.err"
}

# fwd ARGS...: sockit listen ARGS in the background (stderr in l.err); PORT.
fwd() {
	server_bg "^\(|^'|^b'" listen "$@" </dev/null >"$TMP/f.out"
}

# An upstream that reads to EOF, then answers with the byte count and
# closes: the client's half-close has to reach it.
HALFCLOSE_PY='
import socket, sys
l = socket.create_server(("127.0.0.1", 0))
print(l.getsockname()[1], flush=True)
l.settimeout(20)
for _ in range(int(sys.argv[1])):
    c, peer = l.accept()
    c.settimeout(20)
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        n += len(b)
    c.sendall(b"%d bytes from %s\n" % (n, peer[0].encode()))
    c.close()
'

# halfclose_bg N: the upstream above for N connections; UPORT.
halfclose_bg() {
	"$PY" -c "$HALFCLOSE_PY" "$1" >"$TMP/u.out" &
	PIDS+=($!)
	wait_for_line "$TMP/u.out" '^[0-9]+$' 10
	UPORT=$(head -n1 "$TMP/u.out")
}

@test "listen --to: both ways, the client's half-close carried to the destination, then exits" {
	halfclose_bg 1
	fwd 127.0.0.1:0 --to 127.0.0.1:$UPORT
	run bash -c "printf 'hello' | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output "5 bytes from 127.0.0.1"
	wait_is 0 "${PIDS[-1]}"
}

@test "listen -k --to: many concurrent connections in one process, no child, each echoed whole" {
	local n=200
	light && n=40
	upstream_echo 127.0.0.1:0
	fwd -k 127.0.0.1:0 --to 127.0.0.1:$UPORT
	run "$PY" - "$PORT" "$n" "${PIDS[-1]}" <<'PY'
import os, socket, sys
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cs = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(n)]
for i, c in enumerate(cs):
    c.sendall(b"client %d\n" % i * 100)
# all open at once: one process, one thread, no children
threads = os.listdir("/proc/%s/task" % pid)
kids = open("/proc/%s/task/%s/children" % (pid, pid)).read().split()
for i, c in enumerate(cs):
    want, got = b"client %d\n" % i * 100, b""
    while len(got) < len(want):
        got += c.recv(65536)
    assert got == want, i
for c in cs:
    c.close()
print("ok", len(threads), len(kids))
PY
	assert_success
	assert_output "ok 1 0"
}

@test "listen --to: any stream family on either side (UNIX -> TCP, TCP -> UNIX, abstract, seqpacket)" {
	upstream_echo 127.0.0.1:0
	fwd -k "unix:$TMP/in.sock" --to 127.0.0.1:$UPORT
	run bash -c "echo via-unix | '$SOCKIT' connect 'unix:$TMP/in.sock'"
	assert_success
	assert_output via-unix
	upstream_echo "unix:$TMP/up.sock"
	fwd -k 127.0.0.1:0 --to "unix:$TMP/up.sock"
	run bash -c "echo to-unix | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output to-unix
	fwd -k "@sockit-fwd-$$" --to "unix:$TMP/up.sock"
	run bash -c "echo abstract | '$SOCKIT' connect '@sockit-fwd-$$'"
	assert_success
	assert_output abstract
	# seqpacket: each message passes as one
	upstream_echo "unix-seqpacket:$TMP/sp.up"
	fwd -k "unix-seqpacket:$TMP/sp.in" --to "unix-seqpacket:$TMP/sp.up"
	run "$PY" -c '
import socket, sys
c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
c.settimeout(5)
c.connect(sys.argv[1])
c.send(b"one")
c.send(b"two")
print(c.recv(100), c.recv(100))
' "$TMP/sp.in"
	assert_output "b'one' b'two'"
}

@test "listen --to: bulk data arrives intact, with and without splice" {
	local mib=32 mode
	light && mib=4
	head -c ${mib}M /dev/urandom >"$TMP/data"
	for mode in "" --no-splice; do
		"$PY" -c '
import socket, sys, hashlib
l = socket.create_server(("127.0.0.1", 0))
print(l.getsockname()[1], flush=True)
l.settimeout(20)
c, _ = l.accept()
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    h.update(b)
    n += len(b)
c.sendall(h.hexdigest().encode() + b"\n")
' >"$TMP/u.out" &
		PIDS+=($!)
		wait_for_line "$TMP/u.out" '^[0-9]+$' 10
		fwd $mode 127.0.0.1:0 --to 127.0.0.1:"$(head -n1 "$TMP/u.out")"
		run bash -c "'$SOCKIT' connect 127.0.0.1:$PORT <'$TMP/data'"
		assert_success
		assert_output "$(sha256sum <"$TMP/data" | cut -d' ' -f1)"
	done
}

@test "listen --to: short requests copy without a pipe, a bulk transfer splices" {
	command -v strace >/dev/null || skip "no strace"
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	upstream_echo 127.0.0.1:0
	: >"$TMP/l.err"
	strace -f -qq -e trace=pipe2,splice -o "$TMP/trace" \
	    "$SOCKIT" listen -k --max-conns 2 127.0.0.1:0 --to 127.0.0.1:$UPORT \
	    </dev/null 2>"$TMP/l.err" &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" '^\(' 10
	PORT=$(bound_port "$TMP/l.err")
	run bash -c "echo short | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output short
	sync
	run grep -c 'pipe2\|splice' "$TMP/trace"
	assert_output 0
	run bash -c "head -c 8M /dev/zero | '$SOCKIT' connect 127.0.0.1:$PORT | wc -c"
	assert_output 8388608
	wait_is 0 "${PIDS[-1]}"
	grep -q 'pipe2(' "$TMP/trace"
	grep -q 'splice(' "$TMP/trace"
}

@test "listen --to: a refused destination is the error without -k; with -k the client is closed and the forwarder goes on" {
	local dead
	dead=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	fwd 127.0.0.1:0 --to 127.0.0.1:$dead
	run sockit connect 127.0.0.1:$PORT </dev/null
	wait_is 1 "${PIDS[-1]}"
	run grep -c 'ConnectionRefusedError: \[Errno 111\] Connection refused' "$TMP/l.err"
	assert_output 1
	upstream_echo 127.0.0.1:0
	fwd -k 127.0.0.1:0 --to 127.0.0.1:$dead
	run sockit connect 127.0.0.1:$PORT </dev/null
	assert_output ""
	wait_for_line "$TMP/l.err" "ConnectionRefusedError" 10
	running "${PIDS[-1]}"
}

@test "listen --to: a reset by the destination reaches the client as a reset" {
	"$PY" -c '
import socket, struct
l = socket.create_server(("127.0.0.1", 0))
print(l.getsockname()[1], flush=True)
l.settimeout(20)
c, _ = l.accept()
c.recv(10)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.close()
' >"$TMP/u.out" &
	PIDS+=($!)
	wait_for_line "$TMP/u.out" '^[0-9]+$' 10
	fwd 127.0.0.1:0 --to 127.0.0.1:"$(head -n1 "$TMP/u.out")"
	run "$PY" -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(b"x")
try:
    print(c.recv(10))
except ConnectionResetError as e:
    print("reset")
' "$PORT"
	assert_output reset
}

@test "listen --to --source and --to-option apply to the outgoing socket" {
	command -v strace >/dev/null || skip "no strace"
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	halfclose_bg 1
	: >"$TMP/l.err"
	strace -f -qq -e trace=setsockopt -o "$TMP/trace" "$SOCKIT" listen \
	    127.0.0.1:0 --to 127.0.0.1:$UPORT --source 127.0.0.2 \
	    --to-option SOL_SOCKET:SO_KEEPALIVE=1 </dev/null 2>"$TMP/l.err" &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" '^\(' 10
	PORT=$(bound_port "$TMP/l.err")
	run bash -c "printf abc | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output "3 bytes from 127.0.0.2"
	wait_is 0 "${PIDS[-1]}"
	run grep -c 'SO_KEEPALIVE, \[1\]' "$TMP/trace"
	assert_output 1
	run sockit listen 127.0.0.1:0 --to 127.0.0.1:1 --source 127.0.0.1:70000
	assert_failure 2
	assert_output --partial "OverflowError: bind(): port must be 0-65535."
}

@test "listen -k -v --to: a note per connection with its byte counts; -t closes a silent one" {
	upstream_echo 127.0.0.1:0
	fwd -k -v -t 0.5 127.0.0.1:0 --to 127.0.0.1:$UPORT
	run bash -c "printf 12345 | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output 12345
	wait_for_line "$TMP/l.err" "closed .*: 5 bytes sent, 5 received" 10
	grep -q "^sockit: connection from ('127.0.0.1', " "$TMP/l.err"
	# a client that sends nothing and never closes: closed after -t
	run timeout 10 "$PY" -c '
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=8)
print(c.recv(10))
' "$PORT"
	assert_output "b''"
	wait_for_line "$TMP/l.err" "TimeoutError: timed out" 5
}

@test "listen --to: bad input is a usage error (exit 2)" {
	local args
	for args in "127.0.0.1:0 --to udp:127.0.0.1:53" "udp:127.0.0.1:0 --to 127.0.0.1:1" \
	    "127.0.0.1:0 --to-option SOL_SOCKET:SO_KEEPALIVE=1" "127.0.0.1:0 --source 127.0.0.2" \
	    "127.0.0.1:0 --to 127.0.0.1:1 --exec cat" "127.0.0.1:0 --to bogus:a:1" \
	    "127.0.0.1:0 --to 127.0.0.1:70000" "127.0.0.1:0 --to unix:$TMP/x --source 127.0.0.2"; do
		run sockit listen $args
		assert_failure 2
		assert_line --index 1 --regexp "^usage: sockit .*listen"
	done
}

@test "listen -k --to: --idle-timeout closes a silent connection, --connect-timeout gives up on a destination that does not answer (issue 17, Deliver)" {
	upstream_echo 127.0.0.1:0
	fwd -k --idle-timeout 0.3 127.0.0.1:0 --to 127.0.0.1:$UPORT
	run timeout 10 "$PY" -c '
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=8)
t = time.monotonic()
print(c.recv(10), time.monotonic() - t < 3)
' "$PORT"
	assert_output "b'' True"
	full_backlog_bg
	fwd -k --connect-timeout 0.3 127.0.0.1:0 --to 127.0.0.1:$BPORT
	run timeout 10 "$SOCKIT" connect 127.0.0.1:$PORT </dev/null
	assert_output ""
	wait_for_line "$TMP/l.err" "TimeoutError: timed out" 5
	run sockit listen --connect-timeout 1 127.0.0.1:0
	assert_failure 2
}

@test "listen -k udp: --to udp: one upstream socket per client address, closed after --idle-timeout; datagrams whole (issue 17, Deliver)" {
	# the upstream answers each datagram with the port it came from and
	# its length
	"$PY" -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
print(u.getsockname()[1], flush=True)
u.settimeout(20)
while True:
    d, a = u.recvfrom(65536)
    u.sendto(b"%d %d" % (a[1], len(d)), a)
' >"$TMP/u.out" &
	PIDS+=($!)
	wait_for_line "$TMP/u.out" '^[0-9]+$' 10
	fwd -k -v --idle-timeout 0.5 udp:127.0.0.1:0 --to udp:127.0.0.1:"$(head -n1 "$TMP/u.out")"
	run "$PY" - "$PORT" <<'PY'
import socket, sys, time
dst = ("127.0.0.1", int(sys.argv[1]))
cs = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
def ask(c, n=5):
    c.settimeout(5)
    c.sendto(b"x" * n, dst)
    d, a = c.recvfrom(100)
    assert a == dst, a
    return d.split()
first = [ask(c)[0] for c in cs]
again = [ask(c)[0] for c in cs]
print(len(set(first)), first == again, ask(cs[0], 65000)[1].decode())
time.sleep(1.5)	# idle: the sessions end, the next datagram opens a new one
print(ask(cs[0])[0] != first[0])
PY
	assert_success
	assert_line --index 0 "3 True 65000"
	assert_line --index 1 True
	wait_for_line "$TMP/l.err" "closed \('127.0.0.1', [0-9]+\): [0-9]+ bytes sent, 65010 received" 5
}

@test "listen udp: --to udp: without -k the first client alone, until it is idle; unix-dgram both sides" {
	upstream_echo "unix-dgram:$TMP/up"
	fwd --idle-timeout 0.5 "unix-dgram:$TMP/in" --to "unix-dgram:$TMP/up"
	run "$PY" - "$TMP" <<'PY'
import socket, sys
t = sys.argv[1]
a = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); a.bind(t + "/a")
b = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); b.bind(t + "/b")
a.settimeout(5); b.settimeout(1)
a.sendto(b"from a", t + "/in")
print(a.recv(100))
b.sendto(b"from b", t + "/in")
try:
    print(b.recv(100))
except TimeoutError:
    print("b dropped")
PY
	assert_output "$(printf "b'from a'\nb dropped")"
	wait_is 0 "${PIDS[-1]}"
}
