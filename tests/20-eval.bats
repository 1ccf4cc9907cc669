#!/usr/bin/env bats
# 20: sockit eval, the language (SPEC section 7) against CPython and by hand.
load helpers

@test "eval: the language cases agree with CPython (oracle)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-lang.txt"
}

@test "eval: the public socket-method cases agree with CPython (oracle)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval.txt"
}

@test "eval: the object-layer cases agree with CPython (oracle, issue 15)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-objects.txt"
}

@test "eval: arbitrary-precision ints agree with CPython (oracle, random operands up to 3000 bits)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-bigint.txt"
}

@test "eval: expression statements print repr, None prints nothing" {
	run sockit eval 'x = 2; x * 21; None; print("a", 1, sep=":"); b"\x00" + b"z"'
	assert_success
	assert_output $'42\na:1\nb\'\\x00z\''
}

@test "eval: statements split by newlines and semicolons, comments, common indentation" {
	run sockit eval '
	    a, b = 1, 2   # a comment
	    a + b; (a,
	        b)
	'
	assert_success
	assert_output $'3\n(1, 2)'
}

@test "eval: if/while/for blocks agree with CPython (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-blocks.txt"
}

# same_as_cpython PROGRAM: sockit eval and /usr/bin/python3 -c print the
# same stdout and last stderr line ("sockit: " aside) and end the same.
same_as_cpython() {
	local want_out want_err want_st
	run --separate-stderr "$PY" -c "$1"
	want_out=$output want_st=$status want_err=${stderr##*$'\n'}
	run --separate-stderr sockit eval "$1"
	assert_equal "$output" "$want_out"
	assert_equal "$status" "$want_st"
	stderr=${stderr##*$'\n'}
	assert_equal "${stderr#sockit: }" "$want_err"
}

@test "eval: break and continue outside a loop, 21 nested loops: CPython's SyntaxError, nothing runs" {
	same_as_cpython $'print("never")\nbreak'
	same_as_cpython $'print("never")\nif 1:\n    continue'
	same_as_cpython $'while 1:\n    pass\nelse:\n    break'
	same_as_cpython $'for i in []:\n    pass\nelse:\n    continue'
	same_as_cpython "$(nested 'for i in [1]:' 21)"
	same_as_cpython "$(nested 'for i in [1]:' 20)"
	same_as_cpython "$(nested 'while 1:' 21)"
}

# nested HEADER N: N compound statements HEADER, each in the one before,
# around print(1).
nested() {
	local i
	for ((i = 0; i < $2; i++)); do printf '%*s%s\n' "$i" '' "$1"; done
	printf '%*sprint(1)\n' "$2" ''
}

@test "eval: try/except/else/finally, raise and exception objects agree with CPython (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-try.txt"
}

# nested_try N CLAUSE: N nested try statements around print(1), each
# closed by CLAUSE.
nested_try() {
	local i
	nested 'try:' "$1"
	for ((i = $1 - 1; i >= 0; i--)); do printf '%*s%s\n' "$i" '' "$2"; done
}

@test "eval: a bare except not last, 20 nested handlers, 21 nested try: CPython's SyntaxError; BaseException uncaught" {
	same_as_cpython $'print("never")\ntry:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass'
	same_as_cpython "$(nested_try 20 'finally: pass')"
	same_as_cpython "$(nested_try 21 'finally: pass')"
	same_as_cpython "$(nested_try 19 'except: pass')"
	same_as_cpython "$(nested_try 20 'except ValueError: pass')"
	same_as_cpython 'raise BaseException("b")'
	same_as_cpython $'try:\n    raise BaseException\nexcept Exception:\n    print("no")\nexcept BaseException as e:\n    print("base", repr(e))'
}

@test "eval: def, calls, return and local scope agree with CPython (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-def.txt"
}

