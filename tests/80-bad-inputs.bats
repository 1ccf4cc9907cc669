#!/usr/bin/env bats
# 80: malformed command lines (issue 8): every case of tests/data/bad-inputs.tsv
# ends with SPEC 5's exit status and a clear error, never a crash, a hang or
# output on stdout.  The format of the table is at its top.  One test per
# block of 25 cases; a failure names the table line of every failing case.
load helpers

TABLE="$BATS_TEST_DIRNAME/data/bad-inputs.tsv"
BLOCK=25
MAXBLOCKS=34	# the @test blocks below: 34 * 25 = 850 cases at most

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP" /tmp/sockit-bad-never
}

# expand ARGV: the table's placeholders (100 kB words, 10**400).
expand() {
	local a=$1
	if [[ $a == *@100K@* ]]; then
		local big
		big=$(head -c 102400 /dev/zero | tr '\0' x)
		a=${a//@100K@/$big}
	fi
	if [[ $a == *@E400@* ]]; then
		local e400
		e400=1$(head -c 400 /dev/zero | tr '\0' 0)
		a=${a//@E400@/$e400}
	fi
	printf '%s' "$a"
}

# cases: prints "LINENO<TAB>line" for every case of the table.
cases() {
	awk '!/^#/ && NF { printf "%d\t%s\n", NR, $0 }' "$TABLE"
}

# check_case LINENO STATUS STDERR ARGV [STDIN]: runs one case; prints why it
# failed (nothing when it passed).
check_case() {
	local lineno=$1 want=$2 msg=$3 argv=$4 input=$5 rc first second last nl
	eval "set -- $(expand "$argv")"
	if [ -n "$input" ]; then
		printf '%b' "$input" | timeout -k 5 60 $SOCKIT_WRAP "$SOCKIT" "$@" >"$TMP/out" 2>"$TMP/err"
		rc=${PIPESTATUS[1]}
	else
		timeout -k 5 60 $SOCKIT_WRAP "$SOCKIT" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
		rc=$?
	fi
	# valgrind's own report lines (--track-fds lists inherited fds); its
	# errors still show as status 99
	if [ -n "${SOCKIT_WRAP:-}" ]; then
		grep -aEv '^==[0-9]+==' "$TMP/err" >"$TMP/err.vg" || true
		mv "$TMP/err.vg" "$TMP/err"
	fi
	local what="bad-inputs.tsv:$lineno: sockit ${argv:0:70}"
	if [ "$rc" -ge 124 ]; then
		echo "$what: killed or timed out (status $rc)"; head -c 600 "$TMP/err"; return
	fi
	[ "$rc" = "$want" ] || { echo "$what: status $rc, want $want: $(head -c 300 "$TMP/err")"; return; }
	[ ! -s "$TMP/out" ] || { echo "$what: wrote on stdout: $(head -c 200 "$TMP/out")"; return; }
	[ -s "$TMP/err" ] || { echo "$what: nothing on stderr"; return; }
	# bash builtins only: 1000 cases, so no head/sed/tail/grep per case
	local -a lines
	mapfile -t lines <"$TMP/err"
	nl=${#lines[@]}
	first=${lines[0]}; second=${lines[1]:-}; last=${lines[nl - 1]}
	[[ $first == "sockit: "* ]] || { echo "$what: first line does not start 'sockit: ': ${first:0:200}"; return; }
	if [[ $second == "usage: "* ]]; then
		[ "$want" = 2 ] || { echo "$what: usage error with status $rc"; return; }
	elif [[ $last =~ ^(SyntaxError|IndentationError|TabError):\  && $first == "sockit: <"* ]]; then
		:	# CPython's form: where, the line, a caret, SyntaxError (or
			# its subclasses IndentationError and TabError)
	elif [ "$nl" -ne 1 ]; then
		echo "$what: $nl lines on stderr, want exactly one:"; head -c 600 "$TMP/err"; return
	fi
	if [ "$msg" != - ] && [[ $(<"$TMP/err") != *"$msg"* ]]; then
		echo "$what: stderr lacks '$msg': ${first:0:200}"
	fi
}

# run_block N: the cases (N-1)*BLOCK+1 .. N*BLOCK; fails naming each bad one.
run_block() {
	local from=$(( ($1 - 1) * BLOCK + 1 )) to=$(( $1 * BLOCK )) k=0 fails=0 lineno line
	local want msg argv input rest report
	while IFS= read -r line; do
		lineno=${line%%$'\t'*}; line=${line#*$'\t'}
		k=$((k + 1))
		[ "$k" -ge "$from" ] || continue
		[ "$k" -le "$to" ] || break
		# split by hand: read with IFS=TAB would merge empty fields
		want=${line%%$'\t'*}; rest=${line#*$'\t'}
		msg=${rest%%$'\t'*}; rest=${rest#*$'\t'}
		argv=${rest%%$'\t'*}; input=
		[ "$argv" = "$rest" ] || input=${rest#*$'\t'}
		report=$(check_case "$lineno" "$want" "$msg" "$argv" "$input")
		if [ -n "$report" ]; then
			echo "$report"
			fails=$((fails + 1))
		fi
	done < <(cases)
	[ "$k" -ge "$from" ] || { echo "the table has fewer than $from cases: drop this @test block"; false; }
	[ "$fails" -eq 0 ]
}

@test "bad-inputs.tsv: 800 to $((MAXBLOCKS * BLOCK)) well-formed cases over every command" {
	local n cmds c
	n=$(cases | wc -l)
	[ "$n" -ge 800 ] || { echo "only $n cases"; false; }
	[ "$n" -le $((MAXBLOCKS * BLOCK)) ] || { echo "$n cases: add @test blocks to 80-bad-inputs.bats"; false; }
	# every line has 3 or 4 fields, a status 1-4 and a non-empty STDERR field
	run awk -F'\t' '!/^#/ && NF && (NF < 3 || NF > 4 || $1 !~ /^[1-4]$/ || $2 == "") { print NR": "$0 }' "$TABLE"
	assert_output ""
	cmds=$(cut -f3 "$TABLE" | grep -v '^#' | awk '{ print $1 }' | sort -u)
	for c in eval shell resolve connect listen echo sniff can-send fds-pass help htons getaddrinfo socket; do
		grep -qx -- "$c" <<<"$cmds" || { echo "no case for $c"; false; }
	done
}

@test "bad inputs 1-25" { run_block 1; }
@test "bad inputs 26-50" { run_block 2; }
@test "bad inputs 51-75" { run_block 3; }
@test "bad inputs 76-100" { run_block 4; }
@test "bad inputs 101-125" { run_block 5; }
@test "bad inputs 126-150" { run_block 6; }
@test "bad inputs 151-175" { run_block 7; }
@test "bad inputs 176-200" { run_block 8; }
@test "bad inputs 201-225" { run_block 9; }
@test "bad inputs 226-250" { run_block 10; }
@test "bad inputs 251-275" { run_block 11; }
@test "bad inputs 276-300" { run_block 12; }
@test "bad inputs 301-325" { run_block 13; }
@test "bad inputs 326-350" { run_block 14; }
@test "bad inputs 351-375" { run_block 15; }
@test "bad inputs 376-400" { run_block 16; }
@test "bad inputs 401-425" { run_block 17; }
@test "bad inputs 426-450" { run_block 18; }
@test "bad inputs 451-475" { run_block 19; }
@test "bad inputs 476-500" { run_block 20; }
@test "bad inputs 501-525" { run_block 21; }
@test "bad inputs 526-550" { run_block 22; }
@test "bad inputs 551-575" { run_block 23; }
@test "bad inputs 576-600" { run_block 24; }
@test "bad inputs 601-625" { run_block 25; }
@test "bad inputs 626-650" { run_block 26; }
@test "bad inputs 651-675" { run_block 27; }
@test "bad inputs 676-700" { run_block 28; }
@test "bad inputs 701-725" { run_block 29; }
@test "bad inputs 726-750" { run_block 30; }
@test "bad inputs 751-775" { run_block 31; }
@test "bad inputs 776-800" { run_block 32; }
@test "bad inputs 801-825" { run_block 33; }
@test "bad inputs 826-850" { run_block 34; }

@test "bad inputs: function-command statuses agree with CPython" {
	local funcs lineno line argv rest want
	funcs=" $("$SOCKIT" help | awk '/^Function commands/ { f = 1; next } /^$/ { f = 0 } f { print $1 }' | tr '\n' ' ') "
	declare -A want_of
	while IFS= read -r line; do
		lineno=${line%%$'\t'*}; line=${line#*$'\t'}
		want=${line%%$'\t'*}; rest=${line#*$'\t'}; rest=${rest#*$'\t'}
		argv=${rest%%$'\t'*}
		eval "set -- $(expand "$argv")"
		[ -n "${1:-}" ] && [[ $funcs == *" $1 "* ]] || continue
		# sockit's own: const, has_ipv6 (a command, not a constant), fds as
		# ints for send_fds/recv_fds, a repeated keyword (Python's SyntaxError)
		case $1 in const|has_ipv6|send_fds|recv_fds) continue ;; esac
		[[ $argv != *--family=*--family=* ]] || continue
		want_of[$lineno]=$want
		printf '%s\0%d\0' "$lineno" "$#"
		printf '%s\0' "$@"
	done < <(cases) >"$TMP/records"
	run "$PY" "$BATS_TEST_DIRNAME/tools/bad_inputs_ref.py" <"$TMP/records"
	assert_success
	local n=0 bad=0 st exc
	while read -r lineno st exc; do
		n=$((n + 1))
		[ "$st" != skip ] || continue
		want=${want_of[$lineno]}
		if [ "$st" != "$want" ]; then
			echo "bad-inputs.tsv:$lineno: table says $want, CPython gives $st ($exc)"
			bad=$((bad + 1))
		fi
	done <<<"$output"
	[ "$n" -ge 100 ] || { echo "only $n function-command cases checked"; false; }
	[ "$bad" -eq 0 ]
}

@test "bad inputs: regressions (negative fileno, 'host 1.2.3.4.5', eval -f without FILE)" {
	# socket(fileno=-5) and fileno 2**31 are ValueError in CPython, not EBADF
	run -2 sockit socket AF_INET SOCK_STREAM 0 -5
	assert_line --index 0 "sockit: ValueError: negative file descriptor"
	run -2 sockit socket --fileno=2147483648
	assert_line --index 0 "sockit: ValueError: negative file descriptor"
	run -1 sockit socket --fileno=99999
	assert_line --index 0 "sockit: OSError: [Errno 9] Bad file descriptor"
	# a fifth part is not silently dropped: "host 1.2.3.4.5" is no host
	run -2 sockit sniff --dump-bpf --filter 'host 1.2.3.4.5'
	assert_line --index 0 "sockit: ValueError: filter: unknown host at '1.2.3.4.5'"
	run -2 sockit sniff --dump-bpf --filter 'host 1.2.3.4.'
	run -0 sockit sniff --dump-bpf --filter 'host 1.2.3.4'
	run -0 sockit sniff --dump-bpf --filter 'net 10.1'
	# "-f" with nothing after it never reads a file named "--"
	run -2 sockit eval -f
	assert_line --index 0 "sockit: eval: option '-f' needs an argument"
	run -0 sockit eval -- '-1 + 3'
	assert_line --index 0 "2"
}
