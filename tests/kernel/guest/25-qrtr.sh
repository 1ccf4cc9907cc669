# 25-qrtr: AF_QIPCRTR datagrams on the local node.
need_eval
out=$(sockit eval 'a = socket(AF_QIPCRTR, SOCK_DGRAM); a.bind((a.getsockname()[0], 0)); b = socket(AF_QIPCRTR, SOCK_DGRAM); b.bind((b.getsockname()[0], 0)); n = b.sendto(b"qrtr", a.getsockname()); d, src = a.recvfrom(100); print(d); print(src[0], a.getsockname()[0]); print(src[1], b.getsockname()[1])' 2>&1)
echo "$out"
expect_eq "data" "$(echo "$out" | sed -n 1p)" "b'qrtr'"
set -- $(echo "$out" | sed -n 2p)
expect_eq "source node is the local node" "$1" "$2"
set -- $(echo "$out" | sed -n 3p)
expect_eq "source port is the sender's" "$1" "$2"
