#!/usr/bin/env bats
# Function commands that make or take sockets (SPEC.md section 6), and the
# address conversions of every family (hidden `sockit __addr`).
load helpers

# fresh: sockit with no inherited descriptors above 2 (bats keeps some
# open), so fd numbers start at 3 as in a fresh shell.
fresh() {
	sockit "$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
}

@test "socket-making cases of functions.txt agree with CPython" {
	grep -E '^~?call: (socket|socketpair|create_server|create_connection|fromfd|has_dualstack_ipv6)\b' \
		"$BATS_TEST_DIRNAME/data/oracle/functions.txt" > "$BATS_TEST_TMPDIR/cases.txt"
	run_oracle "$BATS_TEST_TMPDIR/cases.txt"
}

@test "socket function commands agree with CPython in py, json and raw" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/sockets-funcs.txt"
}

@test "socket prints CPython's repr, fd 3 first" {
	run fresh socket AF_INET6 SOCK_DGRAM
	assert_success
	assert_output "<socket.socket fd=3, family=10, type=2, proto=0, laddr=('::', 0, 0, 0)>"
}

@test "socket .type drops SOCK_NONBLOCK and SOCK_CLOEXEC" {
	run fresh socket AF_INET 'SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC'
	assert_success
	assert_output "<socket.socket fd=3, family=2, type=2, proto=0, laddr=('0.0.0.0', 0)>"
}

@test "socket in json names the fields and the enums" {
	run fresh -j socket AF_INET SOCK_DGRAM
	assert_success
	assert_output '{"fd": 3, "family": "AF_INET", "type": "SOCK_DGRAM", "proto": 0, "laddr": {"host": "0.0.0.0", "port": 0}}'
}

@test "socketpair gives two sockets; raw gives their fields, separated by tabs" {
	run fresh -r socketpair
	assert_success
	assert_output "$(printf '3\tAF_UNIX\tSOCK_STREAM\t0\t4\tAF_UNIX\tSOCK_STREAM\t0')"
}

@test "-r: a socket is fd family type proto laddr... raddr..., so cut finds the port" {
	run fresh -r eval 's = socket(); s.bind(("127.0.0.1", 0)); s'
	assert_success
	assert_output --regexp $'^3\tAF_INET\tSOCK_STREAM\t0\t127\\.0\\.0\\.1\t[0-9]+$'
	port=$(fresh -r eval 's = socket(); s.bind(("127.0.0.1", 0)); s' | cut -f6)
	[ "$port" -gt 0 ]
	run fresh -r eval 'l = socket(); l.bind(("127.0.0.1", 0)); l.listen(); c = socket(); c.connect(l.getsockname()); p = l.getsockname()[1]; print(p); c'
	assert_success
	p=${lines[0]}
	assert_line --index 1 --regexp $'^4\tAF_INET\tSOCK_STREAM\t0\t127\\.0\\.0\\.1\t[0-9]+\t127\\.0\\.0\\.1\t'"$p"'$'
	run fresh -r eval 's = socket(AF_UNIX); s'
	assert_output $'3\tAF_UNIX\tSOCK_STREAM\t0'
}

@test "socket with an unknown family is an OSError, exit 1" {
	run fresh socket 12345
	assert_failure 1
	assert_output "sockit: OSError: [Errno 97] Address family not supported by protocol"
}

@test "socket with a bad type is a TypeError, exit 2, json error object" {
	run fresh -j socket AF_INET "'x'"
	assert_failure 2
	assert_output '{"exception": "TypeError", "errno": null, "message": "'"'"'str'"'"' object cannot be interpreted as an integer"}'
}

@test "socket --fileno wraps a descriptor the shell opened" {
	run sockit socket --fileno=5 5<>/dev/null
	assert_failure 1
	assert_output "sockit: OSError: [Errno 88] Socket operation on non-socket"
}

@test "fromfd duplicates: a closed descriptor is EBADF" {
	run sockit fromfd 7 AF_INET SOCK_STREAM
	assert_failure 1
	assert_output "sockit: OSError: [Errno 9] Bad file descriptor"
}

@test "dup and close take descriptor numbers" {
	# dup's result is the caller's descriptor, open at exit by design
	VG_OPTS=--track-fds=no run fresh dup 0 </dev/null
	assert_success
	assert_output 3
	run sockit close 9
	assert_failure 1
	assert_output "sockit: OSError: [Errno 9] Bad file descriptor"
}

