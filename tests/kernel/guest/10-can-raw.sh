# 10-can-raw: can-send -> sniff on vcan0: classic, extended, remote and
# CAN FD frames in every output format.
FRAMES='123#DEADBEEF 1F334455#11 123#R3 12345678#R 123##1DEADBEEF 7FF#01.02.03.04.05.06.07.08 123#1122334455667788_E 00000001#'

sniff_bg /tmp/raw -r vcan0 8 10
run_ok sockit can-send vcan0 $FRAMES
bg_wait $SNIFF_PID || fail "sniff -r: status $?: $(cat /tmp/raw.err)"
expect_eq "candump compact form (-r)" "$(cat /tmp/raw)" "123#DEADBEEF
1F334455#11
123#R3
12345678#R
123##5DEADBEEF
7FF#0102030405060708
123#1122334455667788_E
00000001#"

sniff_bg /tmp/py vcan0 8 10
run_ok sockit can-send vcan0 $FRAMES
bg_wait $SNIFF_PID || fail "sniff: status $?: $(cat /tmp/py.err)"
expect_eq "dissect_can_frame form (py)" "$(cat /tmp/py)" "(291, 4, b'\\xde\\xad\\xbe\\xef')
(2670937173, 1, b'\\x11')
(1073742115, 3, b'\\x00\\x00\\x00')
(3526645368, 0, b'')
(291, 4, b'\\xde\\xad\\xbe\\xef')
(2047, 8, b'\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08')
(291, 8, b'\\x11\"3DUfw\\x88')
(2147483649, 0, b'')"
grep -q "8 frames received, 0 dropped" /tmp/py.err || fail "statistics line: $(cat /tmp/py.err)"

sniff_bg /tmp/json -j vcan0 3 10
run_ok sockit can-send vcan0 1F334455#11 123##3AABB 123#R2
bg_wait $SNIFF_PID || fail "sniff -j: status $?"
cat /tmp/json
sed 's/"ts": [0-9.]*, //' /tmp/json >/tmp/json.nots
expect_eq "JSON Lines" "$(cat /tmp/json.nots)" '{"interface": "vcan0", "can_id": 2670937173, "id": 523453525, "len": 1, "data": "11", "flags": ["EFF"]}
{"interface": "vcan0", "can_id": 291, "id": 291, "len": 2, "data": "aabb", "flags": ["FD", "BRS", "ESI"]}
{"interface": "vcan0", "can_id": 1073742115, "id": 291, "len": 2, "data": "", "flags": ["RTR"]}'
grep -Eq '^\{"ts": [0-9]{10}\.[0-9]{6}, ' /tmp/json || fail "JSON ts field"

sniff_bg /tmp/log vcan0 2 10 log
run_ok sockit can-send vcan0 123#11 123##0
bg_wait $SNIFF_PID || fail "sniff --log: status $?"
cat /tmp/log
grep -Eq '^\([0-9]{10}\.[0-9]{6}\) vcan0 123#11$' /tmp/log || fail "log line 1"
grep -Eq '^\([0-9]{10}\.[0-9]{6}\) vcan0 123##4$' /tmp/log || fail "log line 2"

# --count cycles through the frames; --interval spaces them
sniff_bg /tmp/cnt -r vcan0 5 10
t0=$(cut -d' ' -f1 /proc/uptime)
run_ok sockit can-send --count 5 --interval 50 vcan0 111#01 222#02
bg_wait $SNIFF_PID || fail "sniff: status $?"
t1=$(cut -d' ' -f1 /proc/uptime)
expect_eq "--count 5 cycles" "$(cat /tmp/cnt | tr '\n' ' ')" "111#01 222#02 111#01 222#02 111#01 "
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.2) }' || fail "--interval 50 x 4 took less than 0.2 s"

# a capture ended by its timeout, with nothing received: status 0
cansniff -r vcan1 0 0.3 >/tmp/none 2>&1 || fail "sniff with a timeout: status $?"
