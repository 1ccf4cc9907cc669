#!/usr/bin/env bats
# 83: the inputs the fuzz harnesses (fuzz/fuzz_*.c) once crashed on,
# fuzz/regress/NAME/*, replayed through the sockit command that reaches the
# same code: each must end with a clean status (< 128: no signal, no
# sanitizer abort) and, when it fails, one error line on stderr.  When the
# harness binary fuzz/bin/fuzz_NAME is built (make fuzz), it replays the
# files too.
load helpers

REGRESS="$BATS_TEST_DIRNAME/../fuzz/regress"
FUZZBIN="$BATS_TEST_DIRNAME/../fuzz/bin"

# assert_clean: the last run ended by itself (no signal, no sanitizer) and,
# when it failed, said why in one "sockit: ..." line (a usage error may add
# the command's usage text after it).
assert_clean() {
	local n
	[ "$status" -lt 128 ] || { echo "status $status: $stderr" >&2; return 1; }
	if [ "$status" -ne 0 ]; then
		n=$(printf '%s\n' "$stderr" | grep -c '^sockit: ' || true)
		[ "$n" -eq 1 ] || { echo "stderr: $stderr" >&2; return 1; }
	fi
}

# each_input NAME: the regression files of harness NAME, one per line.
each_input() {
	[ -d "$REGRESS/$1" ] && find "$REGRESS/$1" -type f | sort
}

# replay_harness NAME: runs the built harness over its regression files.
replay_harness() {
	local f
	[ -x "$FUZZBIN/fuzz_$1" ] || return 0
	for f in $(each_input "$1"); do
		run --separate-stderr "$FUZZBIN/fuzz_$1" "$f"
		[ "$status" -eq 0 ] || { echo "fuzz_$1 $f: status $status" >&2; echo "$stderr" | tail -n 30 >&2; return 1; }
	done
}

# a pcap file of linktype $2 holding the packet file $1 (decode inputs:
# byte 0 picks the link type, byte 3 the extra wire length)
decode_pcap() {
	"$PY" - "$1" "$2" <<'PYEOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
types = [1, 101, 113, 276, 227, 101, 147]
lt = types[d[0] % len(types)] if d else 1
p = d[4:]
extra = d[3] if len(d) > 3 else 0
sys.stdout.buffer.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, lt))
sys.stdout.buffer.write(struct.pack("<IIII", 1000, 0, len(p), len(p) + extra) + p)
PYEOF
}

@test "fuzz regress: eval programs" {
	local f fmt
	for f in $(each_input eval); do
		fmt=py
		case "$(head -c1 "$f" | od -An -tx1 | tr -d ' ')" in
		01) fmt=json ;;
		02) fmt=raw ;;
		esac
		# in namespaces of its own even when this file runs alone: eval is
		# not sandboxed, and an input may call sethostname or connect
		run --separate-stderr "$BATS_TEST_DIRNAME/sandbox.sh" $SOCKIT_WRAP "$SOCKIT" --format "$fmt" eval -f "$f"
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness eval
}

@test "fuzz regress: literals (sockit __value)" {
	local f
	for f in $(each_input literal); do
		run --separate-stderr sockit __value "$(tr -d '\0' <"$f")"
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness literal
}

@test "fuzz regress: filters (sniff --read --filter / --bpf)" {
	local f pcap="$BATS_TEST_TMPDIR/empty.pcap" mode text
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\000\000\004\000\001\000\000\000' >"$pcap"
	for f in $(each_input filter); do
		mode=$(head -c1 "$f" | od -An -tu1 | tr -d ' ')
		text=$(tail -c +2 "$f" | tr -d '\0')
		if [ $((mode & 16)) -ne 0 ]; then
			run --separate-stderr sockit sniff --read "$pcap" --bpf "$text"
		else
			run --separate-stderr sockit sniff --read "$pcap" --filter "$text"
		fi
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness filter
}

@test "fuzz regress: pcap files (sniff --read)" {
	local f
	for f in $(each_input pcap); do
		run --separate-stderr sockit -q sniff --read "$f"
		assert_clean || { echo "input $f" >&2; return 1; }
		run --separate-stderr sockit -q --format json sniff --read "$f"
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness pcap
}

@test "fuzz regress: packets (sniff --read, JSON and raw)" {
	local f pcap="$BATS_TEST_TMPDIR/p.pcap"
	for f in $(each_input decode); do
		decode_pcap "$f" >"$pcap"
		run --separate-stderr sockit -q --format json sniff --read "$pcap"
		assert_clean || { echo "input $f" >&2; return 1; }
		run --separate-stderr sockit -q --format raw sniff --read "$pcap"
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness decode
}

@test "fuzz regress: CAN frames (can-send)" {
	local f
	for f in $(each_input canframe); do
		run --separate-stderr sockit can-send sockitnoif0 "$(tr -d '\0' <"$f")"
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness canframe
}

@test "fuzz regress: addresses (harness only: a valid address would connect)" {
	replay_harness address
}

@test "fuzz regress: shell input (sockit shell)" {
	local f
	for f in $(each_input shell); do
		run --separate-stderr "$BATS_TEST_DIRNAME/sandbox.sh" $SOCKIT_WRAP "$SOCKIT" shell <"$f"
		assert_clean || { echo "input $f" >&2; return 1; }
	done
	replay_harness shell
}

@test "fuzz regress: an unclosed triple-quoted string is unterminated whatever it holds (fuzz_shell)" {
	# fuzz_shell: after "b'''" the shell waited for the closing quotes, but
	# the whole buffer lexed afresh was complete (bytes not ASCII), so the
	# answer depended on how the input came in lines.  CPython finds the
	# end first: the shell waits, and then reports the chunk's error.
	run --separate-stderr sockit shell < <(printf "b'''\n\xff\n'''\n1\n")
	assert_output "1"
	[[ $stderr == *"SyntaxError: bytes can only contain ASCII literal characters"* ]]
	run -1 --separate-stderr sockit eval "$(printf "b'''\xc3\xa9")"
	[[ $stderr == *"SyntaxError: unterminated triple-quoted string literal"* ]]
	run --separate-stderr sockit eval "'''\\N{x}"
	[[ $stderr == *"SyntaxError: unterminated triple-quoted string literal"* ]]
}
