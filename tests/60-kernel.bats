#!/usr/bin/env bats
# 60: the kernel lab.  One boot of Debian's kernel under qemu runs every
# guest test (tests/kernel/guest/*.sh) for the socket families this
# machine's kernel lacks (CAN, ALG, TIPC, RDS, QRTR, SCTP, VSOCK,
# Bluetooth); each
# bats test below reports one guest test from that boot's results.
# Skipped when qemu or a Debian kernel is not installed.
load helpers

setup_file() {
	local kdir=$BATS_TEST_DIRNAME/kernel
	export KLAB_RESULTS=$BATS_FILE_TMPDIR/results
	if ! command -v qemu-system-x86_64 >/dev/null || ! ls /boot/vmlinuz-* >/dev/null 2>&1 ||
	    [ ! -x /bin/busybox ]; then
		export KLAB_SKIP="qemu-system-x86, linux-image-amd64 or busybox-static not installed"
		return 0
	fi
	"$kdir/run.sh" -o "$KLAB_RESULTS" >"$BATS_FILE_TMPDIR/lab.out" 2>&1 || true
	export KLAB_SUMMARY=$(tail -n 3 "$BATS_FILE_TMPDIR/lab.out")
}

# guest NAME: passes when the boot's guest test NAME passed.
guest() {
	[ -z "${KLAB_SKIP:-}" ] || skip "$KLAB_SKIP"
	[ -s "$KLAB_RESULTS" ] || { cat "$BATS_FILE_TMPDIR/lab.out"; return 1; }
	local line
	line=$(grep -E "^(ok|not ok|skip) $1\$" "$KLAB_RESULTS") ||
		{ echo "no result for $1"; cat "$BATS_FILE_TMPDIR/lab.out"; return 1; }
	case $line in
	ok*) return 0 ;;
	skip*) skip "$(tail -n 1 "$KLAB_RESULTS.d/$1.log")" ;;
	esac
	cat "$KLAB_RESULTS.d/$1.log"
	return 1
}

@test "kernel lab: boots, every guest test reports" {
	[ -z "${KLAB_SKIP:-}" ] || skip "$KLAB_SKIP"
	echo "$KLAB_SUMMARY"
	grep -q "^# kernel lab: " "$BATS_FILE_TMPDIR/lab.out" || { cat "$BATS_FILE_TMPDIR/lab.out"; return 1; }
	# every guest test has its bats test in this file
	for t in "$BATS_TEST_DIRNAME"/kernel/guest/*.sh; do
		n=$(basename "$t" .sh)
		grep -q "^@test \"guest $n\"" "$BATS_TEST_FILENAME" || { echo "no bats test for $n"; return 1; }
	done
}

@test "guest 00-lab" { guest 00-lab; }
@test "guest 10-can-raw" { guest 10-can-raw; }
@test "guest 11-can-stdin" { guest 11-can-stdin; }
@test "guest 12-can-errors" { guest 12-can-errors; }
@test "guest 13-can-bcm" { guest 13-can-bcm; }
@test "guest 14-can-isotp" { guest 14-can-isotp; }
@test "guest 15-can-j1939" { guest 15-can-j1939; }
@test "guest 16-can-utils" { guest 16-can-utils; }
@test "guest 17-can-pcap" { guest 17-can-pcap; }
@test "guest 18-can-sigusr1" { guest 18-can-sigusr1; }
@test "guest 20-alg" { guest 20-alg; }
@test "guest 21-tipc" { guest 21-tipc; }
@test "guest 22-sctp" { guest 22-sctp; }
@test "guest 23-vsock" { guest 23-vsock; }
@test "guest 24-rds" { guest 24-rds; }
@test "guest 25-qrtr" { guest 25-qrtr; }
@test "guest 26-udplite" { guest 26-udplite; }
@test "guest 27-bluetooth" { guest 27-bluetooth; }
