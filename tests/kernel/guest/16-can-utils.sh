# 16-can-utils: interoperability with can-utils both ways.
command -v candump >/dev/null || skip "can-utils not in the guest"
FRAMES='123#DEADBEEF 1F334455#11 123#R 123#R3 123##1DEADBEEF 456##0 7FF#0102030405060708'
# can-send -> candump -L
candump -L vcan0 >/tmp/cd 2>&1 &
p=$!
sleep 0.3
run_ok sockit can-send vcan0 $FRAMES
sleep 0.2
kill $p; wait $p
cut -d' ' -f3 /tmp/cd >/tmp/cd.frames
expect_eq "candump saw what can-send sent" "$(cat /tmp/cd.frames | tr '\n' ' ')" "$(echo $FRAMES | sed "s/##1/##5/; s/##0/##4/") "
# cansend -> sockit sniff --log: the same lines as candump -L prints
candump -L vcan0 >/tmp/cd2 2>&1 &
p=$!
sniff_bg /tmp/sn vcan0 7 10 log
for f in $FRAMES; do cansend vcan0 "$f" || fail "cansend $f"; done
bg_wait $SNIFF_PID || fail "sniff: status $?"
sleep 0.1
kill $p; wait $p
expect_eq "sniff --log and candump -L agree" "$(cat /tmp/sn)" "$(cat /tmp/cd2)"
# candump -L output replays through can-send
sniff_bg /tmp/re -r vcan0 7 10
run_ok sockit can-send vcan0 - </tmp/cd2
bg_wait $SNIFF_PID || fail "sniff: status $?"
expect_eq "candump log replayed" "$(cat /tmp/re)" "$(cut -d' ' -f3 /tmp/cd2)"
