# 17-can-pcap: -w writes LINKTYPE_CAN_SOCKETCAN (227) records.
sniff_bg /tmp/o vcan0 2 10 pcap /tmp/c.pcap
run_ok sockit can-send vcan0 1F334455#11.22 123##1AABB
bg_wait $SNIFF_PID || fail "sniff -w: status $?"
hex=$(od -An -tx1 -v /tmp/c.pcap | tr -d ' \n')
# global header: magic, 2.4, 0, 0, snaplen 72, linktype 227
expect_eq "pcap header" "$(echo "$hex" | cut -c1-48)" "d4c3b2a102000400000000000000000048000000e3000000"
# record 1: caplen 16, CAN id big-endian with EFF, len 2, data padded to 8
expect_eq "record 1 lengths" "$(echo "$hex" | cut -c65-80)" "1000000010000000"
expect_eq "record 1 frame" "$(echo "$hex" | cut -c81-112)" "9f334455020000001122000000000000"
# record 2: caplen 72, FD flags BRS|FDF
r2=$((112 + 1))
expect_eq "record 2 lengths" "$(echo "$hex" | cut -c$((r2 + 16))-$((r2 + 31)))" "4800000048000000"
expect_eq "record 2 frame start" "$(echo "$hex" | cut -c$((r2 + 32))-$((r2 + 51)))" "0000012302050000aabb"
expect_eq "file size" "$(wc -c </tmp/c.pcap | tr -d ' ')" $((24 + 16 + 16 + 16 + 72))
