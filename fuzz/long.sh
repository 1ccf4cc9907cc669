#!/bin/sh
# fuzz/long.sh NAME RUNS [SECONDS]: a long run of fuzz/bin/fuzz_NAME in one
# process (no fork mode), until RUNS executions in all or SECONDS (default
# 7200) have passed, in tests/sandbox.sh's namespaces as in make fuzz
# (network with only lo, a UTS namespace of its own).  Work in
# fuzz/out/NAME/long (the corpus grows there, seeded from fuzz/corpus/NAME
# and fuzz/out/NAME/corpus).
#
# A run that stops on a timeout or out-of-memory input (eval: a program
# whose value is huge or slow to print, as in CPython) is counted, its input
# kept as slow-N, and the run goes on from the same corpus; any other stop
# (a crash, a leak, a sanitizer report) ends the script with status 1.
# Prints the executions, the restarts and the time; gives up after 100
# slow inputs.
set -u
name=$1 want=$2 limit=${3:-7200}
bin=fuzz/bin/fuzz_$name
work=fuzz/out/$name/long
[ -x "$bin" ] || { echo "long.sh: build $bin first (make $bin)" >&2; exit 2; }
mkdir -p "$work/corpus"
cp fuzz/corpus/"$name"/* fuzz/out/"$name"/corpus/* "$work/corpus/" 2>/dev/null
done_runs=0 slow=0 start=$(date +%s)
while [ "$done_runs" -lt "$want" ]; do
	left=$(( limit - ($(date +%s) - start) ))
	[ "$left" -gt 0 ] || break
	# fuzz_NAME.options first, so that the flags here win (-fork=0)
	tests/sandbox.sh "$bin" $(cat fuzz/fuzz_"$name".options 2>/dev/null) -fork=0 \
	    -runs=$(( want - done_runs )) -max_total_time="$left" -timeout=5 \
	    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" \
	    "$work/corpus" >"$work/log" 2>&1
	st=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
	done_runs=$(( done_runs + ${n:-0} ))
	[ "$st" -eq 0 ] && continue
	if grep -Eq 'ERROR: libFuzzer: (timeout|out-of-memory)' "$work/log"; then
		slow=$(( slow + 1 ))
		[ "$slow" -le 100 ] || { echo "long.sh: $name: over 100 slow inputs" >&2; exit 1; }
		for f in "$work"/timeout-* "$work"/oom-*; do
			[ -e "$f" ] && mv "$f" "$work/slow-$slow"
		done
		continue
	fi
	tail -n 40 "$work/log"
	echo "long.sh: $name stopped on a finding after $done_runs executions (see $work)" >&2
	exit 1
done
echo "$name: $done_runs executions, $slow slow inputs skipped, $(( $(date +%s) - start )) s"
