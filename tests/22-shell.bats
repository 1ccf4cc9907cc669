#!/usr/bin/env bats
# 22: sockit shell, as a person uses it (a terminal, through a pty) and as
# scripts feed it (a pipe).
load helpers

# pty_session LINE...: runs `sockit shell` on a pseudo-terminal, types each
# line after the prompt it waits for, then ^D; prints the whole transcript.
pty_session() {
	"$PY" - "$SOCKIT" "$@" <<'PYEOF'
import os, pty, select, sys, time
binary, lines = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary, "shell"])
out = b""
mark = 0
def pump(left):
    """Adds what the shell writes within left seconds; False at its end."""
    global out
    r, _, _ = select.select([fd], [], [], left)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        out += chunk
    return True
def wait_for(pattern, limit=10.0):
    deadline = time.time() + limit
    while not (len(out) > mark and out.endswith(pattern)):
        left = deadline - time.time()
        if left <= 0:
            sys.stdout.write(out.decode(errors="replace"))
            sys.exit("timed out waiting for %r" % pattern)
        if not pump(left):
            break
for line in lines:
    wait_for((b">>> ", b"... "))
    os.write(fd, line.encode() + b"\n")
    mark = len(out) + len(line) + 1
if not lines or lines[-1] != "exit()":
    wait_for(b">>> ")
os.write(fd, b"\x04")
deadline = time.time() + 10
while time.time() < deadline:
    if not pump(0.1):
        break
    wpid, status = os.waitpid(pid, os.WNOHANG)
    if wpid:
        break
else:
    os.kill(pid, 9)
    sys.exit("shell did not end on ^D")
sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
PYEOF
}

@test "shell on a terminal: prompts, values, errors that do not end it" {
	run pty_session 'x = 6' 'x * 7' 'nope' 'x' 'print("a", "b")'
	assert_success
	assert_output --partial $'>>> x * 7\n42\n>>> '
	assert_output --partial $'>>> nope\nsockit: NameError: name \'nope\' is not defined\n>>> x\n6\n'
	assert_output --partial $'>>> print("a", "b")\na b\n>>> '
}

@test "shell on a terminal: open brackets continue with '... '" {
	run pty_session '(1,' '2)' '"""a' 'b"""'
	assert_success
	assert_output --partial $'>>> (1,\n... 2)\n(1, 2)\n>>> '
	assert_output --partial $'... b"""\n\'a\\nb\'\n'
}

@test "shell on a terminal: a syntax error shows the line, then the shell goes on" {
	run pty_session '1 +' '2'
	assert_success
	assert_output --partial $'>>> 1 +\nsockit: <stdin>, line 1\n    1 +\n       ^\nSyntaxError: invalid syntax\n>>> 2\n2\n'
}

@test "shell on a terminal: _ is the last value, exit() ends it" {
	run pty_session '40 + 2' '_ + 1' 'exit()'
	assert_output --partial $'>>> _ + 1\n43\n'
}

@test "shell from a pipe: no prompts, errors printed, status of the last error" {
	run --separate-stderr sockit shell <<'EOF2'
a = 1
a + 1
b
(a,
 a)
print("end")
EOF2
	assert_failure 1
	assert_output $'2\n(1, 1)\nend'
	assert_equal "$stderr" "sockit: NameError: name 'b' is not defined"
}

@test "shell from a pipe: a clean session exits 0, json format applies" {
	run sockit -j shell <<'EOF2'
(1, b"a")
AF_INET
EOF2
	assert_success
	assert_output $'[1, "61"]\n"AF_INET"'
}

@test "shell: input ending inside brackets is a syntax error" {
	run --separate-stderr sockit shell <<< '(1,'
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "SyntaxError: '(' was never closed"
}

@test "shell: arguments are refused" {
	run sockit shell 'x'
	assert_failure 2
}

