#!/usr/bin/env bash
# run-suite.sh [BATS ARGS...]: runs bats over tests/ in TAP form, keeps the
# TAP stream in $SUITE_LOG (default build/suite.tap) and ends with one
# summary line, "bats: N passed, N failed, N skipped", then bats' status.
set -u
cd "$(dirname "$0")/.."
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
