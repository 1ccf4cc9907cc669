#!/usr/bin/env bats
# 04: the traffic guard (issue 13, "Also").  The suite runs in
# tests/sandbox.sh's namespaces (run-suite.sh, make asan, make valgrind):
# its own network namespace holding only lo, its own UTS namespace, a
# private resolv.conf, hosts and nsswitch.conf and a local DNS server.
# These tests fail when the suite runs anywhere else (plain `bats tests/`),
# and they check the namespace BEFORE sending anything, so that failing
# here never sends a packet out.  Run a single file sandboxed with
# `tests/sandbox.sh bats tests/NN-x.bats`.
load helpers

# in_sandbox: the namespaces are not those sandbox.sh was started from, and
# the network one holds lo and nothing else.
in_sandbox() {
	[ "${SOCKIT_SANDBOX:-}" = 1 ] || { echo "not run through tests/sandbox.sh"; return 1; }
	[ -n "${SOCKIT_OUTER_NET:-}" ] && [ -n "${SOCKIT_OUTER_UTS:-}" ] || { echo "no outer namespaces recorded"; return 1; }
	[ "$(readlink /proc/self/ns/net)" != "$SOCKIT_OUTER_NET" ] || { echo "the machine's network namespace"; return 1; }
	[ "$(readlink /proc/self/ns/uts)" != "$SOCKIT_OUTER_UTS" ] || { echo "the machine's UTS namespace"; return 1; }
	local links
	links=$(ip -o link show | awk -F': ' '{ print $2 }' | xargs)
	[ "$links" = lo ] || { echo "interfaces besides lo: $links"; return 1; }
}

@test "sandbox: network and UTS namespaces of the suite's own, only lo in it" {
	in_sandbox
	# lo is up and holds the loopback addresses
	ip -o link show lo | grep -q 'state UNKNOWN\|,UP'
	ip -o addr show lo | grep -q 'inet 127\.0\.0\.1/8'
	# no route anywhere but lo
	run ip route show table all
	refute_output --regexp '(^| )dev [^l]|default'
	run hostname
	assert_output sockit-sandbox
}

@test "sandbox: a connect outside 127.0.0.0/8 and ::1 fails with ENETUNREACH" {
	in_sandbox
	run --separate-stderr sockit connect 192.0.2.1:9 </dev/null
	assert_failure 1
	[ "$stderr" = "sockit: OSError: [Errno 101] Network is unreachable" ]
	run --separate-stderr sockit connect '[2001:db8::1]:9' </dev/null
	assert_failure 1
	[ "$stderr" = "sockit: OSError: [Errno 101] Network is unreachable" ]
	# a datagram too (sendto, not only connect)
	run --separate-stderr "$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.sendto(b"x", ("192.0.2.1", 9))
except OSError as e:
    print(e.errno)'
	assert_output 101
	# and loopback still works
	run sockit -r eval 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); print("ok")'
	assert_output ok
}

@test "sandbox: lookups stay inside (private resolv.conf, hosts, nsswitch; local NXDOMAIN)" {
	in_sandbox
	[ "$(grep -v '^#' /etc/resolv.conf | awk '$1 == "nameserver" { print $2 }' | xargs)" = 127.0.0.1 ]
	grep -qx 'hosts: files dns' /etc/nsswitch.conf
	grep -q '^127\.0\.0\.1[[:space:]]*localhost$' /etc/hosts
	# the nameserver is the sandbox's own: a query is answered, NXDOMAIN, at once
	local t0=$SECONDS
	run --separate-stderr sockit getaddrinfo no-such-name.invalid 80
	assert_failure 3
	[ "$stderr" = "sockit: socket.gaierror: [Errno -2] Name or service not known" ]
	[ $((SECONDS - t0)) -le 2 ]
}

@test "sandbox: sethostname reaches only the suite's UTS namespace" {
	in_sandbox
	# a child UTS namespace of the sandbox's, so the suite's name stays too
	run unshare -u sh -c '"$1" sethostname sockit-uts-x && "$1" -r gethostname' sh "$SOCKIT"
	assert_success
	assert_output sockit-uts-x
	run hostname
	assert_output sockit-sandbox
}

@test "sandbox: tests can still make network namespaces of their own" {
	in_sandbox
	local ns=sockit-sbx-$$
	ip netns add "$ns"
	run ip netns list
	ip netns del "$ns"
	assert_output --regexp "^$ns( |$)"
	[ "$(ls -A /run/netns)" = "" ]
}

@test "sandbox: strace of lookups and connects sees no address but 127.0.0.0/8, ::1 and UNIX sockets" {
	in_sandbox
	command -v strace >/dev/null || skip "no strace"
	local log="$BATS_TEST_TMPDIR/strace" bad
	# LeakSanitizer cannot work under ptrace (make asan), as in 61-can
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	# the commands that resolve names not in /etc/hosts, reverse lookups,
	# unknown services, and a connect out: each its own strace run
	{
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.1" "$SOCKIT" getaddrinfo host.invalid 80
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.2" "$SOCKIT" gethostbyaddr 192.0.2.1
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.3" "$SOCKIT" getfqdn x.invalid
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.4" "$SOCKIT" resolve x.invalid localhost
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.5" "$SOCKIT" connect nonexistent.invalid:80
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.6" "$SOCKIT" connect 192.0.2.1:9
		strace -f -qq -e trace=connect,sendto,sendmsg -o "$log.7" "$PY" -c 'import socket; socket.getaddrinfo("y.invalid", 1)'
	} </dev/null >/dev/null 2>&1 || true
	cat "$log".* >"$log"
	# the lookups did reach the sandbox's nameserver, and nothing else
	grep -q 'inet_addr("127.0.0.1")' "$log"
	bad=$(grep -oE 'inet_addr\("[^"]*"\)|inet_pton\(AF_INET6, "[^"]*"' "$log" |
	    grep -vE 'inet_addr\("127\.[0-9.]*"\)|inet_pton\(AF_INET6, "::1"' | sort -u || true)
	# 192.0.2.1 is the connect that must fail: attempted, ENETUNREACH
	bad=$(grep -v '192\.0\.2\.1' <<<"$bad" || true)
	[ -z "$bad" ] || { echo "addresses outside: $bad"; false; }
	run grep 'inet_addr("192.0.2.1")' "$log"
	assert_output --partial "ENETUNREACH"
	# glibc's nscd socket is there to ask for nothing
	[ -z "$(ls -A /run/nscd 2>/dev/null)" ]
}
