#!/usr/bin/env bats
# 03: the one option engine (src/front/opt.c) and the one exit path
# (src/front/main.c), on every command of the table: --help and -h, a bad
# option, a bad value, a missing argument (SPEC 5: three lines, status 2),
# the abbreviation rule, and stdout checked on every path (/dev/full, a
# reader that leaves).
load helpers

setup() { setup_bg; }
teardown() { teardown_bg; }

# The commands of the table, one per line.
all_commands() {
	sockit __synopsis | awk '{ print $2 }'
}

# stderr_run ARGS...: runs sockit; output and lines are its stderr.
stderr_run() {
	run --separate-stderr sockit "$@"
	output=$stderr
	lines=("${stderr_lines[@]}")
}

# three_lines CMD: $output (stderr) is SPEC 5's three lines, status 2.
three_lines() {
	local cmd=$1
	[ "$status" = 2 ] || { echo "$cmd: status $status, want 2"; return 1; }
	[ "${#lines[@]}" = 3 ] || { echo "$cmd: ${#lines[@]} lines, want 3:"; printf '%s\n' "${lines[@]}"; return 1; }
	[[ ${lines[0]} == "sockit: $cmd: "* ]] || { echo "$cmd: first line: ${lines[0]}"; return 1; }
	[[ ${lines[1]} == "usage: sockit [GLOBAL OPTIONS] $cmd"* ]] || { echo "$cmd: second line: ${lines[1]}"; return 1; }
	[ "${lines[2]}" = "Try 'sockit help $cmd' for the options." ] || { echo "$cmd: third line: ${lines[2]}"; return 1; }
}

@test "every command: --help and -h print its usage on stdout, status 0" {
	local c
	for c in $(all_commands); do
		for h in --help -h; do
			run --separate-stderr sockit "$c" "$h"
			[ "$status" = 0 ] || { echo "$c $h: status $status: $stderr"; return 1; }
			[[ ${lines[0]} == "usage: sockit [GLOBAL OPTIONS] $c"* ]] || { echo "$c $h: ${lines[0]}"; return 1; }
			[ -z "$stderr" ]
		done
	done
}

@test "every command: an unknown option is a usage error in three lines" {
	local c
	for c in $(all_commands); do
		stderr_run "$c" --no-such-option
		three_lines "$c"
		[[ ${lines[0]} == *"unknown option '--no-such-option'"* ]] || { echo "$c: ${lines[0]}"; return 1; }
	done
}

@test "every command: a bad value and a missing argument are usage errors in three lines" {
	local c
	for c in $(all_commands); do
		stderr_run "$c" --format=yaml
		three_lines "$c"
		[[ ${lines[0]} == *"option --format: unknown format 'yaml' (py, json or raw)" ]] || { echo "$c: ${lines[0]}"; return 1; }
		stderr_run "$c" --timeout
		three_lines "$c"
		[[ ${lines[0]} == *"needs an argument"* ]] || { echo "$c: ${lines[0]}"; return 1; }
	done
}

@test "task commands: a bad value of their own options is a usage error naming the option as given" {
	local c
	for c in "connect --recv=x 127.0.0.1:1|option --recv: expected an integer" \
	    "listen --backlog -5 127.0.0.1:0|option --backlog: expected an integer from 0" \
	    "listen --keep-open=1 127.0.0.1:0|option '--keep-open' takes no argument" \
	    "listen --keep=1 127.0.0.1:0|option '--keep-open' takes no argument" \
	    "echo --idle-timeout=0 127.0.0.1:0|option --idle-timeout: must be more than 0" \
	    "echo --idle=abc 127.0.0.1:0|option --idle: not a number: 'abc'" \
	    "sniff -c 0|option -c: expected an integer from 1" \
	    "sniff --count=0|option --count: expected an integer from 1" \
	    "resolve --type=NOPE localhost|option --type: expected a constant name or a number" \
	    "fds-pass --mode=9 recv --listen unix:/tmp/x|option --mode: expected an octal mode" \
	    "can-send --interval=-1 vcan0 123#00|option --interval: must be from 0 to 86400000" \
	    "eval --file|option '--file' needs an argument" \
	    "listen -k|option '-k'"; do
		local cmd=${c%% *}
		eval "set -- ${c%%|*}"
		stderr_run "$@"
		if [ "$cmd" = listen ] && [ "$*" = "listen -k" ]; then
			three_lines listen
			[[ ${lines[0]} == *"missing ADDRESS"* ]]
			continue
		fi
		three_lines "$cmd"
		[[ ${lines[0]} == *"${c#*|}"* ]] || { echo "for: ${c%%|*}"; echo "got: ${lines[0]}"; return 1; }
	done
}

