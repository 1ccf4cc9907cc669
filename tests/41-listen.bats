#!/usr/bin/env bats
# 41: listen - create_server, the bound address line, relay, -k, --exec, UDP.
load helpers

setup() { setup_bg; }
teardown() { teardown_bg; }

# bg_listen ARGS...: sockit listen in the background, stdout to l.out; PORT.
bg_listen() {
	server_bg "^(\(|'|\{|[0-9])" listen "$@" >"$TMP/l.out" </dev/null
}

@test "listen prints the bound address on stderr before accepting" {
	bg_listen 127.0.0.1:0
	run cat "$TMP/l.err"
	assert_output --regexp "^\('127\.0\.0\.1', [0-9]+\)$"
	[ "$PORT" -gt 0 ]
}

@test "listen: a service name binds its port; an unknown one or -1 fails as connect does (issue 13 D8)" {
	local want
	want=$(getent services finger/tcp | awk '{ print $2 }')
	[ "$want" = 79/tcp ] || skip "no finger/tcp in /etc/services"
	bg_listen 127.0.0.1:finger
	run cat "$TMP/l.err"
	assert_output "('127.0.0.1', 79)"
	for p in nosuchservice -1; do
		run --separate-stderr timeout 5 "$SOCKIT" listen "127.0.0.1:$p" </dev/null
		assert_failure 3
		[ "$stderr" = "sockit: socket.gaierror: [Errno -8] Servname not supported for ai_socktype" ]
		run --separate-stderr timeout 5 "$SOCKIT" listen "udp:[::1]:$p" </dev/null
		assert_failure 3
		[ "$stderr" = "sockit: socket.gaierror: [Errno -8] Servname not supported for ai_socktype" ]
	done
}

@test "listen -q: no bound-address line on stderr (issue 17 item 10)" {
	"$SOCKIT" -q listen unix:$TMP/q.sock </dev/null >"$TMP/q.out" 2>"$TMP/q.err" &
	PIDS+=($!)
	local i
	for i in $(seq 1 250); do [ -S "$TMP/q.sock" ] && break; sleep 0.02; done
	run sockit -t 5 connect --send "'quiet'" unix:$TMP/q.sock
	assert_success
	wait_is 0 "${PIDS[-1]}"
	assert_equal "$(cat "$TMP/q.out")" quiet
	assert_equal "$(cat "$TMP/q.err")" ""
}

@test "listen: the bound address in JSON and raw" {
	$SOCKIT_WRAP "$SOCKIT" -j listen 127.0.0.1:0 2>"$TMP/j.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/j.err" '^\{"host": "127.0.0.1", "port": [0-9]+\}$' 10
	$SOCKIT_WRAP "$SOCKIT" -r listen 127.0.0.1:0 2>"$TMP/r.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/r.err" $'^127.0.0.1\t[0-9]+$' 10
}

@test "listen relays one connection both ways, then exits" {
	server_bg "^\(" listen 127.0.0.1:0 >"$TMP/l.out" < <(echo from-listener)
	run bash -c "echo from-client | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output "from-listener"
	wait "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" "from-client"
}

@test "listen without -k closes its listening socket once it has a connection: a second client is refused (issue 17 item 9)" {
	local args
	for args in "" "--exec cat"; do
		server_bg "^\(" listen $args 127.0.0.1:0 >"$TMP/l.out" < <(sleep 10)
		run /usr/bin/python3 - "$PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
first = socket.create_connection(("127.0.0.1", port), timeout=5)
first.sendall(b"x")	# once the server echoes or holds it, it has accepted
try:
	first.settimeout(0.5)
	first.recv(1)
except OSError:
	pass
try:
	socket.create_connection(("127.0.0.1", port), timeout=5)
	print("second client connected")
except ConnectionRefusedError:
	print("refused")
PY
		assert_output refused
		kill "${PIDS[-1]}" 2>/dev/null || true
	done
}

@test "listen -k accepts one connection after another; --max-conns stops" {
	bg_listen --max-conns 3 127.0.0.1:0
	for i in 1 2 3; do
		echo "msg$i" | sockit connect 127.0.0.1:$PORT
	done
	wait "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" "$(printf 'msg1\nmsg2\nmsg3')"
}