@test "create_server prints the listening socket; create_connection reaches it" {
	run fresh create_server "('127.0.0.1', 0)" --backlog=1
	assert_success
	assert_output --regexp "^<socket.socket fd=3, family=2, type=1, proto=0, laddr=\('127.0.0.1', [0-9]+\)>$"
	run sockit create_connection "('127.0.0.1', 1)" 2
	assert_failure 1
	assert_output "sockit: ConnectionRefusedError: [Errno 111] Connection refused"
}

@test "create_server wraps a bind error with the address given" {
	run fresh create_server "('10.255.255.1', 0)"
	assert_failure 1
	assert_output "sockit: OSError: [Errno 99] Cannot assign requested address (while attempting to bind on address ('10.255.255.1', 0))"
}

@test "send_fds and recv_fds take socket descriptors on the command line" {
	run sockit send_fds 9 "[b'x']" "[0]"
	assert_failure 1
	assert_output "sockit: OSError: [Errno 9] Bad file descriptor"
	run sockit recv_fds 9 10 1
	assert_failure 1
	assert_output "sockit: OSError: [Errno 9] Bad file descriptor"
	run sockit recv_fds 9 10
	assert_failure 2
	assert_output --partial "recv_fds() missing 1 required positional argument: 'maxfds'"
}

@test "send_fds then recv_fds over a socketpair in eval" {
	run sockit eval "a, b = socketpair(); send_fds(a, [b'hi'], [0]); m, fds, fl, ad = recv_fds(b, 10, 2); m; len(fds); fl; ad; close(fds[0])"
	assert_success
	assert_output "$(printf "2\nb'hi'\n1\n0")"
}

# ---- address conversions of families this kernel lacks (sockit __addr) ----

# addr_cases: the cases on stdin, one a line, STATUS|WORDS|ADDRESS|OUTPUT:
# `sockit [OPTION...] __addr FAMILY PROTO ADDRESS`, WORDS being "[OPTION...]
# FAMILY PROTO", prints OUTPUT and exits with STATUS (-: not checked).
addr_cases() {
	local rows row st words addr want w
	mapfile -t rows
	[ "${#rows[@]}" -gt 0 ] || { echo "addr_cases: no cases"; false; }
	for row in "${rows[@]}"; do
		IFS='|' read -r st words addr want <<<"$row"
		read -ra w <<<"$words"
		echo "case: sockit ${w[*]:0:${#w[@]}-2} __addr ${w[*]: -2} $addr"
		run sockit "${w[@]:0:${#w[@]}-2}" __addr "${w[@]: -2}" "$addr"
		case $st in
		-) ;;
		0) assert_success ;;
		*) assert_failure "$st" ;;
		esac
		assert_output "$want"
	done
}

@test "__addr: AF_CAN RAW/BCM (interface,)" {
	addr_cases <<'CASES'
0|29 1|('',)|('',)
-|-j 29 2|('',)|{"interface": ""}
2|29 1|'can0'|sockit: TypeError: bind(): AF_CAN address must be tuple, not str
1|29 1|('aaaaaaaaaaaaaaaa',)|sockit: OSError: AF_CAN interface name too long
-|29 1|('nope0',)|sockit: OSError: [Errno 19] No such device
-|29 1|('', 1)|sockit: TypeError: AF_CAN address must be a tuple (interface, )
-|29 99|('',)|sockit: OSError: bind(): unsupported AF_CAN protocol
CASES
}

@test "__addr: AF_CAN ISOTP and J1939" {
	addr_cases <<'CASES'
0|-j 29 6|('', 0x123, 0x456)|{"interface": "", "rx_addr": 291, "tx_addr": 1110}
-|29 6|('', 'x', 1)|sockit: TypeError: argument 2 must be int, not str
-|29 6|('',)|sockit: TypeError: function takes exactly 3 arguments (1 given)
-|29 7|('', 18446744073709551615, 0x1ff00, 0x80)|('', 18446744073709551615, 130816, 128)
-|-j 29 7|('', 5, 0x1ff00, 0x80)|{"interface": "", "name": 5, "pgn": 130816, "addr": 128}
CASES
}

@test "__addr: AF_TIPC's three address types" {
	addr_cases <<'CASES'
-|30 0|(1, 10, 20, 30)|(1, 10, 20, 30, 0)
-|-j 30 0|(2, 10, 20, 30, 2)|{"addr_type": 2, "v1": 10, "v2": 20, "v3": 20, "scope": 2}
-|30 0|(3, 10, 20, 30)|(3, 10, 20, 0, 0)
1|30 0|(9, 1, 2, 3)|sockit: OSError: Invalid address type
-|30 0|(1, 2, 3)|sockit: TypeError: AF_TIPC address must be a tuple (addr_type, v1, v2, v3[, scope])
CASES
}

