#!/usr/bin/env bats
# 10: function commands (SPEC section 6) of core/netfuncs.c and
# core/resolve.c, against CPython and by hand.
load helpers

# fails_with STATUS PREFIX CMD...: exit STATUS, nothing on stdout, exactly one
# line on stderr starting with PREFIX.
fails_with() {
	local status=$1 prefix=$2
	shift 2
	run --separate-stderr sockit "$@"
	assert_failure "$status"
	assert_equal "$output" ""
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "stderr: $stderr"; return 1; }
	[[ "$stderr" == "$prefix"* ]] || { echo "stderr: $stderr"; return 1; }
}

@test "oracle: the public function cases of this file's functions" {
	grep -Ev '^~?call: (socket|socketpair|create_server|create_connection|fromfd|has_dualstack_ipv6)( |$)' \
	    "$BATS_TEST_DIRNAME/data/oracle/functions.txt" >"$BATS_TEST_TMPDIR/public.txt"
	run_oracle "$BATS_TEST_TMPDIR/public.txt"
}

@test "oracle: edge values and every error path (functions-more)" {
	run_oracle "$BATS_TEST_DIRNAME"/data/oracle/functions-more.txt
}

@test "htons/ntohs/htonl/ntohl in every format" {
	run sockit htons 80
	assert_output 20480
	run sockit -j ntohs 0x5000
	assert_output 80
	run sockit -r htonl 1
	assert_output 16777216
	run sockit ntohl --format=json 16777216
	assert_output 1
}

@test "htons: overflow, type and argument-count errors" {
	fails_with 2 "sockit: OverflowError: htons: Python int too large to convert to C 16-bit unsigned integer" htons 65536
	fails_with 2 "sockit: OverflowError: htons: can't convert negative Python int" htons -1
	fails_with 2 "sockit: OverflowError: signed integer is greater than maximum" htons 0x80000000
	fails_with 2 "sockit: OverflowError: Python int too large to convert to C long" htons 0x1_0000_0000_0000_0000
	fails_with 2 "sockit: TypeError: 'str' object cannot be interpreted as an integer" htons x
	fails_with 2 "sockit: TypeError: htons() takes exactly 1 argument (0 given)" htons
	fails_with 2 "sockit: TypeError: htons() takes no keyword arguments" htons --x=1
}

@test "htonl: METH_O wording and 32-bit checks" {
	fails_with 2 "sockit: OverflowError: int larger than 32 bits" htonl 4294967296
	fails_with 2 "sockit: OverflowError: can't convert negative value to unsigned int" htonl -1
	fails_with 2 "sockit: OverflowError: Python int too large to convert to C unsigned long" htonl 18446744073709551616
	fails_with 2 "sockit: TypeError: expected int, float found" ntohl 1.0
	fails_with 2 "sockit: TypeError: _socket.htonl() takes exactly one argument (2 given)" htonl 1 2
}

@test "JSON errors are one object with exception, errno and message" {
	run --separate-stderr sockit -j htons 65536
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$stderr" '{"exception": "OverflowError", "errno": null, "message": "htons: Python int too large to convert to C 16-bit unsigned integer"}'
	run --separate-stderr sockit --json getaddrinfo host.invalid 80
	assert_failure 3
	[[ "$stderr" == '{"exception": "gaierror", "errno": -'* ]]
}

@test "inet_aton/inet_ntoa/inet_pton/inet_ntop round trips" {
	run sockit inet_aton "'127.1'"
	assert_output "b'\\x7f\\x00\\x00\\x01'"
	run sockit -r inet_aton 10.0.0.1
	assert_output 0a000001
	run sockit -j inet_pton AF_INET6 ::1
	assert_output '"00000000000000000000000000000001"'
	run sockit inet_ntop AF_INET6 "b'\\xfe\\x80' + b'\\x00' * 13 + b'\\x01'"
	assert_failure 2	# not a literal: a str, refused as in Python
	run sockit inet_ntop AF_INET6 "b'\\xfe\\x80\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01'"
	assert_output "'fe80::1'"
	run sockit -r inet_ntoa "bytearray(b'\\x01\\x02\\x03\\x04')"
	assert_output 1.2.3.4
}

