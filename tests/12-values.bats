#!/usr/bin/env bats
# 12: the literal parser (SPEC section 3) and the emitters (section 4)
# against CPython: `sockit __value WORD` prints parse_value(WORD).
load helpers

# check_values: feeds words (one per line on stdin) to a CPython checker that
# runs `sockit [-f FMT] __value WORD` for each and compares with
# ast.literal_eval + repr / the oracle's JSON and raw renderings.
check_values() {
	local words
	words=$(cat)
	cat >"$BATS_TEST_TMPDIR/check.py" <<'PYEOF'
import importlib.util, json, subprocess, sys
sockit, oracle_path = sys.argv[1], sys.argv[2]
formats = sys.argv[3].split(",")
spec = importlib.util.spec_from_file_location("oracle", oracle_path)
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)
words = [w for w in sys.argv[4:]] or [l.rstrip("\n") for l in sys.stdin]
words = [w for w in words if w and not w.startswith("# ")]
def nosets(v):
    if isinstance(v, (set, frozenset, list)):
        return [nosets(x) for x in v]
    if isinstance(v, tuple):
        return tuple(nosets(x) for x in v)
    if isinstance(v, dict):
        return {k: nosets(x) for k, x in v.items()}
    return v
def parse_value(w):
    # SPEC section 3 adds bytearray(), bytearray(N), bytearray(b'..')
    import ast, re
    m = re.fullmatch(r"\s*bytearray\((.*)\)\s*", w, re.S)
    if m:
        try:
            a = ast.literal_eval(m.group(1)) if m.group(1).strip() else b""
            if isinstance(a, bytes) or (type(a) is int and a >= 0):
                return bytearray(a)
        except (ValueError, SyntaxError):
            pass
    return oracle.parse_value(w)
bad = 0
for w in words:
    v = parse_value(w)
    for fmt in formats:
        p = subprocess.run([sockit, "--format=" + fmt, "__value", w], capture_output=True)
        got = p.stdout.decode("utf-8", "surrogateescape")
        if fmt == "py":
            want = "" if v is None else repr(v) + "\n"
        elif fmt == "json":
            want = json.dumps(oracle.generic_json(nosets(v))) + "\n"
            try:
                got = "" if not got else json.dumps(json.loads(got)) + "\n"
            except ValueError:
                pass
        else:
            want = oracle.to_raw(v)
            if any(0xd800 <= ord(c) < 0xdc80 or 0xdd00 <= ord(c) < 0xe000 for c in want):
                continue	# print() cannot write a lone surrogate at all
        if got != want or p.returncode != 0:
            bad += 1
            print(f"FAIL {fmt} {w!r}: got {got!r} (exit {p.returncode}, "
                  f"{p.stderr.decode(errors='replace').strip()!r}), want {want!r}")
print(f"{len(words)} words, {bad} mismatches", file=sys.stderr)
sys.exit(1 if bad or not words else 0)
PYEOF
	run "$PY" "$BATS_TEST_TMPDIR/check.py" "$SOCKIT" "$ORACLE" "$@" <<<"$words"
	echo "$output" | tail -n 40
	assert_success
}

@test "the table of words parses and prints as CPython's (py)" {
	check_values py < "$BATS_TEST_DIRNAME/data/values.txt"
}

@test "the table of words renders as the oracle's JSON and raw" {
	check_values json,raw < "$BATS_TEST_DIRNAME/data/values.txt"
}