@test "declared conflicts, needs and subcommands are usage errors" {
	local c
	for c in "sniff --filter tcp --bpf 6,40 0 0 0|--filter cannot be used with --bpf" \
	    "sniff --read x.pcap -i lo|--read cannot be used with -i" \
	    "sniff --promisc|--promisc needs -i (--interface)" \
	    "connect -z --send x 127.0.0.1:1|-z cannot be used with --send" \
	    "can-send --bcm --interval 5 --j1939 1:2:3 vcan0 11|--bcm cannot be used with --j1939" \
	    "fds-pass send --wait --at 3 unix:/tmp/x 0|option --at does not apply to send"; do
		local cmd=${c%% *}
		eval "set -- ${c%%|*}"
		stderr_run "$@"
		three_lines "$cmd"
		[[ ${lines[0]} == *"${c#*|}"* ]] || { echo "for: ${c%%|*}"; echo "got: ${lines[0]}"; return 1; }
	done
}

@test "one abbreviation rule everywhere: unique prefixes, ambiguous ones named" {
	# global options before the command, after it, and task options
	run sockit --js htons 1
	assert_success
	assert_output 256
	run sockit htons --js 1
	assert_success
	assert_output 256
	run sockit getaddrinfo 127.0.0.1 80 --ty SOCK_STREAM --fam=AF_INET
	assert_success
	assert_output "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('127.0.0.1', 80))]"
	# dashed keyword names, and --kw VALUE
	run sockit create_connection 127.0.0.1:1 --all-errors True
	assert_failure
	stderr_run connect --s x 127.0.0.1:1
	three_lines connect
	assert_line --index 0 "sockit: connect: option '--s' is ambiguous (--send-only, --send, --source)"
	# a keyword that names no parameter is CPython's TypeError, not a usage error
	run sockit htons --foo=1 80
	assert_failure 2
	assert_output "sockit: TypeError: htons() takes no keyword arguments"
	# words that look like negative numbers are arguments
	run sockit htons -1
	assert_failure 2
	assert_output --partial "OverflowError"
}

@test "a bad global option says unknown option, not unknown command" {
	run --separate-stderr sockit --bogus htons 1
	[ "$status" = 2 ]
	[ "${stderr_lines[0]}" = "sockit: unknown option '--bogus'" ]
	[ "${stderr_lines[1]}" = "usage: sockit [GLOBAL OPTIONS] COMMAND [ARGUMENTS] [OPTIONS]" ]
	[ "${#stderr_lines[@]}" = 3 ]
	run --separate-stderr sockit -j --bogus htons 1
	[ "$status" = 2 ]
	local want='{"exception": "usage", "command": null, "message": "unknown option '"'--bogus'"'"'
	[[ $stderr == "$want"* ]]
}

@test "usage errors are one JSON object with -j" {
	run --separate-stderr sockit -j connect
	[ "$status" = 2 ]
	[ "$stderr" = '{"exception": "usage", "command": "connect", "message": "missing ADDRESS", "usage": "sockit [GLOBAL OPTIONS] connect [OPTIONS] ADDRESS"}' ]
	echo "$stderr" | /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)'
}

@test "nc and tcpdump habits get a hint" {
	run --separate-stderr sockit listen 8080
	[ "$status" = 2 ]
	[ "${stderr_lines[0]}" = "sockit: listen: '8080' is not an ADDRESS; did you mean ':8080'?" ]
	run --separate-stderr sockit connect localhost 80
	[ "$status" = 2 ]
	[ "${stderr_lines[0]}" = "sockit: connect: one ADDRESS expected; did you mean 'localhost:80'?" ]
}