@test "inet_*: OSError, ValueError and TypeError paths" {
	fails_with 1 "sockit: OSError: illegal IP address string passed to inet_aton" inet_aton 1.2.3.256
	fails_with 1 "sockit: OSError: packed IP wrong length for inet_ntoa" inet_ntoa "b'abc'"
	fails_with 1 "sockit: OSError: [Errno 97] Address family not supported by protocol" inet_pton 99 x
	fails_with 2 "sockit: ValueError: unknown address family 99" inet_ntop 99 "b''"
	fails_with 2 "sockit: ValueError: embedded null character" inet_pton AF_INET "'1\\x00'"
	fails_with 2 "sockit: TypeError: inet_pton() argument 2 must be str, not None" inet_pton AF_INET None
	fails_with 2 "sockit: UnicodeEncodeError: 'utf-8' codec can't encode character '\\udcff' in position 1" inet_aton "'1\\udcff'"
}

@test "CMSG_LEN/CMSG_SPACE values and range" {
	run sockit CMSG_LEN 4
	assert_output 20
	run sockit -r CMSG_SPACE 4
	assert_output 24
	fails_with 2 "sockit: OverflowError: CMSG_SPACE() argument out of range" CMSG_SPACE -1
	fails_with 2 "sockit: OverflowError: Python int too large to convert to C ssize_t" CMSG_LEN 9223372036854775808
}

@test "default timeout: -t sets it, setdefaulttimeout checks its argument" {
	run sockit getdefaulttimeout
	assert_success
	assert_output ""
	run sockit -t 2.5 getdefaulttimeout
	assert_output 2.5
	run sockit getdefaulttimeout -t 0
	assert_output 0.0
	run sockit -j -t 0.1 getdefaulttimeout
	assert_output 0.1
	run sockit setdefaulttimeout 3
	assert_success
	assert_output ""
	fails_with 2 "sockit: ValueError: Timeout value out of range" setdefaulttimeout -1
	fails_with 2 "sockit: ValueError: Invalid value NaN (not a number)" setdefaulttimeout "float('nan')" || \
	    fails_with 2 "sockit: TypeError:" setdefaulttimeout "float('nan')"
	fails_with 2 "sockit: OverflowError: timestamp too large to convert to C _PyTime_t" setdefaulttimeout 1e400
	fails_with 2 "sockit: TypeError: _socket.getdefaulttimeout() takes no arguments (1 given)" getdefaulttimeout 1
}

@test "-j: a None result is null (one JSON document per result); py and raw print nothing" {
	run --separate-stderr sockit -j getdefaulttimeout
	assert_success
	assert_output null
	run --separate-stderr sockit -j setdefaulttimeout 3
	assert_success
	assert_output null
	run --separate-stderr sockit -r getdefaulttimeout
	assert_success
	assert_output ""
}

@test "has_ipv6 is True; calling it with arguments fails as in Python" {
	run sockit has_ipv6
	assert_output True
	run sockit -r has_ipv6
	assert_output true
	fails_with 2 "sockit: TypeError: 'bool' object is not callable" has_ipv6 1
}

@test "getaddrinfo: shapes in py, json and raw" {
	run sockit getaddrinfo 127.0.0.1 80 --type=SOCK_STREAM
	assert_output "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('127.0.0.1', 80))]"
	run sockit -j getaddrinfo ::1 443 --type=SOCK_DGRAM
	assert_output '[{"family": "AF_INET6", "type": "SOCK_DGRAM", "proto": 17, "canonname": "", "sockaddr": {"host": "::1", "port": 443, "flowinfo": 0, "scope_id": 0}}]'
	run sockit -r getaddrinfo 127.0.0.1 53 --type=SOCK_DGRAM
	assert_output "$(printf 'AF_INET\tSOCK_DGRAM\t17\t\t127.0.0.1\t53')"
}

