#!/usr/bin/env bash
# run-suite.sh [BATS ARGS...]: runs bats over tests/ in TAP form, keeps the
# TAP stream in $SUITE_LOG (default build/suite.tap) and ends with one
# summary line, "bats: N passed, N failed, N skipped", then bats' status.
# The whole suite runs in tests/sandbox.sh's namespaces (network with only
# lo, UTS, private resolver files): nothing a test does leaves the machine
# or changes it; tests/04-sandbox.bats checks that.
set -u
cd "$(dirname "$0")/.."
[ "${1:-}" = --in-sandbox ] || exec tests/sandbox.sh tests/run-suite.sh --in-sandbox "$@"
shift
log=${SUITE_LOG:-build/suite.tap}
mkdir -p "$(dirname "$log")"
bats --formatter tap "$@" tests/ | tee "$log"
status=${PIPESTATUS[0]}
awk '
	/^ok .* # skip/ { skipped++; next }
	/^ok /          { passed++; next }
	/^not ok /      { failed++ }
	END { printf "bats: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
exit "$status"
