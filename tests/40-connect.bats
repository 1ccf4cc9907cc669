#!/usr/bin/env bats
# 40: connect - ADDRESS syntax, create_connection, the stdio relay, -z.
load helpers

setup() { setup_bg; }
teardown() { teardown_bg; }

# start_listen ARGS...: a sockit listen in the background; sets PORT.
start_listen() {
	server_bg "^\(|^'|^b'" listen "$@" </dev/null >"$TMP/l.out"
}

@test "connect relays stdin to the peer and the reply to stdout" {
	start_listen 127.0.0.1:0
	run bash -c "echo hello | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	wait "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" "hello"
}

@test "connect: peer output arrives after stdin EOF (half-close)" {
	server_bg "^\(" listen -e 'cat; echo done' 127.0.0.1:0 </dev/null
	run bash -c "printf 'a\nb\n' | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output "$(printf 'a\nb\ndone')"
}

@test "connect: when the peer closes first, connect ends (no hang)" {
	server_bg "^\(" listen -e 'echo bye' 127.0.0.1:0 </dev/null
	# stdin never ends: a fifo held open
	mkfifo "$TMP/f"; exec 7<>"$TMP/f"
	run timeout 10 "$SOCKIT" connect 127.0.0.1:$PORT <&7
	exec 7>&-
	assert_success
	assert_output "bye"
}

@test "connect --send sends a value, --recv N stops after N bytes" {
	server_bg "^\(" listen -e 'cat; printf 0123456789' 127.0.0.1:0 </dev/null
	run sockit connect --send "b'ping\\n'" --recv 8 127.0.0.1:$PORT
	assert_success
	assert_output "ping
012"
}

@test "connect --print shows the socket repr on stderr" {
	start_listen 127.0.0.1:0
	run --separate-stderr sockit connect --print 127.0.0.1:$PORT </dev/null
	assert_success
	[[ "$stderr" == "<socket.socket fd="*", family=2, type=1, proto=6, laddr=('127.0.0.1', "*"), raddr=('127.0.0.1', $PORT)>" ]]
}

@test "connect --source binds the local address" {
	start_listen 127.0.0.1:0
	run --separate-stderr sockit connect --print --source 127.0.0.2 127.0.0.1:$PORT </dev/null
	assert_success
	[[ "$stderr" == *"laddr=('127.0.0.2', "* ]]
}

@test "connect and listen mptcp: with a host name resolve as TCP and make an IPPROTO_MPTCP socket (issue 17 item 5)" {
	/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)' 2>/dev/null ||
	    skip "no MPTCP in this kernel"
	grep -Eq '^127\.0\.0\.1[[:space:]].*\blocalhost\b' /etc/hosts || skip "no localhost in /etc/hosts"
	start_listen mptcp:localhost:0
	run --separate-stderr bash -c "echo over-mptcp | '$SOCKIT' connect --print mptcp:localhost:$PORT"
	assert_success
	[[ "$stderr" == *"proto=262,"* ]] || { echo "$stderr"; false; }
	wait_is 0 "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" over-mptcp
}

@test "connect --source: a port outside 0-65535 is OverflowError, not a wrapped port (issue 17 item 4)" {
	start_listen 127.0.0.1:0
	for p in 70000 99999999999 -1 65536; do
		run --separate-stderr sockit connect --source "127.0.0.2:$p" "127.0.0.1:$PORT" </dev/null
		assert_failure 2
		[ "$stderr" = "sockit: OverflowError: bind(): port must be 0-65535." ] || { echo "$p: $stderr"; false; }
	done
	run --separate-stderr sockit create_connection "('127.0.0.1', $PORT)" None "('127.0.0.2', 70000)"
	assert_failure 2
	[ "$stderr" = "sockit: OverflowError: bind(): port must be 0-65535." ]
	# 0 and leading zeros are still ports
	run --separate-stderr sockit connect --print --source 127.0.0.2:000 "127.0.0.1:$PORT" </dev/null
	assert_success
	[[ "$stderr" == *"laddr=('127.0.0.2', "* ]]
}