@test "listen -k: stdin goes on to the next connection once one ends, until its EOF (issue 17 item 1)" {
	mkfifo "$TMP/in"
	exec 7<>"$TMP/in"	# a writer that never blocks the open
	server_bg "^\(" listen -k 127.0.0.1:0 >"$TMP/l.out" <"$TMP/in" 7>&-
	exec 7>&-
	run /usr/bin/python3 - "$PORT" "$TMP/in" "$TMP/l.out" <<'PY'
import os, socket, sys, time
port, fifo, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
w = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)

def client(tag, line):
	c = socket.create_connection(("127.0.0.1", port), timeout=10)
	c.sendall(tag)	# on the listener's stdout once it serves c
	for _ in range(500):
		if tag in open(out, "rb").read():
			break
		time.sleep(0.02)
	if line:
		os.write(w, line)
	got = c.recv(100)
	c.close()
	return got

print(client(b"c1\n", b"one\n"))
print(client(b"c2\n", b"two\n"))
os.close(w)	# stdin's EOF: a later client is half-closed at once
print(client(b"c3\n", None))
PY
	assert_line --index 0 "b'one\\n'"
	assert_line --index 1 "b'two\\n'"
	assert_line --index 2 "b''"
}

@test "listen --exec runs the command per connection with SOCKIT_* env" {
	bg_listen -k --exec 'echo "$SOCKIT_PROTO $SOCKIT_PEER_ADDR $SOCKIT_LOCAL_ADDR $SOCKIT_LOCAL_PORT"; tr a-z A-Z' 127.0.0.1:0
	run bash -c "echo shout | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_line --index 0 "tcp 127.0.0.1 127.0.0.1 $PORT"
	assert_line --index 1 "SHOUT"
}

@test "listen -v --exec: a line per connection, and its duration when the command is done (issue 17 item 10)" {
	server_bg "^\(" -v listen --max-conns 1 --exec cat 127.0.0.1:0 </dev/null >/dev/null
	run bash -c "echo hi | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_output hi
	wait_is 0 "${PIDS[-1]}"
	run cat "$TMP/l.err"
	assert_line --index 1 --regexp "^sockit: connection from \('127\.0\.0\.1', [0-9]+\)$"
	assert_line --index 2 --regexp "^sockit: closed \('127\.0\.0\.1', [0-9]+\): [0-9]+\.[0-9]{3} s$"
}

@test "listen --exec serves connections concurrently" {
	bg_listen -k --exec 'read x; echo "got $x"' 127.0.0.1:0
	mkfifo "$TMP/hold"
	# the first client stays connected while the second is served
	$SOCKIT_WRAP "$SOCKIT" connect 127.0.0.1:$PORT <"$TMP/hold" >"$TMP/first" &
	PIDS+=($!)
	exec 7>"$TMP/hold"
	run timeout 10 bash -c "echo two | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output "got two"
	echo one >&7
	exec 7>&-
	wait "${PIDS[-1]}"
	assert_equal "$(cat "$TMP/first")" "got one"
}

@test "listen --exec: peer data never reaches the shell" {
	bg_listen --exec 'read x; printf "%s\n" "$x"' 127.0.0.1:0
	run bash -c "echo '\$(touch $TMP/pwned)' | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output "\$(touch $TMP/pwned)"
	[ ! -e "$TMP/pwned" ]
}

@test "listen --exec: exit status of the command (single connection)" {
	bg_listen --exec 'exit 7' 127.0.0.1:0
	sockit connect 127.0.0.1:$PORT </dev/null
	st=0; wait "${PIDS[0]}" || st=$?
	assert_equal "$st" 7
}