@test "getaddrinfo: -4 and -6 restrict the family when none is given" {
	run sockit -4 -r getaddrinfo None 80 --type=SOCK_STREAM --flags=AI_PASSIVE
	assert_output "$(printf 'AF_INET\tSOCK_STREAM\t6\t\t0.0.0.0\t80')"
	run sockit -6 -r getaddrinfo None 80 --type=SOCK_STREAM --flags=AI_PASSIVE
	assert_output "$(printf 'AF_INET6\tSOCK_STREAM\t6\t\t::\t80\t0\t0')"
}

@test "getaddrinfo: gaierror exits 3; bad host and port types" {
	fails_with 3 "sockit: socket.gaierror: [Errno -2] Name or service not known" getaddrinfo host.invalid 80
	fails_with 3 "sockit: socket.gaierror: [Errno -8] Servname not supported for ai_socktype" getaddrinfo localhost no-such-service
	fails_with 1 "sockit: OSError: Int or String expected" getaddrinfo localhost 1.5
	fails_with 2 "sockit: TypeError: getaddrinfo() argument 1 must be string or None" getaddrinfo 1 80
	fails_with 2 "sockit: TypeError: getaddrinfo() missing 1 required positional argument: 'port'" getaddrinfo localhost
	fails_with 2 "sockit: UnicodeError: encoding with 'idna' codec failed (UnicodeError: label empty or too long)" getaddrinfo a..b 80
}

@test "getaddrinfo: a non-ASCII host name is a clear UnicodeError" {
	fails_with 2 "sockit: UnicodeError: encoding with 'idna' codec failed (UnicodeError: non-ASCII label" getaddrinfo 'bücher.example' 80
}

@test "getnameinfo, gethostbyname*, gethostbyaddr shapes" {
	run sockit -j getnameinfo "('127.0.0.1', 22)" 'NI_NUMERICHOST|NI_NUMERICSERV'
	assert_output '{"host": "127.0.0.1", "port": "22"}'
	run sockit -r gethostbyname localhost
	assert_output 127.0.0.1
	run sockit -j gethostbyname_ex 127.0.0.1
	assert_output '{"hostname": "127.0.0.1", "aliaslist": [], "ipaddrlist": ["127.0.0.1"]}'
	run sockit -r gethostbyaddr 127.0.0.1
	assert_success
	assert_output "$(printf "localhost\t-\t127.0.0.1")"
}

@test "-r: a list inside a tuple is one field, comma-joined ('-' when empty), for read and cut" {
	run sockit -r gethostbyname_ex localhost
	assert_success
	assert_output "$(printf 'localhost\t-\t127.0.0.1')"
	sockit -r gethostbyname_ex localhost | {
		read -r h a i
		[ "$h" = localhost ] && [ "$a" = - ] && [ "$i" = 127.0.0.1 ]
	}
	run sockit -r gethostbyname_ex ip6-localhost
	assert_output "$(printf 'ip6-localhost\tip6-loopback\t127.0.0.1')"
	run sockit -r eval "('h', ['a1', 'a2'], ['10.0.0.1', '10.0.0.2'], [(1, 2)], {3})"
	assert_output "$(printf 'h\ta1,a2\t10.0.0.1,10.0.0.2\t1,2\t3')"
	[ "$(sockit -r eval "('h', ['a1', 'a2'], ['10.0.0.1', '10.0.0.2'])" | cut -f3 | cut -d, -f2)" = 10.0.0.2 ]
	run sockit -r eval "[[1, 2], []]"
	assert_output $'1,2\n-'
}

@test "name service errors: herror and gaierror exit 3, OSError 1" {
	fails_with 3 "sockit: socket.herror: [Errno 1] Unknown host" gethostbyaddr 192.0.2.1
	fails_with 3 "sockit: socket.gaierror:" gethostbyname host.invalid
	fails_with 1 "sockit: OSError: wildcard resolved to multiple address" gethostbyaddr "''"
	fails_with 2 "sockit: TypeError: getnameinfo() argument 1 must be a tuple" getnameinfo "['127.0.0.1', 22]" 0
	fails_with 2 "sockit: OverflowError: getnameinfo(): flowinfo must be 0-1048575." getnameinfo "('::1', 1, 1048576)" 0
	fails_with 1 "sockit: OSError: IPv4 sockaddr must be 2 tuple" getnameinfo "('127.0.0.1', 1, 0)" 0
}

