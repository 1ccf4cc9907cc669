#!/usr/bin/env bats
# 00: command line, help, version, the command table.
load helpers

@test "--version prints the version" {
	run sockit --version
	assert_success
	assert_output "sockit $(cat "$BATS_TEST_DIRNAME/../VERSION")"
}

@test "no command: usage on stderr, exit 2" {
	run sockit
	assert_failure 2
	assert_output --partial "usage: sockit"
}

@test "unknown command: one error line and usage, exit 2" {
	run --separate-stderr sockit frobnicate
	assert_failure 2
	assert_equal "$output" ""
	[[ "${stderr_lines[0]}" == "sockit: unknown command 'frobnicate'"* ]]
	[[ "${stderr_lines[1]}" == usage:* ]]
}

@test "help lists every command of the table" {
	run sockit help
	assert_success
	while read -r line; do
		cmd=${line#sockit }; cmd=${cmd%% *}
		assert_output --partial "  $cmd "
	done < <(sockit __synopsis)
}

@test "help COMMAND, COMMAND --help and COMMAND -h agree" {
	for cmd in htons getaddrinfo const; do
		a=$(sockit help $cmd); b=$(sockit $cmd --help); c=$(sockit $cmd -h)
		[ "$a" = "$b" ] && [ "$a" = "$c" ]
		[[ "$a" == "usage: sockit [GLOBAL OPTIONS] $cmd"* ]]
	done
}

@test "help of an unknown command is a usage error" {
	run sockit help nope
	assert_failure 2
	assert_output --partial "unknown command 'nope'"
}

@test "bad --format value is a usage error" {
	run sockit --format=yaml htons 1
	assert_failure 2
	assert_output --partial "unknown format 'yaml'"
}

@test "global options are accepted after the command too" {
	run sockit const SOCK_STREAM -j
	assert_success
	assert_output "1"
	run sockit const SOCK_STREAM --format raw
	assert_output "1"
	run sockit --format=json const SOCK_STREAM
	assert_output "1"
}

@test "keyword argument spelled twice is a usage error" {
	run sockit const --x=1 --x=2
	assert_failure 2
	assert_output --partial "keyword argument repeated"
}

@test "unknown --option on a function command is a usage error" {
	run sockit htons --bogus
	assert_failure 2
	assert_output --partial "unknown option '--bogus'"
}

@test "a write error on stdout is reported, exit 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	run sh -c "'$SOCKIT' const '*' >/dev/full"
	assert_failure 1
	assert_output --partial "No space left on device"
}

@test "a closed pipe on stdout ends quietly, as by SIGPIPE" {
	# the reader is gone before sockit writes: deterministic EPIPE
	run "$PY" -c 'import os, subprocess, sys
r, w = os.pipe(); os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, repr(p.stderr))' $SOCKIT_WRAP "$SOCKIT" const 'SOCK_*'
	assert_output "-13 b''"
}

@test "__complete: command names, options, formats, constants" {
	run sockit __complete get
	assert_line getaddrinfo
	assert_line gethostbyname
	run sockit __complete getaddrinfo --fa
	assert_output "--family="
	run sockit __complete -f j
	assert_output json
	run sockit __complete getaddrinfo localhost 80 SOCK_ST
	assert_output SOCK_STREAM
}