@test "listen: UDP prints each datagram as its recvfrom value" {
	bg_listen --max-conns 2 udp:127.0.0.1:0
	printf 'one' | sockit -t 0.2 connect udp:127.0.0.1:$PORT
	printf 'two\x00' | sockit -t 0.2 connect udp:127.0.0.1:$PORT
	wait "${PIDS[0]}"
	run cat "$TMP/l.out"
	assert_line --index 0 --regexp "^\(b'one', \('127\.0\.0\.1', [0-9]+\)\)$"
	assert_line --index 1 --regexp "^\(b'two\\\\x00', \('127\.0\.0\.1', [0-9]+\)\)$"
}

@test "listen: UDP with -j prints JSON Lines" {
	$SOCKIT_WRAP "$SOCKIT" -j listen --max-conns 1 udp:127.0.0.1:0 >"$TMP/l.out" 2>"$TMP/l.err" &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" '"port"' 10
	PORT=$(grep -Eo '"port": [0-9]+' "$TMP/l.err" | grep -Eo '[0-9]+')
	printf 'hi' | sockit -t 0.2 connect udp:127.0.0.1:$PORT
	wait "${PIDS[0]}"
	run cat "$TMP/l.out"
	assert_output --regexp '^\{"data": "6869", "address": \{"host": "127.0.0.1", "port": [0-9]+\}\}$'
}

@test "listen: UNIX socket file is 0600 by default, --mode sets it, removed at exit" {
	bg_listen unix:$TMP/a.sock
	run stat -c %a "$TMP/a.sock"
	assert_output "600"
	assert_equal "$(cat "$TMP/l.err")" "'$TMP/a.sock'"
	echo x | sockit connect unix:$TMP/a.sock
	wait "${PIDS[0]}"
	[ ! -e "$TMP/a.sock" ]
	bg_listen --mode 0660 unix:$TMP/b.sock
	run stat -c %a "$TMP/b.sock"
	assert_output "660"
}

@test "listen --unlink replaces a stale socket file; without it: EADDRINUSE" {
	/usr/bin/python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.bind('$TMP/s.sock')"
	run sockit listen unix:$TMP/s.sock
	assert_failure 1
	assert_output "sockit: OSError: [Errno 98] Address already in use (while attempting to bind on address '$TMP/s.sock')"
	bg_listen --unlink unix:$TMP/s.sock
	assert_equal "$(cat "$TMP/l.err")" "'$TMP/s.sock'"
}

@test "listen --unlink never removes a live server's socket file: EADDRINUSE, and that server still serves (issue 17 item 10)" {
	local t
	for t in unix unix-dgram; do
		bg_listen -k $t:$TMP/live.sock
		run --separate-stderr timeout 5 "$SOCKIT" listen --unlink $t:$TMP/live.sock </dev/null
		assert_failure 1
		[ "$stderr" = "sockit: OSError: [Errno 98] Address already in use (while attempting to bind on address '$TMP/live.sock')" ]
		run sockit -t 5 connect --send "'to the live one'" $t:$TMP/live.sock
		assert_success
		kill "${PIDS[-1]}"
		wait_is 143 "${PIDS[-1]}"
		grep -q "to the live one" "$TMP/l.out"
	done
}

@test "listen: address in use names the address like create_server" {
	bg_listen 127.0.0.1:0
	run sockit listen 127.0.0.1:$PORT
	assert_failure 1
	assert_output "sockit: OSError: [Errno 98] Address already in use (while attempting to bind on address ('127.0.0.1', $PORT))"
}

@test "listen --reuse-port lets two listeners share a port" {
	bg_listen --reuse-port 127.0.0.1:0
	$SOCKIT_WRAP "$SOCKIT" listen --reuse-port 127.0.0.1:$PORT 2>"$TMP/l2.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/l2.err" "$PORT" 10
}

@test "listen --dualstack accepts IPv4 on an IPv6 socket" {
	$SOCKIT_WRAP "$SOCKIT" listen --dualstack :0 >"$TMP/l.out" 2>"$TMP/l.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" "^\('::'" 10 || skip "no IPv6"
	PORT=$(grep -Eo "'::', [0-9]+" "$TMP/l.err" | grep -Eo "[0-9]+$")
	echo v4 | sockit connect 127.0.0.1:$PORT
	wait "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" "v4"
}