@test "eval: return outside a function, a duplicate parameter, break in a def: CPython's SyntaxError" {
	same_as_cpython $'print("never")\nreturn 1'
	same_as_cpython $'print("never")\ndef f(a, b, a):\n    pass'
	same_as_cpython $'for i in []:\n    def f():\n        break'
	same_as_cpython $'while 0:\n    def f():\n        continue'
	same_as_cpython $'def f():\n    for i in []:\n        pass\n    else:\n        break'
}

@test "eval: lambda, closures, *args/**kwargs, star-arguments and comprehensions agree with CPython (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-funcs.txt"
}

@test "eval: f-strings, format(), str.format and %-formatting agree with CPython (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-format.txt"
}

@test "eval: with on sockets, files and makefile objects closes them as CPython does (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-with.txt"
}

@test "eval: enumerate, zip, map, filter, reversed, iter, next, type, pow, round and getattr agree with CPython (oracle, issue 14)" {
	run_oracle "$BATS_TEST_DIRNAME/data/oracle/eval-builtins.txt"
}

@test "eval: misused global, nonlocal and starred targets are CPython's SyntaxError, nothing runs" {
	same_as_cpython $'print("never")\ndef f():\n    nonlocal x'
	same_as_cpython $'print("never")\nnonlocal x'
	same_as_cpython $'print("never")\nx = 1\nglobal x'
	same_as_cpython $'print("never")\ndef f(a):\n    global a'
	same_as_cpython $'print("never")\ndef f(a):\n    nonlocal a'
	same_as_cpython $'print("never")\ndef f():\n    x = 1\n    global x'
	same_as_cpython $'print("never")\ndef f():\n    print(x)\n    global x'
	same_as_cpython $'print("never")\ndef f():\n    x = 1\n    def h():\n        global x\n        nonlocal x'
	same_as_cpython $'print("never")\nx = 0\ndef f():\n    global x\n    def h():\n        nonlocal x'
	same_as_cpython $'print("never")\n*a = 1'
	same_as_cpython $'print("never")\n*a, *b = 1, 2'
	same_as_cpython $'print("never")\n*a'
	same_as_cpython $'print("never")\nx = *a'
	same_as_cpython $'print("never")\nf = lambda x, x: 1'
	same_as_cpython $'print("never")\ndef f(*, **k):\n    pass'
}

@test "eval: deep lambdas, comprehensions and their recursion are CPython's errors, never a C stack overflow" {
	same_as_cpython "f = $(printf 'lambda: %.0s' $(seq 150))1"$'\nprint(f'"$(printf '()%.0s' $(seq 150)))"
	# deeper than CPython's parser stack would allow sockit's C stack:
	# refused as other operators nested that deep are
	echo "f = $(printf 'lambda: %.0s' $(seq 100000))1" >"$BATS_TEST_TMPDIR/l.py"
	run --separate-stderr sockit eval -f "$BATS_TEST_TMPDIR/l.py"
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "SyntaxError: too many nested operators"
	echo "$(printf '[x for x in %.0s' $(seq 100000))" >"$BATS_TEST_TMPDIR/c.py"
	run --separate-stderr sockit eval -f "$BATS_TEST_TMPDIR/c.py"
	assert_failure 1
	same_as_cpython "print($(printf '[%.0s' $(seq 150))1$(printf ' for x in [1]]%.0s' $(seq 150)))"
	same_as_cpython $'f = lambda n: f(n + 1)\nf(0)'
	same_as_cpython $'def f(n):\n    return [f(n + 1) for x in [1]]\nf(0)'
	same_as_cpython $'def f(n):\n    return sum(f(n + 1) for x in [1])\nf(0)'
	same_as_cpython $'def f(n):\n    return n and [f(n - 1) for x in [1]]\nprint(f(300))'
}

@test "eval: deep recursion is CPython's RecursionError, never a C stack overflow" {
	same_as_cpython $'def f(n):\n    return 1 + f(n + 1)\nf(0)'
	same_as_cpython $'def f(n):\n    return f(n + 1)'"$(printf ' + 1%.0s' $(seq 2900))"$'\nf(0)'
	same_as_cpython $'def f(n):\n    return -'"$(printf '(%.0s' $(seq 150))f(n)$(printf ')%.0s' $(seq 150))"$'\nf(0)'
	same_as_cpython $'def f(n):\n    if n:\n        for i in [1]:\n            try:\n                return f(n - 1)\n            finally:\n                pass\n    return n\nprint(f(990))'
}

