# helpers.bash - shared by every tests/*.bats file.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${SOCKIT:=$BATS_TEST_DIRNAME/../sockit}"
ORACLE="$BATS_TEST_DIRNAME/oracle.py"
PY=${PYTHON:-/usr/bin/python3}	# Debian's 3.11.2, the reference (never the pyenv on PATH)

# sockit ARGS...: runs the binary under test (SOCKIT_WRAP adds valgrind & co.)
sockit() {
	$SOCKIT_WRAP "$SOCKIT" "$@"
}

# under_asan: the binary under test is built with AddressSanitizer (make
# asan), which valgrind cannot run and LeakSanitizer checks under no ptrace.
under_asan() {
	grep -qa __asan_init "$SOCKIT"
}

# under_tsan: the binary under test is built with ThreadSanitizer (make
# tsan), which runs a signal's handler only when the thread next enters an
# intercepted call: inside glibc's resolver, only once the lookup is over.
under_tsan() {
	grep -qa __tsan_init "$SOCKIT"
}

# light: true under valgrind (SOCKIT_WRAP) or with a sanitizer build, where
# load tests scale their counts and sizes down.
light() {
	[ -n "${SOCKIT_WRAP:-}" ] || under_asan || under_tsan
}

# setup_bg: a fresh directory TMP (short: a sun_path holds 107 bytes) and an
# empty PIDS, the background processes a test starts.  teardown_bg kills
# and reaps them (SIGTERM, then SIGKILL after 10 s) and removes TMP.
setup_bg() {
	TMP=$(mktemp -d /tmp/sockit-t.XXXXXX)
	PIDS=()
}

teardown_bg() {
	local p i
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		# bounded: what ignores SIGTERM for 10 s is killed
		for i in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}

# wait_is STATUS PID: waits for PID (a child of this shell) and checks its
# exit status (`run wait` cannot: it runs in a subshell).
wait_is() {
	local st=0 i
	for ((i = 0; i < 1000; i++)); do	# 20 s at most
		running "$2" || break
		sleep 0.02
	done
	if running "$2"; then
		kill -KILL "$2"
		wait "$2"
		echo "pid $2 still running after 20 s, want status $1"
		return 1
	fi
	wait "$2" || st=$?
	[ "$st" = "$1" ] || { echo "pid $2 ended with status $st, want $1"; return 1; }
}

# running PID: whether PID is alive (not a zombie waiting for its wait).
running() {
	local st
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# sighup_ignored: whether this shell was started with SIGHUP ignored (a
# suite run under nohup): its children keep it ignored, as sockit must.
sighup_ignored() {
	local mask
	mask=$(sed -n 's/^SigIgn:\t*//p' "/proc/$$/status")
	(( (16#$mask & 1) != 0 ))
}

# fdcount PID: how many descriptors PID holds.
fdcount() { ls "/proc/$1/fd" | wc -l; }

# wait_for_line FILE REGEX [SECONDS]: waits until FILE has a line matching
# REGEX (servers print their bound address on stderr); fails after SECONDS.
wait_for_line() {
	local file=$1 re=$2 deadline=$(( $(date +%s) + ${3:-10} ))
	while ! grep -Eq "$re" "$file" 2>/dev/null; do
		[ "$(date +%s)" -lt "$deadline" ] || { echo "timeout waiting for /$re/ in $file:" >&2; cat "$file" >&2; return 1; }
		sleep 0.02
	done
}

# bound_port FILE: the port of the first "('host', port" address in FILE.
bound_port() {
	grep -Eo "[0-9]+\)" "$1" | head -n1 | tr -d ')'
}

# server_bg RE ARGS...: sockit ARGS (a server: listen, echo ...) in the
# background with stderr to $TMP/l.err, emptied first so that no earlier
# server's address counts; waits for a line matching RE there (the bound
# address) and sets PORT from it.  The child has the caller's stdin and
# stdout: redirect the call (`server_bg RE listen ... </dev/null >l.out`);
# stdin is passed on explicitly, or bash would give a background job
# /dev/null instead.
server_bg() {
	local re=$1
	shift
	: >"$TMP/l.err"
	$SOCKIT_WRAP "$SOCKIT" "$@" <&0 2>"$TMP/l.err" &
	PIDS+=($!)
	wait_for_line "$TMP/l.err" "$re" 10
	PORT=$(bound_port "$TMP/l.err")
}

# full_backlog_bg: a listener on 127.0.0.1 whose backlog is full, so that
# the kernel drops further SYNs and a connect to it hangs (for connect
# timeouts, with no traffic off loopback); BPORT is its port.
full_backlog_bg() {
	"$PY" -c '
import socket, time
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(0)
cs = []
for i in range(3):
    c = socket.socket(); c.setblocking(False)
    c.connect_ex(l.getsockname()); cs.append(c)
print(l.getsockname()[1], flush=True)
time.sleep(20)
' >"$TMP/backlog.out" &
	PIDS+=($!)
	wait_for_line "$TMP/backlog.out" '^[0-9]+$' 10
	BPORT=$(head -n1 "$TMP/backlog.out")
}

# run_oracle CASEFILE...: checks cases against CPython in every format.
run_oracle() {
	run "$PY" "$ORACLE" --sockit "$SOCKIT" "$@"
	echo "$output" | grep -v '^ok' | tail -n 40
	assert_success
}
