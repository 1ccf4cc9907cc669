#!/usr/bin/env bats
# 61: can-send on the host: the cansend frame syntax and the error paths
# that need no CAN support in the kernel.  The sending itself is tested in
# the kernel lab (60-kernel.bats, tests/kernel/guest/).
load helpers

NOIF=sockitnoif0	# an interface that does not exist

# can_available: does this kernel have AF_CAN (CPython's view)?
can_available() {
	"$PY" -c 'import socket; socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)' 2>/dev/null
}

# The error CPython gives for an accepted frame on this host: no AF_CAN, or
# no such interface.
accepted_error() {
	"$PY" - "$NOIF" <<'EOF'
import socket, sys
try:
    s = socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
    s.bind((sys.argv[1],))
except OSError as e:
    print("sockit: %s: %s" % (type(e).__name__, e))
EOF
}

# assert_accepted FRAME...: the frames parse (the error is the socket's).
assert_accepted() {
	run --separate-stderr sockit can-send "$NOIF" "$@"
	assert_failure 1
	assert_equal "$stderr" "$(accepted_error)"
}

# assert_bad FRAME MESSAGE: a usage error (exit 2) naming the problem.
assert_bad() {
	local shown=${1:0:60}
	[ ${#1} -le 60 ] || shown="$shown..."
	run --separate-stderr sockit can-send "$NOIF" "$1"
	assert_failure 2
	[[ "${stderr_lines[0]}" == "sockit: can-send: bad frame '$shown': $2" ]] ||
		{ echo "got: ${stderr_lines[0]}"; echo "want: ...: $2"; return 1; }
	[[ "${stderr_lines[1]}" == usage:* ]]
}

@test "without AF_CAN: CPython's OSError, exit 1" {
	can_available && skip "this kernel has AF_CAN"
	run --separate-stderr sockit can-send vcan0 123#DEADBEEF
	assert_failure 1
	assert_equal "$stderr" "sockit: OSError: [Errno 97] Address family not supported by protocol"
	assert_equal "$output" ""
}

@test "without AF_CAN: the JSON error object" {
	can_available && skip "this kernel has AF_CAN"
	run --separate-stderr sockit -j can-send vcan0 123#DEADBEEF
	assert_failure 1
	assert_equal "$stderr" '{"exception": "OSError", "errno": 97, "message": "Address family not supported by protocol"}'
}

@test "every mode opens its CAN socket first: the same error" {
	can_available && skip "this kernel has AF_CAN"
	for mode in "" "--bcm --interval 10" "--isotp 7E0:7E8" "--j1939 :0x12300:0x30"; do
		run --separate-stderr sockit can-send $mode vcan0 $([ "${mode#--[ij]}" = "$mode" ] && echo 123#11 || echo 11)
		assert_failure 1
		assert_equal "$stderr" "sockit: OSError: [Errno 97] Address family not supported by protocol"
	done
}

@test "cansend syntax: the frames can-utils accepts" {
	assert_accepted 123#DEADBEEF 5AA# 1F334455#11223344 123#R 123#R3 123#r8
	assert_accepted 123#11.22.33.44 123#1122334455667788_E 123#R8_9 12345678#
	assert_accepted 123##1 123##0DEADBEEF 123##311.22.33 00000123##2
	assert_accepted 20000004#0000000000000000
	assert_accepted "123##1$(printf '%0128d' 0)" 7FF#0102030405060708 1FFFFFFF#
}

@test "bad CAN ids: width, range, digits" {
	assert_bad 12#11 "CAN id must be 3 hex digits (11-bit) or 8 (29-bit)"
	assert_bad 1234#11 "CAN id must be 3 hex digits (11-bit) or 8 (29-bit)"
	assert_bad 123456789#11 "CAN id must be 3 hex digits (11-bit) or 8 (29-bit)"
	assert_bad '#11' "missing CAN id before '#'"
	assert_bad 800#11 "11-bit CAN id above 7FF (use 8 digits for a 29-bit id)"
	assert_bad 40000000#11 "29-bit CAN id above 1FFFFFFF"
	assert_bad 12G#11 "CAN id is not hexadecimal"
	assert_bad 123 "missing '#' after the CAN id"
	assert_bad '' "missing '#' after the CAN id"
}

@test "bad data: odd hex, non-hex, too long" {
	assert_bad 123#123 "odd number of hex digits in the data"
	assert_bad 123#12.3 "odd number of hex digits in the data"
	assert_bad 123#1.23 "odd number of hex digits in the data"
	assert_bad 123#XY "data is not hexadecimal"
	assert_bad '123#11 22' "data is not hexadecimal"
	assert_bad 123#112233445566778899 "more than 8 data bytes (CAN FD frames, with '##', take 64)"
	assert_bad "123##0$(printf '%0130d' 0)" "more than 64 data bytes"
	assert_bad 123##X11 "CAN FD frame needs one hex flags digit after '##'"
	assert_bad 123## "CAN FD frame needs one hex flags digit after '##'"
	assert_bad 123##1AABB_9 "data is not hexadecimal"
}

@test "bad remote frames and raw DLC suffixes" {
	assert_bad 123#R9 "remote frame length must be one digit 0-8"
	assert_bad 123#RX "remote frame length must be one digit 0-8"
	assert_bad 123#R33 "unexpected characters after the remote frame length"
	assert_bad 123#R3_9 "raw DLC suffix needs remote frame length 8"
	assert_bad 123#R8_8 "raw DLC suffix must be '_' and one hex digit 9-F"
	assert_bad 123#11_9 "raw DLC suffix '_X' needs exactly 8 data bytes"
	assert_bad 123#1122334455667788_ "raw DLC suffix must be '_' and one hex digit 9-F"
	assert_bad 123#1122334455667788_FF "raw DLC suffix must be '_' and one hex digit 9-F"
	assert_bad 20000004##1 "an error frame cannot be a CAN FD frame"
	assert_bad 20000004#R "an error frame cannot be a remote frame"
}

@test "a bad frame among good ones: exit 2 before any socket is opened" {
	command -v strace >/dev/null || skip "no strace"
	# LeakSanitizer cannot run under ptrace: off for an ASan build, here only
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -e trace=socket -o "$BATS_TEST_TMPDIR/trace" "$SOCKIT" can-send vcan0 123#11 123#1 124#22
	assert_failure 2
	assert_output --partial "bad frame '123#1': odd number of hex digits in the data"
	run grep -c 'socket(' "$BATS_TEST_TMPDIR/trace"
	assert_output 0
}

@test "long garbage frames are cut short in the message" {
	long=$(printf 'Z%.0s' $(seq 5000))
	run --separate-stderr sockit can-send vcan0 "123#$long"
	assert_failure 2
	[[ "${stderr_lines[0]}" == "sockit: can-send: bad frame '123#ZZZZ"*"...': data is not hexadecimal" ]]
	[ "${#stderr_lines[0]}" -lt 150 ]
}

@test "command-line errors are usage errors" {
	local cases=(
		"|missing IFACE"
		"vcan0|missing FRAME (or '-' to read them from stdin)"
		"--isotp 7E0:7E8 vcan0|missing PAYLOAD (or '-' to read them from stdin)"
		"vcan0 - 123#11|'-' (stdin) must be the only FRAME"
		"--bcm vcan0 123#11|--bcm needs --interval MS greater than 0"
		"--bcm --interval 0 vcan0 123#11|--bcm needs --interval MS greater than 0"
		"--bcm --interval 10 vcan0 -|--bcm takes its frames from the command line, not stdin"
		"--bcm --interval 10 vcan0 123#11 123##1|--bcm cannot mix CAN FD and classic frames"
		"--bcm --isotp 1:2 vcan0 11|option --isotp: '1:2': CAN id must be 3 hex digits (11-bit) or 8 (29-bit)"
		"--bcm --interval 5 --isotp 7E0:7E8 vcan0 11|--bcm cannot be used with --isotp"
		"--isotp 7E0 vcan0 11|option --isotp: expected TX:RX (hex CAN ids), not '7E0'"
		"--isotp 7E0:ZZZ vcan0 11|option --isotp: '7E0:ZZZ': CAN id is not hexadecimal"
		"--j1939 1:2 vcan0 11|option --j1939: expected NAME:PGN:ADDR, not '1:2'"
		"--j1939 :0x12300:0x100 vcan0 11|option --j1939 ADDR: '0x100' is not a number from 0 to 0xff"
		"--j1939 :0x40000:1 vcan0 11|option --j1939 PGN: '0x40000' is not a number from 0 to 0x3ffff"
		"--j1939 :1:1 --source 0xfe vcan0 11|option --source: '0xfe' is not a number from 0 to 0xfd"
		"--count -1 vcan0 123#11|option --count: expected an integer from 0 to 2147483647, not '-1'"
		"--interval x vcan0 123#11|option --interval: not a number: 'x'"
		"--interval -5 vcan0 123#11|option --interval: must be from 0 to 86400000, not '-5'"
		"--isotp 7E0:7E8 vcan0 123|bad payload '123': odd number of hex digits"
		"--isotp 7E0:7E8 vcan0 b'x|bad payload 'b'x': not hex digits, nor a bytes or str literal"
		"--j1939 :0x100:0x30 vcan0 zz|bad payload 'zz': not hex digits, nor a bytes or str literal"
		"--frobnicate vcan0 123#11|unknown option '--frobnicate'"
	)
	for c in "${cases[@]}"; do
		read -r -a args <<<"${c%%|*}"
		run --separate-stderr sockit can-send "${args[@]}"
		[ "$status" -eq 2 ] || { echo "status $status for: ${c%%|*}: $stderr"; return 1; }
		[[ "${stderr_lines[0]}" == "sockit: can-send: ${c#*|}" ]] ||
			{ echo "for: ${c%%|*}"; echo "got:  ${stderr_lines[0]}"; echo "want: sockit: can-send: ${c#*|}"; return 1; }
		[[ "${stderr_lines[1]}" == usage:* ]]
	done
}

@test "payloads: hex with dots, bytes and str literals are accepted" {
	for p in DEADBEEF DE.AD.BE.EF "b'\\x00abc'" "'text'" '""' ''; do
		run --separate-stderr sockit can-send --isotp 7E0:7E8 "$NOIF" "$p"
		assert_failure 1
		assert_equal "$stderr" "$(accepted_error | sed 's/CAN_RAW//')"
	done
}

@test "an over-long interface name: CPython's AF_CAN message (or no AF_CAN)" {
	run --separate-stderr sockit can-send abcdefghijklmnopq 123#11
	assert_failure 1
	if can_available; then
		assert_equal "$stderr" "sockit: OSError: AF_CAN interface name too long"
	else
		assert_equal "$stderr" "sockit: OSError: [Errno 97] Address family not supported by protocol"
	fi
}

@test "malformed frames never crash: exit 2 or 1 only" {
	for f in '#' '##' '###' '123###' '123#.' '123#..' '123#.11.' '123#_' '123#R_' '123#R8_' \
		'123##1.' '123#\x00' "$(printf '123#\001\002')" 'FFFFFFFF#11' '20000000#' 'r#R' '123#R8_G'; do
		run sockit can-send "$NOIF" "$f"
		[ "$status" -eq 2 ] || [ "$status" -eq 1 ] || { echo "status $status for '$f'"; return 1; }
	done
}

@test "can-send --help shows the options; the man page SYNOPSIS agrees" {
	run sockit can-send --help
	assert_success
	assert_line --index 0 "usage: sockit [GLOBAL OPTIONS] can-send [OPTIONS] IFACE FRAME..."
	for o in --bcm --count --interval --isotp --j1939 --source --option; do
		assert_output --partial -- "$o"
	done
	man=$BATS_TEST_DIRNAME/../man/sockit-can-send.1
	syn=$(sockit __synopsis can-send)
	run sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$man"
	assert_output --partial "$syn"
}

@test "the can-send man page renders without warnings" {
	command -v groff >/dev/null || skip "no groff"
	run groff -ww -man -z "$BATS_TEST_DIRNAME/../man/sockit-can-send.1"
	assert_success
	assert_output ""
}