@test "eval: 100 levels of indentation are CPython's IndentationError" {
	same_as_cpython "$(nested 'if 1:' 100)"
	same_as_cpython "$(nested 'if 1:' 99)"
}

@test "eval: a block program from -f FILE and from stdin, tabs and the common indentation" {
	cat >"$BATS_TEST_TMPDIR/p.py" <<'PYEOF'
# the socket documentation's loop shape
res = []
for family in (AF_INET, AF_INET6):
	if family == AF_INET6:
		res.append("six")
		continue
	for i in range(3):
		if i == 1:
			break
	else:
		res.append("no")
	res.append(i)
print(res)
PYEOF
	run "$PY" -c "from socket import *; exec(open('$BATS_TEST_TMPDIR/p.py').read())"
	assert_success
	local want=$output
	run sockit eval -f "$BATS_TEST_TMPDIR/p.py"
	assert_success
	assert_output "$want"
	run sockit eval - <"$BATS_TEST_TMPDIR/p.py"
	assert_output "$want"
	# sockit strips the indentation the first line has (quoted scripts)
	run sockit eval '
	    n = 0
	    while n < 3:
	        n += 1
	    print(n)
	'
	assert_success
	assert_output 3
	run --separate-stderr sockit eval $'    x = 1\n  y = 2'
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "IndentationError: unindent does not match any outer indentation level"
}

@test "eval: SIGINT ends a 'while True: pass' with 130" {
	# a background job of a script ignores SIGINT: give it back its default
	"$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$SOCKIT" eval 'while True: pass' &
	local pid=$! st=0
	sleep 0.5
	running "$pid"
	kill -INT "$pid"
	wait "$pid" || st=$?
	assert_equal "$st" 130
}

@test "eval: a program that starts with '-' is not an option" {
	run sockit eval '-1 + 3'
	assert_success
	assert_output 2
	run sockit eval -- '-2'
	assert_output -- -2
}

@test "eval -f FILE and eval - read the program" {
	printf 'x = 5\nx << 2\n' > "$BATS_TEST_TMPDIR/p.py"
	run sockit eval -f "$BATS_TEST_TMPDIR/p.py"
	assert_success
	assert_output 20
	run sockit eval --file="$BATS_TEST_TMPDIR/p.py" --format=json
	assert_output 20
	run sockit eval - < "$BATS_TEST_TMPDIR/p.py"
	assert_output 20
	run sockit eval -f - < "$BATS_TEST_TMPDIR/p.py"
	assert_output 20
}

@test "eval: a missing file is FileNotFoundError, exit 1" {
	run --separate-stderr sockit eval -f /nonexistent/prog.py
	assert_failure 1
	assert_equal "$stderr" "sockit: FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/prog.py'"
}

@test "eval: bad command lines are usage errors, exit 2" {
	run sockit eval
	assert_failure 2
	assert_output --partial "missing PROGRAM"
	run sockit eval '1' '2'
	assert_failure 2
	run sockit eval -f x '1'
	assert_failure 2
}

@test "eval: output before an exception is kept, then one error line and its status" {
	run --separate-stderr sockit eval 'print("before"); 1; 1 / 0; print("after")'
	assert_failure 1
	assert_output $'before\n1'
	assert_equal "$stderr" "sockit: ZeroDivisionError: division by zero"
	run sockit eval 'int("x")'
	assert_failure 2
	run sockit eval 'x'
	assert_failure 1
	assert_output "sockit: NameError: name 'x' is not defined"
}

