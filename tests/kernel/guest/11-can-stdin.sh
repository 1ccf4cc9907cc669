# 11-can-stdin: frames from stdin, candump -L lines replayed, bad lines.
sniff_bg /tmp/o -r vcan0 4 10
printf '123#11\n\n  1F334455##1AA  \n(1700000000.000001) vcan9 456#R\n7FF#\n' | run_ok sockit can-send vcan0 -
bg_wait $SNIFF_PID || fail "sniff: status $?"
expect_eq "stdin frames" "$(cat /tmp/o | tr '\n' ' ')" "123#11 1F334455##5AA 456#R 7FF# "

# a bad line: the frames before it are sent, then ValueError, exit 2
sniff_bg /tmp/o2 -r vcan0 1 3
printf '123#22\n123#2\n124#33\n' >/tmp/in
sockit can-send vcan0 - </tmp/in 2>/tmp/err
st=$?
bg_wait $SNIFF_PID
expect_eq "status for a bad stdin line" "$st" 2
expect_eq "message" "$(cat /tmp/err)" "sockit: ValueError: stdin line 2: bad frame '123#2': odd number of hex digits in the data"
expect_eq "frames before it sent" "$(cat /tmp/o2)" "123#22"

# --count stops reading stdin
sniff_bg /tmp/o3 -r vcan0 0 1
printf '101#01\n102#02\n103#03\n' | run_ok sockit can-send --count 2 vcan0 -
bg_wait $SNIFF_PID
expect_eq "--count 2 from stdin" "$(cat /tmp/o3 | tr '\n' ' ')" "101#01 102#02 "
