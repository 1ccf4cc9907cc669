#!/usr/bin/env bats
# 30: resolve - against a real DNS server (dnsmasq) in a network namespace
# made for the test, with its own resolv.conf bind-mounted.
load helpers

setup_file() {
	export NS="sockit-rs-$$"
	export DNSDIR=$(mktemp -d)
	export NETNS_OK=0
	command -v dnsmasq >/dev/null || return 0
	ip netns add "$NS" 2>/dev/null || return 0
	local i
	ip -n "$NS" link set lo up
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$DNSDIR/resolv.conf"
	# a server that never answers: it takes the queries and says nothing
	ip netns exec "$NS" /usr/bin/python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.53", 53))
time.sleep(900)' &
	echo $! >"$DNSDIR/silent.pid"
	for i in $(seq 1 100); do
		ip netns exec "$NS" ss -Hlun 'sport = 53' | grep -q 127.0.0.53 && break
		sleep 0.05
	done
	printf 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\n' >"$DNSDIR/dead.conf"
	ip netns exec "$NS" dnsmasq --no-daemon --no-resolv --no-hosts --port=53 \
	    --listen-address=127.0.0.1 --bind-interfaces --pid-file="$DNSDIR/pid" \
	    --address=/a.test/10.0.0.1 --host-record=b.test,10.0.0.2,fd00::2 \
	    --cname=alias.test,b.test --address=/many.test/10.1.0.1 \
	    --address=/nx.test/ --log-facility="$DNSDIR/log" &
	echo $! >"$DNSDIR/dnsmasq.pid"
	for i in $(seq 1 100); do
		ip netns exec "$NS" bash -c 'exec 3<>/dev/udp/127.0.0.1/53' 2>/dev/null && grep -q started "$DNSDIR/log" 2>/dev/null && break
		sleep 0.05
	done
	NETNS_OK=1
}

teardown_file() {
	[ -f "$DNSDIR/silent.pid" ] && kill "$(cat "$DNSDIR/silent.pid")" 2>/dev/null
	[ -f "$DNSDIR/dnsmasq.pid" ] && { kill "$(cat "$DNSDIR/dnsmasq.pid")" 2>/dev/null; wait 2>/dev/null; }
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$DNSDIR"
}

# in_ns [CONF] -- CMD...: runs CMD in the namespace with CONF as resolv.conf.
in_ns() {
	local conf="$DNSDIR/resolv.conf"
	if [ "$1" != -- ]; then conf=$1; shift; fi
	shift
	ip netns exec "$NS" unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$conf" "$@"
}

need_ns() {
	[ "$NETNS_OK" = 1 ] || skip "cannot create a network namespace with dnsmasq"
}

@test "resolve: a name through getaddrinfo, printed like getaddrinfo" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -4 resolve a.test 80 --type SOCK_STREAM
	assert_success
	assert_output "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('10.0.0.1', 80))]"
}

@test "resolve: CNAME with --canonname" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -4 resolve --canonname --type=SOCK_STREAM alias.test
	assert_success
	assert_output "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, 'b.test', ('10.0.0.2', 0))]"
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -r resolve --canonname alias.test
	assert_output "b.test"
}

@test "resolve -r: one unique address per line, IPv4 and IPv6" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -r resolve b.test
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$(printf '10.0.0.2\nfd00::2')"
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -r -6 resolve b.test
	assert_output "fd00::2"
}

@test "resolve -j: JSON objects with the documented fields" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -j -4 resolve --type SOCK_DGRAM a.test 53
	assert_success
	assert_output '[{"family": "AF_INET", "type": "SOCK_DGRAM", "proto": 17, "canonname": "", "sockaddr": {"host": "10.0.0.1", "port": 53}}]'
}

@test "resolve: reverse lookup of an address literal (and --reverse)" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" resolve 10.0.0.2
	assert_success
	assert_output "('b.test', [], ['10.0.0.2'])"
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -r resolve --reverse b.test
	assert_output "b.test"
}

@test "resolve: NXDOMAIN is gaierror, the other names still resolve, exit 3" {
	need_ns
	run --separate-stderr in_ns -- $SOCKIT_WRAP "$SOCKIT" -r -4 resolve a.test nope.nx.test b.test
	assert_failure 3
	assert_output "$(printf '10.0.0.1\n10.0.0.2')"
	assert_equal "$stderr" "sockit: nope.nx.test: socket.gaierror: [Errno -2] Name or service not known"
}

