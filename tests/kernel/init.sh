#!/bin/sh
# init.sh - /init of the kernel lab's initramfs (busybox sh): mounts, loads
# the modules, creates vcan0/vcan1, runs each guest test with a deadline and
# prints "@@out NAME LINE" for its output and "@@result NAME STATUS SECS",
# then "@@end" and powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
exec </dev/null
ip link set lo up
for m in $(cat /etc/modules); do
	modprobe "$m" 2>/dev/null || echo "@@warn modprobe $m failed"
done
# the host's root, read-only, for CPython in a chroot (the reference); its
# /tmp a tmpfs of the guest's, for the files a test hands to the chroot
if mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host 2>/dev/null; then
	mount -t proc proc /host/proc
	mount -t sysfs sys /host/sys
	mount -t devtmpfs dev /host/dev
	mount -t tmpfs tmp /host/tmp
else
	echo "@@warn no 9p host root"
fi
# vcan0 is CAN FD capable (MTU 72), vcan1 classic only
for i in vcan0 vcan1; do
	ip link add dev $i type vcan || echo "@@warn no $i"
done
ip link set vcan0 mtu 72
ip link set vcan1 mtu 16
ip link set vcan0 up
ip link set vcan1 up

# now: seconds since boot with hundredths
now() { cut -d' ' -f1 /proc/uptime; }

# run NAME FILE: runs one test script, prefixing its output.
run() {
	t0=$(now)
	# its own session, so that whatever it leaves running is ended after it
	setsid sh -c "cd /tmp && exec timeout $(cat /tests/timeout) sh -c '. /tests/lib; . $2'" >/tmp/out.$1 2>&1 &
	pid=$!
	wait $pid
	st=$?
	kill -KILL -- -$pid 2>/dev/null
	sed "s/^/@@out $1 /" /tmp/out.$1
	echo "@@result $1 $st $(echo "$t0 $(now)" | awk '{ printf "%.2f", $2 - $1 }')"
}

echo "@@start"
if [ -f /tests/script ]; then
	run script /tests/script
else
	for t in $(cat /tests/list); do
		run "$t" "/tests/$t.sh"
	done
fi
echo "@@end"
poweroff -f
