# 23-vsock: VSOCK to CID 1 (vsock_loopback): stream and seqpacket in eval,
# echo / connect with vsock:CID:PORT.
need_eval
ev "b'vsock stream'" \
	'l = socket(AF_VSOCK, SOCK_STREAM); l.bind((VMADDR_CID_ANY, 5001)); l.listen(); c = socket(AF_VSOCK, SOCK_STREAM); c.connect((1, 5001)); a, peer = l.accept(); c.sendall(b"vsock stream"); print(a.recv(100))'
ev "b'vsock seqpacket'" \
	'l = socket(AF_VSOCK, SOCK_SEQPACKET); l.bind((1, 5002)); l.listen(); c = socket(AF_VSOCK, SOCK_SEQPACKET); c.connect((1, 5002)); a, peer = l.accept(); n = c.send(b"vsock seqpacket"); print(a.recv(100))'
ev "(1, 5003)" 'l = socket(AF_VSOCK, SOCK_STREAM); l.bind((1, 5003)); print(l.getsockname())'
sockit echo vsock:1:5004 --count 1 2>/tmp/echo.err &
p=$!
wait_file /tmp/echo.err '5004' || fail "echo did not report its address"
got=$(echo "hello vsock" | timeout 10 sockit connect vsock:1:5004)
st=$?
expect_eq "echo over vsock" "$got" "hello vsock"
expect_eq "connect ends when the echo server closes (status)" "$st" 0
bg_wait $p 30 || fail "echo --count 1: status $?"
