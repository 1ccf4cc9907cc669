#!/bin/sh
# run.sh - the kernel lab: boots Debian's kernel under qemu (TCG) with an
# initramfs holding static busybox, the CAN/ALG/TIPC/RDS/QRTR/SCTP/VSOCK
# modules, a static sockit and the guest tests (tests/kernel/guest/*.sh),
# runs them in one boot and prints one result line per guest test.  The
# host's root is mounted read-only at /host over 9p (CPython, the reference
# for the Bluetooth test); btvirt gives it two Bluetooth radios.
# See /work/shared/notes/kernel-lab.md for the recipe.
#
# usage: tests/kernel/run.sh [-o RESULTS] [-k] [-s SCRIPT]... [TEST...]
#   -o RESULTS  also write "ok|not ok|skip NAME" lines to RESULTS, and each
#               test's output to RESULTS.d/NAME.log
#   -s SCRIPT   run SCRIPT (a guest shell script) instead of the tests; its
#               output is printed as it comes (bench/can.sh uses this)
#   -k          keep the console log (KLAB_DIR/console.log) and print it
#   TEST        run only the guest tests whose names contain TEST
# Environment: KLAB_DIR (cache and work dir, default build/kernel),
#   SOCKIT_STATIC (a static sockit to use instead of building one),
#   KVER (kernel version, default the newest in /boot), KLAB_TIMEOUT
#   (seconds for the whole boot, default 150), KLAB_TEST_TIMEOUT (seconds
#   for each guest test, default 60), KLAB_MEM (MB, default 512).
# Exit: 0 all passed, 1 a guest test failed, 2 a lab problem (no qemu or
# kernel, no result marker: timeout or guest crash).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KB=${KLAB_DIR:-$ROOT/build/kernel}
TIMEOUT=${KLAB_TIMEOUT:-150}
MEM=${KLAB_MEM:-512}
results= keep=0 script=

die() { echo "kernel-lab: $*" >&2; exit 2; }

while getopts o:ks: opt; do
	case $opt in
	o) results=$OPTARG ;;
	k) keep=1 ;;
	s) script=$OPTARG ;;
	*) die "usage: $0 [-o RESULTS] [-k] [-s SCRIPT] [TEST...]" ;;
	esac
done
shift $((OPTIND - 1))

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not installed"
[ -x /bin/busybox ] || die "static busybox not installed (busybox-static)"
command -v cpio >/dev/null || die "cpio not installed"
command -v depmod >/dev/null || die "depmod not installed (kmod)"

# The kernel: KVER, or the newest /boot/vmlinuz-* with its modules.
if [ -z "${KVER:-}" ]; then
	for k in $(ls /boot/vmlinuz-* 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V); do
		[ -f "/lib/modules/$k/modules.dep" ] && KVER=$k
	done
fi
[ -n "${KVER:-}" ] && [ -f "/boot/vmlinuz-$KVER" ] || die "no kernel in /boot (linux-image-amd64)"
MODDIR=/lib/modules/$KVER
mkdir -p "$KB"

# unpack_vmlinux: the bzImage's xz payload as an ELF vmlinux with a PVH
# entry (boots in about half the time), cached; prints the kernel to boot.
unpack_vmlinux() {
	v=$KB/vmlinux-$KVER
	if [ ! -s "$v" ]; then
		off=$(LC_ALL=C grep -obUaP '\xfd\x37\x7a\x58\x5a\x00' "/boot/vmlinuz-$KVER" | head -n1 | cut -d: -f1)
		if [ -n "$off" ]; then
			tail -c +$((off + 1)) "/boot/vmlinuz-$KVER" | xz -dc --single-stream >"$v.tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$v.tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
				mv "$v.tmp" "$v"
			fi
			rm -f "$v.tmp"
		fi
	fi
	if [ -s "$v" ]; then echo "$v"; else echo "/boot/vmlinuz-$KVER"; fi
}

# The static sockit for the guest.
if [ -z "${SOCKIT_STATIC:-}" ]; then
	make -s -j"$(nproc)" -C "$ROOT" BUILD="$KB/obj" BIN="$KB/sockit" LDFLAGS=-static >"$KB/make.log" 2>&1 ||
		{ cat "$KB/make.log" >&2; die "static build of sockit failed"; }
	SOCKIT_STATIC=$KB/sockit
fi
[ -x "$SOCKIT_STATIC" ] || die "no static sockit at $SOCKIT_STATIC"

# copy_with_libs FILE DESTROOT: copies a host executable and, when it is
# dynamic, the shared libraries ldd names (can-utils in the guest).
copy_with_libs() {
	cp "$1" "$2/bin/"
	ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		mkdir -p "$2$(dirname "$lib")"
		[ -e "$2$lib" ] || cp -L "$lib" "$2$lib"
	done
}