@test "resolve --names: each line starts with its NAME, a failed name keeps its line (issue 17 item 10)" {
	need_ns
	run --separate-stderr in_ns -- $SOCKIT_WRAP "$SOCKIT" -r -4 resolve --names a.test nope.nx.test b.test 10.0.0.2
	assert_failure 3
	assert_output "$(printf 'a.test\t10.0.0.1\nnope.nx.test\t\nb.test\t10.0.0.2\n10.0.0.2\tb.test')"
	assert_equal "$stderr" "sockit: nope.nx.test: socket.gaierror: [Errno -2] Name or service not known"
	run --separate-stderr in_ns -- $SOCKIT_WRAP "$SOCKIT" -4 resolve --names --type SOCK_DGRAM a.test nope.nx.test
	assert_failure 3
	assert_output "$(printf "%s\n" "('a.test', [(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_DGRAM: 2>, 17, '', ('10.0.0.1', 0))])" "('nope.nx.test', None)")"
	run --separate-stderr in_ns -- $SOCKIT_WRAP "$SOCKIT" -j -4 resolve --names --type SOCK_DGRAM a.test nope.nx.test
	assert_failure 3
	assert_line --index 0 '["a.test", [{"family": "AF_INET", "type": "SOCK_DGRAM", "proto": 17, "canonname": "", "sockaddr": {"host": "10.0.0.1", "port": 0}}]]'
	assert_line --index 1 '["nope.nx.test", null]'
}

@test "resolve: per-name errors in JSON carry the name" {
	need_ns
	run --separate-stderr in_ns -- $SOCKIT_WRAP "$SOCKIT" -j resolve nope.nx.test
	assert_failure 3
	assert_equal "$stderr" '{"name": "nope.nx.test", "exception": "gaierror", "errno": -2, "message": "Name or service not known"}'
}

@test "resolve: a server that never answers is a gaierror (timeout), not a hang" {
	need_ns
	run --separate-stderr timeout 20 ip netns exec "$NS" unshare -m sh -c \
	    'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$DNSDIR/dead.conf" "$SOCKIT" resolve x.test y.test
	assert_failure 3
	assert_equal "${#stderr_lines[@]}" 2
	[[ "${stderr_lines[0]}" == "sockit: x.test: socket.gaierror: [Errno -3] Temporary failure in name resolution" ]]
}

@test "connect: SIGINT during a lookup that hangs ends it at once (130)" {
	need_ns
	! under_tsan || skip "ThreadSanitizer runs the handler after the lookup"
	printf 'nameserver 127.0.0.53\noptions timeout:10 attempts:3\n' >"$DNSDIR/slow.conf"
	# it ends by the signal inside glibc's resolver, whose socket is still
	# open then (the kernel closes it): valgrind is not to count that one
	VG_OPTS=--track-fds=no ip netns exec "$NS" unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
	    "$DNSDIR/slow.conf" $SOCKIT_WRAP "$SOCKIT" connect x.test:80 </dev/null 2>"$DNSDIR/c.err" &
	local p=$! st=0 t0
	sleep 1.5	# in getaddrinfo, waiting for the dead server (under valgrind too)
	t0=$(date +%s)
	kill -INT "$p"
	wait "$p" || st=$?
	assert_equal "$st" 130
	[ $(( $(date +%s) - t0 )) -le 2 ]
	assert_equal "$(grep -Ev '^==[0-9]+==' "$DNSDIR/c.err")" ""
}

@test "resolve: 200 names at once, results in argument order" {
	need_ns
	names=(); for i in $(seq 1 200); do names+=("n$i.many.test"); done
	names+=(a.test)
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -4 resolve --type SOCK_STREAM "${names[@]}"
	assert_success
	assert_equal "${#lines[@]}" 201
	assert_line --index 0 "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('10.1.0.1', 0))]"
	assert_line --index 200 "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('10.0.0.1', 0))]"
}

@test "resolve: the threads are bounded (--jobs)" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -r -4 resolve --jobs 2 n1.many.test a.test n2.many.test
	assert_success
	assert_output "$(printf '10.1.0.1\n10.0.0.1\n10.1.0.1')"
}

@test "resolve: services by number after their name, --proto, --flags" {
	need_ns
	run in_ns -- $SOCKIT_WRAP "$SOCKIT" -r -4 resolve --proto IPPROTO_TCP --flags AI_NUMERICSERV a.test 443 b.test 22
	assert_success
	assert_output "$(printf '10.0.0.1\n10.0.0.2')"
}

@test "resolve: localhost works without the namespace" {
	run sockit -r -4 resolve localhost
	assert_success
	assert_output "127.0.0.1"
}

@test "resolve: bad input is a usage error (exit 2)" {
	run sockit resolve
	assert_failure 2
	assert_line --index 0 "sockit: resolve: missing NAME"
	run sockit resolve 80
	assert_failure 2
	run sockit resolve --type=nope localhost
	assert_failure 2
	run sockit resolve --jobs=0 localhost
	assert_failure 2
	run sockit resolve --bogus localhost
	assert_failure 2
}