@test "eval: a syntax error runs nothing and ends with CPython's last line" {
	run --separate-stderr sockit eval $'print("never")\n(1 +\n'
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "${stderr_lines[-1]}" "SyntaxError: '(' was never closed"
	assert_equal "${stderr_lines[0]}" "sockit: <eval>, line 2"
}

@test "eval: unsupported constructs say so" {
	for prog in 'class A: pass' 'import os' 'def f(a, /): pass'; do
		run --separate-stderr sockit eval "$prog"
		assert_failure 1
		[[ "${stderr_lines[-1]}" == SyntaxError:*"not supported by sockit eval" ||
		   "${stderr_lines[-1]}" == "SyntaxError: only the socket module can be imported"* ]]
	done
}

@test "eval --format=json and raw render each printed value" {
	run sockit -j eval '(1, b"\x01", AF_INET, None, True); "x"; MSG_PEEK|MSG_DONTWAIT'
	assert_success
	assert_output $'[1, "01", "AF_INET", null, true]\n"x"\n"MSG_PEEK|MSG_DONTWAIT"'
	run sockit eval -r '(1, (2, "a")); [3, 4]; b"\xff"; False'
	assert_output $'1\t2\ta\n3\n4\nff\nfalse'
}

@test "eval --format=json: an exception is one JSON line" {
	run --separate-stderr sockit -j eval 'b"".decode() + 1'
	assert_failure 2
	assert_equal "$stderr" '{"exception": "TypeError", "errno": null, "message": "can only concatenate str (not \"int\") to str"}'
}

@test "eval: socket is both the class and the module" {
	run sockit eval 'socket.AF_INET6; socket.SOCK_DGRAM | socket.SOCK_CLOEXEC; socket.MsgFlag(2); socket; socket.nope'
	assert_failure 1
	assert_line -n 0 '<AddressFamily.AF_INET6: 10>'
	assert_line -n 1 '524290'
	assert_line -n 2 '<MsgFlag.MSG_PEEK: 2>'
	assert_line -n 3 "<class 'socket.socket'>"
	assert_line -n 4 "sockit: AttributeError: module 'socket' has no attribute 'nope'"
}

@test "eval: memoryview slices write through to the bytearray" {
	run sockit eval 'b = bytearray(6); m = memoryview(b); m[2:4] = b"hi"; v = m[4:]; v[0] = 33; b; len(v); bytes(v)'
	assert_success
	assert_output $'bytearray(b\'\\x00\\x00hi!\\x00\')\n2\nb\'!\\x00\''
}

@test "eval: ints beyond 64 bits, with no 127-bit limit; 4300 digits at most" {
	run sockit eval '2 ** 126 + (2 ** 126 - 1); -(2 ** 126) * 2'
	assert_success
	assert_output $'170141183460469231731687303715884105727\n-170141183460469231731687303715884105728'
	run sockit eval '2 ** 127; 2**1000 // 3**200 % 10**9'
	assert_success
	assert_output $'170141183460469231731687303715884105728\n259411665'
	run --separate-stderr sockit eval '10 ** 4300'
	assert_failure 2
	assert_equal "$stderr" "sockit: ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
}

@test "eval: huge repetitions and ranges fail cleanly" {
	run sockit eval 'b"x" * (1 << 40)'
	assert_failure 1
	assert_output "sockit: MemoryError"
	run sockit eval 'list(range(1 << 40))'
	assert_failure 1
	assert_output --partial "MemoryError"
}

@test "eval: deep nesting is a SyntaxError, not a crash" {
	prog=$(printf '(%.0s' $(seq 1000))
	run sockit eval "$prog"
	assert_failure 1
	prog=$(printf -- '-%.0s' $(seq 100000))1
	run sockit eval "$prog"
	assert_failure 1
	assert_output --partial "SyntaxError"
}

