# 15-can-j1939: PGN 0x12300 from SA 0x20 to DA 0x30, an 8-byte message and
# a 100-byte one (transport protocol: RTS/CTS/DT/EOMA).
BIG=$(i=0; while [ $i -lt 100 ]; do printf '%02X' $i; i=$((i + 1)); done)
if eval_can_ready CAN_J1939; then
	sockit eval "s = socket(AF_CAN, SOCK_DGRAM, CAN_J1939); s.bind(('vcan0', J1939_NO_NAME, J1939_NO_PGN, 0x30)); s.settimeout(5); print(s.recvfrom(2000)); print(len(s.recvfrom(2000)[0]))" >/tmp/ev 2>&1 &
	p=$!
elif command -v testj1939 >/dev/null; then
	echo "sockit eval cannot bind CAN_J1939 sockets yet: testj1939 receives"
	testj1939 -r -w3 vcan0:0x30 >/tmp/ev 2>&1 &
	p=$!
else
	skip "no J1939 receiver"
fi
sniff_bg /tmp/wire -r vcan0 0 4
sleep 0.3
run_ok sockit can-send --j1939 :0x12300:0x30 --source 0x20 vcan0 0102030405060708
run_ok sockit can-send --j1939 :0x12300:0x30 --source 0x20 vcan0 "$BIG"
bg_wait $p 80
st=$?
bg_wait $SNIFF_PID 60
cat /tmp/ev
head -n 4 /tmp/wire
# priority 6, PGN 0x12300 (PDU1: PS is the DA 0x30), SA 0x20
expect_eq "the single frame on the wire" "$(head -n1 /tmp/wire)" "19233020#0102030405060708"
grep -q '^18EC3020#1064000F' /tmp/wire || fail "no TP.CM RTS for the 100-byte message"
grep -q '^18EC2030#11' /tmp/wire || fail "no TP.CM CTS from the receiver"
grep -q '^18EB3020#0F6263FFFFFFFFFF' /tmp/wire || fail "no last TP.DT packet"
grep -q '^18EC2030#1364000F' /tmp/wire || fail "no TP.CM EOMA from the receiver"
if grep -q "^(b'" /tmp/ev; then
	[ $st = 0 ] || fail "eval receiver: status $st"
	expect_eq "eval receiver" "$(cat /tmp/ev)" "(b'\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08', ('vcan0', 0, 74496, 32))
100"
fi