@test "__addr: AF_VSOCK, AF_QIPCRTR, AF_RDS" {
	addr_cases <<'CASES'
-|-j 40 0|(4294967295, 1234)|{"cid": 4294967295, "port": 1234}
-|40 0|(1,)|sockit: TypeError: getsockaddrarg() takes exactly 2 arguments (1 given)
-|-j 42 0|(1, 2)|{"node": 1, "port": 2}
-|21 0|('127.0.0.1', 5)|('127.0.0.1', 5)
-|21 0|('127.0.0.1', 70000)|sockit: OverflowError: bind(): port must be 0-65535.
CASES
}

@test "__addr: AF_ALG (type, name[, feat, mask])" {
	run sockit __addr 38 0 "('hash', 'sha256', 1, 2)"
	assert_success
	addr_cases <<'CASES'
2|38 0|('hhhhhhhhhhhhhh', 'x')|sockit: ValueError: AF_ALG type too long.
-|38 0|(1, 'x')|sockit: TypeError: getsockaddrarg() argument 1 must be str, not int
-|38 0|('x',)|sockit: TypeError: getsockaddrarg() takes at least 2 arguments (1 given)
-|12345 0|(1,)|sockit: OSError: bind(): bad family
CASES
}

@test "__addr: AF_UNIX, AF_INET6 scope and AF_PACKET round trips" {
	addr_cases <<'CASES'
-|-j 1 0|b'\x00name'|{"abstract": "name"}
-|-j 1 0|'/tmp/x'|{"path": "/tmp/x"}
-|10 0|('fe80::1%lo', 5, 0, 3)|('fe80::1', 5, 0, 3)
-|-j 17 0|('lo', 0x800, 0, 1, b'\x01\x02')|{"ifname": "lo", "proto": 2048, "pkttype": 0, "hatype": 1, "addr": "0102"}
-|17 0|('lo', 0x800, 0, 1, b'123456789')|sockit: ValueError: Hardware address must be 8 bytes or less
CASES
}

# ---- AF_BLUETOOTH (issue 16): this kernel lacks it, CPython here has it ----

@test "AF_BLUETOOTH: every address form and error agrees with CPython (sockets-bluetooth.txt)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/sockets-bluetooth.txt"
}

# The same programs under strace: the sockaddr bytes that reach connect()
# (the kernel refuses them, EINVAL on a socketpair descriptor) are CPython's,
# field by field, including the quirks of its 'i' stores (a psm over 65535
# keeps its low half, an RFCOMM channel its low byte, an HCI dev's high half
# lands in hci_channel).
@test "AF_BLUETOOTH: the sockaddr given to the kernel is CPython's, byte for byte (strace)" {
	command -v strace >/dev/null || skip "no strace"
	local w='fileno=socketpair(AF_UNIX, SOCK_DGRAM)[0].detach()'
	local prog="l = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP, $w); r = socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM, $w); h = socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI, $w); c = socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_SCO, $w)"
	local a
	for a in "('00:11:22:33:44:55', 1)" "('0a:1B:2c:3D:4e:5F', 0x1001)" "(BDADDR_ANY, 0)" "(BDADDR_LOCAL, 3)" \
	    "(' 0x1:+2:3:4:5:6', 5)" "('00:11:22:33:44:55', 70000)" "('00:11:22:33:44:55', -1)" \
	    "('00:11:22:33:44:55', 2 ** 31 - 1)" "('00:11:22:33:44:55', -2 ** 31)" "('ff:ff:ff:ff:ff:ff', True)"; do
		prog="$prog; l.connect_ex($a)"
	done
	for a in "('00:11:22:33:44:55', 1)" "('00:11:22:33:44:55', 300)" "('00:11:22:33:44:55', -2)" "('aa:bb:cc:dd:ee:ff', 2 ** 31 - 1)"; do
		prog="$prog; r.connect_ex($a)"
	done
	for a in "(0,)" "(1,)" "(0x12345,)" "(-1,)" "(2 ** 31 - 1,)" "(-2 ** 31,)"; do
		prog="$prog; h.connect_ex($a)"
	done
	for a in "b'00:11:22:33:44:55'" "b'ab:cd:EF:01:23:45'" "b'01:02:03:04:05:06\\x00zz'"; do
		prog="$prog; c.connect_ex($a)"
	done
	strace -f -qq -e trace=connect -o "$BATS_TEST_TMPDIR/py" "$PY" -c "from socket import *; $prog" >/dev/null
	# (LeakSanitizer cannot run under ptrace)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -e trace=connect -o "$BATS_TEST_TMPDIR/sk" "$SOCKIT" eval "$prog" >/dev/null
	norm() { grep AF_BLUETOOTH "$1" | sed -E 's/^[0-9]+ +//; s/^connect\([0-9]+,/connect(N,/'; }
	norm "$BATS_TEST_TMPDIR/py" >"$BATS_TEST_TMPDIR/py.n"
	norm "$BATS_TEST_TMPDIR/sk" >"$BATS_TEST_TMPDIR/sk.n"
	cat "$BATS_TEST_TMPDIR/py.n"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/py.n")" -eq 23 ]
	run diff "$BATS_TEST_TMPDIR/py.n" "$BATS_TEST_TMPDIR/sk.n"
	assert_success
}