@test "eval: 10000 statements creating sockets keep no descriptor or memory" {
	{
		echo "socket(AF_INET, SOCK_DGRAM)"
		for i in $(seq 10000); do echo "s = socket(AF_INET, SOCK_DGRAM)"; done
		echo "del s; socket(AF_INET, SOCK_DGRAM)"
	} > "$BATS_TEST_TMPDIR/many.py"
	run sockit eval -f "$BATS_TEST_TMPDIR/many.py"
	assert_success
	# every rebinding closed the previous socket: the last one reuses the first fd
	assert_equal "${lines[0]}" "${lines[1]}"
	[[ "${lines[0]}" == "<socket.socket fd="* ]]
}

@test "eval: valgrind finds no leak in a mixed program" {
	command -v valgrind >/dev/null || skip "valgrind not installed"
	! under_asan || skip "valgrind cannot run an ASan build (LeakSanitizer checks it)"
	run valgrind -q --error-exitcode=99 --leak-check=full "$SOCKIT" eval \
	    'x = [1, (2, b"a")]; y = x; x[0] = {"k": bytearray(3)}; m = memoryview(y[0]["k"])[1:]; m[0] = 7; y; s = socket(); s = None; "é"[0] * 3; del y; x; 1 / 0'
	assert_failure 1
	refute_output --partial "definitely lost"
	refute_output --partial "indirectly lost"
}

@test "eval: long operator, subscript, attribute, call and power chains are CPython's RecursionError, not a crash" {
	# CPython 3.11 compiles a chain of 2998 and refuses 2999 binary
	# operators, subscripts or attributes; these used to overflow the stack
	f=$BATS_TEST_TMPDIR/p.py
	printf '%s1' "$(printf '1+%.0s' $(seq 65000))" >"$f"
	run --separate-stderr sockit eval -f "$f"
	assert_failure 1
	[ "$stderr" = "sockit: RecursionError: maximum recursion depth exceeded during compilation" ]
	[ -z "$output" ]
	run sockit eval "$(printf '1+%.0s' {1..65000})1"
	assert_failure 1
	assert_output "sockit: RecursionError: maximum recursion depth exceeded during compilation"
	run sockit -j eval "$(printf '1*%.0s' {1..65000})1"
	assert_failure 1
	assert_output '{"exception": "RecursionError", "errno": null, "message": "maximum recursion depth exceeded during compilation"}'
	for tail in '[0]' '.a' '()'; do
		printf 'x = [0]\nx%s\n' "$(printf "$tail%.0s" $(seq 65000))" >"$f"
		run sockit eval -f "$f"
		assert_failure 1
		assert_output "sockit: RecursionError: maximum recursion depth exceeded during compilation"
	done
	printf 'x = 0\nx%s\n' "$(printf '.a%.0s' $(seq 2999))" >"$f"
	run sockit eval -f "$f"
	assert_failure 1
	assert_output "sockit: RecursionError: maximum recursion depth exceeded during compilation"
	# one less compiles and runs, as in CPython
	printf 'x = 0\nx%s\n' "$(printf '.a%.0s' $(seq 2998))" >"$f"
	run sockit eval -f "$f"
	assert_failure 1
	assert_output "sockit: AttributeError: 'int' object has no attribute 'a'"
	printf '%s1\n' "$(printf '1+%.0s' $(seq 2998))" >"$f"
	run sockit eval -f "$f"
	assert_success
	assert_output 2999
	# the right-recursive forms stop at the nesting limit
	for chain in '2**' '1 if 1 else ' '-' 'not '; do
		printf '%s1\n' "$(printf -- "$chain%.0s" $(seq 65000))" >"$f"
		# (the error shows the 65000-operator line: keep only its end)
		run bash -c '"$SOCKIT" eval -f "$1" 2>&1 | tail -1; exit ${PIPESTATUS[0]}' _ "$f"
		assert_failure 1
		assert_output "SyntaxError: too many nested operators"
	done
	# the same in the shell, which goes on with the next statement
	printf '%s1\n6*7\n' "$(printf '1+%.0s' $(seq 65000))" >"$f"
	run sockit shell <"$f"
	assert_failure 1
	assert_output $'sockit: RecursionError: maximum recursion depth exceeded during compilation\n42'
}