@test "bytes with every byte value, in every escape form" {
	words=$("$PY" -c '
b = bytes(range(256))
print(repr(b))
print(repr(b[::-1]))
print("b\x27" + "".join("\\x%02x" % c for c in range(256)) + "\x27")
print("b\x27" + "".join("\\%03o" % c for c in range(256)) + "\x27")
print(repr(bytearray(b)).replace("bytearray(", "", 1)[:-1])
')
	check_values py,json,raw <<<"$words"
}

@test "str escapes and printability over the whole BMP and beyond" {
	words=$("$PY" -c '
import sys
for lo in range(0, 0x10000, 0x1000):
    s = "".join(chr(c) for c in range(lo, lo + 0x1000) if not 0xd800 <= c < 0xe000)
    print(ascii(s))
for lo in (0x10000, 0x1f000, 0x20000, 0x2fa00, 0xe0000, 0xf0000, 0x10f000):
    print(ascii("".join(chr(c) for c in range(lo, lo + 0x800))))
print("\x27" + "".join("\\u%04x" % c for c in range(0xd800, 0xe000, 7)) + "\x27")
')
	check_values py,json <<<"$words"
}

@test "ints in every base, with and without underscores" {
	words=$("$PY" -c '
import random
r = random.Random(12)
for n in [0, 1, 7, 8, 255, 256, 2**31, 2**32 - 1, 2**63 - 1, 2**63, 2**64, 10**30] + [r.getrandbits(r.randint(1, 200)) for _ in range(40)]:
    for sign in ("", "-"):
        for f in (str(n), hex(n), oct(n), bin(n), "{:_}".format(n), "0x{:_x}".format(n), "0o{:_o}".format(n), "0b{:_b}".format(n), hex(n).upper().replace("0X", "0x")):
            print(sign + f)
')
	check_values py,json,raw <<<"$words"
}

@test "floats print in the shortest round-trip form" {
	words=$("$PY" -c '
import random, struct
r = random.Random(7)
for _ in range(150):
    f = struct.unpack("d", struct.pack("Q", r.getrandbits(64)))[0]
    if f == f and abs(f) != float("inf"):
        print(repr(f))
for e in range(-330, 310, 7):
    print("1e%d" % e)
    print("-3.7e%d" % e)
for s in ["0.1", "0.01", "0.001", "0.0001", "0.00001", "1e16", "9999999999999998.0", "1e17", "123.456", "2**0.5"]:
    print(s)
')
	check_values py,json,raw <<<"$words"
}

@test "the constant table equals CPython's socket module" {
	run sockit -j const '*'
	assert_success
	run "$PY" -c '
import json, socket, sys
got = json.loads(sys.argv[1])
# every public upper-case int and str (BDADDR_ANY); not the functions
# CMSG_LEN/CMSG_SPACE, the CAPI capsule or socket.py private _LOCALHOST
want = {n: v if isinstance(v, str) else int(v) for n, v in vars(socket).items()
        if n.isupper() and not n.startswith("_") and isinstance(v, (int, str))}
missing = sorted(set(want) - set(got))
extra = sorted(set(got) - set(want))
wrong = sorted(k for k in set(got) & set(want) if got[k] != want[k])
print("missing:", missing); print("extra:", extra)
print("wrong:", [(k, got[k], want[k]) for k in wrong])
sys.exit(1 if missing or extra or wrong else 0)' "$output"
	echo "$output"
	assert_success
}

@test "enum and flag members print as CPython's repr" {
	run "$PY" "$ORACLE" --sockit "$SOCKIT" --formats py /dev/stdin <<'EOF2'
call: const 'MSG_*'
call: const 'AI_*'
call: const 'AF_*'
call: const 'SOCK_*'
EOF2
	echo "$output" | grep -v '^ok' | tail -n 20
	assert_success
	check_values py,json,raw <<'EOF2'
AI_PASSIVE|AI_CANONNAME
AI_NUMERICHOST|AI_PASSIVE|AI_V4MAPPED
MSG_PEEK|MSG_WAITALL|MSG_NOSIGNAL
MSG_ERRQUEUE|MSG_OOB
SOCK_DGRAM|SOCK_CLOEXEC
AF_PACKET
EOF2
}

@test "a bad escape is one error line, nothing on stdout" {
	run --separate-stderr sockit __value "'\\N{DIGIT ONE}'"
	assert_failure 2
	assert_equal "$output" ""
	[[ "$stderr" == "sockit: ValueError: "* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "an unhashable dict key or set item is literal_eval's TypeError, not a bare word" {
	local w want
	while IFS='|' read -r w want; do
		run --separate-stderr sockit __value "$w"
		assert_failure 2
		assert_equal "$output" ""
		assert_equal "$stderr" "sockit: TypeError: unhashable type: '$want'"
		run "$PY" -c 'import ast, sys
try:
    ast.literal_eval(sys.argv[1])
except TypeError as e:
    print(e)' "$w"
		assert_output "unhashable type: '$want'"
	done <<'WORDS'
{[1]: 2}|list
{[1]}|list
{(1, [2]): 2}|list
{1: 2, {}: 3}|dict
{(1, (2, [3]))}|list
WORDS
	# a syntax error anywhere still makes it a bare word, as in CPython
	run sockit __value '{[1]: 2, }}'
	assert_success
	assert_output "'{[1]: 2, }}'"
	run sockit __value '{(1, 2): [3]}'
	assert_output '{(1, 2): [3]}'
	# and through a function command: the argument is refused
	run --separate-stderr sockit htons '{[1]: 2}'
	assert_failure 2
	assert_equal "$stderr" "sockit: TypeError: unhashable type: 'list'"
}

@test "deeply nested literals stop at the nesting limit, not in a stack overflow" {
	# bytearray(bytearray(...)) nested without a limit; a 1 MiB stack
	# overflowed at 13,000 levels
	run bash -c 'ulimit -s 1024; "$SOCKIT" htons "$(printf "bytearray(%.0s" $(seq 13000))" 2>&1 | cut -c1-80; exit ${PIPESTATUS[0]}'
	assert_failure 2
	assert_output "sockit: TypeError: 'str' object cannot be interpreted as an integer"
	run bash -c 'ulimit -s 1024; "$SOCKIT" htons "$(printf "[%.0s" $(seq 100000))" 2>&1 | cut -c1-80; exit ${PIPESTATUS[0]}'
	assert_failure 2
	assert_output "sockit: TypeError: 'str' object cannot be interpreted as an integer"
	run sockit inet_ntoa "bytearray(b'\x7f\0\0\1')"
	assert_success
	assert_output "'127.0.0.1'"
}

@test "an int argument of more than 4300 digits is int()'s ValueError, not a bare word" {
	run sockit htons "$(printf '1%.0s' $(seq 5000))"
	assert_failure 2
	assert_output "sockit: ValueError: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit"
	run sockit htons "[0x$(printf 'f%.0s' $(seq 5000))]"
	assert_failure 2
	assert_output "sockit: ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
	run sockit htons "$(printf '1%.0s' $(seq 4300))"
	assert_failure 2
	assert_output "sockit: OverflowError: Python int too large to convert to C long"
}