# makesockaddr's forms, through `sockit __addr` (CPython cannot make a
# Bluetooth address without the kernel: the expected values follow its
# makesockaddr and makebdaddr, and the lab's transcript in
# shared/notes/bluetooth-lab.md)
@test "__addr: AF_BLUETOOTH L2CAP and RFCOMM (bdaddr, n): upper case out, the int's low bits" {
	addr_cases <<'CASES'
0|AF_BLUETOOTH BTPROTO_L2CAP|('00:aa:01:00:00:00', 4097)|('00:AA:01:00:00:00', 4097)
-|AF_BLUETOOTH BTPROTO_L2CAP|(' 0x1:+2:3:4:5:6', 70000)|('01:02:03:04:05:06', 4464)
-|AF_BLUETOOTH BTPROTO_L2CAP|('00:11:22:33:44:55', -1)|('00:11:22:33:44:55', 65535)
-|31 3|('0a:1b:2c:3d:4e:5f', 300)|('0A:1B:2C:3D:4E:5F', 44)
-|31 3|('00:00:00:ff:ff:ff', -2)|('00:00:00:FF:FF:FF', 254)
1|31 0|('00:11:22:33:44:55', 2 ** 31)|sockit: OSError: bind(): wrong format
-|31 3|('00:11:22:33:44:55',)|sockit: OSError: bind(): wrong format
-|31 3|('0:1:2:3:4:5', 1)|('00:01:02:03:04:05', 1)
1|31 3|('00:11:22:33:44:5g', 1)|sockit: OSError: bad bluetooth address
CASES
	run sockit -r __addr 31 0 "('00:11:22:33:44:55', 5)"
	assert_output "$(printf '00:11:22:33:44:55\t5')"
}

@test "__addr: AF_BLUETOOTH HCI is a plain int out, SCO a str from bytes" {
	addr_cases <<'CASES'
0|AF_BLUETOOTH BTPROTO_HCI|(0,)|0
-|31 1|(0x12345,)|9029
1|31 1|(0,0)|sockit: OSError: bind(): wrong format
0|AF_BLUETOOTH BTPROTO_SCO|b'ab:cd:ef:01:23:45'|'AB:CD:EF:01:23:45'
-|-r 31 2|b'ab:cd:ef:01:23:45'|AB:CD:EF:01:23:45
1|31 2|'ab:cd:ef:01:23:45'|sockit: OSError: bind(): wrong format
-|31 4|('00:11:22:33:44:55', 1)|sockit: OSError: bind(): unknown Bluetooth protocol
CASES
}

@test "AF_BLUETOOTH addresses in JSON: SPEC 4's fields per protocol (the family row's)" {
	run sockit -j __addr AF_BLUETOOTH BTPROTO_L2CAP "('01:02:03:04:05:06', 3)"
	assert_success
	assert_output '{"bdaddr": "01:02:03:04:05:06", "psm": 3}'
	run sockit -j __addr AF_BLUETOOTH BTPROTO_RFCOMM "('01:02:03:04:05:06', 3)"
	assert_output '{"bdaddr": "01:02:03:04:05:06", "channel": 3}'
	run sockit -j __addr AF_BLUETOOTH BTPROTO_HCI "(0,)"
	assert_output '{"dev": 0}'
	run sockit -j __addr AF_BLUETOOTH BTPROTO_SCO "b'01:02:03:04:05:06'"
	assert_output '{"bdaddr": "01:02:03:04:05:06"}'
	# a UNIX path is still a path
	run sockit -j __addr AF_UNIX 0 "'/tmp/x'"
	assert_output '{"path": "/tmp/x"}'
}