@test "connect: refused connection is ConnectionRefusedError, exit 1" {
	run sockit connect 127.0.0.1:1 </dev/null
	assert_failure 1
	assert_output "sockit: ConnectionRefusedError: [Errno 111] Connection refused"
}

@test "connect --all-errors reports every attempt as an ExceptionGroup" {
	run sockit connect --all-errors 127.0.0.1:1 </dev/null
	assert_failure 1
	assert_line --index 0 "sockit: ('127.0.0.1', 1): ConnectionRefusedError: [Errno 111] Connection refused"
	assert_line --index 1 "sockit: ExceptionGroup: create_connection failed (1 sub-exception)"
}

@test "connect and listen -v: a line per connection, then its byte counts and duration at close; JSON under -j (issue 17 item 10)" {
	server_bg "^\(" -v listen 127.0.0.1:0 >"$TMP/l.out" < <(echo reply)
	run --separate-stderr bash -c "echo hello | '$SOCKIT' -v connect 127.0.0.1:$PORT"
	assert_success
	assert_output reply
	[ "${#stderr_lines[@]}" = 2 ]
	[ "${stderr_lines[0]}" = "sockit: connected to ('127.0.0.1', $PORT)" ]
	[[ "${stderr_lines[1]}" =~ ^"sockit: closed ('127.0.0.1', $PORT): 6 bytes sent, 6 received, "[0-9]+\.[0-9]{3}" s"$ ]]
	wait_is 0 "${PIDS[-1]}"
	grep -Eq "^sockit: connection from \('127\.0\.0\.1', [0-9]+\)$" "$TMP/l.err"
	grep -Eq "^sockit: closed \('127\.0\.0\.1', [0-9]+\): 6 bytes sent, 6 received, [0-9.]+ s$" "$TMP/l.err"
	server_bg "^\{" -j -v listen 127.0.0.1:0 >"$TMP/l.out" < <(echo reply)
	PORT=$(grep -Eo '"port": [0-9]+' "$TMP/l.err" | head -n1 | tr -dc 0-9)
	run --separate-stderr bash -c "echo hello | '$SOCKIT' -j -v connect 127.0.0.1:$PORT"
	assert_success
	[ "${stderr_lines[0]}" = "{\"event\": \"connected\", \"address\": {\"host\": \"127.0.0.1\", \"port\": $PORT}}" ]
	[[ "${stderr_lines[1]}" =~ ^"{\"event\": \"closed\", \"address\": {\"host\": \"127.0.0.1\", \"port\": $PORT}, \"bytes_sent\": 6, \"bytes_received\": 6, \"seconds\": "[0-9.e-]+"}"$ ]]
	wait_is 0 "${PIDS[-1]}"
	grep -Eq '^\{"event": "accepted", "address": \{"host": "127.0.0.1", "port": [0-9]+\}\}$' "$TMP/l.err"
	# without -v: nothing
	server_bg "^\(" listen 127.0.0.1:0 >"$TMP/l.out" </dev/null
	run --separate-stderr bash -c "'$SOCKIT' connect 127.0.0.1:$PORT </dev/null"
	assert_equal "$stderr" ""
}

@test "connect: -j prints the error as JSON" {
	run sockit -j connect 127.0.0.1:1 </dev/null
	assert_failure 1
	assert_output '{"exception": "ConnectionRefusedError", "errno": 111, "message": "Connection refused"}'
}

@test "connect -t: connect timeout is TimeoutError, exit 4" {
	# a listener whose accept queue is full drops SYNs: connect() hangs
	/usr/bin/python3 -c 'import socket,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(0)
c=[]
for _ in range(4):
    x=socket.socket(); x.setblocking(False); x.connect_ex(s.getsockname()); c.append(x)
time.sleep(0.3)
print(s.getsockname()[1], flush=True)
time.sleep(30)' >"$TMP/port" &
	PIDS+=($!)
	wait_for_line "$TMP/port" '^[0-9]+$' 10
	run timeout 20 "$SOCKIT" -t 0.5 connect 127.0.0.1:$(cat "$TMP/port") </dev/null
	assert_failure 4
	assert_output "sockit: TimeoutError: timed out"
}