@test "listen --dualstack with an IPv4 address is ValueError (exit 2)" {
	run sockit listen --dualstack 127.0.0.1:0
	assert_failure 2
	assert_output "sockit: ValueError: dualstack_ipv6 requires AF_INET6 family"
}

@test "listen --backlog and -o are accepted" {
	bg_listen --backlog 5 -o SO_RCVBUF=65536 127.0.0.1:0
	echo b | sockit connect 127.0.0.1:$PORT
	wait "${PIDS[0]}"
	assert_equal "$(cat "$TMP/l.out")" "b"
}

@test "listen -t: accept times out with TimeoutError, exit 4" {
	run sockit -t 0.2 listen 127.0.0.1:0
	assert_failure 4
	assert_line --index 1 "sockit: TimeoutError: timed out"
}

@test "listen: SIGTERM ends it with 143 and removes the socket file" {
	bg_listen unix:$TMP/t.sock
	kill -TERM "${PIDS[0]}"
	st=0; wait "${PIDS[0]}" || st=$?
	assert_equal "$st" 143
	[ ! -e "$TMP/t.sock" ]
}

# idle_client: a client of 127.0.0.1:$PORT in the background that says
# "connected" in $TMP/c.out, sends nothing, and writes what it receives
# there until EOF (at most 20 s).
idle_client() {
	: >"$TMP/c.out"
	/usr/bin/python3 - "$PORT" >"$TMP/c.out" <<'PY' &
import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
print("connected", flush=True)
for data in iter(lambda: c.recv(100), b""):
	sys.stdout.buffer.write(data)
	sys.stdout.flush()
PY
	PIDS+=($!)
	wait_for_line "$TMP/c.out" "^connected" 10
}

@test "listen --exec: SIGTERM/SIGINT end it (143/130) while a command runs, after a grace period, its process group signalled (issue 17 item 2)" {
	local k sig want
	for k in -k ""; do
		for sig in TERM INT; do
			want=143; [ "$sig" = INT ] && want=130
			rm -f "$TMP/cmd.pid"
			server_bg "^\(" listen $k \
			    --exec 'echo $$ >'"$TMP/cmd.pid"'; exec cat' \
			    127.0.0.1:0 </dev/null >/dev/null
			idle_client
			local i
			for i in $(seq 1 250); do [ -s "$TMP/cmd.pid" ] && break; sleep 0.02; done
			kill "-$sig" "${PIDS[-2]}"
			wait_is "$want" "${PIDS[-2]}"
			run ! running "$(cat "$TMP/cmd.pid")"
			wait_is 0 "${PIDS[-1]}"	# the client saw EOF
		done
	done
}

@test "listen --exec: after a stop signal a command still ends on its own within the grace period; one that ignores SIGTERM is killed (issue 17 item 2)" {
	server_bg "^\(" listen -k --exec 'sleep 0.3; echo late' 127.0.0.1:0 \
	    </dev/null >/dev/null
	idle_client
	kill -TERM "${PIDS[-2]}"
	wait_is 143 "${PIDS[-2]}"
	wait_is 0 "${PIDS[-1]}"
	assert_equal "$(sed -n 2p "$TMP/c.out")" late
	server_bg "^\(" listen -k --exec \
	    'trap "" TERM; echo $$ >'"$TMP/cmd.pid"'; for i in $(seq 1 100); do sleep 0.1; done' \
	    127.0.0.1:0 </dev/null >/dev/null
	idle_client
	local i
	for i in $(seq 1 250); do [ -s "$TMP/cmd.pid" ] && break; sleep 0.02; done
	kill -TERM "${PIDS[-2]}"
	wait_is 143 "${PIDS[-2]}"
	run ! running "$(cat "$TMP/cmd.pid")"
	# the whole group: no sleep of that shell is left either (zombies
	# not reaped yet aside)
	run ! bash -c "ps -o stat= -g $(cat "$TMP/cmd.pid") | grep -qv '^Z'"
}

