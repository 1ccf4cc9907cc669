# 00-lab: the lab itself: modules loaded, vcan up, sockit runs.
run_ok sockit --version
for m in can_raw can_bcm can_isotp can_j1939 af_alg sctp tipc rds vsock_loopback qrtr; do
	grep -q "^$m " /proc/modules || fail "module $m not loaded"
done
ip link show vcan0 | grep -q 'mtu 72' || fail "vcan0 is not CAN FD capable"
ip link show vcan1 | grep -q UP || fail "vcan1 down"