@test "connect: idle timeout with -t ends the relay with TimeoutError" {
	server_bg "^\(" listen -e 'sleep 5' 127.0.0.1:0 </dev/null
	run timeout 10 "$SOCKIT" -t 0.3 connect 127.0.0.1:$PORT </dev/null
	assert_failure 4
	assert_output "sockit: TimeoutError: timed out"
}

@test "connect -z: one line per port, exit 0 only when all connect" {
	start_listen 127.0.0.1:0
	run sockit connect -z 127.0.0.1:$PORT
	assert_success
	assert_output "('127.0.0.1', $PORT, 0)"
	wait "${PIDS[0]}"	# it served that one connection
	run sockit -r connect -z 127.0.0.1:$PORT-$((PORT + 1))
	assert_failure 1
	assert_line --index 0 "$(printf '127.0.0.1\t%s\t111' $PORT)"
	assert_line --index 1 "$(printf '127.0.0.1\t%s\t111' $((PORT + 1)))"
}

@test "connect -z -j prints one object {host, port, open, errno, error} a line" {
	run sockit -j connect -z 127.0.0.1:1-2
	assert_failure 1
	assert_output '{"host": "127.0.0.1", "port": 1, "open": false, "errno": 111, "error": "Connection refused"}
{"host": "127.0.0.1", "port": 2, "open": false, "errno": 111, "error": "Connection refused"}'
	server_bg '^\(' listen 127.0.0.1:0 </dev/null >/dev/null
	run sockit -j connect -z 127.0.0.1:$PORT
	assert_success
	assert_output "{\"host\": \"127.0.0.1\", \"port\": $PORT, \"open\": true, \"errno\": 0, \"error\": null}"
	run sockit -j connect -z unix:$TMP/none
	assert_failure 1
	assert_output "{\"host\": \"$TMP/none\", \"port\": null, \"open\": false, \"errno\": 2, \"error\": \"No such file or directory\"}"
}

@test "connect --all-errors -j: one object, the attempts in its exceptions array" {
	run --separate-stderr sockit -j connect --all-errors 127.0.0.1:1 </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" '{"exception": "ExceptionGroup", "errno": null, "message": "create_connection failed (1 sub-exception)", "exceptions": [{"address": {"host": "127.0.0.1", "port": 1}, "exception": "ConnectionRefusedError", "errno": 111, "message": "Connection refused"}]}'
}

@test "connect: a usage error before a later -j is JSON too" {
	for fmt in -j --json --format=json "-f json"; do
		run --separate-stderr sockit connect --bogus $fmt 127.0.0.1:1
		assert_failure 2
		assert_equal "$stderr" '{"exception": "usage", "command": "connect", "message": "unknown option '"'--bogus'"'", "usage": "sockit [GLOBAL OPTIONS] connect [OPTIONS] ADDRESS"}'
	done
	run --separate-stderr sockit connect --bogus -- -j
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "sockit: connect: unknown option '--bogus'"
}

@test "connect -z udp: a probe datagram tells a refusing port (111) from an open one, within -t (issue 17 item 6)" {
	local host
	for host in 127.0.0.1 ::1; do
		# one UDP port bound for 10 s, and one just freed (refusing)
		/usr/bin/python3 - "$host" >"$TMP/ports" <<'PY' &
import socket, sys, time
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
free = socket.socket(fam, socket.SOCK_DGRAM)
free.bind((sys.argv[1], 0))
bound = socket.socket(fam, socket.SOCK_DGRAM)
bound.bind((sys.argv[1], 0))
print(bound.getsockname()[1], free.getsockname()[1], flush=True)
free.close()
time.sleep(10)
PY
		PIDS+=($!)
		wait_for_line "$TMP/ports" "^[0-9]+ [0-9]+$" 10
		read -r open closed <"$TMP/ports"
		local a=$host; [ "$host" = ::1 ] && a="[::1]"
		run sockit -t 0.5 connect -z "udp:$a:$open"
		assert_success
		assert_output "('$host', $open, 0)"
		run sockit -t 5 connect -z "udp:$a:$closed"
		assert_failure 1
		assert_output "('$host', $closed, 111)"
	done
}