# build_root: the initramfs tree in $KB/root.
build_root() {
	R=$KB/root
	rm -rf "$R"
	mkdir -p "$R/bin" "$R/sbin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/host" \
		"$R/tests" "$R/etc" "$R/lib/modules/$KVER" "$R/usr/bin" "$R/usr/sbin"
	cp /bin/busybox "$R/bin/busybox"
	for a in $("$R/bin/busybox" --list-full); do
		[ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"
	done
	strip -o "$R/bin/sockit" "$SOCKIT_STATIC" 2>/dev/null || cp "$SOCKIT_STATIC" "$R/bin/sockit"
	for t in cansend candump cangen isotprecv isotpsend testj1939 btvirt; do
		p=$(command -v $t 2>/dev/null) && copy_with_libs "$p" "$R"
	done
	mods="vcan can can-raw can-bcm can-isotp can-j1939 can-gw af_alg algif_hash
		algif_skcipher crc32c_generic libcrc32c sctp tipc rds rds_tcp vsock
		vmw_vsock_virtio_transport_common vsock_loopback qrtr
		bluetooth hci_vhci rfcomm ecb cmac virtio_pci 9pnet_virtio 9p"
	for m in $mods; do
		line=$(grep -E "/$m\.ko(\.xz)?:" "$MODDIR/modules.dep" | head -n1) ||
			die "module $m not in $MODDIR/modules.dep"
		for f in $(echo "$line" | tr -d ':'); do
			mkdir -p "$R/lib/modules/$KVER/$(dirname "$f")"
			cp "$MODDIR/$f" "$R/lib/modules/$KVER/$f"
		done
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -f "$MODDIR/$f" ] && cp "$MODDIR/$f" "$R/lib/modules/$KVER/"
	done
	depmod -b "$R" "$KVER"
	echo "$mods" | tr -s ' \t\n' ' ' >"$R/etc/modules"
	cp "$HERE/init.sh" "$R/init"
	cp "$HERE/guest-lib.sh" "$R/tests/lib"
	chmod 755 "$R/init"
	echo "${KLAB_TEST_TIMEOUT:-60}" >"$R/tests/timeout"
	if [ -n "$script" ]; then
		cp "$script" "$R/tests/script"
		echo $((TIMEOUT - 15)) >"$R/tests/timeout"
		: >"$R/tests/list"
	else
		for t in "$HERE"/guest/*.sh; do
			n=$(basename "$t" .sh)
			if [ $# -gt 0 ]; then
				sel=0
				for pat in "$@"; do
					case $n in *"$pat"*) sel=1 ;; esac
				done
				[ $sel = 1 ] || continue
			fi
			cp "$t" "$R/tests/$n.sh"
			echo "$n" >>"$R/tests/list"
		done
		[ -f "$R/tests/list" ] || die "no guest test matches: $*"
	fi
	(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$KB/initramfs.cpio.gz"
}

KERNEL=$(unpack_vmlinux)
build_root "$@"

log=$KB/console.log
t0=$(date +%s.%N)
set +e
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m "$MEM" -smp 1 \
	-kernel "$KERNEL" -initrd "$KB/initramfs.cpio.gz" \
	-append 'console=ttyS0 panic=-1 quiet' -nographic -no-reboot -nic none \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	</dev/null >"$log" 2>&1
qrc=$?
set -e
t1=$(date +%s.%N)
tr -d '\r' <"$log" >"$log.txt"
secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')

[ $keep = 1 ] && cat "$log.txt"
if [ -n "$script" ]; then
	sed -n 's/^@@out script //p' "$log.txt"
	grep -q '^@@end' "$log.txt" || die "no end marker (qemu status $qrc, ${secs}s); see $log"
	st=$(sed -n 's/^@@result script \([0-9]*\).*/\1/p' "$log.txt")
	[ "${st:-1}" = 0 ]
	exit
fi

# Report: one line per guest test, failures with their output.
[ -n "$results" ] && { : >"$results"; rm -rf "$results.d"; mkdir -p "$results.d"; }
fails=0 n=0
for t in $(cat "$KB/root/tests/list"); do
	n=$((n + 1))
	st=$(sed -n "s/^@@result $t \([0-9]*\).*/\1/p" "$log.txt" | head -n1)
	tsec=$(sed -n "s/^@@result $t [0-9]* \(.*\)/\1/p" "$log.txt" | head -n1)
	out=$(sed -n "s/^@@out $t //p" "$log.txt")
	case $st in
	0) line="ok $t" ;;
	77) line="skip $t" ;;
	'') line="not ok $t"; out="$out
(no result: guest timed out or crashed; qemu status $qrc)"; fails=$((fails + 1)) ;;
	*) line="not ok $t"; fails=$((fails + 1)) ;;
	esac
	echo "$line${tsec:+ (${tsec}s)}"
	case $line in
	not*) printf '%s\n' "$out" | sed 's/^/#   /' ;;
	skip*) printf '%s\n' "$out" | tail -n1 | sed 's/^/#   /' ;;
	esac
	if [ -n "$results" ]; then
		echo "$line" >>"$results"
		printf '%s\n' "$out" >"$results.d/$t.log"
	fi
done
end=$(grep -c '^@@end' "$log.txt" || true)
echo "# kernel lab: $n guest tests, $fails failed, boot+tests ${secs}s, kernel $KVER$( [ "$KERNEL" = "/boot/vmlinuz-$KVER" ] && echo ' (bzImage)')"
[ "$end" -ge 1 ] || die "no end marker (qemu status $qrc, ${secs}s); console in $log"
[ $fails = 0 ] || exit 1
