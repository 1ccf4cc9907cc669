#!/usr/bin/env bats
# Socket-object methods and addresses in eval against CPython (behaviours
# from CPython's Lib/test/test_socket.py), plus checks the oracle cannot do.
load helpers

# fresh: sockit with no inherited descriptors above 2 (bats keeps some
# open), so fd numbers start at 3 as in a fresh shell.
fresh() {
	sockit "$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
}

setup() {
	cd "$BATS_TEST_DIRNAME/.."
}

@test "eval cases of eval.txt agree with CPython" {
	run_oracle tests/data/oracle/eval.txt
}

@test "basic methods, argument errors, timeouts, options" {
	run_oracle tests/data/oracle/methods-basic.txt
}

@test "send/recv, recv_into, sendto/recvfrom, sendmsg/recvmsg" {
	run_oracle tests/data/oracle/methods-data.txt
}

@test "connections, accept, dup, makefile, sendfile" {
	run_oracle tests/data/oracle/methods-conn.txt
}

@test "addresses of AF_INET, AF_INET6, AF_UNIX, AF_NETLINK" {
	run_oracle tests/data/oracle/sockets-addr.txt
}

@test "AF_PACKET addresses (root only)" {
	[ "$(id -u)" = 0 ] || skip "needs CAP_NET_RAW"
	run_oracle tests/data/oracle/sockets-packet.txt
}

@test "sendall's timeout bounds the whole call" {
	start=$(date +%s%N)
	run sockit eval "a, b = socketpair(); a.settimeout(0.3); a.sendall(b'x' * 50000000)"
	end=$(date +%s%N)
	assert_failure 4
	assert_output "sockit: TimeoutError: timed out"
	# under valgrind (SOCKIT_WRAP): its start and 50 MB through memcheck
	[ $(( (end - start) / 1000000 )) -lt $([ -z "${SOCKIT_WRAP:-}" ] && echo 3000 || echo 15000) ]
}

@test "recv with a timeout waits about that long" {
	start=$(date +%s%N)
	run sockit eval "a, b = socketpair(); b.settimeout(0.2); b.recv(1)"
	end=$(date +%s%N)
	assert_failure 4
	ms=$(( (end - start) / 1000000 ))
	[ "$ms" -ge 190 ] && [ "$ms" -lt 3000 ]
}

@test "EPIPE is BrokenPipeError, not a SIGPIPE death" {
	run sockit eval "a, b = socketpair(); b.close(); a.send(b'x')"
	assert_failure 1
	assert_output "sockit: BrokenPipeError: [Errno 32] Broken pipe"
}

@test "-t sets the default timeout of new sockets" {
	run sockit -t 0.1 eval "s = socket(); s.gettimeout(); s.getblocking(); a, b = socketpair(); b.recv(1)"
	assert_failure 4
	assert_line --index 0 "0.1"
	assert_line --index 1 "True"
}

@test "sockets are not inheritable: a child does not get the descriptor" {
	run fresh eval "s = socket(); s.fileno(); s.get_inheritable()"
	assert_success
	assert_output "$(printf '3\nFalse')"
}

@test "the peer of an accepted connection is its address (SH_ACCEPT json)" {
	run sockit -j eval "srv = create_server(('127.0.0.1', 0)); c = create_connection(srv.getsockname()); conn, addr = srv.accept(); addr == c.getsockname()"
	assert_success
	assert_output "true"
}