@test "shell: statements of 20,000 lines (brackets, triple-quoted strings) run as in CPython" {
	# the pending statement was lexed again for every line: ~90 s for
	# these; each line is now lexed once (no timing asserted here)
	f=$BATS_TEST_TMPDIR/in.py
	"$PY" - "$f" <<'PYEOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("x = [\n" + "  1,\n" * 20000 + "]\nlen(x)\n")
    f.write('s = """a\n' + 'line \\""" "" \' still\n' * 20000 + 'end"""\nlen(s), s[-20:]\n')
    f.write("d = {\n" + "".join("  %d: '''%d\n''',\n" % (i, i) for i in range(5000)) + "}\nlen(d), d[4999]\n")
    f.write("(1,\n2)\n")
PYEOF
	run --separate-stderr sockit shell <"$f"
	assert_success
	[ -z "$stderr" ]
	exp=$(/usr/bin/python3 -c 'import sys
exec(compile(open(sys.argv[1]).read().replace("len(x)\n", "print(repr(len(x)))\n").replace("len(s), s[-20:]\n", "print(repr((len(s), s[-20:])))\n").replace("len(d), d[4999]\n", "print(repr((len(d), d[4999])))\n").replace("(1,\n2)\n", "print(repr((1,\n2)))\n"), "f", "exec"))' "$f")
	assert_output "$exp"
	assert_line --index 0 20000
}

@test "shell: a line ending in a backslash continues on the next line, as in CPython" {
	run --separate-stderr sockit shell <<'EOF2'
t = 1 + \
  2 + \
  3
t
'a\
b'
EOF2
	assert_success
	assert_output $'6\n\'ab\''
	# a backslash on the last line is still an error
	run --separate-stderr sockit shell < <(printf '1 + \\\n')
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "SyntaxError: invalid syntax"
}

@test "shell: stdin a directory or closed is an error, not an empty session (issue 13 D18-D23)" {
	run --separate-stderr sockit shell <"$BATS_TEST_TMPDIR"
	assert_failure 1
	assert_equal "$output" ""
	[ "$stderr" = "sockit: IsADirectoryError: [Errno 21] Is a directory" ]
	# closed in sockit itself (a `run ... <&-` hands it whatever bats opens at 0)
	run --separate-stderr bash -c 'exec 0<&-; exec $1 "$0" shell' "$SOCKIT" "${SOCKIT_WRAP:-}"
	assert_failure 1
	assert_equal "$output" ""
	[ "$stderr" = "sockit: OSError: [Errno 9] Bad file descriptor" ]
	# an empty input is still a quiet end
	run --separate-stderr sockit shell </dev/null
	assert_success
	assert_equal "$output$stderr" ""
}

@test "shell on a terminal: a block goes on with '... ' up to a blank line, as in CPython" {
	run pty_session 'for i in range(2):' '    i' '' 'if 1: print("one")' '' 'x = 0' \
	    'while x < 3:' '	x += 1' '' 'x' 'if 1:' 'print(2)' 'for i in "a":' '  i' 'x'
	assert_success
	assert_output --partial $'>>> for i in range(2):\n...     i\n... \n0\n1\n>>> '
	assert_output --partial $'>>> if 1: print("one")\n... \none\n>>> '
	assert_output --partial $'>>> x\n3\n>>> '
	# as CPython's REPL, a line back at the block's indentation ends it
	assert_output --partial $'>>> if 1:\n... print(2)\nsockit: <stdin>, line 2\n    print(2)\n    ^\nIndentationError: expected an indented block after \'if\' statement on line 1\n>>> '
	assert_output --partial $'... x\nsockit: <stdin>, line 3\n    x\n    ^\nSyntaxError: invalid syntax\n>>> '
}

@test "shell from a pipe: blocks end at a blank line; every expression statement prints" {
	run --separate-stderr sockit shell <<'EOF2'
for i in range(2):
    i
    print("p", i)

x = 5
if x:
  x
else:
  0

while x > 3: x -= 1

x
for i in range(3):
    if i == 1:
        break
else:
    i

i
EOF2
	assert_success
	assert_output $'0\np 0\n1\np 1\n5\n3\n1'
	[ -z "$stderr" ]
}

@test "shell on a terminal: try/except goes on with '... ' through except and finally" {
	run pty_session 'try:' '    1/0' 'except ZeroDivisionError as e:' '    e' 'finally:' '    print("f")' ''
	assert_success
	assert_output --partial $'>>> try:\n...     1/0\n... except ZeroDivisionError as e:\n...     e\n... finally:\n...     print("f")\n... \nZeroDivisionError(\'division by zero\')\nf\n>>> '
}

@test "shell on a terminal: def goes on to a blank line; the body prints nothing, a call's value does" {
	run pty_session 'def f(x):' '    x' '    return x * 2' '' 'f(21)'
	assert_success
	assert_output --partial $'>>> def f(x):\n...     x\n...     return x * 2\n... \n>>> f(21)\n42\n>>> '
}