@test "connect: UDP sends each read as a datagram and prints replies" {
	server_bg "^\(" echo udp:127.0.0.1:0 </dev/null
	run bash -c "printf 'dgram' | '$SOCKIT' -t 1 connect udp:127.0.0.1:$PORT"
	assert_success
	assert_output "dgram"
}

# dgram_sink FAMILY ADDR: a receiver in the background that writes "ready
# ADDR" to $TMP/sink.addr, then the size of each datagram it gets to
# $TMP/sink.out, until 2 s pass without one.
dgram_sink() {
	"$PY" - "$1" "$2" >"$TMP/sink.out" 2>"$TMP/sink.err" <<'PYEOF' &
import socket, sys
fam = {"4": socket.AF_INET, "6": socket.AF_INET6, "u": socket.AF_UNIX}[sys.argv[1]]
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 0) if fam != socket.AF_UNIX else sys.argv[2])
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
a = s.getsockname()
open(sys.argv[2] + ".addr" if fam == socket.AF_UNIX else "/dev/stderr", "w").write("ready %s\n" % (a if fam == socket.AF_UNIX else a[1]))
s.settimeout(2)
try:
    while True:
        print(len(s.recv(1 << 20)), flush=True)
except socket.timeout:
    pass
PYEOF
	PIDS+=($!)
}

@test "connect udp: a read over the largest datagram is cut into datagrams, none lost (issue 13 D11)" {
	head -c 100000 /dev/zero >"$TMP/in"
	dgram_sink 4 127.0.0.1
	wait_for_line "$TMP/sink.err" "^ready" 10
	run sockit -t 1 connect "udp:127.0.0.1:$(awk '{ print $2 }' "$TMP/sink.err")" <"$TMP/in"
	assert_success
	wait_is 0 "${PIDS[-1]}"
	assert_equal "$(xargs <"$TMP/sink.out")" "65507 34493"
	dgram_sink 6 ::1
	wait_for_line "$TMP/sink.err" "^ready" 10
	run sockit -t 1 connect "udp:[::1]:$(awk '{ print $2 }' "$TMP/sink.err")" <"$TMP/in"
	assert_success
	wait_is 0 "${PIDS[-1]}"
	assert_equal "$(xargs <"$TMP/sink.out")" "65527 34473"
	# UNIX datagrams: at most SO_SNDBUF - 32 bytes each, the sum is the input
	head -c 600000 /dev/zero >"$TMP/in"
	dgram_sink u "$TMP/u.sock"
	wait_for_line "$TMP/u.sock.addr" "^ready" 10
	run sockit -t 1 connect "unix-dgram:$TMP/u.sock" <"$TMP/in"
	assert_success
	wait_is 0 "${PIDS[-1]}"
	assert_equal "$(awk '{ n += $1 } END { print n }' "$TMP/sink.out")" 600000
	[ "$(wc -l <"$TMP/sink.out")" -ge 3 ]
}

@test "connect: UDP to a closed port is ConnectionRefusedError" {
	run bash -c "echo x | '$SOCKIT' -t 2 connect udp:127.0.0.1:1"
	assert_failure 1
	assert_output --partial "ConnectionRefusedError"
}

@test "connect: UNIX stream, datagram and seqpacket" {
	for kind in unix unix-dgram unix-seqpacket; do
		server_bg "$kind.sock" echo "$kind:$TMP/$kind.sock" </dev/null
		run bash -c "printf 'via-$kind' | '$SOCKIT' -t 1 connect $kind:$TMP/$kind.sock"
		assert_success
		assert_output "via-$kind"
	done
}

@test "connect: abstract UNIX sockets (@name and unix:@name)" {
	name="sockit-test-$$-$RANDOM"
	server_bg "$name" echo "@$name" </dev/null
	run bash -c "printf abs | '$SOCKIT' connect unix:@$name"
	assert_success
	assert_output "abs"
}

@test "connect: missing UNIX socket is FileNotFoundError" {
	run sockit connect unix:$TMP/none.sock </dev/null
	assert_failure 1
	assert_output "sockit: FileNotFoundError: [Errno 2] No such file or directory"
}

