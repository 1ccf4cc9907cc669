#!/usr/bin/env bats
# 84: descriptor hygiene (issue 8): what sockit executes, listen --exec's
# command and fds-pass recv's CMD, holds the descriptors it is meant to
# and no other: every descriptor sockit makes (listening and accepted
# sockets, the SIGCHLD pipe, stderr's copy, the received ones) is
# close-on-exec.  Each command lists /proc/$$/fd of the program sockit
# executed (a shell that forks ls, so that ls's own directory is not counted).
load helpers

LSFD='ls /proc/$$/fd; echo "vg:${VG_WRAP_FD-}"'

setup() {
	setup_bg
	D=$TMP
}

teardown() { teardown_bg; }

# bare_sockit ARGS...: execs sockit with no descriptor of the test's but 0,
# 1 and 2 (bats keeps 3, 4, 10, 251 ... open and they would reach the
# command).  Only in a subshell of its own (`run` or `&`), which it
# replaces: then $! is sockit's pid, and teardown's kill reaches it.
bare_sockit() {
	local fd
	[ "$BASHPID" != "$$" ] || { echo "bare_sockit: not in a subshell" >&2; return 1; }
	for fd in $(ls "/proc/$BASHPID/fd"); do
		[ "$fd" -le 2 ] || eval "exec $fd>&-"	# closing a closed one is no error
	done
	exec $SOCKIT_WRAP "$SOCKIT" "$@"
}

# fdset: the descriptor numbers of an LSFD listing on stdin, sorted, on one
# line; tests/vg-wrap's log descriptor (999: valgrind leaves it to the
# program) aside, which the listing names as vg:N.
fdset() {
	tr -s ' \n' '\n\n' | awk '/^vg:/ { vg = substr($0, 4); next } NF { fd[n++] = $0 }
	    END { for (i = 0; i < n; i++) if (fd[i] != vg) print fd[i] }' | sort -n | xargs
}

# bg_server NAME ARGS...: bare_sockit ARGS in the background, stderr in
# $D/NAME.err; waits for its first line (the bound address).
bg_server() {
	local name=$1
	shift
	bare_sockit "$@" >"$D/$name.out" 2>"$D/$name.err" </dev/null &
	PIDS+=($!)
	wait_for_line "$D/$name.err" "." 20
}

@test "listen --exec: the command has the connection at 0 and 1, stderr, nothing else" {
	bg_server l listen -k --exec "read x; $LSFD" 127.0.0.1:0
	port=$(bound_port "$D/l.err")
	# two connections at once: the second child must not hold the first's
	run "$PY" -c '
import socket, sys
a = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
for s in (b, a):
    s.sendall(b"go\n"); s.shutdown(socket.SHUT_WR)
    print(s.makefile().read().replace("\n", " "))' "$port"
	assert_success
	sed -n 1p <<<"$output" | fdset >"$D/set1"
	assert_equal "$(cat "$D/set1")" "0 1 2"
	sed -n 2p <<<"$output" | fdset >"$D/set2"
	assert_equal "$(cat "$D/set2")" "0 1 2"
}

@test "listen --exec over a UNIX socket: nothing but 0, 1, 2" {
	bg_server l listen --exec "$LSFD" "unix:$D/l"
	run "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
print(s.makefile().read())' "$D/l"
	assert_success
	run fdset <<<"$output"
	assert_output "0 1 2"
}

@test "fds-pass recv --listen -- CMD: the received descriptors at 0, 1, and stderr" {
	bg_server r fds-pass recv --listen "unix:$D/s" -- sh -c "$LSFD"
	sockit fds-pass send "unix:$D/s" 0 1 </dev/null >"$D/list"
	wait "${PIDS[0]}"
	run fdset <"$D/list"
	assert_output "0 1 2"
}

@test "fds-pass recv --at 5 -- CMD: stdio, 5 and 6" {
	bg_server r fds-pass recv --listen --at 5 "unix:$D/s" -- sh -c "exec >&6; $LSFD"
	sockit fds-pass send "unix:$D/s" 0 1 </dev/null >"$D/list"
	wait "${PIDS[0]}"
	run fdset <"$D/list"
	assert_output "0 1 2 5 6"
}

@test "fds-pass recv --listen-fds -- CMD: stdio, 3 and 4" {
	bg_server r fds-pass recv --listen --listen-fds "unix:$D/s" -- sh -c "exec >&4; $LSFD"
	sockit fds-pass send "unix:$D/s" 0 1 </dev/null >"$D/list"
	wait "${PIDS[0]}"
	run fdset <"$D/list"
	assert_output "0 1 2 3 4"
}

@test "fds-pass recv from send --listen and from serve: stdio and 3" {
	# the listing goes to descriptor 3: the sender's stdout
	bg_server s fds-pass send --listen "unix:$D/t" 1
	run bare_sockit fds-pass recv --at 3 "unix:$D/t" -- sh -c "exec >&3; $LSFD"
	assert_success
	run fdset <"$D/s.out"
	assert_output "0 1 2 3"

	bg_server h fds-pass serve --count 1 "unix:$D/h" 1
	run bare_sockit fds-pass recv --at 3 "unix:$D/h" -- sh -c "exec >&3; $LSFD"
	assert_success
	run fdset <"$D/h.out"
	assert_output "0 1 2 3"
}
