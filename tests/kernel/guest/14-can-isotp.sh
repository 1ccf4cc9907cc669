# 14-can-isotp: a 100-byte ISO-TP PDU (first frame, flow control,
# consecutive frames) from can-send to isotprecv, and to sockit eval.
PAYLOAD=$(i=0; while [ $i -lt 100 ]; do printf '%02X' $i; i=$((i + 1)); done)
WANT=$(i=0; while [ $i -lt 100 ]; do printf '%02X ' $i; i=$((i + 1)); done)

# check_wire: FF, the receiver's FC, 14 CFs
check_wire() {
	head -n 3 /tmp/wire
	expect_eq "first frame" "$(head -n1 /tmp/wire)" "7E0#1064000102030405"
	grep -q '^7E8#30' /tmp/wire || fail "no flow control frame from the receiver"
	expect_eq "last consecutive frame" "$(tail -n1 /tmp/wire)" "7E0#2E616263"
	expect_eq "frames on the wire" "$(wc -l </tmp/wire | tr -d ' ')" 16
}

# isotp_to NAME OUTFILE DELAY WHAT GOT CMD...: CMD, a receiver of the
# 7E0:7E8 PDU on vcan0, in the background (output in OUTFILE); after DELAY
# seconds can-send sends the PDU; the receiver must end well with output
# GOT (checked as WHAT), and the wire must be right.  (sniff_bg sets $out.)
isotp_to() {
	rx_name=$1 rx_out=$2 rx_delay=$3 rx_what=$4 rx_want=$5
	shift 5
	sniff_bg /tmp/wire -r vcan0 16 10
	"$@" >"$rx_out" 2>&1 &
	p=$!
	sleep "$rx_delay"
	run_ok sockit can-send --isotp 7E0:7E8 vcan0 "$PAYLOAD"
	bg_wait $p 50 || fail "$rx_name: status $?: $(cat "$rx_out")"
	bg_wait $SNIFF_PID 50
	expect_eq "$rx_what" "$(cat "$rx_out")" "$rx_want"
	check_wire
}

if command -v isotprecv >/dev/null; then
	isotp_to isotprecv /tmp/rx 0.2 "isotprecv got the PDU" "$WANT" \
	    isotprecv -s 7E8 -d 7E0 vcan0
fi

if ! eval_can_ready CAN_ISOTP; then
	echo "sockit eval cannot bind CAN_ISOTP sockets yet: skipped its half"
	command -v isotprecv >/dev/null || skip "no receiver"
	exit 0
fi
isotp_to "eval receiver" /tmp/ev 0.3 "eval receiver" \
    "100 b'\\x00\\x01\\x02\\x03' b'bc'" \
    sockit eval 's = socket(AF_CAN, SOCK_DGRAM, CAN_ISOTP); s.bind(("vcan0", 0x7E0, 0x7E8)); d = s.recv(4096); print(len(d), d[:4], d[-2:])'