@test "connect: IPv6 with brackets" {
	$SOCKIT_WRAP "$SOCKIT" -6 listen '[::1]:0' >"$TMP/l.out" 2>"$TMP/l.err" &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" "::1" 10 || skip "no IPv6 loopback"
	PORT=$(grep -Eo "', [0-9]+" "$TMP/l.err" | grep -Eo "[0-9]+")
	run bash -c "echo six | '$SOCKIT' connect '[::1]:$PORT'"
	assert_success
	wait "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" "six"
}

@test "connect -o sets socket options by constant names" {
	start_listen 127.0.0.1:0
	run bash -c "echo opt | '$SOCKIT' connect -o SOL_SOCKET:SO_RCVBUF=65536 -o IPPROTO_TCP:TCP_NODELAY=True -o SO_KEEPALIVE=1 127.0.0.1:$PORT"
	assert_success
}

@test "connect -o: bad forms are usage errors (exit 2)" {
	for o in SO_RCVBUF SOL_SOCKET:NOPE=1 NOPE:SO_RCVBUF=1 SOL_SOCKET:SO_RCVBUF= "SOL_SOCKET:SO_RCVBUF='x'" FOO=1; do
		run sockit connect -o "$o" 127.0.0.1:1
		assert_failure 2
		assert_line --index 0 --regexp "^sockit: connect: bad option"
	done
}

@test "connect: bad addresses are usage errors (exit 2)" {
	local -A cases=(
		["127.0.0.1:99999"]="port out of range"
		["127.0.0.1:"]="missing port"
		["localhost"]="missing port"
		["foo:bar:1"]="unknown prefix 'foo:'"
		["unix:"]="missing path"
		["@"]="missing abstract socket name"
		["::1:80"]="needs brackets"
		["[::1]80"]="expected ':' after ']'"
		["[::1"]="missing ']'"
		["[127.0.0.1]:80"]="brackets are for IPv6"
		["vsock:x:1"]="bad vsock CID"
		["vsock:2:y"]="bad vsock port"
		["127.0.0.1:1-5"]="port ranges are only for connect -z"
		["can:"]="missing CAN interface"
	)
	for a in "${!cases[@]}"; do
		run sockit connect "$a"
		assert_failure 2
		assert_line --index 0 --partial "${cases[$a]}"
		assert_line --index 1 --partial "usage: sockit"
	done
	run sockit connect ""
	assert_failure 2
	assert_line --index 0 --partial "empty"
}

@test "connect: -4 with an IPv6 literal is a usage error" {
	run sockit -4 connect '[::1]:80'
	assert_failure 2
	assert_output --partial "not an IPv4 address"
}

@test "connect -z port range reversed is a usage error" {
	run sockit connect -z 127.0.0.1:25-20
	assert_failure 2
	assert_output --partial "empty port range"
}

@test "connect: unknown host is gaierror, exit 3" {
	run sockit connect nonexistent.invalid:80 </dev/null
	assert_failure 3
	assert_output --regexp "^sockit: socket.gaierror: \[Errno -[0-9]+\]"
}

@test "connect: missing and extra arguments" {
	run sockit connect
	assert_failure 2
	assert_line --index 0 "sockit: connect: missing ADDRESS"
	run sockit connect a:1 b:2
	assert_failure 2
	run sockit connect --recv=-1 a:1
	assert_failure 2
	run sockit connect --send=12 127.0.0.1:1
	assert_failure 2
}

@test "connect: from a regular file the relay reads and writes; from a pipe it splices (issue 17 item 8, bench/copypath.sh)" {
	command -v strace >/dev/null || skip "no strace"
	[ -z "${SOCKIT_WRAP:-}" ] || skip "under $SOCKIT_WRAP"
	# LeakSanitizer cannot work under ptrace (make asan)
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	head -c 4000000 /dev/zero >"$TMP/data"
	server_bg "^\(" listen 127.0.0.1:0 </dev/null >/dev/null
	run strace -f -qq -e trace=splice -o "$TMP/file.st" "$SOCKIT" connect 127.0.0.1:$PORT <"$TMP/data"
	assert_success
	wait_is 0 "${PIDS[-1]}"
	run grep -c '^[0-9 ]*splice(0,' "$TMP/file.st"
	assert_output 0
	server_bg "^\(" listen 127.0.0.1:0 </dev/null >/dev/null
	run bash -c "cat '$TMP/data' | strace -f -qq -e trace=splice -o '$TMP/pipe.st' '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	wait_is 0 "${PIDS[-1]}"
	grep -q '^[0-9 ]*splice(0,' "$TMP/pipe.st"
}