@test "eval: ints of more than 4300 digits are CPython 3.11's int_max_str_digits errors" {
	# sockit converted any number of digits, in quadratic time
	d5000=$(printf '1%.0s' $(seq 5000))
	limit='Exceeds the limit (4300 digits) for integer string conversion'
	run --separate-stderr sockit eval "x = $d5000"
	assert_failure 1
	[ "${stderr##*$'\n'}" = "SyntaxError: $limit: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits." ]
	run sockit eval "int('$d5000')"
	assert_failure 2
	assert_output "sockit: ValueError: $limit: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit"
	# the sign and underscores are no digits; base 7 counts as base 10
	run sockit eval "int(' -${d5000}_1 ', 7)"
	assert_failure 2
	assert_output "sockit: ValueError: $limit: value has 5001 digits; use sys.set_int_max_str_digits() to increase the limit"
	run sockit eval "int('$(printf '0%.0s' $(seq 4301))')"
	assert_failure 2
	assert_output --partial "value has 4301 digits"
	# 4300 digits and a literal of zeros are fine
	run sockit eval "x = $(printf '9%.0s' $(seq 4300)); len(str(x)), len(str(int(str(x))))
$(printf '0%.0s' $(seq 5000))"
	assert_success
	assert_output $'(4300, 4300)\n0'
	# hex digits convert in linear time in CPython, whose str() then refuses
	# the value; sockit keeps ints as decimal text and refuses it at once
	run sockit eval "int('$(printf 'f%.0s' $(seq 5000))', 16)"
	assert_failure 2
	assert_output "sockit: ValueError: $limit; use sys.set_int_max_str_digits() to increase the limit"
	run sockit eval "len(str(0x$(printf 'f%.0s' $(seq 3000))))"
	assert_success
	assert_output 3613
}

@test "eval: freeing a value nested 300,000 deep does not recurse per level" {
	# x = [x] once per statement made a value as deep as the program is
	# long; its last v_decref recursed once per level (SIGSEGV)
	n=300000
	if light; then n=20000; fi
	"$PY" -c "import sys; n = int(sys.argv[1]); print('x = 0\n' + 'x = [x]\n' * n + 'y = x\nx = 0\ny = 1\nprint(\"freed\")')" "$n" >"$BATS_TEST_TMPDIR/deep.py"
	run sockit eval -f "$BATS_TEST_TMPDIR/deep.py"
	assert_success
	assert_output freed
}

@test "eval: from socket import of a missing name is CPython's ImportError; socket.socket is the class alone (issue 13 D18-D23)" {
	run --separate-stderr sockit eval 'from socket import nosuch'
	assert_failure 1
	assert_equal "$output" ""
	[ "$stderr" = "sockit: ImportError: cannot import name 'nosuch' from 'socket' (/usr/lib/python3.11/socket.py)" ]
	# the first missing one, after names that exist, aliases and parentheses
	run --separate-stderr sockit eval 'from socket import (AF_INET, socket as S,
    gethostname, nosuch2, nosuch3)'
	assert_failure 1
	[ "$stderr" = "sockit: ImportError: cannot import name 'nosuch2' from 'socket' (/usr/lib/python3.11/socket.py)" ]
	run sockit eval 'from socket import AF_INET, SOCK_STREAM as T, socket, timeout
from socket import *
print(AF_INET)'
	assert_success
	assert_output 2
	run --separate-stderr sockit eval 'import socket
print(socket.socket.socket)'
	assert_failure 1
	[ "$stderr" = "sockit: AttributeError: type object 'socket' has no attribute 'socket'" ]
	run --separate-stderr sockit eval 'import socket
socket.socket.AF_INET'
	assert_failure 1
	[ "$stderr" = "sockit: AttributeError: type object 'socket' has no attribute 'AF_INET'" ]
	run sockit eval 'import socket
print(socket.socket, socket.AF_INET, isinstance(socket.socket(), socket.socket))'
	assert_success
	assert_output "<class 'socket.socket'> 2 True"
}
