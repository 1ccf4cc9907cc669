# 13-can-bcm: cyclic transmission through CAN_BCM: --count frames, then exit.
sniff_bg /tmp/o -r vcan0 5 10
t0=$(cut -d' ' -f1 /proc/uptime)
run_ok sockit can-send --bcm --interval 40 --count 5 vcan0 123#11 12345678#22
t1=$(cut -d' ' -f1 /proc/uptime)
bg_wait $SNIFF_PID || fail "sniff: status $?"
expect_eq "BCM cycles through the frames" "$(cat /tmp/o | tr '\n' ' ')" "123#11 12345678#22 123#11 12345678#22 123#11 "
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.16) }' || fail "5 frames at 40 ms took less than 0.16 s"
# nothing more after the count
sleep 0.2
cansniff -r vcan0 0 0.3 >/tmp/after 2>/dev/null || fail "sniff status $?"
expect_eq "no frame after the count" "$(cat /tmp/after)" ""

# CAN FD through BCM; without --count it runs until a signal
sniff_bg /tmp/fd -r vcan0 3 10
sockit can-send --bcm --interval 20 vcan0 123##1AABBCC &
p=$!
bg_wait $SNIFF_PID || fail "sniff: status $?"
kill -TERM $p
wait $p
expect_eq "status after SIGTERM" "$?" 143
expect_eq "BCM CAN FD frames" "$(cat /tmp/fd | tr '\n' ' ')" "123##5AABBCC 123##5AABBCC 123##5AABBCC "