@test "connect: bulk relay keeps every byte (splice and read/write)" {
	head -c 20000000 /dev/urandom >"$TMP/data"
	want=$(sha256sum <"$TMP/data" | cut -d' ' -f1)
	for flag in "" --no-splice; do
		# from a file into a pipe
		mkfifo "$TMP/p$flag"
		sha256sum <"$TMP/p$flag" >"$TMP/got" &
		PIDS+=($!)
		server_bg "^\(" listen $flag 127.0.0.1:0 </dev/null >"$TMP/p$flag"
		run sockit connect $flag 127.0.0.1:$PORT <"$TMP/data"
		assert_success
		wait "${PIDS[-1]}" "${PIDS[-2]}"
		assert_equal "$(cut -d' ' -f1 "$TMP/got")" "$want"
		# and from a pipe
		server_bg "^\(" listen $flag 127.0.0.1:0 </dev/null >"$TMP/out"
		cat "$TMP/data" | sockit connect $flag 127.0.0.1:$PORT
		wait "${PIDS[-1]}"
		assert_equal "$(sha256sum <"$TMP/out" | cut -d' ' -f1)" "$want"
	done
}

@test "connect: a producer stalling after the peer half-closed loses nothing" {
	# the listener's stdin is empty, so it half-closes at once; the
	# producer then pauses 1.5 s mid-stream (a disk, a busy machine)
	server_bg "^\(" listen 127.0.0.1:0 </dev/null >"$TMP/out"
	{ echo first; sleep 1.5; echo second; } | sockit connect 127.0.0.1:$PORT
	wait "${PIDS[-1]}"
	assert_equal "$(cat "$TMP/out")" "first
second"
}

@test "connect: unix-dgram and unix-seqpacket replies over 256 KiB arrive whole" {
	# they were cut at 256 KiB, silently, with status 0
	/usr/bin/python3 - "$TMP" >"$TMP/py.out" 2>&1 <<'PY' &
import os, socket, sys
d = sys.argv[1]
msg = bytes(range(256)) * 1200		# 307,200 bytes in one message
g = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
g.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
g.bind(d + '/d')
q = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
q.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
q.bind(d + '/q')
q.listen()
open(d + '/ready', 'w').close()
g.settimeout(20)
q.settimeout(20)
_, peer = g.recvfrom(100)
g.sendto(msg, peer)
c, _ = q.accept()
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
c.send(msg)
c.close()
PY
	PIDS+=($!)
	local i
	for i in $(seq 1 200); do [ -e "$TMP/ready" ] && break; sleep 0.05; done
	printf "?" | sockit -t 5 connect unix-dgram:$TMP/d >"$TMP/d.out"
	sockit -t 5 connect unix-seqpacket:$TMP/q </dev/null >"$TMP/q.out"
	/usr/bin/python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
want = bytes(range(256)) * 1200
for name in ('d', 'q'):
    got = open(d + '/' + name + '.out', 'rb').read()
    assert got == want, (name, len(got))
PY
}

@test "connect --exec: CMD's stdin and stdout are the connection, SOCKIT_* in its environment, its exit status (issue 17, Deliver)" {
	server_bg "^\(" listen -e 'read x; echo "server got $x"; cat >/dev/null' 127.0.0.1:0 </dev/null
	run sockit connect 127.0.0.1:$PORT --exec \
	    'echo "$SOCKIT_PROTO $SOCKIT_PEER_ADDR $SOCKIT_PEER_PORT $SOCKIT_LOCAL_ADDR"; read r; echo "$r" >&2; exit 7' </dev/null
	assert_failure 7
	assert_output "server got tcp 127.0.0.1 $PORT 127.0.0.1"
	# a UNIX peer: its path; peer data never reaches the shell
	server_bg "^'" listen -e 'echo "\$(reboot)"' "unix:$TMP/s" </dev/null
	run sockit connect "unix:$TMP/s" -e 'echo "$SOCKIT_PROTO $SOCKIT_PEER_ADDR" >&2; cat >&2'
	assert_success
	assert_output "$(printf 'unix %s\n$(reboot)' "$TMP/s")"
}

