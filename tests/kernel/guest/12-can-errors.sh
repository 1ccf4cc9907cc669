# 12-can-errors: OSErrors with CAN support present.
sockit can-send nosuchcan0 123#11 2>/tmp/e
expect_eq "unknown interface status" "$?" 1
expect_eq "unknown interface" "$(cat /tmp/e)" "sockit: OSError: [Errno 19] No such device"
sockit can-send abcdefghijklmnopq 123#11 2>/tmp/e
expect_eq "long name status" "$?" 1
expect_eq "long name" "$(cat /tmp/e)" "sockit: OSError: AF_CAN interface name too long"
sockit can-send vcan1 123##1AA 2>/tmp/e
expect_eq "FD on a classic interface status" "$?" 1
expect_eq "FD on a classic interface" "$(cat /tmp/e)" "sockit: OSError: vcan1: interface is not CAN FD capable (MTU 16)"
sockit -j can-send nosuchcan0 123#11 2>/tmp/e
expect_eq "JSON error" "$(cat /tmp/e)" '{"exception": "OSError", "errno": 19, "message": "No such device"}'
cansniff nosuchcan0 1 1 2>/tmp/e
expect_eq "sniff unknown interface status" "$?" 1
grep -q "No such device" /tmp/e || fail "sniff message: $(cat /tmp/e)"
# ended by SIGTERM: 143 after cleaning up
cansniff vcan0 0 0 >/dev/null 2>/tmp/e &
p=$!
sleep 0.3
kill -TERM $p
wait $p
expect_eq "sniff ended by SIGTERM" "$?" 143
sockit can-send --bcm --interval 100 vcan0 123#11 &
p=$!
sleep 0.3
kill -INT $p
wait $p
expect_eq "can-send --bcm ended by SIGINT" "$?" 130