@test "listen: bad input is a usage error (exit 2)" {
	for args in "" "a:1 b:2" "127.0.0.1:70000" "--backlog=-1 127.0.0.1:0" "--max-conns=0 127.0.0.1:0" \
	    "--mode=999 unix:/tmp/x" "--exec=true udp:127.0.0.1:0" "bogus:a:1" "unix:"; do
		run sockit listen $args
		assert_failure 2
		assert_line --index 1 --partial "usage: sockit"
	done
}

@test "listen: a privileged port as non-root fails with PermissionError" {
	[ "$(id -u)" != 0 ] || command -v setpriv >/dev/null || skip "needs setpriv"
	run setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$SOCKIT" listen 127.0.0.1:1
	[ "$(sysctl -n net.ipv4.ip_unprivileged_port_start 2>/dev/null || echo 1024)" -le 1 ] && skip "ports are unprivileged here"
	assert_failure 1
	assert_output --partial "PermissionError: [Errno 13] Permission denied (while attempting to bind on address ('127.0.0.1', 1))"
}

@test "listen: at exit the socket file is removed only if still ours; SIGHUP cleans up too (129)" {
	! sighup_ignored || skip "the suite runs with SIGHUP ignored (nohup)"
	bg_listen unix:$TMP/s.sock
	local first=${PIDS[0]}
	# a successor replaces the socket file with its own
	rm "$TMP/s.sock"
	bg_listen -k unix:$TMP/s.sock
	local second=${PIDS[1]}
	kill -TERM "$first"
	wait_is 143 "$first"
	[ -S "$TMP/s.sock" ]	# the successor's: left alone
	run sockit -t 5 connect --send "'still here'" unix:$TMP/s.sock
	assert_success
	kill -HUP "$second"
	wait_is 129 "$second"
	[ ! -e "$TMP/s.sock" ]
	grep -q "still here" "$TMP/l.out"
}

@test "listen: an ignored SIGHUP (nohup) stays ignored" {
	( trap '' HUP; exec "$SOCKIT" listen unix:$TMP/n.sock </dev/null >/dev/null 2>"$TMP/n.err" ) &
	PIDS+=($!)
	wait_for_line "$TMP/n.err" "n.sock" 10
	kill -HUP "${PIDS[0]}"
	sleep 0.3
	kill -0 "${PIDS[0]}"
	[ -S "$TMP/n.sock" ]
}