@test "connect -v --exec: notes the connection and its duration; SIGTERM reaches the command's group (143)" {
	server_bg "^\(" listen -k -e 'sleep 30' 127.0.0.1:0 </dev/null
	run sockit -v connect 127.0.0.1:$PORT -e true
	assert_success
	assert_line --index 0 --regexp "^sockit: connected to \('127.0.0.1', $PORT\)$"
	assert_line --index 1 --regexp "^sockit: closed \('127.0.0.1', $PORT\): [0-9.]+ s$"
	X="$TMP/x.pid" "$SOCKIT" connect 127.0.0.1:$PORT -e 'sleep 30 & echo $! >"$X"; wait' 2>/dev/null &
	local pid=$!
	for i in $(seq 1 200); do [ -s "$TMP/x.pid" ] && break; sleep 0.05; done
	kill -TERM "$pid"
	wait_is 143 "$pid"
	! running "$(cat "$TMP/x.pid")"
}

@test "connect --exec: with --send, --recv or -z a usage error" {
	local args
	for args in "--send b'x'" "--recv 1" "-z"; do
		run sockit connect -e cat $args 127.0.0.1:1
		assert_failure 2
		assert_line --index 1 --regexp "^usage: sockit .*connect"
	done
}

@test "connect -C sends each LF as CRLF, a CRLF as it is (issue 17, Deliver)" {
	start_listen 127.0.0.1:0
	run bash -c "printf 'a\nb\r\nc\n\n' | '$SOCKIT' connect -C 127.0.0.1:$PORT"
	assert_success
	wait "${PIDS[0]}"
	assert_equal "$(od -An -c "$TMP/l.out" | tr -s ' ')" " a \\r \\n b \\r \\n c \\r \\n \\r \\n"
	# without -C the bytes are the input's
	start_listen 127.0.0.1:0
	printf 'a\nb' | sockit connect 127.0.0.1:$PORT
	wait "${PIDS[-1]}"
	assert_equal "$(od -An -c "$TMP/l.out" | tr -s ' ')" " a \\n b"
}

@test "connect --hexdump[=FILE]: both directions as hexdump -C lines after '>' and '<' (issue 17, Deliver)" {
	printf 'GET / HTTP/1.0\r\nHost: example\r\n\x00\x01\xff\r\n' >"$TMP/req"
	server_bg "^\(" listen -e 'cat >/dev/null; printf "HTTP/1.0 200 OK\r\n"' 127.0.0.1:0 </dev/null
	run sockit connect --hexdump="$TMP/dump" 127.0.0.1:$PORT <"$TMP/req"
	assert_success
	assert_output "$(printf 'HTTP/1.0 200 OK\r')"
	diff <(sed -n 's/^> //p' "$TMP/dump") <(hexdump -C "$TMP/req" | sed '$d')
	diff <(sed -n 's/^< //p' "$TMP/dump") <(printf 'HTTP/1.0 200 OK\r\n' | hexdump -C | sed '$d')
	# no FILE: standard error; the data on stdout is untouched
	server_bg "^\(" listen -e 'printf hi' 127.0.0.1:0 </dev/null
	run --separate-stderr sockit connect --hexdump 127.0.0.1:$PORT </dev/null
	assert_output hi
	[ "$stderr" = "< 00000000  68 69                                             |hi|" ]
	run sockit connect --hexdump="$TMP/no/such" 127.0.0.1:$PORT </dev/null
	assert_failure 1
	assert_output --partial "FileNotFoundError: [Errno 2] No such file or directory: '$TMP/no/such'"
}