@test "services and protocols" {
	run sockit getservbyname ssh tcp
	assert_output 22
	run sockit -r getservbyport 53 udp
	assert_output domain
	run sockit getprotobyname udp
	assert_output 17
	fails_with 1 "sockit: OSError: service/proto not found" getservbyname no-such-service
	fails_with 2 "sockit: OverflowError: getservbyport: port must be 0-65535." getservbyport 65536
	fails_with 2 "sockit: TypeError: getservbyname() takes at least 1 argument (0 given)" getservbyname
	fails_with 2 "sockit: TypeError: getservbyname() argument 2 must be str, not None" getservbyname http None
}

@test "host names: gethostname, getfqdn; sethostname only fails here" {
	run sockit -r gethostname
	assert_output "$(hostname)"
	run sockit getfqdn host.invalid
	assert_output "'host.invalid'"
	run sockit getfqdn "b' x.invalid '"
	assert_output "b'x.invalid'"
	fails_with 1 "sockit: AttributeError: 'int' object has no attribute 'strip'" getfqdn 1
	fails_with 2 "sockit: TypeError: expected str, bytes or os.PathLike object, not int" sethostname 1
	fails_with 2 "sockit: ValueError: embedded null byte" sethostname "'a\\x00'"
}

@test "sethostname works in a private UTS namespace" {
	command -v unshare >/dev/null || skip "no unshare"
	unshare -u true 2>/dev/null || skip "cannot unshare the UTS namespace"
	run unshare -u sh -c "\"\$1\" sethostname sockit-test && \"\$1\" -r gethostname" sh "$SOCKIT"
	assert_success
	assert_output sockit-test
	[ "$(hostname)" != sockit-test ]
}

@test "interfaces: if_nameindex, if_nametoindex, if_indextoname" {
	run sockit -j if_nameindex
	assert_success
	[[ "$output" == '[{"index": 1, "name": "lo"}'* ]]
	run sockit -r if_nametoindex lo
	assert_output 1
	run sockit if_indextoname 4294967297
	assert_output "'lo'"
	fails_with 1 "sockit: OSError: no interface with this name" if_nametoindex no-such-if0
	fails_with 1 "sockit: OSError: [Errno 6] No such device or address" if_indextoname 0
	fails_with 2 "sockit: TypeError: an integer is required" if_indextoname "'1'"
}

@test "const takes names, not values: plain ints, enums and flags alike (SPEC 6)" {
	run sockit const SO_REUSEADDR
	assert_success
	assert_output "2"
	run sockit const MSG_PEEK
	assert_output "<MsgFlag.MSG_PEEK: 2>"
	run sockit -j const AF_INET6
	assert_output "10"
	run sockit const "'SOCK_ST*'"
	assert_output "{'SOCK_STREAM': <SocketKind.SOCK_STREAM: 1>}"
	run sockit const 5
	assert_failure 1
	assert_output "sockit: AttributeError: module 'socket' has no attribute '5'"
}

@test "const 'A|B' is socket.A|socket.B as CPython computes it (the documented example)" {
	for e in 'AI_CANONNAME|AI_PASSIVE' 'SOCK_STREAM|SOCK_CLOEXEC' 'MSG_PEEK|MSG_DONTWAIT' \
	    'AF_INET|AF_INET6' 'AI_PASSIVE|MSG_PEEK' 'MSG_PEEK|AI_PASSIVE' ' AI_PASSIVE | AI_CANONNAME ' \
	    'AI_PASSIVE|NOPE'; do
		want=$("$PY" -c '
import socket, sys
try:
    print(repr(eval("|".join("socket." + n.strip() for n in sys.argv[1].split("|")))))
except AttributeError as x:
    print("sockit: AttributeError:", x)' "$e")
		run sockit const "$e"
		assert_output "$want"
	done
	run sockit const 'AI_CANONNAME|AI_PASSIVE'
	assert_success
	assert_output '<AddressInfo.AI_PASSIVE|AI_CANONNAME: 3>'
	run sockit -j const 'AI_CANONNAME|AI_PASSIVE'
	assert_output 3
	run sockit const 'AI_PASSIVE|NOPE'
	assert_failure 1
}