@test "stdout is checked on every path: help, version, synopsis, completion, results" {
	local c
	for c in "--help" "-V" "--version" "help" "help connect" "connect -h" "connect --help" \
	    "htons -h" "__synopsis" "__synopsis connect" "__complete conn" "htons 80" "const SO_*" \
	    "-j getaddrinfo 127.0.0.1 80" "eval 1" "resolve 127.0.0.1"; do
		run --separate-stderr bash -c "'$SOCKIT' $c >/dev/full"
		[ "$status" = 1 ] || { echo "sockit $c >/dev/full: status $status"; return 1; }
		[[ $stderr == *"No space left on device"* ]] || { echo "sockit $c: $stderr"; return 1; }
	done
}

@test "a reader that leaves: the command cleans up, then ends by SIGPIPE" {
	local i st
	# (set -e is on in tests: keep the status without ending the group)
	( { st=0; sockit listen -k "unix-dgram:$TMP/x.sock" 2>"$TMP/err" || st=$?; echo "$st" >"$TMP/st"; } |
	    head -c1 >"$TMP/out" ) &
	PIDS+=($!)
	wait_for_line "$TMP/err" "x.sock" 10
	[ -S "$TMP/x.sock" ]
	for i in $(seq 1 50); do
		[ -s "$TMP/st" ] && break
		/usr/bin/python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"hello", sys.argv[1])' "$TMP/x.sock" 2>/dev/null || true
		sleep 0.1
	done
	wait_is 0 "${PIDS[0]}"
	PIDS=()
	[ "$(cat "$TMP/st")" = 141 ]
	[ ! -e "$TMP/x.sock" ]
	[ "$(cat "$TMP/out")" = "(" ]
}

@test "help, version and the table's commands through the engine" {
	run sockit -V
	assert_success
	assert_output --regexp '^sockit [0-9]+\.[0-9]+'
	run sockit help nosuch
	assert_failure 2
	assert_line --index 0 "sockit: help: unknown command 'nosuch'"
	run sockit -- htons 1
	assert_success
	assert_output 256
}

# peer_server BANNER: a TCP server on 127.0.0.1 (port in $TMP/port) that
# sends BANNER (backslash escapes) and writes the repr of what it then reads up
# to EOF in $TMP/got; its pid in PIDS.
peer_server() {
	: >"$TMP/port"
	/usr/bin/python3 - "$TMP/port" "$1" >"$TMP/got" <<'PY' &
import socket, sys
l = socket.create_server(("127.0.0.1", 0))
open(sys.argv[1], "w").write(str(l.getsockname()[1]))
l.settimeout(10)
c, _ = l.accept()
c.settimeout(10)
c.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
data = b"".join(iter(lambda: c.recv(100), b""))	# up to EOF
print(repr(data))
PY
	PIDS+=($!)
	local i
	for i in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
}

@test "closed standard descriptors are /dev/null, never a socket (issue 13 D4)" {
	# (the suite may hold fds above 2 open: only 0, 1 and 2 are ruled out)
	run bash -c "'$SOCKIT' eval 'socket().fileno()' <&- 2>&-"
	assert_success
	[ "$output" -ge 3 ]
	run bash -c "'$SOCKIT' eval 'socket().fileno()' 0<&- 1>&2"
	assert_success
	[ "$output" -ge 3 ]
	# a banner from the peer is not sent back to it when stdin is closed
	peer_server 'banner\n'
	run bash -c "'$SOCKIT' connect 127.0.0.1:$(cat "$TMP/port") <&-"
	assert_success
	assert_output banner
	wait_is 0 "${PIDS[0]}"
	PIDS=()
	[ "$(cat "$TMP/got")" = "b''" ]
	# nor is --print's repr when stderr is closed (issue 17 item 3)
	peer_server ''
	run bash -c "'$SOCKIT' connect --print 127.0.0.1:$(cat "$TMP/port") </dev/null 2>&-"
	assert_success
	wait_is 0 "${PIDS[0]}"
	PIDS=()
	[ "$(cat "$TMP/got")" = "b''" ]
}