@test "connect and listen: -C and --hexdump without a relay are usage errors" {
	local args
	for args in "connect -C -e cat 127.0.0.1:1" "connect --hexdump -z 127.0.0.1:1" \
	    "listen -C --exec cat 127.0.0.1:0" "listen --hexdump=x --to 127.0.0.1:1 127.0.0.1:0"; do
		run sockit $args
		assert_failure 2
		assert_line --index 1 --regexp "^usage: sockit "
	done
}

# A server that reports whether the client half-closed: after reading
# what came, "EOF" when recv() gave b'' within 1.5 s, else "no EOF"; then it
# holds the connection for 10 s unless the client closes.
EOFPROBE_PY='
import socket, time
l = socket.create_server(("127.0.0.1", 0))
print(l.getsockname()[1], flush=True)
l.settimeout(20)
c, _ = l.accept()
c.settimeout(1.5)
got = b""
try:
    while True:
        b = c.recv(100)
        if not b:
            break
        got += b
    c.sendall(b"EOF after %r\n" % got)
except TimeoutError:
    c.sendall(b"no EOF after %r\n" % got)
c.settimeout(10)
try:
    while c.recv(100):
        pass
except OSError:
    pass
'

# eofprobe_bg: the server above in the background; UPORT.
eofprobe_bg() {
	"$PY" -c "$EOFPROBE_PY" >"$TMP/u.out" &
	PIDS+=($!)
	wait_for_line "$TMP/u.out" '^[0-9]+$' 10
	UPORT=$(head -n1 "$TMP/u.out")
}

@test "connect --no-shutdown never half-closes; --recv-only reads no input and does not half-close either (issue 17, Deliver)" {
	eofprobe_bg
	run timeout 10 "$SOCKIT" connect --eof-wait 3 127.0.0.1:$UPORT < <(printf in)
	assert_output "EOF after b'in'"
	eofprobe_bg
	run timeout 10 "$SOCKIT" connect --no-shutdown --eof-wait 3 127.0.0.1:$UPORT < <(printf in)
	assert_output "no EOF after b'in'"
	eofprobe_bg
	run timeout 10 "$SOCKIT" connect --recv-only --eof-wait 3 127.0.0.1:$UPORT < <(printf in)
	assert_output "no EOF after b''"
}

@test "connect --eof-wait SEC ends SEC after the input's end, --idle-timeout SEC after SEC of silence (issue 17, Deliver)" {
	server_bg "^\(" listen -k -e 'sleep 30' 127.0.0.1:0 </dev/null
	local t0=$SECONDS
	run timeout 10 "$SOCKIT" connect --eof-wait 0.2 127.0.0.1:$PORT </dev/null
	assert_success
	[ $((SECONDS - t0)) -le 3 ]
	# the input never ends, the peer says nothing: TimeoutError (exit 4)
	mkfifo "$TMP/f"; exec 7<>"$TMP/f"
	t0=$SECONDS
	run timeout 10 "$SOCKIT" connect --idle-timeout 0.3 127.0.0.1:$PORT <&7
	exec 7>&-
	assert_failure 4
	assert_output "sockit: TimeoutError: timed out"
	[ $((SECONDS - t0)) -le 3 ]
}

@test "connect --send-only sends the input, relays nothing back, and ends at the input's end (issue 17, Deliver)" {
	# the peer answers and holds the connection for 10 s more
	eofprobe_bg
	local t0=$SECONDS
	run timeout 10 "$SOCKIT" connect --send-only 127.0.0.1:$UPORT < <(printf hello)
	assert_success
	assert_output ""
	[ $((SECONDS - t0)) -le 3 ]
	run sockit connect --send-only --recv 1 127.0.0.1:1
	assert_failure 2
	run sockit connect --recv-only --send-only 127.0.0.1:1
	assert_failure 2
}

@test "connect --connect-timeout SEC bounds the connect alone (issue 17, Deliver)" {
	full_backlog_bg
	local t0=$SECONDS
	run timeout 10 "$SOCKIT" connect --connect-timeout 0.5 127.0.0.1:$BPORT </dev/null
	assert_failure 4
	assert_output "sockit: TimeoutError: timed out"
	[ $((SECONDS - t0)) -le 3 ]
	run sockit connect --connect-timeout 0 127.0.0.1:1
	assert_failure 2
}