@test "listen: unix-dgram and unix-seqpacket messages over 256 KiB arrive whole" {
	# they were cut at 256 KiB, silently, with status 0
	$SOCKIT_WRAP "$SOCKIT" -j listen --max-conns 1 unix-dgram:$TMP/d >"$TMP/d.out" 2>"$TMP/d.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/d.err" "/d" 10
	$SOCKIT_WRAP "$SOCKIT" listen unix-seqpacket:$TMP/q >"$TMP/q.out" 2>"$TMP/q.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/q.err" "/q" 10
	/usr/bin/python3 - "$TMP" <<'PY'
import socket, sys
d = sys.argv[1]
for kind, name in ((socket.SOCK_DGRAM, 'd'), (socket.SOCK_SEQPACKET, 'q')):
    s = socket.socket(socket.AF_UNIX, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    s.connect(d + '/' + name)
    s.send(bytes(range(256)) * 1200)	# 307,200 bytes in one message
    s.close()
PY
	wait_is 0 "${PIDS[0]}"
	wait_is 0 "${PIDS[1]}"
	/usr/bin/python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
want = bytes(range(256)) * 1200
got = bytes.fromhex(json.load(open(d + '/d.out'))['data'])
assert got == want, ('dgram', len(got))
got = open(d + '/q.out', 'rb').read()
assert got == want, ('seqpacket', len(got))
PY
}

# clients PATH N: N clients of the UNIX socket PATH at once, each expecting
# "hi" before EOF; prints how many got it (in 30 s at most).
clients() {
	timeout 40 /usr/bin/python3 - "$1" "$2" <<'PY'
import socket, sys, threading
path, n = sys.argv[1], int(sys.argv[2])
got = []
def one():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    try:
        s.connect(path)
        data = b''.join(iter(lambda: s.recv(100), b''))	# up to EOF
        if data == b'hi\n':
            got.append(1)
    except OSError as e:
        print(e, file=sys.stderr)
ts = [threading.Thread(target=one) for _ in range(n)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(got))
PY
}

@test "listen -k --exec: accept failing with EMFILE backs off and serves again instead of ending" {
	[ -z "${SOCKIT_WRAP:-}" ] || skip "valgrind needs descriptors of its own"
	# 0-2, the listener and the SIGCHLD pipe leave room for 2 connections
	/usr/bin/python3 -c 'import os, resource, sys
os.closerange(3, 1 << 16)
resource.setrlimit(resource.RLIMIT_NOFILE, (8, 8))
os.execv(sys.argv[1], sys.argv[1:])' "$SOCKIT" listen -k --exec 'sleep 0.3; echo hi' unix:$TMP/x.sock \
	    </dev/null >/dev/null 2>"$TMP/x.err" &
	PIDS+=($!)
	wait_for_line "$TMP/x.err" "x.sock" 10
	run clients "$TMP/x.sock" 6
	assert_output 6
	kill -0 "${PIDS[0]}"
	grep -q "accept: Too many open files" "$TMP/x.err"
	kill -TERM "${PIDS[0]}"
	wait_is 143 "${PIDS[0]}"
}

@test "listen -k --exec --max-children N: at most N commands at once, the rest wait" {
	mkdir "$TMP/run"
	bg_listen -k --max-children 2 --exec "touch $TMP/run/\$\$; ls $TMP/run | wc -l >>$TMP/conc; sleep 0.3; rm $TMP/run/\$\$; echo hi" unix:$TMP/m.sock
	run clients "$TMP/m.sock" 6
	assert_output 6
	[ "$(sort -n "$TMP/conc" | tail -n1)" = 2 ]
	[ "$(wc -l <"$TMP/conc")" = 6 ]
	for v in 0 x -1; do
		run sockit listen -k --exec true --max-children=$v unix:$TMP/bad.sock
		assert_failure 2
	done
}

@test "listen --exec: SOCKIT_PEER_ADDR of an abstract peer is the whole name, control bytes escaped (issue 13 D18-D23)" {
	bg_listen --exec 'printf "%s|%s" "$SOCKIT_PEER_ADDR" "$SOCKIT_LOCAL_ADDR"' "unix:$TMP/l"
	run "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(b"\0ab\0c\nd\\e\x7f")
s.connect(sys.argv[1])
sys.stdout.write(s.makefile().read())' "$TMP/l"
	assert_success
	assert_output "@ab\\x00c\\x0ad\\\\e\\x7f|$TMP/l"
}

@test "task addresses take 107-byte abstract names, as bind() does (issue 13 D18-D23)" {
	local name
	name=$(printf 'a%.0s' $(seq 107))
	$SOCKIT_WRAP "$SOCKIT" listen "unix:@$name" >"$TMP/l.out" 2>"$TMP/l.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" "^b'" 10
	run cat "$TMP/l.err"
	assert_output "b'\\x00$name'"
	run sh -c 'echo hi | "$0" connect "@$1"' "$SOCKIT" "$name"
	assert_success
	run --separate-stderr sockit connect "@${name}b" </dev/null
	assert_failure 2
	[ "${stderr_lines[0]}" = "sockit: connect: bad address '@${name}b': abstract name too long for a UNIX socket (107 bytes at most)" ]
}

@test "listen -C --hexdump=FILE: its relay converts and dumps as connect's does (issue 17, Deliver)" {
	server_bg "^\(" listen -C --hexdump="$TMP/dump" 127.0.0.1:0 >"$TMP/l.out" < <(printf 'a\n')
	run bash -c "printf x | '$SOCKIT' connect 127.0.0.1:$PORT"
	assert_success
	assert_output "$(printf 'a\r')"
	wait_is 0 "${PIDS[-1]}"
	run cat "$TMP/dump"
	assert_line "> 00000000  61 0d 0a                                          |a..|"
	assert_line "< 00000000  78                                                |x|"
}
